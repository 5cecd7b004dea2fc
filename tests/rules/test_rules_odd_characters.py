"""Characters the rules language does not take outside quotes and comments: each is named where it stands.

A non-breaking space, a zero-width space, a curly quote, a dash, a look-alike digit or letter typed
into a rules file (a copy from a web page, a word processor, another keyboard layout) gets a message
about that character, at its line and column: never one about something else (a review: a
non-breaking space was reported as 'write quotes as straight double quotes', because ``"" in "..."``).

The property: inserting any one non-ASCII character anywhere in ``rules.example.ot`` either parses
(inside a quoted text or a comment, or a byte-order mark at the very start) or is refused with every
problem on that character's line, at its column or at the start of the word that holds it, saying
which character it is (its code point) or, for a digit, that it is not 0-9.
"""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st
from rules_helpers import EXAMPLE, errors_of, federal

from ot.cli import main
from rules.compiler import compile_text
from rules.errors import RulesError, RulesProblem
from rules.fmt import format_text
from rules.parser import parse

TEXT = EXAMPLE.read_text(encoding="utf-8")

#: Characters people paste or type by mistake: spaces, invisible ones, quotes, digits, dashes, letters.
CURATED = [
    *"\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u1680",
    *"\u2028\u2029\u0085\u0080\u009f",
    *"\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202e\u2066\u2069\u180e",
    *"\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb\uff02\u2032\u2033",
    *"\u0660\u0665\u06f5\u0966\uff10\uff15\u00b2\u2075\u2460\U0001d7ce",
    *"\u2010\u2011\u2013\u2014\u2212\u00d7\u2265\u2264\uff1a\uff0e\uff5b\uff5d\uff03\uff0c",
    *"\u00e9\u0430\u0435\u043e\u03bf\uff21\uff41\u0131\u0301\u0308\u20dd",
    *"\U0001f600\u4e00\ue000\U0010fffd\u2603",
]
NON_ASCII = st.one_of(
    st.sampled_from(CURATED),
    st.characters(min_codepoint=0x80, exclude_categories=("Cs",)),
)


def _outside_text(text: str, at: int) -> bool:
    """Whether offset ``at`` of ``text`` is outside a quoted text and a comment (the language's own text)."""
    start = text.rfind("\n", 0, at) + 1
    in_string = False
    for ch in text[start:at]:
        if ch == '"':
            in_string = not in_string
        elif ch == "#" and not in_string:
            return False
    return not in_string


def _names(problem: RulesProblem, ch: str) -> bool:
    """Whether ``problem`` says what is wrong with ``ch``: its code point, or for a digit, that it is not 0-9."""
    if f"U+{ord(ch):04X}" in problem.message:
        return True
    return unicodedata.decimal(ch, None) is not None and "digits other than 0-9" in problem.message


@given(at=st.integers(0, len(TEXT)), ch=NON_ASCII)
@example(at=TEXT.index("daily over 8h is OT x1.5") + len("daily"), ch="\u00a0")  # the review's file
@example(at=TEXT.index("daily over 8h is OT x1.5") + 2, ch="\u200b")  # inside a keyword
@example(at=TEXT.index("daily over 8h is OT x1.5") + len("daily over 8"), ch="\u00a0")  # inside 8h
@example(at=TEXT.index("version 1") + 3, ch="\u00a0")  # inside the version line's keyword
@example(at=TEXT.index("\n}\n") + 1, ch="\u00a0")  # before a closing brace
@example(at=TEXT.index("\n}\n") + 2, ch="\u200b")  # after a closing brace
@example(at=TEXT.index("short breaks up to 20 min") + len("short breaks up to 20 "), ch="\u00a0")  # 20 min
@example(at=TEXT.index("short breaks up to 20 min") + len("short breaks up to 20"), ch="\u00a0")
@example(at=0, ch="\ufeff")  # a byte-order mark: read as nothing
@example(at=1, ch="\ufeff")  # the same character anywhere else: an invisible character
def test_one_odd_character_is_named_where_it_stands(at: int, ch: str) -> None:
    text = TEXT[:at] + ch + TEXT[at:]
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    problems = _syntax_problems(text)
    if problems is None:
        assert not _outside_text(TEXT, at) or (at == 0 and ch == "\ufeff"), f"U+{ord(ch):04X} at {line}:{column} parsed"
        return
    shown = "\n\n".join(p.render() for p in problems)
    assert _outside_text(TEXT, at), f"refused inside a quoted text or a comment: {shown}"
    assert problems
    source = text.split("\n")[line - 1]
    for found in problems:
        assert found.line == line, shown
        # at the character, or at the start of the written word that holds it
        assert found.column == column or (
            found.column < column and not any(c in " \t" for c in source[found.column - 1 : column - 1])
        ), shown
        assert _names(found, ch), shown


