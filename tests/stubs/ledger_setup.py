"""A small ledger for the stub commands: locations, workers, manual shifts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ledger.events import NewEvent
from ledger.store import Ledger
from ot.core.timez import iso_utc, parse_local

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"


def location(location_id: str, name: str, state: str, tz: str) -> NewEvent:
    return NewEvent(
        "location.added",
        {"location_id": location_id, "name": name, "state": state, "timezone": tz},
        key=f"loc:{location_id}",
    )


def worker(worker_id: str, name: str, rate: str, location_id: str, type_: str = "W2") -> NewEvent:
    payload: dict[str, Any] = {
        "worker_id": worker_id,
        "name": name,
        "type": type_,
        "pay_rate": rate,
        "rate_effective": None,
        "location_id": location_id,
        "manager_id": None,
        "role": "worker",
    }
    return NewEvent("worker.added", payload, key=f"worker:{worker_id}", worker_id=worker_id)


def shift(
    shift_id: str,
    worker_id: str,
    start: str,
    end: str,
    tz: str = CHICAGO,
    *,
    rate: str | None = None,
    display_rate: str | None = None,
    pay_type: str = "REGULAR",
) -> NewEvent:
    payload: dict[str, Any] = {
        "shift_id": shift_id,
        "worker_id": worker_id,
        "start": iso_utc(parse_local(start, tz)),
        "end": iso_utc(parse_local(end, tz)),
        "day": None,
        "minutes": None,
        "breaks": [],
        "rate": rate,
        "display_rate": display_rate,
        "location_id": None,
        "pay_type": pay_type,
        "meal_waiver": False,
        "reason": None,
    }
    return NewEvent("shift.entered", payload, key=f"shift:{shift_id}", worker_id=worker_id)


def hours_entry(shift_id: str, worker_id: str, day: date, minutes: int, pay_type: str) -> NewEvent:
    payload: dict[str, Any] = {
        "shift_id": shift_id,
        "worker_id": worker_id,
        "start": None,
        "end": None,
        "day": day.isoformat(),
        "minutes": minutes,
        "breaks": [],
        "rate": None,
        "display_rate": None,
        "location_id": None,
        "pay_type": pay_type,
        "meal_waiver": False,
        "reason": None,
    }
    return NewEvent("shift.entered", payload, key=f"shift:{shift_id}", worker_id=worker_id)


def company(path: Path) -> None:
    """Two Illinois workers and a week (Sun 2026-10-11 ..) of shifts in the
    first biweekly period (2026-10-11 .. 2026-10-24):

    - w1 Ana Ruiz, $20.00: Monday-Friday 09:00-19:00 (10 h a day, 50 h: 10 OT
      over 40, 29 CFR 778.107); Friday's shift has a display rate of $19.50.
    - w2 Bo Chen, $18.00: Monday-Thursday 09:00-17:00, Friday 8 h PTO.
    - w3 Cy Dunn, $25.00: no shifts.
    """
    events = [
        location("L1", "Chicago Warehouse", "IL", CHICAGO),
        worker("w1", "Ana Ruiz", "20.00", "L1"),
        worker("w2", "Bo Chen", "18.00", "L1"),
        worker("w3", "Cy Dunn", "25.00", "L1"),
    ]
    for day in range(12, 17):
        events.append(
            shift(
                f"A{day}",
                "w1",
                f"2026-10-{day}T09:00",
                f"2026-10-{day}T19:00",
                display_rate="19.50" if day == 16 else None,
            )
        )
    for day in range(12, 16):
        events.append(shift(f"B{day}", "w2", f"2026-10-{day}T09:00", f"2026-10-{day}T17:00"))
    events.append(hours_entry("B16", "w2", date(2026, 10, 16), 480, "PTO"))
    with Ledger.open(path) as ledger:
        ledger.append(events, actor="tester", now=NOW)
