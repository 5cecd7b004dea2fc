"""How commands print JSON (``--json``) and errors: one place, so every command looks the same.

JSON is stable: keys sorted, ``Decimal`` as its exact text (never a float), dates and times ISO 8601,
UTC instants with a ``Z``. It is built from the same service result the text is printed from.
An error is printed once: each located problem (where: what to do), then what happened; under
``--json``, as one JSON object on standard error (:func:`error_json`), so a script reads it whole.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import click

from ot.cli.params import WholeNumber
from ot.core.errors import OtError

FC = TypeVar("FC", bound=Callable[..., Any] | click.Command)


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data: dataclasses by field, ``Decimal`` as text, dates ISO, sets sorted.

    A float is refused (money and hours are ``Decimal``): a float here is a bug to fix, not to print.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            from ot.core.timez import iso_utc

            return iso_utc(value)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Enum):
        return jsonable(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}: convert it where the command builds its JSON")


def dumps(data: Any) -> str:
    """The stable JSON text of ``data`` (see :func:`jsonable`)."""
    return json.dumps(jsonable(data), indent=2, sort_keys=True, ensure_ascii=False)


def echo_json(data: Any) -> None:
    """Print ``data`` as stable JSON on standard output."""
    click.echo(dumps(data))


#: The key of ``click.Context.meta`` (shared by every context of a command line) that says the command
#: was given ``--json``: its errors are printed as JSON too (:func:`error_json`).
JSON_META = "ot.json"


def remember_json(ctx: click.Context, _param: click.Parameter, value: object) -> object:
    """The callback of every ``--json`` flag: note in the context that the errors are JSON too. The
    flag is eager (read before the other options), so an option refused after it is reported as JSON."""
    if value is True or value == "json":
        ctx.meta[JSON_META] = True
    return value


def error_json(error: OtError) -> str:
    """An error as a command given ``--json`` prints it (on standard error; standard output stays empty):
    ``{"error": {"message", "problems": [{"where", "what"}], "exit_code", "text"}}``, where ``text`` is
    what the command prints without ``--json``."""
    return dumps(
        {
            "error": {
                "message": error.message,
                "problems": [{"where": p.where, "what": p.message} for p in error.problems],
                "exit_code": error.exit_code,
                "text": error_text(error),
            }
        }
    )


def error_text(error: OtError) -> str:
    """An error as the CLI prints it: each thing said once.

    Each located problem first, one a line, as ``where: what is wrong and what to do`` (so a script
    can read where from the start of the line); then the summary, leaving out each of its clauses
    (split at ``; ``) that only says again in other words what the problems say: "--since is not a
    date" under "--since: 'x' is not a date: write it as YYYY-MM-DD" is left out, "nothing was
    written" is kept. A rules file's compiler-style report (its own ``render``) is kept whole.
    """
    if type(error).render is not OtError.render:
        return error.render()
    lines = [str(p) for p in error.problems]
    said: set[str] = set()
    for line in lines:
        said |= _words(line)
    rest = [c for c in error.message.split("; ") if c.strip() and not (_words(c) - _FILLER) <= said]
    if rest or not lines:
        lines.append("; ".join(rest) if lines else error.message)
    return "\n".join(lines)


#: Words that do not make a summary's clause say anything the problems have not said.
_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "not",
        "at",
        "of",
        "to",
        "in",
        "on",
        "for",
        "this",
        "that",
        "it",
        "its",
        "bad",
        "cannot",
        "can",
        "could",
        "may",
    ]
)


def _words(text: str) -> set[str]:
    """The words of ``text``, lower case, a plural's or a verb's final ``s`` dropped ("workers"/"worker")."""
    out = set()
    for raw in text.split():
        word = raw.strip(".,:;()[]'\"`!?").lower()
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word:
            out.add(word)
    return out


def json_flag(help: str) -> Callable[[FC], FC]:
    """A command's ``--json`` flag (``as_json``) saying ``help``: eager, and it makes the command's errors JSON
    too (:func:`remember_json`)."""
    return click.option("--json", "as_json", is_flag=True, is_eager=True, callback=remember_json, help=help)


#: The ``--json`` flag every reporting command takes.
json_option = json_flag(
    "Print JSON instead of text (keys sorted, amounts as decimal text, dates ISO 8601); errors too, "
    "as one JSON object on standard error."
)


def _jobs_help() -> str:
    from ot.services.pool import JOBS_HELP

    return JOBS_HELP


#: ``--jobs N``: processes that price (and render) workers in parallel (:mod:`ot.services.pool`).
jobs_option = click.option(
    "--jobs",
    "jobs",
    type=WholeNumber(1, what="processes"),
    default=None,
    metavar="N",
    help=_jobs_help(),
)
