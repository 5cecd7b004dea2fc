"""Text -> typed AST (``rules.ast``), with every syntax error located and explained.

The grammar is ``grammar/rules.lark`` (LALR, ``strict=True``, positions on).
:func:`parse` never hands out a ``lark.Tree``: a transformer turns the tree
into :mod:`rules.ast` nodes at once.

After a syntax error the parser recovers and goes on, so that one run reports
every syntax error of the file: the bad line is blanked (with the body of a
block it opens) and the text parsed again; a block that is not closed before
the next block starts gets its ``}`` supplied. Line numbers never move.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import lark
from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr
from lark.tree import Meta

from grammar import GRAMMAR_DIR
from rules import ast
from rules.chars import LOOKALIKE_QUOTES, as_it_looks, code_point, foreign_digit, odd_character
from rules.errors import RulesError, RulesProblem, did_you_mean, problem

GRAMMAR_FILE = GRAMMAR_DIR / "rules.lark"
MAX_SYNTAX_ERRORS = 30

# What each named terminal is, in words ("expected: hours such as 8h").
TERMINAL_WORDS: dict[str, str] = {
    "DATE": "a date such as 2026-01-01",
    "CLOCK": "a time of day such as 00:00",
    "HOURS_AMOUNT": "hours such as 8h",
    "MINUTES_AMOUNT": "minutes such as 30 min",
    "FACTOR": "a multiple such as 1.5x",
    "MULTIPLIER": "a multiplier such as x1.5",
    "NUMBER": "a number",
    "STRING": 'a quoted text such as "retail"',
    "CODE": "a code in capitals such as CA or MEAL",
    "FACT_NAME": "an employer fact such as size",
    "_NL": "the end of the line",
    "$END": "the end of the file",
}

# Words that open a block or a top-level line: met where a "}" was expected,
# they mean the block before them was never closed.
_OPENERS = frozenset({"rules", "state", "federal", "employer", "break", "version", "local", "holidays"})


def build_lark(*, cache: bool = False) -> Lark:
    """A new LALR parser of ``grammar/rules.lark`` (``cache=True``: through Lark's on-disk cache).

    ``strict=True`` (no conflict, no terminal collision) needs the ``interegular``
    package; without it the same grammar is built unchecked (a test builds it strictly).
    """
    strict = find_spec("interegular") is not None
    text = GRAMMAR_FILE.read_text(encoding="utf-8")
    options: dict[str, Any] = {"parser": "lalr", "strict": strict, "propagate_positions": True}
    if cache:
        try:
            return Lark(text, cache=str(_cache_file(text, strict)), **options)
        except OSError:  # an unwritable cache directory: build in memory
            pass
    return Lark(text, **options)


def _cache_file(grammar: str, strict: bool) -> Path:
    """Lark's cache of the built parser, in the user's own cache folder (never a shared /tmp:
    Lark's cache is a pickle, and loading one planted by someone else would run their code)."""
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("ot", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(f"{grammar}|{strict}|{lark.__version__}".encode()).hexdigest()[:16]
    return folder / f"rules-grammar-{digest}.lark.pickle"


@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The parser every parse uses, built once per process (cached on disk by Lark)."""
    return build_lark(cache=True)


@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """Every keyword of the language (the grammar's literal words)."""
    return frozenset(
        t.pattern.value
        for t in lark_parser().terminals
        if isinstance(t.pattern, PatternStr) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", t.pattern.value)
    )


@lru_cache(maxsize=1)
def _terminal_values() -> dict[str, str]:
    return {t.name: t.pattern.value for t in lark_parser().terminals if isinstance(t.pattern, PatternStr)}


def terminal_words(names: Sequence[str] | set[str] | frozenset[str]) -> tuple[str, ...]:
    """Terminal names said in words: keywords first (alphabetically), then the rest."""
    values = _terminal_values()
    words: list[str] = []
    others: list[str] = []
    for name in names:
        if name in TERMINAL_WORDS:
            others.append(TERMINAL_WORDS[name])
        elif name in values:
            words.append(f'"{values[name]}"')
        elif name != "WS":
            others.append(name.lower())
    return tuple(sorted(set(words))) + tuple(sorted(set(others)))


# --- tokens to values ------------------------------------------------------------------


def _pos(token: Token) -> ast.Pos:
    return ast.Pos(token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)


def _meta_pos(meta: Meta) -> ast.Pos:
    if meta.empty:
        return ast.NOWHERE
    return ast.Pos(meta.line, meta.column, meta.end_line, meta.end_column)


def _number(token: Token, strip: str = "") -> Decimal:
    text = str(token)
    for ch in strip:
        text = text.replace(ch, "")
    return Decimal(text.strip())


def _minutes(token: Token) -> int:
    """Whole minutes: through Decimal, as ``int`` of a text past 4,300 digits raises (the checks refuse
    such a figure with where it is)."""
    return int(Decimal(str(token).replace("min", "").strip()))


def _value(token: Token) -> Decimal | str:
    if token.type == "STRING":
        return str(token)[1:-1]
    return Decimal(str(token))


#: The month names of a holiday line, January first.
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
#: ``first`` ... ``fourth`` of a holiday line, and ``last`` (-1).
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}


def _split_blocks(blocks: Sequence[Any]) -> tuple[tuple[ast.RulesBlock, ...], tuple[ast.HolidaysBlock, ...]]:
    """A jurisdiction's blocks: its rules blocks and its holidays blocks, each in file order."""
    rules = tuple(b for b in blocks if isinstance(b, ast.RulesBlock))
    holidays = tuple(b for b in blocks if isinstance(b, ast.HolidaysBlock))
    return rules, holidays


_OPS = {"eq": "==", "ne": "!=", "ge": ">=", "le": "<=", "gt": ">", "lt": "<"}


@v_args(meta=True)
class _ToAst(Transformer[Token, Any]):
    """Lark tree -> :mod:`rules.ast` nodes (one method per grammar rule or alias)."""

    def start(self, meta: Meta, children: list[Any]) -> tuple[Decimal, ast.Pos, tuple[ast.TopItem, ...]]:
        version, version_pos = children[0]
        return version, version_pos, tuple(children[1:])

    def version_line(self, meta: Meta, children: list[Token]) -> tuple[Decimal, ast.Pos]:
        return _number(children[0]), _meta_pos(meta)

    # employer
    def employer(self, meta: Meta, children: list[Any]) -> ast.Employer:
        name: str | None = None
        rest = children
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            name = str(rest[0])[1:-1]
            rest = rest[1:]
        close = rest[-1]
        return ast.Employer(name, tuple(rest[:-1]), _meta_pos(meta), _pos(close))

    def workweek_start(self, meta: Meta, children: list[Any]) -> ast.WorkweekStart:
        return ast.WorkweekStart(children[0], str(children[1]), _meta_pos(meta))

    def workday_start(self, meta: Meta, children: list[Token]) -> ast.WorkdayStart:
        return ast.WorkdayStart(str(children[0]), _meta_pos(meta))

    def fact(self, meta: Meta, children: list[Token]) -> ast.Fact:
        return ast.Fact(str(children[0]), _value(children[1]), _meta_pos(meta))

    def group(self, meta: Meta, children: list[Token]) -> ast.Group:
        names = [str(c)[1:-1] for c in children]
        return ast.Group(names[0], tuple(names[1:]), _meta_pos(meta))

    def empty_group(self, meta: Meta, children: list[Token]) -> ast.Group:
        return ast.Group(str(children[0])[1:-1], (), _meta_pos(meta))

    def monday(self, meta: Meta, children: list[Any]) -> str:
        return "monday"

    def tuesday(self, meta: Meta, children: list[Any]) -> str:
        return "tuesday"

    def wednesday(self, meta: Meta, children: list[Any]) -> str:
        return "wednesday"

    def thursday(self, meta: Meta, children: list[Any]) -> str:
        return "thursday"

    def friday(self, meta: Meta, children: list[Any]) -> str:
        return "friday"

    def saturday(self, meta: Meta, children: list[Any]) -> str:
        return "saturday"

    def sunday(self, meta: Meta, children: list[Any]) -> str:
        return "sunday"

    # break types
    def break_type(self, meta: Meta, children: list[Any]) -> ast.BreakTypeDecl:
        code: Token = children[0]
        return ast.BreakTypeDecl(ast.Name(str(code), _pos(code)), children[1], _meta_pos(meta))

    def paid(self, meta: Meta, children: list[Any]) -> bool:
        return True

    def unpaid(self, meta: Meta, children: list[Any]) -> bool:
        return False

    # jurisdictions
    def federal(self, meta: Meta, children: list[Any]) -> ast.Jurisdiction:
        close: Token = children[-1]
        pos = _meta_pos(meta)
        name_pos = ast.Pos(pos.line, pos.column, pos.line, pos.column + len("federal"))
        rules, holidays = _split_blocks(children[:-1])
        return ast.Jurisdiction("federal", None, rules, name_pos, ast.NOWHERE, pos, _pos(close), holidays)

    def state(self, meta: Meta, children: list[Any]) -> ast.Jurisdiction:
        code: Token = children[0]
        close: Token = children[-1]
        rest = children[1:-1]
        parent: str | None = None
        parent_pos = ast.NOWHERE
        if rest and isinstance(rest[0], tuple):
            parent, parent_pos = rest[0]
            rest = rest[1:]
        rules, holidays = _split_blocks(rest)
        return ast.Jurisdiction(
            str(code), parent, rules, _pos(code), parent_pos, _meta_pos(meta), _pos(close), holidays
        )

    def local(self, meta: Meta, children: list[Any]) -> ast.LocalBlock:
        name: Token = children[0]
        close: Token = children[-1]
        return ast.LocalBlock(str(name)[1:-1], tuple(children[1:-1]), _pos(name), _meta_pos(meta), _pos(close))

    def policy(self, meta: Meta, children: list[Any]) -> ast.PolicyBlock:
        name: Token = children[0]
        close: Token = children[-1]
        return ast.PolicyBlock(str(name)[1:-1], tuple(children[1:-1]), _pos(name), _meta_pos(meta), _pos(close))

    def extends_federal(self, meta: Meta, children: list[Any]) -> tuple[str, ast.Pos]:
        end = meta.end_column
        return "federal", ast.Pos(meta.end_line, end - len("federal"), meta.end_line, end)

    def extends_state(self, meta: Meta, children: list[Token]) -> tuple[str, ast.Pos]:
        return str(children[0]), _pos(children[0])

    def rules_block(self, meta: Meta, children: list[Any]) -> ast.RulesBlock:
        start: Token = children[0]
        close: Token = children[-1]
        rest = children[1:-1]
        until: ast.DateLit | None = None
        if rest and isinstance(rest[0], ast.DateLit):
            until = rest[0]
            rest = rest[1:]
        return ast.RulesBlock(ast.DateLit(str(start), _pos(start)), until, tuple(rest), _meta_pos(meta), _pos(close))

    def until(self, meta: Meta, children: list[Token]) -> ast.DateLit:
        return ast.DateLit(str(children[0]), _pos(children[0]))

    # holidays
    def holidays_block(self, meta: Meta, children: list[Any]) -> ast.HolidaysBlock:
        start: Token = children[0]
        close: Token = children[-1]
        rest = children[1:-1]
        until: ast.DateLit | None = None
        if rest and isinstance(rest[0], ast.DateLit):
            until = rest[0]
            rest = rest[1:]
        return ast.HolidaysBlock(ast.DateLit(str(start), _pos(start)), until, tuple(rest), _meta_pos(meta), _pos(close))

    def holiday(self, meta: Meta, children: list[Any]) -> ast.HolidayStmt:
        name: Token = children[0]
        return ast.HolidayStmt(str(name)[1:-1], children[1], _pos(name), _meta_pos(meta))

    def fixed_date(self, meta: Meta, children: list[Any]) -> ast.FixedDate:
        return ast.FixedDate(children[0], _number(children[1]), _meta_pos(meta))

    def nth_weekday(self, meta: Meta, children: list[Any]) -> ast.NthWeekday:
        return ast.NthWeekday(children[0], children[1], children[2], _meta_pos(meta))

    def not_holiday(self, meta: Meta, children: list[Token]) -> ast.NotHolidayStmt:
        return ast.NotHolidayStmt(str(children[0])[1:-1], _pos(children[0]), _meta_pos(meta))

    def observed(self, meta: Meta, children: list[str]) -> ast.ObservedStmt:
        return ast.ObservedStmt(children[0], children[1], _meta_pos(meta))

    def ordinal(self, meta: Meta, children: list[Token]) -> int:
        return ORDINALS[str(children[0])]

    def month(self, meta: Meta, children: list[Token]) -> int:
        return MONTHS.index(str(children[0])) + 1

    # statements
    def minimum_wage(self, meta: Meta, children: list[Token]) -> ast.MinimumWageStmt:
        amount, day = children
        return ast.MinimumWageStmt(_number(amount), ast.DateLit(str(day), _pos(day)), _meta_pos(meta))

    def measured_per_hour(self, meta: Meta, children: list[Any]) -> ast.MinimumWageMeasure:
        return ast.MinimumWageMeasure(True, _meta_pos(meta))

    def measured_per_workweek(self, meta: Meta, children: list[Any]) -> ast.MinimumWageMeasure:
        return ast.MinimumWageMeasure(False, _meta_pos(meta))

    def minimum_wage_adjusted(self, meta: Meta, children: list[Token]) -> ast.MinimumWageAdjusted:
        (day,) = children
        return ast.MinimumWageAdjusted(ast.DateLit(str(day), _pos(day)), _meta_pos(meta))

    def threshold(self, meta: Meta, children: list[Any]) -> ast.ThresholdStmt:
        kind, over, hour_class, multiplier = children[:4]
        conditions: tuple[ast.ConditionNode, ...] = children[4] if len(children) > 4 else ()
        return ast.ThresholdStmt(
            kind,
            _number(over, "h"),
            hour_class,
            _number(multiplier, "x"),
            conditions,
            _pos(multiplier),
            _meta_pos(meta),
        )

    def daily(self, meta: Meta, children: list[Any]) -> str:
        return "daily"

    def weekly(self, meta: Meta, children: list[Any]) -> str:
        return "weekly"

    def seventh_day(self, meta: Meta, children: list[Any]) -> str:
        return "seventh_day"

    def consecutive(self, meta: Meta, children: list[Any]) -> str:
        return "consecutive"

    def rolling24(self, meta: Meta, children: list[Any]) -> str:
        return "rolling24"

    def rolling24_chained(self, meta: Meta, children: list[Any]) -> str:
        return "rolling24_chained"

    def sunday_period(self, meta: Meta, children: list[Any]) -> str:
        return "sunday"

    def holiday_period(self, meta: Meta, children: list[Any]) -> str:
        return "holiday"

    def split_shift(self, meta: Meta, children: list[Any]) -> ast.DayPremiumStmt:
        return ast.DayPremiumStmt(
            "split_shift", Decimal(_minutes(children[0])), _number(children[1], "h"), len(children) > 2, _meta_pos(meta)
        )

    def spread_of_hours(self, meta: Meta, children: list[Any]) -> ast.DayPremiumStmt:
        return ast.DayPremiumStmt(
            "spread_of_hours", _number(children[0], "h"), _number(children[1], "h"), len(children) > 2, _meta_pos(meta)
        )

    def offset(self, meta: Meta, children: list[Any]) -> bool:
        return True

    def alternative_workweek(self, meta: Meta, children: list[Any]) -> ast.AlternativeWorkweekStmt:
        names = [str(c)[1:-1] for c in children if isinstance(c, Token) and c.type == "STRING"]
        days = tuple(c for c in children if isinstance(c, ast.AwsDay))
        other = tuple(c for c in children if isinstance(c, ast.AwsOther))
        return ast.AlternativeWorkweekStmt(names[0], tuple(names[1:]), days, other, _meta_pos(meta))

    def reporting_time(self, meta: Meta, children: list[Any]) -> ast.ReportingTimeStmt:
        second = children[2] if len(children) > 2 else None
        return ast.ReportingTimeStmt(_number(children[0], "h"), _number(children[1], "h"), second, _meta_pos(meta))

    def second_report(self, meta: Meta, children: list[Token]) -> Decimal:
        return _number(children[0], "h")

    def aws_day(self, meta: Meta, children: list[Any]) -> ast.AwsDay:
        alternate = children[2] if len(children) > 2 else None
        return ast.AwsDay(children[0], _number(children[1], "h"), alternate, _meta_pos(meta))

    def aws_alternate(self, meta: Meta, children: list[Token]) -> ast.DateLit:
        return ast.DateLit(str(children[0]), _pos(children[0]))

    def aws_other(self, meta: Meta, children: list[Any]) -> ast.AwsOther:
        return ast.AwsOther(_number(children[0], "h"), children[1], _number(children[2], "x"), _meta_pos(meta))

    def ot(self, meta: Meta, children: list[Any]) -> str:
        return "OT"

    def dt(self, meta: Meta, children: list[Any]) -> str:
        return "DT"

    def conditions(self, meta: Meta, children: list[ast.ConditionNode]) -> tuple[ast.ConditionNode, ...]:
        return tuple(children)

    def rate_below(self, meta: Meta, children: list[Token]) -> ast.RateBelow:
        return ast.RateBelow(_number(children[0], "x"), _meta_pos(meta))

    def worker_type_is(self, meta: Meta, children: list[str]) -> ast.WorkerTypeIs:
        return ast.WorkerTypeIs(tuple(children), _meta_pos(meta))

    def employer_fact(self, meta: Meta, children: list[Any]) -> ast.EmployerFactIs:
        name, op, value = children
        return ast.EmployerFactIs(str(name), op, _value(value), _meta_pos(meta))

    def workweek_over(self, meta: Meta, children: list[Token]) -> ast.WorkweekOverCond:
        return ast.WorkweekOverCond(_number(children[0], "h"), _meta_pos(meta))

    def worker_in(self, meta: Meta, children: list[Token]) -> ast.WorkerInGroup:
        return ast.WorkerInGroup(str(children[0])[1:-1], False, _meta_pos(meta))

    def worker_not_in(self, meta: Meta, children: list[Token]) -> ast.WorkerInGroup:
        return ast.WorkerInGroup(str(children[0])[1:-1], True, _meta_pos(meta))

    def eq(self, meta: Meta, children: list[Any]) -> str:
        return _OPS["eq"]

    def ne(self, meta: Meta, children: list[Any]) -> str:
        return _OPS["ne"]

    def ge(self, meta: Meta, children: list[Any]) -> str:
        return _OPS["ge"]

    def le(self, meta: Meta, children: list[Any]) -> str:
        return _OPS["le"]

    def gt(self, meta: Meta, children: list[Any]) -> str:
        return _OPS["gt"]

    def lt(self, meta: Meta, children: list[Any]) -> str:
        return _OPS["lt"]

    def w2(self, meta: Meta, children: list[Any]) -> str:
        return "W2"

    def contractor(self, meta: Meta, children: list[Any]) -> str:
        return "1099"

    def no_overtime(self, meta: Meta, children: list[Any]) -> ast.NoOvertimeFor:
        types = tuple(str(c) for c in children if not isinstance(c, Token))
        groups = tuple(str(c)[1:-1] for c in children if isinstance(c, Token))
        return ast.NoOvertimeFor(types, groups, _meta_pos(meta))

    def not_worked(self, meta: Meta, children: list[Token]) -> ast.NotWorked:
        return ast.NotWorked(tuple(ast.Name(str(c), _pos(c)) for c in children), _meta_pos(meta))

    def differential(self, meta: Meta, children: list[Token]) -> ast.DifferentialStmt:
        return ast.DifferentialStmt(_number(children[0]), str(children[1]), str(children[2]), _meta_pos(meta))

    def short_breaks_worked(self, meta: Meta, children: list[Token]) -> ast.ShortBreaks:
        return ast.ShortBreaks(_minutes(children[0]), _meta_pos(meta))

    def short_breaks_not_worked(self, meta: Meta, children: list[Any]) -> ast.ShortBreaks:
        return ast.ShortBreaks(None, _meta_pos(meta))

    def regular_rate(self, meta: Meta, children: list[Any]) -> ast.RegularRateStmt:
        return ast.RegularRateStmt("weighted_average", _meta_pos(meta))

    def rounding_none(self, meta: Meta, children: list[Any]) -> ast.RoundingStmt:
        return ast.RoundingStmt(0, _meta_pos(meta))

    def rounding_nearest(self, meta: Meta, children: list[Token]) -> ast.RoundingStmt:
        return ast.RoundingStmt(_minutes(children[0]), _meta_pos(meta))

    def combine(self, meta: Meta, children: list[Any]) -> ast.CombineStmt:
        return ast.CombineStmt("most_favourable", _meta_pos(meta))

    def favourable(self, meta: Meta, children: list[Any]) -> None:
        return None

    def no_pyramiding(self, meta: Meta, children: list[Any]) -> ast.PyramidingStmt:
        return ast.PyramidingStmt(False, _meta_pos(meta))

    def pyramiding_allowed(self, meta: Meta, children: list[Any]) -> ast.PyramidingStmt:
        return ast.PyramidingStmt(True, _meta_pos(meta))

    def meal(self, meta: Meta, children: list[Any]) -> ast.MealStmt:
        minutes, by_hour, after = children[:3]
        return ast.MealStmt(
            _minutes(minutes), _number(by_hour), _number(after, "h"), tuple(children[3:]), _meta_pos(meta)
        )

    def second_meal(self, meta: Meta, children: list[Token]) -> ast.SecondMeal:
        return ast.SecondMeal(_number(children[0]), _number(children[1], "h"), _meta_pos(meta))

    def premium(self, meta: Meta, children: list[Token]) -> ast.Premium:
        return ast.Premium(_number(children[0], "h"), _meta_pos(meta))

    def first_waiver(self, meta: Meta, children: list[Token]) -> ast.Waiver:
        return ast.Waiver(False, _number(children[0], "h"), _meta_pos(meta))

    def second_waiver(self, meta: Meta, children: list[Token]) -> ast.Waiver:
        return ast.Waiver(True, _number(children[0], "h"), _meta_pos(meta))

    def max_premiums(self, meta: Meta, children: list[Any]) -> ast.MaxPremiums:
        return ast.MaxPremiums(_number(children[0]), _meta_pos(meta))

    def premiums(self, meta: Meta, children: list[Any]) -> None:
        return None

    def taken_as(self, meta: Meta, children: list[Token]) -> ast.TakenAs:
        return ast.TakenAs(tuple(ast.Name(str(c), _pos(c)) for c in children), _meta_pos(meta))

    def evidence_clause(self, meta: Meta, children: list[str]) -> ast.Evidence:
        return ast.Evidence(tuple(children), _meta_pos(meta))

    def evidence_breaks(self, meta: Meta, children: list[Any]) -> str:
        return "breaks"

    def evidence_attestation(self, meta: Meta, children: list[Any]) -> str:
        return "attestation"

    def rest(self, meta: Meta, children: list[Any]) -> ast.RestStmt:
        minutes, per, after = children[:3]
        return ast.RestStmt(
            _minutes(minutes), _number(per, "h"), _number(after, "h"), tuple(children[3:]), _meta_pos(meta)
        )


# --- comments ------------------------------------------------------------------------


def find_comments(text: str) -> tuple[ast.Comment, ...]:
    """Every ``#`` comment outside a quoted text, in file order."""
    found: list[ast.Comment] = []
    for number, line in enumerate(text.split("\n"), start=1):
        in_string = False
        for index, ch in enumerate(line):
            if ch == '"':
                in_string = not in_string
            elif ch == "#" and not in_string:
                body = line[index:].rstrip()
                found.append(
                    ast.Comment(
                        body,
                        not line[:index].strip(),
                        ast.Pos(number, index + 1, number, index + 1 + len(body)),
                    )
                )
                break
    return tuple(found)


# --- syntax errors and recovery ---------------------------------------------------------


@dataclass(frozen=True)
class ParseOutcome:
    """What a recovering parse found.

    Attributes:
        tree: The AST of the text with its bad lines left out, or None when nothing could be read.
        problems: Every syntax error, in file order.
        recovered: True when lines were left out or braces supplied to go on.
        stand_ins: Lines whose block header was replaced by a neutral one to read
            the block's body; what the tree says about those lines is not the file's.
    """

    tree: ast.RulesFile | None
    problems: tuple[RulesProblem, ...]
    recovered: bool
    stand_ins: frozenset[int] = frozenset()


_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:\-]*|\"[^\"\n]*\"?|\S")


def _word_at(line: str, column: int) -> str:
    match = _WORD.match(line, max(column - 1, 0))
    return match.group(0) if match else ""


def _strip_line(line: str) -> str:
    """A line without its comment and quoted texts (for counting braces)."""
    out: list[str] = []
    in_string = False
    for ch in line:
        if ch == '"':
            in_string = not in_string
            continue
        if ch == "#" and not in_string:
            break
        if not in_string:
            out.append(ch)
    return "".join(out)


def _unclosed_brace(lines: Sequence[str]) -> tuple[int, int] | None:
    """(line index, column) of the innermost ``{`` never closed, or None."""
    stack: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        in_string = False
        for col, ch in enumerate(line):
            if ch == '"':
                in_string = not in_string
            elif in_string:
                continue
            elif ch == "#":
                break
            elif ch == "{":
                stack.append((index, col + 1))
            elif ch == "}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _span_to_blank(lines: Sequence[str], index: int) -> range:
    """The lines to leave out after an error on line ``index``: it, and the body of a block it opens."""
    code = _strip_line(lines[index])
    depth = code.count("{") - code.count("}")
    end = index
    if depth > 0:
        j = index + 1
        while j < len(lines) and depth > 0:
            inner = _strip_line(lines[j])
            depth += inner.count("{") - inner.count("}")
            end = j
            j += 1
        return range(index, end + 1)
    # A block header without its "{": leave out the more indented body and its "}".
    base = _indent(lines[index])
    j = index + 1
    body_end = index
    while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > base):
        if lines[j].strip():
            body_end = j
        j += 1
    if body_end > index and j < len(lines) and _strip_line(lines[j]).strip() == "}":
        body_end = j
    return range(index, body_end + 1)


