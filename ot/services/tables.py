"""The ledger's read-only tables: what each holds, how many rows, and an export (sqlite-utils rows).

Every table here but ``events`` is a projection: a fold of the events
(``ledger.projections``), rebuilt by ``ot ledger rebuild`` and compared with a
fresh fold by ``ot ledger verify``. An export is a copy for reading (a
spreadsheet, Datasette, a report); nothing read back from one is trusted.

CSV cells that a spreadsheet would run as a formula are written as text
(``ot.core.cells.formula_safe``); JSON is written as stored. Secrets never leave: the PIN hash, its salt and its lookup bucket (``pins``
columns, and the same keys of ``worker.pin_set`` payloads in ``events``, whose
idempotency ``key`` also carries the hash) are left out, as is every key ``ot ledger log`` hides (``SECRET_KEYS``). Tables
that are not facts of the ledger (``meta``, which holds the ledger's PIN salt;
``pin_failures``; the search index) are not offered.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import sqlite_utils

from ledger.schema import PROJECTION_TABLES
from ot.core.cells import formula_safe
from ot.core.errors import OtError, Problem
from ot.services.ledger import HIDDEN, SECRET_KEYS
from ot.services.uow import unit_of_work

__all__ = ["DESCRIPTIONS", "FORMATS", "HIDDEN_COLUMNS", "TableInfo", "export_table", "list_tables"]

FORMATS = ("csv", "json")

#: One line on what each exportable table holds.
DESCRIPTIONS: Mapping[str, str] = {
    "events": "the append-only, hash-chained events: the truth every other table is folded from",
    "locations": "work locations: name, state, time zone, city and county",
    "workers": "the roster: name, type, default location, manager, role, active",
    "worker_rates": "each worker's profile pay rate by effective date",
    "pins": "which workers have a PIN, and whether it is an override (never the hash)",
    "shift_entries": "shifts entered or edited by hand (not punches), with deletions",
    "rules_versions": "every rules file adopted, with its effective date and text",
    "shift_approvals": "each shift's approval: version approved, by whom, voids",
    "timecards": "each worker's timecard of a pay period: step-2 approval and what it covered",
    "payruns": "pay runs: period, pay date, the ledger position they paid as of",
    "payments": "each worker's pay in each run: gross, additions, deductions, net",
    "paid_ranges": "each worker's paid dates (one interval)",
    "paid_weeks": "the pay lines of each paid workweek, with the rules they were priced by",
    "corrections": "corrections of paid weeks: amount, balance still open",
    "settlements": "how each correction was settled (in a run, or otherwise)",
    "sync_shifts": "the sync outbox: each shift's state with each payroll target",
    "earnings": "earnings recorded besides hours (bonus, commission, piece, on-call, call-back...), with voids",
    "schedules": "workers' weekly schedules (hours per weekday, from a date), for PTO and holiday fills",
    "identities": "enrolled users and stations: public keys, roles, revocations",
    "fold_problems": "events a rebuild could not fold (should be empty; ot ledger verify reports them)",
}

#: Columns never exported (secrets, or what narrows a guess of one).
HIDDEN_COLUMNS: Mapping[str, frozenset[str]] = {"pins": frozenset({"pin_hash", "salt", "bucket"})}
# Payload keys hidden in exported events: what ``ot ledger log`` hides, and a PIN's salt and bucket.
_HIDDEN_PAYLOAD = SECRET_KEYS | {"salt", "bucket"}

EXPORTABLE: tuple[str, ...] = ("events", *PROJECTION_TABLES)


@dataclass(frozen=True)
class TableInfo:
    """One exportable table.

    Attributes:
        name: The table.
        rows: Its row count.
        description: What it holds, in one line.
        columns: The columns an export writes.
        hidden: The columns an export leaves out.
    """

    name: str
    rows: int
    description: str
    columns: tuple[str, ...]
    hidden: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict of every field."""
        return {
            "name": self.name,
            "rows": self.rows,
            "description": self.description,
            "columns": list(self.columns),
            "hidden": list(self.hidden),
        }


def _info(db: sqlite_utils.Database, name: str) -> TableInfo:
    table = db.table(name)
    hidden = HIDDEN_COLUMNS.get(name, frozenset())
    cols = tuple(c.name for c in table.columns if c.name not in hidden)
    return TableInfo(name, table.count, DESCRIPTIONS[name], cols, tuple(sorted(hidden)))


def _db(conn: Any) -> sqlite_utils.Database:
    # No PRAGMA changes on the ledger's connection (sqlite-utils turns recursive triggers on by default).
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def list_tables(ledger_path: Path, *, actor: str) -> list[TableInfo]:
    """Every exportable table, events first, with its row count (admins only)."""
    with unit_of_work(ledger_path, actor=actor) as uow:
        uow.require("export tables")
        db = _db(uow.ledger.connection)
        return [_info(db, name) for name in EXPORTABLE]


def _check_table(table: str) -> None:
    if table not in EXPORTABLE:
        raise OtError(
            f"no table {table!r} to export",
            [Problem("TABLE", f"give one of: {', '.join(EXPORTABLE)} (see `ot ledger tables`)")],
        )


def _check_format(fmt: str | None) -> str:
    if fmt not in FORMATS:
        given = "no format" if fmt is None else f"format {fmt!r}"
        raise OtError(f"{given}: say how to write the table", [Problem("--csv/--json", "give --csv or --json")])
    return fmt


def _redacted(row: dict[str, Any]) -> dict[str, Any]:
    """An event row with its secrets hidden: the payload's secret keys, and the idempotency key of a
    ``worker.pin_set`` (``worker.pin_set:<pin_hash>``)."""
    out = dict(row)
    payload = json.loads(row["payload"])
    if isinstance(payload, dict):
        payload = {k: (HIDDEN if k in _HIDDEN_PAYLOAD and v is not None else v) for k, v in payload.items()}
    out["payload"] = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    key = row.get("key")
    if isinstance(key, str) and key.startswith(_PIN_KEY):
        out["key"] = _PIN_KEY + HIDDEN
    return out


_PIN_KEY = "worker.pin_set:"


def _rows(db: sqlite_utils.Database, info: TableInfo) -> Iterator[dict[str, Any]]:
    pk = db.table(info.name).pks
    order = ", ".join(f'"{c}"' for c in pk) if pk and pk != ["rowid"] else "rowid"
    select = ", ".join(f'"{c}"' for c in info.columns)
    rows = db.table(info.name).rows_where(select=select, order_by=order)
    if info.name == "events":
        return (_redacted(r) for r in rows)
    return rows


def _cell(value: object) -> object:
    # A text cell a spreadsheet would run as a formula starts with ' (``ot.core.cells``); numbers stay numbers.
    if value is None:
        return ""
    return formula_safe(value) if isinstance(value, str) else value


def export_table(ledger_path: Path, table: str, fmt: str | None, out: TextIO, *, actor: str) -> int:
    """Write every row of ``table`` (in key order, secrets left out) to ``out`` as CSV (a header row)
    or JSON (an array of objects); returns the number of rows. Admins only; the table and the format
    are checked before the ledger is opened."""
    _check_table(table)
    kind = _check_format(fmt)
    with unit_of_work(ledger_path, actor=actor) as uow:
        uow.require("export tables")
        db = _db(uow.ledger.connection)
        info = _info(db, table)
        count = 0
        if kind == "csv":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(info.columns)
            for row in _rows(db, info):
                writer.writerow([_cell(row[c]) for c in info.columns])
                count += 1
            return count
        out.write("[")
        for row in _rows(db, info):
            out.write(",\n  " if count else "\n  ")
            out.write(json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
        return count
