"""The pay stub preview: one frozen record holding everything a stub prints.

The renderers (:mod:`ot.stubs.text`, :mod:`ot.stubs.html`, :mod:`ot.stubs.pdf`)
are pure functions of a :class:`PayStub`; nothing is looked up while rendering.
Build one with :func:`make_stub`, which sorts the lines, computes the totals by
class and the gross pay (the sum of the rounded line amounts, never
re-rounded), so that a stub is consistent by construction.

A stub never holds an SSN or a birth date: only the worker's name and id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from ot.core.money import ZERO
from ot.core.periods import PayPeriod

#: Hour classes in the order a stub lists them. Worked hours first, then
#: premiums (meal and rest period premiums: paid, not worked), then paid leave
#: and holidays (paid, never hours worked).
#: ``RR_ADJ`` is the regular-rate adjustment of overtime hours (29 CFR
#: 778.115): its hours are the OT/DT hours it adjusts, never hours of their own.
#: ``BONUS``/``COMMISSION``/``PIECE`` are earnings with no hours.
WORKED_CLASSES: tuple[str, ...] = ("REG", "OT", "DT")
ADJUSTMENT_CLASS = "RR_ADJ"
#: Pay brought up to the minimum wage: its hours are hours worked already counted.
MAKEUP_CLASS = "MW_MAKEUP"
PREMIUM_CLASS = "PREMIUM"
EARNING_CLASSES: tuple[str, ...] = (
    "BONUS",
    "COMMISSION",
    "PIECE",
    "ONCALL",
    "SALARY",
    "CALLBACK",
    "DISC_BONUS",
    "GIFT",
    "EXPENSE",
)
#: Hours already counted elsewhere, paid again at an extra rate: a bonus's overtime share
#: (29 CFR 778.209) and a shift differential (778.207(b)).
EXTRA_CLASSES: tuple[str, ...] = ("BONUS_OT", "DIFF")
#: Lines whose words say their rate basis under the table (pieces x rate, a bonus's period...).
BASIS_CLASSES: frozenset[str] = frozenset({*EARNING_CLASSES, *EXTRA_CLASSES})
LEAVE_CLASSES: tuple[str, ...] = ("PTO", "SICK", "HOLIDAY")
CLASS_ORDER: tuple[str, ...] = (
    *WORKED_CLASSES,
    ADJUSTMENT_CLASS,
    *EXTRA_CLASSES,
    MAKEUP_CLASS,
    PREMIUM_CLASS,
    *EARNING_CLASSES,
    *LEAVE_CLASSES,
)
CLASS_NAMES: dict[str, str] = {
    "REG": "Regular",
    "OT": "Overtime",
    "DT": "Double time",
    "RR_ADJ": "Regular-rate adjustment",
    "MW_MAKEUP": "Minimum wage make-up",
    "PREMIUM": "Premium pay",
    "BONUS": "Bonus",
    "COMMISSION": "Commission",
    "PIECE": "Piece-rate pay",
    "ONCALL": "On-call pay",
    "SALARY": "Salary",
    "CALLBACK": "Call-back pay",
    "DISC_BONUS": "Discretionary bonus",
    "GIFT": "Gift",
    "EXPENSE": "Expense reimbursement",
    "BONUS_OT": "Bonus overtime share",
    "DIFF": "Shift differential",
    "PTO": "Paid time off",
    "SICK": "Sick leave",
    "HOLIDAY": "Holiday",
}

Settlement = Literal["NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID", "DEDUCTION"]
SETTLEMENTS: dict[str, str] = {
    "NEXT_PAYROLL_PAYMENT": "added to this pay",
    "IMMEDIATELY": "paid off-cycle",
    "EXTERNALLY_PAID": "paid externally",
    "DEDUCTION": "deducted from this pay",
}


#: Settlements paid out (or withheld) by the stub that shows them.
PAID_OUT = frozenset({"NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "DEDUCTION"})


def counts_hours(hour_class: str) -> bool:
    """Whether hours of this class add up to hours paid: worked and leave hours
    do; premium hours (an hour of pay, not of work), adjustment and make-up
    hours (hours already counted) and earnings (no hours) do not."""
    return (
        hour_class not in (ADJUSTMENT_CLASS, MAKEUP_CLASS, PREMIUM_CLASS)
        and hour_class not in EARNING_CLASSES
        and hour_class not in EXTRA_CLASSES
    )


def class_rank(hour_class: str) -> tuple[int, str]:
    """Sort key of an hour class: the stub's order, unknown classes last by name."""
    try:
        return (CLASS_ORDER.index(hour_class), "")
    except ValueError:
        return (len(CLASS_ORDER), hour_class)


