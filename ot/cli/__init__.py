"""The ``ot`` command line. ``run`` is the console entry point."""

from __future__ import annotations

import sys

from ot.cli.app import main
from ot.errors import OtError

# Each import registers that area's commands on ``main``.
from ot.cli import calc as _calc  # noqa: E402,F401
from ot.cli import ledger_cmds as _ledger  # noqa: E402,F401
from ot.cli import rules_cmds as _rules  # noqa: E402,F401

__all__ = ["main", "run"]


def run() -> None:
    """Console entry point: user errors print cleanly and exit 2."""
    try:
        main.main(standalone_mode=True)
    except OtError as error:  # raised outside click's own handling
        print(error.render(), file=sys.stderr)
        sys.exit(error.exit_code)
