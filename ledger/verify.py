"""Re-check a ledger: the hash chain, sequence, keys, head, and the derived tables.

Detects every kind of tampering by someone who bypasses the append-only
triggers: an edited event (its hash no longer matches), a deleted or inserted
event (a gap, or a broken link to its predecessor), reordered events (broken
links), a truncated tail (the head kept in ``meta`` is past the last event),
derived tables that differ from a fresh fold of the events, and events the
pay state refuses (a worker-date paid twice, a correction settled beyond its
balance: ``ledger.paystate``).

From a :class:`Start` (a verified checkpoint: its sequence number, its event's hash, the
fold of the derived tables as of it, the seals' state), :func:`verify` checks that the
checkpointed event still hashes to what was recorded, then the chain, the seals and the
fold of the events after it only: the events before it are not read again (``ot ledger
verify --full`` does that). Trusting the checkpoint is the caller's business
(``ot.services.verify_checkpoint`` keeps it under an HMAC).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger import projections
from ledger.events import (
    GENESIS_HASH,
    PUNCH_KEY_PREFIX,
    canonical_json,
    event_hash,
    plain_punch,
    punch_json,
    validate_payload,
)
from ledger.schema import PROJECTION_TABLES, PROJECTIONS, _script
from ledger.seals import Seals
from ot.core.scratch import scratch_folder

if TYPE_CHECKING:
    from ledger.store import Ledger

MAX_PROBLEMS = 20


@dataclass(frozen=True)
class VerifyReport:
    """What :func:`verify` found.

    Attributes:
        ok: True when nothing is wrong.
        first_bad_seq: The first event found bad (or where a missing one should be), else None.
        problems: What is wrong, first problems first (at most ``MAX_PROBLEMS`` about events).
        events: How many events were read.
        punches: How many of them were punches (``punch.recorded``).
        head: Hash of the last event (64 zeros for an empty ledger).
        started: The checkpoint's sequence number it started after (0: every event, from genesis).
        last_seq: The last event's sequence number.
        seals: The seals' state at the last event (for the next checkpoint).
        notes: What the caller should tell about how it verified (a refused checkpoint, the mode).
    """

    ok: bool
    first_bad_seq: int | None
    problems: tuple[str, ...]
    events: int
    head: str
    started: int = 0
    last_seq: int = 0
    seals: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    notes: tuple[str, ...] = ()
    punches: int = 0


@dataclass(frozen=True)
class Start:
    """Where an incremental verify starts: a checkpoint already verified.

    Attributes:
        seq: The last event the checkpoint covers.
        hash: That event's hash, as recorded when it was verified.
        fold: A SQLite file holding the derived tables folded from the events up to ``seq``.
        seals: The seals' state after ``seq`` (:meth:`Seals.state`).
    """

    seq: int
    hash: str
    fold: Path
    seals: dict[str, Any]


#: Called with the connection while the fresh fold (schema ``fresh``) is attached and matches the tables,
#: and the last event that fold read (appends by another process may have come after the chain was read).
Keep = Callable[[sqlite3.Connection, int], None]


def verify(ledger: Ledger, start: Start | None = None, keep: Keep | None = None) -> VerifyReport:
    """Re-check everything about ``ledger`` that its events determine (after ``start`` only, when given).

    ``keep``: called once everything checked is right, with the fresh fold attached as ``fresh``."""
    conn = ledger.connection
    problems: list[str] = []
    bad: list[int] = []

    def flag(seq: int, message: str) -> None:
        bad.append(seq)
        if len(problems) < MAX_PROBLEMS:
            problems.append(f"event {seq}: {message}")

    if conn.in_transaction:  # pragma: no cover - verify is never called inside a write
        raise RuntimeError("verify cannot run inside a write transaction")
    # The chain, the head and the repeated keys are read in one snapshot: another process appending
    # between the chain's last event and the head's meta row looked like a truncated ledger.
    conn.execute("BEGIN")
    try:
        report = _chain(ledger, conn, start, flag)
    finally:
        if conn.in_transaction:  # (SQLite may have ended it on an error of its own)
            conn.execute("COMMIT")  # a read: nothing to keep or undo
    count, punches, prev, after, last_seq, seals = report
    problems.extend(
        _check_projections(
            conn,
            in_memory=ledger.path == ":memory:",
            start=start,
            keep=keep if not problems else None,
        )
    )
    if ledger.remote is not None:  # a PostgreSQL ledger: its events, one by one, against the replica's
        problems.extend(ledger.remote.compare(conn, through=last_seq))
    first_bad = min(bad) if bad else None
    return VerifyReport(
        ok=not problems,
        first_bad_seq=first_bad,
        problems=tuple(problems),
        events=count,
        head=prev,
        started=after,
        last_seq=last_seq,
        seals=seals.state(),
        punches=punches,
    )


def _chain(
    ledger: Ledger, conn: sqlite3.Connection, start: Start | None, flag: Callable[[int, str], None]
) -> tuple[int, int, str, int, int, Seals]:
    """Check the events (after ``start``), the head and the repeated keys (flagging what is wrong);
    (events read, punches among them, the last hash, the seq started after, the last seq, the seals)."""
    after = start.seq if start is not None else 0
    expected = after + 1
    prev = start.hash if start is not None else GENESIS_HASH
    count = punches = 0

    def event_of(seq: int) -> tuple[str, Any, str | None] | None:
        """An earlier event's kind, payload and worker column (whose shift a shift id names: ``Seals``)."""
        row = conn.execute("SELECT kind, payload, worker_id FROM events WHERE seq = ?", (seq,)).fetchone()
        try:
            return (str(row[0]), json.loads(row[1]), row[2]) if row is not None else None
        except (TypeError, ValueError):  # (flagged where it is read)
            return None

    seals = Seals(flag, event_of)
    if start is not None:
        seals.restore(start.seals)
        seals.load_roles(conn, start.seq)
        row = conn.execute(
            "SELECT seq, event_id, recorded_at, actor, kind, payload, key, worker_id, prev_hash, hash FROM events "
            "WHERE seq = ?",
            (start.seq,),
        ).fetchone()
        if row is None or row[9] != start.hash or event_hash(*row[8:9], *row[:8]) != start.hash:
            flag(start.seq, "it is not the event the last verify checkpointed (edited or removed?)")
    cursor = conn.execute(
        "SELECT seq, event_id, recorded_at, actor, kind, payload, key, worker_id, prev_hash, hash, key_id, sig "
        "FROM events WHERE seq > ? ORDER BY seq",
        (after,),
    )
    while True:
        rows = cursor.fetchmany(5000)
        if not rows:
            break
        for seq, event_id, recorded_at, actor, kind, payload, key, worker_id, prev_hash, digest, key_id, sig in rows:
            count += 1
            punches += kind == PUNCH
            if seq != expected:
                if seq > expected:
                    flag(expected, f"missing: the next event found is {seq} (deleted events?)")
                else:
                    flag(seq, "out of sequence")
            if prev_hash != prev:
                flag(seq, f"({kind}) does not link to the event before it (deleted, inserted or reordered events?)")
            if event_hash(prev_hash, seq, event_id, recorded_at, actor, kind, payload, key, worker_id) != digest:
                flag(seq, f"({kind}) its hash does not match its contents (edited?)")
            try:
                decoded = json.loads(payload)
                if plain_punch(kind, decoded):
                    canonical = punch_json(decoded)
                else:
                    validate_payload(kind, decoded)
                    canonical = canonical_json(decoded)
                if canonical != payload:
                    flag(seq, f"({kind}) its payload is not in canonical form (edited?)")
            except ValueError as exc:
                flag(seq, f"({kind}) its payload is not valid: {exc}")
                decoded = {}
            if key is not None:
                _check_key(kind, key, decoded, seq, flag)
            seals.see(seq, actor, kind, decoded, digest, key_id, sig, worker_id)
            prev = digest
            expected = seq + 1
    seals.end()
    last_seq = expected - 1

    head_seq_text = ledger.meta("head_seq")
    head_hash = ledger.meta("head_hash")
    head_seq = int(head_seq_text) if head_seq_text and head_seq_text.isdigit() else -1
    if head_seq != last_seq:
        if head_seq > last_seq:
            flag(
                last_seq + 1,
                f"missing: the ledger's head is event {head_seq} but the last event is {last_seq} (truncated?)",
            )
        else:
            flag(
                head_seq + 1,
                f"the ledger's head is event {head_seq} but events run to {last_seq} (added behind its back?)",
            )
    elif head_hash != prev:
        flag(last_seq, "the ledger's head hash does not match the last event (rewritten?)")

    # Keys and event ids repeat nowhere. A punch's key is its worker, instant and kind hashed (each
    # checked above), so punches repeat no key when no two punches share those: found through the
    # punch index (schema v13 leaves punches out of the unique index of keys).
    for column, only in (("key", "{t}kind != '" + PUNCH + "'"), ("event_id", "1")):
        if start is None:
            for value, first in conn.execute(
                f"SELECT {column}, MIN(seq) FROM events WHERE {column} IS NOT NULL AND {only.format(t='')} "
                f"GROUP BY {column} HAVING COUNT(*) > 1"
            ):
                second = conn.execute(
                    f"SELECT seq FROM events WHERE {column} = ? AND {only.format(t='')} AND seq > ? ORDER BY seq",
                    (value, first),
                )
                flag(int(second.fetchone()[0]), f"repeats the {column} of event {first}")
        else:  # only the events after the checkpoint, each looked up through the column's unique index
            for seq, first in conn.execute(
                f"SELECT e.seq, (SELECT MIN(o.seq) FROM events o WHERE o.{column} = e.{column} "
                f"AND {only.format(t='o.')}) FROM events e WHERE e.seq > ? AND e.{column} IS NOT NULL "
                f"AND {only.format(t='e.')}",
                (after,),
            ):
                if first != seq:
                    flag(int(seq), f"repeats the {column} of event {first}")
    for seq, first in conn.execute(
        _REPEATED_PUNCHES if start is None else _REPEATED_PUNCHES_AFTER, () if start is None else (after,)
    ):
        flag(int(seq), f"repeats the punch (worker, instant and kind) of event {first}")
    return count, punches, prev, after, last_seq, seals


