"""Property: whatever faults the server throws (500s, connections dropped before or after it
committed), syncing again until nothing waits leaves every approved shift at the target exactly once."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_everee import FakeEveree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_helpers import company, day8, ot, write_config
from test_sync_everee import everee_config

from ot.services.sync import run_sync, sync_report

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
FAULTS = st.lists(
    st.tuples(st.sampled_from(["POST", "GET"]), st.sampled_from(["500", "drop", "drop_after_commit"])), max_size=8
)


@pytest.fixture
def master(cli: CliRunner, ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ledger with three approved shifts of W1 (its config is written per example; each example
    works on its own copy, so sharing this function-scoped fixture across examples is safe)."""
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "tok-123")
    company(cli, tmp_path)
    for d in ("2026-10-12", "2026-10-13", "2026-10-14"):
        day8(cli, "W1", d)
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    return ledger_path


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(faults=FAULTS)
def test_exactly_once_under_faults(master: Path, tmp_path: Path, faults: list[tuple[str, str]]) -> None:
    work = tmp_path / f"copy-{abs(hash(tuple(faults)))}.db"
    work.unlink(missing_ok=True)
    src, dst = sqlite3.connect(master), sqlite3.connect(work)
    src.backup(dst)
    src.close()
    dst.close()
    server = FakeEveree().start()
    try:
        server.faults = list(faults)
        write_config(work, everee_config(server.url, retries=1))
        for _ in range(6):
            run_sync(work, actor="A1", now=NOW, sleep=lambda s: None)
            rows = [r for w in sync_report(work, now=NOW) for r in w.rows]
            if all(r.status == "Sent" for r in rows):
                break
        assert sorted(r.status for r in rows) == ["Sent"] * 3
        notes = sorted(s["note"].split()[0] for s in server.shifts.values())
        assert len(notes) == len(set(notes)) == 3
    finally:
        server.stop()