def _stand_in_header(lines: Sequence[str], index: int) -> str | None:
    """A neutral header to put in place of a bad line that opens a block, so that its body is still read.

    The stand-in names nothing the rest of the file could refer to (state ZZ, a
    block from 9999-12-31); None when the line opens no block.
    """
    code = _strip_line(lines[index])
    if code.count("{") - code.count("}") <= 0 or "}" in code:
        return None
    depth = 0
    for line in lines[:index]:
        inner = _strip_line(line)
        depth += inner.count("{") - inner.count("}")
    indent = lines[index][: _indent(lines[index])]
    first = code.split()[0] if code.split() else ""
    if depth == 0 and first.startswith("employ"):
        return indent + "employer {"
    if depth == 0:
        return indent + "state ZZ {"
    if depth == 1 and first.startswith("holiday"):
        return indent + "holidays from 9999-12-31 {"
    if depth == 1:
        return indent + "rules from 9999-12-31 {"
    return None


def _lookalike_digits(line: str, column: int) -> tuple[str, str, int] | None:
    """The word at ``column`` of ``line`` when it holds digits other than the ASCII 0-9 (Arabic-Indic
    ``٤٠``, full-width ``４０``), as (the word, the word in ASCII digits, its column); else None.

    Python's ``\\d`` and ``Decimal`` read such digits as numbers; the language takes 0-9 only, so
    that a figure means what it shows (and ``ot rules fmt`` never rewrites one silently)."""
    index = min(max(column - 1, 0), len(line))
    start = index
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    end = index
    while end < len(line) and not line[end].isspace():
        end += 1
    word = line[start:end]
    if not any(foreign_digit(ch) for ch in word):
        return None
    plain = "".join(str(unicodedata.decimal(ch)) if foreign_digit(ch) else ch for ch in word)
    first = next(i for i, ch in enumerate(word) if foreign_digit(ch))
    return _clip(word), _clip(plain), start + first + 1


