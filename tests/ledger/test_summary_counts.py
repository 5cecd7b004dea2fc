"""Issue 15: the summary's events and punches are those the last verified checkpoint holds (under this user's
verify key, ``ot.services.verify_checkpoint.verified_counts``) plus those recorded after it, not a count of
every punch; counts it cannot trust are refused and everything is counted, with the same figures.

Each test compares with the oracle of ``test_summary_costs`` (every punch read, every shift paired)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_summary_costs import _generated, same_figures
from test_verify_incremental import START, WHEN

from ot.services import ledger as ledger_service
from ot.services import summary
from ot.services.imports import import_file
from ot.services.verify_checkpoint import checkpoint_paths
from tests.pg_server import on_postgresql


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generated(tmp_path_factory.mktemp("summary-counts"))


@pytest.fixture
def ledger(master: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    shutil.copy(master, path)
    return path


@pytest.fixture
def full_counts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records each count of every event and punch (the summary without counts it can trust)."""
    calls: list[int] = []
    real = summary.count_everything

    def counted(conn: sqlite3.Connection) -> tuple[int, int]:
        calls.append(1)
        return real(conn)

    monkeypatch.setattr(summary, "count_everything", counted)
    return calls


def _more_punches(path: Path) -> None:
    """Punches recorded after the checkpoint (a worker's late clock-ins of the open period)."""
    csv = path.with_name("late.csv")
    csv.write_text(f"worker_id,time,kind,location_id,break_type\nW4,{START}T09:00,in,,\nW4,{START}T17:00,out,,\n")
    import_file(path, "punches", csv, actor="A1", now=WHEN)


def _claim(path: Path) -> dict[str, object]:
    return dict(json.loads(checkpoint_paths(path)[1].read_text()))


def test_without_a_checkpoint_every_punch_is_counted(ledger: Path, full_counts: list[int]) -> None:
    same_figures(ledger)
    assert full_counts


def test_after_a_verify_only_the_events_after_its_checkpoint_are_counted(ledger: Path, full_counts: list[int]) -> None:
    report = ledger_service.verify(ledger)
    claim = _claim(ledger)
    assert (claim["seq"], claim["events"]) == (report.last_seq, report.last_seq)
    with sqlite3.connect(ledger) as conn:
        (punches,) = conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'punch.recorded'").fetchone()
    conn.close()
    assert claim["punches"] == punches
    _more_punches(ledger)
    got = same_figures(ledger)
    assert got.punches == punches + 2
    assert not full_counts  # the punches before the checkpoint were not counted again


def test_an_incremental_verify_keeps_counts_that_add_up(ledger: Path, full_counts: list[int]) -> None:
    ledger_service.verify(ledger)
    _more_punches(ledger)
    report = ledger_service.verify(ledger)
    assert report.started > 0
    assert report.punches == 2
    claim = _claim(ledger)
    full = ledger_service.verify(ledger, full=True)
    assert (claim["events"], claim["punches"]) == (full.events, full.punches)
    same_figures(ledger)
    assert not full_counts


def test_counts_edited_in_the_mac_file_are_refused(ledger: Path, full_counts: list[int]) -> None:
    """The checkpoint itself stays trusted (its own MAC does not cover the counts); the counts are not: the
    summary counts everything, verify warns, counts again and keeps sound ones."""
    ledger_service.verify(ledger)
    mac_file = checkpoint_paths(ledger)[1]
    claim = _claim(ledger)
    claim["punches"] = int(str(claim["punches"])) + 100
    mac_file.write_text(json.dumps(claim))
    same_figures(ledger)
    assert full_counts
    report = ledger_service.verify(ledger)
    assert report.ok
    assert report.started > 0
    assert report.notes[0] == (
        f"warning: the event counts kept in {mac_file} were refused (their MAC does not match: edited?); verify "
        "counted them again; if nobody should have edited that file, run `ot ledger verify --full`"
    )
    assert _claim(ledger)["punches"] == int(str(claim["punches"])) - 100
    full_counts.clear()
    same_figures(ledger)
    assert not full_counts


def test_a_checkpoint_kept_without_counts_gets_them_at_the_next_verify(ledger: Path, full_counts: list[int]) -> None:
    """A checkpoint of the ot before counts: trusted, counted once in SQL, no warning."""
    ledger_service.verify(ledger)
    mac_file = checkpoint_paths(ledger)[1]
    claim = _claim(ledger)
    mac_file.write_text(json.dumps({k: claim[k] for k in ("seq", "hash", "mac")}))
    same_figures(ledger)
    assert full_counts
    _more_punches(ledger)
    report = ledger_service.verify(ledger)
    assert report.started == claim["seq"]
    assert report.notes[0].startswith("verified from checkpoint at seq")
    full_counts.clear()
    same_figures(ledger)
    assert not full_counts


