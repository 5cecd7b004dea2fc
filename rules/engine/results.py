"""The engine's output records: pay lines, workweeks, explanations.

Every record is frozen. Hours are exact (:class:`~decimal.Decimal` made from
whole minutes); money on a :class:`PayLine` is rounded half-up to the cent
where the line is made (``rules.engine.lines``), and a week's gross is the
exact sum of its rounded lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ot.timez import zone
from rules.model import Source

#: Hour classes of pay lines, in the order lines are listed within a day.
LINE_CLASS_ORDER: tuple[str, ...] = (
    "REG",
    "OT",
    "DT",
    "RR_ADJ",
    "PREMIUM",
    "PTO",
    "SICK",
    "HOLIDAY",
    "BONUS",
    "COMMISSION",
    "PIECE",
)


@dataclass(frozen=True)
class RuleRef:
    """A rule as the explanation and pay lines name it.

    Attributes:
        jurisdiction: ``FEDERAL`` or a USPS code.
        label: The rule's plain words ("daily over 8h", "regular hours").
        source: Where it is written.
        hour_class: The class it gives (``REG``, ``OT``, ``DT``).
        multiplier: Of the regular rate (1 for ``REG``).
    """

    jurisdiction: str
    label: str
    source: Source
    hour_class: str
    multiplier: Decimal


@dataclass(frozen=True)
class PieceExplanation:
    """Why one stretch of worked time got its class.

    Attributes:
        shift_id: The shift it belongs to.
        workday: Local date of its workday.
        start_minute: Start, in whole minutes since the epoch (UTC); ``start`` is
            the local aware datetime.
        end_minute: End, likewise; ``end`` is the local aware datetime.
        timezone: IANA zone of the work location.
        hours_only: True when the shift is an hours-only entry (``start`` is
            then only its placement from the workday start).
        minutes: Length in whole minutes.
        hour_class: ``REG``, ``OT`` or ``DT``.
        winner: The rule that decided the class (the most favourable).
        losers: Every other rule that classified it, and the plain
            ``regular hours`` of each applicable jurisdiction that did not.
    """

    shift_id: str
    workday: date
    start_minute: int
    end_minute: int
    timezone: str
    hours_only: bool
    minutes: int
    hour_class: str
    winner: RuleRef
    losers: tuple[RuleRef, ...]

    @property
    def start(self) -> datetime:
        """Local start (aware, in the work location's zone)."""
        return datetime.fromtimestamp(self.start_minute * 60, zone(self.timezone))

    @property
    def end(self) -> datetime:
        """Local end (aware)."""
        return datetime.fromtimestamp(self.end_minute * 60, zone(self.timezone))


@dataclass(frozen=True)
class RateArithmetic:
    """The regular-rate arithmetic of a workweek (29 CFR 778.109-778.115).

    Attributes:
        straight_time: Per hourly rate, (rate, hours worked at it, hours x rate).
        other_earnings: (kind, amount) of bonuses, commissions and piece pay.
        total_earnings: Straight-time earnings plus other earnings.
        hours_worked: Total hours worked in the week.
        regular_rate: total_earnings / hours_worked (exact), 0 with no hours.
    """

    straight_time: tuple[tuple[Decimal, Decimal, Decimal], ...]
    other_earnings: tuple[tuple[str, Decimal], ...]
    total_earnings: Decimal
    hours_worked: Decimal
    regular_rate: Decimal


@dataclass(frozen=True)
class PayLine:
    """One itemised line of a week's gross pay.

    Attributes:
        date: Local workday (or the earning's date).
        hour_class: ``REG``, ``OT``, ``DT``, ``RR_ADJ`` (the regular-rate
            adjustment of OT/DT hours), ``PREMIUM`` (meal/rest), ``PTO``,
            ``SICK``, ``HOLIDAY``, or ``BONUS``/``COMMISSION``/``PIECE``.
        hours: Exact hours (0 for an earning).
        rate: Exact rate per hour the multiplier applies to (the amount for an earning).
        multiplier: 1, 1.5, 2... (for ``RR_ADJ``: multiplier - 1).
        amount: Rounded half-up to the cent.
        location_id: Work location, or None when given only by state.
        state: Tax jurisdiction (USPS code of the work location's state).
        shift_ids: Shifts whose time it pays.
        rule: The rule's label.
        source: Where the rule is written.
        jurisdiction: Jurisdiction of the rule (``FEDERAL`` or a state).
    """

    date: date
    hour_class: str
    hours: Decimal
    rate: Decimal
    multiplier: Decimal
    amount: Decimal
    location_id: str | None
    state: str
    shift_ids: tuple[str, ...]
    rule: str
    source: Source
    jurisdiction: str


@dataclass(frozen=True)
class WeekResult:
    """One worker's workweek, priced.

    Attributes:
        worker_id: Whose week.
        week_start: Local date on which the workweek begins.
        lines: Pay lines (by date, then class).
        regular_hours: Hours worked classed REG.
        overtime_hours: Hours worked classed OT.
        doubletime_hours: Hours worked classed DT.
        premium_hours: Meal/rest premium hours (paid, not worked).
        not_worked_hours: PTO, sick and holiday hours (paid, not worked).
        regular_rate: The week's regular rate (exact).
        gross: Sum of the rounded lines.
        pieces: Explanation of every stretch of worked time.
        arithmetic: The regular-rate arithmetic.
        notes: Plain-words notes (premiums owed and why, waivers honoured...).
    """

    worker_id: str
    week_start: date
    lines: tuple[PayLine, ...]
    regular_hours: Decimal
    overtime_hours: Decimal
    doubletime_hours: Decimal
    premium_hours: Decimal
    not_worked_hours: Decimal
    regular_rate: Decimal
    gross: Decimal
    pieces: tuple[PieceExplanation, ...]
    arithmetic: RateArithmetic
    notes: tuple[str, ...] = ()

    @property
    def hours_worked(self) -> Decimal:
        """REG + OT + DT."""
        return self.regular_hours + self.overtime_hours + self.doubletime_hours


@dataclass(frozen=True)
class WorkerResult:
    """Every workweek of one worker.

    Attributes:
        worker_id: Whose.
        weeks: In date order.
    """

    worker_id: str
    weeks: tuple[WeekResult, ...]


@dataclass(frozen=True)
class PayResult:
    """What :func:`rules.engine.price` returns.

    Attributes:
        workers: Per worker (input order), their weeks.
        skipped: (shift_id, why) of shifts that cannot be priced yet (a
            missing out-punch): they are left out, never guessed.
    """

    workers: tuple[WorkerResult, ...]
    skipped: tuple[tuple[str, str], ...] = ()

    def weeks(self) -> tuple[WeekResult, ...]:
        """Every week of every worker, flattened."""
        return tuple(w for wr in self.workers for w in wr.weeks)
