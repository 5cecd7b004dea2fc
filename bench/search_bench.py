#!/usr/bin/env python3
"""Benchmark: worker search on 10,000 workers, the FTS5 index against a plain LIKE scan.

    .venv/bin/python bench/search_bench.py                  # builds the ledger in a temporary folder
    .venv/bin/python bench/search_bench.py --dir /tmp/sb    # builds once, reuses it on later runs

The ledger: ``--workers`` workers (default 10,000) with generated names, in 20
locations under 200 managers; one in ten has a PIN override. The queries: ``--n``
(default 400) searches as typed, the first 1, 2, 3 and 4 characters of a random
worker's first name, last name or id (the same queries for both).

For each query length it prints the median and the 95th percentile (ms) of

- fts: ``ot.services.search.matching_ids`` (FTS5 prefix MATCH on ``workers_fts``),
- like: ``ot.services.search.like_ids`` (the same words, ``LIKE '%word%'`` over every column),

and the ratio like / fts (above 1: the index is faster), then the same with the
PIN-override filter. Both return every matching id, sorted.

Then what the TUI's worker list waits for as you type, a page of 100 rows with the total:

- page: ``ot.services.browse.list_workers`` (opens the ledger, searches, reads the page's rows),
- before: the list as it was read before the index (the whole roster with its rates, then
  words matched anywhere in the id and name), kept here as the baseline.

Figures, not a timed test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger.events import NewEvent  # noqa: E402
from ledger.store import Ledger  # noqa: E402
from ot.services.browse import WorkerFilter, WorkerPage, _row, list_workers  # noqa: E402
from ot.services.search import like_ids, matching_ids  # noqa: E402
from ot.services.uow import unit_of_work  # noqa: E402

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
FIRST = [
    "Alice",
    "Bob",
    "Carmen",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "Kira",
    "Luis",
    "Maya",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Ana",
    "Ben",
    "Chloe",
    "Diego",
    "Eva",
    "Felix",
    "Gia",
    "Hugo",
    "Ivy",
    "Jon",
    "Kai",
    "Lena",
    "Marco",
    "Nina",
]
LAST = [
    "Wong",
    "Alvarez",
    "Brown",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Huang",
    "Ibrahim",
    "Jones",
    "Kim",
    "Lopez",
    "Martin",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quispe",
    "Rossi",
    "Smith",
    "Tanaka",
    "Usman",
    "Vargas",
    "Walker",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Adams",
    "Baker",
    "Cruz",
    "Singh",
    "Moreno",
    "Novak",
    "Park",
]


def build(path: Path, workers: int) -> None:
    """A ledger of ``workers`` workers (10% with a PIN override), appended in one transaction."""
    rng = random.Random(14)
    events: list[NewEvent] = []
    for i in range(20):
        events.append(
            NewEvent(
                "location.added",
                {"location_id": f"L{i:02}", "name": f"Site {i}", "state": "CA", "timezone": "America/Los_Angeles"},
            )
        )
    managers = [f"M{i:03}" for i in range(200)]
    for i, mid in enumerate(managers):
        events.append(_worker(mid, f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"L{i % 20:02}", None, "manager"))
    for i in range(workers - len(managers)):
        wid = f"W{i:05}"
        events.append(
            _worker(wid, f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"L{i % 20:02}", rng.choice(managers), "worker")
        )
        if i % 10 == 0:
            payload = {
                "worker_id": wid,
                "pin_hash": f"{i:064x}",
                "salt": f"{i:032x}",
                "bucket": i % 1024,
                "override": True,
            }
            events.append(NewEvent("worker.pin_set", payload, worker_id=wid))
    with Ledger.open(path, create=True, now=NOW) as led:
        led.append(events, actor="bench", now=NOW)


def _worker(wid: str, name: str, loc: str, manager: str | None, role: str) -> NewEvent:
    payload = {
        "worker_id": wid,
        "name": name,
        "type": "W2",
        "pay_rate": "20.00",
        "rate_effective": None,
        "location_id": loc,
        "manager_id": manager,
        "role": role,
    }
    return NewEvent("worker.added", payload, worker_id=wid)


def queries(path: Path, n: int) -> dict[int, list[str]]:
    """``n`` typed searches: 1 to 4 first characters of a random worker's first name, last name or id."""
    rng = random.Random(7)
    with Ledger.open(path, create=False) as led:
        rows = led.connection.execute("SELECT worker_id, name FROM workers").fetchall()
    out: dict[int, list[str]] = {1: [], 2: [], 3: [], 4: []}
    for k in range(n):
        wid, name = rng.choice(rows)
        word = rng.choice([*name.split(), wid])
        length = k % 4 + 1
        out[length].append(word[:length])
    return out


