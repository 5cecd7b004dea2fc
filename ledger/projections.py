"""The derived tables: a fold of the events, kept up to date in each append.

Every derived table (``ledger.schema.PROJECTION_TABLES``) is a function of the
events alone. :func:`apply` folds a run of events into them and is what both
an append (incrementally, inside its transaction) and a rebuild (from an empty
table set) call, so the two cannot disagree. ``verify`` folds every event into
a scratch schema and compares table dumps (:func:`dump`).

Punches have no table: they are read from the events themselves
(``ledger.store``, through an index on the worker and the instant). The pay
state (approvals, timecards, pay runs, paid dates, corrections) is folded by
the handlers of :mod:`ledger.paystate`. Kinds without a projection are
skipped. Unknown payload keys are ignored.

An event the pay state refuses (:class:`ledger.paystate.FoldError`: a date paid
twice, a settlement larger than what is open) aborts an append (``strict``);
a rebuild records it in ``fold_problems`` instead, for ``verify`` to report.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from ledger.outbox import apply_sync
from ledger.paystate import HANDLERS as PAY_HANDLERS
from ledger.paystate import FoldError
from ledger.schema import PROJECTION_TABLES

# The first date of any rate given without an effective date.
BEGINNING = "0001-01-01"

FOLD_CHUNK = 20_000

Row = tuple[int, str, Mapping[str, Any], str, str, str | None]  # (seq, kind, payload, actor, recorded_at, worker)


def apply(conn: sqlite3.Connection, rows: Iterable[Row], schema: str = "main", *, strict: bool = True) -> None:
    """Fold events (in sequence order) into the derived tables of ``schema``.

    ``strict`` (an append): an event the pay state refuses raises
    :class:`FoldError`. Otherwise (a rebuild) it is recorded in ``fold_problems``.
    """
    s = schema
    for seq, kind, p, actor, at, worker_id in rows:
        if kind == "punch.recorded":
            continue
        if kind.startswith("sync."):
            apply_sync(conn, s, seq, kind, p, at, worker_id)
            continue
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(conn, s, seq, p)
            continue
        pay = PAY_HANDLERS.get(kind)
        if pay is None:
            continue
        if strict:
            try:
                pay(conn, s, seq, p, actor, at)
            except FoldError as exc:
                raise FoldError(f"event {seq} ({kind}) {exc}") from None
            continue
        conn.execute("SAVEPOINT fold_event")
        try:
            pay(conn, s, seq, p, actor, at)
        except FoldError as exc:
            conn.execute("ROLLBACK TO fold_event")
            conn.execute(f"INSERT INTO {s}.fold_problems VALUES (?, ?)", (seq, f"({kind}) {exc}"))
        finally:
            conn.execute("RELEASE fold_event")


def _location_added(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO {s}.locations (location_id, name, state, timezone, seq, city, county)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (p["location_id"], p["name"], p["state"], p["timezone"], seq, p.get("city"), p.get("county")),
    )


def _location_changed(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    fields = [f for f in ("name", "state", "timezone", "city", "county") if f in p]
    sets = "".join(f"{f} = ?, " for f in fields)
    conn.execute(
        f"UPDATE {s}.locations SET {sets}seq = ? WHERE location_id = ?",
        (*(p[f] for f in fields), seq, p["location_id"]),
    )


def _worker_added(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    # An upsert, not INSERT OR REPLACE: a replace deletes the row without firing the delete trigger
    # that keeps the search index (``workers_fts``) in step; an update fires its update trigger.
    conn.execute(
        f"""INSERT INTO {s}.workers
          (worker_id, name, type, location_id, manager_id, role, active, seq, display_rate)
        VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
        ON CONFLICT(worker_id) DO UPDATE SET name = excluded.name, type = excluded.type,
          location_id = excluded.location_id, manager_id = excluded.manager_id, role = excluded.role,
          active = 1, seq = excluded.seq, display_rate = excluded.display_rate""",
        (
            p["worker_id"],
            p["name"],
            p["type"],
            p["location_id"],
            p["manager_id"],
            p["role"],
            seq,
            p.get("display_rate"),
        ),
    )
    if p["pay_rate"] is not None:
        conn.execute(
            f"INSERT OR REPLACE INTO {s}.worker_rates {_RATE_COLUMNS} VALUES (?, ?, ?, ?, ?, ?)",
            (p["worker_id"], p["rate_effective"] or BEGINNING, p["pay_rate"], seq, *_plan(p)),
        )


_WORKER_FIELDS = ("name", "type", "location_id", "manager_id", "role", "active", "display_rate")


def _worker_changed(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    fields = [f for f in _WORKER_FIELDS if f in p]
    values = [int(p[f]) if f == "active" else p[f] for f in fields]
    sets = "".join(f"{f} = ?, " for f in fields)
    conn.execute(f"UPDATE {s}.workers SET {sets}seq = ? WHERE worker_id = ?", (*values, seq, p["worker_id"]))


_RATE_COLUMNS = "(worker_id, effective, rate, seq, plan, plan_hours)"


def _plan(p: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(plan, plan_hours) of a rate: None for hourly pay, as before schema 12."""
    plan = p.get("plan")
    return (None, None) if plan in (None, "hourly") else (plan, p.get("plan_hours"))


def _rate_changed(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO {s}.worker_rates {_RATE_COLUMNS} VALUES (?, ?, ?, ?, ?, ?)",
        (p["worker_id"], p["effective"], p["rate"], seq, *_plan(p)),
    )


