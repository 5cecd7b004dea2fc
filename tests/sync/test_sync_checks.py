"""Refusals before sending, with the seeds' kinds of message (TempWorks/Timerack import errors,
the 24-hours-per-pay-type limit, and Everee's paid dates without correction-authorized)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sync_helpers import CSV_CONFIG, add, company, day8, events, ot, write_config

from ledger.events import NewEvent
from ledger.store import Ledger
from ot.core.errors import OtError
from ot.services.sync import run_sync, sync_report

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def _errors(ledger_path: Path) -> dict[str, tuple[str, str]]:
    out = {}
    for week in sync_report(ledger_path, now=NOW):
        for r in week.rows:
            if r.status == "Error":
                out[r.shift_id] = (r.detail, r.what_to_do)
    return out


@pytest.fixture
def csv_company(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> Path:
    company(cli, tmp_path)
    write_config(ledger_path, CSV_CONFIG)
    return ledger_path


def test_inactive_worker(cli: CliRunner, csv_company: Path) -> None:
    """TempWorks: "The Assignment ... has a status that does not allow timecards to be created"."""
    sid = day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--shift", sid)
    with Ledger.open(csv_company) as led:
        led.append([NewEvent("worker.changed", {"worker_id": "W1", "active": False})], actor="A1", now=NOW)
    run = run_sync(csv_company, actor="A1", now=NOW)
    assert [ln.result for ln in run.lines] == ["error"]
    message, todo = _errors(csv_company)[sid]
    assert message == "worker W1 has a status that does not allow timecards (inactive)"
    assert todo.startswith("reactivate W1")
    assert not (csv_company.parent / "feeds").exists()
    # The refusal is recorded once, however often sync runs.
    run_sync(csv_company, actor="A1", now=NOW)
    assert len(events(csv_company, "sync.failed")) == 1


def test_more_than_24_hours_on_one_pay_type_on_one_day(cli: CliRunner, csv_company: Path, tmp_path: Path) -> None:
    """Timerack: "you cannot exceed 24 hours on a single Pay Type": two 13-hour shifts that start on
    2026-10-14 (one runs past midnight) are refused before anything is sent. A single shift of more
    than 24 hours is an exception: it cannot even be approved."""
    punches = tmp_path / "long.csv"
    punches.write_text(
        "worker_id,time,kind,location_id,break_type\n"
        "W2,2026-10-14T00:00,in,,\nW2,2026-10-14T13:00,out,,\n"
        "W2,2026-10-14T13:00,in,,\nW2,2026-10-15T02:00,out,,\n"
    )
    ot(cli, "import", "punches", str(punches))
    ot(cli, "approve", "shifts", "--worker", "W2", "--week", "2026-10-14")
    run_sync(csv_company, actor="A1", now=NOW)
    errors = _errors(csv_company)
    assert len(errors) == 2
    for message, todo in errors.values():
        assert message == "W2 has more than 24 hours of REGULAR on 2026-10-14"
        assert todo.startswith("fix the overlapping or mistyped shifts")
    too_long = tmp_path / "longer.csv"
    too_long.write_text(
        "worker_id,time,kind,location_id,break_type\nW1,2026-10-20T00:00,in,,\nW1,2026-10-21T01:00,out,,\n"
    )
    ot(cli, "import", "punches", str(too_long))
    result = ot(cli, "approve", "shifts", "--worker", "W1", "--week", "2026-10-20")
    assert "0 approved" in result.stdout
    assert "over_24h" in result.stderr


def test_no_open_pay_period(cli: CliRunner, csv_company: Path) -> None:
    """TempWorks: "There are currently no open weeks visible" (a shift dated past the open period)."""
    sid = day8(cli, "W1", "2027-01-12")
    ot(cli, "approve", "shifts", "--shift", sid)
    run_sync(csv_company, actor="A1", now=NOW)
    message, _todo = _errors(csv_company)[sid]
    assert message == ("there is no open pay period for 2027-01-12: the latest open period is 2026-10-25 to 2026-11-07")


def test_paid_date_without_correction_flag_csv(cli: CliRunner, csv_company: Path) -> None:
    """Everee: corrections are opt-in (correction-authorized); a csv feed never rewrites a paid period."""
    sid = day8(cli, "W2", "2026-10-12")
    ot(cli, "approve", "shifts", "--shift", sid)
    run_sync(csv_company, actor="A1", now=NOW)
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    ot(cli, "payrun", "--period", "2026-10-12")
    feed = csv_company.parent / "feeds" / "2026-10-11_2026-10-24" / "timecards.csv"
    before = feed.read_bytes()
    ot(cli, "shift", "edit", sid, "--end", "17:00", "--reason", "missed hour", "--correction-authorized")
    ot(cli, "approve", "shifts", "--shift", sid)
    run_sync(csv_company, actor="A1", now=NOW)
    message, todo = _errors(csv_company)[sid]
    assert message == (
        "2026-10-12 is a paid date of W2: this change is a correction, and files is not authorized to send corrections"
    )
    assert "correction_authorized = true" in todo
    assert feed.read_bytes() == before


def test_contractor_and_unmapped_location_refused_for_everee(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everee's Timesheets API is for hourly W-2 employees (a contractor's shift is not sent there, and is
    no Error: the run says so once); a shift's work location must exist there first."""
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "x")
    company(cli, tmp_path)
    write_config(
        ledger_path,
        '[targets.everee]\nkind = "everee"\nbase_url = "http://127.0.0.1:9"\ntenant_id = "1"\n'
        'token_env = "OT_TEST_EVEREE_TOKEN"\nwork_locations = { L1 = 101 }\n',
    )
    c = day8(cli, "C1", "2026-10-12")
    away = add(cli, "W1", "--start", "2026-10-13T08:00", "--end", "16:00", "--location", "L2")
    ot(cli, "approve", "shifts", "--shift", c, "--shift", away)
    run = run_sync(ledger_path, actor="A1", now=NOW)
    assert [(ln.shift_id, ln.result) for ln in run.lines] == [(away, "error")]  # port 9 was never called
    assert "everee: not sent: contractor (1099) hours are not worked shifts (C1)" in run.summary()
    errors = _errors(ledger_path)
    assert c not in errors
    assert errors[away][0] == "work location L2 has no Everee work location id"
    assert "[targets.everee.work_locations]" in errors[away][1]