@dataclass(frozen=True)
class Employer:
    """Who pays.

    Attributes:
        name: The employer's name as it prints.
        address: Address lines, top to bottom.
        configured: False when the ledger records no employer (the stub then
            prints a hint to run ``ot employer set``).
    """

    name: str
    address: tuple[str, ...] = ()
    configured: bool = True


@dataclass(frozen=True)
class RateInEffect:
    """A pay rate used in the period and the hours paid at it.

    Attributes:
        rate: The effective hourly rate, the one money is computed with.
        hours: Hours worked at that rate in the period (all classes).
        display_rate: The rate shown beside ``rate`` (never used for money), or None.
        display_from: Where it comes from: ``shift`` (set on the shifts), ``worker``
            (set for the worker), ``profile``
            (the worker's profile rate) or ``regular_rate`` (the workweek's regular
            rate), by the display rate policy; "" when there is none.
    """

    rate: Decimal
    hours: Decimal
    display_rate: Decimal | None = None
    display_from: str = ""


@dataclass(frozen=True)
class WeekRate:
    """The regular rate of pay of one workweek (29 CFR 778.109, 778.115).

    Attributes:
        week_start: Local date on which the workweek begins.
        regular_rate: Its regular rate (the weighted average where rates differ).
    """

    week_start: date
    regular_rate: Decimal


@dataclass(frozen=True)
class StubLine:
    """One earnings line: hours of one class on one date at one rate and place.

    Attributes:
        day: The local workday the hours belong to.
        hour_class: ``REG``, ``OT``, ``DT``, ``PREMIUM``, ``PTO``, ``SICK``,
            ``HOLIDAY`` (or an adjustment class the engine names).
        hours: Hours (exact; shown to 2 places); for ``RR_ADJ`` the OT/DT hours
            it adjusts; 0 for an earning.
        rate: Dollars per hour paid for this line (multiplier applied); the
            amount itself for an earning.
        amount: The line's pay, rounded half-up to the cent.
        location_id: Work location id, or None when only a state is known.
        location_name: Its display name ("" when unknown).
        state: USPS code of the tax jurisdiction.
        multiplier: Of the regular rate (1, 1.5, 2).
        rule: Plain words for the rule that produced it ("daily over 8h").
        correction: True for hours added or changed by a correction.
        carry: The cent of its workweek's rounding the line carries (-0.01, 0,
            0.01): hours x rate rounded half-up is ``amount - carry``.
    """

    day: date
    hour_class: str
    hours: Decimal
    rate: Decimal
    amount: Decimal
    location_id: str | None
    location_name: str
    state: str
    multiplier: Decimal = Decimal(1)
    rule: str = ""
    correction: bool = False
    carry: Decimal = ZERO

    @property
    def counts_hours(self) -> bool:
        """Whether its hours add to the period's hours (see :func:`counts_hours`)."""
        return counts_hours(self.hour_class)

    @property
    def is_leave(self) -> bool:
        """Paid leave or holiday hours (paid, not worked)."""
        return self.hour_class in LEAVE_CLASSES

    @property
    def location(self) -> str:
        """``L1 Los Angeles`` or ``CA`` when the location is unknown."""
        if self.location_id and self.location_name and self.location_name != self.location_id:
            return f"{self.location_id} {self.location_name}"
        return self.location_id or self.location_name or self.state


