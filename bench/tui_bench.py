#!/usr/bin/env python3
"""Benchmark: the timecards screen on an empty, a small and a 1,000,000-punch ledger, in one run.

    .venv/bin/python bench/tui_bench.py                 # builds the ledgers in a temporary folder
    .venv/bin/python bench/tui_bench.py --dir /tmp/tb   # builds once, reuses them on later runs

With Textual's test harness (``App.run_test``, headless, 100x30) it measures:

1. start: from creating the app to the first timecard shown (the first worker's
   week in the grid, with its totals);
2. previous week: from pressing ``[`` to that week shown;
3. next week: from pressing ``]`` to the week shown again.

Ledgers (the same 200 workers in seven states, punches from
``bench/import_bench.py``'s generator, four a day per worker):

- empty: the roster, no punch;
- small: three weeks of punches (16,800);
- large: ``--n`` punches (default 1,000,000, about three and a half years).

The app opens on a week in the data (the frozen clock of :data:`NOW`): the first
worker's week of seven shifts on the small and large ledgers, none on the empty. Each
figure is the median of ``--repeat`` runs. Goal (issue 7): the large ledger no
more than 1.5x slower than the small one on every figure (the figures
against the empty ledger are shown too: it renders no shift). Figures, not a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import import_bench  # noqa: E402

from ledger.store import Ledger  # noqa: E402
from tui.app import OtApp  # noqa: E402
from tui.screens.timecards import TimecardsScreen  # noqa: E402

#: The frozen clock of each ledger: the app opens on the week holding it, chosen so
#: that the small and the large ledger show full weeks of seven shifts each way.
NOW = {
    "empty": datetime(2020, 1, 15, 12, tzinfo=UTC),
    "small": datetime(2020, 1, 15, 12, tzinfo=UTC),
    "large": datetime(2021, 6, 16, 12, tzinfo=UTC),
}
WORKERS = 200
SMALL = WORKERS * 4 * 21


def build(path: Path, punches: int) -> None:
    """A ledger of the bench roster with ``punches`` punches (none: the roster only)."""
    if path.exists():
        return
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    if punches:
        csv_path = path.with_suffix(".csv")
        import_bench.generate(csv_path, punches, WORKERS)
        import_bench.store_path(csv_path, tmp, WORKERS)
        csv_path.unlink()
    else:
        with Ledger.open(tmp) as ledger:
            import_bench.setup_roster(ledger, WORKERS)
    tmp.rename(path)


async def _until(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Let the app run until ``done()`` (each pause waits for the app to be idle; no sleep)."""
    while not done():
        await pilot.pause()


async def measure(path: Path, now: datetime) -> tuple[float, float, float, int]:
    """(start, previous week, next week) in seconds, and the shifts shown."""
    t0 = time.perf_counter()
    app = OtApp(path, "bench", now, poll_seconds=3600, roster_seconds=0, config_file=None, blink=False)
    async with app.run_test(size=(100, 30)) as pilot:

        def shown() -> bool:
            s = app.screen
            return isinstance(s, TimecardsScreen) and s.week is not None and s.day is not None

        await _until(pilot, shown)
        start = time.perf_counter() - t0
        screen = app.screen
        assert isinstance(screen, TimecardsScreen)
        assert screen.week is not None
        first = screen.week.week_start

        async def move(key: str) -> float:
            t = time.perf_counter()
            before = screen.week
            await pilot.press(key)
            await _until(pilot, lambda: screen.week is not before)
            return time.perf_counter() - t

        prev = await move("left_square_bracket")
        assert screen.week is not None
        assert screen.week.week_start < first
        nxt = await move("right_square_bracket")
        assert screen.week is not None
        assert screen.week.week_start == first
        rows = len(screen.week.rows)
    return start, prev, nxt, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1_000_000, help="punches of the large ledger (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per ledger (median; default 5)")
    parser.add_argument("--dir", type=Path, help="folder for the ledgers (kept and reused; default: temporary)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        ledgers = {
            "empty": (folder / "empty.db", 0),
            "small": (folder / f"small-{SMALL}.db", SMALL),
            "large": (folder / f"large-{args.n}.db", args.n),
        }
        for name, (path, n) in ledgers.items():
            t = time.perf_counter()
            existed = path.exists()
            build(path, n)
            if not existed:
                print(f"built {name}: {n:,} punches in {time.perf_counter() - t:.1f} s", flush=True)
        results: dict[str, tuple[float, float, float]] = {}
        for name, (path, _n) in ledgers.items():
            runs = [asyncio.run(measure(path, NOW[name])) for _ in range(args.repeat)]
            med = (
                statistics.median(r[0] for r in runs),
                statistics.median(r[1] for r in runs),
                statistics.median(r[2] for r in runs),
            )
            results[name] = med
            print(
                f"{name:>5}: start {med[0] * 1000:7.1f} ms   previous week {med[1] * 1000:6.1f} ms   "
                f"next week {med[2] * 1000:6.1f} ms   ({runs[0][3]} shifts shown)",
                flush=True,
            )
        for base in ("small", "empty"):
            ratios = [results["large"][i] / results[base][i] for i in range(3)]
            verdict = "ok" if max(ratios) <= 1.5 else "over the 1.5x goal"
            print(
                f"large/{base}: start {ratios[0]:.2f}x   previous week {ratios[1]:.2f}x   "
                f"next week {ratios[2]:.2f}x   ({verdict})"
            )


if __name__ == "__main__":
    main()
