"""From priced workweeks to a pay stub (pure: no ledger, no clock).

The engine prices whole workweeks (29 CFR 778.104: each workweek stands
alone); a pay period takes the lines of those weeks dated inside it. A
workweek that straddles two periods (always possible with semi-monthly
periods) is priced once as a whole, and each of its lines goes to the period of
its own date, so overtime is paid in the period of the day it was earned.

Rates in effect: the own rate of every hour-bearing line (REG, OT, DT and paid
leave) with the hours paid at it. A display rate set on the shifts of those
lines is shown beside it; when shifts at one rate set different display rates,
each display rate gets its own row (the hours of a line that merges shifts with
different display rates go to the first of them: a line does not say how its
hours split between its shifts).

Where no shift sets a display rate, the worker's own display rate (the workers
import's ``display_rate`` column) is shown; where neither does, the display
rate policy fills the column
(:data:`DISPLAY_POLICIES`): ``none`` leaves it blank, ``profile`` shows the
worker's profile rate on the line's date, ``regular_rate`` the regular rate of
the line's workweek (29 CFR 778.109). A display rate is never used for money.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Literal, get_args

from ot.core.domain import Location, Worker
from ot.core.money import ZERO
from ot.core.periods import PayPeriod
from ot.stubs.model import (
    EARNING_CLASSES,
    CorrectionEntry,
    Employer,
    PayStub,
    RateInEffect,
    StubLine,
    WeekRate,
    make_stub,
)
from rules.engine.results import PayLine, WeekResult

DisplayPolicy = Literal["none", "profile", "regular_rate"]
#: How the stub fills the Display rate column where no shift sets a display rate.
DISPLAY_POLICIES: tuple[str, ...] = get_args(DisplayPolicy)
#: The policy a payroll admin expects: the worker's own profile rate, the rate
#: they were hired at, beside the rate each hour was paid at.
DEFAULT_DISPLAY_POLICY: DisplayPolicy = "profile"
#: Where a display rate came from, as :attr:`RateInEffect.display_from` records it.
DISPLAY_SET = "shift"
DISPLAY_WORKER = "worker"

#: A line's display rate when its shifts set none, and where it comes from.
DisplayFallback = Callable[[PayLine], tuple[Decimal | None, str]]

#: Classes whose hours are paid at the line's own rate (rates in effect).
RATE_CLASSES: frozenset[str] = frozenset({"REG", "OT", "DT", "PTO", "SICK", "HOLIDAY"})
_EARNINGS = frozenset(EARNING_CLASSES)


def stub_line(line: PayLine, locations: Mapping[str, Location]) -> StubLine:
    """A stub line of an engine pay line (the rate per hour it is paid at: rate x multiplier to 4 places)."""
    location = locations.get(line.location_id) if line.location_id else None
    per_hour = line.rate if line.hour_class in _EARNINGS else line.per_hour
    return StubLine(
        day=line.date,
        hour_class=line.hour_class,
        hours=line.hours,
        rate=per_hour,
        amount=line.amount,
        location_id=line.location_id,
        location_name=location.name if location else "",
        state=line.state,
        multiplier=line.multiplier,
        rule=line.rule,
        carry=line.carry,
    )


def _no_fallback(line: PayLine) -> tuple[Decimal | None, str]:
    return (None, "")


def display_fallback(policy: str, worker: Worker, weeks: Iterable[WeekResult]) -> DisplayFallback:
    """The display rate of a line whose shifts set none: the worker's own display
    rate when the roster sets one, else the one ``policy`` gives.

    Raises ValueError for a policy not in :data:`DISPLAY_POLICIES`.
    """
    if policy not in DISPLAY_POLICIES:
        raise ValueError(f"unknown display rate policy {policy!r}: use one of {', '.join(DISPLAY_POLICIES)}")
    if worker.display_rate is not None:
        own = worker.display_rate
        return lambda line: (own, DISPLAY_WORKER)
    if policy == "none":
        return _no_fallback
    if policy == "profile":
        return lambda line: (worker.rate_on(line.date), "profile")
    if policy == "regular_rate":
        by_date = {ln.date: w.regular_rate for w in weeks if w.hours_worked > 0 for ln in w.lines}
        return lambda line: (by_date.get(line.date), "regular_rate")
    raise ValueError(f"unknown display rate policy {policy!r}: use one of {', '.join(DISPLAY_POLICIES)}")


def rates_in_effect(
    lines: Iterable[PayLine], display_rates: Mapping[str, Decimal], fallback: DisplayFallback = _no_fallback
) -> tuple[RateInEffect, ...]:
    """Hours paid at each own rate (and display rate) among ``lines``: the display
    rate a shift sets, else the one ``fallback`` (the policy) gives."""
    acc: dict[tuple[Decimal, Decimal | None, str], Decimal] = {}
    for line in lines:
        if line.hour_class not in RATE_CLASSES:
            continue
        shown = [display_rates[s] for s in line.shift_ids if s in display_rates]
        display, source = (shown[0], DISPLAY_SET) if shown else fallback(line)
        key = (line.rate, display, source if display is not None else "")
        acc[key] = acc.get(key, ZERO) + line.hours
    return tuple(RateInEffect(rate, hours, display, source) for (rate, display, source), hours in acc.items())


def lines_in(weeks: Iterable[WeekResult], start: date, end: date) -> list[tuple[WeekResult, PayLine]]:
    """Every (week, line) whose line is dated ``start``..``end``."""
    return [(week, line) for week in weeks for line in week.lines if start <= line.date <= end]


def stub_from_weeks(
    *,
    employer: Employer,
    worker: Worker,
    period: PayPeriod,
    weeks: Iterable[WeekResult],
    locations: Mapping[str, Location],
    display_rates: Mapping[str, Decimal] | None = None,
    display_policy: str = "none",
    corrections: Iterable[CorrectionEntry] = (),
    notes: Iterable[str] = (),
) -> PayStub:
    """The pay stub of ``worker`` for ``period`` from the priced weeks that overlap it."""
    weeks = tuple(weeks)
    kept = lines_in(weeks, period.start, period.end)
    pay_lines = [line for _, line in kept]
    week_rates: dict[date, Decimal] = {}
    for week, _ in kept:
        if week.hours_worked > 0:
            week_rates[week.week_start] = week.regular_rate
    return make_stub(
        employer=employer,
        worker_id=worker.worker_id,
        worker_name=worker.name,
        worker_type=worker.type,
        period=period,
        lines=[stub_line(line, locations) for line in pay_lines],
        rates=rates_in_effect(pay_lines, display_rates or {}, display_fallback(display_policy, worker, weeks)),
        week_rates=[WeekRate(start, rate) for start, rate in week_rates.items()],
        corrections=corrections,
        notes=notes,
    )
