"""Helpers of the terminal UI tests: the frozen clock, waiting for the app to settle,
and SVG screenshots with stable ids (style.md: our own ~20 lines, not pytest-textual-snapshot)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from syrupy.extensions.image import SVGImageSnapshotExtension
from textual.pilot import Pilot
from textual.screen import Screen

from tui.app import OtApp
from tui.commands import PaletteCommand, palette_commands

#: The frozen clock of every UI test: Thursday of the demo's third workweek.
NOW = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)


async def settle(app: OtApp, pilot: Pilot[None]) -> None:
    """Wait until no worker runs and every message they posted is handled (never sleeps)."""
    for _ in range(20):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if all(w.is_finished for w in app.workers):
            await pilot.pause()
            if all(w.is_finished for w in app.workers):
                return
    raise AssertionError("the app did not settle")


class SVGSnapshot(SVGImageSnapshotExtension):
    """SVG screenshots, stored as ``.svg`` files beside the tests."""


async def screenshot(app: OtApp, pilot: Pilot[None]) -> str:
    """The settled screen as SVG, with Rich's random ids made stable.

    Widgets such as DataTable size their columns on a later idle pass, which a
    loaded machine reaches late: the screen counts as settled only when two
    screenshots a pause apart are the same (never a sleep of fixed length).
    """
    await settle(app, pilot)
    svg = _stable(app.export_screenshot(title="ot"))
    for _ in range(20):
        await pilot.pause()
        again = _stable(app.export_screenshot(title="ot"))
        if again == svg:
            return svg
        svg = again
        await settle(app, pilot)
    raise AssertionError("the screen kept changing")


def _stable(svg: str) -> str:
    return re.sub(r"\bterminal-\d+-([\w-]+)", r"terminal-\1", svg)


def palette(screen: Screen[Any]) -> dict[str, PaletteCommand]:
    """The command palette's commands on ``screen`` (the app's and the screen's bindings), by title."""
    return {c.title: c for c in palette_commands(screen)}


async def run_command(command: PaletteCommand) -> None:
    """Run a palette command as choosing it in the palette does."""
    await command.node.run_action(command.action)
