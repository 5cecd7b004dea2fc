"""``ot export payroll``: a paid period as the file a payroll system imports."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import echo_json, json_option
from ot.cli.period_cmds import DATE
from ot.core.errors import OtError, Problem


@main.group("export")
def export() -> None:
    """Export what the pay runs paid to a payroll system (ADP, Paychex, Gusto, a mapped layout)."""


def _formats() -> list[str]:
    from ot.exports.registry import FORMATS, get_format

    get_format("generic")  # registers the built-in formats
    return list(FORMATS)


@export.command("payroll")
@click.option("--format", "fmt", required=True, help="adp-wfn, paychex-flex, gusto or generic (`ot export formats`).")
@click.option("--period", "period_date", type=DATE, default=None, help="A date in the paid pay period.")
@click.option("--run", "run_id", default=None, metavar="RUN_ID", help="One pay run instead (an off-cycle payment).")
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Earnings codes and settings (TOML). Default: the shipped one (`ot export mapping FORMAT`).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The file to write.")
@json_option
@pass_settings
def payroll(
    settings: Settings,
    as_json: bool,
    fmt: str,
    period_date: date | None,
    run_id: str | None,
    mapping_path: Path | None,
    output: Path,
) -> None:
    """Write the pay period's payroll file and a manifest beside it (FILE.manifest.json).

    \b
    ot export payroll --format paychex-flex --period 2026-10-20 --mapping paychex.toml -o spi.csv
    ot export payroll --format adp-wfn --period 2026-10-20 --mapping adp.toml -o PRABCEPI.csv
    ot export payroll --format generic --run off-cycle-C25 -o off-cycle.csv

    The file's total equals the pay runs' to the cent (checked before anything is written),
    and exporting again writes the same bytes.
    """
    from ot.services.exports import export_payroll

    if (period_date is None) == (run_id is None):
        raise OtError(
            "say what to export", [Problem("--period/--run", "give one: a date in the paid period, or a run id")]
        )
    result = export_payroll(
        settings.ledger_path,
        format_name=fmt,
        out=output,
        period_day=period_date,
        run_id=run_id,
        mapping_path=mapping_path,
        actor=settings.user,
    )
    if as_json:
        echo_json(result)
        return
    click.echo(
        f"wrote {result.path}: {result.rows} rows, {result.workers} workers, net {result.net} "
        f"(= the pay runs of {result.label}); manifest {result.manifest}"
    )


@export.command("formats")
@json_option
def formats(as_json: bool) -> None:
    """List the export formats."""
    from ot.exports.registry import FORMATS

    if as_json:
        echo_json([{"name": name, "title": FORMATS[name].title} for name in _formats()])
        return
    for name in _formats():
        click.echo(f"{name:<14}{FORMATS[name].title}")


@export.command("mapping")
@click.argument("format_name", metavar="FORMAT")
def mapping(format_name: str) -> None:
    """Print the shipped mapping of FORMAT (copy it, set your codes, pass it with --mapping)."""
    from ot.exports.mapping import DEFAULTS
    from ot.exports.registry import get_format

    get_format(format_name)
    sys.stdout.write((DEFAULTS / f"{format_name}.toml").read_text(encoding="utf-8"))
