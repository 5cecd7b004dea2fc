"""The Pay run screen's reads (ot.services.payrun_view): the pay run's dry run by worker, the left-out
reasons grouped by worker, and the run recorded through the one pay-run service."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ot.core.errors import OtError, PermissionDenied, Problem
from ot.services.approvals import approve_shifts, approve_timecards
from ot.services.browse import ledger_head
from ot.services.payrun import run_payroll
from ot.services.payrun_view import blocked_by_worker, issue_payrun, preview_payrun, stub_text

NOW = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)
FIRST = date(2026, 10, 11)


def test_reasons_are_grouped_by_the_worker_the_service_names() -> None:
    missing = (
        Problem("timecard W02 2026-10-11 to 2026-10-24: shift S1: W02 Mon", "is not approved (step 1)"),
        Problem("timecard W02 2026-10-11 to 2026-10-24: shift S2: W02 Tue", "has no out-punch"),
        Problem("timecard W01 2026-10-11 to 2026-10-24", "not approved (step 2)"),
        Problem("period 2026-10-11 to 2026-10-24", "something naming no worker"),
    )
    by_worker, other = blocked_by_worker(missing)
    assert by_worker == {
        "W02": ["shift S1: W02 Mon: is not approved (step 1)", "shift S2: W02 Tue: has no out-punch"],
        "W01": ["not approved (step 2)"],
    }
    assert other == ["period 2026-10-11 to 2026-10-24: something naming no worker"]


def test_nothing_approved_is_the_service_refusal(demo_ledger: Path) -> None:
    """Nothing approved: the service refuses (nothing to pay), and the preview wrote nothing."""
    head = ledger_head(demo_ledger)
    with pytest.raises(OtError, match="nothing to pay"):
        preview_payrun(demo_ledger, period_day=FIRST, actor="A1", now=NOW)
    assert ledger_head(demo_ledger) == head


def test_preview_then_issue_agree_with_the_service(demo_ledger: Path) -> None:
    approve_shifts(demo_ledger, all_visible=True, period_day=FIRST, actor="A1", now=NOW)
    approve_timecards(demo_ledger, period_day=FIRST, worker_ids=["W01", "W02", "M1"], actor="A1", now=NOW)
    head = ledger_head(demo_ledger)
    view = preview_payrun(demo_ledger, period_day=FIRST, actor="A1", now=NOW)
    assert ledger_head(demo_ledger) == head
    assert view.dry_run
    assert [r.worker_id for r in view.paid] == ["M1", "W01", "W02"]
    assert all(r.blocked and r.stub is None and r.net is None for r in view.blocked)
    assert view.rows[: len(view.blocked)] == view.blocked  # those left out first
    expected = run_payroll(demo_ledger, period_day=FIRST, dry_run=True, partial=True, actor="A1", now=NOW)
    assert view.net == expected.net == sum(r.net or 0 for r in view.paid)
    assert {r.worker_id: r.gross for r in view.paid} == {w.worker_id: w.gross for w in expected.workers}
    w02 = next(r for r in view.paid if r.worker_id == "W02")
    assert w02.stub is not None
    assert "Jamal Alvarez" in stub_text(w02.stub)
    issued = issue_payrun(demo_ledger, period_day=FIRST, partial=True, actor="A1", now=NOW)
    assert not issued.dry_run
    assert [r.worker_id for r in issued.paid] == ["M1", "W01", "W02"]
    assert issued.net == view.net
    assert ledger_head(demo_ledger) != head


def test_a_worker_gets_the_service_refusal(demo_ledger: Path) -> None:
    with pytest.raises(PermissionDenied, match="W01 may not run payroll") as refused:
        preview_payrun(demo_ledger, period_day=FIRST, actor="W01", now=NOW)
    assert "only an admin may run payroll" in refused.value.render()
