"""Price workweeks from the ledger: punches and manual entries -> shifts -> the engine.

The one place that turns what the ledger holds into the engine's input, so
that ``ot explain``, pay stubs, approvals and pay runs all price a week the
same way:

- shifts: each worker's punches paired by :func:`ledger.pairing.pair_punches`
  (with the break types of the rules in force), plus manual entries;
- rules: the file in force on each workweek's first day
  (:class:`ot.services.ruleset.RulesHistory`);
- the workweek: the start day and time of the federal rules in force.

Shifts flagged with a missing out-punch have no end and are not priced; the
engine reports them in ``PayResult.skipped`` and they are passed through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from ledger.pairing import pair_punches
from ledger.store import Ledger, Writer
from ot.core.domain import DEFAULT_UNPAID, Location, Shift, Worker
from ot.core.errors import OtError, Problem
from ot.core.timez import local, week_start
from ot.services.ruleset import RulesHistory
from ot.services.shifts import entry_shift
from rules.engine import price
from rules.engine.results import WeekResult
from rules.model import FEDERAL, NoRulesInForce, RuleBook

__all__ = [
    "PriceRun",
    "PricedWeek",
    "Reads",
    "price_open",
    "price_weeks",
    "shift_day",
    "shifts_in_force",
    "workweek_of",
]

#: How far around a range shifts are loaded, so that consecutive-hours and
#: rolling-24-hour rules see the work just before a week.
MARGIN = timedelta(days=3)


@dataclass(frozen=True)
class PricedWeek:
    """One worker's workweek, priced.

    Attributes:
        worker: The worker.
        result: The engine's week (lines, hours by class, regular rate, gross, explanation).
        shifts: The week's shifts (those that start in it), in time order.
        rules_file: Name of the rules file in force on the week's first day.
        rules_sha256: Its content hash.
    """

    worker: Worker
    result: WeekResult
    shifts: tuple[Shift, ...]
    rules_file: str
    rules_sha256: str


@dataclass(frozen=True)
class PriceRun:
    """Workweeks priced over a range of dates.

    Attributes:
        weeks: Every (worker, week) with work, by worker then week start.
        roster: Worker id -> Worker, as the ledger knows them.
        locations: Location id -> Location.
        skipped: (where, why) of shifts that could not be priced (no end yet).
    """

    weeks: tuple[PricedWeek, ...]
    roster: dict[str, Worker]
    locations: dict[str, Location]
    skipped: tuple[tuple[str, str], ...]

    def week(self, worker_id: str, week_start: date) -> PricedWeek | None:
        """The priced week of ``worker_id`` that starts on ``week_start``."""
        for w in self.weeks:
            if w.worker.worker_id == worker_id and w.result.week_start == week_start:
                return w
        return None


def workweek_of(book: RuleBook, day: date) -> tuple[int, time]:
    """(start day 0=Monday..6=Sunday, local start time) of the workweek in force on ``day``."""
    try:
        fed = book.effective(FEDERAL, day)
    except NoRulesInForce:
        return 6, time(0, 0)
    return fed.workweek_start_day, fed.workweek_start_time


def shift_day(shift: Shift) -> date | None:
    if shift.start is not None:
        return local(shift.start, shift.timezone).date()
    return shift.day


Reads = Ledger | Writer


def _break_table(history: RulesHistory, home: Location | None, first: date, last: date) -> dict[str, bool]:
    """Break type code -> paid of every rules file in force from ``first`` to ``last`` (a later file's
    declaration wins), in the state of the worker's default location."""
    days = [first, *(v.effective for v in history.adopted if first < v.effective <= last)]
    table: dict[str, bool] = {}
    for day in days:
        try:
            rules = history.book_on(day).effective(home.state if home else FEDERAL, day)
        except NoRulesInForce:
            continue
        table.update({bt.code: bt.paid for bt in rules.break_types})
    return table


def shifts_in_force(
    reads: Reads,
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    history: RulesHistory,
    worker_ids: Iterable[str],
    first: date,
    last: date,
    break_types: Mapping[str, bool] | None = None,
) -> list[Shift]:
    """Every shift in force of these workers that starts on a local date in ``[first, last]``.

    Punches paired with the break types in force, plus manual entries; a
    manual entry whose id is a punched shift's (an edit, or a deletion, of a
    punched shift) replaces the paired shift. Sorted by worker, then time.
    Only the punches around the range are read, so a week costs the same on a
    ledger of any size.
    """
    # Punches from a day before the range to three days after it (UTC midnights, so
    # that every zone's local dates are covered and a shift that starts on the last
    # day has its out-punch): a shift that began before the window pairs as an
    # orphan out-punch on a day before ``first``, which the range leaves out.
    lo = datetime.combine(first - timedelta(days=1), time(0, 0), UTC)
    hi = datetime.combine(last + timedelta(days=3), time(0, 0), UTC)
    out: list[Shift] = []
    for wid in worker_ids:
        worker = roster[wid]
        home = locations.get(worker.location_id)
        table = dict(break_types) if break_types is not None else _break_table(history, home, first, last)
        table.setdefault(DEFAULT_UNPAID, False)
        entries = reads.shift_entries(worker_id=wid, include_deleted=True)
        replaced = {e.shift_id for e in entries}
        manual = [entry_shift(e, worker, locations) for e in entries if not e.deleted]
        paired = [
            s
            for s in pair_punches(
                reads.punches(worker_id=wid, start=lo, end=hi), worker, locations, table, others=manual
            )
            if s.shift_id not in replaced
        ]
        for s in (*paired, *manual):
            d = shift_day(s)
            if d is not None and first <= d <= last:
                out.append(s)
    out.sort(key=lambda s: (s.worker_id, shift_day(s) or first, s.start.isoformat() if s.start else "", s.shift_id))
    return out


