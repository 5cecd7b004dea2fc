"""The roster refreshes itself when ``ot`` starts and the last refresh is more than 24 hours
old (Justworks' "24-hour sync"); ``ot sync refresh`` is the manual refresh."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner
from tests_support import SMALL_WORKERS

from ot.cli import main
from ot.sync.config import config_path

NEW_HIRE = "N1,Nia New,W2,19.00,LA,M1,worker,,,\n"


def _refreshes(ledger: Path) -> int:
    con = sqlite3.connect(ledger)
    try:
        return int(con.execute("SELECT count(*) FROM events WHERE kind = 'sync.roster_refreshed'").fetchone()[0])
    finally:
        con.close()


def test_a_command_pulls_a_due_roster_once(small_ledger: Path, tmp_path: Path, cli: CliRunner) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(SMALL_WORKERS + NEW_HIRE)
    config_path(small_ledger).write_text(f'[roster]\nworkers_file = "{roster}"\n')
    first = cli.invoke(main, ["shifts", "--worker", "N1", "--week", "2026-11-02"])
    assert first.exit_code == 0, first.stderr
    assert "roster refreshed from" in first.stderr
    assert "N1" in first.stdout
    again = cli.invoke(main, ["ledger", "log", "--limit", "1"])
    assert again.exit_code == 0
    assert "roster refreshed" not in again.stderr
    assert _refreshes(small_ledger) == 1


def test_the_manual_refresh_is_not_doubled(small_ledger: Path, tmp_path: Path, cli: CliRunner) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(SMALL_WORKERS)
    config_path(small_ledger).write_text(f'[roster]\nworkers_file = "{roster}"\n')
    result = cli.invoke(main, ["sync", "refresh"])
    assert result.exit_code == 0, result.stderr
    assert _refreshes(small_ledger) == 1


def test_a_bad_roster_file_warns_and_the_command_still_runs(small_ledger: Path, tmp_path: Path, cli: CliRunner) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(SMALL_WORKERS + "N1,Nia New,W2,not-a-rate,LA,M1,worker,,,\n")
    config_path(small_ledger).write_text(f'[roster]\nworkers_file = "{roster}"\n')
    result = cli.invoke(main, ["ledger", "log", "--limit", "1"])
    assert result.exit_code == 0, result.stderr
    assert "warning: the roster was not refreshed" in result.stderr
    assert f"{roster}:6:" in result.stderr
    assert _refreshes(small_ledger) == 0
