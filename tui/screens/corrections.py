"""The Corrections audit screen: every over- and underpayment, filtered by worker and date.

The data of ``ot audit corrections``: one row per correction (when, whose,
kind and signed amount, the workweek, who made it, how it is settled and
whether it has been), oldest first; the panel below shows the selected one in
full (why, what was paid and what is owed, each date before and after). The
Worker and Since fields filter (enter applies them; a bad date is named in the
panel); / goes to the filters, ctrl+r reads again, and so does a change of the
ledger. Reads run in a worker thread (:meth:`OtScreen.call_service`) through
:mod:`ot.services.corrections_view`; the screen writes nothing.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Input, Label, Static

from ot.services.corrections import AuditRow
from ot.services.corrections_view import audit_detail, audit_rows, audit_state, signed_amount
from tui.screens.base import OtScreen, Stamp
from tui.widgets.footer import OtFooter

#: The signed amount says the kind (+ owed to the worker, - overpaid); How is last, the widest.
COLUMNS = ("ID", "Recorded (UTC)", "Worker", "Amount", "Week of", "By", "State", "How")


class CorrectionsScreen(OtScreen):
    """Audit every correction: filter by worker and since-date, read each in full."""

    CSS_PATH = "corrections.tcss"
    TITLE_TEXT = "Corrections audit"
    DESCRIPTION = "Every over- and underpayment: whose, how much, who made it, how and whether it is settled"
    #: The table first: a focused filter field would take the single-letter keys that switch screens.
    AUTO_FOCUS = "#corrections-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "filters", "Filter", key_display="/", tooltip="Filter by worker and date", id="corrections.filters"
        ),
        Binding("ctrl+r", "reload", "Refresh", tooltip="Refresh the corrections audit", id="corrections.reload"),
    ]
    ERROR_TITLE = "Corrections audit"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AuditRow] = []
        self.request = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="corrections-filters"):
            yield Label("Worker", classes="corrections-label")
            yield Input(placeholder="all", id="corrections-worker", compact=True)
            yield Label("Since", classes="corrections-label")
            yield Input(placeholder="YYYY-MM-DD", id="corrections-since", compact=True)
        yield Static("Reading the corrections...", id="corrections-head", markup=False)
        yield DataTable(id="corrections-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="corrections-detail", markup=False)
        yield OtFooter()

    def on_mount(self) -> None:
        blink = self.ot_app.blink
        for field in self.query(Input):
            field.cursor_blink = blink
        self.query_one("#corrections-table", DataTable).add_columns(*COLUMNS)
        self.action_reload()

    def ledger_moved(self, stamp: Stamp) -> None:
        """The ledger changed (a correction recorded or settled): read the audit again."""
        self.action_reload()

    def action_filters(self) -> None:
        """Go to the worker filter."""
        self.query_one("#corrections-worker", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, _event: Input.Submitted) -> None:
        self.action_reload()
        self.query_one("#corrections-table", DataTable).focus()

    def action_reload(self) -> None:
        """Read the corrections again, with the filters as typed."""
        self.request += 1
        worker = self.query_one("#corrections-worker", Input).value
        since = self.query_one("#corrections-since", Input).value
        path, request = self.ot_app.ledger_path, self.request
        self.call_service(
            lambda: audit_rows(path, worker=worker, since=since),
            lambda rows: self._loaded(rows, request),
            group="corrections-read",
            failed=lambda text: self._failed(text, request),
            notify=False,
        )

    def _loaded(self, rows: list[AuditRow], request: int) -> None:
        if request != self.request:
            return  # a newer read is on its way
        self.rows = rows
        table = self.query_one("#corrections-table", DataTable)
        table.clear()
        for n, row in enumerate(self.rows):
            c = row.correction
            table.add_row(
                c.correction_id,
                f"{c.at:%Y-%m-%d %H:%M}",
                c.worker_id,
                signed_amount(row),
                str(c.week_start),
                c.author,
                audit_state(row),
                row.how,
                key=str(n),
            )
        open_ = sum(1 for r in self.rows if not r.settled)
        count = len(self.rows)
        head = f"{count} correction{'s' if count != 1 else ''} · {open_} open · + owed to the worker, - overpaid"
        self.query_one("#corrections-head", Static).update(head)
        detail = self.query_one("#corrections-detail", Static)
        detail.remove_class("-error")
        if not self.rows:
            detail.update("No over- or underpayments recorded" + (" with these filters." if self._filtered() else "."))
        self._show_selected()

    def _filtered(self) -> bool:
        return any(self.query_one(f"#corrections-{f}", Input).value.strip() for f in ("worker", "since"))

    def _selected(self) -> AuditRow | None:
        table = self.query_one("#corrections-table", DataTable)
        if not self.rows or not 0 <= table.cursor_row < table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return self.rows[int(str(key))]

    @on(DataTable.RowHighlighted, "#corrections-table")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        row = self._selected()
        if row is not None:
            self.query_one("#corrections-detail", Static).update(audit_detail(row))

    def _failed(self, text: str, request: int) -> None:
        """A bad filter (or an unreadable ledger): the problem, saying where, in the panel."""
        if request != self.request:
            return
        self.rows = []
        self.query_one("#corrections-table", DataTable).clear()
        self.query_one("#corrections-head", Static).update("The corrections were not read (see below)")
        detail = self.query_one("#corrections-detail", Static)
        detail.update(text)
        detail.add_class("-error")
