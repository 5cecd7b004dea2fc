"""Crash tests: a sync killed (SIGKILL) before the call, after the server committed but before the
outbox was updated, and after; then run again: every approved shift exists exactly once at the
target, with its latest version, and the ledger verifies."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_everee import FakeEveree
from sync_helpers import company, day8, ot, write_config
from test_sync_everee import everee_config

from ledger.approvals import shift_version
from ledger.store import Ledger
from ot.services.sync import run_sync, sync_report
from ot.services.uow import unit_of_work

HERE = Path(__file__).parent
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[FakeEveree]:
    fake = FakeEveree().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.mark.slow
@pytest.mark.parametrize("n", [1, 2])
@pytest.mark.parametrize("step", ["before_call", "after_commit", "after_record"])
def test_killed_sync_resumes_without_duplicates(
    step: str,
    n: int,
    cli: CliRunner,
    ledger_path: Path,
    tmp_path: Path,
    server: FakeEveree,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "tok-123")
    company(cli, tmp_path)
    write_config(ledger_path, everee_config(server.url))
    sids = [day8(cli, "W1", d) for d in ("2026-10-12", "2026-10-13", "2026-10-14")]
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), *sys.path])}
    child = subprocess.run(
        [sys.executable, str(HERE / "crash_child.py"), str(ledger_path), step, str(n)],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == -9, child.stderr.decode()
    committed = len(server.shifts)
    assert committed == {"before_call": n - 1, "after_commit": n, "after_record": n}[step]
    # An edit while the sync was down: the latest version is what must end up at the target.
    ot(cli, "shift", "edit", sids[0], "--end", "17:00", "--reason", "stayed late")
    ot(cli, "approve", "shifts", "--shift", sids[0])
    run_sync(ledger_path, actor="A1", now=NOW, sleep=lambda s: None)
    with Ledger.open(ledger_path) as led:
        assert led.verify().ok
    with unit_of_work(ledger_path) as uow:
        latest = {}
        for sid in sids:
            shift = uow.find_shift(sid)
            assert shift is not None
            latest[sid] = shift_version(shift)
    at_target = sorted(s["note"] for s in server.shifts.values())
    assert at_target == sorted(f"ot:everee:{sid} v{latest[sid]}" for sid in sids)
    assert [m for m, _p, _s in server.log].count("POST") == 3  # never a second create
    rows = [r for w in sync_report(ledger_path, now=NOW) for r in w.rows]
    assert sorted((r.shift_id, r.status) for r in rows) == sorted((sid, "Sent") for sid in sids)
