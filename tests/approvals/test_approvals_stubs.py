"""Pay stubs mark corrections: the corrected dates with original and corrected hours and
amounts, and the deduction or payment that settles the difference (Everee's timesheet
corrections). Snapshots are single ``.txt`` files: read them when they change."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from approvals_helpers import add, approve_and_pay, company, events, ot, week_of_8h
from click.testing import CliRunner
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from ot.cli import main
from ot.services.entries import ShiftInput, add_shift
from ot.services.stubs import build_stub, off_cycle_stub
from ot.stubs.text import render_text

MON_FRI = ["2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15", "2026-10-16"]


class TextSnapshot(SingleFileSnapshotExtension):
    """A snapshot stored as one ``.txt`` file."""

    file_extension = "txt"
    _write_mode = WriteMode.TEXT


@pytest.fixture
def text_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(TextSnapshot)


def _stub_text(ledger_path: Path, worker: str, day: date) -> str:
    """The stub's text, its chain head (random event ids make it differ per run) checked and masked."""
    return _masked(render_text(build_stub(ledger_path, worker, day)))


def _masked(text: str) -> str:
    flat = re.sub(r"\s+", " ", text)
    assert re.search(r"at ledger event \d+, head [0-9a-f]{64}\.", flat)
    return re.sub(
        r"Issued by pay run .*?head\s+[0-9a-f]{64}\.", "Issued by pay run ... (chain head masked).", text, flags=re.S
    )


def _paid_then(cli: CliRunner, tmp_path: Path, days: list[str], *change: str) -> None:
    """W2 (Texas, $20/h) paid for ``days``; then a correction; then Monday 2026-10-26 worked and paid."""
    company(cli, tmp_path)
    ot(cli, "employer", "set", "--name", "Example Co", "--address", "1 Main St, Dallas, TX")
    sids = week_of_8h(cli, "W2", days)
    approve_and_pay(cli, "2026-10-12")
    if change[0] == "edit":
        ot(cli, "shift", "edit", sids[2], *change[1:])
    else:
        add(cli, "W2", *change[1:])
    week_of_8h(cli, "W2", ["2026-10-26"])
    approve_and_pay(cli, "2026-10-26")


def test_stub_with_an_overpayment_deduction(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, text_snapshot: SnapshotAssertion
) -> None:
    """Wednesday 2026-10-14 cut from 8 to 4 hours after it was paid: $80 deducted from the next pay."""
    _paid_then(cli, tmp_path, MON_FRI, "edit", "--end", "12:00", "--correction-authorized", "--reason", "left at noon")
    text = _stub_text(ledger_path, "W2", date(2026, 10, 26))
    assert "2026-10-14" in text
    assert text == text_snapshot


def test_stub_with_an_underpayment_on_the_next_payroll(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, text_snapshot: SnapshotAssertion
) -> None:
    """Friday 2026-10-16 added after the period was paid: 8 h x $20 = $160 added to the next pay."""
    _paid_then(
        cli,
        tmp_path,
        MON_FRI[:4],
        "add",
        "--date",
        "2026-10-16",
        "--hours",
        "8",
        "--correction-authorized",
        "--reason",
        "Friday was worked",
    )
    text = _stub_text(ledger_path, "W2", date(2026, 10, 26))
    assert "2026-10-16" in text
    assert text == text_snapshot


def test_off_cycle_stub(cli: CliRunner, ledger_path: Path, tmp_path: Path, text_snapshot: SnapshotAssertion) -> None:
    """An underpayment paid IMMEDIATELY (recorded 2026-10-30) gets its own stub: no regular
    lines, the correction, pay date 2026-10-30, period of the corrected date."""
    company(cli, tmp_path)
    ot(cli, "employer", "set", "--name", "Example Co", "--address", "1 Main St, Dallas, TX")
    week_of_8h(cli, "W2", MON_FRI[:4])
    approve_and_pay(cli, "2026-10-12")
    add_shift(
        ledger_path,
        worker_id="W2",
        given=ShiftInput(day="2026-10-16", hours="8"),
        reason="Friday was worked",
        correction_authorized=True,
        timeframe="IMMEDIATELY",
        actor="A1",
        now=datetime(2026, 10, 30, 17, 0, tzinfo=UTC),
    )
    run_id = events(ledger_path, "payrun.worker_paid")[-1].payload["run_id"]
    text = _masked(render_text(off_cycle_stub(ledger_path, run_id)))
    assert "2026-10-16" in text
    assert text == text_snapshot
    # The same stub from the command line.
    result = cli.invoke(main, ["stub", "--off-cycle", run_id])
    assert result.exit_code == 0, result.stderr
    assert _masked(result.stdout) == text
    result = cli.invoke(main, ["stub", "--off-cycle", "off-cycle-C999"])
    assert result.exit_code == 2
    assert "no off-cycle payment 'off-cycle-C999'" in result.stderr
    result = cli.invoke(main, ["stub", "W2", "--off-cycle", run_id])
    assert result.exit_code == 2
    assert "give no WORKER or --all" in result.stderr
