"""The add-earning form (issue 16: earnings in the ledger need "the TUI form"): its service without
the UI, then pilot flows on the demo company (admin A1; W02 Jamal Alvarez, LGB, California) that
check what the ledger holds afterwards, and an SVG snapshot.

The form refuses what ``ot earning add`` refuses (it runs it as a dry run): an unknown kind, a bad
amount, a period on a kind that has none, a worker acting as an admin, and an earning in a paid
week without an authorized correction and a reason.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select
from tui_helpers import NOW, palette, screenshot, settle

from ledger.store import Ledger
from ot.core.errors import OtError
from ot.services.approvals import approve_shifts, approve_timecards
from ot.services.earning_form import (
    EarningForm,
    check_earning_form,
    kind_note,
    save_earning_form,
    start_earning,
)
from ot.services.payrun import run_payroll
from tui.app import OtApp
from tui.screens.earning_form import EarningFormScreen
from tui.screens.timecards import TimecardsScreen

FRIDAY = date(2026, 11, 6)
PAID_DAY = date(2026, 10, 20)  # in the first period, paid by _pay_w02_first_period


def _head(path: Path) -> tuple[int, str]:
    with Ledger.open(path, create=False) as led:
        return led.count(), led.head()[1]


def _events(path: Path, kind: str) -> list[Any]:
    with Ledger.open(path, create=False) as led:
        return list(led.events(kind=kind))


def _admin_app(path: Path) -> OtApp:
    return OtApp(path, "A1", NOW, poll_seconds=3600, blink=False)


def _pay_w02_first_period(path: Path) -> None:
    approve_shifts(path, worker_id="W02", week=date(2026, 10, 19), actor="A1", now=NOW)
    approve_shifts(path, worker_id="W02", week=date(2026, 10, 26), actor="A1", now=NOW)
    approve_timecards(path, period_day=date(2026, 10, 19), worker_ids=["W02"], actor="A1", now=NOW)
    run_payroll(path, period_day=date(2026, 10, 19), partial=True, actor="A1", now=NOW)


GOOD = EarningForm("W02", FRIDAY.isoformat(), "bonus", amount="120.00")


# --- the service, without the UI ---------------------------------------------------


def test_kind_note_says_whether_it_counts_and_cites_the_rule() -> None:
    """29 CFR 778.208-778.210 (a nondiscretionary bonus counts), 778.212 (a gift does not)."""
    assert kind_note("bonus") == "counts toward the regular rate (29 CFR 778.208-778.210)"
    assert kind_note("gift").startswith("paid, but left out of the regular rate: a gift")
    assert kind_note("gift").endswith("(29 CFR 778.212)")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"day": "2026-13-01"}, "day", "2026-13-01"),
        ({"day": ""}, "day", ""),
        ({"amount": "12.345"}, "amount", "cent"),
        ({"amount": "-5"}, "amount", ""),
        ({"amount": ""}, "amount", ""),
        ({"kind": "tip"}, "kind", "is not one of bonus"),
        ({"kind": "on-call", "earned_from": "2026-10-01", "earned_to": "2026-10-31"}, "earned_from", "only a bonus"),
    ],
)
def test_check_refuses_what_the_cli_refuses_under_the_field(
    demo_ledger: Path, changes: dict[str, Any], field: str, words: str
) -> None:
    """Each refusal of ``ot earning add`` is filed under the field it names; nothing is written."""
    before = _head(demo_ledger)
    assert check_earning_form(demo_ledger, GOOD, actor="A1", now=NOW).ok
    check = check_earning_form(demo_ledger, replace(GOOD, **changes), actor="A1", now=NOW)
    assert not check.ok
    assert field in check.messages, check.messages
    assert words in check.messages[field]
    assert _head(demo_ledger) == before


def test_a_good_form_previews_then_records_one_event(demo_ledger: Path) -> None:
    """The dry run describes the earning and writes nothing; saving writes one ``earning.recorded``."""
    form = replace(GOOD, earned_from="2026-10-01", earned_to="2026-10-31", note="October target")
    before = _head(demo_ledger)
    check = check_earning_form(demo_ledger, form, actor="A1", now=NOW)
    assert check.ok
    assert check.description == "bonus of $120.00 dated 2026-11-06, earned 2026-10-01..2026-10-31"
    assert _head(demo_ledger) == before
    result = save_earning_form(demo_ledger, form, actor="A1", now=NOW)
    [event] = _events(demo_ledger, "earning.recorded")
    assert event.payload["earning_id"] == result.earning_ids[0]
    assert (event.payload["kind"], event.payload["amount"], event.payload["day"]) == ("bonus", "120.00", "2026-11-06")
    assert event.actor == "A1"


def test_a_worker_or_a_manager_may_not_record_earnings(demo_ledger: Path) -> None:
    """Earnings are money besides approved hours: admins only (the permissions of issue 14)."""
    before = _head(demo_ledger)
    for actor in ("W02", "M1"):
        check = check_earning_form(demo_ledger, GOOD, actor=actor, now=NOW)
        assert not check.ok
        assert "general" in check.messages
        with pytest.raises(OtError):
            save_earning_form(demo_ledger, GOOD, actor=actor, now=NOW)
    assert _head(demo_ledger) == before


def test_a_paid_week_needs_an_authorized_correction_with_a_reason(demo_ledger: Path) -> None:
    """An earning dated in a paid week reprices it (Everee's corrections, in the seeds): refused
    under the correction box, then under the reason, then recorded with the underpayment."""
    _pay_w02_first_period(demo_ledger)
    form = replace(GOOD, day=PAID_DAY.isoformat())
    check = check_earning_form(demo_ledger, form, actor="A1", now=NOW)
    assert not check.ok
    assert check.paid
    assert "tick Correction authorized" in check.messages["correction"]
    check = check_earning_form(demo_ledger, replace(form, correction_authorized=True), actor="A1", now=NOW)
    assert not check.ok
    assert "needs a reason" in check.messages["reason"]
    authorized = replace(form, correction_authorized=True, reason="October target bonus, late")
    check = check_earning_form(demo_ledger, authorized, actor="A1", now=NOW)
    assert check.ok
    assert check.paid
    assert check.corrections
    assert "underpayment" in check.corrections[0]
    save_earning_form(demo_ledger, authorized, actor="A1", now=NOW)
    assert _events(demo_ledger, "earning.recorded")
    [correction] = _events(demo_ledger, "correction.recorded")
    assert correction.payload["kind"] == "underpayment"


def test_start_refuses_an_unknown_worker(demo_ledger: Path) -> None:
    with pytest.raises(OtError, match="no worker"):
        start_earning(demo_ledger, "W-NOPE", FRIDAY)


# --- pilot flows --------------------------------------------------------------------


async def _open_w02(app: OtApp, pilot: Pilot[None], weeks_back: int = 0) -> TimecardsScreen:
    await settle(app, pilot)
    await pilot.press("slash", *"W02", "enter", *(["left_square_bracket"] * weeks_back))
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, TimecardsScreen)
    return screen


def _form(app: OtApp) -> EarningFormScreen:
    assert isinstance(app.screen, EarningFormScreen), app.screen
    return app.screen


async def _type(app: OtApp, pilot: Pilot[None], field: str, text: str) -> None:
    _form(app).query_one(f"#{field}", Input).focus()
    await pilot.press("ctrl+a", "ctrl+k", *text)
    await settle(app, pilot)


@pytest.mark.anyio
async def test_add_a_bonus_from_the_timecards(demo_ledger: Path) -> None:
    """B opens the form for the worker shown; a bad amount is named under its field and not saved;
    $120.00 is saved as one earning.recorded event, and the form closes with a notification."""
    app = _admin_app(demo_ledger)
    async with app.run_test(size=(100, 34), notifications=True) as pilot:
        screen = await _open_w02(app, pilot)
        assert "Add an earning (bonus, commission, piece pay...)" in set(palette(screen))
        await pilot.press("B")
        await settle(app, pilot)
        form = _form(app)
        assert {"Save earning", "Cancel earning form"} <= set(palette(form))
        assert form.start.worker_id == "W02"
        assert form.has_class("-period")  # a bonus may have a period it was earned over
        await _type(app, pilot, "amount", "12.345")
        assert "cent" in form.messages()["amount"]
        before = _head(demo_ledger)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert _head(demo_ledger) == before
        await _type(app, pilot, "amount", "120.00")
        await _type(app, pilot, "day", FRIDAY.isoformat())
        assert form.messages() == {}
        assert "Will record: bonus of $120.00 dated 2026-11-06" in str(form.query_one("#preview").content)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        [event] = _events(demo_ledger, "earning.recorded")
        assert (event.payload["worker_id"], event.payload["amount"]) == ("W02", "120.00")
        assert any("recorded earning" in n.message for n in app._notifications)


@pytest.mark.anyio
async def test_a_kind_without_a_period_hides_the_period_and_escape_writes_nothing(demo_ledger: Path) -> None:
    """On-call pay is paid in the week it is for (29 CFR 778.223): the period rows hide, the note
    says it counts; escape closes the form and the ledger is as it was."""
    app = _admin_app(demo_ledger)
    async with app.run_test(size=(100, 34)) as pilot:
        await _open_w02(app, pilot)
        before = _head(demo_ledger)
        await pilot.press("B")
        await settle(app, pilot)
        form = _form(app)
        form.query_one("#kind", Select).value = "on-call"
        await settle(app, pilot)
        assert not form.has_class("-period")
        assert "778.223" in str(form.query_one("#kind-note").content)  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, EarningFormScreen)
        assert _head(demo_ledger) == before


@pytest.mark.anyio
async def test_a_paid_week_shows_the_correction_box(demo_ledger: Path) -> None:
    """An earning dated in a paid week: the correction box appears; ticked, with a reason, it saves
    the earning and the underpayment it makes."""
    _pay_w02_first_period(demo_ledger)
    app = _admin_app(demo_ledger)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await _open_w02(app, pilot)
        await pilot.press("B")
        await settle(app, pilot)
        form = _form(app)
        await _type(app, pilot, "amount", "50.00")
        await _type(app, pilot, "day", PAID_DAY.isoformat())
        assert form.query_one("#correction-box").has_class("-shown")
        assert "tick Correction authorized" in form.messages()["correction"]
        form.query_one("#correction", Checkbox).focus()
        await pilot.press("space")
        await settle(app, pilot)
        await _type(app, pilot, "reason", "missed in October")
        assert form.messages() == {}
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, EarningFormScreen)
    assert _events(demo_ledger, "earning.recorded")
    assert _events(demo_ledger, "correction.recorded")


@pytest.mark.anyio
async def test_earning_form_snapshot(demo_ledger: Path, snapshot_svg: SnapshotAssertion) -> None:
    """The form over W02's timecards: title "Add an earning for W02 Jamal Alvarez"; Kind bonus with
    the note "counts toward the regular rate (29 CFR 778.208-778.210)"; Date 2026-11-06, Amount
    120.00 (just typed), Quantity and Unit rate placeholders, Earned from/to shown (a bonus),
    Note placeholder; no correction box; the preview "Will record: bonus of $120.00 dated
    2026-11-06"; the footer shows ^s Save and esc Cancel."""
    app = _admin_app(demo_ledger)
    async with app.run_test(size=(100, 34)) as pilot:
        await _open_w02(app, pilot)
        await pilot.press("B")
        await settle(app, pilot)
        await _type(app, pilot, "day", FRIDAY.isoformat())
        await _type(app, pilot, "amount", "120.00")
        assert await screenshot(app, pilot) == snapshot_svg
