"""The rules screen's services: an edited rules text checked, formatted, highlighted,
priced against the saved rules ("what if"), and adopted from an effective date.

Everything takes the text being edited (never a file on disk) and returns plain
values; an error the user can fix is an :class:`ot.core.errors.OtError` (a
:class:`rules.errors.RulesError`, every problem at ``FILE:LINE:COL``, for a text
that does not compile). Nothing here touches the UI.

What-if: every workweek that overlaps a pay period is priced twice, once with
the rules the ledger holds (each week with the file in force on its first day,
as a pay run would) and once with the edited text for every week; a worker's
gross in the period is the sum of the week lines dated in it (the pay run's
rule, 29 CFR 778.104: each workweek is priced whole).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ledger.store import Ledger
from ot.core.errors import OtError, Problem
from ot.core.periods import PayPeriod, PaySchedule
from ot.core.timez import TimeError, check_year
from ot.services.adopt import Adopted, adopt_text
from ot.services.pay import PriceRun, price_open
from ot.services.periods import DEFAULT_CONFIG, period_settings
from ot.services.pool import default_jobs, fewer_collections, read_jobs
from ot.services.ruleset import RulesHistory, RulesInForce
from ot.services.uow import unit_of_work
from rules.compiler import compile_text, text_sha256
from rules.errors import RulesError, RulesProblem
from rules.fmt import format_text
from rules.model import RuleBook
from rules.parser import keywords, lark_parser

__all__ = [
    "PayPeriod",
    "RulesError",
    "RulesProblem",
    "Span",
    "WhatIf",
    "WhatIfRow",
    "adopt_edited",
    "check_text",
    "format_rules_text",
    "line_spans",
    "parse_effective",
    "period_near",
    "render_what_if",
    "rules_to_edit",
    "what_if",
    "what_if_file",
    "what_if_json",
]

ZERO = Decimal("0.00")

# --- highlighting ------------------------------------------------------------------------

#: Highlight kind of each named terminal of grammar/rules.lark (keywords are found by
#: :func:`rules.parser.keywords`; anything else, braces and operators, is punctuation).
TERMINAL_KINDS: dict[str, str] = {
    "DATE": "date",
    "CLOCK": "date",
    "HOURS_AMOUNT": "number",
    "MINUTES_AMOUNT": "number",
    "FACTOR": "number",
    "MULTIPLIER": "number",
    "PERIOD_24H": "keyword",
    "NUMBER": "number",
    "STRING": "string",
    "CODE": "code",
    "FACT_NAME": "name",
    "OT": "class",
    "DT": "class",
}


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of one line.

    Attributes:
        start: First column (0-based, in characters).
        end: Column after the last character.
        kind: ``keyword``, ``class``, ``number``, ``date``, ``string``, ``code``,
            ``name``, ``punct``, ``comment`` or ``unknown`` (no terminal matches).
    """

    start: int
    end: int
    kind: str


@lru_cache(maxsize=1)
def _terminals() -> tuple[tuple[re.Pattern[str], int, bool, str], ...]:
    """(regex, priority, is a literal, kind) of every terminal but newlines and blanks."""
    words = keywords()
    out: list[tuple[re.Pattern[str], int, bool, str]] = []
    for t in lark_parser().terminals:
        if t.name in ("_NL", "WS"):
            continue
        literal = t.pattern.type == "str"
        kind = TERMINAL_KINDS.get(t.name) or ("keyword" if literal and t.pattern.value in words else "punct")
        out.append((re.compile(t.pattern.to_regexp()), t.priority, literal, kind))
    return tuple(out)


@lru_cache(maxsize=4096)
def line_spans(line: str) -> tuple[Span, ...]:
    """The highlighted stretches of one line, found with the grammar's own terminals.

    At each position the terminal Lark's lexer would take wins: the higher
    priority, then the longer match, then a literal (a keyword) over a pattern
    (``daily`` is a keyword, ``dailyx`` a name). ``#`` outside a quoted text
    starts a comment (the grammar folds comments into its newline terminal).
    A character no terminal matches is ``unknown``.
    """
    spans: list[Span] = []
    pos = 0
    n = len(line)
    while pos < n:
        ch = line[pos]
        if ch in " \t\f\r":
            pos += 1
            continue
        if ch == "#":
            spans.append(Span(pos, len(line.rstrip()), "comment"))
            break
        best: tuple[int, int, bool] | None = None
        kind = "unknown"
        for regex, priority, literal, k in _terminals():
            m = regex.match(line, pos)
            if m is None or m.end() == pos:
                continue
            key = (priority, m.end() - pos, literal)
            if best is None or key > best:
                best, kind = key, k
        length = best[1] if best is not None else 1
        spans.append(Span(pos, pos + length, kind))
        pos += length
    return tuple(spans)


# --- checking and formatting ----------------------------------------------------------------


