"""The effective rules of one jurisdiction on one date, in plain words (``ot rules show``).

Each line says one rule of the flat set (inheritance applied) and where it is
written in the rules file, so that an admin can go from the words to the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ot.core.errors import OtError, Problem
from rules.checks import STATE_CODES
from rules.errors import did_you_mean
from rules.model import (
    FEDERAL,
    AlternativeWorkweek,
    Condition,
    DayPremium,
    EmployerFlag,
    MinimumWage,
    NoRulesInForce,
    RateBelowMinimumWage,
    RuleBook,
    RuleSet,
    Source,
    Threshold,
    WorkerInGroup,
    WorkerTypeIn,
    WorkweekOver,
    YearlyAdjustment,
    minimum_wage_in,
    missing_wage,
)

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CLASS_WORDS = {"OT": "overtime", "DT": "double time", "REG": "regular time"}


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _money(value: Decimal) -> str:
    return f"${value:.2f}"


def _fact(value: Decimal | str) -> str:
    return f'"{value}"' if isinstance(value, str) else _num(value)


def _list(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def jurisdiction_name(text: str) -> str:
    """``FEDERAL`` or a USPS code from what a user typed (``federal``, ``ca``); OtError otherwise."""
    name = text.strip().upper()
    if name == FEDERAL or name in STATE_CODES:
        return name
    hint = did_you_mean(name, [*STATE_CODES, FEDERAL], cutoff=0.5)
    more = f' (did you mean "{hint}"?)' if hint else ""
    raise OtError(
        f"unknown jurisdiction {text!r}{more}",
        [Problem("--state", "give federal or a state's USPS code, such as CA")],
    )


def condition_text(condition: Condition, rules: RuleSet, day: date) -> str:
    """A condition in words, with the figure it compares against on ``day``."""
    if isinstance(condition, RateBelowMinimumWage):
        wage = rules.minimum_wage_on(day)
        figure = (
            f" ({_money(wage * condition.multiple)} an hour on {day})"
            if wage is not None
            else " (no minimum wage is set)"
        )
        return f"only when the rate is below {_num(condition.multiple)}x the minimum wage{figure}"
    if isinstance(condition, WorkerTypeIn):
        return "only for " + " and ".join(sorted(condition.types)) + " workers"
    if isinstance(condition, WorkweekOver):
        return f"only in a workweek of more than {_num(condition.hours)} hours worked"
    if isinstance(condition, WorkerInGroup):
        who = _group_words(condition.workers)
        if condition.negated:
            return f'only for workers outside the group "{condition.group}" ({who})'
        return f'only for the workers of the group "{condition.group}" ({who})'
    assert isinstance(condition, EmployerFlag)
    facts = dict(rules.employer)
    value = f'"{condition.value}"' if isinstance(condition.value, str) else _num(condition.value)
    op = {"==": "is", "!=": "is not"}.get(condition.op, condition.op)
    now = facts.get(condition.name)
    known = f" (it is {_fact(now)})" if now is not None else " (not given)"
    return f"only when the employer's {condition.name} {op} {value}{known}"


def _group_words(workers: frozenset[str]) -> str:
    if not workers:
        return "which names nobody yet"
    return ", ".join(sorted(workers))


def threshold_text(threshold: Threshold, rules: RuleSet, day: date) -> str:
    """A threshold in words: which hours, what class, what pay."""
    hours = _num(threshold.over)
    which = {
        "daily": f"hours over {hours} in a workday",
        "weekly": f"hours over {hours} in a workweek",
        "seventh_day": (
            "every hour of the seventh consecutive workday of a workweek"
            if threshold.over == 0
            else f"hours over {hours} on the seventh consecutive workday of a workweek"
        ),
        "consecutive": f"hours beyond {hours} consecutive hours of work",
        "rolling24": f"hours over {hours} in a 24-hour period from each workday's first start of work",
        "rolling24_chained": (
            f"hours over {hours} in a 24-hour period from a start of work, periods never overlapping"
        ),
        "sunday": (
            "every hour of a workday that is a Sunday"
            if threshold.over == 0
            else f"hours over {hours} on a workday that is a Sunday"
        ),
        "holiday": (
            "every hour of a workday that is a holiday of the calendar"
            if threshold.over == 0
            else f"hours over {hours} on a workday that is a holiday of the calendar"
        ),
    }[threshold.kind]
    verb = "is" if threshold.kind in ("seventh_day", "sunday", "holiday") and threshold.over == 0 else "are"
    text = (
        f"{which} {verb} {CLASS_WORDS[threshold.hour_class]} ({threshold.hour_class}), "
        f"paid at {_num(threshold.multiplier)}x the regular rate"
    )
    for condition in threshold.conditions:
        text += ", " + condition_text(condition, rules, day)
    return text


def day_premium_text(premium: DayPremium) -> str:
    """A split-shift or spread-of-hours premium in words."""
    if premium.kind == "split_shift":
        when = f"a workday whose work is split by more than {premium.gap_minutes} min off work (a split shift)"
    else:
        when = f"a workday whose spread from the first start of work to the last end is over {_num(premium.spread_over or Decimal(0))}h"
    text = f"{when} owes {_num(premium.hours)}h at the minimum wage (state or local, the higher)"
    if premium.offset:
        text += ", less what the day's pay earned above the minimum wage"
    else:
        text += ", whatever the rate"
    return text + "; at most one such premium a workday"


def alternative_workweek_text(aws: AlternativeWorkweek, rules: RuleSet, day: date) -> str:
    """An alternative workweek schedule in words."""
    days = ", ".join(
        f"{WEEKDAY_NAMES[d.weekday]} {_num(d.hours)}h"
        + (f" every other week from {d.every_other_from.isoformat()}" if d.every_other_from else "")
        for d in aws.days
    )
    who = _list(sorted(aws.workers))
    text = (
        f'alternative workweek "{aws.name}" of {who} ({days}): on a scheduled day, daily overtime starts after '
        "the hours scheduled (double time as the daily rules say)"
    )
    if any(d.every_other_from for d in aws.days):
        text += (
            "; a two-week schedule: its weeks keep within 40 hours when the employer's workweek begins in the "
            "middle of the day worked every other week (29 CFR 778.105), else the longer week owes weekly overtime"
        )
    if aws.other_days:
        text += "; on the other days, " + "; ".join(threshold_text(t, rules, day) for t in aws.other_days)
    else:
        text += "; on the other days, the daily rules as they are"
    return text


def policy_lines(book: RuleBook, day: date) -> list[tuple[str, str]]:
    """The employer's own policies in force on ``day``, one (text, where) pair per rule."""
    out: list[tuple[str, str]] = []
    for name, sets in book.policies:
        for rules in sets:
            if rules.effective > day or (rules.until is not None and day > rules.until):
                continue
            said = f'employer policy "{name}", beside the law (the most favourable result wins)'
            for threshold in rules.thresholds:
                out.append((f"{said}: {threshold_text(threshold, rules, day)}", _at(threshold.source)))
            for premium in rules.day_premiums:
                out.append((f"{said}: {day_premium_text(premium)}", _at(premium.source)))
    return out


