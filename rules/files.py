"""Where rules files are: the default one that ships with ot."""

from __future__ import annotations

from pathlib import Path

from ot.core.errors import OtError, Problem

DEFAULT_RULES_NAME = "rules.example.ot"


def default_rules_path() -> Path:
    """The ``rules.example.ot`` at the repository root (the default rules file of a new ledger and of ``ot calc``).

    Found relative to this package; an :class:`OtError` says what to do when it is missing.
    """
    path = Path(__file__).resolve().parent.parent / DEFAULT_RULES_NAME
    if not path.is_file():
        raise OtError(
            f"the default rules file {DEFAULT_RULES_NAME} is missing (looked for {path})",
            [Problem(str(path), "give a rules file explicitly, or restore rules.example.ot from the ot sources")],
        )
    return path