def check_text(text: str, file: str) -> tuple[RulesProblem, ...]:
    """Every problem of the edited text (empty when it compiles), in file order."""
    try:
        compile_text(text, file)
    except RulesError as error:
        return error.rules_problems
    return ()


def format_rules_text(text: str, file: str) -> str:
    """The edited text in the canonical layout; :class:`RulesError` when it does not parse."""
    return format_text(text, file)


# --- the text to edit ----------------------------------------------------------------------


def _history(ledger_path: Path) -> tuple[RulesHistory, Ledger | None]:
    if not Path(ledger_path).exists():
        return RulesHistory([]), None
    ledger = Ledger.open(ledger_path, create=False)
    return RulesHistory(ledger.rules_adopted()), ledger


def rules_to_edit(ledger_path: Path, day: date) -> RulesInForce:
    """The rules text in force on ``day``: the ledger's adopted file, else ``rules.example.ot``."""
    history, ledger = _history(ledger_path)
    try:
        return history.text_on(day)
    finally:
        if ledger is not None:
            ledger.close()


def parse_effective(value: str) -> date:
    """The effective date typed by the user (``YYYY-MM-DD``)."""
    value = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
        raise OtError("not a date", [Problem("effective date", f"{value!r} is not a date: write it as YYYY-MM-DD")])
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise OtError("not a date", [Problem("effective date", f"{value}: {exc}")]) from None
    try:
        check_year(day, value)
    except TimeError as exc:  # 9999-12-31 broke the week arithmetic of the save dialog (a review)
        raise OtError("not a date", [Problem("effective date", str(exc))]) from None
    return day


def adopt_edited(ledger_path: Path, text: str, file: str, effective: date, *, actor: str, now: datetime) -> Adopted:
    """Record the edited text in the ledger, in force from ``effective``; refused whole
    (:class:`RulesError`, nothing written) when it does not compile."""
    return adopt_text(ledger_path, text, file, effective, actor=actor, now=now)


# --- what-if --------------------------------------------------------------------------------


class _EditedHistory(RulesHistory):
    """A history in which the edited text is in force on every day."""

    def __init__(self, file: str, text: str, book: RuleBook) -> None:
        super().__init__([])
        self._edited = RulesInForce(file, text, text_sha256(text), None)
        self._book = book

    def text_on(self, day: date) -> RulesInForce:
        return self._edited

    def book_on(self, day: date) -> RuleBook:
        return self._book


@dataclass(frozen=True)
class WhatIfRow:
    """One worker's gross in the period under both texts.

    Attributes:
        worker_id: The worker.
        name: Their name.
        state: State of their home location ('' when unknown).
        saved: Gross under the rules the ledger holds.
        edited: Gross under the edited text.
    """

    worker_id: str
    name: str
    state: str
    saved: Decimal
    edited: Decimal

    @property
    def difference(self) -> Decimal:
        """Edited minus saved."""
        return self.edited - self.saved


@dataclass(frozen=True)
class WhatIf:
    """The gross pay of a period under the saved rules and under the edited text.

    Attributes:
        period: The pay period.
        rows: Every worker with pay in the period under either text: those whose
            gross changes first (largest change first), then by worker id.
        saved_files: Names of the saved rules files in force over the period.
        skipped: How many shifts could not be priced (no end yet), per text alike.
    """

    period: PayPeriod
    rows: tuple[WhatIfRow, ...]
    saved_files: tuple[str, ...]
    skipped: int

    @property
    def saved_total(self) -> Decimal:
        """Sum of the saved column."""
        return sum((r.saved for r in self.rows), ZERO)

    @property
    def edited_total(self) -> Decimal:
        """Sum of the edited column."""
        return sum((r.edited for r in self.rows), ZERO)

    @property
    def changed(self) -> int:
        """How many workers' gross changes."""
        return sum(1 for r in self.rows if r.difference)


def _schedule(ledger: Ledger | None) -> PaySchedule:
    return period_settings(ledger).schedule if ledger is not None else PaySchedule((DEFAULT_CONFIG,))


def period_near(ledger_path: Path, day: date, step: int = 0) -> PayPeriod:
    """The pay period containing ``day``, or the one ``step`` periods before (<0) or after (>0)."""
    _, ledger = _history(ledger_path)
    try:
        schedule = _schedule(ledger)
    finally:
        if ledger is not None:
            ledger.close()
    period = schedule.period_containing(day)
    for _ in range(abs(step)):
        period = schedule.period_containing(
            period.start - timedelta(days=1) if step < 0 else period.end + timedelta(days=1)
        )
    return period


def _gross(run: PriceRun, period: PayPeriod) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for week in run.weeks:
        amount = sum((ln.amount for ln in week.result.lines if ln.date in period), ZERO)
        if any(ln.date in period for ln in week.result.lines):
            wid = week.worker.worker_id
            out[wid] = out.get(wid, ZERO) + amount
    return out


