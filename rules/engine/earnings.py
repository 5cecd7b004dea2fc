"""Earnings and pay plans in the regular rate (29 CFR 778.110-778.114, 778.117-778.119, 778.208-778.224).

Pure functions the engine calls for a week; nothing here reads a clock or a file.

- **What counts.** A nondiscretionary bonus (778.208-778.210), a commission (778.117-778.118),
  piece-rate pay (778.111) and pay for on-call time (778.223) are added to the week's
  straight-time earnings before dividing by the hours worked. A discretionary bonus (778.211),
  a gift (778.212), an expense reimbursement (778.217) and the part of a call-back guarantee
  above the pay for the hours worked (778.221-778.222) are paid on their own lines and left out;
  :data:`EXCLUDED` names the section the explanation cites.
- **A bonus earned over several weeks** (``period_start``..``period_end``) is paid in full on its
  date and left out of that week's rate; each workweek of the period is owed half of the bonus's
  hourly share (the bonus / every hour worked in the period, an equal amount each hour: 778.209(b))
  x its overtime hours (778.209(a)); those lines are paid with the bonus (778.106: as soon as it
  can be computed). Whole workweeks count: a week belongs to the period when it begins inside it,
  or the period begins inside it.
- **Pay plans** (``RateChange.plan``): ``salary-fww`` pays time at 0 an hour plus the weekly
  salary as an earning that counts, so the regular rate is (salary + other earnings that count) /
  hours worked and overtime hours get the half-time adjustment only (778.114(a)(5), the 2020 rule
  that admits bonuses and premiums). ``salary-fixed`` pays every hour at salary / the hours of
  the fixed week, to the cent as 778.113(a) and 778.322 do, and the salary balance for those
  hours on a line of its own (straight time between the fixed week and 40 is owed at that rate,
  overtime at 1.5 times it: 778.322).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ot.core.domain import Earning, RateChange, Worker
from ot.core.money import ONE, ZERO, cents, hours2, rate4, rate_text

#: Kind -> (line class, citation) of earnings that count toward the regular rate.
INCLUDED: dict[str, tuple[str, str]] = {
    "bonus": ("BONUS", "29 CFR 778.208-778.210"),
    "commission": ("COMMISSION", "29 CFR 778.117-778.118"),
    "piece": ("PIECE", "29 CFR 778.111"),
    "on-call": ("ONCALL", "29 CFR 778.223"),
}
#: Kind -> (line class, citation, why) of earnings paid but left out of the regular rate.
EXCLUDED: dict[str, tuple[str, str, str]] = {
    "discretionary-bonus": ("DISC_BONUS", "29 CFR 778.211", "a discretionary bonus (section 7(e)(3)(a))"),
    "gift": ("GIFT", "29 CFR 778.212", "a gift, not measured by hours, production or efficiency"),
    "expense": ("EXPENSE", "29 CFR 778.217", "a reimbursement of expenses, not compensation for work"),
    "callback": (
        "CALLBACK",
        "29 CFR 778.221-778.222",
        "call-back pay above the pay for the hours worked: pay for hours not worked",
    ),
}
#: Line classes of earnings (hours 0; their rate is their amount) and of the salary plans' lines.
EARNING_CLASSES: frozenset[str] = frozenset(
    {c for c, _ in INCLUDED.values()} | {c for c, _, _ in EXCLUDED.values()} | {"SALARY"}
)
#: The labels the first three kinds always had (calc output keeps them).
_PLAIN = {"bonus", "commission", "piece"}

FWW = "salary-fww"
FIXED = "salary-fixed"
FWW_CITE = "29 CFR 778.114"
FIXED_CITE = "29 CFR 778.113(a), 778.322"
ALLOCATION_CITE = "29 CFR 778.209"
HALF = Decimal("0.5")


@dataclass(frozen=True)
class Exclusion:
    """An amount paid in a week and left out of its regular rate, and why.

    Attributes:
        what: Plain words (``gift``, ``PTO hours``).
        amount: Dollars (0 when only hours are left out).
        cite: The section that excludes it.
        why: Why, in words.
    """

    what: str
    amount: Decimal
    cite: str
    why: str


def counts(kind: str) -> bool:
    """True when an earning of ``kind`` counts toward the regular rate."""
    return kind in INCLUDED


def earning_class(kind: str) -> str:
    """The pay line class of an earning of ``kind``."""
    found = INCLUDED.get(kind)
    if found is not None:
        return found[0]
    excluded = EXCLUDED.get(kind)
    return excluded[0] if excluded is not None else kind.upper().replace("-", "_")


def allocated(e: Earning) -> bool:
    """True for an earning that counts and was earned over a period (allocated back, 778.209)."""
    return e.period_start is not None and e.period_end is not None and counts(e.kind)


def basis(e: Earning) -> str:
    """The rate basis of an earning (``120 pieces x $4.0917``), or ``""``."""
    if e.quantity is not None and e.unit_rate is not None:
        return f"{format(e.quantity.normalize(), 'f')} x {rate_text(e.unit_rate, '$')}"
    return ""


def earning_label(e: Earning) -> str:
    """What an earning's pay line says: its kind, rate basis, whether it counts and the section."""
    shown = basis(e)
    head = f"{e.kind} {shown}" if shown else e.kind
    if allocated(e):
        assert e.period_start is not None
        assert e.period_end is not None
        return (
            f"{head} earned {e.period_start.isoformat()}..{e.period_end.isoformat()} "
            f"(allocated to the weeks it was earned in, {ALLOCATION_CITE})"
        )
    if e.kind in EXCLUDED:
        _cls, cite, _why = EXCLUDED[e.kind]
        return f"{head} (not in the regular rate, {cite})"
    if e.kind in _PLAIN and not shown:
        return f"{e.kind} (in the regular rate, 29 CFR 778.110-778.111)"
    return f"{head} (in the regular rate, {INCLUDED[e.kind][1]})"


