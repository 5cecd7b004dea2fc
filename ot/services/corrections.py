"""Corrections of paid dates: what was paid against what is owed now, and the audit.

A change that reprices a paid date (a shift added or edited there, a punch
recorded there, a rules file or a pay rate adopted into a paid workweek)
recomputes the whole affected workweek (a change on Tuesday can move Friday
into overtime, 29 CFR 778.104; Cal. Lab. Code 510) with the rules file in
force then, and compares, over the week's paid dates, the recomputed lines
with what is owed for them so far (the pay runs' lines, as corrected since:
``ledger.approvals.PayBook.paid_week``). A difference is recorded as an
``overpayment`` or an ``underpayment`` (``correction.recorded``):

- an overpayment is deducted from the worker's next pay run (in part, and the
  rest carried forward, when it is larger than that pay);
- an underpayment per timeframe: ``NEXT_PAYROLL_PAYMENT`` (added to the next
  pay run), ``IMMEDIATELY`` (an off-cycle payment recorded at once, with its
  own issued stub) or ``EXTERNALLY_PAID`` (counted in gross, paid outside ot:
  settled at once).

Before anything is computed, the derived tables are checked against the
events (:func:`ot.services.trust.check_projections`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.approvals import CORRECTION, PAYRUN, SETTLED, TIMEFRAMES, WORKER_PAID, Correction, line_payload
from ledger.events import NewEvent
from ot.core.errors import OtError, Problem
from ot.core.money import hours2
from ot.services.paycycle import by_class, correction_entries, paid_line
from ot.services.trust import check_projections
from ot.services.uow import UnitOfWork, unit_of_work
from ot.stubs.codec import stub_to_json
from ot.stubs.model import make_stub

__all__ = [
    "AuditRow",
    "CorrectionSummary",
    "audit",
    "check_timeframe",
    "correct_weeks",
    "render_audit",
]

ZERO_CENTS = Decimal("0.00")


def check_timeframe(timeframe: str | None) -> str:
    """The timeframe, upper-cased; :class:`OtError` naming the choices."""
    value = (timeframe or "NEXT_PAYROLL_PAYMENT").strip().upper()
    if value not in TIMEFRAMES:
        raise OtError(
            "unknown correction timeframe",
            [Problem("--correction-timeframe", f"{timeframe!r}: use one of {', '.join(TIMEFRAMES)}")],
        )
    return value


@dataclass(frozen=True)
class CorrectionSummary:
    """A correction just recorded (or, in a dry run, that would be).

    Attributes:
        correction_id: Its id.
        worker_id: Whose.
        week_start: The workweek recomputed.
        kind: ``overpayment`` or ``underpayment``.
        amount: The positive difference.
        timeframe: How an underpayment is paid.
        settlement: ``deducted from the next pay run``, ``paid off-cycle now``...
        rules_file: The rules file the week was recomputed with.
    """

    correction_id: str
    worker_id: str
    week_start: date
    kind: str
    amount: Decimal
    timeframe: str
    settlement: str
    rules_file: str

    def text(self) -> str:
        """``C12 W1 week of 2026-10-11: underpayment 40.00, added to the next pay run``."""
        return (
            f"{self.correction_id} {self.worker_id} week of {self.week_start}: {self.kind} {self.amount}, "
            f"{self.settlement}"
        )


def correct_weeks(
    uow: UnitOfWork,
    worker_id: str,
    week_starts: Sequence[date],
    *,
    shift_id: str,
    action: str,
    reason: str,
    timeframe: str,
    checked: bool = False,
) -> list[CorrectionSummary]:
    """Recompute these workweeks of ``worker_id`` (after the change was appended in ``uow``),
    and append a correction for each whose paid dates now owe a different amount."""
    if not checked:
        check_projections(uow)
    out: list[CorrectionSummary] = []
    paid = uow.pay.paid_range(worker_id)
    if paid is None:
        return out
    for week_start in sorted(set(week_starts)):
        paid_days = [d for d in (week_start + timedelta(days=i) for i in range(7)) if paid[0] <= d <= paid[1]]
        if not paid_days:
            continue
        run = uow.price([worker_id], week_start, week_start + timedelta(days=6))
        priced = run.week(worker_id, week_start)
        recomputed = [paid_line(ln) for ln in priced.result.lines] if priced else []
        if priced is not None:
            rules_file, rules_sha = priced.rules_file, priced.rules_sha256
        else:
            rules = uow.history.text_on(week_start)
            rules_file, rules_sha = rules.file, rules.sha256
        basis = uow.pay.paid_week(worker_id, week_start)
        dates: list[dict[str, Any]] = []
        corrected_lines = []
        paid_total = corrected_total = ZERO_CENTS
        for day in paid_days:
            original = list(basis.lines.get(day, ())) if basis else []
            corrected = [ln for ln in recomputed if ln.day == day]
            o_amount = sum((ln.amount for ln in original), ZERO_CENTS)
            c_amount = sum((ln.amount for ln in corrected), ZERO_CENTS)
            paid_total += o_amount
            corrected_total += c_amount
            if by_class(original) != by_class(corrected):
                corrected_lines.extend(corrected)
                dates.append(
                    {
                        "date": day.isoformat(),
                        "original": by_class(original),
                        "corrected": by_class(corrected),
                        "original_amount": str(o_amount),
                        "corrected_amount": str(c_amount),
                    }
                )
        if not dates:
            continue
        difference = corrected_total - paid_total
        kind = "underpayment" if difference > 0 else "overpayment"
        amount = abs(difference)
        cid = f"C{uow.head()[0] + 1}"
        uow.append(
            [
                NewEvent(
                    CORRECTION,
                    {
                        "correction_id": cid,
                        "worker_id": worker_id,
                        "week_start": week_start.isoformat(),
                        "kind": kind,
                        "timeframe": timeframe,
                        "reason": reason,
                        "shift_id": shift_id,
                        "action": action,
                        "paid_gross": str(paid_total),
                        "corrected_gross": str(corrected_total),
                        "amount": str(amount),
                        "rules_file": rules_file,
                        "rules_sha256": rules_sha,
                        "dates": dates,
                        "corrected_lines": [line_payload(ln) for ln in corrected_lines],
                    },
                    key=f"correction:{cid}",
                    worker_id=worker_id,
                )
            ]
        )
        if amount == 0:
            settlement = "no difference in pay (the classification of its hours changed)"
        elif kind == "overpayment":
            settlement = "deducted from the next pay run"
        elif timeframe == "IMMEDIATELY":
            settlement = _off_cycle(uow, worker_id, cid, amount)
        elif timeframe == "EXTERNALLY_PAID":
            uow.append([_settled(worker_id, cid, "externally_paid", None, amount)])
            settlement = "paid externally (counted in gross, not paid out)"
        else:
            settlement = "added to the next pay run"
        out.append(CorrectionSummary(cid, worker_id, week_start, kind, amount, timeframe, settlement, rules_file))
    return out


def _settled(worker_id: str, cid: str, how: str, run_id: str | None, amount: Decimal) -> NewEvent:
    return NewEvent(
        SETTLED,
        {
            "correction_id": cid,
            "worker_id": worker_id,
            "how": how,
            "run_id": run_id,
            "period_start": None,
            "amount": str(amount),
        },
        key=f"settled:{cid}:{run_id or how}",
        worker_id=worker_id,
    )


def _off_cycle(uow: UnitOfWork, worker_id: str, cid: str, amount: Decimal) -> str:
    """Pay an underpayment at once: an off-cycle run, its payment with the issued stub, the settlement."""
    run_id = f"off-cycle-{cid}"
    correction = uow.pay.correction(cid)
    assert correction is not None
    worker = uow.roster[worker_id]
    entries = correction_entries(
        cid, "underpayment", "IMMEDIATELY", correction.shift_id, correction.action, correction.reason, correction.dates
    )
    first = min((e.day for e in entries), default=uow.now.date())
    from dataclasses import replace

    period = replace(uow.period_containing(first), pay_date=uow.now.date())
    stub = make_stub(
        employer=uow.employer,
        worker_id=worker_id,
        worker_name=worker.name,
        worker_type=worker.type,
        period=period,
        lines=(),
        corrections=entries,
        notes=(f"Off-cycle payment {run_id} of {amount}, paid at once, outside the regular payroll.",),
    )
    head_seq, head_hash = uow.head()
    uow.append(
        [
            NewEvent(
                PAYRUN,
                {
                    "run_id": run_id,
                    "kind": "off_cycle",
                    "period_start": None,
                    "period_end": None,
                    "pay_date": uow.now.date().isoformat(),
                    "workers": [worker_id],
                    "partial": False,
                    "ledger_seq": head_seq,
                    "ledger_hash": head_hash,
                },
                key=f"payrun:{run_id}",
            ),
            NewEvent(
                WORKER_PAID,
                {
                    "run_id": run_id,
                    "kind": "off_cycle",
                    "worker_id": worker_id,
                    "period_start": None,
                    "period_end": None,
                    "ranges": [],
                    "weeks": [],
                    "gross": "0.00",
                    "settled": [{"correction_id": cid, "amount": str(amount)}],
                    "additions": str(amount),
                    "deductions": "0.00",
                    "net": str(amount),
                    "ledger_seq": head_seq,
                    "ledger_hash": head_hash,
                    "stub": stub_to_json(stub),
                },
                key=f"payrun:{run_id}:{worker_id}",
                worker_id=worker_id,
            ),
            _settled(worker_id, cid, "off_cycle", run_id, amount),
        ]
    )
    return f"paid off-cycle now ({run_id})"


# --- the audit ---------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    """One over- or underpayment as the audit lists it.

    Attributes:
        correction: The correction with its settlement.
        how: How it is (to be) settled, in words.
        settled: Whether it has been.
    """

    correction: Correction
    how: str
    settled: bool

    def to_json(self) -> dict[str, Any]:
        """JSON-able form."""
        c = self.correction
        s = c.settlement
        return {
            "correction_id": c.correction_id,
            "worker_id": c.worker_id,
            "recorded_at": c.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "author": c.author,
            "reason": c.reason,
            "kind": c.kind,
            "amount": str(c.amount),
            "paid_gross": str(c.paid_gross),
            "corrected_gross": str(c.corrected_gross),
            "week_start": c.week_start.isoformat(),
            "shift_id": c.shift_id,
            "action": c.action,
            "timeframe": c.timeframe,
            "rules_file": c.rules_file,
            "how": self.how,
            "settled": self.settled,
            "balance": str(c.balance),
            "settlements": [
                {
                    "how": x.how,
                    "run_id": x.run_id,
                    "amount": str(x.amount),
                    "at": x.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
                for x in c.settlements
            ],
            "settled_by": None
            if s is None
            else {
                "how": s.how,
                "run_id": s.run_id,
                "period_start": s.period_start.isoformat() if s.period_start else None,
                "at": s.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
            "dates": [dict(d) for d in c.dates],
        }


def _how(c: Correction) -> str:
    if c.action == "workweek":
        return "adjustment paid with a pay run" if c.kind == "underpayment" else "adjustment deducted from a pay run"
    if c.kind == "overpayment":
        return "deduction on the next pay run"
    return {
        "NEXT_PAYROLL_PAYMENT": "added to the next pay run",
        "IMMEDIATELY": "off-cycle payment",
        "EXTERNALLY_PAID": "paid externally (in gross, not paid out)",
    }[c.timeframe]


def audit(ledger_path: Path, *, worker_id: str | None = None, since: date | None = None) -> list[AuditRow]:
    """Every over- and underpayment, oldest first (``since``: recorded on or after, UTC date)."""
    with unit_of_work(ledger_path) as uow:
        if worker_id is not None and worker_id not in uow.roster:
            raise OtError(
                f"unknown worker {worker_id!r}", [Problem("--worker", f"no worker {worker_id!r} in the ledger")]
            )
        found = uow.pay.corrections(worker_id)
    return [AuditRow(c, _how(c), c.settled) for c in found if since is None or c.at.date() >= since]


def render_audit(rows: Sequence[AuditRow]) -> str:
    """The audit as text."""
    if not rows:
        return "no over- or underpayments recorded"
    out = []
    for r in rows:
        c = r.correction
        sign = "+" if c.kind == "underpayment" else "-"
        if r.settled and c.settlement is not None:
            state = f"settled {c.settlement.at:%Y-%m-%d}" + (
                f" by {c.settlement.run_id}" if c.settlement.run_id else ""
            )
        elif c.settlements:
            done = ", ".join(f"{x.amount} by {x.run_id or x.how}" for x in c.settlements)
            state = f"OPEN: {c.balance} still owed ({done}; the rest carried forward)"
        else:
            state = "OPEN"
        out.append(
            f"{c.correction_id}  {c.at:%Y-%m-%d %H:%M}Z  {c.worker_id}  {c.kind} {sign}{c.amount}  "
            f"week of {c.week_start}  by {c.author}  {r.how}  [{state}]"
        )
        what = f"shift {c.shift_id} {c.action}" if c.shift_id else c.action
        # The week's paid dates were due paid_gross before this correction (what was paid, with the corrections
        # before it): "paid" misread a second correction of the same week (a review).
        out.append(f"    why: {c.reason}  ({what}; was due {c.paid_gross}, now {c.corrected_gross})")
        for d in c.dates:
            o = ", ".join(f"{x['class']} {hours2(Decimal(x['minutes']) / 60)}h {x['amount']}" for x in d["original"])
            n = ", ".join(f"{x['class']} {hours2(Decimal(x['minutes']) / 60)}h {x['amount']}" for x in d["corrected"])
            out.append(f"    {d['date']}: was [{o or 'nothing'}] now [{n or 'nothing'}]")
    return "\n".join(out)
