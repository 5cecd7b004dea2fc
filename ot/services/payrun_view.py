"""The Pay run screen's reads: a pay run's preview (or its outcome) by worker, shaped for a table.

Both calls go through :func:`ot.services.payrun.run_payroll` (the one pay-run
service; ``ot payrun`` prints the same run): :func:`preview_payrun` is its dry
run with ``partial`` set, so that every worker shows, each paid one with their
amounts and each left-out one with what blocks them (a blocked timecard blocks
only its own worker); :func:`issue_payrun` records the run. Neither adds any
rule of its own: who may run payroll, which period may be paid and what each
worker is paid are the service's answers, refusals included (an ``OtError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ot.core.errors import Problem
from ot.core.periods import PayPeriod
from ot.services.payrun import Confirmed, NothingToPay, PayRunResult, run_payroll
from ot.services.uow import unit_of_work
from ot.stubs import render
from ot.stubs.model import PayStub

__all__ = [
    "PayRunRow",
    "PayRunView",
    "blocked_by_worker",
    "confirmed_of",
    "issue_payrun",
    "left_out_kind",
    "left_out_summary",
    "preview_payrun",
    "stub_text",
]

#: The ``where`` of a left-out timecard, as :mod:`ot.services.payrun` words it: ``timecard W01 <period>``.
_TIMECARD = re.compile(r"^timecard (?P<worker>\S+) ")


@dataclass(frozen=True)
class PayRunRow:
    """One worker of a pay run (or its preview).

    Attributes:
        worker_id: Whose.
        name: Their name (as the roster has it; empty for a worker it does not hold).
        hours: Hours paid.
        gross: Gross of the dates paid.
        additions: Underpayments paid with it (corrections added).
        deductions: Overpayments withheld (corrections deducted).
        net: Paid out.
        notes: Corrections settled or carried forward, one a line.
        blocked: Why the worker is left out, one reason a line (empty: paid).
        stub: The stub as issued (or as it would be), None for a worker left out.
    """

    worker_id: str
    name: str
    hours: Decimal | None
    gross: Decimal | None
    additions: Decimal | None
    deductions: Decimal | None
    net: Decimal | None
    notes: tuple[str, ...]
    blocked: tuple[str, ...]
    stub: PayStub | None

    @property
    def paid(self) -> bool:
        """Whether the run pays this worker."""
        return not self.blocked


@dataclass(frozen=True)
class PayRunView:
    """A pay run by worker: those left out first (what needs attention), then those paid.

    Attributes:
        run_id: The run's id (what it will be called, for a preview).
        period: The pay period.
        rows: One per worker paid or left out.
        already_paid: Workers whose dates up to the period's end were paid earlier.
        carried: Overpayments carried forward with nothing to deduct them from.
        unplaced: Left-out reasons naming no worker (shown as they are).
        dry_run: True for a preview (nothing written).
        notices: Minimum wages adjusted yearly whose figure for the hours paid the rules lack.
    """

    run_id: str
    period: PayPeriod
    rows: tuple[PayRunRow, ...]
    already_paid: tuple[str, ...]
    carried: tuple[str, ...]
    unplaced: tuple[str, ...]
    dry_run: bool
    net: Decimal
    gross: Decimal
    notices: tuple[str, ...] = ()

    @property
    def paid(self) -> tuple[PayRunRow, ...]:
        """The workers the run pays."""
        return tuple(r for r in self.rows if r.paid)

    @property
    def blocked(self) -> tuple[PayRunRow, ...]:
        """The workers left out."""
        return tuple(r for r in self.rows if not r.paid)


def blocked_by_worker(missing: tuple[Problem, ...]) -> tuple[dict[str, list[str]], list[str]]:
    """The left-out reasons grouped by worker (``where`` after the timecard's name, then the
    message), and those naming no worker."""
    by_worker: dict[str, list[str]] = {}
    other: list[str] = []
    for p in missing:
        found = _TIMECARD.match(p.where)
        if found is None:
            other.append(str(p))
            continue
        rest = p.where.split(": ", 1)
        reason = f"{rest[1]}: {p.message}" if len(rest) == 2 else p.message
        by_worker.setdefault(found["worker"], []).append(reason)
    return by_worker, other


#: Why a worker is left out, from the first matching reason of theirs (the earliest step that blocks
#: them), with what the summary says of them: (kind, pattern of the service's message, words for
#: several, words for one).
_WHY: tuple[tuple[str, re.Pattern[str], str, str], ...] = (
    (
        "exception",
        re.compile(r"^shift \S+: .* has [a-z_, -]+: "),
        "have shifts with exceptions to fix",
        "has shifts with exceptions to fix",
    ),
    (
        "step 1",
        re.compile(r"is not approved \(step 1\)"),
        "wait for step-1 shift approvals",
        "waits for step-1 shift approvals",
    ),
    (
        "changed",
        re.compile(r"changed since it was approved"),
        "changed since their step-2 approval",
        "changed since its step-2 approval",
    ),
    (
        "step 2",
        re.compile(r"not approved \(step 2\)"),
        "wait for their step-2 approval",
        "waits for its step-2 approval",
    ),
    ("priced", re.compile(r"cannot be priced"), "cannot be priced", "cannot be priced"),
    ("other", re.compile(r"."), "are blocked otherwise", "is blocked otherwise"),
)


def _why_kind(reasons: tuple[str, ...]) -> int:
    """The index in :data:`_WHY` of the earliest step blocking a worker (the last: another reason)."""
    return min(
        (i for i, (_, pattern, _, _) in enumerate(_WHY) for reason in reasons if pattern.search(reason)),
        default=len(_WHY) - 1,
    )


def left_out_kind(row: PayRunRow) -> str:
    """Why a left-out worker is left out, by the earliest step that blocks them: ``exception``,
    ``step 1``, ``changed``, ``step 2``, ``priced`` or ``other`` (``""`` for a worker paid)."""
    return _WHY[_why_kind(row.blocked)][0] if row.blocked else ""


def left_out_summary(view: PayRunView) -> str:
    """One line: how many timecards are left out, grouped by why (the earliest step blocking each):
    ``15 timecards left out: 12 wait for step-1 shift approvals, 3 wait for their step-2 approval``."""
    blocked = view.blocked
    if not blocked:
        return ""
    counts: dict[int, int] = {}
    for row in blocked:
        kind = _why_kind(row.blocked)
        counts[kind] = counts.get(kind, 0) + 1
    parts = [f"{counts[k]:,} {_WHY[k][2] if counts[k] != 1 else _WHY[k][3]}" for k in sorted(counts)]
    n = len(blocked)
    return f"{n:,} timecard{'s' if n != 1 else ''} left out: {', '.join(parts)}"


def _view(result: PayRunResult, ledger_path: Path) -> PayRunView:
    by_worker, other = blocked_by_worker(result.missing)
    names: dict[str, str] = {}
    if by_worker:  # the run names a left-out worker by id; the table shows their name too
        with unit_of_work(ledger_path) as uow:
            names = {w: uow.roster[w].name for w in by_worker if w in uow.roster}
    rows = [
        PayRunRow(worker_id, names.get(worker_id, ""), None, None, None, None, None, (), tuple(reasons), None)
        for worker_id, reasons in sorted(by_worker.items())
    ]
    for w in result.workers:
        notes = [
            f"{'+' if kind == 'underpayment' else '-'}{amount} {kind} {cid}" for cid, kind, amount in w.settled
        ] + [f"{cid}: {left} carried forward" for cid, left in w.carried]
        rows.append(
            PayRunRow(
                w.worker_id,
                w.draft.worker.name,
                w.draft.hours(),
                w.gross,
                w.additions,
                w.deductions,
                w.net,
                tuple(notes),
                (),
                w.stub,
            )
        )
    return PayRunView(
        result.run_id,
        result.period,
        tuple(rows),
        result.already_paid,
        result.carried,
        tuple(other),
        result.dry_run,
        result.net,
        result.gross,
        result.notices,
    )


def preview_payrun(
    ledger_path: Path, *, period_day: date, actor: str, now: datetime, left_out: bool = False
) -> PayRunView:
    """What a pay run of the period holding ``period_day`` would pay, by worker (nothing written).

    A run that would pay nobody is the service's refusal (:class:`NothingToPay`); with ``left_out``,
    when every timecard with pay is blocked, the preview shows it instead: each worker left out with
    why, and nobody paid (the Pay run screen lists them; other refusals are raised)."""
    try:
        result = run_payroll(ledger_path, period_day=period_day, dry_run=True, partial=True, actor=actor, now=now)
    except NothingToPay as refused:
        if not left_out or not refused.missing:
            raise
        located = set(refused.missing)
        result = PayRunResult(
            "",
            refused.period,
            (),
            refused.missing + tuple(p for p in refused.problems if p not in located),
            (),
            (),
            True,
        )
    return _view(result, ledger_path)


def confirmed_of(view: PayRunView) -> Confirmed:
    """What paying ``view`` (a preview) confirms: its workers paid, each with the gross and net shown."""
    # A paid row has both amounts; one without would be confirmed as not paid, and the run refused.
    return Confirmed(
        tuple((r.worker_id, r.gross, r.net) for r in view.paid if r.gross is not None and r.net is not None)
    )


def issue_payrun(
    ledger_path: Path,
    *,
    period_day: date,
    partial: bool,
    actor: str,
    now: datetime,
    confirmed: Confirmed | None = None,
) -> PayRunView:
    """Run payroll for the period holding ``period_day``; ``partial`` pays the others when some are left out.
    ``confirmed`` (:func:`confirmed_of` the preview the user confirmed): a run that would pay other
    workers or other amounts (the ledger changed since the preview) is refused, and nothing is written."""
    return _view(
        run_payroll(ledger_path, period_day=period_day, partial=partial, actor=actor, now=now, confirmed=confirmed),
        ledger_path,
    )


def stub_text(stub: PayStub) -> str:
    """A stub as ``ot stub`` prints it."""
    return render(stub, "text").decode("utf-8")
