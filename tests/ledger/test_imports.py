"""``ot import locations|workers|punches``: the canonical layouts of contracts/import.md.

Every bad row is refused whole with ``FILE:LINE:COLUMN: what is wrong and what
to do``, exit status 2, and nothing written; the same file twice adds nothing.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from ledger.events import NewEvent, punch_key
from ledger.imports import fast_local, plan_punches
from ledger.store import Ledger
from ot.cli import main
from ot.core.domain import Location, Worker
from ot.core.errors import OtError, Problem
from ot.core.timez import TimeError, iso_utc, parse_local
from ot.services.imports import import_file

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
LOCATIONS = "location_id,name,state,timezone\nLA,Los Angeles Plant,CA,America/Los_Angeles\nNY,Brooklyn Depot,NY,America/New_York\n"
WORKER_HEADER = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override"
WORKERS = (
    WORKER_HEADER + "\n"
    "A1,Ann Admin,W2,40.00,LA,,admin,1980-12-12,123-45-6789,\n"
    "M1,Max Manager,W2,30.00,NY,A1,manager,,,246810\n"
    "W1,Wes Worker,W2,20.00,LA,A1,worker,1990-04-07,987-65-4321,\n"
    "W2,Wu Contractor,1099,55.00,NY,M1,worker,,,135790\n"
)
PUNCH_HEADER = "worker_id,time,kind,location_id,break_type"


@pytest.fixture(scope="session")
def base_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger with two locations and four workers, built once through the import path."""
    folder = tmp_path_factory.mktemp("base")
    path = folder / "base.db"
    (folder / "locations.csv").write_text(LOCATIONS)
    (folder / "workers.csv").write_text(WORKERS)
    import_file(path, "locations", folder / "locations.csv", actor="setup", now=NOW)
    import_file(path, "workers", folder / "workers.csv", actor="setup", now=NOW)
    return path


@pytest.fixture
def company(base_ledger: Path, ledger_path: Path) -> Path:
    """A private copy of the base ledger at ``ledger_path`` ($OT_LEDGER)."""
    shutil.copy(base_ledger, ledger_path)
    return ledger_path


def event_count(path: Path) -> int:
    with Ledger.open(path, create=False) as led:
        return led.count()


def run_import(
    cli: CliRunner, tmp_path: Path, layout: str, text: str | bytes, name: str = "in.csv", *extra: str
) -> Result:
    file = tmp_path / name
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text)
    return cli.invoke(main, ["import", layout, str(file), *extra])


