"""The Pay stubs screen: a worker's stub for a pay period, exactly as it prints,
exported to HTML or PDF, one worker or every worker of the period.

Workers on the left (search with /, n and N move); the stub preview on the
right ([ and ] move by pay period). h and d write the shown stub as HTML or
PDF into the export folder (o changes it: an ``ot-stubs`` folder beside the
ledger by default); A writes every paid worker's stub of the period (f picks
HTML or PDF) with a progress bar fed from the worker thread. Every read and
write runs in a worker thread through :mod:`ot.services.stub_export`; a result
no longer wanted is dropped; a failure shows the error's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from ot.core.errors import OtError
from ot.services.browse import WorkerFilter, WorkerPage, list_workers
from ot.services.stub_export import (
    EXPORT_FORMATS,
    BatchExport,
    StubPreview,
    check_folder,
    default_folder,
    export_all,
    export_one,
    folder_problems,
    period_day,
    preview,
)
from ot.services.user_config import opening_day
from tui.screens.base import OtModalScreen, OtScreen, Stamp, period_bindings
from tui.widgets.footer import OtFooter
from tui.widgets.worker_list import WorkerList

PAGE = 100
#: [ and ] share one footer entry.


def batch_text(done: BatchExport) -> str:
    """What an export of every worker wrote, naming the files."""
    kind = EXPORT_FORMATS[done.fmt]
    if not done.paths:
        text = f"No one was paid in {done.period.label()}: no stub written."
    elif len(done.paths) == 1:
        text = f"Wrote 1 {kind} stub to {done.folder}: {done.paths[0].name}."
    else:
        first, last = done.paths[0].name, done.paths[-1].name
        text = f"Wrote {len(done.paths)} {kind} stubs to {done.folder}: {first} to {last}."
    if done.unpaid:
        text += f" No pay this period, no stub: {', '.join(done.unpaid)}."
    return text


class FolderScreen(OtModalScreen[Path | None]):
    """Change the export folder: checked as you type; returns the folder, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Cancel the export", id="folder.cancel")
    ]

    @dataclass
    class Checked(Message):
        """``text`` was checked: ``problem`` says what is wrong, "" when it will do."""

        text: str
        problem: str

    def __init__(self, current: Path, ledger_path: Path) -> None:
        super().__init__()
        self.current = current
        self.ledger_path = ledger_path

    def compose(self) -> ComposeResult:
        with Vertical(id="folder-dialog"):
            # Short enough for the dialog at 80 columns (64 inside its border and padding).
            yield Label("Export folder (created if missing; relative to the ledger)", id="folder-title")
            yield Input(str(self.current), id="folder-input")
            yield Static("", id="folder-problem")
            yield Label("enter: use it   escape: cancel", id="folder-keys")

    def on_mount(self) -> None:
        field = self.query_one("#folder-input", Input)
        field.cursor_blink = self.ot_app.blink
        field.focus()

    @on(Input.Changed, "#folder-input")
    def _changed(self, event: Input.Changed) -> None:
        self._check(event.value, submit=False)

    @on(Input.Submitted, "#folder-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self._check(event.value, submit=True)

    @work(thread=True, exclusive=True, group="folder")
    def _check(self, text: str, submit: bool) -> None:
        if not submit:
            problems = folder_problems(text, self.ledger_path)
            self.post_message(self.Checked(text, "\n".join(str(p) for p in problems)))
            return
        try:
            folder = check_folder(text, self.ledger_path)
        except OtError as error:
            self.post_message(self.Checked(text, error.render()))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.dismiss, folder)

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        if message.text != self.query_one("#folder-input", Input).value:
            return  # the user typed on
        shown = self.query_one("#folder-problem", Static)
        shown.update(Content(message.problem))
        shown.set_class(bool(message.problem), "-error")

    def action_cancel(self) -> None:
        """Close without changing the folder."""
        self.dismiss(None)


