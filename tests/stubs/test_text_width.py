"""The text stub fits 80 columns and every earnings row a person reads multiplies out.

Over every stub of the demo company (previews and issued stubs) and over stubs
with adversarial names (long, wide, unbroken; long location names and ids; big
figures): no line is wider than 80 columns, each earnings row stays on one line
with its figures (hours x rate = amount, rounded half-up to the cent, within the
cent a ``~`` row carries), and the amounts shown add up to the gross shown.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ot.core.money import D
from ot.services.stubs import build_all
from ot.stubs.model import Employer, PayStub, StubLine, make_stub
from ot.stubs.text import WIDTH, display_width, render_text

from . import fixtures as fx

_ROW = re.compile(r"^\d{4}-\d{2}-\d{2}  ")
_SECTIONS = ("Hours and earnings", "Paid leave and holidays")


def _money(text: str) -> Decimal:
    return D(text.replace("$", "").replace(",", ""))


def check_rows(text: str, stub: PayStub) -> int:
    """Check every earnings row of a text stub; return how many were checked."""
    lines = text.splitlines()
    for line in lines:
        assert display_width(line) <= WIDTH, line
    shown: list[Decimal] = []
    section = ""
    for n, line in enumerate(lines):
        if line in _SECTIONS or (line and not line.startswith(" ") and lines[n + 1 : n + 2] == ["-" * len(line)]):
            section = line
            continue
        if section not in _SECTIONS or not _ROW.match(line):
            continue
        cells = re.split(r" {2,}", line.strip())
        day, cls = cells[0], cells[1].rstrip("*")
        if cls in ("BONUS", "COMMISSION", "PIECE"):
            amount = cells[2]
        else:
            hours_text, rate_text, amount = cells[2], cells[3], cells[4]
            hours = D(hours_text.strip("()").replace(",", ""))
            rate = _money(rate_text)
            priced = (hours * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            got = _money(amount.rstrip("~"))
            slack = Decimal("0.01") if amount.endswith("~") else Decimal(0)
            assert abs(priced - got) <= slack, f"{day} {cls}: {hours} x {rate} = {priced}, shown {got}"
        # The row holds its location and state on the same line (nothing wrapped off it).
        assert len(cells) >= (5 if cls in ("BONUS", "COMMISSION", "PIECE") else 7), line
        shown.append(_money(amount.rstrip("~")))
    gross_line = next(line for line in lines if line.startswith("GROSS PAY"))
    assert sum(shown, Decimal(0)) == _money(gross_line.split()[-1]) == stub.gross
    assert len(shown) == len(stub.lines) + len(stub.leave)
    return len(shown)


@pytest.mark.parametrize("day", [date(2026, 10, 20), date(2026, 11, 2), date(2026, 11, 16)])
def test_every_demo_stub_fits_80_columns_and_multiplies_out(demo_ledger: Path, day: date) -> None:
    batch = build_all(demo_ledger, day)
    assert batch.stubs
    rows = sum(check_rows(render_text(stub), stub) for stub in batch.stubs)
    assert rows > 100


def test_issued_demo_stubs_fit_80_columns_and_multiply_out(demo_paid_ledger: Path) -> None:
    batch = build_all(demo_paid_ledger, date(2026, 10, 20))
    assert batch.stubs
    for stub in batch.stubs:
        check_rows(render_text(stub), stub)


def test_a_demo_row_is_one_line() -> None:
    """The demo's location names are long ("LGB Long Beach Distribution Center"): a row
    shows the id and the name is listed once under the table."""
    loc = ("LGB", "Long Beach Distribution Center", "CA")
    days = [fx.WEEK + timedelta(days=i) for i in range(1, 6)]
    stub = make_stub(
        employer=fx.EMPLOYER,
        worker_id="W01",
        worker_name="Ana",
        period=fx.PERIOD,
        lines=[fx.line(d, "REG", "7.95", "29.75", location=loc) for d in days],
    )
    text = render_text(stub)
    rows = [line for line in text.splitlines() if _ROW.match(line)]
    assert len(rows) == 5
    assert all(row.endswith("LGB       CA") for row in rows), rows
    assert "Location LGB: Long Beach Distribution Center" in text
    check_rows(text, stub)


LONG = "Maximiliana Alexandrovna Konstantinopolskaya-Vanderbilt de la Cruz y Montenegro"
ADVERSARIAL_LOCATIONS = [
    ("L1", "Distribution Center Number Forty-Two North Annex, Building C, Dock 7 " * 2, "CA"),
    ("L" * 64, "x" * 120, "CA"),
    ("LOC-山田", "山田太郎倉庫" * 8, "CA"),
    ("L2", "", "CA"),
]


def _adversarial(name: str, location: tuple[str, str, str], rate: str, hours: str) -> PayStub:
    days = [fx.WEEK + timedelta(days=i) for i in range(1, 4)]
    lines: list[StubLine] = [fx.line(d, "REG", hours, rate, location=location) for d in days]
    # The overtime line's rate per hour as the engine pays it: rate x 1.5 to four places
    # (rules.engine.results.PayLine.paid_rate); a fifth place would not multiply out as shown.
    ot_rate = (D(rate) * D("1.5")).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    lines.append(fx.line(days[0], "OT", "2.5", ot_rate, location=location, multiplier="1.5"))
    lines.append(fx.line(days[1], "MW_MAKEUP", "8", "0.1234", location=location))
    lines.append(fx.line(days[2], "PTO", hours, rate, location=location))
    lines.append(dataclasses.replace(fx.line(days[2], "BONUS", "0", "0", location=location), amount=D("123456.78")))
    lines.append(fx.line(days[1], "REG", "1", rate, location=location, correction=True))
    return make_stub(
        employer=Employer(name, (name, name)),
        worker_id=name[:64] or "w",
        worker_name=name,
        period=fx.PERIOD,
        lines=lines,
    )


@pytest.mark.parametrize("location", ADVERSARIAL_LOCATIONS, ids=["long-name", "long-id", "wide", "no-name"])
@pytest.mark.parametrize("name", [LONG, "山田太郎" * 12, "x" * 200, "Ana"], ids=["long", "wide", "unbroken", "short"])
@pytest.mark.parametrize(("rate", "hours"), [("29.75", "7.95"), ("1234.5678", "23.99")], ids=["usual", "big"])
def test_adversarial_stubs_fit_80_columns_and_multiply_out(
    name: str, location: tuple[str, str, str], rate: str, hours: str
) -> None:
    stub = _adversarial(name, location, rate, hours)
    text = render_text(stub)
    check_rows(text, stub)
    flat = re.sub(r"\s+", "", text)
    # Wrapped, never cut: the location's name is there whole (spaces aside).
    assert re.sub(r"\s+", "", location[1]) in flat


@given(
    st.text(min_size=1, max_size=120),
    st.text(max_size=80),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}", fullmatch=True),
    st.integers(1, 10_000_000),
    st.integers(0, 24 * 100),
)
def test_any_names_and_locations_fit_80_columns(
    name: str, loc_name: str, loc_id: str, rate_units: int, hundredths: int
) -> None:
    """Rates to 4 places and hours in hundredths, as the engine prices them."""
    rate = str(Decimal(rate_units) / 10_000)
    hours = str(Decimal(hundredths) / 100)
    stub = _adversarial(name, (loc_id, loc_name, "CA"), rate, hours)
    check_rows(render_text(stub), stub)
