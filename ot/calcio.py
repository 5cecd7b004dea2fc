"""``ot calc``'s JSON: input -> engine records, engine result -> output (contracts/calc.md).

Reading checks everything and reports every problem at once, each located as
``shifts[1].end``, ``workers.w1.type``, ``earnings[0].amount`` or
``FILE:LINE:COLUMN`` for JSON syntax. Numbers are read through their text
(``json.loads(parse_float=Decimal)``), never as binary floats.

Shift ids are ``#<index>`` (``#0`` is the first shift of the file); errors
name the shift as ``shifts[<index>]``.

Extensions of the contract (``docs/calc-extensions.md``): a shift's
``rest_attestation`` (``rest-missed`` / ``rest-taken``), ``city`` and
``county`` (also as worker defaults); a line's ``base_rate``,
``multiplier``, ``carry``, ``state``, ``location`` and ``shifts``; a week's
``paid_leave_hours`` and ``groups`` (what each kind of hours pays in the week).
Hours-only entries keep their exact value (``"hours": "0.89"`` is 0.89 h).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ot.core.domain import (
    EARNING_KINDS,
    PAY_PLANS,
    PAY_TYPES,
    REST_ATTESTATIONS,
    WORKER_TYPES,
    BreakSegment,
    Earning,
    RateChange,
    Shift,
    Worker,
)
from ot.core.errors import OtError, Problem
from ot.core.money import (
    ZERO,
    MoneyError,
    cents,
    hours2,
    hours_to_ms,
    rate4,
    read_amount,
    read_decimal,
    read_hours,
    read_rate,
    read_salary,
)
from ot.core.timez import STATE_ZONES, TimeError, parse_date, parse_hhmm, parse_local, zone
from rules.engine.explain import explain_json, shift_name, source_text
from rules.engine.results import PayGroup, PayLine, PayResult, WeekResult

TOP_KEYS = ("workweek_start", "workday_start", "workers", "shifts", "earnings", "scheduled")
WORKER_KEYS = ("rate", "state", "timezone", "type", "name", "location", "city", "county", "pay_plan", "plan_hours")
SHIFT_KEYS = (
    "worker",
    "start",
    "end",
    "date",
    "hours",
    "state",
    "timezone",
    "rate",
    "breaks",
    "pay_type",
    "meal_waiver",
    "rest_missed",
    "rest_attestation",
    "location",
    "city",
    "county",
)
BREAK_KEYS = ("start", "end", "paid", "type")
EARNING_KEYS = ("worker", "date", "amount", "kind")
#: Optional keys of an earning (docs/calc-extensions.md): a bonus's period, a piece count and its rate.
EARNING_EXTRA_KEYS = ("earned_from", "earned_to", "quantity", "unit_rate")
KINDS = EARNING_KINDS
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_MINUTES = 24 * 60
MAX_HOURS = Decimal(24)


@dataclass(frozen=True)
class CalcInput:
    """A calc file, read and checked.

    Attributes:
        workers: Every worker by id, declared ones first, in input order.
        shifts: Shifts in input order (``shift_id`` ``#<index>``).
        earnings: Other earnings of the regular rate.
        scheduled: By worker, the hours each date is scheduled (reporting-time pay).
        workweek: (start day 0=Monday..6=Sunday, local time) or None (the rules').
        workday_start: Local time or None (the rules').
    """

    workers: Mapping[str, Worker]
    shifts: tuple[Shift, ...]
    earnings: tuple[Earning, ...]
    workweek: tuple[int, time] | None
    workday_start: time | None
    scheduled: Mapping[str, Mapping[date, Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class _WorkerDefaults:
    rate: Decimal | None
    state: str | None
    timezone: str | None
    type: str
    location: str | None
    city: str | None = None
    county: str | None = None
    plan: str = "hourly"
    plan_hours: Decimal | None = None


class _Reader:
    """Collects problems while reading; every method returns None on a problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def keys(self, obj: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in obj:
            if key not in allowed:
                self.bad(
                    f"{where}.{key}" if where else key, f"unknown key {key!r}: expected one of {', '.join(allowed)}"
                )

    def text(self, value: Any, where: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.bad(where, f"expected a non-empty text, got {_show(value)}")
            return None
        return value.strip()

    def number(self, value: Any, where: str, *, what: str = "number") -> Decimal | None:
        """A rate (0 for a piece rate), hours of one entry or an amount, through :mod:`ot.core.money`'s one reader."""
        try:
            if what == "rate":
                return read_rate(value, "rate", allow_zero=True)
            if what == "amount":
                return read_amount(value, "amount")
            return read_hours(value, "hours")
        except MoneyError as exc:
            self.bad(where, f"{exc} (a JSON string or number)")
            return None

    def flag(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            self.bad(where, f"expected true or false, got {_show(value)}")
            return False
        return value

    def state(self, value: Any, where: str) -> str | None:
        text = self.text(value, where)
        if text is None:
            return None
        if text.upper() not in STATE_ZONES:
            self.bad(where, f"unknown state {text!r}: give a USPS code such as CA, TX or NY")
            return None
        return text.upper()

    def zone(self, value: Any, where: str) -> str | None:
        text = self.text(value, where)
        if text is None:
            return None
        try:
            zone(text)
        except TimeError as exc:
            self.bad(where, str(exc))
            return None
        return text

    def instant(self, value: Any, tz: str, where: str) -> datetime | None:
        text = self.text(value, where)
        if text is None:
            return None
        try:
            # contracts/calc.md: "An ambiguous local time (a DST fall-back hour) means its first occurrence
            # unless an offset is given" (the ledger's inputs refuse one instead: ot.core.timez).
            return parse_local(text, tz, first=True)
        except TimeError as exc:
            self.bad(where, str(exc))
            return None

    def day(self, value: Any, where: str) -> date | None:
        text = self.text(value, where)
        if text is None:
            return None
        try:
            return parse_date(text)
        except TimeError as exc:
            self.bad(where, str(exc))
            return None


def _show(value: Any) -> str:
    """A JSON value as quoted in a message (a long one cut short)."""
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _workweek(r: _Reader, value: Any) -> tuple[int, time] | None:
    text = r.text(value, "workweek_start")
    if text is None:
        return None
    m = re.fullmatch(r"([A-Za-z]+)(?:\s+(\S+))?", text)
    name = m.group(1).lower() if m else ""
    day = next((i for i, d in enumerate(DAYS) if name and d.startswith(name) and len(name) >= 3), None)
    if m is None or day is None:
        r.bad("workweek_start", f'{text!r} is not a workweek start: write a day and a time, e.g. "sunday 00:00"')
        return None
    at = time(0, 0)
    if m.group(2):
        try:
            at = parse_hhmm(m.group(2))
        except TimeError as exc:
            r.bad("workweek_start", str(exc))
            return None
    return day, at


def _workers(r: _Reader, value: Any) -> dict[str, _WorkerDefaults]:
    out: dict[str, _WorkerDefaults] = {}
    if not isinstance(value, dict):
        r.bad("workers", 'expected an object of workers by id, e.g. {"w1": {"rate": "20.00", "state": "CA"}}')
        return out
    for wid, spec in value.items():
        where = f"workers.{wid}"
        if not isinstance(spec, dict):
            r.bad(where, "expected an object with rate, state, timezone and type")
            continue
        r.keys(spec, WORKER_KEYS, where)
        salaried = spec.get("pay_plan") in ("salary-fww", "salary-fixed")
        rate = r.number(spec["rate"], f"{where}.rate", what="rate") if "rate" in spec and not salaried else None
        if "rate" in spec and salaried:  # a salary plan's rate is its weekly salary (whole cents), not an hour's pay
            try:
                rate = read_salary(spec["rate"], "rate", plan=str(spec["pay_plan"]))
            except MoneyError as exc:
                r.bad(f"{where}.rate", f"{exc} (a JSON string or number)")
        state = r.state(spec["state"], f"{where}.state") if "state" in spec else None
        tz = r.zone(spec["timezone"], f"{where}.timezone") if "timezone" in spec else None
        kind = spec.get("type", "W2")
        if kind not in WORKER_TYPES:
            r.bad(f"{where}.type", f"unknown worker type {_show(kind)}: expected {' or '.join(WORKER_TYPES)}")
            kind = "W2"
        loc = spec.get("location")
        city = r.text(spec["city"], f"{where}.city") if "city" in spec else None
        county = r.text(spec["county"], f"{where}.county") if "county" in spec else None
        plan = spec.get("pay_plan", "hourly")
        plan_hours = None
        if plan not in PAY_PLANS:
            r.bad(f"{where}.pay_plan", f"unknown pay plan {_show(plan)}: expected one of {', '.join(PAY_PLANS)}")
            plan = "hourly"
        if plan == "salary-fixed":
            try:
                plan_hours = read_decimal(spec.get("plan_hours"), "plan_hours", example="35")
            except MoneyError as exc:
                plan_hours = None
                r.bad(f"{where}.plan_hours", f"{exc} (the hours of the fixed week the salary is for)")
            if plan_hours is not None and not ZERO < plan_hours <= 40:
                r.bad(f"{where}.plan_hours", "the hours of the fixed week the salary is for: more than 0, at most 40")
                plan_hours = None
        elif "plan_hours" in spec:
            r.bad(f"{where}.plan_hours", f"plan_hours is for a salary-fixed plan, not {plan}: leave it out")
        if plan != "hourly" and rate is None:
            r.bad(f"{where}.rate", f"a {plan} plan needs its weekly salary as the rate")
        out[str(wid)] = _WorkerDefaults(
            rate, state, tz, str(kind), str(loc) if loc is not None else None, city, county, str(plan), plan_hours
        )
    return out


def _breaks(
    r: _Reader, value: Any, tz: str, start: datetime | None, end: datetime | None, where: str
) -> tuple[BreakSegment, ...]:
    if not isinstance(value, list):
        r.bad(where, "expected a list of breaks with start, end and paid")
        return ()
    out: list[BreakSegment] = []
    for j, spec in enumerate(value):
        bw = f"{where}[{j}]"
        if not isinstance(spec, dict):
            r.bad(bw, "expected an object with start, end and paid")
            continue
        r.keys(spec, BREAK_KEYS, bw)
        for key in ("start", "end"):
            if key not in spec:
                r.bad(f"{bw}.{key}", f"missing: a break needs its {key}")
        b0 = r.instant(spec["start"], tz, f"{bw}.start") if "start" in spec else None
        b1 = r.instant(spec["end"], tz, f"{bw}.end") if "end" in spec else None
        paid = r.flag(spec["paid"], f"{bw}.paid") if "paid" in spec else False
        code = spec.get("type", "DEFAULT_UNPAID")
        if b0 is None or b1 is None:
            continue
        if b1 <= b0:
            r.bad(f"{bw}.end", f"ends before its start ({spec['end']} <= {spec['start']})")
            continue
        if start is not None and end is not None and (b0 < start or b1 > end):
            r.bad(bw, f"outside its shift ({spec['start']} - {spec['end']} is not within the shift's start and end)")
            continue
        out.append(BreakSegment(b0, b1, str(code), paid))
    out.sort(key=lambda b: b.start)
    for a, b in itertools.pairwise(out):
        if a.end is not None and b.start < a.end:
            r.bad(where, "two breaks overlap: fix their times")
            break
    return tuple(out)


def _shift(r: _Reader, i: int, spec: Any, workers: dict[str, _WorkerDefaults]) -> Shift | None:
    where = f"shifts[{i}]"
    if not isinstance(spec, dict):
        r.bad(where, "expected an object with worker and start/end or date/hours")
        return None
    before = len(r.problems)
    r.keys(spec, SHIFT_KEYS, where)
    wid = r.text(spec["worker"], f"{where}.worker") if "worker" in spec else None
    if "worker" not in spec:
        r.bad(f"{where}.worker", "missing: whose shift is it?")
    defaults = workers.get(wid or "", _WorkerDefaults(None, None, None, "W2", None))
    state = r.state(spec["state"], f"{where}.state") if "state" in spec else defaults.state
    if state is None and "state" not in spec:
        r.bad(f"{where}.state", "missing: give the shift a state (or its worker one in workers)")
    tz: str | None
    if "timezone" in spec:
        tz = r.zone(spec["timezone"], f"{where}.timezone")
    else:
        tz = defaults.timezone or (STATE_ZONES[state] if state else None)
    rate = r.number(spec["rate"], f"{where}.rate", what="rate") if "rate" in spec else None
    if "rate" not in spec and defaults.rate is None:
        r.bad(f"{where}.rate", "missing: give the shift a rate (or its worker one in workers)")
    pay_type = spec.get("pay_type", "REGULAR")
    if pay_type not in PAY_TYPES:
        r.bad(
            f"{where}.pay_type",
            f"unknown pay type {_show(pay_type)}: expected one of {', '.join(PAY_TYPES)}",
        )
    waiver = r.flag(spec["meal_waiver"], f"{where}.meal_waiver") if "meal_waiver" in spec else False
    rest_missed = r.flag(spec["rest_missed"], f"{where}.rest_missed") if "rest_missed" in spec else False
    attestation: str | None = None
    if "rest_attestation" in spec:
        attestation = r.text(spec["rest_attestation"], f"{where}.rest_attestation")
        if attestation is not None and attestation not in REST_ATTESTATIONS:
            r.bad(
                f"{where}.rest_attestation",
                f"unknown answer {json.dumps(attestation)}: expected {' or '.join(REST_ATTESTATIONS)}",
            )
    location = spec.get("location", defaults.location)
    city = r.text(spec["city"], f"{where}.city") if "city" in spec else defaults.city
    county = r.text(spec["county"], f"{where}.county") if "county" in spec else defaults.county

    punched = "start" in spec or "end" in spec
    hours_only = "date" in spec or "hours" in spec
    start = end = None
    day: date | None = None
    minutes: int | None = None
    exact: Decimal | None = None
    breaks: tuple[BreakSegment, ...] = ()
    if punched and hours_only:
        r.bad(where, "give either start and end, or date and hours, not both")
    elif not punched and not hours_only:
        r.bad(where, "missing: give start and end (punches) or date and hours (an hours-only entry)")
    elif punched:
        for key in ("start", "end"):
            if key not in spec:
                r.bad(f"{where}.{key}", f"missing: a punched shift needs its {key}")
        read_tz = tz or "UTC"  # no zone known (a problem already): still check the times themselves
        start = r.instant(spec["start"], read_tz, f"{where}.start") if "start" in spec else None
        end = r.instant(spec["end"], read_tz, f"{where}.end") if "end" in spec else None
        if start is not None and end is not None:
            if end <= start:
                word = "ends before its start" if end < start else "ends when it starts"
                r.bad(f"{where}.end", f"{word} ({spec['end']} {'<' if end < start else '='} {spec['start']})")
            elif (end - start).total_seconds() > MAX_MINUTES * 60:
                r.bad(f"{where}.end", "the shift is longer than 24 hours: check the dates, or split it")
        if "breaks" in spec:
            breaks = _breaks(r, spec["breaks"], read_tz, start, end, f"{where}.breaks")
    else:
        for key in ("date", "hours"):
            if key not in spec:
                r.bad(f"{where}.{key}", f"missing: an hours-only entry needs its {key}")
        if "breaks" in spec:
            r.bad(f"{where}.breaks", "an hours-only entry has no breaks: give hours net of unpaid breaks")
        day = r.day(spec["date"], f"{where}.date") if "date" in spec else None
        hrs = r.number(spec["hours"], f"{where}.hours", what="number of hours") if "hours" in spec else None
        if hrs is not None:
            # Kept exact (0.89 h is 0.89 h); ``minutes`` only for displays that count minutes.
            exact = hrs
            minutes = int((hrs * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            if hours_to_ms(hrs) <= 0 or hrs > MAX_HOURS:
                r.bad(f"{where}.hours", f"{hrs} hours: give more than 0 and no more than 24 hours on one day")
    if len(r.problems) > before or wid is None or state is None or tz is None:
        return None
    return Shift(
        shift_id=f"#{i}",
        worker_id=wid,
        start=start,
        end=end,
        timezone=tz,
        state=state,
        location_id=str(location) if location is not None else None,
        rate=rate,
        breaks=breaks,
        pay_type=str(pay_type),
        day=day,
        minutes=minutes,
        meal_waiver=waiver,
        exceptions=("rest_missed",) if rest_missed else (),
        hours=exact,
        rest_attestation=attestation or ("rest-missed" if rest_missed else None),
        city=city,
        county=county,
    )


def _earnings(r: _Reader, value: Any, known: set[str]) -> list[Earning]:
    out: list[Earning] = []
    if not isinstance(value, list):
        r.bad("earnings", "expected a list of {worker, date, amount, kind}")
        return out
    for i, spec in enumerate(value):
        where = f"earnings[{i}]"
        if not isinstance(spec, dict):
            r.bad(where, "expected an object with worker, date, amount and kind")
            continue
        before = len(r.problems)
        r.keys(spec, EARNING_KEYS + EARNING_EXTRA_KEYS, where)
        for key in EARNING_KEYS:
            if key not in spec:
                r.bad(f"{where}.{key}", f"missing: an earning needs its {key}")
        wid = r.text(spec["worker"], f"{where}.worker") if "worker" in spec else None
        if wid is not None and wid not in known:
            r.bad(f"{where}.worker", f"unknown worker {wid!r}: no shift or workers entry names them")
        day = r.day(spec["date"], f"{where}.date") if "date" in spec else None
        amount = r.number(spec["amount"], f"{where}.amount", what="amount") if "amount" in spec else None
        kind = spec.get("kind")
        if "kind" in spec and kind not in KINDS:
            r.bad(f"{where}.kind", f"unknown kind {_show(kind)}: expected one of {', '.join(KINDS)}")
        start = r.day(spec["earned_from"], f"{where}.earned_from") if "earned_from" in spec else None
        end = r.day(spec["earned_to"], f"{where}.earned_to") if "earned_to" in spec else None
        if ("earned_from" in spec) != ("earned_to" in spec):
            r.bad(where, "give both earned_from and earned_to (the period it was earned over), or neither")
        elif start is not None and end is not None:
            if end < start:
                r.bad(f"{where}.earned_to", f"{end} is before earned_from {start}")
            if kind not in ("bonus", "commission"):
                r.bad(f"{where}.earned_from", "only a bonus or a commission is earned over a period (29 CFR 778.209)")
        qty = None
        if "quantity" in spec:
            try:
                qty = read_decimal(spec["quantity"], "quantity", example="120")
                if qty <= 0:
                    raise MoneyError(f"quantity {_show(spec['quantity'])} must be more than 0")
            except MoneyError as exc:
                r.bad(f"{where}.quantity", f"{exc} (a JSON string or number)")
                qty = None
        unit = r.number(spec["unit_rate"], f"{where}.unit_rate", what="rate") if "unit_rate" in spec else None
        if ("quantity" in spec) != ("unit_rate" in spec):
            r.bad(where, "give both quantity and unit_rate (the rate basis), or neither")
        if len(r.problems) == before and wid is not None and day is not None and amount is not None:
            out.append(Earning(wid, day, amount, str(kind), start, end, qty, unit))
    return out


def _scheduled(r: _Reader, value: Any, known: set[str]) -> dict[str, dict[date, Decimal]]:
    """``scheduled``: ``[{"worker", "date", "hours"}]``, the hours each date is scheduled (IWC Wage
    Order 4-2001 section 5(A) pays half the scheduled day to a worker sent home early)."""
    out: dict[str, dict[date, Decimal]] = {}
    if not isinstance(value, list):
        r.bad("scheduled", "expected a list of {worker, date, hours}")
        return out
    for i, spec in enumerate(value):
        where = f"scheduled[{i}]"
        if not isinstance(spec, dict):
            r.bad(where, "expected an object with worker, date and hours")
            continue
        before = len(r.problems)
        r.keys(spec, ("worker", "date", "hours"), where)
        for key in ("worker", "date", "hours"):
            if key not in spec:
                r.bad(f"{where}.{key}", f"missing: a scheduled day needs its {key}")
        wid = r.text(spec["worker"], f"{where}.worker") if "worker" in spec else None
        if wid is not None and wid not in known:
            r.bad(f"{where}.worker", f"unknown worker {wid!r}: no shift or workers entry names them")
        day = r.day(spec["date"], f"{where}.date") if "date" in spec else None
        hours = r.number(spec["hours"], f"{where}.hours", what="hours") if "hours" in spec else None
        if hours is not None and not Decimal(0) < hours <= MAX_HOURS:
            r.bad(f"{where}.hours", f"{hours} is not a day's hours: more than 0, at most 24")
            hours = None
        if len(r.problems) == before and wid is not None and day is not None and hours is not None:
            days = out.setdefault(wid, {})
            if day in days:
                r.bad(f"{where}.date", f"{wid} is already scheduled on {day}: give each date once")
            days[day] = hours
    return out


def _overlaps(r: _Reader, shifts: list[Shift]) -> None:
    by_worker: dict[str, list[Shift]] = {}
    for s in shifts:
        if s.start is not None and s.end is not None:
            by_worker.setdefault(s.worker_id, []).append(s)
    for mine in by_worker.values():
        mine.sort(key=lambda s: (s.start, int(s.shift_id[1:])))
        latest = mine[0]
        for b in mine[1:]:
            assert latest.end is not None
            assert b.start is not None
            assert b.end is not None
            if b.start < latest.end:
                ia, ib = sorted((int(latest.shift_id[1:]), int(b.shift_id[1:])))
                r.bad(
                    f"shifts[{ib}].start",
                    f"overlaps shifts[{ia}] of the same worker ({b.worker_id}): a worker cannot work two shifts at once",
                )
            if b.end > latest.end:
                latest = b


def _day_totals(r: _Reader, shifts: list[Shift]) -> None:
    """No more than 24 hours of hours-only entries of one pay type on one day (the seeds' timecard rule)."""
    totals: dict[tuple[str, date, str], Decimal] = {}
    for s in shifts:
        if s.day is None or s.hours is None:
            continue
        key = (s.worker_id, s.day, s.pay_type)
        totals[key] = totals.get(key, Decimal(0)) + s.hours
        if totals[key] > MAX_HOURS and totals[key] - s.hours <= MAX_HOURS:
            r.bad(
                f"shifts[{s.shift_id[1:]}].hours",
                f"more than 24 hours of {s.pay_type} for {s.worker_id} on {s.day.isoformat()}: check the entries of that day",
            )


#: How deep a calc file's JSON may nest (a calc file needs 5 levels: file, shifts, shift, breaks, break).
MAX_DEPTH = 32


class _Constant(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity`` in JSON (Python's json reads them; JSON has no such numbers)."""


def _constant(word: str) -> Any:
    raise _Constant(word)


def _load_json(text: str, name: str) -> Any:
    """The JSON of a calc file: decimals as Decimal; NaN, infinities and deep nesting refused with where."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=_json_int, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise OtError("the calc input is not JSON", [Problem(f"{name}:{exc.lineno}:{exc.colno}", exc.msg)]) from None
    except _Constant as exc:
        where = _position(text, str(exc), name)
        raise OtError(
            "the calc input is not JSON",
            [Problem(where, f'{exc} is not a JSON number: write a decimal such as "20.00"')],
        ) from None
    except RecursionError:
        raise OtError(
            "the calc input is not a calc file",
            [Problem(name, f"nested too deeply: a calc file nests at most {MAX_DEPTH} levels")],
        ) from None
    if _depth(data) > MAX_DEPTH:
        raise OtError(
            "the calc input is not a calc file",
            [Problem(name, f"nested too deeply: a calc file nests at most {MAX_DEPTH} levels")],
        )
    return data


def _json_int(text: str) -> Decimal:
    """A JSON integer as a Decimal (an int of 5,000 digits would stop Python's int reader)."""
    return Decimal(text)


def _position(text: str, word: str, name: str) -> str:
    at = text.find(word)
    if at < 0:
        return name
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return f"{name}:{line}:{column}"


def _depth(data: Any) -> int:
    """How deep ``data`` nests (iteratively: never a RecursionError)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        if isinstance(value, dict):
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, level + 1) for v in value)
    return deepest


def read_calc_input(text: str, name: str = "<input>") -> CalcInput:
    """Read and check a calc file's text; :class:`OtError` lists every problem."""
    data = _load_json(text, name)
    r = _Reader()
    if not isinstance(data, dict):
        raise OtError("the calc input must be a JSON object", [Problem(name, 'expected {"shifts": [...]}')])
    r.keys(data, TOP_KEYS, "")
    workweek = _workweek(r, data["workweek_start"]) if "workweek_start" in data else None
    workday_start: time | None = None
    if "workday_start" in data:
        text_ws = r.text(data["workday_start"], "workday_start")
        if text_ws is not None:
            try:
                workday_start = parse_hhmm(text_ws)
            except TimeError as exc:
                r.bad("workday_start", str(exc))
    defaults = _workers(r, data["workers"]) if "workers" in data else {}
    shifts: list[Shift] = []
    raw = data.get("shifts")
    if "shifts" not in data:
        r.bad("shifts", "missing: a calc file lists its shifts")
    elif not isinstance(raw, list):
        r.bad("shifts", "expected a list of shifts")
    else:
        for i, spec in enumerate(raw):
            s = _shift(r, i, spec, defaults)
            if s is not None:
                shifts.append(s)
    _overlaps(r, shifts)
    _day_totals(r, shifts)
    named = list(defaults) + [s.worker_id for s in shifts]
    if isinstance(raw, list):
        named += [str(s.get("worker")) for s in raw if isinstance(s, dict) and isinstance(s.get("worker"), str)]
    known = dict.fromkeys(named)
    earnings = _earnings(r, data["earnings"], set(known)) if "earnings" in data else []
    scheduled = _scheduled(r, data["scheduled"], set(known)) if "scheduled" in data else {}
    if r.problems:
        raise OtError(f"{name}: {len(r.problems)} problem(s); nothing was calculated", r.problems)
    workers: dict[str, Worker] = {}
    for wid in known:
        d = defaults.get(wid, _WorkerDefaults(None, None, None, "W2", None))
        rates = (RateChange(date.min, d.rate, d.plan, d.plan_hours),) if d.rate is not None else ()
        workers[wid] = Worker(wid, wid, d.type, rates, d.location or "", None, "worker")
    return CalcInput(workers, tuple(shifts), tuple(earnings), workweek, workday_start, scheduled)


# --- output -------------------------------------------------------------------


def _h(value: Decimal) -> str:
    return str(hours2(value))


def line_json(line: PayLine) -> dict[str, Any]:
    """One pay line as the contract shows it (plus base rate, multiplier, carry, state, location, shifts).

    ``rate`` is the rate the line's hours are paid at, as in the contract's example
    (an OT hour of a $20 worker: ``30.0000``): the base rate times the multiplier
    to four places, the rate the amount is computed from, so that ``hours x rate``
    rounded half-up to the cent is ``amount``, but for ``carry``: the cent of its
    week's rounding a dated line may carry (``ot.core.money``).
    """
    return {
        "date": line.date.isoformat(),
        "class": line.hour_class,
        "hours": _h(line.hours),
        "rate": str(rate4(line.per_hour)),
        "base_rate": str(rate4(line.rate)),
        "multiplier": str(line.multiplier),
        "amount": str(cents(line.amount)),
        "carry": str(cents(line.carry)),
        "jurisdiction": line.jurisdiction,
        "rule": line.rule,
        "source": source_text(line.source),
        "state": line.state,
        "location": line.location_id,
        "shifts": [shift_name(s) for s in line.shift_ids],
    }


def group_json(group: PayGroup) -> dict[str, Any]:
    """One pay group of a week: hours x rate = amount, exactly to the cent; its lines share it by date."""
    return {
        "class": group.hour_class,
        "hours": _h(group.hours),
        "rate": str(rate4(group.paid_rate)),
        "base_rate": str(rate4(group.rate)),
        "multiplier": str(group.multiplier),
        "amount": str(cents(group.amount)),
        "dates": [d.isoformat() for d in group.dates],
        "jurisdiction": group.jurisdiction,
        "rule": group.rule,
        "source": source_text(group.source),
        "state": group.state,
        "location": group.location_id,
    }


def week_json(week: WeekResult, *, explain: bool = False) -> dict[str, Any]:
    """One workweek as the contract shows it; with ``explain``, its explanation too."""
    out: dict[str, Any] = {
        "week_start": week.week_start.isoformat(),
        "regular_hours": _h(week.regular_hours),
        "overtime_hours": _h(week.overtime_hours),
        "doubletime_hours": _h(week.doubletime_hours),
        "premium_hours": _h(week.premium_hours),
        "paid_leave_hours": _h(week.not_worked_hours),
        "regular_rate": str(rate4(week.regular_rate)),
        "gross_pay": str(cents(week.gross)),
        "lines": [line_json(ln) for ln in week.lines],
        "groups": [group_json(g) for g in week.groups],
    }
    if explain:
        out["explanation"] = explain_json(week)
    return out


def result_json(result: PayResult, *, explain: bool = False) -> dict[str, Any]:
    """The whole calc output: workers in input order, weeks in date order."""
    out: dict[str, Any] = {
        "workers": [
            {"worker": w.worker_id, "weeks": [week_json(wk, explain=explain) for wk in w.weeks]} for w in result.workers
        ]
    }
    if result.skipped:
        out["skipped"] = [{"shift": shift_name(s), "why": why} for s, why in result.skipped]
    return out


__all__ = ["CalcInput", "read_calc_input", "result_json", "week_json"]
