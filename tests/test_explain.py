"""``ot explain``: a workweek hour by hour from the ledger, as text and JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from ot.cli import main


def test_explain_names_the_winning_rule_its_text_and_the_loser(small_ledger: Path, cli: CliRunner) -> None:
    """Cal. Lab. Code 510(a): hours over 8 in a workday are overtime at 1.5x; the FLSA
    (29 U.S.C. 207) would pay the same 10 hours straight, so the CA rule wins and federal loses."""
    result = cli.invoke(main, ["explain", "W1", "--week", "2026-11-04", "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["week_start"] == "2026-11-01"
    assert (out["regular_hours"], out["overtime_hours"]) == ("8.00", "2.00")
    assert out["gross_pay"] == "220.00"  # 8 x 20 + 2 x 30
    assert sum(Decimal(line["amount"]) for line in out["lines"]) == Decimal(out["gross_pay"])
    ot_pieces = [p for p in out["pieces"] if p["class"] == "OT"]
    assert ot_pieces
    assert {p["winner"]["jurisdiction"] for p in ot_pieces} == {"CA"}
    assert {p["winner"]["rule"] for p in ot_pieces} == {"daily over 8h"}
    assert all(any(x["jurisdiction"] == "FEDERAL" and x["class"] == "REG" for x in p["losers"]) for p in ot_pieces)
    cited = {c["source"]: c["text"] for c in out["cited"]}
    assert "daily over 8h" in cited[ot_pieces[0]["winner"]["source"]]
    assert out["rules"]["file"] == "rules.example.ot"
    assert len(out["rules"]["sha256"]) == 64


def test_explain_text_shows_shifts_arithmetic_and_totals(small_ledger: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["explain", "W1", "--week", "2026-11-02"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "Mon 2026-11-02 07:00-17:30 PST" in text
    assert "11:00-11:30 DEFAULT_UNPAID" in text
    assert "$200.00 / 10.00 h = $20.00" in text  # rates to 2 places when whole cents (ot.core.money.rate_text)
    assert "lost: REG FEDERAL" in text
    assert "gross $220.00" in text
    assert "2.00 h x    $20.00 x 1.5  =     $60.00" in text  # every line multiplies out
    assert "Rules cited:" in text


def test_explain_unknown_worker(small_ledger: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["explain", "W9", "--week", "2026-11-02"])
    assert result.exit_code == 2
    assert "WORKER: no worker 'W9'" in result.stderr
    assert "W1" in result.stderr


def test_explain_week_without_work(small_ledger: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["explain", "W1", "--week", "2026-12-02"])
    assert result.exit_code == 2
    assert "no priced work in the workweek beginning 2026-11-29" in result.stderr


def test_explain_bad_date(ledger_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["explain", "W1", "--week", "2026-13-02"])
    assert result.exit_code == 2
    assert "'2026-13-02' is not a date: there is no month 13" in result.stderr


def test_explain_missing_ledger_is_not_created(tmp_path: Path, cli: CliRunner) -> None:
    missing = tmp_path / "nope.db"
    result = cli.invoke(main, ["--ledger", str(missing), "explain", "W1", "--week", "2026-11-02"])
    assert result.exit_code == 2
    assert "ot demo" in result.stderr
    assert not missing.exists()


def test_explain_demo_week_lines_add_up(demo_ledger: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["explain", "W01", "--week", "2026-11-02", "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert sum(Decimal(line["amount"]) for line in out["lines"]) == Decimal(out["gross_pay"])