def _odd_in_word(line: str, column: int) -> tuple[int, str] | None:
    """The first character from ``column`` to the end of the written word there (the next plain space,
    quote or ``#``) that the language does not take outside quotes and comments, as (its column, what to say)."""
    index = max(column - 1, 0)
    while index < len(line) and line[index] not in ' \t"#':
        said = odd_character(line[index])
        if said is not None:
            return index + 1, said
        index += 1
    return None


def _odd_after(lines: Sequence[str], index: int, column: int) -> tuple[int, str] | None:
    """The first odd character after ``column`` on line ``index`` when it is what stops the parse there
    (``20 \u00a0min``, ``20 m\u00a0in``: the minutes are cut by a non-breaking space), as
    :func:`_odd_in_word` says it; else None. Found by parsing the line again with its odd characters read
    as what they look like, and again with them left out: either parses past ``column``."""
    line = lines[index]
    for fixed in (_as_it_looks(line), _as_it_looks(line, keep_spaces=False)):
        if fixed == line:
            continue
        source = "\n".join([*lines[:index], fixed, *lines[index + 1 :]]) + "\n"
        try:
            lark_parser().parse(source)
        except UnexpectedInput as again:
            if (again.line, again.column) == (index + 1, column):
                continue
        first = next((i for i, (a, b) in enumerate(zip(line, fixed, strict=False)) if a != b), len(fixed))
        return _odd_in_word(line, first + 1)
    return None


