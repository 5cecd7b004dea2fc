"""Smaller input defects a review found: ids that differ from another only by case, a listing of every
one of 200,000 bad rows, and a refusal to demote the last admin that named no row. Each refused at
FILE:LINE:COLUMN, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from input_review_support import WORKERS_HEADER, build_small, copy_ledger, ot, refused_cleanly, write

from ledger.store import Ledger


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("ids"))


@pytest.fixture
def company(master: Path, tmp_path: Path) -> Path:
    return copy_ledger(master, tmp_path / "ledger.db")


# --- ids that differ only by case ----------------------------------------------------------------


def test_a_new_worker_id_differing_from_anothers_only_by_case_is_refused(company: Path, tmp_path: Path) -> None:
    text = (
        WORKERS_HEADER
        + "\nw1,Lower,W2,20,LA,M1,worker,,,\nN5,Five,W2,20,LA,M1,worker,,,\nn5,five,W2,20,LA,M1,worker,,,\n"
    )
    f = write(tmp_path, "w.csv", text)
    refused_cleanly(
        company,
        "import",
        "workers",
        f,
        says=(
            f"{f}:2:1: worker id 'w1' differs from W1, already in the ledger, only by case: write W1 to change that "
            "worker, or choose an id of its own for a new one",
            f"{f}:4:1: worker id 'n5' differs from N5 on line 3 of this file only by case",
        ),
    )


def test_a_new_location_id_differing_only_by_case_is_refused(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "l.csv", "location_id,name,state,timezone\nla,Lower LA,CA,America/Los_Angeles\n")
    refused_cleanly(company, "import", "locations", f, says=(f"{f}:2:1: location id 'la' differs from LA",))


@pytest.mark.parametrize(
    ("layout", "text", "says"),
    [
        (
            "punches",
            "worker_id,time,kind,location_id,break_type\nw1,2026-11-20T08:00,in,,\n",
            "2:1: unknown worker 'w1' (the ledger has W1; ids are case-sensitive)",
        ),
        (
            "punches",
            "worker_id,time,kind,location_id,break_type\nW1,2026-11-20T08:00,in,hou,\n",
            "2:4: unknown location 'hou' (the ledger has HOU",
        ),
        (
            "workers",
            WORKERS_HEADER + "\nN6,Six,W2,20,la,m1,worker,,,\n",
            "2:5: unknown location 'la' (the ledger has LA",
        ),
        (
            "workers",
            WORKERS_HEADER + "\nN6,Six,W2,20,LA,m1,worker,,,\n",
            "2:6: manager 'm1' does not exist (the ledger has M1",
        ),
        (
            "earnings",
            "worker_id,date,kind,amount\nw1,2026-11-20,bonus,5\n",
            "2:1: no worker 'w1' in the ledger (the ledger has W1",
        ),
    ],
)
def test_an_unknown_id_names_its_case_variant(company: Path, tmp_path: Path, layout: str, text: str, says: str) -> None:
    f = write(tmp_path, "f.csv", text)
    refused_cleanly(company, "import", layout, f, says=(f"{f}:{says}",))


def test_an_existing_worker_is_still_changed_by_their_own_id(company: Path, tmp_path: Path) -> None:
    result = ot(
        company,
        "import",
        "workers",
        write(tmp_path, "w.csv", WORKERS_HEADER + "\nW1,Wes W. Worker,W2,20.00,LA,M1,worker,,,\n"),
    )
    assert result.exit_code == 0, result.stderr
    with Ledger.open(company) as led:
        assert led.roster()["W1"].name == "Wes W. Worker"


# --- a listing of every bad row -------------------------------------------------------------------


def test_a_file_of_many_bad_rows_lists_the_first_50_and_counts_the_rest(company: Path, tmp_path: Path) -> None:
    """The summary still counts them all; nothing is written."""
    rows = "".join(f"X{i},2026-11-20T08:00,in,,\n" for i in range(5000))
    f = write(tmp_path, "p.csv", "worker_id,time,kind,location_id,break_type\n" + rows)
    err = refused_cleanly(
        company,
        "import",
        "punches",
        f,
        says=(
            f"{f}:51:1: unknown worker 'X49'",
            f"{f}: and 4,950 more problems on 4,950 more rows, not listed (the first 50 are above): fix them all",
            f"{f}: refused (5,000 problems on 5,000 rows); nothing was imported",
        ),
    )
    assert len(err.splitlines()) == 52
    assert "X50'" not in err


def test_an_earnings_file_of_many_bad_rows_is_capped_too(company: Path, tmp_path: Path) -> None:
    rows = "".join(f"W1,2026-11-{1 + i % 28:02d},bonus,0,,,,,\n" for i in range(120))
    f = write(tmp_path, "e.csv", "worker_id,date,kind,amount,quantity,unit_rate,earned_from,earned_to,note\n" + rows)
    err = refused_cleanly(
        company,
        "import",
        "earnings",
        f,
        says=(f"{f}: and 70 more problems on 70 more rows, not listed", "refused (120 problems on 120 rows)"),
    )
    assert len(err.splitlines()) == 52


# --- the last admin --------------------------------------------------------------------------------


def test_demoting_the_last_admin_names_the_row(company: Path, tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "d.csv",
        WORKERS_HEADER + "\nW1,Wes Worker,W2,20.00,LA,M1,worker,,,\nA1,Ann Admin,W2,40.00,LA,,manager,,,\n",
    )
    err = refused_cleanly(
        company,
        "import",
        "workers",
        f,
        says=(
            f"{f}:3:7: A1's role would change from admin to manager, and no admin would be left: keep it admin, or "
            "make another worker an admin (in this file, or first)",
            "the roster would be left with no admin",
        ),
    )
    assert f"{f}:2" not in err
