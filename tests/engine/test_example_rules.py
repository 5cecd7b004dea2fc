"""Golden results with the shipped rules.example.ot (compiled by rules.compiler), and the
same results as the hand-built books of books.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from ot.core.domain import Earning, Shift
from rules.compiler import compile_file
from rules.engine import PayResult, price
from rules.files import default_rules_path
from rules.model import RuleBook

from .books import ALL
from .helpers import hours, only_week, shift, worker

D = Decimal


@pytest.fixture(scope="module")
def example() -> RuleBook:
    """The compiled rules.example.ot."""
    return compile_file(default_rules_path())


def _line_of(fragment: str, block: str = "state CA") -> str:
    """``rules.example.ot:N`` of the first statement (not a comment) containing
    ``fragment`` after the line that opens ``block``."""
    inside = False
    for n, text in enumerate(default_rules_path().read_text().splitlines(), start=1):
        inside = inside or text.startswith(block)
        if inside and fragment in text.split("#")[0]:
            return f"rules.example.ot:{n}"
    raise AssertionError(fragment)


def _days(state: str, spec: list[tuple[str, str, str]], rate: str | None = None) -> list[Shift]:
    return [shift(f"{d}T{a}", f"{d}T{b}", state=state, rate=rate) for d, a, b in spec]


def _mon_to(state: str, n: int, a: str, b: str) -> list[Shift]:
    return _days(state, [(f"2026-11-{2 + i:02d}", a, b) for i in range(n)])


# (id, citation, shifts, worker rate, earnings, expected (REG, OT, DT, premium hours, gross))
SCENARIOS: list[tuple[str, str, Callable[[], list[Shift]], str, list[Earning], tuple[object, ...] | None]] = [
    (
        "778.110a",
        "29 CFR 778.110(a): $12 x 46 h = $588",
        lambda: [*_mon_to("TX", 5, "08:00", "16:00"), *_days("TX", [("2026-11-07", "08:00", "14:00")])],
        "12",
        [],
        (40, 6, 0, 0, D("588.00")),
    ),
    (
        "778.110b",
        "29 CFR 778.110(b): with a $46 bonus, $637",
        lambda: [*_mon_to("TX", 5, "08:00", "16:00"), *_days("TX", [("2026-11-07", "08:00", "14:00")])],
        "12",
        [Earning("w1", date(2026, 11, 4), D("46.00"), "bonus")],
        (40, 6, 0, 0, D("637.00")),
    ),
    (
        "ca-44h",
        "Cal. Lab. Code 510: Mon 12 h + 4 x 8 h: 4 OT, not 8 (plus 5 meal premiums, Lab. Code 512)",
        lambda: [
            *_days("CA", [("2026-11-02", "06:00", "18:00")]),
            *_days("CA", [(f"2026-11-0{d}", "08:00", "16:00") for d in range(3, 7)]),
        ],
        "20",
        [],
        (40, 4, 0, 5, D("1020.00")),
    ),
    (
        "ca-14h",
        "Cal. Lab. Code 510: a 14-hour day: 8 REG, 4 OT, 2 DT (and a meal premium)",
        lambda: _days("CA", [("2026-11-02", "06:00", "20:00")]),
        "20",
        [],
        (8, 4, 2, 1, D("380.00")),
    ),
    (
        "ak-daily",
        "AS 23.10.060: daily over 8 (employer of 4 or more)",
        lambda: _days("AK", [("2026-11-02", "06:00", "16:00")]),
        "20",
        [],
        (8, 2, 0, 0, D("220.00")),
    ),
    (
        "co-consecutive",
        "COMPS Rule 4.1.1: 14 consecutive hours across midnight: 2 OT",
        lambda: [shift("2026-11-02T18:00", "2026-11-03T08:00", state="CO")],
        "20",
        [],
        (12, 2, 0, 0, D("300.00")),
    ),
    (
        "nv-below",
        "NRS 608.018: $16 < 1.5 x $12: 2 OT inside Monday's 24 hours",
        lambda: _days("NV", [("2026-11-02", "08:00", "16:00"), ("2026-11-03", "06:00", "14:00")]),
        "16",
        [],
        (14, 2, 0, 0, D("272.00")),
    ),
    (
        "nv-above",
        "NRS 608.018: $20 >= 1.5 x $12: no daily overtime",
        lambda: _days("NV", [("2026-11-02", "08:00", "16:00"), ("2026-11-03", "06:00", "14:00")]),
        "20",
        [],
        (16, 0, 0, 0, D("320.00")),
    ),
    (
        "ky-seventh-35h",
        "KRS 337.050(2)(a): seven days of 5 h (35 h): not a week of more than 40 hours, no seventh-day overtime",
        lambda: _days("KY", [(f"2026-11-0{d}", "08:00", "13:00") for d in range(1, 8)]),
        "20",
        [],
        (35, 0, 0, 0, D("700.00")),
    ),
    (
        "ky-seventh-42h",
        "KRS 337.050(1): seven days of 6 h (42 h): all 6 h of the seventh day at 1.5x (the FLSA's 2 h over 40 among them)",
        lambda: _days("KY", [(f"2026-11-0{d}", "08:00", "14:00") for d in range(1, 8)]),
        "20",
        [],
        (36, 6, 0, 0, D("900.00")),
    ),
    (
        "mn-48",
        "Minn. Stat. 177.25 vs FLSA 40: 50 h, 10 OT",
        lambda: _mon_to("MN", 5, "07:00", "17:00"),
        "20",
        [],
        (40, 10, 0, 0, D("1100.00")),
    ),
    (
        "ks-46",
        "K.S.A. 44-1204 vs FLSA 40: 45 h, 5 OT",
        lambda: _mon_to("KS", 5, "08:00", "17:00"),
        "20",
        [],
        (40, 5, 0, 0, D("950.00")),
    ),
    (
        "dst-fall",
        "DOL hours-worked advisor: the fall-back night 22:00-06:00 is 9 h",
        lambda: [shift("2026-10-31T22:00", "2026-11-01T06:00")],
        "20",
        [],
        None,
    ),
    (
        "pto",
        "29 CFR 778.218-219: 40 h + 8 h PTO: no OT",
        lambda: [*_mon_to("TX", 5, "08:00", "16:00"), hours("2026-11-07", "8", pay_type="PTO")],
        "20",
        [],
        (40, 0, 0, 0, D("960.00")),
    ),
]


def _summary(result: PayResult) -> list[tuple[object, ...]]:
    return [
        (w.regular_hours, w.overtime_hours, w.doubletime_hours, w.premium_hours, w.gross, w.regular_rate)
        for w in result.weeks()
    ]


@pytest.mark.parametrize(
    ("name", "cite", "make", "rate", "earnings", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
def test_example_rules_golden(
    example: RuleBook,
    name: str,
    cite: str,
    make: Callable[[], list[Shift]],
    rate: str,
    earnings: list[Earning],
    expected: tuple[object, ...] | None,
) -> None:
    """Each scenario's citation is in its row; rules.example.ot and books.py agree on it."""
    shifts = make()
    ws = {"w1": worker(rate=rate)}
    got = price(shifts, ws, example, earnings=earnings)
    assert _summary(got) == _summary(price(shifts, ws, ALL, earnings=earnings)), cite
    if expected is None:
        assert sum(w.hours_worked for w in got.weeks()) == 9, cite
        return
    week = only_week(got)
    assert (
        week.regular_hours,
        week.overtime_hours,
        week.doubletime_hours,
        week.premium_hours,
        week.gross,
    ) == expected, cite


