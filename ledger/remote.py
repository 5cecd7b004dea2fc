"""PostgreSQL as the shared record of a ledger, with a local SQLite replica on each machine.

    with Ledger.open("postgresql://ot@db.example/ot") as ledger:   # the replica is opened and caught up
        ...

The record is the ``events`` table of a PostgreSQL database (the same columns as
SQLite's) and a small ``meta`` table of the facts fixed when the ledger was made
(its id and PIN salt). Triggers refuse UPDATE, DELETE and TRUNCATE of events, and
an INSERT whose ``seq`` is not the next one or whose ``prev_hash`` is not the hash
of the event before it. Appends are serialised by a transaction-level advisory
lock taken at the start of each write.

Every machine keeps a *replica*: a normal ot ledger file (``replica_path``)
whose derived tables are folded by the same code as a local ledger
(:mod:`ledger.projections`), so every service runs unchanged on it. The replica
is a cache: it can be deleted at any time and is rebuilt from PostgreSQL.

- A write (:meth:`RemoteLog.begin`): PostgreSQL ``BEGIN`` and the advisory lock,
  then the replica's ``BEGIN IMMEDIATE``, then :meth:`RemoteLog.pull` catches the
  replica up (each event checked to chain and to hash to what it says). The
  writer appends to the replica as on a local ledger; at commit
  (:meth:`RemoteLog.push`) the new events are copied to PostgreSQL inside the
  locked transaction, PostgreSQL commits, then the replica commits. If
  PostgreSQL fails, the replica rolls back; if the process dies between the two
  commits, the next catch-up pulls the events from PostgreSQL.
- A read: the replica is caught up when the ledger is opened, in a short
  replica transaction with no lock in PostgreSQL.
- A lock held across writes (:meth:`RemoteLog.session_lock`): a session-level
  advisory lock with a key of its own, tried without waiting, on a connection
  of its own; ``ot sync`` holds :data:`SYNC_LOCK_KEY` for its whole run, so that
  two machines never sync one ledger at once.
- A replica that is ahead of PostgreSQL, or whose events differ from it, is
  refused, naming the file to delete.
- Wrong PINs (``pin_failures``, a rate limit, not events) stay in each replica:
  a machine's PIN pad is slowed by the wrong PINs typed on that machine.

psycopg (3) is imported only here, and only when a URL is given.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ledger.events import GENESIS_HASH, event_hash
from ledger.seals import Seals
from ot.core.errors import BUSY_MESSAGE, LedgerBusy, OtError, Problem

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql://", "postgres://")
#: The advisory lock every write of a PostgreSQL ledger takes (one per database).
LOCK_KEY = 0x6F74_6C65_6467_6572 & 0x7FFF_FFFF_FFFF_FFFF  # "otledger"
#: The advisory lock one ``ot sync`` holds for its whole run (:meth:`RemoteLog.session_lock`), so that
#: two machines never sync one ledger at once: a key of its own, never :data:`LOCK_KEY` (a sync writes).
SYNC_LOCK_KEY = 0x6F74_7379_6E63  # "otsync"
#: How long a write waits for another machine's write before it is busy (as SQLite's busy timeout).
LOCK_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 5
COLUMNS = "seq, event_id, recorded_at, actor, kind, payload, key, worker_id, prev_hash, hash, key_id, sig"
_INSERT = f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#: The replica's meta row naming the database it copies (without a password: opening the replica file
#: reaches it, with the password from $PGPASSWORD or ~/.pgpass).
REMOTE_META = "remote_url"
#: The facts of a ledger that are fixed at its creation and not derived from its events.
SHARED_META = ("ledger_id", "pin_salt")
SCHEMA_VERSION = "1"

APPEND_ONLY = "ledger events are append-only: an event is never updated or deleted; record a correcting event instead"

SCHEMA = f"""
CREATE TABLE events (
    seq BIGINT PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    key TEXT UNIQUE,
    worker_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    key_id TEXT,
    sig TEXT
);
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE FUNCTION ot_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'restrict_violation';
END $$;
CREATE FUNCTION ot_chained() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_seq BIGINT;
    last_hash TEXT;
