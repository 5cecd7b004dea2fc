"""``ot import schedules``, ``ot schedule show``, ``ot pto fill`` and ``ot holidays fill``: leave and
holiday hours filled in from workers' schedules (``ot.services.schedules``, docs/schedules.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.import_cmds import import_group
from ot.cli.output import echo_json, json_option, jsonable
from ot.core.timez import utcnow
from ot.services import schedules as service

TIMEFRAMES = click.Choice(["NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID"], case_sensitive=False)


def _correction_options(func: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.option("--dry-run", is_flag=True, help="Say what would be added; write nothing."),
        click.option("--reason", help="Why (required with --correction-authorized)."),
        click.option(
            "--correction-authorized",
            is_flag=True,
            help="Allow entries on paid dates: corrections, as `ot shift add` makes them (admins only).",
        ),
        click.option(
            "--correction-timeframe",
            "timeframe",
            type=TIMEFRAMES,
            default="NEXT_PAYROLL_PAYMENT",
            show_default=True,
            help="How an underpayment is paid.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _show(result: service.FillResult, as_json: bool = False) -> None:
    if as_json:
        echo_json({**jsonable(result), "hours": result.hours})
        return
    for f in result.added:
        what = f"{f.holiday}: " if f.holiday else ""
        fix = "correction: " if f.correction else ""
        click.echo(
            f"{fix}{what}{f.pay_type} {f.hours}h for {f.worker_id} on {f.day:%a} {f.day.isoformat()} ({f.shift_id})"
        )
    for worker_id, day, why in result.skipped:
        click.echo(f"skipped {worker_id} {day:%a} {day.isoformat()}: {why}")
    for item in result.voided:
        click.echo(f"voided the {item}: approve it again")
    for c in result.corrections:
        sign = "+" if c.kind == "underpayment" else "-"
        click.echo(f"{c.kind} {c.correction_id} for {c.worker_id}, week of {c.week_start}: {sign}{c.amount}")
    for note in result.notes:
        click.echo(f"note: {note}")
    verb = "would add" if result.dry_run else "added"
    tail = " (dry run: nothing was written)" if result.dry_run else ""
    click.echo(f"{verb} {len(result.added)} entries, {result.hours} hours{tail}")


@import_group.command("schedules")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be added; write nothing.")
@click.option(
    "--correction-authorized",
    is_flag=True,
    help="Allow a schedule that reprices paid weeks (reporting-time pay): corrections.",
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
def import_schedules(
    settings: Settings,
    file: Path,
    dry_run: bool,
    correction_authorized: bool,
    reason: str | None,
    timeframe: str,
    as_json: bool,
) -> None:
    """Import workers' weekly schedules from a CSV file with this header (docs/schedules.md):

    \b
    worker_id,weekday,hours,effective_from

    A file with any bad row is refused whole (every bad row named FILE:LINE:COLUMN, exit 2);
    the same file twice adds nothing; a changed row is a new event from its date.
    """
    result = service.import_schedules(
        settings.ledger_path,
        file,
        dry_run=dry_run,
        actor=settings.user,
        now=utcnow(),
        correction_authorized=correction_authorized,
        reason=reason,
        timeframe=timeframe,
    )
    if as_json:
        echo_json(result)
        return
    click.echo(result.describe())


@main.group("schedule")
def schedule_group() -> None:
    """Workers' weekly schedules (import them with `ot import schedules FILE`)."""


@schedule_group.command("show")
@click.option("--worker", "worker_id", required=True, help="Worker id.")
@json_option
@pass_settings
def schedule_show(settings: Settings, worker_id: str, as_json: bool) -> None:
    """List a worker's schedule rows, by the date each is in force from."""
    rows = service.schedule_rows(settings.ledger_path, worker_id)
    if as_json:
        echo_json({"worker_id": worker_id, "rows": rows})
        return
    if not rows:
        click.echo(f"{worker_id} has no schedule: import one with `ot import schedules FILE`")
        return
    for row in rows:
        hours = f"{row.hours}h" if row.hours else "not scheduled"
        click.echo(f"from {row.effective_from.isoformat()}  {row.weekday_name:<9}  {hours}")


