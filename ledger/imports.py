"""Reading the canonical CSV layouts (``contracts/import.md``) into ledger events.

Everything here is pure: file bytes, the file's name and the ledger's current
reference data (roster, locations, PIN hashes) go in; an :class:`ImportPlan`
(the events to append, plus notes) comes out, or an :class:`ot.core.errors.OtError`
listing *every* bad row as ``FILE:LINE:COLUMN: what is wrong and what to do``.
LINE is the physical line of the file (the header is line 1), COLUMN the
1-based column of the offending field. Nothing is written here: the service
(``ot.services.imports``) validates the whole file inside one write
transaction and appends all of the plan or nothing.

Idempotency: every event carries a key, so the same file twice adds nothing.
A punch's key is :func:`ledger.events.punch_key` (worker, instant, kind); a
roster row is compared with the current roster and only what changed becomes
an event (keyed by the change and the state it replaces).

Extension columns (the contract allows extending, never changing):

- punches ``rate``: a shift-specific effective hourly rate (decimal dollars),
  on an ``in`` punch only; the shift it starts is paid at that rate instead of
  the worker's profile rate (Everee's ``effectiveHourlyPayRate``).
- workers ``rate_effective``: the first date (``YYYY-MM-DD``) on which the
  row's ``pay_rate`` applies. Empty or absent: a new worker's rate applies
  from the beginning, a changed rate of an existing worker from the import's
  date. A changed pay rate of an existing worker becomes a
  ``worker.rate_changed`` event from that date.
- workers ``display_rate``: the rate the worker's stubs show beside the rate
  paid where a shift sets none (Everee's ``displayHourlyPayRate``), decimal
  dollars; never used for money. Empty: none. A file without the column leaves
  the display rates as they are (as ``city`` and ``county`` of locations).

Birth dates and SSNs are read only to derive the PIN (``ledger.pins``); no
message, note or event ever contains them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from ledger.events import NewEvent, PunchFields
from ledger.mapping import LAYOUTS, ColumnMapping, HeaderMap, Layout, resolve_header
from ledger.pins import derive_pin
from ot.core.cells import control_problem
from ot.core.domain import (
    DEFAULT_UNPAID,
    PAY_PLANS,
    PUNCH_KINDS,
    REST_ATTESTATIONS,
    ROLES,
    WORKER_TYPES,
    Location,
    Worker,
)
from ot.core.errors import OtError, Problem
from ot.core.money import MoneyError, read_decimal, read_rate, read_salary
from ot.core.timez import FIRST_YEAR, LAST_YEAR, STATE_ZONES, TimeError, as_utc, check_year, localize, parse_local, zone

__all__ = [
    "MAX_LINE_BYTES",
    "MAX_LISTED",
    "Cell",
    "FileText",
    "ImportPlan",
    "Row",
    "check_punches",
    "decode",
    "demoted_admins",
    "fast_local",
    "iter_punch_events",
    "iter_rows",
    "listed",
    "plan_locations",
    "plan_punches",
    "plan_workers",
    "read_bounded",
    "read_rows",
    "stream_punches",
]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_BREAK_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
_SSN = re.compile(r"^(\d{3}-?\d{2}-?)?(\d{4})$", re.ASCII)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_SIX = re.compile(r"^\d{6}$", re.ASCII)
_OFFSET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})$", re.ASCII)
_PLAIN_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$", re.ASCII)


@dataclass(frozen=True)
class Cell:
    """One field of a row.

    Attributes:
        value: The text (after the mapping's value translations), stripped.
        column: 1-based column in the file; 0 when it came from a mapping
            constant or the column is absent.
    """

    value: str
    column: int


@dataclass(frozen=True)
class Row:
    """A data row.

    Attributes:
        line: Physical line where the row starts (the header is line 1).
        cells: Canonical column -> :class:`Cell`.
    """

    line: int
    cells: Mapping[str, Cell]

    def get(self, column: str) -> Cell:
        """The cell of ``column`` (an empty cell when the file lacks it)."""
        return self.cells.get(column, _NO_CELL)

    def has(self, column: str) -> bool:
        """Whether the file (or its mapping) gives this column."""
        return column in self.cells


_NO_CELL = Cell("", 0)


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file would do.

    Attributes:
        layout: ``locations``, ``workers`` or ``punches``.
        file: The file's name as shown in messages.
        rows: Number of data rows read.
        events: Events to append (each with an idempotency key), in order.
        unchanged: Rows that change nothing (an existing, identical roster row).
        notes: Things the user should know that do not stop the import
            (two workers sharing a PIN, say).
    """

    layout: str
    file: str
    rows: int
    events: tuple[NewEvent, ...]
    unchanged: int = 0
    notes: tuple[str, ...] = ()


def _where(file: str, line: int, column: int) -> str:
    return f"{file}:{line}:{column}" if column else f"{file}:{line}"


#: How many problems a refused file lists; the rest are counted ("and 199,950 more problems on 199,950
#: more rows, not listed"): a file of 200,000 bad rows printed 200,000 lines (a review), and kept them all.
MAX_LISTED = 50


def listed(file: str, problems: Sequence[Problem], more: int, more_rows: int) -> list[Problem]:
    """``problems`` (at most :data:`MAX_LISTED`) and, when ``more`` were left out, a last line counting them."""
    if not more:
        return list(problems)
    rows = f" on {more_rows:,} more row{'s' if more_rows != 1 else ''}" if more_rows else ""
    return [
        *problems,
        Problem(
            file,
            f"and {more:,} more problem{'s' if more != 1 else ''}{rows}, not listed (the first {len(problems)} are "
            "above): fix them all",
        ),
    ]


class _Problems:
    """Collects located problems for one file: the first :data:`MAX_LISTED`, and a count of the rest."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []
        self.lines: set[int] = set()
        self._listed_lines: set[int] = set()
        self.unlisted = 0

    def add(self, row: Row | int, column: str | int, message: str, *, cell: Cell | None = None) -> None:
        line = row.line if isinstance(row, Row) else row
        if isinstance(column, int):
            col = column
        else:
            c = cell if cell is not None else (row.get(column) if isinstance(row, Row) else Cell("", 0))
            col = c.column
            if col == 0:
                message = f"{column}: {message}"
        self.append(line, Problem(_where(self.file, line, col), message))

    def append(self, line: int, problem: Problem) -> None:
        """Keep a located problem of ``line`` (or only count it, past :data:`MAX_LISTED`)."""
        self.lines.add(line)
        if len(self.items) < MAX_LISTED:
            self.items.append(problem)
            self._listed_lines.add(line)
        else:
            self.unlisted += 1

    def raise_if_any(self, layout: str) -> None:
        if self.items:
            count = len(self.items) + self.unlisted
            n = max(len(self.lines), 1)
            rows = "row" if n == 1 else "rows"
            more_rows = len(self.lines - self._listed_lines)
            raise OtError(
                f"{self.file}: refused ({count:,} problem{'s' if count != 1 else ''} "
                f"on {n:,} {rows}); nothing was imported: fix the {layout} file and import it again",
                listed(self.file, self.items, self.unlisted, more_rows),
            )


def _decode(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = before[line_start:].count(b",") + 1
        raise OtError(
            f"{file}: refused; nothing was imported",
            [
                Problem(
                    _where(file, line, column),
                    f'the file is not UTF-8 text (byte 0x{data[exc.start]:02X}): save it as UTF-8 ("CSV UTF-8") and import it again',
                )
            ],
        ) from None


#: The longest line a CSV file may have, in bytes (64 KiB): a row of ids, times and names is well under a
#: kilobyte. A longer line (a file with no line ends, such as a disk image or /dev/zero) is refused once
#: this much of it is read, rather than read into memory whole.
MAX_LINE_BYTES = 64 * 1024


class FileText:
    """A CSV file read line by line as UTF-8, never whole: a million-punch file costs one line of
    memory at a time, and a line at most :data:`MAX_LINE_BYTES` long (a longer one is refused at its
    FILE:LINE when that much of it has been read). Iterating opens it anew (a dry run walks it twice);
    a byte that is not UTF-8 raises the same located :class:`OtError` as :func:`decode`, from the line
    it is on.

    Lines split on ``\n`` bytes, which never occur inside a UTF-8 character; a quoted value that
    spans lines is joined again by the CSV reader.
    """

    def __init__(self, path: Path, file: str) -> None:
        self.path = path
        self.file = file

    def __iter__(self) -> Iterator[str]:
        with self.path.open("rb") as raw:
            for number, chunk in bounded_lines(raw, self.file):
                try:
                    line = chunk.decode("utf-8")
                except UnicodeDecodeError as exc:
                    column = chunk[: exc.start].count(b",") + 1
                    raise OtError(
                        f"{self.file}: refused; nothing was imported",
                        [
                            Problem(
                                _where(self.file, number, column),
                                f"the file is not UTF-8 text (byte 0x{chunk[exc.start]:02X}): "
                                'save it as UTF-8 ("CSV UTF-8") and import it again',
                            )
                        ],
                    ) from None
                yield line[1:] if number == 1 and line.startswith("\ufeff") else line


def bounded_lines(raw: BinaryIO, file: str) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each line of ``raw``, each read whole only when at most
    :data:`MAX_LINE_BYTES` long (its line end aside); a longer one is a located :class:`OtError` once
    that much of it has been read."""
    number = 0
    while chunk := raw.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(chunk) - chunk.endswith(b"\n") > MAX_LINE_BYTES:
            raise OtError(
                f"{file}: refused; nothing was imported",
                [
                    Problem(
                        _where(file, number, 0),
                        f"this line is longer than {MAX_LINE_BYTES // 1024} KiB ({MAX_LINE_BYTES:,} bytes), the "
                        "most a CSV line may be: check that this is the CSV file you meant (one record a line), "
                        "or split the line",
                    )
                ],
            )
        yield number, chunk


def read_bounded(path: Path, file: str) -> bytes:
    """The bytes of a CSV file read whole (the layouts planned whole: locations, workers, schedules,
    earnings), line by line so that a line longer than :data:`MAX_LINE_BYTES` (a file with no line
    ends, /dev/zero) is refused rather than read into memory whole."""
    with path.open("rb") as raw:
        return b"".join(chunk for _, chunk in bounded_lines(raw, file))


def decode(data: bytes | str, file: str) -> str:
    """The text of a file: UTF-8 (a byte-order mark is dropped), else a located :class:`OtError`."""
    text = data if isinstance(data, str) else _decode(data, file)
    return text[1:] if text.startswith("\ufeff") else text


def iter_rows(
    text: str | Iterable[str], file: str, layout: Layout, mapping: ColumnMapping | None, problems: _Problems
) -> Iterator[Row]:
    """Split decoded CSV text (or its lines, as :class:`FileText` gives them) into :class:`Row`
    records keyed by canonical column, lazily.

    Raises :class:`OtError` at once for an empty file or a bad header; a row
    with more or fewer fields than the header, or unreadable quoting, is added
    to ``problems`` (the caller raises them all at the end).
    """
    for start, fields, header_map in _iter_fields(text, file, layout, mapping, problems):
        yield _make_row(start, fields, header_map, mapping)


def _make_row(start: int, fields: Sequence[str], header_map: HeaderMap, mapping: ColumnMapping | None) -> Row:
    """The :class:`Row` of one data row's fields."""
    cells: dict[str, Cell] = {}
    for name, index in header_map.positions.items():
        value = fields[index].strip()
        if mapping is not None:
            value = mapping.translate(name, value)
        cells[name] = Cell(value, index + 1)
    for name, value in header_map.constants.items():
        cells[name] = Cell(mapping.translate(name, value) if mapping is not None else value, 0)
    return Row(start, cells)


def _iter_fields(
    text: str | Iterable[str], file: str, layout: Layout, mapping: ColumnMapping | None, problems: _Problems
) -> Iterator[tuple[int, list[str], HeaderMap]]:
    """(line, fields, header) of each data row as wide as the header (see :func:`iter_rows`)."""
    lines: Iterable[str]
    if isinstance(text, str):
        empty = not text.strip()
        lines = io.StringIO(text, newline="")
    else:
        stream = iter(text)
        blank: list[str] = []
        for line in stream:  # look for the first line with something on it, keeping those before
            blank.append(line)
            if line.strip():
                break
        empty = not blank or not blank[-1].strip()
        lines = itertools.chain(blank, stream)
    if empty:
        problems.add(
            1, 1, f"the file is empty: it needs a header row ({','.join(layout.columns)}) and one row per record"
        )
        problems.raise_if_any(layout.name)
    delimiter = mapping.delimiter if mapping is not None else ","
    # The first line of the record being read, kept for a record the reader cannot finish: a quote left
    # open swallows every line after it, so the reader fails at the file's end (a review: a quote opened
    # on line 2 of a 51-line file was reported at 51:1).
    opened = ["", 0]

    def first_lines(lines: Iterable[str]) -> Iterator[str]:
        for number, line in enumerate(lines, 1):
            if number == opened[1]:
                opened[0] = line
            yield line

    reader = csv.reader(first_lines(lines), delimiter=delimiter, strict=True)
    header_map: HeaderMap | None = None
    last_line = 0
    opened[1] = 1
    try:
        for fields in reader:
            start = last_line + 1
            last_line = reader.line_num
            opened[1] = last_line + 1
            if not fields or (header_map is not None and not "".join(fields).strip()):
                continue  # a blank line
            if header_map is None:
                header_map, header_problems = resolve_header(fields, layout, mapping, file)
                if start != 1:
                    problems.add(start, 1, "the header must be on line 1: remove the blank lines above it")
                for problem in header_problems:
                    problems.append(1, problem)
                problems.raise_if_any(layout.name)
                continue
            if len(fields) != header_map.width:
                what = "more" if len(fields) > header_map.width else "fewer"
                col = header_map.width + 1 if len(fields) > header_map.width else len(fields)
                problems.add(
                    start,
                    max(col, 1),
                    f"{len(fields)} fields, {what} than the header's {header_map.width}: "
                    "check for a stray or missing comma (quote a value that holds one)",
                )
                continue
            yield start, fields, header_map
    except csv.Error as exc:
        start = last_line + 1
        # The file (or the field's limit) ended inside a quoted field: the quote is on the record's first line.
        unclosed = "end of data" in str(exc) or "field limit" in str(exc)
        column = _open_quote(str(opened[0]), delimiter) if unclosed else None
        if column is not None:
            problems.add(
                start,
                column,
                f"unreadable CSV ({exc}): this field opens a quote that is never closed (the lines after it "
                'were read into it): close it, or write a quote inside a quoted value as two ("")',
            )
        else:
            problems.add(reader.line_num or 1, 1, f"unreadable CSV ({exc}): check the quotes on this line")
    if header_map is None:
        problems.add(1, 1, f"the file has no header row: start it with {','.join(layout.columns)}")
        problems.raise_if_any(layout.name)


def _open_quote(line: str, delimiter: str) -> int | None:
    """The 1-based column of the field of ``line`` whose quote is still open at the line's end (the CSV
    dialect of :func:`csv.reader`: a field quoted from its start, a quote inside doubled), else None."""
    column, quoted, at_start, opened_at = 1, False, True, 0
    i = 0
    text = line.rstrip("\r\n")
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"':
                if text[i + 1 : i + 2] == '"':
                    i += 1  # a doubled quote: one quote in the value
                else:
                    quoted = False
        elif ch == delimiter:
            column += 1
            at_start = True
            i += 1
            continue
        elif ch == '"' and at_start:
            quoted, opened_at = True, column
        at_start = False
        i += 1
    return opened_at if quoted else None


def read_rows(data: bytes | str, file: str, layout: Layout, mapping: ColumnMapping | None = None) -> list[Row]:
    """Every row of a file (see :func:`iter_rows`); :class:`OtError` lists every problem found."""
    problems = _Problems(file)
    rows = list(iter_rows(decode(data, file), file, layout, mapping, problems))
    problems.raise_if_any(layout.name)
    return rows


# --- field readers -----------------------------------------------------------


def _read_id(p: _Problems, row: Row, column: str, what: str, *, required: bool = True) -> str | None:
    cell = row.get(column)
    if not cell.value:
        if required:
            p.add(row, column, f"{column} is empty: give the {what} id")
        return None
    if not _ID.match(cell.value):
        p.add(row, column, f"{column} {cell.value!r} is not an id: use letters, digits, '_', '-' or '.' (at most 64)")
        return None
    return cell.value


def _plain(p: _Problems, row: Row, column: str) -> bool:
    """Whether the row's ``column`` (a name, a city) is plain text: one with a control character (an
    escape a terminal acts on, a newline, a NUL) is a problem at its cell (``ot.core.cells``)."""
    problem = control_problem(row.get(column).value, column)
    if problem is not None:
        p.add(row, column, problem)
    return problem is None


class _Folded:
    """The ids of a mapping (the roster, the locations) by lower case, made on first use: an id that
    differs from one of them only by case is a mistake to name (``w01`` for ``W01``)."""

    def __init__(self, ids: Iterable[str]) -> None:
        self._ids = ids
        self._by_lower: dict[str, str] | None = None

    def other(self, ident: str) -> str | None:
        """The id that differs from ``ident`` only by case, if any."""
        if self._by_lower is None:
            self._by_lower = {}
            for i in self._ids:
                self._by_lower.setdefault(i.lower(), i)
        found = self._by_lower.get(ident.lower())
        return found if found != ident else None

    def hint(self, ident: str) -> str:
        """`` (the ledger has W01; ids are case-sensitive)`` for an unknown id with a case variant, else ''."""
        other = self.other(ident)
        return f" (the ledger has {other}; ids are case-sensitive)" if other is not None else ""


def _read_rate(p: _Problems, row: Row, column: str) -> Decimal | None:
    cell = row.get(column)
    try:
        return read_rate(cell.value, column)
    except MoneyError as exc:
        p.add(row, column, str(exc))
        return None


def _rate_text(rate: Decimal) -> str:
    """Canonical decimal text of a rate: at least two places (``20`` -> ``20.00``)."""
    text = format(rate.normalize(), "f")
    if "." not in text:
        return text + ".00"
    whole, frac = text.split(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def _read_date(
    p: _Problems, row: Row, column: str, mapping: ColumnMapping | None, *, secret: bool = False
) -> date | None:
    cell = row.get(column)
    shown = "" if secret else f" {cell.value!r}"
    fmt = mapping.date_format if mapping is not None else None
    try:
        if fmt:
            day = datetime.strptime(cell.value, fmt).date()
        else:
            if not _ISO_DATE.match(cell.value):
                raise ValueError
            day = date.fromisoformat(cell.value)
    except ValueError:
        pattern = fmt or "YYYY-MM-DD"
        p.add(row, column, f"{column}{shown} is not a real date: write it as {pattern}")
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        p.add(row, column, f"{column}{shown} is out of range: give a date from {FIRST_YEAR} to {LAST_YEAR}")
        return None
    return day


# --- locations ---------------------------------------------------------------


def plan_locations(
    data: bytes | str, file: str, locations: Mapping[str, Location], mapping: ColumnMapping | None = None
) -> ImportPlan:
    """Events for a locations file: new locations, and changed fields of existing ones."""
    layout = LAYOUTS["locations"]
    p = _Problems(file)
    rows = list(iter_rows(decode(data, file), file, layout, mapping, p))
    events: list[NewEvent] = []
    seen: dict[str, int] = {}
    seen_lower: dict[str, tuple[str, int]] = {}
    folded = _Folded(locations)
    unchanged = 0
    for row in rows:
        lid = _read_id(p, row, "location_id", "location")
        name = row.get("name").value
        if not name:
            p.add(row, "name", "name is empty: give the location a name")
        elif not _plain(p, row, "name"):
            name = ""
        plain_city, plain_county = _plain(p, row, "city"), _plain(p, row, "county")  # both, to name both
        state = row.get("state").value.upper()
        if state not in STATE_ZONES:
            p.add(row, "state", f"state {row.get('state').value!r} is not a USPS state code: write it like CA or NY")
        tz = row.get("timezone").value
        try:
            zone(tz)
        except TimeError as exc:
            p.add(row, "timezone", str(exc))
            tz = ""
        if lid is None:
            continue
        if lid in seen:
            p.add(
                row,
                "location_id",
                f"location {lid} appears twice in this file (first on line {seen[lid]}): keep one row per location",
            )
            continue
        seen[lid] = row.line
        if lid not in locations and _case_variant(p, row, "location_id", "location", lid, folded, seen_lower):
            continue
        if not name or state not in STATE_ZONES or not tz or not (plain_city and plain_county):
            continue
        current = locations.get(lid)
        fields: dict[str, str | None] = {"name": name, "state": state, "timezone": tz}
        place = {c: (row.get(c).value.strip() or None) for c in ("city", "county") if row.has(c)}
        if current is None:
            added = {"location_id": lid, **fields, **{k: v for k, v in place.items() if v}}
            events.append(NewEvent("location.added", added, key=f"location.added:{lid}"))
            continue
        fields.update(place)  # a file without the column leaves the city and county as they are
        changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
        if not changed:
            unchanged += 1
            continue
        before = {k: getattr(current, k) for k in changed}
        events.append(
            NewEvent(
                "location.changed", {"location_id": lid, **changed}, key=_change_key("location", lid, changed, before)
            )
        )
    p.raise_if_any("locations")
    return ImportPlan("locations", file, len(rows), tuple(events), unchanged)


def _case_variant(
    p: _Problems, row: Row, column: str, what: str, ident: str, known: _Folded, seen_lower: dict[str, tuple[str, int]]
) -> bool:
    """Refuse a new id that differs from one already in the ledger, or on an earlier row of the file, only
    by case (``w01`` beside ``W01``: two workers a search, a spreadsheet or a person cannot tell apart);
    returns whether it was refused."""
    other = known.other(ident)
    if other is not None:
        p.add(
            row,
            column,
            f"{what} id {ident!r} differs from {other}, already in the ledger, only by case: write {other} to "
            f"change that {what}, or choose an id of its own for a new one",
        )
        return True
    prior = seen_lower.setdefault(ident.lower(), (ident, row.line))
    if prior[0] != ident:
        p.add(
            row,
            column,
            f"{what} id {ident!r} differs from {prior[0]} on line {prior[1]} of this file only by case: write "
            f"{prior[0]} for the same {what}, or choose an id of its own",
        )
        return True
    return False


def _change_key(what: str, ident: str, changed: Mapping[str, object], before: Mapping[str, object]) -> str:
    text = json.dumps({"id": ident, "to": changed, "from": before}, sort_keys=True, default=str)
    return f"{what}.changed:{ident}:" + hashlib.sha256(text.encode()).hexdigest()[:32]


# --- workers -----------------------------------------------------------------


@dataclass(frozen=True)
class _WorkerRow:
    line: int
    worker_id: str
    name: str
    type: str
    pay_rate: Decimal
    rate_effective: date | None
    location_id: str
    manager_id: str | None
    role: str
    pin: str | None
    #: The display rate (None: none), or the column is absent (``False``: left as it is).
    display_rate: Decimal | bool | None = False
    pin_override: bool = False
    #: The pay plan (``pay_plan`` column: None when the file has no such column) and its hours.
    plan: str | None = None
    plan_hours: Decimal | None = None


def _display_field(w: _WorkerRow) -> dict[str, str | None]:
    """The ``display_rate`` of a worker event: decimal text; none when the row gives none."""
    if isinstance(w.display_rate, bool) or w.display_rate is None:
        return {}
    return {"display_rate": _rate_text(w.display_rate)}


def _read_plan(p: _Problems, row: Row) -> tuple[str | None, Decimal | None]:
    """(pay plan, its fixed-week hours) of a row: None when the file has no ``pay_plan`` column."""
    if not row.has("pay_plan"):
        if row.get("plan_hours").value:
            p.add(row, "plan_hours", "plan_hours needs a pay_plan column (salary-fixed): add it, or drop the hours")
        return None, None
    plan = row.get("pay_plan").value.lower() or "hourly"
    if plan not in PAY_PLANS:
        p.add(
            row,
            "pay_plan",
            f"pay_plan {row.get('pay_plan').value!r} is not one of {', '.join(PAY_PLANS)}: "
            "hourly pays pay_rate an hour; salary-fww and salary-fixed take pay_rate as the weekly salary",
        )
        return None, None
    text = row.get("plan_hours").value
    if plan != "salary-fixed":
        if text:
            p.add(row, "plan_hours", f"plan_hours is for a salary-fixed plan, not {plan}: leave it empty")
        return plan, None
    try:
        hours = Decimal(text) if text else None
    except ArithmeticError:
        hours = None
    if hours is None or not hours.is_finite() or not Decimal(0) < hours <= Decimal(40):
        p.add(
            row,
            "plan_hours",
            f"plan_hours {text!r}: give the hours of the fixed workweek the salary is for, "
            "more than 0 and at most 40 (29 CFR 778.113(a), 778.322)",
        )
        return None, None
    return plan, hours


def _rate_plan(row: Row, plan: str | None, current: Worker | None, on: date) -> str | None:
    """The pay plan a row's pay_rate is for: the row's (None when it names none the layout knows), else,
    a file without the column leaving the plan as it is, the worker's plan in force on ``on``."""
    if row.has("pay_plan"):
        return plan
    change = current.change_on(on) if current is not None else None
    return change.plan if change is not None else "hourly"


def _read_pay_rate(p: _Problems, row: Row, plan: str | None) -> Decimal | None:
    """A row's pay_rate: dollars an hour, or a salary plan's weekly salary in whole cents (a review: a
    weekly salary of 12000 was refused as over 10000 "dollars per hour", and 1500.123 was accepted)."""
    text = row.get("pay_rate").value
    try:
        if plan in ("salary-fww", "salary-fixed"):
            return read_salary(text, "pay_rate", plan=plan)
        if plan is None:  # a pay_plan the layout does not know (named at its column): only read the number
            return read_decimal(text, "pay_rate", example="21.50")
        return read_rate(text, "pay_rate")
    except MoneyError as exc:
        p.add(row, "pay_rate", str(exc))
        return None


def _plan_fields(plan: str | None, hours: Decimal | None) -> dict[str, str | None]:
    """The payload fields of a pay plan: none for hourly pay (the events as they always were)."""
    if plan in (None, "hourly"):
        return {}
    return {"plan": plan, "plan_hours": format(hours.normalize(), "f") if hours is not None else None}


def _read_pin(p: _Problems, row: Row, mapping: ColumnMapping | None, today: date) -> str | None:
    """The row's PIN: the override, else derived from birth date + SSN. Never echoes either."""
    override = row.get("pin_override").value
    birth = row.get("birth_date").value
    ssn = row.get("ssn").value
    if override:
        if not _SIX.match(override):
            p.add(row, "pin_override", "pin_override must be exactly six digits (or empty): fix it and import again")
            return None
        return override
    if not birth and not ssn:
        return None
    if not birth or not ssn:
        missing = "birth_date" if not birth else "ssn"
        p.add(row, missing, f"{missing} is empty: give both birth_date and ssn to derive the PIN, or a pin_override")
        return None
    born = _read_date(p, row, "birth_date", mapping, secret=True)
    m = _SSN.match(ssn)
    if m is None:
        p.add(row, "ssn", "ssn is not an SSN: write it as 123-45-6789 or just its last four digits")
        return None
    if born is None:
        return None
    if born > today:
        p.add(row, "birth_date", "birth_date is in the future: check it (it is read only to derive the PIN)")
        return None
    try:
        return derive_pin(born, m.group(2))
    except OtError:
        p.add(row, "ssn", "ssn and birth_date do not give a PIN: check both, or set a pin_override")
        return None


def plan_workers(
    data: bytes | str,
    file: str,
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    *,
    today: date,
    pins: PinChecker | None = None,
    mapping: ColumnMapping | None = None,
) -> ImportPlan:
    """Events for a workers file.

    Args:
        roster: The current roster (worker id -> Worker).
        locations: The current locations (a worker's default location must exist).
        today: Date a changed pay rate applies from when the row gives no ``rate_effective``.
        pins: What the ledger keeps of PINs, checked with the pepper (``ot.services.pins.PinBook``):
            a PIN is set again only when it changed; an override another worker holds is refused, a
            derived PIN another holds is noted (:func:`_shared_pins`).
        mapping: Optional column mapping.

    New workers become ``worker.added`` (managers before their reports) and
    ``worker.pin_set``; existing ones get ``worker.changed`` for changed fields,
    ``worker.rate_changed`` when the rate in force on ``rate_effective``
    differs, and ``worker.pin_set`` when their PIN changed or became (or stopped being) an override.
    """
    layout = LAYOUTS["workers"]
    p = _Problems(file)
    rows = list(iter_rows(decode(data, file), file, layout, mapping, p))
    parsed: list[_WorkerRow] = []
    seen: dict[str, int] = {}
    seen_lower: dict[str, tuple[str, int]] = {}
    folded, folded_locations = _Folded(roster), _Folded(locations)
    for row in rows:
        wid = _read_id(p, row, "worker_id", "worker")
        name = row.get("name").value
        if not name:
            p.add(row, "name", "name is empty: give the worker's name")
        elif not _plain(p, row, "name"):
            name = ""
        wtype = row.get("type").value.upper().replace("-", "")
        if wtype not in WORKER_TYPES:
            p.add(
                row,
                "type",
                f"type {row.get('type').value!r} is not W2 or 1099: write W2 for an employee, 1099 for a contractor",
            )
        effective: date | None = None
        if row.get("rate_effective").value:
            effective = _read_date(p, row, "rate_effective", mapping)
        plan, plan_hours = _read_plan(p, row)
        rate = _read_pay_rate(p, row, _rate_plan(row, plan, roster.get(wid or ""), effective or today))
        display: Decimal | bool | None = False
        if row.has("display_rate"):
            display = _read_rate(p, row, "display_rate") if row.get("display_rate").value else None
        lid = _read_id(p, row, "location_id", "default work location")
        if lid is not None and lid not in locations:
            p.add(
                row,
                "location_id",
                f"unknown location {lid!r}{folded_locations.hint(lid)}: import it with `ot import locations` "
                "first, or fix the id",
            )
            lid = None
        mid = _read_id(p, row, "manager_id", "manager", required=False)
        role = row.get("role").value.lower()
        if role not in ROLES:
            p.add(row, "role", f"role {row.get('role').value!r} is not one of {', '.join(ROLES)}: write one of them")
        pin = _read_pin(p, row, mapping, today)
        if wid is None:
            continue
        if wid in seen:
            p.add(
                row,
                "worker_id",
                f"worker {wid} appears twice in this file (first on line {seen[wid]}): keep one row per worker",
            )
            continue
        seen[wid] = row.line
        if wid not in roster and _case_variant(p, row, "worker_id", "worker", wid, folded, seen_lower):
            continue
        if mid is not None and mid == wid:
            p.add(
                row, "manager_id", f"worker {wid} cannot be their own manager: give another manager or leave it empty"
            )
            mid = None
        if name and wtype in WORKER_TYPES and rate is not None and lid is not None and role in ROLES:
            override = pin is not None and bool(row.get("pin_override").value)
            parsed.append(
                _WorkerRow(
                    row.line,
                    wid,
                    name,
                    wtype,
                    rate,
                    effective,
                    lid,
                    mid,
                    role,
                    pin,
                    display,
                    override,
                    plan,
                    plan_hours,
                )
            )

    # Managers: must exist (in the ledger or in this file) and be a manager or an admin.
    by_id = {w.worker_id: w for w in parsed}
    by_line = {r.line: r for r in rows}
    for w in parsed:
        if w.manager_id is None:
            continue
        row = by_line[w.line]
        in_file = by_id.get(w.manager_id)
        existing = roster.get(w.manager_id)
        if in_file is None and existing is None and w.manager_id not in seen:
            p.add(
                row,
                "manager_id",
                f"manager {w.manager_id!r} does not exist{folded.hint(w.manager_id)}: import them first (or in "
                "this file), or fix the id",
            )
            continue
        mgr_role = in_file.role if in_file is not None else (existing.role if existing is not None else None)
        if mgr_role == "worker":
            p.add(
                row,
                "manager_id",
                f"{w.manager_id} is a worker, not a manager or admin: give them the role manager, or pick another manager",
            )
    _manager_loops(parsed, roster, p, by_line)
    order = _managers_first(parsed)
    p.raise_if_any("workers")

    events: list[NewEvent] = []
    unchanged = 0
    with_pin = [w for w in order if w.pin is not None]
    if with_pin and pins is None:
        raise ValueError("plan_workers needs a PIN checker for rows that give a PIN")
    checker = pins
    changed_pin: set[str] = set()
    if checker is not None:
        same = checker.unchanged([(w.worker_id, w.pin) for w in with_pin if w.pin is not None])
        changed_pin = {w.worker_id for w in with_pin} - same
        # The same PIN, now (or no longer) an override: set again, so the ledger says which it is
        # (a PIN set before schema 8 is recorded as an override at the next import that gives one).
        overridden = checker.overrides()
        changed_pin |= {w.worker_id for w in with_pin if w.pin_override != (w.worker_id in overridden)}
    notes = _shared_pins(with_pin, changed_pin, checker, p, by_line)
    p.raise_if_any("workers")
    for w in order:
        current = roster.get(w.worker_id)
        before = len(events)
        if current is None:
            events.append(
                NewEvent(
                    "worker.added",
                    {
                        "worker_id": w.worker_id,
                        "name": w.name,
                        "type": w.type,
                        "pay_rate": _rate_text(w.pay_rate),
                        "rate_effective": w.rate_effective.isoformat() if w.rate_effective else None,
                        "location_id": w.location_id,
                        "manager_id": w.manager_id,
                        "role": w.role,
                        **_display_field(w),
                        **_plan_fields(w.plan, w.plan_hours),
                    },
                    key=f"worker.added:{w.worker_id}",
                    worker_id=w.worker_id,
                )
            )
        else:
            fields: dict[str, object] = {
                "name": w.name,
                "type": w.type,
                "location_id": w.location_id,
                "manager_id": w.manager_id,
                "role": w.role,
            }
            if not isinstance(w.display_rate, bool):  # a file without the column leaves it as it is
                fields["display_rate"] = w.display_rate
            changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
            if "display_rate" in changed:  # as decimal text, or None: cleared
                changed["display_rate"] = _display_field(w).get("display_rate")
            if changed:
                prev = {k: getattr(current, k) for k in changed}
                events.append(
                    NewEvent(
                        "worker.changed",
                        {"worker_id": w.worker_id, **changed},
                        key=_change_key("worker", w.worker_id, changed, prev),
                        worker_id=w.worker_id,
                    )
                )
            effective_on = w.rate_effective or today
            in_force = current.rate_on(effective_on)
            change = current.change_on(effective_on)
            had: tuple[str, Decimal | None] = (
                (change.plan, change.plan_hours) if change is not None else ("hourly", None)
            )
            new_plan: tuple[str, Decimal | None] = (
                (w.plan, w.plan_hours) if w.plan is not None else had
            )  # no column: the plan stays
            if in_force is None or in_force != w.pay_rate or new_plan != had:
                new_rate = _rate_text(w.pay_rate)
                plan_fields = _plan_fields(*new_plan)
                was = f":{had[0]}" if plan_fields or had[0] != "hourly" else ""
                events.append(
                    NewEvent(
                        "worker.rate_changed",
                        {
                            "worker_id": w.worker_id,
                            "rate": new_rate,
                            "effective": effective_on.isoformat(),
                            **plan_fields,
                        },
                        key=(
                            f"worker.rate_changed:{w.worker_id}:{effective_on.isoformat()}:{new_rate}"
                            f"{':' + str(plan_fields.get('plan')) + ':' + str(plan_fields.get('plan_hours')) if plan_fields else ''}"
                            f":from:{in_force}{was}"
                        ),
                        worker_id=w.worker_id,
                    )
                )
        if w.pin is not None and w.worker_id in changed_pin:
            assert checker is not None
            payload = checker.payload(w.worker_id, w.pin)
            payload["override"] = w.pin_override
            events.append(
                NewEvent("worker.pin_set", payload, key=f"worker.pin_set:{payload['pin_hash']}", worker_id=w.worker_id)
            )
        if len(events) == before:
            unchanged += 1

    if checker is not None:
        checker.remember()
    return ImportPlan("workers", file, len(rows), tuple(events), unchanged, tuple(sorted(notes)))


def _shared_pins(
    with_pin: Sequence[_WorkerRow],
    changed_pin: set[str],
    checker: PinChecker | None,
    p: _Problems,
    by_line: Mapping[int, Row],
) -> list[str]:
    """Check the PINs this file sets against the file's other rows and the ledger's workers; returns the
    notes. Only a PIN the file sets (new or changed) is checked.

    - A ``pin_override`` that another worker holds is refused at its column: an override is the
      admin's choice, made to be one worker's own, and writing it would lock the other worker out at
      the clock (a shared PIN is refused there). A ledger worker holding it is never named, nor its
      PIN shown: the message says only that it is taken (a review: the note named the worker, telling
      whoever imports whose PIN they had typed). A six-digit override with a leading zero is checked
      as its five digits too, as the clock also tries it so (``093333`` is ``93333``).
    - A PIN derived from birth date and SSN that another worker holds stays a note, as it always was
      (the clock refuses the shared PIN until an admin gives one of them an override; refusing the
      file would stop a hire over a coincidence): workers of the file are named (whoever imports has
      their rows), a worker already in the ledger is not.
    """
    by_pin: dict[str, list[_WorkerRow]] = {}
    for w in sorted(with_pin, key=lambda w: w.line):
        assert w.pin is not None
        by_pin.setdefault(w.pin, []).append(w)
    file_ids = {w.worker_id for w in with_pin}
    holders: dict[str, list[str]] = {}

    def outside(pin: str) -> list[str]:
        """The ledger's workers holding ``pin``, besides those whose PIN this file sets anew."""
        if checker is None:
            return []
        if pin not in holders:
            holders[pin] = [h for h in checker.holders(pin) if h not in file_ids]
        return holders[pin]

    notes: list[str] = []
    for w in sorted(with_pin, key=lambda w: w.line):
        if w.worker_id not in changed_pin:
            continue
        assert w.pin is not None
        row = by_line[w.line]
        if w.pin_override:
            pins = [w.pin, w.pin[1:]] if w.pin.startswith("0") else [w.pin]
            # Another row of this file: an override later in the file is told about this one instead.
            others = [
                o
                for pin in pins
                for o in by_pin.get(pin, ())
                if o is not w and not (o.pin_override and o.worker_id in changed_pin and o.line > w.line)
            ]
            tail = " (at the clock, a six-digit PIN starting with 0 is also tried without it)"
            if others:
                o = others[0]
                p.add(
                    row,
                    "pin_override",
                    f"worker {o.worker_id} on line {o.line} of this file has this PIN"
                    f"{tail if o.pin != w.pin else ''}: choose another six-digit override",
                )
            elif any(outside(pin) for pin in pins):
                taken_as_is = bool(outside(w.pin))
                p.add(
                    row,
                    "pin_override",
                    f"this PIN is taken by another worker{'' if taken_as_is else tail}: choose another six-digit "
                    "override (a PIN must be one worker's own; who holds it is not shown)",
                )
            continue
        if outside(w.pin):
            notes.append(
                f"the PIN derived for {w.worker_id} (line {w.line}) is already another worker's: the clock refuses "
                f"it to both until one has their own: give {w.worker_id} a pin_override (six digits) and import "
                "again"
            )
    for group in by_pin.values():
        if len(group) > 1 and any(w.worker_id in changed_pin for w in group):
            names = sorted(w.worker_id for w in group)
            text = ", ".join(names[:-1]) + " and " + names[-1]
            notes.append(
                f"workers {text} share a PIN: set a pin_override for one of them (their PIN is refused until then)"
            )
    return sorted(notes)


def demoted_admins(
    data: bytes | str, file: str, admins: Sequence[str], mapping: ColumnMapping | None = None
) -> list[Problem]:
    """The rows of a workers file that take the admin role from one of ``admins``, each at its role
    (FILE:LINE:COLUMN), saying what to do: for the refusal of a file that would leave no admin, which
    named only the workers (a review)."""
    out: list[Problem] = []
    for row in read_rows(data, file, LAYOUTS["workers"], mapping):
        wid, role = row.get("worker_id").value, row.get("role").value.lower()
        if wid in admins and role != "admin":
            out.append(
                Problem(
                    _where(file, row.line, row.get("role").column),
                    f"{wid}'s role would change from admin to {role}, and no admin would be left: keep it admin, "
                    "or make another worker an admin (in this file, or first)",
                )
            )
    return out


class PinChecker(Protocol):
    """What planning a workers file needs of PINs (``ot.services.pins.PinBook``)."""

    def unchanged(self, pins: Sequence[tuple[str, str]]) -> set[str]: ...
    def holders(self, pin: str) -> list[str]: ...
    def payload(self, worker_id: str, pin: str) -> dict[str, object]: ...
    def remember(self) -> None:
        """Keep what the plan learnt of PINs, so that the same PIN is not hashed again next time."""
        ...

    def overrides(self) -> set[str]: ...


def _manager_loops(
    parsed: Sequence[_WorkerRow], roster: Mapping[str, Worker], p: _Problems, by_line: Mapping[int, Row]
) -> None:
    """Refuse managers that would form a loop once the file is applied: the file's rows over the
    roster's, so that a loop closing through workers already in the ledger (A1's manager set to M1,
    whose manager in the ledger is A1) is caught as well as one inside the file. Each loop is named
    once, at the manager_id of its first row in the file."""
    managers: dict[str, str | None] = {wid: w.manager_id for wid, w in roster.items()}
    managers.update({w.worker_id: w.manager_id for w in parsed})
    in_file = {w.worker_id for w in parsed}
    named: set[str] = set()
    for w in parsed:
        if w.worker_id in named or w.manager_id is None:
            continue
        chain = [w.worker_id]
        on_chain = {w.worker_id}
        cur = managers.get(w.worker_id)
        while cur is not None and cur not in on_chain:
            chain.append(cur)
            on_chain.add(cur)
            cur = managers.get(cur)
        if cur != w.worker_id:
            continue  # no loop, or one this row only leads into (named at a row of its own)
        named |= on_chain
        outside = [c for c in chain if c not in in_file]
        if outside:
            where = "; in the ledger, " + ", ".join(f"{c}'s manager is {managers[c]}" for c in outside)
            todo = f"or first give {' and '.join(outside)} another manager"
        else:
            where, todo = "", "or change another row of the loop"
        p.add(
            by_line[w.line],
            "manager_id",
            f"managers form a loop ({' -> '.join(chain)}){where}: give {w.worker_id} another manager or none, {todo}",
        )


def _managers_first(parsed: Sequence[_WorkerRow]) -> list[_WorkerRow]:
    """The rows ordered so that a manager added by this file comes before their reports (loops are
    refused by :func:`_manager_loops` before; one still here stops the chain where it closes)."""
    by_id = {w.worker_id: w for w in parsed}
    done: set[str] = set()
    order: list[_WorkerRow] = []
    for w in parsed:
        chain: list[_WorkerRow] = []
        cur: _WorkerRow | None = w
        while cur is not None and cur.worker_id not in done and cur not in chain:
            chain.append(cur)
            cur = by_id.get(cur.manager_id) if cur.manager_id else None
        for c in reversed(chain):
            done.add(c.worker_id)
            order.append(c)
    return order


# --- punches -----------------------------------------------------------------


def plan_punches(
    data: bytes | str,
    file: str,
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    mapping: ColumnMapping | None = None,
    *,
    source: str | None = None,
) -> ImportPlan:
    """``punch.recorded`` events for a punches file (keyed: the same punch twice is one punch)."""
    p = _Problems(file)
    counter = [0]
    events = tuple(
        iter_punch_events(decode(data, file), file, roster, locations, mapping, p, source=source, counter=counter)
    )
    p.raise_if_any("punches")
    return ImportPlan("punches", file, counter[0], events)


def check_punches(
    text: str | Iterable[str],
    file: str,
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    mapping: ColumnMapping | None = None,
) -> int:
    """Validate a whole punches file without keeping its events; returns the number of rows.

    For large files: the service checks first, then streams
    :func:`iter_punch_events` into the ledger, so memory stays flat.
    """
    p = _Problems(file)
    counter = [0]
    for _ in iter_punch_events(text, file, roster, locations, mapping, p, counter=counter):
        pass
    p.raise_if_any("punches")
    return counter[0]


def stream_punches(
    text: str | Iterable[str],
    file: str,
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    mapping: ColumnMapping | None,
    append: Callable[[Iterable[NewEvent | PunchFields]], int],
    *,
    source: str | None = None,
) -> tuple[int, int]:
    """Read a punches file in one pass, feeding good rows' events to ``append`` as they come.

    Returns (rows read, what ``append`` reported). If any row is bad, raises
    :class:`OtError` listing every bad row *after* the walk: the caller runs
    this inside its write transaction, so the exception rolls back whatever
    was appended (nothing is written). One pass keeps a million-row file fast
    and its memory flat (``Writer.extend`` streams in chunks). A row of the fast
    path comes as its :data:`ledger.events.PunchFields` (a tuple; the writer
    checks it and hashes its key once), not as a NewEvent with a payload dict.
    """
    p = _Problems(file)
    counter = [0]
    added = append(_punch_events(text, file, roster, locations, mapping, p, source, counter, as_fields=True))
    p.raise_if_any("punches")
    return counter[0], added


def iter_punch_events(
    text: str | Iterable[str],
    file: str,
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    mapping: ColumnMapping | None,
    problems: _Problems | None = None,
    *,
    source: str | None = None,
    counter: list[int] | None = None,
) -> Iterator[NewEvent]:
    """The ``punch.recorded`` event of every good row, lazily; bad rows go to ``problems``.

    Without ``problems``, any bad row raises :class:`OtError` when the walk ends.
    """
    events = _punch_events(text, file, roster, locations, mapping, problems, source, counter, as_fields=False)
    return cast(Iterator[NewEvent], events)  # without ``as_fields``, only NewEvents


def _punch_events(
    text: str | Iterable[str],
    file: str,
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    mapping: ColumnMapping | None,
    problems: _Problems | None,
    source: str | None,
    counter: list[int] | None,
    *,
    as_fields: bool,
) -> Iterator[NewEvent | PunchFields]:
    """:func:`iter_punch_events`; with ``as_fields``, a row of the fast path comes as its
    :data:`ledger.events.PunchFields` (the same event: ``punch_fields_event`` of it)."""
    own = problems is None
    p = problems if problems is not None else _Problems(file)
    src = source or f"import:{Path(file).name}"
    zones: dict[str, str] = {lid: loc.timezone for lid, loc in locations.items()}
    # The fast path (a canonical file without a mapping, the common case of a million rows): a row of
    # a known active worker, a plain kind, no break type, rate or rest attestation and a plain local
    # time is turned into its event straight from its fields, with the same text the long way gives
    # (tests/ledger/test_imports_streaming.py pins it). Any other row takes the long way, which
    # also names what is wrong with it.
    fast = mapping is None
    worker_zone = {
        wid: zones[w.location_id]
        for wid, w in roster.items()
        if w.active and w.location_id in zones and _ID.match(wid) and "\n" not in wid
    }
    location_zone = {lid: tz for lid, tz in zones.items() if _ID.match(lid) and "\n" not in lid}
    clock = _HourClock()
    folded = (_Folded(roster), _Folded(locations))
    sha256 = hashlib.sha256
    seen_header: HeaderMap | None = None
    iw = it = ik = il = ib = ir = irest = -1
    for start, fields, header_map in _iter_fields(text, file, LAYOUTS["punches"], mapping, p):
        if counter is not None:
            counter[0] += 1
        if fast:
            if header_map is not seen_header:
                seen_header = header_map
                pos = header_map.positions
                iw, it, ik = pos.get("worker_id", -1), pos.get("time", -1), pos.get("kind", -1)
                il, ib = pos.get("location_id", -1), pos.get("break_type", -1)
                ir, irest = pos.get("rate", -1), pos.get("rest_attestation", -1)
                fast = iw >= 0 and it >= 0 and ik >= 0 and not header_map.constants
            wid = fields[iw].strip() if fast else ""
            tz = worker_zone.get(wid)
            if tz is not None:
                lid = fields[il].strip() if il >= 0 else ""
                if lid:
                    tz = location_zone.get(lid)
                kind = fields[ik].strip()
                if (
                    tz is not None
                    and kind in _PUNCH_KIND_SET
                    and (ib < 0 or not fields[ib].strip())
                    and (ir < 0 or not fields[ir].strip())
                    and (irest < 0 or not fields[irest].strip())
                ):
                    at_text = clock.utc_text(fields[it].strip(), tz)
                    if at_text is not None and as_fields:
                        yield (wid, at_text, kind, lid or None, DEFAULT_UNPAID if kind == "break_start" else None, src)
                        continue
                    if at_text is not None:
                        yield NewEvent(
                            "punch.recorded",
                            {
                                "worker_id": wid,
                                "at": at_text,
                                "kind": kind,
                                "location_id": lid or None,
                                "break_type": DEFAULT_UNPAID if kind == "break_start" else None,
                                "rate": None,
                                "source": src,
                            },
                            key="punch:" + sha256(f"{wid}|{at_text}|{kind}".encode()).hexdigest(),
                            worker_id=wid,
                        )
                        continue
        row = _make_row(start, fields, header_map, mapping)
        event = _punch_event(p, row, roster, locations, zones, mapping, src, folded)
        if event is not None:
            yield event
    if own:
        p.raise_if_any("punches")


_PUNCH_KIND_SET = frozenset(PUNCH_KINDS)
_SIXTY = frozenset(f"{n:02d}" for n in range(60))
_PLAIN_HOUR = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(\d{2})$", re.ASCII)
_HOUR = timedelta(hours=1)
_LAST_SECOND = timedelta(minutes=59, seconds=59)


class _HourClock:
    """Local wall times (``YYYY-MM-DDTHH:MM[:SS]``, or a space for the T) to UTC instant text, by the hour.

    Each zone's hours are worked out once (with :func:`ot.core.timez.zone`, as :func:`fast_local`
    does): an hour whose offset is the same all through it (no transition, no fold, no gap) and a
    whole number of hours gives the UTC hour; the minutes and seconds are copied. Anything else
    (another format, an hour with a transition, a zone off the hour, a year out of range) gives None
    and the row takes the long way. No datetime parsing per row.
    """

    def __init__(self) -> None:
        self._zones: dict[str, dict[str, str | None]] = {}

    def utc_text(self, text: str, tz: str) -> str | None:
        n = len(text)
        if n == 16:
            seconds = "00"
        elif n == 19 and text[16] == ":":
            seconds = text[17:19]
            if seconds not in _SIXTY:
                return None
        else:
            return None
        if text[13] != ":" or text[10] not in "T " or text[14:16] not in _SIXTY:
            return None
        hours = self._zones.get(tz)
        if hours is None:
            hours = self._zones[tz] = {}
        hour = text[:10] + text[11:13]
        try:
            utc_hour = hours[hour]
        except KeyError:
            if len(hours) >= 20_000:  # bounded (a few MB a zone): a file is mostly in time order
                hours.clear()
            utc_hour = hours[hour] = _utc_hour(hour, tz)
        if utc_hour is None:
            return None
        return f"{utc_hour}:{text[14:16]}:{seconds}Z"


def _utc_hour(hour: str, tz: str) -> str | None:
    """``YYYY-MM-DDTHH`` in UTC of the local hour ``YYYY-MM-DDHH`` in ``tz``, when one whole-hour
    offset holds all through it; else None."""
    m = _PLAIN_HOUR.match(hour)
    if m is None:
        return None
    year, month, day, hh = (int(g) for g in m.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        naive = datetime(year, month, day, hh)
    except ValueError:
        return None
    z = zone(tz)
    offset = naive.replace(tzinfo=z).utcoffset()
    last = naive + _LAST_SECOND
    offsets = {
        offset,
        naive.replace(tzinfo=z, fold=1).utcoffset(),
        last.replace(tzinfo=z).utcoffset(),
        last.replace(tzinfo=z, fold=1).utcoffset(),
    }
    if offset is None or len(offsets) != 1 or offset % _HOUR:
        return None
    return (naive - offset).isoformat()[:13]


def _punch_event(
    p: _Problems,
    row: Row,
    roster: Mapping[str, Worker],
    locations: Mapping[str, Location],
    zones: Mapping[str, str],
    mapping: ColumnMapping | None,
    src: str,
    folded: tuple[_Folded, _Folded] | None = None,
) -> NewEvent | None:
    wid = _read_id(p, row, "worker_id", "worker")
    worker = roster.get(wid) if wid is not None else None
    if wid is not None and worker is None:
        hint = folded[0].hint(wid) if folded else ""
        p.add(
            row, "worker_id", f"unknown worker {wid!r}{hint}: import them with `ot import workers` first, or fix the id"
        )
    elif worker is not None and not worker.active:
        p.add(row, "worker_id", f"worker {wid} is no longer active: their punches cannot be recorded; remove the row")
        worker = None
    lid = _read_id(p, row, "location_id", "location", required=False)
    bad_location = False
    if lid is not None and lid not in locations:
        p.add(
            row,
            "location_id",
            f"unknown location {lid!r}{folded[1].hint(lid) if folded else ''}: import it with `ot import locations` "
            "first, or leave it empty for the worker's default",
        )
        lid = None
        bad_location = True
    raw_kind = row.get("kind").value
    kind = raw_kind.lower().replace("-", "_").replace(" ", "_")
    if kind not in PUNCH_KINDS:
        p.add(
            row,
            "kind",
            f"kind {raw_kind!r} is not one of {', '.join(PUNCH_KINDS)}: use one of them "
            "(or --mapping with a [kinds] table for another system's words)",
        )
        kind = ""
    break_type: str | None = None
    bt = row.get("break_type").value
    if bt:
        if kind and kind != "break_start":
            p.add(
                row, "break_type", f"break_type is only allowed on a break_start punch, not on {kind}: leave it empty"
            )
        elif not _BREAK_CODE.match(bt):
            p.add(
                row,
                "break_type",
                f"break_type {bt!r} is not a type code: use capitals, digits and '_', e.g. DEFAULT_UNPAID",
            )
        else:
            break_type = bt
    elif kind == "break_start":
        break_type = DEFAULT_UNPAID
    rate: str | None = None
    if row.get("rate").value:
        if kind and kind != "in":
            p.add(
                row,
                "rate",
                f"rate is only allowed on an in punch (it sets the shift's rate), not on {kind}: leave it empty",
            )
        else:
            r = _read_rate(p, row, "rate")
            rate = _rate_text(r) if r is not None else None
    rest: str | None = None
    attested = row.get("rest_attestation").value.strip().lower()
    if attested:
        if kind and kind != "out":
            p.add(
                row,
                "rest_attestation",
                f"rest_attestation is only allowed on an out punch (the answer at clock-out), not on {kind}: "
                "leave it empty",
            )
        elif attested not in REST_ATTESTATIONS:
            p.add(
                row,
                "rest_attestation",
                f"rest_attestation {attested!r} is not one of {', '.join(REST_ATTESTATIONS)}: use one, or leave it empty",
            )
        else:
            rest = attested
    # The time is local wall time in the work location's zone.
    tz: str | None = None
    if lid is not None:
        tz = zones[lid]
    elif worker is not None and not bad_location:
        tz = zones.get(worker.location_id)
    at = _read_time(p, row, tz, mapping)
    if wid is None or worker is None or at is None or not kind or bad_location:
        return None
    # iso_utc(at), formatted the fast way (at is a whole-second-or-finer UTC instant).
    at_text = at.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"
    return NewEvent(
        "punch.recorded",
        {
            "worker_id": wid,
            "at": at_text,
            "kind": kind,
            "location_id": lid,
            "break_type": break_type,
            "rate": rate,
            "source": src,
            **({"rest": rest} if rest else {}),
        },
        key=_punch_key(wid, at_text, kind),
        worker_id=wid,
    )


def _punch_key(worker_id: str, at_text: str, kind: str) -> str:
    """:func:`ledger.events.punch_key` from the instant's text (formatted once per row)."""
    return "punch:" + hashlib.sha256(f"{worker_id}|{at_text}|{kind}".encode()).hexdigest()


def _read_time(p: _Problems, row: Row, tz: str | None, mapping: ColumnMapping | None) -> datetime | None:
    cell = row.get("time")
    if not cell.value:
        p.add(row, "time", "time is empty: give the punch's local time, e.g. 2026-11-02T08:03")
        return None
    fmt = mapping.time_format if mapping is not None else None
    try:
        if fmt:
            try:
                parsed = datetime.strptime(cell.value, fmt)
            except ValueError:
                if _OFFSET_TIME.match(cell.value):
                    # ISO 8601 with its offset is read whatever the time_format: the way to give a time of a
                    # fall-back night's repeated hour, which a format without an offset cannot tell apart.
                    return parse_local(cell.value, "UTC")
                raise TimeError(f"{cell.value!r} does not match the mapping's time_format {fmt!r}") from None
            check_year(parsed, cell.value)
            if parsed.tzinfo is not None:
                return as_utc(parsed)
            if tz is None:
                return None
            return localize(parsed, tz)
        if tz is None:
            # The zone is unknown (another problem on the row): still check the syntax.
            parse_local(cell.value, "UTC")
            return None
        fast = fast_local(cell.value, tz)
        return fast if fast is not None else parse_local(cell.value, tz)
    except TimeError as exc:
        p.add(row, "time", str(exc))
        return None


def fast_local(text: str, tz: str) -> datetime | None:
    """``YYYY-MM-DDTHH:MM[:SS]`` local wall time in ``tz`` as a UTC instant, quickly; else None.

    The common case of a large file (a million rows), read without pendulum
    and with two offset look-ups instead of round trips. Same results as
    :func:`ot.core.timez.parse_local` (a test compares them): a time that happens
    twice (fall-back) raises its :class:`ot.core.timez.AmbiguousTime`, naming the
    offset of each occurrence; a time in a spring-forward gap raises its
    :class:`TimeError`; anything else (an offset, an impossible date) returns
    None so that ``parse_local`` reads it or says what is wrong.
    """
    m = _PLAIN_TIME.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = m.groups(default="0")
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return None  # parse_local says what is wrong
    try:
        naive = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    z = zone(tz)
    first = naive.replace(tzinfo=z).utcoffset()
    second_offset = naive.replace(tzinfo=z, fold=1).utcoffset()
    if first is None or second_offset is None:  # pragma: no cover - a ZoneInfo always has an offset
        return None
    if first != second_offset:  # a spring-forward gap, or a fall-back night's repeated hour
        return localize(naive, tz)  # raises the TimeError that says which
    return (naive - first).replace(tzinfo=UTC)
