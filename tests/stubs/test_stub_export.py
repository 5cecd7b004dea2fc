"""ot.services.stub_export: what the TUI's Pay stubs screen calls (no UI here)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from ot.core.errors import OtError
from ot.core.money import D
from ot.services import stub_export as export

from .ledger_setup import company

DAY = date(2026, 10, 14)  # in the first biweekly period, 2026-10-11 .. 2026-10-24


@pytest.fixture
def books(ledger_path: Path) -> Path:
    company(ledger_path)
    return ledger_path


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_preview_is_the_printed_text(books: Path) -> None:
    """Ana Ruiz, 50 hours at $20.00 in Illinois: 40 REG and 10 OT at 1.5x, gross
    $1,100.00 (29 CFR 778.107); the preview is the text ``ot stub`` prints."""
    shown = export.preview(books, "w1", DAY)
    assert shown.gross == D("1100.00")
    assert shown.period.start == date(2026, 10, 11)
    assert shown.corrections == 0
    assert (shown.gross_text, shown.paid_text) == ("$1,100.00", "$1,100.00")
    assert "Ana Ruiz" in shown.text
    assert "$1,100.00" in shown.text
    assert "No corrections this period." in shown.text


def test_preview_of_an_unknown_worker(books: Path) -> None:
    with pytest.raises(OtError) as caught:
        export.preview(books, "w9", DAY)
    assert caught.value.render().startswith("worker w9: no such worker in the roster")


@pytest.mark.parametrize(
    ("step", "start"),
    [(0, date(2026, 10, 11)), (1, date(2026, 10, 25)), (2, date(2026, 11, 8)), (-1, date(2026, 9, 27))],
)
def test_period_day_moves_by_whole_periods(books: Path, step: int, start: date) -> None:
    """Biweekly periods from 2026-10-11 (the default schedule)."""
    assert export.period_day(books, DAY, step) == start


def test_default_folder_is_beside_the_ledger(books: Path) -> None:
    assert export.default_folder(books) == books.parent / "ot-stubs"
    assert export.default_folder(Path("ledger.db")) == Path("ot-stubs")


def test_folder_problems(books: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert export.folder_problems("out/new/deeper", books) == []
    assert export.folder_problems(str(tmp_path), books) == []
    assert [p.message for p in export.folder_problems("  ", books)] == [
        "is empty: type the folder to write the stubs into"
    ]
    (problem,) = export.folder_problems(str(blocker), books)
    assert (problem.where, problem.message) == (str(blocker), "is a file: give a folder")
    (problem,) = export.folder_problems(str(blocker / "sub"), books)
    assert problem.where == str(blocker / "sub")
    assert "is a file, not a folder" in problem.message
    with pytest.raises(OtError) as caught:
        export.check_folder(str(blocker), books)
    assert "the export folder was not changed" in caught.value.render()
    assert export.check_folder("out", books) == tmp_path / "out"
    assert not (tmp_path / "out").exists()  # checking creates nothing


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through any mode bits")
def test_read_only_folder_is_refused(books: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        (problem,) = export.folder_problems(str(locked / "stubs"), books)
        assert "cannot write in the folder" in problem.message
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_export_one(books: Path, tmp_path: Path, fmt: str) -> None:
    stub = export.preview(books, "w1", DAY).stub
    folder = tmp_path / "new" / "stubs"
    path = export.export_one(stub, folder, fmt)
    assert path == folder / f"stub-w1-2026-10-11.{fmt}"
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") if fmt == "pdf" else b"Ana Ruiz" in data
    assert _visible(folder) == [path.name]


def test_export_one_into_a_file_writes_nothing(books: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    stub = export.preview(books, "w1", DAY).stub
    with pytest.raises(OtError) as caught:
        export.export_one(stub, blocker, "html")
    assert caught.value.render() == f"{blocker}: is a file: give a folder\nnothing was written"
    assert blocker.read_text() == "x"
    with pytest.raises(OtError) as caught:
        export.export_one(stub, blocker / "sub", "pdf")
    assert f"{blocker} is a file, not a folder" in caught.value.render()
    with pytest.raises(OtError) as caught:
        export.export_one(stub, tmp_path / "out", "text")
    assert caught.value.render() == "format: 'text' is not an export format: use html or pdf\nnothing was written"
    assert not (tmp_path / "out").exists()


def test_export_all_reports_progress(books: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    done = export.export_all(books, DAY, tmp_path / "all", "html", lambda n, total: seen.append((n, total)))
    assert seen == [(0, None), (0, 2), (1, 2), (2, 2)]
    assert [p.name for p in done.paths] == ["stub-w1-2026-10-11.html", "stub-w2-2026-10-11.html"]
    assert done.unpaid == ("w3",)
    assert _visible(tmp_path / "all") == ["stub-w1-2026-10-11.html", "stub-w2-2026-10-11.html"]


def test_export_all_stopped_leaves_nothing(books: Path, tmp_path: Path) -> None:
    seen: list[int] = []
    with pytest.raises(OtError, match="the export was stopped"):
        export.export_all(
            books, DAY, tmp_path / "all", "pdf", lambda n, total: seen.append(n), cancelled=lambda: len(seen) > 2
        )
    assert _visible(tmp_path / "all") == []  # not even the temporary file of the first stub


def test_export_all_into_a_file_is_refused_before_pricing(books: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    seen: list[int] = []
    with pytest.raises(OtError) as caught:
        export.export_all(books, DAY, blocker, "html", lambda n, total: seen.append(n))
    assert f"{blocker}: is a file" in caught.value.render()
    assert seen == []
