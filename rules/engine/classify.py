"""Classify a workweek's worked time under every applicable jurisdiction.

The week's worked pieces are laid end to end, in time order, on an *axis* of
worked minutes. Each threshold of each applicable rule set marks the stretches
of that axis it classes OT or DT; then, for every stretch, the most
favourable classification (highest multiplier) wins (``combine:
most_favourable``). On a tie the more specific jurisdiction (the state) wins,
then the earlier rule in the file. The winner and every loser are kept for the
explanation. Each minute gets exactly one class, so no hour is paid twice.

Threshold kinds (``rules.model.Threshold``):

- ``daily``: minutes of one workday beyond ``over`` (Cal. Lab. Code 510).
- ``seventh_day``: on the seventh workday worked in one workweek (every day of
  it), minutes of that day beyond ``over`` (Lab. Code 510; KRS 337.050).
- ``consecutive``: minutes beyond ``over`` in a run of consecutive work, across
  workday boundaries. A run goes on through breaks inside a shift (a duty-free
  meal period is not counted, COMPS Rule 1.9) and into a shift that starts
  when the previous one ends; any other gap ends it (COMPS Rule 4.1.1).
- ``rolling24``: Nevada's "workday" (NRS 608.0126: "a period of 24
  consecutive hours which begins when the employee begins work"): a period
  begins with the first start of work of each workday (a return from a meal
  break in the same workday begins none), and a new period begins even while
  an earlier one is still open; time beyond ``over`` in any period is OT
  (NRS 608.018(1)(b)). This is the reading of the published worked examples
  (a shift of 8 a.m.-4 p.m., then 7:30 a.m.-3:30 p.m. the next day: half an
  hour of OT each day).
- ``rolling24_chained``: the other reading, where periods never overlap: the
  next period begins at the first start of work at or after the open one ends
  (or at its end, when work is going on then).
- ``sunday``: minutes of a workday that is a Sunday beyond ``over`` (R.I.
  Gen. Laws 5-23-2: every hour of it, in retail).
- ``holiday``: minutes of a workday that is a holiday (``holidays``: the
  days kept as holidays where the piece was worked, its state's calendar with
  what it extends) beyond ``over`` (R.I. Gen. Laws 25-3-3; an employer's
  holiday premium). Like daily overtime, a Sunday or holiday hour paid at 1.5x
  is not counted again toward the weekly threshold (29 CFR 778.203: such a
  premium is creditable toward overtime).
- ``weekly``: minutes of the workweek beyond ``over``.

An alternative workweek schedule of a rule set (``AlternativeWorkweek``, Lab.
Code 511(a)) that names the worker moves its daily overtime, on each scheduled
day, to after the hours scheduled (a 4x10: over 10; double time stays over
12); on the days it does not schedule, its own ``other days`` thresholds apply
instead of the daily ones when it gives some (Wage Order 4-2001 section
3(B)(1), as the DLSE reads it: the first 8 hours at 1.5x, over 8 at 2x), else
the daily ones as they are. With ``no_pyramiding``,
  minutes already classed OT/DT by a daily, seventh-day, consecutive or
  rolling-24 rule of *any* applicable jurisdiction are not counted again
  (Lab. Code 510(a); 29 CFR 778.202(c) crediting).

Consecutive and rolling-24 rules look back into the previous week (``prior``
pieces), so a run across the workweek boundary is still one run; the prior
pieces are counted, never classed again. Daily and seventh-day rules count
within the week only: a workday cut by the workweek boundary (a workday start
other than the workweek's) counts each part in its own week.

Conditions: ``RateBelowMinimumWage`` is judged per piece (its own rate against
the jurisdiction's minimum wage on that workday; no minimum wage known: the
condition does not hold), ``WorkerTypeIn`` and ``WorkerInGroup`` on the worker, ``EmployerFlag`` on
the rule set's employer facts, ``WorkweekOver`` on the week's hours worked in
the jurisdiction (KRS 337.050(2)(a)).

Time is in the engine's unit, milliseconds (``ot.core.money``); thresholds in hours
are compared exactly. A worker type in ``no_overtime_worker_types``, or a worker
of a group in ``no_overtime_groups``, gets nothing but straight time from that jurisdiction.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ot.core.money import MS_PER_HOUR
from rules.engine.results import PieceExplanation, RuleRef
from rules.engine.segments import Piece
from rules.model import (
    FEDERAL,
    POLICY,
    AlternativeWorkweek,
    EmployerFlag,
    RateBelowMinimumWage,
    RuleSet,
    Threshold,
    WorkerInGroup,
    WorkerTypeIn,
    WorkweekOver,
)

ONE = Decimal(1)
DAY_MS = 24 * MS_PER_HOUR
REGULAR_LABEL = "regular hours"
_NON_WEEKLY = frozenset({"daily", "seventh_day", "consecutive", "rolling24", "rolling24_chained", "sunday", "holiday"})
_NO_HOLIDAYS: Mapping[str, frozenset[object]] = {}
_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


#: A stretch of one piece with its class: the piece, start and end (epoch ms), winner, losers.
Classed = PieceExplanation


def hours_ms(hours: Decimal) -> int:
    """A threshold in hours as milliseconds (exact)."""
    return int(hours * MS_PER_HOUR)


def regular_ref(rs: RuleSet) -> RuleRef:
    """The plain ``REG`` verdict of a jurisdiction."""
    return RuleRef(rs.jurisdiction, REGULAR_LABEL, rs.source, "REG", ONE)


def threshold_ref(rs: RuleSet, t: Threshold) -> RuleRef:
    """The verdict a threshold gives."""
    label = t.label or f"{t.kind} over {t.over}h"
    return RuleRef(rs.jurisdiction, label, t.source, t.hour_class, t.multiplier)


def beyond(stretches: Sequence[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """The parts of ordered axis stretches beyond the first ``limit`` minutes of them."""
    out: list[tuple[int, int]] = []
    seen = 0
    for lo, hi in stretches:
        length = hi - lo
        if seen >= limit:
            out.append((lo, hi))
        elif seen + length > limit:
            out.append((lo + (limit - seen), hi))
        seen += length
    return out


def subtract(stretches: Sequence[tuple[int, int]], holes: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ordered stretches minus a set of (unordered, possibly overlapping) holes."""
    if not holes:
        return list(stretches)
    hs = sorted(holes)
    out: list[tuple[int, int]] = []
    for lo, hi in stretches:
        cursor = lo
        for h0, h1 in hs:
            if h1 <= cursor or h0 >= hi:
                continue
            if h0 > cursor:
                out.append((cursor, h0))
            cursor = max(cursor, h1)
            if cursor >= hi:
                break
        if cursor < hi:
            out.append((cursor, hi))
    return out


