"""``ot demo``: the deterministic demo company, and the summary ``ot`` prints."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from syrupy.assertion import SnapshotAssertion

from ledger import demo
from ledger.pairing import pair_punches, worked_minutes
from ledger.store import Ledger
from ot.cli import main
from ot.core.domain import Shift
from ot.core.timez import local
from ot.services.imports import load_demo
from ot.services.shifts import BreakTypes
from ot.services.summary import ledger_summary, summarize

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    load_demo(path, actor="demo-test", now=NOW)
    return path


@pytest.fixture(scope="session")
def demo_shifts(demo_ledger: Path) -> dict[str, list[Shift]]:
    with Ledger.open(demo_ledger, create=False) as led:
        roster, locations = led.roster(), led.locations()
        punches = led.punches()
    by_worker = defaultdict(list)
    for p in punches:
        by_worker[p.worker_id].append(p)
    table = BreakTypes([]).table("CA", date(2026, 11, 1))
    return {w: pair_punches(ps, roster[w], locations, table) for w, ps in by_worker.items()}


def test_demo_twice_adds_nothing_and_verifies(demo_ledger: Path, tmp_path: Path, cli: CliRunner) -> None:
    copy = tmp_path / "again.db"
    shutil.copy(demo_ledger, copy)
    with Ledger.open(copy) as led:
        before = led.count()
    result = cli.invoke(main, ["--ledger", str(copy), "--as", "second", "demo"])
    assert result.exit_code == 0, result.stderr
    assert "added 0 events (nothing new)" in result.stdout
    assert "admin: A1" in result.stdout
    assert f"sample PIN: {demo.sample_pin()[1]} (worker W01)" in result.stdout
    with Ledger.open(copy) as led:
        assert led.count() == before
        report = led.verify()
    assert report.ok, report.problems


def test_demo_files_are_deterministic_across_processes() -> None:
    """Same bytes under different hash seeds: no clock, no set order, no hash() in the generator."""
    code = "import hashlib; from ledger.demo import demo_files; print(hashlib.sha256(repr(demo_files()).encode()).hexdigest())"
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert digests == {hashlib.sha256(repr(demo.demo_files()).encode()).hexdigest()}


def test_roster(demo_ledger: Path) -> None:
    with Ledger.open(demo_ledger, create=False) as led:
        roster, locations = led.roster(), led.locations()
    assert len(roster) == 40
    assert {loc.state for loc in locations.values()} == {"CA", "NV", "CO", "AK", "KY", "TX", "NY"}
    assert locations["SDF"].timezone == "America/Kentucky/Louisville"
    assert sum(w.type == "1099" for w in roster.values()) == 4
    assert [w.worker_id for w in roster.values() if w.role == "admin"] == [demo.ADMIN_ID]
    assert sum(w.role == "manager" for w in roster.values()) == 7
    for w in roster.values():
        if w.role != "admin":
            assert w.manager_id in roster
            assert roster[w.manager_id].role in ("manager", "admin")
    raised = {w.worker_id for w in roster.values() if w.rate_on(date(2026, 10, 31)) != w.rate_on(date(2026, 11, 1))}
    assert raised == {"W01", "W06", "W10", "W14", "W25"}, "a pay-rate change in the middle of the period"


def test_punches_cover_four_weeks_ending_2026_11_14(demo_shifts: dict[str, list[Shift]]) -> None:
    days = [local(s.start, s.timezone).date() for shifts in demo_shifts.values() for s in shifts if s.start]
    ends = [local(s.end, s.timezone).date() for shifts in demo_shifts.values() for s in shifts if s.end]
    assert min(days) >= demo.DEMO_FIRST_DAY
    assert max(days) == max(ends) == demo.DEMO_LAST_DAY


def test_fall_back_night_shift(demo_shifts: dict[str, list[Shift]]) -> None:
    """22:00 PDT Oct 31 to 06:30 PST Nov 1: 9.5 hours elapse (the 01:00 hour twice); 9 worked after the meal."""
    (s,) = [s for s in demo_shifts["W04"] if s.start and local(s.start, s.timezone).date() == date(2026, 10, 31)]
    assert s.start is not None
    assert s.end is not None
    assert local(s.start, s.timezone).tzname() == "PDT"
    assert local(s.end, s.timezone).tzname() == "PST"
    assert worked_minutes(s) == 540


def test_engine_cases_are_present(demo_shifts: dict[str, list[Shift]]) -> None:
    ca = [s for shifts in demo_shifts.values() for s in shifts if s.state == "CA" and s.end]
    assert any((worked_minutes(s) or 0) > 12 * 60 for s in ca), "a California day over 12 hours"
    assert any(8 * 60 < (worked_minutes(s) or 0) <= 12 * 60 for s in ca), "a California day over 8 hours"
    co = [s for shifts in demo_shifts.values() for s in shifts if s.state == "CO" and s.end]
    assert any((worked_minutes(s) or 0) > 12 * 60 for s in co), "a Colorado day over 12 hours"
    overnight = [s for s in ca if local(s.start, s.timezone).date() != local(s.end, s.timezone).date()]  # type: ignore[arg-type]
    assert len(overnight) > 10
    meal = [s for s in ca if any(not b.paid and b.end and b.end - b.start >= timedelta(minutes=30) for b in s.breaks)]
    assert len(meal) > 100


def test_seventh_consecutive_day(demo_shifts: dict[str, list[Shift]]) -> None:
    """A worker in California and one in Kentucky work all seven days of the week of 2026-11-08."""
    week = {date(2026, 11, 8) + timedelta(days=i) for i in range(7)}
    seven = []
    for wid, shifts in demo_shifts.items():
        days = {local(s.start, s.timezone).date() for s in shifts if s.start}
        if week <= days:
            seven.append((wid, shifts[0].state))
    assert {state for _w, state in seven} == {"CA", "KY"}


def test_two_rates_in_one_week(demo_shifts: dict[str, list[Shift]]) -> None:
    """Some shifts at their own rate (the in punch's rate), the others at the profile rate, in one week."""
    first, last = date(2026, 11, 1), date(2026, 11, 7)
    two = []
    for wid, shifts in demo_shifts.items():
        rates = {s.rate for s in shifts if s.start and first <= local(s.start, s.timezone).date() <= last}
        if None in rates and len(rates) > 1:
            two.append(wid)
    assert two == ["W05", "W15", "W27"]
    assert [s.rate for s in demo_shifts["W05"] if s.rate is not None] == [Decimal("32.75"), Decimal("32.75")]


def test_missing_punches_are_flagged(demo_shifts: dict[str, list[Shift]]) -> None:
    flagged = sorted((wid, s.exceptions) for wid, shifts in demo_shifts.items() for s in shifts if s.exceptions)
    assert flagged == [
        ("W06", ("missing_out",)),
        ("W13", ("missing_out",)),
        ("W22", ("break_outside_shift",)),
        ("W22", ("break_outside_shift",)),
        ("W22", ("missing_in",)),
        ("W29", ("break_not_ended",)),
    ]


def test_summary_of_the_demo(demo_ledger: Path, snapshot: SnapshotAssertion) -> None:
    """What `ot` prints with no command: path, workers by type and state, locations, weeks, punches, exceptions."""
    text = ledger_summary(demo_ledger).replace(str(demo_ledger), "<ledger>")
    assert text == snapshot
    s = summarize(demo_ledger)
    assert (s.workers, s.weeks, s.workers_by_type) == (40, 4, {"W2": 36, "1099": 4})


def test_summary_of_an_empty_or_missing_ledger(tmp_path: Path, cli: CliRunner) -> None:
    missing = tmp_path / "none.db"
    text = ledger_summary(missing)
    assert text.splitlines() == [
        f"ledger: {missing}",
        "The ledger is empty.",
        "Run `ot demo` to load the demo company, or `ot import locations|workers|punches FILE`.",
    ]
    assert not missing.exists(), "a summary never creates a ledger"
    empty = tmp_path / "empty.db"
    Ledger.open(empty).close()
    result = cli.invoke(main, ["--ledger", str(empty)])
    assert result.exit_code == 0
    assert "run `ot demo` to load the demo company" in result.stdout.lower()


def test_summary_without_punches(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    with Ledger.open(path) as led:
        from ledger.events import NewEvent

        led.append(
            [
                NewEvent(
                    "location.added", {"location_id": "L1", "name": "X", "state": "TX", "timezone": "America/Chicago"}
                )
            ],
            actor="t",
            now=NOW,
        )
    text = ledger_summary(path)
    assert "workers: 0" in text
    assert "weeks covered: none (no punches yet)" in text
    assert "open exceptions: none" in text
    assert text.endswith("Run `ot demo` to load the demo company.")
