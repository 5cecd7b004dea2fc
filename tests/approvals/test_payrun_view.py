"""The Pay run screen's reads (ot.services.payrun_view): the pay run's dry run by worker, the left-out
reasons grouped by worker, and the run recorded through the one pay-run service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ot.core.errors import OtError, PermissionDenied, Problem
from ot.services.approvals import approve_shifts, approve_timecards, unapprove_timecards
from ot.services.browse import ledger_head
from ot.services.payrun import run_payroll
from ot.services.payrun_view import blocked_by_worker, confirmed_of, issue_payrun, preview_payrun, stub_text
from ot.stubs.layout import money

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


def _approved_three(ledger: Path) -> None:
    approve_shifts(ledger, all_visible=True, period_day=FIRST, actor="A1", now=NOW)
    approve_timecards(ledger, period_day=FIRST, worker_ids=["W01", "W02", "M1"], actor="A1", now=NOW)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            lambda led: approve_timecards(led, period_day=FIRST, worker_ids=["W03"], actor="A1", now=NOW),
            "W03 is now paid $",
        ),
        (
            lambda led: unapprove_timecards(
                led, period_day=FIRST, worker_ids=["W02"], reason="hours disputed", actor="A1", now=NOW
            ),
            "W02 is now left out (the preview paid $",
        ),
    ],
    ids=["a timecard approved meanwhile", "a timecard unapproved meanwhile"],
)
def test_a_run_other_than_the_confirmed_preview_is_refused(
    demo_ledger: Path, change: Callable[[Path], object], said: str
) -> None:
    """The admin confirms a preview; another admin changes a timecard before the run is recorded: the run
    would pay other workers than confirmed, so it is refused, saying who changed, and nothing is written
    (found by a review: the screen's run paid 39 workers $45,502.31 after "Pay 38 workers $44,348.57?")."""
    _approved_three(demo_ledger)
    view = preview_payrun(demo_ledger, period_day=FIRST, actor="A1", now=NOW)
    change(demo_ledger)
    head = ledger_head(demo_ledger)
    with pytest.raises(OtError, match="not the one confirmed") as refused:
        issue_payrun(demo_ledger, period_day=FIRST, partial=True, actor="A1", now=NOW, confirmed=confirmed_of(view))
    text = refused.value.render()
    assert said in text
    assert f"the preview confirmed 3 workers, {money(view.net)}" in text
    assert "nothing was written" in text
    assert ledger_head(demo_ledger) == head
    again = preview_payrun(demo_ledger, period_day=FIRST, actor="A1", now=NOW)  # the new preview, confirmed
    issued = issue_payrun(
        demo_ledger, period_day=FIRST, partial=True, actor="A1", now=NOW, confirmed=confirmed_of(again)
    )
    assert [r.worker_id for r in issued.paid] == [r.worker_id for r in again.paid]
    assert issued.net == again.net


def test_a_confirmed_run_is_paid_after_writes_that_do_not_change_it(demo_ledger: Path) -> None:
    """Writes since the preview that change nothing it pays (the next period's shifts approved) do not
    stop the run: it is compared by what it pays, not by the ledger's head."""
    _approved_three(demo_ledger)
    view = preview_payrun(demo_ledger, period_day=FIRST, actor="A1", now=NOW)
    head = ledger_head(demo_ledger)
    approve_shifts(demo_ledger, all_visible=True, period_day=date(2026, 10, 25), actor="A1", now=NOW)
    assert ledger_head(demo_ledger) != head
    issued = issue_payrun(
        demo_ledger, period_day=FIRST, partial=True, actor="A1", now=NOW, confirmed=confirmed_of(view)
    )
    assert [(r.worker_id, r.gross, r.net) for r in issued.paid] == [(r.worker_id, r.gross, r.net) for r in view.paid]


def test_the_amounts_confirmed_are_compared_to_the_cent() -> None:
    """A worker paid another amount than the preview showed is named with both amounts."""
    from ot.services.payrun import Confirmed, _unconfirmed

    class Pay:  # the two fields of a WorkerPay the comparison reads
        def __init__(self, worker_id: str, gross: str, net: str) -> None:
            self.worker_id, self.gross, self.net = worker_id, Decimal(gross), Decimal(net)

    confirmed = Confirmed((("W01", Decimal("100.00"), Decimal("90.00")),))
    assert _unconfirmed(confirmed, [Pay("W01", "100.00", "90.00")]) is None  # type: ignore[list-item]
    refused = _unconfirmed(confirmed, [Pay("W01", "100.00", "90.01")])  # type: ignore[list-item]
    assert refused is not None
    assert "W01 is now paid $90.01 of $100.00 gross (the preview: $90.00 of $100.00)" in refused.render()
