"""Pilot tests of whole flows: welcome -> demo, moving between weeks and workers,
search and filters, the explain panel, and changes made by another process."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from tests_support import punch_event
from textual.widgets import Checkbox, HelpPanel, Input, Select, Static
from textual.widgets._footer import FooterKey
from tui_helpers import NOW, palette, run_command, settle

from ledger.events import NewEvent
from ledger.store import Ledger
from ot.services.browse import timecard_week
from rules.files import default_rules_path
from tui.app import SCREENS, OtApp
from tui.screens.filters import FilterScreen
from tui.screens.timecards import TimecardsScreen
from tui.screens.welcome import WelcomeScreen
from tui.widgets.footer import PALETTE_HINT_WIDTH, OtFooter
from tui.widgets.timecard_grid import TimecardGrid
from tui.widgets.worker_list import WorkerList

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]


def _rule_line(words: str) -> int:
    """Line of the California rule with ``words`` in the shipped rules file."""
    lines = default_rules_path().read_text(encoding="utf-8").splitlines()
    california = next(i for i, line in enumerate(lines) if line.startswith("state CA "))
    return next(i for i in range(california, len(lines)) if words in lines[i]) + 1


def _timecards(app: OtApp) -> TimecardsScreen:
    screen = app.screen
    assert isinstance(screen, TimecardsScreen), f"on {type(screen).__name__}, not the timecards"
    return screen


def _ids(app: OtApp) -> list[str]:
    return [w.worker_id for w in app.screen.query_one(WorkerList).loaded]


def _text(app: OtApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_empty_ledger_welcome_loads_the_demo(ledger_path: Path, make_app: MakeApp) -> None:
    """An empty ledger opens on the welcome screen; d loads the demo company
    (the service `ot demo` runs, in a worker) and opens the timecards."""
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert "is empty" in _text(app, "#welcome-text")
        await pilot.press("d")
        await settle(app, pilot)
        screen = _timecards(app)
        assert screen.query_one(WorkerList).total == 40
        assert screen.week is not None
        assert screen.week.week_start == date(2026, 11, 1)  # the week of the frozen clock
    with Ledger.open(ledger_path, create=False) as ledger:
        assert len(ledger.roster()) == 40


async def test_weeks_and_workers_move_with_single_keys(demo_ledger: Path, make_app: MakeApp) -> None:
    """] and [ move a week; n and N move a worker; the grid shows the new week."""
    app = make_app(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = _timecards(app)
        assert screen.worker_id == "A1"
        assert screen.week is not None
        assert screen.week.week_start == date(2026, 11, 1)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.week.week_start == date(2026, 11, 8)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert screen.week.week_start == date(2026, 10, 25)
        await pilot.press("n", "n")
        await settle(app, pilot)
        assert screen.worker_id == "M2"
        assert screen.week.worker.worker_id == "M2"
        assert screen.week.week_start == date(2026, 10, 25)
        grid = screen.query_one(TimecardGrid)
        assert grid.row_count == len(screen.week.rows) > 0
        assert "M2 Carla Reyes" in _text(app, "#week-title")
        await pilot.press("N")
        await settle(app, pilot)
        assert screen.week.worker.worker_id == "M1"
        await pilot.press("j")
        assert grid.cursor_row == 1
        await pilot.press("k")
        assert grid.cursor_row == 0


async def test_search_narrows_the_worker_list(demo_ledger: Path, make_app: MakeApp) -> None:
    """/ focuses the search box; typed words narrow the list to matching ids and names;
    enter goes back to the grid with the match's week shown."""
    app = make_app(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = _timecards(app)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"nora")
        await settle(app, pilot)
        assert _ids(app) == ["W06"]
        assert "1 worker" in _text(app, "#filter-line")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.focused, TimecardGrid)
        assert screen.week is not None
        assert screen.week.worker.name == "Nora Nguyen"
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"zzz")
        await settle(app, pilot)
        assert _ids(app) == []
        assert "No worker matches" in _text(app, "#week-title")


