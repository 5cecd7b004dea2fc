"""The timecards screen: workers on the left, the chosen worker's week on the right.

Every read runs in a worker thread (:meth:`OtScreen.call_service`) and comes
back to a callback; a result for a worker or week no longer wanted is dropped.
When the ledger changes (the app's one poller), the list and the week are read
again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Header, Input, Static

from ot.core.money import cents, hours2, rate_text
from ot.services.browse import (
    TimecardWeek,
    WorkerFilter,
    WorkerPage,
    filter_choices,
    list_workers,
    timecard_week,
)
from ot.services.earning_form import EarningStart, start_earning
from ot.services.earnings import EarningResult
from ot.services.entries import EntryResult
from ot.services.schedules import Excused
from ot.services.shift_form import FormStart, start_add, start_edit
from ot.services.user_config import opening_day
from tui.screens.base import OtScreen, Stamp
from tui.screens.earning_form import EarningFormScreen
from tui.screens.earnings import EarningsScreen
from tui.screens.excuse import ExcuseScreen
from tui.screens.filters import FilterScreen
from tui.screens.shift_form import ShiftFormScreen
from tui.text import esc
from tui.widgets.explain_panel import ExplainPanel
from tui.widgets.footer import OtFooter
from tui.widgets.timecard_grid import DAYS, TimecardGrid
from tui.widgets.worker_list import WorkerList

PAGE = 100
#: [ and ] share one footer entry.
WEEKS = Binding.Group("Week", compact=True)


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
    if any(r.carries_cent for r in week.rows):
        shared += "; ~ carries a cent of the week's rounding"
    corrected = [c for r in week.rows for c in r.corrections]
    corr = f"; corr: a paid shift changed by correction {', '.join(corrected)}" if corrected else ""
    return "  ".join(parts) + extra + flagged + shared + esc(corr)


def _palette_only(key: str, action: str, description: str, tooltip: str) -> Binding:
    """A timecards key left out of the footer (full at 80 columns): ``?`` and the palette list it."""
    return Binding(key, action, description, key_display=key, show=False, tooltip=tooltip, id=f"timecards.{action}")


class TimecardsScreen(OtScreen):
    """Timecards: choose a worker and a week; see shifts, hours by class, pay and why."""

    TITLE_TEXT = "Timecards"
    DESCRIPTION = "A worker's week: shifts, REG/OT/DT, premiums, pay, approval and sync state, exceptions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor(1)", "Down", show=False, tooltip="Next shift", id="timecards.down"),
        Binding("k", "cursor(-1)", "Up", show=False, tooltip="Previous shift", id="timecards.up"),
        Binding(
            "left_square_bracket",
            "week(-1)",
            "Prev wk",
            key_display="[",
            group=WEEKS,
            tooltip="Previous week",
            id="timecards.prev_week",
        ),
        Binding(
            "right_square_bracket",
            "week(1)",
            "Next wk",
            key_display="]",
            group=WEEKS,
            tooltip="Next week",
            id="timecards.next_week",
        ),
        Binding("n", "worker(1)", "Worker", tooltip="Next worker", id="timecards.next_worker"),
        Binding(
            "N",
            "worker(-1)",
            "Prev worker",
            key_display="N",
            show=False,
            tooltip="Previous worker",
            id="timecards.prev_worker",
        ),
        Binding("slash", "search", "Search", key_display="/", tooltip="Search workers", id="timecards.search"),
        Binding("f", "filters", "Filter", tooltip="Filter workers", id="timecards.filter"),
        Binding("e", "explain", "Explain", tooltip="Explain the shift", id="timecards.explain"),
        Binding("A", "add_shift", "Add", key_display="A", tooltip="Add shift", id="timecards.add_shift"),
        Binding("E", "edit_shift", "Edit", key_display="E", tooltip="Edit shift", id="timecards.edit_shift"),
        _palette_only("B", "add_earning", "Earning", "Add an earning (bonus, commission, piece pay...)"),
        _palette_only("V", "void_earning", "Void earning", "Void an earning of this week"),
        _palette_only("R", "excuse_day", "Excuse day", "Excuse the day from reporting-time pay"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, tooltip="Refresh timecards", id="timecards.refresh"),
        Binding("escape", "leave_search", "Back to grid", show=False, id="timecards.leave_search"),
    ]

    explaining: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__()
        self.flt = WorkerFilter()
        self.day: date | None = None
        self.worker_id: str | None = None
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
        yield OtFooter()

    def on_mount(self) -> None:
        self.query_one("#search", Input).cursor_blink = self.ot_app.blink
        self.query_one("#grid").focus()
        self._start()

    def ledger_moved(self, stamp: Stamp) -> None:
        """Another process (or a form) changed the ledger: the choices, the list and the week, read again."""
        self._start()

    # --- reads (worker threads) ----------------------------------------------

    def _start(self) -> None:
        app = self.ot_app
        path, today, view = app.ledger_path, app.today(), app.config.period

        def read() -> tuple[date, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
            return opening_day(path, today, view), filter_choices(path)

        self.call_service(read, self._started, group="start")

    def _started(self, started: tuple[date, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]) -> None:
        day, choices = started
        self.day = self.day or day
        self.choices = choices
        self.load_workers(keep=self.worker_id)

    def load_workers(self, offset: int = 0, keep: str | None = None) -> None:
        """Read a page of workers for the current filter."""
        flt = replace(self.flt, week_of=self.day)
        path = self.ot_app.ledger_path
        self.call_service(
            lambda: list_workers(path, flt, offset, PAGE), lambda page: self._page(page, flt, keep), group="workers"
        )

    def load_week(self) -> None:
        """Read the current worker's week."""
        if self.worker_id is None or self.day is None:
            return
        path, request = self.ot_app.ledger_path, (self.worker_id, self.day)
        self.call_service(
            lambda: timecard_week(path, *request), lambda week: self.week_loaded(week, request), group="week"
        )

    # --- results (UI thread) -------------------------------------------------

    def _page(self, page: WorkerPage, flt: WorkerFilter, keep: str | None) -> None:
        if flt.text != self.flt.text or replace(flt, week_of=None) != replace(self.flt, week_of=None):
            return  # a stale filter
        workers = self.query_one(WorkerList)
        workers.show_page(page, keep=keep)
        total = page.total
        narrowed = _filter_text(self.flt)
        self.query_one("#filter-line", Static).update(
            f"{total} worker{'s' if total != 1 else ''}" + (f" · {esc(narrowed)}" if narrowed else "")
        )
        if page.offset == 0:
            current = workers.current
            if current is None:
                self.worker_id = None
                self.query_one("#week-title", Static).update("No worker matches.")
                self.query_one(TimecardGrid).clear()
                self.query_one("#totals", Static).update("")
            elif current.worker_id != self.worker_id or keep is not None:
                self.worker_id = current.worker_id
                self.load_week()

    def week_loaded(self, week: TimecardWeek, request: tuple[str, date]) -> None:
        """Show ``week`` when it is still the one wanted (``request``: worker id and day)."""
        if request != (self.worker_id, self.day):
            return  # the user moved on
        self.week = week
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

    @on(WorkerList.Chosen)
    def _chosen(self, message: WorkerList.Chosen) -> None:
        if message.worker.worker_id != self.worker_id:
            self.worker_id = message.worker.worker_id
            self.load_week()

    @on(WorkerList.NeedMore)
    def _more(self, message: WorkerList.NeedMore) -> None:
        self.load_workers(offset=message.offset)

    def _form_ready(self, start: FormStart) -> None:
        if self.app.screen is not self:
            return  # a form (or another dialog) is already open
        self.app.push_screen(ShiftFormScreen(start), self._form_closed)

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
        """Type words of a worker's id or name to narrow the list."""
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        """Back to the grid."""
        self.query_one(TimecardGrid).focus()

    def action_explain(self) -> None:
        """Show or hide which rule classified each hour of the selected shift."""
        self.explaining = not self.explaining

    def _form_day(self) -> date | None:
        """The day a new entry's form opens on: the selected day, kept inside the week shown."""
        if self.worker_id is None or self.day is None:
            return None
        if self.week is not None and not self.week.week_start <= self.day <= self.week.week_end:
            return self.week.week_start
        return self.day

    def action_add_shift(self) -> None:
        """Add a shift (punches or hours) to this worker's week."""
        day, worker_id = self._form_day(), self.worker_id
        if day is None or worker_id is None:
            return
        path = self.ot_app.ledger_path
        self.call_service(lambda: start_add(path, worker_id, day), self._form_ready, group="form")

    def action_add_earning(self) -> None:
        """Record an earning of this worker besides hours, dated the selected day."""
        day, worker_id = self._form_day(), self.worker_id
        if day is None or worker_id is None:
            return
        path = self.ot_app.ledger_path
        self.call_service(lambda: start_earning(path, worker_id, day), self._earning_ready, group="form")

    def _earning_ready(self, start: EarningStart) -> None:
        if self.app.screen is not self:
            return  # a form (or another dialog) is already open
        self.app.push_screen(EarningFormScreen(start), self._earning_closed)

    def _earning_closed(self, result: EarningResult | None) -> None:
        if result is None:
            return
        lines = [f"recorded earning {', '.join(result.earning_ids)}"]
        lines.extend(f"correction: {c}" for c in result.corrections)
        self.notify("\n".join(lines), title="Earning saved")
        self.load_week()

    def action_void_earning(self) -> None:
        """List this worker's earnings dated in the week shown, to void one."""
        if self.worker_id is None or self.week is None or self.app.screen is not self:
            return

        def closed(voided: int | None) -> None:
            if voided:
                self.load_week()

        self.app.push_screen(EarningsScreen(self.worker_id, self.week.week_start, self.week.week_end), closed)

    def action_excuse_day(self) -> None:
        """Excuse the selected day from reporting-time pay (Wage Order section 5(C), (D)), or take an
        excuse back."""
        day, worker_id = self._form_day(), self.worker_id
        if day is None or worker_id is None or self.app.screen is not self:
            return

        def closed(result: Excused | None) -> None:
            if result is not None:
                self.notify(result.describe(), title="Reporting time")
                self.load_week()

        self.app.push_screen(ExcuseScreen(worker_id, day), closed)

    def action_edit_shift(self) -> None:
        """Edit the selected shift (an approved one asks first)."""
        row = self.query_one(TimecardGrid).selected
        if row is None:
            self.notify("No shift selected: A adds one.", title="Edit shift", severity="warning")
            return
        path, shift_id = self.ot_app.ledger_path, row.shift_id
        self.call_service(lambda: start_edit(path, shift_id), self._form_ready, group="form")

    def action_refresh(self) -> None:
        """Read the ledger again."""
        self.load_workers(keep=self.worker_id)

    def action_filters(self) -> None:
        """Narrow the workers by location, manager, state or exceptions."""
        locations, managers, states = self.choices

        def done(flt: WorkerFilter | None) -> None:
            if flt is not None:
                self.flt = flt
                self.load_workers()

        self.app.push_screen(FilterScreen(self.flt, locations, managers, states), done)
