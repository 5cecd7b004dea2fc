#!/usr/bin/env python3
"""Benchmark the pay engine, and the California daily classification against zen-engine.

    .venv/bin/python bench/engine_bench.py [--workers 10000] [--seed 7]

1. Prices ``--workers`` worker-weeks (5 shifts each: about 50,000 shifts)
   across CA, TX, NY, AK, CO, NV, KY, MN and KS with the shipped
   rules.example.ot, in one call of :func:`rules.engine.price`, and prints
   worker-weeks/s, shifts/s and peak memory (the process's peak RSS, and
   tracemalloc's peak over a 1,000-worker sample, run apart so that tracing
   does not slow the timed run).
2. Takes the California worker-days of that same week (their worked minutes,
   as the engine found them) and classes each one REG/OT/DT under California's
   daily rule (Lab. Code 510: over 8 h OT, over 12 h DT) twice: with the
   engine's ``classify.daily_split`` and with a zen-engine decision table
   (``evaluate_batch``, its fastest path, and ``ZenDecision.evaluate`` one by
   one), checks that both agree on every day, and prints both throughputs and
   the ratio.

Figures only; nothing here is a test (ARCHITECTURE.md: bench/).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ot.core.domain import BreakSegment, RateChange, Shift, Worker  # noqa: E402
from ot.core.timez import STATE_ZONES, localize  # noqa: E402
from rules.compiler import compile_file  # noqa: E402
from rules.engine import PayResult, price  # noqa: E402
from rules.engine.classify import compile_daily, daily_split  # noqa: E402
from rules.files import default_rules_path  # noqa: E402
from rules.model import RuleBook  # noqa: E402

STATES = ["CA"] * 6 + ["TX"] * 4 + ["NY"] * 2 + ["AK", "CO", "NV", "KY", "MN", "KS"]
WEEK = date(2026, 11, 1)  # a Sunday (and the night clocks fall back)


def make_roster(n: int, seed: int) -> tuple[list[Shift], dict[str, Worker]]:
    """``n`` workers, one workweek each, five shifts each (some long, some multi-rate, most with a meal)."""
    rnd = random.Random(seed)
    shifts: list[Shift] = []
    workers: dict[str, Worker] = {}
    for w in range(n):
        wid = f"W{w:05d}"
        state = rnd.choice(STATES)
        tz = STATE_ZONES[state]
        rate = Decimal(rnd.randrange(1500, 4000)) / 100
        kind = "1099" if rnd.random() < 0.03 else "W2"
        workers[wid] = Worker(wid, wid, kind, (RateChange(date(2020, 1, 1), rate),), "", None, "worker")
        days = sorted(rnd.sample(range(7), 5))
        for k, d in enumerate(days):
            starts = [6 * 60, 7 * 60, 8 * 60, 9 * 60 + 30, 14 * 60, 22 * 60] if d < 6 else [6 * 60, 7 * 60, 8 * 60]
            start_min = rnd.choice(starts)
            length = rnd.choice([240, 360, 480, 480, 510, 540, 600, 660, 720, 780])
            start = localize(
                datetime.combine(WEEK + timedelta(days=d), datetime.min.time()) + timedelta(minutes=start_min), tz
            )
            end = start + timedelta(minutes=length)
            breaks: tuple[BreakSegment, ...] = ()
            if length > 300 and rnd.random() < 0.7:
                b0 = start + timedelta(minutes=rnd.choice([180, 240, 270, 330]))
                breaks = (BreakSegment(b0, b0 + timedelta(minutes=30)),)
            own = rate + Decimal(2) if rnd.random() < 0.1 else None
            shifts.append(Shift(f"{wid}-{k}", wid, start, end, tz, state, rate=own, breaks=breaks))
    return shifts, workers


def ca_days(result: PayResult, shifts: list[Shift]) -> list[int]:
    """Worked minutes of every California worker-day, as the engine found them."""
    ca_workers = {s.worker_id for s in shifts if s.state == "CA"}
    out: list[int] = []
    for wr in result.workers:
        if wr.worker_id not in ca_workers:
            continue
        for week in wr.weeks:
            per_day: dict[date, int] = {}
            for p in week.pieces:
                per_day[p.workday] = per_day.get(p.workday, 0) + p.minutes
            out.extend(per_day.values())
    return out


def zen_table() -> dict[str, object]:
    """California's daily rule as a zen-engine JDM decision table (first hit)."""
    return {
        "nodes": [
            {
                "id": "in",
                "type": "inputNode",
                "name": "Request",
                "position": {"x": 0, "y": 0},
                "content": {"schema": ""},
            },
            {
                "id": "dt",
                "type": "decisionTableNode",
                "name": "CA daily (Lab. Code 510)",
                "position": {"x": 200, "y": 0},
                "content": {
                    "hitPolicy": "first",
                    "inputs": [{"id": "h", "name": "Hours", "field": "hours"}],
                    "outputs": [
                        {"id": "r", "name": "REG", "field": "reg"},
                        {"id": "o", "name": "OT", "field": "ot"},
                        {"id": "d", "name": "DT", "field": "dt"},
                    ],
                    "rules": [
                        {"_id": "1", "h": "<= 8", "r": "hours", "o": "0", "d": "0"},
                        {"_id": "2", "h": "<= 12", "r": "8", "o": "hours - 8", "d": "0"},
                        {"_id": "3", "h": "", "r": "8", "o": "4", "d": "hours - 12"},
                    ],
                },
            },
            {
                "id": "out",
                "type": "outputNode",
                "name": "Response",
                "position": {"x": 400, "y": 0},
                "content": {"schema": ""},
            },
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "dt", "type": "edge"},
            {"id": "e2", "sourceId": "dt", "targetId": "out", "type": "edge"},
        ],
    }


