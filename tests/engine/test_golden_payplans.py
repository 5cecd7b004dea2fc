"""Golden results for pay plans and earnings from the DOL's own worked examples (29 CFR part 778).

Each test cites the paragraph it pins; where a paragraph states a rule without numbers, the
example is derived from its text and says so.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from ot.core.domain import Earning, RateChange, Shift, Worker
from rules.engine import WeekResult, price
from rules.engine.explain import explain_json, explain_text
from rules.model import FEDERAL, MinimumWage, RuleBook

from .books import ALL, FEDERAL_SET, src
from .helpers import amounts, only_week, shift, worker

D = Decimal
SUNDAY = date(2026, 11, 1)  # TX: federal rules only

# The 1981 examples of 778.113 and 778.322 are below today's minimum wage: priced under the
# minimum wage of their day ($3.35 from 1981-01-01, 29 USC 206(a)(1) as amended in 1977).
BOOK_1981 = RuleBook(
    versions=(
        (
            FEDERAL,
            (
                dataclasses.replace(
                    FEDERAL_SET,
                    minimum_wages=(MinimumWage(FEDERAL_SET.effective, D("3.35"), src("29 USC 206 (1981)", 1)),),
                ),
            ),
        ),
    ),
    file="books.py",
)


def salaried(plan: str, salary: str, hours: str | None = None) -> Worker:
    """A worker paid a weekly salary under ``plan`` since 2000."""
    change = RateChange(date(2000, 1, 1), D(salary), plan, D(hours) if hours else None)
    return Worker("w1", "w1", "W2", (change,), "", None, "worker")


def week_of(hours_per_day: list[str], start: date = SUNDAY, rate: str | None = None) -> list[Shift]:
    """Shifts from Monday of the week beginning ``start``, each starting 06:00, of the given hours."""
    out = []
    for i, h in enumerate(hours_per_day):
        day = start + timedelta(days=1 + i)
        minutes = int(D(h) * 60)
        end = f"{6 + minutes // 60:02d}:{minutes % 60:02d}"
        out.append(shift(f"{day.isoformat()}T06:00", f"{day.isoformat()}T{end}", rate=rate))
    return out


def fww(hours_per_day: list[str], earnings: list[Earning] | None = None) -> WeekResult:
    return only_week(price(week_of(hours_per_day), {"w1": salaried("salary-fww", "600")}, ALL, earnings=earnings or []))


def test_778_114_b_fluctuating_workweek_four_weeks() -> None:
    """29 CFR 778.114(b): a $600 weekly salary for hours that fluctuate; weeks of 40, 37.5, 50
    and 48 hours give regular rates of $15, $16, $12 and $12.50, and pay of $600, $600, $660
    ($600 + 10 h x $6.00) and $650 ($600 + 8 h x $6.25)."""
    cases = [
        (["8"] * 5, D(15), D("600.00")),
        (["7.5"] * 5, D(16), D("600.00")),
        (["10"] * 5, D(12), D("660.00")),
        (["8"] * 6, D("12.5"), D("650.00")),
    ]
    for days, rate, gross in cases:
        week = fww(days)
        assert week.regular_rate == rate, days
        assert week.gross == gross, days
        assert amounts(week, "SALARY") == D("600.00")
        assert amounts(week, "REG") + amounts(week, "OT") == 0  # the salary pays the straight time
    week = fww(["10"] * 5)
    assert amounts(week, "RR_ADJ") == D("60.00")  # 10 h x 0.5 x $12
    assert week.arithmetic.plan.startswith("fluctuating workweek")


def test_778_114_a_5_bonus_counts_in_the_fluctuating_workweek() -> None:
    """29 CFR 778.114(a)(5) (the 2020 rule): the regular rate is the salary and any
    non-excludable additional pay, / the hours worked; overtime hours get half of it.
    Derived from the text with 778.114(b)'s $600 salary: a $100 nondiscretionary bonus in a
    50-hour week: ($600 + $100) / 50 = $14; 10 h x $7 = $70; total $770."""
    bonus = [Earning("w1", date(2026, 11, 4), D("100"), "bonus")]
    week = fww(["10"] * 5, bonus)
    assert week.regular_rate == 14
    assert amounts(week, "RR_ADJ") == D("70.00")
    assert week.gross == D("770.00")


def test_778_113_a_salary_for_a_fixed_35_hour_week() -> None:
    """29 CFR 778.113(a) (as published 1981): a salary of $182.70 for a regular workweek of
    35 hours is $5.22 an hour; $5.22 is owed for each of the first 40 hours and $7.83 for each
    hour after. 42 hours: $182.70 + 5 h x $5.22 + 2 h x $7.83 = $224.46."""
    w = {"w1": salaried("salary-fixed", "182.70", "35")}
    week = only_week(price(week_of(["7", "7", "7", "7", "7", "7"]), w, BOOK_1981))
    assert week.regular_rate == D("5.22")
    ot = [ln for ln in week.lines if ln.hour_class == "OT"]
    assert {ln.per_hour for ln in ot} == {D("7.83")}
    assert week.gross == D("224.46")


def test_778_113_a_forty_hour_salary() -> None:
    """29 CFR 778.113(a) (1981): a salary of $220.80 for a 40-hour week is $5.52 an hour."""
    w = {"w1": salaried("salary-fixed", "220.80", "40")}
    week = only_week(price(week_of(["8"] * 5), w, BOOK_1981))
    assert week.regular_rate == D("5.52")
    assert week.gross == D("220.80")


def test_778_322_fixed_week_reduced_to_35_hours() -> None:
    """29 CFR 778.322: a $200 salary for a fixed workweek of 35 hours is $5.71 an hour; a
    41-hour week is owed $200 + 5 h x $5.71 ($28.55) + 1 h x $8.57 = $237.12."""
    w = {"w1": salaried("salary-fixed", "200", "35")}
    week = only_week(price(week_of(["8", "8", "8", "8", "9"]), w, BOOK_1981))
    assert week.regular_rate == D("5.71")
    assert week.overtime_hours == 1
    assert amounts(week, "OT") == D("8.57")
    assert week.gross == D("237.12")


def test_778_322_short_week_still_pays_the_salary() -> None:
    """29 CFR 778.322 (derived): the $200 salary covers the 35-hour week: a 30-hour week
    pays the salary, and its regular rate stays $5.71 (the balance is not for hours worked)."""
    w = {"w1": salaried("salary-fixed", "200", "35")}
    week = only_week(price(week_of(["6"] * 5), w, BOOK_1981))
    assert week.gross == D("200.00")
    assert week.regular_rate == D("5.71")
    assert [x.cite for x in week.arithmetic.excluded] == ["29 CFR 778.113(a), 778.322"]


def test_778_118_weekly_commission() -> None:
    """29 CFR 778.118 (derived from its text): a commission paid weekly is added to the week's
    other earnings and divided by all hours worked; overtime hours get half that rate on top.
    $12 an hour, 45 hours, $90 commission: ($540 + $90) / 45 = $14; 5 h x $7 = $35 on top of
    $630; total $665."""
    commission = [Earning("w1", date(2026, 11, 6), D("90"), "commission")]
    week = only_week(price(week_of(["9"] * 5), {"w1": worker(rate="12")}, ALL, earnings=commission))
    assert week.regular_rate == 14
    assert week.gross == D("665.00")


def test_778_209_bonus_allocated_over_the_weeks_it_was_earned_in() -> None:
    """29 CFR 778.209(a)-(b) (derived): a $400 bonus earned over two workweeks of 50 and 30
    hours, paid in the second: $400 / 80 h = $5 an hour earned; the 10 overtime hours of the
    first week are owed 10 x 0.5 x $5 = $25 more, paid with the bonus. The bonus is left out
    of the regular rate of the week it is paid in."""
    shifts = week_of(["10"] * 5) + week_of(["6"] * 5, SUNDAY + timedelta(days=7))
    bonus = [Earning("w1", date(2026, 11, 13), D("400"), "bonus", date(2026, 11, 1), date(2026, 11, 14))]
    result = price(shifts, {"w1": worker(rate="10")}, ALL, earnings=bonus)
    first, second = result.weeks()
    assert first.gross == D("550.00")  # 40 x $10 + 10 x $15, unchanged
    assert second.regular_rate == 10
    assert amounts(second, "BONUS") == D("400.00")
    assert amounts(second, "BONUS_OT") == D("25.00")
    assert second.gross == D("300.00") + D("400.00") + D("25.00")
    assert any("778.209" in x.cite for x in second.arithmetic.excluded)
    assert any("$5.00 an hour" in n for n in second.notes)


def test_778_209_allocation_prices_the_weeks_it_needs_when_one_week_is_asked() -> None:
    """Only the pay week asked for: the earlier week of the period is priced as context."""
    shifts = week_of(["10"] * 5) + week_of(["6"] * 5, SUNDAY + timedelta(days=7))
    bonus = [Earning("w1", date(2026, 11, 13), D("400"), "bonus", date(2026, 11, 1), date(2026, 11, 14))]
    result = price(shifts, {"w1": worker(rate="10")}, ALL, earnings=bonus, only_weeks={date(2026, 11, 8)})
    (week,) = result.weeks()
    assert amounts(week, "BONUS_OT") == D("25.00")


def test_exclusions_are_paid_but_left_out_and_named() -> None:
    """29 CFR 778.211 (discretionary bonus), 778.212 (gift), 778.217 (expenses) and
    778.221-778.222 (call-back pay above the pay for hours worked) are paid and left out of the
    regular rate; on-call pay counts (778.223). $12 an hour, 45 hours, $45 on-call pay:
    ($540 + $45) / 45 = $13."""
    paid = [
        Earning("w1", date(2026, 11, 6), D("45"), "on-call"),
        Earning("w1", date(2026, 11, 6), D("100"), "discretionary-bonus"),
        Earning("w1", date(2026, 11, 6), D("25"), "gift"),
        Earning("w1", date(2026, 11, 6), D("30"), "expense"),
        Earning("w1", date(2026, 11, 6), D("12"), "callback"),
    ]
    week = only_week(price(week_of(["9"] * 5), {"w1": worker(rate="12")}, ALL, earnings=paid))
    assert week.regular_rate == 13
    assert week.gross == D("540") + D("45") + 5 * D("6.50") + D("167")
    cites = [x.cite for x in week.arithmetic.excluded]
    assert cites == ["29 CFR 778.211", "29 CFR 778.212", "29 CFR 778.217", "29 CFR 778.221-778.222"]
    text = explain_text(week)
    for cite in cites:
        assert cite in text
    assert "left out of the regular rate" in text
    js = explain_json(week)["regular_rate"]
    assert [x["source"] for x in js["excluded"]] == cites
    classes = {ln.hour_class for ln in week.lines}
    assert {"ONCALL", "DISC_BONUS", "GIFT", "EXPENSE", "CALLBACK"} <= classes


def test_piece_earning_shows_its_rate_basis() -> None:
    """A piece earning recorded as a count x a rate says so on its line (the stub shows it)."""
    piece = [Earning("w1", date(2026, 11, 6), D("491.00"), "piece", quantity=D("982"), unit_rate=D("0.50"))]
    week = only_week(price(week_of(["8"] * 5, rate="0"), {"w1": worker(rate="0")}, ALL, earnings=piece))
    (line,) = [ln for ln in week.lines if ln.hour_class == "PIECE"]
    assert "982 x $0.50" in line.rule
    assert "778.111" in line.rule


def test_paid_leave_is_named_as_left_out() -> None:
    """29 CFR 778.218-778.219: pay for vacation, holiday and sick time is not in the regular rate."""
    from .helpers import hours

    shifts = [*week_of(["8"] * 4), hours("2026-11-06", "8", pay_type="PTO")]
    week = only_week(price(shifts, {"w1": worker(rate="12")}, ALL))
    assert [(x.what, x.amount, x.cite) for x in week.arithmetic.excluded] == [
        ("PTO 8.00 h", D("96.00"), "29 CFR 778.218-778.219")
    ]


def test_785_18_a_short_break_recorded_unpaid_is_worked_and_flagged() -> None:
    """29 CFR 785.18: rest periods of short duration, from 5 to about 20 minutes, are counted as
    hours worked. An 8-hour shift with a 15-minute break recorded unpaid is 8 hours worked, and the
    week says why; a 30-minute meal period is not worked (785.19) and is not flagged."""
    rest = shift("2026-11-02T08:00", "2026-11-02T16:00", breaks=[("2026-11-02T10:00", "2026-11-02T10:15")])
    meal = shift("2026-11-03T08:00", "2026-11-03T16:30", breaks=[("2026-11-03T12:00", "2026-11-03T12:30")])
    week = only_week(price([rest, meal], {"w1": worker(rate="12")}, ALL))
    assert week.regular_hours == 16
    flagged = [n for n in week.notes if "785.18" in n]
    assert len(flagged) == 1
    assert "15 min recorded as unpaid are hours worked" in flagged[0]
    assert "785.18" in explain_text(week)


CALLBACK_BOOK = """version 1
employer {
  workweek starts monday 00:00
}
federal {
  rules from 1981-01-01 {
    minimum wage 3.35 from 1981-01-01
    weekly over 40h is OT x1.5
  }
}
policy "The agreement: time and one-half after 8 hours a day" {
  rules from 1981-01-01 {
    daily over 8h is OT x1.5
  }
}
"""


def test_778_221_b_call_back_pay_above_the_hours_worked_is_left_out() -> None:
    """Agency example, 29 CFR 778.221(b): $5 an hour, time and one-half after 8 a day (the agreement)
    or 40 a week; 9 hours on Monday, 8 on Tuesday through Friday, then called back on Friday evening
    for 2 hours, paid 3 hours at time and one-half ($22.50) under the call-back provision. The 43
    actual hours (not 44) are hours worked; $200 + $7.50 + $22.50 = $230 is paid; the $7.50 for the
    hour not worked is left out of the regular rate ($5) and is no overtime pay. Priced at the
    minimum wage of 1981 ($3.35), as BOOK_1981 above: the call-back excess is recorded as a
    ``callback`` earning of $7.50 (3 h x $7.50 paid, less the 2 h worked at $7.50)."""
    from rules.compiler import compile_text

    book = compile_text(CALLBACK_BOOK, "callback.ot")
    monday = date(2026, 11, 2)
    shifts = [shift("2026-11-02T06:00", "2026-11-02T15:00", rate="5")]
    for i in range(1, 5):
        day = (monday + timedelta(days=i)).isoformat()
        shifts.append(shift(f"{day}T06:00", f"{day}T14:00", rate="5", sid=f"w1:{day}"))
    shifts.append(shift("2026-11-06T20:00", "2026-11-06T22:00", rate="5", sid="w1:call"))
    excess = [Earning("w1", date(2026, 11, 6), D("7.50"), "callback")]
    week = only_week(price(shifts, {"w1": worker(rate="5")}, book, earnings=excess))
    assert sum(ln.hours for ln in week.lines if ln.hour_class in ("REG", "OT")) == 43
    assert amounts(week, "REG") == D("200.00")
    assert amounts(week, "OT") == D("22.50")  # 1 h Monday + 2 h on the call, at $7.50
    assert amounts(week, "CALLBACK") == D("7.50")
    assert week.regular_rate == 5
    assert week.gross == D("230.00")
    assert "29 CFR 778.221-778.222" in explain_text(week)


def test_a_bonus_allocated_over_two_weeks_raises_the_meal_premium_of_each() -> None:
    """Lab. Code 226.7(c) pays a missed meal period one hour at the regular rate of compensation, which
    is the regular rate of pay with every nondiscretionary payment in it (Ferra v. Loews Hollywood Hotel,
    LLC (2021) 11 Cal.5th 858). A $150 bonus earned over two workweeks of 7 and 8 hours (29 CFR
    778.209(a): $150 / 15 h = $10.00 an hour) raises each week's regular rate from $20.00 to $30.00, so
    each missed meal (one a week: 7 h and 8 h with no meal, CA) is owed 1.00 x $10.00 more, paid with the
    bonus: $30.00 a premium in all, as a bonus earned in one week is (found by a review: $20.00 each)."""
    shifts = [
        shift("2026-10-12T08:00", "2026-10-12T15:00", state="CA"),
        shift("2026-10-19T08:00", "2026-10-19T16:00", state="CA"),
    ]
    bonus = [Earning("w1", date(2026, 10, 23), D("150"), "bonus", date(2026, 10, 11), date(2026, 10, 24))]
    first, second = price(shifts, {"w1": worker(rate="20.00")}, ALL, earnings=bonus).weeks()
    assert amounts(first, "PREMIUM") == D("20.00")  # the week priced alone: 1.00 x $20.00
    shares = [ln for ln in second.lines if ln.hour_class == "PREMIUM" and ln.date == date(2026, 10, 23)]
    assert [(ln.hours, ln.rate, ln.amount, ln.premium) for ln in shares] == [
        (D("1.00"), D("10.00"), D("10.00"), "meal"),  # the first week's premium
        (D("1.00"), D("10.00"), D("10.00"), "meal"),  # the second's
    ]
    assert amounts(second, "PREMIUM") == D("20.00") + D("20.00")  # its own premium and the two shares
    assert first.gross + second.gross == D("300.00") + D("150.00") + 2 * D("30.00")  # 15 h x $20, bonus, premiums
