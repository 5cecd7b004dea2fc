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

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ot.errors import OtError
from ot.services.sync import ReportRow, SyncRun, refresh_roster
from ot.services.sync_view import CONFIG_DOC, SyncView, send_shift, send_waiting, sync_stamp, sync_view
from tui.widgets.approval_dialogs import ConfirmScreen
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
    return f"Target{'s' if len(view.targets) > 1 else ''} {', '.join(view.targets)} · {counts} · {roster}"


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


class SyncScreen(Screen[None]):
    """The Hours Sync Report: see each shift's sync state and send from the keyboard."""

    CSS_PATH = "sync.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "send", "Send shift"),
        Binding("enter", "send", "Send shift", show=False),
        Binding("S", "send_all", "Send all", key_display="S"),
        Binding("R", "reload", "Refresh", key_display="R"),
        Binding("u", "refresh_roster", "Roster"),
    ]
    COMMANDS_HELP = (
        ("Send the selected shift", "Send the selected shift now (also retries one in Error)", "send"),
        ("Send everything waiting", "Send every shift waiting to every target, after a confirmation", "send_all"),
        ("Refresh the sync report", "Read the ledger and the sync config again", "reload"),
        ("Refresh the roster", "Pull roster changes from the configured workers file now", "refresh_roster"),
    )

    @dataclass
    class Loaded(Message):
        """The view of request number ``request``."""

        view: SyncView
        request: int

    @dataclass
    class Done(Message):
        """A send or a roster refresh finished; ``text`` says what it did."""

        text: str

    @dataclass
    class Failed(Message):
        """A read (``write`` False) or a write failed; ``text`` says why."""

        text: str
        write: bool = True

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
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.action_reload()
        self.set_interval(self.app.poll_seconds, self._poll)  # type: ignore[attr-defined]

    def _poll(self) -> None:
        """Show changes made by another process (an `ot sync` from the CLI, an edited config)."""
        if self.is_current and not self.busy and self.view is not None:
            self._check(self.view.stamp)

    @work(thread=True, exclusive=True, group="sync-poll")
    def _check(self, seen: tuple[int, int]) -> None:
        try:
            moved = sync_stamp(self.app.ledger_path) != seen  # type: ignore[attr-defined]
        except OtError:
            moved = True  # the read shows the error
        if moved:
            self.app.call_from_thread(self.action_reload)

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.action_reload()

    # --- reading -------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the ledger and the sync config again."""
        self.request += 1
        self._load(self.request)

    @work(thread=True, exclusive=True, group="sync-read")
    def _load(self, request: int) -> None:
        app = self.app
        try:
            view = sync_view(app.ledger_path, now=app.now())  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.Failed(error.render(), write=False))
            return
        self.post_message(self.Loaded(view, request))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.request != self.request:
            return  # a newer read is on its way
        view = message.view
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
        self._send_one(row.shift_id, row.target)

    @work(thread=True, exclusive=True, group="sync-write")
    def _send_one(self, shift_id: str, target: str) -> None:
        app = self.app
        try:
            run = send_shift(app.ledger_path, shift_id, target, actor=app.user, now=app.now())  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.post_message(self.Done(f"{shift_id}: {run_text(run)}"))

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
                self._send_all()

        title = (
            f"Send {len(waiting)} waiting shift{'s' if len(waiting) != 1 else ''} to {', '.join(self.view.targets)}?"
        )
        self.app.push_screen(ConfirmScreen(title, body, "Send"), answered)

    @work(thread=True, exclusive=True, group="sync-write")
    def _send_all(self) -> None:
        app = self.app
        try:
            run = send_waiting(app.ledger_path, actor=app.user, now=app.now())  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.post_message(self.Done(f"Send all: {run_text(run)}"))

    def action_refresh_roster(self) -> None:
        """Pull roster changes from the configured workers file now."""
        if self.busy:
            self.notify("A send is already running.", severity="warning")
            return
        self.busy = True
        self._refresh_roster()

    @work(thread=True, exclusive=True, group="sync-write")
    def _refresh_roster(self) -> None:
        app = self.app
        try:
            result = refresh_roster(app.ledger_path, actor=app.user, now=app.now())  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        added = ", ".join(f"{n} {k}" for k, n in sorted(result.added.items())) or "no changes"
        self.post_message(self.Done(f"Roster refreshed from {result.source}: {added}"))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.busy = False
        self.notify(message.text)
        self.action_reload()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, title="Sync", severity="error", timeout=12)
        if message.write:
            self.busy = False
            self.action_reload()  # a send may have recorded errors before it failed
        elif self.view is None:
            self.query_one("#sync-head", Static).update("Sync report: cannot be read (see the message)")
