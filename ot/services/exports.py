"""Payroll exports: a paid period (or an off-cycle run) as a file a payroll system imports.

:func:`payroll_batch` reads what the pay runs paid from their events (after the
money-table check, :mod:`ot.services.trust`): each payment's dated lines, with the
work location of the shifts worked that date (the tax jurisdiction of those hours),
and each correction the run settled as its own line dated with the first date it
corrects. :func:`export_payroll` writes it in a registered format
(:mod:`ot.exports.registry`) with the earnings codes of a mapping, and a manifest
beside it that states the totals, the runs and the chain head they priced from.
Nothing in either file depends on the clock: exporting again is byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.approvals import Correction
from ot.core.errors import OtError, Problem
from ot.exports.mapping import load_mapping
from ot.exports.model import AMOUNT_CLASSES, CLASSES, Batch, ExportRow, RunHead, WorkerTotal
from ot.exports.registry import get_format
from ot.exports.render import render_batch
from ot.services.pay import shift_day
from ot.services.stubs import write_atomic
from ot.services.trust import check_projections
from ot.services.uow import UnitOfWork, unit_of_work
from ot.sync.target import Settled

__all__ = ["ExportResult", "LedgerPayView", "export_payroll", "payroll_batch"]

ZERO = Decimal("0.00")
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file, its manifest, the rows and the totals."""

    path: Path
    manifest: Path
    rows: int
    workers: int
    net: Decimal
    label: str


@dataclass(frozen=True)
class LedgerPayView:
    """The pay state a sync's ``export`` target reads (:class:`ot.sync.target.PayView`): the
    regular payments and the corrections of the workers synced, read when the sync planned,
    and the batches, read from the ledger when the target writes them (as ``actor``, who
    needs the right to export payroll).

    Attributes:
        ledger_path: The ledger.
        actor: Who syncs.
        paid: Worker -> (paid from, paid through, run id) of each regular payment, oldest first.
        corrections: Worker -> (corrected dates, the correction as the target sees it), oldest first.
    """

    ledger_path: Path
    actor: str
    paid: Mapping[str, tuple[tuple[date, date, str], ...]]
    corrections: Mapping[str, tuple[tuple[frozenset[date], Settled], ...]]

    @classmethod
    def read(cls, uow: UnitOfWork, workers: Iterable[str]) -> LedgerPayView:
        """The view of these workers' pay, read in ``uow``."""
        paid: dict[str, tuple[tuple[date, date, str], ...]] = {}
        fixes: dict[str, tuple[tuple[frozenset[date], Settled], ...]] = {}
        for wid in sorted(set(workers)):
            paid[wid] = tuple(
                (p.paid_from, p.paid_through, p.run_id)
                for p in uow.pay.payments_of(wid)
                if p.kind == "regular" and p.paid_from is not None and p.paid_through is not None
            )
            fixes[wid] = tuple(
                (frozenset(date.fromisoformat(str(d["date"])) for d in c.dates), _settled(c))
                for c in uow.pay.corrections(wid)
            )
        return cls(uow.path, uow.actor or "", paid, fixes)

    def paid_by(self, worker_id: str, day: date) -> str | None:
        """The last regular run that paid ``day`` of ``worker_id``."""
        runs = [run for first, last, run in self.paid.get(worker_id, ()) if first <= day <= last]
        return runs[-1] if runs else None

    def settled(self, worker_id: str, day: date) -> Settled | None:
        """The latest correction of ``worker_id`` that corrects ``day``."""
        found = [s for days, s in self.corrections.get(worker_id, ()) if day in days]
        return found[-1] if found else None

    def batch(self, run_id: str) -> Batch:
        """The batch of one pay run, read now."""
        return payroll_batch(self.ledger_path, run_id=run_id, actor=self.actor)


def _settled(c: Correction) -> Settled:
    if c.balance > 0 or not c.settlements:
        return Settled(c.correction_id, "open")
    last = c.settlements[-1]
    return Settled(c.correction_id, last.how, last.run_id)


