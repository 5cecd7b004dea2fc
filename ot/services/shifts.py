"""``ot shifts``: the shifts a worker's punches pair into, one workweek at a time.

The workweek is local: it begins on ``start_day`` (0 = Monday ... 6 = Sunday,
default Sunday) at ``start_time`` (default 00:00) in each shift's work
location zone, and a shift belongs to the week in which it starts. Punches
are paired by :func:`ledger.pairing.pair_punches` over all of the worker's
punches (so a shift that began before the week is never mistaken for an
orphan); manual entries of the week are shown too, and every shift, punched or
manual, that overlaps another is flagged ``overlap``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.events import RulesVersion, ShiftEntry
from ledger.pairing import worked_minutes, worked_ms
from ot.core.domain import DEFAULT_UNPAID, BreakSegment, Location, Shift, Worker
from ot.core.errors import OtError, Problem
from ot.core.money import (
    D,
    MoneyError,
    shown_hours,
)
from ot.core.timez import local, local_midnight, week_start
from rules.compiler import compile_text
from rules.files import default_rules_path
from rules.model import FEDERAL, NoRulesInForce, RuleBook

__all__ = [
    "FALLBACK_BREAK_TYPES",
    "BreakTypes",
    "ShiftLine",
    "WeekView",
    "entry_shift",
    "render_week",
    "week_as_json",
    "week_bounds",
    "week_shifts",
]

# When no rules are in force on a day, only DEFAULT_UNPAID (always there) is known.
FALLBACK_BREAK_TYPES: Mapping[str, bool] = {DEFAULT_UNPAID: False}


class BreakTypes:
    """The break-type table (code -> paid) of the rules in force, by state and day.

    The rules file in force on a day is the last one the ledger adopted with an
    effective date on or before it (``rules.adopted`` events), else the
    ``rules.example.ot`` that ships with ot. Each file is compiled once.
    """

    def __init__(self, adopted: Sequence[RulesVersion]) -> None:
        self._adopted = sorted(adopted, key=lambda v: (v.effective, v.seq))
        self._books: dict[str, RuleBook] = {}

    def _book(self, day: date) -> RuleBook:
        in_force = [v for v in self._adopted if v.effective <= day]
        if in_force:
            text, name = in_force[-1].text, in_force[-1].file
        else:
            path = default_rules_path()
            text, name = path.read_text(encoding="utf-8"), path.name
        key = f"{name}\0{text}"
        if key not in self._books:
            self._books[key] = compile_text(text, name)
        return self._books[key]

    def table(self, state: str, day: date) -> dict[str, bool]:
        """Code -> paid of the break types in force in ``state`` on ``day``."""
        try:
            rules = self._book(day).effective(state or FEDERAL, day)
        except NoRulesInForce:
            return dict(FALLBACK_BREAK_TYPES)
        table = {bt.code: bt.paid for bt in rules.break_types}
        table.setdefault(DEFAULT_UNPAID, False)
        return table


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class ShiftLine:
    """One shift of the week as shown.

    Attributes:
        shift: The paired (or manually entered) shift.
        origin: ``punches`` or ``manual``.
        minutes: Minutes worked as recorded (elapsed less unpaid breaks), None without an end.
        rate: The rate the shift uses, or None when neither it nor the profile has one.
        rate_origin: ``shift`` (its own rate), ``profile`` (the worker's rate that day) or ``none``.
        location_name: Display name of the work location ('' when unknown).
        ms: Milliseconds worked as recorded (:func:`ledger.pairing.worked_ms`), None without an end.
    """

    shift: Shift
    origin: str
    minutes: int | None
    rate: Decimal | None
    rate_origin: str
    location_name: str
    ms: int | None = None


@dataclass(frozen=True)
class WeekView:
    """A worker's workweek.

    Attributes:
        worker: The worker.
        week_start: Local date the workweek begins.
        start_day: 0 = Monday ... 6 = Sunday.
        start_time: Local time the workweek begins.
        lines: The week's shifts in start order.
    """

    worker: Worker
    week_start: date
    start_day: int
    start_time: time
    lines: tuple[ShiftLine, ...]

    @property
    def total_minutes(self) -> int:
        """Minutes worked as recorded over the shifts that have an end."""
        return sum(line.minutes or 0 for line in self.lines)

    @property
    def total_hours(self) -> Decimal:
        """Hours worked as recorded over the shifts that have an end: their exact sum rounded half-up to
        the hundredth, as the pay rounds a group of hours."""
        return shown_hours(sum(line.ms or 0 for line in self.lines))

    def shown_hours(self) -> list[Decimal | None]:
        """Each line's hours as shown: its own exact hours rounded half-up to the hundredth (what a reader
        checks against its clock times), None for a shift without an end."""
        return [None if line.ms is None else shown_hours(line.ms) for line in self.lines]

    @property
    def exceptions(self) -> int:
        """Number of shifts flagged for review."""
        return sum(1 for line in self.lines if line.shift.exceptions)


def week_bounds(day: date, start_day: int = 6) -> tuple[date, date]:
    """(first, last) local dates of the workweek holding ``day``."""
    first = week_start(day, start_day)
    return first, first + timedelta(days=6)


def _dec(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return D(text)
    except MoneyError:
        return None


def entry_shift(entry: ShiftEntry, worker: Worker, locations: Mapping[str, Location]) -> Shift:
    """A manual entry (``shift.entered``/``edited``) as an :class:`ot.core.domain.Shift`."""
    lid = entry.location_id or worker.location_id
    loc = locations.get(lid)
    breaks = []
    for b in entry.breaks:
        start = _instant(b.get("start"))
        if start is None:
            continue
        breaks.append(
            BreakSegment(
                start, _instant(b.get("end")), str(b.get("type_code") or DEFAULT_UNPAID), bool(b.get("paid", False))
            )
        )
    return Shift(
        shift_id=entry.shift_id,
        worker_id=entry.worker_id,
        start=entry.start,
        end=entry.end,
        timezone=loc.timezone if loc else "UTC",
        state=loc.state if loc else "",
        location_id=lid,
        rate=_dec(entry.rate),
        display_rate=_dec(entry.display_rate),
        breaks=tuple(breaks),
        pay_type=entry.pay_type,
        day=entry.day,
        minutes=entry.minutes,
        meal_waiver=entry.meal_waiver,
        hours=_dec(entry.hours) if entry.start is None else None,
        rest_attestation=entry.rest,
        city=loc.city if loc else None,
        county=loc.county if loc else None,
    )


def _instant(value: Any) -> datetime | None:
    from ot.core.timez import from_iso_utc

    if not isinstance(value, str):
        return None
    try:
        return from_iso_utc(value)
    except ValueError:
        return None


def _local_day(shift: Shift) -> date | None:
    if shift.start is not None:
        return local(shift.start, shift.timezone).date()
    return shift.day


def _in_week(shift: Shift, first: date, start_time: time) -> bool:
    if shift.start is None:
        return shift.day is not None and first <= shift.day <= first + timedelta(days=6)
    begin = local_midnight(first, shift.timezone, start_time)
    end = local_midnight(first + timedelta(days=7), shift.timezone, start_time)
    return begin <= shift.start < end


def week_shifts(
    ledger_path: Path,
    worker_id: str,
    day: date,
    *,
    start_day: int = 6,
    start_time: time = time(0, 0),
    break_types: Mapping[str, bool] | None = None,
) -> WeekView:
    """The shifts of ``worker_id``'s workweek holding ``day`` (see the module docstring).

    ``break_types`` (code -> paid) defaults to the break types of the rules in
    force at the week's start in the state of the worker's default location
    (:class:`BreakTypes`).
    """
    from ot.services.pay import shifts_in_force
    from ot.services.uow import unit_of_work

    first, _last = week_bounds(day, start_day)
    with unit_of_work(ledger_path) as uow:
        roster, locations = uow.roster, uow.locations
        worker = roster.get(worker_id)
        if worker is None:
            known = ", ".join(sorted(roster)[:8]) or "none yet: run `ot demo` or `ot import workers`"
            raise OtError(
                f"unknown worker {worker_id!r}",
                [Problem("--worker", f"no worker {worker_id!r} in the ledger (workers: {known})")],
            )
        manual_ids = {e.shift_id for e in uow.reads.shift_entries(worker_id=worker_id, include_deleted=True)}
        # The one shift loader, from the day before the week (a shift may start then, by another zone's clock).
        found = shifts_in_force(
            uow.reads, roster, locations, uow.history, [worker_id], first - timedelta(days=1), first + timedelta(days=7),
            break_types,
        )  # fmt: skip
    paired = [s for s in found if s.shift_id not in manual_ids]
    manual = [s for s in found if s.shift_id in manual_ids]
    lines: list[ShiftLine] = []
    for origin, shifts in (("punches", paired), ("manual", manual)):
        for s in shifts:
            if not _in_week(s, first, start_time):
                continue
            rate: Decimal | None
            if s.rate is not None:
                rate, rate_origin = s.rate, "shift"
            else:
                on = _local_day(s)
                rate = worker.rate_on(on) if on is not None else None
                rate_origin = "profile" if rate is not None else "none"
            loc = locations.get(s.location_id or "")
            lines.append(
                ShiftLine(s, origin, worked_minutes(s), rate, rate_origin, loc.name if loc else "", worked_ms(s))
            )
    lines.sort(key=_sort_key)
    return WeekView(worker, first, start_day, start_time, tuple(lines))


def _sort_key(line: ShiftLine) -> tuple[str, str]:
    s = line.shift
    if s.start is not None:
        return s.start.strftime("%Y-%m-%dT%H:%M:%S"), s.shift_id
    return (s.day.isoformat() if s.day else ""), s.shift_id


# --- display -----------------------------------------------------------------


def _clock(moment: datetime, tz: str, day: date | None = None) -> str:
    wall = local(moment, tz)
    text = wall.strftime("%H:%M")
    if day is not None and wall.date() != day:
        text += f"+{(wall.date() - day).days}"
    return text


def render_week(view: WeekView) -> str:
    """The week as text that fits in 80 columns."""
    w = view.worker
    rate_now = w.rate_on(view.week_start)
    first, last = view.week_start, view.week_start + timedelta(days=6)
    out = [
        f"{w.worker_id}  {w.name}  ({w.type}, default location {w.location_id}, "
        f"profile rate {rate_now if rate_now is not None else 'none'})",
        f"Workweek {DAYS[first.weekday()]} {first.isoformat()} {view.start_time.strftime('%H:%M')} to "
        f"{DAYS[last.weekday()]} {last.isoformat()}, local time at each location",
        "",
    ]
    if not view.lines:
        out.append("No shifts this week.")
        return "\n".join(out)
    out.append(f"{'shift':<9}{'day':<15}{'in':<6}{'out':<8}{'zone':<8}{'hours':>6}  {'rate':<16}{'location'}")
    for line, shown in zip(view.lines, view.shown_hours(), strict=True):
        s = line.shift
        tz = s.timezone
        rate = f"{line.rate} {line.rate_origin}" if line.rate is not None else "none"
        where = f"{s.location_id or '?'} {s.state}".strip()
        if s.start is None:
            day = s.day.isoformat() if s.day else "?"
            dname = DAYS[s.day.weekday()] if s.day else ""
            out.append(
                f"{s.shift_id:<9}{(dname + ' ' + day):<15}{'hours-only':<14}{'':<8}{'--' if shown is None else shown:>6}  {rate:<16}{where}"
            )
        else:
            day0 = local(s.start, tz).date()
            zone_abbr = local(s.start, tz).tzname() or ""
            if s.end is not None and (local(s.end, tz).tzname() or "") != zone_abbr:
                zone_abbr += "/" + (local(s.end, tz).tzname() or "")  # a DST change inside the shift
            end = _clock(s.end, tz, day0) if s.end is not None else "--:--"
            out.append(
                f"{s.shift_id:<9}{DAYS[day0.weekday()] + ' ' + day0.isoformat():<15}{_clock(s.start, tz):<6}{end:<8}"
                f"{zone_abbr:<8}{'--' if shown is None else shown:>6}  {rate:<16}{where}"
            )
        for b in s.breaks:
            b_end = _clock(b.end, tz) if b.end is not None else "(not ended)"
            paid = "paid" if b.paid else "unpaid"
            out.append(f"{'':<9}break {_clock(b.start, tz)}-{b_end} {b.type_code} ({paid})")
        if line.origin == "manual":
            out.append(f"{'':<9}manual entry ({s.pay_type})")
        if s.exceptions:
            out.append(f"{'':<9}review: {', '.join(s.exceptions)}")
    out.append("")
    flagged = f"; {view.exceptions} flagged for review" if view.exceptions else ""
    total = view.total_hours
    added = sum((h for h in view.shown_hours() if h is not None), Decimal("0.00"))
    out.append(f"{len(view.lines)} shifts, {total} hours worked as recorded{flagged}")
    if added != total:
        out.append(f"({total} is their exact sum; the lines, each rounded, add up to {added})")
    return "\n".join(out)


def week_as_json(view: WeekView) -> dict[str, Any]:
    """The week as JSON-able data (instants UTC, local times in each shift's zone)."""
    from ot.core.timez import iso_utc

    def when(moment: datetime | None, tz: str) -> dict[str, str] | None:
        if moment is None:
            return None
        return {"utc": iso_utc(moment), "local": local(moment, tz).strftime("%Y-%m-%dT%H:%M"), "timezone": tz}

    shifts = []
    for line, shown in zip(view.lines, view.shown_hours(), strict=True):
        s = line.shift
        shifts.append(
            {
                "shift_id": s.shift_id,
                "origin": line.origin,
                "start": when(s.start, s.timezone),
                "end": when(s.end, s.timezone),
                "day": s.day.isoformat() if s.day else None,
                "hours": str(shown) if shown is not None else None,
                "minutes": line.minutes,
                "breaks": [
                    {
                        "start": when(b.start, s.timezone),
                        "end": when(b.end, s.timezone),
                        "type_code": b.type_code,
                        "paid": b.paid,
                    }
                    for b in s.breaks
                ],
                "rate": str(line.rate) if line.rate is not None else None,
                "rate_origin": line.rate_origin,
                "location_id": s.location_id,
                "location": line.location_name,
                "state": s.state,
                "pay_type": s.pay_type,
                "exceptions": list(s.exceptions),
            }
        )
    return {
        "worker": view.worker.worker_id,
        "name": view.worker.name,
        "week_start": view.week_start.isoformat(),
        "hours": str(view.total_hours),
        "shifts": shifts,
    }
