"""Earnings a review found accepted: a bonus earned over a period still running when it is paid, a
period of years, amounts of 0 (``-0`` kept as "-0"), and a second identical bonus in a later file
dropped as "already in the ledger". Each is refused at FILE:LINE:COLUMN (or the option of
``ot earning add``, which reads earnings through the same reader), saying what to do, nothing written.

The law: a bonus or commission whose amount is known only after a period is apportioned *back* over
the workweeks of the period it was earned in (29 CFR 778.209(a); commissions, 778.119), so that period
ends by the day it is paid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from input_review_support import build_small, copy_ledger, ot, refused_cleanly, write

HEAD = "worker_id,date,kind,amount,quantity,unit_rate,earned_from,earned_to,note\n"


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("earnings"))


@pytest.fixture
def company(master: Path, tmp_path: Path) -> Path:
    return copy_ledger(master, tmp_path / "ledger.db")


def earnings(ledger: Path) -> list[dict[str, str]]:
    result = ot(ledger, "earning", "list", "--json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, str]] = json.loads(result.stdout)
    return rows


def test_a_period_ending_after_the_pay_date_is_refused(company: Path, tmp_path: Path) -> None:
    """29 CFR 778.209(a): apportioned back over the weeks it was earned in, once its amount is known."""
    f = write(tmp_path, "e.csv", HEAD + "W1,2026-11-19,bonus,100,,,2026-11-01,2027-11-01,\n")
    refused_cleanly(
        company,
        "import",
        "earnings",
        f,
        says=(
            f"{f}:2:8: earned_to 2027-11-01 is after the date it is paid (2026-11-19)",
            "29 CFR 778.209(a)",
            "give the period's last day (on or before 2026-11-19), or the date it is paid",
        ),
    )


@pytest.mark.parametrize("kind", ["bonus", "commission"])
def test_earning_add_applies_the_same_check(company: Path, kind: str) -> None:
    args = ("W1", "--date", "2026-11-19", "--kind", kind, "--amount", "100", "--earned-from", "2026-11-01")
    refused_cleanly(
        company,
        "earning",
        "add",
        *args,
        "--earned-to",
        "2026-11-20",
        says=("--earned-to: earned_to 2026-11-20 is after the date it is paid", "nothing was written"),
    )


def test_a_period_ending_on_the_pay_date_is_accepted(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "e.csv", HEAD + "W1,2026-11-19,bonus,100,,,2026-11-01,2026-11-19,\n")
    result = ot(company, "import", "earnings", f)
    assert result.exit_code == 0, result.stderr
    assert [(e["earned_from"], e["earned_to"]) for e in earnings(company)] == [("2026-11-01", "2026-11-19")]


def test_earned_to_before_earned_from_is_refused(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "e.csv", HEAD + "W1,2026-11-19,bonus,100,,,2026-11-10,2026-11-01,\n")
    refused_cleanly(company, "import", "earnings", f, says=(f"{f}:2:8: earned_to 2026-11-01 is before earned_from",))


def test_a_period_longer_than_a_53_week_year_is_refused(company: Path, tmp_path: Path) -> None:
    """A sanity bound, not a law (ledger.earnings_csv.MAX_PERIOD_DAYS): a mistyped year spread a bonus over
    ten years of weeks. 2025-11-13..2026-11-18 is 371 days (53 weeks): accepted; a day more is not."""
    f = write(tmp_path, "e.csv", HEAD + "W1,2026-11-19,bonus,100,,,2016-11-01,2026-11-01,\n")
    refused_cleanly(
        company,
        "import",
        "earnings",
        f,
        says=(f"{f}:2:7: 2016-11-01 to 2026-11-01 is 3653 days: a period is at most a year (371 days", "one row per"),
    )
    f = write(tmp_path, "e.csv", HEAD + "W1,2026-11-19,bonus,100,,,2025-11-12,2026-11-18,\n")
    refused_cleanly(company, "import", "earnings", f, says=(f"{f}:2:7: 2025-11-12 to 2026-11-18 is 372 days",))
    f = write(tmp_path, "e.csv", HEAD + "W1,2026-11-19,bonus,100,,,2025-11-13,2026-11-18,\n")
    assert ot(company, "import", "earnings", f).exit_code == 0


def test_amounts_of_zero_are_refused(company: Path, tmp_path: Path) -> None:
    text = HEAD + "W1,2026-11-19,bonus,0,,,,,\nW1,2026-11-19,bonus,-0,,,,,\nW1,2026-11-19,bonus,0.00,,,,,\n"
    text += "W1,2026-11-19,piece,,0.001,1,,,\n"
    f = write(tmp_path, "z.csv", text)
    refused_cleanly(
        company,
        "import",
        "earnings",
        f,
        says=(
            f"{f}:2:4: amount '0' is 0: an earning pays something: give the dollars, or leave it out",
            f"{f}:3:4: amount '-0' is 0",
            f"{f}:4:4: amount '0.00' is 0",
            f"{f}:5:5: quantity x unit_rate comes to 0.00",
            "4 problems on 4 rows",
        ),
    )
    refused_cleanly(
        company,
        "earning",
        "add",
        "W1",
        "--date",
        "2026-11-19",
        "--kind",
        "bonus",
        "--amount",
        "-0",
        says=("--amount: amount '-0' is 0",),
    )


def test_the_same_file_again_adds_nothing(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "d1.csv", HEAD + "W1,2026-11-19,bonus,50,,,,,\n")
    assert ot(company, "import", "earnings", f).exit_code == 0
    again = ot(company, "import", "earnings", f)
    assert again.exit_code == 0, again.stderr
    assert "nothing new" in again.stdout
    assert len(earnings(company)) == 1


def test_an_identical_row_in_another_file_is_refused_naming_the_earlier_earning(company: Path, tmp_path: Path) -> None:
    """It is the same bonus again (which must not be paid twice) or a second one (which must not be lost):
    the file cannot say which, so it is refused, naming the earning already in."""
    first = ot(company, "import", "earnings", write(tmp_path, "d1.csv", HEAD + "W1,2026-11-19,bonus,50,,,,,\n"))
    assert first.exit_code == 0, first.stderr
    (earlier,) = earnings(company)
    f = write(tmp_path, "d2.csv", HEAD + "W1,2026-11-19,bonus,50.00,,,,,\n")
    refused_cleanly(
        company,
        "import",
        "earnings",
        f,
        says=(
            f"{f}:2:4: an identical bonus is already in the ledger ({earlier['earning_id']} recorded ",
            "by A1): if this row is that bonus, remove it (it must not be paid twice); if it is another, tell it "
            "apart with a note",
        ),
    )
    # Told apart by a note: a second bonus.
    second = ot(company, "import", "earnings", write(tmp_path, "d3.csv", HEAD + "W1,2026-11-19,bonus,50,,,,,second\n"))
    assert second.exit_code == 0, second.stderr
    assert len(earnings(company)) == 2


def test_an_identical_row_to_an_earning_added_by_hand_is_refused(company: Path, tmp_path: Path) -> None:
    added = ot(company, "earning", "add", "W1", "--date", "2026-11-19", "--kind", "bonus", "--amount", "75")
    assert added.exit_code == 0, added.stderr
    (earlier,) = earnings(company)
    f = write(tmp_path, "e.csv", HEAD + "W1,2026-11-19,bonus,75,,,,,\n")
    refused_cleanly(
        company,
        "import",
        "earnings",
        f,
        says=(f"an identical bonus is already in the ledger ({earlier['earning_id']} ",),
    )


def test_an_identical_row_to_a_voided_earning_is_a_new_one(company: Path, tmp_path: Path) -> None:
    assert (
        ot(company, "import", "earnings", write(tmp_path, "d1.csv", HEAD + "W1,2026-11-19,bonus,50,,,,,\n")).exit_code
        == 0
    )
    (earlier,) = earnings(company)
    assert ot(company, "earning", "void", earlier["earning_id"], "--reason", "wrong week").exit_code == 0
    result = ot(company, "import", "earnings", write(tmp_path, "d2.csv", HEAD + "W1,2026-11-19,bonus,50,,,,,\n"))
    assert result.exit_code == 0, result.stderr
    (now,) = earnings(company)
    assert now["earning_id"] != earlier["earning_id"]


def test_a_growing_file_adds_only_its_new_rows(company: Path, tmp_path: Path) -> None:
    """The same file, rows added since (a second identical bonus among them): what it recorded before is
    its own, not another's."""
    f = write(tmp_path, "bonuses.csv", HEAD + "W1,2026-11-19,bonus,50,,,,,\n")
    assert ot(company, "import", "earnings", f).exit_code == 0
    write(
        tmp_path,
        "bonuses.csv",
        HEAD + "W1,2026-11-19,bonus,50,,,,,\nW1,2026-11-19,bonus,50,,,,,\nT1,2026-11-19,commission,20,,,,,\n",
    )
    result = ot(company, "import", "earnings", f)
    assert result.exit_code == 0, result.stderr
    assert sorted((e["worker"], e["amount"]) for e in earnings(company)) == [("T1", "20"), ("W1", "50"), ("W1", "50")]
