"""Several syncs at once, on one ledger file or on two machines of one PostgreSQL ledger: each approved
shift version reaches a target at most once.

- The compare-and-set of the write that records ``sync.started`` (``ot.services.sync._claim``): a plan
  overtaken by another sync (which sent, or is sending, the same shifts) hands nothing to the target.
  These run on one file (two syncs that got past the lock some other way) and, marked ``postgresql``,
  on two replicas of one database.
- The sync lock of a PostgreSQL ledger (a session-level advisory lock, for every machine): a second
  sync, from the other replica, is refused at once; the lock ends with a sync that fails, and with
  a process that dies.
- Racing processes, with the locks out of the way: every shift is created once.
- ``<replica>.checked`` is per machine: a pay run on each of two replicas pays each worker-date once.

The tests that make their own databases are marked ``postgresql``: they run in the SQLite pass (and
skip there without a PostgreSQL server) and are skipped in the PostgreSQL pass, as
``tests/ledger/test_ledger_pg.py``'s.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from fake_everee import FakeEveree
from sync_helpers import company, day8, events, ot, write_config
from test_sync_everee import everee_config

from ledger import remote
from ledger.approvals import shift_version
from ledger.store import Ledger
from ot.core.errors import OtError
from ot.services import sync as service
from ot.services.sync import SyncRun, run_sync, sync_lock, sync_report
from ot.services.uow import unit_of_work
from ot.sync import outbox

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
DAYS = ("2026-10-12", "2026-10-13")
#: One ledger file (two syncs past its lock), and two machines of one PostgreSQL ledger.
WHERE = ["file", pytest.param("machines", marks=pytest.mark.postgresql)]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEveree]:
    """The fake Everee server (and the token the config names)."""
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "tok-123")
    fake = FakeEveree().start()
    try:
        yield fake
    finally:
        fake.stop()


def _nosleep(_seconds: float) -> None:
    pass


def _sync(path: Path) -> SyncRun:
    return run_sync(path, actor="A1", now=NOW, sleep=_nosleep)


def _replicas(where: str, ledger_path: Path, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """(machine A's ledger, machine B's): ``ledger_path`` twice, or two replicas of one new database."""
    if where == "file":
        return ledger_path, ledger_path
    url: str = request.getfixturevalue("pg_url")
    other = tmp_path / "b" / "ledger.db"
    other.parent.mkdir()
    return remote.bind(url, ledger_path), remote.bind(url, other)


def _company(cli: CliRunner, tmp_path: Path, server: FakeEveree, *machines: Path) -> list[str]:
    """The sync company on machine A (``ledger_path``), the everee target configured on every machine,
    and two approved shifts of W1; returns their ids."""
    company(cli, tmp_path)
    for path in machines:
        write_config(path, everee_config(server.url))
    sids = [day8(cli, "W1", d) for d in DAYS]
    ot(cli, "approve", "shifts", "--all-visible", "--period", DAYS[0])
    return sids


def _posts(server: FakeEveree) -> int:
    return [m for m, _p, _s in server.log].count("POST")


def _overtaken_by(monkeypatch: pytest.MonkeyPatch, other: Callable[[], object], *, past_the_lock: bool = True) -> None:
    """Run ``other`` once, between the next sync's plan and the write that starts it (the race the
    sync lock keeps out: with ``past_the_lock`` the lock is taken out of the way, as if the two got
    past it)."""
    original = service._plan
    pending = [other]

    def plan_then_other(*args: Any, **kwargs: Any) -> Any:
        plan = original(*args, **kwargs)
        if pending:
            pending.pop()()
        return plan

    monkeypatch.setattr(service, "_plan", plan_then_other)
    if past_the_lock:
        monkeypatch.setattr(service, "sync_lock", lambda _path: contextlib.nullcontext())


def _verified(*paths: Path) -> None:
    for path in paths:
        with Ledger.open(path, create=False) as led:
            report = led.verify()
        assert report.ok, report.problems


def _all_sent(path: Path, sids: list[str]) -> None:
    rows = {r.shift_id: r.status for w in sync_report(path, now=NOW) for r in w.rows}
    assert {sid: rows.get(sid) for sid in sids} == dict.fromkeys(sids, "Sent")


# --- the compare-and-set --------------------------------------------------------------------


@pytest.mark.parametrize("where", WHERE)
def test_a_plan_overtaken_by_another_sync_sends_nothing_twice(
    where: str,
    cli: CliRunner,
    ledger_path: Path,
    tmp_path: Path,
    server: FakeEveree,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """A plans both shifts; B syncs them meanwhile; A's start finds them sent and hands the target nothing."""
    a, b = _replicas(where, ledger_path, tmp_path, request)
    sids = _company(cli, tmp_path, server, a, b)
    others: list[SyncRun] = []
    _overtaken_by(monkeypatch, lambda: others.append(_sync(b)))
    first = _sync(a)
    assert [(ln.result, ln.message) for ln in others[0].lines] == [("sent", "")] * 2
    assert sorted((ln.shift_id, ln.result, ln.message) for ln in first.lines) == [
        (sid, "sent", "sent by another sync meanwhile") for sid in sorted(sids)
    ]
    assert _posts(server) == 2  # one create per shift: B's
    assert len(server.shifts) == 2
    assert len(events(a, "sync.started")) == 2  # A started nothing
    assert len(events(a, "sync.sent")) == 2
    _all_sent(a, sids)
    _all_sent(b, sids)
    _verified(a, b)


