"""The pay cycle's core: which dates a worker is owed for, what their timecard holds, what it pays.

A worker-date is paid at most once, whatever the pay calendar says. A
worker's paid dates are always one interval ``[paid_from, paid_through]``
(``ledger.paystate`` refuses anything else). The pay run of a period pays
each worker their *unpaid* dates up to the period's last day:

- after the last paid date: from ``paid_through + 1`` to the period's end, so
  that a worker left out of an earlier run (a blocked timecard, ``--partial``)
  is paid for those dates by the next one, and nothing is stranded;
- before the first paid date, when work was recorded there later (a worker
  never paid before: from their first recorded work, or the period's start).

A :class:`Draft` is what a worker's timecard of a period holds *now*: those
dates, every shift with hours on them (a shift that started the day before
counts: its hours after midnight are dated in the range), the PTO/SICK/HOLIDAY
entries, the open corrections the pay run will settle (``NEXT_PAYROLL_PAYMENT``
underpayments, overpayment deductions), the lines priced by the engine, and
what blocks it: a shift with an exception (a missing punch, an overlap, a
break outside the shift, over 24 hours) or a worked shift not approved at its
current version (step 1). A blocked timecard blocks only its own worker.

:func:`settle` turns a draft into a :class:`WorkerPay`: the gross of the new
dates, and a correction for each touched workweek whose *earlier* paid dates
now price differently (hours worked after the last pay run changed the week's
regular rate: 29 CFR 778.115), the additions and deductions (an overpayment
larger than what this pay can take is deducted in part and the rest carried
forward), the net, and the pay stub as it will be issued.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ledger.approvals import (
    LEAVE_TYPES,
    Correction,
    PaidLine,
    ShiftApproval,
    TimecardApproval,
    line_payload,
    shift_version,
)
from ledger.pairing import EXCEPTIONS
from ledger.store import PUNCH_IN_RANGE
from ot.core.domain import Shift, Worker
from ot.core.errors import OtError, Problem
from ot.core.money import ZERO, hours2
from ot.core.periods import PayPeriod
from ot.core.timez import local, local_date, week_start
from ot.services.pay import PricedWeek, PriceRun, Window, shift_day, workweek_of
from ot.services.pool import Once, PoolCrashed
from ot.services.uow import UnitOfWork
from ot.stubs.build import DEFAULT_DISPLAY_POLICY, display_fallback, rates_in_effect, stub_line
from ot.stubs.model import CorrectionEntry, PayStub, StubSettlement, WeekRate, counts_hours, make_stub
from rules.engine.results import PayLine

__all__ = [
    "Adjustment",
    "Draft",
    "WorkerPay",
    "by_class",
    "correction_entries",
    "describe_shift",
    "drafts",
    "paid_line",
    "settle",
    "timecard_difference",
    "unpaid_ranges",
]

ZERO_CENTS = Decimal("0.00")
DAY = timedelta(days=1)

#: What to do about each exception, in words.
FIXES: Mapping[str, str] = {
    "missing_out": "add the out-punch (`ot punch add --worker {w} --kind out --at TIME --reason ...`)",
    "missing_in": "add the in-punch (`ot punch add --worker {w} --kind in --at TIME --reason ...`)",
    "break_not_ended": "add the break-end punch (`ot punch add --worker {w} --kind break-end --at TIME --reason ...`)",
    "break_not_started": "add the break-start punch (`ot punch add --worker {w} --kind break-start --at TIME ...`)",
    "break_outside_shift": "add the shift's missing in- or out-punch, or delete the stray break punch "
    "(`ot shift delete ID --reason ...`)",
    "unknown_break_type": "declare the break type in the rules file (`break type CODE paid|unpaid`)",
    "unknown_location": "add the location (`ot import locations FILE`)",
    "overlap": "fix the overlapping shifts (`ot shift edit` or `ot shift delete`)",
    "over_24h": "split the shift or fix its punches",
}


def paid_line(line: PayLine) -> PaidLine:
    """An engine pay line as a :class:`PaidLine` (hours kept exact as minutes)."""
    return PaidLine(line.date, line.hour_class, line.hours * 60, line.rate, line.multiplier, line.amount, line.premium)


def by_class(lines: Iterable[PaidLine]) -> list[dict[str, str]]:
    """Minutes and amount per class (the comparable summary of a date's lines)."""
    classes: dict[str, tuple[Decimal, Decimal]] = {}
    for ln in lines:
        m, a = classes.get(ln.hour_class, (ZERO, ZERO_CENTS))
        classes[ln.hour_class] = (m + ln.minutes, a + ln.amount)
    return [{"class": c, "minutes": str(m), "amount": str(a)} for c, (m, a) in classes.items()]


def describe_shift(shift: Shift) -> str:
    """``W1 Tue 2026-10-13 08:00-16:30`` or ``W1 2026-10-13 PTO 8.00 h``."""
    day = shift_day(shift)
    assert day is not None
    if shift.start is None:
        return f"{shift.worker_id} {day:%a} {day} {shift.pay_type} {hours2(shift.entry_hours)} h"
    begin = local(shift.start, shift.timezone).strftime("%H:%M")
    if shift.end is None:
        return f"{shift.worker_id} {day:%a} {day} {begin} (no out-punch)"
    if shift.end == shift.start:
        return f"{shift.worker_id} {day:%a} {day} {begin} (a lone punch)"
    return f"{shift.worker_id} {day:%a} {day} {begin}-{local(shift.end, shift.timezone):%H:%M}"


# --- which dates ------------------------------------------------------------------


def earliest_work(uow: UnitOfWork, worker: Worker) -> date | None:
    """The local date of the worker's first recorded work (a punch, a manual entry or an earning in force:
    a bonus dated before the first paid date is paid by the next run, not stranded), or None."""
    found: list[date] = []
    (first_earning,) = uow.ledger.connection.execute(
        "SELECT min(day) FROM earnings WHERE worker_id = ? AND voided_seq IS NULL", (worker.worker_id,)
    ).fetchone()
    if first_earning is not None:
        found.append(date.fromisoformat(first_earning))
    row = uow.ledger.connection.execute(
        "SELECT json_extract(payload, '$.at'), json_extract(payload, '$.location_id') FROM events "
        f"WHERE kind = 'punch.recorded' AND worker_id = ? AND {PUNCH_IN_RANGE} "
        "ORDER BY json_extract(payload, '$.at') LIMIT 1",
        (worker.worker_id,),
    ).fetchone()
    if row is not None:
        from ot.core.timez import from_iso_utc

        loc = uow.locations.get(row[1] or worker.location_id)
        found.append(local_date(from_iso_utc(row[0]), loc.timezone if loc else "UTC"))
    for e in uow.reads.shift_entries(worker_id=worker.worker_id):
        if e.day is not None:
            found.append(e.day)
        elif e.start is not None:
            loc = uow.locations.get(e.location_id or worker.location_id)
            found.append(local_date(e.start, loc.timezone if loc else "UTC"))
    return min(found) if found else None


def unpaid_ranges(uow: UnitOfWork, worker: Worker, period: PayPeriod) -> tuple[tuple[date, date], ...]:
    """The worker's unpaid dates a pay run of ``period`` pays: one or two ranges, or none."""
    paid = uow.pay.paid_range(worker.worker_id)
    earliest = earliest_work(uow, worker)
    if paid is None:
        start = min(period.start, earliest) if earliest is not None else period.start
        return ((start, period.end),) if start <= period.end else ()
    first, last = paid
    out: list[tuple[date, date]] = []
    if earliest is not None and earliest < first:
        out.append((earliest, first - DAY))
    if last < period.end:
        out.append((last + DAY, period.end))
    return tuple(out)


def _in(day: date, ranges: Sequence[tuple[date, date]]) -> bool:
    for a, b in ranges:  # noqa: SIM110 - a loop, not any() over a generator: called for every line of every draft
        if a <= day <= b:
            return True
    return False


@lru_cache(maxsize=64)
def _days(ranges: tuple[tuple[date, date], ...]) -> frozenset[date]:
    """Every date of these ranges (the drafts of a run share one or two sets of ranges): a set look-up
    per line instead of :func:`_in`'s comparisons, for every line of every draft."""
    return frozenset(a + timedelta(days=i) for a, b in ranges for i in range((b - a).days + 1))


# --- drafts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Adjustment:
    """A date paid before whose lines now price differently (the same workweek's later hours).

    Attributes:
        week_start: The workweek.
        day: The date.
        original: What it was paid.
        corrected: What it now owes.
    """

    week_start: date
    day: date
    original: tuple[PaidLine, ...]
    corrected: tuple[PaidLine, ...]

    @property
    def difference(self) -> Decimal:
        """Owed minus paid."""
        return sum((ln.amount for ln in self.corrected), ZERO_CENTS) - sum(
            (ln.amount for ln in self.original), ZERO_CENTS
        )


@dataclass(frozen=True)
class Draft:
    """What a worker's timecard of a pay period holds now.

    Attributes:
        worker: The worker.
        period: The pay period.
        ranges: The unpaid dates it pays (one or two ranges; empty: nothing left to pay).
        shifts: Worked shifts with hours on those dates (or starting on them).
        leave: PTO/SICK/HOLIDAY entries on those dates.
        corrections: Open corrections the pay run settles.
        lines: The engine's lines dated on those dates.
        weeks: The priced workweeks that overlap them.
        adjustments: Earlier paid dates of those workweeks that now price differently.
        blockers: Why the timecard cannot be approved or paid now.
        carried: Open overpayments this timecard cannot deduct from (nothing to pay).
    """

    worker: Worker
    period: PayPeriod
    ranges: tuple[tuple[date, date], ...]
    shifts: tuple[Shift, ...] = ()
    leave: tuple[Shift, ...] = ()
    corrections: tuple[Correction, ...] = ()
    lines: tuple[PayLine, ...] = ()
    weeks: tuple[PricedWeek, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    blockers: tuple[Problem, ...] = ()
    carried: tuple[Correction, ...] = field(default=())
    #: (shift_id, version) of ``shifts`` then ``leave``, when already computed (else :attr:`versions` computes them).
    shift_versions: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    @property
    def worker_id(self) -> str:
        """Whose."""
        return self.worker.worker_id

    @property
    def pay_from(self) -> date | None:
        """The first unpaid date it pays."""
        return self.ranges[0][0] if self.ranges else None

    @property
    def gross(self) -> Decimal:
        """Sum of the lines on the dates it pays."""
        return sum((ln.amount for ln in self.lines), ZERO_CENTS)

    @property
    def versions(self) -> frozenset[tuple[str, str]]:
        """(shift_id, version) of every shift and leave entry it holds."""
        if self.shift_versions:
            return frozenset(self.shift_versions)
        return frozenset((s.shift_id, shift_version(s)) for s in (*self.shifts, *self.leave))

    @property
    def correction_balances(self) -> tuple[tuple[str, str], ...]:
        """(correction_id, open balance) of the corrections it settles."""
        return tuple((c.correction_id, str(c.balance)) for c in self.corrections)

    @property
    def has_pay(self) -> bool:
        """Whether it holds anything to pay: hours, leave, lines, corrections or adjustments."""
        return bool(self.shifts or self.leave or self.lines or self.adjustments or self._settles_something)

    @property
    def _settles_something(self) -> bool:
        return any(c.kind == "underpayment" for c in self.corrections) or (
            bool(self.corrections) and (self.gross > 0 or bool(self.adjustments))
        )

    @property
    def ready(self) -> bool:
        """Nothing blocks it and it holds something to pay."""
        return not self.blockers and self.has_pay

    def hours(self) -> Decimal:
        """Hours worked and of paid leave on its dates."""
        return sum((ln.hours for ln in self.lines if counts_hours(ln.hour_class)), ZERO)


def _blockers(
    uow: UnitOfWork,
    shifts: Sequence[Shift],
    versions: Sequence[str] | None = None,
    approvals: Mapping[str, ShiftApproval] | None = None,
) -> list[Problem]:
    """What blocks these shifts (``versions``: their :func:`shift_version`, in order, when known;
    ``approvals``: their step-1 approvals by shift id, when read already)."""
    problems: list[Problem] = []
    if approvals is None:
        approvals = uow.pay.shift_approvals([s.shift_id for s in shifts])
    for i, s in enumerate(shifts):
        where = f"shift {s.shift_id}"
        flagged = [x for x in s.exceptions if x in EXCEPTIONS]
        if flagged:
            fixes = "; ".join(FIXES.get(x, "fix it").format(w=s.worker_id) for x in flagged)
            problems.append(Problem(where, f"{describe_shift(s)} has {', '.join(flagged)}: {fixes}"))
            continue
        if s.pay_type in LEAVE_TYPES:
            continue
        a = approvals.get(s.shift_id)
        if a is None or a.version != (versions[i] if versions is not None else shift_version(s)):
            problems.append(
                Problem(
                    where,
                    f"{describe_shift(s)} is not approved (step 1): "
                    f"run `ot approve shifts --shift {s.shift_id}` as their manager or an admin",
                )
            )
    return problems


def _week_start_of(uow: UnitOfWork, day: date) -> date:
    start_day, _ = workweek_of(uow.history.book_on(day), day)
    return week_start(day, start_day)


def _adjustments(
    uow: UnitOfWork, worker_id: str, weeks: Sequence[PricedWeek], ranges: Sequence[tuple[date, date]]
) -> list[Adjustment]:
    """Earlier paid dates of the touched weeks whose lines differ from what they were paid."""
    paid = uow.pay.paid_range(worker_id)
    if paid is None:
        return []
    out: list[Adjustment] = []
    for pw in weeks:
        start = pw.result.week_start
        days = [start + timedelta(days=i) for i in range(7)]
        old = [d for d in days if paid[0] <= d <= paid[1] and not _in(d, ranges)]
        if not old or not any(_in(d, ranges) for d in days):
            continue
        basis = uow.pay.paid_week(worker_id, start)
        for d in old:
            original = tuple(basis.lines.get(d, ())) if basis else ()
            corrected = tuple(paid_line(ln) for ln in pw.result.lines if ln.date == d)
            if by_class(original) != by_class(corrected):
                out.append(Adjustment(start, d, original, corrected))
    return out


@dataclass(frozen=True)
class Priced:
    """A run a caller already priced, that :func:`drafts` may take instead of pricing the same weeks
    again (the approval queue prices the period's weeks for its shifts, then drafts its timecards):
    ``run`` priced the workers ``ids`` from ``start`` to ``end``, with the :class:`Window` of the day
    before ``start`` to ``end``."""

    ids: frozenset[str]
    start: date
    end: date
    run: PriceRun

    def covers(self, wids: Sequence[str], start: date, end: date) -> bool:
        """Whether these workers' weeks from ``start`` to ``end``, and their shifts, are all in the run."""
        return (start, end) == (self.start, self.end) and self.run.window is not None and self.ids.issuperset(wids)


def drafts(
    uow: UnitOfWork,
    period: PayPeriod,
    worker_ids: Sequence[str] | None = None,
    on_draft: Callable[[Draft], object] | None = None,
    priced: Priced | None = None,
) -> list[Draft]:
    """The draft timecard of each worker (every worker in the roster when None) for ``period``.

    Workers with nothing unpaid up to the period's end are left out; so are
    workers whose unpaid dates hold no work, no leave and no correction.

    ``on_draft``: the caller's work on a draft as soon as it is known, while a pool prices the
    next workers (a pay run settles it). It sees some of the drafts, in the order returned, each
    the very object returned; those it does not see, and any a refusal made priced again, it
    does not: its work must be redone for a draft it has not seen (``is`` tells).

    ``priced``: a run the caller has (:class:`Priced`); a group of workers it covers is not priced again."""
    ids = sorted(uow.roster) if worker_ids is None else [w for w in dict.fromkeys(worker_ids) if w in uow.roster]
    ranges: dict[str, tuple[tuple[date, date], ...]] = {}
    for wid in ids:
        r = unpaid_ranges(uow, uow.roster[wid], period)
        if r:
            ranges[wid] = r
    # Price in batches of workers that share the same unpaid ranges (usually all of them).
    groups: dict[tuple[tuple[date, date], ...], list[str]] = {}
    for wid, r in ranges.items():
        groups.setdefault(r, []).append(wid)
    out: dict[str, Draft] = {}
    for r, wids in groups.items():
        for d in _group(uow, period, r, wids, on_draft if len(groups) == 1 else None, priced):
            out[d.worker_id] = d
    return [out[w] for w in ids if w in out]


def _price(
    uow: UnitOfWork,
    wids: Sequence[str],
    start: date,
    end: date,
    meanwhile: Callable[[], object] | None = None,
    window: Window | None = None,
    on_part: Callable[[Sequence[PricedWeek], Mapping[str, tuple[tuple[Shift, str], ...]]], object] | None = None,
) -> tuple[dict[str, list[PricedWeek]], dict[str, Problem], dict[str, tuple[tuple[Shift, str], ...]] | None]:
    """Priced weeks by worker; a worker the engine cannot price gets a problem instead (alone).
    ``meanwhile``: this process's own work while a pool prices (:meth:`UnitOfWork.price`);
    ``window``: also each worker's shifts over it with their versions, when the run gives them."""
    weeks: dict[str, list[PricedWeek]] = {w: [] for w in wids}
    failed: dict[str, Problem] = {}
    try:
        run = uow.price(wids, start, end, meanwhile=meanwhile, window=window, on_part=on_part)
    except PoolCrashed:
        raise
    except OtError:
        if len(wids) == 1:
            raise
        for w in wids:
            one, bad, _ = _price(uow, [w], start, end)
            weeks.update(one)
            failed.update(bad)
        return weeks, failed, None
    for pw in run.weeks:
        weeks[pw.worker.worker_id].append(pw)
    return weeks, failed, run.window


def _price_one(uow: UnitOfWork, wid: str, start: date, end: date) -> tuple[list[PricedWeek], Problem | None]:
    try:
        weeks, _, _ = _price(uow, [wid], start, end)
    except PoolCrashed:
        raise
    except OtError as exc:
        text = "; ".join(str(p) for p in exc.problems) or exc.message
        return [], Problem(f"timecard {wid}", f"cannot be priced: {text}")
    return weeks[wid], None


@dataclass(frozen=True)
class _Facts:
    """What the drafts of a group read besides the prices: each worker's shifts from the day before the
    group's first date (a night shift into it) to its last, each shift's version and its approval."""

    shifts: dict[str, list[Shift]]
    versions: dict[int, str]  # id(shift) -> shift_version(shift)
    approvals: dict[str, ShiftApproval]


def _facts(uow: UnitOfWork, wids: Sequence[str], first: date, last: date) -> _Facts:
    """The :class:`_Facts` of these workers, read and worked out in this process (what a pay run's
    parent does while its pool prices when the pool cannot pair them: the same shifts, in the same order)."""
    shifts = uow.shifts(wids, first, last, jobs=1)
    return _facts_of(uow, {}, shifts, {id(sh): shift_version(sh) for sh in shifts})


def _facts_of(
    uow: UnitOfWork,
    paired: Mapping[str, tuple[tuple[Shift, str], ...]],
    shifts: Sequence[Shift] = (),
    versions: dict[int, str] | None = None,
) -> _Facts:
    """The :class:`_Facts` of shifts paired with their versions by a price run's :class:`Window`
    (``paired``), or of ``shifts`` and their ``versions``."""
    by_worker: dict[str, list[Shift]] = {}
    known = dict(versions or {})
    for wid, found in paired.items():
        by_worker[wid] = [sh for sh, _ in found]
        known.update((id(sh), v) for sh, v in found)
    for sh in shifts:
        by_worker.setdefault(sh.worker_id, []).append(sh)
    ids = [sh.shift_id for mine in by_worker.values() for sh in mine]
    return _Facts(by_worker, known, uow.pay.shift_approvals(ids))


def _group(
    uow: UnitOfWork,
    period: PayPeriod,
    ranges: tuple[tuple[date, date], ...],
    wids: list[str],
    on_draft: Callable[[Draft], object] | None = None,
    priced: Priced | None = None,
) -> list[Draft]:
    start, end = ranges[0][0], ranges[-1][1]
    # One batch over the whole span when the ranges are close; else each range apart.
    spans = [(start, end)] if (end - start).days <= 62 else list(ranges)
    weeks: dict[str, list[PricedWeek]] = {w: [] for w in wids}
    problems: dict[str, Problem] = {}
    # The timecards' shifts (from the day before: a night shift into the first date): paired with the
    # weeks when one span is priced (by the pool's children, with --jobs); else here, while they price.
    facts: Once[_Facts] = Once(lambda: _facts(uow, wids, start - DAY, end))
    window = Window(start - DAY, end) if len(spans) == 1 else None
    paired: dict[str, tuple[tuple[Shift, str], ...]] | None = None
    # With one span, each chunk's drafts as the pool hands it back (the same as the ones built at the
    # end from the whole run: the same weeks and shifts, their facts read the same way).
    built: dict[str, Draft] = {}

    def part_drafts(part: Sequence[PricedWeek], shifts: Mapping[str, tuple[tuple[Shift, str], ...]]) -> None:
        mine: dict[str, list[PricedWeek]] = {}
        for pw in part:
            mine.setdefault(pw.worker.worker_id, []).append(pw)
        for w in shifts:
            mine.setdefault(w, [])
        known = _facts_of(uow, shifts)
        for w, ws in mine.items():
            ws.sort(key=lambda pw: pw.result.week_start)
            d = built[w] = _draft(uow, period, ranges, w, ws, known.shifts.get(w, []), None, known)
            if on_draft is not None:
                on_draft(d)

    stream = part_drafts if window is not None and on_draft is not None else None
    for a, b in spans:
        if priced is not None and window is not None and priced.covers(wids, a, b):
            got: dict[str, list[PricedWeek]] = {w: [] for w in wids}
            for pw in priced.run.weeks:
                if pw.worker.worker_id in got:
                    got[pw.worker.worker_id].append(pw)
            assert priced.run.window is not None  # (covers says so)
            bad: dict[str, Problem] = {}
            paired = {w: found for w, found in priced.run.window.items() if w in got}
            weeks.update(got)
            continue
        try:
            got, bad, paired = _price(
                uow, wids, a, b, meanwhile=None if window else facts, window=window, on_part=stream
            )
        except PoolCrashed:
            raise
        except OtError:
            got, bad = {}, {}
            for w in wids:
                one, problem = _price_one(uow, w, a, b)
                got[w] = one
                if problem:
                    bad[w] = problem
        for w, ws in got.items():
            seen = {pw.result.week_start for pw in weeks[w]}
            weeks[w].extend(pw for pw in ws if pw.result.week_start not in seen)
        problems.update(bad)
    if paired is None or problems:  # priced again after a refusal: what was built from the chunks is not the run
        built.clear()
    rest = [w for w in wids if w not in built]
    if not rest:
        return [built[w] for w in wids]
    known = _facts_of(uow, {w: paired[w] for w in rest if w in paired}) if paired is not None else facts()
    return [
        built.get(wid)
        or _draft(uow, period, ranges, wid, weeks[wid], known.shifts.get(wid, []), problems.get(wid), known)
        for wid in wids
    ]


def _draft(
    uow: UnitOfWork,
    period: PayPeriod,
    ranges: tuple[tuple[date, date], ...],
    wid: str,
    weeks: list[PricedWeek],
    shifts: list[Shift],
    problem: Problem | None,
    facts: _Facts | None = None,
) -> Draft:
    worker = uow.roster[wid]
    days = _days(ranges)
    lines = tuple(ln for pw in weeks for ln in pw.result.lines if ln.date in days)
    with_lines = {sid for ln in lines for sid in ln.shift_ids}
    relevant: list[Shift] = []
    for s in shifts:
        day = shift_day(s)
        if s.shift_id in with_lines or (day is not None and day in days):
            relevant.append(s)
    worked = tuple(s for s in relevant if s.pay_type not in LEAVE_TYPES)
    leave = tuple(s for s in relevant if s.pay_type in LEAVE_TYPES)
    # Each shift's hash once: the blockers, the timecard.
    known = facts.versions if facts is not None else {}
    version = {id(s): known.get(id(s)) or shift_version(s) for s in relevant}
    blockers = _blockers(uow, relevant, [version[id(s)] for s in relevant], facts.approvals if facts else None)
    if problem is not None:
        blockers.append(problem)
    open_ = uow.pay.open_corrections(wid)
    settle_now = tuple(c for c in open_ if c.kind == "overpayment" or c.timeframe == "NEXT_PAYROLL_PAYMENT")
    adjustments = tuple(_adjustments(uow, wid, weeks, ranges)) if problem is None else ()
    draft = Draft(
        worker=worker,
        period=period,
        ranges=ranges,
        shifts=worked,
        leave=leave,
        corrections=settle_now,
        lines=lines,
        weeks=tuple(weeks),
        adjustments=adjustments,
        blockers=tuple(blockers),
        shift_versions=tuple((s.shift_id, version[id(s)]) for s in (*worked, *leave)),
    )
    if not draft.has_pay and settle_now:
        return Draft(worker=worker, period=period, ranges=ranges, carried=settle_now)
    return draft


def timecard_difference(card: TimecardApproval | None, draft: Draft) -> str | None:
    """Why an approved timecard no longer matches what its worker's dates hold (None: it matches)."""
    if card is None:
        return "not approved (step 2): run `ot approve timecards --period DATE --worker ...` as an admin"
    changes: list[str] = []
    if draft.pay_from is not None and card.pay_from != draft.pay_from:
        changes.append(f"it was approved from {card.pay_from}, the unpaid dates now begin {draft.pay_from}")
    if card.period_end != draft.period.end:
        changes.append(f"it was approved through {card.period_end}, the period ends {draft.period.end}")
    now = draft.versions
    shifts = {s.shift_id: s for s in (*draft.shifts, *draft.leave)}
    changed = sorted(
        {describe_shift(shifts[sid]) for sid, v in now if (sid, v) not in card.versions}
        | {f"{sid} (gone or moved)" for sid, v in card.versions if (sid, v) not in now and sid not in shifts}
    )
    if changed:
        changes.append("shifts changed: " + "; ".join(changed))
    if tuple(sorted(card.corrections)) != tuple(sorted(draft.correction_balances)):
        changes.append("its open corrections changed")
    if changes:
        return f"changed since it was approved ({'; '.join(changes)}): approve it again"
    return None


# --- what a draft pays --------------------------------------------------------------


@dataclass(frozen=True)
class WorkerPay:
    """One worker's pay in a run (or its preview).

    Attributes:
        draft: The timecard it pays.
        weeks: Per touched workweek: (week_start, rules_file, rules_sha256, lines on the new dates).
        gross: Sum of the lines of the new dates.
        adjustments: Corrections this run records for earlier dates of the touched workweeks
            (payload dicts, recorded before the payment).
        settled: (correction id, kind, amount settled now) for each correction it settles.
        additions: Underpayments paid with it (listed and adjustments).
        deductions: Overpayments withheld.
        net: Paid out.
        carried: (correction id, amount still open after this pay) of overpayments carried forward.
        stub: The pay stub as it will be issued.
    """

    draft: Draft
    weeks: tuple[tuple[date, str, str, tuple[PaidLine, ...]], ...]
    gross: Decimal
    adjustments: tuple[Mapping[str, Any], ...]
    settled: tuple[tuple[str, str, Decimal], ...]
    additions: Decimal
    deductions: Decimal
    net: Decimal
    carried: tuple[tuple[str, Decimal], ...]
    stub: PayStub

    @property
    def worker_id(self) -> str:
        """Whose."""
        return self.draft.worker_id


def _adjustment_payloads(uow: UnitOfWork, draft: Draft, first_id: int, reason: str) -> list[dict[str, Any]]:
    """One correction payload per workweek with adjustments (ids ``C<first_id>``, ``C<first_id+1>``...)."""
    out: list[dict[str, Any]] = []
    by_week: dict[date, list[Adjustment]] = {}
    for a in draft.adjustments:
        by_week.setdefault(a.week_start, []).append(a)
    n = first_id
    for week, adjs in sorted(by_week.items()):
        paid = sum((ln.amount for a in adjs for ln in a.original), ZERO_CENTS)
        owed = sum((ln.amount for a in adjs for ln in a.corrected), ZERO_CENTS)
        difference = owed - paid
        pw = next(p for p in draft.weeks if p.result.week_start == week)
        out.append(
            {
                "correction_id": f"C{n}",
                "worker_id": draft.worker_id,
                "week_start": week.isoformat(),
                "kind": "underpayment" if difference >= 0 else "overpayment",
                "timeframe": "NEXT_PAYROLL_PAYMENT",
                "reason": reason,
                "shift_id": "",
                "action": "workweek",
                "paid_gross": str(paid),
                "corrected_gross": str(owed),
                "amount": str(abs(difference)),
                "rules_file": pw.rules_file,
                "rules_sha256": pw.rules_sha256,
                "dates": [
                    {
                        "date": a.day.isoformat(),
                        "original": by_class(a.original),
                        "corrected": by_class(a.corrected),
                        "original_amount": str(sum((ln.amount for ln in a.original), ZERO_CENTS)),
                        "corrected_amount": str(sum((ln.amount for ln in a.corrected), ZERO_CENTS)),
                    }
                    for a in adjs
                ],
                "corrected_lines": [line_payload(ln) for a in adjs for ln in a.corrected],
            }
        )
        n += 1
    return out


def correction_entries(
    correction_id: str,
    kind: str,
    timeframe: str,
    shift_id: str,
    action: str,
    reason: str,
    dates: Sequence[Mapping[str, Any]],
) -> list[CorrectionEntry]:
    """One stub entry per corrected date of a correction (their differences add up to it)."""

    def hours(items: Sequence[Mapping[str, Any]]) -> Decimal:
        return sum((Decimal(x["minutes"]) / 60 for x in items if counts_hours(str(x["class"]))), ZERO)

    what = f"shift {shift_id} {action}" if shift_id else action
    label = "adjustment" if action == "workweek" else "correction"
    return [
        CorrectionEntry(
            day=date.fromisoformat(d["date"]),
            original_hours=hours(d["original"]),
            corrected_hours=hours(d["corrected"]),
            original_amount=Decimal(d["original_amount"]),
            corrected_amount=Decimal(d["corrected_amount"]),
            settlement="DEDUCTION" if kind == "overpayment" else timeframe,
            note=f"{correction_id}: {what} ({reason})",
            label=label,
        )
        for d in dates
    ]


def settings_notes(uow: UnitOfWork) -> list[str]:
    """Remarks every stub carries about the ledger's settings (the default pay calendar)."""
    if uow.settings.hint:
        return ["Pay periods are not configured: biweekly periods from 2026-10-11 are assumed."]
    return []


def settle(
    uow: UnitOfWork,
    draft: Draft,
    *,
    first_correction_id: int,
    notes: Sequence[str] = (),
    display_policy: str = DEFAULT_DISPLAY_POLICY,
) -> WorkerPay:
    """What a draft pays: gross, the workweek adjustments as corrections, the settlements, the net, the stub
    (its Display rate column filled by ``display_policy`` where no shift sets one, :mod:`ot.stubs.build`)."""
    days = _days(draft.ranges)
    weeks = tuple(
        (
            pw.result.week_start,
            pw.rules_file,
            pw.rules_sha256,
            tuple(paid_line(ln) for ln in pw.result.lines if ln.date in days),
        )
        for pw in draft.weeks
    )
    gross = draft.gross
    adjustments = _adjustment_payloads(
        uow,
        draft,
        first_correction_id,
        "hours worked after the last pay run changed this workweek's pay for dates already paid "
        "(29 CFR 778.104, 778.115)",
    )
    open_: list[tuple[str, str, str, Decimal, Sequence[Mapping[str, Any]], str, str, str]] = []
    for c in draft.corrections:
        open_.append((c.correction_id, c.kind, c.timeframe, c.balance, c.dates, c.shift_id, c.action, c.reason))
    for a in adjustments:
        open_.append(
            (
                a["correction_id"],
                a["kind"],
                a["timeframe"],
                Decimal(a["amount"]),
                a["dates"],
                "",
                "workweek",
                a["reason"],
            )
        )
    additions = deductions = ZERO_CENTS
    settled: list[tuple[str, str, Decimal]] = []
    carried: list[tuple[str, Decimal]] = []
    entries: list[CorrectionEntry] = []
    for cid, kind, timeframe, balance, dates, sid, action, reason in open_:
        if kind == "underpayment" and balance > 0:
            additions += balance
            settled.append((cid, kind, balance))
            entries.extend(correction_entries(cid, kind, timeframe, sid, action, reason, dates))
    for cid, kind, timeframe, balance, dates, sid, action, reason in open_:
        if kind != "overpayment" or balance <= 0:
            continue
        available = gross + additions - deductions
        take = min(balance, max(available, ZERO_CENTS))
        if take > 0:
            deductions += take
            settled.append((cid, kind, take))
            entries.extend(correction_entries(cid, kind, timeframe, sid, action, reason, dates))
        if take < balance:
            carried.append((cid, balance - take))
    net = gross + additions - deductions
    stub_notes = [*settings_notes(uow), *notes]
    for cid, left in carried:
        stub_notes.append(f"Overpayment {cid}: {left} is still owed and will be deducted from a later pay.")
    left_by_id = dict(carried)
    stub_settled = [
        StubSettlement(cid, kind, amount if kind == "underpayment" else -amount, left_by_id.get(cid, ZERO_CENTS))
        for cid, kind, amount in settled
    ]
    stub_settled.extend(
        StubSettlement(cid, "overpayment", ZERO_CENTS, left)
        for cid, left in carried
        if cid not in {x[0] for x in settled}
    )
    entries.extend(_external_entries(uow, draft.worker_id))
    stub = _stub(uow, draft, entries, stub_notes, stub_settled, display_policy)
    return WorkerPay(
        draft=draft,
        weeks=weeks,
        gross=gross,
        adjustments=tuple(adjustments),
        settled=tuple(settled),
        additions=additions,
        deductions=deductions,
        net=net,
        carried=tuple(carried),
        stub=stub,
    )


def _external_entries(uow: UnitOfWork, worker_id: str) -> list[CorrectionEntry]:
    """Underpayments paid outside ot since the worker's last regular pay: shown, marked, not paid out."""
    since = uow.pay.last_regular_payment_seq(worker_id)  # seeks, not every payment and correction: no history read
    out: list[CorrectionEntry] = []
    for c in uow.pay.corrections_since(worker_id, since):
        if c.kind == "underpayment" and c.timeframe == "EXTERNALLY_PAID":
            out.extend(
                correction_entries(c.correction_id, c.kind, c.timeframe, c.shift_id, c.action, c.reason, c.dates)
            )
    return out


def _stub(
    uow: UnitOfWork,
    draft: Draft,
    entries: Sequence[CorrectionEntry],
    notes: Sequence[str],
    settled: Sequence[StubSettlement] = (),
    display_policy: str = DEFAULT_DISPLAY_POLICY,
) -> PayStub:
    period = draft.period
    first = draft.ranges[0][0] if draft.ranges else period.start
    last = draft.ranges[-1][1] if draft.ranges else period.end
    if first < period.start:
        period = replace(period, start=first)
        notes = [f"This pay includes unpaid dates before the period, from {first}.", *notes]
    if last > period.end:  # work before the worker's paid dates, caught up by an earlier period's run
        period = replace(period, end=last)
        notes = [f"This pay includes unpaid dates after the period, to {last}.", *notes]
    days = _days(draft.ranges)
    display = {s.shift_id: s.display_rate for pw in draft.weeks for s in pw.shifts if s.display_rate is not None}
    week_rates: dict[date, Decimal] = {}
    for pw in draft.weeks:
        if any(ln.date in days for ln in pw.result.lines) and pw.result.hours_worked > 0:
            week_rates[pw.result.week_start] = pw.result.regular_rate
    return make_stub(
        employer=uow.employer,
        worker_id=draft.worker_id,
        worker_name=draft.worker.name,
        worker_type=draft.worker.type,
        period=period,
        lines=[stub_line(ln, uow.locations) for ln in draft.lines],
        rates=rates_in_effect(
            draft.lines, display, display_fallback(display_policy, draft.worker, (pw.result for pw in draft.weeks))
        ),
        week_rates=[WeekRate(w, r) for w, r in week_rates.items()],
        corrections=entries,
        notes=notes,
        settled=settled,
    )
