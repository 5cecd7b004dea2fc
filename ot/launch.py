"""The ``ot`` program: the command line, with the terminal UI as what ``ot`` alone opens.

The two front ends, :mod:`ot.cli` and :mod:`tui`, are siblings that never import each
other (``[tool.importlinter]`` in ``pyproject.toml``). This module is the one place above
both: the console script runs :func:`run`, which gives the command line the UI to open
when ``ot`` is run with no command on a terminal. Textual is imported only when the UI
opens, so the CLI's other commands never load it.
"""

from __future__ import annotations

from ot.cli import home
from ot.cli import run as run_cli
from ot.cli.app import Settings

__all__ = ["open_tui", "run"]


def open_tui(settings: Settings) -> None:
    """Run the Textual app on the ledger, as the acting user."""
    from tui.app import OtApp

    OtApp(settings.ledger_path, settings.user).run()


def run() -> None:
    """Console entry point: the CLI, with the terminal UI as its home screen."""
    home.UI = open_tui
    run_cli()
