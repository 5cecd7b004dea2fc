"""The worker filter dialog: location, manager, state, has exceptions, PIN override."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select

from ot.services.browse import WorkerFilter


def _value(select: Select[str]) -> str | None:
    value = select.value
    return value if isinstance(value, str) else None


class FilterScreen(ModalScreen[WorkerFilter | None]):
    """Narrow the worker list; returns the new filter, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close the filters", id="filters.cancel")
    ]

    def __init__(
        self, current: WorkerFilter, locations: tuple[str, ...], managers: tuple[str, ...], states: tuple[str, ...]
    ) -> None:
        super().__init__()
        self.current = current
        self.choices = (locations, managers, states)

    def compose(self) -> ComposeResult:
        locations, managers, states = self.choices
        c = self.current
        with Vertical(id="filters"):
            yield Label("Filter workers")
            yield Select(
                [(x, x) for x in locations], prompt="any location", value=c.location_id or Select.NULL, id="f-location"
            )
            yield Select(
                [(x, x) for x in managers], prompt="any manager", value=c.manager_id or Select.NULL, id="f-manager"
            )
            yield Select([(x, x) for x in states], prompt="any state", value=c.state or Select.NULL, id="f-state")
            yield Checkbox("has exceptions this week", c.has_exceptions, id="f-exceptions")
            yield Checkbox("PIN override only", c.pin_override, id="f-pin-override")
            with Horizontal(id="filter-buttons"):
                yield Button("Apply", variant="primary", id="f-apply")
                yield Button("Clear", id="f-clear")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "f-clear":
            self.dismiss(
                replace(
                    self.current,
                    location_id=None,
                    manager_id=None,
                    state=None,
                    has_exceptions=False,
                    pin_override=False,
                )
            )
            return
        self.dismiss(
            replace(
                self.current,
                location_id=_value(self.query_one("#f-location", Select)),
                manager_id=_value(self.query_one("#f-manager", Select)),
                state=_value(self.query_one("#f-state", Select)),
                has_exceptions=self.query_one("#f-exceptions", Checkbox).value,
                pin_override=self.query_one("#f-pin-override", Checkbox).value,
            )
        )

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)
