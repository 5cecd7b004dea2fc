"""The approve-by date (Justworks: "usually a Monday, but sometimes, for the holidays, earlier").

Reading (ot/services/deadlines.py): the approval is due the first weekday after the period
ends; each weekday holiday between then and the pay date takes one business day from
payroll, so the date moves one business day earlier per holiday. The holidays are those
of rules.example.ot (5 U.S.C. 6103; dates in tests/seeds/test_holiday_calendar.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ot.cli import main
from ot.core.periods import PayPeriod
from ot.services import periods
from ot.services.deadlines import approve_by, approve_by_on, approve_by_period
from rules.compiler import compile_file
from rules.model import Holiday, RuleBook

EXAMPLE = Path(__file__).resolve().parents[2] / "rules.example.ot"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return compile_file(EXAMPLE)


def week(end: str, pay_after: int = 5) -> PayPeriod:
    """The weekly period ending on ``end``, paid ``pay_after`` days later."""
    last = date.fromisoformat(end)
    return PayPeriod(last - timedelta(days=6), last, last + timedelta(days=pay_after), 0, "weekly")


def test_a_week_without_holidays_is_approved_the_monday_after(book: RuleBook) -> None:
    found = approve_by_period(week("2026-10-25"), book)  # a Sunday; paid Friday 10-30
    assert found.day == date(2026, 10, 26)
    assert found.day.weekday() == 0
    assert not found.moved
    assert found.holidays == ()
    assert found.line() == "approve by MON 2026-10-26"


def test_veterans_day_moves_it_one_business_day_earlier(book: RuleBook) -> None:
    found = approve_by_period(week("2026-11-08"), book)  # paid Friday 11-13; Veterans Day is Wednesday 11-11
    assert found.usual == date(2026, 11, 9)
    assert found.day == date(2026, 11, 6)  # the Friday before
    assert [h.name for h in found.holidays] == ["Veterans Day"]
    assert found.line() == (
        "approve by FRI 2026-11-06 (Veterans Day moved it earlier; before the period ends on 2026-11-08)"
    )


def test_a_holiday_on_the_monday_itself_moves_it_to_the_friday(book: RuleBook) -> None:
    found = approve_by_period(week("2026-09-06"), book)  # Labor Day is Monday 09-07
    assert found.day == date(2026, 9, 4)
    assert [h.name for h in found.holidays] == ["Labor Day"]


def test_two_holidays_move_it_two_business_days(book: RuleBook) -> None:
    # The week to 2026-12-20 paid 2027-01-01: Christmas (Fri 12-25) and New Year's Day (Fri 01-01) in between.
    found = approve_by_period(week("2026-12-20", pay_after=12), book)
    assert found.usual == date(2026, 12, 21)
    assert found.day == date(2026, 12, 17)  # Monday -> Friday -> Thursday
    assert [h.name for h in found.holidays] == ["Christmas Day", "New Year's Day"]
    assert "Christmas Day and New Year's Day moved it earlier" in found.line()


def test_a_holiday_before_the_monday_or_after_the_pay_date_does_not_move_it(book: RuleBook) -> None:
    # July 4, 2026 is kept Friday 07-03, before the Monday; the week to 07-05 is paid Friday 07-10.
    assert approve_by_period(week("2026-07-05"), book).day == date(2026, 7, 6)
    # Thanksgiving (Thu 11-26) falls after the pay date of the week to 11-22 paid Wednesday 11-25.
    assert approve_by_period(week("2026-11-22", pay_after=3), book).day == date(2026, 11, 23)


def test_only_the_federal_calendar_moves_it_unless_asked(book: RuleBook) -> None:
    period = week("2026-03-29")  # Cesar Chavez Day (CA) is Tuesday 03-31
    assert approve_by_period(period, book).day == date(2026, 3, 30)
    in_ca = approve_by_period(period, book, "CA")
    assert in_ca.day == date(2026, 3, 27)
    assert [h.name for h in in_ca.holidays] == ["Cesar Chavez Day"]


def test_a_pay_date_before_the_monday_leaves_the_last_business_day_before_it() -> None:
    found = approve_by(week("2026-11-08", pay_after=0), ())  # paid the Sunday the period ends
    assert found.day == date(2026, 11, 6)
    assert found.holidays == ()
    christmas = Holiday(date(2026, 12, 25), date(2026, 12, 25), "Christmas Day", "FEDERAL")
    found = approve_by(week("2026-12-26", pay_after=0), (christmas,))  # paid Saturday 12-26
    assert found.day == date(2026, 12, 24)
    assert found.holidays == (christmas,)


def test_a_weekend_holiday_takes_no_business_day() -> None:
    saturday = Holiday(date(2026, 11, 14), date(2026, 11, 14), "A Saturday", "FEDERAL")
    assert approve_by(week("2026-11-08", pay_after=7), (saturday,)).day == date(2026, 11, 9)


def test_the_service_reads_the_ledger_schedule(ledger_path: Path) -> None:
    # No ledger yet: the default biweekly schedule (2026-11-08 to 11-21, paid Thanksgiving 11-26).
    assert approve_by_on(ledger_path, date(2026, 11, 12)).day == date(2026, 11, 20)
    assert not ledger_path.exists()
    periods.configure_periods(
        ledger_path,
        frequency="weekly",
        anchor=date(2026, 11, 2),
        pay_date_offset=5,
        effective=None,
        actor="A1",
        now=NOW,
    )
    found = approve_by_on(ledger_path, date(2026, 11, 5))  # the week 11-02..11-08, paid 11-13
    assert (found.period.start, found.period.end) == (date(2026, 11, 2), date(2026, 11, 8))
    assert found.day == date(2026, 11, 6)


def test_period_show_prints_the_line(ledger_path: Path, cli: CliRunner) -> None:
    cli.invoke(main, ["period", "configure", "--frequency", "weekly", "--anchor", "2026-11-02"])
    shown = cli.invoke(main, ["period", "show", "--date", "2026-11-04", "--count", "1"])
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.splitlines()[-1] == (
        "approve by FRI 2026-11-06 (Veterans Day moved it earlier; before the period ends on 2026-11-08)"
    )
