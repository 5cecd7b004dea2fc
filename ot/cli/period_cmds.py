"""``ot period`` (pay-period configuration and listing) and ``ot employer``."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import echo_json, json_option
from ot.cli.params import WholeNumber
from ot.core.periods import FREQUENCIES, PayPeriod
from ot.core.timez import TimeError, parse_date, utcnow
from ot.services import periods as service
from ot.services.deadlines import approve_by_on


class DateType(click.ParamType):
    """A ``YYYY-MM-DD`` option value; a bad one is a usage error naming the option (exit 2)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except TimeError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()


def today() -> date:
    """The local calendar date (the CLI is the edge that may read the clock)."""
    return date.today()


@main.group()
def period() -> None:
    """Pay periods: configure the calendar, list periods."""


@period.command("configure")
@click.option(
    "--frequency",
    required=True,
    type=click.Choice(FREQUENCIES),
    help="weekly, biweekly, or semimonthly (1st-15th and 16th-end of month).",
)
@click.option("--anchor", required=True, type=DATE, help="The first day of some period (semimonthly: a 1st or 16th).")
@click.option(
    "--pay-date-offset",
    type=WholeNumber(0, 31, "days"),
    default=5,
    show_default=True,
    help="Days from a period's last day to its pay date (0 to 31).",
)
@click.option(
    "--effective",
    type=DATE,
    default=None,
    help="In force from this date (a period's first day); earlier dates keep the earlier set-up. "
    "Without it, this replaces every earlier configuration.",
)
@json_option
@pass_settings
def configure(
    settings: Settings, frequency: str, anchor: date, pay_date_offset: int, effective: date | None, as_json: bool
) -> None:
    """Record how pay periods run (an event in the ledger)."""
    new = settings.new_ledger()
    result = service.configure_periods(
        settings.ledger_path,
        frequency=frequency,
        anchor=anchor,
        pay_date_offset=pay_date_offset,
        effective=effective,
        actor=settings.user,
        now=utcnow(),
    )
    settings.said_new(new, as_json)
    if result.added and not as_json:
        click.echo(f"pay periods configured: {frequency} from {anchor.isoformat()}, paid {pay_date_offset} days after")
    elif not as_json:
        click.echo("pay periods already configured exactly so; nothing was added")
    listing = service.list_periods(settings.ledger_path, effective or anchor, 1)
    first = listing.periods[0]
    if as_json:
        echo_json({"added": result.added, "config": listing.config, "first_period": _period_json(first)})
        return
    click.echo(f"first period: {first.label()}, paid {first.pay_date.isoformat()}")


@period.command("show")
@click.option("--date", "day", type=DATE, default=None, help="Show the period containing this date. Default: today.")
@click.option("--count", type=WholeNumber(), default=4, show_default=True, help="How many periods to list.")
@json_option
@pass_settings
def show(settings: Settings, day: date | None, count: int, as_json: bool) -> None:
    """List the pay period containing a date and the ones after it."""
    listing = service.list_periods(settings.ledger_path, day or today(), count)
    deadline = approve_by_on(settings.ledger_path, listing.day)
    if as_json:
        echo_json(
            {
                "approve_by": {
                    "day": deadline.day,
                    "usual": deadline.usual,
                    "holidays": [{"day": h.day, "name": h.name} for h in deadline.holidays],
                    "text": deadline.line(),
                },
                "day": listing.day,
                "configured": listing.configured,
                "hint": listing.hint,
                "config": listing.config,
                "periods": [{**_period_json(p), "contains_day": listing.day in p} for p in listing.periods],
            }
        )
        return
    if listing.hint:
        click.echo(f"note: {listing.hint}", err=True)
    c = listing.config
    click.echo(f"Pay periods: {c.frequency} from {c.anchor.isoformat()}, paid {c.pay_date_offset} days after the end")
    click.echo(f"  {'Start':<10}  {'End':<10}  {'Pay date':<10}  Days")
    for p in listing.periods:
        mark = ">" if listing.day in p else " "
        click.echo(f"{mark} {p.start.isoformat()}  {p.end.isoformat()}  {p.pay_date.isoformat()}  {p.days:>4}")
    click.echo(deadline.line())


def _period_json(p: PayPeriod) -> dict[str, object]:
    return {"start": p.start, "end": p.end, "pay_date": p.pay_date, "days": p.days, "frequency": p.frequency}


@main.group()
def employer() -> None:
    """The employer's name and address printed on pay stubs."""


@employer.command("set")
@click.option("--name", required=True, help="The employer's name as pay stubs print it.")
@click.option("--address", "address", multiple=True, help="An address line; repeat for each line, top to bottom.")
@json_option
@pass_settings
def employer_set(settings: Settings, name: str, address: tuple[str, ...], as_json: bool) -> None:
    """Record the employer's name and address (an event in the ledger)."""
    new = settings.new_ledger()
    result = service.set_employer(settings.ledger_path, name=name, address=address, actor=settings.user, now=utcnow())
    settings.said_new(new, as_json)
    if as_json:
        echo_json(result)
        return
    click.echo("employer set" if result.added else "employer already set exactly so; nothing was added")


@employer.command("show")
@json_option
@pass_settings
def employer_show(settings: Settings, as_json: bool) -> None:
    """Print the employer's name and address."""
    found = service.current_employer(settings.ledger_path)
    if as_json:
        hint = None if found.configured else service.EMPLOYER_HINT
        echo_json({"name": found.name, "address": found.address, "configured": found.configured, "hint": hint})
        return
    if not found.configured:
        click.echo(f"note: {service.EMPLOYER_HINT}", err=True)
    click.echo(found.name)
    for line in found.address:
        click.echo(line)
