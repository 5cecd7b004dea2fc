"""The explanation of a priced workweek, as plain text (terminal) or JSON-ready dicts.

Records come from ``rules.engine.results`` (:class:`PieceExplanation`,
:class:`RateArithmetic`, :class:`PayGroup`); this module only renders them.
Hours show to 2 decimals, rates to 2 when whole cents else 4
(:func:`ot.core.money.rate_text`), money to the cent; nothing here changes an
amount. Every pay line reads hours x rate x multiplier = amount; a dated line
that carries a cent of its week's rounding is marked ``~`` and its pay group,
listed below the lines, multiplies out exactly.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath
from typing import Any

from ot.core.money import ZERO, cents, hours2, rate4, rate_text
from rules.engine.earnings import EARNING_CLASSES
from rules.engine.results import PayGroup, PayLine, PieceExplanation, RuleRef, WeekResult
from rules.model import Source


def shift_name(shift_id: str) -> str:
    """``#3`` (calc input index 3) as ``shifts[3]``; ledger ids as they are."""
    return f"shifts[{shift_id[1:]}]" if shift_id.startswith("#") and shift_id[1:].isdigit() else shift_id


def source_text(source: Source) -> str:
    """``rules.example.ot:14``: the rules file's name (not its directory) and the line."""
    return f"{PurePath(source.file).name}:{source.line}"


def _h(value: Decimal) -> str:
    return str(hours2(value))


def ref_json(ref: RuleRef) -> dict[str, str]:
    """A rule verdict."""
    return {
        "jurisdiction": ref.jurisdiction,
        "class": ref.hour_class,
        "rule": ref.label,
        "multiplier": str(ref.multiplier),
        "source": source_text(ref.source),
    }


def _spec(piece: PieceExplanation) -> str:
    """``minutes`` unless the piece starts or ends inside a minute (then ``seconds``)."""
    return "minutes" if piece.start_ms % 60_000 == 0 and piece.end_ms % 60_000 == 0 else "seconds"


def piece_json(piece: PieceExplanation) -> dict[str, Any]:
    """One explained stretch of worked time."""
    spec = _spec(piece)
    return {
        "shift": shift_name(piece.shift_id),
        "workday": piece.workday.isoformat(),
        "start": piece.start.isoformat(timespec=spec),
        "end": piece.end.isoformat(timespec=spec),
        "hours_only": piece.hours_only,
        "hours": _h(piece.hours),
        "exact_hours": _exact(piece.hours),
        "class": piece.hour_class,
        "winner": ref_json(piece.winner),
        "losers": [ref_json(x) for x in piece.losers],
    }


def _exact(value: Decimal) -> str:
    """Hours as exact as they are: up to 6 places, without trailing zeros beyond 2."""
    six = value.quantize(Decimal("0.000001"))
    text = format(six.normalize(), "f")
    return text if "." in text and len(text.split(".")[1]) >= 2 else str(hours2(value))


def _amount(value: Decimal) -> str:
    """An exact product: to the cent when it is whole cents, else every place it has."""
    return str(cents(value)) if value == cents(value) else format(value.normalize(), "f")


def explain_json(week: WeekResult) -> dict[str, Any]:
    """A week's explanation: every piece, the regular-rate arithmetic, notes."""
    a = week.arithmetic
    return {
        "pieces": [piece_json(p) for p in week.pieces],
        "regular_rate": {
            "straight_time": [
                {"rate": str(rate4(rate)), "hours": _h(hrs), "amount": _amount(amt)}
                for rate, hrs, amt in a.straight_time
            ],
            "other_earnings": [{"kind": k, "amount": str(cents(v))} for k, v in a.other_earnings],
            "total_earnings": str(cents(a.total_earnings)),
            "hours_worked": _h(a.hours_worked),
            "regular_rate": str(rate4(a.regular_rate)),
            **(
                {
                    "excluded": [
                        {"what": x.what, "amount": str(cents(x.amount)), "source": x.cite, "why": x.why}
                        for x in a.excluded
                    ]
                }
                if a.excluded
                else {}
            ),
            **({"plan": a.plan} if a.plan else {}),
        },
        "notes": list(week.notes),
    }


def _rule(ref: RuleRef) -> str:
    return f"{ref.jurisdiction} {ref.label} ({source_text(ref.source)})"


CARRY_MARK = "~"