def _outside_quotes(line: str, read: Callable[[str], str]) -> str:
    """``line`` with each character outside its quoted texts and its comment read through ``read``."""
    out: list[str] = []
    in_string = False
    for index, ch in enumerate(line):
        if ch == '"':
            in_string = not in_string
        elif ch == "#" and not in_string:
            out.append(line[index:])
            break
        elif not in_string:
            out.append(read(ch))
            continue
        out.append(ch)
    return "".join(out)


def _as_it_looks(line: str, keep_spaces: bool = True) -> str:
    """``line`` with each odd character outside its quoted texts and comment read as what it looks like
    (a space as a space, a curly quote as a straight one, a dash as a hyphen, 0-9 for a digit of another
    script; an invisible one left out, and a space too unless ``keep_spaces``): what the writer meant, to
    tell whether it is what stops the parse."""

    def read(ch: str) -> str:
        if ch.isascii():
            return ch
        return as_it_looks(ch) if keep_spaces or not ch.isspace() else ""

    return _outside_quotes(line, read)


def _without_odd_characters(line: str) -> str:
    """``line`` with each character :func:`odd_character` names outside its quoted texts and comment
    replaced by a space (the recovery after such a character: the columns do not move)."""
    return _outside_quotes(line, lambda ch: " " if odd_character(ch) is not None else ch)


