"""``ot explain``: a workweek hour by hour, from the ledger."""

from __future__ import annotations

from datetime import date

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import echo_json, json_flag
from ot.core.timez import TimeError, parse_date
from ot.services.explain import explain_week, explanation_json, explanation_text


def _day(ctx: click.Context, param: click.Parameter, value: str) -> date:
    try:
        return parse_date(value)
    except TimeError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command("explain")
@click.argument("worker")
@click.option(
    "--week", "day", required=True, callback=_day, metavar="DATE", help="Any date in the workweek (YYYY-MM-DD)."
)
@json_flag("Print JSON for tools.")
@pass_settings
def explain_cmd(settings: Settings, worker: str, day: date, as_json: bool) -> None:
    """Explain WORKER's workweek: every shift, each hour's class, the rule that won
    (jurisdiction, rule text, file and line), the rules that lost, the
    regular-rate arithmetic and the totals."""
    ex = explain_week(settings.ledger_path, worker, day)
    if as_json:
        echo_json(explanation_json(ex))
    else:
        click.echo(explanation_text(ex), nl=False)
