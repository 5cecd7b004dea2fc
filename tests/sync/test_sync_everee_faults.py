"""The everee target when Everee answers badly, one reviewer's finding each, against the fake server on
127.0.0.1: a create is never sent twice in a sync, a call with no clear answer is looked up by the
next sync once it can no longer be landing (on the dates of the attempt too), a 2xx is a success
only when it says so, two copies at Everee are an Error, contractors are not sent, and a dead server
is given up on after three calls."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fake_everee import FakeEveree
from sync_helpers import company, day8, ot, write_config
from test_sync_everee import Clock, everee_config, methods, statuses, tsync

from ot.services.sync import run_sync, sync_report
from ot.services.uow import unit_of_work
from ot.sync import everee as everee_module
from ot.sync import outbox
from tests.pg_server import on_postgresql


@pytest.fixture
def everee() -> Iterator[FakeEveree]:
    fake = FakeEveree().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def setup(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, everee: FakeEveree, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """The company, the everee target (timeout 0.4 s: a look-up waits 3 x 0.4 + 5 = 6.2 s after a call
    with no clear answer), and two approved shifts of W1 (Mon and Tue 2026-10-12/13)."""
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "tok-123")
    company(cli, tmp_path)
    write_config(ledger_path, everee_config(everee.url, retries=1))
    sids = [day8(cli, "W1", "2026-10-12"), day8(cli, "W1", "2026-10-13")]
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    return sids


def notes(everee: FakeEveree) -> list[str]:
    return sorted(s["note"] for s in everee.shifts.values())


def posts_of(everee: FakeEveree, sid: str) -> int:
    return sum(1 for m, _p, _q, b in everee.calls if m == "POST" and str(b["note"]).startswith(f"ot:everee:{sid} "))


# --- 1. a 500 after the server committed ----------------------------------------------------------


def test_commit_then_500_is_not_created_twice(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """The server saves the shift, then answers 500: the sync does not POST it again (it used to, and
    Everee held two copies); the next sync looks it up, finds the copy, updates it: one copy, Sent."""
    everee.faults = [("POST", "commit_then_500")]
    clock = Clock()
    tsync(ledger_path, clock)
    assert posts_of(everee, setup[0]) == 1
    assert len(everee.shifts) == 2
    assert statuses(cli)[setup[0]]["status"] == "Send"
    clock.advance(60)
    tsync(ledger_path, clock)
    assert posts_of(everee, setup[0]) == 1
    assert methods(everee)[2:] == ["GET", "PUT"]
    assert len(everee.shifts) == 2
    assert {r["status"] for r in statuses(cli).values()} == {"Sent"}


def test_two_copies_at_everee_are_an_error_and_nothing_is_sent_to_either(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """A look-up that finds two shifts carrying the external id reports Error (what to do: delete one
    at Everee), and sends nothing to either; `ot sync` leaves it; once one is deleted there, `ot sync
    send` looks it up again and updates the one left."""
    everee.faults = [("POST", "commit_then_500")]
    clock = Clock()
    tsync(ledger_path, clock)
    [copy] = [s for s in everee.shifts.values() if s["note"].startswith(f"ot:everee:{setup[0]} ")]
    everee.shifts[9999] = {**copy, "workedShiftId": 9999}  # a second copy (made by anything)
    clock.advance(60)
    run = tsync(ledger_path, clock)
    [line] = run.lines
    assert line.result == "error"
    assert line.message == (
        f"2 copies of shift {setup[0]} are at everee (worked shifts {copy['workedShiftId']}, 9999): "
        "its hours would be paid more than once"
    )
    assert "delete all but one of them in Everee" in line.what_to_do
    assert f"`ot sync send {setup[0]}`" in line.what_to_do
    assert "PUT" not in methods(everee)
    assert statuses(cli)[setup[0]]["status"] == "Error"
    before = len(everee.calls)
    clock.advance(60)
    tsync(ledger_path, clock)
    assert everee.calls[before:] == []  # an Error waits for a person
    del everee.shifts[9999]
    clock.advance(60)
    run = tsync(ledger_path, clock, only=setup[0])
    assert [ln.result for ln in run.lines] == ["sent"]
    assert methods(everee)[-2:] == ["GET", "PUT"]
    assert posts_of(everee, setup[0]) == 1
    assert len(everee.shifts) == 2


def test_a_shift_deleted_in_the_ledger_with_two_copies_at_everee_deletes_both(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """Two copies found (Error), then the shift is deleted in the ledger: the sync looks it up and deletes
    every copy (the goal is none at Everee)."""
    everee.faults = [("POST", "commit_then_500")]
    clock = Clock()
    tsync(ledger_path, clock)
    [copy] = [s for s in everee.shifts.values() if s["note"].startswith(f"ot:everee:{setup[0]} ")]
    everee.shifts[9999] = {**copy, "workedShiftId": 9999}
    clock.advance(60)
    tsync(ledger_path, clock)
    ot(cli, "shift", "delete", setup[0], "--reason", "entered twice")
    clock.advance(60)
    tsync(ledger_path, clock)
    assert [s["note"].split()[0] for s in everee.shifts.values()] == [f"ot:everee:{setup[1]}"]
    assert setup[0] not in statuses(cli)


# --- 2. a timeout while the server is slow to commit ---------------------------------------------


def test_slow_commit_is_not_created_twice(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree, request: pytest.FixtureRequest
) -> None:
    """The server saves the shift 3 s after the request; the client gives up after 0.4 s. The sync does
    not look it up or POST it again; a sync 1 s later does nothing about it and says from when it can
    be looked up; a sync after that finds the copy (saved meanwhile) and updates it. (On PostgreSQL, the
    sync 1 s later first waits for calls in flight, as a sync under a lock it could lose does, and then
    finds the copy.)"""
    clock = Clock()
    everee.clock = clock.seconds
    everee.faults = [("POST", "slow_commit")]
    everee.slow = 0.6
    tsync(ledger_path, clock)
    assert methods(everee) == ["POST", "POST"]
    assert len(everee.pending) == 1
    clock.advance(1)
    run = tsync(ledger_path, clock)
    if on_postgresql(request.config):
        # The wait counts real time from the lock, this test's clock only what it is told: the sync
        # after it may find the look-up time reached or not; the next one finishes either way.
        assert len(clock.slept) == 1
        assert 0 < clock.slept[0] <= 6.2
    else:
        assert methods(everee) == ["POST", "POST"]  # not looked up: the call may still be landing
        [line] = run.lines
        assert line.result == "send"
        assert line.message.startswith("not sent yet: the last call about it got no clear answer, and everee may")
        assert "until 2026-11-02 12:00:07 UTC" in line.message
        assert line.what_to_do.startswith("run `ot sync` again after 2026-11-02 12:00:07 UTC")
    clock.advance(10)  # the slow save has landed (3 s); the look-up may be trusted (6.2 s)
    tsync(ledger_path, clock)
    assert methods(everee)[2:] == ["GET", "PUT"]
    assert posts_of(everee, setup[0]) == 1
    assert len(everee.shifts) == 2
    assert {r["status"] for r in statuses(cli).values()} == {"Sent"}


def test_the_lookup_time_is_when_the_attempt_started(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """The instant from which the shift may be looked up is recorded with the failure: the attempt's
    start on the sync's clock, plus 3 x the timeout and 5 s (rounded up to the second)."""
    clock = Clock()
    clock.advance(0.25)
    everee.faults = [("POST", "500")]
    tsync(ledger_path, clock)
    with unit_of_work(ledger_path) as uow:
        sync = outbox.read_state(uow.ledger.connection, [setup[0]]).of("everee", setup[0])
        assert sync is not None
        left = outbox.pending(uow.ledger.connection, sync)
    assert left.unknown
    assert left.lookup_after is not None
    assert left.lookup_after.isoformat() == "2026-11-02T12:00:07+00:00"  # 12:00:00.25 + 6.2 s, up
    assert [d.isoformat() for d in left.days] == ["2026-10-12"]


