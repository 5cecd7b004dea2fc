"""docs/datasette.md: the documented read-only ways in open a real (WAL) ledger, read it, and
refuse every write; the snapshot holds the committed writes and the search index."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from search_roster import build
from tests_support import ledger_dump

from ledger.events import NewEvent
from ledger.store import Ledger

DOC = Path(__file__).resolve().parents[2] / "docs" / "datasette.md"


def _snapshot_command() -> str:
    """The Python one-liner of section 1, as the doc gives it."""
    text = DOC.read_text(encoding="utf-8")
    m = re.search(r'^python3 -c "(.+)"$', text, re.MULTILINE)
    assert m is not None, "the doc lost its snapshot command"
    return m.group(1).replace('\\"', '"')


@pytest.fixture
def roster(ledger_path: Path, tmp_path: Path) -> Path:
    return build(ledger_path, tmp_path)


def test_the_read_only_uri_reads_and_refuses_writes(roster: Path) -> None:
    before = ledger_dump(roster)
    conn = sqlite3.connect(f"file:{roster}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT COUNT(*) FROM workers").fetchone()[0] == 7
        for sql in (
            "DELETE FROM workers",
            "UPDATE workers SET name = 'x'",
            "INSERT INTO meta VALUES ('x', 'y')",
            "CREATE TABLE t (x)",
        ):
            with pytest.raises(sqlite3.OperationalError, match="readonly database"):
                conn.execute(sql)
    finally:
        conn.close()
    assert ledger_dump(roster) == before
    with Ledger.open(roster, create=False) as led:
        assert led.verify().ok


def test_the_documented_snapshot_is_immutable_and_complete(roster: Path, tmp_path: Path) -> None:
    """Run the doc's own command beside a ledger whose last writes may still be in the WAL; the
    snapshot opened with immutable=1 (what datasette --immutable does) has every worker, finds
    them through workers_fts, and refuses writes; the ledger is unchanged."""
    folder = roster.parent
    with Ledger.open(roster, create=False) as led:  # held open: its write stays in the WAL
        led.append(
            [NewEvent("worker.changed", {"worker_id": "T1", "name": "Tiana Quill"}, worker_id="T1")],
            actor="A1",
            now=datetime(2026, 11, 30, 12, tzinfo=UTC),
        )
        wal = Path(f"{roster}-wal")
        assert wal.exists()
        assert wal.stat().st_size > 0
        before = ledger_dump(roster)
        result = subprocess.run(
            [sys.executable, "-c", _snapshot_command().replace("ledger.db", roster.name)],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    view = folder / "ledger-view.db"
    conn = sqlite3.connect(f"file:{view}?immutable=1", uri=True)
    try:
        assert conn.execute("SELECT COUNT(*) FROM workers").fetchone()[0] == 7
        hits = conn.execute(
            "SELECT worker_id FROM workers WHERE rowid IN "
            "(SELECT rowid FROM workers_fts WHERE workers_fts MATCH '\"ali\"*') ORDER BY worker_id"
        ).fetchall()
        assert hits == [("W0123",), ("W0456",)]
        assert conn.execute("SELECT name FROM workers WHERE worker_id = 'T1'").fetchone() == ("Tiana Quill",)
        with pytest.raises(sqlite3.OperationalError, match="readonly database"):
            conn.execute("DELETE FROM events")
    finally:
        conn.close()
    assert ledger_dump(roster) == before
    again = subprocess.run(
        [sys.executable, "-c", _snapshot_command().replace("ledger.db", roster.name)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode != 0  # VACUUM INTO refuses an existing file, as the doc says
    assert "output file already exists" in again.stderr


def test_the_doc_names_every_table_it_explains() -> None:
    from ledger.schema import PROJECTION_TABLES

    text = DOC.read_text(encoding="utf-8")
    for table in ("events", *PROJECTION_TABLES, "workers_fts", "meta", "pin_failures"):
        assert f"`{table}`" in text, table
    assert "ot ledger verify" in text
    assert "datasette --immutable" in text