def split(earnings: Sequence[Earning]) -> tuple[list[tuple[str, Decimal]], list[Exclusion]]:
    """A week's earnings as (kind, amount) that count, and what is left out (with why)."""
    counted: list[tuple[str, Decimal]] = []
    left: list[Exclusion] = []
    for e in earnings:
        if allocated(e):
            assert e.period_start is not None
            assert e.period_end is not None
            left.append(
                Exclusion(
                    f"{e.kind} earned {e.period_start.isoformat()}..{e.period_end.isoformat()}",
                    e.amount,
                    ALLOCATION_CITE,
                    "apportioned back over the workweeks it was earned in (their overtime lines below)",
                )
            )
        elif e.kind in INCLUDED:
            counted.append((e.kind, e.amount))
        else:
            _cls, cite, why = EXCLUDED.get(e.kind, ("", "29 CFR 778.200", "not compensation for work"))
            left.append(Exclusion(e.kind, e.amount, cite, why))
    return counted, left


def has_plans(worker: Worker) -> bool:
    """True when any of the worker's rate changes is a salary plan."""
    return any(c.plan != "hourly" for c in worker.rates)


def fixed_rate(change: RateChange) -> Decimal:
    """The hourly rate of a salary for a fixed workweek: salary / its hours, to the cent (778.113(a): $5.22)."""
    hours = change.plan_hours
    assert hours is not None
    assert hours > 0
    return (change.rate / hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def hourly_rate_on(worker: Worker, day: date) -> Decimal | None:
    """The rate an hour of ``day`` is paid at under the worker's plan: the profile rate (hourly),
    0 (the fluctuating workweek: the salary pays the straight time), or the fixed week's rate."""
    change = worker.change_on(day)
    if change is None:
        return None
    if change.plan == FWW:
        return ZERO
    if change.plan == FIXED:
        return fixed_rate(change)
    return change.rate


def plan_of_week(worker: Worker, days: Sequence[date]) -> RateChange | None:
    """The salary plan that pays a week (in force on its first worked day), or None for hourly pay."""
    if not days:
        return None
    change = worker.change_on(min(days))
    return change if change is not None and change.plan != "hourly" else None


def fww_salary(change: RateChange) -> tuple[str, Decimal]:
    """The fluctuating workweek's salary as an earning that counts (778.114(a)(5))."""
    return (f"salary (fluctuating workweek, {FWW_CITE})", change.rate)


def fixed_balance(change: RateChange, hours_worked: Decimal) -> tuple[Decimal, str]:
    """The salary balance of a fixed workweek (the salary less its hours already paid at the
    fixed rate) and the words of its line. The hours paid at the fixed rate are at most the
    fixed week's: above them, up to 40, the rate is owed for each hour (778.322)."""
    assert change.plan_hours is not None
    rate = fixed_rate(change)
    covered = min(hours_worked, change.plan_hours)
    balance = change.rate - cents(covered * rate)
    words = (
        f"weekly salary {rate_text(change.rate, '$')} for a fixed {hours2(change.plan_hours)} h week, "
        f"less {hours2(covered)} h x {rate_text(rate, '$')} paid as hours "
        f"(not in the regular rate: {rate_text(change.rate, '$')} / {hours2(change.plan_hours)} h = "
        f"{rate_text(rate, '$')}, {FIXED_CITE})"
    )
    return balance, words


def allocation_rate(amount: Decimal, hours: Decimal) -> Decimal:
    """A bonus's share of each hour of its period (778.209(b): an equal amount each hour), 4 places."""
    return rate4(amount / hours) if hours > 0 else ZERO


def extra_multiplier(multiplier: Decimal) -> Decimal:
    """What an overtime hour adds to the bonus's hourly share: the multiplier less the straight time."""
    return multiplier - ONE


__all__ = [
    "EARNING_CLASSES",
    "EXCLUDED",
    "INCLUDED",
    "Exclusion",
    "allocated",
    "allocation_rate",
    "basis",
    "counts",
    "earning_class",
    "earning_label",
    "extra_multiplier",
    "fixed_balance",
    "fixed_rate",
    "fww_salary",
    "has_plans",
    "hourly_rate_on",
    "plan_of_week",
    "split",
]