PUNCH = "punch.recorded"
_PUNCH_IDENTITY = "worker_id, json_extract(payload, '$.at'), json_extract(payload, '$.kind')"
#: Every punch (with a key) after the first of its worker, instant and kind, with that first one.
_REPEATED_PUNCHES = f"""
SELECT e.seq, f.first FROM (
    SELECT worker_id AS w, json_extract(payload, '$.at') AS at, json_extract(payload, '$.kind') AS k,
           MIN(seq) AS first
    FROM events WHERE kind = '{PUNCH}' AND key IS NOT NULL
    GROUP BY w, at, k HAVING COUNT(*) > 1
) AS f JOIN events AS e
  ON e.kind = '{PUNCH}' AND e.key IS NOT NULL AND e.worker_id = f.w
 AND json_extract(e.payload, '$.at') = f.at AND json_extract(e.payload, '$.kind') = f.k AND e.seq > f.first
ORDER BY e.seq
"""
#: The same, of the punches after a checkpoint only (each looked up through the punch index).
_REPEATED_PUNCHES_AFTER = f"""
SELECT e.seq, (
    SELECT MIN(o.seq) FROM events AS o
    WHERE o.kind = '{PUNCH}' AND o.key IS NOT NULL AND o.worker_id = e.worker_id
      AND json_extract(o.payload, '$.at') = json_extract(e.payload, '$.at')
      AND json_extract(o.payload, '$.kind') = json_extract(e.payload, '$.kind')
) AS first
FROM events AS e WHERE e.seq > ? AND e.kind = '{PUNCH}' AND e.key IS NOT NULL AND first != e.seq
ORDER BY e.seq
"""


