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

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

from ledger.events import ShiftEntry
from ledger.pairing import flag_overlaps, pair_punches
from ledger.store import Ledger, PunchRow, Writer, punch_of_row
from ot.core.domain import DEFAULT_UNPAID, Earning, Location, Shift, Worker
from ot.core.errors import OtError, Problem
from ot.core.timez import iso_utc, local, week_start
from ot.services.ruleset import RulesHistory
from ot.services.shifts import entry_shift
from rules.engine import price
from rules.engine.results import WeekResult
from rules.model import FEDERAL, NoRulesInForce, RuleBook

__all__ = [
    "PriceRun",
    "PricedWeek",
    "Reads",
    "excused_of",
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
        shifts: The week's shifts (those that start in it), in time order (of a lean run
            (:func:`price_open`), only those that set a display rate).
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
        window: When a :class:`Window` was asked for and its run priced with one rules file: each
            worker's shifts over it with their :func:`ledger.approvals.shift_version`, as
            :func:`shifts_in_force` gives them (workers with none left out); else None.
    """

    weeks: tuple[PricedWeek, ...]
    roster: dict[str, Worker]
    locations: dict[str, Location]
    skipped: tuple[tuple[str, str], ...]
    window: dict[str, tuple[tuple[Shift, str], ...]] | None = None

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


@dataclass(frozen=True)
class _Loaded:
    """What the ledger holds of one worker for a window: read by the parent, paired by anyone.

    Attributes:
        worker: The worker.
        punches: Their punch rows in the window (``ledger.store.Ledger.punch_rows``, undecoded).
        entries: Their manual entries, deleted ones included (an edit or deletion of a punched shift).
        table: Break type code -> paid in force over the window.
        earnings: Their earnings dated in the weeks priced (bonuses, commissions, piece pay...).
        schedule: The hours their schedule gives each day of the window, when the rules have reporting-time
            pay (Wage Order section 5(A)); else empty.
        excused: The days of the window that owe them no reporting-time pay, and why (section 5(C), (D)).
        first: Their own first date (later than the window's when another worker's earnings widened it):
            their shifts before it are not theirs to price (a worker prices the same whoever is priced with
            them).
    """

    worker: Worker
    punches: tuple[PunchRow, ...]
    entries: tuple[ShiftEntry, ...]
    table: dict[str, bool]
    earnings: tuple[Earning, ...] = ()
    schedule: Mapping[date, Decimal] = field(default_factory=dict)
    excused: Mapping[date, str] = field(default_factory=dict)
    first: date | None = None


def _load(
    reads: Reads,
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    history: RulesHistory,
    worker_ids: Iterable[str],
    first: date,
    last: date,
    break_types: Mapping[str, bool] | None,
    firsts: Mapping[str, date] | None = None,
) -> list[_Loaded]:
    """Read each worker's punches around ``[first, last]`` and manual entries (nothing decoded).
    ``firsts``: a worker's own first date where it is later than ``first`` (a worker's shifts and break
    table never depend on the other workers read with them: :func:`price_open`)."""
    # Punches from a day before the range to three days after it (UTC midnights, so
    # that every zone's local dates are covered and a shift that starts on the last
    # day has its out-punch): a shift that began before the window pairs as an
    # orphan out-punch on a day before ``first``, which the range leaves out.
    tables: dict[tuple[str | None, date], dict[str, bool]] = {}
    out: list[_Loaded] = []
    for wid in worker_ids:
        worker = roster[wid]
        mine = max(first, (firsts or {}).get(wid, first))
        lo, hi = _punch_span(mine, last)
        if break_types is not None:
            table = dict(break_types)
            table.setdefault(DEFAULT_UNPAID, False)
        else:
            table = _table_from(worker, locations, history, mine, last, tables)
        entries = tuple(reads.shift_entries(worker_id=wid, include_deleted=True))
        rows = tuple(reads.punch_rows(worker_id=wid, start=lo, end=hi))
        out.append(_Loaded(worker, rows, entries, table, first=mine if mine > first else None))
    return out


def _table_from(
    worker: Worker,
    locations: Mapping[str, Location],
    history: RulesHistory,
    first: date,
    last: date,
    tables: dict[tuple[str | None, date], dict[str, bool]],
) -> dict[str, bool]:
    """The worker's break table over a range starting on ``first`` (by the state of their default location,
    made once per state and first date in ``tables``), with the default unpaid break."""
    home = locations.get(worker.location_id)
    key = (home.state if home else None, first)
    if key not in tables:
        tables[key] = _break_table(history, home, first, last)
    table = dict(tables[key])
    table.setdefault(DEFAULT_UNPAID, False)
    return table


def _punch_span(first: date, last: date) -> tuple[datetime, datetime]:
    """The instants whose punches :func:`_load` reads for shifts starting on ``[first, last]``."""
    return (
        datetime.combine(first - timedelta(days=1), time(0, 0), UTC),
        datetime.combine(last + timedelta(days=3), time(0, 0), UTC),
    )


def _pair(loaded: _Loaded, locations: Mapping[str, Location], first: date, last: date) -> list[Shift]:
    """One worker's shifts in force starting on a local date in ``[first, last]`` (pure; from the
    worker's own first date when it is later: :attr:`_Loaded.first`)."""
    return _starting(_in_force(loaded, locations), loaded, first, last)


