"""Two-step approval: shifts (step 1, a manager or an admin), then timecards (step 2, an admin).

Who may do what comes from the roster (``Worker.role``, ``Worker.manager_id``):

- step 1: an admin approves any worker's shifts, a manager those of the
  workers they manage; a worker approves nothing; nobody approves their own.
  A shift with an exception (a missing punch, an overlap, a break outside the
  shift, over 24 hours) cannot be approved until it is fixed;
- step 2: only an admin approves a timecard (never their own). A timecard
  (:class:`ot.services.paycycle.Draft`) holds the worker's unpaid dates up to
  the period's end: every shift with hours on them, approved at its current
  version, the PTO/SICK/HOLIDAY entries, and the open corrections the pay run
  settles. The ready timecards are approved; each blocked one is listed with
  what blocks it and blocks only its own worker (``all_or_nothing``: any
  blocked timecard refuses them all).

Every write is one unit of work (:func:`ot.services.uow.unit_of_work`): the
state is read, checked, and the new events appended in one ``BEGIN
IMMEDIATE`` transaction, so two racing approvals of the same timecard give
one event, never two.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.approvals import (
    LEAVE_TYPES,
    SHIFT_APPROVED,
    SHIFT_VOIDED,
    TIMECARD_APPROVED,
    TIMECARD_VOIDED,
    shift_version,
)
from ledger.events import NewEvent
from ledger.pairing import EXCEPTIONS
from ot.core.domain import Shift, Worker
from ot.core.errors import OtError, PermissionDenied, Problem
from ot.core.money import hours2, minutes_to_hours
from ot.core.periods import PayPeriod
from ot.core.timez import local, week_start
from ot.services.pay import shift_day as _shift_day
from ot.services.pay import workweek_of
from ot.services.paycycle import Draft, describe_shift, drafts, timecard_difference
from ot.services.trust import check_shift_approvals
from ot.services.uow import UnitOfWork, unit_of_work

__all__ = [
    "ApproveResult",
    "TimecardStatus",
    "approve_shifts",
    "approve_timecards",
    "describe_shift",
    "period_status",
    "refusal",
    "shift_day",
    "unapprove_shifts",
    "unapprove_timecards",
    "void_shift_events",
    "void_timecard_events",
]


def shift_day(shift: Shift) -> date:
    """Local date a shift starts on (its day for an hours-only entry)."""
    day = _shift_day(shift)
    assert day is not None
    return day


def shift_dates(shift: Shift) -> list[date]:
    """Every local date a shift has hours on: from the date it starts to the date it ends (a night
    shift's hours after midnight are dated, and paid, on the next date)."""
    first = shift_day(shift)
    if shift.start is None or shift.end is None:
        return [first]
    last = local(shift.end - timedelta(microseconds=1), shift.timezone).date()
    return [first + timedelta(days=i) for i in range(max(0, (last - first).days) + 1)]


def refusal(actor: Worker, worker: Worker, action: str) -> str | None:
    """Why ``actor`` may not ``action`` the shifts of ``worker`` (None when they may):
    :func:`ot.services.permissions.allowed` of ``<action> shifts``."""
    from ot.services.permissions import allowed

    name = {"enter": "enter shifts", "add punches to": "add punches"}.get(action, f"{action} shifts")
    return allowed(name, actor, worker)


# --- step 1: shifts ------------------------------------------------------------


@dataclass(frozen=True)
class ApproveResult:
    """What an approve or unapprove command did.

    Attributes:
        done: Descriptions of what was approved (or voided), one per item.
        unchanged: Items that already were in the asked state.
        notes: Remarks (items skipped and why).
        blocked: What could not be approved and why (it blocks only its own worker).
    """

    done: tuple[str, ...]
    unchanged: tuple[str, ...]
    notes: tuple[str, ...] = ()
    blocked: tuple[Problem, ...] = ()


def _unknown_shift(shift_id: str) -> Problem:
    return Problem(
        f"shift {shift_id}", "no such shift (it may have been deleted): see `ot shifts --worker W --week DATE`"
    )


def _exception_text(s: Shift) -> str | None:
    flagged = [x for x in s.exceptions if x in EXCEPTIONS]
    if s.start is not None and s.end is None and "missing_out" not in flagged:
        flagged.insert(0, "missing_out")
    if not flagged:
        return None
    from ot.services.paycycle import FIXES

    fixes = "; ".join(FIXES.get(x, "fix it").format(w=s.worker_id) for x in flagged)
    return f"{describe_shift(s)} has {', '.join(flagged)}: fix it first: {fixes}"


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
    in the pay period holding ``period_day``. Nothing is written when anything asked by id is
    refused; with ``--all-visible`` a shift with an exception is left out and listed."""
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
    with unit_of_work(ledger_path, actor=actor, now=now, write=True) as uow:
        me = uow.acting("approve shifts")
        if me.role == "worker":
            raise PermissionDenied(
                "workers may not approve shifts",
                [Problem("--as", f"{actor} is a worker: only a manager of the worker or an admin approves shifts")],
            )
        problems: list[Problem] = []
        notes: list[str] = []
        blocked: list[Problem] = []
        targets: list[Shift] = []
        if shift_ids:
            for sid in dict.fromkeys(shift_ids):
                s = uow.find_shift(sid)
                if s is None:
                    problems.append(_unknown_shift(sid))
                    continue
                why = refusal(me, uow.roster[s.worker_id], "approve")
                if why:
                    problems.append(Problem(f"shift {sid}", why))
                    continue
                targets.append(s)
        elif worker_id is not None:
            worker = uow.roster.get(worker_id)
            if worker is None:
                raise OtError(f"unknown worker {worker_id!r}", [Problem("--worker", f"no worker {worker_id!r}")])
            if week is None:
                raise OtError("say which workweek", [Problem("--week", "give --week DATE (any day of the workweek)")])
            why = refusal(me, worker, "approve")
            if why:
                raise PermissionDenied(f"{actor} may not approve the shifts of {worker_id}", [Problem("--worker", why)])
            start_day, _ = workweek_of(uow.history.book_on(week), week)
            first = week_start(week, start_day)
            targets = uow.shifts([worker_id], first, first + timedelta(days=6))
        else:
            assert period_day is not None
            period = uow.period_containing(period_day)
            visible = [w for w, worker in uow.roster.items() if refusal(me, worker, "approve") is None]
            # The day before the period too: a shift that starts then has hours in it.
            targets = uow.shifts(visible, period.start - timedelta(days=1), period.end)
            notes.append(f"pay period {period.label()}: {len(targets)} shifts visible to {actor}")
        events: list[NewEvent] = []
        done: list[str] = []
        unchanged: list[str] = []
        approved: list[tuple[Shift, str]] = []
        ids = [s.shift_id for s in targets]
        in_force, voided = uow.pay.shift_approvals(ids), uow.pay.shift_voids_of(ids)
        for s in targets:
            if s.pay_type != "REGULAR":
                notes.append(f"{s.shift_id}: {s.pay_type} is approved with the timecard (step 2), not here")
                continue
            flagged = _exception_text(s)
            if flagged is not None:
                if shift_ids:
                    problems.append(Problem(f"shift {s.shift_id}", flagged))
                else:
                    blocked.append(Problem(f"shift {s.shift_id}", flagged))
                continue
            version = shift_version(s)
            if (a := in_force.get(s.shift_id)) is not None and a.version == version:
                unchanged.append(f"{s.shift_id} {describe_shift(s)}")
                continue
            voids = voided.get(s.shift_id, 0)
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

        events.extend(approval_outbox(uow, approved))
        uow.append(events)
    return ApproveResult(tuple(done), tuple(unchanged), tuple(notes), tuple(blocked))


def void_shift_events(
    uow: UnitOfWork, shift: Shift, cause: str, reason: str | None, days: Iterable[date]
) -> list[NewEvent]:
    """Events voiding the approval of ``shift`` (if any) and the unpaid timecards that cover ``days``."""
    out: list[NewEvent] = []
    a = uow.pay.shift_approval(shift.shift_id)
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
    out.extend(void_timecard_events(uow, shift.worker_id, days, cause, reason))
    return out


def void_timecard_events(
    uow: UnitOfWork, worker_id: str, days: Iterable[date], cause: str, reason: str | None
) -> list[NewEvent]:
    """Events voiding the approved, unpaid timecards of ``worker_id`` whose dates hold any of ``days``
    (a paid timecard is history, and a change to it is a correction)."""
    wanted = set(days)
    out: list[NewEvent] = []
    for card in uow.pay.timecards_of_worker(worker_id):
        if not any(card.pay_from <= d <= card.period_end for d in wanted):
            continue
        if uow.pay.paid_in(worker_id, card.period_start) is not None:
            continue
        out.append(
            NewEvent(
                TIMECARD_VOIDED,
                {
                    "worker_id": worker_id,
                    "period_start": card.period_start.isoformat(),
                    "period_end": card.period_end.isoformat(),
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
    with unit_of_work(ledger_path, actor=actor, now=now, write=True) as uow:
        me = uow.acting("unapprove shifts")
        problems: list[Problem] = []
        events: list[NewEvent] = []
        done: list[str] = []
        unchanged: list[str] = []
        for sid in dict.fromkeys(shift_ids):
            s = uow.find_shift(sid)
            if s is None:
                problems.append(_unknown_shift(sid))
                continue
            why = refusal(me, uow.roster[s.worker_id], "unapprove")
            if why:
                problems.append(Problem(f"shift {sid}", why))
                continue
            if uow.pay.shift_approval(sid) is None:
                unchanged.append(f"{sid} {describe_shift(s)} (not approved)")
                continue
            paid = [d for d in shift_dates(s) if uow.pay.is_paid(s.worker_id, d)]
            if paid:
                problems.append(Problem(f"shift {sid}", f"{paid[0]} is paid: a paid shift stays approved"))
                continue
            events.extend(void_shift_events(uow, s, "unapproved", reason, shift_dates(s)))
            done.append(f"{sid} {describe_shift(s)}")
        if problems:
            raise OtError("no approval was voided; nothing was written", problems)
        uow.append(events)
    return ApproveResult(tuple(done), tuple(unchanged))


def _need_reason(reason: str | None) -> str:
    if reason is None or not reason.strip():
        raise OtError("a reason is required", [Problem("--reason", "say why, e.g. --reason 'wrong out time'")])
    return reason.strip()


# --- step 2: timecards -----------------------------------------------------------


def parse_holiday(text: str) -> tuple[str, date, int]:
    """``W:DATE:HOURS`` -> (worker id, date, minutes); :class:`OtError` naming the option."""
    from ot.core.money import MoneyError, read_hours
    from ot.core.timez import TimeError, parse_date

    parts = text.split(":")
    where = f"--holiday-hours {text}"
    if len(parts) != 3:
        raise OtError(
            "bad --holiday-hours", [Problem(where, "write it as WORKER:YYYY-MM-DD:HOURS, e.g. W1:2026-11-26:8")]
        )
    try:
        day = parse_date(parts[1])
        hours = read_hours(parts[2], "hours", allow_zero=False)
    except (TimeError, MoneyError) as exc:
        raise OtError("bad --holiday-hours", [Problem(where, str(exc))]) from None
    minutes = hours * 60
    if minutes != minutes.to_integral_value() or not 0 < hours <= 24:
        raise OtError(
            "bad --holiday-hours", [Problem(where, "hours must be more than 0, at most 24, in whole minutes")]
        )
    return parts[0], day, int(minutes)


def _holiday_events(uow: UnitOfWork, holidays: Sequence[tuple[str, date, int]]) -> None:
    """Holiday hours become hours-only HOLIDAY entries (once: the same hours again add nothing)."""
    existing = {
        (e.worker_id, e.day, e.minutes)
        for e in uow.reads.shift_entries()
        if e.pay_type == "HOLIDAY" and e.day is not None
    }
    for wid, day, minutes in holidays:
        if (wid, day, minutes) in existing:
            continue
        seq = uow.head()[0] + 1
        uow.append(
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


def timecard_event(uow: UnitOfWork, draft: Draft) -> NewEvent:
    """The step-2 approval event of a draft timecard."""
    period = draft.period
    voids = uow.pay.timecard_voids(draft.worker_id, period.start)
    known = dict(draft.shift_versions)  # (the run that priced the draft gave them; else computed here)

    def version(s: Shift) -> str:
        return known.get(s.shift_id) or shift_version(s)

    worked = [{"shift_id": s.shift_id, "version": version(s)} for s in draft.shifts]
    leave = [
        {
            "shift_id": s.shift_id,
            "version": version(s),
            "day": shift_day(s).isoformat(),
            "pay_type": s.pay_type,
            "minutes": s.minutes or 0,
        }
        for s in draft.leave
    ]
    return NewEvent(
        TIMECARD_APPROVED,
        {
            "worker_id": draft.worker_id,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "pay_from": (draft.pay_from or period.start).isoformat(),
            "shifts": worked,
            "leave": leave,
            "corrections": [{"correction_id": c, "balance": b} for c, b in draft.correction_balances],
        },
        key=f"approval:timecard:{draft.worker_id}:{period.start.isoformat()}:{voids}",
        worker_id=draft.worker_id,
    )


def approve_timecards(
    ledger_path: Path,
    *,
    period_day: date,
    worker_ids: Sequence[str] = (),
    holiday_hours: Sequence[str] = (),
    all_or_nothing: bool = False,
    actor: str,
    now: datetime,
) -> ApproveResult:
    """Step 2: approve the ready timecards of the pay period holding ``period_day``.

    Without ``worker_ids``: every worker with something to pay up to the
    period's end (but the actor's own). A blocked timecard (an exception, an
    unapproved shift) is listed with what blocks it; the others are approved,
    unless ``all_or_nothing``.
    """
    holidays = [parse_holiday(h) for h in holiday_hours]
    with unit_of_work(ledger_path, actor=actor, now=now, write=True) as uow:
        uow.require("approve timecards")
        period = uow.period_containing(period_day)
        problems: list[Problem] = []
        for wid in worker_ids:
            if wid not in uow.roster:
                problems.append(Problem(f"--worker {wid}", f"no worker {wid!r} in the ledger"))
            elif wid == actor:
                problems.append(Problem(f"--worker {wid}", "nobody approves their own timecard: ask another admin"))
        for wid, day, _m in holidays:
            if wid not in uow.roster:
                problems.append(Problem(f"--holiday-hours {wid}", f"no worker {wid!r} in the ledger"))
            elif day not in period:
                problems.append(Problem(f"--holiday-hours {wid}", f"{day} is not in the pay period {period.label()}"))
            elif wid == actor:
                problems.append(Problem(f"--holiday-hours {wid}", "nobody approves their own timecard"))
            elif uow.pay.is_paid(wid, day):
                problems.append(
                    Problem(f"--holiday-hours {wid}", f"{day} is paid: add the hours as a correction instead")
                )
        if problems:
            raise OtError("no timecard was approved; nothing was written", problems)
        _holiday_events(uow, holidays)
        notes: list[str] = []
        ids = list(dict.fromkeys(worker_ids)) or None
        found = drafts(uow, period, ids)
        if ids is None and any(d.worker_id == actor for d in found):
            notes.append(f"{actor}: your own timecard needs another admin")
        ready: list[tuple[Draft, bool]] = []
        done: list[str] = []
        unchanged: list[str] = []
        blocked: list[Problem] = []
        for d in found:
            if d.worker_id == actor:
                continue
            if not d.has_pay:
                if d.carried:
                    notes.append(_carried_note(d))
                continue
            if d.blockers:
                blocked.extend(Problem(f"timecard {d.worker_id}: {p.where}", p.message) for p in d.blockers)
                continue
            card = uow.pay.timecard(d.worker_id, period.start)
            if card is not None and timecard_difference(card, d) is None:
                unchanged.append(f"{d.worker_id} {period.label()}")
                continue
            ready.append((d, card is not None))
            done.append(_approved_text(d))
        if worker_ids:
            listed = {d.worker_id for d in found}
            for wid in worker_ids:
                if wid not in listed:
                    unchanged.append(f"{wid} {period.label()} (nothing unpaid up to {period.end})")
        if blocked and (all_or_nothing or not ready):
            raise OtError(
                f"no timecard of {period.label()} was approved; nothing was written: "
                + ("fix these first (--all-or-nothing)" if all_or_nothing else "fix these first"),
                blocked,
            )
        # A timecard rests on its shifts' step-1 approvals: an approval row that is not the event it names,
        # or that a void ended (a table edited by hand), is refused here as the pay run would refuse it.
        check_shift_approvals(uow, {s.shift_id: s.worker_id for d, _again in ready for s in d.shifts})
        for d, again in ready:
            if again:  # the old approval is voided first, so the new one has a key of its own
                uow.append(
                    [
                        NewEvent(
                            TIMECARD_VOIDED,
                            {
                                "worker_id": d.worker_id,
                                "period_start": period.start.isoformat(),
                                "period_end": period.end.isoformat(),
                                "cause": "edited",
                                "reason": "approved again",
                            },
                            worker_id=d.worker_id,
                        )
                    ]
                )
        uow.append([timecard_event(uow, d) for d, _again in ready])
    return ApproveResult(tuple(done), tuple(unchanged), tuple(notes), tuple(blocked))


def _approved_text(d: Draft) -> str:
    text = f"{d.worker_id} {d.period.label()}: {len(d.shifts)} shifts"
    leave = sum(s.minutes or 0 for s in d.leave)
    if leave:
        text += f", {hours2(minutes_to_hours(leave))} h PTO/sick/holiday"
    if d.pay_from is not None and d.pay_from < d.period.start:
        text += f", unpaid dates from {d.pay_from}"
    if d.corrections:
        text += f", {len(d.corrections)} correction(s)"
    return text


def _carried_note(d: Draft) -> str:
    owed = ", ".join(f"{c.correction_id} {c.balance}" for c in d.carried)
    return (
        f"{d.worker_id}: overpayment {owed} still open: nothing to deduct it from up to {d.period.end}; "
        "it carries forward to their next pay"
    )


def unapprove_timecards(
    ledger_path: Path, *, period_day: date, worker_ids: Sequence[str], reason: str, actor: str, now: datetime
) -> ApproveResult:
    """Void step-2 approvals of the period holding ``period_day`` (an admin; not once paid)."""
    why = _need_reason(reason)
    if not worker_ids:
        raise OtError("say whose timecards", [Problem("--worker", "give --worker W (one or more)")])
    with unit_of_work(ledger_path, actor=actor, now=now, write=True) as uow:
        uow.require("unapprove timecards")
        period = uow.period_containing(period_day)
        problems: list[Problem] = []
        done: list[str] = []
        unchanged: list[str] = []
        events: list[NewEvent] = []
        for wid in dict.fromkeys(worker_ids):
            if uow.pay.paid_in(wid, period.start) is not None:
                problems.append(Problem(f"--worker {wid}", f"{period.label()} is paid: correct its shifts instead"))
            elif uow.pay.timecard(wid, period.start) is None:
                unchanged.append(f"{wid} {period.label()} (not approved)")
            else:
                events.append(
                    NewEvent(
                        TIMECARD_VOIDED,
                        {
                            "worker_id": wid,
                            "period_start": period.start.isoformat(),
                            "period_end": period.end.isoformat(),
                            "cause": "unapproved",
                            "reason": why,
                        },
                        worker_id=wid,
                    )
                )
                done.append(f"{wid} {period.label()}")
        if problems:
            raise OtError("no approval was voided; nothing was written", problems)
        uow.append(events)
    return ApproveResult(tuple(done), tuple(unchanged))


def leave_hours(shifts: Iterable[Shift]) -> Decimal:
    """Hours of PTO/SICK/HOLIDAY entries among ``shifts``."""
    return hours2(sum((s.entry_hours for s in shifts if s.pay_type in LEAVE_TYPES), Decimal(0)))


# --- status ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimecardStatus:
    """Where one worker's timecard of a period stands.

    Attributes:
        worker_id: Whose.
        name: Their name.
        shifts: Worked shifts on the unpaid dates it pays.
        approved: Of those, approved at their current version (step 1).
        leave_hours: PTO/SICK/HOLIDAY hours on those dates.
        timecard: ``paid``, ``approved``, ``changed`` (approved, then something changed),
            ``ready`` (every shift approved, step 2 not given), ``open`` (shifts to
            approve) or ``blocked`` (an exception to fix first).
        run_id: The pay run that paid it, if any.
        pay_from: First unpaid date it pays (None when paid).
        gross: What its dates price at now.
        corrections: Open corrections it settles.
        why: What blocks or changed it, in words ("" when nothing).
    """

    worker_id: str
    name: str
    shifts: int
    approved: int
    leave_hours: Decimal
    timecard: str
    run_id: str | None
    pay_from: date | None = None
    gross: Decimal = Decimal("0.00")
    corrections: int = 0
    why: str = ""


def _status(uow: UnitOfWork, d: Draft) -> TimecardStatus:
    period = d.period
    approvals = uow.pay.shift_approvals([s.shift_id for s in d.shifts])
    approved = sum(1 for s in d.shifts if (a := approvals.get(s.shift_id)) and a.version == shift_version(s))
    card = uow.pay.timecard(d.worker_id, period.start)
    why = ""
    if d.blockers:
        flagged = any("has " in p.message and "not approved" not in p.message for p in d.blockers)
        state = "blocked" if flagged else "open"
        why = "; ".join(str(p) for p in d.blockers)
    elif card is not None:
        diff = timecard_difference(card, d)
        state = "approved" if diff is None else "changed"
        why = diff or ""
    else:
        state = "ready"
    return TimecardStatus(
        d.worker_id,
        d.worker.name,
        len(d.shifts),
        approved,
        leave_hours(d.leave),
        state,
        None,
        d.pay_from,
        d.gross,
        len(d.corrections),
        why,
    )


def period_status(ledger_path: Path, period_day: date) -> tuple[PayPeriod, tuple[TimecardStatus, ...]]:
    """Every worker with something to pay up to the period's end, or paid in it."""
    with unit_of_work(ledger_path) as uow:
        period = uow.period_containing(period_day)
        rows: dict[str, TimecardStatus] = {}
        shown = [d for d in drafts(uow, period) if d.has_pay]
        # An approval row written in by hand is never counted as approved: refuse, naming the table.
        check_shift_approvals(uow, {s.shift_id: s.worker_id for d in shown for s in d.shifts})
        for d in shown:
            rows[d.worker_id] = _status(uow, d)
        for wid in sorted(uow.pay.paid_workers(period.start)):
            if wid in rows or wid not in uow.roster:
                continue
            payment = uow.pay.paid_in(wid, period.start)
            assert payment is not None
            rows[wid] = TimecardStatus(
                wid, uow.roster[wid].name, 0, 0, Decimal(0), "paid", payment.run_id, None, payment.gross
            )
    return period, tuple(rows[w] for w in sorted(rows))


def status_json(period: PayPeriod, rows: Sequence[TimecardStatus]) -> dict[str, Any]:
    """The status as JSON."""
    return {
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "pay_date": period.pay_date.isoformat(),
        },
        "timecards": [
            {
                "worker_id": r.worker_id,
                "name": r.name,
                "shifts": r.shifts,
                "approved": r.approved,
                "leave_hours": str(r.leave_hours),
                "timecard": r.timecard,
                "run_id": r.run_id,
                "pay_from": r.pay_from.isoformat() if r.pay_from else None,
                "gross": str(r.gross),
                "corrections": r.corrections,
                "why": r.why,
            }
            for r in rows
        ],
    }
