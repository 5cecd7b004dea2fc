"""The compiled rule set: what the compiler produces and the engine evaluates.

These are plain frozen records, independent of the syntax: the compiler
(``rules.compiler``) builds a :class:`RuleBook` from a parsed file, tests may
build one by hand. Every rule carries its :class:`Source` so that a pay line
can name the rule, and its place in the file, that produced it.

Inheritance (a state that builds on the federal rules) and effective dates are
resolved by :meth:`RuleBook.effective`, which returns a flat :class:`RuleSet`:
the engine never sees a parent.
"""

from __future__ import annotations

import calendar
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import MINYEAR, date, time, timedelta
from decimal import Decimal
from typing import Literal

HourClass = Literal["REG", "OT", "DT"]
ThresholdKind = Literal[
    "daily", "weekly", "seventh_day", "consecutive", "rolling24", "rolling24_chained", "sunday", "holiday"
]
FEDERAL = "FEDERAL"
#: The jurisdiction name of an employer's own policy (``policy`` blocks; ``RuleSet.policy``).
POLICY = "POLICY"


@dataclass(frozen=True)
class Source:
    """Where a rule is written.

    Attributes:
        file: Path (or name) of the rules file as given.
        line: 1-based line.
        column: 1-based column.
    """

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


# --- conditions: all of a rule's conditions must hold for it to apply -------


@dataclass(frozen=True)
class RateBelowMinimumWage:
    """Applies only when the hour's rate is below ``multiple`` x the jurisdiction's
    minimum wage in force on that date (NRS 608.018: under 1.5x).

    Attributes:
        multiple: e.g. Decimal("1.5").
    """

    multiple: Decimal


@dataclass(frozen=True)
class WorkerTypeIn:
    """Applies only to these worker types (``W2``, ``1099``).

    Attributes:
        types: The worker types it applies to.
    """

    types: frozenset[str]


@dataclass(frozen=True)
class EmployerFlag:
    """Applies only when the employer fact ``name`` compares to ``value``.

    Employer facts (size, industry...) come from the rules file's ``employer``
    block or the ledger's configuration.

    Attributes:
        name: Fact name, e.g. ``size`` or ``industry``.
        op: One of ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``.
        value: A Decimal for numeric facts, a str otherwise.
    """

    name: str
    op: str
    value: Decimal | str


@dataclass(frozen=True)
class WorkweekOver:
    """Applies only in a workweek in which the worker works more than ``hours`` hours
    (in the rule's jurisdiction): KRS 337.050(2)(a), the seventh-day rule does
    not apply when the employee is not permitted to work more than 40 hours.

    Attributes:
        hours: e.g. Decimal(40).
    """

    hours: Decimal


@dataclass(frozen=True)
class WorkerInGroup:
    """Applies only to the workers of a named group (``negated``: to everyone else). Groups are
    named in the employer block, for kinds of workers the law names (29 U.S.C. 213(b)(21): domestic
    workers who live in; 12 NYCRR 142-2.2: residential employees).

    Attributes:
        group: The group's name.
        workers: Its worker ids.
        negated: True for ``worker not in``.
    """

    group: str
    workers: frozenset[str]
    negated: bool = False

    def holds(self, worker_id: str) -> bool:
        """Whether the condition holds for ``worker_id``."""
        return (worker_id in self.workers) != self.negated


Condition = RateBelowMinimumWage | WorkerTypeIn | EmployerFlag | WorkweekOver | WorkerInGroup


@dataclass(frozen=True)
class Threshold:
    """An overtime threshold: hours beyond ``over`` in the period are ``hour_class``.

    Kinds:
      - ``daily``: hours in one workday beyond ``over``.
      - ``weekly``: hours in the workweek beyond ``over``.
      - ``seventh_day``: on the seventh consecutive workday of a workweek, hours
        of that day beyond ``over`` (``over`` 0 = every hour of it).
      - ``consecutive``: hours beyond ``over`` consecutive hours of work
        (across workday boundaries).
      - ``rolling24``: hours beyond ``over`` in the 24-hour period that begins
        with the first start of work of each workday (Nevada's "workday", NRS
        608.0126), a new period beginning even while an earlier one is open.
      - ``rolling24_chained``: the same, read so that periods never overlap: a
        new period begins at the first start of work at or after the end of the
        open one (or at its end, when work is going on then).
      - ``sunday``: hours of a workday that is a Sunday beyond ``over`` (R.I. Gen.
        Laws 5-23-2: every hour, ``over`` 0).
      - ``holiday``: hours of a workday that is a holiday of the rule's calendar
        (its ``holidays`` blocks, or those of what it extends) beyond ``over``
        (R.I. Gen. Laws 25-3-3; an employer's holiday premium).

    Attributes:
        kind: One of the kinds above.
        over: Threshold in hours.
        hour_class: ``OT`` or ``DT``.
        multiplier: Of the regular rate (1.5, 2).
        conditions: All must hold for the threshold to apply.
        label: Plain words for explanations and pay lines ("daily over 8h").
        source: Where it is written.
    """

    kind: ThresholdKind
    over: Decimal
    hour_class: HourClass
    multiplier: Decimal
    conditions: tuple[Condition, ...] = ()
    label: str = ""
    source: Source = Source("<built-in>", 0)


