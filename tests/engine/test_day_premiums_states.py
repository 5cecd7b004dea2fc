"""Golden results of issue 16's California premiums, the states added to rules.example.ot, and
employer policies; each test cites the public source of its figures.

Worked examples published by an agency are marked "agency example"; the others are derived from
the text they cite, and say so.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from ot.core.domain import Earning, Shift
from rules.compiler import compile_file, compile_text
from rules.engine import WeekResult, price
from rules.engine.explain import explain_text
from rules.files import default_rules_path
from rules.model import POLICY, RuleBook

from .helpers import amounts, line_hours, only_week, shift, worker

D = Decimal


@pytest.fixture(scope="module")
def example() -> RuleBook:
    """The compiled rules.example.ot."""
    return compile_file(default_rules_path())


def _book(body: str, employer: str = "") -> RuleBook:
    """A rules file with the federal FLSA block and ``body`` after it."""
    return compile_text(
        f"""version 1
employer {{
  workweek starts sunday 00:00
{employer}}}
federal {{
  rules from 2009-07-24 {{
    minimum wage 7.25 from 2009-07-24
    weekly over 40h is OT x1.5
  }}
}}
{body}""",
        "t.ot",
    )


def _premiums(week: WeekResult, kind: str) -> list[tuple[date, Decimal, Decimal, Decimal, str]]:
    return [
        (ln.date, ln.hours, ln.rate, ln.amount, ln.jurisdiction)
        for ln in week.lines
        if ln.hour_class == "PREMIUM" and ln.premium == kind
    ]


def _at(shift_: Shift, city: str) -> Shift:
    return dataclasses.replace(shift_, city=city)


# --- California: split shift (IWC Wage Order 4-2001 section 4(C)) -----------------------------

CA_2018 = _book(
    """state CA extends federal {
  rules from 2018-01-01 {
    minimum wage 11.00 from 2018-01-01
    minimum wage measured per hour
    daily over 8h is OT x1.5
    split shift over 60 min is 1h at minimum wage, less wages above minimum
  }
}
"""
)


def test_split_shift_labor_commissioner_faq_example() -> None:
    """Agency example: California Labor Commissioner, Minimum Wage FAQ ("My regular workday includes a
    split shift, however, I make $12 per hour and minimum wage is currently $11 per hour. I work six
    total hours..."): the minimum for the day is 6 x $11 + $11 = $77; paid 6 x $12 = $72; $5 is due.
    Wage Order 4-2001 section 4(C); DLSE Enforcement Manual 45.2.4."""
    day = [
        shift("2018-06-04T08:00", "2018-06-04T11:00", state="CA", rate="12.00"),
        shift("2018-06-04T15:00", "2018-06-04T18:00", state="CA", rate="12.00"),
    ]
    week = only_week(price(day, {"w1": worker(rate="12.00")}, CA_2018))
    assert amounts(week, "REG") == D("72.00")
    assert _premiums(week, "split_shift") == [(date(2018, 6, 4), D("1.00"), D("5.00"), D("5.00"), "CA")]
    assert week.gross == D("77.00")  # the FAQ's minimum for the day
    assert week.regular_rate == D("12.00")  # the premium is not pay for hours worked
    assert week.premium_hours == 1


def test_split_shift_a_meal_period_of_an_hour_is_no_split_and_a_high_rate_owes_nothing() -> None:
    """DLSE Enforcement Manual 45.2.1: a bona fide meal period (here up to the rule's 60 min) does not
    split the shift; 45.2.4: pay above the minimum wage offsets the premium (8 h at $13: $16 above
    $11 x 8, more than the $11 premium). Derived from the manual's text."""
    meal_hour = [
        shift(
            "2018-06-04T08:00", "2018-06-04T15:00", state="CA", rate="12.00",
            breaks=[("2018-06-04T11:00", "2018-06-04T12:00")],
        )
    ]  # fmt: skip
    week = only_week(price(meal_hour, {"w1": worker()}, CA_2018))
    assert _premiums(week, "split_shift") == []
    long_meal = [
        shift(
            "2018-06-04T08:00", "2018-06-04T15:00", state="CA", rate="12.00",
            breaks=[("2018-06-04T11:00", "2018-06-04T12:01")],
        )
    ]  # fmt: skip
    week = only_week(price(long_meal, {"w1": worker()}, CA_2018))
    assert [p[3] for p in _premiums(week, "split_shift")] == [D("5.02")]  # $11 - 5.98 h x $1 above the minimum
    high = [
        shift("2018-06-04T06:00", "2018-06-04T10:00", state="CA", rate="13.00"),
        shift("2018-06-04T16:00", "2018-06-04T20:00", state="CA", rate="13.00"),
    ]
    week = only_week(price(high, {"w1": worker()}, CA_2018))
    assert _premiums(week, "split_shift") == []


def test_split_shift_at_the_local_minimum_wage_with_the_shipped_rules(example: RuleBook) -> None:
    """Labor Commissioner, Minimum Wage FAQ (updated 2018): the premium is one hour at the state or
    the local minimum wage, whichever is greater. Los Angeles' $17.87 (2025-07-01, rules.example.ot)
    against California's $16.90 (2026): 6 h at $18.00 in two stretches owe $17.87 - 6 x $0.13 =
    $17.09. Derived from the FAQ's rule and the FAQ example's arithmetic."""
    day = [
        _at(shift("2026-03-02T07:00", "2026-03-02T10:00", state="CA", rate="18.00"), "Los Angeles"),
        _at(shift("2026-03-02T16:00", "2026-03-02T19:00", state="CA", rate="18.00"), "Los Angeles"),
    ]
    week = only_week(price(day, {"w1": worker(rate="18.00")}, example))
    assert _premiums(week, "split_shift") == [(date(2026, 3, 2), D("1.00"), D("17.09"), D("17.09"), "CA")]
    (line,) = [ln for ln in week.lines if ln.premium == "split_shift"]
    assert line.rule == "split shift over 60 min: 1h at minimum wage, less wages above minimum"
    note = next(n for n in week.notes if "split shift premium" in n)
    assert "Los Angeles, CA minimum wage $17.87" in note
    assert "less $0.78 earned above the minimum" in note
    # Elsewhere in California the state's $16.90: 16.90 - 6 x 1.10 = $10.30.
    week = only_week(price([dataclasses.replace(s, city=None) for s in day], {"w1": worker()}, example))
    assert [p[3] for p in _premiums(week, "split_shift")] == [D("10.30")]


def test_split_shift_is_owed_for_an_hours_gap_in_any_week_but_never_on_an_hours_only_day(example: RuleBook) -> None:
    """Wage Order section 4(C) is owed per workday; an hours-only entry carries no punches and is no
    evidence of a gap (as for meal periods). Derived from the order's text."""
    from .helpers import hours

    week = only_week(price([hours("2026-03-02", "6", state="CA")], {"w1": worker(rate="17.00")}, example))
    assert _premiums(week, "split_shift") == []


# --- California: meal and rest premiums at the regular rate (Ferra) -----------------------------


def test_meal_premium_at_the_regular_rate_with_a_bonus_ferra(example: RuleBook) -> None:
    """Ferra v. Loews Hollywood Hotel, LLC (2021) 11 Cal.5th 858: "regular rate of compensation" in
    Lab. Code 226.7(c) means the regular rate of pay, nondiscretionary bonuses included. 5 days of
    8 h straight (no meal period: 5 premiums) at $20 with a $40 bonus: regular rate ($800 + $40) / 40
    = $21; each premium $21, not the $20 base rate. Derived from the holding (29 CFR 778.110(b)'s
    arithmetic of the regular rate)."""
    days = [shift(f"2026-03-0{d}T08:00", f"2026-03-0{d}T16:00", state="CA") for d in range(2, 7)]
    bonus = [Earning("w1", date(2026, 3, 4), D("40.00"), "bonus")]
    week = only_week(price(days, {"w1": worker(rate="20.00")}, example, earnings=bonus))
    assert week.regular_rate == D("21.00")
    meal = _premiums(week, "meal")
    assert len(meal) == 5
    assert {(h, r, a) for _d, h, r, a, _j in meal} == {(D("1.00"), D("21.00"), D("21.00"))}


# --- Oregon: ORS 652.020 manufacturing and ORS 653.272 agriculture ------------------------------

OR_MFG = _book(
    """state OR extends federal {
  rules from 2022-01-01 {
    minimum wage 14.70 from 2024-07-01
    daily over 10h is OT x1.5 when employer industry is "manufacturing"
  }
}
""",
    '  industry "manufacturing"\n',
)


def test_oregon_manufacturing_over_ten_hours_a_day() -> None:
    """ORS 652.020(1)(a), (3): in a mill, factory or manufacturing establishment, hours over 10 in a
    day are paid at 1.5x. Four 11-hour days (44 h) at $20: 4 h of daily overtime; the other 40 h are
    not over the federal 40 (hours paid as daily overtime are not counted again, 29 CFR 778.202(c)).
    Derived from the statute's text."""
    days = [shift(f"2026-03-0{d}T06:00", f"2026-03-0{d}T17:00", state="OR") for d in range(2, 6)]
    week = only_week(price(days, {"w1": worker(rate="20.00")}, OR_MFG))
    assert (week.regular_hours, week.overtime_hours) == (40, 4)
    assert {ln.rule for ln in week.lines if ln.hour_class == "OT"} == {
        'daily over 10h when employer industry is "manufacturing"'
    }
    assert week.gross == 40 * 20 + 4 * 30


def _example_in(industry: str) -> RuleBook:
    """rules.example.ot with its employer in ``industry``."""
    text = default_rules_path().read_text(encoding="utf-8")
    assert '  industry "retail"' in text
    return compile_text(text.replace('  industry "retail"', f'  industry "{industry}"', 1), "rules.example.ot")


FARM, SHOP = _example_in("agriculture"), _example_in("retail")


@pytest.mark.parametrize(
    ("state", "monday", "overtime"),
    [
        ("OR", "2024-03-04", 5),  # ORS 653.272(1)(a): over 55 in 2023-2024
        ("OR", "2025-03-03", 12),  # (1)(b): over 48 in 2025-2026
        ("OR", "2027-03-01", 20),  # (1)(c): over 40 from 2027
        ("WA", "2022-03-07", 5),  # RCW 49.46.130(2)(g)(i): over 55 in 2022
        ("WA", "2023-03-06", 12),  # (ii): over 48 in 2023
        ("WA", "2024-03-04", 20),  # (iii): over 40 from 2024
    ],
)
def test_agricultural_overtime_phase_in(state: str, monday: str, overtime: int) -> None:
    """Oregon (ORS 653.272, HB 4002 of 2022; BOLI "Agricultural overtime") and Washington (RCW
    49.46.130(2)(g), SSB 5172 of 2021; L&I "Overtime for agricultural workers"): a 60-hour week of
    an agricultural worker (six 10-hour days) has overtime beyond the year's threshold. The state
    blocks are those of rules.example.ot, whose federal block writes the FLSA's agricultural
    exemption (29 U.S.C. 213(b)(12)). Derived from the statutes' schedules."""
    book = FARM
    first = date.fromisoformat(monday)
    days = [shift(f"{first.replace(day=first.day + k)}T06:00", f"{first.replace(day=first.day + k)}T16:00", state=state)
            for k in range(6)]  # fmt: skip
    week = only_week(price(days, {"w1": worker(rate="20.00")}, book))
    assert (week.regular_hours, week.overtime_hours) == (60 - overtime, overtime)
    assert {ln.jurisdiction for ln in week.lines if ln.hour_class == "OT"} == {state}
    # Not agriculture: the weekly 40 of the state (and of the FLSA) applies in every year.
    assert only_week(price(days, {"w1": worker(rate="20.00")}, SHOP)).overtime_hours == 20


@pytest.mark.parametrize(("state", "overtime"), [("TX", 0), ("CA", 20)])
def test_a_farm_worker_gets_no_federal_overtime_but_keeps_a_states(state: str, overtime: int) -> None:
    """29 U.S.C. 213(b)(12): the FLSA's overtime does not apply to an employee employed in agriculture,
    so a 60-hour week on a Texas farm (no state overtime law) has none; in California the state's own
    weekly 40 covers farm workers (Lab. Code 860, AB 1066: every employer from 2025), so the same week
    there has 20 hours over 40 (its 10-hour days also owe 2 hours each over 8: the most favourable
    counts once, 20 in all with no pyramiding). Derived from the texts."""
    days = [shift(f"2026-03-0{2 + k}T06:00", f"2026-03-0{2 + k}T16:00", state=state) for k in range(6)]
    week = only_week(price(days, {"w1": worker(rate="20.00")}, FARM))
    assert week.overtime_hours == overtime
    if state == "TX":
        assert only_week(price(days, {"w1": worker(rate="20.00")}, SHOP)).overtime_hours == 20


# --- New York: spread of hours and split shift (12 NYCRR 142-2.4) ---------------------------------


def test_new_york_spread_of_hours_at_the_minimum_wage(example: RuleBook) -> None:
    """12 NYCRR 142-2.4(a), 142-2.18: one hour at the basic minimum wage ($16.00 in 2026, Labor Law
    652(1)(a)(iii)) on a day whose spread exceeds 10 hours; with a split shift too, one hour, not two
    (142-2.4(c)). A minimum-wage worker, 07:00-11:00 and 15:00-19:00: $16.00. Derived from the text."""
    day = [
        shift("2026-03-02T07:00", "2026-03-02T11:00", state="NY", rate="16.00"),
        shift("2026-03-02T15:00", "2026-03-02T19:00", state="NY", rate="16.00"),
    ]
    week = only_week(price(day, {"w1": worker(rate="16.00")}, example))
    prem = [ln for ln in week.lines if ln.hour_class == "PREMIUM"]
    assert [(ln.premium, ln.hours, ln.amount, ln.jurisdiction) for ln in prem] == [
        ("spread_of_hours", D("1.00"), D("16.00"), "NY")
    ]
    assert week.gross == 8 * 16 + 16
    # A continuous 11-hour day at the minimum wage: spread over 10, no split: one hour too.
    long_day = [shift("2026-03-03T07:00", "2026-03-03T18:00", state="NY", rate="16.00")]
    week = only_week(price(long_day, {"w1": worker()}, example))
    assert [p[3] for p in _premiums(week, "spread_of_hours")] == [D("16.00")]


def test_new_york_spread_of_hours_offset_and_the_hospitality_reading(example: RuleBook) -> None:
    """The DOL reads 142-2.4's "in addition to the minimum wage" as satisfied when the day's pay is at
    least the minimum wage for every hour plus one hour (Opinion RO-09-0169): $18.00 for 8 h is $16
    above 8 x $16, so nothing is owed. 12 NYCRR 146-1.6(d) (hospitality) owes the hour whatever the
    rate: the line without ", less wages above minimum". Both readings, derived from the texts."""
    day = [
        shift("2026-03-02T07:00", "2026-03-02T11:00", state="NY", rate="18.00"),
        shift("2026-03-02T15:00", "2026-03-02T19:00", state="NY", rate="18.00"),
    ]
    week = only_week(price(day, {"w1": worker()}, example))
    assert [ln for ln in week.lines if ln.hour_class == "PREMIUM"] == []
    hospitality = _book(
        """state NY extends federal {
  rules from 2022-01-01 {
    minimum wage 16.00 from 2026-01-01
    spread of hours over 10h is 1h at minimum wage
  }
}
"""
    )
    week = only_week(price(day, {"w1": worker()}, hospitality))
    assert _premiums(week, "spread_of_hours") == [(date(2026, 3, 2), D("1.00"), D("16.00"), D("16.00"), "NY")]


# --- Puerto Rico, Rhode Island, Maine --------------------------------------------------------------


def test_puerto_rico_daily_over_eight(example: RuleBook) -> None:
    """Act No. 379 of 1948, sec. 4 and 6, as amended by Act No. 4-2017: hours over 8 in a period of
    24 consecutive hours at 1.5x the regular rate. A 9-hour day at $10.50: 1 h of overtime at $15.75.
    Derived from the text."""
    week = only_week(
        price([shift("2026-03-02T08:00", "2026-03-02T17:00", state="PR")], {"w1": worker(rate="10.50")}, example)
    )
    assert (week.regular_hours, week.overtime_hours) == (8, 1)
    (ot,) = [ln for ln in week.lines if ln.hour_class == "OT"]
    assert (ot.jurisdiction, ot.rule, ot.amount) == ("PR", "over 8h in 24 hours", D("15.75"))


def test_rhode_island_sunday_and_holiday_in_retail(example: RuleBook) -> None:
    """R.I. Gen. Laws 5-23-2(b) and 25-3-3: a retail employee's Sunday and holiday work is paid at
    least 1.5x (rules.example.ot's employer is retail). 40 h Monday to Friday and 8 h on Sunday at
    $16: the Sunday 8 h at 1.5x; they are not counted again toward the weekly 40 (28-12-4.3), so the
    week has 8 h of overtime in all. Victory Day (second Monday of August, 25-1-1): every hour at 1.5x.
    Derived from the statutes' text."""
    days = [shift("2026-03-01T08:00", "2026-03-01T16:00", state="RI")]  # Sunday
    days += [shift(f"2026-03-0{d}T08:00", f"2026-03-0{d}T16:00", state="RI") for d in range(2, 7)]
    week = only_week(price(days, {"w1": worker(rate="16.00")}, example))
    assert (week.regular_hours, week.overtime_hours) == (40, 8)
    ot = {(ln.date, ln.rule) for ln in week.lines if ln.hour_class == "OT"}
    assert ot == {(date(2026, 3, 1), 'sunday over 0h when employer industry is "retail"')}
    assert week.gross == 40 * 16 + 8 * 24
    victory = [shift("2026-08-10T09:00", "2026-08-10T13:00", state="RI")]
    week = only_week(price(victory, {"w1": worker(rate="16.00")}, example))
    assert [(ln.hours, ln.rule) for ln in week.lines if ln.hour_class == "OT"] == [
        (D("4.00"), 'holiday over 0h when employer industry is "retail"')
    ]
    explained = explain_text(week)
    assert 'RI holiday over 0h when employer industry is "retail" (rules.example.ot:' in explained


def test_rhode_island_minimum_wage_16_in_2026_and_17_in_2027(example: RuleBook) -> None:
    """R.I. Gen. Laws 28-12-3(a) as amended in 2025 (signed by Gov. McKee in August 2025): $16.00 from
    January 1, 2026 and $17.00 from January 1, 2027 (the Governor's office, reported January 2026). A
    worker at $16.50 owes no make-up in December 2026 and 8 h x $0.50 = $4.00 on Monday January 4, 2027."""
    book = example.effective("RI", date(2026, 6, 1))
    assert book.minimum_wage_on(date(2026, 6, 1)) == D("16.00")
    assert example.effective("RI", date(2027, 1, 4)).minimum_wage_on(date(2027, 1, 4)) == D("17.00")
    december = only_week(
        price([shift("2026-12-14T08:00", "2026-12-14T16:00", state="RI")], {"w1": worker(rate="16.50")}, example)
    )
    assert amounts(december, "MW_MAKEUP") == 0
    january = only_week(
        price([shift("2027-01-04T08:00", "2027-01-04T16:00", state="RI")], {"w1": worker(rate="16.50")}, example)
    )
    assert amounts(january, "MW_MAKEUP") == D("4.00")
    assert january.gross == 8 * D("17.00")


def test_alaska_minimum_wage_steps_of_ballot_measure_1(example: RuleBook) -> None:
    """AS 23.10.065 as amended by Ballot Measure 1 (2024): $13.00 from July 1, 2025, $14.00 from July 1,
    2026 and $15.00 from July 1, 2027 (inflation adjustments resume in 2028)."""
    assert [
        example.effective("AK", day).minimum_wage_on(day)
        for day in (date(2025, 7, 1), date(2026, 6, 30), date(2026, 7, 1), date(2027, 6, 30), date(2027, 7, 1))
    ] == [D("13.00"), D("13.00"), D("14.00"), D("14.00"), D("15.00")]


def test_rhode_island_retail_holidays_are_those_of_5_23_1(example: RuleBook) -> None:
    """R.I. Gen. Laws 5-23-1 lists the holidays of retail's premium: New Year's Day, Memorial Day, July
    4th, Victory Day, Labor Day, Columbus Day, Veterans Day, Thanksgiving and Christmas; not Martin Luther
    King Jr. Day, Washington's Birthday or Juneteenth, which the federal calendar has (rules.example.ot:
    three "not holiday" lines). 4 hours on Juneteenth 2026 (Friday June 19) in Rhode Island are straight
    time; in the federal calendar it is still a holiday. Derived from the statute's text."""
    names = {h.name for h in example.holidays_between("RI", date(2026, 1, 1), date(2026, 12, 31))}
    assert names == {
        "New Year's Day",
        "Memorial Day",
        "Independence Day",
        "Victory Day",
        "Labor Day",
        "Columbus Day",
        "Veterans Day",
        "Thanksgiving Day",
        "Christmas Day",
    }
    assert date(2026, 6, 19) in {
        h.day for h in example.holidays_between("FEDERAL", date(2026, 6, 1), date(2026, 6, 30))
    }
    juneteenth = [shift("2026-06-19T09:00", "2026-06-19T13:00", state="RI")]
    week = only_week(price(juneteenth, {"w1": worker(rate="16.00")}, example))
    assert (week.regular_hours, week.overtime_hours) == (4, 0)


def test_maine_minimum_wage_and_weekly_forty(example: RuleBook) -> None:
    """26 M.R.S. 664(1) (Maine DOL: $15.10 in 2026) and 664(3) (over 40 a week at 1.5x): 42 h at
    $15.10: 2 h of overtime at $22.65, named by Maine's own line. Derived from the text."""
    days = [shift(f"2026-03-0{d}T08:00", f"2026-03-0{d}T16:00", state="ME") for d in range(2, 7)]
    days.append(shift("2026-03-07T08:00", "2026-03-07T10:00", state="ME"))
    week = only_week(price(days, {"w1": worker(rate="15.10")}, example))
    assert (week.regular_hours, week.overtime_hours) == (40, 2)
    (ot,) = [ln for ln in week.lines if ln.hour_class == "OT"]
    assert (ot.jurisdiction, ot.amount) == ("ME", D("45.30"))
    low = only_week(price(days, {"w1": worker(rate="14.00")}, example))
    assert amounts(low, "MW_MAKEUP") > 0  # $14.00 is below Maine's $15.10 (664(1))
    assert low.regular_rate == D("15.10")


# --- Employer policy beside the law --------------------------------------------------------------

POLICY_BOOK = _book(
    """state CA extends federal {
  rules from 2022-01-01 {
    minimum wage 16.90 from 2026-01-01
    daily over 8h is OT x1.5
  }
  holidays from 2022-01-01 {
    holiday "Cesar Chavez Day" on march 31
  }
}
policy "Company overtime" {
  rules from 2026-01-01 {
    daily over 8h is OT x1.5
    holiday over 0h is DT x2
  }
}
"""
)


def test_policy_daily_overtime_for_every_worker_beside_the_law() -> None:
    """A company policy of overtime over 8 hours a day, in Texas where the law has none: two 10-hour
    days owe 2 h of policy overtime each; in California the same hours are the law's (on a tie the
    law is named); a policy never lowers pay below the law (the most favourable result wins,
    29 U.S.C. 218(a))."""
    tx = [shift(f"2026-03-0{d}T08:00", f"2026-03-0{d}T18:00", state="TX") for d in (2, 3)]
    week = only_week(price(tx, {"w1": worker(rate="20.00")}, POLICY_BOOK))
    assert (week.regular_hours, week.overtime_hours) == (16, 4)
    assert {(ln.jurisdiction, ln.rule) for ln in week.lines if ln.hour_class == "OT"} == {
        (POLICY, "Company overtime: daily over 8h")
    }
    assert {ln.jurisdiction for ln in week.lines if ln.hour_class == "REG"} == {"FEDERAL"}
    ca = [shift(f"2026-03-0{d}T08:00", f"2026-03-0{d}T18:00", state="CA") for d in (2, 3)]
    week = only_week(price(ca, {"w1": worker(rate="20.00")}, POLICY_BOOK))
    assert {(ln.jurisdiction, ln.rule) for ln in week.lines if ln.hour_class == "OT"} == {("CA", "daily over 8h")}
    assert any(loser.jurisdiction == POLICY for p in week.pieces for loser in p.losers)


def test_policy_holiday_premium_and_the_explanation_names_it() -> None:
    """A company holiday premium (double time on the holidays of the calendar where the work is):
    4 h on Cesar Chavez Day (March 31, Cal. Gov. Code 6700(a)(7)) in California are DT at $40;
    the explanation names the policy and its line hour by hour."""
    day = [shift("2026-03-31T08:00", "2026-03-31T12:00", state="CA")]
    week = only_week(price(day, {"w1": worker(rate="20.00")}, POLICY_BOOK))
    assert (week.doubletime_hours, line_hours(week, "DT"), amounts(week, "DT")) == (4, D("4.00"), D("160.00"))
    text = explain_text(week)
    assert "POLICY Company overtime: holiday over 0h (t.ot:" in text
    # A Texas worker the same day: not a holiday of the federal calendar, no premium.
    tx = [shift("2026-03-31T08:00", "2026-03-31T12:00", state="TX")]
    assert only_week(price(tx, {"w1": worker(rate="20.00")}, POLICY_BOOK)).doubletime_hours == 0


# --- California: alternative workweek schedules (Lab. Code 511) ------------------------------------

AWS_BOOK = _book(
    """state CA extends federal {
  rules from 2022-01-01 {
    minimum wage 16.90 from 2026-01-01
    daily over 8h is OT x1.5
    daily over 12h is DT x2
    alternative workweek "4x10" for "A1" on monday 10h, tuesday 10h, wednesday 10h, thursday 10h, other days over 0h is OT x1.5, other days over 8h is DT x2
    alternative workweek "4x10, days off as the daily rules say" for "A2" on monday 10h, tuesday 10h, wednesday 10h, thursday 10h
  }
}
"""
)
AWS_WORKERS = {w: worker(w, rate="20.00") for w in ("A1", "A2", "N1")}


def _aws_week(wid: str, spec: list[tuple[str, str, str]]) -> WeekResult:
    shifts = [shift(f"{d}T{a}", f"{d}T{b}", state="CA", wid=wid) for d, a, b in spec]
    return only_week(price(shifts, {wid: AWS_WORKERS[wid]}, AWS_BOOK))


FOUR_TENS = [(f"2026-03-0{d}", "07:00", "17:00") for d in range(2, 6)]


def test_alternative_workweek_four_tens_owe_no_daily_overtime() -> None:
    """Lab. Code 511(a): under a regularly scheduled alternative workweek of up to 10 hours a day within
    a 40-hour workweek, the scheduled hours owe no daily overtime: four 10-hour days are 40 straight
    hours; a worker not on the schedule is owed 2 h of daily overtime each day (510(a)). Derived."""
    week = _aws_week("A1", FOUR_TENS)
    assert (week.regular_hours, week.overtime_hours, week.doubletime_hours) == (40, 0, 0)
    week = _aws_week("N1", FOUR_TENS)
    assert (week.regular_hours, week.overtime_hours) == (32, 8)


def test_alternative_workweek_over_the_scheduled_hours_and_over_twelve() -> None:
    """Lab. Code 511(a); Wage Order 4-2001 section 3(B)(1): overtime for work beyond the regularly
    scheduled hours up to 12, double time over 12. 13 hours on a scheduled 10-hour Monday: 10 REG,
    2 OT, 1 DT; the explanation names the schedule's line. Derived from the text."""
    week = _aws_week("A1", [("2026-03-02", "06:00", "19:00")])
    assert (week.regular_hours, week.overtime_hours, week.doubletime_hours) == (10, 2, 1)
    rules = {ln.rule for ln in week.lines if ln.hour_class in ("OT", "DT")}
    assert rules == {'alternative workweek "4x10": daily over 10h (the scheduled day)', "daily over 12h"}
    assert 'CA alternative workweek "4x10": daily over 10h (the scheduled day) (t.ot:' in explain_text(week)


def test_alternative_workweek_a_day_off_both_readings() -> None:
    """Wage Order 4-2001 section 3(B)(1): "double the employee's regular rate ... for any work in excess
    of eight (8) hours on those days worked beyond the regularly scheduled number of workdays"; the
    DLSE reads the first 8 hours of such a day as 1.5x. Four scheduled 10-hour days and 9 hours on
    Friday: with the "other days" thresholds, 8 OT + 1 DT on Friday; without them (the daily rules as
    they are, and the weekly 40), the 9 Friday hours are all OT. Derived; both readings expressible."""
    days = [*FOUR_TENS, ("2026-03-06", "07:00", "16:00")]
    week = _aws_week("A1", days)
    assert (week.regular_hours, week.overtime_hours, week.doubletime_hours) == (40, 8, 1)
    week = _aws_week("A2", [(d.replace("A1", "A2"), a, b) for d, a, b in days])
    assert (week.regular_hours, week.overtime_hours, week.doubletime_hours) == (40, 9, 0)


# --- California: reporting-time pay (Wage Order 4-2001 section 5) ---------------------------------


@pytest.mark.parametrize(
    ("scheduled", "start", "end", "owed"),
    [
        ("8", "08:00", "10:00", "2.00"),  # half of 8 is 4: 2 worked + 2 of reporting time
        ("8", "08:00", "11:30", "0.50"),  # 3.5 worked of the 4
        ("10", "08:00", "09:00", "3.00"),  # half of 10 is 5, at most 4: 1 worked + 3
        ("3", "08:00", "09:00", "1.00"),  # half of 3 is 1.5, at least 2: 1 worked + 1
        ("10", "08:00", "12:30", None),  # 4.5 worked: more than the 4 at most
        ("8", "08:00", "12:00", None),  # half the scheduled day furnished
    ],
)
def test_reporting_time_half_the_scheduled_day(
    example: RuleBook, scheduled: str, start: str, end: str, owed: str | None
) -> None:
    """Wage Order 4-2001 section 5(A): a worker who reports and is furnished less than half the
    scheduled day's work is paid for half of it, at least 2 and at most 4 hours, at the regular rate
    of pay ($20 here). Derived from the text (DLSE Enforcement Manual section 45)."""
    day = [shift(f"2026-03-02T{start}", f"2026-03-02T{end}", state="CA")]
    result = price(day, {"w1": worker(rate="20.00")}, example, scheduled={"w1": {date(2026, 3, 2): D(scheduled)}})
    week = only_week(result)
    expected = [] if owed is None else [(date(2026, 3, 2), D(owed), D("20.00"), D(owed) * 20, "CA")]
    assert _premiums(week, "reporting_time") == expected
    assert week.overtime_hours == 0  # reporting time is not hours worked


def test_reporting_time_second_report_and_no_schedule(example: RuleBook) -> None:
    """Section 5(B): a second report in one workday furnished less than 2 hours is paid 2 hours: 08:00-12:00,
    then 15:00-16:00: 1 hour short. Without a schedule for the day, 5(A) has nothing to judge. Derived."""
    day = [
        shift("2026-03-02T08:00", "2026-03-02T12:00", state="CA"),
        shift("2026-03-02T15:00", "2026-03-02T16:00", state="CA", sid="second"),
    ]
    week = only_week(price(day, {"w1": worker(rate="20.00")}, example))
    assert _premiums(week, "reporting_time") == [(date(2026, 3, 2), D("1.00"), D("20.00"), D("20.00"), "CA")]
    note = next(n for n in week.notes if "reporting time premium" in n)
    assert "report 2 of the workday furnished 1.00 h: paid for 2h, 1.00 h of reporting time (section 5(B))" in note
    # Texas has no reporting-time rule.
    tx = [dataclasses.replace(s, state="TX", timezone="America/Chicago") for s in day]
    assert _premiums(only_week(price(tx, {"w1": worker(rate="20.00")}, example)), "reporting_time") == []


def test_night_shifts_are_neither_second_reports_nor_split_shifts(example: RuleBook) -> None:
    """A run of work belongs whole to the workday it began on (as the engine's meal-period rule reads
    Lab. Code 512 for an overnight shift): nights of 22:00-06:30 on consecutive days leave no split in a
    calendar day's work (Wage Order section 4(C)) and no short second report (section 5(B)), even at the
    minimum wage, where any split would owe the whole hour. The other reading (the workday cut at
    midnight) would owe both every night. Derived from the texts; the default chosen for that reason."""
    nights = [
        shift(f"2026-03-0{d}T22:00", f"2026-03-0{d + 1}T06:30", state="CA", rate="16.90", breaks=[])
        for d in range(2, 6)
    ]
    week = only_week(price(nights, {"w1": worker(rate="16.90")}, example))
    assert [ln for ln in week.lines if ln.premium in ("split_shift", "reporting_time")] == []
