"""The regular rate of a workweek: the weighted average of 29 CFR 778.115.

Regular rate = (straight-time earnings for all hours worked, at each hour's
own rate, + nondiscretionary bonuses, commissions and piece-rate pay of the
week) / total hours worked (778.109-778.111, 778.115). Paid leave and holiday
hours are neither hours worked nor earnings here (778.218-778.219, 778.320);
meal and rest premiums are not either.

Computed from whole minutes so that it is exact wherever the division
terminates (otherwise to Decimal's 28 significant digits); never rounded here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ot.domain import Earning
from ot.money import ZERO
from rules.engine.classify import Classed
from rules.engine.results import RateArithmetic

SIXTY = Decimal(60)


def regular_rate(classed: Sequence[Classed], earnings: Sequence[Earning]) -> RateArithmetic:
    """The regular-rate arithmetic of a week's classed worked time and other earnings."""
    by_rate: dict[Decimal, int] = {}
    total_minutes = 0
    for c in classed:
        m = c.end - c.start
        by_rate[c.piece.rate] = by_rate.get(c.piece.rate, 0) + m
        total_minutes += m
    straight = tuple(
        (rate, Decimal(minutes) / SIXTY, Decimal(minutes) * rate / SIXTY) for rate, minutes in sorted(by_rate.items())
    )
    other = tuple((e.kind, e.amount) for e in earnings)
    other_sum = sum((amount for _kind, amount in other), ZERO)
    minute_money = sum((Decimal(m) * r for r, m in by_rate.items()), ZERO)
    total = minute_money / SIXTY + other_sum
    rr = (minute_money + other_sum * SIXTY) / Decimal(total_minutes) if total_minutes else ZERO
    return RateArithmetic(
        straight_time=straight,
        other_earnings=other,
        total_earnings=total,
        hours_worked=Decimal(total_minutes) / SIXTY,
        regular_rate=rr,
    )