@dataclass(frozen=True)
class MinimumWage:
    """A minimum wage in force from a date.

    Attributes:
        effective: First date.
        amount: Dollars per hour.
        source: Where it is written.
    """

    effective: date
    amount: Decimal
    source: Source = Source("<built-in>", 0)


@dataclass(frozen=True)
class YearlyAdjustment:
    """``minimum wage adjusted yearly from DATE``: the law sets a new minimum wage every year on the
    month and day of ``first``, from ``first`` on (an index such as the CPI: Lab. Code 1182.12(c),
    RCW 49.46.020(2)(b)).

    Attributes:
        first: The first adjustment.
        source: Where it is written.
    """

    first: date
    source: Source = Source("<built-in>", 0)

    def due_on(self, day: date) -> date | None:
        """The last adjustment on or before ``day`` (None before the first)."""
        if day < self.first:
            return None
        due = self.first.replace(year=day.year)
        return due if due <= day else self.first.replace(year=day.year - 1)


@dataclass(frozen=True)
class MissingWage:
    """A minimum wage adjusted yearly whose adjustments due on or before a date are not written in the rules.

    Attributes:
        where: The jurisdiction (``CA``, ``federal``) or the local block's name (``Seattle, WA``).
        due: The last adjustment due (the one the date falls under).
        last: The figure in force instead (the newest before ``due``), or None.
        adjusted: The rule that says the minimum wage is adjusted yearly.
        missed: Every adjustment since :attr:`last` the rules lack, oldest first (``due`` the last of them).
    """

    where: str
    due: date
    last: MinimumWage | None
    adjusted: YearlyAdjustment
    missed: tuple[date, ...] = ()

    def message(self, ahead: bool = False) -> str:
        """What is missing and what to do, in plain words (``ahead``: the adjustment is still to come)."""
        dates = " nor ".join(str(d) for d in (self.missed or (self.due,)))
        head = (
            f"{self.where}: the minimum wage is adjusted every year on {self.due:%B} {self.due.day} "
            f"({self.adjusted.source}), and the rules have no figure from {dates}"
        )
        if ahead:
            return (
                f"{head} yet: write the agency's figure (minimum wage N from {self.due}; the same figure again "
                "if it does not change) before paying hours from then"
            )
        paid = f"the last figure, {self.last.amount} from {self.last.effective}," if self.last else "no figure"
        return (
            f"{head}: {paid} is used meanwhile; write the agency's figure for each (minimum wage N from DATE; the "
            "same figure again for a year it did not change), then `ot rules adopt FILE --from DATE`: hours paid "
            "below it become corrections (--correction-authorized)"
        )


def _once_each(found: list[MissingWage]) -> tuple[MissingWage, ...]:
    """Each missing adjustment once: a jurisdiction that inherits another's figures and their yearly
    adjustment (a state extending a state) reports the same line of the file."""
    seen: set[tuple[Source, date]] = set()
    out: list[MissingWage] = []
    for m in found:
        if (m.adjusted.source, m.due) not in seen:
            seen.add((m.adjusted.source, m.due))
            out.append(m)
    return tuple(out)


def missing_wage(
    where: str, wages: tuple[MinimumWage, ...], adjusted: YearlyAdjustment | None, day: date
) -> MissingWage | None:
    """The adjustments of ``wages`` due on or before ``day`` that the rules lack (the figure in force on
    ``day`` is older than the last of them), or None."""
    if adjusted is None:
        return None
    due = adjusted.due_on(day)
    if due is None:
        return None
    last = minimum_wage_in(wages, day)
    if last is not None and last.effective >= due:
        return None
    missed = [due]
    while missed[0].year > MINYEAR:
        before = missed[0].replace(year=missed[0].year - 1)
        if before < adjusted.first or (last is not None and before <= last.effective):
            break
        missed.insert(0, before)
    return MissingWage(where, due, last, adjusted, tuple(missed))


