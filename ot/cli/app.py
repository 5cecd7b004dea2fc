"""The ``ot`` command group: global options and how errors are shown.

Commands live in one module per area (``ot/cli/<area>.py``); each decorates its
commands with ``@main.command()`` / ``@main.group()``. Commands parse options,
call the service layer (``ot.services``), and print; no business logic here.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import click

from ot.core.errors import BUSY_MESSAGE, LedgerBusy, OtError, Problem

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def ledger_location(value: str | None) -> Path | None:
    """``--ledger``'s value as the file the services open: a path, or for a ``postgresql://`` URL this
    machine's replica of that database, which opens the database itself (:mod:`ledger.remote`)."""
    if value is None:
        return None
    from ledger.remote import is_url

    if not is_url(value):
        return Path(value)
    from ot.services.ledger import replica_of

    return replica_of(value)


def _ledger_option(ctx: click.Context, value: str | None) -> Path | None:
    """``--ledger``'s value as :func:`ledger_location` reads it; whether it is a URL is kept in the context."""
    from ledger.remote import is_url

    ctx.meta["ot.ledger_remote"] = value is not None and is_url(value)
    return ledger_location(value)


def default_ledger_path() -> Path:
    """The per-user ledger file (platformdirs), used when neither --ledger nor $OT_LEDGER is given."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ot", appauthor=False)) / "ledger.db"


@dataclass(frozen=True)
class Settings:
    """What every command gets from the global options.

    Attributes:
        ledger_path: The ledger file (``--ledger``, else ``$OT_LEDGER``, else the per-user file).
        user: The acting user (``--as``, else ``$OT_USER``, else the OS user).
    """

    ledger_path: Path
    user: str
    ledger_given: str | None = None
    remote: bool = False

    def new_ledger(self) -> bool:
        """Before a command that makes the ledger when there is none (``ot demo``, ``ot import``, ``ot rules
        adopt``, ``ot period configure``, ``ot employer set``): True when there is none yet.

        A ledger named by ``--ledger`` or ``$OT_LEDGER`` in a folder that does not exist is refused: a
        mistyped path, far more often than a folder wished for (the command made the folder and a new,
        empty ledger, and wrote into it); ``export -o`` refuses a missing folder too. The per-user
        default's folder is made on first use, and a PostgreSQL ledger's replica where ot keeps it."""
        path = self.ledger_path.expanduser()
        if self.remote or path.exists():
            return False
        folder = path.parent
        if self.ledger_given is not None and not folder.is_dir():
            raise OtError(
                f"no folder {folder} for the ledger {path}; nothing was written",
                [Problem(self.ledger_given, f"no folder {folder}: create it, or check {self.ledger_given}")],
            )
        return True

    def said_new(self, new: bool, as_json: bool = False) -> None:
        """After the command: a note on standard error that it made a new ledger (not with ``--json``), so
        that a mistyped file name is seen at once."""
        if new and not as_json and self.ledger_path.expanduser().exists():
            click.echo(f"note: a new ledger was made at {self.ledger_path}", err=True)


def settings(ctx: click.Context) -> Settings:
    """The :class:`Settings` of the running command."""
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


pass_settings = click.make_pass_decorator(Settings)


class UserError(click.ClickException):
    """An :class:`OtError` as click shows it: printed once (:func:`ot.cli.output.error_text`; with
    ``--json``, :func:`ot.cli.output.error_json`), exit 2 (bad input or a refusal); :class:`BusyError`
    exits 75."""

    exit_code = OtError.exit_code

    def __init__(self, error: OtError, as_json: bool = False) -> None:
        super().__init__(error.message)
        self.error = error
        self.as_json = as_json

    def show(self, file: object = None) -> None:
        from ot.cli.output import error_json, error_text

        click.echo(error_json(self.error) if self.as_json else error_text(self.error), err=True)


class BusyError(UserError):
    """The ledger was busy (:class:`LedgerBusy`): exit 75 (EX_TEMPFAIL), run the same command again."""

    exit_code = LedgerBusy.exit_code


def as_ot_error(exc: BaseException) -> OtError | None:
    """``exc`` as the user error it is, or None for a bug: SQLite's "database is locked" or "busy"
    escaping a layer is the ledger being busy (:class:`LedgerBusy`, exit 75), not a crash."""
    if isinstance(exc, OtError):
        return exc
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return LedgerBusy(BUSY_MESSAGE)
    return None


class OtGroup(click.Group):
    """The root group: turns an :class:`OtError` (or a busy SQLite ledger) from any command into one
    clean message and its exit status."""

    def invoke(self, ctx: click.Context) -> object:
        from ot.cli.output import JSON_META

        try:
            return super().invoke(ctx)
        except (OtError, sqlite3.OperationalError) as exc:
            error = as_ot_error(exc)
            if error is None:
                raise
            kind = BusyError if isinstance(error, LedgerBusy) else UserError
            raise kind(error, bool(ctx.meta.get(JSON_META))) from exc
        except click.UsageError as exc:
            # An option refused by click itself (a bad date, a missing argument) of a command given --json.
            if not ctx.meta.get(JSON_META):
                raise
            if isinstance(exc, click.BadParameter) and exc.param is not None and exc.ctx is not None:
                hint = exc.param.get_error_hint(exc.ctx).replace("'", "")
                error = OtError(f"invalid value for {hint}", [Problem(hint, exc.message)])
            else:
                error = OtError(exc.format_message())
            raise UserError(error, True) from exc


@click.group(cls=OtGroup, invoke_without_command=True, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--ledger",
    "ledger_path",
    type=click.Path(dir_okay=False),  # a file (completed as one), or a URL: kept as text until the callback
    envvar="OT_LEDGER",
    callback=lambda ctx, _param, value: _ledger_option(ctx, value),
    help="Ledger file, or postgresql://USER@HOST/DB for a ledger shared by several users (docs/multi-admin.md). "
    "Default: $OT_LEDGER, else a per-user data file.",
)
@click.option(
    "--as", "acting_user", envvar="OT_USER", help="Acting user (a worker id). Default: $OT_USER, else the OS user."
)
@click.version_option(package_name="ot", prog_name="ot")
@click.pass_context
def main(ctx: click.Context, ledger_path: Path | None, acting_user: str | None) -> None:
    """ot: timeclock punches to accurate gross wages.

    With no command, opens the terminal UI on the ledger.
    """
    path = ledger_path or default_ledger_path()
    user = acting_user or os.environ.get("OT_USER") or _os_user()
    remote = bool(ctx.meta.get("ot.ledger_remote"))
    source = ctx.get_parameter_source("ledger_path")
    given = "$OT_LEDGER" if source is click.core.ParameterSource.ENVIRONMENT else "--ledger"
    ctx.obj = Settings(
        ledger_path=path, user=user, ledger_given=None if remote or ledger_path is None else given, remote=remote
    )
    if ctx.invoked_subcommand not in NO_ROSTER_REFRESH:
        refresh_roster_if_due(ctx.obj)
    if ctx.invoked_subcommand is None:
        from ot.cli.home import open_home

        open_home(ctx.obj)


#: Commands that do not refresh the roster on start: stateless or file-only ones (``completion``
#: prints a script, and runs in a shell's start-up), and
#: ``sync``, which refreshes itself unless it is ``ot sync refresh`` (the manual refresh).
NO_ROSTER_REFRESH = frozenset({"calc", "completion", "rules", "sync"})


def refresh_roster_if_due(settings: Settings) -> None:
    """Pull roster changes when a roster source is configured and the last refresh is over
    24 hours old (the seeds' "24-hour sync"). A failure is a warning: it never stops ``ot``; a busy ledger
    is left for the next command (no warning, so that "busy" is not printed twice)."""
    from ot.core.timez import utcnow
    from ot.services.sync import auto_refresh

    try:
        result = auto_refresh(settings.ledger_path, actor=settings.user, now=utcnow())
    except LedgerBusy:
        return  # still due: the next command refreshes; a write command says "busy" itself, once
    except OtError as error:
        from ot.cli.output import error_text

        click.echo(f"warning: the roster was not refreshed: {error_text(error)}", err=True)
        return
    if result is not None and result.ran:
        what = ", ".join(f"{n} {kind}" for kind, n in sorted(result.added.items())) or "no changes"
        click.echo(f"roster refreshed from {result.source} (more than 24 hours since the last): {what}", err=True)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
