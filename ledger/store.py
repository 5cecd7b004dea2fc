"""The ledger: an append-only, hash-chained SQLite file of events and its derived tables.

    with Ledger.open(path) as ledger:
        ledger.append([NewEvent("location.added", {...}, key="location:L1")], actor="ana", now=now)
        with ledger.write(actor="ana", now=now) as tx:   # read, then append, atomically
            if "W1" not in tx.roster():
                tx.append([...])

Every write is one ``BEGIN IMMEDIATE`` transaction: the events, the derived
tables and the head of the hash chain change together or not at all. A writer
that cannot get the lock within the busy timeout gets
:class:`ot.core.errors.LedgerBusy`. Connections use WAL, ``synchronous=FULL``, a
busy timeout and foreign keys (``ledger.schema.configure``). Money is decimal
text, never REAL; this module uses :mod:`sqlite3` directly.

The head of the chain (``head_seq``, ``head_hash`` in ``meta``) moves with each
append, so that a truncated tail is detected by ``verify``.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from json.encoder import encode_basestring
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ledger import projections
from ledger.events import (
    GENESIS_HASH,
    PUNCH_KEY_PREFIX,
    Event,
    NewEvent,
    PunchFields,
    PunchRecord,
    RulesVersion,
    ShiftEntry,
    _check_jsonable,
    _dump_str,
    _dumps,
    punch_fields_event,
    punch_fields_text,
    punch_text,
    validate_payload,
)
from ledger.identity import Signer
from ledger.pins import StoredPin
from ledger.schema import LATEST, MIGRATIONS, MIGRATIONS_TABLE, configure, current_version
from ot.core.domain import Earning, Location, RateChange, Worker
from ot.core.errors import LedgerBusy, OtError, Problem
from ot.core.money import D
from ot.core.timez import as_utc, from_iso_utc, iso_utc, utcnow

if TYPE_CHECKING:
    from ledger.remote import RemoteLog
    from ledger.verify import VerifyReport

APPEND_CHUNK = 20_000
#: The page cache of a connection while it streams events in (:meth:`Writer.extend`), in KiB.
STREAM_CACHE_KIB = 32_768
_INSERT = (
    "INSERT INTO events (seq, event_id, recorded_at, actor, kind, payload, key, worker_id, prev_hash, hash, key_id, sig) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
#: The rows of a chunk but its sealed last: their key_id and sig are left NULL by the statement rather
#: than bound as None (the sqlite3 module looks for an adapter of every None it binds: 4% of a punch's
#: instructions in an import went there; docs/scale.md).
_INSERT_UNSEALED = (
    "INSERT INTO events (seq, event_id, recorded_at, actor, kind, payload, key, worker_id, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
PUNCH = "punch.recorded"
_RESERVED_META = ("head_seq", "head_hash")
_BUSY_MESSAGE = "the ledger is busy: another ot is writing; try again"

#: Punches before this instant or at or after :data:`PUNCH_CEILING` (outside the years 1900-2100, which
#: imports and punches refuse) are never read as work: a ledger written before that check may hold one,
#: and a year 1 or 9999 breaks every date computed from it. ``ot`` (the summary) counts them.
PUNCH_FLOOR = "1900-01-01T00:00:00Z"
PUNCH_CEILING = "2101-01-01T00:00:00Z"
#: The SQL condition on a ``punch.recorded`` event that its instant is read as work.
PUNCH_IN_RANGE = (
    f"json_extract(payload, '$.at') >= '{PUNCH_FLOOR}' AND json_extract(payload, '$.at') < '{PUNCH_CEILING}'"
)


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


#: An event checked for an append (:meth:`Writer._checked`): kind, key, worker_id, the canonical JSON of
#: its payload when already written (a plain punch, a :class:`PreparedEvent`) else None, and the payload
#: (None for punch fields).
_Prepared = tuple[str, str | None, str | None, str | None, Any]


class PreparedEvent:
    """An event checked and written as its canonical text ahead of its append (:func:`prepare`).

    A batch command builds its events while other work goes on (a pay run, while its pool prices
    the next workers), so that the append left at its end only chains, inserts and folds them.
    Made only by :func:`prepare`, which checks the event exactly as an append does; its payload must
    not change afterwards (the text is what is stored and hashed, the payload what is folded)."""

    __slots__ = ("event", "text")

    def __init__(self, event: NewEvent, text: str) -> None:
        self.event = event
        self.text = text


def prepare(events: Iterable[NewEvent]) -> list[PreparedEvent]:
    """Each event checked as :meth:`Writer.append` checks it (the same refusals, raised here) and
    written as the canonical JSON it will be stored and hashed as: :meth:`Writer.append` takes
    them in place of the events, with the same result, byte for byte."""
    out: list[PreparedEvent] = []
    for e in events:
        text = Writer._check(e)
        out.append(PreparedEvent(e, _dumps(e.payload) if text is None else text))
    return out


#: A punch as :meth:`Ledger.punch_rows` reads it: seq, worker_id, at (ISO text), kind, location_id,
#: break_type, rate, source, rest.
PunchRow = tuple[Any, ...]


def punch_of_row(r: PunchRow) -> PunchRecord:
    """The :class:`PunchRecord` of a row of :meth:`Ledger.punch_rows`."""
    return PunchRecord(
        seq=r[0],
        worker_id=r[1],
        at=from_iso_utc(r[2]),
        kind=r[3],
        location_id=r[4],
        break_type=r[5],
        rate=r[6],
        source=r[7],
        rest=r[8],
    )


class _Reads:
    """Read methods shared by :class:`Ledger` and :class:`Writer` (same connection)."""

    _conn: sqlite3.Connection
    _punch_cache: dict[str, tuple[datetime, datetime, list[PunchRecord]]] | None = None
    _punch_head: tuple[int, str] | None = None

    def meta(self, name: str) -> str | None:
        """A setting kept outside the events (schema facts, the PIN salt), or None."""
        row = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def head(self) -> tuple[int, str]:
        """The last sequence number and hash of the chain (0 and 64 zeros when empty)."""
        seq = self.meta("head_seq")
        digest = self.meta("head_hash")
        return (int(seq) if seq else 0, digest or GENESIS_HASH)

    def hash_at(self, seq: int) -> str | None:
        """The chain's hash after event ``seq`` (the genesis hash at 0), or None when there is no such event."""
        if seq == 0:
            return GENESIS_HASH
        row = self._conn.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else str(row[0])

    def kinds_after(self, seq: int, limit: int) -> list[tuple[str, str | None]]:
        """The kind and worker of each event after sequence number ``seq``, in order, at most ``limit``
        of them (read by sequence number: the cost of what was appended since, not of the ledger)."""
        return [
            (str(kind), wid)
            for kind, wid in self._conn.execute(
                "SELECT kind, worker_id FROM events WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
            )
        ]

    def has_key(self, key: str) -> bool:
        """Whether an event other than a punch with this idempotency key is in the ledger (a punch is
        found by its worker, instant and kind: :meth:`present_keys`)."""
        if key.startswith(PUNCH_KEY_PREFIX):
            raise ValueError("a punch is looked up by its worker, instant and kind: use present_keys")
        row = self._conn.execute(f"SELECT 1 FROM events WHERE key = ? AND kind != '{PUNCH}'", (key,)).fetchone()
        return row is not None

    def keys_present(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` (of events other than punches) are in the ledger: :meth:`has_key` of many
        at once (one statement, through the unique index of keys)."""
        if not keys:
            return set()
        return {
            r[0]
            for r in self._conn.execute(
                f"SELECT key FROM events WHERE key IN (SELECT value FROM json_each(?)) AND kind != '{PUNCH}'",
                (json.dumps(list(keys)),),
            )
        }

    def present_keys(self, events: Sequence[NewEvent]) -> set[str]:
        """The keys of ``events`` already in the ledger. A punch's key is the hash of its worker,
        instant and kind (:func:`ledger.events.punch_key`), so a punch is present when a punch of the
        same worker, instant and kind is: found through the punch index (schema v13 keeps punches out
        of the unique index of keys); any other event by its key."""
        others = [e.key for e in events if e.key is not None and e.kind != PUNCH]
        found = self.keys_present(others)
        probes = [
            (e.payload.get("worker_id"), e.payload.get("at"), e.payload.get("kind"), e.key)
            for e in events
            if e.key is not None and e.kind == PUNCH
        ]
        if probes:
            found.update(self._present_punches(probes))
        return found

    def _present_punches(self, probes: Sequence[tuple[Any, Any, Any, str]]) -> set[str]:
        """The keys of the punches ``(worker_id, at, kind, key)`` already in the ledger.

        First one question per worker: has the ledger any punch of theirs between the first and the
        last instant of theirs here (a range of the punch index, one seek each)? An import of new
        days (the common case) gets "no" for every worker and asks nothing more, so a chunk costs a
        few hundred seeks, not one per punch. Only the punches of a worker with some already in that
        span are looked up one by one (a file imported again, overlapping days), as before."""
        spans: dict[str, list[str]] = {}
        exact: list[tuple[Any, Any, Any, str]] = []  # a worker or instant that is not text: one by one
        for probe in probes:
            wid, at = probe[0], probe[1]
            if type(wid) is not str or type(at) is not str:
                exact.append(probe)
                continue
            span = spans.get(wid)
            if span is None:
                spans[wid] = [at, at]
            elif at < span[0]:
                span[0] = at
            elif at > span[1]:
                span[1] = at
        overlapping = {
            r[0]
            for r in self._conn.execute(
                f"""SELECT json_extract(j.value, '$[0]') FROM json_each(?) AS j WHERE EXISTS (
                    SELECT 1 FROM events AS e
                    WHERE e.kind = '{PUNCH}'
                      AND e.worker_id = json_extract(j.value, '$[0]')
                      AND json_extract(e.payload, '$.at') >= json_extract(j.value, '$[1]')
                      AND json_extract(e.payload, '$.at') <= json_extract(j.value, '$[2]'))""",
                (json.dumps([[wid, *span] for wid, span in spans.items()]),),
            )
        }
        if overlapping:
            exact += [probe for probe in probes if probe[0] in overlapping]
        if not exact:
            return set()
        return {
            r[0]
            for r in self._conn.execute(
                f"""SELECT json_extract(j.value, '$[3]') FROM json_each(?) AS j WHERE EXISTS (
                    SELECT 1 FROM events AS e
                    WHERE e.kind = '{PUNCH}'
                      AND e.worker_id = json_extract(j.value, '$[0]')
                      AND json_extract(e.payload, '$.at') = json_extract(j.value, '$[1]')
                      AND json_extract(e.payload, '$.kind') = json_extract(j.value, '$[2]'))""",
                (json.dumps(exact),),
            )
        }

    def founder(self) -> str | None:
        """The actor of the ledger's first event: whoever set it up, before any admin existed."""
        row = self._conn.execute("SELECT actor FROM events WHERE seq = 1").fetchone()
        return str(row[0]) if row and row[0] else None

    def count(self) -> int:
        """How many events the ledger holds."""
        return int(self._conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def events(
        self,
        *,
        kind: str | None = None,
        worker_id: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
        after: int | None = None,
    ) -> Iterator[Event]:
        """Events in sequence order.

        ``kind`` is an exact kind, or a prefix ending in a dot (``worker.``);
        ``since``/``until`` are inclusive UTC dates of recording; ``limit`` keeps
        the last ``limit`` events that match; ``after`` only events after that sequence number.
        """
        where: list[str] = []
        args: list[Any] = []
        # Punches are not in the kind and worker indexes (see ledger.schema): a
        # filter that cannot match a punch says so, so that those indexes serve it;
        # a worker's punches are found through the punch index (worker, instant).
        punches_possible = True
        if kind:
            if kind.endswith("."):
                where.append("kind >= ? AND kind < ?")
                args += [kind, kind[:-1] + "/"]
                punches_possible = PUNCH.startswith(kind)
            else:
                where.append("kind = ?")
                args.append(kind)
                punches_possible = kind == PUNCH
            if not punches_possible:
                where.append(f"kind != '{PUNCH}'")
        if worker_id:
            if punches_possible:  # two partial indexes: the worker's other events, and their punches
                where.append(f"((worker_id = ? AND kind != '{PUNCH}') OR (worker_id = ? AND kind = '{PUNCH}'))")
                args += [worker_id, worker_id]
            else:
                where.append("worker_id = ?")
                args.append(worker_id)
        if after is not None:
            where.append("seq > ?")
            args.append(after)
        if since:
            where.append("recorded_at >= ?")
            args.append(since.isoformat())
        if until:
            where.append("recorded_at < ?")
            args.append((until + timedelta(days=1)).isoformat())
        sql = "SELECT * FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if limit is not None:
            sql = f"SELECT * FROM ({sql} ORDER BY seq DESC LIMIT ?) ORDER BY seq"
            args.append(limit)
        else:
            sql += " ORDER BY seq"
        cursor = self._conn.execute(sql, args)
        while True:
            rows = cursor.fetchmany(1000)
            if not rows:
                return
            for row in rows:
                yield _event(row)

    def locations(self) -> dict[str, Location]:
        """Every location by id."""
        rows = self._conn.execute(
            "SELECT location_id, name, state, timezone, city, county FROM locations ORDER BY location_id"
        )
        return {
            r[0]: Location(location_id=r[0], name=r[1], state=r[2], timezone=r[3], city=r[4], county=r[5]) for r in rows
        }

    def roster(self) -> dict[str, Worker]:
        """Every worker by id, with their profile rates oldest first."""
        rates: dict[str, list[RateChange]] = {}
        for wid, effective, rate, plan, plan_hours in self._conn.execute(
            "SELECT worker_id, effective, rate, plan, plan_hours FROM worker_rates ORDER BY worker_id, effective"
        ):
            rates.setdefault(wid, []).append(
                RateChange(
                    effective=date.fromisoformat(effective),
                    rate=D(rate),
                    plan=plan or "hourly",
                    plan_hours=D(plan_hours) if plan_hours is not None else None,
                )
            )
        out: dict[str, Worker] = {}
        for wid, name, wtype, loc, manager, role, active, display in self._conn.execute(
            "SELECT worker_id, name, type, location_id, manager_id, role, active, display_rate "
            "FROM workers ORDER BY worker_id"
        ):
            out[wid] = Worker(
                worker_id=wid,
                name=name,
                type=wtype,
                rates=tuple(rates.get(wid, ())),
                location_id=loc,
                manager_id=manager,
                role=role,
                active=bool(active),
                display_rate=D(display) if display is not None else None,
            )
        return out

    def earnings(self, worker_ids: Sequence[str], first: date, last: date) -> list[Earning]:
        """The earnings in force (not voided) of these workers dated ``first``..``last``, by date."""
        out: list[Earning] = []
        for wid in worker_ids:
            for eid, day, kind, amount, p0, p1, qty, unit in self._conn.execute(
                "SELECT earning_id, day, kind, amount, period_start, period_end, quantity, unit_rate FROM earnings "
                "WHERE worker_id = ? AND day >= ? AND day <= ? AND voided_seq IS NULL ORDER BY day, seq",
                (wid, first.isoformat(), last.isoformat()),
            ):
                out.append(
                    Earning(
                        wid,
                        date.fromisoformat(day),
                        D(amount),
                        kind,
                        date.fromisoformat(p0) if p0 else None,
                        date.fromisoformat(p1) if p1 else None,
                        D(qty) if qty is not None else None,
                        D(unit) if unit is not None else None,
                        eid,
                    )
                )
        return out

    def punches(
        self,
        worker_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        as_of: int | None = None,
    ) -> list[PunchRecord]:
        """Punches ordered by (worker_id, at, seq); ``start`` inclusive, ``end`` exclusive.

        Read from the ``punch.recorded`` events themselves (through the index on
        the worker and the instant): there is no copy that could be edited.
        ``as_of``: only events up to that sequence number.

        One worker's punches are kept for the life of this object while the head of the chain
        stays where it was: a command that pairs a worker's week for its drafts and again, a few
        days wider, to price it reads and parses each punch once (only the days not read yet
        are read; any append moves the head and empties the cache).
        """
        if worker_id is not None and as_of is None and start is not None and end is not None:
            return self._cached_punches(worker_id, start, end)
        return self._read_punches(worker_id, start, end, as_of=as_of)

    def forget_punches(self) -> None:
        """Forget the punches kept by :meth:`punches` (after events were inserted other than by an append)."""
        self._punch_cache = None

    def _cached_punches(self, worker_id: str, start: datetime, end: datetime) -> list[PunchRecord]:
        # The instants as the SQL compares them: UTC, to the second.
        start, end = as_utc(start).replace(microsecond=0), as_utc(end).replace(microsecond=0)
        # The last event and its hash (seq is the rowid: one lookup), so that any append, by ot or a raw
        # insert at the end, or a rollback forgets what was kept; a raw insert behind the end calls
        # forget_punches().
        head = self._conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        cache = getattr(self, "_punch_cache", None)
        if cache is None or getattr(self, "_punch_head", None) != head:
            cache = {}
            self._punch_cache = cache
            self._punch_head = head
        found = cache.get(worker_id)
        if found is None or end < found[0] or start > found[1]:
            rows = self._read_punches(worker_id, start, end)
            cache[worker_id] = (start, end, rows)
            return list(rows)
        lo, hi, rows = found
        if start < lo or end > hi:  # read only the days around what is kept, and join them in order
            before = self._read_punches(worker_id, start, lo) if start < lo else []
            after = self._read_punches(worker_id, hi, end) if end > hi else []
            lo, hi, rows = min(lo, start), max(hi, end), [*before, *rows, *after]
            cache[worker_id] = (lo, hi, rows)
        first = bisect_left(rows, start, key=_punch_at)
        last = bisect_left(rows, end, key=_punch_at)
        return rows[first:last]

    def _read_punches(
        self,
        worker_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        as_of: int | None = None,
    ) -> list[PunchRecord]:
        return [punch_of_row(r) for r in self.punch_rows(worker_id, start, end, as_of=as_of)]

    def punch_rows(
        self,
        worker_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        as_of: int | None = None,
    ) -> list[PunchRow]:
        """The rows :meth:`punches` reads, not yet decoded (:func:`punch_of_row` decodes one):
        what a pool's child decodes, so that the parent only reads."""
        where = ["kind = 'punch.recorded'"]
        args: list[Any] = []
        if worker_id is not None:
            where.append("worker_id = ?")
            args.append(worker_id)
        where.append("json_extract(payload, '$.at') >= ?")
        args.append(max(iso_utc(start), PUNCH_FLOOR) if start is not None else PUNCH_FLOOR)
        where.append("json_extract(payload, '$.at') < ?")
        args.append(min(iso_utc(end), PUNCH_CEILING) if end is not None else PUNCH_CEILING)
        if as_of is not None:
            where.append("seq <= ?")
            args.append(as_of)
        sql = (
            "SELECT seq, worker_id, json_extract(payload, '$.at') AS at, json_extract(payload, '$.kind'), "
            "json_extract(payload, '$.location_id'), json_extract(payload, '$.break_type'), "
            "json_extract(payload, '$.rate'), json_extract(payload, '$.source'), json_extract(payload, '$.rest') "
            "FROM events WHERE " + " AND ".join(where) + " ORDER BY worker_id, at, seq"
        )
        return self._conn.execute(sql, args).fetchall()

    def punch(self, seq: int) -> PunchRecord | None:
        """The punch recorded by event ``seq``, or None when that event is not a punch."""
        row = self._conn.execute(
            "SELECT payload, worker_id FROM events WHERE seq = ? AND kind = 'punch.recorded'", (seq,)
        ).fetchone()
        if row is None:
            return None
        p = json.loads(row[0])
        return PunchRecord(
            seq=seq,
            worker_id=p["worker_id"],
            at=from_iso_utc(p["at"]),
            kind=p["kind"],
            location_id=p.get("location_id"),
            break_type=p.get("break_type"),
            rate=p.get("rate"),
            source=p["source"],
            rest=p.get("rest"),
        )

    def scheduled_hours(self, days: Mapping[str, Iterable[date]]) -> dict[str, dict[date, Decimal]]:
        """The hours each worker's schedule (``schedule.set``) gives each of these days: the row of that
        weekday in force on the day; a day without one is left out (reporting-time pay)."""
        out: dict[str, dict[date, Decimal]] = {}
        if self._conn.execute("SELECT 1 FROM schedules LIMIT 1").fetchone() is None:
            return out
        for worker_id, wanted in days.items():
            rows = self._conn.execute(
                "SELECT weekday, effective_from, hours FROM schedules WHERE worker_id = ? ORDER BY effective_from",
                (worker_id,),
            ).fetchall()
            if not rows:
                continue
            mine: dict[date, Decimal] = {}
            for day in wanted:
                key = day.isoformat()
                found = [Decimal(h) for weekday, start, h in rows if weekday == day.weekday() and start <= key]
                if found:
                    mine[day] = found[-1]
            if mine:
                out[worker_id] = mine
        return out

    def excused_days(self, days: Mapping[str, Iterable[date]]) -> dict[str, dict[date, str]]:
        """Why each of these days owes its worker no reporting-time pay (the last ``schedule.excused``
        event of that worker and date, read from the events themselves); a day without one, or whose
        last one is ``withdrawn``, is left out."""
        wanted = {wid: {d.isoformat() for d in ds} for wid, ds in days.items()}
        last: dict[tuple[str, str], str] = {}
        for worker_id, payload in self._conn.execute(
            # ``kind != punch`` lets the partial kind index serve it: without it, every event is read.
            "SELECT worker_id, payload FROM events WHERE kind = 'schedule.excused' AND kind != 'punch.recorded' "
            "ORDER BY seq"
        ):
            if worker_id in wanted:
                p = json.loads(payload)
                if p["date"] in wanted[worker_id]:
                    last[(worker_id, p["date"])] = p["reason"]
        out: dict[str, dict[date, str]] = {}
        for (worker_id, day), reason in last.items():
            if reason != "withdrawn":
                out.setdefault(worker_id, {})[date.fromisoformat(day)] = reason
        return out

    def shift_entries(self, worker_id: str | None = None, *, include_deleted: bool = False) -> list[ShiftEntry]:
        """Manual shift entries with their edits folded in, by worker then start (or day)."""
        where: list[str] = []
        args: list[Any] = []
        if worker_id is not None:
            where.append("worker_id = ?")
            args.append(worker_id)
        if not include_deleted:
            where.append("deleted = 0")
        sql = (
            'SELECT shift_id, worker_id, start, "end", day, minutes, breaks, rate, display_rate, location_id, '
            "pay_type, meal_waiver, reason, deleted, entered_seq, last_seq, hours, rest FROM shift_entries"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY worker_id, coalesce(start, day), shift_id"
        out: list[ShiftEntry] = []
        for r in self._conn.execute(sql, args):
            out.append(
                ShiftEntry(
                    shift_id=r[0],
                    worker_id=r[1],
                    start=from_iso_utc(r[2]) if r[2] else None,
                    end=from_iso_utc(r[3]) if r[3] else None,
                    day=date.fromisoformat(r[4]) if r[4] else None,
                    minutes=r[5],
                    breaks=tuple(json.loads(r[6])),
                    rate=r[7],
                    display_rate=r[8],
                    location_id=r[9],
                    pay_type=r[10],
                    meal_waiver=bool(r[11]),
                    reason=r[12],
                    deleted=bool(r[13]),
                    entered_seq=r[14],
                    last_seq=r[15],
                    hours=r[16],
                    rest=r[17],
                )
            )
        return out

    def rules_adopted(self) -> list[RulesVersion]:
        """Rules files adopted, by effective date then order of adoption."""
        return [
            RulesVersion(seq=r[0], effective=date.fromisoformat(r[1]), sha256=r[2], file=r[3], text=r[4])
            for r in self._conn.execute(
                "SELECT seq, effective, sha256, file, text FROM rules_versions ORDER BY effective, seq"
            )
        ]

    def identities(self, user_id: str | None = None) -> list[tuple[str, str, str, str, str | None, bool]]:
        """Enrolled keys: (key_id, user_id, public_key, kind, role, revoked), by enrolment."""
        sql = "SELECT key_id, user_id, public_key, kind, role, revoked_seq IS NOT NULL FROM identities"
        args: list[Any] = []
        if user_id is not None:
            sql += " WHERE user_id = ?"
            args.append(user_id)
        return [
            (r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in self._conn.execute(sql + " ORDER BY enrolled_seq", args)
        ]

    def pin_salt(self) -> bytes:
        """This ledger's random salt for PIN hashes."""
        salt = self.meta("pin_salt")
        if salt is None:  # pragma: no cover - every migrated ledger has one
            raise OtError("this ledger has no PIN salt: run `ot ledger rebuild` or re-create it")
        return bytes.fromhex(salt)

    def ledger_id(self) -> str:
        """This ledger's random id (names its PIN pepper outside the file)."""
        found = self.meta("ledger_id")
        if found is None:  # pragma: no cover - every migrated ledger has one
            raise OtError("this ledger has no id: open it with this ot to migrate it")
        return found

    def stored_pins(self, *, worker_id: str | None = None, bucket: int | None = None) -> list[StoredPin]:
        """What the ledger keeps of PINs: one worker's, or those of a lookup bucket (and old unbucketed ones)."""
        sql = "SELECT worker_id, pin_hash, salt, bucket FROM pins"
        args: list[Any] = []
        if worker_id is not None:
            sql += " WHERE worker_id = ?"
            args.append(worker_id)
        elif bucket is not None:
            sql += " WHERE bucket = ? OR bucket IS NULL"
            args.append(bucket)
        return [StoredPin(r[0], r[1], r[2], r[3]) for r in self._conn.execute(sql + " ORDER BY worker_id", args)]

    def pin_overrides(self) -> set[str]:
        """The workers whose current PIN is recorded as an admin's override (schema 8 on)."""
        return {r[0] for r in self._conn.execute("SELECT worker_id FROM pins WHERE override = 1")}

    def pin_hashes(self) -> dict[str, str | None]:
        """Every worker's current PIN hash (None: no PIN), by worker id."""
        return {r[0]: r[1] for r in self._conn.execute("SELECT worker_id, pin_hash FROM pins")}

    def workers_for_pin_hash(self, pin_hash: str) -> list[str]:
        """The ids of every worker whose PIN has this hash (more than one: a shared PIN)."""
        return [
            r[0]
            for r in self._conn.execute("SELECT worker_id FROM pins WHERE pin_hash = ? ORDER BY worker_id", (pin_hash,))
        ]


def _punch_at(p: PunchRecord) -> datetime:
    return p.at


def _event(row: sqlite3.Row | tuple[Any, ...]) -> Event:
    return Event(
        seq=row[0],
        event_id=row[1],
        recorded_at=from_iso_utc(row[2]),
        actor=row[3],
        kind=row[4],
        payload=json.loads(row[5]),
        key=row[6],
        worker_id=row[7],
        prev_hash=row[8],
        hash=row[9],
    )


class Writer(_Reads):
    """The open write transaction of :meth:`Ledger.write`: append, and read your own writes.

    Attributes:
        actor: Who records the events.
        recorded_at: The ``now`` of the transaction (UTC).
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        actor: str,
        now: datetime,
        signer: Signer | Callable[[], Signer | None] | None = None,
    ) -> None:
        if not isinstance(actor, str) or not actor.strip():
            raise ValueError("an append needs an actor (who records the events)")
        self._conn = conn
        self._signer = signer
        self.actor = actor
        self.recorded_at = now.astimezone(UTC)
        self._at_text = iso_utc(now)
        self._prefix = f"{int(now.timestamp() * 1000):012x}{secrets.token_hex(4)}"
        self._seq, self._hash = self.head()
        self._actor_json = _dump_str(actor)
        self._at_json = _dump_str(self._at_text)
        self._added = 0

    @property
    def added(self) -> int:
        """How many events this transaction has added so far."""
        return self._added

    def append(self, events: Sequence[NewEvent | PreparedEvent]) -> list[Event]:
        """Append events (skipping keys already present); returns what was added. An event may come
        prepared (:func:`prepare`: checked and written already)."""
        out: list[Event] = []
        for start in range(0, len(events), APPEND_CHUNK):
            self._append_chunk(events[start : start + APPEND_CHUNK], out)
        return out

    def extend(self, events: Iterable[NewEvent | PunchFields], *, chunk: int = APPEND_CHUNK) -> int:
        """Append a stream of events in chunks without building :class:`Event` records.

        For large imports: memory stays flat (the connection's page cache is held to
        :data:`STREAM_CACHE_KIB` meanwhile: the pages of a stream are written once and
        rarely read again). A plain punch may come as its :data:`ledger.events.PunchFields`
        instead of a NewEvent (an import of a million punches builds no object per row): the
        same event, checked the same way, its key computed here. Returns how many were added.
        """
        added = 0
        stream = iter(events)
        cache = self._conn.execute("PRAGMA cache_size").fetchone()[0]
        self._conn.execute(f"PRAGMA cache_size = -{STREAM_CACHE_KIB}")
        try:
            while buf := list(islice(stream, chunk)):
                added += self._append_chunk(buf, None, fields=True)
        finally:
            self._conn.execute(f"PRAGMA cache_size = {int(cache)}")
        return added

    def _append_chunk(
        self,
        events: Sequence[NewEvent | PreparedEvent | PunchFields],
        out: list[Event] | None,
        *,
        fields: bool = False,
    ) -> int:
        prepared, keys, probes = self._checked(events, fields)
        # The keys of this chunk already in the ledger, found in one statement (no savepoint to roll
        # back to: a savepoint journals every index page the chunk touches, in memory).
        present = self.keys_present(keys)
        if probes:
            present.update(self._present_punches(probes))
        rows, folds = self._rows(prepared, present)
        if not rows:
            return 0
        self._insert(rows)
        projections.apply(self._conn, folds)
        seq, last = rows[-1][0], rows[-1][9]
        self._conn.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", (("head_seq", str(seq)), ("head_hash", last))
        )
        self._seq, self._hash = seq, last
        self._added += len(rows)
        if out is not None:
            out.extend(
                Event(
                    seq=r[0],
                    event_id=r[1],
                    recorded_at=self.recorded_at,
                    actor=r[3],
                    kind=r[4],
                    payload=json.loads(r[5]),
                    key=r[6],
                    worker_id=r[7],
                    prev_hash=r[8],
                    hash=r[9],
                )
                for r in rows
            )
        return len(rows)

    @property
    def signer(self) -> Signer | None:
        """The key that seals this transaction's appends (resolved at the first append), or None."""
        if callable(self._signer) and not isinstance(self._signer, Signer):
            self._signer = self._signer()
        if self._signer is not None and self._signer.user_id != self.actor:
            raise ValueError(f"a key of {self._signer.user_id!r} cannot seal events recorded by {self.actor!r}")
        return self._signer

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert the rows, the last with the writer's seal (its key id and signature of its hash)."""
        signer = self.signer
        if signer is None:
            self._conn.executemany(_INSERT_UNSEALED, rows)
            return
        if self._added == 0:
            self._refuse_an_unsealed_tail()
        last = rows[-1]
        sealed = (*last, signer.key_id, signer.seal(last[9]))
        self._conn.executemany(_INSERT_UNSEALED, rows[:-1])
        self._conn.execute(_INSERT, sealed)

    def _refuse_an_unsealed_tail(self) -> None:
        """A seal covers every event since the last one, so a writer never seals on top of events nobody
        sealed (inserted behind ot's back: a login that may INSERT into PostgreSQL, the file edited):
        it would vouch for them (``ledger.seals``). Every transaction after the first enrolment ends
        with a sealed event, so the head before this one's events must be sealed, or precede any key."""
        if self._seq <= 0:
            return
        head = self._conn.execute("SELECT key_id, kind, actor FROM events WHERE seq = ?", (self._seq,)).fetchone()
        if head is None or head[0] is not None:
            return
        keyed = self._conn.execute(
            "SELECT min(seq) FROM events WHERE kind = 'user.enrolled' AND kind != 'punch.recorded' AND seq <= ?",
            (self._seq,),
        ).fetchone()[0]
        if keyed is None:
            return
        sealed = self._conn.execute(
            "SELECT max(seq) FROM events WHERE seq < ? AND key_id IS NOT NULL", (self._seq,)
        ).fetchone()[0]
        first = max(int(sealed or 0) + 1, int(keyed))
        raise OtError(
            f"events {first} to {self._seq} are not sealed by an enrolled key (the last: {head[1]}, recorded as "
            f"{head[2]}): they were added behind ot's back, and a write would vouch for them; nothing was written",
            [
                Problem(
                    "ledger",
                    "run `ot ledger verify`, find who added them, and restore the ledger from a backup taken before "
                    "them (a PostgreSQL login needs SELECT and INSERT only on the events ot writes)",
                )
            ],
        )

    @staticmethod
    def _check(e: NewEvent) -> str | None:
        """Validate one event (ValueError if bad); the canonical JSON of its payload when it is a plain
        punch (:func:`ledger.events.punch_text`: the fast path), else None."""
        if not isinstance(e, NewEvent):
            raise ValueError(f"append takes NewEvent records, not {type(e).__name__}")
        if e.key is not None and type(e.key) is not str:
            raise ValueError(f"{e.kind}: key must be text or None")
        if e.worker_id is not None and type(e.worker_id) is not str:
            raise ValueError(f"{e.kind}: worker_id must be text or None")
        p = e.payload
        text = punch_text(p) if e.kind == PUNCH else None
        if text is None:
            validate_payload(e.kind, p)
            _check_jsonable(p, e.kind)
        if e.key is not None:
            if e.kind == PUNCH:
                # A punch is found again by its worker, instant and kind (schema v13): its key must say so.
                wanted = (
                    PUNCH_KEY_PREFIX + hashlib.sha256(f"{p['worker_id']}|{p['at']}|{p['kind']}".encode()).hexdigest()
                )
                if e.key != wanted:
                    raise ValueError(
                        "punch.recorded: key must be ledger.events.punch_key of its worker, instant and kind"
                    )
            elif e.key.startswith(PUNCH_KEY_PREFIX):
                raise ValueError(f"{e.kind}: a key beginning {PUNCH_KEY_PREFIX!r} is a punch's")
        return text

    def _checked(
        self, events: Sequence[NewEvent | PreparedEvent | PunchFields], fields: bool
    ) -> tuple[list[_Prepared], list[str], list[tuple[Any, Any, Any, str]]]:
        """Each event checked (:meth:`_check`) and prepared (:data:`_Prepared`), in order; with the keys
        of the events other than punches, and the ``(worker_id, at, kind, key)`` of the keyed
        punches, that :meth:`present_keys` looks up.

        The common cases are inline: a punch whose payload :func:`ledger.events.punch_text` writes
        and whose key is its punch's, and (with ``fields``, from :meth:`extend`) punch fields that
        :func:`ledger.events.punch_fields_text` writes, whose key is computed here. Anything else (an
        unusual punch, another kind, a bad event) goes through ``_check`` itself (punch fields as
        the NewEvent they stand for), so every refusal and its message stays what it was.
        """
        out: list[_Prepared] = []
        keys: list[str] = []
        probes: list[tuple[Any, Any, Any, str]] = []
        add, probe = out.append, probes.append
        sha256 = hashlib.sha256
        prefix = PUNCH_KEY_PREFIX
        for e in events:
            event: Any = e  # what goes the long way: a NewEvent, or anything else for _check to refuse
            if type(e) is NewEvent:
                if e.kind == PUNCH:
                    key, wid, p = e.key, e.worker_id, e.payload
                    text = punch_text(p)
                    if text is not None and type(key) is str and (wid is None or type(wid) is str):
                        pw, at, kind = p["worker_id"], p["at"], p["kind"]
                        if key == prefix + sha256(f"{pw}|{at}|{kind}".encode()).hexdigest():
                            add((PUNCH, key, wid, text, p))
                            probe((pw, at, kind, key))
                            continue
            elif fields and type(e) is tuple and len(e) == 6:
                text = punch_fields_text(*e)
                if text is not None:
                    wid, at, kind = e[0], e[1], e[2]
                    key = prefix + sha256(f"{wid}|{at}|{kind}".encode()).hexdigest()
                    add((PUNCH, key, wid, text, None))
                    probe((wid, at, kind, key))
                    continue
                event = punch_fields_event(e)  # not plainly valid: the long way accepts it or says why not
            if type(e) is PreparedEvent:
                event, text = e.event, e.text  # checked and written by prepare()
            else:
                text = self._check(event)
            key, p = event.key, event.payload
            add((event.kind, key, event.worker_id, text, p))
            if key is not None:
                if event.kind == PUNCH:
                    probe((p.get("worker_id"), p.get("at"), p.get("kind"), key))
                else:
                    keys.append(key)
        return out, keys, probes

    def _rows(
        self, prepared: Sequence[_Prepared], present: set[str]
    ) -> tuple[list[tuple[Any, ...]], list[projections.Row]]:
        """The rows of the events whose keys are not in ``present``, chained from the head."""
        rows: list[tuple[Any, ...]] = []
        add = rows.append
        folds: list[projections.Row] = []
        seen = set(present)
        seq, prev = self._seq, self._hash
        prefix, actor, at_text = self._prefix, self.actor, self._at_text
        head = f",{self._at_json},{self._actor_json},"
        sha256 = hashlib.sha256
        q = encode_basestring
        for kind, key, wid, text, payload in prepared:
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            seq += 1
            event_id = f"{prefix}{seq:010x}"
            if text is None:
                text = _dumps(payload)
            if kind != PUNCH:  # (a punch folds into nothing: punches are read from the events)
                folds.append((seq, kind, payload, actor, at_text, wid))
            # event_id is hex and kind is validated dotted lowercase: neither needs escaping.
            digest = sha256(
                f'{prev}[{seq},"{event_id}"{head}"{kind}",{text},'
                f"{'null' if key is None else q(key)},{'null' if wid is None else q(wid)}]".encode()
            ).hexdigest()
            add((seq, event_id, at_text, actor, kind, text, key, wid, prev, digest))
            prev = digest
        return rows, folds


class Ledger(_Reads):
    """An open ledger file. Use :meth:`open`; close it (or use ``with``).

    Attributes:
        path: The ledger file (for a PostgreSQL ledger, this machine's replica of it).
        remote: The PostgreSQL ledger this file is a replica of (:mod:`ledger.remote`), or None.
    """

    remote: RemoteLog | None = None

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True, now: datetime | None = None) -> Ledger:
        """Open (and, with ``create``, make) a ledger; apply any pending migrations.

        A new file and its folder are made owner-only (0600 / 0700). ``":memory:"``
        gives a private in-memory ledger. A ledger made by a newer ``ot`` is refused.
        A ``postgresql://`` URL (or the file of a replica) opens the ledger kept in PostgreSQL
        through this machine's replica of it (:mod:`ledger.remote`), caught up.
        """
        from ledger import remote

        name = str(path)
        url: str | None = None
        if remote.is_url(name):
            url = name
            path = name = str(remote.bind(name))
        if name != ":memory:":
            file = Path(path).expanduser()
            if not file.exists():
                if not create and url is None and not remote.is_bound(str(file)):  # a replica is made when needed
                    raise OtError(
                        f"no ledger at {file}",
                        [Problem(str(file), "give --ledger PATH of an existing ledger, or run `ot demo`")],
                    )
                file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                try:
                    fd = os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                    os.close(fd)
                except FileExistsError:
                    pass  # another ot made it just now
            elif file.is_dir():
                raise OtError(f"{file} is a folder, not a ledger file", [Problem(str(file), "give the path of a file")])
            name = str(file)
            url = url or remote.url_for(name)
        try:
            conn = sqlite3.connect(name, isolation_level=None, timeout=5.0)
        except sqlite3.Error as exc:
            raise OtError(f"cannot open the ledger {name}: {exc}") from None
        ledger = cls(conn, name)
        try:
            configure(conn)
            ledger._migrate(now or utcnow())
        except sqlite3.DatabaseError as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError) and _busy(exc):
                raise LedgerBusy(_BUSY_MESSAGE) from None
            raise OtError(
                f"{name} is not an ot ledger ({exc})", [Problem(name, "give --ledger PATH of a ledger file")]
            ) from None
        except BaseException:
            conn.close()
            raise
        url = url or ledger.meta(remote.REMOTE_META)
        if url is not None:
            try:
                ledger.remote = remote.RemoteLog.attach(url, name, conn, create=create)
            except BaseException:
                conn.close()
                raise
        return ledger

    def _migrate(self, now: datetime) -> None:
        version = current_version(self._conn)
        if version > LATEST:
            raise OtError(
                f"this ledger has schema version {version}, newer than this ot knows ({LATEST})",
                [Problem(self.path, "upgrade ot to open it")],
            )
        if version == LATEST:
            return
        ran = False
        for migration in MIGRATIONS:
            self._begin()
            try:
                self._conn.execute(MIGRATIONS_TABLE)
                if current_version(self._conn) >= migration.version:  # another process got there first
                    self._conn.execute("COMMIT")
                    continue
                migration.apply(self._conn)
                self._conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", (migration.version, migration.name, iso_utc(now))
                )
                self._conn.execute(f"PRAGMA user_version = {migration.version}")
                self._conn.execute("COMMIT")
                ran = True
            except BaseException:
                self._rollback()
                raise
        if ran and version > 0:
            # What a fold writes changed with the schema: refold every event into the new tables.
            self.rebuild()

    def schema_version(self) -> int:
        """The schema version of this ledger."""
        return current_version(self._conn)

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection (for tests and verify; never write events through it)."""
        return self._conn

    def close(self) -> None:
        """Close the connection (and the PostgreSQL one of a replica)."""
        self._conn.close()
        if self.remote is not None:
            self.remote.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _begin(self) -> None:
        # A PostgreSQL ledger: its transaction and advisory lock first (every write of every machine
        # takes it), then the replica's, then the replica catches up with what others appended.
        if self.remote is not None:
            self.remote.begin()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if self.remote is not None:
                self.remote.rollback()
            if _busy(exc):
                raise LedgerBusy(_BUSY_MESSAGE) from None
            raise
        except BaseException:
            if self.remote is not None:
                self.remote.rollback()
            raise
        if self.remote is not None:
            try:
                self.remote.pull(self._conn)
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        if self.remote is not None:
            self.remote.rollback()

    def _commit(self) -> None:
        if self.remote is not None:
            # The record first: if PostgreSQL refuses or fails, the replica rolls back; if this process
            # dies after PostgreSQL's commit, the next catch-up pulls the events into the replica.
            try:
                self.remote.push(self._conn)
                self.remote.commit()
            except BaseException:
                self._rollback()
                raise
        try:
            self._conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            if _busy(exc):
                raise LedgerBusy(_BUSY_MESSAGE) from None
            raise

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction (:meth:`_begin`): committed at the end, rolled back on any exception."""
        self._begin()
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        self._commit()

    @contextmanager
    def write(
        self, *, actor: str, now: datetime, signer: Signer | Callable[[], Signer | None] | None = None
    ) -> Iterator[Writer]:
        """One write transaction (``BEGIN IMMEDIATE``): commit at the end, roll back on any exception.
        With a ``signer``, each append is sealed with its key (``ledger.identity``)."""
        with self._transaction():
            yield Writer(self._conn, actor, now, signer)

    def append(self, events: Sequence[NewEvent], *, actor: str, now: datetime) -> list[Event]:
        """Append events in one transaction, skipping keys already present; returns what was added."""
        with self.write(actor=actor, now=now) as writer:
            return writer.append(events)

    def set_meta(self, name: str, value: str) -> None:
        """Keep a setting outside the events (not the chain head, which only appends move)."""
        if name in _RESERVED_META:
            raise ValueError(f"meta {name!r} is kept by the ledger itself")
        with self._transaction():
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def rebuild(self) -> int:
        """Empty the derived tables and refold every event into them; returns the number of events."""
        with self._transaction():
            projections.clear(self._conn)
            return projections.fold_all(self._conn)

    def verify(self) -> VerifyReport:
        """Re-check the chain, the keys and the derived tables (:func:`ledger.verify.verify`)."""
        from ledger.verify import verify

        return verify(self)

    # --- PIN failures (not events: a slowed-down clock, not a fact of pay) ---

    def record_pin_failure(self, now: datetime, *, station: str | None = None, bucket: int | None = None) -> None:
        """Note a wrong PIN at ``now`` (at ``station``, in a lookup ``bucket``); failures older than a day
        are forgotten. Kept in the file, so every process of every station sees them."""
        with self._transaction():
            self._note_pin_failure(now, station, bucket)

    def _note_pin_failure(self, now: datetime, station: str | None, bucket: int | None) -> int:
        row = self._conn.execute(
            "INSERT INTO pin_failures (at, station, bucket) VALUES (?, ?, ?)", (iso_utc(now), station, bucket)
        ).lastrowid
        self._conn.execute("DELETE FROM pin_failures WHERE at < ?", (iso_utc(now - timedelta(days=1)),))
        return int(row or 0)

    def claim_pin_attempt(
        self, now: datetime, since: datetime, *, station: str, bucket: int, held: datetime
    ) -> tuple[int, int]:
        """Count the wrong PINs typed since ``since`` (at ``station`` or in ``bucket``: the larger count),
        and note this attempt as one, in one write: attempts made at once from several processes each
        count those before them, so none skips the wait they call for. The attempt is noted at ``held``
        (an instant that keeps it counted only while an attempt can be in progress); it becomes a wrong
        PIN at its own instant (:meth:`confirm_pin_failure`) or is removed (:meth:`forget_pin_attempt`).
        Returns the count and the attempt's row."""
        with self._transaction():
            count = max(self.pin_failures_since(since, station=station), self.pin_failures_since(since, bucket=bucket))
            return count, self._note_pin_failure(held, station, bucket)

    def confirm_pin_failure(self, row: int, now: datetime) -> None:
        """The attempt :meth:`claim_pin_attempt` noted was a wrong PIN, typed at ``now``."""
        with self._transaction():
            self._conn.execute("UPDATE pin_failures SET at = ? WHERE id = ?", (iso_utc(now), row))

    def forget_pin_attempt(self, row: int) -> None:
        """Remove an attempt :meth:`claim_pin_attempt` noted (its PIN was right)."""
        with self._transaction():
            self._conn.execute("DELETE FROM pin_failures WHERE id = ?", (row,))

    def pin_failures_since(self, since: datetime, *, station: str | None = None, bucket: int | None = None) -> int:
        """How many wrong PINs were typed at or after ``since`` (at one station, or in one bucket)."""
        sql = "SELECT COUNT(*) FROM pin_failures WHERE at >= ?"
        args: list[Any] = [iso_utc(since)]
        if station is not None:
            sql += " AND station = ?"
            args.append(station)
        if bucket is not None:
            sql += " AND bucket = ?"
            args.append(bucket)
        return int(self._conn.execute(sql, args).fetchone()[0])

    def clear_pin_failures(self, *, bucket: int | None = None) -> None:
        """Forget wrong PINs (of one bucket, after a right PIN there)."""
        with self._transaction():
            if bucket is None:
                self._conn.execute("DELETE FROM pin_failures")
            else:
                self._conn.execute("DELETE FROM pin_failures WHERE bucket = ?", (bucket,))
