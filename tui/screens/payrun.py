"""The Pay run screen: preview a pay period's run by worker, confirm it, then read the stubs it issued.

[ and ] pick the pay period (it opens on the last one that has ended). The
table is the pay run's dry run: every worker with their hours, gross,
corrections added and deducted, and net; below them the workers left out, each
with what blocks them (the panel shows the selected worker in full: a blocked
timecard blocks only its own worker). P asks for a confirmation naming the
total and the worker count, then records the run; the table then lists the
stubs it issued, and enter opens one as text. Everything runs in a worker
thread (:meth:`OtScreen.call_service`) through :mod:`ot.services.payrun_view`; a
refusal (the period has not ended, nothing to pay, not an admin) shows the
service's own message in the panel (focused, it scrolls). When nobody can be paid because every
timecard is blocked, the header names the period and counts them grouped by why, and the table lists
them. A preview follows the ledger when it changes
(another process approving a timecard); an issued run stays shown.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Label, Static

from ot.services.payrun import Confirmed
from ot.services.payrun_view import (
    PayRunRow,
    PayRunView,
    confirmed_of,
    issue_payrun,
    left_out_kind,
    left_out_summary,
    preview_payrun,
    stub_text,
)
from ot.services.stub_export import period_day
from ot.stubs.layout import money
from tui.screens.base import OtModalScreen, OtScreen, Stamp, period_bindings
from tui.widgets.approval_dialogs import ConfirmScreen
from tui.widgets.fit import fit_columns
from tui.widgets.footer import OtFooter

COLUMNS = ("Worker", "Name", "Hours", "Gross", "+Corr", "-Deduct", "Net", "Status")


def amount(value: Decimal | None) -> str:
    """Money as the stub prints it; blank when there is none."""
    return "" if value is None else money(value)


def head_text(view: PayRunView) -> str:
    """The header line: the run, its period, its totals and who is left out; when nobody can be
    paid, the period and, below, who is left out grouped by why."""
    if view.dry_run and not view.paid:
        return f"Nothing to pay in {view.period.label()} · [ and ] change the period\n{left_out_summary(view)}"
    what = "Preview (nothing written)" if view.dry_run else "Issued"
    paid = len(view.paid)
    text = (
        f"{what}: pay run {view.run_id} · {view.period.label()} · pay date {view.period.pay_date} · "
        f"{paid} worker{'s' if paid != 1 else ''} · net {money(view.net)}"
    )
    if view.blocked:
        text += f" · {len(view.blocked)} left out"
    return text


def row_status(row: PayRunRow, dry_run: bool) -> str:
    """The status cell: to pay, issued (its stub), or blocked (the panel says why); short, so that the
    row fits 80 columns with its figures."""
    if row.blocked:
        return "blocked"
    return "to pay" if dry_run else "issued"


#: What fixes a left-out timecard in the app, by why it is left out (``payrun_view.left_out_kind``): the
#: screens' keys are those of ``tui.app.SCREENS`` (a test checks them).
_HERE = {
    "exception": "fix its shifts on the Exceptions screen (X)",
    "step 1": "approve its shifts on the Approvals screen (a), step 1",
    "changed": "approve its timecard again on the Approvals screen (a), step 2",
    "step 2": "approve its timecard on the Approvals screen (a), step 2",
}


def detail_text(view: PayRunView, row: PayRunRow | None) -> str:
    """The selected worker in full, then the run's notes."""
    lines: list[str] = []
    if row is not None and row.blocked:
        who = f"{row.worker_id} {row.name}".rstrip()
        lines.append(f"{who} is left out of this run (it blocks only {row.worker_id}):")
        hint = _HERE.get(left_out_kind(row))
        if hint:
            lines.append(f"What to do here: {hint} (the reasons below say how from a terminal).")
        lines.extend(f"  {reason}" for reason in row.blocked)
    elif row is not None:
        lines.append(f"{row.worker_id} {row.name}: net {amount(row.net)}")
        lines.extend(f"  {note}" for note in row.notes)
        lines.append("enter opens the stub as issued." if not view.dry_run else "enter opens the stub it would issue.")
    lines.extend(f"Rules: {notice}" for notice in view.notices)
    lines.extend(view.unplaced)
    lines.extend(view.carried)
    if view.already_paid:
        lines.append(f"Paid earlier: {', '.join(view.already_paid)}")
    if view.dry_run and view.paid:
        lines.append("P pays the workers above after a confirmation; [ and ] change the period.")
    elif view.dry_run:
        lines.append("Nobody can be paid until what blocks them is fixed; [ and ] change the period.")
    return "\n".join(lines)


