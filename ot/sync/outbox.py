"""The outbox: ``sync.*`` events folded into per-shift status, and the plan of what to send.

Pure: events and shifts go in, state and plans come out; no clock, no database.

Event kinds (every payload names ``target`` and ``shift_id``; the event's worker is the shift's):

``sync.enqueued``
    ``{target, shift_id, worker_id, version, day, key}``: a step-1 approval put this
    version of the shift in the target's outbox (appended in the approval's own
    transaction). Key ``sync:enqueued:<key>``.
``sync.started``
    ``{target, shift_id, version, key, action, day, at}``: a sync is about to call the
    target (``day``: the shift's date as sent; ``at``: when, on the sync's clock; both
    absent from events recorded before they were added). A ``started`` with no later
    result is an attempt left open (a sync that stopped mid-call): the next attempt
    looks the shift up first.
``sync.sent``
    ``{target, shift_id, version, key, action, target_id, at}``: the target holds it.
``sync.failed``
    ``{target, shift_id, version, key, action, transient, message, what_to_do}``, and, for
    the result of a call, ``unknown`` (the target may hold a change the ledger does not know
    of: a call with no clear answer, this one or an earlier one no look-up has settled),
    ``days`` (the shift's dates in those calls, which the look-up searches) and
    ``lookup_after`` (an instant, or null: when those calls can no longer be landing).
    A failure without ``unknown`` was recorded before it was added (a transient one is
    read as unknown, a permanent one as a refusal). A refusal found before sending has the
    key ``sync:failed:<key>:<hash of message>`` (recorded once); the result of a call has none.
``sync.deleted``
    ``{target, shift_id, version, key, target_id, at}``: the shift was deleted at the target.
``sync.roster_refreshed``
    ``{source, sha256, added, changed, at}``: a roster refresh ran.

The stable key of a shift version at a target is
``<target>:<shift_id>:<version>:<approvals voided so far>``; the external id,
the same for every version, is ``ot:<target>:<shift_id>``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ledger.events import Event, NewEvent
from ledger.outbox import DELETED, ENQUEUED, FAILED, FAMILY, REFRESHED, SENT, STARTED, ShiftSync, from_row, step
from ot.core.timez import from_iso_utc, iso_utc
from ot.sync.scrub import scrub

__all__ = [
    "DELETED",
    "ENQUEUED",
    "FAILED",
    "REFRESHED",
    "SENT",
    "STARTED",
    "OutboxState",
    "Pending",
    "ShiftSync",
    "enqueued_event",
    "external_id",
    "failed_event",
    "fold",
    "in_flight",
    "pending",
    "started_event",
    "sync_key",
]


def sync_key(target: str, shift_id: str, version: str, voids: int = 0) -> str:
    """The stable key of one version of a shift at a target."""
    return f"{target}:{shift_id}:{version}:{voids}"


def external_id(target: str, shift_id: str) -> str:
    """The id of the shift as the target side knows it, the same for every version."""
    return f"ot:{target}:{shift_id}"


@dataclass(frozen=True)
class OutboxState:
    """Every shift's sync state, by (target, shift_id).

    Attributes:
        shifts: (target, shift_id) -> its :class:`ShiftSync`.
        last_refresh: When the roster was last refreshed (None: never).
        seqs: (target, shift_id) -> the sequence number of the last ``sync.*`` event about it: it
            moves with every event, even one that leaves the state as it was (a second ``started``
            of an attempt already open), so that a sync can tell that another wrote meanwhile.
    """

    shifts: Mapping[tuple[str, str], ShiftSync]
    last_refresh: datetime | None = None
    seqs: Mapping[tuple[str, str], int] = field(default_factory=dict)

    def of(self, target: str, shift_id: str) -> ShiftSync | None:
        """The sync state of a shift at a target, or None when it never entered the outbox."""
        return self.shifts.get((target, shift_id))

    def mark(self, target: str, shift_id: str) -> int | None:
        """The sequence number of the last ``sync.*`` event about a shift at a target (None: none yet)."""
        return self.seqs.get((target, shift_id))


def read_state(conn: sqlite3.Connection, shift_ids: Iterable[str] | None = None) -> OutboxState:
    """The outbox as the ledger keeps it (``sync_shifts``), for these shifts (every shift when None)."""
    shifts: dict[tuple[str, str], ShiftSync] = {}
    seqs: dict[tuple[str, str], int] = {}
    if shift_ids is None:
        rows = conn.execute("SELECT state, seq FROM sync_shifts").fetchall()
    else:
        ids = list(dict.fromkeys(shift_ids))
        rows = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows.extend(
                conn.execute(f"SELECT state, seq FROM sync_shifts WHERE shift_id IN ({marks})", chunk).fetchall()
            )
    for text, seq in rows:
        sync = from_row(text)
        shifts[(sync.target, sync.shift_id)] = sync
        seqs[(sync.target, sync.shift_id)] = int(seq)
    last = conn.execute(
        f"SELECT recorded_at FROM events WHERE kind = '{REFRESHED}' AND kind != 'punch.recorded' "
        "ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return OutboxState(shifts, from_iso_utc(last[0]) if last else None, seqs)


def in_flight(conn: sqlite3.Connection, state: OutboxState, target: str, shift_id: str) -> bool:
    """Whether the last ``sync.*`` event about a shift at a target is a ``started``: an attempt with
    no result yet, which a sync may still be making (or one that died making it)."""
    mark = state.mark(target, shift_id)
    if mark is None:
        return False
    row = conn.execute("SELECT kind FROM events WHERE seq = ?", (mark,)).fetchone()
    return row is not None and row[0] == STARTED


@dataclass(frozen=True)
class Pending:
    """What earlier attempts of a shift at a target left unsettled (:func:`pending`).

    Attributes:
        unknown: The target may hold a change the ledger does not know of: look the shift up
            before creating (or deleting) anything.
        days: The shift's dates in those attempts (what the look-up searches besides today's date).
        lookup_after: Until when a call of theirs may still be landing (None: none may).
        left_open: One of them was left open by a sync that stopped before its result, and
            recorded its time (a ``started`` of this version): calls in flight are waited for.
    """

    unknown: bool = False
    days: tuple[date, ...] = ()
    lookup_after: datetime | None = None
    left_open: bool = False


def pending(conn: sqlite3.Connection, sync: ShiftSync) -> Pending:
    """What the attempts of ``sync``'s shift at its target left unsettled, read from its ``sync.*`` events,
    newest first, back to the last that settles them: ``sent`` or ``deleted`` (the target's copy is
    known), or a ``failed`` that records a call's result (its ``unknown``, ``days`` and ``lookup_after``
    say what stays unsettled after it). Each ``started`` after it is an attempt left open. A refusal
    found before sending changes nothing at the target and is read past."""
    rows = conn.execute(
        "SELECT kind, payload FROM events WHERE worker_id = ? AND kind IN (?, ?, ?, ?) "
        "AND json_extract(payload, '$.shift_id') = ? AND json_extract(payload, '$.target') = ? ORDER BY seq DESC",
        (sync.worker_id, STARTED, FAILED, SENT, DELETED, sync.shift_id, sync.target),
    )
    unknown, left_open = False, False
    days: set[date] = set()
    after: datetime | None = None
    for kind, text in rows:
        p = json.loads(text)
        if kind in (SENT, DELETED):
            break
        if kind == STARTED:
            unknown = True
            left_open = left_open or "at" in p
            day = _day(p.get("day")) or _enqueued_day(conn, str(p.get("key", ""))) or sync.day
            if day is not None:
                days.add(day)
            continue
        if "unknown" in p:
            if p["unknown"]:
                unknown = True
                days.update(d for d in (_day(x) for x in p.get("days") or ()) if d is not None)
                if p.get("lookup_after"):
                    after = from_iso_utc(str(p["lookup_after"]))
            break
        if p.get("transient"):  # recorded before ``unknown`` was: the call may have reached the target
            unknown = True
            if sync.day is not None:
                days.add(sync.day)
            break
        # A permanent failure without ``unknown``: a refusal before sending (or an old target's); read past it.
    return Pending(unknown, tuple(sorted(days)), after, left_open) if unknown else Pending()


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _enqueued_day(conn: sqlite3.Connection, key: str) -> date | None:
    """The shift's date in the ``sync.enqueued`` of ``key`` (a ``started`` recorded before it carried its date)."""
    row = conn.execute("SELECT payload FROM events WHERE key = ?", (f"sync:enqueued:{key}",)).fetchone()
    return _day(json.loads(row[0]).get("day")) if row else None


