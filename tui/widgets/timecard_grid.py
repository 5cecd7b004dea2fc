"""The grid of a week's shifts: OT and DT hours stand out through theme-styled component classes."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.widgets import DataTable

from ot.core.money import cents, hours2
from ot.services.browse import ShiftRow, TimecardWeek
from tui.widgets.fit import fit_columns

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: "Brk" is the minutes of the shift's breaks; their times and kinds are in the explain panel (e).
COLUMNS = ("Date", "In", "Out", "Hours", "REG", "OT", "DT", "Prem", "Pay", "Appr", "Sync", "Review", "Brk")
#: Short words for the approval states (``ot.services.queue.shift_states``) in a narrow column.
APPROVAL_WORDS = {
    "approved": "ok",
    "waiting": "wait",
    "voided": "VOID",
    "no end": "no end",
    "leave": "leave",
    "paid": "paid",
}
#: The approval cell of a shift a correction changed (its date was paid, then the shift changed).
CORRECTED = "corr"


def _h(value: Decimal | None) -> str:
    return "--" if value is None else str(hours2(value))


def _break_text(row: ShiftRow) -> str:
    """The minutes of a shift's breaks (``?`` for one never ended, ``-`` for none)."""
    if not row.breaks:
        return "-"
    return "?" if row.break_minutes is None else f"{row.break_minutes}m"


class TimecardGrid(DataTable[Text]):
    """Shifts of one workweek, one row each; break minutes in the last column, their times in the explain panel."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"timecard-grid--ot", "timecard-grid--dt", "timecard-grid--flag"}
    DEFAULT_CSS = """
    TimecardGrid > .timecard-grid--ot { color: $warning; text-style: bold; }
    TimecardGrid > .timecard-grid--dt { color: $error; text-style: bold; }
    TimecardGrid > .timecard-grid--flag { color: $error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.rows_shown: tuple[ShiftRow, ...] = ()

    def on_mount(self) -> None:
        for name in COLUMNS:
            self.add_column(name, key=name)

    def _cell(self, value: Decimal, component: str | None) -> Text:
        text = _h(value)
        if component and value:
            return Text(text, style=self.get_component_rich_style(component, partial=True), justify="right")
        return Text(text, justify="right")

    def show(self, week: TimecardWeek) -> None:
        """Show ``week``'s shifts, keeping the cursor row where it was when it still exists."""
        row = self.cursor_row
        self.clear()
        self.rows_shown = week.rows
        flag = self.get_component_rich_style("timecard-grid--flag", partial=True)
        for r in week.rows:
            pay = "--" if r.pay is None else f"{cents(r.pay)}{'*' if r.shares_lines else ''}"
            self.add_row(
                Text(f"{DAYS[r.day.weekday()]} {r.day.strftime('%m-%d')}"),
                Text(r.time_in or ("hours" if r.pay_type == "REGULAR" else r.pay_type)),
                Text(r.time_out or ("--:--" if r.time_in else "")),
                Text(_h(r.hours), justify="right"),
                self._cell(r.regular, None),
                self._cell(r.overtime, "timecard-grid--ot"),
                self._cell(r.doubletime, "timecard-grid--dt"),
                self._cell(r.premium, "timecard-grid--ot"),
                Text(pay, justify="right"),
                self._approval(r),
                Text(r.sync or "-", style=flag if r.sync == "Error" else ""),
                Text(", ".join(r.exceptions), style=flag),
                Text(_break_text(r), justify="right"),
                key=r.shift_id,
            )
        fit_columns(self)
        if week.rows:
            self.move_cursor(row=min(max(row, 0), len(week.rows) - 1))

    def _approval(self, row: ShiftRow) -> Text:
        if row.corrections:
            style = self.get_component_rich_style("timecard-grid--ot", partial=True)
            return Text(CORRECTED, style=style)
        word = APPROVAL_WORDS.get(row.approval, row.approval) if row.approval else "-"
        flag = self.get_component_rich_style("timecard-grid--flag", partial=True)
        return Text(word, style=flag if row.approval == "voided" else "")

    @property
    def selected(self) -> ShiftRow | None:
        """The shift under the cursor."""
        if not self.rows_shown or not 0 <= self.cursor_row < len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]
