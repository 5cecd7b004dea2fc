"""Golden tests of issue 12: exact time, lines that multiply out, the week-boundary meal premium,
rest premiums that can be owed, minimum-wage floors, Nevada's 24-hour periods, rules history.

Each test cites the law or the published example it pins.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ot.calcio import line_json, read_calc_input
from ot.core.money import rate_text
from ot.services.calc import calculate, load_rules
from rules.engine import WeekResult, price
from rules.engine.explain import explain_text
from rules.model import RuleBook

from .books import ALL, CA_SET, NV_SET, book
from .helpers import amounts, hours, only_week, shift, worker

D = Decimal


@pytest.fixture(scope="module")
def example() -> RuleBook:
    return load_rules(None)


def calc(data: dict[str, Any], rules: RuleBook) -> list[dict[str, Any]]:
    """Every week of every worker of a calc input priced with ``rules`` (the contract's output)."""
    out = calculate(json.dumps(data), name="<test>", book=rules)
    return [wk for w in out["workers"] for wk in w["weeks"]]


def week_of(data: dict[str, Any], rules: RuleBook = ALL) -> WeekResult:
    parsed = read_calc_input(json.dumps(data))
    return only_week(price(parsed.shifts, parsed.workers, rules))


# --- exact time --------------------------------------------------------------------------


@pytest.mark.parametrize(("entered", "gross"), [("0.89", "17.80"), ("7.23", "144.60"), ("8", "160.00")])
def test_hours_only_entries_keep_their_exact_value(entered: str, gross: str) -> None:
    """29 U.S.C. 206-207 (every hour worked is paid): an hours-only entry of 0.89 h at $20
    is 0.89 h and $17.80 (not 0.88 h and $17.67), 7.23 h is 7.23 h and $144.60 (not $144.67)."""
    week = only_week(price([hours("2026-11-03", entered)], {"w1": worker()}, ALL))
    (line,) = week.lines
    assert (line.hours, line.amount, week.gross) == (D(entered), D(gross), D(gross))


def test_punches_keep_their_seconds() -> None:
    """29 CFR 785.48(a): the time actually worked is recorded; 08:00:00-15:55:48 is 7.93 h exactly
    (28,548 s), paid $158.60 at $20, where whole minutes would have dropped 48 seconds."""
    s = shift("2026-11-03T08:00:00", "2026-11-03T15:55:48")
    week = only_week(price([s], {"w1": worker()}, ALL))
    assert week.pieces[0].ms == 28_548_000
    assert (week.regular_hours, week.gross) == (D("7.93"), D("158.60"))


# --- one rounding rule that reconciles ----------------------------------------------------


def test_gross_is_hours_times_rate_across_days() -> None:
    """29 CFR 778.110(a) (hours x rate): two Texas shifts of 3.25 h at $16.50 pay 6.5 x 16.50 =
    $107.25, not $107.26 (two lines each rounded before summing); one 6.5-hour shift pays the same.
    The dated lines share the week's $107.25: 53.63 and 53.62, the second carrying the cent."""
    two = [shift("2026-11-02T08:00", "2026-11-02T11:15"), shift("2026-11-03T08:00", "2026-11-03T11:15")]
    one = [shift("2026-11-02T08:00", "2026-11-02T14:30")]
    w2 = only_week(price(two, {"w1": worker(rate="16.50")}, ALL))
    w1 = only_week(price(one, {"w1": worker(rate="16.50")}, ALL))
    assert w2.gross == w1.gross == D("107.25")
    assert [(g.hour_class, g.hours, g.paid_rate, g.amount) for g in w2.groups] == [
        ("REG", D("6.50"), D("16.50"), D("107.25"))
    ]
    assert [(ln.hours, ln.amount, ln.carry) for ln in w2.lines] == [
        (D("3.25"), D("53.63"), D("0.00")),
        (D("3.25"), D("53.62"), D("-0.01")),
    ]


def test_explain_lines_multiply_out() -> None:
    """Cal. Lab. Code 510(a), 8h01m on a $23 day: explain prints 8.00 h x $23.00 x 1 and
    0.02 h x $23.00 x 1.5 = $0.69 (the minute of OT quantised to the hundredth of an hour, 29 CFR
    785.48(b)), never 0.02 h x 23 x 1.5 = 0.58; a 7h56m day prints 7.93 h x $23.00 x 1 = $182.39
    (7.93 x 23), never 182.47."""
    shifts = [
        shift("2026-11-02T08:00", "2026-11-02T16:01", state="CA", breaks=[("2026-11-02T12:00", "2026-11-02T12:00")]),
        shift("2026-11-03T08:00", "2026-11-03T15:56", state="CA"),
    ]
    text = explain_text(only_week(price(shifts, {"w1": worker(rate="23")}, ALL)))
    assert "0.02 h x    $23.00 x 1.5  =      $0.69" in text
    assert "7.93 h x    $23.00 x 1    =    $182.39" in text


def test_calc_lines_multiply_out_on_their_contract_fields() -> None:
    """contracts/calc.md: a line's hours (2 places) x rate (4 places) is its amount to the cent,
    half-up, but for the cent its week's rounding may carry (``carry``), and gross is the sum of
    the lines; 7h56m at $21.50 (29 CFR 778.110) is 7.93 h x 21.5000 = 170.50, never 170.57."""
    data = {
        "workers": {"w": {"rate": "21.50", "state": "TX"}},
        "shifts": [{"worker": "w", "start": "2026-11-03T08:00", "end": "2026-11-03T15:56"}],
    }
    (wk,) = calc(data, ALL)
    (line,) = wk["lines"]
    assert (line["hours"], line["rate"], line["amount"], line["carry"]) == ("7.93", "21.5000", "170.50", "0.00")
    assert wk["gross_pay"] == "170.50"


def test_rates_print_to_two_places_when_whole_cents_else_four() -> None:
    """Issue 12: one rule for every printed rate: $20.25, $30.3750 (20.25 x 1.5), $22.1818."""
    assert [rate_text(D(r), "$") for r in ("20.25", "30.375", "22.181818", "20")] == [
        "$20.25",
        "$30.3750",
        "$22.1818",
        "$20.00",
    ]


# --- the meal premium at the week boundary -----------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"), [("2026-11-06T21:00", "2026-11-07T03:00"), ("2026-11-07T21:00", "2026-11-08T03:00")]
)
def test_overnight_shift_without_a_meal_owes_its_premium_across_the_week_boundary(start: str, end: str) -> None:
    """Cal. Lab. Code 512(a), 226.7(c): a 6-hour work period with no meal period owes one hour at
    the regular rate, Fri 21:00 - Sat 03:00 as Sat 21:00 - Sun 03:00 (the workweek begins Sunday
    00:00): the work period is judged whole, in the week of the workday it began on."""
    result = price([shift(start, end, state="CA")], {"w1": worker()}, ALL)
    first = result.weeks()[0]
    assert first.premium_hours == 1
    assert amounts(first, "PREMIUM") == D("20.00")
    assert sum(w.premium_hours for w in result.weeks()) == 1


