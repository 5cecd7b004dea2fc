"""Issue 15: ``ot ledger verify`` from the last verified checkpoint, ``--full`` for everything.

The checkpoint (``<ledger>.verified``) is kept under an HMAC with a key of the user's keys folder;
what the incremental verify does not re-read (the events before the checkpoint) ``--full`` does."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_summary_costs import ANCHOR, _generated

from ledger.store import Ledger
from ot.cli import main
from ot.core.errors import OtError
from ot.services import ledger as ledger_service
from ot.services.approvals import approve_shifts, approve_timecards
from ot.services.payrun import run_payroll
from ot.services.verify_checkpoint import checkpoint_paths
from tests.pg_server import on_postgresql

START = ANCHOR + timedelta(days=14 * 3)  # the period left open by _generated
WHEN = datetime.combine(START + timedelta(days=15), datetime.min.time(), UTC)


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generated(tmp_path_factory.mktemp("verify-master"))


@pytest.fixture
def ledger(master: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    shutil.copy(master, path)
    checked = master.with_name(master.name + ".checked")
    if checked.exists():
        shutil.copy(checked, path.with_name(path.name + ".checked"))
    return path


def _pay_the_open_period(path: Path) -> None:
    """Events after the checkpoint: approvals, a pay run (priced payments), its seal."""
    approve_shifts(path, all_visible=True, period_day=START, actor="A1", now=WHEN)
    approve_timecards(path, period_day=START, actor="A1", now=WHEN)
    run_payroll(path, period_day=START, partial=True, actor="A1", now=WHEN)


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS events_no_update")
    return conn


def _edit(path: Path, sql: str, params: tuple[object, ...] = ()) -> None:
    """One statement on the ledger file behind ot's back (an edit the append-only triggers would refuse)."""
    conn = _raw(path)
    conn.execute(sql, params)
    conn.close()


def _seq_of(path: Path, kind: str, *, after: int = 0, before: int = 10**9) -> int:
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT seq FROM events WHERE kind = ? AND seq > ? AND seq < ? ORDER BY seq LIMIT 1", (kind, after, before)
        ).fetchone()
    conn.close()
    return int(row[0])


def test_first_verify_is_full_and_keeps_a_checkpoint_the_next_starts_from(ledger: Path) -> None:
    first = ledger_service.verify(ledger)
    assert first.ok, first.problems
    assert (first.started, first.notes) == (0, ("verified everything, from the first event",))
    assert all(p.exists() for p in checkpoint_paths(ledger))
    head = first.last_seq
    _pay_the_open_period(ledger)
    second = ledger_service.verify(ledger)
    assert second.ok, second.problems
    assert second.started == head
    assert second.events == second.last_seq - head > 0  # only the events after the checkpoint were read
    assert second.notes[0].startswith(f"verified from checkpoint at seq {head} (")
    assert second.notes[0].endswith("--full checks everything")
    full = ledger_service.verify(ledger, full=True)
    assert (full.ok, full.started, full.events) == (True, 0, second.last_seq)


def test_cli_says_which_it_did(ledger: Path, cli: CliRunner) -> None:
    run = cli.invoke(main, ["--ledger", str(ledger), "ledger", "verify"])
    assert run.exit_code == 0
    assert "verified everything, from the first event" in run.stderr
    run = cli.invoke(main, ["--ledger", str(ledger), "ledger", "verify"])
    assert "verified from checkpoint at seq" in run.stderr
    assert "; --full checks everything" in run.stderr
    run = cli.invoke(main, ["--ledger", str(ledger), "ledger", "verify", "--full"])
    assert "verified everything, from the first event" in run.stderr


def test_an_event_tampered_after_the_checkpoint_is_caught_incrementally(ledger: Path) -> None:
    head = ledger_service.verify(ledger).last_seq
    _pay_the_open_period(ledger)
    paid = _seq_of(ledger, "payrun.worker_paid", after=head)
    _edit(ledger, 'UPDATE events SET payload = replace(payload, \'"gross":"\', \'"gross":"1\') WHERE seq = ?', (paid,))
    report = ledger_service.verify(ledger)
    assert report.started == head
    assert not report.ok
    assert report.first_bad_seq == paid
    assert any(f"event {paid}" in p and "hash does not match" in p for p in report.problems), report.problems


