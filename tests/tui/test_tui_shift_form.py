"""The add/edit shift form (issue 7, Timecards): its service without the UI, then pilot flows
on the demo company (admin A1; W02 Jamal Alvarez, LGB, California) that check what the
ledger holds afterwards, and SVG snapshots of the form.

The form refuses what ``ot shift add|edit`` refuses: no more than 24 hours of one pay type
on one day (the Timerack rule in the design's seeds), and a change on a paid date only as
an authorized correction with a reason (Everee's timesheet corrections, in the seeds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input
from tui_helpers import NOW, palette, screenshot, settle

from ledger.store import Ledger
from ot.core.errors import OtError
from ot.services.approvals import approve_shifts, approve_timecards
from ot.services.entries import ShiftInput, add_shift, edit_shift
from ot.services.payrun import run_payroll
from ot.services.shift_form import (
    ShiftForm,
    check_form,
    field_messages,
    save_form,
    start_add,
    start_edit,
    to_input,
)
from tui.app import OtApp
from tui.screens.shift_form import ConfirmVoid, ShiftFormScreen, void_question
from tui.screens.timecards import TimecardsScreen

MakeApp = Callable[..., OtApp]

MONDAY = date(2026, 11, 2)  # W02 worked 05:58-16:25 (S877, 9.95 h) that day


def _head(path: Path) -> tuple[int, str]:
    with Ledger.open(path, create=False) as led:
        return led.count(), led.head()[1]


def _events(path: Path, kind: str) -> list[Any]:
    with Ledger.open(path, create=False) as led:
        return list(led.events(kind=kind))


def _admin_app(path: Path) -> OtApp:
    return OtApp(path, "A1", NOW, poll_seconds=3600, blink=False)


# --- the service, without the UI ---------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"day": "2026-13-01"}, "day", "is not a date"),
        ({"day": ""}, "day", "give the date"),
        ({"start": "6"}, "start", "is not a time of day"),
        ({"end": "24:00"}, "end", "is not a time of day"),
        ({"breaks": "12-13"}, "breaks", "HH:MM-HH:MM[:TYPE]"),
        ({"breaks": "12:00-12:75"}, "breaks", "is not a time of day"),
        ({"rate": "0"}, "rate", "more than 0 dollars"),
        ({"rate": "abc"}, "rate", "abc"),
        ({"pay_type": "VACATION"}, "pay_type", "use one of REGULAR, PTO, SICK, HOLIDAY"),
        ({"hours_only": True, "hours": "25"}, "hours", "at most 24 hours on one day"),
        ({"hours_only": True, "hours": "7.123"}, "hours", "to the hundredth"),
        ({"hours_only": True, "hours": ""}, "hours", "give the hours"),
        ({"correction_authorized": True}, "reason", "a correction needs a reason"),
        ({"timeframe": "LATER"}, "timeframe", "NEXT_PAYROLL_PAYMENT"),
    ],
)
def test_field_messages_name_the_field(changes: dict[str, Any], field: str, words: str) -> None:
    """Each field is read on its own, with the CLI's parsers and messages."""
    good = ShiftForm(day="2026-11-02", start="08:00", end="16:00", location_id="LGB")
    assert field_messages(good) == {}
    messages = field_messages(replace(good, **changes))
    assert list(messages) == [field]
    assert words in messages[field]


def test_breaks_kept_on_an_edit_are_not_read() -> None:
    """An edit that leaves a never-ended break (``12:00-?``) alone is not refused for it;
    a changed break list is read."""
    before = ShiftForm(day="2026-11-02", start="08:00", end="16:00", breaks="12:00-?:DEFAULT_UNPAID")
    assert list(field_messages(before)) == ["breaks"]
    assert field_messages(replace(before, end="17:00"), before) == {}
    assert list(field_messages(replace(before, breaks="12:00-?"), before)) == ["breaks"]