def _read_as_plain(line: str, index: int) -> str:
    """``line`` as the parse goes on after the odd character at ``index`` (the columns do not move): a
    look-alike quote as a straight one when that pairs the line's quotes (with the look-alike quote after
    it: ``“Acme”``), else each odd character outside quotes and the comment as a space."""
    if 0 <= index < len(line) and line[index] in LOOKALIKE_QUOTES:
        single = line[:index] + '"' + line[index + 1 :]
        if _quotes_closed(single):
            return single
        after = next((i for i in range(index + 1, len(line)) if line[i] in LOOKALIKE_QUOTES), None)
        if after is not None:
            pair = single[:after] + '"' + single[after + 1 :]
            if _quotes_closed(pair):
                return pair
    plain = _without_odd_characters(line)
    if plain == line and 0 <= index < len(line):
        plain = line[:index] + " " + line[index + 1 :]
    return plain


def _quotes_closed(line: str) -> bool:
    """Whether every quoted text of ``line`` before its comment is closed."""
    in_string = False
    for ch in line:
        if ch == '"':
            in_string = not in_string
        elif ch == "#" and not in_string:
            break
    return not in_string


def _unclosed_quote(line: str, column: int) -> tuple[int, str] | None:
    """A quoted text opened at ``column`` and not closed on its line because its end quote is a look-alike
    one (``"Acme”``): that quote's column, and what to say."""
    index = column - 1
    if line[index : index + 1] != '"' or '"' in line[index + 1 :]:
        return None
    end = next((i for i in range(index + 1, len(line)) if line[i] in LOOKALIKE_QUOTES), None)
    if end is None:
        return None
    return end + 1, (
        f"this quoted text ends with a look-alike quote ({code_point(line[end])}), not a straight one: "
        'write quotes as straight double quotes: "retail"'
    )


