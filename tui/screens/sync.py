"""The Sync report screen: the Hours Sync Report, sent from the keyboard.

One table of every shift at every target, workweeks that need attention first
(Error, then Send, then Sent); the panel below shows the selected shift in full:
when it was sent, why it waits, or its error with what to do. enter or x sends
the selected shift (also retrying one in Error), S sends everything waiting
after a confirmation, R reads the ledger again, u refreshes the roster now (the
header line says when it was last refreshed). Everything runs in a worker
thread through :mod:`ot.services.sync_view`; a result no longer wanted is
dropped; a failure shows the error's text. A ledger without a sync config
shows how to write one instead of an empty table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from ot.services.sync import RefreshResult, ReportRow, SyncRun, refresh_roster
from ot.services.sync_view import CONFIG_DOC, SyncView, send_shift, send_waiting, sync_view
from tui.screens.base import OtScreen, Stamp
from tui.widgets.approval_dialogs import ConfirmScreen
from tui.widgets.footer import OtFooter
from tui.widgets.sync_table import SyncTable


def when(at: datetime | None) -> str:
    """An instant as the report prints it (UTC, to the minute)."""
    return "never" if at is None else f"{at:%Y-%m-%d %H:%M}Z"


def head_text(view: SyncView) -> str:
    """The header line: targets, counts, and when the roster was last refreshed."""
    roster = f"roster refreshed {when(view.last_refresh)}"
    if view.roster_source is None:
        roster += " (no source)"
    counts = f"Error {view.count('Error')} · Send {view.count('Send')} · Sent {view.count('Sent')}"
    legend = (
        "\n! after a week: a shift of it waits to be sent or is in error"
        if any(w.attention != "Sent" for w in view.weeks)
        else ""
    )
    return f"Target{'s' if len(view.targets) > 1 else ''} {', '.join(view.targets)} · {counts} · {roster}{legend}"


def detail_text(row: ReportRow) -> str:
    """The selected shift in full: its status, and the whole message with what to do."""
    lines = [f"{row.shift_id} · {row.description} · target {row.target}"]
    if row.status == "Sent":
        lines.append(f"Sent {when(row.sent_at)} (at the target as {row.target_id}).")
    elif row.status == "Error":
        lines.append(f"Error: {row.detail}")
        lines.append(f"What to do: {row.what_to_do or 'fix the cause, then press x to send it again'}")
        lines.append("x or enter sends it again.")
    else:
        lines.append(f"Send: {row.detail}")
        if row.what_to_do:
            lines.append(f"What to do: {row.what_to_do}")
        lines.append("x or enter sends it now; S sends everything waiting.")
    return "\n".join(lines)


def no_config_text(view: SyncView) -> str:
    """What a ledger without a sync target shows."""
    return (
        f"No sync target is configured for this ledger: there is no [targets.NAME] table in {view.config_file}.\n\n"
        "Write that file beside the ledger, for example a csv feed:\n\n"
        '    [targets.files]\n    kind = "csv"\n    folder = "feeds"\n\n'
        f"{CONFIG_DOC} describes the csv, everee and export targets and the [roster] source. "
        "Then press R to read it again."
    )


def run_text(run: SyncRun) -> str:
    """A send's outcome in one line."""
    return run.summary()


def roster_text(result: RefreshResult) -> str:
    """A roster refresh's outcome in one line."""
    added = ", ".join(f"{n} {k}" for k, n in sorted(result.added.items()) if n) or "no changes"
    return f"Roster refreshed from {result.source}: {added}"


