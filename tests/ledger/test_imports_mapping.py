"""Column mappings (ledger/mapping.py): other systems' exports read as the canonical layouts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.mapping import LAYOUTS, load_mapping, parse_mapping, resolve_header
from ledger.store import Ledger
from ot.cli import main
from ot.core.errors import OtError

ROOT = Path(__file__).resolve().parents[2]
MAPPINGS = ROOT / "ledger" / "mappings"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _import(cli: CliRunner, layout: str, file: Path, *extra: str, user: str = "E001") -> tuple[int, str, str]:
    result = cli.invoke(main, ["--as", user, "import", layout, str(file), *extra])
    return result.exit_code, result.stdout, result.stderr


def test_shipped_profiles_load() -> None:
    timerack = load_mapping(MAPPINGS / "timerack.toml")
    assert timerack.layout == "punches"
    assert timerack.translate("kind", " lunch out ") == "break_start"
    assert timerack.translate("kind", "Clock Out") == "out"
    payroll = load_mapping(MAPPINGS / "payroll-workers.toml")
    assert payroll.layout == "workers"
    assert payroll.translate("type", "Contractor") == "1099"
    assert payroll.translate("role", "Administrator") == "admin"


def test_timerack_and_payroll_exports_import_end_to_end(ledger_path: Path, cli: CliRunner) -> None:
    """A payroll provider's employee export then a Timerack punch export, through the shipped profiles."""
    assert _import(cli, "locations", FIXTURES / "locations.csv")[0] == 0
    code, out, err = _import(
        cli, "workers", FIXTURES / "payroll_workers.csv", "--mapping", str(MAPPINGS / "payroll-workers.toml")
    )
    assert code == 0, err
    assert "added 6 events (3 worker.added, 3 worker.pin_set)" in out
    code, out, err = _import(
        cli, "punches", FIXTURES / "timerack_export.csv", "--mapping", str(MAPPINGS / "timerack.toml")
    )
    assert code == 0, err
    assert "added 6 events (6 punch.recorded)" in out
    with Ledger.open(ledger_path) as led:
        roster = led.roster()
        punches = [(p.worker_id, p.at, p.kind, p.location_id) for p in led.punches()]
    assert {w: (roster[w].type, roster[w].role, roster[w].manager_id) for w in roster} == {
        "E001": ("W2", "admin", None),
        "E100": ("W2", "worker", "E001"),
        "E200": ("1099", "worker", "E001"),
    }
    assert punches[:2] == [
        ("E100", datetime(2026, 11, 2, 16, 0, tzinfo=UTC), "in", None),
        ("E100", datetime(2026, 11, 2, 20, 0, tzinfo=UTC), "break_start", None),
    ]
    assert punches[-1] == ("E200", datetime(2026, 11, 2, 19, 30, tzinfo=UTC), "out", "NY")
    again = _import(cli, "punches", FIXTURES / "timerack_export.csv", "--mapping", str(MAPPINGS / "timerack.toml"))
    assert "added 0 events" in again[1]


def test_mapped_rows_are_located_in_the_export(ledger_path: Path, cli: CliRunner, tmp_path: Path) -> None:
    """Line and column name the export's own place of the bad value."""
    _import(cli, "locations", FIXTURES / "locations.csv")
    _import(cli, "workers", FIXTURES / "payroll_workers.csv", "--mapping", str(MAPPINGS / "payroll-workers.toml"))
    bad = tmp_path / "tr.csv"
    bad.write_text(
        "Employee ID,Employee Name,Department,Punch Date/Time,Punch Type,Job Site,Break Code,Pay Code\n"
        "E100,Rosa,Dock,2026-11-02 08:00,Clock In,,,REG\n"
        "E100,Rosa,Dock,11/02/2026 12:00,Smoke,,,REG\n"
    )
    code, _out, err = _import(cli, "punches", bad, "--mapping", str(MAPPINGS / "timerack.toml"))
    assert code == 2
    assert "tr.csv:2:4: '2026-11-02 08:00' does not match the mapping's time_format '%m/%d/%Y %H:%M'" in err
    assert "tr.csv:3:5: kind 'Smoke' is not one of in, out, break_start, break_end" in err


def test_unmapped_export_column_is_an_error(tmp_path: Path) -> None:
    mapping = parse_mapping(
        'layout = "punches"\n[columns]\n"Emp" = "worker_id"\n"When" = "time"\n"What" = "kind"\n', "m.toml"
    )
    hm, problems = resolve_header(["Emp", "When", "What", "Shoe"], LAYOUTS["punches"], mapping, "x.csv")
    assert [str(p) for p in problems] == [
        "x.csv:1:4: column 'Shoe' is not in the punches layout and mapping m.toml does not name it: add it to [columns] or to ignore"
    ]
    hm, problems = resolve_header(["Emp", "When", "What"], LAYOUTS["punches"], mapping, "x.csv")
    assert problems == []
    assert dict(hm.positions) == {"worker_id": 0, "time": 1, "kind": 2}


