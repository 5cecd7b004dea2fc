"""FTS5 worker search (``ot.services.search``, ``ot workers``): prefixes as you type, the PIN-override
filter, a manager's scope, the index kept by triggers and rebuilt, and bad searches refused."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from search_roster import WORKERS, build

from ledger import schema
from ledger.events import NewEvent
from ledger.store import Ledger
from ot.cli import main
from ot.core.errors import OtError
from ot.services.search import (
    check_index,
    like_ids,
    match_expression,
    matching_ids,
    rebuild_index,
    search_workers,
)

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
ADDED = {
    "worker_id": "W0123",
    "name": "Alice Wong-Lee",
    "type": "W2",
    "pay_rate": None,
    "rate_effective": None,
    "location_id": "LA",
    "manager_id": "M1",
    "role": "worker",
}


@pytest.fixture
def roster(ledger_path: Path, tmp_path: Path) -> Path:
    return build(ledger_path, tmp_path)


def ids(ledger: Path, text: str, **kw: object) -> list[str]:
    with Ledger.open(ledger, create=False) as led:
        return matching_ids(led.connection, text, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ali", ["W0123", "W0456"]),  # Alice Wong, Bob Alison: the start of any word of the name
        ("Ali won", ["W0123"]),  # every word must match
        ("W01", ["W0123"]),  # by id
        ("w-0", ["W-001"]),  # punctuation separates words, as in the index
        ("jose nun", ["W-001"]),  # accents and case ignored
        ("1099", ["W0456"]),  # type
        ("hou", ["M2", "T1", "W0456"]),  # location id
        ("M2", ["M2", "T1", "W0456"]),  # manager id (and the manager themself)
        ("admin", ["A1"]),  # role (and name: Ann Admin)
        ("w2", ["A1", "M1", "M2", "T1", "W-001", "W0123"]),  # type W2
        ("lice", []),  # prefixes only, not the middle of a word
        ("zzz", []),
    ],
)
def test_prefix_search(roster: Path, text: str, found: list[str]) -> None:
    assert ids(roster, text) == found


def test_the_worker_whose_id_was_typed_comes_first(roster: Path) -> None:
    """Typing W2 finds every W2 employee (the type), worker W2 first, then ids that begin with it."""
    with Ledger.open(roster, create=False) as led:
        led.append(
            [
                NewEvent("worker.added", {**ADDED, "worker_id": wid, "name": name, "type": "1099"}, worker_id=wid)
                for wid, name in (("W2", "Zed Zulu"), ("W20", "Yan Yu"))
            ],
            actor="A1",
            now=NOW,
        )
        assert matching_ids(led.connection, "w2") == ["W2", "W20", "A1", "M1", "M2", "T1", "W-001", "W0123"]
        assert matching_ids(led.connection, "W20") == ["W20"]
    result = CliRunner().invoke(main, ["workers", "--search", "w2", "--json"])
    assert [w["worker_id"] for w in json.loads(result.stdout)["workers"]][:3] == ["W2", "W20", "A1"]


def test_no_words_lists_everyone_and_like_baseline_agrees_on_whole_words(roster: Path) -> None:
    every = ids(roster, "")
    assert every == sorted(["A1", "M1", "M2", "W0123", "W0456", "W-001", "T1"])
    with Ledger.open(roster, create=False) as led:
        for text in ("ali", "W01", "hou", "Tia"):
            assert like_ids(led.connection, text) == matching_ids(led.connection, text)


def test_pin_override_filter(roster: Path) -> None:
    """W0456 and W-001 were imported with a pin_override; W0123's PIN is derived; the rest have none."""
    assert ids(roster, "", pin_override=True) == ["W-001", "W0456"]
    assert ids(roster, "bob", pin_override=True) == ["W0456"]
    assert ids(roster, "alice", pin_override=True) == []
    with Ledger.open(roster, create=False) as led:
        rows = dict(led.connection.execute("SELECT worker_id, override FROM pins").fetchall())
    assert rows == {"W0123": 0, "W0456": 1, "W-001": 1}


