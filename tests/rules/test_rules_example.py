"""rules.example.ot: what it says, checked against the statutes and regulations it cites."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rules_helpers import EXAMPLE
from syrupy.assertion import SnapshotAssertion

from ot.core.errors import OtError
from rules.compiler import compile_file, compile_text, text_sha256
from rules.files import default_rules_path
from rules.model import FEDERAL, RateBelowMinimumWage, RuleBook
from rules.show import describe

ON = date(2026, 11, 1)


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return compile_file(EXAMPLE)


def labels(book: RuleBook, jurisdiction: str, day: date = ON) -> list[str]:
    return [t.label for t in book.effective(jurisdiction, day).thresholds]


def test_default_rules_path_is_the_example() -> None:
    assert default_rules_path() == EXAMPLE


def test_compile_file_records_path_and_hash(book: RuleBook) -> None:
    assert book.file == str(EXAMPLE)
    assert book.sha256 == text_sha256(EXAMPLE.read_text(encoding="utf-8"))
    assert book.jurisdictions() == (
        "FEDERAL", "CA", "AK", "CO", "NV", "KY", "MN", "KS", "OR", "WA", "NY", "PR", "RI", "ME"
    )  # fmt: skip


def test_federal_flsa(book: RuleBook) -> None:
    """29 U.S.C. 207(a)(1): over 40 hours a workweek at 1.5x; 29 U.S.C. 206(a)(1)(C): $7.25."""
    rules = book.effective(FEDERAL, ON)
    (weekly,) = rules.thresholds
    assert (weekly.kind, weekly.over, weekly.hour_class, weekly.multiplier) == ("weekly", 40, "OT", Decimal("1.5"))
    assert rules.minimum_wage_on(ON) == Decimal("7.25")
    assert rules.no_overtime_worker_types == frozenset({"1099"})
    assert rules.not_worked_pay_types == frozenset({"PTO", "SICK", "HOLIDAY"})
    assert rules.short_break_paid_minutes == 20  # 29 CFR 785.18
    assert rules.regular_rate == "weighted_average"  # 29 CFR 778.115
    assert (rules.no_pyramiding, rules.combine, rules.rounding.minutes) == (True, "most_favourable", 0)
    assert (rules.workweek_start_day, rules.workweek_start_time.hour) == (6, 0)


def test_california(book: RuleBook) -> None:
    """Cal. Lab. Code 510(a) (daily 8/12, seventh day), 512(a) and 226.7(c) (meal, rest premiums), 1182.12 (minimum wage)."""
    assert labels(book, "CA") == [
        "daily over 8h",
        "daily over 12h",
        "weekly over 40h",  # CA's own (Lab. Code 510(a), 860): the federal one leaves agriculture out
        "seventh day over 0h",
        "seventh day over 8h",
    ]
    rules = book.effective("CA", ON)
    by_label = {t.label: t for t in rules.thresholds}
    assert by_label["daily over 12h"].hour_class == "DT"
    assert by_label["daily over 12h"].multiplier == 2
    assert by_label["seventh day over 8h"].hour_class == "DT"
    assert book.effective("CA", date(2024, 6, 1)).minimum_wage_on(date(2024, 6, 1)) == Decimal("16.00")
    assert rules.minimum_wage_on(date(2025, 6, 1)) == Decimal("16.50")
    assert rules.minimum_wage_on(ON) == Decimal("16.90")
    assert rules.meal is not None
    assert rules.rest is not None
    assert (rules.meal.first_by_hour, rules.meal.second_by_hour, rules.meal.minimum_minutes) == (5, 10, 30)
    assert (rules.meal.premium_hours, rules.rest.premium_hours) == (1, 1)
    assert (rules.meal.first_waivable_up_to_hours, rules.meal.second_waivable_up_to_hours) == (6, 12)
    assert (rules.rest.minutes, rules.rest.per_hours, rules.rest.min_shift_hours) == (10, 4, Decimal("3.5"))
    rest_break = rules.break_type("REST")
    assert rest_break is not None
    assert rest_break.paid


def test_alaska(book: RuleBook) -> None:
    """AS 23.10.060: over 8 hours a day or 40 a week, employers of four or more employees."""
    assert labels(book, "AK") == ["daily over 8h when employer size >= 4", "weekly over 40h when employer size >= 4"]
    assert book.effective("AK", date(2025, 8, 1)).minimum_wage_on(date(2025, 8, 1)) == Decimal("13.00")


def test_colorado_versions(book: RuleBook) -> None:
    """COMPS Order (7 CCR 1103-1) Rule 4.1.1, unchanged since 2022: 40/week, 12/workday, 12 consecutive
    hours; the minimum wage of each year's PAY CALC Order (2024: 7 CCR 1103-14, $14.42)."""
    expected = ["daily over 12h", "over 12 consecutive hours", "weekly over 40h"]
    assert labels(book, "CO", date(2022, 1, 1)) == expected
    assert labels(book, "CO", date(2024, 6, 1)) == expected
    assert labels(book, "CO", ON) == expected
    rules = book.effective("CO", ON)
    wages = {d.year: rules.minimum_wage_on(d) for d in (date(y, 6, 1) for y in range(2022, 2027))}
    assert wages == {
        2022: Decimal("12.56"),
        2023: Decimal("13.65"),
        2024: Decimal("14.42"),
        2025: Decimal("14.81"),
        2026: Decimal("15.16"),
    }


