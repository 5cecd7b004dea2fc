"""Premiums at the minimum wage owed on a workday: split shift and spread of hours.

- Split shift (IWC Wage Order 4-2001 section 4(C), the same in the other
  orders): "when an employee works a split shift, one (1) hour's pay at the
  minimum wage shall be paid in addition to the minimum wage for that
  workday". A split shift is a schedule "interrupted by non-paid non-working
  periods established by the employer, other than bona fide rest or meal
  periods" (section 2). Here: a gap of more than the rule's minutes between two
  stretches of the workday's work (off the clock, or an unpaid break), so a
  meal period up to that long is bona fide (DLSE Enforcement Manual 45.2.1: a
  meal period of more than one hour is a split shift, unless the worker asks
  for it).
- Spread of hours (12 NYCRR 142-2.4, 142-2.18): "one hour's pay at the basic
  minimum hourly wage rate, in addition to the minimum wage required", on a
  day whose spread (first start of work to the last end, breaks and time off
  included) exceeds the rule's hours.

With ``offset`` (``, less wages above minimum``), what the day's straight-time
pay earned above the minimum wage is set against the premium (DLSE Enforcement
Manual 45.2.4; the Labor Commissioner's minimum wage FAQ: $12 an hour for six
hours against a $11 minimum owes $77 - $72 = $5; the New York DOL reads
"in addition to the minimum wage" the same way for 142-2.4). Without it the
whole hour is owed whatever the rate (12 NYCRR 146-1.6(d), hospitality). Both
readings are expressible; the shipped rules write the offset where the agency
says so.

A run of work (a shift, or shifts that follow each other with no gap) belongs whole to the
workday it began on, as meal periods do (``rules.engine.premiums``): a night shift of 22:00-06:30
after one that ended at 06:30 is not a split of the second workday. The minimum wage is the highest
in force where the day's first work is
(state or local: the Labor Commissioner's FAQ since 2018, whichever is
greater). At most one such premium is owed a workday, the largest (142-2.4(c):
a split shift and a spread over 10 hours on one day owe one hour). Hours-only
entries have no punches, so they are no evidence of a gap or a spread: a day
with one owes none. Workers a jurisdiction gives no overtime (1099) are owed
none. The premium is not pay for hours worked and is left out of the regular
rate, as the meal and rest premiums are.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from ot.core.money import MS_PER_HOUR, MS_PER_MINUTE, ZERO, cents, rate4
from rules.engine.floor import Floor
from rules.engine.premiums import Premium
from rules.engine.segments import Piece
from rules.model import DayPremium, RuleSet

FloorOf = Callable[[date, str, str | None, str | None], tuple[Floor | None, Floor | None]]


def _hours(ms: int) -> str:
    return f"{Decimal(ms) / MS_PER_HOUR:.2f}"


def _why_split(rule: DayPremium, day: Sequence[Piece]) -> str | None:
    """Why the day is a split shift under ``rule``, or None."""
    assert rule.gap_minutes is not None
    limit = rule.gap_minutes * MS_PER_MINUTE
    longest = max((b.start - a.end for a, b in itertools.pairwise(day)), default=0)
    if longest <= limit:
        return None
    return f"{_hours(longest)} h off work between two stretches of the workday (more than {rule.gap_minutes} min)"


def _why_spread(rule: DayPremium, day: Sequence[Piece]) -> str | None:
    """Why the day's spread of hours is over the rule's, or None."""
    assert rule.spread_over is not None
    spread = max(p.end for p in day) - day[0].start
    if spread <= rule.spread_over * MS_PER_HOUR:
        return None
    return f"a spread of {_hours(spread)} h from the first start of work to the last end (over {rule.spread_over}h)"


def days_of(runs: Sequence[Sequence[Piece]]) -> dict[date, list[Piece]]:
    """The worked pieces of each workday, a run of work (a shift, or shifts that follow each other with
    no gap) belonging whole to the workday it began on, as the meal-period rule reads it
    (``rules.engine.premiums``): an overnight shift is one stretch of its first workday, not the start
    of a split in the next."""
    days: dict[date, list[Piece]] = {}
    for run in runs:
        if run:
            days.setdefault(run[0].workday, []).extend(run)
    return days


def day_premiums_owed(
    runs: Sequence[Sequence[Piece]], rule_sets: Sequence[RuleSet], worker_type: str, floor_of: FloorOf
) -> list[Premium]:
    """Split-shift and spread-of-hours premiums of the runs of work that begin in one week (time order)."""
    days = days_of(runs)
    out: list[Premium] = []
    for workday, day in days.items():
        if any(p.hours_only for p in day):
            continue
        first = day[0]
        best: tuple[Decimal, Premium] | None = None
        for rs in rule_sets:
            if not rs.day_premiums or worker_type in rs.no_overtime_worker_types:
                continue
            mine = [p for p in day if rs.covers(p.state)]
            if not mine:
                continue
            hourly, weekly = floor_of(workday, mine[0].state, mine[0].city, mine[0].county)
            floors = [f for f in (hourly, weekly) if f is not None]
            if not floors:
                continue  # no minimum wage known there: nothing to price the hour at
            floor = max(floors, key=lambda f: f.amount)
            minimum = floor.amount
            for rule in rs.day_premiums:
                why = _why_split(rule, mine) if rule.kind == "split_shift" else _why_spread(rule, mine)
                if why is None:
                    continue
                full = cents(rule.hours * minimum)
                owed = full
                text = f"{why}; {rule.hours}h at the {floor.label} ${minimum} = ${full}"
                if rule.offset:
                    above = sum(
                        ((p.rate - minimum) * (p.end - p.start) for p in mine if p.rate > minimum),
                        ZERO,
                    )
                    above = cents(above / MS_PER_HOUR)
                    owed = max(full - above, ZERO)
                    text += f", less ${above} earned above the minimum that day = ${owed}"
                if owed <= ZERO or (best is not None and owed <= best[0]):
                    continue
                prem = Premium(
                    workday, rule.kind, rule.hours, rs.jurisdiction, rule.label, rule.source,
                    first.state, first.location_id, tuple(dict.fromkeys(p.shift_id for p in day)), text,
                    rate4(owed / rule.hours),
                )  # fmt: skip
                best = (owed, prem)
        if best is not None:
            out.append(best[1])
    return out


__all__ = ["day_premiums_owed"]
