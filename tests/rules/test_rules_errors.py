"""A catalogue of realistic mistakes in a rules file, and the messages they get.

Each message is pinned by snapshot (read in tests/rules/__snapshots__/): it
must say where (FILE:LINE:COL), show the line with a caret under the column,
say what was expected in words, and suggest a spelling where one is close.
"""

from __future__ import annotations

import pytest
from rules_helpers import errors_of, federal, state
from syrupy.assertion import SnapshotAssertion

from ot.core.errors import OtError
from rules.errors import RulesError, RulesProblem
from rules.parser import parse

FED = federal("minimum wage 7.25 from 2009-07-24", "weekly over 40h is OT x1.5", "no pyramiding")
CA = state("CA", "daily over 8h is OT x1.5", "daily over 12h is DT x2")

CATALOGUE: dict[str, tuple[str, int]] = {
    # name: (text, number of problems)
    "missing unit": (federal("daily over 8 is OT x1.5"), 1),
    "missing minutes unit": (federal("short breaks up to 20 are worked"), 1),
    "multiplier without x": (federal("weekly over 40h is OT 1.5"), 1),
    "minutes where hours are due": (federal("meal period 30 min before end of hour 5 when over 5h, premium 60 min"), 1),
    "hours where minutes are due": (federal("short breaks up to 1h are worked"), 1),
    "misspelled keyword": (federal("dialy over 8h is OT x1.5"), 1),
    "misspelled jurisdiction keyword": (FED + CA.replace("extends federal", "extends federl"), 1),
    "hour class in lower case": (federal("weekly over 40h is ot x1.5"), 1),
    "line ends too early": (federal("weekly over 40h is OT"), 1),
    "unclosed block at end of file": (FED + CA.rstrip().removesuffix("}"), 1),
    "unclosed block before the next one": (
        FED
        + "state CA extends federal {\n  rules from 2025-01-01 {\n    daily over 8h is OT x1.5\n"
        + "  rules from 2026-01-01 {\n    daily over 9h is OT x1.5\n  }\n}\n",
        1,
    ),
    "missing opening brace": (FED + CA.replace("extends federal {", "extends federal"), 1),
    "bad date": (FED + state("CA", "minimum wage 16.90 from 2026-02-30"), 1),
    "bad block date": (FED + state("CA", "daily over 8h is OT x1.5", since="2025-13-01"), 1),
    "unknown state": (FED + state("CX", "daily over 8h is OT x1.5"), 1),
    "unknown parent": (FED + state("NV", "daily over 8h is OT x1.5", extends="CA"), 1),
    "parent not a state": (FED + state("NV", "daily over 8h is OT x1.5", extends="XX"), 1),
    "cycle": (
        FED
        + state("CA", "daily over 8h is OT x1.5", extends="NV")
        + state("NV", "daily over 8h is OT x1.5", extends="CA"),
        1,
    ),
    "overlapping dates": (
        FED
        + "state CA extends federal {\n  rules from 2025-01-01 {\n    daily over 8h is OT x1.5\n  }\n"
        + "  rules from 2026-01-01 {\n    daily over 8h is OT x1.5\n  }\n}\n",
        1,
    ),
    "until before from": (
        FED
        + "state CA extends federal {\n  rules from 2025-01-01 until 2024-12-31 {\n    daily over 8h is OT x1.5\n  }\n}\n",
        1,
    ),
    "DT below OT": (FED + state("CA", "daily over 12h is OT x1.5", "daily over 8h is DT x2"), 1),
    "DT below an inherited OT": (
        FED + CA + state("NV", "daily over 6h is DT x2", extends="CA"),
        1,
    ),
    "multiplier under 1": (federal("weekly over 40h is OT x0.5"), 1),
    "unknown break type": (
        federal(
            "meal period 30 min before end of hour 5 when over 5h, premium 1h, taken as LUNCH",
            head="break type MEAL unpaid\n",
        ),
        1,
    ),
    "minimum wage twice on one date": (
        federal("minimum wage 7.25 from 2009-07-24", "minimum wage 8.00 from 2009-07-24"),
        1,
    ),
    "unknown pay type": (federal("paid not worked PTO, SICKK never count toward overtime"), 1),
    "unknown employer fact": (
        federal("daily over 8h is OT x1.5 when employer sise >= 4", head="employer {\n  size 30\n}\n"),
        1,
    ),
    "rounding that is not neutral": (federal("rounding to nearest 7 min"), 1),
    "meal rule without premium": (federal("meal period 30 min before end of hour 5 when over 5h"), 1),
    "unsupported version": (federal("weekly over 40h is OT x1.5").replace("version 1", "version 2"), 1),
    "no federal block": ("version 1\n" + state("CA", "daily over 8h is OT x1.5"), 1),
    "state defined twice": (FED + CA + CA, 1),
    "state before its parent is in force": (FED + state("CA", "daily over 8h is OT x1.5", since="2000-01-01"), 1),
    "two syntax errors": (federal("daily over 8 is OT x1.5", "weekly over 40h is OT 1.5"), 2),
    "two meaning errors": (federal("weekly over 40h is OT x0.5", "minimum wage 7.25 from 2026-02-30"), 2),
    "a syntax error and a meaning error": (federal("daily over 8 is OT x1.5", "weekly over 40h is OT x0.5"), 2),
    "empty file": ("", 1),
}


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_catalogue_of_mistakes(name: str, snapshot: SnapshotAssertion) -> None:
    text, count = CATALOGUE[name]
    error = errors_of(text, "rules.ot")
    assert isinstance(error, OtError)
    assert len(error.problems) == count, error.render()
    for p in error.rules_problems:
        assert p.where == f"rules.ot:{p.line}:{p.column}"
        assert p.line >= 1
        assert p.column >= 1
    assert error.render() == snapshot


