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
from datetime import date, datetime
from pathlib import Path

from ledger.events import NewEvent, RulesVersion
from ot.core.errors import OtError, Problem
from ot.services.rules import book_notices
from rules.compiler import compile_text

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


def rules_history(ledger_path: Path) -> list[RulesVersion]:
    """Every rules file the ledger adopted, by effective date."""
    from ot.services.uow import unit_of_work

    with unit_of_work(ledger_path) as uow:
        return sorted(uow.reads.rules_adopted(), key=lambda v: (v.effective, v.seq))