def fold(events: Iterable[Event]) -> OutboxState:
    """The outbox after these ``sync.*`` events (in sequence order; other kinds are ignored), with
    the fold the ledger keeps ``sync_shifts`` with (:func:`ledger.outbox.step`)."""
    shifts: dict[tuple[str, str], ShiftSync] = {}
    seqs: dict[tuple[str, str], int] = {}
    last_refresh: datetime | None = None
    for e in sorted(events, key=lambda ev: ev.seq):
        p = e.payload
        if e.kind == REFRESHED:
            last_refresh = e.recorded_at
            continue
        if not e.kind.startswith(FAMILY) or "target" not in p:
            continue
        k = (str(p["target"]), str(p["shift_id"]))
        shifts[k] = step(shifts.get(k), e.kind, p, e.worker_id, e.recorded_at)
        seqs[k] = e.seq
    return OutboxState(shifts, last_refresh, seqs)


def enqueued_event(target: str, shift_id: str, worker_id: str, version: str, day: date, key: str) -> NewEvent:
    """The ``sync.enqueued`` event of one approved shift version (recorded once per key)."""
    return NewEvent(
        ENQUEUED,
        {
            "target": target,
            "shift_id": shift_id,
            "worker_id": worker_id,
            "version": version,
            "day": day.isoformat(),
            "key": key,
        },
        key=f"sync:enqueued:{key}",
        worker_id=worker_id,
    )


