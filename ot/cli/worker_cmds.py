"""``ot workers``: list and search the roster (FTS5 search, ``ot.services.search``)."""

from __future__ import annotations

import json

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import json_flag
from ot.cli.params import WholeNumber
from ot.services import search as service


@main.command("workers")
@click.option(
    "--search",
    "text",
    help="Words, each matching the start of a word of id, name, type, location, "
    "manager or role (e.g. 'ali' finds Alice Wong, 'W01' finds W0123).",
)
@click.option("--pin-override", is_flag=True, help="Only workers whose PIN is an admin's override.")
@click.option("--limit", type=WholeNumber(), help="Show at most this many (the total is still counted).")
@json_flag("Print JSON.")
@pass_settings
def workers(settings: Settings, text: str | None, pin_override: bool, limit: int | None, as_json: bool) -> None:
    """List the workers you may see (an admin all, a manager their reports), or search them."""
    result = service.search_workers(
        settings.ledger_path, text, actor=settings.user, pin_override=pin_override, limit=limit
    )
    if as_json:
        doc = {"scope": result.scope, "total": result.total, "workers": [h.to_json() for h in result.hits]}
        click.echo(json.dumps(doc, indent=2))
        return
    if not result.hits:
        click.echo(f"no workers match ({result.scope})")
        return
    click.echo(f"{'worker':<10}{'name':<26}{'type':<6}{'location':<10}{'manager':<10}{'role':<9}notes")
    for h in result.hits:
        notes = ", ".join(n for n, on in (("inactive", not h.active), ("PIN override", h.pin_override)) if on)
        click.echo(
            f"{h.worker_id:<10}{h.name[:25]:<26}{h.type:<6}{h.location_id:<10}{h.manager_id or '':<10}{h.role:<9}{notes}"
        )
    more = f" (showing {len(result.hits)})" if len(result.hits) < result.total else ""
    click.echo(f"{result.total} worker{'s' if result.total != 1 else ''}, {result.scope}{more}")
