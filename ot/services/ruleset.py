"""Which rules file is in force on a day, from the ledger's history.

The rules file in force on a day is the last one the ledger adopted
(``rules.adopted`` events) with an effective date on or before it, else the
``rules.example.ot`` that ships with ot. A workweek is always evaluated with
the file in force on its first day, so a past week is recomputed and
explained with the rules of its time. Each distinct text is compiled once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ledger.events import NewEvent, RulesVersion
from ledger.store import Writer
from rules.compiler import compile_text
from rules.files import default_rules_path
from rules.model import RuleBook

__all__ = ["FROM_THE_BEGINNING", "RulesHistory", "RulesInForce", "pin_default_rules"]

#: The effective date of the shipped rules file a ledger records with its first import.
FROM_THE_BEGINNING = date(1, 1, 1)


@dataclass(frozen=True)
class RulesInForce:
    """A rules text and where it came from.

    Attributes:
        file: File name as adopted (or the shipped default's name).
        text: The whole text.
        sha256: Its content hash.
        effective: First date it is in force (None for the shipped default).
    """

    file: str
    text: str
    sha256: str
    effective: date | None


#: Compiled rules books by the sha256 of their text: a rules file is compiled once per
#: process (tens of milliseconds), however many units of work read it.
_BOOKS: dict[str, RuleBook] = {}
_MAX_BOOKS = 16


class RulesHistory:
    """The ledger's adopted rules files by effective date, compiled on demand."""

    def __init__(self, adopted: Sequence[RulesVersion]) -> None:
        self._adopted = sorted(adopted, key=lambda v: (v.effective, v.seq))
        self._books: dict[str, RuleBook] = {}
        self._default: RulesInForce | None = None

    @property
    def adopted(self) -> tuple[RulesVersion, ...]:
        """The adopted files, by effective date."""
        return tuple(self._adopted)

    def text_on(self, day: date) -> RulesInForce:
        """The rules text in force on ``day``."""
        in_force = [v for v in self._adopted if v.effective <= day]
        if in_force:
            v = in_force[-1]
            return RulesInForce(v.file, v.text, v.sha256, v.effective)
        if self._default is None:
            path = default_rules_path()
            text = path.read_text(encoding="utf-8")
            self._default = RulesInForce(path.name, text, hashlib.sha256(text.encode()).hexdigest(), None)
        return self._default

    def book_on(self, day: date) -> RuleBook:
        """The compiled rules in force on ``day``."""
        rules = self.text_on(day)
        found = self._books.get(rules.sha256) or _BOOKS.get(f"{rules.sha256}:{rules.file}")
        if found is None:
            found = compile_text(rules.text, rules.file)
            if len(_BOOKS) >= _MAX_BOOKS:
                _BOOKS.clear()
            _BOOKS[f"{rules.sha256}:{rules.file}"] = found
        self._books[rules.sha256] = found
        return found


def pin_default_rules(tx: Writer) -> bool:
    """Record the shipped ``rules.example.ot`` as in force from the beginning, once.

    Called by the first write of work (imports, the demo) into a ledger that has
    adopted no rules file: from then on the ledger's own history says which
    rules its weeks were computed with, even if a later ot ships a different
    default. Returns True when it recorded the file.
    """
    if tx.rules_adopted():
        return False
    path = default_rules_path()
    text = path.read_text(encoding="utf-8")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    effective = FROM_THE_BEGINNING.isoformat()
    added = tx.append(
        [
            NewEvent(
                kind="rules.adopted",
                payload={"sha256": sha, "file": path.name, "text": text, "effective": effective},
                key=f"rules.adopted:{sha}:{effective}",
            )
        ]
    )
    return bool(added)