async def test_filters_by_state_manager_and_exceptions(demo_ledger: Path, make_app: MakeApp) -> None:
    """f opens the filter dialog; Apply narrows the list by state and manager; "has
    exceptions" keeps the workers with a shift flagged for review in the shown week
    (the demo's missing punches); Clear brings everyone back."""
    app = make_app(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = _timecards(app)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#f-state", Select).value = "CO"
        await pilot.click("#f-apply")
        await settle(app, pilot)
        loaded = screen.query_one(WorkerList).loaded
        assert loaded
        assert {w.state for w in loaded} == {"CO"}
        assert "state CO" in _text(app, "#filter-line")
        manager = loaded[0].manager_id or loaded[-1].manager_id
        assert manager is not None
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#f-state", Select).clear()
        app.screen.query_one("#f-manager", Select).value = manager
        await pilot.click("#f-apply")
        await settle(app, pilot)
        assert {w.manager_id for w in screen.query_one(WorkerList).loaded} == {manager}
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#f-manager", Select).clear()
        app.screen.query_one("#f-exceptions", Checkbox).value = True
        await pilot.click("#f-apply")
        await settle(app, pilot)
        assert _ids(app) == ["W06"]
        assert screen.week is not None
        assert screen.week.exceptions >= 1
        await pilot.press("f")
        await pilot.pause()
        await pilot.click("#f-clear")
        await settle(app, pilot)
        assert len(_ids(app)) == 40
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_explain_shows_the_rule_of_a_california_daily_overtime_shift(
    demo_ledger: Path, make_app: MakeApp
) -> None:
    """W02 (Long Beach, CA) works 05:58-16:25 with a 30-minute meal on Mon 2026-11-02:
    9.95 hours, of which the 1.95 past 8 are overtime under California's daily rule
    (Cal. Lab. Code 510(a): over 8 hours in a workday at 1.5x), which beats the
    federal rule (29 U.S.C. 207(a): weekly only, so regular that day)."""
    app = make_app(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = _timecards(app)
        await pilot.press("slash", *"W02", "enter")
        await settle(app, pilot)
        grid = screen.query_one(TimecardGrid)
        row = grid.selected
        assert row is not None
        assert row.day == date(2026, 11, 2)
        assert row.overtime == Decimal("1.95")
        await pilot.press("e")
        await pilot.pause()
        assert screen.query_one("#explain").display
        text = _text(app, "#explain-text")
        assert f"1.95h OT: CA daily over 8h x1.5 (rules.example.ot:{_rule_line('daily over 8h is OT')})" in text
        assert "not: REG FEDERAL regular hours" in text
        await pilot.press("j")
        await pilot.pause()
        assert _text(app, "#explain-text").startswith(f"Explain {grid.selected.shift_id} ")  # type: ignore[union-attr]
        await pilot.press("e")
        await pilot.pause()
        assert not screen.query_one("#explain").display


async def test_an_append_by_another_process_shows_up(demo_ledger: Path, make_app: MakeApp) -> None:
    """Punches appended through the Ledger API while the app is open appear at the
    next look at the ledger's head, without a restart."""
    app = make_app(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = _timecards(app)
        await pilot.press("slash", *"W01", "enter")
        await settle(app, pilot)
        assert screen.week is not None
        before = len(screen.week.rows)
        with Ledger.open(demo_ledger, create=False) as other:
            other.append(
                [
                    punch_event("W01", at, kind)
                    for at, kind in (("2026-11-07T16:00:00Z", "in"), ("2026-11-07T20:00:00Z", "out"))
                ],
                actor="other-process",
                now=datetime(2026, 11, 7, 21, tzinfo=UTC),
            )
        app.check_ledger()  # what the app's poll timer does every few seconds
        await settle(app, pilot)
        assert len(screen.week.rows) == before + 1
        assert screen.week.rows[-1].day == date(2026, 11, 7)
        assert screen.worker_id == "W01"


async def test_screen_keys_help_and_palette(demo_ledger: Path, make_app: MakeApp) -> None:
    """a/s/r/p open their screens; t comes back; ? shows the keys; the command palette
    offers the app's screens and the screen's actions."""
    app = make_app(demo_ledger)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for spec in SCREENS[1:]:
            await pilot.press(spec.key)
            await settle(app, pilot)
            assert isinstance(app.screen, spec.screen)
        await pilot.press("t")
        await settle(app, pilot)
        screen = _timecards(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen.query(HelpPanel)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not screen.query(HelpPanel)
        titles = set(palette(screen))
        assert {"Go to Timecards", "Go to Approvals", "Next week", "Explain the shift", "Filter workers"} <= titles


async def test_palette_command_runs_the_action(demo_ledger: Path, make_app: MakeApp) -> None:
    """A command from the palette runs the screen's action (here: next week)."""
    app = make_app(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = _timecards(app)
        await run_command(palette(screen)["Next week"])
        await settle(app, pilot)
        assert screen.week is not None
        assert screen.week.week_start == date(2026, 11, 8)


def test_the_frozen_clock_is_used() -> None:
    """The app reads the frozen clock it is given (snapshots depend on it)."""
    app = OtApp(Path("x.db"), "tester", NOW)
    assert app.today() == date(2026, 11, 5)


async def test_stale_results_are_dropped_and_failures_shown(demo_ledger: Path, make_app: MakeApp) -> None:
    """A week read for a worker or week no longer wanted is not shown; a read that
    fails (an unknown worker) is shown as an error notification, and the app goes on."""
    app = make_app(demo_ledger)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        screen = _timecards(app)
        shown = screen.week
        assert shown is not None
        other = timecard_week(demo_ledger, "W02", date(2026, 10, 20))
        screen.week_loaded(other, ("W02", date(2026, 10, 20)))
        await settle(app, pilot)
        assert screen.week is shown
        screen.worker_id = "NOPE"
        screen.load_week()
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("no worker 'NOPE' in the ledger" in m for m in messages), messages
        assert screen.week is shown


async def test_worker_list_loads_pages_as_the_cursor_moves(
    demo_ledger: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list holds one page of workers; reaching its end loads the next page."""
    import tui.screens.timecards as timecards

    monkeypatch.setattr(timecards, "PAGE", 10)
    app = make_app(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        workers = app.screen.query_one(WorkerList)
        assert len(workers.loaded) == 10
        assert workers.total == 40
        for _ in range(9):
            await pilot.press("n")
        await settle(app, pilot)
        assert len(workers.loaded) == 20
        for _ in range(30):
            await pilot.press("n")
        await settle(app, pilot)
        assert len(workers.loaded) == 40
        assert _timecards(app).worker_id == workers.loaded[-1].worker_id
        assert len({w.worker_id for w in workers.loaded}) == 40


async def test_welcome_moves_on_when_another_process_fills_the_ledger(ledger_path: Path, make_app: MakeApp) -> None:
    """While the welcome screen waits, an import by another process opens the timecards."""
    app = make_app(ledger_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        welcome = app.screen
        assert isinstance(welcome, WelcomeScreen)
        app.check_ledger()
        await settle(app, pilot)
        assert app.screen is welcome  # still empty: nothing happens
        with Ledger.open(ledger_path) as other:
            other.append(
                [
                    NewEvent(
                        "location.added",
                        {"location_id": "L1", "name": "Main", "state": "TX", "timezone": "America/Chicago"},
                        key="location:L1",
                    )
                ],
                actor="other-process",
                now=NOW,
            )
        app.check_ledger()  # what the app's poll timer does every few seconds
        await settle(app, pilot)
        screen = _timecards(app)
        assert "0 workers" in _text(app, "#filter-line")
        assert screen.worker_id is None


@pytest.mark.parametrize("width", [80, 120])
async def test_every_screen_s_footer_holds_its_keys(demo_ledger: Path, make_app: MakeApp, width: int) -> None:
    """At 80 columns every key of each screen's footer shows whole, ``q Quit`` last (the palette's hint gives
    way: ctrl+p still opens it and ``?`` lists it); from 100 columns the hint shows too."""
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(app, pilot)
        for spec in SCREENS:
            await pilot.press(spec.key)
            await settle(app, pilot)
            footer = app.screen.query_one(OtFooter)
            keys = list(footer.query(FooterKey))
            assert keys, spec.key
            # Nothing runs off the right edge (the footer would scroll sideways, by mouse only).
            assert footer.max_scroll_x == 0, (spec.key, footer.virtual_size, [k.description for k in keys])
            assert "Quit" in [k.description for k in keys], spec.key
            assert any(k.has_class("-command-palette") for k in keys) == (width >= PALETTE_HINT_WIDTH), spec.key
