"""Pay runs: pay the step-2-approved timecards of a pay period, and mark their dates paid.

A timecard counts only while it matches the period's shifts as they stand:
every worked shift at the version approved, every PTO/SICK/HOLIDAY entry at
the version the timecard holds, and nothing more. Workers with work in the
period but no such timecard are *missing*: the run is refused with their list
unless ``partial`` (then they are left for a later run of the same period).

Each worker paid gets one ``payrun.worker_paid`` event recording exactly what
was paid: per workweek (priced whole, each with the rules file in force on its
first day, 29 CFR 778.104) the lines dated in the period (date, class, hours,
rate, multiplier, amount), the gross, the rules file and its sha256; the open
corrections it settles (overpayments deducted, ``NEXT_PAYROLL_PAYMENT``
underpayments added) and the net paid out. A deduction never takes the net
below zero: what does not fit stays open for the run after. Every date of the
period becomes a paid date of that worker. A worker is never paid twice for
the same period (idempotency keys and a read-check-append transaction). Each
correction it settles also gets its ``correction.settled`` event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.approvals import PAYRUN, SETTLED, WORKER_PAID, Correction, PaidLine, line_payload, shift_version
from ledger.events import NewEvent
from ledger.store import Ledger
from ot.errors import OtError, PermissionDenied, Problem
from ot.periods import PayPeriod
from ot.services.approvals import Context, Reads, acting_user, context, current_shifts, describe_shift, price_open
from ot.services.corrections import paid_line

__all__ = ["PayRunResult", "WeekPay", "WorkerPay", "render_payrun", "run_payroll"]

ZERO_CENTS = Decimal("0.00")


@dataclass(frozen=True)
class WeekPay:
    """What one workweek pays in the period.

    Attributes:
        week_start: First day of the workweek.
        rules_file: Rules file in force on its first day.
        rules_sha256: Its content hash.
        lines: The week's lines dated in the period.
    """

    week_start: date
    rules_file: str
    rules_sha256: str
    lines: tuple[PaidLine, ...]

    @property
    def gross(self) -> Decimal:
        """Sum of the lines."""
        return sum((ln.amount for ln in self.lines), ZERO_CENTS)


@dataclass(frozen=True)
class WorkerPay:
    """One worker's pay in a run.

    Attributes:
        worker_id: Who.
        name: Their name.
        weeks: Per workweek, the lines paid.
        gross: Sum of the period's lines.
        additions: Underpayments paid with it.
        deductions: Overpayments withheld.
        net: Paid out.
        settled: The corrections it settles.
    """

    worker_id: str
    name: str
    weeks: tuple[WeekPay, ...]
    gross: Decimal
    additions: Decimal
    deductions: Decimal
    net: Decimal
    settled: tuple[Correction, ...]


@dataclass(frozen=True)
class PayRunResult:
    """A pay run (or its preview).

    Attributes:
        run_id: Its id.
        period: The pay period.
        workers: Each worker paid.
        missing: Workers left out and why (only with ``partial``).
        already_paid: Workers an earlier run of the period paid.
        dry_run: True for a preview (nothing written).
    """

    run_id: str
    period: PayPeriod
    workers: tuple[WorkerPay, ...]
    missing: tuple[Problem, ...]
    already_paid: tuple[str, ...]
    dry_run: bool

    @property
    def net(self) -> Decimal:
        """Total paid out."""
        return sum((w.net for w in self.workers), ZERO_CENTS)


def _timecard_problem(reads: Reads, ctx: Context, worker_id: str, period: PayPeriod) -> Problem | None:
    """Why the worker's timecard of ``period`` cannot be paid (None when it can)."""
    card = ctx.state.timecards.get((worker_id, period.start))
    shifts = current_shifts(reads, ctx, [worker_id], period.start, period.end)
    where = f"timecard {worker_id} {period.label()}"
    if card is None:
        return Problem(
            where, "not approved (step 2): run `ot approve timecards --period DATE --worker ...` as an admin"
        )
    now = {(s.shift_id, shift_version(s)) for s in shifts}
    changed = sorted(
        {describe_shift(s) for s in shifts if (s.shift_id, shift_version(s)) not in card.versions}
        | {sid for sid, v in card.versions if (sid, v) not in now}
    )
    if changed:
        return Problem(where, f"changed since it was approved ({'; '.join(changed)}): approve it again")
    return None