@pytest.mark.parametrize("where", WHERE)
def test_a_delete_overtaken_by_another_sync_is_not_sent_again(
    where: str,
    cli: CliRunner,
    ledger_path: Path,
    tmp_path: Path,
    server: FakeEveree,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """A shift deleted in the ledger is deleted at the target once, by whichever sync starts first."""
    a, b = _replicas(where, ledger_path, tmp_path, request)
    sids = _company(cli, tmp_path, server, a, b)
    _sync(a)
    ot(cli, "shift", "delete", sids[0], "--reason", "entered twice")
    others: list[SyncRun] = []
    _overtaken_by(monkeypatch, lambda: others.append(_sync(b)))
    first = _sync(a)
    assert [(ln.action, ln.result) for ln in others[0].lines] == [("delete", "sent")]
    assert [(ln.action, ln.result, ln.message) for ln in first.lines] == [
        ("delete", "sent", "deleted at the target by another sync meanwhile")
    ]
    assert [m for m, _p, _s in server.log].count("DELETE") == 1
    assert len(server.shifts) == 1
    _verified(a, b)


def _start_elsewhere(path: Path, sid: str) -> None:
    """Record ``sync.started`` of the shift's approved version, as a sync does just before it calls the target."""
    with unit_of_work(path) as uow:
        shift = uow.find_shift(sid)
        assert shift is not None
        version = shift_version(shift)
        key = outbox.sync_key("everee", sid, version, uow.pay.shift_voids(sid))
    with unit_of_work(path, actor="A1", now=NOW, write=True) as uow:
        uow.append([outbox.started_event("everee", sid, shift.worker_id, version, key, "create")])


@pytest.mark.parametrize("open_before", [False, True], ids=["new", "unknown-outcome"])
def test_a_shift_another_sync_is_sending_now_is_left_to_it(
    open_before: bool,
    cli: CliRunner,
    ledger_path: Path,
    tmp_path: Path,
    server: FakeEveree,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another sync started the shift between this one's plan and its start, and is calling the target:
    this one leaves it (Send, saying why) and calls nothing. ``unknown-outcome``: an earlier attempt was
    already open with the same key, so the other's ``started`` leaves the state as it was; the sequence
    number of the shift's last sync event still moved, and that is what the check compares."""
    sids = _company(cli, tmp_path, server, ledger_path)
    if open_before:
        _start_elsewhere(ledger_path, sids[0])  # a sync that died after recording its start
    _overtaken_by(monkeypatch, lambda: _start_elsewhere(ledger_path, sids[0]))
    run = run_sync(ledger_path, only=sids[0], actor="A1", now=NOW, sleep=_nosleep)
    [line] = run.lines
    assert (line.shift_id, line.result) == (sids[0], "send")
    assert line.message == "another sync is sending it now (or its attempt ended without an answer)"
    assert "looks it up before sending it again" in line.what_to_do
    assert server.log == []  # not even a look-up
    assert len(events(ledger_path, "sync.started")) == (2 if open_before else 1)  # none of this sync's


def test_an_attempt_left_open_is_taken_over_only_by_a_sync_that_holds_the_lock(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, server: FakeEveree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``started`` with no result may be a sync that died, or one still calling the target: a sync
    past the lock cannot tell, and leaves it; a sync that holds the lock is the only one running, so
    it looks the shift up and creates it, once."""
    sids = _company(cli, tmp_path, server, ledger_path)
    _start_elsewhere(ledger_path, sids[0])
    _overtaken_by(monkeypatch, lambda: None)
    run = run_sync(ledger_path, only=sids[0], actor="A1", now=NOW, sleep=_nosleep)
    assert [(ln.result, ln.message) for ln in run.lines] == [
        ("send", "another sync is sending it now (or its attempt ended without an answer)")
    ]
    assert server.log == []
    monkeypatch.undo()
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "tok-123")
    run = run_sync(ledger_path, only=sids[0], actor="A1", now=NOW, sleep=_nosleep)
    assert [ln.result for ln in run.lines] == ["sent"]
    assert [m for m, _p, _s in server.log] == ["GET", "POST"]  # looked up first, then created once


def test_a_failure_recorded_by_another_sync_meanwhile_is_reported(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, server: FakeEveree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other sync's permanent refusal is this run's line (Error, with its message and what to do)."""
    sids = _company(cli, tmp_path, server, ledger_path)
    server.workers.discard("W1")  # Everee refuses W1's shifts: no such worker

    _overtaken_by(monkeypatch, lambda: _sync(ledger_path))
    run = _sync(ledger_path)
    assert sorted(ln.shift_id for ln in run.lines) == sorted(sids)
    for line in run.lines:
        assert line.result == "error"
        assert line.message.startswith("another sync meanwhile: ")
        assert "W1" in line.message
    assert _posts(server) == 2  # the other sync's two refused creates, nothing of this one


# --- the sync lock of a PostgreSQL ledger ------------------------------------------------------


@pytest.mark.postgresql
def test_a_sync_from_another_machine_is_refused_while_one_runs(
    cli: CliRunner,
    ledger_path: Path,
    tmp_path: Path,
    server: FakeEveree,
    request: pytest.FixtureRequest,
) -> None:
    """While A syncs (it holds the database's sync lock), B's sync is refused at once, naming the
    database (not B's own lock file, which is free) and what to do; nothing is written or sent."""
    a, b = _replicas("machines", ledger_path, tmp_path, request)
    sids = _company(cli, tmp_path, server, a, b)
    url = remote.url_for(str(a))
    assert url is not None
    with sync_lock(a):
        with pytest.raises(OtError) as exc:
            _sync(b)
        assert exc.value.message == "another `ot sync` is running on this ledger"
        [problem] = exc.value.problems
        assert problem.where == remote.masked(url)
        assert "another machine" in problem.message
        assert "run `ot sync` again" in problem.message
        bad = ot(cli, "--ledger", str(b), "sync", code=2)
        assert "another `ot sync` is running on this ledger" in bad.stderr
        assert events(b, "sync.started") == []
        assert server.log == []
        dry = _sync_dry(b)  # a plan sends nothing: no lock needed
        assert {ln.result for ln in dry.lines} == {"planned"}
    assert _sync(b).count("sent") == 2
    _all_sent(a, sids)


def _sync_dry(path: Path) -> SyncRun:
    return run_sync(path, dry_run=True, actor="A1", now=NOW, sleep=_nosleep)


@pytest.mark.postgresql
def test_the_sync_lock_is_refused_to_any_session_that_holds_it(pg_url: str, tmp_path: Path) -> None:
    """The lock is the database's, whoever holds it: a session of another program (or machine) holding
    its key refuses a sync; its write lock is another key, which a sync never holds between writes."""
    replica = remote.bind(pg_url, tmp_path / "r.db")
    with Ledger.open(replica):
        pass
    assert remote.SYNC_LOCK_KEY != remote.LOCK_KEY
    with psycopg.connect(pg_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (remote.SYNC_LOCK_KEY,))
        with pytest.raises(OtError) as exc, sync_lock(replica):
            pass
        assert "another `ot sync`" in exc.value.message
        holder.execute("SELECT pg_advisory_unlock(%s)", (remote.SYNC_LOCK_KEY,))
    with sync_lock(replica), psycopg.connect(pg_url, autocommit=True) as other:
        # held by this process's session: the write lock stays free for every machine meanwhile
        assert other.execute("SELECT pg_try_advisory_lock(%s)", (remote.SYNC_LOCK_KEY,)).fetchone() == (False,)
        assert other.execute("SELECT pg_try_advisory_xact_lock(%s)", (remote.LOCK_KEY,)).fetchone() == (True,)


@pytest.mark.postgresql
def test_a_sync_that_lost_the_lock_leaves_attempts_left_open(
    cli: CliRunner,
    ledger_path: Path,
    tmp_path: Path,
    server: FakeEveree,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """The connection that holds the database's sync lock is lost mid-sync (the server ended it):
    another machine may sync now, so this one no longer takes over an attempt left open; it ends
    without an error, and the next sync sends the shift once."""
    a, b = _replicas("machines", ledger_path, tmp_path, request)
    sids = _company(cli, tmp_path, server, a, b)
    url = remote.url_for(str(a))
    assert url is not None
    _start_elsewhere(a, sids[0])

    _overtaken_by(monkeypatch, lambda: _end_the_lock_session(url), past_the_lock=False)
    run = run_sync(a, only=sids[0], actor="A1", now=NOW, sleep=_nosleep)
    assert [ln.result for ln in run.lines] == ["send"]
    assert server.log == []
    assert _lock_free(url)
    assert [ln.result for ln in _sync(b).lines] == ["sent", "sent"]
    assert _posts(server) == 2


def _end_the_lock_session(url: str) -> None:
    """End the database session that holds the sync lock (what a dropped connection does)."""
    with psycopg.connect(url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
            "AND ((classid::bigint << 32) | objid::bigint) = %s",
            (remote.SYNC_LOCK_KEY,),
        ).fetchall()
    assert ended == [(True,)]


@pytest.mark.postgresql
def test_a_sync_that_loses_the_lock_mid_send_sends_nothing_more(
    cli: CliRunner,
    ledger_path: Path,
    tmp_path: Path,
    server: FakeEveree,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """The sync lock's connection drops after the first shift was sent: the sync checks the lock before
    each call, so the second shift is not sent (another machine may be sending it); it is recorded
    as a transient failure that says why, its attempt kept open. The other machine's sync waits for
    any call still in flight, looks the shift up, and creates it once."""
    from ot.sync import everee

    a, b = _replicas("machines", ledger_path, tmp_path, request)
    sids = _company(cli, tmp_path, server, a, b)
    url = remote.url_for(str(a))
    assert url is not None
    one = everee.EvereeTarget._one
    calls: list[str] = []

    def one_then_drop(self: everee.EvereeTarget, op: Any, ctx: Any) -> Any:
        outcome = one(self, op, ctx)
        calls.append(op.shift_id)
        if len(calls) == 1:
            _end_the_lock_session(url)
        return outcome

    monkeypatch.setattr(everee.EvereeTarget, "_one", one_then_drop)
    run = _sync(a)
    assert [(ln.shift_id, ln.result) for ln in run.lines] == [(sids[0], "sent"), (sids[1], "send")]
    assert "lost the ledger's sync lock" in run.lines[1].message
    assert "run `ot sync` again" in run.lines[1].what_to_do
    assert _posts(server) == 1
    monkeypatch.setattr(everee.EvereeTarget, "_one", one)
    waited: list[float] = []
    again = run_sync(b, actor="A1", now=NOW, sleep=waited.append)
    assert [(ln.shift_id, ln.result) for ln in again.lines] == [(sids[1], "sent")]
    # It waited for a call of the lost sync still in flight (3 x the 0.4 s timeout of the test's
    # config, and 5 s), less the time since it took the lock, before it looked the shift up.
    assert len(waited) == 1
    assert 3 < waited[0] <= 3 * 0.4 + 5
    assert [m for m, _p, _s in server.log].count("GET") == 1  # the look-up
    assert _posts(server) == 2
    _all_sent(a, sids)
    _verified(a, b)


def test_an_everee_call_is_not_made_once_the_lock_is_lost(server: FakeEveree) -> None:
    """The client checks the fence before each request and each retry: nothing reaches the server,
    and a lost lock is not retried."""
    from ot.sync.everee import FENCED, EvereeClient, EvereeError

    slept: list[float] = []
    client = EvereeClient(server.url, "tok-123", "42", sleep=slept.append, fence=lambda: False)
    with pytest.raises(EvereeError) as caught:
        client.create({"note": "x"}, correction=False)
    assert caught.value.code == FENCED
    assert caught.value.transient
    assert not caught.value.unknown_outcome
    assert server.log == []
    assert slept == []


@pytest.mark.sqlite_only(reason="the file lock of a ledger file (on PostgreSQL, the sync waits: the test above)")
def test_a_file_ledger_takes_over_open_attempts_without_waiting(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, server: FakeEveree
) -> None:
    """On a ledger file the sync lock is a file lock, which ends only with its process: a sync that
    holds it takes an attempt left open over at once (no wait), looks it up and sends it once."""
    sids = _company(cli, tmp_path, server, ledger_path)
    _start_elsewhere(ledger_path, sids[0])
    waited: list[float] = []
    run = run_sync(ledger_path, actor="A1", now=NOW, sleep=waited.append)
    assert sorted(ln.result for ln in run.lines) == ["sent", "sent"]
    assert waited == []
    assert _posts(server) == 2


def _lock_free(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as conn:
        got = conn.execute("SELECT pg_try_advisory_lock(%s)", (remote.SYNC_LOCK_KEY,)).fetchone()
        if got == (True,):
            conn.execute("SELECT pg_advisory_unlock(%s)", (remote.SYNC_LOCK_KEY,))
        return got == (True,)


@pytest.mark.postgresql
def test_the_sync_lock_is_released_after_a_sync_that_fails(
    cli: CliRunner,
    ledger_path: Path,
    tmp_path: Path,
    server: FakeEveree,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """A sync whose target raises mid-send ends, and its lock with it: B syncs next, looks the shifts
    A had started up first, and creates each once."""
    a, b = _replicas("machines", ledger_path, tmp_path, request)
    sids = _company(cli, tmp_path, server, a, b)
    url = remote.url_for(str(a))
    assert url is not None
    original = service.make_target

    class Broken(RuntimeError):
        pass

    def breaking(config: Any, sleep: Any = time.sleep) -> Any:
        target = original(config, sleep)

        def send(ops: Any, ctx: Any) -> Iterator[Any]:
            raise Broken("the network went away")
            yield  # pragma: no cover

        target.send = send  # type: ignore[method-assign]
        return target

    monkeypatch.setattr(service, "make_target", breaking)
    with pytest.raises(Broken):
        _sync(a)
    assert _lock_free(url)
    monkeypatch.setattr(service, "make_target", original)
    run = _sync(b)
    assert run.count("sent") == 2
    assert _posts(server) == 2
    _all_sent(a, sids)


def _hold_then_wait(url: str, replica: str, held: Any, keys: str) -> None:
    os.environ["OT_KEYS"] = keys
    remote.bind(url, Path(replica))
    with sync_lock(Path(replica)):
        held.set()
        time.sleep(120)


@pytest.mark.postgresql
def test_the_sync_lock_ends_with_a_process_that_dies(pg_url: str, tmp_path: Path) -> None:
    """A sync killed while it holds the lock leaves nothing behind: the server ends its session."""
    replica = remote.bind(pg_url, tmp_path / "r.db")
    with Ledger.open(replica):
        pass
    ctx = multiprocessing.get_context("spawn")
    held = ctx.Event()
    child = ctx.Process(target=_hold_then_wait, args=(pg_url, str(tmp_path / "c.db"), held, os.environ["OT_KEYS"]))
    child.start()
    try:
        assert held.wait(60)
        with pytest.raises(OtError), sync_lock(replica):
            pass
    finally:
        child.kill()  # SIGKILL: no finally of the child runs
        child.join(30)
    deadline = time.monotonic() + 10
    while not _lock_free(pg_url) and time.monotonic() < deadline:
        time.sleep(0.05)
    with sync_lock(replica):
        pass


# --- racing processes ------------------------------------------------------------------------


def _race(url: str | None, path: str, go: Any, out: Any, keys: str) -> None:
    """One racer: wait for the start, then sync with the lock out of the way."""
    os.environ["OT_KEYS"] = keys
    if url is not None:
        remote.bind(url, Path(path))
    service.sync_lock = lambda _path: contextlib.nullcontext()  # type: ignore[assignment,return-value]
    go.wait(60)
    try:
        run = _sync(Path(path))
        out.put(
            (
                "done",
                run.count("sent"),
                run.count("send"),
                run.count("error"),
                [(ln.shift_id, ln.action, ln.result, ln.message) for ln in run.lines],
            )
        )
    except OtError as exc:
        out.put(("refused", type(exc).__name__, exc.message))


@pytest.mark.slow
@pytest.mark.parametrize("where", WHERE)
def test_syncs_racing_from_three_processes_create_each_shift_once(
    where: str,
    cli: CliRunner,
    ledger_path: Path,
    tmp_path: Path,
    server: FakeEveree,
    request: pytest.FixtureRequest,
) -> None:
    """Three processes sync at once, past every lock, three rounds (new shifts, then edited ones):
    whatever the interleaving, each shift is created once and each edit sent once."""
    a, b = _replicas(where, ledger_path, tmp_path, request)
    url = remote.url_for(str(a)) if where == "machines" else None
    company(cli, tmp_path)
    racers = [a, b, a] if where == "machines" else [a, a, a]
    if where == "machines":
        third = remote.bind(url or "", tmp_path / "c" / "ledger.db")
        third.parent.mkdir()
        racers[2] = third
    # Three processes at once on a shared machine: a generous timeout, so that no call is an unknown
    # outcome (which the next sync rightly looks up and updates) and every call can be counted.
    slow = everee_config(server.url).replace("timeout_seconds = 0.4", "timeout_seconds = 20")
    assert slow != everee_config(server.url)
    for path in {*racers}:
        write_config(path, slow)
    ctx = multiprocessing.get_context("spawn")
    first = date(2026, 10, 12)
    sids: list[str] = []
    for rnd in range(3):
        if rnd < 2:
            days = [(first + timedelta(days=rnd * 4 + i)).isoformat() for i in range(4)]
            sids += [day8(cli, "W1" if i % 2 else "W2", d) for i, d in enumerate(days)]
        else:
            for sid in sids[:3]:
                ot(cli, "shift", "edit", sid, "--end", "17:00", "--reason", "stayed late")
        ot(cli, "approve", "shifts", "--all-visible", "--period", first.isoformat())
        go, out = ctx.Event(), ctx.Queue()
        procs = [ctx.Process(target=_race, args=(url, str(path), go, out, os.environ["OT_KEYS"])) for path in racers]
        for p in procs:
            p.start()
        go.set()
        results = [out.get(timeout=180) for _ in procs]
        for p in procs:
            p.join(60)
        assert all(r[0] == "done" and r[3] == 0 for r in results), results
        methods = [m for m, _p, _s in server.log]
        assert methods.count("POST") == len(sids), (rnd, server.log)  # each shift created once, ever
        assert methods.count("PUT") == (3 if rnd == 2 else 0), (rnd, results, server.log)
    notes = sorted(s["note"].split(" ")[0] for s in server.shifts.values())
    assert notes == sorted(f"ot:everee:{sid}" for sid in sids)  # one shift at Everee per shift of the ledger
    _all_sent(a, sids)
    _verified(*{*racers})


# --- files beside the ledger: `.checked` per machine ------------------------------------------


@pytest.mark.postgresql
def test_each_machine_keeps_its_own_checked_file_and_pays_each_date_once(
    pg_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A pay run on A keeps A's ``<replica>.checked``; the next period's pay run on B (no ``.checked``
    of its own: it folds every event) succeeds, keeps B's; a correction-free third look from A (its
    file now older than the last seal) checks from scratch. Every worker-date is paid once."""
    from ot.services.approvals import approve_shifts, approve_timecards
    from ot.services.ledger import verify as service_verify
    from ot.services.payrun import run_payroll
    from ot.services.trust import check_projections, sidecar_path

    demo = tmp_path / "a" / "ledger.db"
    demo.parent.mkdir()
    shutil.copy(request.getfixturevalue("_demo_ledger_master"), demo)
    conn = sqlite3.connect(demo)  # (in the PostgreSQL pass the master is a replica of a database of its own)
    conn.execute("DELETE FROM meta WHERE name = ?", (remote.REMOTE_META,))
    conn.commit()
    conn.close()
    a = remote.bind(pg_url, demo)
    with Ledger.open(a):
        pass  # the demo moves into the database
    b = remote.bind(pg_url, tmp_path / "b" / "ledger.db")
    first, second = date(2026, 10, 20), date(2026, 11, 3)

    now = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
    approve_shifts(a, all_visible=True, period_day=first, actor="A1", now=now)
    approve_timecards(a, period_day=first, actor="A1", now=now)
    paid_a = run_payroll(a, period_day=first, partial=True, actor="A1", now=now, jobs=1)
    assert paid_a.workers
    assert sidecar_path(a).exists()
    assert not sidecar_path(b).exists()

    now = datetime(2026, 11, 9, 12, 0, tzinfo=UTC)
    approve_shifts(b, all_visible=True, period_day=second, actor="A1", now=now)
    approve_timecards(b, period_day=second, actor="A1", now=now)
    paid_b = run_payroll(b, period_day=second, partial=True, actor="A1", now=now, jobs=1)
    assert paid_b.workers
    assert sidecar_path(b).exists()
    assert sidecar_path(a).read_bytes() != sidecar_path(b).read_bytes()

    with unit_of_work(a, actor="A1", now=now, write=True, dry_run=True) as uow:
        check_projections(uow)  # A's file is older than B's seal: it checks from the first event
        assert uow.checked is not None
        assert uow.checked.started == 0
    with unit_of_work(b, actor="A1", now=now, write=True, dry_run=True) as uow:
        check_projections(uow)  # B's own file: it checks from there
        assert uow.checked is not None
        assert uow.checked.started > 0

    with Ledger.open(a) as led:
        rows = led.connection.execute(
            "SELECT worker_id, run_id, paid_from, paid_through FROM payments WHERE paid_from IS NOT NULL"
        ).fetchall()
    assert {run for _w, run, _f, _t in rows} == {paid_a.run_id, paid_b.run_id}
    paid: dict[str, list[date]] = {}
    for worker, _run, start, end in rows:
        day = date.fromisoformat(start)
        while day <= date.fromisoformat(end):
            paid.setdefault(worker, []).append(day)
            day += timedelta(days=1)
    for worker, days in paid.items():
        assert len(days) == len(set(days)), worker  # each worker-date paid once
    assert any(d > date(2026, 10, 24) for days in paid.values() for d in days)  # B paid the second period
    for path in (a, b):
        report = service_verify(path, full=True)
        assert report.ok, report.problems


def test_the_cli_says_which_lines_another_sync_sent(capsys: pytest.CaptureFixture[str]) -> None:
    """A line another sync sent meanwhile reads ``Sent: sent by another sync meanwhile``; one this sync
    sent reads ``Sent``."""
    from ot.cli.sync_cmds import _show_run
    from ot.services.sync import PlanLine

    run = SyncRun(
        (
            PlanLine("everee", "S1", "W1", "create", "Mon 09:00-17:00", "sent"),
            PlanLine("everee", "S2", "W1", "create", "Tue 09:00-17:00", "sent", "sent by another sync meanwhile"),
        ),
        dry_run=False,
    )
    _show_run(run)
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("Mon 09:00-17:00  Sent")
    assert out[1].endswith("Tue 09:00-17:00  Sent: sent by another sync meanwhile")