BEGIN
    SELECT seq, hash INTO last_seq, last_hash FROM events ORDER BY seq DESC LIMIT 1;
    IF last_seq IS NULL THEN
        last_seq := 0;
        last_hash := '{GENESIS_HASH}';
    END IF;
    IF NEW.seq <> last_seq + 1 THEN
        RAISE EXCEPTION 'event % is not the next event (the last is %): events are appended in order',
            NEW.seq, last_seq USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.prev_hash <> last_hash THEN
        RAISE EXCEPTION 'event % does not link to event % (its prev_hash is not that event''s hash)',
            NEW.seq, last_seq USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER events_chained BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION ot_chained();
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION ot_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION ot_append_only();
CREATE TRIGGER meta_no_update BEFORE UPDATE OR DELETE ON meta FOR EACH ROW EXECUTE FUNCTION ot_append_only();
CREATE TRIGGER meta_no_truncate BEFORE TRUNCATE ON meta FOR EACH STATEMENT EXECUTE FUNCTION ot_append_only();
"""


def is_url(text: str | os.PathLike[str]) -> bool:
    """Whether a ``--ledger`` value names a PostgreSQL database rather than a file."""
    return isinstance(text, str) and text.lower().startswith(SCHEMES)


def masked(url: str) -> str:
    """The URL with its password (if any) replaced by ``***``: what messages and files show."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("@", 1)[-1] if "@" in url else url
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def _without_password(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}@{host}"))


def replica_path(url: str) -> Path:
    """Where this machine keeps its replica of the ledger at ``url``: ``$OT_REPLICA``, else a file
    named from the URL (without its password) in the user cache folder."""
    given = os.environ.get("OT_REPLICA")
    if given:
        return Path(given).expanduser()
    import platformdirs

    name = hashlib.sha256(_without_password(url).encode()).hexdigest()[:24]
    return Path(platformdirs.user_cache_dir("ot", appauthor=False)) / "replicas" / f"{name}.db"


#: Replica file -> the URL it was opened with in this process (a password given in a URL is never written).
_BOUND: dict[str, str] = {}


def bind(url: str, replica: Path | None = None) -> Path:
    """The replica of ``url`` (``replica``, else :func:`replica_path`), remembered so that opening that
    file in this process reaches ``url`` (with its password): what ``--ledger URL`` turns into for the
    services, which take a file."""
    path = replica or replica_path(url)
    _BOUND[str(path)] = url
    return path


def is_bound(file: str) -> bool:
    """Whether ``file`` is the replica of a URL given in this process (:func:`bind`)."""
    return file in _BOUND


def url_for(file: str) -> str | None:
    """The URL that ``file`` was bound to in this process (:func:`bind`), if any. Tests running on
    PostgreSQL replace this to map each ledger file to a database of its own."""
    return _BOUND.get(file)


def _problem(url: str, what: str) -> list[Problem]:
    return [Problem(masked(url), what)]


def _connect_error(url: str, exc: Exception) -> OtError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = text.lower()
    if "password" in low or "authentication" in low:
        what = "check the user and password (in the URL, $PGPASSWORD or ~/.pgpass)"
    elif "does not exist" in low and "database" in low:
        what = "create the database first (`createdb NAME`), or fix its name in the URL"
    elif "invalid" in low or "missing" in low or "syntax" in low:
        what = "give a URL like postgresql://USER@HOST:5432/DATABASE"
    else:
        what = "check that the server is running and reachable at that host and port"
    return OtError(f"cannot open the PostgreSQL ledger {masked(url)}: {text}", _problem(url, what))