def _earning_recorded(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO {s}.earnings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        (
            p["earning_id"],
            p["worker_id"],
            p["day"],
            p["kind"],
            p["amount"],
            p["period_start"],
            p["period_end"],
            p["quantity"],
            p["unit_rate"],
            p["note"],
            seq,
        ),
    )


def _earning_voided(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    conn.execute(f"UPDATE {s}.earnings SET voided_seq = ? WHERE earning_id = ?", (seq, p["earning_id"]))


def _pin_set(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    if p["pin_hash"] is None:
        conn.execute(f"DELETE FROM {s}.pins WHERE worker_id = ?", (p["worker_id"],))
    else:
        conn.execute(
            f"INSERT OR REPLACE INTO {s}.pins VALUES (?, ?, ?, ?, ?, ?)",
            (p["worker_id"], p["pin_hash"], seq, p.get("salt"), p.get("bucket"), _flag(p.get("override"))),
        )


def _flag(value: object) -> int | None:
    return None if value is None else int(bool(value))


def _shift_entered(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    conn.execute(
        f"""INSERT INTO {s}.shift_entries (shift_id, worker_id, start, "end", day, minutes, breaks, rate,
          display_rate, location_id, pay_type, meal_waiver, reason, deleted, entered_seq, last_seq, hours, rest)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
        ON CONFLICT(shift_id) DO UPDATE SET
          worker_id = excluded.worker_id, start = excluded.start, "end" = excluded."end",
          day = excluded.day, minutes = excluded.minutes, breaks = excluded.breaks,
          rate = excluded.rate, display_rate = excluded.display_rate, location_id = excluded.location_id,
          pay_type = excluded.pay_type, meal_waiver = excluded.meal_waiver, reason = excluded.reason,
          deleted = 0, last_seq = excluded.last_seq, hours = excluded.hours, rest = excluded.rest""",
        (
            p["shift_id"],
            p["worker_id"],
            p["start"],
            p["end"],
            p["day"],
            p["minutes"],
            json.dumps(list(p["breaks"]), sort_keys=True, separators=(",", ":")),
            p["rate"],
            p["display_rate"],
            p["location_id"],
            p["pay_type"],
            int(p["meal_waiver"]),
            p["reason"],
            seq,
            seq,
            p.get("hours"),
            p.get("rest"),
        ),
    )


def _shift_deleted(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    conn.execute(
        f"UPDATE {s}.shift_entries SET deleted = 1, reason = ?, last_seq = ? WHERE shift_id = ?",
        (p["reason"], seq, p["shift_id"]),
    )


def _enrolled(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO {s}.identities VALUES (?, ?, ?, ?, ?, ?, NULL)",
        (p["key_id"], p["user_id"], p["public_key"], p["kind"], p.get("role"), seq),
    )


def _revoked(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    conn.execute(f"UPDATE {s}.identities SET revoked_seq = ? WHERE key_id = ?", (seq, p["key_id"]))


def _rules_adopted(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    conn.execute(
        f"INSERT INTO {s}.rules_versions VALUES (?, ?, ?, ?, ?)",
        (seq, p["effective"], p["sha256"], p["file"], p["text"]),
    )


def _schedule_set(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any]) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO {s}.schedules VALUES (?, ?, ?, ?, ?)",
        (p["worker_id"], p["weekday"], p["effective_from"], p["hours"], seq),
    )


_HANDLERS = {
    "location.added": _location_added,
    "location.changed": _location_changed,
    "worker.added": _worker_added,
    "worker.changed": _worker_changed,
    "worker.rate_changed": _rate_changed,
    "worker.pin_set": _pin_set,
    "shift.entered": _shift_entered,
    "shift.edited": _shift_entered,
    "shift.deleted": _shift_deleted,
    "rules.adopted": _rules_adopted,
    "schedule.set": _schedule_set,
    "earning.recorded": _earning_recorded,
    "earning.voided": _earning_voided,
    "user.enrolled": _enrolled,
    "user.revoked": _revoked,
}


def clear(conn: sqlite3.Connection, schema: str = "main") -> None:
    """Empty every derived table of ``schema``."""
    for table in PROJECTION_TABLES:
        conn.execute(f"DELETE FROM {schema}.{table}")


def fold_all(conn: sqlite3.Connection, schema: str = "main") -> int:
    """Fold every event of ``main.events`` into the (empty) derived tables of ``schema``.

    Streams in chunks so that memory stays flat on a large ledger. Returns the
    number of events read.
    """
    cursor = conn.execute(
        "SELECT seq, kind, payload, actor, recorded_at, worker_id FROM main.events "
        "WHERE kind != 'punch.recorded' ORDER BY seq"
    )
    count = 0
    while True:
        chunk = cursor.fetchmany(FOLD_CHUNK)
        if not chunk:
            break
        count += len(chunk)
        apply(
            conn,
            ((seq, kind, json.loads(payload), actor, at, wid) for seq, kind, payload, actor, at, wid in chunk),
            schema,
            strict=False,
        )
    return int(conn.execute("SELECT COUNT(*) FROM main.events").fetchone()[0])


def dump(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[tuple[Any, ...]]:
    """Every row of a derived table, in a fixed order (for comparisons)."""
    return [tuple(r) for r in conn.execute(f"SELECT * FROM {schema}.{table} ORDER BY 1, 2")]
