"""What ``ot`` with no command does: open the terminal UI, or print the ledger summary.

The UI opens only when standard input and output are both a terminal; under a
script, a pipe or CI, ``ot`` prints the ledger's summary and exits, so that it
never waits for keys nobody will press. Textual is imported only here, inside
the function, so the CLI's other commands never load it.
"""

from __future__ import annotations

import sys
from typing import TextIO

from ot.cli.app import Settings


def interactive(stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    """True when both standard input and output are a terminal."""
    streams = (stdin or sys.stdin, stdout or sys.stdout)
    return all(s is not None and hasattr(s, "isatty") and s.isatty() for s in streams)


def open_home(settings: Settings) -> None:
    """Open the terminal UI on the ledger, or print its summary when not interactive."""
    if interactive():
        from tui.app import OtApp

        OtApp(settings.ledger_path, settings.user).run()
        return
    import click

    from ot.services.summary import ledger_summary

    click.echo(ledger_summary(settings.ledger_path))