#: Idle connections kept for the next open of the same URL in this process (a connection costs a
#: server process; every service opens the ledger anew): at most ``POOL_SIZE`` in all, the newest.
_POOL: list[tuple[str, psycopg.Connection[Any]]] = []
_POOL_LOCK = threading.Lock()
POOL_SIZE = 4


def connect(url: str) -> psycopg.Connection[Any]:
    """A connection to ``url`` (autocommit; transactions are opened explicitly), or a clear :class:`OtError`."""
    import psycopg

    while True:
        with _POOL_LOCK:
            at = next((i for i in range(len(_POOL) - 1, -1, -1) if _POOL[i][0] == url), None)
            conn = _POOL.pop(at)[1] if at is not None else None
        if conn is None:
            break
        try:
            conn.execute("SELECT 1")
            return conn
        except psycopg.Error:  # the server closed it meanwhile
            conn.close()
    try:
        psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise _connect_error(url, exc) from None
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as exc:
        raise _connect_error(url, exc) from None


def drop_idle(url: str | None = None) -> None:
    """Close the idle connections kept for ``url`` (every URL: None), e.g. before copying its database."""
    with _POOL_LOCK:
        dropped = [c for u, c in _POOL if url is None or u == url]
        _POOL[:] = [(u, c) for u, c in _POOL if not (url is None or u == url)]
    for conn in dropped:
        conn.close()


def release(url: str, conn: psycopg.Connection[Any]) -> None:
    """Keep an idle connection for the next open of ``url`` (closing the oldest kept past the limit)."""
    import psycopg

    if conn.closed or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        conn.close()
        return
    with _POOL_LOCK:
        _POOL.append((url, conn))
        evicted = [c for _u, c in _POOL[:-POOL_SIZE]] if len(_POOL) > POOL_SIZE else []
        del _POOL[: len(evicted)]
    for old in evicted:
        old.close()


class SessionLock:
    """A session-level advisory lock tried by :meth:`RemoteLog.session_lock`.

    Attributes:
        shown: The database, as messages show it.
        key: The lock's key.
        acquired: Whether this session got it (False: another session holds it).
    """

    def __init__(self, shown: str, key: int, acquired: bool, conn: psycopg.Connection[Any]) -> None:
        self.shown = shown
        self.key = key
        self.acquired = acquired
        self._conn = conn

    def still_held(self) -> bool:
        """Whether this session still holds the lock: it was acquired and its connection still
        answers (a session lock ends only with its unlock or its session; a lost connection has
        lost both)."""
        if not self.acquired or self._conn.closed:
            return False
        import psycopg

        try:
            self._conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True


