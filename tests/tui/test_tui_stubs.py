"""Pilot tests of the Pay stubs screen (key p) on the demo company: a worker's stub
as it prints, moving by pay period, exporting one stub to HTML and PDF, every
worker of the period with the progress bar, and a folder that cannot be written
refused with nothing written. Stub previews and exports never write to the
ledger: each flow checks that its head did not move."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from syrupy.assertion import SnapshotAssertion
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot
from textual.widgets import Input, Label, ProgressBar, Static
from tui_helpers import palette, run_command, screenshot, settle

from ot.cli import main
from ot.services.browse import ledger_head
from ot.services.stubs import build_all, build_stub
from tui.app import OtApp
from tui.commands import bindings_of
from tui.screens.stubs import FolderScreen, StubsScreen

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]

#: The pay period of the frozen clock (2026-11-05): biweekly from 2026-10-11, the default.
PERIOD = date(2026, 10, 25)


class Notes:
    """The notifications the app shows (a ``message_hook``)."""

    def __init__(self) -> None:
        self.shown: list[Notification] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.shown.append(message.notification)

    def texts(self, severity: str = "information") -> list[str]:
        return [n.message for n in self.shown if n.severity == severity]


def _stubs(app: OtApp) -> StubsScreen:
    screen = app.screen
    assert isinstance(screen, StubsScreen), f"on {type(screen).__name__}, not the pay stubs"
    return screen


def _text(app: OtApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _open(app: OtApp, pilot: Pilot[None], worker: str) -> StubsScreen:
    """Open the Pay stubs screen and search for ``worker``."""
    await settle(app, pilot)
    await pilot.press("p")
    await settle(app, pilot)
    await pilot.press("slash", *worker, "enter")
    await settle(app, pilot)
    return _stubs(app)


async def test_a_worker_stub_as_it_prints(demo_paid_ledger: Path, make_app: MakeApp) -> None:
    """p opens the Pay stubs; searching W02 shows Jamal Alvarez's stub of the period
    of the frozen clock (2026-10-25 to 2026-11-07): the text `ot stub` prints, with
    the gross the service computes (California daily overtime and doubletime, Lab.
    Code 510)."""
    head = ledger_head(demo_paid_ledger)
    expected = build_stub(demo_paid_ledger, "W02", PERIOD)
    app = make_app(demo_paid_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot, "W02")
        assert screen.preview is not None
        assert screen.preview.stub == expected
        text = _text(app, "#preview-text")
        assert "Worker:      Jamal Alvarez" in text
        assert "Pay period:  2026-10-25 to 2026-11-07" in text
        assert "$2,118.30" in text
        assert expected.gross == screen.preview.gross
        title = _text(app, "#stub-title")
        assert "W02 Jamal Alvarez" in title
        assert "Gross $2,118.30" in title
        assert "no corrections" in title
    assert ledger_head(demo_paid_ledger) == head


async def test_pay_periods_move_with_brackets(demo_paid_ledger: Path, make_app: MakeApp) -> None:
    """The palette's "Next pay period" (the action of ]) shows the next biweekly
    period, [ the one before; the worker stays. The palette offers every action of
    the screen."""
    app = make_app(demo_paid_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot, "W02")
        commands = palette(screen)
        assert {b.tooltip for b in bindings_of(screen) if b.tooltip} <= set(commands)
        assert {"Export stub to HTML", "Export stub to PDF", "Export all workers' stubs"} <= set(commands)
        await run_command(commands["Next pay period"])
        await settle(app, pilot)
        assert screen.preview is not None
        # W02's dates from 2026-10-25 are not paid yet: the next pay run of this period would pay them too.
        assert (screen.preview.period.start, screen.preview.period.end) == (date(2026, 10, 25), date(2026, 11, 21))
        assert "Pay period:  2026-10-25 to 2026-11-21" in _text(app, "#preview-text")
        assert screen.preview.stub == build_stub(demo_paid_ledger, "W02", date(2026, 11, 8))
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert screen.preview.period.start == date(2026, 10, 11)
        assert screen.preview.stub.worker_id == "W02"
        assert "Pay period:  2026-10-11 to 2026-10-24" in _text(app, "#preview-text")
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        assert app.focused is screen.query_one("#preview")


async def test_export_the_shown_stub_to_html_and_pdf(demo_paid_ledger: Path, make_app: MakeApp) -> None:
    """h writes the shown stub as HTML, d as PDF, into ot-stubs beside the ledger;
    a notification names each file."""
    head = ledger_head(demo_paid_ledger)
    notes = Notes()
    folder = demo_paid_ledger.parent / "ot-stubs"
    app = make_app(demo_paid_ledger)
    async with app.run_test(size=(100, 30), message_hook=notes) as pilot:
        await _open(app, pilot, "W02")
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
    html, pdf = folder / "stub-W02-2026-10-25.html", folder / "stub-W02-2026-10-25.pdf"
    assert sorted(p.name for p in folder.iterdir()) == [html.name, pdf.name]
    page = html.read_text(encoding="utf-8")
    assert "Jamal Alvarez" in page
    assert "$2,118.30" in page
    assert pdf.read_bytes().startswith(b"%PDF")
    assert notes.texts() == [f"Wrote {html}", f"Wrote {pdf}"]
    assert notes.texts("error") == []
    assert ledger_head(demo_paid_ledger) == head


async def test_export_all_workers_with_the_progress_bar(
    demo_paid_ledger: Path, make_app: MakeApp, tmp_path: Path
) -> None:
    """o changes the folder (one not made yet); A writes one HTML file per worker paid
    in the period; the progress bar reaches the end; the notification names the files
    and the worker with no pay (A1, the administrator)."""
    head = ledger_head(demo_paid_ledger)
    paid = [s.worker_id for s in build_all(demo_paid_ledger, PERIOD).stubs]
    notes = Notes()
    folder = tmp_path / "exports" / "nov"
    app = make_app(demo_paid_ledger)
    async with app.run_test(size=(100, 30), message_hook=notes) as pilot:
        screen = await _open(app, pilot, "W02")
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, FolderScreen)
        await pilot.press("ctrl+a", "ctrl+k", *"exports/nov")  # relative to the ledger's folder
        await settle(app, pilot)
        assert _text(app, "#folder-problem") == ""
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.folder == folder
        assert not folder.exists()  # created by the export, not by choosing it
        steps: list[tuple[int, int | None]] = []
        shown = screen._progress

        def progress(done: int, total: int | None) -> None:
            steps.append((done, total))
            shown(done, total)

        screen._progress = progress  # type: ignore[method-assign]  # watch the bar's updates
        await pilot.press("A")
        await settle(app, pilot)
        assert steps == [(0, None), (0, None), *((n, 39) for n in range(40))]  # then one per file
        bar = screen.query_one("#export-bar", ProgressBar)
        assert bar.total == len(paid) == 39
        assert bar.progress == bar.total
        status = _text(app, "#export-status")
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"stub-{w}-2026-10-25.html" for w in paid)
    assert "A1" not in paid
    text = notes.texts()[-1]
    assert text == (
        f"Wrote 39 HTML stubs to {folder}: stub-M1-2026-10-25.html to stub-W32-2026-10-25.html. "
        "No pay this period, no stub: A1."
    )
    assert status == text
    assert ledger_head(demo_paid_ledger) == head


async def test_export_all_as_pdf(demo_paid_ledger: Path, make_app: MakeApp, tmp_path: Path) -> None:
    """f switches exporting all to PDF: every file written is a PDF."""
    app = make_app(demo_paid_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot, "W02")
        screen.folder = tmp_path / "pdf"
        await pilot.press("f")
        assert "all as PDF" in _text(app, "#stub-folder")
        await pilot.press("A")
        await settle(app, pilot)
    files = sorted((tmp_path / "pdf").iterdir())
    assert len(files) == 39
    assert all(p.suffix == ".pdf" and p.read_bytes().startswith(b"%PDF") for p in files)


async def test_a_folder_that_cannot_be_written_is_refused(
    demo_paid_ledger: Path, make_app: MakeApp, tmp_path: Path
) -> None:
    """The folder dialog refuses a folder inside a file (it says where and why, and
    stays open); an export into a folder that turned into a file shows the error and
    writes nothing, one stub or all."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    head = ledger_head(demo_paid_ledger)
    notes = Notes()
    app = make_app(demo_paid_ledger)
    async with app.run_test(size=(100, 30), message_hook=notes) as pilot:
        screen = await _open(app, pilot, "W02")
        before = screen.folder
        await pilot.press("o")
        await settle(app, pilot)
        app.screen.query_one("#folder-input", Input).value = str(blocker / "stubs")  # as if typed
        await settle(app, pilot)
        problem = _text(app, "#folder-problem")
        assert problem == f"{blocker / 'stubs'}: {blocker} is a file, not a folder: give a folder you can write to"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FolderScreen)  # refused: still asking
        assert "the export folder was not changed" in _text(app, "#folder-problem")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.folder == before
        screen.folder = blocker  # the folder became a file after it was chosen
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        assert _text(app, "#export-status") == "Export failed: nothing was written."
        assert not screen.query_one("#export-bar", ProgressBar).display
    errors = notes.texts("error")
    assert errors == [f"{blocker}: is a file: give a folder\nnothing was written"] * 2
    assert notes.texts() == []
    assert blocker.read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("ledger.db")) == ["a-file"]
    assert ledger_head(demo_paid_ledger) == head


