"""``ot shifts --worker W --week DATE [--json]`` on the demo company."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from click.testing import CliRunner
from syrupy.assertion import SnapshotAssertion
from tests_support import punch_event

from ledger.events import NewEvent
from ledger.store import Ledger
from ot.cli import main
from ot.services.imports import load_demo
from ot.services.shifts import week_bounds, week_shifts
from rules.files import default_rules_path

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shifts") / "demo.db"
    load_demo(path, actor="demo-test", now=NOW)
    return path


@pytest.fixture
def demo_ledger(demo_base: Path, ledger_path: Path) -> Path:
    shutil.copy(demo_base, ledger_path)
    return ledger_path


def test_fall_back_week_table(demo_ledger: Path, cli: CliRunner, snapshot: SnapshotAssertion) -> None:
    """The week of Sunday 2026-10-25: the Saturday night shift runs 22:00 PDT to 06:30 PST (9.00 h worked)."""
    result = cli.invoke(main, ["shifts", "--worker", "W04", "--week", "2026-10-31"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == snapshot
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "S" in result.stdout
    assert "22:00 06:30+1 PDT/PST   9.00" in result.stdout


def test_exceptions_shift_rates_and_breaks(demo_ledger: Path, cli: CliRunner, snapshot: SnapshotAssertion) -> None:
    """W05 has two forklift shifts at their own rate; W06 forgot to punch out on Wednesday."""
    w05 = cli.invoke(main, ["shifts", "--worker", "W05", "--week", "2026-11-04"])
    w06 = cli.invoke(main, ["shifts", "--worker", "W06", "--week", "2026-11-04"])
    assert w05.exit_code == w06.exit_code == 0
    assert "32.75 shift" in w05.stdout
    assert "28.75 profile" in w05.stdout
    assert "review: missing_out" in w06.stdout
    assert w06.stdout == snapshot
    assert max(len(line) for line in w05.stdout.splitlines() + w06.stdout.splitlines()) <= 80


def test_json(demo_ledger: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["shifts", "--worker", "W29", "--week", "2026-11-12", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["worker"] == "W29"
    assert data["week_start"] == "2026-11-08"
    flagged = [s for s in data["shifts"] if s["exceptions"]]
    assert len(flagged) == 1
    shift = flagged[0]
    assert shift["exceptions"] == ["break_not_ended"]
    assert shift["start"]["timezone"] == "America/New_York"
    assert shift["start"]["local"].startswith("2026-11-12T")
    assert shift["breaks"][0]["end"] is None
    assert shift["breaks"][0]["type_code"] == "DEFAULT_UNPAID"
    assert shift["rate_origin"] == "profile"
    assert shift["state"] == "NY"
    assert shift["location_id"] == "NYC"
    assert all(s["hours"] is None or len(s["hours"].split(".")[1]) == 2 for s in data["shifts"])


def test_a_manual_entry_is_shown_and_overlaps_flagged(demo_ledger: Path, cli: CliRunner) -> None:
    with Ledger.open(demo_ledger) as led:
        led.append(
            [
                NewEvent(
                    "shift.entered",
                    {
                        "shift_id": "M-1",
                        "worker_id": "W03",
                        "start": "2026-11-02T20:00:00Z",
                        "end": "2026-11-02T22:00:00Z",
                        "day": None,
                        "minutes": None,
                        "breaks": [],
                        "rate": None,
                        "display_rate": None,
                        "location_id": None,
                        "pay_type": "REGULAR",
                        "meal_waiver": False,
                        "reason": "forgot to punch",
                    },
                    worker_id="W03",
                )
            ],
            actor="A1",
            now=NOW,
        )
    view = week_shifts(demo_ledger, "W03", date(2026, 11, 2))
    manual = [ln for ln in view.lines if ln.origin == "manual"]
    assert [ln.shift.shift_id for ln in manual] == ["M-1"]
    monday = [ln for ln in view.lines if ln.origin == "punches" and ln.shift.start and ln.shift.start.day == 2]
    assert monday[0].shift.exceptions == ("overlap",)
    text = cli.invoke(main, ["shifts", "--worker", "W03", "--week", "2026-11-02"]).stdout
    assert "manual entry (REGULAR)" in text
    assert "review: overlap" in text


def test_week_start_is_a_parameter(demo_ledger: Path) -> None:
    """W03 works Sunday 2026-11-08 through Saturday: seven shifts in a Sunday week, six in a Monday one."""
    assert week_bounds(date(2026, 11, 10)) == (date(2026, 11, 8), date(2026, 11, 14))
    assert week_bounds(date(2026, 11, 10), start_day=0) == (date(2026, 11, 9), date(2026, 11, 15))
    sunday = week_shifts(demo_ledger, "W03", date(2026, 11, 10))
    monday = week_shifts(demo_ledger, "W03", date(2026, 11, 10), start_day=0, start_time=time(6, 0))
    assert sunday.week_start == date(2026, 11, 8)
    assert monday.week_start == date(2026, 11, 9)
    assert len(sunday.lines) == 7
    assert len(monday.lines) == 6
    assert [ln.shift.shift_id for ln in monday.lines] == [ln.shift.shift_id for ln in sunday.lines[1:]]


def test_empty_week(demo_ledger: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["shifts", "--worker", "W01", "--week", "2025-01-01"])
    assert result.exit_code == 0
    assert "No shifts this week." in result.stdout


def test_unknown_worker(demo_ledger: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["shifts", "--worker", "W99", "--week", "2026-11-02"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--worker: no worker 'W99' in the ledger" in result.stderr


def test_bad_week(demo_ledger: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["shifts", "--worker", "W01", "--week", "next tuesday"])
    assert result.exit_code == 2
    assert "'next tuesday' is not a date: write it as YYYY-MM-DD" in result.stderr


def test_no_ledger(tmp_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["--ledger", str(tmp_path / "none.db"), "shifts", "--worker", "W01"])
    assert result.exit_code == 2
    assert "no ledger at" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_break_types_come_from_the_rules_in_force(demo_ledger: Path) -> None:
    """The demo's 10-minute REST breaks are paid under rules.example.ot; a later adopted file adds NAP (paid)."""
    view = week_shifts(demo_ledger, "W03", date(2026, 11, 2))
    rests = [b for ln in view.lines for b in ln.shift.breaks if b.type_code == "REST"]
    assert rests
    assert all(b.paid for b in rests)
    text = (
        default_rules_path()
        .read_text(encoding="utf-8")
        .replace("break type REST paid\n", "break type REST paid\nbreak type NAP paid\n")
    )
    with Ledger.open(demo_ledger) as led:
        led.append(
            [
                NewEvent(
                    "rules.adopted",
                    {
                        "sha256": hashlib.sha256(text.encode()).hexdigest(),
                        "file": "nap.ot",
                        "text": text,
                        "effective": "2026-11-08",
                    },
                ),
                punch_event("W03", "2026-11-09T19:00:00Z", "break_start", break_type="NAP"),
                punch_event("W03", "2026-11-09T19:15:00Z", "break_end"),
            ],
            actor="A1",
            now=NOW,
        )
    before = week_shifts(demo_ledger, "W03", date(2026, 11, 2))
    assert all(not ln.shift.exceptions for ln in before.lines)
    after = week_shifts(demo_ledger, "W03", date(2026, 11, 9))
    naps = [(b.paid, ln.shift.exceptions) for ln in after.lines for b in ln.shift.breaks if b.type_code == "NAP"]
    assert naps == [(True, ())]
    unknown = week_shifts(demo_ledger, "W03", date(2026, 11, 9), break_types={"DEFAULT_UNPAID": False})
    assert any("unknown_break_type" in ln.shift.exceptions for ln in unknown.lines)
