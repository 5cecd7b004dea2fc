"""Hand-built pay stubs for the renderer tests (no ledger, no engine).

Amounts are computed here from exact rates the way the engine does it: each
line is hours x rate rounded half-up to the cent (ot.core.money.cents), and the
gross is the sum of the rounded lines.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ot.core.money import D, cents
from ot.core.periods import PayPeriodConfig, period_containing
from ot.stubs.model import CorrectionEntry, Employer, PayStub, RateInEffect, StubLine, WeekRate, make_stub

BIWEEKLY = PayPeriodConfig("biweekly", date(2026, 10, 11), 5)
PERIOD = period_containing(BIWEEKLY, date(2026, 10, 11))  # 2026-10-11 .. 2026-10-24, paid 2026-10-29
WEEK = date(2026, 10, 11)  # a Sunday: the workweek starts Sunday 00:00
EMPLOYER = Employer("Acme Staffing LLC", ("100 Main Street, Suite 4", "Springfield, IL 62701"))


def line(
    day: date,
    hour_class: str,
    hours: str,
    rate: Decimal | str,
    *,
    location: tuple[str, str, str],
    multiplier: str = "1",
    rule: str = "",
    correction: bool = False,
) -> StubLine:
    """A line priced as the engine prices one: cents(hours x rate)."""
    h, r = D(hours), D(rate)
    loc_id, loc_name, state = location
    return StubLine(
        day=day,
        hour_class=hour_class,
        hours=h,
        rate=r,
        amount=cents(h * r),
        location_id=loc_id,
        location_name=loc_name,
        state=state,
        multiplier=D(multiplier),
        rule=rule,
        correction=correction,
    )


CHICAGO = ("L1", "Chicago Warehouse", "IL")
LOS_ANGELES = ("L2", "Los Angeles Depot", "CA")
AUSTIN = ("L3", "Austin Yard", "TX")


def plain_week() -> PayStub:
    """Ana Ruiz: five 8-hour days at $20.00 in Illinois: 40 REG, $800.00."""
    days = [WEEK + timedelta(days=i) for i in range(1, 6)]  # Monday..Friday
    return make_stub(
        employer=EMPLOYER,
        worker_id="w1",
        worker_name="Ana Ruiz",
        period=PERIOD,
        lines=[line(d, "REG", "8", "20.00", location=CHICAGO, rule="hours worked") for d in days],
        rates=[RateInEffect(D("20.00"), D("40"))],
        week_rates=[WeekRate(WEEK, D("20.00"))],
    )


# Multi-rate California week (Cal. Lab. Code 510: daily over 8 at 1.5x, over 12
# at 2x; 226.7: a missed meal period owes one hour at the regular rate;
# 29 CFR 778.115: the regular rate of a multi-rate week is the weighted average,
# and each overtime hour is owed its straight time at its own rate plus
# (multiplier - 1) x the regular rate). Lines as the engine makes them: OT/DT at
# multiplier x own rate, then an RR_ADJ line of (multiplier - 1) x (regular rate
# - own rate) per overtime hour.
CA_STRAIGHT = D("23") * D("20.00") + D("16") * D("25.00")  # 860.00 over 39 hours
CA_REGULAR_RATE = CA_STRAIGHT / D("39")  # 22.051282...


def multi_rate_ca_week() -> PayStub:
    """Bo Chen in Los Angeles: Mon 10 h and Tue 13 h at $20.00 (missed meal on
    Tuesday), Wed and Thu 8 h at $25.00 (shift rate, display rate $24.00).

    REG 32 h; OT 6 h (2 on Monday, 4 on Tuesday) at 1.5 x $20.00 and DT 1 h
    (Tuesday over 12) at 2 x $20.00, each brought up to the weighted-average
    regular rate 860/39 = $22.0513 (RR_ADJ: 0.5 x $2.0513 per OT hour, 1 x per
    DT hour); a meal premium of 1 h at that rate. Gross $970.25.
    """
    mon, tue, wed, thu = (WEEK + timedelta(days=i) for i in range(1, 5))
    rr = CA_REGULAR_RATE
    adj = rr - D("20.00")
    lines = [
        line(mon, "REG", "8", "20.00", location=LOS_ANGELES, rule="regular hours"),
        line(mon, "OT", "2", "30.00", location=LOS_ANGELES, multiplier="1.5", rule="daily over 8h"),
        line(
            mon, "RR_ADJ", "2", adj * D("0.5"), location=LOS_ANGELES, multiplier="0.5", rule="regular-rate adjustment"
        ),
        line(tue, "REG", "8", "20.00", location=LOS_ANGELES, rule="regular hours"),
        line(tue, "OT", "4", "30.00", location=LOS_ANGELES, multiplier="1.5", rule="daily over 8h"),
        line(
            tue, "RR_ADJ", "4", adj * D("0.5"), location=LOS_ANGELES, multiplier="0.5", rule="regular-rate adjustment"
        ),
        line(tue, "DT", "1", "40.00", location=LOS_ANGELES, multiplier="2", rule="daily over 12h"),
        line(tue, "RR_ADJ", "1", adj, location=LOS_ANGELES, multiplier="1", rule="regular-rate adjustment"),
        line(tue, "PREMIUM", "1", rr, location=LOS_ANGELES, rule="meal period premium"),
        line(wed, "REG", "8", "25.00", location=LOS_ANGELES, rule="regular hours"),
        line(thu, "REG", "8", "25.00", location=LOS_ANGELES, rule="regular hours"),
    ]
    return make_stub(
        employer=EMPLOYER,
        worker_id="w2",
        worker_name="Bo Chen",
        period=PERIOD,
        lines=lines,
        rates=[RateInEffect(D("20.00"), D("23")), RateInEffect(D("25.00"), D("16"), display_rate=D("24.00"))],
        week_rates=[WeekRate(WEEK, rr)],
    )


def pto_week() -> PayStub:
    """Cy Dunn in Texas: Mon-Thu 8 h at $18.00 and Friday 8 h of PTO at $18.00:
    32 REG and 8 PTO hours, $720.00; PTO is paid and never hours worked."""
    days = [WEEK + timedelta(days=i) for i in range(1, 6)]
    lines = [line(d, "REG", "8", "18.00", location=AUSTIN, rule="hours worked") for d in days[:4]]
    lines.append(line(days[4], "PTO", "8", "18.00", location=AUSTIN, rule="paid time off"))
    return make_stub(
        employer=EMPLOYER,
        worker_id="w3",
        worker_name="Cy Dunn",
        period=PERIOD,
        lines=lines,
        rates=[RateInEffect(D("18.00"), D("32"))],
        week_rates=[WeekRate(WEEK, D("18.00"))],
    )


def with_corrections() -> PayStub:
    """The plain week with one corrected paid date: an underpayment and an overpayment."""
    stub = plain_week()
    extra = line(PERIOD.start + timedelta(days=8), "REG", "2", "20.00", location=CHICAGO, correction=True)
    return make_stub(
        employer=stub.employer,
        worker_id=stub.worker_id,
        worker_name=stub.worker_name,
        period=stub.period,
        lines=[*stub.lines, extra],
        rates=stub.rates,
        week_rates=stub.week_rates,
        corrections=[
            CorrectionEntry(date(2026, 10, 2), D("8"), D("10"), D("160.00"), D("205.00"), "NEXT_PAYROLL_PAYMENT"),
            CorrectionEntry(date(2026, 10, 3), D("6"), D("5"), D("120.00"), D("100.00"), "DEDUCTION", note="shift S-9"),
        ],
    )


def named(name: str, employer: str = "Acme Staffing LLC") -> PayStub:
    """The plain week for a worker (and employer) with the given names."""
    stub = plain_week()
    return make_stub(
        employer=Employer(employer, EMPLOYER.address),
        worker_id=stub.worker_id,
        worker_name=name,
        period=stub.period,
        lines=[*stub.lines, *stub.leave],
        rates=stub.rates,
        week_rates=stub.week_rates,
    )


ALL = {"plain": plain_week, "multi_rate_ca": multi_rate_ca_week, "pto": pto_week}
