"""Schedules (``ot import schedules``), PTO filled from them (``ot pto fill``) and holiday hours
(``ot holidays fill``): the entries they add, what they skip, bad input, the wrong role, paid dates.

The small ledger (tests/conftest.py): admin A1, manager M1, W1 in Los Angeles (CA) and T1 in
Houston (TX), both reporting to M1; the default biweekly periods run from 2026-10-11.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.schema import MIGRATIONS
from ledger.store import Ledger
from ot.cli import main
from ot.core.errors import OtError, PermissionDenied
from ot.services import schedules
from ot.services.ledger import verify

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
HEADER = "worker_id,weekday,hours,effective_from\n"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def weekdays(worker: str, hours: str, since: str = "2026-01-01") -> str:
    return "".join(f"{worker},{day},{hours},{since}\n" for day in WEEKDAYS)


def write(tmp_path: Path, text: str, name: str = "schedules.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def entries(path: Path, kind: str = "shift.entered") -> list[dict[str, object]]:
    with Ledger.open(path, create=False) as ledger:
        return [dict(e.payload) for e in ledger.events(kind=kind)]


@pytest.fixture
def scheduled(small_ledger: Path, tmp_path: Path) -> Path:
    """The small ledger with W1 scheduled 8h Monday to Friday (not Saturday) and T1 6h Monday to Friday."""
    text = HEADER + weekdays("W1", "8") + "W1,sat,0,2026-01-01\n" + weekdays("T1", "6")
    found = schedules.import_schedules(small_ledger, write(tmp_path, text), actor="A1", now=NOW)
    assert (found.rows, found.added, found.unchanged) == (11, 11, 0)
    return small_ledger


# --- importing --------------------------------------------------------------------------


def test_import_records_one_event_per_row_and_a_change_is_a_new_event(scheduled: Path, tmp_path: Path) -> None:
    assert len(entries(scheduled, "schedule.set")) == 11
    again = schedules.import_schedules(scheduled, tmp_path / "schedules.csv", actor="A1", now=NOW)
    assert (again.added, again.unchanged) == (0, 11)
    # W1 works 4 hours on Fridays from 2026-12-01; the earlier rows stay in force before it.
    change = write(tmp_path, HEADER + "W1,friday,4,2026-12-01\nW1,Mon,8,2026-01-01\n", "change.csv")
    changed = schedules.import_schedules(scheduled, change, actor="A1", now=NOW)
    assert (changed.added, changed.unchanged) == (1, 1)
    events = entries(scheduled, "schedule.set")
    assert events[-1] == {
        "worker_id": "W1",
        "weekday": 4,
        "hours": "4",
        "effective_from": "2026-12-01",
        "source": "import:change.csv",
    }
    rows = schedules.schedule_rows(scheduled, "W1")
    assert [(r.weekday_name, r.hours, r.effective_from) for r in rows][-1] == ("friday", Decimal(4), date(2026, 12, 1))
    assert verify(scheduled).ok  # the schedules table equals a fresh fold of the events


def test_import_dry_run_writes_nothing(small_ledger: Path, tmp_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["import", "schedules", str(write(tmp_path, HEADER + weekdays("W1", "8"))), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "would add 5" in result.stdout
    assert entries(small_ledger, "schedule.set") == []


BAD_ROWS = {
    "unknown worker": ("ZZ,monday,8,2026-01-01\n", "schedules.csv:2:1", "no worker 'ZZ' in the ledger"),
    "bad weekday": ("W1,funday,8,2026-01-01\n", "schedules.csv:2:2", "'funday' is not a weekday"),
    "too many hours": ("W1,monday,25,2026-01-01\n", "schedules.csv:2:3", "at most 24 hours"),
    "negative hours": ("W1,monday,-1,2026-01-01\n", "schedules.csv:2:3", "must be 0 or more hours"),
    "bad date": ("W1,monday,8,2026-02-30\n", "schedules.csv:2:4", "effective_from"),
    "twice": ("W1,monday,8,2026-01-01\nW1,mon,7,2026-01-01\n", "schedules.csv:3:2", "given twice (first on line 2)"),
}


@pytest.mark.parametrize("name", sorted(BAD_ROWS))
def test_bad_rows_are_refused_whole_and_located(small_ledger: Path, tmp_path: Path, cli: CliRunner, name: str) -> None:
    rows, where, words = BAD_ROWS[name]
    text = HEADER + rows
    result = cli.invoke(main, ["import", "schedules", str(write(tmp_path, text))])
    assert result.exit_code == 2
    assert where in result.stderr
    assert words in result.stderr
    assert "nothing was imported" in result.stderr
    assert entries(small_ledger, "schedule.set") == []


def test_a_header_without_the_columns_is_refused(small_ledger: Path, tmp_path: Path) -> None:
    with pytest.raises(OtError) as caught:
        schedules.import_schedules(small_ledger, write(tmp_path, "worker,day,hours\n"), actor="A1", now=NOW)
    (problem,) = caught.value.problems
    assert problem.where == "schedules.csv:1:1"
    assert "worker_id, weekday, effective_from" in problem.message
    with pytest.raises(OtError) as empty:
        schedules.import_schedules(small_ledger, write(tmp_path, ""), actor="A1", now=NOW)
    assert empty.value.problems[0].where == "schedules.csv:1:1"
    assert "the file is empty" in empty.value.problems[0].message


def test_only_an_admin_imports_schedules(small_ledger: Path, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied) as caught:
        schedules.import_schedules(small_ledger, write(tmp_path, HEADER + weekdays("W1", "8")), actor="M1", now=NOW)
    assert "only an admin may import schedules" in caught.value.problems[0].message


# --- PTO ----------------------------------------------------------------------------------


def test_pto_fill_enters_the_scheduled_hours_of_each_scheduled_day(scheduled: Path) -> None:
    result = schedules.fill_leave(scheduled, worker_id="W1", first="2026-11-16", last="2026-11-22", actor="A1", now=NOW)
    assert [(f.day.isoformat(), f.hours, f.pay_type) for f in result.added] == [
        (f"2026-11-{d}", Decimal(8), "PTO") for d in range(16, 21)
    ]
    assert [(d.isoformat(), why) for _, d, why in result.skipped] == [
        ("2026-11-21", "not scheduled on this weekday"),
        ("2026-11-22", "no schedule in force for this weekday"),
    ]
    made = entries(scheduled)
    assert [(e["day"], e["minutes"], e["pay_type"], e["start"]) for e in made] == [
        (f"2026-11-{d}", 480, "PTO", None) for d in range(16, 21)
    ]
    again = schedules.fill_leave(scheduled, worker_id="W1", first="2026-11-16", last="2026-11-20", actor="A1", now=NOW)
    assert again.added == ()
    assert all("already has PTO hours" in why for _, _, why in again.skipped)
    assert len(entries(scheduled)) == 5


def test_pto_fill_follows_the_schedule_in_force_on_each_day(scheduled: Path, tmp_path: Path) -> None:
    schedules.import_schedules(scheduled, write(tmp_path, HEADER + "W1,friday,4,2026-12-01\n"), actor="A1", now=NOW)
    result = schedules.fill_leave(
        scheduled, worker_id="W1", first="2026-11-27", last="2026-12-04", kind="sick", actor="A1", now=NOW
    )
    by_day = {f.day.isoformat(): f.hours for f in result.added}
    assert by_day["2026-11-27"] == Decimal(8)  # a Friday before the change
    assert by_day["2026-12-04"] == Decimal(4)  # a Friday after it
    assert {f.pay_type for f in result.added} == {"SICK"}


def test_pto_fill_dry_run_writes_nothing(scheduled: Path, cli: CliRunner) -> None:
    args = ["pto", "fill", "--worker", "W1", "--from", "2026-11-16", "--to", "2026-11-17", "--dry-run"]
    result = cli.invoke(main, args)
    assert result.exit_code == 0, result.stderr
    assert "PTO 8h for W1 on Mon 2026-11-16" in result.stdout
    assert "would add 2 entries, 16 hours (dry run: nothing was written)" in result.stdout
    assert entries(scheduled) == []


@pytest.mark.parametrize(
    ("args", "where", "words"),
    [
        (["--worker", "ZZ", "--from", "2026-11-16", "--to", "2026-11-17"], "--worker", "no worker 'ZZ'"),
        (["--worker", "W1", "--from", "2026-11-17", "--to", "2026-11-16"], "--to", "is before --from"),
        (["--worker", "W1", "--from", "16/11/2026", "--to", "2026-11-17"], "--from", "16/11/2026"),
        (["--worker", "W1", "--from", "2026-01-01", "--to", "2027-06-01"], "--to", "at most 366 days"),
        (["--worker", "M1", "--from", "2026-11-16", "--to", "2026-11-17"], "--worker", "M1 has no schedule"),
        (["--worker", "W1", "--from", "2026-11-21", "--to", "2026-11-22"], "--from", "scheduled on no day"),
    ],
)
def test_pto_fill_bad_input(scheduled: Path, cli: CliRunner, args: list[str], where: str, words: str) -> None:
    result = cli.invoke(main, ["pto", "fill", *args])
    assert result.exit_code == 2
    assert where in result.stderr
    assert words in result.stderr
    assert entries(scheduled) == []


def test_pto_fill_bad_kind_is_a_usage_error(scheduled: Path, cli: CliRunner) -> None:
    args = ["pto", "fill", "--worker", "W1", "--from", "2026-11-16", "--to", "2026-11-17", "--kind", "VACATION"]
    result = cli.invoke(main, args)
    assert result.exit_code == 2
    assert "--kind" in result.stderr


@pytest.mark.parametrize(("actor", "words"), [("W1", "their own"), ("T1", "only an admin or manager")])
def test_pto_fill_needs_the_right_to_enter_the_workers_shifts(scheduled: Path, actor: str, words: str) -> None:
    with pytest.raises(PermissionDenied) as caught:
        schedules.fill_leave(scheduled, worker_id="W1", first="2026-11-16", last="2026-11-16", actor=actor, now=NOW)
    assert words in caught.value.problems[0].message
    assert entries(scheduled) == []


def test_pto_on_a_paid_date_is_refused_unless_it_is_an_authorized_correction(
    demo_paid_ledger: Path, tmp_path: Path
) -> None:
    schedules.import_schedules(demo_paid_ledger, write(tmp_path, HEADER + weekdays("W02", "8")), actor="A1", now=NOW)
    before = len(entries(demo_paid_ledger))
    with pytest.raises(OtError) as caught:
        schedules.fill_leave(
            demo_paid_ledger, worker_id="W02", first="2026-10-19", last="2026-10-19", actor="A1", now=NOW
        )
    assert "this date is paid" in caught.value.problems[0].message
    assert "--correction-authorized" in caught.value.problems[0].message
    assert len(entries(demo_paid_ledger)) == before
    fixed = schedules.fill_leave(
        demo_paid_ledger,
        worker_id="W02",
        first="2026-10-19",
        last="2026-10-19",
        reason="PTO approved late",
        correction_authorized=True,
        actor="A1",
        now=NOW,
    )
    assert [f.correction for f in fixed.added] == [True]
    assert [c.kind for c in fixed.corrections] == ["underpayment"]
    assert entries(demo_paid_ledger, "correction.recorded")


# --- holidays ---------------------------------------------------------------------------------


def test_holidays_fill_pays_the_scheduled_hours_of_each_holiday(scheduled: Path) -> None:
    # The period 2026-11-08 to 2026-11-21 holds Veterans Day (Wednesday 2026-11-11).
    result = schedules.fill_holidays(scheduled, period_day="2026-11-12", actor="A1", now=NOW)
    assert [(f.worker_id, f.day.isoformat(), f.hours, f.pay_type, f.holiday) for f in result.added] == [
        ("T1", "2026-11-11", Decimal(6), "HOLIDAY", "Veterans Day"),
        ("W1", "2026-11-11", Decimal(8), "HOLIDAY", "Veterans Day"),
    ]
    assert result.notes == ("2 worker(s) without a schedule got no holiday hours: A1, M1 (ot import schedules FILE)",)
    made = entries(scheduled)
    assert [(e["worker_id"], e["day"], e["minutes"], e["pay_type"], e["reason"]) for e in made] == [
        ("T1", "2026-11-11", 360, "HOLIDAY", "Veterans Day (holiday hours from the schedule)"),
        ("W1", "2026-11-11", 480, "HOLIDAY", "Veterans Day (holiday hours from the schedule)"),
    ]
    again = schedules.fill_holidays(scheduled, period_day="2026-11-12", actor="A1", now=NOW)
    assert again.added == ()
    assert len(entries(scheduled)) == 2
    # A holiday already paid as leave is not charged as PTO.
    pto = schedules.fill_leave(scheduled, worker_id="W1", first="2026-11-09", last="2026-11-13", actor="A1", now=NOW)
    assert [d.isoformat() for _, d, _ in pto.skipped] == ["2026-11-11"]
    assert verify(scheduled).ok


def test_a_state_holiday_is_paid_only_in_that_state_and_not_on_the_federal_calendar(scheduled: Path) -> None:
    # Cesar Chavez Day (Tuesday 2026-03-31) is a California holiday only (Cal. Gov. Code 6700(a)(7)).
    result = schedules.fill_holidays(scheduled, period_day="2026-03-31", dry_run=True, actor="A1", now=NOW)
    assert [(f.worker_id, f.holiday) for f in result.added] == [("W1", "Cesar Chavez Day")]
    federal = schedules.fill_holidays(
        scheduled, period_day="2026-03-31", calendar="federal", dry_run=True, actor="A1", now=NOW
    )
    assert federal.added == ()
    assert federal.notes[0].startswith("no holiday on the calendar from")
    assert entries(scheduled) == []


def test_a_saturday_holiday_is_paid_on_the_friday_it_is_kept(scheduled: Path) -> None:
    # July 4, 2026 is a Saturday, kept on Friday July 3 (5 U.S.C. 6103(b)); W1 does not work Saturdays.
    result = schedules.fill_holidays(scheduled, period_day="2026-07-03", workers=["W1"], actor="A1", now=NOW)
    assert [(f.day.isoformat(), f.holiday) for f in result.added] == [("2026-07-03", "Independence Day")]


def test_holidays_fill_cli(scheduled: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["holidays", "fill", "--period", "2026-11-12", "--worker", "W1"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("Veterans Day: HOLIDAY 8h for W1 on Wed 2026-11-11 (M")
    assert "added 1 entries, 8 hours" in result.stdout


@pytest.mark.parametrize(
    ("args", "where", "words"),
    [
        (["--period", "2026-11-12", "--worker", "ZZ"], "--worker", "no worker 'ZZ'"),
        (["--period", "12 Nov"], "--period", "12 Nov"),
    ],
)
def test_holidays_fill_bad_input(scheduled: Path, cli: CliRunner, args: list[str], where: str, words: str) -> None:
    result = cli.invoke(main, ["holidays", "fill", *args])
    assert result.exit_code == 2
    assert where in result.stderr
    assert words in result.stderr
    assert entries(scheduled) == []


@pytest.mark.parametrize("actor", ["M1", "W1"])
def test_only_an_admin_fills_holiday_hours(scheduled: Path, actor: str) -> None:
    with pytest.raises(PermissionDenied) as caught:
        schedules.fill_holidays(scheduled, period_day="2026-11-12", actor=actor, now=NOW)
    assert "only an admin may fill holiday hours" in caught.value.problems[0].message
    assert entries(scheduled) == []


def test_holiday_hours_on_a_paid_date_need_an_authorized_correction(demo_paid_ledger: Path, tmp_path: Path) -> None:
    # Columbus Day (Monday 2026-10-12) is in the paid period 2026-10-11 to 2026-10-24.
    schedules.import_schedules(demo_paid_ledger, write(tmp_path, HEADER + weekdays("W02", "8")), actor="A1", now=NOW)
    with pytest.raises(OtError) as caught:
        schedules.fill_holidays(demo_paid_ledger, period_day="2026-10-12", workers=["W02"], actor="A1", now=NOW)
    assert "this date is paid" in caught.value.problems[0].message


def test_the_schedule_table_is_migrated_in(small_ledger: Path) -> None:
    conn = sqlite3.connect(small_ledger)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    finally:
        conn.close()
    assert "schedules" in names
    # every step recorded, schedules' (8) among them (numbers may skip one kept for another change)
    assert versions == [m.version for m in MIGRATIONS]
    assert 8 in versions