def test_every_problem_is_a_located_ot_problem() -> None:
    error = errors_of(CATALOGUE["two syntax errors"][0])
    assert [p.where for p in error.problems] == ["t.ot:4:16", "t.ot:5:27"]
    assert all(isinstance(p, RulesProblem) for p in error.problems)
    assert error.message == "t.ot: 2 errors; nothing was changed"


def test_did_you_mean_for_a_misspelled_keyword_and_state() -> None:
    keyword = errors_of(CATALOGUE["misspelled keyword"][0]).rules_problems[0]
    assert keyword.suggestion == "daily"
    assert '"daily"' in keyword.expected
    unknown_state = errors_of(FED + state("CQ", "daily over 8h is OT x1.5")).rules_problems[0]
    assert unknown_state.suggestion in {"CA", "CO", "CT"}


def test_expected_is_said_in_words_not_token_names() -> None:
    for name, (text, _count) in CATALOGUE.items():
        for p in errors_of(text).rules_problems:
            for word in p.expected:
                assert not word.isupper() or word.startswith('"'), (name, word)
                assert "_" not in word.strip('"'), (name, word)


def test_many_errors_are_all_reported() -> None:
    statements = [f"dialy over {n}h is OT x1.5" for n in range(1, 6)]
    error = errors_of(federal(*statements))
    assert [p.line for p in error.rules_problems] == [4, 5, 6, 7, 8]


def test_parse_alone_raises_the_same_domain_error() -> None:
    with pytest.raises(RulesError) as caught:
        parse(CATALOGUE["missing unit"][0], "x.ot")
    assert caught.value.problems[0].where == "x.ot:4:16"


def test_a_syntax_error_in_a_declaration_is_not_echoed_where_it_is_used() -> None:
    text = federal(
        "meal period 30 min before end of hour 5 when over 5h, premium 1h, taken as MEAL",
        "daily over 8h is OT x1.5 when employer size >= 4",
        head="employer {\n  size thirty\n}\nbreak type MEAL unpayed\n",
    )
    error = errors_of(text)
    assert [p.line for p in error.rules_problems] == [3, 5]
    assert error.rules_problems[1].suggestion == "unpaid"


