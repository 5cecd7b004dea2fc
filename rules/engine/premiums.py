"""Meal- and rest-period premiums (Cal. Lab. Code 512, 226.7; IWC orders section 11-12).

Per workday and per applicable jurisdiction with a ``MealRule``:

- A run of work (one shift, or shifts that follow each other with no gap)
  belongs to the workday it began on, so an overnight shift's work period is
  judged whole (a 20:00-04:30 shift is one 8.5-hour work period, not 4 + 4.5),
  and to the workweek of that workday, even when it ends in the next workweek
  (Sat 21:00 - Sun 03:00 owes its premium like Fri 21:00 - Sat 03:00 does).

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
owes ``rest_required`` rest periods (one per ``per_hours`` worked or major
fraction: IWC orders section 12; Brinker Restaurant Corp. v. Superior Court
(2012) 53 Cal.4th 1004: 10 minutes for 3.5 to 6 hours, 20 for more than 6 up
to 10...). One rest premium of ``premium_hours`` is owed when the rule's
evidence shows one was missed: the worker's attestation at clock-out
(``rest-missed``; ``rest-taken`` says none was), or, where no answer was
recorded that day, fewer rest breaks punched (of the rule's break types, each at
least ``minutes`` long) than required. Hours-only entries are no evidence
either way.

Where several jurisdictions have a rule, the one owing the most wins. Workers
of a type in ``no_overtime_worker_types`` (1099) are owed no premiums.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ot.core.money import MS_PER_HOUR, MS_PER_MINUTE, ZERO
from rules.engine.segments import Piece
from rules.model import MealRule, RestRule, RuleSet, Source

#: A break as the rest rule sees it: (start ms, end ms, type code, paid).
BreakSpan = tuple[int, int, str, bool]
_NONE: frozenset[str] = frozenset()


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
        rate: What each premium hour is paid, or None for the week's regular rate (meal and rest:
            Ferra v. Loews Hollywood Hotel, LLC (2021) 11 Cal.5th 858, the regular rate of pay).
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
    rate: Decimal | None = None


_LIMITS: dict[int, tuple[MealRule, tuple[int, int, int, int | None, int | None, int | None, int | None]]] = {}


def _limits(rule: MealRule) -> tuple[int, int, int, int | None, int | None, int | None, int | None]:
    """A meal rule's hours as whole milliseconds (memoised by identity: rule sets live for the call)."""
    found = _LIMITS.get(id(rule))
    if found is None or found[0] is not rule:

        def ms(hours: Decimal | None) -> int | None:
            return None if hours is None else int(hours * MS_PER_HOUR)

        limits = (
            int(rule.first_after_hours * MS_PER_HOUR),
            int(rule.first_by_hour * MS_PER_HOUR),
            rule.minimum_minutes * MS_PER_MINUTE,
            ms(rule.second_after_hours),
            ms(rule.second_by_hour),
            ms(rule.first_waivable_up_to_hours),
            ms(rule.second_waivable_up_to_hours),
        )
        found = _LIMITS[id(rule)] = (rule, limits)
    return found[1]


def _meal_missed(rule: MealRule, day: Sequence[Piece]) -> tuple[int, str]:
    """Missed or late meal periods of one workday under one rule, and why."""
    first_after, first_by, min_gap, second_after, second_by, waive1, waive2 = _limits(rule)
    total = sum(p.end - p.start for p in day)
    need1 = total > first_after
    if not need1:
        return 0, ""
    meals: list[int] = []  # worked minutes before each qualifying meal period
    worked = 0
    for prev, nxt in itertools.pairwise(day):
        worked += prev.end - prev.start
        if nxt.start - prev.end < min_gap:
            continue
        if nxt.shift_id == prev.shift_id and rule.break_types and nxt.after_break not in rule.break_types:
            continue  # a break of a type that is not a meal period (``taken as``)
        meals.append(worked)
    waiver = any(p.meal_waiver for p in day)
    hours = f"{Decimal(total) / MS_PER_HOUR:.2f}"
    missed = 0
    why: list[str] = []
    first_ok = any(m <= first_by for m in meals)
    waived1 = waiver and waive1 is not None and total <= waive1
    if not first_ok and not waived1:
        missed += 1
        why.append(
            f"no meal period of {rule.minimum_minutes} min starting by the end of hour {rule.first_by_hour} "
            f"in a work period of {hours} h"
        )
    if second_after is not None and second_by is not None and total > second_after:
        in_time = [m for m in meals if m <= second_by]
        second_ok = len(in_time) >= 2 or (waived1 and len(in_time) >= 1)
        waived2 = waiver and not waived1 and first_ok and waive2 is not None and total <= waive2
        if not second_ok and not waived2:
            missed += 1
            why.append(f"no second meal period starting by the end of hour {rule.second_by_hour}")
    return min(missed, rule.max_premiums_per_day), "; ".join(why)


