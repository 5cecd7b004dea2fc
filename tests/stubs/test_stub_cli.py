"""``ot stub``: one worker's stub to stdout or a file, or every worker's into a folder."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from ot.cli import main
from ot.core.errors import OtError
from ot.core.money import D
from ot.services import stubs as service
from ot.stubs.text import WIDTH

from . import fixtures as fx
from .ledger_setup import company

PERIOD = ["--period", "2026-10-14"]


def _pay(path: Path, day: date, *, now: datetime) -> None:
    """Approve w1's shifts and timecard of the period of ``day`` as an added admin, and pay it."""
    from ledger.events import NewEvent
    from ledger.store import Ledger
    from ot.services.approvals import approve_shifts, approve_timecards
    from ot.services.payrun import run_payroll

    admin = {
        "worker_id": "ADM",
        "name": "Ada Admin",
        "type": "W2",
        "pay_rate": "40.00",
        "rate_effective": None,
        "location_id": "L1",
        "manager_id": None,
        "role": "admin",
    }
    with Ledger.open(path) as led:
        led.append([NewEvent("worker.added", admin, key="worker:ADM", worker_id="ADM")], actor="t", now=now)
    approve_shifts(path, worker_id="w1", week=day, actor="ADM", now=now)
    approve_timecards(path, period_day=day, worker_ids=["w1"], actor="ADM", now=now)
    run_payroll(path, period_day=day, partial=True, actor="ADM", now=now)


@pytest.fixture
def books(ledger_path: Path) -> Path:
    company(ledger_path)
    return ledger_path


# --- from the ledger through the engine --------------------------------------------


def test_text_stub_to_stdout(books: Path, cli: CliRunner) -> None:
    """Ana Ruiz works 50 hours at $20.00 in Illinois: 40 REG ($800.00) and 10
    OT at 1.5 x $20.00 ($300.00), gross $1,100.00 (29 CFR 778.107; Illinois
    has no daily overtime, 820 ILCS 105/4a)."""
    result = cli.invoke(main, ["stub", "w1", *PERIOD])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Ana Ruiz" in out
    assert "2026-10-11 to 2026-10-24" in out
    assert "Unnamed employer" in out
    assert "ot employer set" in out
    assert "GROSS PAY" in out
    assert out.rstrip().endswith("not computed.")
    assert "$1,100.00" in out
    assert "$19.50 (shift)" in out
    assert "No corrections this period." in out
    assert all(len(line) <= WIDTH for line in out.splitlines())


def test_stub_with_pto_and_employer(books: Path, cli: CliRunner) -> None:
    """Bo Chen: 32 REG hours and 8 PTO hours at $18.00; PTO is paid, never
    hours worked (29 CFR 778.218)."""
    cli.invoke(main, ["employer", "set", "--name", "Acme Staffing LLC", "--address", "1 Main St"])
    result = cli.invoke(main, ["stub", "w2", *PERIOD, "--format", "html"])
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert "Acme Staffing LLC" in page
    assert "1 Main St" in page
    assert "PTO" in page
    assert "$720.00" in page
    assert "ot employer set" not in page


