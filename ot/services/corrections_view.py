"""The Corrections audit screen's read: ``ot audit corrections`` with its filters as typed.

:func:`audit_rows` reads the filters the way ``--worker`` and ``--since`` are
read (an empty filter is no filter; a date through the one date reader) and
returns :func:`ot.services.corrections.audit`'s rows; a bad filter is an
``OtError`` naming the field. :func:`audit_state` words a row's settlement as
the audit's text does; :func:`audit_detail` is that text for one row.
"""

from __future__ import annotations

from pathlib import Path

from ot.core.errors import OtError, Problem
from ot.core.timez import TimeError, parse_date
from ot.services.corrections import AuditRow, audit, render_audit

__all__ = ["audit_detail", "audit_rows", "audit_state", "signed_amount"]


def audit_rows(ledger_path: Path, *, worker: str = "", since: str = "") -> list[AuditRow]:
    """Every over- and underpayment, oldest first, of ``worker`` (blank: everyone) recorded on or
    after ``since`` (``YYYY-MM-DD``, UTC; blank: always)."""
    worker_id = worker.strip() or None
    since_day = None
    if since.strip():
        try:
            since_day = parse_date(since)
        except TimeError as exc:
            raise OtError("the audit was not read", [Problem("since", str(exc))]) from None
    try:
        return audit(ledger_path, worker_id=worker_id, since=since_day)
    except OtError as exc:  # the service names the CLI's option: here it is the worker field
        problems = [Problem("worker" if p.where == "--worker" else p.where, p.message) for p in exc.problems]
        raise OtError(exc.message, problems) from None


def signed_amount(row: AuditRow) -> str:
    """``+12.50`` for an underpayment (owed to the worker), ``-12.50`` for an overpayment."""
    c = row.correction
    return f"{'+' if c.kind == 'underpayment' else '-'}{c.amount}"


def audit_state(row: AuditRow) -> str:
    """``settled 2026-10-30`` (the run is in :func:`audit_detail`), ``open: 4.00 still owed``, or ``open``."""
    c = row.correction
    if row.settled and c.settlement is not None:
        return f"settled {c.settlement.at:%Y-%m-%d}"
    if c.settlements:
        return f"open: {c.balance} still owed"
    return "open"


def audit_detail(row: AuditRow) -> str:
    """One row as ``ot audit corrections`` prints it (why, amounts, each date before and after)."""
    return render_audit([row])
