"""Issue 15: the summary ``ot`` prints is read with SQL aggregates and the shifts of open dates only;
its figures equal the old computation, which read and paired every punch of the ledger (kept here as the
oracle; ``test_summary_counts`` compares with it too, with the counts kept by a verify checkpoint)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ledger.pairing import EXCEPTIONS
from ot.core.timez import local_date
from ot.services.approvals import approve_shifts, approve_timecards
from ot.services.imports import import_file, load_demo
from ot.services.pay import shift_day
from ot.services.payrun import run_payroll
from ot.services.periods import configure_periods
from ot.services.summary import LedgerSummary, summarize
from ot.services.uow import unit_of_work

ANCHOR = date(2026, 7, 19)  # a Sunday


def oracle(path: Path) -> LedgerSummary:
    """The old way: every punch read, every shift of the ledger paired, exceptions kept on unpaid dates."""
    with unit_of_work(path) as uow:
        punches = uow.reads.punches()
        roster, locations = uow.roster, uow.locations
        zones = {loc.timezone for loc in locations.values()} or {"UTC"}
        days = [local_date(p.at, z) for p in punches for z in zones]
        exceptions: Counter[str] = Counter()
        ranges = uow.pay.paid_ranges()
        if days:
            for shift in uow.shifts(sorted(roster), min(days), max(days)):
                day, paid = shift_day(shift), ranges.get(shift.worker_id)
                if paid is None or day is None or not paid[0] <= day <= paid[1]:
                    exceptions.update(shift.exceptions)
        events = uow.reads.count()
    return LedgerSummary(
        path=path,
        exists=True,
        events=events,
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
        punches=len(punches),
        exceptions={
            k: exceptions[k] for k in (*EXCEPTIONS, *sorted(set(exceptions) - set(EXCEPTIONS))) if exceptions[k]
        },
    )


def same_figures(path: Path) -> LedgerSummary:
    got, want = summarize(path), oracle(path)
    assert (got.events, got.first_day, got.last_day, got.punches, got.exceptions) == (
        want.events,
        want.first_day,
        want.last_day,
        want.punches,
        want.exceptions,
    )
    return got


def test_summary_of_the_demo_equals_pairing_every_punch(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    load_demo(path, actor="tester", now=datetime(2026, 11, 16, 12, 0, tzinfo=UTC))
    assert same_figures(path).exceptions  # the demo has open exceptions: the comparison is not of empties


def _generated(folder: Path) -> Path:
    """Three paid periods for W1-W3; W4 never paid (an old shift with no out punch); open exceptions."""
    ledger = folder / "ledger.db"
    (folder / "locations.csv").write_text(
        "location_id,name,state,timezone\nL1,Los Angeles,CA,America/Los_Angeles\nL2,Houston,TX,America/Chicago\n"
    )
    rows = [
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override",
        "A1,Ada,W2,40,L1,,admin,,,",
    ]
    rows += [f"W{i},Worker {i},W2,20.00,L{1 + i % 2},A1,worker,,," for i in range(1, 5)]
    (folder / "workers.csv").write_text("\n".join(rows) + "\n")
    now0 = datetime(2026, 7, 1, tzinfo=UTC)
    import_file(ledger, "locations", folder / "locations.csv", actor="A1", now=now0)
    import_file(ledger, "workers", folder / "workers.csv", actor="A1", now=now0)
    configure_periods(
        ledger, frequency="biweekly", anchor=ANCHOR, pay_date_offset=5, effective=None, actor="A1", now=now0
    )
    for k in range(4):
        start = ANCHOR + timedelta(days=14 * k)
        lines = ["worker_id,time,kind,location_id,break_type"]
        for d in range(1, 13):
            day = start + timedelta(days=d)
            if day.weekday() >= 5:
                continue
            for w in ("W1", "W2", "W3"):
                lines.append(f"{w},{day}T08:00,in,,")
                if not (k == 3 and w == "W1" and d == 2):  # an open missing out punch
                    lines.append(f"{w},{day}T16:{10 * int(w[1]):02d},out,,")
        if k == 0:
            lines.append(f"W4,{start + timedelta(days=1)}T09:00,in,,")  # never paid: an old missing out
        (folder / "p.csv").write_text("\n".join(lines) + "\n")
        when = datetime.combine(start + timedelta(days=15), datetime.min.time(), UTC)
        import_file(ledger, "punches", folder / "p.csv", actor="A1", now=when)
        if k < 3:
            approve_shifts(ledger, all_visible=True, period_day=start, actor="A1", now=when)
            approve_timecards(ledger, period_day=start, actor="A1", now=when)
            run_payroll(ledger, period_day=start, partial=True, actor="A1", now=when)
    return ledger


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generated(tmp_path_factory.mktemp("generated"))


def test_summary_of_a_generated_ledger_equals_pairing_every_punch(generated: Path) -> None:
    """Paid periods are not paired again, but a worker never paid keeps their old exceptions counted."""
    s = same_figures(generated)
    assert s.exceptions == {"missing_out": 2}
    with unit_of_work(generated) as uow:
        assert set(uow.pay.paid_ranges()) == {"W1", "W2", "W3"}


def test_punches_dated_outside_1900_2100_are_counted_apart(generated: Path, tmp_path: Path) -> None:
    """A ledger written before imports refused such years: the summary counts them, never as work."""
    import hashlib
    import shutil

    from ledger.events import PUNCH_KEY_PREFIX, NewEvent
    from ledger.store import Ledger

    path = tmp_path / "old.db"
    shutil.copy(generated, path)
    before = summarize(path)
    with Ledger.open(path) as led:
        led.append(
            [
                NewEvent(
                    "punch.recorded",
                    {
                        "worker_id": "W2",
                        "at": at,
                        "kind": "in",
                        "location_id": None,
                        "break_type": None,
                        "rate": None,
                        "source": "test",
                    },
                    key=PUNCH_KEY_PREFIX + hashlib.sha256(f"W2|{at}|in".encode()).hexdigest(),
                    worker_id="W2",
                )
                for at in ("0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "2101-01-01T00:00:00Z")
            ],
            actor="A1",
            now=datetime(2026, 11, 1, tzinfo=UTC),
        )
    s = same_figures(path)
    assert (s.punches, s.ignored_punches, s.first_day, s.last_day) == (
        before.punches,
        3,
        before.first_day,
        before.last_day,
    )