def payroll_batch(ledger_path: Path, *, period_day: date | None = None, run_id: str | None = None, actor: str) -> Batch:
    """The regular pay runs of the period holding ``period_day``, or the run ``run_id``, as rows
    (an admin's read: the file holds everyone's pay)."""
    with unit_of_work(ledger_path, actor=actor) as uow:
        uow.require("export payroll")
        check_projections(uow)
        if run_id is not None:
            payments = uow.pay.payments_of_run(run_id)
            if not payments:
                raise OtError(
                    f"no pay run {run_id!r}",
                    [
                        Problem(
                            "--run",
                            "give a run id from `ot audit corrections` or `ot ledger log --kind payrun.recorded`",
                        )
                    ],
                )
            period_start = payments[0].period_start
            period_end = payments[0].period_end
            label = run_id
        else:
            assert period_day is not None
            period = uow.period_containing(period_day)
            payments = [p for p in uow.pay.payments_of_period(period.start) if p.kind == "regular"]
            if not payments:
                raise OtError(
                    f"the pay period {period.label()} has not been paid: nothing was exported",
                    [
                        Problem(
                            "--period",
                            f"run `ot payrun --period {period.start}` first (an export carries what was paid)",
                        )
                    ],
                )
            period_start, period_end = period.start, period.end
            label = f"{period.start.isoformat()}_{period.end.isoformat()}"
        runs: dict[str, RunHead] = {}
        rows: list[ExportRow] = []
        totals: dict[str, list[Decimal]] = {}
        for payment in payments:
            payload = _payload(uow, payment.seq)
            if payment.run_id not in runs:
                runs[payment.run_id] = _run_head(uow, payment.run_id)
            rows.extend(_rows(uow, payload))
            t = totals.setdefault(payment.worker_id, [ZERO, ZERO, ZERO, ZERO])
            for i, key in enumerate(("gross", "additions", "deductions", "net")):
                t[i] += Decimal(payload[key])
        rows.sort(key=lambda r: (r.worker_id, r.day, _order(r.hour_class), r.rate, r.multiplier, r.location_id, r.memo))
        heads = tuple(sorted(runs.values(), key=lambda r: (r.ledger_seq or 0, r.run_id)))
        return Batch(
            label=label,
            period_start=period_start,
            period_end=period_end,
            pay_date=heads[-1].pay_date,
            runs=heads,
            rows=tuple(rows),
            totals=tuple(_total(uow, w, t, period_end or heads[-1].pay_date) for w, t in sorted(totals.items())),
        )


def _total(uow: UnitOfWork, worker_id: str, t: list[Decimal], day: date) -> WorkerTotal:
    worker = uow.roster.get(worker_id)
    rate = worker.rate_on(day) if worker is not None else None
    gross, additions, deductions, net = t
    return WorkerTotal(
        worker_id, gross, additions, deductions, net, name=worker.name if worker else worker_id, profile_rate=rate
    )


def _order(hour_class: str) -> int:
    return CLASSES.index(hour_class) if hour_class in CLASSES else len(CLASSES)


def _payload(uow: UnitOfWork, seq: int) -> dict[str, Any]:
    row = uow.ledger.connection.execute(
        "SELECT kind, json_remove(payload, '$.stub') FROM events WHERE seq = ?", (seq,)
    ).fetchone()
    if row is None or row[0] != "payrun.worker_paid":
        raise OtError(
            "refused: a payment row names no payment event; nothing was exported",
            [Problem("table payments", f"row {seq} is not a payrun.worker_paid event: run `ot ledger verify`")],
        )
    payload: dict[str, Any] = json.loads(row[1])
    return payload


def _run_head(uow: UnitOfWork, run_id: str) -> RunHead:
    run = uow.pay.run(run_id)
    assert run is not None
    seq = run.get("ledger_seq")
    return RunHead(
        run_id,
        str(run["kind"]),
        date.fromisoformat(str(run["pay_date"])),
        int(seq) if seq is not None else None,
        run.get("ledger_hash"),
    )


def _where_worked(uow: UnitOfWork, worker_id: str, first: date, last: date) -> dict[date, str]:
    """Local date -> the work location of the most minutes worked that date."""
    minutes: dict[tuple[date, str], float] = {}
    worker = uow.roster.get(worker_id)
    for s in uow.shifts([worker_id], first, last):
        day = shift_day(s)
        loc = s.location_id or (worker.location_id if worker else "")
        if day is None or not loc:
            continue
        length = (s.end - s.start).total_seconds() if s.start is not None and s.end is not None else 1.0
        minutes[(day, loc)] = minutes.get((day, loc), 0.0) + length
    best: dict[date, tuple[float, str]] = {}
    for (day, loc), m in sorted(minutes.items()):
        if day not in best or m > best[day][0]:
            best[day] = (m, loc)
    return {d: loc for d, (_m, loc) in best.items()}


