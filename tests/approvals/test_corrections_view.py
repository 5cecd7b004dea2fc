"""The Corrections audit screen's read (ot.services.corrections_view): the filters as typed, read
like `ot audit corrections --worker --since`, a bad one named by its field; a row's signed amount
and settlement in words."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ot.core.errors import OtError, Problem
from ot.services.corrections import audit
from ot.services.corrections_view import audit_detail, audit_rows, audit_state, signed_amount
from ot.services.entries import ShiftInput, add_shift


@pytest.fixture
def corrected(demo_paid_ledger: Path) -> Path:
    add_shift(
        demo_paid_ledger,
        worker_id="W02",
        given=ShiftInput(day="2026-10-24", hours="4"),
        reason="Saturday inventory was worked",
        correction_authorized=True,
        timeframe="NEXT_PAYROLL_PAYMENT",
        actor="A1",
        now=datetime(2026, 10, 28, 15, 0, tzinfo=UTC),
    )
    return demo_paid_ledger


def test_filters_as_typed_are_the_audit_filters(corrected: Path) -> None:
    assert audit_rows(corrected) == audit(corrected)
    assert audit_rows(corrected, worker=" W02 ", since="2026-10-28") == audit(
        corrected, worker_id="W02", since=date(2026, 10, 28)
    )
    assert audit_rows(corrected, worker="W03") == []
    assert audit_rows(corrected, since="2026-10-29") == []
    [row] = audit_rows(corrected)
    assert signed_amount(row) == f"+{row.correction.amount}"
    assert audit_state(row) == "open"
    assert "why: Saturday inventory was worked" in audit_detail(row)


@pytest.mark.parametrize(
    ("worker", "since", "problem"),
    [
        ("", "28/10/2026", Problem("since", "'28/10/2026' is not a date: write it as YYYY-MM-DD, e.g. 2026-11-02")),
        ("W99", "", Problem("worker", "no worker 'W99' in the ledger")),
    ],
)
def test_a_bad_filter_is_named_by_its_field(corrected: Path, worker: str, since: str, problem: Problem) -> None:
    with pytest.raises(OtError) as refused:
        audit_rows(corrected, worker=worker, since=since)
    assert refused.value.problems == (problem,)