def _workers(reads: Reads, ctx: Context, period: PayPeriod) -> list[str]:
    with_work = {s.worker_id for s in current_shifts(reads, ctx, sorted(ctx.roster), period.start, period.end)}
    with_cards = {w for (w, start) in ctx.state.timecards if start == period.start}
    return sorted(with_work | with_cards)


def _settle(worker_id: str, gross: Decimal, open_: tuple[Correction, ...]) -> tuple[Decimal, Decimal, list[Correction]]:
    additions = deductions = ZERO_CENTS
    settled: list[Correction] = []
    for c in open_:
        if c.kind == "underpayment" and c.timeframe == "NEXT_PAYROLL_PAYMENT":
            additions += c.amount
            settled.append(c)
    for c in open_:
        if c.kind == "overpayment" and gross + additions - deductions - c.amount >= 0:
            deductions += c.amount
            settled.append(c)
    return additions, deductions, settled


def _compute(
    reads: Reads, ctx: Context, period: PayPeriod, partial: bool
) -> tuple[list[WorkerPay], list[Problem], list[str]]:
    payable: list[str] = []
    missing: list[Problem] = []
    already: list[str] = []
    for wid in _workers(reads, ctx, period):
        if ctx.state.paid_in(wid, period.start) is not None:
            already.append(wid)
            continue
        problem = _timecard_problem(reads, ctx, wid, period)
        if problem is None:
            payable.append(wid)
        else:
            missing.append(problem)
    if missing and not partial:
        raise OtError(
            f"the pay run of {period.label()} was refused; nothing was written: "
            "these timecards are not approved (give --partial to pay the others)",
            missing,
        )
    if not payable:
        if already:
            raise OtError(
                f"{period.label()} is already paid",
                [Problem(f"period {period.label()}", f"paid for {', '.join(already)}: a period is never paid twice")],
            )
        raise OtError(
            f"nothing to pay in {period.label()}",
            [*missing]
            or [Problem(f"period {period.label()}", "no approved timecards: approve shifts, then timecards")],
        )
    run = price_open(reads, ctx, payable, period.start, period.end)
    out: list[WorkerPay] = []
    for wid in payable:
        weeks: list[WeekPay] = []
        for pw in run.weeks:
            if pw.worker.worker_id != wid:
                continue
            lines = tuple(paid_line(ln) for ln in pw.result.lines if ln.date in period)
            weeks.append(WeekPay(pw.result.week_start, pw.rules_file, pw.rules_sha256, lines))
        gross = sum((w.gross for w in weeks), ZERO_CENTS)
        additions, deductions, settled = _settle(wid, gross, ctx.state.open_corrections(wid))
        net = gross + additions - deductions
        out.append(
            WorkerPay(wid, ctx.roster[wid].name, tuple(weeks), gross, additions, deductions, net, tuple(settled))
        )
    return out, missing, already


