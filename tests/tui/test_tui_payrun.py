"""Pilot tests of the Pay run screen (key P) on the demo company: the preview by worker of the
first pay period (2026-10-11 to 2026-10-24) with one worker left out and why, the confirmation
naming the total and the worker count, the run recorded and its stubs opened as text; a manager
sees the service's refusal, and nothing is written."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Static
from tui_helpers import NOW, palette, screenshot, settle

from ledger.approvals import PAYRUN, WORKER_PAID
from ledger.store import Ledger
from ot.services.approvals import approve_shifts, approve_timecards
from ot.services.browse import ledger_head
from ot.services.payrun_view import preview_payrun
from ot.stubs.layout import money
from tui.app import OtApp
from tui.screens.payrun import PayRunScreen, TextScreen
from tui.widgets.approval_dialogs import ConfirmScreen

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]

#: The demo's first pay period: the last one ended at the frozen clock (2026-11-05).
FIRST = date(2026, 10, 11)
#: Everyone the admin A1 may approve, but W05, whose timecard stays unapproved.
CARDS = [f"M{i}" for i in range(1, 8)] + [f"W{i:02}" for i in range(1, 33) if i != 5]


@pytest.fixture(scope="module")
def approved_template(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """The demo with the first period's shifts approved, and every timecard but W05's."""
    path = tmp_path_factory.mktemp("payrun") / "ledger.db"
    shutil.copy(demo_template, path)
    approve_shifts(path, all_visible=True, period_day=FIRST, actor="A1", now=NOW)
    approve_timecards(path, period_day=FIRST, worker_ids=CARDS, actor="A1", now=NOW)
    return path


@pytest.fixture
def approved(approved_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    shutil.copy(approved_template, path)
    return path


def _events(path: Path, kind: str) -> list[dict[str, object]]:
    with Ledger.open(path, create=False) as led:
        return [dict(e.payload) for e in led.events(kind=kind)]


def _cells(screen: PayRunScreen) -> dict[str, list[str]]:
    table = screen.query_one("#payrun-table", DataTable)
    return {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}


def _text(app: OtApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _open(app: OtApp, pilot: Pilot[None]) -> PayRunScreen:
    await settle(app, pilot)
    await pilot.press("P")
    await settle(app, pilot)
    assert isinstance(app.screen, PayRunScreen)
    return app.screen


async def test_preview_confirm_and_read_the_issued_stubs(approved: Path, make_app: MakeApp) -> None:
    """P opens the preview of the last ended period: 38 workers to pay with the service's amounts,
    W05 left out because its timecard is not approved (it blocks only W05). P asks, naming the
    total and the count; n writes nothing; y records the run; enter opens a stub as text."""
    expected = preview_payrun(approved, period_day=FIRST, actor="A1", now=NOW)
    assert len(expected.paid) == 38
    assert [r.worker_id for r in expected.blocked] == ["W05"]
    app = make_app(approved, "A1")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        cells = _cells(screen)
        assert len(cells) == 39
        w02 = next(r for r in expected.rows if r.worker_id == "W02")
        assert w02.gross is not None
        assert w02.additions is not None
        assert w02.deductions is not None
        assert w02.net is not None
        assert cells["W02"] == [
            "W02",
            "Jamal Alvarez",
            f"{w02.hours:.2f}",
            money(w02.gross),
            money(w02.additions),
            money(w02.deductions),
            money(w02.net),
            "to pay",
        ]
        w05 = next(r for r in expected.rows if r.worker_id == "W05")
        assert w05.name  # a left-out row is named too (a review: it showed an id and blanks)
        assert cells["W05"][1] == w05.name
        assert cells["W05"][2:7] == [""] * 5
        assert cells["W05"][7].startswith("blocked")
        head = _text(app, "#payrun-head")
        assert "Preview (nothing written): pay run R2026-10-11 · 2026-10-11 to 2026-10-24" in head
        assert f"38 workers · net {money(expected.net)} · 1 left out" in head
        table = screen.query_one("#payrun-table", DataTable)
        assert table.cursor_row == 0  # W05: left-out workers come first
        detail = _text(app, "#payrun-detail")
        assert f"W05 {w05.name} is left out of this run (it blocks only W05)" in detail
        assert "What to do here: approve its timecard on the Approvals screen (a), step 2" in detail
        assert "not approved" in detail

        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        title = str(app.screen.query_one("#confirm-title", Label).render())
        assert title == f"Pay 38 workers a total of {money(expected.net)} for 2026-10-11 to 2026-10-24?"
        assert "Left out (blocked, paid by a later run): W05." in str(
            app.screen.query_one("#confirm-body", Static).render()
        )
        await pilot.press("n")
        await settle(app, pilot)
        assert _events(approved, PAYRUN) == []

        await pilot.press("P")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert _text(app, "#payrun-head").startswith("Issued: pay run R2026-10-11")
        app.check_ledger()  # the app's poller sees the run's events: the issued run stays shown
        await settle(app, pilot)
        assert _text(app, "#payrun-head").startswith("Issued: pay run R2026-10-11")
        cells = _cells(screen)
        assert cells["W02"][7] == "issued"
        await pilot.press("enter")  # W05: no stub
        await settle(app, pilot)
        assert isinstance(app.screen, PayRunScreen)
        table.move_cursor(row=1)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TextScreen)
        first = _events(approved, WORKER_PAID)[0]
        assert app.screen.title_text.startswith(f"Stub issued: {first['worker_id']}")
        assert "Pay period:  2026-10-11 to 2026-10-24" in app.screen.text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PayRunScreen)
    runs = _events(approved, PAYRUN)
    assert len(runs) == 1
    assert runs[0]["partial"] is True
    assert "W05" not in runs[0]["workers"]  # type: ignore[operator]
    assert len(_events(approved, WORKER_PAID)) == 38


async def test_the_preview_follows_the_ledger(approved: Path, make_app: MakeApp) -> None:
    """W05's timecard approved by another process: at the app's next look at the ledger the
    preview is computed again and W05 is to be paid with the others."""
    app = make_app(approved, "A1")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        assert _cells(screen)["W05"][7].startswith("blocked")
        approve_timecards(approved, period_day=FIRST, worker_ids=["W05"], actor="A1", now=NOW)
        app.check_ledger()
        await settle(app, pilot)
        assert _cells(screen)["W05"][7] == "to pay"
        assert "39 workers" in _text(app, "#payrun-head")
        assert "left out" not in _text(app, "#payrun-head")


async def test_moves_while_the_preview_is_computed_start_one_more_read(
    approved: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger moving faster than a preview is computed (timeclocks punching under a preview of
    thousands of workers): one read at a time, its preview shown, and one more read after it that
    sees every move, never a read started per move and each dropped by the next."""
    gate, started = threading.Event(), threading.Semaphore(0)
    calls: list[str] = []
    real = preview_payrun

    def slow(*args: object, **kwargs: object) -> object:
        calls.append("read")
        started.release()
        gate.wait(timeout=30)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    app = make_app(approved, "A1")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        assert _cells(screen)["W05"][7].startswith("blocked")
        monkeypatch.setattr("tui.screens.payrun.preview_payrun", slow)
        approve_timecards(approved, period_day=FIRST, worker_ids=["W05"], actor="A1", now=NOW)
        app.check_ledger()
        await pilot.pause()
        assert started.acquire(timeout=10)  # the read after the first move is running (held)
        for _ in range(3):  # three more polls see the ledger moved while it runs
            screen.ledger_moved((ledger_head(approved), 0))
            await pilot.pause()
        assert calls == ["read"]
        assert _cells(screen)["W05"][7].startswith("blocked")  # the last preview stays shown meanwhile
        gate.set()
        await settle(app, pilot)
        assert calls == ["read", "read"]  # the held read, then one more for the moves
        assert _cells(screen)["W05"][7] == "to pay"
        assert "39 workers" in _text(app, "#payrun-head")


