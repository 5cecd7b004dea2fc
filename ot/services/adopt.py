"""Rules files in the ledger's history: adopt one from a date, list what was adopted.

A rules file is part of the ledger's history: ``rules.adopted`` records its
name, its whole text and its sha256, in force from an effective date, so that
any past workweek is recomputed and explained with the rules of its time
(:class:`ot.services.ruleset.RulesHistory`). A file is checked before it is
adopted; a file with any error is refused whole and nothing is written.
Adopting the same text from the same date twice adds nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.events import NewEvent, RulesVersion
from ot.core.errors import OtError, Problem
from ot.services.rules import book_notices
from ot.services.ruleset import FROM_THE_BEGINNING, RulesHistory
from rules.compiler import compile_text
from rules.model import RuleBook

if TYPE_CHECKING:
    from ot.services.uow import UnitOfWork

__all__ = ["Adopted", "adopt_rules", "adopt_text", "rules_history"]


@dataclass(frozen=True)
class Adopted:
    """The outcome of an adoption.

    Attributes:
        file: File name recorded.
        sha256: Content hash of the text.
        effective: First date in force.
        added: False when the same text was already adopted from that date.
        jurisdictions: How many jurisdictions the file defines.
        corrections: The corrections of paid weeks it recorded, in words.
        notices: The minimum wages the file says are adjusted yearly whose figure it lacks on the day it
            takes effect or today (the later), or that are due within 31 days of it (``ot rules check``'s).
    """

    file: str
    sha256: str
    effective: date
    added: bool
    jurisdictions: int
    corrections: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()


def adopt_rules(
    ledger_path: Path,
    file: Path,
    effective: date,
    *,
    actor: str,
    now: datetime,
    correction_authorized: bool = False,
    reason: str | None = None,
    timeframe: str | None = None,
) -> Adopted:
    """Check ``file`` and record it in the ledger, in force from ``effective``."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OtError(
            f"no rules file at {file}", [Problem(str(file), "no such file: give the path of a .ot rules file")]
        ) from None
    except UnicodeDecodeError as exc:
        raise OtError(
            f"{file} is not UTF-8 text", [Problem(f"{file}:1:{exc.start + 1}", "not UTF-8: save the file as UTF-8")]
        ) from None
    return adopt_text(
        ledger_path,
        text,
        file.name,
        effective,
        actor=actor,
        now=now,
        where=str(file),
        correction_authorized=correction_authorized,
        reason=reason,
        timeframe=timeframe,
    )


def adopt_text(
    ledger_path: Path,
    text: str,
    name: str,
    effective: date,
    *,
    actor: str,
    now: datetime,
    where: str | None = None,
    correction_authorized: bool = False,
    reason: str | None = None,
    timeframe: str | None = None,
    dry_run: bool = False,
) -> Adopted:
    """Check a rules ``text`` and record it in the ledger under the file ``name``, in force
    from ``effective``. ``where`` names the text in error locations (default ``name``).

    From a date inside a paid period, the paid workweeks it would reprice are recomputed: any
    change is a correction, refused (with the list of them) unless ``correction_authorized``."""
    book = compile_text(text, where or name)  # raises RulesError with every problem; nothing written
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    event = NewEvent(
        kind="rules.adopted",
        payload={"sha256": sha, "file": name, "text": text, "effective": effective.isoformat()},
        key=f"rules.adopted:{sha}:{effective.isoformat()}",
    )
    from ot.services.repricing import gate
    from ot.services.uow import unit_of_work

    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run, create=True) as uow:
        uow.require("adopt a rules file")
        moved = _workweek_moves(uow.history, book, effective)
        if moved and not _work_recorded(uow) and not _workweek_moves(uow.history, book, FROM_THE_BEGINNING):
            # Nothing was worked yet under the old workweek: the file starts every workweek, from the beginning.
            effective, moved = FROM_THE_BEGINNING, []
            event = NewEvent(
                kind="rules.adopted",
                payload={**event.payload, "effective": effective.isoformat()},
                key=f"rules.adopted:{sha}:{effective.isoformat()}",
            )
        if moved:
            raise OtError(
                f"{where or name} would change when the workweek starts; nothing was written: ot prices each "
                "workweek as seven days from one start (29 CFR 778.105), and cannot yet price the change from one "
                "start to another (the days between the last old workweek and the first new one would go unpaid)",
                [Problem(where or name, m) for m in moved],
            )
        added = uow.append([event])
        corrections = []
        if added:
            changes = {w: effective for w, (_first, last) in uow.pay.paid_ranges().items() if last >= effective}
            corrections = gate(
                uow,
                changes,
                authorized=correction_authorized,
                reason=reason,
                timeframe=timeframe,
                action="rules",
                what=f"adopting {name} from {effective}",
            )
    return Adopted(
        name,
        sha,
        effective,
        bool(added),
        len(book.jurisdictions()),
        tuple(c.text() for c in corrections),
        book_notices(book, max(effective, now.date())),
    )


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _said(start: tuple[int, time]) -> str:
    return f"{_DAYS[start[0]]} {start[1]:%H:%M}"


def _workweek_moves(history: RulesHistory, book: RuleBook, effective: date) -> list[str]:
    """Where adopting ``book`` from ``effective`` would move the workweek's start: against the rules in
    force the day before (none from the beginning), and against the next file adopted after it."""
    from ot.services.pay import workweek_of

    out: list[str] = []
    new = workweek_of(book, effective)
    if effective > FROM_THE_BEGINNING:
        before = effective - timedelta(days=1)
        old = workweek_of(history.book_on(before), before)
        if old != new:
            out.append(
                f"it starts the workweek on {_said(new)} from {effective}, the rules in force before start it on "
                f"{_said(old)}, and work is recorded: keep `workweek starts {_said(old).lower()}` (a ledger with no work "
                "yet takes such a file for every workweek, from the beginning)"
            )
    later = sorted((v for v in history.adopted if v.effective > effective), key=lambda v: (v.effective, v.seq))
    if later:
        at = later[0].effective
        theirs = workweek_of(history.book_on(at), at)
        ours = workweek_of(book, at - timedelta(days=1))
        if theirs != ours:
            out.append(
                f"it starts the workweek on {_said(ours)}, and {later[0].file}, in force from {at}, on "
                f"{_said(theirs)}: keep `workweek starts {_said(theirs).lower()}`"
            )
    return out


def _work_recorded(uow: UnitOfWork) -> bool:
    """Whether the ledger holds any work: a punch, a manual shift or an earning."""
    row = uow.ledger.connection.execute(
        "SELECT 1 FROM events WHERE kind IN ('punch.recorded', 'shift.entered', 'earning.recorded') LIMIT 1"
    ).fetchone()
    return row is not None


def rules_history(ledger_path: Path) -> list[RulesVersion]:
    """Every rules file the ledger adopted, by effective date."""
    from ot.services.uow import unit_of_work

    with unit_of_work(ledger_path) as uow:
        return sorted(uow.reads.rules_adopted(), key=lambda v: (v.effective, v.seq))
