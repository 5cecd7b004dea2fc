"""The welcome screen of an empty ledger: load the demo company, or import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ot.errors import OtError
from ot.services.browse import ledger_head
from ot.services.imports import load_demo
from tui.text import esc

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


class WelcomeScreen(Screen[None]):
    """What an empty ledger opens on."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("d", "load_demo", "Load demo")]
    COMMANDS_HELP = (("Load the demo company", "Fill the empty ledger with the demo company", "load_demo"),)

    @dataclass
    class DemoLoaded(Message):
        """The demo company is in the ledger.

        Attributes:
            message: What ``ot demo`` prints about it.
        """

        message: str

    @dataclass
    class DemoFailed(Message):
        """Loading the demo failed; ``text`` says why."""

        text: str

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="welcome"):
            yield Static(WELCOME.format(path=esc(str(self.app.ledger_path))), id="welcome-text")  # type: ignore[attr-defined]
            yield Static("", id="welcome-status")
        yield Footer(compact=True)

    @dataclass
    class Filled(Message):
        """Another process wrote to the ledger (an `ot import`, an `ot demo`)."""

    def on_mount(self) -> None:
        self.set_interval(self.app.poll_seconds, self.check_ledger)  # type: ignore[attr-defined]

    def check_ledger(self) -> None:
        """Look (in a worker) whether another process filled the ledger."""
        self._read_head()

    @work(thread=True, exclusive=True, group="poll")
    def _read_head(self) -> None:
        try:
            head = ledger_head(self.app.ledger_path)  # type: ignore[attr-defined]
        except OtError:
            return  # being written: look again at the next tick
        if head:
            self.post_message(self.Filled())

    @on(Filled)
    def _filled(self) -> None:
        if self.app.screen is self:
            self.app.switch_mode("timecards")

    def action_load_demo(self) -> None:
        """Load the demo company in a worker thread."""
        self.query_one("#welcome-status", Static).update("Loading the demo company...")
        self._load()

    @work(thread=True, exclusive=True, group="demo")
    def _load(self) -> None:
        app = self.app
        try:
            result = load_demo(app.ledger_path, actor=app.user, now=app.now())  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.DemoFailed(error.render()))
            return
        self.post_message(self.DemoLoaded(result.message))

    @on(DemoLoaded)
    def _loaded(self, message: DemoLoaded) -> None:
        self.notify(message.message.splitlines()[0], title="Demo loaded")
        self.app.switch_mode("timecards")

    @on(DemoFailed)
    def _failed(self, message: DemoFailed) -> None:
        self.query_one("#welcome-status", Static).update(f"Could not load the demo:\n{esc(message.text)}")
