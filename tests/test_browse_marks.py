"""The timecards grid shows each shift's approval state and its Hours Sync Report status."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from ot.services.approvals import approve_shifts
from ot.services.browse import timecard_week
from ot.services.entries import ShiftInput, edit_shift
from ot.services.sync import run_sync
from ot.sync.config import config_path

NOW = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
DAY = date(2026, 11, 3)


def test_approval_and_sync_states_follow_the_ledger(demo_ledger: Path, tmp_path: Path) -> None:
    before = timecard_week(demo_ledger, "W02", DAY)
    assert before.rows
    assert {r.approval for r in before.rows} == {"waiting"}
    assert {r.sync for r in before.rows} == {None}
    config_path(demo_ledger).write_text(f'[targets.files]\nkind = "csv"\nfolder = "{tmp_path / "feeds"}"\n')
    approve_shifts(demo_ledger, worker_id="W02", week=DAY, actor="A1", now=NOW)
    approved = timecard_week(demo_ledger, "W02", DAY)
    assert {r.approval for r in approved.rows} == {"approved"}
    assert {r.sync for r in approved.rows} == {"Send"}
    run_sync(demo_ledger, actor="A1", now=NOW)
    sent = timecard_week(demo_ledger, "W02", DAY)
    assert {r.sync for r in sent.rows} == {"Sent"}
    first = sent.rows[0]
    edit_shift(
        demo_ledger,
        first.shift_id,
        given=ShiftInput(end=f"{first.day.isoformat()}T15:00"),
        reason="left early",
        actor="A1",
        now=NOW,
    )
    edited = {r.shift_id: r for r in timecard_week(demo_ledger, "W02", DAY).rows}
    assert edited[first.shift_id].approval == "voided"
    assert edited[first.shift_id].sync == "Send"  # the sent version is stale until re-approved
    assert {r.approval for sid, r in edited.items() if sid != first.shift_id} == {"approved"}