def test_to_input_gives_only_what_changed_on_an_edit() -> None:
    """Like ``ot shift edit``: unchanged fields are not given; a moved start gives start and end."""
    before = ShiftForm(day="2026-11-02", start="08:00", end="16:00", breaks="12:00-12:30", location_id="LGB")
    assert to_input(before, before) == ShiftInput()
    moved = to_input(replace(before, day="2026-11-03"), before)
    assert (moved.start, moved.end, moved.breaks) == ("2026-11-03T08:00", "16:00", None)
    assert to_input(replace(before, rate="21.50"), before) == ShiftInput(rate="21.50")
    hours = to_input(replace(before, hours_only=True, hours="8"), before)
    assert (hours.day, hours.hours, hours.start) == ("2026-11-02", "8", None)
    added = to_input(before)
    assert (added.start, added.end, added.breaks, added.pay_type) == (
        "2026-11-02T08:00",
        "16:00",
        ("12:00-12:30",),
        "REGULAR",
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"hours_only": True, "hours": "20"}, "hours", "29.95 hours of REGULAR on 2026-11-02"),
        ({"start": "18:00", "end": "20:00", "location_id": "ZZZ"}, "location_id", "no location 'ZZZ'"),
        ({"start": "18:00", "end": "20:00", "breaks": "19:00-19:10:NOPE"}, "breaks", "unknown break type 'NOPE'"),
        ({"start": "18:00", "end": "20:00", "breaks": "21:00-21:10"}, "breaks", "outside the shift"),
        (
            {"start": "10:00", "end": "12:00"},
            "start",
            "overlaps shift S877 of W02 (2026-11-02 05:58 to 2026-11-02 16:25",
        ),
        ({"start": "18:00", "end": "20:00"}, "end", ""),
    ],
)
def test_check_form_refuses_what_the_cli_refuses(
    demo_ledger: Path, changes: dict[str, Any], field: str, words: str
) -> None:
    """The ledger's checks (a dry run of ``add_shift``, the CLI's service) land under the
    field they name, and the CLI's service refuses the same input; nothing is written.
    The last case is accepted by both (two shifts on one day, 11.95 h, is allowed; the one before it
    overlaps S877, time paid twice, and is refused)."""
    start = start_add(demo_ledger, "W02", MONDAY)
    form = replace(start.form, **changes)
    before = _head(demo_ledger)
    check = check_form(demo_ledger, start, form, actor="A1", now=NOW)
    given = to_input(form)
    if words:
        assert words in check.messages[field], check.messages
        with pytest.raises(OtError):
            add_shift(demo_ledger, worker_id="W02", given=given, reason=None, actor="A1", now=NOW)
    else:
        assert check.ok, check.messages
        assert check.description == "W02 Mon 2026-11-02 18:00-20:00"
    assert _head(demo_ledger) == before


def test_a_dry_run_says_what_would_be_done_and_writes_nothing(demo_ledger: Path) -> None:
    """``add_shift``/``edit_shift`` with ``dry_run``: the result a save would give, the ledger unchanged."""
    approve_shifts(demo_ledger, worker_id="W02", week=MONDAY, actor="A1", now=NOW)
    before = _head(demo_ledger)
    given = ShiftInput(day="2026-11-07", hours="3", pay_type="SICK")
    added = add_shift(demo_ledger, worker_id="W02", given=given, reason=None, actor="A1", now=NOW, dry_run=True)
    assert (added.action, added.description) == ("added", "W02 Sat 2026-11-07 SICK 3.00 h")
    edited = edit_shift(
        demo_ledger, "S877", given=ShiftInput(end="16:00"), reason=None, actor="A1", now=NOW, dry_run=True
    )
    assert edited.voided == ("approval of shift S877",)
    assert _head(demo_ledger) == before
    real = add_shift(demo_ledger, worker_id="W02", given=given, reason=None, actor="A1", now=NOW)
    assert real.description == added.description
    assert _head(demo_ledger) != before


