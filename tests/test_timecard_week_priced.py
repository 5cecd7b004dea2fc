"""The Timecards screen's week is priced as explain, approvals and the pay run price it (a review: a
bonus recorded in the week was left out of the screen's gross and regular rate, 1047.94 shown for 1157.27)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from ledger.earnings_csv import EarningValues
from ot.services import earnings
from ot.services.browse import timecard_week
from ot.services.explain import explain_week

WEEK = date(2026, 11, 1)
NOW = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)


def test_a_bonus_is_in_the_timecard_week_as_in_explain(demo_ledger: Path) -> None:
    """29 CFR 778.110(a): a $100 production bonus earned in the week is in its regular rate, which
    raises the overtime due; the screen shows the gross and the regular rate explain shows."""
    before = timecard_week(demo_ledger, "W02", WEEK)
    earnings.record_earning(
        demo_ledger, EarningValues("W02", "2026-11-05", "bonus", amount="100.00"), actor="A1", now=NOW
    )
    after = timecard_week(demo_ledger, "W02", WEEK)
    explained = explain_week(demo_ledger, "W02", WEEK).priced.result
    assert after.gross == explained.gross
    assert after.regular_rate == explained.regular_rate
    assert before.gross is not None
    assert after.gross is not None
    assert after.gross > before.gross + Decimal("100.00")  # the bonus and its overtime share
    assert after.week_pay >= Decimal("100.00")  # the bonus names no shift


def test_the_rows_add_up_to_the_week_and_multiply_out(demo_ledger: Path) -> None:
    """A review: a row showed OT 0.02 beside pay 158.30 (the line pays 0.01 h: the week's OT hundredths
    are shared out over its dates), and the OT column added to 8.09 under a totals line of 8.08. The
    rows show the hours their lines pay, so every unshared row's classes add up to the week's.
    Tue 2026-10-20, W02 (CA, $19.75): 8.00 x $19.75 + 0.01 x $29.625 = $158.00 + $0.30 = $158.30."""
    from ot.services.browse import WorkerFilter, list_workers

    for worker in list_workers(demo_ledger, WorkerFilter(), limit=12).rows:
        for first in (date(2026, 10, 18), date(2026, 10, 25), date(2026, 11, 1)):
            week = timecard_week(demo_ledger, worker.worker_id, first)
            if week.gross is None or any(r.shares_lines for r in week.rows):
                continue
            where = f"{worker.worker_id} {first}"
            assert sum((r.regular for r in week.rows), Decimal(0)) == week.regular, where
            assert sum((r.overtime for r in week.rows), Decimal(0)) == week.overtime, where
            assert sum((r.doubletime for r in week.rows), Decimal(0)) == week.doubletime, where
    week = timecard_week(demo_ledger, "W02", date(2026, 10, 18))
    (tue,) = [r for r in week.rows if r.day == date(2026, 10, 20)]
    assert (tue.regular, tue.overtime, tue.pay) == (Decimal("8.00"), Decimal("0.01"), Decimal("158.30"))