def test_config_errors_are_located(ledger_path: Path, cli: CliRunner, tmp_path: Path) -> None:
    company(cli, tmp_path)
    write_config(ledger_path, '[targets.x]\nkind = "everee"\nbase_url = "http://h"\ntoken = "s3cret"\n')
    with pytest.raises(OtError) as info:
        run_sync(ledger_path, actor="A1", now=NOW)
    text = info.value.render()
    assert "[targets.x] token: secrets never go in the config file" in text
    assert "[targets.x] tenant_id: required" in text
    assert "[targets.x] token_env: required" in text
    bad = ot(cli, "sync", code=2)
    assert "secrets never go in the config file" in bad.stderr
    assert bad.stdout == ""


def test_no_target_configured(ledger_path: Path, cli: CliRunner, tmp_path: Path) -> None:
    company(cli, tmp_path)
    bad = ot(cli, "sync", code=2)
    assert "no sync target is configured" in bad.stderr
    write_config(ledger_path, CSV_CONFIG)
    assert "targets in" in ot(cli, "sync", "--target", "nope", code=2).stderr


def test_a_config_given_with_config_is_the_one_synced(ledger_path: Path, cli: CliRunner, tmp_path: Path) -> None:
    """A review: with no config beside the ledger, `ot sync --config FILE` sent nothing ("0 sent, 0 to send
    again, 0 errors") and its report said to approve shifts first, the approved hours never reaching
    payroll: the shifts waiting were looked for only at the targets of the config beside the ledger."""
    company(cli, tmp_path)
    sid = day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--shift", sid)
    mine = tmp_path / "my.toml"
    mine.write_text(CSV_CONFIG)
    assert not ledger_path.with_name(ledger_path.stem + ".sync.toml").exists()
    report = ot(cli, "sync", "report", "--config", str(mine)).stdout
    assert sid in report
    assert "Send" in report
    sent = ot(cli, "sync", "--config", str(mine))
    assert f"files      create  {sid}" in sent.stdout
    assert sent.stdout.rstrip().endswith("Sent")
    assert "1 sent, 0 to send again, 0 errors" in sent.stdout + sent.stderr
    assert any((tmp_path / "feeds").rglob("*.csv"))
    assert "Sent" in ot(cli, "sync", "report", "--config", str(mine)).stdout


def test_manual_send_of_an_unknown_shift(cli: CliRunner, csv_company: Path) -> None:
    bad = ot(cli, "sync", "send", "NOPE", code=2)
    assert "shift NOPE: see `ot sync report` for shift ids" in bad.stderr


