"""A local time that happens twice (the repeated hour of a fall-back night) is refused without the offset
that says which, in a punches file (FILE:LINE:COLUMN), ``ot punch add --at`` and ``ot shift add
--start/--end``; an explicit offset is read as it always was (a review: ``2026-11-01T01:30`` was read as its
first occurrence, paying 9 hours for a shift to 09:30 that may have been 8). ``ot calc`` keeps its
documented reading, the first occurrence (contracts/calc.md).

The hours paid are the hours really worked: elapsed time between the instants (DOL, hours worked; a
fall-back night's shift works one hour more than its clock times differ)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from click.testing import CliRunner
from input_review_support import build_small, copy_ledger, ot, refused_cleanly, write

from ledger.imports import _HourClock, fast_local
from ledger.store import Ledger
from ot.cli import main
from ot.core.timez import AmbiguousTime, TimeError, parse_local, wall_after

LA = "America/Los_Angeles"
PUNCHES = "worker_id,time,kind,location_id,break_type\n"
TWICE = "2026-11-01T01:30 happens twice in America/Los_Angeles"
OFFSETS = "give its UTC offset: 2026-11-01T01:30-07:00 for the first (PDT), 2026-11-01T01:30-08:00 for the second (PST)"


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("dst"))


@pytest.fixture
def company(master: Path, tmp_path: Path) -> Path:
    return copy_ledger(master, tmp_path / "ledger.db")


def w1_punches(ledger: Path) -> list[datetime]:
    with Ledger.open(ledger) as led:
        return [p.at for p in led.punches("W1") if p.at.date() == datetime(2026, 11, 1).date()]


def test_the_parser_names_both_offsets() -> None:
    with pytest.raises(AmbiguousTime) as info:
        parse_local("2026-11-01T01:30", LA)
    assert str(info.value) == f"{TWICE} (clocks are set back that night for the end of daylight saving time): {OFFSETS}"
    assert parse_local("2026-11-01T01:30-08:00", LA) == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    assert parse_local("2026-11-01T01:30", LA, first=True) == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    with pytest.raises(TimeError, match="does not exist"):  # the spring-forward gap, as before
        parse_local("2026-03-08T02:30", LA)


def test_the_fast_paths_refuse_it_too() -> None:
    """The million-row reader's two shortcuts agree with the parser: the hour is left to the long way,
    which refuses it."""
    assert _HourClock().utc_text("2026-11-01T01:30", LA) is None
    with pytest.raises(AmbiguousTime):
        fast_local("2026-11-01T01:30", LA)
    assert fast_local("2026-11-01T02:30", LA) == datetime(2026, 11, 1, 10, 30, tzinfo=UTC)


def test_a_punches_file_names_the_row(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "p.csv", PUNCHES + "W1,2026-11-01T01:30,in,,\nW1,2026-11-01T09:30,out,,\n")
    refused_cleanly(company, "import", "punches", f, says=(f"{f}:2:2: {TWICE}", OFFSETS, "nothing was imported"))


@pytest.mark.parametrize(("offset", "hours"), [("-07:00", 9), ("-08:00", 8)])
def test_the_offset_says_which_and_the_hours_are_those_worked(
    company: Path, tmp_path: Path, offset: str, hours: int
) -> None:
    f = write(tmp_path, "p.csv", PUNCHES + f"W1,2026-11-01T01:30{offset},in,,\nW1,2026-11-01T09:30,out,,\n")
    result = ot(company, "import", "punches", f)
    assert result.exit_code == 0, result.stderr
    start, end = w1_punches(company)
    assert (end - start).total_seconds() == hours * 3600


def test_a_mapped_file_refuses_it_and_takes_an_iso_time_with_its_offset(company: Path, tmp_path: Path) -> None:
    """A mapping's time_format without an offset cannot tell the two apart: the row may give ISO 8601 with
    its offset instead."""
    mapping = write(
        tmp_path,
        "m.toml",
        'name = "t"\nlayout = "punches"\ntime_format = "%m/%d/%Y %H:%M"\n\n[columns]\n"Who" = "worker_id"\n'
        '"When" = "time"\n"What" = "kind"\n',
    )
    f = write(tmp_path, "p.csv", "Who,When,What\nW1,11/01/2026 01:30,in\nW1,11/01/2026 09:30,out\n")
    refused_cleanly(company, "import", "punches", f, "--mapping", mapping, says=(f"{f}:2:2: {TWICE}",))
    write(tmp_path, "p.csv", "Who,When,What\nW1,2026-11-01T01:30-08:00,in\nW1,11/01/2026 09:30,out\n")
    result = ot(company, "import", "punches", f, "--mapping", mapping)
    assert result.exit_code == 0, result.stderr
    assert w1_punches(company) == [datetime(2026, 11, 1, 9, 30, tzinfo=UTC), datetime(2026, 11, 1, 17, 30, tzinfo=UTC)]


def test_punch_add_at(company: Path) -> None:
    args = ("punch", "add", "--worker", "W1", "--kind", "in", "--reason", "forgot")
    refused_cleanly(company, *args, "--at", "2026-11-01T01:30", says=(f"--at: {TWICE}", OFFSETS))
    assert ot(company, *args, "--at", "2026-11-01T01:30-08:00").exit_code == 0
    assert w1_punches(company) == [datetime(2026, 11, 1, 9, 30, tzinfo=UTC)]


def test_shift_add_start_and_end(company: Path) -> None:
    add = ("shift", "add", "--worker", "W1")
    refused_cleanly(company, *add, "--start", "2026-11-01T01:30", "--end", "05:00", says=(f"--start: {TWICE}",))
    # --end as HH:MM: the first 01:30 after 21:00 comes twice before the clock reads it a third time.
    refused_cleanly(company, *add, "--start", "2026-10-31T21:00", "--end", "01:30", says=(f"--end: {TWICE}", OFFSETS))
    result = ot(company, *add, "--start", "2026-10-31T21:00", "--end", "2026-11-01T01:30-08:00", "--json")
    assert result.exit_code == 0, result.stderr


def test_an_end_as_hhmm_that_comes_once_after_the_start_is_read(company: Path) -> None:
    """A shift from the second 01:10 (PST) to 01:40 is half an hour: 01:40 PDT was before it started."""
    add = ("shift", "add", "--worker", "W1", "--start", "2026-11-01T01:10-08:00", "--end", "01:40", "--json")
    result = ot(company, *add)
    assert result.exit_code == 0, result.stderr
    with Ledger.open(company) as led:
        (shift,) = led.shift_entries("W1")
    assert (shift.start, shift.end) == (
        datetime(2026, 11, 1, 9, 10, tzinfo=UTC),
        datetime(2026, 11, 1, 9, 40, tzinfo=UTC),
    )


def test_wall_after() -> None:
    night = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # 2026-10-31 21:00 PDT
    with pytest.raises(AmbiguousTime):
        wall_after(night, time(1, 30), LA)
    assert wall_after(night, time(1, 30), LA, first=True) == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    after_first = datetime(2026, 11, 1, 8, 45, tzinfo=UTC)  # 01:45 PDT
    assert wall_after(after_first, time(1, 30), LA) == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)  # 01:30 PST
    assert wall_after(night, time(6, 0), LA) == datetime(2026, 11, 1, 14, 0, tzinfo=UTC)
    with pytest.raises(TimeError, match="does not exist"):
        wall_after(datetime(2026, 3, 8, 8, 0, tzinfo=UTC), time(2, 30), LA)  # 00:00 PST, then the gap


def test_calc_keeps_its_documented_first_occurrence(tmp_path: Path) -> None:
    """contracts/calc.md: 'An ambiguous local time (a DST fall-back hour) means its first occurrence unless
    an offset is given.' 01:30 (PDT) to 09:30 (PST) is 9 hours worked."""
    p = tmp_path / "in.json"
    shift = {"worker": "w1", "start": "2026-11-01T01:30", "end": "2026-11-01T09:30", "state": "CA", "rate": "20"}
    p.write_text(json.dumps({"shifts": [shift]}))
    result = CliRunner().invoke(main, ["calc", str(p)])
    assert result.exit_code == 0, result.stderr
    week = json.loads(result.stdout)["workers"][0]["weeks"][0]
    assert (week["regular_hours"], week["overtime_hours"]) == ("8.00", "1.00")  # CA: over 8 in a day
