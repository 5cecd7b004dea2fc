"""The one module that owns time.

Instants are timezone-aware UTC datetimes; local wall time appears only at the
edges (parsing input, workday/workweek boundaries, display). Nothing here reads
the clock except :func:`utcnow`, which callers pass down as ``now``.

DST: a local time that happens twice (the repeated hour of a fall-back night) is an
error unless an offset says which (:class:`AmbiguousTime`, naming both offsets), and
a local time that does not exist (the skipped hour of a spring-forward night) is an
error: neither is guessed, so a night shift is paid the hours really worked. Only
``ot calc``, whose contract says an ambiguous time means its first occurrence, asks
for that (``first=True``).
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pendulum

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "STATE_ZONES",
    "UTC",
    "AmbiguousTime",
    "TimeError",
    "as_utc",
    "check_year",
    "local",
    "local_date",
    "parse_local",
    "utcnow",
    "wall_after",
    "week_start",
    "zone",
]


class TimeError(ValueError):
    """A time text or zone that cannot be read; the message says why."""


class AmbiguousTime(TimeError):
    """A local wall time that happens twice (a fall-back night), given without the offset that says which."""


# The main (most populous) IANA zone of each state, used when a shift names a
# state but no zone (contracts/calc.md: "default: the worker's, else the
# state's main zone").
STATE_ZONES: dict[str, str] = {
    "AL": "America/Chicago",
    "AK": "America/Anchorage",
    "AZ": "America/Phoenix",
    "AR": "America/Chicago",
    "CA": "America/Los_Angeles",
    "CO": "America/Denver",
    "CT": "America/New_York",
    "DE": "America/New_York",
    "DC": "America/New_York",
    "FL": "America/New_York",
    "GA": "America/New_York",
    "HI": "Pacific/Honolulu",
    "ID": "America/Boise",
    "IL": "America/Chicago",
    "IN": "America/Indiana/Indianapolis",
    "IA": "America/Chicago",
    "KS": "America/Chicago",
    "KY": "America/New_York",
    "LA": "America/Chicago",
    "ME": "America/New_York",
    "MD": "America/New_York",
    "MA": "America/New_York",
    "MI": "America/Detroit",
    "MN": "America/Chicago",
    "MS": "America/Chicago",
    "MO": "America/Chicago",
    "MT": "America/Denver",
    "NE": "America/Chicago",
    "NV": "America/Los_Angeles",
    "NH": "America/New_York",
    "NJ": "America/New_York",
    "NM": "America/Denver",
    "NY": "America/New_York",
    "NC": "America/New_York",
    "ND": "America/Chicago",
    "OH": "America/New_York",
    "OK": "America/Chicago",
    "OR": "America/Los_Angeles",
    "PA": "America/New_York",
    "RI": "America/New_York",
    "SC": "America/New_York",
    "SD": "America/Chicago",
    "TN": "America/Chicago",
    "TX": "America/Chicago",
    "UT": "America/Denver",
    "VT": "America/New_York",
    "VA": "America/New_York",
    "WA": "America/Los_Angeles",
    "WV": "America/New_York",
    "WI": "America/Chicago",
    "WY": "America/Denver",
    "PR": "America/Puerto_Rico",
    "GU": "Pacific/Guam",
    "VI": "America/St_Thomas",
}


#: The years a date or time a person types may fall in (a year 1 or 9999 is a typo, and breaks date arithmetic).
FIRST_YEAR = 1900
LAST_YEAR = 2100


def check_year(day: date, text: str | None = None) -> None:
    """:class:`TimeError` unless ``day`` (a date or a datetime) falls in :data:`FIRST_YEAR`..:data:`LAST_YEAR`."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        shown = repr(text) if text is not None else day.isoformat()
        raise TimeError(f"{shown} is out of range: give a date from {FIRST_YEAR} to {LAST_YEAR}")


