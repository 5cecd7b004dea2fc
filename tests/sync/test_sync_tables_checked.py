"""A sync trusts no table edited where the events say otherwise (a review).

Before it calls any target, ``ot sync`` (and ``--dry-run``) checks the derived tables it reads against
the events, as a pay run does (:func:`ot.services.trust.check_projections`, from the last kept check):
the step-1 approval rows of the shifts in scope, the outbox (``sync_shifts``), the roster and its rates.
An edited table is refused, naming the table and what to do, and nothing is written or sent. The Hours
Sync Report and ``ot approve status`` never show a forged approval as real.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_everee import FakeEveree
from sync_helpers import CSV_CONFIG, company, day8, ot, write_config
from test_sync_everee import everee_config

from ledger.approvals import shift_version
from ledger.store import Ledger
from ot.services.uow import unit_of_work

PERIOD = "2026-10-11_2026-10-24"
WHAT_TO_DO = "find who edited it (`ot ledger verify`), then run `ot ledger rebuild`"


def _head(path: Path) -> tuple[int, str]:
    with Ledger.open(path, create=False) as led:
        return led.count(), led.head()[1]


def _edit(path: Path, sql: str, *args: object) -> None:
    con = sqlite3.connect(path)
    con.execute(sql, args)
    con.commit()
    con.close()


def _forge_approval(path: Path, sid: str) -> None:
    """A ``shift_approvals`` row for a shift nobody approved, copied from a real row (sqlite3 on the file)."""
    with unit_of_work(path) as uow:
        shift = uow.find_shift(sid)
        assert shift is not None
        version = shift_version(shift)
    _edit(
        path,
        "INSERT INTO shift_approvals SELECT ?, worker_id, ?, ?, actor, at, voids, last_void, seq "
        "FROM shift_approvals LIMIT 1",
        sid,
        version,
        "2026-10-13",
    )


@pytest.fixture
def csv_company(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> tuple[str, str]:
    """W1 works Mon and Tue 2026-10-12/13; only Monday's shift is approved, and sent to the csv feed."""
    company(cli, tmp_path)
    write_config(ledger_path, CSV_CONFIG)
    monday, tuesday = day8(cli, "W1", "2026-10-12"), day8(cli, "W1", "2026-10-13")
    ot(cli, "approve", "shifts", "--shift", monday, user="M1")
    ot(cli, "sync")
    return monday, tuesday


def test_a_forged_approval_is_never_sent_nor_shown(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, csv_company: tuple[str, str]
) -> None:
    _monday, tuesday = csv_company
    feed = tmp_path / "feeds" / PERIOD / "timecards.csv"
    before_feed, before = feed.read_bytes(), _head(ledger_path)
    _forge_approval(ledger_path, tuesday)
    for args in (("sync",), ("sync", "--dry-run"), ("sync", "send", tuesday)):
        refused = ot(cli, *args, code=2).stderr
        assert f"table shift_approvals: shift {tuesday}" in refused
        assert "nothing was written or sent" in refused
        assert WHAT_TO_DO in refused
    assert feed.read_bytes() == before_feed
    assert _head(ledger_path) == before
    report = ot(cli, "sync", "report", "--all", code=2).stderr
    assert f"table shift_approvals: shift {tuesday}" in report
    status = ot(cli, "approve", "status", "--period", "2026-10-12", code=2).stderr
    assert f"table shift_approvals: shift {tuesday}" in status


def test_an_edited_rate_never_reaches_the_feed(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, csv_company: tuple[str, str]
) -> None:
    _monday, tuesday = csv_company
    ot(cli, "approve", "shifts", "--shift", tuesday, user="M1")
    feed = tmp_path / "feeds" / PERIOD / "timecards.csv"
    before_feed, before = feed.read_bytes(), _head(ledger_path)
    _edit(ledger_path, "UPDATE worker_rates SET rate = '99.00' WHERE worker_id = 'W1'")
    refused = ot(cli, "sync", code=2).stderr
    assert "table worker_rates: differs from the events" in refused
    assert WHAT_TO_DO in refused
    assert feed.read_bytes() == before_feed
    assert "99.00" not in feed.read_text()
    assert _head(ledger_path) == before


@pytest.fixture
def everee(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEveree]:
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "tok-123")
    fake = FakeEveree().start()
    try:
        yield fake
    finally:
        fake.stop()


