"""``ot shift add|edit|delete``: manual entries, their checks, and who may make them."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from approvals_helpers import add, company, events, ot, snapshot_of
from click.testing import CliRunner

from ot.core.domain import Shift
from ot.services.entries import ShiftInput
from ot.services.pay import price_weeks
from ot.services.shifts import week_shifts
from ot.services.uow import unit_of_work


def _shifts(path: Path, worker: str, first: date, last: date) -> list[Shift]:
    with unit_of_work(path) as uow:
        return list(uow.shifts([worker], first, last))


def test_add_timed_and_hours_only(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    out = ot(
        cli,
        "shift",
        "add",
        "--worker",
        "W1",
        "--start",
        "2026-10-13T08:00",
        "--end",
        "16:30",
        "--break",
        "12:00-12:30",
        "--rate",
        "22.50",
        "--reason",
        "paper timesheet",
        user="M1",
    ).stdout
    assert out == "added shift M11: W1 Tue 2026-10-13 08:00-16:30\n"
    out = ot(
        cli, "shift", "add", "--worker", "W1", "--date", "2026-10-14", "--hours", "7.5", "--pay-type", "pto"
    ).stdout
    assert out == "added shift M12: W1 Wed 2026-10-14 PTO 7.50 h\n"
    [entered, pto] = events(ledger_path, "shift.entered")
    p = entered.payload
    # 08:00 PDT is 15:00Z; the break 12:00-12:30 PDT is 19:00-19:30Z.
    assert (p["start"], p["end"], p["rate"], p["reason"]) == (
        "2026-10-13T15:00:00Z",
        "2026-10-13T23:30:00Z",
        "22.50",
        "paper timesheet",
    )
    assert p["breaks"] == [
        {"start": "2026-10-13T19:00:00Z", "end": "2026-10-13T19:30:00Z", "type_code": "DEFAULT_UNPAID", "paid": False}
    ]
    assert entered.actor == "M1"
    assert entered.worker_id == "W1"
    assert (pto.payload["day"], pto.payload["minutes"], pto.payload["pay_type"]) == ("2026-10-14", 450, "PTO")


def test_end_as_clock_time_crosses_midnight(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    add(cli, "W1", "--start", "2026-10-13T22:00", "--end", "06:00")
    [e] = events(ledger_path, "shift.entered")
    assert (e.payload["start"], e.payload["end"]) == ("2026-10-14T05:00:00Z", "2026-10-14T13:00:00Z")


@pytest.mark.parametrize(
    ("args", "where", "says"),
    [
        (["--start", "2026-10-13T08:00", "--end", "2026-10-14T09:00"], "--end", "more than 24 hours"),
        (["--start", "2026-10-13T08:00", "--end", "2026-10-13T07:00"], "--end", "before it starts"),
        (["--start", "2026-10-13 8am", "--end", "16:00"], "--start", "YYYY-MM-DDTHH:MM"),
        (["--start", "2026-10-13T08:00", "--end", "16:00", "--break", "17:00-17:30"], "--break 17:00-17:30", "outside"),
        (["--start", "2026-10-13T08:00", "--end", "16:00", "--break", "12:00-12:30:NAP"], "--break", "NAP"),
        (["--start", "2026-10-13T08:00", "--end", "16:00", "--break", "noon"], "--break noon", "HH:MM-HH:MM"),
        (["--date", "2026-10-13", "--hours", "25"], "--hours", "at most 24 hours"),
        (["--date", "2026-10-13", "--hours", "abc"], "--hours", "not a decimal"),
        (["--date", "2026-10-13", "--hours", "8", "--start", "2026-10-13T08:00"], "--start/--date", "not both"),
        (["--date", "2026-10-13", "--hours", "8", "--location", "L9"], "--location", "no location 'L9'"),
        (["--date", "2026-10-13", "--hours", "8", "--rate", "0"], "--rate", "more than 0"),
        (["--date", "13/10/2026", "--hours", "8"], "--date", "YYYY-MM-DD"),
        ([], "--start", "give --start and --end"),
        (["--start", "2026-03-08T02:30", "--end", "2026-03-08T09:00"], "--start", "does not exist"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, args: list[str], where: str, says: str
) -> None:
    company(cli, tmp_path)
    before = snapshot_of(ledger_path)
    result = ot(cli, "shift", "add", "--worker", "W1", *args, code=2)
    assert where in result.stderr, result.stderr
    assert says in result.stderr, result.stderr
    assert result.stdout == ""
    assert snapshot_of(ledger_path) == before


def test_more_than_24_hours_of_one_pay_type_on_one_day(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """The Timerack rule of the seeds: no more than 24 hours on a single pay type (per day)."""
    company(cli, tmp_path)
    add(cli, "W1", "--date", "2026-10-13", "--hours", "16")
    add(cli, "W1", "--date", "2026-10-13", "--hours", "8", "--pay-type", "PTO")  # another pay type: fine
    before = snapshot_of(ledger_path)
    result = ot(cli, "shift", "add", "--worker", "W1", "--start", "2026-10-13T08:00", "--end", "18:00", code=2)
    assert "W1 would have 26.00 hours of REGULAR on 2026-10-13: at most 24 hours" in result.stderr
    assert snapshot_of(ledger_path) == before


def test_edit_and_delete_a_manual_shift(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    sid = add(cli, "W1", "--start", "2026-10-13T08:00", "--end", "16:00")
    out = ot(cli, "shift", "edit", sid, "--end", "2026-10-13T17:00", "--reason", "late out", user="M1").stdout
    assert out == f"edited shift {sid}: W1 Tue 2026-10-13 08:00-17:00\n"
    ot(cli, "shift", "edit", sid, "--end", "2026-10-13T17:00", code=2)  # nothing changes
    [s] = _shifts(ledger_path, "W1", date(2026, 10, 13), date(2026, 10, 13))
    assert s.end is not None
    assert s.end.isoformat() == "2026-10-14T00:00:00+00:00"
    ot(cli, "shift", "delete", sid, "--reason", "entered twice")
    assert _shifts(ledger_path, "W1", date(2026, 10, 13), date(2026, 10, 13)) == []
    ot(cli, "shift", "delete", sid, "--reason", "again", code=2)
    assert events(ledger_path, "shift.deleted")[0].payload == {"shift_id": sid, "reason": "entered twice"}


PUNCHES = """worker_id,time,kind,location_id,break_type
W1,2026-10-13T08:00,in,,
W1,2026-10-13T16:00,out,,
W1,2026-10-14T08:00,in,,
W1,2026-10-14T16:00,out,,
"""


def _punched(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> list[str]:
    company(cli, tmp_path)
    (tmp_path / "punches.csv").write_text(PUNCHES)
    ot(cli, "import", "punches", str(tmp_path / "punches.csv"))
    shifts = _shifts(ledger_path, "W1", date(2026, 10, 11), date(2026, 10, 17))
    return [s.shift_id for s in shifts]


def test_an_edit_of_a_punched_shift_replaces_the_paired_shift(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    ids = _punched(cli, ledger_path, tmp_path)
    assert len(ids) == 2
    assert all(i.startswith("S") for i in ids)
    ot(cli, "shift", "edit", ids[0], "--end", "2026-10-13T18:00", "--reason", "forgot to punch out", user="M1")
    shifts = _shifts(ledger_path, "W1", date(2026, 10, 11), date(2026, 10, 17))
    assert [s.shift_id for s in shifts] == ids
    assert shifts[0].end == datetime(2026, 10, 14, 1, 0, tzinfo=UTC)
    with unit_of_work(ledger_path) as uow:
        run = uow.price(["W1"], date(2026, 10, 11), date(2026, 10, 17))
    [week] = run.weeks
    # 10 h + 8 h in California: 8 REG + 2 OT on Tuesday (Lab. Code 510(a)), 8 REG on Wednesday.
    assert (week.result.regular_hours, week.result.overtime_hours) == (16, 2)
    ot(cli, "shift", "delete", ids[1], "--reason", "not worked", user="M1")
    assert [s.shift_id for s in _shifts(ledger_path, "W1", date(2026, 10, 11), date(2026, 10, 17))] == ids[:1]


def test_price_weeks_agrees_after_a_punched_shift_is_edited(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    ids = _punched(cli, ledger_path, tmp_path)
    ot(cli, "shift", "edit", ids[0], "--end", "2026-10-13T18:00", "--reason", "forgot to punch out", user="M1")
    run = price_weeks(ledger_path, ["W1"], date(2026, 10, 11), date(2026, 10, 17))
    assert run.weeks[0].result.hours_worked == 18
    # ot shifts shows the edited shift once, not the punched one beside it.
    view = week_shifts(ledger_path, "W1", date(2026, 10, 13))
    assert [line.shift.shift_id for line in view.lines].count(ids[0]) == 1


def test_price_open_prices_like_price_weeks(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    _punched(cli, ledger_path, tmp_path)
    add(cli, "W1", "--start", "2026-10-15T07:00", "--end", "20:00", "--break", "12:00-12:30")
    add(cli, "W2", "--date", "2026-10-16", "--hours", "9")
    expected = price_weeks(ledger_path, ["W1", "W2"], date(2026, 10, 11), date(2026, 10, 24))
    with unit_of_work(ledger_path) as uow:
        got = uow.price(["W1", "W2"], date(2026, 10, 11), date(2026, 10, 24))
    assert [w.result for w in got.weeks] == [w.result for w in expected.weeks]
    assert [w.rules_sha256 for w in got.weeks] == [w.rules_sha256 for w in expected.weeks]


@pytest.mark.parametrize(
    ("user", "worker", "says"),
    [
        ("W1", "W1", "nobody may enter their own shifts"),
        ("W3", "W1", "W3 is a worker"),
        ("M2", "W1", "M2 does not manage W1"),
        ("M1", "M1", "nobody may enter their own shifts"),
        ("nobody", "W1", "'nobody' is not in the roster"),
    ],
)
def test_who_may_not_enter_shifts(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, user: str, worker: str, says: str
) -> None:
    company(cli, tmp_path)
    before = snapshot_of(ledger_path)
    result = ot(cli, "shift", "add", "--worker", worker, "--date", "2026-10-13", "--hours", "8", user=user, code=2)
    assert says in result.stderr
    assert snapshot_of(ledger_path) == before


@pytest.mark.parametrize(("user", "worker"), [("A1", "W1"), ("A1", "M1"), ("A2", "A1"), ("M1", "W1"), ("M2", "W2")])
def test_who_may_enter_shifts(cli: CliRunner, ledger_path: Path, tmp_path: Path, user: str, worker: str) -> None:
    company(cli, tmp_path)
    ot(cli, "shift", "add", "--worker", worker, "--date", "2026-10-13", "--hours", "8", user=user)
    assert events(ledger_path, "shift.entered")[0].actor == user


def test_shift_input_is_frozen() -> None:
    given = ShiftInput(start="2026-10-13T08:00")
    with pytest.raises(FrozenInstanceError):
        given.start = "x"  # type: ignore[misc]
