"""One test per construct of the rules language: text -> AST -> compiled model values."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from decimal import Decimal

import pytest
from rules_helpers import book_of, federal, only_set, state

from rules import ast
from rules.compiler import compile_text, text_sha256
from rules.model import (
    BreakType,
    EmployerFlag,
    MealRule,
    RateBelowMinimumWage,
    RestRule,
    Rounding,
    Source,
    Threshold,
    WorkerTypeIn,
    WorkweekOver,
)
from rules.parser import parse


def test_version_header_and_positions() -> None:
    text = "# a comment first\nversion 1\n" + federal("weekly over 40h is OT x1.5").removeprefix("version 1\n")
    tree = parse(text, "t.ot")
    assert tree.version == Decimal(1)
    assert tree.version_pos.line == 2
    jurisdiction = tree.jurisdictions[0]
    assert (jurisdiction.pos.line, jurisdiction.pos.column) == (3, 1)
    stmt = jurisdiction.blocks[0].statements[0]
    assert isinstance(stmt, ast.ThresholdStmt)
    assert (stmt.pos.line, stmt.pos.column) == (5, 5)
    assert (stmt.multiplier_pos.line, stmt.multiplier_pos.column) == (5, 27)
    assert jurisdiction.blocks[0].end.line == 6
    assert jurisdiction.end.line == 7
    assert book_of(text).format_version == 1


def test_ast_nodes_are_immutable_and_compare_without_positions() -> None:
    tree = parse(federal("weekly over 40h is OT x1.5"))
    stmt = tree.jurisdictions[0].blocks[0].statements[0]
    assert isinstance(stmt, ast.ThresholdStmt)
    with pytest.raises(dataclasses.FrozenInstanceError):
        stmt.over = Decimal(1)  # type: ignore[misc]
    moved = parse("\n\n" + federal("weekly   over 40h is OT x1.5"))
    assert moved == tree
    assert moved.jurisdictions[0].pos != tree.jurisdictions[0].pos


def test_parse_never_hands_out_a_lark_tree() -> None:
    tree = parse(federal("weekly over 40h is OT x1.5", "no pyramiding"))

    def walk(node: object) -> None:
        assert type(node).__module__ in {"rules.ast", "builtins", "decimal"}, type(node)
        if dataclasses.is_dataclass(node):
            for f in dataclasses.fields(node):
                walk(getattr(node, f.name))
        elif isinstance(node, tuple):
            for item in node:
                walk(item)

    walk(tree)


def test_employer_block_sets_workweek_workday_and_facts() -> None:
    head = (
        'employer "Acme" {\n  workweek starts wednesday 06:30\n  workday starts 05:00\n'
        '  size 26\n  industry "agriculture"\n}\n'
    )
    tree = parse(federal("weekly over 40h is OT x1.5", head=head))
    employer = tree.employers[0]
    assert employer.name == "Acme"
    assert employer.lines == (
        ast.WorkweekStart("wednesday", "06:30"),
        ast.WorkdayStart("05:00"),
        ast.Fact("size", Decimal(26)),
        ast.Fact("industry", "agriculture"),
    )
    rules = only_set(book_of(federal("weekly over 40h is OT x1.5", head=head)))
    assert rules.workweek_start_day == 2
    assert rules.workweek_start_time == time(6, 30)
    assert rules.workday_start == time(5, 0)
    assert rules.employer == (("size", Decimal(26)), ("industry", "agriculture"))


def test_no_employer_block_means_sunday_midnight() -> None:
    rules = only_set(book_of(federal("weekly over 40h is OT x1.5")))
    assert (rules.workweek_start_day, rules.workweek_start_time, rules.workday_start) == (6, time(0), time(0))


def test_break_types() -> None:
    head = "break type MEAL unpaid\nbreak type REST paid\n"
    rules = only_set(book_of(federal("weekly over 40h is OT x1.5", head=head)))
    assert [(b.code, b.paid) for b in rules.break_types] == [("DEFAULT_UNPAID", False), ("MEAL", False), ("REST", True)]
    assert rules.break_type("REST") == BreakType("REST", True, Source("t.ot", 3, 1))


@pytest.mark.parametrize(
    ("text", "kind", "over", "hour_class", "multiplier", "label"),
    [
        ("daily over 8h is OT x1.5", "daily", "8", "OT", "1.5", "daily over 8h"),
        ("weekly over 40h is OT x1.5", "weekly", "40", "OT", "1.5", "weekly over 40h"),
        ("seventh day over 8h is DT x2", "seventh_day", "8", "DT", "2", "seventh day over 8h"),
        ("consecutive hours over 12h is OT x1.5", "consecutive", "12", "OT", "1.5", "over 12 consecutive hours"),
        ("24-hour period over 8h is OT x1.5", "rolling24", "8", "OT", "1.5", "over 8h in 24 hours"),
        ("daily over 7.5h is OT x1.25", "daily", "7.5", "OT", "1.25", "daily over 7.5h"),
    ],
)
def test_thresholds(text: str, kind: str, over: str, hour_class: str, multiplier: str, label: str) -> None:
    tree = parse(federal(text))
    stmt = tree.jurisdictions[0].blocks[0].statements[0]
    assert stmt == ast.ThresholdStmt(kind, Decimal(over), hour_class, Decimal(multiplier))
    (threshold,) = only_set(book_of(federal(text))).thresholds
    assert threshold == Threshold(
        kind,  # type: ignore[arg-type]
        Decimal(over),
        hour_class,  # type: ignore[arg-type]
        Decimal(multiplier),
        (),
        label,
        Source("t.ot", 4, 5),
    )


@pytest.mark.parametrize(
    ("condition", "compiled", "words"),
    [
        ("rate below 1.5x minimum wage", RateBelowMinimumWage(Decimal("1.5")), "rate < 1.5x minimum wage"),
        ("worker type is W2", WorkerTypeIn(frozenset({"W2"})), "worker type is W2"),
        ("worker type is W2 or 1099", WorkerTypeIn(frozenset({"W2", "1099"})), "worker type is 1099 or W2"),
        ("employer size >= 26", EmployerFlag("size", ">=", Decimal(26)), "employer size >= 26"),
        ("employer size < 4", EmployerFlag("size", "<", Decimal(4)), "employer size < 4"),
        ("employer size <= 4", EmployerFlag("size", "<=", Decimal(4)), "employer size <= 4"),
        ("employer size > 4", EmployerFlag("size", ">", Decimal(4)), "employer size > 4"),
        (
            'employer industry is "agriculture"',
            EmployerFlag("industry", "==", "agriculture"),
            'employer industry is "agriculture"',
        ),
        (
            'employer industry is not "retail"',
            EmployerFlag("industry", "!=", "retail"),
            'employer industry is not "retail"',
        ),
    ],
)
def test_conditions(condition: str, compiled: object, words: str) -> None:
    head = 'employer {\n  size 30\n  industry "retail"\n}\n'
    text = federal(f"daily over 8h is OT x1.5 when {condition}", head=head)
    (threshold,) = only_set(book_of(text)).thresholds
    assert threshold.conditions == (compiled,)
    assert threshold.label == f"daily over 8h when {words}"


def test_several_conditions_all_hold() -> None:
    """NRS 608.018(1): daily overtime in Nevada only below 1.5x the minimum wage."""
    head = "employer {\n  size 30\n}\n"
    text = federal(
        "24-hour period over 8h is OT x1.5 when rate below 1.5x minimum wage and employer size >= 2", head=head
    )
    (threshold,) = only_set(book_of(text)).thresholds
    assert threshold.conditions == (RateBelowMinimumWage(Decimal("1.5")), EmployerFlag("size", ">=", Decimal(2)))
    assert threshold.label == "over 8h in 24 hours when rate < 1.5x minimum wage and employer size >= 2"


def test_minimum_wages_sorted_by_date() -> None:
    text = federal("minimum wage 16.90 from 2026-01-01", "minimum wage 16.50 from 2025-01-01", since="2025-01-01")
    rules = only_set(book_of(text))
    assert [(m.effective, m.amount) for m in rules.minimum_wages] == [
        (date(2025, 1, 1), Decimal("16.50")),
        (date(2026, 1, 1), Decimal("16.90")),
    ]
    assert rules.minimum_wage_on(date(2025, 12, 31)) == Decimal("16.50")
    assert rules.minimum_wage_on(date(2026, 1, 1)) == Decimal("16.90")
    assert rules.minimum_wages[0].source == Source("t.ot", 5, 5)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("no overtime for 1099", "no_overtime_worker_types", frozenset({"1099"})),
        ("no overtime for 1099, W2", "no_overtime_worker_types", frozenset({"1099", "W2"})),
        ("paid not worked PTO, SICK never count toward overtime", "not_worked_pay_types", frozenset({"PTO", "SICK"})),
        ("short breaks up to 20 min are worked", "short_break_paid_minutes", 20),
        ("short breaks up to 15min are worked", "short_break_paid_minutes", 15),
        ("short breaks are not worked", "short_break_paid_minutes", None),
        ("regular rate weighted average", "regular_rate", "weighted_average"),
        ("combine most favourable", "combine", "most_favourable"),
        ("combine most favorable", "combine", "most_favourable"),
        ("no pyramiding", "no_pyramiding", True),
        ("pyramiding allowed", "no_pyramiding", False),
    ],
)
def test_policies(text: str, field: str, value: object) -> None:
    rules = only_set(book_of(federal(text)))
    assert getattr(rules, field) == value
    assert len(rules.policy_sources) == 1
    assert rules.policy_sources[0][1] == Source("t.ot", 4, 5)


@pytest.mark.parametrize(
    ("text", "minutes"), [("rounding none", 0), ("rounding to nearest 15 min", 15), ("rounding to nearest 6 min", 6)]
)
def test_rounding(text: str, minutes: int) -> None:
    """29 CFR 785.48(b): rounding to the nearest 5, 6 or 15 minutes, neutral."""
    rules = only_set(book_of(federal(text)))
    assert rules.rounding == Rounding(minutes, "nearest", Source("t.ot", 4, 5))


def test_meal_period_with_every_clause() -> None:
    """Cal. Lab. Code 512(a) and 226.7(c): meal periods, waivers and the one-hour premium."""
    line = (
        "meal period 30 min before end of hour 5 when over 5h, second before end of hour 10 when over 10h, "
        "premium 1h, waivable up to 6h, second waivable up to 12h, at most 2 premiums per day, taken as MEAL or DEFAULT_UNPAID"
    )
    text = federal(line, head="break type MEAL unpaid\n")
    stmt = parse(text).jurisdictions[0].blocks[0].statements[0]
    assert isinstance(stmt, ast.MealStmt)
    assert len(stmt.clauses) == 6
    meal = only_set(book_of(text)).meal
    assert meal == MealRule(
        first_after_hours=Decimal(5),
        first_by_hour=Decimal(5),
        second_after_hours=Decimal(10),
        second_by_hour=Decimal(10),
        minimum_minutes=30,
        premium_hours=Decimal(1),
        max_premiums_per_day=2,
        first_waivable_up_to_hours=Decimal(6),
        second_waivable_up_to_hours=Decimal(12),
        label="meal period 30 min before end of hour 5",
        source=Source("t.ot", 5, 5),
        break_types=("MEAL", "DEFAULT_UNPAID"),
    )


def test_meal_period_minimal() -> None:
    meal = only_set(book_of(federal("meal period 30 min before end of hour 5 when over 5h, premium 1h"))).meal
    assert meal is not None
    assert (meal.second_by_hour, meal.first_waivable_up_to_hours, meal.max_premiums_per_day, meal.break_types) == (
        None,
        None,
        1,
        (),
    )


def test_rest_period() -> None:
    """IWC wage orders section 12: 10 minutes per 4 hours or major fraction, over 3.5 hours."""
    text = federal("rest period 10 min per 4h when over 3.5h, premium 1h, taken as REST", head="break type REST paid\n")
    assert only_set(book_of(text)).rest == RestRule(
        10, Decimal(4), Decimal("3.5"), Decimal(1), "rest period 10 min per 4h", Source("t.ot", 5, 5), ("REST",)
    )


def test_rules_blocks_with_until_are_versions() -> None:
    text = (
        "version 1\nfederal {\n"
        "  rules from 2025-01-01 until 2025-12-31 {\n    weekly over 40h is OT x1.5\n  }\n"
        "  rules from 2026-01-01 {\n    weekly over 38h is OT x1.5\n  }\n}\n"
    )
    book = book_of(text)
    first, second = dict(book.versions)["FEDERAL"]
    assert (first.effective, first.until, second.effective, second.until) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
        date(2026, 1, 1),
        None,
    )
    assert book.effective("FEDERAL", date(2025, 12, 31)).thresholds[0].over == 40
    assert book.effective("FEDERAL", date(2026, 1, 1)).thresholds[0].over == 38


def test_state_inherits_and_a_child_threshold_replaces_its_parents_of_the_same_kind_and_class() -> None:
    """Minn. Stat. 177.25: Minnesota's weekly 48 replaces the weekly 40 inside Minnesota's own set."""
    text = federal("minimum wage 7.25 from 2009-07-24", "weekly over 40h is OT x1.5", "no pyramiding") + state(
        "MN", "weekly over 48h is OT x1.5", "daily over 10h is OT x1.5"
    )
    book = book_of(text)
    mn = only_set(book, "MN")
    assert [t.label for t in mn.thresholds] == ["weekly over 48h", "daily over 10h"]
    assert mn.minimum_wages == only_set(book).minimum_wages
    assert mn.no_pyramiding is True
    assert dict(mn.policy_sources)["pyramiding"] == Source("t.ot", 6, 5)
    assert mn.parent == "FEDERAL"
    assert mn.jurisdiction == "MN"
    assert mn.source == Source("t.ot", 9, 1)


def test_child_replaces_minimum_wages_meal_and_policies() -> None:
    text = federal("minimum wage 7.25 from 2009-07-24", "rounding none") + state(
        "CA", "minimum wage 16.50 from 2025-01-01", "rounding to nearest 5 min"
    )
    ca = only_set(book_of(text), "CA")
    assert [m.amount for m in ca.minimum_wages] == [Decimal("16.50")]
    assert ca.rounding.minutes == 5


def test_child_blocks_are_split_at_the_parents_boundaries() -> None:
    text = (
        "version 1\nfederal {\n"
        "  rules from 2020-01-01 until 2025-06-30 {\n    weekly over 40h is OT x1.5\n  }\n"
        "  rules from 2025-07-01 {\n    weekly over 40h is OT x1.5\n    rounding to nearest 15 min\n  }\n}\n"
    ) + state("CA", "daily over 8h is OT x1.5", since="2025-01-01")
    sets = dict(book_of(text).versions)["CA"]
    assert [(s.effective, s.until, s.rounding.minutes) for s in sets] == [
        (date(2025, 1, 1), date(2025, 6, 30), 0),
        (date(2025, 7, 1), None, 15),
    ]


def test_state_extending_a_state_and_a_state_without_parent() -> None:
    text = (
        federal("weekly over 40h is OT x1.5")
        + state("CA", "daily over 8h is OT x1.5")
        + state("NV", "daily over 9h is OT x1.5", extends="CA")
        + state("TX", "daily over 10h is OT x1.5", extends="")
    )
    book = book_of(text)
    assert [t.label for t in only_set(book, "NV").thresholds] == ["weekly over 40h", "daily over 9h"]
    assert [t.label for t in only_set(book, "TX").thresholds] == ["daily over 10h"]
    assert only_set(book, "TX").parent is None
    assert only_set(book, "NV").parent == "CA"
    assert book.jurisdictions() == ("FEDERAL", "CA", "NV", "TX")


def test_a_state_without_a_block_falls_back_to_federal() -> None:
    book = book_of(federal("weekly over 40h is OT x1.5"))
    assert book.effective("NY", date(2026, 1, 5)) is only_set(book)


def test_comments_are_kept_in_the_tree() -> None:
    tree = parse("# top\nversion 1  # v\n" + federal("weekly over 40h is OT x1.5  # flsa").removeprefix("version 1\n"))
    assert [(c.text, c.own_line, c.pos.line) for c in tree.comments] == [
        ("# top", True, 1),
        ("# v", False, 2),
        ("# flsa", False, 5),
    ]


def test_a_hash_inside_a_quoted_text_is_not_a_comment() -> None:
    tree = parse(federal("weekly over 40h is OT x1.5", head='employer "No #1 Co" {\n}\n'))
    assert tree.employers[0].name == "No #1 Co"
    assert tree.comments == ()


def test_windows_line_endings_and_no_final_newline() -> None:
    text = federal("weekly over 40h is OT x1.5").replace("\n", "\r\n").rstrip()
    assert parse(text) == parse(federal("weekly over 40h is OT x1.5"))


def test_sha256_is_of_the_text() -> None:
    text = federal("weekly over 40h is OT x1.5")
    assert compile_text(text).sha256 == text_sha256(text)
    assert len(text_sha256(text)) == 64
    assert compile_text(text + "# changed\n").sha256 != compile_text(text).sha256


def test_minimum_wage_measure() -> None:
    """29 CFR 776.5 (the workweek is the FLSA's unit) and Armenta v. Osmose, Inc. (2005) 135
    Cal.App.4th 314 (California: every hour): "minimum wage measured per hour/workweek"; a state
    inherits federal's measure unless it says its own."""
    text = (
        federal("minimum wage 7.25 from 2009-07-24", "minimum wage measured per workweek")
        + state("CA", "minimum wage 16.50 from 2025-01-01", "minimum wage measured per hour")
        + state("TX", "minimum wage 7.25 from 2025-01-01")
    )
    book = book_of(text)
    assert only_set(book).minimum_wage_per_hour is False
    assert only_set(book, "CA").minimum_wage_per_hour is True
    assert only_set(book, "TX").minimum_wage_per_hour is False
    stmt = parse(text).jurisdictions[1].blocks[0].statements[1]
    assert stmt == ast.MinimumWageMeasure(True)


def test_workweek_over_condition() -> None:
    """KRS 337.050(2)(a): "when workweek over 40h" on the seventh-day rule."""
    book = book_of(federal("seventh day over 0h is OT x1.5 when workweek over 40h"))
    (threshold,) = only_set(book).thresholds
    assert threshold.conditions == (WorkweekOver(Decimal(40)),)
    assert threshold.label == "seventh day over 0h when workweek over 40h"


def test_24_hour_period_without_overlap() -> None:
    """NRS 608.0126, the other reading: periods never overlap."""
    book = book_of(federal("24-hour period without overlap over 8h is OT x1.5 when rate below 1.5x minimum wage"))
    (threshold,) = only_set(book).thresholds
    assert threshold.kind == "rolling24_chained"
    assert threshold.label == "over 8h in 24 hours (periods never overlap) when rate < 1.5x minimum wage"


def test_rest_evidence() -> None:
    """Cal. Lab. Code 226.7: what shows a rest period was missed; the worker's answer alone by default."""
    rule = "rest period 10 min per 4h when over 3.5h, premium 1h, taken as REST, evidence breaks or attestation"
    both = only_set(book_of(federal(rule, head="break type REST paid\n"))).rest
    plain = only_set(book_of(federal("rest period 10 min per 4h when over 3.5h, premium 1h"))).rest
    assert both is not None
    assert plain is not None
    assert both.evidence == ("breaks", "attestation")
    assert plain.evidence == ("attestation",)


def test_local_blocks() -> None:
    """Denver Revised Municipal Code 58-16: a city's minimum wage as a local block: its figures by
    date, found by a location's city (or county), in force only from its block's date."""
    text = federal("minimum wage 7.25 from 2009-07-24") + (
        'local "Denver, CO" {\n'
        "  rules from 2024-01-01 {\n"
        "    minimum wage 18.29 from 2024-01-01\n"
        "    minimum wage 18.81 from 2025-01-01\n"
        "  }\n"
        "}\n"
        'local "King County, WA" {\n'
        "  rules from 2025-01-01 {\n"
        "    minimum wage 20.29 from 2025-01-01\n"
        "    minimum wage measured per hour\n"
        "  }\n"
        "}\n"
    )
    tree = parse(text)
    assert [(lb.name, lb.place, lb.state) for lb in tree.locals] == [
        ("Denver, CO", "Denver", "CO"),
        ("King County, WA", "King County", "WA"),
    ]
    book = book_of(text)
    assert [lr.name for lr in book.locals] == ["Denver, CO", "King County, WA"]
    wages = book.local_wages("CO", "DENVER", None, date(2025, 2, 1))
    assert [(lr.name, mw.amount, mw.source.line) for lr, _v, mw in wages] == [("Denver, CO", Decimal("18.81"), 10)]
    assert book.local_wages("CO", "Denver", None, date(2023, 6, 1)) == ()
    (king,) = book.local_wages("WA", "Kent", "King", date(2025, 2, 1))
    assert king[1].per_hour is True
    assert book.jurisdictions() == ("FEDERAL",)
