"""The Exceptions screen: what to fix or review in a pay period, per worker and workweek.

Shift exceptions (missing punches, overlaps, shifts over 24 hours, breaks not
ended...) block their worker's timecard, and only that worker's: everyone else
is approved and paid as usual, which the header says. Meal and rest premiums
and minimum-wage make-up are pay the rules added, listed to review; they block
nothing. enter opens the fix: the shift form on the shift for an exception (a
missing punch is added there), the week's explanation for a premium or a
make-up; e opens the shift form on any item's shift. [ and ] change the pay
period (it opens on today's). Reads run in a worker thread through
:mod:`ot.services.exceptions_view`; writes go through the shift form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ot.errors import OtError
from ot.services.entries import EntryResult
from ot.services.exceptions_view import ExceptionItem, ExceptionsView, exceptions_queue
from ot.services.explain import explain_week, explanation_text
from ot.services.queue import neighbour_day
from ot.services.shift_form import FormStart, start_edit
from tui.screens.payrun import TextScreen
from tui.screens.shift_form import ShiftFormScreen

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


class ExceptionsScreen(Screen[None]):
    """Fix missing punches, overlaps and long shifts; review premiums and minimum-wage make-up."""

    CSS_PATH = "exceptions.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "fix", "Fix", priority=True),
        Binding("e", "edit", "Edit shift"),
        Binding("left_square_bracket", "period(-1)", "Prev period", key_display="["),
        Binding("right_square_bracket", "period(1)", "Next period", key_display="]"),
        Binding("R", "reload", "Refresh", key_display="R"),
    ]
    COMMANDS_HELP = (
        ("Exceptions: fix the selected item", "Open the shift form, or the week's explanation", "fix"),
        ("Exceptions: edit the item's shift", "Open the shift form on the selected item's shift", "edit"),
        ("Exceptions: previous period", "Show the previous pay period's exceptions", "period(-1)"),
        ("Exceptions: next period", "Show the next pay period's exceptions", "period(1)"),
        ("Exceptions: refresh", "Read the ledger again", "reload"),
    )

    @dataclass
    class Loaded(Message):
        view: ExceptionsView
        request: int

    @dataclass
    class Opened(Message):
        """A fix is ready to show: the shift form's start, or a text (title, body)."""

        start: FormStart | None = None
        title: str = ""
        text: str = ""

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.view: ExceptionsView | None = None
        self.items: list[ExceptionItem] = []
        self.request = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the exceptions...", id="exceptions-head", markup=False)
        yield DataTable(id="exceptions-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="exceptions-detail", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#exceptions-table", DataTable).add_columns(*COLUMNS)
        self.day = self.app.today()  # type: ignore[attr-defined]
        self.action_reload()

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.action_reload()

    # --- reading -------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the ledger again."""
        if self.day is None:
            return
        self.request += 1
        self._load(self.day, self.request)

    @work(thread=True, exclusive=True, group="exceptions-read")
    def _load(self, day: date, request: int) -> None:
        app = self.app
        try:
            view = exceptions_queue(app.ledger_path, app.user, day)  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.post_message(self.Loaded(view, request))

    def action_period(self, step: int) -> None:
        """Show the pay period ``step`` periods away."""
        if self.view is not None:
            self.day = neighbour_day(self.view.period, step)
            self.action_reload()

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.request != self.request:
            return
        view = self.view = message.view
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

    @work(thread=True, exclusive=True, group="exceptions-open")
    def _open(self, shift_id: str | None, worker_id: str | None, day: date | None) -> None:
        path = self.app.ledger_path  # type: ignore[attr-defined]
        try:
            if shift_id is not None:
                self.post_message(self.Opened(start=start_edit(path, shift_id)))
            elif worker_id is not None and day is not None:
                text = explanation_text(explain_week(path, worker_id, day))
                self.post_message(self.Opened(title=f"Explanation: {worker_id}, week of {day}", text=text))
        except OtError as error:
            self.post_message(self.Failed(error.render()))

    @on(Opened)
    def _opened(self, message: Opened) -> None:
        if self.app.screen is not self:
            return  # a dialog is already open
        if message.start is not None:
            self.app.push_screen(ShiftFormScreen(message.start), self._form_closed)
        else:
            self.app.push_screen(TextScreen(message.title, message.text))

    def _form_closed(self, result: EntryResult | None) -> None:
        if result is not None:
            self.notify(f"{result.action} shift {result.shift_id}: {result.description}", title="Shift saved")
            self.action_reload()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, title="Exceptions", severity="error", timeout=12)
