"""A small roster for the search tests (importable; no conftest in this folder)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

LOCATIONS = "location_id,name,state,timezone\nLA,Los Angeles,CA,America/Los_Angeles\nHOU,Houston,TX,America/Chicago\n"
WORKERS = (
    "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
    "A1,Ann Admin,W2,40.00,LA,,admin,,,\n"
    "M1,Max Manager,W2,30.00,LA,A1,manager,,,\n"
    "M2,Mia Boss,W2,30.00,HOU,A1,manager,,,\n"
    "W0123,Alice Wong,W2,20.00,LA,M1,worker,1990-04-07,123-45-2345,\n"
    "W0456,Bob Alison,1099,25.00,HOU,M2,worker,,,654321\n"
    "W-001,José Núñez,W2,21.00,LA,M1,worker,,,112233\n"
    "T1,Tia Texan,W2,18.00,HOU,M2,worker,,,\n"
)


def build(ledger: Path, tmp: Path) -> Path:
    """Import the roster into ``ledger`` as A1 (the founder, then the roster's admin)."""
    from ot.cli import main

    runner = CliRunner()
    for kind, text in (("locations", LOCATIONS), ("workers", WORKERS)):
        f = tmp / f"{kind}.csv"
        f.write_text(text)
        result = runner.invoke(main, ["--ledger", str(ledger), "--as", "A1", "import", kind, str(f)])
        assert result.exit_code == 0, result.stderr
    return ledger
