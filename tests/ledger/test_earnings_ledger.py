"""Earnings in the ledger: ``ot earning add|void|list``, ``ot import earnings``, pay plans in the
workers import, and each of them priced by ``ot explain`` and shown on the stub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ot.cli import main

# small_ledger (tests/conftest.py): W1 ($20, Los Angeles) worked 10 h on Monday 2026-11-02;
# T1 ($18, Houston); A1 is the admin, M1 a manager.


def run(cli: CliRunner, *args: str) -> tuple[int, str, str]:
    result = cli.invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_bonus_recorded_from_the_cli_is_priced_and_explained(small_ledger: Path, cli: CliRunner) -> None:
    """29 CFR 778.110(b): a production bonus is added to the week's straight time before dividing
    by the hours. W1: 10 h at $20 (2 h daily OT in CA) + $100 bonus: ($200 + $100) / 10 = $30."""
    code, out, err = run(
        cli, "earning", "add", "W1", "--date", "2026-11-02", "--kind", "bonus", "--amount", "100", "--json"
    )
    assert code == 0, err
    recorded = json.loads(out)
    assert recorded["count"] == 1
    assert recorded["earning_ids"][0].startswith("E")
    code, text, err = run(cli, "explain", "W1", "--week", "2026-11-02")
    assert code == 0, err
    assert "bonus: $100.00" in text
    assert "= $30.00" in text
    code, out, _ = run(cli, "earning", "list", "--json")
    rows = json.loads(out)
    assert [(r["worker"], r["kind"], r["amount"]) for r in rows] == [("W1", "bonus", "100")]


def test_a_piece_count_shows_its_rate_basis_on_the_stub(small_ledger: Path, cli: CliRunner) -> None:
    code, _out, err = run(
        cli,
        "earning",
        "add",
        "W1",
        "--date",
        "2026-11-02",
        "--kind",
        "piece",
        "--quantity",
        "40",
        "--unit-rate",
        "0.75",
    )
    assert code == 0, err
    code, text, err = run(cli, "stub", "W1", "--period", "2026-11-02")
    assert code == 0, err
    assert "PIECE" in text
    assert "30.00" in text  # 40 x $0.75
    assert "piece 40 x $0.75 (in the regular rate, 29 CFR 778.111)" in " ".join(text.split())


def test_an_excluded_earning_is_paid_and_named(small_ledger: Path, cli: CliRunner) -> None:
    code, _out, err = run(cli, "earning", "add", "W1", "--date", "2026-11-02", "--kind", "gift", "--amount", "50")
    assert code == 0, err
    code, text, err = run(cli, "explain", "W1", "--week", "2026-11-02")
    assert code == 0, err
    assert "gift: $50.00 (29 CFR 778.212" in text
    assert "$200.00 / 10.00 h = $20.00" in text  # the gift is not in the regular rate


def test_void_takes_it_out_of_the_pay(small_ledger: Path, cli: CliRunner) -> None:
    code, out, err = run(
        cli, "earning", "add", "W1", "--date", "2026-11-02", "--kind", "bonus", "--amount", "100", "--json"
    )
    assert code == 0, err
    (eid,) = json.loads(out)["earning_ids"]
    code, _out, err = run(cli, "earning", "void", eid, "--reason", "typed twice")
    assert code == 0, err
    code, text, _ = run(cli, "explain", "W1", "--week", "2026-11-02")
    assert "bonus" not in text
    code, _out, err = run(cli, "earning", "void", eid, "--reason", "again")
    assert code == 2
    assert "already voided" in err
    code, _out, err = run(cli, "earning", "void", "E999", "--reason", "x")
    assert code == 2
    assert "no such earning" in err


def test_dry_run_writes_nothing(small_ledger: Path, cli: CliRunner) -> None:
    code, out, err = run(
        cli, "earning", "add", "W1", "--date", "2026-11-02", "--kind", "bonus", "--amount", "5", "--dry-run"
    )
    assert code == 0, err
    assert "would be recorded" in out
    _code, out, _ = run(cli, "earning", "list", "--json")
    assert json.loads(out) == []


@pytest.mark.parametrize(
    ("args", "where", "says"),
    [
        (["W9", "--date", "2026-11-02", "--kind", "bonus", "--amount", "5"], "WORKER", "no worker 'W9'"),
        (["W1", "--date", "2026-13-02", "--kind", "bonus", "--amount", "5"], "--date", "no month 13"),
        (["W1", "--date", "2026-11-02", "--kind", "bonus", "--amount", "5.001"], "--amount", "2 decimal places"),
        (["W1", "--date", "2026-11-02", "--kind", "bonus", "--amount", "-5"], "--amount", "must be from 0"),
        (["W1", "--date", "2026-11-02", "--kind", "bonus"], "--amount", "amount is empty"),
        (
            ["W1", "--date", "2026-11-02", "--kind", "piece", "--amount", "10", "--quantity", "3", "--unit-rate", "2"],
            "--amount",
            "is not quantity x unit_rate",
        ),
        (
            ["W1", "--date", "2026-11-02", "--kind", "piece", "--quantity", "0", "--unit-rate", "2"],
            "--quantity",
            "more than 0",
        ),
        (
            ["W1", "--date", "2026-11-02", "--kind", "bonus", "--amount", "5", "--earned-from", "2026-10-01"],
            "--earned-to",
            "give both",
        ),
        (
            [
                "W1",
                "--date",
                "2026-11-02",
                "--kind",
                "bonus",
                "--amount",
                "5",
                "--earned-from",
                "2026-11-01",
                "--earned-to",
                "2026-10-01",
            ],
            "--earned-to",
            "before earned_from",
        ),
        (
            [
                "W1",
                "--date",
                "2026-11-02",
                "--kind",
                "gift",
                "--amount",
                "5",
                "--earned-from",
                "2026-10-01",
                "--earned-to",
                "2026-10-31",
            ],
            "--earned-from",
            "only a bonus or a commission",
        ),
        (
            [
                "W1",
                "--date",
                "2026-10-02",
                "--kind",
                "bonus",
                "--amount",
                "5",
                "--earned-from",
                "2026-10-05",
                "--earned-to",
                "2026-10-31",
            ],
            "--date",
            "paid on or after",
        ),
    ],
)
def test_bad_earnings_are_refused_naming_the_option(
    small_ledger: Path, cli: CliRunner, args: list[str], where: str, says: str
) -> None:
    code, _out, err = run(cli, "earning", "add", *args)
    assert code == 2, err
    assert where in err
    assert says in err
    _code, out, _ = run(cli, "earning", "list", "--json")
    assert json.loads(out) == []


def test_an_unknown_kind_is_refused_by_the_command(small_ledger: Path, cli: CliRunner) -> None:
    code, _out, err = run(cli, "earning", "add", "W1", "--date", "2026-11-02", "--kind", "tip", "--amount", "5")
    assert code == 2
    assert "--kind" in err


def test_only_an_admin_records_earnings(small_ledger: Path, cli: CliRunner) -> None:
    code, _out, err = run(
        cli, "--as", "M1", "earning", "add", "W1", "--date", "2026-11-02", "--kind", "bonus", "--amount", "5"
    )
    assert code != 0
    assert "only an admin may record earnings" in err


EARNINGS_CSV = (
    "worker_id,date,kind,amount,quantity,unit_rate,earned_from,earned_to,note\n"
    "W1,2026-11-02,bonus,100,,,,,\n"
    "W1,2026-11-02,piece,,40,0.75,,,pallets\n"
    "T1,2026-11-03,commission,90,,,,,\n"
)


def test_import_earnings_twice_adds_nothing_the_second_time(small_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "earnings.csv"
    f.write_text(EARNINGS_CSV)
    code, out, err = run(cli, "import", "earnings", str(f), "--json")
    assert code == 0, err
    assert json.loads(out)["count"] == 3
    code, out, err = run(cli, "import", "earnings", str(f), "--json")
    assert code == 0, err
    assert json.loads(out)["count"] == 0
    _code, out, _ = run(cli, "earning", "list", "--worker", "W1", "--json")
    assert sorted(r["amount"] for r in json.loads(out)) == ["100", "30.00"]


def test_a_bad_earnings_file_is_refused_whole_with_file_line_column(
    small_ledger: Path, cli: CliRunner, tmp_path: Path
) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(
        "worker_id,date,kind,amount,quantity,unit_rate,earned_from,earned_to,note\n"
        "W1,2026-11-02,bonus,100,,,,,\n"
        "W9,2026-11-02,bonus,100,,,,,\n"
        "W1,02/11/2026,bonus,100,,,,,\n"
        "W1,2026-11-02,tips,100,,,,,\n"
        "W1,2026-11-02,bonus,abc,,,,,\n"
        "W1,2026-11-02,piece,,x,0.5,,,\n"
        "W1,2026-11-02,bonus,5,,,2026-10-01,,\n"
    )
    code, _out, err = run(cli, "import", "earnings", str(f))
    assert code == 2
    for where in (
        f"{f}:3:1",
        f"{f}:4:2",
        f"{f}:5:3",
        f"{f}:6:4",
        f"{f}:7:5",
        f"{f}:8:8",
    ):
        assert where in err, (where, err)
    assert "nothing was imported" in err
    _code, out, _ = run(cli, "earning", "list", "--json")
    assert json.loads(out) == []


def test_an_earnings_file_with_a_stray_column_is_refused(small_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "odd.csv"
    f.write_text("worker_id,date,kind,amount,tip\nW1,2026-11-02,bonus,100,3\n")
    code, _out, err = run(cli, "import", "earnings", str(f))
    assert code == 2
    assert "tip" in err


def test_a_missing_earnings_file_is_named(small_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    code, _out, err = run(cli, "import", "earnings", str(tmp_path / "nope.csv"))
    assert code == 2
    assert "cannot read" in err


WORKERS_FWW = (
    "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override,"
    "rate_effective,pay_plan,plan_hours\n"
    "T1,Tia Texan,W2,600.00,HOU,M1,worker,,,,2026-11-01,salary-fww,\n"
)


def test_a_salaried_plan_from_the_workers_import_prices_a_fluctuating_workweek(
    small_ledger: Path, cli: CliRunner, tmp_path: Path
) -> None:
    """29 CFR 778.114(b): $600 a week; a 50-hour week pays $600 + 10 h x $6 = $660."""
    f = tmp_path / "w.csv"
    f.write_text(WORKERS_FWW)
    code, _out, err = run(cli, "import", "workers", str(f))
    assert code == 0, err
    code, _out, err = run(cli, "import", "workers", str(f), "--json")  # the same file again: nothing new
    assert code == 0, err
    assert json.loads(_out)["total_added"] == 0
    for day in range(2, 7):
        code, _out, err = run(
            cli, "shift", "add", "--worker", "T1", "--start", f"2026-11-0{day}T07:00", "--end", f"2026-11-0{day}T17:00"
        )
        assert code == 0, err
    code, out, err = run(cli, "explain", "T1", "--week", "2026-11-02", "--json")
    assert code == 0, err
    ex = json.loads(out)
    assert ex["gross_pay"] == "660.00"
    assert ex["regular_rate"]["regular_rate"] == "12.0000"
    assert ex["regular_rate"]["plan"].startswith("fluctuating workweek")
    by_class = {ln["class"]: ln["amount"] for ln in ex["lines"] if ln["class"] in ("SALARY", "RR_ADJ")}
    assert by_class == {"SALARY": "600.00", "RR_ADJ": "60.00"}


@pytest.mark.parametrize(
    ("plan", "hours", "column", "says"),
    [
        ("salary-weekly", "", 12, "is not one of hourly, salary-fww, salary-fixed"),
        ("salary-fixed", "", 13, "give the hours of the fixed workweek"),
        ("salary-fixed", "45", 13, "at most 40"),
        ("salary-fww", "35", 13, "is for a salary-fixed plan"),
    ],
)
def test_bad_pay_plans_are_refused_with_file_line_column(
    small_ledger: Path, cli: CliRunner, tmp_path: Path, plan: str, hours: str, column: int, says: str
) -> None:
    f = tmp_path / "w.csv"
    f.write_text(WORKERS_FWW.replace("salary-fww,", f"{plan},{hours}"))
    code, _out, err = run(cli, "import", "workers", str(f))
    assert code == 2
    assert f"{f}:2:{column}" in err
    assert says in err


def test_an_earning_in_a_paid_week_is_a_correction(demo_paid_ledger: Path, cli: CliRunner) -> None:
    """A paid date changes only through a recorded correction (ARCHITECTURE.md: money is paid once)."""
    from ledger.store import Ledger

    with Ledger.open(demo_paid_ledger) as led:
        paid = led.connection.execute("SELECT worker_id FROM paid_ranges ORDER BY worker_id LIMIT 1").fetchone()[0]
    args = ["earning", "add", paid, "--date", "2026-10-14", "--kind", "bonus", "--amount", "50"]
    code, _out, err = run(cli, *args)
    assert code == 2
    assert "correction" in err
    _code, out, _ = run(cli, "earning", "list", "--json")
    assert json.loads(out) == []
    code, out, err = run(cli, *args, "--correction-authorized", "--reason", "missed bonus", "--json")
    assert code == 0, err
    assert json.loads(out)["corrections"]
