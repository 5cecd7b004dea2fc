"""Property: whatever faults the server throws (500s, connections dropped before or after it committed,
a 500 or a body that is not JSON after it committed), syncing again until nothing waits (a call with no
clear answer is looked up a few seconds later) leaves every approved shift at the target exactly once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_everee import FakeEveree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_helpers import company, day8, ot, write_config
from test_sync_everee import Clock, everee_config

from ot.services.sync import run_sync, sync_report

FAULTS = st.lists(
    st.tuples(
        st.sampled_from(["POST", "GET"]),
        st.sampled_from(["500", "drop", "drop_after_commit", "commit_then_500", "garbage"]),
    ),
    max_size=8,
)


@pytest.fixture
def master(cli: CliRunner, ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ledger with three approved shifts (W1 Mon, W2 Tue, W1 Wed of the week of 2026-10-11; its
    config is written per example; each example works on its own copy, so sharing this
    function-scoped fixture across examples is safe)."""
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "tok-123")
    company(cli, tmp_path)
    for worker, d in (("W1", "2026-10-12"), ("W2", "2026-10-13"), ("W1", "2026-10-14")):
        day8(cli, worker, d)
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    return ledger_path


def _copy(master: Path, tmp_path: Path, name: str) -> Path:
    work = tmp_path / f"copy-{name}.db"
    work.unlink(missing_ok=True)
    src, dst = sqlite3.connect(master), sqlite3.connect(work)
    src.backup(dst)
    src.close()
    dst.close()
    return work


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(faults=FAULTS)
def test_exactly_once_under_faults(master: Path, tmp_path: Path, faults: list[tuple[str, str]]) -> None:
    work = _copy(master, tmp_path, str(abs(hash(tuple(faults)))))
    server = FakeEveree().start()
    clock = Clock()
    try:
        server.faults = list(faults)
        write_config(work, everee_config(server.url, retries=1))
        for _ in range(8):
            run_sync(work, actor="A1", now=clock.t, sleep=clock.sleep, clock=clock)
            rows = [r for w in sync_report(work, now=clock.t) for r in w.rows]
            if all(r.status == "Sent" for r in rows):
                break
            clock.advance(60)  # a call with no clear answer is looked up a few seconds later
        assert sorted(r.status for r in rows) == ["Sent"] * 3
        notes = sorted(s["note"].split()[0] for s in server.shifts.values())
        assert len(notes) == len(set(notes)) == 3
    finally:
        server.stop()
