"""``paychex-flex``: Paychex Flex Standard Payroll Import (SPI), the 16 columns in their fixed order.

One row per worker, date, pay component, rate and work location: Hours and the Amount
ot paid (Paychex takes one of Rate, Rate Number or Amount for an earning: the Amount, so
that what it pays is the pay runs' figure to the cent; the rate is left out). Line Date
is the date the pay was earned (a correction: the first date it corrects), MM/DD/YYYY.
Override State is the state of the work location of that date's shifts, and Override
Local its city when the ledger has one: the seeds' tax jurisdiction per shift carried
to payroll. See docs/export-paychex-flex.md.
"""

from __future__ import annotations

from decimal import Decimal

from ot.exports.mapping import ExportMapping
from ot.exports.model import Batch
from ot.exports.registry import csv_bytes, csv_rows, register

HEADER = [
    "Client ID",
    "Worker ID",
    "Org",
    "Job Number",
    "Pay Component",
    "Rate",
    "Rate Number",
    "Hours",
    "Units",
    "Line Date",
    "Amount",
    "Check Seq Number",
    "Override State",
    "Override Local",
    "Override Local Jurisdiction",
    "Labor Assignment",
]
ZERO = Decimal("0.00")


@register
class PaychexFlex:
    name = "paychex-flex"
    title = "Paychex Flex Standard Payroll Import (SPI csv)"

    def classes_needing_codes(self, batch: Batch) -> list[str]:
        return batch.classes

    def render(self, batch: Batch, mapping: ExportMapping) -> bytes:
        client = mapping.setting("client_id", "the Paychex Client ID")
        rows = []
        for r in batch.rows:
            cells = dict.fromkeys(HEADER, "")
            cells.update(
                {
                    "Client ID": client,
                    "Worker ID": r.worker_id,
                    "Pay Component": mapping.code(r.hour_class),
                    "Hours": f"{r.hours:.2f}" if r.hours else "",
                    "Line Date": r.day.strftime("%m/%d/%Y"),
                    "Amount": f"{r.amount:.2f}",
                    "Override State": r.state,
                    "Override Local": r.city,
                }
            )
            rows.append([cells[h] for h in HEADER])
        return csv_bytes(HEADER, rows)

    def read_back(self, data: bytes, mapping: ExportMapping, batch: Batch) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for row in csv_rows(data):
            out[row["Worker ID"]] = out.get(row["Worker ID"], ZERO) + Decimal(row["Amount"])
        return out

    def count_rows(self, data: bytes) -> int:
        return len(csv_rows(data))