def test_lines_name_their_place_in_rules_example(example: RuleBook) -> None:
    """Cal. Lab. Code 510(a): the daily-overtime line names the rule and its line in rules.example.ot."""
    from ot.calcio import line_json

    week = only_week(price(_days("CA", [("2026-11-02", "06:00", "20:00")]), {"w1": worker()}, example))
    by_class = {ln.hour_class: line_json(ln) for ln in week.lines}
    assert by_class["OT"]["source"] == _line_of("daily over 8h is OT x1.5")
    assert by_class["DT"]["source"] == _line_of("daily over 12h is DT x2")
    assert by_class["PREMIUM"]["source"] == _line_of("meal period 30 min")
    assert by_class["OT"]["jurisdiction"] == "CA"


def test_paid_break_type_counts_as_worked(example: RuleBook) -> None:
    """29 CFR 785.18-785.19 and the file's break types: a 30-minute break of the paid
    type REST is hours worked; the same break typed MEAL (unpaid) is not."""
    from dataclasses import replace

    from ot.core.domain import BreakSegment
    from ot.core.timez import parse_local

    base = shift("2026-11-02T08:00", "2026-11-02T16:00")
    b0, b1 = parse_local("2026-11-02T12:00", "America/Chicago"), parse_local("2026-11-02T12:30", "America/Chicago")
    rest = replace(base, breaks=(BreakSegment(b0, b1, "REST"),))
    meal = replace(base, breaks=(BreakSegment(b0, b1, "MEAL"),))
    ws = {"w1": worker()}
    assert only_week(price([rest], ws, example)).hours_worked == 8
    assert only_week(price([meal], ws, example)).hours_worked == D("7.5")
