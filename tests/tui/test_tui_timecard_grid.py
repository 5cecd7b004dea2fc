"""The Timecards grid never shows a money figure in part: at 80 columns it goes compact so that the Pay
column fits whole, and goes back when the terminal is wide again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ot.core.money import cents
from tests.tui.tui_helpers import settle
from tui.app import OtApp
from tui.widgets.timecard_grid import TimecardGrid

pytestmark = pytest.mark.anyio


def _visible(grid: TimecardGrid) -> list[str]:
    """The grid's lines as drawn (what fits in its width)."""
    return [grid.render_line(y).text for y in range(grid.size.height)]


async def test_the_pay_column_is_whole_at_80_columns_and_after_a_resize(
    demo_ledger: Path, make_app: Callable[[Path], OtApp]
) -> None:
    app = make_app(demo_ledger)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"W02", "enter")
        await settle(app, pilot)
        grid = app.screen.query_one(TimecardGrid)
        pays = [f"{cents(r.pay)}" for r in grid.rows_shown if r.pay is not None]
        assert len(pays) == 5
        assert grid.compact
        lines = _visible(grid)
        assert "Pay" in lines[0].split()
        for row, pay in zip(lines[1:], pays, strict=False):
            assert pay in row.split(), (row, pay)  # the whole figure, not cut at the edge
        await pilot.resize_terminal(140, 40)
        await settle(app, pilot)
        assert not grid.compact
        lines = _visible(grid)
        for row, pay in zip(lines[1:], pays, strict=False):
            assert pay in row.split(), (row, pay)
        assert "Brk" in lines[0].split()  # wide: every column, with the usual two cells between them
        assert "  Pay  " in lines[0]
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert grid.compact
        assert all(pay in row.split() for row, pay in zip(_visible(grid)[1:], pays, strict=False))