# --- rest periods that can be owed ---------------------------------------------------------


def _rest_book(evidence: tuple[str, ...]) -> RuleBook:
    from dataclasses import replace

    assert CA_SET.rest is not None
    return book(replace(CA_SET, rest=replace(CA_SET.rest, evidence=evidence, break_types=("REST",))))


@pytest.mark.parametrize(("answer", "owed"), [("rest-missed", 1), ("rest-taken", 0), (None, 0)])
def test_rest_premium_on_the_workers_attestation(answer: str | None, owed: int) -> None:
    """Cal. Lab. Code 226.7(c), IWC orders section 12: a missed rest period owes one hour at the
    regular rate; the worker's answer at clock-out is the evidence (rest periods need not be
    recorded, IWC orders section 7(A)(3))."""
    from dataclasses import replace

    s = replace(shift("2026-11-03T08:00", "2026-11-03T12:00", state="CA"), rest_attestation=answer)
    week = only_week(price([s], {"w1": worker()}, _rest_book(("attestation",))))
    assert week.premium_hours == owed
    assert amounts(week, "PREMIUM") == D(20 * owed)
    if owed:
        assert any("rest premium" in n and "attested" in n for n in week.notes)


def test_rest_premium_on_punched_rest_breaks() -> None:
    """IWC orders section 12(A); Brinker Restaurant Corp. v. Superior Court (2012) 53 Cal.4th 1004,
    1029: 20 minutes of rest for a work period of more than 6 up to 10 hours. An 8-hour shift with
    one REST break punched owes the premium; with two, none; the worker's answer, when recorded,
    decides."""
    from dataclasses import replace

    from ot.core.domain import BreakSegment
    from ot.core.timez import parse_local

    tz = "America/Los_Angeles"

    def rest(a: str, b: str) -> BreakSegment:
        return BreakSegment(parse_local(a, tz), parse_local(b, tz), "REST", True)

    base = shift("2026-11-03T08:00", "2026-11-03T16:30", state="CA", breaks=[("2026-11-03T12:00", "2026-11-03T12:30")])
    one = replace(base, breaks=(*base.breaks, rest("2026-11-03T10:00", "2026-11-03T10:10")))
    two = replace(one, breaks=(*one.breaks, rest("2026-11-03T14:00", "2026-11-03T14:10")))
    rules = _rest_book(("attestation", "breaks"))
    assert only_week(price([one], {"w1": worker()}, rules)).premium_hours == 1
    assert only_week(price([two], {"w1": worker()}, rules)).premium_hours == 0
    taken = replace(one, rest_attestation="rest-taken")
    assert only_week(price([taken], {"w1": worker()}, rules)).premium_hours == 0


