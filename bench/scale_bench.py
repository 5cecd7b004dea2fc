#!/usr/bin/env python3
"""Benchmark: what a company of N workers costs per command, with no history and after paid periods.

    .venv/bin/python bench/scale_bench.py --workers 200 2000 --history 5

For each size it builds (once; cached under ``bench/.cache``, gitignored, or
``--cache DIR``) two ledgers of the same company as ``bench/paycycle_bench.py``
(hourly workers in seven states, an admin, a manager per location, a csv sync
target, biweekly periods):

- ``none``: only the period measured (two workweeks of punches);
- ``history``: the same after ``--history`` earlier periods, each approved,
  paid and synced through the services.

Then the period measured is approved (shifts, then timecards) on a copy, and
each step runs in a forked process (so that its peak RSS is its own), median
of ``--repeat`` runs, CPU seconds and wall seconds:

- ``payrun``: the pay run of the period (each run on a fresh copy of the approved ledger);
- ``stub --all``: every stub of the period after its pay run, as PDF files;
- ``sync report``: the Hours Sync Report (what ``ot sync report`` and the TUI's Sync view read);
- ``summary``: what ``ot`` prints with no command;
- ``verify``: ``ot ledger verify`` (``verify --full`` too when the service has it).

It prints, per size, each step's figures with and without history and the ratio
history/none (goal, issue 15: at most 1.3 for every step), and the peak RSS.
The machine is shared and noisy: these are medians, figures, not a timed test.
"""

from __future__ import annotations

import argparse
import inspect
import multiprocessing
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from paycycle_bench import ANCHOR, _write_company, _write_punches  # noqa: E402

from ot.services import ledger as ledger_service  # noqa: E402
from ot.services.approvals import approve_shifts, approve_timecards  # noqa: E402
from ot.services.imports import import_file  # noqa: E402
from ot.services.payrun import run_payroll  # noqa: E402
from ot.services.periods import configure_periods  # noqa: E402
from ot.services.stubs import build_all, prepare_dir, write_batch  # noqa: E402
from ot.services.summary import summarize  # noqa: E402
from ot.services.sync import run_sync, sync_report  # noqa: E402

ADMIN = "A1"


def _when(history: int) -> tuple[Any, datetime]:
    day = ANCHOR + timedelta(days=14 * history)
    return day, datetime.combine(day + timedelta(days=15), datetime.min.time(), UTC)


