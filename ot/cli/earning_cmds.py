"""``ot earning add|void|list`` and ``ot import earnings``: earnings besides hours, in the ledger."""

from __future__ import annotations

from pathlib import Path

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.import_cmds import import_group
from ot.cli.output import echo_json, json_option
from ot.core.domain import EARNING_KINDS
from ot.core.timez import utcnow
from ot.services import earnings as service


def _show(result: service.EarningResult, as_json: bool) -> None:
    if as_json:
        echo_json(result)
        return
    verb = f"would be {result.action}" if result.dry_run else result.action
    if result.count == 0:
        click.echo(f"nothing new: every earning is already in the ledger ({result.action})")
    else:
        click.echo(f"{result.count} earning event(s) {verb}: {', '.join(result.earning_ids)}")
    for c in result.corrections:
        click.echo(f"correction {c}")


def _correction(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option("--reason", help="Why (required with --correction-authorized).")(func)
    return click.option(
        "--correction-authorized",
        is_flag=True,
        help="Allow a change dated in a paid workweek: it records the corrections it makes.",
    )(func)


@main.group("earning")
def earning_group() -> None:
    """Earnings besides hours: bonuses, commissions, piece pay, on-call and call-back pay."""


@earning_group.command("add")
@click.argument("worker_id", metavar="WORKER")
@click.option("--date", "day", required=True, metavar="DATE", help="The date it belongs to (or is paid), YYYY-MM-DD.")
@click.option("--kind", required=True, type=click.Choice(EARNING_KINDS), help="What it is (which count: see help).")
@click.option("--amount", default="", help="Dollars, to the cent (or give --quantity and --unit-rate).")
@click.option("--quantity", default="", help="Pieces or units it pays for.")
@click.option("--unit-rate", "unit_rate", default="", help="Dollars per piece or unit.")
@click.option("--earned-from", "earned_from", default="", metavar="DATE", help="A bonus's period: first date.")
@click.option("--earned-to", "earned_to", default="", metavar="DATE", help="A bonus's period: last date.")
@click.option("--note", default="", help="A note kept with it.")
@click.option("--dry-run", is_flag=True, help="Say what would be recorded; write nothing.")
@_correction
@json_option
@pass_settings
def add_cmd(
    settings: Settings,
    worker_id: str,
    day: str,
    kind: str,
    amount: str,
    quantity: str,
    unit_rate: str,
    earned_from: str,
    earned_to: str,
    note: str,
    dry_run: bool,
    correction_authorized: bool,
    reason: str | None,
    as_json: bool,
) -> None:
    """Record an earning of WORKER: a nondiscretionary bonus, commission, piece pay or on-call
    pay counts toward the regular rate (29 CFR 778.111, 778.117, 778.209, 778.223); call-back
    pay above the hours worked, a discretionary bonus, a gift or an expense does not
    (778.211-778.222). A bonus earned over weeks (--earned-from/--earned-to) is allocated back:
    each week's overtime is owed its share (778.209)."""
    given = service.EarningValues(worker_id, day, kind, amount, quantity, unit_rate, earned_from, earned_to, note)
    result = service.record_earning(
        settings.ledger_path,
        given,
        actor=settings.user,
        now=utcnow(),
        dry_run=dry_run,
        correction_authorized=correction_authorized,
        reason=reason,
    )
    _show(result, as_json)


@earning_group.command("void")
@click.argument("earning_id", metavar="ID")
@click.option("--reason", required=True, help="Why it is voided.")
@click.option("--dry-run", is_flag=True, help="Say what would be voided; write nothing.")
@click.option("--correction-authorized", is_flag=True, help="Allow voiding one in a paid workweek (a correction).")
@json_option
@pass_settings
def void_cmd(
    settings: Settings, earning_id: str, reason: str, dry_run: bool, correction_authorized: bool, as_json: bool
) -> None:
    """Void a recorded earning (it stays in the history; record the right one again)."""
    result = service.void_earning(
        settings.ledger_path,
        earning_id,
        reason=reason,
        actor=settings.user,
        now=utcnow(),
        dry_run=dry_run,
        correction_authorized=correction_authorized,
    )
    _show(result, as_json)


@earning_group.command("list")
@click.option("--worker", "worker_id", help="Only this worker.")
@click.option("--from", "start", metavar="DATE", help="First date.")
@click.option("--to", "end", metavar="DATE", help="Last date.")
@json_option
@pass_settings
def list_cmd(settings: Settings, worker_id: str | None, start: str | None, end: str | None, as_json: bool) -> None:
    """List the earnings in force (not voided)."""
    rows = service.list_earnings(settings.ledger_path, worker_id=worker_id, start=start, end=end, actor=settings.user)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no earnings")
    for r in rows:
        basis = f" ({r['quantity']} x {r['unit_rate']})" if r["quantity"] else ""
        period = f", earned {r['earned_from']}..{r['earned_to']}" if r["earned_from"] else ""
        click.echo(f"{r['earning_id']}  {r['worker']}  {r['date']}  {r['kind']:<20} {r['amount']:>10}{basis}{period}")


@import_group.command("earnings")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be added; write nothing.")
@_correction
@json_option
@pass_settings
def import_earnings_cmd(
    settings: Settings, file: Path, dry_run: bool, correction_authorized: bool, reason: str | None, as_json: bool
) -> None:
    """Import earnings from a CSV file with this header:

    \b
    worker_id,date,kind,amount[,quantity,unit_rate,earned_from,earned_to,note]

    A file with any bad row is refused whole (every problem named FILE:LINE:COLUMN, exit 2) and
    nothing is written; the same file twice adds nothing."""
    result = service.import_earnings(
        settings.ledger_path,
        file,
        actor=settings.user,
        now=utcnow(),
        dry_run=dry_run,
        correction_authorized=correction_authorized,
        reason=reason,
    )
    _show(result, as_json)
