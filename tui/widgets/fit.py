"""Column widths measured at once, not on a later idle pass.

DataTable measures automatic column widths when the app next goes idle; on a
busy machine a table that was cleared and refilled could be drawn (and
snapshotted) with widths measured before its new rows arrived, leaving cells
cut short. :func:`fit_columns` measures every automatic column from the rows
it holds, right after they are added.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable


def _width(value: object) -> int:
    if isinstance(value, Text):
        return max((cell_len(line.plain) for line in value.split()), default=0)
    return max((cell_len(line) for line in str(value).splitlines()), default=0)


def fit_columns(table: DataTable[Any]) -> None:
    """Set each automatic column's content width to its widest label or cell."""
    for key, column in table.columns.items():
        if not column.auto_width:
            continue
        column.content_width = max([_width(column.label), *(_width(cell) for cell in table.get_column(key))])
    table.refresh()


def widen_columns(table: DataTable[Any], keys: tuple[str, ...]) -> None:
    """Widen each fixed-width column of ``keys`` to its widest label or cell (never narrower than set):
    a column of figures shows every figure whole."""
    for key, column in table.columns.items():
        if str(key.value) not in keys or column.auto_width:
            continue
        cells = table.get_column(key) if table.row_count else ()
        column.width = max(column.width, _width(column.label), *(_width(cell) for cell in cells))
    table.refresh()
