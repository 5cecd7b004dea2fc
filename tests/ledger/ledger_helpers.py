"""Builders of ledger events for the store's tests (not a test module)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from ledger.events import NewEvent, punch_key
from ledger.schema import PROJECTION_TABLES
from ot.core.timez import iso_utc

NOW = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)


def location(lid: str = "L1", state: str = "CA", tz: str = "America/Los_Angeles", name: str | None = None) -> NewEvent:
    return NewEvent(
        "location.added",
        {"location_id": lid, "name": name or f"Site {lid}", "state": state, "timezone": tz},
        key=f"location.added:{lid}",
    )


def worker(
    wid: str = "W1",
    *,
    name: str | None = None,
    rate: str | None = "20.00",
    effective: str | None = None,
    location_id: str = "L1",
    manager_id: str | None = None,
    role: str = "worker",
    wtype: str = "W2",
) -> NewEvent:
    return NewEvent(
        "worker.added",
        {
            "worker_id": wid,
            "name": name or f"Worker {wid}",
            "type": wtype,
            "pay_rate": rate,
            "rate_effective": effective,
            "location_id": location_id,
            "manager_id": manager_id,
            "role": role,
        },
        key=f"worker.added:{wid}",
        worker_id=wid,
    )


def rate_change(wid: str, rate: str, effective: str) -> NewEvent:
    return NewEvent(
        "worker.rate_changed",
        {"worker_id": wid, "rate": rate, "effective": effective},
        key=f"rate:{wid}:{effective}:{rate}",
        worker_id=wid,
    )


def punch(
    wid: str,
    at: datetime,
    kind: str = "in",
    *,
    location_id: str | None = None,
    break_type: str | None = None,
    rate: str | None = None,
    source: str = "test",
) -> NewEvent:
    return NewEvent(
        "punch.recorded",
        {
            "worker_id": wid,
            "at": iso_utc(at),
            "kind": kind,
            "location_id": location_id,
            "break_type": break_type,
            "rate": rate,
            "source": source,
        },
        key=punch_key(wid, at, kind),
        worker_id=wid,
    )


def shift(shift_id: str, wid: str, start: str | None, end: str | None, **extra: Any) -> NewEvent:
    kind = extra.pop("kind", "shift.entered")
    payload: dict[str, Any] = {
        "shift_id": shift_id,
        "worker_id": wid,
        "start": start,
        "end": end,
        "day": None,
        "minutes": None,
        "breaks": [],
        "rate": None,
        "display_rate": None,
        "location_id": None,
        "pay_type": "REGULAR",
        "meal_waiver": False,
        "reason": "forgot to punch",
    }
    payload.update(extra)
    return NewEvent(kind, payload, worker_id=wid)


def company() -> list[NewEvent]:
    """A small company: two locations, three workers, a rate change, punches, a manual shift."""
    day = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    return [
        location("L1"),
        location("L2", "NV", "America/Los_Angeles"),
        worker("M1", role="manager", rate="30.00"),
        worker("W1", manager_id="M1", effective="2026-10-01"),
        worker("W2", manager_id="M1", location_id="L2", wtype="1099", rate="45.50"),
        rate_change("W1", "21.25", "2026-11-01"),
        punch("W1", day, "in"),
        punch("W1", day.replace(hour=20), "break_start", break_type="DEFAULT_UNPAID"),
        punch("W1", day.replace(hour=20, minute=30), "break_end"),
        punch("W1", day.replace(hour=23), "out"),
        punch("W2", day, "in", location_id="L1", rate="50.00"),
        shift("S-1", "W2", "2026-11-03T16:00:00Z", "2026-11-04T00:00:00Z"),
    ]


def dump_all(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every derived table's rows, in a fixed order."""
    return {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in PROJECTION_TABLES}
