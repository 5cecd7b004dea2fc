"""User text is shown as text, never run as markup (issue 11): a worker named ``Ana [/b] Chen [/``
does not crash a screen, ``[@click=app.quit]`` does not quit the app, and a punch dated in the year 1
already in a ledger does not stop the app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests_support import punch_event
from textual.widgets import Static
from tui_helpers import settle

from ledger.events import NewEvent
from ledger.store import Ledger
from tui.app import OtApp
from tui.screens.timecards import TimecardsScreen

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]

EVIL = {
    "A1": "Ana [/b] Chen [/",
    "W01": "[@click=app.quit]Bob[/]",
    "W02": "[bold red]Eve[/bold red] [link=https://example.com]x[/link] [",
}


def _rename(path: Path, names: dict[str, str]) -> None:
    with Ledger.open(path, create=False) as ledger:
        ledger.append(
            [
                NewEvent("worker.changed", {"worker_id": wid, "name": name}, worker_id=wid)
                for wid, name in names.items()
            ],
            actor="other-process",
            now=datetime(2026, 11, 5, 12, tzinfo=UTC),
        )


def _poison(path: Path) -> None:
    with Ledger.open(path, create=False) as ledger:
        ledger.append(
            [
                punch_event("W01", at, kind)
                for at, kind in (("0001-01-01T08:00:00Z", "in"), ("9999-12-31T20:00:00Z", "out"))
            ],
            actor="other-process",
            now=datetime(2026, 11, 5, 12, tzinfo=UTC),
        )


def _shown(app: OtApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def _tour(app: OtApp, pilot: object) -> None:
    """Every screen, and each evil worker's week and explanation on the timecards."""
    for key in ("a", "2", "1", "s", "p", "r", "t"):
        await pilot.press(key)  # type: ignore[attr-defined]
        await settle(app, pilot)  # type: ignore[arg-type]
        assert app.is_running, f"the app stopped after {key}"


async def test_names_with_markup_are_shown_as_text(demo_ledger: Path, make_app: MakeApp) -> None:
    _rename(demo_ledger, EVIL)
    app = make_app(demo_ledger, user="A1")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TimecardsScreen)
        assert EVIL["A1"] in _shown(app)
        for wid in ("W01", "W02"):
            await pilot.press("slash", *wid, "enter")
            await settle(app, pilot)
            assert app.is_running
            assert EVIL[wid] in _shown(app), wid
            await pilot.press("e")
            await settle(app, pilot)
            assert app.is_running
            await pilot.press("escape")
            await settle(app, pilot)
        await _tour(app, pilot)
        assert app.is_running
        assert app.return_code is None


async def test_a_punch_in_the_year_1_does_not_stop_the_app(demo_ledger: Path, make_app: MakeApp) -> None:
    _poison(demo_ledger)
    app = make_app(demo_ledger, user="A1")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"W01", "enter")
        await settle(app, pilot)
        assert app.is_running
        await _tour(app, pilot)
        assert app.is_running
