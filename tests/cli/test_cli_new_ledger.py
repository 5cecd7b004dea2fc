"""A command that makes the ledger when there is none (``ot demo``, ``ot import``, ``ot rules adopt``, ``ot
period configure``, ``ot employer set``) refuses a ledger named in a folder that does not exist, and says
when it made a new ledger.

A review: ``ot --ledger /missing/dir/x.db import ...`` (a typo) made the folder and a new ledger, imported
into it and exited 0, while ``export -o`` refuses a missing folder. Reads already refuse a missing ledger
("no ledger at"); the per-user default ledger's folder is still made on first use.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests_support import SMALL_LOCATIONS

from ot.cli import main
from ot.cli.app import Settings
from ot.core.errors import OtError
from rules.files import default_rules_path


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    locations = tmp_path / "locations.csv"
    locations.write_text(SMALL_LOCATIONS)
    return {
        "demo": ["demo"],
        "import": ["import", "locations", str(locations)],
        "import --dry-run": ["import", "locations", "--dry-run", str(locations)],
        "rules adopt": ["rules", "adopt", str(default_rules_path()), "--from", "2026-01-04"],
        "period configure": ["period", "configure", "--frequency", "weekly", "--anchor", "2026-11-01"],
        "employer set": ["employer", "set", "--name", "Acme"],
    }


NAMES = ["demo", "import", "import --dry-run", "rules adopt", "period configure", "employer set"]


@pytest.mark.parametrize("name", NAMES)
def test_a_ledger_in_a_missing_folder_is_refused(cli: CliRunner, tmp_path: Path, name: str) -> None:
    ledger = tmp_path / "missing" / "dir" / "x.db"
    result = cli.invoke(main, ["--ledger", str(ledger), "--as", "A1", *_commands(tmp_path)[name]])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert f"--ledger: no folder {ledger.parent}: create it, or check --ledger" in result.stderr
    assert f"no folder {ledger.parent} for the ledger {ledger}; nothing was written" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_from_ot_ledger_it_names_the_variable(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = tmp_path / "missing" / "x.db"
    monkeypatch.setenv("OT_LEDGER", str(ledger))
    result = cli.invoke(main, ["--as", "A1", *_commands(tmp_path)["import"]])
    assert result.exit_code == 2
    assert f"$OT_LEDGER: no folder {ledger.parent}: create it, or check $OT_LEDGER" in result.stderr
    assert not ledger.parent.exists()


def test_json_says_it_in_json(cli: CliRunner, tmp_path: Path) -> None:
    ledger = tmp_path / "missing" / "x.db"
    result = cli.invoke(main, ["--ledger", str(ledger), "--as", "A1", *_commands(tmp_path)["import"], "--json"])
    assert result.exit_code == 2
    assert '"where": "--ledger"' in result.stderr


@pytest.mark.parametrize("name", ["import", "period configure", "employer set", "rules adopt"])
def test_a_new_ledger_is_said(cli: CliRunner, tmp_path: Path, name: str) -> None:
    """In a folder that exists, a new ledger is made, and a note on standard error says so (a mistyped
    file name is seen at once); the next command into it says nothing."""
    ledger = tmp_path / "x.db"
    command = ["--ledger", str(ledger), "--as", "A1", *_commands(tmp_path)[name]]
    first = cli.invoke(main, command)
    assert first.exit_code == 0, first.stderr
    assert f"note: a new ledger was made at {ledger}" in first.stderr
    assert ledger.exists()
    again = cli.invoke(main, command)
    assert again.exit_code == 0, again.stderr
    assert "new ledger" not in again.stderr


def test_a_dry_run_makes_no_ledger_and_says_nothing_of_one(cli: CliRunner, tmp_path: Path) -> None:
    ledger = tmp_path / "x.db"
    result = cli.invoke(main, ["--ledger", str(ledger), "--as", "A1", *_commands(tmp_path)["import --dry-run"]])
    assert result.exit_code == 0, result.stderr
    assert "new ledger" not in result.stderr
    assert not ledger.exists()


def test_json_has_no_note(cli: CliRunner, tmp_path: Path) -> None:
    ledger = tmp_path / "x.db"
    result = cli.invoke(main, ["--ledger", str(ledger), "--as", "A1", *_commands(tmp_path)["import"], "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_reads_of_a_missing_folder_say_no_ledger(cli: CliRunner, tmp_path: Path) -> None:
    ledger = tmp_path / "missing" / "x.db"
    result = cli.invoke(main, ["--ledger", str(ledger), "workers"])
    assert result.exit_code == 2
    assert f"no ledger at {ledger}" in result.stderr
    assert not ledger.parent.exists()


def test_the_default_ledger_s_folder_is_made(tmp_path: Path) -> None:
    """The per-user ledger (no --ledger, no $OT_LEDGER) lives in a data folder that does not exist before the
    first command: its folder is never a typo."""
    default = Settings(ledger_path=tmp_path / "data" / "ot" / "ledger.db", user="A1")
    assert default.new_ledger()
    given = Settings(ledger_path=tmp_path / "data" / "ot" / "ledger.db", user="A1", ledger_given="--ledger")
    with pytest.raises(OtError, match="no folder"):
        given.new_ledger()
    remote = Settings(ledger_path=tmp_path / "cache" / "replica.db", user="A1", remote=True)
    assert not remote.new_ledger()
