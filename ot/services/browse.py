"""What the terminal UI browses: a paged, filtered worker list and one priced timecard week.

Read-only. Built for large ledgers: the worker list reads the roster (never a
punch, unless the "has exceptions" filter asks for the shown week's), and a
timecard week reads only the worker's punches in a window around the week
(:data:`WINDOW`) through :func:`ot.services.pay.shifts_in_force` (the one
shift loader every pricing path uses) and prices them with the rules in force
on the week's first day (:func:`rules.engine.price`).

Every figure shown comes from the engine: hours by class from its piece
explanations, pay from its pay lines (each line is shown once, on the first
shift it names), the regular rate and gross from its week.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path, PurePath

from ledger.pairing import MISSING_CLOCK, worked_ms
from ot.core.domain import Location, Shift, Worker
from ot.core.errors import OtError, Problem
from ot.core.money import ZERO, minutes_to_hours, shown_hours
from ot.core.timez import local, local_midnight, minutes_between, week_start
from ot.services.pay import workweek_of
from ot.services.search import matching_ids
from ot.services.uow import UnitOfWork, unit_of_work
from rules.engine.results import PieceExplanation, RuleRef, WeekResult

__all__ = [
    "WINDOW",
    "ExplainPiece",
    "RuleView",
    "ShiftRow",
    "TimecardWeek",
    "WorkerFilter",
    "WorkerPage",
    "WorkerRow",
    "filter_choices",
    "latest_day",
    "ledger_head",
    "list_workers",
    "timecard_week",
]

#: Punches are read from this long before the week's first day to this long
#: after its last, so that a shift begun before the week pairs, and rules that
#: look back (consecutive hours, rolling 24 hours) see the work before it.
WINDOW = timedelta(days=3)


@dataclass(frozen=True)
class WorkerRow:
    """A worker as the list shows them.

    Attributes:
        worker_id: The employer's id.
        name: Display name.
        type: ``W2`` or ``1099``.
        location_id: Default work location.
        location_name: Its name ('' when unknown).
        state: Its state ('' when unknown).
        manager_id: Who approves their shifts, or None.
        role: ``worker``, ``manager`` or ``admin``.
        active: False once terminated.
    """

    worker_id: str
    name: str
    type: str
    location_id: str
    location_name: str
    state: str
    manager_id: str | None
    role: str
    active: bool


@dataclass(frozen=True)
class WorkerFilter:
    """What the worker list is narrowed to (empty fields: no narrowing).

    Attributes:
        text: Words that must each begin a word of the id, name, type, location, manager or role (any
            case, accents ignored; ``ot.services.search``, the FTS5 index).
        location_id: Default work location.
        manager_id: Manager.
        state: State of the default location.
        has_exceptions: Only workers with a shift flagged for review in ``week_of``'s workweek.
        week_of: A day of the workweek ``has_exceptions`` looks at.
        pin_override: Only workers whose PIN is an admin's override.
    """

    text: str = ""
    location_id: str | None = None
    manager_id: str | None = None
    state: str | None = None
    has_exceptions: bool = False
    week_of: date | None = None
    pin_override: bool = False


@dataclass(frozen=True)
class WorkerPage:
    """One page of the filtered worker list.

    Attributes:
        rows: The workers of the page, by id.
        total: How many workers match the filter.
        offset: Index of the first row among the matches.
        limit: Page size asked for.
    """

    rows: tuple[WorkerRow, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class RuleView:
    """A rule as the explain panel names it.

    Attributes:
        jurisdiction: ``FEDERAL`` or a USPS code.
        label: Its plain words.
        source: ``file:line`` where it is written.
        hour_class: The class it gives.
        multiplier: Of the regular rate.
    """

    jurisdiction: str
    label: str
    source: str
    hour_class: str
    multiplier: Decimal


@dataclass(frozen=True)
class ExplainPiece:
    """One stretch of a shift's time and the rule that classified it.

    Attributes:
        start: Local start, ``HH:MM``.
        end: Local end, ``HH:MM``.
        workday: Local workday.
        hours: Exact hours.
        hour_class: ``REG``, ``OT`` or ``DT``.
        winner: The rule that decided it (most favourable to the worker).
        losers: The other rules that classified it.
    """

    start: str
    end: str
    workday: date
    hours: Decimal
    hour_class: str
    winner: RuleView
    losers: tuple[RuleView, ...]


@dataclass(frozen=True)
class ShiftRow:
    """One shift of the timecard grid.

    Attributes:
        shift_id: Stable id.
        day: Local date it starts on (or of an hours-only entry).
        time_in: Local start ``HH:MM`` ('' for hours-only).
        time_out: Local end ``HH:MM`` (``+1`` when on a later day; '' when missing).
        breaks: ``HH:MM-HH:MM CODE`` of each break (``?`` for an end never punched).
        hours: Hours worked as recorded, None without an end.
        regular: REG hours the engine gave it in this workweek (a shift across the week's start
            is shown in both weeks, each with its own hours).
        overtime: OT hours.
        doubletime: DT hours.
        premium: Meal/rest premium hours paid on it.
        pay: Amount of the pay lines shown on it (each line once), None when not priced.
        shares_lines: True when a pay line names this shift and another (the line is on one of them).
        carries_cent: True when a pay line of it carries a cent of its week's rounding (the stub's ``~``).
        exceptions: Review flags (``missing_out``, ``overlap``...).
        origin: ``punches`` or ``manual``.
        pay_type: ``REGULAR``, ``PTO``...
        location_id: Work location.
        state: Its state.
        approval: Step-1 approval state (``approved``, ``voided``, ``waiting``, ``leave``, ``no end``, ``paid``).
        sync: Hours Sync Report status (``Sent``, ``Send``, ``Error``), None when not for payroll yet.
        pieces: The explanation of its time.
        corrections: Ids of the corrections recorded for it (a paid date it changed), oldest first.
        break_minutes: Minutes of its breaks (None when a break has no end).
    """

    shift_id: str
    day: date
    time_in: str
    time_out: str
    breaks: tuple[str, ...]
    hours: Decimal | None
    regular: Decimal
    overtime: Decimal
    doubletime: Decimal
    premium: Decimal
    pay: Decimal | None
    shares_lines: bool
    carries_cent: bool
    exceptions: tuple[str, ...]
    origin: str
    pay_type: str
    location_id: str | None
    state: str
    approval: str | None
    sync: str | None
    pieces: tuple[ExplainPiece, ...]
    corrections: tuple[str, ...] = ()
    break_minutes: int | None = 0


@dataclass(frozen=True)
class TimecardWeek:
    """A worker's workweek as the timecard screen shows it.

    Attributes:
        worker: The worker.
        week_start: Local first day of the workweek.
        start_time: Local time it begins.
        rows: Its shifts in start order.
        regular: Week's REG hours.
        overtime: OT hours.
        doubletime: DT hours.
        premium: Premium hours.
        regular_rate: The week's regular rate (None when not priced).
        gross: Everything the week pays (None when not priced).
        week_pay: Pay of lines that name no shift (bonuses...).
        notes: The engine's notes.
        rules_file: Name of the rules file in force.
        problem: Why the week could not be priced, or None.
        head: The ledger's sequence number when read.
    """

    worker: WorkerRow
    week_start: date
    start_time: time
    rows: tuple[ShiftRow, ...]
    regular: Decimal
    overtime: Decimal
    doubletime: Decimal
    premium: Decimal
    regular_rate: Decimal | None
    gross: Decimal | None
    week_pay: Decimal
    notes: tuple[str, ...]
    rules_file: str
    problem: str | None
    head: int

    @property
    def week_end(self) -> date:
        """Local last day of the workweek."""
        return self.week_start + timedelta(days=6)

    @property
    def hours(self) -> Decimal:
        """Hours worked as recorded over the shifts that have an end."""
        return sum((r.hours for r in self.rows if r.hours is not None), ZERO)

    @property
    def exceptions(self) -> int:
        """Number of shifts flagged for review."""
        return sum(1 for r in self.rows if r.exceptions)


def ledger_head(ledger_path: Path) -> int:
    """The ledger's last sequence number (0 when empty or absent): it moves with every append."""
    if not ledger_path.exists():
        return 0
    with unit_of_work(ledger_path) as uow:
        return uow.head()[0]


