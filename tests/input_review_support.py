"""Helpers of the input-handling tests (a review's defects): a small company built once per module and
copied per test, the CLI run against a copy, and the check that a refusal says where and what and
writes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result
from tests_support import SMALL_LOCATIONS, SMALL_PUNCHES, SMALL_WORKERS, ledger_dump

from ot.cli import main

#: The workers layout's columns (contracts/import.md).
WORKERS_HEADER = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override"


def build_small(folder: Path) -> Path:
    """The small company of ``conftest.small_ledger`` (LA, HOU; A1 admin, M1 manager, W1, T1), built
    through ``ot import`` in ``folder``."""
    path = folder / "ledger.db"
    runner = CliRunner()
    for kind, text in (("locations", SMALL_LOCATIONS), ("workers", SMALL_WORKERS), ("punches", SMALL_PUNCHES)):
        f = folder / f"{kind}.csv"
        f.write_text(text)
        result = runner.invoke(main, ["--ledger", str(path), "--as", "A1", "import", kind, str(f)])
        assert result.exit_code == 0, result.stderr
    return path


def copy_ledger(source: Path, target: Path) -> Path:
    """A copy of a SQLite ledger (its WAL included, through the backup API)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def ot(ledger: Path, *args: str, user: str = "A1", stdin: str | None = None) -> Result:
    """``ot --ledger LEDGER --as USER ARGS...`` through click's runner."""
    return CliRunner().invoke(main, ["--ledger", str(ledger), "--as", user, *args], input=stdin)


def write(folder: Path, name: str, text: str | bytes) -> str:
    """Write a file into ``folder``; its path as text."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def refused_cleanly(ledger: Path, *args: str, says: tuple[str, ...], user: str = "A1") -> str:
    """Run a command that must be refused: exit 2, no traceback, each fragment on standard error, and
    the ledger's events exactly as before. Returns standard error."""
    before = ledger_dump(ledger)
    result = ot(ledger, *args, user=user)
    err = result.stderr
    assert "Traceback" not in err + result.stdout, err
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, (result.exit_code, result.stdout, err)
    for fragment in says:
        assert fragment in err, (fragment, err)
    assert ledger_dump(ledger) == before
    return err
