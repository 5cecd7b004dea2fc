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

import re
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from ot.core.errors import OtError, Problem

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


# --- reading what a person typed --------------------------------------------------------

#: The highest pay rate a person may type, in dollars per hour (a sanity bound, not a law).
MAX_RATE = Decimal("10000")
#: The highest weekly salary a person may type (a salary plan's pay rate), in dollars a week: the highest
#: hourly rate for a 40-hour week (a sanity bound, not a law).
MAX_WEEKLY_SALARY = MAX_RATE * 40
#: The most hours one entry (a shift, an hours-only entry, a day's holiday) may hold.
MAX_ENTRY_HOURS = Decimal(24)
#: The largest one-off amount (a bonus, a commission) a person may type, in dollars.
MAX_AMOUNT = Decimal("1000000")

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


def read_decimal(value: object, what: str, *, example: str = "20.50") -> Decimal:
    """Read a plain decimal a person typed (``20.50``, ``-3``, ``7.5``): a :class:`MoneyError` otherwise.

    The one reader of typed numbers: digits with at most one decimal point, an
    optional sign and, for amounts, a leading ``$``. Refused with a message
    that says what to write instead: a decimal comma (``20,50``) or thousands
    separators, exponents (``1e3``), ``NaN``, infinities, and anything else.
    An int or a Decimal (a number from JSON) goes through the same checks; a
    float through its text.
    """
    if isinstance(value, bool) or value is None:
        raise MoneyError(f"{what}: expected a decimal number such as {example}, got {value!r}")
    if isinstance(value, int):
        value = str(value) if abs(value) < 10**40 else "9" * 41
    elif isinstance(value, float):
        value = repr(value)
    elif isinstance(value, Decimal):
        # A number from JSON: 0.0000001 arrives as Decimal("1E-7"), 1e2 as Decimal("1E+2").
        exponent = value.as_tuple().exponent
        plain = isinstance(exponent, int) and exponent <= 0
        value = format(value, "f") if plain else str(value)
    if not isinstance(value, str):
        raise MoneyError(f"{what}: expected a decimal number such as {example}, got {type(value).__name__}")
    text = value.strip()
    shown = _shown(value)
    if text.startswith("$"):
        text = text[1:].strip()
    if not text:
        raise MoneyError(f"{what} is empty: give a decimal number such as {example}")
    if "," in text:
        raise MoneyError(
            f"{what} {shown} has a comma: write a decimal point and no thousands separators, such as {example}"
        )
    low = text.lower().lstrip("+-")
    if low in ("nan", "snan", "inf", "infinity") or low.startswith(("nan", "snan")):
        raise MoneyError(f"{what} {shown} is not a number: give a decimal number such as {example}")
    if "e" in low and _PLAIN_NUMBER.fullmatch(low.replace("e", "", 1).replace("+", "").replace("-", "")):
        raise MoneyError(f"{what} {shown} has an exponent: write the number out in full, such as {example}")
    if len(text) > 40 and _PLAIN_NUMBER.fullmatch(text) is not None:
        raise MoneyError(f"{what} {shown} has too many digits: give a decimal number such as {example}")
    if len(text) > 40 or _PLAIN_NUMBER.fullmatch(text) is None:
        raise MoneyError(f"{what} {shown} is not a decimal number: write it like {example}")
    return Decimal(text)


def _shown(value: str) -> str:
    """A typed value as quoted in a message (long ones cut short)."""
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _places(d: Decimal) -> int:
    exponent = d.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def read_rate(value: object, what: str = "rate", *, allow_zero: bool = False) -> Decimal:
    """A pay rate in dollars per hour: more than 0 (or 0, a piece rate's, when allowed), less than
    :data:`MAX_RATE`, at most 4 decimal places."""
    rate = read_decimal(value, what, example="21.50")
    if rate < 0 or (rate == 0 and not allow_zero) or rate >= MAX_RATE:
        least = "0 or more" if allow_zero else "more than 0"
        raise MoneyError(f"{what} {_shown(str(value))} must be {least} dollars per hour and less than {MAX_RATE}")
    if _places(rate) > 4:
        raise MoneyError(f"{what} {_shown(str(value))} has more than 4 decimal places: round it to 4 decimal places")
    return rate