def confirm_body(view: PayRunView) -> str:
    """The confirmation's text: what is paid, and who is left out."""
    lines = [f"Gross {money(view.gross)}, paid out {money(view.net)}, pay date {view.period.pay_date}."]
    if view.blocked:
        names = ", ".join(r.worker_id for r in view.blocked)
        lines.append(f"Left out (blocked, paid by a later run): {names}.")
    lines.append("A worker-date is paid once, for good.")
    return "\n".join(lines)


class TextScreen(OtModalScreen[None]):
    """A text (a stub, an explanation) with its title; escape closes it."""

    CSS_PATH = "payrun.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", tooltip="Close the text", id="text.close"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="stub-dialog"):
            yield Label(self.title_text, id="stub-dialog-title", markup=False)
            with VerticalScroll(id="stub-dialog-scroll"):
                yield Static(self.text, id="stub-dialog-text", markup=False)

    def on_mount(self) -> None:
        self.query_one("#stub-dialog-scroll").focus()


class PayRunScreen(OtScreen):
    """Preview, confirm and issue a pay period's run."""

    CSS_PATH = "payrun.tcss"
    TITLE_TEXT = "Pay run"
    DESCRIPTION = "A pay period's run by worker, who is left out and why; pay it after a confirmation, read its stubs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("P", "pay", "Pay", key_display="P", tooltip="Pay the period", id="payrun.pay"),
        *period_bindings("payrun", grouped=False),
        Binding("R", "reload", "Refresh", key_display="R", tooltip="Refresh the pay run preview", id="payrun.reload"),
    ]
    ERROR_TITLE = "Pay run"

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.view: PayRunView | None = None
        self.rows: dict[str, PayRunRow] = {}
        self.request = 0
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Computing the pay run's preview...", id="payrun-head", markup=False)
        yield DataTable(id="payrun-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="payrun-detail-box"):
            yield Static("", id="payrun-detail", markup=False)
        yield OtFooter()

    def on_mount(self) -> None:
        self.query_one("#payrun-table", DataTable).add_columns(*COLUMNS)
        self._first_period()

    def ledger_moved(self, stamp: Stamp) -> None:
        """The ledger changed: compute the preview again (an issued run stays shown); while a
        preview is being computed, once more after it (:meth:`read_on_move`)."""
        if self.view is None or self.view.dry_run:
            self.read_on_move("payrun-read", self._reload_if_preview)

    def _reload_if_preview(self) -> None:
        if self.view is None or self.view.dry_run:
            self.action_reload()  # (not while a run is being recorded: a refused run reads it, _failed)

    def _first_period(self) -> None:
        """Open on the last pay period that has ended (the one before today's)."""
        path, today = self.ot_app.ledger_path, self.ot_app.today()
        request = self.request
        self.call_service(
            lambda: period_day(path, today, -1),
            self._set_day,
            group="payrun-read",
            failed=lambda text: self._failed(text, request),
            notify=False,
        )

    def _set_day(self, day: date) -> None:
        self.day = day
        self.action_reload()

    # --- reading -------------------------------------------------------------------

    def action_reload(self) -> None:
        """Compute the preview of the shown period again."""
        if self.day is None or self.busy:
            return
        self.request += 1
        self.query_one("#payrun-head", Static).update("Computing the pay run's preview...")
        app, day, request = self.ot_app, self.day, self.request
        path, user, now = app.ledger_path, app.user, app.now()
        self.call_service(
            lambda: preview_payrun(path, period_day=day, actor=user, now=now, left_out=True),
            lambda view: self._loaded(view, request),
            group="payrun-read",
            failed=lambda text: self._failed(text, request),
            notify=False,
        )

    def action_period(self, step: int) -> None:
        """Preview the pay period ``step`` periods away."""
        if self.day is None or self.busy:
            return
        path, day, request = self.ot_app.ledger_path, self.day, self.request
        self.call_service(
            lambda: period_day(path, day, step),
            self._set_day,
            group="payrun-read",
            failed=lambda text: self._failed(text, request),
            notify=False,
        )

    def _loaded(self, view: PayRunView, request: int) -> None:
        if request != self.request:
            return  # a newer read is on its way
        self.busy = False
        self.view = view
        self._show(view)

    def _show(self, view: PayRunView) -> None:
        table = self.query_one("#payrun-table", DataTable)
        table.clear()
        table.display = True
        self.rows = {}
        for row in view.rows:
            self.rows[row.worker_id] = row
            table.add_row(
                row.worker_id,
                row.name,
                "" if row.hours is None else f"{row.hours:.2f}",
                amount(row.gross),
                amount(row.additions),
                amount(row.deductions),
                amount(row.net),
                row_status(row, view.dry_run),
                key=row.worker_id,
            )
        fit_columns(table)  # measured now, from these rows (not those of the preview before)
        self.query_one("#payrun-head", Static).update(head_text(view))
        self._show_selected()
        table.focus()

    def _selected(self) -> PayRunRow | None:
        table = self.query_one("#payrun-table", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return self.rows.get(str(key))

    @on(DataTable.RowHighlighted, "#payrun-table")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        if self.view is not None:
            self.query_one("#payrun-detail", Static).update(detail_text(self.view, self._selected()))
            self.query_one("#payrun-detail-box").remove_class("-error")

    @on(DataTable.RowSelected, "#payrun-table")
    def _open_stub(self, _event: DataTable.RowSelected) -> None:
        row = self._selected()
        if row is None or row.stub is None:
            self.notify("No stub: this worker is left out of the run.", severity="warning")
            return
        what = "would issue" if self.view is not None and self.view.dry_run else "issued"
        self.app.push_screen(TextScreen(f"Stub {what}: {row.worker_id} {row.name}", stub_text(row.stub)))

    def _failed(self, text: str, request: int, *, write: bool = False) -> None:
        """Show a refusal (the service's whole message) in the panel instead of the table."""
        if request != self.request and not write:
            return
        self.busy = False
        self.view = None
        self.rows = {}
        table = self.query_one("#payrun-table", DataTable)
        table.clear()
        table.display = False
        what = "The pay run was refused" if write else "No pay run to preview"
        self.query_one("#payrun-head", Static).update(f"{what} · [ and ] change the period")
        self.query_one("#payrun-detail", Static).update(text)
        box = self.query_one("#payrun-detail-box", VerticalScroll)
        box.add_class("-error")
        box.scroll_home(animate=False)
        box.focus()  # the refusal can be scrolled (a long one runs below the screen)
        if write:
            # A run refused, often because the ledger changed since its preview: that change may have
            # come while the run was recorded (and is not seen again), so the preview is read now; the
            # notification keeps the refusal's reason.
            self.action_reload()

    # --- writing -------------------------------------------------------------------

    def action_pay(self) -> None:
        """Record the previewed run after a confirmation naming the total and the worker count."""
        view = self.view
        if view is None or not view.dry_run or self.day is None:
            self.notify("No preview to pay: pick a pay period that has ended.", severity="warning")
            return
        if self.busy:
            self.notify("The pay run is already running.", severity="warning")
            return
        if not view.paid:
            self.notify("Nobody can be paid in this period: see who is left out and why.", severity="warning")
            return
        day, partial, confirmed = self.day, bool(view.blocked), confirmed_of(view)
        count = len(view.paid)
        title = f"Pay {count} worker{'s' if count != 1 else ''} a total of {money(view.net)} for {view.period.label()}?"

        def answered(yes: bool | None) -> None:
            if yes and not self.busy:
                self.busy = True
                self.request += 1
                self.query_one("#payrun-head", Static).update("Recording the pay run...")
                self._issue(day, partial, confirmed, self.request)

        self.app.push_screen(ConfirmScreen(title, confirm_body(view), "Pay"), answered)

    def _issue(self, day: date, partial: bool, confirmed: Confirmed, request: int) -> None:
        """Record the run confirmed: the service refuses it (nothing written) if it would pay anything
        else than the preview did, the ledger having changed since (another user, a timeclock)."""
        app = self.ot_app
        path, user, now = app.ledger_path, app.user, app.now()
        self.call_service(
            lambda: issue_payrun(path, period_day=day, partial=partial, actor=user, now=now, confirmed=confirmed),
            lambda view: self._loaded(view, request),
            group="payrun-write",
            failed=lambda text: self._failed(text, request, write=True),
            # Notified too: a refusal because the ledger moved is followed by the new preview at the
            # next look at the ledger, which takes the panel; the notification keeps the reason.
            notify=True,
        )
