"""The Hours Sync Report (Justworks): workweeks that need attention first; per worker and shift
Sent (with when), Send or Error (with the message and what to do)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_everee import FakeEveree
from sync_helpers import company, day8, ot, write_config
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from test_sync_everee import everee_config


class TextSnapshot(SingleFileSnapshotExtension):
    """A snapshot stored as one ``.txt`` file."""

    file_extension = "txt"
    _write_mode = WriteMode.TEXT


@pytest.fixture
def server() -> Iterator[FakeEveree]:
    fake = FakeEveree(workers={"W1"}).start()
    try:
        yield fake
    finally:
        fake.stop()


def test_report_puts_attention_first(
    cli: CliRunner,
    ledger_path: Path,
    tmp_path: Path,
    server: FakeEveree,
    monkeypatch: pytest.MonkeyPatch,
    snapshot: SnapshotAssertion,
) -> None:
    """W1's week of 2026-10-11 is Sent; W2 (not known to the target) errs in the week of 2026-10-18,
    and a third shift of W1 that week waits after a 500 (Send): that week is listed first."""
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "tok-123")
    company(cli, tmp_path)
    write_config(ledger_path, everee_config(server.url, retries=0))
    day8(cli, "W1", "2026-10-12")
    day8(cli, "W2", "2026-10-19")
    day8(cli, "W1", "2026-10-20")
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    server.faults = [
        ("POST", "ok"),
        ("POST", "500"),
    ]  # "ok": the first create goes through; the second (W1 10-20) gets a 500
    ot(cli, "sync", code=1)
    text = ot(cli, "sync", "report").stdout
    # The clock of the real run varies: hide the sent time (checked in the JSON below).
    lines = [ln if "Sent 20" not in ln else ln[: ln.index("Sent 20")] + "Sent <when>" for ln in text.splitlines()]
    assert "\n".join(lines) + "\n" == snapshot(extension_class=TextSnapshot)
    assert lines[0] == "week of 2026-10-18  needs attention (Error)"
    week = json.loads(ot(cli, "sync", "report", "--week", "2026-10-13", "--json").stdout)
    assert [w["week_start"] for w in week] == ["2026-10-11"]
    [row] = week[0]["shifts"]
    assert row["status"] == "Sent"
    assert row["sent_at"] is not None
    assert row["target_id"] is not None


def test_report_shows_what_was_sent_in_the_last_seven_days(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """The report's default view is what needs attention and what was sent in the last seven days
    (so that its cost follows the work, not the history); an older week is one --week away."""
    from datetime import UTC, date, datetime, timedelta

    from sync_helpers import CSV_CONFIG

    from ot.services.sync import run_sync, sync_report

    company(cli, tmp_path)
    write_config(ledger_path, CSV_CONFIG)
    day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    sent = datetime(2026, 10, 13, 9, tzinfo=UTC)
    run_sync(ledger_path, actor="A1", now=sent)
    recent = sync_report(ledger_path, now=sent + timedelta(days=6, hours=23))
    assert [(w.week_start, w.attention) for w in recent] == [(date(2026, 10, 11), "Sent")]
    assert sync_report(ledger_path, now=sent + timedelta(days=7)) == ()
    older = sync_report(ledger_path, now=sent + timedelta(days=30), week=date(2026, 10, 13))
    assert [r.status for w in older for r in w.rows] == ["Sent"]


def test_report_after_paid_periods_lists_only_the_open_weeks(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Issue 15: with five periods approved, paid and sent, the report reads only the open work (the
    period not yet sent); --all shows every week; an old shift changed after it was sent shows up again."""
    from datetime import UTC, date, datetime, timedelta

    from sync_helpers import CSV_CONFIG

    from ot.services.approvals import approve_shifts, approve_timecards
    from ot.services.payrun import run_payroll
    from ot.services.sync import run_sync, sync_report

    company(cli, tmp_path)
    write_config(ledger_path, CSV_CONFIG)
    first = date(2026, 7, 19)  # a Sunday; periods biweekly from here
    ot(cli, "period", "configure", "--frequency", "biweekly", "--anchor", first.isoformat())
    sids: list[str] = []
    for k in range(6):
        start = first + timedelta(days=14 * k)
        sids.append(day8(cli, "W1", (start + timedelta(days=1)).isoformat()))
        day8(cli, "W2", (start + timedelta(days=8)).isoformat())
        when = datetime.combine(start + timedelta(days=15), datetime.min.time(), UTC)
        approve_shifts(ledger_path, all_visible=True, period_day=start, actor="A1", now=when)
        if k < 5:
            run_sync(ledger_path, actor="A1", now=when)
            approve_timecards(ledger_path, period_day=start, actor="A1", now=when)
            run_payroll(ledger_path, period_day=start, partial=True, actor="A1", now=when)
    later = datetime.combine(first + timedelta(days=14 * 6 + 20), datetime.min.time(), UTC)
    open_weeks = [first + timedelta(days=14 * 5), first + timedelta(days=14 * 5 + 7)]
    report = sync_report(ledger_path, now=later)
    assert sorted(w.week_start for w in report) == open_weeks
    assert {w.attention for w in report} == {"Send"}
    everything = sync_report(ledger_path, now=later, everything=True)
    assert len(everything) == 12
    assert {w.attention for w in everything if w.week_start not in open_weeks} == {"Sent"}
    listed = json.loads(ot(cli, "sync", "report", "--all", "--json").stdout)
    assert len(listed) == 12
    # An old, paid and sent shift changed: its week is back, waiting to be sent (a correction).
    ot(cli, "shift", "edit", sids[1], "--end", "17:00", "--reason", "missed hour", "--correction-authorized")
    changed = sync_report(ledger_path, now=later)
    # Its whole pay period is read again (a csv target rewrites a period's file), and no other.
    period = [first + timedelta(days=14), first + timedelta(days=21)]
    assert sorted(w.week_start for w in changed) == sorted([*open_weeks, *period])
    assert [r.shift_id for w in changed if w.week_start in period for r in w.rows if r.status != "Sent"] == [sids[1]]
    assert {w.attention for w in changed if w.week_start == period[0]} == {"Send"}
