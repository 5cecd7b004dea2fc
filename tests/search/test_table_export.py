"""``ot ledger tables`` / ``ot ledger export``: the read-only tables, counted and exported with
sqlite-utils; admins only; unknown tables and formats refused; PIN hashes, salts and buckets never out."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from search_roster import build

from ledger.schema import PROJECTION_TABLES
from ledger.store import Ledger
from ot.cli import main
from ot.services.tables import DESCRIPTIONS, export_table, list_tables


@pytest.fixture
def roster(ledger_path: Path, tmp_path: Path) -> Path:
    return build(ledger_path, tmp_path)


def test_every_projection_is_described() -> None:
    assert set(DESCRIPTIONS) == {"events", *PROJECTION_TABLES}


def test_tables_lists_counts(roster: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["ledger", "tables"])
    assert result.exit_code == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:-1]}
    assert next(iter(lines)) == "events"
    assert lines["workers"].split()[1] == "7"
    assert lines["locations"].split()[1] == "2"
    assert lines["pins"].split()[1] == "3"
    assert "meta" not in lines
    assert "pin_failures" not in lines
    assert "workers_fts" not in lines
    doc = json.loads(cli.invoke(main, ["ledger", "tables", "--json"]).stdout)
    pins = next(t for t in doc if t["name"] == "pins")
    assert pins["columns"] == ["worker_id", "seq", "override"]
    assert pins["hidden"] == ["bucket", "pin_hash", "salt"]


def test_export_csv_and_json_agree_with_the_table(roster: Path, cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "workers.csv"
    result = cli.invoke(main, ["ledger", "export", "workers", "--csv", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote 7 rows of workers to {out}\n"
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["worker_id"] for r in rows] == ["A1", "M1", "M2", "T1", "W-001", "W0123", "W0456"]
    assert rows[4]["name"] == "José Núñez"
    assert rows[0]["manager_id"] == ""
    js = cli.invoke(main, ["ledger", "export", "workers", "--json"])
    assert js.exit_code == 0, js.stderr
    doc = json.loads(js.stdout)
    with Ledger.open(roster, create=False) as led:
        stored = led.connection.execute("SELECT * FROM workers ORDER BY worker_id").fetchall()
    assert [tuple(d.values()) for d in doc] == stored
    assert doc[0]["manager_id"] is None


@pytest.mark.parametrize("fmt", ["--csv", "--json"])
def test_no_pin_secret_is_exported(roster: Path, cli: CliRunner, fmt: str) -> None:
    """The pins table without its hash, salt and bucket; events with the same payload keys hidden."""
    with Ledger.open(roster, create=False) as led:
        secrets = [
            v for row in led.connection.execute("SELECT pin_hash, salt, bucket FROM pins") for v in row if v is not None
        ]
    assert len(secrets) == 9
    for table in ("pins", "events"):
        result = cli.invoke(main, ["ledger", "export", table, fmt])
        assert result.exit_code == 0, result.stderr
        for secret in secrets:
            assert f'"{secret}"' not in result.stdout
            assert f":{secret}," not in result.stdout
            if isinstance(secret, str):
                assert secret not in result.stdout
        assert "pin_hash" not in result.stdout.splitlines()[0]
    events = json.loads(cli.invoke(main, ["ledger", "export", "events", "--json"]).stdout)
    pin_sets = [json.loads(e["payload"]) for e in events if e["kind"] == "worker.pin_set"]
    assert len(pin_sets) == 3
    for p in pin_sets:
        assert p["pin_hash"] == p["salt"] == p["bucket"] == "(hidden)"
    assert {e["key"] for e in events if e["kind"] == "worker.pin_set"} == {"worker.pin_set:(hidden)"}
    assert sorted(p["override"] for p in pin_sets) == [False, True, True]


def test_csv_cells_are_formula_safe(roster: Path, tmp_path: Path) -> None:
    (tmp_path / "evil.csv").write_text(
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
        'X1,"=HYPERLINK(""http://x"")",W2,20.00,LA,M1,worker,,,\n'
    )
    result = CliRunner().invoke(main, ["import", "workers", str(tmp_path / "evil.csv")])
    assert result.exit_code == 0, result.stderr
    buf = io.StringIO()
    export_table(roster, "workers", "csv", buf, actor="A1")
    row = next(r for r in csv.DictReader(io.StringIO(buf.getvalue())) if r["worker_id"] == "X1")
    assert row["name"] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "meta", "--csv"], "no table 'meta' to export"),
        (["export", "pin_failures", "--json"], "no table 'pin_failures' to export"),
        (["export", "workers_fts", "--json"], "no table 'workers_fts' to export"),
        (["export", "nope", "--csv"], "give one of: events, locations, workers"),
        (["export", "workers"], "no format: say how to write the table"),
    ],
)
def test_bad_export_is_refused(roster: Path, cli: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out.txt"
    result = cli.invoke(main, ["ledger", *args, "-o", str(out)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob(".out.txt*")) == []


def test_an_unknown_format_flag_is_refused(roster: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["ledger", "export", "workers", "--xml"])
    assert result.exit_code == 2
    assert "No such option '--xml'" in result.stderr
    with pytest.raises(Exception, match="format 'xml'"):
        export_table(roster, "workers", "xml", io.StringIO(), actor="A1")


def test_a_missing_folder_is_refused(roster: Path, cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(main, ["ledger", "export", "workers", "--csv", "-o", str(tmp_path / "no" / "w.csv")])
    assert result.exit_code == 2
    assert "create the folder first" in result.stderr


@pytest.mark.parametrize("who", ["M1", "W0123", "nobody"])
def test_only_an_admin_lists_or_exports(roster: Path, cli: CliRunner, tmp_path: Path, who: str) -> None:
    out = tmp_path / "w.csv"
    for args in (["ledger", "tables"], ["ledger", "export", "workers", "--csv", "-o", str(out)]):
        result = cli.invoke(main, ["--as", who, *args])
        assert result.exit_code == 2
        assert re.search(r"(may not|only an admin may) export tables", result.stderr), result.stderr
        assert result.stdout == ""
    assert not out.exists()
    with pytest.raises(Exception, match="may not export tables"):
        list_tables(roster, actor=who)


def test_an_empty_table_exports_a_header_or_an_empty_array(roster: Path) -> None:
    buf = io.StringIO()
    assert export_table(roster, "payruns", "csv", buf, actor="A1") == 0
    assert buf.getvalue().startswith("run_id,kind,period_start")
    assert buf.getvalue().count("\n") == 1
    buf = io.StringIO()
    assert export_table(roster, "payruns", "json", buf, actor="A1") == 0
    assert json.loads(buf.getvalue()) == []
