"""A pay run says when a minimum wage adjusted yearly lacks the figure for the hours it pays.

California adjusts its minimum wage every year (Lab. Code 1182.12(c)). Here the rules are made to say
CA's adjustment falls on October 1 (from 2022-10-01), so that the period 2026-10-11..24 is after an
adjustment (2026-10-01) the rules have no figure from: the run pays at the last figure, and warns, naming
the workers who worked under it (W1, at L1 in California, a location without a city, so no local block
applies; not W2, in Texas: federal rules alone, 29 U.S.C. 206). Once the figure is adopted, the warning is gone.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from approvals_helpers import company, ot, week_of_8h
from click.testing import CliRunner

from ot.core.domain import Shift
from ot.services.payrun_view import preview_payrun
from ot.services.ruleset import RulesHistory
from ot.services.wage_notices import shift_notices
from tui.screens.payrun import detail_text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "rules.example.ot").read_text(encoding="utf-8")
OCTOBER = SHIPPED.replace(
    "minimum wage adjusted yearly from 2023-01-01  # Lab. Code",
    "minimum wage adjusted yearly from 2022-10-01  # Lab. Code",
    1,
)
WRITTEN = OCTOBER.replace(
    "    minimum wage 16.90 from 2026-01-01  # DIR annual adjustment for 2026\n",
    "    minimum wage 16.90 from 2026-01-01  # DIR annual adjustment for 2026\n    minimum wage 17.10 from 2026-10-01\n",
    1,
)


def _period(cli: CliRunner, tmp_path: Path, rules: str) -> None:
    company(cli, tmp_path)
    (tmp_path / "rules.ot").write_text(rules, encoding="utf-8")
    ot(cli, "rules", "adopt", str(tmp_path / "rules.ot"), "--from", "2026-10-01")
    week_of_8h(cli, "W1", ["2026-10-12", "2026-10-13"])
    week_of_8h(cli, "W2", ["2026-10-12"])
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")


def test_a_missing_figure_is_a_warning_of_the_run(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    assert OCTOBER != SHIPPED
    _period(cli, tmp_path, OCTOBER)
    preview = ot(cli, "payrun", "--period", "2026-10-12", "--dry-run").stdout
    (warning,) = [line for line in preview.splitlines() if "warning:" in line]
    assert warning.startswith("  warning: CA: the minimum wage is adjusted every year on October 1 (")
    assert (
        "the rules have no figure from 2026-10-01: the last figure, 16.90 from 2026-01-01, is used meanwhile" in warning
    )
    assert warning.endswith("(1 worker worked under it: W1)")
    data = json.loads(ot(cli, "payrun", "--period", "2026-10-12", "--json").stdout)
    assert [n[:60] for n in data["notices"]] == [warning.removeprefix("  warning: ")[:60]]
    # the run itself paid: a warning never blocks money owed on time (W1 at $20 is above any CA figure)
    assert {w["worker_id"] for w in data["workers"]} == {"W1", "W2"}


def test_no_warning_once_the_figure_is_written(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    _period(cli, tmp_path, WRITTEN)
    preview = ot(cli, "payrun", "--period", "2026-10-12", "--dry-run").stdout
    assert "warning:" not in preview


def test_the_pay_run_screen_shows_the_warning(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    _period(cli, tmp_path, OCTOBER)
    view = preview_payrun(ledger_path, period_day=date(2026, 10, 12), actor="A1", now=datetime(2026, 11, 1, tzinfo=UTC))
    text = detail_text(view, view.rows[0])
    assert "Rules: CA: the minimum wage is adjusted every year on October 1" in text


def test_the_figure_written_after_the_run_reprices_it_through_a_correction(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """Paid at the last figure while the new one was missing; once adopted, the dates paid below it are an
    underpayment (a state's minimum wage is owed for every hour: Lab. Code 1182.12, 1194), recorded as a
    correction only with the authority to, never by rewriting the run."""
    _period(cli, tmp_path, OCTOBER)
    paid = json.loads(ot(cli, "payrun", "--period", "2026-10-12", "--json").stdout)
    assert len(paid["notices"]) == 1
    (tmp_path / "new.ot").write_text(
        OCTOBER.replace(
            "    minimum wage 16.90 from 2026-01-01  # DIR annual adjustment for 2026\n",
            "    minimum wage 16.90 from 2026-01-01  # DIR annual adjustment for 2026\n"
            "    minimum wage 21.00 from 2026-10-01\n",
            1,
        ),
        encoding="utf-8",
    )
    refused = ot(cli, "rules", "adopt", str(tmp_path / "new.ot"), "--from", "2026-10-01", code=2)
    assert "correction-authorized" in refused.stderr
    done = ot(
        cli,
        "rules",
        "adopt",
        str(tmp_path / "new.ot"),
        "--from",
        "2026-10-01",
        "--correction-authorized",
        "--reason",
        "CA figure for 2026-10-01 published",
    ).stdout
    # W1: 16 hours paid at $20.00, owed at $21.00: 16 x 1.00 = $16.00; and the two meal-period premiums of
    # the two 8-hour days without a meal break (Lab. Code 226.7(c): 1 hour at the regular rate, now $21.00):
    # 2 x 1.00 = $2.00. $18.00 in all, for the week of 2026-10-11; W2 (Texas) is not repriced.
    (line,) = [x for x in done.splitlines() if x.startswith("correction ")]
    assert line.endswith("W1 week of 2026-10-11: underpayment 18.00, added to the next pay run")


def test_the_rules_are_those_the_week_was_priced_with(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """The engine prices a workweek with the rules file in force on its first day (Sunday 2026-10-11 here).
    A file adopted from Wednesday 2026-10-14 with the new figure does not price 10-15 and 10-16: the
    figure those days were paid at is the old one, and the run says so (it said nothing before)."""
    company(cli, tmp_path)
    mid = SHIPPED.replace(
        "minimum wage adjusted yearly from 2023-01-01  # Lab. Code",
        "minimum wage adjusted yearly from 2022-10-14  # Lab. Code",
        1,
    )
    (tmp_path / "old.ot").write_text(mid, encoding="utf-8")
    (tmp_path / "new.ot").write_text(
        mid.replace(
            "    minimum wage 16.90 from 2026-01-01  # DIR annual adjustment for 2026\n",
            "    minimum wage 16.90 from 2026-01-01  # DIR annual adjustment for 2026\n    minimum wage 21.00 from 2026-10-14\n",
            1,
        ),
        encoding="utf-8",
    )
    ot(cli, "rules", "adopt", str(tmp_path / "old.ot"), "--from", "2026-10-01")
    ot(cli, "rules", "adopt", str(tmp_path / "new.ot"), "--from", "2026-10-14")
    week_of_8h(cli, "W1", ["2026-10-15", "2026-10-16", "2026-10-19"])
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    data = json.loads(ot(cli, "payrun", "--period", "2026-10-12", "--dry-run", "--json").stdout)
    (notice,) = data["notices"]
    assert "no figure from 2026-10-14" in notice
    assert notice.endswith("(1 worker worked under it: W1)")


def _shift(worker: str, start: str | None, end: str | None, *, texas: bool = False, **more: object) -> Shift:
    """A shift at the Los Angeles location (city set: its local block applies), or in Texas."""
    place: dict[str, object] = (
        {"state": "TX", "timezone": "America/Chicago", "location_id": "L2"}
        if texas
        else {"state": "CA", "timezone": "America/Los_Angeles", "city": "Los Angeles", "location_id": "L1"}
    )
    return Shift(
        shift_id=f"S-{worker}-{start}",
        worker_id=worker,
        start=datetime.fromisoformat(start).astimezone(UTC) if start else None,
        end=datetime.fromisoformat(end).astimezone(UTC) if end else None,
        **place,  # type: ignore[arg-type]
        **more,  # type: ignore[arg-type]
    )


def test_local_blocks_a_night_into_the_adjustment_and_many_workers() -> None:
    """The notices of shifts at a Los Angeles location (a local block: LAMC 187.02, every July 1; the shipped
    rules' last figure is from 2025-07-01) and in Texas (federal rules alone): a shift ending at midnight
    has no hours on the next day; an hours-only entry counts on its day; more than five workers are named
    as five and how many more."""
    history = RulesHistory(())
    night = _shift("W0", "2025-06-30T16:00-07:00", "2025-07-01T00:00-07:00")
    assert shift_notices(history, [night]) == ()  # 2025: the figure from 2025-07-01 is written
    june = _shift("W0", "2026-06-30T16:00-07:00", "2026-07-01T00:00-07:00")
    assert shift_notices(history, [june]) == ()  # all its hours are on June 30
    (notice,) = shift_notices(history, [_shift("W0", "2026-06-30T16:00-07:00", "2026-07-01T00:30-07:00")])
    assert notice.startswith("Los Angeles, CA: the minimum wage is adjusted every year on July 1 (")
    assert "no figure from 2026-07-01: the last figure, 17.87 from 2025-07-01, is used meanwhile" in notice
    hours_only = _shift("W0", None, None, day=date(2026, 7, 2), minutes=480)
    assert len(shift_notices(history, [hours_only])) == 1
    texas = _shift("T1", "2026-07-02T08:00-05:00", "2026-07-02T16:00-05:00", texas=True)
    assert shift_notices(history, [texas]) == ()
    many = [_shift(f"W{i}", "2026-07-02T08:00-07:00", "2026-07-02T16:00-07:00") for i in range(7)]
    (notice,) = shift_notices(history, [*many, texas])
    assert notice.endswith("(7 workers worked under it: W0, W1, W2, W3, W4 and 2 more)")
