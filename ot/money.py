"""The one constructor for money and hours, the engine's unit of time, and every rounding decision.

Money is :class:`decimal.Decimal`, never float.

**The engine's unit of time is the millisecond** (:data:`MS_PER_HOUR`). The pay
engine counts worked time in whole milliseconds since the Unix epoch (UTC), so
punches keep their seconds and an hours-only entry keeps its exact decimal
value (any entry to five decimals of an hour is a whole number of
milliseconds: 0.89 h is 3,204,000 ms, 7.23 h is 26,028,000 ms). Nothing is
rounded while time is classified.

**The one rounding rule** (:func:`hundredths`, :func:`apportion`,
:func:`line_cents`), applied by ``rules.engine.lines`` to every pay line:

1. A workweek's pay lines are grouped by what they pay: (class, rate,
   multiplier, jurisdiction, rule, location, state). A *pay group* is
   priced once, from its exact time: its hours are quantised to the hundredth
   of an hour, half-up (the nearest 36 seconds: neutral rounding per
   29 CFR 785.48(b), finer than the tenth of an hour the regulation allows),
   and its amount is hours x rate per hour, rounded half-up to the cent.
2. The rate per hour of a line is its rate x multiplier quantised to four
   places (:func:`per_hour`): the printed rate is the rate the amount is
   computed from, so printed hours x printed rate = amount before the cent.
3. Gross is the sum of the groups' amounts. Splitting a week into days or a
   shift into pieces moves time between days but never between groups, so it
   never changes gross by a cent.
4. Pay runs pay dates, so each group is shared out over its dates
   (:func:`apportion`, largest remainder): each date's hours are its exact
   hours rounded to the hundredth, then the few dates needed to make the
   group's total are moved by 0.01 h, those nearest the other rounding; the
   same for the amounts, in cents. Every dated line is then its hours x rate
   rounded half-up, except that a dated line may carry one cent of its group's
   rounding (``PayLine.carry``), always less than a cent from hours x rate,
   and marked where it prints. Dated lines sum to their group exactly.

Rates are printed to 2 places when they are whole cents, else to 4
(:func:`rate_text`), everywhere a person reads them; hours to 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
ZERO = Decimal("0")
SIXTY = Decimal(60)
ONE = Decimal(1)

#: The engine's unit of time: milliseconds in an hour, a minute, a second.
MS_PER_HOUR = 3_600_000
MS_PER_MINUTE = 60_000
MS_PER_SECOND = 1_000
#: A hundredth of an hour (36 seconds), the quantum of pay-line hours.
HUNDREDTH_MS = 36_000
_MS_PER_HOUR_D = Decimal(MS_PER_HOUR)


class MoneyError(ValueError):
    """A text that is not a decimal amount."""


def D(value: object) -> Decimal:
    """Make a Decimal from a str, int or Decimal (a float through its text).

    ``D("20.00")``, ``D(20)``, ``D(19.99)`` (read as the text ``"19.99"``,
    never as the binary float). Raises :class:`MoneyError` on anything else.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise MoneyError(f"not a number: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text.startswith("$"):
            text = text[1:]
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"not a decimal number: {value!r}") from None
        if not d.is_finite():
            raise MoneyError(f"not a finite number: {value!r}")
        return d
    raise MoneyError(f"not a number: {value!r}")


