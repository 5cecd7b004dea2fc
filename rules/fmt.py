"""The canonical layout of a rules file: ``format_text`` (idempotent, comments kept).

The layout: one statement a line, two spaces of indent per block level, one
space between words, units written the one way (``8h``, ``30 min``,
``x1.5``), each comment where it was (on its own line, or after the line it
followed, two spaces away), blank lines kept but never more than one in a row
and never just inside a brace. Values are printed as written (``16.50`` stays
``16.50``), so that formatting never changes what a file says: the AST of a
formatted file equals the original's.
"""

from __future__ import annotations

from decimal import Decimal

from rules import ast
from rules.errors import RulesError, problem
from rules.parser import MONTHS, parse

INDENT = "  "


def format_text(text: str, file: str = "<text>") -> str:
    """``text`` in the canonical layout; :class:`rules.errors.RulesError` when it does not parse, or when
    the layout would not read back as the same file (never written: a bug of this module, reported).

    A byte-order mark that starts ``text`` is dropped: the layout is UTF-8 without one, as ot writes
    every file (``ot rules fmt --check`` says a file with one would be reformatted)."""
    tree = parse(text, file)
    formatted = format_tree(tree)
    _reads_back(formatted, tree, file)
    return formatted


def _reads_back(formatted: str, tree: ast.RulesFile, file: str) -> None:
    """Refuse a layout that does not parse, or parses to another file (positions aside), with where."""
    try:
        again = parse(formatted, file)
    except RulesError as exc:
        first = exc.rules_problems[0] if exc.rules_problems else None
        where = f" (at line {first.line}:{first.column} of the formatted text: {first.message})" if first else ""
        raise _refused(file, f"the formatted text would not parse{where}") from None
    if again != tree:
        raise _refused(file, "the formatted text would not say the same as the file")


def _refused(file: str, why: str) -> RulesError:
    lines = [""]
    return RulesError(
        file,
        [problem(file, lines, 1, 1, f"{why}: the file was left as it is; please report this with the file")],
    )


def format_tree(tree: ast.RulesFile) -> str:
    """The canonical text of a parsed file (its comments included)."""
    out = _Printer(tree.comments)
    out.line(tree.version_pos.line, f"version {tree.version}", 0)
    for item in tree.items:
        if isinstance(item, ast.Employer):
            name = f' "{item.name}"' if item.name is not None else ""
            out.open(item.pos.line, f"employer{name} {{", 0)
            for line in item.lines:
                out.line(line.pos.line, employer_line_text(line), 1)
            out.close(item.end.line, 0)
        elif isinstance(item, ast.BreakTypeDecl):
            out.line(item.pos.line, f"break type {item.code.text} {'paid' if item.paid else 'unpaid'}", 0)
        else:
            if isinstance(item, ast.LocalBlock):
                header = f'local "{item.name}" {{'
            elif isinstance(item, ast.PolicyBlock):
                header = f'policy "{item.name}" {{'
            else:
                header = jurisdiction_header(item)
            out.open(item.pos.line, header, 0)
            holidays: tuple[ast.HolidaysBlock, ...] = item.holidays if isinstance(item, ast.Jurisdiction) else ()
            blocks: list[ast.RulesBlock | ast.HolidaysBlock] = [*item.blocks, *holidays]
            for block in sorted(blocks, key=lambda b: b.pos.line):
                until = f" until {block.until.text}" if block.until else ""
                if isinstance(block, ast.HolidaysBlock):
                    out.open(block.pos.line, f"holidays from {block.start.text}{until} {{", 1)
                    for holiday_line in block.lines:
                        out.line(holiday_line.pos.line, holiday_line_text(holiday_line), 2)
                else:
                    out.open(block.pos.line, f"rules from {block.start.text}{until} {{", 1)
                    for stmt in block.statements:
                        out.line(stmt.pos.line, statement_text(stmt), 2)
                out.close(block.end.line, 1)
            out.close(item.end.line, 0)
    out.rest()
    return "\n".join(out.lines) + "\n"


_ORDINAL_TEXT = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def holiday_day_text(day: ast.HolidayDay) -> str:
    """``november 11`` or ``fourth thursday of november``."""
    month = MONTHS[day.month - 1]
    if isinstance(day, ast.FixedDate):
        return f"{month} {_num(day.day)}"
    return f"{_ORDINAL_TEXT[day.nth]} {day.weekday} of {month}"


