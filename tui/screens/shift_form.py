"""The add/edit shift form: a modal over the timecards screen.

It holds no rule of its own: each keystroke reads the fields with
:func:`ot.services.shift_form.field_messages` (pure and fast), then asks
:func:`~ot.services.shift_form.check_form` in a worker thread (a dry run of
``ot shift add|edit``), whose per-field messages appear under the fields; a
result for fields no longer on screen is dropped. Saving checks once more; when
the save would void approvals it asks first (:class:`ConfirmVoid`), then
records through :func:`~ot.services.shift_form.save_form`, off the UI thread.
The modal returns the :class:`~ot.services.entries.EntryResult` (None when
cancelled).
"""

from __future__ import annotations

import time
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static
from textual.worker import get_current_worker

from ot.services.entries import EntryResult
from ot.services.shift_form import (
    FIELDS,
    PAY_TYPES,
    TIMEFRAMES,
    FormCheck,
    FormStart,
    ShiftForm,
    check_form,
    field_messages,
    save_form,
)
from tui.screens.base import OtModalScreen
from tui.text import esc
from tui.widgets.footer import OtFooter

__all__ = ["ConfirmVoid", "ShiftFormScreen", "void_question"]

#: How long a check waits for the next keystroke before asking the ledger (in its worker thread).
DEBOUNCE_SECONDS = 0.15

#: The text inputs of the form: (field, label, placeholder, worked-only / hours-only / both).
_INPUTS: tuple[tuple[str, str, str, str], ...] = (
    ("day", "Date", "YYYY-MM-DD", ""),
    ("start", "Start", "HH:MM (24-hour)", "worked"),
    ("end", "End", "HH:MM (next day if earlier)", "worked"),
    ("hours", "Hours", "e.g. 7.5", "hours"),
    ("breaks", "Breaks", "12:00-12:30, 15:00-15:10:REST", "worked"),
    ("rate", "Rate $/h", "blank: the worker's profile rate", ""),
    ("reason", "Reason", "why (needed for a correction)", ""),
)


def void_question(voids: tuple[str, ...], editing: bool) -> str:
    """``This edit voids the approval of shift S1 (step 1) and the timecard ... (step 2): continue?``"""
    parts = [f"the {v} (step 1)" if v.startswith("approval of shift") else f"the {v} (step 2)" for v in voids]
    what = "edit" if editing else "new shift"
    return f"This {what} voids {' and '.join(parts)}: continue?"


class ConfirmVoid(OtModalScreen[bool]):
    """Asks whether to save a change that voids approvals: y continues, n goes back."""

    CSS_PATH = "shift_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Continue", tooltip="Continue: save and void the approvals", id="void.yes"),
        Binding("n", "answer(False)", "Back", tooltip="Back to the form, nothing saved", id="void.no"),
        Binding("escape", "answer(False)", "Back", show=False, id="void.escape"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question, id="question", markup=False)
            yield Static("[b]y[/b] continue    [b]n[/b] back", id="answer-keys")
        yield OtFooter()

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