def test_pdf_to_a_file(books: Path, cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "w1.pdf"
    result = cli.invoke(main, ["stub", "w1", *PERIOD, "--format", "pdf", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    again = tmp_path / "again.pdf"
    cli.invoke(main, ["stub", "w1", *PERIOD, "--format", "pdf", "-o", str(again)])
    assert again.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_all_writes_one_file_per_paid_worker(books: Path, cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "stubs"
    result = cli.invoke(main, ["stub", "--all", *PERIOD, "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["stub-w1-2026-10-11.html", "stub-w2-2026-10-11.html"]
    assert "wrote 2 stub(s)" in result.stdout
    assert "no pay this period, no stub: w3" in result.stderr
    assert "Ana Ruiz" in (out / "stub-w1-2026-10-11.html").read_text()


def test_period_with_no_pay(books: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["stub", "w3", "--period", "2026-12-01"])
    assert result.exit_code == 0, result.stderr
    assert "No hours worked this period." in result.stdout
    assert "$0.00" in result.stdout


def test_unwritable_output_leaves_nothing(books: Path, cli: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for target in (blocker / "w1.txt", tmp_path / "missing" / "w1.txt", tmp_path):
        result = cli.invoke(main, ["stub", "w1", *PERIOD, "-o", str(target)])
        assert result.exit_code == 2, target
        assert result.stderr.startswith(f"{target}: ")
        assert "nothing was written" in result.stderr
        assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a-file", "ledger.db", *_ledger_side_files(tmp_path)])


def _ledger_side_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith("ledger.db-")]


def test_all_into_a_file_is_refused(books: Path, cli: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = cli.invoke(main, ["stub", "--all", *PERIOD, "-o", str(blocker)])
    assert result.exit_code == 2
    assert f"{blocker}: is a file" in result.stderr
    assert blocker.read_text() == "x"


# --- bad input that never reaches the engine ---------------------------------------------


def test_unknown_worker(books: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["stub", "w9", *PERIOD])
    assert result.exit_code == 2
    assert result.stderr.startswith("worker w9: no such worker in the roster: did you mean w1, w2, w3?")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["w1", "--period", "2026-02-30"], "Invalid value for '--period': '2026-02-30' is not a date"),
        (["w1", *PERIOD, "--format", "docx"], "Invalid value for '--format': 'docx' is not one of"),
        (["w1", "--all", *PERIOD, "-o", "x"], "give either WORKER or --all, not both"),
        (["--all", *PERIOD], "--all needs -o DIR"),
        ([*PERIOD], "give a WORKER id, or --all with -o DIR"),
    ],
)
def test_usage_errors(books: Path, cli: CliRunner, args: list[str], words: str) -> None:
    result = cli.invoke(main, ["stub", *args])
    assert result.exit_code == 2
    assert words in result.stderr
    assert result.stdout == ""


def test_no_ledger(ledger_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["stub", "w1", *PERIOD])
    assert result.exit_code == 2
    assert "no ledger at" in result.stderr
    assert not ledger_path.exists()


# --- writing files (no engine) -------------------------------------------------------------


def test_write_batch_is_all_or_nothing(tmp_path: Path) -> None:
    stubs = [fx.plain_week(), fx.pto_week(), fx.multi_rate_ca_week()]
    out = tmp_path / "out"
    writer = service.write_batch(stubs, out, "text")
    next(writer)
    next(writer)
    writer.close()  # stopped half-way (an error, Ctrl-C): nothing is left behind
    assert list(out.iterdir()) == []
    paths = list(service.write_batch(stubs, out, "text"))
    assert [p.name for p in paths] == ["stub-w1-2026-10-11.txt", "stub-w3-2026-10-11.txt", "stub-w2-2026-10-11.txt"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert "Bo Chen" in (out / "stub-w2-2026-10-11.txt").read_text()


def test_file_names_are_portable_and_distinct() -> None:
    stubs = [fx.named("A"), fx.named("B")]
    odd = [
        type(s)(**{**s.__dict__, "worker_id": wid})
        for s, wid in zip(stubs, ["../etc/passwd", "..-etc-passwd"], strict=True)
    ]
    names = service.file_names([*odd, odd[0]], "pdf")
    assert names == [
        "stub-etc_passwd-2026-10-11.pdf",
        "stub-etc-passwd-2026-10-11.pdf",
        "stub-etc_passwd-2026-10-11-2.pdf",
    ]


def test_write_atomic_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "stub.txt"
    target.write_text("old")
    service.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["stub.txt"]


def test_unknown_format_in_service() -> None:
    with pytest.raises(OtError) as info:
        service.check_format("docx")
    assert info.value.problems[0].where == "--format"


def test_semimonthly_periods_split_the_workweek_by_line_date(books: Path, cli: CliRunner) -> None:
    """Semi-monthly periods (1st-15th, 16th-end) cut Ana Ruiz's workweek of
    Sunday 2026-10-11: the week is priced whole, so Friday 10-16 is overtime
    (over 40 hours in the workweek, 29 CFR 778.107), and that overtime is paid
    in the period of its date (29 CFR 778.104: each workweek stands alone)."""
    configured = cli.invoke(main, ["period", "configure", "--frequency", "semimonthly", "--anchor", "2026-10-01"])
    assert configured.exit_code == 0, configured.stderr
    first = service.build_stub(books, "w1", date(2026, 10, 14))
    assert (first.period.start, first.period.end) == (date(2026, 10, 1), date(2026, 10, 15))
    assert [(t.hour_class, t.hours, t.amount) for t in first.totals] == [("REG", D("40"), D("800.00"))]
    # Once the first period is paid, the second pays the rest of the workweek: Friday's overtime.
    _pay(books, date(2026, 10, 14), now=datetime(2026, 10, 20, 12, 0, tzinfo=UTC))
    second = service.build_stub(books, "w1", date(2026, 10, 20))
    assert [(t.hour_class, t.hours, t.amount) for t in second.totals] == [("OT", D("10"), D("300.00"))]
    assert first.gross + second.gross == D("1100.00")
    assert [w.week_start for w in second.week_rates] == [date(2026, 10, 11)]
