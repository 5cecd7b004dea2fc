"""The characters of a rules file: outside its quoted texts and comments it is plain ASCII.

A character pasted from a web page or a word processor, or typed on another keyboard layout, often
looks like one of the language's own: a non-breaking space, a curly quote, a dash, a full-width letter,
an Arabic-Indic digit; some show as nothing (a zero-width space, a direction mark). :func:`odd_character`
says which one it is (its code point and Unicode name) and what to write instead; :func:`look_alike`
finds a quoted name that differs from another only by such characters (``"live\u00a0in"``, ``"live in"``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def foreign_digit(ch: str) -> bool:
    """A decimal digit of another script than ASCII's 0-9."""
    return not ch.isascii() and unicodedata.decimal(ch, None) is not None


#: Quotation marks other than the straight ``"`` (a word processor's, another language's, full-width).
LOOKALIKE_QUOTES = frozenset(
    "\u201c\u201d\u201e\u201f\u2033\u2036\u301d\u301e\u301f\uff02\u00ab\u00bb"
    "\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\uff07'"
)
#: Characters typed for an ASCII sign they look like (a dash for a hyphen, a times sign for x): what to write.
LOOKALIKE_SIGNS = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    "\u00d7": "x",
    "\u2715": "x",
    "\u2a09": "x",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u2260": "!=",
    "\u2254": "=",
    "\u2236": ":",
    "\u2024": ".",
    "\u2026": "...",
    "\u066b": ".",
    "\u066c": ",",
}
#: Spaces that do not break a line, by the name a message gives them.
_NON_BREAKING = {"\u00a0": "a non-breaking space", "\u202f": "a narrow non-breaking space", "\u2007": "a figure space"}


def code_point(ch: str) -> str:
    """``U+00A0 NO-BREAK SPACE``: a character's code point and, when it has one, its Unicode name."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def odd_character(ch: str) -> str | None:
    """What is wrong with ``ch`` written outside a quoted text and a comment, and what to do; None for a
    character the language is written in (ASCII letters, digits, signs, spaces, tabs and line ends).

    Outside quotes and comments a rules file is plain ASCII; a character that looks like one of its own
    (a non-breaking space, a curly quote, a dash, a full-width letter) or shows as nothing (a zero-width
    space, a direction mark) is named with its code point, so that the message says which it is."""
    if ch.isascii() and (ch.isprintable() or ch in "\t\n\r\f"):
        return None
    code = code_point(ch)
    category = unicodedata.category(ch)
    if ch in _NON_BREAKING:
        return f"{_NON_BREAKING[ch]} ({code}) stands here: replace it with a plain space"
    if category in ("Zl", "Zp") or ch == "\u0085":
        return f"a line separator ({code}) stands here: end the line with a plain line break (Enter)"
    if category == "Zs":
        return f"a space other than the plain space ({code}) stands here: replace it with a plain space"
    if ch in LOOKALIKE_QUOTES:
        return f'a look-alike quote ({code}) stands here: write quotes as straight double quotes: "retail"'
    if category == "Cf":
        return f"an invisible character ({code}) stands here: delete it"
    if category == "Cc":
        return f"a control character ({code}) stands here: delete it"
    if category in ("Mn", "Mc", "Me"):
        return (
            f"a combining mark ({code}) stands here: delete it "
            "(an accented letter goes only in a quoted text or a comment)"
        )
    if foreign_digit(ch):
        return f"a digit other than 0-9 ({code}) stands here: write the digits 0-9"
    plain = LOOKALIKE_SIGNS.get(ch) or unicodedata.normalize("NFKC", ch)
    if plain.isascii() and plain.isprintable() and plain.strip():
        return f'"{ch}" ({code}) looks like {plain} but is not: write {plain}'
    shown = f'"{ch}" ({code})' if ch.isprintable() else code
    return (
        f"{shown} cannot stand outside quotes and comments: a rules file is written in plain ASCII letters, "
        "digits and signs (a name goes in double quotes): retype it"
    )


def as_it_looks(ch: str) -> str:
    """The ASCII a character looks like: a space for any space, ``"`` for a double quote, ``-`` for a dash,
    0-9 for a digit of another script, the plain form of a full-width one; nothing for an invisible one
    or a character that looks like no ASCII."""
    if ch.isascii():
        return ch
    if ch.isspace():
        return " "
    if ch in LOOKALIKE_QUOTES:
        return '"'
    if foreign_digit(ch):
        return str(unicodedata.decimal(ch))
    plain = LOOKALIKE_SIGNS.get(ch) or unicodedata.normalize("NFKC", ch)
    return plain if plain.isascii() and plain.isprintable() else ""


def _plain(text: str) -> str:
    """``text`` as it looks: spaces as one plain space between words, invisible characters left out,
    look-alike signs, quotes and full-width forms as the ASCII they look like."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        if ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) == "Cf":
            continue
        elif ch in LOOKALIKE_QUOTES:
            out.append("'" if ch in "\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\uff07'" else '"')
        else:
            out.append(LOOKALIKE_SIGNS.get(ch, ch))
    return " ".join("".join(out).split())


def look_alike(name: str, choices: Iterable[str]) -> tuple[str, str] | None:
    """The one of ``choices`` that looks the same as ``name`` but is not (a non-breaking space for a space,
    a zero-width space), with the characters that differ in words (``U+00A0 NO-BREAK SPACE``); else None."""
    plain = _plain(name)
    for choice in choices:
        if choice != name and _plain(choice) == plain:
            odd = sorted({ch for ch in name + choice if not ch.isascii()})
            return choice, ", ".join(code_point(ch) for ch in odd) or "its spaces"
    return None


def hidden_characters(text: str) -> str | None:
    """The characters of ``text`` that show as a plain space or as nothing but are not one (a non-breaking
    space, a zero-width space), in words (``U+00A0 NO-BREAK SPACE``); None when it holds none."""
    odd = sorted({ch for ch in text if not ch.isascii() and (ch.isspace() or unicodedata.category(ch)[0] == "C")})
    return ", ".join(code_point(ch) for ch in odd) or None
