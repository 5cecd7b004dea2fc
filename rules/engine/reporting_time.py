"""Reporting-time pay (IWC Wage Order 4-2001 section 5, the same in the other orders).

(A) "Each workday an employee is required to report for work and does report, but is not put to
work or is furnished less than half said employee's usual or scheduled day's work, the employee
shall be paid for half the usual or scheduled day's work, but in no event for less than two (2)
hours nor more than four (4) hours, at the employee's regular rate of pay". Here: a workday the
worker is scheduled (``scheduled``: the hours the workers' schedules give that date, from the ledger's
``schedule.set`` events) and punched in, with fewer hours worked than half of it, owes the hours
that half (held between the rule's at least and at most) exceeds the hours worked (scheduled for 8,
sent home after 2: paid for 4, 2 worked and 2 of reporting time; DLSE Enforcement Manual section 45).
(B) "If an employee is required to report for work a second time in any one workday and is
furnished less than two (2) hours of work on the second reporting, said employee shall be paid for
two (2) hours": each later run of work in the workday (a shift that does not continue the one before
it) shorter than the rule's hours owes the hours short.

Hours-only entries carry no punches, so they are no evidence of a report: a day with one owes
nothing. (C) "The foregoing reporting time pay provisions are not applicable when: (1) Operations
cannot commence or continue due to threats to employees or property; or when recommended by civil
authorities; or (2) Public utilities fail to supply electricity, water, or gas, or there is a failure
in the public utilities, or sewer system; or (3) The interruption of work is caused by an Act of God
or other cause not within the employer's control", and (D) an employee on paid standby called to work
at a time other than the scheduled reporting time: an admin records the day as excused (``ot schedule
excuse``, a ``schedule.excused`` event), which the engine does not judge; that workday owes neither (A)
nor (B), and the week's notes say why. The hours are paid at the week's regular rate
(never below the minimum wage, ``rules.engine.regular_rate``) and are not hours worked: they count
toward no overtime threshold and are left out of the regular rate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from ot.core.money import MS_PER_HOUR, hundredths, hundredths_to_hours
from rules.engine.premiums import Premium
from rules.engine.segments import Piece
from rules.engine.split_shift import days_of
from rules.model import ReportingTime, RuleSet


def _h(ms: int) -> str:
    return f"{Decimal(ms) / MS_PER_HOUR:.2f}"


def _owed(rule: ReportingTime, day: Sequence[Piece], scheduled: Decimal | None) -> tuple[int, list[str]]:
    """Milliseconds of reporting time one workday owes under ``rule``, and why (``day``: the pieces of
    the runs of work that began on it, whole)."""
    owed = 0
    why: list[str] = []
    worked = sum(p.end - p.start for p in day)
    if scheduled is not None and scheduled > 0:
        half = scheduled / 2
        if worked < half * MS_PER_HOUR:
            paid = min(max(half, rule.at_least), rule.at_most)
            short = int(paid * MS_PER_HOUR) - worked
            if short > 0:
                owed += short
                why.append(
                    f"scheduled {scheduled}h, worked {_h(worked)} h (less than half): paid for "
                    f"{paid.normalize():f}h, {_h(short)} h of reporting time (section 5(A))"
                )
    if rule.second_report is not None:
        runs: list[int] = []
        prev: Piece | None = None
        for p in day:
            if prev is None or not (p.shift_id == prev.shift_id or p.start <= prev.end):
                runs.append(0)
            runs[-1] += p.end - p.start
            prev = p
        floor = int(rule.second_report * MS_PER_HOUR)
        for k, run in enumerate(runs[1:], start=2):
            if run < floor:
                owed += floor - run
                why.append(
                    f"report {k} of the workday furnished {_h(run)} h: paid for {rule.second_report}h, "
                    f"{_h(floor - run)} h of reporting time (section 5(B))"
                )
    return owed, why


#: Why an excused day owes no reporting-time pay, in words (``ledger.events.EXCUSE_REASONS``).
EXCUSES = {
    "threats": "operations could not begin or continue because of threats to employees or property (section 5(C)(1))",
    "civil-authorities": "civil authorities recommended that work not begin or continue (section 5(C)(1))",
    "utilities": "public utilities failed to supply electricity, water or gas, or the sewer system failed "
    "(section 5(C)(2))",
    "act-of-god": "an Act of God or another cause not within the employer's control interrupted the work "
    "(section 5(C)(3))",
    "paid-standby": "the worker was on paid standby, called to work at a time other than the scheduled "
    "reporting time (section 5(D))",
}


def excused_notes(
    runs: Sequence[Sequence[Piece]], rule_sets: Sequence[RuleSet], excused: Mapping[date, str]
) -> tuple[str, ...]:
    """One note for each workday of these runs that an excuse leaves without reporting-time pay."""
    labels = [rs.reporting_time.label for rs in rule_sets if rs.reporting_time is not None]
    return tuple(
        f"{day.isoformat()}: no reporting-time pay ({labels[0]}): {EXCUSES.get(excused[day], excused[day])}"
        for day in days_of(runs)
        if day in excused and labels
    )


def reporting_time_owed(
    runs: Sequence[Sequence[Piece]],
    rule_sets: Sequence[RuleSet],
    worker_type: str,
    scheduled: Mapping[date, Decimal],
    excused: Mapping[date, str] | None = None,
) -> list[Premium]:
    """Reporting-time pay of the runs of work that begin in one week (time order; ``scheduled``: the
    hours scheduled by date). A run belongs whole to the workday it began on (a report is the start of
    a run: a night shift's hours after midnight are no second report of the next day). Where several
    jurisdictions have a rule, the one owing the most wins. A workday in ``excused`` owes nothing
    (section 5(C), (D))."""
    days = days_of(runs)
    out: list[Premium] = []
    for workday, day in days.items():
        if any(p.hours_only for p in day) or (excused and workday in excused):
            continue
        best: tuple[int, Premium] | None = None
        for rs in rule_sets:
            rule = rs.reporting_time
            if rule is None or worker_type in rs.no_overtime_worker_types:
                continue
            mine = [p for p in day if rs.covers(p.state)]
            if not mine:
                continue
            owed, why = _owed(rule, mine, scheduled.get(workday))
            count = hundredths(owed)
            if count <= 0 or (best is not None and count <= best[0]):
                continue
            first = mine[0]
            prem = Premium(
                workday, "reporting_time", hundredths_to_hours(count), rs.jurisdiction, rule.label, rule.source,
                first.state, first.location_id, tuple(dict.fromkeys(p.shift_id for p in day)), "; ".join(why),
            )  # fmt: skip
            best = (count, prem)
        if best is not None:
            out.append(best[1])
    return out


__all__ = ["EXCUSES", "excused_notes", "reporting_time_owed"]