def test_a_deleted_outbox_row_makes_no_second_copy_at_everee(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, everee: FakeEveree
) -> None:
    """Everee holds W1's shift; its ``sync_shifts`` row is deleted by hand. The next sync would have
    created a second copy (planned as a first create, not looked up): it is refused before any call."""
    company(cli, tmp_path)
    write_config(ledger_path, everee_config(everee.url))
    sid = day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--shift", sid, user="M1")
    ot(cli, "sync")
    assert len(everee.shifts) == 1
    calls, before = len(everee.log), _head(ledger_path)
    _edit(ledger_path, "DELETE FROM sync_shifts WHERE shift_id = ?", sid)
    refused = ot(cli, "sync", code=2).stderr
    assert "table sync_shifts: target everee shift M9: None, but the events make" in refused
    assert WHAT_TO_DO in refused
    assert len(everee.log) == calls
    assert len(everee.shifts) == 1
    assert _head(ledger_path) == before
    # Rebuilt from the events, the outbox knows Everee holds it: nothing to send.
    ot(cli, "ledger", "rebuild")
    assert "0 sent" in ot(cli, "sync").stderr
    assert len(everee.shifts) == 1


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE shift_approvals SET voids = voids + 1 WHERE shift_id = ?",
        'UPDATE shift_approvals SET last_void = \'{"cause": "edited", "seq": 1}\' WHERE shift_id = ?',
        "UPDATE shift_approvals SET day = '2026-10-20' WHERE shift_id = ?",
        "UPDATE shift_approvals SET actor = 'A1' WHERE shift_id = ?",
    ],
    ids=["voids", "last_void", "day", "actor"],
)
def test_any_edited_column_of_an_approval_row_is_refused(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, csv_company: tuple[str, str], sql: str
) -> None:
    """Every column of a sent shift's approval row is checked, not only the event it names: the void
    count is part of the key the target knows a shift's version by, so one added by hand made the sync
    call a shift sent already 'Send' again (a second copy at a target that creates by key)."""
    monday, _tuesday = csv_company
    feed = tmp_path / "feeds" / PERIOD / "timecards.csv"
    before_feed, before = feed.read_bytes(), _head(ledger_path)
    _edit(ledger_path, sql, monday)
    for args in (("sync",), ("sync", "--dry-run"), ("sync", "report", "--all")):
        refused = ot(cli, *args, code=2).stderr
        assert f"table shift_approvals: shift {monday}" in refused, refused
        assert WHAT_TO_DO in refused
    assert feed.read_bytes() == before_feed
    assert _head(ledger_path) == before


def test_a_deleted_approval_row_of_a_voided_shift_is_refused(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, csv_company: tuple[str, str]
) -> None:
    """A shift approved, voided and approved again (its key counts the void) loses its row by hand:
    read as never approved nor voided, its key would change. Refused, naming the shift."""
    monday, _tuesday = csv_company
    ot(cli, "unapprove", "shifts", "--shift", monday, "--reason", "check the start", user="M1")
    ot(cli, "approve", "shifts", "--shift", monday, user="M1")
    ot(cli, "sync")
    before = _head(ledger_path)
    _edit(ledger_path, "DELETE FROM shift_approvals WHERE shift_id = ?", monday)
    refused = ot(cli, "sync", code=2).stderr
    assert f"table shift_approvals: shift {monday}" in refused, refused
    assert _head(ledger_path) == before
    ot(cli, "ledger", "rebuild")
    assert "0 sent" in ot(cli, "sync").stderr


def test_a_pay_run_refuses_a_deleted_approval_row_rather_than_leaving_the_worker_out(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """A review (a PostgreSQL replica's table edited): with W1's shift approval row deleted by hand, the
    pay run left W1 out ('not approved (step 1): run ot approve shifts') though the events approve it,
    and paid the others with --partial. It now refuses the run as an edited table, writing nothing."""
    company(cli, tmp_path)
    sid = day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--shift", sid, user="M1")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    before = _head(ledger_path)
    _edit(ledger_path, "DELETE FROM shift_approvals WHERE shift_id = ?", sid)
    for args in (("payrun", "--period", "2026-10-12"), ("payrun", "--period", "2026-10-12", "--partial")):
        refused = ot(cli, *args, code=2).stderr
        assert f"table shift_approvals: shift {sid}: no row, but the events make one" in refused, refused
        assert "nothing was written" in refused
    assert _head(ledger_path) == before
    ot(cli, "ledger", "rebuild")
    assert "pay run" in ot(cli, "payrun", "--period", "2026-10-12").stdout