def test_an_old_pin_is_recorded_as_an_override_at_the_next_import(ledger_path: Path, tmp_path: Path) -> None:
    """A PIN set before schema 8 says nothing of overrides; importing the roster again sets the
    override rows' PINs again (same PIN, marked), and only those; a third import adds nothing."""
    from ot.services.pins import PinBook

    no_pins = "\n".join(",".join([*line.split(",")[:7], "", "", ""]) for line in WORKERS.splitlines()[1:])
    (tmp_path / "plain.csv").write_text(WORKERS.splitlines()[0] + "\n" + no_pins + "\n")
    build(ledger_path, tmp_path)  # writes locations.csv and workers.csv here (its ledger is not used)
    fresh = tmp_path / "old.db"
    runner = CliRunner()
    for kind, name in (("locations", "locations.csv"), ("workers", "plain.csv")):
        result = runner.invoke(main, ["--ledger", str(fresh), "--as", "A1", "import", kind, str(tmp_path / name)])
        assert result.exit_code == 0, result.stderr
    with Ledger.open(fresh, create=False) as led:  # PINs as a version-7 import wrote them
        book = PinBook(led, create=True)
        old = [book.payload(w, pin) for w, pin in (("W0123", "72345"), ("W0456", "654321"), ("W-001", "112233"))]
        led.append([NewEvent("worker.pin_set", p, worker_id=str(p["worker_id"])) for p in old], actor="A1", now=NOW)
    assert ids(fresh, "", pin_override=True) == []

    def pin_sets() -> list[str]:
        with Ledger.open(fresh, create=False) as led:
            rows = led.connection.execute("SELECT worker_id FROM events WHERE kind = 'worker.pin_set' ORDER BY seq")
            return [r[0] for r in rows]

    def import_workers() -> None:
        result = runner.invoke(
            main, ["--ledger", str(fresh), "--as", "A1", "import", "workers", str(tmp_path / "workers.csv")]
        )
        assert result.exit_code == 0, result.stderr

    import_workers()
    assert pin_sets() == ["W0123", "W0456", "W-001", "W0456", "W-001"]
    assert ids(fresh, "", pin_override=True) == ["W-001", "W0456"]
    import_workers()
    assert pin_sets() == ["W0123", "W0456", "W-001", "W0456", "W-001"]
    with Ledger.open(fresh, create=False) as led:
        assert led.verify().ok


def test_the_index_follows_the_roster_and_survives_rebuild(roster: Path) -> None:
    """A rename is found at once (the triggers); a rebuild of the projections and of the index
    leave it consistent, and verify stays green."""
    with Ledger.open(roster, create=False) as led:
        led.append(
            [NewEvent("worker.changed", {"worker_id": "T1", "name": "Tiana Quill"}, worker_id="T1")],
            actor="A1",
            now=NOW,
        )
        # worker.added again for an existing id (a replayed import): an update, the index stays whole.
        led.append(
            [NewEvent("worker.added", ADDED, worker_id="W0123")],
            actor="A1",
            now=NOW,
        )
        conn = led.connection
        assert matching_ids(conn, "quill") == ["T1"]
        assert matching_ids(conn, "texan") == []
        assert matching_ids(conn, "lee") == ["W0123"]
        assert check_index(conn)
        led.rebuild()
        assert check_index(conn)
        assert matching_ids(conn, "quill") == ["T1"]
        conn.execute("BEGIN IMMEDIATE")
        assert rebuild_index(conn) == 7
        conn.execute("COMMIT")
        assert matching_ids(conn, "ali") == ["W0123", "W0456"]
        assert led.verify().ok


def test_check_index_sees_a_tampered_index(roster: Path) -> None:
    with Ledger.open(roster, create=False) as led:
        conn = led.connection
        conn.execute("INSERT INTO workers_fts(rowid, worker_id, name) VALUES (9999, 'X9', 'Ghost')")
        assert not check_index(conn)
        conn.execute("BEGIN IMMEDIATE")
        rebuild_index(conn)
        conn.execute("COMMIT")
        assert check_index(conn)
        assert matching_ids(conn, "ghost") == []