def _syntax_problems(text: str) -> tuple[RulesProblem, ...] | None:
    """The syntax problems of ``text``, or None when it parses (any other exception fails the test)."""
    try:
        parse(text, "x.ot")
    except RulesError as error:
        return error.rules_problems
    return None


@given(at=st.integers(0, len(TEXT)), ch=st.sampled_from(CURATED))
def test_one_odd_character_never_crashes_the_compiler(at: int, ch: str) -> None:
    """Compiling (parse, check, build) such a file raises nothing but a located :class:`RulesError`."""
    text = TEXT[:at] + ch + TEXT[at:]
    with contextlib.suppress(RulesError):
        compile_text(text, "x.ot")
        return
    problems = errors_of(text, "x.ot").rules_problems
    assert all(p.line >= 1 and p.column >= 1 for p in problems)


# --- the review's cases, and a message for each kind of character -------------------------------


@pytest.mark.parametrize(
    ("ch", "says"),
    [
        ("\u00a0", "a non-breaking space (U+00A0 NO-BREAK SPACE) stands here: replace it with a plain space"),
        ("\u202f", "a narrow non-breaking space (U+202F"),
        ("\u2003", "a space other than the plain space (U+2003 EM SPACE) stands here: replace it with a plain space"),
        ("\u3000", "(U+3000 IDEOGRAPHIC SPACE)"),
        ("\u200b", "an invisible character (U+200B ZERO WIDTH SPACE) stands here: delete it"),
        ("\ufeff", "an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE) stands here: delete it"),
        ("\u202e", "an invisible character (U+202E RIGHT-TO-LEFT OVERRIDE)"),
        ("\u2028", "a line separator (U+2028 LINE SEPARATOR) stands here: end the line with a plain line break"),
        ("\u0085", "a line separator (U+0085)"),
        ("\u0080", "a control character (U+0080) stands here: delete it"),
        ("\u2013", '"\u2013" (U+2013 EN DASH) looks like - but is not: write -'),
        ("\u00d7", '"\u00d7" (U+00D7 MULTIPLICATION SIGN) looks like x but is not: write x'),
        ("\uff41", '"\uff41" (U+FF41 FULLWIDTH LATIN SMALL LETTER A) looks like a but is not: write a'),
        ("\u0430", '"\u0430" (U+0430 CYRILLIC SMALL LETTER A) cannot stand outside quotes and comments'),
        ("\u0301", "a combining mark (U+0301 COMBINING ACUTE ACCENT) stands here: delete it"),
        ("\u201c", "a look-alike quote (U+201C LEFT DOUBLE QUOTATION MARK) stands here: write quotes as straight"),
    ],
)
def test_each_kind_of_character_gets_its_own_message(ch: str, says: str) -> None:
    for statement in (
        f"daily{ch} over 8h is OT x1.5",
        f"dai{ch}ly over 8h is OT x1.5",
        f"daily over 8{ch}h is OT x1.5",
    ):
        (found,) = errors_of(federal(statement)).rules_problems
        assert says in found.message, found.render()
        assert found.where == f"t.ot:4:{4 + statement.index(ch) + 1}", found.render()


