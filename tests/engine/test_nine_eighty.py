"""Two-week alternative workweek schedules (issue 16): the 9/80, written with a day scheduled every
other week (``friday 8h every other week from DATE``).

A 9/80 works eight 9-hour days and one 8-hour day in two weeks, with every other Friday off. Each
workweek keeps to 40 hours only when it begins in the middle of the 8-hour Friday: 29 CFR 778.105 (a
workweek "need not coincide with the calendar week but may begin on any day and at any hour of the
day"; Lab. Code 500(b) says the same), as the U.S. DOL's opinion letter FLSA2004-18NA describes (a
workweek ending four hours into the eight-hour Friday, 40 hours each week). Lab. Code 511(a) lets an
adopted schedule work up to 10 hours a day within a 40-hour workweek without daily overtime.

None of these is an agency's worked example with figures; each is derived from the text it cites.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ot.core.domain import Shift
from rules.compiler import compile_text
from rules.engine import WeekResult, price
from rules.engine.explain import explain_text
from rules.model import AlternativeWorkweek, RuleBook

from .helpers import shift, worker
from .test_properties import weeks

D = Decimal

NINE_EIGHTY = (
    'alternative workweek "9/80" for "N1" on monday 9h, tuesday 9h, wednesday 9h, thursday 9h, '
    "friday 8h every other week from 2026-03-06, other days over 0h is OT x1.5, other days over 8h is DT x2"
)


def _book(workweek: str) -> RuleBook:
    return compile_text(
        f"""version 1