def test_missing_token_and_broken_config_at_approval(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken config never blocks an approval; `ot sync` says what to fix, then backfills the outbox."""
    monkeypatch.delenv("OT_TEST_EVEREE_TOKEN", raising=False)
    company(cli, tmp_path)
    write_config(ledger_path, "[targets.x\n")
    sid = day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--shift", sid)
    assert events(ledger_path, "sync.enqueued") == []
    assert "is not valid TOML" in ot(cli, "sync", code=2).stderr
    write_config(
        ledger_path,
        '[targets.everee]\nkind = "everee"\nbase_url = "http://127.0.0.1:9"\ntenant_id = "1"\n'
        'token_env = "OT_TEST_EVEREE_TOKEN"\n' + CSV_CONFIG,
    )
    # The target without its token is that target's error, exit 1; the csv feed still sends (a review: a
    # missing token stopped every target).
    bad = ot(cli, "sync", code=1)
    assert "everee     refuse           target everee  Error: no API token for sync target 'everee'" in bad.stdout
    assert "what to do: set the environment variable OT_TEST_EVEREE_TOKEN to the API token" in bad.stdout
    assert f"files      create  {sid}" in bad.stdout
    assert "1 sent, 0 to send again, 1 errors" in bad.stderr
    assert [e.payload["target"] for e in events(ledger_path, "sync.enqueued")] == ["files"]


def test_two_syncs_at_once_are_refused(cli: CliRunner, csv_company: Path) -> None:
    """Two syncs at once could both create one shift at the target: the second is refused, nothing written."""
    from ot.services.sync import sync_lock

    sid = day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--shift", sid)
    with sync_lock(csv_company):
        bad = ot(cli, "sync", code=2)
        assert "another `ot sync` is running on this ledger" in bad.stderr
        assert events(csv_company, "sync.started") == []
        ot(cli, "sync", "--dry-run")  # a plan sends nothing: no lock needed
    assert "Sent" in ot(cli, "sync").stdout


def test_a_sync_through_a_link_to_the_ledger_takes_the_same_lock(
    cli: CliRunner, csv_company: Path, tmp_path: Path
) -> None:
    """A review: the lock was named after the path given, so a sync through a symbolic link to the
    ledger (or another spelling of its path) ran beside one through its own name, and both created one
    shift at a slow target. The lock is the real file's: the second is refused, nothing written."""
    from ot.services.sync import sync_lock

    sid = day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--shift", sid)
    link = tmp_path / "elsewhere" / "payroll.db"
    link.parent.mkdir()
    link.symlink_to(csv_company)
    with sync_lock(link):
        bad = ot(cli, "sync", code=2)
        assert "another `ot sync` is running on this ledger" in bad.stderr
        assert events(csv_company, "sync.started") == []
    assert not link.with_name("payroll.db.sync.lock").exists()
    assert "Sent" in ot(cli, "sync").stdout


def test_a_worker_is_refused_before_the_config_is_read(ledger_path: Path, cli: CliRunner, tmp_path: Path) -> None:
    """Who may sync comes first: with no target configured, a worker is told they may not sync (not
    that a target is missing), and the sync lock is never taken."""
    company(cli, tmp_path)
    bad = ot(cli, "sync", user="W1", code=2)
    assert "only an admin may sync to payroll" in bad.stderr
    assert "no sync target" not in bad.stderr
    assert not ledger_path.with_name(ledger_path.name + ".sync.lock").exists()


def test_the_report_is_read_by_staff_a_manager_seeing_their_reports(csv_company: Path, cli: CliRunner) -> None:
    """A review: a worker, a kiosk or a stranger read every worker's shifts and names in `ot sync report`,
    and a manager every other manager's (while `ot workers` refused them). The report is now an admin's
    (everyone) or a manager's (their reports); anyone else is refused, exit 2."""
    theirs = day8(cli, "W1", "2026-10-12")  # W1's manager is M1
    own = day8(cli, "M1", "2026-10-12")  # M1's is A1
    ot(cli, "approve", "shifts", "--shift", theirs, "--shift", own)
    admin = ot(cli, "sync", "report").stdout
    assert theirs in admin
    assert own in admin
    manager = ot(cli, "sync", "report", user="M1").stdout
    assert theirs in manager
    assert own not in manager
    for who in ("W1", "nobody"):
        refused = ot(cli, "sync", "report", user=who, code=2)
        assert "read the sync report" in refused.stderr
        assert theirs not in refused.stdout