def test_a_non_breaking_space_is_not_called_a_quote() -> None:
    """The review's file: rules.example.ot with a non-breaking space in line 174's "daily over"."""
    lines = TEXT.split("\n")
    lines[173] = lines[173].replace("daily over", "daily\u00a0over")
    (found,) = errors_of("\n".join(lines), "n.ot").rules_problems
    assert found.where == "n.ot:174:10"
    assert "non-breaking space" in found.message
    assert "replace it with a plain space" in found.message
    assert "quotes" not in found.message


def test_a_line_of_non_breaking_spaces_is_one_problem_and_the_rest_is_read() -> None:
    """Indentation copied from a web page: one problem a line, and the lines after are still checked."""
    text = federal("weekly over 40h is OT x1.5", "dialy over 8h is OT x1.5").replace(
        "    weekly", "\u00a0\u00a0\u00a0\u00a0weekly"
    )
    problems = errors_of(text).rules_problems
    assert [(p.line, p.column) for p in problems] == [(4, 1), (5, 5)]
    assert "U+00A0" in problems[0].message
    assert problems[1].suggestion == "daily"


def test_a_quoted_text_closed_by_a_curly_quote_is_named() -> None:
    (found,) = errors_of(federal("weekly over 40h is OT x1.5", head='employer "Acme\u201d {\n}\n')).rules_problems
    assert found.where == "t.ot:2:15"
    assert "U+201D" in found.message
    assert "straight double quotes" in found.message


def test_after_a_curly_quote_the_rest_of_the_file_is_still_read() -> None:
    """The recovery reads the quote as a straight one: the block it opens is read, and a later mistake found."""
    text = federal("dialy over 8h is OT x1.5", head="employer \u201cAcme\u201d {\n  size 5\n}\n")
    problems = errors_of(text).rules_problems
    assert [(p.line, p.column) for p in problems] == [(2, 10), (7, 5)]
    assert "U+201C" in problems[0].message
    assert problems[1].suggestion == "daily"


def test_odd_characters_in_quotes_and_comments_are_kept() -> None:
    text = federal(
        "weekly over 40h is OT x1.5  # caf\u00e9\u00a0\u201cnote\u201d", head='employer "Caf\u00e9\u00a0Ana" {\n}\n'
    )
    assert parse(text).items[0].name == "Caf\u00e9\u00a0Ana"  # type: ignore[union-attr]
    assert format_text(text) == text


def test_the_source_line_shows_an_invisible_character() -> None:
    """The echoed line marks an invisible character (else the caret sits one column right of what it shows)."""
    (found,) = errors_of(federal("dai\u200bly over 8h is OT x1.5")).rules_problems
    shown = found.render().split("\n")
    assert shown[1] == "        dai\ufffdly over 8h is OT x1.5"
    assert shown[2] == "    " + " " * 7 + "^"


# --- a byte-order mark ------------------------------------------------------------------------

BOM = "\ufeff"


def test_a_byte_order_mark_is_read_as_nothing() -> None:
    assert parse(BOM + TEXT) == parse(TEXT)
    assert compile_text(BOM + TEXT, "b.ot").versions == compile_text(TEXT, "b.ot").versions


def test_columns_after_a_byte_order_mark_are_the_editors() -> None:
    """An editor shows no byte-order mark: line 1's columns are counted after it."""
    (found,) = errors_of(BOM + "version 1\ndialy\n").rules_problems
    assert found.where == "t.ot:2:1"
    (first,) = errors_of(BOM + "versoin 1\n").rules_problems
    assert first.where == "t.ot:1:1"
    assert first.source_line == "versoin 1"


def test_fmt_drops_the_byte_order_mark() -> None:
    """The canonical layout has none (ot writes UTF-8 without one); fmt --check flags a file with one."""
    assert format_text(BOM + TEXT) == format_text(TEXT)
    assert not format_text(BOM + TEXT).startswith(BOM)


