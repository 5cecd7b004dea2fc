"""``adp-wfn``: ADP Workforce Now paydata import (the "EPI" CSV, ``PRcccEPI.csv``).

Co Code, Batch ID and File # come first (ADP requires them in that order). One row per
worker and kind of pay at one rate: a class mapped to the code ``REG`` goes in the
Reg Hours / Reg Earnings columns, ``OT`` in O/T Hours / O/T Earnings, any other code in
Hours 3 Code / Hours 3 Amount (its hours) and Earnings 3 Code / Earnings 3 Amount (its
money). Every row carries the money ot paid, so ADP pays that amount rather than hours
x rate again, and the file's total is the pay runs' to the cent. Temp Rate is the rate
the multiplier applied to. See docs/export-adp-wfn.md.
"""

from __future__ import annotations

from decimal import Decimal

from ot.exports.mapping import ExportMapping
from ot.exports.model import Batch
from ot.exports.registry import csv_bytes, csv_rows, register

HEADER = [
    "Co Code",
    "Batch ID",
    "File #",
    "Temp Rate",
    "Reg Hours",
    "O/T Hours",
    "Hours 3 Code",
    "Hours 3 Amount",
    "Reg Earnings",
    "O/T Earnings",
    "Earnings 3 Code",
    "Earnings 3 Amount",
]
ZERO = Decimal("0.00")


def file_number(mapping: ExportMapping, worker_id: str) -> str:
    """The worker's ADP File #: ``[file_numbers]`` of the mapping, else the worker id."""
    numbers = mapping.raw.get("file_numbers", {})
    value = numbers.get(worker_id) if isinstance(numbers, dict) else None
    return str(value) if value is not None else worker_id


@register
class AdpWfn:
    name = "adp-wfn"
    title = "ADP Workforce Now paydata (EPI csv)"

    def classes_needing_codes(self, batch: Batch) -> list[str]:
        return batch.classes

    def render(self, batch: Batch, mapping: ExportMapping) -> bytes:
        company = mapping.setting("company_code", "the ADP company code (Co Code)")
        batch_id = str(mapping.settings.get("batch_id") or "").strip() or (
            batch.period_start.strftime("%y%m%d") if batch.period_start else batch.label[-6:]
        )
        groups: dict[tuple[str, str, Decimal, Decimal], list[Decimal]] = {}
        for r in batch.rows:
            key = (r.worker_id, r.hour_class, r.rate, r.multiplier)
            g = groups.setdefault(key, [ZERO, ZERO])
            g[0] += r.hours
            g[1] += r.amount
        rows = []
        for (wid, cls, rate, _mult), (hours, amount) in sorted(
            groups.items(), key=lambda kv: (kv[0][0], batch.classes.index(kv[0][1]), kv[0][2], kv[0][3])
        ):
            code = mapping.code(cls)
            cells = dict.fromkeys(HEADER, "")
            cells.update({"Co Code": company, "Batch ID": batch_id, "File #": file_number(mapping, wid)})
            if rate:
                cells["Temp Rate"] = f"{rate:.4f}"
            if code == "REG":
                cells["Reg Hours"], cells["Reg Earnings"] = f"{hours:.2f}", f"{amount:.2f}"
            elif code == "OT":
                cells["O/T Hours"], cells["O/T Earnings"] = f"{hours:.2f}", f"{amount:.2f}"
            else:
                if hours:
                    cells["Hours 3 Code"], cells["Hours 3 Amount"] = code, f"{hours:.2f}"
                cells["Earnings 3 Code"], cells["Earnings 3 Amount"] = code, f"{amount:.2f}"
            rows.append([cells[h] for h in HEADER])
        return csv_bytes(HEADER, rows)

    def read_back(self, data: bytes, mapping: ExportMapping, batch: Batch) -> dict[str, Decimal]:
        by_number = {file_number(mapping, t.worker_id): t.worker_id for t in batch.totals}
        out: dict[str, Decimal] = {}
        for row in csv_rows(data):
            wid = by_number.get(row["File #"], row["File #"])
            for col in ("Reg Earnings", "O/T Earnings", "Earnings 3 Amount"):
                if row[col]:
                    out[wid] = out.get(wid, ZERO) + Decimal(row[col])
        return out

    def count_rows(self, data: bytes) -> int:
        return len(csv_rows(data))
