"""The ledger's SQLite schema, its migrations, and the settings of every connection.

Version 1 holds the events themselves: the ``events`` table (STRICT), the
triggers that make it append-only, indexes by kind and by worker (punches,
by far the most numerous events, are found through the ``punches`` table
instead, which keeps a million-punch import fast), ``meta`` (settings such as the head of the
hash chain) and ``schema_migrations`` (a record of each migration applied).
Version 2 adds the derived tables (projections) and the PIN-failure table;
migrating a version-1 ledger folds its events into them. Version 3 reads
punches from the events themselves (an index on the worker and the instant
of each ``punch.recorded`` event replaces the ``punches`` copy, which could be
edited where the events say otherwise), adds the pay state (approvals,
timecards, pay runs, payments, paid dates, corrections) as tables folded at
append time, and the outbox of the sync targets; migrating refolds every event.
Version 8 records whether a PIN is an override and adds ``workers_fts``, a
full-text index of the workers kept by triggers (derived, never read for money).

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

# Version 3: punches are read from the events through this index (no copy to edit).
PUNCH_INDEX_V3 = """
CREATE INDEX events_punch ON events(worker_id, json_extract(payload, '$.at'), seq) WHERE kind = 'punch.recorded';
CREATE INDEX events_worker_kind ON events(worker_id, kind, seq) WHERE worker_id IS NOT NULL AND kind != 'punch.recorded';
"""

# Version 3: the pay state and the sync outbox, folded at append time (ledger.paystate, ledger.projections).
PAY_STATE_V3 = """
CREATE TABLE {s}.shift_approvals (
    shift_id TEXT PRIMARY KEY,
    worker_id TEXT NOT NULL,
    version TEXT,
    day TEXT,
    actor TEXT,
    at TEXT,
    voids INTEGER NOT NULL,
    last_void TEXT,
    seq INTEGER NOT NULL
) STRICT;
CREATE INDEX {s}.shift_approvals_worker ON shift_approvals(worker_id, day);
CREATE TABLE {s}.timecards (
    worker_id TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    pay_from TEXT,
    shifts TEXT,
    leave TEXT,
    corrections TEXT,
    actor TEXT,
    at TEXT,
    voids INTEGER NOT NULL,
    last_void TEXT,
    seq INTEGER NOT NULL,
    PRIMARY KEY (worker_id, period_start)
) STRICT;
CREATE INDEX {s}.timecards_period ON timecards(period_start, worker_id);
CREATE TABLE {s}.payruns (
    run_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    period_start TEXT,
    period_end TEXT,
    pay_date TEXT NOT NULL,
    partial INTEGER NOT NULL,
    ledger_seq INTEGER,
    ledger_hash TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    seq INTEGER NOT NULL
) STRICT;
CREATE TABLE {s}.payments (
    seq INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    worker_id TEXT NOT NULL,
    period_start TEXT,
    period_end TEXT,
    paid_from TEXT,
    paid_through TEXT,
    gross TEXT NOT NULL,
    additions TEXT NOT NULL,
    deductions TEXT NOT NULL,
    net TEXT NOT NULL,
    settled TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;
CREATE INDEX {s}.payments_worker ON payments(worker_id, seq);
CREATE INDEX {s}.payments_run ON payments(run_id, worker_id);
CREATE TABLE {s}.paid_ranges (
    worker_id TEXT PRIMARY KEY,
    paid_from TEXT NOT NULL,
    paid_through TEXT NOT NULL,
    seq INTEGER NOT NULL
) STRICT;
CREATE INDEX {s}.paid_ranges_through ON paid_ranges(paid_through);
CREATE TABLE {s}.paid_weeks (
    worker_id TEXT NOT NULL,
    week_start TEXT NOT NULL,
    lines TEXT NOT NULL,
    rules_file TEXT NOT NULL,
    rules_sha256 TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (worker_id, week_start)
) STRICT;
CREATE TABLE {s}.corrections (
    correction_id TEXT PRIMARY KEY,
    worker_id TEXT NOT NULL,
    week_start TEXT NOT NULL,
    kind TEXT NOT NULL,
    timeframe TEXT NOT NULL,
    amount TEXT NOT NULL,
    balance TEXT NOT NULL,
    payload TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    seq INTEGER NOT NULL
) STRICT;
CREATE INDEX {s}.corrections_worker ON corrections(worker_id, seq);
CREATE TABLE {s}.settlements (
    correction_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    worker_id TEXT NOT NULL,
    how TEXT NOT NULL,
    run_id TEXT,
    period_start TEXT,
    amount TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (correction_id, seq)
) STRICT;
CREATE TABLE {s}.sync_shifts (
    target TEXT NOT NULL,
    shift_id TEXT NOT NULL,
    worker_id TEXT NOT NULL,
    day TEXT,
    sent_version TEXT,
    clean INTEGER NOT NULL,
    sent_at TEXT,
    state TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (target, shift_id)
) STRICT;
CREATE INDEX {s}.sync_shifts_worker ON sync_shifts(worker_id, day);
CREATE TABLE {s}.fold_problems (
    seq INTEGER PRIMARY KEY,
    message TEXT NOT NULL
) STRICT;
"""

# Version 4: identities. Each write's last event is sealed (the writer's key id and signature of its hash).
SEALS_V4 = """
ALTER TABLE events ADD COLUMN key_id TEXT;
ALTER TABLE events ADD COLUMN sig TEXT;
"""
IDENTITIES_V4 = """
CREATE TABLE {s}.identities (
    key_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT,
    enrolled_seq INTEGER NOT NULL,
    revoked_seq INTEGER
) STRICT;
CREATE INDEX {s}.identities_user ON identities(user_id);
"""

# Version 5: PINs peppered and salted per worker, with a lookup bucket; wrong PINs by station and bucket.
PINS_V5 = """
ALTER TABLE {s}.pins ADD COLUMN salt TEXT;
ALTER TABLE {s}.pins ADD COLUMN bucket INTEGER;
CREATE INDEX {s}.pins_bucket ON pins(bucket);
"""
PIN_FAILURES_V5 = """
ALTER TABLE pin_failures ADD COLUMN station TEXT;
ALTER TABLE pin_failures ADD COLUMN bucket INTEGER;
CREATE INDEX pin_failures_station ON pin_failures(station, at);
CREATE INDEX pin_failures_bucket ON pin_failures(bucket, at);
"""
LOCATIONS_V6 = """
ALTER TABLE {s}.locations ADD COLUMN city TEXT;
ALTER TABLE {s}.locations ADD COLUMN county TEXT;
ALTER TABLE {s}.shift_entries ADD COLUMN hours TEXT;
ALTER TABLE {s}.shift_entries ADD COLUMN rest TEXT;
"""
# Version 7: the outbox and approvals read by shift, by day and by send time through indexes, so that
# the sync report costs the weeks it shows rather than every shift ever synced.
SYNC_INDEXES_V7 = """
CREATE INDEX {s}.sync_shifts_shift ON sync_shifts(shift_id);
CREATE INDEX {s}.sync_shifts_day ON sync_shifts(day);
CREATE INDEX {s}.sync_shifts_sent ON sync_shifts(sent_at);
CREATE INDEX {s}.shift_approvals_day ON shift_approvals(day);
"""
# Version 8: a worker may carry a display rate (shown on the stub, sent as Everee's
# displayHourlyPayRate, never used for money).
WORKERS_V9 = """
ALTER TABLE {s}.workers ADD COLUMN display_rate TEXT;
"""

# Version 8: workers' weekly schedules (``schedule.set`` events), for PTO and holiday hours filled from them.
SCHEDULES_V8 = """
CREATE TABLE {s}.schedules (
    worker_id TEXT NOT NULL,
    weekday INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    hours TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (worker_id, weekday, effective_from)
) STRICT;
"""

# Version 8: whether each PIN is an override, and the workers' full-text search index.
PINS_V10 = """
ALTER TABLE {s}.pins ADD COLUMN override INTEGER;
"""
# Columns of ``workers`` the search index (``workers_fts``, FTS5 with external content) covers.
WORKER_SEARCH_COLUMNS = ("worker_id", "name", "type", "location_id", "manager_id", "role")
WORKER_SEARCH_TOKENIZER = "unicode61 remove_diacritics 2"

# Version 12: pay plans on the rate changes, and recorded earnings (``earning.recorded``/``earning.voided``).
EARNINGS_V12 = """
ALTER TABLE {s}.worker_rates ADD COLUMN plan TEXT;
ALTER TABLE {s}.worker_rates ADD COLUMN plan_hours TEXT;
CREATE TABLE {s}.earnings (
    earning_id TEXT PRIMARY KEY,
    worker_id TEXT NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount TEXT NOT NULL,
    period_start TEXT,
    period_end TEXT,
    quantity TEXT,
    unit_rate TEXT,
    note TEXT,
    seq INTEGER NOT NULL,
    voided_seq INTEGER
) STRICT;
CREATE INDEX {s}.earnings_worker_day ON earnings(worker_id, day);
"""

# The DDL of every derived table at the latest version, for verify's scratch fold.
PROJECTIONS = (
    PROJECTIONS_V2.replace(
        """CREATE TABLE {s}.punches (
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
""",
        "",
    )
    + PAY_STATE_V3
    + IDENTITIES_V4
    + PINS_V5
    + LOCATIONS_V6
    + SYNC_INDEXES_V7
    + SCHEDULES_V8
    + WORKERS_V9
    + PINS_V10
    + EARNINGS_V12
)

# Tables derived from events: emptied and refolded by rebuild, compared by verify.
PROJECTION_TABLES: tuple[str, ...] = (
    "locations",
    "workers",
    "worker_rates",
    "pins",
    "shift_entries",
    "rules_versions",
    "shift_approvals",
    "timecards",
    "payruns",
    "payments",
    "paid_ranges",
    "paid_weeks",
    "corrections",
    "settlements",
    "sync_shifts",
    "identities",
    "schedules",
    "earnings",
    "fold_problems",
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
    # The events are folded once every migration has run (``ledger.store.Ledger._migrate``).


def _v3(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE IF EXISTS punches")
    _script(conn, PUNCH_INDEX_V3)
    _script(conn, PAY_STATE_V3.format(s="main"))


def _v4(conn: sqlite3.Connection) -> None:
    _script(conn, SEALS_V4)
    _script(conn, IDENTITIES_V4.format(s="main"))


def _v5(conn: sqlite3.Connection) -> None:
    _script(conn, PINS_V5.format(s="main"))
    _script(conn, PIN_FAILURES_V5)
    conn.execute("INSERT OR IGNORE INTO meta VALUES ('ledger_id', ?)", (secrets.token_hex(16),))


def _v6(conn: sqlite3.Connection) -> None:
    _script(conn, LOCATIONS_V6.format(s="main"))


def _v7(conn: sqlite3.Connection) -> None:
    _script(conn, SYNC_INDEXES_V7.format(s="main"))


def _v8(conn: sqlite3.Connection) -> None:
    _script(conn, SCHEDULES_V8.format(s="main"))


def _v9(conn: sqlite3.Connection) -> None:
    _script(conn, WORKERS_V9.format(s="main"))


def _v10(conn: sqlite3.Connection) -> None:
    _script(conn, PINS_V10.format(s="main"))
    enable_worker_search(conn)


def _v12(conn: sqlite3.Connection) -> None:
    _script(conn, EARNINGS_V12.format(s="main"))


# Version 13: the unique index of the idempotency keys leaves the punches out. A punch's key is the
# hash of its worker, instant and kind (ledger.events.punch_key): random text, so a unique index of
# every punch's key took an insert at a random place of a large B-tree per punch, slower the larger
# the ledger. A punch is found by its worker and instant through events_punch (v3), clustered by
# worker; ledger.verify checks that each punch's key is its punch's, and that no punch repeats.
KEY_INDEX_V13 = "CREATE UNIQUE INDEX events_key ON events(key) WHERE key IS NOT NULL AND kind != 'punch.recorded'"


def _v13(conn: sqlite3.Connection) -> None:
    """Rebuild ``events`` without the column constraint ``key TEXT UNIQUE`` (SQLite cannot drop the
    index it made for it): the same columns and rows, its own indexes and append-only triggers
    made again, then :data:`KEY_INDEX_V13`. No event changes (the hash chain is the same)."""
    table = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'").fetchone()[0]
    if "key TEXT UNIQUE," not in table:
        if "key TEXT," not in table:
            raise ValueError("the events table is not the one this migration knows")
        conn.execute(KEY_INDEX_V13.replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1))
        return  # rebuilt already (a ledger whose migration record was lost): only the index to be sure of
    others = [
        str(r[0])
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY type, name"
        )
    ]
    conn.execute(
        table.replace("key TEXT UNIQUE,", "key TEXT,", 1).replace("CREATE TABLE events", "CREATE TABLE events_v13", 1)
    )
    conn.execute("INSERT INTO events_v13 SELECT * FROM events ORDER BY seq")
    conn.execute("DROP TABLE events")
    conn.execute("ALTER TABLE events_v13 RENAME TO events")
    for sql in others:
        conn.execute(sql)
    conn.execute(KEY_INDEX_V13)


def enable_worker_search(conn: sqlite3.Connection) -> None:
    """Create ``workers_fts``, the full-text index of the workers (sqlite-utils, FTS5, external content),
    filled from ``workers`` and kept current by triggers on it (``workers_ai/_ad/_au``).

    Derived and rebuildable (:func:`ot.services.search.rebuild_index`), never read for money: only
    the worker search reads it. Runs inside the caller's transaction (sqlite-utils does not commit
    a transaction it finds open).
    """
    import sqlite_utils

    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    db.table("workers").enable_fts(list(WORKER_SEARCH_COLUMNS), create_triggers=True, tokenize=WORKER_SEARCH_TOKENIZER)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "events with append-only triggers, meta", _v1),
    Migration(2, "projections (locations, workers, rates, pins, punches, shift entries, rules), pin failures", _v2),
    Migration(
        3,
        "punches read from the events; pay state (approvals, timecards, pay runs, paid dates, corrections) and outbox",
        _v3,
    ),
    Migration(4, "seals (key id and signature of each write's last event), identities", _v4),
    Migration(5, "PINs peppered, salted per worker, with a lookup bucket; wrong PINs by station and bucket", _v5),
    Migration(6, "locations carry their city and county; shift entries their exact hours and rest attestation", _v6),
    Migration(7, "indexes of the outbox by shift, day and send time, and of approvals by day", _v7),
    Migration(8, "workers' weekly schedules (schedule.set)", _v8),
    Migration(9, "workers carry an optional display rate", _v9),
    Migration(10, "PINs say whether they are an override; full-text search index of the workers", _v10),
    # 11 was kept for another change, which became 13 (a ledger at 12 would have skipped an 11).
    Migration(12, "pay plans on rate changes; recorded earnings (bonus, commission, piece, call-back...)", _v12),
    Migration(13, "the unique index of idempotency keys leaves punches out (found by worker and instant)", _v13),
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