def bench_engine(shifts: list[Shift], workers: dict[str, Worker], book: RuleBook) -> PayResult:
    """Price everything once (timed; peak RSS of the process), then a sample under tracemalloc.

    The garbage of compiling the rules file and making the roster is collected first, so that
    the timed run does not pay for it (it depends on the size of the rules file, not the engine).
    """
    gc.collect()
    t0 = time.perf_counter()
    result = price(shifts, workers, book)
    elapsed = time.perf_counter() - t0
    weeks = sum(len(w.weeks) for w in result.workers)
    lines = sum(len(wk.lines) for w in result.workers for wk in w.weeks)
    gross = sum((wk.gross for w in result.workers for wk in w.weeks), Decimal(0))
    print(f"engine: {len(shifts):,} shifts, {weeks:,} worker-weeks, {lines:,} pay lines, gross ${gross:,}")
    days = sum(len({p.workday for p in wk.pieces}) for w in result.workers for wk in w.weeks)
    print(f"engine: {elapsed:.2f} s  ->  {weeks / elapsed:,.0f} worker-weeks/s, {len(shifts) / elapsed:,.0f} shifts/s")
    print(
        f"engine: {days / elapsed:,.0f} worker-days/s end to end (every rule of every state, regular rate,"
        " premiums, lines and explanation)"
    )
    print(f"engine: process peak RSS after pricing {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    sample = min(len(workers), 1000)
    ids = set(list(workers)[:sample])
    sub_shifts = [s for s in shifts if s.worker_id in ids]
    sub_workers = {k: v for k, v in workers.items() if k in ids}
    tracemalloc.start()
    price(sub_shifts, sub_workers, book)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"engine: peak memory allocated while pricing {sample:,} worker-weeks (tracemalloc): {peak / 1e6:,.1f} MB"
        f" (~{peak / 1e6 * len(workers) / sample:,.0f} MB scaled to {len(workers):,})"
    )
    return result


def bench_daily(days: list[int], book: RuleBook) -> None:
    """The shared work: California daily classification of the same worker-days."""
    import zen

    table = compile_daily(book.effective("CA", WEEK).thresholds)
    t0 = time.perf_counter()
    ours = [daily_split(m, table) for m in days]
    ours_s = time.perf_counter() - t0

    content = json.dumps(zen_table())
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"ca": json.loads(content)}}})
    requests: list[Any] = [{"key": "ca", "context": {"hours": m / 60}} for m in days]
    engine.evaluate_batch(requests[:100])  # warm up
    t0 = time.perf_counter()
    batch = engine.evaluate_batch(requests)
    zen_batch_s = time.perf_counter() - t0

    decision = zen.ZenEngine().create_decision(content)
    sample = days[:2000]
    t0 = time.perf_counter()
    for m in sample:
        decision.evaluate({"hours": m / 60})
    zen_single_s = (time.perf_counter() - t0) * len(days) / len(sample)

    disagree = 0
    for mine, theirs in zip(ours, batch, strict=True):
        r = theirs["data"]["result"]
        if (round(r["reg"] * 60), round(r["ot"] * 60), round(r["dt"] * 60)) != (mine["REG"], mine["OT"], mine["DT"]):
            disagree += 1
    n = len(days)
    print(f"CA daily classification of {n:,} worker-days (same input; both agree on {n - disagree:,} of {n:,}):")
    print(f"  ot (rules.engine.classify.daily_split): {n / ours_s:>12,.0f} worker-days/s")
    print(f"  zen-engine evaluate_batch:             {n / zen_batch_s:>12,.0f} worker-days/s")
    print(f"  zen-engine evaluate, one by one:       {n / zen_single_s:>12,.0f} worker-days/s (from {len(sample):,})")
    print(f"  ratio ot / zen batch: {zen_batch_s / ours_s:,.1f}x; ot / zen one by one: {zen_single_s / ours_s:,.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    book = compile_file(default_rules_path())
    shifts, workers = make_roster(args.workers, args.seed)
    result = bench_engine(shifts, workers, book)
    bench_daily(ca_days(result, shifts), book)
    full = sum(len(wk.pieces) for w in result.workers for wk in w.weeks)
    print(f"(engine explanation pieces kept: {full:,})")


if __name__ == "__main__":
    main()
