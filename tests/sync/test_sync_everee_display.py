"""Everee's ``displayHourlyPayRate``: the display rate set on the shift, the one the stub marks "shift"; else the worker's."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from ot.core.domain import Shift, Worker
from ot.core.money import D
from ot.sync.everee import shift_body
from ot.sync.target import Op, SendContext

SHIFT = Shift(
    shift_id="S1",
    worker_id="W1",
    start=datetime(2026, 10, 12, 15, 0, tzinfo=UTC),
    end=datetime(2026, 10, 12, 23, 0, tzinfo=UTC),
    timezone="America/Los_Angeles",
    state="CA",
    location_id="L1",
    rate=D("32.00"),
)
CTX = SendContext(
    roster={
        "W1": Worker(worker_id="W1", name="Wes", type="W2", rates=(), location_id="L1", manager_id=None, role="worker")
    },
    locations={},
)


def body(shift: Shift) -> dict[str, object]:
    op = Op("create", "everee", shift.shift_id, shift.worker_id, date(2026, 10, 12), "v1", "k", "ot:everee:S1", shift)
    return shift_body(op, CTX, {"L1": 101}, "NEXT_PAYROLL_PAYMENT")


def test_a_display_rate_set_on_the_shift_is_sent() -> None:
    sent = body(replace(SHIFT, display_rate=D("21.00")))
    assert sent["displayHourlyPayRate"] == {"amount": "21.00", "currency": "USD"}
    assert sent["effectiveHourlyPayRate"] == {"amount": "32.00", "currency": "USD"}


def test_no_display_rate_set_sends_none() -> None:
    """A display rate the stub's policy fills in (profile, regular rate) is not sent: Everee
    shows its own profile rate, and a regular rate depends on the whole week's pay."""
    assert "displayHourlyPayRate" not in body(SHIFT)


def test_else_the_workers_display_rate_is_sent() -> None:
    wes = replace(CTX.roster["W1"], display_rate=D("22.50"))
    ctx = replace(CTX, roster={"W1": wes})
    op = Op("create", "everee", "S1", "W1", date(2026, 10, 12), "v1", "k", "ot:everee:S1", SHIFT)
    sent = shift_body(op, ctx, {"L1": 101}, "NEXT_PAYROLL_PAYMENT")
    assert sent["displayHourlyPayRate"] == {"amount": "22.50", "currency": "USD"}
    op = replace(op, shift=replace(SHIFT, display_rate=D("21.00")))
    assert shift_body(op, ctx, {"L1": 101}, "NEXT_PAYROLL_PAYMENT")["displayHourlyPayRate"]["amount"] == "21.00"  # type: ignore[index]
