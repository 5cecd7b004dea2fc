"""A fuzzer of the rules grammar (issue 11): mutations of ``rules.example.ot`` and random token streams
never end in a traceback: either the text compiles (and ``fmt`` lays it out as a text that reads back the
same, and is a fixed point), or a :class:`RulesError` lists problems each located at LINE:COLUMN.

Its example counts follow the hypothesis profile (``HYPOTHESIS_PROFILE=thorough`` for a long run)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from rules.compiler import compile_text
from rules.errors import RulesError
from rules.files import default_rules_path
from rules.fmt import format_text
from rules.parser import parse

EXAMPLE = default_rules_path().read_text(encoding="utf-8")
LINES = EXAMPLE.splitlines(keepends=True)
WORDS = sorted(set(re.findall(r"[^\s]+", EXAMPLE)))
ODD = [
    "{",
    "}",
    '"',
    "#",
    "x",
    "h",
    "min",
    "1E-7",
    "1e309",
    "NaN",
    "-Infinity",
    "0",
    "-1",
    "99999999999999999999999",
    "0.0000001",
    "x1E2",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "[/b]",
    "[@click=app.quit]",
    "\t",
    "\r",
    "\x00",
    "é",
    "＂",
    "\u202e",
    "\ufeff",
    "\u00a0",
    "\u2003",
    "\u200b",
    "\u2028",
    "\u0085",
    "\u201c",
    "\u2019",
    "\u0664",
    "\uff14",
    "\u2013",
    "\u00d7",
    "\u0430",
    "\u0301",
    "daily\u00a0over",
    "version",
    "federal",
    "state",
    "local",
    "rules",
    "from",
    "until",
    "employer",
]
TOKENS = st.sampled_from(WORDS + ODD)
SEPARATORS = st.sampled_from([" ", "\n", "  ", "\n  ", ""])


def outcome(text: str) -> str:
    """``ok`` or ``error``; any other exception fails the test (a traceback the user would see)."""
    try:
        compile_text(text, "fuzz.ot")
    except RulesError as exc:
        _located(exc)
        return "error"
    formatted = format_text(text, "fuzz.ot")
    assert parse(formatted, "fuzz.ot") == parse(text, "fuzz.ot")
    assert format_text(formatted, "fuzz.ot") == formatted
    compile_text(formatted, "fuzz.ot")
    return "ok"


def _located(exc: RulesError) -> None:
    """A clean diagnostic: at least one problem, each at FILE:LINE:COLUMN, and a text to print."""
    assert exc.rules_problems, "a RulesError with no problem"
    for p in exc.rules_problems:
        assert p.line >= 1, p
        assert p.column >= 1, p
        assert p.where.startswith("fuzz.ot:"), p.where
    assert exc.render()


def _splice(text: str, at: int, cut: int, insert: str) -> str:
    at = min(at, len(text))
    return text[:at] + insert + text[at + cut :]


@given(
    st.lists(
        st.tuples(
            st.integers(0, len(EXAMPLE)),
            st.integers(0, 40),
            st.one_of(TOKENS, st.text(max_size=6), st.sampled_from(LINES)),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_example_never_crashes(edits: list[tuple[int, int, str]]) -> None:
    text = EXAMPLE
    for at, cut, insert in edits:
        text = _splice(text, at, cut, insert)
    outcome(text)


@given(st.lists(st.integers(0, len(LINES) - 1), min_size=1, max_size=60))
def test_shuffled_lines_never_crash(picks: list[int]) -> None:
    outcome("".join(LINES[i] for i in picks))


@given(st.lists(st.tuples(TOKENS, SEPARATORS), max_size=80))
def test_random_token_streams_never_crash(stream: list[tuple[str, str]]) -> None:
    outcome("version 1\n" + "".join(token + sep for token, sep in stream))


@given(st.lists(st.tuples(TOKENS, SEPARATORS), max_size=40))
def test_random_statements_in_a_block_never_crash(stream: list[tuple[str, str]]) -> None:
    body = "".join(token + sep for token, sep in stream)
    outcome(f"version 1\nfederal {{\n  rules from 2022-01-01 {{\n    {body}\n  }}\n}}\n")


def test_the_example_itself_compiles_and_formats() -> None:
    assert outcome(EXAMPLE) == "ok"