def _in_force(loaded: _Loaded, locations: Mapping[str, Location]) -> list[Shift]:
    """One worker's shifts in force from the punches and entries loaded, on any date (pure): the punches
    paired with the loaded break table, less those a manual entry replaces, then the manual entries; each
    one that overlaps another of them flagged ``overlap`` (punched or manual: time is paid once, so
    either blocks the worker's timecard until it is fixed)."""
    worker = loaded.worker
    replaced = {e.shift_id for e in loaded.entries}
    manual = [entry_shift(e, worker, locations) for e in loaded.entries if not e.deleted]
    punches = [punch_of_row(r) for r in loaded.punches]
    paired = [s for s in pair_punches(punches, worker, locations, loaded.table) if s.shift_id not in replaced]
    return flag_overlaps([*paired, *manual])


def _starting(shifts: Sequence[Shift], loaded: _Loaded, first: date, last: date) -> list[Shift]:
    """The shifts starting on a local date in ``[first, last]`` (from the worker's own first date when later)."""
    if loaded.first is not None and loaded.first > first:
        first = loaded.first
    out: list[Shift] = []
    for s in shifts:
        d = shift_day(s)
        if d is not None and first <= d <= last:
            out.append(s)
    return out


def _order(shifts: list[Shift], first: date) -> list[Shift]:
    shifts.sort(key=lambda s: (s.worker_id, shift_day(s) or first, s.start.isoformat() if s.start else "", s.shift_id))
    return shifts


def _pair_chunk(chunk: Sequence[_Loaded], locations: Mapping[str, Location], first: date, last: date) -> list[Shift]:
    return [s for loaded in chunk for s in _pair(loaded, locations, first, last)]


def shifts_in_force(
    reads: Reads,
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    history: RulesHistory,
    worker_ids: Iterable[str],
    first: date,
    last: date,
    break_types: Mapping[str, bool] | None = None,
    *,
    jobs: int = 1,
) -> list[Shift]:
    """Every shift in force of these workers that starts on a local date in ``[first, last]``.

    Punches paired with the break types in force, plus manual entries; a
    manual entry whose id is a punched shift's (an edit, or a deletion, of a
    punched shift) replaces the paired shift. Sorted by worker, then time.
    Only the punches around the range are read, so a week costs the same on a
    ledger of any size. ``jobs``: processes that pair the punches
    (:mod:`ot.services.pool`; the ledger is read here).
    """
    from ot.services.pool import map_chunks

    loaded = _load(reads, roster, locations, history, worker_ids, first, last, break_types)
    pair = partial(_pair_chunk, locations=dict(locations), first=first, last=last)
    return _order([s for part in map_chunks(pair, loaded, jobs) for s in part], first)


@dataclass(frozen=True)
class Window:
    """Dates whose shifts a price run also gives, each with its version: a pay run's timecards read
    them (:func:`ot.services.paycycle.drafts`), and a pool's children pair them with the weeks they
    price, rather than the parent pairing the same punches again.

    Attributes:
        first: The first local date.
        last: The last.
    """

    first: date
    last: date


@dataclass(frozen=True)
class _WindowPlan:
    """What a child needs to pair a :class:`Window` from the punches loaded for a wider one: the window,
    the break table of each home state over it, and the instants :func:`_load` would read for it."""

    window: Window
    tables: dict[str | None, dict[str, bool]]
    lo: str
    hi: str


