"""Money and time primitives: Decimal only, half-up cents, DST-safe local time."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ot.core.domain import Shift
from ot.core.money import D, MoneyError, cents, from_cents_int, to_cents_int
from ot.core.timez import TimeError, local_midnight, minutes_between, parse_local


def test_decimal_from_float_uses_its_text() -> None:
    assert D(19.99) == Decimal("19.99")
    assert D("$1,234.50") == Decimal("1234.50")
    with pytest.raises(MoneyError):
        D("twelve")
    with pytest.raises(MoneyError):
        D("NaN")


@pytest.mark.parametrize(
    ("amount", "rounded"), [("0.005", "0.01"), ("0.015", "0.02"), ("2.675", "2.68"), ("-0.005", "-0.01")]
)
def test_cents_round_half_up(amount: str, rounded: str) -> None:
    assert cents(Decimal(amount)) == Decimal(rounded)


def test_cents_storage_round_trip() -> None:
    assert to_cents_int(Decimal("12.345")) == 1235
    assert from_cents_int(1235) == Decimal("12.35")


def test_fall_back_night_counts_the_hours_really_worked() -> None:
    """DOL hours-worked advisor: a shift across the fall-back change works one hour more than the clock shows."""
    start = parse_local("2026-10-31T22:00", "America/Los_Angeles")
    end = parse_local("2026-11-01T06:00", "America/Los_Angeles")
    assert minutes_between(start, end) == 9 * 60


def test_spring_forward_gap_is_refused_not_guessed() -> None:
    with pytest.raises(TimeError, match="does not exist"):
        parse_local("2026-03-08T02:30", "America/Chicago")
    assert local_midnight(date(2026, 3, 8), "America/Chicago") == datetime(2026, 3, 8, 6, 0, tzinfo=UTC)


def test_ambiguous_time_needs_its_offset() -> None:
    """A time that happens twice is refused without the offset that says which (ot calc alone reads it as
    the first occurrence, as contracts/calc.md says: ``first=True``)."""
    with pytest.raises(TimeError, match="happens twice in America/New_York"):
        parse_local("2026-11-01T01:30", "America/New_York")
    first = parse_local("2026-11-01T01:30-04:00", "America/New_York")
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert parse_local("2026-11-01T01:30", "America/New_York", first=True) == first
    second = parse_local("2026-11-01T01:30-05:00", "America/New_York")
    assert second == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-11-02", "8am", "2026-13-02T08:00", "2026-11-02T25:00"])
def test_bad_times_say_what_to_write(text: str) -> None:
    with pytest.raises(TimeError, match="YYYY-MM-DD"):
        parse_local(text, "America/Chicago")


def test_unknown_zone() -> None:
    with pytest.raises(TimeError, match="IANA"):
        parse_local("2026-11-02T08:00", "Mars/Olympus")


def test_records_are_immutable() -> None:
    s = Shift("S1", "W1", None, None, "America/Chicago", "TX", day=date(2026, 11, 2), minutes=480)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.worker_id = "W2"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "'2026-02-30' is not a date: February 2026 has no day 30"),
        ("2024-02-30", "'2024-02-30' is not a date: February 2024 has no day 30"),
        ("2026-13-01", "'2026-13-01' is not a date: there is no month 13"),
        ("2026-01-00", "'2026-01-00' is not a date: January 2026 has no day 0"),
        ("0000-01-01", "'0000-01-01' is not a date: there is no year 0000"),
        ("11/05/2026", "'11/05/2026' is not a date: write it as YYYY-MM-DD, e.g. 2026-11-02"),
    ],
)
def test_a_date_that_does_not_exist_says_which_part(text: str, message: str) -> None:
    """A well-shaped date that is not on the calendar says why, not "write it as YYYY-MM-DD"."""
    from ot.core.timez import TimeError, parse_date

    with pytest.raises(TimeError) as caught:
        parse_date(text)
    assert str(caught.value) == message
