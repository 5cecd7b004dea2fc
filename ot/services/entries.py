"""Manual shift entries: add, edit and delete, with the paid-date lock.

Times are 24-hour local wall time at the work location (the shift's
``--location``, else the worker's default). A shift is given either as
``start``/``end`` (with optional breaks ``HH:MM-HH:MM[:TYPE]``) or as a
``day`` and a number of ``hours``. No worker has more than 24 hours of one pay
type on one local day (the Timerack rule in the seeds). Time is paid once: a
timed shift that overlaps another shift in force of the worker, manual or
punched, is refused, naming it (shifts that overlap all the same, a punch
imported later, are flagged ``overlap`` and block the timecard:
:func:`ledger.pairing.flag_overlaps`).

Who: an admin, or the manager of the worker (nobody enters their own).

Paid dates (Everee's timesheet corrections): a shift on a date already paid
can no longer be deleted; adding or editing one there is a *correction*,
refused unless ``correction_authorized`` and a reason are given (and the
actor is an admin). A correction recomputes the affected workweeks and
records the over- or underpayment (:mod:`ot.services.corrections`), in the
same transaction as the change: all of it is written, or nothing.

A punched shift (id ``S<seq>``) is edited by recording ``shift.edited`` with
its id: the edit replaces the paired shift (:func:`ot.services.approvals.current_shifts`).
Deleting one records its values (``shift.edited``) then ``shift.deleted``.
Any change voids the step-1 approval of the shift and the step-2 approval of
the timecards of the periods it was and is in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from ledger.events import NewEvent
from ledger.pairing import overlapping, worked_minutes
from ot.core.domain import DEFAULT_UNPAID, PAY_TYPES, REST_ATTESTATIONS, BreakSegment, Shift, Worker
from ot.core.errors import OtError, PermissionDenied, Problem
from ot.core.money import MoneyError, hours2, minutes_to_hours, read_hours, read_rate
from ot.core.timez import TimeError, iso_utc, local, parse_date, parse_hhmm, parse_local, wall_after
from ot.services.approvals import (
    describe_shift,
    refusal,
    shift_dates,
    shift_day,
    void_shift_events,
    void_timecard_events,
)
from ot.services.corrections import CorrectionSummary, check_timeframe
from ot.services.repricing import gate
from ot.services.shifts import BreakTypes
from ot.services.uow import UnitOfWork, unit_of_work

__all__ = [
    "BREAK_PATTERN",
    "MAX_DAY_MINUTES",
    "EntryResult",
    "ShiftInput",
    "add_in",
    "add_shift",
    "delete_shift",
    "edit_shift",
    "hours_minutes",
    "parse_attestation",
    "parse_hours",
    "parse_rate",
]

MAX_DAY_MINUTES = 24 * 60
BREAK_PATTERN = re.compile(r"^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})(?::([A-Za-z0-9_]+))?$", re.ASCII)


@dataclass(frozen=True)
class ShiftInput:
    """What the user gave for a shift (text as typed; None: not given).

    Attributes:
        start: ``YYYY-MM-DDTHH:MM`` local start.
        end: ``YYYY-MM-DDTHH:MM`` local end (or ``HH:MM``: the same day, or the next if earlier).
        breaks: ``HH:MM-HH:MM[:TYPE]`` each; None keeps the old ones on an edit.
        day: ``YYYY-MM-DD`` of an hours-only entry.
        hours: Hours of an hours-only entry.
        rate: Shift rate (dollars per hour).
        location_id: Work location override.
        pay_type: ``REGULAR``, ``PTO``, ``SICK`` or ``HOLIDAY``.
        rest: The rest-period attestation: ``rest-missed``, ``rest-taken``, or ``none`` to clear it.
    """

    start: str | None = None
    end: str | None = None
    breaks: tuple[str, ...] | None = None
    day: str | None = None
    hours: str | None = None
    rate: str | None = None
    location_id: str | None = None
    pay_type: str | None = None
    rest: str | None = None


@dataclass(frozen=True)
class EntryResult:
    """What a shift command did.

    Attributes:
        shift_id: The shift.
        action: ``added``, ``edited`` or ``deleted``.
        description: The shift as it now stands (or stood, when deleted).
        voided: Approvals voided by the change, in words.
        corrections: Over- and underpayments recorded by it.
        correction: Whether the change was a correction of a paid date.
    """

    shift_id: str
    action: str
    description: str
    voided: tuple[str, ...]
    corrections: tuple[CorrectionSummary, ...]
    correction: bool


def _problem(where: str, message: str) -> OtError:
    return OtError("the shift was not recorded; nothing was written", [Problem(where, message)])


def parse_rate(text: str) -> Decimal:
    """A shift rate in dollars per hour (more than 0); :class:`OtError` at ``--rate``."""
    try:
        return read_rate(text, "rate")
    except MoneyError as exc:
        raise _problem("--rate", str(exc)) from None


def parse_hours(text: str) -> Decimal:
    """Hours of an hours-only entry, exact to the hundredth (0 to 24); :class:`OtError` at ``--hours``.

    The value is kept as given (``0.89`` h is 0.89 h, not 53 minutes): the engine prices it exactly."""
    try:
        hours = read_hours(text, "hours")
    except MoneyError as exc:
        raise _problem("--hours", str(exc)) from None
    if hours != hours.quantize(Decimal("0.01")):
        raise _problem("--hours", f"{text}: give hours to the hundredth at most (e.g. 7.25; 0.01 h is 36 seconds)")
    if hours > 24:
        raise _problem("--hours", f"{hours2(hours)} hours: at most 24 hours on one day")
    return hours.quantize(Decimal("0.01"))


def hours_minutes(hours: Decimal) -> int:
    """Whole minutes of an hours-only entry, for readers that count minutes (half a minute up)."""
    return int((hours * 60).to_integral_value(rounding=ROUND_HALF_UP))


def parse_attestation(text: str | None) -> str | None:
    """A rest-period attestation as given (``rest-missed``, ``rest-taken``, or ``none`` to clear)."""
    if text is None:
        return None
    value = text.strip().lower()
    if value in ("", "none"):
        return ""
    if value not in REST_ATTESTATIONS:
        raise _problem("--attest", f"{text!r}: use rest-missed, rest-taken or none")
    return value


def _payload(shift: Shift, reason: str | None) -> dict[str, Any]:
    return {
        "shift_id": shift.shift_id,
        "worker_id": shift.worker_id,
        "start": iso_utc(shift.start) if shift.start else None,
        "end": iso_utc(shift.end) if shift.end else None,
        "day": shift.day.isoformat() if shift.day and shift.start is None else None,
        "minutes": shift.minutes if shift.start is None else None,
        **({"hours": str(shift.hours)} if shift.start is None and shift.hours is not None else {}),
        **({"rest": shift.rest_attestation} if shift.rest_attestation else {}),
        "breaks": [
            {
                "start": iso_utc(b.start),
                "end": iso_utc(b.end) if b.end else None,
                "type_code": b.type_code,
                "paid": b.paid,
            }
            for b in shift.breaks
        ],
        "rate": str(shift.rate) if shift.rate is not None else None,
        "display_rate": str(shift.display_rate) if shift.display_rate is not None else None,
        "location_id": shift.location_id,
        "pay_type": shift.pay_type,
        "meal_waiver": shift.meal_waiver,
        "reason": reason,
    }


def _build(uow: UnitOfWork, worker: Worker, shift_id: str, given: ShiftInput, old: Shift | None) -> Shift:
    """The shift as it will stand: ``old`` with what was given applied (or a new one)."""
    lid = given.location_id or (old.location_id if old else None) or worker.location_id
    loc = uow.locations.get(lid)
    if loc is None:
        known = ", ".join(sorted(uow.locations)) or "none: run `ot import locations`"
        raise _problem("--location", f"no location {lid!r} (locations: {known})")
    tz = loc.timezone
    pay_type = (given.pay_type or (old.pay_type if old else "REGULAR")).upper()
    if pay_type not in PAY_TYPES:
        raise _problem("--pay-type", f"{given.pay_type!r}: use one of {', '.join(PAY_TYPES)}")
    rate: Decimal | None = old.rate if old else None
    if given.rate is not None:
        rate = parse_rate(given.rate)
    timed_given = given.start is not None or given.end is not None or given.breaks is not None
    hours_given = given.day is not None or given.hours is not None
    if timed_given and hours_given:
        raise _problem("--start/--date", "give --start/--end (a worked shift) or --date/--hours, not both")
    hours_only = hours_given or (not timed_given and old is not None and old.start is None)
    attested = parse_attestation(given.rest)
    rest = (old.rest_attestation if old else None) if attested is None else (attested or None)
    if old is None and not timed_given and not hours_given:
        raise _problem("--start", "give --start and --end (24-hour local time), or --date and --hours")
    base = replace(old, location_id=lid, timezone=tz, state=loc.state, rate=rate, pay_type=pay_type) if old else None
    if hours_only:
        try:
            day = parse_date(given.day) if given.day else (shift_day(old) if old else None)
        except TimeError as exc:
            raise _problem("--date", str(exc)) from None
        if day is None:
            raise _problem("--date", "an hours-only entry needs --date YYYY-MM-DD")
        minutes = old.minutes if old and old.start is None else None
        exact = (old.hours if old.hours is not None else None) if old and old.start is None else None
        if given.hours is not None:
            exact = parse_hours(given.hours)
            minutes = hours_minutes(exact)
            if old is None and exact == 0:
                raise _problem("--hours", "a new entry needs more than 0 hours")
        if minutes is None:
            raise _problem("--hours", "an hours-only entry needs --hours H")
        return Shift(
            shift_id,
            worker.worker_id,
            None,
            None,
            tz,
            loc.state,
            lid,
            rate,
            old.display_rate if old else None,
            (),
            pay_type,
            day,
            minutes,
            old.meal_waiver if old else False,
            hours=exact,
            rest_attestation=rest,
        )
    try:
        start = parse_local(given.start, tz) if given.start else (base.start if base else None)
    except TimeError as exc:
        raise _problem("--start", str(exc)) from None
    if start is None:
        raise _problem("--start", "a worked shift needs --start YYYY-MM-DDTHH:MM (24-hour local time)")
    end = base.end if base else None
    if given.end is not None:
        try:
            if re.fullmatch(r"\d{1,2}:\d{2}", given.end.strip(), re.ASCII):
                if parse_hhmm(given.end) == local(start, tz).time().replace(second=0, microsecond=0):
                    # The next-day rule would make it 24 hours without a word (a review): say so instead.
                    raise _problem(
                        "--end",
                        f"{given.end.strip()} is the start's own time: a shift of 0 or 24 hours; give the time it "
                        f"ended (a 24-hour shift: --end {_wall(start + timedelta(days=1), tz).replace(' ', 'T')})",
                    )
                end = _clock_after(start, given.end, tz)
            else:
                end = parse_local(given.end, tz)
        except TimeError as exc:
            raise _problem("--end", str(exc)) from None
    if end is None:
        raise _problem("--end", "a worked shift needs --end (24-hour local time)")
    if end <= start:
        raise _problem("--end", f"the shift ends ({_wall(end, tz)}) before it starts ({_wall(start, tz)})")
    if end - start > timedelta(hours=24):
        raise _problem("--end", f"{_wall(start, tz)} to {_wall(end, tz)} is more than 24 hours: split it in two shifts")
    if given.breaks is not None:
        table = BreakTypes(uow.reads.rules_adopted()).table(loc.state, local(start, tz).date())
        breaks = tuple(_break(text, start, end, tz, table) for text in given.breaks)
    else:
        breaks = base.breaks if base else ()
        if given.start is not None and base is not None and base.start is not None:
            moved = start - base.start
            breaks = tuple(replace(b, start=b.start + moved, end=b.end + moved if b.end else None) for b in breaks)
    ordered = sorted(breaks, key=lambda b: b.start)
    for b in ordered:
        if b.start < start or (b.end is not None and b.end > end):
            raise _problem("--break", f"the break at {_wall(b.start, tz)} is outside the shift: give --break again")
    for a, b in pairwise(ordered):
        if a.end is not None and b.start < a.end:
            raise _problem("--break", f"breaks at {_wall(a.start, tz)} and {_wall(b.start, tz)} overlap")
    return Shift(
        shift_id,
        worker.worker_id,
        start,
        end,
        tz,
        loc.state,
        lid,
        rate,
        old.display_rate if old else None,
        tuple(ordered),
        pay_type,
        meal_waiver=old.meal_waiver if old else False,
        rest_attestation=rest,
    )


def _wall(moment: datetime, tz: str) -> str:
    return local(moment, tz).strftime("%Y-%m-%d %H:%M")


def _clock_after(start: datetime, text: str, tz: str, *, first: bool = False) -> datetime:
    """``HH:MM`` local: the first time the clock reads it after ``start`` (on the start's day, or the next
    day). On a fall-back night, a time that comes twice after ``start`` is refused, naming the full time
    with each offset to give instead (``--end 2026-11-01T01:30-08:00``), unless ``first`` (a break, whose
    ``HH:MM-HH:MM`` has no room for an offset: its start is the first after the shift's start, its end the
    first after its start, so its length is what the clock showed)."""
    return wall_after(start, parse_hhmm(text), tz, first=first)


def _break(text: str, start: datetime, end: datetime, tz: str, table: dict[str, bool]) -> BreakSegment:
    m = BREAK_PATTERN.match(text.strip())
    where = f"--break {text}"
    if not m:
        raise _problem(where, "write a break as HH:MM-HH:MM[:TYPE] in 24-hour local time, e.g. 12:00-12:30")
    code = (m.group(3) or DEFAULT_UNPAID).upper()
    if code not in table:
        raise _problem(where, f"unknown break type {code!r}: use one of {', '.join(sorted(table))}")
    try:
        b_start = _clock_after(start - timedelta(minutes=1), m.group(1), tz, first=True)
        b_end = _clock_after(b_start, m.group(2), tz, first=True)
    except TimeError as exc:
        raise _problem(where, str(exc)) from None
    if b_start < start or b_end > end:
        raise _problem(where, f"the break is outside the shift ({_wall(start, tz)} to {_wall(end, tz)})")
    return BreakSegment(b_start, b_end, code, table[code])


def _around(uow: UnitOfWork, shift: Shift) -> list[Shift]:
    """The worker's other shifts in force that could share a day or an instant with ``shift`` (its own
    version, or the one an edit replaces, left out): those starting on its local day, and for a timed
    shift those starting from two days before it (a shift of up to 24 hours, by another zone's clock) to
    the day after it ends."""
    day = shift_day(shift)
    first, last = day, day
    if shift.start is not None and shift.end is not None:
        first = min(day, shift.start.date() - timedelta(days=2))
        last = max(day, shift.end.date() + timedelta(days=1))
    return [s for s in uow.shifts([shift.worker_id], first, last) if s.shift_id != shift.shift_id]


def _day_cap(shift: Shift, around: Sequence[Shift]) -> None:
    """Refuse more than 24 hours of one pay type on one local day (``around``: :func:`_around`)."""
    day = shift_day(shift)
    total = worked_minutes(shift) or 0
    for s in around:
        if s.pay_type != shift.pay_type or shift_day(s) != day:
            continue
        total += worked_minutes(s) or 0
    if total > MAX_DAY_MINUTES:
        raise _problem(
            f"shift {shift.shift_id}",
            f"{shift.worker_id} would have {hours2(minutes_to_hours(total))} hours of {shift.pay_type} on {day}: "
            "at most 24 hours of one pay type on one day",
        )


def _fits(uow: UnitOfWork, shift: Shift) -> None:
    """Refuse a shift that does not fit among the worker's others: the day cap, then no overlap."""
    around = _around(uow, shift)
    _day_cap(shift, around)
    _no_overlap(shift, around, "--start/--end")


def _span_words(shift: Shift) -> str:
    """A shift's instants in its own zone's wall time: ``2026-11-23 09:00 to 2026-11-23 17:00 PST``."""
    assert shift.start is not None
    tz = shift.timezone
    zone = local(shift.start, tz).tzname() or tz
    if shift.end is None:
        return f"from {_wall(shift.start, tz)} {zone} (no out-punch)"
    if shift.end == shift.start:
        return f"a lone punch at {_wall(shift.start, tz)} {zone}"
    return f"{_wall(shift.start, tz)} to {_wall(shift.end, tz)} {zone}"


def _no_overlap(shift: Shift, around: Sequence[Shift], where: str) -> None:
    """Refuse a timed shift that overlaps another shift in force of the worker, manual or punched
    (``around``: :func:`_around`): time is paid once. Each shift it overlaps is named with its times and
    how to fix it. An hours-only entry has no instants and overlaps nothing (the day cap bounds it)."""
    if shift.start is None or shift.end is None:
        return
    clashes = [s for s in around if s.start is not None and overlapping(shift, s)]
    if not clashes:
        return
    mine = _span_words(shift)
    raise OtError(
        "the shift was not recorded; nothing was written",
        [
            Problem(
                where,
                f"{mine} overlaps shift {s.shift_id} of {s.worker_id} ({_span_words(s)}): time is paid once; "
                f"edit or delete shift {s.shift_id} (`ot shift edit {s.shift_id} --start ... --end ...`, "
                f"`ot shift delete {s.shift_id} --reason TEXT`), or correct the times of this one",
            )
            for s in clashes
        ],
    )


def _permitted(uow: UnitOfWork, worker: Worker, action: str) -> Worker:
    me = uow.acting(f"{action} shifts")
    why = refusal(me, worker, action)
    if why:
        raise PermissionDenied(
            f"{me.worker_id} may not {action} the shifts of {worker.worker_id}", [Problem("--as", why)]
        )
    return me


@dataclass(frozen=True)
class _Lock:
    """What the paid-date lock decided for a change.

    Attributes:
        correction: Whether the change touches a paid date (and was authorized).
        reason: The reason given, stripped (None when none).
        timeframe: How an underpayment is to be paid.
    """

    correction: bool
    reason: str | None
    timeframe: str


def _lock(
    uow: UnitOfWork,
    me: Worker,
    worker_id: str,
    days: Sequence[date],
    *,
    correction_authorized: bool,
    reason: str | None,
    timeframe: str | None,
) -> _Lock:
    paid = sorted(d for d in set(days) if uow.pay.is_paid(worker_id, d))
    frame = check_timeframe(timeframe)
    if not paid:
        return _Lock(False, reason.strip() if reason else None, frame)
    dates = ", ".join(d.isoformat() for d in paid)
    if not correction_authorized:
        raise OtError(
            "the shift was not recorded; nothing was written",
            [
                Problem(
                    f"{worker_id} {dates}",
                    "this date is paid: adding or editing a shift on it is a correction; "
                    "give --correction-authorized --reason TEXT to make one",
                )
            ],
        )
    if reason is None or not reason.strip():
        raise _problem("--reason", "a correction needs a reason: --reason TEXT")
    if me.role != "admin":
        raise PermissionDenied(
            "only an admin (payroll) corrects paid dates",
            [Problem("--as", f"{me.worker_id} is a {me.role}: ask an admin to make this correction")],
        )
    return _Lock(True, reason.strip(), frame)


def _correct(
    uow: UnitOfWork,
    worker_id: str,
    days: Sequence[date],
    lock: _Lock,
    authorized: bool,
    *,
    shift_id: str,
    action: str,
    what: str | None = None,
) -> list[CorrectionSummary]:
    """The corrections of a shift added, edited or deleted (already appended in ``uow``): every paid workweek from
    the shift's first date through the last paid date is priced again, not only the shift's own. A
    change reprices later weeks too: a bonus earned over several workweeks is allocated by the hours of
    each (29 CFR 778.209(a)), and Nevada's daily overtime counts a 24-hour period from a shift's start
    into the next workweek (NRS 608.018(1)(b)). On a paid date the lock has authorized them. On unpaid
    dates only, a workweek paid on every day that now prices differently is a correction as a punch's
    would be (:func:`ot.services.repricing.gate`: refused unless authorized); a week paid in part is
    adjusted by the next pay run with its unpaid days."""
    return gate(
        uow,
        {worker_id: min(days)},
        authorized=lock.correction or authorized,
        reason=lock.reason,
        timeframe=lock.timeframe,
        action=action,
        what=what or f"shift {shift_id}",
        shift_id=shift_id,
        whole_weeks=not lock.correction,
    )


def _voided_words(events: Sequence[NewEvent]) -> tuple[str, ...]:
    out = []
    for e in events:
        if e.kind == "approval.shift_voided":
            out.append(f"approval of shift {e.payload['shift_id']}")
        elif e.kind == "approval.timecard_voided":
            out.append(f"timecard of {e.payload['worker_id']} for the period from {e.payload['period_start']}")
    return tuple(out)


def add_shift(
    ledger_path: Path,
    *,
    worker_id: str,
    given: ShiftInput,
    reason: str | None,
    correction_authorized: bool = False,
    timeframe: str | None = None,
    actor: str,
    now: datetime,
    dry_run: bool = False,
) -> EntryResult:
    """Record a manual shift (``shift.entered``, id ``M<seq>``); with ``dry_run``, do everything
    and say what was done, then roll back (nothing is written)."""
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        result = add_in(
            uow,
            worker_id=worker_id,
            given=given,
            reason=reason,
            correction_authorized=correction_authorized,
            timeframe=timeframe,
        )
    return result


def add_in(
    uow: UnitOfWork,
    *,
    worker_id: str,
    given: ShiftInput,
    reason: str | None,
    correction_authorized: bool = False,
    timeframe: str | None = None,
) -> EntryResult:
    """:func:`add_shift` inside an open unit of work (several entries in one command: all or nothing)."""
    worker = uow.roster.get(worker_id)
    if worker is None:
        raise _problem("--worker", f"no worker {worker_id!r} in the ledger")
    me = _permitted(uow, worker, "enter")
    if not worker.active:
        raise _problem("--worker", f"{worker_id} is no longer active: no new timecards")
    shift_id = f"M{uow.head()[0] + 1}"
    shift = _build(uow, worker, shift_id, given, None)
    days = shift_dates(shift)
    lock = _lock(
        uow, me, worker_id, days, correction_authorized=correction_authorized, reason=reason, timeframe=timeframe
    )
    _fits(uow, shift)
    voids = void_timecard_events(uow, worker_id, days, "edited", f"shift {shift_id} added")
    uow.append([NewEvent("shift.entered", _payload(shift, lock.reason), worker_id=worker_id), *voids])
    corrections = _correct(uow, worker_id, days, lock, correction_authorized, shift_id=shift_id, action="added")
    return EntryResult(
        shift_id, "added", describe_shift(shift), _voided_words(voids), tuple(corrections), lock.correction
    )


def _existing(uow: UnitOfWork, shift_id: str) -> Shift:
    old = uow.find_shift(shift_id)
    if old is None:
        raise _problem(f"shift {shift_id}", "no such shift: see `ot shifts --worker W --week DATE` for the ids")
    return old


def edit_shift(
    ledger_path: Path,
    shift_id: str,
    *,
    given: ShiftInput,
    reason: str | None,
    correction_authorized: bool = False,
    timeframe: str | None = None,
    actor: str,
    now: datetime,
    dry_run: bool = False,
) -> EntryResult:
    """Record new values of a shift (``shift.edited``), manual or punched; with ``dry_run``,
    do everything and say what was done, then roll back (nothing is written)."""
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        old = _existing(uow, shift_id)
        worker = uow.roster[old.worker_id]
        me = _permitted(uow, worker, "edit")
        shift = _build(uow, worker, shift_id, given, old)
        if shift == replace(old, exceptions=()):
            raise _problem(f"shift {shift_id}", "nothing changes: give the new values (--start, --end, --hours...)")
        days = sorted({*shift_dates(old), *shift_dates(shift)})
        lock = _lock(
            uow,
            me,
            old.worker_id,
            days,
            correction_authorized=correction_authorized,
            reason=reason,
            timeframe=timeframe,
        )
        _fits(uow, shift)
        voids = void_shift_events(uow, old, "edited", lock.reason or "edited", days)
        uow.append([NewEvent("shift.edited", _payload(shift, lock.reason), worker_id=old.worker_id), *voids])
        corrections = _correct(
            uow, old.worker_id, days, lock, correction_authorized, shift_id=shift_id, action="edited"
        )
        result = EntryResult(
            shift_id, "edited", describe_shift(shift), _voided_words(voids), tuple(corrections), lock.correction
        )
    return result


def delete_shift(
    ledger_path: Path,
    shift_id: str,
    *,
    reason: str | None,
    actor: str,
    now: datetime,
    correction_authorized: bool = False,
    timeframe: str | None = None,
) -> EntryResult:
    """Delete a shift (never on a paid date: correct it there instead). A shift on unpaid dates whose
    deletion reprices a week paid on every day (a correction recorded when it was added, Nevada's 24-hour
    period) is gated as an addition is: refused unless an admin authorizes the corrections."""
    if reason is None or not reason.strip():
        raise _problem("--reason", "say why the shift is deleted: --reason TEXT")
    with unit_of_work(ledger_path, actor=actor, now=now, write=True) as uow:
        old = _existing(uow, shift_id)
        worker = uow.roster[old.worker_id]
        _permitted(uow, worker, "delete")
        paid = [d for d in shift_dates(old) if uow.pay.is_paid(old.worker_id, d)]
        if paid:
            raise _problem(
                f"shift {shift_id}",
                f"{paid[0]} is paid: a shift on a paid date cannot be deleted; to take hours off, edit it with "
                "--correction-authorized --reason TEXT (e.g. --hours 0, or a shorter --end)",
            )
        voids = void_shift_events(uow, old, "deleted", reason.strip(), shift_dates(old))
        events: list[NewEvent] = []
        if not any(e.shift_id == shift_id for e in uow.reads.shift_entries(worker_id=old.worker_id)):
            events.append(
                NewEvent("shift.edited", _payload(replace(old, exceptions=()), reason.strip()), worker_id=old.worker_id)
            )
        events.append(
            NewEvent("shift.deleted", {"shift_id": shift_id, "reason": reason.strip()}, worker_id=old.worker_id)
        )
        uow.append([*events, *voids])
        on_unpaid_dates = _Lock(False, reason.strip(), check_timeframe(timeframe))
        corrections = _correct(
            uow,
            old.worker_id,
            shift_dates(old),
            on_unpaid_dates,
            correction_authorized,
            shift_id=shift_id,
            action="deleted",
            what=f"deleting shift {shift_id}",
        )
    return EntryResult(
        shift_id, "deleted", describe_shift(old), _voided_words(voids), tuple(corrections), bool(corrections)
    )
