#!/usr/bin/env python3
"""Benchmark: a ledger of a million punches moved into PostgreSQL, and what a second machine pays to join.

    .venv/bin/python bench/pg_push_bench.py --n 1000000

Builds (once, cached in ``bench/.cache/``, gitignored) a SQLite ledger of ``--n`` punches with
``bench/import_bench.py``'s roster and generator, then, against a throwaway PostgreSQL server
(``tests/pg_server.py``, fsync on; or ``--url`` of a maintenance database where it may create
databases), each step in a forked process of its own (so that its peak RSS is its own):

1. **take over**: the file opened as the replica of an empty database: every event copied into it
   (``COPY``, streamed in batches of 5,000 rows; the database's triggers check each links to the
   one before), as ``OT_REPLICA=ledger.db ot --ledger URL ledger verify`` does when a site moves;
2. **join**: a new, empty replica of that database (a second admin's first command): every event
   pulled, each checked to chain and hash, appended and folded into the replica;
3. **import 100k** more punches through the database (``ot import punches`` on a replica: the
   append path, pushed in the same transaction), against the same import into a copy of the file.

Prints wall and CPU seconds (the server is another process: wall is what the admin waits), events
per second and peak RSS of each. Figures, not a timed test; the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from import_bench import generate, import_path, split  # noqa: E402

from ledger import remote  # noqa: E402
from ledger.store import Ledger  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
WORKERS = 200


def build(n: int) -> tuple[Path, Path]:
    """(the cached ledger of ``n`` punches, a CSV of 100,000 punches after them)."""
    folder = CACHE / f"pgpush-{n}"
    ledger, more = folder / "ledger.db", folder / "more.csv"
    if (folder / "built").exists():
        return ledger, more
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    t0 = time.time()
    whole, first = folder / "all.csv", folder / "first.csv"
    generate(whole, n + 100_000, WORKERS)
    split(whole, n, first, more)
    whole.unlink()
    import_path(first, ledger, WORKERS)
    first.unlink()
    (folder / "built").touch()
    print(f"built {n} punches in {time.time() - t0:.0f} s wall", file=sys.stderr)
    return ledger, more


def in_child(fn: Callable[[], object]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of ``fn`` run in a forked process."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        code = 0
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            os.write(write, f"{wall} {cpu} {rss}".encode())
        except BaseException as exc:  # said, then the child exits non-zero
            print(f"failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    text = os.read(read, 200).decode()
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if status != 0 or not text:
        sys.exit("a step failed")
    wall, cpu, rss = (float(x) for x in text.split())
    return wall, cpu, rss


def _new_database(admin: str) -> str:
    import psycopg

    name = f"ot_push_{os.getpid()}_{time.monotonic_ns()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="punches in the ledger moved")
    parser.add_argument("--url", help="a PostgreSQL maintenance database URL (default: a throwaway server)")
    args = parser.parse_args()
    source, more = build(args.n)
    events = sqlite3.connect(source).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    if args.url:
        admin, stop = args.url, (lambda: None)
    else:
        from pg_server import start_server

        server = start_server(durable=True)
        if isinstance(server, str):
            sys.exit(f"no PostgreSQL server: {server} (or give --url)")
        admin, stop = server.url(), server.stop
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            url = _new_database(admin)
            moved, second = folder / "moved.db", folder / "second.db"
            shutil.copy(source, moved)
            remote.bind(url, moved)  # before the steps fork: each child opens them as replicas of the database
            remote.bind(url, second)

            def take_over() -> None:
                with Ledger.open(moved):
                    pass

            def join() -> None:
                with Ledger.open(second) as ledger:
                    assert ledger.count() == events, (ledger.count(), events)

            def import_pg() -> None:
                import_path(more, moved, WORKERS)

            file_copy = folder / "file.db"
            shutil.copy(source, file_copy)

            def import_file_ledger() -> None:
                import_path(more, file_copy, WORKERS)

            print(f"ledger: {events:,} events ({args.n:,} punches), {source.stat().st_size / 1e6:.0f} MB file")
            print(f"{'step':<34} {'wall s':>8} {'cpu s':>8} {'events/s':>10} {'peak RSS':>9}")
            for name, fn, count in (
                ("take over (file -> PostgreSQL)", take_over, events),
                ("join (a new replica pulls all)", join, events),
                ("import 100k: SQLite file", import_file_ledger, 100_000),
                ("import 100k: PostgreSQL replica", import_pg, 100_000),
            ):
                wall, cpu, rss = in_child(fn)
                print(f"{name:<34} {wall:>8.1f} {cpu:>8.1f} {count / wall:>10,.0f} {rss:>7.0f} MB", flush=True)
    finally:
        stop()


if __name__ == "__main__":
    main()