def refused(result: Result, *fragments: str) -> str:
    """Assert exit 2 with every fragment on standard error; return it."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert "nothing was imported" in result.stderr
    return result.stderr


# --- punches: good files -------------------------------------------------------


def test_punches_import_then_same_file_adds_nothing(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = (
        PUNCH_HEADER
        + "\nW1,2026-11-02T08:00,in,,\nW1,2026-11-02T12:00,break_start,,\nW1,2026-11-02T12:30,break_end,,\nW1,2026-11-02T17:00,out,,\n"
    )
    before = event_count(company)
    first = run_import(cli, tmp_path, "punches", text)
    assert first.exit_code == 0, first.stderr
    assert "added 4 events (4 punch.recorded)" in first.stdout
    assert event_count(company) == before + 4
    second = run_import(cli, tmp_path, "punches", text)
    assert second.exit_code == 0
    assert "added 0 events (nothing new)" in second.stdout
    assert "4 rows added nothing new" in second.stdout
    assert event_count(company) == before + 4


def test_punch_times_are_local_to_the_work_location(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    """Wall time reads in the override location's zone, else the worker's default; an offset wins."""
    text = (
        PUNCH_HEADER
        + "\nW1,2026-11-02T08:00,in,,\nW1,2026-11-02T08:00,out,NY,\nM1,2026-11-02T08:00-05:00,in,LA,\nM1,2026-11-01T01:30-04:00,out,,\n"
    )
    assert run_import(cli, tmp_path, "punches", text).exit_code == 0
    with Ledger.open(company) as led:
        got = [(p.worker_id, p.kind, p.at, p.location_id) for p in led.punches()]
    assert got == [
        # 2026-11-01 01:30 in New York happens twice; its offset says which: the first (EDT). Without
        # one it is refused (tests/test_dst_ambiguous.py).
        ("M1", "out", datetime(2026, 11, 1, 5, 30, tzinfo=UTC), None),
        ("M1", "in", datetime(2026, 11, 2, 13, 0, tzinfo=UTC), "LA"),
        ("W1", "out", datetime(2026, 11, 2, 13, 0, tzinfo=UTC), "NY"),
        ("W1", "in", datetime(2026, 11, 2, 16, 0, tzinfo=UTC), None),
    ]


def test_punch_payload_fields(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = (
        PUNCH_HEADER
        + ",rate\nW1,2026-11-02T08:00,in,,,24.5\nW1,2026-11-02T10:00,break_start,,PAID_REST,\nW1,2026-11-02T10:10,break_start,,,\n"
    )
    result = run_import(cli, tmp_path, "punches", text, "p.csv")
    assert result.exit_code == 0, result.stderr
    with Ledger.open(company) as led:
        ps = led.punches(worker_id="W1")
    assert [(p.kind, p.break_type, p.rate, p.source) for p in ps] == [
        ("in", None, "24.50", "import:p.csv"),
        ("break_start", "PAID_REST", None, "import:p.csv"),
        ("break_start", "DEFAULT_UNPAID", None, "import:p.csv"),
    ]


def test_dry_run_reports_and_writes_nothing(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = PUNCH_HEADER + "\nW1,2026-11-02T08:00,in,,\nW1,2026-11-02T17:00,out,,\nW1,2026-11-02T17:00,out,,\n"
    before = event_count(company)
    result = run_import(cli, tmp_path, "punches", text, "in.csv", "--dry-run")
    assert result.exit_code == 0
    assert "would add 2 events (2 punch.recorded)" in result.stdout
    assert "dry run: nothing was written" in result.stdout
    assert event_count(company) == before


def test_dry_run_refuses_a_bad_file_too(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    result = run_import(cli, tmp_path, "punches", PUNCH_HEADER + "\nW9,2026-11-02T08:00,in,,\n", "in.csv", "--dry-run")
    refused(result, "in.csv:2:1: unknown worker 'W9'")


def test_header_in_another_order_and_bom(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = "\ufeffkind,worker_id,break_type,location_id,time\r\nin,W1,,,2026-11-02T08:00\r\n"
    result = run_import(cli, tmp_path, "punches", text.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert "added 1 events" in result.stdout


# --- punches: bad rows, one test each ------------------------------------------


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        ("W9,2026-11-02T08:00,in,,", "2:1", "unknown worker 'W9': import them with `ot import workers` first"),
        ("W1,2026-11-02T08:00,in,XX,", "2:4", "unknown location 'XX': import it with `ot import locations` first"),
        ("W1,2026-11-02 8am,in,,", "2:2", "'2026-11-02 8am' is not a time: write it as YYYY-MM-DDTHH:MM"),
        ("W1,2026-02-30T08:00,in,,", "2:2", "'2026-02-30T08:00' is not a valid time"),
        ("W1,,in,,", "2:2", "time is empty"),
        ("W1,2026-03-08T02:30,in,,", "2:2", "2026-03-08T02:30 does not exist in America/Los_Angeles"),
        ("W1,2026-11-02T08:00,lunch,,", "2:3", "kind 'lunch' is not one of in, out, break_start, break_end"),
        (
            "W1,2026-11-02T08:00,in,,DEFAULT_UNPAID",
            "2:5",
            "break_type is only allowed on a break_start punch, not on in",
        ),
        ("W1,2026-11-02T08:00,break_start,,lunch break", "2:5", "break_type 'lunch break' is not a type code"),
        (",2026-11-02T08:00,in,,", "2:1", "worker_id is empty"),
        ("W1,2026-11-02T08:00,in", "2:3", "3 fields, fewer than the header's 5"),
        ("W1,2026-11-02T08:00,in,,,extra", "2:6", "6 fields, more than the header's 5"),
    ],
    ids=[
        "unknown-worker",
        "unknown-location",
        "bad-time",
        "impossible-date",
        "empty-time",
        "dst-gap",
        "bad-kind",
        "break-type-on-in",
        "bad-break-code",
        "empty-worker",
        "short-row",
        "long-row",
    ],
)
def test_bad_punch_row(company: Path, cli: CliRunner, tmp_path: Path, row: str, where: str, message: str) -> None:
    """A DST gap: 2026-03-08 02:00-03:00 does not exist in Los Angeles (clocks spring forward)."""
    before = event_count(company)
    text = PUNCH_HEADER + "\nW1,2026-11-01T08:00,in,,\n" + row + "\n"
    # The bad row is line 3 (a good row is on line 2).
    where = "3:" + where.split(":", 1)[1]
    result = run_import(cli, tmp_path, "punches", text, "punches.csv")
    refused(result, f"punches.csv:{where}: {message}")
    assert event_count(company) == before


def test_rate_extension_only_on_in_and_positive(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = (
        PUNCH_HEADER
        + ",rate\nW1,2026-11-02T08:00,out,,,20\nW1,2026-11-02T08:00,in,,,-3\nW1,2026-11-02T09:00,in,,,abc\n"
    )
    err = refused(
        run_import(cli, tmp_path, "punches", text, "r.csv"),
        "r.csv:2:6: rate is only allowed on an in punch",
        "r.csv:3:6: rate '-3' must be more than 0",
        "r.csv:4:6: rate 'abc' is not a decimal number",
    )
    assert "(3 problems on 3 rows)" in err


def test_every_bad_row_is_named(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    """Not just the first: every bad row of the file, in file order, with a quoted value spanning lines."""
    text = (
        PUNCH_HEADER
        + '\nW9,2026-11-02T08:00,in,,\n"W1",2026-11-02T09:00,in,"multi\nline",\nW1,2026-13-03T17:00,out,,\nW1,2026-11-02T17:00,out,,\n'
    )
    before = event_count(company)
    err = refused(
        run_import(cli, tmp_path, "punches", text, "bad.csv"),
        "bad.csv:2:1: unknown worker 'W9'",
        "bad.csv:3:4: location_id 'multi\\nline' is not an id",
        "bad.csv:5:2:",
    )
    assert err.index("bad.csv:2:") < err.index("bad.csv:3:") < err.index("bad.csv:5:")
    assert "bad.csv:6" not in err
    assert event_count(company) == before


@pytest.mark.parametrize(
    ("header", "where", "message"),
    [
        ("worker_id,time,kind,location_id,break_type,shoe_size", "1:6", "unknown column 'shoe_size'"),
        ("worker_id,time,kind,location_id", "1:5", "missing column 'break_type'"),
        ("workerid,time,kind,location_id,break_type", "1:1", "unknown column 'workerid' (did you mean 'worker_id'?)"),
        ("worker_id,time,kind,kind,location_id,break_type", "1:4", "column 'kind' appears twice"),
    ],
    ids=["extra", "missing", "misnamed", "twice"],
)
def test_bad_header(company: Path, cli: CliRunner, tmp_path: Path, header: str, where: str, message: str) -> None:
    before = event_count(company)
    refused(
        run_import(cli, tmp_path, "punches", header + "\nW1,2026-11-02T08:00,in,,\n", "h.csv"),
        f"h.csv:{where}: {message}",
    )
    assert event_count(company) == before


def test_empty_file(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    refused(run_import(cli, tmp_path, "punches", "", "e.csv"), "e.csv:1:1: the file is empty: it needs a header row")


def test_blank_lines_only(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    refused(run_import(cli, tmp_path, "punches", "\n\n  \n", "e.csv"), "e.csv:1:1: the file is empty")


def test_header_only_adds_nothing(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    result = run_import(cli, tmp_path, "punches", PUNCH_HEADER + "\n")
    assert result.exit_code == 0
    assert "0 punches rows read" in result.stdout


def test_non_utf8_file(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    data = (PUNCH_HEADER + "\nW1,2026-11-02T08:00,in,,\nW1,2026-11-02T09:00,in,Caf\xe9,\n").encode("latin-1")
    before = event_count(company)
    refused(run_import(cli, tmp_path, "punches", data, "l1.csv"), "l1.csv:3:4: the file is not UTF-8 text (byte 0xE9)")
    assert event_count(company) == before


def test_missing_file(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(main, ["import", "punches", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
    assert "nope.csv" in result.stderr


# --- locations -----------------------------------------------------------------

LOC_HEADER = "location_id,name,state,timezone"


def test_locations_changed_and_unchanged(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = (
        LOC_HEADER
        + "\nLA,Los Angeles Plant,CA,America/Los_Angeles\nNY,Brooklyn Depot 2,NY,America/New_York\nDN,Denver,co,America/Denver\n"
    )
    result = run_import(cli, tmp_path, "locations", text)
    assert result.exit_code == 0, result.stderr
    assert "added 2 events (1 location.added, 1 location.changed)" in result.stdout
    assert "1 rows added nothing new" in result.stdout
    with Ledger.open(company) as led:
        locs = led.locations()
    assert locs["NY"].name == "Brooklyn Depot 2"
    assert locs["DN"].state == "CO"
    again = run_import(cli, tmp_path, "locations", text)
    assert "added 0 events" in again.stdout


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        ("DN,Denver,Colorado,America/Denver", "2:3", "state 'Colorado' is not a USPS state code"),
        ("DN,Denver,CO,Mountain Time", "2:4", "unknown time zone 'Mountain Time': give an IANA name"),
        ("DN,Denver,CO,America/Denverr", "2:4", "unknown time zone 'America/Denverr'"),
        ("DN,,CO,America/Denver", "2:2", "name is empty"),
        ("D N,Denver,CO,America/Denver", "2:1", "location_id 'D N' is not an id"),
    ],
    ids=["bad-state", "bad-zone", "misspelt-zone", "empty-name", "bad-id"],
)
def test_bad_location_row(company: Path, cli: CliRunner, tmp_path: Path, row: str, where: str, message: str) -> None:
    before = event_count(company)
    refused(
        run_import(cli, tmp_path, "locations", LOC_HEADER + "\n" + row + "\n", "loc.csv"), f"loc.csv:{where}: {message}"
    )
    assert event_count(company) == before


def test_duplicate_location_ids(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = LOC_HEADER + "\nDN,Denver,CO,America/Denver\nDN,Denver 2,CO,America/Denver\n"
    refused(
        run_import(cli, tmp_path, "locations", text, "loc.csv"),
        "loc.csv:3:1: location DN appears twice in this file (first on line 2)",
    )


def test_dry_run_creates_no_ledger(ledger_path: Path, cli: CliRunner, tmp_path: Path) -> None:
    result = run_import(cli, tmp_path, "locations", LOCATIONS, "loc.csv", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "would add 2 events (2 location.added)" in result.stdout
    assert not ledger_path.exists()


# --- the fast path of a large file agrees with the general one ------------------

ZONES = [
    "America/Los_Angeles",
    "America/New_York",
    "America/Anchorage",
    "America/Kentucky/Louisville",
    "Australia/Lord_Howe",
    "UTC",
]


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)),
    st.sampled_from(ZONES),
    st.booleans(),
)
def test_fast_local_agrees_with_parse_local(moment: datetime, tz: str, with_seconds: bool) -> None:
    """Same instant, or the same DST-gap error, for every wall time (Lord Howe shifts by 30 minutes)."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S" if with_seconds else "%Y-%m-%dT%H:%M")
    try:
        expected: datetime | str = parse_local(text, tz)
    except TimeError as exc:
        expected = str(exc)
    try:
        got: datetime | str | None = fast_local(text, tz)
    except TimeError as exc:
        got = str(exc)
    assert got == expected


