"""Pay lines: every kind of hours of a week priced once, then shared out over its dates.

The rounding rule is ``ot.core.money``'s (read it there); this module applies it:

1. Worked time is grouped by what pays it (:class:`HourGroup`: class, rate,
   multiplier, jurisdiction, rule, location, state) with its exact
   milliseconds per date; each group's hours are quantised to the hundredth
   of an hour and shared out over its dates (:func:`ot.core.money.apportion`).
2. Every kind of pay is then a :class:`LineSpec` (hundredths per date at one
   rate per hour) priced by :func:`price_spec`: one
   :class:`~rules.engine.results.PayGroup` (hours x rate per hour, rounded
   half-up to the cent) and its dated :class:`~rules.engine.results.PayLine` s
   (the group's cents shared out, each within a cent of its own product).

The kinds of pay:

- ``REG``: hours x own rate. ``OT``/``DT``: hours x multiplier x own rate.
- ``RR_ADJ``: when the week's regular rate differs from an OT/DT hour's own
  rate (several rates, bonuses, commissions, piece pay, minimum-wage make-up),
  (multiplier - 1) x (regular rate - own rate) per such hour, so that the week
  totals what 29 CFR 778.115 / 778.110(b) require: straight time for every
  hour at its own rate plus (multiplier - 1) x the regular rate for each
  overtime hour. It can be negative (overtime worked at a rate above the
  week's average).
- ``MW_MAKEUP``: pay brought up to the minimum wage (``rules.engine.floor``).
- ``PREMIUM``: meal/rest premium hours x the regular rate (Lab. Code 226.7;
  Ferra v. Loews Hollywood Hotel (2021) 11 Cal.5th 858: the regular rate of
  pay, with every earning the week's regular rate counts); split-shift and
  spread-of-hours premium hours x their own rate (``rules.engine.split_shift``).
- ``PTO``/``SICK``/``HOLIDAY``: hours x own rate, never overtime.
- ``BONUS``/``COMMISSION``/``PIECE``/``ONCALL``: the amount as given (it is already in
  the regular rate); the excluded earnings (``CALLBACK``, ``DISC_BONUS``, ``GIFT``,
  ``EXPENSE``) likewise, left out of it (``rules.engine.earnings``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal

from ot.core.domain import Earning
from ot.core.money import (
    HUNDREDTH_MS,
    ONE,
    ZERO,
    apportion,
    cents,
    hundredths_to_hours,
    line_cents,
    per_hour,
    rate_ceiling4,
    ten_thousandths,
)
from rules.engine.classify import Classed
from rules.engine.earnings import earning_class, earning_label
from rules.engine.floor import Floor
from rules.engine.premiums import Premium
from rules.engine.results import LINE_CLASS_ORDER, PayGroup, PayLine
from rules.engine.segments import Piece
from rules.model import RuleSet, Source

_CLASS_RANK = {c: i for i, c in enumerate(LINE_CLASS_ORDER)}

#: (class, rate, multiplier, location, state, jurisdiction, label, source, city, county)
GroupKey = tuple[str, Decimal, Decimal, str | None, str, str, str, Source, str | None, str | None]


def policy_source(rs: RuleSet, name: str) -> Source:
    """Where a policy of a rule set is written (``not_worked``, ``regular_rate``...), else its block."""
    return dict(rs.policy_sources).get(name, rs.source)


class HourGroup:
    """Time of one kind in one week: exact milliseconds per date, then hundredths of an hour per date."""

    __slots__ = ("key", "ms", "per_date", "shifts", "total")

    def __init__(self, key: GroupKey) -> None:
        self.key = key
        self.ms: dict[date, int] = {}
        self.shifts: dict[date, dict[str, None]] = {}
        self.per_date: dict[date, int] = {}
        self.total = 0

    @property
    def hour_class(self) -> str:
        return self.key[0]

    @property
    def rate(self) -> Decimal:
        return self.key[1]

    @property
    def multiplier(self) -> Decimal:
        return self.key[2]

    def add(self, day: date, ms: int, shift_id: str) -> None:
        self.ms[day] = self.ms.get(day, 0) + ms
        self.shifts.setdefault(day, {})[shift_id] = None

    def quantise(self) -> None:
        """Hours to the hundredth: the group's total from its exact time, shared out over its dates."""
        self.total = (sum(self.ms.values()) * 2 + HUNDREDTH_MS) // (2 * HUNDREDTH_MS)  # ot.core.money.hundredths
        if len(self.ms) == 1:
            self.per_date = dict.fromkeys(self.ms, self.total)
            return
        days = sorted(self.ms)
        parts = apportion(self.total, [self.ms[d] for d in days], HUNDREDTH_MS)
        self.per_date = dict(zip(days, parts, strict=True))


