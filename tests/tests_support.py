"""Helpers shared by tests (importable as ``tests_support``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ledger.events import NewEvent


def ledger_dump(path: Path) -> list[tuple[object, ...]]:
    """Every stored event row, to compare a ledger before and after a refused command."""
    con = sqlite3.connect(path)
    try:
        return list(con.execute("SELECT * FROM events ORDER BY seq"))
    finally:
        con.close()


def punch_event(worker_id: str, at: str, kind: str, break_type: str | None = None) -> NewEvent:
    """A raw ``punch.recorded`` event, as another process (a clock, an import) would append it."""
    payload = {
        "worker_id": worker_id,
        "at": at,
        "kind": kind,
        "location_id": None,
        "break_type": break_type,
        "rate": None,
        "source": "test",
    }
    return NewEvent("punch.recorded", payload, worker_id=worker_id)
