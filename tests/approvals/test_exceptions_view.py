"""The Exceptions screen's read (ot.services.exceptions_view) on a tiny ledger built through `ot import`:
a missing in-punch, a shift over 24 hours and minimum-wage make-up, per worker and workweek; shift
exceptions block (their own worker only), pay the rules added does not; who sees what follows the queue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests_support import count_price_calls

import ot.services.pay as pay_module
from ot.cli import main
from ot.core.errors import OtError, Problem
from ot.services.exceptions_view import exceptions_queue

LOCATIONS = "location_id,name,state,timezone\nLA,Los Angeles,CA,America/Los_Angeles\n"
WORKERS = (
    "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
    "A1,Ann Admin,W2,40.00,LA,,admin,,,\n"
    "M1,Max Manager,W2,30.00,LA,A1,manager,,,\n"
    "W1,Wes Worker,W2,10.00,LA,M1,worker,,,\n"
    "W2,Wan Worker,W2,25.00,LA,M1,worker,,,\n"
    "W3,Wil Worker,W2,25.00,LA,A1,worker,,,\n"
)
# W1 at $10.00 in California (minimum $16.90) works 8 hours on Monday; W2 works 26 hours in one
# shift, then punches out on Wednesday with no in-punch; W3 (A1's report) has a clean shift.
PUNCHES = (
    "worker_id,time,kind,location_id,break_type\n"
    "W1,2026-11-02T08:00,in,,\n"
    "W1,2026-11-02T16:00,out,,\n"
    "W2,2026-11-02T08:00,in,,\n"
    "W2,2026-11-03T10:00,out,,\n"
    "W2,2026-11-04T17:00,out,,\n"
    "W3,2026-11-02T08:00,in,,\n"
    "W3,2026-11-02T12:00,out,,\n"
)
DAY = date(2026, 11, 2)


@pytest.fixture
def tiny(ledger_path: Path, tmp_path: Path) -> Path:
    runner = CliRunner()
    for kind, text in (("locations", LOCATIONS), ("workers", WORKERS), ("punches", PUNCHES)):
        f = tmp_path / f"{kind}.csv"
        f.write_text(text)
        result = runner.invoke(main, ["import", kind, str(f)])
        assert result.exit_code == 0, result.stderr
    return ledger_path


def test_each_item_per_worker_and_week_and_what_it_blocks(tiny: Path) -> None:
    view = exceptions_queue(tiny, "A1", DAY)
    assert view.refusal is None
    assert view.unpriced is None
    got = [(i.worker_id, i.week_start, i.day, i.kind, i.blocks) for i in view.items]
    assert got == [
        ("W1", date(2026, 11, 1), DAY, "MW_MAKEUP", False),
        ("W1", date(2026, 11, 1), DAY, "meal", False),  # 8 hours without a meal period
        ("W2", date(2026, 11, 1), DAY, "over_24h", True),  # what blocks comes first in a week
        ("W2", date(2026, 11, 1), date(2026, 11, 4), "missing_in", True),
        ("W2", date(2026, 11, 1), DAY, "meal", False),
    ]
    assert view.blocked_workers == ("W2",)  # W1's make-up is paid, it blocks nothing
    makeup = view.items[0]
    assert makeup.amount == Decimal("8") * (Decimal("16.90") - Decimal("10.00"))
    assert "minimum-wage make-up 8 h, $55.20" in makeup.what
    assert "CA minimum wage" in makeup.what
    missing = view.items[3]
    assert missing.label == "missing in-punch"
    # The in time is unknown: shown as --:--, never as the out time twice ("17:00-17:00").
    assert "--:--" in missing.what, missing.what
    assert "ot punch add --worker W2 --kind in" in missing.fix
    assert missing.shift_id is not None


def test_a_manager_sees_their_reports_and_a_worker_the_refusal(tiny: Path) -> None:
    assert {i.worker_id for i in exceptions_queue(tiny, "M1", DAY).items} == {"W1", "W2"}
    refused = exceptions_queue(tiny, "W1", DAY)
    assert refused.items == ()
    assert refused.refusal is not None
    assert "only a worker's manager or an admin" in refused.refusal


def test_a_clean_period_has_nothing(tiny: Path) -> None:
    view = exceptions_queue(tiny, "A1", date(2026, 12, 15))
    assert view.items == ()
    assert view.refusal is None


def test_the_weeks_are_priced_once(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The queue's hours and the premiums come from one price run (it was three for an admin: the queue's
    weeks, its timecards, then the premiums again)."""
    calls = count_price_calls(monkeypatch)
    view = exceptions_queue(tiny, "A1", DAY)
    assert len(view.items) == 5
    assert calls == [("W1", "W2", "W3")]


def test_weeks_the_engine_refuses_still_list_their_shift_exceptions(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the engine cannot price the weeks, the shifts to fix still show (they block), the premiums
    cannot be known, and the view says why."""

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OtError("no rules in force", [Problem("rules", "adopt a rules file in force on 2026-11-01")])

    monkeypatch.setattr(pay_module, "price", refuse)
    view = exceptions_queue(tiny, "A1", DAY)
    assert [(i.worker_id, i.kind, i.blocks) for i in view.items] == [
        ("W2", "over_24h", True),
        ("W2", "missing_in", True),
    ]
    assert view.unpriced is not None
    assert "adopt a rules file in force on 2026-11-01" in view.unpriced
