"""The add-earning form of the terminal UI, without the UI: its fields, what they start with, and
what is wrong with them, field by field.

The form refuses exactly what ``ot earning add`` refuses, because it asks the same code:
:func:`check_earning_form` runs :func:`ot.services.earnings.record_earning` as a dry run (every
check, then a rollback) and files each :class:`~ot.core.errors.Problem` under the field it names;
:func:`save_earning_form` records it. An earning dated in a paid workweek is a correction: the
dry run says which, and the form asks for the box and a reason, as ``--correction-authorized
--reason`` do on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

from ledger.earnings_csv import PERIOD_KINDS
from ot.core.domain import EARNING_KINDS
from ot.core.errors import OtError, Problem
from ot.services.earnings import CLI_FIELDS, EarningResult, EarningValues, record_earning, void_earning
from ot.services.uow import unit_of_work
from rules.engine.earnings import EXCLUDED, INCLUDED

__all__ = [
    "EARNING_FIELDS",
    "EARNING_KINDS",
    "PERIOD_KINDS",
    "EarningCheck",
    "EarningForm",
    "EarningStart",
    "check_earning_form",
    "describe",
    "kind_note",
    "save_earning_form",
    "start_earning",
    "void_earning_form",
]

#: The form's fields, in the order they are shown; ``general`` holds what names no field.
EARNING_FIELDS: tuple[str, ...] = (
    "day",
    "kind",
    "amount",
    "quantity",
    "unit_rate",
    "earned_from",
    "earned_to",
    "note",
    "reason",
    "correction",
    "general",
)

#: The command line's names of the fields (in the problems ``record_earning`` raises) -> the form's.
_WHERE: Mapping[str, str] = MappingProxyType(
    {
        **{flag: name for name, flag in CLI_FIELDS.items() if name != "date"},
        "--date": "day",
        "--note": "note",
        "--reason": "reason",
        "--correction-authorized": "correction",
    }
)


@dataclass(frozen=True)
class EarningForm:
    """The fields as typed.

    Attributes:
        worker_id: Whose earning (fixed by the screen the form opens from).
        day, kind, amount, quantity, unit_rate, earned_from, earned_to, note: As ``ot earning add``
            takes them.
        reason: Why (needed for a correction of a paid week).
        correction_authorized: The box that stands for ``--correction-authorized``.
    """

    worker_id: str
    day: str
    kind: str = "bonus"
    amount: str = ""
    quantity: str = ""
    unit_rate: str = ""
    earned_from: str = ""
    earned_to: str = ""
    note: str = ""
    reason: str = ""
    correction_authorized: bool = False

    def values(self) -> EarningValues:
        """What ``record_earning`` reads."""
        return EarningValues(
            self.worker_id,
            self.day.strip(),
            self.kind.strip(),
            self.amount.strip(),
            self.quantity.strip(),
            self.unit_rate.strip(),
            self.earned_from.strip(),
            self.earned_to.strip(),
            self.note.strip(),
        )


@dataclass(frozen=True)
class EarningStart:
    """What the form opens with: the worker, and the form's first values."""

    worker_id: str
    worker_name: str
    form: EarningForm


@dataclass(frozen=True)
class EarningCheck:
    """What a dry run of the form found.

    Attributes:
        ok: True when saving would record the earning.
        messages: Field -> what is wrong with it (``general`` for the rest).
        description: The earning in words, when ``ok``.
        corrections: The corrections of paid weeks saving records.
        paid: True when the earning's date is in a paid workweek (a correction).
    """

    ok: bool
    messages: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    corrections: tuple[str, ...] = ()
    paid: bool = False


def start_earning(ledger_path: Path, worker_id: str, day: date) -> EarningStart:
    """The form for a new earning of ``worker_id``, dated ``day``."""
    with unit_of_work(ledger_path, actor="") as uow:
        worker = uow.roster.get(worker_id)
        if worker is None:
            raise OtError(f"no worker {worker_id!r} in the ledger")
        name = worker.name
    return EarningStart(worker_id, name, EarningForm(worker_id, day.isoformat()))