def cents(amount: Decimal) -> Decimal:
    """Round an amount half-up to the cent: the rounding of every pay line."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def rate4(rate: Decimal) -> Decimal:
    """Round a rate half-up to four places, for display and the calc contract."""
    return rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def hours2(hours: Decimal) -> Decimal:
    """Round hours half-up to two places, for display only."""
    return hours.quantize(CENT, rounding=ROUND_HALF_UP)


def minutes_to_hours(minutes: int) -> Decimal:
    """Exact hours of a whole number of minutes (never rounded here)."""
    return Decimal(minutes) / SIXTY


def to_cents_int(amount: Decimal) -> int:
    """Integer cents for storage (the ledger never stores REAL money)."""
    return int(cents(amount) * 100)


def from_cents_int(value: int) -> Decimal:
    """The Decimal amount of integer cents."""
    return (Decimal(value) / 100).quantize(CENT)


# --- time in the engine's unit -------------------------------------------------------


def ms_to_hours(ms: int) -> Decimal:
    """Exact hours of a number of milliseconds (28 significant digits where it does not terminate)."""
    return Decimal(ms) / _MS_PER_HOUR_D


def hours_to_ms(hours: Decimal) -> int:
    """Milliseconds of a number of hours (exact to five decimals of an hour; finer is rounded half-up)."""
    return int((hours * _MS_PER_HOUR_D).quantize(ONE, rounding=ROUND_HALF_UP))


def hundredths(ms: int) -> int:
    """Hundredths of an hour in ``ms`` milliseconds, to the nearest (half-up: 18 s rounds up)."""
    return round_div(ms, HUNDREDTH_MS)


_HUNDRED = Decimal(100)


@lru_cache(maxsize=8192)
def hundredths_to_hours(count: int) -> Decimal:
    """``Decimal("7.23")`` for 723 (whole hours print as ``8``, like ``Decimal(480) / 60``)."""
    return Decimal(count) / _HUNDRED


# --- the rounding rule -----------------------------------------------------------------


def round_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero (as :func:`cents` rounds), in integers."""
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def per_hour(rate: Decimal, multiplier: Decimal = ONE) -> Decimal:
    """The rate per hour a line is paid at: rate x multiplier, to four places (half-up)."""
    return rate4(rate * multiplier)


def ten_thousandths(rate: Decimal) -> int:
    """A rate of at most four places as an integer of ten-thousandths (``30.375`` -> 303750)."""
    return int(rate.scaleb(4).to_integral_value(rounding=ROUND_HALF_UP))


def line_cents(hours_hundredths: int, rate_4: int) -> int:
    """Cents of hours (in hundredths) x a rate (in ten-thousandths), rounded half-up: exact integers."""
    return round_div(hours_hundredths * rate_4, 10_000)


def apportion(total: int, numerators: Sequence[int], denominator: int) -> list[int]:
    """Share the integer ``total`` out over parts whose exact values are ``numerators[i] / denominator``.

    Each part starts as its exact value rounded half away from zero; when those
    do not add up to ``total``, the parts whose rounding was nearest to going
    the other way are moved by one, in the direction
    needed (ties: the later part, so that earlier dates read as their own
    product). The result adds up to ``total`` exactly and every part is less than
    one unit from its exact value, provided ``total`` is itself the rounding of
    the exact sum (as a pay group's hours and amount are).
    """
    parts = [round_div(n, denominator) for n in numerators]
    short = total - sum(parts)
    if short == 0:
        return parts
    step = 1 if short > 0 else -1
    # How far each part was rounded against the direction we need (in units of 1/denominator).
    order = sorted(range(len(parts)), key=lambda i: (step * (parts[i] * denominator - numerators[i]), -i))
    for i in order[: abs(short)]:
        parts[i] += step
    return parts


def rate_ceiling4(rate: Decimal) -> Decimal:
    """A rate rounded up to four places (a make-up rate that never falls short)."""
    return rate.quantize(RATE_PLACES, rounding=ROUND_CEILING)


# --- how a person reads them ------------------------------------------------------------


def rate_text(rate: Decimal, dollar: str = "") -> str:
    """A rate as printed everywhere a person reads one: 2 places when whole cents, else 4."""
    r = rate4(rate)
    sign = "-" if r < 0 else ""
    if r == cents(r):
        return f"{sign}{dollar}{abs(r):,.2f}"
    return f"{sign}{dollar}{abs(r):,.4f}"


def hours_text(hours: Decimal) -> str:
    """Hours as printed: to 2 places."""
    return f"{hours2(hours):,.2f}"
