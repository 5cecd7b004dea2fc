"""``ot stub`` shows the corrections a pay period settles, marked "correction"."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from ot.cli import main

LOCATIONS = "location_id,name,state,timezone\nL2,Dallas,TX,America/Chicago\n"
WORKERS = """worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override
A1,Ada Admin,W2,40.00,L2,,admin,,,
W2,Tex Worker,W2,20.00,L2,A1,worker,,,
"""


def ot(cli: CliRunner, *args: str) -> Result:
    result = cli.invoke(main, ["--as", "A1", *args])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def test_an_overpayment_deduction_is_marked_on_the_next_stub(ledger_path: Path, cli: CliRunner, tmp_path: Path) -> None:
    """Wednesday 2026-10-14 is paid as 8 hours, then cut to 4 after it was
    paid: 4 h x $20.00 = $80.00 overpaid, deducted from the next pay run, and
    the next stub marks the corrected date as a correction (Everee timesheet
    corrections: "the corrected hours will appear on the worker's pay stub
    marked as a 'correction'")."""
    (tmp_path / "locations.csv").write_text(LOCATIONS)
    (tmp_path / "workers.csv").write_text(WORKERS)
    ot(cli, "import", "locations", str(tmp_path / "locations.csv"))
    ot(cli, "import", "workers", str(tmp_path / "workers.csv"))
    ids = []
    for day in ("2026-10-12", "2026-10-13", "2026-10-14"):
        out = ot(cli, "shift", "add", "--worker", "W2", "--start", f"{day}T08:00", "--end", "16:00").stdout
        ids.append(out.split("shift ", 1)[1].split(":", 1)[0])
    for period in ("2026-10-12",):
        ot(cli, "approve", "shifts", "--all-visible", "--period", period)
        ot(cli, "approve", "timecards", "--period", period)
        ot(cli, "payrun", "--period", period)
    ot(cli, "shift", "edit", ids[2], "--end", "12:00", "--correction-authorized", "--reason", "left at noon")

    # The paid period's stub is the one its pay run issued ($480.00 for 24 hours), never recomputed;
    # the correction made since is shown in a section of its own.
    before = ot(cli, "stub", "W2", "--period", "2026-10-12").stdout
    flat_before = " ".join(before.split())
    assert "$480.00" in before
    assert "$400.00" not in before
    assert "Corrections made since this stub was issued" in flat_before
    assert "2026-10-14 8.00 4.00 $160.00 $80.00 -$80.00 correction, deducted from a later pay" in flat_before

    # Nothing worked in the next period: nothing to deduct from; the preview says the overpayment carries forward.
    empty = " ".join(ot(cli, "stub", "W2", "--period", "2026-10-26").stdout.split())
    assert "still owed; it carries forward to a later pay" in empty

    # Monday 2026-10-26 worked (8 h, $160): the next pay deducts the $80 and marks the corrected date.
    ot(cli, "shift", "add", "--worker", "W2", "--start", "2026-10-26T08:00", "--end", "16:00")
    result = ot(cli, "stub", "W2", "--period", "2026-10-26")
    text = result.stdout
    section = text.split("\nCorrections\n", 1)[1]
    flat = " ".join(section.split())
    assert "No corrections this period." not in section
    assert "2026-10-14 8.00 4.00 $160.00 $80.00 -$80.00 correction, deducted from this pay" in flat
    assert "Net -$80.00" in flat
    assert all(len(line) <= 80 for line in text.splitlines())
