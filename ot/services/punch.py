"""Record a punch at the clock: find the worker by PIN, then append one ``punch.recorded`` event.

The PIN is checked against the few workers of its lookup bucket, each with a
slow hash under the ledger's pepper and the worker's own salt
(``ot.services.pins``); it is never stored, logged or echoed, and it never
comes from the command line (the CLI asks for it, or reads it from standard
input). A PIN with a leading zero is also tried without it (``093333`` is the
PIN ``93333`` typed as six digits). A PIN that is not five or six digits is
told apart from a wrong one. A PIN that two workers share is refused (an admin
sets a six-digit override for one of them).

Wrong PINs are slowed down per station and per bucket (the workers a guess
could reach), in the ledger file, so every process of every station shares the
count: after :data:`FREE_FAILURES` failures within :data:`WINDOW`, each attempt
first waits ``2 ** (failures - FREE_FAILURES)`` seconds (at most
:data:`MAX_DELAY`). One station's stranger does not slow another station, nor
the workers of other buckets. ``sleep`` is injectable so that tests do not wait.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ledger.events import NewEvent, punch_key
from ledger.pins import check_pin_shape
from ledger.store import Ledger
from ot.core.domain import DEFAULT_UNPAID, PUNCH_KINDS, REST_ATTESTATIONS, Location, Worker
from ot.core.errors import LedgerBusy, OtError, Problem
from ot.core.timez import TimeError, iso_utc, local, local_date, parse_local, week_start
from ot.services.uow import UnitOfWork, unit_of_work

FREE_FAILURES = 3
WINDOW = timedelta(minutes=10)
MAX_DELAY = 30.0
#: How long an attempt counts as a wrong PIN while it is in progress: its wait, at most MAX_DELAY, and
#: the check of its PIN.
PENDING = timedelta(seconds=MAX_DELAY + 30)
# A punch may be entered up to this far ahead of the clock (clock skew), no more.
FUTURE_SLACK = timedelta(minutes=5)
#: How far before now a person's punch at the clock (``--at``) may be: the clock's skew, no more. A punch
#: is stamped when it happens; an earlier time is a manual punch (``ot punch add``: a manager or an admin,
#: with a reason, on the record), not a clock punch anyone could back-date.
CLOCK_SLACK = timedelta(minutes=5)
#: How far before now a kiosk's punch may be: a station the admin enrolled, sending what it queued while
#: it could not reach the ledger (a week of being offline), no more.
KIOSK_BACKLOG = timedelta(days=7)

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
        rest: On ``out``: the rest-period answer given (``rest-missed``/``rest-taken``), else None.
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
    rest: str | None = None


def _where_when(
    uow: UnitOfWork, worker: Worker, location_id: str | None, at: str | None, now: datetime
) -> tuple[Location, datetime]:
    """The punch's work location and instant (``at`` local wall time there; default now)."""
    where = location_id or worker.location_id
    location = uow.locations.get(where)
    if location is None:
        field = "--location" if location_id else f"worker {worker.worker_id}"
        known = ", ".join(sorted(uow.locations)) or "none yet"
        raise OtError(
            f"unknown location {where!r}",
            [Problem(field, f"give a location id the ledger knows ({known})")],
        )
    if at is None:
        return location, now
    try:
        instant = parse_local(at, location.timezone)
    except TimeError as exc:
        raise OtError("the punch time cannot be read", [Problem("--at", str(exc))]) from None
    if instant > now + FUTURE_SLACK:
        raise OtError(
            "a punch cannot be in the future",
            [Problem("--at", f"{at} is after now ({iso_utc(now)}); give the time it happened")],
        )
    return location, instant


def _refuse_back_dated(me: Worker, worker: Worker, kind: str, at: str, instant: datetime, now: datetime) -> None:
    """A clock punch earlier than the clock allows (:data:`CLOCK_SLACK` for a person, :data:`KIOSK_BACKLOG`
    for a kiosk's queue) is refused, saying who adds it instead. Not before anyone can act as an admin (a
    new ledger's set-up, as every other check)."""
    kiosk = me.role == "kiosk"
    limit = KIOSK_BACKLOG if kiosk else CLOCK_SLACK
    if instant >= now - limit:
        return
    if kiosk:
        why = (
            f"{at} is more than {KIOSK_BACKLOG.days} days before now ({iso_utc(now)}): a kiosk sends what it "
            "queued within a week; an older punch is added by the worker's manager or an admin"
        )
    else:
        why = (
            f"{at} is before now ({iso_utc(now)}): a punch at the clock is stamped when it happens; "
            "an earlier time is added by the worker's manager or an admin, with a reason"
        )
    raise OtError(
        "the punch was not recorded; nothing was written",
        [
            Problem("--at", why),
            Problem(
                "what to do",
                f"`ot punch add --worker {worker.worker_id} --kind {kind.replace('_', '-')} --at {at} --reason ...`",
            ),
        ],
    )


