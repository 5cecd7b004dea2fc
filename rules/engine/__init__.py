"""The pay engine: shifts + workers + a compiled RuleBook -> pay lines, weeks, explanations.

A pure function (:func:`price`): no clock, no database, no file. The steps,
each in its own module:

1. ``segments``: punch rounding, breaks, and the split of worked time into
   pieces inside one local workday of one local workweek, in milliseconds
   (the engine's unit, ``ot.core.money``).
2. ``classify``: every applicable jurisdiction's thresholds, combined most
   favourably, with winners and losers kept.
3. ``lines.group_hours``: the week's time grouped by what pays it, to the
   hundredth of an hour (``ot.core.money``'s rounding rule).
4. ``floor``: the minimum-wage floor and the make-up owed (29 CFR 776.5).
5. ``regular_rate``: the week's weighted-average regular rate (29 CFR 778.115).
6. ``premiums``: meal and rest premiums (Lab. Code 512, 226.7), at the
   week's regular rate; ``split_shift``: split-shift and spread-of-hours
   premiums at the minimum wage (Wage Order 4-2001 section 4(C); 12 NYCRR 142-2.4);
   ``reporting_time``: reporting-time pay at the regular rate (section 5).
7. ``lines``: pay groups and their dated pay lines.
8. ``explain``: the explanation as text or JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from ot.core.domain import Earning, Shift, Worker
from ot.core.errors import OtError, Problem
from ot.core.money import MS_PER_HOUR, ZERO, hundredths_to_hours
from ot.core.timez import week_start
from rules.engine.classify import classify_week
from rules.engine.earnings import allocated, has_plans, hourly_rate_on
from rules.engine.explain import shift_name
from rules.engine.floor import Floors
from rules.engine.lines import LineSpec, build_lines, group_hours, makeup_specs, spec_amount
from rules.engine.premiums import BreakSpan, premiums_owed, runs_of
from rules.engine.regular_rate import regular_rate
from rules.engine.reporting_time import excused_notes, reporting_time_owed
from rules.engine.results import PayGroup, PayLine, PayResult, WeekResult, WorkerResult
from rules.engine.segments import (
    Piece,
    boundary,
    entry_ms,
    epoch_ms,
    from_epoch_ms,
    split,
    week_of,
    worked_intervals,
)
from rules.engine.split_shift import day_premiums_owed
from rules.engine.week_plans import apply_allocations, plan_week, week_extras
from rules.model import FEDERAL, NoRulesInForce, RuleBook, RuleSet

__all__ = ["PayGroup", "PayLine", "PayResult", "WeekResult", "WorkerResult", "price"]

#: How far before a week's first worked millisecond consecutive and rolling-24 rules look back.
LOOKBEHIND_MS = 48 * MS_PER_HOUR


def _where(shift: Shift) -> str:
    """``shifts[3]`` for calc input (id ``#3``), ``shift S-12`` for a ledger shift."""
    name = shift_name(shift.shift_id)
    return name if name != shift.shift_id else f"shift {shift.shift_id}"


def _pieces(
    shifts: Sequence[Shift],
    workers: Mapping[str, Worker],
    book: RuleBook,
    workweek: tuple[int, time] | None,
    workday_start: time | None,
    problems: list[Problem],
    skipped: list[tuple[str, str]],
    breaks: dict[str, tuple[BreakSpan, ...]],
    short: dict[str, str] | None = None,
) -> dict[str, list[Piece]]:
    """Every shift's pieces by worker (problems and skipped shifts are collected, not raised);
    ``breaks`` gets each punched shift's ended breaks (for rest rules whose evidence is breaks);
    ``short`` gets, by shift id, a note on the unpaid breaks counted as worked (29 CFR 785.18)."""
    by_worker: dict[str, list[Piece]] = {}
    planned: dict[str, bool] = {}  # worker id -> paid under a salary plan on some date
    applicable: dict[tuple[str, date], tuple[tuple[RuleSet, ...], int | None, frozenset[str]]] = {}
    # Breaks are kept only when a rest rule takes punched rest breaks as its evidence.
    want_breaks = any(
        rs.rest is not None and "breaks" in rs.rest.evidence for _name, sets in book.versions for rs in sets
    )
    for order, s in enumerate(shifts):
        worker = workers.get(s.worker_id)
        if worker is None:
            problems.append(Problem(_where(s), f"unknown worker {s.worker_id!r}: add them to the roster first"))
            continue
        if not s.hours_only and s.end is None:
            skipped.append((s.shift_id, "no out-punch yet: not priced until the shift has an end"))
            continue
        if s.hours_only:
            if s.day is None or (s.minutes is None and s.hours is None):
                problems.append(Problem(_where(s), "an hours-only entry needs a day and hours"))
                continue
            first_day = s.day
        else:
            assert s.start is not None
            first_day = from_epoch_ms(epoch_ms(s.start), s.timezone).date()
        key = (s.state, first_day)
        try:
            found = applicable.get(key)
            if found is None:
                sets = book.applicable(s.state, first_day)
                shorts = [rs.short_break_paid_minutes for rs in sets if rs.short_break_paid_minutes is not None]
                paid = frozenset(bt.code for rs in sets for bt in rs.break_types if bt.paid)
                found = applicable[key] = (sets, max(shorts) if shorts else None, paid)
        except NoRulesInForce as exc:
            problems.append(Problem(_where(s), f"{exc}: add rules in force on that date"))
            continue
        sets, short_break, paid_codes = found
        home = next(rs for rs in reversed(sets) if not rs.policy)  # the law's most specific set
        week_day = workweek[0] if workweek else home.workweek_start_day
        week_time = workweek[1] if workweek else home.workweek_start_time
        day_start = workday_start if workday_start is not None else home.workday_start
        worked = s.pay_type not in home.not_worked_pay_types
        tz = s.timezone
        stretches: list[tuple[int, int, date, date, str | None]]
        if s.hours_only:
            assert s.day is not None
            length = entry_ms(s)
            begin = boundary(s.day, tz, day_start)
            week = week_of(begin, tz, week_day, week_time)
            stretches = [(begin, begin + length, s.day, week, None)] if length > 0 else []
        else:
            stretches = []
            if s.breaks and want_breaks:
                breaks[s.shift_id] = tuple(
                    (epoch_ms(b.start), epoch_ms(b.end), b.type_code, b.paid) for b in s.breaks if b.end is not None
                )
            counted: list[int] | None = [] if s.breaks and short is not None else None
            for a, b, after in worked_intervals(s, home, short_break, paid_codes, counted):
                for k, (a2, b2, day, week) in enumerate(split(a, b, tz, day_start, week_day, week_time)):
                    stretches.append((a2, b2, day, week, after if k == 0 else None))
        if not s.hours_only and counted and short is not None:
            minutes = ", ".join(f"{(ms + 30_000) // 60_000} min" for ms in counted)
            short[s.shift_id] = (
                f"{shift_name(s.shift_id)}: break(s) of {minutes} recorded as unpaid are hours worked "
                f"(rest periods of 5 to about 20 minutes are paid, 29 CFR 785.18)"
            )
        shift_start = stretches[0][0] if stretches else 0
        rest = s.rest_attestation or ("rest-missed" if "rest_missed" in s.exceptions else None)
        plans = planned.get(s.worker_id)
        if plans is None:
            plans = planned[s.worker_id] = has_plans(worker)
        for a, b, day, week, after in stretches:
            if s.rate is not None:
                rate: Decimal | None = s.rate
            else:
                rate = hourly_rate_on(worker, day) if plans else worker.rate_on(day)
            if rate is None:
                problems.append(
                    Problem(
                        _where(s), f"no pay rate for {worker.worker_id} on {day.isoformat()}: give the shift a rate"
                    )
                )
                break
            by_worker.setdefault(s.worker_id, []).append(
                Piece(
                    s.shift_id,
                    order,
                    a,
                    b,
                    shift_start,
                    day,
                    week,
                    s.state,
                    tz,
                    s.location_id,
                    rate,
                    worked,
                    s.pay_type,
                    s.hours_only,
                    s.meal_waiver,
                    rest == "rest-missed",
                    after,
                    rest,
                    s.city,
                    s.county,
                )
            )
    return by_worker


def _earning_week(e: Earning, pieces: Sequence[Piece], book: RuleBook, workweek: tuple[int, time] | None) -> date:
    """The workweek an earning belongs to: the week of a piece on its day, else by date."""
    for p in pieces:
        if p.workday == e.day:
            return p.week_start
    day_of_week = workweek[0] if workweek else book.effective(FEDERAL, e.day).workweek_start_day
    return week_start(e.day, day_of_week)


def _rule_sets(
    book: RuleBook, states: frozenset[str], week: date, cache: dict[tuple[frozenset[str], date], tuple[RuleSet, ...]]
) -> tuple[RuleSet, ...]:
    """FEDERAL's and each state's own rule set in force on the week's first day, then the employer's
    policies in force then (memoised per call of price)."""
    key = (states, week)
    found = cache.get(key)
    if found is None:
        own = sorted(s for s in states if s != FEDERAL and book.has(s))
        found = cache[key] = (
            book.effective(FEDERAL, week),
            *(book.effective(s, week) for s in own),
            *book.policies_on(week),
        )
    return found


_NO_HOLIDAYS: dict[str, frozenset[object]] = {}
_NO_SCHEDULE: Mapping[str, Mapping[date, Decimal]] = {}
_NO_DATES: Mapping[date, Decimal] = {}
_NO_EXCUSES: Mapping[date, str] = {}


def _holidays(
    book: RuleBook, sets: tuple[RuleSet, ...], states: frozenset[str], week: date, cache: dict[Any, Any]
) -> dict[str, frozenset[object]]:
    """By state, the days of the week kept as holidays there (its calendar and what it extends; memoised)."""
    out: dict[str, frozenset[object]] = {}
    for state in states:
        key = ("holidays", state, week)
        found = cache.get(key)
        if found is None:
            kept = book.holidays_between(state, week, week + timedelta(days=7))
            found = cache[key] = frozenset(h.day for h in kept)
        out[state] = found
    return out


def _exempt(worker: Worker, sets: tuple[RuleSet, ...]) -> bool:
    """A worker the federal rules give no overtime (1099: not an employee) is owed no minimum-wage make-up."""
    return worker.type in sets[0].no_overtime_worker_types


def _price_week(
    worker: Worker,
    week: date,
    pieces: list[Piece],
    prior: list[Piece],
    runs: list[list[Piece]],
    earnings: list[Earning],
    book: RuleBook,
    cache: dict[tuple[frozenset[str], date], tuple[RuleSet, ...]],
    where: tuple[str, str | None],
    breaks: dict[str, tuple[BreakSpan, ...]],
    floor_cache: dict[tuple[object, ...], object],
    scheduled: Mapping[date, Decimal] = _NO_DATES,
    short: Mapping[str, str] | None = None,
    excused: Mapping[date, str] = _NO_EXCUSES,
) -> WeekResult:
    pieces.sort(key=lambda p: (p.start, p.order))
    worked = [p for p in pieces if p.worked]
    not_worked = [p for p in pieces if not p.worked]
    states = frozenset(p.state for p in pieces) | frozenset(p.state for run in runs for p in run)
    sets = _rule_sets(book, states, week, cache)
    holidays = (
        _holidays(book, sets, states, week, cache)
        if any(t.kind == "holiday" for rs in sets for t in rs.thresholds)
        else _NO_HOLIDAYS
    )
    classed = classify_week(worked, prior, sets, worker.type, holidays, worker.worker_id)
    home_state = pieces[0].state if pieces else FEDERAL
    home = next((rs for rs in sets if rs.jurisdiction == home_state), sets[0])
    groups = group_hours(classed, not_worked, home)
    worked_groups = [g for g in groups if g.hour_class in ("REG", "OT", "DT")]
    extras = week_extras(worker, worked, earnings, groups, sets)
    other = extras.counted
    makeups: list[LineSpec] = []
    rr_floor = ZERO
    if worked_groups and not _exempt(worker, sets):
        floors = Floors(book, sets, floor_cache)
        makeups, rr_floor = makeup_specs(
            worked_groups, floors.of, sum((a for _k, a in other), ZERO), floors.ceiling if not other else None
        )
    makeup_money = [("minimum wage make-up", spec_amount(m)) for m in makeups]
    arithmetic = regular_rate(
        [(g.rate, g.total) for g in worked_groups], [*other, *makeup_money], rr_floor, extras.excluded, extras.plan
    )
    rr = arithmetic.regular_rate
    prem = premiums_owed(runs, sets, worker.type, breaks)
    if runs and any(rs.day_premiums for rs in sets):
        prem.extend(day_premiums_owed(runs, sets, worker.type, Floors(book, sets, floor_cache).of))
    if runs and any(rs.reporting_time is not None for rs in sets):
        prem.extend(reporting_time_owed(runs, sets, worker.type, scheduled, excused))
    lines, pay_groups = build_lines(groups, makeups, prem, earnings, rr, sets[0], where)
    if extras.active:
        lines, pay_groups = plan_week(extras, lines, pay_groups, sets[0], where)
    hundredths = {"REG": 0, "OT": 0, "DT": 0}
    leave = 0
    for g in groups:
        if g.hour_class in hundredths:
            hundredths[g.hour_class] += g.total
        else:
            leave += g.total
    notes = tuple(
        f"{pr.workday.isoformat()}: {pr.kind.replace('_', ' ')} premium ({pr.label}): {pr.why}" for pr in prem
    )
    if short:
        notes += tuple(dict.fromkeys(short[p.shift_id] for p in worked if p.shift_id in short))
    if excused and runs and any(rs.reporting_time is not None for rs in sets):
        notes += excused_notes(runs, sets, excused)
    return WeekResult(
        worker_id=worker.worker_id,
        week_start=week,
        lines=tuple(lines),
        regular_hours=hundredths_to_hours(hundredths["REG"]),
        overtime_hours=hundredths_to_hours(hundredths["OT"]),
        doubletime_hours=hundredths_to_hours(hundredths["DT"]),
        premium_hours=sum((pr.hours for pr in prem), ZERO),
        not_worked_hours=hundredths_to_hours(leave),
        regular_rate=rr,
        gross=sum((ln.amount for ln in lines), ZERO),
        pieces=tuple(classed),
        arithmetic=arithmetic,
        notes=notes,
        groups=tuple(pay_groups),
    )


def _price_at(
    wk: date,
    *,
    worker: Worker,
    weeks: Mapping[date, list[Piece]],
    worked_all: Sequence[Piece],
    week_runs: Mapping[date, list[list[Piece]]],
    week_earn: Mapping[date, list[Earning]],
    book: RuleBook,
    cache: dict[tuple[frozenset[str], date], tuple[RuleSet, ...]],
    where: tuple[str, str | None],
    breaks: dict[str, tuple[BreakSpan, ...]],
    floor_cache: dict[tuple[object, ...], object],
    scheduled: Mapping[date, Decimal] = _NO_DATES,
    short: Mapping[str, str] | None = None,
    excused: Mapping[date, str] = _NO_EXCUSES,
) -> WeekResult:
    """One week of a worker priced, with the hours before it that its rules look back on."""
    wp = weeks[wk]
    starts = [p.start for p in wp if p.worked]
    prior: list[Piece] = []
    if starts:
        lo = min(starts)
        prior = [p for p in worked_all if p.week_start < wk and p.end > lo - LOOKBEHIND_MS]
    return _price_week(
        worker,
        wk,
        wp,
        prior,
        week_runs.get(wk, []),
        week_earn.get(wk, []),
        book,
        cache,
        where,
        breaks,
        floor_cache,
        scheduled,
        short,
        excused,
    )


def _allocate(
    out: list[WeekResult],
    bonuses: list[Earning],
    book: RuleBook,
    workweek: tuple[int, time] | None,
    pieces: Sequence[Piece],
    weeks: Mapping[date, list[Piece]],
    priced: Callable[[date], WeekResult],
) -> list[WeekResult]:
    """The priced weeks with each allocated bonus's overtime lines added to the week it is paid in
    (29 CFR 778.209); the weeks of its period not asked for are priced as context."""
    by_week = {w.week_start: w for w in out}
    first = min(e.period_start for e in bonuses if e.period_start is not None) - timedelta(days=6)
    last = max(e.period_end for e in bonuses if e.period_end is not None)
    for wk in sorted(weeks):
        if first <= wk <= last and wk not in by_week:
            try:
                by_week[wk] = priced(wk)
            except NoRulesInForce:
                continue
    pay: dict[date, list[Earning]] = {}
    for e in bonuses:
        pay.setdefault(_earning_week(e, pieces, book, workweek), []).append(e)
    result = []
    for w in out:
        mine = pay.get(w.week_start)
        if mine:
            w = apply_allocations(w, mine, by_week, book.effective(FEDERAL, w.week_start))
        result.append(w)
    return result


def price(
    shifts: Sequence[Shift],
    workers: Mapping[str, Worker],
    book: RuleBook,
    *,
    earnings: Sequence[Earning] = (),
    workweek: tuple[int, time] | None = None,
    workday_start: time | None = None,
    only_weeks: Collection[date] | None = None,
    scheduled: Mapping[str, Mapping[date, Decimal]] | None = None,
    excused: Mapping[str, Mapping[date, str]] | None = None,
) -> PayResult:
    """Price shifts: per worker (in ``workers`` order) per workweek (date order).

    ``workweek``: (start day 0=Monday..6=Sunday, local start time) overriding the
    rules'; ``workday_start``: local time overriding the rules' workday start.
    ``only_weeks``: price only the workweeks starting on these dates; the other
    shifts are context (the hours before a week that consecutive-day and rolling
    rules look back on), not priced. None: every week.
    ``scheduled``: by worker, the hours each date is scheduled (reporting-time pay, Wage Order
    section 5(A)); a date without an entry is not scheduled as far as the engine knows.
    ``excused``: by worker, the dates that owe no reporting-time pay and why (section 5(C), (D):
    ``ledger.events.EXCUSE_REASONS``).
    Shifts without an end are skipped and reported in ``PayResult.skipped``.
    Raises :class:`~ot.core.errors.OtError` listing every shift that cannot be
    priced (unknown worker, no rate, no rules in force), and nothing is priced.
    """
    problems: list[Problem] = []
    skipped: list[tuple[str, str]] = []
    breaks: dict[str, tuple[BreakSpan, ...]] = {}
    short: dict[str, str] = {}
    by_worker = _pieces(shifts, workers, book, workweek, workday_start, problems, skipped, breaks, short)
    earn_by_worker: dict[str, list[Earning]] = {}
    for i, e in enumerate(earnings):
        if e.worker_id not in workers:
            problems.append(Problem(f"earning {i}", f"unknown worker {e.worker_id!r}"))
            continue
        earn_by_worker.setdefault(e.worker_id, []).append(e)
    if problems:
        raise OtError(f"cannot price {len(problems)} shift(s) or earning(s): fix them and try again", problems)
    results: list[WorkerResult] = []
    cache: dict[tuple[frozenset[str], date], tuple[RuleSet, ...]] = {}
    floor_cache: dict[tuple[object, ...], object] = {}
    for wid, worker in workers.items():
        pieces = by_worker.get(wid, [])
        mine = earn_by_worker.get(wid, [])
        if not pieces and not mine:
            continue
        weeks: dict[date, list[Piece]] = {}
        for p in pieces:
            weeks.setdefault(p.week_start, []).append(p)
        week_earn: dict[date, list[Earning]] = {}
        try:
            for e in mine:
                wk = _earning_week(e, pieces, book, workweek)
                week_earn.setdefault(wk, []).append(e)
                weeks.setdefault(wk, [])
        except NoRulesInForce as exc:
            raise OtError(str(exc), [Problem(f"worker {wid}", f"{exc}: add rules in force on that date")]) from None
        where = (pieces[0].state, pieces[0].location_id) if pieces else ("", None)
        worked_all = sorted((p for p in pieces if p.worked), key=lambda p: (p.start, p.order))
        week_runs: dict[date, list[list[Piece]]] = {}
        for run in runs_of(worked_all):
            week_runs.setdefault(run[0].week_start, []).append(run)
        out: list[WeekResult] = []

        _priced = functools.partial(
            _price_at,
            worker=worker,
            weeks=weeks,
            worked_all=worked_all,
            week_runs=week_runs,
            week_earn=week_earn,
            book=book,
            cache=cache,
            where=where,
            breaks=breaks,
            floor_cache=floor_cache,
            scheduled=(scheduled or _NO_SCHEDULE).get(wid, _NO_DATES),
            short=short,
            excused=(excused or {}).get(wid, _NO_EXCUSES),
        )
        for wk in sorted(weeks):
            if only_weeks is not None and wk not in only_weeks:
                continue
            try:
                out.append(_priced(wk))
            except NoRulesInForce as exc:
                problems.append(Problem(f"worker {wid} week {wk.isoformat()}", f"{exc}: add rules in force then"))
        bonuses = [e for e in mine if allocated(e)]
        if bonuses:
            out = _allocate(out, bonuses, book, workweek, pieces, weeks, _priced)
        results.append(WorkerResult(wid, tuple(out)))
    if problems:
        raise OtError(f"cannot price {len(problems)} week(s): fix them and try again", problems)
    return PayResult(tuple(results), tuple(skipped))
