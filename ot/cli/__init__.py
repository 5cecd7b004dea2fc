"""The ``ot`` command line. ``run`` is the console entry point."""

from __future__ import annotations

import sys

# Each import registers that area's commands on ``main``.
from ot.cli import approve_cmds as _approve  # noqa: F401
from ot.cli import audit_cmds as _audit  # noqa: F401
from ot.cli import calc as _calc  # noqa: F401
from ot.cli import completion_cmds as _completion  # noqa: F401
from ot.cli import earning_cmds as _earnings  # noqa: F401
from ot.cli import explain_cmds as _explain  # noqa: F401
from ot.cli import export_cmds as _export  # noqa: F401
from ot.cli import import_cmds as _imports  # noqa: F401
from ot.cli import ledger_cmds as _ledger  # noqa: F401
from ot.cli import payrun_cmds as _payrun  # noqa: F401
from ot.cli import period_cmds as _period  # noqa: F401
from ot.cli import rules_cmds as _rules  # noqa: F401
from ot.cli import rules_ledger as _rules_ledger  # noqa: F401
from ot.cli import schedule_cmds as _schedule  # noqa: F401
from ot.cli import shift_cmds as _shift  # noqa: F401
from ot.cli import stub_cmds as _stub  # noqa: F401
from ot.cli import sync_cmds as _sync  # noqa: F401
from ot.cli import table_cmds as _tables  # noqa: F401
from ot.cli import user_cmds as _user  # noqa: F401
from ot.cli import worker_cmds as _workers  # noqa: F401
from ot.cli.app import main
from ot.cli.output import error_text
from ot.core.errors import OtError

__all__ = ["main", "run"]


def run() -> None:
    """Console entry point: user errors print once and exit 2 (75 when the ledger is busy)."""
    try:
        main.main(standalone_mode=True)
    except OtError as error:  # raised outside click's own handling
        print(error_text(error), file=sys.stderr)
        sys.exit(error.exit_code)