@dataclass(frozen=True)
class MealRule:
    """Meal-period rule (Cal. Lab. Code 512, 226.7).

    A first meal period of at least ``minimum_minutes`` must start before the end
    of hour ``first_by_hour`` of work when the work period exceeds
    ``first_after_hours``; a second before the end of hour ``second_by_hour`` when
    it exceeds ``second_after_hours``. A missed or late meal period owes
    ``premium_hours`` at the regular rate, at most ``max_premiums_per_day`` per
    workday. The first may be waived when the work period is at most
    ``first_waivable_up_to_hours``; the second when the work period is at most
    ``second_waivable_up_to_hours`` and the first was not waived.

    Attributes:
        first_after_hours, first_by_hour, second_after_hours, second_by_hour: Decimals in hours.
        minimum_minutes: Length of a bona fide meal period.
        premium_hours: Hours of pay at the regular rate owed per workday.
        max_premiums_per_day: Cap of meal premiums per workday.
        first_waivable_up_to_hours, second_waivable_up_to_hours: Waiver limits, None if no waiver allowed.
        label, source: For explanations.
        break_types: Break type codes that count as a meal period (``taken as MEAL``);
            empty means any unpaid break.
    """

    first_after_hours: Decimal
    first_by_hour: Decimal
    second_after_hours: Decimal | None
    second_by_hour: Decimal | None
    minimum_minutes: int
    premium_hours: Decimal
    max_premiums_per_day: int = 1
    first_waivable_up_to_hours: Decimal | None = None
    second_waivable_up_to_hours: Decimal | None = None
    label: str = ""
    source: Source = Source("<built-in>", 0)
    break_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestRule:
    """Rest-period rule (IWC wage orders, section 12; Lab. Code 226.7).

    ``minutes`` of paid rest per ``per_hours`` worked (or major fraction), for
    work periods over ``min_shift_hours``. A missed rest period owes
    ``premium_hours`` at the regular rate, at most once per workday. What shows
    that one was missed is the rule's ``evidence``:

    - ``attestation``: the worker's answer at clock-out (``Shift.rest_attestation``
      ``rest-missed`` or ``rest-taken``; the older ``rest_missed`` exception
      counts as ``rest-missed``). A recorded answer decides.
    - ``breaks``: rest breaks punched (of ``break_types``, at least ``minutes``
      long): fewer than the work period requires (one per ``per_hours`` or major
      fraction) owe the premium. Used when no answer was recorded that day.

    Attributes:
        minutes, per_hours, min_shift_hours, premium_hours: The rule's figures.
        label, source: For explanations.
        break_types: Break type codes that count as a rest period (``taken as REST``);
            empty means any paid break.
        evidence: ``attestation`` and/or ``breaks``, as the rule names them.
    """

    minutes: int
    per_hours: Decimal
    min_shift_hours: Decimal
    premium_hours: Decimal
    label: str = ""
    source: Source = Source("<built-in>", 0)
    break_types: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ("attestation",)


DayPremiumKind = Literal["split_shift", "spread_of_hours"]


@dataclass(frozen=True)
class DayPremium:
    """A premium of ``hours`` at the minimum wage owed on a workday (IWC Wage Order 4-2001
    section 4(C): split shift; 12 NYCRR 142-2.4: spread of hours).

    Kinds:
      - ``split_shift``: the workday's work is interrupted by a gap of more than
        ``gap_minutes`` off the clock (Wage Order section 2: a split shift is a
        schedule interrupted by non-paid non-working periods other than bona
        fide rest or meal periods; a meal period of up to ``gap_minutes`` is bona
        fide).
      - ``spread_of_hours``: from the workday's first start of work to its last
        end is more than ``spread_over`` hours (12 NYCRR 142-2.18).

    ``offset``: the premium is reduced by what the day's straight-time wages
    earned above the minimum wage (DLSE Enforcement Manual 45.2.4 and the
    Labor Commissioner's minimum wage FAQ; NY DOL's reading of "in addition to
    the minimum wage"); without it the whole premium is owed on top (12 NYCRR
    146-1.6(d) for hospitality: whatever the rate).

    Attributes:
        kind: One of the kinds above.
        hours: Premium hours at the minimum wage (the highest in force there: state or local).
        gap_minutes: For ``split_shift``: a gap longer than this splits the shift.
        spread_over: For ``spread_of_hours``: the spread, in hours, beyond which it is owed.
        offset: Whether wages above the minimum wage that day count against it.
        label, source: For explanations.
    """

    kind: DayPremiumKind
    hours: Decimal
    gap_minutes: int | None = None
    spread_over: Decimal | None = None
    offset: bool = True
    label: str = ""
    source: Source = Source("<built-in>", 0)


