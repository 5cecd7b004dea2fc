"""The ``holidays from DATE { ... }`` block of a jurisdiction: parsed, checked, compiled and formatted.

The dates it computes for 2026 and 2027 are pinned in tests/seeds/test_holiday_calendar.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rules_helpers import HEADER, book_of, errors_of

from rules.ast import FixedDate, HolidayStmt, NthWeekday, ObservedStmt
from rules.fmt import format_text
from rules.parser import parse

RULES = "  rules from 2009-07-24 {\n    weekly over 40h is OT x1.5\n  }\n"


def with_holidays(*lines: str, since: str = "2021-06-17", until: str = "", state: str = "") -> str:
    """A file whose federal block (or, with ``state``, a state block) holds one holidays block of ``lines``."""
    body = "".join(f"    {line}\n" for line in lines)
    end = f" until {until}" if until else ""
    block = f"  holidays from {since}{end} {{\n{body}  }}\n"
    if state:
        return f"{HEADER}federal {{\n{RULES}}}\nstate {state} extends federal {{\n{block}}}\n"
    return f"{HEADER}federal {{\n{RULES}{block}}}\n"


def test_each_kind_of_line_reads_to_its_node() -> None:
    tree = parse(
        with_holidays(
            'holiday "Veterans Day" on november 11',
            'holiday "Thanksgiving Day" on fourth thursday of november',
            'holiday "Memorial Day" on last monday of may',
            "observed saturday on friday",
        )
    )
    (block,) = tree.jurisdictions[0].holidays
    assert block.start.text == "2021-06-17"
    assert block.until is None
    assert block.lines == (
        HolidayStmt("Veterans Day", FixedDate(11, Decimal(11))),
        HolidayStmt("Thanksgiving Day", NthWeekday(4, "thursday", 11)),
        HolidayStmt("Memorial Day", NthWeekday(-1, "monday", 5)),
        ObservedStmt("saturday", "friday"),
    )
    assert tree.jurisdictions[0].blocks[0].statements  # the rules block is still read as before


def test_a_file_without_holidays_compiles_to_empty_calendars() -> None:
    book = book_of(f"{HEADER}federal {{\n{RULES}}}\n")
    assert [c.versions for c in book.calendars] == [()]
    assert book.holidays_between("FEDERAL", date(2026, 1, 1), date(2026, 12, 31)) == ()


def test_a_state_with_only_holidays_compiles_and_keeps_the_federal_rules() -> None:
    book = book_of(with_holidays('holiday "Admission Day" on september 9', state="CA"))
    assert not book.has("CA")  # no rules of its own: federal rules price its hours
    (found,) = book.holidays_between("CA", date(2026, 9, 1), date(2026, 9, 30))
    assert (found.day, found.name, found.jurisdiction) == (date(2026, 9, 9), "Admission Day", "CA")


def test_blocks_are_effective_dated() -> None:
    text = (
        f"{HEADER}federal {{\n{RULES}"
        '  holidays from 1986-01-20 until 2021-06-16 {\n    holiday "Independence Day" on july 4\n  }\n'
        '  holidays from 2021-06-17 {\n    holiday "Independence Day" on july 4\n'
        '    holiday "Juneteenth" on june 19\n  }\n}\n'
    )
    book = book_of(text)
    in_2020 = book.holidays_between("FEDERAL", date(2020, 1, 1), date(2020, 12, 31))
    in_2022 = book.holidays_between("FEDERAL", date(2022, 1, 1), date(2022, 12, 31))
    assert [h.name for h in in_2020] == ["Independence Day"]
    assert [h.name for h in in_2022] == ["Juneteenth", "Independence Day"]


def test_observance_moves_weekend_days_only_as_written() -> None:
    # July 4, 2026 is a Saturday; 2027 a Sunday.
    plain = book_of(with_holidays('holiday "Independence Day" on july 4'))
    moved = book_of(with_holidays('holiday "Independence Day" on july 4', "observed saturday on friday"))
    year = (date(2026, 1, 1), date(2027, 12, 31))
    assert [h.day for h in plain.holidays_between("FEDERAL", *year)] == [date(2026, 7, 4), date(2027, 7, 4)]
    assert [h.day for h in moved.holidays_between("FEDERAL", *year)] == [date(2026, 7, 3), date(2027, 7, 4)]


def test_format_keeps_holiday_blocks_in_place_and_reads_back() -> None:
    text = with_holidays(
        'holiday   "Veterans Day"  on november   11  # 5 U.S.C. 6103(a)',
        'holiday "Memorial Day" on last monday of may',
        "observed  sunday on monday",
    )
    formatted = format_text(text)
    assert '    holiday "Veterans Day" on november 11  # 5 U.S.C. 6103(a)\n' in formatted
    assert "    observed sunday on monday\n" in formatted
    assert formatted.index("rules from") < formatted.index("holidays from")
    assert parse(formatted) == parse(text)
    assert format_text(formatted) == formatted


BAD: dict[str, tuple[str, int, int, str]] = {
    # name: (text, line, column, words the message must hold)
    "unknown month": (with_holidays('holiday "X" on novembre 11'), 7, 20, 'unknown word "novembre"'),
    "no fifth week": (with_holidays('holiday "X" on fifth monday of may'), 7, 20, 'unknown word "fifth"'),
    "day missing": (with_holidays('holiday "X" on november'), 7, 25, "the line ends too early"),
    "no such day": (with_holidays('holiday "X" on april 31'), 7, 20, "April has no day 31"),
    "not a whole day": (with_holidays('holiday "X" on april 1.5'), 7, 20, "write a whole day from 1 to 30"),
    "leap day": (with_holidays('holiday "X" on february 29'), 7, 20, "February 29 is not in every year"),
    "twice": (
        with_holidays('holiday "Labor Day" on first monday of september', 'holiday "labor day" on may 1'),
        8,
        13,
        "listed twice in this block (first on line 7)",
    ),
    "empty name": (with_holidays('holiday "" on may 1'), 7, 13, "a holiday needs a name"),
    "empty block": (with_holidays("observed sunday on monday"), 6, 3, "lists no holiday"),
    "observed from a weekday": (
        with_holidays('holiday "X" on may 1', "observed friday on monday"),
        8,
        5,
        "only a holiday that falls on a saturday or a sunday",
    ),
    "observed onto a weekend": (
        with_holidays('holiday "X" on may 1', "observed saturday on sunday"),
        8,
        5,
        "the friday before or the monday after",
    ),
    "observed twice": (
        with_holidays('holiday "X" on may 1', "observed sunday on monday", "observed sunday on friday"),
        9,
        5,
        "sunday is given twice (first on line 8)",
    ),
    "bad date": (with_holidays('holiday "X" on may 1', since="2021-02-30"), 6, 17, "2021-02-30 is not a real date"),
    "until before from": (
        with_holidays('holiday "X" on may 1', since="2022-01-01", until="2021-01-01"),
        6,
        34,
        "until 2021-01-01 is before from 2022-01-01",
    ),
    "holiday outside a holidays block": (
        f'{HEADER}federal {{\n  rules from 2009-07-24 {{\n    holiday "X" on may 1\n  }}\n}}\n',
        4,
        5,
        '"holiday" cannot stand here',
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_holiday_lines_are_located_and_say_what_to_do(name: str) -> None:
    text, line, column, words = BAD[name]
    problems = errors_of(text).rules_problems
    assert any(
        p.line == line and p.column == column and words in p.message and p.where == f"t.ot:{line}:{column}"
        for p in problems
    ), [(p.where, p.message) for p in problems]


def test_overlapping_holiday_blocks_are_refused_with_the_fix() -> None:
    text = (
        f"{HEADER}federal {{\n{RULES}"
        '  holidays from 2020-01-01 {\n    holiday "X" on may 1\n  }\n'
        '  holidays from 2021-01-01 {\n    holiday "X" on may 1\n  }\n}\n'
    )
    (found,) = errors_of(text).rules_problems
    assert found.where == "t.ot:9:3"
    assert "holidays from 2021-01-01 overlap the holidays from 2020-01-01 (line 6)" in found.message
    assert "until 2020-12-31" in found.message
