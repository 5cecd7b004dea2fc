"""Approvals, pay runs and corrections: their events, their records, and the :class:`PayBook` that reads them.

The events are folded at append time into indexed tables
(:mod:`ledger.paystate`); a :class:`PayBook` reads those tables over an open
connection, so that a command's cost follows the rows it reads, not the
number of past pay periods. Nothing here reads the clock.

A shift *version* (:func:`shift_version`) is a content hash of everything
that decides its pay: an approval names the version it approved, so that an
approval of an older version does not count.

Event kinds (money is decimal text, dates ``YYYY-MM-DD``; every kind but
``payrun.recorded`` carries ``worker_id`` in its payload and as the event's worker):

``approval.shift_approved``
    ``{shift_id, worker_id, version, day}``: step 1, by a manager of the worker
    or an admin. Key ``approval:shift:<shift_id>:<version>:<voids so far>``.
``approval.shift_voided``
    ``{shift_id, worker_id, version, cause, reason}``: ``cause`` is ``edited``,
    ``deleted`` or ``unapproved``; the approval of that shift no longer counts.
``approval.timecard_approved``
    ``{worker_id, period_start, period_end, pay_from, shifts, leave, corrections}``:
    step 2, by an admin. It approves paying the worker's unpaid dates from
    ``pay_from`` to ``period_end``: ``shifts`` the worked shifts with hours on
    those dates ``[{shift_id, version}]``; ``leave`` the PTO/SICK/HOLIDAY
    entries ``[{shift_id, version, day, pay_type, minutes}]``; ``corrections``
    the open corrections it settles ``[{correction_id, balance}]``. Key
    ``approval:timecard:<worker>:<period_start>:<voids so far>``.
``approval.timecard_voided``
    ``{worker_id, period_start, cause, reason}``: ``cause`` ``edited`` or ``unapproved``.
``payrun.recorded``
    ``{run_id, kind, period_start, period_end, pay_date, workers, partial,
    ledger_seq, ledger_hash}``: one pay run; ``kind`` ``regular`` or
    ``off_cycle``; ``ledger_seq``/``ledger_hash`` the head of the chain it was
    priced from. Key ``payrun:<run_id>``.
``payrun.worker_paid``
    ``{run_id, kind, worker_id, period_start, period_end, ranges, weeks, gross,
    settled, additions, deductions, net, ledger_seq, ledger_hash, stub}``: exactly
    what one worker was paid by a run. ``ranges`` ``[[first, last], ...]`` the
    dates it pays (they join the worker's paid dates into one interval);
    ``weeks`` ``[{week_start, rules_file, rules_sha256, gross, lines}]``, each
    line ``{date, class, minutes, rate, multiplier, amount}`` (``minutes`` exact
    hours x 60; ``rate`` exact) of the dates it pays; ``settled``
    ``[{correction_id, amount}]``; ``net`` what is paid out (gross + additions -
    deductions); ``stub`` the pay stub as issued. Earlier paid dates of a
    workweek it touches that now price differently (later hours changed the
    week's regular rate) are recorded just before it as corrections of action
    ``workweek``, which it settles. Key ``payrun:<first paid date>:<worker_id>``
    for a regular payment (a date is never paid twice, whatever the run),
    ``payrun:<run_id>:<worker_id>`` for an off-cycle payment.
``correction.recorded``
    ``{correction_id, worker_id, week_start, kind, timeframe, reason, shift_id,
    action, paid_gross, corrected_gross, amount, rules_file, rules_sha256,
    dates, corrected_lines}``: a change that reprices paid dates. ``kind``
    ``overpayment`` or ``underpayment``; ``amount`` the positive difference;
    ``timeframe`` ``NEXT_PAYROLL_PAYMENT``, ``IMMEDIATELY`` or
    ``EXTERNALLY_PAID``; ``action`` what changed (``added``, ``edited``,
    ``punch``, ``rules``, ``rate``...); ``dates`` per corrected date ``{date,
    original, corrected, original_amount, corrected_amount}`` with
    ``original``/``corrected`` ``[{class, minutes, amount}]``;
    ``corrected_lines`` the week's recomputed lines on those dates (the new
    record of what is owed for them). Key ``correction:<id>``.
``correction.settled``
    ``{correction_id, worker_id, how, run_id, period_start, amount}``: ``how``
    ``next_payroll`` (a pay run's addition or deduction; a deduction may take
    part of an overpayment and carry the rest forward), ``off_cycle`` or
    ``externally_paid``. Key ``settled:<correction_id>:<run or how>``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ot.core.domain import Shift
from ot.core.money import D
from ot.core.timez import from_iso_utc, iso_utc

__all__ = [
    "CORRECTION",
    "EVENT_FAMILIES",
    "LEAVE_TYPES",
    "PAYRUN",
    "SETTLED",
    "SHIFT_APPROVED",
    "SHIFT_VOIDED",
    "TIMECARD_APPROVED",
    "TIMECARD_VOIDED",
    "TIMEFRAMES",
    "WORKER_PAID",
    "Correction",
    "PaidLine",
    "PaidWeek",
    "PayBook",
    "Payment",
    "Settlement",
    "ShiftApproval",
    "TimecardApproval",
    "line_from_payload",
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
#: The kind families of the pay state.
EVENT_FAMILIES: tuple[str, ...] = ("approval.", "payrun.", "correction.")
TIMEFRAMES: tuple[str, ...] = ("NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID")
LEAVE_TYPES: tuple[str, ...] = ("PTO", "SICK", "HOLIDAY")
ZERO_CENTS = Decimal("0.00")


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


def _approved_at(row: Sequence[Any]) -> datetime:
    """The instant of a ``shift_approvals`` row; a row no fold could have written (edited by hand) is
    refused, as the checks of the rows against their events refuse it."""
    try:
        return from_iso_utc(row[4])
    except (TypeError, ValueError):
        from ot.core.errors import OtError, Problem

        raise OtError(
            "refused: a derived table does not match the events; nothing was written",
            [
                Problem(
                    "table shift_approvals",
                    f"shift {row[0]}: row {row[5]} has no approval instant ({row[4]!r}): the ledger file was "
                    "edited outside ot; run `ot ledger verify`, then `ot ledger rebuild` once you know why",
                )
            ],
        ) from None


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
        period_end: Last day of the pay period (the last date it pays).
        pay_from: The first date it pays (before ``period_start`` when earlier
            dates of the worker were left unpaid).
        shifts: (shift_id, version) of every approved worked shift.
        leave: (shift_id, version) of every PTO/SICK/HOLIDAY entry it holds.
        corrections: (correction_id, open balance) of every correction it settles.
        actor: Who approved it.
        at: When (UTC).
        seq: Its event's sequence number.
    """

    worker_id: str
    period_start: date
    period_end: date
    pay_from: date
    shifts: tuple[tuple[str, str], ...]
    leave: tuple[tuple[str, str], ...]
    corrections: tuple[tuple[str, str], ...]
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
        premium: For a ``PREMIUM`` line, ``meal`` or ``rest`` (empty on lines paid before ot
            kept it); not part of a line's identity: comparing lines compares money.
    """

    day: date
    hour_class: str
    minutes: Decimal
    rate: Decimal
    multiplier: Decimal
    amount: Decimal
    premium: str = field(default="", compare=False)

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
    } | ({"premium": line.premium} if line.premium else {})


def line_from_payload(p: Mapping[str, Any]) -> PaidLine:
    """A :class:`PaidLine` from its JSON-able form."""
    return PaidLine(
        day=date.fromisoformat(p["date"]),
        hour_class=str(p["class"]),
        minutes=D(p["minutes"]),
        rate=D(p["rate"]),
        multiplier=D(p["multiplier"]),
        amount=D(p["amount"]),
        premium=str(p.get("premium", "")),
    )


@dataclass(frozen=True)
class PaidWeek:
    """What a worker's workweek owes for its paid dates: the pay runs' lines, as corrected since.

    Attributes:
        worker_id: Whose week.
        week_start: First local day of the workweek.
        lines: By date: the lines owed for that paid date.
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
        return sum((ln.amount for day in self.lines.values() for ln in day), ZERO_CENTS)


