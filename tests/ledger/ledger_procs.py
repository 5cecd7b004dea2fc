"""Processes the concurrency and crash tests run (not a test module).

    python ledger_procs.py punches PATH NAME COUNT   # COUNT small appends, one punch each
    python ledger_procs.py bulk PATH COUNT TAG        # one transaction of COUNT punches

Each prints one JSON line at the end: {"added": N, "busy": N}; ``bulk`` also
prints "begun" once its transaction is open.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta

from ledger.events import NewEvent, punch_key
from ledger.store import Ledger
from ot.core.errors import LedgerBusy

NOW = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
BASE = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)


def punch_event(worker_id: str, i: int, tag: str) -> NewEvent:
    at = BASE + timedelta(minutes=i)
    return NewEvent(
        "punch.recorded",
        {
            "worker_id": worker_id,
            "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "kind": "in" if i % 2 == 0 else "out",
            "location_id": None,
            "break_type": None,
            "rate": None,
            "source": tag,
        },
        key=punch_key(worker_id, at, "in" if i % 2 == 0 else "out"),
        worker_id=worker_id,
    )


def punches(path: str, name: str, count: int) -> None:
    added = busy = 0
    with Ledger.open(path) as led:
        for i in range(count):
            while True:
                try:
                    added += len(led.append([punch_event(name, i, name)], actor=name, now=NOW))
                    break
                except LedgerBusy:
                    busy += 1
    print(json.dumps({"added": added, "busy": busy}), flush=True)


def bulk(path: str, count: int, tag: str) -> None:
    with Ledger.open(path) as led, led.write(actor="bulk", now=NOW) as tx:
        print("begun", flush=True)
        added = tx.extend(punch_event(f"B{i % 200}", i, tag) for i in range(count))
    print(json.dumps({"added": added, "busy": 0}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "punches":
        punches(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        bulk(sys.argv[2], int(sys.argv[3]), sys.argv[4])
