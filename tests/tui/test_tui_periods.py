"""Pilot tests of the Period setup screen (key D) on the demo company (biweekly from 2026-10-11,
paid 5 days after): the calendar as `ot period show` lists it, today's period marked; the
configure form records a weekly calendar from 2026-11-08 (a ``payperiod.configured`` event) and
the list follows; a bad field is named in the form with nothing written; a manager is refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static
from tui_helpers import NOW, screenshot, settle

from ledger.store import Ledger
from ot.services.browse import ledger_head
from ot.services.periods import list_periods
from ot.services.periods_view import configure_from_form
from tui.app import OtApp
from tui.screens.periods import PAGE, ConfigureScreen, PeriodsScreen

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]


def _rows(screen: PeriodsScreen) -> list[list[str]]:
    table = screen.query_one("#periods-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _configs(path: Path) -> list[dict[str, object]]:
    with Ledger.open(path, create=False) as led:
        return [dict(e.payload) for e in led.events(kind="payperiod.configured")]


async def _open(app: OtApp, pilot: Pilot[None]) -> PeriodsScreen:
    await settle(app, pilot)
    await pilot.press("D")
    await settle(app, pilot)
    assert isinstance(app.screen, PeriodsScreen)
    return app.screen


async def _form(app: OtApp, pilot: Pilot[None], frequency: str, **fields: str) -> ConfigureScreen:
    await pilot.press("c")
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, ConfigureScreen)
    form.query_one("#configure-frequency", Select).value = frequency
    for field, text in fields.items():
        form.query_one(f"#configure-{field}", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", *text)
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    return form


async def test_the_calendar_then_a_weekly_one_from_november(demo_ledger: Path, make_app: MakeApp) -> None:
    listing = list_periods(demo_ledger, NOW.date(), PAGE)
    before = _configs(demo_ledger)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        head = str(screen.query_one("#periods-head", Static).render())
        assert "Pay periods: biweekly from 2026-10-11, paid 5 days after the end" in head
        assert "no date is paid yet" in head
        rows = _rows(screen)
        assert rows == [
            ["today" if p.start <= NOW.date() <= p.end else "", str(p.start), str(p.end), str(p.pay_date), str(p.days)]
            for p in listing.periods
        ]
        assert rows[0][:3] == ["today", "2026-10-25", "2026-11-07"]
        await _form(app, pilot, "weekly", anchor="2026-11-08", effective="2026-11-08")
        assert app.screen is screen
        rows = _rows(screen)
        assert rows[0][1:3] == ["2026-10-25", "2026-11-07"]  # before the change: as it was
        assert rows[1][1:5] == ["2026-11-08", "2026-11-14", "2026-11-19", "7"]
        head = str(screen.query_one("#periods-head", Static).render())
        assert "Schedule: biweekly from 2026-10-11" in head
        assert "then weekly from 2026-11-08, paid 5 days after the end (in force from 2026-11-08)" in head
    assert _configs(demo_ledger)[len(before) :] == [
        {"frequency": "weekly", "anchor": "2026-11-08", "pay_date_offset": 5, "effective": "2026-11-08"}
    ]


async def test_a_calendar_configured_elsewhere_is_shown(demo_ledger: Path, make_app: MakeApp) -> None:
    """A calendar configured by another process (``ot period configure``) shows at the app's next look."""
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        configure_from_form(
            demo_ledger,
            frequency="weekly",
            anchor="2026-11-08",
            pay_date_offset="5",
            effective="2026-11-08",
            actor="A1",
            now=NOW,
        )
        app.check_ledger()
        await settle(app, pilot)
        assert _rows(screen)[1][1:5] == ["2026-11-08", "2026-11-14", "2026-11-19", "7"]
        assert "then weekly from 2026-11-08" in str(screen.query_one("#periods-head", Static).render())


async def test_bad_fields_are_named_and_nothing_is_written(demo_ledger: Path, make_app: MakeApp) -> None:
    head = ledger_head(demo_ledger)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _open(app, pilot)
        form = await _form(app, pilot, "weekly", anchor="soon", offset="40")
        assert app.screen is form  # the form stays open with the problems, shown there only
        assert not [n for n in app._notifications if n.severity == "error"]
        text = str(form.query_one("#configure-message", Static).render())
        assert "anchor: 'soon' is not a date: write it as YYYY-MM-DD" in text
        assert "pay date offset: 40 is out of range: give 0 to 31 days" in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, PeriodsScreen)
    assert ledger_head(demo_ledger) == head


async def test_a_manager_is_refused_by_the_service(demo_ledger: Path, make_app: MakeApp) -> None:
    head = ledger_head(demo_ledger)
    app = make_app(demo_ledger, "M1")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(app, pilot)
        form = await _form(app, pilot, "weekly", anchor="2026-11-08", effective="2026-11-08")
        assert app.screen is form
        text = str(form.query_one("#configure-message", Static).render())
        assert "may not configure pay periods" in text
    assert ledger_head(demo_ledger) == head


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_periods_snapshot(
    demo_ledger: Path, make_app: MakeApp, snapshot_svg: SnapshotAssertion, size: tuple[int, int]
) -> None:
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=size) as pilot:
        await _open(app, pilot)
        assert await screenshot(app, pilot) == snapshot_svg
