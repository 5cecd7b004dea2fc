"""``ot calc`` end to end (contracts/calc.md), with the hand-built rule book."""

from __future__ import annotations

import copy
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ot.cli import main

from .books import ALL

EXAMPLE: dict[str, Any] = {
    "workweek_start": "sunday 00:00",
    "workers": {
        "w1": {"rate": "20.00", "state": "CA", "timezone": "America/Los_Angeles", "type": "W2"},
        "w2": {"rate": "18.50", "state": "TX", "timezone": "America/Chicago"},
    },
    "shifts": [
        {
            "worker": "w1",
            "start": "2026-11-02T08:00",
            "end": "2026-11-02T18:30",
            "breaks": [{"start": "2026-11-02T12:00", "end": "2026-11-02T12:30", "paid": False}],
        },
        {"worker": "w1", "start": "2026-11-03T22:00", "end": "2026-11-04T06:30", "rate": "22.00"},
        {"worker": "w1", "date": "2026-11-05", "hours": "8", "pay_type": "PTO"},
        {"worker": "w2", "start": "2026-11-02T07:00", "end": "2026-11-02T15:00"},
    ],
    "earnings": [{"worker": "w2", "date": "2026-11-02", "amount": "25.00", "kind": "bonus"}],
}


@pytest.fixture(autouse=True)
def _book(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test here prices with tests/engine/books.py's ALL, not a rules file."""
    import ot.services.calc as svc

    monkeypatch.setattr(svc, "load_rules", lambda path: ALL)


def _run(cli: CliRunner, tmp_path: Path, data: Any, *args: str) -> Any:
    p = tmp_path / "in.json"
    p.write_text(data if isinstance(data, str) else json.dumps(data))
    return cli.invoke(main, ["calc", str(p), *args])


def test_contract_example_shapes(cli: CliRunner, tmp_path: Path) -> None:
    """contracts/calc.md: workers in input order, every key, 2/4-decimal strings, lines sum to gross."""
    result = _run(cli, tmp_path, EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = json.loads(result.stdout)
    assert [w["worker"] for w in out["workers"]] == ["w1", "w2"]
    for w in out["workers"]:
        for week in w["weeks"]:
            assert Decimal(week["gross_pay"]) == sum(Decimal(ln["amount"]) for ln in week["lines"])
            for key in ("regular_hours", "overtime_hours", "doubletime_hours", "premium_hours"):
                assert len(week[key].split(".")[1]) == 2
            assert len(week["regular_rate"].split(".")[1]) == 4
            for ln in week["lines"]:
                assert {"date", "class", "hours", "rate", "amount", "jurisdiction", "rule", "source"} <= set(ln)
    w1 = out["workers"][0]["weeks"][0]
    assert (w1["overtime_hours"], w1["paid_leave_hours"]) == ("2.00", "8.00")
    ot = [ln for ln in w1["lines"] if ln["class"] == "OT"]
    assert [(ln["date"], ln["rule"], ln["jurisdiction"], ln["source"]) for ln in ot] == [
        ("2026-11-02", "daily over 8h", "CA", "Cal. Lab. Code 510:1")
    ]
    w2 = out["workers"][1]["weeks"][0]
    assert (w2["regular_rate"], w2["gross_pay"]) == ("21.6250", "173.00")  # (148 + 25) / 8


def test_reads_standard_input_and_explains(cli: CliRunner) -> None:
    """``-`` reads the file from standard input; --explain adds the explanation."""
    result = cli.invoke(main, ["calc", "-", "--explain"], input=json.dumps(EXAMPLE))
    assert result.exit_code == 0, result.stderr
    week = json.loads(result.stdout)["workers"][0]["weeks"][0]
    pieces = week["explanation"]["pieces"]
    assert pieces[0]["shift"] == "shifts[0]"
    assert pieces[0]["start"] == "2026-11-02T08:00-08:00"
    ot = next(p for p in pieces if p["class"] == "OT")
    assert ot["winner"]["rule"] == "daily over 8h"
    assert {(x["jurisdiction"], x["class"]) for x in ot["losers"]} == {("FEDERAL", "REG")}
    assert week["explanation"]["regular_rate"]["hours_worked"] == "18.50"


def test_floats_are_read_through_their_text(cli: CliRunner, tmp_path: Path) -> None:
    """contracts/calc.md: numbers are read as decimal text, never binary floats: 10.1 x 3.3 h = 33.33
    (as binary floats, 10.1 x 3.3 = 33.329999...)."""
    data = {"shifts": [{"worker": "w", "state": "TX", "rate": 10.1, "date": "2026-11-02", "hours": 3.3}]}
    result = _run(cli, tmp_path, json.dumps(data))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["workers"][0]["weeks"][0]["gross_pay"] == "33.33"


def _bad(cli: CliRunner, tmp_path: Path, mutate: Any) -> str:
    data = copy.deepcopy(EXAMPLE)
    mutate(data)
    result = _run(cli, tmp_path, data)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    return str(result.stderr)


def _set(path: list[Any], value: Any) -> Any:
    def mutate(data: Any) -> None:
        obj = data
        for key in path[:-1]:
            obj = obj[key]
        if value is KeyError:
            del obj[path[-1]]
        else:
            obj[path[-1]] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            _set(["shifts", 1, "end"], "2026-11-03T21:00"),
            "shifts[1].end: ends before its start (2026-11-03T21:00 < 2026-11-03T22:00)",
            id="end-before-start",
        ),
        pytest.param(_set(["shifts", 0, "worker"], KeyError), "shifts[0].worker: missing", id="missing-field"),
        pytest.param(
            _set(["shifts", 1, "rate"], "twenty"),
            "shifts[1].rate: rate 'twenty' is not a decimal number",
            id="bad-number",
        ),
        pytest.param(_set(["shifts", 1, "state"], "XX"), "shifts[1].state: unknown state 'XX'", id="unknown-state"),
        pytest.param(
            _set(["shifts", 1, "timezone"], "Mars/Base"), "shifts[1].timezone: unknown time zone", id="unknown-zone"
        ),
        pytest.param(
            _set(["shifts", 0, "breaks", 0, "end"], "2026-11-02T19:00"),
            "shifts[0].breaks[0]: outside its shift",
            id="break-outside",
        ),
        pytest.param(
            _set(["shifts", 3, "worker"], "w1"),
            "shifts[3].start: overlaps shifts[0] of the same worker (w1)",
            id="overlap",
        ),
        pytest.param(
            _set(["workers", "w1", "type"], "W4"), 'workers.w1.type: unknown worker type "W4"', id="worker-type"
        ),
        pytest.param(
            _set(["shifts", 2, "pay_type"], "VACATION"), "shifts[2].pay_type: unknown pay type", id="pay-type"
        ),
        pytest.param(
            _set(["shifts", 2, "date"], "2026-13-05"), "shifts[2].date: '2026-13-05' is not a date", id="bad-date"
        ),
        pytest.param(
            _set(["shifts", 1, "start"], "2026-03-08T02:30"),
            "shifts[1].start: 2026-03-08T02:30 does not exist",
            id="dst-gap",
        ),
        pytest.param(_set(["overtime"], True), "overtime: unknown key 'overtime'", id="unknown-top-key"),
        pytest.param(
            _set(["shifts", 2, "hours"], "25"), "shifts[2].hours: hours '25' is more than 24 hours", id="over-24-hours"
        ),
        pytest.param(
            _set(["shifts", 3], {"worker": "w1", "date": "2026-11-05", "hours": "16.5", "pay_type": "PTO"}),
            "shifts[3].hours: more than 24 hours of PTO for w1 on 2026-11-05",
            id="over-24-hours-in-a-day",
        ),
        pytest.param(_set(["earnings", 0, "kind"], "tip"), 'earnings[0].kind: unknown kind "tip"', id="earning-kind"),
        pytest.param(
            _set(["workweek_start"], "funday"), "workweek_start: 'funday' is not a workweek start", id="workweek"
        ),
        pytest.param(_set(["workday_start"], "25:00"), "workday_start: '25:00' is not a time of day", id="workday"),
        pytest.param(
            _set(["shifts", 3, "start"], "2026-11-02 7am"),
            "shifts[3].start: '2026-11-02 7am' is not a time",
            id="bad-time",
        ),
    ],
)
def test_bad_input_names_shift_and_field(cli: CliRunner, tmp_path: Path, mutate: Any, expected: str) -> None:
    """contracts/calc.md: bad input is refused with exit 2, naming the shift by index and the field."""
    assert expected in _bad(cli, tmp_path, mutate)


