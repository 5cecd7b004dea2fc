"""The earnings of a worker's week, to void one: a modal over the timecards screen (``V``).

It holds no rule of its own: the list is ``ot earning list`` (:func:`ot.services.earnings.list_earnings`)
and voiding is ``ot earning void`` (:func:`ot.services.earning_form.void_earning_form`, which names this
dialog's Reason field in a refusal), both off the UI thread.
A refusal (no reason, the wrong role, a paid week without an authorized correction) is shown in the
dialog, word for word, and nothing is written. The modal returns how many earnings it voided.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, DataTable, Input, Label, Static

from ot.services.earning_form import void_earning_form
from ot.services.earnings import EarningResult, list_earnings
from tui.screens.base import OtModalScreen
from tui.text import esc
from tui.widgets.footer import OtFooter

__all__ = ["EarningsScreen"]


class EarningsScreen(OtModalScreen[int]):
    """The earnings dated in one week of one worker; ``ctrl+s`` voids the selected one.

    Args:
        worker_id: Whose earnings.
        first, last: The week's first and last dates.
    """

    CSS_PATH = "earnings.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "void", "Void", tooltip="Void the selected earning", id="earnings.void"),
        Binding("escape", "close", "Close", tooltip="Close the earnings", id="earnings.close"),
    ]

    def __init__(self, worker_id: str, first: date, last: date) -> None:
        super().__init__()
        self.worker_id = worker_id
        self.first = first
        self.last = last
        self.voided = 0
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(
                f"[b]Earnings of {esc(self.worker_id)}[/b], {self.first.isoformat()} to {self.last.isoformat()}",
                id="form-title",
            )
            table: DataTable[str] = DataTable(id="earnings", cursor_type="row", zebra_stripes=True)
            table.add_columns("Id", "Date", "Kind", "Amount", "Earned over")
            yield table
            yield Static("", id="empty", classes="note")
            with Horizontal(classes="row"):
                yield Label("Reason", classes="label")
                reason = Input(placeholder="why it is voided (kept in the ledger)", id="reason", compact=True)
                reason.cursor_blink = self.ot_app.blink
                yield reason
            yield Checkbox("Correction authorized (a paid week)", False, id="correction", compact=True)
            yield Static("", id="msg", classes="msg")
        yield OtFooter()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        """Read the week's earnings in force."""
        app = self.ot_app
        path, user, wid = app.ledger_path, app.user, self.worker_id
        first, last = self.first.isoformat(), self.last.isoformat()
        self.call_service(
            lambda: list_earnings(path, worker_id=wid, start=first, end=last, actor=user),
            self._show,
            group="load",
            failed=self._refused,
            notify=False,
        )

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        table = self.query_one("#earnings", DataTable)
        table.clear()
        for row in rows:
            over = f"{row['earned_from']} to {row['earned_to']}" if row["earned_from"] else ""
            table.add_row(row["earning_id"], row["date"], row["kind"], f"${row['amount']}", over, key=row["earning_id"])
        self.query_one("#empty", Static).update(
            Content("" if rows else "No earning is dated in this week: B adds one.")
        )
        if rows:
            table.focus()
        else:
            self.query_one("#reason", Input).focus()

    def selected(self) -> str | None:
        """The id of the earning under the cursor, or None."""
        table = self.query_one("#earnings", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return str(self.rows[table.cursor_row]["earning_id"])

    def action_void(self) -> None:
        """Void the selected earning, with the reason given."""
        earning_id = self.selected()
        if earning_id is None:
            self._refused("No earning selected: there is none in this week.")
            return
        app = self.ot_app
        path, user, now = app.ledger_path, app.user, app.now()
        reason = self.query_one("#reason", Input).value
        authorized = self.query_one("#correction", Checkbox).value
        self.call_service(
            lambda: void_earning_form(
                path, earning_id, reason=reason, actor=user, now=now, correction_authorized=authorized
            ),
            self._voided,
            group="void",
            failed=self._refused,
            notify=False,
        )

    def _refused(self, text: str) -> None:
        self.query_one("#msg", Static).update(Content(text))
        self.query_one("#msg", Static).set_class(True, "-shown")

    def _voided(self, result: EarningResult) -> None:
        self.voided += 1
        lines = [f"voided earning {', '.join(result.earning_ids)}"]
        lines.extend(f"correction: {c}" for c in result.corrections)
        self.notify("\n".join(lines), title="Earning voided")
        self.query_one("#msg", Static).update(Content(""))
        self.query_one("#reason", Input).value = ""
        self.query_one("#correction", Checkbox).value = False
        self.load()

    def action_close(self) -> None:
        """Close; the timecards read the week again when something was voided."""
        self.dismiss(self.voided)
