"""A stub's corrections reconcile with what it pays, from the stub alone (a review of issued stubs):
gross plus what the stub shows it settles is the amount paid with it."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D

from ot.stubs.model import CorrectionEntry, StubSettlement, make_stub
from ot.stubs.text import render_text

from .fixtures import AUSTIN, line, plain_week


def _lines(text: str, start: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith(start)]


def test_the_rest_of_a_carried_overpayment_is_shown_as_settled() -> None:
    """C26 (-$180.00 over two dates) was deducted $80.00 from an earlier pay; this pay deducts the
    $100.00 still open. The corrections show whole (-$180.00), so the stub says what this pay settles:
    gross - $100.00 = paid (it showed -$180.00 and no settlement, 400 - 180 != 300)."""
    stub = dataclasses.replace(
        plain_week(),
        corrections=(
            CorrectionEntry(date(2026, 10, 13), D("10"), D("4"), D("200.00"), D("80.00"), "DEDUCTION"),
            CorrectionEntry(date(2026, 10, 16), D("10"), D("7"), D("200.00"), D("140.00"), "DEDUCTION"),
        ),
        settled=(StubSettlement("C26", "overpayment", D("-100.00"), D("0")),),
    )
    text = render_text(stub)
    assert "Settled with this pay" in text
    (row,) = _lines(text, "C26 ")
    assert row.split()[:3] == ["C26", "overpayment", "-$100.00"]
    assert stub.paid_with_stub == stub.gross - D("100.00")
    assert f"${stub.paid_with_stub:,.2f}" in text


def test_a_correction_paid_outside_ot_is_not_in_the_net_this_stub_pays() -> None:
    """+$65.00 paid externally: the Net row (what a reader adds to the gross) is what this stub pays of
    the corrections, $0.00; the external +$65.00 is on a row of its own, said not to be in this pay."""
    stub = dataclasses.replace(
        plain_week(),
        corrections=(
            CorrectionEntry(date(2026, 10, 16), D("10"), D("11.5"), D("220.00"), D("285.00"), "EXTERNALLY_PAID"),
        ),
    )
    text = render_text(stub)
    assert _lines(text, "Net ")[0].split() == ["Net", "$0.00"]
    assert _lines(text, "Paid apart")[0].split() == ["Paid", "apart", "+$65.00"]
    assert "paid outside ot (externally), not in this pay" in " ".join(text.split())
    assert stub.paid_with_stub == stub.gross


def test_a_date_that_goes_the_other_way_is_not_said_deducted() -> None:
    """Within an overpayment (its net negative, deducted), a date whose difference is +$1.13 lessens the
    deduction; within an underpayment a date of -$2.00 lessens what is added."""
    up = CorrectionEntry(date(2026, 10, 15), D("10"), D("10"), D("328.14"), D("329.27"), "DEDUCTION")
    down = CorrectionEntry(date(2026, 10, 15), D("10"), D("10"), D("330.00"), D("328.00"), "NEXT_PAYROLL_PAYMENT")
    assert up.settlement_text == "lessens the deduction"
    assert down.settlement_text == "lessens what is added"
    assert CorrectionEntry(
        date(2026, 10, 16), D("10"), D("3.5"), D("228.15"), D("70.00"), "DEDUCTION"
    ).settlement_text == ("deducted from this pay")


def test_the_regular_rate_table_says_what_an_allocated_bonus_added() -> None:
    """29 CFR 778.209(a): a $300 bonus over two weeks of 50 hours is $3.00 an hour more; the weeks'
    regular rates ($20.00) leave it out, so the table says so, and the BONUS_OT line (10 overtime hours
    x 0.5 x $3.00 = 10 x $1.50) checks against it."""
    base = plain_week()
    bonus_ot = line(date(2026, 10, 23), "BONUS_OT", "10", "1.50", location=AUSTIN, multiplier="0.5")
    stub = make_stub(
        employer=base.employer,
        worker_id=base.worker_id,
        worker_name=base.worker_name,
        period=base.period,
        lines=[*base.lines, bonus_ot],
        rates=base.rates,
        week_rates=base.week_rates,
    )
    text = " ".join(render_text(stub).split())
    assert "each hour worked in them earned $3.00 more (29 CFR 778.209(a))" in text
    assert "earned $3.00 more" not in " ".join(render_text(base).split())
