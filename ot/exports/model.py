"""What a payroll export carries: a pay run's lines as rows, with the totals they must add up to.

Pure data, built by :mod:`ot.services.exports` from the ledger's pay-run events and
written by one module per format (:mod:`ot.exports.registry`).

A row is either **hours** (``hours`` x ``paid_rate`` = ``amount``, to the cent: a
workweek's pay group split by date and work location, each date carrying the cent its
group's rounding gives it) or an **amount** (an earning paid as money: the
regular-rate adjustment, minimum-wage make-up, a bonus, a correction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

__all__ = ["AMOUNT_CLASSES", "BROADER", "CLASSES", "Batch", "ExportRow", "RunHead", "WorkerTotal"]

#: Every class a row can have: the engine's hour classes and earnings, and the corrections.
CLASSES: tuple[str, ...] = (
    "REG",
    "OT",
    "DT",
    "PREMIUM",
    "MEAL_PREMIUM",
    "REST_PREMIUM",
    "SPLIT_SHIFT_PREMIUM",
    "SPREAD_OF_HOURS_PREMIUM",
    "REPORTING_TIME_PREMIUM",
    "PTO",
    "SICK",
    "HOLIDAY",
    "RR_ADJ",
    "MW_MAKEUP",
    "BONUS",
    "COMMISSION",
    "PIECE",
    "ONCALL",
    "SALARY",
    "BONUS_OT",
    "DIFF",
    "CALLBACK",
    "DISC_BONUS",
    "GIFT",
    "EXPENSE",
    "UNDERPAYMENT",
    "OVERPAYMENT",
)
#: A class whose code, when the mapping has none of its own, is that of a broader class: a meal,
#: rest, split-shift, spread-of-hours or reporting-time premium is coded as ``PREMIUM`` unless the
#: mapping codes it apart (pay runs recorded before ot kept which premium a line was are plain ``PREMIUM``).
BROADER: dict[str, str] = {
    "MEAL_PREMIUM": "PREMIUM",
    "REST_PREMIUM": "PREMIUM",
    "SPLIT_SHIFT_PREMIUM": "PREMIUM",
    "SPREAD_OF_HOURS_PREMIUM": "PREMIUM",
    "REPORTING_TIME_PREMIUM": "PREMIUM",
}
#: Classes paid as an amount, never as hours a payroll system would multiply again.
AMOUNT_CLASSES: frozenset[str] = frozenset(
    {
        "RR_ADJ",
        "MW_MAKEUP",
        "BONUS",
        "COMMISSION",
        "PIECE",
        "ONCALL",
        "SALARY",
        "BONUS_OT",
        "DIFF",
        "CALLBACK",
        "DISC_BONUS",
        "GIFT",
        "EXPENSE",
        "UNDERPAYMENT",
        "OVERPAYMENT",
    }
)


@dataclass(frozen=True)
class ExportRow:
    """One line of pay.

    Attributes:
        worker_id: The worker (the payroll system's employee or file number).
        name: The worker's name as in the roster.
        day: The date the pay was earned (a correction: the first date it corrects).
        hour_class: One of :data:`CLASSES`.
        hours: Hours paid, to the hundredth (0 for an amount row).
        rate: The rate per hour the multiplier applies to (0 for an amount row).
        multiplier: 1, 1.5, 2 (0 for an amount row).
        paid_rate: ``rate`` x ``multiplier``, to four places (0 for an amount row).
        amount: Money, to the cent (negative for an overpayment deducted).
        state: The work location's state (the tax jurisdiction of the hours).
        location_id: The work location.
        city: The work location's city, when the ledger has it.
        county: The work location's county, when the ledger has it.
        memo: What a correction corrects (its id and reason), else empty.
        run_id: The pay run that paid it.
    """

    worker_id: str
    name: str
    day: date
    hour_class: str
    hours: Decimal
    rate: Decimal
    multiplier: Decimal
    paid_rate: Decimal
    amount: Decimal
    state: str
    location_id: str
    city: str
    county: str
    memo: str
    run_id: str

    @property
    def is_amount(self) -> bool:
        """Whether the row is money (an earning or a correction) rather than hours."""
        return self.hour_class in AMOUNT_CLASSES


@dataclass(frozen=True)
class WorkerTotal:
    """One worker's payment(s) in the batch, as the pay run recorded them."""

    worker_id: str
    gross: Decimal
    additions: Decimal
    deductions: Decimal
    net: Decimal
    name: str = ""
    profile_rate: Decimal | None = None


@dataclass(frozen=True)
class RunHead:
    """A pay run in the batch, and the chain head it priced from."""

    run_id: str
    kind: str
    pay_date: date
    ledger_seq: int | None
    ledger_hash: str | None


@dataclass(frozen=True)
class Batch:
    """A pay period's regular pay runs (or one off-cycle run), ready to write.

    Attributes:
        label: ``2026-10-11_2026-10-24`` or the off-cycle run id.
        period_start: First day of the period (None off-cycle).
        period_end: Last day (None off-cycle).
        pay_date: The (last) run's pay date.
        runs: The runs, in order.
        rows: Every row, by worker, date, class.
        totals: Each worker's totals.
    """

    label: str
    period_start: date | None
    period_end: date | None
    pay_date: date
    runs: tuple[RunHead, ...]
    rows: tuple[ExportRow, ...]
    totals: tuple[WorkerTotal, ...]

    @property
    def net(self) -> Decimal:
        """What the batch pays out: the sum of the workers' nets (= the sum of the rows)."""
        return sum((t.net for t in self.totals), Decimal("0.00"))

    @property
    def classes(self) -> list[str]:
        """The classes the rows use, in :data:`CLASSES` order."""
        used = {r.hour_class for r in self.rows}
        return [c for c in CLASSES if c in used]
