"""Worker search: the roster by id, name, type, location, manager and role, as you type.

The index is ``workers_fts`` (``ledger.schema.enable_worker_search``): an SQLite
FTS5 table over ``workers`` built with sqlite-utils and kept current by its
triggers, so every append that changes the roster changes the index in the same
transaction. It is derived and rebuildable (:func:`rebuild_index`); nothing
about money ever reads it.

A search is words; each word matches the start of a word of any indexed column
(``ali`` finds "Alice Wong", ``W01`` finds ``W0123``), and every word must
match. Punctuation separates words, as in the index (``W-0`` finds ``W-001``).
Case and accents are ignored.

``pin_override``: only workers whose PIN is an admin's six-digit override
(``pins.override``, recorded from schema 8 on; a PIN set before it counts as
not overridden until it is set again).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ot.core.errors import OtError, Problem
from ot.services.uow import unit_of_work

__all__ = [
    "MAX_QUERY",
    "SearchResult",
    "WorkerHit",
    "check_index",
    "like_ids",
    "match_expression",
    "matching_ids",
    "rebuild_index",
    "search_workers",
]

#: The longest search accepted (characters), and the most words.
MAX_QUERY = 200
MAX_WORDS = 12

# A word as FTS5's unicode61 tokenizer sees one: letters and digits; anything else separates.
_WORD = re.compile(r"[^\W_]+")


def match_expression(text: str) -> str | None:
    """The FTS5 MATCH expression of a typed search (each word a quoted prefix), or None when it
    has no word. :class:`OtError` when it is too long."""
    if len(text) > MAX_QUERY:
        raise OtError(
            "the search is too long",
            [Problem("--search", f"{len(text)} characters: give at most {MAX_QUERY} (a few letters are enough)")],
        )
    words = _WORD.findall(text)
    if len(words) > MAX_WORDS:
        raise OtError(
            "the search has too many words",
            [Problem("--search", f"{len(words)} words: give at most {MAX_WORDS}")],
        )
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def _where(pin_override: bool, manager_id: str | None) -> tuple[str, list[Any]]:
    sql = ""
    args: list[Any] = []
    if pin_override:
        sql += " AND w.worker_id IN (SELECT worker_id FROM pins WHERE override = 1)"
    if manager_id is not None:
        sql += " AND w.manager_id = ?"
        args.append(manager_id)
    return sql, args


def matching_ids(
    conn: sqlite3.Connection, text: str, *, pin_override: bool = False, manager_id: str | None = None
) -> list[str]:
    """The ids of the workers matching ``text`` (every worker when it has no word), by id, the
    worker whose id is ``text`` first and then those whose id begins with it.

    ``manager_id``: only that manager's reports."""
    expr = match_expression(text)
    extra, args = _where(pin_override, manager_id)
    if expr is None:
        sql = f"SELECT w.worker_id FROM workers w WHERE 1{extra} ORDER BY w.worker_id"
        return [r[0] for r in conn.execute(sql, args)]
    sql = (
        "SELECT w.worker_id FROM workers w"
        f" WHERE w.rowid IN (SELECT rowid FROM workers_fts WHERE workers_fts MATCH ?){extra} ORDER BY w.worker_id"
    )
    found = [r[0] for r in conn.execute(sql, [expr, *args])]
    typed = text.strip().casefold()
    return sorted(found, key=lambda i: (_id_rank(i.casefold(), typed), i))


def _id_rank(worker_id: str, typed: str) -> int:
    """0 for the worker whose id is what was typed, 1 for ids that begin with it, else 2: typing
    ``W2`` puts worker W2 first, before the other W2 (employee) workers."""
    if worker_id == typed:
        return 0
    return 1 if worker_id.startswith(typed) else 2


def like_ids(conn: sqlite3.Connection, text: str, *, pin_override: bool = False) -> list[str]:
    """The same answer as :func:`matching_ids` by a plain ``LIKE`` scan of ``workers`` (no index):
    the baseline of ``bench/search_bench.py``. Matches words anywhere rather than at a word's start."""
    words = _WORD.findall(text)
    extra, args = _where(pin_override, None)
    cols = " || ' ' || ".join(f"coalesce(w.{c}, '')" for c in _COLUMNS)
    for word in words:
        extra += f" AND ({cols}) LIKE ?"
        args.append(f"%{word}%")
    return [r[0] for r in conn.execute(f"SELECT w.worker_id FROM workers w WHERE 1{extra} ORDER BY w.worker_id", args)]