class RemoteLog:
    """The events of a ledger kept in PostgreSQL, and their copy into a local replica.

    Attributes:
        url: The database (with its password, if one was given).
        replica: The replica file.
    """

    def __init__(self, url: str, replica: str, conn: psycopg.Connection[Any]) -> None:
        self.url = url
        self.replica = replica
        self._pg = conn
        self._base: int | None = None  # the replica's head when the write began

    @property
    def shown(self) -> str:
        """The URL as messages show it."""
        return masked(self.url)

    @property
    def connection(self) -> psycopg.Connection[Any]:
        """The PostgreSQL connection (for verify and tests; never write events through it)."""
        return self._pg

    def close(self) -> None:
        """Give the PostgreSQL connection back (a write in progress is rolled back: it is closed)."""
        release(self.url, self._pg)

    # --- opening ---

    @classmethod
    def attach(cls, url: str, replica: str, local: sqlite3.Connection, *, create: bool) -> RemoteLog:
        """Connect to ``url``, make its tables when the database is empty (with ``create``), tie the
        replica ``local`` to it (refusing a replica of another ledger), and catch the replica up."""
        remote = cls(url, replica, connect(url))
        try:
            remote._prepare(local, create=create)
            remote.catch_up(local)
        except BaseException:
            remote.close()
            raise
        return remote

    def _errors(self) -> Any:
        return _pg_errors(self)

    def _prepare(self, local: sqlite3.Connection, *, create: bool) -> None:
        mine = dict(local.execute("SELECT name, value FROM meta").fetchall())
        local_events = int(local.execute("SELECT COUNT(*) FROM events").fetchone()[0])
        takes_over = mine.get(REMOTE_META) is None and local_events > 0
        with self._errors():
            tables = {"events", "meta"} if self._is_ledger() else self._tables()
            if not tables.issuperset({"events", "meta"}):
                if tables:
                    raise self._not_a_ledger(f"it holds other tables ({', '.join(sorted(tables))})")
                if not create and not takes_over:
                    raise OtError(
                        f"no ledger at {self.shown}",
                        _problem(self.url, "give --ledger URL of an existing ledger, or run `ot demo` on it"),
                    )
                self._pg.execute(f"BEGIN; SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
                try:
                    self._pg.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                    if not self._tables():  # another ot did not make them meanwhile
                        self._pg.execute(SCHEMA)
                        self._pg.execute("INSERT INTO meta VALUES ('schema_version', %s)", (SCHEMA_VERSION,))
                    self._pg.execute("COMMIT")
                except BaseException:
                    self._pg.execute("ROLLBACK")
                    raise
            shared = dict(self._pg.execute("SELECT name, value FROM meta").fetchall())
            version = shared.get("schema_version")
            if version != SCHEMA_VERSION:
                raise self._not_a_ledger(f"its schema version is {version!r}, this ot knows {SCHEMA_VERSION}")
            if not all(name in shared for name in SHARED_META):
                # A new database: its facts are the replica's (made with it, or the SQLite ledger it takes over).
                self._pg.execute(f"BEGIN; SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
                try:
                    self._pg.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                    shared = dict(self._pg.execute("SELECT name, value FROM meta").fetchall())
                    if not all(name in shared for name in SHARED_META):
                        for name in SHARED_META:
                            self._pg.execute("INSERT INTO meta VALUES (%s, %s)", (name, mine[name]))
                        shared.update({name: mine[name] for name in SHARED_META})
                    self._pg.execute("COMMIT")
                except BaseException:
                    self._pg.execute("ROLLBACK")
                    raise
            if takes_over and all(mine.get(n) == shared[n] for n in SHARED_META):
                self._take_over(local)
            elif mine.get(REMOTE_META) is None or any(mine.get(n) != shared[n] for n in SHARED_META):
                if local_events:
                    raise self._stale(f"it is a copy of another ledger ({mine.get(REMOTE_META) or 'a local file'})")
                local.execute("BEGIN IMMEDIATE")
                try:
                    for name in SHARED_META:
                        local.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, shared[name]))
                    local.execute(
                        "INSERT OR REPLACE INTO meta VALUES (?, ?)", (REMOTE_META, _without_password(self.url))
                    )
                    local.execute("COMMIT")
                except BaseException:
                    local.execute("ROLLBACK")
                    raise

    def _is_ledger(self) -> bool:
        row = self._pg.execute("SELECT to_regclass('events') IS NOT NULL AND to_regclass('meta') IS NOT NULL")
        found = row.fetchone()
        return bool(found and found[0])

    def _tables(self) -> set[str]:
        return {
            r[0]
            for r in self._pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()
        }

    def _take_over(self, local: sqlite3.Connection) -> None:
        """Copy the events of a SQLite ledger opened as the replica of an empty database into it
        (moving a ledger to PostgreSQL: ``OT_REPLICA=ledger.db ot --ledger URL ledger verify``)."""
        if self._pg.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None:
            raise self._stale("it is a SQLite ledger and the database already holds events")
        self.begin()
        try:
            local.execute("BEGIN IMMEDIATE")
            try:
                self._base = 0
                self.push(local)
                local.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (REMOTE_META, _without_password(self.url)))
                self.commit()
                local.execute("COMMIT")
            except BaseException:
                local.execute("ROLLBACK")
                raise
        except BaseException:
            self.rollback()
            raise

    def _not_a_ledger(self, why: str) -> OtError:
        return OtError(
            f"{self.shown} is not an ot ledger: {why}",
            _problem(self.url, "give --ledger URL of an empty database (ot makes its tables) or of an ot ledger"),
        )

    def _stale(self, why: str) -> OtError:
        return OtError(
            f"the replica {self.replica} does not match the ledger at {self.shown}: {why}",
            [
                Problem(
                    self.replica,
                    "the replica is only a cache of the database: delete it (or point $OT_REPLICA elsewhere) "
                    "and run the command again",
                )
            ],
        )

    # --- the write transaction ---

    def begin(self) -> None:
        """Open the PostgreSQL transaction of a write and take the ledger's advisory lock
        (:class:`LedgerBusy` when another write holds it past the lock timeout)."""
        with self._errors():
            self._pg.execute(f"BEGIN; SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
            try:
                self._pg.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            except BaseException:
                self._pg.execute("ROLLBACK")
                raise

    def commit(self) -> None:
        with self._errors():
            self._pg.execute("COMMIT")
        self._base = None

    def rollback(self) -> None:
        """Roll the PostgreSQL transaction back (nothing if none is open or the connection is gone)."""
        self._base = None
        if self._pg.closed:
            return
        import psycopg

        try:
            if self._pg.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                self._pg.execute("ROLLBACK")
        except psycopg.Error:  # pragma: no cover - a broken connection has nothing to roll back
            pass

    def pull(self, local: sqlite3.Connection) -> int:
        """Append to the replica (inside its open transaction) every event PostgreSQL holds after the
        replica's head, each checked to chain and hash; fold them as an append does. Returns how many."""
        from ledger import projections

        seq, head = _head(local)
        with self._errors():
            last = self._pg.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
            last_seq = int(last[0]) if last else 0
            if last_seq < seq:
                raise self._stale(f"it holds {seq} events, the database only {last_seq}")
            if seq:
                row = self._pg.execute("SELECT hash FROM events WHERE seq = %s", (seq,)).fetchone()
                if row is None or row[0] != head:
                    raise self._stale(f"its event {seq} differs from the database's")
            self._base = seq
            if last_seq == seq:
                return 0
            added = 0
            chunk: dict[int, tuple[str, Any, str | None]] = {}  # the events read, not in the replica yet
            seals = _seals_of(local, self._broken, chunk)
            with self._snapshot(), self._pg.cursor(name="ot_pull") as cur:
                cur.execute(f"SELECT {COLUMNS} FROM events WHERE seq > %s ORDER BY seq", (seq,))
                while True:
                    rows = cur.fetchmany(5000)
                    if not rows:
                        break
                    folds: list[projections.Row] = []
                    chunk.clear()
                    for row in rows:
                        n, event_id, at, actor, kind, payload, key, wid, prev, digest, key_id, sig = row[:12]
                        if n != seq + 1 or prev != head:
                            raise self._broken(n, "does not follow the event before it")
                        if event_hash(prev, n, event_id, at, actor, kind, payload, key, wid) != digest:
                            raise self._broken(n, "its hash does not match its contents")
                        decoded = json.loads(payload)
                        # Sealed by its actor's enrolled key, the roster and keys changed by an admin, a
                        # worker's shifts and punches by someone who may write them on that worker
                        # (ledger.seals): a login that may INSERT cannot make itself an admin, nor a manager
                        # of someone else's reports.
                        seals.see(n, actor, kind, decoded, digest, key_id, sig, wid)
                        chunk[n] = (kind, decoded, wid)
                        folds.append((n, kind, decoded, actor, at, wid))
                        seq, head = n, digest
                    local.executemany(_INSERT, rows)
                    projections.apply(local, folds, strict=False)
                    added += len(rows)
            seals.end()
            local.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", (("head_seq", str(seq)), ("head_hash", head))
            )
            self._base = seq
            return added

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """A transaction for a server-side cursor: the write's own, else a short read-only one."""
        import psycopg

        if self._pg.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            yield
            return
        with self._pg.transaction():
            yield

    def _broken(self, seq: int, what: str) -> OtError:
        return OtError(
            f"the ledger at {self.shown} is damaged: event {seq} {what}",
            _problem(self.url, "restore the database from a backup and run `ot ledger verify`"),
        )

    def push(self, local: sqlite3.Connection) -> int:
        """Copy the replica's events after the head the write began at into PostgreSQL (inside the
        locked transaction, whose triggers check each links to the one before). Returns how many."""
        if self._base is None:  # pragma: no cover - push is called only inside a write
            raise RuntimeError("push outside a write")
        cursor = local.execute(f"SELECT {COLUMNS} FROM events WHERE seq > ? ORDER BY seq", (self._base,))
        pushed = 0
        with self._errors(), self._pg.cursor() as cur, cur.copy(f"COPY events ({COLUMNS}) FROM STDIN") as copy:
            while True:
                rows = cursor.fetchmany(5000)
                if not rows:
                    break
                for row in rows:
                    copy.write_row(row)
                pushed += len(rows)
        return pushed

    def catch_up(self, local: sqlite3.Connection) -> int:
        """Catch the replica up in a short transaction of its own (a read: no lock in PostgreSQL).
        A replica whose head is the database's is left alone (no write, no fsync)."""
        with self._errors():
            last = self._pg.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        theirs = (int(last[0]), str(last[1])) if last else (0, GENESIS_HASH)
        if theirs == _head(local):
            return 0
        try:
            local.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise LedgerBusy(BUSY_MESSAGE) from None
            raise
        try:
            added = self.pull(local)
            local.execute("COMMIT")
        except BaseException:
            local.execute("ROLLBACK")
            raise
        finally:
            self._base = None
        return added

    # --- a lock held across writes ---

    @contextmanager
    def session_lock(self, key: int) -> Iterator[SessionLock]:
        """Try the session-level advisory lock ``key`` (``pg_try_advisory_lock``: never waits) and hold
        it for the body: the :class:`SessionLock` says whether this session got it (``acquired``), or
        another session, on any machine, holds it. It is taken on a connection of its own, which no
        write uses meanwhile, and released at the end of the body, even one that raises; if the
        process dies, the server ends the session and the lock with it. The key must differ from
        :data:`LOCK_KEY`."""
        import psycopg

        if key == LOCK_KEY:  # pragma: no cover - a programming error
            raise ValueError("the write lock is taken by each write, not held across writes")
        conn = connect(self.url)
        try:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
        except psycopg.Error as exc:
            conn.close()
            raise _connect_error(self.url, exc) from None
        lock = SessionLock(self.shown, key, bool(row and row[0]), conn)
        try:
            yield lock
        finally:
            unlocked = not lock.acquired
            if lock.acquired:
                try:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
                    unlocked = True
                except psycopg.Error:  # a lost connection: its session, and the lock, are gone with it
                    pass
            if unlocked:
                release(self.url, conn)
            else:
                conn.close()

    # --- verify ---

    def compare(self, local: sqlite3.Connection, through: int | None = None) -> list[str]:
        """Problems found comparing the database's events with the replica's, event by event
        (the replica's own chain is checked by :func:`ledger.verify.verify`); ``through``: those up to
        that sequence number only (what verify read: another ot may append to either meanwhile)."""
        out: list[str] = []
        last = 2**62 if through is None else through
        mine = local.execute("SELECT seq, hash, key_id, sig FROM events WHERE seq <= ? ORDER BY seq", (last,))
        with self._errors(), self._pg.transaction(), self._pg.cursor(name="ot_compare") as cur:
            cur.execute("SELECT seq, hash, key_id, sig FROM events WHERE seq <= %s ORDER BY seq", (last,))
            while True:
                a, b = mine.fetchmany(5000), cur.fetchmany(5000)
                for x, y in zip(a, b, strict=False):
                    if tuple(x) != tuple(y):
                        out.append(f"event {y[0]}: the database's copy differs from the replica's ({masked(self.url)})")
                        return out
                if len(a) != len(b):
                    extra = "the replica" if len(a) > len(b) else "the database"
                    first = (a if len(a) > len(b) else b)[min(len(a), len(b))][0]
                    out.append(f"event {first}: only {extra} holds it ({masked(self.url)}); run the command again")
                    return out
                if not a:
                    return out


