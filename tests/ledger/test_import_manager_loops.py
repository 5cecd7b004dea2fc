"""A workers file cannot close a loop of managers, in the file or through the roster already in the
ledger (a review: ``A1``'s manager set to ``M1``, whose manager in the ledger is ``A1``, was accepted).
Refused at the row's manager_id (column 6), nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from input_review_support import WORKERS_HEADER, build_small, copy_ledger, ot, refused_cleanly, write

from ledger.store import Ledger


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("loops"))


@pytest.fixture
def company(master: Path, tmp_path: Path) -> Path:
    return copy_ledger(master, tmp_path / "ledger.db")


def test_a_loop_closing_through_the_ledger_is_refused(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "c.csv", WORKERS_HEADER + "\nA1,Ann Admin,W2,40.00,LA,M1,admin,,,\n")
    refused_cleanly(
        company,
        "import",
        "workers",
        f,
        says=(
            f"{f}:2:6: managers form a loop (A1 -> M1); in the ledger, M1's manager is A1: "
            "give A1 another manager or none, or first give M1 another manager",
            "nothing was imported",
        ),
    )


def test_a_longer_loop_through_file_and_ledger_is_named_once(company: Path, tmp_path: Path) -> None:
    """A1 -> M2 (new, in the file) -> M1 (in the ledger) -> A1."""
    text = WORKERS_HEADER + "\nM2,Mo New,W2,30.00,LA,M1,manager,,,\nA1,Ann Admin,W2,40.00,LA,M2,admin,,,\n"
    f = write(tmp_path, "c.csv", text)
    err = refused_cleanly(
        company, "import", "workers", f, says=(f"{f}:2:6: managers form a loop (M2 -> M1 -> A1)", "M1's manager is A1")
    )
    assert err.count("form a loop") == 1


def test_the_files_rows_replace_the_ledgers_managers(company: Path, tmp_path: Path) -> None:
    """M1 loses their manager in the same file that gives A1 the manager M1: no loop, imported."""
    text = WORKERS_HEADER + "\nM1,Max Manager,W2,30.00,LA,,manager,,,\nA1,Ann Admin,W2,40.00,LA,M1,admin,,,\n"
    result = ot(company, "import", "workers", write(tmp_path, "c.csv", text))
    assert result.exit_code == 0, result.stderr
    with Ledger.open(company) as led:
        roster = led.roster()
    assert (roster["A1"].manager_id, roster["M1"].manager_id) == ("M1", None)


def test_a_loop_inside_the_file_keeps_its_message(company: Path, tmp_path: Path) -> None:
    text = WORKERS_HEADER + "\nM7,Mo,W2,30,LA,M8,manager,,,\nM8,Mei,W2,30,LA,M7,manager,,,\n"
    f = write(tmp_path, "loop.csv", text)
    refused_cleanly(company, "import", "workers", f, says=(f"{f}:2:6: managers form a loop (M7 -> M8): give M7",))