def _bom_file(tmp_path: Path) -> Path:
    path = tmp_path / "b.ot"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    return path


def test_rules_check_show_and_fmt_take_a_byte_order_mark(cli: CliRunner, tmp_path: Path) -> None:
    path = _bom_file(tmp_path)
    check = cli.invoke(main, ["rules", "check", str(path)])
    assert check.exit_code == 0, check.stderr
    assert f"{path}: ok" in check.stdout
    show = cli.invoke(main, ["rules", "show", str(path), "--state", "CA", "--date", "2026-11-02"])
    assert show.exit_code == 0, show.stderr
    would = cli.invoke(main, ["rules", "fmt", "--check", str(path)])
    assert would.exit_code == 1
    assert f"would reformat {path}" in would.stdout
    done = cli.invoke(main, ["rules", "fmt", str(path)])
    assert done.exit_code == 0, done.stderr
    assert path.read_bytes() == format_text(TEXT).encode("utf-8")


def test_rules_adopt_and_what_if_take_a_byte_order_mark(cli: CliRunner, demo_ledger: Path, tmp_path: Path) -> None:
    path = _bom_file(tmp_path)
    what_if = cli.invoke(main, ["--ledger", str(demo_ledger), "rules", "what-if", str(path), "--period", "2026-11-02"])
    assert what_if.exit_code == 0, what_if.stderr
    adopt = cli.invoke(
        main, ["--ledger", str(demo_ledger), "--as", "A1", "rules", "adopt", str(path), "--from", "2027-01-03"]
    )
    assert adopt.exit_code == 0, adopt.stderr
    assert "adopted b.ot" in adopt.stdout


# --- in quoted names: a name that looks like another --------------------------------------------


def test_a_group_name_that_differs_only_by_a_non_breaking_space_says_so() -> None:
    text = federal(
        'daily over 8h is DT x2 when worker in "live in"',
        head='employer {\n  group "live\u00a0in" is "W-1"\n}\n',
    )
    (found,) = errors_of(text).rules_problems
    assert found.where == "t.ot:7:33"
    assert 'the group "live\u00a0in" (line 3) looks the same but differs by U+00A0 NO-BREAK SPACE' in found.message
    assert "write the name the same way in both" in found.message


def test_a_group_name_close_to_one_with_a_hidden_character_names_it() -> None:
    text = federal(
        'daily over 8h is DT x2 when worker in "live-in"',
        head='employer {\n  group "l\u00a0ive-in" is "W-1"\n}\n',
    )
    (found,) = errors_of(text).rules_problems
    assert found.suggestion == "l\u00a0ive-in"
    assert (
        'the group "l\u00a0ive-in" holds U+00A0 NO-BREAK SPACE, which shows as a space or as nothing' in found.message
    )


def test_a_holiday_name_that_differs_only_by_a_zero_width_space_says_so() -> None:
    text = federal(
        "weekly over 40h is OT x1.5",
        tail=(
            'state CA extends federal {\n  holidays from 2020-01-01 {\n    not holiday "New\u200b Year\'s Day"\n  }\n}\n'
        ),
    ).replace(
        "federal {\n",
        'federal {\n  holidays from 2020-01-01 {\n    holiday "New Year\'s Day" on january 1\n  }\n',
        1,
    )
    problems = errors_of(text).rules_problems
    assert any("U+200B ZERO WIDTH SPACE" in p.message and "looks the same" in p.message for p in problems), [
        p.render() for p in problems
    ]


def test_minutes_take_any_blanks_before_min() -> None:
    """``20  min`` was refused with 'write the minutes with a unit: 20 min', which it is."""
    assert parse(federal("short breaks up to 20  min are worked")) == parse(
        federal("short breaks up to 20 min are worked")
    )
    assert format_text(federal("short breaks up to 20\tmin are worked")) == federal(
        "short breaks up to 20 min are worked"
    )