_COLUMNS = ("worker_id", "name", "type", "location_id", "manager_id", "role")


def rebuild_index(conn: sqlite3.Connection) -> int:
    """Refill ``workers_fts`` from ``workers`` (FTS5 ``rebuild``); returns the number of workers.
    Call inside a write transaction."""
    conn.execute("INSERT INTO workers_fts(workers_fts) VALUES ('rebuild')")
    return int(conn.execute("SELECT COUNT(*) FROM workers").fetchone()[0])


def check_index(conn: sqlite3.Connection) -> bool:
    """Whether ``workers_fts`` agrees with ``workers`` (FTS5 ``integrity-check`` against its content)."""
    try:
        conn.execute("INSERT INTO workers_fts(workers_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


@dataclass(frozen=True)
class WorkerHit:
    """One worker a search found.

    Attributes:
        worker_id: The id.
        name: Display name.
        type: ``W2`` or ``1099``.
        location_id: Default location.
        manager_id: Their manager, or None.
        role: ``worker``, ``manager`` or ``admin``.
        active: False once terminated.
        pin_override: True when their PIN is an admin's override.
    """

    worker_id: str
    name: str
    type: str
    location_id: str
    manager_id: str | None
    role: str
    active: bool
    pin_override: bool

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict of every field."""
        return {
            "worker_id": self.worker_id,
            "name": self.name,
            "type": self.type,
            "location_id": self.location_id,
            "manager_id": self.manager_id,
            "role": self.role,
            "active": self.active,
            "pin_override": self.pin_override,
        }


@dataclass(frozen=True)
class SearchResult:
    """What ``ot workers`` shows.

    Attributes:
        hits: The workers found (at most ``limit``), by id, the worker whose id was typed first.
        total: How many matched.
        scope: ``all workers`` for an admin, ``reports of M1`` for a manager.
    """

    hits: tuple[WorkerHit, ...]
    total: int
    scope: str


def _hits(conn: sqlite3.Connection, ids: list[str]) -> list[WorkerHit]:
    out: list[WorkerHit] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT w.worker_id, w.name, w.type, w.location_id, w.manager_id, w.role, w.active,"
            f" coalesce(p.override, 0) FROM workers w LEFT JOIN pins p USING (worker_id)"
            f" WHERE w.worker_id IN ({marks})",
            chunk,
        )
        found = {r[0]: WorkerHit(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), bool(r[7])) for r in rows}
        out.extend(found[i] for i in chunk if i in found)  # in the order of ``ids``
    return out


def search_workers(
    ledger_path: Path, text: str | None, *, actor: str, pin_override: bool = False, limit: int | None = None
) -> SearchResult:
    """The workers ``actor`` may see that match ``text`` (None: all of them): an admin sees every
    worker, a manager their own reports. ``limit`` caps the hits returned, not ``total``.

    An empty search (no letter or digit) is an :class:`OtError`: leave ``text`` None to list."""
    if limit is not None and limit < 1:
        raise OtError("bad limit", [Problem("--limit", f"{limit}: give 1 or more")])
    if text is not None and match_expression(text) is None:
        raise OtError(
            "the search is empty",
            [Problem("--search", "type at least one letter or digit, or leave out --search to list every worker")],
        )
    with unit_of_work(ledger_path, actor=actor) as uow:
        uow.require("list workers")
        me = uow.acting("list workers")
        manager = me.worker_id if me.role == "manager" else None
        conn = uow.ledger.connection
        ids = matching_ids(conn, text or "", pin_override=pin_override, manager_id=manager)
        shown = ids if limit is None else ids[:limit]
        hits = _hits(conn, shown)
    return SearchResult(tuple(hits), len(ids), f"reports of {manager}" if manager else "all workers")
