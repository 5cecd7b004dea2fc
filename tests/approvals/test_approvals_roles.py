"""Who may do what, for every role (roles come from the roster: worker, manager, admin)."""

from __future__ import annotations

from pathlib import Path

import pytest
from approvals_helpers import approve_and_pay, company, ot, snapshot_of, week_of_8h
from click.testing import CliRunner

# (command, who may) for each role: W3 a worker, M2 the manager of W2, M1 a manager of others, A2 an admin.
MATRIX = [
    ("approve-shift", {"W3": False, "M1": False, "M2": True, "A2": True}),
    ("approve-timecard", {"W3": False, "M1": False, "M2": False, "A2": True}),
    ("unapprove-timecard", {"W3": False, "M1": False, "M2": False, "A2": True}),
    ("payrun", {"W3": False, "M1": False, "M2": False, "A2": True}),
    ("correction", {"W3": False, "M1": False, "M2": False, "A2": True}),
    ("edit-unpaid", {"W3": False, "M1": False, "M2": True, "A2": True}),
]


def _setup(cli: CliRunner, tmp_path: Path, command: str) -> list[str]:
    company(cli, tmp_path)
    sids = week_of_8h(cli, "W2", ["2026-10-12"])
    if command in ("approve-timecard", "payrun", "unapprove-timecard"):
        ot(cli, "approve", "shifts", "--shift", sids[0])
    if command in ("payrun", "unapprove-timecard"):
        ot(cli, "approve", "timecards", "--period", "2026-10-12")
    if command == "correction":
        approve_and_pay(cli, "2026-10-12")
    return sids


def _args(command: str, sid: str) -> list[str]:
    return {
        "approve-shift": ["approve", "shifts", "--shift", sid],
        "approve-timecard": ["approve", "timecards", "--period", "2026-10-12", "--worker", "W2"],
        "unapprove-timecard": ["unapprove", "timecards", "--period", "2026-10-12", "--worker", "W2", "--reason", "x"],
        "payrun": ["payrun", "--period", "2026-10-12"],
        "correction": ["shift", "edit", sid, "--end", "17:00", "--correction-authorized", "--reason", "late out"],
        "edit-unpaid": ["shift", "edit", sid, "--end", "17:00"],
    }[command]


@pytest.mark.parametrize(
    ("command", "user", "allowed"),
    [(command, user, allowed) for command, roles in MATRIX for user, allowed in roles.items()],
)
def test_role_matrix(cli: CliRunner, ledger_path: Path, tmp_path: Path, command: str, user: str, allowed: bool) -> None:
    [sid] = _setup(cli, tmp_path, command)
    before = snapshot_of(ledger_path)
    result = ot(cli, *_args(command, sid), user=user, code=0 if allowed else 2)
    if allowed:
        assert snapshot_of(ledger_path) != before
    else:
        assert snapshot_of(ledger_path) == before
        assert result.stderr.strip()


def test_an_unknown_acting_user_may_do_nothing(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    for args in (["payrun", "--period", "2026-10-12"], ["approve", "timecards", "--period", "2026-10-12"]):
        assert "'ghost' is not in the roster" in ot(cli, *args, user="ghost", code=2).stderr