@dataclass(frozen=True)
class _Group:
    """The workweeks of a price run that one rules file prices (what a pool's child needs besides the ledger)."""

    locations: dict[str, Location]
    book: RuleBook
    workweek: tuple[int, time]
    start_day: int
    starts: tuple[date, ...]
    first: date
    last: date
    rules_file: str
    rules_sha256: str
    lean: bool = False
    window: _WindowPlan | None = None


_Chunk = tuple[list[PricedWeek], list[tuple[str, str]], list[tuple[str, tuple[tuple[Shift, str], ...]]]]


def _window_shifts(loaded: _Loaded, group: _Group, in_force: Sequence[Shift]) -> tuple[tuple[Shift, str], ...]:
    """One worker's shifts over the group's :class:`Window`, with their versions (pure): the punches
    :func:`_load` reads for the window are those of the wider one between its instants (the same rows,
    in the same order), paired with the break table in force over the window, as
    :func:`shifts_in_force` pairs them. When those are every row loaded and the table is the one the
    pricing paired them with (a pay run whose weeks are its period's), the pairing is the same:
    ``in_force`` (:func:`_in_force` of ``loaded``) is taken rather than paired again."""
    from ledger.approvals import shift_version

    plan = group.window
    assert plan is not None
    rows = tuple(r for r in loaded.punches if plan.lo <= r[2] < plan.hi)
    home = group.locations.get(loaded.worker.location_id)
    table = dict(plan.tables[home.state if home else None])
    table.setdefault(DEFAULT_UNPAID, False)
    first, last = plan.window.first, plan.window.last
    if len(rows) == len(loaded.punches) and table == loaded.table:
        shifts = _order(_starting(in_force, loaded, first, last), first)
    else:
        shifts = _order(_pair(replace(loaded, punches=rows, table=table), group.locations, first, last), first)
    return tuple((s, shift_version(s)) for s in shifts)


def _price_chunk(chunk: Sequence[_Loaded], group: _Group) -> _Chunk | None:
    """Pair and price a chunk of workers (pure); None when the engine refuses one of them (the caller
    prices the whole group again in one process, for the error exactly as one process gives it).
    With a :class:`Window`, also each worker's shifts over it (:func:`_window_shifts`)."""
    in_force = [_in_force(loaded, group.locations) for loaded in chunk]
    shifts = _order(
        [
            s
            for loaded, mine in zip(chunk, in_force, strict=True)
            for s in _starting(mine, loaded, group.first, group.last)
        ],
        group.first,
    )
    workers = {loaded.worker.worker_id: loaded.worker for loaded in chunk}
    wanted = set(group.starts)
    try:
        result = price(
            shifts,
            workers,
            group.book,
            earnings=[e for loaded in chunk for e in loaded.earnings],
            workweek=group.workweek,
            only_weeks=wanted,
            scheduled=_scheduled_in(chunk, shifts),
            excused=_excused_in(chunk),
        )
    except OtError:
        return None
    by_week: dict[tuple[str, date], list[Shift]] = {}
    for s in shifts:
        d = shift_day(s)
        if d is not None:
            by_week.setdefault((s.worker_id, week_start(d, group.start_day)), []).append(s)
    weeks: list[PricedWeek] = []
    for wr in result.workers:
        for wk in wr.weeks:
            if wk.week_start in wanted:
                own = tuple(by_week.get((wr.worker_id, wk.week_start), ()))
                if group.lean:
                    wk = replace(wk, pieces=(), groups=())
                    own = tuple(s for s in own if s.display_rate is not None)
                weeks.append(PricedWeek(workers[wr.worker_id], wk, own, group.rules_file, group.rules_sha256))
    window: list[tuple[str, tuple[tuple[Shift, str], ...]]] = []
    if group.window is not None:
        for loaded, mine in zip(chunk, in_force, strict=True):
            found = _window_shifts(loaded, group, mine)
            if found:
                window.append((loaded.worker.worker_id, found))
    return weeks, list(result.skipped), window


def _has_reporting_time(book: RuleBook) -> bool:
    return any(rs.reporting_time is not None for _name, sets in book.versions for rs in sets)


def _shift_days(shifts: Sequence[Shift]) -> dict[str, set[date]]:
    """Each shift's day and the next (for a shift past midnight), by worker."""
    days: dict[str, set[date]] = {}
    for s in shifts:
        day = shift_day(s)
        if day is not None:
            days.setdefault(s.worker_id, set()).update((day, day + timedelta(days=1)))
    return days