def group_hours(classed: Sequence[Classed], not_worked: Sequence[Piece], home: RuleSet) -> list[HourGroup]:
    """The week's hour groups (worked, then paid leave), quantised, in first-seen order."""
    groups: dict[tuple[object, ...], HourGroup] = {}
    # A week's stretches share a few rule verdicts: number each distinct one once, by identity then
    # by value (hashing the frozen records is the costly part).
    verdict_no: dict[int, int] = {}
    verdicts: dict[tuple[object, ...], int] = {}
    for c in classed:
        w = c.winner
        p = c.piece
        vi = verdict_no.get(id(w))
        if vi is None:
            vk = (w.hour_class, w.multiplier, w.jurisdiction, w.label, w.source.file, w.source.line)
            vi = verdict_no[id(w)] = verdicts.setdefault(vk, len(verdicts))
        key = (vi, p.rate, p.location_id, p.state, p.city, p.county)
        g = groups.get(key)
        if g is None:
            g = groups[key] = HourGroup(
                (
                    w.hour_class, p.rate, w.multiplier, p.location_id, p.state, w.jurisdiction, w.label, w.source,
                    p.city, p.county,
                )
            )  # fmt: skip
        day = p.workday
        ms = g.ms
        ms[day] = ms.get(day, 0) + c.end_ms - c.start_ms
        shifts = g.shifts.get(day)
        if shifts is None:
            g.shifts[day] = {p.shift_id: None}
        else:
            shifts[p.shift_id] = None
    out = list(groups.values())
    leave: dict[GroupKey, HourGroup] = {}
    leave_src = policy_source(home, "not_worked")
    for p in not_worked:
        label = f"{p.pay_type} (paid, not hours worked)"
        gkey: GroupKey = (
            p.pay_type, p.rate, ONE, p.location_id, p.state, home.jurisdiction, label, leave_src, p.city, p.county
        )  # fmt: skip
        g = leave.get(gkey)
        if g is None:
            g = leave[gkey] = HourGroup(gkey)
        g.add(p.workday, p.end - p.start, p.shift_id)
    out.extend(leave.values())
    for g in out:
        g.quantise()
    return out


@dataclass
class LineSpec:
    """One kind of pay of a week, ready to price: hundredths of an hour per date at one rate per hour.

    ``where``: (location, state) of a date when it differs from the spec's own.
    """

    hour_class: str
    rate: Decimal
    multiplier: Decimal
    location_id: str | None
    state: str
    jurisdiction: str
    label: str
    source: Source
    per_date: dict[date, int] = field(default_factory=dict)
    shifts: dict[date, dict[str, None]] = field(default_factory=dict)
    where: dict[date, tuple[str | None, str]] | None = None

    def add(self, day: date, count: int, shift_ids: Mapping[str, None] | Sequence[str]) -> None:
        self.per_date[day] = self.per_date.get(day, 0) + count
        self.shifts.setdefault(day, {}).update(dict.fromkeys(shift_ids))