def test_check_form_shows_a_refused_actor(demo_ledger: Path) -> None:
    """A worker may not enter shifts (nor anyone their own): the refusal is the form's general message."""
    start = start_add(demo_ledger, "W02", MONDAY)
    form = replace(start.form, hours_only=True, hours="2")
    assert (
        "nobody may enter their own shifts"
        in check_form(demo_ledger, start, form, actor="W02", now=NOW).messages["general"]
    )
    assert "is a worker" in check_form(demo_ledger, start, form, actor="W05", now=NOW).messages["general"]
    with pytest.raises(OtError, match="may not enter"):
        save_form(demo_ledger, start, form, actor="W02", now=NOW)


def test_start_edit_fills_the_form_with_the_shift(demo_ledger: Path) -> None:
    """An edit opens with the shift as it stands, breaks in the CLI's ``HH:MM-HH:MM:TYPE`` form."""
    start = start_edit(demo_ledger, "S877")
    assert (start.worker_id, start.shift_id, start.approved, start.paid) == ("W02", "S877", False, False)
    assert start.form == ShiftForm(
        day="2026-11-02",
        start="05:58",
        end="16:25",
        breaks="08:09-08:19:REST, 10:27-10:57:DEFAULT_UNPAID",
        hours="9.95",
        location_id="LGB",
    )
    check = check_form(demo_ledger, start, start.form, actor="A1", now=NOW)
    assert check.messages == {"general": "nothing changes yet: change a field, then save"}
    with pytest.raises(OtError) as refused:
        start_edit(demo_ledger, "S1")
    assert "shift S1: no such shift" in refused.value.render()


def test_void_question_names_both_steps() -> None:
    """The confirmation says what is voided, step by step."""
    question = void_question(("approval of shift S877", "timecard of W02 for the period from 2026-10-25"), True)
    assert question == (
        "This edit voids the approval of shift S877 (step 1) and the timecard of W02 for the period "
        "from 2026-10-25 (step 2): continue?"
    )


# --- pilot flows --------------------------------------------------------------------


async def _open_w02(app: OtApp, pilot: Pilot[None], weeks_back: int = 0) -> TimecardsScreen:
    await settle(app, pilot)
    await pilot.press("slash", *"W02", "enter", *(["left_square_bracket"] * weeks_back))
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, TimecardsScreen)
    return screen


def _form(app: OtApp) -> ShiftFormScreen:
    assert isinstance(app.screen, ShiftFormScreen), app.screen
    return app.screen


async def _type(app: OtApp, pilot: Pilot[None], field: str, text: str) -> None:
    """Replace the text of one input, key by key, as a user would."""
    _form(app).query_one(f"#{field}", Input).focus()
    await pilot.press("ctrl+a", "ctrl+k", *text)
    await settle(app, pilot)


@pytest.mark.anyio
async def test_add_an_hours_only_shift(demo_ledger: Path) -> None:
    """A opens the form on the day shown; ctrl+t switches to hours; 4 hours of PTO are saved
    as a manual entry and the week shows one more row. Both screens' actions are in the palette."""
    app = _admin_app(demo_ledger)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _open_w02(app, pilot)
        assert screen.week is not None
        rows = len(screen.week.rows)
        assert {"Add shift", "Edit shift"} <= set(palette(screen))
        await pilot.press("A")
        await settle(app, pilot)
        form = _form(app)
        assert {"Save shift", "Cancel shift form"} <= set(palette(form))
        assert form.start.worker_id == "W02"
        await pilot.press("ctrl+t")
        await _type(app, pilot, "hours", "4")
        assert form.messages() == {}
        await _type(app, pilot, "day", "2026-11-06")
        form.query_one("#pay_type").value = "PTO"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        [entered] = _events(demo_ledger, "shift.entered")
        p = entered.payload
        assert (p["worker_id"], p["day"], p["minutes"], p["pay_type"], p["start"]) == (
            "W02",
            "2026-11-06",
            240,
            "PTO",
            None,
        )
        assert entered.actor == "A1"
        assert screen.week is not None
        assert len(screen.week.rows) == rows + 1
        assert any("added shift" in n.message for n in app._notifications)


