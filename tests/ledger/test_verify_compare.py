"""Issue 15: verify compares each derived table with the fold in SQLite (``ledger.verify._differs``), not
row by row in Python; only a table that differs is read into Python, to say where.

The SQL comparison must find every difference the Python one found: an edited column (to or from NULL too), a row
added or removed, a row repeated in a table rebuilt without its primary key (with another removed, so that
the counts agree); a table reshaped (a column added) is said apart, as a rebuild cannot mend it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.schema import PROJECTION_TABLES, PROJECTIONS, _script
from ledger.verify import _differs, _first_difference, _shape_difference

ROWS = [
    ("W1", "2026-07-19", '[{"amount":"10.00"}]', "rules.ot", "a" * 64, 10),
    ("W1", "2026-07-26", '[{"amount":"20.00"}]', "rules.ot", "a" * 64, 11),
    ("W2", "2026-07-19", '[{"amount":"30.00"}]', "rules.ot", "a" * 64, 12),
]


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    """The ledger's tables (``main``) and the fold (``fresh``), both with every derived table, equal."""
    c = sqlite3.connect(tmp_path / "main.db", isolation_level=None)
    _script(c, PROJECTIONS.format(s="main"))
    c.execute("ATTACH DATABASE ? AS fresh", (str(tmp_path / "fresh.db"),))
    _script(c, PROJECTIONS.format(s="fresh"))
    for schema in ("main", "fresh"):
        c.executemany(f"INSERT INTO {schema}.paid_weeks VALUES (?, ?, ?, ?, ?, ?)", ROWS)
    return c


def _rebuilt_without_key(c: sqlite3.Connection) -> None:
    """paid_weeks made again with the same columns but no primary key (what a forger may do to repeat a row)."""
    c.execute("ALTER TABLE main.paid_weeks RENAME TO old_weeks")
    c.execute(
        "CREATE TABLE main.paid_weeks (worker_id TEXT NOT NULL, week_start TEXT NOT NULL, lines TEXT NOT NULL, "
        "rules_file TEXT NOT NULL, rules_sha256 TEXT NOT NULL, seq INTEGER NOT NULL) STRICT"
    )
    c.execute("INSERT INTO main.paid_weeks SELECT * FROM old_weeks")
    c.execute("DROP TABLE old_weeks")


def _repeat_a_row(c: sqlite3.Connection) -> None:
    _rebuilt_without_key(c)
    c.execute("DELETE FROM main.paid_weeks WHERE seq = 12")
    c.execute("INSERT INTO main.paid_weeks SELECT * FROM main.paid_weeks WHERE seq = 10")


#: Each edit, as the SQL it runs (the fold's table is ``fresh``), or a function for more than one statement.
EDITS: dict[str, str | Callable[[sqlite3.Connection], None]] = {
    "a column edited": "UPDATE main.paid_weeks SET lines = '[]' WHERE seq = 10",
    "a number changed": "UPDATE main.paid_weeks SET seq = seq + 100 WHERE seq = 11",
    "a row removed": "DELETE FROM main.paid_weeks WHERE seq = 12",
    "a row added": f"INSERT INTO main.paid_weeks VALUES ('W3', '2026-07-19', '[]', 'rules.ot', '{'a' * 64}', 13)",
    "a row of the fold missing": "DELETE FROM fresh.paid_weeks WHERE seq = 10",
    "a row repeated, another removed": _repeat_a_row,
}


def test_equal_tables_do_not_differ(conn: sqlite3.Connection) -> None:
    assert not any(_differs(conn, table) for table in PROJECTION_TABLES)


def test_a_table_rebuilt_with_the_same_rows_does_not_differ(conn: sqlite3.Connection) -> None:
    """Same columns, same rows, rowids and key index aside: not a difference of what the events give."""
    _rebuilt_without_key(conn)
    assert not _differs(conn, "paid_weeks")


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_every_difference_is_found_in_sql_and_said_in_python(conn: sqlite3.Connection, edit: str) -> None:
    change = EDITS[edit]
    if isinstance(change, str):
        conn.execute(change)
    else:
        change(conn)
    assert _differs(conn, "paid_weeks")
    assert _first_difference(conn, "paid_weeks") is not None
    assert not any(_differs(conn, table) for table in PROJECTION_TABLES if table != "paid_weeks")


def test_a_table_reshaped_is_said_apart(conn: sqlite3.Connection) -> None:
    assert _shape_difference(conn, "paid_weeks") is None
    conn.execute("ALTER TABLE main.paid_weeks ADD COLUMN extra TEXT")
    assert _shape_difference(conn, "paid_weeks") == (
        "does not have the columns the events are folded into (has worker_id, week_start, lines, rules_file, "
        "rules_sha256, seq, extra; expected worker_id, week_start, lines, rules_file, rules_sha256, seq): the "
        "file was changed outside ot; restore it from a backup"
    )


@pytest.mark.parametrize(("mine", "theirs"), [(None, None), (None, 5), (5, None), (5, 5)])
def test_nulls_are_compared_as_values(conn: sqlite3.Connection, mine: int | None, theirs: int | None) -> None:
    for schema, head in (("main", mine), ("fresh", theirs)):
        conn.execute(
            f"INSERT INTO {schema}.payruns VALUES ('R1', 'regular', '2026-07-19', '2026-08-01', '2026-08-06', 0, ?, "
            "NULL, 'A1', '2026-08-02T00:00:00Z', 20)",
            (head,),
        )
    assert _differs(conn, "payruns") == (mine != theirs)
