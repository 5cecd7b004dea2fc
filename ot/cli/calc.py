"""``ot calc``: the stateless pay calculator (contracts/calc.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import click

from ot.cli.app import main


@main.command()
@click.argument("file", type=click.File("rb"))
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Rules file (.ot). Default: the rules.example.ot that ships with ot.",
)
@click.option(
    "--explain", is_flag=True, help="Add each week's explanation (every hour's class, winning and losing rules)."
)
def calc(file: IO[bytes], rules_path: Path | None, explain: bool) -> None:
    """Price the shifts in FILE (JSON; - for standard input) and print the pay as JSON.

    Reads and writes no ledger. See contracts/calc.md for the input and output.
    """
    from ot.services.calc import calculate, decode, load_rules

    given = getattr(file, "name", "-")
    name = given if isinstance(given, str) and given != "<stdin>" else "-"
    text = decode(file.read(), name)
    book = load_rules(rules_path)
    out = calculate(text, name=name, book=book, explain=explain)
    click.echo(json.dumps(out, indent=2))