def _check_key(kind: str, key: str, decoded: Any, seq: int, flag: Callable[[int, str], None]) -> None:
    """A punch's key is the hash of its worker, instant and kind; no other event's key looks like one."""
    if kind != PUNCH:
        if key.startswith(PUNCH_KEY_PREFIX):
            flag(seq, f"({kind}) its key is a punch's key (edited?)")
        return
    if not isinstance(decoded, dict):
        return
    wid, at, punch = decoded.get("worker_id"), decoded.get("at"), decoded.get("kind")
    if key != PUNCH_KEY_PREFIX + hashlib.sha256(f"{wid}|{at}|{punch}".encode()).hexdigest():
        flag(seq, f"({kind}) its key is not the key of its worker, instant and kind (edited?)")


def _check_projections(
    conn: sqlite3.Connection, *, in_memory: bool, start: Start | None = None, keep: Keep | None = None
) -> list[str]:
    """Fold the events into a scratch database and compare it, row by row, with the derived tables:
    every event into empty tables, or (``start``) the events after the checkpoint into a copy of its fold.
    The comparison runs in SQLite (:func:`_differs`); only a table that differs is read into Python, to
    say where.

    The scratch database is a temporary file (not memory), so that verifying a
    large ledger keeps memory flat; an in-memory ledger gets an in-memory one.
    """
    out: list[str] = []
    if conn.in_transaction:  # pragma: no cover - verify is never called inside a write
        raise RuntimeError("verify cannot run inside a write transaction")
    with scratch_folder("ot-verify-") if not in_memory else nullcontext(None) as scratch:
        target = ":memory:" if scratch is None else str(Path(scratch) / "fresh.db")
        if start is not None and scratch is not None:
            shutil.copyfile(start.fold, target)  # the copy is folded into, never the checkpoint itself
        conn.execute("ATTACH DATABASE ? AS fresh", (target,))
        try:
            conn.execute("PRAGMA fresh.journal_mode = OFF")
            conn.execute("PRAGMA fresh.synchronous = OFF")
            conn.execute("BEGIN")
            try:
                if start is None or scratch is None:
                    _script(conn, PROJECTIONS.format(s="fresh"))
                    projections.fold_all(conn, "fresh")
                else:
                    _fold_after(conn, start.seq)
                for seq, message in conn.execute("SELECT seq, message FROM fresh.fold_problems ORDER BY seq"):
                    out.append(f"event {seq}: {message}")
                for table in PROJECTION_TABLES:
                    shape = _shape_difference(conn, table)
                    if shape is not None:
                        out.append(f"derived table {table} {shape}")
                    elif _differs(conn, table):
                        difference = _first_difference(conn, table) or "its rows are not the fold's"
                        out.append(
                            f"derived table {table} differs from the events ({difference}): run `ot ledger rebuild`"
                        )
                (folded,) = conn.execute("SELECT coalesce(MAX(seq), 0) FROM main.events").fetchone()
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")  # only the scratch fold was written
            if not out and keep is not None and scratch is not None:
                keep(conn, int(folded))
        finally:
            conn.execute("DETACH DATABASE fresh")
    return out


