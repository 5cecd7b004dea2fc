"""Money is computed from events: check the derived tables a pay run reads against the events first.

The derived tables (``ledger.schema.PROJECTION_TABLES``) live in the same file
as the events, and anyone with the file can edit them with ``sqlite3``. The
events cannot be changed unseen (the hash chain, ``ot ledger verify``). So
before a pay run, a correction or an issued stub relies on them,
:func:`check_projections` folds the events that decide money (the roster,
locations, rules, manual shifts, approvals, timecards, payments, corrections)
into a scratch database with the very fold the ledger uses at append time,
and compares the tables row by row. Any difference refuses the command and
names the table. Punches have no table to edit: they are read from the
events themselves.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from ledger import projections
from ledger.schema import PROJECTIONS, _script
from ot.errors import OtError, Problem
from ot.services.uow import UnitOfWork

__all__ = ["MONEY_TABLES", "check_projections"]

#: The derived tables money depends on, compared before a pay run.
MONEY_TABLES: tuple[str, ...] = (
    "locations",
    "workers",
    "worker_rates",
    "shift_entries",
    "rules_versions",
    "timecards",
    "payruns",
    "payments",
    "paid_ranges",
    "paid_weeks",
    "corrections",
    "settlements",
    "fold_problems",
)

#: Event kinds whose fold writes those tables (prefixes end in a dot). Step-1 approvals, the most
#: numerous, are checked one by one where a pay run relies on them (:func:`check_shift_approvals`).
_KINDS: tuple[str, ...] = (
    "location.",
    "worker.",
    "shift.",
    "rules.",
    "approval.timecard_",
    "payrun.",
    "correction.",
)


def _where(kinds: Sequence[str]) -> str:
    parts = []
    for k in kinds:
        end = k[:-1] + chr(ord(k[-1]) + 1)
        parts.append(f"(kind >= '{k}' AND kind < '{end}')")
    return " OR ".join(parts)


def check_shift_approvals(uow: UnitOfWork, shift_ids: Sequence[str]) -> None:
    """Refuse when a step-1 approval row these shifts rely on is not the approval event it names,
    or a later event voided it (an approval written into the table by hand)."""
    conn = uow.ledger.connection
    problems: list[Problem] = []
    for sid, a in uow.pay.shift_approvals(shift_ids).items():
        row = conn.execute(
            "SELECT kind, json_extract(payload, '$.shift_id'), json_extract(payload, '$.version'), worker_id "
            "FROM events WHERE seq = ?",
            (a.seq,),
        ).fetchone()
        if row is None or tuple(row) != ("approval.shift_approved", sid, a.version, a.worker_id):
            problems.append(Problem("table shift_approvals", f"shift {sid}: row {a.seq} is not that approval"))
            continue
        later = conn.execute(
            "SELECT seq FROM events WHERE worker_id = ? AND kind = 'approval.shift_voided' AND kind != 'punch.recorded' "
            "AND seq > ? "
            "AND json_extract(payload, '$.shift_id') = ? LIMIT 1",
            (a.worker_id, a.seq, sid),
        ).fetchone()
        if later is not None:
            problems.append(
                Problem("table shift_approvals", f"shift {sid}: its approval was voided by event {later[0]}")
            )
    if problems:
        raise OtError(
            "refused: a derived table does not match the events; nothing was written: the ledger file was edited "
            "outside ot; run `ot ledger verify`, then `ot ledger rebuild` once you know why",
            problems,
        )


def check_projections(uow: UnitOfWork, tables: Sequence[str] = MONEY_TABLES) -> None:
    """Refuse (:class:`OtError` naming the table) when a derived table differs from its events."""
    conn = uow.ledger.connection
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    try:
        scratch.execute("ATTACH DATABASE ':memory:' AS fresh")
        scratch.execute("BEGIN")
        _script(scratch, PROJECTIONS.format(s="fresh"))
        # An issued stub is not folded into any table: leave it out of the text parsed.
        cursor = conn.execute(
            "SELECT seq, kind, CASE WHEN kind = 'payrun.worker_paid' THEN json_remove(payload, '$.stub') "
            "ELSE payload END, actor, recorded_at, worker_id FROM events WHERE kind != 'punch.recorded' "
            f"AND ({_where(_KINDS)}) ORDER BY seq"
        )
        while True:
            chunk = cursor.fetchmany(5000)
            if not chunk:
                break
            projections.apply(
                scratch,
                ((seq, kind, json.loads(p), actor, at, wid) for seq, kind, p, actor, at, wid in chunk),
                "fresh",
                strict=False,
            )
        problems: list[Problem] = []
        for table in tables:
            difference = _difference(conn, scratch, table)
            if difference is not None:
                problems.append(
                    Problem(
                        f"table {table}",
                        f"differs from the events ({difference}): the ledger file was edited outside ot; "
                        "run `ot ledger verify`, then `ot ledger rebuild` once you know why",
                    )
                )
        if problems:
            raise OtError("refused: a derived table does not match the events; nothing was written", problems)
    finally:
        scratch.close()


def _difference(conn: sqlite3.Connection, scratch: sqlite3.Connection, table: str) -> str | None:
    order = "ORDER BY 1, 2"
    mine = conn.execute(f"SELECT * FROM main.{table} {order}")
    theirs = scratch.execute(f"SELECT * FROM fresh.{table} {order}")
    while True:
        a, b = mine.fetchmany(2000), theirs.fetchmany(2000)
        for x, y in zip(a, b, strict=False):
            if tuple(x) != tuple(y):
                return f"first at {x[0]!r}: the table has {_short(x)}, the events give {_short(y)}"
        if len(a) != len(b):
            if len(a) > len(b):
                return f"{_short(a[len(b)])} is not from any event"
            return f"it lacks {_short(b[len(a)])}"
        if not a:
            return None


def _short(row: tuple[object, ...]) -> str:
    text = repr(tuple(row))
    return text if len(text) <= 100 else text[:97] + "..."