@dataclass(frozen=True)
class ReportingTime:
    """Reporting-time pay (IWC Wage Order 4-2001 section 5).

    (A) A worker who reports for work on a day they are scheduled and is furnished less than half the
    scheduled day's work is paid for half of it, at least ``at_least`` and at most ``at_most`` hours,
    at the regular rate of pay: the hours paid beyond those worked are owed (the scheduled hours come
    from the workers' schedules, ``schedule.set``; a day without one owes nothing under (A)).
    (B) A second report in one workday furnished less than ``second_report`` hours of work is paid for
    ``second_report`` hours: the hours short are owed.

    Attributes:
        at_least, at_most: Hours.
        second_report: Hours, or None when the rule does not say.
        label, source: For explanations.
    """

    at_least: Decimal
    at_most: Decimal
    second_report: Decimal | None = None
    label: str = ""
    source: Source = Source("<built-in>", 0)


@dataclass(frozen=True)
class ScheduledDay:
    """A day of an alternative workweek schedule: a weekday, its hours, and for a two-week schedule
    (9/80: Lab. Code 511(a); 29 CFR 778.105) the first of the days it falls on every other week.

    Attributes:
        weekday: 0=Monday..6=Sunday.
        hours: Hours scheduled that day.
        every_other_from: A date on that weekday: the day is scheduled then and every 14 days from
            it (and before it, by the same count); None when scheduled every week.
    """

    weekday: int
    hours: Decimal
    every_other_from: date | None = None

    def falls_on(self, day: date) -> bool:
        """True when this scheduled day is ``day``."""
        if day.weekday() != self.weekday:
            return False
        return self.every_other_from is None or (day - self.every_other_from).days % 14 == 0


@dataclass(frozen=True)
class AlternativeWorkweek:
    """An alternative workweek schedule of some workers (Lab. Code 511(a); IWC Wage Order 4-2001
    section 3(B)(1)): on a scheduled day, the rule set's daily overtime starts after the scheduled
    hours instead (its double time is unchanged: over 12); on the other days, ``other_days`` apply
    instead of the daily thresholds when given (the Wage Order, as the DLSE reads it: every hour
    overtime, over 8 double time), else the daily thresholds as they are.

    Attributes:
        name: The schedule's name.
        workers: The worker ids it applies to.
        days: The scheduled days (:class:`ScheduledDay`), in file order.
        other_days: Daily thresholds of the days the schedule does not list.
        label, source: For explanations.
    """

    name: str
    workers: frozenset[str]
    days: tuple[ScheduledDay, ...]
    other_days: tuple[Threshold, ...] = ()
    label: str = ""
    source: Source = Source("<built-in>", 0)

    def hours_on(self, day: date) -> Decimal | None:
        """The hours scheduled on the workday ``day``, or None when it is not a scheduled day."""
        for scheduled in self.days:
            if scheduled.falls_on(day):
                return scheduled.hours
        return None


@dataclass(frozen=True)
class BreakType:
    """A configurable break type.

    Attributes:
        code: ``DEFAULT_UNPAID`` or any code the file declares.
        paid: Whether its minutes are paid.
        source: Where it is declared.
    """

    code: str
    paid: bool
    source: Source = Source("<built-in>", 0)


@dataclass(frozen=True)
class Rounding:
    """Punch rounding policy (29 CFR 785.48(b): neutral rounding to the nearest).

    Attributes:
        minutes: 0 (none), 5, 6 or 15.
        mode: ``nearest`` (neutral; the only mode the FLSA accepts).
        source: Where it is written.
    """

    minutes: int = 0
    mode: str = "nearest"
    source: Source = Source("<built-in>", 0)


@dataclass(frozen=True)
class Differential:
    """``differential 1.00 per hour between 22:00 and 06:00``: extra pay for each hour worked
    inside a local time window (a shift differential: it counts toward the regular rate,
    29 CFR 778.207(b)).

    Attributes:
        amount: Dollars per hour.
        start: Local time the window opens.
        end: Local time it closes (at or before ``start``: the next day).
        source: Where it is written.
    """

    amount: Decimal
    start: time
    end: time
    source: Source

    @property
    def label(self) -> str:
        """Its words on a pay line."""
        return (
            f"shift differential ${self.amount} per hour {self.start.strftime('%H:%M')}-{self.end.strftime('%H:%M')}"
            " (in the regular rate, 29 CFR 778.207(b))"
        )