@dataclass(frozen=True)
class Payment:
    """One worker's payment by a pay run.

    Attributes:
        run_id: The pay run.
        kind: ``regular`` or ``off_cycle``.
        worker_id: Who was paid.
        period_start: First day of the pay period (None for an off-cycle payment).
        period_end: Last day of the pay period (None for off-cycle).
        paid_from: First date it paid (None for off-cycle).
        paid_through: Last date it paid (None for off-cycle).
        gross: Sum of the lines of the dates it paid.
        additions: Underpayments paid with it.
        deductions: Overpayments withheld from it.
        net: What was paid out.
        settled: Ids of the corrections it settled (in whole or in part).
        at: When it was recorded (UTC).
        seq: Its event's sequence number.
    """

    run_id: str
    kind: str
    worker_id: str
    period_start: date | None
    period_end: date | None
    paid_from: date | None
    paid_through: date | None
    gross: Decimal
    additions: Decimal
    deductions: Decimal
    net: Decimal
    settled: tuple[str, ...]
    at: datetime
    seq: int


@dataclass(frozen=True)
class Settlement:
    """A settlement of (part of) a correction.

    Attributes:
        how: ``next_payroll``, ``off_cycle`` or ``externally_paid``.
        run_id: The pay run that paid or withheld it (None when paid externally).
        period_start: First day of that run's period, if any.
        amount: How much of the correction it settled.
        at: When (UTC).
        seq: Its event's sequence number.
    """

    how: str
    run_id: str | None
    period_start: date | None
    amount: Decimal
    at: datetime
    seq: int


