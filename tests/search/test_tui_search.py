"""Pilot test: the timecards' worker list searches with the FTS5 service as you type (prefixes of
any word: id, name, location, manager, role), and the filter dialog's "PIN override only" toggle."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from search_roster import build
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from tui.app import OtApp
from tui.screens.filters import FilterScreen
from tui.screens.timecards import TimecardsScreen
from tui.widgets.worker_list import WorkerList

pytestmark = pytest.mark.anyio

NOW = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)
EVERYONE = ["A1", "M1", "M2", "T1", "W-001", "W0123", "W0456"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def settle(app: OtApp, pilot: Pilot[None]) -> None:
    """Wait until no worker runs and what they posted is handled (never sleeps)."""
    for _ in range(20):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if all(w.is_finished for w in app.workers):
            await pilot.pause()
            if all(w.is_finished for w in app.workers):
                return
    raise AssertionError("the app did not settle")


def ids(app: OtApp) -> list[str]:
    return [w.worker_id for w in app.screen.query_one(WorkerList).loaded]


async def typed(app: OtApp, pilot: Pilot[None], text: str) -> list[str]:
    """Clear the search box, type ``text`` key by key, and return the list shown."""
    await pilot.press("slash", "ctrl+a", "ctrl+k", *text)
    await settle(app, pilot)
    return ids(app)


async def test_search_as_you_type_and_pin_override_filter(ledger_path: Path, tmp_path: Path) -> None:
    build(ledger_path, tmp_path)
    app = OtApp(ledger_path, "A1", NOW, poll_seconds=3600, blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TimecardsScreen)
        assert ids(app) == EVERYONE
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("a")
        await settle(app, pilot)
        # Ann Admin; M1 and M2, managed by A1; Alice; Alison
        assert ids(app) == ["A1", "M1", "M2", "W0123", "W0456"]
        await pilot.press("l")
        await settle(app, pilot)
        assert ids(app) == ["W0123", "W0456"]
        await pilot.press("space", "w", "o")
        await settle(app, pilot)
        assert ids(app) == ["W0123", "W0456"]  # Wong, and role worker
        await pilot.press("n")
        await settle(app, pilot)
        assert ids(app) == ["W0123"]
        assert await typed(app, pilot, "W01") == ["W0123"]
        assert await typed(app, pilot, "jose") == ["W-001"]
        assert await typed(app, pilot, "hou") == ["M2", "T1", "W0456"]
        assert await typed(app, pilot, "lice") == []
        assert await typed(app, pilot, "") == EVERYONE

        await pilot.press("escape", "f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#f-pin-override", Checkbox).value = True
        await pilot.click("#f-apply")
        await settle(app, pilot)
        assert ids(app) == ["W-001", "W0456"]
        assert "PIN override" in str(app.screen.query_one("#filter-line", Static).render())
        assert await typed(app, pilot, "bob") == ["W0456"]
        assert await typed(app, pilot, "alice") == []
        await pilot.press("escape", "f")
        await pilot.pause()
        assert app.screen.query_one("#f-pin-override", Checkbox).value is True
        await pilot.click("#f-clear")
        await settle(app, pilot)
        assert ids(app) == ["W0123"]  # the search "alice" still narrows; the override filter is off
        assert await typed(app, pilot, "") == EVERYONE
