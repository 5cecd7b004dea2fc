"""A small company for the sync tests, and CLI wrappers (not a test module).

Locations: L1 Los Angeles (CA), L2 Dallas (TX). Admin A1, manager M1; workers
W1 (CA, $20/h), W2 (TX, $20/h) and C1 (a 1099 contractor in TX). Pay periods
are the default: biweekly from Sunday 2026-10-11; workweeks start on Sunday.
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
M1,Mia Manager,W2,30.00,L1,A1,manager,,,
W1,Wes Worker,W2,20.00,L1,M1,worker,,,
W2,Tex Worker,W2,20.00,L2,M1,worker,,,
C1,Cy Contractor,1099,30.00,L2,M1,worker,,,
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


def add(cli: CliRunner, worker: str, *args: str) -> str:
    """Add a shift (as A1) and return its id."""
    out = ot(cli, "shift", "add", "--worker", worker, *args).stdout
    return out.split("shift ", 1)[1].split(":", 1)[0]


def day8(cli: CliRunner, worker: str, day: str, start: str = "08:00", end: str = "16:00") -> str:
    """One shift on ``day`` from ``start`` to ``end`` (local), no breaks."""
    return add(cli, worker, "--start", f"{day}T{start}", "--end", end)


def events(path: Path, kind: str) -> list[Any]:
    """Every event of a kind (or a family ``x.``)."""
    with Ledger.open(path, create=False) as led:
        return list(led.events(kind=kind))


def write_config(ledger_path: Path, text: str) -> Path:
    """Write the sync config beside the ledger."""
    path = ledger_path.with_name(ledger_path.stem + ".sync.toml")
    path.write_text(text)
    return path


CSV_CONFIG = """
[targets.files]
kind = "csv"
folder = "feeds"
"""
