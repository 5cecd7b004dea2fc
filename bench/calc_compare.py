#!/usr/bin/env python3
"""Price the same random workweeks through ``ot calc`` and compare two versions of ot.

    .venv/bin/python bench/calc_compare.py run [--root TREE] [--weeks 10000] [--seed 12] -o OUT.json
    .venv/bin/python bench/calc_compare.py diff BEFORE.json AFTER.json

``run`` makes ``--weeks`` random calc inputs (one worker, one workweek of 1 to
7 shifts each: punches with and without seconds, hours-only entries to the
hundredth, breaks, overnight shifts, a second rate, paid leave, a bonus now and
then, 3% 1099 workers, 2% rates under the state minimum wage) across the
states the shipped rules name, prices each with ``ot.services.calc.calculate``
of the tree ``--root`` (default: this one) and its own ``rules.example.ot``,
and writes every week's gross pay (or the error) to OUT.json. Run it once with
the tree before a change and once after; ``diff`` then says how many gross
figures changed and by how much at most, and shows the largest changes.

Figures only; nothing here is a test (ARCHITECTURE.md: bench/).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

STATES = ["CA"] * 6 + ["TX"] * 4 + ["NY"] * 2 + ["AK", "CO", "NV", "KY", "MN", "KS"]
#: Sundays from 2025-07-06 (every shipped state has rules in force before and after the change).
FIRST_WEEK = date(2025, 7, 6)
LOW_RATES = {"CA": "12.00", "AK": "10.00", "CO": "11.00", "NV": "9.00", "MN": "8.00"}


def _stamp(moment: datetime, seconds: bool) -> str:
    return moment.isoformat(timespec="seconds" if seconds else "minutes")


def make_input(rnd: random.Random) -> dict[str, Any]:
    """One worker's random workweek as a calc input."""
    state = rnd.choice(STATES)
    rate = Decimal(rnd.randrange(1500, 4000)) / 100
    if rnd.random() < 0.02:
        rate = Decimal(LOW_RATES.get(state, "6.00"))
    if rnd.random() < 0.25:
        rate += Decimal(rnd.choice(["0.25", "0.50", "0.33", "0.05"]))
    kind = "1099" if rnd.random() < 0.03 else "W2"
    week = FIRST_WEEK + timedelta(weeks=rnd.randrange(0, 70))
    worker = {"rate": str(rate), "state": state, "type": kind}
    shifts: list[dict[str, Any]] = []
    days = sorted(rnd.sample(range(7), rnd.randint(1, 7)))
    last_end: datetime | None = None
    for d in days:
        day = week + timedelta(days=d)
        if rnd.random() < 0.12:
            hours = Decimal(rnd.randrange(25, 1200)) / 100
            shift: dict[str, Any] = {"worker": "w", "date": day.isoformat(), "hours": str(hours)}
            if rnd.random() < 0.2:
                shift["pay_type"] = rnd.choice(["PTO", "SICK", "HOLIDAY"])
            shifts.append(shift)
            continue
        seconds = rnd.random() < 0.4
        start_min = rnd.choice([5 * 60, 6 * 60, 7 * 60, 8 * 60, 9 * 60 + 30, 13 * 60, 14 * 60, 21 * 60, 22 * 60])
        if d == 6 and start_min > 16 * 60:
            start_min = 8 * 60
        start = datetime.combine(day, datetime.min.time()) + timedelta(
            minutes=start_min + rnd.randrange(-20, 21), seconds=rnd.randrange(60) if seconds else 0
        )
        if last_end is not None and start < last_end + timedelta(hours=1):
            start = last_end + timedelta(hours=1)
        length = rnd.choice([150, 240, 300, 330, 360, 420, 480, 480, 510, 540, 600, 660, 720, 780]) + rnd.randrange(
            -9, 10
        )
        end = start + timedelta(minutes=length, seconds=rnd.randrange(60) if seconds else 0)
        last_end = end
        shift = {"worker": "w", "start": _stamp(start, seconds), "end": _stamp(end, seconds)}
        if length > 300 and rnd.random() < 0.7:
            b0 = start + timedelta(minutes=rnd.choice([150, 180, 240, 270, 320]))
            b1 = b0 + timedelta(minutes=rnd.choice([15, 30, 30, 30, 45]), seconds=rnd.randrange(60) if seconds else 0)
            if b1 < end:
                shift["breaks"] = [{"start": _stamp(b0, seconds), "end": _stamp(b1, seconds)}]
        if rnd.random() < 0.1:
            shift["rate"] = str(rate + Decimal("2.50"))
        if rnd.random() < 0.05:
            shift["meal_waiver"] = True
        shifts.append(shift)
    data: dict[str, Any] = {"workers": {"w": worker}, "shifts": shifts}
    if rnd.random() < 0.05:
        data["earnings"] = [
            {"worker": "w", "date": (week + timedelta(days=days[0])).isoformat(), "amount": "50.00", "kind": "bonus"}
        ]
    return data


