"""The check of the money tables starts from the last sealed one (``<ledger>.checked`` and a
``trust.checked`` event), and trusts that file only when its rows hash to what the chain says."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from approvals_helpers import approve_and_pay, company, events, ot, snapshot_of, week_of_8h
from click.testing import CliRunner

from ot.services.trust import check_projections, sidecar_path, tables_sha256
from ot.services.uow import unit_of_work

MON_FRI = ["2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15", "2026-10-16"]


def _started(ledger_path: Path) -> tuple[int, str]:
    """(where a read's check started: 0 = every event, the sha256 of what it folded)."""
    with unit_of_work(ledger_path) as uow:
        check_projections(uow)
        assert uow.checked is not None
        return uow.checked.started, tables_sha256(uow.checked.scratch)


def _paid(cli: CliRunner, tmp_path: Path) -> None:
    company(cli, tmp_path)
    week_of_8h(cli, "W2", MON_FRI)
    approve_and_pay(cli, "2026-10-12")


def test_a_pay_run_seals_its_check_and_the_next_check_starts_there(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    _paid(cli, tmp_path)
    sealed = events(ledger_path, "trust.checked")
    assert len(sealed) == 1
    assert sidecar_path(ledger_path).is_file()
    # The seal is the last event of the pay run's transaction, and covers everything before it.
    assert sealed[0].payload["through_seq"] == sealed[0].seq - 1
    started, kept = _started(ledger_path)
    assert started == sealed[0].payload["through_seq"]
    sidecar_path(ledger_path).unlink()
    again, full = _started(ledger_path)
    assert again == 0
    assert kept == full
    log = ot(cli, "ledger", "log", "--kind", "trust.checked").stdout
    assert f"money tables checked against the events through event {sealed[0].seq - 1}" in log


def test_a_table_and_the_kept_fold_edited_alike_are_still_refused(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """Whoever edits worker_rates and the .checked file the same way changes the file's hash,
    which the chain holds: the check folds every event again and finds the edit."""
    _paid(cli, tmp_path)
    week_of_8h(cli, "W2", ["2026-10-26"])
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-26")
    ot(cli, "approve", "timecards", "--period", "2026-10-26")
    for path in (ledger_path, sidecar_path(ledger_path)):
        if path == ledger_path:
            con = sqlite3.connect(path)
            con.execute("UPDATE worker_rates SET rate = '99.00' WHERE worker_id = 'W2'")
            con.commit()
            con.close()
        else:
            mem = sqlite3.connect(":memory:")
            mem.deserialize(path.read_bytes())
            mem.execute("UPDATE worker_rates SET rate = '99.00' WHERE worker_id = 'W2'")
            mem.commit()
            path.write_bytes(mem.serialize())
            mem.close()
    before = snapshot_of(ledger_path)
    refused = ot(cli, "payrun", "--period", "2026-10-26", code=2)
    assert "table worker_rates: differs from the events" in refused.stderr
    assert snapshot_of(ledger_path) == before


def test_an_edited_table_is_refused_when_the_check_starts_from_the_kept_fold(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    _paid(cli, tmp_path)
    con = sqlite3.connect(ledger_path)
    con.execute("UPDATE payments SET gross = '1.00' WHERE worker_id = 'W2'")
    con.commit()
    con.close()
    assert _started_or_refused(ledger_path) == "table payments"
    refused = ot(cli, "stub", "W2", "--period", "2026-10-12", code=2)
    assert "table payments: differs from the events" in refused.stderr


def _started_or_refused(ledger_path: Path) -> str:
    from ot.core.errors import OtError

    try:
        _started(ledger_path)
    except OtError as exc:
        return exc.problems[0].where
    return "passed"


def test_a_stale_or_broken_kept_fold_is_ignored(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """An older .checked file (a crash between writing it and committing, a restored backup) or a
    broken one is not the chain's: the check folds every event instead, and still passes."""
    _paid(cli, tmp_path)
    old = sidecar_path(ledger_path).read_bytes()
    week_of_8h(cli, "W2", ["2026-10-26"])
    approve_and_pay(cli, "2026-10-26")
    assert len(events(ledger_path, "trust.checked")) == 2
    started, _ = _started(ledger_path)
    assert started > 0
    sidecar_path(ledger_path).write_bytes(old)
    assert _started(ledger_path)[0] == 0
    sidecar_path(ledger_path).write_bytes(b"not a database")
    assert _started(ledger_path)[0] == 0
    assert "gross" in ot(cli, "stub", "W2", "--period", "2026-10-26").stdout


def test_a_dry_run_seals_nothing(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    week_of_8h(cli, "W2", MON_FRI)
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    ot(cli, "payrun", "--period", "2026-10-12", "--dry-run")
    assert events(ledger_path, "trust.checked") == []
    assert not sidecar_path(ledger_path).exists()


def test_a_kept_fold_of_another_version_is_ignored(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade that changes the tables or the fold, the sealed file still hashes to the chain's
    record, but its format is not this version's: the check folds every event instead."""
    from ot.services import trust

    _paid(cli, tmp_path)
    assert _started(ledger_path)[0] > 0
    monkeypatch.setattr(trust, "_FORMAT", "0" * 64)
    assert _started(ledger_path)[0] == 0