def _lines(rules: RuleSet, day: date) -> list[tuple[str, str]]:
    policy = dict(rules.policy_sources)
    out: list[tuple[str, str]] = []
    weekday = WEEKDAY_NAMES[rules.workweek_start_day]
    out.append(
        (f"the workweek starts {weekday} {rules.workweek_start_time:%H:%M}", _at(policy.get("workweek"), default=True))
    )
    out.append((f"the workday starts {rules.workday_start:%H:%M}", _at(policy.get("workday"), default=True)))
    wage = None
    for mw in rules.minimum_wages:
        if mw.effective <= day:
            wage = mw
    if wage is not None:
        out.append((f"minimum wage {_money(wage.amount)} an hour, since {wage.effective}", _at(wage.source)))
    else:
        out.append(("no minimum wage is in force on this date", ""))
    later = [mw for mw in rules.minimum_wages if mw.effective > day]
    for mw in later:
        out.append((f"minimum wage {_money(mw.amount)} an hour from {mw.effective}", _at(mw.source)))
    out.extend(
        _adjusted_lines(
            "the minimum wage is", rules.jurisdiction, rules.minimum_wages, rules.minimum_wage_adjusted, day
        )
    )
    out.append(
        (
            "the minimum wage is owed for each hour (no averaging over the workweek)"
            if rules.minimum_wage_per_hour
            else "the minimum wage is measured per workweek (29 CFR 776.5)",
            _at(policy.get("minimum_wage_measure"), default=True),
        )
    )
    if not rules.thresholds:
        out.append(("no overtime thresholds of its own", ""))
    for threshold in rules.thresholds:
        out.append((threshold_text(threshold, rules, day), _at(threshold.source)))
    types = sorted(rules.no_overtime_worker_types)
    out.append(
        (
            f"{_list(types)} workers get no overtime" if types else "every worker type gets overtime",
            _at(policy.get("no_overtime"), default=True),
        )
    )
    for group, workers in rules.no_overtime_groups:
        out.append(
            (
                f'the workers of the group "{group}" ({_group_words(workers)}) get no overtime here, '
                "but keep the minimum wage and every premium",
                _at(policy.get("no_overtime"), default=True),
            )
        )
    pay_types = [p for p in ("PTO", "SICK", "HOLIDAY") if p in rules.not_worked_pay_types]
    out.append(
        (
            f"{_list(pay_types)} hours are paid but never count toward overtime"
            if pay_types
            else "paid hours not worked count toward overtime",
            _at(policy.get("not_worked"), default=True),
        )
    )
    for diff in rules.differentials:
        out.append(
            (
                f"hours worked between {diff.start.strftime('%H:%M')} and {diff.end.strftime('%H:%M')} are paid "
                f"${diff.amount} more per hour, and that pay counts toward the regular rate (29 CFR 778.207(b))",
                _at(diff.source),
            )
        )
    if rules.short_break_paid_minutes is None:
        out.append(
            ("short breaks recorded as unpaid are not hours worked", _at(policy.get("short_breaks"), default=True))
        )
    else:
        out.append(
            (
                f"breaks of {rules.short_break_paid_minutes} min or less are hours worked, even when recorded as unpaid",
                _at(policy.get("short_breaks"), default=True),
            )
        )
    out.append(
        ("regular rate: the weighted average of the workweek's rates", _at(policy.get("regular_rate"), default=True))
    )
    rounding = rules.rounding
    out.append(
        (
            "punches are not rounded"
            if rounding.minutes == 0
            else f"punches are rounded to the nearest {rounding.minutes} min",
            _at(policy.get("rounding"), default=True),
        )
    )
    out.append(
        ("where rules overlap, the one most favourable to the worker wins", _at(policy.get("combine"), default=True))
    )
    out.append(
        (
            "no pyramiding: hours paid as daily, seventh-day or consecutive overtime do not count again toward a weekly threshold"
            if rules.no_pyramiding
            else "pyramiding allowed: daily overtime hours count toward weekly thresholds too",
            _at(policy.get("pyramiding"), default=True),
        )
    )
    if rules.meal is not None:
        meal = rules.meal
        text = (
            f"a meal period of {meal.minimum_minutes} min must start before the end of hour {_num(meal.first_by_hour)} "
            f"when work is over {_num(meal.first_after_hours)}h"
        )
        if meal.second_by_hour is not None and meal.second_after_hours is not None:
            text += f", a second before the end of hour {_num(meal.second_by_hour)} when over {_num(meal.second_after_hours)}h"
        text += (
            f"; a missed or late one owes {_num(meal.premium_hours)}h at the regular rate"
            f" (at most {meal.max_premiums_per_day} a workday)"
        )
        if meal.first_waivable_up_to_hours is not None:
            text += f"; the first may be waived up to {_num(meal.first_waivable_up_to_hours)}h of work"
        if meal.second_waivable_up_to_hours is not None:
            text += f", the second up to {_num(meal.second_waivable_up_to_hours)}h"
        taken = _list(list(meal.break_types)) if meal.break_types else "any unpaid break"
        text += f"; breaks that count: {taken}"
        out.append((text, _at(meal.source)))
    else:
        out.append(("no meal-period rule", ""))
    if rules.rest is not None:
        rest = rules.rest
        taken = _list(list(rest.break_types)) if rest.break_types else "any paid break"
        evidence = _list(
            ["the worker's answer at clock-out" if e == "attestation" else "rest breaks punched" for e in rest.evidence]
        )
        out.append(
            (
                f"a rest period of {rest.minutes} min per {_num(rest.per_hours)}h worked is owed when work is over "
                f"{_num(rest.min_shift_hours)}h; a missed one owes {_num(rest.premium_hours)}h at the regular rate; "
                f"breaks that count: {taken}; evidence of a missed one: {evidence}",
                _at(rest.source),
            )
        )
    else:
        out.append(("no rest-period rule", ""))
    for premium in rules.day_premiums:
        out.append((day_premium_text(premium), _at(premium.source)))
    if rules.reporting_time is not None:
        rt = rules.reporting_time
        text = (
            "a worker who reports on a scheduled day and is given less than half of it is paid for half the "
            f"scheduled day, at least {_num(rt.at_least)}h and at most {_num(rt.at_most)}h, at the regular rate "
            "(the hours beyond those worked)"
        )
        if rt.second_report is not None:
            text += (
                f"; a second report in a workday given less than {_num(rt.second_report)}h is paid "
                f"{_num(rt.second_report)}h"
            )
        out.append((text, _at(rt.source)))
    for aws in rules.alternative_workweeks:
        out.append((alternative_workweek_text(aws, rules, day), _at(aws.source)))
    for bt in rules.break_types:
        where = _at(bt.source) if bt.source.line else "built-in"
        out.append((f"break type {bt.code}: {'paid' if bt.paid else 'unpaid'}", where))
    if rules.employer:
        facts = [f"{name} {_fact(value)}" for name, value in rules.employer]
        out.append(("employer facts: " + ", ".join(facts), _at(policy.get("employer"))))
    return out


