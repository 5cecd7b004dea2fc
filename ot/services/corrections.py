"""Corrections of paid dates: what was paid against what should have been, and the audit.

A change on a paid date recomputes the whole affected workweek (a change on
Tuesday can move Friday into overtime, 29 CFR 778.104; Cal. Lab. Code 510)
with the rules file in force then (:func:`ot.services.approvals.price_open`
picks the file in force on the week's first day), and compares, over the
week's paid dates, the recomputed lines with what was paid (the pay run's
lines, or the last correction's). A difference is recorded as an
``overpayment`` or an ``underpayment`` (``correction.recorded``):

- an overpayment is deducted from the worker's next pay run;
- an underpayment per timeframe: ``NEXT_PAYROLL_PAYMENT`` (added to the next
  pay run), ``IMMEDIATELY`` (an off-cycle payment recorded at once, its own
  ``payrun.worker_paid`` of kind ``off_cycle``) or ``EXTERNALLY_PAID``
  (counted in gross, paid outside ot: settled at once).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.approvals import (
    CORRECTION,
    PAYRUN,
    SETTLED,
    TIMEFRAMES,
    WORKER_PAID,
    ApprovalState,
    Correction,
    PaidLine,
    line_payload,
)
from ledger.events import NewEvent
from ledger.store import Ledger, Writer
from ot.errors import OtError, Problem
from ot.money import ZERO, hours2
from ot.services.approvals import Context, context, price_open, read_state
from ot.services.periods import EMPLOYER_EVENT, employer_of
from ot.stubs.model import CorrectionEntry, PayStub, counts_hours, make_stub
from rules.engine.results import PayLine

__all__ = [
    "AuditRow",
    "CorrectionSummary",
    "audit",
    "check_timeframe",
    "correct_weeks",
    "corrections_on_stub",
    "off_cycle_stub",
    "paid_line",
    "render_audit",
    "stub_corrections",
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


def paid_line(line: PayLine) -> PaidLine:
    """An engine pay line as a :class:`PaidLine` (hours kept exact as minutes)."""
    return PaidLine(line.date, line.hour_class, line.hours * 60, line.rate, line.multiplier, line.amount)


@dataclass(frozen=True)
class CorrectionSummary:
    """A correction just recorded.

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


def _by_class(lines: Sequence[PaidLine]) -> list[dict[str, str]]:
    classes: dict[str, tuple[Decimal, Decimal]] = {}
    for ln in lines:
        m, a = classes.get(ln.hour_class, (ZERO, ZERO_CENTS))
        classes[ln.hour_class] = (m + ln.minutes, a + ln.amount)
    return [{"class": c, "minutes": str(m), "amount": str(a)} for c, (m, a) in classes.items()]


