"""``ot import``, ``ot shifts`` and ``ot demo``: parse options, call ``ot.services``, print."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import echo_json, json_option, jsonable
from ot.core.timez import TimeError, parse_date, utcnow

if TYPE_CHECKING:
    from ot.services.imports import ImportReport


def _import_command(layout: str, columns: str) -> click.Command:
    @click.command(
        name=layout,
        short_help=f"Import {layout} from a CSV file.",
        help=(
            f"Import {layout} from a CSV file with this header (contracts/import.md):\n\n"
            f"\b\n{columns}\n\n"
            "A file with any bad row is refused whole (every bad row named FILE:LINE:COLUMN, exit 2) "
            "and nothing is written; the same file twice adds nothing."
        ),
    )
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--mapping",
        "mapping_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="A TOML column mapping for another system's export (see ledger/mappings/).",
    )
    @click.option("--dry-run", is_flag=True, help="Say what would be added; write nothing.")
    @click.option(
        "--correction-authorized",
        is_flag=True,
        help="Allow what changes paid dates (a punch on one, a rate dated into a paid week): corrections.",
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
    def command(
        settings: Settings,
        file: Path,
        mapping_path: Path | None,
        dry_run: bool,
        correction_authorized: bool,
        reason: str | None,
        timeframe: str,
        as_json: bool,
    ) -> None:
        from ot.services.imports import describe, import_file

        new = settings.new_ledger()
        report = import_file(
            settings.ledger_path,
            layout,
            file,
            mapping_path=mapping_path,
            dry_run=dry_run,
            correction_authorized=correction_authorized,
            reason=reason,
            timeframe=timeframe,
            actor=settings.user,
            now=utcnow(),
        )
        if as_json:
            echo_json(_report_json(report))
        else:
            click.echo(describe(report))
        settings.said_new(new, as_json)

    return command


def _report_json(report: ImportReport) -> dict[str, object]:
    """An import's report as JSON: the same fields ``describe`` prints, and the total."""
    return {**jsonable(report), "total_added": report.total_added}


@main.group(name="import")
def import_group() -> None:
    """Import locations, workers or punches from CSV (contracts/import.md layouts)."""


import_group.add_command(_import_command("locations", "location_id,name,state,timezone"))
import_group.add_command(
    _import_command(
        "workers",
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override[,rate_effective]",
    )
)
import_group.add_command(_import_command("punches", "worker_id,time,kind,location_id,break_type[,rate]"))


def _week(value: str | None) -> date:
    if value is None:
        return utcnow().date()
    try:
        return parse_date(value)
    except TimeError as exc:
        raise click.BadParameter(str(exc), param_hint="'--week'") from None


@main.command()
@click.option("--worker", "worker_id", required=True, help="Worker id.")
@click.option("--week", "week", metavar="DATE", help="Any date (YYYY-MM-DD) of the workweek. Default: today.")
@json_option
@pass_settings
def shifts(settings: Settings, worker_id: str, week: str | None, as_json: bool) -> None:
    """Show the shifts a worker's punches pair into, for one workweek.

    Breaks with their type codes, hours worked, the rate and work location
    each shift uses, and exceptions flagged for review.
    """
    from ot.services.shifts import render_week, week_as_json, week_shifts

    view = week_shifts(settings.ledger_path, worker_id, _week(week))
    if as_json:
        echo_json(week_as_json(view))
    else:
        click.echo(render_week(view))


@main.command()
@json_option
@pass_settings
def demo(settings: Settings, as_json: bool) -> None:
    """Fill the ledger with the demo company (deterministic; running it twice adds nothing)."""
    from ot.services.imports import describe, load_demo

    new = settings.new_ledger()
    result = load_demo(settings.ledger_path, actor=settings.user, now=utcnow())
    settings.said_new(new, as_json)
    if as_json:
        echo_json({"imports": [_report_json(r) for r in result.reports], "message": result.message})
        return
    for report in result.reports:
        click.echo(describe(report))
    click.echo(result.message)
