"""Tamper evidence that holds: edit, delete, reorder, truncate and insert, naive and scheme-aware.

A sealed ledger (the first admin bootstrapped, every write sealed with an enrolled
Ed25519 key): someone with the file but no enrolled private key changes it,

- naively: the SQL change alone;
- scheme-aware: the SQL change, then the hash chain recomputed from there, the
  head in ``meta`` moved to match, and the derived tables rebuilt (what anyone
  who reads ledger/events.py can do).

``ot ledger verify --full`` must catch every one (a truncation that leaves a consistent
prefix is caught against a checkpoint kept elsewhere: ``ot ledger checkpoint``). Without
``--full``, verify starts from its last verified checkpoint and does not re-read the events
before it: a naive edit of one of those is for ``--full``
(``tests/ledger/test_verify_incremental.py``).
The test prints the score table (10/10 expected).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ledger.events import NewEvent, event_hash
from ledger.store import Ledger
from ot.services.keys import init_key
from ot.services.ledger import checkpoint, verify
from ot.services.users import enrol

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def _location(i: int) -> NewEvent:
    return NewEvent(
        "location.added",
        {"location_id": f"L{i}", "name": f"Site {i}", "state": "TX", "timezone": "America/Chicago"},
        key=f"loc:L{i}",
    )


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A ledger of 1 enrolment + 8 sealed appends (one event each), and a checkpoint of its head."""
    folder = tmp_path_factory.mktemp("sealed")
    path = folder / "ledger.db"
    mp = pytest.MonkeyPatch()
    mp.setenv("OT_KEYS", str(folder / "keys"))
    try:
        init_key("ADM")
        enrol(path, "ADM", bootstrap=True, actor="ADM", now=NOW)
        from ot.services.keys import load_signer

        signer = load_signer("ADM")
        with Ledger.open(path) as led:
            for i in range(8):
                with led.write(actor="ADM", now=NOW + timedelta(minutes=i), signer=signer) as tx:
                    tx.append([_location(i)])
        checkpoint(path, folder / "checkpoint.json", actor="ADM", now=NOW)
    finally:
        mp.undo()
    return path, folder / "checkpoint.json"


def _rechain(conn: sqlite3.Connection) -> None:
    """What a scheme-aware forger does: recompute every hash from the first event, move the head."""
    prev = "0" * 64
    rows = conn.execute(
        "SELECT seq, event_id, recorded_at, actor, kind, payload, key, worker_id FROM events ORDER BY seq"
    ).fetchall()
    conn.execute("DROP TRIGGER IF EXISTS events_no_update")
    for seq, event_id, at, actor, kind, payload, key, wid in rows:
        digest = event_hash(prev, seq, event_id, at, actor, kind, payload, key, wid)
        conn.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest
    last = rows[-1][0] if rows else 0
    conn.execute("UPDATE meta SET value = ? WHERE name = 'head_seq'", (str(last),))
    conn.execute("UPDATE meta SET value = ? WHERE name = 'head_hash'", (prev,))


def _edit(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET payload = replace(payload, 'Site 3', 'Site X') WHERE seq = 5")


def _delete(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute("DELETE FROM events WHERE seq = 5")
    conn.execute("DROP TRIGGER IF EXISTS events_no_update")
    conn.execute("UPDATE events SET seq = seq - 1 WHERE seq > 5")


def _reorder(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET seq = 100 WHERE seq = 4")
    conn.execute("UPDATE events SET seq = 4 WHERE seq = 5")
    conn.execute("UPDATE events SET seq = 5 WHERE seq = 100")


def _truncate(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute("DELETE FROM events WHERE seq > 6")


def _insert(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER events_no_update")
    for seq in range(9, 4, -1):
        conn.execute("UPDATE events SET seq = seq + 1 WHERE seq = ?", (seq,))
    row = conn.execute("SELECT * FROM events WHERE seq = 4").fetchone()
    conn.execute(
        "INSERT INTO events VALUES (5, 'forged', ?, ?, ?, ?, 'loc:L99', NULL, '', '', NULL, NULL)",
        (row[2], row[3], row[4], row[5].replace('"L2"', '"L99"')),
    )


CLASSES: dict[str, Callable[[sqlite3.Connection], None]] = {
    "edit": _edit,
    "delete": _delete,
    "reorder": _reorder,
    "truncate": _truncate,
    "insert": _insert,
}
SCORE: dict[tuple[str, str], bool] = {}


@pytest.mark.sqlite_only(
    reason="tampers the ledger file; on PostgreSQL the file is a replica, refused when it differs "
    "from the database (tests/ledger/test_ledger_pg.py)"
)
@pytest.mark.parametrize("aware", [False, True], ids=["naive", "scheme-aware"])
@pytest.mark.parametrize("name", list(CLASSES))
def test_every_tampering_is_caught(sealed: tuple[Path, Path], tmp_path: Path, name: str, aware: bool) -> None:
    source, point = sealed
    path = tmp_path / "ledger.db"
    shutil.copy(source, path)
    assert verify(path, point).ok
    conn = sqlite3.connect(path, isolation_level=None)
    CLASSES[name](conn)
    if aware:
        _rechain(conn)
    conn.close()
    if aware:
        with Ledger.open(path) as led:
            led.rebuild()
    report = verify(path, point, full=True)
    SCORE[(name, "scheme-aware" if aware else "naive")] = not report.ok
    assert not report.ok, f"{name} ({'scheme-aware' if aware else 'naive'}) went unseen"
    if aware and name != "truncate":
        assert any("seal" in p or "not sealed" in p for p in report.problems), report.problems


def test_a_checkpoint_forged_without_a_key_is_refused(sealed: tuple[Path, Path], tmp_path: Path) -> None:
    import json

    source, point = sealed
    body = json.loads(point.read_text())
    body["seq"] = 3
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(body))
    report = verify(source, forged)
    assert not report.ok
    assert any("forged checkpoint" in p for p in report.problems)


def test_a_write_as_a_user_whose_key_is_not_held_is_refused(sealed: tuple[Path, Path], tmp_path: Path) -> None:
    """--as only chooses among the keys you hold: claiming the admin without their key writes nothing."""
    from ot.core.errors import PermissionDenied
    from ot.services.periods import set_employer

    path = tmp_path / "ledger.db"
    shutil.copy(sealed[0], path)
    with pytest.raises(PermissionDenied, match="you hold no key of 'ADM'"):
        set_employer(path, name="Forged Inc", address=[], actor="ADM", now=NOW)
    assert verify(path).ok