def _head(local: sqlite3.Connection) -> tuple[int, str]:
    rows = dict(local.execute("SELECT name, value FROM meta WHERE name IN ('head_seq', 'head_hash')").fetchall())
    return int(rows.get("head_seq") or 0), rows.get("head_hash") or GENESIS_HASH


@contextmanager
def _pg_errors(remote: RemoteLog) -> Iterator[None]:
    """PostgreSQL's errors as the user errors they are: a lock not obtained is :class:`LedgerBusy`;
    a lost connection names the database."""
    import psycopg

    try:
        yield
    except psycopg.errors.LockNotAvailable:
        remote.rollback()
        raise LedgerBusy(BUSY_MESSAGE) from None
    except psycopg.OperationalError as exc:
        remote.rollback()
        raise _connect_error(remote.url, exc) from None
    except psycopg.errors.RaiseException as exc:  # a trigger's refusal
        remote.rollback()
        raise OtError(
            f"the ledger at {remote.shown} refused the write: {exc.diag.message_primary}",
            _problem(remote.url, "run the command again (another ot may have written first)"),
        ) from None
    except (psycopg.errors.CheckViolation, psycopg.errors.UniqueViolation, psycopg.errors.RestrictViolation) as exc:
        remote.rollback()
        raise OtError(
            f"the ledger at {remote.shown} refused the write: {exc.diag.message_primary}",
            _problem(remote.url, "run the command again (another ot may have written first)"),
        ) from None