def read_salary(value: object, what: str = "rate", *, plan: str = "salary") -> Decimal:
    """A weekly salary (the pay rate of a salary plan, 29 CFR 778.113-778.114) in dollars a week: more than
    0, less than :data:`MAX_WEEKLY_SALARY`, in whole cents (it is paid as it is, not times hours)."""
    salary = read_decimal(value, what, example="1250.00")
    if salary <= 0 or salary >= MAX_WEEKLY_SALARY:
        raise MoneyError(
            f"{what} {_shown(str(value))} is the weekly salary of a {plan} plan: it must be more than 0 and less "
            f"than {MAX_WEEKLY_SALARY} dollars a week (a year's salary is 52 weeks of it)"
        )
    if _places(salary) > 2:
        raise MoneyError(
            f"{what} {_shown(str(value))} has more than 2 decimal places: a weekly salary is paid in whole cents: "
            "round it to the cent"
        )
    return salary


def read_hours(value: object, what: str = "hours", *, allow_zero: bool = True) -> Decimal:
    """Hours of one entry: 0 (or more than 0) to :data:`MAX_ENTRY_HOURS`, at most 5 decimal places."""
    hours = read_decimal(value, what, example="7.5")
    if hours < 0 or (hours == 0 and not allow_zero):
        least = "0 or more" if allow_zero else "more than 0"
        raise MoneyError(f"{what} {_shown(str(value))} must be {least} hours")
    if hours > MAX_ENTRY_HOURS:
        raise MoneyError(
            f"{what} {_shown(str(value))} is more than {MAX_ENTRY_HOURS} hours: at most 24 hours on one day"
        )
    if _places(hours) > 5:
        raise MoneyError(f"{what} {_shown(str(value))} has more than 5 decimal places: round it (7.5, 7.25)")
    return hours


def read_amount(value: object, what: str = "amount", *, allow_negative: bool = False) -> Decimal:
    """A one-off amount in dollars: 0 to :data:`MAX_AMOUNT` (negative only when allowed), at most 2 places."""
    amount = read_decimal(value, what, example="150.00")
    if (amount < 0 and not allow_negative) or abs(amount) > MAX_AMOUNT:
        low = f"-{MAX_AMOUNT}" if allow_negative else "0"
        raise MoneyError(f"{what} {_shown(str(value))} must be from {low} to {MAX_AMOUNT} dollars")
    if _places(amount) > 2:
        raise MoneyError(f"{what} {_shown(str(value))} has more than 2 decimal places: give whole cents")
    return amount


def _located(where: str, exc: MoneyError) -> OtError:
    return OtError("nothing was written: fix the value and try again", [Problem(where, str(exc))])


def parse_rate(text: object, where: str) -> Decimal:
    """:func:`read_rate` for one input at ``where`` (a flag, a field): an :class:`OtError` naming it."""
    try:
        return read_rate(text, where.lstrip("-") if where.startswith("--") else "rate")
    except MoneyError as exc:
        raise _located(where, exc) from None


def parse_hours(text: object, where: str, *, allow_zero: bool = True) -> Decimal:
    """:func:`read_hours` for one input at ``where``: an :class:`OtError` naming it."""
    try:
        return read_hours(text, where.lstrip("-") if where.startswith("--") else "hours", allow_zero=allow_zero)
    except MoneyError as exc:
        raise _located(where, exc) from None


def parse_money(text: object, where: str) -> Decimal:
    """:func:`read_amount` for one input at ``where``: an :class:`OtError` naming it."""
    try:
        return read_amount(text, where.lstrip("-") if where.startswith("--") else "amount")
    except MoneyError as exc:
        raise _located(where, exc) from None


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


def shown_hours(ms: int) -> Decimal:
    """Hours worked as a view shows them: ``ms`` rounded as the pay rounds hours (:func:`hundredths`),
    with two places (``Decimal("8.00")``)."""
    return hundredths_to_hours(hundredths(ms)).quantize(CENT)


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
