"""The plain-text pay stub: fits an 80-column terminal.

Widths are display widths (a wide East Asian character takes two columns). A
table that would be wider than 80 columns wraps its flexible column (the
location, the settlement) onto more lines; any other line too long wraps at
spaces, so no line of the result is ever wider than :data:`WIDTH`.
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


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` columns, at spaces where possible."""
    text = _clean(text)
    if display_width(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while display_width(word) > width:
            cut = _cut(word, width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


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
        out.extend(wrap(remark, WIDTH))
    return out


def render_layout(doc: Layout) -> str:
    """The text of a laid-out stub."""
    out: list[str] = ["=" * WIDTH, _clean(doc.title)]
    out.extend(_clean(line) for line in doc.employer)
    out.append("=" * WIDTH)
    label_width = max(display_width(label) for label, _ in doc.facts) + 2
    for label, value in doc.facts:
        out.append(_pad(f"{label}:", label_width, "left") + _clean(value))
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
        out.extend(wrap(note, WIDTH))
    lines: list[str] = []
    for line in out:
        lines.extend(wrap(line, WIDTH) if display_width(line) > WIDTH else [line])
    return "\n".join(lines) + "\n"


def render_text(stub: PayStub) -> str:
    """The pay stub as plain text, every line at most 80 columns wide."""
    return render_layout(layout(stub))