@pytest.mark.parametrize("poll_during_dialog", [False, True], ids=["unseen", "seen while the dialog is open"])
async def test_a_run_changed_since_its_confirmation_is_refused(
    approved: Path, make_app: MakeApp, poll_during_dialog: bool
) -> None:
    """The admin reads "Pay 38 workers ...?"; another admin approves W05's timecard before y is pressed:
    the run would pay 39, so it is refused, saying so (a notification), and nothing is written; the new
    preview is read at once, whether or not the app's poller saw the change while the dialog was open
    (a review: a change seen then was used up, and the refusal stayed on screen); confirmed, it pays 39
    (found by a review: the run paid what nobody confirmed)."""
    app = make_app(approved, "A1")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _open(app, pilot)
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one("#confirm-title", Label).render()).startswith("Pay 38 workers")
        approve_timecards(approved, period_day=FIRST, worker_ids=["W05"], actor="A1", now=NOW)
        if poll_during_dialog:
            app.check_ledger()
            await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert _events(approved, PAYRUN) == []
        refusals = [n.message for n in app._notifications if n.severity == "error"]
        assert len(refusals) == 1
        assert "the pay run is not the one confirmed" in refusals[0]
        assert "W05 is now paid $" in refusals[0]
        assert "read the new preview" in refusals[0]
        screen = app.screen
        assert isinstance(screen, PayRunScreen)
        assert _cells(screen)["W05"][7] == "to pay"  # the new preview, without waiting for another change
        assert "39 workers" in _text(app, "#payrun-head")
        await pilot.press("P")
        await pilot.pause()
        assert str(app.screen.query_one("#confirm-title", Label).render()).startswith("Pay 39 workers")
        await pilot.press("y")
        await settle(app, pilot)
    runs = _events(approved, PAYRUN)
    assert len(runs) == 1
    assert "W05" in runs[0]["workers"]  # type: ignore[operator]


