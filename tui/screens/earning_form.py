"""The add-earning form: a modal over the timecards screen (``B``).

It holds no rule of its own: each change asks :func:`ot.services.earning_form.check_earning_form`
in a worker thread (a dry run of ``ot earning add``), whose per-field messages appear under the
fields; a result for fields no longer on screen is dropped. Saving checks once more, then records
through :func:`~ot.services.earning_form.save_earning_form`, off the UI thread. An earning dated in
a paid workweek is a correction: the form shows the box and the reason it needs. The modal returns
the :class:`~ot.services.earnings.EarningResult` (None when cancelled).
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

from ot.services.earning_form import (
    EARNING_FIELDS,
    EARNING_KINDS,
    PERIOD_KINDS,
    EarningCheck,
    EarningForm,
    EarningStart,
    check_earning_form,
    kind_note,
    save_earning_form,
)
from ot.services.earnings import EarningResult
from tui.screens.base import OtModalScreen
from tui.text import esc
from tui.widgets.footer import OtFooter

__all__ = ["EarningFormScreen"]

#: How long a check waits for the next keystroke before asking the ledger (in its worker thread).
DEBOUNCE_SECONDS = 0.15

#: The text inputs: (field, label, placeholder, class of the row).
_INPUTS: tuple[tuple[str, str, str, str], ...] = (
    ("day", "Date", "YYYY-MM-DD: the date it belongs to", ""),
    ("amount", "Amount $", "to the cent (or quantity and unit rate)", ""),
    ("quantity", "Quantity", "pieces or units (optional)", ""),
    ("unit_rate", "Unit rate $", "dollars per piece or unit (optional)", ""),
    ("earned_from", "Earned from", "YYYY-MM-DD: first date of the period", "period"),
    ("earned_to", "Earned to", "YYYY-MM-DD: last date of the period", "period"),
    ("note", "Note", "kept with it (optional)", ""),
)


class EarningFormScreen(OtModalScreen[EarningResult | None]):
    """Record an earning besides hours (a bonus, a commission, piece pay...); validates as you type.

    Args:
        start: What the form opens with (:func:`ot.services.earning_form.start_earning`).
    """

    CSS_PATH = "earning_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save earning", id="earning_form.save"),
        Binding("escape", "cancel", "Cancel", tooltip="Cancel earning form", id="earning_form.cancel"),
    ]

    def __init__(self, start: EarningStart) -> None:
        super().__init__()
        self.start = start
        self.last_check: EarningCheck | None = None
        self.saving = False

    def compose(self) -> ComposeResult:
        form = self.start.form
        blink = self.ot_app.blink
        with Vertical(id="form"):
            yield Static(
                f"[b]Add an earning[/b] for {esc(self.start.worker_id)} {esc(self.start.worker_name)}",
                id="form-title",
            )
            with VerticalScroll(id="fields"):
                with Horizontal(classes="row"):
                    yield Label("Kind", classes="label")
                    yield Select(
                        [(k, k) for k in EARNING_KINDS], value=form.kind, allow_blank=False, id="kind", compact=True
                    )
                yield Static("", id="kind-note", classes="note")
                yield Static("", id="msg-kind", classes="msg")
                for field, label, placeholder, kind in _INPUTS:
                    with Horizontal(classes=f"row {kind}".strip(), id=f"row-{field}"):
                        yield Label(label, classes="label")
                        box = Input(getattr(form, field), placeholder=placeholder, id=field, compact=True)
                        box.cursor_blink = blink
                        yield box
                    yield Static("", id=f"msg-{field}", classes=f"msg {kind}".strip())
                with Vertical(id="correction-box"):
                    yield Static("", id="correction-note", classes="note")
                    yield Checkbox("Correction authorized", form.correction_authorized, id="correction", compact=True)
                    yield Static("", id="msg-correction", classes="msg")
                    with Horizontal(classes="row"):
                        yield Label("Reason", classes="label")
                        reason = Input(
                            form.reason, placeholder="why (needed for a correction)", id="reason", compact=True
                        )
                        reason.cursor_blink = blink
                        yield reason
                    yield Static("", id="msg-reason", classes="msg")
                yield Static("", id="msg-general", classes="msg")
                yield Static("", id="preview", classes="note")
        yield OtFooter()

    def on_mount(self) -> None:
        self._show_kind(self.start.form.kind)
        self._show_correction(False)
        self.query_one("#amount", Input).focus()
        self.validate_form()

    # --- reading and showing ------------------------------------------------

    def read_form(self) -> EarningForm:
        """The fields as they stand."""

        def text(field: str) -> str:
            return self.query_one(f"#{field}", Input).value

        kind = self.query_one("#kind", Select).value
        return EarningForm(
            worker_id=self.start.worker_id,
            day=text("day"),
            kind=kind if isinstance(kind, str) else "",
            amount=text("amount"),
            quantity=text("quantity"),
            unit_rate=text("unit_rate"),
            earned_from=text("earned_from"),
            earned_to=text("earned_to"),
            note=text("note"),
            reason=text("reason"),
            correction_authorized=self.query_one("#correction", Checkbox).value,
        )

    def messages(self) -> dict[str, str]:
        """Field -> message as shown now."""
        out = {}
        for field in EARNING_FIELDS:
            shown = str(self.query_one(f"#msg-{field}", Static).content)
            if shown:
                out[field] = shown
        return out

    def _show_messages(self, found: dict[str, str]) -> None:
        for field in EARNING_FIELDS:
            box = self.query_one(f"#msg-{field}", Static)
            box.update(Content(found.get(field, "")))
            box.set_class(bool(found.get(field)), "-shown")

    def _show_kind(self, kind: str) -> None:
        self.set_class(kind in PERIOD_KINDS, "-period")
        self.query_one("#kind-note", Static).update(Content(kind_note(kind)))

    def _show_correction(self, paid: bool) -> None:
        self.query_one("#correction-box").set_class(paid, "-shown")
        if paid:
            self.query_one("#correction-note", Static).update(
                "[b]This date is in a paid week:[/b] saving records a correction (admins only). "
                "Tick the box and say why."
            )

    def _show_check(self, check: EarningCheck) -> None:
        self._show_messages(dict(check.messages))
        self._show_correction(check.paid or self.query_one("#correction", Checkbox).value)
        lines = [f"Will record: {check.description}"] if check.ok else []
        lines.extend(f"Will record an {c}" for c in check.corrections)
        preview = self.query_one("#preview", Static)
        preview.update(Content("\n".join(lines)))

    def _first_bad(self, messages: dict[str, str]) -> None:
        for field in EARNING_FIELDS:
            if field in messages and field != "general":
                target = self.query_one(f"#{field}", Widget)
                if target.display and target.parent is not None and target.parent.display:
                    target.focus()
                    return

    # --- validation ---------------------------------------------------------

    def validate_form(self) -> None:
        """Ask the ledger what is wrong with the fields now (a dry run, after a pause in typing)."""
        if not self.saving:  # a save's own check is under way: it answers
            self._check(self.read_form(), saving=False)

    def _check(self, form: EarningForm, saving: bool) -> None:
        app = self.ot_app
        path, user, now = app.ledger_path, app.user, app.now()

        def check() -> EarningCheck | None:
            if not saving:
                time.sleep(DEBOUNCE_SECONDS)  # typing on cancels this check: one dry run per pause
                if get_current_worker().is_cancelled:
                    return None
            return check_earning_form(path, form, actor=user, now=now)

        self.call_service(
            check,
            lambda checked: None if checked is None else self._checked(form, checked, saving),
            group="check",
            failed=self._failed,
            title="Earning not saved",
        )

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _changed(self, event: Message) -> None:
        if isinstance(event, Select.Changed) and event.select.id == "kind":
            self._show_kind(event.value if isinstance(event.value, str) else "")
        self.validate_form()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    def _checked(self, form: EarningForm, check: EarningCheck, saving: bool) -> None:
        if form != self.read_form():
            if saving:
                self.saving = False  # the user typed on while the save was checked: check anew
                self.validate_form()
            return
        self.last_check = check
        self._show_check(check)
        if not saving:
            return
        if not check.ok:
            self.saving = False
            self.notify("Not saved: see the messages under the fields.", title="Earning", severity="warning")
            self._first_bad(dict(check.messages))
            return
        self._save(form)

    def _failed(self, _text: str) -> None:
        self.saving = False

    # --- saving -------------------------------------------------------------

    def _save(self, form: EarningForm) -> None:
        app = self.ot_app
        path, user, now = app.ledger_path, app.user, app.now()
        self.call_service(
            lambda: save_earning_form(path, form, actor=user, now=now),
            self.dismiss,
            group="save",
            failed=self._failed,
            title="Earning not saved",
        )

    def action_save(self) -> None:
        """Check and record the earning."""
        if self.saving:
            return
        self.saving = True
        self._check(self.read_form(), saving=True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
