"""The holidays rules.example.ot computes for 2026 and 2027.

Federal: 5 U.S.C. 6103(a) lists the days; 6103(b) and Executive Order 11582 keep a
Saturday holiday on the Friday before and a Sunday holiday on the Monday after.
The expected lists are OPM's published federal holiday calendars for 2026 and 2027
(opm.gov/policy-data-oversight/pay-leave/federal-holidays), including New Year's Day
2028 (a Saturday) kept on Friday 2027-12-31. California adds the days of Cal. Gov.
Code 6700(a) the federal list lacks (those the file writes, see its comment), kept
the Monday after when they fall on a Sunday (6701).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rules.compiler import compile_file
from rules.model import RuleBook

EXAMPLE = Path(__file__).resolve().parents[2] / "rules.example.ot"

FEDERAL_2026 = [
    ("2026-01-01", "New Year's Day"),
    ("2026-01-19", "Birthday of Martin Luther King, Jr."),
    ("2026-02-16", "Washington's Birthday"),
    ("2026-05-25", "Memorial Day"),
    ("2026-06-19", "Juneteenth National Independence Day"),
    ("2026-07-03", "Independence Day"),  # July 4 is a Saturday: the Friday before
    ("2026-09-07", "Labor Day"),
    ("2026-10-12", "Columbus Day"),
    ("2026-11-11", "Veterans Day"),
    ("2026-11-26", "Thanksgiving Day"),
    ("2026-12-25", "Christmas Day"),
]
FEDERAL_2027 = [
    ("2027-01-01", "New Year's Day"),
    ("2027-01-18", "Birthday of Martin Luther King, Jr."),
    ("2027-02-15", "Washington's Birthday"),
    ("2027-05-31", "Memorial Day"),
    ("2027-06-18", "Juneteenth National Independence Day"),  # June 19 is a Saturday
    ("2027-07-05", "Independence Day"),  # July 4 is a Sunday: the Monday after
    ("2027-09-06", "Labor Day"),
    ("2027-10-11", "Columbus Day"),
    ("2027-11-11", "Veterans Day"),
    ("2027-11-25", "Thanksgiving Day"),
    ("2027-12-24", "Christmas Day"),  # December 25 is a Saturday
    ("2027-12-31", "New Year's Day"),  # January 1, 2028 is a Saturday
]
CALIFORNIA_ONLY = {
    2026: [
        ("2026-02-12", "Lincoln Day"),
        ("2026-03-31", "Cesar Chavez Day"),
        ("2026-09-09", "Admission Day"),
        ("2026-09-25", "Native American Day"),  # the fourth Friday of September
    ],
    2027: [
        ("2027-02-12", "Lincoln Day"),
        ("2027-03-31", "Cesar Chavez Day"),
        ("2027-09-09", "Admission Day"),
        ("2027-09-24", "Native American Day"),
    ],
}


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return compile_file(EXAMPLE)


def _listed(book: RuleBook, jurisdiction: str, year: int) -> list[tuple[str, str]]:
    found = book.holidays_between(jurisdiction, date(year, 1, 1), date(year, 12, 31))
    return [(h.day.isoformat(), h.name) for h in found]


@pytest.mark.parametrize(("year", "expected"), [(2026, FEDERAL_2026), (2027, FEDERAL_2027)])
def test_federal_holidays_as_opm_lists_them(book: RuleBook, year: int, expected: list[tuple[str, str]]) -> None:
    assert _listed(book, "FEDERAL", year) == expected


@pytest.mark.parametrize("year", [2026, 2027])
def test_california_keeps_the_federal_days_and_its_own(book: RuleBook, year: int) -> None:
    federal = FEDERAL_2026 if year == 2026 else FEDERAL_2027
    assert _listed(book, "CA", year) == sorted(federal + CALIFORNIA_ONLY[year])


def test_a_state_without_holidays_of_its_own_keeps_the_federal_ones(book: RuleBook) -> None:
    assert _listed(book, "NV", 2026) == FEDERAL_2026  # NV extends federal, lists no holidays
    assert _listed(book, "TX", 2026) == FEDERAL_2026  # TX is not in the file


def test_observed_days_say_their_own_date(book: RuleBook) -> None:
    (july,) = book.holidays_between("FEDERAL", date(2026, 7, 1), date(2026, 7, 31))
    assert july.day == date(2026, 7, 3)
    assert july.actual == date(2026, 7, 4)
    assert july.observed
    assert july.source is not None
    assert july.source.file.endswith("rules.example.ot")


def test_juneteenth_is_a_holiday_only_from_2021_06_17(book: RuleBook) -> None:
    # Pub. L. 117-17 took effect on 2021-06-17; June 19, 2021 (a Saturday) was kept on Friday June 18.
    assert [h.name for h in book.holidays_between("FEDERAL", date(2020, 6, 1), date(2020, 6, 30))] == []
    found = book.holidays_between("FEDERAL", date(2021, 6, 1), date(2021, 6, 30))
    assert [(h.day, h.name) for h in found] == [(date(2021, 6, 18), "Juneteenth National Independence Day")]


def test_rules_show_lists_the_years_holidays_with_their_lines(book: RuleBook) -> None:
    from rules.show import describe

    text = describe(book, "CA", date(2027, 6, 1))
    assert "holiday Mon 2027-07-05: Independence Day (July 4 falls on a Sunday)" in text
    assert "holiday Fri 2027-12-31: New Year's Day (January 1, 2028 falls on a Saturday)" in text
    assert "holiday Thu 2027-09-09: Admission Day [CA]" in text
