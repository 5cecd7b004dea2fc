"""The timecards screen: workers on the left, the chosen worker's week on the right.

Every read runs in a worker thread (``@work(thread=True, exclusive=True)``)
and posts its result back; a result for a worker or week no longer wanted is
dropped. The ledger's head is polled every ``app.poll_seconds``: when another
process appends, the list and the week are read again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static
from textual.worker import get_current_worker

from ot.errors import OtError
from ot.money import cents, hours2, rate_text
from ot.services.browse import (
    TimecardWeek,
    WorkerFilter,
    WorkerPage,
    filter_choices,
    latest_day,
    ledger_head,
    list_workers,
    timecard_week,
)
from ot.services.entries import EntryResult
from ot.services.shift_form import FormStart, start_add, start_edit
from tui.screens.filters import FilterScreen
from tui.screens.shift_form import ShiftFormScreen
from tui.text import esc
from tui.widgets.explain_panel import ExplainPanel
from tui.widgets.timecard_grid import DAYS, TimecardGrid
from tui.widgets.worker_list import WorkerList

PAGE = 100


def _filter_text(f: WorkerFilter) -> str:
    parts = [
        f"location {f.location_id}" if f.location_id else "",
        f"manager {f.manager_id}" if f.manager_id else "",
        f"state {f.state}" if f.state else "",
        "has exceptions" if f.has_exceptions else "",
        "PIN override" if f.pin_override else "",
    ]
    return ", ".join(p for p in parts if p)


def totals_text(week: TimecardWeek) -> str:
    """The week's totals line (markup)."""
    if week.problem:
        return f"[b]Not priced:[/b] {esc(week.problem)}"
    if week.gross is None:
        return f"{len(week.rows)} shifts, {hours2(week.hours)} h recorded; nothing to price this week"
    parts = [
        f"REG {hours2(week.regular)}",
        f"[$warning]OT {hours2(week.overtime)}[/]" if week.overtime else "OT 0.00",
        f"[$error]DT {hours2(week.doubletime)}[/]" if week.doubletime else "DT 0.00",
        f"Prem {hours2(week.premium)}",
        f"reg rate {rate_text(week.regular_rate) if week.regular_rate is not None else '--'}",
        f"[b]gross {cents(week.gross)}[/b]",
    ]
    extra = f"; other pay {cents(week.week_pay)}" if week.week_pay else ""
    flagged = f"; {week.exceptions} to review" if week.exceptions else ""
    shared = "; * a pay line shared with another shift" if any(r.shares_lines for r in week.rows) else ""
    return "  ".join(parts) + extra + flagged + shared


