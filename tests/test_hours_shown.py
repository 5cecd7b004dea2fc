"""The hours a person reviews are the hours paid: every view rounds the exact time worked as the pay does.

A review: a shift punched 07:03:17 to 16:41:50 with a 30-minute unpaid break is 9.1425 hours; the pay
counts 9.14 (the time to the millisecond, rounded half-up to the hundredth), but `ot shifts`, the
approval queue and the Timecards screen showed 9.13: they counted whole minutes, dropping the seconds.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ot.cli import main
from ot.core.money import shown_hours
from ot.services.browse import timecard_week
from ot.services.queue import approval_queue

LOCATIONS = "location_id,name,state,timezone\nL2,Dallas,TX,America/Chicago\n"
WORKERS = (
    "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
    "A1,Ada Admin,W2,40.00,L2,,admin,,,\nW2,Tex Worker,W2,20.00,L2,A1,worker,,,\n"
)
PUNCHES = (
    "worker_id,time,kind,location_id,break_type,rate\n"
    "W2,2026-10-12T07:03:17,in,,,\n"
    "W2,2026-10-12T11:00:00,break_start,,,\n"
    "W2,2026-10-12T11:30:00,break_end,,,\n"
    "W2,2026-10-12T16:41:50,out,,,\n"
)


def _ot(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(main, ["--as", "A1", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_shift_view_and_the_queue_show_the_hours_paid(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    for name, text in (("l.csv", LOCATIONS), ("w.csv", WORKERS), ("p.csv", PUNCHES)):
        (tmp_path / name).write_text(text)
    _ot(cli, "import", "locations", str(tmp_path / "l.csv"))
    _ot(cli, "import", "workers", str(tmp_path / "w.csv"))
    _ot(cli, "import", "punches", str(tmp_path / "p.csv"))
    week = _ot(cli, "shifts", "--worker", "W2", "--week", "2026-10-12")
    assert "  9.14  20.00" in week
    assert "1 shifts, 9.14 hours worked as recorded" in week
    queue = approval_queue(ledger_path, "A1", date(2026, 10, 12))
    assert [s.hours for w in queue.weeks for s in w.shifts] == [Decimal("9.14")]
    assert [(t.worker_id, t.hours) for t in queue.timecards] == [("W2", Decimal("9.14"))]
    assert [r.hours for r in timecard_week(ledger_path, "W2", date(2026, 10, 12)).rows] == [Decimal("9.14")]
    # 9.1425 h x $20.00 = $182.85 paid for 9.14 h: the stub's line multiplies out from the hours it shows.
    stub = _ot(cli, "stub", "W2", "--period", "2026-10-12")
    assert "9.14" in stub
    assert "182.80" in stub  # 9.14 x 20.00, to the cent (29 U.S.C. 207(a)(1): no overtime under 40 h)


@given(st.integers(0, 24 * 3_600_000))
def test_shown_hours_round_half_up_to_the_hundredth(ms: int) -> None:
    exact = Decimal(ms) / 3_600_000
    shown = shown_hours(ms)
    assert shown.as_tuple().exponent == -2
    assert abs(shown - exact) <= Decimal("0.005")
    if abs(shown - exact) == Decimal("0.005"):
        assert shown > exact  # half-up