def spec_of(g: HourGroup) -> LineSpec:
    """The spec of an hour group (its own hours at its own rate and multiplier; shares its dicts)."""
    cls, rate, mult, loc, state, jur, label, source, _city, _county = g.key
    return LineSpec(cls, rate, mult, loc, state, jur, label, source, g.per_date, g.shifts)


_PAID: dict[tuple[Decimal, Decimal], tuple[Decimal, int]] = {}
_CARRY = {-1: Decimal("-0.01"), 0: Decimal("0.00"), 1: Decimal("0.01")}
_NO_CARRY = _CARRY[0]


def _paid(rate: Decimal, multiplier: Decimal) -> tuple[Decimal, int]:
    """(rate per hour, the same in ten-thousandths), memoised: a week has few distinct rates."""
    key = (rate, multiplier)
    found = _PAID.get(key)
    if found is None:
        paid = per_hour(rate, multiplier)
        found = (paid, ten_thousandths(paid))
        if len(_PAID) < 65_536:
            _PAID[key] = found
    return found


def _cents(count: int) -> Decimal:
    """Integer cents as a Decimal to the cent."""
    return Decimal(count).scaleb(-2)


def _round(n: int, d: int) -> int:
    """n / d rounded half away from zero (``ot.core.money.round_div``, inlined for the hot path)."""
    return (2 * n + d) // (2 * d) if n >= 0 else -((d - 2 * n) // (2 * d))


def price_spec(spec: LineSpec) -> tuple[PayGroup | None, list[PayLine]]:
    """The pay group of a spec and its dated lines (none when it pays no hundredth)."""
    return _price(
        spec.hour_class,
        spec.rate,
        spec.multiplier,
        spec.location_id,
        spec.state,
        spec.jurisdiction,
        spec.label,
        spec.source,
        spec.per_date,
        spec.shifts,
        spec.where,
    )


def _price(
    cls: str,
    rate: Decimal,
    mult: Decimal,
    loc0: str | None,
    state0: str,
    jur: str,
    label: str,
    source: Source,
    per_date: dict[date, int],
    shifts: dict[date, dict[str, None]],
    where: dict[date, tuple[str | None, str]] | None,
) -> tuple[PayGroup | None, list[PayLine]]:
    total = sum(per_date.values())
    if total == 0:
        return None, []
    paid, r4 = _paid(rate, mult)
    group_cents = _round(total * r4, 10_000)
    if len(per_date) == 1:
        (day,) = per_date
        loc, state = where.get(day, (loc0, state0)) if where else (loc0, state0)
        line = PayLine(
            day, cls, hundredths_to_hours(total), rate, mult, _cents(group_cents), loc, state,
            tuple(shifts.get(day, ())), label, source, jur, paid, _NO_CARRY,
        )  # fmt: skip
        group = PayGroup(
            cls, line.hours, rate, mult, paid, line.amount, (day,), loc0, state0, label, source, jur
        )  # fmt: skip
        return group, [line]
    days = sorted(d for d, n in per_date.items() if n)
    exact = [per_date[d] * r4 for d in days]
    own = [_round(x, 10_000) for x in exact]
    shares = own if sum(own) == group_cents else apportion(group_cents, exact, 10_000)
    lines: list[PayLine] = []
    home = (loc0, state0)
    for day, share, base in zip(days, shares, own, strict=True):
        loc, state = where.get(day, home) if where else home
        lines.append(
            PayLine(
                day,
                cls,
                hundredths_to_hours(per_date[day]),
                rate,
                mult,
                _cents(share),
                loc,
                state,
                tuple(shifts.get(day, ())),
                label,
                source,
                jur,
                paid,
                _CARRY[share - base],
            )
        )
    group = PayGroup(
        cls, hundredths_to_hours(total), rate, mult, paid, _cents(group_cents), tuple(days), loc0, state0, label,
        source, jur,
    )  # fmt: skip
    return group, lines


def spec_amount(spec: LineSpec) -> Decimal:
    """What a spec pays in all (its group's amount), without making its lines."""
    return _cents(line_cents(sum(spec.per_date.values()), _paid(spec.rate, spec.multiplier)[1]))


