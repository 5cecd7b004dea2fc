"""The welcome screen of an empty ledger: load the demo company, or import."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.widgets import Header, Static

from ot.services.imports import DemoResult, load_demo
from tui.screens.base import OtScreen, Stamp
from tui.text import esc
from tui.widgets.footer import OtFooter

WELCOME = """\
[b]Welcome to ot[/b]: timeclock punches to accurate gross wages.

This ledger is empty:
  [b]{path}[/b]

Press [b]d[/b] to load the demo company: 7 locations (CA, NV, CO, AK,
KY, TX, NY), 40 people and four workweeks of punches, 2026-10-18
to 2026-11-14, with overtime, a DST night and missing punches.

Or quit ([b]q[/b]) and import your own:
  ot import locations FILE
  ot import workers FILE
  ot import punches FILE"""


class WelcomeScreen(OtScreen):
    """What an empty ledger opens on."""

    TITLE_TEXT = "Welcome"
    DESCRIPTION = "An empty ledger: load the demo company, or import your own"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "load_demo", "Load demo", tooltip="Load the demo company", id="welcome.load_demo"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="welcome"):
            yield Static(WELCOME.format(path=esc(str(self.ot_app.ledger_path))), id="welcome-text")
            yield Static("", id="welcome-status")
        yield OtFooter()

    def ledger_moved(self, stamp: Stamp) -> None:
        """Another process filled the ledger (an `ot import`, an `ot demo`): on to the timecards."""
        if stamp[0] and self.is_current:
            self.app.switch_mode("timecards")

    def action_load_demo(self) -> None:
        """Fill the empty ledger with the demo company (in a worker thread)."""
        self.query_one("#welcome-status", Static).update("Loading the demo company...")
        app = self.ot_app
        self.call_service(
            lambda: load_demo(app.ledger_path, actor=app.user, now=app.now()),
            self._loaded,
            group="demo",
            failed=self._failed,
        )

    def _loaded(self, result: DemoResult) -> None:
        self.notify(result.message.splitlines()[0], title="Demo loaded")
        self.app.switch_mode("timecards")

    def _failed(self, text: str) -> None:
        self.query_one("#welcome-status", Static).update(f"Could not load the demo:\n{esc(text)}")
