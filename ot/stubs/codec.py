"""A pay stub as JSON and back, exactly: how a pay run records each stub as issued.

Money, hours and rates are decimal text (``str(Decimal)`` keeps every digit
and the exponent, so a stub read back is equal to the one written); dates are
``YYYY-MM-DD``. :func:`stub_from_json` rebuilds the stub through the record
constructors, so an issued stub is checked like any other (gross is the sum of
its lines).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ot.core.periods import PayPeriod
from ot.stubs.model import (
    ClassTotal,
    CorrectionEntry,
    Employer,
    PayStub,
    RateInEffect,
    StubLine,
    StubSettlement,
    WeekRate,
)

__all__ = ["correction_from_json", "correction_to_json", "stub_from_json", "stub_to_json"]


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _line(line: StubLine) -> dict[str, Any]:
    return {
        "day": line.day.isoformat(),
        "class": line.hour_class,
        "hours": str(line.hours),
        "rate": str(line.rate),
        "amount": str(line.amount),
        "location_id": line.location_id,
        "location_name": line.location_name,
        "state": line.state,
        "multiplier": str(line.multiplier),
        "rule": line.rule,
        "correction": line.correction,
        "carry": str(line.carry),
    }


def correction_to_json(c: CorrectionEntry) -> dict[str, Any]:
    return {
        "day": c.day.isoformat(),
        "original_hours": str(c.original_hours),
        "corrected_hours": str(c.corrected_hours),
        "original_amount": str(c.original_amount),
        "corrected_amount": str(c.corrected_amount),
        "settlement": c.settlement,
        "note": c.note,
        "label": c.label,
    }


def stub_to_json(stub: PayStub) -> dict[str, Any]:
    """Everything the stub prints, JSON-able (no floats)."""
    p = stub.period
    return {
        "employer": {
            "name": stub.employer.name,
            "address": list(stub.employer.address),
            "configured": stub.employer.configured,
        },
        "worker_id": stub.worker_id,
        "worker_name": stub.worker_name,
        "worker_type": stub.worker_type,
        "period": {
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "pay_date": p.pay_date.isoformat(),
            "index": p.index,
            "frequency": p.frequency,
        },
        "rates": [
            {
                "rate": str(r.rate),
                "hours": str(r.hours),
                "display_rate": _opt(r.display_rate),
                "display_from": r.display_from,
            }
            for r in stub.rates
        ],
        "week_rates": [
            {"week_start": w.week_start.isoformat(), "regular_rate": str(w.regular_rate)} for w in stub.week_rates
        ],
        "lines": [_line(ln) for ln in stub.lines],
        "leave": [_line(ln) for ln in stub.leave],
        "corrections": [correction_to_json(c) for c in stub.corrections],
        "totals": [{"class": t.hour_class, "hours": str(t.hours), "amount": str(t.amount)} for t in stub.totals],
        "gross": str(stub.gross),
        "notes": list(stub.notes),
        "settled": [
            {"correction_id": x.correction_id, "kind": x.kind, "amount": str(x.amount), "still_open": str(x.still_open)}
            for x in stub.settled
        ],
    }


def _stub_line(p: Mapping[str, Any]) -> StubLine:
    return StubLine(
        day=date.fromisoformat(p["day"]),
        hour_class=p["class"],
        hours=Decimal(p["hours"]),
        rate=Decimal(p["rate"]),
        amount=Decimal(p["amount"]),
        location_id=p["location_id"],
        location_name=p["location_name"],
        state=p["state"],
        multiplier=Decimal(p["multiplier"]),
        rule=p["rule"],
        correction=bool(p["correction"]),
        # A stub issued before the carry was kept reads as carrying none.
        carry=Decimal(p.get("carry", "0")),
    )


def correction_from_json(c: Mapping[str, Any]) -> CorrectionEntry:
    """A :class:`CorrectionEntry` from :func:`correction_to_json`."""
    return CorrectionEntry(
        day=date.fromisoformat(c["day"]),
        original_hours=Decimal(c["original_hours"]),
        corrected_hours=Decimal(c["corrected_hours"]),
        original_amount=Decimal(c["original_amount"]),
        corrected_amount=Decimal(c["corrected_amount"]),
        settlement=c["settlement"],
        note=c["note"],
        label=c["label"],
    )


def stub_from_json(p: Mapping[str, Any]) -> PayStub:
    """The stub :func:`stub_to_json` wrote, equal to the original."""
    per = p["period"]
    return PayStub(
        employer=Employer(
            p["employer"]["name"], tuple(p["employer"]["address"]), configured=bool(p["employer"]["configured"])
        ),
        worker_id=p["worker_id"],
        worker_name=p["worker_name"],
        worker_type=p["worker_type"],
        period=PayPeriod(
            date.fromisoformat(per["start"]),
            date.fromisoformat(per["end"]),
            date.fromisoformat(per["pay_date"]),
            int(per["index"]),
            per["frequency"],
        ),
        rates=tuple(
            RateInEffect(
                Decimal(r["rate"]),
                Decimal(r["hours"]),
                Decimal(r["display_rate"]) if r["display_rate"] else None,
                # A stub issued before the source was recorded: only a shift could set one.
                r.get("display_from", "shift" if r["display_rate"] else ""),
            )
            for r in p["rates"]
        ),
        week_rates=tuple(
            WeekRate(date.fromisoformat(w["week_start"]), Decimal(w["regular_rate"])) for w in p["week_rates"]
        ),
        lines=tuple(_stub_line(x) for x in p["lines"]),
        leave=tuple(_stub_line(x) for x in p["leave"]),
        corrections=tuple(correction_from_json(c) for c in p["corrections"]),
        totals=tuple(ClassTotal(t["class"], Decimal(t["hours"]), Decimal(t["amount"])) for t in p["totals"]),
        gross=Decimal(p["gross"]),
        notes=tuple(p["notes"]),
        settled=tuple(
            StubSettlement(x["correction_id"], x["kind"], Decimal(x["amount"]), Decimal(x["still_open"]))
            for x in p.get("settled", ())
        ),
    )
