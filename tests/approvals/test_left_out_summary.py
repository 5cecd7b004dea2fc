"""The pay run screen's summary of who is left out (``payrun_view.left_out_summary``) groups each
worker by the earliest step that blocks them, from the reasons the pay run gives. The groups are told
apart by the services' own wording, so each reason is produced here by its real cause (an exception to
fix, a shift not approved, a timecard changed since its approval, a timecard not approved) and must land
in its group, never in "blocked otherwise": a reworded message fails here rather than miscounting on the
screen."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from ot.services.approvals import approve_shifts, approve_timecards
from ot.services.payrun_view import _WHY, _why_kind, left_out_summary, preview_payrun
from ot.services.punch import add_punch, record_punch

DAY = date(2026, 10, 20)  # the demo's first pay period, 2026-10-11 to 2026-10-24
NOW = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
WEEKS = (date(2026, 10, 11), date(2026, 10, 18))
DEMO_PIN_W01 = "292437"  # README: a punch at the demo's kiosk


def _approve_weeks(path: Path, worker: str) -> None:
    for week in WEEKS:
        approve_shifts(path, worker_id=worker, week=week, actor="A1", now=NOW)


def test_each_reason_lands_in_its_group(demo_ledger: Path) -> None:
    # W03: paid. W02: waits for step 2. W01: approved, then punched at the kiosk into the approved period
    # (what a timeclock may do: a clock punch voids no timecard) and that shift approved: changed.
    # W04: an in-punch with no out (an exception to fix). Everyone else: step 1.
    for w in ("W01", "W02", "W03"):
        _approve_weeks(demo_ledger, w)
    approve_timecards(demo_ledger, period_day=DAY, worker_ids=["W01", "W03"], actor="A1", now=NOW)
    for kind, at in (("in", "2026-10-24T20:00"), ("out", "2026-10-24T22:00")):
        record_punch(demo_ledger, pin=DEMO_PIN_W01, kind=kind, at=at, actor="kiosk:demo", now=NOW)
    _approve_weeks(demo_ledger, "W01")
    add_punch(demo_ledger, worker_id="W04", kind="in", at="2026-10-24T20:00", reason="forgot", actor="A1", now=NOW)

    view = preview_payrun(demo_ledger, period_day=DAY, actor="A1", now=NOW)
    assert [r.worker_id for r in view.paid] == ["W03"]
    kinds = {r.worker_id: _WHY[_why_kind(r.blocked)][0] for r in view.blocked}
    assert kinds["W01"] == "changed"
    assert kinds["W02"] == "step 2"
    assert kinds["W04"] == "exception"
    assert set(kinds.values()) == {"exception", "step 1", "changed", "step 2"}  # nothing "otherwise"
    others = len(kinds) - 3
    assert left_out_summary(view) == (
        f"{len(kinds)} timecards left out: 1 has shifts with exceptions to fix, {others} wait for step-1 "
        "shift approvals, 1 changed since its step-2 approval, 1 waits for its step-2 approval"
    )