def test_required_column_must_be_mapped() -> None:
    mapping = parse_mapping('[columns]\n"Emp" = "worker_id"\n"What" = "kind"\n', "m.toml")
    _, problems = resolve_header(["Emp", "What"], LAYOUTS["punches"], mapping, "x.csv")
    assert [str(p) for p in problems] == [
        "x.csv:1:1: no column gives 'time': map one in [columns] of m.toml, or set [constants].time"
    ]


def test_constants_and_delimiter(ledger_path: Path, cli: CliRunner, tmp_path: Path) -> None:
    _import(cli, "locations", FIXTURES / "locations.csv")
    profile = tmp_path / "semi.toml"
    profile.write_text(
        'delimiter = ";"\n[columns]\n"id" = "worker_id"\n"t" = "time"\n"k" = "kind"\n[constants]\nlocation_id = "NY"\n'
    )
    workers = tmp_path / "w.csv"
    workers.write_text(
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\nX1,Xi,W2,20,LA,,admin,,,123456\n"
    )
    assert _import(cli, "workers", workers)[0] == 0
    punches = tmp_path / "p.csv"
    punches.write_text("id;t;k\nX1;2026-11-02T08:00;in\n")
    code, _out, err = _import(cli, "punches", punches, "--mapping", str(profile), user="X1")
    assert code == 0, err
    with Ledger.open(ledger_path) as led:
        (p,) = led.punches()
    assert (p.location_id, p.at) == ("NY", datetime(2026, 11, 2, 13, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("toml", "key", "message"),
    [
        ('layut = "punches"', "layut", "unknown key (did you mean 'layout'?)"),
        ('layout = "shifts"', "layout", "'shifts' is not a layout"),
        ('time_format = "%H:%M"', "time_format", "must hold a date and a time"),
        ("time_format = 5", "time_format", "must be text in quotes"),
        ('date_format = "%Q"', "date_format", "is not a usable strptime pattern"),
        ('delimiter = ";;"', "delimiter", "must be exactly one character"),
        ('ignore = "Email"', "ignore", "must be a list of column names"),
        (
            'layout = "punches"\n[columns]\n"Emp" = "worker"',
            "columns.'Emp'",
            "'worker' is not a column of the punches layout (did you mean 'worker_id'?)",
        ),
        ('[columns]\n"A" = "kind"\n"B" = "kind"', "columns.'B'", "'kind' is already mapped from another column"),
        ('[kinds]\n"IN" = "clock_in"', "kinds.'IN'", "'clock_in' is not a punch kind"),
        ('[values.shoe]\n"a" = "b"', "values.shoe", "'shoe' is not a column of any layout"),
        ('[constants]\nbreak_typ = "X"', "constants.break_typ", "(did you mean 'break_type'?)"),
        ('columns = "x"', "columns", "must be a table"),
    ],
    ids=[
        "unknown-key",
        "bad-layout",
        "format-no-date",
        "format-not-text",
        "bad-format",
        "bad-delimiter",
        "ignore-not-list",
        "bad-target",
        "mapped-twice",
        "bad-kind",
        "bad-values-column",
        "bad-constant",
        "columns-not-table",
    ],
)
def test_bad_profile_names_the_key(toml: str, key: str, message: str) -> None:
    with pytest.raises(OtError) as info:
        parse_mapping(toml, "p.toml")
    text = info.value.render()
    assert f"p.toml: {key}: " in text, text
    assert message in text, text


def test_bad_toml_syntax_and_missing_profile(ledger_path: Path, cli: CliRunner, tmp_path: Path) -> None:
    with pytest.raises(OtError) as info:
        parse_mapping("layout = ", "p.toml")
    assert "p.toml: not valid TOML" in info.value.render()
    (tmp_path / "x.csv").write_text("worker_id,time,kind,location_id,break_type\n")
    code, _out, err = _import(cli, "punches", tmp_path / "x.csv", "--mapping", str(tmp_path / "none.toml"))
    assert code == 2
    assert "cannot read mapping" in err


def test_profile_for_another_layout_is_refused(ledger_path: Path, cli: CliRunner) -> None:
    code, _out, err = _import(
        cli, "punches", FIXTURES / "timerack_export.csv", "--mapping", str(MAPPINGS / "payroll-workers.toml")
    )
    assert code == 2
    assert "timerack_export.csv:1:1: mapping payroll-workers.toml is for workers, not punches" in err