def _punch_event(
    worker_id: str,
    instant: datetime,
    kind: str,
    location_id: str | None,
    break_type: str | None,
    source: str,
    reason: str | None,
    rest: str | None = None,
) -> NewEvent:
    payload: dict[str, str | None] = {
        "worker_id": worker_id,
        "at": iso_utc(instant),
        "kind": kind,
        "location_id": location_id,
        "break_type": break_type,
        "rate": None,
        "source": source,
    }
    if reason is not None:
        payload["reason"] = reason
    if rest:
        payload["rest"] = rest
    return NewEvent("punch.recorded", payload, key=punch_key(worker_id, instant, kind), worker_id=worker_id)


def _attestation(rest: str | None, kind: str) -> str | None:
    """The rest-period answer given at clock-out (Cal. Lab. Code 226.7), checked: only on an out punch."""
    if rest is None or not rest.strip() or rest.strip().lower() == "none":
        return None
    value = rest.strip().lower()
    if value not in REST_ATTESTATIONS:
        raise OtError(
            "the punch was not recorded; nothing was written",
            [Problem("--attest", f"{rest!r}: use rest-missed or rest-taken")],
        )
    if kind != "out":
        raise OtError(
            "the punch was not recorded; nothing was written",
            [Problem("--attest", "the rest-period answer is given at clock-out: punch out with it, or leave it out")],
        )
    return value


def _who(ledger_path: Path, pin: str, *, station: str, now: datetime, sleep: Callable[[float], None]) -> str:
    """The worker whose PIN this is, after the wait that recent wrong PINs call for."""
    from ot.services.pins import PinBook

    with Ledger.open(ledger_path, create=False) as ledger:
        book = PinBook(ledger)
        try:
            typed = check_pin_shape(pin)
        except OtError:
            ledger.record_pin_failure(now, station=station)
            raise
        tries = [typed]
        if len(typed) == 6 and typed.startswith("0"):
            tries.append(typed[1:])  # a derived PIN of a day 1-9, typed with a leading zero
        bucket = book.bucket(typed)
        # The attempt counts as a wrong PIN from now on, while it is in progress (at most PENDING): guesses
        # sent at once from several processes each wait for those before them (a review found they all
        # skipped the wait). A wrong PIN then counts for the whole WINDOW; a right one is forgotten. If
        # the ledger is too busy to say which, the attempt stops counting after PENDING by itself.
        failures, attempt = ledger.claim_pin_attempt(
            now, now - WINDOW, station=station, bucket=bucket, held=now - WINDOW + PENDING
        )
        wait = delay_for(failures)
        if wait:
            sleep(wait)
        for candidate in tries:
            ids = book.holders(candidate)
            if len(ids) > 1:
                _settle(ledger.forget_pin_attempt, attempt)
                raise OtError(SHARED_PIN, [Problem("PIN", f"matches {len(ids)} workers")])
            if ids:
                from ot.services.authority import check_pin, refuse

                refuse(check_pin(ledger.connection, ids[0]))  # the row matched is the events' (a review)
                _settle(ledger.forget_pin_attempt, attempt)
                return ids[0]
        _settle(ledger.confirm_pin_failure, attempt, now)
        raise OtError(WRONG_PIN, [Problem("PIN", "five or six digits, but no worker has them")])


