"""Issue 16's constructs in the rules language: each refusal located (file:line:column) and saying
what to do, and what `ot rules show` says of each."""

from __future__ import annotations

from datetime import date

import pytest
from rules_helpers import EXAMPLE, book_of, errors_of, federal

from rules.compiler import compile_file
from rules.fmt import format_text
from rules.show import describe

FED = ("minimum wage 7.25 from 2009-07-24", "weekly over 40h is OT x1.5")
AWS = 'alternative workweek "4x10" for "W-1" on monday 10h, tuesday 10h, wednesday 10h, thursday 10h'

#: name: (text, line, column, words of the message)
BAD: dict[str, tuple[str, int, int, str]] = {
    "split shift of no hours": (
        federal(*FED, "split shift over 60 min is 0h at minimum wage"), 6, 5, "premium of 0h pays nothing"
    ),
    "split shift twice": (
        federal(*FED, "split shift over 60 min is 1h at minimum wage", "split shift over 30 min is 1h at minimum wage"),
        7, 5, 'a second "split shift" in this rules block (first on line 6)',
    ),
    "spread of a whole day": (
        federal(*FED, "spread of hours over 24h is 1h at minimum wage"), 6, 5, "between 0 and 24"
    ),
    "split shift of a whole day": (
        federal(*FED, "split shift over 1440 min is 1h at minimum wage"), 6, 5, "longest meal period in minutes"
    ),
    "sunday over a whole day": (federal(*FED, "sunday over 24h is OT x1.5"), 6, 5, "sunday over 24h can never"),
    "holiday name in a rules block": (
        federal(*FED, 'holiday "Victory Day" on second monday of august'), 6, 5, "goes in holidays from DATE"
    ),
    "policy with a minimum wage": (
        federal(*FED, tail='policy "P" {\n  rules from 2025-01-01 {\n    minimum wage 20.00 from 2025-01-01\n  }\n}\n'),
        10, 5, "a policy block holds overtime thresholds and day premiums only",
    ),
    "policy twice": (
        federal(*FED, tail='policy "P" {\n  rules from 2025-01-01 {\n    daily over 8h is OT x1.5\n  }\n}\n' * 2),
        13, 8, 'policy "P" is defined twice (first on line 8)',
    ),
    "policy without a name": (
        federal(*FED, tail='policy "" {\n  rules from 2025-01-01 {\n    daily over 8h is OT x1.5\n  }\n}\n'),
        8, 8, "a policy needs a name",
    ),
    "policy without rules": (federal(*FED, tail='policy "P" {\n}\n'), 8, 1, 'policy "P" has no rules block'),
    "policy blocks overlap": (
        federal(
            *FED,
            tail='policy "P" {\n  rules from 2025-01-01 {\n    daily over 8h is OT x1.5\n  }\n'
            "  rules from 2025-06-01 {\n    daily over 9h is OT x1.5\n  }\n}\n",
        ),
        12, 3, "overlap the rules from 2025-01-01",
    ),
    "worker on two schedules": (
        federal(*FED, AWS, 'alternative workweek "b" for "W-1" on friday 8h'),
        7, 5, 'worker "W-1" is already on the alternative workweek "4x10" (line 6)',
    ),
    "day scheduled twice": (
        federal(*FED, 'alternative workweek "a" for "W-1" on monday 10h, monday 9h'),
        6, 55, "monday is scheduled twice",
    ),
    "day over twelve hours": (
        federal(*FED, 'alternative workweek "a" for "W-1" on monday 13h'), 6, 43, "at most 12 hours a day"
    ),
    "schedule over forty hours": (
        federal(*FED, AWS + ", friday 4h"), 6, 5, "adds up to 44h a week"
    ),
    "other days double time below overtime": (
        federal(*FED, AWS + ", other days over 8h is OT x1.5, other days over 8h is DT x2"),
        6, 129, "double time on other days starts at or below overtime",
    ),
    "other days class twice": (
        federal(*FED, AWS + ", other days over 8h is OT x1.5, other days over 9h is OT x1.5"),
        6, 129, "other days OT is given twice",
    ),
    "schedule without a name": (
        federal(*FED, 'alternative workweek "" for "W-1" on monday 8h'), 6, 5, "needs a name"
    ),
    "reporting time at least above at most": (
        federal(*FED, "reporting time pay half the scheduled day, at least 5h, at most 4h"),
        6, 5, "0 < at least <= at most < 24",
    ),
    "reporting time second report of no hours": (
        federal(*FED, "reporting time pay half the scheduled day, at least 2h, at most 4h, second report 0h"),
        6, 5, "a second report is paid more than 0",
    ),
    "reporting time twice": (
        federal(
            *FED,
            "reporting time pay half the scheduled day, at least 2h, at most 4h",
            "reporting time pay half the scheduled day, at least 2h, at most 3h",
        ),
        7, 5, 'a second "reporting time pay" in this rules block',
    ),
    "empty worker id": (federal(*FED, 'alternative workweek "a" for "" on monday 8h'), 6, 5, "is empty"),
    "every other week from another weekday": (
        federal(*FED, 'alternative workweek "a" for "W-1" on friday 8h every other week from 2026-01-10'),
        6, 75, "2026-01-10 is a saturday: every other friday counts from a friday, such as 2026-01-16",
    ),
    "every other week from no real date": (
        federal(*FED, 'alternative workweek "a" for "W-1" on friday 8h every other week from 2026-02-30'),
        6, 75, "2026-02-30 is not a real date",
    ),
    "every other week on the same weeks twice": (
        federal(*FED, 'alternative workweek "a" for "W-1" on friday 8h every other week from 2026-01-09, '
                'friday 4h every other week from 2026-01-23'),
        6, 87, "friday is scheduled twice (first as 8h every other week): keep one",
    ),
    "every week and every other week": (
        federal(*FED, 'alternative workweek "a" for "W-1" on friday 8h, friday 4h every other week from 2026-01-23'),
        6, 54, "friday is scheduled twice (first as 8h)",
    ),
    "two-week schedule over eighty hours": (
        federal(*FED, AWS + ", friday 8h every other week from 2026-01-09"),
        6, 5, "adds up to 88h over its two weeks (48h and 40h)",
    ),
}  # fmt: skip


