"""The ledger's SQLite schema, its migrations, and the settings of every connection.

Version 1 holds the events themselves: the ``events`` table (STRICT), the
triggers that make it append-only, indexes by kind and by worker (punches,
by far the most numerous events, are found through the ``punches`` table
instead, which keeps a million-punch import fast), ``meta`` (settings such as the head of the
hash chain) and ``schema_migrations`` (a record of each migration applied).
Version 2 adds the derived tables (projections) and the PIN-failure table;
migrating a version-1 ledger folds its events into them.

A migration runs in its own ``BEGIN IMMEDIATE`` transaction and records itself
in ``schema_migrations``; ``PRAGMA user_version`` mirrors the latest version.
A ledger written by a newer ``ot`` (a version this code does not know) is
refused rather than guessed at.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

BUSY_TIMEOUT_MS = 5000
PAGE_SIZE = 16384
CACHE_KIB = 131072

APPEND_ONLY = "ledger events are append-only: an event is never updated or deleted; record a correcting event instead"

EVENTS_V1 = f"""
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    key TEXT UNIQUE,
    worker_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE INDEX events_kind ON events(kind, seq) WHERE kind != 'punch.recorded';
CREATE INDEX events_worker ON events(worker_id, seq) WHERE worker_id IS NOT NULL AND kind != 'punch.recorded';
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END;
CREATE TABLE meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
"""

MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT;
"""

# The derived tables. ``{s}`` is the schema name ("main", or "fresh" when verify
# folds the events into an attached scratch database to compare).
PROJECTIONS_V2 = """
CREATE TABLE {s}.locations (
    location_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    timezone TEXT NOT NULL,
    seq INTEGER NOT NULL
) STRICT;
CREATE TABLE {s}.workers (
    worker_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    location_id TEXT NOT NULL,
    manager_id TEXT,
    role TEXT NOT NULL,
    active INTEGER NOT NULL,
    seq INTEGER NOT NULL
) STRICT;
CREATE TABLE {s}.worker_rates (
    worker_id TEXT NOT NULL,
    effective TEXT NOT NULL,
    rate TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (worker_id, effective)
) STRICT;
CREATE TABLE {s}.pins (
    worker_id TEXT PRIMARY KEY,
    pin_hash TEXT NOT NULL,
    seq INTEGER NOT NULL
) STRICT;
CREATE INDEX {s}.pins_hash ON pins(pin_hash);
CREATE TABLE {s}.punches (
    seq INTEGER PRIMARY KEY,
    worker_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    location_id TEXT,
    break_type TEXT,
    rate TEXT,
    source TEXT NOT NULL
) STRICT;
CREATE INDEX {s}.punches_worker_at ON punches(worker_id, at, seq);
CREATE TABLE {s}.shift_entries (
    shift_id TEXT PRIMARY KEY,
    worker_id TEXT NOT NULL,
    start TEXT,
    "end" TEXT,
    day TEXT,
    minutes INTEGER,
    breaks TEXT NOT NULL,
    rate TEXT,
    display_rate TEXT,
    location_id TEXT,
    pay_type TEXT NOT NULL,
    meal_waiver INTEGER NOT NULL,
    reason TEXT,
    deleted INTEGER NOT NULL,
    entered_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL
) STRICT;
CREATE INDEX {s}.shift_entries_worker ON shift_entries(worker_id, start);
CREATE TABLE {s}.rules_versions (
    seq INTEGER PRIMARY KEY,
    effective TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    file TEXT NOT NULL,
    text TEXT NOT NULL
) STRICT;
"""

# Tables derived from events: emptied and refolded by rebuild, compared by verify.
PROJECTION_TABLES: tuple[str, ...] = (
    "locations",
    "workers",
    "worker_rates",
    "pins",
    "punches",
    "shift_entries",
    "rules_versions",
)

PIN_FAILURES_V2 = """
CREATE TABLE pin_failures (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL
) STRICT;
CREATE INDEX pin_failures_at ON pin_failures(at);
"""


@dataclass(frozen=True)
class Migration:
    """One step of the schema.

    Attributes:
        version: The schema version it brings the ledger to.
        name: What it does, recorded in ``schema_migrations``.
        apply: Runs its statements on a connection inside the migration's transaction.
    """

    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _v1(conn: sqlite3.Connection) -> None:
    _script(conn, EVENTS_V1)
    conn.executemany("INSERT INTO meta VALUES (?, ?)", (("head_seq", "0"), ("head_hash", "0" * 64)))


def _v2(conn: sqlite3.Connection) -> None:
    _script(conn, PROJECTIONS_V2.format(s="main"))
    _script(conn, PIN_FAILURES_V2)
    conn.execute("INSERT OR IGNORE INTO meta VALUES ('pin_salt', ?)", (secrets.token_bytes(16).hex(),))
    # Fold the events an older ot recorded into the new tables.
    from ledger.projections import fold_all

    fold_all(conn, "main")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "events with append-only triggers, meta", _v1),
    Migration(2, "projections (locations, workers, rates, pins, punches, shift entries, rules), pin failures", _v2),
)

LATEST = MIGRATIONS[-1].version


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run several statements inside the current transaction (executescript would commit)."""
    for statement in _split(sql):
        conn.execute(statement)


def _split(sql: str) -> list[str]:
    """Split a script into statements, keeping each trigger's BEGIN ... END together."""
    out: list[str] = []
    buf = ""
    for part in sql.split(";"):
        buf = f"{buf};{part}" if buf else part
        if sqlite3.complete_statement(buf + ";"):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def configure(conn: sqlite3.Connection) -> None:
    """The settings of every connection: WAL, synchronous=FULL, busy timeout, foreign keys.

    A new file gets 16 KiB pages (fewer, fuller pages for large imports); the
    page cache is 128 MiB at most, so a million-punch import stays well under
    500 MB of memory.
    """
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # no effect on an existing ledger
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA temp_store = MEMORY")


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the ledger (0 for an empty file)."""
    row = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
    if row is None:
        return 0
    found = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
    return int(found or 0)