def _employer_holds(rs: RuleSet, cond: EmployerFlag) -> bool:
    facts = dict(rs.employer)
    if cond.name not in facts:
        return False
    fact = facts[cond.name]
    value = cond.value
    if isinstance(value, Decimal) != isinstance(fact, Decimal):
        return False
    return bool(_OPS[cond.op](fact, value))


def _week_conditions_hold(rs: RuleSet, t: Threshold, worker_type: str, worker_id: str, week: Sequence[Piece]) -> bool:
    for cond in t.conditions:
        if isinstance(cond, WorkerTypeIn) and worker_type not in cond.types:
            return False
        if isinstance(cond, WorkerInGroup) and not cond.holds(worker_id):
            return False
        if isinstance(cond, EmployerFlag) and not _employer_holds(rs, cond):
            return False
        if isinstance(cond, WorkweekOver):
            worked = sum(p.end - p.start for p in week if rs.covers(p.state))
            if worked <= hours_ms(cond.hours):
                return False
    return True


def _piece_conditions_hold(rs: RuleSet, t: Threshold, piece: Piece) -> bool:
    for cond in t.conditions:
        if isinstance(cond, RateBelowMinimumWage):
            mw = rs.minimum_wage_on(piece.workday)
            if mw is None or not piece.rate < cond.multiple * mw:
                return False
    return True


