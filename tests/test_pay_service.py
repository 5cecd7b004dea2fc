"""``ot.services.pay``: the one path from the ledger to the engine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from ot.cli import main
from ot.services.pay import price_weeks

# W1 (Los Angeles, $20): a shift a year earlier, a night shift across the
# workweek's start (Sat 2026-10-31 22:00 to Sun 06:00, the fall-back night),
# and a plain Monday.
PUNCHES = (
    "worker_id,time,kind,location_id,break_type\n"
    "W1,2025-11-03T08:00,in,,\n"
    "W1,2025-11-03T16:00,out,,\n"
    "W1,2026-10-31T22:00,in,,\n"
    "W1,2026-11-01T06:00,out,,\n"
    "W1,2026-11-09T08:00,in,,\n"
    "W1,2026-11-09T16:00,out,,\n"
)


def _punches(tmp_path: Path, cli: CliRunner) -> None:
    f = tmp_path / "more.csv"
    f.write_text(PUNCHES)
    result = cli.invoke(main, ["import", "punches", str(f)])
    assert result.exit_code == 0, result.stderr


def test_a_night_shift_across_the_week_start_splits_between_weeks(
    small_ledger: Path, tmp_path: Path, cli: CliRunner
) -> None:
    """29 CFR 778.104 (each workweek stands alone) and the DOL hours-worked advisor's DST
    example: Sat 22:00 to Sun 06:00 across the fall-back change is 9 hours worked, 2 in the
    workweek ending Saturday and 7 in the one beginning Sunday 2026-11-01."""
    _punches(tmp_path, cli)
    run = price_weeks(small_ledger, ["W1"], date(2026, 10, 25), date(2026, 11, 7))
    before = run.week("W1", date(2026, 10, 25))
    after = run.week("W1", date(2026, 11, 1))
    assert before is not None
    assert after is not None
    assert before.result.hours_worked == 2
    assert after.result.hours_worked == 7 + 10  # and Monday's 10 hours of the small ledger
    assert [s.shift_id for s in before.shifts] == [s.shift_id for s in before.shifts if not s.exceptions]
    assert not any(s.exceptions for s in after.shifts)


def test_a_week_reads_only_the_punches_around_it(small_ledger: Path, tmp_path: Path, cli: CliRunner) -> None:
    """The shift of a year before neither shows in nor disturbs a week now. (The 8-hour
    Monday without a meal period also owes one hour at the regular rate: Cal. Lab.
    Code 512(a), 226.7.)"""
    _punches(tmp_path, cli)
    run = price_weeks(small_ledger, ["W1"], date(2026, 11, 8), date(2026, 11, 14))
    assert len(run.weeks) == 1
    week = run.weeks[0]
    assert week.result.week_start == date(2026, 11, 8)
    assert [s.start.isoformat() for s in week.shifts if s.start] == ["2026-11-09T16:00:00+00:00"]
    assert week.result.gross == 8 * 20 + 20
    assert week.result.premium_hours == 1
    old = price_weeks(small_ledger, ["W1"], date(2025, 11, 3), date(2025, 11, 3))
    assert old.weeks[0].result.hours_worked == 8
