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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from ledger.pairing import pair_punches
from ledger.store import Ledger
from ot.domain import DEFAULT_UNPAID, Location, Shift, Worker
from ot.errors import OtError, Problem
from ot.services.ruleset import RulesHistory
from ot.services.shifts import entry_shift
from ot.timez import local
from rules.engine import price
from rules.engine.results import WeekResult
from rules.model import FEDERAL, NoRulesInForce, RuleBook

__all__ = ["PriceRun", "PricedWeek", "load_shifts", "price_weeks", "workweek_of"]

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


def _week_start(day: date, start_day: int) -> date:
    return day - timedelta(days=(day.weekday() - start_day) % 7)


def _shift_day(shift: Shift) -> date | None:
    if shift.start is not None:
        return local(shift.start, shift.timezone).date()
    return shift.day


def load_shifts(
    ledger: Ledger,
    roster: dict[str, Worker],
    locations: dict[str, Location],
    worker_ids: Iterable[str],
    first: date,
    last: date,
    history: RulesHistory,
) -> list[Shift]:
    """Every shift (paired punches and manual entries) of these workers that starts
    on a local date in ``[first, last]``, in time order."""
    out: list[Shift] = []
    for wid in worker_ids:
        worker = roster[wid]
        home = locations.get(worker.location_id)
        try:
            rules = history.book_on(first).effective(home.state if home else FEDERAL, first)
            table = {bt.code: bt.paid for bt in rules.break_types}
        except NoRulesInForce:
            table = {}
        table.setdefault(DEFAULT_UNPAID, False)
        manual = [entry_shift(e, worker, locations) for e in ledger.shift_entries(worker_id=wid)]
        # Pair over every punch of the worker, so that a shift begun before the
        # range is never mistaken for an orphan out-punch.
        paired = pair_punches(ledger.punches(worker_id=wid), worker, locations, table, others=manual)
        for s in (*paired, *manual):
            d = _shift_day(s)
            if d is not None and first <= d <= last:
                out.append(s)
    out.sort(key=lambda s: (s.worker_id, _shift_day(s) or first, s.start.isoformat() if s.start else "", s.shift_id))
    return out


def price_weeks(ledger_path: Path, worker_ids: Sequence[str] | None, start: date, end: date) -> PriceRun:
    """Price every workweek that overlaps ``[start, end]`` for these workers (all when None).

    Raises :class:`OtError` naming unknown workers, or the shifts the engine
    cannot price (no rate, no rules in force).
    """
    if end < start:
        raise OtError("the range ends before it starts", [Problem("--period", f"{end} is before {start}")])
    with Ledger.open(ledger_path, create=False) as ledger:
        roster = ledger.roster()
        locations = ledger.locations()
        history = RulesHistory(ledger.rules_adopted())
        if worker_ids is None:
            ids = sorted(roster)
        else:
            unknown = [w for w in worker_ids if w not in roster]
            if unknown:
                raise OtError(
                    f"unknown worker(s): {', '.join(unknown)}",
                    [Problem("worker", f"no worker {w!r} in the ledger") for w in unknown],
                )
            ids = list(dict.fromkeys(worker_ids))
        # Whole workweeks, grouped by the rules file in force on each week's first day.
        start_day, _ = workweek_of(history.book_on(start), start)
        week = _week_start(start, start_day)
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
            shifts = load_shifts(ledger, roster, locations, ids, first - MARGIN, last + MARGIN, history)
            result = price(shifts, {w: roster[w] for w in ids}, book, workweek=workweek_of(book, first))
            skipped.extend(result.skipped)
            wanted = set(starts)
            for wr in result.workers:
                for wk in wr.weeks:
                    if wk.week_start not in wanted:
                        continue
                    own = tuple(
                        s
                        for s in shifts
                        if s.worker_id == wr.worker_id
                        and (d := _shift_day(s)) is not None
                        and wk.week_start <= d < wk.week_start + timedelta(days=7)
                    )
                    weeks.append(PricedWeek(roster[wr.worker_id], wk, own, rules.file, rules.sha256))
    order = {w: i for i, w in enumerate(ids)}
    weeks.sort(key=lambda w: (order[w.worker.worker_id], w.result.week_start))
    return PriceRun(tuple(weeks), roster, locations, tuple(skipped))