def test_nevada(book: RuleBook) -> None:
    """NRS 608.018(1): over 8 hours in a 24-hour period when the rate is under 1.5x the minimum wage (NRS 608.250: $12.00)."""
    assert labels(book, "NV") == ["over 8h in 24 hours when rate < 1.5x minimum wage", "weekly over 40h"]
    rolling = book.effective("NV", ON).thresholds[0]
    assert rolling.kind == "rolling24"
    assert rolling.conditions == (RateBelowMinimumWage(Decimal("1.5")),)
    assert book.effective("NV", ON).minimum_wage_on(ON) == Decimal("12.00")


def test_kentucky_minnesota_kansas(book: RuleBook) -> None:
    """KRS 337.050(1): the seventh day at 1.5x, by (2)(a) only in a workweek of more than 40 hours;
    Minn. Stat. 177.25: over 48; K.S.A. 44-1204: over 46."""
    assert labels(book, "KY") == ["seventh day over 0h when workweek over 40h", "weekly over 40h"]
    assert labels(book, "MN") == ["weekly over 48h"]
    assert labels(book, "KS") == ["weekly over 46h"]
    assert book.effective("MN", ON).minimum_wage_on(ON) == Decimal("11.41")


def test_the_flsa_weekly_forty_leaves_agriculture_out(book: RuleBook) -> None:
    """29 U.S.C. 213(b)(12): section 207 does not apply to "any employee employed in agriculture". The
    federal weekly 40 holds when the employer's industry is not agriculture; a state with its own weekly
    overtime writes it (here CA, Lab. Code 510(a) and 860, for farm workers too)."""
    (weekly,) = [t for t in book.effective(FEDERAL, ON).thresholds if t.kind == "weekly"]
    assert weekly.label == 'weekly over 40h when employer industry is not "agriculture"'
    ca = [t for t in book.effective("CA", ON).thresholds if t.kind == "weekly"]
    assert [(t.label, t.source.line > 0) for t in ca] == [("weekly over 40h", True)]


@pytest.mark.parametrize("state", ["TX", "FL"])
def test_states_without_a_block_fall_back_to_federal(book: RuleBook, state: str) -> None:
    assert not book.has(state)
    assert book.effective(state, ON) is book.effective(FEDERAL, ON)
    assert book.applicable(state, ON) == (book.effective(FEDERAL, ON),)


def test_every_rule_points_at_its_line(book: RuleBook) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").split("\n")
    for _name, sets in book.versions:
        for rules in sets:
            for threshold in rules.thresholds:
                line = lines[threshold.source.line - 1]
                assert line.strip().startswith(
                    ("daily", "weekly", "seventh", "consecutive", "24-hour", "sunday", "holiday")
                ), line
                assert threshold.source.file == str(EXAMPLE)


