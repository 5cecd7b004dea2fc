"""The Exceptions screen's read: everything of a pay period to fix or review, per worker and workweek.

Two kinds of item, both per worker and workweek:

- a shift with an exception (a missing in- or out-punch, a break not ended or
  not started, a break outside a shift, an overlap, a shift over 24 hours...):
  it *blocks* its worker's timecard (step 1 cannot approve it, the pay run
  leaves the worker out), and only that worker's;
- pay to review that the rules added: a meal or rest premium for a missed or
  late break, and minimum-wage make-up. These block nothing: they are paid.

The shifts come from :func:`ot.services.queue.shift_queue` (so the actor
sees the workers they may approve: an admin everyone but themselves, a manager
their reports; anyone else gets the queue's refusal); the premiums and
make-up from the engine's lines of those workers' weeks, from the same price
run the queue's hours come from (priced once, through the unit of work like
every other reader). What to do about each shift exception is
:data:`ot.services.paycycle.FIXES`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ledger.pairing import EXCEPTIONS
from ot.core.periods import PayPeriod
from ot.services.paycycle import FIXES
from ot.services.queue import changed_workers, shift_queue
from ot.services.uow import UnitOfWork, unit_of_work
from ot.stubs.layout import money

__all__ = ["KINDS", "ExceptionItem", "ExceptionsView", "exceptions_queue", "exceptions_since"]

#: Each item's kind in words: the shift exceptions (``ledger.pairing.EXCEPTIONS``), then pay to review.
KINDS: dict[str, str] = {
    "missing_out": "missing out-punch",
    "missing_in": "missing in-punch",
    "break_not_ended": "break not ended",
    "break_not_started": "break not started",
    "break_outside_shift": "break outside a shift",
    "unknown_break_type": "unknown break type",
    "unknown_location": "unknown location",
    "overlap": "overlapping shifts",
    "over_24h": "shift over 24 hours",
    "meal": "meal premium",
    "rest": "rest premium",
    "MW_MAKEUP": "minimum-wage make-up",
}

#: What to do about pay the rules added.
REVIEW_FIX: dict[str, str] = {
    "meal": "paid as a premium hour (a missed or late meal period); if the break was taken, "
    "fix the shift's break punches",
    "rest": "paid as a premium hour (a missed rest period); if the rest was taken, record it on the shift",
    "MW_MAKEUP": "paid to bring the week up to the minimum wage; check the worker's rate",
}


@dataclass(frozen=True)
class ExceptionItem:
    """One thing to fix or review.

    Attributes:
        worker_id: Whose.
        name: Their name.
        week_start: The workweek.
        day: The local date.
        kind: A key of :data:`KINDS`.
        shift_id: The shift it is about (the first of them for pay lines), or None.
        what: The item in plain words.
        fix: What to do about it.
        blocks: Whether it blocks the worker's timecard (only theirs).
        amount: What it pays (premiums and make-up), else None.
    """

    worker_id: str
    name: str
    week_start: date
    day: date
    kind: str
    shift_id: str | None
    what: str
    fix: str
    blocks: bool
    amount: Decimal | None = None

    @property
    def label(self) -> str:
        """The kind in words."""
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class ExceptionsView:
    """A pay period's exceptions for one actor.

    Attributes:
        actor: Who reads.
        period: The pay period.
        items: By worker, workweek, day; blocking items first within a worker's week.
        refusal: Why the actor sees nothing (not a manager or an admin), else None.
        unpriced: Why some weeks could not be priced (their premiums are then not listed).
        head: The ledger's head when read (:func:`exceptions_since` reads only what changed after it).
        head_hash: The chain's hash at ``head``.
    """

    actor: str
    period: PayPeriod
    items: tuple[ExceptionItem, ...]
    refusal: str | None
    unpriced: str | None = None
    head: int = 0
    head_hash: str = ""

    @property
    def blocked_workers(self) -> tuple[str, ...]:
        """Workers with at least one blocking item."""
        return tuple(sorted({i.worker_id for i in self.items if i.blocks}))


def _fix(kind: str, worker_id: str) -> str:
    return FIXES.get(kind, "fix the shift").format(w=worker_id)


def exceptions_queue(ledger_path: Path, actor: str, period_day: date) -> ExceptionsView:
    """What ``actor`` has to fix or review in the pay period holding ``period_day`` (one read of the
    ledger; the workweeks priced once, for the queue's hours and for the premiums here)."""
    with unit_of_work(ledger_path, actor=actor) as uow:
        return _view(uow, actor, period_day)


def exceptions_since(ledger_path: Path, actor: str, period_day: date, shown: ExceptionsView | None) -> ExceptionsView:
    """:func:`exceptions_queue` read again after ``shown`` (None: read whole): when everything appended
    since changes only the rows of the workers it names (a shift fixed, a punch, an approval:
    :data:`ot.services.queue.WORKER_SCOPED`), only those workers are read again and ``shown``'s other
    items kept, which is what a whole read gives (tests/approvals/test_queue_since.py); else (another
    actor or period, a view with weeks the engine refused, any other event) the whole view is read."""
    with unit_of_work(ledger_path, actor=actor) as uow:
        changed = None
        if shown is not None and shown.actor == actor and shown.refusal is None and shown.unpriced is None:
            changed = changed_workers(uow, (shown.head, shown.head_hash), shown.period, period_day)
        if shown is None or changed is None:
            return _view(uow, actor, period_day)
        if not changed:
            return shown
        part = _view(uow, actor, period_day, changed)
        if part.unpriced is not None or part.refusal is not None or part.period != shown.period:
            return _view(uow, actor, period_day)
        items = sorted((*(i for i in shown.items if i.worker_id not in changed), *part.items), key=_order)
        return ExceptionsView(actor, shown.period, tuple(items), None, None, part.head, part.head_hash)


def _order(i: ExceptionItem) -> tuple[str, date, bool, date, str]:
    return i.worker_id, i.week_start, not i.blocks, i.day, i.kind


def _view(uow: UnitOfWork, actor: str, period_day: date, only: Collection[str] | None = None) -> ExceptionsView:
    """The view of :func:`exceptions_queue` in an open unit (``only``: of these workers alone)."""
    queue, run, problem = shift_queue(uow, actor, period_day, timecards=False, only=only)
    if queue.refusal is not None:
        return ExceptionsView(actor, queue.period, (), queue.refusal, None, queue.head, queue.head_hash)
    items: list[ExceptionItem] = []
    weeks: dict[str, list[date]] = {}
    names: dict[str, str] = {}
    for week in queue.weeks:
        weeks.setdefault(week.worker_id, []).append(week.week_start)
        names[week.worker_id] = week.name
        for s in week.shifts:
            when = f"{s.day:%a} {s.day} {s.time_in or '?'}-{s.time_out or '?'}"
            for kind in (x for x in s.exceptions if x in EXCEPTIONS):
                items.append(
                    ExceptionItem(
                        week.worker_id,
                        week.name,
                        week.week_start,
                        s.day,
                        kind,
                        s.shift_id,
                        f"{s.shift_id} {when}: {KINDS.get(kind, kind)}",
                        _fix(kind, week.worker_id),
                        blocks=True,
                    )
                )
    # The shifts above show even when the engine refused the weeks; their premiums cannot be known then.
    unpriced = problem if run is None else None
    period = queue.period
    for priced in run.weeks if run is not None else ():
        wid = priced.worker.worker_id
        result = priced.result
        if result.week_start not in weeks.get(wid, ()):
            continue
        for line in result.lines:
            if line.hour_class not in ("PREMIUM", "MW_MAKEUP") or not period.start <= line.date <= period.end:
                continue
            if line.hour_class == "PREMIUM" and not line.shift_ids:
                continue  # a bonus's share of premiums listed on their own dates (29 CFR 778.209): no break to fix
            kind = line.premium if line.hour_class == "PREMIUM" else "MW_MAKEUP"
            hours = f" {line.hours} h" if line.hours else ""
            shifts = ", ".join(line.shift_ids)
            items.append(
                ExceptionItem(
                    wid,
                    names.get(wid, priced.worker.name),
                    result.week_start,
                    line.date,
                    kind,
                    line.shift_ids[0] if line.shift_ids else None,
                    f"{shifts + ' ' if shifts else ''}{line.date:%a} {line.date}: {KINDS.get(kind, kind)}"
                    f"{hours}, {money(line.amount)} ({line.rule})",
                    REVIEW_FIX.get(kind, "review it"),
                    blocks=False,
                    amount=line.amount,
                )
            )
    items.sort(key=_order)
    return ExceptionsView(actor, queue.period, tuple(items), None, unpriced, queue.head, queue.head_hash)