def _copy(source: Path, folder: Path) -> Path:
    """A copy of a ledger with its sync config and its sealed check (``.checked``)."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "ledger.db"
    shutil.copy(source, copy)
    for suffix in (".checked", ".verified", ".verified.mac"):
        kept = source.with_name(source.name + suffix)
        if kept.exists():
            shutil.copy(kept, copy.with_name(copy.name + suffix))
    sync = source.with_name("ledger.sync.toml")
    if sync.exists():
        text = sync.read_text().replace(str(source.parent / "feeds"), str(folder / "feeds"))
        (folder / "feeds").mkdir(exist_ok=True)
        (copy.with_name("ledger.sync.toml")).write_text(text)
    return copy


def _base(folder: Path, n: int) -> Path:
    """The company with no punches: locations, workers (their PINs hashed once), periods."""
    ledger = folder / "ledger.db"
    (folder / "feeds").mkdir(parents=True, exist_ok=True)
    (folder / "ledger.sync.toml").write_text(f'[targets.files]\nkind = "csv"\nfolder = "{folder / "feeds"}"\n')
    locs, workers = _write_company(folder, n)
    now0 = datetime(2026, 7, 1, tzinfo=UTC)
    import_file(ledger, "locations", locs, actor=ADMIN, now=now0)
    import_file(ledger, "workers", workers, actor=ADMIN, now=now0)
    configure_periods(
        ledger, frequency="biweekly", anchor=ANCHOR, pay_date_offset=5, effective=None, actor=ADMIN, now=now0
    )
    return ledger


def _grow(ledger: Path, n: int, history: int) -> None:
    """Add ``history`` paid and synced periods, then the punches of the period measured."""
    for k in range(history + 1):
        start = ANCHOR + timedelta(days=14 * k)
        punches = ledger.with_name(f"punches-{k}.csv")
        _write_punches(punches, n, start, 14, seed=k)
        when = datetime.combine(start + timedelta(days=15), datetime.min.time(), UTC)
        import_file(ledger, "punches", punches, actor=ADMIN, now=when)
        punches.unlink()
        if k < history:
            approve_shifts(ledger, all_visible=True, period_day=start, actor=ADMIN, now=when)
            approve_timecards(ledger, period_day=start, actor=ADMIN, now=when)
            run_payroll(ledger, period_day=start, partial=True, actor=ADMIN, now=when)
            run_sync(ledger, actor=ADMIN, now=when)


def _approve(ledger: Path, history: int) -> None:
    day, when = _when(history)
    approve_shifts(ledger, all_visible=True, period_day=day, actor=ADMIN, now=when)
    approve_timecards(ledger, period_day=day, actor=ADMIN, now=when)


def _pay(ledger: Path, history: int) -> None:
    day, when = _when(history)
    run_payroll(ledger, period_day=day, partial=True, actor=ADMIN, now=when)


def build(cache: Path, n: int, history: int) -> dict[str, Path]:
    """The cached ledgers of one size: ``none``/``history``, each ``approved`` and ``paid``."""
    out: dict[str, Path] = {}
    base_dir = cache / f"w{n}" / "base"
    if not (base_dir / "built").exists():
        shutil.rmtree(base_dir, ignore_errors=True)
        t0 = time.time()
        _run_in_child(lambda: _base(base_dir, n))
        (base_dir / "built").touch()
        print(f"  built the company of {n}: {time.time() - t0:.0f} s wall", file=sys.stderr)
    for name, h in (("none", 0), ("history", history)):
        folder = cache / f"w{n}" / f"{name}-h{h}"
        if not (folder / "built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            t0 = time.time()
            grown = _copy(base_dir / "ledger.db", folder / "grown")
            _run_in_child(lambda grown=grown, h=h: _grow(grown, n, h))
            approved = _copy(grown, folder / "approved")
            _run_in_child(lambda approved=approved, h=h: _approve(approved, h))
            paid = _copy(approved, folder / "paid")
            _run_in_child(lambda paid=paid, h=h: _pay(paid, h))
            (folder / "built").touch()
            print(f"  built {name} ({h} paid periods) of {n}: {time.time() - t0:.0f} s wall", file=sys.stderr)
        _checkpoint(folder)
        out[f"{name}/approved"] = folder / "approved" / "ledger.db"
        out[f"{name}/paid"] = folder / "paid" / "ledger.db"
    return out


def _child(step: Callable[[], object], conn: Any) -> None:
    try:
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        c0, w0 = time.process_time(), time.perf_counter()
        step()
        c1, w1 = time.process_time(), time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send(("ok", c1 - c0, w1 - w0, peak / 1024, base / 1024))
    except BaseException as exc:  # report it to the parent, which stops
        conn.send(("error", repr(exc), 0, 0, 0))
    finally:
        conn.close()


def _run_in_child(step: Callable[[], object]) -> tuple[float, float, float]:
    """Run ``step`` in a forked process: (CPU s, wall s, peak RSS MB of that process)."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(step, child))
    proc.start()
    child.close()
    status, cpu, wall, peak, _base_rss = parent.recv()
    proc.join()
    if status != "ok":
        raise SystemExit(f"a step failed: {cpu}")
    return float(cpu), float(wall), float(peak)


def measure(step: Callable[[Path], object], source: Path, repeat: int, *, fresh_copy: bool) -> dict[str, float]:
    """Median CPU and wall seconds over ``repeat`` runs, and the highest peak RSS."""
    cpus, walls, peaks = [], [], []
    with tempfile.TemporaryDirectory(prefix="ot-scale-") as tmp:
        shared = _copy(source, Path(tmp) / "shared") if not fresh_copy else None
        for i in range(repeat):
            target = shared if shared is not None else _copy(source, Path(tmp) / f"run{i}")
            cpu, wall, peak = _run_in_child(lambda target=target: step(target))
            cpus.append(cpu)
            walls.append(wall)
            peaks.append(peak)
            if shared is None:
                shutil.rmtree(target.parent)
    return {"cpu": statistics.median(cpus), "wall": statistics.median(walls), "rss": max(peaks)}


