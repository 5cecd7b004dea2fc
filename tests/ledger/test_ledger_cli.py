"""``ot ledger log`` and ``ot ledger rebuild``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from ledger_helpers import NOW, company, dump_all
from syrupy.assertion import SnapshotAssertion

from ledger.events import NewEvent
from ledger.pins import hash_pin
from ledger.store import Ledger
from ot.cli import main


@pytest.fixture
def filled(ledger_path: Path) -> Path:
    with Ledger.open(ledger_path) as led:
        led.append(company(), actor="ana", now=NOW)
        led.append(
            [
                NewEvent(
                    "worker.pin_set", {"worker_id": "W1", "pin_hash": hash_pin("72345", led.pin_salt())}, worker_id="W1"
                )
            ],
            actor="ana",
            now=NOW,
        )
    return ledger_path


def test_log(filled: Path, cli: CliRunner, snapshot: SnapshotAssertion) -> None:
    """One line per event: seq, recorded at, actor, kind, summary; the PIN event says only "PIN set"."""
    result = cli.invoke(main, ["ledger", "log"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == snapshot
    assert len(result.stdout.splitlines()) == 13


def test_log_filters(filled: Path, cli: CliRunner) -> None:
    out = cli.invoke(main, ["ledger", "log", "--kind", "worker"]).stdout.splitlines()
    assert [line.split()[3] for line in out] == ["worker.added"] * 3 + ["worker.rate_changed", "worker.pin_set"]
    out = cli.invoke(main, ["ledger", "log", "--worker", "W2", "--kind", "punch.recorded"]).stdout.splitlines()
    assert len(out) == 1
    assert "W2 in at 2026-11-02T16:00:00Z @ L1 rate 50.00 [test]" in out[0]
    out = cli.invoke(main, ["ledger", "log", "--limit", "2"]).stdout.splitlines()
    assert [line.split()[0] for line in out] == ["12", "13"]
    result = cli.invoke(main, ["ledger", "log", "--since", "2026-11-03"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no events match" in result.stderr
    out = cli.invoke(main, ["ledger", "log", "--since", "2026-11-02", "--until", "2026-11-02"]).stdout.splitlines()
    assert len(out) == 13


def test_log_json_hides_pin_hashes(filled: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["ledger", "log", "--json"])
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)
    assert [e["seq"] for e in events] == list(range(1, 14))
    assert events[-1]["payload"] == {"worker_id": "W1", "pin_hash": "(hidden)"}
    with Ledger.open(filled) as led:
        real = led.workers_for_pin_hash(hash_pin("72345", led.pin_salt()))
        assert real == ["W1"]
        secret = hash_pin("72345", led.pin_salt())
    assert secret not in result.stdout
    assert secret not in cli.invoke(main, ["ledger", "log"]).stdout


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["--since", "yesterday"], "--since"),
        (["--until", "2026-13-01"], "--until"),
        (["--since", "2026-11-05", "--until", "2026-11-01"], "--since"),
        (["--limit", "0"], "--limit"),
    ],
)
def test_log_bad_options(filled: Path, cli: CliRunner, args: list[str], where: str) -> None:
    result = cli.invoke(main, ["ledger", "log", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{where}: ")


def test_log_without_a_ledger(ledger_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["ledger", "log"])
    assert result.exit_code == 2
    assert f"no ledger at {ledger_path}" in result.stderr
    assert not ledger_path.exists()


def test_rebuild(filled: Path, cli: CliRunner) -> None:
    with Ledger.open(filled) as led:
        before = dump_all(led.connection)
        led.connection.execute("DELETE FROM worker_rates")
        led.connection.execute("UPDATE workers SET name = 'X'")
    result = cli.invoke(main, ["ledger", "rebuild"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "rebuilt the derived tables from 13 events\n"
    with Ledger.open(filled) as led:
        assert dump_all(led.connection) == before
