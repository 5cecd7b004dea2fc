"""Hypothesis properties of the engine (issue 4): sums, hours, order, splits, monotonicity."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from ot.domain import BreakSegment, Shift
from ot.timez import STATE_ZONES, parse_local
from rules.engine import PayResult, price

from .books import ALL
from .helpers import worker

WORKERS = {"w1": worker(rate="20.00")}
SPLIT_SAFE_STATES = ["TX", "CA", "AK", "CO", "KY", "MN", "KS"]  # no rolling-24 rule (NV)


@st.composite
def weeks(draw: st.DrawFn, states: list[str] | None = None) -> list[Shift]:
    """A worker's non-overlapping shifts over about a week and a half, from Sun 2026-11-01 00:00
    local (the night clocks fall back), some with meal breaks, some at their own rate."""
    state = draw(st.sampled_from(states or [*SPLIT_SAFE_STATES, "NV"]))
    tz = STATE_ZONES[state]
    cursor = parse_local("2026-10-31T18:00", tz)
    out: list[Shift] = []
    for i in range(draw(st.integers(1, 9))):
        cursor += timedelta(minutes=draw(st.integers(0, 30 * 60)))
        length = draw(st.integers(30, 15 * 60))
        start, end = cursor, cursor + timedelta(minutes=length)
        breaks: tuple[BreakSegment, ...] = ()
        if length > 4 * 60 and draw(st.booleans()):
            b0 = start + timedelta(minutes=draw(st.integers(60, length - 60)))
            breaks = (BreakSegment(b0, b0 + timedelta(minutes=draw(st.sampled_from([10, 20, 30, 45])))),)
        rate = draw(st.sampled_from([None, Decimal("15.50"), Decimal("31.25")]))
        out.append(Shift(f"s{i}", "w1", start, end, tz, state, rate=rate, breaks=breaks))
        cursor = end
    return out


def _worked_minutes(shifts: list[Shift]) -> int:
    total = 0
    for s in shifts:
        assert s.start is not None
        assert s.end is not None
        total += int((s.end - s.start) / timedelta(minutes=1))
        for b in s.breaks:
            assert b.end is not None
            m = int((b.end - b.start) / timedelta(minutes=1))
            if m > 20:
                total -= m
    return total


def _mins(hours: Decimal) -> int:
    """Hours (exact to 28 digits: minutes / 60) back to whole minutes."""
    return int((hours * 60).quantize(Decimal(1)))


def _summary(result: PayResult) -> list[tuple[object, ...]]:
    return [
        (w.week_start, w.regular_hours, w.overtime_hours, w.doubletime_hours, w.premium_hours, w.regular_rate, w.gross)
        for w in result.weeks()
    ]


def _gross(result: PayResult) -> Decimal:
    return sum((w.gross for w in result.weeks()), Decimal(0))


@given(weeks())
def test_lines_add_up_and_hours_are_all_classed(shifts: list[Shift]) -> None:
    """Line amounts add up to gross exactly; REG+OT+DT equals hours worked
    (29 CFR 785.18-785.19: short breaks worked, meal periods not)."""
    result = price(shifts, WORKERS, ALL)
    worked = Decimal(0)
    for w in result.weeks():
        assert sum((ln.amount for ln in w.lines), Decimal(0)) == w.gross
        assert all(ln.amount == ln.amount.quantize(Decimal("0.01")) for ln in w.lines)
        by_class = {
            c: _mins(sum((ln.hours for ln in w.lines if ln.hour_class == c), Decimal(0))) for c in ("REG", "OT", "DT")
        }
        assert by_class == {
            "REG": _mins(w.regular_hours),
            "OT": _mins(w.overtime_hours),
            "DT": _mins(w.doubletime_hours),
        }
        assert sum(p.minutes for p in w.pieces) == _mins(w.arithmetic.hours_worked)
        worked += w.hours_worked
    assert _mins(worked) == _worked_minutes(shifts)


@given(weeks(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(shifts: list[Shift], rnd: random.Random) -> None:
    """Shuffling the shifts changes nothing."""
    shuffled = list(shifts)
    rnd.shuffle(shuffled)
    a, b = price(shifts, WORKERS, ALL), price(shuffled, WORKERS, ALL)
    assert _summary(a) == _summary(b)
    assert [w.lines for w in a.weeks()] == [w.lines for w in b.weeks()]


@given(weeks(SPLIT_SAFE_STATES), st.data())
def test_splitting_a_shift_changes_nothing(shifts: list[Shift], data: st.DataObject) -> None:
    """Splitting a shift at any minute into two adjacent shifts changes no hour and no
    amount (no rolling-24 rule in these states: a new shift start would open a new
    Nevada 24-hour period, NRS 608.018)."""
    i = data.draw(st.integers(0, len(shifts) - 1))
    s = shifts[i]
    assert s.start is not None
    assert s.end is not None
    length = int((s.end - s.start) / timedelta(minutes=1))
    cut_at = s.start + timedelta(minutes=data.draw(st.integers(1, length - 1)))
    assume(not any(b.start < cut_at < (b.end or b.start) for b in s.breaks))
    first = replace(s, end=cut_at, breaks=tuple(b for b in s.breaks if b.start < cut_at))
    second = replace(s, shift_id=s.shift_id + "b", start=cut_at, breaks=tuple(b for b in s.breaks if b.start >= cut_at))
    split = [*shifts[:i], first, second, *shifts[i + 1 :]]
    assert _summary(price(shifts, WORKERS, ALL)) == _summary(price(split, WORKERS, ALL))


@given(weeks(), st.data())
def test_adding_an_hour_never_lowers_pay(shifts: list[Shift], data: st.DataObject) -> None:
    """One more hour at the end of a shift never lowers the gross (29 USC 207: every hour is paid)."""
    i = data.draw(st.integers(0, len(shifts) - 1))
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
    assert {k: Decimal(v) / 60 for k, v in got.items()} == {
        "REG": week.regular_hours,
        "OT": week.overtime_hours,
        "DT": week.doubletime_hours,
    }