def test_a_table_edited_after_the_checkpoint_is_caught_incrementally(ledger: Path) -> None:
    ledger_service.verify(ledger)
    _edit(ledger, "UPDATE paid_ranges SET paid_through = '2030-01-01' WHERE worker_id = 'W2'")
    report = ledger_service.verify(ledger)
    assert report.started > 0
    assert not report.ok
    assert any("derived table paid_ranges differs" in p for p in report.problems), report.problems


def test_an_old_row_edited_after_the_checkpoint_is_caught_incrementally(ledger: Path) -> None:
    """The tables are compared in SQL, every row of them: a row the events before the checkpoint made (a week
    paid long ago) edited since is caught without reading those events again."""
    ledger_service.verify(ledger)
    _pay_the_open_period(ledger)
    conn = _raw(ledger)
    (old,) = conn.execute("SELECT MIN(week_start) FROM paid_weeks WHERE worker_id = 'W1'").fetchone()
    conn.execute(
        'UPDATE paid_weeks SET lines = replace(lines, \'"amount":"\', \'"amount":"1\') '
        "WHERE worker_id = 'W1' AND week_start = ?",
        (old,),
    )
    conn.close()
    report = ledger_service.verify(ledger)
    assert report.started > 0
    assert not report.ok
    assert any(
        p.startswith(f"derived table paid_weeks differs from the events (first at 'W1': has ('W1', '{old}',")
        and p.endswith("run `ot ledger rebuild`")
        for p in report.problems
    ), report.problems


def test_a_table_reshaped_after_the_checkpoint_is_said_apart(ledger: Path) -> None:
    ledger_service.verify(ledger)
    _edit(ledger, "ALTER TABLE payruns ADD COLUMN approved_by TEXT")
    report = ledger_service.verify(ledger)
    assert report.started > 0
    assert not report.ok
    assert any(
        p.startswith("derived table payruns does not have the columns the events are folded into (has run_id, ")
        and "approved_by; expected run_id, " in p
        and p.endswith("the file was changed outside ot; restore it from a backup")
        for p in report.problems
    ), report.problems


def test_an_event_tampered_before_the_checkpoint_needs_full(ledger: Path) -> None:
    """Incremental verify does not re-read what it verified before (its note says so); --full does."""
    ledger_service.verify(ledger)
    rate = _seq_of(ledger, "worker.added")
    _edit(ledger, 'UPDATE events SET payload = replace(payload, \'"name":"\', \'"name":"X\') WHERE seq = ?', (rate,))
    incremental = ledger_service.verify(ledger)
    assert incremental.ok
    assert incremental.started > rate
    assert "are not read again; --full checks everything" in incremental.notes[0]
    full = ledger_service.verify(ledger, full=True)
    assert not full.ok
    assert full.first_bad_seq == rate


def test_the_checkpointed_event_itself_edited_is_caught(ledger: Path) -> None:
    head = ledger_service.verify(ledger).last_seq
    _edit(ledger, "UPDATE events SET payload = replace(payload, '\"', '\"') || ' ' WHERE seq = ?", (head,))
    report = ledger_service.verify(ledger)
    assert not report.ok
    assert report.first_bad_seq == head
    assert any("not the event the last verify checkpointed" in p for p in report.problems), report.problems


def test_a_forged_checkpoint_is_refused_and_verify_runs_in_full(ledger: Path) -> None:
    """A forger who edits an old event and the checkpoint's tables to match cannot make the MAC."""
    ledger_service.verify(ledger)
    file, _mac = checkpoint_paths(ledger)
    forged = sqlite3.connect(file)
    forged.execute("UPDATE workers SET name = 'Somebody' WHERE worker_id = 'W2'")
    forged.commit()
    forged.close()
    report = ledger_service.verify(ledger)
    assert report.ok  # the ledger itself is sound
    assert report.started == 0
    assert report.notes == (
        "warning: the verify checkpoint was refused: its MAC does not match (made by another user, or edited); "
        "verified everything instead",
        "verified everything, from the first event",
    )
    assert ledger_service.verify(ledger).started > 0  # the full verify kept a sound one again


