"""The grammar itself: LALR, strict, a name for every terminal, every terminal said in words."""

from __future__ import annotations

import re

from lark import Lark
from lark.lexer import PatternRE

from rules.parser import GRAMMAR_FILE, TERMINAL_WORDS, build_lark, keywords, terminal_words


def test_grammar_builds_strictly() -> None:
    """strict=True refuses any shift/reduce conflict and any terminal collision (needs interegular)."""
    parser = Lark(GRAMMAR_FILE.read_text(encoding="utf-8"), parser="lalr", strict=True, propagate_positions=True)
    assert parser.options.parser == "lalr"


def test_every_terminal_has_a_name_and_words() -> None:
    parser = build_lark()
    names = [t.name for t in parser.terminals]
    assert not [n for n in names if n.startswith("__")], "give every terminal a name"
    for terminal in parser.terminals:
        if isinstance(terminal.pattern, PatternRE) and terminal.name != "WS":
            assert terminal.name in TERMINAL_WORDS, terminal.name
    assert terminal_words(["DAILY", "HOURS_AMOUNT", "RBRACE", "_NL"]) == (
        '"daily"',
        '"}"',
        "hours such as 8h",
        "the end of the line",
    )


def test_keywords_are_the_grammar_words() -> None:
    words = keywords()
    assert {"daily", "weekly", "seventh", "consecutive", "24-hour", "federal", "state", "extends", "OT", "DT"} <= words
    assert all(re.fullmatch(r"[A-Za-z0-9-]+", w) for w in words)
