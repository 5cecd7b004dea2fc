"""The everee target against a fake Everee server on 127.0.0.1: shapes, errors, faults, the report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_everee import FakeEveree
from sync_helpers import company, day8, events, ot, write_config

from ot.services.sync import SyncRun, run_sync
from tests.pg_server import on_postgresql

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def everee() -> Iterator[FakeEveree]:
    """The fake server, started for the test and stopped after it."""
    fake = FakeEveree().start()
    try:
        yield fake
    finally:
        fake.stop()


def everee_config(url: str, *, correction: bool = False, retries: int = 2) -> str:
    return f"""
[targets.everee]
kind = "everee"
base_url = "{url}"
tenant_id = "42"
token_env = "OT_TEST_EVEREE_TOKEN"
timeout_seconds = 0.4
retries = {retries}
correction_authorized = {"true" if correction else "false"}
correction_timeframe = "IMMEDIATELY"
work_locations = {{ L1 = 101, L2 = 102 }}
"""


@pytest.fixture
def setup(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, everee: FakeEveree, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """The company, the everee target, and two approved shifts of W1 (Mon and Tue 2026-10-12/13)."""
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "tok-123")
    company(cli, tmp_path)
    write_config(ledger_path, everee_config(everee.url))
    sids = [day8(cli, "W1", "2026-10-12"), day8(cli, "W1", "2026-10-13")]
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    return sids


def sync(ledger_path: Path, sleeps: list[float] | None = None, **kw: object) -> object:
    waits = sleeps if sleeps is not None else []
    return run_sync(ledger_path, actor="A1", now=NOW, sleep=waits.append, **kw)  # type: ignore[arg-type]


class Clock:
    """A test's clock: a sync's ``now`` and ``clock``, moved by its ``sleep`` and by :meth:`advance`."""

    def __init__(self, start: datetime = NOW) -> None:
        self.t = start
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += timedelta(seconds=seconds)

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)

    def seconds(self) -> float:
        """The clock in epoch seconds (a fake server's clock)."""
        return self.t.timestamp()


def tsync(ledger_path: Path, clock: Clock, **kw: object) -> SyncRun:
    """A sync at ``clock``'s time, its waits moving that clock."""
    return run_sync(ledger_path, actor="A1", now=clock.t, sleep=clock.sleep, clock=clock, **kw)  # type: ignore[arg-type]


def methods(everee: FakeEveree) -> list[str]:
    """The methods of the requests the server received, in order (logged as they arrive)."""
    return [m for m, _p, _q, _b in everee.calls]


def statuses(cli: CliRunner) -> dict[str, dict[str, object]]:
    report = json.loads(ot(cli, "sync", "report", "--json", "--all").stdout)
    return {r["shift_id"]: r for w in report for r in w["shifts"]}


def test_create_shapes_and_report(cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree) -> None:
    """Epoch seconds, externalWorkerId, breaks with segmentConfigCode, the tenant header; Sent with when."""
    ot(cli, "shift", "edit", setup[0], "--rate", "21.50", "--reason", "lead pay")
    ot(cli, "approve", "shifts", "--shift", setup[0])
    sync(ledger_path)
    assert len(everee.shifts) == 2
    first = next(s for s in everee.shifts.values() if s["note"].startswith(f"ot:everee:{setup[0]} "))
    # 2026-10-12 08:00 in Los Angeles (PDT, UTC-7) is 15:00 UTC.
    assert first["shiftStartEpochSeconds"] == int(datetime(2026, 10, 12, 15, 0, tzinfo=UTC).timestamp())
    assert first["shiftEndEpochSeconds"] - first["shiftStartEpochSeconds"] == 8 * 3600
    assert first["externalWorkerId"] == "W1"
    assert first["effectiveHourlyPayRate"] == {"amount": "21.50", "currency": "USD"}
    assert "correctionPaymentTimeframe" not in first
    rows = statuses(cli)
    assert {r["status"] for r in rows.values()} == {"Sent"}
    assert rows[setup[0]]["target_id"] == str(first["workedShiftId"])
    assert rows[setup[0]]["sent_at"] == "2026-11-02T12:00:00Z"
    # Nothing waits: a second run calls nothing that changes the server.
    before = len(everee.log)
    sync(ledger_path)
    assert everee.log[before:] == []


def test_edit_after_sending_is_an_update(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    sync(ledger_path)
    ids = set(everee.shifts)
    ot(cli, "shift", "edit", setup[1], "--end", "17:00", "--reason", "stayed late")
    ot(cli, "approve", "shifts", "--shift", setup[1])
    sync(ledger_path)
    assert set(everee.shifts) == ids  # no second create
    assert ("PUT", f"/integration/v1/labor/timesheet/worked-shifts/{max(ids)}", 200) in everee.log or (
        "PUT",
        f"/integration/v1/labor/timesheet/worked-shifts/{min(ids)}",
        200,
    ) in everee.log
    edited = next(s for s in everee.shifts.values() if s["note"].startswith(f"ot:everee:{setup[1]} "))
    assert edited["shiftEndEpochSeconds"] - edited["shiftStartEpochSeconds"] == 9 * 3600


def test_unknown_worker_is_an_error_with_what_to_do(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    everee.workers.discard("W1")
    sync(ledger_path)
    row = statuses(cli)[setup[0]]
    assert row["status"] == "Error"
    assert row["detail"] == "worker W1 is not known to the payroll target"
    assert "add them there" in str(row["what_to_do"])
    assert "refresh the roster" in str(row["what_to_do"])
    # An Error waits for a person: `ot sync` does not call again ...
    before = len(everee.log)
    sync(ledger_path)
    assert [m for m, _p, _s in everee.log[before:] if m == "POST"] == []
    # ... and once the worker exists there, a manual send clears it.
    everee.workers.add("W1")
    ot(cli, "sync", "send", setup[0])
    assert statuses(cli)[setup[0]]["status"] == "Sent"


def test_paid_date_without_correction_flag(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """Everee refuses a shift on a paid-out date unless correction-authorized=true is passed."""
    everee.paid_before = int(datetime(2026, 10, 13, 0, 0, tzinfo=UTC).timestamp())
    sync(ledger_path)
    row = statuses(cli)[setup[0]]
    assert row["status"] == "Error"
    assert "needs correction-authorized" in str(row["detail"])
    assert statuses(cli)[setup[1]]["status"] == "Sent"


def test_correction_sent_with_the_flag(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree, tmp_path: Path
) -> None:
    """A change on a date the ledger knows is paid goes with correction-authorized=true and the timeframe."""
    write_config(ledger_path, everee_config(everee.url, correction=True))
    sync(ledger_path)
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    ot(cli, "payrun", "--period", "2026-10-12")
    everee.paid_before = int(datetime(2026, 10, 25, tzinfo=UTC).timestamp())
    ot(cli, "shift", "edit", setup[0], "--end", "17:00", "--reason", "missed hour", "--correction-authorized")
    ot(cli, "approve", "shifts", "--shift", setup[0])
    sync(ledger_path)
    assert statuses(cli)[setup[0]]["status"] == "Sent"
    edited = next(s for s in everee.shifts.values() if s["note"].startswith(f"ot:everee:{setup[0]} "))
    assert edited["correctionPaymentTimeframe"] == "IMMEDIATELY"


def test_validation_error_from_the_server(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fake_everee import BREAK_CODES

    monkeypatch.setattr("fake_everee.BREAK_CODES", BREAK_CODES - {"DEFAULT_UNPAID"})
    sid = day8(cli, "W1", "2026-10-14")
    ot(cli, "shift", "edit", sid, "--break", "12:00-12:30", "--reason", "lunch")
    ot(cli, "approve", "shifts", "--shift", sid)
    sync(ledger_path)
    row = statuses(cli)[sid]
    assert row["status"] == "Error"
    assert row["detail"] == f"everee refused shift {sid}: unknown segmentConfigCode DEFAULT_UNPAID"


def test_a_500_on_a_create_is_not_sent_again_in_the_same_sync(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """A 500 may come after the server saved the shift: the create is not repeated in this sync (no
    backoff, no second POST); the next sync, once the call can no longer be landing, looks it up first."""
    everee.faults = [("POST", "500")]
    clock = Clock()
    run = tsync(ledger_path, clock)
    assert clock.slept == []
    assert methods(everee) == ["POST", "POST"]  # one per shift, none repeated
    assert sorted(ln.result for ln in run.lines) == ["send", "sent"]
    [failed] = [ln for ln in run.lines if ln.result == "send"]
    assert (
        failed.message
        == f"everee gave no clear answer to the create of shift {failed.shift_id} (500 internal error): it may have saved it"
    )
    assert "run `ot sync` again in 7 seconds or later" in failed.what_to_do
    clock.advance(60)
    tsync(ledger_path, clock)
    assert methods(everee)[2:] == ["GET", "POST"]  # looked up, not there: created once
    assert len(everee.shifts) == 2
    assert {r["status"] for r in statuses(cli).values()} == {"Sent"}


def test_500_every_time_leaves_send(cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree) -> None:
    """A server that fails every create: each sync sends each shift once (after a look-up), and it stays
    Send; once the server works, one copy of each."""
    everee.faults = [("POST", "500")] * 4
    clock = Clock()
    tsync(ledger_path, clock)
    clock.advance(60)
    tsync(ledger_path, clock)
    rows = statuses(cli)
    assert {r["status"] for r in rows.values()} == {"Send"}
    assert "gave no clear answer to the create" in str(rows[setup[0]]["detail"])
    assert methods(everee).count("POST") == 4  # two per sync, never two for one shift
    everee.faults = []
    clock.advance(60)
    tsync(ledger_path, clock)  # a Send is sent again by the next sync
    assert {r["status"] for r in statuses(cli).values()} == {"Sent"}
    assert len(everee.shifts) == 2


def test_timeout_after_commit_looks_up_before_sending_again(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    """The server commits, then answers too late: the next sync finds the shift by its note, no second copy."""
    everee.faults = [("POST", "timeout_after_commit")]
    everee.slow = 0.8
    clock = Clock()
    tsync(ledger_path, clock)
    assert len(everee.shifts) == 2
    assert methods(everee).count("GET") == 0  # nothing looked up in the sync that timed out
    clock.advance(60)
    tsync(ledger_path, clock)
    assert len(everee.shifts) == 2
    assert methods(everee).count("GET") == 1
    assert methods(everee).count("POST") == 2
    assert {r["status"] for r in statuses(cli).values()} == {"Sent"}


def test_dropped_connection(cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree) -> None:
    """A connection dropped before the server acted, and one dropped after it committed: the next sync
    looks each up, creates the first once and updates the second; one copy each."""
    everee.faults = [("POST", "drop"), ("POST", "drop_after_commit")]
    clock = Clock()
    tsync(ledger_path, clock)
    assert {r["status"] for r in statuses(cli).values()} == {"Send"}
    clock.advance(60)
    tsync(ledger_path, clock)
    assert len(everee.shifts) == 2
    notes = sorted(s["note"].split()[0] for s in everee.shifts.values())
    assert notes == sorted(f"ot:everee:{sid}" for sid in setup)
    assert {r["status"] for r in statuses(cli).values()} == {"Sent"}
    assert methods(everee).count("POST") == 3


def test_bad_token_is_send_with_pointer(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "wrong")
    sync(ledger_path)
    row = statuses(cli)[setup[0]]
    assert row["status"] == "Send"
    assert "refused the credentials" in str(row["detail"])


def test_deleted_shift_is_deleted_at_everee(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree
) -> None:
    sync(ledger_path)
    ot(cli, "shift", "delete", setup[0], "--reason", "entered twice")
    sync(ledger_path)
    assert len(everee.shifts) == 1
    assert len(events(ledger_path, "sync.deleted")) == 1
    assert setup[0] not in statuses(cli)


def test_an_update_with_no_answer_is_sent_again_by_the_next_sync(
    cli: CliRunner, ledger_path: Path, setup: list[str], everee: FakeEveree, request: pytest.FixtureRequest
) -> None:
    """A PUT that gets no answer in time may still land: it is not sent again in the same sync (a later
    PUT could be overtaken by it), and the next sync, once it can no longer be landing, sends it again
    (a sync sooner says from when; on PostgreSQL it first waits for calls in flight, then sends it)."""
    sync(ledger_path)
    ot(cli, "shift", "edit", setup[0], "--end", "17:00", "--reason", "stayed late")
    ot(cli, "approve", "shifts", "--shift", setup[0])
    everee.faults = [("PUT", "timeout_after_commit")]
    everee.slow = 0.8
    clock = Clock()
    tsync(ledger_path, clock)
    assert clock.slept == []
    assert methods(everee).count("PUT") == 1
    assert statuses(cli)[setup[0]]["status"] == "Send"
    clock.advance(2)  # too soon: the first PUT may still be landing
    run = tsync(ledger_path, clock)
    if on_postgresql(request.config):
        # The wait counts real time from the lock, this test's clock only what it is told: the sync
        # after it may find the time reached or not; the next one finishes either way.
        assert len(clock.slept) == 1
        assert 0 < clock.slept[0] <= 6.2
    else:
        assert methods(everee).count("PUT") == 1
        [line] = run.lines
        assert line.message.startswith("not sent yet: the last call about it got no clear answer")
        assert "2026-11-02 12:00:07 UTC" in line.message
    clock.advance(60)
    tsync(ledger_path, clock)
    assert methods(everee).count("PUT") == 2
    assert len(everee.shifts) == 2
    edited = next(s for s in everee.shifts.values() if s["note"].startswith(f"ot:everee:{setup[0]} "))
    assert edited["shiftEndEpochSeconds"] - edited["shiftStartEpochSeconds"] == 9 * 3600
    assert statuses(cli)[setup[0]]["status"] == "Sent"
