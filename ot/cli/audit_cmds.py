"""``ot audit corrections``: every over- and underpayment and how it was settled."""

from __future__ import annotations

from datetime import date

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import echo_json, json_flag
from ot.cli.period_cmds import DATE
from ot.services.corrections import audit, render_audit


@main.group("audit")
def audit_group() -> None:
    """Audits of what the ledger records."""


@audit_group.command("corrections")
@click.option("--worker", "worker_id", help="Only this worker.")
@click.option("--since", type=DATE, help="Only corrections recorded on or after this date (UTC).")
@json_flag("Print a JSON array.")
@pass_settings
def corrections(settings: Settings, worker_id: str | None, since: date | None, as_json: bool) -> None:
    """Every over- and underpayment: when, who, why, amounts, how settled and whether it has been."""
    rows = audit(settings.ledger_path, worker_id=worker_id, since=since)
    if as_json:
        echo_json([r.to_json() for r in rows])
    else:
        click.echo(render_audit(rows))
