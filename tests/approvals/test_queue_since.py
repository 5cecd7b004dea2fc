"""The approval queue and the exceptions read again after a write (``ot.services.queue.queue_since``,
``ot.services.exceptions_view.exceptions_since``): when only worker-scoped events (approvals, their voids,
punches, shifts fixed, the sync outbox...) were appended since the view shown was read, only the workers
those events name are read again (at 2,000 workers: 0.03 s instead of about 6 s after each approval in
the Approvals screen). Invariant: what is kept that way is, after any sequence of commands, what a whole
read gives, for an admin and a manager, in every period (hypothesis stateful, over the pay cycle
machine's commands: shifts, punches, edits, approvals, pay runs, corrections, rules, periods, syncs).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule
from tests_support import count_price_calls

from ledger.earnings_csv import EarningValues
from ot.core.periods import PayPeriod
from ot.services import approvals, earnings, entries, queue
from ot.services.exceptions_view import ExceptionsView, exceptions_queue, exceptions_since
from ot.services.queue import Queue, approval_queue, queue_since
from tests.approvals.test_paycycle_machine import FIRST, REACHED, PayCycle, machine_settings

#: What the histories reached, summed over every example (the test fails if a path was never taken).
SEEN: Counter[str] = Counter()
# The PostgreSQL pass checks the backend with fewer histories (the queue's logic is the SQLite pass's).
EXAMPLES = {"thorough": 200, "postgresql": 6}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 20)
STEPS = {"thorough": 40}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 20)
#: The queues kept: (actor, a day of each of the machine's first three biweekly periods).
KEPT = [("A1", FIRST + timedelta(days=3)), ("A1", FIRST + timedelta(days=17)), ("M1", FIRST + timedelta(days=31))]


class QueueKept(PayCycle):
    """The pay cycle machine's commands; its own invariants are the pay cycle test's, not run again here."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, date], Queue | None] = dict.fromkeys(KEPT)
        self.views: dict[tuple[str, date], ExceptionsView | None] = dict.fromkeys(KEPT)

    # The pay cycle's invariants, left to test_paycycle_machine (plain methods are not invariants).
    def verify_passes(self) -> None: ...
    def the_kept_check_is_the_fold_of_every_event(self) -> None: ...
    def no_date_paid_twice(self) -> None: ...
    def fully_paid_weeks_owe_their_price(self) -> None: ...
    def nothing_stranded(self) -> None: ...

    @precondition(lambda self: bool(self.shifts))
    @rule(data=st.data(), actor=st.sampled_from(["A1", "M1"]))
    def approve_one_shift(self, data: st.DataObject, actor: str) -> None:
        """As the Approvals screen's Enter does: one shift, by id."""
        sid = data.draw(st.sampled_from(self.shifts))
        self._try(approvals.approve_shifts, self.path, shift_ids=[sid], actor=actor, now=self._tick())

    @rule(worker=st.sampled_from(["W1", "W2", "W3"]), day=st.integers(0, 41), actor=st.sampled_from(["A1", "M1"]))
    def approve_a_week(self, worker: str, day: int, actor: str) -> None:
        """As the Approvals screen's ``w`` does: a worker's workweek."""
        week = FIRST + timedelta(days=day - day % 7)  # FIRST is a Sunday, as the default workweek starts
        self._try(approvals.approve_shifts, self.path, worker_id=worker, week=week, actor=actor, now=self._tick())

    @rule(worker=st.sampled_from(["W1", "W2", "W3"]), day=st.integers(0, 41))
    def approve_one_timecard(self, worker: str, day: int) -> None:
        """As Enter in step 2 does: one worker's timecard."""
        self._try(
            approvals.approve_timecards,
            self.path,
            period_day=FIRST + timedelta(days=day),
            worker_ids=[worker],
            actor="A1",
            now=self._tick(),
        )

    @rule(
        worker=st.sampled_from(["W1", "W2", "W3"]),
        day=st.integers(0, 41),
        back=st.integers(7, 70),
        authorized=st.booleans(),
    )
    def record_a_bonus(self, worker: str, day: int, back: int, authorized: bool) -> None:
        """A bonus earned over earlier weeks (29 CFR 778.209): their hours are priced again as context, the
        worker's own (an earning is worker-scoped: the others' rows are kept)."""
        paid_on = FIRST + timedelta(days=day)
        self._try(
            earnings.record_earning,
            self.path,
            EarningValues(
                worker,
                str(paid_on),
                "bonus",
                amount="50.00",
                earned_from=str(paid_on - timedelta(days=back)),
                earned_to=str(paid_on - timedelta(days=1)),
            ),
            actor="A1",
            now=self._tick(),
            correction_authorized=authorized,
            reason="bonus" if authorized else None,
        )

    @rule(worker=st.sampled_from(["W1", "W2", "W3"]), back=st.integers(1, 60), hours=st.integers(1, 9))
    def enter_old_hours(self, worker: str, back: int, hours: int) -> None:
        """Hours entered for a day before the periods (context of another worker's bonus, never theirs)."""
        self._try(
            entries.add_shift,
            self.path,
            worker_id=worker,
            given=entries.ShiftInput(day=str(FIRST - timedelta(days=back)), hours=str(hours)),
            reason="old hours",
            correction_authorized=True,
            timeframe="NEXT_PAYROLL_PAYMENT",
            actor="A1",
            now=self._tick(),
        )

    @invariant()
    def kept_queues_are_the_whole_queue(self) -> None:
        if not self.path.exists():
            return
        real = queue.shift_queue

        paths: list[str] = []

        def counted(*args: Any, only: Collection[str] | None = None, **kwargs: Any) -> Any:
            paths.append("rows read again" if only is not None else "read whole")
            return real(*args, only=only, **kwargs)

        for actor, day in KEPT:
            shown = self.kept[(actor, day)]
            paths.clear()
            queue.shift_queue = counted  # type: ignore[assignment]
            try:
                kept = queue_since(self.path, actor, day, shown)
            finally:
                queue.shift_queue = real  # type: ignore[assignment]
            SEEN["kept as shown" if shown is not None and kept is shown else " then ".join(paths)] += 1
            self.kept[(actor, day)] = kept
            assert kept == approval_queue(self.path, actor, day), f"{actor}'s queue of {day}"
            view = exceptions_since(self.path, actor, day, self.views[(actor, day)])
            self.views[(actor, day)] = view
            assert view == exceptions_queue(self.path, actor, day), f"{actor}'s exceptions of {day}"
            SEEN["exception items"] += len(view.items)


