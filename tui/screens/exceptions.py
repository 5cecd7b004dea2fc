"""The Exceptions screen: what to fix or review in a pay period, per worker and workweek.

Shift exceptions (missing punches, overlaps, shifts over 24 hours, breaks not
ended...) block their worker's timecard, and only that worker's: everyone else
is approved and paid as usual, which the header says. Meal and rest premiums
and minimum-wage make-up are pay the rules added, listed to review; they block
nothing. enter opens the fix: the shift form on the shift for an exception (a
missing punch is added there), the week's explanation for a premium or a
make-up; e opens the shift form on any item's shift. [ and ] change the pay
period (it opens on the one the user's config names, ``period``: by default the
latest with punches, as Approvals does). Reads run in a worker thread
(:meth:`OtScreen.call_service`) through :mod:`ot.services.exceptions_view` and
again when the ledger changes; writes go through the shift form.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Static

from ot.services.entries import EntryResult
from ot.services.exceptions_view import ExceptionItem, ExceptionsView, exceptions_since
from ot.services.explain import explain_week, explanation_text
from ot.services.queue import neighbour_day
from ot.services.shift_form import FormStart, start_edit
from ot.services.user_config import opening_day
from tui.screens.base import OtScreen, Stamp, period_bindings
from tui.screens.payrun import TextScreen
from tui.screens.shift_form import ShiftFormScreen
from tui.widgets.footer import OtFooter

COLUMNS = ("Worker", "Name", "Week", "Day", "Item", "Shift", "Blocks")


def head_text(view: ExceptionsView) -> str:
    """The header: the period, what to fix and for whom, what to review, and that each blocks only its worker."""
    fix = [i for i in view.items if i.blocks]
    review = len(view.items) - len(fix)
    blocked = view.blocked_workers
    text = f"{view.period.label()} · {len(fix)} to fix"
    if blocked:
        text += f" ({', '.join(blocked)})"
    text += f" · {review} to review"
    return text + " · each blocks only its own worker's timecard: everyone else is paid as usual"


def detail_text(item: ExceptionItem) -> str:
    """The selected item in full: what, what to do, and whom it blocks."""
    lines = [f"{item.worker_id} {item.name} · week of {item.week_start} · {item.label}", item.what]
    lines.append(f"What to do: {item.fix}")
    if item.blocks:
        lines.append(
            f"Blocks {item.worker_id}'s timecard only (step 1 and the pay run leave {item.worker_id} out until fixed)."
            " enter opens the shift form."
        )
    else:
        lines.append("Blocks nothing: it is paid. enter opens the week's explanation; e the shift.")
    return "\n".join(lines)


class ExceptionsScreen(OtScreen):
    """Fix missing punches, overlaps and long shifts; review premiums and minimum-wage make-up."""

    CSS_PATH = "exceptions.tcss"
    TITLE_TEXT = "Exceptions"
    DESCRIPTION = "What to fix (each blocks only its worker) or review in a pay period; enter opens the fix"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "fix", "Fix", priority=True, tooltip="Fix the selected item", id="exceptions.fix"),
        Binding("e", "edit", "Edit shift", tooltip="Edit the item's shift", id="exceptions.edit"),
        *period_bindings("exceptions", grouped=False),
        Binding("R", "reload", "Refresh", key_display="R", tooltip="Refresh the exceptions", id="exceptions.reload"),
    ]
    ERROR_TITLE = "Exceptions"

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.view: ExceptionsView | None = None
        self.items: list[ExceptionItem] = []
        self.request = 0
        #: A whole read (R) asked for and not shown yet: the reads after it stay whole.
        self.whole_pending = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the exceptions...", id="exceptions-head", markup=False)
        yield DataTable(id="exceptions-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="exceptions-detail", markup=False)
        yield OtFooter()

    def on_mount(self) -> None:
        self.query_one("#exceptions-table", DataTable).add_columns(*COLUMNS)
        app = self.ot_app
        path, today, view = app.ledger_path, app.today(), app.config.period
        # The period the user's config names (``latest``: the latest one with punches), as Approvals does.
        self.call_service(lambda: opening_day(path, today, view), self._started, group="exceptions-start")

    def _started(self, day: date) -> None:
        self.day = day
        self.action_reload()

    def ledger_moved(self, stamp: Stamp) -> None:
        """The ledger changed (a punch added, a shift edited elsewhere): read the exceptions again, those
        of the workers the new events name when nothing else changed (:func:`exceptions_since`)."""
        if self.view is None or stamp[0] != self.view.head:
            self.read()

    # --- reading -------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the ledger again (every worker's exceptions)."""
        self.read(whole=True)

    def read(self, *, whole: bool = False) -> None:
        """Read the exceptions: after the view shown, only the workers whose rows changed (``whole``:
        every worker; a whole read asked for stays whole until it is shown)."""
        if self.day is None:
            return
        self.request += 1
        self.whole_pending = self.whole_pending or whole
        app, day, request = self.ot_app, self.day, self.request
        path, user = app.ledger_path, app.user
        shown = None if self.whole_pending else self.view
        self.call_service(
            lambda: exceptions_since(path, user, day, shown),
            lambda view: self._loaded(view, request, whole=shown is None),
            group="exceptions-read",
        )

    def action_period(self, step: int) -> None:
        """Show the pay period ``step`` periods away."""
        if self.view is not None:
            self.day = neighbour_day(self.view.period, step)
            self.read()

    def _loaded(self, view: ExceptionsView, request: int, *, whole: bool = True) -> None:
        if request != self.request:
            return  # a newer read is on its way
        if whole:
            self.whole_pending = False
        self.view = view
        table = self.query_one("#exceptions-table", DataTable)
        head = self.query_one("#exceptions-head", Static)
        detail = self.query_one("#exceptions-detail", Static)
        key = self._selected_key()
        table.clear()
        self.items = list(view.items)
        if view.refusal is not None:
            head.update(f"{view.period.label()} · nothing to show for {view.actor}")
            table.display = False
            detail.update(view.refusal)
            return
        table.display = True
        for n, item in enumerate(self.items):
            table.add_row(
                item.worker_id,
                item.name,
                f"{item.week_start:%m-%d}",
                f"{item.day:%a %m-%d}",
                item.label,
                item.shift_id or "",
                "yes" if item.blocks else "no",
                key=str(n),
            )
        head.update(head_text(view))
        if not self.items:
            detail.update(f"Nothing to fix or review in {view.period.label()}. [ and ] change the period.")
        elif key is not None and key.isdigit() and int(key) < len(self.items):
            table.move_cursor(row=int(key))
        self._show_selected()
        table.focus()

    def _selected_key(self) -> str | None:
        table = self.query_one("#exceptions-table", DataTable)
        if not self.items or not 0 <= table.cursor_row < table.row_count:
            return None
        return str(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value)

    def _selected(self) -> ExceptionItem | None:
        key = self._selected_key()
        return self.items[int(key)] if key is not None else None

    @on(DataTable.RowHighlighted, "#exceptions-table")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        item = self._selected()
        if item is None or self.view is None:
            return
        text = detail_text(item)
        if self.view.unpriced:
            text += f"\nSome weeks could not be priced, so their premiums are not listed: {self.view.unpriced}"
        self.query_one("#exceptions-detail", Static).update(text)

    # --- opening the fix -----------------------------------------------------------

    def action_fix(self) -> None:
        """Open the selected item's fix: the shift form, or the week's explanation."""
        item = self._selected()
        if item is None:
            self.notify("Nothing selected.", severity="warning")
            return
        if item.blocks and item.shift_id is not None:
            self._open(item.shift_id, None, None)
        else:
            self._open(None, item.worker_id, item.week_start)

    def action_edit(self) -> None:
        """Open the shift form on the selected item's shift."""
        item = self._selected()
        if item is None or item.shift_id is None:
            self.notify("No shift to edit for this item.", severity="warning")
            return
        self._open(item.shift_id, None, None)

    def _open(self, shift_id: str | None, worker_id: str | None, day: date | None) -> None:
        path = self.ot_app.ledger_path
        if shift_id is not None:
            self.call_service(lambda: start_edit(path, shift_id), self._open_form, group="exceptions-open")
        elif worker_id is not None and day is not None:
            title = f"Explanation: {worker_id}, week of {day}"
            self.call_service(
                lambda: explanation_text(explain_week(path, worker_id, day)),
                lambda text: self._open_text(title, text),
                group="exceptions-open",
            )

    def _open_form(self, start: FormStart) -> None:
        if self.app.screen is self:  # else a dialog is already open
            self.app.push_screen(ShiftFormScreen(start), self._form_closed)

    def _open_text(self, title: str, text: str) -> None:
        if self.app.screen is self:
            self.app.push_screen(TextScreen(title, text))

    def _form_closed(self, result: EntryResult | None) -> None:
        if result is not None:
            self.notify(f"{result.action} shift {result.shift_id}: {result.description}", title="Shift saved")
            self.read()
