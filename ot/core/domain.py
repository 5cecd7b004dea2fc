"""Domain records shared by the ledger (which produces them) and the pay engine
(which consumes them). All are frozen: a change is a new record.

Times are UTC instants; ``timezone`` is the IANA zone of the work location,
which decides the local workday and workweek. Money is Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

WorkerType = Literal["W2", "1099"]
Role = Literal["worker", "manager", "admin"]
PunchKind = Literal["in", "out", "break_start", "break_end"]
PayType = Literal["REGULAR", "PTO", "SICK", "HOLIDAY"]
EarningKind = Literal["bonus", "commission", "piece"]
PayPlan = Literal["hourly", "salary-fww", "salary-fixed"]

DEFAULT_UNPAID = "DEFAULT_UNPAID"
PAY_TYPES: tuple[str, ...] = ("REGULAR", "PTO", "SICK", "HOLIDAY")
WORKER_TYPES: tuple[str, ...] = ("W2", "1099")
ROLES: tuple[str, ...] = ("worker", "manager", "admin")
PUNCH_KINDS: tuple[str, ...] = ("in", "out", "break_start", "break_end")
#: How a worker is paid (29 CFR 778.110-778.114): by the hour; a weekly salary for whatever hours
#: the week has (the fluctuating workweek, 778.114); a weekly salary for a fixed workweek of
#: ``plan_hours`` (778.113(a), 778.322). Piecework is hourly at the shift's rate (0 for time paid
#: by the piece, the waiting-time rate on waiting time) plus ``piece`` earnings (778.111(a)).
PAY_PLANS: tuple[str, ...] = ("hourly", "salary-fww", "salary-fixed")
#: Kinds of recorded earnings: what counts toward the regular rate and what is excluded
#: (``rules.engine.earnings`` says which, citing 29 CFR 778.208-778.224).
EARNING_KINDS: tuple[str, ...] = (
    "bonus",
    "commission",
    "piece",
    "on-call",
    "callback",
    "discretionary-bonus",
    "gift",
    "expense",
)
#: What a worker may attest at clock-out about their rest periods (Cal. Lab. Code 226.7).
REST_ATTESTATIONS: tuple[str, ...] = ("rest-missed", "rest-taken")


@dataclass(frozen=True)
class Location:
    """A work location.

    Attributes:
        location_id: The employer's id for it (``L1``).
        name: Display name.
        state: USPS code of its state; decides the overtime rules and the tax jurisdiction.
        timezone: IANA zone; decides local workdays and workweeks.
        city: City it is in (``Denver``), or None: decides a city's local minimum wage.
        county: County it is in (``King County``), or None: decides a county's local minimum wage.
    """

    location_id: str
    name: str
    state: str
    timezone: str
    city: str | None = None
    county: str | None = None


@dataclass(frozen=True)
class RateChange:
    """A profile pay rate in force from a date.

    Attributes:
        effective: First local date on which ``rate`` applies.
        rate: Dollars per hour; for a salary plan, the weekly salary.
        plan: ``hourly``, ``salary-fww`` or ``salary-fixed`` (:data:`PAY_PLANS`).
        plan_hours: For ``salary-fixed``: the hours of the fixed workweek the salary is for.
    """

    effective: date
    rate: Decimal
    plan: str = "hourly"
    plan_hours: Decimal | None = None


@dataclass(frozen=True)
class Worker:
    """A worker as the roster knows them (never an SSN or a birth date).

    Attributes:
        worker_id: The employer's id.
        name: Display name.
        type: ``W2`` or ``1099``.
        rates: Profile pay rates by effective date, oldest first.
        location_id: Default work location.
        manager_id: Who approves their shifts, or None.
        role: ``worker``, ``manager`` or ``admin``.
        active: False once the worker is terminated (no new timecards).
        display_rate: The rate their stubs show beside the rate paid where a shift sets
            none (Everee's ``displayHourlyPayRate``), or None; never used for money.
    """

    worker_id: str
    name: str
    type: str
    rates: tuple[RateChange, ...]
    location_id: str
    manager_id: str | None
    role: str
    active: bool = True
    display_rate: Decimal | None = None

    def rate_on(self, day: date) -> Decimal | None:
        """The profile rate in force on ``day``, or None before the first."""
        found: Decimal | None = None
        for change in self.rates:
            if change.effective <= day:
                found = change.rate
        return found

    def change_on(self, day: date) -> RateChange | None:
        """The rate change (rate and pay plan) in force on ``day``, or None before the first."""
        found: RateChange | None = None
        for change in self.rates:
            if change.effective <= day:
                found = change
        return found


@dataclass(frozen=True)
class BreakSegment:
    """A break inside a shift.

    Attributes:
        start: UTC instant the break began.
        end: UTC instant it ended, or None when never ended (an exception).
        type_code: Break type (``DEFAULT_UNPAID`` always exists).
        paid: Whether the break type is paid.
    """

    start: datetime
    end: datetime | None
    type_code: str = DEFAULT_UNPAID
    paid: bool = False


@dataclass(frozen=True)
class Shift:
    """A continuous work period, or an hours-only entry.

    A worked shift has ``start`` and ``end``; an hours-only entry has ``day``
    and ``minutes`` instead (``start``/``end`` None).

    Attributes:
        shift_id: Stable id (from the ledger, or ``"#3"`` for calc input index 3).
        worker_id: Whose shift.
        start: UTC instant the shift began (None for hours-only).
        end: UTC instant it ended (None for hours-only or a missing out-punch).
        timezone: IANA zone of the work location.
        state: USPS code of the work location's state.
        location_id: Work location id (None when given only by state).
        rate: Shift-specific effective hourly rate, else None (the profile rate applies).
        display_rate: Rate shown on the stub, never used for money.
        breaks: Break segments, in time order.
        pay_type: ``REGULAR`` (hours worked) or ``PTO``/``SICK``/``HOLIDAY`` (paid, not worked).
        day: Local date of an hours-only entry.
        minutes: Length of an hours-only entry, in whole minutes (see ``hours``).
        meal_waiver: A meal-period waiver recorded for this shift.
        exceptions: Review flags (``missing_out``, ``break_not_ended``, ``overlap``, ``over_24h``...).
        hours: Exact length of an hours-only entry (``Decimal("7.23")``); when given it is
            used instead of ``minutes``, so an entry below the minute is not lost.
        rest_attestation: What the worker attested at clock-out about rest periods:
            ``rest-missed``, ``rest-taken`` (:data:`REST_ATTESTATIONS`), or None when not asked.
        city: City of the work location (local minimum wages), or None.
        county: County of the work location (local minimum wages), or None.
    """

    shift_id: str
    worker_id: str
    start: datetime | None
    end: datetime | None
    timezone: str
    state: str
    location_id: str | None = None
    rate: Decimal | None = None
    display_rate: Decimal | None = None
    breaks: tuple[BreakSegment, ...] = ()
    pay_type: str = "REGULAR"
    day: date | None = None
    minutes: int | None = None
    meal_waiver: bool = False
    exceptions: tuple[str, ...] = field(default=())
    hours: Decimal | None = None
    rest_attestation: str | None = None
    city: str | None = None
    county: str | None = None

    @property
    def hours_only(self) -> bool:
        """True for an entry given as a date and a number of hours."""
        return self.start is None

    @property
    def entry_hours(self) -> Decimal:
        """The hours of an hours-only entry as given (exact), else its minutes in hours (0 if none)."""
        if self.hours is not None:
            return self.hours
        return Decimal(self.minutes or 0) / 60


@dataclass(frozen=True)
class Earning:
    """Other pay of a workweek that counts toward its regular rate (29 CFR 778.110-778.111).

    Attributes:
        worker_id: Whose.
        day: Local date it belongs to (decides the workweek; for a bonus earned over a
            period, the date it is paid).
        amount: Dollars.
        kind: One of :data:`EARNING_KINDS`: ``bonus`` (nondiscretionary), ``commission``,
            ``piece``, ``on-call`` count; ``callback`` (the part of a call-back guarantee
            above the pay for the hours worked), ``discretionary-bonus``, ``gift``,
            ``expense`` do not.
        period_start: First date of the period a bonus or commission was earned over
            (29 CFR 778.209, 778.119), or None: earned in the week of ``day``.
        period_end: Last date of that period (with ``period_start``).
        quantity: Pieces (or units) it pays for, or None.
        unit_rate: Dollars per piece, or None (with ``quantity``: the rate basis shown).
        earning_id: Its ledger id, or None.
    """

    worker_id: str
    day: date
    amount: Decimal
    kind: str
    period_start: date | None = None
    period_end: date | None = None
    quantity: Decimal | None = None
    unit_rate: Decimal | None = None
    earning_id: str | None = None
