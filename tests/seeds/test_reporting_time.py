"""Reporting-time pay priced from the workers' schedules (IWC Wage Order 4-2001 section 5(A)), in the
ledger: the schedule imported with ``ot import schedules`` is what the engine is given, ``ot explain``
names the rule, and a schedule that reprices a paid week is a correction (refused unless authorized).

The small ledger (tests/conftest.py): W1 in Los Angeles (CA) at $20.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ot.cli import main
from ot.core.errors import OtError
from ot.services import schedules
from ot.services.approvals import approve_shifts, approve_timecards
from ot.services.ledger import verify
from ot.services.pay import price_weeks
from ot.services.payrun import run_payroll

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SCHEDULE = "worker_id,weekday,hours,effective_from\nW1,monday,8,2026-01-01\n"


def _short_monday(cli: CliRunner) -> None:
    """W1 reports Monday 2026-11-16 and is sent home after 2 hours."""
    result = cli.invoke(main, ["shift", "add", "--worker", "W1", "--start", "2026-11-16T08:00", "--end", "10:00"])
    assert result.exit_code == 0, result.stderr


def _reporting(path: Path) -> list[tuple[date, Decimal, Decimal, Decimal]]:
    run = price_weeks(path, ["W1"], date(2026, 11, 15), date(2026, 11, 21))
    return [
        (ln.date, ln.hours, ln.rate, ln.amount)
        for w in run.weeks
        for ln in w.result.lines
        if ln.premium == "reporting_time"
    ]


def test_a_short_scheduled_day_owes_reporting_time_from_the_schedule(
    small_ledger: Path, tmp_path: Path, cli: CliRunner
) -> None:
    """DLSE Enforcement Manual 45.1.2 (derived): scheduled for 8 hours, sent home after 2: paid for half
    the scheduled day, 4 hours: 2 worked and 2 of reporting time at the regular rate ($20)."""
    _short_monday(cli)
    assert _reporting(small_ledger) == []  # no schedule: nothing is known of the scheduled day
    (tmp_path / "s.csv").write_text(SCHEDULE)
    schedules.import_schedules(small_ledger, tmp_path / "s.csv", actor="A1", now=NOW)
    assert _reporting(small_ledger) == [(date(2026, 11, 16), Decimal("2.00"), Decimal("20.00"), Decimal("40.00"))]
    result = cli.invoke(main, ["explain", "W1", "--week", "2026-11-16"])
    assert result.exit_code == 0, result.stderr
    assert "reporting time: half the scheduled day, 2h to 4h; second report 2h (rules.example.ot:" in result.stdout
    assert "scheduled 8h, worked 2.00 h (less than half): paid for 4h" in result.stdout
    assert verify(small_ledger).ok


def test_a_schedule_that_reprices_a_paid_week_is_a_correction(
    small_ledger: Path, tmp_path: Path, cli: CliRunner
) -> None:
    """A schedule row dated into a paid week changes what its reporting-time pay is: refused without
    --correction-authorized and a reason (nothing written), recorded as a correction with them."""
    _short_monday(cli)
    day = date(2026, 11, 16)
    for period_day in (date(2026, 11, 2), day):  # W1's earlier unpaid Monday too: a pay run pays it first
        approve_shifts(small_ledger, all_visible=True, period_day=period_day, actor="A1", now=NOW)
    approve_timecards(small_ledger, period_day=day, actor="A1", now=NOW)
    run_payroll(small_ledger, period_day=day, partial=True, actor="A1", now=NOW)
    (tmp_path / "s.csv").write_text(SCHEDULE)
    with pytest.raises(OtError) as caught:
        schedules.import_schedules(small_ledger, tmp_path / "s.csv", actor="A1", now=NOW)
    assert "W1 week of 2026-11-15" in caught.value.problems[0].where
    assert not schedules.schedule_rows(small_ledger, "W1")  # nothing written
    done = schedules.import_schedules(
        small_ledger,
        tmp_path / "s.csv",
        actor="A1",
        now=NOW,
        correction_authorized=True,
        reason="schedule recorded late",
    )
    assert [(c.worker_id, c.kind, c.amount) for c in done.corrections] == [("W1", "underpayment", Decimal("40.00"))]
    assert "correction" in done.describe()
    assert verify(small_ledger).ok
