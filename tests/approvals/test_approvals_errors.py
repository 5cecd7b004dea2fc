"""Every refusal says where and what to do, exits 2, and writes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from approvals_helpers import approve_and_pay, company, ot, snapshot_of, week_of_8h
from click.testing import CliRunner

from ot.core.errors import OtError
from ot.services.corrections import audit, check_timeframe
from ot.services.stubs import off_cycle_stub


@pytest.mark.parametrize(
    ("args", "user", "says"),
    [
        (["approve", "shifts", "--worker", "W2"], "A1", "--week: give --week DATE"),
        (["approve", "shifts", "--worker", "W9", "--week", "2026-10-12"], "A1", "--worker: no worker 'W9'"),
        (["approve", "shifts", "--shift", "S1", "--worker", "W2"], "A1", "give --shift ID..., or --worker W"),
        (["approve", "timecards", "--period", "2026-10-12", "--worker", "W9"], "A1", "--worker W9: no worker"),
        (["approve", "timecards", "--period", "2026-10-12", "--worker", "A1"], "A1", "nobody approves their own"),
        (["approve", "timecards", "--period", "2026-10-12", "--holiday-hours", "W9:2026-10-12:8"], "A1", "no worker"),
        (["approve", "timecards", "--period", "2026-10-12", "--holiday-hours", "W2:2026-10-12:0"], "A1", "more than 0"),
        (["approve", "timecards", "--period", "2026-10-12", "--holiday-hours", "W2:12/10:8"], "A1", "YYYY-MM-DD"),
        (["unapprove", "shifts", "--shift", "M999", "--reason", "x"], "A1", "shift M999: no such shift"),
        (["unapprove", "timecards", "--period", "2026-10-12", "--worker", "W2", "--reason", " "], "A1", "--reason"),
        (["shift", "edit", "M999", "--end", "17:00"], "A1", "shift M999: no such shift"),
        (["shift", "delete", "M999", "--reason", "x"], "A1", "shift M999: no such shift"),
        (["shift", "add", "--worker", "W9", "--date", "2026-10-12", "--hours", "8"], "A1", "--worker: no worker 'W9'"),
        (["payrun", "--period", "2026-10-12"], "A1", "no approved timecards"),
        (["approve", "timecards", "--period", "2026-10-12"], "M1", "only an admin"),
        (
            ["unapprove", "timecards", "--period", "2026-10-12", "--worker", "W2", "--reason", "x"],
            "M2",
            "only an admin",
        ),
    ],
)
def test_refusals(cli: CliRunner, ledger_path: Path, tmp_path: Path, args: list[str], user: str, says: str) -> None:
    company(cli, tmp_path)
    before = snapshot_of(ledger_path)
    result = ot(cli, *args, user=user, code=2)
    assert says in result.stderr, result.stderr
    assert snapshot_of(ledger_path) == before


def test_paid_timecards_cannot_be_unapproved(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    [sid] = week_of_8h(cli, "W2", ["2026-10-12"])
    approve_and_pay(cli, "2026-10-12")
    before = snapshot_of(ledger_path)
    card = ot(cli, "unapprove", "timecards", "--period", "2026-10-12", "--worker", "W2", "--reason", "x", code=2)
    assert "--worker W2: 2026-10-11 to 2026-10-24 is paid: correct its shifts instead" in card.stderr
    shift = ot(cli, "unapprove", "shifts", "--shift", sid, "--reason", "x", code=2)
    assert "2026-10-12 is paid: a paid shift stays approved" in shift.stderr
    assert snapshot_of(ledger_path) == before


def test_service_level_refusals(ledger_path: Path, cli: CliRunner, tmp_path: Path) -> None:
    with pytest.raises(OtError, match="no ledger"):
        audit(tmp_path / "none.db")
    with pytest.raises(OtError) as err:
        check_timeframe("SOMEDAY")
    assert "--correction-timeframe: 'SOMEDAY': use one of NEXT_PAYROLL_PAYMENT" in err.value.render()
    company(cli, tmp_path)
    with pytest.raises(OtError, match="no off-cycle payment 'R1'"):
        off_cycle_stub(ledger_path, "R1")
    assert audit(ledger_path, since=date(2026, 1, 1)) == []