FloorOf = Callable[[date, str, str | None, str | None], tuple[Floor | None, Floor | None]]
CeilingOf = Callable[[str, str | None, str | None], Decimal]


def makeup_specs(
    worked: Sequence[HourGroup], floor_of: FloorOf, other: Decimal, ceiling_of: CeilingOf | None = None
) -> tuple[list[LineSpec], Decimal]:
    """Minimum-wage make-up of a week's worked hour groups (``rules.engine.floor``), and the
    lowest minimum wage any hour of the week has (the regular rate's floor, 29 CFR 778.5).

    ``other``: the week's bonuses, commissions and piece pay (they count toward
    the minimum measured per workweek). ``ceiling_of``: the highest minimum wage a
    place could have: when every group is paid at least that, nothing is owed and
    no floor is looked up.
    """
    if ceiling_of is not None and all(
        g.rate > ZERO and g.rate >= ceiling_of(g.key[4], g.key[8], g.key[9]) for g in worked
    ):
        return [], ZERO
    hourly: dict[tuple[Decimal, str | None, str, str, str, Source], LineSpec] = {}
    required = ZERO
    straight = ZERO
    weekly_floor: Floor | None = None
    lowest: Decimal | None = None
    for g in worked:
        _cls, rate, _mult, loc, state, _jur, _label, _src, city, county = g.key
        for day, count in g.per_date.items():
            if not count:
                continue
            hours = hundredths_to_hours(count)
            straight += hours * rate
            by_hour, by_week = floor_of(day, state, city, county)
            highest = max((f.amount for f in (by_hour, by_week) if f is not None), default=ZERO)
            lowest = highest if lowest is None else min(lowest, highest)
            if by_hour is not None and ZERO < rate < by_hour.amount:
                diff = by_hour.amount - rate
                key = (diff, loc, state, by_hour.jurisdiction, by_hour.label, by_hour.source)
                spec = hourly.get(key)
                if spec is None:
                    spec = hourly[key] = LineSpec(
                        "MW_MAKEUP",
                        diff,
                        ONE,
                        loc,
                        state,
                        by_hour.jurisdiction,
                        f"{by_hour.label} {by_hour.amount} per hour",
                        by_hour.source,
                    )
                spec.add(day, count, g.shifts.get(day, {}))
            floor = by_week
            if by_hour is not None and rate == ZERO and (floor is None or by_hour.amount > floor.amount):
                floor = by_hour  # piece-rate hours: measured per workweek, with the piece pay
            if floor is not None:
                required += hours * floor.amount
                if weekly_floor is None or floor.amount > weekly_floor.amount:
                    weekly_floor = floor
    out = list(hourly.values())
    paid = straight + other + sum((spec_amount(s) for s in out), ZERO)
    short = required - paid
    if weekly_floor is None or short <= ZERO:
        return out, lowest or ZERO
    total = sum(n for g in worked for n in g.per_date.values())
    # The smallest rate per hour (to four places) whose amount, rounded to the cent, covers the shortfall.
    rate = rate_ceiling4(short.quantize(Decimal("0.01"), rounding=ROUND_CEILING) / hundredths_to_hours(total))
    first = worked[0].key
    spec = LineSpec(
        "MW_MAKEUP",
        rate,
        ONE,
        first[3],
        first[4],
        weekly_floor.jurisdiction,
        f"{weekly_floor.label} {weekly_floor.amount} for the workweek (29 CFR 776.5)",
        weekly_floor.source,
    )
    for g in worked:
        for day, count in g.per_date.items():
            if count:
                if spec.where is None:
                    spec.where = {}
                spec.where.setdefault(day, (g.key[3], g.key[4]))
                spec.add(day, count, g.shifts.get(day, {}))
    out.append(spec)
    return out, lowest or ZERO


