"""Who may act is decided by the events, never by a table someone edited.

Permissions (:mod:`ot.services.permissions`) read roles and managers from the
roster and keys from ``identities``: derived tables, in the same file as the
events, that anyone with the file can edit with ``sqlite3``. A review showed
what that gave: a row inserted into ``identities`` let an attacker's own key
write sealed events as the admin (a pay run included), and ``UPDATE workers SET
role = 'admin'`` made a manager an admin. So before a unit of work trusts them:

- the ``identities`` table is compared with the fold of every ``user.*`` event
  (a few per user) at every write;
- the acting user's ``workers`` row, and for a manager the rows that name them
  as manager (their reports, which their permission rests on), with the fold of
  those workers' own events (found through the ``events_worker_kind`` index);
- a roster with no admin (which opens the set-up to anyone) is believed only
  when the events say so too.

Any difference refuses the command with the table and the row, and nothing is
written. The costs follow the people acting, not the roster's size.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from ledger import projections
from ledger.schema import PROJECTIONS, _script
from ot.core.errors import OtError, Problem

__all__ = ["admin_in_events", "check_identities", "check_pin", "check_workers", "refuse"]

_USER_KINDS = ("user.enrolled", "user.revoked")
_WORKER_KINDS = ("worker.added", "worker.changed")
_IDENTITY_COLUMNS = "key_id, user_id, public_key, kind, role, enrolled_seq, revoked_seq"
_WORKER_COLUMNS = "worker_id, name, type, location_id, manager_id, role, active, seq, display_rate"


def refuse(problems: Sequence[Problem]) -> None:
    """Refuse the command when a table the permissions read differs from the events."""
    if problems:
        raise OtError(
            "refused: a table that says who may act does not match the events; nothing was written: the ledger "
            "file was edited outside ot; run `ot ledger verify`, then `ot ledger rebuild` once you know why",
            list(problems),
        )


def _scratch() -> sqlite3.Connection:
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    scratch.execute("BEGIN")
    _script(scratch, PROJECTIONS.format(s="main"))
    return scratch


def _fold(scratch: sqlite3.Connection, rows: Sequence[tuple[int, str, str, str, str, str | None]]) -> None:
    projections.apply(
        scratch, ((seq, kind, json.loads(p), actor, at, wid) for seq, kind, p, actor, at, wid in rows), strict=False
    )


def _differences(
    table: str, key: str, ours: dict[str, tuple[object, ...]], folded: dict[str, tuple[object, ...]]
) -> list[Problem]:
    out: list[Problem] = []
    for k in sorted(set(ours) | set(folded)):
        mine, theirs = ours.get(k), folded.get(k)
        if mine == theirs:
            continue
        if theirs is None:
            out.append(Problem(f"table {table}", f"{key} {k}: a row no event made: {mine!r}"))
        elif mine is None:
            out.append(Problem(f"table {table}", f"{key} {k}: the row the events make is missing: {theirs!r}"))
        else:
            out.append(Problem(f"table {table}", f"{key} {k}: {mine!r}, but the events make {theirs!r}"))
    return out


def _compare(
    conn: sqlite3.Connection,
    rows: Sequence[tuple[int, str, str, str, str, str | None]],
    table: str,
    key: str,
    select: str,
    args: Sequence[object] = (),
) -> list[Problem]:
    """How ``select`` (a query of ``table``, keyed by its first column) reads in the ledger against a
    scratch fold of ``rows`` (events in sequence order)."""
    scratch = _scratch()
    try:
        _fold(scratch, rows)
        folded = {str(r[0]): tuple(r) for r in scratch.execute(select, args)}
    finally:
        scratch.close()
    ours = {str(r[0]): tuple(r) for r in conn.execute(select, args)}
    return _differences(table, key, ours, folded)


_EVENT_ROW = "SELECT seq, kind, payload, actor, recorded_at, worker_id FROM events "


def check_identities(conn: sqlite3.Connection) -> list[Problem]:
    """How the ``identities`` table differs from the fold of the ``user.*`` events (empty: it does not)."""
    rows = conn.execute(
        _EVENT_ROW + "WHERE kind IN (?, ?) AND kind != 'punch.recorded' ORDER BY seq", _USER_KINDS
    ).fetchall()
    return _compare(conn, rows, "identities", "key", f"SELECT {_IDENTITY_COLUMNS} FROM identities")


def _worker_events(
    conn: sqlite3.Connection, worker_ids: Sequence[str], kinds: Sequence[str] = _WORKER_KINDS
) -> list[tuple[int, str, str, str, str, str | None]]:
    out: list[tuple[int, str, str, str, str, str | None]] = []
    for wid in worker_ids:
        out += conn.execute(
            _EVENT_ROW + f"WHERE worker_id = ? AND kind IN ({','.join('?' * len(kinds))}) AND kind != 'punch.recorded'",
            (wid, *kinds),
        ).fetchall()
    return sorted(out)


def check_workers(conn: sqlite3.Connection, worker_ids: Sequence[str], manager_id: str | None = None) -> list[Problem]:
    """How the ``workers`` rows of these workers (and, with ``manager_id``, every row naming them as
    manager) differ from the fold of those workers' own events."""
    ids = set(worker_ids)
    if manager_id is not None:
        ids |= {str(r[0]) for r in conn.execute("SELECT worker_id FROM workers WHERE manager_id = ?", (manager_id,))}
    wanted = sorted(ids)
    select = f"SELECT {_WORKER_COLUMNS} FROM workers WHERE worker_id IN ({','.join('?' * len(wanted))})"
    return _compare(conn, _worker_events(conn, wanted), "workers", "worker", select, wanted)


def check_pin(conn: sqlite3.Connection, worker_id: str) -> list[Problem]:
    """How the ``pins`` row of the worker a PIN matched differs from the fold of their ``worker.pin_set``
    events (a review: W01's hash copied onto W02's row punched W02 in with W01's PIN)."""
    rows = _worker_events(conn, [worker_id], ("worker.pin_set",))
    return _compare(conn, rows, "pins", "worker", "SELECT * FROM pins WHERE worker_id = ?", (worker_id,))


def admin_in_events(conn: sqlite3.Connection) -> bool:
    """Whether the fold of every worker's events holds an admin (the rare path: a roster whose table
    says it has none, which would open the set-up to anyone)."""
    rows = conn.execute(
        _EVENT_ROW + "WHERE kind IN (?, ?) AND kind != 'punch.recorded' ORDER BY seq", _WORKER_KINDS
    ).fetchall()
    scratch = _scratch()
    try:
        _fold(scratch, rows)
        return scratch.execute("SELECT 1 FROM workers WHERE role = 'admin' LIMIT 1").fetchone() is not None
    finally:
        scratch.close()