@pytest.mark.slow
def test_a_kept_queue_is_the_whole_queue_after_any_commands() -> None:
    QueueKept.TestCase.settings = machine_settings(EXAMPLES, STEPS)
    SEEN.clear()
    REACHED.clear()
    QueueKept.TestCase().runTest()
    print(dict(SEEN), {k: v for k, v in REACHED.items() if k.startswith(("ok", "refused"))})
    # Both paths were taken, and a queue was kept when nothing changed.
    assert SEEN["rows read again"] > 0
    assert SEEN["read whole"] > 0
    assert SEEN["kept as shown"] > 0
    assert SEEN["exception items"] > 0


# --- scenarios on the demo company ---------------------------------------------------------

OPEN = date(2026, 10, 27)  # the demo's second period (2026-10-25 to 2026-11-07), open
NOW = datetime.fromisoformat("2026-11-09T15:00:00+00:00")


def _waiting(q: Queue) -> tuple[str, str, date]:
    """(shift id, worker, week) of a shift waiting in ``q``."""
    for w in q.weeks:
        for s in w.shifts:
            if s.approvable:
                return s.shift_id, w.worker_id, w.week_start
    raise AssertionError("no shift waits")


def test_after_an_approval_only_its_worker_is_read_again(
    demo_paid_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = approval_queue(demo_paid_ledger, "A1", OPEN)
    sid, wid, _ = _waiting(shown)
    approvals.approve_shifts(demo_paid_ledger, shift_ids=[sid], actor="A1", now=NOW)
    calls = count_price_calls(monkeypatch)
    kept = queue_since(demo_paid_ledger, "A1", OPEN, shown)
    assert calls == [(wid,)]
    monkeypatch.undo()
    assert kept == approval_queue(demo_paid_ledger, "A1", OPEN)
    assert kept != shown
    assert kept.head > shown.head
    before = {s.shift_id: s.state for w in shown.weeks for s in w.shifts}
    after = {s.shift_id: s.state for w in kept.weeks for s in w.shifts}
    assert before[sid] in ("waiting", "voided")
    assert after[sid] == "approved"
    assert {k: v for k, v in after.items() if k != sid} == {k: v for k, v in before.items() if k != sid}


def test_another_users_approvals_are_read_the_same_way(demo_paid_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A manager approves in another process while the admin's queue is shown: the admin's screen reads
    that worker again, not the roster (and a timecard approval and its void the same way)."""
    shown = approval_queue(demo_paid_ledger, "A1", OPEN)
    mine = approval_queue(demo_paid_ledger, "M1", OPEN)
    _sid, wid, week = _waiting(mine)
    approvals.approve_shifts(demo_paid_ledger, worker_id=wid, week=week, actor="M1", now=NOW)
    approvals.unapprove_timecards(
        demo_paid_ledger, period_day=OPEN, worker_ids=[wid], reason="check", actor="A1", now=NOW
    )
    calls = count_price_calls(monkeypatch)
    kept = queue_since(demo_paid_ledger, "A1", OPEN, shown)
    assert calls == [(wid,)]
    monkeypatch.undo()
    assert kept == approval_queue(demo_paid_ledger, "A1", OPEN)


def test_a_punch_or_a_fixed_shift_reads_only_its_worker_again(
    demo_paid_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A timeclock's punch (another process) and a shift fixed for an exception change only their
    worker's shifts and prices: only that worker is read again."""
    from ot.services import punch
    from ot.services.entries import ShiftInput, add_shift

    shown = approval_queue(demo_paid_ledger, "A1", OPEN)
    _, wid, _ = _waiting(shown)
    other = next(w.worker_id for w in shown.weeks if w.worker_id != wid)
    punch.add_punch(
        demo_paid_ledger, worker_id=wid, at="2026-11-03T09:00", kind="in", reason="forgot", actor="A1", now=NOW
    )
    add_shift(
        demo_paid_ledger,
        worker_id=other,
        given=ShiftInput(start="2026-11-04T06:00", end="2026-11-04T07:00"),
        reason="early start",
        actor="A1",
        now=NOW,
    )
    calls = count_price_calls(monkeypatch)
    kept = queue_since(demo_paid_ledger, "A1", OPEN, shown)
    assert calls == [tuple(sorted([wid, other]))]
    monkeypatch.undo()
    assert kept == approval_queue(demo_paid_ledger, "A1", OPEN)
    assert kept != shown


def test_nothing_appended_keeps_the_queue_shown(demo_paid_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = approval_queue(demo_paid_ledger, "A1", OPEN)
    calls = count_price_calls(monkeypatch)
    assert queue_since(demo_paid_ledger, "A1", OPEN, shown) is shown
    assert calls == []


@pytest.mark.parametrize("case", ["employer", "other actor", "other period", "nothing shown", "too many", "refused"])
def test_anything_else_reads_the_whole_queue(
    demo_paid_ledger: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """An event that is not worker-scoped (the employer's name, on every stub), the queue of another
    actor or of another period, no queue shown, more events than ``SINCE_LIMIT``, a queue shown whose
    weeks the engine refused: the whole queue is read, and is what a whole read gives."""
    from ot.services.periods import set_employer

    shown: Queue | None = approval_queue(demo_paid_ledger, "A1", OPEN)
    assert shown is not None
    actor, day = "A1", OPEN
    sid, _, _ = _waiting(shown)
    approvals.approve_shifts(demo_paid_ledger, shift_ids=[sid], actor="A1", now=NOW)
    if case == "employer":
        set_employer(demo_paid_ledger, name="Demo Co", address=["1 Main St"], actor="A1", now=NOW)
    elif case == "other actor":
        actor = "M1"
    elif case == "other period":
        day = shown.period.end + timedelta(days=1)
    elif case == "nothing shown":
        shown = None
    elif case == "too many":
        monkeypatch.setattr(queue, "SINCE_LIMIT", 0)
    else:
        bad = shown.weeks[0]
        shown = Queue(
            shown.actor,
            shown.role,
            shown.period,
            (type(bad)(**{**bad.__dict__, "gross": None, "problem": "refused"}), *shown.weeks[1:]),
            shown.timecards,
            None,
            shown.head,
            shown.approve_by,
            shown.head_hash,
        )
    calls = count_price_calls(monkeypatch)
    kept = queue_since(demo_paid_ledger, actor, day, shown)
    assert calls
    assert len(calls[0]) > 1
    monkeypatch.undo()
    assert kept == approval_queue(demo_paid_ledger, actor, day)
    assert isinstance(kept.period, PayPeriod)
    assert kept.period.start <= day <= kept.period.end


def test_a_worker_still_gets_the_refusal(demo_paid_ledger: Path) -> None:
    """A worker approves nothing: their queue is the refusal, read again as a whole (never kept rows)."""
    shown = approval_queue(demo_paid_ledger, "W01", OPEN)
    assert shown.refusal is not None
    sid, _, _ = _waiting(approval_queue(demo_paid_ledger, "A1", OPEN))
    approvals.approve_shifts(demo_paid_ledger, shift_ids=[sid], actor="A1", now=NOW)
    kept = queue_since(demo_paid_ledger, "W01", OPEN, shown)
    assert kept == approval_queue(demo_paid_ledger, "W01", OPEN)
    assert kept.refusal == shown.refusal
    assert kept.weeks == ()
    assert kept.timecards == ()
    view = exceptions_since(demo_paid_ledger, "W01", OPEN, exceptions_queue(demo_paid_ledger, "W01", OPEN))
    assert view.refusal is not None
    assert view.items == ()


@pytest.mark.sqlite_only(reason="swaps the ledger file; a PostgreSQL ledger's replica refuses a copy of another ledger")
def test_a_ledger_replaced_under_the_screen_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger restored or swapped in under an open screen, even one with more events, is not the shown
    queue's chain continued (its hash at the shown head differs): the whole queue is read."""
    import shutil

    from ot.services.imports import load_demo

    a, b = tmp_path / "a" / "ledger.db", tmp_path / "b" / "ledger.db"
    a.parent.mkdir()
    b.parent.mkdir()
    load_demo(a, actor="A1", now=NOW)
    load_demo(b, actor="A1", now=NOW)
    # a: W06's missing out-punch added; b: one shift of another worker approved (a head as far or further).
    from ot.services import punch

    missing = next(i for i in exceptions_queue(a, "A1", OPEN).items if i.worker_id == "W06" and i.kind == "missing_out")
    punch.add_punch(a, worker_id="W06", kind="out", at=f"{missing.day}T23:00", reason="forgot", actor="A1", now=NOW)
    shown = approval_queue(a, "A1", OPEN)
    view = exceptions_queue(a, "A1", OPEN)
    other = next(
        s for w in approval_queue(b, "A1", OPEN).weeks if w.worker_id != "W06" for s in w.shifts if s.approvable
    )
    approvals.approve_shifts(b, shift_ids=[other.shift_id], actor="A1", now=NOW)
    replacement = approval_queue(b, "A1", OPEN)
    assert replacement.head >= shown.head
    for suffix in ("", "-wal", "-shm"):
        if (b.parent / f"ledger.db{suffix}").exists():
            shutil.copy(b.parent / f"ledger.db{suffix}", a.parent / f"ledger.db{suffix}")
    calls = count_price_calls(monkeypatch)
    kept = queue_since(a, "A1", OPEN, shown)
    assert calls
    assert len(calls[0]) > 1
    monkeypatch.undo()
    assert kept == approval_queue(a, "A1", OPEN)
    assert exceptions_since(a, "A1", OPEN, view) == exceptions_queue(a, "A1", OPEN)
