"""Names, addresses and notes are plain text: a control character (C0, DEL, C1, a line or paragraph
separator, a bidirectional override) is refused where it is given, FILE:LINE:COLUMN or the option, and
nothing is written (a review: a worker named ``Bad ESC ] 0 ; pwned BEL ESC [ 2 J`` was imported and
``ot workers --search Bad`` printed it raw to the terminal; ``ot employer set --name`` took an escape; a
NUL in a location's name and newlines in names were accepted)."""

from __future__ import annotations

from pathlib import Path

import pytest
from input_review_support import WORKERS_HEADER, build_small, copy_ledger, ot, refused_cleanly, write

from ledger.store import Ledger
from ot.core.cells import control_problem

EVIL = "Bad\x1b]0;pwned\x07\x1b[2J"


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("controls"))


@pytest.fixture
def company(master: Path, tmp_path: Path) -> Path:
    return copy_ledger(master, tmp_path / "ledger.db")


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x00", "NUL"),
        ("\t", "tab"),
        ("\n", "line feed"),
        ("\r", "carriage return"),
        ("\x1b", "escape"),
        ("\x7f", "delete"),
        ("\x9b", "control sequence introducer"),
        ("\x90", "a control character"),
        ("\u2028", "line separator"),
        ("\u202e", "a bidirectional control"),
    ],
)
def test_each_kind_of_control_character_is_named(char: str, name: str) -> None:
    problem = control_problem(f"Ann{char}Lee", "name")
    assert problem is not None
    assert f"U+{ord(char):04X}, {name}, at character 4" in problem
    assert "remove it" in problem
    assert char not in problem


@pytest.mark.parametrize("text", ["Ann Lee", "Zoë O'Brien-Nuñez", "李小龍", "می\u200cخواهم", "👩\u200d🔧 Ops", "A  B"])
def test_plain_text_passes(text: str) -> None:
    assert control_problem(text, "name") is None


def test_a_byte_that_is_not_utf8_on_the_command_line_is_named() -> None:
    """Python keeps a command line's non-UTF-8 byte as a lone surrogate, which the ledger cannot store."""
    problem = control_problem("a\udc9bb", "note")
    assert problem is not None
    assert "is not UTF-8 text (byte 0x9B at character 2)" in problem


def test_a_workers_name_with_terminal_escapes_is_refused(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "w.csv", WORKERS_HEADER + f'\nN2,"{EVIL}",W2,20,LA,M1,worker,,,\n')
    err = refused_cleanly(
        company,
        "import",
        "workers",
        f,
        says=(f"{f}:2:2: name holds a control character (U+001B, escape, at character 4; 2 more after it): remove it",),
    )
    assert "\x1b" not in err
    assert "\x07" not in err


def test_a_renamed_existing_worker_is_refused_too(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "w.csv", WORKERS_HEADER + '\nW1,"Wes\nWorker",W2,20.00,LA,M1,worker,,,\n')
    refused_cleanly(company, "import", "workers", f, says=(f"{f}:2:2: name holds a control character (U+000A",))


def test_location_name_city_and_county_are_plain_text(company: Path, tmp_path: Path) -> None:
    text = (
        "location_id,name,state,timezone,city,county\n"
        'SF,"San\x00Francisco",CA,America/Los_Angeles,,\n'
        'OAK,Oakland,CA,America/Los_Angeles,"Oak\x7fland",\n'
        'SJ,San Jose,CA,America/Los_Angeles,,"Santa Clara\x85 County"\n'
    )
    f = write(tmp_path, "l.csv", text)
    refused_cleanly(
        company,
        "import",
        "locations",
        f,
        says=(f"{f}:2:2: name holds", "U+0000, NUL", f"{f}:3:5: city holds", f"{f}:4:6: county holds", "3 rows"),
    )


def test_an_earnings_note_is_plain_text(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "e.csv", 'worker_id,date,kind,amount,note\nW1,2026-11-03,bonus,50,"x\x1b[2J"\n')
    refused_cleanly(company, "import", "earnings", f, says=(f"{f}:2:5: note holds a control character",))
    refused_cleanly(
        company,
        "earning",
        "add",
        "W1",
        "--date",
        "2026-11-03",
        "--kind",
        "bonus",
        "--amount",
        "5",
        "--note",
        "a\x9bb",
        says=("--note: note holds a control character (U+009B",),
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--name", "Evil\x1b]0;pwned\x07"], "--name: the name holds a control character (U+001B, escape"),
        (["--name", "Evil\nCorp"], "--name: the name holds a control character (U+000A, line feed"),
        (["--name", "Good Corp", "--address", "1 Main\tSt"], "--address #1: the line holds a control character"),
        (["--name", "Bad\udc9bCorp"], "--name: the name is not UTF-8 text (byte 0x9B"),
    ],
)
def test_employer_set_refuses_control_characters(company: Path, args: list[str], says: str) -> None:
    err = refused_cleanly(company, "employer", "set", *args, says=(says, "nothing was written"))
    assert "\x1b" not in err


def test_plain_names_are_imported_as_given(company: Path, tmp_path: Path) -> None:
    f = write(tmp_path, "w.csv", WORKERS_HEADER + "\nN3,Zoë O'Brien-Nuñez,W2,20,LA,M1,worker,,,\n")
    result = ot(company, "import", "workers", f)
    assert result.exit_code == 0, result.stderr
    assert ot(company, "employer", "set", "--name", "Zoë & Co.", "--address", "1 Main St").exit_code == 0
    with Ledger.open(company) as led:
        assert led.roster()["N3"].name == "Zoë O'Brien-Nuñez"
