"""A shift differential in the rules language, priced and counted in the regular rate.

29 CFR 778.207(b): shift differentials are not overtime premiums; they are part of the regular
rate. The example is derived from that text (the section gives no figures).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ot.core.errors import OtError
from rules.compiler import compile_text
from rules.engine import price
from rules.fmt import format_text
from rules.show import describe

from .helpers import amounts, only_week, shift, worker

D = Decimal

RULES = """version 1

federal {
  rules from 2009-07-24 {
    minimum wage 7.25 from 2009-07-24
    weekly over 40h is OT x1.5
    differential 1.00 per hour between 22:00 and 06:00
  }
}
"""


def test_night_hours_earn_the_differential_and_raise_the_regular_rate() -> None:
    """Five nights 20:00-06:00 (10 h, 8 of them in the window) at $20: 50 h, 40 h in the window.
    Differential 40 x $1 = $40; regular rate ($1000 + $40) / 50 = $20.80; overtime 10 h x $30
    plus 10 x 0.5 x $0.80 = $4 of adjustment: gross $1000 + $40 + $100 + $4 = $1144."""
    book = compile_text(RULES)
    shifts = [shift(f"2026-11-0{d}T20:00", f"2026-11-0{d + 1}T06:00") for d in range(2, 7)]
    week = only_week(price(shifts, {"w1": worker(rate="20")}, book))
    assert amounts(week, "DIFF") == D("40.00")
    assert week.regular_rate == D("20.8")
    assert week.gross == D("1144.00")
    diff = [ln for ln in week.lines if ln.hour_class == "DIFF"]
    assert all("778.207(b)" in ln.rule for ln in diff)
    assert sum(ln.hours for ln in diff) == 40


def test_day_work_earns_no_differential() -> None:
    book = compile_text(RULES)
    week = only_week(price([shift("2026-11-02T08:00", "2026-11-02T16:00")], {"w1": worker(rate="20")}, book))
    assert amounts(week, "DIFF") == 0
    assert week.regular_rate == 20


def test_differential_round_trips_and_is_shown() -> None:
    assert "differential 1.00 per hour between 22:00 and 06:00" in format_text(RULES)
    shown = describe(compile_text(RULES), "FEDERAL", date(2026, 11, 2))
    assert "between 22:00 and 06:00 are paid $1.00 more per hour" in shown


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("differential 0 per hour between 22:00 and 06:00", "pays nothing"),
        ("differential 1.00 per hour between 22:00 and 22:00", "is empty"),
        ("differential 1.00 per hour between 25:00 and 06:00", "not a time of day"),
    ],
)
def test_bad_differentials_are_refused_where_written(line: str, says: str) -> None:
    text = RULES.replace("differential 1.00 per hour between 22:00 and 06:00", line)
    with pytest.raises(OtError) as err:
        compile_text(text, "r.ot")
    assert any(says in p.message and "r.ot:7" in p.where for p in err.value.problems), err.value.problems
