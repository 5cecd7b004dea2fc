"""From the engine's priced workweeks to a stub: lines kept by date, rates in effect."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ot.core.domain import Location, RateChange, Worker
from ot.core.money import ZERO, D, cents
from ot.core.periods import PayPeriodConfig, period_containing
from ot.stubs.build import rates_in_effect, stub_from_weeks
from ot.stubs.model import Employer
from ot.stubs.text import render_text
from rules.engine.results import PayLine, RateArithmetic, WeekResult
from rules.model import Source

SRC = Source("rules.example.ot", 1)
WORKER = Worker("w1", "Ana Ruiz", "W2", (RateChange(date(2026, 1, 1), D("20")),), "L1", None, "worker")
LOCATIONS = {"L1": Location("L1", "Chicago Warehouse", "IL", "America/Chicago")}
SEMI = PayPeriodConfig("semimonthly", date(2026, 11, 1), 0)


def pay_line(day: date, cls: str, hours: str, rate: str, mult: str = "1", shifts: tuple[str, ...] = ("S1",)) -> PayLine:
    h, r, m = D(hours), D(rate), D(mult)
    return PayLine(day, cls, h, r, m, cents(h * r * m), "L1", "IL", shifts, cls.lower(), SRC, "FEDERAL")


def week(start: date, lines: list[PayLine], regular_rate: str = "20") -> WeekResult:
    worked = sum((ln.hours for ln in lines if ln.hour_class in ("REG", "OT", "DT")), ZERO)
    by = {c: sum((ln.hours for ln in lines if ln.hour_class == c), ZERO) for c in ("REG", "OT", "DT")}
    return WeekResult(
        worker_id="w1",
        week_start=start,
        lines=tuple(lines),
        regular_hours=by["REG"],
        overtime_hours=by["OT"],
        doubletime_hours=by["DT"],
        premium_hours=ZERO,
        not_worked_hours=ZERO,
        regular_rate=D(regular_rate),
        gross=sum((ln.amount for ln in lines), ZERO),
        pieces=(),
        arithmetic=RateArithmetic((), (), ZERO, worked, D(regular_rate)),
    )


def fifty_hour_week() -> WeekResult:
    """Sunday 2026-11-15 .. Saturday 2026-11-21: 10 h a day Monday to Friday at
    $20.00: 40 REG and, from Thursday on, 10 OT hours (29 CFR 778.107: over 40
    in the workweek)."""
    start = date(2026, 11, 15)
    lines: list[PayLine] = []
    for i in range(1, 6):
        day = start + timedelta(days=i)
        reg = "10" if i <= 4 else "0"
        if reg != "0":
            lines.append(pay_line(day, "REG", reg, "20"))
        if i == 5:
            lines.append(pay_line(day, "OT", "10", "20", "1.5"))
    return week(start, lines)


def test_a_semimonthly_period_takes_the_lines_dated_in_it() -> None:
    """The workweek of 2026-11-15 straddles the periods 11-01..11-15 and
    11-16..11-30. It is priced whole (29 CFR 778.104: each workweek stands
    alone) and each line goes to the period of its date: the 10 OT hours of
    Friday 11-20 are paid in the second period."""
    weeks = [fifty_hour_week()]
    first = period_containing(SEMI, date(2026, 11, 15))
    second = period_containing(SEMI, date(2026, 11, 16))
    a = stub_from_weeks(employer=Employer("E"), worker=WORKER, period=first, weeks=weeks, locations=LOCATIONS)
    b = stub_from_weeks(employer=Employer("E"), worker=WORKER, period=second, weeks=weeks, locations=LOCATIONS)
    assert a.lines == ()  # Sunday 11-15 was not worked
    assert [(ln.day.day, ln.hour_class, ln.hours) for ln in b.lines] == [
        (16, "REG", D("10")),
        (17, "REG", D("10")),
        (18, "REG", D("10")),
        (19, "REG", D("10")),
        (20, "OT", D("10")),
    ]
    assert b.gross == D("800.00") + D("300.00")
    assert b.lines[-1].rate == D("30.0")  # 1.5 x $20.00 per hour shown on the stub
    assert [w.week_start for w in b.week_rates] == [date(2026, 11, 15)]


def test_lines_split_across_two_periods_add_up_to_the_week() -> None:
    start = date(2026, 11, 29)  # Sunday; the week runs into December
    lines = [pay_line(start + timedelta(days=i), "REG", "8", "20") for i in range(1, 6)]
    wk = week(start, lines)
    november = period_containing(SEMI, date(2026, 11, 30))
    december = period_containing(SEMI, date(2026, 12, 1))
    total = sum(
        (
            stub_from_weeks(employer=Employer("E"), worker=WORKER, period=p, weeks=[wk], locations=LOCATIONS).gross
            for p in (november, december)
        ),
        ZERO,
    )
    assert total == wk.gross == D("800.00")


def test_rates_in_effect_and_display_rates() -> None:
    day = date(2026, 11, 16)
    lines = [
        pay_line(day, "REG", "8", "20", shifts=("S1",)),
        pay_line(day + timedelta(days=1), "REG", "8", "25", shifts=("S2",)),
        pay_line(day + timedelta(days=1), "OT", "1", "25", "1.5", shifts=("S2",)),
        pay_line(day + timedelta(days=1), "RR_ADJ", "1", "0.50", "0.5", shifts=("S2",)),
        pay_line(day + timedelta(days=2), "PTO", "4", "20", shifts=("S3",)),
    ]
    got = rates_in_effect(lines, {"S2": D("24.00")})
    assert sorted((r.rate, r.hours, r.display_rate) for r in got) == [
        (D("20"), D("12"), None),
        (D("25"), D("9"), D("24.00")),
    ]


def test_adjustments_and_earnings_render_without_double_counting_hours() -> None:
    day = date(2026, 11, 16)
    lines = [
        pay_line(day, "REG", "8", "20"),
        pay_line(day, "OT", "2", "20", "1.5"),
        pay_line(day, "RR_ADJ", "2", "2.30", "0.5"),
        PayLine(day, "BONUS", ZERO, D("46.00"), D(1), D("46.00"), "L1", "IL", (), "bonus", SRC, "FEDERAL"),
    ]
    period = period_containing(SEMI, day)
    stub = stub_from_weeks(
        employer=Employer("E"), worker=WORKER, period=period, weeks=[week(day - timedelta(days=1), lines, "24.60")],
        locations=LOCATIONS,
    )  # fmt: skip
    assert stub.total_hours == D("10")
    assert stub.gross == D("160.00") + D("60.00") + D("2.30") + D("46.00")
    text = render_text(stub)
    assert "(2.00)" in text
    assert "BONUS" in text
    total_row = next(line for line in text.splitlines() if line.startswith("Total "))
    assert total_row.split() == ["Total", "10.00", "$268.30"]
    assert [w.regular_rate for w in stub.week_rates] == [Decimal("24.60")]
