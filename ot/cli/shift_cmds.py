"""``ot shift add|edit|delete``: manual shift entries with the paid-date lock."""

from __future__ import annotations

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import echo_json, json_option
from ot.core.timez import utcnow
from ot.services.entries import EntryResult, ShiftInput, add_shift, delete_shift, edit_shift

TIMEFRAMES = click.Choice(["NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID"], case_sensitive=False)
PAY_TYPES = click.Choice(["REGULAR", "PTO", "SICK", "HOLIDAY"], case_sensitive=False)


def _show(result: EntryResult, as_json: bool = False) -> None:
    if as_json:
        echo_json(result)
        return
    what = "correction: " if result.correction else ""
    click.echo(f"{what}{result.action} shift {result.shift_id}: {result.description}")
    for item in result.voided:
        click.echo(f"voided the {item}: approve it again")
    for c in result.corrections:
        sign = "+" if c.kind == "underpayment" else "-"
        click.echo(
            f"{c.kind} {c.correction_id} for {c.worker_id}, week of {c.week_start}: {sign}{c.amount} "
            f"({c.settlement}; recomputed with {c.rules_file})"
        )
    if result.correction and not result.corrections:
        click.echo("the correction changes no amount already paid")


#: How an underpayment a correction records is paid (add, edit and delete).
_TIMEFRAME = click.option(
    "--correction-timeframe",
    "timeframe",
    type=TIMEFRAMES,
    default="NEXT_PAYROLL_PAYMENT",
    show_default=True,
    help="How an underpayment is paid.",
)


def _options(func: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.option("--start", help="Local start at the work location, YYYY-MM-DDTHH:MM (24-hour)."),
        click.option("--end", help="Local end, YYYY-MM-DDTHH:MM or HH:MM (the next day when not after the start)."),
        click.option(
            "--break",
            "breaks",
            multiple=True,
            help="A break HH:MM-HH:MM[:TYPE] (local; TYPE default DEFAULT_UNPAID). Repeat for more.",
        ),
        click.option("--date", "day", help="Date of an hours-only entry, YYYY-MM-DD."),
        click.option("--hours", help="Hours of an hours-only entry (e.g. 7.5)."),
        click.option("--rate", help="Shift rate in dollars per hour (default: the worker's profile rate)."),
        click.option("--location", "location_id", help="Work location id (default: the worker's)."),
        click.option("--pay-type", type=PAY_TYPES, help="REGULAR (default), PTO, SICK or HOLIDAY."),
        click.option(
            "--attest",
            "rest",
            type=click.Choice(["rest-missed", "rest-taken", "none"], case_sensitive=False),
            help="The worker's answer about rest periods (Cal. Lab. Code 226.7); none clears it.",
        ),
        click.option("--reason", help="Why (required for a correction)."),
        click.option(
            "--correction-authorized",
            is_flag=True,
            help="Allow a change on a paid date (a correction; admins only).",
        ),
        _TIMEFRAME,
    ]
    options.append(json_option)
    for option in reversed(options):
        func = option(func)
    return func


@main.group("shift")
def shift_group() -> None:
    """Add, edit or delete shifts by hand (24-hour local time); changes on paid dates are corrections."""


@shift_group.command("add")
@click.option("--worker", "worker_id", required=True, help="Worker id.")
@_options
@pass_settings
def add_cmd(
    settings: Settings,
    worker_id: str,
    start: str | None,
    end: str | None,
    breaks: tuple[str, ...],
    day: str | None,
    hours: str | None,
    rate: str | None,
    location_id: str | None,
    pay_type: str | None,
    rest: str | None,
    reason: str | None,
    correction_authorized: bool,
    timeframe: str,
    as_json: bool,
) -> None:
    """Add a shift: --start/--end [--break ...], or --date/--hours."""
    given = ShiftInput(start, end, breaks or None, day, hours, rate, location_id, pay_type, rest)
    result = add_shift(
        settings.ledger_path,
        worker_id=worker_id,
        given=given,
        reason=reason,
        correction_authorized=correction_authorized,
        timeframe=timeframe,
        actor=settings.user,
        now=utcnow(),
    )
    _show(result, as_json)


@shift_group.command("edit")
@click.argument("shift_id")
@_options
@pass_settings
def edit_cmd(
    settings: Settings,
    shift_id: str,
    start: str | None,
    end: str | None,
    breaks: tuple[str, ...],
    day: str | None,
    hours: str | None,
    rate: str | None,
    location_id: str | None,
    pay_type: str | None,
    rest: str | None,
    reason: str | None,
    correction_authorized: bool,
    timeframe: str,
    as_json: bool,
) -> None:
    """Change a shift (manual or punched): give only what changes."""
    given = ShiftInput(start, end, breaks or None, day, hours, rate, location_id, pay_type, rest)
    result = edit_shift(
        settings.ledger_path,
        shift_id,
        given=given,
        reason=reason,
        correction_authorized=correction_authorized,
        timeframe=timeframe,
        actor=settings.user,
        now=utcnow(),
    )
    _show(result, as_json)


@shift_group.command("delete")
@click.argument("shift_id")
@click.option("--reason", required=True, help="Why it is deleted.")
@click.option(
    "--correction-authorized",
    is_flag=True,
    help="Record the corrections of the paid weeks the deletion reprices (admins only).",
)
@_TIMEFRAME
@json_option
@pass_settings
def delete_cmd(
    settings: Settings, shift_id: str, reason: str, correction_authorized: bool, timeframe: str, as_json: bool
) -> None:
    """Delete a shift (never on a paid date: edit it as a correction there)."""
    result = delete_shift(
        settings.ledger_path,
        shift_id,
        reason=reason,
        actor=settings.user,
        now=utcnow(),
        correction_authorized=correction_authorized,
        timeframe=timeframe,
    )
    _show(result, as_json)
