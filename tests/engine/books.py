"""RuleBooks built by hand from rules.model records, each rule citing its source.

They mirror what ``rules.example.ot`` expresses, so that the engine's legal
results are pinned independently of the rules language. ``Source`` lines
point into a notional ``books.py`` file with the citation as the file name.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from rules.model import (
    FEDERAL,
    MealRule,
    MinimumWage,
    RateBelowMinimumWage,
    RestRule,
    Rounding,
    RuleBook,
    RuleSet,
    Source,
    Threshold,
    WorkweekOver,
)

D = Decimal
START = date(2020, 1, 1)


def src(cite: str, line: int) -> Source:
    """A source naming the statute it comes from."""
    return Source(cite, line)


def weekly(over: int, juris: str, cite: str) -> Threshold:
    """Weekly overtime at 1.5x."""
    return Threshold("weekly", D(over), "OT", D("1.5"), label=f"weekly over {over}h", source=src(cite, 1))


FLSA_WEEKLY = weekly(40, FEDERAL, "29 USC 207(a)")

FEDERAL_SET = RuleSet(
    jurisdiction=FEDERAL,
    effective=START,
    workweek_start_day=6,
    thresholds=(FLSA_WEEKLY,),
    minimum_wages=(MinimumWage(START, D("7.25"), src("29 USC 206", 1)),),
    source=src("FLSA", 1),
)

CA_MEAL = MealRule(
    first_after_hours=D(5),
    first_by_hour=D(5),
    second_after_hours=D(10),
    second_by_hour=D(10),
    minimum_minutes=30,
    premium_hours=D(1),
    max_premiums_per_day=1,
    first_waivable_up_to_hours=D(6),
    second_waivable_up_to_hours=D(12),
    label="meal period (Lab. Code 512)",
    source=src("Cal. Lab. Code 512", 1),
)
CA_REST = RestRule(10, D(4), D("3.5"), D(1), label="rest period (IWC order 12)", source=src("IWC 4-2001 s12", 1))

CA_SET = RuleSet(
    jurisdiction="CA",
    effective=START,
    thresholds=(
        Threshold("daily", D(8), "OT", D("1.5"), label="daily over 8h", source=src("Cal. Lab. Code 510", 1)),
        Threshold("daily", D(12), "DT", D(2), label="daily over 12h", source=src("Cal. Lab. Code 510", 2)),
        Threshold("seventh_day", D(0), "OT", D("1.5"), label="seventh day", source=src("Cal. Lab. Code 510", 3)),
        Threshold("seventh_day", D(8), "DT", D(2), label="seventh day over 8h", source=src("Cal. Lab. Code 510", 4)),
        weekly(40, "CA", "Cal. Lab. Code 510"),
    ),
    minimum_wages=(MinimumWage(START, D("16.50"), src("Cal. Lab. Code 1182.12", 1)),),
    minimum_wage_per_hour=True,  # Armenta v. Osmose, Inc. (2005) 135 Cal.App.4th 314: no averaging
    meal=CA_MEAL,
    rest=CA_REST,
    source=src("CA", 1),
)

AK_SET = RuleSet(
    jurisdiction="AK",
    effective=START,
    thresholds=(
        Threshold("daily", D(8), "OT", D("1.5"), label="daily over 8h", source=src("AS 23.10.060", 1)),
        weekly(40, "AK", "AS 23.10.060"),
    ),
    source=src("AK", 1),
)

CO_SET = RuleSet(
    jurisdiction="CO",
    effective=START,
    thresholds=(
        Threshold("daily", D(12), "OT", D("1.5"), label="workday over 12h", source=src("COMPS 4.1.1", 1)),
        Threshold(
            "consecutive", D(12), "OT", D("1.5"), label="over 12 consecutive hours", source=src("COMPS 4.1.1", 2)
        ),
        weekly(40, "CO", "COMPS 4.1.1"),
    ),
    source=src("CO", 1),
)

NV_SET = RuleSet(
    jurisdiction="NV",
    effective=START,
    thresholds=(
        Threshold(
            "rolling24",
            D(8),
            "OT",
            D("1.5"),
            conditions=(RateBelowMinimumWage(D("1.5")),),
            label="over 8h in 24h (rate under 1.5x MW)",
            source=src("NRS 608.018", 1),
        ),
        weekly(40, "NV", "NRS 608.018"),
    ),
    minimum_wages=(MinimumWage(START, D("12.00"), src("NRS 608.250", 1)),),
    source=src("NV", 1),
)

KY_SET = RuleSet(
    jurisdiction="KY",
    effective=START,
    thresholds=(
        Threshold(
            "seventh_day",
            D(0),
            "OT",
            D("1.5"),
            conditions=(WorkweekOver(D(40)),),  # KRS 337.050(2)(a)
            label="seventh day",
            source=src("KRS 337.050", 1),
        ),
        weekly(40, "KY", "KRS 337.285"),
    ),
    source=src("KY", 1),
)

MN_SET = RuleSet(
    jurisdiction="MN", effective=START, thresholds=(weekly(48, "MN", "Minn. Stat. 177.25"),), source=src("MN", 1)
)
KS_SET = RuleSet(
    jurisdiction="KS", effective=START, thresholds=(weekly(46, "KS", "K.S.A. 44-1204"),), source=src("KS", 1)
)


def book(*sets: RuleSet, federal: RuleSet = FEDERAL_SET) -> RuleBook:
    """A book of the federal set and the given state sets."""
    return RuleBook(versions=((FEDERAL, (federal,)), *((s.jurisdiction, (s,)) for s in sets)), file="books.py")


ALL = book(CA_SET, AK_SET, CO_SET, NV_SET, KY_SET, MN_SET, KS_SET)


def with_rounding(rs: RuleSet, minutes: int) -> RuleSet:
    """A copy of a rule set with a punch-rounding policy."""
    from dataclasses import replace

    return replace(rs, rounding=Rounding(minutes, "nearest", src("29 CFR 785.48(b)", 1)))


__all__ = ["ALL", "CA_SET", "FEDERAL_SET", "book", "time", "with_rounding"]
