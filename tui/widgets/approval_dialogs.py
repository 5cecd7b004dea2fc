"""The Approvals screen's dialogs: a confirmation before anything is approved, and the
reason asked before an approval is voided (an empty reason is refused in place)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

#: The Approvals screen's stylesheet (the same path string, so Textual reads it once).
STYLES = str(Path(__file__).resolve().parent.parent / "screens" / "approvals.tcss")


class ConfirmScreen(ModalScreen[bool]):
    """Ask before writing: y (or the button) confirms, n or escape cancels.

    Args:
        title: What is asked, e.g. ``Approve 5 shifts?``.
        body: The items, one a line.
        confirm: The label of the confirming button.
    """

    CSS_PATH = STYLES
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", tooltip="Yes, do it", id="confirm.yes"),
        Binding("n", "answer(False)", "No", tooltip="No, leave it", id="confirm.no"),
        Binding("escape", "answer(False)", "Cancel", tooltip="Cancel", id="confirm.cancel"),
    ]

    def __init__(self, title: str, body: str, confirm: str = "Approve") -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="approval-dialog"):
            yield Label(self.title_text, id="confirm-title", classes="dialog-title", markup=False)
            yield Static(self.body, id="confirm-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm} (y)", variant="primary", id="confirm-yes")
                yield Button("Cancel (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


class ReasonScreen(ModalScreen[str | None]):
    """Ask why an approval is voided: enter submits (never an empty reason), escape cancels.

    Args:
        title: What will be voided, e.g. ``Unapprove S723 (W01 Mon 10-26)``.
        blink: Whether the input's cursor blinks (off for snapshots).
    """

    CSS_PATH = STYLES
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Cancel without a reason", id="reason.cancel")
    ]

    def __init__(self, title: str, *, blink: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.blink = blink

    def compose(self) -> ComposeResult:
        with Vertical(id="reason", classes="approval-dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Input(placeholder="why (recorded with the void), then enter", id="reason-input")
            yield Static("", id="reason-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Unapprove (enter)", variant="error", id="reason-ok")
                yield Button("Cancel (esc)", id="reason-cancel")

    def on_mount(self) -> None:
        field = self.query_one("#reason-input", Input)
        field.cursor_blink = self.blink
        field.focus()

    def _submit(self) -> None:
        reason = self.query_one("#reason-input", Input).value.strip()
        if not reason:
            self.query_one("#reason-error", Static).update("A reason is required: say why, e.g. wrong out time.")
            self.query_one("#reason-input", Input).focus()
            return
        self.dismiss(reason)

    @on(Input.Submitted, "#reason-input")
    def _submitted(self) -> None:
        self._submit()

    @on(Input.Changed, "#reason-input")
    def _typed(self) -> None:
        self.query_one("#reason-error", Static).update("")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "reason-ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without voiding anything."""
        self.dismiss(None)