def _settle(write: Callable[..., None], *args: object) -> None:
    """Say how an attempt ended; a ledger busy with a long write (more than its busy timeout) leaves the
    attempt as it was noted, counted until PENDING has passed."""
    with suppress(LedgerBusy):
        write(*args)


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
    rest: str | None = None,
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
    rest = _attestation(rest, punch_kind)
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
    worker_id = _who(ledger_path, pin, station=actor, now=now, sleep=sleep)
    with unit_of_work(ledger_path, actor=actor, now=now, write=True) as uow:
        worker = uow.roster.get(worker_id)
        if worker is None:
            raise OtError(
                f"the PIN belongs to worker {worker_id}, who is not on the roster",
                [Problem("PIN", "ask an admin to check the roster")],
            )
        if not worker.active:
            raise OtError(
                f"worker {worker_id} is no longer active and cannot punch",
                [Problem("PIN", "ask an admin")],
            )
        me = uow.require("punch", worker) if uow.roster_has_admin() else None
        location, instant = _where_when(uow, worker, location_id, at, now)
        if me is not None and at is not None:
            _refuse_back_dated(me, worker, punch_kind, at, instant, now)
        day = local_date(instant, location.timezone)
        if uow.pay.is_paid(worker_id, day):
            raise OtError(
                "the punch was not recorded; nothing was written",
                [
                    Problem(
                        "--at",
                        f"{day} is a paid date of {worker_id}: a punch there is a correction; ask an admin to add it "
                        f"with `ot punch add --worker {worker_id} --kind {punch_kind.replace('_', '-')} --at ... "
                        "--correction-authorized --reason ...`",
                    )
                ],
            )
        btype = (break_type or DEFAULT_UNPAID) if punch_kind == "break_start" else None
        event = _punch_event(worker_id, instant, punch_kind, location_id, btype, "pin", None, rest)
        added = uow.append([event])
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
        rest=rest,
    )


@dataclass(frozen=True)
class AddedPunch:
    """A punch added by hand (a missing in- or out-punch, a break punch).

    Attributes:
        punch: The punch as recorded.
        correction: Whether its date was paid (a correction).
        corrections: Over- and underpayments it recorded, in words.
    """

    punch: PunchResult
    correction: bool
    corrections: tuple[str, ...]


def add_punch(
    ledger_path: Path,
    *,
    worker_id: str,
    kind: str,
    at: str,
    location_id: str | None = None,
    break_type: str | None = None,
    rest: str | None = None,
    reason: str | None,
    correction_authorized: bool = False,
    timeframe: str | None = None,
    actor: str,
    now: datetime,
    dry_run: bool = False,
) -> AddedPunch:
    """Add a punch for a worker by hand (their manager or an admin): the way to fix a missing
    in- or out-punch, so that breaks and pairing stay as recorded. On a paid date it is a
    correction (an admin, ``correction_authorized`` and a reason)."""
    from ot.services.approvals import void_timecard_events
    from ot.services.corrections import check_timeframe, correct_weeks
    from ot.services.pay import workweek_of

    punch_kind = normalize_kind(kind)
    rest = _attestation(rest, punch_kind)
    if reason is None or not reason.strip():
        raise OtError(
            "the punch was not recorded; nothing was written", [Problem("--reason", "say why: --reason TEXT")]
        )
    why = reason.strip()
    if break_type is not None and (punch_kind != "break_start" or not _BREAK_TYPE.match(break_type)):
        raise OtError(
            "the punch was not recorded; nothing was written",
            [Problem("--break-type", "a break type (capitals, digits, '_') goes only on a break-start punch")],
        )
    frame = check_timeframe(timeframe)
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        worker = uow.roster.get(worker_id)
        if worker is None:
            raise OtError(
                "the punch was not recorded; nothing was written", [Problem("--worker", f"no worker {worker_id!r}")]
            )
        me = uow.require("add punches", worker)
        assert me is not None
        location, instant = _where_when(uow, worker, location_id, at, now)
        day = local_date(instant, location.timezone)
        paid = uow.pay.is_paid(worker_id, day)
        if paid:
            if not correction_authorized:
                raise OtError(
                    "the punch was not recorded; nothing was written",
                    [
                        Problem(
                            f"{worker_id} {day}",
                            "this date is paid: a punch on it is a correction; "
                            "give --correction-authorized --reason TEXT to make one",
                        )
                    ],
                )
            uow.require("correct paid dates")
        btype = (break_type or DEFAULT_UNPAID) if punch_kind == "break_start" else None
        event = _punch_event(worker_id, instant, punch_kind, location_id, btype, f"added by {me.worker_id}", why, rest)
        voids = void_timecard_events(uow, worker_id, [day, day - timedelta(days=1)], "edited", f"punch added: {why}")
        added = uow.append([event, *voids])
        corrections: list[str] = []
        if paid and added:
            start_day, _ = workweek_of(uow.history.book_on(day), day)
            weeks = {week_start(day, start_day), week_start(day - timedelta(days=1), start_day)}
            found = correct_weeks(
                uow, worker_id, sorted(weeks), shift_id=f"S{added[0].seq}", action="punch", reason=why, timeframe=frame
            )
            corrections = [c.text() for c in found]
        result = PunchResult(
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
            rest=rest,
        )
    return AddedPunch(result, paid, tuple(corrections))
