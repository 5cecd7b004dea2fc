"""Earnings recorded besides hours: one reader for the CLI's values and the CSV layout's rows.

The layout (``ot import earnings FILE``), UTF-8 with a header row::

    worker_id,date,kind,amount[,quantity,unit_rate,earned_from,earned_to,note]

- ``kind``: ``bonus`` (nondiscretionary), ``commission``, ``piece``, ``on-call`` (they count
  toward the regular rate), ``callback`` (the part of a call-back guarantee above the pay for
  the hours worked), ``discretionary-bonus``, ``gift``, ``expense`` (they do not): the law is
  in ``rules.engine.earnings``.
- ``amount``: dollars to the cent, more than 0; may be left empty when ``quantity`` x ``unit_rate``
  gives it (pieces x dollars a piece), and must equal it (to the cent) when both are given.
- ``earned_from``/``earned_to``: the period a bonus or commission was earned over (both or
  neither); ``date`` is then the date it is paid, on or after ``earned_to``; the period is at most
  :data:`MAX_PERIOD_DAYS` days.

A file with any bad row is refused whole, each problem as ``FILE:LINE:COLUMN``; the same file
imported twice adds nothing the second time (each row's event key is its content, its occurrence
among identical rows and the file's name); a row identical to an earning in force that another file
or ``ot earning add`` recorded is refused, naming it (:func:`plan_earnings`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from pathlib import Path
from typing import Any

from ledger.events import NewEvent
from ledger.imports import MAX_LISTED, Row, listed, read_rows
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
#: The longest period a bonus or commission may be earned over, in days (its first and last included):
#: a year of 53 workweeks (a 52-53-week fiscal year's longest), the longest plan 778.209's annual
#: bonuses and 778.119's deferred commissions describe. A sanity bound, not a law: a mistyped year
#: (2016 for 2026) would spread a bonus over ten years of paid weeks; a longer award is one row a year.
MAX_PERIOD_DAYS = 53 * 7
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
        wid = given.worker_id
        other = next((w for w in (wid.upper(), wid.lower(), wid.capitalize()) if w in roster), None)
        hint = f" (the ledger has {other}; ids are case-sensitive)" if other is not None else ""
        bad("worker_id", f"no worker {given.worker_id!r} in the ledger{hint}: import them first, or fix the id")
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
    if amount is not None and amount == 0:  # 0, 0.00, -0: nothing to pay (and -0 was kept as "-0")
        bad(
            "amount",
            f"amount {given.amount.strip()!r} is 0: an earning pays something: give the dollars, or leave it out",
        )
        amount = None
    elif quantity is not None and unit_rate is not None:
        product = (quantity * unit_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if amount is None and product == 0:
            bad(
                "quantity",
                f"quantity x unit_rate comes to {product}: an earning pays something: check both, or leave it out",
            )
        elif amount is None:
            amount = product
        elif amount != product:
            bad("amount", f"amount {amount} is not quantity x unit_rate ({product}): give one or make them agree")
    elif amount is None and not any(p.where in (where("amount"), where("quantity")) for p in problems):
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
        elif day is not None and start <= end and end > day:
            # Apportioned *back* over the weeks it was earned in once its amount is known (778.209(a);
            # commissions 778.119): a period still running on the pay date has weeks whose hours are not
            # known yet, and its allocation to the weeks already paid would change as they are worked.
            bad(
                "earned_to",
                f"earned_to {end} is after the date it is paid ({day}): a bonus or commission is apportioned "
                "back over the weeks it was earned in, which end by the day it is paid (29 CFR 778.209(a), "
                f"778.119): give the period's last day (on or before {day}), or the date it is paid",
            )
        if start <= end and (end - start).days + 1 > MAX_PERIOD_DAYS:
            bad(
                "earned_from",
                f"{start} to {end} is {(end - start).days + 1} days: a period is at most a year "
                f"({MAX_PERIOD_DAYS} days, a 53-week year): check the dates; an award earned over more years "
                "is recorded as one row per year, each with the part earned that year",
            )
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


#: What the service finds in the ledger for a plan (``ot.services.earnings``): for each planned event
#: whose key is not in the ledger, the earnings in force identical to it (same worker, date, kind,
#: amount, period, rate basis and note) that this file's own rows did not record, as words naming each
#: (``E-3f2a... recorded 2026-11-19 by A1``). Events without any are left out.
Identical = Callable[[Sequence[NewEvent]], Mapping[str, Sequence[str]]]


def plan_earnings(
    data: bytes | str, file: str, roster: Mapping[str, Worker], identical: Identical | None = None
) -> tuple[list[NewEvent], int]:
    """(events, rows) of an earnings file; :class:`OtError` lists every problem as FILE:LINE:COLUMN.

    Each row's key is its content, its occurrence among the file's identical rows and the file's name:
    the same file imported again adds nothing (its rows' keys are in), and a second identical row of a
    file is a second earning. A row identical to an earning in force that this file did not record
    (another file's row, an ``ot earning add``) is refused, naming that earning (``identical``): it is
    either the same earning again, which must not be paid twice, or another one, which its note tells
    apart (a review: such a row was dropped as "already in the ledger", losing a second bonus).
    """
    rows = read_rows(data, file, LAYOUT)
    problems: list[Problem] = []
    lines_of: list[int] = []  # the line of each problem
    events: list[NewEvent] = []
    lines: dict[str, Row] = {}
    bad_lines: set[int] = set()
    seen: dict[str, int] = {}
    name = Path(file).name
    for row in rows:
        given = EarningValues(*(_cell(row, c) for c in _COLUMNS))
        fields, found = read_earning(given, roster, partial(_where, file, row))
        problems += found
        lines_of += [row.line] * len(found)
        if fields is None:
            bad_lines.add(row.line)
            continue
        content = "|".join(str(fields[k]) for k in sorted(fields))
        n = seen[content] = seen.get(content, 0) + 1
        digest = hashlib.sha256(f"{content}|{n}|{name}".encode()).hexdigest()
        key = f"earning.recorded:{digest}"
        lines[key] = row
        events.append(earning_event(fields, f"E-{digest[:12]}", key=key))
    if not problems and identical is not None:
        for key, earlier in identical(events).items():
            row = lines[key]
            bad_lines.add(row.line)
            kind = row.get("kind").value.strip().lower()
            names = ", ".join(earlier[:3]) + (f" and {len(earlier) - 3} more" if len(earlier) > 3 else "")
            lines_of.append(row.line)
            problems.append(
                Problem(
                    _where(file, row, "amount"),
                    f"an identical {kind} is already in the ledger ({names}): if this row is that {kind}, remove "
                    "it (it must not be paid twice); if it is another, tell it apart with a note (the note column)",
                )
            )
    if problems:
        at = max(len(bad_lines), 1)
        shown = problems[:MAX_LISTED]
        shown_lines = set(lines_of[:MAX_LISTED])
        raise OtError(
            f"{file}: refused ({len(problems):,} problem{'s' if len(problems) != 1 else ''} on {at:,} "
            f"row{'s' if at != 1 else ''}); nothing was imported: fix the earnings file and import it again",
            listed(file, shown, len(problems) - len(shown), len(bad_lines - shown_lines)),
        )
    return events, len(rows)


def _where(file: str, row: Row, fld: str) -> str:
    """``FILE:LINE:COLUMN`` of a row's field (``FILE:LINE`` when the file has no such column)."""
    col = row.get(fld).column
    return f"{file}:{row.line}:{col}" if col else f"{file}:{row.line}"