def test_counts_of_another_user_are_not_trusted(
    ledger: Path, full_counts: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger_service.verify(ledger)
    monkeypatch.setenv("OT_KEYS", str(tmp_path / "someone-elses-keys"))
    same_figures(ledger)
    assert full_counts


def test_counts_of_an_event_rewritten_since_are_not_trusted(
    ledger: Path, full_counts: list[int], request: pytest.FixtureRequest
) -> None:
    """The checkpointed event must still hash to what was recorded (a rewritten chain moves it)."""
    if on_postgresql(request.config):
        pytest.skip("tampers the ledger file; on PostgreSQL the file is a replica, refused when it differs")
    head = ledger_service.verify(ledger).last_seq
    conn = sqlite3.connect(ledger, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS events_no_update")
    conn.execute("UPDATE events SET recorded_at = '2030-01-01T00:00:00Z' WHERE seq = ?", (head,))
    conn.close()
    got = summary.summarize(ledger)
    assert full_counts
    assert got.events == head


def test_the_demo_summary_after_a_verify_is_unchanged(tmp_path: Path, full_counts: list[int]) -> None:
    from ot.services.imports import load_demo

    path = tmp_path / "demo.db"
    load_demo(path, actor="tester", now=datetime(2026, 11, 16, 12, 0, tzinfo=UTC))
    before = summary.ledger_summary(path)
    ledger_service.verify(path)
    full_counts.clear()
    assert summary.ledger_summary(path) == before
    assert not full_counts


def _raw_punches(path: Path, worker: str, *instants: str) -> None:
    """Punches appended as another process would (no import refuses a date outside 1900-2100 here)."""
    from tests_support import punch_event

    from ledger.store import Ledger

    with Ledger.open(path) as led:
        led.append(
            [punch_event(worker, at, "in") for at in instants], actor="A1", now=datetime(2026, 11, 1, tzinfo=UTC)
        )


@pytest.fixture
def seeks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records each search of the edges over the whole punch index (per-worker seeks)."""
    calls: list[int] = []
    real = summary.punch_edges

    def counted(conn: sqlite3.Connection) -> object:
        calls.append(1)
        return real(conn)

    monkeypatch.setattr(summary, "punch_edges", counted)
    return calls


def test_the_edges_come_from_the_checkpoint_and_the_punches_after_it(
    ledger: Path, full_counts: list[int], seeks: list[int]
) -> None:
    """After a verify the summary's first and last day and its punches dated outside 1900-2100 are the
    checkpoint's joined with those recorded after it: no seek over every worker's punches (at 10,000
    workers with 5 paid periods those seeks made the summary 2.26x slower than without history)."""
    before = same_figures(ledger)
    seeks.clear()
    full_counts.clear()
    report = ledger_service.verify(ledger)
    assert report.ok
    first, _last, ignored = _claim(ledger)["edges"]  # type: ignore[misc]
    assert ignored == 0
    assert str(first)[:10] <= str(before.first_day)
    # earlier and later than any punch, and outside the years read as work
    _raw_punches(
        ledger, "W2", "2019-03-01T15:00:00Z", "2031-05-01T15:00:00Z", "1899-12-31T23:59:59Z", "2101-01-01T00:00:00Z"
    )
    got = same_figures(ledger)
    assert (got.first_day, got.last_day, got.ignored_punches) == (
        datetime(2019, 3, 1).date(),
        datetime(2031, 5, 1).date(),
        2,
    )
    assert got.punches == before.punches + 2
    assert not seeks
    assert not full_counts
    # the next verify keeps them, joined
    ledger_service.verify(ledger)
    assert _claim(ledger)["edges"] == ["2019-03-01T15:00:00Z", "2031-05-01T15:00:00Z", 2]
    assert same_figures(ledger) == got
    assert not seeks


def test_edges_edited_in_the_mac_file_are_refused(ledger: Path, full_counts: list[int], seeks: list[int]) -> None:
    ledger_service.verify(ledger)
    mac_file = checkpoint_paths(ledger)[1]
    claim = _claim(ledger)
    claim["edges"] = ["1990-01-01T00:00:00Z", claim["edges"][1], 0]  # type: ignore[index]
    mac_file.write_text(json.dumps(claim))
    same_figures(ledger)  # the oracle's first day, not 1990's
    assert full_counts
    assert seeks


def test_a_mac_file_kept_before_the_edges_keeps_its_counts(
    ledger: Path, full_counts: list[int], seeks: list[int]
) -> None:
    """The MAC file of the ot before the edges (counts under the first MAC form, no edges): its counts are
    trusted, the edges sought; the next verify keeps them."""
    from ledger.store import Ledger
    from ot.services import verify_checkpoint as vc

    ledger_service.verify(ledger)
    mac_file = checkpoint_paths(ledger)[1]
    claim = _claim(ledger)
    key = vc._key(False)
    assert key is not None
    with Ledger.open(ledger) as led:
        ledger_id = led.ledger_id()
    old = {k: claim[k] for k in ("seq", "hash", "mac", "events", "punches")}
    old["counts_mac"] = vc._counts_mac(
        key,
        ledger_id,
        int(str(claim["seq"])),
        str(claim["hash"]),
        int(str(claim["events"])),
        int(str(claim["punches"])),
    )
    mac_file.write_text(json.dumps(old))
    full_counts.clear()
    seeks.clear()
    same_figures(ledger)
    assert not full_counts
    assert seeks
    ledger_service.verify(ledger)
    assert "edges" in _claim(ledger)