@pytest.mark.parametrize(
    ("text", "tz"),
    [
        ("2026-11-01T01:30", "America/New_York"),
        ("2026-03-08T02:30", "America/Los_Angeles"),
        ("2026-11-02T08:00", "UTC"),
    ],
)
def test_fast_local_dst_edges(text: str, tz: str) -> None:
    try:
        expected: datetime | str = parse_local(text, tz)
    except TimeError as exc:
        expected = str(exc)
    try:
        got: datetime | str | None = fast_local(text, tz)
    except TimeError as exc:
        got = str(exc)
    assert got == expected


def test_import_keys_are_the_ledgers_punch_keys(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    """An imported punch and the same punch from the clock (ledger.events.punch_key) are one punch."""
    assert run_import(cli, tmp_path, "punches", PUNCH_HEADER + "\nW1,2026-11-02T08:00:30,in,,\n").exit_code == 0
    with Ledger.open(company) as led:
        (event,) = list(led.events(kind="punch.recorded"))
    instant = datetime(2026, 11, 2, 16, 0, 30, tzinfo=UTC)
    assert event.payload["at"] == iso_utc(instant)
    assert event.key == punch_key("W1", instant, "in")


def test_a_bad_last_row_after_many_chunks_writes_nothing(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    """Punches stream into the write transaction in chunks; a bad row at the very end rolls all of them back."""
    good = "".join(f"W1,2026-01-{1 + i % 28:02d}T{i // 28 % 24:02d}:{i // 672 % 60:02d},in,,\n" for i in range(25_000))
    before = event_count(company)
    result = run_import(
        cli, tmp_path, "punches", PUNCH_HEADER + "\n" + good + "W1,2026-01-01T08:00,lunch,,\n", "big.csv"
    )
    refused(result, "big.csv:25002:3: kind 'lunch'")
    assert event_count(company) == before


def test_plan_punches_is_pure() -> None:
    """Text and reference data in; events (or every located problem) out."""
    locations = {"LA": Location("LA", "Plant", "CA", "America/Los_Angeles")}
    roster = {"W1": Worker("W1", "Wes", "W2", (), "LA", None, "worker")}
    plan = plan_punches(
        PUNCH_HEADER + "\nW1,2026-11-02T08:00,in,,\nW1,2026-11-02T16:00,out,,\n", "f.csv", roster, locations
    )
    assert plan.rows == 2
    assert [(e.kind, e.payload["at"], e.payload["source"]) for e in plan.events] == [
        ("punch.recorded", "2026-11-02T16:00:00Z", "import:f.csv"),
        ("punch.recorded", "2026-11-03T00:00:00Z", "import:f.csv"),
    ]
    with pytest.raises(OtError) as info:
        plan_punches(PUNCH_HEADER + "\nW2,2026-11-02T08:00,in,,\nW1,soon,out,,\n", "f.csv", roster, locations)
    assert [p.where for p in info.value.problems] == ["f.csv:2:1", "f.csv:3:2"]


FUZZ_ROSTER = {"W1": Worker("W1", "Wes", "W2", (), "LA", None, "worker")}
FUZZ_LOCATIONS = {"LA": Location("LA", "Plant", "CA", "America/Los_Angeles")}
cells = st.sampled_from(
    [
        "W1",
        "W9",
        "LA",
        "",
        "in",
        "out",
        "break_start",
        "2026-11-02T08:00",
        "2026-03-08T02:30",
        "x,y",
        '"',
        "\n",
        "é",
        "REST",
    ]
)


@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(st.lists(cells, min_size=3, max_size=7).map(",".join), max_size=6).map(
            lambda rows: "\n".join([PUNCH_HEADER, *rows])
        ),
    )
)
def test_any_text_is_imported_or_refused_with_located_problems(text: str) -> None:
    """No input makes the reader fail any other way than with an OtError whose problems say where."""
    problems: tuple[Problem, ...] = ()
    try:
        plan = plan_punches(text, "f.csv", FUZZ_ROSTER, FUZZ_LOCATIONS)
    except OtError as error:
        problems = error.problems
        assert problems, error.message  # noqa: PT017 - any other exception fails the test
    else:
        assert all(e.kind == "punch.recorded" for e in plan.events)
    assert all(p.where.startswith("f.csv:") for p in problems)


