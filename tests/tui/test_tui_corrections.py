"""Pilot tests of the Corrections audit screen (key C): the data of ``ot audit corrections`` on the
demo company with its first period paid and two corrections recorded after it (W02 on 2026-10-28,
paid with the next run; W03 on 2026-11-02, paid off-cycle), filtered by worker and since-date; a
bad date and an unknown worker are named in the panel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from tui_helpers import screenshot, settle

from ot.services.browse import ledger_head
from ot.services.corrections import audit
from ot.services.entries import ShiftInput, add_shift
from tui.app import OtApp
from tui.screens.corrections import CorrectionsScreen

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]


@pytest.fixture
def corrected(demo_paid_ledger: Path) -> Path:
    """Two hours-only entries on paid dates, each recorded as a correction by A1."""
    for worker, day, timeframe, at in (
        ("W02", "2026-10-24", "NEXT_PAYROLL_PAYMENT", datetime(2026, 10, 28, 15, 0, tzinfo=UTC)),
        ("W03", "2026-10-24", "IMMEDIATELY", datetime(2026, 11, 2, 15, 0, tzinfo=UTC)),
    ):
        add_shift(
            demo_paid_ledger,
            worker_id=worker,
            given=ShiftInput(day=day, hours="4"),
            reason="Saturday inventory was worked",
            correction_authorized=True,
            timeframe=timeframe,
            actor="A1",
            now=at,
        )
    return demo_paid_ledger


def _rows(screen: CorrectionsScreen) -> list[list[str]]:
    table = screen.query_one("#corrections-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _text(app: OtApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _open(app: OtApp, pilot: Pilot[None]) -> CorrectionsScreen:
    await settle(app, pilot)
    await pilot.press("C")
    await settle(app, pilot)
    assert isinstance(app.screen, CorrectionsScreen)
    return app.screen


async def _filter(app: OtApp, pilot: Pilot[None], field: str, text: str) -> None:
    app.screen.query_one(f"#corrections-{field}", Input).focus()
    await pilot.press("ctrl+a", "ctrl+k", *text, "enter")
    await settle(app, pilot)


async def test_the_audit_filtered_by_worker_and_date(corrected: Path, make_app: MakeApp) -> None:
    expected = audit(corrected)
    assert [r.correction.worker_id for r in expected] == ["W02", "W03"]
    head = ledger_head(corrected)
    app = make_app(corrected, "A1")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        rows = _rows(screen)
        assert [r[2] for r in rows] == ["W02", "W03"]
        first = expected[0].correction
        assert rows[0] == [
            first.correction_id,
            f"{first.at:%Y-%m-%d %H:%M}",
            "W02",
            f"+{first.amount}",
            str(first.week_start),
            "A1",
            "open",
            "added to the next pay run",
        ]
        assert first.kind == "underpayment"
        assert rows[1][6:] == ["settled 2026-11-02", "off-cycle payment"]
        assert _text(app, "#corrections-head") == "2 corrections · 1 open · + owed to the worker, - overpaid"
        detail = _text(app, "#corrections-detail")
        assert "why: Saturday inventory was worked" in detail
        assert "2026-10-24: was [" in detail

        await _filter(app, pilot, "worker", "W03")
        assert [r[2] for r in _rows(screen)] == ["W03"]
        await _filter(app, pilot, "worker", "")
        await _filter(app, pilot, "since", "2026-10-29")
        assert [r[2] for r in _rows(screen)] == ["W03"]
        await _filter(app, pilot, "since", "2026-11-03")
        assert _rows(screen) == []
        assert _text(app, "#corrections-detail") == "No over- or underpayments recorded with these filters."
    assert ledger_head(corrected) == head  # the audit writes nothing


async def test_bad_filters_are_named(corrected: Path, make_app: MakeApp) -> None:
    app = make_app(corrected, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        await _filter(app, pilot, "since", "last week")
        detail = _text(app, "#corrections-detail")
        assert "since: 'last week' is not a date: write it as YYYY-MM-DD" in detail
        assert _rows(screen) == []
        await _filter(app, pilot, "since", "")
        await _filter(app, pilot, "worker", "W99")
        assert "worker: no worker 'W99' in the ledger" in _text(app, "#corrections-detail")


async def test_a_correction_recorded_elsewhere_is_listed(demo_paid_ledger: Path, make_app: MakeApp) -> None:
    """A correction recorded by another process (the CLI) is listed at the app's next look at the ledger."""
    app = make_app(demo_paid_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        assert _rows(screen) == []
        add_shift(
            demo_paid_ledger,
            worker_id="W02",
            given=ShiftInput(day="2026-10-24", hours="4"),
            reason="Saturday inventory was worked",
            correction_authorized=True,
            timeframe="NEXT_PAYROLL_PAYMENT",
            actor="A1",
            now=datetime(2026, 10, 28, 15, 0, tzinfo=UTC),
        )
        app.check_ledger()
        await settle(app, pilot)
        assert [r[2] for r in _rows(screen)] == ["W02"]
        assert _text(app, "#corrections-head").startswith("1 correction · 1 open")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_corrections_snapshot(
    corrected: Path, make_app: MakeApp, snapshot_svg: SnapshotAssertion, size: tuple[int, int]
) -> None:
    app = make_app(corrected, "A1")
    async with app.run_test(size=size) as pilot:
        await _open(app, pilot)
        assert await screenshot(app, pilot) == snapshot_svg
