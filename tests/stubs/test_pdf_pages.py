"""The PDF stub keeps every heading with what follows it: no page ends with a heading.

Stubs of growing length push each heading (a table's title, its column
headings) across the foot of a page in turn; the text drawn on each page is
read back from the PDF (one content stream per page, fpdf2's ``(...) Tj``) and
the last thing above the footer must never be a heading.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from datetime import timedelta

import pytest

from ot.stubs.layout import layout
from ot.stubs.model import CorrectionEntry, PayStub, make_stub
from ot.stubs.pdf import render_pdf

from . import fixtures as fx

_FOOTER = re.compile(r" - page (\d+)/(\d+)$")


def pdf_pages(data: bytes) -> list[list[str]]:
    """The text drawn on each page, in drawing order, footer excluded."""
    pages: list[list[str]] = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        raw = match.group(1)
        with contextlib.suppress(zlib.error):
            raw = zlib.decompress(raw)
        texts = [
            re.sub(rb"\\(.)", rb"\1", s.group(1)).decode("latin-1")
            for s in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", raw, re.S)
        ]
        if len(texts) >= 2 and texts[-1].isdigit() and texts[-2].endswith("/"):
            texts[-2:] = [texts[-2] + texts[-1]]  # fpdf2 draws the page count ({nb}) apart
        found = _FOOTER.search(texts[-1]) if texts else None
        if found is not None:
            # Pages are read in order and each once: the footers count 1..N of N.
            assert (int(found.group(1)), int(found.group(2))) == (len(pages) + 1, int(found.group(2)))
            pages.append(texts[:-1])
    return pages


def long_stub(n: int, corrections: int = 0) -> PayStub:
    """A stub with ``n`` earnings lines (and as many corrections as asked)."""
    days = [fx.PERIOD.start + timedelta(days=i % fx.PERIOD.days) for i in range(n)]
    lines = [fx.line(d, "REG", "1", "20.00", location=fx.CHICAGO) for d in days]
    fixes = [
        CorrectionEntry(fx.PERIOD.start, fx.D("8"), fx.D("9"), fx.D("160.00"), fx.D("180.00"), note=f"fix {i}")
        for i in range(corrections)
    ]
    return make_stub(
        employer=fx.EMPLOYER,
        worker_id="W1",
        worker_name="Ana Ruiz",
        period=fx.PERIOD,
        lines=lines,
        corrections=fixes,
    )


def headings(stub: PayStub) -> set[str]:
    doc = layout(stub)
    out = {t.title for t in doc.tables}
    out.update(c.title for t in doc.tables for c in t.columns)
    return out


@pytest.mark.parametrize("n", range(20, 80))
def test_no_page_ends_with_a_heading(n: int) -> None:
    stub = long_stub(n, corrections=n % 7)
    pages = pdf_pages(render_pdf(stub))
    assert len(pages) >= 2
    titles = headings(stub)
    for number, page in enumerate(pages[:-1], start=1):
        assert page, f"page {number} is empty"
        assert page[-1] not in titles, f"page {number} of {len(pages)} ends with the heading {page[-1]!r}"


def test_a_table_split_across_pages_repeats_its_column_headings() -> None:
    stub = long_stub(90)
    pages = pdf_pages(render_pdf(stub))
    assert len(pages) >= 2
    # The earnings table continues on page 2 under its column headings.
    assert "Date" in pages[1][:8], pages[1][:8]
    assert "Amount" in pages[1][:8], pages[1][:8]
    # Every figure is still drawn: 90 rows of $20.00.
    assert sum(page.count("$20.00") for page in pages) >= 90