@dataclass(frozen=True)
class RuleSet:
    """The flat rules of one jurisdiction on one date, after inheritance.

    Attributes:
        jurisdiction: ``FEDERAL`` or a USPS code.
        effective: First date this version is in force.
        until: Last date (inclusive) or None while in force.
        workweek_start_day: 0 = Monday ... 6 = Sunday.
        workweek_start_time: Local time at which the workweek begins.
        workday_start: Local time at which the workday begins.
        thresholds: Overtime thresholds, in file order.
        minimum_wages: By effective date, oldest first.
        no_overtime_worker_types: Worker types that get no overtime (``1099``).
        no_overtime_groups: Named groups whose workers get no overtime thresholds (29 U.S.C.
            213(b)(21)), by name with their worker ids; unlike a worker type, they keep the
            minimum wage and every premium.
        not_worked_pay_types: Pay types paid but never counted toward a threshold.
        no_pyramiding: Hours already paid as daily/7th-day/consecutive overtime do
            not count again toward a weekly threshold.
        combine: How overlapping classifications combine: ``most_favourable``.
        meal: Meal-period rule, or None.
        rest: Rest-period rule, or None.
        break_types: Declared break types by code (``DEFAULT_UNPAID`` always present).
        short_break_paid_minutes: Breaks this long or shorter are hours worked even
            when recorded unpaid (29 CFR 785.18: 20); None to disable.
        regular_rate: ``weighted_average`` (29 CFR 778.115).
        rounding: Punch rounding policy.
        employer: Employer facts for :class:`EmployerFlag` conditions.
        source: Where the jurisdiction block is written.
        policy_sources: Where each policy of this set is written, by name
            (``no_overtime``, ``not_worked``, ``short_breaks``, ``regular_rate``,
            ``rounding``, ``combine``, ``pyramiding``; ``workweek``, ``workday``
            and ``employer`` for the employer block); a policy absent here is the
            built-in default above.
        parent: The jurisdiction this set builds on (``FEDERAL``, a state), or None.
        minimum_wage_per_hour: True where the minimum wage is owed for each hour
            (California: no averaging over the workweek); False where it is
            measured per workweek (29 CFR 776.5).
        day_premiums: Split-shift and spread-of-hours premiums (:class:`DayPremium`).
        alternative_workweeks: Alternative workweek schedules of named workers (:class:`AlternativeWorkweek`).
        reporting_time: Reporting-time pay (:class:`ReportingTime`), or None.
        minimum_wage_adjusted: When the law adjusts :attr:`minimum_wages` every year, else None.
        policy: True for an employer's own policy (a ``policy`` block): it applies
            to every hour wherever worked, beside the law, and loses ties to it.
        differentials: Shift differentials (an amount per hour inside a local time window).
    """

    jurisdiction: str
    effective: date
    until: date | None = None
    workweek_start_day: int = 6
    workweek_start_time: time = time(0, 0)
    workday_start: time = time(0, 0)
    thresholds: tuple[Threshold, ...] = ()
    minimum_wages: tuple[MinimumWage, ...] = ()
    no_overtime_worker_types: frozenset[str] = frozenset({"1099"})
    no_overtime_groups: tuple[tuple[str, frozenset[str]], ...] = ()
    not_worked_pay_types: frozenset[str] = frozenset({"PTO", "SICK", "HOLIDAY"})
    no_pyramiding: bool = True
    combine: str = "most_favourable"
    meal: MealRule | None = None
    rest: RestRule | None = None
    break_types: tuple[BreakType, ...] = (BreakType("DEFAULT_UNPAID", False),)
    short_break_paid_minutes: int | None = 20
    regular_rate: str = "weighted_average"
    rounding: Rounding = field(default_factory=Rounding)
    employer: tuple[tuple[str, Decimal | str], ...] = ()
    source: Source = Source("<built-in>", 0)
    policy_sources: tuple[tuple[str, Source], ...] = ()
    parent: str | None = None
    minimum_wage_per_hour: bool = False
    day_premiums: tuple[DayPremium, ...] = ()
    policy: bool = False
    alternative_workweeks: tuple[AlternativeWorkweek, ...] = ()
    reporting_time: ReportingTime | None = None
    minimum_wage_adjusted: YearlyAdjustment | None = None

    def gives_no_overtime(self, worker_type: str, worker_id: str) -> bool:
        """Whether this set's overtime thresholds pass this worker by (a worker type or a group)."""
        if worker_type in self.no_overtime_worker_types:
            return True
        return any(worker_id in workers for _, workers in self.no_overtime_groups)

    def alternative_workweek_of(self, worker_id: str) -> AlternativeWorkweek | None:
        """The alternative workweek schedule ``worker_id`` works under in this set, or None."""
        for aws in self.alternative_workweeks:
            if worker_id in aws.workers:
                return aws
        return None

    def covers(self, state: str) -> bool:
        """Whether the set applies to an hour worked in ``state`` (federal and a policy: everywhere)."""
        return self.policy or self.jurisdiction == FEDERAL or self.jurisdiction == state

    differentials: tuple[Differential, ...] = ()

    def minimum_wage_on(self, day: date) -> Decimal | None:
        """The minimum wage in force on ``day``, or None."""
        found = minimum_wage_in(self.minimum_wages, day)
        return found.amount if found is not None else None

    def break_type(self, code: str) -> BreakType | None:
        """The declared break type ``code``, or None."""
        for bt in self.break_types:
            if bt.code == code:
                return bt
        return None