class TimecardsScreen(Screen[None]):
    """Timecards: choose a worker and a week; see shifts, hours by class, pay and why."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
        Binding("left_square_bracket", "week(-1)", "Prev wk", key_display="["),
        Binding("right_square_bracket", "week(1)", "Next wk", key_display="]"),
        Binding("n", "worker(1)", "Worker"),
        Binding("N", "worker(-1)", "Prev worker", key_display="N", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("f", "filters", "Filter"),
        Binding("e", "explain", "Explain"),
        # Not in the footer (it is full at 80 columns): in `?` and the command palette.
        Binding("A", "add_shift", "Add shift", key_display="A", show=False),
        Binding("E", "edit_shift", "Edit shift (or enter)", key_display="E", show=False),
        Binding("escape", "leave_search", "Back to grid", show=False),
    ]
    COMMANDS_HELP = (
        ("Next week", "Show the next workweek", "week(1)"),
        ("Previous week", "Show the previous workweek", "week(-1)"),
        ("Next worker", "Show the next worker's week", "worker(1)"),
        ("Previous worker", "Show the previous worker's week", "worker(-1)"),
        ("Search workers", "Type words of a worker's id or name", "search"),
        ("Filter workers", "By location, manager, state or exceptions", "filters"),
        ("Explain", "Show or hide which rule classified each hour of the shift", "explain"),
        ("Refresh", "Read the ledger again", "refresh"),
        ("Add shift", "Add a shift (punches or hours) to this worker's week", "add_shift"),
        ("Edit shift", "Edit the selected shift (an approved one asks first)", "edit_shift"),
    )

    explaining: reactive[bool] = reactive(False)

    @dataclass
    class PageLoaded(Message):
        """A page of workers for the filter ``flt``."""

        page: WorkerPage
        flt: WorkerFilter
        keep: str | None

    @dataclass
    class WeekLoaded(Message):
        """A worker's week, read for (worker_id, day)."""

        week: TimecardWeek
        request: tuple[str, date]

    @dataclass
    class Failed(Message):
        """A read failed; ``text`` says why."""

        text: str

    @dataclass
    class FormReady(Message):
        """What the shift form opens with."""

        start: FormStart

    @dataclass
    class HeadMoved(Message):
        """The ledger's head is now ``seq``."""

        seq: int

    def __init__(self) -> None:
        super().__init__()
        self.flt = WorkerFilter()
        self.day: date | None = None
        self.worker_id: str | None = None
        self.head: int | None = None
        self.week: TimecardWeek | None = None
        self.choices: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="timecards"):
            with Vertical(id="workers-pane"):
                yield Input(placeholder="/ search workers", id="search", compact=True)
                yield Static("", id="filter-line")
                yield WorkerList(id="workers")
            with Vertical(id="week-pane"):
                yield Static("Loading...", id="week-title")
                yield TimecardGrid(id="grid")
                yield Static("", id="totals")
                yield ExplainPanel(id="explain")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#search", Input).cursor_blink = self.app.blink  # type: ignore[attr-defined]
        self.query_one("#grid").focus()
        self._start()
        self.set_interval(self.app.poll_seconds, self.check_ledger)  # type: ignore[attr-defined]

    # --- reads (worker threads) ----------------------------------------------

    @work(thread=True, exclusive=True, group="start")
    def _start(self) -> None:
        path = self.app.ledger_path  # type: ignore[attr-defined]
        try:
            day = latest_day(path, self.app.today())  # type: ignore[attr-defined]
            choices = filter_choices(path)
            head = ledger_head(path)
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.app.call_from_thread(self._started, day, choices, head)

    def _started(self, day: date, choices: tuple[tuple[str, ...], ...], head: int) -> None:
        self.day = self.day or day
        self.choices = choices  # type: ignore[assignment]
        self.head = head
        self.load_workers(keep=self.worker_id)

    def load_workers(self, offset: int = 0, keep: str | None = None) -> None:
        """Read a page of workers for the current filter."""
        flt = replace(self.flt, week_of=self.day)
        self._read_workers(flt, offset, keep)

    @work(thread=True, exclusive=True, group="workers")
    def _read_workers(self, flt: WorkerFilter, offset: int, keep: str | None) -> None:
        try:
            page = list_workers(self.app.ledger_path, flt, offset, PAGE)  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.PageLoaded(page, flt, keep))

    def load_week(self) -> None:
        """Read the current worker's week."""
        if self.worker_id is None or self.day is None:
            return
        self._read_week(self.worker_id, self.day)

    @work(thread=True, exclusive=True, group="week")
    def _read_week(self, worker_id: str, day: date) -> None:
        try:
            week = timecard_week(self.app.ledger_path, worker_id, day)  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.WeekLoaded(week, (worker_id, day)))

    def check_ledger(self) -> None:
        """Look (in a worker) whether another process changed the ledger."""
        self._read_head()

    @work(thread=True, exclusive=True, group="poll")
    def _read_head(self) -> None:
        try:
            seq = ledger_head(self.app.ledger_path)  # type: ignore[attr-defined]
        except OtError:
            return  # busy or being replaced: look again at the next tick
        self.post_message(self.HeadMoved(seq))

    # --- results (UI thread) -------------------------------------------------

    @on(PageLoaded)
    def _page(self, message: PageLoaded) -> None:
        if message.flt.text != self.flt.text or replace(message.flt, week_of=None) != replace(self.flt, week_of=None):
            return  # a stale filter
        workers = self.query_one(WorkerList)
        workers.show_page(message.page, keep=message.keep)
        total = message.page.total
        narrowed = _filter_text(self.flt)
        self.query_one("#filter-line", Static).update(
            f"{total} worker{'s' if total != 1 else ''}" + (f" · {esc(narrowed)}" if narrowed else "")
        )
        if message.page.offset == 0:
            current = workers.current
            if current is None:
                self.worker_id = None
                self.query_one("#week-title", Static).update("No worker matches.")
                self.query_one(TimecardGrid).clear()
                self.query_one("#totals", Static).update("")
            elif current.worker_id != self.worker_id or message.keep is not None:
                self.worker_id = current.worker_id
                self.load_week()

    @on(WeekLoaded)
    def _week(self, message: WeekLoaded) -> None:
        if message.request != (self.worker_id, self.day):
            return  # the user moved on
        week = self.week = message.week
        w = week.worker
        first, last = week.week_start, week.week_end
        self.query_one("#week-title", Static).update(
            f"[b]{esc(w.worker_id)} {esc(w.name)}[/b]  {esc(w.type)}, {esc(w.location_id)} {esc(w.state)}\n"
            f"{DAYS[first.weekday()]} {first.isoformat()} to {DAYS[last.weekday()]} {last.isoformat()}"
            f"  rules: {esc(week.rules_file)}"
        )
        grid = self.query_one(TimecardGrid)
        grid.show(week)
        if not week.rows:
            self.query_one("#totals", Static).update("No shifts this week.")
        else:
            self.query_one("#totals", Static).update(totals_text(week))
        self.query_one(ExplainPanel).show(grid.selected)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, title="ot", severity="error", timeout=10)

    @on(HeadMoved)
    def _head(self, message: HeadMoved) -> None:
        if self.head is None or message.seq == self.head:
            return
        self.head = message.seq
        self._start()  # the filter choices, the list and the week, read again

    @on(WorkerList.Chosen)
    def _chosen(self, message: WorkerList.Chosen) -> None:
        if message.worker.worker_id != self.worker_id:
            self.worker_id = message.worker.worker_id
            self.load_week()

    @on(WorkerList.NeedMore)
    def _more(self, message: WorkerList.NeedMore) -> None:
        self.load_workers(offset=message.offset)

    @on(FormReady)
    def _form_ready(self, message: FormReady) -> None:
        if self.app.screen is not self:
            return  # a form (or another dialog) is already open
        self.app.push_screen(ShiftFormScreen(message.start), self._form_closed)

    def _form_closed(self, result: EntryResult | None) -> None:
        if result is None:
            return
        lines = [
            f"{'correction: ' if result.correction else ''}{result.action} shift {result.shift_id}: "
            f"{result.description}"
        ]
        lines.extend(f"voided the {item}: approve it again" for item in result.voided)
        self.notify("\n".join(lines), title="Shift saved")
        self.load_week()

    @on(TimecardGrid.RowSelected, "#grid")
    def _row_chosen(self) -> None:
        self.action_edit_shift()

    @on(TimecardGrid.RowHighlighted, "#grid")
    def _shift(self) -> None:
        self.query_one(ExplainPanel).show(self.query_one(TimecardGrid).selected)

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self.flt = replace(self.flt, text=event.value)
        self.load_workers()

    @on(Input.Submitted, "#search")
    def _searched(self) -> None:
        self.query_one(TimecardGrid).focus()

    def watch_explaining(self, explaining: bool) -> None:
        self.query_one(ExplainPanel).set_class(explaining, "-shown")

    # --- actions -------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """Move the shift cursor."""
        grid = self.query_one(TimecardGrid)
        grid.focus()
        if step > 0:
            grid.action_cursor_down()
        else:
            grid.action_cursor_up()

    def action_week(self, step: int) -> None:
        """Show the previous (-1) or next (1) workweek."""
        if self.day is None:
            return
        self.day = self.day + timedelta(days=7 * step)
        if self.flt.has_exceptions:
            self.load_workers(keep=self.worker_id)
        self.load_week()

    def action_worker(self, step: int) -> None:
        """Show the next (1) or previous (-1) worker."""
        self.query_one(WorkerList).step(step)

    def action_search(self) -> None:
        """Focus the search box."""
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        """Back to the grid."""
        self.query_one(TimecardGrid).focus()

    def action_explain(self) -> None:
        """Show or hide the explain panel."""
        self.explaining = not self.explaining

    def action_add_shift(self) -> None:
        """Open the shift form for a new shift of this worker (on the day shown)."""
        if self.worker_id is None or self.day is None:
            return
        day = self.day
        if self.week is not None and not self.week.week_start <= day <= self.week.week_end:
            day = self.week.week_start
        self._open_form(self.worker_id, day, None)

    def action_edit_shift(self) -> None:
        """Open the shift form on the selected shift."""
        row = self.query_one(TimecardGrid).selected
        if row is None:
            self.notify("No shift selected: A adds one.", title="Edit shift", severity="warning")
            return
        self._open_form(None, None, row.shift_id)

    @work(thread=True, exclusive=True, group="form")
    def _open_form(self, worker_id: str | None, day: date | None, shift_id: str | None) -> None:
        path = self.app.ledger_path  # type: ignore[attr-defined]
        try:
            if shift_id is not None:
                start = start_edit(path, shift_id)
            elif worker_id is not None and day is not None:
                start = start_add(path, worker_id, day)
            else:
                return
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.post_message(self.FormReady(start))

    def action_refresh(self) -> None:
        """Read the ledger again."""
        self.load_workers(keep=self.worker_id)

    def action_filters(self) -> None:
        """Open the filter dialog."""
        locations, managers, states = self.choices

        def done(flt: WorkerFilter | None) -> None:
            if flt is not None:
                self.flt = flt
                self.load_workers()

        self.app.push_screen(FilterScreen(self.flt, locations, managers, states), done)
