"""Pay lines: hours x rate x multiplier, rounded half-up to the cent per line.

- ``REG``: hours x own rate. ``OT``/``DT``: hours x multiplier x own rate.
- ``RR_ADJ``: when the week's regular rate differs from an OT/DT hour's own
  rate (several rates, or bonuses, commissions, piece pay), (multiplier - 1) x
  (regular rate - own rate) per such hour, so that the week totals what
  29 CFR 778.115 / 778.110(b) require: straight time for every hour at its own
  rate plus (multiplier - 1) x the regular rate for each overtime hour. It can
  be negative (overtime worked at a rate above the week's average).
- ``PREMIUM``: meal/rest premium hours x the regular rate (Lab. Code 226.7).
- ``PTO``/``SICK``/``HOLIDAY``: hours x own rate, never overtime.
- ``BONUS``/``COMMISSION``/``PIECE``: the amount as given (it is already in
  the regular rate).

Lines are grouped by workday, class, rate, multiplier, location, state and
rule; each line's amount is computed from its exact minutes and rounded once
(:func:`ot.money.cents`); the week's gross is the exact sum of the lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ot.domain import Earning
from ot.money import ZERO, cents
from rules.engine.classify import Classed
from rules.engine.premiums import Premium
from rules.engine.results import LINE_CLASS_ORDER, PayLine
from rules.engine.segments import Piece
from rules.model import RuleSet, Source

SIXTY = Decimal(60)
ONE = Decimal(1)
_CLASS_RANK = {c: i for i, c in enumerate(LINE_CLASS_ORDER)}

_Key = tuple[date, str, Decimal, Decimal, str | None, str, str, str, Source]


class _Acc:
    """Minutes and shift ids of one line being built."""

    __slots__ = ("minutes", "shifts")

    def __init__(self) -> None:
        self.minutes = 0
        self.shifts: dict[str, None] = {}


def policy_source(rs: RuleSet, name: str) -> Source:
    """Where a policy of a rule set is written (``not_worked``, ``regular_rate``...), else its block."""
    return dict(rs.policy_sources).get(name, rs.source)


def _add(acc: dict[_Key, _Acc], key: _Key, minutes: int, shift_id: str) -> None:
    a = acc.get(key)
    if a is None:
        a = acc[key] = _Acc()
    a.minutes += minutes
    a.shifts[shift_id] = None


def build_lines(
    classed: Sequence[Classed],
    not_worked: Sequence[Piece],
    premiums: Sequence[Premium],
    earnings: Sequence[Earning],
    regular_rate: Decimal,
    home: RuleSet,
    federal: RuleSet,
    where: tuple[str, str | None] = ("", None),
) -> list[PayLine]:
    """Every pay line of one worker's week, in date then class order.

    ``home``: the rule set named on paid-leave lines; ``federal``: on earnings lines;
    ``where``: (state, location) of earnings lines in a week with no hours (the
    worker's other work, else unknown: "").
    """
    acc: dict[_Key, _Acc] = {}
    for c in classed:
        w = c.winner
        p = c.piece
        key = (p.workday, w.hour_class, p.rate, w.multiplier, p.location_id, p.state, w.jurisdiction, w.label, w.source)
        _add(acc, key, c.end - c.start, p.shift_id)
    leave_src = policy_source(home, "not_worked")
    for p in not_worked:
        label = f"{p.pay_type} (paid, not hours worked)"
        key = (p.workday, p.pay_type, p.rate, ONE, p.location_id, p.state, home.jurisdiction, label, leave_src)
        _add(acc, key, p.end - p.start, p.shift_id)

    lines: list[PayLine] = []
    for key, a in acc.items():
        day, cls, rate, mult, loc, state, jur, label, source = key
        minutes = Decimal(a.minutes)
        hours = minutes / SIXTY
        shifts = tuple(a.shifts)
        lines.append(
            PayLine(
                day,
                cls,
                hours,
                rate,
                mult,
                cents(minutes * rate * mult / SIXTY),
                loc,
                state,
                shifts,
                label,
                source,
                jur,
            )
        )
        if cls in ("OT", "DT") and regular_rate != rate and mult != ONE:
            diff = regular_rate - rate
            extra = mult - ONE
            lines.append(
                PayLine(
                    day,
                    "RR_ADJ",
                    hours,
                    diff,
                    extra,
                    cents(minutes * diff * extra / SIXTY),
                    loc,
                    state,
                    shifts,
                    f"{label}: regular-rate adjustment (29 CFR 778.115)",
                    source,
                    jur,
                )
            )
    for pr in premiums:
        lines.append(
            PayLine(
                pr.workday,
                "PREMIUM",
                pr.hours,
                regular_rate,
                ONE,
                cents(pr.hours * regular_rate),
                pr.location_id,
                pr.state,
                pr.shift_ids,
                pr.label,
                pr.source,
                pr.jurisdiction,
            )
        )
    first = classed[0].piece if classed else (not_worked[0] if not_worked else None)
    state0, loc0 = (first.state, first.location_id) if first is not None else where
    for e in earnings:
        lines.append(
            PayLine(
                e.day,
                e.kind.upper(),
                ZERO,
                e.amount,
                ONE,
                cents(e.amount),
                loc0,
                state0,
                (),
                f"{e.kind} (in the regular rate, 29 CFR 778.110-778.111)",
                policy_source(federal, "regular_rate"),
                federal.jurisdiction,
            )
        )
    lines.sort(
        key=lambda ln: (ln.date, _CLASS_RANK.get(ln.hour_class, 99), ln.multiplier, ln.rate, ln.jurisdiction, ln.rule)
    )
    return lines