def classify_week(
    week: Sequence[Piece],
    prior: Sequence[Piece],
    rule_sets: Sequence[RuleSet],
    worker_type: str,
    holidays: Mapping[str, frozenset[object]] = _NO_HOLIDAYS,
    worker_id: str = "",
) -> list[Classed]:
    """Class every worked minute of one worker's week.

    ``week``: the week's worked pieces, in time order. ``prior``: worked pieces
    of the 48 hours before the week's first one (counted by consecutive and
    rolling-24 rules only, never classed here). ``rule_sets``: the rule sets in force on the week's first day
    of every applicable jurisdiction, ``FEDERAL`` first (employer policies last).
    ``holidays``: by state, the days kept as holidays there (for ``holiday`` thresholds).
    ``worker_id``: whose week it is (a rule set's alternative workweek schedule names workers).
    """
    allp = [*prior, *week]
    offs: list[int] = []
    pos = 0
    for p in allp:
        offs.append(pos)
        pos += p.end - p.start
    first = len(prior)
    week_lo = offs[first] if first < len(allp) else pos

    def applies(rs: RuleSet, p: Piece) -> bool:
        return rs.covers(p.state)

    # (lo, hi, ref, jurisdiction rank, rule order) per classifying threshold.
    marks: list[tuple[int, int, RuleRef, int, int]] = []
    weekly: list[tuple[RuleSet, Threshold, int, int]] = []
    premium: list[tuple[int, int]] = []
    for rank, rs in enumerate(rule_sets):
        if rs.gives_no_overtime(worker_type, worker_id):
            continue
        for order, t in enumerate(rs.thresholds):
            if not _week_conditions_hold(rs, t, worker_type, worker_id, week):
                continue
            if t.kind == "weekly":
                weekly.append((rs, t, rank, order))
                continue
            if rs.jurisdiction == FEDERAL or rs.policy:
                ok = [True] * len(allp)
            else:
                ok = [p.state == rs.jurisdiction for p in allp]
            if t.kind == "sunday":
                ok = [k and p.workday.weekday() == 6 for k, p in zip(ok, allp, strict=True)]
            elif t.kind == "holiday":
                ok = [k and p.workday in holidays.get(p.state, ()) for k, p in zip(ok, allp, strict=True)]
            if any(isinstance(c, RateBelowMinimumWage) for c in t.conditions):
                ok = [k and _piece_conditions_hold(rs, t, p) for k, p in zip(ok, allp, strict=True)]
            aws = rs.alternative_workweek_of(worker_id) if rs.alternative_workweeks else None
            parts = [(t, ok)] if aws is None or t.kind != "daily" else _scheduled_daily(t, aws, allp, ok)
            for t2, ok2 in parts:
                ref = threshold_ref(rs, t2)
                for lo, hi in _threshold_stretches(t2, allp, offs, ok2, first):
                    lo = max(lo, week_lo)
                    if hi > lo:
                        marks.append((lo, hi, ref, rank, order))
                        premium.append((lo, hi))
        aws = rs.alternative_workweek_of(worker_id) if rs.alternative_workweeks else None
        if aws is not None and aws.other_days:
            base = [rs.covers(p.state) and aws.hours_on(p.workday) is None for p in allp]
            for k, t in enumerate(aws.other_days, start=len(rs.thresholds)):
                ref = threshold_ref(rs, t)
                for lo, hi in _threshold_stretches(t, allp, offs, base, first):
                    lo = max(lo, week_lo)
                    if hi > lo:
                        marks.append((lo, hi, ref, rank, k))
                        premium.append((lo, hi))
    for rs, t, rank, order in weekly:
        stretches = [
            (offs[i], offs[i] + allp[i].end - allp[i].start)
            for i in range(first, len(allp))
            if applies(rs, allp[i]) and _piece_conditions_hold(rs, t, allp[i])
        ]
        if rs.no_pyramiding:
            stretches = subtract(stretches, premium)
        ref = threshold_ref(rs, t)
        for lo, hi in beyond(stretches, hours_ms(t.over)):
            marks.append((lo, hi, ref, rank, order))

    return _combine(allp, offs, first, marks, rule_sets, applies)


def _scheduled_daily(
    t: Threshold, aws: AlternativeWorkweek, allp: Sequence[Piece], ok: Sequence[bool]
) -> list[tuple[Threshold, list[bool]]]:
    """A daily threshold under an alternative workweek (Lab. Code 511(a)): on each scheduled day,
    overtime after the hours scheduled when they are more than the threshold's (double time as it
    is); on the other days the threshold as it is, unless the schedule gives the other days their own."""
    out: list[tuple[Threshold, list[bool]]] = []
    scheduled = [aws.hours_on(p.workday) for p in allp]
    for hours in sorted({h for h in scheduled if h is not None}):
        mine = [k and h == hours for k, h in zip(ok, scheduled, strict=True)]
        if t.hour_class == "OT" and hours > t.over:
            label = f"{aws.label}: daily over {format(hours.normalize(), 'f')}h (the scheduled day)"
            out.append((dataclasses.replace(t, over=hours, label=label, source=aws.source), mine))
        else:
            out.append((t, mine))
    if not aws.other_days:
        out.append((t, [k and h is None for k, h in zip(ok, scheduled, strict=True)]))
    return out


