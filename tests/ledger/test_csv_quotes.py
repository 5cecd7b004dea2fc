"""A quote left open in a CSV file is named where it opens, FILE:LINE:COLUMN, not where the file ends (a
review: a quote opened on line 2 of a 51-line locations file was reported at 51:1). Every layout reads
through ``ledger.imports``; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from input_review_support import WORKERS_HEADER, build_small, copy_ledger, refused_cleanly, write

from ledger.imports import _open_quote

LOCATIONS = "location_id,name,state,timezone\n"


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("quotes"))


@pytest.fixture
def company(master: Path, tmp_path: Path) -> Path:
    return copy_ledger(master, tmp_path / "ledger.db")


def test_a_quote_left_open_is_named_on_its_line_and_column(company: Path, tmp_path: Path) -> None:
    rows = "".join(f"Y{i},Name {i},CA,America/Los_Angeles\n" for i in range(3, 52))
    f = write(tmp_path, "f.csv", LOCATIONS + 'X1,"Open quote,CA,America/Los_Angeles\n' + rows)
    err = refused_cleanly(
        company,
        "import",
        "locations",
        f,
        says=(
            f"{f}:2:2: unreadable CSV (unexpected end of data): this field opens a quote that is never closed",
            'close it, or write a quote inside a quoted value as two ("")',
        ),
    )
    assert f"{f}:51" not in err


def test_a_quote_left_open_on_the_last_line(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "f.csv", LOCATIONS + 'X1,"a ""quoted"" name",CA,America/Los_Angeles\nX2,Ok,CA,"America/LA\n')
    refused_cleanly(company, "import", "locations", f, says=(f"{f}:3:4: unreadable CSV (unexpected end of data)",))


def test_a_quote_left_open_past_the_fields_limit(company: Path, tmp_path: Path) -> None:
    """A long file ends the field at the reader's limit (131072 characters) before its end: still its line."""
    rows = "".join(f"Y{i},Name {i} padded padded padded padded,CA,America/Los_Angeles\n" for i in range(4000))
    f = write(
        tmp_path, "f.csv", LOCATIONS + "X1,Ok,CA,America/Los_Angeles\n" + 'X2,"Open,CA,America/Los_Angeles\n' + rows
    )
    refused_cleanly(
        company, "import", "locations", f, says=(f"{f}:3:2: unreadable CSV (field larger than field limit",)
    )


@pytest.mark.parametrize(
    ("layout", "text", "where"),
    [
        (
            "punches",
            'worker_id,time,kind,location_id,break_type\nW1,"2026-11-03T08:00,in,,\nW1,2026-11-03T09:00,out,,\n',
            "2:2",
        ),
        ("workers", WORKERS_HEADER + '\nN1,"Nia,W2,20,LA,M1,worker,,,\nN2,Ned,W2,20,LA,M1,worker,,,\n', "2:2"),
        ("earnings", 'worker_id,date,kind,amount,note\nW1,2026-11-03,bonus,5,"open\nW1,2026-11-04,bonus,5,\n', "2:5"),
    ],
)
def test_every_layout_names_the_open_quote(company: Path, tmp_path: Path, layout: str, text: str, where: str) -> None:
    f = write(tmp_path, "f.csv", text)
    refused_cleanly(company, "import", layout, f, says=(f"{f}:{where}: unreadable CSV (unexpected end of data)",))


def test_a_quote_closed_then_followed_by_text_is_named_where_it_is(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "f.csv", LOCATIONS + 'X1,"multi\nline"junk,CA,America/Los_Angeles\n')
    refused_cleanly(company, "import", "locations", f, says=(f"{f}:3:1: unreadable CSV (',' expected after '\"')",))


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ('a,"b\n', 2),
        ('"a""b",c,"d\r\n', 3),
        ('a"b,"c""', 2),
        ('a,"b",c', None),
        ('a"b,c', None),
        ('"a"",b', 1),
    ],
)
def test_the_open_quotes_column(line: str, column: int | None) -> None:
    assert _open_quote(line, ",") == column
