"""Excusing a day from reporting-time pay from the timecards (IWC Wage Order 4-2001 section 5(C), (D)):
``R`` opens a dialog for the selected day; ``ctrl+s`` records it through ``ot schedule excuse``'s
service. On the demo company (admin A1; W02 Jamal Alvarez, California). A refusal is shown in the
dialog and nothing is written; escape writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_earning_form import _events, _head, _open_w02
from textual.widgets import Input, Select, Static
from tui_helpers import NOW, palette, settle

from tui.app import OtApp
from tui.screens.excuse import ExcuseScreen


def _dialog(app: OtApp) -> ExcuseScreen:
    assert isinstance(app.screen, ExcuseScreen), app.screen
    return app.screen


@pytest.mark.anyio
async def test_excuse_the_selected_day(demo_ledger: Path) -> None:
    """R opens the dialog on the day selected; the cause's words name its section; ctrl+s records one
    schedule.excused event with the cause and the note, closes, and says so."""
    app = OtApp(demo_ledger, "A1", NOW, poll_seconds=3600, blink=False)
    async with app.run_test(size=(100, 34), notifications=True) as pilot:
        screen = await _open_w02(app, pilot)
        assert "Excuse the day from reporting-time pay" in set(palette(screen))
        await pilot.press("R")
        await settle(app, pilot)
        dialog = _dialog(app)
        assert {"Save the excuse", "Cancel the excuse"} <= set(palette(dialog))
        day = dialog.day
        dialog.query_one("#cause", Select).value = "utilities"
        await settle(app, pilot)
        assert "(section 5(C)(2))" in str(dialog.query_one("#cause-note", Static).content)
        dialog.query_one("#note", Input).value = "PSPS outage"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert any("excused from reporting-time pay (utilities)" in n.message for n in app._notifications)
    [event] = _events(demo_ledger, "schedule.excused")
    assert event.payload == {"worker_id": "W02", "date": day.isoformat(), "reason": "utilities", "note": "PSPS outage"}


@pytest.mark.anyio
async def test_a_worker_is_refused_in_the_dialog_and_escape_writes_nothing(demo_ledger: Path) -> None:
    """W02 signed in may not excuse (only who may import schedules): the refusal is shown in the
    dialog, nothing is written; escape then closes it."""
    app = OtApp(demo_ledger, "W02", NOW, poll_seconds=3600, blink=False)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        before = _head(demo_ledger)
        await pilot.press("R")
        await settle(app, pilot)
        dialog = _dialog(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "may not import schedules" in str(dialog.query_one("#msg", Static).content)
        assert _head(demo_ledger) == before
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExcuseScreen)
    assert _events(demo_ledger, "schedule.excused") == []


def test_no_screen_key_shadows_a_key_that_switches_screens() -> None:
    """The single-letter keys of tui/app.py's SCREENS work on every screen: a screen's own binding of
    the same key would take it (X on the timecards once opened this dialog, not the exceptions)."""
    from tui.app import SCREENS
    from tui.screens.earning_form import EarningFormScreen
    from tui.screens.earnings import EarningsScreen

    for spec in SCREENS:
        others = {s.key for s in SCREENS if s is not spec}  # its own key may act on it (P pays on Pay run)
        own = {b.key for b in spec.screen.BINDINGS if hasattr(b, "key")}
        assert not own & others, (spec.screen.__name__, own & others)
    for dialog in (ExcuseScreen, EarningsScreen, EarningFormScreen):  # dialogs take keys while open: fine
        assert dialog.BINDINGS