def minimum_wage_in(wages: tuple[MinimumWage, ...], day: date) -> MinimumWage | None:
    """The minimum wage of ``wages`` (oldest first) in force on ``day``, or None."""
    found: MinimumWage | None = None
    for mw in wages:
        if mw.effective <= day:
            found = mw
    return found


@dataclass(frozen=True)
class LocalVersion:
    """One ``rules from`` block of a city's or county's minimum wage.

    Attributes:
        effective: First date in force.
        until: Last date (inclusive), or None.
        minimum_wages: By effective date, oldest first.
        per_hour: True/False when the block says how the minimum is measured, else
            None (the state's measure applies).
        source: Where the block is written.
        adjusted: When the law adjusts :attr:`minimum_wages` every year, else None.
    """

    effective: date
    until: date | None
    minimum_wages: tuple[MinimumWage, ...]
    per_hour: bool | None = None
    source: Source = Source("<built-in>", 0)
    adjusted: YearlyAdjustment | None = None


def place_key(name: str) -> str:
    """A city's or county's name compared without case, extra blanks or a trailing "county"."""
    words = name.casefold().split()
    if len(words) > 1 and words[-1] == "county":
        words = words[:-1]
    return " ".join(words)


@dataclass(frozen=True)
class LocalRules:
    """A city's or county's own minimum wage (``local "Denver, CO" { ... }``).

    It applies to hours worked at a location whose city or county is ``place``
    in ``state``; the highest applicable minimum wage (federal, state, local) is
    the floor.

    Attributes:
        name: As written (``Denver, CO``).
        place: The city or county (``Denver``, ``King County``).
        state: USPS code.
        versions: Its blocks, oldest first.
        source: Where the local block is written.
    """

    name: str
    place: str
    state: str
    versions: tuple[LocalVersion, ...]
    source: Source = Source("<built-in>", 0)

    def matches(self, state: str, city: str | None, county: str | None) -> bool:
        """Whether a location in ``state``, ``city``, ``county`` is within it."""
        if state != self.state:
            return False
        key = place_key(self.place)
        return (city is not None and place_key(city) == key) or (county is not None and place_key(county) == key)

    def version_on(self, day: date) -> LocalVersion | None:
        """The block in force on ``day``, or None."""
        for v in reversed(self.versions):
            if v.effective <= day and (v.until is None or day <= v.until):
                return v
        return None


# --- public holidays ------------------------------------------------------------


@dataclass(frozen=True)
class HolidayRule:
    """One holiday of a calendar: a fixed date (``month``/``day``) or the ``nth`` ``weekday`` of ``month``.

    Attributes:
        name: As the file names it.
        month: 1-12.
        day: The day of the month for a fixed date, else None.
        nth: 1-4 (or -1 for the last) for a weekday rule, else None.
        weekday: 0 (Monday) - 6 (Sunday) for a weekday rule, else None.
        source: Where it is written.
    """

    name: str
    month: int
    day: int | None = None
    nth: int | None = None
    weekday: int | None = None
    source: Source | None = None

    def date_in(self, year: int) -> date:
        """The holiday's own date in ``year`` (before any weekend observance)."""
        if self.day is not None:
            return date(year, self.month, self.day)
        assert self.nth is not None
        assert self.weekday is not None
        if self.nth > 0:
            first = date(year, self.month, 1)
            offset = (self.weekday - first.weekday()) % 7
            return first + timedelta(days=offset + 7 * (self.nth - 1))
        last = date(year, self.month, calendar.monthrange(year, self.month)[1])
        return last - timedelta(days=(last.weekday() - self.weekday) % 7)


