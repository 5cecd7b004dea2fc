"""Pilot tests of the Exceptions screen (key X) on the demo company, in the pay period of the
frozen clock (2026-10-25 to 2026-11-07): W06's and W13's missing out-punches to fix (each
blocking only its own worker), W02's, W04's and W07's meal premiums to review; enter on a missing
punch opens the shift form, which adds the punch and the item goes; enter on a premium opens
the week's explanation; a worker sees the queue's refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from tui_helpers import NOW, screenshot, settle

from ledger.store import Ledger
from ot.services.exceptions_view import exceptions_queue
from tui.app import OtApp
from tui.screens.exceptions import ExceptionsScreen
from tui.screens.payrun import TextScreen
from tui.screens.shift_form import ShiftFormScreen

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]


def _rows(screen: ExceptionsScreen) -> list[tuple[str, ...]]:
    table = screen.query_one("#exceptions-table", DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def _text(app: OtApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _open(app: OtApp, pilot: Pilot[None]) -> ExceptionsScreen:
    await settle(app, pilot)
    await pilot.press("X")
    await settle(app, pilot)
    assert isinstance(app.screen, ExceptionsScreen)
    return app.screen


async def _select(app: OtApp, pilot: Pilot[None], screen: ExceptionsScreen, worker: str) -> None:
    table = screen.query_one("#exceptions-table", DataTable)
    row = next(i for i, r in enumerate(_rows(screen)) if r[0] == worker)
    table.move_cursor(row=row)
    await pilot.pause()


async def test_missing_punches_block_only_their_worker_and_open_the_shift_form(
    demo_ledger: Path, make_app: MakeApp
) -> None:
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        rows = _rows(screen)
        assert [(r[0], r[4], r[5], r[6]) for r in rows if r[6] == "yes"] == [
            ("W06", "missing out-punch", "S1377", "yes"),
            ("W13", "missing out-punch", "S2010", "yes"),
        ]
        review = [(r[0], r[4]) for r in rows if r[6] == "no"]
        assert review == [("W02", "meal premium"), ("W04", "meal premium")] + [("W07", "meal premium")] * 2
        head = _text(app, "#exceptions-head")
        assert "2026-10-25 to 2026-11-07 · 2 to fix (W06, W13) · 4 to review" in head
        assert "each blocks only its own worker's timecard: everyone else is paid as usual" in head

        await _select(app, pilot, screen, "W06")
        detail = _text(app, "#exceptions-detail")
        assert "Blocks W06's timecard only" in detail
        assert "add the out-punch" in detail
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ShiftFormScreen)
        assert form.start.shift_id == "S1377"
        assert form.start.missing == "out"
        form.query_one("#end", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", *"15:30")
        form.query_one("#reason", Input).focus()
        await pilot.press(*"forgot to punch out")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert [(r[0], r[5]) for r in _rows(screen) if r[6] == "yes"] == [("W13", "S2010")]
        assert "1 to fix (W13)" in _text(app, "#exceptions-head")
    with Ledger.open(demo_ledger, create=False) as led:
        punch = list(led.events(kind="punch.recorded"))[-1]
    assert (punch.payload["worker_id"], punch.payload["kind"], punch.actor) == ("W06", "out", "A1")
    assert punch.payload["at"].startswith("2026-11-04")


async def test_a_premium_opens_the_week_explanation(demo_ledger: Path, make_app: MakeApp) -> None:
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        await _select(app, pilot, screen, "W04")
        assert "Blocks nothing: it is paid" in _text(app, "#exceptions-detail")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TextScreen)
        assert app.screen.title_text == "Explanation: W04, week of 2026-10-25"
        assert "meal" in app.screen.text
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen


async def test_a_worker_sees_the_refusal(demo_ledger: Path, make_app: MakeApp) -> None:
    view = exceptions_queue(demo_ledger, "W01", NOW.date())
    assert view.refusal is not None
    app = make_app(demo_ledger, "W01")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        assert not screen.query_one("#exceptions-table", DataTable).display
        assert _text(app, "#exceptions-detail") == view.refusal
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_exceptions_snapshot(
    demo_ledger: Path, make_app: MakeApp, snapshot_svg: SnapshotAssertion, size: tuple[int, int]
) -> None:
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=size) as pilot:
        await _open(app, pilot)
        assert await screenshot(app, pilot) == snapshot_svg


async def test_a_punch_from_elsewhere_reads_only_its_worker_again(
    demo_ledger: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process adds W06's missing out-punch: the screen reads W06 again, not the roster (at 2,000
    workers a whole read takes seconds), and shows what a whole read gives; R reads every worker."""
    from datetime import timedelta

    from tests_support import count_price_calls

    from ot.services.punch import add_punch

    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        assert screen.view is not None
        missing = next(i for i in screen.view.items if i.worker_id == "W06" and i.kind == "missing_out")
        priced = count_price_calls(monkeypatch)
        add_punch(
            demo_ledger,
            worker_id="W06",
            kind="out",
            at=f"{missing.day}T23:00",
            reason="forgot",
            actor="A1",
            now=NOW + timedelta(minutes=1),
        )
        with Ledger.open(demo_ledger, create=False) as ledger:
            head = ledger.head()[0]
        screen.ledger_moved((head, 0))
        await settle(app, pilot)
        assert priced == [("W06",)]
        assert screen.view == exceptions_queue(demo_ledger, "A1", missing.day)
        assert not any(i.worker_id == "W06" and i.kind == "missing_out" for i in screen.view.items)
        priced.clear()
        await pilot.press("R")
        await settle(app, pilot)
        assert len(priced) == 1
        assert len(priced[0]) > 30


@pytest.mark.parametrize(
    ("setting", "period"),
    [("", "2026-11-08 to 2026-11-21"), ('period = "current"\n', "2026-11-22 to 2026-12-05")],
    ids=["latest", "current"],
)
async def test_it_opens_on_the_period_the_config_names_as_approvals_does(
    demo_ledger: Path, tmp_path: Path, setting: str, period: str
) -> None:
    """With the clock at 2026-12-03, past the demo's punches, the screen opens on the latest period with punches
    (the config's default ``period = "latest"``, as Approvals), with its blockers, not on today's empty
    one (a review: "Nothing to fix" with the real clock while unpaid blockers waited); ``current``
    opens on today's."""
    config = tmp_path / "config.toml"
    config.write_text(setting)
    app = OtApp(demo_ledger, "A1", NOW + timedelta(days=28), poll_seconds=3600, blink=False, config_file=config)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        assert _text(app, "#exceptions-head").startswith(period)
        if not setting:
            assert [r[0] for r in _rows(screen) if r[6] == "yes"] == ["W22", "W22", "W22", "W29"]
