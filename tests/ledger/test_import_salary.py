"""A salary plan's pay_rate is its weekly salary (29 CFR 778.113-778.114; docs/calc-extensions.md): capped
in dollars a week (``ot.core.money.MAX_WEEKLY_SALARY``, the highest hourly rate for 40 hours: a sanity
bound, not a law), in whole cents, and said so (a review: 12000 a week was refused as over 10000 "dollars
per hour", and 1500.123 was accepted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from input_review_support import WORKERS_HEADER, build_small, copy_ledger, ot, refused_cleanly, write

from ledger.store import Ledger
from ot.cli import main

HEAD = WORKERS_HEADER + ",pay_plan,plan_hours\n"


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("salary"))


@pytest.fixture
def company(master: Path, tmp_path: Path) -> Path:
    return copy_ledger(master, tmp_path / "ledger.db")


def test_a_weekly_salary_above_the_hourly_cap_is_imported(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "s.csv", HEAD + "N1,Nia New,W2,12000,LA,M1,worker,,,,salary-fww,\n")
    result = ot(company, "import", "workers", f)
    assert result.exit_code == 0, result.stderr
    with Ledger.open(company) as led:
        change = led.roster()["N1"].rates[-1]
    assert (change.rate, change.plan) == (12000, "salary-fww")


@pytest.mark.parametrize(
    ("row", "says"),
    [
        (
            "N1,Nia,W2,1500.123,LA,M1,worker,,,,salary-fww,",
            "2:4: pay_rate '1500.123' has more than 2 decimal places: a weekly salary is paid in whole cents",
        ),
        (
            "N1,Nia,W2,400000,LA,M1,worker,,,,salary-fixed,35",
            "2:4: pay_rate '400000' is the weekly salary of a salary-fixed plan: it must be more than 0 and less "
            "than 400000 dollars a week",
        ),
        ("N1,Nia,W2,0,LA,M1,worker,,,,salary-fww,", "2:4: pay_rate '0' is the weekly salary of a salary-fww plan"),
        ("N1,Nia,W2,12000,LA,M1,worker,,,,hourly,", "2:4: pay_rate '12000' must be more than 0 dollars per hour"),
        ("N1,Nia,W2,12000,LA,M1,worker,,,,,", "2:4: pay_rate '12000' must be more than 0 dollars per hour"),
    ],
)
def test_pay_rate_is_read_in_the_unit_of_its_plan(company: Path, tmp_path: Path, row: str, says: str) -> None:
    f = write(tmp_path, "s.csv", HEAD + row + "\n")
    refused_cleanly(company, "import", "workers", f, says=(f"{f}:{says}",))


def test_a_file_without_the_plan_column_reads_the_rate_in_the_workers_plan(company: Path, tmp_path: Path) -> None:
    """The plan stays when the file has no pay_plan column, so its pay_rate is still the weekly salary."""
    assert (
        ot(
            company,
            "import",
            "workers",
            write(tmp_path, "a.csv", HEAD + "N1,Nia,W2,1200,LA,M1,worker,,,,salary-fww,\n"),
        ).exit_code
        == 0
    )
    raised = ot(
        company, "import", "workers", write(tmp_path, "b.csv", WORKERS_HEADER + "\nN1,Nia,W2,15000,LA,M1,worker,,,\n")
    )
    assert raised.exit_code == 0, raised.stderr
    f = write(tmp_path, "c.csv", WORKERS_HEADER + "\nN1,Nia,W2,1250.005,LA,M1,worker,,,\n")
    refused_cleanly(
        company, "import", "workers", f, says=(f"{f}:2:4: pay_rate '1250.005' has more than 2 decimal places",)
    )


def test_calc_reads_a_salary_plans_rate_as_the_weekly_salary(tmp_path: Path) -> None:
    """``ot calc`` (docs/calc-extensions.md: a salary plan's ``rate`` is a weekly salary) reads it the same way."""
    shifts = [{"worker": "w1", "date": "2026-11-02", "hours": "8"}]
    for rate, ok in (("12000", True), ("1500.123", False)):
        p = tmp_path / "in.json"
        p.write_text(
            json.dumps({"workers": {"w1": {"rate": rate, "state": "TX", "pay_plan": "salary-fww"}}, "shifts": shifts})
        )
        result = CliRunner().invoke(main, ["calc", str(p)])
        if ok:
            assert result.exit_code == 0, result.stderr
        else:
            assert result.exit_code == 2
            assert "workers.w1.rate: rate '1500.123' has more than 2 decimal places" in result.stderr
