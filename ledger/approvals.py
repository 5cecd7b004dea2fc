"""Approvals, pay runs and corrections, folded from their events into state.

Pure: events go in (any iterable of :class:`ledger.events.Event`, in sequence
order), an :class:`ApprovalState` comes out. Nothing here reads the clock or
the database; the services (``ot.services.approvals``, ``payrun``,
``corrections``, ``entries``) read the events with ``ledger.events(kind=...)``
inside their write transaction, fold them here, check, and append.

A shift *version* (:func:`shift_version`) is a content hash of everything
that decides its pay: an approval names the version it approved, so that an
approval of an older version does not count.

Event kinds (money is decimal text, dates ``YYYY-MM-DD``; every kind carries
``worker_id`` in its payload and as the event's worker):

``approval.shift_approved``
    ``{shift_id, worker_id, version, day}``: step 1, by a manager of the worker
    or an admin. Key ``approval:shift:<shift_id>:<version>:<voids so far>``.
``approval.shift_voided``
    ``{shift_id, worker_id, version, cause, reason}``: ``cause`` is ``edited``,
    ``deleted`` or ``unapproved``; the approval of that shift no longer counts.
``approval.timecard_approved``
    ``{worker_id, period_start, period_end, shifts, leave}``: step 2, by an
    admin. ``shifts`` the approved worked shifts ``[{shift_id, version}]``;
    ``leave`` the PTO/SICK/HOLIDAY entries ``[{shift_id, version, day,
    pay_type, minutes}]``. Key ``approval:timecard:<worker>:<period_start>:<voids so far>``.
``approval.timecard_voided``
    ``{worker_id, period_start, cause, reason}``: ``cause`` ``edited`` or ``unapproved``.
``payrun.recorded``
    ``{run_id, kind, period_start, period_end, pay_date, workers, partial}``:
    one pay run; ``kind`` ``regular`` or ``off_cycle``. Key ``payrun:<run_id>``.
``payrun.worker_paid``
    ``{run_id, kind, worker_id, period_start, period_end, paid_dates, weeks,
    gross, settled, additions, deductions, net}``: exactly what one worker was
    paid by a run. ``weeks`` ``[{week_start, rules_file, rules_sha256, gross,
    lines}]``, each line ``{date, class, minutes, rate, multiplier, amount}``
    (``minutes`` exact hours x 60; ``rate`` the exact rate as text);
    ``settled`` the ids of the corrections this payment settles; ``net`` what
    is paid out (gross + additions - deductions).
    Key ``payrun:<period_start>:<worker_id>`` for a regular run (a worker is
    never paid twice for a period, whatever the run), ``payrun:<run_id>:<worker_id>``
    for an off-cycle payment (run id ``off-cycle-<correction_id>``).
``correction.recorded``
    ``{correction_id, worker_id, week_start, kind, timeframe, reason, shift_id,
    action, paid_gross, corrected_gross, amount, rules_file, rules_sha256,
    dates, corrected_lines}``: a change on a paid date. ``kind``
    ``overpayment`` or ``underpayment``; ``amount`` the positive difference;
    ``timeframe`` ``NEXT_PAYROLL_PAYMENT``, ``IMMEDIATELY`` or
    ``EXTERNALLY_PAID``; ``action`` ``added`` or ``edited``; ``dates`` per
    corrected date ``{date, original, corrected, original_amount,
    corrected_amount}`` with ``original``/``corrected`` ``[{class, minutes,
    amount}]``; ``corrected_lines`` the week's recomputed lines on its paid
    dates (the new record of what is owed for them). Key ``correction:<id>``.
``correction.settled``
    ``{correction_id, worker_id, how, run_id, period_start}``: ``how``
    ``next_payroll`` (appended by the pay run that settles it, which also lists
    it in ``settled``), ``off_cycle`` (with the off-cycle payment) or
    ``externally_paid`` (at once). Key ``settled:<correction_id>``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ledger.events import Event
from ot.domain import Shift
from ot.money import D
from ot.timez import iso_utc

__all__ = [
    "EVENT_FAMILIES",
    "TIMEFRAMES",
    "ApprovalState",
    "Correction",
    "PaidLine",
    "PaidWeek",
    "Payment",
    "ShiftApproval",
    "TimecardApproval",
    "fold",
    "line_payload",
    "shift_version",
]

SHIFT_APPROVED = "approval.shift_approved"
SHIFT_VOIDED = "approval.shift_voided"
TIMECARD_APPROVED = "approval.timecard_approved"
TIMECARD_VOIDED = "approval.timecard_voided"
PAYRUN = "payrun.recorded"
WORKER_PAID = "payrun.worker_paid"
CORRECTION = "correction.recorded"
SETTLED = "correction.settled"
#: The kind families :func:`fold` reads (``ledger.events(kind=family)``).
EVENT_FAMILIES: tuple[str, ...] = ("approval.", "payrun.", "correction.")
TIMEFRAMES: tuple[str, ...] = ("NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID")
LEAVE_TYPES: tuple[str, ...] = ("PTO", "SICK", "HOLIDAY")


def shift_version(shift: Shift) -> str:
    """A content hash (16 hex digits) of everything about a shift that decides its pay."""
    data: dict[str, Any] = {
        "worker_id": shift.worker_id,
        "start": iso_utc(shift.start) if shift.start else None,
        "end": iso_utc(shift.end) if shift.end else None,
        "day": shift.day.isoformat() if shift.day else None,
        "minutes": shift.minutes,
        "location_id": shift.location_id,
        "rate": str(shift.rate) if shift.rate is not None else None,
        "pay_type": shift.pay_type,
        "meal_waiver": shift.meal_waiver,
        "breaks": [[iso_utc(b.start), iso_utc(b.end) if b.end else None, b.type_code, b.paid] for b in shift.breaks],
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ShiftApproval:
    """A step-1 approval in force.

    Attributes:
        shift_id: The shift.
        worker_id: Whose shift.
        version: The shift version approved (:func:`shift_version`).
        actor: Who approved it.
        at: When it was recorded (UTC).
        seq: Its event's sequence number.
    """

    shift_id: str
    worker_id: str
    version: str
    actor: str
    at: datetime
    seq: int


@dataclass(frozen=True)
class TimecardApproval:
    """A step-2 approval of one worker's timecard for one pay period, in force.

    Attributes:
        worker_id: Whose timecard.
        period_start: First day of the pay period.
        period_end: Last day of the pay period.
        shifts: (shift_id, version) of every approved worked shift.
        leave: (shift_id, version) of every PTO/SICK/HOLIDAY entry it holds.
        actor: Who approved it.
        at: When (UTC).
        seq: Its event's sequence number.
    """

    worker_id: str
    period_start: date
    period_end: date
    shifts: tuple[tuple[str, str], ...]
    leave: tuple[tuple[str, str], ...]
    actor: str
    at: datetime
    seq: int

    @property
    def versions(self) -> frozenset[tuple[str, str]]:
        """Every (shift_id, version) the timecard approved, worked and leave."""
        return frozenset((*self.shifts, *self.leave))


@dataclass(frozen=True)
class PaidLine:
    """One pay line as it was paid (or as a correction says it is owed).

    Attributes:
        day: Local workday.
        hour_class: ``REG``, ``OT``, ``DT``, ``RR_ADJ``, ``PREMIUM``, ``PTO``...
        minutes: Hours x 60 (exact for hour lines; 0 for earnings).
        rate: Rate per hour the multiplier applies to.
        multiplier: 1, 1.5, 2...
        amount: Rounded to the cent.
    """

    day: date
    hour_class: str
    minutes: Decimal
    rate: Decimal
    multiplier: Decimal
    amount: Decimal

    @property
    def hours(self) -> Decimal:
        """Exact hours."""
        return self.minutes / 60


def line_payload(line: PaidLine) -> dict[str, str]:
    """The JSON-able form of a line (``payrun.worker_paid`` and ``correction.recorded``)."""
    return {
        "date": line.day.isoformat(),
        "class": line.hour_class,
        "minutes": str(line.minutes),
        "rate": str(line.rate),
        "multiplier": str(line.multiplier),
        "amount": str(line.amount),
    }


def _line(p: Mapping[str, Any]) -> PaidLine:
    return PaidLine(
        day=date.fromisoformat(p["date"]),
        hour_class=str(p["class"]),
        minutes=D(p["minutes"]),
        rate=D(p["rate"]),
        multiplier=D(p["multiplier"]),
        amount=D(p["amount"]),
    )


@dataclass(frozen=True)
class PaidWeek:
    """What a worker's workweek was paid on its paid dates, corrections included.

    Attributes:
        worker_id: Whose week.
        week_start: First local day of the workweek.
        lines: By date: the lines owed for that paid date (the pay run's, or the
            latest correction's).
        rules_file: Rules file the week was last priced with.
        rules_sha256: Its content hash.
    """

    worker_id: str
    week_start: date
    lines: Mapping[date, tuple[PaidLine, ...]]
    rules_file: str
    rules_sha256: str

    @property
    def gross(self) -> Decimal:
        """Sum of the lines on the paid dates."""
        return sum((ln.amount for day in self.lines.values() for ln in day), Decimal("0.00"))


@dataclass(frozen=True)
class Payment:
    """One worker's payment by a pay run.

    Attributes:
        run_id: The pay run.
        kind: ``regular`` or ``off_cycle``.
        worker_id: Who was paid.
        period_start: First day of the pay period (None for an off-cycle payment).
        period_end: Last day of the pay period (None for off-cycle).
        paid_dates: The dates this payment marked paid.
        gross: Sum of the period's lines.
        additions: Underpayments paid with it.
        deductions: Overpayments withheld from it.
        net: What was paid out.
        settled: Ids of the corrections it settled.
        at: When it was recorded (UTC).
        seq: Its event's sequence number.
    """

    run_id: str
    kind: str
    worker_id: str
    period_start: date | None
    period_end: date | None
    paid_dates: frozenset[date]
    gross: Decimal
    additions: Decimal
    deductions: Decimal
    net: Decimal
    settled: tuple[str, ...]
    at: datetime
    seq: int


@dataclass(frozen=True)
class Settlement:
    """How a correction was settled.

    Attributes:
        how: ``next_payroll``, ``off_cycle`` or ``externally_paid``.
        run_id: The pay run that paid or withheld it (None when paid externally).
        period_start: First day of that run's period, if any.
        at: When (UTC).
    """

    how: str
    run_id: str | None
    period_start: date | None
    at: datetime


@dataclass(frozen=True)
class Correction:
    """An over- or underpayment found by a correction of a paid date.

    Attributes:
        correction_id: Its id.
        worker_id: Whose pay.
        week_start: The workweek recomputed.
        kind: ``overpayment`` or ``underpayment``.
        timeframe: How an underpayment is paid (no effect on an overpayment).
        reason: Why the correction was made.
        author: Who made it.
        at: When (UTC).
        shift_id: The shift added or edited.
        action: ``added`` or ``edited``.
        paid_gross: What the week's paid dates had been paid.
        corrected_gross: What they should have been paid.
        amount: The positive difference.
        rules_file: Rules file the week was recomputed with (the one in force then).
        dates: Per corrected date: the raw ``{date, original, corrected, ...}`` payload.
        settlement: How it was settled, or None while open.
        seq: Its event's sequence number.
    """

    correction_id: str
    worker_id: str
    week_start: date
    kind: str
    timeframe: str
    reason: str
    author: str
    at: datetime
    shift_id: str
    action: str
    paid_gross: Decimal
    corrected_gross: Decimal
    amount: Decimal
    rules_file: str
    dates: tuple[Mapping[str, Any], ...]
    settlement: Settlement | None
    seq: int

    @property
    def signed(self) -> Decimal:
        """The difference owed to the worker: positive for an underpayment, negative for an overpayment."""
        return self.amount if self.kind == "underpayment" else -self.amount


@dataclass(frozen=True)
class ApprovalState:
    """Everything approvals, pay runs and corrections have recorded.

    Attributes:
        shift_approvals: shift_id -> its step-1 approval in force.
        shift_voids: shift_id -> how many times its approval was voided.
        timecards: (worker_id, period_start) -> its step-2 approval in force.
        timecard_voids: (worker_id, period_start) -> how many times it was voided.
        runs: run_id -> the ``payrun.recorded`` payload.
        payments: Every worker payment, in order.
        paid_weeks: (worker_id, week_start) -> what its paid dates were paid.
        corrections: Every correction, in order, with its settlement.
    """

    shift_approvals: Mapping[str, ShiftApproval] = field(default_factory=dict)
    shift_voids: Mapping[str, int] = field(default_factory=dict)
    timecards: Mapping[tuple[str, date], TimecardApproval] = field(default_factory=dict)
    timecard_voids: Mapping[tuple[str, date], int] = field(default_factory=dict)
    runs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    payments: tuple[Payment, ...] = ()
    paid_weeks: Mapping[tuple[str, date], PaidWeek] = field(default_factory=dict)
    corrections: tuple[Correction, ...] = ()

    def paid_dates(self, worker_id: str) -> frozenset[date]:
        """Every date a regular pay run has paid for this worker."""
        out: set[date] = set()
        for p in self.payments:
            if p.worker_id == worker_id:
                out |= p.paid_dates
        return frozenset(out)

    def is_paid(self, worker_id: str, day: date) -> bool:
        """Whether ``day`` is a paid date of this worker."""
        return day in self.paid_dates(worker_id)

    def paid_in(self, worker_id: str, period_start: date) -> Payment | None:
        """The regular payment of this worker for the period starting ``period_start``."""
        for p in self.payments:
            if p.worker_id == worker_id and p.kind == "regular" and p.period_start == period_start:
                return p
        return None

    def open_corrections(self, worker_id: str) -> tuple[Correction, ...]:
        """Corrections of this worker not settled yet, oldest first."""
        return tuple(c for c in self.corrections if c.worker_id == worker_id and c.settlement is None)

    def approved(self, shift_id: str, version: str) -> bool:
        """Whether this version of the shift has a step-1 approval in force."""
        a = self.shift_approvals.get(shift_id)
        return a is not None and a.version == version


def fold(events: Iterable[Event]) -> ApprovalState:
    """The state after these events (in sequence order; other kinds are ignored)."""
    shift_approvals: dict[str, ShiftApproval] = {}
    shift_voids: dict[str, int] = {}
    timecards: dict[tuple[str, date], TimecardApproval] = {}
    timecard_voids: dict[tuple[str, date], int] = {}
    runs: dict[str, Mapping[str, Any]] = {}
    payments: list[Payment] = []
    paid_lines: dict[tuple[str, date], dict[date, tuple[PaidLine, ...]]] = {}
    paid_rules: dict[tuple[str, date], tuple[str, str]] = {}
    corrections: dict[str, Correction] = {}
    for e in sorted(events, key=lambda ev: ev.seq):
        p = e.payload
        if e.kind == SHIFT_APPROVED:
            shift_approvals[p["shift_id"]] = ShiftApproval(
                p["shift_id"], p["worker_id"], p["version"], e.actor, e.recorded_at, e.seq
            )
        elif e.kind == SHIFT_VOIDED:
            shift_approvals.pop(p["shift_id"], None)
            shift_voids[p["shift_id"]] = shift_voids.get(p["shift_id"], 0) + 1
        elif e.kind == TIMECARD_APPROVED:
            start = date.fromisoformat(p["period_start"])
            timecards[(p["worker_id"], start)] = TimecardApproval(
                worker_id=p["worker_id"],
                period_start=start,
                period_end=date.fromisoformat(p["period_end"]),
                shifts=tuple((s["shift_id"], s["version"]) for s in p["shifts"]),
                leave=tuple((s["shift_id"], s["version"]) for s in p["leave"]),
                actor=e.actor,
                at=e.recorded_at,
                seq=e.seq,
            )
        elif e.kind == TIMECARD_VOIDED:
            tkey = (p["worker_id"], date.fromisoformat(p["period_start"]))
            timecards.pop(tkey, None)
            timecard_voids[tkey] = timecard_voids.get(tkey, 0) + 1
        elif e.kind == PAYRUN:
            runs[p["run_id"]] = p
        elif e.kind == WORKER_PAID:
            payments.append(_payment(e))
            dates = {date.fromisoformat(d) for d in p["paid_dates"]}
            for week in p["weeks"]:
                wkey = (p["worker_id"], date.fromisoformat(week["week_start"]))
                by_day = paid_lines.setdefault(wkey, {})
                fresh: dict[date, list[PaidLine]] = {d: [] for d in dates if d not in by_day}
                for raw in week["lines"]:
                    line = _line(raw)
                    if line.day in fresh:
                        fresh[line.day].append(line)
                for d, lines in fresh.items():
                    by_day[d] = tuple(lines)
                paid_rules[wkey] = (week["rules_file"], week["rules_sha256"])
            for cid in p["settled"]:
                if cid in corrections and corrections[cid].settlement is None:
                    how = "off_cycle" if p["kind"] == "off_cycle" else "next_payroll"
                    start_text = p.get("period_start")
                    corrections[cid] = _settle(
                        corrections[cid],
                        Settlement(
                            how, p["run_id"], date.fromisoformat(start_text) if start_text else None, e.recorded_at
                        ),
                    )
        elif e.kind == CORRECTION:
            c = _correction(e)
            corrections[c.correction_id] = c
            wkey = (c.worker_id, c.week_start)
            by_day = paid_lines.setdefault(wkey, {})
            corrected: dict[date, list[PaidLine]] = {date.fromisoformat(d["date"]): [] for d in p["dates"]}
            for raw in p["corrected_lines"]:
                line = _line(raw)
                if line.day in corrected:
                    corrected[line.day].append(line)
            for d, lines in corrected.items():
                by_day[d] = tuple(lines)
            paid_rules[wkey] = (p["rules_file"], p["rules_sha256"])
        elif e.kind == SETTLED:
            cid = p["correction_id"]
            if cid in corrections and corrections[cid].settlement is None:
                start_text = p.get("period_start")
                corrections[cid] = _settle(
                    corrections[cid],
                    Settlement(
                        p["how"], p.get("run_id"), date.fromisoformat(start_text) if start_text else None, e.recorded_at
                    ),
                )
    paid_weeks = {
        key: PaidWeek(key[0], key[1], dict(sorted(lines.items())), *paid_rules.get(key, ("", "")))
        for key, lines in paid_lines.items()
    }
    return ApprovalState(
        shift_approvals=shift_approvals,
        shift_voids=shift_voids,
        timecards=timecards,
        timecard_voids=timecard_voids,
        runs=runs,
        payments=tuple(payments),
        paid_weeks=paid_weeks,
        corrections=tuple(sorted(corrections.values(), key=lambda c: c.seq)),
    )


def _payment(e: Event) -> Payment:
    p = e.payload
    start, end = p.get("period_start"), p.get("period_end")
    return Payment(
        run_id=p["run_id"],
        kind=p["kind"],
        worker_id=p["worker_id"],
        period_start=date.fromisoformat(start) if start else None,
        period_end=date.fromisoformat(end) if end else None,
        paid_dates=frozenset(date.fromisoformat(d) for d in p["paid_dates"]),
        gross=D(p["gross"]),
        additions=D(p["additions"]),
        deductions=D(p["deductions"]),
        net=D(p["net"]),
        settled=tuple(p["settled"]),
        at=e.recorded_at,
        seq=e.seq,
    )


def _correction(e: Event) -> Correction:
    p = e.payload
    return Correction(
        correction_id=p["correction_id"],
        worker_id=p["worker_id"],
        week_start=date.fromisoformat(p["week_start"]),
        kind=p["kind"],
        timeframe=p["timeframe"],
        reason=p["reason"],
        author=e.actor,
        at=e.recorded_at,
        shift_id=p["shift_id"],
        action=p["action"],
        paid_gross=D(p["paid_gross"]),
        corrected_gross=D(p["corrected_gross"]),
        amount=D(p["amount"]),
        rules_file=p["rules_file"],
        dates=tuple(p["dates"]),
        settlement=None,
        seq=e.seq,
    )


def _settle(c: Correction, s: Settlement) -> Correction:
    from dataclasses import replace

    return replace(c, settlement=s)