def list_before(path: Path, text: str, limit: int = 100) -> WorkerPage:
    """The worker list's page as it was read before the index: every worker with every rate."""
    words = text.casefold().split()
    with unit_of_work(path) as uow:
        roster = uow.roster
        locations = uow.locations
        rows = [_row(w, locations) for w in roster.values()]
        rows = [r for r in rows if all(word in f"{r.worker_id} {r.name}".casefold() for word in words)]
    rows.sort(key=lambda r: r.worker_id)
    return WorkerPage(tuple(rows[:limit]), len(rows), 0, limit)


def timed(fn: Callable[[], list[str]]) -> tuple[float, int]:
    start = time.perf_counter()
    found = fn()
    return (time.perf_counter() - start) * 1000, len(found)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=10_000)
    parser.add_argument("--n", type=int, default=400, help="searches (spread over 1 to 4 characters)")
    parser.add_argument("--dir", type=Path, help="keep the ledger here and reuse it")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="ot-search-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"search-{args.workers}.db"
    if not path.exists():
        start = time.perf_counter()
        build(path, args.workers)
        print(f"built {path} ({args.workers} workers) in {time.perf_counter() - start:.1f} s")
    typed = queries(path, args.n)
    with Ledger.open(path, create=False) as led:
        conn = led.connection
        count = conn.execute("SELECT COUNT(*) FROM workers").fetchone()[0]
        print(f"{count} workers; {args.n} searches; times in ms (median / p95); ratio = like / fts")
        print(
            f"{'filter':<14}{'chars':>5}{'hits':>7}{'fts med':>9}{'fts p95':>9}{'like med':>10}{'like p95':>10}"
            f"{'ratio med':>11}{'ratio p95':>11}"
        )
        for override in (False, True):
            for length, texts in typed.items():
                for text in texts[:3]:  # warm the page cache and check both agree on whole words
                    matching_ids(conn, text, pin_override=override)
                    like_ids(conn, text, pin_override=override)
                fts = [timed(lambda t=t, o=override: matching_ids(conn, t, pin_override=o)) for t in texts]
                like = [timed(lambda t=t, o=override: like_ids(conn, t, pin_override=o)) for t in texts]
                f_ms = [t for t, _ in fts]
                l_ms = [t for t, _ in like]
                hits = statistics.median(h for _, h in fts)
                fm, fp, lm, lp = statistics.median(f_ms), p95(f_ms), statistics.median(l_ms), p95(l_ms)
                name = "pin override" if override else "none"
                print(
                    f"{name:<14}{length:>5}{hits:>7.0f}{fm:>9.2f}{fp:>9.2f}{lm:>10.2f}{lp:>10.2f}"
                    f"{lm / fm:>10.1f}x{lp / fp:>10.1f}x"
                )
    print()
    print("the TUI's worker list: a page of 100 and the total (ms); ratio = before / page")
    print(f"{'chars':>5}{'page med':>10}{'page p95':>10}{'before med':>12}{'before p95':>12}{'ratio med':>11}")
    for length, texts in typed.items():
        some = texts[:25]
        page = [timed(lambda t=t: list(list_workers(path, WorkerFilter(text=t), 0, 100).rows)) for t in some]
        before = [timed(lambda t=t: list(list_before(path, t).rows)) for t in some]
        pm, pp = statistics.median(x for x, _ in page), p95([x for x, _ in page])
        bm, bp = statistics.median(x for x, _ in before), p95([x for x, _ in before])
        print(f"{length:>5}{pm:>10.2f}{pp:>10.2f}{bm:>12.2f}{bp:>12.2f}{bm / pm:>10.1f}x")


if __name__ == "__main__":
    main()
