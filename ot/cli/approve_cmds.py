"""``ot approve shifts|timecards`` and ``ot unapprove shifts|timecards``: the two-step approval."""

from __future__ import annotations

from datetime import date

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import echo_json, json_option
from ot.cli.period_cmds import DATE, today
from ot.core.timez import utcnow
from ot.services import approvals as service


def _show(result: service.ApproveResult, verb: str, as_json: bool = False) -> None:
    if as_json:
        echo_json(result)
        return
    for item in result.done:
        click.echo(f"{verb} {item}")
    for item in result.unchanged:
        click.echo(f"already {item}" if "(" in item else f"already {verb} {item}")
    for note in result.notes:
        click.echo(note, err=True)
    for problem in result.blocked:
        click.echo(f"blocked: {problem}", err=True)
    tail = f", {len(result.blocked)} blocked (each blocks only its own worker)" if result.blocked else ""
    click.echo(f"{len(result.done)} {verb}, {len(result.unchanged)} unchanged{tail}")


@main.group("approve")
def approve_group() -> None:
    """Step 1: approve shifts (a manager of the worker, or an admin); step 2: timecards (an admin)."""


@approve_group.command("shifts")
@click.option("--shift", "shift_ids", multiple=True, help="A shift id (repeat for more).")
@click.option("--worker", "worker_id", help="Every shift of this worker in the workweek of --week.")
@click.option("--week", type=DATE, help="Any day of the workweek (with --worker).")
@click.option("--all-visible", is_flag=True, help="Every shift you may approve in the pay period of --period.")
@click.option(
    "--period", "period_day", type=DATE, help="Any day of the pay period (with --all-visible; default today)."
)
@json_option
@pass_settings
def approve_shifts(
    settings: Settings,
    shift_ids: tuple[str, ...],
    worker_id: str | None,
    week: date | None,
    all_visible: bool,
    period_day: date | None,
    as_json: bool,
) -> None:
    """Approve shifts at their current version (an edit voids the approval)."""
    result = service.approve_shifts(
        settings.ledger_path,
        shift_ids=shift_ids,
        worker_id=worker_id,
        week=week,
        all_visible=all_visible,
        period_day=period_day or today(),
        actor=settings.user,
        now=utcnow(),
    )
    _show(result, "approved", as_json)


@approve_group.command("timecards")
@click.option("--period", "period_day", type=DATE, required=True, help="Any day of the pay period.")
@click.option("--worker", "worker_ids", multiple=True, help="Only this worker (repeat for more). Default: everyone.")
@click.option(
    "--holiday-hours",
    multiple=True,
    metavar="W:DATE:HOURS",
    help="Holiday hours entered by hand, e.g. W1:2026-11-26:8 (repeat for more).",
)
@click.option(
    "--all-or-nothing",
    is_flag=True,
    help="Approve none when any timecard is blocked (default: approve the ready ones).",
)
@json_option
@pass_settings
def approve_timecards(
    settings: Settings,
    period_day: date,
    worker_ids: tuple[str, ...],
    holiday_hours: tuple[str, ...],
    all_or_nothing: bool,
    as_json: bool,
) -> None:
    """Approve timecards: each worker's unpaid dates up to the period's end (approved shifts, PTO/sick and
    holiday hours, open corrections). Blocked timecards are listed with what blocks them."""
    result = service.approve_timecards(
        settings.ledger_path,
        period_day=period_day,
        worker_ids=worker_ids,
        holiday_hours=holiday_hours,
        all_or_nothing=all_or_nothing,
        actor=settings.user,
        now=utcnow(),
    )
    _show(result, "approved", as_json)


@main.group("unapprove")
def unapprove_group() -> None:
    """Void approvals of shifts or timecards (with a reason)."""


@unapprove_group.command("shifts")
@click.option("--shift", "shift_ids", multiple=True, required=True, help="A shift id (repeat for more).")
@click.option("--reason", required=True, help="Why.")
@json_option
@pass_settings
def unapprove_shifts(settings: Settings, shift_ids: tuple[str, ...], reason: str, as_json: bool) -> None:
    """Void the approval of shifts (and of the timecards that hold them)."""
    result = service.unapprove_shifts(
        settings.ledger_path, shift_ids=shift_ids, reason=reason, actor=settings.user, now=utcnow()
    )
    _show(result, "unapproved", as_json)


@unapprove_group.command("timecards")
@click.option("--period", "period_day", type=DATE, required=True, help="Any day of the pay period.")
@click.option("--worker", "worker_ids", multiple=True, required=True, help="Whose timecard (repeat for more).")
@click.option("--reason", required=True, help="Why.")
@json_option
@pass_settings
def unapprove_timecards(
    settings: Settings, period_day: date, worker_ids: tuple[str, ...], reason: str, as_json: bool
) -> None:
    """Void the approval of timecards (not once paid)."""
    result = service.unapprove_timecards(
        settings.ledger_path,
        period_day=period_day,
        worker_ids=worker_ids,
        reason=reason,
        actor=settings.user,
        now=utcnow(),
    )
    _show(result, "unapproved", as_json)


@approve_group.command("status")
@click.option("--period", "period_day", type=DATE, help="Any day of the pay period (default today).")
@json_option
@pass_settings
def status(settings: Settings, period_day: date | None, as_json: bool) -> None:
    """Where each timecard of a pay period stands: shifts approved, step 2, paid, and what blocks it."""
    period, rows = service.period_status(settings.ledger_path, period_day or today())
    if as_json:
        echo_json(service.status_json(period, rows))
        return
    click.echo(f"pay period {period.label()}, pay date {period.pay_date}")
    if not rows:
        click.echo("no shifts, leave, corrections or timecards in this period")
        return
    click.echo(f"{'worker':<8}{'name':<24}{'shifts':>7}{'approved':>10}{'leave h':>9}{'gross':>11}  timecard")
    for r in rows:
        card = f"paid ({r.run_id})" if r.run_id else r.timecard
        if r.pay_from is not None and r.pay_from < period.start:
            card += f" (unpaid dates from {r.pay_from})"
        click.echo(
            f"{r.worker_id:<8}{r.name[:23]:<24}{r.shifts:>7}{r.approved:>10}{r.leave_hours:>9.2f}{r.gross:>11}  {card}"
        )
    for r in rows:
        if r.why and r.timecard in ("blocked", "open", "changed"):
            click.echo(f"  {r.worker_id}: {r.why}")
