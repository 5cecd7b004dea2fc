"""Pay runs: pay each worker's approved unpaid dates up to a period's end, exactly once.

A pay run pays worker-dates, not period ids (:mod:`ot.services.paycycle`):
each worker is paid their unpaid dates up to the period's last day, hours of
a shift that started before them included, and the open corrections their
timecard holds. Those dates become paid, for good: the ledger refuses a
payment of a date already paid (``ledger.paystate``), whatever the pay
calendar says later.

A worker is paid only when their timecard (step 2) is approved and still
matches what their dates hold. Everyone else is *left out* with the reason
(a blocked or changed timecard blocks only its own worker); without
``partial`` any such worker refuses the whole run, and nothing is written. A
dry run computes everything a run would record, then rolls it back, and lists
by worker the hours, gross, corrections, deductions and what blocks the rest.

Each worker paid gets one ``payrun.worker_paid`` event recording exactly what
was paid (per workweek, priced whole with the rules file in force on its first
day, 29 CFR 778.104, the lines of the dates it pays), the corrections it
settles (with a ``correction.settled`` event each; an overpayment larger than
what the pay can take is deducted in part and carried forward), the net paid
out, and the pay stub as issued. The run records the head of the hash chain it
priced from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.approvals import CORRECTION, PAYRUN, SETTLED, WORKER_PAID, line_payload
from ledger.events import NewEvent
from ledger.store import PreparedEvent, prepare
from ot.core.errors import OtError, Problem
from ot.core.periods import PayPeriod
from ot.services.paycycle import Draft, WorkerPay, drafts, settle, timecard_difference
from ot.services.pool import default_jobs, fewer_collections, read_jobs
from ot.services.trust import check_projections, refuse_shift_approvals, shift_approval_problems
from ot.services.uow import UnitOfWork, unit_of_work
from ot.services.wage_notices import shift_notices
from ot.stubs.codec import stub_to_json
from ot.stubs.layout import money

__all__ = ["Confirmed", "NothingToPay", "PayRunResult", "payrun_json", "render_payrun", "run_payroll"]

ZERO_CENTS = Decimal("0.00")


@dataclass(frozen=True)
class PayRunResult:
    """A pay run (or its preview).

    Attributes:
        run_id: Its id.
        period: The pay period.
        workers: Each worker paid.
        missing: Workers left out and why.
        already_paid: Workers whose dates up to the period's end are all paid.
        carried: Notes on overpayments carried forward with nothing to deduct them from.
        dry_run: True for a preview (nothing written).
        notices: Minimum wages adjusted yearly whose figure for the hours paid the rules lack
            (:mod:`ot.services.wage_notices`), one a line.
    """

    run_id: str
    period: PayPeriod
    workers: tuple[WorkerPay, ...]
    missing: tuple[Problem, ...]
    already_paid: tuple[str, ...]
    carried: tuple[str, ...]
    dry_run: bool
    notices: tuple[str, ...] = ()

    @property
    def net(self) -> Decimal:
        """Total paid out."""
        return sum((w.net for w in self.workers), ZERO_CENTS)

    @property
    def gross(self) -> Decimal:
        """Total gross of the dates paid."""
        return sum((w.gross for w in self.workers), ZERO_CENTS)

    @property
    def confirm_code(self) -> str:
        """The code ``--confirm`` takes to record exactly this run (:func:`confirm_code`)."""
        return confirm_code(_pays(self.workers))


@dataclass(frozen=True)
class Confirmed:
    """What a user confirmed paying (a preview's workers, each with the gross and net it showed): a run
    that would pay anything else is refused (:func:`run_payroll`'s ``confirmed``).

    Attributes:
        pays: ``(worker_id, gross, net)`` of each worker the preview paid.
    """

    pays: tuple[tuple[str, Decimal, Decimal], ...]


def _pays(workers: Iterable[WorkerPay]) -> list[tuple[str, Decimal, Decimal]]:
    """``(worker_id, gross, net)`` of each worker paid: what a confirmation names."""
    return [(w.worker_id, w.gross, w.net) for w in workers]


def confirm_code(pays: Iterable[tuple[str, Decimal, Decimal]]) -> str:
    """12 hex digits naming who is paid what (each worker's gross and net): what ``ot payrun --dry-run``
    prints and ``--confirm`` takes, so that the run recorded is the run read."""
    text = "\n".join(f"{w}|{gross:.2f}|{net:.2f}" for w, gross, net in sorted(pays))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


#: A ``--confirm`` code as typed: 12 hex digits, either case (a checksum: case means nothing), blanks around.
_CODE = re.compile(r"[0-9a-fA-F]{12}")


def _unconfirmed_code(code: str, workers: Sequence[WorkerPay], period: PayPeriod) -> OtError | None:
    """Why this run is not the one whose ``--confirm`` code was given, or None when it is."""
    if confirm_code(_pays(workers)) == code:
        return None
    net = sum((w.net for w in workers), ZERO_CENTS)
    return OtError(
        f"the pay run is not the one confirmed (--confirm {code}): the ledger changed since that dry run, "
        "or the code is another run's; nothing was written",
        [
            # (not the new code: it is read, with what changed, in a new dry run)
            Problem("pay run", f"now {len(workers):,} workers, {money(net)} in all"),
            Problem(
                "--confirm",
                f"run `ot payrun --period {period.start} --dry-run` again, read what changed, and confirm its code",
            ),
        ],
    )


def _unconfirmed(confirmed: Confirmed, workers: Sequence[WorkerPay]) -> OtError | None:
    """Why this run is not the one confirmed (another user or a timeclock changed the ledger since the
    preview), or None when it pays the same workers the same amounts."""
    was = {w: (gross, net) for w, gross, net in confirmed.pays}
    now = {w: (gross, net) for w, gross, net in _pays(workers)}
    if was == now:
        return None
    changes: list[str] = []
    for wid in sorted(was.keys() | now.keys()):
        if wid not in was:
            changes.append(f"{wid} is now paid {money(now[wid][1])} (left out of the preview)")
        elif wid not in now:
            changes.append(f"{wid} is now left out (the preview paid {money(was[wid][1])})")
        elif was[wid] != now[wid]:
            changes.append(
                f"{wid} is now paid {money(now[wid][1])} of {money(now[wid][0])} gross "
                f"(the preview: {money(was[wid][1])} of {money(was[wid][0])})"
            )
    shown = changes[:NAMED] + ([f"and {len(changes) - NAMED:,} more"] if len(changes) > NAMED else [])
    total_was = sum((net for _, _, net in confirmed.pays), ZERO_CENTS)
    total_now = sum((net for _, net in now.values()), ZERO_CENTS)
    return OtError(
        "the pay run is not the one confirmed: the ledger changed since its preview; nothing was written",
        [
            Problem(
                "pay run",
                f"now {len(now):,} workers, {money(total_now)} in all; the preview confirmed "
                f"{len(was):,} workers, {money(total_was)}",
            ),
            Problem("workers", "; ".join(shown)),
            Problem("what to do", "read the new preview (another user or a timeclock wrote meanwhile) and pay again"),
        ],
    )


#: Shifts whose approval rows a pay run checks at once while its pool prices (:func:`_compute`).
APPROVALS_BATCH = 2000

#: Workers named in full in a message; more are counted (a refusal of a 2,000-worker run stays one line).
NAMED = 10


def _named(ids: Sequence[str]) -> str:
    """``W1, W2, W3``, or ``2,000 workers (W00001, ... W02000)`` when there are more than :data:`NAMED`."""
    if len(ids) <= NAMED:
        return ", ".join(ids)
    return f"{len(ids):,} workers ({', '.join(ids[: NAMED // 2])}, ... {ids[-1]})"


class NothingToPay(OtError):
    """A run of ``period`` would pay nobody; ``missing``: the timecards left out and why (the problems
    located at ``timecard W <period>``), so a screen can list them."""

    def __init__(self, period: PayPeriod, problems: Iterable[Problem], missing: Iterable[Problem]) -> None:
        super().__init__(f"nothing to pay in {period.label()}", problems)
        self.period = period
        self.missing: tuple[Problem, ...] = tuple(missing)


def _run_id(uow: UnitOfWork, period: PayPeriod) -> str:
    n = uow.pay.runs_of_period(period.start)
    return f"R{period.start.isoformat()}" + (f"-{n + 1}" if n else "")


def _check_period(uow: UnitOfWork, period: PayPeriod) -> None:
    today = uow.now.date()
    if period.end > today:
        raise OtError(
            f"the pay period {period.label()} has not ended",
            [
                Problem(
                    "--period",
                    f"it ends {period.end}, after today ({today}): run payroll once its last day is over",
                )
            ],
        )


def _why_not(uow: UnitOfWork, period: PayPeriod, d: Draft) -> list[Problem] | None:
    """Why a draft with pay cannot be paid now (an empty list: it can; None: it holds nothing to pay)."""
    if not d.has_pay:
        return None
    where = f"timecard {d.worker_id} {period.label()}"
    if d.blockers:
        return [Problem(f"{where}: {p.where}", p.message) for p in d.blockers]
    diff = timecard_difference(uow.pay.timecard(d.worker_id, period.start), d)
    return [Problem(where, diff)] if diff is not None else []


def _select(
    uow: UnitOfWork, period: PayPeriod, on_payable: Callable[[Draft], object] | None = None
) -> tuple[list[Draft], list[Problem], list[str], list[str], list[Draft]]:
    """(payable drafts, missing, already paid, carried notes, drafts left out). ``on_payable``: called with
    each payable draft as soon as it is known, while a pool prices the next workers (:func:`drafts`'
    ``on_draft``)."""

    judged: dict[str, tuple[Draft, list[Problem] | None]] = {}

    def early(d: Draft) -> None:
        why = _why_not(uow, period, d)
        judged[d.worker_id] = (d, why)
        if on_payable is not None and why == []:
            on_payable(d)

    payable: list[Draft] = []
    missing: list[Problem] = []
    carried: list[str] = []
    left_out: list[Draft] = []
    found = {d.worker_id: d for d in drafts(uow, period, on_draft=early if on_payable else None)}
    for d in found.values():
        seen = judged.get(d.worker_id)
        why = seen[1] if seen is not None and seen[0] is d else _why_not(uow, period, d)
        if why is None:
            if d.carried:
                owed = ", ".join(f"{c.correction_id} {c.balance}" for c in d.carried)
                carried.append(f"{d.worker_id}: overpayment {owed} carried forward (nothing to deduct it from)")
            continue
        if why:
            missing.extend(why)
            left_out.append(d)
            continue
        payable.append(d)
    already = sorted(w for w in uow.pay.paid_workers(period.start) if w not in found or not found[w].has_pay)
    return payable, missing, already, carried, left_out


def _compute(
    uow: UnitOfWork, period: PayPeriod, partial: bool, events_of: Callable[[WorkerPay], list[PreparedEvent]]
) -> tuple[list[tuple[WorkerPay, list[PreparedEvent]]], list[Problem], list[str], list[str]]:
    """(each worker paid with the events of the payment, missing, already paid, carried notes)."""
    # Each payable draft is settled (its events built) as soon as it is known, while the pool prices
    # the next workers, with the correction ids it would get if every draft before it were payable as
    # seen so far; below, a settlement is kept only for that very draft and those very ids (else
    # settled again).
    # The approval rows of their shifts are checked against the events the same way, in batches (the
    # transaction sees no other writer, and this one appends nothing before the end).
    early: dict[str, tuple[Draft, int, WorkerPay, list[PreparedEvent]]] = {}
    guess = [uow.head()[0] + 1]
    checked: dict[str, Problem | None] = {}
    pending: dict[str, str] = {}  # shift id -> worker

    def check_pending() -> None:
        found = shift_approval_problems(uow, pending)
        checked.update((sid, found.get(sid)) for sid in pending)
        pending.clear()

    def settle_early(d: Draft) -> None:
        pay = settle(uow, d, first_correction_id=guess[0])
        early[d.worker_id] = (d, guess[0], pay, events_of(pay))
        guess[0] += len(pay.adjustments) + 1
        pending.update((s.shift_id, s.worker_id) for s in d.shifts)
        if len(pending) >= APPROVALS_BATCH:
            check_pending()

    payable, missing, already, carried, left_out = _select(uow, period, settle_early)
    # A worker left out for a shift "not approved" whose approval row was deleted by hand: the events say
    # approved; refused as an edited table rather than left out with advice to approve it again.
    if left_out:
        blocked = {s.shift_id: s.worker_id for d in left_out for s in d.shifts}
        refuse_shift_approvals(list(shift_approval_problems(uow, blocked).values()))
    if missing and not partial:
        raise OtError(
            f"the pay run of {period.label()} was refused; nothing was written: "
            "these timecards cannot be paid yet (give --partial to pay the others)",
            missing,
        )
    if not payable:
        if already:
            raise OtError(
                f"{period.label()} is already paid",
                [
                    Problem(
                        f"period {period.label()}",
                        f"paid for {_named(already)}: a worker-date is never paid twice",
                    )
                ],
            )
        covered = sorted(
            f"{w} through {last}"
            for w, (first, last) in uow.pay.paid_ranges().items()
            if first <= period.end and last >= period.start
        )
        problems = [*missing] or [
            Problem(f"period {period.label()}", "no approved timecards: approve shifts, then timecards")
        ]
        if covered:
            problems.append(
                Problem(f"period {period.label()}", f"dates in it are paid already ({_named(covered)}): never twice")
            )
        raise NothingToPay(period, problems, missing)
    workers_of = {s.shift_id: s.worker_id for d in payable for s in d.shifts}
    shift_ids = list(workers_of)
    pending.clear()
    pending.update((sid, workers_of[sid]) for sid in shift_ids if sid not in checked)  # not settled early
    check_pending()
    refuse_shift_approvals([p for sid in shift_ids if (p := checked[sid]) is not None])
    out: list[tuple[WorkerPay, list[PreparedEvent]]] = []
    next_id = uow.head()[0] + 1
    for d in payable:
        seen = early.get(d.worker_id)
        if seen is not None and seen[0] is d and seen[1] == next_id:
            pay, events = seen[2], seen[3]
        else:
            pay = settle(uow, d, first_correction_id=next_id)
            events = events_of(pay)
        next_id += len(pay.adjustments) + 1
        out.append((pay, events))
    return out, missing, already, carried


@fewer_collections()
def run_payroll(
    ledger_path: Path,
    *,
    period_day: date,
    dry_run: bool = False,
    partial: bool = False,
    actor: str,
    now: datetime,
    jobs: int | None = None,
    confirmed: Confirmed | str | None = None,
) -> PayRunResult:
    """Pay (or, with ``dry_run``, preview) the pay period holding ``period_day``.

    ``jobs``: processes that pair and price the workers (default: the number of cores,
    :mod:`ot.services.pool`); the events written are the same, byte for byte, with any.
    ``confirmed``: what the user confirmed from a preview (or its :func:`confirm_code`, as ``--confirm``
    gives it); a run that would pay other workers or other amounts is refused and writes nothing."""
    if isinstance(confirmed, str):
        if not _CODE.fullmatch(confirmed.strip()):
            raise OtError(
                f"--confirm {confirmed!r} is not a pay run's code",
                [Problem("--confirm", "give the 12 hex digits `ot payrun --dry-run` printed after 'confirm with'")],
            )
        confirmed = confirmed.strip().lower()
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        uow.require("run payroll")
        uow.jobs = default_jobs() if jobs is None else read_jobs(jobs)
        uow.lean = True
        period = uow.period_containing(period_day)
        _check_period(uow, period)
        check_projections(uow)
        # Nothing is written before the run's event: its id and the head it prices from are known now,
        # and each worker's events are built, checked and written as canonical text (prepared) as the
        # worker is settled, while the pool prices the next workers: the append at the end chains,
        # inserts and folds them.
        run_id = _run_id(uow, period)
        head_seq, head_hash = uow.head()
        paid, missing, already, carried = _compute(
            uow, period, partial, lambda w: prepare(_events(run_id, period, w, head_seq, head_hash))
        )
        workers = [w for w, _ in paid]
        if isinstance(confirmed, str):
            refused = _unconfirmed_code(confirmed, workers, period)
        else:
            refused = None if confirmed is None else _unconfirmed(confirmed, workers)
        if refused is not None:
            raise refused
        uow.append(
            [
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
                        "ledger_seq": head_seq,
                        "ledger_hash": head_hash,
                    },
                    key=f"payrun:{run_id}",
                )
            ]
        )
        # Every worker's events in one append: one seal for the lot, not one per worker.
        events = [e for _, mine in paid for e in mine]
        added = uow.append(events)
        if len(added) != len(events):  # pragma: no cover - the transaction saw the state it checked
            raise OtError("a worker was paid by another run meanwhile; nothing was written")
        notices = shift_notices(uow.history, (s for w in workers for s in w.draft.shifts))
    return PayRunResult(
        run_id, period, tuple(workers), tuple(missing), tuple(already), tuple(carried), dry_run, notices
    )


def _events(run_id: str, period: PayPeriod, w: WorkerPay, head_seq: int, head_hash: str) -> list[NewEvent]:
    """One worker's payment: the workweek adjustments (as corrections), the payment, the settlements."""
    events: list[NewEvent] = []
    for adj in w.adjustments:
        events.append(NewEvent(CORRECTION, dict(adj), key=f"correction:{adj['correction_id']}", worker_id=w.worker_id))
    first = w.draft.ranges[0][0]
    payload = _payment_payload(run_id, period, w, head_seq, head_hash)
    events.append(
        NewEvent(WORKER_PAID, payload, key=f"payrun:{first.isoformat()}:{w.worker_id}", worker_id=w.worker_id)
    )
    for cid, _kind, amount in w.settled:
        events.append(
            NewEvent(
                SETTLED,
                {
                    "correction_id": cid,
                    "worker_id": w.worker_id,
                    "how": "next_payroll",
                    "run_id": run_id,
                    "period_start": period.start.isoformat(),
                    "amount": str(amount),
                },
                key=f"settled:{cid}:{run_id}",
                worker_id=w.worker_id,
            )
        )
    return events


def _payment_payload(run_id: str, period: PayPeriod, w: WorkerPay, head_seq: int, head_hash: str) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "kind": "regular",
        "worker_id": w.worker_id,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "ranges": [[a.isoformat(), b.isoformat()] for a, b in w.draft.ranges],
        "weeks": [
            {
                "week_start": start.isoformat(),
                "rules_file": rules_file,
                "rules_sha256": rules_sha,
                "gross": str(sum((ln.amount for ln in lines), ZERO_CENTS)),
                "lines": [line_payload(ln) for ln in lines],
            }
            for start, rules_file, rules_sha, lines in w.weeks
        ],
        "gross": str(w.gross),
        "settled": [{"correction_id": cid, "amount": str(amount)} for cid, _kind, amount in w.settled],
        "additions": str(w.additions),
        "deductions": str(w.deductions),
        "net": str(w.net),
        "ledger_seq": head_seq,
        "ledger_hash": head_hash,
        "stub": stub_to_json(w.stub),
    }


def render_payrun(result: PayRunResult) -> str:
    """The run as text: per worker hours, gross, corrections, net; then what was left out, and the total."""
    head = "DRY RUN (nothing written): " if result.dry_run else ""
    out = [f"{head}pay run {result.run_id}, period {result.period.label()}, pay date {result.period.pay_date}"]
    for w in result.workers:
        d = w.draft
        since = f" (from {d.pay_from})" if d.pay_from is not None and d.pay_from < result.period.start else ""
        out.append(f"  {w.worker_id:<6} {d.worker.name[:24]:<24} {d.hours():>7.2f} h  gross {w.gross:>10}{since}")
        kinds = {c.correction_id: c for c in d.corrections}
        for cid, kind, amount in w.settled:
            sign = "+" if kind == "underpayment" else "-"
            c = kinds.get(cid)
            what = f"(week of {c.week_start})" if c else "(workweek adjustment)"
            label = "deduction" if kind == "overpayment" else "correction"
            out.append(f"  {'':<6} {'':<24} {kind} {cid} {what} {sign}{amount}  {label}")
        for cid, left in w.carried:
            out.append(f"  {'':<6} {'':<24} overpayment {cid}: {left} carried forward to a later pay")
        if w.settled:
            out.append(f"  {'':<6} {'':<24} net   {w.net:>10}")
    for p in result.missing:
        out.append(f"  left out: {p}")
    for note in result.carried:
        out.append(f"  {note}")
    if result.already_paid:
        out.append(f"  paid earlier: {_named(result.already_paid)}")
    for notice in result.notices:
        out.append(f"  warning: {notice}")
    out.append(f"{len(result.workers)} workers, total paid out {result.net}")
    if result.dry_run and result.workers:
        partial = " --partial" if result.missing else ""
        out.append(
            f"confirm with: ot payrun --period {result.period.start}{partial} --confirm {result.confirm_code}"
            " (refused if the ledger changes what it pays meanwhile)"
        )
    return "\n".join(out)


def payrun_json(result: PayRunResult) -> dict[str, Any]:
    """The run (or its preview) as JSON."""
    return {
        "run_id": result.run_id,
        "dry_run": result.dry_run,
        "period": {
            "start": result.period.start.isoformat(),
            "end": result.period.end.isoformat(),
            "pay_date": result.period.pay_date.isoformat(),
        },
        "workers": [
            {
                "worker_id": w.worker_id,
                "name": w.draft.worker.name,
                "ranges": [[a.isoformat(), b.isoformat()] for a, b in w.draft.ranges],
                "hours": str(w.draft.hours()),
                "gross": str(w.gross),
                "additions": str(w.additions),
                "deductions": str(w.deductions),
                "net": str(w.net),
                "settled": [{"correction_id": c, "kind": k, "amount": str(a)} for c, k, a in w.settled],
                "carried": [{"correction_id": c, "open": str(a)} for c, a in w.carried],
            }
            for w in result.workers
        ],
        "left_out": [{"where": p.where, "why": p.message} for p in result.missing],
        "carried": list(result.carried),
        "already_paid": list(result.already_paid),
        "notices": list(result.notices),
        "net": str(result.net),
        "confirm_code": result.confirm_code,
    }