def holiday_lines(book: RuleBook, jurisdiction: str, year: int) -> list[tuple[str, str]]:
    """The holidays kept in ``jurisdiction`` in ``year``, one (text, where) pair each."""
    out: list[tuple[str, str]] = []
    for holiday in book.holidays_between(jurisdiction, date(year, 1, 1), date(year, 12, 31)):
        text = f"holiday {holiday.day:%a} {holiday.day}: {holiday.name}"
        if holiday.observed:
            other_year = f", {holiday.actual.year}" if holiday.actual.year != holiday.day.year else ""
            text += f" ({holiday.actual:%B} {holiday.actual.day}{other_year} falls on a {holiday.actual:%A})"
        if holiday.jurisdiction != FEDERAL:
            text += f" [{holiday.jurisdiction}]"
        out.append((text, _at(holiday.source)))
    return out


def describe(book: RuleBook, jurisdiction: str, day: date) -> str:
    """The rules of ``jurisdiction`` in force on ``day``, after inheritance, one per line with its source,
    then the holidays kept there in ``day``'s year."""
    name = jurisdiction_name(jurisdiction)
    asked = name
    header: list[str] = []
    if name != FEDERAL and not book.has(name):
        header.append(f"{name} has no rules of its own in {book.file}: the federal rules apply.")
        name = FEDERAL
    try:
        rules = book.effective(name, day)
    except NoRulesInForce as exc:
        raise OtError(
            str(exc),
            [Problem(book.file, f"add rules in force on {day} for {name.lower() if name == FEDERAL else name}")],
        ) from None
    title = "federal" if name == FEDERAL else name
    until = f"until {rules.until}" if rules.until else "until further notice"
    builds = f", building on {'federal' if rules.parent == FEDERAL else rules.parent}" if rules.parent else ""
    header.append(f"{title} rules in force on {day}: the set from {rules.effective}, {until}{builds} ({rules.source})")
    if name != FEDERAL:
        header.append("the federal rules apply as well; for each hour the result most favourable to the worker wins")
    body = _lines(rules, day)
    for local in book.locals:
        if name == FEDERAL or local.state != name:
            continue
        version = local.version_on(day)
        mw = minimum_wage_in(version.minimum_wages, day) if version is not None else None
        if mw is not None:
            body.append(
                (
                    f"local minimum wage in {local.place}: {_money(mw.amount)} an hour, since {mw.effective}",
                    _at(mw.source),
                )
            )
        else:
            body.append((f"local minimum wage in {local.place}: none in force on this date", _at(local.source)))
        if version is not None:
            body.extend(
                _adjusted_lines(
                    f"local minimum wage in {local.place}:", local.name, version.minimum_wages, version.adjusted, day
                )
            )
    body.extend(policy_lines(book, day))
    holidays = holiday_lines(book, asked, day.year)
    if holidays:
        body.extend(holidays)
    elif any(c.versions for c in book.calendars):
        body.append((f"no holidays in {day.year} in {book.file}", ""))
    width = max(len(where) for _, where in body)
    lines = list(header)
    for text, where in body:
        lines.append(f"  {where:<{width}}  {text}")
    return "\n".join(lines) + "\n"


def _adjusted_lines(
    what: str, where: str, wages: tuple[MinimumWage, ...], adjusted: YearlyAdjustment | None, day: date
) -> list[tuple[str, str]]:
    """That a minimum wage is adjusted yearly, and the adjustment the rules lack on ``day``, if any."""
    if adjusted is None:
        return []
    first = adjusted.first
    out = [(f"{what} adjusted every year on {first:%B} {first.day}, from {first}", _at(adjusted.source))]
    missing = missing_wage(where, wages, adjusted, day)
    if missing is not None:
        dates = " nor ".join(str(d) for d in missing.missed or (missing.due,))
        out.append((f"MISSING: no figure from {dates}; write the agency's figure into the rules", ""))
    return out


def _at(source: Source | None, default: bool = False) -> str:
    """Where a rule is written: ``file:line``, or ``built-in default`` for an unwritten policy."""
    if source is None:
        return "built-in default" if default else ""
    return str(source)
