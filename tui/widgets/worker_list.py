"""The worker list: one page at a time, more pages as the cursor reaches the end."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from ot.services.browse import WorkerPage, WorkerRow
from tui.widgets.fit import fit_columns


class WorkerList(DataTable[Text]):
    """Workers by id; posts :class:`WorkerList.Chosen` when the cursor rests on one."""

    @dataclass
    class Chosen(Message):
        """The cursor is on a worker."""

        worker: WorkerRow

    @dataclass
    class NeedMore(Message):
        """The cursor reached the last loaded row and more workers match."""

        offset: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", show_header=False)
        self.loaded: list[WorkerRow] = []
        self.total = 0

    def on_mount(self) -> None:
        self.add_column("id", key="id")
        self.add_column("name", key="name")

    def show_page(self, page: WorkerPage, *, keep: str | None = None) -> None:
        """Show ``page``: the first replaces the list, later ones append."""
        if page.offset == 0:
            self.clear()
            self.loaded = []
        self.total = page.total
        for w in page.rows:
            style = "" if w.active else "dim"
            self.add_row(Text(w.worker_id, style=style), Text(w.name, style=style), key=w.worker_id)
            self.loaded.append(w)
        fit_columns(self)
        if keep is not None and page.offset == 0:
            for i, w in enumerate(self.loaded):
                if w.worker_id == keep:
                    self.move_cursor(row=i)
                    break

    def step(self, step: int) -> None:
        """Move the cursor to the next (1) or previous (-1) worker."""
        if step > 0:
            self.action_cursor_down()
        else:
            self.action_cursor_up()

    @property
    def current(self) -> WorkerRow | None:
        """The worker under the cursor."""
        if not self.loaded or not 0 <= self.cursor_row < len(self.loaded):
            return None
        return self.loaded[self.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.loaded):
            self.post_message(self.Chosen(self.loaded[event.cursor_row]))
            if event.cursor_row >= len(self.loaded) - 1 and len(self.loaded) < self.total:
                self.post_message(self.NeedMore(len(self.loaded)))
