#!/usr/bin/env python3
"""Benchmark: import N punches into a ledger, against a bare CSV -> sqlite3.executemany baseline.

    .venv/bin/python bench/import_bench.py --n 1000000

Generates a deterministic punches CSV (canonical layout, ~200 workers, four
punches a day each), then, in this one process:

1. baseline: read the CSV with :mod:`csv` and ``executemany`` the rows into a
   plain table of a new SQLite file (one transaction);
2. store: the same CSV parsed into ``punch.recorded`` NewEvents by a minimal
   reader, streamed into ``Writer.extend`` in one ``BEGIN IMMEDIATE``
   transaction (validation, canonical JSON, hash chain, keys, projections);
3. import: ``ot import punches`` as users run it (``ot.services.imports``:
   the whole file validated first, then streamed into the ledger), when that
   module exists.

Prints punches/s of each, the ratios to the baseline, and the peak resident
memory (``ru_maxrss``) after each phase. ``--growth 100000`` also imports 100k
more punches into an empty ledger and into the N-punch one (appends must not
grow with the ledger). ``--compare DIR`` runs all of it alternately on the code
of another tree (``git archive REV | tar -x -C DIR``) and of this one, each run
its own process, and prints medians side by side. Goals (issue 15): ratio <= 5
now (3 the target), peak < 150 MB at 1M punches, growth ~1.0x. Figures, not a
timed test; the machine is shared: read medians, and cpu seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--code" in sys.argv:  # a child run measuring another tree's code (see --compare)
    ROOT = Path(sys.argv[sys.argv.index("--code") + 1]).resolve()
sys.path.insert(0, str(ROOT))

from ledger.events import NewEvent, punch_key  # noqa: E402
from ledger.store import Ledger  # noqa: E402
from ot.core.timez import iso_utc, localize  # noqa: E402

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
LOCATIONS = [
    ("L1", "Los Angeles", "CA", "America/Los_Angeles"),
    ("L2", "Las Vegas", "NV", "America/Los_Angeles"),
    ("L3", "Denver", "CO", "America/Denver"),
    ("L4", "Anchorage", "AK", "America/Anchorage"),
    ("L5", "Louisville", "KY", "America/New_York"),
    ("L6", "Houston", "TX", "America/Chicago"),
    ("L7", "New York", "NY", "America/New_York"),
]
HEADER = ["worker_id", "time", "kind", "location_id", "break_type"]


def maxrss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024


def workers(count: int) -> list[tuple[str, str]]:
    """(worker_id, location_id) of each worker."""
    return [(f"W{i:04d}", LOCATIONS[i % len(LOCATIONS)][0]) for i in range(1, count + 1)]


def generate(path: Path, n: int, n_workers: int, seed: int = 7) -> None:
    """A punches CSV of exactly ``n`` rows: each worker works every day from 2020-01-01."""
    rng = random.Random(seed)
    staff = workers(n_workers)
    day0 = date(2020, 1, 1)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(HEADER)
        d = 0
        while written < n:
            day = (day0 + timedelta(days=d)).isoformat()
            for wid, _lid in staff:
                start = 6 * 60 + rng.randrange(0, 180)
                lunch = start + 240 + rng.randrange(0, 60)
                end = lunch + 30 + 200 + rng.randrange(0, 120)
                for minute, kind in ((start, "in"), (lunch, "break_start"), (lunch + 30, "break_end"), (end, "out")):
                    if written == n:
                        break
                    out.writerow([wid, f"{day}T{minute // 60:02d}:{minute % 60:02d}", kind, "", ""])
                    written += 1
            d += 1


class Clock:
    """Wall and CPU seconds of a phase (CPU time is fair when other processes share the machine)."""

    def __init__(self) -> None:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        self.wall = self.cpu = 0.0

    def stop(self) -> Clock:
        self.wall, self.cpu = time.perf_counter() - self.wall0, time.process_time() - self.cpu0
        return self


def baseline(csv_path: Path, db_path: Path) -> Clock:
    """Time to read the CSV with csv and executemany it into a plain table."""
    clock = Clock()
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE punches (worker_id TEXT, time TEXT, kind TEXT, location_id TEXT, break_type TEXT)")
    with csv_path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        conn.executemany("INSERT INTO punches VALUES (?, ?, ?, ?, ?)", reader)
    conn.commit()
    conn.close()
    return clock.stop()


def setup_roster(ledger: Ledger, n_workers: int) -> None:
    events = [
        NewEvent("location.added", {"location_id": lid, "name": name, "state": st, "timezone": tz}, key=f"loc:{lid}")
        for lid, name, st, tz in LOCATIONS
    ]
    events += [
        NewEvent(
            "worker.added",
            {
                "worker_id": wid,
                "name": f"Worker {wid}",
                "type": "W2",
                "pay_rate": "20.00",
                "rate_effective": None,
                "location_id": lid,
                "manager_id": None,
                "role": "worker",
            },
            key=f"worker.added:{wid}",
            worker_id=wid,
        )
        for wid, lid in workers(n_workers)
    ]
    ledger.append(events, actor="bench", now=NOW)


def parse(csv_path: Path, zones: dict[str, str]) -> Iterator[NewEvent]:
    """A minimal reader of the canonical punches layout (no error reporting)."""
    with csv_path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for wid, text, kind, lid, btype in reader:
            at = localize(datetime.fromisoformat(text), zones[lid or wid])
            yield NewEvent(
                "punch.recorded",
                {
                    "worker_id": wid,
                    "at": iso_utc(at),
                    "kind": kind,
                    "location_id": lid or None,
                    "break_type": (btype or "DEFAULT_UNPAID") if kind == "break_start" else None,
                    "rate": None,
                    "source": "import:punches.csv",
                },
                key=punch_key(wid, at, kind),
                worker_id=wid,
            )


def store_path(csv_path: Path, db_path: Path, n_workers: int) -> tuple[Clock, int]:
    with Ledger.open(db_path) as ledger:
        setup_roster(ledger, n_workers)
        tz = {lid: zone for lid, _n, _s, zone in LOCATIONS}
        zones = {wid: tz[lid] for wid, lid in workers(n_workers)} | tz
        clock = Clock()
        with ledger.write(actor="bench", now=NOW) as tx:
            added = tx.extend(parse(csv_path, zones))
        return clock.stop(), added


def import_path(csv_path: Path, db_path: Path, n_workers: int, *, whole: bool = False) -> tuple[Clock, int] | None:
    try:
        from ledger.imports import FileText
        from ot.services.imports import import_text
    except ImportError:
        return None
    with Ledger.open(db_path) as ledger:
        if not ledger.count():
            setup_roster(ledger, n_workers)
        clock = Clock()
        # As `ot import punches` reads it: streamed, line by line (never the whole file in memory).
        report = import_text(
            ledger, "punches", FileText(csv_path, str(csv_path)), str(csv_path), actor="bench", now=NOW
        )
        clock.stop()
        added = sum(report.added.values()) if hasattr(report, "added") else -1
        return clock, added


def split(csv_path: Path, n: int, first: Path, rest: Path) -> None:
    """The first ``n`` rows of a punches CSV into ``first``, the rows after them into ``rest`` (later days)."""
    with csv_path.open(encoding="utf-8") as f, first.open("w") as a, rest.open("w") as b:
        header = f.readline()
        a.write(header)
        b.write(header)
        for i, row in enumerate(f):
            (a if i < n else b).write(row)


def median_clock(clocks: list[Clock]) -> Clock:
    out = Clock()
    out.wall = statistics.median(c.wall for c in clocks)
    out.cpu = statistics.median(c.cpu for c in clocks)
    return out


def measure(args: argparse.Namespace, work: Path) -> dict[str, float]:
    """One process's figures (seconds are medians of ``--repeat`` runs; peak memory is this process's)."""
    csv_all, csv_path, csv_more = work / "all.csv", work / "punches.csv", work / "more.csv"
    t0 = time.perf_counter()
    generate(csv_all, args.n + args.growth, args.workers)
    split(csv_all, args.n, csv_path, csv_more)
    csv_all.unlink()
    size = csv_path.stat().st_size / 1e6
    say = print if not args.json else (lambda *_a, **_k: None)
    say(f"generated {args.n:,} punches for {args.workers} workers ({size:.1f} MB) in {time.perf_counter() - t0:.1f}s")
    say(f"peak memory after generating: {maxrss_mb():.0f} MB")
    out: dict[str, float] = {}

    def fresh(name: str) -> Path:
        for f in work.glob(name + "*"):
            f.unlink()
        return work / name

    base = median_clock([baseline(csv_path, fresh("baseline.db")) for _ in range(args.repeat)])
    say(line("baseline  csv + executemany", base, args.n, None))
    out |= {"base_wall": base.wall, "base_cpu": base.cpu}

    if not args.import_only:
        store, added = store_path(csv_path, fresh("store.db"), args.workers)
        assert added == args.n, f"store added {added}, expected {args.n}"
        say(line("store     parse + append", store, args.n, base))
        if args.verify:
            with Ledger.open(work / "store.db") as ledger:
                clock = Clock()
                report = ledger.verify()
                say(line(f"verify    ok={report.ok}", clock.stop(), args.n, None))
        fresh("store.db")

    if args.skip_import:
        return out
    runs: list[Clock] = []
    for _ in range(args.repeat):
        result = import_path(csv_path, fresh("import.db"), args.workers)
        if result is None:
            say("import    (ot.services.imports not available)")
            return out
        spent, count = result
        assert count == args.n, f"import added {count}, expected {args.n}"
        runs.append(spent)
    spent = median_clock(runs)
    say(line("import    ot import punches", spent, args.n, base))
    out |= {"import_wall": spent.wall, "import_cpu": spent.cpu, "peak_mb": maxrss_mb()}
    if args.growth:
        empty = [import_path(csv_more, fresh("empty.db"), args.workers) for _ in range(args.repeat)]
        grown: list[tuple[Clock, int] | None] = []
        for _ in range(args.repeat):
            target = fresh("grown.db")
            shutil.copyfile(work / "import.db", target)
            grown.append(import_path(csv_more, target, args.workers))
        fresh("grown.db")
        e = median_clock([r[0] for r in empty if r is not None])
        g = median_clock([r[0] for r in grown if r is not None])
        say(line(f"import    {args.growth:,} more, empty ledger", e, args.growth, None))
        say(line(f"import    {args.growth:,} more, {args.n:,} ledger", g, args.growth, None))
        say(
            f"growth    {args.growth:,} more on a {args.n:,}-punch ledger / on an empty one: "
            f"wall {g.wall / e.wall:.2f}x cpu {g.cpu / e.cpu:.2f}x"
        )
        out |= {"empty_wall": e.wall, "empty_cpu": e.cpu, "grown_wall": g.wall, "grown_cpu": g.cpu}
    out["ledger_mb"] = (work / "import.db").stat().st_size / 1e6
    fresh("import.db")
    say(
        f"ledger file: {out['ledger_mb']:.0f} MB; goals: ratio <= 5.0 now (3.0 the target), peak < 150 MB, growth ~1.0x"
    )
    return out


def compare(args: argparse.Namespace) -> None:
    """Alternate child processes of this script on the code of another tree (``--compare DIR``, e.g.
    ``git archive REV | tar -x -C DIR``) and of this one; print the medians of each, side by side."""
    trees = {"before": args.compare.resolve(), "after": ROOT}
    results: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    child = [sys.executable, str(Path(__file__).resolve()), "--json", "--import-only", "--repeat", "1"]
    child += ["--n", str(args.n), "--workers", str(args.workers), "--growth", str(args.growth)]
    if args.dir:
        child += ["--dir", str(args.dir)]
    for r in range(args.rounds):
        for name, tree in trees.items():
            done = subprocess.run([*child, "--code", str(tree)], capture_output=True, text=True, check=True)
            results[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"round {r + 1} {name}: {results[name][-1]}", file=sys.stderr)
    print(
        f"{args.n:,} punches, {args.workers} workers; medians of {args.rounds} runs each, alternating "
        "(a shared, noisy machine: cpu seconds are the fairer figure)"
    )
    for name, runs in results.items():
        m = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        text = (
            f"{name:<7} {trees[name]}\n  import wall {m['import_wall']:6.2f}s cpu {m['import_cpu']:6.2f}s"
            f"  ratio to baseline wall {m['import_wall'] / m['base_wall']:5.2f} cpu "
            f"{m['import_cpu'] / m['base_cpu']:5.2f}  peak {m['peak_mb']:.0f} MB"
        )
        if "grown_wall" in m:
            text += (
                f"\n  {args.growth:,} more: empty ledger cpu {m['empty_cpu']:.2f}s, {args.n:,} ledger "
                f"cpu {m['grown_cpu']:.2f}s: growth wall {m['grown_wall'] / m['empty_wall']:.2f}x "
                f"cpu {m['grown_cpu'] / m['empty_cpu']:.2f}x"
            )
        print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1_000_000, help="punches (default 1,000,000)")
    parser.add_argument("--workers", type=int, default=200, help="workers (default 200)")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one, removed)")
    parser.add_argument("--verify", action="store_true", help="also time `verify` on the imported ledger")
    parser.add_argument("--skip-import", action="store_true", help="measure only the baseline and the store")
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="only the baseline and the import, so that the peak memory printed is theirs (run it as its own process)",
    )
    parser.add_argument("--whole", action="store_true", help="(kept for old scripts; the import always streams)")
    parser.add_argument(
        "--growth",
        type=int,
        default=0,
        metavar="K",
        help="also import K more punches (later days) into an empty ledger and into the N-punch one; print the ratio",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each phase in this process; medians printed")
    parser.add_argument(
        "--compare", type=Path, metavar="DIR", help="the same figures for the code in DIR, side by side"
    )
    parser.add_argument("--rounds", type=int, default=3, help="with --compare: child runs of each tree (medians)")
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        compare(args)
        return
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        figures = measure(args, Path(tmp))
    if args.json:
        print(json.dumps(figures))


def line(what: str, clock: Clock, n: int, base: Clock | None) -> str:
    text = f"{what:<30} wall {clock.wall:7.2f}s  cpu {clock.cpu:7.2f}s  {n / clock.wall:>9,.0f} punches/s"
    if base is not None:
        text += f"  ratio wall {clock.wall / base.wall:5.2f} cpu {clock.cpu / base.cpu:5.2f}"
    return text + f"  peak {maxrss_mb():.0f} MB"


if __name__ == "__main__":
    main()
