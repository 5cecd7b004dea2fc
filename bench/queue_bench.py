#!/usr/bin/env python3
"""Benchmark: the Approvals screen's read after each approval, the whole queue against the rows kept.

    .venv/bin/python bench/queue_bench.py --workers 2000 --approvals 10

On ``bench/jobs_bench.py``'s cached ledger of that many workers (one biweekly period, every shift and
timecard approved), as an admin works through a queue in the Approvals screen: unapprove one shift of
a different worker each time (a void, worker-scoped), then read the queue again, two ways side by side
on the same ledger after the same write:

- whole: ``approval_queue`` (what the screen read after every approval before ``queue_since``);
- kept: ``queue_since`` with the queue shown (only the worker the new events name is read again);

and the same for the Exceptions screen's view (``exceptions_queue`` against ``exceptions_since``).

Prints the wall and CPU seconds of the first whole read (opening the screen) and the medians of each
way after a write, their ratio, and checks that both give the same queue. Figures, not a timed test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from jobs_bench import ANCHOR, WHEN, build  # noqa: E402

from ot.services.approvals import unapprove_shifts  # noqa: E402
from ot.services.exceptions_view import exceptions_queue, exceptions_since  # noqa: E402
from ot.services.queue import approval_queue, queue_since  # noqa: E402

T = TypeVar("T")


def _timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    """(what ``fn`` returns, wall seconds, CPU seconds of this process)."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--approvals", type=int, default=10, help="writes, each followed by both reads")
    args = parser.parse_args()
    source = build(args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.db"
        shutil.copy(source, path)
        shown, wall, cpu = _timed(lambda: approval_queue(path, "A1", ANCHOR))
        print(f"{args.workers} workers: opening the queue {wall:.2f} s wall, {cpu:.2f} s CPU")
        view, wall, cpu = _timed(lambda: exceptions_queue(path, "A1", ANCHOR))
        print(f"{args.workers} workers: opening the exceptions {wall:.2f} s wall, {cpu:.2f} s CPU")
        # Each screen: (name, its whole read, its read after the view shown), the views shown, the figures.
        reads: list[tuple[str, Callable[[], Any], Callable[[Any], Any]]] = [
            ("queue", lambda: approval_queue(path, "A1", ANCHOR), lambda v: queue_since(path, "A1", ANCHOR, v)),
            (
                "exceptions",
                lambda: exceptions_queue(path, "A1", ANCHOR),
                lambda v: exceptions_since(path, "A1", ANCHOR, v),
            ),
        ]
        views: list[Any] = [shown, view]
        figures: list[tuple[list[tuple[float, float]], list[tuple[float, float]]]] = [([], []) for _ in reads]
        now = WHEN
        for i in range(args.approvals):
            week = shown.weeks[(i * 37) % len(shown.weeks)]
            now += timedelta(seconds=1)
            unapprove_shifts(path, shift_ids=[week.shifts[0].shift_id], reason="bench", actor="A1", now=now)
            for n, (screen, whole_read, since_read) in enumerate(reads):
                again, w1, c1 = _timed(whole_read)
                since, w2, c2 = _timed(lambda r=since_read, v=views[n]: r(v))
                assert since == again, f"the {screen} kept are not those read whole"
                figures[n][0].append((w1, c1))
                figures[n][1].append((w2, c2))
                views[n] = since
            shown = views[0]
    for (screen, _, _), (a, b) in zip(reads, figures, strict=True):
        for name, runs in (("whole read", a), ("rows kept", b)):
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            print(
                f"  {screen:<10} after a write, {name:<10} {wall:7.3f} s wall  {cpu:7.3f} s CPU"
                f"  (median of {len(runs)})"
            )
        ratio = statistics.median(r[1] for r in a) / max(statistics.median(r[1] for r in b), 1e-9)
        print(f"  {screen:<10} whole / kept (CPU): {ratio:.0f}x")


if __name__ == "__main__":
    main()
