"""What the ledger feeds the engine (issue 12): exact hours-only entries, seconds kept, the
rest-period attestation at clock-out, and the city and county of a work location.

Each test goes through the CLI on a fresh ledger, then reads pay through ``ot explain --json``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests_support import ledger_dump

from ot.cli import main

LOCATIONS = (
    "location_id,name,state,timezone,city,county\n"
    "LA,Los Angeles,CA,America/Los_Angeles,Los Angeles,Los Angeles County\n"
    "DEN,Denver,CO,America/Denver,Denver,Denver County\n"
    "BOU,Boulder,CO,America/Denver,,\n"
)
WORKERS = (
    "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
    "A1,Ada Admin,W2,40.00,LA,,admin,,,\n"
    "W1,Wes Worker,W2,20.00,LA,A1,worker,,,123456\n"
    "D1,Dee Denver,W2,16.00,DEN,A1,worker,,,\n"
    "B1,Bo Boulder,W2,16.00,BOU,A1,worker,,,\n"
)


@pytest.fixture
def ledger(tmp_path: Path, cli: CliRunner) -> Path:
    path = tmp_path / "l.db"
    for kind, text in (("locations", LOCATIONS), ("workers", WORKERS)):
        f = tmp_path / f"{kind}.csv"
        f.write_text(text)
        result = cli.invoke(main, ["--ledger", str(path), "--as", "A1", "import", kind, str(f)])
        assert result.exit_code == 0, result.stderr
    return path


def ot(cli: CliRunner, ledger: Path, *args: str, user: str = "A1", stdin: str | None = None) -> Any:
    return cli.invoke(main, ["--ledger", str(ledger), "--as", user, *args], input=stdin)


def at_clock(cli: CliRunner, ledger: Path, monkeypatch: pytest.MonkeyPatch, when: str, *args: str, stdin: str) -> Any:
    """A punch at the clock (no ``--at``: the clock stamps it) when its own time is ``when``, local time in
    Los Angeles: a person's clock punch cannot be back-dated (``ot.services.punch.CLOCK_SLACK``)."""
    import ot.cli.ledger_cmds as cmds
    from ot.core.timez import parse_local

    instant = parse_local(when, "America/Los_Angeles")
    monkeypatch.setattr(cmds, "utcnow", lambda: instant)
    return ot(cli, ledger, "punch", *args, "--pin-stdin", stdin=stdin)


