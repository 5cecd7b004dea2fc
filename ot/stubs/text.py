"""The plain-text pay stub: fits an 80-column terminal.

Widths are display widths (a wide East Asian character takes two columns). An
earnings row names its location by id (the names are listed under the table),
so that it fits one line; a table that would still be wider than 80 columns
wraps its flexible column (the location, the settlement) onto more lines,
never a figure. Facts, remarks and notes wrap at spaces with a hanging indent,
so no line of the result is ever wider than :data:`WIDTH`.
"""

from __future__ import annotations

import unicodedata

from ot.stubs.layout import Layout, Table, layout
from ot.stubs.model import PayStub

WIDTH = 80
GAP = "  "


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide characters count two, combining marks none)."""
    if text.isascii():
        return len(text)
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _clean(text: str) -> str:
    """One line: control characters (newlines, tabs, escapes) become spaces."""
    if text.isprintable():
        return text
    return "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """``text`` broken into lines of at most ``width`` columns, at spaces where possible
    (a word longer than a line is cut). Lines after the first are indented by
    ``indent`` spaces (a hanging indent), within the same width."""
    text = _clean(text)
    if display_width(text) <= width:
        return [text]
    lines: list[str] = []
    room = width
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
            room = width - indent
        current = ""
        while display_width(word) > room:
            cut = _cut(word, room)
            lines.append(word[:cut])
            room = width - indent
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return [lines[0], *(" " * indent + line for line in lines[1:])]


def wrap_hanging(text: str, width: int, indent: int = 2) -> list[str]:
    """``text`` wrapped to ``width`` columns, every line after the first indented by
    ``indent`` spaces, so that a reader sees where one remark ends and the next begins."""
    return wrap(text, width, indent)


def _cut(word: str, width: int) -> int:
    used = 0
    for i, ch in enumerate(word):
        used += display_width(ch)
        if used > width:
            return max(i, 1)
    return len(word)


def _pad(text: str, width: int, align: str) -> str:
    room = max(width - display_width(text), 0)
    return " " * room + text if align == "right" else text + " " * room


def _table(table: Table) -> list[str]:
    out = [table.title, "-" * min(display_width(table.title), WIDTH)]
    if not table.rows:
        out.extend(wrap(table.empty, WIDTH))
        return out
    cells = [tuple(_clean(c) for c in row) for row in (*table.rows, *table.totals)]
    widths = [
        max(display_width(col.title), *(display_width(row[i]) for row in cells)) for i, col in enumerate(table.columns)
    ]
    total = sum(widths) + len(GAP) * (len(widths) - 1)
    if total > WIDTH:
        for i, col in enumerate(table.columns):
            if col.flex:
                widths[i] = max(display_width(col.title), widths[i] - (total - WIDTH), 8)

    def emit(row: tuple[str, ...]) -> None:
        parts = [wrap(cell, widths[i]) for i, cell in enumerate(row)]
        for n in range(max(len(p) for p in parts)):
            segs = [_pad(p[n] if n < len(p) else "", widths[i], table.columns[i].align) for i, p in enumerate(parts)]
            out.append(GAP.join(segs).rstrip())

    emit(tuple(col.title for col in table.columns))
    rule = GAP.join("-" * w for w in widths)
    out.append(rule)
    for row in table.rows:
        emit(tuple(_clean(c) for c in row))
    if table.totals:
        out.append(rule)
        for row in table.totals:
            emit(tuple(_clean(c) for c in row))
    for remark in table.legend:
        out.extend(wrap_hanging(remark, WIDTH))
    return out


def render_layout(doc: Layout) -> str:
    """The text of a laid-out stub."""
    out: list[str] = ["=" * WIDTH, _clean(doc.title)]
    out.extend(_clean(line) for line in doc.employer)
    out.append("=" * WIDTH)
    label_width = max(display_width(label) for label, _ in doc.facts) + 2
    for label, value in doc.facts:
        first, *rest = wrap(value, WIDTH - label_width)
        out.append(_pad(f"{label}:", label_width, "left") + first)
        out.extend(" " * label_width + line for line in rest)
    for table in doc.tables:
        out.append("")
        out.extend(_table(table))
    out.append("")
    out.append("=" * WIDTH)
    label, value = doc.gross
    label = label.upper()
    room = WIDTH - display_width(label) - display_width(value)
    out.append(label + " " * max(room, 1) + value)
    if doc.paid is not None:
        label, value = doc.paid
        out.append(label + " " * max(WIDTH - display_width(label) - display_width(value), 1) + value)
    out.append("=" * WIDTH)
    for note in doc.notes:
        out.extend(wrap_hanging(note, WIDTH))
    lines: list[str] = []
    for line in out:
        lines.extend(wrap(line, WIDTH) if display_width(line) > WIDTH else [line])
    return "\n".join(lines) + "\n"


def render_text(stub: PayStub) -> str:
    """The pay stub as plain text, every line at most 80 columns wide."""
    return render_layout(layout(stub))
