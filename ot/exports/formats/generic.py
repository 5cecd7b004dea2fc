"""``generic``: a layout the user maps in TOML: the columns, their titles and what each holds.

    [settings]
    date_format = "%m/%d/%Y"     # strftime; default ISO (2026-10-19)
    delimiter = ","              # or ";" or "\\t"

    [[columns]]
    title = "Employee"
    value = "worker_id"          # one of VALUES

    [codes]
    REG = "E01"

One row per worker, date, class, rate and work location, as the pay runs paid it
(hours x paid rate = amount, each date carrying its group's cent). The layout must
hold ``worker_id`` and ``amount``, so that its totals are checked against the pay runs
before it is written. See docs/export-generic.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal

from ot.core.cells import formula_safe
from ot.core.errors import OtError, Problem
from ot.exports.formats.gusto import split_name
from ot.exports.mapping import ExportMapping
from ot.exports.model import Batch, ExportRow
from ot.exports.registry import register

ZERO = Decimal("0.00")

#: What a column may hold.
VALUES: dict[str, Callable[[ExportRow, Batch, ExportMapping, str], str]] = {
    "worker_id": lambda r, b, m, f: r.worker_id,
    "name": lambda r, b, m, f: r.name,
    "first_name": lambda r, b, m, f: split_name(r.name)[0],
    "last_name": lambda r, b, m, f: split_name(r.name)[1],
    "date": lambda r, b, m, f: r.day.strftime(f),
    "code": lambda r, b, m, f: m.code(r.hour_class),
    "class": lambda r, b, m, f: r.hour_class,
    "hours": lambda r, b, m, f: f"{r.hours:.2f}" if r.hours else "",
    "rate": lambda r, b, m, f: f"{r.rate:.4f}" if r.rate else "",
    "multiplier": lambda r, b, m, f: str(r.multiplier) if r.multiplier else "",
    "paid_rate": lambda r, b, m, f: f"{r.paid_rate:.4f}" if r.paid_rate else "",
    "amount": lambda r, b, m, f: f"{r.amount:.2f}",
    "state": lambda r, b, m, f: r.state,
    "location_id": lambda r, b, m, f: r.location_id,
    "city": lambda r, b, m, f: r.city,
    "county": lambda r, b, m, f: r.county,
    "memo": lambda r, b, m, f: r.memo,
    "run_id": lambda r, b, m, f: r.run_id,
    "pay_date": lambda r, b, m, f: b.pay_date.strftime(f),
    "period_start": lambda r, b, m, f: b.period_start.strftime(f) if b.period_start else "",
    "period_end": lambda r, b, m, f: b.period_end.strftime(f) if b.period_end else "",
}


def _layout(mapping: ExportMapping) -> tuple[list[tuple[str, str]], str, str]:
    where = f"{mapping.path}"
    raw = mapping.raw.get("columns")
    problems: list[Problem] = []
    columns: list[tuple[str, str]] = []
    if not isinstance(raw, list) or not raw:
        problems.append(
            Problem(f"{where} [[columns]]", 'give the columns: [[columns]] title = "Employee" value = "worker_id"')
        )
        raw = []
    for i, col in enumerate(raw, 1):
        if not isinstance(col, dict) or not isinstance(col.get("title"), str) or col.get("value") not in VALUES:
            problems.append(
                Problem(f"{where} [[columns]] #{i}", f'needs title = "..." and value = one of {", ".join(VALUES)}')
            )
            continue
        columns.append((col["title"], col["value"]))
    values = {v for _t, v in columns}
    for need in ("worker_id", "amount"):
        if columns and need not in values:
            problems.append(Problem(f"{where} [[columns]]", f"a layout must hold {need} (its totals are checked)"))
    date_format = str(mapping.settings.get("date_format") or "%Y-%m-%d")
    delimiter = str(mapping.settings.get("delimiter") or ",")
    if len(delimiter) != 1:
        problems.append(Problem(f"{where} [settings] delimiter", "must be one character"))
    if problems:
        raise OtError(f"the export layout {where} has problems; nothing was written", problems)
    return columns, date_format, delimiter


@register
class Generic:
    name = "generic"
    title = "A layout mapped in TOML"

    def classes_needing_codes(self, batch: Batch) -> list[str]:
        return batch.classes

    def render(self, batch: Batch, mapping: ExportMapping) -> bytes:
        columns, date_format, delimiter = _layout(mapping)
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([t for t, _v in columns])
        for r in batch.rows:
            writer.writerow([formula_safe(VALUES[v](r, batch, mapping, date_format)) for _t, v in columns])
        return buf.getvalue().encode("utf-8")

    def read_back(self, data: bytes, mapping: ExportMapping, batch: Batch) -> dict[str, Decimal]:
        columns, _f, delimiter = _layout(mapping)
        titles = {v: t for t, v in reversed(columns)}
        out: dict[str, Decimal] = {}
        for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter):
            wid = row[titles["worker_id"]]
            out[wid] = out.get(wid, ZERO) + Decimal(row[titles["amount"]])
        return out

    def count_rows(self, data: bytes) -> int:
        return max(0, len(data.decode("utf-8").splitlines()) - 1)