def week(cli: CliRunner, ledger: Path, worker: str, day: str) -> dict[str, Any]:
    result = ot(cli, ledger, "explain", worker, "--week", day, "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_an_hours_only_entry_keeps_its_exact_hours(ledger: Path, cli: CliRunner) -> None:
    """0.89 h at $20 is $17.80 (the issue's reproducer; 29 CFR 785.48(b) allows no rounding that
    loses the worker time, and an entry given to the hundredth needs none)."""
    result = ot(cli, ledger, "shift", "add", "--worker", "W1", "--date", "2026-11-03", "--hours", "0.89")
    assert result.exit_code == 0, result.stderr
    assert "0.89 h" in result.stdout
    result = ot(cli, ledger, "shift", "add", "--worker", "W1", "--date", "2026-11-04", "--hours", "7.23")
    assert result.exit_code == 0, result.stderr
    data = week(cli, ledger, "W1", "2026-11-01")
    assert Decimal(data["gross_pay"]) == Decimal("17.80") + Decimal("144.60")


@pytest.mark.parametrize("hours", ["0.891", "24.01", "-1", "abc"])
def test_hours_beyond_the_hundredth_or_the_day_are_refused(ledger: Path, cli: CliRunner, hours: str) -> None:
    before = ledger_dump(ledger)
    result = ot(cli, ledger, "shift", "add", "--worker", "W1", "--date", "2026-11-03", "--hours", hours)
    assert result.exit_code == 2
    assert "--hours" in result.stderr
    assert ledger_dump(ledger) == before


def test_a_punch_keeps_its_seconds(ledger: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """08:00:17 to 13:00:45 is 5.0078 h, paid as 5.01 h (to the hundredth, 29 CFR 785.48(b))."""
    punched = at_clock(cli, ledger, monkeypatch, "2026-11-03T08:00:17", "in", stdin="123456\n")
    assert punched.exit_code == 0, punched.stderr
    out = at_clock(cli, ledger, monkeypatch, "2026-11-03T13:00:45", "out", stdin="123456\n")
    assert out.exit_code == 0, out.stderr
    data = week(cli, ledger, "W1", "2026-11-01")
    reg = [g for g in data["groups"] if g["class"] == "REG"]
    assert [g["hours"] for g in reg] == ["5.01"]


def _premiums(data: dict[str, Any]) -> list[str]:
    return [ln["rule"] for ln in data["lines"] if ln["class"] == "PREMIUM"]


@pytest.mark.parametrize(("answer", "premium"), [("rest-missed", True), ("rest-taken", False)])
def test_the_rest_answer_at_clock_out_decides_the_premium(
    ledger: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch, answer: str, premium: bool
) -> None:
    """Cal. Lab. Code 226.7(c): one additional hour of pay for each workday a rest period is not
    provided; the worker's answer at clock-out is the evidence the shipped rule names, and no
    premium is owed when the rest periods were provided."""
    for when, kind in (("08:00", "in"), ("12:00", "break-start"), ("12:30", "break-end")):
        assert at_clock(cli, ledger, monkeypatch, f"2026-11-03T{when}", kind, stdin="123456\n").exit_code == 0
    out = at_clock(cli, ledger, monkeypatch, "2026-11-03T16:30", "out", "--attest", answer, stdin="123456\n")
    assert out.exit_code == 0, out.stderr
    assert answer in out.stdout
    premiums = _premiums(week(cli, ledger, "W1", "2026-11-01"))
    if premium:
        assert any("rest" in rule for rule in premiums)
    else:
        assert not premiums


def test_the_attestation_goes_only_on_an_out_punch(ledger: Path, cli: CliRunner) -> None:
    before = ledger_dump(ledger)
    result = ot(
        cli,
        ledger,
        "punch",
        "in",
        "--pin-stdin",
        "--at",
        "2026-11-03T08:00",
        "--attest",
        "rest-missed",
        stdin="123456\n",
    )
    assert result.exit_code == 2
    assert "--attest" in result.stderr
    assert ledger_dump(ledger) == before


def test_a_manual_shift_records_the_attestation_and_an_edit_clears_it(ledger: Path, cli: CliRunner) -> None:
    """Cal. Lab. Code 226.7(c), as for punches; ``--attest none`` takes the answer back."""
    added = ot(
        cli,
        ledger,
        *("shift", "add", "--worker", "W1", "--start", "2026-11-03T08:00", "--end", "16:30"),
        *("--break", "12:00-12:30", "--attest", "rest-missed"),
    )
    assert added.exit_code == 0, added.stderr
    assert any("rest" in r for r in _premiums(week(cli, ledger, "W1", "2026-11-01")))
    shift_id = added.stdout.split("shift ")[1].split(":")[0]
    edited = ot(cli, ledger, "shift", "edit", shift_id, "--attest", "none")
    assert edited.exit_code == 0, edited.stderr
    assert not any("rest" in r for r in _premiums(week(cli, ledger, "W1", "2026-11-01")))


def test_imported_punches_carry_the_attestation(ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    """The canonical punches layout extended (never changed) by an optional rest_attestation column."""
    f = tmp_path / "p.csv"
    f.write_text(
        "worker_id,time,kind,location_id,break_type,rest_attestation\n"
        "W1,2026-11-03T08:00,in,,,\nW1,2026-11-03T12:00,break_start,,,\n"
        "W1,2026-11-03T12:30,break_end,,,\nW1,2026-11-03T16:30,out,,,rest-missed\n"
    )
    result = ot(cli, ledger, "import", "punches", str(f))
    assert result.exit_code == 0, result.stderr
    assert any("rest" in r for r in _premiums(week(cli, ledger, "W1", "2026-11-01")))


def test_a_bad_attestation_in_a_file_is_named_where(ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text(
        "worker_id,time,kind,location_id,break_type,rest_attestation\n"
        "W1,2026-11-03T08:00,in,,,rest-missed\nW1,2026-11-03T16:30,out,,,maybe\n"
    )
    before = ledger_dump(ledger)
    result = ot(cli, ledger, "import", "punches", str(f))
    assert result.exit_code == 2
    assert "p.csv:2:6" in result.stderr
    assert "only allowed on an out punch" in result.stderr
    assert "p.csv:3:6" in result.stderr
    assert "'maybe'" in result.stderr
    assert ledger_dump(ledger) == before


def test_a_city_brings_its_minimum_wage(ledger: Path, cli: CliRunner) -> None:
    """Denver Revised Municipal Code 58-16: $19.29 an hour in 2026 (Denver Labor's notice), above
    Colorado's; a worker paid $16.00 in Denver is made up to it (29 CFR 776.5: per workweek), while
    the same worker in Boulder (no city given) gets Colorado's floor only."""
    for wid in ("D1", "B1"):
        r = ot(cli, ledger, "shift", "add", "--worker", wid, "--start", "2026-11-03T09:00", "--end", "17:00")
        assert r.exit_code == 0, r.stderr
    denver = week(cli, ledger, "D1", "2026-11-01")
    assert Decimal(denver["gross_pay"]) == Decimal("8") * Decimal("19.29")
    assert any(ln["class"] == "MW_MAKEUP" for ln in denver["lines"])
    boulder = week(cli, ledger, "B1", "2026-11-01")
    assert Decimal(boulder["gross_pay"]) < Decimal(denver["gross_pay"])


def test_a_location_file_without_the_city_columns_keeps_them(ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    """The canonical locations layout stays valid: a file without city and county changes neither."""
    f = tmp_path / "l.csv"
    f.write_text("location_id,name,state,timezone\nDEN,Denver,CO,America/Denver\n")
    result = ot(cli, ledger, "import", "locations", str(f))
    assert result.exit_code == 0, result.stderr
    r = ot(cli, ledger, "shift", "add", "--worker", "D1", "--start", "2026-11-03T09:00", "--end", "17:00")
    assert r.exit_code == 0
    assert Decimal(week(cli, ledger, "D1", "2026-11-01")["gross_pay"]) == Decimal("154.32")


def test_the_wait_after_wrong_pins_is_said(ledger: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """After three wrong PINs the next one waits before it is checked; the clock says so first (a review:
    a silent wait of up to 30 seconds read as a frozen clock)."""
    import ot.cli.ledger_cmds as cmds

    slept: list[float] = []
    monkeypatch.setattr(cmds.time, "sleep", slept.append)
    for _ in range(3):
        wrong = at_clock(cli, ledger, monkeypatch, "2026-11-03T08:00", "in", stdin="999999\n")
        assert wrong.exit_code == 2
    assert slept == []
    right = at_clock(cli, ledger, monkeypatch, "2026-11-03T08:00", "in", stdin="123456\n")
    assert right.exit_code == 0, right.stderr
    assert slept == [1.0]
    assert "recent wrong PINs here: waiting 1 s before checking this one..." in right.stderr


@pytest.mark.sqlite_only(reason="edits the ledger file's pins table by hand")
def test_a_pin_row_moved_to_another_worker_punches_nobody(ledger: Path, cli: CliRunner) -> None:
    """A review: W1's PIN hash copied onto D1's row (and W1's deleted) punched D1 in with W1's PIN; the
    row a PIN matches is compared with that worker's own worker.pin_set events first."""
    import sqlite3

    con = sqlite3.connect(ledger)
    con.execute("INSERT INTO pins SELECT 'D1', pin_hash, seq, salt, bucket, override FROM pins WHERE worker_id = 'W1'")
    con.execute("DELETE FROM pins WHERE worker_id = 'W1'")
    con.commit()
    con.close()
    before = ledger_dump(ledger)
    out = ot(cli, ledger, "punch", "in", "--pin-stdin", "--at", "2026-11-03T08:00", stdin="123456\n")
    assert out.exit_code == 2, out.stdout
    assert "table pins: worker D1: a row no event made" in out.stderr
    assert ledger_dump(ledger) == before
