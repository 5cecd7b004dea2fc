"""Properties of the parser, compiler and formatter, on text generated from the grammar and on golden files.

- Text generated from the grammar (``hypothesis.extra.lark.from_lark``) always
  parses; compiling it raises nothing but :class:`RulesError`.
- Any text at all (random, or a golden file with a character dropped or added)
  raises nothing but :class:`RulesError`.
- ``fmt(parse(fmt(x))) == fmt(x)`` and the AST of a formatted file equals the
  original's (positions aside).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark.lexer import PatternStr
from rules_helpers import EXAMPLE, GOLDEN

from rules.compiler import compile_text
from rules.errors import RulesError, RulesProblem
from rules.fmt import format_text
from rules.parser import build_lark, parse

GRAMMAR = build_lark()
GOLDEN_FILES = [*sorted(GOLDEN.glob("*.ot")), EXAMPLE]


def _spaced(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return strategy.map(lambda text: f" {text} ")


# Keywords get blanks around them (the generator would glue "daily" and "over");
# values come from small pools that include edge cases (0, a non-date, x0.5...).
EXPLICIT: dict[str, st.SearchStrategy[str]] = {
    t.name: st.just(f" {t.pattern.value} ") for t in GRAMMAR.terminals if isinstance(t.pattern, PatternStr)
}
EXPLICIT.update(
    {
        "DATE": _spaced(
            st.one_of(st.dates().map(lambda d: d.isoformat()), st.sampled_from(["2026-02-30", "2025-13-01"]))
        ),
        "CLOCK": _spaced(st.sampled_from(["00:00", "6:30", "23:59", "24:00", "7:99"])),
        "HOURS_AMOUNT": _spaced(st.sampled_from(["0h", "0.5h", "8h", "12h", "24h", "40h", "999h"])),
        "MINUTES_AMOUNT": _spaced(st.sampled_from(["0 min", "10 min", "15min", "30 min", "7 min"])),
        "FACTOR": _spaced(st.sampled_from(["0x", "1.5x", "2x"])),
        "MULTIPLIER": _spaced(st.sampled_from(["x0.5", "x1", "x1.5", "x2"])),
        "NUMBER": _spaced(st.sampled_from(["0", "1", "2", "5", "7.25", "10", "26"])),
        "STRING": _spaced(st.sampled_from(['"retail"', '"a # b"', '""'])),
        "CODE": _spaced(st.sampled_from(["CA", "NV", "MEAL", "REST", "PTO", "SICKK", "DEFAULT_UNPAID", "ZZ"])),
        "FACT_NAME": _spaced(st.sampled_from(["size", "industry", "sise"])),
        "_NL": st.sampled_from(["\n", "  # note\n", "\n\n", "\n  # own line\n\n", "\r\n"]),
    }
)
GENERATED = from_lark(GRAMMAR, explicit=EXPLICIT)


def problems_of(text: str) -> tuple[RulesProblem, ...] | None:
    """The problems compiling ``text`` raises, or None when it compiles (any other exception escapes)."""
    try:
        compile_text(text)
    except RulesError as error:
        return error.rules_problems
    return None


@given(GENERATED)
def test_generated_files_parse_and_compile_or_refuse_cleanly(text: str) -> None:
    tree = parse(text)
    problems = problems_of(text)
    assert problems is None or (problems and all(p.line >= 1 for p in problems))
    assert tree.file == "<text>"


@given(GENERATED)
def test_format_is_idempotent_and_keeps_the_meaning_on_generated_files(text: str) -> None:
    formatted = format_text(text)
    assert format_text(formatted) == formatted
    assert parse(formatted) == parse(text)


@given(from_lark(GRAMMAR))
def test_glued_tokens_never_crash(text: str) -> None:
    assert problems_of(text) != ()


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_never_crashes(text: str) -> None:
    assert problems_of(text) != ()


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_golden_files_round_trip(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_text(text, str(path))
    assert format_text(formatted) == formatted
    assert parse(formatted) == parse(text)
    assert [c.text for c in parse(formatted).comments] == [c.text for c in parse(text).comments]
    compile_text(text, str(path))


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
@given(data=st.data())
def test_golden_files_with_a_typo_never_crash(path: Path, data: st.DataObject) -> None:
    text = path.read_text(encoding="utf-8")
    index = data.draw(st.integers(0, len(text)))
    if data.draw(st.booleans()):
        mutated = text[:index] + text[index + 1 :]
    else:
        mutated = text[:index] + data.draw(st.sampled_from(list('{}#"x0h \n:-,') + ODD_CHARACTERS)) + text[index:]
    assert problems_of(mutated) != ()


#: Characters pasted by mistake (tests/rules/test_rules_odd_characters.py holds the property they are named by).
ODD_CHARACTERS = ["\u00a0", "\u2003", "\u200b", "\ufeff", "\u202e", "\u2028", "\u201c", "\u2019", "\u0664", "\u2013"]


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
@given(data=st.data())
def test_golden_files_with_an_odd_character_name_it(path: Path, data: st.DataObject) -> None:
    """Compiled, a file with an odd character anywhere compiles (in a comment, or in a quoted text nothing
    refers to) or is refused with a problem naming it: its code point (a digit: not 0-9), or, in a quoted
    name the message quotes, the character itself when it shows."""
    text = path.read_text(encoding="utf-8")
    index = data.draw(st.integers(0, len(text)))
    ch = data.draw(st.sampled_from(ODD_CHARACTERS))
    problems = problems_of(text[:index] + ch + text[index:])
    said = f"U+{ord(ch):04X}" if ch != "\u0664" else "digits other than 0-9"
    visible = ch.isprintable() and not ch.isspace()  # in a quoted name, the message or its suggestion shows it
    assert problems is None or any(said in p.message or (visible and ch in p.render()) for p in problems), [
        p.render() for p in problems
    ]
