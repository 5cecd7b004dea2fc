"""Money is computed from events: check the derived tables a pay run reads against the events first.

The derived tables (``ledger.schema.PROJECTION_TABLES``) live in the same file
as the events, and anyone with the file can edit them with ``sqlite3``. The
events cannot be changed unseen (the hash chain, ``ot ledger verify``). So
before a pay run, a correction or an issued stub relies on them,
:func:`check_projections` folds the events that decide money (the roster,
locations, rules, manual shifts, approvals, timecards, payments, corrections)
into a scratch database with the very fold the ledger uses at append time,
and compares the tables row by row. A sync checks the same way, and the sync
outbox too (``SYNC_TABLES``), before it calls any target. Any difference refuses the command and
names the table. Punches have no table to edit: they are read from the
events themselves.

So that this check costs the events since the last one, not the whole
history, a write that checked (a pay run, a correction) keeps what it folded:
the folded tables go to a file beside the ledger (``<ledger>.checked``), and a
``trust.checked`` event in the chain records through which event they were
folded and the SHA-256 of that file. The next check starts from the file only
when it hashes to what the chain says; otherwise (no file, an old or edited
one) it folds every event, as before. The file is a cache: deleting it costs
time, never trust.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledger import projections
from ledger.events import NewEvent
from ledger.paystate import fold_shift_approval
from ledger.schema import PROJECTIONS, _script
from ot.core.errors import OtError, Problem
from ot.services.uow import UnitOfWork

__all__ = ["CHECKED", "MONEY_TABLES", "SYNC_TABLES", "Checked", "check_projections", "seal_check"]

#: The event that records a check: ``{"through_seq": N, "file_sha256": H}``.
CHECKED = "trust.checked"
#: The kept file's format: its tables' shapes and the fold's version (raise it when a handler changes).
_FORMAT = hashlib.sha256(("trust/2\n" + PROJECTIONS).encode()).hexdigest()  # 2: schedules

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
    "schedules",  # reporting-time pay (Wage Order section 5(A)) is priced from them
    "earnings",
    "fold_problems",
)

#: The derived tables a sync reads besides those (step-1 approvals and the outbox rows of the shifts in
#: scope are checked one by one: :func:`check_shift_approvals`, :func:`outbox_problems`).
SYNC_TABLES: tuple[str, ...] = MONEY_TABLES

#: Event kinds whose fold writes those tables (prefixes end in a dot). Step-1 approvals, the most
#: numerous, are checked one by one where a pay run or a sync relies on them (:func:`check_shift_approvals`).
_KINDS: tuple[str, ...] = (
    "location.",
    "worker.",
    "shift.",
    "rules.",
    "approval.timecard_",
    "payrun.",
    "correction.",
    "schedule.",
    "earning.",
)


def _where(kinds: Sequence[str]) -> str:
    parts = []
    for k in kinds:
        end = k[:-1] + chr(ord(k[-1]) + 1)
        parts.append(f"(kind >= '{k}' AND kind < '{end}')")
    return " OR ".join(parts)


def check_shift_approvals(uow: UnitOfWork, shifts: Mapping[str, str]) -> None:
    """Refuse when a step-1 approval row these shifts (shift id -> worker) rely on is not what their
    events fold to (:func:`shift_approval_problems`: an approval written into the table by hand)."""
    refuse_shift_approvals(list(shift_approval_problems(uow, shifts).values()))


def refuse_shift_approvals(problems: Sequence[Problem]) -> None:
    """The refusal of :func:`check_shift_approvals` when there are problems."""
    if problems:
        raise OtError(
            "refused: a derived table does not match the events; nothing was written: the ledger file was edited "
            "outside ot; run `ot ledger verify`, then `ot ledger rebuild` once you know why",
            list(problems),
        )


def shift_approval_problems(uow: UnitOfWork, shifts: Mapping[str, str]) -> dict[str, Problem]:
    """What :func:`check_shift_approvals` refuses, by shift id (in the order of ``shifts``, shift id ->
    its worker); a caller may check shifts in batches within its transaction and refuse once.

    Each shift's ``shift_approvals`` row is folded again, with the ledger's own fold, from the events
    that decide it: every void of the shift (voids are few), the event the row names, and any approval
    of the shift after that one; then compared column by column (the void count is part of the key a
    sync target knows a shift's version by); a shift with no row, from its events since it was recorded
    (a deleted row read the shift as never approved: a pay run left its worker out, saying to approve it).
    Not the whole history of the worker's approvals: the check costs the shifts in scope."""
    conn = uow.ledger.connection
    ids = list(shifts)
    rows: dict[str, tuple[object, ...]] = {
        row[0]: tuple(row)
        for row in _select_in(
            conn,
            "SELECT shift_id, worker_id, version, day, actor, at, voids, last_void, seq FROM shift_approvals "
            "WHERE shift_id IN ({})",
            ids,
        )
    }
    # The events the rows name; every void of these shifts' workers; approvals after the rows' events.
    Event = tuple[int, str, dict[str, Any], str, str]
    events: dict[int, Event] = {}
    seqs = sorted({r[8] for r in rows.values() if isinstance(r[8], int)})
    for seq, kind, payload, actor, recorded in _select_in(
        conn, "SELECT seq, kind, payload, actor, recorded_at FROM events WHERE seq IN ({})", seqs
    ):
        events[seq] = (seq, kind, json.loads(payload), actor, recorded)
    of_shift: dict[str, list[Event]] = {}
    names = sorted({str(r[1]) for r in rows.values()} | set(shifts.values()))
    for seq, kind, payload, actor, recorded in _select_in(
        conn,
        "SELECT seq, kind, payload, actor, recorded_at FROM events WHERE worker_id IN ({}) "
        "AND kind = 'approval.shift_voided' AND kind != 'punch.recorded'",
        names,
    ):
        p = json.loads(payload)
        if p.get("shift_id") in shifts:
            of_shift.setdefault(p["shift_id"], []).append((seq, kind, p, actor, recorded))
    # Approvals after the event a row names (it is stale), and of a shift with no row at all (deleted):
    # a shift's approvals all come after the event that recorded it, whose number its id carries (S<seq>
    # of its first punch, M<seq> of its entry), so each worker's are read from the earliest of those on.
    after: dict[str, int] = {}
    for r in rows.values():
        if isinstance(r[8], int):
            after[str(r[1])] = min(after.get(str(r[1]), r[8]), r[8])
    absent = {sid: n for sid in ids if sid not in rows and (n := _recorded_at_seq(sid)) is not None}
    for sid, n in absent.items():
        after[shifts[sid]] = min(after.get(shifts[sid], n), n)
    later: dict[str, int] = {}  # shift -> the first approval of it after the event its row names
    for wid, first in sorted(after.items()):
        for seq, sid, payload, actor, recorded in conn.execute(
            "SELECT seq, json_extract(payload, '$.shift_id'), payload, actor, recorded_at FROM events "
            "WHERE worker_id = ? AND kind = 'approval.shift_approved' AND kind != 'punch.recorded' AND seq > ?",
            (wid, first),
        ):
            row = rows.get(sid)
            if row is not None and isinstance(row[8], int) and seq > row[8]:
                later[sid] = min(later.get(sid, seq), seq)
            elif row is None and sid in absent:
                of_shift.setdefault(sid, []).append(
                    (seq, "approval.shift_approved", json.loads(payload), actor, recorded)
                )
    problems: dict[str, Problem] = {}
    for sid in ids:
        row = rows.get(sid)
        mine = of_shift.get(sid, [])
        if row is not None:
            named = events.get(row[8]) if isinstance(row[8], int) else None
            if named is None or named[1] not in _APPROVAL_KINDS or named[2].get("shift_id") != sid:
                problems[sid] = Problem("table shift_approvals", f"shift {sid}: row {row[8]} is not that approval")
                continue
            voided = [e[0] for e in mine if e[0] > named[0]]
            after_it = voided + ([later[sid]] if sid in later else [])
            if after_it:
                first = min(after_it)
                what = "voided" if first in voided else "approved again"
                problems[sid] = Problem(
                    "table shift_approvals", f"shift {sid}: its approval was {what} by event {first}"
                )
                continue
            if named[1] == "approval.shift_approved" or not any(e[0] == named[0] for e in mine):
                mine = [*mine, named]
        if not mine:
            continue
        folded = fold_shift_approval(sorted(mine, key=lambda e: e[0]))
        if row is None:
            assert folded is not None
            problems[sid] = Problem(
                "table shift_approvals", f"shift {sid}: no row, but the events make one (event {folded[8]})"
            )
        elif folded != row:
            problems[sid] = Problem(
                "table shift_approvals",
                f"shift {sid}: column {_first_difference(row, folded)} differs from the events (row {row[8]})",
            )
    return problems


_APPROVAL_KINDS = ("approval.shift_approved", "approval.shift_voided")
_APPROVAL_COLUMNS = ("shift_id", "worker_id", "version", "day", "actor", "at", "voids", "last_void", "seq")


def _select_in(conn: sqlite3.Connection, sql: str, values: Sequence[object]) -> Iterator[Any]:
    """The rows of ``sql`` whose ``IN ({})`` takes ``values``, 500 at a time (SQLite's bound of parameters)."""
    for at in range(0, len(values), 500):
        part = values[at : at + 500]
        yield from conn.execute(sql.format(",".join("?" * len(part))), part)


def _recorded_at_seq(shift_id: str) -> int | None:
    """The sequence number of the event that recorded a shift, from its id (``S123``, ``M123``), or None."""
    if len(shift_id) > 1 and shift_id[0] in "SM" and shift_id[1:].isascii() and shift_id[1:].isdigit():
        return int(shift_id[1:])
    return None


def _first_difference(row: Sequence[object], folded: Sequence[object] | None) -> str:
    if folded is None:
        return "shift_id"
    return next((c for c, a, b in zip(_APPROVAL_COLUMNS, row, folded, strict=True) if a != b), "shift_id")


@dataclass
class Checked:
    """The tables folded from the events by a check, kept for the unit's seal.

    Attributes:
        scratch: An in-memory database whose tables are the fold of every event up to ``through``.
        through: The last event folded.
        started: Where the check started from (0: every event; else the ``.checked`` file's event).
    """

    scratch: sqlite3.Connection
    through: int
    started: int


def sidecar_path(ledger_path: Path) -> Path:
    """Where the tables folded by the last check are kept: ``<ledger>.checked`` beside the ledger."""
    return ledger_path.with_name(ledger_path.name + ".checked")


def check_projections(uow: UnitOfWork, tables: Sequence[str] = MONEY_TABLES) -> None:
    """Refuse (:class:`OtError` naming the table) when a derived table differs from its events."""
    conn = uow.ledger.connection
    head = uow.head()[0]
    checked = _start(uow)
    scratch = checked.scratch
    try:
        _fold(conn, scratch, checked.through, head)
        checked.through = head
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
    except BaseException:
        scratch.close()
        raise
    previous = uow.checked
    if previous is not None:
        previous.scratch.close()
    uow.checked = checked


def _fold(conn: sqlite3.Connection, scratch: sqlite3.Connection, after: int, through: int) -> None:
    """Fold the money events ``after < seq <= through`` into ``scratch``."""
    scratch.execute("BEGIN")
    # An issued stub is not folded into any table: leave it out of the text parsed.
    cursor = conn.execute(
        "SELECT seq, kind, CASE WHEN kind = 'payrun.worker_paid' THEN json_remove(payload, '$.stub') "
        "ELSE payload END, actor, recorded_at, worker_id FROM events WHERE kind != 'punch.recorded' "
        f"AND ({_where(_KINDS)}) AND seq > ? AND seq <= ? ORDER BY seq",
        (after, through),
    )
    while True:
        chunk = cursor.fetchmany(5000)
        if not chunk:
            break
        projections.apply(
            scratch,
            ((seq, kind, json.loads(p), actor, at, wid) for seq, kind, p, actor, at, wid in chunk),
            "main",
            strict=False,
        )
    scratch.execute("COMMIT")


def outbox_problems(conn: sqlite3.Connection, shifts: Mapping[str, str]) -> list[Problem]:
    """How the outbox rows (``sync_shifts``) of these shifts (shift id -> worker id) differ from the fold
    of their own ``sync.*`` events (read by worker through the ``events_worker_kind`` index, filtered by
    shift in SQL): a row deleted by hand would send a second copy, one inserted would skip a send. Not
    in the kept check: a sync appends an event per shift, and every pay run and stub would fold them."""
    if not shifts:
        return []
    by_worker: dict[str, list[str]] = {}
    for sid, wid in shifts.items():
        by_worker.setdefault(wid, []).append(sid)
    scratch = _empty()
    try:
        scratch.execute("BEGIN")
        rows: list[tuple[int, str, str, str, str, str | None]] = []
        for wid, sids in sorted(by_worker.items()):
            for at in range(0, len(sids), 500):
                chunk = sids[at : at + 500]
                rows += conn.execute(
                    "SELECT seq, kind, payload, actor, recorded_at, worker_id FROM events WHERE worker_id = ? "
                    "AND kind >= 'sync.' AND kind < 'sync/' AND kind != 'punch.recorded' "
                    f"AND json_extract(payload, '$.shift_id') IN ({','.join('?' * len(chunk))})",
                    (wid, *chunk),
                ).fetchall()
        rows.sort()
        projections.apply(scratch, ((q, k, json.loads(p), a, t, w) for q, k, p, a, t, w in rows), "main", strict=False)
        scratch.execute("COMMIT")
        ids = sorted(shifts)
        out: list[Problem] = []
        for at in range(0, len(ids), 500):
            chunk = ids[at : at + 500]
            where = f"WHERE shift_id IN ({','.join('?' * len(chunk))}) ORDER BY target, shift_id"
            mine = {(r[0], r[1]): tuple(r) for r in conn.execute(f"SELECT * FROM sync_shifts {where}", chunk)}
            theirs = {(r[0], r[1]): tuple(r) for r in scratch.execute(f"SELECT * FROM sync_shifts {where}", chunk)}
            for key in sorted(set(mine) | set(theirs)):
                if mine.get(key) != theirs.get(key):
                    out.append(
                        Problem(
                            "table sync_shifts",
                            f"target {key[0]} shift {key[1]}: {mine.get(key)!r}, but the events make {theirs.get(key)!r}",
                        )
                    )
        return out
    finally:
        scratch.close()


def _empty() -> sqlite3.Connection:
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    scratch.execute("BEGIN")
    _script(scratch, PROJECTIONS.format(s="main"))
    scratch.execute("COMMIT")
    return scratch


def _last_seal(conn: sqlite3.Connection) -> tuple[int, str] | None:
    row = conn.execute(
        "SELECT payload FROM events WHERE kind = ? AND kind != 'punch.recorded' ORDER BY seq DESC LIMIT 1", (CHECKED,)
    ).fetchone()
    if row is None:
        return None
    p = json.loads(row[0])
    return int(p.get("through_seq") or 0), str(p.get("file_sha256") or "")


def _start(uow: UnitOfWork) -> Checked:
    """The last sealed fold when its file is there and hashes to what the chain says; else nothing folded."""
    seal = _last_seal(uow.ledger.connection)
    path = sidecar_path(uow.path)
    if seal is not None and str(uow.path) != ":memory:":
        scratch = sqlite3.connect(":memory:", isolation_level=None)
        try:
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() == seal[1]:
                scratch.deserialize(data)
                through = scratch.execute("SELECT through_seq, format FROM checked").fetchone()
                if through is not None and tuple(through) == (seal[0], _FORMAT):
                    return Checked(scratch, seal[0], seal[0])
        except (OSError, sqlite3.Error, ValueError):
            pass
        scratch.close()
    return Checked(_empty(), 0, 0)


def tables_sha256(conn: sqlite3.Connection, schema: str = "main") -> str:
    """SHA-256 of every row of the money tables (all columns, in order), and of their shapes: what two
    folds compare by (the seal itself hashes the kept file's bytes)."""
    h = hashlib.sha256(_FORMAT.encode())
    for table in MONEY_TABLES:
        width = len(conn.execute(f"PRAGMA {schema}.table_info({table})").fetchall())
        order = ", ".join(str(i) for i in range(1, width + 1))
        h.update(f"\x1e{table}\x1d".encode())
        for row in conn.execute(f"SELECT * FROM {schema}.{table} ORDER BY {order}"):
            h.update(repr(tuple(row)).encode())
            h.update(b"\x1f")
    return h.hexdigest()


def seal_check(uow: UnitOfWork) -> None:
    """At the end of a write that checked: fold what it appended, keep the tables in the
    ``.checked`` file, and record their hash in the chain (``trust.checked``). Nothing is
    sealed when nothing was appended, on a dry run, or when the file cannot be written (the
    next check then folds every event: slower, never less safe)."""
    checked = uow.checked
    if checked is None or uow.dry_run or str(uow.path) == ":memory:":
        return
    head = uow.head()[0]
    if head <= checked.through:
        return
    scratch = checked.scratch
    _fold(uow.ledger.connection, scratch, checked.through, head)
    checked.through = head
    # The format: a later version whose tables or fold differ starts afresh rather than from this file.
    scratch.execute("CREATE TABLE IF NOT EXISTS checked (through_seq INTEGER NOT NULL, format TEXT NOT NULL)")
    scratch.execute("DELETE FROM checked")
    scratch.execute("INSERT INTO checked VALUES (?, ?)", (head, _FORMAT))
    data = scratch.serialize()
    from ot.services.stubs import write_atomic

    try:
        write_atomic(sidecar_path(uow.path), data)
    except (OtError, OSError):
        return
    uow.append([NewEvent(CHECKED, {"through_seq": head, "file_sha256": hashlib.sha256(data).hexdigest()})])


def _difference(conn: sqlite3.Connection, scratch: sqlite3.Connection, table: str) -> str | None:
    order = "ORDER BY 1, 2"
    mine = conn.execute(f"SELECT * FROM main.{table} {order}")
    theirs = scratch.execute(f"SELECT * FROM main.{table} {order}")
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
