"""The export formats: each is one module that registers itself here (``@register``).

A format renders a :class:`~ot.exports.model.Batch` with an
:class:`~ot.exports.mapping.ExportMapping` to bytes, and reads its own bytes back the
way the payroll system would pay them (``read_back``: worker -> amount), so that the
service can prove, before writing, that the file pays exactly what the pay runs paid.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Protocol

from ot.core.cells import formula_safe
from ot.core.errors import OtError, Problem
from ot.exports.mapping import ExportMapping
from ot.exports.model import Batch

__all__ = ["FORMATS", "ExportFormat", "csv_bytes", "csv_rows", "get_format", "register"]


class ExportFormat(Protocol):
    """What a format module provides."""

    name: str
    title: str

    def classes_needing_codes(self, batch: Batch) -> list[str]:
        """The classes of the batch this format needs an earnings code for."""
        ...

    def render(self, batch: Batch, mapping: ExportMapping) -> bytes:
        """The file (deterministic: the same batch and mapping give the same bytes)."""
        ...

    def read_back(self, data: bytes, mapping: ExportMapping, batch: Batch) -> dict[str, Decimal]:
        """Worker id -> what the payroll system pays from this file."""
        ...

    def count_rows(self, data: bytes) -> int:
        """How many data rows the file has."""
        ...


#: Format name -> the format, in registration order.
FORMATS: dict[str, ExportFormat] = {}


def register(make: Callable[[], ExportFormat]) -> Callable[[], ExportFormat]:
    """Class decorator: register one instance of a format under its ``name``."""
    fmt = make()
    FORMATS[fmt.name] = fmt
    return make


def get_format(name: str) -> ExportFormat:
    """The format ``name``, or a refusal listing the formats."""
    import ot.exports.formats  # noqa: F401  (registers the built-in formats)

    if name not in FORMATS:
        raise OtError(f"no export format {name!r}", [Problem("--format", f"one of {', '.join(FORMATS)}")])
    return FORMATS[name]


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """A CSV file: the header and rows, ``\\r\\n`` line ends (as spreadsheets and payroll systems write them)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[formula_safe(cell) for cell in row] for row in rows])
    return buf.getvalue().encode("utf-8")


def csv_rows(data: bytes) -> list[dict[str, str]]:
    """The data rows of a CSV file as dicts."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
