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