def scheduled_of(reads: Reads, book: RuleBook, shifts: Sequence[Shift]) -> dict[str, dict[date, Decimal]]:
    """The hours the workers' schedules give the days of these shifts (each shift's day and the next, for a
    shift past midnight), when the rules have reporting-time pay (Wage Order section 5(A)); else none."""
    if not any(rs.reporting_time is not None for _name, sets in book.versions for rs in sets):
        return {}
    days: dict[str, set[date]] = {}
    for s in shifts:
        day = shift_day(s)
        if day is not None:
            days.setdefault(s.worker_id, set()).update((day, day + timedelta(days=1)))
    return reads.scheduled_hours(days)


def price_open(
    reads: Reads,
    roster: dict[str, Worker],
    locations: dict[str, Location],
    history: RulesHistory,
    worker_ids: Sequence[str],
    start: date,
    end: date,
) -> PriceRun:
    """Price every workweek overlapping ``[start, end]`` of these workers, over an open
    ledger (or an open write transaction, so that a correction is priced with the
    change it makes). Whole workweeks, each with the rules file in force on its first day."""
    ids = list(dict.fromkeys(worker_ids))
    start_day, _ = workweek_of(history.book_on(start), start)
    week = week_start(start, start_day)
    groups: list[tuple[str, list[date]]] = []
    while week <= end:
        sha = history.text_on(week).sha256
        if groups and groups[-1][0] == sha:
            groups[-1][1].append(week)
        else:
            groups.append((sha, [week]))
        week += timedelta(days=7)
    weeks: list[PricedWeek] = []
    skipped: list[tuple[str, str]] = []
    for _sha, starts in groups:
        first, last = starts[0], starts[-1] + timedelta(days=6)
        book = history.book_on(first)
        rules = history.text_on(first)
        earnings = reads.earnings(ids, first, last)
        # A bonus earned over earlier weeks (29 CFR 778.209) needs their hours: load them as context.
        since = min((e.period_start for e in earnings if e.period_start is not None), default=first)
        shifts = shifts_in_force(reads, roster, locations, history, ids, min(since, first) - MARGIN, last + MARGIN)
        wanted = set(starts)
        result = price(
            shifts,
            {w: roster[w] for w in ids},
            book,
            earnings=earnings,
            workweek=workweek_of(book, first),
            only_weeks=wanted,
            scheduled=scheduled_of(reads, book, shifts),
        )
        skipped.extend(result.skipped)
        by_week: dict[tuple[str, date], list[Shift]] = {}
        for s in shifts:
            d = shift_day(s)
            if d is not None:
                by_week.setdefault((s.worker_id, week_start(d, start_day)), []).append(s)
        for wr in result.workers:
            for wk in wr.weeks:
                if wk.week_start in wanted:
                    own = tuple(by_week.get((wr.worker_id, wk.week_start), ()))
                    weeks.append(PricedWeek(roster[wr.worker_id], wk, own, rules.file, rules.sha256))
    order = {w: i for i, w in enumerate(ids)}
    weeks.sort(key=lambda w: (order[w.worker.worker_id], w.result.week_start))
    return PriceRun(tuple(weeks), roster, locations, tuple(skipped))


def price_weeks(ledger_path: Path, worker_ids: Sequence[str] | None, start: date, end: date) -> PriceRun:
    """Price every workweek that overlaps ``[start, end]`` for these workers (all when None).

    Raises :class:`OtError` naming unknown workers, or the shifts the engine
    cannot price (no rate, no rules in force).
    """
    if end < start:
        raise OtError("the range ends before it starts", [Problem("--period", f"{end} is before {start}")])
    from ot.services.uow import unit_of_work

    with unit_of_work(ledger_path) as uow:
        roster = uow.roster
        if worker_ids is None:
            ids = sorted(roster)
        else:
            unknown = [w for w in worker_ids if w not in roster]
            if unknown:
                raise OtError(
                    f"unknown worker(s): {', '.join(unknown)}",
                    [Problem("worker", f"no worker {w!r} in the ledger") for w in unknown],
                )
            ids = list(worker_ids)
        return uow.price(ids, start, end)
