"""The ledger store: appends, idempotency, reads, transactions, schema, migrations."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from ledger_helpers import NOW, company, dump_all, location, punch, rate_change, shift, worker

import ledger.schema as schema
from ledger.events import GENESIS_HASH, Event, NewEvent, PunchRecord, canonical_json, event_hash
from ledger.store import Ledger, prepare
from ot.core.domain import RateChange
from ot.core.errors import LedgerBusy, OtError
from ot.core.timez import iso_utc


@pytest.fixture
def led(tmp_path: Path) -> Iterator[Ledger]:
    ledger = Ledger.open(tmp_path / "l.db")
    yield ledger
    ledger.close()


def test_append_returns_chained_events(led: Ledger) -> None:
    added = led.append(company(), actor="ana", now=NOW)
    assert [e.seq for e in added] == list(range(1, 13))
    assert added[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(added):
        assert after.prev_hash == before.hash
    assert all(e.actor == "ana" and e.recorded_at == NOW for e in added)
    assert len({e.event_id for e in added}) == 12
    assert led.head() == (12, added[-1].hash)
    assert list(led.events()) == added


def test_hash_is_sha256_of_prev_and_canonical_array(led: Ledger) -> None:
    """The hash covers (seq, event_id, recorded_at, actor, kind, payload, key, worker_id), chained."""
    (e,) = led.append([location()], actor="ana", now=NOW)
    text = json.dumps(
        [e.seq, e.event_id, "2026-11-02T18:00:00Z", "ana", e.kind, e.payload, e.key, e.worker_id],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert e.hash == hashlib.sha256((GENESIS_HASH + text).encode()).hexdigest()
    stored = led.connection.execute("SELECT payload FROM events").fetchone()[0]
    assert stored == canonical_json(e.payload)
    assert " " not in stored.replace("Site L1", "")


def test_same_key_is_skipped_in_ledger_and_in_batch(led: Ledger) -> None:
    t = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    first = led.append([location(), worker(), punch("W1", t), punch("W1", t)], actor="a", now=NOW)
    assert [e.kind for e in first] == ["location.added", "worker.added", "punch.recorded"]
    again = led.append([location(), worker(), punch("W1", t)], actor="a", now=NOW)
    assert again == []
    assert led.count() == 3
    assert led.present_keys([punch("W1", t), punch("W1", t + timedelta(minutes=1))]) == {first[2].key}
    assert led.has_key(first[0].key or "")
    assert not led.has_key("nope")
    with pytest.raises(ValueError, match="worker, instant and kind"):
        led.has_key(first[2].key or "")  # a punch is found by what its key hashes, not by the key


def test_a_punch_key_must_be_its_punch_s_and_no_other_key_looks_like_one(led: Ledger) -> None:
    """Schema v13 finds a punch by its worker, instant and kind: a key that says otherwise is refused."""
    t = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    led.append([location(), worker()], actor="a", now=NOW)
    good = punch("W1", t)
    with pytest.raises(ValueError, match="punch_key"):
        led.append([dataclasses.replace(good, key="punch:" + "0" * 64)], actor="a", now=NOW)
    with pytest.raises(ValueError, match="is a punch's"):
        led.append([dataclasses.replace(location(), key=good.key)], actor="a", now=NOW)
    assert led.count() == 2


def test_events_without_key_are_never_skipped(led: Ledger) -> None:
    e = NewEvent("employer.configured", {"name": "Acme", "address": []})
    assert len(led.append([e, e], actor="a", now=NOW)) == 2


def test_a_kind_not_in_the_catalog_is_refused(led: Ledger) -> None:
    with pytest.raises(ValueError, match=r"'note\.added' is not in the catalog"):
        led.append([NewEvent("note.added", {"text": "hello"})], actor="a", now=NOW)
    assert led.count() == 0


def test_bad_payload_raises_and_writes_nothing(led: Ledger) -> None:
    bad = NewEvent("punch.recorded", {"worker_id": "W1", "at": "2026-11-02 08:00", "kind": "in"})
    with pytest.raises(ValueError, match=r"punch\.recorded"):
        led.append([location(), bad], actor="a", now=NOW)
    assert led.count() == 0
    assert led.locations() == {}


@pytest.mark.parametrize(
    ("kind", "payload", "message"),
    [
        ("location.added", {"location_id": "L1", "name": "x", "state": "California", "timezone": "UTC"}, "state"),
        ("worker.rate_changed", {"worker_id": "W1", "rate": 20.5, "effective": "2026-11-01"}, "rate"),
        ("worker.rate_changed", {"worker_id": "W1", "rate": "20.50", "effective": "2026-02-30"}, "effective"),
        ("worker.changed", {"worker_id": "W1", "role": "boss"}, "role"),
        ("employer.configured", {"name": "X", "address": [], "amount": Decimal("1.00")}, "Decimal"),
        ("employer.configured", {"name": "X", "address": [], "amount": 1.5}, "float"),
        ("employer.configured", {"name": "X", "address": [], "when": datetime(2026, 1, 1, tzinfo=UTC)}, "datetime"),
        ("Bad Kind", {}, "dotted"),
        (
            "punch.recorded",
            {
                "worker_id": "W1",
                "at": "2026-11-02T16:00:00Z",
                "kind": "in",
                "location_id": None,
                "break_type": "MEAL",
                "rate": None,
                "source": "x",
            },
            "break_type",
        ),
    ],
)
def test_programming_errors_are_value_errors(led: Ledger, kind: str, payload: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        led.append([NewEvent(kind, payload)], actor="a", now=NOW)
    assert led.count() == 0


def test_unknown_payload_keys_are_kept(led: Ledger) -> None:
    e = location()
    extra = NewEvent(e.kind, {**e.payload, "address": "1 Main St"}, key=e.key)
    (added,) = led.append([extra], actor="a", now=NOW)
    assert added.payload["address"] == "1 Main St"
    assert list(led.locations()) == ["L1"]


def test_write_reads_its_own_writes_and_rolls_back(led: Ledger) -> None:
    with led.write(actor="a", now=NOW) as tx:
        tx.append([location()])
        assert "L1" in tx.locations()
        tx.append([worker()])
        assert tx.roster()["W1"].location_id == "L1"
        assert tx.added == 2
    assert led.count() == 2
    seen: list[bool] = []

    def fail_after_append() -> None:
        with led.write(actor="a", now=NOW) as tx:
            tx.append([worker("W2")])
            seen.append("W2" in tx.roster())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_after_append()
    assert seen == [True]
    assert "W2" not in led.roster()
    assert led.head()[0] == 2


def test_extend_streams_without_records(led: Ledger) -> None:
    t = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    stream = (punch("W1", t + timedelta(minutes=i)) for i in range(250))
    with led.write(actor="a", now=NOW) as tx:
        assert tx.extend(stream, chunk=100) == 250
        assert tx.extend(iter([punch("W1", t)]), chunk=100) == 0  # duplicate of an earlier chunk
    assert led.count() == 250
    assert led.verify().ok


def test_prepared_events_append_as_the_events_would(tmp_path: Path) -> None:
    """Events checked and written ahead (``prepare``: a pay run's, beside its pool) append the same
    rows, chain and folded tables as the events themselves; a prepared key already present is skipped."""
    t = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    events = [*company(), punch("W1", t), punch("W1", t + timedelta(hours=8), "out")]
    plain, early = Ledger.open(tmp_path / "plain.db"), Ledger.open(tmp_path / "early.db")
    try:
        plain.append(events, actor="ana", now=NOW)
        with early.write(actor="ana", now=NOW) as tx:
            added = tx.append(prepare(events))
            assert tx.append(prepare(events[:3])) == []  # keyed, already there
        assert [(e.seq, e.kind, e.payload, e.key, e.worker_id) for e in added] == [
            (e.seq, e.kind, e.payload, e.key, e.worker_id) for e in plain.events()
        ]
        columns = "seq, recorded_at, actor, kind, payload, key, worker_id"
        assert (
            early.connection.execute(f"SELECT {columns} FROM events").fetchall()
            == plain.connection.execute(f"SELECT {columns} FROM events").fetchall()
        )
        assert dump_all(early.connection) == dump_all(plain.connection)
        assert early.verify().ok
    finally:
        plain.close()
        early.close()


def test_prepare_refuses_what_an_append_refuses(led: Ledger) -> None:
    """``prepare`` checks an event as an append does: the same refusal, raised before anything is written."""
    bad = NewEvent("worker.rate_changed", {"worker_id": "W1", "rate": 20.5, "effective": "2026-11-01"})
    with pytest.raises(ValueError, match="rate") as early:
        prepare([location(), bad])
    with pytest.raises(ValueError, match="rate") as late:
        led.append([location(), bad], actor="a", now=NOW)
    assert str(early.value) == str(late.value)
    assert led.count() == 0


def test_reads(led: Ledger) -> None:
    led.append(company(), actor="a", now=NOW)
    roster = led.roster()
    assert sorted(roster) == ["M1", "W1", "W2"]
    w1 = roster["W1"]
    assert w1.rates == (
        RateChange(date(2026, 10, 1), Decimal("20.00")),
        RateChange(date(2026, 11, 1), Decimal("21.25")),
    )
    assert w1.rate_on(date(2026, 11, 2)) == Decimal("21.25")
    assert w1.manager_id == "M1"
    assert roster["W2"].type == "1099"
    assert roster["M1"].rates[0].effective == date(1, 1, 1)
    assert led.locations()["L2"].state == "NV"
    punches = led.punches("W1")
    assert [p.kind for p in punches] == ["in", "break_start", "break_end", "out"]
    assert punches[1].break_type == "DEFAULT_UNPAID"
    assert isinstance(punches[0], PunchRecord)
    assert punches[0].at == datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    assert [p.worker_id for p in led.punches()] == ["W1"] * 4 + ["W2"]
    window = led.punches(start=datetime(2026, 11, 2, 20, 0, tzinfo=UTC), end=datetime(2026, 11, 2, 23, 0, tzinfo=UTC))
    assert [p.kind for p in window] == ["break_start", "break_end"]
    w2 = led.punches("W2")[0]
    assert (w2.location_id, w2.rate) == ("L1", "50.00")


def test_event_filters(led: Ledger) -> None:
    led.append(company()[:5], actor="a", now=NOW)
    led.append(company()[5:], actor="b", now=NOW + timedelta(days=2))
    assert [e.kind for e in led.events(kind="worker.")] == ["worker.added"] * 3 + ["worker.rate_changed"]
    assert [e.seq for e in led.events(kind="punch.recorded", worker_id="W2")] == [11]
    assert [e.seq for e in led.events(since=date(2026, 11, 3))] == list(range(6, 13))
    assert [e.seq for e in led.events(until=date(2026, 11, 2))] == list(range(1, 6))
    assert [e.seq for e in led.events(limit=2)] == [11, 12]
    assert [e.seq for e in led.events(kind="worker.", limit=1)] == [6]


def test_shift_entries_fold_edits_and_deletes(led: Ledger) -> None:
    led.append(
        [
            shift("S-1", "W1", "2026-11-03T16:00:00Z", "2026-11-04T00:00:00Z"),
            shift("S-2", "W1", None, None, day="2026-11-05", minutes=480, pay_type="PTO"),
        ],
        actor="a",
        now=NOW,
    )
    led.append(
        [
            shift(
                "S-1",
                "W1",
                "2026-11-03T16:00:00Z",
                "2026-11-04T01:00:00Z",
                kind="shift.edited",
                reason="stayed late",
                breaks=[
                    {
                        "start": "2026-11-03T20:00:00Z",
                        "end": "2026-11-03T20:30:00Z",
                        "type_code": "DEFAULT_UNPAID",
                        "paid": False,
                    }
                ],
            ),
            NewEvent("shift.deleted", {"shift_id": "S-2", "reason": "entered twice"}, worker_id="W1"),
        ],
        actor="a",
        now=NOW,
    )
    (s1,) = led.shift_entries("W1")
    assert s1.end == datetime(2026, 11, 4, 1, 0, tzinfo=UTC)
    assert (s1.entered_seq, s1.last_seq, s1.reason) == (1, 3, "stayed late")
    assert s1.breaks[0]["type_code"] == "DEFAULT_UNPAID"
    s2 = next(s for s in led.shift_entries(include_deleted=True) if s.shift_id == "S-2")
    assert s2.deleted
    assert s2.day == date(2026, 11, 5)
    assert s2.minutes == 480
    assert s2.pay_type == "PTO"


def test_rules_adopted(led: Ledger) -> None:
    texts = ["federal { }", "federal { weekly 40 }"]
    led.append(
        [
            NewEvent(
                "rules.adopted",
                {"sha256": hashlib.sha256(t.encode()).hexdigest(), "file": "rules.ot", "text": t, "effective": eff},
            )
            for t, eff in zip(texts, ["2026-07-01", "2026-01-01"], strict=True)
        ],
        actor="a",
        now=NOW,
    )
    versions = led.rules_adopted()
    assert [v.effective for v in versions] == [date(2026, 1, 1), date(2026, 7, 1)]
    assert versions[0].text == texts[1]


def test_worker_changes_and_pins(led: Ledger) -> None:
    led.append([location(), location("L2"), worker()], actor="a", now=NOW)
    led.append(
        [
            NewEvent("worker.changed", {"worker_id": "W1", "location_id": "L2", "role": "admin"}, worker_id="W1"),
            NewEvent("location.changed", {"location_id": "L2", "name": "Warehouse"}),
            NewEvent("worker.pin_set", {"worker_id": "W1", "pin_hash": "ab" * 32}, worker_id="W1"),
        ],
        actor="a",
        now=NOW,
    )
    w = led.roster()["W1"]
    assert (w.location_id, w.role, w.active) == ("L2", "admin", True)
    assert led.locations()["L2"].name == "Warehouse"
    assert led.workers_for_pin_hash("ab" * 32) == ["W1"]
    led.append(
        [
            NewEvent("worker.changed", {"worker_id": "W1", "active": False}, worker_id="W1"),
            NewEvent("worker.pin_set", {"worker_id": "W1", "pin_hash": None}, worker_id="W1"),
        ],
        actor="a",
        now=NOW,
    )
    assert not led.roster()["W1"].active
    assert led.workers_for_pin_hash("ab" * 32) == []


def test_records_are_frozen(led: Ledger) -> None:
    (e,) = led.append([location()], actor="a", now=NOW)
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.seq = 5  # type: ignore[misc]
    assert isinstance(e, Event)


def test_triggers_abort_update_and_delete(led: Ledger) -> None:
    led.append([location()], actor="a", now=NOW)
    conn = led.connection
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events")
    assert led.count() == 1
    assert led.verify().ok


def test_money_is_text_never_real(led: Ledger) -> None:
    led.append(company(), actor="a", now=NOW)
    conn = led.connection
    assert conn.execute("SELECT DISTINCT typeof(rate) FROM worker_rates").fetchall() == [("text",)]
    rates = conn.execute(
        "SELECT DISTINCT typeof(json_extract(payload, '$.rate')) FROM events WHERE kind = 'punch.recorded' "
        "AND json_extract(payload, '$.rate') IS NOT NULL"
    )
    assert rates.fetchall() == [("text",)]
    strict = conn.execute(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND strict = 0 AND name NOT LIKE 'sqlite_%'"
    )
    # The search index (FTS5's own tables, which cannot be STRICT) holds words of the roster, no money.
    assert sorted(strict.fetchall()) == [
        (f"workers_fts{suffix}",) for suffix in ("", "_config", "_data", "_docsize", "_idx")
    ]


def test_connection_settings(led: Ledger) -> None:
    conn = led.connection
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == schema.BUSY_TIMEOUT_MS


def test_new_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "ledger.db"
    Ledger.open(path).close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_missing_ledger_without_create(tmp_path: Path) -> None:
    with pytest.raises(OtError, match="no ledger at") as info:
        Ledger.open(tmp_path / "none.db", create=False)
    assert "ot demo" in info.value.render()
    assert not (tmp_path / "none.db").exists()


def test_not_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are not the droids\n" * 100)
    with pytest.raises(OtError, match="is not an ot ledger"):
        Ledger.open(path)


def test_memory_ledger() -> None:
    with Ledger.open(":memory:") as led:
        led.append([location()], actor="a", now=NOW)
        assert led.verify().ok


def test_schema_migrations_recorded(led: Ledger) -> None:
    rows = led.connection.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [m.version for m in schema.MIGRATIONS]
    assert led.schema_version() == schema.LATEST
    assert led.connection.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST


def test_version_1_ledger_opens_and_folds(tmp_path: Path) -> None:
    """A ledger written by an ot that knew only schema version 1 opens, migrates and keeps its events."""
    path = tmp_path / "old.db"
    with Ledger.open(":memory:") as scratch:  # only to compute genuine hashes
        events = scratch.append([location(), worker()], actor="old-ot", now=NOW)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute(schema.MIGRATIONS_TABLE)
    schema.MIGRATIONS[0].apply(conn)
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'v1', '2026-01-01T00:00:00Z')")
    for e in events:
        conn.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.seq,
                e.event_id,
                "2026-11-02T18:00:00Z",
                e.actor,
                e.kind,
                canonical_json(e.payload),
                e.key,
                e.worker_id,
                e.prev_hash,
                e.hash,
            ),
        )
    conn.execute("UPDATE meta SET value = ? WHERE name = 'head_seq'", ("2",))
    conn.execute("UPDATE meta SET value = ? WHERE name = 'head_hash'", (events[-1].hash,))
    conn.execute("COMMIT")
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'workers'").fetchone() is None
    conn.close()

    with Ledger.open(path) as led:
        assert led.schema_version() == schema.LATEST
        assert list(led.roster()) == ["W1"]
        assert list(led.locations()) == ["L1"]
        assert led.verify().ok
        assert len(led.pin_salt()) == 16
        led.append([worker("W2")], actor="new-ot", now=NOW)
        assert led.verify().ok


def test_version_12_ledger_migrates_to_the_punch_free_key_index(tmp_path: Path) -> None:
    """Schema v13 rebuilds ``events`` without ``key TEXT UNIQUE``: the same rows and chain, the
    append-only triggers again, and a unique index of keys that leaves punches out. Punches already
    in the ledger are still found (by worker, instant and kind) and never added twice."""
    path = tmp_path / "v12.db"
    t = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    with Ledger.open(":memory:") as scratch:  # only to compute genuine hashes
        events = scratch.append(
            [location(), worker(), punch("W1", t), punch("W1", t + timedelta(hours=8), "out")], actor="old-ot", now=NOW
        )
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute(schema.MIGRATIONS_TABLE)
    for migration in schema.MIGRATIONS:
        if migration.version > 12:
            break
        migration.apply(conn)
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'old', '2026-01-01T00:00:00Z')", (migration.version,))
    conn.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
        [
            (
                e.seq,
                e.event_id,
                iso_utc(NOW),
                e.actor,
                e.kind,
                canonical_json(e.payload),
                e.key,
                e.worker_id,
                e.prev_hash,
                e.hash,
            )
            for e in events
        ],
    )
    conn.execute("UPDATE meta SET value = '4' WHERE name = 'head_seq'")
    conn.execute("UPDATE meta SET value = ? WHERE name = 'head_hash'", (events[-1].hash,))
    conn.execute("COMMIT")
    assert "key TEXT UNIQUE" in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    conn.close()

    with Ledger.open(path) as led:
        assert led.schema_version() == schema.LATEST
        c = led.connection
        assert "key TEXT UNIQUE" not in c.execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()[0]
        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'events'")}
        assert {"events_key", "events_punch", "events_no_update", "events_no_delete"} <= names
        assert led.head() == (4, events[-1].hash)
        assert led.verify().ok
        assert led.append([punch("W1", t), location()], actor="new-ot", now=NOW) == []
        added = led.append([punch("W1", t, "break_start", break_type="DEFAULT_UNPAID")], actor="new-ot", now=NOW)
        assert [e.seq for e in added] == [5]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            c.execute("DELETE FROM events WHERE seq = 1")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            c.execute(
                "INSERT INTO events VALUES (99, 'x', '', 'a', 'location.added', '{}', ?, NULL, '', '', NULL, NULL)",
                (events[0].key,),
            )
        assert led.verify().ok


@pytest.mark.sqlite_only("writes an event into the ledger file by hand")
def test_verify_finds_a_punch_repeated_behind_the_ledger_s_back(tmp_path: Path) -> None:
    """Punches are out of the unique index of keys (schema v13): a punch copied in by hand, chained and
    hashed right, is still found, by the full verify and by the incremental one."""
    from ot.services.ledger import verify as service_verify

    path = tmp_path / "l.db"
    t = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    with Ledger.open(path) as led:
        led.append([location(), worker(), punch("W1", t)], actor="a", now=NOW)
    service_verify(path)  # the checkpoint: the next verify reads only what follows it
    with Ledger.open(path) as led:
        seq, prev = led.head()
        row = led.connection.execute("SELECT * FROM events WHERE seq = 3").fetchone()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    event_id = row[1][:-10] + f"{seq + 1:010x}"
    digest = event_hash(prev, seq + 1, event_id, *row[2:8])
    conn.execute(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
        (seq + 1, event_id, *row[2:8], prev, digest),
    )
    conn.execute("UPDATE meta SET value = ? WHERE name = 'head_seq'", (str(seq + 1),))
    conn.execute("UPDATE meta SET value = ? WHERE name = 'head_hash'", (digest,))
    conn.close()
    incremental = service_verify(path)
    assert not incremental.ok
    assert "event 4: repeats the punch (worker, instant and kind) of event 3" in incremental.problems
    full = service_verify(path, full=True)
    assert "event 4: repeats the punch (worker, instant and kind) of event 3" in full.problems


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    with Ledger.open(path) as led:
        led.connection.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01T00:00:00Z')")
    with pytest.raises(OtError, match="newer than this ot knows") as info:
        Ledger.open(path)
    assert "upgrade ot" in info.value.render()


def test_rebuild_produces_the_same_tables(led: Ledger) -> None:
    led.append(company(), actor="a", now=NOW)
    led.append([rate_change("W1", "22.00", "2026-11-01")], actor="a", now=NOW)  # replaces a same-day rate
    before = dump_all(led.connection)
    assert sum(len(rows) for rows in before.values()) >= 8
    assert led.rebuild() == 13
    assert dump_all(led.connection) == before
    assert led.verify().ok


def test_busy_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "l.db"
    with Ledger.open(path) as first, Ledger.open(path) as second, first.write(actor="a", now=NOW) as tx:
        tx.append([location()])
        with pytest.raises(LedgerBusy, match="the ledger is busy: another ot is writing; try again"):
            second.append([location("L2")], actor="b", now=NOW)
    with Ledger.open(path) as led:
        assert list(led.locations()) == ["L1"]
        assert led.verify().ok


def test_set_meta(led: Ledger) -> None:
    led.set_meta("workweek_start", "sunday")
    assert led.meta("workweek_start") == "sunday"
    with pytest.raises(ValueError, match="kept by the ledger"):
        led.set_meta("head_hash", "0")
