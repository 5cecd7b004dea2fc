"""``minimum wage adjusted yearly from DATE``: a minimum wage the law sets anew every year.

California adjusts its minimum wage every January 1 for inflation (Lab. Code 1182.12(c)); Washington
(RCW 49.46.020(2)(b)), Colorado (Colo. Const. art. XVIII, sec. 15), Maine (26 M.R.S. 664(1)) and many
cities do the same, on January 1 or July 1 (Los Angeles: LAMC 187.02). ot cannot know a figure before
the agency publishes it; it says when a date is on or after an adjustment the rules have no figure from.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rules_helpers import EXAMPLE, federal, state

from ot.cli import main
from rules.compiler import compile_text
from rules.errors import RulesError
from rules.fmt import format_text
from rules.model import MinimumWage, YearlyAdjustment, missing_wage

CA = state(
    "CA",
    "minimum wage 16.50 from 2025-01-01  # DIR annual adjustment for 2025",
    "minimum wage 16.90 from 2026-01-01  # DIR annual adjustment for 2026",
    "minimum wage adjusted yearly from 2023-01-01  # Lab. Code 1182.12(c)",
    since="2022-01-01",
)
LA = """local "Los Angeles, CA" {
  rules from 2022-01-01 {
    minimum wage 17.87 from 2025-07-01  # LAMC 187.02
    minimum wage adjusted yearly from 2022-07-01
  }
}
"""
TEXT = federal("minimum wage 7.25 from 2009-07-24", tail=CA + LA)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.ot"
    path.write_text(text, encoding="utf-8")
    return path


def problems(text: str) -> list[str]:
    with pytest.raises(RulesError) as caught:
        compile_text(text, "t.ot")
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def test_the_statement_compiles_formats_and_reads_back() -> None:
    book = compile_text(TEXT, "t.ot")
    ca = book.effective("CA", date(2026, 12, 7))
    assert ca.minimum_wage_adjusted == YearlyAdjustment(date(2023, 1, 1), ca.minimum_wage_adjusted.source)  # type: ignore[union-attr]
    assert str(ca.minimum_wage_adjusted.source) == "t.ot:11"  # type: ignore[union-attr]
    (la,) = book.locals
    assert la.versions[0].adjusted is not None
    assert la.versions[0].adjusted.first == date(2022, 7, 1)
    messy = TEXT.replace("minimum wage adjusted yearly", "minimum  wage adjusted   yearly")
    assert format_text(messy, "t.ot") == format_text(TEXT, "t.ot")
    assert "    minimum wage adjusted yearly from 2023-01-01  # Lab. Code 1182.12(c)\n" in format_text(TEXT, "t.ot")
    # federal (no statement of its own): not adjusted (a state's own figures: the NV test below)
    assert book.effective("FEDERAL", date(2026, 12, 7)).minimum_wage_adjusted is None


def test_a_block_of_its_own_figures_is_not_adjusted_by_what_it_builds_on() -> None:
    text = federal(
        "minimum wage 7.25 from 2009-07-24", tail=CA + state("NV", "minimum wage 12.00 from 2024-07-01", extends="CA")
    )
    book = compile_text(text, "t.ot")
    assert book.effective("NV", date(2026, 12, 7)).minimum_wage_adjusted is None
    inherits = federal(
        "minimum wage 7.25 from 2009-07-24", tail=CA + state("NV", "daily over 8h is OT x1.5", extends="CA")
    )
    # without figures of its own it measures CA's figures, adjusted as CA's are
    adjusted = compile_text(inherits, "t.ot").effective("NV", date(2026, 12, 7)).minimum_wage_adjusted
    assert adjusted is not None
    assert adjusted.first == date(2023, 1, 1)


def test_bad_statements_are_refused_where_they_are_written() -> None:
    leap = federal("minimum wage 7.25 from 2009-07-24", "minimum wage adjusted yearly from 2024-02-29")
    assert problems(leap) == [
        "5:39: February 29 is not in every year: write the date the law adjusts the minimum wage on in other years"
    ]
    assert problems(federal("minimum wage 7.25 from 2009-07-24", "minimum wage adjusted yearly from 2024-02-30")) == [
        "5:39: 2024-02-30 is not a real date: write a date that exists, as YYYY-MM-DD"
    ]
    twice = federal(
        "minimum wage 7.25 from 2009-07-24",
        "minimum wage adjusted yearly from 2023-01-01",
        "minimum wage adjusted yearly from 2023-07-01",
    )
    assert problems(twice) == [
        '6:5: a second "minimum wage adjusted yearly" in this rules block (first on line 5): keep one'
    ]
    alone = federal(
        "minimum wage 7.25 from 2009-07-24", tail=state("CA", "minimum wage adjusted yearly from 2023-01-01")
    )
    assert problems(alone) == [
        "9:5: a yearly adjustment of no minimum wage: write this block's figures (minimum wage 16.90 from "
        "2026-01-01) beside it"
    ]


@given(
    first=st.dates(date(2000, 1, 1), date(2090, 12, 31)).filter(lambda d: (d.month, d.day) != (2, 29)),
    later=st.integers(0, 4000),
)
def test_the_adjustment_due_is_the_last_anniversary_on_or_before_the_day(first: date, later: int) -> None:
    day = first + timedelta(days=later)
    due = YearlyAdjustment(first).due_on(day)
    assert due is not None
    assert (due.month, due.day) == (first.month, first.day)
    assert first <= due <= day
    assert due.replace(year=due.year + 1) > day  # the next one is still to come
    assert YearlyAdjustment(first).due_on(first - timedelta(days=1)) is None


@given(
    first=st.dates(date(2015, 1, 1), date(2030, 12, 31)).filter(lambda d: (d.month, d.day) != (2, 29)),
    figures=st.lists(st.dates(date(2010, 1, 1), date(2035, 12, 31)), max_size=6, unique=True),
    day=st.dates(date(2010, 1, 1), date(2036, 12, 31)),
)
def test_a_figure_is_missing_exactly_when_the_one_in_force_is_older_than_the_adjustment(
    first: date, figures: list[date], day: date
) -> None:
    wages = tuple(MinimumWage(d, Decimal(10 + i)) for i, d in enumerate(sorted(figures)))
    adjusted = YearlyAdjustment(first)
    found = missing_wage("CA", wages, adjusted, day)
    due = adjusted.due_on(day)
    in_force = [d for d in figures if d <= day]
    expected = due is not None and (not in_force or max(in_force) < due)
    assert (found is not None) == expected
    if found is not None:
        assert found.due == due
        assert found.last == (wages[[w.effective for w in wages].index(max(in_force))] if in_force else None)
    assert missing_wage("CA", wages, None, day) is None


def test_missing_figures_at_a_location() -> None:
    """A Los Angeles location on 2026-12-07: LA's July 1 2026 figure (LAMC 187.02) is missing, CA's 2026 one
    is written; on 2027-01-04 CA's January 1 2027 figure (Lab. Code 1182.12(c)) is missing too."""
    book = compile_text(TEXT, "t.ot")
    found = book.missing_wages("CA", "Los Angeles", None, date(2026, 12, 7))
    assert [(m.where, m.due) for m in found] == [("Los Angeles, CA", date(2026, 7, 1))]
    assert found[0].last is not None
    assert found[0].last.amount == Decimal("17.87")
    later = book.missing_wages("CA", "Los Angeles", None, date(2027, 1, 4))
    assert [(m.where, m.due) for m in later] == [("CA", date(2027, 1, 1)), ("Los Angeles, CA", date(2026, 7, 1))]
    assert book.missing_wages("CA", "San Diego", None, date(2026, 12, 7)) == ()
    assert book.missing_wages("TX", None, None, date(2027, 1, 4)) == ()
    message = later[0].message()
    assert message.startswith("CA: the minimum wage is adjusted every year on January 1 (t.ot:11)")
    assert "the last figure, 16.90 from 2026-01-01, is used meanwhile" in message
    assert "write the agency's figure for each (minimum wage N from DATE; the same figure again" in message
    assert "`ot rules adopt FILE --from DATE`: hours paid below it become corrections" in message


