"""``verify`` detects tampering by someone who drops the append-only triggers: one test per kind."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from ledger_helpers import NOW, company

from ledger.events import event_hash
from ledger.store import Ledger
from ot.cli import main


@pytest.fixture
def tampered(ledger_path: Path) -> Iterator[sqlite3.Connection]:
    """A 12-event ledger, and a raw connection to it with the triggers dropped."""
    with Ledger.open(ledger_path) as led:
        led.append(company()[:6], actor="a", now=NOW)
        led.append(company()[6:], actor="a", now=NOW)
        assert led.verify().ok
    conn = sqlite3.connect(ledger_path, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("DROP TRIGGER events_no_delete")
    yield conn
    conn.close()


def _report(path: Path) -> tuple[int | None, str]:
    with Ledger.open(path) as led:
        report = led.verify()
    assert not report.ok
    return report.first_bad_seq, "\n".join(report.problems)


def _rehash(conn: sqlite3.Connection, seq: int, prev: str) -> str:
    """Recompute one event's own hash (a careful forger), returning it."""
    row = conn.execute(
        "SELECT seq, event_id, recorded_at, actor, kind, payload, key, worker_id FROM events WHERE seq = ?", (seq,)
    ).fetchone()
    digest = event_hash(prev, *row)
    conn.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
    return digest


def test_edited_payload(tampered: sqlite3.Connection, ledger_path: Path) -> None:
    tampered.execute("UPDATE events SET payload = replace(payload, '21.25', '12.25') WHERE seq = 6")
    first, text = _report(ledger_path)
    assert first == 6
    assert "event 6: (worker.rate_changed) its hash does not match its contents" in text


def test_edited_payload_with_forged_hash(tampered: sqlite3.Connection, ledger_path: Path) -> None:
    """Rehashing the edited event breaks the link of the next one."""
    tampered.execute("UPDATE events SET payload = replace(payload, '21.25', '12.25') WHERE seq = 6")
    prev = tampered.execute("SELECT hash FROM events WHERE seq = 5").fetchone()[0]
    _rehash(tampered, 6, prev)
    first, text = _report(ledger_path)
    assert first == 7
    assert "event 7: (punch.recorded) does not link to the event before it" in text
    assert "derived table worker_rates differs from the events" in text


def test_deleted_event(tampered: sqlite3.Connection, ledger_path: Path) -> None:
    tampered.execute("DELETE FROM events WHERE seq = 4")
    first, text = _report(ledger_path)
    assert first == 4
    assert "event 4: missing: the next event found is 5" in text


def test_reordered_events(tampered: sqlite3.Connection, ledger_path: Path) -> None:
    tampered.execute("UPDATE events SET seq = -1 WHERE seq = 8")
    tampered.execute("UPDATE events SET seq = 8 WHERE seq = 9")
    tampered.execute("UPDATE events SET seq = 9 WHERE seq = -1")
    first, text = _report(ledger_path)
    assert first == 8
    assert "event 8: (punch.recorded) does not link to the event before it" in text


def test_truncated_tail(tampered: sqlite3.Connection, ledger_path: Path) -> None:
    tampered.execute("DELETE FROM events WHERE seq > 9")
    first, text = _report(ledger_path)
    assert first == 10
    assert "the ledger's head is event 12 but the last event is 9 (truncated?)" in text


def test_inserted_event_in_the_middle(tampered: sqlite3.Connection, ledger_path: Path) -> None:
    """Shift the tail up by one and slip a punch in at 7, even with a correct-looking own hash."""
    for seq in range(12, 6, -1):
        tampered.execute("UPDATE events SET seq = seq + 1 WHERE seq = ?", (seq,))
    row = tampered.execute("SELECT * FROM events WHERE seq = 8").fetchone()
    prev = tampered.execute("SELECT hash FROM events WHERE seq = 6").fetchone()[0]
    forged = (7, "forged-id", *row[2:5], row[5].replace("16:00:00Z", "15:00:00Z"), "forged-key", *row[7:8], prev, "")
    tampered.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)", forged)
    _rehash(tampered, 7, prev)
    first, text = _report(ledger_path)
    assert first == 7  # its key is not its punch's (schema v13 checks what a punch key hashes)
    assert "event 7: (punch.recorded) its key is not the key of its worker, instant and kind" in text
    assert "event 8: (punch.recorded) does not link to the event before it" in text


def test_inserted_event_at_the_end(tampered: sqlite3.Connection, ledger_path: Path) -> None:
    """A well-formed event appended behind the ledger's back: the head in meta gives it away."""
    row = tampered.execute("SELECT * FROM events WHERE seq = 12").fetchone()
    tampered.execute(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
        (13, "forged", *row[2:6], "k13", row[7], row[9], ""),
    )
    _rehash(tampered, 13, row[9])
    first, text = _report(ledger_path)
    assert first == 13
    assert "the ledger's head is event 12 but events run to 13" in text


def test_edited_derived_table(tampered: sqlite3.Connection, ledger_path: Path) -> None:
    tampered.execute("UPDATE worker_rates SET rate = '99.00' WHERE worker_id = 'W1'")
    first, text = _report(ledger_path)
    assert first is None
    assert (
        "derived table worker_rates differs from the events (first at 'W1': has ('W1', '2026-10-01', '99.00', 4, None, "
        "None), the events give ('W1', '2026-10-01', '20.00', 4, None, None)): run `ot ledger rebuild`"
    ) in text
    with Ledger.open(ledger_path) as led:
        led.rebuild()
        assert led.verify().ok


def test_missing_and_extra_derived_rows(tampered: sqlite3.Connection, ledger_path: Path) -> None:
    tampered.execute("DELETE FROM worker_rates WHERE worker_id = 'W2'")
    tampered.execute("INSERT INTO locations VALUES ('L9', 'Nowhere', 'TX', 'America/Chicago', 99, NULL, NULL)")
    first, text = _report(ledger_path)
    assert first is None
    assert (
        "derived table locations differs from the events (('L9', 'Nowhere', 'TX', 'America/Chicago', 99, None, None) is not from any event)"
        in text
    )
    assert "derived table worker_rates differs from the events (lacks ('W2'," in text


def test_cli_verify_names_the_first_bad_event(tampered: sqlite3.Connection, ledger_path: Path, cli: CliRunner) -> None:
    tampered.execute("DELETE FROM events WHERE seq = 3")
    result = cli.invoke(main, ["ledger", "verify"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "ledger NOT verified: first bad event 3 (11 events read)"
    assert "event 3: missing" in result.stdout


def test_cli_verify_ok(ledger_path: Path, cli: CliRunner) -> None:
    with Ledger.open(ledger_path) as led:
        led.append(company(), actor="a", now=NOW)
        head = led.head()[1]
    result = cli.invoke(main, ["ledger", "verify"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"ledger verified: 12 events, head {head}\n"
    assert result.stderr == "verified everything, from the first event\n"
    again = cli.invoke(main, ["ledger", "verify"])
    assert again.stdout == f"ledger verified: 12 events (0 read after the checkpoint), head {head}\n"
    assert again.stderr.startswith("verified from checkpoint at seq 12 (")
