"""Pay stub renderers: text (80 columns), self-contained HTML, deterministic PDF."""

from __future__ import annotations

import contextlib
import dataclasses
import html
import re
import zlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from syrupy.assertion import SnapshotAssertion

from ot.core.money import D
from ot.stubs import FORMATS, render
from ot.stubs.html import render_html
from ot.stubs.model import Employer, PayStub, StubLine, make_stub
from ot.stubs.pdf import latin1, render_pdf
from ot.stubs.text import WIDTH, display_width, render_text

from . import fixtures as fx
from .snapshot_ext import HTMLSnapshot, TextSnapshot

STUBS = sorted(fx.ALL)


@pytest.fixture
def text_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(TextSnapshot)


@pytest.fixture
def html_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(HTMLSnapshot)


def pdf_text(data: bytes) -> str:
    """The text drawn by a PDF's content streams (fpdf2 core fonts: ``(...) Tj``)."""
    out: list[str] = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        raw = match.group(1)
        with contextlib.suppress(zlib.error):
            raw = zlib.decompress(raw)
        for s in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", raw, re.S):
            text = re.sub(rb"\\(.)", rb"\1", s.group(1))
            out.append(text.decode("latin-1"))
    return "\n".join(out)


# --- snapshots -------------------------------------------------------------------


@pytest.mark.parametrize("name", STUBS)
def test_text_stub_snapshot(name: str, text_snapshot: SnapshotAssertion) -> None:
    """Text stubs of a plain week, a multi-rate California week and a week with PTO.

    The California week (Cal. Lab. Code 510: daily over 8 at 1.5x, over 12 at
    2x; 226.7: one hour at the regular rate for a missed meal period) has two
    rates, so OT and DT are paid on the weighted-average regular rate
    $860.00 / 39 h = $22.0513 (29 CFR 778.115).
    """
    assert render_text(fx.ALL[name]()) == text_snapshot


@pytest.mark.parametrize("name", STUBS)
def test_html_stub_snapshot(name: str, html_snapshot: SnapshotAssertion) -> None:
    """HTML stubs of the same three weeks (sources as in the text test)."""
    assert render_html(fx.ALL[name]()) == html_snapshot


# --- what every stub shows --------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", STUBS)
def test_every_format_shows_the_essentials(name: str, fmt: str) -> None:
    stub = fx.ALL[name]()
    data = render(stub, fmt)
    text = pdf_text(data) if fmt == "pdf" else data.decode("utf-8")
    for needle in (
        "Acme Staffing LLC",
        "Springfield, IL 62701",
        stub.worker_name,
        stub.worker_id,
        "2026-10-11 to 2026-10-24",
        "2026-10-29",
        "Gross pay",
        "No corrections this period.",
    ):
        assert needle in text, (fmt, needle)
    assert f"${stub.gross:,.2f}" in text


def test_multi_rate_week_figures() -> None:
    """REG 32 h; OT 6 h at 1.5 x own rate $20.00 and DT 1 h at 2 x, each
    adjusted up to the weighted-average regular rate $860.00 / 39 h = $22.0513
    (29 CFR 778.115: straight time at each hour's own rate plus the overtime
    premium on the regular rate); meal premium 1 h at $22.0513 (Cal. Lab. Code
    510, 226.7). Gross $970.25; 39 hours worked."""
    stub = fx.multi_rate_ca_week()
    totals = {t.hour_class: (t.hours, t.amount) for t in stub.totals}
    assert totals == {
        "REG": (D("32"), D("720.00")),
        "OT": (D("6"), D("180.00")),
        "DT": (D("1"), D("40.00")),
        "RR_ADJ": (D("7"), D("8.20")),  # 2.05 + 4.10 + 2.05
        "PREMIUM": (D("1"), D("22.05")),
    }
    assert stub.gross == D("970.25")
    assert stub.total_hours == D("39")
    text = render_text(stub)
    assert "$24.00 (shift)" in text
    assert "$22.0513" in text
    assert "(2.00)" in text  # adjustment hours are not counted again


