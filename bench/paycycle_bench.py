#!/usr/bin/env python3
"""Benchmark: the pay cycle's cost with no history and after paid periods, side by side.

    .venv/bin/python bench/paycycle_bench.py --workers 2000 --history 5

Builds two ledgers of the same company (``--workers`` hourly workers in
seven states, an admin, a manager per location, a csv sync target):

- ``none``: only the period measured (two workweeks of punches);
- ``history``: the same, after ``--history`` earlier biweekly periods that were
  approved, paid and synced.

On each it measures, in CPU seconds (median of ``--repeat`` runs, each on a
fresh copy of the ledger): approve shifts (``--all-visible``), approve
timecards, the pay run, the Hours Sync Report, the ledger's summary (``ot``),
``ledger verify --full``, and ``ledger verify`` from the checkpoint a full verify
kept before the period's approvals and pay run (the events since). It prints both
figures and their ratio (history / none). Goal (issues 10 and 15): every ratio at
most 1.3.
Figures, not a timed test.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ot.services.approvals import approve_shifts, approve_timecards  # noqa: E402
from ot.services.imports import import_file  # noqa: E402
from ot.services.ledger import verify  # noqa: E402
from ot.services.payrun import run_payroll  # noqa: E402
from ot.services.periods import configure_periods  # noqa: E402
from ot.services.summary import summarize  # noqa: E402
from ot.services.sync import run_sync, sync_report  # noqa: E402

LOCATIONS = [
    ("L1", "Los Angeles", "CA", "America/Los_Angeles"),
    ("L2", "Las Vegas", "NV", "America/Los_Angeles"),
    ("L3", "Denver", "CO", "America/Denver"),
    ("L4", "Anchorage", "AK", "America/Anchorage"),
    ("L5", "Louisville", "KY", "America/New_York"),
    ("L6", "Houston", "TX", "America/Chicago"),
    ("L7", "New York", "NY", "America/New_York"),
]
ANCHOR = date(2026, 7, 19)  # a Sunday: biweekly periods from here


def _write_company(folder: Path, n: int) -> tuple[Path, Path]:
    locs = folder / "locations.csv"
    locs.write_text("location_id,name,state,timezone\n" + "".join(f"{a},{b},{c},{d}\n" for a, b, c, d in LOCATIONS))
    rows = ["worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override"]
    rows.append("A1,Admin One,W2,50.00,L1,,admin,,,")
    for i, (lid, *_rest) in enumerate(LOCATIONS, 1):
        rows.append(f"M{i},Manager {i},W2,35.00,{lid},A1,manager,,,")
    for i in range(1, n + 1):
        lid = LOCATIONS[i % len(LOCATIONS)][0]
        rows.append(
            f"W{i:05d},Worker {i},W2,{18 + i % 9}.{(i * 7) % 100:02d},{lid},M{i % len(LOCATIONS) + 1},worker,,,"
        )
    workers = folder / "workers.csv"
    workers.write_text("\n".join(rows) + "\n")
    return locs, workers


def _write_punches(path: Path, n: int, first: date, days: int, seed: int) -> None:
    rng = random.Random(seed)
    lines = ["worker_id,time,kind,location_id,break_type"]
    for d in range(days):
        day = first + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        stamp = day.isoformat()
        for i in range(1, n + 1):
            start = 7 * 60 + rng.randrange(0, 120)
            length = 8 * 60 + rng.randrange(0, 150)

            def t(m: int, stamp: str = stamp) -> str:
                return f"{stamp}T{m // 60:02d}:{m % 60:02d}"

            lines.append(f"W{i:05d},{t(start)},in,,")
            lines.append(f"W{i:05d},{t(start + 240)},break_start,,")
            lines.append(f"W{i:05d},{t(start + 270)},break_end,,")
            lines.append(f"W{i:05d},{t(start + length)},out,,")
    path.write_text("\n".join(lines) + "\n")


def _build(folder: Path, n: int, history: int) -> Path:
    """A ledger whose measured period starts ``history`` periods after ANCHOR; earlier periods paid."""
    ledger = folder / "ledger.db"
    (folder / "feeds").mkdir()
    (folder / "ledger.sync.toml").write_text(f'[targets.files]\nkind = "csv"\nfolder = "{folder / "feeds"}"\n')
    locs, workers = _write_company(folder, n)
    now0 = datetime(2026, 7, 1, tzinfo=UTC)
    import_file(ledger, "locations", locs, actor="A1", now=now0)
    import_file(ledger, "workers", workers, actor="A1", now=now0)
    configure_periods(
        ledger, frequency="biweekly", anchor=ANCHOR, pay_date_offset=5, effective=None, actor="A1", now=now0
    )
    for k in range(history + 1):
        start = ANCHOR + timedelta(days=14 * k)
        punches = folder / f"punches-{k}.csv"
        _write_punches(punches, n, start, 14, seed=k)
        when = datetime.combine(start + timedelta(days=15), datetime.min.time(), UTC)
        import_file(ledger, "punches", punches, actor="A1", now=when)
        punches.unlink()
        if k < history:
            approve_shifts(ledger, all_visible=True, period_day=start, actor="A1", now=when)
            approve_timecards(ledger, period_day=start, actor="A1", now=when)
            run_payroll(ledger, period_day=start, partial=True, actor="A1", now=when)
            run_sync(ledger, actor="A1", now=when)
    return ledger


def _cpu(step: Callable[[Path], object], source: Path, repeat: int, prepare: list[Callable[[Path], object]]) -> float:
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "ledger.db"
            shutil.copy(source, copy)
            shutil.copy(source.with_name("ledger.sync.toml"), copy.with_name("ledger.sync.toml"))
            kept = source.with_name(source.name + ".checked")  # the last pay run's sealed check
            if kept.exists():
                shutil.copy(kept, copy.with_name(copy.name + ".checked"))
            for p in prepare:
                p(copy)
            t0 = time.process_time()
            step(copy)
            times.append(time.process_time() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--history", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--keep",
        type=Path,
        help="build the two ledgers in this folder and reuse them on the next run (same --workers and --history)",
    )
    parser.add_argument("--steps", nargs="+", help="measure only these steps (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) if args.keep is None else args.keep / f"w{args.workers}-h{args.history}"
        results: dict[str, dict[str, float]] = {}
        for name, history in (("none", 0), ("history", args.history)):
            folder = base / name
            t0 = time.time()
            if (folder / "built").exists():
                ledger = folder / "ledger.db"
            else:
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)
                ledger = _build(folder, args.workers, history)
                (folder / "built").touch()
            day = ANCHOR + timedelta(days=14 * history)
            when = datetime.combine(day + timedelta(days=15), datetime.min.time(), UTC)
            print(f"built {name}: {time.time() - t0:.0f} s wall", file=sys.stderr)

            def shifts(p: Path, day: date = day, when: datetime = when) -> object:
                return approve_shifts(p, all_visible=True, period_day=day, actor="A1", now=when)

            def cards(p: Path, day: date = day, when: datetime = when) -> object:
                return approve_timecards(p, period_day=day, actor="A1", now=when)

            def pay(p: Path, day: date = day, when: datetime = when) -> object:
                return run_payroll(p, period_day=day, partial=True, actor="A1", now=when)

            def report(p: Path, when: datetime = when) -> object:
                return sync_report(p, now=when)

            def verify_full(p: Path) -> object:
                found = verify(p, full=True)
                assert found.ok, found
                return found

            def verify_since(p: Path) -> object:
                found = verify(p)
                assert found.ok, found
                return found

            steps: dict[str, tuple[Callable[[Path], object], list[Callable[[Path], object]]]] = {
                "approve shifts": (shifts, []),
                "approve timecards": (cards, [shifts]),
                "payrun": (pay, [shifts, cards]),
                "sync report": (report, [shifts, cards, pay]),
                # The summary counts from the checkpoint a verify kept, then the events since (as an admin's does).
                "summary": (summarize, [verify_full, shifts, cards, pay]),
                "verify --full": (verify_full, [shifts, cards, pay]),
                "verify (since)": (verify_since, [verify_full, shifts, cards, pay]),
            }
            results[name] = {
                step: _cpu(fn, ledger, args.repeat, prepare)
                for step, (fn, prepare) in steps.items()
                if not args.steps or step in args.steps
            }
    print(f"{args.workers} workers, {args.history} paid periods of history; CPU seconds, median of {args.repeat}")
    print(f"{'step':<20}{'none':>10}{'history':>10}{'ratio':>8}")
    for step in results["none"]:
        a, b = results["none"][step], results["history"][step]
        print(f"{step:<20}{a:>10.2f}{b:>10.2f}{b / a:>8.2f}")


if __name__ == "__main__":
    main()