def scheduled_of(reads: Reads, book: RuleBook, shifts: Sequence[Shift]) -> dict[str, dict[date, Decimal]]:
    """The hours the workers' schedules give the days of these shifts (each shift's day and the next, for a
    shift past midnight), when the rules have reporting-time pay (Wage Order section 5(A)); else none."""
    if not _has_reporting_time(book):
        return {}
    return reads.scheduled_hours(_shift_days(shifts))


def excused_of(reads: Reads, book: RuleBook, shifts: Sequence[Shift]) -> dict[str, dict[date, str]]:
    """The days of these shifts (as :func:`scheduled_of`) that owe no reporting-time pay, and why
    (``schedule.excused``: Wage Order section 5(C), (D)), when the rules have reporting-time pay."""
    if not _has_reporting_time(book):
        return {}
    return reads.excused_days(_shift_days(shifts))


def _excused_in(chunk: Sequence[_Loaded]) -> dict[str, Mapping[date, str]]:
    """The excused days the parent read for the window, by worker (pure)."""
    return {loaded.worker.worker_id: loaded.excused for loaded in chunk if loaded.excused}


def _scheduled_in(chunk: Sequence[_Loaded], shifts: Sequence[Shift]) -> dict[str, dict[date, Decimal]]:
    """What :func:`scheduled_of` gives these shifts, from the schedules the parent read for the window (pure)."""
    schedule = {loaded.worker.worker_id: loaded.schedule for loaded in chunk if loaded.schedule}
    out: dict[str, dict[date, Decimal]] = {}
    for wid, days in _shift_days(shifts).items():
        mine = schedule.get(wid)
        if mine:
            found = {d: mine[d] for d in days if d in mine}
            if found:
                out[wid] = found
    return out


def _with_pay_facts(
    reads: Reads, book: RuleBook, loaded: list[_Loaded], earnings: Sequence[Earning], lo: date, hi: date
) -> list[_Loaded]:
    """Each worker's earnings and (with reporting-time pay in the rules) schedule over the window, read here
    so that a pool's children never read the ledger."""
    mine: dict[str, list[Earning]] = {}
    for e in earnings:
        mine.setdefault(e.worker_id, []).append(e)
    schedules: dict[str, dict[date, Decimal]] = {}
    excused: dict[str, dict[date, str]] = {}
    if _has_reporting_time(book):
        window = [lo + timedelta(days=i) for i in range((hi - lo).days + 2)]
        schedules = reads.scheduled_hours({x.worker.worker_id: window for x in loaded})
        excused = reads.excused_days({x.worker.worker_id: window for x in loaded})
    if not mine and not schedules and not excused:
        return loaded
    return [
        replace(
            x,
            earnings=tuple(mine.get(x.worker.worker_id, ())),
            schedule=schedules.get(x.worker.worker_id, {}),
            excused=excused.get(x.worker.worker_id, {}),
        )
        for x in loaded
    ]


