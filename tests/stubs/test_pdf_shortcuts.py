"""The PDF stub's two shortcuts draw fpdf2's own bytes.

1. It remembers string widths (``ot.stubs.pdf._WIDTHS``). A stub measures each cell's text several times (column widths, the room left on a page, wrapping)
and most texts recur from stub to stub; the remembered width must be exactly what fpdf2 measures,
so a stub drawn with the memory, warm or cold or cleared half-way, is byte for byte the stub drawn
by fpdf2 measuring every string (the oracle: ``FPDF.get_string_width`` put back).

2. A paragraph that plainly fits on one line is drawn as one cell (``ot.stubs.pdf._paragraph``),
not through fpdf2's line breaking: the bytes of ``multi_cell`` at any place on the page, near the
page's foot (where both break the page) and at the very width where the text starts to wrap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from hypothesis import given, settings
from hypothesis import strategies as st

from ot.stubs import pdf as stub_pdf
from ot.stubs.model import PayStub
from ot.stubs.pdf import FONT, _paragraph, _StubPDF, latin1, render_pdf

from . import fixtures as fx
from .test_render import random_stubs

AWKWARD = [
    *(make() for make in fx.ALL.values()),
    fx.with_corrections(),
    fx.named("x" * 200),
    fx.named("山田太郎" * 12),
    fx.named("<script> O'Brien – “quoted”", employer="A" * 300),
]


def _plain(stub: PayStub, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The stub as fpdf2 draws it measuring every string itself."""
    with monkeypatch.context() as m:
        m.setattr(stub_pdf._StubPDF, "get_string_width", FPDF.get_string_width)
        return render_pdf(stub)


@pytest.fixture(autouse=True)
def cold() -> Iterator[None]:
    stub_pdf._WIDTHS.clear()
    yield
    stub_pdf._WIDTHS.clear()


def test_remembered_widths_draw_fpdf2s_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    for stub in AWKWARD:
        cold_bytes = render_pdf(stub)
        assert stub_pdf._WIDTHS  # the widths were remembered ...
        assert render_pdf(stub) == cold_bytes  # ... and drawing again from them gives the same bytes
        assert _plain(stub, monkeypatch) == cold_bytes


def test_widths_are_per_font_and_size() -> None:
    pdf = _StubPDF("t")
    pdf.add_page()
    seen = []
    for style, size in [("", 8.5), ("B", 8.5), ("", 12), ("I", 7.5), ("", 8.5)]:
        pdf.set_font(FONT, style=style, size=size)
        seen.append(pdf.get_string_width("Regular hours 40.00"))
        assert seen[-1] == FPDF.get_string_width(pdf, "Regular hours 40.00")
    assert seen[0] == seen[-1]
    assert len(set(seen)) == 4


def test_a_full_memory_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stub_pdf, "_WIDTHS_MAX", 5)
    stub = fx.with_corrections()
    data = render_pdf(stub)
    assert 0 < len(stub_pdf._WIDTHS) <= 5
    assert data == _plain(stub, monkeypatch)


@settings(max_examples=30, deadline=None)
@given(stubs=st.lists(random_stubs(), min_size=1, max_size=3))
def test_any_stubs_drawn_in_a_row_are_fpdf2s_bytes(stubs: list[PayStub]) -> None:
    # One memory across the stubs of a batch, as `ot stub --all` draws them.
    mp = pytest.MonkeyPatch()
    try:
        for stub in stubs:
            assert render_pdf(stub) == _plain(stub, mp)
    finally:
        mp.undo()


@given(st.text(max_size=60))
def test_the_ascii_shortcut_is_the_walk(text: str) -> None:
    # latin1 returns printable ASCII unchanged before its per-character walk; a text ending in "é"
    # always takes the walk, which folds character by character: the same result either way.
    assert latin1(text + "é") == latin1(text) + "é"


def _page(y: float, x: float, size: float, style: str, draw: Callable[[FPDF], object]) -> bytes:
    """A document whose one paragraph starts at (x, y) in that font, with a cell after it."""
    pdf = _StubPDF("footer")
    pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=UTC))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font(FONT, style=style, size=size)
    pdf.set_xy(x, y)
    draw(pdf)
    pdf.cell(0, 4, "after")
    return bytes(pdf.output())


def _both(text: str, *, y: float = 40.0, x: float = 15.0, size: float = 8.0, style: str = "", h: float = 4.0) -> None:
    fast = _page(y, x, size, style, lambda pdf: _paragraph(pdf, h, text))
    wrapped = _page(y, x, size, style, lambda pdf: pdf.multi_cell(0, h, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT))
    assert fast == wrapped, (text, y, x, size, style, h)


@pytest.mark.parametrize(("size", "style"), [(7.5, "I"), (14, "B")])
def test_a_paragraph_at_the_width_where_it_starts_to_wrap(size: float, style: str) -> None:
    # Every length from one character to well past the line's room, for a narrow and a wide glyph
    # and for words: the shortcut hands over to fpdf2 before the text reaches the room.
    for n in range(1, 160):
        for text in ("i" * n, "W" * n, ("ab " * n)[:n], ("Overtime " * n)[: n * 2]):
            _both(text, size=size, style=style)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(st.characters(min_codepoint=1, max_codepoint=0x2FF), max_size=220).map(latin1),
    y=st.floats(15, 275),
    x=st.floats(15, 150),
    size=st.sampled_from([7.5, 8, 9, 12, 14]),
    style=st.sampled_from(["", "B", "I"]),
    h=st.sampled_from([4, 4.5, 5, 7]),
)
def test_a_paragraph_anywhere_is_multi_cells_bytes(
    text: str, y: float, x: float, size: float, style: str, h: float
) -> None:
    _both(text, y=y, x=x, size=size, style=style, h=h)
