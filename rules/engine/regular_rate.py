"""The regular rate of a workweek: the weighted average of 29 CFR 778.115.

Regular rate = (straight-time earnings for all hours worked, at each hour's
own rate, + nondiscretionary bonuses, commissions and piece-rate pay of the
week, + minimum-wage make-up) / total hours worked (778.109-778.111, 778.115;
778.5 and 778.107: never below the minimum wage). Paid leave and holiday hours
are neither hours worked nor earnings here (778.218-778.219, 778.320); meal
and rest premiums are not either.

Hours are the week's hours as paid (each pay group's time to the hundredth of
an hour, ``ot.core.money``), so the arithmetic shown multiplies out; the rate is
quantised to four places, the rate every line that pays from it (overtime
adjustment, premiums) is computed with.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ot.core.money import ZERO, hundredths_to_hours, rate4
from rules.engine.earnings import Exclusion
from rules.engine.results import RateArithmetic


def regular_rate(
    hours_by_rate: Sequence[tuple[Decimal, int]],
    other: Sequence[tuple[str, Decimal]],
    floor: Decimal = ZERO,
    excluded: Sequence[Exclusion] = (),
    plan: str = "",
) -> RateArithmetic:
    """The regular-rate arithmetic of a week.

    ``hours_by_rate``: (own rate, hundredths of an hour worked at it), one entry
    per pay group of worked hours. ``other``: (kind, amount) of other earnings
    that count (bonus, commission, piece, minimum-wage make-up). ``floor``: the
    minimum wage every hour of the week is owed at least (the make-up is
    rounded to the cent, so the average could fall a fraction of a cent short
    of it: the regular rate is never below it, 29 CFR 778.5). ``excluded``: what the week
    paid and left out, with why (shown by the explanation); ``plan``: the pay plan in words.
    """
    by_rate: dict[Decimal, int] = {}
    for rate, count in hours_by_rate:
        by_rate[rate] = by_rate.get(rate, 0) + count
    straight = tuple(
        (rate, hundredths_to_hours(count), hundredths_to_hours(count) * rate) for rate, count in sorted(by_rate.items())
    )
    other_t = tuple(other)
    total = sum((amount for _r, _h, amount in straight), ZERO) + sum((amount for _k, amount in other_t), ZERO)
    hours = hundredths_to_hours(sum(by_rate.values()))
    rr = max(rate4(total / hours), rate4(floor)) if hours else ZERO
    return RateArithmetic(
        straight_time=straight,
        other_earnings=other_t,
        total_earnings=total,
        hours_worked=hours,
        regular_rate=rr,
        floor=rate4(floor) if hours and rate4(total / hours) < rate4(floor) else None,
        excluded=tuple(excluded),
        plan=plan,
    )
