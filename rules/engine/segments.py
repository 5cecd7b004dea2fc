"""Worked time -> pieces inside one local workday of one local workweek.

Everything here works in whole milliseconds since the Unix epoch (UTC), the
engine's unit (``ot.core.money``: punches keep their seconds, hours-only entries
their exact value), so DST never changes a length: a fall-back night
22:00-06:00 is 9 hours, a spring-forward one 7. Local wall time is used only to
find the workday and workweek boundaries, which are instants computed in the
work location's zone.

Order of operations for a shift (the same for every caller):

1. Punch rounding (``RuleSet.rounding``, 29 CFR 785.48(b)): the shift's start
   and end and each break's start and end are rounded to the nearest multiple
   of the policy's minutes of local wall time (neutral: half rounds up).
2. Breaks: a paid break (``BreakSegment.paid`` or a paid break type) is hours
   worked. An unpaid break of ``short_break_paid_minutes`` or less (785.18: 20)
   is hours worked too. Longer unpaid breaks are not (785.19), and a break
   never ended is counted as worked until someone fixes it.
3. What remains is split at every workday boundary (``workday_start``) and
   every workweek boundary; each piece belongs to one workday and one week.

An hours-only entry (``Shift.day`` + ``Shift.hours``, else ``Shift.minutes``)
counts on its day: it is placed from that workday's start (so that
consecutive-hours and rolling-24 rules can see it) and is never split, even on
a 23-hour DST day.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from ot.core.domain import Shift
from ot.core.money import MS_PER_MINUTE, hours_to_ms
from ot.core.timez import local_midnight, week_start, zone
from rules.model import RuleSet

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Piece(NamedTuple):
    """A stretch of one shift inside one workday of one workweek (an immutable tuple:
    the engine makes one per piece of worked time, so it is kept light).

    Attributes:
        shift_id: The shift.
        order: The shift's index in the input (a stable tie-break).
        start: Epoch milliseconds (UTC) it begins.
        end: Epoch milliseconds it ends (``end - start`` ms long).
        shift_start: Epoch milliseconds the whole shift begins.
        workday: Local date of its workday.
        week_start: Local date its workweek begins.
        state: USPS code of the work location.
        timezone: IANA zone of the work location.
        location_id: Work location id, or None.
        rate: The hourly rate that applies to it (shift's, else profile's).
        worked: False for PTO/SICK/HOLIDAY (paid, not hours worked).
        pay_type: ``REGULAR``, ``PTO``, ``SICK``, ``HOLIDAY``.
        hours_only: True for an hours-only entry.
        meal_waiver: The shift records a meal-period waiver.
        rest_missed: The shift records a missed rest period (its attestation, or the
            older ``rest_missed`` exception); see ``rest`` for the answer itself.
        after_break: Type code of the unpaid break just before this piece within
            its shift (a meal period's type), else None.
        rest: The shift's rest-period attestation (``rest-missed``/``rest-taken``), or None.
        city: City of the work location, or None (local minimum wages).
        county: County of the work location, or None.
    """

    shift_id: str
    order: int
    start: int
    end: int
    shift_start: int
    workday: date
    week_start: date
    state: str
    timezone: str
    location_id: str | None
    rate: Decimal
    worked: bool
    pay_type: str
    hours_only: bool
    meal_waiver: bool
    rest_missed: bool
    after_break: str | None = None

    rest: str | None = None
    city: str | None = None
    county: str | None = None

    @property
    def ms(self) -> int:
        """Length in milliseconds."""
        return self.end - self.start


_MS = timedelta(milliseconds=1)


def epoch_ms(moment: datetime) -> int:
    """Whole milliseconds since the epoch (the engine's unit: seconds are kept)."""
    if moment.microsecond == 0 and moment.tzinfo is not None:
        return int(moment.timestamp()) * 1000  # exact: a whole number of seconds is exact in a float
    return (moment - _EPOCH) // _MS


def from_epoch_ms(ms: int, tz: str) -> datetime:
    """The local aware datetime of an epoch millisecond in ``tz``."""
    return datetime.fromtimestamp(ms / 1000, zone(tz))


@lru_cache(maxsize=65536)
def boundary(day: date, tz: str, at: time) -> int:
    """Epoch milliseconds at which local ``day`` at ``at`` begins (after a DST gap if it falls in one)."""
    return epoch_ms(local_midnight(day, tz, at))


def _offset_ms(ms: int, tz: str) -> int:
    off = from_epoch_ms(ms, tz).utcoffset()
    return int(off // _MS) if off is not None else 0


def round_ms(ms: int, tz: str, step_minutes: int) -> int:
    """Round an epoch millisecond to the nearest ``step_minutes`` of local wall time (half up)."""
    if step_minutes <= 1:
        return ms
    step = step_minutes * MS_PER_MINUTE
    off = _offset_ms(ms, tz)
    wall = ms + off
    rounded = ((2 * wall + step) // (2 * step)) * step  # floor(wall / step + 1/2): half rounds up
    return rounded - off


def entry_ms(shift: Shift) -> int:
    """Length of an hours-only entry in milliseconds: its exact ``hours``, else its ``minutes``."""
    if shift.hours is not None:
        return hours_to_ms(shift.hours)
    return (shift.minutes or 0) * MS_PER_MINUTE


def week_of(ms: int, tz: str, start_day: int, start_time: time) -> date:
    """The local date the workweek containing an epoch millisecond begins on.

    ``start_day``: 0 = Monday ... 6 = Sunday (``RuleSet.workweek_start_day``).
    """
    wall = from_epoch_ms(ms, tz)
    day = week_start(wall.date(), start_day)
    if ms < boundary(day, tz, start_time):
        day -= timedelta(days=7)
    return day


def worked_intervals(
    shift: Shift,
    home: RuleSet,
    short_break: int | None,
    paid_codes: frozenset[str],
    counted: list[int] | None = None,
) -> list[tuple[int, int, str | None]]:
    """The worked stretches of a punched shift, in epoch milliseconds, after rounding and breaks,
    each with the type code of the unpaid break before it (None for the first).

    ``short_break``: unpaid breaks this long or shorter count as worked (None: none do).
    ``paid_codes``: break type codes declared paid. ``counted``: gets the length (ms) of each
    unpaid break counted as worked because it is short (29 CFR 785.18), when given.
    """
    assert shift.start is not None
    assert shift.end is not None
    tz = shift.timezone
    step = home.rounding.minutes
    start = round_ms(epoch_ms(shift.start), tz, step)
    end = round_ms(epoch_ms(shift.end), tz, step)
    gaps: list[tuple[int, int, str]] = []
    for brk in shift.breaks:
        if brk.end is None or brk.paid or brk.type_code in paid_codes:
            continue
        b0 = max(start, round_ms(epoch_ms(brk.start), tz, step))
        b1 = min(end, round_ms(epoch_ms(brk.end), tz, step))
        if b1 <= b0:
            continue
        if short_break is not None and b1 - b0 <= short_break * MS_PER_MINUTE:
            if counted is not None:
                counted.append(b1 - b0)
            continue
        gaps.append((b0, b1, brk.type_code))
    gaps.sort()
    out: list[tuple[int, int, str | None]] = []
    cursor = start
    before: str | None = None
    for b0, b1, code in gaps:
        if b0 > cursor:
            out.append((cursor, b0, before))
        cursor = max(cursor, b1)
        before = code
    if end > cursor:
        out.append((cursor, end, before))
    return out


#: Known (start, stop, workday, week) windows by zone and boundaries, sorted by start: many shifts
#: of one pricing fall in the same few local workdays, and finding a workday is the costly part.
_WINDOWS: dict[tuple[str, time, int, time], tuple[list[int], list[tuple[int, int, date, date]]]] = {}


def _window(cursor: int, tz: str, workday_start: time, week_day: int, week_time: time) -> tuple[int, int, date, date]:
    """The window of local time holding ``cursor`` within which the workday and workweek do not change."""
    key = (tz, workday_start, week_day, week_time)
    found = _WINDOWS.get(key)
    if found is None:
        if len(_WINDOWS) > 256:
            _WINDOWS.clear()
        found = _WINDOWS[key] = ([], [])
    starts, windows = found
    i = bisect_right(starts, cursor) - 1
    if i >= 0 and windows[i][1] > cursor:
        return windows[i]
    wall = datetime.fromtimestamp(cursor / 1000, zone(tz))
    day = wall.date()
    week = week_start(day, week_day)
    day_begins = boundary(day, tz, workday_start)
    if cursor < day_begins:
        day -= timedelta(days=1)
        day_begins = boundary(day, tz, workday_start)
    week_begins = boundary(week, tz, week_time)
    if cursor < week_begins:
        week -= timedelta(days=7)
        week_begins = boundary(week, tz, week_time)
    stop = min(boundary(day + timedelta(days=1), tz, workday_start), boundary(week + timedelta(days=7), tz, week_time))
    window = (max(day_begins, week_begins), stop, day, week)
    if len(starts) < 4096:
        j = bisect_right(starts, window[0])
        starts.insert(j, window[0])
        windows.insert(j, window)
    return window


def split(
    start: int,
    end: int,
    tz: str,
    workday_start: time,
    week_day: int,
    week_time: time,
) -> list[tuple[int, int, date, date]]:
    """Split ``[start, end)`` at workday and workweek boundaries: (start, end, workday, week_start)."""
    out: list[tuple[int, int, date, date]] = []
    cursor = start
    while cursor < end:
        _lo, hi, day, week = _window(cursor, tz, workday_start, week_day, week_time)
        stop = end if end < hi else hi
        if stop <= cursor:  # pragma: no cover - boundaries always move forward
            stop = end
        out.append((cursor, stop, day, week))
        cursor = stop
    return out