def test_rest_attestation_in_calc_and_on_the_line(example: RuleBook) -> None:
    """Cal. Lab. Code 226.7(c) with the shipped rules: calc's rest_attestation: "rest-missed" owes
    one hour at the regular rate, a PREMIUM line naming the rest rule."""
    data = {
        "workers": {"w": {"rate": "20.00", "state": "CA"}},
        "shifts": [
            {
                "worker": "w",
                "start": "2026-11-03T08:00",
                "end": "2026-11-03T12:00",
                "rest_attestation": "rest-missed",
            }
        ],
    }
    (wk,) = calc(data, example)
    prem = [ln for ln in wk["lines"] if ln["class"] == "PREMIUM"]
    assert [(ln["hours"], ln["amount"]) for ln in prem] == [("1.00", "20.00")]
    assert prem[0]["rule"].startswith("rest period")


# --- the minimum-wage floor -------------------------------------------------------------------


def test_a_five_dollar_california_shift_is_made_up_to_the_minimum_wage(example: RuleBook) -> None:
    """Cal. Lab. Code 1182.12 ($16.90 in 2026), measured for each hour (Armenta v. Osmose, Inc. (2005)
    135 Cal.App.4th 314): 8 h at $5 gets a make-up of 8 x $11.90 = $95.20; gross $135.20."""
    data = {
        "workers": {"w": {"rate": "5.00", "state": "CA"}},
        "shifts": [{"worker": "w", "date": "2026-11-03", "hours": "8"}],
    }
    (wk,) = calc(data, example)
    makeup = [ln for ln in wk["lines"] if ln["class"] == "MW_MAKEUP"]
    assert [(ln["hours"], ln["rate"], ln["amount"]) for ln in makeup] == [("8.00", "11.9000", "95.20")]
    assert (wk["gross_pay"], wk["regular_rate"]) == ("135.20", "16.9000")


def test_california_measures_every_hour_texas_the_workweek(example: RuleBook) -> None:
    """Armenta v. Osmose (Cal.: no averaging) against 29 CFR 776.5 (FLSA: the workweek): 10 h at $10
    and 10 h at $30 in one week average $20. In Texas nothing is owed; in California the $10 hours
    are made up to $16.90 (10 x $6.90 = $69.00)."""
    for state, owed in (("TX", "0"), ("CA", "69.00")):
        data = {
            "workers": {"w": {"state": state}},
            "shifts": [
                {"worker": "w", "date": "2026-11-03", "hours": "10", "rate": "10.00"},
                {"worker": "w", "date": "2026-11-04", "hours": "10", "rate": "30.00"},
            ],
        }
        (wk,) = calc(data, example)
        got = sum(D(ln["amount"]) for ln in wk["lines"] if ln["class"] == "MW_MAKEUP")
        assert got == D(owed), state


