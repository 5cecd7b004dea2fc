"""``ot stub --json``: the stub(s) as JSON, money as decimal text, read back exactly."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ot.cli import main
from ot.services import stubs as service
from ot.stubs.codec import stub_from_json

from .ledger_setup import company

PERIOD = ["--period", "2026-10-14"]


@pytest.fixture
def books(ledger_path: Path) -> Path:
    company(ledger_path)
    return ledger_path


def test_one_stub_as_json(books: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["stub", "w1", *PERIOD, "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["worker_id"] == "w1"
    assert doc["gross"] == "1100.00"
    assert doc["paid_with_stub"] == "1100.00"
    assert doc["later"] == []
    assert {r["display_from"] for r in doc["rates"]} == {"shift", "profile"}
    # Exactly the stub the service builds (money as text, never a float).
    assert stub_from_json(doc) == service.build_stub(books, "w1", date(2026, 10, 14))
    assert sum(Decimal(x["amount"]) for x in doc["lines"] + doc["leave"]) == Decimal(doc["gross"])
    assert "1100.0," not in result.stdout


def test_every_stub_of_the_period_as_json(books: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["stub", "--all", *PERIOD, "--json", "--display-rate", "none"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["period"] == {"start": "2026-10-11", "end": "2026-10-24", "pay_date": "2026-10-29"}
    assert [s["worker_id"] for s in doc["stubs"]] == ["w1", "w2"]
    assert doc["no_pay"] == ["w3"]
    assert {r["display_from"] for s in doc["stubs"] for r in s["rates"]} == {"", "shift"}


def test_json_to_a_file(books: Path, cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "w1.json"
    result = cli.invoke(main, ["stub", "w1", *PERIOD, "--json", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(out.read_text())["worker_name"] == "Ana Ruiz"


def test_json_and_format_together_are_refused(books: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["stub", "w1", *PERIOD, "--json", "--format", "pdf"])
    assert result.exit_code == 2
    assert "give either --json or --format, not both" in result.stderr
    assert result.stdout == ""


def test_json_of_an_unknown_worker_is_an_error_once(books: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["stub", "w9", *PERIOD, "--json"])
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "w9" in result.stderr
