"""The pay cycle under random sequences of commands (hypothesis stateful).

Random histories of shifts added, edited and deleted, punches added, schedules
and days excused from reporting-time pay (W1), step-1
approvals and unapprovals, step-2 approvals and unapprovals, pay runs,
corrections (authorized or not), pay-calendar changes (weekly, biweekly from
any weekday, semi-monthly: a history may start on either calendar), workweeks
that straddle two pay periods (a later day at another rate adjusts the paid
days of its week), bonuses (some dated before any paid date, some earned over
earlier weeks), rules adoptions, pay rates dated into the past, and syncs
to a csv target, all through the service layer, as an admin and a manager
would, on one small company (W1 in California, W2 and W3 in Texas, hours at
$20, $18 and $25.50). After every
step (issue 10's invariants; design.md "Money is paid exactly once"):

- no worker-date is paid twice (the payments' date ranges never overlap);
- for every fully paid workweek, what the payments paid plus every correction
  since equals the week's price from the events now (a paid week changes only
  through a recorded correction), and what a payment paid equals what the
  week owed for those dates (``ot ledger verify``'s money check);
- nothing worked on or before the last paid date is unpaid and missing from
  the next dry run: every worker with pay lines on unpaid dates, or an open
  correction, has a timecard in the next pay run's dry run;
- ``ot ledger verify`` passes.

CI runs a modest number of examples; ``HYPOTHESIS_PROFILE=thorough`` runs many more.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from ledger.events import NewEvent
from ledger.paystate import FoldError
from ledger.store import Ledger
from ot.core.errors import OtError
from ot.services import approvals, earnings, entries, imports, payrun, periods, punch, schedules, sync
from ot.services.adopt import adopt_text
from ot.services.ledger import verify
from ot.services.paycycle import drafts
from ot.services.trust import check_projections, sidecar_path, tables_sha256
from ot.services.uow import unit_of_work
from rules.files import default_rules_path

FIRST = date(2026, 10, 11)  # a Sunday: the default biweekly periods start here
DAYS = st.integers(0, 41).map(lambda n: FIRST + timedelta(days=n))
WORKERS = st.sampled_from(["W1", "W2", "W3"])
LOCATIONS = "location_id,name,state,timezone\nL1,Los Angeles,CA,America/Los_Angeles\nL2,Dallas,TX,America/Chicago\n"
ROSTER = """worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override
A1,Ada Admin,W2,40.00,L1,,admin,,,
A2,Abe Admin,W2,40.00,L1,,admin,,,
M1,Mia Manager,W2,30.00,L1,A1,manager,,,
W1,Wes Worker,W2,20.00,L1,M1,worker,,,
W2,Tex Worker,W2,18.00,L2,M1,worker,,,
W3,Tia Worker,W2,25.50,L2,M1,worker,,,
"""
#: What the histories reached, summed over every example (the test fails if they never paid or corrected).
REACHED: Counter[str] = Counter()
EXAMPLES = {"thorough": 400, "postgresql": 10}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 26)
STEPS = {"thorough": 40}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 25)


class PayCycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.path = Path(self._tmp()) / "ledger.db"
        self.now = datetime(2026, 10, 12, 9, 0, tzinfo=UTC)
        self.shifts: list[str] = []

    @staticmethod
    def _tmp() -> str:
        import tempfile

        return tempfile.mkdtemp(prefix="ot-paycycle-")

    def _tick(self, minutes: int = 7) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now

    def _try(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Run a command; a refusal (OtError) must leave the ledger as it was."""
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

    @initialize(semimonthly=st.booleans())
    def company(self, semimonthly: bool = False) -> None:
        folder = self.path.parent
        (folder / "l.csv").write_text(LOCATIONS)
        (folder / "w.csv").write_text(ROSTER)
        imports.import_file(self.path, "locations", folder / "l.csv", actor="A1", now=self.now)
        imports.import_file(self.path, "workers", folder / "w.csv", actor="A1", now=self.now)
        if semimonthly:
            periods.configure_periods(
                self.path, frequency="semimonthly", anchor=date(2026, 10, 1), pay_date_offset=0, effective=None,
                actor="A1", now=self._tick(),
            )  # fmt: skip
        (folder / "ledger.sync.toml").write_text(f'[targets.files]\nkind = "csv"\nfolder = "{folder / "feeds"}"\n')

    # --- work --------------------------------------------------------------------------

    @rule(
        worker=WORKERS,
        day=DAYS,
        start=st.integers(0, 20),
        hours=st.integers(1, 13),
        authorized=st.booleans(),
        timeframe=st.sampled_from(["NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID"]),
        rate=st.sampled_from([None, None, "31.00"]),
    )
    def add_shift(
        self, worker: str, day: date, start: int, hours: int, authorized: bool, timeframe: str, rate: str | None = None
    ) -> None:
        end = datetime.combine(day, datetime.min.time()) + timedelta(hours=start + hours)
        result = self._try(
            entries.add_shift,
            self.path,
            worker_id=worker,
            given=entries.ShiftInput(start=f"{day}T{start:02d}:00", end=end.strftime("%Y-%m-%dT%H:%M"), rate=rate),
            reason="worked" if authorized else None,
            correction_authorized=authorized,
            timeframe=timeframe,
            actor="A1",
            now=self._tick(),
        )
        if result is not None:
            self.shifts.append(result.shift_id)

    @rule(
        worker=WORKERS,
        monday=st.integers(0, 5).map(lambda n: FIRST + timedelta(days=1 + 7 * n)),
        days=st.integers(1, 6),
        hours=st.integers(6, 11),
    )
    def work_a_week(self, worker: str, monday: date, days: int, hours: int) -> None:
        """Several days of work from a Monday (some weeks go over 40 hours, some days over 8)."""
        for i in range(days):
            self.add_shift(worker, monday + timedelta(days=i), 8, hours, False, "NEXT_PAYROLL_PAYMENT")

    @precondition(lambda self: bool(self.shifts))
    @rule(data=st.data(), minutes=st.integers(-180, 180), authorized=st.booleans())
    def edit_shift(self, data: st.DataObject, minutes: int, authorized: bool) -> None:
        sid = data.draw(st.sampled_from(self.shifts))
        with unit_of_work(self.path) as uow:
            shift = uow.find_shift(sid)
        if shift is None or shift.end is None or shift.start is None:
            return
        end = (shift.end + timedelta(minutes=minutes)).astimezone(UTC)
        if end <= shift.start:
            return
        from ot.core.timez import local

        self._try(
            entries.edit_shift,
            self.path,
            sid,
            given=entries.ShiftInput(end=local(end, shift.timezone).strftime("%Y-%m-%dT%H:%M")),
            reason="fixed" if authorized else None,
            correction_authorized=authorized,
            actor="A1",
            now=self._tick(),
        )

    @rule(
        weekday=st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday"]),
        hours=st.sampled_from(["0", "8", "10"]),
        since=DAYS,
        authorized=st.booleans(),
    )
    def schedule_w1(self, weekday: str, hours: str, since: date, authorized: bool) -> None:
        """W1 (California) scheduled on a weekday: a short day then owes reporting-time pay (Wage Order
        section 5(A)); a row dated into a paid week is a correction."""
        file = self.path.parent / "schedule.csv"
        file.write_text(f"worker_id,weekday,hours,effective_from\nW1,{weekday},{hours},{since}\n")
        self._try(
            schedules.import_schedules,
            self.path,
            file,
            actor="A1",
            now=self._tick(),
            correction_authorized=authorized,
            reason="schedule recorded" if authorized else None,
        )

    @rule(
        day=DAYS,
        cause=st.sampled_from(["utilities", "act-of-god", "paid-standby", "withdrawn"]),
        authorized=st.booleans(),
    )
    def excuse_w1(self, day: date, cause: str, authorized: bool) -> None:
        """A day of W1 excused from reporting-time pay (section 5(C), (D)), or the excuse withdrawn; on a
        paid date, a correction."""
        self._try(
            schedules.excuse_reporting_time,
            self.path,
            "W1",
            day,
            cause,
            actor="A1",
            now=self._tick(),
            correction_authorized=authorized,
            correction_reason="storm" if authorized else None,
        )

    @precondition(lambda self: bool(self.shifts))
    @rule(data=st.data())
    def delete_shift(self, data: st.DataObject) -> None:
        sid = data.draw(st.sampled_from(self.shifts))
        self._try(entries.delete_shift, self.path, sid, reason="not worked", actor="A1", now=self._tick())

    @rule(
        worker=WORKERS, day=DAYS, hour=st.integers(0, 22), kind=st.sampled_from(["in", "out"]), authorized=st.booleans()
    )
    def add_punch(self, worker: str, day: date, hour: int, kind: str, authorized: bool) -> None:
        self._try(
            punch.add_punch,
            self.path,
            worker_id=worker,
            kind=kind,
            at=f"{day}T{hour:02d}:30",
            reason="forgot to punch",
            correction_authorized=authorized,
            actor="A1",
            now=max(self._tick(), datetime(2026, 12, 1, tzinfo=UTC)),
        )

    # --- approvals and pay --------------------------------------------------------------

    @rule(day=DAYS, manager=st.sampled_from(["A1", "M1"]))
    def approve_shifts(self, day: date, manager: str) -> None:
        self._try(
            approvals.approve_shifts, self.path, all_visible=True, period_day=day, actor=manager, now=self._tick()
        )

    @precondition(lambda self: bool(self.shifts))
    @rule(data=st.data())
    def unapprove_shift(self, data: st.DataObject) -> None:
        sid = data.draw(st.sampled_from(self.shifts))
        self._try(approvals.unapprove_shifts, self.path, shift_ids=[sid], reason="check", actor="A1", now=self._tick())

    @rule(day=DAYS, all_or_nothing=st.booleans())
    def approve_timecards(self, day: date, all_or_nothing: bool) -> None:
        self._try(
            approvals.approve_timecards,
            self.path,
            period_day=day,
            all_or_nothing=all_or_nothing,
            actor="A1",
            now=self._tick(),
        )

    @rule(day=DAYS, worker=WORKERS)
    def unapprove_timecard(self, day: date, worker: str) -> None:
        self._try(
            approvals.unapprove_timecards,
            self.path,
            period_day=day,
            worker_ids=[worker],
            reason="check",
            actor="A1",
            now=self._tick(),
        )

    @rule(day=DAYS, partial=st.booleans())
    def pay(self, day: date, partial: bool) -> None:
        """The pay run. On odd days it checks each worker's approval rows as the worker is settled (a batch
        of 1), on even days all at the end (derived from the day drawn, so that CI's histories stay
        the ones it always ran)."""
        when = max(self.now, datetime.combine(day + timedelta(days=16), datetime.min.time(), UTC))
        self.now = when
        default = payrun.APPROVALS_BATCH
        payrun.APPROVALS_BATCH = 1 if day.day % 2 else default
        try:
            self._try(payrun.run_payroll, self.path, period_day=day, partial=partial, actor="A1", now=self._tick())
        finally:
            payrun.APPROVALS_BATCH = default

    @rule(day=DAYS, partial=st.booleans())
    def approve_everything_and_pay(self, day: date, partial: bool) -> None:
        """What an admin does on payday: step 1 and step 2 for every ready worker, then the pay run."""
        self.approve_shifts(day, "A1")
        self.approve_timecards(day, False)
        self.pay(day, partial)

    @rule(
        period=st.integers(0, 2),
        workers=st.lists(WORKERS, min_size=1, max_size=3, unique=True),
        days=st.integers(3, 6),
        hours=st.integers(7, 11),
        partial=st.booleans(),
    )
    def a_pay_cycle(self, period: int, workers: list[str], days: int, hours: int, partial: bool) -> None:
        """Two weeks of work for some workers, then payday."""
        start = FIRST + timedelta(days=14 * period)
        for w in workers:
            for week in (1, 8):
                self.work_a_week(w, start + timedelta(days=week), days, hours)
        self.approve_everything_and_pay(start, partial)

    @rule(period=st.integers(0, 2), first=st.integers(9, 12), later=st.integers(4, 12))
    def straddle(self, period: int, first: int, later: int) -> None:
        """W1 (California: daily overtime) works a long day at the end of a pay period, which is paid; then a
        day at another rate in the same workweek, paid with the next period. Where the workweek straddles
        the two (a semi-monthly calendar), that day changes the week's regular rate and so what the paid
        day owed for its overtime: a workweek adjustment (29 CFR 778.104: each workweek stands alone;
        778.115: the weighted average rate)."""
        with unit_of_work(self.path) as uow:
            end = uow.period_containing(FIRST + timedelta(days=14 * period + 3)).end
        self.add_shift("W1", end, 8, first, False, "NEXT_PAYROLL_PAYMENT")
        self.approve_everything_and_pay(end, False)
        self.add_shift("W1", end + timedelta(days=1), 8, later, False, "NEXT_PAYROLL_PAYMENT", rate="31.00")
        self.approve_everything_and_pay(end + timedelta(days=1), False)

    # --- changes around the pay ---------------------------------------------------------

    @rule(
        frequency=st.sampled_from(["weekly", "biweekly", "semimonthly"]),
        offset=st.integers(0, 5),
        weeks=st.integers(0, 6),
        shift=st.integers(0, 6),
    )
    def configure_periods(self, frequency: str, offset: int, weeks: int, shift: int = 0) -> None:
        anchor = FIRST + timedelta(days=7 * weeks + shift)
        if frequency == "semimonthly":
            anchor = anchor.replace(day=1 if anchor.day < 16 else 16)
        self._try(
            periods.configure_periods,
            self.path,
            frequency=frequency,
            anchor=anchor,
            pay_date_offset=offset,
            effective=anchor if weeks else None,
            actor="A1",
            now=self._tick(),
        )

    @rule(day=DAYS, threshold=st.sampled_from([7, 8, 9]), authorized=st.booleans())
    def adopt_rules(self, day: date, threshold: int, authorized: bool) -> None:
        text = (
            default_rules_path().read_text().replace("daily over 8h is OT x1.5", f"daily over {threshold}h is OT x1.5")
        )
        self._try(
            adopt_text,
            self.path,
            text,
            f"rules-{threshold}.ot",
            day,
            actor="A1",
            now=self._tick(),
            correction_authorized=authorized,
            reason="new policy" if authorized else None,
        )

    @rule(worker=WORKERS, day=DAYS, cents=st.integers(1800, 3000), authorized=st.booleans())
    def rate_change(self, worker: str, day: date, cents: int, authorized: bool) -> None:
        rows = ROSTER.splitlines()
        header = rows[0] + ",rate_effective"
        line = next(r for r in rows if r.startswith(worker + ","))
        fields = line.split(",")
        fields[3] = f"{cents // 100}.{cents % 100:02d}"
        f = self.path.parent / "rate.csv"
        f.write_text(f"{header}\n{','.join(fields)},{day}\n")
        self._try(
            imports.import_file,
            self.path,
            "workers",
            f,
            correction_authorized=authorized,
            reason="raise" if authorized else None,
            actor="A1",
            now=self._tick(),
        )

    @rule(
        worker=WORKERS,
        day=DAYS,
        dollars=st.integers(50, 500),
        earned=st.sampled_from([None, 7, 14, 28]),
        before=st.integers(0, 20),
        authorized=st.booleans(),
    )
    def bonus(self, worker: str, day: date, dollars: int, earned: int | None, before: int, authorized: bool) -> None:
        """A bonus on a day (some before any paid date: ``before`` days earlier than ``day``), paid as is or
        earned over the weeks before it: its overtime share is owed on the hours of those weeks (29 CFR
        778.209), so it and every later edit of those weeks move paid weeks."""
        when = day - timedelta(days=before)
        given = earnings.EarningValues(
            worker_id=worker,
            day=when.isoformat(),
            kind="bonus",
            amount=f"{dollars}.00",
            earned_from=(when - timedelta(days=earned)).isoformat() if earned else "",
            earned_to=when.isoformat() if earned else "",
        )
        self._try(
            earnings.record_earning,
            self.path,
            given,
            actor="A1",
            now=self._tick(),
            correction_authorized=authorized,
            reason="bonus owed" if authorized else None,
        )

    @rule()
    def send(self) -> None:
        self._try(sync.run_sync, self.path, actor="A1", now=self._tick(), sleep=lambda s: None)

    def teardown(self) -> None:
        if not self.path.exists():
            return
        with Ledger.open(self.path) as led:
            for kind in ("payrun.worker_paid", "correction.recorded", "correction.settled", "payperiod.configured"):
                REACHED[kind] += sum(1 for _ in led.events(kind=kind))
            REACHED["workweek adjustment"] += sum(
                1 for e in led.events(kind="correction.recorded") if e.payload["action"] == "workweek"
            )
            REACHED["partly deducted"] += sum(
                1
                for c in led.events(kind="correction.settled")
                if c.payload.get("amount") and c.payload["how"] == "next_payroll"
            )

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def verify_passes(self) -> None:
        report = verify(self.path)
        assert report.ok, report.problems

    @invariant()
    def the_kept_check_is_the_fold_of_every_event(self) -> None:
        """A check that starts from the sealed ``.checked`` file folds to what folding every event gives."""
        with unit_of_work(self.path) as uow:
            check_projections(uow)
            assert uow.checked is not None
            started, kept = uow.checked.started, tables_sha256(uow.checked.scratch)
        side = sidecar_path(self.path)
        if started == 0 or not side.exists():
            return
        REACHED["check from a kept fold"] += 1
        saved = side.read_bytes()
        side.unlink()
        try:
            with unit_of_work(self.path) as uow:
                check_projections(uow)
                assert uow.checked is not None
                assert uow.checked.started == 0
                assert tables_sha256(uow.checked.scratch) == kept
        finally:
            side.write_bytes(saved)

    @invariant()
    def no_date_paid_twice(self) -> None:
        with Ledger.open(self.path) as led:
            seen: dict[tuple[str, date], int] = {}
            for e in led.events(kind="payrun.worker_paid"):
                for a, b in e.payload.get("ranges") or []:
                    d = date.fromisoformat(a)
                    while d <= date.fromisoformat(b):
                        key = (str(e.payload["worker_id"]), d)
                        assert key not in seen, f"{key} paid by events {seen[key]} and {e.seq}"
                        seen[key] = e.seq
                        d += timedelta(days=1)

    @invariant()
    def fully_paid_weeks_owe_their_price(self) -> None:
        with unit_of_work(self.path) as uow:
            for wid, (first, last) in uow.pay.paid_ranges().items():
                week = first
                while week <= last:
                    basis = uow.pay.paid_week(wid, week)
                    if basis is not None and week >= first and week + timedelta(days=6) <= last:
                        priced = uow.price([wid], week, week + timedelta(days=6)).week(wid, week)
                        now = sum((ln.amount for ln in priced.result.lines), Decimal("0.00")) if priced else Decimal(0)
                        assert basis.gross == now, f"{wid} week of {week}: owes {basis.gross}, prices at {now}"
                    week += timedelta(days=1)

    @invariant()
    def nothing_stranded(self) -> None:
        with unit_of_work(self.path) as uow:
            last = uow.pay.last_paid_date()
            if last is None:
                return
            period = uow.period_containing(last + timedelta(days=1))  # the next pay run's period
            listed = {d.worker_id for d in drafts(uow, period) if d.has_pay or d.carried}
            for wid in ("W1", "W2", "W3"):
                if uow.pay.open_corrections(wid):
                    assert wid in listed, f"{wid}'s open correction is in no timecard of {period.label()}"
                paid = uow.pay.paid_range(wid)
                start = FIRST - timedelta(days=7)
                run = uow.price([wid], start, last)
                for pw in run.weeks:
                    for ln in pw.result.lines:
                        unpaid = paid is None or not paid[0] <= ln.date <= paid[1]
                        if ln.date <= last and unpaid and ln.amount:
                            assert wid in listed, f"{wid}'s hours of {ln.date} are unpaid and in no timecard"