def test_a_two_week_schedule_may_name_a_weekday_once_for_each_week() -> None:
    """A 9/80 with its Friday off every other week, and a schedule naming a Friday for each of the two
    weeks (8h, then 4h), are both accepted; `ot rules show` words the alternation and the workweek."""
    nine_eighty = (
        'alternative workweek "9/80" for "W-1" on monday 9h, tuesday 9h, wednesday 9h, thursday 9h, '
        "friday 8h every other week from 2026-01-09"
    )
    both = 'alternative workweek "b" for "W-2" on friday 8h every other week from 2026-01-09, friday 4h every other week from 2026-01-16'
    text = federal(*FED, nine_eighty, both)
    shown = describe(book_of(text), "federal", date(2026, 3, 2))  # book_of fails on any problem
    assert "Friday 8h every other week from 2026-01-09" in shown
    assert "begins in the middle of the day worked every other week (29 CFR 778.105)" in shown


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_lines_are_located_and_say_what_to_do(name: str) -> None:
    text, line, column, words = BAD[name]
    problems = errors_of(text).rules_problems
    assert any(
        p.line == line and p.column == column and words in p.message and p.where == f"t.ot:{line}:{column}"
        for p in problems
    ), [(p.where, p.message) for p in problems]


def test_show_words_each_construct() -> None:
    """`ot rules show` says each new construct in words, with its line."""
    text = federal(
        *FED,
        "sunday over 0h is OT x1.5",
        "holiday over 4h is DT x2",
        "split shift over 60 min is 1h at minimum wage, less wages above minimum",
        "spread of hours over 10h is 1h at minimum wage",
        AWS + ", other days over 0h is OT x1.5, other days over 8h is DT x2",
        "reporting time pay half the scheduled day, at least 2h, at most 4h, second report 2h",
        tail='policy "Company" {\n  rules from 2025-01-01 {\n    daily over 8h is OT x1.5\n  }\n}\n',
    )
    shown = describe(book_of(text), "federal", date(2026, 3, 2))
    for words in (
        "every hour of a workday that is a Sunday is overtime (OT), paid at 1.5x the regular rate",
        "hours over 4 on a workday that is a holiday of the calendar are double time (DT), paid at 2x",
        "split by more than 60 min off work (a split shift) owes 1h at the minimum wage (state or local, the "
        "higher), less what the day's pay earned above the minimum wage",
        "spread from the first start of work to the last end is over 10h owes 1h at the minimum wage (state or "
        "local, the higher), whatever the rate",
        'alternative workweek "4x10" of W-1 (Monday 10h, Tuesday 10h, Wednesday 10h, Thursday 10h): on a scheduled '
        "day, daily overtime starts after the hours scheduled",
        "on the other days, hours over 0 in a workday are overtime (OT)",
        "is paid for half the scheduled day, at least 2h and at most 4h, at the regular rate (the hours beyond "
        "those worked); a second report in a workday given less than 2h is paid 2h",
        'employer policy "Company", beside the law (the most favourable result wins): hours over 8 in a workday are '
        "overtime (OT)",
    ):
        assert words in shown, words


