"""Screens not built yet: one line saying what each will hold (never fake data)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

#: mode -> (screen name, what it will hold).
PLACEHOLDERS: dict[str, tuple[str, str]] = {}


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
