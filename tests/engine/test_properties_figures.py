"""Whatever ``ot rules check`` accepts can be priced: rules files whose figures (multipliers, minimum
wages, hours, minutes, premiums, differentials, employer facts) are drawn from ordinary values, the
bounds of :mod:`rules.checks` and far past them, either are refused with every problem located, or
price a worker's week of random shifts without an exception (a multiplier of x10^28 passed the check,
then every pricing of the week crashed in ``money.rate4``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st

from ot.core.domain import Shift
from ot.core.timez import zone
from rules.compiler import compile_text
from rules.engine import price
from rules.errors import RulesError
from rules.model import RuleBook

from .helpers import worker
from .test_properties import weeks

#: Figures a rules file may write: ordinary ones, the bounds of rules.checks and just past them, and
#: absurd ones (the check must refuse those, with where).
FIGURES = st.sampled_from(
    [
        "0", "0.5", "1", "1.25", "1.5", "2", "3.5", "4", "5", "8", "10", "10.01", "12", "16.90", "23.99", "24",
        "24.01", "40", "60", "167.99", "168", "999.99", "1000", "1000.01", "9999.9999", "1.005", "0.001",
        "99999999999999999999999999.99", "99999999999999999999999999999",
    ]
)  # fmt: skip
#: Whole figures (minutes, a count): MINUTES_AMOUNT takes digits only.
WHOLE = st.sampled_from(["0", "1", "5", "6", "10", "15", "20", "30", "60", "61", "600", "1440", "1441", "10" * 15])

TEMPLATES = [
    "minimum wage {f} from 2026-01-01",
    "daily over {f}h is OT x{f}",
    "daily over {f}h is DT x{f}",
    "weekly over {f}h is OT x{f}",
    "seventh day over {f}h is DT x{f}",
    "consecutive hours over {f}h is OT x{f}",
    "24-hour period over {f}h is OT x{f}",
    "24-hour period without overlap over {f}h is DT x{f}",
    "sunday over {f}h is OT x{f}",
    "holiday over {f}h is DT x{f}",
    "weekly over 40h is OT x1.5 when rate below {f}x minimum wage",
    "weekly over 40h is OT x1.5 when workweek over {f}h",
    "daily over 8h is OT x1.5 when employer size >= {f}",
    "short breaks up to {w} min are worked",
    "rounding to nearest {w} min",
    "meal period {w} min before end of hour {f} when over {f}h, premium {f}h, waivable up to {f}h, "
    "at most {f} premiums per day",
    "meal period {w} min before end of hour {f} when over {f}h, second before end of hour {f} when over {f}h, "
    "premium {f}h, second waivable up to {f}h",
    "rest period {w} min per {f}h when over {f}h, premium {f}h",
    "split shift over {w} min is {f}h at minimum wage",
    "split shift over {w} min is {f}h at minimum wage, less wages above minimum",
    "spread of hours over {f}h is {f}h at minimum wage, less wages above minimum",
    "reporting time pay half the scheduled day, at least {f}h, at most {f}h, second report {f}h",
    "differential {f} per hour between 22:00 and 06:00",
    'alternative workweek "4x10" for "w1" on monday {f}h, tuesday {f}h, wednesday {f}h, thursday {f}h, '
    "other days over {f}h is OT x{f}",
]

BASE = """version 1
employer {{
  size {size}
}}
federal {{
  rules from 2009-07-24 {{
    minimum wage 7.25 from 2009-07-24
    weekly over 40h is OT x1.5
  }}
}}
state CA extends federal {{
  rules from 2022-01-01 {{
    minimum wage 16.90 from 2022-01-01
{lines}
  }}
}}
"""


@st.composite
def rules_texts(draw: st.DrawFn) -> str:
    """A rules file with a CA block of one to four statements whose figures are drawn from FIGURES."""
    lines = []
    for template in draw(st.lists(st.sampled_from(TEMPLATES), min_size=1, max_size=3)):
        line = template
        while "{f}" in line or "{w}" in line:
            if "{f}" in line:
                line = line.replace("{f}", draw(FIGURES), 1)
            if "{w}" in line:
                line = line.replace("{w}", draw(WHOLE), 1)
        lines.append("    " + line)
    return BASE.format(size=draw(st.sampled_from(["30", "1000000000", "99999999999999999999"])), lines="\n".join(lines))


def _accepted(text: str) -> RuleBook | None:
    """The compiled rules, or None when refused (each problem then located at LINE:COLUMN)."""
    try:
        return compile_text(text, "figures.ot")
    except RulesError as exc:
        problems = exc.rules_problems
    assert problems
    assert all(p.line >= 1 for p in problems)
    assert all(p.column >= 1 for p in problems)
    event("refused")
    return None


@settings(max_examples=400, deadline=None)
@given(
    rules_texts(),
    weeks(["CA"]),
    st.sampled_from(["7.25", "20.00", "9999.9999"]),
    st.lists(st.sampled_from(["2", "4", "8", "10"]), max_size=3),
)
def test_whatever_the_check_accepts_prices_a_week(
    text: str, shifts: list[Shift], rate: str, scheduled: list[str]
) -> None:
    book = _accepted(text)
    if book is None:
        return
    worked = {s.start.astimezone(zone(s.timezone)).date() if s.start else s.day for s in shifts}
    days = sorted(d for d in worked if d is not None)
    # Scheduled hours on some days worked, and a day not worked (reporting-time pay)
    plan: dict[date, Decimal] = {day: Decimal(h) for day, h in zip(days, scheduled, strict=False)}
    if days:
        plan[days[-1] + timedelta(days=1)] = Decimal(4)
    result = price(shifts, {"w1": worker(rate=rate)}, book, scheduled={"w1": plan})
    for week in result.weeks():
        assert week.gross >= 0
