"""Errors on the command line: each printed once, saying where and what to do; exit 2 for bad input or a
refusal, 75 (EX_TEMPFAIL) when the ledger is busy; no parser's own words leak (issue 14)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from tests_support import ledger_dump

from ot.cli import main
from ot.cli.app import as_ot_error
from ot.cli.output import error_text
from ot.core.errors import EX_TEMPFAIL, LedgerBusy, OtError, Problem
from ot.core.timez import TimeError, parse_local

# (command line, a phrase of the error that must be printed exactly once, where the first line starts)
BAD_INPUTS: list[tuple[list[str], str, str]] = [
    (["ledger", "log", "--since", "yesterday"], "is not a date", "--since: "),
    (["ledger", "log", "--limit", "0"], "at least 1", "--limit: "),
    (
        ["approve", "timecards", "--period", "2026-11-02", "--holiday-hours", "W1:zz:8"],
        "is not a date",
        "--holiday-hours W1:zz:8: ",
    ),
    (["--as", "W1", "payrun", "--period", "2026-11-02"], "run payroll", "--as: "),
    (["--as", "W1", "approve", "shifts", "--worker", "W1", "--week", "2026-11-02"], "approve", "--as: "),
    (["shift", "add", "--worker", "W9", "--start", "2026-11-03T08:00", "--end", "16:00"], "no worker", "--worker: "),
    (["shift", "add", "--worker", "W1", "--date", "2026-11-03", "--hours", "abc"], "decimal number", "--hours: "),
    (["employer", "set", "--name", "   "], "is empty", "--name: "),
    (
        ["period", "configure", "--frequency", "weekly", "--anchor", "2026-01-01", "--effective", "2026-01-03"],
        "weekly period",
        "--effective: ",
    ),
    (
        ["punch", "add", "--worker", "W1", "--kind", "in", "--at", "2026-02-30T08:00", "--reason", "x"],
        "day 30",
        "--at: ",
    ),
    (["import", "punches", "no-such-file.csv"], "No such file", "no-such-file.csv: "),
    (["payrun", "--period", "2026-11-02", "--dry-run"], "is not approved", "timecard W1 "),
    (["approve", "status", "--period", "2026-13-01"], "is not a date", "Usage: "),
    (["rules", "show", "--date", "2026-02-30"], "is not a date", "Usage: "),
    (["explain", "W1", "--week", "2026-02-30"], "is not a date", "Usage: "),
]


@pytest.mark.parametrize(
    ("args", "phrase", "first"), BAD_INPUTS, ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_each_error_is_printed_once(
    small_ledger: Path, cli: CliRunner, args: list[str], phrase: str, first: str
) -> None:
    before = ledger_dump(small_ledger)
    result = cli.invoke(main, args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    err = result.stderr
    assert result.stdout == ""
    assert "Traceback" not in err
    assert err.count(phrase) == 1, err
    assert err.startswith(first), err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == len(set(lines)), err
    assert err.count("Error:") <= 1
    assert ledger_dump(small_ledger) == before


def _command_of(args: list[str]) -> tuple[click.Command, int]:
    """The command ``args`` run, and where its own options begin (after ``--as X`` and the names)."""
    command: click.Command = main
    ctx = click.Context(main)
    at = 0
    while at < len(args):
        word = args[at]
        if command is main and word in ("--as", "--ledger"):
            at += 2
            continue
        if not isinstance(command, click.Group) or word.startswith("-"):
            break
        found = command.get_command(ctx, word)
        if found is None:
            break
        command, at = found, at + 1
    return command, at


def _takes_json(args: list[str]) -> bool:
    """Whether the command of ``args`` has a ``--json`` flag."""
    return any("--json" in p.opts for p in _command_of(args)[0].params)


@pytest.mark.parametrize(
    ("args", "phrase", "first"),
    [case for case in BAD_INPUTS if _takes_json(case[0]) and case[2] != "Usage: "],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_under_json_each_error_is_one_json_object_on_standard_error(
    small_ledger: Path, cli: CliRunner, args: list[str], phrase: str, first: str
) -> None:
    """A command given ``--json`` prints its error as JSON too: one object on standard error (standard
    output stays empty for the script reading it), with each problem's where and what, the exit
    status, and the text the command prints without ``--json``; wherever ``--json`` is on the line."""
    before = ledger_dump(small_ledger)
    plain = cli.invoke(main, args)
    for line in (
        [*args, "--json"],
        [*args[:-1], "--json", args[-1]] if args[-1].startswith("-") else [*args, "--json"],
    ):
        result = cli.invoke(main, line)
        assert result.exit_code == 2, (result.stdout, result.stderr)
        assert result.stdout == ""
        error = json.loads(result.stderr)["error"]
        assert error["exit_code"] == 2
        assert error["text"] + "\n" == plain.stderr
        assert error["problems"][0]["where"] + ": " == first or error["text"].startswith(first), error
        assert phrase in error["text"]
    assert ledger_dump(small_ledger) == before


def test_under_json_an_option_click_refuses_is_json_too(small_ledger: Path, cli: CliRunner) -> None:
    """A value click itself refuses (a date that is not one) before or after ``--json`` on the line:
    the JSON error names the option; without ``--json``, click's usage text as before."""
    for line in (
        ["approve", "status", "--json", "--period", "2026-13-01"],
        ["approve", "status", "--period", "2026-13-01", "--json"],
    ):
        result = cli.invoke(main, line)
        assert result.exit_code == 2, result.stderr
        assert result.stdout == ""
        error = json.loads(result.stderr)["error"]
        assert error["message"] == "invalid value for --period"
        assert [p["where"] for p in error["problems"]] == ["--period"]
        assert "is not a date" in error["problems"][0]["what"]
    plain = cli.invoke(main, ["approve", "status", "--period", "2026-13-01"])
    assert plain.stderr.startswith("Usage: ")
    assert "{" not in plain.stderr