def test_every_problem_is_reported(cli: CliRunner, tmp_path: Path) -> None:
    """Every problem of a file at once, not just the first; nothing on stdout."""

    def mutate(data: Any) -> None:
        data["shifts"][1]["end"] = "2026-11-03T21:00"
        data["shifts"][3]["state"] = "ZZ"
        data["workers"]["w2"]["type"] = "contractor"

    err = _bad(cli, tmp_path, mutate)
    assert "shifts[1].end:" in err
    assert "shifts[3].state:" in err
    assert "workers.w2.type:" in err
    assert "3 problem(s); nothing was calculated" in err


def test_not_json_names_line_and_column(cli: CliRunner, tmp_path: Path) -> None:
    """A file that is not JSON is refused with FILE:LINE:COLUMN."""
    result = _run(cli, tmp_path, '{\n  "shifts": [,]\n}')
    assert result.exit_code == 2
    assert "in.json:2:14:" in result.stderr


def test_missing_rate_and_missing_state(cli: CliRunner, tmp_path: Path) -> None:
    """A shift whose worker has no rate or state, and that gives none itself, is refused;
    its times are still checked."""
    shifts = [
        {"worker": "x", "date": "2026-11-02", "hours": "8"},
        {"worker": "x", "start": "2026-11-03T09:00", "end": "2026-11-03T08:00"},
    ]
    result = _run(cli, tmp_path, {"shifts": shifts})
    assert result.exit_code == 2
    assert "shifts[0].state: missing" in result.stderr
    assert "shifts[0].rate: missing" in result.stderr
    assert "shifts[1].end: ends before its start (2026-11-03T08:00 < 2026-11-03T09:00)" in result.stderr


