"""``ot ledger log`` describes approval, pay-run and correction events in words."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ot.cli import main


def _ok(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(main, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_approvals_and_pay_runs_read_as_sentences(demo_ledger: Path, cli: CliRunner) -> None:
    _ok(cli, "--as", "A1", "approve", "shifts", "--all-visible", "--period", "2026-10-20")
    _ok(cli, "--as", "A1", "approve", "timecards", "--period", "2026-10-20")
    _ok(cli, "--as", "A1", "payrun", "--period", "2026-10-20")
    shifts = _ok(cli, "ledger", "log", "--kind", "approval.shift_approved", "--limit", "1")
    assert "approved (step 1)" in shifts
    cards = _ok(cli, "ledger", "log", "--kind", "approval.timecard_approved", "--limit", "1")
    assert "for 2026-10-11 to 2026-10-24 approved (step 2)" in cards
    runs = _ok(cli, "ledger", "log", "--kind", "payrun.recorded")
    assert "pay run R2026-10-11 (regular) for 2026-10-11 to 2026-10-24" in runs
    paid = _ok(cli, "ledger", "log", "--kind", "payrun.worker_paid", "--limit", "1")
    assert " paid " in paid
    assert "by R2026-10-11 (gross " in paid
    assert "=" not in paid  # not the generic key=value form
