"""Histories the pay-cycle machine found with many examples (HYPOTHESIS_PROFILE=thorough), replayed
step by step so that CI keeps them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from test_paycycle_machine import FIRST, PayCycle

from ot.services.uow import unit_of_work


class _Drawn:
    """A stand-in for hypothesis's ``data()``: the value the failing run drew."""

    def __init__(self, value: object) -> None:
        self.value = value

    def draw(self, _strategy: object) -> object:
        return self.value


def _step(machine: PayCycle, name: str, **args: Any) -> None:
    rule = getattr(PayCycle, name)
    getattr(rule, "__wrapped__", rule)(machine, **args)


def test_an_earlier_periods_run_that_catches_up_later_dates_issues_its_stub() -> None:
    """W2 was paid for 11-08..11-21 first; the 10-25 period's run left W2 out; then the run of the
    first period (10-11..10-24) pays W2's unpaid dates before their paid ones, 10-26..11-07. The
    stub it issues covers those dates and says so (it used to fail: a line outside the period)."""
    m = PayCycle()
    _step(m, "company")
    _step(m, "work_a_week", days=3, hours=8, monday=date(2026, 10, 12), worker="W1")
    _step(m, "add_punch", authorized=True, day=FIRST, hour=18, kind="in", worker="W1")
    _step(m, "adopt_rules", authorized=True, day=FIRST + timedelta(days=24), threshold=7)
    _step(m, "delete_shift", data=_Drawn("M10"))
    _step(m, "a_pay_cycle", days=3, hours=7, partial=True, period=2, workers=["W1", "W2", "W3"])
    _step(m, "unapprove_shift", data=_Drawn("M10"))
    _step(m, "work_a_week", days=6, hours=9, monday=date(2026, 10, 12), worker="W1")
    _step(m, "delete_shift", data=_Drawn("M25"))
    _step(m, "a_pay_cycle", days=3, hours=7, partial=False, period=1, workers=["W1", "W2", "W3"])
    _step(m, "delete_shift", data=_Drawn("M97"))
    _step(m, "work_a_week", days=1, hours=6, monday=date(2026, 10, 12), worker="W1")
    _step(m, "approve_everything_and_pay", day=FIRST, partial=True)
    with unit_of_work(m.path) as uow:
        first_run = [p for p in uow.pay.payments_of("W2") if p.period_start == FIRST]
        assert [(p.paid_from, p.paid_through) for p in first_run] == [(date(2026, 10, 26), date(2026, 11, 7))]
        stub_notes = uow.ledger.connection.execute(
            "SELECT json_extract(payload, '$.stub.notes') FROM events WHERE seq = ?", (first_run[0].seq,)
        ).fetchone()[0]
    assert "This pay includes unpaid dates after the period, to 2026-11-07." in stub_notes
    for invariant in (
        "fully_paid_weeks_owe_their_price",
        "no_date_paid_twice",
        "nothing_stranded",
        "the_kept_check_is_the_fold_of_every_event",
        "verify_passes",
    ):
        _step(m, invariant)


def test_a_bonus_earned_from_mid_week_prices_that_week_whole_whoever_is_priced() -> None:
    """The machine (with bonuses) found W2's week of 11-01 paid $978.42 by a run that caught up its
    unpaid dates from 10-11, while the week priced alone came to $961.36: the $430.00 bonus of 11-06 is
    earned from Friday 10-23, and its overtime share counts the overtime of that whole workweek
    (29 CFR 778.209(a)), but a run starting later loaded that week's shifts only from a few days before
    10-23. The context now starts at the workweek holding the period's first day."""
    m = PayCycle()
    _step(m, "company", semimonthly=False)
    _step(m, "a_pay_cycle", days=6, hours=9, partial=True, period=2, workers=["W2"])
    _step(
        m, "bonus", authorized=False, before=17, day=FIRST + timedelta(days=33), dollars=323, earned=None, worker="W1"
    )
    _step(m, "add_punch", authorized=False, day=FIRST + timedelta(days=0), hour=0, kind="in", worker="W1")
    _step(m, "a_pay_cycle", days=5, hours=7, partial=False, period=2, workers=["W1"])
    _step(m, "a_pay_cycle", days=4, hours=7, partial=False, period=1, workers=["W2"])
    _step(m, "a_pay_cycle", days=5, hours=11, partial=False, period=0, workers=["W2"])
    _step(m, "work_a_week", days=6, hours=8, monday=date(2026, 10, 26), worker="W1")
    _step(m, "a_pay_cycle", days=6, hours=7, partial=False, period=0, workers=["W1"])
    _step(m, "add_punch", authorized=True, day=FIRST + timedelta(days=20), hour=21, kind="out", worker="W1")
    _step(m, "a_pay_cycle", days=6, hours=10, partial=False, period=0, workers=["W2", "W3", "W1"])
    _step(m, "bonus", authorized=False, before=8, day=FIRST + timedelta(days=34), dollars=430, earned=14, worker="W2")
    _step(m, "bonus", authorized=True, before=7, day=FIRST + timedelta(days=1), dollars=274, earned=28, worker="W3")
    _step(m, "a_pay_cycle", days=5, hours=7, partial=False, period=0, workers=["W3", "W2", "W1"])
    _step(m, "add_punch", authorized=False, day=FIRST + timedelta(days=24), hour=8, kind="out", worker="W3")
    _step(m, "a_pay_cycle", days=5, hours=7, partial=True, period=2, workers=["W3", "W2", "W1"])
    m.fully_paid_weeks_owe_their_price()
    with unit_of_work(m.path) as uow:
        alone = uow.price(["W2"], date(2026, 11, 1), date(2026, 11, 7)).week("W2", date(2026, 11, 1))
        wide = uow.price(["W2"], date(2026, 10, 11), date(2026, 11, 21)).week("W2", date(2026, 11, 1))
    assert alone is not None
    assert wide is not None
    assert alone.result.gross == wide.result.gross == Decimal("978.42")
