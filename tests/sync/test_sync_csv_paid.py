"""The csv feed of a period some of whose workers are paid: what the report calls Sent is in the file.

A review found shifts reported Sent that were missing from the feed: a worker paid before their shifts
were sent (or after some of them were) had their rows copied from the old file only, and their new shifts
left out. The feed now holds, for a paid worker, exactly the shift versions paid; a period changed since it
was paid (a correction) keeps its rows as they were and refuses that worker's shifts, so that nothing is
ever reported Sent and absent. The machine at the end checks it over random histories.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sync_helpers import CSV_CONFIG, company, day8, ot, write_config

from ledger.store import Ledger
from ot.core.errors import OtError
from ot.services import approvals, entries, imports, payrun, sync
from ot.services.approvals import shift_day
from ot.services.uow import unit_of_work
from ot.sync.csv_target import worked_minutes

PERIOD = "2026-10-11_2026-10-24"


def _feed(folder: Path) -> Counter[tuple[str, str, str]]:
    """(worker, week ending, pay type) -> minutes, over every period's feed in ``folder``."""
    out: Counter[tuple[str, str, str]] = Counter()
    for path in sorted(folder.glob("*/timecards.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                out[(row["worker_id"], row["week_ending"], row["pay_type"])] += int(row["minutes"])
    return +out


def _statuses(ledger_path: Path, now: datetime) -> dict[str, str]:
    return {r.shift_id: r.status for w in sync.sync_report(ledger_path, now=now, everything=True) for r in w.rows}


def test_shifts_paid_before_they_were_sent_are_in_the_feed(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Approve, approve the timecards, pay, then sync: every shift is Sent and in the file (it was empty)."""
    company(cli, tmp_path)
    write_config(ledger_path, CSV_CONFIG)
    day8(cli, "W1", "2026-10-12")
    day8(cli, "W2", "2026-10-19")
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    ot(cli, "payrun", "--period", "2026-10-12")
    assert "2 sent" in ot(cli, "sync").stderr
    rows = (tmp_path / "feeds" / PERIOD / "timecards.csv").read_text().splitlines()
    assert rows[1:] == [
        "W1,Wes Worker,2026-10-17,REGULAR,L1,20.00,8.00,480",
        "W2,Tex Worker,2026-10-24,REGULAR,L2,20.00,8.00,480",
    ]


def test_a_worker_paid_between_two_syncs_gets_every_shift_paid(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """Two shifts sent, three more approved, the timecard paid (a partial run), sync: the feed has the
    five (40 h), as paid, not the two sent before."""
    company(cli, tmp_path)
    write_config(ledger_path, CSV_CONFIG)
    sids = [day8(cli, "W1", f"2026-10-{d}") for d in (19, 20, 21, 22, 23)]
    ot(cli, "approve", "shifts", "--shift", sids[0], "--shift", sids[1], user="M1")
    ot(cli, "sync")
    feed = tmp_path / "feeds" / PERIOD / "timecards.csv"
    assert "W1,Wes Worker,2026-10-24,REGULAR,L1,20.00,16.00,960" in feed.read_text()
    ot(cli, "approve", "shifts", *(a for s in sids[2:] for a in ("--shift", s)), user="M1")
    ot(cli, "approve", "timecards", "--period", "2026-10-19", "--worker", "W1")
    ot(cli, "payrun", "--period", "2026-10-19", "--partial")
    assert "3 sent" in ot(cli, "sync").stderr
    assert "W1,Wes Worker,2026-10-24,REGULAR,L1,20.00,40.00,2400" in feed.read_text().splitlines()
    assert set(_statuses(ledger_path, datetime(2026, 11, 2, tzinfo=UTC)).values()) == {"Sent"}


def test_a_period_corrected_since_it_was_paid_keeps_its_rows_and_sends_nothing_absent(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """W1 is paid for two shifts, one sent before; the other is corrected after the pay run. The feed
    cannot write again what was paid (the paid version of the corrected shift is gone): W1's rows stay as
    they were, and W1's shift that is not in them is an Error with what to do, never Sent."""
    company(cli, tmp_path)
    write_config(ledger_path, CSV_CONFIG)
    first, second = day8(cli, "W1", "2026-10-12"), day8(cli, "W1", "2026-10-13")
    other = day8(cli, "W2", "2026-10-13")
    ot(cli, "approve", "shifts", "--shift", first)
    ot(cli, "sync")
    feed = tmp_path / "feeds" / PERIOD / "timecards.csv"
    w1_rows = [ln for ln in feed.read_text().splitlines() if ln.startswith("W1,")]
    ot(cli, "approve", "shifts", "--shift", second)
    ot(cli, "approve", "timecards", "--period", "2026-10-12", "--worker", "W1")
    ot(cli, "payrun", "--period", "2026-10-12", "--partial")
    ot(cli, "shift", "edit", first, "--end", "17:00", "--reason", "stayed late", "--correction-authorized")
    ot(cli, "approve", "shifts", "--shift", first, "--shift", other)
    out = ot(cli, "sync", code=1).stdout
    assert f"create  {other}" in out  # W2's shift goes; the period's file is written again
    assert [ln for ln in feed.read_text().splitlines() if ln.startswith("W1,")] == w1_rows
    statuses = _statuses(ledger_path, datetime(2026, 11, 2, tzinfo=UTC))
    assert statuses[other] == "Sent"
    assert statuses[second] == "Error"
    assert statuses[first] == "Error"
    errors = {
        r.shift_id: (r.detail, r.what_to_do)
        for w in sync.sync_report(ledger_path, now=datetime(2026, 11, 2, tzinfo=UTC), everything=True)
        for r in w.rows
    }
    detail, todo = errors[second]
    assert "is paid and was changed since" in detail
    assert f"shift {first} on 2026-10-12 was changed after it was paid" in detail
    assert "by hand" in todo


def test_a_shift_unapproved_after_it_was_sent_is_said_so_and_stays_in_the_feed(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """Unapproved after it was sent, a shift was reported "edited since it was approved" (it was not). It
    is still at the target: the report says so and what to do, and the feed keeps it when its period is
    written again for another shift, until it is approved again, edited or deleted."""
    company(cli, tmp_path)
    write_config(ledger_path, CSV_CONFIG)
    first = day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--shift", first)
    ot(cli, "sync")
    ot(cli, "unapprove", "shifts", "--shift", first, "--reason", "check the hours")
    row = next(
        r
        for w in sync.sync_report(ledger_path, now=datetime(2026, 11, 2, tzinfo=UTC), everything=True)
        for r in w.rows
        if r.shift_id == first
    )
    assert (row.status, row.detail) == ("Send", "unapproved after it was sent: the target still holds it, as sent")
    assert row.what_to_do.startswith(f"approve it again (`ot approve shifts --shift {first}`) if it was right")
    ot(cli, "approve", "shifts", "--shift", day8(cli, "W1", "2026-10-13"))
    assert "1 sent" in ot(cli, "sync").stderr
    rows = (tmp_path / "feeds" / PERIOD / "timecards.csv").read_text().splitlines()
    assert rows[1:] == ["W1,Wes Worker,2026-10-17,REGULAR,L1,20.00,16.00,960"]
    # Edited, and the new version not approved: said so (the old words, now true).
    ot(cli, "shift", "edit", first, "--end", "17:00", "--reason", "stayed late")
    report = ot(cli, "sync", "report", "--all").stdout
    assert "edited after it was sent, and the new version is not approved yet" in report


# --- the machine --------------------------------------------------------------------------

FIRST = date(2026, 10, 11)  # a Sunday: the default biweekly periods start here
DAYS = st.integers(0, 27).map(lambda n: FIRST + timedelta(days=n))  # two pay periods
WORKERS = st.sampled_from(["W1", "W2", "W3"])
LOCATIONS = "location_id,name,state,timezone\nL1,Los Angeles,CA,America/Los_Angeles\nL2,Dallas,TX,America/Chicago\n"
ROSTER = """worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override
A1,Ada Admin,W2,40.00,L1,,admin,,,
M1,Mia Manager,W2,30.00,L1,A1,manager,,,
W1,Wes Worker,W2,20.00,L1,M1,worker,,,
W2,Tex Worker,W2,18.00,L2,M1,worker,,,
W3,Tia Worker,W2,25.50,L2,M1,worker,,,
"""
REACHED: Counter[str] = Counter()
EXAMPLES = {"thorough": 300, "postgresql": 8}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 25)
STEPS = {"thorough": 30}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 15)


class FeedMachine(RuleBasedStateMachine):
    """Shifts added, some approved (step 1) or unapproved, timecards approved (step 2), pay runs (partial
    too) and syncs to a csv target, in any order. After every step: the feed holds exactly the hours of
    the shifts the report calls Sent, at the version sent (Sent means the target holds the current
    approved version), and of those it says the target still holds, unapproved after they were sent."""

    def __init__(self) -> None:
        super().__init__()
        self.path = Path(tempfile.mkdtemp(prefix="ot-feed-")) / "ledger.db"
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # after the last date worked: every period open
        self.shifts: list[str] = []
        self.worked: set[tuple[str, date]] = set()

    def _tick(self) -> datetime:
        self.now += timedelta(minutes=7)
        return self.now

    def _try(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        with Ledger.open(self.path) as led:
            before = led.head()
        try:
            out = fn(*args, **kwargs)
            REACHED[f"ok {fn.__name__}"] += 1
            return out
        except OtError as exc:
            REACHED[f"refused {fn.__name__}"] += 1
            if os.environ.get("OT_MACHINE_DEBUG"):
                REACHED[f"refused {fn.__name__}: {exc.message[:60]}"] += 1
            with Ledger.open(self.path) as led:
                assert led.head() == before, f"{fn.__name__} was refused but wrote something"
            return None

    @initialize()
    def company(self) -> None:
        folder = self.path.parent
        (folder / "l.csv").write_text(LOCATIONS)
        (folder / "w.csv").write_text(ROSTER)
        imports.import_file(self.path, "locations", folder / "l.csv", actor="A1", now=self.now)
        imports.import_file(self.path, "workers", folder / "w.csv", actor="A1", now=self.now)
        (folder / "ledger.sync.toml").write_text(f'[targets.files]\nkind = "csv"\nfolder = "{folder / "feeds"}"\n')

    @rule(worker=WORKERS, day=DAYS, days=st.integers(1, 3), start=st.integers(6, 12), hours=st.integers(2, 10))
    def work(self, worker: str, day: date, days: int, start: int, hours: int) -> None:
        for i in range(days):
            self.work_a_day(worker, day + timedelta(days=i), start, hours)

    def work_a_day(self, worker: str, day: date, start: int, hours: int) -> None:
        if (worker, day) in self.worked:  # one shift a day: no overlaps (an exception blocks approval)
            return
        self.worked.add((worker, day))
        end = datetime.combine(day, datetime.min.time()) + timedelta(hours=start + hours)
        result = self._try(
            entries.add_shift,
            self.path,
            worker_id=worker,
            given=entries.ShiftInput(start=f"{day}T{start:02d}:00", end=end.strftime("%Y-%m-%dT%H:%M")),
            reason=None,
            correction_authorized=False,
            timeframe="NEXT_PAYROLL_PAYMENT",
            actor="A1",
            now=self._tick(),
        )
        if result is not None:
            self.shifts.append(result.shift_id)

    @precondition(lambda self: bool(self.shifts))
    @rule(data=st.data(), manager=st.sampled_from(["A1", "M1"]))
    def approve_some_shifts(self, data: st.DataObject, manager: str) -> None:
        chosen = data.draw(st.lists(st.sampled_from(self.shifts), min_size=1, max_size=4, unique=True))
        self._try(approvals.approve_shifts, self.path, shift_ids=chosen, actor=manager, now=self._tick())

    @precondition(lambda self: bool(self.shifts))
    @rule(data=st.data())
    def unapprove_a_shift(self, data: st.DataObject) -> None:
        """One of the shifts sent, most often (else any)."""
        with Ledger.open(self.path) as led:
            sent = [r[0] for r in led.connection.execute("SELECT shift_id FROM sync_shifts WHERE clean = 1")]
        sid = data.draw(st.sampled_from(sorted(sent) or self.shifts))
        self._try(approvals.unapprove_shifts, self.path, shift_ids=[sid], reason="check", actor="A1", now=self._tick())

    @rule(day=DAYS)
    def approve_a_period_s_shifts(self, day: date) -> None:
        self._try(approvals.approve_shifts, self.path, all_visible=True, period_day=day, actor="A1", now=self._tick())

    @rule(day=DAYS, worker=st.one_of(st.none(), WORKERS))
    def approve_timecards(self, day: date, worker: str | None) -> None:
        workers = [worker] if worker else []
        self._try(
            approvals.approve_timecards, self.path, period_day=day, worker_ids=workers, actor="A1", now=self._tick()
        )

    def pay(self, day: date, partial: bool) -> None:
        self._try(payrun.run_payroll, self.path, period_day=day, partial=partial, actor="A1", now=self._tick())

    @rule(period=st.integers(0, 1), worker=st.one_of(st.none(), WORKERS), then_sync=st.booleans())
    def payday(self, period: int, worker: str | None, then_sync: bool) -> None:
        """Each pay period up to ``period`` in turn: step 1 for the period, step 2 for everyone (or one
        worker), then its pay run (partial for one worker); then, or later, a sync."""
        for p in range(period + 1):
            day = FIRST + timedelta(days=14 * p)
            self.approve_a_period_s_shifts(day)
            self.approve_timecards(day, worker)
            self.pay(day, worker is not None)
        if then_sync:
            self.send()

    @rule()
    def send(self) -> None:
        with unit_of_work(self.path) as uow:
            if uow.pay.paid_ranges():
                REACHED["a sync after a pay run"] += 1
        self._try(sync.run_sync, self.path, actor="A1", now=self._tick(), sleep=lambda s: None)

    @invariant()
    def the_feed_holds_what_the_report_calls_sent(self) -> None:
        """The file holds the shifts the report calls Sent, and those it says the target still holds
        (unapproved after they were sent), and nothing else."""
        rows = [r for w in sync.sync_report(self.path, now=self.now, everything=True) for r in w.rows]
        unapproved = {r.shift_id for r in rows if r.detail.startswith("unapproved after it was sent: the target")}
        held = {r.shift_id for r in rows if r.status == "Sent"} | unapproved
        REACHED["held after an unapproval"] += len(unapproved)
        expected: Counter[tuple[str, str, str]] = Counter()
        with unit_of_work(self.path) as uow:
            for sid in held:
                shift = uow.find_shift(sid)
                assert shift is not None
                day = shift_day(shift)
                saturday = day + timedelta(days=(5 - day.weekday()) % 7)
                expected[(shift.worker_id, saturday.isoformat(), shift.pay_type)] += worked_minutes(shift)
        assert _feed(self.path.parent / "feeds") == +expected


def test_the_feed_holds_exactly_what_the_report_calls_sent() -> None:
    FeedMachine.TestCase.settings = settings(
        max_examples=EXAMPLES,
        stateful_step_count=STEPS,
        derandomize=os.environ.get("HYPOTHESIS_PROFILE") != "thorough",
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    REACHED.clear()
    FeedMachine.TestCase().runTest()
    assert REACHED["ok run_payroll"], REACHED
    assert REACHED["a sync after a pay run"], REACHED
    assert REACHED["held after an unapproval"], REACHED
