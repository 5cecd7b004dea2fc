"""Meal- and rest-period premiums (Cal. Lab. Code 512, 226.7; IWC orders section 11-12).

Per workday and per applicable jurisdiction with a ``MealRule``:

- A run of work (one shift, or shifts that follow each other with no gap)
  belongs to the workday it began on, so an overnight shift's work period is
  judged whole (a 20:00-04:30 shift is one 8.5-hour work period, not 4 + 4.5).
  Runs are taken within one workweek.

- The day's work period is its worked minutes. A meal period is any gap of at
  least ``minimum_minutes`` between two stretches of worked time that day: an
  unpaid break (of one of ``MealRule.break_types`` when the rule names some:
  ``taken as MEAL or DEFAULT_UNPAID``), or the time off the clock between two
  shifts of the day. A short break counted as worked is no gap.
- When the work period exceeds ``first_after_hours``, a meal period must start
  by the end of hour ``first_by_hour`` of work (worked minutes before it <=
  ``first_by_hour`` x 60). When it exceeds ``second_after_hours``, a second
  meal period must start by the end of hour ``second_by_hour``.
- A shift's ``meal_waiver`` waives the first when the work period is at most
  ``first_waivable_up_to_hours``, the second when it is at most
  ``second_waivable_up_to_hours`` and the first was taken (not waived).
- Each missed or late meal period owes ``premium_hours`` at the regular rate,
  at most ``max_premiums_per_day`` of them per workday.
- Hours-only entries carry no punches, so they are no evidence of a missed
  meal: a day with an hours-only entry owes no meal premium.

Rest (``RestRule``): a workday whose work period exceeds ``min_shift_hours``
and one of whose shifts records ``rest_missed`` in its exceptions owes one
rest premium of ``premium_hours``. The engine cannot see rest periods in
punches (they are paid time), so the record of a missed one is the evidence.

Where several jurisdictions have a rule, the one owing the most wins. Workers
of a type in ``no_overtime_worker_types`` (1099) are owed no premiums.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ot.money import ZERO
from rules.engine.segments import Piece
from rules.model import FEDERAL, MealRule, RuleSet, Source


@dataclass(frozen=True)
class Premium:
    """A premium owed on one workday.

    Attributes:
        workday: The local workday.
        kind: ``meal`` or ``rest``.
        hours: Premium hours at the regular rate.
        jurisdiction: Of the rule.
        label: The rule's label.
        source: Where the rule is written.
        state: Tax jurisdiction (the day's first piece's state).
        location_id: The day's first piece's location.
        shift_ids: The day's shifts.
        why: Plain words for the explanation.
    """

    workday: date
    kind: str
    hours: Decimal
    jurisdiction: str
    label: str
    source: Source
    state: str
    location_id: str | None
    shift_ids: tuple[str, ...]
    why: str


def _meal_missed(rule: MealRule, day: Sequence[Piece]) -> tuple[int, str]:
    """Missed or late meal periods of one workday under one rule, and why."""
    total = sum(p.end - p.start for p in day)
    need1 = total > rule.first_after_hours * 60
    if not need1:
        return 0, ""
    meals: list[int] = []  # worked minutes before each qualifying meal period
    worked = 0
    for prev, nxt in itertools.pairwise(day):
        worked += prev.end - prev.start
        if nxt.start - prev.end < rule.minimum_minutes:
            continue
        if nxt.shift_id == prev.shift_id and rule.break_types and nxt.after_break not in rule.break_types:
            continue  # a break of a type that is not a meal period (``taken as``)
        meals.append(worked)
    waiver = any(p.meal_waiver for p in day)
    hours = f"{Decimal(total) / 60:.2f}"
    missed = 0
    why: list[str] = []
    first_ok = any(m <= rule.first_by_hour * 60 for m in meals)
    waived1 = waiver and rule.first_waivable_up_to_hours is not None and total <= rule.first_waivable_up_to_hours * 60
    if not first_ok and not waived1:
        missed += 1
        why.append(
            f"no meal period of {rule.minimum_minutes} min starting by the end of hour {rule.first_by_hour} "
            f"in a work period of {hours} h"
        )
    if rule.second_after_hours is not None and rule.second_by_hour is not None and total > rule.second_after_hours * 60:
        in_time = [m for m in meals if m <= rule.second_by_hour * 60]
        second_ok = len(in_time) >= 2 or (waived1 and len(in_time) >= 1)
        waived2 = (
            waiver
            and not waived1
            and first_ok
            and rule.second_waivable_up_to_hours is not None
            and total <= rule.second_waivable_up_to_hours * 60
        )
        if not second_ok and not waived2:
            missed += 1
            why.append(f"no second meal period starting by the end of hour {rule.second_by_hour}")
    return min(missed, rule.max_premiums_per_day), "; ".join(why)


def premiums_owed(week: Sequence[Piece], rule_sets: Sequence[RuleSet], worker_type: str) -> list[Premium]:
    """Meal and rest premiums owed in one week's worked pieces (time order)."""
    days: dict[date, list[Piece]] = {}
    prev: Piece | None = None
    day = week[0].workday if week else None
    for p in week:
        # A run of work (one shift, or shifts end to end) belongs to the workday it began on.
        if prev is None or not (p.shift_id == prev.shift_id or p.start <= prev.end):
            day = p.workday
        assert day is not None
        days.setdefault(day, []).append(p)
        prev = p
    out: list[Premium] = []
    for workday, pieces in days.items():
        ids = tuple(dict.fromkeys(p.shift_id for p in pieces))
        first = pieces[0]
        meal_best: Premium | None = None
        rest_best: Premium | None = None
        for rs in rule_sets:
            if worker_type in rs.no_overtime_worker_types:
                continue
            mine = [p for p in pieces if rs.jurisdiction == FEDERAL or p.state == rs.jurisdiction]
            if not mine:
                continue
            if rs.meal is not None and not any(p.hours_only for p in mine):
                count, why = _meal_missed(rs.meal, mine)
                hours = rs.meal.premium_hours * count
                if count and (meal_best is None or hours > meal_best.hours):
                    meal_best = Premium(
                        workday, "meal", hours, rs.jurisdiction, rs.meal.label or "meal period premium",
                        rs.meal.source, first.state, first.location_id, ids, why,
                    )  # fmt: skip
            rest = rs.rest
            if rest is not None and any(p.rest_missed for p in mine):
                total = sum(p.end - p.start for p in mine)
                if total > rest.min_shift_hours * 60 and (rest_best is None or rest.premium_hours > rest_best.hours):
                    rest_best = Premium(
                        workday, "rest", rest.premium_hours, rs.jurisdiction, rest.label or "rest period premium",
                        rest.source, first.state, first.location_id, ids,
                        "a rest period was recorded as missed",
                    )  # fmt: skip
        out.extend(p for p in (meal_best, rest_best) if p is not None and p.hours > ZERO)
    return out
