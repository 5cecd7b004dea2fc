"""The PDF pay stub, drawn with fpdf2 (pure Python, no system library).

It uses the core Helvetica font, which covers Latin-1 only: text outside it is
folded first (typographic quotes and dashes to ASCII, accented letters outside
Latin-1 to their base letter) and anything left becomes ``?`` - the HTML and
text stubs keep the exact spelling. The bytes are deterministic: the creation
date is the stub's pay date at 00:00 UTC (never the clock), and fpdf2 derives
the file id from the content, so two renders of one stub are identical.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, time

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ot.stubs.layout import Layout, Table, layout
from ot.stubs.model import PayStub

FONT = "helvetica"
_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u00a0": " ",
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0131": "i",
    "\u0152": "OE",
    "\u0153": "oe",
}


def latin1(text: str) -> str:
    """``text`` in what the core fonts can draw (Latin-1), folded where possible."""
    if text.isascii() and text.isprintable():  # nothing to fold (ASCII's category C is its controls)
        return text
    out: list[str] = []
    for ch in text:
        if ch in _FOLD:
            out.append(_FOLD[ch])
            continue
        if unicodedata.category(ch).startswith("C"):
            out.append(" ")
            continue
        try:
            ch.encode("latin-1")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode("latin-1")
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


# Widths of strings already measured, by font and text: a stub measures each cell's text three times
# (column widths, room left on the page, wrapping) and many texts recur from stub to stub (column
# titles, dates, rates). fpdf2's measure is a pure function of these; kept per process, bounded.
_WIDTHS: dict[tuple[object, ...], float] = {}
_WIDTHS_MAX = 50_000  # about 10 MB


class _StubPDF(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="letter")
        self._footer_text = footer_text

    def get_string_width(self, s: str, normalized: bool = False, markdown: bool = False) -> float:
        """fpdf2's width of ``s`` in the current font, remembered (tests/stubs/test_pdf_shortcuts.py:
        the same bytes as fpdf2 measuring every time)."""
        key: tuple[object, ...] = (self.font_family, self.font_style, self.font_size_pt, self.font_stretching)
        key += (self.char_spacing, self.underline, self.strikethrough, s, normalized, markdown)
        width = _WIDTHS.get(key)
        if width is None:
            width = super().get_string_width(s, normalized, markdown)
            if len(_WIDTHS) >= _WIDTHS_MAX:
                _WIDTHS.clear()
            _WIDTHS[key] = width
        return width

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.cell(0, 5, f"{self._footer_text} - page {self.page_no()}/{{nb}}", align="C")


SIZE = 8.5
LINE = 4.2
PAD = 1.2


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` broken at spaces (or anywhere, for a long word) to fit ``width`` mm."""
    if pdf.get_string_width(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if pdf.get_string_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while pdf.get_string_width(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    lines.append(current)
    return lines


# How much narrower than its room a text must measure to be drawn as one cell (mm): fpdf2 breaks
# lines adding character widths one by one with a tolerance, so a text within a hair of the room
# is left to it.
FIT_SLACK = 0.5


def _paragraph(pdf: FPDF, height: float, text: str) -> None:
    """``multi_cell(0, height, text)`` and on to the next line: a text that plainly fits on one
    line is drawn as one cell, the same bytes without fpdf2's line breaking, which measures the
    text again for every character (tests/stubs/test_pdf_shortcuts.py); anything else fpdf2 wraps."""
    room = pdf.w - pdf.r_margin - pdf.x - 2 * pdf.c_margin
    if "\n" not in text and "\f" not in text and "\xad" not in text and pdf.get_string_width(text) < room - FIT_SLACK:
        pdf.cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _rule(pdf: FPDF, width: float, thick: bool = False) -> None:
    pdf.set_line_width(0.3 if thick else 0.1)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.set_line_width(0.2)


def _row(pdf: FPDF, cells: tuple[str, ...], widths: list[float], aligns: tuple[str, ...], bold: bool) -> float:
    """Draw one table row (cells wrapped as needed); return its height."""
    pdf.set_font(FONT, style="B" if bold else "", size=SIZE)
    parts = [_wrap(pdf, text, w - 2 * PAD) for text, w in zip(cells, widths, strict=True)]
    height = max(len(p) for p in parts) * LINE + 1.0
    top = pdf.get_y()
    x = pdf.l_margin
    for lines, w, align in zip(parts, widths, aligns, strict=True):
        for n, line in enumerate(lines):
            pdf.set_xy(x + PAD, top + 0.5 + n * LINE)
            pdf.cell(w - 2 * PAD, LINE, line, align=align)
        x += w
    pdf.set_xy(pdf.l_margin, top + height)
    return height


TITLE_GAP = 3.0
TITLE_HEIGHT = 6.0
EMPTY_HEIGHT = 5.0


def _keep_with_next(pdf: FPDF, height: float) -> None:
    """Start a new page unless ``height`` mm still fit on this one: a heading is
    drawn only where what follows it (the column headings and a first row, or
    the "nothing this period" line) fits under it, never alone at a page's foot."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _row_height(pdf: FPDF, cells: tuple[str, ...], widths: list[float], bold: bool) -> float:
    pdf.set_font(FONT, style="B" if bold else "", size=SIZE)
    return max(len(_wrap(pdf, t, w - 2 * PAD)) for t, w in zip(cells, widths, strict=True)) * LINE + 1.0


def _title(pdf: FPDF, table: Table) -> None:
    pdf.ln(TITLE_GAP)
    pdf.set_font(FONT, style="B", size=10)
    pdf.cell(0, TITLE_HEIGHT, latin1(table.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=SIZE)


def _table(pdf: FPDF, table: Table) -> None:
    if not table.rows:
        _keep_with_next(pdf, TITLE_GAP + TITLE_HEIGHT + EMPTY_HEIGHT)
        _title(pdf, table)
        pdf.cell(0, EMPTY_HEIGHT, latin1(table.empty), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    rows = [tuple(latin1(c) for c in row) for row in (*table.rows, *table.totals)]
    titles = tuple(latin1(c.title) for c in table.columns)
    pdf.set_font(FONT, style="B", size=SIZE)
    widths = [pdf.get_string_width(t) + 2 * PAD + 0.5 for t in titles]
    for n, row in enumerate(rows):
        pdf.set_font(FONT, style="B" if n >= len(table.rows) else "", size=SIZE)
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], pdf.get_string_width(cell) + 2 * PAD + 0.5)
    room = pdf.epw
    total = sum(widths)
    if total > room:
        flex = [i for i, c in enumerate(table.columns) if c.flex] or [len(widths) - 1]
        for i in flex:
            widths[i] = max(20.0, widths[i] - (total - room))
    width = sum(widths)
    aligns = tuple("R" if c.align == "right" else "L" for c in table.columns)
    first = _row_height(pdf, titles, widths, bold=True) + _row_height(pdf, rows[0], widths, bold=len(table.rows) == 0)
    _keep_with_next(pdf, TITLE_GAP + TITLE_HEIGHT + first)
    _title(pdf, table)

    def heading() -> None:
        _row(pdf, titles, widths, aligns, bold=True)
        _rule(pdf, width, thick=True)

    heading()
    for n, row in enumerate(rows):
        totals = n >= len(table.rows)
        if pdf.get_y() + _row_height(pdf, row, widths, bold=totals) > pdf.page_break_trigger:
            pdf.add_page()
            heading()
        if totals and n == len(table.rows):
            _rule(pdf, width, thick=True)
        _row(pdf, row, widths, aligns, bold=totals)
        if not totals:
            _rule(pdf, width)
    for remark in table.legend:
        pdf.set_font(FONT, style="I", size=7.5)
        _paragraph(pdf, 4, latin1(remark))
    pdf.set_font(FONT, size=SIZE)


def render_layout(doc: Layout, created: datetime) -> bytes:
    """The PDF bytes of a laid-out stub, stamped with ``created`` (never the clock)."""
    pdf = _StubPDF(latin1(doc.file_title))
    pdf.set_creation_date(created)
    pdf.set_title(latin1(doc.file_title))
    pdf.set_author(latin1(doc.employer[0]))
    pdf.set_creator("ot")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(FONT, style="B", size=9)
    pdf.cell(0, 5, latin1(doc.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    name, *address = doc.employer
    pdf.set_font(FONT, style="B", size=14)
    _paragraph(pdf, 7, latin1(name))
    pdf.set_font(FONT, size=9)
    for line in address:
        _paragraph(pdf, 4.5, latin1(line))
    pdf.ln(2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)
    label_width = max(pdf.get_string_width(latin1(label)) for label, _ in doc.facts) + 6
    for label, value in doc.facts:
        pdf.set_font(FONT, style="B", size=9)
        pdf.cell(label_width, 5, latin1(label))
        pdf.set_font(FONT, size=9)
        _paragraph(pdf, 5, latin1(value))
    for table in doc.tables:
        _table(pdf, table)
    pdf.ln(4)
    label, value = doc.gross
    pdf.set_font(FONT, style="B", size=12)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.cell(pdf.epw / 2, 8, latin1(label))
    pdf.cell(0, 8, latin1(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.paid is not None:
        label, value = doc.paid
        pdf.set_font(FONT, style="B", size=10)
        pdf.cell(pdf.epw * 3 / 4, 6, latin1(label))
        pdf.cell(0, 6, latin1(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)
    pdf.set_font(FONT, size=8)
    for note in doc.notes:
        _paragraph(pdf, 4, latin1(note))
    return bytes(pdf.output())


def render_pdf(stub: PayStub) -> bytes:
    """The pay stub as PDF bytes; identical for identical stubs."""
    created = datetime.combine(stub.period.pay_date, time(0, 0), tzinfo=UTC)
    return render_layout(layout(stub), created)