def _row(worker: Worker, locations: Mapping[str, Location]) -> WorkerRow:
    loc = locations.get(worker.location_id)
    return WorkerRow(
        worker.worker_id,
        worker.name,
        worker.type,
        worker.location_id,
        loc.name if loc else "",
        loc.state if loc else "",
        worker.manager_id,
        worker.role,
        worker.active,
    )


def filter_choices(ledger_path: Path) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(location ids, manager ids, states) the worker filters offer, sorted."""
    if not ledger_path.exists():
        return (), (), ()
    with unit_of_work(ledger_path) as uow:
        roster = uow.roster
        locations = uow.locations
    managers = sorted({w.manager_id for w in roster.values() if w.manager_id})
    states = sorted({loc.state for loc in locations.values()})
    return tuple(sorted(locations)), tuple(managers), tuple(states)


def list_workers(ledger_path: Path, flt: WorkerFilter, offset: int = 0, limit: int = 50) -> WorkerPage:
    """One page of the workers matching ``flt``, by id, the worker whose id was typed first
    (no ledger: an empty page)."""
    if offset < 0 or limit < 1:
        raise OtError("bad page", [Problem("page", f"offset {offset} and limit {limit}: give offset >= 0, limit >= 1")])
    if not ledger_path.exists():
        return WorkerPage((), 0, offset, limit)
    with unit_of_work(ledger_path) as uow:
        conn = uow.ledger.connection
        # Every filter but "has exceptions" is answered by the tables (the search index, then the
        # locations), and only the page's rows are read: a list of 10,000 workers as you type.
        found = matching_ids(conn, flt.text, pin_override=flt.pin_override, manager_id=flt.manager_id)
        if flt.location_id is not None or flt.state is not None:
            placed = {
                r[0]
                for r in conn.execute(
                    "SELECT w.worker_id FROM workers w LEFT JOIN locations l USING (location_id)"
                    " WHERE (?1 IS NULL OR w.location_id = ?1) AND (?2 IS NULL OR l.state = ?2)",
                    (flt.location_id, flt.state),
                )
            }
            found = [i for i in found if i in placed]
        if flt.has_exceptions and found:
            flagged = _flagged_workers(uow, set(found), flt.week_of)
            found = [i for i in found if i in flagged]
        page = found[offset : offset + limit]
        by_id = {
            r[0]: WorkerRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]))
            for r in conn.execute(
                "SELECT w.worker_id, w.name, w.type, w.location_id, coalesce(l.name, ''), coalesce(l.state, ''),"
                " w.manager_id, w.role, w.active FROM workers w LEFT JOIN locations l USING (location_id)"
                " WHERE w.worker_id IN (SELECT value FROM json_each(?))",
                (json.dumps(page),),
            )
        }
    # In the search's order: by id, the worker whose id was typed first (``matching_ids``).
    return WorkerPage(tuple(by_id[i] for i in page), len(found), offset, limit)


def _flagged_workers(uow: UnitOfWork, wanted: set[str], day: date | None) -> set[str]:
    """Workers in ``wanted`` with a shift flagged for review in the workweek of ``day``."""
    if day is None:
        raise OtError("no week", [Problem("has exceptions", "the filter needs a week to look at")])
    start_day, start_time = workweek_of(uow.history.book_on(day), day)
    first = week_start(day, start_day)
    shifts = uow.shifts(sorted(wanted), first, first + timedelta(days=6))
    return {s.worker_id for s in shifts if s.exceptions and _in_week(s, first, start_time)}


def _in_week(shift: Shift, first: date, start_time: time) -> bool:
    if shift.start is None:
        return shift.day is not None and first <= shift.day <= first + timedelta(days=6)
    begin = local_midnight(first, shift.timezone, start_time)
    end = local_midnight(first + timedelta(days=7), shift.timezone, start_time)
    return begin <= shift.start < end


def _shift_day(shift: Shift) -> date | None:
    if shift.start is not None:
        return local(shift.start, shift.timezone).date()
    return shift.day


def _clock(moment: datetime, tz: str, day: date) -> str:
    wall = local(moment, tz)
    text = wall.strftime("%H:%M")
    if wall.date() != day:
        text += f"+{(wall.date() - day).days}"
    return text


def _ref(ref: RuleRef) -> RuleView:
    return RuleView(
        ref.jurisdiction,
        ref.label,
        f"{PurePath(ref.source.file).name}:{ref.source.line}",
        ref.hour_class,
        ref.multiplier,
    )


def _piece(p: PieceExplanation) -> ExplainPiece:
    return ExplainPiece(
        p.start.strftime("%H:%M"),
        p.end.strftime("%H:%M"),
        p.workday,
        minutes_to_hours(p.minutes),
        p.hour_class,
        _ref(p.winner),
        tuple(_ref(x) for x in p.losers),
    )


def timecard_week(ledger_path: Path, worker_id: str, day: date) -> TimecardWeek:
    """``worker_id``'s workweek holding ``day``: shifts, hours by class, pay and explanations.

    A week the engine refuses (a shift with no rate, no rules in force) still
    lists its shifts; ``problem`` says why it is not priced.
    """
    with unit_of_work(ledger_path) as uow:
        head = uow.head()[0]
        worker = uow.roster.get(worker_id)
        if worker is None:
            raise OtError(
                f"unknown worker {worker_id!r}", [Problem("worker", f"no worker {worker_id!r} in the ledger")]
            )
        locations = uow.locations
        history = uow.history
        book = history.book_on(day)
        start_day, start_time = workweek_of(book, day)
        first = week_start(day, start_day)
        book = history.book_on(first)
        rules_file = history.text_on(first).file
        near = uow.shifts([worker_id], first - WINDOW, first + timedelta(days=6) + WINDOW)
        manual_ids = {e.shift_id for e in uow.reads.shift_entries(worker_id=worker_id)}
        marks = _marks(uow, near)
        corrected: dict[str, tuple[str, ...]] = defaultdict(tuple)
        for c in uow.pay.corrections(worker_id):
            corrected[c.shift_id] += (c.correction_id,)
        week: WeekResult | None = None
        problem: str | None = None
        try:
            # Priced as explain, approvals and the pay run price it (earnings, schedules, the weeks a
            # bonus is allocated over): the timecard never shows another gross (a review: a bonus was
            # left out of this screen's gross and regular rate).
            priced = uow.price([worker_id], first, first + timedelta(days=6)).week(worker_id, first)
            week = priced.result if priced is not None else None
        except OtError as error:
            problem = error.render()
    # A shift belongs to the week it starts in; one that began the week before
    # (a night shift across the week's start) is shown too when its later
    # hours fall in this week's workdays.
    paid_here = {p.shift_id for p in week.pieces} if week is not None else set()
    mine = sorted(
        (s for s in near if _in_week(s, first, start_time) or s.shift_id in paid_here),
        key=lambda s: (_shift_day(s) or first, s.start.isoformat() if s.start else "", s.shift_id),
    )
    return _assemble(
        _row(worker, locations), first, start_time, mine, week, rules_file, problem, head, manual_ids, marks, corrected
    )


def _marks(uow: UnitOfWork, shifts: Sequence[Shift]) -> dict[str, tuple[str, str | None]]:
    """(approval state, sync status or None) of each shift, from the approval and outbox events."""
    from ot.services.queue import shift_states
    from ot.services.sync import shift_sync_statuses
    from ot.sync.config import load_config

    states = shift_states(uow, shifts)
    try:
        sync = shift_sync_statuses(uow, shifts, load_config(uow.path))
    except OtError:  # a broken sync config: the sync screen says why; the grid shows no status
        sync = {}
    return {sid: (state, sync.get(sid)) for sid, (state, _note) in states.items()}


def _assemble(
    worker: WorkerRow,
    first: date,
    start_time: time,
    shifts: Sequence[Shift],
    week: WeekResult | None,
    rules_file: str,
    problem: str | None,
    head: int,
    manual_ids: set[str],
    marks: Mapping[str, tuple[str, str | None]],
    corrected: Mapping[str, tuple[str, ...]],
) -> TimecardWeek:
    minutes: dict[tuple[str, str], int] = defaultdict(int)
    pieces: dict[str, list[ExplainPiece]] = defaultdict(list)
    pay: dict[str, Decimal] = defaultdict(lambda: ZERO)
    premium: dict[str, Decimal] = defaultdict(lambda: ZERO)
    shared: set[str] = set()
    carried: set[str] = set()
    paid_hours: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    week_pay = ZERO
    ids = {s.shift_id for s in shifts}
    if week is not None:
        for p in week.pieces:
            minutes[(p.shift_id, p.hour_class)] += p.minutes
            pieces[p.shift_id].append(_piece(p))
        for line in week.lines:
            named = [sid for sid in line.shift_ids if sid in ids]
            if not named:
                week_pay += line.amount
                continue
            pay[named[0]] += line.amount
            paid_hours[(named[0], line.hour_class)] += line.hours
            if line.carry:
                carried.add(named[0])
            if len(line.shift_ids) > 1:
                shared.update(line.shift_ids)
            if line.hour_class == "PREMIUM":
                premium[named[0]] += line.hours

    def by_class(sid: str, hour_class: str) -> Decimal:
        # The hours its pay lines pay, so that a row multiplies out (hours x rate = its pay, as the stub's
        # lines do; the week's hundredths are shared out over its dates: 0.01 h where the shift's own
        # time is 0.015); a row sharing a line with another shift: its own time.
        if week is not None and sid not in shared:
            return paid_hours[(sid, hour_class)]
        return minutes_to_hours(minutes[(sid, hour_class)])

    rows = []
    for s in shifts:
        day = _shift_day(s) or first
        sid = s.shift_id
        breaks = tuple(
            f"{_clock(b.start, s.timezone, day)}-{_clock(b.end, s.timezone, day) if b.end else '?'} {b.type_code}"
            for b in s.breaks
        )
        recorded = worked_ms(s)
        rows.append(
            ShiftRow(
                shift_id=sid,
                day=day,
                time_in=MISSING_CLOCK
                if "missing_in" in s.exceptions
                else _clock(s.start, s.timezone, day)
                if s.start
                else "",
                time_out=_clock(s.end, s.timezone, day) if s.end else "",
                breaks=breaks,
                hours=shown_hours(recorded) if recorded is not None else None,
                regular=by_class(sid, "REG"),
                overtime=by_class(sid, "OT"),
                doubletime=by_class(sid, "DT"),
                premium=premium[sid],
                pay=pay[sid] if week is not None and (s.end is not None or s.hours_only) else None,
                shares_lines=sid in shared,
                carries_cent=sid in carried,
                exceptions=s.exceptions,
                origin="manual" if sid in manual_ids else "punches",
                pay_type=s.pay_type,
                location_id=s.location_id,
                state=s.state,
                approval=marks[sid][0] if sid in marks else None,
                sync=marks[sid][1] if sid in marks else None,
                pieces=tuple(pieces[sid]),
                corrections=corrected.get(sid, ()),
                break_minutes=None
                if any(b.end is None for b in s.breaks)
                else sum(minutes_between(b.start, b.end) for b in s.breaks if b.end is not None),
            )
        )
    return TimecardWeek(
        worker=worker,
        week_start=first,
        start_time=start_time,
        rows=tuple(rows),
        regular=week.regular_hours if week else ZERO,
        overtime=week.overtime_hours if week else ZERO,
        doubletime=week.doubletime_hours if week else ZERO,
        premium=week.premium_hours if week else ZERO,
        regular_rate=week.regular_rate if week else None,
        gross=week.gross if week else None,
        week_pay=week_pay,
        notes=week.notes if week else (),
        rules_file=rules_file,
        problem=problem,
        head=head,
    )


def latest_day(ledger_path: Path, today: date) -> date:
    """The day the timecards open on: ``today``, or the UTC date of the last punch recorded when earlier."""
    if not ledger_path.exists():
        return today
    with unit_of_work(ledger_path) as uow:
        last = list(uow.reads.events(kind="punch.recorded", limit=1))
    if not last:
        return today
    at = last[0].payload.get("at")
    if not isinstance(at, str):
        return today
    try:
        day = date.fromisoformat(at[:10])
    except ValueError:
        return today
    return min(day, today)