def run_payroll(
    ledger_path: Path, *, period_day: date, dry_run: bool = False, partial: bool = False, actor: str, now: datetime
) -> PayRunResult:
    """Pay (or, with ``dry_run``, preview) the pay period holding ``period_day``."""
    if dry_run:
        with Ledger.open(ledger_path, create=False) as ledger:
            ctx = context(ledger)
            _admin(ctx, actor)
            period = ctx.period_containing(period_day)
            workers, missing, already = _compute(ledger, ctx, period, partial)
            return PayRunResult(_run_id(ctx, period), period, tuple(workers), tuple(missing), tuple(already), True)
    with Ledger.open(ledger_path, create=False) as ledger, ledger.write(actor=actor, now=now) as tx:
        ctx = context(tx)
        _admin(ctx, actor)
        period = ctx.period_containing(period_day)
        workers, missing, already = _compute(tx, ctx, period, partial)
        run_id = _run_id(ctx, period)
        events = [
            NewEvent(
                PAYRUN,
                {
                    "run_id": run_id,
                    "kind": "regular",
                    "period_start": period.start.isoformat(),
                    "period_end": period.end.isoformat(),
                    "pay_date": period.pay_date.isoformat(),
                    "workers": [w.worker_id for w in workers],
                    "partial": bool(missing),
                },
                key=f"payrun:{run_id}",
            )
        ]
        dates = [d.isoformat() for d in _period_days(period)]
        for w in workers:
            events.append(
                NewEvent(
                    WORKER_PAID,
                    _worker_payload(run_id, period, w, dates),
                    key=f"payrun:{period.start.isoformat()}:{w.worker_id}",
                    worker_id=w.worker_id,
                )
            )
        for w in workers:
            for c in w.settled:
                events.append(
                    NewEvent(
                        SETTLED,
                        {
                            "correction_id": c.correction_id,
                            "worker_id": w.worker_id,
                            "how": "next_payroll",
                            "run_id": run_id,
                            "period_start": period.start.isoformat(),
                        },
                        key=f"settled:{c.correction_id}",
                        worker_id=w.worker_id,
                    )
                )
        added = tx.append(events)
        if len(added) != len(events):  # pragma: no cover - the transaction saw the state it checked
            raise OtError(f"{period.label()} was paid by another run meanwhile; nothing was written")
    return PayRunResult(run_id, period, tuple(workers), tuple(missing), tuple(already), False)


def _period_days(period: PayPeriod) -> list[date]:
    return [period.start + timedelta(days=i) for i in range(period.days)]


def _worker_payload(run_id: str, period: PayPeriod, w: WorkerPay, dates: list[str]) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "kind": "regular",
        "worker_id": w.worker_id,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "paid_dates": dates,
        "weeks": [
            {
                "week_start": wk.week_start.isoformat(),
                "rules_file": wk.rules_file,
                "rules_sha256": wk.rules_sha256,
                "gross": str(wk.gross),
                "lines": [line_payload(ln) for ln in wk.lines],
            }
            for wk in w.weeks
        ],
        "gross": str(w.gross),
        "settled": [c.correction_id for c in w.settled],
        "additions": str(w.additions),
        "deductions": str(w.deductions),
        "net": str(w.net),
    }


def _run_id(ctx: Context, period: PayPeriod) -> str:
    n = sum(1 for r in ctx.state.runs.values() if r.get("period_start") == period.start.isoformat())
    return f"R{period.start.isoformat()}" + (f"-{n + 1}" if n else "")


def _admin(ctx: Context, actor: str) -> None:
    me = acting_user(ctx.roster, actor, "run payroll")
    if me.role != "admin":
        raise PermissionDenied(
            "only an admin (payroll) runs payroll", [Problem("--as", f"{actor} is a {me.role}: ask an admin")]
        )


def render_payrun(result: PayRunResult) -> str:
    """The run as text: per worker gross, corrections, net; then the total."""
    head = "DRY RUN (nothing written): " if result.dry_run else ""
    out = [f"{head}pay run {result.run_id}, period {result.period.label()}, pay date {result.period.pay_date}"]
    for w in result.workers:
        out.append(f"  {w.worker_id:<6} {w.name:<24} gross {w.gross:>10}")
        for c in w.settled:
            sign = "+" if c.kind == "underpayment" else "-"
            out.append(
                f"  {'':<6} {'':<24} {c.kind} {c.correction_id} (week of {c.week_start}) {sign}{c.amount}  correction"
            )
        if w.settled:
            out.append(f"  {'':<6} {'':<24} net   {w.net:>10}")
    for p in result.missing:
        out.append(f"  left out: {p}")
    if result.already_paid:
        out.append(f"  paid earlier: {', '.join(result.already_paid)}")
    out.append(f"{len(result.workers)} workers, total paid out {result.net}")
    return "\n".join(out)
