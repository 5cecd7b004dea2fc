"""Pilot tests of the screen defects of issue 14, each named by what a new user saw."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.widgets._toast import ToastRack
from tui_helpers import NOW, settle

from ot.cli import main
from ot.core.money import cents
from ot.services.approvals import approve_shifts
from ot.services.browse import latest_day
from ot.services.queue import approval_queue
from ot.services.whatif import period_near
from tui.app import OtApp
from tui.screens.approvals import ApprovalsScreen
from tui.screens.rules import EffectiveDateScreen, RulesScreen
from tui.screens.sync import SyncScreen
from tui.screens.timecards import TimecardsScreen
from tui.widgets.approval_dialogs import ConfirmScreen
from tui.widgets.approval_tables import TimecardTable
from tui.widgets.timecard_grid import CORRECTED, TimecardGrid

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]


def _text(app: OtApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _go(app: OtApp, pilot: Pilot[None], key: str) -> None:
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)


# --- Approvals ---------------------------------------------------------------------------


async def test_the_empty_queue_status_shows_the_bracket_keys(demo_ledger: Path, make_app: MakeApp) -> None:
    """A pay period with none of M1's shifts says "([ and ] change the period)", brackets and all
    (they were swallowed as markup: "( change the period)")."""
    app = make_app(demo_ledger, "M1")
    async with app.run_test(size=(100, 30)) as pilot:
        await _go(app, pilot, "a")
        for _ in range(3):
            await pilot.press("right_square_bracket")
            await settle(app, pilot)
        status = _text(app, "#queue-status")
        assert "([ and ] change the period)" in status, status


async def test_the_waiting_count_drops_after_approving(demo_ledger: Path, make_app: MakeApp) -> None:
    """ "N shifts wait in M worker-weeks": approving a worker's week (w, y) takes its shifts off N
    and its week off M."""
    app = make_app(demo_ledger, "M1")
    async with app.run_test(size=(100, 30)) as pilot:
        await _go(app, pilot, "a")
        screen = app.screen
        assert isinstance(screen, ApprovalsScreen)
        assert screen.queue is not None
        weeks = sum(1 for w in screen.queue.weeks if w.waiting)
        shifts = screen.queue.waiting_shifts
        assert f"{shifts} shifts wait in {weeks} worker-weeks" in _text(app, "#queue-status")
        await pilot.press("w")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert screen.queue is not None
        assert screen.queue.waiting_shifts < shifts
        status = _text(app, "#queue-status")
        assert f"{screen.queue.waiting_shifts} shifts wait in {weeks - 1} worker-weeks" in status, status


async def test_step2_shows_gross_and_enter_never_reapproves(demo_paid_ledger: Path, make_app: MakeApp) -> None:
    """Step 2 lists each timecard's gross (from the service); enter on a timecard approved
    already does not offer to approve it again: it says so and how to undo it."""
    approve_shifts(demo_paid_ledger, worker_id="W01", week=date(2026, 10, 25), actor="A1", now=NOW)
    approve_shifts(demo_paid_ledger, worker_id="W01", week=date(2026, 11, 1), actor="A1", now=NOW)
    app = make_app(demo_paid_ledger, "A1")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _go(app, pilot, "a")
        await pilot.press("2")
        await settle(app, pilot)
        table = app.screen.query_one(TimecardTable)
        queue = approval_queue(demo_paid_ledger, "A1", NOW.date())
        w01 = next(t for t in queue.timecards if t.worker_id == "W01")
        while table.current is not None and table.current.worker_id != "W01":
            await pilot.press("j")
        assert table.current is not None
        assert str(table.get_row_at(table.cursor_row)[5]) == str(cents(w01.gross))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert table.current is not None
        assert table.current.state == "approved"
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        messages = [n.message for n in app._notifications]
        assert messages[-1] == "W01's timecard is approved: nothing to approve (u unapproves it)"


# --- Timecards and stubs -------------------------------------------------------------------


async def test_a_corrected_shift_is_marked(
    ledger_path: Path, cli: CliRunner, make_app: MakeApp, tmp_path: Path
) -> None:
    """A paid Wednesday cut from 8 to 4 hours by a correction shows "corr" in the approval
    column (not "paid" as if nothing happened) and the totals line names the correction."""
    (tmp_path / "locations.csv").write_text("location_id,name,state,timezone\nL2,Dallas,TX,America/Chicago\n")
    (tmp_path / "workers.csv").write_text(
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
        "A1,Ada Admin,W2,40.00,L2,,admin,,,\nW2,Tex Worker,W2,20.00,L2,A1,worker,,,\n"
    )

    def ot(*args: str) -> str:
        result = cli.invoke(main, ["--as", "A1", *args])
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result.stdout

    ot("import", "locations", str(tmp_path / "locations.csv"))
    ot("import", "workers", str(tmp_path / "workers.csv"))
    ids = [
        ot("shift", "add", "--worker", "W2", "--start", f"{day}T08:00", "--end", "16:00").split("shift ", 1)[1]
        for day in ("2026-10-12", "2026-10-13", "2026-10-14")
    ]
    ot("approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot("approve", "timecards", "--period", "2026-10-12")
    ot("payrun", "--period", "2026-10-12")
    edited = ids[2].split(":", 1)[0]
    ot("shift", "edit", edited, "--end", "12:00", "--correction-authorized", "--reason", "noon")
    app = OtApp(ledger_path, "A1", datetime(2026, 10, 16, 12, tzinfo=UTC), poll_seconds=3600, blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"W2", "enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TimecardsScreen)
        assert screen.week is not None
        grid = screen.query_one(TimecardGrid)
        cells = {str(grid.get_row_at(i)[0]): str(grid.get_row_at(i)[9]) for i in range(grid.row_count)}
        assert cells == {"Mon 10-12": "paid", "Tue 10-13": "paid", "Wed 10-14": CORRECTED}
        row = next(r for r in screen.week.rows if r.shift_id == edited)
        assert row.corrections
        assert f"corr: a paid shift changed by correction {row.corrections[0]}" in _text(app, "#totals")


async def test_add_and_edit_are_in_the_footer(demo_ledger: Path, make_app: MakeApp) -> None:
    app = make_app(demo_ledger)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"A", "E"} <= shown


async def test_names_and_breaks_fit_at_120_columns(demo_ledger: Path, make_app: MakeApp) -> None:
    """At 120 columns the worker list shows whole names and the grid every column, the last the
    minutes of the breaks (their times and kinds are in the explain panel)."""
    app = make_app(demo_ledger)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"W02", "enter")
        await settle(app, pilot)
        screen = app.screen
        grid = screen.query_one(TimecardGrid)
        names = screen.query_one("#workers")
        assert names.virtual_size.width <= names.content_region.width, "a name is cut"
        assert grid.virtual_size.width <= grid.content_region.width, "the Brk column is cut"
        assert [str(grid.get_row_at(i)[12]) for i in range(grid.row_count)] == ["40m", "40m", "70m", "40m", "40m"]
        await pilot.press("p")
        await settle(app, pilot)
        stub_names = app.screen.query_one("#stub-workers")
        assert stub_names.virtual_size.width <= stub_names.content_region.width, "a name is cut on the stubs screen"
        assert app.screen.query_one("#preview").content_region.width >= 80  # the stub's own 80 columns


async def test_the_week_flag_is_explained_and_toasts_leave_what_to_do_visible(
    demo_ledger: Path, make_app: MakeApp
) -> None:
    """The ! after a week in the sync report is explained in the header line; on this screen
    notifications appear at the top, never over the panel with an error's "What to do"."""
    demo_ledger.with_name(demo_ledger.stem + ".sync.toml").write_text('[targets.files]\nkind = "csv"\nfolder = "f"\n')
    approve_shifts(demo_ledger, worker_id="W01", week=date(2026, 10, 25), actor="M1", now=NOW)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _go(app, pilot, "s")
        screen = app.screen
        assert isinstance(screen, SyncScreen)
        assert "! after a week: a shift of it waits to be sent or is in error" in str(
            screen.query_one("#sync-head", Static).render()
        )
        rack = screen.query_one(ToastRack)
        assert rack.styles.dock == "top"