@pytest.mark.parametrize(("state", "day"), [("CA", ON), ("NV", ON), ("TX", ON), ("co", date(2025, 3, 1))])
def test_show_in_plain_words(state: str, day: date, snapshot: SnapshotAssertion) -> None:
    """What `ot rules show` prints: every effective rule in words with its source line (read the snapshot)."""
    book = compile_text(EXAMPLE.read_text(encoding="utf-8"), "rules.example.ot")
    assert describe(book, state, day) == snapshot


def test_show_refuses_an_unknown_jurisdiction_and_a_date_without_rules(book: RuleBook) -> None:
    with pytest.raises(OtError, match=r'unknown jurisdiction .*did you mean "CA"'):
        describe(book, "Cq", ON)
    with pytest.raises(OtError, match="no CA rules are in force on 2021-12-31"):
        describe(book, "CA", date(2021, 12, 31))


#: Each shipped state's minimum wage on 1 June of each year, as the agencies published them
#: (the file cites each notice; "verify" marks a figure not confirmed).
HISTORY = {
    # Lab. Code 1182.12; DIR annual adjustments.
    "CA": ("15.00", "15.50", "16.00", "16.50", "16.90"),
    # AS 23.10.065; DOLWD notices (2022 unchanged from 2021), Ballot Measure 1 from July 2025.
    "AK": ("10.34", "10.85", "11.73", "11.91", "13.00"),
    # Colo. Const. art. XVIII sec. 15; PAY CALC Orders.
    "CO": ("12.56", "13.65", "14.42", "14.81", "15.16"),
    # NRS 608.250 (no qualifying health benefits tier), Nev. Const. art. 15 sec. 16 from July 2024.
    "NV": ("9.75", "10.50", "11.25", "12.00", "12.00"),
    # KRS 337.275; K.S.A. 44-1203.
    "KY": ("7.25",) * 5,
    "KS": ("7.25",) * 5,
    # Minn. Stat. 177.24 (large employers until 2024).
    "MN": ("10.33", "10.59", "10.85", "11.13", "11.41"),
}


@pytest.mark.parametrize("state", sorted(HISTORY))
def test_every_state_has_rules_from_2022_with_each_years_minimum_wage(book: RuleBook, state: str) -> None:
    """29 U.S.C. 255(a): back pay reaches two years (three if willful); every shipped state has
    rules in force from 2022-01-01, so a week of June 2022 (Colorado, Nevada) is priced."""
    assert book.effective(state, date(2022, 1, 1)).effective <= date(2022, 1, 1)
    for year, wage in zip(range(2022, 2027), HISTORY[state], strict=True):
        day = date(year, 6, 1)
        assert book.effective(state, day).minimum_wage_on(day) == Decimal(wage), (state, year)
    assert book.effective(FEDERAL, date(2022, 1, 1)).minimum_wage_on(date(2022, 1, 1)) == Decimal("7.25")


def test_local_minimum_wages(book: RuleBook) -> None:
    """At least 15 of the largest local minimum wages, each citing its ordinance (Denver: D.R.M.C. 58-16,
    $18.81 in 2025; Seattle: S.M.C. 14.19, $20.76; San Francisco: Admin. Code ch. 12R, $18.67 from
    July 2024), found by a location's city or county; none elsewhere."""
    assert len(book.locals) >= 15
    lines = EXAMPLE.read_text(encoding="utf-8").split("\n")
    for local in book.locals:
        for version in local.versions:
            for mw in version.minimum_wages:
                assert "#" in lines[mw.source.line - 1], f"{local.name}: figure without a citation"
    day = date(2025, 3, 1)
    assert [(lr.name, mw.amount) for lr, _v, mw in book.local_wages("CO", "Denver", None, day)] == [
        ("Denver, CO", Decimal("18.81"))
    ]
    assert [mw.amount for _l, _v, mw in book.local_wages("WA", "seattle", "King County", day)] == [Decimal("20.76")]
    assert [mw.amount for _l, _v, mw in book.local_wages("MD", None, "Montgomery", date(2024, 8, 1))] == [
        Decimal("17.15")
    ]
    assert book.local_wages("CO", "Aurora", None, day) == ()
    assert book.local_wages("TX", "Denver", None, day) == ()
