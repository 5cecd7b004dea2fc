"""Kinds of workers the law names (issue 16): groups in the employer block, ``worker in "..."`` and
``no overtime for "..."``, priced with rules.example.ot's own lines (its groups filled in here).

Each test cites the text its figures come from; none of these is an agency's worked example, all are
derived from the text they cite, and say so.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rules.compiler import compile_text
from rules.engine import WeekResult, price
from rules.engine.explain import explain_text
from rules.files import default_rules_path
from rules.model import RuleBook

from .helpers import line_hours, only_week, shift, worker

D = Decimal
EXAMPLE = default_rules_path().read_text(encoding="utf-8")


def _example_with(**groups: str) -> RuleBook:
    """rules.example.ot with the named groups (by the example's own names) given these worker ids."""
    text = EXAMPLE
    for name, ids in {
        "live-in domestic": groups.get("live_in", ""),
        "residential": groups.get("residential", ""),
        "PR hired before 2017-01-26": groups.get("pr_before_2017", ""),
    }.items():
        line = f'group "{name}" is nobody'
        assert line in text, line
        if ids:
            text = text.replace(line, f'group "{name}" is ' + ", ".join(f'"{i}"' for i in ids.split(",")), 1)
    if "flsa_covered" in groups:
        assert '  flsa_covered "yes"' in text
        text = text.replace('  flsa_covered "yes"', f'  flsa_covered "{groups["flsa_covered"]}"', 1)
    return compile_text(text, "rules.example.ot")


def _week(days: list[tuple[str, str]], state: str, rate: str, book: RuleBook, wid: str = "w1") -> WeekResult:
    shifts = [shift(a, b, state=state, rate=rate, wid=wid) for a, b in days]
    return only_week(price(shifts, {wid: worker(wid, rate=rate)}, book))


def _days(first: int, count: int, hours: int, month: str = "2026-06") -> list[tuple[str, str]]:
    """``count`` days from the ``first`` of ``month``, each from 08:00 for ``hours`` hours (no breaks)."""
    return [(f"{month}-{d:02d}T08:00", f"{month}-{d:02d}T{8 + hours:02d}:00") for d in range(first, first + count)]


# 2026-06-07 is a Sunday: the example's workweek starts Sunday 00:00.
FORTY_SIX = [*_days(7, 4, 10), ("2026-06-11T08:00", "2026-06-11T14:00")]  # 4 x 10 h + 6 h = 46 h


def test_a_live_in_domestic_worker_gets_no_federal_overtime_but_keeps_the_minimum_wage() -> None:
    """29 U.S.C. 213(b)(21) and 29 CFR 552.102(a): a domestic service employee who resides in the
    household is exempt from the overtime pay requirement, not from the minimum wage (213(b) exempts
    from section 207 only). Derived from the text: in Texas (federal rules alone) 46 hours at $7.00,
    below the $7.25 federal minimum: no overtime, and a make-up of 46 x $0.25 = $11.50."""
    book = _example_with(live_in="w1")
    week = _week(FORTY_SIX, "TX", "7.00", book)
    assert line_hours(week, "OT") == 0
    assert line_hours(week, "REG") == D(46)
    assert week.gross == D("333.50")  # 46 x $7.25: the make-up brings the week to the minimum wage
    everyone = _week(FORTY_SIX, "TX", "7.00", _example_with(), wid="w2")
    assert line_hours(everyone, "OT") == D(6)  # 29 U.S.C. 207(a)(1) for a worker outside the group


def test_new_york_residential_employees_get_overtime_after_44_hours() -> None:
    """12 NYCRR 142-2.2: overtime at 1.5x "in the manner and methods provided in ... the Fair Labor
    Standards Act ... provided, however, that the overtime wage rate for residential employees shall be
    paid after 44 hours"; Labor Law 170: domestic workers who live in their employer's home, after 44.
    Derived from the text: 46 hours at $16.50 in 2026 by a live-in domestic worker (exempt from the FLSA's
    overtime, so only New York's applies): 2 hours of overtime, 44 x 16.50 + 2 x 24.75 = $775.50."""
    book = _example_with(live_in="w1", residential="w1")
    week = _week(FORTY_SIX, "NY", "16.50", book)
    assert line_hours(week, "OT") == D(2)
    assert line_hours(week, "REG") == D(44)
    assert week.gross == D("775.50")
    assert 'weekly over 44h when worker in "residential"' in explain_text(week)


def test_new_york_residential_employees_the_flsa_covers_keep_overtime_after_40() -> None:
    """A residential employee who is not a live-in domestic worker is covered by 29 U.S.C. 207(a)(1):
    the federal 40 hours is more favourable than New York's 44 and wins (29 U.S.C. 218(a)). A worker
    outside the group gets New York's 40 as well (12 NYCRR 142-2.2). Derived from the text."""
    book = _example_with(residential="w1,w2")
    residential = _week(FORTY_SIX, "NY", "16.50", book)
    assert line_hours(residential, "OT") == D(6)
    other = _week(FORTY_SIX, "NY", "16.50", _example_with(), wid="w3")
    assert line_hours(other, "OT") == D(6)


def test_puerto_rico_workers_hired_before_2017_keep_double_time_where_the_flsa_does_not_cover() -> None:
    """Act No. 379 of 1948, sec. 6 before Act No. 4-2017 (double the regular rate for hours over 8 in a
    day, except that time and one-half is the standard for employers the FLSA covers); Act No. 4-2017,
    art. 1.2 (employees hired before it took effect on January 26, 2017 keep their rights); sec. 4 as
    amended (1.5x for those hired after). Derived from the text: 10 hours on a Monday at $10.50 in 2026,
    at an employer the FLSA does not cover, then at one it covers (the example's)."""
    day = [("2026-06-08T08:00", "2026-06-08T18:00")]
    uncovered = _example_with(pr_before_2017="w1", flsa_covered="no")
    before = _week(day, "PR", "10.50", uncovered)
    assert line_hours(before, "DT") == D(2)
    assert line_hours(before, "OT") == 0
    assert before.gross == D("126.00")  # 8 x 10.50 + 2 x 21.00
    after = _week(day, "PR", "10.50", _example_with(flsa_covered="no"))
    assert line_hours(after, "OT") == D(2)
    assert after.gross == D("115.50")  # 8 x 10.50 + 2 x 15.75
    covered = _week(day, "PR", "10.50", _example_with(pr_before_2017="w1"))
    assert line_hours(covered, "OT") == D(2)
    assert line_hours(covered, "DT") == 0
    assert covered.gross == D("115.50")


def test_a_group_exempt_from_federal_overtime_keeps_a_state_overtime_that_restates_no_overtime() -> None:
    """The federal block's "no overtime for" is inherited by a state that extends it (29 U.S.C.
    213(b)(21) holds in every state), unless the state writes its own: California's Domestic Worker
    Bill of Rights (Lab. Code 1454) gives live-in personal attendants overtime after 9 hours a day;
    the example does not model it, so the inherited exemption holds there. Derived from the text."""
    book = _example_with(live_in="w1")
    ca = _week([("2026-06-08T08:00", "2026-06-08T19:00")], "CA", "20.00", book)
    assert line_hours(ca, "OT") == 0
    assert line_hours(ca, "DT") == 0
    other = _week([("2026-06-08T08:00", "2026-06-08T19:00")], "CA", "20.00", _example_with(), wid="w2")
    assert line_hours(other, "OT") == D(3)  # Lab. Code 510(a): over 8 in a workday


@pytest.mark.parametrize(("wid", "overtime"), [("w1", D(2)), ("w2", D(6))])
def test_a_group_condition_holds_for_exactly_its_workers(wid: str, overtime: Decimal) -> None:
    """The condition reads the worker id only: the same 46 hours, two workers, two results (12 NYCRR
    142-2.2 for w1, a live-in domestic worker; 29 U.S.C. 207(a)(1) for w2). Derived from the text."""
    book = _example_with(live_in="w1", residential="w1")
    week = _week(FORTY_SIX, "NY", "16.50", book, wid=wid)
    assert week.week_start == date(2026, 6, 7)
    assert line_hours(week, "OT") == overtime
    assert line_hours(week, "REG") == D(46) - overtime