class ShiftFormScreen(OtModalScreen[EntryResult | None]):
    """Add a shift to a worker's timecard, or edit one; validates as you type.

    Args:
        start: What the form opens with (:func:`ot.services.shift_form.start_add` or ``start_edit``).
    """

    CSS_PATH = "shift_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save shift", id="shift_form.save"),
        Binding("escape", "cancel", "Cancel", tooltip="Cancel shift form", id="shift_form.cancel"),
        Binding("ctrl+t", "toggle_hours", "Hours/punches", tooltip="Hours or punches", id="shift_form.toggle_hours"),
    ]

    def __init__(self, start: FormStart) -> None:
        super().__init__()
        self.start = start
        self.before = start.form if start.shift_id is not None else None
        self.last_check: FormCheck | None = None
        self.saving = False

    # --- layout -------------------------------------------------------------

    def _title(self) -> str:
        s = self.start
        if s.shift_id is None:
            return f"[b]Add a shift[/b] for {esc(s.worker_id)} {esc(s.worker_name)}"
        return f"[b]Edit shift {esc(s.shift_id)}[/b]  {esc(s.description)}  ({esc(s.worker_name)})"

    def _note(self) -> str:
        notes = []
        if self.start.approved:
            notes.append("approved (step 1): saving an edit voids the approval")
        if self.start.paid:
            notes.append("paid date: a change is a correction")
        return "; ".join(notes)

    def compose(self) -> ComposeResult:
        form = self.start.form
        blink = self.ot_app.blink
        with Vertical(id="form"):
            yield Static(self._title(), id="form-title")
            yield Static(self._note(), id="form-note", classes="note")
            with VerticalScroll(id="fields"):
                yield Checkbox("Hours-only entry (no start/end)", form.hours_only, id="hours_only", compact=True)
                for field, label, placeholder, kind in _INPUTS:
                    with Horizontal(classes=f"row {kind}".strip(), id=f"row-{field}"):
                        yield Label(label, classes="label")
                        box = Input(getattr(form, field), placeholder=placeholder, id=field, compact=True)
                        box.cursor_blink = blink
                        yield box
                    yield Static("", id=f"msg-{field}", classes=f"msg {kind}".strip())
                    if field == "breaks":
                        yield from self._selects(form)
                with Vertical(id="correction-box"):
                    yield Static("", id="correction-note", classes="note")
                    yield Checkbox("Correction authorized", form.correction_authorized, id="correction", compact=True)
                    yield Static("", id="msg-correction", classes="msg")
                    with Horizontal(classes="row"):
                        yield Label("Timeframe", classes="label")
                        yield Select(
                            [(t, t) for t in TIMEFRAMES],
                            value=form.timeframe,
                            allow_blank=False,
                            id="timeframe",
                            compact=True,
                        )
                    yield Static("", id="msg-timeframe", classes="msg")
                yield Static("", id="msg-general", classes="msg")
                yield Static("", id="preview", classes="note")
        yield OtFooter()

    def _selects(self, form: ShiftForm) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Pay type", classes="label")
            yield Select(
                [(t, t) for t in PAY_TYPES], value=form.pay_type, allow_blank=False, id="pay_type", compact=True
            )
        yield Static("", id="msg-pay_type", classes="msg")
        locations = list(self.start.locations)
        if form.location_id and form.location_id not in locations:
            locations.append(form.location_id)
        with Horizontal(classes="row"):
            yield Label("Location", classes="label")
            yield Select(
                [(loc, loc) for loc in locations],
                value=form.location_id or Select.NULL,
                allow_blank=not form.location_id,
                id="location_id",
                compact=True,
            )
        yield Static("", id="msg-location_id", classes="msg")
        with Horizontal(classes="row"):
            yield Label("Rest periods", classes="label")
            yield Select(
                [("not asked", ""), ("missed (premium owed)", "rest-missed"), ("taken", "rest-taken")],
                value=form.rest,
                allow_blank=False,
                id="rest",
                compact=True,
            )
        yield Static("", id="msg-rest", classes="msg")

    def _note_text(self, widget_id: str, text: str) -> None:
        box = self.query_one(f"#{widget_id}", Static)
        box.update(Content(text))
        box.display = bool(text)

    def on_mount(self) -> None:
        self._note_text("form-note", self._note())
        self._note_text("preview", "")
        self.set_class(self.start.form.hours_only, "-hours-only")
        self._show_correction(self.start.paid)
        self.query_one("#start" if not self.start.form.hours_only else "#hours", Input).focus()
        self.validate_form()

    # --- reading and showing ------------------------------------------------

    def read_form(self) -> ShiftForm:
        """The fields as they stand."""

        def text(field: str) -> str:
            return self.query_one(f"#{field}", Input).value

        def choice(field: str) -> str:
            value = self.query_one(f"#{field}", Select).value
            return value if isinstance(value, str) else ""

        return ShiftForm(
            hours_only=self.query_one("#hours_only", Checkbox).value,
            day=text("day"),
            start=text("start"),
            end=text("end"),
            hours=text("hours"),
            breaks=text("breaks"),
            pay_type=choice("pay_type"),
            rate=text("rate"),
            location_id=choice("location_id"),
            reason=text("reason"),
            correction_authorized=self.query_one("#correction", Checkbox).value,
            timeframe=choice("timeframe"),
            rest=choice("rest"),
        )

    def messages(self) -> dict[str, str]:
        """Field -> message as shown now."""
        out = {}
        for field in FIELDS:
            shown = str(self.query_one(f"#msg-{field}", Static).content)
            if shown:
                out[field] = shown
        return out

    def _show_messages(self, messages: dict[str, str] | FormCheck) -> None:
        found = messages.messages if isinstance(messages, FormCheck) else messages
        for field in FIELDS:
            box = self.query_one(f"#msg-{field}", Static)
            box.update(Content(found.get(field, "")))
            box.set_class(bool(found.get(field)), "-shown")

    def _show_correction(self, paid: bool) -> None:
        self.query_one("#correction-box").set_class(paid, "-shown")
        if paid:
            self.query_one("#correction-note", Static).update(
                "[b]This date is paid:[/b] saving records a correction (admins only). "
                "Tick the box, give a reason and choose how an underpayment is paid."
            )

    def _show_check(self, check: FormCheck) -> None:
        self._show_messages(check)
        self._show_correction(check.paid)
        lines = []
        if check.ok and check.description:
            lines.append(f"Will record: {check.description}")
        lines.extend(f"Will void the {v}" for v in check.voids)
        lines.extend(f"Will record an {c}" for c in check.corrections)
        self._note_text("preview", "\n".join(lines))

    def _first_bad(self, messages: dict[str, str]) -> None:
        ids = {"correction": "correction", "general": ""}
        for field in FIELDS:
            if field in messages and ids.get(field, field):
                target = self.query_one(f"#{ids.get(field, field)}", Widget)
                if target.display and target.parent is not None and target.parent.display:
                    target.focus()
                    return

    # --- validation ---------------------------------------------------------

    def validate_form(self) -> None:
        """Show what is wrong with each field now; ask the ledger when the fields read well."""
        form = self.read_form()
        messages = field_messages(form, self.before)
        self._show_messages(messages)
        self._note_text("preview", "")
        if not messages and not self.saving:  # a save's own check is under way: it answers
            self._check(form, saving=False)

    def _check(self, form: ShiftForm, saving: bool) -> None:
        app, start = self.ot_app, self.start
        path, user, now = app.ledger_path, app.user, app.now()

        def check() -> FormCheck | None:
            if not saving:
                time.sleep(DEBOUNCE_SECONDS)  # typing on cancels this check: one dry run per pause
                if get_current_worker().is_cancelled:
                    return None
            return check_form(path, start, form, actor=user, now=now)

        self.call_service(
            check,
            lambda checked: None if checked is None else self._checked(form, checked, saving),
            group="check",
            failed=self._failed,
            title="Shift not saved",
        )

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _changed(self, event: Message) -> None:
        if isinstance(event, Checkbox.Changed) and event.checkbox.id == "hours_only":
            self.set_class(event.value, "-hours-only")
        self.validate_form()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    def _checked(self, form: ShiftForm, check: FormCheck, saving: bool) -> None:
        if form != self.read_form():
            if saving:
                self.saving = False  # the user typed on while the save was checked: check anew
                self.validate_form()
            return  # the user typed on
        self.last_check = check
        self._show_check(check)
        if not saving:
            return
        if not check.ok:
            self.saving = False
            self.notify("Not saved: see the messages under the fields.", title="Shift", severity="warning")
            self._first_bad(dict(check.messages))
            return
        if check.voids:
            question = void_question(check.voids, self.start.shift_id is not None)

            def answered(yes: bool | None) -> None:
                if yes:
                    self._save(form)
                else:
                    self.saving = False

            self.app.push_screen(ConfirmVoid(question), answered)
            return
        self._save(form)

    def _failed(self, _text: str) -> None:
        self.saving = False

    # --- saving -------------------------------------------------------------

    def _save(self, form: ShiftForm) -> None:
        app, start = self.ot_app, self.start
        path, user, now = app.ledger_path, app.user, app.now()
        self.call_service(
            lambda: save_form(path, start, form, actor=user, now=now),
            self.dismiss,
            group="save",
            failed=self._failed,
            title="Shift not saved",
        )

    def action_save(self) -> None:
        """Check and record the shift (asks first when approvals are voided)."""
        if self.saving:
            return
        form = self.read_form()
        messages = field_messages(form, self.before)
        if messages:
            self._show_messages(messages)
            self.notify("Not saved: see the messages under the fields.", title="Shift", severity="warning")
            self._first_bad(messages)
            return
        self.saving = True
        self._check(form, saving=True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    def action_toggle_hours(self) -> None:
        """Switch between a worked shift (start/end) and an hours-only entry."""
        box = self.query_one("#hours_only", Checkbox)
        box.value = not box.value
        # The field focused may be one the switch hides: focus the first field of the mode switched to
        # (Hours, or Start), shown once the class is set, so what is typed next is not lost.
        self.set_class(box.value, "-hours-only")
        self.call_after_refresh(self.query_one("#hours" if box.value else "#start", Input).focus)