def test_a_checkpoint_of_another_user_is_refused(ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger_service.verify(ledger)
    monkeypatch.setenv("OT_KEYS", str(tmp_path / "someone-elses-keys"))
    report = ledger_service.verify(ledger)
    assert report.ok
    assert report.started == 0
    assert "there is no verify key in your keys folder" in report.notes[0]


def test_a_checkpoint_past_a_truncated_ledger_is_refused(ledger: Path, request: pytest.FixtureRequest) -> None:
    ledger_service.verify(ledger)
    _pay_the_open_period(ledger)
    ledger_service.verify(ledger)
    head = Ledger.open(ledger, create=False)
    seq = head.head()[0]
    head.close()
    conn = _raw(ledger)
    conn.execute("DROP TRIGGER IF EXISTS events_no_delete")
    conn.execute("DELETE FROM events WHERE seq = ?", (seq,))
    conn.execute("UPDATE meta SET value = ? WHERE name = 'head_seq'", (str(seq - 1),))
    conn.close()
    if on_postgresql(request.config):
        # The file is a replica there: the database still holds the event, so opening refuses the replica.
        with pytest.raises(OtError, match="does not match the ledger at postgresql://"):
            ledger_service.verify(ledger)
        return
    report = ledger_service.verify(ledger)
    assert not report.ok
    assert "past the ledger's last event" in report.notes[0]


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import ot.services.verify_checkpoint as vc
    real = os.replace
    calls = []
    def replace(a, b):
        calls.append(b)
        if len(calls) == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(a, b)
    vc.os.replace = replace
    from ot.services.ledger import verify
    verify(Path(sys.argv[1]))
    """
)


@pytest.mark.parametrize("kill_at", [1, 2])
def test_a_verify_killed_while_keeping_its_checkpoint_leaves_a_usable_ledger(
    ledger: Path, kill_at: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 before the checkpoint file is renamed into place, or between it and its MAC: the ledger is
    untouched, the next verify refuses the half-written pair (or uses the old one) and verifies in full,
    and removes the scratch folders the killed one left (its fold, its checkpoint being built)."""
    ledger_service.verify(ledger)
    _pay_the_open_period(ledger)
    temp = tmp_path / "temp"
    temp.mkdir()
    run = subprocess.run(
        [sys.executable, "-c", KILLER, str(ledger), str(kill_at)],
        capture_output=True,
        check=False,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    # What the killed verify left: its fold in the temporary folder, its checkpoint being built beside the ledger.
    assert list(temp.glob("ot-verify-*")), list(temp.iterdir())
    assert list(ledger.parent.glob(".ot-verified-*")), list(ledger.parent.iterdir())
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    report = ledger_service.verify(ledger)
    assert list(temp.iterdir()) == []
    assert list(ledger.parent.glob(".ot-verified-*")) == []
    assert report.ok, report.problems
    if kill_at == 2:  # the new file with the old MAC
        assert report.started == 0
        assert "MAC does not match" in report.notes[0]
    again = ledger_service.verify(ledger)
    assert again.ok
    assert again.started == report.last_seq
    approve_shifts(ledger, all_visible=True, period_day=START, actor="A1", now=WHEN)  # still writable


def test_a_verify_killed_at_random_moments_leaves_a_usable_ledger(ledger: Path) -> None:
    code = "import sys; from pathlib import Path; from ot.services.ledger import verify; verify(Path(sys.argv[1]))"
    for delay in (0.2, 0.6, 1.2, 2.0):
        proc = subprocess.Popen([sys.executable, "-c", code, str(ledger)])
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        report = ledger_service.verify(ledger)
        assert report.ok, (delay, report.problems)
