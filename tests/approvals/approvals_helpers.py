"""A small company for the approval tests, and a CLI wrapper (not a test module).

Locations: L1 Los Angeles (CA), L2 Dallas (TX, federal rules alone).
People: admins A1 and A2, managers M1 (L1) and M2 (L2), workers W1 (CA, under
M1, $20/h), W2 (TX, under M2, $20/h) and W3 (CA, under M1, $25/h). Pay periods
are the default: biweekly from Sunday 2026-10-11 (2026-10-11..24, 2026-10-25..
2026-11-07); workweeks start on Sunday (rules.example.ot).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from ledger.store import Ledger
from ot.cli import main

LOCATIONS = """location_id,name,state,timezone
L1,Los Angeles,CA,America/Los_Angeles
L2,Dallas,TX,America/Chicago
"""
WORKERS = """worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override
A1,Ada Admin,W2,40.00,L1,,admin,,,
A2,Abe Admin,W2,40.00,L1,,admin,,,
M1,Mia Manager,W2,30.00,L1,A1,manager,,,
M2,Max Manager,W2,30.00,L2,A1,manager,,,
W1,Wes Worker,W2,20.00,L1,M1,worker,,,
W2,Tex Worker,W2,20.00,L2,M2,worker,,,
W3,Cal Worker,W2,25.00,L1,M1,worker,,,
"""


def ot(cli: CliRunner, *args: str, user: str = "A1", code: int = 0) -> Result:
    """Run ``ot --as USER ARGS`` and check the exit status."""
    result = cli.invoke(main, ["--as", user, *args])
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def company(cli: CliRunner, tmp_path: Path) -> None:
    """Import the locations and workers above into the ``ledger_path`` ledger."""
    (tmp_path / "locations.csv").write_text(LOCATIONS)
    (tmp_path / "workers.csv").write_text(WORKERS)
    ot(cli, "import", "locations", str(tmp_path / "locations.csv"))
    ot(cli, "import", "workers", str(tmp_path / "workers.csv"))


def snapshot_of(path: Path) -> tuple[int, str]:
    """(event count, head hash): equal before and after means nothing was written."""
    with Ledger.open(path, create=False) as led:
        return led.count(), led.head()[1]


def events(path: Path, kind: str) -> list[Any]:
    """Every event of a kind (or a family ``x.``)."""
    with Ledger.open(path, create=False) as led:
        return list(led.events(kind=kind))


def add(cli: CliRunner, worker: str, *args: str, user: str = "A1") -> str:
    """Add a shift and return its id."""
    out = ot(cli, "shift", "add", "--worker", worker, *args, user=user).stdout
    return out.split("shift ", 1)[1].split(":", 1)[0]


def week_of_8h(cli: CliRunner, worker: str, days: list[str], user: str = "A1") -> list[str]:
    """8-hour shifts 08:00-16:00 (no breaks) on these dates."""
    return [add(cli, worker, "--start", f"{d}T08:00", "--end", "16:00", user=user) for d in days]


def approve_and_pay(cli: CliRunner, period_day: str, manager: str = "A1") -> Result:
    """Approve every visible shift (as ``manager``), every timecard (A1), and run payroll (A1)."""
    ot(cli, "approve", "shifts", "--all-visible", "--period", period_day, user=manager)
    ot(cli, "approve", "timecards", "--period", period_day)
    return ot(cli, "payrun", "--period", period_day)
