"""The Period setup screen: the pay calendar, and configuring it (``ot period show`` and ``configure``).

The header says how pay periods run (or that the default applies and what to
do), every configuration of the schedule and the last paid date; the table
lists the pay periods from the one holding today, the current one marked
([ and ] page through them). c opens the configure form (frequency, anchor,
pay-date offset, effective date); ctrl+s there records it through
:func:`ot.services.periods_view.configure_from_form`, which checks every
field and who acts (an admin): a refusal is shown in the form, nothing written.
Everything runs in worker threads (:meth:`OtScreen.call_service`); the calendar is
read again when the ledger changes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from ot.core.periods import FREQUENCIES
from ot.services.periods import Configured
from ot.services.periods_view import PeriodSetup, config_text, configure_from_form, period_setup
from tui.screens.base import OtModalScreen, OtScreen, Stamp
from tui.widgets.footer import OtFooter

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


class ConfigureScreen(OtModalScreen[Configured | None]):
    """The configure form: ctrl+s records, escape cancels; a refusal stays in the form."""

    CSS_PATH = "periods.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the pay period configuration", id="periods.configure_save"),
        Binding("escape", "cancel", "Cancel", tooltip="Cancel the configure form", id="periods.configure_cancel"),
    ]

    def __init__(self, setup: PeriodSetup) -> None:
        super().__init__()
        self.setup = setup
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
        blink = self.ot_app.blink
        for field in self.query(Input):
            field.cursor_blink = blink
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
        anchor, offset, effective = self._value("anchor"), self._value("offset"), self._value("effective")
        app = self.ot_app
        path, user, now = app.ledger_path, app.user, app.now()
        self.call_service(
            lambda: configure_from_form(
                path,
                frequency=frequency,
                anchor=anchor,
                pay_date_offset=offset,
                effective=effective,
                actor=user,
                now=now,
            ),
            self._saved,
            group="periods-write",
            failed=self._refused,
            notify=False,
        )

    def _saved(self, result: Configured) -> None:
        self.saving = False
        self.dismiss(result)

    def _refused(self, text: str) -> None:
        """Every problem (each field named) stays in the form; nothing was written."""
        self.saving = False
        box = self.query_one("#configure-message", Static)
        box.update(text)
        box.add_class("-error")

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class PeriodsScreen(OtScreen):
    """The pay calendar: its configuration and periods; c configures it."""

    CSS_PATH = "periods.tcss"
    TITLE_TEXT = "Pay periods"
    DESCRIPTION = "The pay calendar: how pay periods run, each period and its pay date; configure it (an admin)"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "configure", "Configure", tooltip="Configure the pay periods", id="periods.configure"),
        Binding(
            "left_square_bracket",
            "page(-1)",
            "Earlier",
            key_display="[",
            tooltip="Earlier pay periods",
            id="periods.earlier",
        ),
        Binding(
            "right_square_bracket",
            "page(1)",
            "Later",
            key_display="]",
            tooltip="Later pay periods",
            id="periods.later",
        ),
        Binding("ctrl+r", "reload", "Refresh", tooltip="Refresh the pay calendar", id="periods.reload"),
    ]
    ERROR_TITLE = "Pay periods"

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.setup: PeriodSetup | None = None
        self.request = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the pay calendar...", id="periods-head", markup=False)
        yield DataTable(id="periods-table", cursor_type="row", zebra_stripes=True)
        yield OtFooter()

    def on_mount(self) -> None:
        self.query_one("#periods-table", DataTable).add_columns("", "Start", "End", "Pay date", "Days")
        self.day = self.ot_app.today()
        self.action_reload()

    def ledger_moved(self, stamp: Stamp) -> None:
        """The ledger changed (a calendar configured, a run paid): read the pay calendar again."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the pay calendar again."""
        if self.day is None:
            return
        self.request += 1
        path, day, request = self.ot_app.ledger_path, self.day, self.request
        self.call_service(
            lambda: period_setup(path, day, PAGE),
            lambda setup: self._loaded(setup, request),
            group="periods-read",
        )

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

    def _loaded(self, setup: PeriodSetup, request: int) -> None:
        if request != self.request:
            return  # a newer read is on its way
        self.setup = setup
        today = self.ot_app.today()
        self.query_one("#periods-head", Static).update(head_text(setup))
        table = self.query_one("#periods-table", DataTable)
        table.clear()
        for p in setup.listing.periods:
            mark = "today" if today in p else ("paid" if setup.last_paid and p.end <= setup.last_paid else "")
            table.add_row(mark, str(p.start), str(p.end), str(p.pay_date), str(p.days))
        table.focus()

    def action_configure(self) -> None:
        """Open the configure form."""
        if self.setup is None:
            return

        def closed(result: Configured | None) -> None:
            if result is None:
                return
            self.notify("Pay periods configured." if result.added else "Already configured exactly so: nothing added.")
            self.action_reload()

        self.app.push_screen(ConfigureScreen(self.setup), closed)