@pytest.mark.anyio
async def test_edit_an_approved_shift_asks_then_voids_the_approval(demo_ledger: Path) -> None:
    """Enter on W02's approved Monday shift opens it; a new end is previewed; saving asks
    whether to void the approval of shift S877 (step 1); n goes back with nothing written,
    y records the edit and voids the approval in the ledger."""
    approve_shifts(demo_ledger, worker_id="W02", week=MONDAY, actor="A1", now=NOW)
    app = _admin_app(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_w02(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        form = _form(app)
        assert form.start.shift_id == "S877"
        assert form.start.approved
        await _type(app, pilot, "end", "16:00")
        assert form.last_check is not None
        assert form.last_check.voids == ("approval of shift S877",)
        before = _head(demo_ledger)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmVoid)
        assert confirm.question == "This edit voids the approval of shift S877 (step 1): continue?"
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen is form
        assert _head(demo_ledger) == before
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, TimecardsScreen)
    [voided] = _events(demo_ledger, "approval.shift_voided")
    assert (voided.payload["shift_id"], voided.payload["cause"]) == ("S877", "edited")
    [edited] = _events(demo_ledger, "shift.edited")
    assert (edited.payload["shift_id"], edited.payload["end"]) == ("S877", "2026-11-03T00:00:00Z")


@pytest.mark.anyio
async def test_more_than_24_hours_of_one_pay_type_is_refused(demo_ledger: Path) -> None:
    """20 hours on a Monday W02 already worked 9.95 hours: the hours field says 29.95 hours
    of REGULAR is over the 24-hour cap (Timerack, seeds), saving is refused, nothing written;
    escape closes the form."""
    app = _admin_app(demo_ledger)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _open_w02(app, pilot)
        await pilot.press("A", "ctrl+t")
        await settle(app, pilot)
        form = _form(app)
        await _type(app, pilot, "day", "2026-11-02")
        await _type(app, pilot, "hours", "25")
        assert "at most 24 hours on one day" in form.messages()["hours"]
        await _type(app, pilot, "hours", "20")
        assert "29.95 hours of REGULAR on 2026-11-02" in form.messages()["hours"]
        before = _head(demo_ledger)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert any("Not saved" in n.message for n in app._notifications)
        assert _head(demo_ledger) == before
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, TimecardsScreen)
    assert _events(demo_ledger, "shift.entered") == []


def _pay_w02_first_period(path: Path) -> None:
    """W02's week of 2026-10-18 approved (both steps) and paid in pay run R2026-10-11."""
    approve_shifts(path, worker_id="W02", week=date(2026, 10, 19), actor="A1", now=NOW)
    approve_timecards(path, period_day=date(2026, 10, 19), worker_ids=["W02"], actor="A1", now=NOW)
    run_payroll(path, period_day=date(2026, 10, 19), partial=True, actor="A1", now=NOW)