def _seals_of(
    local: sqlite3.Connection,
    broken: Callable[[int, str], OtError],
    chunk: Mapping[int, tuple[str, Any, str | None]],
) -> Seals:
    """The seals' state of the replica at its head (its keys, roles and managers, from its tables: the fold
    of events verified as they were pulled or written; not the roster's events folded again at every pull),
    raising ``broken`` at the first event a pull brings that it flags. ``chunk``: the events a pull has
    read and not yet put in the replica (an earlier event is looked up there, then in the replica)."""

    def flag(n: int, what: str) -> None:
        raise broken(n, f"is refused: {what}")

    def event_of(n: int) -> tuple[str, Any, str | None] | None:
        if n in chunk:
            return chunk[n]
        row = local.execute("SELECT kind, payload, worker_id FROM events WHERE seq = ?", (n,)).fetchone()
        try:
            return (str(row[0]), json.loads(row[1]), row[2]) if row is not None else None
        except (TypeError, ValueError):
            return None

    seals = Seals(flag, event_of)
    first = local.execute("SELECT actor FROM events WHERE seq = 1").fetchone()
    seals.founder = str(first[0]) if first else ""
    for w, role, manager in local.execute("SELECT worker_id, role, manager_id FROM workers"):
        seals.roles[str(w)] = str(role)
        seals.managers[str(w)] = None if manager is None else str(manager)
    for key_id, user_id, public, kind, role, revoked in local.execute(
        "SELECT key_id, user_id, public_key, kind, role, revoked_seq IS NOT NULL FROM identities"
    ):
        seals.keys[str(key_id)] = (str(user_id), str(public), bool(revoked))
        if role == "admin":
            seals.admin_keys[str(key_id)] = str(user_id)
        if kind == "kiosk":
            seals.kiosk_keys[str(key_id)] = str(user_id)
    return seals
