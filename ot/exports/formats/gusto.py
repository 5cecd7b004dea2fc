"""``gusto``: Gusto's payroll CSV upload, one row per worker (matched by first and last name).

Gusto pays a ``*_hours`` column at the worker's rate on file: ``regular_hours`` x 1,
``overtime_hours`` x 1.5, ``double_overtime_hours`` x 2, any other ``*_hours`` x 1. A
class mapped to an hours column sends the hours of its lines paid at the worker's
profile rate; a class mapped to any other column (``bonus``, ``commission``,
``correction_payment``...) sends money. What Gusto cannot compute from hours at the
rate on file (hours at a shift's own rate, and the cents of rounding between ot's
per-week groups and Gusto's per-column product) goes in the ``residual_column`` of the
mapping's settings (default ``correction_payment``), and ``personal_note`` says why,
so that the file pays exactly what the pay runs paid. See docs/export-gusto.md.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ot.exports.mapping import ExportMapping
from ot.exports.model import Batch
from ot.exports.registry import csv_bytes, csv_rows, register

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MULTIPLIERS = {"regular_hours": Decimal(1), "overtime_hours": Decimal("1.5"), "double_overtime_hours": Decimal(2)}


def _multiplier(column: str) -> Decimal:
    return MULTIPLIERS.get(column, Decimal(1))


def split_name(name: str) -> tuple[str, str]:
    """(first_name, last_name): the last word is the last name."""
    parts = name.split()
    if len(parts) < 2:
        return name, ""
    return " ".join(parts[:-1]), parts[-1]


@register
class Gusto:
    name = "gusto"
    title = "Gusto payroll CSV upload"

    def classes_needing_codes(self, batch: Batch) -> list[str]:
        return batch.classes

    def _columns(self, batch: Batch, mapping: ExportMapping) -> tuple[list[str], list[str], str]:
        residual = str(mapping.settings.get("residual_column") or "correction_payment")
        used = [mapping.code(c) for c in batch.classes]
        hours = [c for c in dict.fromkeys(used) if c.endswith("_hours")]
        money = [c for c in dict.fromkeys([*used, residual]) if not c.endswith("_hours")]
        return hours, money, residual

    def render(self, batch: Batch, mapping: ExportMapping) -> bytes:
        hours_cols, money_cols, residual = self._columns(batch, mapping)
        ids = mapping.raw.get("employee_ids", {})
        header = ["first_name", "last_name", "gusto_employee_id", *hours_cols, *money_cols, "personal_note"]
        out = []
        for total in batch.totals:
            cells = dict.fromkeys(header, "")
            first, last = split_name(total.name)
            cells.update({"first_name": first, "last_name": last})
            if isinstance(ids, dict) and total.worker_id in ids:
                cells["gusto_employee_id"] = str(ids[total.worker_id])
            hours = dict.fromkeys(hours_cols, ZERO)
            money = dict.fromkeys(money_cols, ZERO)
            other_rate = ZERO
            notes: list[str] = []
            for r in batch.rows:
                if r.worker_id != total.worker_id:
                    continue
                col = mapping.code(r.hour_class)
                if col in hours and r.rate == total.profile_rate and r.multiplier == _multiplier(col):
                    hours[col] += r.hours
                elif col in hours:
                    other_rate += r.amount
                else:
                    money[col] += r.amount
                if r.memo:
                    notes.append(r.memo.split(":")[0])
            computed = sum((_pay(h, total.profile_rate, _multiplier(c)) for c, h in hours.items()), ZERO)
            left = total.net - computed - sum(money.values(), ZERO)
            if left:
                money[residual] += left
                why = []
                if other_rate:
                    why.append(f"{other_rate} of hours at rates other than {total.profile_rate}")
                if left - other_rate:
                    why.append(f"{left - other_rate} of rounding")
                notes.append("ot: " + ", ".join(why) + f" in {residual}")
            for c, h in hours.items():
                cells[c] = f"{h:.2f}" if h else ""
            for c, m in money.items():
                cells[c] = f"{m:.2f}" if m else ""
            cells["personal_note"] = "; ".join(dict.fromkeys(notes))
            out.append([cells[h] for h in header])
        return csv_bytes(header, out)

    def read_back(self, data: bytes, mapping: ExportMapping, batch: Batch) -> dict[str, Decimal]:
        by_name = {split_name(t.name): t for t in batch.totals}
        out: dict[str, Decimal] = {}
        for row in csv_rows(data):
            total = by_name[(row["first_name"], row["last_name"])]
            paid = ZERO
            for col, value in row.items():
                if not value or col in ("first_name", "last_name", "gusto_employee_id", "personal_note"):
                    continue
                if col.endswith("_hours"):
                    paid += _pay(Decimal(value), total.profile_rate, _multiplier(col))
                else:
                    paid += Decimal(value)
            out[total.worker_id] = paid
        return out

    def count_rows(self, data: bytes) -> int:
        return len(csv_rows(data))


def _pay(hours: Decimal, rate: Decimal | None, multiplier: Decimal) -> Decimal:
    if not hours or rate is None:
        return ZERO
    return (hours * rate * multiplier).quantize(CENT, rounding=ROUND_HALF_UP)
