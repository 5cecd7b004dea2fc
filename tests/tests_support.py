"""Helpers shared by tests (importable as ``tests_support``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

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


# The small company of the ``small_ledger`` fixture (tests/conftest.py), as the CSV files it imports.
SMALL_LOCATIONS = (
    "location_id,name,state,timezone\nLA,Los Angeles,CA,America/Los_Angeles\nHOU,Houston,TX,America/Chicago\n"
)
SMALL_WORKERS = (
    "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
    "A1,Ann Admin,W2,40.00,LA,,admin,,,\n"
    "M1,Max Manager,W2,30.00,LA,A1,manager,,,\n"
    "W1,Wes Worker,W2,20.00,LA,M1,worker,,,\n"
    "T1,Tia Texan,W2,18.00,HOU,M1,worker,,,\n"
)
# W1, Monday 2026-11-02 in Los Angeles: 07:00-17:30 with a 30-minute meal = 10 hours worked.
SMALL_PUNCHES = (
    "worker_id,time,kind,location_id,break_type\n"
    "W1,2026-11-02T07:00,in,,\n"
    "W1,2026-11-02T11:00,break_start,,\n"
    "W1,2026-11-02T11:30,break_end,,\n"
    "W1,2026-11-02T17:30,out,,\n"
)


def count_price_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The workers of each ``UnitOfWork.price`` call from now on (the call itself still runs)."""
    from ot.services.uow import UnitOfWork

    calls: list[tuple[str, ...]] = []
    real = UnitOfWork.price

    def counted(self: UnitOfWork, worker_ids: Sequence[str], *args: Any, **kwargs: Any) -> Any:
        calls.append(tuple(worker_ids))
        return real(self, worker_ids, *args, **kwargs)

    monkeypatch.setattr(UnitOfWork, "price", counted)
    return calls
