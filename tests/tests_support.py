"""Helpers shared by tests (importable as ``tests_support``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def ledger_dump(path: Path) -> list[tuple[object, ...]]:
    """Every stored event row, to compare a ledger before and after a refused command."""
    con = sqlite3.connect(path)
    try:
        return list(con.execute("SELECT * FROM events ORDER BY seq"))
    finally:
        con.close()