# --- Rules and what-if ---------------------------------------------------------------------


async def test_the_save_dialog_title_fits_and_a_mid_week_date_is_explained(
    demo_ledger: Path, make_app: MakeApp
) -> None:
    """At 80x24 the save dialog's title is whole; 2026-11-04 (a Wednesday) is accepted with a
    warning naming the workweek it splits and the week the rules start pricing; a Sunday (the
    demo's first workweek day) has no warning."""
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(80, 24)) as pilot:
        await _go(app, pilot, "r")
        rules = app.screen
        assert isinstance(rules, RulesScreen)
        rules.editor.insert("# edited\n", (0, 0))  # the text in force, unchanged, has nothing to save
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, EffectiveDateScreen)
        title = dialog.query_one("#save-title", Static)
        assert title.content_region.width >= len("Save rules.example.ot")
        question = dialog.query_one("#save-question", Static)
        assert question.size.height >= 1
        assert question.virtual_size.width <= question.content_region.width
        field = dialog.query_one("#effective", Input)
        field.value = "2026-11-04"
        await settle(app, pilot)
        warning = str(dialog.query_one("#effective-warning", Static).render())
        assert "2026-11-04 is a Wednesday: it splits the workweek 2026-11-01 to 2026-11-07" in warning
        assert "these rules price from the week of 2026-11-08" in warning
        field.value = "2026-11-08"
        await settle(app, pilot)
        assert str(dialog.query_one("#effective-warning", Static).render()) == ""


async def test_what_if_opens_on_the_latest_period_with_punches(demo_ledger: Path) -> None:
    """Months after the demo's last punch, what-if opens on the pay period of that punch, not on
    today's empty one."""
    later = datetime(2027, 3, 1, 12, tzinfo=UTC)
    app = OtApp(demo_ledger, "A1", later, poll_seconds=3600, blink=False, config_file=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await _go(app, pilot, "r")
        screen = app.screen
        assert isinstance(screen, RulesScreen)
        expected = period_near(demo_ledger, latest_day(demo_ledger, later.date()))
        assert screen.period == expected
        assert expected.end < date(2027, 1, 1)
