"""The pay state folded at append time: approvals, timecards, pay runs, paid dates, corrections.

The handlers here are registered with :mod:`ledger.projections`, so that an
append (incrementally, inside its transaction), a rebuild and ``verify``'s
scratch fold all run the same code. They keep indexed tables, so that a
command reads the rows it needs instead of folding the whole history:

``shift_approvals``
    One row per shift ever approved: the version in force (None once voided)
    and how many times its approval was voided (part of the next approval's key).
``timecards``
    One row per (worker, pay period): the step-2 approval in force (its shifts,
    leave, the first date it pays and the corrections it settles), or None
    fields once voided; ``voids`` as above.
``payruns`` / ``payments``
    Each pay run, and each worker's payment by it.
``paid_ranges``
    The dates a worker has been paid: always one interval ``[paid_from,
    paid_through]``. A payment that would pay a date inside it, or leave a gap,
    is refused by the fold (:class:`FoldError`): a worker-date is paid at most
    once, whatever the pay calendar says.
``paid_weeks``
    Per (worker, workweek): the lines owed for its paid dates (what the pay
    runs paid, as corrected since). A correction compares a recomputed week
    with these lines.
``corrections`` / ``settlements``
    Every over- or underpayment with its open balance, and each settlement
    (a pay run's addition or deduction, an off-cycle payment, a payment made
    outside ot). A settlement larger than the open balance is refused.
``fold_problems``
    What a rebuild (or the migration of an older ledger) could not fold: an
    event the fold refuses is reported by ``verify``, never guessed at. At
    append time the same refusal aborts the append.

Payload shapes are in :mod:`ledger.approvals`. Older payloads (a list of
``paid_dates``, ``settled`` as ids, no settlement amount) are folded too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

__all__ = ["HANDLERS", "FoldError", "date_ranges", "merge_lines"]

ZERO = Decimal("0.00")


class FoldError(ValueError):
    """An event the pay state cannot take (a date paid twice, a settlement larger than what is open)."""


Handler = Callable[[sqlite3.Connection, str, int, Mapping[str, Any], str, str], None]


#: One encoder for every row (``json.dumps`` with options builds a new one per call).
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode


def _dump(value: Any) -> str:
    return _ENCODE(value)


def date_ranges(days: Iterable[str]) -> list[tuple[date, date]]:
    """Contiguous (first, last) runs of ISO dates, in order."""
    out: list[tuple[date, date]] = []
    for d in sorted({date.fromisoformat(x) for x in days}):
        if out and out[-1][1] + timedelta(days=1) == d:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def merge_lines(
    old: Sequence[Mapping[str, Any]], replace: Mapping[str, Sequence[Mapping[str, Any]]]
) -> list[Mapping[str, Any]]:
    """``old`` lines with the lines of every date in ``replace`` replaced, ordered by date (stable)."""
    kept = [ln for ln in old if ln["date"] not in replace]
    new = [ln for day in replace for ln in replace[day]]
    return sorted([*kept, *new], key=lambda ln: str(ln["date"]))


# --- approvals --------------------------------------------------------------------


def _shift_approved(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any], actor: str, at: str) -> None:
    conn.execute(
        f"""INSERT INTO {s}.shift_approvals VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?)
        ON CONFLICT(shift_id) DO UPDATE SET worker_id = excluded.worker_id, version = excluded.version,
          day = excluded.day, actor = excluded.actor, at = excluded.at, seq = excluded.seq""",
        (p["shift_id"], p["worker_id"], p["version"], p["day"], actor, at, seq),
    )


def _void(p: Mapping[str, Any], actor: str, seq: int) -> str:
    return _dump({"cause": p.get("cause") or "", "reason": p.get("reason") or "", "actor": actor, "seq": seq})


def _shift_voided(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any], actor: str, at: str) -> None:
    conn.execute(
        f"""INSERT INTO {s}.shift_approvals VALUES (?, ?, NULL, NULL, NULL, NULL, 1, ?, ?)
        ON CONFLICT(shift_id) DO UPDATE SET version = NULL, day = NULL, actor = NULL, at = NULL,
          voids = voids + 1, last_void = excluded.last_void, seq = excluded.seq""",
        (p["shift_id"], p["worker_id"], _void(p, actor, seq), seq),
    )


def _timecard_approved(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any], actor: str, at: str) -> None:
    conn.execute(
        f"""INSERT INTO {s}.timecards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?)
        ON CONFLICT(worker_id, period_start) DO UPDATE SET period_end = excluded.period_end,
          pay_from = excluded.pay_from, shifts = excluded.shifts, leave = excluded.leave,
          corrections = excluded.corrections, actor = excluded.actor, at = excluded.at, seq = excluded.seq""",
        (
            p["worker_id"],
            p["period_start"],
            p["period_end"],
            p.get("pay_from") or p["period_start"],
            _dump(list(p["shifts"])),
            _dump(list(p["leave"])),
            _dump(list(p.get("corrections") or [])),
            actor,
            at,
            seq,
        ),
    )


def _timecard_voided(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any], actor: str, at: str) -> None:
    conn.execute(
        f"""INSERT INTO {s}.timecards VALUES (?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, 1, ?, ?)
        ON CONFLICT(worker_id, period_start) DO UPDATE SET pay_from = NULL, shifts = NULL, leave = NULL,
          corrections = NULL, actor = NULL, at = NULL, voids = voids + 1, last_void = excluded.last_void,
          seq = excluded.seq""",
        (p["worker_id"], p["period_start"], p.get("period_end") or p["period_start"], _void(p, actor, seq), seq),
    )


# --- pay runs and payments --------------------------------------------------------


def _payrun(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any], actor: str, at: str) -> None:
    conn.execute(
        f"INSERT INTO {s}.payruns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            p["run_id"],
            p["kind"],
            p.get("period_start"),
            p.get("period_end"),
            p["pay_date"],
            int(bool(p.get("partial"))),
            p.get("ledger_seq"),
            p.get("ledger_hash"),
            actor,
            at,
            seq,
        ),
    )


def payment_ranges(p: Mapping[str, Any]) -> list[tuple[date, date]]:
    """The date ranges a ``payrun.worker_paid`` payload pays (``ranges``, else older ``paid_dates``)."""
    if "ranges" in p:
        return [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in p["ranges"]]
    return date_ranges(p.get("paid_dates") or [])


def _worker_paid(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any], actor: str, at: str) -> None:
    wid = p["worker_id"]
    ranges = payment_ranges(p)
    row = conn.execute(
        f"SELECT paid_from, paid_through, seq FROM {s}.paid_ranges WHERE worker_id = ?", (wid,)
    ).fetchone()
    lo: date | None = date.fromisoformat(row[0]) if row else None
    hi: date | None = date.fromisoformat(row[1]) if row else None
    for first, last in sorted(ranges):
        if last < first:
            raise FoldError(f"pays {wid} from {first} to {last}: a range that ends before it starts")
        if lo is not None and hi is not None:
            if first <= hi and last >= lo:
                raise FoldError(
                    f"pays {wid} again for {max(first, lo)}..{min(last, hi)}: those dates were paid already "
                    f"(paid {lo}..{hi}, event {row[2]}); a worker-date is paid at most once"
                )
            if first > hi + timedelta(days=1) or last < lo - timedelta(days=1):
                raise FoldError(
                    f"pays {wid} {first}..{last}, leaving unpaid dates between it and the paid {lo}..{hi}: "
                    "a worker's paid dates are one interval"
                )
            lo, hi = min(lo, first), max(hi, last)
        else:
            lo, hi = first, last
    if lo is not None and hi is not None and ranges:
        conn.execute(
            f"INSERT OR REPLACE INTO {s}.paid_ranges VALUES (?, ?, ?, ?)", (wid, lo.isoformat(), hi.isoformat(), seq)
        )
    new_days = {(a + timedelta(days=i)).isoformat() for a, b in ranges for i in range((b - a).days + 1)}
    for week in p.get("weeks") or []:
        replace: dict[str, list[Mapping[str, Any]]] = {}
        for line in week.get("lines") or []:
            if line["date"] in new_days:
                replace.setdefault(line["date"], []).append(line)
        for day in new_days:
            if day not in replace and _in_week(day, week["week_start"]):
                replace[day] = []
        _merge_week(conn, s, seq, wid, week["week_start"], replace, week["rules_file"], week["rules_sha256"])
    settled = [x if isinstance(x, str) else x["correction_id"] for x in p.get("settled") or []]
    conn.execute(
        f"INSERT INTO {s}.payments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            p["run_id"],
            p["kind"],
            wid,
            p.get("period_start"),
            p.get("period_end"),
            min(r[0] for r in ranges).isoformat() if ranges else None,
            max(r[1] for r in ranges).isoformat() if ranges else None,
            p["gross"],
            p["additions"],
            p["deductions"],
            p["net"],
            _dump(settled),
            at,
        ),
    )


def _in_week(day: str, week_start: str) -> bool:
    d, w = date.fromisoformat(day), date.fromisoformat(week_start)
    return w <= d < w + timedelta(days=7)


def _merge_week(
    conn: sqlite3.Connection,
    s: str,
    seq: int,
    worker_id: str,
    week_start: str,
    replace: Mapping[str, Sequence[Mapping[str, Any]]],
    rules_file: str,
    rules_sha: str,
) -> None:
    row = conn.execute(
        f"SELECT lines FROM {s}.paid_weeks WHERE worker_id = ? AND week_start = ?", (worker_id, week_start)
    ).fetchone()
    old = json.loads(row[0]) if row else []
    lines = merge_lines(old, replace)
    conn.execute(
        f"INSERT OR REPLACE INTO {s}.paid_weeks VALUES (?, ?, ?, ?, ?, ?)",
        (worker_id, week_start, _dump(lines), rules_file, rules_sha, seq),
    )


# --- corrections --------------------------------------------------------------------


def _correction(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any], actor: str, at: str) -> None:
    conn.execute(
        f"INSERT INTO {s}.corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            p["correction_id"],
            p["worker_id"],
            p["week_start"],
            p["kind"],
            p["timeframe"],
            p["amount"],
            p["amount"],
            _dump(dict(p)),
            actor,
            at,
            seq,
        ),
    )
    replace: dict[str, list[Mapping[str, Any]]] = {str(d["date"]): [] for d in p.get("dates") or []}
    for line in p.get("corrected_lines") or []:
        if line["date"] in replace:
            replace[line["date"]].append(line)
    if replace:
        _merge_week(conn, s, seq, p["worker_id"], p["week_start"], replace, p["rules_file"], p["rules_sha256"])


def _settled(conn: sqlite3.Connection, s: str, seq: int, p: Mapping[str, Any], actor: str, at: str) -> None:
    cid = p["correction_id"]
    row = conn.execute(f"SELECT balance, worker_id FROM {s}.corrections WHERE correction_id = ?", (cid,)).fetchone()
    if row is None:
        raise FoldError(f"settles correction {cid}, which was never recorded")
    balance = Decimal(row[0])
    amount = Decimal(p["amount"]) if p.get("amount") is not None else balance
    if amount <= 0 or amount > balance:
        raise FoldError(f"settles {amount} of correction {cid}, whose open balance is {balance}")
    conn.execute(
        f"INSERT INTO {s}.settlements VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (cid, seq, row[1], p["how"], p.get("run_id"), p.get("period_start"), str(amount), at),
    )
    conn.execute(f"UPDATE {s}.corrections SET balance = ? WHERE correction_id = ?", (str(balance - amount), cid))


#: A ``shift_approvals`` row: shift_id, worker_id, version, day, actor, at, voids, last_void, seq.
ApprovalRow = tuple[str, str, str | None, str | None, str | None, str | None, int, str | None, int]


def fold_shift_approval(events: Iterable[tuple[int, str, Mapping[str, Any], str, str]]) -> ApprovalRow | None:
    """The ``shift_approvals`` row that :func:`_shift_approved` and :func:`_shift_voided` fold from one
    shift's approval and void events ``(seq, kind, payload, actor, recorded_at)`` in sequence order, in
    Python (a check of many rows need not write a scratch table per shift); None: no row. Proved equal to
    the SQL fold over any sequence of them (``tests/ledger/test_fold_shift_approval.py``)."""
    row: ApprovalRow | None = None
    for seq, kind, p, actor, at in events:
        if kind == "approval.shift_approved":
            voids, last = (0, None) if row is None else (row[6], row[7])
            row = (p["shift_id"], p["worker_id"], p["version"], p["day"], actor, at, voids, last, seq)
        elif kind == "approval.shift_voided":
            if row is None:
                row = (p["shift_id"], p["worker_id"], None, None, None, None, 1, _void(p, actor, seq), seq)
            else:
                row = (row[0], row[1], None, None, None, None, row[6] + 1, _void(p, actor, seq), seq)
    return row


HANDLERS: dict[str, Handler] = {
    "approval.shift_approved": _shift_approved,
    "approval.shift_voided": _shift_voided,
    "approval.timecard_approved": _timecard_approved,
    "approval.timecard_voided": _timecard_voided,
    "payrun.recorded": _payrun,
    "payrun.worker_paid": _worker_paid,
    "correction.recorded": _correction,
    "correction.settled": _settled,
}
