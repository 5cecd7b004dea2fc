"""Column mappings: read another system's CSV export as one of ot's canonical layouts.

The canonical layouts (``contracts/import.md``) are fixed; a timeclock's or a
payroll provider's export rarely matches them. A *mapping profile* is a small
TOML file that says how to read such an export::

    # ledger/mappings/timerack.toml: a Timerack punch export
    name = "Timerack punch export"
    layout = "punches"                    # locations | workers | punches
    time_format = "%m/%d/%Y %I:%M %p"     # strptime pattern of the time column
    ignore = ["Employee Name", "Department"]

    [columns]                             # export column -> canonical column
    "Employee ID" = "worker_id"
    "Punch Date/Time" = "time"
    "Punch Type" = "kind"

    [kinds]                               # export kind -> in|out|break_start|break_end
    "IN" = "in"
    "Clock Out" = "out"

    [values.type]                         # value translations of any other column
    "Employee" = "W2"

    [constants]                           # canonical columns the export lacks
    break_type = ""

Keys:
    ``name`` (text, optional), ``layout`` (optional; when given, the profile is
    refused for another layout), ``time_format`` (optional strptime pattern for
    the ``time`` column: without ``%z`` the time is local wall time in the work
    location's zone, as in the canonical layout), ``date_format`` (optional
    strptime pattern for date columns: ``birth_date``, ``rate_effective``),
    ``delimiter`` (one character, default ``,``), ``ignore`` (export columns
    to skip), ``[columns]`` (renames; a header that already is a canonical name
    needs none), ``[kinds]`` (shorthand for ``[values.kind]``),
    ``[values.<column>]`` (exact value translations; matching ignores case and
    surrounding spaces) and ``[constants]`` (a value for every row of a
    canonical column the export does not have).

With a mapping, a canonical column that is neither in the export nor a
constant is read as empty when its values are optional (``location_id``,
``break_type``, ``manager_id``...); a column that every row needs
(``worker_id``, ``time``, ``kind``...) must be mapped. Without a mapping the
header must name every canonical column (in any order), plus only the
extension columns the layout allows.

Every problem with a profile is an :class:`ot.core.errors.OtError` naming the file
and the TOML key.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ot.core.domain import PUNCH_KINDS
from ot.core.errors import OtError, Problem

__all__ = [
    "LAYOUTS",
    "ColumnMapping",
    "HeaderMap",
    "Layout",
    "load_mapping",
    "parse_mapping",
    "resolve_header",
]


@dataclass(frozen=True)
class Layout:
    """A canonical CSV layout.

    Attributes:
        name: ``locations``, ``workers`` or ``punches``.
        columns: The contract's columns, in the contract's order.
        required: Columns every row must fill (a mapping must provide them).
        extensions: Optional extra columns ot also reads (never required).
        date_columns: Columns holding ``YYYY-MM-DD`` dates (``date_format`` applies).
    """

    name: str
    columns: tuple[str, ...]
    required: frozenset[str]
    extensions: tuple[str, ...] = ()
    date_columns: frozenset[str] = frozenset()

    @property
    def all_columns(self) -> tuple[str, ...]:
        """Contract columns then extensions."""
        return self.columns + self.extensions


LAYOUTS: Mapping[str, Layout] = MappingProxyType(
    {
        "locations": Layout(
            "locations",
            ("location_id", "name", "state", "timezone"),
            frozenset({"location_id", "name", "state", "timezone"}),
            extensions=("city", "county"),
        ),
        "workers": Layout(
            "workers",
            (
                "worker_id",
                "name",
                "type",
                "pay_rate",
                "location_id",
                "manager_id",
                "role",
                "birth_date",
                "ssn",
                "pin_override",
            ),
            frozenset({"worker_id", "name", "type", "pay_rate", "location_id", "role"}),
            extensions=("rate_effective", "display_rate", "pay_plan", "plan_hours"),
            date_columns=frozenset({"birth_date", "rate_effective"}),
        ),
        "punches": Layout(
            "punches",
            ("worker_id", "time", "kind", "location_id", "break_type"),
            frozenset({"worker_id", "time", "kind"}),
            extensions=("rate", "rest_attestation"),
        ),
    }
)

_TOP_KEYS = (
    "name",
    "layout",
    "time_format",
    "date_format",
    "delimiter",
    "ignore",
    "columns",
    "kinds",
    "values",
    "constants",
)


@dataclass(frozen=True)
class ColumnMapping:
    """A parsed mapping profile (see the module docstring for the TOML).

    Attributes:
        source: The profile's file name, for messages.
        name: Its display name.
        layout: The layout it is written for, or None for any.
        time_format: strptime pattern of the ``time`` column, or None (ISO 8601).
        date_format: strptime pattern of date columns, or None (``YYYY-MM-DD``).
        delimiter: Field separator.
        ignore: Export columns skipped.
        columns: Export column -> canonical column.
        values: Canonical column -> (export value, casefolded) -> canonical value.
        constants: Canonical column -> value given to every row.
    """

    source: str
    name: str = ""
    layout: str | None = None
    time_format: str | None = None
    date_format: str | None = None
    delimiter: str = ","
    ignore: frozenset[str] = frozenset()
    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)

    def translate(self, column: str, value: str) -> str:
        """``value`` of canonical ``column`` after the profile's value translations."""
        table = self.values.get(column)
        if not table:
            return value
        key = value.strip().casefold()
        return table.get(key, value)


