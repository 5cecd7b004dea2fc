"""Ledger invariants under random histories built through the API (hypothesis stateful).

After any sequence of appends (locations, workers, changes, rate changes, PINs,
punches, duplicate keys, batches), the derived tables equal an independent fold
of the appended events kept by the test, a rebuild changes nothing, and verify
passes; any single mutation of a stored event (triggers dropped, on a copy)
fails verify.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from ledger_helpers import dump_all, location, punch, rate_change, worker

from ledger.events import NewEvent
from ledger.store import Ledger
from ot.core.domain import PUNCH_KINDS, RateChange

WIDS = st.sampled_from(["W1", "W2", "W3", "W4"])
LIDS = st.sampled_from(["L1", "L2", "L3"])
STATES = st.sampled_from([("CA", "America/Los_Angeles"), ("NY", "America/New_York"), ("AK", "America/Anchorage")])
RATES = st.decimals(min_value=Decimal("7.25"), max_value=Decimal("99.99"), places=2).map(str)
DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
BASE = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
ACTORS = st.sampled_from(["ana", "bo", "Zoë"])


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.led = Ledger.open(":memory:")
        self.now = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
        self.keys: set[str] = set()
        self.appended: list[NewEvent] = []
        self.history: list[NewEvent] = []

    @initialize()
    def start(self) -> None:
        self._append([location("L1")])

    def teardown(self) -> None:
        self.led.close()

    # --- the model: which events should have been added ---------------------

    def _append(self, events: list[NewEvent], actor: str = "ana") -> None:
        expected: list[NewEvent] = []
        for e in events:
            if e.key is not None:
                if e.key in self.keys:
                    continue
                self.keys.add(e.key)
            expected.append(e)
        self.now += timedelta(seconds=1)
        added = self.led.append(events, actor=actor, now=self.now)
        assert [(a.kind, dict(a.payload), a.key) for a in added] == [(e.kind, dict(e.payload), e.key) for e in expected]
        self.appended.extend(expected)
        self.history.extend(events)

    # --- rules ----------------------------------------------------------------

    @rule(lid=LIDS, st_tz=STATES, actor=ACTORS)
    def add_location(self, lid: str, st_tz: tuple[str, str], actor: str) -> None:
        self._append([location(lid, st_tz[0], st_tz[1])], actor)

    @rule(lid=LIDS, name=st.text(min_size=1, max_size=8))
    def rename_location(self, lid: str, name: str) -> None:
        self._append([NewEvent("location.changed", {"location_id": lid, "name": name})])

    @rule(
        wid=WIDS,
        lid=LIDS,
        rate=st.none() | RATES,
        eff=st.none() | DAYS.map(str),
        role=st.sampled_from(["worker", "manager"]),
    )
    def add_worker(self, wid: str, lid: str, rate: str | None, eff: str | None, role: str) -> None:
        self._append([worker(wid, location_id=lid, rate=rate, effective=eff, role=role)])

    @rule(wid=WIDS, rate=RATES, eff=DAYS.map(str))
    def change_rate(self, wid: str, rate: str, eff: str) -> None:
        self._append([rate_change(wid, rate, eff)])

    @rule(wid=WIDS, lid=st.none() | LIDS, active=st.none() | st.booleans(), manager=st.none() | WIDS)
    def change_worker(self, wid: str, lid: str | None, active: bool | None, manager: str | None) -> None:
        changed: dict[str, Any] = {"worker_id": wid}
        if lid is not None:
            changed["location_id"] = lid
        if active is not None:
            changed["active"] = active
        if manager is not None:
            changed["manager_id"] = manager
        self._append([NewEvent("worker.changed", changed, worker_id=wid)])

    @rule(wid=WIDS, pin_hash=st.none() | st.sampled_from(["a" * 64, "b" * 64]))
    def set_pin(self, wid: str, pin_hash: str | None) -> None:
        self._append([NewEvent("worker.pin_set", {"worker_id": wid, "pin_hash": pin_hash}, worker_id=wid)])

    @rule(
        batch=st.lists(
            st.tuples(WIDS, st.integers(0, 60 * 24 * 14), st.sampled_from(PUNCH_KINDS), st.none() | LIDS),
            min_size=1,
            max_size=8,
        )
    )
    def punches(self, batch: list[tuple[str, int, str, str | None]]) -> None:
        self._append(
            [
                punch(
                    wid,
                    BASE + timedelta(minutes=minute),
                    kind,
                    location_id=lid,
                    break_type="DEFAULT_UNPAID" if kind == "break_start" else None,
                )
                for wid, minute, kind, lid in batch
            ]
        )

    @precondition(lambda self: bool(self.history))
    @rule(data=st.data())
    def repeat(self, data: st.DataObject) -> None:
        """Re-append events already given (keys are skipped, keyless events are added again)."""
        again = data.draw(st.lists(st.sampled_from(self.history), min_size=1, max_size=4))
        self._append(again)

    @rule(data=st.data())
    def mutate_a_copy(self, data: st.DataObject) -> None:
        """Any single change to a stored event makes verify fail (checked on a copy)."""
        copy = sqlite3.connect(":memory:", isolation_level=None)
        self.led.connection.backup(copy)
        copy.execute("DROP TRIGGER events_no_update")
        copy.execute("DROP TRIGGER events_no_delete")
        last = self.led.head()[0]
        seq = data.draw(st.integers(1, last), label="seq")
        column = data.draw(
            st.sampled_from(
                [
                    "seq",
                    "delete",
                    "event_id",
                    "recorded_at",
                    "actor",
                    "kind",
                    "payload",
                    "key",
                    "worker_id",
                    "prev_hash",
                    "hash",
                ]
            ),
            label="column",
        )
        if column == "delete":
            copy.execute("DELETE FROM events WHERE seq = ?", (seq,))
        elif column == "seq":
            copy.execute("UPDATE events SET seq = ? WHERE seq = ?", (last + data.draw(st.integers(1, 5)), seq))
        elif column == "payload":
            copy.execute("UPDATE events SET payload = '{\"x\":1,' || substr(payload, 2) WHERE seq = ?", (seq,))
        elif column in ("prev_hash", "hash"):
            copy.execute(
                f"UPDATE events SET {column} = CASE WHEN substr({column}, 1, 1) = '0' THEN '1' ELSE '0' END"
                f" || substr({column}, 2) WHERE seq = ?",
                (seq,),
            )
        elif column in ("key", "worker_id"):
            copy.execute(f"UPDATE events SET {column} = coalesce({column}, '') || '~' WHERE seq = ?", (seq,))
        elif column == "recorded_at":
            copy.execute("UPDATE events SET recorded_at = '2020-01-01T00:00:00Z' WHERE seq = ?", (seq,))
        else:
            copy.execute(f"UPDATE events SET {column} = {column} || 'x' WHERE seq = ?", (seq,))
        report = Ledger(copy, ":memory:").verify()
        copy.close()
        assert not report.ok
        assert report.first_bad_seq is not None
        assert report.first_bad_seq <= seq

    # --- invariants -------------------------------------------------------------

    @invariant()
    def derived_tables_equal_an_independent_fold(self) -> None:
        locations: dict[str, dict[str, Any]] = {}
        workers: dict[str, dict[str, Any]] = {}
        rates: dict[str, dict[str, str]] = {}
        pins: dict[str, str] = {}
        punches: list[tuple[str, str, str, str | None]] = []
        for e in self.appended:
            p = e.payload
            if e.kind == "location.added":
                locations[p["location_id"]] = dict(p)
            elif e.kind == "location.changed" and p["location_id"] in locations:
                locations[p["location_id"]]["name"] = p["name"]
            elif e.kind == "worker.added":
                workers[p["worker_id"]] = {**p, "active": True}
                if p["pay_rate"] is not None:
                    rates.setdefault(p["worker_id"], {})[p["rate_effective"] or "0001-01-01"] = p["pay_rate"]
            elif e.kind == "worker.changed" and p["worker_id"] in workers:
                workers[p["worker_id"]].update(p)
            elif e.kind == "worker.rate_changed":
                rates.setdefault(p["worker_id"], {})[p["effective"]] = p["rate"]
            elif e.kind == "worker.pin_set":
                if p["pin_hash"] is None:
                    pins.pop(p["worker_id"], None)
                else:
                    pins[p["worker_id"]] = p["pin_hash"]
            elif e.kind == "punch.recorded":
                punches.append((p["worker_id"], p["at"], p["kind"], p["location_id"]))
        got_locations = self.led.locations()
        assert {k: (v.name, v.state, v.timezone) for k, v in got_locations.items()} == {
            k: (v["name"], v["state"], v["timezone"]) for k, v in locations.items()
        }
        roster = self.led.roster()
        assert sorted(roster) == sorted(workers)
        for wid, w in roster.items():
            m = workers[wid]
            assert (w.location_id, w.manager_id, w.active, w.role) == (
                m["location_id"],
                m["manager_id"],
                m["active"],
                m["role"],
            )
            want = tuple(
                RateChange(date.fromisoformat(eff), Decimal(rate)) for eff, rate in sorted(rates.get(wid, {}).items())
            )
            assert w.rates == want
        for h in ("a" * 64, "b" * 64):
            assert self.led.workers_for_pin_hash(h) == sorted(w for w, x in pins.items() if x == h)
        got = [(p.worker_id, p.at.strftime("%Y-%m-%dT%H:%M:%SZ"), p.kind, p.location_id) for p in self.led.punches()]
        assert got == sorted(punches, key=lambda t: (t[0], t[1]))  # seq order breaks ties, as appended

    @invariant()
    def counts_and_keys(self) -> None:
        assert self.led.count() == len(self.appended)
        assert self.led.head()[0] == len(self.appended)

    @invariant()
    def verify_passes_and_rebuild_changes_nothing(self) -> None:
        assert self.led.verify().ok
        before = dump_all(self.led.connection)
        self.led.rebuild()
        assert dump_all(self.led.connection) == before


LedgerMachine.TestCase.settings = settings(stateful_step_count=20)  # max_examples: tests/conftest.py profile
TestLedgerMachine = LedgerMachine.TestCase
