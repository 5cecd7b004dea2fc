"""What ``ot`` with no command does: open the terminal UI (a summary until it exists)."""

from __future__ import annotations

from ot.cli.app import Settings


def open_home(settings: Settings) -> None:
    """Open the terminal UI on the ledger; until it exists, print the ledger's summary."""
    import click

    from ot.services.summary import ledger_summary

    click.echo(ledger_summary(settings.ledger_path))