def started_event(
    target: str,
    shift_id: str,
    worker_id: str,
    version: str,
    key: str,
    action: str,
    *,
    day: date | None = None,
    at: datetime | None = None,
) -> NewEvent:
    """The ``sync.started`` event written (and committed) before a target is called (``day``: the
    shift's date as sent; ``at``: when, on the sync's clock)."""
    payload: dict[str, object] = {
        "target": target,
        "shift_id": shift_id,
        "version": version,
        "key": key,
        "action": action,
    }
    if day is not None:
        payload["day"] = day.isoformat()
    if at is not None:
        payload["at"] = iso_utc(at)
    return NewEvent(STARTED, payload, worker_id=worker_id)


def sent_event(
    target: str, shift_id: str, worker_id: str, version: str, key: str, action: str, target_id: str | None, at: datetime
) -> NewEvent:
    """``sync.sent`` (or ``sync.deleted`` for a delete): the target holds the change."""
    if action == "delete":
        return NewEvent(
            DELETED,
            {
                "target": target,
                "shift_id": shift_id,
                "version": version,
                "key": key,
                "target_id": target_id,
                "at": iso_utc(at),
            },
            worker_id=worker_id,
        )
    return NewEvent(
        SENT,
        {
            "target": target,
            "shift_id": shift_id,
            "version": version,
            "key": key,
            "action": action,
            "target_id": target_id,
            "at": iso_utc(at),
        },
        worker_id=worker_id,
    )


