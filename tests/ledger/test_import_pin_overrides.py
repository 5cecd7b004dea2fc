"""A ``pin_override`` another worker holds is refused at its column, without naming them; a derived PIN
another worker holds stays a note, naming only the file's workers (a review: an override equal to an
existing worker's PIN was written, locking that worker out of the clock, and the note said whose PIN it
was)."""

from __future__ import annotations

from pathlib import Path

import pytest
from input_review_support import WORKERS_HEADER, build_small, copy_ledger, ot, refused_cleanly, write

from ledger.store import Ledger
from ot.services.pins import PinBook

# W1's PIN is the override 292437; T1's is derived: born on the 9th, SSN ending 3333, so 93333.
PINS = (
    WORKERS_HEADER
    + "\nW1,Wes Worker,W2,20.00,LA,M1,worker,,,292437\nT1,Tia Texan,W2,18.00,HOU,M1,worker,2000-01-09,000-00-3333,\n"
)


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pins")
    path = build_small(folder)
    result = ot(path, "import", "workers", write(folder, "pins.csv", PINS))
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture
def company(master: Path, tmp_path: Path) -> Path:
    return copy_ledger(master, tmp_path / "ledger.db")


def test_a_new_workers_override_equal_to_anothers_pin_is_refused_without_naming_them(
    company: Path, tmp_path: Path
) -> None:
    f = write(tmp_path, "p.csv", WORKERS_HEADER + "\nN1,Nia New,W2,20,LA,M1,worker,,,292437\n")
    err = refused_cleanly(
        company,
        "import",
        "workers",
        f,
        says=(f"{f}:2:10: this PIN is taken by another worker: choose another six-digit override", "not shown"),
    )
    for secret in ("W1", "Wes", "292437"):
        assert secret not in err
    with Ledger.open(company) as led:
        assert PinBook(led).holders("292437") == ["W1"]  # W1 can still punch


def test_an_existing_workers_new_override_equal_to_anothers_pin_is_refused(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "p.csv", WORKERS_HEADER + "\nT1,Tia Texan,W2,18.00,HOU,M1,worker,,,292437\n")
    refused_cleanly(company, "import", "workers", f, says=(f"{f}:2:10: this PIN is taken by another worker",))


def test_an_override_with_a_leading_zero_is_checked_as_the_clock_tries_it(company: Path, tmp_path: Path) -> None:
    """The clock tries 093333 as 93333 too (ot.services.punch): T1's derived PIN."""
    f = write(tmp_path, "p.csv", WORKERS_HEADER + "\nN1,Nia New,W2,20,LA,M1,worker,,,093333\n")
    err = refused_cleanly(
        company,
        "import",
        "workers",
        f,
        says=(f"{f}:2:10: this PIN is taken by another worker (at the clock, a six-digit PIN starting with 0",),
    )
    assert "T1" not in err


def test_two_rows_of_the_file_with_one_override_name_the_earlier_line(company: Path, tmp_path: Path) -> None:
    text = WORKERS_HEADER + "\nN1,Nia New,W2,20,LA,M1,worker,,,555111\nN2,Ned New,W2,20,LA,M1,worker,,,555111\n"
    f = write(tmp_path, "p.csv", text)
    err = refused_cleanly(
        company,
        "import",
        "workers",
        f,
        says=(f"{f}:3:10: worker N1 on line 2 of this file has this PIN: choose another six-digit override",),
    )
    assert err.count("has this PIN") == 1


def test_a_derived_pin_another_holds_is_a_note_naming_only_the_files_worker(company: Path, tmp_path: Path) -> None:
    """N1, born on the 9th with an SSN ending 3333, derives T1's PIN: imported (the clock refuses the shared
    PIN until an admin sets an override, the existing design), with a note that does not name T1."""
    f = write(tmp_path, "p.csv", WORKERS_HEADER + "\nN1,Nia New,W2,20,LA,M1,worker,1999-05-09,111-22-3333,\n")
    result = ot(company, "import", "workers", f)
    assert result.exit_code == 0, result.stderr
    assert (
        "note: the PIN derived for N1 (line 2) is already another worker's: the clock refuses it to both until one "
        "has their own: give N1 a pin_override (six digits) and import again"
    ) in result.stdout
    assert "T1" not in result.stdout + result.stderr


def test_a_workers_own_pin_given_again_is_not_taken(company: Path, tmp_path: Path) -> None:
    result = ot(company, "import", "workers", write(tmp_path, "p.csv", PINS))
    assert result.exit_code == 0, result.stderr
    assert "added 0 events" in result.stdout
    assert "note" not in result.stdout
