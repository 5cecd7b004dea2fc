#!/usr/bin/env python3
"""Benchmark: the same pay cycle on a SQLite ledger and on a PostgreSQL ledger, side by side.

    .venv/bin/python bench/backend_bench.py --workers 300 --repeat 5

Builds one company (``--workers`` hourly workers, two weeks of punches; the
helpers of ``bench/paycycle_bench.py``) in a SQLite ledger. Each repeat copies it:
the SQLite copy is a file; the PostgreSQL copy is a fresh database the copy is
moved into (its replica is then current, as on an admin's machine between two
commands). On each it measures wall seconds (the server is another process, so
CPU time of ``ot`` alone would hide it): approve shifts, approve timecards, the
pay run, and a read (the sync report). It prints both medians and the ratio
(PostgreSQL / SQLite). The server is a throwaway one (``tests/pg_server.py``:
initdb + pg_ctl, fsync on), or ``--url`` of a database server's maintenance
database (``postgresql://USER@HOST/postgres``) where it may create databases.
Figures, not a timed test; the machine is shared, so read medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
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

from paycycle_bench import ANCHOR, _build  # noqa: E402

from ledger import remote  # noqa: E402
from ledger.store import Ledger  # noqa: E402
from ot.services.approvals import approve_shifts, approve_timecards  # noqa: E402
from ot.services.payrun import run_payroll  # noqa: E402
from ot.services.sync import sync_report  # noqa: E402

Step = Callable[[Path], object]


def _server(url: str | None) -> tuple[str, Callable[[], None]]:
    if url:
        return url, lambda: None
    sys.path.insert(0, str(ROOT / "tests"))
    from pg_server import start_server

    server = start_server(durable=True)
    if isinstance(server, str):
        sys.exit(f"no PostgreSQL server: {server} (or give --url)")
    return server.url(), server.stop


def _new_database(admin: str) -> str:
    import psycopg

    name = f"ot_bench_{os.getpid()}_{time.monotonic_ns()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + "/" + name


def _copy(source: Path, folder: Path, admin: str | None) -> Path:
    copy = folder / "ledger.db"
    shutil.copy(source, copy)
    shutil.copy(source.with_name("ledger.sync.toml"), copy.with_name("ledger.sync.toml"))
    if admin is not None:
        url = _new_database(admin)
        remote.bind(url, copy)
        with Ledger.open(copy):  # moves the SQLite ledger into the empty database; the file is now its replica
            pass
    return copy


def _wall(step: Step, source: Path, repeat: int, prepare: list[Step], admin: str | None) -> float:
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            copy = _copy(source, Path(tmp), admin)
            for p in prepare:
                p(copy)
            t0 = time.perf_counter()
            step(copy)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="a PostgreSQL maintenance database URL (default: a throwaway server)")
    args = parser.parse_args()
    admin, stop = _server(args.url)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "company"
            folder.mkdir()
            t0 = time.time()
            ledger = _build(folder, args.workers, 0)
            events = sqlite3.connect(ledger).execute("SELECT COUNT(*) FROM events").fetchone()[0]
            print(f"built: {events} events, {time.time() - t0:.0f} s wall", file=sys.stderr)
            day = ANCHOR
            when = datetime.combine(day + timedelta(days=15), datetime.min.time(), UTC)

            def shifts(p: Path) -> object:
                return approve_shifts(p, all_visible=True, period_day=day, actor="A1", now=when)

            def cards(p: Path) -> object:
                return approve_timecards(p, period_day=day, actor="A1", now=when)

            def pay(p: Path) -> object:
                return run_payroll(p, period_day=day, partial=True, actor="A1", now=when)

            def report(p: Path) -> object:
                return sync_report(p, now=when)

            steps: list[tuple[str, Step, list[Step]]] = [
                ("approve shifts", shifts, []),
                ("approve timecards", cards, [shifts]),
                ("payrun", pay, [shifts, cards]),
                ("sync report (read)", report, [shifts, cards, pay]),
            ]
            results = {
                name: (
                    _wall(step, ledger, args.repeat, prepare, None),
                    _wall(step, ledger, args.repeat, prepare, admin),
                )
                for name, step, prepare in steps
            }
    finally:
        stop()
    print(f"{args.workers} workers, {events} events; wall seconds, median of {args.repeat}")
    print(f"{'step':<22}{'sqlite':>10}{'postgresql':>12}{'ratio':>8}")
    for name, (a, b) in results.items():
        print(f"{name:<22}{a:>10.3f}{b:>12.3f}{b / a:>8.2f}")


if __name__ == "__main__":
    main()
