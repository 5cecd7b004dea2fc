"""The Textual app: ``OtApp(ledger_path, user, now=None)``.

One mode per screen, switched by single-letter keys (t timecards, a approvals,
s sync, r rules, p pay stubs, P pay run, X exceptions, I import, C corrections
audit, D pay periods); an empty ledger opens on the welcome screen.
The command palette (ctrl+p) lists every binding of the app and of the screen
shown (:mod:`tui.commands`); ``?`` shows the keys of the current screen.

The app owns what every screen shares: the user's config (keymap, theme, period
view: :mod:`ot.services.user_config`), the one poller of the ledger (every
``poll_seconds`` it reads the ledger's stamp and posts
:class:`~tui.screens.base.LedgerChanged` to every screen when it moved), and the
roster refresh while the app is open (every ``roster_seconds``,
:func:`ot.services.sync.auto_refresh` in a worker thread). Screens call
:mod:`ot.services` and show what they return (:mod:`tui.screens.base`).

A new screen: its class in ``tui/screens/NAME.py`` (an :class:`OtScreen`), then one
:class:`ScreenSpec` line in :data:`SCREENS` below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar
from weakref import WeakSet

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.widgets import HelpPanel

from ot.core.errors import OtError, Problem
from ot.core.timez import utcnow
from ot.services import user_config
from ot.services.sync import RefreshResult, auto_refresh
from ot.services.sync_view import sync_stamp
from tui.commands import BindingCommands, bindings_of, key_clashes
from tui.screens.approvals import ApprovalsScreen
from tui.screens.base import LedgerChanged, OtScreen, Stamp
from tui.screens.corrections import CorrectionsScreen
from tui.screens.exceptions import ExceptionsScreen
from tui.screens.import_screen import ImportScreen
from tui.screens.payrun import PayRunScreen
from tui.screens.periods import PeriodsScreen
from tui.screens.rules import RulesScreen
from tui.screens.stubs import StubsScreen
from tui.screens.sync import SyncScreen
from tui.screens.timecards import TimecardsScreen
from tui.screens.welcome import WelcomeScreen

__all__ = ["SCREENS", "OtApp", "ScreenSpec"]


@dataclass(frozen=True)
class ScreenSpec:
    """A screen the single-letter keys switch to: its key, its mode name, its title and its class."""

    key: str
    mode: str
    title: str
    screen: type[OtScreen]


#: Every screen of the app, in the order of the keys help. A new screen is one line here.
SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec("t", "timecards", "Timecards", TimecardsScreen),
    ScreenSpec("a", "approvals", "Approvals", ApprovalsScreen),
    ScreenSpec("s", "sync", "Sync report", SyncScreen),
    ScreenSpec("r", "rules", "Rules", RulesScreen),
    ScreenSpec("p", "stubs", "Pay stubs", StubsScreen),
    ScreenSpec("P", "payrun", "Pay run", PayRunScreen),
    ScreenSpec("X", "exceptions", "Exceptions", ExceptionsScreen),
    ScreenSpec("I", "import", "Import", ImportScreen),
    ScreenSpec("C", "corrections", "Corrections audit", CorrectionsScreen),
    ScreenSpec("D", "periods", "Pay periods", PeriodsScreen),
)

#: Not ``None``: read the user's config file from its usual place.
USER_CONFIG = user_config.default_path


class OtApp(App[None]):
    """ot's terminal UI on one ledger.

    Args:
        ledger_path: The ledger file (need not exist: the welcome screen offers the demo).
        user: The acting user (recorded as the actor of anything written).
        now: A frozen clock for tests; None reads the clock when needed.
        poll_seconds: How often the app looks for changes made by other processes.
        roster_seconds: How often the app checks whether the roster is due a refresh (0: never).
        config_file: The user's config file (None: none, the defaults; nothing is saved).
        blink: Whether text cursors blink (off for snapshots).
    """

    TITLE = "ot"
    TITLE_TEXT = "app"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-normal"), (110, "-roomy"), (130, "-wide")]  # noqa: RUF012 - Textual declares it so
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]  # noqa: RUF012
    CSS_PATH = "ot.tcss"
    COMMANDS = App.COMMANDS | {BindingCommands}
    #: The screens of the single-letter keys (the palette describes each).
    SCREENS_SPEC = SCREENS
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(s.key, f"go('{s.mode}')", s.title, tooltip=f"Go to {s.title}", show=False, id=f"go.{s.mode}")
            for s in SCREENS
        ),
        Binding("question_mark", "toggle_keys", "Keys", key_display="?", tooltip="Show or hide the keys", id="keys"),
        Binding("q", "quit", "Quit", tooltip="Quit ot", id="quit"),
    ]

    def __init__(
        self,
        ledger_path: Path,
        user: str,
        now: datetime | None = None,
        *,
        poll_seconds: float = 3.0,
        roster_seconds: float = 300.0,
        config_file: Path | Callable[[], Path] | None = USER_CONFIG,
        blink: bool = True,
    ) -> None:
        self.ledger_path = Path(ledger_path)
        self.user = user
        self.frozen_now = now
        self.poll_seconds = poll_seconds
        self.roster_seconds = roster_seconds
        self.blink = blink
        self.config_file = config_file() if callable(config_file) else config_file
        self.config = user_config.UserConfig()
        self.config_problem: OtError | None = None
        if self.config_file is not None:
            try:
                self.config = user_config.load_user_config(self.config_file)
            except OtError as error:
                self.config_problem = error
        #: Binding id -> key(s) the user's config remapped (shown by the palette).
        self.keymap: dict[str, str] = {}
        self.stamp: Stamp | None = None
        self._listeners: WeakSet[OtScreen] = WeakSet()
        self._roster_error: str | None = None
        self._theme_shown = ""
        super().__init__()
        self.sub_title = f"{self.ledger_path.name} · {user}"

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: a name, a reason or an error message is never run as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def now(self) -> datetime:
        """The frozen clock, else the current instant."""
        return self.frozen_now or utcnow()

    def today(self) -> date:
        """The UTC date of :meth:`now`."""
        return self.now().date()

    def on_mount(self) -> None:
        self.add_mode("welcome", WelcomeScreen)
        for spec in SCREENS:
            self.add_mode(spec.mode, spec.screen)
        self._apply_config()
        self.set_interval(self.poll_seconds, self.check_ledger)
        if self.roster_seconds:
            self.set_interval(self.roster_seconds, self.check_roster)
        self._open_first()

    # --- the user's config -----------------------------------------------------------

    def _apply_config(self) -> None:
        problems: list[Problem] = []
        config = self.config
        if config.theme is not None:
            if config.theme in self.available_themes:
                self.theme = config.theme
            else:
                known = ", ".join(sorted(self.available_themes))
                problems.append(Problem(config.where("theme"), f"no theme {config.theme!r}; the themes are {known}"))
        classes: list[type[DOMNode]] = [type(self), WelcomeScreen, *(s.screen for s in SCREENS)]
        known_ids = {b.id for node in classes for b in bindings_of(node) if b.id}
        clashes = key_clashes(
            bindings_of(type(self)),
            [bindings_of(node) for node in classes[1:]],
            {i: k for i, k in config.keymap.items() if i in known_ids},
        )
        for binding_id, why in clashes.items():
            problems.append(Problem(config.where(f"keymap.{binding_id}"), why))
        for binding_id, keys in config.keymap.items():
            if binding_id in known_ids:
                self.keymap[binding_id] = keys
            else:
                problems.append(
                    Problem(
                        config.where(f"keymap.{binding_id}"),
                        "no binding has this id; the palette (ctrl+p) shows each action, "
                        "and ARCHITECTURE.md how ids are named (screen.action)",
                    )
                )
        if problems:
            self.keymap = {}
            self.theme = "textual-dark"
            self.config_problem = OtError(f"the config file {config.path} has {len(problems)} problem(s)", problems)
        if self.keymap:
            self.set_keymap(self.keymap)
        if self.config_problem is not None:
            text = f"{self.config_problem.render()}\not opened with the defaults (no keymap, the default theme)."
            self.notify(text, title="Config", severity="error", timeout=15)
        self._theme_shown = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        """The user chose another theme (ctrl+p, "Change theme"): save it in the config file."""
        if self.config_file is None or self.theme == self._theme_shown:
            return
        self._theme_shown = self.theme
        self._save_theme(self.config_file, self.theme)

    @work(thread=True, exclusive=True, group="save-theme")
    def _save_theme(self, path: Path, theme: str) -> None:
        try:
            user_config.save_theme(path, theme)
        except OtError as error:
            self.call_from_thread(self.notify, error.render(), title="Config", severity="error", timeout=10)

    # --- the one poller of the ledger -------------------------------------------------

    def listen_ledger(self, screen: OtScreen) -> None:
        """Post :class:`LedgerChanged` to ``screen`` whenever the ledger changes."""
        self._listeners.add(screen)

    @work(thread=True, exclusive=True, group="start")
    def _open_first(self) -> None:
        """Open the welcome screen on an empty ledger, else the timecards."""
        try:
            stamp = sync_stamp(self.ledger_path)
        except OtError:
            stamp = (0, 0)
        self.stamp = stamp
        self.call_from_thread(self.action_go, "timecards" if stamp[0] else "welcome")

    def check_ledger(self) -> None:
        """Look (in a worker) whether the ledger or its sync config changed; tell every screen when so."""
        self._read_stamp()

    @work(thread=True, exclusive=True, group="ledger-poll")
    def _read_stamp(self) -> None:
        try:
            stamp = sync_stamp(self.ledger_path)
        except OtError:
            return  # busy or being replaced: look again at the next tick
        self.call_from_thread(self._stamp_read, stamp)

    def _stamp_read(self, stamp: Stamp) -> None:
        if stamp == self.stamp:
            return
        self.stamp = stamp
        for screen in list(self._listeners):
            screen.post_message(LedgerChanged(stamp))

    # --- the roster refresh while the app is open ------------------------------------------

    def check_roster(self) -> None:
        """Refresh the roster (in a worker) when the sync config's [roster] source is due."""
        self._refresh_roster()

    @work(thread=True, exclusive=True, group="roster")
    def _refresh_roster(self) -> None:
        try:
            result = auto_refresh(self.ledger_path, actor=self.user, now=self.now())
        except OtError as error:
            self.call_from_thread(self._roster_failed, error.render())
            return
        self.call_from_thread(self._roster_done, result)

    def _roster_done(self, result: RefreshResult | None) -> None:
        self._roster_error = None
        if result is None or not any(result.added.values()):
            return  # not due, no source, or nothing changed: nothing to say
        what = ", ".join(f"{n} {kind}" for kind, n in sorted(result.added.items()) if n)
        self.notify(f"Roster refreshed from {result.source}: {what}", title="Roster")
        self.check_ledger()

    def _roster_failed(self, text: str) -> None:
        if text != self._roster_error:  # say it once, not at every tick
            self._roster_error = text
            self.notify(f"The scheduled roster refresh failed:\n{text}", title="Roster", severity="error", timeout=15)

    # --- actions ----------------------------------------------------------------------

    def action_go(self, mode: str) -> None:
        """Switch to the screen of ``mode``."""
        self.switch_mode(mode)

    def action_toggle_keys(self) -> None:
        """Show or hide the keys of the current screen."""
        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
