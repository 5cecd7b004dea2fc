"""The permission table, every write action x every role, and the CLI refusing what a role may not do.

design.md "Roles": only an admin changes setup (roster, locations, rules, pay calendar,
employer, sync settings) or runs payroll; a manager approves shifts of their own reports;
a worker punches and reads their own records.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ot.cli import main
from ot.core.domain import Worker
from ot.services.permissions import PERMISSIONS, allowed

ADMIN = Worker("A1", "Ada", "W2", (), "L1", None, "admin")
MANAGER = Worker("M1", "Mia", "W2", (), "L1", "A1", "manager")
OTHER_MANAGER = Worker("M2", "Max", "W2", (), "L1", "A1", "manager")
WORKER = Worker("W1", "Wes", "W2", (), "L1", "M1", "worker")
PEER = Worker("W2", "Tex", "W2", (), "L1", "M1", "worker")
KIOSK = Worker("kiosk:door", "kiosk:door", "W2", (), "", None, "kiosk")

ACTORS = {
    "admin": ADMIN,
    "manager of W1": MANAGER,
    "another manager": OTHER_MANAGER,
    "W1 themself": WORKER,
    "a peer of W1": PEER,
    "kiosk": KIOSK,
}

SETUP = {
    "import locations",
    "import workers",
    "import punches",
    "adopt a rules file",
    "configure pay periods",
    "set the employer",
    "refresh the roster",
    "sync to payroll",
    "enrol users",
    "revoke keys",
    "approve timecards",
    "unapprove timecards",
    "run payroll",
    "correct paid dates",
    "export payroll",
    "import schedules",
    "fill holiday hours",
    "export tables",
    "record earnings",
    "void earnings",
    "import earnings",
}
STAFF_READS = {"list workers", "read the sync report"}  # any manager (who then sees only their reports) or admin
ON_REPORTS = {"approve shifts", "unapprove shifts", "enter shifts", "edit shifts", "delete shifts", "add punches"}


def expected(action: str, actor: str) -> bool:
    if action in SETUP:
        return actor == "admin"
    if action in ON_REPORTS:
        return actor in ("admin", "manager of W1")
    if action in STAFF_READS:
        return actor in ("admin", "manager of W1", "another manager")
    assert action == "punch"
    return actor in ("admin", "manager of W1", "W1 themself", "kiosk")


def test_every_action_is_in_the_matrix() -> None:
    assert set(PERMISSIONS) == SETUP | ON_REPORTS | STAFF_READS | {"punch"}


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_every_action_for_every_role(action: str, actor: str) -> None:
    why = allowed(action, ACTORS[actor], WORKER)
    assert (why is None) == expected(action, actor), why


@pytest.mark.parametrize("action", sorted(ON_REPORTS))
def test_nobody_acts_on_their_own_shifts(action: str) -> None:
    why = allowed(action, MANAGER, MANAGER)
    assert why is not None
    assert "their own" in why or "themselves" in why


@pytest.mark.parametrize("action", sorted(a for a in PERMISSIONS if PERMISSIONS[a].setup))
def test_a_new_ledger_is_set_up_by_whoever_creates_it(action: str) -> None:
    assert allowed(action, WORKER, roster_has_admin=False) is None
    assert allowed(action, WORKER, roster_has_admin=True) is not None


@pytest.mark.parametrize(
    "args",
    [
        ["import", "workers", "WORKERS"],
        ["period", "configure", "--frequency", "weekly", "--anchor", "2026-11-16", "--effective", "2026-11-16"],
        ["rules", "adopt", "RULES", "--from", "2026-12-06"],
        ["employer", "set", "--name", "Mine Inc"],
        ["sync", "refresh"],
        ["payrun", "--period", "2026-10-20", "--dry-run"],
        ["export", "payroll", "--format", "generic", "--period", "2026-10-20", "-o", "OUT"],
        ["approve", "timecards", "--period", "2026-10-20"],
        ["approve", "shifts", "--all-visible", "--period", "2026-10-20"],
        ["user", "enrol", "W02", "--public-key", "Ph85wM0impWv8X99h0QC/hEssQ5FtI2DP8QcvZrMeLE="],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_worker_may_not_set_up_or_pay(demo_ledger: Path, tmp_path: Path, cli: CliRunner, args: list[str]) -> None:
    """Issue 11's reproducers: as W02 (role worker) each of these is refused and writes nothing."""
    from tests_support import ledger_dump

    workers = tmp_path / "w.csv"
    workers.write_text(
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
        "W02,Me Admin,W2,99.00,LGB,,admin,,,\n"
    )
    rules = tmp_path / "r.ot"
    rules.write_text((Path(__file__).resolve().parents[1] / "rules.example.ot").read_text())
    (demo_ledger.parent / "ledger.sync.toml").write_text(f'[roster]\nworkers_file = "{workers}"\n')
    names = {"WORKERS": str(workers), "RULES": str(rules), "OUT": str(tmp_path / "out.csv")}
    argv = [names.get(a, a) for a in args]
    before = ledger_dump(demo_ledger)
    result = cli.invoke(main, ["--as", "W02", *argv])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "W02" in result.stderr
    assert ledger_dump(demo_ledger) == before


def test_the_founder_of_a_ledger_stays_its_admin(tmp_path: Path, cli: CliRunner) -> None:
    """Whoever sets up a new ledger (the actor of its first event) keeps an admin's rights after the
    roster names other admins (the shared import contract's own sequence); a stranger does not."""
    from tests_support import ledger_dump

    ledger = tmp_path / "l.db"
    (tmp_path / "loc.csv").write_text("location_id,name,state,timezone\nL1,Plant,CA,America/Los_Angeles\n")
    (tmp_path / "wrk.csv").write_text(
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
        "A1,Ann Admin,W2,40.00,L1,,admin,,,\nW1,Wes Worker,W2,20.00,L1,A1,worker,,,\n"
    )
    (tmp_path / "pun.csv").write_text("worker_id,time,kind,location_id,break_type\nW1,2026-11-02T08:00,in,,\n")
    base = ["--ledger", str(ledger)]
    for kind in ("locations", "workers"):
        result = cli.invoke(
            main,
            [
                *base,
                "--as",
                "setup-bot",
                "import",
                kind,
                str(tmp_path / {"locations": "loc.csv", "workers": "wrk.csv"}[kind]),
            ],
        )
        assert result.exit_code == 0, result.stderr
    before = ledger_dump(ledger)
    stranger = cli.invoke(main, [*base, "--as", "someone-else", "import", "punches", str(tmp_path / "pun.csv")])
    assert stranger.exit_code == 2
    assert "someone-else" in stranger.stderr
    assert ledger_dump(ledger) == before
    founder = cli.invoke(main, [*base, "--as", "setup-bot", "import", "punches", str(tmp_path / "pun.csv")])
    assert founder.exit_code == 0, founder.stderr
    worker = cli.invoke(main, [*base, "--as", "W1", "period", "configure", "--frequency", "weekly"])
    assert worker.exit_code == 2


def test_an_issued_stub_carries_the_chain_head(demo_paid_ledger: Path, cli: CliRunner) -> None:
    """Issue 11: every issued stub names the ledger head its pay run read, so a checkpoint proves it."""
    import re

    result = cli.invoke(main, ["--ledger", str(demo_paid_ledger), "stub", "W02", "--period", "2026-10-19"])
    assert result.exit_code == 0, result.stderr
    # The note wraps at 80 columns with a hanging indent: read it with its whitespace folded.
    assert re.search(r"at ledger event \d+, head [0-9a-f]{64}", re.sub(r"\s+", " ", result.stdout))
