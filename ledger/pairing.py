"""Punch pairing: a worker's punches become :class:`ot.core.domain.Shift` records.

Pure: punches, the worker, the locations and the break-type table go in;
shifts come out. Nothing here reads the clock or the database, and pairing
never raises on any punch sequence: what cannot be paired is *flagged for
review*, never guessed.

Walking a worker's punches in time order (ties by ledger sequence):

- ``in`` opens a shift. Its ``location_id`` (else the worker's default) is the
  work location, giving the shift's state and zone; its ``rate`` (else None:
  the profile rate applies) is the shift's effective hourly rate.
- ``out`` closes the open shift.
- ``break_start`` / ``break_end`` inside a shift make a :class:`BreakSegment`
  with the type code of the ``break_start`` (``DEFAULT_UNPAID`` when none) and
  ``paid`` from the break-type table.

Exceptions (``Shift.exceptions``, in :data:`EXCEPTIONS` order):

- ``missing_out``: an ``in`` with no ``out`` before the next ``in`` (or the
  end of the punches): the shift keeps ``end=None``.
- ``missing_in``: an ``out`` with no open shift: a zero-length record
  (``start == end ==`` the out punch) so that it is seen; it pays nothing.
- ``break_not_ended``: a break still open at the next ``break_start`` or at
  the shift's end: the segment keeps ``end=None``.
- ``break_not_started``: a ``break_end`` inside a shift with no open break.
- ``break_outside_shift``: a break punch while no shift is open: a
  zero-length record at that punch.
- ``unknown_break_type``: a break type the table does not declare (treated
  as unpaid until the type is declared).
- ``unknown_location``: the work location is not in the locations table
  (state and zone are then empty and ``UTC``).
- ``overlap``: the shift overlaps another shift or a manual entry of the same
  worker (``others``). :func:`flag_overlaps` flags every shift of a list that
  overlaps another of it: the shifts in force (punched and manual together,
  :func:`ot.services.pay.shifts_in_force`), so that a manual entry is flagged
  as the punched shift it overlaps is, and two manual entries are too.
- ``over_24h``: the shift lasts more than 24 hours.

Shift ids are stable: ``S<seq>`` of the punch that opened the record (the
``in`` punch, or the orphan punch of a zero-length record).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Protocol

from ot.core.domain import DEFAULT_UNPAID, BreakSegment, Location, Shift, Worker

__all__ = [
    "DEFAULT_BREAK_TYPES",
    "EXCEPTIONS",
    "PunchLike",
    "flag_overlaps",
    "overlapping",
    "pair_punches",
    "worked_minutes",
    "worked_ms",
]

#: How a screen or report shows the time of a punch that is missing (the in time of a ``missing_in`` record).
MISSING_CLOCK = "--:--"

EXCEPTIONS: tuple[str, ...] = (
    "missing_out",
    "missing_in",
    "break_not_ended",
    "break_not_started",
    "break_outside_shift",
    "unknown_break_type",
    "unknown_location",
    "overlap",
    "over_24h",
)
DEFAULT_BREAK_TYPES: Mapping[str, bool] = {DEFAULT_UNPAID: False}
DAY = timedelta(hours=24)


class PunchLike(Protocol):
    """What pairing reads of a punch (``ledger.events.PunchRecord`` has it)."""

    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def location_id(self) -> str | None: ...
    @property
    def break_type(self) -> str | None: ...
    @property
    def rate(self) -> str | None: ...


@dataclass
class _Open:
    """A shift being built (mutable while walking; frozen into a Shift at the end)."""

    seq: int
    start: datetime
    location_id: str | None
    rate: Decimal | None
    breaks: list[BreakSegment] = field(default_factory=list)
    open_break: tuple[datetime, str] | None = None
    flags: set[str] = field(default_factory=set)


def _rate(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def pair_punches(
    punches: Iterable[PunchLike],
    worker: Worker,
    locations: Mapping[str, Location],
    break_types: Mapping[str, bool] | None = None,
    others: Sequence[Shift] = (),
) -> list[Shift]:
    """The shifts ``worker``'s punches pair into, in time order (see the module docstring).

    Args:
        punches: The worker's punches (any order; other workers' are ignored).
        worker: Whose punches (default location).
        locations: Location id -> Location.
        break_types: Break type code -> paid; ``DEFAULT_UNPAID`` is always
            present and unpaid.
        others: The worker's other shifts (manual entries) for overlap checks.
    """
    table = dict(break_types or {})
    table[DEFAULT_UNPAID] = False
    ordered = sorted(
        (p for p in punches if getattr(p, "worker_id", worker.worker_id) == worker.worker_id),
        key=lambda p: (p.at, p.seq),
    )
    out: list[Shift] = []
    cur: _Open | None = None

    def place(location_id: str | None) -> tuple[str | None, str, str, bool]:
        lid = location_id or worker.location_id
        loc = locations.get(lid) if lid else None
        if loc is None:
            return lid, "", "UTC", False
        return lid, loc.state, loc.timezone, True

    def city_county(lid: str | None) -> tuple[str | None, str | None]:
        loc = locations.get(lid) if lid else None
        return (loc.city, loc.county) if loc is not None else (None, None)

    def close(shift: _Open, end: datetime | None, rest: str | None = None) -> None:
        if shift.open_break is not None:
            start, code = shift.open_break
            shift.breaks.append(BreakSegment(start, None, code, table.get(code, False)))
            shift.flags.add("break_not_ended")
            shift.open_break = None
        if end is None:
            shift.flags.add("missing_out")
        elif end - shift.start > DAY:
            shift.flags.add("over_24h")
        lid, state, tz, known = place(shift.location_id)
        if not known:
            shift.flags.add("unknown_location")
        city, county = city_county(lid)
        out.append(
            Shift(
                shift_id=f"S{shift.seq}",
                worker_id=worker.worker_id,
                start=shift.start,
                end=end,
                timezone=tz,
                state=state,
                location_id=lid,
                rate=shift.rate,
                breaks=tuple(shift.breaks),
                exceptions=_ordered(shift.flags),
                rest_attestation=rest,
                city=city,
                county=county,
            )
        )

    def orphan(p: PunchLike, flag: str) -> None:
        lid, state, tz, known = place(p.location_id)
        flags = {flag} if known else {flag, "unknown_location"}
        out.append(
            Shift(
                shift_id=f"S{p.seq}",
                worker_id=worker.worker_id,
                start=p.at,
                end=p.at,
                timezone=tz,
                state=state,
                location_id=lid,
                exceptions=_ordered(flags),
            )
        )

    for p in ordered:
        if p.kind == "in":
            if cur is not None:
                close(cur, None)
            cur = _Open(p.seq, p.at, p.location_id, _rate(p.rate))
        elif p.kind == "out":
            if cur is None:
                orphan(p, "missing_in")
            else:
                close(cur, p.at, getattr(p, "rest", None))
                cur = None
        elif p.kind == "break_start":
            if cur is None:
                orphan(p, "break_outside_shift")
                continue
            if cur.open_break is not None:
                start, code = cur.open_break
                cur.breaks.append(BreakSegment(start, None, code, table.get(code, False)))
                cur.flags.add("break_not_ended")
            code = p.break_type or DEFAULT_UNPAID
            if code not in table:
                cur.flags.add("unknown_break_type")
            cur.open_break = (p.at, code)
        elif p.kind == "break_end":
            if cur is None:
                orphan(p, "break_outside_shift")
            elif cur.open_break is None:
                cur.flags.add("break_not_started")
            else:
                start, code = cur.open_break
                cur.breaks.append(BreakSegment(start, p.at, code, table.get(code, False)))
                cur.open_break = None
        # Any other kind cannot reach the ledger (its payload check refuses it).
    if cur is not None:
        close(cur, None)
    return _flag_overlaps(out, others)


def _ordered(flags: Iterable[str]) -> tuple[str, ...]:
    present = set(flags)
    return tuple(k for k in EXCEPTIONS if k in present) + tuple(sorted(present - set(EXCEPTIONS)))


def _span(shift: Shift) -> tuple[datetime, datetime] | None:
    if shift.start is None:
        return None
    return shift.start, shift.end if shift.end is not None else shift.start


def _overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    (a0, a1), (b0, b1) = a, b
    if a0 == a1:  # a zero-length record or a missing out: a point
        return b0 <= a0 < b1 if b0 != b1 else False
    if b0 == b1:
        return a0 <= b0 < a1
    return a0 < b1 and b0 < a1


def overlapping(a: Shift, b: Shift) -> bool:
    """Whether two shifts overlap as :func:`flag_overlaps` flags them (an hours-only entry never does)."""
    sa, sb = _span(a), _span(b)
    return sa is not None and sb is not None and _overlaps(sa, sb)


def flag_overlaps(shifts: Sequence[Shift]) -> list[Shift]:
    """``shifts`` with ``overlap`` flagged on each one that overlaps another of them (one worker's shifts
    in force: punched and manual alike; an hours-only entry has no instants and overlaps nothing)."""
    return _flag_overlaps(shifts, ())


def _flag_overlaps(shifts: Sequence[Shift], others: Sequence[Shift]) -> list[Shift]:
    """Flag ``overlap`` on every shift that overlaps another shift or an entry of ``others``.

    A sweep in start order: each span is compared only with the spans that
    start before it ends, so a week of disjoint shifts costs O(n log n).
    """
    items: list[tuple[datetime, datetime, int]] = []  # (start, end, index; -1 for others)
    for i, s in enumerate(shifts):
        sp = _span(s)
        if sp is not None:
            items.append((sp[0], sp[1], i))
    for o in others:
        sp = _span(o)
        if sp is not None:
            items.append((sp[0], sp[1], -1))
    items.sort(key=lambda t: (t[0], t[1]))
    hit: set[int] = set()
    for a, (a0, a1, ai) in enumerate(items):
        for b in range(a + 1, len(items)):
            b0, b1, bi = items[b]
            if b0 > a1:
                break
            if _overlaps((a0, a1), (b0, b1)):
                hit.update(x for x in (ai, bi) if x >= 0)
    return [
        replace(s, exceptions=_ordered((*s.exceptions, "overlap"))) if i in hit and "overlap" not in s.exceptions else s
        for i, s in enumerate(shifts)
    ]


def worked_hours(shift: Shift) -> Decimal | None:
    """Hours worked as recorded, exact to the second: elapsed time less unpaid breaks, or an
    hours-only entry's hours as given (None without an end)."""
    if shift.start is None:
        return shift.entry_hours
    if shift.end is None:
        return None
    seconds = int((shift.end - shift.start).total_seconds())
    for b in shift.breaks:
        if not b.paid and b.end is not None:
            seconds -= int((b.end - b.start).total_seconds())
    return Decimal(seconds) / 3600


