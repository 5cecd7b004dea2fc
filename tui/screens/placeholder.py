"""Screens not built yet: one line saying what each will hold (never fake data)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

#: mode -> (screen name, what it will hold).
PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "approvals": (
        "Approvals",
        "the queue of shifts and timecards waiting for your approval, with totals and exceptions",
    ),
    "sync": ("Sync report", "each workweek's hours sync state per worker and shift: Sent, Send or Error"),
    "rules": ("Rules", "the rules file in an editor with inline errors and a what-if view of gross pay"),
    "stubs": ("Pay stubs", "pay stub previews of a worker and period, exported to HTML or PDF"),
}


class PlaceholderScreen(Screen[None]):
    """A screen coming in a later release."""

    def __init__(self, what: str, holds: str) -> None:
        super().__init__()
        self.what = what
        self.holds = holds

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            f"{self.what}: coming in a later release. It will hold {self.holds}.",
            classes="placeholder",
        )
        yield Footer(compact=True)
