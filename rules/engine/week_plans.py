"""A week's pay beyond its hours: pay plans, shift differentials, recorded earnings, and bonuses
allocated back over the weeks they were earned in (``rules.engine.earnings`` says the law).

:func:`week_extras` runs before the regular rate (what counts, what is left out, and why);
:func:`plan_week` adds its lines after the hours are priced; :func:`apply_allocations` adds a
bonus's overtime lines for each week of its period to the week it is paid in (29 CFR 778.209).
Weeks without any of these cost one check each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ot.core.domain import Earning, Worker
from ot.core.money import HUNDREDTH_MS, ONE, ZERO, apportion, cents, hours2, hundredths_to_hours, rate_text
from rules.engine.earnings import (
    ALLOCATION_CITE,
    FIXED,
    FWW,
    FWW_CITE,
    Exclusion,
    allocated,
    allocation_rate,
    extra_multiplier,
    fixed_balance,
    fww_salary,
    plan_of_week,
    split,
)
from rules.engine.lines import HourGroup, LineSpec, policy_source, price_spec, spec_amount
from rules.engine.results import LINE_CLASS_ORDER, PayGroup, PayLine, WeekResult
from rules.engine.segments import Piece, boundary
from rules.model import FEDERAL, Differential, RuleSet, Source

_RANK = {c: i for i, c in enumerate(LINE_CLASS_ORDER)}
LEAVE_CITE = "29 CFR 778.218-778.219"


@dataclass
class WeekExtras:
    """What a week pays besides its hours, found before its regular rate.

    Attributes:
        counted: (kind, amount) that count toward the regular rate (earnings, salary, differentials).
        excluded: What is paid and left out, with why.
        plan: The pay plan in words, or ``""`` for hourly pay.
        specs: Differential lines, ready to price.
        salary: (label, amount) of salary lines.
        day: The date salary lines carry (the week's last worked day).
    """

    counted: list[tuple[str, Decimal]] = field(default_factory=list)
    excluded: list[Exclusion] = field(default_factory=list)
    plan: str = ""
    specs: list[LineSpec] = field(default_factory=list)
    salary: list[tuple[str, Decimal]] = field(default_factory=list)
    day: date | None = None

    @property
    def active(self) -> bool:
        """True when the week has lines of its own to add."""
        return bool(self.specs or self.salary)


def _overlap(p: Piece, d: Differential) -> int:
    """Milliseconds of a piece inside a differential's local window (on any date it touches)."""
    total = 0
    for k in (-1, 0, 1):
        day = p.workday + timedelta(days=k)
        ws = boundary(day, p.timezone, d.start)
        we = boundary(day + timedelta(days=1) if d.end <= d.start else day, p.timezone, d.end)
        a, b = max(p.start, ws), min(p.end, we)
        if b > a:
            total += b - a
    return total


def _differentials(worked: Sequence[Piece], sets: Sequence[RuleSet]) -> list[LineSpec]:
    """One spec per differential: its hours inside the window, to the hundredth, shared over dates."""
    found = [(rs, d) for rs in sets for d in rs.differentials]
    if not found:
        return []
    out: list[LineSpec] = []
    for rs, d in found:
        ms: dict[date, int] = {}
        shifts: dict[date, dict[str, None]] = {}
        where: tuple[str | None, str] | None = None
        for p in worked:
            if rs.jurisdiction not in (FEDERAL, p.state):
                continue
            got = _overlap(p, d)
            if got:
                ms[p.workday] = ms.get(p.workday, 0) + got
                shifts.setdefault(p.workday, {})[p.shift_id] = None
                where = where or (p.location_id, p.state)
        if not ms:
            continue
        total = (sum(ms.values()) * 2 + HUNDREDTH_MS) // (2 * HUNDREDTH_MS)
        days = sorted(ms)
        parts = apportion(total, [ms[x] for x in days], HUNDREDTH_MS) if len(days) > 1 else [total]
        assert where is not None
        spec = LineSpec("DIFF", d.amount, ONE, where[0], where[1], rs.jurisdiction, d.label, d.source)
        for x, count in zip(days, parts, strict=True):
            spec.add(x, count, shifts[x])
        out.append(spec)
    return out


def week_extras(
    worker: Worker,
    worked: Sequence[Piece],
    earnings: Sequence[Earning],
    groups: Sequence[HourGroup],
    sets: Sequence[RuleSet],
) -> WeekExtras:
    """A week's earnings, plan and differentials: what counts toward its regular rate, what is left out."""
    extras = WeekExtras()
    if earnings:
        extras.counted, extras.excluded = split(earnings)
    for g in groups:
        cls = g.hour_class
        if cls in ("PTO", "SICK", "HOLIDAY"):
            hours = hundredths_to_hours(g.total)
            extras.excluded.append(
                Exclusion(
                    f"{cls} {hours2(hours)} h",
                    cents(hours * g.rate),
                    LEAVE_CITE,
                    "pay for time not worked (vacation, holiday, illness): neither its hours nor its pay count",
                )
            )
    extras.specs = _differentials(worked, sets)
    for spec in extras.specs:
        extras.counted.append(("shift differential", spec_amount(spec)))
    if worker.rates and any(c.plan != "hourly" for c in worker.rates) and worked:
        change = plan_of_week(worker, [p.workday for p in worked])
        if change is not None:
            extras.day = max(p.workday for p in worked)
            hours = hundredths_to_hours(sum(g.total for g in groups if g.hour_class in ("REG", "OT", "DT")))
            if change.plan == FWW:
                kind, salary = fww_salary(change)
                extras.counted.append((kind, salary))
                extras.salary.append(
                    (f"weekly salary for all {hours} h worked (fluctuating workweek, {FWW_CITE})", salary)
                )
                extras.plan = (
                    f"fluctuating workweek: the salary {rate_text(salary, '$')} pays the straight time of every hour "
                    f"worked; overtime hours are owed half the regular rate on top ({FWW_CITE})"
                )
            elif change.plan == FIXED:
                balance, words = fixed_balance(change, hours)
                if balance != ZERO:
                    extras.salary.append((words, balance))
                    extras.excluded.append(
                        Exclusion(
                            "salary balance of the fixed week",
                            balance,
                            "29 CFR 778.113(a), 778.322",
                            "the salary is the straight time of its fixed week: the regular rate is the salary / "
                            "those hours, paid for each hour worked",
                        )
                    )
                extras.plan = words
    return extras


def _sort(lines: list[PayLine], groups: list[PayGroup]) -> None:
    lines.sort(key=lambda ln: (ln.date, _RANK.get(ln.hour_class, 99), ln.multiplier, ln.rate, ln.jurisdiction, ln.rule))
    groups.sort(key=lambda g: (_RANK.get(g.hour_class, 99), g.multiplier, g.rate, g.jurisdiction, g.rule))


def _money_line(
    day: date, cls: str, amount: Decimal, label: str, federal: RuleSet, where: tuple[str | None, str]
) -> tuple[PayLine, PayGroup]:
    loc, state = where
    src = policy_source(federal, "regular_rate")
    line = PayLine(day, cls, ZERO, amount, ONE, cents(amount), loc, state, (), label, src, federal.jurisdiction, amount)
    group = PayGroup(
        cls, ZERO, amount, ONE, amount, cents(amount), (day,), loc, state, label, src, federal.jurisdiction
    )
    return line, group


def plan_week(
    extras: WeekExtras,
    lines: list[PayLine],
    groups: list[PayGroup],
    federal: RuleSet,
    where: tuple[str, str | None],
) -> tuple[list[PayLine], list[PayGroup]]:
    """The week's lines and groups with its differentials and salary lines added."""
    lines, groups = list(lines), list(groups)
    for spec in extras.specs:
        group, dated = price_spec(spec)
        if group is not None:
            groups.append(group)
            lines.extend(dated)
    if extras.salary:
        state, loc = where
        place = (lines[0].location_id, lines[0].state) if lines else (loc, state)
        assert extras.day is not None
        for label, amount in extras.salary:
            line, group = _money_line(extras.day, "SALARY", amount, label, federal, place)
            lines.append(line)
            groups.append(group)
    _sort(lines, groups)
    return lines, groups


def _weeks_of(e: Earning, weeks: Mapping[date, WeekResult]) -> list[WeekResult]:
    """The workweeks of a bonus's period: those that begin in it, or in which it begins."""
    assert e.period_start is not None
    assert e.period_end is not None
    start, end = e.period_start, e.period_end
    return [w for wk, w in sorted(weeks.items()) if wk <= end and wk + timedelta(days=6) >= start]


def apply_allocations(
    pay_week: WeekResult, bonuses: Sequence[Earning], weeks: Mapping[date, WeekResult], federal: RuleSet
) -> WeekResult:
    """The week a bonus is paid in, with the extra overtime each week of its period is owed
    (29 CFR 778.209(a)): the bonus / the hours worked in the period, x (multiplier - 1) x
    each week's overtime hours. ``weeks``: every priced week of the worker, by first day."""
    lines, groups = list(pay_week.lines), list(pay_week.groups)
    notes = list(pay_week.notes)
    for e in bonuses:
        assert allocated(e)
        covered = _weeks_of(e, weeks)
        total = sum((w.hours_worked for w in covered), ZERO)
        share = allocation_rate(e.amount, total)
        notes.append(
            f"{e.kind} {rate_text(e.amount, '$')} earned {e.period_start}..{e.period_end}: "
            f"{rate_text(e.amount, '$')} / {hours2(total)} h worked in weeks "
            f"{', '.join(w.week_start.isoformat() for w in covered) or 'none'} = {rate_text(share, '$')} an hour; "
            f"each overtime hour is owed (multiplier - 1) x that ({ALLOCATION_CITE})"
        )
        if share == ZERO:
            continue
        src = policy_source(federal, "regular_rate")
        for w in covered:
            _premium_shares(e, w, share, src, groups, lines)
            for g in w.groups:
                if g.hour_class not in ("OT", "DT") or g.multiplier <= ONE:
                    continue
                label = (
                    f"{e.kind} of {e.period_start}..{e.period_end}: overtime of the week of {w.week_start.isoformat()} "
                    f"({ALLOCATION_CITE})"
                )
                spec = LineSpec(
                    "BONUS_OT",
                    share,
                    extra_multiplier(g.multiplier),
                    g.location_id,
                    g.state,
                    g.jurisdiction,
                    label,
                    src,
                )
                spec.add(e.day, int((g.hours * 100).to_integral_value()), ())
                group, dated = price_spec(spec)
                if group is not None:
                    groups.append(group)
                    lines.extend(dated)
    _sort(lines, groups)
    return dataclasses.replace(
        pay_week,
        lines=tuple(lines),
        groups=tuple(groups),
        gross=sum((ln.amount for ln in lines), ZERO),
        notes=tuple(notes),
    )


#: Premiums paid at the week's regular rate (``rules.engine.lines``: a premium with no rate of its own):
#: meal and rest (Lab. Code 226.7(c); Ferra v. Loews Hollywood Hotel, LLC (2021) 11 Cal.5th 858) and
#: reporting time (IWC Wage Order 4-2001 section 5(A)). Split-shift and spread-of-hours premiums are
#: paid at the minimum wage, which a bonus does not raise.
REGULAR_RATE_PREMIUMS = frozenset({"meal", "rest", "reporting_time"})


def _premium_shares(
    e: Earning, w: WeekResult, share: Decimal, src: Source, groups: list[PayGroup], lines: list[PayLine]
) -> None:
    """A bonus allocated over weeks raises each week's regular rate by ``share`` (29 CFR 778.209(a)),
    so each premium hour of those weeks paid at the regular rate is owed ``share`` more: added, like
    the overtime's, on the bonus's date, one line per kind of premium and place (a premium line of
    hours x share, so it multiplies out)."""
    hours: dict[tuple[str, str | None, str, str], int] = {}
    for ln in w.lines:
        if ln.hour_class == "PREMIUM" and ln.premium in REGULAR_RATE_PREMIUMS:
            key = (ln.premium, ln.location_id, ln.state, ln.jurisdiction)
            hours[key] = hours.get(key, 0) + int((ln.hours * 100).to_integral_value())
    for (kind, location_id, state, jurisdiction), hundredths in hours.items():
        label = (
            f"{e.kind} of {e.period_start}..{e.period_end}: {kind.replace('_', ' ')} premium of the week of "
            f"{w.week_start.isoformat()} at the bonus's share of the regular rate ({ALLOCATION_CITE}; "
            "Ferra v. Loews Hollywood Hotel (2021) 11 Cal.5th 858)"
        )
        spec = LineSpec("PREMIUM", share, ONE, location_id, state, jurisdiction, label, src)
        spec.add(e.day, hundredths, ())
        group, dated = price_spec(spec)
        if group is not None:
            groups.append(group)
            lines.extend(ln._replace(premium=kind) for ln in dated)


__all__ = ["REGULAR_RATE_PREMIUMS", "WeekExtras", "apply_allocations", "plan_week", "week_extras"]
