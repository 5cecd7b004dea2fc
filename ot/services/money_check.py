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
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger import projections
from ledger.approvals import line_from_payload
from ledger.paystate import payment_ranges
from ledger.store import Ledger
from ot.core.timez import utcnow
from ot.services.paycycle import by_class, paid_line
from ot.services.uow import UnitOfWork

__all__ = ["check_money"]

ZERO = Decimal("0.00")
MAX_PROBLEMS = 20


def _payments(conn: sqlite3.Connection) -> Iterator[tuple[int, Mapping[str, Any]]]:
    for seq, payload in conn.execute(
        "SELECT seq, json_remove(payload, '$.stub') FROM events WHERE kind = 'payrun.worker_paid' ORDER BY seq"
    ):
        yield seq, json.loads(payload)


def _sums(conn: sqlite3.Connection, problems: list[str]) -> None:
    """Each payment adds up; per paid week, payments + corrections = what the week owes."""
    paid: dict[tuple[str, str], Decimal] = {}
    for seq, p in _payments(conn):
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
            paid[key] = paid.get(key, ZERO) + sum((Decimal(ln["amount"]) for ln in w.get("lines") or []), ZERO)
    for seq, payload in conn.execute("SELECT seq, payload FROM events WHERE kind = 'correction.recorded' ORDER BY seq"):
        c = json.loads(payload)
        key = (c["worker_id"], c["week_start"])
        signed = Decimal(c["amount"]) if c["kind"] == "underpayment" else -Decimal(c["amount"])
        if Decimal(c["corrected_gross"]) - Decimal(c["paid_gross"]) != signed:
            problems.append(f"event {seq}: correction {c['correction_id']}: amount {c['amount']} is not owed - paid")
        paid[key] = paid.get(key, ZERO) + signed
    for wid, week, lines in conn.execute("SELECT worker_id, week_start, lines FROM paid_weeks"):
        owed = sum((Decimal(ln["amount"]) for ln in json.loads(lines)), ZERO)
        got = paid.get((wid, week), ZERO)
        if owed != got:
            problems.append(
                f"{wid} week of {week}: its paid dates owe {owed}, but payments and corrections come to {got}"
            )


def _replay(conn: sqlite3.Connection, scratch: Ledger, upto: int, done: int) -> int:
    """Copy events ``done+1 .. upto`` into the scratch ledger and fold them; returns ``upto``."""
    cursor = conn.execute("SELECT * FROM events WHERE seq > ? AND seq <= ? ORDER BY seq", (done, upto))
    sc = scratch.connection
    while True:
        rows = cursor.fetchmany(5000)
        if not rows:
            break
        sc.executemany(f"INSERT INTO events VALUES ({', '.join('?' * len(rows[0]))})", rows)
        projections.apply(
            sc,
            ((r[0], r[4], json.loads(r[5]), r[3], r[2], r[7]) for r in rows if r[4] != "punch.recorded"),
            strict=False,
        )
    return upto


def _prices(conn: sqlite3.Connection, problems: list[str]) -> int:
    """Reprice every payment as of the head its run recorded; returns how many were checked."""
    runs = conn.execute(
        "SELECT seq, json_extract(payload, '$.run_id'), json_extract(payload, '$.ledger_seq') FROM events "
        "WHERE kind = 'payrun.recorded' AND json_extract(payload, '$.kind') = 'regular' ORDER BY seq"
    ).fetchall()
    if not runs:
        return 0
    checked = 0
    with Ledger.open(":memory:") as scratch:
        done = 0
        for run_seq, run_id, head in runs:  # in order: the scratch copy only grows
            upto = head if head is not None else run_seq - 1
            done = _replay(conn, scratch, upto, done) if upto > done else done
            scratch.connection.execute("BEGIN")
            try:
                uow = UnitOfWork(scratch, scratch, None, utcnow(), False, Path(scratch.path))
                for seq, p in _payments_of_run(conn, run_id):
                    checked += 1
                    _check_payment(uow, seq, p, problems)
            finally:
                scratch.connection.execute("ROLLBACK")
    return checked


def _payments_of_run(conn: sqlite3.Connection, run_id: str) -> list[tuple[int, Mapping[str, Any]]]:
    return [
        (seq, json.loads(p))
        for seq, p in conn.execute(
            "SELECT seq, json_remove(payload, '$.stub') FROM events WHERE kind = 'payrun.worker_paid' "
            "AND json_extract(payload, '$.run_id') = ? ORDER BY seq",
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


def check_money(ledger: Ledger) -> tuple[list[str], int]:
    """Every problem with the money the events record, and how many payments were repriced."""
    conn = ledger.connection
    problems: list[str] = []
    _sums(conn, problems)
    checked = _prices(conn, problems)
    return problems[:MAX_PROBLEMS], checked