def correct_weeks(
    tx: Writer,
    ctx: Context,
    worker_id: str,
    week_starts: Sequence[date],
    *,
    shift_id: str,
    action: str,
    reason: str,
    timeframe: str,
    now: datetime,
) -> list[CorrectionSummary]:
    """Recompute these workweeks of ``worker_id`` (after the change was appended in ``tx``),
    and append a correction for each whose paid dates were paid a different amount."""
    out: list[CorrectionSummary] = []
    paid = ctx.state.paid_dates(worker_id)
    for week_start in sorted(set(week_starts)):
        week_days = {week_start + timedelta(days=i) for i in range(7)}
        paid_days = sorted(paid & week_days)
        if not paid_days:
            continue
        run = price_open(tx, ctx, [worker_id], week_start, week_start + timedelta(days=6))
        priced = run.week(worker_id, week_start)
        rules = ctx.history.text_on(week_start)
        recomputed = [paid_line(ln) for ln in priced.result.lines] if priced else []
        if priced is not None:
            rules_file, rules_sha = priced.rules_file, priced.rules_sha256
        else:
            rules_file, rules_sha = rules.file, rules.sha256
        basis = ctx.state.paid_weeks.get((worker_id, week_start))
        dates: list[dict[str, Any]] = []
        corrected_lines: list[PaidLine] = []
        paid_total = corrected_total = ZERO_CENTS
        for day in paid_days:
            original = list(basis.lines.get(day, ())) if basis else []
            corrected = [ln for ln in recomputed if ln.day == day]
            corrected_lines.extend(corrected)
            o_amount = sum((ln.amount for ln in original), ZERO_CENTS)
            c_amount = sum((ln.amount for ln in corrected), ZERO_CENTS)
            paid_total += o_amount
            corrected_total += c_amount
            if _by_class(original) != _by_class(corrected):
                dates.append(
                    {
                        "date": day.isoformat(),
                        "original": _by_class(original),
                        "corrected": _by_class(corrected),
                        "original_amount": str(o_amount),
                        "corrected_amount": str(c_amount),
                    }
                )
        difference = corrected_total - paid_total
        if difference == 0:
            continue
        kind = "underpayment" if difference > 0 else "overpayment"
        amount = abs(difference)
        cid = f"C{tx.head()[0] + 1}"
        tx.append(
            [
                _event(
                    CORRECTION,
                    worker_id,
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
                )
            ]
        )
        if kind == "overpayment":
            settlement = "deducted from the next pay run"
        elif timeframe == "IMMEDIATELY":
            run_id = f"off-cycle-{cid}"
            tx.append(
                [
                    _event(
                        PAYRUN,
                        None,
                        {
                            "run_id": run_id,
                            "kind": "off_cycle",
                            "period_start": None,
                            "period_end": None,
                            "pay_date": now.date().isoformat(),
                            "workers": [worker_id],
                            "partial": False,
                        },
                        key=f"payrun:{run_id}",
                    ),
                    _event(
                        WORKER_PAID,
                        worker_id,
                        {
                            "run_id": run_id,
                            "kind": "off_cycle",
                            "worker_id": worker_id,
                            "period_start": None,
                            "period_end": None,
                            "paid_dates": [],
                            "weeks": [],
                            "gross": "0.00",
                            "settled": [cid],
                            "additions": str(amount),
                            "deductions": "0.00",
                            "net": str(amount),
                        },
                        key=f"payrun:{run_id}:{worker_id}",
                    ),
                ]
            )
            tx.append(
                [
                    _event(
                        SETTLED,
                        worker_id,
                        {
                            "correction_id": cid,
                            "worker_id": worker_id,
                            "how": "off_cycle",
                            "run_id": run_id,
                            "period_start": None,
                        },
                        key=f"settled:{cid}",
                    )
                ]
            )
            settlement = f"paid off-cycle now ({run_id})"
        elif timeframe == "EXTERNALLY_PAID":
            tx.append(
                [
                    _event(
                        SETTLED,
                        worker_id,
                        {
                            "correction_id": cid,
                            "worker_id": worker_id,
                            "how": "externally_paid",
                            "run_id": None,
                            "period_start": None,
                        },
                        key=f"settled:{cid}",
                    )
                ]
            )
            settlement = "paid externally (counted in gross, not paid out)"
        else:
            settlement = "added to the next pay run"
        out.append(CorrectionSummary(cid, worker_id, week_start, kind, amount, timeframe, settlement, rules_file))
    return out


def _event(kind: str, worker_id: str | None, payload: dict[str, Any], key: str) -> NewEvent:
    return NewEvent(kind, payload, key=key, worker_id=worker_id)


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
    if c.kind == "overpayment":
        return "deduction on the next pay run"
    return {
        "NEXT_PAYROLL_PAYMENT": "added to the next pay run",
        "IMMEDIATELY": "off-cycle payment",
        "EXTERNALLY_PAID": "paid externally (in gross, not paid out)",
    }[c.timeframe]


def audit(ledger_path: Path, *, worker_id: str | None = None, since: date | None = None) -> list[AuditRow]:
    """Every over- and underpayment, oldest first (``since``: recorded on or after, UTC date)."""
    if not Path(ledger_path).exists():
        raise OtError(f"no ledger at {ledger_path}", [Problem("--ledger", "give the path of an existing ledger")])
    with Ledger.open(ledger_path, create=False) as ledger:
        if worker_id is not None and worker_id not in ledger.roster():
            raise OtError(
                f"unknown worker {worker_id!r}", [Problem("--worker", f"no worker {worker_id!r} in the ledger")]
            )
        state = read_state(ledger)
    rows = []
    for c in state.corrections:
        if worker_id is not None and c.worker_id != worker_id:
            continue
        if since is not None and c.at.date() < since:
            continue
        rows.append(AuditRow(c, _how(c), c.settlement is not None))
    return rows


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
        else:
            state = "OPEN"
        out.append(
            f"{c.correction_id}  {c.at:%Y-%m-%d %H:%M}Z  {c.worker_id}  {c.kind} {sign}{c.amount}  "
            f"week of {c.week_start}  by {c.author}  {r.how}  [{state}]"
        )
        out.append(
            f"    why: {c.reason}  (shift {c.shift_id} {c.action}; paid {c.paid_gross}, owed {c.corrected_gross})"
        )
        for d in c.dates:
            o = ", ".join(f"{x['class']} {hours2(Decimal(x['minutes']) / 60)}h {x['amount']}" for x in d["original"])
            n = ", ".join(f"{x['class']} {hours2(Decimal(x['minutes']) / 60)}h {x['amount']}" for x in d["corrected"])
            out.append(f"    {d['date']}: was [{o or 'nothing'}] now [{n or 'nothing'}]")
    return "\n".join(out)