def steps(history: int) -> dict[str, tuple[str, bool, Callable[[Path], object]]]:
    """Step name -> (which ledger it reads, whether each run needs a fresh copy, the call)."""
    day, when = _when(history)

    def stubs(p: Path) -> None:
        out = prepare_dir(p.with_name("stubs"))
        batch = build_all(p, day)
        for _path in write_batch(batch.stubs, out, "pdf"):
            pass
        shutil.rmtree(out)

    out: dict[str, tuple[str, bool, Callable[[Path], object]]] = {
        "payrun": ("approved", True, lambda p: _pay(p, history)),
        "stub --all pdf": ("paid", False, stubs),
        "sync report": ("paid", False, lambda p: sync_report(p, now=when)),
        "summary": ("paid", False, summarize),
    }
    params = inspect.signature(ledger_service.verify).parameters
    if "full" in params:
        # From the checkpoint the verify before this period's approvals and pay run kept (a fresh copy each
        # run: a verify moves the checkpoint to the head).
        out["verify"] = ("paid", True, lambda p: _verified(ledger_service.verify(p)))
        out["verify --full"] = ("paid", False, lambda p: ledger_service.verify(p, full=True))  # type: ignore[call-arg]
    else:
        out["verify"] = ("paid", False, lambda p: ledger_service.verify(p))
    return out


def _verified(report: Any) -> None:
    if not report.ok or not getattr(report, "started", 1):
        raise RuntimeError(f"the verify measured is not incremental or failed: {report.notes} {report.problems[:3]}")


def _checkpoint(folder: Path) -> None:
    """A verify after the history's last pay run and the new period's punches (what an admin runs weekly):
    its checkpoint goes to the copies the steps read (which extend that ledger). Verified again when the
    checkpoint kept holds no event counts (an ot before the summary read them from it)."""
    grown = folder / "grown" / "ledger.db"
    mac = grown.with_name("ledger.db.verified.mac")
    if "full" in inspect.signature(ledger_service.verify).parameters and (
        not mac.exists() or "counts_mac" not in mac.read_text()
    ):
        _run_in_child(lambda: ledger_service.verify(grown))
    for name in ("approved", "paid"):
        for suffix in (".verified", ".verified.mac"):
            kept = grown.with_name(grown.name + suffix)
            if kept.exists():
                shutil.copy(kept, folder / name / f"ledger.db{suffix}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--history", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="+", help="only these steps (names as printed)")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache", help="where the ledgers are kept")
    args = parser.parse_args()
    # The verify checkpoint's HMAC key: the bench's own, beside its ledgers, never the user's.
    os.environ["OT_KEYS"] = str(args.cache / "keys")
    print(
        f"scale bench: {os.cpu_count()} cores (shared machine: medians of {args.repeat}); "
        f"history = {args.history} paid periods",
    )
    for n in args.workers:
        ledgers = build(args.cache, n, args.history)
        table: dict[str, dict[str, dict[str, float]]] = {}
        for name, h in (("none", 0), ("history", args.history)):
            for step, (which, fresh, call) in steps(h).items():
                if args.only and step not in args.only:
                    continue
                table.setdefault(step, {})[name] = measure(
                    call, ledgers[f"{name}/{which}"], args.repeat, fresh_copy=fresh
                )
                print(f"  {n} {name} {step}: {table[step][name]}", file=sys.stderr)
        print(f"\n{n} workers; CPU and wall seconds (median of {args.repeat}), peak RSS MB")
        print(
            f"{'step':<16}{'cpu none':>10}{'cpu hist':>10}{'ratio':>7}{'wall none':>11}{'wall hist':>11}"
            f"{'ratio':>7}{'rss none':>10}{'rss hist':>10}"
        )
        for step, row in table.items():
            a, b = row["none"], row["history"]
            print(
                f"{step:<16}{a['cpu']:>10.2f}{b['cpu']:>10.2f}{b['cpu'] / a['cpu']:>7.2f}"
                f"{a['wall']:>11.2f}{b['wall']:>11.2f}{b['wall'] / a['wall']:>7.2f}"
                f"{a['rss']:>10.0f}{b['rss']:>10.0f}"
            )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
