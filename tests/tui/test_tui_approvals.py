"""The Approvals screen and its service (ot.services.queue): the queue of what waits for
the acting user, approvals of a shift, a worker's week, a selection and timecards (each
confirmed first), unapprovals with a reason, voided approvals shown with their cause,
and a worker refused with a message. Every flow is checked in the ledger afterwards."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from tests_support import count_price_calls
from textual.pilot import Pilot
from textual.widgets import Input, Static
from tui_helpers import NOW, palette, run_command, screenshot, settle

from ledger.events import Event
from ledger.store import Ledger
from ot.core.errors import OtError
from ot.core.periods import PayPeriod
from ot.services.approvals import approve_shifts, approve_timecards, unapprove_timecards
from ot.services.entries import ShiftInput, add_shift, edit_shift
from ot.services.imports import load_demo
from ot.services.payrun import run_payroll
from ot.services.queue import Queue, TimecardRow, approval_queue, neighbour_day
from tui.app import OtApp
from tui.screens.approvals import ApprovalsScreen
from tui.widgets.approval_dialogs import ConfirmScreen, ReasonScreen
from tui.widgets.approval_tables import ShiftQueueTable, TimecardTable

pytestmark = pytest.mark.anyio

#: The frozen clock's pay period in the demo company (biweekly, Sunday to Saturday).
PERIOD = (date(2026, 10, 25), date(2026, 11, 7))
WEEK1 = date(2026, 10, 25)


def _app(path: Path, user: str) -> OtApp:
    return OtApp(path, user, NOW, poll_seconds=3600, blink=False)


def _events(path: Path, kind: str) -> list[Event]:
    with Ledger.open(path, create=False) as ledger:
        return list(ledger.events(kind=kind))


async def _open(app: OtApp, pilot: Pilot[None]) -> ApprovalsScreen:
    await settle(app, pilot)
    await pilot.press("a")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ApprovalsScreen), f"on {type(screen).__name__}, not the approvals"
    return screen


def _text(screen: ApprovalsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _cursor_to(pilot: Pilot[None], table: ShiftQueueTable, shift_id: str) -> None:
    """Move the cursor with j (down) to the row of ``shift_id``."""
    for _ in range(len(table.rows_shown)):
        row = table.current
        if row is not None and row.shift is not None and row.shift.shift_id == shift_id:
            return
        await pilot.press("j")
    raise AssertionError(f"{shift_id} not in the table")


# --- the service, without the UI ------------------------------------------------------


def test_a_manager_sees_their_workers_weeks_with_totals(demo_ledger: Path) -> None:
    """M1 manages W01-W08: the queue holds their worker-weeks of the period, each shift
    waiting, with hours, OT, DT and gross; no timecards (step 2 is an admin's)."""
    q = approval_queue(demo_ledger, "M1", date(2026, 11, 5))
    assert (q.period.start, q.period.end) == PERIOD
    assert q.refusal is None
    assert q.steps == (1,)
    assert {w.worker_id for w in q.weeks} == {f"W0{i}" for i in range(1, 9)}
    assert {w.week_start for w in q.weeks} == {date(2026, 10, 25), date(2026, 11, 1)}
    assert q.timecards == ()
    week = next(w for w in q.weeks if w.worker_id == "W01" and w.week_start == WEEK1)
    assert week.waiting == len(week.shifts) > 0
    assert all(s.state == "waiting" and PERIOD[0] <= s.day <= PERIOD[1] for s in week.shifts)
    assert week.hours == sum(s.hours for s in week.shifts if s.hours is not None)
    assert week.gross is not None
    assert week.gross > 0
    assert q.waiting_shifts == sum(w.waiting for w in q.weeks)


def test_an_admin_sees_every_other_worker_and_the_timecards(demo_paid_ledger: Path) -> None:
    """A1 (admin) approves everyone's shifts but their own, and sees every timecard of the period."""
    q = approval_queue(demo_paid_ledger, "A1", date(2026, 11, 5))
    assert q.steps == (1, 2)
    workers = {w.worker_id for w in q.weeks}
    assert "A1" not in workers
    assert {"M1", "W01", "W32"} <= workers
    assert {t.worker_id for t in q.timecards} == workers
    assert all(t.state in ("open", "blocked") for t in q.timecards)
    # Night shifts from Saturday 2026-10-24 into Sunday, approved with the paid first period: their
    # Sunday hours are this period's, so they are on its timecards (approved already), not stranded.
    assert {t.worker_id: t.approved for t in q.timecards if t.approved} == dict.fromkeys(
        ("W04", "W11", "W16", "W23", "W30"), 1
    )
    assert {t.worker_id for t in q.timecards if t.state == "blocked"} == {"W06", "W13"}  # missing out-punches


@pytest.mark.parametrize(
    ("user", "words"), [("W01", "W01 (Ines Patel) is a worker"), ("nobody", "'nobody' is not in the roster")]
)
def test_a_worker_or_stranger_gets_a_refusal_not_an_empty_list(demo_ledger: Path, user: str, words: str) -> None:
    """Someone with no approval rights is told so, and who may approve instead."""
    q = approval_queue(demo_ledger, user, date(2026, 11, 5))
    assert q.refusal is not None
    assert words in q.refusal
    assert "manager or an admin" in q.refusal
    assert q.steps == ()
    assert q.weeks == ()
    assert q.timecards == ()


def test_voided_approvals_show_their_cause(demo_ledger: Path) -> None:
    """An approved shift edited afterwards is back in the queue as voided, with the edit's
    reason; its week waits again."""
    approve_shifts(demo_ledger, worker_id="W01", week=WEEK1, actor="M1", now=NOW)
    q = approval_queue(demo_ledger, "M1", WEEK1)
    week = next(w for w in q.weeks if w.worker_id == "W01" and w.week_start == WEEK1)
    assert week.waiting == 0
    assert {s.state for s in week.shifts} == {"approved"}
    assert week.shifts[0].note == "by M1 2026-11-05"
    first = week.shifts[0]
    edit_shift(demo_ledger, first.shift_id, given=ShiftInput(end="17:00"), reason="left at five", actor="M1", now=NOW)
    q = approval_queue(demo_ledger, "M1", WEEK1)
    week = next(w for w in q.weeks if w.worker_id == "W01" and w.week_start == WEEK1)
    edited = next(s for s in week.shifts if s.shift_id == first.shift_id)
    assert (edited.state, edited.note) == ("voided", "voided (edited: left at five)")
    assert edited.time_out == "17:00"
    assert edited.approvable
    assert week.waiting == 1


def test_exceptions_and_leave_are_shown_but_not_approvable(demo_paid_ledger: Path) -> None:
    """A shift with no out-punch is listed with its exception and cannot be approved until
    edited; PTO hours wait for the timecard (step 2) and count as its leave hours."""
    add_shift(
        demo_paid_ledger,
        worker_id="W01",
        given=ShiftInput(day="2026-11-07", hours="8", pay_type="PTO"),
        reason="vacation",
        actor="M1",
        now=NOW,
    )
    q = approval_queue(demo_paid_ledger, "A1", date(2026, 11, 5))
    w06 = next(w for w in q.weeks if w.worker_id == "W06" and w.week_start == date(2026, 11, 1))
    open_shift = next(s for s in w06.shifts if s.exceptions)
    assert (open_shift.exceptions, open_shift.state, open_shift.hours) == (("missing_out",), "no end", None)
    assert not open_shift.approvable
    assert w06.exceptions == 1
    assert w06.waiting == len(w06.shifts) - 1
    w01 = next(w for w in q.weeks if w.worker_id == "W01" and w.week_start == date(2026, 11, 1))
    pto = next(s for s in w01.shifts if s.pay_type == "PTO")
    assert (pto.state, pto.hours, pto.approvable) == ("leave", Decimal(8), False)
    # The week's hours are its shifts' exact time rounded once, as the pay counts them (39.88 REG + 0.05 OT):
    # each line rounded on its own, the lines may add up to a hundredth or two more or less.
    lines = sum(s.hours for s in w01.shifts if s.hours is not None and s.pay_type == "REGULAR")
    assert w01.hours == Decimal("39.93")
    assert abs(w01.hours - lines) <= Decimal("0.005") * len(w01.shifts)
    card = next(t for t in q.timecards if t.worker_id == "W01")
    assert card.leave_hours == Decimal(8)
    assert card.shifts == 10


def test_a_timecard_through_its_states(demo_paid_ledger: Path) -> None:
    """A timecard is open while shifts wait, ready once every shift is approved, approved
    (by whom), voided with the cause and reason of an unapproval, and paid after a pay run,
    when its shifts show paid too."""
    period_day = date(2026, 11, 5)

    def card() -> TimecardRow:
        return next(t for t in approval_queue(demo_paid_ledger, "A1", period_day).timecards if t.worker_id == "W01")

    assert (card().state, card().note) == ("open", "10 shifts wait for step 1")
    for week in (WEEK1, date(2026, 11, 1)):
        approve_shifts(demo_paid_ledger, worker_id="W01", week=week, actor="M1", now=NOW)
    assert (card().state, card().approved, card().approvable) == ("ready", 10, True)
    approve_timecards(demo_paid_ledger, period_day=period_day, worker_ids=["W01"], actor="A1", now=NOW)
    assert (card().state, card().note, card().approvable) == ("approved", "by A1 2026-11-05", False)
    unapprove_timecards(
        demo_paid_ledger, period_day=period_day, worker_ids=["W01"], reason="hours in dispute", actor="A1", now=NOW
    )
    assert (card().state, card().note) == ("voided", "voided (unapproved: hours in dispute)")
    approve_timecards(demo_paid_ledger, period_day=period_day, worker_ids=["W01"], actor="A1", now=NOW)
    after = datetime(2026, 11, 9, 12, 0, tzinfo=UTC)  # a pay run waits for the period's last day to be over
    run_payroll(demo_paid_ledger, period_day=period_day, partial=True, actor="A1", now=after)
    assert card().state == "paid"
    q = approval_queue(demo_paid_ledger, "M1", period_day)
    assert {s.state for w in q.weeks if w.worker_id == "W01" for s in w.shifts} == {"paid"}


def test_neighbour_periods() -> None:
    """[ and ] move by whole pay periods: the day before the start, the day after the end."""
    period = PayPeriod(PERIOD[0], PERIOD[1], date(2026, 11, 12), 1, "biweekly")
    q = Queue("M1", "manager", period, (), (), None, 0)
    assert neighbour_day(q.period, -1) == date(2026, 10, 24)
    assert neighbour_day(q.period, 1) == date(2026, 11, 8)


def test_a_missing_ledger_is_a_clear_error(tmp_path: Path) -> None:
    """The queue of a ledger that does not exist is an OtError, not a crash (the screen shows it)."""
    with pytest.raises(OtError):
        approval_queue(tmp_path / "none.db", "M1", date(2026, 11, 5))


# --- pilot flows ------------------------------------------------------------------------


async def test_manager_approves_a_workers_week(demo_ledger: Path) -> None:
    """As W01's manager M1: w on W01's first week asks first; n writes nothing; w then y
    records one approval event per shift of that week, by M1, and the week shows done."""
    expected = {
        s.shift_id
        for w in approval_queue(demo_ledger, "M1", WEEK1).weeks
        if w.worker_id == "W01" and w.week_start == WEEK1
        for s in w.shifts
    }
    app = _app(demo_ledger, "M1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one(ShiftQueueTable)
        row = table.current
        assert row is not None
        assert row.shift is None
        assert row.week.worker_id == "W01"
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert _events(demo_ledger, "approval.shift_approved") == []
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen
        events = _events(demo_ledger, "approval.shift_approved")
        assert {e.payload["shift_id"] for e in events} == expected
        assert {e.actor for e in events} == {"M1"}
        assert screen.queue is not None
        week = next(w for w in screen.queue.weeks if w.worker_id == "W01" and w.week_start == WEEK1)
        assert week.waiting == 0
        assert "waiting" not in str(table.get_row_at(0)[7])


async def test_approve_one_shift_and_a_selection(demo_ledger: Path) -> None:
    """enter on a shift approves that one (after y); space selects shifts, A approves the selection."""
    app = _app(demo_ledger, "M1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one(ShiftQueueTable)
        assert screen.queue is not None
        w1 = screen.queue.weeks[0]
        one, two, three = (s.shift_id for s in w1.shifts[:3])
        await _cursor_to(pilot, table, one)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert [e.payload["shift_id"] for e in _events(demo_ledger, "approval.shift_approved")] == [one]
        await _cursor_to(pilot, table, two)
        await pilot.press("space")  # selects and moves down to the next shift
        await pilot.press("space")
        assert screen.selected_shifts == {two, three}
        assert "2 selected" in _text(screen, "#queue-status")
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Approve 2 selected shifts?" in str(app.screen.query_one("#confirm-title", Static).render())
        await pilot.press("y")
        await settle(app, pilot)
        approved = [e.payload["shift_id"] for e in _events(demo_ledger, "approval.shift_approved")]
        assert approved == [one, two, three]
        assert screen.selected_shifts == set()


async def test_admin_approves_step2_timecards(demo_paid_ledger: Path) -> None:
    """As admin A1, with W01's shifts of the period approved (step 1): 2 shows the
    timecards, W01 is ready; enter then y records its timecard approval. A timecard with
    unapproved shifts is refused up front (step 1 is pending) and nothing is written; u
    with a reason voids W01's timecard again."""
    for week in (WEEK1, date(2026, 11, 1)):
        approve_shifts(demo_paid_ledger, worker_id="W01", week=week, actor="M1", now=NOW)
    app = _app(demo_paid_ledger, "A1")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        cards = screen.query_one(TimecardTable)
        assert cards.has_focus
        ids = [r.worker_id for r in cards.rows_shown]
        for _ in range(ids.index("W01")):
            await pilot.press("j")
        assert cards.current is not None
        assert cards.current.worker_id == "W01"
        assert cards.current.state == "ready"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        approved = [
            e
            for e in _events(demo_paid_ledger, "approval.timecard_approved")
            if e.payload["period_start"] != "2026-10-11"
        ]
        assert [(e.payload["worker_id"], e.payload["period_start"], e.actor) for e in approved] == [
            ("W01", "2026-10-25", "A1")
        ]
        assert cards.current is not None
        assert cards.current.state == "approved"
        # W02's shifts are not approved: step 2 is refused up front (no confirmation), pointing at step 1.
        await pilot.press("j")
        assert cards.current is not None
        assert cards.current.worker_id == "W02"
        await pilot.press("enter", "y")
        await settle(app, pilot)
        assert len(_events(demo_paid_ledger, "approval.timecard_approved")) == 1 + 39  # 39 of the paid first period
        messages = [n.message for n in app._notifications]
        assert any("W02's timecard is not ready: step 1 is pending" in m for m in messages), messages
        # Unapprove W01's timecard, with a reason.
        await pilot.press("k", "u")
        await pilot.pause()
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press(*"hours in dispute", "enter")
        await settle(app, pilot)
        voids = _events(demo_paid_ledger, "approval.timecard_voided")
        assert [(v.payload["worker_id"], v.payload["cause"], v.payload["reason"]) for v in voids] == [
            ("W01", "unapproved", "hours in dispute")
        ]
        assert cards.current is not None
        assert (cards.current.state, cards.current.note) == ("voided", "voided (unapproved: hours in dispute)")


async def test_unapprove_a_shift_with_a_reason(demo_paid_ledger: Path) -> None:
    """u on an approved shift asks why; escape cancels and an empty reason is refused in
    the dialog (nothing voided); with a reason the void is recorded (cause unapproved,
    the reason, by M1) and the shift shows voided with it."""
    approve_shifts(demo_paid_ledger, worker_id="W01", week=WEEK1, actor="M1", now=NOW)
    app = _app(demo_paid_ledger, "M1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one(ShiftQueueTable)
        assert screen.queue is not None
        target = screen.queue.weeks[0].shifts[1].shift_id
        await _cursor_to(pilot, table, target)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ReasonScreen)
        app.screen.query_one(Input).value = "typed, then cancelled"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        await pilot.press("u")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert "A reason is required" in str(dialog.query_one("#reason-error", Static).render())
        assert _events(demo_paid_ledger, "approval.shift_voided") == []
        await pilot.press(*"wrong out time", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        voids = _events(demo_paid_ledger, "approval.shift_voided")
        assert [(v.payload["shift_id"], v.payload["cause"], v.payload["reason"], v.actor) for v in voids] == [
            (target, "unapproved", "wrong out time", "M1")
        ]
        row = table.current
        assert row is not None
        assert row.shift is not None
        assert row.shift.shift_id == target
        assert (row.shift.state, row.shift.note) == ("voided", "voided (unapproved: wrong out time)")


async def test_a_worker_is_refused(demo_ledger: Path) -> None:
    """Acting as worker W01: the screen says who may approve instead (no empty list);
    the approve keys write nothing and repeat why."""
    app = _app(demo_ledger, "W01")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _open(app, pilot)
        refusal = screen.query_one("#queue-refusal", Static)
        assert refusal.display
        assert "W01 (Ines Patel) is a worker" in _text(screen, "#queue-refusal")
        assert not screen.query_one("#steps").display
        await pilot.press("w", "enter", "A", "u")
        await settle(app, pilot)
        assert app.screen is screen
        assert _events(demo_ledger, "approval.") == []
        assert any("is a worker" in n.message for n in app._notifications)


async def test_an_edit_of_an_approved_shift_shows_the_approval_voided(demo_paid_ledger: Path) -> None:
    """An approved shift edited elsewhere (ot.services.entries, as the CLI would) shows,
    after the next poll of the ledger (ctrl+r does the same), as voided with the edit's reason."""
    approve_shifts(demo_paid_ledger, worker_id="W01", week=WEEK1, actor="M1", now=NOW)
    app = _app(demo_paid_ledger, "M1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one(ShiftQueueTable)
        assert screen.queue is not None
        target = screen.queue.weeks[0].shifts[0]
        assert target.state == "approved"
        await _cursor_to(pilot, table, target.shift_id)
        edit_shift(
            demo_paid_ledger, target.shift_id, given=ShiftInput(end="17:00"), reason="left at five", actor="A1", now=NOW
        )
        app.check_ledger()  # what the app's poll timer does every few seconds
        await settle(app, pilot)
        row = table.current
        assert row is not None
        assert row.shift is not None
        assert row.shift.shift_id == target.shift_id
        assert (row.shift.state, row.shift.note) == ("voided", "voided (edited: left at five)")
        assert "voided" in _text(screen, "#queue-status")
        voids = _events(demo_paid_ledger, "approval.shift_voided")
        assert [(v.payload["shift_id"], v.payload["cause"]) for v in voids] == [(target.shift_id, "edited")]


async def test_a_failed_read_is_shown_and_the_next_poll_recovers(ledger_path: Path) -> None:
    """With no ledger yet, the screen shows the service's error as a notification (not a
    crash); once another process loads the demo company, the next poll shows the queue."""
    app = _app(ledger_path, "M1")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ApprovalsScreen)
        assert any("no ledger at" in n.message for n in app._notifications)
        assert "could not be read" in _text(screen, "#queue-title")
        load_demo(ledger_path, actor="other-process", now=NOW)
        app.check_ledger()
        await settle(app, pilot)
        assert screen.queue is not None
        assert len(screen.queue.weeks) == 16


async def test_pay_periods_move_with_brackets(demo_paid_ledger: Path) -> None:
    """] shows the next pay period, [ the one before; the title says which. The command
    palette offers every action of the screen, and runs them (here: next pay period)."""
    app = _app(demo_paid_ledger, "M1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        assert screen.queue is not None
        assert screen.queue.period.start == PERIOD[0]
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.queue.period.start == date(2026, 11, 8)
        assert "Pay period 2026-11-08 to 2026-11-21" in _text(screen, "#queue-title")
        # The approve-by banner (the seeds' "usually Monday, earlier around holidays"): the period ends
        # Sat 11-21; Thanksgiving (Thu 11-26, 5 U.S.C. 6103) moves Monday 11-23 one business day earlier.
        assert "approve by FRI 2026-11-20 (Thanksgiving Day moved it earlier" in _text(screen, "#queue-title")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert screen.queue.period.start == date(2026, 10, 11)
        assert {w.week_start for w in screen.queue.weeks} == {date(2026, 10, 18)}
        commands = palette(screen)
        assert {"Approve", "Approve week", "Approve selected", "Unapprove", "Timecards (step 2)"} <= set(commands)
        await run_command(commands["Next pay period"])
        await settle(app, pilot)
        assert screen.queue.period.start == PERIOD[0]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_snapshot(demo_ledger: Path, snapshot_svg: SnapshotAssertion, size: tuple[int, int]) -> None:
    """Approvals as manager M1, pay period 2026-10-25 to 2026-11-07 (pay date
    2026-11-12), with W01's first week approved beforehand: a bold row per worker-week
    with hours, OT, DT and gross (W01 Ines Patel wk 10-25: 40.13, 0.18, 0.00, 864.74,
    "done" in the theme's success colour, the cursor on it), its five shifts S723-S747
    "approved" in the success colour with "by M1 2026-11-05" and no [ ] mark; W01 wk
    11-01 (39.93 h, gross 918.97 = REG 39.88 x 23.00 + OT 0.05 x 34.50) "5 waiting" in the
    warning colour with its shifts "waiting" and a [ ] mark, and "rows sum 39.94, each rounded"
    (its five rows, each rounded to the hundredth; the week is their exact time rounded once); then
    W02 Jamal Alvarez's weeks (OT 8.17 / 8.00, DT 0.47 / 0.53; wk 10-25 "rows sum 48.64"). The status line "Step 1 · 74 shifts wait in 16 worker-weeks · 1 to review";
    the footer Approve, w Week, space Select, A Selected, u Unapprove, [ ] Period. At
    80x24 fewer rows show and the note column scrolls off to the right."""
    approve_shifts(demo_ledger, worker_id="W01", week=WEEK1, actor="M1", now=NOW)
    app = _app(demo_ledger, "M1")
    async with app.run_test(size=size) as pilot:
        await _open(app, pilot)
        assert await screenshot(app, pilot) == snapshot_svg


async def test_after_an_approval_the_screen_reads_only_that_worker_again(
    demo_paid_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter then y approves one shift: the queue is read again for that worker alone (at 2,000 workers,
    0.03 s instead of about 6 s), and is the queue a whole read gives; ctrl+r reads every worker, even
    when a poll asks for a read again before it is shown."""
    priced = count_price_calls(monkeypatch)
    app = _app(demo_paid_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one(ShiftQueueTable)
        assert screen.queue is not None
        week = next(w for w in screen.queue.weeks if w.waiting)
        shift = next(s for s in week.shifts if s.approvable)
        await _cursor_to(pilot, table, shift.shift_id)
        priced.clear()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert priced == [(week.worker_id,)]
        assert screen.queue == approval_queue(demo_paid_ledger, "A1", shift.day or WEEK1)
        states = {s.shift_id: s.state for w in screen.queue.weeks for s in w.shifts}
        assert states[shift.shift_id] == "approved"
        priced.clear()
        await pilot.press("ctrl+r")
        screen.refresh_queue()  # the poll noticing another process's write meanwhile: still a whole read
        await settle(app, pilot)
        assert priced
        assert all(len(ids) > 30 for ids in priced)  # every worker of the roster
        assert screen.whole_pending is False


@pytest.mark.anyio
async def test_step_two_shows_every_hours_and_gross_figure_whole(demo_ledger: Path) -> None:
    """A review: step 2's Hours column was 5 cells wide, so 119.93 hours read 119.9 (every demo
    timecard carries about 120 hours), and Gross 8 cells, so 317966.59 read 317966.5. Figures are shown
    whole, at 80 columns too, where they stay in view."""
    from ot.core.money import cents, hours2

    app = _app(demo_ledger, "A1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        cards = screen.query_one(TimecardTable)
        lines = [cards.render_line(y).text for y in range(1, min(cards.size.height, len(cards.rows_shown) + 1))]
        assert lines
        for row, line in zip(cards.rows_shown, lines, strict=False):
            assert str(hours2(row.hours)) in line.split(), (line, row.hours)
            assert str(cents(row.gross)) in line.split(), (line, row.gross)
        assert any(len(str(hours2(r.hours))) > 5 for r in cards.rows_shown)  # the case that was cut


async def test_step_two_refuses_a_timecard_not_ready_up_front(demo_ledger: Path) -> None:
    """enter on a timecard whose shifts wait for step 1 (no [ ] box) opens no confirmation: a short
    notice says step 1 is pending for its shifts and to press 1, with no CLI command; one with an
    exception says to fix it first (a review: "Approve 1 timecard ... 0/15 shifts approved", then 15
    lines of `ot approve shifts --shift ...` after y)."""
    app = _app(demo_ledger, "A1")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        cards = screen.query_one(TimecardTable)
        assert cards.current is not None
        assert (cards.current.worker_id, cards.current.state) == ("M1", "open")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        messages = [n.message for n in app._notifications]
        assert messages == [
            "M1's timecard is not ready: step 1 is pending for 15 shifts; press 1 to approve them first"
        ]
        ids = [r.worker_id for r in cards.rows_shown]
        for _ in range(ids.index("W06")):
            await pilot.press("j")
        assert cards.current is not None
        assert (cards.current.worker_id, cards.current.state) == ("W06", "blocked")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        last = list(app._notifications)[-1].message
        assert last.startswith("W06's timecard is not ready: 1 shift with an exception to fix first"), last
        assert not any("`ot " in n.message for n in app._notifications)
    assert not [
        e for e in _events(demo_ledger, "approval.timecard_approved") if e.payload["period_start"] == "2026-10-25"
    ]
