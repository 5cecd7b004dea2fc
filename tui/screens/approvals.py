"""The Approvals screen: what waits for the acting user in one pay period.

Step 1 lists, per worker and workweek, the shifts the user may approve (a
manager's workers, or everyone for an admin) with hours, OT, DT, gross pay and
exceptions; step 2 (admins only) the period's timecards. Approve the
highlighted shift, a worker's week, or everything selected (space), each after
a confirmation; unapprove with a reason. Voided approvals show their cause.

Every read and write runs in a worker thread and posts its result back; a
result for a period no longer shown, or older than the last write, is dropped.
The screen calls :mod:`ot.services.queue` to read and
:mod:`ot.services.approvals` to write, and shows what they return.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header, Static
from textual.worker import get_current_worker

from ot.errors import OtError
from ot.money import cents, hours2
from ot.services import approvals
from ot.services.browse import latest_day, ledger_head
from ot.services.queue import Queue, QueueWeek, approval_queue, neighbour_day
from tui.text import esc
from tui.widgets.approval_dialogs import ConfirmScreen, ReasonScreen
from tui.widgets.approval_tables import DAYS, ShiftQueueTable, TimecardTable

__all__ = ["ApprovalsScreen"]

#: [ and ] share one footer entry.
PERIODS = Binding.Group("Period", compact=True)
#: At most this many items are named in a confirmation; the rest are counted.
LISTED = 8


def _listing(lines: list[str]) -> str:
    shown = lines[:LISTED]
    if len(lines) > LISTED:
        shown.append(f"... and {len(lines) - LISTED} more")
    return "\n".join(shown)


def _week_line(week: QueueWeek) -> str:
    gross = "--" if week.gross is None else str(cents(week.gross))
    return f"{week.worker_id} {week.name}, week of {week.week_start}: {hours2(week.hours)} h, gross {gross}"


class ApprovalsScreen(Screen[None]):
    """Approvals: the step-1 shift queue and the step-2 timecards of a pay period."""

    CSS_PATH = "approvals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "approve_one", "Approve", priority=True),
        Binding("w", "approve_week", "Week"),
        Binding("space", "select", "Select"),
        Binding("A", "approve_selected", "Selected", key_display="A"),
        Binding("u", "unapprove", "Unapprove"),
        Binding("left_square_bracket", "period(-1)", "Prev period", key_display="[", group=PERIODS),
        Binding("right_square_bracket", "period(1)", "Next period", key_display="]", group=PERIODS),
        Binding("1", "step(1)", "Shifts (step 1)", show=False),
        Binding("2", "step(2)", "Timecards (step 2)", show=False),
        Binding("ctrl+r", "refresh", "Refresh", show=False),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]
    COMMANDS_HELP = (
        ("Approve", "Approve the highlighted shift, worker-week or timecard", "approve_one"),
        ("Approve week", "Approve every waiting shift of the highlighted worker's week", "approve_week"),
        ("Select", "Select or unselect the highlighted shift, week or timecard", "select"),
        ("Approve selected", "Approve every selected shift or timecard", "approve_selected"),
        ("Unapprove", "Void the approval of the highlighted shift or timecard, with a reason", "unapprove"),
        ("Previous pay period", "Show the queue of the pay period before", "period(-1)"),
        ("Next pay period", "Show the queue of the pay period after", "period(1)"),
        ("Shifts (step 1)", "Show the shifts waiting for approval", "step(1)"),
        ("Timecards (step 2)", "Show the timecards of the pay period (admins)", "step(2)"),
        ("Refresh approvals", "Read the ledger again", "refresh"),
    )

    step: reactive[int] = reactive(1)

    @dataclass
    class Loaded(Message):
        """The queue, read for (period day, generation)."""

        queue: Queue
        request: tuple[date, int]

    @dataclass
    class Written(Message):
        """A write finished; ``text`` says what it did."""

        text: str

    @dataclass
    class Failed(Message):
        """A read or write failed; ``text`` says why."""

        text: str

    @dataclass
    class HeadMoved(Message):
        """The ledger's head is now ``seq``."""

        seq: int

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.generation = 0
        self.queue: Queue | None = None
        self.seen_head: int | None = None
        self.selected_shifts: set[str] = set()
        self.selected_cards: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="approvals"):
            yield Static("Loading the approval queue...", id="queue-title")
            yield Static("", id="queue-refusal")
            with ContentSwitcher(initial="step1", id="steps"):
                yield ShiftQueueTable(id="step1")
                yield TimecardTable(id="step2")
            yield Static("", id="queue-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#step1").focus()
        self._start()
        self.set_interval(self.app.poll_seconds, self.check_ledger)  # type: ignore[attr-defined]

    # --- reads (worker threads) ----------------------------------------------

    @work(thread=True, exclusive=True, group="approvals-start")
    def _start(self) -> None:
        try:
            day = latest_day(self.app.ledger_path, self.app.today())  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.app.call_from_thread(self._started, day)

    def _started(self, day: date) -> None:
        self.day = self.day or day
        self.load()

    def load(self) -> None:
        """Read the queue of the current period."""
        if self.day is not None:
            self._read(self.day, self.generation)

    @work(thread=True, exclusive=True, group="approvals-read")
    def _read(self, day: date, generation: int) -> None:
        app = self.app
        try:
            queue = approval_queue(app.ledger_path, app.user, day)  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(queue, (day, generation)))

    def check_ledger(self) -> None:
        """Look (in a worker) whether another process changed the ledger."""
        self._read_head()

    @work(thread=True, exclusive=True, group="approvals-poll")
    def _read_head(self) -> None:
        try:
            seq = ledger_head(self.app.ledger_path)  # type: ignore[attr-defined]
        except OtError:
            return  # busy or being replaced: look again at the next tick
        self.post_message(self.HeadMoved(seq))

    # --- writes (worker threads) ---------------------------------------------

    @work(thread=True, exclusive=False, group="approvals-write")
    def _approve_shifts(self, shift_ids: tuple[str, ...]) -> None:
        app = self.app
        try:
            result = approvals.approve_shifts(
                app.ledger_path,  # type: ignore[attr-defined]
                shift_ids=shift_ids,
                actor=app.user,  # type: ignore[attr-defined]
                now=app.now(),  # type: ignore[attr-defined]
            )
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.post_message(self.Written(self._summary(result, "approved")))

    @work(thread=True, exclusive=False, group="approvals-write")
    def _approve_week(self, worker_id: str, week: date) -> None:
        app = self.app
        try:
            result = approvals.approve_shifts(
                app.ledger_path,  # type: ignore[attr-defined]
                worker_id=worker_id,
                week=week,
                actor=app.user,  # type: ignore[attr-defined]
                now=app.now(),  # type: ignore[attr-defined]
            )
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.post_message(self.Written(self._summary(result, "approved")))

    @work(thread=True, exclusive=False, group="approvals-write")
    def _approve_cards(self, period_day: date, worker_ids: tuple[str, ...]) -> None:
        app = self.app
        try:
            result = approvals.approve_timecards(
                app.ledger_path,  # type: ignore[attr-defined]
                period_day=period_day,
                worker_ids=worker_ids,
                actor=app.user,  # type: ignore[attr-defined]
                now=app.now(),  # type: ignore[attr-defined]
            )
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.post_message(self.Written(self._summary(result, "approved")))

    @work(thread=True, exclusive=False, group="approvals-write")
    def _unapprove(self, shift_id: str | None, worker_id: str | None, period_day: date, reason: str) -> None:
        app = self.app
        try:
            if shift_id is not None:
                result = approvals.unapprove_shifts(
                    app.ledger_path,  # type: ignore[attr-defined]
                    shift_ids=[shift_id],
                    reason=reason,
                    actor=app.user,  # type: ignore[attr-defined]
                    now=app.now(),  # type: ignore[attr-defined]
                )
            else:
                assert worker_id is not None
                result = approvals.unapprove_timecards(
                    app.ledger_path,  # type: ignore[attr-defined]
                    period_day=period_day,
                    worker_ids=[worker_id],
                    reason=reason,
                    actor=app.user,  # type: ignore[attr-defined]
                    now=app.now(),  # type: ignore[attr-defined]
                )
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.post_message(self.Written(self._summary(result, "unapproved")))

    @staticmethod
    def _summary(result: approvals.ApproveResult, verb: str) -> str:
        lines = [f"{verb} {item}" for item in result.done[:LISTED]]
        if len(result.done) > LISTED:
            lines.append(f"... and {len(result.done) - LISTED} more")
        lines.extend(result.notes[:LISTED])
        lines.append(f"{len(result.done)} {verb}, {len(result.unchanged)} unchanged")
        return "\n".join(lines)

    # --- results (UI thread) -------------------------------------------------

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.request != (self.day, self.generation):
            return  # the user moved on, or a write made it stale
        queue = self.queue = message.queue
        p = queue.period
        title = (
            f"[b]Pay period {p.start} to {p.end}[/b] (pay date {p.pay_date})  ·  {esc(queue.actor)} {esc(queue.role)}"
        )
        refusal = self.query_one("#queue-refusal", Static)
        if queue.refusal is not None:
            self.query_one("#queue-title", Static).update(title)
            refusal.update(esc(queue.refusal))
            refusal.display = True
            self.query_one("#steps").display = False
            self.query_one("#queue-status").display = False
            return
        refusal.display = False
        self.query_one("#steps").display = True
        self.query_one("#queue-status").display = True
        approvable_shifts = {s.shift_id for w in queue.weeks for s in w.shifts if s.approvable}
        approvable_cards = {t.worker_id for t in queue.timecards if t.approvable}
        self.selected_shifts &= approvable_shifts
        self.selected_cards &= approvable_cards
        self.query_one("#queue-title", Static).update(title)
        self._show()

    def _show(self) -> None:
        queue = self.queue
        if queue is None or queue.refusal is not None:
            return
        self.query_one(ShiftQueueTable).show(queue.weeks, frozenset(self.selected_shifts))
        self.query_one(TimecardTable).show(queue.timecards, frozenset(self.selected_cards))
        self._status()

    def _status(self) -> None:
        queue = self.queue
        if queue is None or queue.refusal is not None:
            return
        status = self.query_one("#queue-status", Static)
        if self.step == 1:
            if not queue.weeks:
                status.update("Step 1: no shifts of your workers in this pay period ([ and ] change the period).")
                return
            voided = sum(1 for w in queue.weeks for s in w.shifts if s.state == "voided")
            review = sum(w.exceptions for w in queue.weeks)
            status.update(
                f"Step 1 · {queue.waiting_shifts} shifts wait in {len(queue.weeks)} worker-weeks"
                + (f" · [$error]{voided} voided[/]" if voided else "")
                + (f" · {review} to review" if review else "")
                + (f" · {len(self.selected_shifts)} selected" if self.selected_shifts else "")
                + ("  (2: timecards)" if 2 in queue.steps else "")
            )
        elif 2 not in queue.steps:
            status.update(
                f"Step 2 (timecards) is approved by an admin (payroll); {esc(queue.actor)} approves shifts (1: shifts)."
            )
        elif not queue.timecards:
            status.update("Step 2: no timecards in this pay period.")
        else:
            status.update(
                f"Step 2 · {queue.waiting_timecards} of {len(queue.timecards)} timecards ready to approve"
                + (f" · {len(self.selected_cards)} selected" if self.selected_cards else "")
                + "  (1: shifts)"
            )

    @on(Written)
    def _written(self, message: Written) -> None:
        self.selected_shifts.clear()
        self.selected_cards.clear()
        self.notify(message.text, title="Approvals", timeout=6)
        self.refresh_queue()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, title="ot", severity="error", timeout=10)
        if self.queue is None:
            self.query_one("#queue-title", Static).update("The approval queue could not be read (see the message).")

    @on(HeadMoved)
    def _head(self, message: HeadMoved) -> None:
        known = self.queue.head if self.queue is not None else self.seen_head
        self.seen_head = message.seq
        if message.seq != known:
            self.refresh_queue()

    def refresh_queue(self) -> None:
        """Read the queue again; results of earlier reads are dropped."""
        self.generation += 1
        self.load()

    def watch_step(self, step: int) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = f"step{step}"
        self.query_one(f"#step{step}").focus()
        self._status()

    # --- actions -------------------------------------------------------------

    def _ready(self) -> Queue | None:
        """The queue, or None (with a notification) when nothing can be approved here."""
        queue = self.queue
        if queue is None:
            return None
        if queue.refusal is not None:
            self.notify(queue.refusal, title="Approvals", severity="warning", timeout=8)
            return None
        if self.step == 2 and 2 not in queue.steps:
            self.notify("only an admin (payroll) approves timecards", title="Approvals", severity="warning", timeout=8)
            return None
        return queue

    def action_cursor(self, step: int) -> None:
        """Move the cursor."""
        table = self.query_one(f"#step{self.step}", ShiftQueueTable if self.step == 1 else TimecardTable)
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_step(self, step: int) -> None:
        """Show step 1 (shifts) or step 2 (timecards)."""
        self.step = step

    def action_period(self, step: int) -> None:
        """Show the pay period before (-1) or after (1)."""
        if self.queue is None:
            return
        self.day = neighbour_day(self.queue.period, step)
        self.selected_shifts.clear()
        self.selected_cards.clear()
        self.query_one("#queue-title", Static).update(f"Loading the pay period holding {self.day}...")
        self.refresh_queue()

    def action_refresh(self) -> None:
        """Read the ledger again."""
        self.refresh_queue()

    def action_select(self) -> None:
        """Select or unselect the highlighted shift (a week row: all its waiting shifts) or timecard."""
        if self._ready() is None:
            return
        if self.step == 1:
            row = self.query_one(ShiftQueueTable).current
            if row is None:
                return
            shifts = [row.shift] if row.shift is not None else list(row.week.shifts)
            ids = {s.shift_id for s in shifts if s.approvable}
            if not ids:
                self.notify("nothing to approve there", title="Approvals", severity="warning")
                return
            if ids <= self.selected_shifts:
                self.selected_shifts -= ids
            else:
                self.selected_shifts |= ids
        else:
            card = self.query_one(TimecardTable).current
            if card is None:
                return
            if not card.approvable:
                self.notify(f"{card.worker_id}'s timecard is {card.state}: nothing to approve", title="Approvals")
                return
            self.selected_cards ^= {card.worker_id}
        self._show()
        self.query_one(f"#step{self.step}", ShiftQueueTable if self.step == 1 else TimecardTable).action_cursor_down()

    def action_approve_one(self) -> None:
        """Approve the highlighted shift (on a week row: the week) or timecard, after a confirmation."""
        queue = self._ready()
        if queue is None:
            return
        if self.step == 2:
            card = self.query_one(TimecardTable).current
            if card is not None:
                self._confirm_cards(queue, [card.worker_id])
            return
        row = self.query_one(ShiftQueueTable).current
        if row is None:
            return
        if row.shift is None:
            self.action_approve_week()
            return
        s = row.shift
        if not s.approvable:
            self.notify(f"{s.shift_id} is {s.state}: {s.note or 'nothing to approve'}", title="Approvals")
            return
        when = f"{s.time_in}-{s.time_out}" if s.time_in else s.pay_type
        hours = "--" if s.hours is None else hours2(s.hours)
        body = f"{s.shift_id} {row.week.worker_id} {row.week.name}\n{DAYS[s.day.weekday()]} {s.day} {when}, {hours} h"
        if s.exceptions:
            body += f"\nto review: {', '.join(s.exceptions)}"
        self._confirm(ConfirmScreen("Approve this shift?", body), lambda: self._approve_shifts((s.shift_id,)))

    def action_approve_week(self) -> None:
        """Approve every waiting shift of the highlighted worker's week, after a confirmation."""
        queue = self._ready()
        if queue is None or self.step != 1:
            if queue is not None:
                self.notify("weeks are approved in step 1 (key 1)", title="Approvals")
            return
        row = self.query_one(ShiftQueueTable).current
        if row is None:
            return
        week = row.week
        if not week.waiting:
            self.notify(f"nothing waits in {week.worker_id}'s week of {week.week_start}", title="Approvals")
            return
        body = _week_line(week) + f"\n{week.waiting} shifts to approve"
        if week.exceptions:
            body += f", {week.exceptions} with exceptions to review"
        self._confirm(
            ConfirmScreen(f"Approve {week.worker_id}'s week?", body),
            lambda: self._approve_week(week.worker_id, week.week_start),
        )

    def action_approve_selected(self) -> None:
        """Approve every selected shift (step 1) or timecard (step 2), after a confirmation."""
        queue = self._ready()
        if queue is None:
            return
        if self.step == 2:
            if not self.selected_cards:
                self.notify("select timecards with space first", title="Approvals", severity="warning")
                return
            self._confirm_cards(queue, sorted(self.selected_cards))
            return
        if not self.selected_shifts:
            self.notify("select shifts with space first", title="Approvals", severity="warning")
            return
        ids = tuple(s.shift_id for w in queue.weeks for s in w.shifts if s.shift_id in self.selected_shifts)
        lines = [
            f"{s.shift_id} {w.worker_id} {DAYS[s.day.weekday()]} {s.day} {hours2(s.hours) if s.hours else '--'} h"
            for w in queue.weeks
            for s in w.shifts
            if s.shift_id in self.selected_shifts
        ]
        self._confirm(
            ConfirmScreen(f"Approve {len(ids)} selected shifts?", _listing(lines)), lambda: self._approve_shifts(ids)
        )

    def _confirm_cards(self, queue: Queue, worker_ids: list[str]) -> None:
        rows = [t for t in queue.timecards if t.worker_id in worker_ids]
        lines = [
            f"{t.worker_id} {t.name}: {t.approved}/{t.shifts} shifts approved, {hours2(t.hours)} h"
            + (f", {hours2(t.leave_hours)} h leave" if t.leave_hours else "")
            + ("" if t.approvable else f" ({t.state})")
            for t in rows
        ]
        period = queue.period
        title = f"Approve {len(rows)} timecard{'s' if len(rows) != 1 else ''} of {period.start} to {period.end}?"
        ids = tuple(worker_ids)
        self._confirm(ConfirmScreen(title, _listing(lines)), lambda: self._approve_cards(period.start, ids))

    def _confirm(self, dialog: ConfirmScreen, then: Callable[[], object]) -> None:
        def done(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(dialog, done)

    def action_unapprove(self) -> None:
        """Void the approval of the highlighted shift or timecard, with a reason."""
        queue = self._ready()
        if queue is None:
            return
        blink: bool = self.app.blink  # type: ignore[attr-defined]
        if self.step == 2:
            card = self.query_one(TimecardTable).current
            if card is None:
                return
            if card.state not in ("approved", "changed"):
                self.notify(f"{card.worker_id}'s timecard is {card.state}: nothing to unapprove", title="Approvals")
                return
            wid, start = card.worker_id, queue.period.start
            title = f"Unapprove {wid} {card.name}'s timecard of {queue.period.start} to {queue.period.end}"

            def void_card(reason: str | None) -> None:
                if reason:
                    self._unapprove(None, wid, start, reason)

            self.app.push_screen(ReasonScreen(title, blink=blink), void_card)
            return
        row = self.query_one(ShiftQueueTable).current
        if row is None or row.shift is None:
            self.notify("put the cursor on an approved shift to unapprove it", title="Approvals")
            return
        s = row.shift
        if s.state != "approved":
            self.notify(f"{s.shift_id} is {s.state}: nothing to unapprove", title="Approvals")
            return
        sid = s.shift_id
        title = f"Unapprove {sid} ({row.week.worker_id} {DAYS[s.day.weekday()]} {s.day})"

        def void_shift(reason: str | None) -> None:
            if reason:
                self._unapprove(sid, None, queue.period.start, reason)

        self.app.push_screen(ReasonScreen(title, blink=blink), void_shift)