@pytest.mark.anyio
async def test_a_paid_date_needs_the_correction_flag(demo_ledger: Path) -> None:
    """Editing a shift on a paid date (Everee, seeds: a correction needs "correction
    authorized"): the form shows the correction box and refuses an hour more without the
    flag (nothing written); with the flag, a reason and IMMEDIATELY, it asks (the shift
    approval is voided) and records the edit and the underpayment, paid off-cycle."""
    _pay_w02_first_period(demo_ledger)
    app = _admin_app(demo_ledger)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _open_w02(app, pilot, weeks_back=2)
        assert screen.week is not None
        assert screen.week.week_start == date(2026, 10, 18)
        await pilot.press("enter")
        await settle(app, pilot)
        form = _form(app)
        assert form.start.paid
        assert form.query_one("#correction-box").has_class("-shown")
        end = form.start.form.end
        assert int(end[:2]) < 23
        await _type(app, pilot, "end", f"{int(end[:2]) + 1:02d}{end[2:]}")
        assert "is paid: this change is a correction" in form.messages()["correction"]
        before = _head(demo_ledger)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert _head(demo_ledger) == before
        form.query_one("#correction", Checkbox).focus()
        await pilot.press("space")
        await settle(app, pilot)
        assert form.query_one("#correction", Checkbox).value
        assert "a correction needs a reason" in form.messages()["reason"]
        await _type(app, pilot, "reason", "stayed an hour late")
        form.query_one("#timeframe").value = "IMMEDIATELY"  # type: ignore[attr-defined]
        await settle(app, pilot)
        assert form.messages() == {}
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmVoid)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen
    [edited] = _events(demo_ledger, "shift.edited")
    assert edited.payload["reason"] == "stayed an hour late"
    [correction] = _events(demo_ledger, "correction.recorded")
    p = correction.payload
    assert (p["kind"], p["timeframe"], p["shift_id"]) == ("underpayment", "IMMEDIATELY", edited.payload["shift_id"])
    assert _events(demo_ledger, "approval.shift_voided")


@pytest.mark.anyio
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_shift_form_snapshot(demo_ledger: Path, snapshot_svg: SnapshotAssertion, size: tuple[int, int]) -> None:
    """The edit form over the timecards of W02: title "Edit shift S877  W02 Mon 2026-11-02
    05:58-16:25 (Jamal Alvarez)", the warning note "approved (step 1): saving an edit voids
    the approval"; an unticked hours-only box; Date 2026-11-02, Start 05:58, End 16:00 (just
    typed, cursor at its end), Breaks 08:09-08:19:REST, 10:27-10:57:DEFAULT_UNPAID, Pay type
    REGULAR, Location LGB, Rate and Reason showing their placeholders; below, the preview
    "Will record: W02 Mon 2026-11-02 05:58-16:00" and "Will void the approval of shift
    S877"; no correction box (the date is not paid); the footer shows ^s Save, esc Cancel,
    ^t Hours/punches."""
    approve_shifts(demo_ledger, worker_id="W02", week=MONDAY, actor="A1", now=NOW)
    app = _admin_app(demo_ledger)
    async with app.run_test(size=size) as pilot:
        await _open_w02(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        await _type(app, pilot, "end", "16:00")
        assert await screenshot(app, pilot) == snapshot_svg


@pytest.mark.anyio
async def test_ctrl_t_focuses_the_first_field_of_the_mode_switched_to(demo_ledger: Path) -> None:
    """ctrl+t hides the focused Start field: Hours is focused, so what is typed next lands there; ctrl+t
    again focuses Start (a review: nothing was focused after ctrl+t and the typing was lost)."""
    app = _admin_app(demo_ledger)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_w02(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        form = _form(app)
        assert app.focused is form.query_one("#start", Input)
        await pilot.press("ctrl+t")
        await pilot.press(*"7.5")
        await settle(app, pilot)
        hours = form.query_one("#hours", Input)
        assert app.focused is hours
        assert hours.value == "7.5"
        assert form.read_form().hours_only
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.focused is form.query_one("#start", Input)


@pytest.mark.anyio
async def test_a_rate_with_five_places_says_to_round_it_to_four(demo_ledger: Path) -> None:
    """Rate 0.00001: "has more than 4 decimal places: round it to 4 decimal places" (a review: it said to
    round it to the cent, which contradicts the 4 places a rate may have)."""
    app = _admin_app(demo_ledger)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_w02(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        await _type(app, pilot, "rate", "0.00001")
        message = _form(app).messages()["rate"]
        assert message.endswith("has more than 4 decimal places: round it to 4 decimal places"), message
        assert "cent" not in message
