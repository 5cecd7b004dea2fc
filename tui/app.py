"""The Textual app: ``OtApp(ledger_path, user, now=None)``.

One mode per screen, switched by single-letter keys (t timecards, a approvals,
s sync, r rules, p pay stubs); an empty ledger opens on the welcome screen.
Every action is in the command palette (ctrl+p); ``?`` shows the keys of the
current screen. Screens call :mod:`ot.services` and show what they return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import HelpPanel

from ot.services.browse import ledger_head
from ot.timez import utcnow
from tui.screens.approvals import ApprovalsScreen
from tui.screens.corrections import CorrectionsScreen
from tui.screens.exceptions import ExceptionsScreen
from tui.screens.import_screen import ImportScreen
from tui.screens.payrun import PayRunScreen
from tui.screens.periods import PeriodsScreen
from tui.screens.placeholder import PLACEHOLDERS, PlaceholderScreen
from tui.screens.rules import RulesScreen
from tui.screens.stubs import StubsScreen
from tui.screens.sync import SyncScreen
from tui.screens.timecards import TimecardsScreen
from tui.screens.welcome import WelcomeScreen

__all__ = ["OtApp"]

#: (key, mode, title) of each screen the single-letter keys switch to.
SCREENS: tuple[tuple[str, str, str], ...] = (
    ("t", "timecards", "Timecards"),
    ("a", "approvals", "Approvals"),
    ("s", "sync", "Sync report"),
    ("r", "rules", "Rules"),
    ("p", "stubs", "Pay stubs"),
)

# --- issue 14: the payroll week's screens, one mode and one key each (registered in on_mount) ---
WEEK_SCREENS: tuple[tuple[str, str, str, type[Screen[None]]], ...] = (
    ("P", "payrun", "Pay run", PayRunScreen),
    ("X", "exceptions", "Exceptions", ExceptionsScreen),
    ("I", "import", "Import", ImportScreen),
    ("C", "corrections", "Corrections audit", CorrectionsScreen),
    ("D", "periods", "Pay periods", PeriodsScreen),
)
SCREENS += tuple((key, mode, title) for key, mode, title, _screen in WEEK_SCREENS)
# --- end of issue 14's screens ---


def _placeholder(what: str, holds: str) -> Callable[[], Screen[None]]:
    return lambda: PlaceholderScreen(what, holds)


class OtApp(App[None]):
    """ot's terminal UI on one ledger.

    Args:
        ledger_path: The ledger file (need not exist: the welcome screen offers the demo).
        user: The acting user (recorded as the actor of anything written).
        now: A frozen clock for tests; None reads the clock when needed.
        poll_seconds: How often screens look for changes made by other processes.
        blink: Whether text cursors blink (off for snapshots).
    """

    TITLE = "ot"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-normal"), (130, "-wide")]  # noqa: RUF012 - Textual declares it so
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]  # noqa: RUF012
    CSS_PATH = "ot.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"go('{mode}')", title, tooltip=f"Open {title}", show=False) for key, mode, title in SCREENS),
        Binding("question_mark", "toggle_keys", "Keys", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

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

    def __init__(
        self,
        ledger_path: Path,
        user: str,
        now: datetime | None = None,
        *,
        poll_seconds: float = 3.0,
        blink: bool = True,
    ) -> None:
        self.ledger_path = Path(ledger_path)
        self.user = user
        self.frozen_now = now
        self.poll_seconds = poll_seconds
        self.blink = blink
        super().__init__()
        self.sub_title = f"{self.ledger_path.name} · {user}"

    def now(self) -> datetime:
        """The frozen clock, else the current instant."""
        return self.frozen_now or utcnow()

    def today(self) -> date:
        """The UTC date of :meth:`now`."""
        return self.now().date()

    def on_mount(self) -> None:
        self.add_mode("welcome", WelcomeScreen)
        self.add_mode("timecards", TimecardsScreen)
        self.add_mode("sync", SyncScreen)
        self.add_mode("rules", RulesScreen)
        self.add_mode("stubs", StubsScreen)
        self.add_mode("approvals", ApprovalsScreen)
        for _key, mode, _title, screen in WEEK_SCREENS:  # issue 14
            self.add_mode(mode, screen)
        for mode, (what, holds) in PLACEHOLDERS.items():
            self.add_mode(mode, _placeholder(what, holds))
        self._open_first()

    @work(thread=True, exclusive=True, group="start")
    def _open_first(self) -> None:
        """Open the welcome screen on an empty ledger, else the timecards."""
        head = ledger_head(self.ledger_path)
        self.call_from_thread(self.action_go, "timecards" if head else "welcome")

    def action_go(self, mode: str) -> None:
        """Switch to the screen of ``mode``."""
        self.switch_mode(mode)

    def action_toggle_keys(self) -> None:
        """Show or hide the keys of the current screen."""
        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key, mode, title in SCREENS:
            yield SystemCommand(f"Go to {title}", f"Switch to the {title} screen (key {key})", self._go(mode))
        actions = getattr(screen, "COMMANDS_HELP", ())
        for title, help_text, action in actions:
            yield SystemCommand(title, help_text, self._run(screen, action))

    def _go(self, mode: str):
        return lambda: self.switch_mode(mode)

    def _run(self, screen: Screen, action: str):
        async def run() -> None:
            await screen.run_action(action)

        return run
