"""The typed syntax tree of a rules file (what ``rules.parser.parse`` returns).

Every node is a frozen dataclass that carries the :class:`Pos` of the text it
was read from. Positions never take part in equality (``compare=False``), so
two trees are equal when they say the same thing, wherever it is written: the
formatter's round-trip test relies on that.

Values are kept as written where the checker must judge them (a date is
:class:`DateLit` text, because ``2026-02-30`` is a meaning error the compiler
reports, not a syntax error); numbers are Decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

#: The weekdays as the language writes them, Monday first (``date.weekday()`` indexes them).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Pos:
    """A place in the source text.

    Attributes:
        line: 1-based line of the first character.
        column: 1-based column of the first character.
        end_line: Line where the node's text ends (for a whole line, the line
            after it: a statement's span includes its line break).
        end_column: Column just after the node's text.
    """

    line: int
    column: int
    end_line: int = 0
    end_column: int = 0


NOWHERE = Pos(0, 0)


@dataclass(frozen=True)
class DateLit:
    """A date as written (``2026-01-01``); :attr:`value` is None when it is no real date.

    Attributes:
        text: The ISO text.
        pos: Where it is written.
    """

    text: str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)

    @property
    def value(self) -> date | None:
        """The date, or None for text such as ``2026-02-30``."""
        try:
            return date.fromisoformat(self.text)
        except ValueError:
            return None


@dataclass(frozen=True)
class Name:
    """A code or name as written (a state code, a break type, a pay type).

    Attributes:
        text: The name.
        pos: Where it is written.
    """

    text: str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Comment:
    """A ``#`` comment, kept for the formatter.

    Attributes:
        text: From the ``#`` to the end of the line, trailing blanks removed.
        own_line: True when nothing but blanks precede it on its line.
        pos: Where it is written.
    """

    text: str
    own_line: bool
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


# --- the employer ------------------------------------------------------------------


@dataclass(frozen=True)
class WorkweekStart:
    """``workweek starts sunday 00:00``.

    Attributes:
        day: Weekday name in lower case.
        time: ``HH:MM`` as written.
        pos: Where it is written.
    """

    day: str
    time: str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class WorkdayStart:
    """``workday starts 00:00``.

    Attributes:
        time: ``HH:MM`` as written.
        pos: Where it is written.
    """

    time: str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Fact:
    """An employer fact for conditions: ``size 30``, ``industry "retail"``.

    Attributes:
        name: Fact name (lower case).
        value: A Decimal, or a str for a quoted value.
        pos: Where it is written.
    """

    name: str
    value: Decimal | str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Group:
    """``group "live-in" is "W-001", "W-002"`` (or ``is nobody``): workers named for conditions.

    Attributes:
        name: The group's name, without quotes.
        workers: Worker ids, as written (empty for ``nobody``).
        pos: Where it is written.
    """

    name: str
    workers: tuple[str, ...]
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


EmployerLine = WorkweekStart | WorkdayStart | Fact | Group


@dataclass(frozen=True)
class Employer:
    """``employer "Example Co" { ... }``.

    Attributes:
        name: The quoted name without quotes, or None.
        lines: Its lines in file order.
        pos: Where the block opens.
        end: Where its closing brace is.
    """

    name: str | None
    lines: tuple[EmployerLine, ...]
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    end: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class BreakTypeDecl:
    """``break type MEAL unpaid``.

    Attributes:
        code: The break type code.
        paid: Whether its minutes are paid.
        pos: Where it is written.
    """

    code: Name
    paid: bool
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


# --- conditions ----------------------------------------------------------------------


@dataclass(frozen=True)
class RateBelow:
    """``rate below 1.5x minimum wage``.

    Attributes:
        multiple: The multiple of the minimum wage.
        pos: Where it is written.
    """

    multiple: Decimal
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class WorkerTypeIs:
    """``worker type is W2 or 1099``.

    Attributes:
        types: Worker types as written (``W2``, ``1099``).
        pos: Where it is written.
    """

    types: tuple[str, ...]
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class EmployerFactIs:
    """``employer size >= 26``, ``employer industry is "agriculture"``.

    Attributes:
        name: The fact's name.
        op: ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``.
        value: A Decimal, or a str for a quoted value.
        pos: Where it is written.
    """

    name: str
    op: str
    value: Decimal | str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class WorkweekOverCond:
    """``workweek over 40h``: only in a workweek of more than so many hours worked (KRS 337.050(2)(a)).

    Attributes:
        hours: The hours.
        pos: Where it is written.
    """

    hours: Decimal
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class WorkerInGroup:
    """``worker in "live-in"`` or ``worker not in "live-in"``: whether the worker is in a named group.

    Attributes:
        group: The group's name, without quotes.
        negated: True for ``not in``.
        pos: Where it is written.
    """

    group: str
    negated: bool = False
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


ConditionNode = RateBelow | WorkerTypeIs | EmployerFactIs | WorkweekOverCond | WorkerInGroup


# --- statements inside ``rules from DATE { ... }`` -------------------------------------


@dataclass(frozen=True)
class MinimumWageStmt:
    """``minimum wage 16.90 from 2026-01-01``.

    Attributes:
        amount: Dollars per hour, as written.
        effective: First date.
        pos: Where it is written.
    """

    amount: Decimal
    effective: DateLit
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class MinimumWageMeasure:
    """``minimum wage measured per hour`` or ``minimum wage measured per workweek``.

    Attributes:
        per_hour: True for ``per hour``.
        pos: Where it is written.
    """

    per_hour: bool
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class MinimumWageAdjusted:
    """``minimum wage adjusted yearly from 2023-01-01``: the law adjusts the minimum wage every year on
    that month and day, from that date on.

    Attributes:
        first: The first adjustment.
        pos: Where it is written.
    """

    first: DateLit
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ThresholdStmt:
    """``daily over 8h is OT x1.5 [when ...]``.

    Attributes:
        kind: ``daily``, ``weekly``, ``seventh_day``, ``consecutive``, ``rolling24``, ``rolling24_chained``,
            ``sunday`` or ``holiday``.
        over: Hours.
        hour_class: ``OT`` or ``DT``.
        multiplier: Of the regular rate.
        conditions: All must hold.
        multiplier_pos: Where the multiplier is written.
        pos: Where the statement is written.
    """

    kind: str
    over: Decimal
    hour_class: str
    multiplier: Decimal
    conditions: tuple[ConditionNode, ...] = ()
    multiplier_pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class NoOvertimeFor:
    """``no overtime for 1099`` or ``no overtime for 1099, "live-in"``.

    Attributes:
        types: Worker types that get no overtime.
        groups: Named groups of workers that get no overtime (their names, without quotes).
        pos: Where it is written.
    """

    types: tuple[str, ...]
    groups: tuple[str, ...] = ()
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class NotWorked:
    """``paid not worked PTO, SICK, HOLIDAY never count toward overtime``.

    Attributes:
        pay_types: Pay type codes as written.
        pos: Where it is written.
    """

    pay_types: tuple[Name, ...]
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ShortBreaks:
    """``short breaks up to 20 min are worked`` or ``short breaks are not worked``.

    Attributes:
        minutes: The limit, or None when short breaks are not worked.
        pos: Where it is written.
    """

    minutes: int | None
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class RegularRateStmt:
    """``regular rate weighted average``.

    Attributes:
        method: ``weighted_average``.
        pos: Where it is written.
    """

    method: str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class RoundingStmt:
    """``rounding none`` or ``rounding to nearest 15 min``.

    Attributes:
        minutes: 0 for none.
        pos: Where it is written.
    """

    minutes: int
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class CombineStmt:
    """``combine most favourable``.

    Attributes:
        method: ``most_favourable``.
        pos: Where it is written.
    """

    method: str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class PyramidingStmt:
    """``no pyramiding`` or ``pyramiding allowed``.

    Attributes:
        allowed: True for ``pyramiding allowed``.
        pos: Where it is written.
    """

    allowed: bool
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class SecondMeal:
    """``second before end of hour 10 when over 10h`` (a clause of a meal rule).

    Attributes:
        by_hour: The hour of work by whose end it must start.
        after_hours: Required when the work period is longer than this.
        pos: Where it is written.
    """

    by_hour: Decimal
    after_hours: Decimal
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Premium:
    """``premium 1h``.

    Attributes:
        hours: Hours of pay at the regular rate.
        pos: Where it is written.
    """

    hours: Decimal
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Waiver:
    """``waivable up to 6h`` or ``second waivable up to 12h``.

    Attributes:
        second: True for the second meal period.
        up_to_hours: The longest work period for which it may be waived.
        pos: Where it is written.
    """

    second: bool
    up_to_hours: Decimal
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class MaxPremiums:
    """``at most 1 premium per day``.

    Attributes:
        count: The cap per workday.
        pos: Where it is written.
    """

    count: Decimal
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class TakenAs:
    """``taken as MEAL or DEFAULT_UNPAID``: the break types that count as the period.

    Attributes:
        codes: Break type codes.
        pos: Where it is written.
    """

    codes: tuple[Name, ...]
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Evidence:
    """``evidence breaks or attestation``: what shows a rest period was missed.

    Attributes:
        kinds: ``breaks`` and/or ``attestation``, as written.
        pos: Where it is written.
    """

    kinds: tuple[str, ...]
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


MealClause = SecondMeal | Premium | Waiver | MaxPremiums | TakenAs
RestClause = Premium | TakenAs | Evidence


@dataclass(frozen=True)
class MealStmt:
    """``meal period 30 min before end of hour 5 when over 5h, ...``.

    Attributes:
        minutes: Length of a bona fide meal period.
        by_hour: Hour of work by whose end the first must start.
        after_hours: Required when the work period is longer than this.
        clauses: The comma-separated clauses after it, in file order.
        pos: Where it is written.
    """

    minutes: int
    by_hour: Decimal
    after_hours: Decimal
    clauses: tuple[MealClause, ...] = ()
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class RestStmt:
    """``rest period 10 min per 4h when over 3.5h, premium 1h``.

    Attributes:
        minutes: Minutes of rest.
        per_hours: Per this many hours worked.
        after_hours: Owed when the work period is longer than this.
        clauses: The comma-separated clauses after it.
        pos: Where it is written.
    """

    minutes: int
    per_hours: Decimal
    after_hours: Decimal
    clauses: tuple[RestClause, ...] = ()
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class DayPremiumStmt:
    """``split shift over 60 min is 1h at minimum wage[, less wages above minimum]`` or
    ``spread of hours over 10h is 1h at minimum wage[, less wages above minimum]``.

    Attributes:
        kind: ``split_shift`` or ``spread_of_hours``.
        over: Minutes of gap (split shift) or hours of spread.
        hours: Premium hours at the minimum wage.
        offset: Whether wages above the minimum count against it.
        pos: Where the statement is written.
    """

    kind: str
    over: Decimal
    hours: Decimal
    offset: bool
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class AwsDay:
    """``monday 10h`` or ``friday 8h every other week from 2026-01-09``: a scheduled day of an
    alternative workweek, every week or every second one (a two-week schedule such as 9/80).

    Attributes:
        weekday: ``monday`` ... ``sunday``.
        hours: Hours scheduled that day.
        every_other_from: The first of the days when scheduled every other week, else None.
        pos: Where it is written.
    """

    weekday: str
    hours: Decimal
    every_other_from: DateLit | None = None
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class AwsOther:
    """``, other days over 8h is DT x2``: a threshold of the days the schedule does not list.

    Attributes:
        over: Hours.
        hour_class: ``OT`` or ``DT``.
        multiplier: Of the regular rate.
        pos: Where it is written.
    """

    over: Decimal
    hour_class: str
    multiplier: Decimal
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class AlternativeWorkweekStmt:
    """``alternative workweek "4x10" for "W-1", "W-2" on monday 10h, ... [, other days over 0h is OT x1.5 ...]``.

    Attributes:
        name: The schedule's name, without quotes.
        workers: The worker ids it applies to, without quotes.
        days: The scheduled days, in file order.
        other: Thresholds of the other days, in file order.
        pos: Where the statement is written.
    """

    name: str
    workers: tuple[str, ...]
    days: tuple[AwsDay, ...]
    other: tuple[AwsOther, ...] = ()
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ReportingTimeStmt:
    """``reporting time pay half the scheduled day, at least 2h, at most 4h[, second report 2h]``.

    Attributes:
        at_least: The fewest hours paid for a day the worker reports.
        at_most: The most.
        second_report: Hours paid at least for a second report in a workday, or None.
        pos: Where the statement is written.
    """

    at_least: Decimal
    at_most: Decimal
    second_report: Decimal | None = None
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class DifferentialStmt:
    """``differential 1.00 per hour between 22:00 and 06:00``.

    Attributes:
        amount: Dollars per hour.
        start: ``HH:MM`` as written.
        end: ``HH:MM`` as written (at or before ``start``: the next day).
        pos: Where it is written.
    """

    amount: Decimal
    start: str
    end: str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


Statement = (
    MinimumWageStmt
    | MinimumWageMeasure
    | MinimumWageAdjusted
    | ThresholdStmt
    | NoOvertimeFor
    | NotWorked
    | ShortBreaks
    | RegularRateStmt
    | RoundingStmt
    | CombineStmt
    | PyramidingStmt
    | MealStmt
    | RestStmt
    | DayPremiumStmt
    | AlternativeWorkweekStmt
    | ReportingTimeStmt
    | DifferentialStmt
)


# --- blocks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesBlock:
    """``rules from DATE [until DATE] { ... }``: one version of a jurisdiction's rules.

    Attributes:
        start: First date in force.
        until: Last date in force (inclusive), or None.
        statements: In file order.
        pos: Where the block opens.
        end: Where its closing brace is.
    """

    start: DateLit
    until: DateLit | None
    statements: tuple[Statement, ...]
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    end: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class FixedDate:
    """``november 11``: the same date every year.

    Attributes:
        month: 1-12.
        day: The day of the month as written (a Decimal: the checker refuses 2.5 or 32).
        pos: Where it is written.
    """

    month: int
    day: Decimal
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class NthWeekday:
    """``fourth thursday of november``, ``last monday of may``.

    Attributes:
        nth: 1-4, or -1 for ``last``.
        weekday: Weekday name in lower case.
        month: 1-12.
        pos: Where it is written.
    """

    nth: int
    weekday: str
    month: int
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


HolidayDay = FixedDate | NthWeekday


@dataclass(frozen=True)
class HolidayStmt:
    """``holiday "Veterans Day" on november 11``.

    Attributes:
        name: The quoted name without quotes.
        day: Which day of each year.
        name_pos: Where the name is written.
        pos: Where the line is written.
    """

    name: str
    day: HolidayDay
    name_pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ObservedStmt:
    """``observed saturday on friday``: a holiday falling on ``weekend_day`` is kept on ``weekday``.

    Attributes:
        weekend_day: Weekday name (the checker wants saturday or sunday).
        weekday: Weekday name of the day observed instead (the friday before or the monday after).
        pos: Where it is written.
    """

    weekend_day: str
    weekday: str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class NotHolidayStmt:
    """``not holiday "Juneteenth National Independence Day"``: a holiday of the calendars this one
    extends that is not one here, while the block is in force.

    Attributes:
        name: The quoted name without quotes.
        name_pos: Where the name is written.
        pos: Where the line is written.
    """

    name: str
    name_pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


HolidayLine = HolidayStmt | ObservedStmt | NotHolidayStmt


@dataclass(frozen=True)
class HolidaysBlock:
    """``holidays from DATE [until DATE] { ... }``: one version of a jurisdiction's public holidays.

    Attributes:
        start: First date in force.
        until: Last date in force (inclusive), or None.
        lines: Holidays and observance lines, in file order.
        pos: Where the block opens.
        end: Where its closing brace is.
    """

    start: DateLit
    until: DateLit | None
    lines: tuple[HolidayLine, ...]
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    end: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Jurisdiction:
    """``federal { ... }`` or ``state CA extends federal { ... }``.

    Attributes:
        name: ``federal`` or a state code as written.
        parent: ``federal``, a state code, or None.
        blocks: Its rule sets.
        name_pos: Where the name is written.
        parent_pos: Where the parent is written.
        pos: Where the block opens.
        end: Where its closing brace is.
        holidays: Its holiday calendars (``holidays from DATE { ... }``), in file order.
    """

    name: str
    parent: str | None
    blocks: tuple[RulesBlock, ...]
    name_pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    parent_pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    end: Pos = field(default=NOWHERE, compare=False, repr=False)
    holidays: tuple[HolidaysBlock, ...] = ()


@dataclass(frozen=True)
class LocalBlock:
    """``local "Denver, CO" { rules from DATE { minimum wage ... } }``: a city's or county's minimum wage.

    Attributes:
        name: The quoted name without quotes (``Denver, CO``).
        blocks: Its rule sets (minimum wages only).
        name_pos: Where the name is written.
        pos: Where the block opens.
        end: Where its closing brace is.
    """

    name: str
    blocks: tuple[RulesBlock, ...]
    name_pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    end: Pos = field(default=NOWHERE, compare=False, repr=False)

    @property
    def place(self) -> str:
        """The city or county (before the last comma)."""
        return self.name.rsplit(",", 1)[0].strip()

    @property
    def state(self) -> str:
        """The state code (after the last comma), as written."""
        return self.name.rsplit(",", 1)[1].strip() if "," in self.name else ""


@dataclass(frozen=True)
class PolicyBlock:
    """``policy "Company overtime" { rules from DATE { ... } }``: an employer's own rules beside the law.

    Attributes:
        name: The quoted name without quotes.
        blocks: Its rule sets (thresholds and day premiums only).
        name_pos: Where the name is written.
        pos: Where the block opens.
        end: Where its closing brace is.
    """

    name: str
    blocks: tuple[RulesBlock, ...]
    name_pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    end: Pos = field(default=NOWHERE, compare=False, repr=False)


TopItem = Employer | BreakTypeDecl | Jurisdiction | LocalBlock | PolicyBlock


@dataclass(frozen=True)
class RulesFile:
    """A whole rules file.

    Attributes:
        version: The ``version`` header's number.
        items: Employer, break types and jurisdictions in file order.
        comments: Every comment, in file order.
        file: The file name as given to the parser.
        version_pos: Where the header is written.
    """

    version: Decimal
    items: tuple[TopItem, ...]
    comments: tuple[Comment, ...] = ()
    file: str = field(default="<text>", compare=False)
    version_pos: Pos = field(default=NOWHERE, compare=False, repr=False)

    @property
    def jurisdictions(self) -> tuple[Jurisdiction, ...]:
        """The jurisdiction blocks, in file order."""
        return tuple(i for i in self.items if isinstance(i, Jurisdiction))

    @property
    def break_types(self) -> tuple[BreakTypeDecl, ...]:
        """The break type declarations, in file order."""
        return tuple(i for i in self.items if isinstance(i, BreakTypeDecl))

    @property
    def locals(self) -> tuple[LocalBlock, ...]:
        """The local (city or county) blocks, in file order."""
        return tuple(i for i in self.items if isinstance(i, LocalBlock))

    @property
    def policies(self) -> tuple[PolicyBlock, ...]:
        """The employer policy blocks, in file order."""
        return tuple(i for i in self.items if isinstance(i, PolicyBlock))

    @property
    def employers(self) -> tuple[Employer, ...]:
        """The employer blocks (one is expected)."""
        return tuple(i for i in self.items if isinstance(i, Employer))
