"""``ot rules``: check, format and show overtime rules files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ot.cli.app import main
from ot.cli.output import echo_json, json_option, jsonable
from ot.cli.period_cmds import DATE, today
from ot.services import rules as service
from rules.compiler import read_rules_text

FILE = click.Path(dir_okay=False, path_type=Path)


@main.group("rules")
def rules_group() -> None:
    """Check, format and show overtime rules files (.ot)."""


@rules_group.command("check")
@click.argument("file", required=False, type=FILE)
@click.option(
    "--date",
    "day",
    type=DATE,
    default=None,
    help="The day to look for missing yearly minimum-wage figures on (YYYY-MM-DD). Default: today.",
)
@json_option
def check(file: Path | None, day: date | None, as_json: bool) -> None:
    """Check FILE's syntax and meaning; every error is reported (exit 2).

    A warning names each minimum wage the file says is adjusted yearly whose figure for today is
    missing, or is due within 31 days and not written yet (the file is still ok: exit 0).
    FILE defaults to the rules.example.ot that ships with ot.
    """
    report = service.check_file(file, day if day is not None else today())
    if as_json:
        echo_json({**jsonable(report), "ok": True})
        return
    click.echo(report.summary())


@rules_group.command("fmt")
@click.argument("file", type=FILE)
@click.option(
    "--check", "check_only", is_flag=True, help="Change nothing; exit 1 if FILE is not in the canonical layout."
)
@json_option
@click.pass_context
def fmt(ctx: click.Context, file: Path, check_only: bool, as_json: bool) -> None:
    """Rewrite FILE in the canonical layout (comments kept; a byte-order mark that starts it dropped), atomically."""
    read_rules_text(file, missing="check the path: give the .ot rules file to format")  # (its problems, located)
    result = service.format_file(file, check_only=check_only)
    if as_json:
        echo_json(result)
        if check_only and result.changed:
            ctx.exit(1)
        return
    if check_only and result.changed:
        click.echo(f"would reformat {result.file}")
        ctx.exit(1)
    elif result.written:
        click.echo(f"reformatted {result.file}")
    else:
        click.echo(f"{result.file}: already formatted")


@rules_group.command("show")
@click.argument("file", required=False, type=FILE)
@click.option(
    "--state", "jurisdiction", default="federal", show_default=True, help="federal, or a state's USPS code (CA)."
)
@click.option(
    "--date",
    "day",
    type=DATE,
    default=None,
    help="The date (YYYY-MM-DD). Default: today.",
)
def show(file: Path | None, jurisdiction: str, day: date | None) -> None:
    """Show the rules in force for one jurisdiction on one date, in plain words.

    Inheritance is applied; each line names where the rule is written.
    FILE defaults to the rules.example.ot that ships with ot.
    """
    on: date = day if day is not None else today()
    click.echo(service.show_rules(file, jurisdiction, on), nl=False)
