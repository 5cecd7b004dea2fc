"""Pilot tests of the Import screen (key I) on the demo company: a punches file previewed (what it
would add, nothing written), confirmed and imported; a bad file's rows named FILE:LINE:COLUMN with
nothing written and no import offered; a manager refused by the service; a missing file named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static
from tui_helpers import screenshot, settle

from ledger.store import Ledger
from ot.services.browse import ledger_head
from tui.app import OtApp
from tui.screens.import_screen import ImportScreen
from tui.widgets.approval_dialogs import ConfirmScreen

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]

GOOD = "worker_id,time,kind,location_id,break_type\nW01,2026-11-06T08:00,in,,\nW01,2026-11-06T16:30,out,,\n"
# Line 2: a worker not in the roster (column 1); line 3: a time that is not one (column 2).
BAD = "worker_id,time,kind,location_id,break_type\nW99,2026-11-06T08:00,in,,\nW01,yesterday,out,,\n"


def _text(app: OtApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _open(app: OtApp, pilot: Pilot[None]) -> ImportScreen:
    await settle(app, pilot)
    await pilot.press("I")
    await settle(app, pilot)
    assert isinstance(app.screen, ImportScreen)
    return app.screen


async def _fill(app: OtApp, pilot: Pilot[None], kind: str, path: Path, key: str = "enter") -> None:
    screen = app.screen
    screen.query_one("#import-kind", Select).value = kind
    field = screen.query_one("#import-file", Input)
    field.focus()
    # The path is set, not typed: typing a temporary folder's 80 characters key by key cost seconds a
    # test, and typing is not what these tests are about (the snapshot test types a short one).
    field.value = str(path)
    await pilot.press("end", key)  # enter in a field previews, as ctrl+r does
    await settle(app, pilot)


def _punches(path: Path) -> int:
    with Ledger.open(path, create=False) as led:
        return len(list(led.events(kind="punch.recorded")))


async def test_preview_then_confirm_to_import(demo_ledger: Path, make_app: MakeApp, tmp_path: Path) -> None:
    f = tmp_path / "friday.csv"
    f.write_text(GOOD)
    before, head = _punches(demo_ledger), ledger_head(demo_ledger)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(app, pilot)
        await pilot.press("ctrl+s")  # nothing previewed: nothing imported
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        await _fill(app, pilot, "punches", f, key="ctrl+r")
        assert _text(app, "#import-status") == f"Preview of {f}: would add 2 events"
        text = _text(app, "#import-text")
        assert f"{f}: 2 punches rows read; would add 2 events (2 punch.recorded)" in text
        assert "dry run: nothing was written" in text
        assert ledger_head(demo_ledger) == head
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.title_text == f"Import 2 events of punches from {f}?"
        await pilot.press("y")
        await settle(app, pilot)
        assert _text(app, "#import-status") == f"Imported {f}: added 2 events"
        assert "added 2 events (2 punch.recorded)" in _text(app, "#import-text")
    assert _punches(demo_ledger) == before + 2


async def test_a_bad_file_lists_file_line_column_and_writes_nothing(
    demo_ledger: Path, make_app: MakeApp, tmp_path: Path
) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(BAD)
    head = ledger_head(demo_ledger)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(app, pilot)
        await _fill(app, pilot, "punches", f)
        assert _text(app, "#import-status").startswith(f"Refused: {f}")
        text = _text(app, "#import-text")
        assert text.startswith("Nothing was written.")
        assert f"{f}:2:1" in text
        assert f"{f}:3:2" in text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportScreen)  # no import after a refused preview
    assert ledger_head(demo_ledger) == head


async def test_a_manager_is_refused_and_a_missing_file_is_named(
    demo_ledger: Path, make_app: MakeApp, tmp_path: Path
) -> None:
    f = tmp_path / "friday.csv"
    f.write_text(GOOD)
    app = make_app(demo_ledger, "M1")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _open(app, pilot)
        await _fill(app, pilot, "punches", f)
        assert "may not import punches" in _text(app, "#import-text")
        assert not [n for n in app._notifications if n.severity == "error"]  # shown once, in the pane
        await _fill(app, pilot, "workers", tmp_path / "nowhere.csv")
        text = _text(app, "#import-text")
        assert f"cannot read {tmp_path / 'nowhere.csv'}" in text
        assert "check the path and try again" in text


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_import_snapshot(
    demo_ledger: Path,
    make_app: MakeApp,
    snapshot_svg: SnapshotAssertion,
    size: tuple[int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bad file's errors, readable at both sizes (a relative path, so the picture is stable)."""
    monkeypatch.chdir(tmp_path)
    f = Path("bad.csv")
    f.write_text(BAD)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=size) as pilot:
        await _open(app, pilot)
        await _fill(app, pilot, "punches", f)
        assert await screenshot(app, pilot) == snapshot_svg


EARNINGS = "worker_id,date,kind,amount\nW01,2026-11-06,bonus,50.00\nW01,2026-11-06,gift,20.00\n"
BAD_EARNINGS = "worker_id,date,kind,amount\nW01,2026-11-06,tips,50.00\n"


async def test_an_earnings_file_is_previewed_then_imported(
    demo_ledger: Path, make_app: MakeApp, tmp_path: Path
) -> None:
    """Earnings (a bonus, a gift) through the same screen: previewed, nothing written, then imported."""
    f = tmp_path / "earnings.csv"
    f.write_text(EARNINGS)
    head = ledger_head(demo_ledger)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(app, pilot)
        await _fill(app, pilot, "earnings", f, key="ctrl+r")
        text = _text(app, "#import-text")
        assert f"{f}: 2 earnings rows read; would add 2 events (2 earning.recorded)" in text
        assert ledger_head(demo_ledger) == head
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert _text(app, "#import-status") == f"Imported {f}: added 2 events"
    with Ledger.open(demo_ledger, create=False) as led:
        assert len(list(led.events(kind="earning.recorded"))) == 2


async def test_a_bad_earnings_file_names_the_cell(demo_ledger: Path, make_app: MakeApp, tmp_path: Path) -> None:
    f = tmp_path / "bad-earnings.csv"
    f.write_text(BAD_EARNINGS)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(app, pilot)
        await _fill(app, pilot, "earnings", f, key="ctrl+r")
        text = _text(app, "#import-text")
        assert f"{f}:2:3" in text
        assert "kind 'tips' is not one of" in text
