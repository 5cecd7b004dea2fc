"""The Period setup screen: the pay calendar, and configuring it (``ot period show`` and ``configure``).

The header says how pay periods run (or that the default applies and what to
do), every configuration of the schedule and the last paid date; the table
lists the pay periods from the one holding today, the current one marked
([ and ] page through them). c opens the configure form (frequency, anchor,
pay-date offset, effective date); ctrl+s there records it through
:func:`ot.services.periods_view.configure_from_form`, which checks every
field and who acts (an admin): a refusal is shown in the form, nothing written.
Everything runs in worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static

from ot.errors import OtError
from ot.periods import FREQUENCIES
from ot.services.periods import Configured
from ot.services.periods_view import PeriodSetup, config_text, configure_from_form, period_setup

#: Periods listed per page.
PAGE = 12


def head_text(setup: PeriodSetup) -> str:
    """How pay periods run on the date shown, each configuration, the last paid date."""
    listing = setup.listing
    lines = [f"Pay periods: {config_text(listing.config)}"]
    if listing.hint:
        lines.append(f"Note: {listing.hint}")
    if len(setup.configs) > 1:
        lines.append("Schedule: " + "; then ".join(config_text(c) for c in setup.configs))
    paid = f"dates are paid through {setup.last_paid}" if setup.last_paid else "no date is paid yet"
    lines.append(f"{paid} · c configures (an admin; a new calendar starts after the paid dates)")
    return "\n".join(lines)


class ConfigureScreen(ModalScreen[Configured | None]):
    """The configure form: ctrl+s records, escape cancels; a refusal stays in the form."""

    CSS_PATH = "periods.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    @dataclass
    class Done(Message):
        result: Configured | None
        error: str | None

    def __init__(self, setup: PeriodSetup, *, blink: bool = True) -> None:
        super().__init__()
        self.setup = setup
        self.blink = blink
        self.saving = False

    def compose(self) -> ComposeResult:
        config = self.setup.listing.config
        with Vertical(id="configure"):
            yield Label("Configure the pay periods", id="configure-title")
            with Horizontal(classes="configure-row"):
                yield Label("Frequency", classes="configure-label")
                yield Select(
                    [(f, f) for f in FREQUENCIES],
                    value=config.frequency,
                    allow_blank=False,
                    id="configure-frequency",
                    compact=True,
                )
            for field, label, value, hint in (
                ("anchor", "Anchor", config.anchor.isoformat(), "first day of some period"),
                ("offset", "Pay offset", str(config.pay_date_offset), "days after a period's end"),
                ("effective", "Effective", "", "blank: replaces every period"),
            ):
                with Horizontal(classes="configure-row"):
                    yield Label(label, classes="configure-label")
                    yield Input(value, placeholder=hint, id=f"configure-{field}", compact=True)
            yield Static("ctrl+s saves · escape cancels", id="configure-message", markup=False)

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.blink
        self.query_one("#configure-anchor", Input).focus()

    def _value(self, field: str) -> str:
        return self.query_one(f"#configure-{field}", Input).value

    def action_save(self) -> None:
        """Record the configuration (off the UI thread)."""
        if self.saving:
            return
        self.saving = True
        self.query_one("#configure-message", Static).update("Saving...")
        frequency = str(self.query_one("#configure-frequency", Select).value)
        self._save(frequency, self._value("anchor"), self._value("offset"), self._value("effective"))

    @work(thread=True, exclusive=True, group="periods-write")
    def _save(self, frequency: str, anchor: str, offset: str, effective: str) -> None:
        app = self.app
        try:
            result = configure_from_form(
                app.ledger_path,  # type: ignore[attr-defined]
                frequency=frequency,
                anchor=anchor,
                pay_date_offset=offset,
                effective=effective,
                actor=app.user,  # type: ignore[attr-defined]
                now=app.now(),  # type: ignore[attr-defined]
            )
        except OtError as error:
            self.post_message(self.Done(None, error.render()))
            return
        self.post_message(self.Done(result, None))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.saving = False
        if message.error is not None:
            box = self.query_one("#configure-message", Static)
            box.update(message.error)
            box.add_class("-error")
            return
        self.dismiss(message.result)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class PeriodsScreen(Screen[None]):
    """The pay calendar: its configuration and periods; c configures it."""

    CSS_PATH = "periods.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "configure", "Configure"),
        Binding("left_square_bracket", "page(-1)", "Earlier", key_display="["),
        Binding("right_square_bracket", "page(1)", "Later", key_display="]"),
        Binding("ctrl+r", "reload", "Refresh"),
    ]
    COMMANDS_HELP = (
        ("Periods: configure", "Record how pay periods run (an admin)", "configure"),
        ("Periods: earlier", "List earlier pay periods", "page(-1)"),
        ("Periods: later", "List later pay periods", "page(1)"),
        ("Periods: refresh", "Read the pay calendar again", "reload"),
    )

    @dataclass
    class Loaded(Message):
        setup: PeriodSetup
        request: int

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.setup: PeriodSetup | None = None
        self.request = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the pay calendar...", id="periods-head", markup=False)
        yield DataTable(id="periods-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#periods-table", DataTable).add_columns("", "Start", "End", "Pay date", "Days")
        self.day = self.app.today()  # type: ignore[attr-defined]
        self.action_reload()

    def action_reload(self) -> None:
        """Read the pay calendar again."""
        if self.day is not None:
            self.request += 1
            self._load(self.day, self.request)

    @work(thread=True, exclusive=True, group="periods-read")
    def _load(self, day: date, request: int) -> None:
        try:
            setup = period_setup(self.app.ledger_path, day, PAGE)  # type: ignore[attr-defined]
        except OtError as error:
            self.post_message(self.Failed(error.render()))
            return
        self.post_message(self.Loaded(setup, request))

    def action_page(self, step: int) -> None:
        """List the pay periods a page earlier or later."""
        if self.setup is None or not self.setup.listing.periods:
            return
        periods = self.setup.listing.periods
        if step > 0:
            self.day = periods[-1].end + timedelta(days=1)
        else:
            first = periods[0].start
            self.day = first - timedelta(days=periods[0].days * PAGE)
        self.action_reload()

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.request != self.request:
            return
        setup = self.setup = message.setup
        today = self.app.today()  # type: ignore[attr-defined]
        self.query_one("#periods-head", Static).update(head_text(setup))
        table = self.query_one("#periods-table", DataTable)
        table.clear()
        for p in setup.listing.periods:
            mark = "today" if today in p else ("paid" if setup.last_paid and p.end <= setup.last_paid else "")
            table.add_row(mark, str(p.start), str(p.end), str(p.pay_date), str(p.days))
        table.focus()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, title="Pay periods", severity="error", timeout=12)

    def action_configure(self) -> None:
        """Open the configure form."""
        if self.setup is None:
            return

        def closed(result: Configured | None) -> None:
            if result is None:
                return
            self.notify("Pay periods configured." if result.added else "Already configured exactly so: nothing added.")
            self.action_reload()

        self.app.push_screen(ConfigureScreen(self.setup, blink=self.app.blink), closed)  # type: ignore[attr-defined]