def test_pto_is_paid_leave_not_hours_worked() -> None:
    stub = fx.pto_week()
    assert [line.hour_class for line in stub.leave] == ["PTO"]
    assert all(line.hour_class == "REG" for line in stub.lines)
    text = render_text(stub)
    assert "Paid leave and holidays" in text
    assert "PTO Paid time off" in text
    assert "No paid leave or holiday hours this period." not in text


def test_corrections_are_marked() -> None:
    """Corrected hours appear marked "correction" with what was paid, what was
    due and how the difference is settled (Everee timesheet corrections)."""
    stub = fx.with_corrections()
    for fmt in FORMATS:
        data = render(stub, fmt)
        text = pdf_text(data) if fmt == "pdf" else data.decode("utf-8")
        text = " ".join(text.split())  # a wrapped cell reads on
        assert "No corrections this period." not in text
        assert "correction, added to this pay" in text
        assert "correction, deducted from this pay" in text
        assert "shift S-9" in text  # the correction's note, under the table
        assert "+$45.00" in text
        assert "-$20.00" in text
        assert "+$25.00" in text  # net
        assert "REG*" in text
    assert stub.corrections_total == D("25.00")
    # +45 added and -20 deducted by this stub: it pays the gross plus 25.
    assert stub.paid_with_stub == stub.gross + D("25.00")


# --- text: 80 columns -------------------------------------------------------------

LONG = "Maximiliana Alexandrovna Konstantinopolskaya-Vanderbilt de la Cruz y Montenegro"


@pytest.mark.parametrize(
    "stub",
    [
        *(f() for f in fx.ALL.values()),
        fx.with_corrections(),
        fx.named(LONG, employer="The Extremely Long Name Of A Staffing Agency Holding Company, Incorporated LLC"),
        fx.named("山田太郎" * 12),
        fx.named("x" * 200),
    ],
    ids=["multi_rate_ca", "plain", "pto", "corrections", "long", "wide", "unbroken"],
)
def test_text_fits_80_columns(stub: PayStub) -> None:
    text = render_text(stub)
    for line in text.splitlines():
        assert display_width(line) <= WIDTH, line


def test_long_location_wraps_instead_of_overflowing() -> None:
    stub = fx.plain_week()
    long_loc = dataclasses.replace(stub.lines[0], location_name="Distribution Center Number Forty-Two North Annex")
    stub = make_stub(
        employer=stub.employer,
        worker_id=stub.worker_id,
        worker_name=stub.worker_name,
        period=stub.period,
        lines=[long_loc, *stub.lines[1:]],
    )
    text = render_text(stub)
    assert all(display_width(line) <= WIDTH for line in text.splitlines())
    assert "Forty-Two" in text  # wrapped, not cut


@given(st.text(min_size=1, max_size=150), st.text(min_size=1, max_size=150))
def test_any_names_fit_80_columns(name: str, employer: str) -> None:
    text = render_text(fx.named(name, employer=employer))
    for line in text.splitlines():
        assert display_width(line) <= WIDTH


def test_control_characters_cannot_break_lines() -> None:
    text = render_text(fx.named("Eve\nGROSS PAY $1,000,000.00\x1b[2J"))
    assert "\x1b" not in text
    assert "\nGROSS PAY $1,000,000.00" not in text


# --- HTML -------------------------------------------------------------------------


def test_html_escapes_every_value() -> None:
    stub = fx.named('<script>alert("pay")</script>', employer="Smith & Sons <Holdings>")
    page = render_html(stub)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;pay&quot;)&lt;/script&gt;" in page
    assert "Smith &amp; Sons &lt;Holdings&gt;" in page


def test_html_is_self_contained() -> None:
    page = render_html(fx.multi_rate_ca_week())
    lowered = page.lower()
    for needle in ("http://", "https://", "src=", "<link", "<script", "@import", "url(", "<img"):
        assert needle not in lowered, needle
    assert lowered.startswith("<!doctype html>")
    assert "<style>" in lowered


# --- PDF --------------------------------------------------------------------------