def test_under_json_a_busy_ledger_is_json_with_exit_75(
    small_ledger: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ledger.schema

    monkeypatch.setattr(ledger.schema, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(small_ledger, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        busy = cli.invoke(main, ["approve", "shifts", "--all-visible", "--period", "2026-11-02", "--json"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy.exit_code == EX_TEMPFAIL, (busy.stdout, busy.stderr)
    assert busy.stdout == ""
    error = json.loads(busy.stderr)["error"]
    assert error["exit_code"] == EX_TEMPFAIL
    assert "busy" in error["message"]


def test_a_missing_ledger_is_named_once(tmp_path: Path, cli: CliRunner) -> None:
    missing = tmp_path / "nope.db"
    for args in (["approve", "status"], ["ledger", "verify"], ["ledger", "verify", "--json"], ["rules", "history"]):
        result = cli.invoke(main, ["--ledger", str(missing), *args])
        assert result.exit_code == 2, args
        err = json.loads(result.stderr)["error"]["text"] if "--json" in args else result.stderr
        assert err.startswith(f"{missing}: give --ledger PATH of an existing ledger"), result.stderr
        assert err.count("give --ledger") == 1
        assert result.stdout == ""
    assert not missing.exists()


def test_a_restated_summary_is_left_out() -> None:
    error = OtError("--since is not a date", [Problem("--since", "'xx' is not a date: write it as YYYY-MM-DD")])
    assert error_text(error) == "--since: 'xx' is not a date: write it as YYYY-MM-DD"
    # plural and verb forms are the same words
    error = OtError(
        "workers may not approve shifts",
        [Problem("--as", "W1 is a worker: only a manager of the worker or an admin approves shifts")],
    )
    assert error_text(error) == "--as: W1 is a worker: only a manager of the worker or an admin approves shifts"


def test_what_a_summary_adds_is_kept() -> None:
    error = OtError(
        "W1 may not approve timecards; nothing was written",
        [Problem("--as", "W1 is a worker: only an admin may approve timecards")],
    )
    assert error_text(error).splitlines() == [
        "--as: W1 is a worker: only an admin may approve timecards",
        "nothing was written",
    ]
    assert error_text(OtError("the ledger is busy: try again")) == "the ledger is busy: try again"
    many = OtError(
        "bad.csv: refused (2 problems on 2 rows)", [Problem("bad.csv:2:1", "x"), Problem("bad.csv:3:1", "y")]
    )
    assert error_text(many).splitlines() == [
        "bad.csv:2:1: x",
        "bad.csv:3:1: y",
        "bad.csv: refused (2 problems on 2 rows)",
    ]


def test_a_rules_file_report_stays_whole(tmp_path: Path, cli: CliRunner) -> None:
    bad = tmp_path / "bad.ot"
    bad.write_text("rules from 2026-01-01 {\n  bogus\n}\n")
    result = cli.invoke(main, ["rules", "check", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:1:1: ")
    assert result.stderr.count("1 error; nothing was changed") == 1


# --- the parser's own words never reach the user ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-02-30T08:00", "February 2026 has no day 30"),
        ("2026-13-01T08:00", "there is no month 13"),
        ("2026-11-02T25:00", "there is no hour 25"),
        ("2026-11-02T24:30", "there is no hour 24"),
        ("2026-11-02T08:61", "minutes and seconds run 00 to 59"),
        ("2026-11-02T08:00:60", "minutes and seconds run 00 to 59"),
        ("2026-11-02T08:00+25:00", "the UTC offset"),
        ("2027-02-29T08:00", "February 2027 has no day 29"),
    ],
)
def test_an_impossible_time_says_which_field(text: str, why: str) -> None:
    with pytest.raises(TimeError) as info:
        parse_local(text, "America/Los_Angeles")
    message = str(info.value)
    assert why in message
    assert "YYYY-MM-DDTHH:MM" in message
    assert "Unable to parse" not in message


def test_a_leap_day_is_a_time() -> None:
    assert parse_local("2028-02-29T08:00", "UTC").isoformat() == "2028-02-29T08:00:00+00:00"


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["punch", "add", "--worker", "W1", "--kind", "in", "--at", "2026-11-02T25:00", "--reason", "x"], "--at"),
        (["shift", "add", "--worker", "W1", "--start", "2026-11-03T24:30", "--end", "10:00"], "--start"),
        (["shift", "add", "--worker", "W1", "--start", "2026-11-03T08:00", "--end", "2026-11-31T10:00"], "--end"),
    ],
)
def test_no_parser_message_leaks_from_an_option(
    small_ledger: Path, cli: CliRunner, args: list[str], where: str
) -> None:
    result = cli.invoke(main, args)
    assert result.exit_code == 2
    assert "Unable to parse" not in result.stderr
    assert result.stderr.startswith(f"{where}: "), result.stderr
    assert "is not a valid time" in result.stderr
    assert "YYYY-MM-DDTHH:MM" in result.stderr


def test_no_parser_message_leaks_from_a_file(small_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("worker_id,time,kind,location_id,break_type\nW1,2026-11-03T08:00,in,,\nW1,2026-02-30T17:00,out,,\n")
    result = cli.invoke(main, ["import", "punches", str(f)])
    assert result.exit_code == 2
    assert "Unable to parse" not in result.stderr
    assert f"{f}:3:2: '2026-02-30T17:00' is not a valid time: February 2026 has no day 30" in result.stderr


# --- exit codes -------------------------------------------------------------------------------------------


def test_a_busy_ledger_exits_75_and_a_retry_succeeds(
    small_ledger: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ledger.schema

    monkeypatch.setattr(ledger.schema, "BUSY_TIMEOUT_MS", 50)
    before = ledger_dump(small_ledger)
    holder = sqlite3.connect(small_ledger, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        busy = cli.invoke(main, ["employer", "set", "--name", "Acme"])
        bad = cli.invoke(main, ["employer", "set", "--name", "  "])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy.exit_code == EX_TEMPFAIL == 75, (busy.stdout, busy.stderr, busy.exception)
    assert busy.stderr.count("busy") == 1
    assert "try again" in busy.stderr
    assert bad.exit_code == 2  # bad input is refused before the lock matters
    assert ledger_dump(small_ledger) == before
    again = cli.invoke(main, ["employer", "set", "--name", "Acme"])
    assert again.exit_code == 0, again.stderr
    assert len(ledger_dump(small_ledger)) == len(before) + 1


def test_busy_is_said_once_when_a_roster_refresh_is_due(
    small_ledger: Path, cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up roster refresh meets the lock first: it steps aside, and the command says "busy" once."""
    import ledger.schema
    from ot.sync.config import config_path

    monkeypatch.setattr(ledger.schema, "BUSY_TIMEOUT_MS", 50)
    roster = tmp_path / "roster.csv"
    roster.write_text((small_ledger.parent / "small-workers.csv").read_text())
    config_path(small_ledger).write_text(f'[roster]\nworkers_file = "{roster}"\n')
    holder = sqlite3.connect(small_ledger, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        write = cli.invoke(main, ["employer", "set", "--name", "Acme"])
        read = cli.invoke(main, ["ledger", "log", "--limit", "1"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert write.exit_code == 75, write.stderr
    assert write.stderr.count("busy") == 1
    assert read.exit_code == 0, read.stderr
    assert read.stderr == ""
    later = cli.invoke(main, ["ledger", "log", "--limit", "1"])  # still due: refreshed now
    assert "roster refreshed from" in later.stderr


def test_sqlite_locked_escaping_a_layer_is_busy_not_a_crash() -> None:
    error = as_ot_error(sqlite3.OperationalError("database is locked"))
    assert isinstance(error, LedgerBusy)
    assert error.exit_code == 75
    assert as_ot_error(sqlite3.OperationalError("no such table: x")) is None
    assert OtError("x").exit_code == 2


def test_the_console_entry_point_prints_once_and_exits_2(small_ledger: Path) -> None:
    """The installed ``ot`` (``ot.cli:run``) in its own process, not the click runner."""
    proc = subprocess.run(
        [sys.executable, "-c", "from ot.cli import run; run()", "ledger", "log", "--since", "xx"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("is not a date") == 1
    assert proc.stdout == ""