def failed_event(
    target: str,
    shift_id: str,
    worker_id: str,
    version: str,
    key: str,
    action: str,
    *,
    transient: bool,
    message: str,
    what_to_do: str,
    unknown: bool | None = None,
    days: Sequence[date] = (),
    lookup_after: datetime | None = None,
) -> NewEvent:
    """``sync.failed``. ``unknown`` None: a refusal found before sending, recorded once per (key,
    message) when permanent; else the result of a call (recorded each time), with what it left
    unsettled at the target (``days``, ``lookup_after``: see the module docstring)."""
    message, what_to_do = scrub(message), scrub(what_to_do)  # never a credential in the ledger
    digest = hashlib.sha256(f"{message}|{what_to_do}".encode()).hexdigest()[:12]
    payload: dict[str, object] = {
        "target": target,
        "shift_id": shift_id,
        "version": version,
        "key": key,
        "action": action,
        "transient": transient,
        "message": message,
        "what_to_do": what_to_do,
    }
    if unknown is not None:
        payload["unknown"] = unknown
        payload["days"] = sorted({d.isoformat() for d in days}) if unknown else []
        # Stored to the second, rounded up: never earlier than the target said.
        later = lookup_after + timedelta(microseconds=999_999) if lookup_after is not None else None
        payload["lookup_after"] = iso_utc(later) if unknown and later is not None else None
    return NewEvent(
        FAILED,
        payload,
        key=None if transient or unknown is not None else f"sync:failed:{key}:{digest}",
        worker_id=worker_id,
    )


# --- status -------------------------------------------------------------------------

STATUSES: tuple[str, ...] = ("Sent", "Send", "Error")


@dataclass(frozen=True)
class Status:
    """The Hours Sync Report's word for one shift at one target, and why.

    Attributes:
        status: ``Sent``, ``Send`` or ``Error``.
        detail: For ``Send``: why it waits; for ``Error``: the message.
        what_to_do: For ``Error`` (and some ``Send``): what to do.
    """

    status: str
    detail: str = ""
    what_to_do: str = ""


def status_of(
    sync: ShiftSync | None,
    wanted_version: str | None,
    wanted_key: str | None,
    current_version: str | None = None,
    shift_id: str = "",
) -> Status:
    """The status of a shift whose approved current version is ``wanted_version``
    (None when it should not be at the target: deleted, or its approval voided);
    ``current_version``: the shift's version now (None: not known, or deleted)."""
    if wanted_version is None:
        if sync is not None and sync.failed_key is not None and not sync.transient:
            return Status("Error", sync.message, sync.what_to_do)
        return _not_approved(sync, current_version, shift_id)
    if sync is not None and sync.sent_version == wanted_version and sync.target_id is not None:
        return Status("Sent")
    if sync is not None and sync.failed_key is not None and sync.failed_key == wanted_key:
        if sync.transient:
            return Status("Send", sync.message, sync.what_to_do or "send it again (`ot sync` or `ot sync send`)")
        return Status("Error", sync.message, sync.what_to_do)
    if sync is not None and sync.open_key is not None:
        return Status("Send", "the last attempt ended without an answer: send again (it is looked up first)")
    if sync is not None and sync.sent_version is not None:
        return Status("Send", "edited after sending: waiting to send the update")
    return Status("Send", "waiting: never sent")


def _not_approved(sync: ShiftSync | None, current: str | None, shift_id: str) -> Status:
    """Why a shift that is not approved at its current version waits, and what to do: say whether it
    was edited or unapproved, and whether the target still holds the version sent."""
    approve = f"`ot approve shifts --shift {shift_id}`" if shift_id else "`ot approve shifts --shift ID`"
    held = sync is not None and sync.target_id is not None and sync.sent_version is not None
    if held and sync is not None and current is not None and current == sync.sent_version:
        return Status(
            "Send",
            "unapproved after it was sent: the target still holds it, as sent",
            f"approve it again ({approve}) if it was right; else edit or delete the shift "
            "(a deletion is sent as one), approve what is right, and sync",
        )
    if held:
        return Status(
            "Send",
            "edited after it was sent, and the new version is not approved yet",
            f"approve the new version ({approve}) to send it in place of the version sent",
        )
    if sync is not None and current is not None and current == sync.queued_version:
        return Status(
            "Send", "unapproved before it was sent: nothing is at the target", f"approve it ({approve}) to send it"
        )
    return Status("Send", "edited since it was approved: approve the new version to send it", f"approve it ({approve})")
