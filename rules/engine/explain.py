"""The explanation of a priced workweek, as plain text (terminal) or JSON-ready dicts.

Records come from ``rules.engine.results`` (:class:`PieceExplanation`,
:class:`RateArithmetic`); this module only renders them. Hours show to 2
decimals, rates to 4, money to the cent; nothing here changes an amount.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath
from typing import Any

from ot.money import cents, hours2, rate4
from rules.engine.results import PayLine, PieceExplanation, RuleRef, WeekResult
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


def piece_json(piece: PieceExplanation) -> dict[str, Any]:
    """One explained stretch of worked time."""
    return {
        "shift": shift_name(piece.shift_id),
        "workday": piece.workday.isoformat(),
        "start": piece.start.isoformat(timespec="minutes"),
        "end": piece.end.isoformat(timespec="minutes"),
        "hours_only": piece.hours_only,
        "hours": _h(Decimal(piece.minutes) / 60),
        "class": piece.hour_class,
        "winner": ref_json(piece.winner),
        "losers": [ref_json(x) for x in piece.losers],
    }


def explain_json(week: WeekResult) -> dict[str, Any]:
    """A week's explanation: every piece, the regular-rate arithmetic, notes."""
    a = week.arithmetic
    return {
        "pieces": [piece_json(p) for p in week.pieces],
        "regular_rate": {
            "straight_time": [
                {"rate": str(rate4(rate)), "hours": _h(hrs), "amount": str(cents(amt))}
                for rate, hrs, amt in a.straight_time
            ],
            "other_earnings": [{"kind": k, "amount": str(cents(v))} for k, v in a.other_earnings],
            "total_earnings": str(cents(a.total_earnings)),
            "hours_worked": _h(a.hours_worked),
            "regular_rate": str(rate4(a.regular_rate)),
        },
        "notes": list(week.notes),
    }


def _rule(ref: RuleRef) -> str:
    return f"{ref.jurisdiction} {ref.label} ({source_text(ref.source)})"


def _line(ln: PayLine) -> str:
    return (
        f"  {ln.date.isoformat()}  {ln.hour_class:<10} {hours2(ln.hours):>6} h x {rate4(ln.rate):>9} x {ln.multiplier:<4}"
        f" = {cents(ln.amount):>9}  {ln.jurisdiction} {ln.rule} ({source_text(ln.source)})"
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
        out.append(
            f"  {shift_name(p.shift_id):<10} {when:<34} {_h(Decimal(p.minutes) / 60):>6} h  {p.hour_class:<3} {_rule(p.winner)}"
        )
        for loser in p.losers:
            out.append(f"  {'':<10} {'':<34} {'':>6}    lost: {loser.hour_class} {_rule(loser)}")
    a = week.arithmetic
    out += ["", "Regular rate (29 CFR 778.109-778.115):"]
    for rate, hrs, amt in a.straight_time:
        out.append(f"  {_h(hrs):>7} h x {rate4(rate)} = {cents(amt)}")
    for kind, amount in a.other_earnings:
        out.append(f"  {kind}: {cents(amount)}")
    out.append(f"  {cents(a.total_earnings)} / {_h(a.hours_worked)} h = {rate4(a.regular_rate)}")
    out += ["", "Pay lines:"]
    out += [_line(ln) for ln in week.lines]
    if week.notes:
        out += ["", "Notes:"] + [f"  {n}" for n in week.notes]
    out += [
        "",
        f"Totals: REG {_h(week.regular_hours)} h, OT {_h(week.overtime_hours)} h, DT {_h(week.doubletime_hours)} h, "
        f"premium {_h(week.premium_hours)} h, paid leave {_h(week.not_worked_hours)} h; gross {cents(week.gross)}",
    ]
    return "\n".join(out) + "\n"