def _fail(source: str, key: str, message: str) -> OtError:
    return OtError(f"mapping {source} is not usable", [Problem(f"{source}: {key}", message)])


def _text(source: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(source, key, f"must be text in quotes, not {type(value).__name__}")
    return value


def _table(source: str, key: str, value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _fail(source, key, "must be a table ([" + key + '] with key = "value" lines)')
    return value


def _check_format(source: str, key: str, fmt: str, *, needs_time: bool) -> None:
    sample = datetime(2026, 11, 2, 8, 3)
    try:
        back = datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError as exc:
        raise _fail(source, key, f"{fmt!r} is not a usable strptime pattern ({exc})") from None
    if back.date() != sample.date() or (needs_time and (back.hour, back.minute) != (8, 3)):
        what = "a date and a time (e.g. %m/%d/%Y %H:%M)" if needs_time else "a full date (e.g. %m/%d/%Y)"
        raise _fail(source, key, f"{fmt!r} must hold {what}")


def _canonical(source: str, key: str, column: str, layout: Layout | None) -> None:
    known = layout.all_columns if layout else sorted({c for lay in LAYOUTS.values() for c in lay.all_columns})
    if column not in known:
        hint = difflib.get_close_matches(column, known, n=1)
        extra = f" (did you mean {hint[0]!r}?)" if hint else ""
        where = f"the {layout.name} layout" if layout else "any layout"
        raise _fail(source, key, f"{column!r} is not a column of {where}{extra}: use one of {', '.join(known)}")


def parse_mapping(text: str, source: str = "<mapping>") -> ColumnMapping:
    """Parse a mapping profile from TOML text; :class:`OtError` names the bad key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OtError(f"mapping {source} is not usable", [Problem(source, f"not valid TOML: {exc}")]) from None
    for key in data:
        if key not in _TOP_KEYS:
            hint = difflib.get_close_matches(key, _TOP_KEYS, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise _fail(source, key, f"unknown key{extra}: a profile has {', '.join(_TOP_KEYS)}")
    name = _text(source, "name", data.get("name", ""))
    layout: Layout | None = None
    if "layout" in data:
        lname = _text(source, "layout", data["layout"])
        if lname not in LAYOUTS:
            raise _fail(source, "layout", f"{lname!r} is not a layout: use locations, workers or punches")
        layout = LAYOUTS[lname]
    time_format = None
    if "time_format" in data:
        time_format = _text(source, "time_format", data["time_format"])
        _check_format(source, "time_format", time_format, needs_time=True)
    date_format = None
    if "date_format" in data:
        date_format = _text(source, "date_format", data["date_format"])
        _check_format(source, "date_format", date_format, needs_time=False)
    delimiter = _text(source, "delimiter", data.get("delimiter", ","))
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise _fail(source, "delimiter", 'must be exactly one character (not a quote or a newline), e.g. "," or ";"')
    ignore_raw = data.get("ignore", [])
    if not isinstance(ignore_raw, list):
        raise _fail(source, "ignore", 'must be a list of column names, e.g. ignore = ["Department"]')
    ignore = frozenset(_text(source, f"ignore[{i}]", v).strip() for i, v in enumerate(ignore_raw))

    columns: dict[str, str] = {}
    for src, dst in _table(source, "columns", data.get("columns", {})).items():
        key = f"columns.{src!r}"
        dst_text = _text(source, key, dst).strip()
        _canonical(source, key, dst_text, layout)
        if dst_text in columns.values():
            raise _fail(
                source, key, f"{dst_text!r} is already mapped from another column: map each canonical column once"
            )
        columns[src.strip()] = dst_text

    values: dict[str, dict[str, str]] = {}
    for col, table in _table(source, "values", data.get("values", {})).items():
        _canonical(source, f"values.{col}", col, layout)
        for src, dst in _table(source, f"values.{col}", table).items():
            values.setdefault(col, {})[src.strip().casefold()] = _text(source, f"values.{col}.{src!r}", dst).strip()
    for src, dst in _table(source, "kinds", data.get("kinds", {})).items():
        key = f"kinds.{src!r}"
        kind = _text(source, key, dst).strip()
        if kind not in PUNCH_KINDS:
            raise _fail(source, key, f"{kind!r} is not a punch kind: use one of {', '.join(PUNCH_KINDS)}")
        values.setdefault("kind", {})[src.strip().casefold()] = kind

    constants: dict[str, str] = {}
    for col, value in _table(source, "constants", data.get("constants", {})).items():
        key = f"constants.{col}"
        _canonical(source, key, col, layout)
        if col in columns.values():
            raise _fail(source, key, f"{col!r} is both a constant and mapped from a column: keep one")
        constants[col] = _text(source, key, value)

    return ColumnMapping(
        source=source,
        name=name,
        layout=layout.name if layout else None,
        time_format=time_format,
        date_format=date_format,
        delimiter=delimiter,
        ignore=ignore,
        columns=MappingProxyType(columns),
        values=MappingProxyType({k: MappingProxyType(v) for k, v in values.items()}),
        constants=MappingProxyType(constants),
    )


def load_mapping(path: Path) -> ColumnMapping:
    """Read a mapping profile file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OtError(f"cannot read mapping {path}: {exc.strerror}", [Problem(str(path), "check the path")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OtError(
            f"mapping {path} is not usable", [Problem(str(path), "not UTF-8 text: save it as UTF-8")]
        ) from None
    return parse_mapping(text, path.name)


@dataclass(frozen=True)
class HeaderMap:
    """Where each canonical column is in a file.

    Attributes:
        positions: Canonical column -> 0-based index in each row.
        constants: Canonical column -> constant value (from a mapping).
        width: Number of columns in the header.
    """

    positions: Mapping[str, int]
    constants: Mapping[str, str]
    width: int


def resolve_header(
    header: Sequence[str], layout: Layout, mapping: ColumnMapping | None, file: str
) -> tuple[HeaderMap, list[Problem]]:
    """Match a header row (line 1) to ``layout``, through ``mapping`` if given.

    Returns the positions and every problem: an unknown, duplicated or missing
    column, each named ``FILE:1:COLUMN``.
    """
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    known = layout.all_columns
    if mapping is not None and mapping.layout not in (None, layout.name):
        problems.append(
            Problem(
                f"{file}:1:1",
                f"mapping {mapping.source} is for {mapping.layout}, not {layout.name}: use a {layout.name} profile",
            )
        )
        return HeaderMap({}, {}, len(header)), problems
    for index, raw in enumerate(header):
        name = raw.strip()
        where = f"{file}:1:{index + 1}"
        if mapping is not None:
            if name in mapping.ignore:
                continue
            target = mapping.columns.get(name)
            if target is None and name.lower() in known and name.lower() not in mapping.columns.values():
                target = name.lower()
            if target is None:
                problems.append(
                    Problem(
                        where,
                        f"column {name!r} is not in the {layout.name} layout and mapping {mapping.source} does not name it: add it to [columns] or to ignore",
                    )
                )
                continue
            if target not in known:
                problems.append(
                    Problem(
                        where,
                        f"mapping {mapping.source} sends column {name!r} to {target!r}, which the {layout.name} layout does not have",
                    )
                )
                continue
        else:
            target = name.lower()
            if not name:
                problems.append(
                    Problem(where, f"empty column name: the {layout.name} header is {','.join(layout.columns)}")
                )
                continue
            if target not in known:
                hint = difflib.get_close_matches(target, known, n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                problems.append(
                    Problem(
                        where,
                        f"unknown column {name!r}{extra}: the {layout.name} header is {','.join(layout.columns)} (use --mapping for another system's export)",
                    )
                )
                continue
        if target in positions:
            problems.append(
                Problem(where, f"column {target!r} appears twice (first as column {positions[target] + 1}): keep one")
            )
            continue
        positions[target] = index
    constants = dict(mapping.constants) if mapping is not None else {}
    for column in layout.columns:
        if column in positions or column in constants:
            continue
        if mapping is None:
            problems.append(
                Problem(
                    f"{file}:1:{len(header) + 1}",
                    f"missing column {column!r}: the {layout.name} header is {','.join(layout.columns)}",
                )
            )
        elif column in layout.required:
            problems.append(
                Problem(
                    f"{file}:1:1",
                    f"no column gives {column!r}: map one in [columns] of {mapping.source}, or set [constants].{column}",
                )
            )
    return HeaderMap(MappingProxyType(positions), MappingProxyType(constants), len(header)), problems
