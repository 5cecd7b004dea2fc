"""The one constructor for money and hours, and every rounding decision.

Money is :class:`decimal.Decimal`, never float. Each pay line is rounded
half-up to the cent (:func:`cents`); totals are sums of rounded lines. Rates
are shown to four places (:func:`rate4`), hours to two (:func:`hours2`), but
hours are carried exactly as whole minutes wherever they are computed.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
ZERO = Decimal("0")
SIXTY = Decimal(60)


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
