"""``ot payrun``: pay the approved timecards of a pay period."""

from __future__ import annotations

from datetime import date

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import echo_json, jobs_option, json_option
from ot.cli.period_cmds import DATE
from ot.core.timez import utcnow
from ot.services.payrun import payrun_json, render_payrun, run_payroll


@main.command("payrun")
@click.option("--period", "period_day", type=DATE, required=True, help="Any day of the pay period.")
@click.option("--dry-run", is_flag=True, help="Show what would be paid; write nothing.")
@click.option("--partial", is_flag=True, help="Pay the approved timecards even if others cannot be paid yet.")
@click.option(
    "--confirm",
    "code",
    metavar="CODE",
    help="Pay only the run a --dry-run showed with this code (refused if the ledger changed what it pays).",
)
@jobs_option
@json_option
@pass_settings
def payrun(
    settings: Settings,
    period_day: date,
    dry_run: bool,
    partial: bool,
    code: str | None,
    jobs: int | None,
    as_json: bool,
) -> None:
    """Pay each worker's approved unpaid dates up to the period's end, and the open corrections;
    those dates become paid, never twice. --dry-run lists every amount, and what blocks the rest,
    with the code --confirm takes to pay exactly that."""
    result = run_payroll(
        settings.ledger_path,
        period_day=period_day,
        dry_run=dry_run,
        partial=partial,
        actor=settings.user,
        now=utcnow(),
        jobs=jobs,
        confirmed=code,
    )
    if as_json:
        echo_json(payrun_json(result))
        return
    click.echo(render_payrun(result))