@dataclass(frozen=True)
class Correction:
    """An over- or underpayment found by a change that repriced paid dates.

    Attributes:
        correction_id: Its id.
        worker_id: Whose pay.
        week_start: The workweek recomputed.
        kind: ``overpayment`` or ``underpayment``.
        timeframe: How an underpayment is paid (no effect on an overpayment).
        reason: Why the correction was made.
        author: Who made it.
        at: When (UTC).
        shift_id: The shift added or edited (or what changed: a punch, the rules, a rate).
        action: ``added``, ``edited``, ``punch``, ``rules``, ``rate``...
        paid_gross: What the week's paid dates had been paid.
        corrected_gross: What they should have been paid.
        amount: The positive difference.
        balance: What is still open of ``amount``.
        rules_file: Rules file the week was recomputed with (the one in force then).
        dates: Per corrected date: the raw ``{date, original, corrected, ...}`` payload.
        settlements: Its settlements, oldest first.
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
    balance: Decimal
    rules_file: str
    dates: tuple[Mapping[str, Any], ...]
    settlements: tuple[Settlement, ...]
    seq: int

    @property
    def signed(self) -> Decimal:
        """The difference owed to the worker: positive for an underpayment, negative for an overpayment."""
        return self.amount if self.kind == "underpayment" else -self.amount

    @property
    def settled(self) -> bool:
        """Whether nothing of it is open."""
        return self.balance == 0

    @property
    def settlement(self) -> Settlement | None:
        """The settlement that closed it (the last one), or None while anything is open."""
        return self.settlements[-1] if self.settled and self.settlements else None


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else []


class PayBook:
    """The pay state of an open ledger, read from its indexed tables (``ledger.paystate``).

    Reads happen on the connection given, inside whatever transaction is open
    (a write transaction sees its own appends).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # --- step 1 ---

    def shift_approval(self, shift_id: str) -> ShiftApproval | None:
        """The step-1 approval in force of a shift, or None."""
        row = self._conn.execute(
            "SELECT shift_id, worker_id, version, actor, at, seq FROM shift_approvals "
            "WHERE shift_id = ? AND version IS NOT NULL",
            (shift_id,),
        ).fetchone()
        return None if row is None else ShiftApproval(row[0], row[1], row[2], row[3], from_iso_utc(row[4]), row[5])

    def _approval_rows(self, columns: str, shift_ids: Sequence[str], also: str = "") -> list[Any]:
        """``SELECT columns FROM shift_approvals`` of these shifts (and the condition ``also``), 500 at a time."""
        ids = list(dict.fromkeys(shift_ids))
        rows: list[Any] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows += self._conn.execute(
                f"SELECT {columns} FROM shift_approvals WHERE shift_id IN ({marks}){also}", chunk
            )
        return rows

    def shift_approvals(self, shift_ids: Sequence[str]) -> dict[str, ShiftApproval]:
        """The step-1 approvals in force of these shifts, by shift id."""
        return {
            row[0]: ShiftApproval(row[0], row[1], row[2], row[3], _approved_at(row), row[5])
            for row in self._approval_rows(
                "shift_id, worker_id, version, actor, at, seq", shift_ids, " AND version IS NOT NULL"
            )
        }

    def approved(self, shift_id: str, version: str) -> bool:
        """Whether this version of the shift has a step-1 approval in force."""
        a = self.shift_approval(shift_id)
        return a is not None and a.version == version

    def shift_voids(self, shift_id: str) -> int:
        """How many times the approval of this shift was voided."""
        row = self._conn.execute("SELECT voids FROM shift_approvals WHERE shift_id = ?", (shift_id,)).fetchone()
        return int(row[0]) if row else 0

    def shift_voids_of(self, shift_ids: Sequence[str]) -> dict[str, int]:
        """:meth:`shift_voids` of each of these shifts, read in batches (a shift never voided: absent)."""
        return {sid: int(voids) for sid, voids in self._approval_rows("shift_id, voids", shift_ids)}

    def last_shift_voids(self, shift_ids: Sequence[str]) -> dict[str, Mapping[str, Any]]:
        """The last void of each of these shifts' approvals (``{cause, reason, actor, seq}``), by shift id."""
        return {
            sid: json.loads(text)
            for sid, text in self._approval_rows("shift_id, last_void", shift_ids, " AND last_void IS NOT NULL")
        }

    def last_timecard_void(self, worker_id: str, period_start: date) -> Mapping[str, Any] | None:
        """The last void of a timecard's approval (``{cause, reason, actor, seq}``), or None."""
        row = self._conn.execute(
            "SELECT last_void FROM timecards WHERE worker_id = ? AND period_start = ?",
            (worker_id, period_start.isoformat()),
        ).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def approved_days(self) -> dict[str, list[date]]:
        """worker_id -> the days of their shifts with a step-1 approval in force."""
        out: dict[str, list[date]] = {}
        for wid, day in self._conn.execute(
            "SELECT worker_id, day FROM shift_approvals WHERE version IS NOT NULL ORDER BY worker_id, day"
        ):
            out.setdefault(wid, []).append(date.fromisoformat(day))
        return out

    # --- step 2 ---

    def _timecard(self, row: tuple[Any, ...]) -> TimecardApproval:
        return TimecardApproval(
            worker_id=row[0],
            period_start=date.fromisoformat(row[1]),
            period_end=date.fromisoformat(row[2]),
            pay_from=date.fromisoformat(row[3]),
            shifts=tuple((x["shift_id"], x["version"]) for x in _loads(row[4])),
            leave=tuple((x["shift_id"], x["version"]) for x in _loads(row[5])),
            corrections=tuple((x["correction_id"], x["balance"]) for x in _loads(row[6])),
            actor=row[7],
            at=from_iso_utc(row[8]),
            seq=row[9],
        )

    _TIMECARD = (
        "SELECT worker_id, period_start, period_end, pay_from, shifts, leave, corrections, actor, at, seq "
        "FROM timecards WHERE shifts IS NOT NULL"
    )

    def timecard(self, worker_id: str, period_start: date) -> TimecardApproval | None:
        """The step-2 approval in force of a worker's timecard for the period starting ``period_start``."""
        row = self._conn.execute(
            self._TIMECARD + " AND worker_id = ? AND period_start = ?", (worker_id, period_start.isoformat())
        ).fetchone()
        return None if row is None else self._timecard(row)

    def timecards(self, period_start: date) -> dict[str, TimecardApproval]:
        """Every step-2 approval in force for the period starting ``period_start``, by worker."""
        return {
            row[0]: self._timecard(row)
            for row in self._conn.execute(self._TIMECARD + " AND period_start = ?", (period_start.isoformat(),))
        }

    def timecards_of_worker(self, worker_id: str) -> list[TimecardApproval]:
        """Every step-2 approval in force of one worker, by period."""
        return [
            self._timecard(row)
            for row in self._conn.execute(self._TIMECARD + " AND worker_id = ? ORDER BY period_start", (worker_id,))
        ]

    def all_timecards(self) -> list[TimecardApproval]:
        """Every step-2 approval in force."""
        return [self._timecard(row) for row in self._conn.execute(self._TIMECARD + " ORDER BY period_start")]

    def leave_timecards(
        self, *, unpaid_only: bool = False, first: date | None = None, last: date | None = None
    ) -> list[TimecardApproval]:
        """The step-2 approvals in force that hold PTO/SICK/HOLIDAY entries: only those whose period
        has no regular payment yet (``unpaid_only``), or whose period overlaps ``[first, last]``."""
        sql = self._TIMECARD + " AND leave IS NOT NULL AND leave != '[]'"
        args: list[str] = []
        if unpaid_only:
            sql += (
                " AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.worker_id = timecards.worker_id "
                "AND p.kind = 'regular' AND p.period_start = timecards.period_start)"
            )
        if first is not None:
            sql += " AND period_end >= ?"
            args.append(first.isoformat())
        if last is not None:
            sql += " AND period_start <= ?"
            args.append(last.isoformat())
        return [self._timecard(row) for row in self._conn.execute(sql + " ORDER BY period_start", args)]

    def timecard_voids(self, worker_id: str, period_start: date) -> int:
        """How many times the timecard's approval was voided."""
        row = self._conn.execute(
            "SELECT voids FROM timecards WHERE worker_id = ? AND period_start = ?",
            (worker_id, period_start.isoformat()),
        ).fetchone()
        return int(row[0]) if row else 0

    # --- paid dates ---

    def paid_range(self, worker_id: str) -> tuple[date, date] | None:
        """(first, last) paid date of the worker, or None when never paid. Every date between is paid."""
        row = self._conn.execute(
            "SELECT paid_from, paid_through FROM paid_ranges WHERE worker_id = ?", (worker_id,)
        ).fetchone()
        return None if row is None else (date.fromisoformat(row[0]), date.fromisoformat(row[1]))

    def paid_ranges(self) -> dict[str, tuple[date, date]]:
        """Every worker's paid interval."""
        return {
            r[0]: (date.fromisoformat(r[1]), date.fromisoformat(r[2]))
            for r in self._conn.execute("SELECT worker_id, paid_from, paid_through FROM paid_ranges")
        }

    def is_paid(self, worker_id: str, day: date) -> bool:
        """Whether ``day`` is a paid date of this worker."""
        found = self.paid_range(worker_id)
        return found is not None and found[0] <= day <= found[1]

    def last_paid_date(self) -> date | None:
        """The last date any worker has been paid for (None when no pay run paid anyone)."""
        row = self._conn.execute("SELECT MAX(paid_through) FROM paid_ranges").fetchone()
        return _d(row[0])

    # --- payments ---

    _PAYMENT = (
        "SELECT run_id, kind, worker_id, period_start, period_end, paid_from, paid_through, gross, "
        "additions, deductions, net, settled, at, seq FROM payments"
    )

    @staticmethod
    def _payment(r: tuple[Any, ...]) -> Payment:
        return Payment(
            run_id=r[0],
            kind=r[1],
            worker_id=r[2],
            period_start=_d(r[3]),
            period_end=_d(r[4]),
            paid_from=_d(r[5]),
            paid_through=_d(r[6]),
            gross=D(r[7]),
            additions=D(r[8]),
            deductions=D(r[9]),
            net=D(r[10]),
            settled=tuple(json.loads(r[11])),
            at=from_iso_utc(r[12]),
            seq=r[13],
        )

    def payments_of(self, worker_id: str) -> list[Payment]:
        """Every payment of a worker, oldest first."""
        return [
            self._payment(r)
            for r in self._conn.execute(self._PAYMENT + " WHERE worker_id = ? ORDER BY seq", (worker_id,))
        ]

    def last_regular_payment_seq(self, worker_id: str) -> int:
        """The event of this worker's last regular payment (0: none): one seek of the worker's payments."""
        row = self._conn.execute(
            "SELECT seq FROM payments WHERE worker_id = ? AND kind = 'regular' ORDER BY seq DESC LIMIT 1", (worker_id,)
        ).fetchone()
        return int(row[0]) if row else 0

    def payments_of_run(self, run_id: str) -> list[Payment]:
        """Every payment of a run, by worker."""
        return [
            self._payment(r)
            for r in self._conn.execute(self._PAYMENT + " WHERE run_id = ? ORDER BY worker_id", (run_id,))
        ]

    def payments_of_period(self, period_start: date) -> list[Payment]:
        """Every payment for the period starting ``period_start`` (regular runs), by worker then run."""
        return [
            self._payment(r)
            for r in self._conn.execute(
                self._PAYMENT + " WHERE period_start = ? ORDER BY worker_id, seq", (period_start.isoformat(),)
            )
        ]

    def paid_in(self, worker_id: str, period_start: date) -> Payment | None:
        """The last regular payment of this worker for the period starting ``period_start``."""
        row = self._conn.execute(
            self._PAYMENT + " WHERE worker_id = ? AND kind = 'regular' AND period_start = ? ORDER BY seq DESC",
            (worker_id, period_start.isoformat()),
        ).fetchone()
        return None if row is None else self._payment(row)

    def payment(self, seq: int) -> Payment | None:
        """The payment recorded by event ``seq``."""
        row = self._conn.execute(self._PAYMENT + " WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else self._payment(row)

    def paid_workers(self, period_start: date) -> set[str]:
        """Workers with a regular payment for the period starting ``period_start``."""
        return {
            r[0]
            for r in self._conn.execute(
                "SELECT worker_id FROM payments WHERE kind = 'regular' AND period_start = ?",
                (period_start.isoformat(),),
            )
        }

    def run(self, run_id: str) -> Mapping[str, Any] | None:
        """The pay run ``run_id`` as recorded (``payruns`` row as a mapping), or None."""
        cur = self._conn.execute("SELECT * FROM payruns WHERE run_id = ?", (run_id,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cur.description], row, strict=True))

    def runs_of_period(self, period_start: date) -> int:
        """How many regular pay runs the period starting ``period_start`` has had."""
        row = self._conn.execute(
            "SELECT COUNT(*) FROM payruns WHERE kind = 'regular' AND period_start = ?", (period_start.isoformat(),)
        ).fetchone()
        return int(row[0])

    def paid_week(self, worker_id: str, week_start: date) -> PaidWeek | None:
        """What a workweek owes for its paid dates, or None when none of them is paid."""
        row = self._conn.execute(
            "SELECT lines, rules_file, rules_sha256 FROM paid_weeks WHERE worker_id = ? AND week_start = ?",
            (worker_id, week_start.isoformat()),
        ).fetchone()
        if row is None:
            return None
        by_day: dict[date, list[PaidLine]] = {}
        for raw in json.loads(row[0]):
            line = line_from_payload(raw)
            by_day.setdefault(line.day, []).append(line)
        return PaidWeek(worker_id, week_start, {d: tuple(v) for d, v in sorted(by_day.items())}, row[1], row[2])

    # --- corrections ---

    _CORRECTION = "SELECT payload, balance, actor, at, seq FROM corrections"

    def _correction(self, r: tuple[Any, ...]) -> Correction:
        p = json.loads(r[0])
        settlements = tuple(
            Settlement(s[0], s[1], _d(s[2]), D(s[3]), from_iso_utc(s[4]), s[5])
            for s in self._conn.execute(
                "SELECT how, run_id, period_start, amount, at, seq FROM settlements WHERE correction_id = ? "
                "ORDER BY seq",
                (p["correction_id"],),
            )
        )
        return Correction(
            correction_id=p["correction_id"],
            worker_id=p["worker_id"],
            week_start=date.fromisoformat(p["week_start"]),
            kind=p["kind"],
            timeframe=p["timeframe"],
            reason=p["reason"],
            author=r[2],
            at=from_iso_utc(r[3]),
            shift_id=p["shift_id"],
            action=p["action"],
            paid_gross=D(p["paid_gross"]),
            corrected_gross=D(p["corrected_gross"]),
            amount=D(p["amount"]),
            balance=D(r[1]),
            rules_file=p["rules_file"],
            dates=tuple(p["dates"]),
            settlements=settlements,
            seq=r[4],
        )

    def corrections(self, worker_id: str | None = None) -> list[Correction]:
        """Every correction (of one worker), oldest first."""
        if worker_id is None:
            rows = self._conn.execute(self._CORRECTION + " ORDER BY seq").fetchall()
        else:
            rows = self._conn.execute(self._CORRECTION + " WHERE worker_id = ? ORDER BY seq", (worker_id,)).fetchall()
        return [self._correction(r) for r in rows]

    def corrections_since(self, worker_id: str, seq: int) -> list[Correction]:
        """The corrections of this worker recorded after event ``seq``, oldest first."""
        rows = self._conn.execute(
            self._CORRECTION + " WHERE worker_id = ? AND seq > ? ORDER BY seq", (worker_id, seq)
        ).fetchall()
        return [self._correction(r) for r in rows]

    def correction(self, correction_id: str) -> Correction | None:
        """One correction by id."""
        row = self._conn.execute(self._CORRECTION + " WHERE correction_id = ?", (correction_id,)).fetchone()
        return None if row is None else self._correction(row)

    def open_corrections(self, worker_id: str) -> tuple[Correction, ...]:
        """Corrections of this worker with an open balance, oldest first."""
        rows = self._conn.execute(
            self._CORRECTION + " WHERE worker_id = ? AND CAST(balance AS REAL) > 0 ORDER BY seq", (worker_id,)
        ).fetchall()
        return tuple(self._correction(r) for r in rows)

    def workers_with_open_corrections(self) -> set[str]:
        """Workers with any correction still open."""
        return {
            r[0]
            for r in self._conn.execute("SELECT DISTINCT worker_id FROM corrections WHERE CAST(balance AS REAL) > 0")
        }

    def fold_problems(self) -> list[tuple[int, str]]:
        """Events a rebuild could not fold into the pay state."""
        return [(r[0], r[1]) for r in self._conn.execute("SELECT seq, message FROM fold_problems ORDER BY seq")]