@dataclass(frozen=True)
class CorrectionEntry:
    """A correction of a date already paid, settled in this period (Everee's
    timesheet corrections: the corrected hours appear on the stub marked
    "correction").

    Attributes:
        day: The corrected (paid) date.
        original_hours: Hours paid originally.
        corrected_hours: Hours that should have been paid.
        original_amount: What was paid.
        corrected_amount: What should have been paid.
        settlement: ``NEXT_PAYROLL_PAYMENT``, ``IMMEDIATELY``, ``EXTERNALLY_PAID``
            (underpayments) or ``DEDUCTION`` (an overpayment withheld).
        note: Free words (which shift, why), "" if none.
        label: Always ``correction``: how the stub marks it.
    """

    day: date
    original_hours: Decimal
    corrected_hours: Decimal
    original_amount: Decimal
    corrected_amount: Decimal
    settlement: str = "NEXT_PAYROLL_PAYMENT"
    note: str = ""
    label: str = "correction"

    @property
    def difference(self) -> Decimal:
        """Corrected minus original: positive for an underpayment, negative for an overpayment."""
        return self.corrected_amount - self.original_amount

    @property
    def settlement_text(self) -> str:
        """How the difference is settled, in words."""
        if self.difference == ZERO:
            return "no difference"
        # A date of a correction whose whole goes the other way (a row up within an overpayment, a review):
        # it lessens what the correction deducts or adds, it is not itself deducted or added.
        if self.settlement == "DEDUCTION" and self.difference > ZERO:
            return "lessens the deduction"
        if self.settlement in ("NEXT_PAYROLL_PAYMENT", "IMMEDIATELY") and self.difference < ZERO:
            return "lessens what is added"
        return SETTLEMENTS.get(self.settlement, self.settlement)


@dataclass(frozen=True)
class StubSettlement:
    """What a stub's pay settles of one correction.

    Attributes:
        correction_id: The correction.
        kind: ``underpayment`` (added) or ``overpayment`` (deducted).
        amount: Signed: added (+) or deducted (-) with this pay.
        still_open: What is left of it after this pay (carried forward), 0 when settled.
    """

    correction_id: str
    kind: str
    amount: Decimal
    still_open: Decimal = ZERO


@dataclass(frozen=True)
class ClassTotal:
    """Totals of one hour class in the period.

    Attributes:
        hour_class: The class.
        hours: Sum of its lines' hours.
        amount: Sum of its lines' amounts.
    """

    hour_class: str
    hours: Decimal
    amount: Decimal