def test_no_rules_compiler_is_a_clear_error(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a rules compiler, ot calc says so (exit 2) instead of guessing rules."""
    monkeypatch.undo()  # the real load_rules
    monkeypatch.setitem(sys.modules, "rules.compiler", None)
    p = tmp_path / "in.json"
    p.write_text(json.dumps(EXAMPLE))
    result = cli.invoke(main, ["calc", str(p)])
    assert result.exit_code == 2
    assert "--rules" in result.stderr
    assert result.stdout == ""


def test_default_rules_file_prices_the_contract_example(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no --rules, ot calc uses the shipped rules.example.ot (contracts/calc.md):
    w1's Monday 10 h with a meal is 2 h of California daily overtime."""
    monkeypatch.undo()
    result = _run(cli, tmp_path, EXAMPLE)
    assert result.exit_code == 0, result.stderr
    week = json.loads(result.stdout)["workers"][0]["weeks"][0]
    ot = [ln for ln in week["lines"] if ln["class"] == "OT"]
    assert [(ln["rule"], ln["jurisdiction"]) for ln in ot] == [("daily over 8h", "CA")]
    assert ot[0]["source"].startswith("rules.example.ot:")


def test_missing_or_bad_rules_file(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--rules naming no file, or a file with a syntax error, exits 2 and says where."""
    monkeypatch.undo()
    result = _run(cli, tmp_path, EXAMPLE, "--rules", str(tmp_path / "nope.ot"))
    assert result.exit_code == 2
    assert "nope.ot does not exist" in result.stderr
    bad = tmp_path / "bad.ot"
    bad.write_text("version 1\nfederal {\n  rules from 2020-01-01 {\n    weekly over forty is OT x1.5\n  }\n}\n")
    result = _run(cli, tmp_path, EXAMPLE, "--rules", str(bad))
    assert result.exit_code == 2
    assert "bad.ot:4:" in result.stderr
    assert result.stdout == ""


def test_no_rules_in_force_names_the_shift(cli: CliRunner, tmp_path: Path) -> None:
    """A shift dated before any rules are in force is refused, naming the shift."""
    data = {"shifts": [{"worker": "w", "state": "TX", "rate": "10", "date": "2019-06-03", "hours": "8"}]}
    result = _run(cli, tmp_path, data)
    assert result.exit_code == 2
    assert "shifts[0]: no FEDERAL rules are in force on 2019-06-03" in result.stderr


def test_a_file_that_is_not_utf8(cli: CliRunner, tmp_path: Path) -> None:
    """A file that is not UTF-8 text is refused with exit 2, not a traceback."""
    p = tmp_path / "latin.json"
    p.write_bytes(b'{"shifts": [], "x": "caf\xe9"}')
    result = cli.invoke(main, ["calc", str(p)])
    assert result.exit_code == 2
    assert "latin.json: byte 24: not UTF-8" in result.stderr
