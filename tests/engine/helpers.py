"""Small constructors for engine tests: workers and shifts from local wall times."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ot.core.domain import BreakSegment, RateChange, Shift, Worker
from ot.core.timez import STATE_ZONES, parse_local
from rules.engine import PayResult, WeekResult


def worker(wid: str = "w1", rate: str = "20.00", kind: str = "W2") -> Worker:
    """A worker with one profile rate since 2000."""
    return Worker(wid, wid, kind, (RateChange(date(2000, 1, 1), Decimal(rate)),), "", None, "worker")


def shift(
    start: str,
    end: str,
    *,
    state: str = "TX",
    wid: str = "w1",
    sid: str | None = None,
    rate: str | None = None,
    breaks: Sequence[tuple[str, str]] = (),
    paid_breaks: Sequence[tuple[str, str]] = (),
    tz: str | None = None,
    pay_type: str = "REGULAR",
    meal_waiver: bool = False,
    exceptions: tuple[str, ...] = (),
) -> Shift:
    """A punched shift; times are local wall times ``YYYY-MM-DDTHH:MM`` in the state's zone."""
    zone = tz or STATE_ZONES[state]
    brks = tuple(BreakSegment(parse_local(a, zone), parse_local(b, zone)) for a, b in breaks) + tuple(
        BreakSegment(parse_local(a, zone), parse_local(b, zone), paid=True) for a, b in paid_breaks
    )
    return Shift(
        sid or f"{wid}:{start}",
        wid,
        parse_local(start, zone),
        parse_local(end, zone),
        zone,
        state,
        rate=Decimal(rate) if rate is not None else None,
        breaks=tuple(sorted(brks, key=lambda b: b.start)),
        pay_type=pay_type,
        meal_waiver=meal_waiver,
        exceptions=exceptions,
    )


def hours(
    day: str, hrs: str, *, state: str = "TX", wid: str = "w1", pay_type: str = "REGULAR", rate: str | None = None
) -> Shift:
    """An hours-only entry (its exact hours; ``minutes`` only for displays)."""
    minutes = int(Decimal(hrs) * 60)
    return Shift(
        f"{wid}:{day}:{pay_type}",
        wid,
        None,
        None,
        STATE_ZONES[state],
        state,
        rate=Decimal(rate) if rate is not None else None,
        pay_type=pay_type,
        day=date.fromisoformat(day),
        minutes=minutes,
        hours=Decimal(hrs),
    )


def only_week(result: PayResult) -> WeekResult:
    """The single week of the single worker of a result."""
    weeks = result.weeks()
    assert len(weeks) == 1, [w.week_start for w in weeks]
    return weeks[0]


def amounts(week: WeekResult, cls: str) -> Decimal:
    """Sum of the line amounts of one class."""
    return sum((ln.amount for ln in week.lines if ln.hour_class == cls), Decimal(0))


def line_hours(week: WeekResult, cls: str) -> Decimal:
    """Sum of the line hours of one class."""
    return sum((ln.hours for ln in week.lines if ln.hour_class == cls), Decimal(0))