def holiday_line_text(line: ast.HolidayLine) -> str:
    """One line of a holidays block."""
    if isinstance(line, ast.ObservedStmt):
        return f"observed {line.weekend_day} on {line.weekday}"
    if isinstance(line, ast.NotHolidayStmt):
        return f'not holiday "{line.name}"'
    return f'holiday "{line.name}" on {holiday_day_text(line.day)}'


def jurisdiction_header(item: ast.Jurisdiction) -> str:
    """``federal {`` or ``state CA extends federal {``."""
    if item.name == "federal":
        return "federal {"
    parent = f" extends {item.parent}" if item.parent else ""
    return f"state {item.name}{parent} {{"


def _num(value: object) -> str:
    """A number as a rules file writes it: never with an exponent (``0.0000001``, not ``1E-7``); a
    whole number through Decimal too (``str`` of an int past 4,300 digits raises)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _value(value: Decimal | str) -> str:
    return f'"{value}"' if isinstance(value, str) else _num(value)


def employer_line_text(line: ast.EmployerLine) -> str:
    """One line of the employer block."""
    if isinstance(line, ast.WorkweekStart):
        return f"workweek starts {line.day} {line.time}"
    if isinstance(line, ast.WorkdayStart):
        return f"workday starts {line.time}"
    if isinstance(line, ast.Group):
        members = ", ".join(f'"{w}"' for w in line.workers) if line.workers else "nobody"
        return f'group "{line.name}" is {members}'
    return f"{line.name} {_value(line.value)}"


_KIND_TEXT = {
    "daily": "daily",
    "weekly": "weekly",
    "seventh_day": "seventh day",
    "consecutive": "consecutive hours",
    "rolling24": "24-hour period",
    "rolling24_chained": "24-hour period without overlap",
    "sunday": "sunday",
    "holiday": "holiday",
}
_OP_TEXT = {"==": "is", "!=": "is not", ">=": ">=", "<=": "<=", ">": ">", "<": "<"}


def condition_text(condition: ast.ConditionNode) -> str:
    """One condition of a ``when`` clause."""
    if isinstance(condition, ast.RateBelow):
        return f"rate below {_num(condition.multiple)}x minimum wage"
    if isinstance(condition, ast.WorkerTypeIs):
        return "worker type is " + " or ".join(condition.types)
    if isinstance(condition, ast.WorkweekOverCond):
        return f"workweek over {_num(condition.hours)}h"
    if isinstance(condition, ast.WorkerInGroup):
        return f'worker {"not in" if condition.negated else "in"} "{condition.group}"'
    return f"employer {condition.name} {_OP_TEXT[condition.op]} {_value(condition.value)}"


def _clause_text(clause: ast.MealClause | ast.RestClause) -> str:
    if isinstance(clause, ast.SecondMeal):
        return f"second before end of hour {_num(clause.by_hour)} when over {_num(clause.after_hours)}h"
    if isinstance(clause, ast.Premium):
        return f"premium {_num(clause.hours)}h"
    if isinstance(clause, ast.Waiver):
        return f"{'second ' if clause.second else ''}waivable up to {_num(clause.up_to_hours)}h"
    if isinstance(clause, ast.MaxPremiums):
        return f"at most {_num(clause.count)} {'premium' if clause.count == 1 else 'premiums'} per day"
    if isinstance(clause, ast.Evidence):
        return "evidence " + " or ".join(clause.kinds)
    return "taken as " + " or ".join(code.text for code in clause.codes)


def statement_text(stmt: ast.Statement) -> str:
    """One statement of a rules block, canonically."""
    if isinstance(stmt, ast.MinimumWageStmt):
        return f"minimum wage {_num(stmt.amount)} from {stmt.effective.text}"
    if isinstance(stmt, ast.MinimumWageMeasure):
        return f"minimum wage measured per {'hour' if stmt.per_hour else 'workweek'}"
    if isinstance(stmt, ast.MinimumWageAdjusted):
        return f"minimum wage adjusted yearly from {stmt.first.text}"
    if isinstance(stmt, ast.ThresholdStmt):
        text = f"{_KIND_TEXT[stmt.kind]} over {_num(stmt.over)}h is {stmt.hour_class} x{_num(stmt.multiplier)}"
        if stmt.conditions:
            text += " when " + " and ".join(condition_text(c) for c in stmt.conditions)
        return text
    if isinstance(stmt, ast.NoOvertimeFor):
        return "no overtime for " + ", ".join([*stmt.types, *(f'"{g}"' for g in stmt.groups)])
    if isinstance(stmt, ast.NotWorked):
        return "paid not worked " + ", ".join(n.text for n in stmt.pay_types) + " never count toward overtime"
    if isinstance(stmt, ast.ShortBreaks):
        if stmt.minutes is None:
            return "short breaks are not worked"
        return f"short breaks up to {_num(stmt.minutes)} min are worked"
    if isinstance(stmt, ast.RegularRateStmt):
        return "regular rate weighted average"
    if isinstance(stmt, ast.RoundingStmt):
        return "rounding none" if stmt.minutes == 0 else f"rounding to nearest {_num(stmt.minutes)} min"
    if isinstance(stmt, ast.CombineStmt):
        return "combine most favourable"
    if isinstance(stmt, ast.PyramidingStmt):
        return "pyramiding allowed" if stmt.allowed else "no pyramiding"
    if isinstance(stmt, ast.DifferentialStmt):
        return f"differential {_num(stmt.amount)} per hour between {stmt.start} and {stmt.end}"
    if isinstance(stmt, ast.MealStmt):
        head = f"meal period {_num(stmt.minutes)} min before end of hour {_num(stmt.by_hour)} when over {_num(stmt.after_hours)}h"
        return ", ".join([head, *(_clause_text(c) for c in stmt.clauses)])
    if isinstance(stmt, ast.ReportingTimeStmt):
        second = f", second report {_num(stmt.second_report)}h" if stmt.second_report is not None else ""
        return (
            f"reporting time pay half the scheduled day, at least {_num(stmt.at_least)}h, "
            f"at most {_num(stmt.at_most)}h{second}"
        )
    if isinstance(stmt, ast.AlternativeWorkweekStmt):
        workers = ", ".join(f'"{w}"' for w in stmt.workers)
        days = ", ".join(
            f"{d.weekday} {_num(d.hours)}h"
            + (f" every other week from {d.every_other_from.text}" if d.every_other_from else "")
            for d in stmt.days
        )
        other = "".join(
            f", other days over {_num(o.over)}h is {o.hour_class} x{_num(o.multiplier)}" for o in stmt.other
        )
        return f'alternative workweek "{stmt.name}" for {workers} on {days}{other}'
    if isinstance(stmt, ast.DayPremiumStmt):
        offset = ", less wages above minimum" if stmt.offset else ""
        if stmt.kind == "split_shift":
            return f"split shift over {_num(stmt.over)} min is {_num(stmt.hours)}h at minimum wage{offset}"
        return f"spread of hours over {_num(stmt.over)}h is {_num(stmt.hours)}h at minimum wage{offset}"
    head = f"rest period {_num(stmt.minutes)} min per {_num(stmt.per_hours)}h when over {_num(stmt.after_hours)}h"
    return ", ".join([head, *(_clause_text(c) for c in stmt.clauses)])


class _Printer:
    """Lays out lines, and the comments between and after them, in source order."""

    def __init__(self, comments: tuple[ast.Comment, ...]) -> None:
        self.comments = comments
        self.next_comment = 0
        self.lines: list[str] = []
        self.last_line = 0
        self.just_opened = False

    def _gap(self, source_line: int) -> None:
        if self.lines and not self.just_opened and source_line > self.last_line + 1 and self.lines[-1] != "":
            self.lines.append("")

    def _comments_before(self, source_line: int, depth: int) -> None:
        while self.next_comment < len(self.comments) and self.comments[self.next_comment].pos.line < source_line:
            comment = self.comments[self.next_comment]
            self.next_comment += 1
            self._gap(comment.pos.line)
            self.lines.append(INDENT * depth + comment.text)
            self.last_line = comment.pos.line
            self.just_opened = False

    def _trailing(self, source_line: int) -> str:
        if self.next_comment < len(self.comments):
            comment = self.comments[self.next_comment]
            if comment.pos.line == source_line and not comment.own_line:
                self.next_comment += 1
                return "  " + comment.text
        return ""

    def line(self, source_line: int, text: str, depth: int) -> None:
        """A line at ``depth``, its comments before it and after it."""
        self._comments_before(source_line, depth)
        self._gap(source_line)
        self.lines.append(INDENT * depth + text + self._trailing(source_line))
        self.last_line = source_line
        self.just_opened = False

    def open(self, source_line: int, text: str, depth: int) -> None:
        """A line that opens a block."""
        self.line(source_line, text, depth)
        self.just_opened = True

    def close(self, source_line: int, depth: int) -> None:
        """The ``}`` of a block at ``depth`` (comments just before it stay inside)."""
        self._comments_before(source_line, depth + 1)
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.lines.append(INDENT * depth + "}" + self._trailing(source_line))
        self.last_line = source_line
        self.just_opened = False

    def rest(self) -> None:
        """Comments after the last line."""
        self._comments_before(10**9, 0)
