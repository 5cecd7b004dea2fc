"""Rules files as the CLI and the TUI use them: check, format, show, load.

Each function takes a path (None: the default rules file), returns plain
values, and raises :class:`ot.core.errors.OtError` (a
:class:`rules.errors.RulesError` for a bad file) for anything the user can fix.
Nothing here prints.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from rules.compiler import compile_text, read_rules_text
from rules.files import default_rules_path
from rules.fmt import format_text
from rules.model import RuleBook
from rules.show import describe


@dataclass(frozen=True)
class CheckReport:
    """What ``ot rules check`` found in a good file.

    Attributes:
        file: The file as given.
        jurisdictions: How many jurisdictions it defines (federal included).
        rule_sets: How many flat rule sets it compiles to (versions after inheritance).
        policies: How many employer policy blocks it has (``policy "..." { ... }``).
        notices: Minimum wages adjusted yearly whose figure is missing on the day checked, or due
            within :data:`NOTICE_DAYS` of it with none written yet, one a line.
    """

    file: str
    jurisdictions: int
    rule_sets: int
    policies: int = 0
    notices: tuple[str, ...] = ()

    def summary(self) -> str:
        """``FILE: ok (N jurisdictions, M rule sets[, P employer policies])``."""
        j = "jurisdiction" if self.jurisdictions == 1 else "jurisdictions"
        s = "rule set" if self.rule_sets == 1 else "rule sets"
        p = ""
        if self.policies:
            p = f", {self.policies} employer {'policy' if self.policies == 1 else 'policies'}"
        notes = "".join(f"\nwarning: {n}" for n in self.notices)
        return f"{self.file}: ok ({self.jurisdictions} {j}, {self.rule_sets} {s}{p}){notes}"


@dataclass(frozen=True)
class FormatResult:
    """What ``ot rules fmt`` did or would do.

    Attributes:
        file: The file as given.
        changed: True when its layout is (or was) not the canonical one.
        written: True when the file was rewritten.
    """

    file: str
    changed: bool
    written: bool


def rules_path(path: Path | None) -> Path:
    """``path``, or the default rules file when None."""
    return path if path is not None else default_rules_path()


def load_book(path: Path | None = None) -> RuleBook:
    """The compiled rules of ``path`` (default: the default rules file)."""
    source = rules_path(path)
    return compile_text(read_rules_text(source), str(source))


#: How far ahead ``ot rules check`` looks for a yearly minimum-wage adjustment with no figure written.
NOTICE_DAYS = 31


def check_file(path: Path | None = None, today: date | None = None) -> CheckReport:
    """Check a rules file's syntax and meaning; :class:`RulesError` lists every problem.

    With ``today``, the report also names each minimum wage adjusted yearly whose figure for ``today``
    is missing, or whose next adjustment, within :data:`NOTICE_DAYS`, has no figure yet."""
    book = load_book(path)
    sets = sum(len(versions) for _, versions in book.versions)
    notices = book_notices(book, today) if today is not None else ()
    return CheckReport(book.file, len(book.versions), sets, len(book.policies), notices)


def book_notices(book: RuleBook, today: date) -> tuple[str, ...]:
    """Each minimum wage adjusted yearly whose figure for ``today`` the rules lack, then each due within
    :data:`NOTICE_DAYS` with none written yet (a place already behind is named once)."""
    now = {(m.where, m.due): m for m in book.missing_wages_anywhere(today)}
    ahead = today + timedelta(days=NOTICE_DAYS)
    behind = {m.where for m in now.values()}  # (their next figure is missing too, and said so)
    soon = [m for m in book.missing_wages_anywhere(ahead) if m.where not in behind and m.due > today]
    return (
        *(m.message() for m in now.values()),
        *(f"in {(m.due - today).days} days, {m.message(ahead=True)}" for m in soon),
    )


def format_file(path: Path, check_only: bool = False) -> FormatResult:
    """Lay out ``path`` canonically, rewriting it atomically unless ``check_only``."""
    text = read_rules_text(path)
    formatted = format_text(text, str(path))
    if formatted == text:
        return FormatResult(str(path), changed=False, written=False)
    if check_only:
        return FormatResult(str(path), changed=True, written=False)
    write_atomically(path, formatted)
    return FormatResult(str(path), changed=True, written=True)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``: a temporary file beside it, then a rename (never half-written)."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def show_rules(path: Path | None, jurisdiction: str, day: date) -> str:
    """The effective rules of ``jurisdiction`` on ``day`` in plain words, each with its source line."""
    return describe(load_book(path), jurisdiction, day)
