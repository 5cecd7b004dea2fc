"""Earnings recorded besides hours: one reader for the CLI's values and the CSV layout's rows.

The layout (``ot import earnings FILE``), UTF-8 with a header row::

    worker_id,date,kind,amount[,quantity,unit_rate,earned_from,earned_to,note]

- ``kind``: ``bonus`` (nondiscretionary), ``commission``, ``piece``, ``on-call`` (they count
  toward the regular rate), ``callback`` (the part of a call-back guarantee above the pay for
  the hours worked), ``discretionary-bonus``, ``gift``, ``expense`` (they do not): the law is
  in ``rules.engine.earnings``.
- ``amount``: dollars to the cent; may be left empty when ``quantity`` x ``unit_rate`` gives it
  (pieces x dollars a piece), and must equal it (to the cent) when both are given.
- ``earned_from``/``earned_to``: the period a bonus or commission was earned over (both or
  neither); ``date`` is then the date it is paid, on or after ``earned_from``.

A file with any bad row is refused whole, each problem as ``FILE:LINE:COLUMN``; the same file
imported twice adds nothing the second time (each row's event key is its content and its
occurrence among identical rows).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ledger.events import NewEvent
from ledger.imports import Row, read_rows
from ledger.mapping import Layout
from ot.core.cells import control_problem
from ot.core.domain import EARNING_KINDS, Worker
from ot.core.errors import OtError, Problem
from ot.core.money import MoneyError, read_amount, read_decimal, read_rate
from ot.core.timez import TimeError, parse_date

__all__ = ["LAYOUT", "EarningValues", "earning_event", "plan_earnings", "read_earning"]

LAYOUT = Layout(
    "earnings",
    ("worker_id", "date", "kind", "amount"),
    frozenset({"worker_id", "date", "kind"}),
    extensions=("quantity", "unit_rate", "earned_from", "earned_to", "note"),
    date_columns=frozenset({"date", "earned_from", "earned_to"}),
)
#: Kinds that may be earned over a period and allocated back (29 CFR 778.209, 778.119).
PERIOD_KINDS = ("bonus", "commission")
MAX_QUANTITY = Decimal(1_000_000)
#: The fields of :class:`EarningValues`, in order, as the layout's columns.
_COLUMNS = ("worker_id", "date", "kind", "amount", "quantity", "unit_rate", "earned_from", "earned_to", "note")


@dataclass(frozen=True)
class EarningValues:
    """An earning as given (text), before it is read.

    Attributes:
        worker_id, day, kind, amount, quantity, unit_rate, earned_from, earned_to, note: As typed.
    """

    worker_id: str
    day: str
    kind: str
    amount: str = ""
    quantity: str = ""
    unit_rate: str = ""
    earned_from: str = ""
    earned_to: str = ""
    note: str = ""


def read_earning(
    given: EarningValues, roster: Mapping[str, Worker], where: Callable[[str], str]
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The payload fields of an ``earning.recorded`` event (without its id), or the problems,
    each located by ``where(field)`` (``--amount``, ``earnings.csv:3:4``)."""
    problems: list[Problem] = []

    def bad(fld: str, message: str) -> None:
        problems.append(Problem(where(fld), message))

    worker = roster.get(given.worker_id)
    if not given.worker_id:
        bad("worker_id", "worker_id is empty: give the worker's id")
    elif worker is None:
        bad("worker_id", f"no worker {given.worker_id!r} in the ledger: import them first, or fix the id")
    kind = given.kind.strip().lower()
    if kind not in EARNING_KINDS:
        bad("kind", f"kind {given.kind!r} is not one of {', '.join(EARNING_KINDS)}: write one of them")

    def day_of(fld: str, text: str) -> date | None:
        try:
            return parse_date(text)
        except TimeError as exc:
            bad(fld, str(exc))
            return None

    day = day_of("date", given.day)
    amount = quantity = unit_rate = None
    try:
        amount = read_amount(given.amount, "amount") if given.amount.strip() else None
    except MoneyError as exc:
        bad("amount", str(exc))
    if given.quantity.strip() or given.unit_rate.strip():
        try:
            quantity = read_decimal(given.quantity, "quantity", example="120")
            if not 0 < quantity <= MAX_QUANTITY:
                raise MoneyError(f"quantity {given.quantity!r} must be more than 0 and at most {MAX_QUANTITY}")
        except MoneyError as exc:
            bad("quantity", str(exc))
        try:
            unit_rate = read_rate(given.unit_rate, "unit_rate")
        except MoneyError as exc:
            bad("unit_rate", str(exc))
    if quantity is not None and unit_rate is not None:
        product = (quantity * unit_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if amount is None:
            amount = product
        elif amount != product:
            bad("amount", f"amount {amount} is not quantity x unit_rate ({product}): give one or make them agree")
    elif amount is None and not any(p.where == where("amount") for p in problems):
        bad("amount", "amount is empty: give the dollars (or quantity and unit_rate)")
    start = day_of("earned_from", given.earned_from) if given.earned_from.strip() else None
    end = day_of("earned_to", given.earned_to) if given.earned_to.strip() else None
    if bool(given.earned_from.strip()) != bool(given.earned_to.strip()):
        missing = "earned_to" if given.earned_from.strip() else "earned_from"
        bad(missing, "give both earned_from and earned_to (the period it was earned over), or neither")
    if start is not None and end is not None:
        if end < start:
            bad("earned_to", f"earned_to {end} is before earned_from {start}: swap them")
        if kind in EARNING_KINDS and kind not in PERIOD_KINDS:
            bad("earned_from", f"a {kind} is paid in the week it is for: only a bonus or a commission has a period")
        if day is not None and day < start:
            bad("date", f"a bonus is paid on or after the period it was earned over (from {start}): fix the date")
    note_problem = control_problem(given.note, "note")
    if note_problem is not None:
        bad("note", note_problem)
    if problems:
        return None, problems
    assert worker is not None
    assert day is not None
    assert amount is not None
    return (
        {
            "worker_id": worker.worker_id,
            "day": day.isoformat(),
            "kind": kind,
            "amount": str(amount),
            "period_start": start.isoformat() if start else None,
            "period_end": end.isoformat() if end else None,
            "quantity": format(quantity.normalize(), "f") if quantity is not None else None,
            "unit_rate": str(unit_rate) if unit_rate is not None else None,
            "note": given.note.strip() or None,
        },
        [],
    )


def earning_event(fields: Mapping[str, Any], earning_id: str, key: str | None = None) -> NewEvent:
    """The ``earning.recorded`` event of read fields."""
    return NewEvent(
        "earning.recorded", {"earning_id": earning_id, **fields}, key=key, worker_id=str(fields["worker_id"])
    )


def _cell(row: Row, column: str) -> str:
    return row.get(column).value


def plan_earnings(data: bytes | str, file: str, roster: Mapping[str, Worker]) -> tuple[list[NewEvent], int]:
    """(events, rows) of an earnings file; :class:`OtError` lists every problem as FILE:LINE:COLUMN."""
    rows = read_rows(data, file, LAYOUT)
    problems: list[Problem] = []
    events: list[NewEvent] = []
    seen: dict[str, int] = {}
    for row in rows:
        given = EarningValues(*(_cell(row, c) for c in _COLUMNS))

        def where(fld: str, row: Row = row) -> str:
            col = row.get(fld).column
            return f"{file}:{row.line}:{col}" if col else f"{file}:{row.line}"

        fields, found = read_earning(given, roster, where)
        problems += found
        if fields is None:
            continue
        content = "|".join(str(fields[k]) for k in sorted(fields))
        n = seen[content] = seen.get(content, 0) + 1
        digest = hashlib.sha256(f"{content}|{n}".encode()).hexdigest()
        events.append(earning_event(fields, f"E-{digest[:12]}", key=f"earning.recorded:{digest}"))
    if problems:
        lines = len({p.where.split(":")[1] for p in problems if p.where.count(":") >= 1})
        raise OtError(
            f"{file}: refused ({len(problems)} problem{'s' if len(problems) != 1 else ''} on {lines} "
            f"row{'s' if lines != 1 else ''}); nothing was imported: fix the earnings file and import it again",
            problems,
        )
    return events, len(rows)