def rest_required(rule: RestRule, worked_ms: int) -> int:
    """Rest periods a work period of ``worked_ms`` earns: one per ``per_hours`` or major fraction
    (more than half of it), none up to ``min_shift_hours``."""
    if worked_ms <= rule.min_shift_hours * MS_PER_HOUR:
        return 0
    per = int(rule.per_hours * MS_PER_HOUR)
    whole, rest = divmod(worked_ms, per)
    return max(whole + (1 if 2 * rest > per else 0), 1)


def _rest_missed(
    rule: RestRule,
    day: Sequence[Piece],
    breaks: Mapping[str, Sequence[BreakSpan]],
    paid_codes: frozenset[str],
) -> str | None:
    """Why a rest premium is owed on a workday under one rule, or None."""
    answers = {p.rest for p in day if p.rest is not None}
    if not answers and "breaks" not in rule.evidence:
        return None  # nothing recorded, and punches are no evidence under this rule
    total = sum(p.end - p.start for p in day)
    owed = rest_required(rule, total)
    if owed == 0:
        return None
    if "attestation" in rule.evidence and answers:
        if "rest-missed" in answers:
            return "the worker attested at clock-out that a rest period was missed"
        return None
    if "breaks" not in rule.evidence or any(p.hours_only for p in day):
        return None
    lo, hi = day[0].start, max(p.end for p in day)
    taken = 0
    for sid in dict.fromkeys(p.shift_id for p in day):
        for b0, b1, code, paid in breaks.get(sid, ()):
            if b1 <= lo or b0 >= hi or b1 - b0 < rule.minutes * MS_PER_MINUTE:
                continue
            if rule.break_types:
                if code in rule.break_types:
                    taken += 1
            elif paid or code in paid_codes:
                taken += 1
    if taken >= owed:
        return None
    hours = f"{Decimal(total) / MS_PER_HOUR:.2f}"
    return (
        f"{owed} rest period(s) of {rule.minutes} min owed in a work period of {hours} h; {taken} rest break(s) punched"
    )


def runs_of(pieces: Sequence[Piece]) -> list[list[Piece]]:
    """Runs of work in time-ordered worked pieces: one shift, or shifts that follow each other with no gap."""
    runs: list[list[Piece]] = []
    prev: Piece | None = None
    for p in pieces:
        if prev is None or not (p.shift_id == prev.shift_id or p.start <= prev.end):
            runs.append([])
        runs[-1].append(p)
        prev = p
    return runs


def premiums_owed(
    runs: Sequence[Sequence[Piece]],
    rule_sets: Sequence[RuleSet],
    worker_type: str,
    breaks: Mapping[str, Sequence[BreakSpan]] | None = None,
) -> list[Premium]:
    """Meal and rest premiums owed for the runs of work that begin in one week (time order).

    Each run belongs to the workday its first piece is on; its pieces in the
    next week are part of it (the premium is owed in the week the run began).
    ``breaks``: each shift's breaks, for rest rules whose evidence is breaks.
    """
    days: dict[date, list[Piece]] = {}
    for run in runs:
        if run:
            days.setdefault(run[0].workday, []).extend(run)
    out: list[Premium] = []
    for workday, pieces in days.items():
        ids = tuple(dict.fromkeys(p.shift_id for p in pieces))
        first = pieces[0]
        meal_best: Premium | None = None
        rest_best: Premium | None = None
        for rs in rule_sets:
            if worker_type in rs.no_overtime_worker_types:
                continue
            mine = [p for p in pieces if rs.covers(p.state)]
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
            if rest is not None and (rest_best is None or rest.premium_hours > rest_best.hours):
                paid = frozenset(bt.code for bt in rs.break_types if bt.paid) if "breaks" in rest.evidence else _NONE
                why_rest = _rest_missed(rest, mine, breaks or {}, paid)
                if why_rest is not None:
                    rest_best = Premium(
                        workday, "rest", rest.premium_hours, rs.jurisdiction, rest.label or "rest period premium",
                        rest.source, first.state, first.location_id, ids, why_rest,
                    )  # fmt: skip
        out.extend(p for p in (meal_best, rest_best) if p is not None and p.hours > ZERO)
    return out