#: The most characters of a written word a message quotes (a long one is cut short, with "...").
QUOTE_CHARS = 40


def _clip(word: str) -> str:
    """``word`` as a message quotes it: cut short past :data:`QUOTE_CHARS` characters."""
    return word if len(word) <= QUOTE_CHARS else word[: QUOTE_CHARS - 3] + "..."


def _describe(
    error: UnexpectedInput, lines: Sequence[str], origin: Sequence[int], file: str, original: Sequence[str]
) -> tuple[RulesProblem, str]:
    """The problem an exception means, and the recovery it calls for (``blank``, ``close``, ``stop``, or
    ``replace``: the odd character the problem names is read as plain, :func:`_read_as_plain`)."""
    expected_names: set[str] = set()
    token_type = ""
    if isinstance(error, UnexpectedToken):
        expected_names = set(error.expected)
        token_type = error.token.type
    elif isinstance(error, UnexpectedCharacters):
        expected_names = set(error.allowed or ())
    expected_names.discard("WS")
    expected = terminal_words(expected_names)
    line_index = (error.line or 1) - 1
    if token_type == "$END":
        spot = _unclosed_brace(lines)
        if spot is not None and "RBRACE" in expected_names:
            index, col = spot
            header = lines[index].strip().rstrip("{").strip()
            message = f'the block "{header}" is never closed: add a "}}" where it ends'
            return problem(file, original, origin[index], col, message, ('"}"',)), "stop"
        last = max((i for i, text in enumerate(lines) if text.strip()), default=0)
        return problem(file, original, origin[last], 1, "the file ends too early", expected), "stop"

    line_index = min(max(line_index, 0), len(lines) - 1)
    column = error.column if isinstance(error.column, int) and error.column > 0 else 1
    text = lines[line_index]
    word = _word_at(text, column)
    if isinstance(error, UnexpectedToken) and token_type not in ("$END", "_NL") and str(error.token).strip():
        word = str(error.token).strip()
    where_line = origin[line_index]
    suggestion: str | None = None
    action = "blank"

    if token_type == "_NL":
        message = "the line ends too early"
        column = len(_strip_line(text).rstrip()) + 1
    elif (lookalike := _lookalike_digits(text, column)) is not None:
        written, plain, column = lookalike
        message = (
            f'"{written}" is written with digits other than 0-9: rules files take plain decimals in the '
            f"digits 0-9: write {plain}"
        )
    elif (odd := _odd_in_word(text, column) or _odd_after(lines, line_index, column)) is not None:
        column, message = odd
        action = "replace"
    elif (unclosed := _unclosed_quote(text, column)) is not None:
        column, message = unclosed
        action = "replace"
    elif re.fullmatch(r"[0-9]+(\.[0-9]+)?", word) and "HOURS_AMOUNT" in expected_names:
        message = f"write the hours with a unit: {_clip(word)}h"
    elif re.fullmatch(r"[0-9]+", word) and "MINUTES_AMOUNT" in expected_names:
        message = f"write the minutes with a unit: {_clip(word)} min"
    elif re.fullmatch(r"[0-9]+(\.[0-9]+)?", word) and "MULTIPLIER" in expected_names:
        message = f"write the multiplier with an x in front: x{_clip(word)}"
    elif re.fullmatch(r"[0-9]+(\.[0-9]+)?", word) and "FACTOR" in expected_names:
        message = f"write the multiple with an x after it: {_clip(word)}x"
    elif re.fullmatch(r"[0-9]+(\.[0-9]+)?h", word) and "MINUTES_AMOUNT" in expected_names:
        minutes = Decimal(word[:-1]) * 60
        message = f"this takes minutes, not hours: write {format(minutes.normalize(), 'f')} min"
    elif re.fullmatch(r"[0-9]+[\t ]*min", word) and "HOURS_AMOUNT" in expected_names:
        message = "this takes hours, not minutes: write them as hours such as 1h or 0.5h"
        column = error.column if isinstance(error.column, int) and error.column > 0 else column
    elif token_type == "STRING" and re.match(r"\s*holiday\s*$", _strip_line(text)[: column - 1]):
        # ``holiday "Name" on ...`` inside a rules block: a holiday line, not a holiday premium
        column = _strip_line(text).index("holiday") + 1
        message = (
            '"holiday" cannot stand here with a name: a holiday line goes in holidays from DATE { ... }; '
            "a holiday premium is written holiday over 0h is OT x1.5"
        )
    elif word in _OPENERS and "RBRACE" in expected_names:
        spot = _unclosed_brace(lines[:line_index])
        opened = f" (the block opened on line {origin[spot[0]]})" if spot is not None else ""
        message = f'a block is not closed before this line{opened}: add a "}}"'
        action = "close"
    else:
        keyword_choices = [w.strip('"') for w in expected if w.startswith('"')]
        known = word in keywords()
        if "VERSION" in expected_names:
            message = "a rules file starts with its version line: add version 1 as the first line"
        elif known and "RULES" in expected_names:
            message = f'"{_clip(word)}" must be inside a rules block: put it in rules from DATE {{ ... }}'
        elif known:
            message = f'"{_clip(word)}" cannot stand here'
        elif re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", word):
            suggestion = did_you_mean(word, keyword_choices)
            message = f'unknown word "{_clip(word)}"'
        elif word[:1] == "'":
            message = 'write quotes as straight double quotes: "retail"'
        elif word and (said := odd_character(word[0])) is not None:
            message = said
        elif word:
            message = f'unexpected "{_clip(word)}"'
        else:
            message = "unexpected text"
    return problem(file, original, where_line, column, message, expected, suggestion), action


