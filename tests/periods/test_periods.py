"""Pay periods: weekly, biweekly and semi-monthly calendars, and schedules of them."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ot.core.errors import OtError
from ot.core.periods import PayPeriod, PayPeriodConfig, PaySchedule, period_containing, periods_between

BIWEEKLY = PayPeriodConfig("biweekly", date(2026, 10, 11), 5)
WEEKLY = PayPeriodConfig("weekly", date(2026, 10, 11), 3)
SEMI = PayPeriodConfig("semimonthly", date(2026, 1, 1), 0)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@st.composite
def configs(draw: st.DrawFn) -> PayPeriodConfig:
    frequency = draw(st.sampled_from(["weekly", "biweekly", "semimonthly"]))
    anchor = draw(days)
    if frequency == "semimonthly":
        anchor = anchor.replace(day=draw(st.sampled_from([1, 16])))
    return PayPeriodConfig(frequency, anchor, draw(st.integers(0, 31)))


def test_biweekly_default_period_and_pay_date() -> None:
    period = period_containing(BIWEEKLY, date(2026, 10, 20))
    assert period == PayPeriod(date(2026, 10, 11), date(2026, 10, 24), date(2026, 10, 29), 0, "biweekly")
    assert period.days == 14
    assert period.label() == "2026-10-11 to 2026-10-24"


def test_biweekly_before_the_anchor_counts_backwards() -> None:
    period = period_containing(BIWEEKLY, date(2026, 10, 10))
    assert (period.start, period.end, period.index) == (date(2026, 9, 27), date(2026, 10, 10), -1)


def test_weekly() -> None:
    period = period_containing(WEEKLY, date(2026, 11, 1))
    assert (period.start, period.end, period.pay_date, period.index) == (
        date(2026, 11, 1),
        date(2026, 11, 7),
        date(2026, 11, 10),
        3,
    )


@pytest.mark.parametrize(
    ("day", "start", "end", "index"),
    [
        (date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 15), 0),
        (date(2026, 1, 15), date(2026, 1, 1), date(2026, 1, 15), 0),
        (date(2026, 1, 16), date(2026, 1, 16), date(2026, 1, 31), 1),
        (date(2026, 2, 28), date(2026, 2, 16), date(2026, 2, 28), 3),
        (date(2028, 2, 29), date(2028, 2, 16), date(2028, 2, 29), 51),
        (date(2026, 4, 30), date(2026, 4, 16), date(2026, 4, 30), 7),
        (date(2025, 12, 31), date(2025, 12, 16), date(2025, 12, 31), -1),
    ],
)
def test_semimonthly_halves(day: date, start: date, end: date, index: int) -> None:
    period = period_containing(SEMI, day)
    assert (period.start, period.end, period.index) == (start, end, index)


def test_periods_between_lists_every_overlapping_period() -> None:
    got = periods_between(SEMI, date(2026, 1, 10), date(2026, 2, 20))
    assert [(p.start, p.end) for p in got] == [
        (date(2026, 1, 1), date(2026, 1, 15)),
        (date(2026, 1, 16), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 15)),
        (date(2026, 2, 16), date(2026, 2, 28)),
    ]
    assert periods_between(SEMI, date(2026, 2, 1), date(2026, 1, 1)) == ()


def test_semimonthly_splits_a_workweek() -> None:
    """A workweek Sunday 2026-11-15 to Saturday 2026-11-21 falls in two
    semi-monthly periods; its lines are assigned by their dates (29 CFR 778.104:
    each workweek stands alone, whatever the pay period)."""
    week = [date(2026, 11, 15) + timedelta(days=i) for i in range(7)]
    periods = {period_containing(SEMI, d).start for d in week}
    assert periods == {date(2026, 11, 1), date(2026, 11, 16)}


@pytest.mark.parametrize(
    ("frequency", "anchor", "offset", "field", "words"),
    [
        ("monthly", date(2026, 1, 1), 5, "frequency", "weekly, biweekly, semimonthly"),
        ("semimonthly", date(2026, 1, 2), 5, "anchor", "a 1st or a 16th"),
        ("weekly", date(2026, 1, 1), -1, "pay_date_offset", "0 to 31"),
        ("weekly", date(2026, 1, 1), 40, "pay_date_offset", "0 to 31"),
    ],
)
def test_bad_configuration_names_the_field(frequency: str, anchor: date, offset: int, field: str, words: str) -> None:
    with pytest.raises(OtError) as info:
        PayPeriodConfig(frequency, anchor, offset)
    assert [p.where for p in info.value.problems] == [field]
    assert words in info.value.render()


def test_effective_must_start_a_period() -> None:
    with pytest.raises(OtError) as info:
        PayPeriodConfig("biweekly", date(2026, 10, 11), 5, effective=date(2026, 10, 12))
    assert info.value.problems[0].where == "effective"
    assert "2026-10-11" in info.value.problems[0].message
    assert PayPeriodConfig("biweekly", date(2026, 10, 11), 5, effective=date(2026, 10, 25)).starts == date(2026, 10, 25)


def test_config_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        BIWEEKLY.frequency = "weekly"  # type: ignore[misc]


def test_schedule_cuts_the_last_period_before_a_change() -> None:
    """Biweekly until 2026-12-15, semi-monthly from 2026-12-16: the biweekly
    period of 2026-12-06..2026-12-19 is cut to end 2026-12-15."""
    later = PayPeriodConfig("semimonthly", date(2026, 12, 16), 3, effective=date(2026, 12, 16))
    schedule = PaySchedule.of([later, BIWEEKLY])
    cut = schedule.period_containing(date(2026, 12, 10))
    assert (cut.start, cut.end, cut.pay_date) == (date(2026, 12, 6), date(2026, 12, 15), date(2026, 12, 20))
    after = schedule.period_containing(date(2026, 12, 16))
    assert (after.start, after.end, after.frequency) == (date(2026, 12, 16), date(2026, 12, 31), "semimonthly")
    assert schedule.period_containing(date(2020, 1, 1)).frequency == "biweekly"


def test_schedule_later_record_with_same_effective_date_wins() -> None:
    again = PayPeriodConfig("weekly", date(2026, 10, 11), 2)
    assert PaySchedule.of([BIWEEKLY, again]).config_on(date(2027, 1, 1)) == again


@given(configs(), days)
def test_period_containing_contains_the_day(config: PayPeriodConfig, day: date) -> None:
    period = period_containing(config, day)
    assert day in period
    assert period.pay_date == period.end + timedelta(days=config.pay_date_offset)
    assert period.days in (
        (7,) if config.frequency == "weekly" else (14,) if config.frequency == "biweekly" else (13, 14, 15, 16)
    )


@given(configs(), days, st.integers(1, 200))
def test_periods_tile_the_calendar(config: PayPeriodConfig, start: date, span: int) -> None:
    """No gap, no overlap: each period starts the day after the one before ends,
    and every day of the range is in exactly one of them."""
    end = start + timedelta(days=span)
    periods = periods_between(config, start, end)
    assert periods[0].start <= start
    assert end <= periods[-1].end
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
        assert after.index == before.index + 1
    for offset in range(span + 1):
        day = start + timedelta(days=offset)
        assert sum(1 for p in periods if day in p) == 1
        assert period_containing(config, day) in periods


@given(configs(), configs(), days, st.integers(1, 120))
def test_schedules_tile_the_calendar(first: PayPeriodConfig, second: PayPeriodConfig, day: date, span: int) -> None:
    """Two configurations one after the other still tile the calendar."""
    switch = period_containing(second, first.anchor + timedelta(days=30)).start
    later = dataclasses.replace(second, effective=switch)
    schedule = PaySchedule.of([first, later])
    start = min(day, switch - timedelta(days=span // 2))
    periods = schedule.periods_between(start, start + timedelta(days=span))
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
        assert before.start <= before.end
    for offset in range(span + 1):
        d = start + timedelta(days=offset)
        period = schedule.period_containing(d)
        assert d in period
        assert schedule.config_on(d) == (later if d >= switch else first)
        assert (period.start >= switch) == (d >= switch)
