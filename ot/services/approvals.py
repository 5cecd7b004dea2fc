"""Two-step approval: shifts (step 1, a manager or an admin), then timecards (step 2, an admin).

Who may do what comes from the roster (``Worker.role``, ``Worker.manager_id``):

- step 1: an admin approves any worker's shifts, a manager those of the
  workers they manage; a worker approves nothing; nobody approves their own;
- step 2: only an admin approves a timecard (never their own). A timecard is
  the pay period's worked shifts, every one approved at its current version,
  plus the PTO/SICK/HOLIDAY entries recorded for the period and any holiday
  hours entered with it. A timecard with unapproved shifts is refused with
  the list of them.

Every write is one ``ledger.write()`` transaction (``BEGIN IMMEDIATE``): the
state is folded from the events, checked, and the new events appended, so two
racing approvals of the same timecard give one event, never two.

This module also holds what the other approval-area services share: the
acting user, the shifts in force (a manual edit of a punched shift replaces
the paired one) and :func:`price_open`, which prices like
:func:`ot.services.pay.price_weeks` over an open ledger or write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.approvals import (
    EVENT_FAMILIES,
    LEAVE_TYPES,
    SHIFT_APPROVED,
    SHIFT_VOIDED,
    TIMECARD_APPROVED,
    TIMECARD_VOIDED,
    ApprovalState,
    fold,
    shift_version,
)
from ledger.events import Event, NewEvent
from ledger.store import Ledger, Writer
from ot.domain import Location, Shift, Worker
from ot.errors import OtError, PermissionDenied, Problem
from ot.money import hours2, minutes_to_hours
from ot.periods import PayPeriod, PaySchedule
from ot.services.pay import PriceRun, shifts_in_force, workweek_of
from ot.services.pay import price_open as pay_price_open
from ot.services.periods import PERIOD_EVENT, schedule_of
from ot.services.ruleset import RulesHistory
from ot.services.shifts import entry_shift
from ot.timez import local, week_start

__all__ = [
    "ApproveResult",
    "Context",
    "TimecardStatus",
    "acting_user",
    "approve_shifts",
    "approve_timecards",
    "context",
    "current_shifts",
    "period_status",
    "price_open",
    "shift_day",
    "unapprove_shifts",
    "unapprove_timecards",
]

Reads = Ledger | Writer


# --- shared reading ------------------------------------------------------------


def read_state(reads: Reads) -> ApprovalState:
    """The approval, pay-run and correction state of an open ledger."""
    events: list[Event] = []
    for family in EVENT_FAMILIES:
        events.extend(reads.events(kind=family))
    return fold(events)


@dataclass(frozen=True)
class Context:
    """What every approval-area service reads first.

    Attributes:
        roster: Worker id -> Worker.
        locations: Location id -> Location.
        history: The adopted rules files.
        state: Approvals, pay runs and corrections so far.
        periods: The pay schedule.
    """

    roster: dict[str, Worker]
    locations: dict[str, Location]
    history: RulesHistory
    state: ApprovalState
    periods: PaySchedule

    def period_containing(self, day: date) -> PayPeriod:
        """The pay period that holds ``day``."""
        return self.periods.period_containing(day)


def context(reads: Reads) -> Context:
    """Read the roster, locations, rules history, state and pay schedule."""
    return Context(
        roster=reads.roster(),
        locations=reads.locations(),
        history=RulesHistory(reads.rules_adopted()),
        state=read_state(reads),
        periods=schedule_of(reads.events(kind=PERIOD_EVENT)).schedule,
    )


def acting_user(roster: dict[str, Worker], user: str, action: str) -> Worker:
    """The roster entry of the acting user, or :class:`PermissionDenied` saying what to do."""
    worker = roster.get(user)
    if worker is None:
        raise PermissionDenied(
            f"{user!r} may not {action}",
            [Problem("--as", f"{user!r} is not in the roster: act as a manager or admin with --as WORKER_ID")],
        )
    return worker


def refusal(actor: Worker, worker: Worker, action: str) -> str | None:
    """Why ``actor`` may not ``action`` the shifts of ``worker`` (None when they may)."""
    if actor.worker_id == worker.worker_id:
        return f"nobody may {action} their own shifts: ask their manager or an admin"
    if actor.role == "admin":
        return None
    if actor.role == "manager":
        if worker.manager_id == actor.worker_id:
            return None
        return f"{actor.worker_id} does not manage {worker.worker_id}: ask their manager or an admin"
    return f"{actor.worker_id} is a worker: only a manager of {worker.worker_id} or an admin may {action} shifts"


def shift_day(shift: Shift) -> date:
    """Local date a shift starts on (its day for an hours-only entry)."""
    if shift.start is not None:
        return local(shift.start, shift.timezone).date()
    assert shift.day is not None
    return shift.day


def current_shifts(reads: Reads, ctx: Context, worker_ids: Iterable[str], first: date, last: date) -> list[Shift]:
    """Every shift in force of these workers starting on a local date in ``[first, last]``
    (:func:`ot.services.pay.shifts_in_force`)."""
    return shifts_in_force(reads, ctx.roster, ctx.locations, ctx.history, worker_ids, first, last)


def price_open(reads: Reads, ctx: Context, worker_ids: Sequence[str], start: date, end: date) -> PriceRun:
    """Price every workweek overlapping ``[start, end]`` over an open ledger or write
    transaction (:func:`ot.services.pay.price_open`)."""
    return pay_price_open(reads, ctx.roster, ctx.locations, ctx.history, worker_ids, start, end)


def describe_shift(shift: Shift) -> str:
    """``W1 Tue 2026-10-13 08:00-16:30`` or ``W1 2026-10-13 PTO 8.00 h``."""
    day = shift_day(shift)
    if shift.start is None:
        return f"{shift.worker_id} {day:%a} {day} {shift.pay_type} {hours2(minutes_to_hours(shift.minutes or 0))} h"
    begin = local(shift.start, shift.timezone).strftime("%H:%M")
    if shift.end is None:
        return f"{shift.worker_id} {day:%a} {day} {begin} (no out-punch)"
    return f"{shift.worker_id} {day:%a} {day} {begin}-{local(shift.end, shift.timezone):%H:%M}"


def find_shift(reads: Reads, ctx: Context, shift_id: str) -> Shift | None:
    """The shift in force with this id (manual, or paired from punches), or None."""
    for e in reads.shift_entries(include_deleted=True):
        if e.shift_id == shift_id:
            if e.deleted:
                return None
            worker = ctx.roster.get(e.worker_id)
            if worker is None:
                return None
            s = entry_shift(e, worker, ctx.locations)
            day = shift_day(s)
            for found in current_shifts(reads, ctx, [e.worker_id], day, day):
                if found.shift_id == shift_id:
                    return found
            return None
    if shift_id.startswith("S") and shift_id[1:].isdigit():
        seq = int(shift_id[1:])
        for punch in reads.punches():
            if punch.seq == seq:
                if punch.worker_id not in ctx.roster:
                    return None
                day = punch.at.date()
                for found in current_shifts(
                    reads, ctx, [punch.worker_id], day - timedelta(days=1), day + timedelta(days=1)
                ):
                    if found.shift_id == shift_id:
                        return found
                return None
    return None


# --- step 1: shifts ------------------------------------------------------------


@dataclass(frozen=True)
class ApproveResult:
    """What an approve or unapprove command did.

    Attributes:
        done: Descriptions of what was approved (or voided), one per item.
        unchanged: Items that already were in the asked state.
        notes: Remarks (items skipped and why).
    """

    done: tuple[str, ...]
    unchanged: tuple[str, ...]
    notes: tuple[str, ...] = ()


def _unknown_shift(shift_id: str) -> Problem:
    return Problem(
        f"shift {shift_id}", "no such shift (it may have been deleted): see `ot shifts --worker W --week DATE`"
    )


def approve_shifts(
    ledger_path: Path,
    *,
    shift_ids: Sequence[str] = (),
    worker_id: str | None = None,
    week: date | None = None,
    all_visible: bool = False,
    period_day: date | None = None,
    actor: str,
    now: datetime,
) -> ApproveResult:
    """Step 1: approve shifts by id, by worker and workweek, or every one visible to the actor
    in the pay period holding ``period_day``. Nothing is written when anything asked is refused."""
    modes = sum([bool(shift_ids), worker_id is not None, all_visible])
    if modes != 1:
        raise OtError(
            "say which shifts to approve",
            [
                Problem(
                    "--shift/--worker/--all-visible", "give --shift ID..., or --worker W --week DATE, or --all-visible"
                )
            ],
        )
    with Ledger.open(ledger_path, create=False) as ledger, ledger.write(actor=actor, now=now) as tx:
        ctx = context(tx)
        me = acting_user(ctx.roster, actor, "approve shifts")
        if me.role == "worker":
            raise PermissionDenied(
                "workers may not approve shifts",
                [Problem("--as", f"{actor} is a worker: only a manager of the worker or an admin approves shifts")],
            )
        problems: list[Problem] = []
        notes: list[str] = []
        targets: list[Shift] = []
        if shift_ids:
            for sid in dict.fromkeys(shift_ids):
                s = find_shift(tx, ctx, sid)
                if s is None:
                    problems.append(_unknown_shift(sid))
                    continue
                why = refusal(me, ctx.roster[s.worker_id], "approve")
                if why:
                    problems.append(Problem(f"shift {sid}", why))
                    continue
                targets.append(s)
        elif worker_id is not None:
            worker = ctx.roster.get(worker_id)
            if worker is None:
                raise OtError(f"unknown worker {worker_id!r}", [Problem("--worker", f"no worker {worker_id!r}")])
            if week is None:
                raise OtError("say which workweek", [Problem("--week", "give --week DATE (any day of the workweek)")])
            why = refusal(me, worker, "approve")
            if why:
                raise PermissionDenied(f"{actor} may not approve the shifts of {worker_id}", [Problem("--worker", why)])
            start_day, _ = workweek_of(ctx.history.book_on(week), week)
            first = week_start(week, start_day)
            targets = current_shifts(tx, ctx, [worker_id], first, first + timedelta(days=6))
        else:
            day = period_day
            assert day is not None
            period = ctx.period_containing(day)
            visible = [w for w, worker in ctx.roster.items() if refusal(me, worker, "approve") is None]
            targets = current_shifts(tx, ctx, visible, period.start, period.end)
            notes.append(f"pay period {period.label()}: {len(targets)} shifts visible to {actor}")
        events: list[NewEvent] = []
        done: list[str] = []
        unchanged: list[str] = []
        approved: list[tuple[Shift, str]] = []
        for s in targets:
            if s.pay_type != "REGULAR":
                notes.append(f"{s.shift_id}: {s.pay_type} is approved with the timecard (step 2), not here")
                continue
            if s.start is not None and s.end is None:
                why = f"{describe_shift(s)} has no end: add the out-punch or edit the shift first"
                if shift_ids:
                    problems.append(Problem(f"shift {s.shift_id}", why))
                else:
                    notes.append(f"not approved: {s.shift_id} {why}")
                continue
            version = shift_version(s)
            if ctx.state.approved(s.shift_id, version):
                unchanged.append(f"{s.shift_id} {describe_shift(s)}")
                continue
            voids = ctx.state.shift_voids.get(s.shift_id, 0)
            events.append(
                NewEvent(
                    SHIFT_APPROVED,
                    {
                        "shift_id": s.shift_id,
                        "worker_id": s.worker_id,
                        "version": version,
                        "day": shift_day(s).isoformat(),
                    },
                    key=f"approval:shift:{s.shift_id}:{version}:{voids}",
                    worker_id=s.worker_id,
                )
            )
            done.append(f"{s.shift_id} {describe_shift(s)}")
            approved.append((s, version))
        if problems:
            raise OtError("no shift was approved; nothing was written", problems)
        from ot.services.sync import approval_outbox  # the outbox, in the same transaction

        events.extend(approval_outbox(ledger_path, ctx.state.shift_voids, approved))
        tx.append(events)
    return ApproveResult(tuple(done), tuple(unchanged), tuple(notes))


def void_shift_events(
    state: ApprovalState, shift: Shift, cause: str, reason: str | None, periods: Iterable[PayPeriod]
) -> list[NewEvent]:
    """Events voiding the approval of ``shift`` (if any) and of the timecards of ``periods``."""
    out: list[NewEvent] = []
    a = state.shift_approvals.get(shift.shift_id)
    if a is not None:
        out.append(
            NewEvent(
                SHIFT_VOIDED,
                {
                    "shift_id": shift.shift_id,
                    "worker_id": shift.worker_id,
                    "version": a.version,
                    "cause": cause,
                    "reason": reason,
                },
                worker_id=shift.worker_id,
            )
        )
    out.extend(void_timecard_events(state, shift.worker_id, periods, cause, reason))
    return out


def void_timecard_events(
    state: ApprovalState, worker_id: str, periods: Iterable[PayPeriod], cause: str, reason: str | None
) -> list[NewEvent]:
    """Events voiding the approved timecards of ``worker_id`` for these periods (not the paid ones:
    a paid timecard is history, and a change to it is a correction)."""
    out: list[NewEvent] = []
    seen: set[date] = set()
    for period in periods:
        if period.start in seen:
            continue
        seen.add(period.start)
        if (worker_id, period.start) in state.timecards and state.paid_in(worker_id, period.start) is None:
            out.append(
                NewEvent(
                    TIMECARD_VOIDED,
                    {
                        "worker_id": worker_id,
                        "period_start": period.start.isoformat(),
                        "cause": cause,
                        "reason": reason,
                    },
                    worker_id=worker_id,
                )
            )
    return out


def unapprove_shifts(
    ledger_path: Path, *, shift_ids: Sequence[str], reason: str, actor: str, now: datetime
) -> ApproveResult:
    """Void the step-1 approval of these shifts (and the timecards that hold them)."""
    _need_reason(reason)
    if not shift_ids:
        raise OtError("say which shifts", [Problem("--shift", "give --shift ID (one or more)")])
    with Ledger.open(ledger_path, create=False) as ledger, ledger.write(actor=actor, now=now) as tx:
        ctx = context(tx)
        me = acting_user(ctx.roster, actor, "unapprove shifts")
        problems: list[Problem] = []
        events: list[NewEvent] = []
        done: list[str] = []
        unchanged: list[str] = []
        for sid in dict.fromkeys(shift_ids):
            s = find_shift(tx, ctx, sid)
            if s is None:
                problems.append(_unknown_shift(sid))
                continue
            why = refusal(me, ctx.roster[s.worker_id], "unapprove")
            if why:
                problems.append(Problem(f"shift {sid}", why))
                continue
            if sid not in ctx.state.shift_approvals:
                unchanged.append(f"{sid} {describe_shift(s)} (not approved)")
                continue
            period = ctx.period_containing(shift_day(s))
            if ctx.state.paid_in(s.worker_id, period.start) is not None:
                problems.append(Problem(f"shift {sid}", f"{shift_day(s)} is paid: a paid shift stays approved"))
                continue
            events.extend(void_shift_events(ctx.state, s, "unapproved", reason, [period]))
            done.append(f"{sid} {describe_shift(s)}")
        if problems:
            raise OtError("no approval was voided; nothing was written", problems)
        tx.append(events)
    return ApproveResult(tuple(done), tuple(unchanged))


def _need_reason(reason: str | None) -> str:
    if reason is None or not reason.strip():
        raise OtError("a reason is required", [Problem("--reason", "say why, e.g. --reason 'wrong out time'")])
    return reason.strip()


# --- step 2: timecards -----------------------------------------------------------


def parse_holiday(text: str) -> tuple[str, date, int]:
    """``W:DATE:HOURS`` -> (worker id, date, minutes); :class:`OtError` naming the option."""
    from ot.money import D, MoneyError
    from ot.timez import TimeError, parse_date

    parts = text.split(":")
    where = f"--holiday-hours {text}"
    if len(parts) != 3:
        raise OtError(
            "bad --holiday-hours", [Problem(where, "write it as WORKER:YYYY-MM-DD:HOURS, e.g. W1:2026-11-26:8")]
        )
    try:
        day = parse_date(parts[1])
        hours = D(parts[2])
    except (TimeError, MoneyError) as exc:
        raise OtError("bad --holiday-hours", [Problem(where, str(exc))]) from None
    minutes = hours * 60
    if minutes != minutes.to_integral_value() or not 0 < hours <= 24:
        raise OtError(
            "bad --holiday-hours", [Problem(where, "hours must be more than 0, at most 24, in whole minutes")]
        )
    return parts[0], day, int(minutes)


def approve_timecards(
    ledger_path: Path,
    *,
    period_day: date,
    worker_ids: Sequence[str] = (),
    holiday_hours: Sequence[str] = (),
    actor: str,
    now: datetime,
) -> ApproveResult:
    """Step 2: approve the timecards of the pay period holding ``period_day``.

    Without ``worker_ids``: every worker with shifts or leave in the period
    (but the actor's own). Refused whole, with the list of unapproved shifts,
    when any timecard has one.
    """
    holidays = [parse_holiday(h) for h in holiday_hours]
    with Ledger.open(ledger_path, create=False) as ledger, ledger.write(actor=actor, now=now) as tx:
        ctx = context(tx)
        me = acting_user(ctx.roster, actor, "approve timecards")
        if me.role != "admin":
            raise PermissionDenied(
                "only an admin (payroll) approves timecards",
                [Problem("--as", f"{actor} is a {me.role}: ask an admin to approve timecards (step 2)")],
            )
        period = ctx.period_containing(period_day)
        problems: list[Problem] = []
        for wid in worker_ids:
            if wid not in ctx.roster:
                problems.append(Problem(f"--worker {wid}", f"no worker {wid!r} in the ledger"))
            elif wid == actor:
                problems.append(Problem(f"--worker {wid}", "nobody approves their own timecard: ask another admin"))
        for wid, day, _m in holidays:
            if wid not in ctx.roster:
                problems.append(Problem(f"--holiday-hours {wid}", f"no worker {wid!r} in the ledger"))
            elif day not in period:
                problems.append(Problem(f"--holiday-hours {wid}", f"{day} is not in the pay period {period.label()}"))
            elif wid == actor:
                problems.append(Problem(f"--holiday-hours {wid}", "nobody approves their own timecard"))
        if problems:
            raise OtError("no timecard was approved; nothing was written", problems)
        # Holiday hours become hours-only HOLIDAY entries (once: the same hours again add nothing).
        existing = {
            (e.worker_id, e.day, e.minutes) for e in tx.shift_entries() if e.pay_type == "HOLIDAY" and e.day is not None
        }
        for wid, day, minutes in holidays:
            if (wid, day, minutes) in existing:
                continue
            seq = tx.head()[0] + 1
            tx.append(
                [
                    NewEvent(
                        "shift.entered",
                        {
                            "shift_id": f"M{seq}",
                            "worker_id": wid,
                            "start": None,
                            "end": None,
                            "day": day.isoformat(),
                            "minutes": minutes,
                            "breaks": [],
                            "rate": None,
                            "display_rate": None,
                            "location_id": None,
                            "pay_type": "HOLIDAY",
                            "meal_waiver": False,
                            "reason": "holiday hours entered with the timecard",
                        },
                        worker_id=wid,
                    )
                ]
            )
            existing.add((wid, day, minutes))
        ids = list(dict.fromkeys(worker_ids)) or sorted(ctx.roster)
        shifts = current_shifts(tx, ctx, ids, period.start, period.end)
        by_worker: dict[str, list[Shift]] = {}
        for s in shifts:
            by_worker.setdefault(s.worker_id, []).append(s)
        notes: list[str] = []
        if not worker_ids:
            ids = [w for w in ids if w in by_worker]
            if actor in ids:
                ids.remove(actor)
                notes.append(f"{actor}: your own timecard needs another admin")
        events: list[NewEvent] = []
        done: list[str] = []
        unchanged: list[str] = []
        for wid in ids:
            own = by_worker.get(wid, [])
            if ctx.state.paid_in(wid, period.start) is not None:
                unchanged.append(f"{wid} {period.label()} (already paid)")
                continue
            worked: list[dict[str, Any]] = []
            leave: list[dict[str, Any]] = []
            for s in own:
                version = shift_version(s)
                if s.pay_type in LEAVE_TYPES:
                    leave.append(
                        {
                            "shift_id": s.shift_id,
                            "version": version,
                            "day": shift_day(s).isoformat(),
                            "pay_type": s.pay_type,
                            "minutes": s.minutes or 0,
                        }
                    )
                elif s.start is not None and s.end is None:
                    problems.append(
                        Problem(
                            f"shift {s.shift_id}",
                            f"{describe_shift(s)} has no end: `ot shift edit {s.shift_id} --end HH:MM --reason ...`, "
                            "then approve it",
                        )
                    )
                elif not ctx.state.approved(s.shift_id, version):
                    problems.append(
                        Problem(
                            f"shift {s.shift_id}",
                            f"{describe_shift(s)} is not approved (step 1): "
                            f"run `ot approve shifts --shift {s.shift_id}` as their manager or an admin",
                        )
                    )
                else:
                    worked.append({"shift_id": s.shift_id, "version": version})
            current = ctx.state.timecards.get((wid, period.start))
            wanted = frozenset((str(x["shift_id"]), str(x["version"])) for x in (*worked, *leave))
            if current is not None and current.versions == wanted:
                unchanged.append(f"{wid} {period.label()}")
                continue
            events.extend(void_timecard_events(ctx.state, wid, [period], "edited", "approved again") if current else [])
            voids = ctx.state.timecard_voids.get((wid, period.start), 0) + (1 if current else 0)
            events.append(
                NewEvent(
                    TIMECARD_APPROVED,
                    {
                        "worker_id": wid,
                        "period_start": period.start.isoformat(),
                        "period_end": period.end.isoformat(),
                        "shifts": worked,
                        "leave": leave,
                    },
                    key=f"approval:timecard:{wid}:{period.start.isoformat()}:{voids}",
                    worker_id=wid,
                )
            )
            leave_minutes = sum(int(str(x["minutes"])) for x in leave)
            text = f"{wid} {period.label()}: {len(worked)} shifts"
            if leave_minutes:
                text += f", {hours2(minutes_to_hours(leave_minutes))} h PTO/sick/holiday"
            done.append(text)
        if problems:
            raise OtError(
                f"no timecard of {period.label()} was approved; nothing was written: approve these shifts first",
                problems,
            )
        tx.append(events)
    return ApproveResult(tuple(done), tuple(unchanged), tuple(notes))


def unapprove_timecards(
    ledger_path: Path, *, period_day: date, worker_ids: Sequence[str], reason: str, actor: str, now: datetime
) -> ApproveResult:
    """Void step-2 approvals of the period holding ``period_day`` (an admin; not once paid)."""
    why = _need_reason(reason)
    if not worker_ids:
        raise OtError("say whose timecards", [Problem("--worker", "give --worker W (one or more)")])
    with Ledger.open(ledger_path, create=False) as ledger, ledger.write(actor=actor, now=now) as tx:
        ctx = context(tx)
        me = acting_user(ctx.roster, actor, "unapprove timecards")
        if me.role != "admin":
            raise PermissionDenied(
                "only an admin (payroll) unapproves timecards",
                [Problem("--as", f"{actor} is a {me.role}: ask an admin")],
            )
        period = ctx.period_containing(period_day)
        problems: list[Problem] = []
        done: list[str] = []
        unchanged: list[str] = []
        events: list[NewEvent] = []
        for wid in dict.fromkeys(worker_ids):
            if ctx.state.paid_in(wid, period.start) is not None:
                problems.append(Problem(f"--worker {wid}", f"{period.label()} is paid: correct its shifts instead"))
            elif (wid, period.start) not in ctx.state.timecards:
                unchanged.append(f"{wid} {period.label()} (not approved)")
            else:
                events.extend(void_timecard_events(ctx.state, wid, [period], "unapproved", why))
                done.append(f"{wid} {period.label()}")
        if problems:
            raise OtError("no approval was voided; nothing was written", problems)
        tx.append(events)
    return ApproveResult(tuple(done), tuple(unchanged))


def leave_hours(shifts: Iterable[Shift]) -> Decimal:
    """Hours of PTO/SICK/HOLIDAY entries among ``shifts``."""
    return minutes_to_hours(sum(s.minutes or 0 for s in shifts if s.pay_type in LEAVE_TYPES))


# --- status ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimecardStatus:
    """Where one worker's timecard of a period stands.

    Attributes:
        worker_id: Whose.
        name: Their name.
        shifts: Worked shifts in the period.
        approved: Of those, approved at their current version (step 1).
        leave_hours: PTO/SICK/HOLIDAY hours recorded for the period.
        timecard: ``paid``, ``approved``, ``changed`` (approved, then a shift
            changed), ``ready`` (every shift approved, step 2 not given) or ``open``.
        run_id: The pay run that paid it, if any.
    """

    worker_id: str
    name: str
    shifts: int
    approved: int
    leave_hours: Decimal
    timecard: str
    run_id: str | None


def period_status(ledger_path: Path, period_day: date) -> tuple[PayPeriod, tuple[TimecardStatus, ...]]:
    """Every worker with work, leave or a timecard in the period holding ``period_day``."""
    with Ledger.open(ledger_path, create=False) as ledger:
        ctx = context(ledger)
        period = ctx.period_containing(period_day)
        shifts = current_shifts(ledger, ctx, sorted(ctx.roster), period.start, period.end)
    by_worker: dict[str, list[Shift]] = {}
    for s in shifts:
        by_worker.setdefault(s.worker_id, []).append(s)
    ids = sorted(set(by_worker) | {w for (w, start) in ctx.state.timecards if start == period.start})
    rows = []
    for wid in ids:
        own = by_worker.get(wid, [])
        worked = [s for s in own if s.pay_type not in LEAVE_TYPES]
        approved = sum(1 for s in worked if ctx.state.approved(s.shift_id, shift_version(s)))
        card = ctx.state.timecards.get((wid, period.start))
        paid = ctx.state.paid_in(wid, period.start)
        if paid is not None:
            state = "paid"
        elif card is not None:
            state = "approved" if card.versions == {(s.shift_id, shift_version(s)) for s in own} else "changed"
        else:
            state = "ready" if approved == len(worked) else "open"
        rows.append(
            TimecardStatus(
                wid,
                ctx.roster[wid].name,
                len(worked),
                approved,
                leave_hours(own),
                state,
                paid.run_id if paid else None,
            )
        )
    return period, tuple(rows)
