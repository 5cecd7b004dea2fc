"""Golden results from published worked examples; each test cites its source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ot.core.domain import Earning, Shift
from rules.engine import price
from rules.model import FEDERAL

from .books import ALL
from .helpers import amounts, hours, line_hours, only_week, shift, worker

D = Decimal


def _days(state: str, spec: list[tuple[str, str, str]], rate: str | None = None) -> list[Shift]:
    return [shift(f"{d}T{a}", f"{d}T{b}", state=state, rate=rate) for d, a, b in spec]


# Week of Sunday 2026-11-01 (TX: federal rules only). Mon 2 .. Sat 7.
SIX_DAYS_46H = [
    ("2026-11-02", "08:00", "16:00"),
    ("2026-11-03", "08:00", "16:00"),
    ("2026-11-04", "08:00", "16:00"),
    ("2026-11-05", "08:00", "16:00"),
    ("2026-11-06", "08:00", "16:00"),
    ("2026-11-07", "08:00", "14:00"),
]


def test_778_110_a_hourly_rate_46_hours() -> None:
    """29 CFR 778.110(a): $12 an hour, 46 hours: 40 x $12 + 6 x $18 = $588."""
    week = only_week(price(_days("TX", SIX_DAYS_46H), {"w1": worker(rate="12")}, ALL))
    assert week.regular_hours == 40
    assert week.overtime_hours == 6
    assert week.regular_rate == 12
    assert amounts(week, "REG") == D("480.00")
    assert amounts(week, "OT") == D("108.00")
    assert week.gross == D("588.00")
    ot = [ln for ln in week.lines if ln.hour_class == "OT"]
    assert [(ln.jurisdiction, ln.rule, ln.multiplier) for ln in ot] == [(FEDERAL, "weekly over 40h", D("1.5"))]


def test_778_110_b_bonus_raises_the_regular_rate() -> None:
    """29 CFR 778.110(b): $12 an hour, 46 hours and a $46 production bonus:
    ($552 + $46) / 46 = $13 regular rate; 6 x $6.50 overtime premium; total $637."""
    bonus = [Earning("w1", date(2026, 11, 4), D("46.00"), "bonus")]
    week = only_week(price(_days("TX", SIX_DAYS_46H), {"w1": worker(rate="12")}, ALL, earnings=bonus))
    assert week.regular_rate == 13
    assert week.gross == D("637.00")
    assert amounts(week, "BONUS") == D("46.00")
    assert amounts(week, "RR_ADJ") == D("3.00")  # 6 h x 0.5 x ($13 - $12)


def test_778_115_two_rates_weighted_average() -> None:
    """29 CFR 778.115 (two or more rates in one workweek): the regular rate is the
    weighted average. 40 h at $12 then 10 h at $15: ($480 + $150) / 50 = $12.60;
    overtime premium 10 x 0.5 x $12.60 = $63; total $693."""
    spec = [(f"2026-11-0{d}", "08:00", "16:00") for d in range(2, 7)]
    shifts = _days("TX", spec, rate="12") + _days("TX", [("2026-11-07", "08:00", "18:00")], rate="15")
    week = only_week(price(shifts, {"w1": worker(rate="12")}, ALL))
    assert week.regular_rate == D("12.6")
    assert week.overtime_hours == 10
    assert week.gross == D("693.00")
    assert amounts(week, "RR_ADJ") == D("-12.00")  # 10 x 0.5 x (12.60 - 15.00)
    arith = week.arithmetic
    assert arith.straight_time == ((D(12), D(40), D(480)), (D(15), D(10), D(150)))


def test_778_111_piece_rate_with_waiting_time() -> None:
    """29 CFR 778.111(a): $491 piece-rate pay for 46 productive hours plus 4 hours of
    waiting time at $8: $523 / 50 h = $10.46; 10 overtime hours x $5.23 = $52.30;
    total $575.30."""
    spec = [(f"2026-11-0{d}", "06:00", "16:00") for d in range(2, 6)]  # 4 x 10 h at the piece (rate 0)
    shifts = _days("TX", spec, rate="0")
    shifts += _days("TX", [("2026-11-06", "06:00", "12:00")], rate="0")  # 6 h more piece work: 46 h
    shifts += _days("TX", [("2026-11-06", "12:00", "16:00")], rate="8")  # 4 h waiting time at $8
    piece = [Earning("w1", date(2026, 11, 6), D("491.00"), "piece")]
    week = only_week(price(shifts, {"w1": worker(rate="8")}, ALL, earnings=piece))
    assert week.regular_rate == D("10.46")
    assert week.gross == D("575.30")


def test_california_daily_ot_is_not_counted_again_weekly() -> None:
    """Cal. Lab. Code 510(a) and the DIR overtime FAQ (no pyramiding): Mon 12 h,
    Tue-Fri 8 h = 44 h: 4 h of daily overtime on Monday and no weekly overtime."""
    spec = [("2026-11-02", "06:00", "18:00")] + [(f"2026-11-0{d}", "08:00", "16:00") for d in range(3, 7)]
    week = only_week(price(_days("CA", spec), {"w1": worker(rate="20")}, ALL))
    assert week.overtime_hours == 4
    assert week.doubletime_hours == 0
    assert week.regular_hours == 40
    ot = [ln for ln in week.lines if ln.hour_class == "OT"]
    assert [(str(ln.date), ln.jurisdiction, ln.rule) for ln in ot] == [("2026-11-02", "CA", "daily over 8h")]
    assert week.gross == 40 * 20 + 4 * 30 + 5 * 20  # and five meal premiums (no meal breaks)


def test_california_daily_double_time() -> None:
    """Cal. Lab. Code 510(a), DIR overtime FAQ: over 8 h in a workday at 1.5x, over
    12 h at 2x: a 14-hour day is 8 REG, 4 OT, 2 DT."""
    week = only_week(price(_days("CA", [("2026-11-02", "06:00", "20:00")]), {"w1": worker(rate="20")}, ALL))
    assert (week.regular_hours, week.overtime_hours, week.doubletime_hours) == (8, 4, 2)
    assert week.gross == 8 * 20 + 4 * 30 + 2 * 40 + 20  # and one meal premium
    dt = next(ln for ln in week.lines if ln.hour_class == "DT")
    assert dt.rule == "daily over 12h"


def test_california_seventh_day() -> None:
    """Cal. Lab. Code 510(a), DIR overtime FAQ: the seventh consecutive day of work in
    a workweek: the first 8 hours at 1.5x, beyond 8 at 2x. Six 6-hour days then a
    10-hour Saturday: 36 REG, 8 OT, 2 DT."""
    spec = [(f"2026-11-0{d}", "08:00", "14:00") for d in range(1, 7)] + [("2026-11-07", "08:00", "18:00")]
    week = only_week(price(_days("CA", spec), {"w1": worker(rate="20")}, ALL))
    assert (week.regular_hours, week.overtime_hours, week.doubletime_hours) == (36, 8, 2)
    rules = {(ln.hour_class, ln.rule) for ln in week.lines if ln.hour_class in ("OT", "DT")}
    assert rules == {("OT", "seventh day"), ("DT", "seventh day over 8h")}


def test_california_meal_premium_missed_and_taken() -> None:
    """Cal. Lab. Code 512(a) and 226.7: a work period over 5 hours needs a 30-minute
    meal period starting by the end of the fifth hour; otherwise one hour of pay at
    the regular rate. An 8.5-hour day with no meal owes 1 premium hour; with a meal
    at 12:00-12:30 none; with a meal starting at 13:30 (after 5.5 h) one."""
    ws = {"w1": worker(rate="20")}
    none = only_week(price([shift("2026-11-02T08:00", "2026-11-02T16:30", state="CA")], ws, ALL))
    assert none.premium_hours == 1
    prem = next(ln for ln in none.lines if ln.hour_class == "PREMIUM")
    assert (prem.amount, prem.jurisdiction, prem.rule) == (D("20.00"), "CA", "meal period (Lab. Code 512)")
    taken = only_week(
        price(
            [
                shift(
                    "2026-11-02T08:00",
                    "2026-11-02T16:30",
                    state="CA",
                    breaks=[("2026-11-02T12:00", "2026-11-02T12:30")],
                )
            ],
            ws,
            ALL,
        )
    )
    assert taken.premium_hours == 0
    assert taken.hours_worked == 8
    late = only_week(
        price(
            [
                shift(
                    "2026-11-02T08:00",
                    "2026-11-02T17:00",
                    state="CA",
                    breaks=[("2026-11-02T13:30", "2026-11-02T14:00")],
                )
            ],
            ws,
            ALL,
        )
    )
    assert late.premium_hours == 1


def test_california_meal_waiver_and_five_hours() -> None:
    """Cal. Lab. Code 512(a): no meal period is required for 5 hours or less; one for
    a work period of up to 6 hours may be waived by mutual consent."""
    ws = {"w1": worker(rate="20")}
    five = only_week(price([shift("2026-11-02T08:00", "2026-11-02T13:00", state="CA")], ws, ALL))
    assert five.premium_hours == 0
    six_waived = only_week(
        price([shift("2026-11-02T08:00", "2026-11-02T14:00", state="CA", meal_waiver=True)], ws, ALL)
    )
    assert six_waived.premium_hours == 0
    six = only_week(price([shift("2026-11-02T08:00", "2026-11-02T14:00", state="CA")], ws, ALL))
    assert six.premium_hours == 1
    seven_waived = only_week(
        price([shift("2026-11-02T08:00", "2026-11-02T15:00", state="CA", meal_waiver=True)], ws, ALL)
    )
    assert seven_waived.premium_hours == 1  # over 6 hours: the first meal cannot be waived


def test_california_second_meal_and_one_premium_per_day() -> None:
    """Cal. Lab. Code 512(a): over 10 hours a second meal period is due; Lab. Code
    226.7 and the IWC orders pay at most one meal premium per workday."""
    ws = {"w1": worker(rate="20")}
    one_meal = shift(
        "2026-11-02T06:00", "2026-11-02T18:30", state="CA", breaks=[("2026-11-02T10:00", "2026-11-02T10:30")]
    )
    week = only_week(price([one_meal], ws, ALL))
    assert week.premium_hours == 1
    no_meal = shift("2026-11-02T06:00", "2026-11-02T18:00", state="CA")
    assert only_week(price([no_meal], ws, ALL)).premium_hours == 1


def test_rest_premium_when_recorded_missed() -> None:
    """IWC wage orders section 12 and Cal. Lab. Code 226.7: a missed rest period owes
    one hour at the regular rate (recorded as the shift exception ``rest_missed``)."""
    ws = {"w1": worker(rate="20")}
    s = shift("2026-11-02T08:00", "2026-11-02T12:00", state="CA", exceptions=("rest_missed",))
    week = only_week(price([s], ws, ALL))
    assert week.premium_hours == 1
    assert [ln.rule for ln in week.lines if ln.hour_class == "PREMIUM"] == ["rest period (IWC order 12)"]


def test_a_meal_and_a_rest_premium_on_one_day_are_two_lines_marked_apart() -> None:
    """Cal. Lab. Code 226.7(c) and the IWC orders' sections 11 and 12: one additional hour for
    a missed meal period and one for a missed rest period, on the same workday (two premiums;
    UPS v. Superior Court (2011) 196 Cal.App.4th 57). Payroll systems code them apart, so each
    line says which (``premium``)."""
    ws = {"w1": worker(rate="20")}
    s = shift("2026-11-02T06:00", "2026-11-02T18:00", state="CA", exceptions=("rest_missed",))
    week = only_week(price([s], ws, ALL))
    premiums = sorted((ln.premium, ln.hours, ln.amount) for ln in week.lines if ln.hour_class == "PREMIUM")
    assert premiums == [("meal", D("1.00"), D("20.00")), ("rest", D("1.00"), D("20.00"))]
    assert all(ln.premium == "" for ln in week.lines if ln.hour_class != "PREMIUM")


def test_alaska_daily_over_8() -> None:
    """AS 23.10.060(b): overtime at 1.5x for hours over 8 in a day."""
    week = only_week(price(_days("AK", [("2026-11-02", "06:00", "16:00")]), {"w1": worker()}, ALL))
    assert (week.regular_hours, week.overtime_hours) == (8, 2)
    assert next(ln for ln in week.lines if ln.hour_class == "OT").jurisdiction == "AK"


def test_colorado_twelve_consecutive_hours_across_midnight() -> None:
    """Colorado COMPS Order Rule 4.1.1: overtime for hours over 12 consecutive hours
    without regard to the start and end of the workday: 18:00-08:00 is 14
    consecutive hours (6 on one workday, 8 on the next): 2 OT."""
    week = only_week(price([shift("2026-11-02T18:00", "2026-11-03T08:00", state="CO")], {"w1": worker()}, ALL))
    assert (week.regular_hours, week.overtime_hours) == (12, 2)
    ot = [ln for ln in week.lines if ln.hour_class == "OT"]
    assert [(str(ln.date), ln.rule) for ln in ot] == [("2026-11-03", "over 12 consecutive hours")]


def test_nevada_rate_below_and_above_one_and_a_half_minimum_wage() -> None:
    """NRS 608.018(1)-(2): over 8 hours in any 24-hour period (NAC 608.126: from the
    start of work) at 1.5x, only for a rate under 1.5x the minimum wage ($12 here,
    so under $18). Mon 08:00-16:00, Tue 06:00-14:00: 2 OT at $16, none at $20."""
    spec = [("2026-11-02", "08:00", "16:00"), ("2026-11-03", "06:00", "14:00")]
    low = only_week(price(_days("NV", spec), {"w1": worker(rate="16")}, ALL))
    assert low.overtime_hours == 2
    ot = next(ln for ln in low.lines if ln.hour_class == "OT")
    assert (str(ot.date), ot.jurisdiction) == ("2026-11-03", "NV")
    high = only_week(price(_days("NV", spec), {"w1": worker(rate="20")}, ALL))
    assert high.overtime_hours == 0


def test_kentucky_seventh_day() -> None:
    """KRS 337.050(1): time and a half for all time worked on the seventh day of a
    workweek in which seven days are worked: 7 x 6 h = 42 h: Saturday's 6 h are OT
    (the FLSA's 2 h over 40 are among them: each hour is paid once)."""
    spec = [(f"2026-11-0{d}", "08:00", "14:00") for d in range(1, 8)]
    week = only_week(price(_days("KY", spec), {"w1": worker()}, ALL))
    assert (week.regular_hours, week.overtime_hours) == (36, 6)
    assert {str(ln.date) for ln in week.lines if ln.hour_class == "OT"} == {"2026-11-07"}
    assert {ln.rule for ln in week.lines if ln.hour_class == "OT"} == {"seventh day"}


def test_kentucky_seventh_day_needs_a_week_over_40_hours() -> None:
    """KRS 337.050(2)(a): subsection (1) "shall not apply in any case in which the employee is not
    permitted to work more than forty (40) hours during the workweek": 7 x 5 h = 35 h, no OT."""
    spec = [(f"2026-11-0{d}", "08:00", "13:00") for d in range(1, 8)]
    week = only_week(price(_days("KY", spec), {"w1": worker()}, ALL))
    assert (week.regular_hours, week.overtime_hours) == (35, 0)
    assert week.gross == D("700.00")


def test_minnesota_48_loses_to_federal_40() -> None:
    """Minn. Stat. 177.25 (over 48) vs 29 USC 207 (over 40): every hour is judged under
    both and the most favourable wins: 50 h gives 10 OT, the first 8 by the FLSA
    (Minnesota's verdict REG kept as the loser)."""
    spec = [(f"2026-11-0{d}", "07:00", "17:00") for d in range(2, 7)]
    week = only_week(price(_days("MN", spec), {"w1": worker()}, ALL))
    assert week.overtime_hours == 10
    fed = [p for p in week.pieces if p.hour_class == "OT" and p.winner.jurisdiction == FEDERAL]
    assert sum(p.minutes for p in fed) == 8 * 60
    assert all(any(loser.jurisdiction == "MN" and loser.hour_class == "REG" for loser in p.losers) for p in fed)
    mn = [p for p in week.pieces if p.hour_class == "OT" and p.winner.jurisdiction == "MN"]
    assert sum(p.minutes for p in mn) == 2 * 60


def test_kansas_46_loses_to_federal_40() -> None:
    """K.S.A. 44-1204 (over 46) vs 29 USC 207 (over 40): 45 h in Kansas gives 5 OT under the FLSA."""
    spec = [(f"2026-11-0{d}", "08:00", "17:00") for d in range(2, 7)]
    week = only_week(price(_days("KS", spec), {"w1": worker()}, ALL))
    assert week.overtime_hours == 5
    assert {ln.jurisdiction for ln in week.lines if ln.hour_class == "OT"} == {FEDERAL}


def test_dst_fall_back_night_is_nine_hours() -> None:
    """DOL hours-worked advisor / 29 CFR 785 (pay for hours actually worked): a
    22:00-06:00 shift on the night clocks fall back (2026-11-01) is 9 hours."""
    s = shift("2026-10-31T22:00", "2026-11-01T06:00", state="TX")
    result = price([s], {"w1": worker()}, ALL)
    total = sum(w.hours_worked for w in result.weeks())
    assert total == 9


def test_dst_spring_forward_night_is_seven_hours() -> None:
    """DOL hours-worked advisor: a 22:00-06:00 shift on the night clocks spring
    forward (2026-03-08) is 7 hours actually worked."""
    s = shift("2026-03-07T22:00", "2026-03-08T06:00", state="TX")
    total = sum(w.hours_worked for w in price([s], {"w1": worker()}, ALL).weeks())
    assert total == 7


def test_shift_across_workweek_boundary_splits() -> None:
    """29 CFR 778.104-778.105 (each workweek stands alone): a Saturday 20:00 -
    Sunday 04:00 shift with a Sunday 00:00 workweek puts 4 h in each week."""
    s = shift("2026-11-07T20:00", "2026-11-08T04:00")
    weeks = price([s], {"w1": worker()}, ALL).weeks()
    assert [(str(w.week_start), w.hours_worked) for w in weeks] == [("2026-11-01", 4), ("2026-11-08", 4)]


def test_1099_workers_get_straight_time_only() -> None:
    """29 USC 203(e) (only employees are covered): a 1099 contractor's 50 hours in
    California are paid at straight time, with no premiums."""
    spec = [(f"2026-11-0{d}", "07:00", "17:00") for d in range(2, 7)]
    week = only_week(price(_days("CA", spec), {"w1": worker(rate="30", kind="1099")}, ALL))
    assert (week.regular_hours, week.overtime_hours, week.premium_hours) == (50, 0, 0)
    assert week.gross == 50 * 30


def test_pto_is_paid_but_never_counts_toward_overtime() -> None:
    """29 CFR 778.218-778.219 and 778.320: paid leave and holiday hours are not hours
    worked: 40 h worked + 8 h PTO at $20 = no overtime, $960."""
    spec = [(f"2026-11-0{d}", "08:00", "16:00") for d in range(2, 7)]
    shifts = [*_days("TX", spec), hours("2026-11-07", "8", pay_type="PTO")]
    week = only_week(price(shifts, {"w1": worker()}, ALL))
    assert (week.regular_hours, week.overtime_hours, week.not_worked_hours) == (40, 0, 8)
    assert line_hours(week, "PTO") == 8
    assert week.gross == D("960.00")
    assert week.arithmetic.hours_worked == 40


def test_short_unpaid_break_is_worked_meal_is_not() -> None:
    """29 CFR 785.18: rest breaks of up to about 20 minutes are hours worked even
    when recorded unpaid; 785.19: a meal period of 30 minutes or more is not."""
    ws = {"w1": worker()}
    short = shift("2026-11-02T08:00", "2026-11-02T16:00", breaks=[("2026-11-02T10:00", "2026-11-02T10:15")])
    assert only_week(price([short], ws, ALL)).hours_worked == 8
    meal = shift("2026-11-02T08:00", "2026-11-02T16:00", breaks=[("2026-11-02T12:00", "2026-11-02T12:30")])
    assert only_week(price([meal], ws, ALL)).hours_worked == D("7.5")
    paid = shift("2026-11-02T08:00", "2026-11-02T16:00", paid_breaks=[("2026-11-02T12:00", "2026-11-02T12:30")])
    assert only_week(price([paid], ws, ALL)).hours_worked == 8


def test_overnight_shift_is_one_work_period_for_meals() -> None:
    """Cal. Lab. Code 512(a) ("a work period of more than five hours"): a 20:00-04:30
    shift without a meal is one 8.5-hour work period (not 4 h + 4.5 h on two
    workdays) and owes one meal premium, dated on the day it began."""
    week = only_week(price([shift("2026-11-02T20:00", "2026-11-03T04:30", state="CA")], {"w1": worker()}, ALL))
    assert week.premium_hours == 1
    assert [str(ln.date) for ln in week.lines if ln.hour_class == "PREMIUM"] == ["2026-11-02"]
