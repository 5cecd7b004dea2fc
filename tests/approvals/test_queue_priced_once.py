"""The approval queue of an admin prices the period's workweeks once: its shifts' weeks and its timecards'
drafts come from one run (they were two runs of the same weeks: 7.1 s at 2,000 workers, now 4.7 s).

The oracle is the queue built the old way, each part pricing on its own (``Priced.covers`` refused)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests_support import count_price_calls

from ot.core.errors import OtError, Problem
from ot.services import paycycle
from ot.services.queue import approval_queue
from ot.services.uow import UnitOfWork

OPEN = date(2026, 10, 27)  # the demo's second period (2026-10-25 to 2026-11-07), open
PAID = date(2026, 10, 20)  # its first, paid (demo_paid_ledger)


@pytest.mark.parametrize("day", [OPEN, PAID])
@pytest.mark.parametrize("actor", ["A1", "M1", "M3"])
def test_the_queue_is_the_one_each_part_priced_alone_would_give(
    demo_paid_ledger: Path, monkeypatch: pytest.MonkeyPatch, actor: str, day: date
) -> None:
    once = approval_queue(demo_paid_ledger, actor, day)
    with monkeypatch.context() as m:
        m.setattr(paycycle.Priced, "covers", lambda *_a: False)
        alone = approval_queue(demo_paid_ledger, actor, day)
    assert once == alone
    assert once.weeks
    assert bool(once.timecards) == (actor == "A1")


def test_an_admin_s_queue_prices_once(demo_paid_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_price_calls(monkeypatch)
    queue = approval_queue(demo_paid_ledger, "A1", OPEN)
    assert len(queue.timecards) > 30
    assert len(calls) == 1  # every worker of the roster: the drafts read them all


def test_a_refusal_of_the_wider_run_falls_back_to_the_shown_weeks(
    demo_paid_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the run over every worker is refused, the shown weeks are priced alone (as an admin's queue
    did before) and the timecards price their own: the same queue as each part priced alone."""
    with monkeypatch.context() as m:
        m.setattr(paycycle.Priced, "covers", lambda *_a: False)
        alone = approval_queue(demo_paid_ledger, "A1", OPEN)
    real = UnitOfWork.price
    refused: list[int] = []

    def refuse_the_window(self: UnitOfWork, worker_ids: Sequence[str], *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("window") is not None:
            refused.append(len(worker_ids))
            raise OtError("refused", [Problem("rules", "a week the engine cannot price")])
        return real(self, worker_ids, *args, **kwargs)

    monkeypatch.setattr(UnitOfWork, "price", refuse_the_window)
    assert approval_queue(demo_paid_ledger, "A1", OPEN) == alone
    assert refused


def test_a_week_whose_rows_add_up_to_another_figure_says_why(demo_ledger: Path) -> None:
    """A review: 'M1 wk 10-25 39.95' over five rows adding to 39.94. The week is the exact time of its
    shifts rounded once (as the pay counts it); the rows are each rounded. Every such week says so, with
    the rows' sum, and no other week does."""
    from decimal import Decimal

    queue = approval_queue(demo_ledger, "A1", date(2026, 10, 26))
    apart = 0
    for w in queue.weeks:
        added = sum((s.hours for s in w.shifts if s.hours is not None and s.pay_type == "REGULAR"), Decimal(0))
        if added != w.hours:
            apart += 1
            assert w.rounding_note == f"rows sum {added}, each rounded"
        else:
            assert w.rounding_note == ""
    assert apart  # the demo has such weeks