#: The premiums a payroll system may code apart (``ot.exports.model.BROADER``: else as ``PREMIUM``).
PREMIUM_KINDS = ("meal", "rest", "split_shift", "spread_of_hours", "reporting_time")


def _rows(uow: UnitOfWork, p: dict[str, Any]) -> list[ExportRow]:
    wid = str(p["worker_id"])
    worker = uow.roster.get(wid)
    name = worker.name if worker else wid
    home = worker.location_id if worker else ""
    days = [date.fromisoformat(ln["date"]) for w in p.get("weeks") or [] for ln in w.get("lines") or []]
    where = _where_worked(uow, wid, min(days), max(days)) if days else {}
    out: list[ExportRow] = []
    for week in p.get("weeks") or []:
        for ln in week.get("lines") or []:
            day = date.fromisoformat(ln["date"])
            rate, mult = Decimal(ln["rate"]), Decimal(ln["multiplier"])
            cls = str(ln["class"])
            if cls == "PREMIUM" and ln.get("premium") in PREMIUM_KINDS:
                cls = f"{str(ln['premium']).upper()}_PREMIUM"
            hours = (Decimal(ln["minutes"]) / 60).quantize(HUNDREDTH)
            out.append(
                _row(
                    uow,
                    wid,
                    name,
                    day,
                    cls,
                    hours,
                    rate,
                    mult,
                    Decimal(ln["amount"]),
                    where.get(day, home),
                    "",
                    p,
                )
            )
    for item in p.get("settled") or []:
        cid = item if isinstance(item, str) else str(item["correction_id"])
        c = uow.pay.correction(cid)
        if c is None:
            continue
        amount = Decimal(item["amount"]) if not isinstance(item, str) else c.amount
        dates = sorted(date.fromisoformat(str(d["date"])) for d in c.dates) or [c.week_start]
        cls = "UNDERPAYMENT" if c.kind == "underpayment" else "OVERPAYMENT"
        signed = amount if c.kind == "underpayment" else -amount
        memo = f"{cid}: {c.kind} of week {c.week_start} ({c.reason})"
        out.append(_row(uow, wid, name, dates[0], cls, ZERO, ZERO, ZERO, signed, where.get(dates[0], home), memo, p))
    return out


def _row(
    uow: UnitOfWork,
    wid: str,
    name: str,
    day: date,
    cls: str,
    hours: Decimal,
    rate: Decimal,
    mult: Decimal,
    amount: Decimal,
    location_id: str,
    memo: str,
    p: dict[str, Any],
) -> ExportRow:
    loc = uow.locations.get(location_id)
    amount_only = cls in AMOUNT_CLASSES
    return ExportRow(
        worker_id=wid,
        name=name,
        day=day,
        hour_class=cls,
        hours=ZERO if amount_only else hours,
        rate=ZERO if amount_only else rate,
        multiplier=ZERO if amount_only else mult,
        paid_rate=ZERO if amount_only else (rate * mult).quantize(Decimal("0.0001")),
        amount=amount,
        state=loc.state if loc else "",
        location_id=location_id,
        city=(loc.city or "") if loc else "",
        county=(loc.county or "") if loc else "",
        memo=memo,
        run_id=str(p["run_id"]),
    )


def export_payroll(
    ledger_path: Path,
    *,
    format_name: str,
    out: Path,
    period_day: date | None = None,
    run_id: str | None = None,
    mapping_path: Path | None = None,
    actor: str,
) -> ExportResult:
    """Write the batch in ``format_name`` to ``out`` and ``out.manifest.json`` (both or neither)."""
    get_format(format_name)  # an unknown format is named before its (missing) mapping
    mapping = load_mapping(format_name, mapping_path)
    batch = payroll_batch(ledger_path, period_day=period_day, run_id=run_id, actor=actor)
    rendered = render_batch(batch, format_name, mapping, out.name)
    side = out.with_name(out.name + ".manifest.json")
    write_atomic(out, rendered.data)
    write_atomic(side, rendered.manifest)
    return ExportResult(out, side, rendered.rows, len(batch.totals), batch.net, batch.label)