def test_rules_check_warns_of_missing_and_coming_figures(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, TEXT)
    result = cli.invoke(main, ["rules", "check", str(path), "--date", "2026-12-07"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}: ok (2 jurisdictions, 2 rule sets)"
    assert lines[1].startswith(
        f"warning: Los Angeles, CA: the minimum wage is adjusted every year on July 1 ({path}:17)"
    )
    assert lines[2].startswith("warning: in 25 days, CA: the minimum wage is adjusted every year on January 1")
    assert lines[2].endswith(
        "no figure from 2027-01-01 yet: write the agency's figure (minimum wage N from 2027-01-01; the same figure "
        "again if it does not change) before paying hours from then"
    )
    assert len(lines) == 3
    quiet = cli.invoke(main, ["rules", "check", str(path), "--date", "2025-08-01"])
    assert quiet.stdout == f"{path}: ok (2 jurisdictions, 2 rule sets)\n"
    data = cli.invoke(main, ["rules", "check", str(path), "--date", "2026-12-07", "--json"])
    assert data.exit_code == 0
    import json

    assert [n.split(":")[0] for n in json.loads(data.stdout)["notices"]] == ["Los Angeles, CA", "in 25 days, CA"]


def test_rules_show_says_the_figure_is_missing(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, TEXT)
    out = cli.invoke(main, ["rules", "show", str(path), "--state", "CA", "--date", "2027-01-04"]).stdout
    assert f"  {path}:11  the minimum wage is adjusted every year on January 1, from 2023-01-01\n" in out
    assert "MISSING: no figure from 2027-01-01; write the agency's figure into the rules\n" in out
    assert "local minimum wage in Los Angeles: adjusted every year on July 1, from 2022-07-01" in out
    assert out.count("MISSING") == 2
    before = cli.invoke(main, ["rules", "show", str(path), "--state", "CA", "--date", "2026-06-30"]).stdout
    assert "MISSING" not in before


def test_the_shipped_file_marks_the_indexed_minimum_wages(cli: CliRunner) -> None:
    """rules.example.ot: on 2025-08-01 every yearly figure is written; on 2026-12-07 the ones published
    for 2026 that it lacks are named, and those due on 2027-01-01 (CA, Lab. Code 1182.12(c); WA, RCW
    49.46.020(2)(b); NY, Labor Law 652 as amended in 2023) are announced."""
    quiet = cli.invoke(main, ["rules", "check", "--date", "2025-08-01"])
    assert quiet.stdout == f"{EXAMPLE}: ok (14 jurisdictions, 19 rule sets)\n"
    out = cli.invoke(main, ["rules", "check", "--date", "2026-12-07"]).stdout
    for where in ("CA", "WA", "NY", "CO", "ME", "MN", "Seattle, WA", "Denver, CO"):
        assert f"warning: in 25 days, {where}: the minimum wage is adjusted every year on January 1" in out
    for where in ("OR", "Los Angeles, CA", "San Francisco, CA", "Washington, DC"):
        assert f"warning: {where}: the minimum wage is adjusted every year on July 1" in out


def test_every_adjustment_missed_since_the_last_figure_is_named() -> None:
    """Mountain View's figures stop at 2025-01-01 (Mountain View City Code ch. 42 adjusts every January 1):
    on 2027-01-04 both 2026-01-01 and 2027-01-01 are missing, and both are named."""
    book = compile_text(
        TEXT.replace("Los Angeles, CA", "Mountain View, CA")
        .replace("2025-07-01", "2025-01-01")
        .replace("2022-07-01", "2022-01-01"),
        "t.ot",
    )
    (found,) = [m for m in book.missing_wages("CA", "Mountain View", None, date(2027, 1, 4)) if m.where != "CA"]
    assert found.missed == (date(2026, 1, 1), date(2027, 1, 1))
    assert found.due == date(2027, 1, 1)
    assert "no figure from 2026-01-01 nor 2027-01-01" in found.message()
    # before the first adjustment nothing is due; a figure dated on the adjustment itself is enough
    adjusted = YearlyAdjustment(date(2023, 1, 1))
    wages = (MinimumWage(date(2022, 1, 1), Decimal("15.00")), MinimumWage(date(2023, 1, 1), Decimal("15.50")))
    assert missing_wage("CA", wages, adjusted, date(2022, 12, 31)) is None
    assert missing_wage("CA", wages, adjusted, date(2023, 1, 1)) is None
    later = missing_wage("CA", wages, adjusted, date(2025, 6, 1))
    assert later is not None
    assert later.missed == (date(2024, 1, 1), date(2025, 1, 1))
    # a figure listed for a later date is not in force yet
    ahead = (*wages, MinimumWage(date(2026, 1, 1), Decimal("16.90")))
    assert missing_wage("CA", ahead, adjusted, date(2025, 6, 1)) == later


def test_a_county_and_a_local_block_that_ended() -> None:
    """A county's block matches by county; a local block whose version has ended says nothing after it."""
    text = (
        TEXT
        + """local "King County, WA" {
  rules from 2022-01-01 until 2025-12-31 {
    minimum wage 20.00 from 2025-01-01
    minimum wage adjusted yearly from 2025-01-01
  }
}
"""
    )
    book = compile_text(text, "t.ot")
    assert [m.where for m in book.missing_wages("WA", "Kent", "King County", date(2025, 6, 1))] == []
    assert [m.where for m in book.missing_wages("WA", "Kent", "King County", date(2026, 2, 1))] == []
    hole = text.replace("minimum wage 20.00 from 2025-01-01", "minimum wage 20.00 from 2024-01-01")
    found = compile_text(hole, "t.ot").missing_wages("WA", "Kent", "King County", date(2025, 6, 1))
    assert [(m.where, m.due) for m in found] == [("King County, WA", date(2025, 1, 1))]


def test_a_state_that_inherits_an_adjustment_reports_it_once(tmp_path: Path) -> None:
    """NV here extends CA with no figures of its own: it measures CA's, adjusted as CA's are; `rules check`
    names the missing 2027 figure once (its line is CA's)."""
    text = federal("minimum wage 7.25 from 2009-07-24", tail=CA + state("NV", "daily over 8h is OT x1.5", extends="CA"))
    book = compile_text(text, "t.ot")
    assert [m.where for m in book.missing_wages_anywhere(date(2027, 1, 4))] == ["CA"]
    assert [m.where for m in book.missing_wages("NV", None, None, date(2027, 1, 4))] == ["NV"]


def test_check_names_a_place_behind_once(cli: CliRunner, tmp_path: Path) -> None:
    """A place already missing a figure is not announced again for its next one (it is behind)."""
    text = TEXT.replace("minimum wage 17.87 from 2025-07-01  # LAMC 187.02", "minimum wage 17.87 from 2025-07-01")
    path = write(tmp_path, text)
    out = cli.invoke(main, ["rules", "check", str(path), "--date", "2027-06-15"]).stdout
    assert out.count("Los Angeles, CA:") == 1
    assert "no figure from 2026-07-01 nor 2027-07-01" not in out  # (2027-07-01 is still to come on 2027-06-15)
    assert "in 16 days" not in out


def test_adopting_a_file_names_the_figures_it_lacks(cli: CliRunner, small_ledger: Path, tmp_path: Path) -> None:
    """`ot rules adopt` says what `ot rules check` would on the day the file takes effect (or today, the
    later): Los Angeles' July 1 figures (LAMC 187.02) stop at 2025 in this file, so from 2026-07-01 on one
    is missing, whatever today is."""
    path = write(tmp_path, TEXT)
    result = cli.invoke(main, ["rules", "adopt", str(path), "--from", "2026-11-01"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("adopted rules.ot (sha256 ")
    assert any(
        line.startswith("warning: Los Angeles, CA: the minimum wage is adjusted every year on July 1")
        for line in lines[1:]
    )
    data = cli.invoke(main, ["rules", "adopt", str(path), "--from", "2026-11-01", "--json"])
    assert data.exit_code == 0, data.stderr
    import json

    assert any(n.startswith("Los Angeles, CA:") for n in json.loads(data.stdout)["notices"])
