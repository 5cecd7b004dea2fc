"""The approval queue: what waits for the acting user in one pay period.

The Approvals screen shows what this module returns; the writes stay in
:mod:`ot.services.approvals`. Who sees what follows the same roster rules:

- step 1 (shifts): an admin sees every worker's shifts but their own, a
  manager those of the workers they manage, grouped per worker and workweek
  with the week's hours, overtime, double time, gross pay and exceptions;
- step 2 (timecards): only an admin, every timecard of the period but their own;
- a worker (or a name not in the roster) gets :attr:`Queue.refusal`, a
  sentence saying who may approve instead, never an empty list.

A shift or timecard whose approval was voided (an edit, a deletion, an
unapproval) shows state ``voided`` with the cause and reason of the last void,
so the approver sees why it is back in the queue.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ledger import outbox
from ledger.approvals import (
    CORRECTION,
    LEAVE_TYPES,
    SHIFT_APPROVED,
    SHIFT_VOIDED,
    TIMECARD_APPROVED,
    TIMECARD_VOIDED,
    ShiftApproval,
    shift_version,
)
from ledger.events import PUNCH_KIND
from ledger.pairing import EXCEPTIONS, MISSING_CLOCK, worked_ms
from ot.core.domain import Shift, Worker
from ot.core.errors import OtError
from ot.core.money import minutes_to_hours, shown_hours
from ot.core.periods import PayPeriod
from ot.core.timez import local, week_start
from ot.services.approvals import refusal, shift_day
from ot.services.deadlines import approve_by_period
from ot.services.pay import PriceRun, Window, workweek_of
from ot.services.paycycle import Priced, drafts, timecard_difference
from ot.services.uow import UnitOfWork, unit_of_work

__all__ = [
    "Queue",
    "QueueShift",
    "QueueWeek",
    "TimecardRow",
    "Void",
    "approval_queue",
    "changed_workers",
    "neighbour_day",
    "queue_since",
    "shift_queue",
]

ZERO = Decimal(0)

#: Step-1 states a shift can be in.
SHIFT_STATES: tuple[str, ...] = ("waiting", "voided", "approved", "no end", "exception", "leave", "paid")
#: States of a shift the approver can approve now.
APPROVABLE: tuple[str, ...] = ("waiting", "voided")


@dataclass(frozen=True)
class Void:
    """The last void of an approval.

    Attributes:
        cause: ``edited``, ``deleted`` or ``unapproved``.
        reason: The reason recorded with it (may be empty).
        actor: Who caused it.
        seq: Its event's sequence number.
    """

    cause: str
    reason: str
    actor: str
    seq: int

    def text(self) -> str:
        """``voided (edited: wrong out time)``."""
        return f"voided ({self.cause}: {self.reason})" if self.reason else f"voided ({self.cause})"


@dataclass(frozen=True)
class QueueShift:
    """One shift of the step-1 queue.

    Attributes:
        shift_id: The shift.
        worker_id: Whose shift.
        day: Local date it starts on.
        time_in: Local ``HH:MM`` it starts (empty for hours-only entries).
        time_out: Local ``HH:MM`` it ends (empty without an end or for hours-only).
        hours: Hours worked as recorded (None without an end).
        pay_type: ``REGULAR``, ``PTO``, ``SICK``, ``HOLIDAY``...
        exceptions: Flags to review (``missing_out``, ``overlap``...).
        state: One of :data:`SHIFT_STATES`.
        note: Who approved it, why it was voided, or why it cannot be approved here.
    """

    shift_id: str
    worker_id: str
    day: date
    time_in: str
    time_out: str
    hours: Decimal | None
    pay_type: str
    exceptions: tuple[str, ...]
    state: str
    note: str

    @property
    def approvable(self) -> bool:
        """Whether approving it now would record an approval."""
        return self.state in APPROVABLE


@dataclass(frozen=True)
class QueueWeek:
    """One worker's workweek in the step-1 queue.

    Attributes:
        worker_id: Whose week.
        name: Their name.
        week_start: First local day of the workweek.
        shifts: Its shifts starting in the pay period, in time order.
        hours: Hours recorded on those shifts.
        overtime: OT hours of the whole workweek (None when not priced).
        doubletime: DT hours of the whole workweek (None when not priced).
        gross: Gross pay of the whole workweek (None when not priced).
        problem: Why the week is not priced, if it is not.
    """

    worker_id: str
    name: str
    week_start: date
    shifts: tuple[QueueShift, ...]
    hours: Decimal
    overtime: Decimal | None
    doubletime: Decimal | None
    gross: Decimal | None
    problem: str | None

    @property
    def waiting(self) -> int:
        """Shifts the approver can approve now."""
        return sum(1 for s in self.shifts if s.approvable)

    @property
    def exceptions(self) -> int:
        """Shifts with an exception to review."""
        return sum(1 for s in self.shifts if s.exceptions)

    @property
    def rounding_note(self) -> str:
        """When the shifts' hours, each rounded to the hundredth, add up to something else than the week's
        (their exact time rounded once, as the pay counts it), says so: a reader adding the rows is told
        why (a review found 32 of the demo's 78 worker-weeks 0.01 apart; ``ot shifts`` says the same)."""
        shown = [s.hours for s in self.shifts if s.hours is not None and s.pay_type not in LEAVE_TYPES]
        added = sum(shown, Decimal(0))
        if not shown or added == self.hours:
            return ""
        return f"rows sum {added}, each rounded"


@dataclass(frozen=True)
class TimecardRow:
    """One worker's timecard of the pay period (step 2).

    Attributes:
        worker_id: Whose timecard.
        name: Their name.
        shifts: Worked shifts in the period.
        approved: Of those, approved at their current version (step 1).
        hours: Hours recorded on the worked shifts.
        leave_hours: PTO/SICK/HOLIDAY hours.
        exceptions: Worked shifts with an exception to fix first.
        state: ``paid``, ``approved``, ``changed`` (approved, then something
            changed), ``ready`` (every shift approved), ``voided`` (its approval
            was voided and it is ready again), ``open`` (shifts still unapproved)
            or ``blocked`` (a shift with an exception).
        note: Who approved it, the pay run, what blocks it, or the cause of the void.
        gross: What its unpaid dates price at now.
        corrections: Open corrections it settles.
    """

    worker_id: str
    name: str
    shifts: int
    approved: int
    hours: Decimal
    leave_hours: Decimal
    exceptions: int
    state: str
    note: str
    gross: Decimal = Decimal("0.00")
    corrections: int = 0

    @property
    def approvable(self) -> bool:
        """Whether approving it now would record a step-2 approval."""
        return self.state in ("ready", "voided", "changed")


@dataclass(frozen=True)
class Queue:
    """What waits for ``actor`` in ``period``.

    Attributes:
        actor: The acting user.
        role: Their role (``admin``, ``manager``, ``worker``; ``unknown`` when not in the roster).
        period: The pay period shown.
        weeks: Step 1: worker-weeks of the shifts the actor may approve.
        timecards: Step 2: every timecard of the period (admins only; empty otherwise).
        refusal: Why the actor approves nothing (None for a manager or an admin).
        head: The ledger's head when read (to notice later changes).
        approve_by: The period's approve-by line (:mod:`ot.services.deadlines`: the Monday after the
            period, earlier around holidays on the rules file's calendar).
        head_hash: The chain's hash at ``head`` (a ledger that is not this one's continuation is read whole).
    """

    actor: str
    role: str
    period: PayPeriod
    weeks: tuple[QueueWeek, ...]
    timecards: tuple[TimecardRow, ...]
    refusal: str | None
    head: int
    approve_by: str = ""
    head_hash: str = ""

    @property
    def steps(self) -> tuple[int, ...]:
        """The steps this actor approves: (1, 2) an admin, (1,) a manager, () anyone else."""
        if self.refusal is not None:
            return ()
        return (1, 2) if self.role == "admin" else (1,)

    @property
    def waiting_shifts(self) -> int:
        """Shifts waiting for step 1."""
        return sum(w.waiting for w in self.weeks)

    @property
    def waiting_timecards(self) -> int:
        """Timecards ready for step 2."""
        return sum(1 for t in self.timecards if t.approvable)


DAY = timedelta(days=1)


def neighbour_day(period: PayPeriod, step: int) -> date:
    """A day of the pay period before (``step`` -1) or after (1) ``period``."""
    return period.start - timedelta(days=1) if step < 0 else period.end + timedelta(days=1)


def _void(raw: Mapping[str, object] | None) -> Void | None:
    if raw is None:
        return None
    return Void(str(raw["cause"]), str(raw.get("reason") or ""), str(raw["actor"]), int(str(raw["seq"])))


def _refusal(actor: str, me: Worker | None) -> str | None:
    if me is None:
        return (
            f"{actor!r} is not in the roster, so nothing waits for you here: "
            "open ot as a manager or an admin (ot --as WORKER_ID)"
        )
    if me.role not in ("admin", "manager"):
        return (
            f"{me.worker_id} ({me.name}) is a {me.role}: only a worker's manager or an admin approves shifts, "
            "and only an admin approves timecards. Open ot as one of them (ot --as WORKER_ID)"
        )
    return None


def _shift_state(
    approvals: Mapping[str, ShiftApproval], voids: Mapping[str, Mapping[str, object]], s: Shift, paid: bool
) -> tuple[str, str]:
    if paid:
        return "paid", "paid: correct it from the timecards"
    if s.pay_type in LEAVE_TYPES:
        return "leave", f"{s.pay_type} is approved with the timecard (step 2)"
    if s.start is not None and s.end is None:
        return "no end", "no out-punch: add it (`ot punch add`) first"
    flagged = [x for x in s.exceptions if x in EXCEPTIONS]
    if flagged:
        return "exception", f"{', '.join(flagged)}: fix it before it can be approved"
    approval = approvals.get(s.shift_id)
    if approval is not None and approval.version == shift_version(s):
        return "approved", f"by {approval.actor} {approval.at:%Y-%m-%d}"
    if approval is not None:
        return "voided", "voided (changed since it was approved)"
    void = _void(voids.get(s.shift_id))
    if void is not None:
        return "voided", void.text()
    return "waiting", ""


def shift_states(uow: UnitOfWork, shifts: Sequence[Shift]) -> dict[str, tuple[str, str]]:
    """(state, note) of each shift's step-1 approval, as the queue shows it: ``approved``
    (by whom, when), ``voided`` (why), ``waiting``, ``leave``, ``no end``, ``exception`` or ``paid``."""
    ids = [s.shift_id for s in shifts]
    voids = uow.pay.last_shift_voids(ids)
    approvals = uow.pay.shift_approvals(ids)
    return {s.shift_id: _shift_state(approvals, voids, s, uow.pay.is_paid(s.worker_id, shift_day(s))) for s in shifts}


def _queue_shift(s: Shift, state: str, note: str) -> QueueShift:
    ms = worked_ms(s)
    return QueueShift(
        shift_id=s.shift_id,
        worker_id=s.worker_id,
        day=shift_day(s),
        # A lone out-punch (``missing_in``) is a zero-length record at the out time: its in time is unknown.
        time_in=MISSING_CLOCK
        if "missing_in" in s.exceptions
        else local(s.start, s.timezone).strftime("%H:%M")
        if s.start
        else "",
        time_out=local(s.end, s.timezone).strftime("%H:%M") if s.end else "",
        hours=s.entry_hours if s.start is None else shown_hours(ms) if ms is not None else None,
        pay_type=s.pay_type,
        exceptions=tuple(s.exceptions),
        state=state,
        note=note,
    )


def _weeks(
    uow: UnitOfWork, me: Worker, period: PayPeriod, *, window: bool = False, only: Collection[str] | None = None
) -> tuple[list[QueueWeek], PriceRun | None, str | None, Priced | None]:
    """The workweeks of the shifts ``me`` may approve in ``period``, with the run that priced them (None,
    with why, when the engine refused it); with ``window``, that run as :func:`drafts` may take it (the
    timecards of the same workers then cost no second pricing). ``only``: of these workers alone."""
    visible = sorted(
        w for w, worker in uow.roster.items() if (only is None or w in only) and refusal(me, worker, "approve") is None
    )
    shifts = uow.shifts(visible, period.start, period.end)
    if not shifts:
        return [], None, None, None
    start_day, _ = workweek_of(uow.history.book_on(period.start), period.start)
    groups: dict[tuple[str, date], list[Shift]] = {}
    for s in shifts:
        day = shift_day(s)
        groups.setdefault((s.worker_id, week_start(day, start_day)), []).append(s)
    problem: str | None = None
    priced = None
    ids = sorted({w for w, _ in groups})
    # With a window, every worker of the roster: the drafts of the timecards read them all.
    wider = sorted(w for w in uow.roster if only is None or w in only) if window else ids
    try:
        if window:
            try:
                priced = uow.price(wider, period.start, period.end, window=Window(period.start - DAY, period.end))
            except OtError:  # a refusal: the shown weeks priced alone, as without timecards (the drafts apart)
                wider, priced = ids, uow.price(ids, period.start, period.end)
        else:
            priced = uow.price(ids, period.start, period.end)
    except OtError as exc:  # an unpriceable week still lists its shifts for review
        problem = exc.render()
    states = shift_states(uow, shifts)
    by_week = {(pw.worker.worker_id, pw.result.week_start): pw for pw in priced.weeks} if priced is not None else {}
    out: list[QueueWeek] = []
    for (wid, first), own in sorted(groups.items()):
        rows = tuple(_queue_shift(s, *states[s.shift_id]) for s in own)
        week = by_week.get((wid, first))
        # The exact time of the week's shifts, rounded once, as the pay counts it (not the rounded lines added).
        hours = shown_hours(sum(m for s in own if s.pay_type not in LEAVE_TYPES and (m := worked_ms(s)) is not None))
        out.append(
            QueueWeek(
                worker_id=wid,
                name=uow.roster[wid].name,
                week_start=first,
                shifts=rows,
                hours=hours,
                overtime=week.result.overtime_hours if week else None,
                doubletime=week.result.doubletime_hours if week else None,
                gross=week.result.gross if week else None,
                problem=problem if week is None and problem else None,
            )
        )
    reuse = (
        Priced(frozenset(wider), period.start, period.end, priced)
        if priced is not None and priced.window is not None
        else None
    )
    return out, priced, problem, reuse


def _timecards(
    uow: UnitOfWork, me: Worker, period: PayPeriod, priced: Priced | None = None, only: Collection[str] | None = None
) -> list[TimecardRow]:
    rows: list[TimecardRow] = []
    for d in drafts(uow, period, None if only is None else sorted(only), priced=priced):
        wid = d.worker_id
        if wid == me.worker_id or not d.has_pay:
            continue
        approvals = uow.pay.shift_approvals([s.shift_id for s in d.shifts])
        versions = dict(d.shift_versions)
        approved = sum(
            1
            for s in d.shifts
            if (a := approvals.get(s.shift_id)) and a.version == (versions.get(s.shift_id) or shift_version(s))
        )
        worked = sum(m for m in (worked_ms(s) for s in d.shifts) if m is not None)
        leave = sum(s.minutes or 0 for s in d.leave)
        card = uow.pay.timecard(wid, period.start)
        void = _void(uow.pay.last_timecard_void(wid, period.start))
        exceptions = sum(1 for s in d.shifts if any(x in EXCEPTIONS for x in s.exceptions) or s.end is None)
        if exceptions:
            state, note = "blocked", f"{exceptions} shift(s) with an exception to fix first"
        elif approved < len(d.shifts):
            state = "open"
            note = f"{len(d.shifts) - approved} shifts wait for step 1"
            if void is not None:
                note = f"{void.text()}; {note}"
        elif card is not None:
            diff = timecard_difference(card, d)
            if diff is None:
                state, note = "approved", f"by {card.actor} {card.at:%Y-%m-%d}"
            else:
                state, note = "changed", diff
        elif void is not None:
            state, note = "voided", void.text()
        else:
            state, note = "ready", ""
        if d.pay_from is not None and d.pay_from < period.start and state != "approved":
            note = f"{note}; unpaid dates from {d.pay_from}".lstrip("; ")
        rows.append(
            TimecardRow(
                worker_id=wid,
                name=d.worker.name,
                shifts=len(d.shifts),
                approved=approved,
                hours=shown_hours(worked),
                leave_hours=minutes_to_hours(leave),
                exceptions=exceptions,
                state=state,
                note=note,
                gross=d.gross,
                corrections=len(d.corrections),
            )
        )
    drafted = {r.worker_id for r in rows}
    for wid in sorted(uow.pay.paid_workers(period.start)):
        if (only is not None and wid not in only) or wid == me.worker_id or wid not in uow.roster or wid in drafted:
            continue
        payment = uow.pay.paid_in(wid, period.start)
        assert payment is not None
        rows.append(
            TimecardRow(
                worker_id=wid,
                name=uow.roster[wid].name,
                shifts=0,
                approved=0,
                hours=ZERO,
                leave_hours=ZERO,
                exceptions=0,
                state="paid",
                note=f"paid by {payment.run_id}",
                gross=payment.gross,
            )
        )
    return sorted(rows, key=lambda r: r.worker_id)


def approval_queue(ledger_path: Path, actor: str, period_day: date) -> Queue:
    """What waits for ``actor`` in the pay period holding ``period_day`` (one read of the ledger)."""
    with unit_of_work(ledger_path, actor=actor) as uow:
        return shift_queue(uow, actor, period_day, timecards=True)[0]


def queue_since(ledger_path: Path, actor: str, period_day: date, shown: Queue | None) -> Queue:
    """:func:`approval_queue` of ``actor`` and ``period_day``, read again after ``shown`` (None: read whole).

    When everything appended since ``shown`` was read changes only the rows of the worker it names
    (:data:`WORKER_SCOPED`: an approval or a void of one, a punch from a timeclock, a shift fixed,
    here or in another process), only those workers' rows are read again, and ``shown``'s others
    kept: the queue :func:`approval_queue` would read (tests/approvals/test_queue_since.py, over
    sequences of commands), in the time of those workers rather than of the whole roster. Anything
    else (a rules file, a pay run, the roster, the pay calendar), more than :data:`SINCE_LIMIT`
    events, another actor or period, or a queue the engine could not price whole: the whole queue
    is read again."""
    with unit_of_work(ledger_path, actor=actor) as uow:
        changed = None if shown is None else _changed_workers(uow, shown, actor, period_day)
        if shown is None or changed is None:
            return shift_queue(uow, actor, period_day, timecards=True)[0]
        if not changed:
            return shown
        part, _, problem = shift_queue(uow, actor, period_day, timecards=True, only=changed)
        if problem is not None or part.refusal is not None or part.period != shown.period:
            return shift_queue(uow, actor, period_day, timecards=True)[0]
        return Queue(
            shown.actor,
            shown.role,
            shown.period,
            tuple(sorted((*(w for w in shown.weeks if w.worker_id not in changed), *part.weeks), key=_week_order)),
            tuple(
                sorted(
                    (*(t for t in shown.timecards if t.worker_id not in changed), *part.timecards),
                    key=lambda t: t.worker_id,
                )
            ),
            None,
            part.head,
            shown.approve_by,
            part.head_hash,
        )


#: Event kinds that change only the queue rows of the worker they name (the engine prices each worker
#: alone, and who sees a worker's rows depends on that worker's record and the actor's): approvals and
#: their voids (steps 1 and 2); the worker's punches, manual shifts and their edits and deletions, the
#: corrections those make on paid dates, schedules and excused days, earnings, pay rates and PINs; the
#: sync outbox (not shown). Not the roster's other changes (a name, a manager, a role), locations, rules,
#: pay periods or pay runs: after those the queue is read whole.
WORKER_SCOPED: frozenset[str] = frozenset(
    {
        SHIFT_APPROVED,
        SHIFT_VOIDED,
        TIMECARD_APPROVED,
        TIMECARD_VOIDED,
        PUNCH_KIND,
        "shift.entered",
        "shift.edited",
        "shift.deleted",
        CORRECTION,
        "schedule.set",
        "schedule.excused",
        "earning.recorded",
        "earning.voided",
        "worker.rate_changed",
        "worker.pin_set",
        outbox.ENQUEUED,
        outbox.STARTED,
        outbox.SENT,
        outbox.FAILED,
        outbox.DELETED,
    }
)
#: Past this many events since a queue was read, it is read whole again (one pricing of every worker
#: costs less than many of a few).
SINCE_LIMIT = 500


def _week_order(w: QueueWeek) -> tuple[str, date]:
    return w.worker_id, w.week_start


def _changed_workers(uow: UnitOfWork, shown: Queue, actor: str, period_day: date) -> frozenset[str] | None:
    """The workers named by the events appended since ``shown`` was read, when each is worker-scoped
    (:data:`WORKER_SCOPED`) and ``shown`` can be kept for the others; else None (read it whole)."""
    if shown.actor != actor or shown.refusal is not None or any(w.problem for w in shown.weeks):
        return None
    return changed_workers(uow, (shown.head, shown.head_hash), shown.period, period_day)


def changed_workers(
    uow: UnitOfWork, head: tuple[int, str], period: PayPeriod, period_day: date
) -> frozenset[str] | None:
    """The workers named by the events appended after ``head`` (sequence number and the chain's hash
    there), when the ledger is that chain continued (a ledger restored or replaced is not), each is
    worker-scoped (:data:`WORKER_SCOPED`), there are at most :data:`SINCE_LIMIT`, and ``period_day``
    lies in ``period`` (a view of ``period`` read at ``head`` can then be kept for every other
    worker); else None."""
    if not period.start <= period_day <= period.end:
        return None
    now = uow.head()[0]
    if now < head[0] or not head[1] or uow.reads.hash_at(head[0]) != head[1]:
        return None
    seq = head[0]
    since = uow.reads.kinds_after(seq, SINCE_LIMIT + 1)
    if len(since) > SINCE_LIMIT or len(since) != now - seq:
        return None
    changed: set[str] = set()
    for kind, wid in since:
        if kind not in WORKER_SCOPED or wid is None:
            return None
        changed.add(wid)
    return frozenset(changed)


def shift_queue(
    uow: UnitOfWork, actor: str, period_day: date, *, timecards: bool, only: Collection[str] | None = None
) -> tuple[Queue, PriceRun | None, str | None]:
    """The queue of :func:`approval_queue` in an open unit (the step-2 timecards only with ``timecards``),
    with the run that priced its workweeks, or None and why the engine refused it (the Exceptions
    screen reads the premiums of the same run rather than pricing the weeks again). ``only``: the rows
    of these workers alone (:func:`queue_since`)."""
    head, head_hash = uow.head()
    period = uow.period_containing(period_day)
    deadline = approve_by_period(period, uow.history.book_on(period.end)).line()
    me = uow.roster.get(actor)
    why = _refusal(actor, me)
    if why is not None or me is None:
        return Queue(actor, me.role if me else "unknown", period, (), (), why, head, deadline, head_hash), None, None
    wanted = timecards and me.role == "admin"
    weeks, priced, problem, reuse = _weeks(uow, me, period, window=wanted, only=only)
    cards = _timecards(uow, me, period, reuse, only) if wanted else []
    return Queue(actor, me.role, period, tuple(weeks), tuple(cards), None, head, deadline, head_hash), priced, problem
