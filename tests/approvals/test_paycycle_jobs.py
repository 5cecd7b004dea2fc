"""The pay-cycle state machine with every pay run also run in a process pool (``--jobs 2``, a chunk per
worker), on a copy of the ledger, and compared: the same refusal, or the same events, byte for byte.

The pay-cycle machine's own runs never start a pool (three workers are fewer than a chunk), and
``tests/test_jobs.py`` compares fixed scenarios; this compares whole histories (corrections, rates,
calendars and rules changed after pay runs, partial runs, refusals). A review's version of it compared
1,300 runs without a difference; CI runs a few histories, ``HYPOTHESIS_PROFILE=thorough`` many.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import rule

import ledger.store
from ot.core.errors import OtError
from ot.services import payrun, pool
from tests.approvals.test_paycycle_machine import DAYS, REACHED, PayCycle, machine_settings

pytestmark = pytest.mark.sqlite_only(reason="copies the ledger file (the pool never reads the ledger either way)")

EXAMPLES = {"thorough": 100}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 8)
STEPS = {"thorough": 30}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 20)

_ROWS = (
    "SELECT seq, event_id, recorded_at, actor, kind, payload, key, worker_id, prev_hash, hash, key_id, sig "
    "FROM events ORDER BY seq"
)


def _rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(_ROWS).fetchall()


def _copy(source: Path, target: Path) -> None:
    """The ledger and its kept check (``<ledger>.checked``, which a pay run starts from and seals again)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    for side in source.parent.glob(source.name + ".checked*"):
        shutil.copyfile(side, target.parent / (target.name + side.name[len(source.name) :]))


def _run(path: Path, day: date, partial: bool, now: datetime, jobs: int) -> str:
    """The run's outcome: the workers paid, or the refusal's whole text."""
    try:
        result = payrun.run_payroll(path, period_day=day, partial=partial, actor="A1", now=now, jobs=jobs)
    except OtError as exc:
        return "refused: " + exc.render()
    return "paid: " + ",".join(w.worker_id for w in result.workers)


class JobsCycle(PayCycle):
    # Decorated again: an override without @rule would hide the machine's own pay rule (a review).
    @rule(day=DAYS, partial=st.booleans())
    def pay(self, day: date, partial: bool) -> None:
        """The machine's pay run (one process: three workers are fewer than a chunk), then the same run
        on a copy of the ledger as it was, at the same instant, with ``--jobs 2`` and a chunk per
        worker: the same rows, so the same refusal (nothing written) or the same events."""
        pooled = Path(tempfile.mkdtemp(prefix="ot-jobs-")) / "ledger.db"
        _copy(self.path, pooled)
        before = len(_rows(pooled))
        super().pay(day, partial)  # runs at self.now, the instant it ticked to
        serial = _rows(self.path)
        saved = pool.MIN_CHUNK
        pool.MIN_CHUNK = 1
        try:
            outcome = _run(pooled, day, partial, self.now, jobs=2)
        finally:
            pool.MIN_CHUNK = saved
        assert outcome.startswith("paid") == (len(serial) > before), outcome
        assert _rows(pooled) == serial, f"--jobs 2 wrote other events than one process ({outcome})"
        REACHED["jobs compared " + outcome.split(":")[0]] += 1
        shutil.rmtree(pooled.parent)


@pytest.mark.slow
def test_a_pool_writes_the_events_one_process_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger.store.secrets, "token_hex", lambda n: "ab" * n)  # the same event ids on both
    real_pool = pool.ProcessPoolExecutor

    def counted(*args: Any, **kwargs: Any) -> Any:
        REACHED["pools started"] += 1
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(pool, "ProcessPoolExecutor", counted)
    JobsCycle.TestCase.settings = machine_settings(EXAMPLES, STEPS)
    REACHED.clear()
    JobsCycle.TestCase().runTest()
    print(dict(REACHED))
    assert REACHED["jobs compared paid"] > 0
    assert REACHED["jobs compared refused"] > 0
    assert REACHED["pools started"] > 0
