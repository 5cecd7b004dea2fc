"""User-facing errors: each says where (file:line:column, field, shift) and what to do.

Every layer raises :class:`OtError` (or a subclass) for input a user can fix;
the CLI prints it to standard error and exits with its ``exit_code``: 2 for bad input or a
refusal, 75 (``EX_TEMPFAIL``) when the ledger is busy and the same command may simply be run
again. The TUI shows it. Anything else escaping is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Exit status of bad input and refusals (click's own usage errors use it too).
EX_USAGE_OR_INPUT = 2
#: Exit status when the ledger is busy: nothing is wrong with the command, run it again (sysexits.h).
EX_TEMPFAIL = 75
BUSY_MESSAGE = "the ledger is busy: another ot is writing; try again"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    Attributes:
        where: ``FILE:LINE:COLUMN``, ``shifts[1].end``, ``shift S-12``...
        message: What is wrong and what to do about it.
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class OtError(Exception):
    """An error the user can act on. ``problems`` lists every located problem."""

    exit_code = EX_USAGE_OR_INPUT

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems: tuple[Problem, ...] = tuple(problems)

    def render(self) -> str:
        """The full text shown to the user: every problem, then the summary."""
        lines = [str(p) for p in self.problems]
        if self.message:
            lines.append(self.message)
        return "\n".join(lines)


class LedgerBusy(OtError):
    """Another process holds the ledger's write lock longer than the busy timeout (exit 75: retry)."""

    exit_code = EX_TEMPFAIL


class PermissionDenied(OtError):
    """The acting user may not do this (roles come from the roster)."""