def _threshold_stretches(
    t: Threshold, allp: Sequence[Piece], offs: Sequence[int], ok: Sequence[bool], first: int
) -> list[tuple[int, int]]:
    """Axis stretches a non-weekly threshold classes (before clipping to the week)."""
    limit = hours_ms(t.over)
    n = len(allp)
    out: list[tuple[int, int]] = []
    if t.kind in ("daily", "seventh_day", "sunday", "holiday"):
        days: dict[object, list[tuple[int, int]]] = {}
        # A workday the workweek's start cuts in two (a workweek beginning at noon, as a 9/80's does:
        # 29 CFR 778.105) counts its hours before the cut too; the caller clips the stretches to the week.
        start = first
        while t.kind != "seventh_day" and 0 < start < n and allp[start - 1].workday == allp[first].workday:
            start -= 1
        for i in range(start, n):
            if ok[i]:
                p = allp[i]
                days.setdefault(p.workday, []).append((offs[i], offs[i] + p.end - p.start))
        if t.kind == "seventh_day":
            worked_days: list[object] = []
            for i in range(first, n):
                if allp[i].workday not in worked_days:
                    worked_days.append(allp[i].workday)
            if len(worked_days) < 7:
                return []
            seventh = worked_days[6]
            days = {seventh: days.get(seventh, [])}
        for stretches in days.values():
            out.extend(beyond(stretches, limit))
        return out
    if t.kind == "consecutive":
        run: list[tuple[int, int]] = []
        prev: Piece | None = None
        for i in range(n):
            if not ok[i]:
                out.extend(beyond(run, limit))
                run, prev = [], None
                continue
            p = allp[i]
            if prev is not None and not (p.shift_id == prev.shift_id or p.start <= prev.end):
                out.extend(beyond(run, limit))
                run = []
            run.append((offs[i], offs[i] + p.end - p.start))
            prev = p
        out.extend(beyond(run, limit))
        return out
    if t.kind in ("rolling24", "rolling24_chained"):
        for w0 in _period_starts(allp, ok, t.kind == "rolling24_chained"):
            w1 = w0 + DAY_MS
            stretches = []
            for i in range(n):
                p = allp[i]
                if not ok[i] or p.end <= w0 or p.start >= w1:
                    continue
                a, b = max(p.start, w0), min(p.end, w1)
                stretches.append((offs[i] + a - p.start, offs[i] + b - p.start))
            out.extend(beyond(stretches, limit))
        return out
    raise ValueError(f"unknown threshold kind {t.kind!r}")  # pragma: no cover - the model's Literal


def _period_starts(allp: Sequence[Piece], ok: Sequence[bool], chained: bool) -> list[int]:
    """Where Nevada's 24-hour periods begin (NRS 608.0126), in epoch ms.

    A start of work is the start of a run of work (a piece that does not
    continue the one before: not the same shift, and not starting where the
    last ended). ``rolling24``: the first start of work of each workday, each
    beginning a period (periods may overlap). ``rolling24_chained``: the first
    start of work, then the first start at or after the open period's end, or
    that end itself when work is going on then.
    """
    runs: list[tuple[int, int, object]] = []  # (start, end, workday) of each run of work
    prev: Piece | None = None
    for i, p in enumerate(allp):
        if not ok[i]:
            prev = None
            continue
        if prev is not None and (p.shift_id == prev.shift_id or p.start <= prev.end):
            start, _end, day = runs[-1]
            runs[-1] = (start, max(_end, p.end), day)
        else:
            runs.append((p.start, p.end, p.workday))
        prev = p
    if not chained:
        firsts: dict[object, int] = {}
        for start, _end, day in runs:
            firsts.setdefault(day, start)
        return sorted(set(firsts.values()))
    starts: list[int] = []
    open_end: int | None = None
    for start, end, _day in runs:
        while open_end is not None and start < open_end < end:
            # work goes on past the open period's end: the next period begins there
            starts.append(open_end)
            open_end += DAY_MS
        if open_end is None or start >= open_end:
            starts.append(start)
            open_end = start + DAY_MS
            while open_end < end:
                starts.append(open_end)
                open_end += DAY_MS
    return starts


