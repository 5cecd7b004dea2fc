"""The demo company with two pay periods paid: the second carries an underpayment (W01), an
overpayment deduction (W02), and a week W02 worked in two states (Los Angeles, then Houston)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from ot.cli import main

PERIOD_2 = "2026-11-02"


def _copy(source: Path, target: Path) -> Path:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def run(path: Path, user: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["--ledger", str(path), "--as", user, *args])
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


@pytest.fixture(scope="session")
def _exports_master(_demo_paid_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _copy(_demo_paid_master, tmp_path_factory.mktemp("exports") / "ledger.db")
    run(path, "A1", "shift", "edit", "S699", "--end", "17:31", "--correction-authorized", "--reason", "stayed late")
    run(path, "A1", "shift", "edit", "S819", "--end", "12:00", "--correction-authorized", "--reason", "left at noon")
    run(
        path,
        "M1",
        "shift",
        "add",
        "--worker",
        "W02",
        "--start",
        "2026-10-31T09:00",
        "--end",
        "13:00",
        "--location",
        "HOU",
    )
    run(path, "A1", "approve", "shifts", "--all-visible", "--period", PERIOD_2)
    run(path, "A1", "approve", "timecards", "--period", PERIOD_2)
    run(path, "A1", "payrun", "--period", PERIOD_2, "--partial")
    return path


@pytest.fixture
def paid_twice(_exports_master: Path, tmp_path: Path) -> Path:
    """A private copy of that ledger."""
    return _copy(_exports_master, tmp_path / "ledger.db")


@pytest.fixture
def mappings(tmp_path: Path) -> dict[str, Path]:
    """The shipped mappings with the employer's ids filled in (ADP company ABC, Paychex client 70012345)."""
    from ot.exports.mapping import DEFAULTS

    out = {}
    for name in ("adp-wfn", "paychex-flex", "gusto", "generic"):
        text = (DEFAULTS / f"{name}.toml").read_text()
        text = text.replace('company_code = ""', 'company_code = "ABC"').replace(
            'client_id = ""', 'client_id = "70012345"'
        )
        out[name] = tmp_path / f"{name}.toml"
        out[name].write_text(text)
    return out
