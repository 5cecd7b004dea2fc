"""Earnings besides hours, in the ledger: record, void, list and import them.

An earning (a nondiscretionary bonus, a commission, piece-rate pay, on-call pay, a call-back
guarantee's excess, a discretionary bonus, a gift, an expense reimbursement) is an
``earning.recorded`` event; a mistake is voided (``earning.voided``), never edited. Every
pricing reads them (:func:`ot.services.pay.price_open`), so ``ot explain``, stubs and pay
runs include them; ``rules.engine.earnings`` says which count toward the regular rate.

Who: an admin (it is money besides the hours a manager approves). An earning dated in a paid
workweek reprices it: a correction, refused unless authorized with a reason
(:func:`ot.services.repricing.gate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.earnings_csv import EarningValues, earning_event, plan_earnings, read_earning
from ledger.events import NewEvent
from ledger.imports import read_bounded
from ot.core.domain import Earning
from ot.core.errors import OtError, Problem
from ot.core.timez import TimeError, parse_date
from ot.services.approvals import void_timecard_events
from ot.services.uow import UnitOfWork, unit_of_work

if TYPE_CHECKING:
    from ot.services.imports import ImportReport

__all__ = [
    "CLI_FIELDS",
    "EarningResult",
    "EarningValues",
    "import_earnings",
    "import_earnings_report",
    "list_earnings",
    "record_earning",
    "void_earning",
]

RECORD = "record earnings"
VOID = "void earnings"
IMPORT = "import earnings"
#: Where each field is given on the command line (the problems name it).
CLI_FIELDS = {
    "worker_id": "WORKER",
    "date": "--date",
    "kind": "--kind",
    "amount": "--amount",
    "quantity": "--quantity",
    "unit_rate": "--unit-rate",
    "earned_from": "--earned-from",
    "earned_to": "--earned-to",
}


@dataclass(frozen=True)
class EarningResult:
    """What a write did (or, with ``dry_run``, would do).

    Attributes:
        action: ``recorded``, ``voided`` or ``imported``.
        earning_ids: The earnings written.
        count: How many events were added (an import's rows already in the ledger add none).
        corrections: Words of the corrections made to paid weeks.
        dry_run: True when nothing was written.
        rows: Rows of an imported file (0 otherwise).
    """

    action: str
    earning_ids: tuple[str, ...]
    count: int
    corrections: tuple[str, ...] = ()
    dry_run: bool = False
    rows: int = 0


def _gate(
    uow: UnitOfWork, changes: dict[str, date], authorized: bool, reason: str | None, what: str
) -> tuple[str, ...]:
    from ot.services.repricing import gate

    found = gate(uow, changes, authorized=authorized, reason=reason, timeframe=None, action="earning", what=what)
    return tuple(c.text() for c in found)


def _append(uow: UnitOfWork, events: list[NewEvent], why: str) -> list[NewEvent]:
    """The events and the voids of approved, unpaid timecards whose dates they change."""
    voids: list[NewEvent] = []
    for e in events:
        day = date.fromisoformat(str(e.payload["day"]))
        voids += void_timecard_events(uow, str(e.payload["worker_id"]), [day], "edited", why)
    return [*events, *voids]


def record_earning(
    ledger_path: Path,
    given: EarningValues,
    *,
    actor: str,
    now: datetime,
    dry_run: bool = False,
    correction_authorized: bool = False,
    reason: str | None = None,
) -> EarningResult:
    """``ot earning add``: one ``earning.recorded`` event (id ``E<seq>``)."""
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        uow.require(RECORD, uow.roster.get(given.worker_id))
        fields, problems = read_earning(given, uow.roster, lambda f: CLI_FIELDS.get(f, f"--{f}"))
        if fields is None:
            raise OtError("the earning was not recorded; nothing was written", problems)
        earning_id = f"E{uow.head()[0] + 1}"
        event = earning_event(fields, earning_id)
        uow.append(_append(uow, [event], f"earning {earning_id} recorded"))
        corrections = _gate(
            uow,
            {str(fields["worker_id"]): date.fromisoformat(str(fields["day"]))},
            correction_authorized,
            reason,
            f"recording earning {earning_id}",
        )
    return EarningResult("recorded", (earning_id,), 1, corrections, dry_run)


def void_earning(
    ledger_path: Path,
    earning_id: str,
    *,
    reason: str,
    actor: str,
    now: datetime,
    dry_run: bool = False,
    correction_authorized: bool = False,
) -> EarningResult:
    """``ot earning void ID --reason``: an ``earning.voided`` event (the earning stays in the history)."""
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        row = uow.ledger.connection.execute(
            "SELECT worker_id, day, voided_seq FROM earnings WHERE earning_id = ?", (earning_id,)
        ).fetchone()
        if row is None:
            raise OtError(
                "nothing was voided",
                [Problem(earning_id, "no such earning: `ot earning list` shows the ids")],
            )
        wid, day, voided = row
        uow.require(VOID, uow.roster.get(wid))
        if voided is not None:
            raise OtError("nothing was voided", [Problem(earning_id, "already voided")])
        if not reason.strip():
            raise OtError("nothing was voided", [Problem("--reason", "say why: --reason TEXT")])
        event = NewEvent(
            "earning.voided", {"earning_id": earning_id, "worker_id": wid, "reason": reason.strip()}, worker_id=wid
        )
        voids = void_timecard_events(uow, wid, [date.fromisoformat(day)], "edited", f"earning {earning_id} voided")
        uow.append([event, *voids])
        corrections = _gate(
            uow, {wid: date.fromisoformat(day)}, correction_authorized, reason, f"voiding earning {earning_id}"
        )
    return EarningResult("voided", (earning_id,), 1, corrections, dry_run)


def list_earnings(
    ledger_path: Path, *, worker_id: str | None, start: str | None, end: str | None, actor: str
) -> list[dict[str, Any]]:
    """``ot earning list``: the earnings in force dated ``start``..``end`` (all when not given)."""
    try:
        first = parse_date(start) if start else date(1, 1, 1)
        last = parse_date(end) if end else date(9999, 12, 31)
    except TimeError as exc:
        raise OtError("nothing to list", [Problem("--from/--to", str(exc))]) from None
    with unit_of_work(ledger_path, actor=actor) as uow:
        uow.require("list workers")
        if worker_id is not None and worker_id not in uow.roster:
            raise OtError("nothing to list", [Problem("--worker", f"no worker {worker_id!r} in the ledger")])
        ids = [worker_id] if worker_id else sorted(uow.roster)
        found: list[Earning] = uow.reads.earnings(ids, first, last)
    return [
        {
            "earning_id": e.earning_id,
            "worker": e.worker_id,
            "date": e.day.isoformat(),
            "kind": e.kind,
            "amount": str(e.amount),
            "quantity": str(e.quantity) if e.quantity is not None else None,
            "unit_rate": str(e.unit_rate) if e.unit_rate is not None else None,
            "earned_from": e.period_start.isoformat() if e.period_start else None,
            "earned_to": e.period_end.isoformat() if e.period_end else None,
        }
        for e in found
    ]


#: The fields of an earning compared to tell an identical one (its id aside).
_SAME = ("amount", "period_start", "period_end", "quantity", "unit_rate", "note")


def _identical(uow: UnitOfWork, planned: Sequence[NewEvent]) -> dict[str, list[str]]:
    """For :func:`ledger.earnings_csv.plan_earnings`: the earnings in force identical to each planned
    event not yet in the ledger (amounts and rates compared as numbers), besides those this file's own
    rows recorded, in words (``E-3f2a... recorded 2026-11-19 by A1``)."""
    keys = [e.key for e in planned if e.key is not None]
    present = uow.reads.keys_present(keys)
    own = {str(e.payload["earning_id"]) for e in planned if e.key in present}
    conn = uow.ledger.connection
    out: dict[str, list[str]] = {}
    for e in planned:
        if e.key is None or e.key in present:
            continue
        p = e.payload
        found = []
        for eid, *values, seq in conn.execute(
            "SELECT earning_id, amount, period_start, period_end, quantity, unit_rate, note, seq FROM earnings "
            "WHERE worker_id = ? AND day = ? AND kind = ? AND voided_seq IS NULL ORDER BY seq",
            (p["worker_id"], p["day"], p["kind"]),
        ):
            if eid in own or [_same(k, v) for k, v in zip(_SAME, values, strict=True)] != [
                _same(k, p[k]) for k in _SAME
            ]:
                continue
            at, actor = conn.execute("SELECT recorded_at, actor FROM events WHERE seq = ?", (seq,)).fetchone()
            found.append(f"{eid} recorded {str(at)[:10]} by {actor}")
        if found:
            out[e.key] = found
    return out


def _same(field: str, value: object) -> object:
    """A field as compared: an amount or a rate basis as a number (``100`` is ``100.00``), the rest as text."""
    if field in ("amount", "quantity", "unit_rate") and isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


def import_earnings_report(
    ledger_path: Path,
    file: Path,
    *,
    actor: str,
    now: datetime,
    dry_run: bool = False,
    correction_authorized: bool = False,
    reason: str | None = None,
) -> ImportReport:
    """:func:`import_earnings` as :func:`ot.services.imports.import_file` reports an import (the
    Import screen's preview and import of an earnings file)."""
    from ot.services.imports import ImportReport

    result = import_earnings(
        ledger_path,
        file,
        actor=actor,
        now=now,
        dry_run=dry_run,
        correction_authorized=correction_authorized,
        reason=reason,
    )
    return ImportReport(
        "earnings",
        str(file),
        result.rows,
        {"earning.recorded": result.count} if result.count else {},
        result.rows - result.count,
        tuple(f"correction {c}" for c in result.corrections),
        dry_run=dry_run,
    )


def import_earnings(
    ledger_path: Path,
    file: Path,
    *,
    actor: str,
    now: datetime,
    dry_run: bool = False,
    correction_authorized: bool = False,
    reason: str | None = None,
) -> EarningResult:
    """``ot import earnings FILE``: the whole file, or nothing (FILE:LINE:COLUMN for each problem)."""
    try:
        data = read_bounded(file, str(file))  # never a line past 64 KiB (a file with no line ends)
    except OSError as exc:
        raise OtError(
            f"cannot read {file}: {exc.strerror}", [Problem(str(file), "check the path and try again")]
        ) from None
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        uow.require(IMPORT)
        events, rows = plan_earnings(data, str(file), uow.roster, lambda planned: _identical(uow, planned))
        new = [e for e in events if e.key is None or not uow.reads.has_key(e.key)]
        if new:
            uow.append(_append(uow, new, f"earnings imported from {file.name}"))
        changes: dict[str, date] = {}
        for e in new:
            wid, day = str(e.payload["worker_id"]), date.fromisoformat(str(e.payload["day"]))
            changes[wid] = min(day, changes.get(wid, day))
        corrections = _gate(uow, changes, correction_authorized, reason, f"importing {file.name}") if new else ()
    ids = tuple(str(e.payload["earning_id"]) for e in new)
    return EarningResult("imported", ids, len(new), corrections, dry_run, rows)
