"""``ot rules adopt`` and ``ot rules history``: rules files in the ledger's history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ot.cli.app import Settings, pass_settings
from ot.cli.output import echo_json, jobs_option, json_option
from ot.cli.period_cmds import DATE, today
from ot.cli.rules_cmds import rules_group
from ot.core.errors import OtError, Problem
from ot.core.timez import TimeError, parse_date, utcnow
from ot.services.adopt import adopt_rules, rules_history
from ot.services.ruleset import FROM_THE_BEGINNING
from ot.services.whatif import period_near, render_what_if, what_if, what_if_json
from rules.compiler import read_rules_text


def _day(ctx: click.Context, param: click.Parameter, value: str) -> date:
    try:
        return parse_date(value)
    except TimeError as exc:
        raise click.BadParameter(str(exc)) from None


@rules_group.command("adopt")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--from", "effective", required=True, callback=_day, metavar="DATE", help="First date the file is in force."
)
@click.option(
    "--correction-authorized",
    is_flag=True,
    help="From a date inside a paid period: record the corrections of the paid weeks it reprices.",
)
@click.option("--reason", help="Why (required with --correction-authorized).")
@click.option(
    "--correction-timeframe",
    "timeframe",
    type=click.Choice(["NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID"], case_sensitive=False),
    default="NEXT_PAYROLL_PAYMENT",
    show_default=True,
    help="How an underpayment is paid.",
)
@json_option
@pass_settings
def adopt(
    settings: Settings,
    file: Path,
    effective: date,
    correction_authorized: bool,
    reason: str | None,
    timeframe: str,
    as_json: bool,
) -> None:
    """Check FILE and record it in the ledger, in force from DATE.

    Past workweeks keep the rules that were in force on their first day. From a date inside a paid
    period, the corrections it would make are listed, and recorded only with --correction-authorized."""
    # FILE read first for its problems, located (a byte that is not UTF-8 at its line and column)
    read_rules_text(file, missing="check the path: give the .ot rules file to adopt")
    new = settings.new_ledger()
    result = adopt_rules(
        settings.ledger_path,
        file,
        effective,
        actor=settings.user,
        now=utcnow(),
        correction_authorized=correction_authorized,
        reason=reason,
        timeframe=timeframe,
    )
    settings.said_new(new, as_json)
    if as_json:
        echo_json(result)
        return
    for line in result.corrections:
        click.echo(f"correction {line}")
    if result.added and result.effective != effective:
        click.echo(
            f"adopted {result.file} (sha256 {result.sha256[:12]}) from the beginning, not from {effective}: it moves "
            "the start of the workweek, and no work is recorded yet, so it starts every workweek"
        )
    elif result.added:
        click.echo(f"adopted {result.file} (sha256 {result.sha256[:12]}) from {result.effective.isoformat()}")
    else:
        click.echo(
            f"{result.file} (sha256 {result.sha256[:12]}) was already adopted from {result.effective.isoformat()}"
        )
    for notice in result.notices:
        click.echo(f"warning: {notice}")


@rules_group.command("history")
@json_option
@pass_settings
def history(settings: Settings, as_json: bool) -> None:
    """List the rules files the ledger adopted, with the dates they are in force from (with --json,
    effective is null for "from the beginning"; the texts are not printed)."""
    versions = rules_history(settings.ledger_path)
    if as_json:
        echo_json(
            [
                {
                    "effective": None if v.effective == FROM_THE_BEGINNING else v.effective,
                    "file": v.file,
                    "sha256": v.sha256,
                    "seq": v.seq,
                }
                for v in versions
            ]
        )
        return
    if not versions:
        click.echo("no rules file adopted: rules.example.ot (shipped with ot) is in force")
        return
    for v in versions:
        since = "the beginning" if v.effective == FROM_THE_BEGINNING else v.effective.isoformat()
        click.echo(f"{since:<13}  {v.file:<24} sha256 {v.sha256[:12]}  (event {v.seq})")


@rules_group.command("what-if")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", "period_day", type=DATE, default=None, help="Any day of the pay period. Default: today.")
@jobs_option
@json_option
@pass_settings
def what_if_cmd(settings: Settings, file: Path, period_day: date | None, jobs: int | None, as_json: bool) -> None:
    """Price a pay period under the rules the ledger holds and under FILE, and list each worker whose
    gross would change (nothing is written; `ot rules adopt` records a file)."""
    # FILE is read here, so that every problem of it is named by the path given (sub/edited.ot:4:11), not
    # by its name alone, as ot.services.whatif.what_if_file names it.
    text = read_rules_text(file, missing="check the path: give the .ot rules file to price")
    ledger_path = settings.ledger_path
    if not ledger_path.exists():
        raise OtError(f"no ledger at {ledger_path}", [Problem("--ledger", "give the ledger to price (or $OT_LEDGER)")])
    result = what_if(ledger_path, text, str(file), period_near(ledger_path, period_day or today()), jobs=jobs)
    if as_json:
        echo_json(what_if_json(result))
        return
    click.echo(render_what_if(result))
