"""The PDF stub remembers string widths (``ot.stubs.pdf._WIDTHS``): the bytes are fpdf2's own.

A stub measures each cell's text several times (column widths, the room left on a page, wrapping)
and most texts recur from stub to stub; the remembered width must be exactly what fpdf2 measures,
so a stub drawn with the memory, warm or cold or cleared half-way, is byte for byte the stub drawn
by fpdf2 measuring every string (the oracle: ``FPDF.get_string_width`` put back).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from ot.stubs import pdf as stub_pdf
from ot.stubs.model import PayStub
from ot.stubs.pdf import latin1, render_pdf

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
    pdf = stub_pdf._StubPDF("t")
    pdf.add_page()
    seen = []
    for style, size in [("", 8.5), ("B", 8.5), ("", 12), ("I", 7.5), ("", 8.5)]:
        pdf.set_font(stub_pdf.FONT, style=style, size=size)
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
