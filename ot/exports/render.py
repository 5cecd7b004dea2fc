"""A batch rendered in a format, proven to pay what the pay runs paid, with its manifest.

Shared by ``ot export payroll`` (:mod:`ot.services.exports`) and the ``export`` sync
target (:mod:`ot.sync.export_target`): the file is read back the way the payroll
system would pay it, and refused when any worker's amount differs from the pay runs'
by a cent. Nothing here depends on the clock: the same batch and mapping give the
same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from ot.core.errors import OtError, Problem
from ot.exports.mapping import ExportMapping
from ot.exports.model import Batch
from ot.exports.registry import get_format

__all__ = ["Rendered", "render_batch"]

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Rendered:
    """A file ready to write, and the manifest that goes beside it (``FILE.manifest.json``)."""

    data: bytes
    manifest: bytes
    rows: int


def render_batch(batch: Batch, format_name: str, mapping: ExportMapping, file_name: str) -> Rendered:
    """The batch in ``format_name``; refused (nothing to write) when a class has no code or the
    file would pay any worker other than what the pay runs paid."""
    fmt = get_format(format_name)
    mapping.require(fmt.classes_needing_codes(batch))
    data = fmt.render(batch, mapping)
    back = fmt.read_back(data, mapping, batch)
    expected = {t.worker_id: t.net for t in batch.totals}
    wrong = sorted(w for w in {*back, *expected} if back.get(w, ZERO) != expected.get(w, ZERO))
    if wrong:
        raise OtError(
            f"the {format_name} file would not pay what the pay runs paid: nothing was written",
            [
                Problem(f"worker {w}", f"the file pays {back.get(w, ZERO)}, the pay runs paid {expected.get(w, ZERO)}")
                for w in wrong[:20]
            ],
        )
    rows = fmt.count_rows(data)
    manifest = {
        "format": format_name,
        "batch": batch.label,
        "period_start": batch.period_start.isoformat() if batch.period_start else None,
        "period_end": batch.period_end.isoformat() if batch.period_end else None,
        "pay_date": batch.pay_date.isoformat(),
        "file": file_name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "mapping": mapping.path.name,
        "rows": rows,
        "workers": len(batch.totals),
        "totals": {
            "gross": str(sum((t.gross for t in batch.totals), ZERO)),
            "additions": str(sum((t.additions for t in batch.totals), ZERO)),
            "deductions": str(sum((t.deductions for t in batch.totals), ZERO)),
            "net": str(batch.net),
        },
        "runs": [
            {
                "run_id": r.run_id,
                "kind": r.kind,
                "pay_date": r.pay_date.isoformat(),
                "ledger_seq": r.ledger_seq,
                "ledger_hash": r.ledger_hash,
            }
            for r in batch.runs
        ],
        "equals_pay_runs": True,
    }
    return Rendered(data, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"), rows)
