"""The Exceptions queue lists a missed meal once, on its shift's day: the share of it a bonus earned over
two workweeks adds (29 CFR 778.209(a); Lab. Code 226.7(c)) is no second missed meal (a diff review: it
was listed on the bonus's day, with no shift to fix)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from ot.cli import main
from ot.services.exceptions_view import exceptions_queue
from ot.services.explain import explain_week


def test_a_bonus_share_of_a_meal_premium_is_not_a_missed_meal(demo_ledger: Path) -> None:
    cli = CliRunner()
    for args in (
        ["shift", "edit", "S693", "--break", "10:16-10:26:REST", "--reason", "meal not taken"],
        ["earning", "add", "W01", "--date", "2026-10-30", "--kind", "bonus", "--amount", "400.00",
         "--earned-from", "2026-10-18", "--earned-to", "2026-10-30"],  # ends by the day it is paid (778.209(a))
    ):  # fmt: skip
        result = cli.invoke(main, ["--as", "A1", *args])
        assert result.exit_code == 0, result.output
    # The engine pays the share on the bonus's day, a premium line naming no shift:
    week = explain_week(demo_ledger, "W01", date(2026, 10, 25)).priced.result
    shares = [ln for ln in week.lines if ln.hour_class == "PREMIUM" and not ln.shift_ids]
    assert [(ln.date, ln.premium) for ln in shares] == [(date(2026, 10, 30), "meal")]
    # The missed meal is listed on its day (the period of 2026-10-19), the share nowhere.
    earlier = exceptions_queue(demo_ledger, "A1", date(2026, 10, 19))
    meals = [i for i in earlier.items if i.worker_id == "W01" and i.kind == "meal"]
    assert [(i.day, i.shift_id) for i in meals] == [(date(2026, 10, 19), "S693")]
    later = exceptions_queue(demo_ledger, "A1", date(2026, 10, 30))
    assert not [i for i in later.items if i.worker_id == "W01" and i.kind == "meal"]