def test_curly_quotes_are_named() -> None:
    error = errors_of(federal("weekly over 40h is OT x1.5", head="employer \u201cAcme\u201d {\n}\n"))
    assert error.rules_problems[0].message == (
        'a look-alike quote (U+201C LEFT DOUBLE QUOTATION MARK) stands here: write quotes as straight double quotes: "retail"'
    )
    assert error.rules_problems[0].where == "t.ot:2:10"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (FED.replace("version 1\n", ""), "a rules file starts with its version line: add version 1 as the first line"),
        (
            "version 1\nfederal {\n  weekly over 40h is OT x1.5\n}\n",
            '"weekly" must be inside a rules block: put it in rules from DATE { ... }',
        ),
        (FED + "}\n", 'unexpected "}"'),
        (FED + "hello world\n", 'unknown word "hello"'),
    ],
)
def test_misplaced_lines(text: str, message: str) -> None:
    (found,) = errors_of(text).rules_problems
    assert found.message == message
    assert found.suggestion is None


MEAL = "meal period 30 min before end of hour 5 when over 5h"
MORE_MISTAKES: list[tuple[str, str, int, str]] = [
    # (name, text, line of the problem, what the message says)
    ("state without rules", FED + "state TX extends federal {\n}\n", 9, "state TX has no rules block"),
    ("federal without rules", "version 1\nfederal {\n}\n", 2, "the federal block has no rules block"),
    (
        "two employer blocks",
        federal("weekly over 40h is OT x1.5", head="employer {\n}\nemployer {\n}\n"),
        4,
        "a second employer block",
    ),
    (
        "workweek time out of range",
        federal("weekly over 40h is OT x1.5", head="employer {\n  workweek starts sunday 25:00\n}\n"),
        3,
        "25:00 is not a time of day",
    ),
    (
        "workday given twice",
        federal("weekly over 40h is OT x1.5", head="employer {\n  workday starts 00:00\n  workday starts 06:00\n}\n"),
        4,
        "the workday start is given twice (first on line 3)",
    ),
    (
        "fact given twice",
        federal("weekly over 40h is OT x1.5", head="employer {\n  size 3\n  size 4\n}\n"),
        4,
        'the fact "size" is given twice',
    ),
    (
        "break type declared twice",
        federal("weekly over 40h is OT x1.5", head="break type MEAL unpaid\nbreak type MEAL paid\n"),
        3,
        "break type MEAL is declared twice",
    ),
    (
        "DEFAULT_UNPAID declared paid",
        federal("weekly over 40h is OT x1.5", head="break type DEFAULT_UNPAID paid\n"),
        2,
        "DEFAULT_UNPAID is always unpaid",
    ),
    (
        "state extends itself",
        FED + state("CA", "daily over 8h is OT x1.5", extends="CA"),
        9,
        "state CA cannot build on itself",
    ),
    (
        "text compared with >=",
        federal(
            'daily over 8h is OT x1.5 when employer industry >= "farm"', head='employer {\n  industry "retail"\n}\n'
        ),
        7,
        'compare a text with "is" or "is not"',
    ),
    (
        "number fact compared with a text",
        federal('daily over 8h is OT x1.5 when employer size is "big"', head="employer {\n  size 30\n}\n"),
        7,
        'the employer fact "size" is a number in the employer block',
    ),
    (
        "rate below 0x",
        federal("daily over 8h is OT x1.5 when rate below 0x minimum wage"),
        4,
        "rate below 0x minimum wage can never hold",
    ),
    ("daily over 24h", federal("daily over 24h is OT x1.5"), 4, "daily over 24h can never be reached"),
    (
        "threshold twice",
        federal("daily over 8h is OT x1.5", "daily over 9h is OT x1.5"),
        5,
        "a second daily OT threshold with the same conditions (first on line 4)",
    ),
    ("policy twice", federal("no pyramiding", "pyramiding allowed"), 5, 'a second "pyramiding" in this rules block'),
    (
        "REGULAR is not a paid-not-worked type",
        federal("paid not worked REGULAR never count toward overtime"),
        4,
        "REGULAR hours are hours worked",
    ),
    ("short breaks of 0 min", federal("short breaks up to 0 min are worked"), 4, "short breaks up to 0 min"),
    ("minimum wage of 0", federal("minimum wage 0 from 2009-07-24"), 4, "a minimum wage must be more than 0"),
    (
        "minimum wage after the block ends",
        "version 1\nfederal {\n  rules from 2009-07-24 until 2024-12-31 {\n    minimum wage 8 from 2025-01-01\n  }\n}\n",
        4,
        "this minimum wage starts after the block ends",
    ),
    (
        "meal of 0 min",
        federal("meal period 0 min before end of hour 5 when over 5h, premium 1h"),
        4,
        "a meal period of 0 min",
    ),
    (
        "second meal not after the first",
        federal(f"{MEAL}, second before end of hour 10 when over 4h, premium 1h"),
        4,
        "the second meal period must be owed after longer work than the first",
    ),
    (
        "second waiver without a second meal",
        federal(f"{MEAL}, premium 1h, second waivable up to 12h"),
        4,
        "a waiver of the second meal period needs a second meal period",
    ),
    (
        "meal clause twice",
        federal(f"{MEAL}, premium 1h, premium 2h"),
        4,
        '"premium" is given twice in this meal period rule',
    ),
    (
        "at most 0 premiums",
        federal(f"{MEAL}, premium 1h, at most 0 premiums per day"),
        4,
        "at most N premiums per day takes a whole number",
    ),
    (
        "rest without premium",
        federal("rest period 10 min per 4h when over 3.5h"),
        4,
        "a rest period rule needs a premium",
    ),
    (
        "rest clause twice",
        federal("rest period 10 min per 4h when over 3.5h, premium 1h, premium 1h"),
        4,
        '"premium" is given twice in this rest period rule',
    ),
    (
        "evidence named twice",
        federal("rest period 10 min per 4h when over 3.5h, premium 1h, evidence breaks or breaks"),
        4,
        "an evidence is named twice",
    ),
    (
        "minimum wage measured twice",
        federal("minimum wage measured per hour", "minimum wage measured per workweek"),
        5,
        'a second "minimum wage measured per" in this rules block',
    ),
    (
        "workweek over 200h",
        federal("seventh day over 0h is OT x1.5 when workweek over 200h"),
        4,
        "workweek over takes hours between 0 and 168",
    ),
    (
        "local block with overtime",
        federal(
            "weekly over 40h is OT x1.5",
            tail='local "Denver, CO" {\n  rules from 2025-01-01 {\n    daily over 8h is OT x1.5\n  }\n}\n',
        ),
        9,
        "a local block holds minimum wages only",
    ),
    (
        "local block without a state",
        federal("weekly over 40h is OT x1.5", tail='local "Denver" {\n  rules from 2025-01-01 {\n  }\n}\n'),
        7,
        'write a local block\'s name as "City, ST"',
    ),
    (
        "local block in an unknown state",
        federal("weekly over 40h is OT x1.5", tail='local "Denver, CX" {\n  rules from 2025-01-01 {\n  }\n}\n'),
        7,
        "unknown state code CX",
    ),
    (
        "local block twice",
        federal(
            "weekly over 40h is OT x1.5",
            tail='local "Denver, CO" {\n  rules from 2025-01-01 {\n  }\n}\n'
            'local "denver, CO" {\n  rules from 2026-01-01 {\n  }\n}\n',
        ),
        11,
        "is defined twice",
    ),
    (
        "rest taken as an unknown break type",
        federal("rest period 10 min per 4h when over 3.5h, premium 1h, taken as RESTT", head="break type REST paid\n"),
        5,
        "unknown break type RESTT",
    ),
]


@pytest.mark.parametrize(("name", "text", "line", "says"), MORE_MISTAKES, ids=[m[0] for m in MORE_MISTAKES])
def test_more_mistakes(name: str, text: str, line: int, says: str) -> None:
    (found,) = errors_of(text).rules_problems
    assert says in found.message, found.render()
    assert found.line == line, found.render()


def test_overlapping_blocks_from_the_first_day_are_refused_without_a_traceback() -> None:
    """Found by the grammar property test: the hint "end that block with until DAY" had no day
    before 0001-01-01 to give, and a block until 9999-12-31 had no day after it."""
    text = 'version 1\nlocal "retail" {\n  rules from 0001-01-01 {\n  }\n  rules from 0001-01-01 {\n  }\n}\n'
    messages = " ".join(p.message for p in errors_of(text).problems)
    assert "overlap" in messages
    assert "no day comes before it" in messages
