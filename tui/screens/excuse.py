"""Excuse a day from reporting-time pay: a modal over the timecards screen (``X``).

It holds no rule of its own: saving is ``ot schedule excuse``
(:func:`ot.services.schedules.excuse_reporting_time`, IWC Wage Order section 5(C), (D)), off the UI
thread. A refusal (the wrong role, a paid date without an authorized correction and a reason) is shown
in the dialog, word for word, and nothing is written. The modal returns the
:class:`~ot.services.schedules.Excused` (None when cancelled).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, Static

from ot.services.schedules import EXCUSE_CAUSES, Excused, excuse_reporting_time, excuse_words
from tui.screens.base import OtModalScreen
from tui.text import esc
from tui.widgets.footer import OtFooter

__all__ = ["ExcuseScreen"]


class ExcuseScreen(OtModalScreen[Excused | None]):
    """Record why one worker's day owes no reporting-time pay (or take an excuse back).

    Args:
        worker_id: Whose day.
        day: The date.
    """

    CSS_PATH = "excuse.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the excuse", id="excuse.save"),
        Binding("escape", "cancel", "Cancel", tooltip="Cancel the excuse", id="excuse.cancel"),
    ]

    def __init__(self, worker_id: str, day: date) -> None:
        super().__init__()
        self.worker_id = worker_id
        self.day = day

    def compose(self) -> ComposeResult:
        blink = self.ot_app.blink
        with Vertical(id="form"):
            yield Static(
                f"[b]Excuse {esc(self.worker_id)}'s {self.day.isoformat()}[/b] from reporting-time pay",
                id="form-title",
            )
            with Horizontal(classes="row"):
                yield Label("Cause", classes="label")
                yield Select(
                    [(c, c) for c in EXCUSE_CAUSES], value=EXCUSE_CAUSES[0], allow_blank=False, id="cause", compact=True
                )
            yield Static("", id="cause-note", classes="note")
            with Horizontal(classes="row"):
                yield Label("Note", classes="label")
                note = Input(placeholder="what happened (kept in the ledger)", id="note", compact=True)
                note.cursor_blink = blink
                yield note
            yield Checkbox("Correction authorized (a paid date)", False, id="correction", compact=True)
            with Horizontal(classes="row"):
                yield Label("Reason", classes="label")
                reason = Input(placeholder="why (needed for a correction)", id="reason", compact=True)
                reason.cursor_blink = blink
                yield reason
            yield Static("", id="msg", classes="msg")
        yield OtFooter()

    def on_mount(self) -> None:
        self._show_cause(EXCUSE_CAUSES[0])
        self.query_one("#cause", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._show_cause(event.value if isinstance(event.value, str) else "")

    def _show_cause(self, cause: str) -> None:
        self.query_one("#cause-note", Static).update(Content(excuse_words(cause)))

    def action_save(self) -> None:
        """Record the excuse (a dry run first would say the same: the service checks everything)."""
        app = self.ot_app
        path, user, now = app.ledger_path, app.user, app.now()
        cause = self.query_one("#cause", Select).value
        note = self.query_one("#note", Input).value
        reason = self.query_one("#reason", Input).value
        authorized = self.query_one("#correction", Checkbox).value
        wid, day = self.worker_id, self.day
        self.call_service(
            lambda: excuse_reporting_time(
                path,
                wid,
                day,
                cause if isinstance(cause, str) else "",
                note=note,
                actor=user,
                now=now,
                correction_authorized=authorized,
                correction_reason=reason or None,
            ),
            self.dismiss,
            group="save",
            failed=self._refused,
            notify=False,
        )

    def _refused(self, text: str) -> None:
        self.query_one("#msg", Static).update(Content(text))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
