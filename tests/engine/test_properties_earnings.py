"""Hypothesis properties of earnings, pay plans and differentials (29 CFR 778.110-778.224).

- the regular rate with earnings that count is never below the hourly rate (778.110(b): they are
  added to the straight time before dividing by the hours worked);
- earnings left out (778.211-778.222) never change the regular rate;
- money multiplies out to the cent on every line with hours; gross is the sum of the lines and
  of the pay groups, with every kind of earning, plan and differential.
"""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ot.calcio import group_json, line_json
from ot.core.domain import EARNING_KINDS, Earning, RateChange, Shift, Worker
from ot.core.money import D
from rules.engine import price
from rules.engine.earnings import EARNING_CLASSES, INCLUDED
from rules.model import Differential

from .books import ALL, CA_SET, FEDERAL_SET, book, src
from .helpers import worker
from .test_properties import _multiplies_out, weeks

NIGHTS = book(
    CA_SET,
    federal=dataclasses.replace(
        FEDERAL_SET, differentials=(Differential(D("1.25"), time(22, 0), time(6, 0), src("policy", 1)),)
    ),
)
FIRST = date(2026, 10, 31)


@st.composite
def earnings(draw: st.DrawFn, kinds: tuple[str, ...] = EARNING_KINDS) -> list[Earning]:
    out = []
    for _ in range(draw(st.integers(0, 4))):
        day = FIRST + timedelta(days=draw(st.integers(0, 12)))
        kind = draw(st.sampled_from(kinds))
        amount = Decimal(draw(st.integers(0, 50_000))) / 100
        period = None
        if kind in ("bonus", "commission") and draw(st.booleans()):
            period = (day - timedelta(days=draw(st.integers(0, 13))), day)
        out.append(Earning("w1", day, amount, kind, *(period or (None, None))))
    return out


def plan_worker(plan: str) -> Worker:
    if plan == "hourly":
        return worker(rate="20.00")
    hours = D("35") if plan == "salary-fixed" else None
    return Worker("w1", "w1", "W2", (RateChange(date(2000, 1, 1), D("900"), plan, hours),), "", None, "worker")


def _hourly_only(shifts: list[Shift]) -> list[Shift]:
    return [dataclasses.replace(s, rate=None) for s in shifts if s.pay_type == "REGULAR"]


@settings(max_examples=60)
@given(weeks(["TX", "AK", "KY"]), earnings(tuple(INCLUDED)))
def test_earnings_that_count_never_lower_the_regular_rate(shifts: list[Shift], paid: list[Earning]) -> None:
    flat = [e for e in paid if e.period_start is None]
    for w in price(_hourly_only(shifts), {"w1": worker(rate="20.00")}, ALL, earnings=flat).weeks():
        if w.hours_worked > 0:
            assert w.regular_rate >= D("20.00")


@settings(max_examples=60)
@given(weeks(["TX", "CA"]), earnings(("gift", "expense", "callback", "discretionary-bonus")))
def test_excluded_earnings_never_change_the_regular_rate(shifts: list[Shift], paid: list[Earning]) -> None:
    workers = {"w1": worker(rate="20.00")}
    bare = {w.week_start: w for w in price(shifts, workers, ALL).weeks()}
    for w in price(shifts, workers, ALL, earnings=paid).weeks():
        if w.week_start in bare:
            assert w.regular_rate == bare[w.week_start].regular_rate
        assert sum((ln.amount for ln in w.lines if ln.hour_class in EARNING_CLASSES), Decimal(0)) == sum(
            (e.amount for e in paid if e.day >= w.week_start and e.day < w.week_start + timedelta(days=7)),
            Decimal(0),
        )


@settings(max_examples=80)
@given(weeks(["TX", "CA", "AK"]), earnings(), st.sampled_from(["hourly", "salary-fww", "salary-fixed"]))
def test_money_multiplies_out_and_adds_up_with_earnings_plans_and_differentials(
    shifts: list[Shift], paid: list[Earning], plan: str
) -> None:
    for w in price(shifts, {"w1": plan_worker(plan)}, NIGHTS, earnings=paid).weeks():
        assert sum((ln.amount for ln in w.lines), Decimal(0)) == w.gross
        assert sum((g.amount for g in w.groups), Decimal(0)) == w.gross
        for ln in w.lines:
            if ln.hour_class in EARNING_CLASSES:
                continue
            printed = line_json(ln)
            assert _multiplies_out(D(printed["hours"]), D(printed["rate"]), D(printed["amount"]), D(printed["carry"]))
        for g in w.groups:
            if g.hour_class in EARNING_CLASSES:
                continue
            printed = group_json(g)
            assert _multiplies_out(D(printed["hours"]), D(printed["rate"]), D(printed["amount"]))