def test_a_version_9_ledger_gets_the_index_of_its_workers(roster: Path, tmp_path: Path) -> None:
    """Migrating to schema 10 fills workers_fts from the workers already there."""
    old = tmp_path / "old.db"
    with Ledger.open(roster, create=False) as led:
        led.connection.execute("VACUUM INTO ?", (str(old),))
    conn = sqlite3.connect(old, isolation_level=None)
    conn.executescript(
        "DROP TRIGGER workers_ai; DROP TRIGGER workers_ad; DROP TRIGGER workers_au; DROP TABLE workers_fts;"
        "ALTER TABLE pins DROP COLUMN override; DELETE FROM schema_migrations WHERE version >= 10;"
        # and what schema 12 added (earnings, pay plans)
        "DROP TABLE earnings; ALTER TABLE worker_rates DROP COLUMN plan; ALTER TABLE worker_rates DROP COLUMN plan_hours;"
        "PRAGMA user_version = 9;"
    )
    conn.close()
    with Ledger.open(old, create=False) as led:
        assert led.schema_version() == schema.LATEST == 13
        assert matching_ids(led.connection, "ali") == ["W0123", "W0456"]
        assert check_index(led.connection)
        assert led.verify().ok


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the search is empty"),
        ("   ", "the search is empty"),
        ("*-*", "the search is empty"),
        ("a" * 201, "the search is too long"),
        (" ".join("abcdefghijklm"), "the search has too many words"),
    ],
)
def test_bad_searches(roster: Path, cli: CliRunner, text: str, message: str) -> None:
    result = cli.invoke(main, ["workers", "--search", text])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "--search" in result.stderr


def test_quotes_and_operators_are_words_not_syntax(roster: Path) -> None:
    assert match_expression('ali" OR x*') == '"ali"* "OR"* "x"*'
    assert ids(roster, 'ali" OR (') == []
    assert ids(roster, "NEAR(ali") == []


def test_cli_lists_and_searches(roster: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["workers", "--search", "ali"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("W0123     Alice Wong")
    assert lines[2].startswith("W0456     Bob Alison")
    assert lines[2].endswith("PIN override")
    assert lines[-1] == "2 workers, all workers"
    listed = cli.invoke(main, ["workers", "--limit", "2"])
    assert listed.stdout.splitlines()[-1] == "7 workers, all workers (showing 2)"
    none = cli.invoke(main, ["workers", "--search", "zzz"])
    assert none.exit_code == 0
    assert none.stdout == "no workers match (all workers)\n"


def test_cli_json(roster: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["workers", "--search", "w", "--pin-override", "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["total"] == 2
    assert doc["scope"] == "all workers"
    assert [w["worker_id"] for w in doc["workers"]] == ["W-001", "W0456"]
    assert doc["workers"][1] == {
        "worker_id": "W0456",
        "name": "Bob Alison",
        "type": "1099",
        "location_id": "HOU",
        "manager_id": "M2",
        "role": "worker",
        "active": True,
        "pin_override": True,
    }
    assert "pin_hash" not in result.stdout
    assert "654321" not in result.stdout


def test_a_manager_sees_their_reports(roster: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["--as", "M1", "workers", "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["scope"] == "reports of M1"
    assert [w["worker_id"] for w in doc["workers"]] == ["W-001", "W0123"]
    other = search_workers(roster, "ali", actor="M2")
    assert [h.worker_id for h in other.hits] == ["W0456"]


@pytest.mark.parametrize("who", ["W0123", "nobody"])
def test_a_worker_or_stranger_may_not_list(roster: Path, cli: CliRunner, who: str) -> None:
    result = cli.invoke(main, ["--as", who, "workers", "--search", "ali"])
    assert result.exit_code == 2
    assert re.search(r"(may not|only an admin or manager may) list workers", result.stderr), result.stderr


def test_bad_limit(roster: Path) -> None:
    with pytest.raises(OtError, match="bad limit"):
        search_workers(roster, None, actor="A1", limit=0)
