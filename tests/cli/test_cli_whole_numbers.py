"""Every integer option of the command line takes the digits 0-9 only (ot.cli.params.WholeNumber).

click's int reads a number with Python's int(), which takes any script's digits: ``--jobs ٢`` and
``--limit ３`` were accepted, while ot refuses such digits everywhere else (a review); ``--jobs ²`` got
click's "'²' is not a valid integer range". Each is now refused (exit 2) naming the option and what to give.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ot.cli import main
from ot.cli.params import WholeNumber

#: A command line reaching each integer option, with {} where its value goes.
OPTIONS = {
    "--jobs (payrun)": ["payrun", "--period", "2026-10-20", "--dry-run", "--jobs", "{}"],
    "--jobs (rules what-if)": ["rules", "what-if", "{rules}", "--jobs", "{}"],
    "--jobs (stub)": ["stub", "--all", "--period", "2026-10-20", "-o", "{out}", "--jobs", "{}"],
    "--limit (workers)": ["workers", "--limit", "{}"],
    "--limit (ledger log)": ["ledger", "log", "--limit", "{}"],
    "--count (period show)": ["period", "show", "--count", "{}"],
    "--pay-date-offset (period configure)": [
        *("period", "configure", "--frequency", "weekly", "--anchor", "2026-11-02", "--pay-date-offset", "{}"),
    ],
}
#: Look-alike digits: Arabic-Indic, full-width, superscript, Devanagari, a mathematical digit; and words.
BAD = ["\u0662", "\uff11", "\u00b2", "\u0967", "\U0001d7d0", "-\u0662", "two", "1.5", "", "3x", "0x1f", "1_000"]


def _args(template: list[str], value: str, tmp_path: Path) -> list[str]:
    from rules.files import default_rules_path

    fill = {"{}": value, "{rules}": str(default_rules_path()), "{out}": str(tmp_path / "stubs")}
    return [fill.get(a, a) for a in template]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("option", sorted(OPTIONS))
def test_an_integer_option_takes_the_digits_0_to_9_only(
    ledger_path: Path, cli: CliRunner, tmp_path: Path, option: str, value: str
) -> None:
    name = option.split()[0]
    result = cli.invoke(main, ["--as", "A1", *_args(OPTIONS[option], value, tmp_path)])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert f"Invalid value for '{name}': {value!r} is not a number written in the digits 0-9: give " in result.stderr
    assert "Traceback" not in result.stderr
    assert not ledger_path.exists()  # refused before anything is opened


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--jobs (payrun)", "0", "0 is out of range: give a whole number of processes, 1 or more"),
        ("--jobs (rules what-if)", "-1", "-1 is out of range: give a whole number of processes, 1 or more"),
        ("--pay-date-offset (period configure)", "32", "32 is out of range: give a whole number of days, 0 to 31"),
        ("--pay-date-offset (period configure)", "-1", "-1 is out of range: give a whole number of days, 0 to 31"),
    ],
)
def test_out_of_range_says_the_range(
    ledger_path: Path, cli: CliRunner, tmp_path: Path, option: str, value: str, said: str
) -> None:
    result = cli.invoke(main, ["--as", "A1", *_args(OPTIONS[option], value, tmp_path)])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert f"Invalid value for '{option.split()[0]}': {said}" in result.stderr


def test_a_json_command_says_it_in_json(ledger_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["--as", "A1", "workers", "--json", "--limit", "\uff13"])
    assert result.exit_code == 2
    assert '"where": "--limit"' in result.stderr
    assert "is not a number written in the digits 0-9" in result.stderr


@pytest.mark.parametrize("value", ["3", " 3 ", "0003"])
def test_ascii_digits_are_taken(small_ledger: Path, cli: CliRunner, value: str) -> None:
    result = cli.invoke(main, ["--as", "A1", "workers", "--limit", value])
    assert result.exit_code == 0, result.stderr
    assert "showing 3" in result.stdout


def test_whole_number_reads() -> None:
    days = WholeNumber(0, 31, "days")
    assert days.convert("5", None, None) == 5
    assert days.convert(5, None, None) == 5
    assert WholeNumber().convert("-12", None, None) == -12
    with pytest.raises(click.BadParameter, match="has 5,000 digits"):
        WholeNumber().convert("9" * 5000, None, None)


def _options(command: click.Command, path: str = "ot") -> Iterator[tuple[str, click.Parameter]]:
    for param in command.params:
        yield path, param
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _options(sub, f"{path} {name}")


def test_every_integer_option_is_a_whole_number() -> None:
    """No option reads an integer through click's int (any script's digits): a new one uses WholeNumber."""
    found = {f"{path} {p.name}" for path, p in _options(main) if isinstance(p.type, WholeNumber)}
    clicks = [
        f"{path} {p.name}"
        for path, p in _options(main)
        if isinstance(p.type, click.types.IntParamType | click.types.FloatParamType)
    ]
    assert clicks == []
    assert {"ot payrun jobs", "ot workers limit", "ot ledger log limit", "ot period configure pay_date_offset"} <= found
