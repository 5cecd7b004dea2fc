#!/usr/bin/env python3
"""Benchmark: parallel pricing, ``--jobs 1`` against ``--jobs 2`` in one run.

    .venv/bin/python bench/jobs_bench.py --workers 2000 10000 --repeat 3

For each size it builds (once, cached in ``bench/.cache/``, gitignored) a
ledger of that many hourly workers in seven states with one biweekly period of
punches, every shift and timecard approved (``bench/paycycle_bench.py``'s
company). Then, on a fresh copy of that ledger each time, it measures:

- ``payrun``: the pay run of the period (``run_payroll``);
- ``stub pdf``: ``stub --all --format pdf`` of the period, files written;

with ``--jobs 1`` and ``--jobs 2``: wall seconds and CPU seconds (this process
and its pool's children; and this process alone, the serial part), median of
``--repeat`` runs (one at 10,000 workers), the speedup (jobs 1 wall / jobs 2
wall) and its bound on an idle two-core machine from the CPU figures (jobs 1
CPU over the longer of the parent's CPU and half the children's), which a
busy shared machine's wall clock cannot show. Issue 15's goals: the pay run of 10,000 workers
under 10 s of wall time with ``--jobs 2``, and ``--jobs 2`` at least 1.7x
faster than ``--jobs 1``. Figures, not a timed test; the machine is shared, so
the figures are noisy.

``--serial`` also prints where a ``--jobs 1`` pay run's time goes (cProfile,
the top functions by cumulative time).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from paycycle_bench import ANCHOR, _write_company, _write_punches  # noqa: E402

from ot.services.approvals import approve_shifts, approve_timecards  # noqa: E402
from ot.services.imports import import_file  # noqa: E402
from ot.services.periods import configure_periods  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
WHEN = datetime.combine(ANCHOR + timedelta(days=15), datetime.min.time(), UTC)


def build(n: int) -> Path:
    """The cached ledger of ``n`` workers, one period of punches, all approved (built once)."""
    folder = CACHE / f"jobs-w{n}"
    ledger = folder / "ledger.db"
    if (folder / "built").exists():
        return ledger
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    t0 = time.time()
    locs, workers = _write_company(folder, n)
    now0 = datetime(2026, 7, 1, tzinfo=UTC)
    import_file(ledger, "locations", locs, actor="A1", now=now0)
    import_file(ledger, "workers", workers, actor="A1", now=now0)
    configure_periods(
        ledger, frequency="biweekly", anchor=ANCHOR, pay_date_offset=5, effective=None, actor="A1", now=now0
    )
    punches = folder / "punches.csv"
    _write_punches(punches, n, ANCHOR, 14, seed=0)
    import_file(ledger, "punches", punches, actor="A1", now=WHEN)
    punches.unlink()
    approve_shifts(ledger, all_visible=True, period_day=ANCHOR, actor="A1", now=WHEN)
    approve_timecards(ledger, period_day=ANCHOR, actor="A1", now=WHEN)
    (folder / "built").touch()
    print(f"built {n} workers in {time.time() - t0:.0f} s wall", file=sys.stderr)
    return ledger


def _cpu_now() -> tuple[float, float]:
    """(CPU seconds of this process, of its reaped children: the pool's processes)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def measure(step: Callable[[Path, Path], object], source: Path, repeat: int) -> tuple[float, float, float]:
    """(median wall s, median CPU s in all, median CPU s of this process) of ``step(ledger copy, scratch)``."""
    walls, cpus, parents = [], [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "ledger.db"
            shutil.copy(source, copy)
            kept = source.with_name(source.name + ".checked")
            if kept.exists():
                shutil.copy(kept, copy.with_name(copy.name + ".checked"))
            (s0, k0), t0 = _cpu_now(), time.perf_counter()
            step(copy, Path(tmp) / "out")
            walls.append(time.perf_counter() - t0)
            s1, k1 = _cpu_now()
            cpus.append(s1 - s0 + k1 - k0)
            parents.append(s1 - s0)
    return statistics.median(walls), statistics.median(cpus), statistics.median(parents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median); sizes >= 10,000 use 1")
    parser.add_argument("--build-only", action="store_true", help="build (or find) the cached ledgers and stop")
    parser.add_argument("--steps", nargs="+", default=["payrun", "stub pdf"], choices=["payrun", "stub pdf"])
    parser.add_argument("--serial", action="store_true", help="profile a --jobs 1 pay run of the first size")
    parser.add_argument("--pdf-once", action="store_true", help="one run of stub pdf per figure (it is slow)")
    args = parser.parse_args()
    ledgers = {n: build(n) for n in args.workers}
    if args.build_only:
        return
    from ot.services.payrun import run_payroll
    from ot.services.stubs import build_all, write_batch

    def payrun(jobs: int) -> Callable[[Path, Path], object]:
        return lambda p, _out: run_payroll(p, period_day=ANCHOR, partial=True, actor="A1", now=WHEN, jobs=jobs)

    def stubs(jobs: int) -> Callable[[Path, Path], object]:
        def step(p: Path, out: Path) -> object:
            batch = build_all(p, ANCHOR, jobs=jobs)
            return list(write_batch(batch.stubs, out, "pdf", jobs=jobs))

        return step

    if args.serial:
        import cProfile
        import pstats

        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "ledger.db"
            shutil.copy(ledgers[args.workers[0]], copy)
            prof = cProfile.Profile()
            prof.runcall(payrun(1), copy, Path(tmp))
            pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    makers = {"payrun": payrun, "stub pdf": stubs}
    print(f"cores: {os.cpu_count()}, affinity {len(os.sched_getaffinity(0))}; shared machine, figures are noisy")
    print(
        "wall: seconds; cpu: CPU seconds of this process and its pool; parent: of this process alone "
        "(with --jobs 2, the part no other process can take: the ledger reads, the checks, the appends)"
    )
    head = f"{'workers':>8} {'step':<9} {'runs':>4}"
    print(
        f"{head} {'wall j1':>8} {'wall j2':>8} {'cpu j1':>8} {'cpu j2':>8} {'parent j2':>9} {'speedup':>8} {'bound':>6}"
    )
    for n, ledger in ledgers.items():
        for name in args.steps:
            repeat = 1 if n >= 10000 or (name == "stub pdf" and args.pdf_once) else args.repeat
            w1, c1, _p1 = measure(makers[name](1), ledger, repeat)
            w2, c2, p2 = measure(makers[name](2), ledger, repeat)
            # bound: jobs-1 CPU over the longer of the parent's part and half the rest (an idle 2-core machine).
            bound = c1 / max(p2, (c2 - p2) / 2) if c2 else 0.0
            print(
                f"{n:>8} {name:<9} {repeat:>4} {w1:>8.2f} {w2:>8.2f} {c1:>8.2f} {c2:>8.2f} {p2:>9.2f} "
                f"{w1 / w2:>7.2f}x {bound:>5.2f}x  load {os.getloadavg()[0]:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
