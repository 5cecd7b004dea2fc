"""Sync approved shifts to payroll targets: the outbox, the plan, the send, the report, the roster refresh.

- Step-1 approval calls :func:`approval_outbox` inside its own transaction:
  each approved shift version enters every configured target's outbox
  (``sync.enqueued``).
- :func:`run_sync` plans per target (create / update / delete per shift),
  refuses before sending what the target would reject (recorded as ``Error``
  with what to do), records ``sync.started`` (committed) before calling the
  target and ``sync.sent`` / ``sync.failed`` after, each in its own
  transaction. A ``started`` with no result (a sync that stopped mid-call), or a
  result that says the target may have acted (a call with no clear answer), is an
  unknown outcome: the next run sends nothing about that shift until such a call
  can no longer be landing, then looks the shift up at the target (on its dates
  in those attempts too: :func:`ot.sync.outbox.pending`) before sending again, so
  that a crash or a timeout never makes a second copy.
- A target that takes W-2 employees' hours only (``w2_only``: Everee's worked
  shifts) is not sent 1099 contractors' shifts: they are no Error there, and the
  run says once that they were not sent (:attr:`SyncRun.notes`).
- Each approved shift version is sent to a target at most once, whatever
  syncs run at once, on one machine or several: the write that records
  ``sync.started`` first reads the outbox again (inside the ledger's write lock,
  caught up with every machine) and drops each op whose shift moved since it
  was planned (:func:`_claim`): another sync started, sent or deleted it. The
  sync lock (:func:`sync_lock`: a file lock, and on PostgreSQL the database's,
  for every machine) spares that race its wasted work, and is what lets a sync
  take over an attempt left open (no other sync can still be making it). The
  database's lock can be lost with its connection while its sync still runs: a
  sync checks it before each call it sends (:func:`ot.sync.target.fence`), and
  one that takes over open attempts first waits for calls still in flight
  (:func:`_wait_for_calls_in_flight`).
- :func:`sync_report` is the Hours Sync Report (Sent / Send / Error).
- :func:`refresh_roster` pulls roster changes from the configured workers file;
  :func:`auto_refresh` does it when the last refresh is older than 24 hours.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from ledger.approvals import LEAVE_TYPES, shift_version
from ledger.events import NewEvent
from ledger.imports import read_bounded
from ledger.remote import SYNC_LOCK_KEY, SessionLock
from ledger.store import Writer
from ot.core.domain import Shift, Worker
from ot.core.errors import OtError, PermissionDenied, Problem
from ot.core.timez import week_start
from ot.services.approvals import describe_shift, shift_day
from ot.services.exports import LedgerPayView
from ot.services.pay import workweek_of
from ot.services.trust import SYNC_TABLES, check_projections, outbox_problems, shift_approval_problems
from ot.services.uow import UnitOfWork, unit_of_work
from ot.sync import outbox, registry
from ot.sync.config import SyncConfig, TargetConfig, load_config
from ot.sync.csv_target import worked_minutes
from ot.sync.target import Op, Outcome, SendContext, Target, fence, holds, in_flight_seconds

__all__ = [
    "PlanLine",
    "ReportRow",
    "ReportWeek",
    "SyncLock",
    "SyncRun",
    "approval_outbox",
    "auto_refresh",
    "make_target",
    "refresh_roster",
    "run_sync",
    "sync_lock",
    "sync_report",
]

DAY_MINUTES = 24 * 60


def make_target(config: TargetConfig, sleep: Callable[[float], None] = time.sleep) -> Target:
    """The target a config table describes: the class registered for its kind (``ot.sync.registry``)."""
    return registry.make_target(config, sleep)


# --- the outbox at approval -----------------------------------------------------------


def approval_outbox(uow: UnitOfWork, approved: Sequence[tuple[Shift, str]]) -> list[NewEvent]:
    """``sync.enqueued`` events for shifts just approved (shift, version), one per target
    (the key holds how many times each shift's approval was voided so far).

    Called by step-1 approval inside its own transaction, so that an approval
    and its outbox entries are written together or not at all. No config (or a
    broken one): no entries now; ``ot sync`` adds the missing ones before it sends.
    """
    try:
        config = load_config(uow.path)
    except OtError:
        # A broken sync config must not block approvals: `ot sync` reports it, and puts
        # every approved shift missing from the outbox there (the backfill of `_plan`).
        return []
    if not config.targets or not approved:
        return []
    out: list[NewEvent] = []
    for target in config.targets:
        for shift, version in approved:
            key = outbox.sync_key(target, shift.shift_id, version, uow.pay.shift_voids(shift.shift_id))
            out.append(outbox.enqueued_event(target, shift.shift_id, shift.worker_id, version, shift_day(shift), key))
    return out


# --- planning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    """One line of a sync plan or result.

    Attributes:
        target: Target name.
        shift_id: The shift.
        worker_id: Whose.
        action: ``create``, ``update``, ``delete``, ``refuse`` or ``hold``.
        description: The shift in words.
        result: ``planned``, ``sent``, ``send`` (transient failure), ``error`` or ``held`` (the
            target takes it later, for example an export once a pay run paid it; nothing recorded).
        message: Why it failed or was refused.
        what_to_do: What to do about it.
    """

    target: str
    shift_id: str
    worker_id: str
    action: str
    description: str
    result: str = "planned"
    message: str = ""
    what_to_do: str = ""


@dataclass(frozen=True)
class _Plan:
    target: Target
    ops: tuple[Op, ...]
    refused: tuple[tuple[Op, str, str], ...]
    ctx: SendContext
    backfill: tuple[NewEvent, ...]
    descriptions: dict[str, str] = field(default_factory=dict)
    held: tuple[tuple[Op, str], ...] = ()
    #: shift_id -> the sequence number of the last ``sync.*`` event about it at this target when the
    #: plan was made (None: none yet), what :func:`_claim` compares with just before it starts an op.
    marks: dict[str, int | None] = field(default_factory=dict)
    #: (shift_id, worker_id) of the contractors' shifts a W-2-only target does not take (:func:`_not_taken`).
    contractors: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Scope:
    """Which shifts a sync or a report looks at: (worker, day) pairs, and the outbox of those shifts.

    Attributes:
        days: worker_id -> the local days to load shifts for.
        state: The outbox rows of the shifts in scope.
    """

    days: dict[str, set[date]]
    state: outbox.OutboxState


#: How far back the report shows what was sent (a workweek): older weeks are one `--week` or `--all` away.
RECENT = timedelta(days=7)


def _scope(
    uow: UnitOfWork,
    now: datetime,
    targets: Iterable[str],
    *,
    week: date | None = None,
    everything: bool = False,
) -> _Scope:
    """The shifts that need a look, found through the indexed approval and outbox tables, so that the
    cost follows the work waiting rather than the history: approved shifts a target (``targets``: those
    of the config in use, and any the outbox knows) does not hold at their approved version (or with a
    failure, or an attempt of unknown outcome), shifts a target holds that are no longer approved,
    PTO/SICK/HOLIDAY entries of approved timecards, what was sent in the last seven days, and the
    workweek of ``week``. ``everything``: every approved or synced shift."""
    conn = uow.ledger.connection
    rows: list[tuple[str, str, str | None]] = []
    if everything:
        rows += conn.execute(
            "SELECT shift_id, worker_id, day FROM shift_approvals WHERE version IS NOT NULL"
        ).fetchall()
        rows += conn.execute("SELECT shift_id, worker_id, day FROM sync_shifts").fetchall()
    else:
        known = [r[0] for r in conn.execute("SELECT DISTINCT target FROM sync_shifts")]
        for name in {*known, *targets}:
            rows += conn.execute(
                "SELECT a.shift_id, a.worker_id, a.day FROM shift_approvals a LEFT JOIN sync_shifts s "
                "ON s.target = ? AND s.shift_id = a.shift_id WHERE a.version IS NOT NULL "
                "AND (s.shift_id IS NULL OR s.clean = 0 OR s.sent_version IS NOT a.version)",
                (name,),
            ).fetchall()
        rows += conn.execute(
            "SELECT s.shift_id, s.worker_id, s.day FROM sync_shifts s LEFT JOIN shift_approvals a "
            "ON a.shift_id = s.shift_id WHERE a.version IS NULL AND (s.sent_version IS NOT NULL OR s.clean = 0)"
        ).fetchall()
        rows += conn.execute(
            "SELECT shift_id, worker_id, day FROM sync_shifts WHERE sent_at > ?",
            ((now - RECENT).strftime("%Y-%m-%dT%H:%M:%SZ"),),
        ).fetchall()
        if week is not None:
            first, last = (week - timedelta(days=7)).isoformat(), (week + timedelta(days=7)).isoformat()
            rows += conn.execute(
                "SELECT shift_id, worker_id, day FROM shift_approvals WHERE version IS NOT NULL AND day BETWEEN ? AND ?",
                (first, last),
            ).fetchall()
            rows += conn.execute(
                "SELECT shift_id, worker_id, day FROM sync_shifts WHERE day BETWEEN ? AND ?", (first, last)
            ).fetchall()
    days: dict[str, set[date]] = {}
    ids: set[str] = set()
    for sid, wid, day in rows:
        ids.add(sid)
        if day:
            days.setdefault(wid, set()).add(date.fromisoformat(day))
    cards = uow.pay.leave_timecards(unpaid_only=not everything)
    if week is not None and not everything:
        cards += uow.pay.leave_timecards(first=week - timedelta(days=7), last=week + timedelta(days=7))
    for card in cards:
        days.setdefault(card.worker_id, set()).update((card.pay_from, card.period_end))
        ids.update(sid for sid, _v in card.leave)
    # Whole pay periods, every worker: a target may rewrite a period's file, and must see all of it.
    periods = {uow.period_containing(d) for ds in days.values() for d in ds}
    for period in periods:
        first, last = (period.start - timedelta(days=1)).isoformat(), period.end.isoformat()
        for sid, wid, day in [
            *conn.execute(
                "SELECT shift_id, worker_id, day FROM shift_approvals WHERE version IS NOT NULL AND day BETWEEN ? AND ?",
                (first, last),
            ),
            *conn.execute("SELECT shift_id, worker_id, day FROM sync_shifts WHERE day BETWEEN ? AND ?", (first, last)),
        ]:
            ids.add(sid)
            if day:
                days.setdefault(wid, set()).add(date.fromisoformat(day))
    return _Scope(days, outbox.read_state(conn, ids))


def _only_scope(uow: UnitOfWork, only: str | None, now: datetime, targets: Iterable[str]) -> _Scope:
    """The scope of a sync to ``targets``: what waits, or the one shift sent by hand (and its pay period)."""
    if only is None:
        return _scope(uow, now, targets)
    shift = uow.find_shift(only)
    days = [shift_day(shift)] if shift is not None else []
    days += [sync.day for sync in _read_state(uow, [only]).shifts.values() if sync.day is not None]
    return _scope(uow, now, targets, week=days[0] if days else None)


def _clusters(days: set[date]) -> list[tuple[date, date]]:
    """Runs of days no more than a week apart, so that scattered days load little."""
    out: list[tuple[date, date]] = []
    for d in sorted(days):
        if out and (d - out[-1][1]).days <= 7:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _wanted(uow: UnitOfWork, scope: _Scope) -> tuple[dict[str, Shift], dict[str, Shift], outbox.OutboxState]:
    """(shifts to send, every shift in force seen, the outbox of them all), by id, among the shifts in
    scope. To send: worked shifts approved (step 1) at their current version, and PTO/SICK/HOLIDAY
    entries held by an approved timecard (step 2)."""
    wanted: dict[str, Shift] = {}
    seen: dict[str, Shift] = {}
    ranges: dict[str, list[tuple[date, date]]] = {}
    for wid, ds in sorted(scope.days.items()):
        if wid not in uow.roster:
            continue
        for first, last in _clusters(ds):
            # Whole pay periods: a target may rewrite a period's file, and must see all of it.
            first = min(first - timedelta(days=1), uow.period_containing(first).start)
            last = max(last + timedelta(days=1), uow.period_containing(last).end)
            ranges.setdefault(wid, []).append((first, last))
    leave: set[tuple[str, str]] = set()
    if ranges:
        lo = min(a for rs in ranges.values() for a, _b in rs)
        hi = max(b for rs in ranges.values() for _a, b in rs)
        for card in uow.pay.leave_timecards(first=lo, last=hi):
            leave.update(card.leave)
    for wid, rs in ranges.items():
        for first, last in rs:
            found = uow.shifts([wid], first, last)
            approvals = uow.pay.shift_approvals([s.shift_id for s in found])
            for s in found:
                seen[s.shift_id] = s
                version = shift_version(s)
                a = approvals.get(s.shift_id)
                if (a is not None and a.version == version) or (s.shift_id, version) in leave:
                    wanted[s.shift_id] = s
    ids = {*seen, *(sid for (_t, sid) in scope.state.shifts)}
    return wanted, seen, _read_state(uow, sorted(ids))


def _check_tables(uow: UnitOfWork, seen: dict[str, Shift], *, done: str = "nothing was written or sent") -> None:
    """Refuse, naming the table and what to do, when a derived table a sync (or its report) reads differs
    from the events: the roster, rates, locations, shifts and pay state, the outbox (``sync_shifts``), and
    the step-1 approval rows of the shifts in scope. Nobody trusts a table that can be edited where the
    events say otherwise: a sync would send an approval written in by hand, a second copy of a shift whose
    outbox row was deleted, or a rate edited in the table. The tables are folded from the last kept check
    (:func:`ot.services.trust.check_projections`), so this costs the events since the last pay run."""
    problems = list(shift_approval_problems(uow, {sid: seen[sid].worker_id for sid in sorted(seen)}).values())
    problems += outbox_problems(uow.ledger.connection, {sid: s.worker_id for sid, s in seen.items()})
    try:
        check_projections(uow, SYNC_TABLES)
    except OtError as exc:
        problems += exc.problems
    if problems:
        raise OtError(
            f"refused: a derived table does not match the events; {done}: the ledger file was edited outside ot; "
            "find who edited it (`ot ledger verify`), then run `ot ledger rebuild`",
            problems,
        )


def _week_end(uow: UnitOfWork, day: date) -> date:
    try:
        start_day, _ = workweek_of(uow.history.book_on(day), day)
    except OtError:
        start_day = 6
    first = week_start(day, start_day)
    return first + timedelta(days=6)


def _paid_periods(uow: UnitOfWork) -> frozenset[tuple[str, date]]:
    """(worker, period start) of every pay period any of whose dates a worker has been paid."""
    out: set[tuple[str, date]] = set()
    for wid, (first, last) in uow.pay.paid_ranges().items():
        for period in uow.schedule.periods_between(first, last):
            out.add((wid, period.start))
    return frozenset(out)


def _correction(uow: UnitOfWork, shift: Shift | None, worker_id: str, day: date) -> bool:
    """Whether sending this shift (None: deleting it) changes a paid date: a first send of the
    very version that was paid is not a correction (it was paid before it was sent)."""
    if not uow.pay.is_paid(worker_id, day):
        return False
    if shift is None:
        return True
    version = shift_version(shift)
    return not any((shift.shift_id, version) in card.versions for card in uow.pay.timecards_of_worker(worker_id))


def _changed_since_paid(
    uow: UnitOfWork, wanted: dict[str, Shift], seen: dict[str, Shift], paid: frozenset[tuple[str, date]]
) -> dict[tuple[str, date], str]:
    """(worker, period start) -> why, for the paid periods of the shifts in ``wanted`` that are no longer
    exactly what was paid: a shift on a paid date at a version no timecard paid, a shift a paid timecard
    holds at another version than its approved one now (edited, deleted or unapproved since), or a
    correction of one of its workweeks. A target that writes whole files cannot write them again."""
    periods: dict[str, dict[date, tuple[date, date]]] = {}
    for s in wanted.values():
        period = uow.period_containing(shift_day(s))
        if (s.worker_id, period.start) in paid:
            periods.setdefault(s.worker_id, {})[period.start] = (period.start, period.end)
    out: dict[tuple[str, date], str] = {}
    # Each worker's shifts, grouped once (a review: a scan of every shift per worker cost 4 s at 2,000 workers).
    by_worker: dict[str, dict[str, str]] = {}
    for sid, s in wanted.items():
        if s.worker_id in periods:
            by_worker.setdefault(s.worker_id, {})[sid] = shift_version(s)
    for wid, spans in sorted(periods.items()):
        cards = [c for c in uow.pay.timecards_of_worker(wid) if uow.pay.is_paid(wid, c.period_end)]
        paid_versions = frozenset(v for c in cards for v in c.versions)
        current = by_worker.get(wid, {})
        corrections = uow.pay.corrections(wid)
        for start, (first, last) in sorted(spans.items()):
            why: str | None = None
            for sid, version in sorted(current.items()):
                day = shift_day(wanted[sid])
                if first <= day <= last and uow.pay.is_paid(wid, day) and (sid, version) not in paid_versions:
                    why = f"shift {sid} on {day} was changed after it was paid"
                    break
            for card in cards:
                if why is not None or card.pay_from > last or card.period_end < first:
                    continue
                unseen = [sid for sid, _v in card.shifts if sid not in seen]
                approvals = uow.pay.shift_approvals(unseen) if unseen else {}
                for sid, version in card.shifts:
                    if sid in seen:
                        moved = current.get(sid) != version
                    else:  # outside the dates read: its approval row says whether it is still that version
                        a = approvals.get(sid)
                        moved = a is None or a.version != version
                    if moved:
                        why = f"shift {sid}, paid by the timecard of {card.period_start}, was edited, deleted or unapproved"
                        break
            if why is None:
                for c in corrections:
                    if c.week_start <= last and c.week_start + timedelta(days=6) >= first:
                        why = f"correction {c.correction_id} of the week of {c.week_start}"
                        break
            if why is not None:
                out[(wid, start)] = why
    return out


def _send_context(
    uow: UnitOfWork,
    wanted: dict[str, Shift],
    now: datetime,
    *,
    pay: bool = False,
    seen: dict[str, Shift] | None = None,
) -> SendContext:
    paid = _paid_periods(uow)
    schedule, history = uow.schedule, uow.history  # read now: the sends run after the unit ends

    def period_of(day: date) -> tuple[date, date]:
        period = schedule.period_containing(day)
        return period.start, period.end

    def week_end_of(day: date) -> date:
        try:
            start_day, _ = workweek_of(history.book_on(day), day)
        except OtError:
            start_day = 6
        return week_start(day, start_day) + timedelta(days=6)

    return SendContext(
        roster=uow.roster,
        locations=uow.locations,
        wanted=wanted,
        paid_periods=paid,
        changed_since_paid=_changed_since_paid(uow, wanted, wanted if seen is None else seen, paid),
        now=now,
        period_of=period_of,
        week_end_of=week_end_of,
        ledger_head=uow.head(),
        pay=LedgerPayView.read(uow, {s.worker_id for s in wanted.values()}) if pay else None,
    )


def _over_24(wanted: dict[str, Shift]) -> set[tuple[str, date, str]]:
    totals: dict[tuple[str, date, str], int] = {}
    for s in wanted.values():
        k = (s.worker_id, shift_day(s), s.pay_type)
        totals[k] = totals.get(k, 0) + worked_minutes(s)
    return {k for k, m in totals.items() if m > DAY_MINUTES}


def _common_refusal(
    op: Op, target: Target, uow: UnitOfWork, over: set[tuple[str, date, str]], now: datetime
) -> tuple[str, str] | None:
    """The seeds' refusals, checked before anything is sent."""
    worker = uow.roster.get(op.worker_id)
    if worker is None:
        return (
            f"worker {op.worker_id} is not in the roster",
            "import them (`ot import workers FILE`) or refresh the roster (`ot sync refresh`), then send again",
        )
    if op.action == "delete":
        if op.correction:
            return (
                f"{op.day} is a paid date of {op.worker_id}: a shift on a paid date cannot be deleted at the target",
                "restore the shift, or record the change as a correction (`ot shift edit ... --correction-authorized`)",
            )
        return None
    shift = op.shift
    assert shift is not None
    if not worker.active:
        return (
            f"worker {op.worker_id} has a status that does not allow timecards (inactive)",
            f"reactivate {op.worker_id} in the roster (or delete the shift), then send again",
        )
    if target.w2_only and worker.type != "W2":  # a shift it holds (:func:`_not_taken`): sent when they were W-2
        return (
            f"worker {op.worker_id} is a {worker.type} contractor: {target.name} takes timecards of W-2 employees only",
            f"change the worker's type if it is wrong; else delete the shift at {target.name} by hand "
            "(a contractor's hours are paid outside this target)",
        )
    location = shift.location_id or worker.location_id
    if location not in uow.locations:
        return (
            f"work location {location} of shift {op.shift_id} could not be found",
            f"add location {location} (`ot import locations FILE`) or fix the shift's location",
        )
    current = uow.period_containing(now.date())
    if op.day > current.end:
        return (
            f"there is no open pay period for {op.day}: the latest open period is {current.label()}",
            "check the shift's date; it is sent once its pay period opens",
        )
    if (op.worker_id, op.day, shift.pay_type) in over:
        return (
            f"{op.worker_id} has more than 24 hours of {shift.pay_type} on {op.day}",
            "fix the overlapping or mistyped shifts of that day, approve them again, then send",
        )
    if op.correction and not target.correction_authorized:
        return (
            f"{op.day} is a paid date of {op.worker_id}: this change is a correction, "
            f"and {target.name} is not authorized to send corrections",
            f"set correction_authorized = true under [targets.{target.name}] in the sync config "
            "(with correction_timeframe), or correct it in payroll by hand",
        )
    return None


def _plan(
    uow: UnitOfWork,
    scope: _Scope,
    target: Target,
    now: datetime,
    *,
    only: str | None,
    force: bool,
    retry_errors: bool = False,
) -> _Plan:
    wanted, seen, state = _wanted(uow, scope)
    _check_tables(uow, seen)
    send_ctx = _send_context(uow, wanted, now, pay=bool(getattr(target, "reads_pay", False)), seen=seen)
    over = _over_24(wanted)
    name = target.name
    ops: list[Op] = []
    refused: list[tuple[Op, str, str]] = []
    held: list[tuple[Op, str]] = []
    backfill: list[NewEvent] = []
    descriptions: dict[str, str] = {}
    contractors: list[tuple[str, str]] = []
    for sid, s in wanted.items():
        if (only is not None and sid != only) or (s.pay_type in LEAVE_TYPES and not target.leave_hours):
            continue
        sync = state.of(name, sid)
        if _not_taken(target.w2_only, uow.roster.get(s.worker_id), sync):
            contractors.append((sid, s.worker_id))
            continue
        version = shift_version(s)
        key = outbox.sync_key(name, sid, version, uow.pay.shift_voids(sid))
        day = shift_day(s)
        descriptions[sid] = describe_shift(s)
        if (sync is None or sync.queued_key != key) and not uow.reads.has_key(f"sync:enqueued:{key}"):
            backfill.append(outbox.enqueued_event(name, sid, s.worker_id, version, day, key))
        if (
            not force
            and sync is not None
            and sync.sent_version == version
            and sync.target_id is not None
            and sync.open_key is None
        ):
            continue  # the target holds this version (a send by hand sends it again all the same)
        op = Op(
            action="update" if sync is not None and sync.target_id is not None else "create",
            target=name,
            shift_id=sid,
            worker_id=s.worker_id,
            day=day,
            version=version,
            key=key,
            external_id=outbox.external_id(name, sid),
            shift=s,
            target_id=sync.target_id if sync else None,
            correction=_correction(uow, s, s.worker_id, day),
        )
        why = _common_refusal(op, target, uow, over, now) or target.check(op, send_ctx)
        if why is not None:
            refused.append((op, why[0], why[1]))
        elif (why_not_yet := holds(target, op, send_ctx)) is not None:
            held.append((op, why_not_yet))  # the target takes it later (an export: once paid); it stays Send
        elif not (force or retry_errors) and sync is not None and sync.failed_key == key and not sync.transient:
            # A target's permanent refusal waits for a person (`ot sync send SHIFT_ID`, `ot sync --retry-errors`).
            refused.append((op, sync.message, sync.what_to_do))
        else:
            ops.append(_unsettled(uow, op, sync))
    for (tname, sid), sync in sorted(state.shifts.items()):
        if tname != name or sid in wanted or (only is not None and sid != only):
            continue
        if sync.target_id is None and sync.open_key is None and _nothing_unsettled(uow, sync):
            continue
        if sid in seen or uow.find_shift(sid) is not None:
            continue  # still there, its approval voided by an edit: the new version waits for approval
        day = sync.day or now.date()
        version = sync.sent_version or sync.queued_version or "deleted"
        op = Op(
            action="delete",
            target=name,
            shift_id=sid,
            worker_id=sync.worker_id,
            day=day,
            version=version,
            key=f"{name}:{sid}:delete:{version}",
            external_id=outbox.external_id(name, sid),
            target_id=sync.target_id,
            correction=_correction(uow, None, sync.worker_id, day),
        )
        descriptions[sid] = f"{sync.worker_id} {day} (deleted in the ledger)"
        why = _common_refusal(op, target, uow, over, now)
        if why is not None:
            refused.append((op, why[0], why[1]))
        else:
            ops.append(_unsettled(uow, op, sync))
    marks = {op.shift_id: state.mark(name, op.shift_id) for op in ops}
    # What is refused is not sent: a target that writes whole files leaves it out of them too. What
    # the target holds, unapproved since but unchanged, stays in them (nothing deleted it there).
    refused_ids = {op.shift_id for op, _m, _t in refused}
    kept = {
        sid: seen[sid]
        for (tname, sid), sync in state.shifts.items()
        if tname == name
        and sid not in wanted
        and sid in seen
        and sync.target_id is not None
        and sync.sent_version == shift_version(seen[sid])
    }
    send_ctx = replace(
        send_ctx, wanted={sid: s for sid, s in send_ctx.wanted.items() if sid not in refused_ids}, kept=kept
    )
    return _Plan(
        target,
        tuple(ops),
        tuple(refused),
        send_ctx,
        tuple(backfill),
        descriptions,
        tuple(held),
        marks,
        tuple(contractors),
    )


def _not_taken(w2_only: bool, worker: Worker | None, sync: outbox.ShiftSync | None) -> bool:
    """Whether a target that takes W-2 employees' hours only (``w2_only``) is not sent this shift, and does
    not show it: a 1099 contractor's, of which it holds nothing. (A contractor's shift the target already
    holds, sent before the worker's type changed, is planned as any other, and refused with what to do.)"""
    return w2_only and worker is not None and worker.type != "W2" and (sync is None or sync.target_id is None)


def _unsettled(uow: UnitOfWork, op: Op, sync: outbox.ShiftSync | None) -> Op:
    """``op`` with what earlier attempts of its shift left unsettled at the target (:func:`ot.sync.outbox.pending`):
    whether to look it up first, on which dates, from when, and whether a sync that stopped left one open."""
    if sync is None or (sync.open_key is None and sync.failed_key is None):
        return op
    left = outbox.pending(uow.ledger.connection, sync)
    if not left.unknown:
        return op
    return replace(op, uncertain=True, lookup_days=left.days, lookup_after=left.lookup_after, left_open=left.left_open)


def _nothing_unsettled(uow: UnitOfWork, sync: outbox.ShiftSync) -> bool:
    """True unless a permanent failure left a copy possibly at the target (two copies found there, or a
    create answered without an id): a shift deleted in the ledger is then looked up there and deleted."""
    if sync.failed_key is None or sync.transient:
        return True
    return not outbox.pending(uow.ledger.connection, sync).unknown


def _claim(uow: UnitOfWork, plan: _Plan, *, alone: bool) -> tuple[tuple[Op, ...], list[PlanLine]]:
    """(the ops of ``plan`` still to start, a line for each op left to another sync): the
    compare-and-set of a sync, called in the write that records ``sync.started`` before anything
    is appended there.

    That write holds the ledger's write lock (on PostgreSQL, the database's advisory lock, and the
    replica has caught up with every machine's events inside it), so the outbox it reads is the
    last word: an op whose shift has had a ``sync.*`` event at this target since the plan (another
    sync started, sent, deleted or failed it) is dropped and never handed to the target; it is
    reported from the state now (``sent`` when the other sync sent it). The mark is the sequence
    number of that last event, so that even a ``started`` that leaves the state as it was (an
    attempt of unknown outcome tried again) is seen.

    An op planned over an attempt left open (``started`` and no result yet) is taken over only by a
    sync that is ``alone`` (it holds the sync lock, :func:`sync_lock`): otherwise that attempt may be
    another sync's, still calling the target, and a look-up now could miss what it is creating."""
    name = plan.target.name
    fresh = _read_state(uow, [op.shift_id for op in plan.ops])
    ops: list[Op] = []
    taken: list[PlanLine] = []
    for op in plan.ops:
        sync = fresh.of(name, op.shift_id)
        unchanged = fresh.mark(name, op.shift_id) == plan.marks.get(op.shift_id)
        open_now = outbox.in_flight(uow.ledger.connection, fresh, name, op.shift_id)
        if unchanged and (alone or not open_now):
            ops.append(op)
            continue
        result, message, todo = _taken(op, sync, open_now)
        desc = plan.descriptions.get(op.shift_id, "")
        taken.append(PlanLine(name, op.shift_id, op.worker_id, op.action, desc, result, message, todo))
    return tuple(ops), taken


def _taken(op: Op, sync: outbox.ShiftSync | None, open_now: bool) -> tuple[str, str, str]:
    """(result, message, what to do) of an op left to another sync, read from where the shift stands
    at the target now (``open_now``: its last event is a ``started``, with no result yet)."""
    if open_now:
        return (
            "send",
            "another sync is sending it now (or its attempt ended without an answer)",
            "see `ot sync report` once it is done; the next `ot sync` looks it up before sending it again",
        )
    if sync is not None:
        if op.action == "delete" and sync.target_id is None and sync.open_key is None:
            return "sent", "deleted at the target by another sync meanwhile", ""
        if (
            op.action != "delete"
            and sync.sent_version == op.version
            and sync.target_id is not None
            and sync.open_key is None
        ):
            return "sent", "sent by another sync meanwhile", ""
        if sync.failed_key is not None and not sync.transient:
            return "error", f"another sync meanwhile: {sync.message}", sync.what_to_do
        if sync.failed_key is not None:
            return "send", f"another sync tried it meanwhile: {sync.message}", "send it again (`ot sync`)"
    return "send", "changed by another sync meanwhile", "run `ot sync` again"


def _read_state(uow: UnitOfWork, shift_ids: Sequence[str] | None = None) -> outbox.OutboxState:
    return outbox.read_state(uow.ledger.connection, shift_ids)


@dataclass(frozen=True)
class SyncRun:
    """What ``ot sync`` did (or, with ``dry_run``, would do).

    Attributes:
        lines: One per shift and target.
        dry_run: True when nothing was written or sent.
    """

    lines: tuple[PlanLine, ...]
    dry_run: bool
    #: What the run says once, besides its lines: the contractors' shifts a target does not take.
    notes: tuple[str, ...] = ()

    def count(self, result: str) -> int:
        """How many lines have this result."""
        return sum(1 for ln in self.lines if ln.result == result)

    def summary(self) -> str:
        """``3 sent, 0 to send again, 1 errors`` (and ``, 12 held until a pay run pays them``, and the notes)."""
        text = f"{self.count('sent')} sent, {self.count('send')} to send again, {self.count('error')} errors"
        held = self.count("held")
        return (
            text + (f", {held} held until a pay run pays them" if held else "") + "".join(f"; {n}" for n in self.notes)
        )


def run_sync(
    ledger_path: Path,
    *,
    target_name: str | None = None,
    dry_run: bool = False,
    only: str | None = None,
    config_file: Path | None = None,
    actor: str,
    now: datetime,
    sleep: Callable[[float], None] = time.sleep,
    retry_errors: bool = False,
    clock: Callable[[], datetime] | None = None,
) -> SyncRun:
    """Send what waits to every target (or ``target_name``); ``only`` one shift, sent by hand
    (which also retries a permanent failure); ``retry_errors``: the shifts in Error are sent again too
    (once what they said is fixed: a mapping, a worker added at the target). ``clock``: the time as the
    run goes on (default: ``now`` and the time since), which dates each attempt (tests give one that
    ``sleep`` moves)."""
    if clock is None:
        started_at = time.monotonic()

        def clock() -> datetime:
            return now + timedelta(seconds=time.monotonic() - started_at)

    # Who may sync is said first: before the config (a worker is told they may not, not that no target
    # is configured) and before the lock (a refused user never holds it).
    with unit_of_work(ledger_path, actor=actor, now=now) as uow:
        uow.require("sync to payroll")
    config = load_config(ledger_path, config_file)
    targets = _targets(config, target_name)
    lines: list[PlanLine] = []
    notes: list[str] = []
    with ExitStack() as stack:
        lock: SyncLock | None = None if dry_run else stack.enter_context(sync_lock(ledger_path))
        with unit_of_work(ledger_path, actor=actor, now=now) as uow:
            uow.require("sync to payroll")
        if only is not None:
            with unit_of_work(ledger_path, actor=actor, now=now) as uow:
                if uow.find_shift(only) is None and not _read_state(uow, [only]).shifts:
                    raise OtError(
                        f"no shift {only!r}", [Problem(f"shift {only}", "see `ot sync report` for shift ids")]
                    )
        for tc in targets:
            try:
                target = make_target(tc, sleep)
            except OtError as refused:
                # One target that cannot start (its token missing) is that target's error: the others
                # still send (a review: a missing Everee token stopped the csv feed too).
                why = "; ".join(p.message for p in refused.problems) or refused.message
                lines.append(PlanLine(tc.name, "", "", "refuse", f"target {tc.name}", "error", refused.message, why))
                continue
            if lock is not None and lock.fenced:
                fence(target, lock.held)
            with unit_of_work(ledger_path, actor=actor, now=now) as uow:
                plan = _plan(
                    uow,
                    _only_scope(uow, only, now, [tc.name]),
                    target,
                    now,
                    only=only,
                    force=only is not None,
                    retry_errors=retry_errors,
                )
            if plan.contractors and only is None:
                who = ", ".join(sorted({wid for _sid, wid in plan.contractors}))
                notes.append(
                    f"{tc.name}: not sent: contractor (1099) hours are not worked shifts ({who}); "
                    f"pay contractors outside {tc.name}"
                )
            if only is not None and plan.contractors:
                [(sid, wid)] = plan.contractors
                lines.append(
                    PlanLine(
                        tc.name,
                        sid,
                        wid,
                        "none",
                        "",
                        "error",
                        f"not sent: {wid} is a 1099 contractor, and contractor hours are not worked shifts at {tc.name}",
                        f"pay contractors outside {tc.name}, or change the worker's type if it is wrong",
                    )
                )
                continue
            if only is not None and not plan.ops and not plan.refused and not plan.held:
                lines.append(PlanLine(tc.name, only, "", "none", "already sent, or not approved", "sent"))
                continue
            lines.extend(
                PlanLine(
                    tc.name, op.shift_id, op.worker_id, "hold", plan.descriptions.get(op.shift_id, ""), "held", why
                )
                for op, why in plan.held
            )
            for op, message, todo in plan.refused:
                lines.append(
                    PlanLine(
                        tc.name,
                        op.shift_id,
                        op.worker_id,
                        "refuse",
                        plan.descriptions.get(op.shift_id, ""),
                        "error",
                        message,
                        todo,
                    )
                )
            if dry_run:
                lines.extend(
                    PlanLine(tc.name, op.shift_id, op.worker_id, op.action, plan.descriptions.get(op.shift_id, ""))
                    for op in plan.ops
                )
                continue
            if lock is not None:
                _wait_for_calls_in_flight(lock, target, plan, sleep)
            with unit_of_work(ledger_path, actor=actor, now=now, write=True) as uow:
                # First, before anything is appended in this write: a sync that holds the lock is the
                # only one running, and may take over an attempt another left open.
                ops, taken = _claim(uow, plan, alone=lock is not None and lock.held())
                uow.append(list(plan.backfill))
                uow.append(
                    [
                        outbox.failed_event(
                            tc.name,
                            op.shift_id,
                            op.worker_id,
                            op.version,
                            op.key,
                            op.action,
                            transient=False,
                            message=message,
                            what_to_do=todo,
                        )
                        for op, message, todo in plan.refused
                    ]
                )
                at = clock()
                uow.append(
                    [
                        outbox.started_event(
                            tc.name, op.shift_id, op.worker_id, op.version, op.key, op.action, day=op.day, at=at
                        )
                        for op in ops
                    ]
                )
            lines.extend(taken)
            by_key = {op.key: op for op in ops}
            for outcome in target.send(ops, replace(plan.ctx, clock=clock)):
                op = by_key[outcome.key]
                lines.append(
                    _record(ledger_path, tc.name, op, outcome, actor, now, plan.descriptions.get(op.shift_id, ""))
                )
    return SyncRun(tuple(lines), dry_run, tuple(notes))


def _wait_for_calls_in_flight(lock: SyncLock, target: Target, plan: _Plan, sleep: Callable[[float], None]) -> None:
    """Before a sync takes over attempts another sync left open (ops planned ``uncertain``), under a
    lock that can be lost while its holder lives (:attr:`SyncLock.fenced`, a PostgreSQL ledger's), or
    an attempt a sync that stopped mid-call left open (``left_open``: a ``started`` that records its
    time, with no result): wait until the target's :func:`~ot.sync.target.in_flight_seconds` have
    passed since this sync took the lock. The other sync may have lost the lock with its connection and
    still be running: it checks the lock before each call it sends, so only a call sent before this sync
    took the lock can still land, and it lands within that time. A sync that stopped sent its last call
    before this one took the lock, and the target may still be making it. After the wait, the look-up
    sees what either made. (A ``started`` recorded before it carried its time is taken over at once.)"""
    if not any(op.uncertain for op in plan.ops):
        return
    if not lock.fenced and not any(op.left_open for op in plan.ops):
        return
    left = lock.acquired_at + in_flight_seconds(target) - time.monotonic()
    if left > 0:
        sleep(left)


class SyncLock:
    """The ledger's sync lock as one sync holds it (what :func:`sync_lock` yields).

    Attributes:
        acquired_at: When it was taken (``time.monotonic``).
    """

    def __init__(self, session: SessionLock | None = None) -> None:
        self._session = session
        self.acquired_at = time.monotonic()

    @property
    def fenced(self) -> bool:
        """Whether the lock can be lost while this process lives: the database's, lost with its
        connection (a file lock lasts as long as its process). A sync holding such a lock checks it
        before each call it sends (:func:`ot.sync.target.fence`), and one that takes over another's
        open attempts first waits for any call still in flight (:func:`_wait_for_calls_in_flight`)."""
        return self._session is not None

    def held(self) -> bool:
        """Whether this sync still holds the lock, so that no other sync runs on this ledger: the
        file lock lasts as long as its file is open; the database's ends if its connection is lost."""
        return self._session is None or self._session.still_held()


@contextmanager
def sync_lock(ledger_path: Path) -> Iterator[SyncLock]:
    """Hold the ledger's sync lock for one sync, refusing at once, with what to do, when another
    ``ot sync`` holds it: ``<ledger>.sync.lock`` (an exclusive ``flock``: the syncs of this machine)
    and, for a PostgreSQL ledger, the database's sync lock (a session-level advisory lock of its own,
    :meth:`ledger.remote.RemoteLog.session_lock`: the syncs of every machine), released at the end
    even when the sync fails. Where ``fcntl`` does not exist (Windows) no file lock is taken, and a
    sync on a file trusts that no other runs (as it always did there).

    The lock spares a second sync its wasted work (a plan that finds everything taken), and tells a
    sync that an attempt left open (``started`` with no result) belongs to no sync still running, so
    that it may look it up and send it again (:func:`_claim`). What keeps a shift from being sent
    twice otherwise is the compare-and-set of the write that records ``sync.started``, which holds
    however two syncs got past the lock."""
    with ExitStack() as stack:
        stack.enter_context(_file_lock(ledger_path))
        with unit_of_work(ledger_path) as uow:
            remote = uow.ledger.remote
        if remote is None:
            yield SyncLock()
            return
        session = stack.enter_context(remote.session_lock(SYNC_LOCK_KEY))
        if not session.acquired:
            raise OtError(
                "another `ot sync` is running on this ledger",
                [
                    Problem(
                        session.shown,
                        "it may run on another machine of this ledger: wait for it to finish, then run `ot sync` again",
                    )
                ],
            )
        yield SyncLock(session)


@contextmanager
def _file_lock(ledger_path: Path) -> Iterator[None]:
    """Hold ``<ledger>.sync.lock`` (an exclusive ``flock``) for one sync, or refuse at once. The lock is
    named after the ledger's real file (links followed), so that two syncs reaching it by two paths (a
    symbolic link, a relative path) take the same lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - POSIX only
        yield
        return
    real = Path(os.path.realpath(ledger_path))
    path = real.with_name(real.name + ".sync.lock")
    with path.open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OtError(
                "another `ot sync` is running on this ledger",
                [Problem(str(path), "wait for it to finish, then run `ot sync` again")],
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _record(ledger_path: Path, target: str, op: Op, outcome: Outcome, actor: str, now: datetime, desc: str) -> PlanLine:
    if outcome.ok:
        event = outbox.sent_event(
            target, op.shift_id, op.worker_id, op.version, op.key, op.action, outcome.target_id, now
        )
    else:
        event = outbox.failed_event(
            target,
            op.shift_id,
            op.worker_id,
            op.version,
            op.key,
            op.action,
            transient=outcome.transient,
            message=outcome.message,
            what_to_do=outcome.what_to_do,
            unknown=outcome.unknown,
            days=(op.day, *op.lookup_days),
            lookup_after=outcome.lookup_after,
        )
    with unit_of_work(ledger_path, actor=actor, now=now, write=True) as uow:
        uow.append([event])
    result = "sent" if outcome.ok else ("send" if outcome.transient else "error")
    return PlanLine(target, op.shift_id, op.worker_id, op.action, desc, result, outcome.message, outcome.what_to_do)


def _targets(config: SyncConfig, name: str | None) -> list[TargetConfig]:
    if not config.targets:
        raise OtError(
            "no sync target is configured",
            [
                Problem(
                    str(config.path or "sync config"),
                    "write a [targets.NAME] table in the .sync.toml file beside the ledger (see docs/sync-csv.md)",
                )
            ],
        )
    return config.target(name)


# --- the Hours Sync Report ---------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One shift at one target in the Hours Sync Report.

    Attributes:
        target: Target name.
        worker_id: Whose shift.
        name: Their name.
        shift_id: The shift.
        day: Its local date.
        description: The shift in words.
        status: ``Sent``, ``Send`` or ``Error``.
        sent_at: When it was last sent (None: never).
        target_id: The target's id of it.
        detail: Why it waits, or the error.
        what_to_do: What to do about an error.
    """

    target: str
    worker_id: str
    name: str
    shift_id: str
    day: date
    description: str
    status: str
    sent_at: datetime | None
    target_id: str | None
    detail: str
    what_to_do: str


@dataclass(frozen=True)
class ReportWeek:
    """One workweek of the report.

    Attributes:
        week_start: Its first day.
        rows: Its shifts, by worker then day.
        attention: ``Error`` when any row is an error, ``Send`` when any waits, else ``Sent``.
    """

    week_start: date
    rows: tuple[ReportRow, ...]
    attention: str


def sync_report(
    ledger_path: Path,
    *,
    week: date | None = None,
    config_file: Path | None = None,
    now: datetime,
    everything: bool = False,
    actor: str | None = None,
) -> tuple[ReportWeek, ...]:
    """The Hours Sync Report: workweeks that need attention first (Error, then Send), then the weeks sent
    in the last seven days (``week``: that workweek too; ``everything``: every workweek ever synced).
    ``actor``: the user reading it (the CLI's, the app's): an admin sees every worker, a manager their
    reports, anyone else is refused (``read the sync report``); None only for this module's own reads."""
    if actor is not None:
        with unit_of_work(ledger_path, actor=actor, now=now) as uow:
            me = uow.require("read the sync report")
            mine = (
                None
                if me is None or me.role == "admin"
                else {w.worker_id for w in uow.roster.values() if w.manager_id == me.worker_id}
            )
    else:
        mine = None
    config = load_config(ledger_path, config_file)
    with unit_of_work(ledger_path, now=now) as uow:
        wanted, seen, state = _wanted(uow, _scope(uow, now, config.targets, week=week, everything=everything))
        _check_tables(uow, seen, done="the report would not show what was approved and sent")
        rows: list[ReportRow] = []
        names = list(config.targets) or sorted({t for (t, _s) in state.shifts})
        for name in names:
            tc = config.targets.get(name)
            cls = registry.target_class(tc.kind) if tc is not None else None
            takes_leave = bool(getattr(cls, "leave_hours", False))
            w2_only = bool(getattr(cls, "w2_only", False))
            held = _held_reasons(uow, tc, wanted, now) if tc is not None and getattr(cls, "reads_pay", False) else {}
            sids = {sid for sid, s in wanted.items() if takes_leave or s.pay_type not in LEAVE_TYPES}
            sids |= {sid for (t, sid) in state.shifts if t == name}
            for sid in sids:
                sync = state.of(name, sid)
                shift = wanted.get(sid) or seen.get(sid)
                if shift is None and sync is not None and sync.target_id is None:
                    continue  # deleted, and never (or no longer) at the target
                owner = shift.worker_id if shift is not None else (sync.worker_id if sync else "")
                if _not_taken(w2_only, uow.roster.get(owner), sync):
                    continue  # a contractor's, which this target does not take (the sync says so)
                key = None
                wanted_version = None
                if sid in wanted:
                    wanted_version = shift_version(wanted[sid])
                    key = outbox.sync_key(name, sid, wanted_version, uow.pay.shift_voids(sid))
                current = shift_version(shift) if shift is not None else None
                st = outbox.status_of(sync, wanted_version, key, current, sid)
                if shift is None and sync is not None and sync.failed_key is None:
                    st = outbox.Status("Send", "deleted in the ledger: waiting to delete it at the target")
                if st.status == "Send" and sid in held and (sync is None or sync.failed_key is None):
                    st = outbox.Status("Send", held[sid])
                day = shift_day(shift) if shift is not None else (sync.day if sync and sync.day else now.date())
                worker_id = shift.worker_id if shift is not None else (sync.worker_id if sync else "")
                if mine is not None and worker_id not in mine:
                    continue  # a manager reads their reports' shifts only
                worker = uow.roster.get(worker_id)
                rows.append(
                    ReportRow(
                        target=name,
                        worker_id=worker_id,
                        name=worker.name if worker else "",
                        shift_id=sid,
                        day=day,
                        description=describe_shift(shift) if shift is not None else f"{worker_id} {day} (deleted)",
                        status=st.status,
                        sent_at=sync.sent_at if sync else None,
                        target_id=sync.target_id if sync else None,
                        detail=st.detail,
                        what_to_do=st.what_to_do,
                    )
                )
        by_week: dict[date, list[ReportRow]] = {}
        for r in rows:
            end = _week_end(uow, r.day)
            by_week.setdefault(end - timedelta(days=6), []).append(r)
    weeks: list[ReportWeek] = []
    for start, rs in by_week.items():
        if week is not None and not start <= week <= start + timedelta(days=6):
            continue
        statuses = {r.status for r in rs}
        attention = "Error" if "Error" in statuses else "Send" if "Send" in statuses else "Sent"
        weeks.append(
            ReportWeek(start, tuple(sorted(rs, key=lambda r: (r.worker_id, r.day, r.shift_id, r.target))), attention)
        )
    order = {"Error": 0, "Send": 1, "Sent": 2}
    weeks.sort(key=lambda w: (order[w.attention], -w.week_start.toordinal()))
    return tuple(weeks)


def _held_reasons(uow: UnitOfWork, tc: TargetConfig, wanted: dict[str, Shift], now: datetime) -> dict[str, str]:
    """Shift id -> why a target that takes shifts once they are paid (``export``) holds it."""
    target = registry.make_target(tc)
    ctx = _send_context(uow, wanted, now, pay=True)
    out: dict[str, str] = {}
    for sid, s in wanted.items():
        day = shift_day(s)
        version = shift_version(s)
        op = Op(
            "create", tc.name, sid, s.worker_id, day, version, "", "", s, None, _correction(uow, s, s.worker_id, day)
        )
        why = holds(target, op, ctx)
        if why is not None:
            out[sid] = why
    return out


def shift_sync_statuses(uow: UnitOfWork, shifts: Sequence[Shift], config: SyncConfig) -> dict[str, str]:
    """Each shift's word in the Hours Sync Report (``Sent``, ``Send``, ``Error``; the worst
    over the configured targets), for shifts that are approved or were ever at a target.
    Read from the outbox alone, so the timecards screen can show it for one week cheaply."""
    state = _read_state(uow, [s.shift_id for s in shifts])
    names = list(config.targets) or sorted({t for (t, _s) in state.shifts})
    order = {"Error": 0, "Send": 1, "Sent": 2}
    out: dict[str, str] = {}
    approvals = uow.pay.shift_approvals([s.shift_id for s in shifts])
    w2_only = {
        name: bool(getattr(registry.target_class(tc.kind), "w2_only", False)) for name, tc in config.targets.items()
    }
    for s in shifts:
        version = shift_version(s)
        a = approvals.get(s.shift_id)
        approved = a is not None and a.version == version
        for name in names:
            sync = state.of(name, s.shift_id)
            if not approved and sync is None:
                continue
            if _not_taken(w2_only.get(name, False), uow.roster.get(s.worker_id), sync):
                continue
            key = outbox.sync_key(name, s.shift_id, version, uow.pay.shift_voids(s.shift_id))
            st = outbox.status_of(sync, version if approved else None, key if approved else None, version, s.shift_id)
            if s.shift_id not in out or order[st.status] < order[out[s.shift_id]]:
                out[s.shift_id] = st.status
    return out


# --- the roster refresh ----------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshResult:
    """What a roster refresh did.

    Attributes:
        source: The workers file read.
        added: Events added, by kind.
        ran: False when an automatic refresh was not due.
    """

    source: str
    added: dict[str, int]
    ran: bool = True


def refresh_roster(
    ledger_path: Path,
    *,
    config_file: Path | None = None,
    source: Path | None = None,
    actor: str,
    now: datetime,
    unattended: bool = False,
) -> RefreshResult:
    """Pull roster changes (new workers, managers, admins, pay rates with effective dates) from the
    configured workers file (canonical layout) as ledger events, and record ``sync.roster_refreshed``,
    in one transaction. ``unattended`` (the 24-hour refresh a command starts, :func:`auto_refresh`): a
    file that changes who is an admin is refused whole, nothing written; an admin applies it with
    ``ot sync refresh`` (a review: any command of an admin's made whoever could write that file an
    admin, sealed with the admin's key)."""
    from ot.services.imports import _import_in
    from ot.services.repricing import affected_since, gate

    config = load_config(ledger_path, config_file)
    path = source or config.roster.workers_file
    if path is None:
        raise OtError(
            "no roster source is configured",
            [
                Problem(
                    str(config.path or "sync config"), 'add [roster] workers_file = "workers.csv" to the sync config'
                )
            ],
        )
    try:
        data = read_bounded(path, str(path))  # a line past the bound is refused, not read whole (a review)
    except OSError as exc:
        raise OtError(f"cannot read the roster source {path}", [Problem(str(path), exc.strerror or str(exc))]) from None
    with unit_of_work(ledger_path, actor=actor, now=now, write=True) as uow:
        uow.require("refresh the roster")
        assert isinstance(uow.reads, Writer)
        before = uow.head()[0]
        admins = uow.admins()
        roles = {w.worker_id: w.role for w in uow.roster.values()}
        report = _import_in(uow.reads, "workers", data, str(path), None, now, "roster-refresh")
        uow.keep_an_admin(admins)
        if unattended:
            _refuse_new_admins(uow, roles, path)
        uow.refresh()
        gate(  # a pay rate dated into a paid week is a correction: never made by a refresh on its own
            uow,
            affected_since(uow, before),
            authorized=False,
            reason=None,
            timeframe=None,
            action="rate",
            what=f"the roster refresh from {path.name} (run `ot import workers {path} --correction-authorized "
            "--reason TEXT` to record these corrections)",
        )
        uow.append(
            [
                NewEvent(
                    outbox.REFRESHED,
                    {
                        "source": str(path),
                        "sha256": hashlib.sha256(data).hexdigest(),
                        "added": dict(sorted(report.added.items())),
                        "at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    },
                )
            ]
        )
    return RefreshResult(str(path), dict(report.added))


def _refuse_new_admins(uow: UnitOfWork, before: dict[str, str], path: Path) -> None:
    """An unattended refresh never changes who is an admin: refused, naming each worker it would make
    or unmake one, and what to do."""
    after = {w.worker_id: w.role for w in uow.roster.values()}
    changed = sorted(w for w in before.keys() | after.keys() if (before.get(w) == "admin") != (after.get(w) == "admin"))
    if not changed:
        return
    raise OtError(
        f"the roster file {path} changes who is an admin: the automatic refresh never does that; nothing was written",
        [
            *(
                Problem(f"worker {w}", f"{before.get(w) or 'not in the roster'} -> {after.get(w) or 'not in the file'}")
                for w in changed
            ),
            Problem("what to do", "an admin reads the file, then applies it with `ot sync refresh`"),
        ],
    )


def auto_refresh(ledger_path: Path, *, actor: str, now: datetime) -> RefreshResult | None:
    """Refresh the roster when a source is configured and the last refresh is older than
    ``max_age_hours`` (24 by default); None when not due or not configured, or when ``actor`` may not
    refresh it (an admin's next command does). For ``ot``'s start. It never changes who is an admin
    (:func:`refresh_roster`'s ``unattended``)."""
    if not ledger_path.exists():
        return None
    config = load_config(ledger_path)
    if config.roster.workers_file is None:
        return None
    with unit_of_work(ledger_path, actor=actor) as uow:
        last = _read_state(uow).last_refresh
        try:
            uow.require("refresh the roster")
        except PermissionDenied:
            return None  # not this user's to do: no warning on every command of a worker's or manager's
    if last is not None and now - last < timedelta(hours=config.roster.max_age_hours):
        return None
    return refresh_roster(ledger_path, actor=actor, now=now, unattended=True)