@fewer_collections()
def what_if(ledger_path: Path, text: str, file: str, period: PayPeriod, *, jobs: int | None = None) -> WhatIf:
    """Price ``period`` under the saved rules and under the edited ``text``.

    ``jobs``: processes that price the workers (default: the number of cores,
    :mod:`ot.services.pool`); the figures are the same with any.
    Raises :class:`RulesError` when the text does not compile, and
    :class:`OtError` when a week cannot be priced under either (no rules in
    force for a state, no rate).
    """
    workers = default_jobs() if jobs is None else read_jobs(jobs)
    book = compile_text(text, file)
    if not Path(ledger_path).exists():
        return WhatIf(period, (), (), 0)
    with unit_of_work(ledger_path) as uow:
        uow.jobs = workers
        uow.lean = True
        roster, locations = uow.roster, uow.locations
        ids = sorted(roster)
        saved = uow.price(ids, period.start, period.end)
        edited = price_open(
            uow.reads,
            roster,
            locations,
            _EditedHistory(file, text, book),
            ids,
            period.start,
            period.end,
            jobs=workers,
            lean=True,
        )
    before, after = _gross(saved, period), _gross(edited, period)
    rows = []
    for wid in sorted(set(before) | set(after)):
        worker = roster[wid]
        home = locations.get(worker.location_id)
        rows.append(
            WhatIfRow(wid, worker.name, home.state if home else "", before.get(wid, ZERO), after.get(wid, ZERO))
        )
    rows.sort(key=lambda r: (r.difference == 0, -abs(r.difference), r.worker_id))
    files = tuple(dict.fromkeys(w.rules_file for w in saved.weeks))
    return WhatIf(period, tuple(rows), files, len(saved.skipped))


def what_if_file(ledger_path: Path, file: Path, day: date, *, jobs: int | None = None) -> WhatIf:
    """:func:`what_if` of the rules file ``file`` over the pay period containing ``day`` (``ot rules what-if``)."""
    try:
        text = file.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise OtError(
            f"no rules file at {file}", [Problem(str(file), "no such file: give the path of a .ot rules file")]
        ) from None
    except UnicodeDecodeError as exc:
        raise OtError(
            f"{file} is not UTF-8 text", [Problem(f"{file}:1:{exc.start + 1}", "not UTF-8: save the file as UTF-8")]
        ) from None
    if not Path(ledger_path).exists():
        raise OtError(f"no ledger at {ledger_path}", [Problem("--ledger", "give the ledger to price (or $OT_LEDGER)")])
    return what_if(ledger_path, text, file.name, period_near(ledger_path, day), jobs=jobs)


def render_what_if(result: WhatIf) -> str:
    """The what-if as text: each worker whose gross changes, then the totals."""
    p = result.period
    saved = ", ".join(result.saved_files) or "none"
    out = [f"what-if {p.start} to {p.end}: saved rules ({saved}) against the edited file"]
    for r in result.rows:
        if r.difference:
            out.append(
                f"  {r.worker_id:<8} {r.name[:24]:<24} {r.state:<3} {r.saved:>10} {r.edited:>10} {r.difference:>+10}"
            )
    out.append(
        f"{result.changed} of {len(result.rows)} workers change; total {result.saved_total} -> {result.edited_total} "
        f"({result.edited_total - result.saved_total:+})"
    )
    if result.skipped:
        out.append(f"{result.skipped} shift(s) without an end were not priced")
    return "\n".join(out)


def what_if_json(result: WhatIf) -> dict[str, object]:
    """The what-if as JSON (money as decimal text)."""
    return {
        "period": {"start": result.period.start.isoformat(), "end": result.period.end.isoformat()},
        "saved_files": list(result.saved_files),
        "rows": [
            {
                "worker_id": r.worker_id,
                "name": r.name,
                "state": r.state,
                "saved": str(r.saved),
                "edited": str(r.edited),
                "difference": str(r.difference),
            }
            for r in result.rows
        ],
        "saved_total": str(result.saved_total),
        "edited_total": str(result.edited_total),
        "changed": result.changed,
        "skipped": result.skipped,
    }


def effective_split(text: str, file: str, effective: date) -> str | None:
    """What a mid-week effective date means for the edited rules, or None when ``effective``
    starts a workweek (or the text does not compile: saving then says why).

    The rules in force on a workweek's first day price the whole week, so rules adopted
    from a day inside a week apply from the next week's first day."""
    from ot.core.timez import week_start
    from ot.services.pay import workweek_of

    try:
        book = compile_text(text, file)
    except RulesError:
        return None
    start_day, _ = workweek_of(book, effective)
    first = week_start(effective, start_day)
    if first == effective:
        return None
    nxt = first + timedelta(days=7)
    return (
        f"{effective} is a {effective:%A}: it splits the workweek {first} to {nxt - timedelta(days=1)}. "
        f"That week keeps the rules in force on {first}; these rules price from the week of {nxt}."
    )