@dataclass(frozen=True)
class PayStub:
    """Everything a pay stub preview prints. Build it with :func:`make_stub`.

    Attributes:
        employer: Employer name and address.
        worker_id: The worker's id.
        worker_name: The worker's name (never an SSN).
        worker_type: ``W2`` or ``1099``.
        period: The pay period (start, end, pay date).
        rates: Every rate in effect with its hours, by rate.
        week_rates: The regular rate of each workweek that has lines in the period.
        lines: REG/OT/DT/premium lines, by date then class.
        leave: PTO/SICK/HOLIDAY lines, by date then class.
        corrections: Corrections settled in this period (empty until the
            corrections issue records any).
        totals: Hours and amount by class, in the stub's class order.
        gross: Gross pay: the sum of every line amount.
        notes: Remarks printed at the end (hints, the preview disclaimer).
        settled: What this pay settles of each correction (a deduction may be partial);
            empty when every correction shown is settled whole by it.
        later: Corrections of these dates made after the stub was issued (shown apart:
            they are paid or deducted by a later pay).
    """

    employer: Employer
    worker_id: str
    worker_name: str
    worker_type: str
    period: PayPeriod
    rates: tuple[RateInEffect, ...]
    week_rates: tuple[WeekRate, ...]
    lines: tuple[StubLine, ...]
    leave: tuple[StubLine, ...]
    corrections: tuple[CorrectionEntry, ...]
    totals: tuple[ClassTotal, ...]
    gross: Decimal
    notes: tuple[str, ...] = ()
    settled: tuple[StubSettlement, ...] = ()
    later: tuple[CorrectionEntry, ...] = ()

    def __post_init__(self) -> None:
        every = (*self.lines, *self.leave)
        if sum((line.amount for line in every), ZERO) != self.gross:
            raise ValueError("a pay stub's gross must be the sum of its line amounts: build it with make_stub")
        for line in every:
            if line.day not in self.period:
                raise ValueError(f"line dated {line.day} is outside the period {self.period.label()}")

    @property
    def total_hours(self) -> Decimal:
        """Hours worked and hours of paid leave (premium and adjustment hours are not counted)."""
        return sum((t.hours for t in self.totals if counts_hours(t.hour_class)), ZERO)

    @property
    def corrections_total(self) -> Decimal:
        """The net of every correction's difference (positive: owed to the worker)."""
        return sum((c.difference for c in self.corrections), ZERO)

    @property
    def paid_with_stub(self) -> Decimal:
        """What this stub pays out: the gross plus the corrections it settles (an
        underpayment added or paid off-cycle, an overpayment deducted). An
        ``EXTERNALLY_PAID`` correction is shown but was paid outside ot. A deduction
        larger than the pay is taken in part (:attr:`settled`)."""
        if self.settled:
            return self.gross + sum((x.amount for x in self.settled), ZERO)
        return self.gross + sum((c.difference for c in self.corrections if c.settlement in PAID_OUT), ZERO)


def totals_by_class(lines: Iterable[StubLine]) -> tuple[ClassTotal, ...]:
    """Hours and amount per class, in the stub's class order."""
    hours: dict[str, Decimal] = {}
    amounts: dict[str, Decimal] = {}
    for line in lines:
        hours[line.hour_class] = hours.get(line.hour_class, ZERO) + line.hours
        amounts[line.hour_class] = amounts.get(line.hour_class, ZERO) + line.amount
    return tuple(ClassTotal(c, hours[c], amounts[c]) for c in sorted(hours, key=class_rank))


def _line_key(line: StubLine) -> tuple[date, tuple[int, str], str, Decimal]:
    return (line.day, class_rank(line.hour_class), line.location_id or line.state, line.rate)


def make_stub(
    *,
    employer: Employer,
    worker_id: str,
    worker_name: str,
    period: PayPeriod,
    lines: Iterable[StubLine],
    rates: Iterable[RateInEffect] = (),
    week_rates: Iterable[WeekRate] = (),
    corrections: Iterable[CorrectionEntry] = (),
    worker_type: str = "W2",
    notes: Iterable[str] = (),
    settled: Iterable[StubSettlement] = (),
) -> PayStub:
    """A consistent :class:`PayStub`: lines sorted and split into worked/premium
    and leave, totals by class, gross as the sum of the rounded line amounts."""
    ordered = sorted(lines, key=_line_key)
    worked = tuple(line for line in ordered if not line.is_leave)
    leave = tuple(line for line in ordered if line.is_leave)
    return PayStub(
        employer=employer,
        worker_id=worker_id,
        worker_name=worker_name,
        worker_type=worker_type,
        period=period,
        rates=tuple(sorted(rates, key=lambda r: (r.rate, r.display_rate or ZERO, r.display_from))),
        week_rates=tuple(sorted(week_rates, key=lambda w: w.week_start)),
        lines=worked,
        leave=leave,
        corrections=tuple(sorted(corrections, key=lambda c: c.day)),
        totals=totals_by_class(ordered),
        gross=sum((line.amount for line in ordered), ZERO),
        notes=tuple(notes),
        settled=tuple(settled),
    )
