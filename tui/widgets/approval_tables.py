"""The two tables of the Approvals screen: step-1 shifts (a row per worker-week, then
its shifts) and step-2 timecards (a row per worker). They show what
:func:`ot.services.queue.approval_queue` returns and the selection the screen
holds; states and exceptions take theme colours through component classes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from ot.core.money import cents, hours2
from ot.services.queue import QueueShift, QueueWeek, TimecardRow
from tui.widgets.fit import widen_columns

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SHIFT_COLUMNS = ("Sel", "Worker / day", "In-Out", "Hours", "OT", "DT", "Gross", "State", "Review / note")
CARD_COLUMNS = ("Sel", "Worker", "Shifts", "Hours", "Leave", "Gross", "Review", "State", "Note")
#: Columns of figures: widened to their widest cell after the rows are added (a figure is never shown
#: in part: 119.9 for 119.93 hours, 317966.5 for 317966.59, found by a review).
FIGURES = ("Shifts", "Hours", "Leave", "OT", "DT", "Gross", "Review / note", "Note")
#: Fixed widths of every column (at least: see FIGURES). DataTable's automatic
#: widths are measured on an idle pass that a busy machine can reach after the rows
#: were replaced, which left columns cut short; fixed widths also keep them from jumping.
WIDTHS = {
    "Sel": 3,
    "Worker / day": 17,
    "Worker": 17,
    "In-Out": 11,
    "Hours": 5,
    "OT": 5,
    "DT": 5,
    "Gross": 8,
    "Shifts": 6,
    "Leave": 5,
    "Review": 6,
    "State": 9,
    "Review / note": 40,
    "Note": 40,
}

_STATE_CLASS = {
    "waiting": "approval-table--waiting",
    "voided": "approval-table--voided",
    "open": "approval-table--waiting",
    "changed": "approval-table--voided",
    "ready": "approval-table--waiting",
    "no end": "approval-table--flag",
    "approved": "approval-table--done",
    "paid": "approval-table--done",
}


def _h(value: Decimal | None) -> str:
    return "--" if value is None else str(hours2(value))


def _mark(selectable: bool, selected: bool) -> Text:
    if not selectable:
        return Text("")
    return Text("[x]" if selected else "[ ]")


@dataclass(frozen=True)
class Row:
    """What a row of the step-1 table stands for.

    Attributes:
        week: The worker-week of the row.
        shift: The shift of a shift row (None on the week's own row).
    """

    week: QueueWeek
    shift: QueueShift | None


class ApprovalTable(DataTable[Text]):
    """A row-cursor table with the approval states' theme colours."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "approval-table--waiting",
        "approval-table--voided",
        "approval-table--done",
        "approval-table--flag",
        "approval-table--week",
    }
    DEFAULT_CSS = """
    ApprovalTable > .approval-table--waiting { color: $warning; }
    ApprovalTable > .approval-table--voided { color: $error; text-style: bold; }
    ApprovalTable > .approval-table--done { color: $success; }
    ApprovalTable > .approval-table--flag { color: $error; }
    ApprovalTable > .approval-table--week { text-style: bold; }
    """

    def __init__(self, columns: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.columns_named = columns

    def on_mount(self) -> None:
        for name in self.columns_named:
            self.add_column(name, key=name, width=WIDTHS.get(name))

    def _state(self, state: str) -> Text:
        component = _STATE_CLASS.get(state)
        if component is None:
            return Text(state)
        return Text(state, style=self.get_component_rich_style(component, partial=True))

    def _keep_cursor(self, key: str | None, keys: list[str]) -> None:
        if not keys:
            return
        row = keys.index(key) if key in keys else min(max(self.cursor_row, 0), len(keys) - 1)
        self.move_cursor(row=row)

    def _cursor_key(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        except CellDoesNotExist:  # no cell under the cursor yet
            return None


class ShiftQueueTable(ApprovalTable):
    """Step 1: a bold row per worker-week (hours, OT, DT, gross, waiting), then its shifts."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(SHIFT_COLUMNS, id=id)
        self.rows_shown: list[Row] = []

    def show(self, weeks: tuple[QueueWeek, ...], selected: frozenset[str]) -> None:
        """Show ``weeks``, marking the shift ids in ``selected``; the cursor stays on its row."""
        key = self._cursor_key()
        self.clear()
        self.rows_shown = []
        keys: list[str] = []
        bold = self.get_component_rich_style("approval-table--week", partial=True)
        flag = self.get_component_rich_style("approval-table--flag", partial=True)
        for w in weeks:
            approvable = [s.shift_id for s in w.shifts if s.approvable]
            chosen = bool(approvable) and all(s in selected for s in approvable)
            review = f"{w.exceptions} to review" if w.exceptions else ""
            note = w.problem or "; ".join(x for x in (review, w.rounding_note) if x)
            k = f"week:{w.worker_id}:{w.week_start.isoformat()}"
            self.add_row(
                _mark(bool(approvable), chosen),
                Text(f"{w.worker_id} {w.name}", style=bold),
                Text(f"wk {w.week_start:%m-%d}", style=bold),
                Text(_h(w.hours), justify="right", style=bold),
                Text(_h(w.overtime), justify="right", style=bold),
                Text(_h(w.doubletime), justify="right", style=bold),
                Text("--" if w.gross is None else str(cents(w.gross)), justify="right", style=bold),
                self._week_state(w),
                Text(note, style=flag if w.problem or review else ""),
                key=k,
            )
            keys.append(k)
            self.rows_shown.append(Row(w, None))
            for s in w.shifts:
                when = f"{s.time_in}-{s.time_out or '--:--'}" if s.time_in else s.pay_type
                note = ", ".join((*s.exceptions, s.note) if s.note else s.exceptions)
                self.add_row(
                    _mark(s.approvable, s.shift_id in selected),
                    Text(f"  {DAYS[s.day.weekday()]} {s.day:%m-%d} {s.shift_id}"),
                    Text(when),
                    Text(_h(s.hours), justify="right"),
                    Text(""),
                    Text(""),
                    Text(""),
                    self._state(s.state),
                    Text(note, style=flag if s.exceptions or s.state == "voided" else ""),
                    key=f"shift:{s.shift_id}",
                )
                keys.append(f"shift:{s.shift_id}")
                self.rows_shown.append(Row(w, s))
        widen_columns(self, FIGURES)
        self._keep_cursor(key, keys)

    def _week_state(self, week: QueueWeek) -> Text:
        if week.waiting:
            style = self.get_component_rich_style("approval-table--waiting", partial=True)
            return Text(f"{week.waiting} waiting", style=style)
        return Text("done", style=self.get_component_rich_style("approval-table--done", partial=True))

    @property
    def current(self) -> Row | None:
        """What the cursor is on."""
        if not self.rows_shown or not 0 <= self.cursor_row < len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]


class TimecardTable(ApprovalTable):
    """Step 2: a row per worker's timecard of the pay period."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(CARD_COLUMNS, id=id)
        self.rows_shown: list[TimecardRow] = []

    def show(self, rows: tuple[TimecardRow, ...], selected: frozenset[str]) -> None:
        """Show ``rows``, marking the worker ids in ``selected``; the cursor stays on its row."""
        key = self._cursor_key()
        self.clear()
        self.rows_shown = list(rows)
        flag = self.get_component_rich_style("approval-table--flag", partial=True)
        for r in rows:
            leave = _h(r.leave_hours) if r.leave_hours else ""
            self.add_row(
                _mark(r.approvable, r.worker_id in selected),
                Text(f"{r.worker_id} {r.name}"),
                Text(f"{r.approved}/{r.shifts}", justify="right"),
                Text(_h(r.hours), justify="right"),
                Text(leave, justify="right"),
                Text(str(cents(r.gross)), justify="right"),
                Text(f"{r.exceptions}" if r.exceptions else "", style=flag, justify="right"),
                self._state(r.state),
                Text(r.note, style=flag if r.state in ("voided", "changed") else ""),
                key=r.worker_id,
            )
        widen_columns(self, FIGURES)
        self._keep_cursor(key, [r.worker_id for r in rows])

    @property
    def current(self) -> TimecardRow | None:
        """The timecard under the cursor."""
        if not self.rows_shown or not 0 <= self.cursor_row < len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]