def machine_settings(examples: int, steps: int) -> settings:
    """The settings of this machine and of those built on it: CI runs the same histories every time (a
    seed-dependent failure of CI would bar unrelated work); HYPOTHESIS_PROFILE=thorough explores new ones."""
    return settings(
        max_examples=examples,
        stateful_step_count=steps,
        derandomize=os.environ.get("HYPOTHESIS_PROFILE") != "thorough",
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


@pytest.mark.slow
def test_the_pay_cycle_keeps_its_invariants() -> None:
    PayCycle.TestCase.settings = machine_settings(EXAMPLES, STEPS)
    REACHED.clear()
    PayCycle.TestCase().runTest()
    print(dict(REACHED))
    assert REACHED["payrun.worker_paid"] > 0
    assert REACHED["correction.recorded"] > 0
    # Workweek adjustments (the straddle rule on a semi-monthly calendar) are reached in most runs (1 to 4
    # in CI's histories) but not all: the count is printed, not asserted; test_paycycle_scenarios pins one.


@pytest.mark.sqlite_only(reason="writes an event into the ledger file by hand")
def test_events_of_a_crafted_double_payment_fail_verify(tmp_path: Path) -> None:
    """A payment event appended behind the services' back for dates already paid (what a bug or an
    edit of the file could do) is refused at append, and a rebuild that meets one reports it."""
    path = tmp_path / "ledger.db"
    now = datetime(2026, 10, 30, tzinfo=UTC)
    payment = {
        "run_id": "R1",
        "kind": "regular",
        "worker_id": "W1",
        "period_start": "2026-10-11",
        "period_end": "2026-10-24",
        "ranges": [["2026-10-11", "2026-10-24"]],
        "weeks": [],
        "gross": "0.00",
        "settled": [],
        "additions": "0.00",
        "deductions": "0.00",
        "net": "0.00",
    }
    with Ledger.open(path) as led:
        led.append([NewEvent("payrun.worker_paid", payment, worker_id="W1")], actor="A1", now=now)
        with pytest.raises(FoldError, match="those dates were paid already"):
            led.append(
                [NewEvent("payrun.worker_paid", dict(payment, run_id="R2"), worker_id="W1")], actor="A1", now=now
            )
        assert led.count() == 1
    # The same event written into the file by hand (hash chain recomputed): a rebuild cannot fold it,
    # and verify says which event pays which dates again.
    with Ledger.open(":memory:") as scratch:
        crafted = scratch.append(
            [
                NewEvent("payrun.worker_paid", payment, worker_id="W1"),
                NewEvent(
                    "payrun.worker_paid",
                    dict(payment, run_id="R2", ranges=[["2026-10-25", "2026-10-31"]]),
                    worker_id="W1",
                ),
            ],
            actor="A1",
            now=now,
        )
    second = crafted[1]
    with Ledger.open(path) as led:
        conn = led.connection
        payload = second.payload["ranges"]
        assert payload == [["2026-10-25", "2026-10-31"]]
        from ledger.events import canonical_json, event_hash

        bad = dict(second.payload, ranges=[["2026-10-20", "2026-10-31"]])
        text = canonical_json(bad)
        prev = led.head()[1]
        digest = event_hash(prev, 2, second.event_id, "2026-10-30T00:00:00Z", "A1", second.kind, text, None, "W1")
        conn.execute(
            "INSERT INTO events VALUES (2, ?, '2026-10-30T00:00:00Z', 'A1', ?, ?, NULL, 'W1', ?, ?, NULL, NULL)",
            (second.event_id, second.kind, text, prev, digest),
        )
        conn.execute("UPDATE meta SET value = '2' WHERE name = 'head_seq'")
        conn.execute("UPDATE meta SET value = ? WHERE name = 'head_hash'", (digest,))
        led.rebuild()
    report = verify(path)
    assert not report.ok
    assert any("event 2: (payrun.worker_paid) pays W1 again for 2026-10-20..2026-10-24" in p for p in report.problems)
