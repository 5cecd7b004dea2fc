"""``ot ledger verify`` checks the money, from the events alone.

Beyond the hash chain and the derived tables (:mod:`ledger.verify`):

- no worker-date is paid twice: the pay state's fold refuses such a payment
  (``ledger.paystate``), and verify reports it with the event;
- every correction is settled at most once, never beyond its amount (the same fold);
- every payment equals the price of its dates from the events *at the time
  it was paid*: the ledger is replayed into a scratch copy up to the head each
  pay run recorded (``ledger_seq``), and each worker's paid workweeks are
  priced again there, with the rules in force, and compared line class by
  line class with what the payment recorded;
- for every paid workweek, what the payments paid plus the corrections
  recorded since equals what the week owes for its paid dates
  (``paid_weeks``), and the sum of a payment's lines is its gross and its
  net is gross + additions - deductions.

Each problem names the event and the worker, and says what differs.

From a verified checkpoint (:class:`MoneyStart`: its sequence number, the
fold of the derived tables as of it, and what each paid week had been paid
then) only the payments and corrections recorded after it are checked and
repriced: the scratch copy starts from the checkpoint's tables, gets the
events after it and the punches of the weeks those runs paid, not the history.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger import projections
from ledger.approvals import line_from_payload
from ledger.paystate import payment_ranges
from ledger.schema import PROJECTION_TABLES
from ledger.store import Ledger
from ot.core.timez import utcnow
from ot.services.paycycle import by_class, paid_line
from ot.services.uow import UnitOfWork

__all__ = ["MoneyStart", "check_money"]

ZERO = Decimal("0.00")
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class MoneyStart:
    """Where an incremental money check starts (a verified checkpoint).

    Attributes:
        seq: The last event the checkpoint covers.
        fold: A SQLite file with the derived tables folded up to ``seq``.
        paid: (worker, week start) -> what payments and corrections had paid that week by then.
    """

    seq: int
    fold: Path
    paid: Mapping[tuple[str, str], Decimal]


def _payments(conn: sqlite3.Connection, after: int, through: int) -> Iterator[tuple[int, Mapping[str, Any]]]:
    for seq, payload in conn.execute(
        "SELECT seq, json_remove(payload, '$.stub') FROM events WHERE kind = 'payrun.worker_paid' "
        "AND kind != 'punch.recorded' AND seq > ? "
        "AND seq <= ? ORDER BY seq",
        (after, through),
    ):
        yield seq, json.loads(payload)


def _sums(
    conn: sqlite3.Connection, problems: list[str], start: MoneyStart | None = None, through: int = 2**62
) -> dict[tuple[str, str], Decimal]:
    """Each payment adds up; per paid week, payments + corrections = what the week owes (from ``start``:
    the payments and corrections after it, and the weeks they touch). Returns what each week was paid."""
    after = start.seq if start is not None else 0
    paid: dict[tuple[str, str], Decimal] = dict(start.paid) if start is not None else {}
    touched: set[tuple[str, str]] = set()
    for seq, p in _payments(conn, after, through):
        lines = [ln for w in p.get("weeks") or [] for ln in w.get("lines") or []]
        gross = sum((Decimal(ln["amount"]) for ln in lines), ZERO)
        if gross != Decimal(p["gross"]):
            problems.append(f"event {seq}: payment of {p['worker_id']}: its lines add up to {gross}, not {p['gross']}")
        net = Decimal(p["gross"]) + Decimal(p["additions"]) - Decimal(p["deductions"])
        if net != Decimal(p["net"]) or net < 0:
            problems.append(
                f"event {seq}: payment of {p['worker_id']}: net {p['net']} is not gross + additions - deductions ({net})"
            )
        for w in p.get("weeks") or []:
            key = (p["worker_id"], w["week_start"])
            touched.add(key)
            paid[key] = paid.get(key, ZERO) + sum((Decimal(ln["amount"]) for ln in w.get("lines") or []), ZERO)
    for seq, payload in conn.execute(
        "SELECT seq, payload FROM events WHERE kind = 'correction.recorded' AND kind != 'punch.recorded' "
        "AND seq > ? AND seq <= ? ORDER BY seq",
        (after, through),
    ):
        c = json.loads(payload)
        key = (c["worker_id"], c["week_start"])
        touched.add(key)
        signed = Decimal(c["amount"]) if c["kind"] == "underpayment" else -Decimal(c["amount"])
        if Decimal(c["corrected_gross"]) - Decimal(c["paid_gross"]) != signed:
            problems.append(f"event {seq}: correction {c['correction_id']}: amount {c['amount']} is not owed - paid")
        paid[key] = paid.get(key, ZERO) + signed
    if start is None:
        weeks = conn.execute("SELECT worker_id, week_start, lines FROM paid_weeks").fetchall()
    else:  # a week nothing paid since was checked at the checkpoint, and its row is compared with the fold
        weeks = [
            (wid, week, row[0])
            for wid, week in sorted(touched)
            for row in conn.execute(
                "SELECT lines FROM paid_weeks WHERE worker_id = ? AND week_start = ?", (wid, week)
            ).fetchall()
        ]
    for wid, week, lines in weeks:
        owed = sum((Decimal(ln["amount"]) for ln in json.loads(lines)), ZERO)
        got = paid.get((wid, week), ZERO)
        if owed != got:
            problems.append(
                f"{wid} week of {week}: its paid dates owe {owed}, but payments and corrections come to {got}"
            )
    return paid


def _replay(conn: sqlite3.Connection, scratch: Ledger, upto: int, done: int) -> int:
    """Copy events ``done+1 .. upto`` into the scratch ledger and fold them; returns ``upto``."""
    cursor = conn.execute("SELECT * FROM events WHERE seq > ? AND seq <= ? ORDER BY seq", (done, upto))
    sc = scratch.connection
    while True:
        rows = cursor.fetchmany(5000)
        if not rows:
            break
        sc.executemany(f"INSERT INTO events VALUES ({', '.join('?' * len(rows[0]))})", rows)
        scratch.forget_punches()
        projections.apply(
            sc,
            ((r[0], r[4], json.loads(r[5]), r[3], r[2], r[7]) for r in rows if r[4] != "punch.recorded"),
            strict=False,
        )
    return upto


def _prices(
    conn: sqlite3.Connection, problems: list[str], start: MoneyStart | None = None, through: int = 2**62
) -> int:
    """Reprice every payment (``start``: of the runs recorded after it) as of the head its run recorded;
    returns how many were checked."""
    after = start.seq if start is not None else 0
    runs = conn.execute(
        "SELECT seq, json_extract(payload, '$.run_id'), json_extract(payload, '$.ledger_seq') FROM events "
        "WHERE kind = 'payrun.recorded' AND kind != 'punch.recorded' AND seq > ? AND seq <= ? "
        "AND json_extract(payload, '$.kind') = 'regular' "
        "ORDER BY seq",
        (after, through),
    ).fetchall()
    if not runs:
        return 0
    if start is not None and any((head if head is not None else seq - 1) < after for seq, _r, head in runs):
        return _prices(conn, problems, None, through)  # a run priced before the checkpoint: replay from the start
    checked = 0
    with Ledger.open(":memory:") as scratch:
        done = 0
        if start is not None:
            _load_fold(scratch, start.fold)
            done = after
        for run_seq, run_id, head in runs:  # in order: the scratch copy only grows
            upto = head if head is not None else run_seq - 1
            payments = _payments_of_run(conn, run_id)
            if start is not None:
                _copy_punches(conn, scratch, payments, after)
            done = _replay(conn, scratch, upto, done) if upto > done else done
            scratch.connection.execute("BEGIN")
            try:
                uow = UnitOfWork(scratch, scratch, None, utcnow(), False, Path(scratch.path))
                for seq, p in payments:
                    checked += 1
                    _check_payment(uow, seq, p, problems)
            finally:
                scratch.connection.execute("ROLLBACK")
    return checked


def _load_fold(scratch: Ledger, fold: Path) -> None:
    """Fill the scratch ledger's derived tables with a checkpoint's fold."""
    sc = scratch.connection
    sc.execute("ATTACH DATABASE ? AS ck", (str(fold),))
    try:
        sc.execute("BEGIN")
        for table in PROJECTION_TABLES:
            sc.execute(f"DELETE FROM main.{table}")
            sc.execute(f"INSERT INTO main.{table} SELECT * FROM ck.{table}")
        sc.execute("COMMIT")
    finally:
        sc.execute("DETACH DATABASE ck")


#: Days of punches read around the weeks a payment paid: pricing a week reads its shifts from
#: ``ot.services.pay.MARGIN`` (3) days before it, and their punches from a day before that to three
#: days after (``shifts_in_force``): a week either side covers both.
_AROUND = timedelta(days=7)


def _copy_punches(
    conn: sqlite3.Connection, scratch: Ledger, payments: list[tuple[int, Mapping[str, Any]]], after: int
) -> None:
    """Copy the punches recorded up to ``after`` (the checkpoint) of the weeks these payments paid, by worker,
    through the punch index (those after it come with the replay)."""
    sc = scratch.connection
    for _seq, p in payments:
        weeks = [date.fromisoformat(w["week_start"]) for w in p.get("weeks") or []]
        if not weeks:
            continue
        lo = (min(weeks) - _AROUND).isoformat()
        hi = (max(weeks) + timedelta(days=7) + _AROUND).isoformat()
        rows = conn.execute(
            "SELECT * FROM events WHERE kind = 'punch.recorded' AND worker_id = ? "
            "AND json_extract(payload, '$.at') >= ? AND json_extract(payload, '$.at') < ? AND seq <= ?",
            (p["worker_id"], lo, hi, after),
        ).fetchall()
        if rows:
            sc.executemany(f"INSERT OR IGNORE INTO events VALUES ({', '.join('?' * len(rows[0]))})", rows)
            scratch.forget_punches()


def _payments_of_run(conn: sqlite3.Connection, run_id: str) -> list[tuple[int, Mapping[str, Any]]]:
    return [
        (seq, json.loads(p))
        for seq, p in conn.execute(
            "SELECT seq, json_remove(payload, '$.stub') FROM events WHERE kind = 'payrun.worker_paid' "
            "AND kind != 'punch.recorded' AND json_extract(payload, '$.run_id') = ? ORDER BY seq",
            (run_id,),
        )
    ]


def _check_payment(uow: UnitOfWork, seq: int, p: Mapping[str, Any], problems: list[str]) -> None:
    wid = p["worker_id"]
    ranges = payment_ranges(p)
    if wid not in uow.roster or not ranges:
        return
    days = {a + timedelta(days=i) for a, b in ranges for i in range((b - a).days + 1)}
    for week in p.get("weeks") or []:
        start = date.fromisoformat(week["week_start"])
        run = uow.price([wid], start, start + timedelta(days=6))
        priced = run.week(wid, start)
        now = [paid_line(ln) for ln in priced.result.lines] if priced else []
        paid = [line_from_payload(ln) for ln in week.get("lines") or []]
        for d in sorted({ln.day for ln in (*now, *paid)} & days):
            a = by_class([ln for ln in paid if ln.day == d])
            b = by_class([ln for ln in now if ln.day == d])
            if a != b:
                problems.append(
                    f"event {seq}: {wid} was paid {_words(a)} for {d}, but the events at the time price it at "
                    f"{_words(b)}"
                )


def _words(items: list[dict[str, str]]) -> str:
    return "[" + ", ".join(f"{x['class']} {x['amount']}" for x in items) + "]" if items else "nothing"


def check_money(ledger: Ledger, start: MoneyStart | None = None) -> tuple[list[str], int]:
    """Every problem with the money the events record (``start``: recorded after it), and how many
    payments were repriced."""
    problems, checked, _paid = check_money_from(ledger, start)
    return problems, checked


def check_money_from(
    ledger: Ledger, start: MoneyStart | None = None, through: int = 2**62
) -> tuple[list[str], int, dict[tuple[str, str], Decimal]]:
    """:func:`check_money` of the events up to ``through``, and what each paid week was paid (for the
    next checkpoint)."""
    conn = ledger.connection
    problems: list[str] = []
    paid = _sums(conn, problems, start, through)
    checked = _prices(conn, problems, start, through)
    return problems[:MAX_PROBLEMS], checked, paid