def _fold_after(conn: sqlite3.Connection, after: int) -> None:
    """Fold the events after ``after`` into the ``fresh`` tables (which hold the fold up to it)."""
    cursor = conn.execute(
        "SELECT seq, kind, payload, actor, recorded_at, worker_id FROM main.events "
        "WHERE kind != 'punch.recorded' AND seq > ? ORDER BY seq",
        (after,),
    )
    while True:
        chunk = cursor.fetchmany(projections.FOLD_CHUNK)
        if not chunk:
            break
        projections.apply(
            conn,
            ((seq, kind, json.loads(payload), actor, at, wid) for seq, kind, payload, actor, at, wid in chunk),
            "fresh",
            strict=False,
        )


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[tuple[str, str]]:
    return [(str(name), str(kind)) for _cid, name, kind, *_x in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def _shape_difference(conn: sqlite3.Connection, table: str) -> str | None:
    """What is wrong with the columns of ``main.table`` (names and types, in order) against the fold's, or None.

    A rebuild refolds rows, never columns: a table reshaped outside ot is said as such."""
    mine, theirs = _columns(conn, "main", table), _columns(conn, "fresh", table)
    if mine == theirs:
        return None
    return (
        f"does not have the columns the events are folded into (has {', '.join(n for n, _t in mine) or 'none'}; "
        f"expected {', '.join(n for n, _t in theirs)}): the file was changed outside ot; restore it from a backup"
    )


def _differs(conn: sqlite3.Connection, table: str) -> bool:
    """Whether ``main.table`` and ``fresh.table`` (same columns: :func:`_shape_difference`) hold different
    rows, found by SQLite alone (no row comes into Python): every row of the ledger's table has an identical
    row in the fold (the fold's row of its primary key), every primary key of the fold is in the ledger's
    table, and both hold as many rows.

    The fold's primary key is unique (its own schema), so these three make the two tables equal as
    multisets of rows: a ledger row with no twin, a fold row missing, a row repeated in a table rebuilt
    without its key (another removed to keep the count) are each a difference. It reads every row of the
    ledger's table (an old row edited after the checkpoint is caught: nothing but reading it can tell),
    with an index seek into the fold per row, about a third of the cost of fetching both tables into
    Python; :func:`_first_difference` then says where, only when it differs.
    """
    info = conn.execute(f"PRAGMA fresh.table_info({table})").fetchall()
    columns = [str(c[1]) for c in info]
    key = [str(c[1]) for c in sorted(info, key=lambda c: int(c[5])) if c[5]]
    if not key:  # pragma: no cover - every derived table has a primary key (ledger.schema)
        return _first_difference(conn, table) is not None
    same_key = " AND ".join(f'o."{k}" = t."{k}"' for k in key)
    same_row = " AND ".join([same_key, *(f'o."{c}" IS t."{c}"' for c in columns if c not in key)])
    (counts_differ, unmatched, missing) = conn.execute(
        f"SELECT (SELECT COUNT(*) FROM main.{table}) != (SELECT COUNT(*) FROM fresh.{table}), "
        f"EXISTS (SELECT 1 FROM main.{table} AS t WHERE NOT EXISTS (SELECT 1 FROM fresh.{table} AS o WHERE {same_row})), "
        f"EXISTS (SELECT 1 FROM fresh.{table} AS t WHERE NOT EXISTS (SELECT 1 FROM main.{table} AS o WHERE {same_key}))"
    ).fetchone()
    return bool(counts_differ or unmatched or missing)


def _first_difference(conn: sqlite3.Connection, table: str) -> str | None:
    """Where ``main.table`` and ``fresh.table`` first differ (both read in primary-key order), or None."""
    order = "ORDER BY 1, 2"
    mine = conn.execute(f"SELECT * FROM main.{table} {order}")
    theirs = conn.cursor().execute(f"SELECT * FROM fresh.{table} {order}")
    while True:
        a, b = mine.fetchmany(2000), theirs.fetchmany(2000)
        for x, y in zip(a, b, strict=False):
            if x != y:
                return f"first at {x[0]!r}: has {_short(x)}, the events give {_short(y)}"
        if len(a) != len(b):
            if len(a) > len(b):
                return f"{_short(a[len(b)])} is not from any event"
            return f"lacks {_short(b[len(a)])}"
        if not a:
            return None


def _short(row: tuple[object, ...]) -> str:
    text = repr(row)
    return text if len(text) <= 100 else text[:97] + "..."