def build_lines(
    groups: Sequence[HourGroup],
    makeups: Sequence[LineSpec],
    premiums: Sequence[Premium],
    earnings: Sequence[Earning],
    regular_rate: Decimal,
    federal: RuleSet,
    where: tuple[str, str | None] = ("", None),
) -> tuple[list[PayLine], list[PayGroup]]:
    """Every pay line of one worker's week (date then class order) and its pay groups.

    ``groups``: the week's hour groups (worked and leave); ``makeups``: its
    minimum-wage make-up; ``regular_rate``: to four places; ``federal``: named
    on earnings lines; ``where``: (state, location) of earnings lines in a week
    with no hours (the worker's other work, else unknown: "").
    """
    lines: list[PayLine] = []
    paid_groups: list[PayGroup] = []
    for g in groups:
        cls, rate, mult, loc, state, jur, label, source, _city, _county = g.key
        group, dated = _price(cls, rate, mult, loc, state, jur, label, source, g.per_date, g.shifts, None)
        if group is not None:
            paid_groups.append(group)
            lines.extend(dated)
        if cls in ("OT", "DT") and mult != ONE and regular_rate != rate:
            adj_label = f"{label}: regular-rate adjustment (29 CFR 778.115)"
            group, dated = _price(
                "RR_ADJ",
                regular_rate - rate,
                mult - ONE,
                loc,
                state,
                jur,
                adj_label,
                source,
                g.per_date,
                g.shifts,
                None,
            )
            if group is not None:
                paid_groups.append(group)
                lines.extend(dated)
    specs: list[LineSpec] = list(makeups)
    prem: dict[tuple[str, str, str, Source, str | None, str, Decimal], LineSpec] = {}
    for pr in premiums:
        rate = regular_rate if pr.rate is None else pr.rate
        key = (pr.kind, pr.jurisdiction, pr.label, pr.source, pr.location_id, pr.state, rate)
        spec = prem.get(key)
        if spec is None:
            spec = prem[key] = LineSpec(
                "PREMIUM", rate, ONE, pr.location_id, pr.state, pr.jurisdiction, pr.label, pr.source
            )
        spec.add(pr.workday, int((pr.hours * 100).to_integral_value()), pr.shift_ids)

    for spec in specs:
        group, dated = price_spec(spec)
        if group is not None:
            paid_groups.append(group)
            lines.extend(dated)
    for (kind, *_rest), spec in prem.items():  # meal or rest: payroll systems code them apart
        group, dated = price_spec(spec)
        if group is not None:
            paid_groups.append(group)
            lines.extend(ln._replace(premium=kind) for ln in dated)
    state0, loc0 = where
    if groups:
        state0, loc0 = groups[0].key[4], groups[0].key[3]
    for e in earnings:
        amount = cents(e.amount)
        line = PayLine(
            e.day,
            earning_class(e.kind),
            ZERO,
            e.amount,
            ONE,
            amount,
            loc0,
            state0,
            (),
            earning_label(e),
            policy_source(federal, "regular_rate"),
            federal.jurisdiction,
            e.amount,
        )
        lines.append(line)
        paid_groups.append(
            PayGroup(
                line.hour_class,
                ZERO,
                e.amount,
                ONE,
                e.amount,
                amount,
                (e.day,),
                loc0,
                state0,
                line.rule,
                line.source,
                line.jurisdiction,
            )
        )
    lines.sort(
        key=lambda ln: (ln.date, _CLASS_RANK.get(ln.hour_class, 99), ln.multiplier, ln.rate, ln.jurisdiction, ln.rule)
    )
    paid_groups.sort(key=lambda g: (_CLASS_RANK.get(g.hour_class, 99), g.multiplier, g.rate, g.jurisdiction, g.rule))
    return lines, paid_groups


__all__ = [
    "GroupKey",
    "HourGroup",
    "LineSpec",
    "build_lines",
    "group_hours",
    "makeup_specs",
    "price_spec",
    "spec_amount",
]
