"""Several processes on one ledger: concurrent writers, and a writer killed mid-import (SIGKILL)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ledger_procs import punch_event

from ledger.store import Ledger

NOW = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
PROCS = Path(__file__).with_name("ledger_procs.py")
ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(PROCS), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _result(proc: subprocess.Popen[str]) -> dict[str, int]:
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    result: dict[str, int] = json.loads(out.strip().splitlines()[-1])
    return result


def _wait_begun(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "begun", proc.stderr.read() if proc.stderr else line


def test_two_writers_at_once(tmp_path: Path) -> None:
    """Two clocks punching into one ledger at the same time: every punch recorded once, the chain intact."""
    path = tmp_path / "l.db"
    Ledger.open(path).close()
    a = _start("punches", str(path), "A", "150")
    b = _start("punches", str(path), "B", "150")
    ra, rb = _result(a), _result(b)
    assert ra["added"] == rb["added"] == 150
    with Ledger.open(path) as led:
        assert led.count() == 300
        assert len(led.punches("A")) == len(led.punches("B")) == 150
        report = led.verify()
        assert report.ok, report.problems


def test_punches_arrive_during_an_import(tmp_path: Path) -> None:
    """An import holds the write lock; punches wait for it (busy timeout) and then go in; nothing is lost."""
    path = tmp_path / "l.db"
    Ledger.open(path).close()
    bulk = _start("bulk", str(path), "20000", "imp")
    _wait_begun(bulk)
    clock = _start("punches", str(path), "C", "20")
    assert _result(bulk)["added"] == 20000
    assert _result(clock)["added"] == 20
    with Ledger.open(path) as led:
        assert led.count() == 20020
        assert led.verify().ok


@pytest.mark.slow
def test_import_killed_at_any_point_leaves_all_or_nothing(tmp_path: Path) -> None:
    """SIGKILL an import at moments spread over its transaction and commit: the ledger has none or all of each batch.

    One batch runs to the end first, to time it; the kills then land at fractions
    of that time (with jitter), so some fall inside the transaction on any machine.
    """
    path = tmp_path / "l.db"
    Ledger.open(path).close()
    rng = random.Random(20261102)
    batch = 10000
    proc = _start("bulk", str(path), str(batch), "timed")
    _wait_begun(proc)
    began = time.perf_counter()
    assert _result(proc)["added"] == batch
    duration = time.perf_counter() - began
    expected = batch
    outcomes: list[str] = []
    for attempt, fraction in enumerate((0.1, 0.4, 0.7, 0.95, 1.2)):
        proc = _start("bulk", str(path), str(batch), f"run{attempt}")
        _wait_begun(proc)
        time.sleep(duration * fraction * rng.uniform(0.8, 1.0))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        with Ledger.open(path) as led:
            count = led.count()
            assert count in (expected, expected + batch), (attempt, count, expected)
            outcomes.append("all" if count > expected else "none")
            expected = count
            assert len(led.punches()) == count
            report = led.verify()
            assert report.ok, report.problems
    assert outcomes[0] == "none"  # killed at a tenth of its time: well inside the transaction


def test_verify_reads_the_chain_and_the_head_in_one_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process appending while verify runs (here: right after verify read the last event, before
    it reads the head) is not a truncated ledger: verify checks the ledger as it was when it began, and
    the next verify sees the new events (found by a review racing `ot import` against `ot ledger verify`)."""
    path = tmp_path / "l.db"
    with Ledger.open(path) as led:
        led.append([punch_event("W1", i, "t") for i in range(4)], actor="ana", now=NOW)
    real_meta = Ledger.meta
    appended: list[int] = []

    def meta_after_an_append(self: Ledger, name: str) -> str | None:
        if name == "head_seq" and not appended:
            with Ledger.open(path, create=False) as other:  # another process's append, committed
                appended.extend(e.seq for e in other.append([punch_event("W2", 0, "t")], actor="ana", now=NOW))
        return real_meta(self, name)

    with Ledger.open(path, create=False) as led:
        monkeypatch.setattr(Ledger, "meta", meta_after_an_append)
        report = led.verify()
        monkeypatch.setattr(Ledger, "meta", real_meta)
        assert appended == [5]
        assert report.ok, report.problems
        assert report.last_seq == 4
        again = led.verify()
    assert again.ok, again.problems
    assert again.last_seq == 5