def run(root: Path, weeks: int, seed: int, out: Path) -> None:
    sys.path.insert(0, str(root))
    from ot.core.errors import OtError
    from ot.services.calc import calculate, load_rules

    book = load_rules(None)
    rnd = random.Random(seed)
    results: dict[str, Any] = {}
    t0 = time.perf_counter()
    for i in range(weeks):
        data = make_input(rnd)
        try:
            got = calculate(json.dumps(data), name=f"week{i}", book=book)
            results[str(i)] = {wk["week_start"]: wk["gross_pay"] for w in got["workers"] for wk in w["weeks"]}
        except OtError as exc:
            results[str(i)] = {"error": str(exc)}
    elapsed = time.perf_counter() - t0
    out.write_text(json.dumps({"root": str(root), "seed": seed, "weeks": weeks, "results": results}, indent=0))
    print(f"{weeks:,} inputs priced by {root} in {elapsed:.1f} s -> {out}")


def diff(before_path: Path, after_path: Path, show: int) -> None:
    before = json.loads(before_path.read_text())
    after = json.loads(after_path.read_text())
    if (before["seed"], before["weeks"]) != (after["seed"], after["weeks"]):
        raise SystemExit("the two runs priced different inputs (seed or count differ)")
    changed: list[tuple[Decimal, str, str, str, str]] = []
    weeks = errors_b = errors_a = 0
    up = down = 0
    for key, b in before["results"].items():
        a = after["results"][key]
        if "error" in b or "error" in a:
            errors_b += "error" in b
            errors_a += "error" in a
            continue
        for wk in sorted(set(b) | set(a)):
            weeks += 1
            gb, ga = Decimal(b.get(wk, "0")), Decimal(a.get(wk, "0"))
            if gb != ga:
                changed.append((ga - gb, key, wk, str(gb), str(ga)))
                up += ga > gb
                down += ga < gb
    print(f"{len(before['results']):,} inputs, {weeks:,} priced workweeks; errors before {errors_b}, after {errors_a}")
    print(f"gross changed in {len(changed):,} workweeks ({up:,} up, {down:,} down)")
    if changed:
        deltas = sorted(abs(c[0]) for c in changed)
        print(f"largest change ${deltas[-1]}, median ${deltas[len(deltas) // 2]}")
        for cents_bound in ("0.01", "0.05", "1.00"):
            n = sum(1 for d in deltas if d <= Decimal(cents_bound))
            print(f"  changes of at most ${cents_bound}: {n:,}")
        for delta, key, wk, gb, ga in sorted(changed, key=lambda c: -abs(c[0]))[:show]:
            print(f"  input {key} week {wk}: {gb} -> {ga} ({delta:+})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    r.add_argument("--weeks", type=int, default=10_000)
    r.add_argument("--seed", type=int, default=12)
    r.add_argument("-o", "--out", type=Path, required=True)
    d = sub.add_parser("diff")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    d.add_argument("--show", type=int, default=10)
    args = ap.parse_args()
    if args.cmd == "run":
        run(args.root.resolve(), args.weeks, args.seed, args.out)
    else:
        diff(args.before, args.after, args.show)


if __name__ == "__main__":
    main()