def _combine(
    allp: Sequence[Piece],
    offs: Sequence[int],
    first: int,
    marks: Sequence[tuple[int, int, RuleRef, int, int]],
    rule_sets: Sequence[RuleSet],
    applies: Callable[[RuleSet, Piece], bool],
) -> list[Classed]:
    """Cut the week's axis at every mark's ends and pick each stretch's winner."""
    out: list[Classed] = []
    cuts_all = sorted({m[0] for m in marks} | {m[1] for m in marks})
    regs = [regular_ref(rs) for rs in rule_sets]
    plain: dict[str, tuple[RuleRef, tuple[RuleRef, ...]]] = {}  # per state: the verdict with no mark
    for i in range(first, len(allp)):
        p = allp[i]
        lo = offs[i]
        hi = lo + p.end - p.start
        if hi == lo:
            continue
        here = [m for m in marks if m[0] < hi and m[1] > lo]
        if not here:
            known = plain.get(p.state)
            if known is None:
                cands = [(regs[r], r) for r, rs in enumerate(rule_sets) if applies(rs, p)]
                # all REG: the most specific jurisdiction of the law (a policy's regular hours never name it)
                top = max(cands, key=lambda v: (not rule_sets[v[1]].policy, v[1]))
                known = plain[p.state] = (top[0], tuple(v[0] for v in cands if v is not top))
            out.append(Classed(p, p.start, p.end, known[0], known[1]))
            continue
        ranks = [r for r, rs in enumerate(rule_sets) if applies(rs, p)]
        cuts = [lo, *(c for c in cuts_all if lo < c < hi), hi]
        for a, b in itertools.pairwise(cuts):
            covering = [m for m in here if m[0] <= a and m[1] >= b]
            verdicts: list[tuple[RuleRef, int, int]] = []  # (ref, rank, order)
            for rank in ranks:
                mine = [m for m in covering if m[3] == rank]
                if mine:
                    for m in mine:
                        verdicts.append((m[2], rank, m[4]))
                else:
                    verdicts.append((regs[rank], rank, -1))
            # Highest multiplier; then the law before an employer's policy; then the more specific
            # jurisdiction; then file order.
            best = max(verdicts, key=lambda v: (v[0].multiplier, v[0].jurisdiction != POLICY, v[1], -v[2]))
            losers = tuple(v[0] for v in verdicts if v is not best)
            out.append(Classed(p, p.start + (a - lo), p.start + (b - lo), best[0], losers))
    return out


@dataclass(frozen=True, slots=True)
class DailyTable:
    """One rule set's daily thresholds compiled to whole minutes.

    Attributes:
        cuts: (from minute of the day, class) in order, the first from 0 ``REG``;
            each class is the most favourable among the thresholds passed.
    """

    cuts: tuple[tuple[int, str], ...]


def compile_daily(thresholds: Sequence[Threshold]) -> DailyTable:
    """Compile the ``daily`` thresholds (conditions ignored) into a :class:`DailyTable` (minutes)."""
    daily = sorted((int(t.over * 60), t.multiplier, t.hour_class) for t in thresholds if t.kind == "daily")
    cuts: list[tuple[int, str]] = [(0, "REG")]
    best = ONE
    for limit, mult, cls in daily:
        if mult > best:
            best = mult
            if cuts[-1][0] == limit:
                cuts[-1] = (limit, cls)
            else:
                cuts.append((limit, cls))
    return DailyTable(tuple(cuts))


def daily_split(minutes: int, table: DailyTable) -> dict[str, int]:
    """REG/OT/DT minutes of one workday of ``minutes`` under daily thresholds alone.

    The same classification :func:`classify_week` makes for a workday with no
    other rule in play (tests/engine prove they agree); the benchmark compares it,
    like with like, with a decision table in zen-engine.
    """
    out = {"REG": 0, "OT": 0, "DT": 0}
    cuts = table.cuts
    n = len(cuts)
    for k in range(n):
        start, cls = cuts[k]
        if start >= minutes:
            break
        stop = cuts[k + 1][0] if k + 1 < n else minutes
        out[cls] += (stop if stop < minutes else minutes) - start
    return out