class SyncScreen(OtScreen):
    """The Hours Sync Report: see each shift's sync state and send from the keyboard."""

    CSS_PATH = "sync.tcss"
    TITLE_TEXT = "Sync report"
    DESCRIPTION = "The Hours Sync Report: Sent / Send / Error per shift and target; send, send all, refresh the roster"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "send", "Send shift", tooltip="Send the selected shift", id="sync.send"),
        Binding("enter", "send", "Send shift", show=False, id="sync.send_enter"),
        Binding("S", "send_all", "Send all", key_display="S", tooltip="Send everything waiting", id="sync.send_all"),
        Binding("R", "reload", "Refresh", key_display="R", tooltip="Refresh the sync report", id="sync.reload"),
        Binding("u", "refresh_roster", "Roster", tooltip="Refresh the roster", id="sync.refresh_roster"),
    ]
    ERROR_TITLE = "Sync"

    def __init__(self) -> None:
        super().__init__()
        self.view: SyncView | None = None
        self.rows: dict[str, ReportRow] = {}
        self.request = 0
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the sync report...", id="sync-head", markup=False)
        yield SyncTable(id="sync-table")
        yield Static("", id="sync-detail", markup=False)
        yield OtFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def ledger_moved(self, stamp: Stamp) -> None:
        """Show changes made by another process (an `ot sync` from the CLI, an edited config)."""
        if not self.busy and (self.view is None or self.view.stamp != stamp):
            self.action_reload()

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.action_reload()

    # --- reading -------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the ledger and the sync config again."""
        self.request += 1
        request, app = self.request, self.ot_app
        path, now, user = app.ledger_path, app.now(), app.user
        self.call_service(
            lambda: sync_view(path, now=now, actor=user),
            lambda view: self._loaded(view, request),
            group="sync-read",
            failed=self._read_failed,
        )

    def _read_failed(self, _text: str) -> None:
        if self.view is None:
            self.query_one("#sync-head", Static).update("Sync report: cannot be read (see the message)")

    def _loaded(self, view: SyncView, request: int) -> None:
        if request != self.request:
            return  # a newer read is on its way
        self.view = view
        table = self.query_one("#sync-table", SyncTable)
        head = self.query_one("#sync-head", Static)
        detail = self.query_one("#sync-detail", Static)
        if not view.configured:
            self.rows = {}
            table.clear()
            head.update("Sync report: no sync target configured")
            table.display = False
            detail.update(Content(no_config_text(view)))
            detail.add_class("-full")
            return
        table.display = True
        detail.remove_class("-full")
        head.update(head_text(view))
        self.rows = table.show(view.weeks, table.selected_key())
        if not self.rows:
            detail.update("Nothing to sync yet: approve shifts first (Approvals screen, key a).")
            return
        self._show_selected()
        table.focus()

    def _selected_key(self) -> str | None:
        return self.query_one("#sync-table", SyncTable).selected_key() if self.rows else None

    def _selected(self) -> ReportRow | None:
        key = self._selected_key()
        return self.rows.get(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#sync-table")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    @on(DataTable.RowSelected, "#sync-table")
    def _row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_send()  # enter on the table sends the row under the cursor

    def _show_selected(self) -> None:
        row = self._selected()
        detail = self.query_one("#sync-detail", Static)
        detail.update(detail_text(row) if row is not None else "")
        detail.set_class(row is not None and row.status == "Error", "-error")

    # --- writing -------------------------------------------------------------------

    def action_send(self) -> None:
        """Send the selected shift now (also retries one in Error)."""
        row = self._selected()
        if row is None:
            self.notify("No shift selected.", severity="warning")
            return
        if self.busy:
            self.notify("A send is already running.", severity="warning")
            return
        self.busy = True
        self.notify(f"Sending {row.shift_id} to {row.target}...")
        shift_id, target = row.shift_id, row.target
        self._write(
            lambda path, user, now: f"{shift_id}: {run_text(send_shift(path, shift_id, target, actor=user, now=now))}"
        )

    def _write(self, write: Callable[[Path, str, datetime], str]) -> None:
        """Run a send or a refresh (``write(ledger, actor, now)`` says what it did) in a worker thread."""
        app = self.ot_app
        path, user, now = app.ledger_path, app.user, app.now()
        self.call_service(lambda: write(path, user, now), self._done, group="sync-write", failed=self._write_failed)

    def action_send_all(self) -> None:
        """Send every shift waiting, after a confirmation."""
        if self.view is None or not self.view.configured:
            self.notify("No sync target is configured: see " + CONFIG_DOC, severity="warning")
            return
        waiting = [r for w in self.view.weeks for r in w.rows if r.status == "Send"]
        if not waiting:
            self.notify("Nothing waits to be sent.")
            return
        body = "\n".join(f"{r.target}  {r.shift_id}  {r.description}" for r in waiting[:12])
        if len(waiting) > 12:
            body += f"\n... and {len(waiting) - 12} more"

        def answered(yes: bool | None) -> None:
            if yes and not self.busy:
                self.busy = True
                self._write(lambda path, user, now: f"Send all: {run_text(send_waiting(path, actor=user, now=now))}")

        title = (
            f"Send {len(waiting)} waiting shift{'s' if len(waiting) != 1 else ''} to {', '.join(self.view.targets)}?"
        )
        self.app.push_screen(ConfirmScreen(title, body, "Send"), answered)

    def action_refresh_roster(self) -> None:
        """Pull roster changes from the configured workers file now."""
        if self.busy:
            self.notify("A send is already running.", severity="warning")
            return
        self.busy = True
        self._write(lambda path, user, now: roster_text(refresh_roster(path, actor=user, now=now)))

    def _done(self, text: str) -> None:
        self.busy = False
        self.notify(text)
        self.action_reload()

    def _write_failed(self, _text: str) -> None:
        self.busy = False
        self.action_reload()  # a send may have recorded errors before it failed