# --- pay stubs ---------------------------------------------------------------------


def _entries(c: Correction) -> list[CorrectionEntry]:
    """One stub entry per corrected date of ``c`` (their differences add up to ``c.signed``)."""
    out = []
    for d in c.dates:

        def hours(items: Sequence[Mapping[str, Any]]) -> Decimal:
            return sum((Decimal(x["minutes"]) / 60 for x in items if counts_hours(str(x["class"]))), ZERO)

        out.append(
            CorrectionEntry(
                day=date.fromisoformat(d["date"]),
                original_hours=hours(d["original"]),
                corrected_hours=hours(d["corrected"]),
                original_amount=Decimal(d["original_amount"]),
                corrected_amount=Decimal(d["corrected_amount"]),
                settlement="DEDUCTION" if c.kind == "overpayment" else c.timeframe,
                note=f"{c.correction_id}: shift {c.shift_id} {c.action} ({c.reason})",
            )
        )
    return out


def corrections_on_stub(state: ApprovalState, worker_id: str, period_start: date) -> tuple[Correction, ...]:
    """The corrections a worker's regular stub of the period starting ``period_start`` shows.

    Those its payment settled (overpayments deducted, ``NEXT_PAYROLL_PAYMENT``
    underpayments added) and the ``EXTERNALLY_PAID`` ones recorded since the
    worker's previous regular payment. Before the period is paid (a preview):
    those the next run would settle.
    """
    payment = state.paid_in(worker_id, period_start)
    regular = [p for p in state.payments if p.worker_id == worker_id and p.kind == "regular"]
    if payment is not None:
        chosen = [c for c in state.corrections if c.correction_id in set(payment.settled)]
        previous = max((p.seq for p in regular if p.seq < payment.seq), default=0)
        upto = payment.seq
    else:
        chosen = [
            c
            for c in state.open_corrections(worker_id)
            if c.kind == "overpayment" or c.timeframe == "NEXT_PAYROLL_PAYMENT"
        ]
        previous = max((p.seq for p in regular), default=0)
        upto = None
    external = [
        c
        for c in state.corrections
        if c.worker_id == worker_id
        and c.kind == "underpayment"
        and c.timeframe == "EXTERNALLY_PAID"
        and previous < c.seq
        and (upto is None or c.seq < upto)
    ]
    return tuple(sorted({c.correction_id: c for c in (*chosen, *external)}.values(), key=lambda c: c.seq))


def stub_corrections(ledger_path: Path, worker_id: str, period_day: date) -> tuple[CorrectionEntry, ...]:
    """The correction entries of ``worker_id``'s stub for the pay period holding ``period_day``
    (for :func:`ot.stubs.build.stub_from_weeks`'s ``corrections``)."""
    with Ledger.open(ledger_path, create=False) as ledger:
        ctx = context(ledger)
    period = ctx.period_containing(period_day)
    return tuple(e for c in corrections_on_stub(ctx.state, worker_id, period.start) for e in _entries(c))


def off_cycle_stub(ledger_path: Path, run_id: str) -> PayStub:
    """The stub of an off-cycle payment (an ``IMMEDIATELY`` underpayment): no regular lines,
    the corrections it pays; the pay period is the one of the corrected dates, the pay
    date the day the off-cycle payment was recorded."""
    with Ledger.open(ledger_path, create=False) as ledger:
        ctx = context(ledger)
        employer = employer_of(ledger.events(kind=EMPLOYER_EVENT))
    payment = next((p for p in ctx.state.payments if p.run_id == run_id and p.kind == "off_cycle"), None)
    if payment is None:
        raise OtError(f"no off-cycle payment {run_id!r}", [Problem("run", "see `ot audit corrections` for the ids")])
    worker = ctx.roster[payment.worker_id]
    settled = [c for c in ctx.state.corrections if c.correction_id in set(payment.settled)]
    entries = [e for c in settled for e in _entries(c)]
    first = min((e.day for e in entries), default=payment.at.date())
    run = ctx.state.runs.get(run_id, {})
    pay_date = date.fromisoformat(run["pay_date"]) if run.get("pay_date") else payment.at.date()
    period = replace(ctx.period_containing(first), pay_date=pay_date)
    return make_stub(
        employer=employer,
        worker_id=worker.worker_id,
        worker_name=worker.name,
        worker_type=worker.type,
        period=period,
        lines=(),
        corrections=entries,
        notes=(f"Off-cycle payment {run_id} of {payment.net}, paid at once, outside the regular payroll.",),
    )