class StubsScreen(OtScreen):
    """Pay stubs: choose a worker and a pay period; preview the stub; export it."""

    CSS_PATH = "stubs.tcss"
    TITLE_TEXT = "Pay stubs"
    DESCRIPTION = "A worker's pay stub for a pay period as it prints; export HTML or PDF, one worker or all"
    BINDINGS: ClassVar[list[BindingType]] = [
        *period_bindings("stubs"),
        Binding("n", "worker(1)", "Worker", tooltip="Next worker", id="stubs.next_worker"),
        Binding(
            "N",
            "worker(-1)",
            "Prev worker",
            key_display="N",
            show=False,
            tooltip="Previous worker",
            id="stubs.prev_worker",
        ),
        Binding("slash", "search", "Search", key_display="/", tooltip="Search workers", id="stubs.search"),
        Binding("h", "export('html')", "HTML", tooltip="Export stub to HTML", id="stubs.export_html"),
        Binding("d", "export('pdf')", "PDF", tooltip="Export stub to PDF", id="stubs.export_pdf"),
        Binding("A", "export_all", "All", key_display="A", tooltip="Export all workers' stubs", id="stubs.export_all"),
        Binding("f", "all_format", "All as", show=False, tooltip="Format of export all", id="stubs.all_format"),
        Binding("o", "folder", "Folder", tooltip="Export folder", id="stubs.folder"),
        Binding("w", "toggle_workers", "Workers", show=False, tooltip="Show or hide workers", id="stubs.workers"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, tooltip="Refresh stubs", id="stubs.refresh"),
        Binding("escape", "leave_search", "Back to the stub", show=False, id="stubs.leave_search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.search = ""
        self.shown_search = ""
        self.worker_id: str | None = None
        self.day: date | None = None
        self.pending_step = 0
        self.request = 0
        self.preview: StubPreview | None = None
        self.folder = Path()
        self.all_format = "html"
        self.exporting = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stubs"):
            with Vertical(id="stub-workers-pane"):
                yield Input(placeholder="/ search workers", id="stub-search", compact=True)
                yield Static("", id="stub-count")
                yield WorkerList(id="stub-workers")
            with Vertical(id="stub-pane"):
                yield Static("Loading...", id="stub-title")
                yield Static("", id="stub-folder")
                with VerticalScroll(id="preview"):
                    yield Static("", id="preview-text")
                with Horizontal(id="export-line"):
                    yield ProgressBar(id="export-bar", show_eta=False)
                    yield Static("", id="export-status")
        yield OtFooter()

    def on_mount(self) -> None:
        app = self.ot_app
        self.folder = default_folder(app.ledger_path)
        self.query_one("#stub-search", Input).cursor_blink = app.blink
        self.query_one("#preview").focus()
        self._show_folder()
        path, today, view = app.ledger_path, app.today(), app.config.period
        self.call_service(lambda: opening_day(path, today, view), self._started, group="stubs-start")

    def ledger_moved(self, stamp: Stamp) -> None:
        """Another process changed the ledger: the list and the stub, read again."""
        self.load_workers()
        self.load_preview()

    # --- reads and writes (worker threads) -----------------------------------

    def load_workers(self, offset: int = 0) -> None:
        """Read a page of workers matching the search."""
        path, text = self.ot_app.ledger_path, self.search
        self.call_service(
            lambda: list_workers(path, WorkerFilter(text=text), offset, PAGE),
            lambda page: self._page(page, text),
            group="stubs-workers",
        )

    def load_preview(self) -> None:
        """Read the stub of the current worker and period (moved by any pending step)."""
        if self.worker_id is None or self.day is None:
            return
        self.request += 1
        path, worker_id, day, step, request = (
            self.ot_app.ledger_path,
            self.worker_id,
            self.day,
            self.pending_step,
            self.request,
        )
        self.call_service(
            lambda: preview(path, worker_id, period_day(path, day, step)),
            lambda shown: self._preview(shown, request),
            group="stubs-preview",
        )

    def _export_all(self, day: date, folder: Path, fmt: str) -> None:
        path = self.ot_app.ledger_path

        def export() -> BatchExport:
            worker = get_current_worker()
            return export_all(
                path,
                day,
                folder,
                fmt,
                progress=lambda n, total: self.app.call_from_thread(self._progress, n, total),
                cancelled=lambda: worker.is_cancelled,
            )

        self.call_service(export, self._batch_done, group="stubs-export-all", failed=self._batch_failed)

    # --- results (UI thread) -------------------------------------------------

    def _progress(self, done: int, total: int | None) -> None:
        bar = self.query_one("#export-bar", ProgressBar)
        bar.display = True
        status = self.query_one("#export-status", Static)
        if total is None:
            bar.update(total=None, progress=0)
            status.update("Pricing the period...")
            return
        bar.update(total=max(total, 1), progress=done if total else 1)
        status.update(f"Writing stubs {done}/{total}")

    def _started(self, day: date) -> None:
        self.day = self.day or day
        self.load_workers()

    def _page(self, page: WorkerPage, text: str) -> None:
        if text != self.search:
            return  # a stale search
        workers = self.query_one(WorkerList)
        # A reload keeps the worker shown; a new search shows its best match (its first row).
        same_search, self.shown_search = text == self.shown_search, text
        keep = self.worker_id if page.offset == 0 and same_search else None
        workers.show_page(page, keep=keep)
        total = page.total
        self.query_one("#stub-count", Static).update(f"{total} worker{'s' if total != 1 else ''}")
        if page.offset == 0:
            current = workers.current
            if current is None:
                self.worker_id = None
                self.preview = None
                self.query_one("#stub-title", Static).update("No worker matches.")
                self.query_one("#preview-text", Static).update("")
            elif current.worker_id != self.worker_id or self.preview is None:
                self.worker_id = current.worker_id
                self.load_preview()

    def _preview(self, shown: StubPreview, request: int) -> None:
        if request != self.request:
            return  # the user moved on
        self.preview = shown
        self.day = shown.period.end  # the pay period is the one of its last day (a stub may start earlier)
        self.pending_step = 0
        stub, period = shown.stub, shown.period
        corrections = (
            f"{shown.corrections} correction{'s' if shown.corrections != 1 else ''} (see Corrections below), "
            f"paid with this stub {shown.paid_text}"
            if shown.corrections
            else "no corrections"
        )
        title = Content.assemble(
            (f"{stub.worker_id} {stub.worker_name}", "bold"),
            f"  {period.label()}, paid {period.pay_date.isoformat()}\nGross ",
            (shown.gross_text, "bold"),
            f" · {corrections}",
        )
        self.query_one("#stub-title", Static).update(title)
        self.query_one("#preview-text", Static).update(Content(shown.text))
        self.query_one("#preview", VerticalScroll).scroll_home(animate=False)

    def _exported(self, path: Path) -> None:
        self.query_one("#export-status", Static).update(Content(f"Wrote {path.name}"))
        self.notify(f"Wrote {path}", title="Stub exported")

    def _batch_done(self, done: BatchExport) -> None:
        self.exporting = False
        text = batch_text(done)
        self.query_one("#export-status", Static).update(Content(text))
        self.notify(text, title="Stubs exported", timeout=10)

    def _batch_failed(self, _text: str) -> None:
        self.exporting = False
        self.query_one("#export-bar", ProgressBar).display = False
        self.query_one("#export-status", Static).update("Export failed: nothing was written.")

    @on(WorkerList.Chosen)
    def _chosen(self, message: WorkerList.Chosen) -> None:
        if message.worker.worker_id != self.worker_id:
            self.worker_id = message.worker.worker_id
            self.load_preview()

    @on(WorkerList.NeedMore)
    def _more(self, message: WorkerList.NeedMore) -> None:
        self.load_workers(offset=message.offset)

    @on(Input.Changed, "#stub-search")
    def _search(self, event: Input.Changed) -> None:
        self.search = event.value
        self.load_workers()

    @on(Input.Submitted, "#stub-search")
    def _searched(self) -> None:
        self.query_one("#preview").focus()

    def _show_folder(self) -> None:
        kind = EXPORT_FORMATS[self.all_format]
        self.query_one("#stub-folder", Static).update(Content(f"To {self.folder} (o) · all as {kind} (f)"))

    # --- actions -------------------------------------------------------------

    def action_period(self, step: int) -> None:
        """Show the previous (-1) or next (1) pay period."""
        if self.day is None:
            return
        self.pending_step += step
        self.load_preview()

    def action_worker(self, step: int) -> None:
        """Show the next (1) or previous (-1) worker."""
        self.query_one(WorkerList).step(step)

    def action_search(self) -> None:
        """Focus the search box."""
        self.query_one("#stub-search", Input).focus()

    def action_leave_search(self) -> None:
        """Back to the stub preview."""
        self.query_one("#preview").focus()

    def action_toggle_workers(self) -> None:
        """Hide or show the worker list (the stub is 80 columns wide)."""
        self.toggle_class("-no-workers")

    def action_refresh(self) -> None:
        """Read the ledger again."""
        self.load_workers()
        self.load_preview()

    def action_export(self, fmt: str) -> None:
        """Write the shown stub as ``fmt`` (html or pdf) into the export folder."""
        if self.preview is None:
            self.notify("No stub is shown yet.", severity="warning")
            return
        stub, folder = self.preview.stub, self.folder
        self.call_service(lambda: export_one(stub, folder, fmt), self._exported, group="stubs-export")

    def action_export_all(self) -> None:
        """Write every paid worker's stub of the shown period into the export folder."""
        if self.day is None:
            return
        if self.exporting:
            self.notify("An export of every worker is already running.", severity="warning")
            return
        self.exporting = True
        self._progress(0, None)
        self._export_all(self.day, self.folder, self.all_format)

    def action_all_format(self) -> None:
        """Switch exporting all workers between HTML and PDF."""
        self.all_format = "pdf" if self.all_format == "html" else "html"
        self._show_folder()

    def action_folder(self) -> None:
        """Open the dialog that changes the export folder."""

        def done(folder: Path | None) -> None:
            if folder is not None:
                self.folder = folder
                self._show_folder()

        self.app.push_screen(FolderScreen(self.folder, self.ot_app.ledger_path), done)
