"""``--jobs N``: the pay run, ``stub --all`` and what-if give the same bytes with a process pool as without.

The pool (``ot.services.pool``) starts only for enough workers (``MIN_CHUNK`` per process); these
tests lower it to 1 so that the demo ledger's handful of workers is priced by two processes, and
check that the pool was started. Every event id holds random bits (``ledger.store``); they are
fixed here so that two ledgers built the same way hold the same event log, hashes included.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import ledger.store
import ot.services.pay as pay
import ot.services.pool as pool
from ot.cli import main
from ot.core.errors import OtError
from ot.services.approvals import approve_shifts, approve_timecards
from ot.services.imports import import_file
from ot.services.payrun import run_payroll
from ot.services.periods import configure_periods
from ot.services.stubs import build_all
from ot.services.uow import unit_of_work
from ot.services.whatif import period_near, what_if
from tests.conftest import ROOT, _copy

DEMO_DAY = date(2026, 10, 20)  # the demo's first pay period, 2026-10-11 to 2026-10-24
DEMO_NOW = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
PARENT = os.getpid()


@pytest.fixture(autouse=True)
def started_pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A pool for any number of workers, fixed event ids, and a count of the pools started."""
    monkeypatch.setattr(pool, "MIN_CHUNK", 1)
    monkeypatch.setattr(ledger.store.secrets, "token_hex", lambda n: "ab" * n)
    started: list[int] = []
    real = pool.ProcessPoolExecutor

    def counted(*args: Any, **kwargs: Any) -> Any:
        started.append(kwargs.get("max_workers", 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(pool, "ProcessPoolExecutor", counted)
    return started


def _log(path: Path) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT * FROM events ORDER BY seq").fetchall()
    finally:
        con.close()


def _approved(source: Path, target: Path, day: date, now: datetime) -> Path:
    path = _copy(source, target)
    approve_shifts(path, all_visible=True, period_day=day, actor="A1", now=now)
    approve_timecards(path, period_day=day, actor="A1", now=now)
    return path


# --- a generated company of a few hundred workers -------------------------------------------

STATES = [
    ("L1", "Los Angeles", "CA", "America/Los_Angeles"),
    ("L2", "Denver", "CO", "America/Denver"),
    ("L3", "Houston", "TX", "America/Chicago"),
    ("L4", "New York", "NY", "America/New_York"),
]
ANCHOR = date(2026, 7, 19)  # a Sunday
GEN_NOW = datetime(2026, 8, 3, tzinfo=UTC)


def _company(folder: Path, n: int, seed: int) -> Path:
    """``n`` workers in four states; two weeks of punches: long days (daily and weekly overtime),
    a night shift across midnight, a seventh day, and a worker whose out-punch is missing."""
    rng = random.Random(seed)
    (folder / "locations.csv").write_text(
        "location_id,name,state,timezone\n" + "".join(f"{a},{b},{c},{d}\n" for a, b, c, d in STATES)
    )
    rows = ["worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override"]
    rows.append("A1,Admin One,W2,50.00,L1,,admin,,,")
    for i in range(1, n + 1):
        rows.append(f"W{i:04d},Worker {i},W2,{16 + i % 11}.{(i * 13) % 100:02d},{STATES[i % 4][0]},A1,worker,,,")
    (folder / "workers.csv").write_text("\n".join(rows) + "\n")
    lines = ["worker_id,time,kind,location_id,break_type"]
    for i in range(1, n + 1):
        for d in range(14):
            day = ANCHOR + timedelta(days=d)
            if rng.random() < 0.25 and d % 7 != 6:
                continue
            start = 6 * 60 + rng.randrange(0, 14 * 60 if i % 17 == 0 else 180)
            length = 6 * 60 + rng.randrange(0, 7 * 60)
            t0 = datetime.combine(day, datetime.min.time()) + timedelta(minutes=start)

            def at(minutes: int, t0: datetime = t0) -> str:
                return (t0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")

            lines.append(f"W{i:04d},{at(0)},in,,")
            if length > 6 * 60:
                lines.append(f"W{i:04d},{at(240)},break_start,,")
                lines.append(f"W{i:04d},{at(240 + rng.choice([20, 30, 45]))},break_end,,")
            if not (i % 97 == 0 and d == 3):
                lines.append(f"W{i:04d},{at(length)},out,,")
    (folder / "punches.csv").write_text("\n".join(lines) + "\n")
    ledger_file = folder / "gen.db"
    now0 = datetime(2026, 7, 1, tzinfo=UTC)
    import_file(ledger_file, "locations", folder / "locations.csv", actor="A1", now=now0)
    import_file(ledger_file, "workers", folder / "workers.csv", actor="A1", now=now0)
    configure_periods(
        ledger_file, frequency="biweekly", anchor=ANCHOR, pay_date_offset=5, effective=None, actor="A1", now=now0
    )
    import_file(ledger_file, "punches", folder / "punches.csv", actor="A1", now=GEN_NOW)
    return ledger_file


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A company of 300 workers with one approved biweekly period (built once for this module)."""
    folder = tmp_path_factory.mktemp("gen")
    path = _company(folder, 300, seed=15)
    approve_shifts(path, all_visible=True, period_day=ANCHOR, actor="A1", now=GEN_NOW)
    approve_timecards(path, period_day=ANCHOR, actor="A1", now=GEN_NOW)
    return path


# --- the pool itself -------------------------------------------------------------------------


def test_chunks_cover_the_items_in_order() -> None:
    items = list(range(103))
    for jobs in (1, 2, 3, 8):
        parts = pool.chunks(items, jobs)
        assert [x for p in parts for x in p] == items
        assert len(parts) == (1 if jobs == 1 else min(jobs * pool.CHUNKS_PER_JOB, 103))
    assert pool.chunks([], 4) == []


def test_few_items_start_no_pool(monkeypatch: pytest.MonkeyPatch, started_pools: list[int]) -> None:
    monkeypatch.setattr(pool, "MIN_CHUNK", 48)
    assert pool.chunks(list(range(95)), 2) == [list(range(95))]
    assert pool.map_chunks(sum, list(range(95)), 2) == [sum(range(95))]
    assert pool.map_chunks(sum, list(range(96)), 2) == [sum(range(48)), sum(range(48, 96))]
    assert len(started_pools) == 1  # only the second call started one


def _thresholds(_part: Sequence[int]) -> tuple[int, int, int]:
    import gc

    return gc.get_threshold()


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_a_batch_runs_with_fewer_collections_in_every_process(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """Raised inside (here and in the pool's children, however they start), put back after, even
    after an error; nested from two threads, the last out restores them."""
    import gc
    import multiprocessing

    monkeypatch.setattr(pool, "_context", lambda: multiprocessing.get_context(method))
    before = gc.get_threshold()
    assert before != pool.BATCH_GC_THRESHOLDS
    with pool.fewer_collections():
        assert gc.get_threshold() == pool.BATCH_GC_THRESHOLDS
        got = pool.map_chunks(_thresholds, list(range(200)), 2)
    assert len(got) > 1
    assert set(got) == {pool.BATCH_GC_THRESHOLDS}
    assert gc.get_threshold() == before
    with pytest.raises(ZeroDivisionError), pool.fewer_collections():
        _ = 1 / 0
    assert gc.get_threshold() == before
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with pool.fewer_collections():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(10)
    with pool.fewer_collections():
        pass
    assert gc.get_threshold() == pool.BATCH_GC_THRESHOLDS  # the other thread is still in
    leave.set()
    thread.join()
    assert gc.get_threshold() == before


def test_default_jobs_is_the_cores() -> None:
    assert pool.default_jobs() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize(
    "value", ["0", "-2", "two", "", "1.5", "\u00b2", "\u0664", "-\u00b2"]
)  # "²".isdigit() held: int() raised
def test_read_jobs_refuses(value: str) -> None:
    with pytest.raises(OtError) as caught:
        pool.read_jobs(value)
    assert caught.value.problems[0].where == "--jobs"
    assert "1 or more" in caught.value.render()


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("0", "0 is out of range: give a whole number of processes, 1 or more"),
        ("-1", "-1 is out of range"),
        ("two", "'two' is not a number written in the digits 0-9"),
        ("\u0662", "'\u0662' is not a number written in the digits 0-9"),
        ("\u00b2", "'\u00b2' is not a number written in the digits 0-9"),
    ],
)
@pytest.mark.parametrize("command", [["payrun", "--period", "2026-10-20"], ["stub", "--all", "-o", "out"]])
def test_cli_refuses_a_bad_jobs(demo_ledger: Path, cli: CliRunner, command: list[str], value: str, said: str) -> None:
    before = _log(demo_ledger)
    result = cli.invoke(main, ["--as", "A1", *command, "--jobs", value])
    assert result.exit_code == 2
    assert "Invalid value for '--jobs'" in result.stderr
    assert said in result.stderr
    assert _log(demo_ledger) == before


# --- the pay run -----------------------------------------------------------------------------


def test_payrun_demo_same_events(demo_ledger: Path, tmp_path: Path, started_pools: list[int]) -> None:
    one = _approved(demo_ledger, tmp_path / "one.db", DEMO_DAY, DEMO_NOW)
    two = _approved(demo_ledger, tmp_path / "two.db", DEMO_DAY, DEMO_NOW)
    assert _log(one) == _log(two)
    a = run_payroll(one, period_day=DEMO_DAY, partial=True, actor="A1", now=DEMO_NOW, jobs=1)
    assert started_pools == []
    b = run_payroll(two, period_day=DEMO_DAY, partial=True, actor="A1", now=DEMO_NOW, jobs=2)
    assert started_pools  # the second run priced in a pool
    assert len(a.workers) >= 3
    assert a.net > 0
    assert [w.worker_id for w in a.workers] == [w.worker_id for w in b.workers]
    assert _log(one) == _log(two)  # payloads, stubs as issued, hashes: byte for byte


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_payrun_same_events_however_children_start(
    demo_ledger: Path, tmp_path: Path, started_pools: list[int], monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Forked children inherit their chunks; a forkserver's (the TUI, where threads run) are sent them
    pickled, window plan included: the same events either way."""
    import multiprocessing

    one = _approved(demo_ledger, tmp_path / "one.db", DEMO_DAY, DEMO_NOW)
    two = _approved(demo_ledger, tmp_path / "two.db", DEMO_DAY, DEMO_NOW)
    run_payroll(one, period_day=DEMO_DAY, partial=True, actor="A1", now=DEMO_NOW, jobs=1)
    monkeypatch.setattr(pool, "_context", lambda: multiprocessing.get_context(method))
    run_payroll(two, period_day=DEMO_DAY, partial=True, actor="A1", now=DEMO_NOW, jobs=2)
    assert started_pools
    assert _log(one) == _log(two)


def test_payrun_generated_same_events(generated: Path, tmp_path: Path, started_pools: list[int]) -> None:
    logs = []
    for jobs in (1, 2, 3):
        path = _copy(generated, tmp_path / f"j{jobs}.db")
        result = run_payroll(path, period_day=ANCHOR, partial=True, actor="A1", now=GEN_NOW, jobs=jobs)
        assert len(result.workers) > 250
        assert result.missing  # the missing out-punches leave their workers out
        logs.append(_log(path))
    # One pool in each run with jobs > 1: it prices, while this process pairs the timecards' shifts.
    assert len(started_pools) == 2
    assert logs[0] == logs[1] == logs[2]
    kinds = {row[4] for row in logs[0]}
    assert {"payrun.recorded", "payrun.worker_paid"} <= kinds


def _without_early_settling(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pay run settles each worker once every worker is priced (no draft seen while the pool prices)."""
    from ot.services import payrun

    select = payrun._select
    monkeypatch.setattr(payrun, "_select", lambda uow, period, on_payable=None: select(uow, period))


def test_payrun_settles_workers_as_their_chunks_come_back(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker is settled while the pool prices the next chunks, once: the same events as settling
    them all after the pricing."""
    from ot.services import payrun

    settled: list[str] = []
    real = payrun.settle

    def counted(uow: Any, draft: Any, **kw: Any) -> Any:
        settled.append(draft.worker_id)
        return real(uow, draft, **kw)

    monkeypatch.setattr(payrun, "settle", counted)
    early = _copy(generated, tmp_path / "early.db")
    result = run_payroll(early, period_day=ANCHOR, partial=True, actor="A1", now=GEN_NOW, jobs=2)
    assert sorted(settled) == sorted(w.worker_id for w in result.workers)  # each once: none settled again
    _without_early_settling(monkeypatch)
    late = _copy(generated, tmp_path / "late.db")
    run_payroll(late, period_day=ANCHOR, partial=True, actor="A1", now=GEN_NOW, jobs=2)
    assert _log(early) == _log(late)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_refusal_in_a_later_chunk_drops_what_was_settled_early(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The engine refuses a worker of a chunk past the first: the chunks before it were settled early,
    then the workers are priced one by one; the events are those of a run that never settled early,
    and the refused worker is left out with why."""
    with unit_of_work(generated) as uow:
        refused = sorted(uow.roster)[len(uow.roster) * 2 // 3]
    real = pay.price

    def picky(shifts: Any, workers: Any, book: Any, **kw: Any) -> Any:
        if refused in workers:
            from ot.core.errors import Problem

            raise OtError("cannot price 1 week(s)", [Problem(f"worker {refused}", "no rate")])
        return real(shifts, workers, book, **kw)

    monkeypatch.setattr(pay, "price", picky)
    early = _copy(generated, tmp_path / "early.db")
    result = run_payroll(early, period_day=ANCHOR, partial=True, actor="A1", now=GEN_NOW, jobs=jobs)
    assert refused not in {w.worker_id for w in result.workers}
    assert any(refused in p.where and "cannot be priced" in p.message for p in result.missing)
    _without_early_settling(monkeypatch)
    late = _copy(generated, tmp_path / "late.db")
    run_payroll(late, period_day=ANCHOR, partial=True, actor="A1", now=GEN_NOW, jobs=1)
    assert _log(early) == _log(late)


def test_payrun_cli_jobs(demo_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    approve_shifts(demo_ledger, all_visible=True, period_day=DEMO_DAY, actor="A1", now=DEMO_NOW)
    approve_timecards(demo_ledger, period_day=DEMO_DAY, actor="A1", now=DEMO_NOW)
    runs = [
        cli.invoke(main, ["--as", "A1", "payrun", "--period", "2026-10-20", "--partial", "--dry-run", "--jobs", j])
        for j in ("1", "2")
    ]
    assert [r.exit_code for r in runs] == [0, 0], runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    assert "DRY RUN" in runs[0].stdout


# --- a child that fails ----------------------------------------------------------------------


def _dies(chunk: Sequence[Any], group: Any) -> Any:
    if os.getpid() != PARENT:
        os._exit(3)  # killed: no exception, no result
    return REAL_PRICE_CHUNK(chunk, group)


def _raises(chunk: Sequence[Any], group: Any) -> Any:
    if os.getpid() != PARENT:
        raise RuntimeError("a bug in the engine")
    return REAL_PRICE_CHUNK(chunk, group)


REAL_PRICE_CHUNK = pay._price_chunk


@pytest.mark.parametrize(("fn", "said"), [(_dies, "process stopped"), (_raises, "RuntimeError: a bug in the engine")])
def test_a_failed_child_writes_nothing(
    demo_ledger: Path, monkeypatch: pytest.MonkeyPatch, fn: Any, said: str, cli: CliRunner
) -> None:
    approve_shifts(demo_ledger, all_visible=True, period_day=DEMO_DAY, actor="A1", now=DEMO_NOW)
    approve_timecards(demo_ledger, period_day=DEMO_DAY, actor="A1", now=DEMO_NOW)
    before = _log(demo_ledger)
    threads = threading.active_count()
    monkeypatch.setattr(pay, "_price_chunk", fn)
    with pytest.raises(OtError) as caught:
        run_payroll(demo_ledger, period_day=DEMO_DAY, partial=True, actor="A1", now=DEMO_NOW, jobs=2)
    # The pool is gone whole: no thread of it is left (a left one made the next pool forkserver's, and
    # a hung one stopped the command: ot.services.pool._unblock_feeder).
    assert threading.active_count() == threads
    text = caught.value.render()
    assert "a pricing process failed; nothing was written" in text
    assert said in text
    assert "--jobs: " in text
    assert "--jobs 1" in text
    assert _log(demo_ledger) == before
    result = cli.invoke(main, ["--as", "A1", "payrun", "--period", "2026-10-20", "--partial", "--jobs", "2"])
    assert result.exit_code == 2
    assert "a pricing process failed" in result.stderr
    assert _log(demo_ledger) == before
    # One process never starts a child: the same run pays.
    run_payroll(demo_ledger, period_day=DEMO_DAY, partial=True, actor="A1", now=DEMO_NOW, jobs=1)
    assert len(_log(demo_ledger)) > len(before)


def test_an_engine_refusal_is_the_same_error(
    demo_ledger: Path, monkeypatch: pytest.MonkeyPatch, started_pools: list[int]
) -> None:
    """A week the engine cannot price raises, in a pool, exactly what one process raises."""
    real = pay.price

    def picky(shifts: Any, workers: Any, book: Any, **kw: Any) -> Any:
        if any(s.worker_id in {"W02", "W05"} for s in shifts) or {"W02", "W05"} & set(workers):
            from ot.core.errors import Problem

            raise OtError("cannot price 1 week(s)", [Problem(f"worker {sorted(workers)[0]}", "no rate")])
        return real(shifts, workers, book, **kw)

    monkeypatch.setattr(pay, "price", picky)
    errors = []
    for jobs in (1, 2):
        with unit_of_work(demo_ledger) as uow:
            uow.jobs, uow.lean = jobs, True
            ids = sorted(uow.roster)
            with pytest.raises(OtError) as caught:
                uow.price(ids, date(2026, 10, 11), date(2026, 10, 24))
        errors.append(caught.value.render())
    assert errors[0] == errors[1]
    assert started_pools


# --- stubs and what-if -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "html", "pdf"])
def test_stub_all_same_files(demo_paid_ledger: Path, cli: CliRunner, tmp_path: Path, fmt: str) -> None:
    folders = []
    for jobs in ("1", "2"):
        for period in ("2026-10-20", "2026-11-03"):  # issued stubs, then previews
            out = tmp_path / f"{period}-{jobs}"
            result = cli.invoke(
                main, ["stub", "--all", "--period", period, "--format", fmt, "-o", str(out), "--jobs", jobs]
            )
            assert result.exit_code == 0, result.stderr
            folders.append(out)
    for a, b in ((folders[0], folders[2]), (folders[1], folders[3])):
        names = sorted(p.name for p in a.iterdir())
        assert names
        assert names == sorted(p.name for p in b.iterdir())
        assert all(not n.startswith(".") for n in names)  # no temporary file left
        for name in names:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.slow
def test_stub_all_generated_pdf(generated: Path, tmp_path: Path, started_pools: list[int]) -> None:
    """The PDFs of the first 100 workers (more than a pool needs: 2 x MIN_CHUNK, 4 batches of
    WRITE_BATCH); every worker is priced, by a pool too."""
    from ot.services.stubs import WRITE_BATCH, write_batch

    outs = []
    for jobs in (1, 2):
        batch = build_all(generated, ANCHOR, jobs=jobs)
        assert len(batch.stubs) > 250
        stubs = batch.stubs[:100]
        assert len(stubs) >= 2 * pool.MIN_CHUNK
        assert len(stubs) > 3 * WRITE_BATCH
        out = tmp_path / f"pdf{jobs}"
        paths = list(write_batch(stubs, out, "pdf", jobs=jobs))
        assert len(paths) == len(stubs)
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert len(started_pools) >= 2  # pricing and rendering
    assert outs[0] == outs[1]


def test_write_batch_stopped_in_a_pool_leaves_nothing(generated: Path, tmp_path: Path) -> None:
    from ot.services.stubs import write_batch

    batch = build_all(generated, ANCHOR, jobs=1)
    out = tmp_path / "stopped"
    writer = write_batch(batch.stubs, out, "html", jobs=2)
    for _ in range(40):  # past the first batch: its files are on disk, not yet renamed
        next(writer)
    assert any(out.iterdir())
    writer.close()
    assert list(out.iterdir()) == []


def test_what_if_same_figures(generated: Path, started_pools: list[int]) -> None:
    text = (ROOT / "rules.example.ot").read_text()
    edited = text.replace("daily over 8h is OT x1.5  # Lab. Code 510(a)", "daily over 9h is OT x1.5")
    assert edited != text
    period = period_near(generated, ANCHOR)
    one = what_if(generated, edited, "edited.ot", period, jobs=1)
    assert started_pools == []
    two = what_if(generated, edited, "edited.ot", period, jobs=2)
    assert started_pools
    assert one == two
    assert len(one.rows) > 250
    assert one.saved_total > 0


# --- any split of any roster prices the same -------------------------------------------------


@pytest.fixture(scope="module")
def demo_inputs(_demo_ledger_master: Path) -> tuple[list[Any], Any]:
    with unit_of_work(_demo_ledger_master) as uow:
        first, last = date(2026, 10, 11), date(2026, 10, 24)
        book = uow.history.book_on(first)
        rules = uow.history.text_on(first)
        lo, hi = first - pay.MARGIN, last + pay.MARGIN
        loaded = pay._load(uow.reads, uow.roster, uow.locations, uow.history, sorted(uow.roster), lo, hi, None)
        group = pay._Group(
            dict(uow.locations),
            book,
            pay.workweek_of(book, first),
            6,
            (first, first + timedelta(days=7)),
            lo,
            hi,
            rules.file,
            rules.sha256,
            True,  # lean, as every pool prices: Piece.order (in the explanations) is a place in the list priced
        )
    return loaded, group


@settings(max_examples=40)
@given(data=st.data())
def test_any_split_prices_the_same(demo_inputs: tuple[list[Any], Any], data: st.DataObject) -> None:
    loaded, group = demo_inputs
    picked = data.draw(st.lists(st.integers(0, len(loaded) - 1), min_size=1, max_size=len(loaded), unique=True))
    roster = [loaded[i] for i in picked]
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(roster) - 1)), max_size=4)))
    parts = [roster[a:b] for a, b in zip([0, *cuts], [*cuts, len(roster)], strict=True) if roster[a:b]]
    whole = pay._price_chunk(roster, group)
    split = [pay._price_chunk(p, group) for p in parts]
    # A worker the engine refuses makes their chunk refuse, and the whole.
    assert (whole is None) == any(s is None for s in split)
    if whole is None:
        return
    assert whole[0] == [w for s in split if s for w in s[0]]
    assert whole[1] == [x for s in split if s for x in s[1]]


def test_what_if_cli(demo_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    edited = tmp_path / "edited.ot"
    text = (ROOT / "rules.example.ot").read_text()
    edited.write_text(text.replace("daily over 8h is OT x1.5  # Lab. Code 510(a)", "daily over 9h is OT x1.5"))
    before = _log(demo_ledger)
    runs = [
        cli.invoke(main, ["rules", "what-if", str(edited), "--period", "2026-10-20", "--jobs", j, *extra])
        for extra in ([], ["--json"])
        for j in ("1", "2")
    ]
    assert [r.exit_code for r in runs] == [0, 0, 0, 0], runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    assert runs[2].stdout == runs[3].stdout
    assert "what-if 2026-10-11 to 2026-10-24" in runs[0].stdout
    assert "workers change" in runs[0].stdout
    assert _log(demo_ledger) == before  # nothing written


def test_what_if_cli_refuses(demo_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    missing = cli.invoke(main, ["rules", "what-if", str(tmp_path / "nope.ot")])
    assert missing.exit_code == 2
    assert f"{tmp_path / 'nope.ot'}: no such rules file" in missing.stderr
    broken = tmp_path / "broken.ot"
    broken.write_text("federal {\n  rules from 2026-01-01 {\n    weekly over banana\n")
    bad = cli.invoke(main, ["rules", "what-if", str(broken)])
    assert bad.exit_code == 2
    assert "broken.ot:1:1: a rules file starts with its version line" in bad.stderr
    zero = cli.invoke(main, ["rules", "what-if", str(broken), "--jobs", "0"])
    assert zero.exit_code == 2
    assert "Invalid value for '--jobs'" in zero.stderr


def test_a_pool_that_cannot_start_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """No process could start (a __main__ the forkserver cannot import): the same chunks run in this process."""

    class Refused:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def map(self, fn: Any, parts: Any) -> Any:
            raise RuntimeError("An attempt has been made to start a new process before bootstrapping")

        def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
            pass

    monkeypatch.setattr(pool, "ProcessPoolExecutor", Refused)
    parts = pool.chunks(list(range(10)), 2)
    assert len(parts) == 8
    assert pool.map_chunks(sum, list(range(10)), 2) == [sum(p) for p in parts]


@pytest.mark.parametrize("jobs", [1, 2])
def test_write_batch_syncs_once_per_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    from dataclasses import replace

    import ot.services.stubs as stubs
    from tests.stubs import fixtures as fx

    base = fx.plain_week()
    many = [replace(base, worker_id=f"W{i:03d}") for i in range(70)]
    syncs: list[list[str]] = []
    real = stubs._syncfs

    def counted(fd: int) -> bool:
        syncs.append(sorted(p.name for p in (tmp_path / "out").iterdir()))
        return real(fd)

    monkeypatch.setattr(stubs, "_syncfs", counted)
    fsyncs: list[int] = []
    monkeypatch.setattr(stubs.os, "fsync", lambda fd: fsyncs.append(fd))
    paths = list(stubs.write_batch(many, tmp_path / "out", "text", jobs=jobs))
    assert len(paths) == 70
    # Batches of 32, 32 and 6, each synced once as temporary files; then once for the renames.
    assert [sum(n.endswith(".tmp") for n in names) for names in syncs] == [32, 64, 70, 0]
    assert len(fsyncs) == 1  # the folder's writability probe (prepare_dir), no fsync per file
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)


# --- earnings and schedules reach the pool's children -------------------------------------------


def test_earnings_and_schedules_price_the_same_in_a_pool(
    generated: Path, tmp_path: Path, started_pools: list[int]
) -> None:
    """A bonus earned over the period (29 CFR 778.209), piece pay (778.111) and reporting-time pay priced from the
    schedules (IWC Wage Order 4-2001 section 5(A)) are read by the parent and priced by the children exactly as
    one process prices them."""
    from ot.services.earnings import import_earnings
    from ot.services.pay import price_open
    from ot.services.schedules import import_schedules

    path = _copy(generated, tmp_path / "extras.db")
    ca = [f"W{i:04d}" for i in range(4, 301, 4)]  # the workers at L1, Los Angeles
    (tmp_path / "e.csv").write_text(
        "worker_id,date,kind,amount,quantity,unit_rate,earned_from,earned_to,note\n"
        + "".join(f"{w},2026-08-01,bonus,120,,,2026-07-19,2026-08-01,\n" for w in ca[:10])
        + "".join(f"{w},2026-07-22,piece,,40,0.75,,,crates\n" for w in ca[10:20])
    )
    import_earnings(path, tmp_path / "e.csv", actor="A1", now=GEN_NOW)
    # Scheduled 16 hours on three weekdays: a day worked under 4 hours owes reporting time (half the day, at most 4h).
    (tmp_path / "s.csv").write_text(
        "worker_id,weekday,hours,effective_from\n"
        + "".join(f"{w},{d},16,2026-01-01\n" for w in ca for d in ("monday", "tuesday", "wednesday"))
    )
    import_schedules(path, tmp_path / "s.csv", actor="A1", now=GEN_NOW)
    # A half-hour report late on Tuesday 2026-07-21: a second report (section 5(B)) or a short first one (5(A)).
    (tmp_path / "late.csv").write_text(
        "worker_id,time,kind,location_id,break_type\n"
        + "".join(f"{w},2026-07-21T23:00,in,,\n{w},2026-07-21T23:30,out,,\n" for w in ca if int(w[1:]) % 17)
    )
    import_file(path, "punches", tmp_path / "late.csv", actor="A1", now=GEN_NOW)
    end = ANCHOR + timedelta(days=13)

    def run(jobs: int) -> list[Any]:
        with unit_of_work(path) as uow:
            priced = price_open(
                uow.reads, uow.roster, uow.locations, uow.history, sorted(uow.roster), ANCHOR, end, jobs=jobs, lean=True
            )
        return [(w.worker.worker_id, w.result.week_start, w.result.lines) for w in priced.weeks]

    one = run(1)
    assert started_pools == []
    two = run(2)
    assert started_pools
    assert one == two
    classes = {ln.hour_class for _w, _wk, lines in one for ln in lines}
    premiums = {ln.premium for _w, _wk, lines in one for ln in lines}
    assert {"BONUS", "PIECE"} <= classes, classes
    assert "reporting_time" in premiums, premiums


def _fork_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pools fork, as they do from a single-threaded ``ot`` (a test worker may run threads of its own)."""
    import multiprocessing

    monkeypatch.setattr(pool, "_context", lambda: multiprocessing.get_context("fork"))


def test_forked_children_inherit_the_function_and_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is pickled on the way into a forked child: a function and parts that cannot be pickled
    (a closure, lambdas) are priced there as here; only the results cross the pipe."""
    _fork_context(monkeypatch)
    offset = 7
    items = [lambda i=i: i for i in range(10)]

    def total(part: Sequence[Any]) -> int:  # a closure: not picklable
        return sum(f() + offset for f in part)

    parts = pool.chunks(items, 2)
    assert len(parts) == 8
    assert pool.map_chunks(total, items, 2) == [total(p) for p in parts]
    assert pool._INHERITED is None  # not kept past the pool's start


def test_meanwhile_runs_here_while_the_children_work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The parent's own work (``meanwhile``) runs after the parts are handed out and before a result is
    read: each child waits for the file it writes, and sees it."""
    _fork_context(monkeypatch)
    flag = tmp_path / "meanwhile"

    def waits(part: Sequence[int]) -> str:
        import time

        for _ in range(600):
            if flag.exists():
                return f"saw it after {part[0]}"
            time.sleep(0.05)
        return "never saw it"

    ran: list[str] = []

    def meanwhile() -> None:
        ran.append("meanwhile")
        flag.write_text("x")

    got = pool.map_chunks(waits, list(range(10)), 2, meanwhile=meanwhile)
    assert got == [f"saw it after {p[0]}" for p in pool.chunks(list(range(10)), 2)]
    assert ran == ["meanwhile"]


def test_meanwhile_runs_first_without_a_pool() -> None:
    """One job: ``meanwhile`` runs once, first, then every part in this process."""
    order: list[str] = []

    def fn(part: Sequence[int]) -> int:
        order.append(f"part {part[0]}")
        return sum(part)

    assert pool.map_chunks(fn, list(range(10)), 1, meanwhile=lambda: order.append("meanwhile")) == [45]
    assert order == ["meanwhile", "part 0"]


def test_once_runs_its_function_once() -> None:
    calls: list[int] = []

    def count() -> int:
        calls.append(1)
        return len(calls)

    once: pool.Once[int] = pool.Once(count)
    assert once() == 1
    assert once() == 1
    assert calls == [1]


def test_once_raises_again_rather_than_give_nothing() -> None:
    """A function that raised (the parent's work during a pool's run, say) is not taken as done."""
    tries: list[int] = []

    def fails() -> int:
        tries.append(1)
        raise OtError("no")

    once: pool.Once[int] = pool.Once(fails)
    for _ in range(2):
        with pytest.raises(OtError):
            once()
    assert tries == [1, 1]
