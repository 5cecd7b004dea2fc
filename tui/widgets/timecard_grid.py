"""The grid of a week's shifts: OT and DT hours stand out through theme-styled component classes.

A narrow grid (an 80-column terminal) would cut the Pay column at its edge: a money figure shown in
part (248 for 248.15). When the columns through :data:`KEEP_IN_VIEW` do not fit with the usual two
cells between columns, the grid goes compact: one cell between columns (no cell padding, each cell led
by a space), which fits them at 80 columns; the columns after them scroll into view to the right.
"""

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
#: The last column a compact grid keeps in view at 80 columns (the money; approval and sync states follow).
KEEP_IN_VIEW = "Pay"
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
        self.week: TimecardWeek | None = None
        #: One cell between columns instead of two (see the module's docstring).
        self.compact = False

    def on_mount(self) -> None:
        self._columns()

    def _columns(self) -> None:
        lead = " " if self.compact else ""
        for name in COLUMNS:
            self.add_column(lead + name, key=name)

    def _cell(self, value: Decimal, component: str | None) -> Text:
        text = ("" if not self.compact else " ") + _h(value)
        if component and value:
            return Text(text, style=self.get_component_rich_style(component, partial=True), justify="right")
        return Text(text, justify="right")

    def _needed(self) -> int:
        """The cells the columns through :data:`KEEP_IN_VIEW` take with the usual padding."""
        width = 0
        for key, column in self.columns.items():
            width += column.content_width - (1 if self.compact else 0) + 2
            if key == KEEP_IN_VIEW:
                break
        return width

    def _fit(self) -> None:
        """Go compact when the money column would be cut at the grid's edge, back when it fits again."""
        if self.week is None or not self.size.width:
            return
        room = self.scrollable_content_region.width
        compact = self._needed() > room
        if compact != self.compact:
            self.compact = compact
            self.cell_padding = 0 if compact else 1
            self.clear(columns=True)
            self._columns()
            self.show(self.week)

    def on_resize(self) -> None:
        self._fit()

    def show(self, week: TimecardWeek) -> None:
        """Show ``week``'s shifts, keeping the cursor row where it was when it still exists."""
        row = self.cursor_row
        self.clear()
        self.rows_shown = week.rows
        self.week = week
        lead = " " if self.compact else ""
        flag = self.get_component_rich_style("timecard-grid--flag", partial=True)
        for r in week.rows:
            marks = ("*" if r.shares_lines else "") + ("~" if r.carries_cent else "")
            pay = "--" if r.pay is None else f"{cents(r.pay)}{marks}"
            self.add_row(
                Text(f"{lead}{DAYS[r.day.weekday()]} {r.day.strftime('%m-%d')}"),
                Text(lead + (r.time_in or ("hours" if r.pay_type == "REGULAR" else r.pay_type))),
                Text(lead + (r.time_out or ("--:--" if r.time_in else ""))),
                Text(lead + _h(r.hours), justify="right"),
                self._cell(r.regular, None),
                self._cell(r.overtime, "timecard-grid--ot"),
                self._cell(r.doubletime, "timecard-grid--dt"),
                self._cell(r.premium, "timecard-grid--ot"),
                Text(lead + pay, justify="right"),
                self._approval(r, lead),
                Text(lead + (r.sync or "-"), style=flag if r.sync == "Error" else ""),
                Text(lead + ", ".join(r.exceptions), style=flag),
                Text(lead + _break_text(r), justify="right"),
                key=r.shift_id,
            )
        fit_columns(self)
        if week.rows:
            self.move_cursor(row=min(max(row, 0), len(week.rows) - 1))
        self.call_after_refresh(self._fit)

    def _approval(self, row: ShiftRow, lead: str) -> Text:
        if row.corrections:
            style = self.get_component_rich_style("timecard-grid--ot", partial=True)
            return Text(lead + CORRECTED, style=style)
        word = APPROVAL_WORDS.get(row.approval, row.approval) if row.approval else "-"
        flag = self.get_component_rich_style("timecard-grid--flag", partial=True)
        return Text(lead + word, style=flag if row.approval == "voided" else "")

    @property
    def selected(self) -> ShiftRow | None:
        """The shift under the cursor."""
        if not self.rows_shown or not 0 <= self.cursor_row < len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]