async def test_a_correction_is_marked(ledger_path: Path, cli: CliRunner, make_app: MakeApp, tmp_path: Path) -> None:
    """Tex Worker's Wednesday 2026-10-14 was paid as 8 hours, then cut to 4: $80.00
    overpaid, deducted on the next stub (2026-10-25 to 2026-11-07), which marks the
    corrected date as a correction (Everee timesheet corrections: "the corrected hours
    will appear on the worker's pay stub marked as a 'correction'"). The correction,
    made by another process while the screen is open, shows up without a restart; the
    title counts it and says what the stub pays out. The screen itself writes nothing."""
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
    ot("shift", "add", "--worker", "W2", "--start", "2026-10-26T08:00", "--end", "16:00")  # the next pay has $160
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot, "W2")
        assert "no corrections" in _text(app, "#stub-title")
        # Another process corrects the paid Wednesday while the screen is open.
        ot("shift", "edit", ids[2].split(":", 1)[0], "--end", "12:00", "--correction-authorized", "--reason", "noon")
        head = ledger_head(ledger_path)
        app.check_ledger()  # what the app's poll timer calls
        await settle(app, pilot)
        assert screen.preview is not None
        assert screen.preview.period.start == PERIOD
        title = _text(app, "#stub-title")
        assert "Tex Worker" in title
        assert "Gross $160.00 · 1 correction (see Corrections below), paid with this stub $80.00" in title
        flat = " ".join(_text(app, "#preview-text").split())
        assert "2026-10-14 8.00 4.00 $160.00 $80.00 -$80.00 correction, deducted from this pay" in flat
    assert ledger_head(ledger_path) == head


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_stubs_snapshot(
    monkeypatch: pytest.MonkeyPatch,
    demo_paid_ledger: Path,
    make_app: MakeApp,
    snapshot_svg: SnapshotAssertion,
    size: tuple[int, int],
) -> None:
    """Pay stubs of W02 Jamal Alvarez for 2026-10-25 to 2026-11-07, paid 2026-11-12:
    the name in bold, "Gross $2,118.30 · no corrections" (the amount in bold), the
    line "To ot-stubs (o) · all as HTML (f)"; the worker list narrowed by the search
    "W02" to 1 worker; the stub text from its top ("PAY STUB PREVIEW", the demo's
    employer Cedar & Pine Logistics, Inc. and its Long Beach address, Worker, Worker
    id, Worker type, Pay period, Pay date, "Rates in effect" $19.75 97.17, the regular
    rate $19.75 of both workweeks); the footer with [] Period, n / h d A o ? q. At 120x40
    the whole 80-column stub shows beside the list (wide enough for whole names) with a
    vertical scrollbar and no horizontal one; at 80x24 the list is hidden (w) so the stub takes the width,
    scrolled by keys (no scrollbar; the footer is cut at the right, as on the
    timecards)."""
    monkeypatch.chdir(demo_paid_ledger.parent)  # the paths shown are the ones given: keep them short and stable
    app = make_app(Path(demo_paid_ledger.name))
    async with app.run_test(size=size) as pilot:
        await _open(app, pilot, "W02")
        if size[0] < 100:
            await pilot.press("w")
        assert await screenshot(app, pilot) == snapshot_svg


@pytest.mark.anyio
async def test_the_folder_prompt_fits_80_columns(demo_paid_ledger: Path, make_app: MakeApp) -> None:
    """At 80x24 the export folder dialog's prompt shows whole (a review: "...relative to the ledger's
    fold", cut at the dialog's edge)."""
    app = make_app(demo_paid_ledger)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, "W02")
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, FolderScreen)
        prompt = app.screen.query(Label).first()
        text = str(prompt.render())
        assert text.startswith("Export folder (created if missing")
        dialog = app.screen.query_one("#folder-dialog")
        assert prompt.region.right <= dialog.content_region.right, (text, prompt.region, dialog.content_region)
        assert len(text) <= dialog.content_region.width