def test_the_example_file_words_the_new_states() -> None:
    """rules.example.ot's new state blocks, as `ot rules show --state XX` words them."""
    book = compile_file(EXAMPLE)
    assert "hours over 10 in a workday are overtime (OT), paid at 1.5x the regular rate, only when the " in describe(
        book, "OR", date(2026, 3, 2)
    )
    assert "hours over 48 in a workweek" in describe(book, "OR", date(2026, 3, 2))
    assert "hours over 55 in a workweek" in describe(book, "WA", date(2022, 3, 2))
    assert "spread from the first start of work" in describe(book, "NY", date(2026, 3, 2))
    assert "hours over 8 in a 24-hour period" in describe(book, "PR", date(2026, 3, 2))
    assert "every hour of a workday that is a Sunday" in describe(book, "RI", date(2026, 3, 2))
    assert "minimum wage $15.10 an hour" in describe(book, "ME", date(2026, 3, 2))


# --- a holiday a state's calendar leaves out (not holiday "...") --------------------------------

_HOLIDAYS = 'holidays from 2021-06-17 {\n    holiday "Juneteenth National Independence Day" on june 19\n  }\n'


def _with_federal_holidays(tail: str) -> str:
    return federal(*FED, tail=tail).replace("  }\n}\n", "  }\n  " + _HOLIDAYS + "}\n", 1)


def _ri(*lines: str) -> str:
    body = "".join(f"    {line}\n" for line in lines)
    return _with_federal_holidays(f"state RI extends federal {{\n  holidays from 2022-01-01 {{\n{body}  }}\n}}\n")


@pytest.mark.parametrize(
    ("text", "words", "suggestion"),
    [
        (
            _ri('not holiday "Junteenth National Independence Day"'),
            'no holiday "Junteenth National Independence Day" in the calendars RI extends (federal)',
            "Juneteenth National Independence Day",
        ),
        (
            _ri('holiday "Victory Day" on second monday of august', 'not holiday "Victory Day"'),
            '"Victory Day" is listed on line 13 of this block and dropped here: keep one of the two',
            None,
        ),
        (_ri('not holiday ""'), "not holiday needs a name", None),
    ],
)
def test_a_holiday_left_out_must_be_one_the_state_inherits(text: str, words: str, suggestion: str | None) -> None:
    problems = errors_of(text).rules_problems
    found = [p for p in problems if words in p.message]
    assert found, [(p.where, p.message) for p in problems]
    assert found[0].where.startswith("t.ot:1")
    if suggestion:
        assert found[0].suggestion == suggestion


def test_a_holiday_left_out_is_none_in_that_state_only_while_its_block_is_in_force() -> None:
    """R.I. Gen. Laws 5-23-1 (retail) lists no Juneteenth: a state that extends federal and says
    not holiday "Juneteenth National Independence Day" from 2022 keeps it in 2021 and drops it from
    2022; the federal calendar keeps it. The formatter writes the line back as it was."""
    text = _ri('not holiday "Juneteenth National Independence Day"')
    book = book_of(text)
    names = {h.day: h.name for h in book.holidays_between("RI", date(2021, 1, 1), date(2023, 12, 31))}
    assert names == {date(2021, 6, 19): "Juneteenth National Independence Day"}  # no observed lines here
    assert [h.day for h in book.holidays_between("FEDERAL", date(2022, 1, 1), date(2023, 12, 31))] == [
        date(2022, 6, 19),
        date(2023, 6, 19),
    ]
    assert format_text(text, "t.ot") == text