employer {{
  workweek starts {workweek}
}}
federal {{
  rules from 2009-07-24 {{
    minimum wage 7.25 from 2009-07-24
    weekly over 40h is OT x1.5
  }}
}}
state CA extends federal {{
  rules from 2022-01-01 {{
    minimum wage 16.90 from 2026-01-01
    daily over 8h is OT x1.5
    daily over 12h is DT x2
    {NINE_EIGHTY}
  }}
}}
""",
        "t.ot",
    )


SPLIT = _book("friday 12:00")  # the workweek begins in the middle of the 8-hour Friday
CALENDAR = _book("sunday 00:00")

# 2026-03-02 is a Monday; Friday 2026-03-06 is the 8-hour day, Friday 2026-03-13 the day off.
TWO_WEEKS = [
    *[(f"2026-03-0{d}", "07:00", "16:00") for d in (2, 3, 4, 5)],
    ("2026-03-06", "08:00", "16:00"),
    *[(f"2026-03-{d:02d}", "07:00", "16:00") for d in (9, 10, 11, 12)],
]


def _weeks(book: RuleBook, wid: str, days: list[tuple[str, str, str]]) -> dict[date, WeekResult]:
    shifts = [shift(f"{d}T{a}", f"{d}T{b}", state="CA", wid=wid) for d, a, b in days]
    result = price(shifts, {wid: worker(wid, rate="30.00")}, book)
    return {w.week_start: w for w in result.weeks()}


def _classes(week: WeekResult) -> tuple[Decimal, Decimal, Decimal]:
    return (week.regular_hours, week.overtime_hours, week.doubletime_hours)


def test_a_nine_eighty_split_at_friday_noon_is_two_weeks_of_forty_straight_hours() -> None:
    """Lab. Code 511(a) and 29 CFR 778.105: the 8-hour Friday 08:00-16:00 falls 4 hours in each
    workweek (Friday noon to Friday noon), so each workweek holds 40 hours, none of them overtime.
    A worker not on the schedule is owed 1 hour of daily overtime on each 9-hour day (Lab. Code
    510(a)): 8 in the two weeks."""
    weeks = _weeks(SPLIT, "N1", TWO_WEEKS)
    assert {k: _classes(w) for k, w in weeks.items()} == {
        date(2026, 2, 27): (D(40), D(0), D(0)),
        date(2026, 3, 6): (D(40), D(0), D(0)),
    }
    other = _weeks(SPLIT, "X1", TWO_WEEKS)
    assert sum((w.overtime_hours for w in other.values()), D(0)) == D(8)
    assert sum((w.gross for w in weeks.values()), D(0)) == D(80) * D(30)


def test_work_on_the_friday_off_follows_the_other_days_thresholds() -> None:
    """Wage Order 4-2001 section 3(B)(1) (as the DLSE reads it, written with "other days"): on a day
    the schedule does not list, the first 8 hours are overtime and beyond 8 double time. 9 hours on
    the Friday off (2026-03-13) is 8 OT + 1 DT, and the 8-hour Friday of the week before, also 9 hours,
    owes only 1 hour: its schedule is 8, not the 9 of Monday to Thursday. Both Fridays are cut in two
    by the workweek's start at noon; their daily hours count the whole workday (the hours before noon
    in the week before)."""
    days = [*TWO_WEEKS[:4], ("2026-03-06", "08:00", "17:00"), *TWO_WEEKS[5:], ("2026-03-13", "07:00", "16:00")]
    weeks = _weeks(SPLIT, "N1", days)
    friday_8h = [ln for ln in weeks[date(2026, 3, 6)].lines if ln.date == date(2026, 3, 6)]
    assert sum((ln.hours for ln in friday_8h if ln.hour_class == "OT"), D(0)) == D(1)
    friday_off = [ln for w in weeks.values() for ln in w.lines if ln.date == date(2026, 3, 13)]
    by_class: dict[str, Decimal] = {}
    for ln in friday_off:  # 07:00-12:00 in one workweek, 12:00-16:00 in the next
        by_class[ln.hour_class] = by_class.get(ln.hour_class, D(0)) + ln.hours
    assert by_class == {"OT": D(8), "DT": D(1)}
    assert {ln.rule for ln in friday_8h if ln.hour_class == "OT"} == {"daily over 8h"}
    assert 'CA alternative workweek "9/80": other days over 8h (t.ot:' in explain_text(weeks[date(2026, 3, 13)])


def test_a_nine_eighty_on_a_calendar_workweek_owes_weekly_overtime_in_the_long_week() -> None:
    """29 CFR 778.104 (each workweek stands alone; no averaging over two weeks) and 778.105: with the
    workweek left at Sunday midnight, the week of the 8-hour Friday holds 44 hours, and the 4 over 40
    are weekly overtime (29 U.S.C. 207(a)(1)); the next week holds 36."""
    weeks = _weeks(CALENDAR, "N1", TWO_WEEKS)
    assert {k: _classes(w) for k, w in weeks.items()} == {
        date(2026, 3, 1): (D(40), D(4), D(0)),
        date(2026, 3, 8): (D(36), D(0), D(0)),
    }


@pytest.mark.parametrize("weeks_later", [2, 4, -2, 26])
def test_the_alternating_day_repeats_every_fourteen_days_both_ways(weeks_later: int) -> None:
    """The Friday scheduled every other week is the one named and every second Friday before or after
    it; the Fridays between are days off (the schedule's "other days")."""
    (ca,) = dict(SPLIT.versions)["CA"]
    aws = ca.alternative_workweek_of("N1")
    assert isinstance(aws, AlternativeWorkweek)
    on = date(2026, 3, 6) + timedelta(weeks=weeks_later)
    assert aws.hours_on(on) == D(8)
    assert aws.hours_on(on + timedelta(weeks=1)) is None
    assert aws.hours_on(on - timedelta(days=4)) == D(9)  # the Monday before


def test_a_workday_cut_by_the_workweek_start_counts_its_daily_hours_whole() -> None:
    """Lab. Code 510(a) counts daily overtime per workday, whichever workweek its hours fall in
    (29 CFR 778.105 lets the workweek begin at any hour). A worker on no schedule works Friday
    06:00-17:00 with the workweek beginning at noon: 6 hours in one week, 5 in the next, 11 in the
    workday, so 3 hours of daily overtime (those after 14:00), all in the second week."""
    weeks = _weeks(SPLIT, "X1", [("2026-03-06", "06:00", "17:00")])
    assert {k: _classes(w) for k, w in weeks.items()} == {
        date(2026, 2, 27): (D(6), D(0), D(0)),
        date(2026, 3, 6): (D(2), D(3), D(0)),
    }


DAILY_ONLY = compile_text(
    """version 1
employer {
  workweek starts sunday 00:00
}
federal {
  rules from 2009-07-24 {
    minimum wage 7.25 from 2009-07-24
  }
}
state CA extends federal {
  rules from 2022-01-01 {
    minimum wage 16.90 from 2026-01-01
    daily over 8h is OT x1.5
    daily over 12h is DT x2
  }
}
""",
    "daily.ot",
)


def _daily_classes(shifts: list[Shift], workweek: tuple[int, time]) -> dict[tuple[date, str], Decimal]:
    result = price(shifts, {"w1": worker("w1", rate="20.00")}, DAILY_ONLY, workweek=workweek)
    out: dict[tuple[date, str], Decimal] = {}
    for week in result.weeks():
        for ln in week.lines:
            if ln.hour_class in ("OT", "DT"):
                out[(ln.date, ln.hour_class)] = out.get((ln.date, ln.hour_class), D(0)) + ln.hours
    return out


@settings(max_examples=80)
@given(weeks(["CA"]), st.integers(0, 6), st.integers(0, 23), st.sampled_from([0, 30]))
def test_daily_overtime_does_not_depend_on_where_the_workweek_begins(
    shifts: list[Shift], weekday: int, hour: int, minute: int
) -> None:
    """Lab. Code 510(a) counts daily overtime per workday; 29 CFR 778.105 lets the workweek begin on
    any day at any hour. With daily thresholds alone (no weekly one to interact with), each workday's
    overtime and double time are the same hours whatever the workweek's start: a start that cuts a
    workday in two moves hours between weeks, never between classes."""
    assert _daily_classes(shifts, (6, time(0, 0))) == _daily_classes(shifts, (weekday, time(hour, minute)))