def worked_ms(shift: Shift) -> int | None:
    """Milliseconds worked as recorded (the engine's unit of time): elapsed time less unpaid breaks;
    an hours-only entry's hours as given (None without an end). A view shows them in hours rounded as
    the pay rounds them (:func:`ot.core.money.hundredths`), so that the hours reviewed are the hours
    paid: whole minutes dropped a punch's seconds (9.13 shown for the 9.14 paid)."""
    if shift.start is None:
        if shift.hours is None and shift.minutes is None:
            return None
        return int(shift.entry_hours * 3_600_000)
    if shift.end is None:
        return None
    total = (shift.end - shift.start) // timedelta(milliseconds=1)
    for b in shift.breaks:
        if not b.paid and b.end is not None:
            total -= (b.end - b.start) // timedelta(milliseconds=1)
    return total


def worked_minutes(shift: Shift) -> int | None:
    """Minutes worked as recorded: elapsed minutes less unpaid breaks (None without an end).

    This is the recorded figure shown for review; the pay engine applies the
    rules (short unpaid breaks count as hours worked, 29 CFR 785.18).
    """
    if shift.start is None:
        return shift.minutes
    if shift.end is None:
        return None
    total = int((shift.end - shift.start) // timedelta(minutes=1))
    for b in shift.breaks:
        if not b.paid and b.end is not None:
            total -= int((b.end - b.start) // timedelta(minutes=1))
    return total