def kind_note(kind: str) -> str:
    """Whether an earning of ``kind`` counts toward the regular rate, and the rule that says so."""
    if kind in INCLUDED:
        return f"counts toward the regular rate ({INCLUDED[kind][1]})"
    if kind in EXCLUDED:
        _, cite, why = EXCLUDED[kind]
        return f"paid, but left out of the regular rate: {why} ({cite})"
    return ""


def describe(form: EarningForm) -> str:
    """``bonus of $120.00 dated 2026-11-06, earned 2026-10-01..2026-10-31``."""
    values = form.values()
    text = f"{values.kind} of ${values.amount or '0.00'} dated {values.day}"
    if values.quantity:
        text += f" ({values.quantity} x ${values.unit_rate})" if values.unit_rate else f" ({values.quantity} units)"
    if values.earned_from:
        text += f", earned {values.earned_from}..{values.earned_to or values.day}"
    return text


def _messages(error: OtError) -> tuple[dict[str, str], bool]:
    """Field -> message of a refusal, and whether it was the correction gate's (a paid week)."""
    found: dict[str, list[str]] = {}
    paid = "paid dates" in error.message
    for problem in error.problems:
        where = problem.where
        name = _WHERE.get(where)
        if name is None and " week of " in where:
            name, text = "correction", f"{where}: {problem.message}"
        else:
            text = problem.message if name is not None else f"{where}: {problem.message}"
        found.setdefault(name or "general", []).append(text)
    if paid:
        if "needs a reason" in error.message:
            found.setdefault("reason", []).insert(0, "a correction needs a reason: say why")
        else:
            todo = "this date is in a paid week: tick Correction authorized and give a reason (admins only)"
            found.setdefault("correction", []).insert(0, todo)
    elif not error.problems:
        found["general"] = [error.message]
    return {k: "; ".join(v) for k, v in found.items()}, paid


def check_earning_form(ledger_path: Path, form: EarningForm, *, actor: str, now: datetime) -> EarningCheck:
    """A dry run of saving ``form``: what would be recorded, or what is wrong, field by field."""
    try:
        result = _record(ledger_path, form, actor=actor, now=now, dry_run=True)
    except OtError as error:
        messages, paid = _messages(error)
        return EarningCheck(False, messages, paid=paid)
    return EarningCheck(True, {}, describe(form), result.corrections, paid=bool(result.corrections))


def save_earning_form(ledger_path: Path, form: EarningForm, *, actor: str, now: datetime) -> EarningResult:
    """Record the earning (``ot earning add``)."""
    return _record(ledger_path, form, actor=actor, now=now, dry_run=False)


def _record(ledger_path: Path, form: EarningForm, *, actor: str, now: datetime, dry_run: bool) -> EarningResult:
    return record_earning(
        ledger_path,
        form.values(),
        actor=actor,
        now=now,
        dry_run=dry_run,
        correction_authorized=form.correction_authorized,
        reason=form.reason.strip() or None,
    )


def void_earning_form(
    ledger_path: Path, earning_id: str, *, reason: str, correction_authorized: bool, actor: str, now: datetime
) -> EarningResult:
    """Void an earning from the Earnings dialog (``ot earning void``'s service): a refusal for want of a
    reason names the dialog's Reason field, not the command line's ``--reason TEXT``."""
    try:
        return void_earning(
            ledger_path, earning_id, reason=reason, actor=actor, now=now, correction_authorized=correction_authorized
        )
    except OtError as error:
        if not any(p.where == "--reason" for p in error.problems):
            raise
        problems = [
            Problem("Reason", "say why the earning is voided (kept in the ledger)") if p.where == "--reason" else p
            for p in error.problems
        ]
        raise OtError(error.message, problems) from error
