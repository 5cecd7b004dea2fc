"""The command palette's commands, read from the bindings themselves.

Every binding of the app (``OtApp.BINDINGS``) and of the active screen (its class's
``BINDINGS`` up to Textual's own classes) is a command: its title is the binding's
tooltip (else its description), its help the key and the first line of the action's
docstring. Nothing is listed by hand, so a key can never be missing from the palette.
An action the screen's ``check_action`` refuses right now is left out, as the footer leaves
it out. The app's own bindings add "Go to ..." for every screen (its help is the screen's
one-line ``DESCRIPTION``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.actions import parse
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

__all__ = ["BindingCommands", "PaletteCommand", "bindings_of", "palette_commands"]


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry: ``run`` runs ``action`` on ``node``."""

    title: str
    help: str
    node: Screen[Any] | App[Any]
    action: str
    key: str


def bindings_of(node: DOMNode | type[DOMNode]) -> list[Binding]:
    """The bindings ``node``'s own classes (``tui``'s, not Textual's: focus, copy...) declare."""
    seen: set[str] = set()
    found: list[Binding] = []
    for cls in (node if isinstance(node, type) else type(node)).__mro__:
        module = getattr(cls, "__module__", "")
        if not (module.startswith("tui.") or module == "tui"):
            continue
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
            if binding.action not in seen:
                seen.add(binding.action)
                found.append(binding)
    return found


def key_clashes(
    app: Sequence[Binding], screens: Sequence[Sequence[Binding]], keymap: Mapping[str, str]
) -> dict[str, str]:
    """Binding id (of ``keymap``) -> why its key clashes: another binding of the app, or of the same
    screen, answers that key too (the app's keys work on every screen), so one of them would silently
    take the other's key (a review: ``"go.sync" = "t"`` took Timecards' key). Defaults are not judged."""

    def keys(b: Binding) -> list[str]:
        return [k.strip() for k in (keymap.get(b.id or "", b.key)).split(",") if k.strip()]

    out: dict[str, str] = {}
    for scope in [list(app), *[[*app, *screen] for screen in screens]]:
        by_key: dict[str, list[Binding]] = {}
        for b in scope:
            for k in keys(b):
                by_key.setdefault(k, []).append(b)
        for k, found in by_key.items():
            ids = list(dict.fromkeys(b.id for b in found if b.id))
            for mine in ids:
                others = [i for i in ids if i != mine]
                if mine in keymap and others and mine not in out:
                    out[mine] = (
                        f"{k!r} is already the key of {', '.join(others)}: choose another key, or remap that one too"
                    )
    return out


def _doc(node: DOMNode, action: str) -> str:
    _, name, _ = parse(action)
    method = getattr(node, f"action_{name}", None)
    doc = (getattr(method, "__doc__", None) or "").strip()
    return doc.splitlines()[0] if doc else ""


def _key(node: DOMNode, binding: Binding) -> str:
    keymap: dict[str, str] = getattr(node.app, "keymap", {})
    key = keymap.get(binding.id, binding.key) if binding.id else binding.key
    shown = binding.key_display if key == binding.key and binding.key_display else None
    return shown or node.app.get_key_display(Binding(key.split(",")[0], binding.action))


def _screen_description(node: Screen[Any] | App[Any], params: tuple[object, ...]) -> str:
    """The one-line description of the screen a ``go('mode')`` binding opens."""
    for spec in getattr(node, "SCREENS_SPEC", ()):
        if (spec.mode,) == params:
            return str(getattr(spec.screen, "DESCRIPTION", ""))
    return ""


def palette_commands(screen: Screen[Any]) -> list[PaletteCommand]:
    """The commands of ``screen`` (its bindings), then the app's (its screens and keys)."""
    commands: list[PaletteCommand] = []
    actions: set[str] = set()
    nodes: tuple[Screen[Any] | App[Any], ...] = (screen, screen.app)
    for node in nodes:
        where = getattr(node, "TITLE_TEXT", "") or ""
        for binding in bindings_of(node):
            if binding.action in actions:
                continue
            actions.add(binding.action)
            _, name, params = parse(binding.action)
            if node.check_action(name, params) is False:
                continue  # not offered here now (e.g. Approvals' w in step 2): the palette does not offer it either
            key = _key(node, binding)
            title = binding.tooltip or binding.description or binding.action
            doc = _doc(node, binding.action)
            if binding.action.startswith("go("):
                doc = _screen_description(node, params) or doc
            help_text = " · ".join(p for p in (f"key {key}", where, doc) if p)
            commands.append(PaletteCommand(title, help_text, node, binding.action, key))
    return commands


class BindingCommands(Provider):
    """The palette provider of every binding of the app and of the active screen."""

    def _commands(self) -> Iterator[tuple[PaletteCommand, Callable[[], Any]]]:
        for command in palette_commands(self.screen):
            yield command, partial(command.node.run_action, command.action)

    async def discover(self) -> Hits:
        for command, run in self._commands():
            yield DiscoveryHit(command.title, run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command, run in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), run, text=command.title, help=command.help)
            elif (help_score := matcher.match(command.help)) > 0:
                yield Hit(help_score / 2, command.title, run, text=command.title, help=command.help)
