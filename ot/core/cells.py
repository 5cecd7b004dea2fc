"""Cells of the CSV files people open in spreadsheets (sync feeds, payroll exports), and the plain text
a person gives for one (a name, an address, a note), which terminals and spreadsheets show."""

from __future__ import annotations

import re

__all__ = ["control_problem", "formula_safe"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)


def formula_safe(value: str) -> str:
    """A cell a spreadsheet opens as text, never as a formula (OWASP, CSV injection).

    A value beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (a name such as ``=HYPERLINK(...)`` or ``+cmd|...``) is prefixed with ``'``;
    a plain number (``-3.50``) is left as it is. Idempotent: a prefixed value
    read back from the feed starts with ``'`` and is kept as it is.
    """
    if value.startswith(_FORMULA_START) and _NUMBER.fullmatch(value) is None:
        return "'" + value
    return value


#: Characters a name, an address line or a note may not hold: the C0 controls (NUL, tab, newline,
#: escape...), DEL and the C1 controls, which a terminal acts on (``ESC ] 0 ;`` retitles the window,
#: ``ESC [ 2 J`` clears it) or which break a line or a CSV row; and the line and paragraph separators
#: and bidirectional embeddings, overrides and isolates, which break a line or reorder what a line shows.
#: An ordinary space is plain text; so are the joiners some scripts need (U+200C, U+200D).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMES = {
    0x00: "NUL",
    0x07: "bell",
    0x08: "backspace",
    0x09: "tab",
    0x0A: "line feed",
    0x0D: "carriage return",
    0x1B: "escape",
    0x7F: "delete",
    0x85: "next line",
    0x9B: "control sequence introducer",
    0x2028: "line separator",
    0x2029: "paragraph separator",
}


def control_problem(text: str, what: str) -> str | None:
    """What is wrong with ``text`` given as ``what`` (``name``, ``--address #1``) when it holds a control
    character (:data:`_CONTROL`), saying which, where in the text, and what to do; None when it is plain.
    The text itself is not repeated (it is what a terminal would act on)."""
    bad_byte = _SURROGATE.search(text)
    if bad_byte is not None:  # a byte of a command line that is not UTF-8, kept by Python as a surrogate
        code = ord(bad_byte.group())
        shown = f"byte 0x{code - 0xDC00:02X}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"
        return (
            f"{what} is not UTF-8 text ({shown} at character {bad_byte.start() + 1}): "
            "type it again as UTF-8 text (check the terminal's encoding)"
        )
    found = _CONTROL.search(text)
    if found is None:
        return None
    code = ord(found.group())
    name = _NAMES.get(code) or ("a bidirectional control" if code >= 0x202A else "a control character")
    more = len(_CONTROL.findall(text)) - 1
    others = f"; {more} more after it" if more else ""
    return (
        f"{what} holds a control character (U+{code:04X}, {name}, at character {found.start() + 1}{others}): "
        "remove it, and give plain text (letters, digits, punctuation, spaces) on one line"
    )