#: The byte-order mark some editors write at the start of a UTF-8 file (U+FEFF): read as nothing there.
BOM = "\ufeff"


def without_bom(text: str) -> str:
    """``text`` without the byte-order mark it may start with (Windows editors save UTF-8 so; CSV imports
    take it too). Elsewhere in a file U+FEFF is an invisible character, refused where it stands."""
    return text[1:] if text.startswith(BOM) else text


def parse_recovering(text: str, file: str = "<text>") -> ParseOutcome:
    """Parse ``text``, going on after each syntax error; see :class:`ParseOutcome`. A byte-order mark that
    starts the text is left out (:func:`without_bom`): columns of line 1 are counted after it."""
    text = without_bom(text)
    original = text.split("\n")
    lines = [line.rstrip("\r") for line in original]
    origin = list(range(1, len(lines) + 1))
    problems: list[RulesProblem] = []
    seen: set[int] = set()
    recovered = False
    shifted = False
    stand_ins: set[int] = set()
    parser = lark_parser()
    for _ in range(MAX_SYNTAX_ERRORS * 2):
        source = "\n".join(lines)
        if not source.endswith("\n"):
            source += "\n"
        try:
            tree = parser.parse(source)
        except UnexpectedInput as error:
            found, action = _describe(error, lines, origin, file, original)
            if found.line not in seen:
                problems.append(found)
                seen.add(found.line)
            if action == "stop" or len(problems) >= MAX_SYNTAX_ERRORS:
                break
            index = min(max((error.line or 1) - 1, 0), len(lines) - 1)
            recovered = True
            if action == "replace":
                plain = _read_as_plain(lines[index], found.column - 1)
                if plain != lines[index]:
                    lines[index] = plain
                    continue
            if action == "close":
                if index > 0 and not lines[index - 1].strip():
                    lines[index - 1] = "}"
                else:
                    lines.insert(index, "}")
                    origin.insert(index, origin[index])
                    shifted = True
                continue
            stand_in = _stand_in_header(lines, index)
            if stand_in is not None and origin[index] not in stand_ins:
                lines[index] = stand_in
                stand_ins.add(origin[index])
                continue
            span = _span_to_blank(lines, index)
            if all(not lines[i].strip() for i in span):
                break
            for i in span:
                lines[i] = ""
            continue
        if shifted:  # positions of the tree would not be the file's
            return ParseOutcome(None, tuple(problems), True)
        version, version_pos, items = _ToAst().transform(tree)
        rules_file = ast.RulesFile(version, items, find_comments(text), file, version_pos)
        return ParseOutcome(rules_file, tuple(problems), recovered, frozenset(stand_ins))
    return ParseOutcome(None, tuple(problems), True, frozenset(stand_ins))


def parse(text: str, file: str = "<text>") -> ast.RulesFile:
    """The typed AST of a rules file; :class:`RulesError` with every syntax error otherwise."""
    outcome = parse_recovering(text, file)
    if outcome.problems or outcome.tree is None:
        raise RulesError(file, outcome.problems)
    return outcome.tree