# --- 3. a sync killed mid-send, then the shift's date edited ------------------------------------


class Killed(BaseException):
    """What a kill -9 does to a sync: nothing after it runs (no outcome recorded)."""


@contextmanager
def killed_after_first_post() -> Iterator[None]:
    """The sync dies right after the server answered its first create (the change made, nothing recorded)."""
    once = everee_module.EvereeClient._once

    def dying(self: everee_module.EvereeClient, method: str, url: str, **kw: Any) -> Any:
        answer = once(self, method, url, **kw)
        if method == "POST":
            raise Killed
        return answer

    everee_module.EvereeClient._once = dying  # type: ignore[method-assign]
    try:
        yield
    finally:
        everee_module.EvereeClient._once = once  # type: ignore[method-assign]


def test_killed_then_date_edited_finds_the_copy_on_the_old_date(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """Killed after Everee saved Monday's shift; the shift is then moved to Thursday and approved. The
    next sync looks the shift up on Thursday and on Monday (the date its open attempt sent), finds
    the copy, and moves it: one copy (a look-up of Thursday only used to miss it and POST again).
    It first waits for a call of the killed sync still in flight (3 x 0.4 s + 5 s)."""
    clock = Clock()
    with killed_after_first_post(), pytest.raises(Killed):
        tsync(ledger_path, clock)
    assert len(everee.shifts) == 1
    ot(cli, "shift", "edit", setup[0], "--start", "2026-10-15T08:00", "--end", "16:00", "--reason", "wrong day")
    ot(cli, "approve", "shifts", "--shift", setup[0])
    clock.advance(1)
    run = tsync(ledger_path, clock)
    assert len(clock.slept) == 1
    assert 6 < clock.slept[0] <= 6.2
    assert sorted(ln.result for ln in run.lines) == ["sent", "sent"]
    assert posts_of(everee, setup[0]) == 1
    # Monday's shift, now Thursday: one list from Sunday to Friday; Tuesday's (never sent): around Tuesday.
    gets = [(q["start-date"], q["end-date"]) for m, _p, q, _b in everee.calls if m == "GET"]
    assert sorted(gets) == [("2026-10-11", "2026-10-16"), ("2026-10-12", "2026-10-14")]
    assert len(everee.shifts) == 2
    [moved] = [s for s in everee.shifts.values() if s["note"].startswith(f"ot:everee:{setup[0]} ")]
    assert moved["shiftStartEpochSeconds"] == int(datetime(2026, 10, 15, 15, 0, tzinfo=UTC).timestamp())
    assert {r["status"] for r in statuses(cli).values()} == {"Sent"}


def test_lookup_dates_far_apart_are_two_lists(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """Killed after Monday's create; the shift moved three weeks on: two look-ups, one around each date."""
    clock = Clock()
    with killed_after_first_post(), pytest.raises(Killed):
        tsync(ledger_path, clock)
    ot(cli, "shift", "edit", setup[0], "--start", "2026-11-02T08:00", "--end", "16:00", "--reason", "wrong day")
    ot(cli, "approve", "shifts", "--shift", setup[0])
    clock.advance(60)
    tsync(ledger_path, clock, only=setup[0])
    gets = [(q["start-date"], q["end-date"]) for m, _p, q, _b in everee.calls if m == "GET"]
    assert gets == [("2026-10-11", "2026-10-13"), ("2026-11-01", "2026-11-03")]
    assert posts_of(everee, setup[0]) == 1
    assert len(everee.shifts) == 1


# --- 4. and 5. a 2xx that is not a success ---------------------------------------------------------


def test_200_with_a_body_that_is_not_json(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """A 200 whose body is not JSON (a proxy's page) after the server saved the shift: no traceback; the
    outcome is unknown, said plainly, and the next sync looks it up and adopts the copy."""
    everee.faults = [("POST", "garbage")]
    clock = Clock()
    run = tsync(ledger_path, clock)
    line = next(ln for ln in run.lines if ln.shift_id == setup[0])
    assert line.result == "send"
    assert line.message.startswith(f"everee gave no clear answer to the create of shift {setup[0]} (answered 200 ")
    assert "not JSON" in line.message
    assert "502 Bad Gateway" in line.message
    clock.advance(60)
    tsync(ledger_path, clock)
    assert posts_of(everee, setup[0]) == 1
    assert len(everee.shifts) == 2
    assert {r["status"] for r in statuses(cli).values()} == {"Sent"}


def test_200_with_an_error_on_a_create_is_an_error_with_the_servers_message(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """``{"error": "externalWorkerId unknown"}`` with a 200: an Error saying so, with what to do (it used
    to say "the answer has no workedShiftId ... after retries"); not sent again by `ot sync`. Sent by
    hand once the cause is fixed, it is looked up first (a 2xx said it failed: not quite a refusal)."""
    everee.faults = [("POST", "err200")]
    clock = Clock()
    tsync(ledger_path, clock)
    row = statuses(cli)[setup[0]]
    assert row["status"] == "Error"
    assert row["detail"] == "worker W1 is not known to the payroll target"
    assert "add them there" in str(row["what_to_do"])
    before = len(everee.calls)
    clock.advance(60)
    tsync(ledger_path, clock)
    assert everee.calls[before:] == []
    assert len(everee.shifts) == 1
    tsync(ledger_path, clock, only=setup[0])
    assert methods(everee)[before:] == ["GET", "POST"]
    assert len(everee.shifts) == 2
    assert statuses(cli)[setup[0]]["status"] == "Sent"


def test_200_with_an_error_on_an_update_is_not_sent(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """A PUT answered 200 with an error body changed nothing: an Error carrying the server's words, never Sent."""
    clock = Clock()
    tsync(ledger_path, clock)
    before = notes(everee)
    ot(cli, "shift", "edit", setup[0], "--end", "17:00", "--reason", "stayed late")
    ot(cli, "approve", "shifts", "--shift", setup[0])
    everee.faults = [("PUT", "err200")]
    clock.advance(60)
    run = tsync(ledger_path, clock)
    [line] = run.lines
    assert line.result == "error"
    assert notes(everee) == before
    assert statuses(cli)[setup[0]]["status"] == "Error"


def test_200_with_an_error_on_a_lookup_is_never_read_as_no_copy(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """A look-up answered with an error, or with a body that is not a list of shifts, does not mean that
    nothing is there: nothing is created in that sync."""
    everee.faults = [("POST", "commit_then_500")]
    clock = Clock()
    tsync(ledger_path, clock)
    for fault in ("err200", "garbage", "noid"):
        everee.faults = [("GET", fault)] * 2  # the first try and the retry
        clock.advance(60)
        tsync(ledger_path, clock, only=setup[0])
        assert posts_of(everee, setup[0]) == 1, fault
        assert statuses(cli)[setup[0]]["status"] in ("Send", "Error")
    everee.faults = []
    clock.advance(60)
    tsync(ledger_path, clock, only=setup[0])
    assert posts_of(everee, setup[0]) == 1
    assert len(everee.shifts) == 2
    assert statuses(cli)[setup[0]]["status"] == "Sent"


def test_a_create_answered_without_an_id_is_an_error_looked_up_by_a_manual_send(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """A 200 with no workedShiftId: it may have been saved. An Error (not retried by `ot sync`); `ot sync
    send` looks the shift up first and adopts the copy."""
    everee.faults = [("POST", "noid")]
    clock = Clock()
    tsync(ledger_path, clock)
    row = statuses(cli)[setup[0]]
    assert row["status"] == "Error"
    assert str(row["detail"]).startswith(f"everee answered the create of shift {setup[0]} without a workedShiftId")
    assert f"`ot sync send {setup[0]}`" in str(row["what_to_do"])
    clock.advance(60)
    tsync(ledger_path, clock)
    assert posts_of(everee, setup[0]) == 1
    tsync(ledger_path, clock, only=setup[0])
    assert posts_of(everee, setup[0]) == 1
    assert len(everee.shifts) == 2
    assert statuses(cli)[setup[0]]["status"] == "Sent"


# --- 6. contractors ----------------------------------------------------------------------------------


def test_contractors_are_not_sent_and_not_an_error(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """Everee's worked shifts are W-2 employees' hours: a 1099 contractor's shift is not sent, is no
    Error, is not listed under everee in the report, and the run says so once; sent by hand, it is
    refused with why (nothing recorded)."""
    c = day8(cli, "C1", "2026-10-12")
    ot(cli, "approve", "shifts", "--shift", c)
    out = ot(cli, "sync")
    assert c not in out.stdout
    assert (
        "everee: not sent: contractor (1099) hours are not worked shifts (C1); pay contractors outside everee"
        in out.stderr
    )
    assert not any(str(b["externalWorkerId"]) == "C1" for m, _p, _q, b in everee.calls if m == "POST")
    rows = statuses(cli)
    assert c not in rows
    assert {r["status"] for r in rows.values()} == {"Sent"}
    report = ot(cli, "sync", "report").stdout
    assert "needs attention" not in report
    before = len(everee.calls)
    run = run_sync(ledger_path, actor="A1", now=Clock().t, only=c)
    [line] = run.lines
    assert (line.result, line.message) == (
        "error",
        "not sent: C1 is a 1099 contractor, and contractor hours are not worked shifts at everee",
    )
    assert everee.calls[before:] == []


# --- 7. a dead server ----------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_dead_server_is_given_up_on_after_three_calls(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """Nothing listens: after three calls in a row with no answer the sync calls no more; the shifts it
    did not try are "not sent" (no attempt left open: the next sync does not look them up)."""
    more = [day8(cli, "W1", d) for d in ("2026-10-14", "2026-10-15", "2026-10-16", "2026-10-19")]
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    write_config(ledger_path, everee_config(f"http://127.0.0.1:{_closed_port()}", retries=3))
    clock = Clock()
    began = time.monotonic()
    run = tsync(ledger_path, clock)
    assert time.monotonic() - began < 10
    assert clock.slept == [0.5, 1.0]  # the first shift's two retries, then no more calls
    assert [ln.result for ln in run.lines] == ["send"] * 6
    assert sum(1 for ln in run.lines if ln.message.startswith("not sent: cannot reach")) == 1
    given_up = [ln for ln in run.lines if ln.message == "not sent: everee did not answer (3 times in a row)"]
    assert len(given_up) == 5
    assert given_up[0].what_to_do == "run `ot sync` again when everee is up"
    write_config(ledger_path, everee_config(everee.url, retries=3))
    clock.advance(1)
    run = tsync(ledger_path, clock)
    assert sorted(ln.result for ln in run.lines) == ["sent"] * 6
    assert "GET" not in methods(everee)  # nothing of them was sent: nothing to look up
    assert methods(everee).count("POST") == 6
    assert {r.status for w in sync_report(ledger_path, now=clock.t) for r in w.rows} == {"Sent"}
    assert sorted(f"ot:everee:{sid}" for sid in [*setup, *more]) == sorted(n.split()[0] for n in notes(everee))


def test_a_server_that_never_answers_is_given_up_on_after_three_timeouts(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """Creates that time out (the server saves them, too late to answer): three in a row, then no more
    calls; the next sync looks up the three it sent and creates the rest once."""
    more = [day8(cli, "W1", d) for d in ("2026-10-14", "2026-10-15")]
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    everee.faults = [("POST", "commit_then_hang")] * 3
    everee.slow = 0.6
    clock = Clock()
    run = tsync(ledger_path, clock)
    assert methods(everee) == ["POST"] * 3
    assert sum(1 for ln in run.lines if "did not answer (3 times in a row)" in ln.message) == 1
    clock.advance(60)
    tsync(ledger_path, clock)
    assert methods(everee).count("GET") == 3
    assert methods(everee).count("POST") == 4
    assert len(everee.shifts) == 4
    assert sorted(n.split()[0] for n in notes(everee)) == sorted(f"ot:everee:{sid}" for sid in [*setup, *more])
