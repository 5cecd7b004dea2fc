"""SVG snapshots of the screens: frozen clock (2026-11-05), zone pinned (TZ=UTC in
tests/conftest.py; the app shows each location's own zone), fixed sizes, no cursor
blink. Each docstring says what the screen must show; read the SVG before accepting it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from tui_helpers import screenshot, settle

from tui.app import OtApp

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_welcome(
    monkeypatch: pytest.MonkeyPatch,
    ledger_path: Path,
    make_app: MakeApp,
    snapshot_svg: SnapshotAssertion,
    size: tuple[int, int],
) -> None:
    """The welcome screen of an empty ledger: a bordered panel saying the ledger
    ``ledger.db`` is empty, that d loads the demo company (seven locations, 40
    people, four workweeks 2026-10-18 to 2026-11-14), the three `ot import` commands;
    the footer shows d Load demo, ? Keys, q Quit and ^p palette."""
    monkeypatch.chdir(ledger_path.parent)  # the path shown is the one given: keep it short and stable
    app = make_app(Path(ledger_path.name))
    async with app.run_test(size=size) as pilot:
        assert await screenshot(app, pilot) == snapshot_svg


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_timecards(
    demo_ledger: Path, make_app: MakeApp, snapshot_svg: SnapshotAssertion, size: tuple[int, int]
) -> None:
    """Timecards of W02 Jamal Alvarez (W2, LGB CA), week Sun 2026-11-01 to Sat
    2026-11-07, rules.example.ot: the worker list narrowed by the search "W02" to 1
    worker; five shifts Mon-Fri (05:58-16:25, 05:56-14:29, 06:00-19:32, 06:04-16:31,
    06:01-14:34), hours 9.95, 8.05, 12.53, 9.95, 8.05, REG 8.00 each, OT
    1.95/0.05/4.00/1.95/0.05 in the theme's warning colour (plain on the cursor row),
    DT 0.53 on Wednesday in its error colour, pay 215.77/159.48/297.44/215.77/159.48
    (Wednesday: 8.00 x 19.75 + 4.00 x 29.625 + 0.53 x 39.50 = 158.00 + 118.50 + 20.94);
    the totals line REG 40.00, OT 8.00, DT 0.53, Prem 0.00, reg rate 19.75, gross
    1047.94 (the five pays' sum); the explain panel open on Monday's S877: its breaks (REST, DEFAULT_UNPAID),
    two REG pieces under "CA regular hours", the last 1.95 h OT under "CA daily over 8h
    x1.5", each naming rules.example.ot:NN (the line, normalised here) and the federal rule it beat; the
    footer [] Week, n, /, f, e, A Add, E Edit, ? Keys, q. At 120x40 every column shows, the last
    (Brk) the minutes of the breaks (40m, 40m, 70m, 40m, 40m); at 80x24 the grid is compact (one cell
    between columns) so that Pay shows whole and Appr after it, the columns past Appr scroll off to
    the right, and the panel wraps."""
    app = make_app(demo_ledger)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"W02", "enter", "e")
        svg = await screenshot(app, pilot)
    # The shipped rules file changes as rules are added: its line numbers are checked
    # exactly by test_explain_shows_the_rule_of_a_california_daily_overtime_shift.
    assert re.sub(r"rules\.example\.ot:\d+", "rules.example.ot:NN", svg) == snapshot_svg
