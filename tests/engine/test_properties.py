"""Hypothesis properties of the engine (issue 4): sums, hours, order, splits, monotonicity."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ot.core.domain import BreakSegment, Shift
from ot.core.money import D, cents
from ot.core.timez import STATE_ZONES, parse_local, zone
from rules.engine import PayResult, price
from rules.model import RuleBook

from .books import ALL
from .helpers import worker

WORKERS = {"w1": worker(rate="20.00")}
STATES = ["TX", "CA", "AK", "CO", "KY", "MN", "KS", "NV"]
CENT = Decimal("0.01")


@st.composite
def weeks(draw: st.DrawFn, states: list[str] | None = None) -> list[Shift]:
    """A worker's non-overlapping shifts over about a week and a half, from Sun 2026-11-01 00:00
    local (the night clocks fall back), punched to the second, some with meal breaks, some at
    their own rate (one under California's minimum wage), some hours-only to the hundredth."""
    state = draw(st.sampled_from(states or STATES))
    tz = STATE_ZONES[state]
    cursor = parse_local("2026-10-31T18:00", tz)
    out: list[Shift] = []
    for i in range(draw(st.integers(1, 9))):
        cursor += timedelta(seconds=draw(st.integers(0, 30 * 3600)))
        if draw(st.integers(0, 9)) == 0:  # an hours-only entry on a day of its own (placed from 00:00)
            day = cursor.astimezone(zone(tz)).date() + timedelta(days=1)
            hours = Decimal(draw(st.integers(1, 1200))) / 100
            out.append(Shift(f"s{i}", "w1", None, None, tz, state, day=day, hours=hours))
            cursor = parse_local(f"{day + timedelta(days=1)}T00:00", tz)
            continue
        length = draw(st.integers(30 * 60, 15 * 3600))
        start, end = cursor, cursor + timedelta(seconds=length)
        breaks: tuple[BreakSegment, ...] = ()
        if length > 4 * 3600 and draw(st.booleans()):
            b0 = start + timedelta(seconds=draw(st.integers(3600, length - 3600)))
            breaks = (BreakSegment(b0, b0 + timedelta(minutes=draw(st.sampled_from([10, 20, 30, 45])))),)
        rate = draw(st.sampled_from([None, Decimal("15.50"), Decimal("31.25"), Decimal("16.33"), Decimal("12.10")]))
        out.append(Shift(f"s{i}", "w1", start, end, tz, state, rate=rate, breaks=breaks))
        cursor = end
    return out


def _worked_ms(shifts: list[Shift]) -> int:
    total = 0
    for s in shifts:
        if s.start is None:
            assert s.hours is not None
            total += int(s.hours * 3_600_000)
            continue
        assert s.end is not None
        total += (s.end - s.start) // timedelta(milliseconds=1)
        for b in s.breaks:
            assert b.end is not None
            m = (b.end - b.start) // timedelta(milliseconds=1)
            if m > 20 * 60_000:
                total -= m
    return total


def _summary(result: PayResult) -> list[tuple[object, ...]]:
    return [
        (w.week_start, w.regular_hours, w.overtime_hours, w.doubletime_hours, w.premium_hours, w.regular_rate, w.gross)
        for w in result.weeks()
    ]


def _gross(result: PayResult) -> Decimal:
    return sum((w.gross for w in result.weeks()), Decimal(0))


def _multiplies_out(hours: Decimal, rate: Decimal, amount: Decimal, carry: Decimal = Decimal(0)) -> bool:
    """Printed hours x printed rate, rounded half-up to the cent, is the printed amount (less the
    cent of its week's rounding the line says it carries), and never a cent or more away."""
    product = hours * rate
    return cents(product) == amount - carry and abs(product - amount) < CENT


@settings(max_examples=60)
@given(weeks())
def test_gross_is_the_sum_of_the_printed_lines(shifts: list[Shift]) -> None:
    """ot.core.money's rounding rule: a week's gross is the sum of its dated lines and of its pay
    groups, as printed (amounts to the cent); REG+OT+DT are the hours worked (29 CFR
    785.18-785.19: short breaks worked, meal periods not), each kind to the hundredth."""
    result = price(shifts, WORKERS, ALL)
    exact = 0
    for w in result.weeks():
        assert sum((ln.amount for ln in w.lines), Decimal(0)) == w.gross
        assert sum((g.amount for g in w.groups), Decimal(0)) == w.gross
        assert all(ln.amount == ln.amount.quantize(CENT) and ln.hours == ln.hours.quantize(CENT) for ln in w.lines)
        for c, total in (("REG", w.regular_hours), ("OT", w.overtime_hours), ("DT", w.doubletime_hours)):
            assert sum((ln.hours for ln in w.lines if ln.hour_class == c), Decimal(0)) == total
            assert sum((g.hours for g in w.groups if g.hour_class == c), Decimal(0)) == total
        exact += sum(p.ms for p in w.pieces)
    assert exact == _worked_ms([s for s in shifts if s.pay_type == "REGULAR"])


@settings(max_examples=60)
@given(weeks())
def test_every_printed_line_multiplies_out(shifts: list[Shift]) -> None:
    """Every line a person reads: printed hours x printed rate (rate x multiplier to four
    places, as calc, explain and the stub print it) = printed amount to the cent, half-up;
    a dated line may carry one cent of its pay group's rounding, and says so; every pay
    group multiplies out exactly."""
    from ot.calcio import group_json, line_json

    for w in price(shifts, WORKERS, ALL).weeks():
        for ln in w.lines:
            if ln.hour_class in ("BONUS", "COMMISSION", "PIECE"):
                continue
            printed = line_json(ln)
            assert _multiplies_out(D(printed["hours"]), D(printed["rate"]), D(printed["amount"]), D(printed["carry"]))
        for g in w.groups:
            printed = group_json(g)
            assert _multiplies_out(D(printed["hours"]), D(printed["rate"]), D(printed["amount"]))


@given(weeks(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(shifts: list[Shift], rnd: random.Random) -> None:
    """Shuffling the shifts changes nothing."""
    shuffled = list(shifts)
    rnd.shuffle(shuffled)
    a, b = price(shifts, WORKERS, ALL), price(shuffled, WORKERS, ALL)
    assert _summary(a) == _summary(b)
    assert [w.lines for w in a.weeks()] == [w.lines for w in b.weeks()]


@settings(max_examples=60)
@given(weeks(), st.data())
def test_splitting_a_shift_at_any_second_changes_nothing(shifts: list[Shift], data: st.DataObject) -> None:
    """Splitting a punched shift at any second into two adjacent shifts changes no hour, no line
    amount by date and class, and not gross by a cent, in every state (Nevada's 24-hour periods
    begin with a workday's first start of work, NRS 608.0126, which a split never moves)."""
    punched = [i for i, s in enumerate(shifts) if s.start is not None]
    assume(punched)
    i = data.draw(st.sampled_from(punched))
    s = shifts[i]
    assert s.start is not None
    assert s.end is not None
    length = int((s.end - s.start) / timedelta(seconds=1))
    cut_at = s.start + timedelta(seconds=data.draw(st.integers(1, length - 1)))
    assume(not any(b.start <= cut_at <= (b.end or b.start) for b in s.breaks))
    first = replace(s, end=cut_at, breaks=tuple(b for b in s.breaks if b.start < cut_at))
    second = replace(s, shift_id=s.shift_id + "b", start=cut_at, breaks=tuple(b for b in s.breaks if b.start >= cut_at))
    split = [*shifts[:i], first, second, *shifts[i + 1 :]]
    a, b = price(shifts, WORKERS, ALL), price(split, WORKERS, ALL)
    assert _summary(a) == _summary(b)
    assert [[(g.hour_class, g.hours, g.amount) for g in w.groups] for w in a.weeks()] == [
        [(g.hour_class, g.hours, g.amount) for g in w.groups] for w in b.weeks()
    ]


@settings(max_examples=60)
@given(weeks(["CA", "TX", "NV", "CO"]), st.sampled_from(["2.00", "7.00", "12.10", "16.49"]))
def test_minimum_wage_make_up_never_lowers_pay(shifts: list[Shift], rate: str) -> None:
    """29 CFR 776.5 and Armenta v. Osmose (Cal.): the make-up only adds pay: the same week
    priced with every minimum wage removed never pays more, and with the floor the week's
    straight-time pay is at least hours worked x the highest minimum wage (weekly test)."""
    low = {"w1": worker(rate=rate)}
    shifts = [replace(s, rate=None) for s in shifts]
    no_floor = RuleBook(
        tuple((j, tuple(replace(rs, minimum_wages=()) for rs in sets)) for j, sets in ALL.versions), file="books.py"
    )
    with_floor, without = price(shifts, low, ALL), price(shifts, low, no_floor)
    assert _gross(with_floor) >= _gross(without)
    for w in with_floor.weeks():
        straight = sum((ln.amount for ln in w.lines if ln.hour_class in ("REG", "MW_MAKEUP")), Decimal(0))
        straight += sum((ln.rate * ln.hours for ln in w.lines if ln.hour_class in ("OT", "DT")), Decimal(0))
        assert straight >= w.hours_worked * Decimal("7.25") - CENT * len(w.groups)
        assert w.hours_worked == 0 or w.regular_rate >= Decimal("7.25")


@given(weeks(), st.data())
def test_adding_an_hour_never_lowers_pay(shifts: list[Shift], data: st.DataObject) -> None:
    """One more hour at the end of a shift never lowers the gross (29 USC 207: every hour is paid)."""
    punched = [i for i, s in enumerate(shifts) if s.end is not None]
    if not punched:
        return
    i = data.draw(st.sampled_from(punched))
    s = shifts[i]
    assert s.end is not None
    longer = replace(s, end=s.end + timedelta(hours=1))
    nxt = shifts[i + 1].start if i + 1 < len(shifts) else None
    if nxt is not None and longer.end is not None and longer.end > nxt:
        return
    more = [*shifts[:i], longer, *shifts[i + 1 :]]
    assert _gross(price(more, WORKERS, ALL)) >= _gross(price(shifts, WORKERS, ALL))


@given(st.integers(1, 24 * 60 - 1))
def test_daily_split_agrees_with_the_engine(minutes: int) -> None:
    """Cal. Lab. Code 510(a): daily_split (the benchmark's shared work) classes one
    California workday exactly as the full engine does."""
    from rules.engine.classify import compile_daily, daily_split

    from .books import CA_SET, book

    start = parse_local("2026-11-03T00:00", "America/Los_Angeles")
    s = Shift("s", "w1", start, start + timedelta(minutes=minutes), "America/Los_Angeles", "CA")
    week = price([s], WORKERS, book(CA_SET)).weeks()[0]
    got = daily_split(minutes, compile_daily(CA_SET.thresholds))
    engine = {c: sum(p.ms for p in week.pieces if p.hour_class == c) // 60_000 for c in ("REG", "OT", "DT")}
    assert got == engine


@settings(max_examples=60)
@given(weeks(), st.data())
def test_pricing_only_some_weeks_prices_them_as_pricing_all_does(shifts: list[Shift], data: st.DataObject) -> None:
    """A pay run prices only the weeks it pays, with the shifts before them as context (``only_weeks``):
    each week it prices is the very week that pricing everything gives, and no other week appears."""
    book = ALL
    every = price(shifts, WORKERS, book)
    starts = sorted({w.week_start for w in every.weeks()})
    assume(starts)
    chosen = set(data.draw(st.lists(st.sampled_from(starts), min_size=1, unique=True)))
    some = price(shifts, WORKERS, book, only_weeks=chosen)
    assert [w.week_start for w in some.weeks()] == sorted(chosen)
    assert [w for w in every.weeks() if w.week_start in chosen] == list(some.weeks())
