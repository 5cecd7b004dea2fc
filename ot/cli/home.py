"""What ``ot`` with no command does: open the terminal UI, or print the ledger summary.

The UI opens only when standard input and output are both a terminal; under a
script, a pipe or CI, ``ot`` prints the ledger's summary and exits, so that it
never waits for keys nobody will press. The command line does not import the UI:
the console script (:mod:`ot.launch`, the one module above both front ends) sets
:data:`UI` before it runs the CLI; without it (``python -c "from ot.cli import run"``)
``ot`` prints the summary.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from ot.cli.app import Settings

#: What opens the terminal UI on a ledger (set by :mod:`ot.launch`); None: print the summary.
UI: Callable[[Settings], None] | None = None


def interactive(stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    """True when both standard input and output are a terminal."""
    streams = (stdin or sys.stdin, stdout or sys.stdout)
    return all(s is not None and hasattr(s, "isatty") and s.isatty() for s in streams)


def open_home(settings: Settings) -> None:
    """Open the terminal UI on the ledger, or print its summary when not interactive. The UI may make the
    ledger (its welcome screen loads the demo): one named in a folder that does not exist is refused first."""
    if interactive() and UI is not None:
        settings.new_ledger()
        UI(settings)
        return
    import click

    from ot.services.summary import ledger_summary

    click.echo(ledger_summary(settings.ledger_path))