def _product(hours: Decimal, rate: Decimal, multiplier: Decimal, per_hour: Decimal) -> str:
    """``7.93 h x $23.00 x 1``; when rate x multiplier needs a fifth place, the rate per hour it is paid at."""
    mult = format(multiplier.normalize(), "f")
    if rate * multiplier == per_hour:
        return f"{hours2(hours):>6} h x {rate_text(rate, '$'):>9} x {mult:<4}"
    return f"{hours2(hours):>6} h x {rate_text(per_hour, '$'):>9} (= {rate_text(rate, '$')} x {mult}, to 4 places)"


def _line(ln: PayLine) -> str:
    if ln.hour_class in EARNING_CLASSES:
        what = f"{'':>6}   {'':>9}   {'':<4}"
    else:
        what = _product(ln.hours, ln.rate, ln.multiplier, ln.per_hour)
    mark = CARRY_MARK if ln.carry != ZERO else " "
    return (
        f"  {ln.date.isoformat()}  {ln.hour_class:<10} {what} = {'$' + str(cents(ln.amount)):>10}{mark}"
        f" {ln.jurisdiction} {ln.rule} ({source_text(ln.source)})"
    )


def _group(g: PayGroup) -> str:
    if g.hour_class in EARNING_CLASSES:
        what = f"{'':>6}   {'':>9}   {'':<4}"
    else:
        what = _product(g.hours, g.rate, g.multiplier, g.paid_rate)
    days = g.dates[0].isoformat() if len(g.dates) == 1 else f"{len(g.dates)} days"
    return (
        f"  {g.hour_class:<10} {what} = {'$' + str(cents(g.amount)):>10}  {days}"
        f"  {g.jurisdiction} {g.rule} ({source_text(g.source)})"
    )


def explain_text(week: WeekResult) -> str:
    """A week's explanation for the terminal: pieces, winners and losers, regular rate, lines, totals."""
    out = [f"Worker {week.worker_id}, workweek beginning {week.week_start.isoformat()}", ""]
    out.append("Hours worked, piece by piece:")
    for p in week.pieces:
        when = (
            f"{p.workday.isoformat()} (hours only)"
            if p.hours_only
            else f"{p.start.strftime('%a %Y-%m-%d %H:%M')}-{p.end.strftime('%H:%M %Z')}"
        )
        out.append(f"  {shift_name(p.shift_id):<10} {when:<34} {_h(p.hours):>6} h  {p.hour_class:<3} {_rule(p.winner)}")
        for loser in p.losers:
            out.append(f"  {'':<10} {'':<34} {'':>6}    lost: {loser.hour_class} {_rule(loser)}")
    a = week.arithmetic
    out += ["", "Regular rate (29 CFR 778.109-778.115):"]
    for rate, hrs, amt in a.straight_time:
        out.append(f"  {_h(hrs):>7} h x {rate_text(rate, '$')} = ${_amount(amt)}")
    for kind, amount in a.other_earnings:
        out.append(f"  {kind}: ${cents(amount)}")
    if a.floor is not None:
        out.append(
            f"  ${_amount(a.total_earnings)} / {_h(a.hours_worked)} h, not below the minimum wage "
            f"(29 CFR 778.5) = {rate_text(a.regular_rate, '$')}"
        )
    else:
        out.append(f"  ${_amount(a.total_earnings)} / {_h(a.hours_worked)} h = {rate_text(a.regular_rate, '$')}")
    if a.plan:
        out.append(f"  pay plan: {a.plan}")
    if a.excluded:
        out.append("  left out of the regular rate:")
        out += [f"    {x.what}: ${cents(x.amount)} ({x.cite}: {x.why})" for x in a.excluded]
    out += ["", "Pay lines (hours x rate x multiplier = amount, by date):"]
    out += [_line(ln) for ln in week.lines]
    if any(ln.carry != ZERO for ln in week.lines):
        out.append(
            f"  {CARRY_MARK} carries a cent of its week's rounding: each kind of hours is priced once for the "
            "whole week (below), and its dated lines share that amount"
        )
    if week.groups:
        out += ["", "The week's pay, each kind of hours priced once (these add up to gross):"]
        out += [_group(g) for g in week.groups]
    if week.notes:
        out += ["", "Notes:"] + [f"  {n}" for n in week.notes]
    out += [
        "",
        f"Totals: REG {_h(week.regular_hours)} h, OT {_h(week.overtime_hours)} h, DT {_h(week.doubletime_hours)} h, "
        f"premium {_h(week.premium_hours)} h, paid leave {_h(week.not_worked_hours)} h; gross ${cents(week.gross)}",
    ]
    return "\n".join(out) + "\n"
