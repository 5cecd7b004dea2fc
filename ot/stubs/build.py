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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from ot.domain import Location, Worker
from ot.money import ZERO
from ot.periods import PayPeriod
from ot.stubs.model import (
    CorrectionEntry,
    Employer,
    PayStub,
    RateInEffect,
    StubLine,
    WeekRate,
    make_stub,
)
from rules.engine.results import PayLine, WeekResult

#: Classes whose hours are paid at the line's own rate (rates in effect).
RATE_CLASSES: frozenset[str] = frozenset({"REG", "OT", "DT", "PTO", "SICK", "HOLIDAY"})
_EARNINGS = frozenset({"BONUS", "COMMISSION", "PIECE"})


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


def rates_in_effect(lines: Iterable[PayLine], display_rates: Mapping[str, Decimal]) -> tuple[RateInEffect, ...]:
    """Hours paid at each own rate (and display rate) among ``lines``."""
    acc: dict[tuple[Decimal, Decimal | None], Decimal] = {}
    for line in lines:
        if line.hour_class not in RATE_CLASSES:
            continue
        shown = [display_rates[s] for s in line.shift_ids if s in display_rates]
        key = (line.rate, shown[0] if shown else None)
        acc[key] = acc.get(key, ZERO) + line.hours
    return tuple(RateInEffect(rate, hours, display) for (rate, display), hours in acc.items())


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
    corrections: Iterable[CorrectionEntry] = (),
    notes: Iterable[str] = (),
) -> PayStub:
    """The pay stub of ``worker`` for ``period`` from the priced weeks that overlap it."""
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
        rates=rates_in_effect(pay_lines, display_rates or {}),
        week_rates=[WeekRate(start, rate) for start, rate in week_rates.items()],
        corrections=corrections,
        notes=notes,
    )