async def test_a_manager_sees_the_refusal_and_nothing_is_written(approved: Path, make_app: MakeApp) -> None:
    """M1 may not run payroll: the screen shows the service's message (where, then what) in the
    panel instead of a table, once (no error notification repeats it), and P offers nothing to pay."""
    head = ledger_head(approved)
    app = make_app(approved, "M1")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _open(app, pilot)
        assert not screen.query_one("#payrun-table", DataTable).display
        detail = _text(app, "#payrun-detail")
        assert "--as: M1 is a manager: only an admin may run payroll" in detail
        assert "nothing was written" in detail
        assert not [n for n in app._notifications if n.severity == "error"]
        await pilot.press("P")
        await settle(app, pilot)
        assert isinstance(app.screen, PayRunScreen)
        titles = set(palette(screen))
        assert {"Pay the period", "Previous pay period", "Next pay period", "Refresh the pay run preview"} <= titles
        # issue 14's screens are all in the palette ("payrun", "import"... no longer "No matches found")
        goes = {"Go to Pay run", "Go to Exceptions", "Go to Import", "Go to Corrections audit", "Go to Pay periods"}
        assert goes <= titles
    assert ledger_head(approved) == head


async def test_a_period_not_ended_is_refused_by_the_service(approved: Path, make_app: MakeApp) -> None:
    """] moves to the period of the frozen clock, which has not ended: the service's refusal shows."""
    app = make_app(approved, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(app, pilot)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        detail = _text(app, "#payrun-detail")
        assert "the pay period 2026-10-25 to 2026-11-07 has not ended" in detail
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert "R2026-10-11" in _text(app, "#payrun-head")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_payrun_snapshot(
    approved: Path, make_app: MakeApp, snapshot_svg: SnapshotAssertion, size: tuple[int, int]
) -> None:
    """The preview, readable at 80x24 and 120x40."""
    app = make_app(approved, "A1")
    async with app.run_test(size=size) as pilot:
        await _open(app, pilot)
        assert await screenshot(app, pilot) == snapshot_svg


async def test_nobody_to_pay_names_the_period_and_lists_who_is_left_out_and_why(
    demo_ledger: Path, make_app: MakeApp
) -> None:
    """Nothing can be paid (W01's shifts approved at step 1, nobody else's): the header names the period
    and counts the timecards left out, grouped by why; the table lists them (focused), and the panel
    of the selected one's reasons is focusable and scrolls (a review: a Static of hundreds of lines cut
    at the screen's bottom, nothing focused, no period named)."""
    for week in (date(2026, 10, 11), date(2026, 10, 18)):
        approve_shifts(demo_ledger, worker_id="W01", week=week, actor="A1", now=NOW)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        head = _text(app, "#payrun-head")
        assert head.startswith("Nothing to pay in 2026-10-11 to 2026-10-24")
        assert "39 timecards left out: 38 wait for step-1 shift approvals, 1 waits for its step-2 approval" in head
        table = screen.query_one("#payrun-table", DataTable)
        assert table.display
        assert app.focused is table
        cells = _cells(screen)
        assert len(cells) == 39
        assert cells["W01"][-1] == "blocked"
        assert "is not approved (step 1)" in _text(app, "#payrun-detail")
        assert "What to do here: approve its shifts on the Approvals screen (a), step 1" in _text(app, "#payrun-detail")
        await pilot.press("tab")
        await settle(app, pilot)
        box = screen.query_one("#payrun-detail-box")
        assert app.focused is box
        assert box.max_scroll_y > 0
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert box.scroll_y > 0
        assert "Nobody can be paid" in _text(app, "#payrun-detail")


async def test_the_issued_run_fits_80_columns(approved: Path, make_app: MakeApp) -> None:
    """After paying at 80x24 every column shows whole, the Status's "issued" too: the table scrolls
    sideways by its last cell's padding at most (a review: the Status column read "stub is", cut from
    "stub issued")."""
    app = make_app(approved, "A1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one("#payrun-table", DataTable)
        await pilot.press("P")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert _text(app, "#payrun-head").startswith("Issued: pay run R2026-10-11")
        await pilot.pause()
        assert _cells(screen)["W02"][7] == "issued"
        assert table.max_scroll_x <= table.cell_padding
        svg = await screenshot(app, pilot)
        assert svg.count("&#160;issued") >= 10  # each paid row shown says it whole
        assert "stub\xa0is<" not in svg


def test_what_to_do_here_names_the_screens_by_their_keys() -> None:
    """The left-out panel's advice names a screen and its key: each is the key ``tui.app.SCREENS`` gives
    that screen, and every kind of reason but the unforeseen has advice."""
    from ot.services.payrun_view import _WHY
    from tui.app import SCREENS
    from tui.screens import payrun

    keys = {s.title: s.key for s in SCREENS}
    for kind, hint in payrun._HERE.items():
        title, key = re.search(r"the (\w+) screen \((\w)\)", hint).groups()  # type: ignore[union-attr]
        assert keys[title] == key, (kind, hint)
    assert set(payrun._HERE) == {k for k, *_ in _WHY} - {"priced", "other"}