def test_federal_minimum_is_measured_over_the_workweek(example: RuleBook) -> None:
    """29 U.S.C. 206(a)(1)(C), 29 CFR 776.5: 40 h at $5 in Texas owe 40 x $7.25 = $290.00; the make-up
    of $90.00 is one pay group over every hour worked (40.00 h x $2.2500), and the regular rate is
    $7.25, so 5 more hours are overtime at 1.5 x $7.25 (29 CFR 778.5, 778.107)."""
    data = {
        "workers": {"w": {"rate": "5.00", "state": "TX"}},
        "shifts": [{"worker": "w", "date": f"2026-11-0{d}", "hours": "9"} for d in range(2, 7)],
    }
    (wk,) = calc(data, example)
    group = next(g for g in wk["groups"] if g["class"] == "MW_MAKEUP")
    assert (group["hours"], group["rate"], group["amount"]) == ("45.00", "2.2500", "101.25")
    assert wk["regular_rate"] == "7.2500"
    # 45 x 7.25 straight time + 5 x 0.5 x 7.25 overtime premium = 326.25 + 18.125
    assert wk["gross_pay"] == "344.38"


def test_a_city_minimum_wage_is_the_floor_where_it_is_higher(example: RuleBook) -> None:
    """Denver Revised Municipal Code 58-16 ($18.81 in 2025) over Colorado's $14.81 (2025 PAY CALC
    Order): 8 h at $15 in Denver owe 8 x $3.81 = $30.48; the same shift in Aurora owes nothing."""
    for city, owed in (("Denver", "30.48"), ("Aurora", "0")):
        data = {
            "workers": {"w": {"rate": "15.00", "state": "CO", "city": city}},
            "shifts": [{"worker": "w", "date": "2025-03-04", "hours": "8"}],
        }
        (wk,) = calc(data, example)
        made_up = [ln for ln in wk["lines"] if ln["class"] == "MW_MAKEUP"]
        assert sum((D(ln["amount"]) for ln in made_up), D(0)) == D(owed), city
        if made_up:
            assert made_up[0]["jurisdiction"] == "Denver, CO"


def test_independent_contractors_are_owed_no_make_up(example: RuleBook) -> None:
    """29 U.S.C. 203(e)(1): the minimum wage is owed to employees; a 1099 contractor is not one."""
    data = {
        "workers": {"w": {"rate": "5.00", "state": "CA", "type": "1099"}},
        "shifts": [{"worker": "w", "date": "2026-11-03", "hours": "8"}],
    }
    (wk,) = calc(data, example)
    assert [ln["class"] for ln in wk["lines"]] == ["REG"]
    assert wk["gross_pay"] == "40.00"


# --- Nevada's 24-hour periods ---------------------------------------------------------------

ASCENTIS = [
    ("2026-11-02", "08:00", "16:00"),
    ("2026-11-03", "07:30", "15:30"),
    ("2026-11-04", "07:00", "15:00"),
    ("2026-11-05", "08:00", "16:00"),
]


def _nv(spec: list[tuple[str, str, str]], rules: RuleBook) -> WeekResult:
    shifts = [shift(f"{d}T{a}", f"{d}T{b}", state="NV") for d, a, b in spec]
    return only_week(price(shifts, {"w1": worker(rate="15")}, rules))


def test_nevada_period_begins_with_each_days_first_start_even_inside_an_open_one() -> None:
    """NRS 608.0126 ("workday": 24 consecutive hours from when the employee begins work) and
    NRS 608.018(1)(b), as the published worked example reads them (Ascentis, "Nevada's 24 Hour
    Overtime Rule"): 8:00-16:00, then 7:30-15:30, then 7:00-15:00: half an hour of OT on Tuesday
    (inside Monday's period) and half an hour on Wednesday (inside Tuesday's, which began while
    Monday's was open)."""
    week = _nv(ASCENTIS, ALL)
    ot = {str(ln.date): ln.hours for ln in week.lines if ln.hour_class == "OT"}
    assert ot == {"2026-11-03": D("0.50"), "2026-11-04": D("0.50")}


