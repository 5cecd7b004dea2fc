"""``ot ledger tables`` and ``ot ledger export``: the read-only tables, listed and exported
(``ot.services.tables``; registered on the ``ledger`` group)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from ot.cli.app import Settings, pass_settings
from ot.cli.ledger_cmds import ledger
from ot.cli.output import json_flag, remember_json
from ot.core.errors import OtError, Problem
from ot.services import tables as service


@ledger.command("tables")
@json_flag("Print JSON.")
@pass_settings
def tables_cmd(settings: Settings, as_json: bool) -> None:
    """List the tables you can export: rows and what each holds (admins only)."""
    infos = service.list_tables(settings.ledger_path, actor=settings.user)
    if as_json:
        click.echo(json.dumps([i.to_json() for i in infos], indent=2))
        return
    width = max(len(i.name) for i in infos) + 2
    click.echo(f"{'table':<{width}}{'rows':>10}  holds")
    for i in infos:
        click.echo(f"{i.name:<{width}}{i.rows:>10}  {i.description}")
    click.echo("events are the truth; every other table is folded from them (ot ledger verify checks them)")


@ledger.command("export")
@click.argument("table")
@click.option("--csv", "fmt", flag_value="csv", help="Write CSV (a header row).")
@click.option("--json", "fmt", flag_value="json", callback=remember_json, help="Write a JSON array of objects.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout).")
@pass_settings
def export_cmd(settings: Settings, table: str, fmt: str | None, output: Path | None) -> None:
    """Export one table (see `ot ledger tables`), secrets left out (admins only).

    \b
    ot ledger export workers --csv -o workers.csv
    ot ledger export events --json > events.json
    """
    if output is None:
        service.export_table(settings.ledger_path, table, fmt, sys.stdout, actor=settings.user)
        return
    folder = output.parent
    if not folder.is_dir():
        raise OtError(f"no folder {folder} to write {output.name} in", [Problem("-o", "create the folder first")])
    # Written beside the target and renamed into place: a refused or failed export leaves no file.
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            count = service.export_table(settings.ledger_path, table, fmt, f, actor=settings.user)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    click.echo(f"wrote {count} row{'s' if count != 1 else ''} of {table} to {output}", err=True)