def test_punches_of_an_inactive_worker_are_refused(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    """A status that forbids timecards (the Timerack seed's import error) refuses the row."""
    with Ledger.open(company) as led:
        led.append(
            [NewEvent("worker.changed", {"worker_id": "W1", "active": False}, worker_id="W1")], actor="A1", now=NOW
        )
        before = led.count()
    result = run_import(cli, tmp_path, "punches", PUNCH_HEADER + "\nW1,2026-11-02T08:00,in,,\n", "t.csv")
    refused(result, "t.csv:2:1: worker W1 is no longer active: their punches cannot be recorded; remove the row")
    assert event_count(company) == before


# --- punches: streamed, never read whole (issue 15) --------------------------------------------


def test_a_punches_file_is_streamed_never_read_whole(
    company: Path, cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ot import punches` reads the file line by line (ledger.imports.FileText): reading it whole is
    a failure here; a dry run walks it twice and still writes nothing."""
    real = Path.read_bytes

    def whole(self: Path) -> bytes:
        if self.name == "stream.csv":
            raise AssertionError("the punches file was read whole")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", whole)
    text = (
        PUNCH_HEADER
        + "\n"
        + "".join(f"W1,2026-11-{d:02d}T08:00,in,,\nW1,2026-11-{d:02d}T16:00,out,,\n" for d in (2, 3))
    )
    before = event_count(company)
    dry = run_import(cli, tmp_path, "punches", text, "stream.csv", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "would add 4 events" in dry.stdout
    assert event_count(company) == before
    done = run_import(cli, tmp_path, "punches", text, "stream.csv")
    assert done.exit_code == 0, done.stderr
    assert event_count(company) == before + 4


def test_a_streamed_file_with_a_bad_byte_late_writes_nothing(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    """The good rows before a non-UTF-8 line were already appended in the open transaction: the
    error on line 5 rolls them all back (all or nothing), and names the line."""
    rows = "".join(f"W1,2026-11-02T{h:02d}:00,in,,\n" for h in (8, 9, 10))
    data = (PUNCH_HEADER + "\n" + rows).encode() + b"W1,2026-11-02T11:00,in,Caf\xe9,\n"
    before = event_count(company)
    refused(
        run_import(cli, tmp_path, "punches", data, "late.csv"), "late.csv:5:4: the file is not UTF-8 text (byte 0xE9)"
    )
    assert event_count(company) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "in.csv:1:1: the file is empty"),
        ("\n\n  \n", "in.csv:1:1: the file is empty"),
        ("\n" + PUNCH_HEADER + "\nW1,2026-11-02T08:00,in,,\n", "in.csv:2:1: the header must be on line 1"),
    ],
)
def test_empty_and_late_headers_streamed(
    company: Path, cli: CliRunner, tmp_path: Path, text: str, message: str
) -> None:
    refused(run_import(cli, tmp_path, "punches", text), message)


def test_a_quoted_value_across_lines_is_one_row_streamed(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    """A quoted cell holding a line break stays one row (the CSV reader joins the lines): here a bad
    break type, named on the row's first line."""
    text = PUNCH_HEADER + '\nW1,2026-11-02T08:00,break_start,,"meal\nlong"\n'
    refused(run_import(cli, tmp_path, "punches", text), "in.csv:2:5:")