def test_nevada_periods_without_overlap_are_the_other_reading() -> None:
    """The same week under "24-hour period without overlap": a period never begins inside an open
    one, so Tuesday's 7:30 start begins none; the next begins at Monday's period end (Tue 8:00,
    work going on): Tue 8:00-15:30 and Wed 7:00-8:00 are 8.5 h in it, so Wednesday 7:30-8:00 is OT."""
    from dataclasses import replace

    chained = tuple(replace(t, kind="rolling24_chained") if t.kind == "rolling24" else t for t in NV_SET.thresholds)
    week = _nv(ASCENTIS, book(replace(NV_SET, thresholds=chained)))
    ot = {str(ln.date): ln.hours for ln in week.lines if ln.hour_class == "OT"}
    assert ot == {"2026-11-03": D("0.50"), "2026-11-04": D("0.50")}
    assert [p.start.strftime("%a %H:%M") for p in week.pieces if p.hour_class == "OT"] == ["Tue 07:30", "Wed 07:30"]


def test_nevada_return_from_lunch_begins_no_period() -> None:
    """NRS 608.0126: a workday begins when the employee begins work; clocking back in after a meal
    is no new beginning (Labor Commissioner 2016 bulletin, as quoted by payroll vendors: the
    period runs "from the true shift start time or the first clock in of the day"). Mon 8-12 and
    12:30-16:30 as two shifts, Tue 8-16: no overtime (a period from 12:30 would hold 8.5 h)."""
    spec = [("2026-11-02", "08:00", "12:00"), ("2026-11-02", "12:30", "16:30"), ("2026-11-03", "08:00", "16:00")]
    week = _nv(spec, ALL)
    assert week.overtime_hours == 0


# --- rules history ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "day", "wage"),
    [
        ("CO", "2024-06-04", "14.42"),  # 2024 PAY CALC Order (7 CCR 1103-14)
        ("CO", "2022-03-01", "12.56"),  # 2022 PAY CALC Order
        ("NV", "2024-06-04", "11.25"),  # NRS 608.250, July 2023 - June 2024
        ("CA", "2022-03-01", "15.00"),  # Lab. Code 1182.12(b)(1)
        ("AK", "2022-03-01", "10.34"),  # AS 23.10.065(a)
    ],
)
def test_a_week_of_2022_or_2024_is_priced_with_the_minimum_wage_of_its_time(
    example: RuleBook, state: str, day: str, wage: str
) -> None:
    """29 U.S.C. 255(a): back pay reaches two years, three if willful: a Colorado week of June 2024
    (once refused: "no CO rules are in force") is priced, and 8 h at $1 are made up to the minimum
    wage of that date, measured per workweek or per hour as the state's law says."""
    data = {
        "workers": {"w": {"rate": "1.00", "state": state}},
        "shifts": [{"worker": "w", "date": day, "hours": "8"}],
    }
    (wk,) = calc(data, example)
    assert wk["regular_rate"] == f"{D(wage):.4f}"
    assert D(wk["gross_pay"]) == 8 * D(wage)


def test_week_is_refused_only_before_2022(example: RuleBook) -> None:
    """Rules begin on 2022-01-01 for every shipped state: a Colorado week of 2021 is refused and says why."""
    from ot.core.errors import OtError

    data = {
        "workers": {"w": {"rate": "20", "state": "CO"}},
        "shifts": [{"worker": "w", "date": "2021-06-01", "hours": "8"}],
    }
    with pytest.raises(OtError) as exc:
        calc(data, example)
    assert "no CO rules are in force on 2021-06-01" in str(exc.value.problems)


def test_line_json_is_what_the_stub_and_explain_read() -> None:
    """The rate calc prints is the rate the amount is computed from (rate x multiplier to 4 places)."""
    week = only_week(
        price([shift("2026-11-02T08:00", "2026-11-02T19:00", state="CA")], {"w1": worker("w1", "20.25")}, ALL)
    )
    ot = next(ln for ln in week.lines if ln.hour_class == "OT")
    assert line_json(ot)["rate"] == "30.3750"
    assert ot.per_hour * ot.hours == D("91.125")
    assert ot.amount == D("91.13")
    assert date(2026, 11, 2) == ot.date
