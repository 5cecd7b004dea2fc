"""The Approvals screen: what waits for the acting user in one pay period.

Step 1 lists, per worker and workweek, the shifts the user may approve (a
manager's workers, or everyone for an admin) with hours, OT, DT, gross pay and
exceptions; step 2 (admins only) the period's timecards. Approve the
highlighted shift, a worker's week, or everything selected (space), each after
a confirmation; unapprove with a reason. Voided approvals show their cause.

Every read and write runs in a worker thread (:meth:`OtScreen.call_service`); a
result for a period no longer shown, or older than the last write, is dropped.
The screen calls :mod:`ot.services.queue` to read and
:mod:`ot.services.approvals` to write, and shows what they return.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Header, Static

from ot.core.money import cents, hours2
from ot.services import approvals
from ot.services.queue import Queue, QueueWeek, TimecardRow, neighbour_day, queue_since
from ot.services.user_config import opening_day
from tui.screens.base import OtScreen, Stamp, period_bindings
from tui.text import esc
from tui.widgets.approval_dialogs import ConfirmScreen, ReasonScreen
from tui.widgets.approval_tables import DAYS, ShiftQueueTable, TimecardTable
from tui.widgets.footer import OtFooter

__all__ = ["ApprovalsScreen"]

#: [ and ] share one footer entry.
#: At most this many items are named in a confirmation; the rest are counted.
LISTED = 8


def _listing(lines: list[str]) -> str:
    shown = lines[:LISTED]
    if len(lines) > LISTED:
        shown.append(f"... and {len(lines) - LISTED} more")
    return "\n".join(shown)


def _not_ready(card: TimecardRow) -> str:
    """Why a timecard cannot be approved at step 2 yet, and where to go (step 1)."""
    if card.state == "blocked":
        n = card.exceptions
        return (
            f"{card.worker_id}'s timecard is not ready: {n} shift{'s' if n != 1 else ''} with an exception "
            "to fix first (on the Exceptions screen), then its shifts to approve (step 1: press 1)"
        )
    n = card.shifts - card.approved
    return (
        f"{card.worker_id}'s timecard is not ready: step 1 is pending for {n} shift{'s' if n != 1 else ''}; "
        "press 1 to approve them first"
    )


def _week_line(week: QueueWeek) -> str:
    gross = "--" if week.gross is None else str(cents(week.gross))
    return f"{week.worker_id} {week.name}, week of {week.week_start}: {hours2(week.hours)} h, gross {gross}"


class ApprovalsScreen(OtScreen):
    """Approvals: the step-1 shift queue and the step-2 timecards of a pay period."""

    CSS_PATH = "approvals.tcss"
    TITLE_TEXT = "Approvals"
    DESCRIPTION = "Your queue: step-1 shifts and step-2 timecards of a pay period; approve and unapprove"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "approve_one", "Approve", priority=True, tooltip="Approve", id="approvals.approve"),
        Binding("w", "approve_week", "Week", tooltip="Approve week", id="approvals.approve_week"),
        Binding("space", "select", "Select", tooltip="Select or unselect", id="approvals.select"),
        Binding(
            "A",
            "approve_selected",
            "Selected",
            key_display="A",
            tooltip="Approve selected",
            id="approvals.approve_selected",
        ),
        Binding("u", "unapprove", "Unapprove", tooltip="Unapprove", id="approvals.unapprove"),
        *period_bindings("approvals"),
        Binding("1", "step(1)", "Shifts (step 1)", show=False, tooltip="Shifts (step 1)", id="approvals.step1"),
        Binding("2", "step(2)", "Timecards (step 2)", show=False, tooltip="Timecards (step 2)", id="approvals.step2"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, tooltip="Refresh approvals", id="approvals.refresh"),
        Binding("j", "cursor(1)", "Down", show=False, tooltip="Next row", id="approvals.down"),
        Binding("k", "cursor(-1)", "Up", show=False, tooltip="Previous row", id="approvals.up"),
    ]

    step: reactive[int] = reactive(1)

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.generation = 0
        self.queue: Queue | None = None
        self.selected_shifts: set[str] = set()
        self.selected_cards: set[str] = set()
        #: A whole read (ctrl+r) asked for and not shown yet: the reads after it stay whole.
        self.whole_pending = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="approvals"):
            yield Static("Loading the approval queue...", id="queue-title")
            yield Static("", id="queue-refusal")
            with ContentSwitcher(initial="step1", id="steps"):
                yield ShiftQueueTable(id="step1")
                yield TimecardTable(id="step2")
            yield Static("", id="queue-status")
        yield OtFooter()

    def on_mount(self) -> None:
        self.query_one("#step1").focus()
        app = self.ot_app
        path, today, view = app.ledger_path, app.today(), app.config.period
        self.call_service(lambda: opening_day(path, today, view), self._started, group="approvals-start")

    def ledger_moved(self, stamp: Stamp) -> None:
        """Another process changed the ledger: read the queue again when it moved past what is shown."""
        if self.queue is None or stamp[0] != self.queue.head:
            self.refresh_queue()

    # --- reads (worker threads) ----------------------------------------------

    def _started(self, day: date) -> None:
        self.day = self.day or day
        self.load()

    def load(self, *, whole: bool = False) -> None:
        """Read the queue of the current period: after approvals (this screen's or another process's),
        only the workers they name (:func:`ot.services.queue.queue_since`); ``whole``: every worker."""
        if self.day is None:
            return
        app, request = self.ot_app, (self.day, self.generation)
        path, user = app.ledger_path, app.user
        self.whole_pending = self.whole_pending or whole  # a later read does not drop a whole one asked for
        shown = None if self.whole_pending else self.queue
        self.call_service(
            lambda: queue_since(path, user, request[0], shown),
            lambda queue: self.loaded(queue, request, whole=shown is None),
            group="approvals-read",
            failed=self._read_failed,
        )

    # --- writes (worker threads) ---------------------------------------------

    def _write(self, write: Callable[[Path, str, datetime], approvals.ApproveResult], verb: str) -> None:
        """Run one approval write (``write(ledger, actor, now)``) in a worker thread, then read the queue again."""
        app = self.ot_app
        path, user, now = app.ledger_path, app.user, app.now()
        self.call_service(
            lambda: write(path, user, now),
            lambda result: self._written(self._summary(result, verb)),
            group="approvals-write",
            exclusive=False,
            failed=lambda _text: self.refresh_queue(),
        )

    def _approve_shifts(self, shift_ids: tuple[str, ...]) -> None:
        self._write(
            lambda path, actor, now: approvals.approve_shifts(path, shift_ids=shift_ids, actor=actor, now=now),
            "approved",
        )

    def _approve_week(self, worker_id: str, week: date) -> None:
        self._write(
            lambda path, actor, now: approvals.approve_shifts(
                path, worker_id=worker_id, week=week, actor=actor, now=now
            ),
            "approved",
        )

    def _approve_cards(self, period_day: date, worker_ids: tuple[str, ...]) -> None:
        self._write(
            lambda path, actor, now: approvals.approve_timecards(
                path, period_day=period_day, worker_ids=worker_ids, actor=actor, now=now
            ),
            "approved",
        )

    def _unapprove(self, shift_id: str | None, worker_id: str | None, period_day: date, reason: str) -> None:
        if shift_id is not None:
            self._write(
                lambda path, actor, now: approvals.unapprove_shifts(
                    path, shift_ids=[shift_id], reason=reason, actor=actor, now=now
                ),
                "unapproved",
            )
        elif worker_id is not None:
            self._write(
                lambda path, actor, now: approvals.unapprove_timecards(
                    path, period_day=period_day, worker_ids=[worker_id], reason=reason, actor=actor, now=now
                ),
                "unapproved",
            )

    @staticmethod
    def _summary(result: approvals.ApproveResult, verb: str) -> str:
        lines = [f"{verb} {item}" for item in result.done[:LISTED]]
        if len(result.done) > LISTED:
            lines.append(f"... and {len(result.done) - LISTED} more")
        lines.extend(result.notes[:LISTED])
        lines.append(f"{len(result.done)} {verb}, {len(result.unchanged)} unchanged")
        return "\n".join(lines)

    # --- results (UI thread) -------------------------------------------------

    def loaded(self, queue: Queue, request: tuple[date, int], *, whole: bool = True) -> None:
        """Show ``queue`` when it is still the one wanted (``request``: period day and generation;
        ``whole``: read for every worker)."""
        if request != (self.day, self.generation):
            return  # the user moved on, or a write made it stale
        if whole:
            self.whole_pending = False
        self.queue = queue
        p = queue.period
        title = (
            f"[b]Pay period {p.start} to {p.end}[/b] (pay date {p.pay_date})  ·  {esc(queue.actor)} {esc(queue.role)}"
        )
        if queue.approve_by:  # the banner: the date timecards are due (earlier around holidays)
            title += f"\n[b]{esc(queue.approve_by)}[/b]"
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
                status.update(esc("Step 1: no shifts of your workers in this pay period ([ and ] change the period)."))
                return
            voided = sum(1 for w in queue.weeks for s in w.shifts if s.state == "voided")
            review = sum(w.exceptions for w in queue.weeks)
            waiting_weeks = sum(1 for w in queue.weeks if w.waiting)
            status.update(
                f"Step 1 · {queue.waiting_shifts} shifts wait in {waiting_weeks} worker-weeks"
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

    def _written(self, text: str) -> None:
        self.selected_shifts.clear()
        self.selected_cards.clear()
        self.notify(text, title="Approvals", timeout=6)
        self.refresh_queue()

    def _read_failed(self, _text: str) -> None:
        if self.queue is None:
            self.query_one("#queue-title", Static).update("The approval queue could not be read (see the message).")

    def refresh_queue(self, *, whole: bool = False) -> None:
        """Read the queue again (``whole``: every worker's rows); results of earlier reads are dropped."""
        self.generation += 1
        self.load(whole=whole)

    def watch_step(self, step: int) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = f"step{step}"
        self.query_one(f"#step{step}").focus()
        self._status()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``w`` (a worker's week) only in step 1, where weeks are."""
        if action == "approve_week":
            return self.step == 1
        return True

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
        """Read the ledger again (the whole queue)."""
        self.refresh_queue(whole=True)

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
            if card is None:
                return
            if card.state in ("approved", "paid"):  # approved already: never offer it again
                undo = " (u unapproves it)" if card.state == "approved" else ""
                self.notify(f"{card.worker_id}'s timecard is {card.state}: nothing to approve{undo}", title="Approvals")
                return
            if card.state in ("open", "blocked"):  # its shifts first: the service would refuse it
                self.notify(_not_ready(card), title="Approvals", severity="warning")
                return
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
            f"{t.worker_id} {t.name}: {t.approved}/{t.shifts} shifts approved, {hours2(t.hours)} h, gross {cents(t.gross)}"
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
        blink = self.ot_app.blink
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
