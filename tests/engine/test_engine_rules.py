"""Engine behaviour beyond the golden examples: rounding, overrides, effective dates,
conditions, look-behind across weeks, errors, and immutable results."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from decimal import Decimal

import pytest

from ot.core.domain import Shift
from ot.core.errors import OtError
from ot.core.timez import parse_local
from rules.engine import price
from rules.model import FEDERAL, EmployerFlag, RuleBook, Threshold, WorkerTypeIn

from .books import ALL, CA_SET, CO_SET, FEDERAL_SET, NV_SET, book, src, with_rounding
from .helpers import hours, only_week, shift, worker

D = Decimal


def test_punch_rounding_to_quarter_hour_is_neutral() -> None:
    """29 CFR 785.48(b): rounding to the nearest quarter hour is allowed when neutral:
    08:07 rounds down to 08:00, 16:53 up to 17:00 (8:46 punched, 9:00 paid); 08:08
    rounds up to 08:15."""
    rounded = book(federal=with_rounding(FEDERAL_SET, 15))
    ws = {"w1": worker()}
    week = only_week(price([shift("2026-11-02T08:07", "2026-11-02T16:53")], ws, rounded))
    assert week.hours_worked == 9
    week = only_week(price([shift("2026-11-02T08:08", "2026-11-02T16:52")], ws, rounded))
    assert week.hours_worked == D("8.5")


def test_punch_rounding_to_tenth_hour() -> None:
    """29 CFR 785.48(b): to the nearest tenth of an hour (6 minutes): 08:02 -> 08:00, 08:03 -> 08:06."""
    rounded = book(federal=with_rounding(FEDERAL_SET, 6))
    ws = {"w1": worker()}
    assert only_week(price([shift("2026-11-02T08:02", "2026-11-02T10:00")], ws, rounded)).hours_worked == 2
    assert only_week(price([shift("2026-11-02T08:03", "2026-11-02T10:00")], ws, rounded)).hours_worked == D("1.9")


def test_workday_start_override_moves_daily_overtime() -> None:
    """Cal. Lab. Code 500(a): the workday is any consecutive 24 hours the employer
    fixes. 20:00-06:00 (10 h) with a midnight workday: 4 h + 6 h, no daily OT; with a
    workday starting at 18:00 all 10 h fall in one workday: 2 h OT."""
    s = [shift("2026-11-02T20:00", "2026-11-03T06:00", state="CA", breaks=[("2026-11-03T00:00", "2026-11-03T00:30")])]
    ws = {"w1": worker()}
    assert only_week(price(s, ws, ALL)).overtime_hours == 0
    assert only_week(price(s, ws, ALL, workday_start=time(18, 0))).overtime_hours == D("1.5")


def test_workweek_override() -> None:
    """29 CFR 778.105: the employer fixes the workweek. Mon-Sat 8 h each: with a
    Sunday week, 48 h in one week (8 OT); with a Thursday week, 24 + 24 (no OT)."""
    spec = [shift(f"2026-11-0{d}T08:00", f"2026-11-0{d}T16:00") for d in range(2, 8)]
    ws = {"w1": worker()}
    assert sum(w.overtime_hours for w in price(spec, ws, ALL).weeks()) == 8
    weeks = price(spec, ws, ALL, workweek=(3, time(0, 0))).weeks()
    assert [(str(w.week_start), w.overtime_hours) for w in weeks] == [("2026-10-29", 0), ("2026-11-05", 0)]


def test_a_week_uses_the_rules_in_force_on_its_first_day() -> None:
    """The design's effective dates: a workweek is computed with the rules in force
    on its first day, even when a new version starts mid-week."""
    new_fed = dataclasses.replace(
        FEDERAL_SET,
        effective=date(2026, 11, 4),
        thresholds=(Threshold("weekly", D(30), "OT", D(2), label="weekly over 30h (new)", source=src("new", 1)),),
    )
    old_fed = dataclasses.replace(FEDERAL_SET, until=date(2026, 11, 3))
    changing = RuleBook(versions=((FEDERAL, (old_fed, new_fed)),))
    spec = [shift(f"2026-11-0{d}T08:00", f"2026-11-0{d}T17:00") for d in range(2, 7)]  # 45 h, week of Nov 1
    week = only_week(price(spec, {"w1": worker()}, changing))
    assert week.overtime_hours == 5
    assert {ln.rule for ln in week.lines if ln.hour_class == "OT"} == {"weekly over 40h"}
    later = [shift(f"2026-11-{d:02d}T08:00", f"2026-11-{d:02d}T17:00") for d in range(9, 14)]
    week = only_week(price(later, {"w1": worker()}, changing))
    assert week.overtime_hours == 15
    assert {ln.multiplier for ln in week.lines if ln.hour_class == "OT"} == {D(2)}


def test_worker_type_and_employer_conditions() -> None:
    """rules.model conditions: a threshold limited to a worker type or an employer fact
    applies only when it holds (e.g. an agency's collective agreement)."""
    t = Threshold(
        "daily", D(10), "OT", D("1.5"), conditions=(WorkerTypeIn(frozenset({"W2"})),), label="daily over 10h (W2)"
    )
    e = Threshold(
        "daily", D(9), "OT", D("1.5"), conditions=(EmployerFlag("size", ">=", D(26)),), label="daily over 9h (26+)"
    )
    fed = dataclasses.replace(FEDERAL_SET, thresholds=(*FEDERAL_SET.thresholds, t, e), employer=(("size", D(10)),))
    s = [shift("2026-11-02T06:00", "2026-11-02T18:00")]
    week = only_week(price(s, {"w1": worker()}, book(federal=fed)))
    assert week.overtime_hours == 2
    big = dataclasses.replace(fed, employer=(("size", D(30)),))
    assert only_week(price(s, {"w1": worker()}, book(federal=big))).overtime_hours == 3


def test_colorado_consecutive_hours_across_the_workweek_boundary() -> None:
    """COMPS Rule 4.1.1: 12 consecutive hours regardless of the workday; a Saturday
    18:00 - Sunday 08:00 shift (Sunday week) is 14 consecutive hours: the last 2, in
    the new week, are OT."""
    s = [shift("2026-11-07T18:00", "2026-11-08T08:00", state="CO")]
    weeks = price(s, {"w1": worker()}, book(CO_SET)).weeks()
    assert [(str(w.week_start), w.hours_worked, w.overtime_hours) for w in weeks] == [
        ("2026-11-01", 6, 0),
        ("2026-11-08", 8, 2),
    ]


def test_nevada_24_hours_reach_into_the_next_week() -> None:
    """NRS 608.018 / NAC 608.126: the 24 hours start when work begins: Sat 10:00-18:00
    then Sun 06:00-12:00 (new week): Sunday 06:00-10:00 is inside Saturday's 24 hours,
    beyond 8: 4 h OT."""
    s = [
        shift("2026-11-07T10:00", "2026-11-07T18:00", state="NV"),
        shift("2026-11-08T06:00", "2026-11-08T12:00", state="NV"),
    ]
    weeks = price(s, {"w1": worker(rate="14")}, book(NV_SET)).weeks()
    assert [(str(w.week_start), w.overtime_hours) for w in weeks] == [("2026-11-01", 0), ("2026-11-08", 4)]


def test_hours_only_entries_count_on_their_day() -> None:
    """An hours-only entry counts on its day (placed from the workday start): 10 h in
    California on one day is 2 h of daily overtime (Lab. Code 510)."""
    week = only_week(price([hours("2026-11-02", "10", state="CA")], {"w1": worker()}, book(CA_SET)))
    assert (week.regular_hours, week.overtime_hours, week.premium_hours) == (8, 2, 0)
    assert week.pieces[0].hours_only


def test_profile_rate_by_date() -> None:
    """The worker's profile rate in force on each workday applies (a raise mid-week)."""
    from ot.core.domain import RateChange, Worker

    w = Worker(
        "w1", "W", "W2", (RateChange(date(2026, 1, 1), D(20)), RateChange(date(2026, 11, 4), D(22))), "", None, "worker"
    )
    s = [shift("2026-11-03T08:00", "2026-11-03T10:00"), shift("2026-11-04T08:00", "2026-11-04T10:00")]
    week = only_week(price(s, {"w1": w}, ALL))
    assert [(str(ln.date), ln.rate) for ln in week.lines] == [("2026-11-03", D(20)), ("2026-11-04", D(22))]
    assert week.gross == 84


def test_unknown_worker_and_missing_rate_are_reported_together() -> None:
    """Every shift the engine cannot price is named, and nothing is priced."""
    no_rate = dataclasses.replace(worker(), rates=())
    s = [
        shift("2026-11-02T08:00", "2026-11-02T10:00", sid="S-1"),
        shift("2026-11-02T08:00", "2026-11-02T10:00", wid="ghost", sid="S-2"),
    ]
    with pytest.raises(OtError) as err:
        price(s, {"w1": no_rate}, ALL)
    text = err.value.render()
    assert "shift S-1: no pay rate for w1 on 2026-11-02" in text
    assert "shift S-2: unknown worker 'ghost'" in text


def test_a_shift_without_an_end_is_skipped_not_guessed() -> None:
    """A missing out-punch is never guessed: the shift is left out and reported."""
    open_shift = Shift("S-9", "w1", parse_local("2026-11-02T08:00", "America/Chicago"), None, "America/Chicago", "TX")
    result = price([open_shift, shift("2026-11-03T08:00", "2026-11-03T10:00")], {"w1": worker()}, ALL)
    assert result.skipped == (("S-9", "no out-punch yet: not priced until the shift has an end"),)
    assert only_week(result).hours_worked == 2


def test_results_are_immutable() -> None:
    """Engine results are frozen records: a change is a new record."""
    week = only_week(price([shift("2026-11-02T08:00", "2026-11-02T10:00")], {"w1": worker()}, ALL))
    with pytest.raises(dataclasses.FrozenInstanceError):
        week.gross = D(0)  # type: ignore[misc]
    with pytest.raises(AttributeError):  # a pay line is an immutable tuple
        week.lines[0].amount = D(0)  # type: ignore[misc]


def test_display_rate_is_never_used_for_money() -> None:
    """The seeds' rule: a display rate is shown on the stub, never used for money."""
    s = dataclasses.replace(shift("2026-11-02T08:00", "2026-11-02T10:00"), display_rate=D("99.00"))
    week = only_week(price([s], {"w1": worker(rate="20")}, ALL))
    assert week.gross == 40
    assert {ln.rate for ln in week.lines} == {D(20)}


def test_rest_premium_needs_a_work_period_over_three_and_a_half_hours() -> None:
    """IWC wage orders section 12: no rest period is due for a work period of 3.5 hours
    or less, so a recorded miss owes nothing then."""
    s = shift("2026-11-02T08:00", "2026-11-02T11:00", state="CA", exceptions=("rest_missed",))
    assert only_week(price([s], {"w1": worker()}, ALL)).premium_hours == 0


def test_text_employer_fact_condition() -> None:
    """rules.model EmployerFlag on a text fact (industry == "retail")."""
    t = Threshold(
        "daily", D(10), "OT", D("1.5"), conditions=(EmployerFlag("industry", "==", "retail"),), label="retail"
    )
    fed = dataclasses.replace(FEDERAL_SET, thresholds=(*FEDERAL_SET.thresholds, t), employer=(("industry", "retail"),))
    s = [shift("2026-11-02T06:00", "2026-11-02T18:00")]
    assert only_week(price(s, {"w1": worker()}, book(federal=fed))).overtime_hours == 2
    other = dataclasses.replace(fed, employer=(("industry", "farming"),))
    assert only_week(price(s, {"w1": worker()}, book(federal=other))).overtime_hours == 0