@schedule_group.command("excuse")
@click.option("--worker", "worker_id", required=True, help="Worker id.")
@click.option("--date", "day", required=True, metavar="DATE", help="The scheduled day, YYYY-MM-DD.")
@click.option(
    "--cause",
    type=click.Choice(service.EXCUSE_CAUSES),
    required=True,
    help="Why no reporting-time pay is owed (Wage Order section 5(C), (D)); withdrawn takes an excuse back.",
)
@click.option("--note", help="What happened, in words (kept in the ledger).")
@_correction_options
@json_option
@pass_settings
def schedule_excuse(
    settings: Settings,
    as_json: bool,
    worker_id: str,
    day: str,
    cause: str,
    note: str | None,
    dry_run: bool,
    reason: str | None,
    correction_authorized: bool,
    timeframe: str,
) -> None:
    """Excuse a day from reporting-time pay: work could not begin or go on because of threats or civil
    authorities, a failure of public utilities, or an Act of God (IWC Wage Order section 5(C)), or the
    worker was on paid standby (5(D)). The engine does not judge the cause; the day's explanation names it."""
    result = service.excuse_reporting_time(
        settings.ledger_path,
        worker_id,
        day,
        cause,
        note=note,
        actor=settings.user,
        now=utcnow(),
        dry_run=dry_run,
        correction_authorized=correction_authorized,
        correction_reason=reason,
        timeframe=timeframe,
    )
    if as_json:
        echo_json(result)
        return
    click.echo(result.describe())


@main.group("pto")
def pto_group() -> None:
    """Paid time off filled in from the worker's schedule."""


@pto_group.command("fill")
@click.option("--worker", "worker_id", required=True, help="Worker id.")
@click.option("--from", "first", required=True, metavar="DATE", help="First day of the leave, YYYY-MM-DD.")
@click.option("--to", "last", required=True, metavar="DATE", help="Last day of the leave, YYYY-MM-DD.")
@click.option(
    "--kind",
    type=click.Choice(service.LEAVE_KINDS, case_sensitive=False),
    default="PTO",
    show_default=True,
    help="PTO or SICK.",
)
@_correction_options
@json_option
@pass_settings
def pto_fill(
    settings: Settings,
    as_json: bool,
    worker_id: str,
    first: str,
    last: str,
    kind: str,
    dry_run: bool,
    reason: str | None,
    correction_authorized: bool,
    timeframe: str,
) -> None:
    """Add PTO (or SICK) hours for each scheduled day from --from to --to, with the scheduled hours."""
    result = service.fill_leave(
        settings.ledger_path,
        worker_id=worker_id,
        first=first,
        last=last,
        kind=kind,
        reason=reason,
        correction_authorized=correction_authorized,
        timeframe=timeframe,
        dry_run=dry_run,
        actor=settings.user,
        now=utcnow(),
    )
    _show(result, as_json)


@main.group("holidays")
def holidays_group() -> None:
    """Holiday hours from the rules file's holiday calendar (docs/holidays.md)."""


@holidays_group.command("fill")
@click.option("--period", "period_day", required=True, metavar="DATE", help="Any date of the pay period.")
@click.option("--worker", "workers", multiple=True, help="Only this worker (repeat for more). Default: every worker.")
@click.option(
    "--calendar",
    type=click.Choice(["state", "federal"]),
    default="state",
    show_default=True,
    help="state: each worker's work-location state (with the federal days); federal: federal days only.",
)
@_correction_options
@json_option
@pass_settings
def holidays_fill(
    settings: Settings,
    as_json: bool,
    period_day: str,
    workers: tuple[str, ...],
    calendar: str,
    dry_run: bool,
    reason: str | None,
    correction_authorized: bool,
    timeframe: str,
) -> None:
    """Add HOLIDAY hours for each holiday in the period, for workers scheduled on its weekday."""
    result = service.fill_holidays(
        settings.ledger_path,
        period_day=period_day,
        workers=workers,
        calendar=calendar,
        reason=reason,
        correction_authorized=correction_authorized,
        timeframe=timeframe,
        dry_run=dry_run,
        actor=settings.user,
        now=utcnow(),
    )
    _show(result, as_json)