def price_open(
    reads: Reads,
    roster: dict[str, Worker],
    locations: dict[str, Location],
    history: RulesHistory,
    worker_ids: Sequence[str],
    start: date,
    end: date,
    *,
    jobs: int = 1,
    lean: bool = False,
    meanwhile: Callable[[], object] | None = None,
    window: Window | None = None,
    on_part: Callable[[Sequence[PricedWeek], Mapping[str, tuple[tuple[Shift, str], ...]]], object] | None = None,
) -> PriceRun:
    """Price every workweek overlapping ``[start, end]`` of these workers, over an open
    ledger (or an open write transaction, so that a correction is priced with the
    change it makes). Whole workweeks, each with the rules file in force on its first day.

    ``jobs``: processes that pair and price the workers, in chunks (:mod:`ot.services.pool`): the
    engine prices each worker alone, so the run is the same, byte for byte, with any ``jobs``.
    ``lean``: the weeks come without the explanation of each stretch of time and the pay groups
    (``WeekResult.pieces`` and ``groups`` empty), and with only the shifts that set a display rate
    (``PricedWeek.shifts``), for a caller that reads nothing else of them (a pay run, stubs, what-if):
    a fifth of what a child sends back, and of what the parent reads back. Only a lean run uses a pool: the explanation numbers
    each stretch by its shift's place in the whole list priced (``Piece.order``), which a chunk cannot know.
    ``meanwhile``: work of the caller's, called once in this process while the children price (else first).
    ``window``: also give each worker's shifts over these dates, with their versions
    (:attr:`PriceRun.window`), paired with the weeks, when one rules file prices the whole range
    and the dates lie within the punches it reads (else :attr:`PriceRun.window` is None).
    ``on_part``: with a window, called in this process with each chunk's weeks and window shifts as
    the chunk is done, in order, while the pool prices the next ones (the caller's own work on what
    is known so far); never after a chunk the engine refused. The run returned is the same."""
    from ot.services.pool import chunks, imap_parts

    ids = list(dict.fromkeys(worker_ids))
    jobs = jobs if lean else 1
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
    found: dict[str, tuple[tuple[Shift, str], ...]] | None = None
    for _sha, starts in groups:
        first, last = starts[0], starts[-1] + timedelta(days=6)
        book = history.book_on(first)
        rules = history.text_on(first)
        earnings = reads.earnings(ids, first, last)
        # A bonus earned over earlier weeks (29 CFR 778.209) needs their hours: load them as context,
        # that worker's alone (each worker's punches and break table are read from their own first date,
        # so that a worker prices the same whoever is priced with them).
        # From the start of the workweek holding the period's first day: that week's overtime hours count
        # (29 CFR 778.209(a)), and the engine prices it as context only from the shifts it is given (the
        # pay-cycle machine found a week priced alone owing less than the run that paid it).
        own: dict[str, date] = {}
        for e in earnings:
            if e.period_start is None:
                continue
            since_week = week_start(e.period_start, workweek_of(history.book_on(e.period_start), e.period_start)[0])
            if since_week < own.get(e.worker_id, first):
                own[e.worker_id] = since_week
        since = min(own.values(), default=first)
        lo, hi = min(since, first) - MARGIN, last + MARGIN
        firsts = {wid: own.get(wid, first) - MARGIN for wid in ids}
        loaded = _load(reads, roster, locations, history, ids, lo, hi, None, firsts)
        loaded = _with_pay_facts(reads, book, loaded, earnings, lo, hi)
        group = _Group(
            dict(locations),
            book,
            workweek_of(book, first),
            start_day,
            tuple(starts),
            lo,
            hi,
            rules.file,
            rules.sha256,
            lean,
            _window_plan(roster, locations, history, ids, window, lo, hi) if len(groups) == 1 else None,
        )
        streaming = on_part is not None and group.window is not None
        parts: list[_Chunk | None] = []
        priced = imap_parts(partial(_price_chunk, group=group), chunks(loaded, jobs), jobs, "pricing", meanwhile)
        with closing(priced):  # an error in on_part stops the pool now
            for part in priced:
                parts.append(part)
                if part is None:
                    streaming = False
                elif streaming:
                    assert on_part is not None
                    on_part(part[0], dict(part[2]))
        meanwhile = None
        if any(part is None for part in parts):
            # Raise the engine's error over the whole group, as one process would.
            shifts = _order(_pair_chunk(loaded, group.locations, lo, hi), lo)
            price(
                shifts,
                {w: roster[w] for w in ids},
                book,
                earnings=earnings,
                workweek=group.workweek,
                only_weeks=set(starts),
                scheduled=_scheduled_in(loaded, shifts),
                excused=_excused_in(loaded),
            )
            raise AssertionError("a chunk the engine refused priced whole")  # pragma: no cover
        if group.window is not None:
            found = {}
        for part in parts:
            assert part is not None
            weeks.extend(part[0])
            skipped.extend(part[1])
            if found is not None:
                found.update(part[2])
    if meanwhile is not None:  # no workweek in the range
        meanwhile()
    order = {w: i for i, w in enumerate(ids)}
    weeks.sort(key=lambda w: (order[w.worker.worker_id], w.result.week_start))
    return PriceRun(tuple(weeks), roster, locations, tuple(skipped), found)


def _window_plan(
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    history: RulesHistory,
    ids: Sequence[str],
    window: Window | None,
    lo: date,
    hi: date,
) -> _WindowPlan | None:
    """What the children need to pair ``window`` from the punches loaded for ``[lo, hi]``; None when
    there is no window or it does not lie within those dates."""
    if window is None or window.first < lo or window.last > hi:
        return None
    tables: dict[str | None, dict[str, bool]] = {}
    for wid in ids:
        home = locations.get(roster[wid].location_id)
        key = home.state if home else None
        if key not in tables:
            tables[key] = _break_table(history, home, window.first, window.last)
    start, end = _punch_span(window.first, window.last)
    return _WindowPlan(window, tables, iso_utc(start), iso_utc(end))


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
