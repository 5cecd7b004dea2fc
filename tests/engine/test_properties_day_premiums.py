"""Hypothesis properties of issue 16's constructs: split-shift and spread-of-hours premiums, Sunday
and holiday thresholds, employer policies (with the shipped rules.example.ot)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ot.core.domain import Shift
from rules.compiler import compile_text
from rules.engine import price
from rules.files import default_rules_path
from rules.fmt import format_text
from rules.parser import parse

from .helpers import worker
from .test_properties import _worked_ms, weeks

EXAMPLE_TEXT = default_rules_path().read_text(encoding="utf-8")
EXAMPLE = compile_text(EXAMPLE_TEXT, "rules.example.ot")
WITHOUT_DAY_PREMIUMS = compile_text(
    "\n".join(
        "" if line.strip().startswith(("split shift", "spread of hours")) else line for line in EXAMPLE_TEXT.split("\n")
    ),
    "rules.example.ot",
)
POLICY = """
policy "Company" {
  rules from 2026-01-01 {
    daily over 8h is OT x1.5
    daily over 10h is DT x2
    sunday over 0h is OT x1.5
    holiday over 0h is DT x2
    split shift over 30 min is 1h at minimum wage
  }
}
"""
WITH_POLICY = compile_text(EXAMPLE_TEXT + POLICY, "rules.example.ot")
WITH_AWS = compile_text(
    EXAMPLE_TEXT.replace(
        "    split shift over 60 min",
        '    alternative workweek "4x10" for "w1" on monday 10h, tuesday 10h, wednesday 10h, thursday 10h, '
        "other days over 0h is OT x1.5, other days over 8h is DT x2\n    split shift over 60 min",
        1,
    ),
    "rules.example.ot",
)
STATES = ["CA", "NY", "RI", "OR", "PR", "ME", "TX"]
WORKERS = {"w1": worker(rate="20.00")}
DAY_KINDS = ("split_shift", "spread_of_hours")


@settings(max_examples=60, deadline=None)
@given(weeks(STATES))
def test_day_premiums_only_add_and_stay_within_an_hour_at_the_minimum_wage(shifts: list[Shift]) -> None:
    """A split-shift or spread-of-hours premium never reduces pay: each week's gross with the rules is
    the gross without them plus exactly the premium lines; each is at most its hours at the highest
    minimum wage the example file has (no other line changes: the premium is not in the regular rate)."""
    with_rules = {w.week_start: w for w in price(shifts, WORKERS, EXAMPLE).weeks()}
    without = {w.week_start: w for w in price(shifts, WORKERS, WITHOUT_DAY_PREMIUMS).weeks()}
    assert with_rules.keys() == without.keys()
    for start, week in with_rules.items():
        extra = [ln for ln in week.lines if ln.hour_class == "PREMIUM" and ln.premium in DAY_KINDS]
        assert week.gross == without[start].gross + sum((ln.amount for ln in extra), Decimal(0))
        assert week.regular_rate == without[start].regular_rate
        days = [ln.date for ln in extra]
        assert len(days) == len(set(days))  # at most one such premium a workday
        for ln in extra:
            assert Decimal(0) < ln.amount <= ln.hours * Decimal("21.30")  # Seattle 2026, the highest


@settings(max_examples=60, deadline=None)
@given(weeks(STATES))
def test_a_policy_never_lowers_pay_and_hours_are_conserved(shifts: list[Shift]) -> None:
    """An employer policy sits beside the law: the most favourable result wins, so no week pays less
    with it; every worked millisecond is still classed once (REG + OT + DT = hours worked), with the
    Sunday and holiday thresholds in play."""
    law = {w.week_start: w for w in price(shifts, WORKERS, EXAMPLE).weeks()}
    both = price(shifts, WORKERS, WITH_POLICY)
    exact = 0
    for week in both.weeks():
        assert week.gross >= law[week.week_start].gross
        assert sum((ln.amount for ln in week.lines), Decimal(0)) == week.gross
        exact += sum(p.ms for p in week.pieces)
    assert exact == _worked_ms([s for s in shifts if s.pay_type == "REGULAR"])


@settings(max_examples=100)
@given(
    st.sampled_from(["split shift over {a} min", "spread of hours over {b}h"]),
    st.integers(1, 600),
    st.integers(1, 23),
    st.sampled_from(["1", "0.5", "2.25"]),
    st.booleans(),
    st.sampled_from(["sunday", "holiday"]),
    st.integers(0, 23),
)
def test_new_lines_round_trip_through_the_formatter(
    head: str, a: int, b: int, hours: str, offset: bool, kind: str, over: int
) -> None:
    """fmt's text of each new line parses back to the same tree, and formatting is idempotent."""
    line = head.format(a=a, b=b) + f" is {hours}h at minimum wage" + (", less wages above minimum" if offset else "")
    text = (
        "version 1\nfederal {\n  rules from 2020-01-01 {\n"
        f"    {line}\n    {kind} over {over}h is OT x1.5\n  }}\n}}\n"
        f'policy "P" {{\n  rules from 2021-01-01 {{\n    {line}\n  }}\n}}\n'
    )
    formatted = format_text(text, "p.ot")
    assert parse(formatted, "p.ot") == parse(text, "p.ot")
    assert format_text(formatted, "p.ot") == formatted
    compile_text(formatted, "p.ot")


@settings(max_examples=60, deadline=None)
@given(weeks(["CA"]))
def test_an_alternative_workweek_classes_every_hour_once(shifts: list[Shift]) -> None:
    """Under a 4x10 schedule every worked millisecond is still classed once, the lines add up to the
    gross, and no week owes less overtime and double time than the FLSA's weekly 40 alone would."""
    exact = 0
    for week in price(shifts, WORKERS, WITH_AWS).weeks():
        assert sum((ln.amount for ln in week.lines), Decimal(0)) == week.gross
        assert week.overtime_hours + week.doubletime_hours >= max(
            week.regular_hours + week.overtime_hours + week.doubletime_hours - 40, 0
        )
        exact += sum(p.ms for p in week.pieces)
    assert exact == _worked_ms([s for s in shifts if s.pay_type == "REGULAR"])
