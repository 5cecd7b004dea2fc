"""The meaning checks of a parsed rules file: every problem at once, each located.

:func:`check` looks at one :class:`rules.ast.RulesFile` and returns a list of
:class:`rules.errors.RulesProblem` (empty when the file means something the
compiler can build). Checks that need the flat, inherited rule sets (a child's
dates against its parent's, DT below OT across inheritance) are made by the
compiler as it builds them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from ot.core.domain import DEFAULT_UNPAID
from ot.core.timez import TimeError, parse_hhmm
from rules import ast
from rules.chars import hidden_characters, look_alike
from rules.errors import RulesProblem, did_you_mean, problem

SUPPORTED_VERSION = 1

# The 50 states, the District of Columbia and Puerto Rico (USPS codes; the FLSA covers Puerto Rico, 29 U.S.C. 203(c)).
STATE_CODES: frozenset[str] = frozenset(
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
        "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
        "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
        "PR",
    }
)  # fmt: skip
NOT_WORKED_PAY_TYPES = ("PTO", "SICK", "HOLIDAY")
ROUNDING_MINUTES = (5, 6, 15)
MAX_HOURS = {
    "daily": Decimal(24),
    "seventh_day": Decimal(24),
    "rolling24": Decimal(24),
    "rolling24_chained": Decimal(24),
    "sunday": Decimal(24),
    "holiday": Decimal(24),
    "weekly": Decimal(168),
    "consecutive": Decimal(168),
}
KIND_WORDS = {
    "daily": "daily",
    "weekly": "weekly",
    "seventh_day": "seventh day",
    "consecutive": "consecutive hours",
    "rolling24": "24-hour period",
    "rolling24_chained": "24-hour period without overlap",
    "sunday": "sunday",
    "holiday": "holiday",
}
DAY_PREMIUM_WORDS = {"split_shift": "split shift", "spread_of_hours": "spread of hours"}
SINGLE_STATEMENTS: dict[type, str] = {
    ast.MinimumWageMeasure: "minimum wage measured per",
    ast.MinimumWageAdjusted: "minimum wage adjusted yearly",
    ast.NoOvertimeFor: "no overtime for",
    ast.NotWorked: "paid not worked",
    ast.ShortBreaks: "short breaks",
    ast.RegularRateStmt: "regular rate",
    ast.RoundingStmt: "rounding",
    ast.CombineStmt: "combine",
    ast.PyramidingStmt: "pyramiding",
    ast.MealStmt: "meal period",
    ast.RestStmt: "rest period",
    ast.ReportingTimeStmt: "reporting time pay",
}


@dataclass(frozen=True)
class Bound:
    """How large, and how finely written, a figure of the rules language may be: sanity bounds a payroll
    admin can see are safe (no law comes near them), so that whatever ``ot rules check`` accepts can be
    priced: a multiplier of x10^28 passed the check, then every pricing of the week crashed.

    Attributes:
        what: The figure in words, with its article ("a multiplier").
        most: The largest value allowed (None: bounded elsewhere, by a check of its own).
        places: The most decimal places (trailing zeros aside).
        most_words: ``most`` as the message says it ("x10", "$1,000.00 an hour").
        example: A figure to write instead ("x1.5").
        prefix: What the file writes before the figure ("x" of a multiplier), to find its column.
        suffix: What it writes after it ("h", " min").
    """

    what: str
    most: Decimal | None
    places: int
    most_words: str
    example: str
    prefix: str = ""
    suffix: str = ""


#: The highest multiplier of a threshold (time and a half is x1.5, double time x2).
MAX_MULTIPLIER = Decimal(10)
#: The highest figure in dollars an hour (a minimum wage, a differential): no minimum wage is near it.
MAX_HOURLY = Decimal("1000.00")
#: The most minutes of a length in minutes (a meal or rest period, short breaks): a day.
MAX_MINUTES = Decimal(24 * 60)
#: The largest employer fact written as a number (size: employees).
MAX_FACT = Decimal(1_000_000_000)
#: The most premiums a day a meal period rule may cap at.
MAX_PREMIUMS_A_DAY = Decimal(10)

MULTIPLIER = Bound("a multiplier", MAX_MULTIPLIER, 2, "x10", "x1.5 (overtime) or x2 (double time)", prefix="x")
FACTOR = Bound("a multiple of the minimum wage", MAX_MULTIPLIER, 2, "10x", "1.5x", suffix="x")
WAGE = Bound("a minimum wage", MAX_HOURLY, 2, "$1,000.00 an hour", "16.90 (dollars and cents an hour)")
DIFFERENTIAL = Bound("a differential", MAX_HOURLY, 2, "$1,000.00 an hour", "1.00 (dollars and cents an hour)")
DAY_HOURS = Bound("hours", Decimal(24), 2, "24h (a day)", "8h or 3.5h", suffix="h")
WEEK_HOURS = Bound("hours", Decimal(168), 2, "168h (a week)", "40h", suffix="h")
CHECKED_HOURS = Bound("hours", None, 2, "", "8h or 3.5h", suffix="h")
MINUTES = Bound("minutes", MAX_MINUTES, 0, "1440 min (a day)", "30 min", suffix=" min")
SHORT_BREAK = Bound("a short break", Decimal(60), 0, "60 min", "20 min", suffix=" min")
HOUR_NUMBER = Bound("an hour of the workday", Decimal(24), 0, "24", "5 (the end of the fifth hour)")
PREMIUM_COUNT = Bound("a number of premiums", MAX_PREMIUMS_A_DAY, 0, "10", "2")
FACT = Bound("an employer fact", MAX_FACT, 2, "1000000000", "30 (such as size: employees)")


def figures(stmt: ast.Statement) -> list[tuple[Decimal | int, Bound, ast.Pos]]:
    """Every figure a statement writes, with its bound and the position to search its text from.

    Lower bounds (more than 0, at least 1) are the statements' own checks; so are the upper bounds that
    say more than "too large" (an alternative workweek's 12 hours a day, reporting time under 24 hours).
    """
    at = stmt.pos
    found: list[tuple[Decimal | int, Bound, ast.Pos]] = []
    if isinstance(stmt, ast.MinimumWageStmt):
        found.append((stmt.amount, WAGE, at))
    elif isinstance(stmt, ast.DifferentialStmt):
        found.append((stmt.amount, DIFFERENTIAL, at))
    elif isinstance(stmt, ast.ThresholdStmt):
        found += [(stmt.over, CHECKED_HOURS, at), (stmt.multiplier, MULTIPLIER, stmt.multiplier_pos)]
        for condition in stmt.conditions:
            if isinstance(condition, ast.RateBelow):
                found.append((condition.multiple, FACTOR, condition.pos))
            elif isinstance(condition, ast.WorkweekOverCond):
                found.append((condition.hours, CHECKED_HOURS, condition.pos))
            elif isinstance(condition, ast.EmployerFactIs) and isinstance(condition.value, Decimal):
                found.append((condition.value, FACT, condition.pos))
    elif isinstance(stmt, ast.ShortBreaks) and stmt.minutes is not None:
        found.append((stmt.minutes, SHORT_BREAK, at))
    elif isinstance(stmt, ast.MealStmt):
        found += [(stmt.minutes, MINUTES, at), (stmt.by_hour, HOUR_NUMBER, at), (stmt.after_hours, DAY_HOURS, at)]
        for clause in stmt.clauses:
            if isinstance(clause, ast.SecondMeal):
                found += [(clause.by_hour, HOUR_NUMBER, clause.pos), (clause.after_hours, DAY_HOURS, clause.pos)]
            elif isinstance(clause, ast.Premium):
                found.append((clause.hours, DAY_HOURS, clause.pos))
            elif isinstance(clause, ast.Waiver):
                found.append((clause.up_to_hours, DAY_HOURS, clause.pos))
            elif isinstance(clause, ast.MaxPremiums):
                found.append((clause.count, PREMIUM_COUNT, clause.pos))
    elif isinstance(stmt, ast.RestStmt):
        found += [(stmt.minutes, MINUTES, at), (stmt.per_hours, DAY_HOURS, at), (stmt.after_hours, DAY_HOURS, at)]
        found += [(c.hours, DAY_HOURS, c.pos) for c in stmt.clauses if isinstance(c, ast.Premium)]
    elif isinstance(stmt, ast.DayPremiumStmt):
        over = (
            CHECKED_HOURS if stmt.kind == "spread_of_hours" else Bound("minutes", None, 0, "", "60 min", suffix=" min")
        )
        found += [(stmt.over, over, at), (stmt.hours, DAY_HOURS, at)]
    elif isinstance(stmt, ast.ReportingTimeStmt):
        found += [(stmt.at_least, CHECKED_HOURS, at), (stmt.at_most, CHECKED_HOURS, at)]
        if stmt.second_report is not None:
            found.append((stmt.second_report, CHECKED_HOURS, at))
    elif isinstance(stmt, ast.AlternativeWorkweekStmt):
        found += [(day.hours, CHECKED_HOURS, day.pos) for day in stmt.days]
        for other in stmt.other:
            found += [(other.over, CHECKED_HOURS, other.pos), (other.multiplier, MULTIPLIER, other.pos)]
    return found


def figure_text(value: Decimal | int) -> str:
    """A figure as written (plain digits, never an exponent), cut short past 20 characters."""
    text = format(Decimal(value), "f")
    return text if len(text) <= 20 else text[:17] + "..."


def _decimal_places(value: Decimal | int) -> int:
    if isinstance(value, int):
        return 0
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    digits = value.as_tuple().digits
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(-exponent - trailing, 0)


def check_figure(value: Decimal | int, bound: Bound, pos: ast.Pos, report: Reporter) -> None:
    """Refuse a figure over its bound, or written finer than it may be, at its own column."""
    shown = bound.prefix + figure_text(value) + bound.suffix
    written = bound.prefix + format(Decimal(value), "f")
    at = report.column_of(pos, written + bound.suffix, written)
    if bound.most is not None and value > bound.most:
        report.add(
            at,
            f"{shown} is more than {bound.most_words}, the most a rules file takes for {bound.what}: "
            f"write the figure the law or your policy sets, such as {bound.example}",
        )
    elif _decimal_places(value) > bound.places:
        finest = "a whole number" if bound.places == 0 else f"at most {bound.places} decimal places"
        report.add(at, f"{shown} is written too finely for {bound.what}: give {finest}, such as {bound.example}")


class Reporter:
    """Collects problems of one file, located in its text.

    Attributes:
        file: The file as given.
        lines: Its text, one entry per line.
        problems: What was found so far.
        references: False when the tree was read with lines left out (after syntax
            errors): then a name that refers to another line (a break type, an
            employer fact, a parent) is not judged, since its line may be one left out.
    """

    def __init__(self, file: str, lines: Sequence[str], references: bool = True) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[RulesProblem] = []
        self.references = references
        self.groups: dict[str, ast.Group] = {}

    def column_of(self, pos: ast.Pos, *texts: str) -> ast.Pos:
        """Where the first of ``texts`` found is written on ``pos``'s line at or after ``pos`` (else ``pos``)."""
        line = self.lines[pos.line - 1] if 0 < pos.line <= len(self.lines) else ""
        for text in texts:
            index = line.find(text, max(pos.column - 1, 0))
            if index >= 0:
                return ast.Pos(pos.line, index + 1)
        return pos

    def add(self, pos: ast.Pos, message: str, expected: Iterable[str] = (), suggestion: str | None = None) -> None:
        """Record a problem at ``pos``."""
        self.problems.append(
            problem(self.file, self.lines, max(pos.line, 1), max(pos.column, 1), message, expected, suggestion)
        )


def jurisdiction_key(name: str) -> str:
    """The model's name of a jurisdiction: ``FEDERAL`` or the state code."""
    return "FEDERAL" if name == "federal" else name


def block_dates(block: ast.RulesBlock | ast.HolidaysBlock) -> tuple[date | None, date | None]:
    """The block's first and last dates (None where unreadable or open)."""
    return block.start.value, (block.until.value if block.until else None)


def check(tree: ast.RulesFile, lines: Sequence[str], *, references: bool = True) -> list[RulesProblem]:
    """Every meaning problem of ``tree`` (whose text is ``lines``).

    ``references=False`` skips the checks of names defined elsewhere (a parent,
    the federal block, a break type, an employer fact), for a tree read with
    lines left out after syntax errors, where such findings would be echoes of
    those errors.
    """
    report = Reporter(tree.file, lines, references)
    if tree.version != SUPPORTED_VERSION:
        report.add(
            tree.version_pos,
            f"this file is written in version {tree.version} of the rules language; this ot reads version 1",
            ('"version 1"',),
        )
    facts = _check_employers(tree, report)
    break_types = _check_break_types(tree, report)
    _check_jurisdictions(tree, report, references)
    for jurisdiction in tree.jurisdictions:
        _check_blocks(jurisdiction.blocks, report)
        for block in jurisdiction.blocks:
            _check_statements(block, report, facts, break_types)
        _check_blocks(jurisdiction.holidays, report, "holidays")
        for holidays in jurisdiction.holidays:
            _check_holidays(holidays, report)
    _check_dropped_holidays(tree, report)
    _check_locals(tree, report, facts, break_types)
    _check_policies(tree, report, facts, break_types)
    return report.problems


#: What an employer policy block may say: overtime thresholds and day premiums.
POLICY_STATEMENTS = (ast.ThresholdStmt, ast.DayPremiumStmt)


def _check_policies(
    tree: ast.RulesFile, report: Reporter, facts: dict[str, Decimal | str], break_types: set[str]
) -> None:
    seen: dict[str, ast.PolicyBlock] = {}
    for policy in tree.policies:
        key = policy.name.strip().casefold()
        if not key:
            report.add(policy.name_pos, 'a policy needs a name: write it in the quotes, such as "Company overtime"')
        elif key in seen:
            report.add(
                policy.name_pos,
                f'policy "{policy.name}" is defined twice (first on line {seen[key].pos.line}): '
                "put all its rules blocks in one",
            )
        seen.setdefault(key, policy)
        if not policy.blocks and report.references:
            report.add(
                policy.pos,
                f'policy "{policy.name}" has no rules block: add one (rules from DATE {{ ... }}), or remove it',
            )
        _check_blocks(policy.blocks, report)
        for block in policy.blocks:
            for stmt in block.statements:
                if not isinstance(stmt, POLICY_STATEMENTS):
                    report.add(
                        stmt.pos,
                        "a policy block holds overtime thresholds and day premiums only (daily over 8h is OT x1.5, "
                        "holiday over 0h is OT x1.5, split shift ...): minimum wages, breaks and the other rules "
                        "come from the law's blocks",
                    )
            _check_statements(block, report, facts, break_types)


#: What a local block may say: its minimum wages and how they are measured.
LOCAL_STATEMENTS = (ast.MinimumWageStmt, ast.MinimumWageMeasure, ast.MinimumWageAdjusted)


def _check_locals(
    tree: ast.RulesFile, report: Reporter, facts: dict[str, Decimal | str], break_types: set[str]
) -> None:
    seen: dict[tuple[str, str], ast.LocalBlock] = {}
    for local in tree.locals:
        if "," not in local.name or not local.place:
            report.add(
                local.name_pos,
                f'write a local block\'s name as "City, ST" or "Name County, ST" (got "{local.name}")',
            )
        elif local.state not in STATE_CODES:
            report.add(
                local.name_pos,
                f'unknown state code {local.state} in "{local.name}": end the name with the state\'s USPS code',
                suggestion=did_you_mean(local.state, STATE_CODES, cutoff=0.5),
            )
        else:
            key = (local.place.casefold(), local.state)
            if key in seen:
                report.add(
                    local.name_pos,
                    f'"{local.name}" is defined twice (first on line {seen[key].pos.line}): put all its rules blocks in one',
                )
            seen.setdefault(key, local)
        if not local.blocks and report.references:
            report.add(
                local.pos, f'"{local.name}" has no rules block: add one (rules from DATE {{ ... }}), or remove it'
            )
        _check_blocks(local.blocks, report)
        for block in local.blocks:
            for stmt in block.statements:
                if not isinstance(stmt, LOCAL_STATEMENTS):
                    report.add(
                        stmt.pos,
                        "a local block holds minimum wages only (minimum wage ... from DATE, minimum wage measured per "
                        "hour/workweek, minimum wage adjusted yearly from DATE): overtime and breaks come from the state's and the federal rules",
                    )
            _check_statements(block, report, facts, break_types)


def _check_employers(tree: ast.RulesFile, report: Reporter) -> dict[str, Decimal | str]:
    facts: dict[str, Decimal | str] = {}
    for index, employer in enumerate(tree.employers):
        if index:
            report.add(employer.pos, "a second employer block: merge it into the first one")
            continue
        seen: dict[str, ast.Pos] = {}
        for line in employer.lines:
            if isinstance(line, ast.Group):
                _check_group(line, report)
                continue
            key = line.name if isinstance(line, ast.Fact) else type(line).__name__
            if key in seen:
                what = f'the fact "{key}"' if isinstance(line, ast.Fact) else _employer_line_words(line)
                report.add(line.pos, f"{what} is given twice (first on line {seen[key].line}): keep one")
                continue
            seen[key] = line.pos
            if isinstance(line, ast.WorkweekStart | ast.WorkdayStart):
                try:
                    parse_hhmm(line.time)
                except TimeError:
                    report.add(
                        line.pos, f"{line.time} is not a time of day: write it as HH:MM in 24-hour time, e.g. 06:00"
                    )
            if isinstance(line, ast.Fact):
                facts[line.name] = line.value
                if isinstance(line.value, Decimal):
                    check_figure(line.value, FACT, line.pos, report)
    return facts


def _check_group(group: ast.Group, report: Reporter) -> None:
    if not group.name.strip():
        report.add(group.pos, 'a group needs a name: write it in the quotes, such as "live-in"')
        return
    first = report.groups.get(group.name)
    if first is not None:
        report.add(group.pos, f'group "{group.name}" is given twice (first on line {first.pos.line}): keep one')
        return
    report.groups[group.name] = group
    seen: set[str] = set()
    for worker in group.workers:
        if not worker.strip():
            report.add(group.pos, f'group "{group.name}" names an empty worker id: write each id in its quotes')
        elif worker in seen:
            report.add(group.pos, f'group "{group.name}" names worker "{worker}" twice: keep one')
        seen.add(worker)


def _check_group_name(name: str, pos: ast.Pos, report: Reporter) -> None:
    if name in report.groups or not report.references:
        return
    twin = look_alike(name, report.groups)
    if twin is not None:
        other, differ = twin
        report.add(
            pos,
            f'no group "{name}" is given in the employer block: the group "{other}" '
            f"(line {report.groups[other].pos.line}) looks the same but differs by {differ}: "
            "write the name the same way in both, with plain spaces",
        )
        return
    suggestion = did_you_mean(name, report.groups)
    report.add(
        pos,
        f'no group "{name}" is given in the employer block: add it there '
        f'(group "{name}" is "W-001", "W-002", or group "{name}" is nobody)' + _hidden_note("group", name, suggestion),
        suggestion=suggestion,
    )


def _hidden_note(kind: str, name: str, suggestion: str | None) -> str:
    """``; the name holds U+00A0 NO-BREAK SPACE, ...``: what a name not found (or the close one suggested
    for it) holds that shows as a space or as nothing, for the end of its message; else ``""``."""
    for label, text in (("the name", name), (f'the {kind} "{suggestion}"', suggestion or "")):
        hidden = hidden_characters(text)
        if hidden is not None:
            return f"; {label} holds {hidden}, which shows as a space or as nothing"
    return ""


def _employer_line_words(line: ast.EmployerLine) -> str:
    return "the workweek start" if isinstance(line, ast.WorkweekStart) else "the workday start"


def _check_break_types(tree: ast.RulesFile, report: Reporter) -> set[str]:
    known = {DEFAULT_UNPAID}
    first: dict[str, ast.Pos] = {}
    for decl in tree.break_types:
        code = decl.code.text
        if code == DEFAULT_UNPAID and decl.paid:
            report.add(
                decl.code.pos, f"{DEFAULT_UNPAID} is always unpaid: declare a paid break type under another code"
            )
            continue
        if code in first:
            report.add(
                decl.code.pos, f"break type {code} is declared twice (first on line {first[code].line}): keep one"
            )
            continue
        first[code] = decl.pos
        known.add(code)
    return known


def _check_jurisdictions(tree: ast.RulesFile, report: Reporter, references: bool) -> None:
    defined: dict[str, ast.Jurisdiction] = {}
    for jurisdiction in tree.jurisdictions:
        name = jurisdiction.name
        if name != "federal" and name not in STATE_CODES:
            report.add(
                jurisdiction.name_pos,
                f"unknown state code {name}: write one of the 50 states, DC or PR as its USPS code",
                suggestion=did_you_mean(name, STATE_CODES, cutoff=0.5),
            )
            continue
        if name in defined:
            what = "the federal block" if name == "federal" else f"state {name}"
            report.add(
                jurisdiction.name_pos,
                f"{what} is defined twice (first on line {defined[name].pos.line}): put all its rules blocks in one",
            )
            continue
        defined[name] = jurisdiction
        if not jurisdiction.blocks and (name == "federal" or not jurisdiction.holidays) and references:
            report.add(
                jurisdiction.pos,
                f"{_say(name)} has no rules block: add one (rules from DATE {{ ... }}), or remove the block"
                + ("" if name == "federal" else " (a state without rules of its own falls back to federal)"),
            )
    if not references:
        return
    if "federal" not in defined:
        report.add(
            ast.Pos(1, 1),
            "the file has no federal block: add federal { rules from DATE { ... } } (every hour is classified under it)",
        )
    for jurisdiction in defined.values():
        parent = jurisdiction.parent
        if parent is None or parent == "federal":
            continue
        if parent == jurisdiction.name:
            report.add(
                jurisdiction.parent_pos, f"state {parent} cannot build on itself: extend federal or another state"
            )
            continue
        if parent not in STATE_CODES:
            report.add(
                jurisdiction.parent_pos,
                f"unknown state code {parent}: a state builds on federal or on a state this file defines",
                suggestion=did_you_mean(parent, STATE_CODES, cutoff=0.5),
            )
            continue
        if parent not in defined:
            choices = [n for n in defined if n != jurisdiction.name]
            report.add(
                jurisdiction.parent_pos,
                f"state {jurisdiction.name} extends {parent}, which this file does not define: "
                f"define state {parent}, or extend federal",
                suggestion=did_you_mean(parent, choices, cutoff=0.5),
            )
    _check_cycles(defined, report)


def _check_cycles(defined: dict[str, ast.Jurisdiction], report: Reporter) -> None:
    reported: set[str] = set()
    for start in defined:
        if defined[start].parent == start:  # reported on its own
            continue
        chain = [start]
        current = defined[start].parent
        while current is not None and current in defined and current not in chain:
            chain.append(current)
            current = defined[current].parent
        if current is None or current not in chain or current != start or start in reported:
            continue
        cycle = [*chain, start]
        reported.update(chain)
        report.add(
            defined[start].parent_pos,
            "these states build on each other in a circle: " + " -> ".join(cycle) + "; one of them must extend federal",
        )


def _say(name: str) -> str:
    return "the federal block" if name == "federal" else f"state {name}"


def _check_blocks(
    blocks: Sequence[ast.RulesBlock] | Sequence[ast.HolidaysBlock], report: Reporter, word: str = "rules"
) -> None:
    readable: list[tuple[date, date | None, ast.RulesBlock | ast.HolidaysBlock]] = []
    for block in blocks:
        for lit in (block.start, block.until):
            if lit is not None and lit.value is None:
                report.add(lit.pos, f"{lit.text} is not a real date: write a date that exists, as YYYY-MM-DD")
        start, until = block_dates(block)
        if start is None or (block.until is not None and until is None):
            continue
        if until is not None and until < start:
            report.add(
                block.until.pos if block.until else block.pos, f"until {until} is before from {start}: swap them"
            )
            continue
        readable.append((start, until, block))
    readable.sort(key=lambda item: item[0])
    for (start_a, until_a, block_a), (start_b, _until_b, block_b) in itertools.pairwise(readable):
        if until_a is None or start_b <= until_a:
            upto = "until further notice" if until_a is None else f"until {until_a}"
            report.add(
                block_b.pos,
                f"{word} from {start_b} overlap the {word} from {start_a} (line {block_a.pos.line}), in force {upto}: "
                f"end that block with until {_day_before(start_b)}, or change this one's date",
            )


#: The weekday a weekend holiday may be observed on: the friday before, or the monday after.
OBSERVED_DAYS = ("friday", "monday")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _check_holidays(block: ast.HolidaysBlock, report: Reporter) -> None:
    """A holidays block: at least one holiday, each named once, on a date every year has;
    weekend observance only from a saturday or sunday to the friday before or the monday after."""
    holidays = [line for line in block.lines if isinstance(line, ast.HolidayStmt)]
    drops = any(isinstance(line, ast.NotHolidayStmt) for line in block.lines)
    if not holidays and not drops and report.references:  # after a syntax error, its lines may be the ones left out
        report.add(
            block.pos, 'this holidays block lists no holiday: add a line such as holiday "Veterans Day" on november 11'
        )
    names: dict[str, int] = {}
    for line in holidays:
        key = line.name.strip().casefold()
        if not key:
            report.add(line.name_pos, 'a holiday needs a name: write it in the quotes, such as "Labor Day"')
        elif key in names:
            report.add(
                line.name_pos,
                f'"{line.name}" is listed twice in this block (first on line {names[key]}): remove one, or rename it',
            )
        else:
            names[key] = line.pos.line
        if isinstance(line.day, ast.FixedDate):
            _check_fixed_date(line.day, report)
    observed: dict[str, int] = {}
    for rule in (line for line in block.lines if isinstance(line, ast.ObservedStmt)):
        if rule.weekend_day not in ("saturday", "sunday"):
            report.add(
                rule.pos,
                f"only a holiday that falls on a saturday or a sunday is observed on another day, not on a "
                f"{rule.weekend_day}: write observed saturday on friday, or observed sunday on monday",
            )
        elif rule.weekday not in OBSERVED_DAYS:
            report.add(
                rule.pos,
                f"a holiday on a {rule.weekend_day} is observed on the friday before or the monday after, "
                f"not on a {rule.weekday}: write observed {rule.weekend_day} on friday (or on monday)",
                ('"friday"', '"monday"'),
            )
        elif rule.weekend_day in observed:
            report.add(
                rule.pos,
                f"{rule.weekend_day} is given twice (first on line {observed[rule.weekend_day]}): keep one",
            )
        else:
            observed[rule.weekend_day] = rule.pos.line
    for drop in (line for line in block.lines if isinstance(line, ast.NotHolidayStmt)):
        key = drop.name.strip().casefold()
        if not key:
            report.add(
                drop.name_pos,
                'not holiday needs a name: write the inherited holiday\'s, such as "Juneteenth National Independence Day"',
            )
        elif key in names:
            report.add(
                drop.name_pos,
                f'"{drop.name}" is listed on line {names[key]} of this block and dropped here: keep one of the two',
            )


def _check_dropped_holidays(tree: ast.RulesFile, report: Reporter) -> None:
    """Each ``not holiday "NAME"`` names a holiday of a calendar the jurisdiction extends."""
    by_name = {j.name: j for j in tree.jurisdictions}
    for jurisdiction in tree.jurisdictions:
        drops = [
            line
            for block in jurisdiction.holidays
            for line in block.lines
            if isinstance(line, ast.NotHolidayStmt) and line.name.strip()
        ]
        if not drops:
            continue
        inherited: dict[str, str] = {}
        seen = {jurisdiction.name}
        parent = jurisdiction.parent or ("federal" if jurisdiction.name != "federal" else None)
        while parent is not None and parent in by_name and parent not in seen:
            seen.add(parent)
            for block in by_name[parent].holidays:
                for line in block.lines:
                    if isinstance(line, ast.HolidayStmt):
                        inherited.setdefault(line.name.strip().casefold(), line.name)
            parent = by_name[parent].parent or ("federal" if parent != "federal" else None)
        for drop in drops:
            if drop.name.strip().casefold() not in inherited:
                where = ", ".join(sorted(seen - {jurisdiction.name})) or "nothing"
                twin = look_alike(drop.name.strip().casefold(), inherited)
                if twin is not None:
                    report.add(
                        drop.name_pos,
                        f'no holiday "{drop.name}" in the calendars {jurisdiction.name} extends ({where}): '
                        f'the holiday "{inherited[twin[0]]}" looks the same but differs by {twin[1]}: '
                        "write the name the same way in both, with plain spaces",
                    )
                    continue
                suggestion = did_you_mean(drop.name, sorted(inherited.values()))
                report.add(
                    drop.name_pos,
                    f'no holiday "{drop.name}" in the calendars {jurisdiction.name} extends ({where}): '
                    "write the name as the holiday line there gives it"
                    + _hidden_note("holiday", drop.name, suggestion),
                    suggestion=suggestion,
                )


def _check_fixed_date(day: ast.FixedDate, report: Reporter) -> None:
    month = _MONTH_NAMES[day.month - 1]
    if day.day != day.day.to_integral_value() or not 1 <= day.day <= _MONTH_DAYS[day.month - 1]:
        report.add(
            day.pos,
            f"{month} has no day {day.day}: write a whole day from 1 to {_MONTH_DAYS[day.month - 1]}",
        )
    elif day.month == 2 and day.day == 29:
        report.add(
            day.pos,
            "February 29 is not in every year: write the date the holiday is kept on in other years (February 28 "
            "or March 1)",
        )


def _day_before(day: date) -> str:
    if day == date.min:  # nothing comes before the first day: the block cannot end before it starts
        return f"{day.isoformat()} (no day comes before it: give this block a later date)"
    return date.fromordinal(day.toordinal() - 1).isoformat()


def _check_statements(
    block: ast.RulesBlock, report: Reporter, facts: dict[str, Decimal | str], break_types: set[str]
) -> None:
    first_single: dict[type, ast.Pos] = {}
    wages: dict[date, ast.Pos] = {}
    thresholds: dict[tuple[str, str, tuple[ast.ConditionNode, ...]], ast.ThresholdStmt] = {}
    day_premiums: dict[str, ast.Pos] = {}
    schedules: dict[str, tuple[str, ast.Pos]] = {}
    start, until = block_dates(block)
    for stmt in block.statements:
        kind = type(stmt)
        if kind in SINGLE_STATEMENTS:
            if kind in first_single:
                report.add(
                    stmt.pos,
                    f'a second "{SINGLE_STATEMENTS[kind]}" in this rules block (first on line {first_single[kind].line}): keep one',
                )
                continue
            first_single[kind] = stmt.pos
        for value, bound, pos in figures(stmt):
            check_figure(value, bound, pos, report)
        if isinstance(stmt, ast.MinimumWageStmt):
            _check_minimum_wage(stmt, wages, start, until, report)
        elif isinstance(stmt, ast.MinimumWageAdjusted):
            _check_adjusted(stmt, block, report)
        elif isinstance(stmt, ast.ThresholdStmt):
            _check_threshold(stmt, thresholds, facts, report)
        elif isinstance(stmt, ast.NoOvertimeFor):
            for group in stmt.groups:
                _check_group_name(group, stmt.pos, report)
        elif isinstance(stmt, ast.NotWorked):
            for name in stmt.pay_types:
                if name.text == "REGULAR":
                    report.add(
                        name.pos, "REGULAR hours are hours worked and always count: list only PTO, SICK or HOLIDAY"
                    )
                elif name.text not in NOT_WORKED_PAY_TYPES:
                    report.add(
                        name.pos,
                        f"unknown pay type {name.text}: the pay types paid but not worked are PTO, SICK and HOLIDAY",
                        suggestion=did_you_mean(name.text, NOT_WORKED_PAY_TYPES),
                    )
        elif isinstance(stmt, ast.ShortBreaks):
            if stmt.minutes is not None and stmt.minutes <= 0:
                report.add(
                    stmt.pos,
                    "short breaks up to 0 min: write a length such as 20 min, or say short breaks are not worked",
                )
        elif isinstance(stmt, ast.RoundingStmt):
            if stmt.minutes and stmt.minutes not in ROUNDING_MINUTES:
                report.add(
                    stmt.pos,
                    f"rounding to {figure_text(stmt.minutes)} min is not a neutral rounding policy: use 5, 6 or 15 min "
                    "(29 CFR 785.48(b)), or rounding none",
                )
        elif isinstance(stmt, ast.DifferentialStmt):
            _check_differential(stmt, report)
        elif isinstance(stmt, ast.MealStmt):
            _check_meal(stmt, break_types, report)
        elif isinstance(stmt, ast.RestStmt):
            _check_rest(stmt, break_types, report)
        elif isinstance(stmt, ast.DayPremiumStmt):
            _check_day_premium(stmt, day_premiums, report)
        elif isinstance(stmt, ast.AlternativeWorkweekStmt):
            _check_alternative_workweek(stmt, schedules, report)
        elif isinstance(stmt, ast.ReportingTimeStmt):
            if not Decimal(0) < stmt.at_least <= stmt.at_most < Decimal(24):
                report.add(
                    stmt.pos,
                    "reporting time pay takes at least and at most hours with 0 < at least <= at most < 24, "
                    "such as at least 2h, at most 4h",
                )
            if stmt.second_report is not None and not Decimal(0) < stmt.second_report < Decimal(24):
                report.add(stmt.pos, "a second report is paid more than 0 and under 24 hours, such as 2h")
    _check_order(thresholds, report)


#: Lab. Code 511(a): up to 10 hours a day within a 40-hour workweek (12 for the health care schedules of
#: Wage Orders 4 and 5, section 3(B)(8)).
AWS_MAX_DAY = Decimal(12)
AWS_MAX_WEEK = Decimal(40)


def _check_alternative_workweek(
    stmt: ast.AlternativeWorkweekStmt, seen: dict[str, tuple[str, ast.Pos]], report: Reporter
) -> None:
    if not stmt.name.strip():
        report.add(stmt.pos, 'an alternative workweek needs a name: write it in the quotes, such as "4x10"')
    for worker in stmt.workers:
        if not worker.strip():
            report.add(stmt.pos, 'a worker id in quotes is empty: write the worker\'s id, such as "W-001"')
        elif worker in seen:
            name, pos = seen[worker]
            report.add(
                stmt.pos,
                f'worker "{worker}" is already on the alternative workweek "{name}" (line {pos.line}): '
                "a worker works one schedule",
            )
        else:
            seen[worker] = (stmt.name, stmt.pos)
    days: dict[str, list[tuple[ast.AwsDay, date | None]]] = {}
    # The hours of each week of a two-week schedule (9/80): week 0 is the first alternating date's.
    weeks = [Decimal(0), Decimal(0)]
    anchor: date | None = None
    for day in stmt.days:
        when = _alternate_date(day, report)
        if when is False:
            continue
        earlier = days.setdefault(day.weekday, [])
        clash = next((e for e, w in earlier if w is None or when is None or (w - when).days % 14 == 0), None)
        if clash is not None:
            every = " every other week" if clash.every_other_from else ""
            report.add(day.pos, f"{day.weekday} is scheduled twice (first as {clash.hours}h{every}): keep one")
            continue
        earlier.append((day, when))
        if not Decimal(0) < day.hours <= AWS_MAX_DAY:
            report.add(
                day.pos,
                f"{day.weekday} {day.hours}h: an alternative workweek schedules more than 0 and at most "
                f"{AWS_MAX_DAY} hours a day (Lab. Code 511(a): 10; Wage Orders 4 and 5, 3(B)(8): 12 in health care)",
            )
        if when is None:
            weeks = [w + day.hours for w in weeks]
        else:
            anchor = anchor or when
            weeks[(when - anchor).days // 7 % 2] += day.hours
    if anchor is None and weeks[0] > AWS_MAX_WEEK:
        report.add(
            stmt.pos,
            f"the schedule adds up to {weeks[0]}h a week: an alternative workweek fits within a 40-hour workweek "
            "(Lab. Code 511(a))",
        )
    if anchor is not None and sum(weeks) > 2 * AWS_MAX_WEEK:
        report.add(
            stmt.pos,
            f"the schedule adds up to {sum(weeks)}h over its two weeks ({weeks[0]}h and {weeks[1]}h): an "
            "alternative workweek fits within a 40-hour workweek (Lab. Code 511(a)), 80 hours over two "
            "(a 9/80 begins its workweek in the middle of the day worked every other week: 29 CFR 778.105)",
        )
    classes: dict[str, ast.AwsOther] = {}
    for other in stmt.other:
        if other.multiplier < 1:
            report.add(other.pos, f"a multiplier of x{other.multiplier} is under 1: write x1.5 or x2")
        if other.over >= 24:
            report.add(other.pos, f"other days over {other.over}h can never be reached: write fewer hours")
        if other.hour_class in classes:
            report.add(other.pos, f"other days {other.hour_class} is given twice: keep one")
        classes[other.hour_class] = other
    if "OT" in classes and "DT" in classes and classes["DT"].over <= classes["OT"].over:
        report.add(classes["DT"].pos, "double time on other days starts at or below overtime: DT must start above OT")


def _alternate_date(day: ast.AwsDay, report: Reporter) -> date | Literal[False] | None:
    """The first date of a day scheduled every other week; None for a day of every week; False (and
    a problem reported) for a date that is not real or not on the day's weekday."""
    if day.every_other_from is None:
        return None
    lit = day.every_other_from
    when = lit.value
    if when is None:
        report.add(lit.pos, f"{lit.text} is not a real date: write a date that exists, as YYYY-MM-DD")
        return False
    actual = ast.WEEKDAYS[when.weekday()]
    if actual != day.weekday:
        ahead = (ast.WEEKDAYS.index(day.weekday) - when.weekday()) % 7
        report.add(
            lit.pos,
            f"{lit.text} is a {actual}: every other {day.weekday} counts from a {day.weekday}, "
            f"such as {(when + timedelta(days=ahead)).isoformat()}",
        )
        return False
    return when


def _check_day_premium(stmt: ast.DayPremiumStmt, seen: dict[str, ast.Pos], report: Reporter) -> None:
    words = DAY_PREMIUM_WORDS[stmt.kind]
    if stmt.kind in seen:
        report.add(stmt.pos, f'a second "{words}" in this rules block (first on line {seen[stmt.kind].line}): keep one')
        return
    seen[stmt.kind] = stmt.pos
    if stmt.hours <= 0:
        report.add(stmt.pos, f"a {words} premium of 0h pays nothing: write the hours owed, such as 1h")
    if stmt.kind == "split_shift" and not Decimal(0) < stmt.over < Decimal(24 * 60):
        report.add(stmt.pos, "split shift over takes the longest meal period in minutes, such as 60 min")
    if stmt.kind == "spread_of_hours" and not Decimal(0) < stmt.over < Decimal(24):
        report.add(stmt.pos, "spread of hours over takes hours between 0 and 24, such as 10h")


def _check_minimum_wage(
    stmt: ast.MinimumWageStmt, wages: dict[date, ast.Pos], start: date | None, until: date | None, report: Reporter
) -> None:
    if stmt.amount <= 0:
        report.add(stmt.pos, "a minimum wage must be more than 0: write dollars per hour such as 7.25")
    day = stmt.effective.value
    if day is None:
        report.add(
            stmt.effective.pos, f"{stmt.effective.text} is not a real date: write a date that exists, as YYYY-MM-DD"
        )
        return
    if day in wages:
        report.add(
            stmt.pos,
            f"a second minimum wage from {day} (first on line {wages[day].line}): keep one figure per date",
        )
        return
    wages[day] = stmt.pos
    if until is not None and day > until:
        report.add(stmt.effective.pos, f"this minimum wage starts after the block ends ({until}): it would never apply")


def _check_adjusted(stmt: ast.MinimumWageAdjusted, block: ast.RulesBlock, report: Reporter) -> None:
    day = stmt.first.value
    if day is None:
        report.add(stmt.first.pos, f"{stmt.first.text} is not a real date: write a date that exists, as YYYY-MM-DD")
    elif day.month == 2 and day.day == 29:
        report.add(
            stmt.first.pos,
            "February 29 is not in every year: write the date the law adjusts the minimum wage on in other years",
        )
    if not any(isinstance(s, ast.MinimumWageStmt) for s in block.statements):
        report.add(
            stmt.pos,
            "a yearly adjustment of no minimum wage: write this block's figures (minimum wage 16.90 from "
            "2026-01-01) beside it",
        )


def _check_threshold(
    stmt: ast.ThresholdStmt,
    seen: dict[tuple[str, str, tuple[ast.ConditionNode, ...]], ast.ThresholdStmt],
    facts: dict[str, Decimal | str],
    report: Reporter,
) -> None:
    if stmt.multiplier < 1:
        report.add(
            stmt.multiplier_pos,
            f"a multiplier of x{stmt.multiplier} is under 1 and would pay these hours less than regular ones: "
            "write x1.5 (overtime) or x2 (double time)",
        )
    limit = MAX_HOURS.get(stmt.kind)
    if limit is not None and stmt.over >= limit:
        report.add(
            stmt.pos,
            f"{KIND_WORDS[stmt.kind]} over {figure_text(stmt.over)}h can never be reached: write fewer "
            f"hours than {limit}h ({'a week' if limit > 24 else 'a day'})",
        )
    for condition in stmt.conditions:
        _check_condition(condition, facts, report)
    key = (stmt.kind, stmt.hour_class, stmt.conditions)
    if key in seen:
        report.add(
            stmt.pos,
            f"a second {KIND_WORDS[stmt.kind]} {stmt.hour_class} threshold with the same conditions "
            f"(first on line {seen[key].pos.line}): keep one",
        )
        return
    seen[key] = stmt


def _check_order(
    thresholds: dict[tuple[str, str, tuple[ast.ConditionNode, ...]], ast.ThresholdStmt], report: Reporter
) -> None:
    for (kind, hour_class, conditions), stmt in thresholds.items():
        if hour_class != "DT":
            continue
        overtime = thresholds.get((kind, "OT", conditions))
        if overtime is not None and stmt.over <= overtime.over:
            report.add(
                stmt.pos,
                f"double time starts at or below overtime: {KIND_WORDS[kind]} DT over {stmt.over}h, "
                f"but OT over {overtime.over}h (line {overtime.pos.line}); DT must start above OT",
            )


def _check_condition(condition: ast.ConditionNode, facts: dict[str, Decimal | str], report: Reporter) -> None:
    if isinstance(condition, ast.RateBelow):
        if condition.multiple <= 0:
            report.add(condition.pos, "rate below 0x minimum wage can never hold: write a multiple such as 1.5x")
        return
    if isinstance(condition, ast.WorkerInGroup):
        _check_group_name(condition.group, condition.pos, report)
        return
    if isinstance(condition, ast.WorkweekOverCond):
        if not Decimal(0) < condition.hours < Decimal(168):
            report.add(condition.pos, "workweek over takes hours between 0 and 168, such as 40h")
        return
    if isinstance(condition, ast.EmployerFactIs):
        if condition.name not in facts and not report.references:
            return
        if condition.name not in facts:
            report.add(
                condition.pos,
                f'the employer fact "{condition.name}" is not given in the employer block: add it there (e.g. {condition.name} 30)',
                suggestion=did_you_mean(condition.name, facts),
            )
            return
        fact = facts[condition.name]
        if isinstance(condition.value, str) and condition.op not in ("==", "!="):
            report.add(condition.pos, f'compare a text with "is" or "is not", not {condition.op}')
        elif isinstance(fact, str) != isinstance(condition.value, str):
            given = "a text" if isinstance(fact, str) else "a number"
            report.add(
                condition.pos,
                f'the employer fact "{condition.name}" is {given} in the employer block: compare it with {given}',
            )


def _check_taken_as(clause: ast.TakenAs, break_types: set[str], report: Reporter) -> None:
    if not report.references:
        return
    for name in clause.codes:
        if name.text not in break_types:
            report.add(
                name.pos,
                f"unknown break type {name.text}: declare it (break type {name.text} unpaid) or use one of "
                + ", ".join(sorted(break_types)),
                suggestion=did_you_mean(name.text, break_types),
            )


def _clause_name(clause: ast.MealClause | ast.RestClause) -> str:
    if isinstance(clause, ast.SecondMeal):
        return "second before end of hour"
    if isinstance(clause, ast.Premium):
        return "premium"
    if isinstance(clause, ast.Waiver):
        return "second waivable" if clause.second else "waivable"
    if isinstance(clause, ast.MaxPremiums):
        return "at most ... per day"
    if isinstance(clause, ast.Evidence):
        return "evidence"
    return "taken as"


def _check_differential(stmt: ast.DifferentialStmt, report: Reporter) -> None:
    """A differential pays something, inside a window of two real times that are not the same."""
    if stmt.amount <= 0:
        report.add(stmt.pos, "a differential of 0 per hour pays nothing: write an amount such as 1.00")
    times = []
    for text in (stmt.start, stmt.end):
        try:
            times.append(parse_hhmm(text))
        except TimeError:
            report.add(stmt.pos, f"{text} is not a time of day: write HH:MM from 00:00 to 23:59")
    if len(times) == 2 and times[0] == times[1]:
        report.add(stmt.pos, f"the window {stmt.start}-{stmt.end} is empty: give it two different times")


def _check_meal(stmt: ast.MealStmt, break_types: set[str], report: Reporter) -> None:
    seen: dict[str, ast.Pos] = {}
    second: ast.SecondMeal | None = None
    second_waiver: ast.Waiver | None = None
    for clause in stmt.clauses:
        name = _clause_name(clause)
        if name in seen:
            report.add(clause.pos, f'"{name}" is given twice in this meal period rule: keep one')
            continue
        seen[name] = clause.pos
        if isinstance(clause, ast.SecondMeal):
            second = clause
            if clause.after_hours <= stmt.after_hours:
                report.add(
                    clause.pos, "the second meal period must be owed after longer work than the first: write more hours"
                )
        elif isinstance(clause, ast.Waiver) and clause.second:
            second_waiver = clause
        elif isinstance(clause, ast.MaxPremiums) and (
            clause.count < 1 or clause.count != clause.count.to_integral_value()
        ):
            report.add(clause.pos, "at most N premiums per day takes a whole number of 1 or more")
        elif isinstance(clause, ast.TakenAs):
            _check_taken_as(clause, break_types, report)
    if stmt.minutes <= 0:
        report.add(stmt.pos, "a meal period of 0 min: write its length such as 30 min")
    if "premium" not in seen:
        report.add(stmt.pos, "a meal period rule needs a premium for a missed meal: add , premium 1h")
    if second_waiver is not None and second is None:
        report.add(
            second_waiver.pos,
            "a waiver of the second meal period needs a second meal period: add , second before end of hour 10 when over 10h",
        )


def _check_rest(stmt: ast.RestStmt, break_types: set[str], report: Reporter) -> None:
    seen: dict[str, ast.Pos] = {}
    for clause in stmt.clauses:
        name = _clause_name(clause)
        if name in seen:
            report.add(clause.pos, f'"{name}" is given twice in this rest period rule: keep one')
            continue
        seen[name] = clause.pos
        if isinstance(clause, ast.TakenAs):
            _check_taken_as(clause, break_types, report)
        if isinstance(clause, ast.Evidence) and len(set(clause.kinds)) != len(clause.kinds):
            report.add(clause.pos, "an evidence is named twice: write evidence breaks or attestation")
    if stmt.minutes <= 0 or stmt.per_hours <= 0:
        report.add(stmt.pos, "a rest period needs minutes and hours above 0, such as 10 min per 4h")
    if "premium" not in seen:
        report.add(stmt.pos, "a rest period rule needs a premium for a missed rest: add , premium 1h")
