"""The Sync report's table: one row per shift and target, the status coloured from the theme."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import DataTable

from ot.services.sync import ReportRow, ReportWeek
from tui.widgets.fit import fit_columns

COLUMNS = ("Week", "Worker", "Name", "Shift", "Date", "Target", "Status")

_STATUS_CLASS = {"Sent": "sync-table--sent", "Send": "sync-table--send", "Error": "sync-table--error"}


def row_key(row: ReportRow) -> str:
    """The table key of a report row (a shift at a target)."""
    return f"{row.target}\x1f{row.shift_id}"


def status_text(row: ReportRow) -> str:
    """The status cell: Sent with when (UTC month-day and minute; the panel shows the year), else
    Send or Error."""
    if row.status == "Sent" and row.sent_at is not None:
        return f"Sent {row.sent_at:%m-%d %H:%M}Z"
    return row.status


class SyncTable(DataTable[Text]):
    """Every shift of the report, workweeks needing attention first (a ``!`` after their week)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(_STATUS_CLASS.values())
    DEFAULT_CSS = """
    SyncTable > .sync-table--sent { color: $success; }
    SyncTable > .sync-table--send { color: $warning; }
    SyncTable > .sync-table--error { color: $error; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for name in COLUMNS:
            self.add_column(name, key=name)

    def show(self, weeks: tuple[ReportWeek, ...], keep: str | None) -> dict[str, ReportRow]:
        """Replace the rows with ``weeks``; keep the cursor on ``keep`` when it is still there.
        Returns the rows by key."""
        self.clear()
        rows: dict[str, ReportRow] = {}
        for week in weeks:
            flag = "" if week.attention == "Sent" else " !"
            for row in week.rows:
                key = row_key(row)
                rows[key] = row
                style = self.get_component_rich_style(_STATUS_CLASS[row.status], partial=True)
                self.add_row(
                    Text(f"{week.week_start:%m-%d}{flag}"),
                    Text(row.worker_id),
                    Text(row.name),
                    Text(row.shift_id),
                    Text(f"{row.day:%a %m-%d}"),
                    Text(row.target),
                    Text(status_text(row), style=style),
                    key=key,
                )
        fit_columns(self)
        if keep in rows:
            self.move_cursor(row=self.get_row_index(keep))
        return rows

    def selected_key(self) -> str | None:
        """The key of the row under the cursor (None: no rows)."""
        if self.row_count == 0:
            return None
        value = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return value
