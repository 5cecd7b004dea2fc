"""The engine's output records: pay lines, workweeks, explanations.

Every record is frozen. Time is in the engine's unit (milliseconds,
``ot.core.money``); the hours of a :class:`PayLine` are its pay group's hours
quantised to the hundredth and shared out over its dates, and its amount is
rounded half-up to the cent (``rules.engine.lines``, the one rounding rule in
``ot.core.money``); a week's gross is the exact sum of its lines, and of its
:class:`PayGroup` amounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from ot.core.money import MS_PER_HOUR, MS_PER_MINUTE, ZERO, per_hour
from ot.core.timez import zone
from rules.engine.earnings import EARNING_CLASSES, Exclusion
from rules.model import Source

#: Hour classes of pay lines, in the order lines are listed within a day.
LINE_CLASS_ORDER: tuple[str, ...] = (
    "REG",
    "OT",
    "DT",
    "RR_ADJ",
    "MW_MAKEUP",
    "PREMIUM",
    "PTO",
    "SICK",
    "HOLIDAY",
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


class PieceExplanation(NamedTuple):
    """One stretch of worked time with its class, and why (the engine's classified stretch: an
    immutable tuple, one per stretch of work, so it is kept light).

    Attributes:
        piece: The piece of a shift it lies in (``rules.engine.segments.Piece``).
        start_ms: Start, in milliseconds since the epoch (UTC); ``start`` is the
            local aware datetime.
        end_ms: End, likewise; ``end`` is the local aware datetime.
        winner: The rule that decided the class (the most favourable).
        losers: Every other rule that classified it, and the plain
            ``regular hours`` of each applicable jurisdiction that did not.

    Read through the piece: ``shift_id``, ``workday``, ``timezone``, ``hours_only``;
    ``ms`` is its length (``hours`` exact, ``minutes`` to the nearest), ``hour_class``
    the winner's class.
    """

    piece: Any
    start_ms: int
    end_ms: int
    winner: RuleRef
    losers: tuple[RuleRef, ...]

    @property
    def shift_id(self) -> str:
        """The shift it belongs to."""
        return str(self.piece.shift_id)

    @property
    def workday(self) -> date:
        """Local date of its workday."""
        day: date = self.piece.workday
        return day

    @property
    def timezone(self) -> str:
        """IANA zone of the work location."""
        return str(self.piece.timezone)

    @property
    def hours_only(self) -> bool:
        """True when the shift is an hours-only entry (``start`` is then only its placement)."""
        return bool(self.piece.hours_only)

    @property
    def ms(self) -> int:
        """Length in milliseconds."""
        return self.end_ms - self.start_ms

    @property
    def hour_class(self) -> str:
        """``REG``, ``OT`` or ``DT``."""
        return self.winner.hour_class

    @property
    def start(self) -> datetime:
        """Local start (aware, in the work location's zone)."""
        return datetime.fromtimestamp(self.start_ms / 1000, zone(self.timezone))

    @property
    def end(self) -> datetime:
        """Local end (aware)."""
        return datetime.fromtimestamp(self.end_ms / 1000, zone(self.timezone))

    @property
    def minutes(self) -> int:
        """Length in whole minutes, to the nearest (for displays that count minutes; ``ms`` is exact)."""
        return (self.ms + MS_PER_MINUTE // 2) // MS_PER_MINUTE

    @property
    def hours(self) -> Decimal:
        """Exact length in hours."""
        return Decimal(self.ms) / MS_PER_HOUR


@dataclass(frozen=True)
class RateArithmetic:
    """The regular-rate arithmetic of a workweek (29 CFR 778.109-778.115).

    Attributes:
        straight_time: Per hourly rate, (rate, hours paid at it, hours x rate).
        other_earnings: (kind, amount) of bonuses, commissions, piece pay and
            minimum-wage make-up.
        total_earnings: Straight-time earnings plus other earnings.
        hours_worked: Total hours worked in the week (as paid: to the hundredth per pay group).
        regular_rate: total_earnings / hours_worked to four places (the rate the
            week's overtime adjustment and premiums are paid from), 0 with no hours.
        floor: The minimum wage the regular rate was raised to (29 CFR 778.5) when the
            average fell a fraction of a cent short of it, else None.
        excluded: What the week paid and left out of the regular rate, each with the
            section that excludes it (29 CFR 778.208-778.224).
        plan: How the week's hours are paid when not by the hour, in words, else ``""``.
    """

    straight_time: tuple[tuple[Decimal, Decimal, Decimal], ...]
    other_earnings: tuple[tuple[str, Decimal], ...]
    total_earnings: Decimal
    hours_worked: Decimal
    regular_rate: Decimal
    floor: Decimal | None = None
    excluded: tuple[Exclusion, ...] = ()
    plan: str = ""


class PayLine(NamedTuple):
    """One itemised line of a week's gross pay: one date's share of a :class:`PayGroup`
    (an immutable record; a tuple, one per date and kind of pay).

    Attributes:
        date: Local workday (or the earning's date).
        hour_class: ``REG``, ``OT``, ``DT``, ``RR_ADJ`` (the regular-rate
            adjustment of OT/DT hours), ``MW_MAKEUP`` (pay brought up to the
            minimum wage), ``PREMIUM`` (meal/rest), ``PTO``, ``SICK``,
            ``HOLIDAY``, or ``BONUS``/``COMMISSION``/``PIECE``.
        hours: Hours paid, to the hundredth (0 for an earning).
        rate: Rate per hour the multiplier applies to (the amount for an earning).
        multiplier: 1, 1.5, 2... (for ``RR_ADJ``: multiplier - 1).
        amount: In cents: hours x :attr:`per_hour` rounded half-up, plus :attr:`carry`.
        location_id: Work location, or None when given only by state.
        state: Tax jurisdiction (USPS code of the work location's state).
        shift_ids: Shifts whose time it pays.
        rule: The rule's label.
        source: Where the rule is written.
        jurisdiction: Jurisdiction of the rule (``FEDERAL``, a state, or a local
            minimum wage's place such as ``Denver, CO``).
        paid_rate: The rate per hour the amount is computed from: rate x
            multiplier to four places (None on hand-made lines: computed then).
        carry: The cent of its pay group's rounding this dated line carries
            (-0.01, 0 or 0.01): amount - hours x per_hour rounded.
        premium: For a ``PREMIUM`` line: ``meal`` or ``rest`` (payroll systems code them
            apart); else empty.
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
    paid_rate: Decimal | None = None
    carry: Decimal = ZERO
    premium: str = ""

    @property
    def per_hour(self) -> Decimal:
        """The rate per hour the line's hours are paid at (the amount itself for an earning)."""
        if self.paid_rate is not None:
            return self.paid_rate
        if self.hour_class in EARNING_CLASSES:
            return self.rate
        return per_hour(self.rate, self.multiplier)


class PayGroup(NamedTuple):
    """What one workweek pays for one kind of hours, priced once (``ot.core.money``'s rounding rule;
    an immutable record).

    Its hours are the group's exact time quantised to the hundredth of an hour;
    its amount is hours x ``paid_rate`` rounded half-up to the cent, so it
    always multiplies out. Its dated :class:`PayLine` s share it out.

    Attributes:
        hour_class: As on :class:`PayLine`.
        hours: Hours to the hundredth.
        rate: Rate the multiplier applies to.
        multiplier: Of the rate.
        paid_rate: Rate per hour (rate x multiplier to four places).
        amount: Hours x paid_rate, rounded half-up to the cent.
        dates: The dates of its lines.
        location_id: Work location (of its first date for a workweek make-up).
        state: Tax jurisdiction.
        rule: The rule's label.
        source: Where the rule is written.
        jurisdiction: Jurisdiction of the rule.
    """

    hour_class: str
    hours: Decimal
    rate: Decimal
    multiplier: Decimal
    paid_rate: Decimal
    amount: Decimal
    dates: tuple[date, ...]
    location_id: str | None
    state: str
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
        groups: The week's pay groups (what each kind of hours pays in the week,
            each multiplying out; their amounts add up to gross too).
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
    groups: tuple[PayGroup, ...] = ()

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
