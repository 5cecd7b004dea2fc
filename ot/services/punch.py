"""Record a punch at the clock: find the worker by PIN, then append one ``punch.recorded`` event.

The PIN is hashed once with the ledger's salt and looked up; it is never
stored, logged or echoed. A PIN that two workers share is refused (an admin
sets a six-digit override for one of them). Wrong PINs are slowed down: after
:data:`FREE_FAILURES` failures within :data:`WINDOW`, each attempt first waits
``2 ** (failures - FREE_FAILURES)`` seconds (at most :data:`MAX_DELAY`); the
failures are kept in a table outside the events. ``sleep`` is injectable so
that tests do not wait.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ledger.events import NewEvent, punch_key
from ledger.pins import check_pin_shape, hash_pin
from ledger.store import Ledger
from ot.domain import DEFAULT_UNPAID, PUNCH_KINDS
from ot.errors import OtError, Problem
from ot.timez import TimeError, iso_utc, local, parse_local

FREE_FAILURES = 3
WINDOW = timedelta(minutes=10)
MAX_DELAY = 30.0
# A punch may be entered up to this far ahead of the clock (clock skew), no more.
FUTURE_SLACK = timedelta(minutes=5)

SHARED_PIN = "this PIN belongs to more than one worker: ask an admin to set a six-digit override for them"
WRONG_PIN = "no worker has this PIN: check it and try again"

_BREAK_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class PunchResult:
    """A punch as recorded (or found already recorded).

    Attributes:
        worker_id: Whose punch.
        name: The worker's name.
        kind: ``in``, ``out``, ``break_start`` or ``break_end``.
        at: UTC instant.
        local_time: The same instant in the work location's zone.
        location_id: The work location used to read the time.
        timezone: Its IANA zone.
        break_type: Break type code on ``break_start``, else None.
        recorded: False when the same punch (worker, instant, kind) was already in the ledger.
        seq: Sequence number of its event (None when already recorded).
    """

    worker_id: str
    name: str
    kind: str
    at: datetime
    local_time: datetime
    location_id: str
    timezone: str
    break_type: str | None
    recorded: bool
    seq: int | None


def delay_for(failures: int) -> float:
    """Seconds to wait before checking a PIN after ``failures`` recent wrong ones."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(float(2 ** (failures - FREE_FAILURES)), MAX_DELAY)


def normalize_kind(kind: str) -> str:
    """``break-start`` -> ``break_start``; :class:`OtError` for anything not a punch kind."""
    k = kind.strip().lower().replace("-", "_")
    if k not in PUNCH_KINDS:
        raise OtError(
            f"{kind!r} is not a punch kind",
            [Problem("KIND", "use in, out, break-start or break-end")],
        )
    return k


def record_punch(
    ledger_path: Path,
    *,
    pin: str,
    kind: str,
    at: str | None = None,
    location_id: str | None = None,
    break_type: str | None = None,
    actor: str,
    now: datetime,
    sleep: Callable[[float], None] = time.sleep,
) -> PunchResult:
    """Record a punch for the worker whose PIN this is.

    ``at`` is local wall time in the work location's zone (``2026-11-02T08:03``,
    or with an offset); default ``now``. ``location_id`` overrides the worker's
    default location for this punch.
    """
    punch_kind = normalize_kind(kind)
    if break_type is not None:
        if punch_kind != "break_start":
            raise OtError(
                "a break type goes only on a break-start punch",
                [Problem("--break-type", "leave it out, or punch break-start")],
            )
        if not _BREAK_TYPE.match(break_type):
            raise OtError(
                f"{break_type!r} is not a break type code",
                [Problem("--break-type", "use capitals, digits and '_', e.g. DEFAULT_UNPAID")],
            )
    with Ledger.open(ledger_path, create=False) as ledger:
        failures = ledger.pin_failures_since(now - WINDOW)
        wait = delay_for(failures)
        if wait:
            sleep(wait)
        try:
            typed = check_pin_shape(pin)
        except OtError:
            ledger.record_pin_failure(now)
            raise
        ids = ledger.workers_for_pin_hash(hash_pin(typed, ledger.pin_salt()))
        if not ids:
            ledger.record_pin_failure(now)
            raise OtError(WRONG_PIN, [Problem("--pin", "no match")])
        if len(ids) > 1:
            raise OtError(SHARED_PIN, [Problem("--pin", f"matches {len(ids)} workers")])
        worker_id = ids[0]
        with ledger.write(actor=actor, now=now) as tx:
            worker = tx.roster().get(worker_id)
            if worker is None:
                raise OtError(
                    f"the PIN belongs to worker {worker_id}, who is not on the roster",
                    [Problem("--pin", "ask an admin to check the roster")],
                )
            if not worker.active:
                raise OtError(
                    f"worker {worker_id} is no longer active and cannot punch",
                    [Problem("--pin", "ask an admin")],
                )
            locations = tx.locations()
            where = location_id or worker.location_id
            location = locations.get(where)
            if location is None:
                field = "--location" if location_id else f"worker {worker_id}"
                known = ", ".join(sorted(locations)) or "none yet"
                raise OtError(
                    f"unknown location {where!r}",
                    [Problem(field, f"give a location id the ledger knows ({known})")],
                )
            if at is None:
                instant = now
            else:
                try:
                    instant = parse_local(at, location.timezone)
                except TimeError as exc:
                    raise OtError("the punch time cannot be read", [Problem("--at", str(exc))]) from None
                if instant > now + FUTURE_SLACK:
                    raise OtError(
                        "a punch cannot be in the future",
                        [Problem("--at", f"{at} is after now ({iso_utc(now)}); give the time it happened")],
                    )
            btype = (break_type or DEFAULT_UNPAID) if punch_kind == "break_start" else None
            event = NewEvent(
                "punch.recorded",
                {
                    "worker_id": worker_id,
                    "at": iso_utc(instant),
                    "kind": punch_kind,
                    "location_id": location_id,
                    "break_type": btype,
                    "rate": None,
                    "source": "pin",
                },
                key=punch_key(worker_id, instant, punch_kind),
                worker_id=worker_id,
            )
            added = tx.append([event])
    return PunchResult(
        worker_id=worker_id,
        name=worker.name,
        kind=punch_kind,
        at=instant,
        local_time=local(instant, location.timezone),
        location_id=location.location_id,
        timezone=location.timezone,
        break_type=btype,
        recorded=bool(added),
        seq=added[0].seq if added else None,
    )
