"""Days excused from reporting-time pay (IWC Wage Order 4-2001 section 5(C), (D)): ``ot schedule excuse``
records a ``schedule.excused`` event; the engine then owes neither 5(A) nor 5(B) that workday and the
week's explanation says why. Taking the excuse back (``withdrawn``) restores the pay; a paid date is a
correction; only who may import schedules may excuse.

Section 5(C): "The foregoing reporting time pay provisions are not applicable when: (1) Operations cannot
commence or continue due to threats to employees or property; or when recommended by civil authorities;
or (2) Public utilities fail to supply electricity, water, or gas, or there is a failure in the public
utilities, or sewer system; or (3) The interruption of work is caused by an Act of God or other cause not
within the employer's control." Section 5(D): not applicable to an employee on paid standby status
called to perform assigned work at a time other than the scheduled reporting time.

The small ledger (tests/conftest.py): W1 in Los Angeles (CA) at $20, admin A1, manager M1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.store import Ledger
from ot.cli import main
from ot.core.errors import OtError
from ot.services import schedules
from ot.services.approvals import approve_shifts, approve_timecards
from ot.services.ledger import verify
from ot.services.pay import price_weeks
from ot.services.payrun import run_payroll

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 16)
SCHEDULE = "worker_id,weekday,hours,effective_from\nW1,monday,8,2026-01-01\n"


@pytest.fixture
def scheduled(small_ledger: Path, tmp_path: Path, cli: CliRunner) -> Path:
    """W1 scheduled 8 hours on Mondays, reports Monday 2026-11-16 and is sent home after 2 hours, then
    reports again at 14:00 for 1 hour: 1h of reporting time under 5(A) (paid for half of 8, 3 worked)
    and 1h under 5(B) (a second report paid 2h, 1 worked)."""
    for start, end in (("2026-11-16T08:00", "10:00"), ("2026-11-16T14:00", "15:00")):
        result = cli.invoke(main, ["shift", "add", "--worker", "W1", "--start", start, "--end", end])
        assert result.exit_code == 0, result.stderr
    (tmp_path / "s.csv").write_text(SCHEDULE)
    schedules.import_schedules(small_ledger, tmp_path / "s.csv", actor="A1", now=NOW)
    return small_ledger


def _reporting(path: Path) -> Decimal:
    run = price_weeks(path, ["W1"], date(2026, 11, 15), date(2026, 11, 21))
    return sum((ln.hours for w in run.weeks for ln in w.result.lines if ln.premium == "reporting_time"), Decimal(0))


def _head(path: Path) -> int:
    with Ledger.open(path, create=False) as led:
        return led.head()[0]


@pytest.mark.parametrize(
    ("cause", "words"),
    [
        ("threats", "threats to employees or property (section 5(C)(1))"),
        ("civil-authorities", "civil authorities recommended that work not begin or continue (section 5(C)(1))"),
        ("utilities", "public utilities failed to supply electricity, water or gas"),
        ("act-of-god", "an Act of God or another cause not within the employer's control"),
        (
            "paid-standby",
            "paid standby, called to work at a time other than the scheduled reporting time (section 5(D))",
        ),
    ],
)
def test_an_excused_day_owes_no_reporting_time_and_the_explanation_says_why(
    scheduled: Path, cli: CliRunner, cause: str, words: str
) -> None:
    """Wage Order 4-2001 section 5(C)(1)-(3) and 5(D), quoted above (derived): the 2 hours of 5(A) and
    5(B) are owed, then none once the day is excused, and again once the excuse is withdrawn."""
    assert _reporting(scheduled) == Decimal(2)
    done = schedules.excuse_reporting_time(scheduled, "W1", "2026-11-16", cause, note="storm", actor="A1", now=NOW)
    assert done.recorded
    assert not done.corrections
    assert _reporting(scheduled) == 0
    result = cli.invoke(main, ["explain", "W1", "--week", "2026-11-16"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "2026-11-16: no reporting-time pay (reporting time: half the scheduled day" in text
    assert words in text
    schedules.excuse_reporting_time(scheduled, "W1", MONDAY, "withdrawn", actor="A1", now=NOW)
    assert _reporting(scheduled) == Decimal(2)
    assert verify(scheduled).ok


def test_the_same_excuse_twice_writes_nothing(scheduled: Path) -> None:
    schedules.excuse_reporting_time(scheduled, "W1", MONDAY, "utilities", actor="A1", now=NOW)
    head = _head(scheduled)
    again = schedules.excuse_reporting_time(scheduled, "W1", MONDAY, "utilities", actor="A1", now=NOW)
    assert not again.recorded
    assert "already excused from reporting-time pay (utilities); nothing was written" in again.describe()
    assert _head(scheduled) == head


@pytest.mark.parametrize(
    ("worker", "day", "cause", "actor", "where", "words"),
    [
        ("W1", "2026-11-16", "weather", "A1", "--cause", "'weather' is not a cause: write one of threats,"),
        ("W9", "2026-11-16", "utilities", "A1", "WORKER", "no worker 'W9' in the ledger"),
        ("W1", "2026-11-31", "utilities", "A1", "DATE", "2026-11-31"),
        ("W1", "2026-11-16", "utilities", "M1", "", "may not import schedules"),
    ],
)
def test_bad_input_and_the_wrong_role_write_nothing(
    scheduled: Path, worker: str, day: str, cause: str, actor: str, where: str, words: str
) -> None:
    head = _head(scheduled)
    with pytest.raises(OtError) as caught:
        schedules.excuse_reporting_time(scheduled, worker, day, cause, actor=actor, now=NOW)
    rendered = caught.value.render()
    assert words in rendered, rendered
    if where:
        assert caught.value.problems[0].where == where
    assert _head(scheduled) == head
    assert _reporting(scheduled) == Decimal(2)


def test_the_cli_excuses_and_refuses_an_unknown_cause(scheduled: Path, cli: CliRunner) -> None:
    args = ["schedule", "excuse", "--worker", "W1", "--date", "2026-11-16"]
    result = cli.invoke(main, [*args, "--cause", "tips"])
    assert result.exit_code == 2
    assert "'tips' is not one of" in result.stderr
    result = cli.invoke(main, [*args, "--cause", "utilities", "--note", "PSPS outage", "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "W1 2026-11-16 would be excused from reporting-time pay (utilities)" in result.stdout
    assert _reporting(scheduled) == Decimal(2)
    result = cli.invoke(main, [*args, "--cause", "utilities", "--note", "PSPS outage"])
    assert result.exit_code == 0, result.stderr
    assert "W1 2026-11-16 is excused from reporting-time pay (utilities)" in result.stdout
    assert _reporting(scheduled) == 0
    with Ledger.open(scheduled, create=False) as led:
        (event,) = list(led.events(kind="schedule.excused"))
    assert event.payload == {"worker_id": "W1", "date": "2026-11-16", "reason": "utilities", "note": "PSPS outage"}


def test_excusing_a_paid_day_is_a_correction(scheduled: Path) -> None:
    """Excusing a day already paid its reporting time takes 2 hours at $20 back: refused without
    --correction-authorized and a reason (nothing written), an overpayment of $40.00 with them."""
    for period_day in (date(2026, 11, 2), MONDAY):  # W1's earlier unpaid Monday too: the pay run pays it first
        approve_shifts(scheduled, all_visible=True, period_day=period_day, actor="A1", now=NOW)
    approve_timecards(scheduled, period_day=MONDAY, actor="A1", now=NOW)
    run_payroll(scheduled, period_day=MONDAY, partial=True, actor="A1", now=NOW)
    head = _head(scheduled)
    with pytest.raises(OtError) as caught:
        schedules.excuse_reporting_time(scheduled, "W1", MONDAY, "act-of-god", actor="A1", now=NOW)
    assert "W1 week of 2026-11-15" in caught.value.problems[0].where
    assert _head(scheduled) == head
    done = schedules.excuse_reporting_time(
        scheduled, "W1", MONDAY, "act-of-god", actor="A1", now=NOW, correction_authorized=True,
        correction_reason="earthquake closed the site",
    )  # fmt: skip
    (correction,) = done.corrections
    assert "W1 week of 2026-11-15: overpayment 40.00" in correction
    assert verify(scheduled).ok