def test_pdf_is_a_pdf_and_deterministic() -> None:
    stub = fx.multi_rate_ca_week()
    first, second = render_pdf(stub), render_pdf(fx.multi_rate_ca_week())
    assert first.startswith(b"%PDF-")
    assert first.rstrip().endswith(b"%%EOF")
    assert first == second
    text = pdf_text(first)
    assert "Bo Chen" in text
    assert "$970.25" in text
    assert b"/CreationDate (D:20261029000000Z" in first


def test_pdf_folds_text_outside_latin1() -> None:
    stub = fx.named("Łukasz Žák 山田 “Jr.”")
    text = pdf_text(render_pdf(stub))
    assert 'Lukasz Zák ?? "Jr."' in text
    assert latin1("café – ok") == "café - ok"


# --- the record ---------------------------------------------------------------------


def test_stub_is_immutable() -> None:
    stub = fx.plain_week()
    with pytest.raises(dataclasses.FrozenInstanceError):
        stub.gross = Decimal("1")  # type: ignore[misc]


def test_gross_must_be_the_sum_of_lines() -> None:
    stub = fx.plain_week()
    with pytest.raises(ValueError, match="sum of its line amounts"):
        dataclasses.replace(stub, gross=stub.gross + D("0.01"))


def test_a_line_outside_the_period_is_refused() -> None:
    stray = StubLine(date(2026, 10, 25), "REG", D("1"), D("20"), D("20.00"), "L1", "Chicago Warehouse", "IL")
    with pytest.raises(ValueError, match="outside the period"):
        make_stub(employer=Employer("E"), worker_id="w", worker_name="W", period=fx.PERIOD, lines=[stray])


def test_empty_stub_renders_every_section() -> None:
    stub = make_stub(
        employer=Employer("E", (), configured=False), worker_id="w9", worker_name="Nobody", period=fx.PERIOD, lines=[]
    )
    text = render_text(stub)
    assert "No hours worked this period." in text
    assert "No corrections this period." in text
    assert "ot employer set" in text
    assert stub.gross == 0


@st.composite
def random_stubs(draw: st.DrawFn) -> PayStub:
    """Stubs with any lines: classes, hours, rates, amounts, location names."""
    n = draw(st.integers(0, 12))
    lines = []
    for _ in range(n):
        day = fx.PERIOD.start + timedelta(days=draw(st.integers(0, fx.PERIOD.days - 1)))
        cls = draw(st.sampled_from(["REG", "OT", "DT", "RR_ADJ", "PREMIUM", "PTO", "SICK", "HOLIDAY", "BONUS"]))
        hours = Decimal(draw(st.integers(0, 24 * 60))) / 60
        rate = Decimal(draw(st.integers(-5000, 10_000_000))) / 10_000
        name = draw(st.text(max_size=40))
        lines.append(fx.line(day, cls, str(hours), rate, location=("L" + str(len(name)), name, "CA")))
    return make_stub(employer=fx.EMPLOYER, worker_id="w1", worker_name="Ana", period=fx.PERIOD, lines=lines)


@given(random_stubs())
def test_any_lines_fit_80_columns_and_escape(stub: PayStub) -> None:
    text = render_text(stub)
    assert all(display_width(line) <= WIDTH for line in text.splitlines())
    assert stub.gross == sum((ln.amount for ln in (*stub.lines, *stub.leave)), Decimal(0))
    page = render_html(stub)
    for line in (*stub.lines, *stub.leave):
        # The row names the location by id; its name is in the legend under the table.
        assert f"<td>{html.escape(line.location_id or line.state, quote=True)}</td>" in page
        if line.location_name and line.location_name != line.location_id:
            assert html.escape(line.location_name, quote=True) in page


@pytest.mark.parametrize(
    "stub",
    [fx.named("x" * 200), fx.named("山田太郎" * 12), fx.named("<script>", employer="A" * 300), fx.with_corrections()],
    ids=["unbroken", "wide", "long-employer", "corrections"],
)
def test_pdf_of_awkward_stubs(stub: PayStub) -> None:
    data = render_pdf(stub)
    assert data.startswith(b"%PDF-")
    assert data == render_pdf(stub)
    assert f"${stub.gross:,.2f}" in pdf_text(data)
