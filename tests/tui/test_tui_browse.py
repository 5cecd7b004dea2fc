"""The read-only service behind the timecards screen (ot.services.browse)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ot.core.errors import OtError
from ot.services.browse import (
    WorkerFilter,
    filter_choices,
    latest_day,
    ledger_head,
    list_workers,
    timecard_week,
)
from ot.services.pay import price_weeks

WEEK = date(2026, 11, 1)


def test_week_matches_the_pay_service_for_every_demo_worker(demo_ledger: Path) -> None:
    """The timecard week (a window of punches) prices exactly as ``price_weeks`` (all
    punches) does: same hours by class, regular rate and gross for each worker; and the
    pay shown on the shifts plus the week's other pay adds up to the gross."""
    run = price_weeks(demo_ledger, None, WEEK, WEEK + (date(2026, 11, 7) - WEEK))
    checked = 0
    for priced in run.weeks:
        wid = priced.worker.worker_id
        week = timecard_week(demo_ledger, wid, date(2026, 11, 4))
        assert week.week_start == WEEK
        assert week.problem is None
        r = priced.result
        assert (week.regular, week.overtime, week.doubletime, week.premium) == (
            r.regular_hours,
            r.overtime_hours,
            r.doubletime_hours,
            r.premium_hours,
        ), wid
        assert week.regular_rate == r.regular_rate
        assert week.gross == r.gross
        shown = sum((row.pay for row in week.rows if row.pay is not None), Decimal(0)) + week.week_pay
        assert shown == r.gross, wid
        by_class = sum((row.regular + row.overtime + row.doubletime for row in week.rows), Decimal(0))
        # Shift rows show each shift's exact time; the week's hours are its pay groups' (each to the
        # hundredth of an hour, ot.core.money): within half a hundredth per group (docs/issue-12-integration.md).
        assert abs(by_class - r.hours_worked) <= Decimal("0.005") * len(r.groups), wid
        checked += 1
    assert checked >= 30


def test_flagged_shift_is_listed_unpriced(demo_ledger: Path) -> None:
    """A shift with a missing punch is shown with its exception and no pay."""
    page = list_workers(demo_ledger, WorkerFilter(has_exceptions=True, week_of=WEEK))
    assert [r.worker_id for r in page.rows] == ["W06"]
    week = timecard_week(demo_ledger, "W06", WEEK)
    flagged = [r for r in week.rows if r.exceptions]
    assert flagged
    assert week.exceptions == len(flagged)
    for row in flagged:
        assert set(row.exceptions) & {"missing_out", "missing_in", "break_not_ended"}
        if "missing_out" in row.exceptions:
            assert row.pay is None
            assert row.time_out == ""


def test_worker_pages_and_filters(demo_ledger: Path) -> None:
    everyone = list_workers(demo_ledger, WorkerFilter(), 0, 15)
    assert everyone.total == 40
    assert len(everyone.rows) == 15
    rest = list_workers(demo_ledger, WorkerFilter(), 15, 100)
    ids = [r.worker_id for r in (*everyone.rows, *rest.rows)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 40
    nora = list_workers(demo_ledger, WorkerFilter(text="  NGUYEN nora "))
    assert [r.name for r in nora.rows] == ["Nora Nguyen"]
    locations, managers, states = filter_choices(demo_ledger)
    assert "LGB" in locations
    assert "CA" in states
    assert managers
    for state in states:
        page = list_workers(demo_ledger, WorkerFilter(state=state))
        assert page.total > 0
        assert {r.state for r in page.rows} == {state}
    m = managers[0]
    managed = list_workers(demo_ledger, WorkerFilter(manager_id=m))
    assert managed.total > 0
    assert {r.manager_id for r in managed.rows} == {m}
    lgb = list_workers(demo_ledger, WorkerFilter(location_id="LGB", text="zzz"))
    assert lgb.total == 0


def test_bad_requests_say_what_to_do(demo_ledger: Path) -> None:
    with pytest.raises(OtError) as err:
        list_workers(demo_ledger, WorkerFilter(), -1, 10)
    assert err.value.problems[0].where == "page"
    with pytest.raises(OtError) as err:
        list_workers(demo_ledger, WorkerFilter(has_exceptions=True))
    assert err.value.problems[0].where == "has exceptions"
    with pytest.raises(OtError) as err:
        timecard_week(demo_ledger, "NOPE", WEEK)
    assert err.value.problems[0].where == "worker"
    assert "NOPE" in err.value.problems[0].message


def test_missing_ledger_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    assert ledger_head(path) == 0
    assert list_workers(path, WorkerFilter()).total == 0
    assert filter_choices(path) == ((), (), ())
    assert latest_day(path, date(2026, 1, 2)) == date(2026, 1, 2)
    assert not path.exists()


def test_latest_day_and_head(demo_ledger: Path) -> None:
    """The timecards open on today's week, or on the last punch's when the ledger ends earlier."""
    assert latest_day(demo_ledger, date(2026, 11, 5)) == date(2026, 11, 5)
    last = latest_day(demo_ledger, date(2027, 3, 1))
    assert date(2026, 11, 13) <= last <= date(2026, 11, 15)
    assert ledger_head(demo_ledger) > 0