@dataclass(frozen=True)
class HolidayVersion:
    """A jurisdiction's holidays in force from ``effective`` (a ``holidays from`` block).

    Attributes:
        effective: First date in force.
        until: Last date in force (inclusive), or None.
        holidays: Its holidays, in file order.
        observed: (weekend weekday, days to move) pairs: a holiday falling on that
            weekday (5 Saturday, 6 Sunday) is kept that many days later (negative: earlier).
        source: Where the block opens.
        dropped: Names of holidays of the calendars this one extends that are none here
            (``not holiday "..."``) while the block is in force.
    """

    effective: date
    until: date | None
    holidays: tuple[HolidayRule, ...]
    observed: tuple[tuple[int, int], ...] = ()
    source: Source | None = None
    dropped: tuple[str, ...] = ()

    def in_force(self, day: date) -> bool:
        """Whether the block is in force on ``day``."""
        return self.effective <= day and (self.until is None or day <= self.until)

    def observed_on(self, day: date) -> date:
        """The day a holiday falling on ``day`` is kept."""
        for weekday, shift in self.observed:
            if day.weekday() == weekday:
                return day + timedelta(days=shift)
        return day


@dataclass(frozen=True)
class HolidayCalendar:
    """A jurisdiction's public holidays over time.

    Attributes:
        jurisdiction: ``FEDERAL`` or a state code.
        parent: The jurisdiction it extends (whose holidays are its holidays too), or None.
        versions: Its ``holidays from`` blocks, oldest first.
    """

    jurisdiction: str
    parent: str | None
    versions: tuple[HolidayVersion, ...]


def _dropped(children: Sequence[HolidayCalendar], name: str, actual: date) -> bool:
    """Whether a calendar that extends the one listing holiday ``name`` says ``not holiday`` of it in a
    block in force on its date ``actual``."""
    key = name.casefold()
    return any(
        version.in_force(actual) and key in (d.casefold() for d in version.dropped)
        for cal in children
        for version in cal.versions
    )


@dataclass(frozen=True)
class Holiday:
    """A holiday on the calendar: the day it is kept.

    Attributes:
        day: The day it is kept (observed), a weekday when the block says how weekends move.
        actual: Its own date (differs from ``day`` when it falls on a weekend day that moves).
        name: Its name (the names of holidays kept the same day joined with " / ").
        jurisdiction: ``FEDERAL`` or the state whose calendar lists it (the first in the chain).
        source: Where its holiday line is written.
    """

    day: date
    actual: date
    name: str
    jurisdiction: str
    source: Source | None = None

    @property
    def observed(self) -> bool:
        """Whether it is kept on another day than its own date."""
        return self.day != self.actual


class NoRulesInForce(LookupError):
    """No rule set of a jurisdiction is in force on a date."""


