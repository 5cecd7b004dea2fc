"""The outbox of the sync targets, folded at append time: where each shift stands at each target.

One row per (target, shift) in ``sync_shifts``: the version last enqueued, the
version the target holds, the last failure, an attempt whose outcome is not
known yet (the whole state as JSON, and as columns what the Hours Sync Report
selects on: the version sent, ``clean`` when the target holds it with nothing
failed or open, and when it was sent). :func:`step` is the one fold of a ``sync.*`` event into that state;
:mod:`ot.sync.outbox` folds with it too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

from ot.core.timez import from_iso_utc, iso_utc

__all__ = [
    "DELETED",
    "ENQUEUED",
    "FAILED",
    "FAMILY",
    "REFRESHED",
    "SENT",
    "STARTED",
    "ShiftSync",
    "apply_sync",
    "from_row",
    "step",
]

ENQUEUED = "sync.enqueued"
STARTED = "sync.started"
SENT = "sync.sent"
FAILED = "sync.failed"
DELETED = "sync.deleted"
REFRESHED = "sync.roster_refreshed"
FAMILY = "sync."


@dataclass(frozen=True)
class ShiftSync:
    """Where one shift stands at one target.

    Attributes:
        target: Target name.
        shift_id: The shift.
        worker_id: Whose shift.
        day: Its local date (as last enqueued).
        queued_version: The version last enqueued (None when never enqueued).
        queued_key: Its key.
        sent_version: The version the target holds (None when never sent, or deleted).
        target_id: The target's id of the shift (None when never sent, or deleted).
        sent_at: When it was last sent.
        failed_key: The key of the last failure (None when the last attempt worked).
        transient: Whether that failure was transient.
        message: That failure's message.
        what_to_do: What to do about it.
        open_key: The key of an attempt whose outcome is unknown, else None.
        deleted_at: When it was deleted at the target, else None.
    """

    target: str
    shift_id: str
    worker_id: str
    day: date | None = None
    queued_version: str | None = None
    queued_key: str | None = None
    sent_version: str | None = None
    target_id: str | None = None
    sent_at: datetime | None = None
    failed_key: str | None = None
    transient: bool = False
    message: str = ""
    what_to_do: str = ""
    open_key: str | None = None
    deleted_at: datetime | None = None


def step(cur: ShiftSync | None, kind: str, p: Mapping[str, Any], worker_id: str | None, at: datetime) -> ShiftSync:
    """The state of a shift at a target after one ``sync.*`` event about it."""
    if cur is None:
        cur = ShiftSync(target=str(p["target"]), shift_id=str(p["shift_id"]), worker_id=worker_id or "")
    if kind == ENQUEUED:
        return replace(
            cur,
            worker_id=p["worker_id"],
            day=date.fromisoformat(p["day"]),
            queued_version=p["version"],
            queued_key=p["key"],
        )
    if kind == STARTED:
        return replace(cur, open_key=p["key"])
    if kind == SENT:
        return replace(
            cur,
            sent_version=p["version"],
            target_id=p["target_id"],
            sent_at=at,
            failed_key=None,
            transient=False,
            message="",
            what_to_do="",
            open_key=None,
            deleted_at=None,
        )
    if kind == FAILED:
        return replace(
            cur,
            failed_key=p["key"],
            transient=bool(p["transient"]),
            message=p["message"],
            what_to_do=p["what_to_do"],
            # A transient failure may have reached the target (a timeout, a dropped
            # connection after it committed): keep the attempt open, so that the next
            # one looks the shift up before it creates anything.
            open_key=p["key"] if p["transient"] else None,
        )
    if kind == DELETED:
        return replace(cur, sent_version=None, target_id=None, deleted_at=at, open_key=None, failed_key=None)
    return cur


def to_row(sync: ShiftSync) -> str:
    """The JSON of a state as the ``sync_shifts`` table keeps it."""
    data = asdict(sync)
    for name in ("day",):
        data[name] = data[name].isoformat() if data[name] else None
    for name in ("sent_at", "deleted_at"):
        data[name] = iso_utc(data[name]) if data[name] else None
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def from_row(text: str) -> ShiftSync:
    """The state a ``sync_shifts`` row keeps."""
    data = json.loads(text)
    data["day"] = date.fromisoformat(data["day"]) if data["day"] else None
    for name in ("sent_at", "deleted_at"):
        data[name] = from_iso_utc(data[name]) if data[name] else None
    return ShiftSync(**data)


def apply_sync(
    conn: sqlite3.Connection, s: str, seq: int, kind: str, p: Mapping[str, Any], at: str, worker_id: str | None
) -> None:
    """Fold one ``sync.*`` event into ``sync_shifts`` (events without a target, such as a roster refresh, are skipped)."""
    if "target" not in p or "shift_id" not in p:
        return
    row = conn.execute(
        f"SELECT state FROM {s}.sync_shifts WHERE target = ? AND shift_id = ?", (p["target"], p["shift_id"])
    ).fetchone()
    new = step(from_row(row[0]) if row else None, kind, p, worker_id, from_iso_utc(at))
    clean = new.target_id is not None and new.open_key is None and new.failed_key is None
    conn.execute(
        f"INSERT OR REPLACE INTO {s}.sync_shifts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.target,
            new.shift_id,
            new.worker_id,
            new.day.isoformat() if new.day else None,
            new.sent_version,
            int(clean),
            iso_utc(new.sent_at) if new.sent_at else None,
            to_row(new),
            seq,
        ),
    )
