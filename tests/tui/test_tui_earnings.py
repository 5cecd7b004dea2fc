"""Voiding an earning from the timecards (issue 16: earnings need the TUI as well as the CLI): ``V``
lists the worker's earnings dated in the week shown; ``ctrl+s`` voids the selected one through
``ot earning void``'s service. On the demo company (admin A1; W02 Jamal Alvarez, California).

Refused and shown in the dialog, nothing written: no reason, a worker acting as an admin, and a paid
week without an authorized correction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from test_tui_earning_form import _events, _head, _open_w02, _pay_w02_first_period
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static
from tui_helpers import NOW, palette, screenshot, settle

from ot.services.earning_form import save_earning_form, start_earning
from tui.app import OtApp
from tui.screens.earnings import EarningsScreen

FRIDAY = date(2026, 11, 6)  # in the week the demo's timecards open on
PAID_DAY = date(2026, 10, 20)


def _record(path: Path, day: date, amount: str) -> str:
    form = replace(start_earning(path, "W02", day).form, day=day.isoformat(), kind="bonus", amount=amount)
    return save_earning_form(path, form, actor="A1", now=NOW).earning_ids[0]


def _dialog(app: OtApp) -> EarningsScreen:
    assert isinstance(app.screen, EarningsScreen), app.screen
    return app.screen


def _msg(app: OtApp) -> str:
    return str(_dialog(app).query_one("#msg", Static).content)


async def _open(app: OtApp, pilot: Pilot[None], weeks_back: int = 0) -> EarningsScreen:
    screen = await _open_w02(app, pilot, weeks_back)
    assert "Void an earning of this week" in set(palette(screen))
    await pilot.press("V")
    await settle(app, pilot)
    return _dialog(app)


async def _reason(app: OtApp, pilot: Pilot[None], text: str) -> None:
    _dialog(app).query_one("#reason", Input).value = text
    await settle(app, pilot)


@pytest.mark.anyio
async def test_void_an_earning_of_the_week_shown(demo_ledger: Path) -> None:
    """V lists the week's earning; ctrl+s without a reason is refused in the dialog, naming its Reason
    field (not --reason TEXT), and nothing is written;
    with one, an earning.voided event, and the list is empty."""
    earning_id = _record(demo_ledger, FRIDAY, "80.00")
    app = OtApp(demo_ledger, "A1", NOW, poll_seconds=3600, blink=False)
    async with app.run_test(size=(100, 34), notifications=True) as pilot:
        dialog = await _open(app, pilot)
        assert {"Void the selected earning", "Close the earnings"} <= set(palette(dialog))
        assert [r["earning_id"] for r in dialog.rows] == [earning_id]
        assert dialog.selected() == earning_id
        before = _head(demo_ledger)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert _msg(app).startswith("Reason: say why the earning is voided (kept in the ledger)")
        assert "--reason" not in _msg(app)  # the dialog's field, not the command line's flag (a review)
        assert _head(demo_ledger) == before
        await _reason(app, pilot, "paid twice by mistake")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert dialog.rows == []
        assert "No earning is dated in this week" in str(dialog.query_one("#empty", Static).content)
        assert any(f"voided earning {earning_id}" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, EarningsScreen)
    [event] = _events(demo_ledger, "earning.voided")
    assert event.payload == {"earning_id": earning_id, "worker_id": "W02", "reason": "paid twice by mistake"}


@pytest.mark.anyio
async def test_a_worker_may_not_list_or_void(demo_ledger: Path) -> None:
    """W02 signed in: the dialog says the service refused the list (a worker may not list workers'
    earnings), so there is nothing to void; nothing is written."""
    _record(demo_ledger, FRIDAY, "80.00")
    app = OtApp(demo_ledger, "W02", NOW, poll_seconds=3600, blink=False)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        await pilot.press("V")
        await settle(app, pilot)
        dialog = _dialog(app)
        assert "may not list workers" in _msg(app)
        assert dialog.rows == []
        before = _head(demo_ledger)
        await _reason(app, pilot, "not mine to void")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "No earning selected" in _msg(app)
        assert _head(demo_ledger) == before
    assert _events(demo_ledger, "earning.voided") == []


@pytest.mark.anyio
async def test_a_paid_week_needs_the_correction_box(demo_ledger: Path) -> None:
    """An earning in a paid week: voiding it is an overpayment, refused until the box is ticked
    (the reason is the correction's too); then the earning and the correction are recorded."""
    earning_id = _record(demo_ledger, PAID_DAY, "50.00")
    _pay_w02_first_period(demo_ledger)
    app = OtApp(demo_ledger, "A1", NOW, poll_seconds=3600, blink=False)
    async with app.run_test(size=(100, 34), notifications=True) as pilot:
        dialog = await _open(app, pilot, weeks_back=2)
        assert dialog.first <= PAID_DAY <= dialog.last
        assert dialog.selected() == earning_id
        await _reason(app, pilot, "bonus withdrawn")
        before = _head(demo_ledger)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "would change what paid dates were paid" in _msg(app)
        assert _head(demo_ledger) == before
        dialog.query_one("#correction", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert dialog.rows == []
    assert _events(demo_ledger, "earning.voided")
    assert any(e.payload["kind"] == "overpayment" for e in _events(demo_ledger, "correction.recorded"))


@pytest.mark.anyio
async def test_earnings_snapshot(demo_ledger: Path, snapshot_svg: SnapshotAssertion) -> None:
    """The week's earnings over W02's timecards with an $80.00 bonus: the timecards price it (29 CFR
    778.110: reg rate (48.53 h x $19.75 + $80.00) / 48.53 h = $21.3985; Monday 8.00 x 19.75 + 1.95 x 29.625
    + 1.95 x 0.5 x 1.6485 = 158.00 + 57.77 + 1.61 = 217.38; gross 1135.40, the rows' 1055.40 and the
    bonus's 80.00; Wednesday's 301.60~ carries a cent of the week's rounding)."""
    _record(demo_ledger, FRIDAY, "80.00")
    app = OtApp(demo_ledger, "A1", NOW, poll_seconds=3600, blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(app, pilot)
        assert await screenshot(app, pilot) == snapshot_svg