@dataclass(frozen=True)
class RuleBook:
    """A compiled rules file.

    Attributes:
        versions: Per jurisdiction, its flat rule sets (inheritance already
            applied) by effective date, oldest first. ``FEDERAL`` is always present.
        file: The file it was compiled from.
        sha256: Content hash of the file's text (the ledger records it).
        format_version: The file's ``version`` header.
    """

    versions: tuple[tuple[str, tuple[RuleSet, ...]], ...]
    file: str = "<memory>"
    sha256: str = ""
    format_version: int = 1
    locals: tuple[LocalRules, ...] = ()
    calendars: tuple[HolidayCalendar, ...] = ()
    policies: tuple[tuple[str, tuple[RuleSet, ...]], ...] = ()

    def policies_on(self, day: date) -> tuple[RuleSet, ...]:
        """The employer policies in force on ``day`` (each ``policy`` block's set of that day), in file order."""
        out: list[RuleSet] = []
        for _name, sets in self.policies:
            for rs in reversed(sets):
                if rs.effective <= day and (rs.until is None or day <= rs.until):
                    out.append(rs)
                    break
        return tuple(out)

    def calendar_chain(self, jurisdiction: str) -> tuple[HolidayCalendar, ...]:
        """The holiday calendars that apply in ``jurisdiction``: its own, then those of what it extends.

        A jurisdiction the file does not define falls back to ``FEDERAL``; one the file defines
        without holidays of its own has those of the jurisdiction it extends.
        """
        by_name = {c.jurisdiction: c for c in self.calendars}
        chain: list[HolidayCalendar] = []
        name: str | None = jurisdiction if jurisdiction in by_name else FEDERAL
        while name is not None and name in by_name and all(c.jurisdiction != name for c in chain):
            chain.append(by_name[name])
            name = by_name[name].parent
        return tuple(chain)

    def holidays_between(self, jurisdiction: str, first: date, last: date) -> tuple[Holiday, ...]:
        """The holidays kept in ``jurisdiction`` from ``first`` to ``last`` (inclusive), by day.

        A holiday counts when the block that lists it is in force on its own date; it is kept on
        the day that block's ``observed`` lines move it to. Holidays of several calendars (a state and
        the federal one it extends) kept the same day are one :class:`Holiday` naming both.
        """
        found: dict[date, Holiday] = {}
        chain = self.calendar_chain(jurisdiction)
        for k, cal in enumerate(chain):
            for version in cal.versions:
                for year in range(first.year - 1, last.year + 2):
                    for rule in version.holidays:
                        actual = rule.date_in(year)
                        if not version.in_force(actual) or _dropped(chain[:k], rule.name, actual):
                            continue
                        day = version.observed_on(actual)
                        if not first <= day <= last:
                            continue
                        before = found.get(day)
                        if before is None:
                            found[day] = Holiday(day, actual, rule.name, cal.jurisdiction, rule.source)
                        elif rule.name not in before.name.split(" / "):
                            found[day] = dataclasses.replace(before, name=f"{before.name} / {rule.name}")
        return tuple(found[d] for d in sorted(found))

    def local_wages(
        self, state: str, city: str | None, county: str | None, day: date
    ) -> tuple[tuple[LocalRules, LocalVersion, MinimumWage], ...]:
        """The local minimum wages in force on ``day`` at a location (city, then county order of the file)."""
        if city is None and county is None:
            return ()
        out: list[tuple[LocalRules, LocalVersion, MinimumWage]] = []
        for lr in self.locals:
            if not lr.matches(state, city, county):
                continue
            version = lr.version_on(day)
            if version is None:
                continue
            mw = minimum_wage_in(version.minimum_wages, day)
            if mw is not None:
                out.append((lr, version, mw))
        return tuple(out)

    def missing_wages(
        self, state: str, city: str | None, county: str | None, day: date, rules_day: date | None = None
    ) -> tuple[MissingWage, ...]:
        """The yearly adjustments of the minimum wages that apply at a location on ``day`` (federal, the
        state's, its local blocks') due on or before it that the rules have no figure from. The federal and
        state rule sets are those in force on ``rules_day`` (the workweek's first day, as the engine takes
        them; default ``day``), the local blocks those in force on ``day``."""
        keys = (FEDERAL, state) if state != FEDERAL and self.has(state) else (FEDERAL,)
        places = [lr for lr in self.locals if lr.matches(state, city, county)] if city or county else []
        return self._missing(keys, places, day, rules_day or day)

    def missing_wages_anywhere(self, day: date) -> tuple[MissingWage, ...]:
        """The yearly adjustments of every jurisdiction's and local block's minimum wage due on or before
        ``day`` that the rules have no figure from (an adjustment a state inherits: once, as its own)."""
        return self._missing([name for name, _ in self.versions], self.locals, day, day)

    def _missing(
        self, keys: Sequence[str], places: Sequence[LocalRules], day: date, on: date
    ) -> tuple[MissingWage, ...]:
        out: list[MissingWage] = []
        for key in keys:
            try:
                rs = self.effective(key, on)
            except NoRulesInForce:
                continue
            label = "federal" if key == FEDERAL else key
            if found := missing_wage(label, rs.minimum_wages, rs.minimum_wage_adjusted, day):
                out.append(found)
        for lr in places:
            version = lr.version_on(day)
            if version is not None and (found := missing_wage(lr.name, version.minimum_wages, version.adjusted, day)):
                out.append(found)
        return _once_each(out)

    def jurisdictions(self) -> tuple[str, ...]:
        """Every jurisdiction the book defines."""
        return tuple(name for name, _ in self.versions)

    def has(self, jurisdiction: str) -> bool:
        """Whether the book defines rules of its own for ``jurisdiction``."""
        return any(name == jurisdiction for name, _ in self.versions)

    def effective(self, jurisdiction: str, day: date) -> RuleSet:
        """The flat rule set of ``jurisdiction`` in force on ``day``.

        A jurisdiction the book does not define falls back to ``FEDERAL``.
        Raises :class:`NoRulesInForce` when nothing is in force that day.
        """
        name = jurisdiction if self.has(jurisdiction) else FEDERAL
        for key, sets in self.versions:
            if key != name:
                continue
            for rs in reversed(sets):
                if rs.effective <= day and (rs.until is None or day <= rs.until):
                    return rs
        raise NoRulesInForce(f"no {name} rules are in force on {day.isoformat()} in {self.file}")

    def applicable(self, state: str, day: date) -> tuple[RuleSet, ...]:
        """The rule sets that apply to an hour worked in ``state`` on ``day``:
        federal, and the state's own when the book defines it."""
        fed = self.effective(FEDERAL, day)
        if state != FEDERAL and self.has(state):
            return (fed, self.effective(state, day), *self.policies_on(day))
        return (fed, *self.policies_on(day))
