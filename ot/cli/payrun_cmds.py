"""``ot payrun``: pay the approved timecards of a pay period."""

from __future__ import annotations

from datetime import date

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.period_cmds import DATE
from ot.services.payrun import render_payrun, run_payroll
from ot.timez import utcnow


@main.command("payrun")
@click.option("--period", "period_day", type=DATE, required=True, help="Any day of the pay period.")
@click.option("--dry-run", is_flag=True, help="Show what would be paid; write nothing.")
@click.option("--partial", is_flag=True, help="Pay the approved timecards even if others are missing.")
@pass_settings
def payrun(settings: Settings, period_day: date, dry_run: bool, partial: bool) -> None:
    """Pay every step-2-approved timecard of the period and mark its dates paid (never twice)."""
    result = run_payroll(
        settings.ledger_path, period_day=period_day, dry_run=dry_run, partial=partial, actor=settings.user, now=utcnow()
    )
    click.echo(render_payrun(result))