def utcnow() -> datetime:
    """The current instant (UTC). Only edges (CLI, TUI) call this."""
    return datetime.now(UTC)


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``, or :class:`TimeError` naming it."""
    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        raise TimeError(f"unknown time zone {name!r}: give an IANA name such as America/Chicago")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeError(f"unknown time zone {name!r}: give an IANA name such as America/Chicago") from None


def as_utc(moment: datetime) -> datetime:
    """An aware datetime converted to UTC (naive input is a programming error)."""
    if moment.tzinfo is None:
        raise TimeError("naive datetime: an instant needs a zone or an offset")
    return moment.astimezone(UTC)


def local(moment: datetime, tz: str | tzinfo) -> datetime:
    """The wall-clock datetime of an instant in a zone."""
    z = zone(tz) if isinstance(tz, str) else tz
    return as_utc(moment).astimezone(z)


def local_date(moment: datetime, tz: str) -> date:
    """The local calendar date of an instant in a zone."""
    return local(moment, tz).date()


def _exists(naive: datetime, z: ZoneInfo) -> bool:
    aware = naive.replace(tzinfo=z)
    back = aware.astimezone(UTC).astimezone(z).replace(tzinfo=None)
    return back == naive


def _wall_text(naive: datetime) -> str:
    return naive.isoformat(timespec="seconds" if naive.second or naive.microsecond else "minutes")


def _offset_text(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta(0)) // timedelta(minutes=1))
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _twice(naive: datetime, tz: str, z: ZoneInfo) -> AmbiguousTime:
    """The error of a wall time that happens twice, with the text of each occurrence."""
    text = _wall_text(naive)
    early, late = naive.replace(tzinfo=z, fold=0), naive.replace(tzinfo=z, fold=1)
    return AmbiguousTime(
        f"{text} happens twice in {tz} (clocks are set back that night for the end of daylight saving time): "
        f"give its UTC offset: {text}{_offset_text(early.utcoffset())} for the first ({early.tzname()}), "
        f"{text}{_offset_text(late.utcoffset())} for the second ({late.tzname()})"
    )


def _repeated(naive: datetime, z: ZoneInfo) -> bool:
    """Whether an existing wall time happens twice in zone ``z``."""
    return naive.replace(tzinfo=z, fold=0).utcoffset() != naive.replace(tzinfo=z, fold=1).utcoffset()


def localize(naive: datetime, tz: str, *, first: bool = False) -> datetime:
    """A naive local wall time in zone ``tz`` as a UTC instant.

    :class:`AmbiguousTime` for a time that happens twice (a fall-back night), naming the offset of each
    occurrence, unless ``first`` (then it is the first occurrence); :class:`TimeError` for a time
    skipped by a spring-forward change.
    """
    z = zone(tz)
    if not _exists(naive, z):
        raise TimeError(
            f"{naive.isoformat(timespec='minutes')} does not exist in {tz} "
            "(clocks skip that hour for daylight saving time): give an offset or a real time"
        )
    if not first and _repeated(naive, z):
        raise _twice(naive, tz, z)
    return naive.replace(tzinfo=z, fold=0).astimezone(UTC)


def wall_after(after: datetime, at: time, tz: str, *, first: bool = False) -> datetime:
    """The first instant after ``after`` at which the clock in ``tz`` reads ``at``: on the local day of
    ``after``, else the next day (an end given as ``HH:MM``).

    When that wall time happens twice after ``after`` (a fall-back night), :class:`AmbiguousTime`
    unless ``first`` (then the earlier); :class:`TimeError` when it falls in a spring-forward gap.
    """
    z = zone(tz)
    day = local(after, z).date()
    for d in (day, day + timedelta(days=1)):
        naive = datetime.combine(d, at)
        if not _exists(naive, z):
            if naive.replace(tzinfo=z).astimezone(UTC) <= after:
                continue  # an earlier wall time than ``after`` on its day: the next day's is meant
            localize(naive, tz)  # raises: that time does not exist
        later = sorted({m for m in (naive.replace(tzinfo=z, fold=f).astimezone(UTC) for f in (0, 1)) if m > after})
        if len(later) == 2 and not first:
            raise _twice(naive, tz, z)
        if later:
            return later[0]
    raise AssertionError("unreachable: the next day's wall time is after any instant of this day")


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", re.ASCII)
_FIELDS = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?:Z|[+-](\d{2}):?(\d{2}))?$", re.ASCII
)


def _impossible(raw: str) -> str:
    """Which field of a well-shaped ISO time does not exist (month 13, February 30, hour 25...)."""
    m = _FIELDS.match(raw)
    if m is None:
        return "it cannot be read"
    year, month, day, hour, minute = (int(g) for g in m.groups()[:5])
    second, off_h, off_m = (int(g) if g is not None else 0 for g in m.groups()[5:])
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    if day < 1 or day > calendar.monthrange(year, month)[1]:
        return f"{calendar.month_name[month]} {year} has no day {day}"
    if hour > 23:
        return f"there is no hour {hour:02d} (24-hour time runs 00:00 to 23:59)"
    if minute > 59 or second > 59:
        return "minutes and seconds run 00 to 59"
    if off_h > 23 or off_m > 59:
        return "the UTC offset is not one (write it as +HH:MM, e.g. -08:00)"
    return "it cannot be read"


def parse_local(text: str, tz: str, *, first: bool = False) -> datetime:
    """Read an ISO 8601 time (``2026-11-02T08:03``, or with an offset) as a UTC instant.

    Local wall time is read in zone ``tz``: one that happens twice (a fall-back night) needs its offset
    (:class:`AmbiguousTime`), unless ``first`` (``ot calc``'s contract: the first occurrence). Raises
    :class:`TimeError` with a message a user can act on.
    """
    raw = text.strip()
    if not _ISO.match(raw):
        raise TimeError(f"{text!r} is not a time: write it as YYYY-MM-DDTHH:MM (24-hour), e.g. 2026-11-02T08:03")
    try:
        parsed = pendulum.parse(raw, tz=None, strict=True, exact=True)
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        raise TimeError(
            f"{text!r} is not a valid time: {_impossible(raw)}: write it as YYYY-MM-DDTHH:MM (24-hour), "
            "e.g. 2026-11-02T08:03"
        ) from None
    if not isinstance(parsed, datetime):
        raise TimeError(f"{text!r} is not a date and time: write it as YYYY-MM-DDTHH:MM")
    check_year(parsed, text)
    if parsed.tzinfo is not None:
        try:
            instant = datetime.fromtimestamp(parsed.timestamp(), UTC)
        except (OverflowError, ValueError, OSError):
            raise TimeError(f"{text!r} is out of range: give a date from {FIRST_YEAR} to {LAST_YEAR}") from None
        check_year(instant, text)
        return instant
    naive = datetime(
        parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second, parsed.microsecond
    )
    return localize(naive, tz, first=first)


def parse_date(text: str) -> date:
    """Read ``YYYY-MM-DD`` (:data:`FIRST_YEAR` to :data:`LAST_YEAR`); :class:`TimeError` says what was expected."""
    raw = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw, re.ASCII):
        raise TimeError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-02")
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        year, month, dom = (int(x) for x in raw.split("-"))
        if year < 1:
            why = "there is no year 0000"
        elif not 1 <= month <= 12:
            why = f"there is no month {month:02d}"
        else:
            why = f"{calendar.month_name[month]} {year} has no day {dom}"
        raise TimeError(f"{text!r} is not a date: {why}") from None
    check_year(day, text)
    return day


def parse_hhmm(text: str) -> time:
    """Read ``HH:MM`` (24-hour), in the digits 0-9 (``re.ASCII``: ``\\d`` alone matches every script's digits)."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip(), re.ASCII)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise TimeError(f"{text!r} is not a time of day: write it as HH:MM in 24-hour time, e.g. 06:00")
    return time(int(m.group(1)), int(m.group(2)))


def week_start(day: date, start_day: int) -> date:
    """The first local date of the workweek holding ``day``, for a workweek that
    begins on weekday ``start_day`` (0 = Monday ... 6 = Sunday)."""
    return day - timedelta(days=(day.weekday() - start_day) % 7)


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes actually elapsed between two instants (DST-proof: UTC arithmetic)."""
    return int((as_utc(end) - as_utc(start)) // timedelta(minutes=1))


def local_midnight(day: date, tz: str, at: time = time(0, 0)) -> datetime:
    """The UTC instant at which local ``day`` (starting at ``at``) begins in ``tz``.

    If ``at`` falls in a DST gap that day, the first instant after the gap.
    """
    z = zone(tz)
    naive = datetime.combine(day, at)
    if _exists(naive, z):
        return naive.replace(tzinfo=z, fold=0).astimezone(UTC)
    # Spring-forward gap: the boundary is the first real minute after it.
    probe = naive
    while not _exists(probe, z):
        probe += timedelta(minutes=1)
    return probe.replace(tzinfo=z).astimezone(UTC)


def to_epoch(moment: datetime) -> int:
    """Epoch seconds of an instant (the Everee API's unit)."""
    return int(as_utc(moment).timestamp())


def iso_utc(moment: datetime) -> str:
    """Canonical text of an instant for storage: ``2026-11-02T16:03:00Z``."""
    m = as_utc(moment)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}Z"


def from_iso_utc(text: str) -> datetime:
    """Inverse of :func:`iso_utc` (``YYYY-MM-DDTHH:MM:SSZ`` only; no ``strptime`` on this hot path)."""
    if len(text) != 20 or text[10] != "T" or text[19] != "Z":
        raise ValueError(f"not an instant in the ledger's form: {text!r}")
    # Python 3.11 reads the Z itself as UTC: a tenth of the time of slicing it off and replacing the zone.
    value = datetime.fromisoformat(text)
    if value.tzinfo is not UTC:
        raise ValueError(f"not an instant in the ledger's form: {text!r}")
    return value
