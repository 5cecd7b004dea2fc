"""The PostgreSQL ledger (ledger/remote.py) against a throwaway server (tests/pg_server.py).

These run on either --ledger-backend: each makes its own database and binds its own replica.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from ledger_procs import punch_event

from ledger import remote
from ledger.store import Ledger
from ot.cli import main
from ot.core.errors import LedgerBusy, OtError

NOW = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
pytestmark = pytest.mark.postgresql


def _open(url: str, replica: Path) -> Ledger:
    remote.bind(url, replica)
    return Ledger.open(replica)


def _ledger(url: str, replica: Path, punches: int = 3) -> Path:
    with _open(url, replica) as led:
        led.append([punch_event("W1", i, "t") for i in range(punches)], actor="ana", now=NOW)
    return replica


def _pg_rows(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT {remote.COLUMNS} FROM events ORDER BY seq").fetchall()


def _chain_ok(url: str, replica: Path) -> None:
    with _open(url, replica) as led:
        report = led.verify()
    assert report.ok, report.problems


# --- the record refuses what is not an append ---


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE events SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM events WHERE seq = 3",
        "TRUNCATE events",
        "UPDATE meta SET value = 'x' WHERE name = 'pin_salt'",
        "DELETE FROM meta",
        "TRUNCATE meta",
    ],
)
def test_triggers_refuse_update_delete_truncate(pg_url: str, tmp_path: Path, sql: str) -> None:
    _ledger(pg_url, tmp_path / "r.db")
    before = _pg_rows(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn, pytest.raises(psycopg.errors.RestrictViolation) as exc:
        conn.execute(sql)
    assert "append-only" in str(exc.value)
    assert _pg_rows(pg_url) == before


@pytest.mark.parametrize("change", ["seq", "prev_hash"])
def test_an_insert_that_does_not_chain_is_refused(pg_url: str, tmp_path: Path, change: str) -> None:
    _ledger(pg_url, tmp_path / "r.db")
    rows = _pg_rows(pg_url)
    last = list(rows[-1])
    forged = [last[0] + (2 if change == "seq" else 1), "f" * 30, *last[2:]]
    forged[6] = "forged-key"
    forged[8] = last[9] if change == "seq" else "0" * 64
    with psycopg.connect(pg_url, autocommit=True) as conn, pytest.raises(psycopg.errors.CheckViolation) as exc:
        conn.execute(f"INSERT INTO events ({remote.COLUMNS}) VALUES ({', '.join(['%s'] * 12)})", forged)
    assert ("not the next event" if change == "seq" else "does not link") in str(exc.value)
    assert _pg_rows(pg_url) == rows


# --- replicas ---


def test_a_second_machine_catches_up_and_appends_after_the_first(pg_url: str, tmp_path: Path) -> None:
    _ledger(pg_url, tmp_path / "a.db", punches=2)
    with _open(pg_url, tmp_path / "b.db") as b:
        assert b.count() == 2
        b.append([punch_event("W2", 0, "b")], actor="bo", now=NOW)
    with _open(pg_url, tmp_path / "a.db") as a:
        assert [p.worker_id for p in a.punches()] == ["W1", "W1", "W2"]
        a.append([punch_event("W3", 0, "a")], actor="ana", now=NOW)
    assert [r[0] for r in _pg_rows(pg_url)] == [1, 2, 3, 4]
    _chain_ok(pg_url, tmp_path / "b.db")


def test_a_deleted_replica_is_rebuilt_from_the_database(pg_url: str, tmp_path: Path) -> None:
    replica = _ledger(pg_url, tmp_path / "r.db")
    with _open(pg_url, replica) as led:
        salt, ident, head = led.pin_salt(), led.ledger_id(), led.head()
    replica.unlink()
    with _open(pg_url, replica) as led:
        assert (led.pin_salt(), led.ledger_id(), led.head()) == (salt, ident, head)


def test_a_replica_that_differs_from_the_database_is_refused(pg_url: str, tmp_path: Path) -> None:
    replica = _ledger(pg_url, tmp_path / "r.db")
    with Ledger.open(":memory:") as led:  # a ledger with a different event 3, copied over the replica's
        led.append([punch_event("W1", i, "t") for i in range(2)] + [punch_event("W9", 0, "x")], actor="ana", now=NOW)
        row = led.connection.execute("SELECT * FROM events WHERE seq = 3").fetchone()
    conn = sqlite3.connect(replica)
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute("DELETE FROM events WHERE seq = 3")
    conn.execute(f"INSERT INTO events VALUES ({', '.join('?' * len(row))})", row)
    conn.execute("UPDATE meta SET value = ? WHERE name = 'head_hash'", (row[9],))
    conn.commit()
    conn.close()
    with pytest.raises(OtError) as exc:
        _open(pg_url, replica)
    assert str(replica) in str(exc.value) + exc.value.problems[0].where
    assert "event 3 differs" in exc.value.message
    assert "delete it" in exc.value.problems[0].message


def test_a_replica_ahead_of_the_database_is_refused(pg_url: str, pg_server: Any, tmp_path: Path) -> None:
    replica = _ledger(pg_url, tmp_path / "r.db", punches=3)
    restored = pg_server.create_database("restored_" + os.urandom(4).hex())
    with psycopg.connect(restored, autocommit=True) as conn:  # an older backup: two events
        conn.execute(remote.SCHEMA)
        with psycopg.connect(pg_url) as src:
            for name, value in src.execute("SELECT name, value FROM meta"):
                conn.execute("INSERT INTO meta VALUES (%s, %s)", (name, value))
            for row in src.execute(f"SELECT {remote.COLUMNS} FROM events WHERE seq <= 2 ORDER BY seq"):
                conn.execute(f"INSERT INTO events ({remote.COLUMNS}) VALUES ({', '.join(['%s'] * 12)})", row)
    with pytest.raises(OtError) as exc:
        _open(restored, replica)
    assert "it holds 3 events, the database only 2" in exc.value.message
    assert exc.value.problems[0].where == str(replica)


def test_a_replica_of_another_ledger_is_refused(pg_url: str, pg_server: Any, tmp_path: Path) -> None:
    replica = _ledger(pg_url, tmp_path / "r.db")
    other = pg_server.create_database("other_" + os.urandom(4).hex())
    _ledger(other, tmp_path / "o.db")
    with pytest.raises(OtError) as exc:
        _open(other, replica)
    assert "does not match the ledger" in exc.value.message


def test_verify_compares_the_database_with_the_replica_event_by_event(pg_url: str, tmp_path: Path) -> None:
    replica = _ledger(pg_url, tmp_path / "r.db")
    with psycopg.connect(pg_url, autocommit=True) as conn:  # a superuser can bypass the triggers: verify sees it
        conn.execute("ALTER TABLE events DISABLE TRIGGER events_no_update")
        conn.execute("UPDATE events SET sig = 'forged' WHERE seq = 2")
    with _open(pg_url, replica) as led:
        report = led.verify()
    assert not report.ok
    assert any("event 2: the database's copy differs from the replica's" in p for p in report.problems)


def test_verify_checks_the_database_as_far_as_its_replica_read(pg_url: str, tmp_path: Path) -> None:
    """Another machine appending while this one verifies is not "only the database holds it": verify
    compares the events its replica read (found by a review racing imports against verify); the
    next verify, caught up, checks the new ones too."""
    _ledger(pg_url, tmp_path / "a.db", punches=3)
    with _open(pg_url, tmp_path / "a.db") as a:
        with _open(pg_url, tmp_path / "b.db") as b:  # after a was opened (and caught up)
            b.append([punch_event("W2", 0, "b")], actor="bo", now=NOW)
        report = a.verify()
    assert report.ok, report.problems
    assert report.last_seq == 3
    with _open(pg_url, tmp_path / "a.db") as a:
        again = a.verify()
    assert again.ok, again.problems
    assert again.last_seq == 4


def test_an_existing_sqlite_ledger_moves_into_an_empty_database(pg_url: str, tmp_path: Path) -> None:
    file = tmp_path / "local.sqlite"  # (not a .db: --ledger-backend=postgresql leaves it a SQLite file)
    with Ledger.open(file) as led:
        led.append([punch_event("W1", i, "t") for i in range(4)], actor="ana", now=NOW)
        head, ident = led.head(), led.ledger_id()
    with _open(pg_url, file) as led:
        assert led.head() == head
    rows = _pg_rows(pg_url)
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    assert rows[-1][9] == head[1]
    with _open(pg_url, tmp_path / "fresh.db") as led:
        assert (led.head(), led.ledger_id()) == (head, ident)


def test_a_pg_dump_backup_restores_into_a_verified_ledger(pg_url: str, pg_server: Any, tmp_path: Path) -> None:
    """docs/multi-admin.md, Backups, step by step: pg_dump the database, restore it into a new one with
    pg_restore, delete the replica, and the ledger verifies in full, its triggers still refuse an
    UPDATE, and appends chain on. A replica made after the backup is refused until it is deleted."""
    from tests.pg_server import find_bin

    dump_bin, restore_bin = find_bin("pg_dump"), find_bin("pg_restore")
    if dump_bin is None or restore_bin is None:
        pytest.skip("pg_dump or pg_restore not found")
    replica = _ledger(pg_url, tmp_path / "r.db", punches=5)
    with _open(pg_url, replica) as led:
        head, ident = led.head(), led.ledger_id()
    dump = tmp_path / "ot.dump"
    subprocess.run([dump_bin, "--format=custom", "--file", str(dump), pg_url], check=True, capture_output=True)
    with _open(pg_url, replica) as led:  # work goes on after the backup
        led.append([punch_event("W2", 0, "after")], actor="ana", now=NOW)
    restored = pg_server.create_database("restored_" + os.urandom(4).hex())
    subprocess.run([restore_bin, "--dbname", restored, str(dump)], check=True, capture_output=True)
    with pytest.raises(OtError) as exc:
        _open(restored, replica)
    assert "it holds 6 events, the database only 5" in exc.value.message
    replica.unlink()
    with _open(restored, replica) as led:
        assert (led.head(), led.ledger_id()) == (head, ident)
        report = led.verify()  # the whole chain (the incremental verify is ot ledger verify's)
        assert report.ok, report.problems
        led.append([punch_event("W3", 0, "restored")], actor="ana", now=NOW)
    assert _pg_rows(restored)[:5] == _pg_rows(pg_url)[:5]
    _chain_ok(restored, replica)
    with psycopg.connect(restored, autocommit=True) as conn, pytest.raises(psycopg.Error):
        conn.execute("UPDATE events SET actor = 'mallory' WHERE seq = 1")


# --- bad URLs and servers ---


def _refused(url: str, tmp_path: Path) -> OtError:
    with pytest.raises(OtError) as exc:
        _open(url, tmp_path / "r.db")
    assert "right-password" not in str(exc.value) + repr(exc.value.problems)
    return exc.value


def test_bad_url(tmp_path: Path) -> None:
    error = _refused("postgresql://ot@127.0.0.1:notaport/db", tmp_path)
    assert "postgresql://ot@127.0.0.1:notaport/db" in error.message
    assert "postgresql://USER@HOST:5432/DATABASE" in error.problems[0].message


def test_server_down(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    error = _refused(f"postgresql://ot@127.0.0.1:{port}/db", tmp_path)
    assert f"cannot open the PostgreSQL ledger postgresql://ot@127.0.0.1:{port}/db" in error.message
    assert "server is running" in error.problems[0].message


def test_wrong_password_is_masked(pg_server: Any, tmp_path: Path) -> None:
    url = f"postgresql://pwuser:wrong-password@127.0.0.1:{pg_server.port}/postgres"
    error = _refused(url, tmp_path)
    assert "wrong-password" not in error.message + error.problems[0].where
    assert f"postgresql://pwuser:***@127.0.0.1:{pg_server.port}/postgres" in error.message
    assert "password" in error.problems[0].message


def test_right_password_works_and_is_never_written(pg_server: Any, tmp_path: Path) -> None:
    name = "pw_" + os.urandom(4).hex()
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} OWNER pwuser")
    url = f"postgresql://pwuser:right-password@127.0.0.1:{pg_server.port}/{name}"
    _ledger(url, tmp_path / "r.db")
    assert b"right-password" not in (tmp_path / "r.db").read_bytes()


def test_missing_database(pg_server: Any, tmp_path: Path) -> None:
    error = _refused(pg_server.url("no_such_db"), tmp_path)
    assert "createdb" in error.problems[0].message


def test_a_database_that_is_not_a_ledger(pg_url: str, tmp_path: Path) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id int)")
    error = _refused(pg_url, tmp_path)
    assert f"{pg_url} is not an ot ledger: it holds other tables (customers)" in error.message


def test_opening_an_empty_database_without_create_is_refused(pg_url: str, tmp_path: Path) -> None:
    remote.bind(pg_url, tmp_path / "r.db")
    with pytest.raises(OtError) as exc:
        Ledger.open(tmp_path / "r.db", create=False)
    assert exc.value.message == f"no ledger at {pg_url}"


def test_a_write_waiting_for_the_lock_is_busy(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remote, "LOCK_TIMEOUT_MS", 200)
    replica = _ledger(pg_url, tmp_path / "r.db")
    with psycopg.connect(pg_url) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (remote.LOCK_KEY,))
        with _open(pg_url, replica) as led:
            assert led.count() == 3  # a read takes no lock
            with pytest.raises(LedgerBusy):
                led.append([punch_event("W5", 0, "busy")], actor="ana", now=NOW)
            assert led.count() == 3
            assert not led.connection.in_transaction
    with _open(pg_url, replica) as led:
        led.append([punch_event("W5", 0, "busy")], actor="ana", now=NOW)
        assert led.count() == 4


# --- several processes ---


def _append_many(url: str, replica: str, tag: str, n: int) -> None:
    remote.bind(url, Path(replica))
    for i in range(n):
        with Ledger.open(replica) as led:
            led.append([punch_event(tag, i, tag)], actor=tag, now=NOW)


def test_two_processes_appending_at_once_both_land_in_one_chain(pg_url: str, tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_append_many, args=(pg_url, str(tmp_path / f"{tag}.db"), tag, 15)) for tag in ("PA", "PB")
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    rows = _pg_rows(pg_url)
    assert [r[0] for r in rows] == list(range(1, 31))
    assert sorted(r[7] for r in rows) == ["PA"] * 15 + ["PB"] * 15
    _chain_ok(pg_url, tmp_path / "PA.db")
    _chain_ok(pg_url, tmp_path / "third.db")


def _die_after_the_database_commits(url: str, replica: str) -> None:
    remote.bind(url, Path(replica))
    original = remote.RemoteLog.commit

    def commit_then_die(self: remote.RemoteLog) -> None:
        original(self)
        os.kill(os.getpid(), signal.SIGKILL)

    remote.RemoteLog.commit = commit_then_die  # type: ignore[method-assign]
    with Ledger.open(replica) as led:
        led.append([punch_event("W7", 0, "late")], actor="ana", now=NOW)


def test_killed_after_the_database_commit_the_next_command_catches_up(pg_url: str, tmp_path: Path) -> None:
    replica = _ledger(pg_url, tmp_path / "r.db")
    proc = multiprocessing.get_context("spawn").Process(
        target=_die_after_the_database_commits, args=(pg_url, str(replica))
    )
    proc.start()
    proc.join(60)
    assert proc.exitcode == -signal.SIGKILL
    assert sqlite3.connect(replica).execute("SELECT COUNT(*) FROM events").fetchone()[0] == 3
    assert len(_pg_rows(pg_url)) == 4
    with _open(pg_url, replica) as led:
        assert led.count() == 4
        assert led.punches("W7")[0].source == "late"
        assert led.verify().ok


def _approve(url: str, replica: str, keys: str, out: Any) -> None:
    os.environ["OT_KEYS"] = keys
    from ot.services.approvals import approve_shifts

    remote.bind(url, Path(replica))
    try:
        result = approve_shifts(Path(replica), all_visible=True, period_day=date(2026, 10, 20), actor="A1", now=NOW)
        out.put(("done", len(result.done), len(result.unchanged)))
    except OtError as exc:
        out.put(("refused", type(exc).__name__, exc.message))


def test_two_admins_approving_the_same_week_at_once(
    request: pytest.FixtureRequest, pg_url: str, tmp_path: Path
) -> None:
    demo = tmp_path / "demo.db"
    shutil.copy(request.getfixturevalue("_demo_ledger_master"), demo)
    conn = sqlite3.connect(demo)  # (under --ledger-backend=postgresql the master is a replica of its own database)
    conn.execute("DELETE FROM meta WHERE name = ?", (remote.REMOTE_META,))
    conn.commit()
    conn.close()
    with _open(pg_url, demo):
        pass  # the demo moves into the database
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    keys = os.environ["OT_KEYS"]
    procs = [ctx.Process(target=_approve, args=(pg_url, str(tmp_path / f"m{i}.db"), keys, out)) for i in (1, 2)]
    for p in procs:
        p.start()
    results = sorted(out.get(timeout=180) for _ in procs)
    for p in procs:
        p.join(60)
    did = [r for r in results if r[0] == "done" and r[1] > 0]
    assert len(did) == 1, results  # one approved the week
    other = next(r for r in results if r is not did[0])
    # the other saw it done (nothing left to approve), or was told to try again
    assert (other[0] == "done" and other[1] == 0 and other[2] == did[0][1]) or other[1] == "LedgerBusy", results
    _chain_ok(pg_url, tmp_path / "m1.db")


def _pay(url: str, replica: str, keys: str, out: Any) -> None:
    os.environ["OT_KEYS"] = keys
    from ot.services.payrun import run_payroll

    remote.bind(url, Path(replica))
    try:
        result = run_payroll(Path(replica), period_day=date(2026, 10, 20), partial=True, actor="A1", now=NOW, jobs=1)
        out.put(("paid", result.run_id, len(result.workers), len(result.already_paid)))
    except OtError as exc:
        out.put(("refused", type(exc).__name__, exc.message))


def test_two_machines_running_the_same_pay_run_at_once_pay_each_worker_once(
    request: pytest.FixtureRequest, pg_url: str, tmp_path: Path
) -> None:
    """Issue 15: two admins start the same pay run from two machines: appends are serialised by the
    database's advisory lock, so one run pays the period and the other finds it paid (or is told to
    try again); every worker is paid once, and the money of the ledger checks out."""
    from ot.services.approvals import approve_timecards
    from ot.services.ledger import verify as service_verify

    demo = tmp_path / "demo.db"
    shutil.copy(request.getfixturevalue("_demo_ledger_master"), demo)
    conn = sqlite3.connect(demo)
    conn.execute("DELETE FROM meta WHERE name = ?", (remote.REMOTE_META,))
    conn.commit()
    conn.close()
    remote.bind(pg_url, demo)
    from ot.services.approvals import approve_shifts

    approve_shifts(demo, all_visible=True, period_day=date(2026, 10, 20), actor="A1", now=NOW)
    approve_timecards(demo, period_day=date(2026, 10, 20), actor="A1", now=NOW)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    keys = os.environ["OT_KEYS"]
    procs = [ctx.Process(target=_pay, args=(pg_url, str(tmp_path / f"m{i}.db"), keys, out)) for i in (1, 2)]
    for p in procs:
        p.start()
    results = sorted(out.get(timeout=300) for _ in procs)
    for p in procs:
        p.join(60)
    paid = [r for r in results if r[0] == "paid" and r[2] > 0]
    assert len(paid) == 1, results
    other = next(r for r in results if r is not paid[0])
    assert other[0] == "refused" or (other[2] == 0 and other[3] == paid[0][2]), results
    with _open(pg_url, tmp_path / "m1.db") as led:
        rows = led.connection.execute("SELECT worker_id, COUNT(*) FROM payments GROUP BY worker_id").fetchall()
    assert rows
    assert {n for _, n in rows} == {1}  # each worker paid once
    report = service_verify(tmp_path / "m2.db", full=True)
    assert report.ok, report.problems


# --- the command line ---


def test_the_cli_takes_a_url_as_ledger_and_ot_ledger(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OT_REPLICA", str(tmp_path / "replica.db"))
    monkeypatch.delenv("OT_LEDGER", raising=False)
    runner = CliRunner()
    csv = tmp_path / "loc.csv"
    csv.write_text("location_id,name,state,timezone\nLA,Plant,CA,America/Los_Angeles\n")
    result = runner.invoke(main, ["--ledger", pg_url, "--as", "ana", "import", "locations", str(csv)])
    assert result.exit_code == 0, result.stderr
    monkeypatch.setenv("OT_LEDGER", pg_url)
    result = runner.invoke(main, ["ledger", "verify"])
    assert result.exit_code == 0, result.stderr
    assert "location.added" in [r[4] for r in _pg_rows(pg_url)]


def test_the_sqlite_path_never_imports_psycopg(tmp_path: Path) -> None:
    code = (
        "import sys; from ledger.store import Ledger; import ot.cli; "
        f"Ledger.open({str(tmp_path / 'l.db')!r}).close(); print('psycopg' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_url_given_to_the_cli_has_its_replica_made_at_once(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ot.cli.app import ledger_location
    from ot.services.browse import ledger_head

    _ledger(pg_url, tmp_path / "a.db")
    monkeypatch.setenv("OT_REPLICA", str(tmp_path / "b.db"))
    path = ledger_location(pg_url)
    assert path == tmp_path / "b.db"
    assert path.exists()  # the TUI's first screen looks for the file
    assert ledger_head(path) == 3


def test_idle_connections_kept_are_few_whatever_the_number_of_databases(pg_server: Any, tmp_path: Path) -> None:
    urls = [pg_server.create_database("pool_" + os.urandom(4).hex()) for _ in range(remote.POOL_SIZE + 3)]
    for i, url in enumerate(urls):
        _ledger(url, tmp_path / f"r{i}.db", punches=1)
    assert len(remote._POOL) <= remote.POOL_SIZE
    with _open(urls[-1], tmp_path / f"r{len(urls) - 1}.db") as led:  # a kept one is reused
        assert led.count() == 1
