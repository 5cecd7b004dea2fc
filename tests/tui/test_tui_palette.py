"""The command palette is built from the bindings themselves (tui/commands.py): every key of
every screen is there, an action the screen refuses right now is not, and typing a word
finds it (ctrl+p then "export" on the stubs screen)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.actions import parse
from textual.command import Command, CommandList, CommandPalette
from tui_helpers import palette, settle

from tui.app import SCREENS, OtApp
from tui.commands import bindings_of
from tui.screens.approvals import ApprovalsScreen
from tui.screens.base import OtScreen
from tui.screens.welcome import WelcomeScreen
from tui.widgets.approval_dialogs import ConfirmScreen

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]


def test_every_binding_has_an_id_and_a_palette_title() -> None:
    """Each binding of the app and of every screen has a unique id (what the keymap of the
    user's config names) and a title for the palette (its tooltip or description)."""
    ids: list[str] = []
    for cls in (OtApp, WelcomeScreen, *(s.screen for s in SCREENS)):
        for binding in bindings_of(cls):
            assert binding.id, f"{cls.__name__}: {binding.key} -> {binding.action} has no id"
            assert binding.tooltip or binding.description, binding.id
            ids.append(binding.id)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for spec in SCREENS:
        assert issubclass(spec.screen, OtScreen)
        assert spec.screen.DESCRIPTION, spec.mode


async def test_every_binding_of_every_screen_is_in_the_palette(demo_ledger: Path, make_app: MakeApp) -> None:
    """On every screen, each binding of the screen and of the app is a palette command that
    runs its action, unless the screen refuses that action right now (check_action False),
    which the footer does not show either; the app's commands open every screen."""
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for spec in SCREENS:
            await pilot.press(spec.key)
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, spec.screen)
            commands = palette(screen)
            by_action = {(c.node, c.action) for c in commands.values()}
            for node in (screen, app):
                for binding in bindings_of(node):
                    _, name, params = parse(binding.action)
                    if node.check_action(name, params) is False:
                        assert (node, binding.action) not in by_action
                        continue
                    assert (node, binding.action) in by_action, f"{spec.mode}: {binding.action} not in the palette"
            for other in SCREENS:
                command = commands[f"Go to {other.title}"]
                assert other.screen.DESCRIPTION in command.help


async def test_the_palette_offers_w_only_where_it_works(demo_paid_ledger: Path, make_app: MakeApp) -> None:
    """Approvals' w (approve a worker's week) is a step-1 action: in step 2 neither the footer
    nor the palette offers it, and pressing w does nothing (no dialog, no refusal)."""
    app = make_app(demo_paid_ledger, "A1")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ApprovalsScreen)
        assert "Approve week" in palette(screen)
        assert "approve_week" in {b.binding.action for b in screen.active_bindings.values()}
        await pilot.press("2")
        await settle(app, pilot)
        assert "Approve week" not in palette(screen)
        assert "Timecards (step 2)" in palette(screen)
        footer = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert "approve_week" not in footer
        before = len(app._notifications)
        await pilot.press("w")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert len(app._notifications) == before


async def test_ctrl_p_finds_export_on_the_stubs_screen(demo_ledger: Path, make_app: MakeApp) -> None:
    """ctrl+p then "export" lists the stubs screen's export commands (the palette used to
    answer "No matches found")."""
    app = make_app(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"export")
        found: list[str] = []
        for _ in range(50):
            await pilot.pause(0.05)
            found = [str(o.hit.text) for o in app.screen.query_one(CommandList)._options if isinstance(o, Command)]
            if "Export all workers' stubs" in found:
                break
        assert {"Export stub to HTML", "Export stub to PDF", "Export all workers' stubs"} <= set(found), found
        await pilot.press("escape")
