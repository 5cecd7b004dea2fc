"""A manager's sealed events on workers who are not theirs are flagged; nothing ot writes is (issue 15's
shared ledger, the gap docs/multi-admin.md named).

docs/multi-admin.md gives each person a PostgreSQL login that may SELECT and INSERT. A manager holding an
enrolled key and such a login could insert, sealed with their own key, a shift, a punch or a step-1
approval for a worker who is not their report (or for themselves), and ``ot ledger verify --full``
passed: the seal proved who wrote it, and only the admins' events were asked whether their writer could.
Now ``ledger.seals`` judges those events on their worker as ``ot.services.permissions`` does, at that point
of the chain, and a PostgreSQL replica refuses to pull them (``ledger.remote``).

A false refusal is worse than the gap (a replica that refuses to pull stops every command on that
machine), so most of this file drives what ot writes itself, as every role that may write it, and asks
verify to pass: the services one by one, then random histories of them (hypothesis).
"""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from test_forged_authority import Forged, _forge, _forger

from ledger import demo
from ledger.approvals import shift_version
from ledger.store import Ledger
from ot.core.domain import Shift
from ot.core.errors import OtError
from ot.core.timez import local
from ot.services import approvals, earnings, entries, imports, payrun, punch, schedules, sync, users
from ot.services.approvals import shift_day
from ot.services.keys import init_key, load_signer
from ot.services.ledger import rebuild, verify
from ot.services.uow import unit_of_work
from tests.pg_server import copy_ledger, on_postgresql

NOW = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)
P1 = date(2026, 10, 20)  # the demo's first pay period, 2026-10-11 to 2026-10-24
P2 = date(2026, 11, 3)  # its second, 2026-10-25 to 2026-11-07
WORKERS_HEADER = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override,rate_effective"
#: Whose messages: the seal rule's, not a derived table that the forged events (inserted without their
#: fold, on a file) make differ.
BEHIND = "written behind ot's back"


def _pins() -> dict[str, str]:
    """Each demo person's PIN."""
    return {p.worker_id: p.pin for p in demo._people(random.Random(demo.SEED))}


def _demo_row(worker_id: str, manager: str, role: str | None = None) -> str:
    """The demo's roster row of ``worker_id``, with another manager (and role)."""
    workers = next(f for f in demo.demo_files() if f.name == "demo-workers.csv")
    row = next(line for line in workers.text.splitlines() if line.startswith(f"{worker_id},")).split(",")
    row[5] = manager
    row[6] = role or row[6]
    return ",".join(row)


def _shifts(
    ledger: Path, worker: str, first: date = date(2026, 10, 18), last: date = date(2026, 11, 14)
) -> list[Shift]:
    with unit_of_work(ledger) as uow:
        return uow.shifts([worker], first, last)


def _clean(ledger: Path, worker: str, first: date = date(2026, 10, 25), last: date = date(2026, 11, 7)) -> list[Shift]:
    """The worker's regular shifts with nothing to fix, in the period (an approval takes them)."""
    found = [s for s in _shifts(ledger, worker, first, last) if s.pay_type == "REGULAR" and not s.exceptions]
    assert found, worker
    return [s for s in found if s.end is not None]


def _approval(actor: str, s: Shift, named: str | None = None) -> Forged:
    """A step-1 approval of ``s`` recorded as ``actor``, its payload naming ``named`` (default: the shift's)."""
    worker = named or s.worker_id
    payload = {"shift_id": s.shift_id, "worker_id": worker, "version": shift_version(s), "day": str(shift_day(s))}
    return actor, "approval.shift_approved", payload, worker


def _entry(actor: str, worker: str, seq: int, day: str = "2026-11-06") -> Forged:
    """A manual shift (hours only) entered as ``actor``, as event ``seq`` (its id is ``M<seq>``)."""
    payload = {
        "shift_id": f"M{seq}",
        "worker_id": worker,
        "start": None,
        "end": None,
        "day": day,
        "minutes": 240,
        "breaks": [],
        "rate": None,
        "display_rate": None,
        "location_id": None,
        "pay_type": "REGULAR",
        "meal_waiver": False,
        "reason": None,
    }
    return actor, "shift.entered", payload, worker


def _punch(actor: str, worker: str, at: str = "2026-11-13T23:00:00Z", kind: str = "in") -> Forged:
    payload = {
        "worker_id": worker,
        "at": at,
        "kind": kind,
        "location_id": None,
        "break_type": None,
        "rate": None,
        "source": f"added by {actor}",
        "reason": "forgot",
    }
    return actor, "punch.recorded", payload, worker


def _unapproval(actor: str, s: Shift) -> Forged:
    payload = {"shift_id": s.shift_id, "worker_id": s.worker_id, "version": shift_version(s)}
    return actor, "approval.shift_voided", {**payload, "cause": "unapproved", "reason": "no"}, s.worker_id


def _deletion(actor: str, s: Shift) -> Forged:
    return actor, "shift.deleted", {"shift_id": s.shift_id, "reason": "never worked"}, s.worker_id


def _insert(
    request: pytest.FixtureRequest,
    ledger: Path,
    events: Sequence[Forged] | Callable[[int], Sequence[Forged]],
    sealer: str,
) -> int:
    """Insert ``events`` behind ot's back (a chain and hashes right) in one transaction sealed with
    ``sealer``'s key; ``events`` may be made from the sequence number the first will have."""
    execute, mark, commit = _forger(request, ledger)
    if callable(events):
        events = events(int(execute("SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1")[0]) + 1)
    last = _forge(execute, mark, events, sealer=sealer)
    commit()
    return last


def _problems(ledger: Path, *, full: bool = True) -> tuple[list[str], int]:
    """What verify finds (a PostgreSQL replica refuses to pull the events: that), and the event it
    started after (0: every event; -1: it did not get that far)."""
    try:
        report = verify(ledger, full=full)
    except OtError as exc:
        return [exc.message], -1
    return list(report.problems), report.started


def _flags(problems: Sequence[str]) -> list[str]:
    return [p for p in problems if BEHIND in p]


def _passes(ledger: Path) -> None:
    """Verify passes from the first event (forged events put in the tables first, on a file)."""
    rebuild(ledger)
    report = verify(ledger, full=True)
    assert report.ok, report.problems


# --- forged: flagged ---------------------------------------------------------------------------------


VARIANTS = (
    "approval",
    "disguised approval",
    "entry",
    "punch",
    "disguised punch",
    "unapproval",
    "deletion",
    "timecard void",
)


def _variant(variant: str, actor: str, worker: str, s: Shift, seq: int, hour: int = 23) -> Forged:
    """``actor``'s event of ``variant`` on ``worker`` (their shift ``s``; ``disguised``: an approval of ``s``
    naming M1's report W01), as event ``seq``."""
    if variant == "approval":
        return _approval(actor, s)
    if variant == "disguised approval":
        return _approval(actor, s, named="W01")
    if variant == "entry":
        return _entry(actor, worker, seq)
    if variant == "punch":
        return _punch(actor, worker, at=f"2026-11-13T{hour:02d}:00:00Z")
    if variant == "disguised punch":  # the payload names W01; the column, which pairs it, the worker
        actor_, kind, payload, _column = _punch(actor, "W01", at=f"2026-11-13T{hour:02d}:30:00Z")
        return actor_, kind, payload, worker
    if variant == "unapproval":
        return _unapproval(actor, s)
    if variant == "deletion":
        return _deletion(actor, s)
    payload = {"worker_id": worker, "period_start": "2026-10-25", "period_end": "2026-11-07", "cause": "edited"}
    return actor, "approval.timecard_voided", {**payload, "reason": "x"}, worker


def _end(s: Shift, minutes: int) -> str:
    """``HH:MM``, local, of ``minutes`` after the end of ``s`` (an edit's ``--end``)."""
    assert s.end is not None
    return local(s.end + timedelta(minutes=minutes), s.timezone).strftime("%H:%M")


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_manager_s_sealed_event_on_a_worker_not_theirs_is_flagged(
    request: pytest.FixtureRequest, demo_ledger: Path, variant: str
) -> None:
    """M1 (manager of W01 to W08) seals, with their own key, an event on W09 (M2's report)."""
    s = _clean(demo_ledger, "W09")[0]
    last = _insert(request, demo_ledger, lambda seq: [_variant(variant, "M1", "W09", s, seq)], sealer="M1")
    problems, _started = _problems(demo_ledger)
    expected = "could not punch for W09 then" if "punch" in variant else "who does not manage W09 then"
    assert any(f"event {last}" in p and expected in p for p in problems), problems
    if variant == "disguised approval":  # the payload names M1's report; the shift is W09's
        assert any(f"shift {s.shift_id} is W09's" in p for p in problems), problems
    if on_postgresql(request.config):  # the replica refuses to pull it: no command acts on it
        with pytest.raises(OtError) as refused:
            approvals.approve_shifts(demo_ledger, all_visible=True, period_day=P2, actor="A1", now=NOW)
        assert f"event {last} is refused" in refused.value.message


@pytest.mark.parametrize("variant", ["approval", "entry"])
def test_a_manager_s_sealed_event_is_flagged_by_an_incremental_verify(
    request: pytest.FixtureRequest, demo_ledger: Path, variant: str
) -> None:
    report = verify(demo_ledger, full=True)  # keeps a checkpoint: the next verify reads the events after it
    assert report.ok, report.problems
    s = _clean(demo_ledger, "W01")[0]
    last = _insert(request, demo_ledger, lambda seq: [_variant(variant, "M3", "W01", s, seq)], sealer="M3")
    problems, started = _problems(demo_ledger, full=False)
    assert any(f"event {last}" in p and "who does not manage W01 then" in p for p in problems), problems
    assert started == report.last_seq or on_postgresql(request.config)


def test_a_manager_s_sealed_events_on_their_own_shifts_are_flagged(
    request: pytest.FixtureRequest, demo_ledger: Path
) -> None:
    """M1's shift that A1 entered, approved by M1; and M1's punched shift, approved by M1; and a shift
    M1 enters for themselves: each flagged (nobody approves, enters or fixes their own)."""
    entered = entries.add_shift(
        demo_ledger,
        worker_id="M1",
        given=entries.ShiftInput(start="2026-11-05T20:00", end="2026-11-05T23:00"),
        reason=None,
        actor="A1",
        now=NOW,
    )
    mine = next(s for s in _shifts(demo_ledger, "M1") if s.shift_id == entered.shift_id)
    punched = _clean(demo_ledger, "M1")[0]
    made: list[Callable[[int], list[Forged]]] = [
        lambda _seq: [_approval("M1", mine)],
        lambda _seq: [_approval("M1", punched)],
        lambda seq: [_entry("M1", "M1", seq)],
    ]
    for make in made:  # one at a time, each flagged
        last = _insert(request, demo_ledger, make, sealer="M1")
        problems, _started = _problems(demo_ledger)
        assert any(f"event {last}" in p and "on their own shifts" in p for p in problems), problems
        if on_postgresql(request.config):
            break  # the replica refuses at the first: nothing after it is read


def test_a_kiosk_or_a_worker_sealing_more_than_their_punches_is_flagged(
    request: pytest.FixtureRequest, demo_ledger: Path
) -> None:
    """The kiosk records punches only; a worker with a key punches for themselves only."""
    key = init_key("W05")
    users.enrol(demo_ledger, "W05", public_key=key.public, actor="A1", now=NOW)
    kiosk = _insert(request, demo_ledger, [_approval(demo.KIOSK_ID, _clean(demo_ledger, "W09")[0])], demo.KIOSK_ID)
    problems, _started = _problems(demo_ledger)
    assert any(f"event {kiosk}" in p and f"{demo.KIOSK_ID}, who does not manage W09" in p for p in problems)
    if on_postgresql(request.config):
        return
    worker = _insert(request, demo_ledger, [_punch("W05", "W06")], sealer="W05")
    problems, _started = _problems(demo_ledger)
    assert any(f"event {worker}" in p and "W05, who could not punch for W06 then" in p for p in problems)


ADMIN_ONLY: dict[str, dict[str, Any]] = {
    # A PIN of M1's choosing for W09: then a kiosk would record M1's punches as W09's.
    "worker.pin_set": {"worker_id": "W09", "pin_hash": "ab" * 32, "salt": "cd" * 16, "bucket": 7, "override": True},
    # Reporting-time pay: a schedule, and a day excused from it (for M1's own report W01).
    "schedule.set": {"worker_id": "W01", "weekday": 0, "hours": "8", "effective_from": "2026-10-01", "source": "x"},
    "schedule.excused": {"worker_id": "W01", "date": "2026-11-02", "reason": "utilities", "note": None},
}


@pytest.mark.parametrize("kind", sorted(ADMIN_ONLY))
def test_a_manager_s_sealed_pin_or_schedule_is_flagged(
    request: pytest.FixtureRequest, demo_ledger: Path, kind: str
) -> None:
    """PINs come with the roster (import workers), schedules and excuses with `ot import schedules`: an
    admin's, like the roster's other events."""
    payload = ADMIN_ONLY[kind]
    last = _insert(request, demo_ledger, [("M1", kind, payload, payload["worker_id"])], sealer="M1")
    problems, _started = _problems(demo_ledger)
    assert any(f"event {last}" in p and f"({kind})" in p and "could not act as an admin" in p for p in problems)


# --- forged, but allowed: passes ---------------------------------------------------------------------


def test_an_admin_s_sealed_events_on_anyone_pass(request: pytest.FixtureRequest, demo_ledger: Path) -> None:
    """The rule is who may write it, not whether it went through ot: A1's own inserts pass."""
    w09 = _clean(demo_ledger, "W09")[0]
    _insert(
        request,
        demo_ledger,
        lambda seq: [_approval("A1", w09), _entry("A1", "W20", seq + 1), _punch("A1", "M3"), _punch("A1", "A1")],
        sealer="A1",
    )
    _passes(demo_ledger)


def test_a_manager_s_sealed_events_on_their_reports_pass(request: pytest.FixtureRequest, demo_ledger: Path) -> None:
    w01 = _clean(demo_ledger, "W01")
    _insert(
        request,
        demo_ledger,
        lambda seq: [
            _approval("M1", w01[0]),
            _entry("M1", "W02", seq + 1),
            _punch("M1", "W03"),
            _punch("M1", "M1", at="2026-11-13T22:00:00Z"),  # a manager punches for themselves too
            _deletion("M1", w01[1]),
        ],
        sealer="M1",
    )
    _passes(demo_ledger)


def test_a_worker_moved_to_another_manager(request: pytest.FixtureRequest, demo_ledger: Path, tmp_path: Path) -> None:
    """M2 approves W09's first period; A1 moves W09 to M1; M1 approves W09's second. Everything passes;
    then M2 seals an approval of W09 after the move: that one event alone is flagged."""
    done = approvals.approve_shifts(demo_ledger, worker_id="W09", week=date(2026, 10, 20), actor="M2", now=NOW)
    assert done.done
    (tmp_path / "w.csv").write_text(f"{WORKERS_HEADER}\n{_demo_row('W09', 'M1')}\n")
    report = imports.import_file(demo_ledger, "workers", tmp_path / "w.csv", actor="A1", now=NOW)
    assert report.added == {"worker.changed": 1}, report
    with pytest.raises(OtError, match="M2 may not approve the shifts of W09"):
        approvals.approve_shifts(demo_ledger, worker_id="W09", week=date(2026, 10, 27), actor="M2", now=NOW)
    first, second = _clean(demo_ledger, "W09")[:2]
    assert approvals.approve_shifts(demo_ledger, shift_ids=[first.shift_id], actor="M1", now=NOW).done
    _passes(demo_ledger)
    last = _insert(request, demo_ledger, [_approval("M2", second)], sealer="M2")
    problems, _started = _problems(demo_ledger)
    events = [p for p in problems if p.startswith("event ") or "is refused" in p]
    assert events, problems
    assert all(f"event {last}" in p for p in events), problems
    assert "M2, who does not manage W09 then" in events[0]


# --- the false-refusal hunt: what ot writes verifies ---------------------------------------------------


def test_a_hand_over_with_the_admin_s_own_rate_and_pin_split_over_sealed_chunks_verifies(
    demo_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found while mapping who writes what (on main before: the rate flagged): A1's import making M1 an
    admin, and A1 a manager with a new rate and PIN, sealed every two events (APPEND_CHUNK made 2): A1's
    demotion came before their rate and PIN, in an earlier chunk. The change of their own row goes last."""
    from ledger import store

    monkeypatch.setattr(store, "APPEND_CHUNK", 2)
    (tmp_path / "w.csv").write_text(
        f"{WORKERS_HEADER}\n{_demo_row('M1', '', role='admin')}\nN1,New One,W2,20.00,LGB,M1,worker,,,765432,2026-01-01\n"
        "A1,Ana Chen,W2,49.00,LGB,M1,manager,,,654321,2026-01-01\n"
    )
    report = imports.import_file(demo_ledger, "workers", tmp_path / "w.csv", actor="A1", now=NOW)
    assert report.added == {"worker.changed": 2, "worker.added": 1, "worker.rate_changed": 1, "worker.pin_set": 2}
    found = verify(demo_ledger, full=True)
    assert found.ok, found.problems


def test_every_write_ot_makes_on_a_worker_verifies(request: pytest.FixtureRequest, demo_ledger: Path) -> None:
    """Every command that writes a worker-scoped event, as each role that may take it, through the
    services (the CLI and the TUI call the same): verify --full passes, and on PostgreSQL a new machine's
    replica pulls the whole ledger. The sync target makes approvals write their outbox."""
    folder = demo_ledger.parent
    folder.joinpath(demo_ledger.stem + ".sync.toml").write_text(
        f'[targets.files]\nkind = "csv"\nfolder = "{folder / "feeds"}"\n'
    )
    pins = _pins()
    clock = iter(NOW + timedelta(minutes=i) for i in range(1000))
    w01, w03, w04 = (_clean(demo_ledger, w) for w in ("W01", "W03", "W04"))
    # Step 1, as a manager (by id, by worker and week, everything visible) and as an admin.
    approvals.approve_shifts(demo_ledger, shift_ids=[w01[0].shift_id, w01[1].shift_id], actor="M1", now=next(clock))
    approvals.approve_shifts(demo_ledger, worker_id="W02", week=date(2026, 10, 27), actor="M1", now=next(clock))
    approvals.approve_shifts(demo_ledger, all_visible=True, period_day=P1, actor="M2", now=next(clock))
    approvals.approve_shifts(demo_ledger, all_visible=True, period_day=P1, actor="A1", now=next(clock))
    approvals.approve_shifts(demo_ledger, all_visible=True, period_day=P2, actor="M3", now=next(clock))
    approvals.approve_shifts(demo_ledger, shift_ids=[_clean(demo_ledger, "M4")[0].shift_id], actor="A1", now=NOW)
    approvals.unapprove_shifts(demo_ledger, shift_ids=[w01[0].shift_id], reason="late", actor="M1", now=next(clock))
    # Step 2 and a pay run (A1), so that the edits below void timecards, and corrections happen.
    approvals.approve_timecards(demo_ledger, period_day=P1, actor="A1", now=next(clock))
    payrun.run_payroll(demo_ledger, period_day=P1, partial=True, actor="A1", now=next(clock))
    approvals.approve_shifts(demo_ledger, all_visible=True, period_day=P2, actor="M1", now=next(clock))
    approvals.approve_timecards(demo_ledger, period_day=P2, actor="A1", now=next(clock))
    # Manual shifts, edits and deletions by the manager (voiding the approvals and the timecards).
    added = entries.add_shift(
        demo_ledger,
        worker_id="W03",
        given=entries.ShiftInput(start="2026-11-06T18:00", end="2026-11-06T20:00"),
        reason=None,
        actor="M1",
        now=next(clock),
    )
    entries.edit_shift(
        demo_ledger,
        added.shift_id,
        given=entries.ShiftInput(start="2026-11-06T18:00", end="2026-11-06T21:00"),
        reason=None,
        actor="M1",
        now=next(clock),
    )
    entries.edit_shift(
        demo_ledger,
        w03[0].shift_id,
        given=entries.ShiftInput(end=_end(w03[0], -15)),
        reason=None,
        actor="M1",
        now=next(clock),
    )
    entries.delete_shift(demo_ledger, w04[0].shift_id, reason="never worked", actor="M1", now=next(clock))
    entries.delete_shift(demo_ledger, added.shift_id, reason="typed twice", actor="M1", now=next(clock))
    entries.add_shift(
        demo_ledger,
        worker_id="M1",
        given=entries.ShiftInput(day="2026-11-06", hours="2", pay_type="PTO"),
        reason=None,
        actor="A1",
        now=next(clock),
    )
    # A paid date: an admin's correction (an edit with its voids and corrections).
    paid = _clean(demo_ledger, "W02", date(2026, 10, 18), date(2026, 10, 24))[0]
    entries.edit_shift(
        demo_ledger,
        paid.shift_id,
        given=entries.ShiftInput(end=_end(paid, 30)),
        reason="stayed late",
        correction_authorized=True,
        actor="A1",
        now=next(clock),
    )
    # Punches: a manager's added punch, the kiosk's, a manager's for a report, an admin's for anyone, a
    # worker's own (with a key of their own).
    punch.add_punch(
        demo_ledger,
        worker_id="W04",
        kind="in",
        at="2026-11-07T08:00",
        reason="forgot",
        actor="M1",
        now=next(clock),
    )
    punch.add_punch(
        demo_ledger, worker_id="W04", kind="out", at="2026-11-07T12:00", reason="forgot", actor="M1", now=NOW
    )
    signer = init_key("W06")
    users.enrol(demo_ledger, "W06", public_key=signer.public, actor="A1", now=next(clock))
    for actor, worker, kind in (
        (demo.KIOSK_ID, "W09", "in"),
        (demo.KIOSK_ID, "W01", "in"),
        ("M1", "W02", "in"),
        ("M1", "M1", "in"),
        ("A1", "W30", "in"),
        ("W06", "W06", "in"),
        ("A1", "A1", "in"),
    ):
        done = punch.record_punch(
            demo_ledger, pin=pins[worker], kind=kind, actor=actor, now=datetime(2026, 11, 13, 17, 0, tzinfo=UTC)
        )
        assert (done.worker_id, done.recorded) == (worker, True)
    # Leave and holidays from schedules (A1 imports them; the manager fills leave for a report).
    folder.joinpath("schedules.csv").write_text(
        "worker_id,weekday,hours,effective_from\n"
        + "".join(f"{w},{d},8,2026-01-01\n" for w in ("W05", "W13") for d in ("mon", "tue", "wed", "thu", "fri"))
    )
    schedules.import_schedules(demo_ledger, folder / "schedules.csv", actor="A1", now=next(clock))
    schedules.fill_leave(
        demo_ledger, worker_id="W05", first="2026-11-09", last="2026-11-10", actor="M1", now=next(clock)
    )
    schedules.fill_holidays(demo_ledger, period_day="2026-11-10", workers=["W13"], actor="A1", now=next(clock))
    schedules.excuse_reporting_time(demo_ledger, "W05", "2026-11-11", "utilities", actor="A1", now=next(clock))
    # Earnings (A1: they void W01's timecard), the sync (A1: its backfill of the outbox), an unapproval of
    # a timecard (A1), and a manager's change: W10 moves from M2 to M1, who then approves their shift.
    earnings.record_earning(
        demo_ledger,
        earnings.EarningValues("W07", "2026-11-05", "bonus", "100.00"),
        actor="A1",
        now=next(clock),
    )
    sync.run_sync(demo_ledger, actor="A1", now=next(clock))
    approvals.unapprove_timecards(
        demo_ledger, period_day=P2, worker_ids=["W09"], reason="check", actor="A1", now=next(clock)
    )
    folder.joinpath("move.csv").write_text(f"{WORKERS_HEADER}\n{_demo_row('W10', 'M1')}\n")
    imports.import_file(demo_ledger, "workers", folder / "move.csv", actor="A1", now=next(clock))
    w10 = _clean(demo_ledger, "W10")
    approvals.approve_shifts(demo_ledger, shift_ids=[w10[-1].shift_id], actor="M1", now=next(clock))
    entries.edit_shift(
        demo_ledger,
        w10[-1].shift_id,
        given=entries.ShiftInput(end=_end(w10[-1], -10)),
        reason=None,
        actor="M1",
        now=next(clock),
    )
    # A punches file imported by the admin.
    folder.joinpath("punches.csv").write_text(
        "worker_id,time,kind,location_id,break_type\nW11,2026-11-12T08:00,in,,\nW11,2026-11-12T16:00,out,,\n"
    )
    imports.import_file(demo_ledger, "punches", folder / "punches.csv", actor="A1", now=next(clock))
    counts = _kinds(demo_ledger)
    for kind in (
        "shift.entered",
        "shift.edited",
        "shift.deleted",
        "approval.shift_approved",
        "approval.shift_voided",
        "approval.timecard_voided",
        "sync.enqueued",  # (not judged: test_a_sync_by_an_admin_demoted_while_it_runs_verifies)
    ):
        assert any(actor == "M1" for actor, k in counts if k == kind), kind  # each written by a manager too
    report = verify(demo_ledger, full=True)
    assert report.ok, report.problems
    if on_postgresql(request.config):  # another machine: a new replica pulls every event
        _pull_anew(demo_ledger, folder / "other.db")


def test_a_sync_by_an_admin_demoted_while_it_runs_verifies(
    request: pytest.FixtureRequest, demo_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found while mapping who writes what: ``ot sync`` asks whether its user may sync, then takes its lock,
    waits for calls in flight and writes the outbox entries approvals lacked (``sync.enqueued``, a backfill)
    without asking again. A1's sync, with A1 made a manager by M1 (an admin) meanwhile, writes W09's: had
    that kind been judged on its worker, verify would fail and every replica refuse to pull."""
    approvals.approve_shifts(demo_ledger, all_visible=True, period_day=P1, actor="A1", now=NOW)  # no target yet
    folder = demo_ledger.parent
    (folder / "m1.csv").write_text(f"{WORKERS_HEADER}\n{_demo_row('M1', '', role='admin')}\n")
    imports.import_file(demo_ledger, "workers", folder / "m1.csv", actor="A1", now=NOW)
    (folder / "a1.csv").write_text(f"{WORKERS_HEADER}\n{_demo_row('A1', 'M1', role='manager')}\n")
    folder.joinpath(demo_ledger.stem + ".sync.toml").write_text(
        f'[targets.files]\nkind = "csv"\nfolder = "{folder / "feeds"}"\n'
    )
    waited = sync._wait_for_calls_in_flight
    demoted: list[int] = []

    def meanwhile(*args: Any, **kwargs: Any) -> None:
        if not demoted:
            imports.import_file(demo_ledger, "workers", folder / "a1.csv", actor="M1", now=NOW)
            demoted.append(_seq_of(demo_ledger, "worker.changed", "A1"))
        waited(*args, **kwargs)

    monkeypatch.setattr(sync, "_wait_for_calls_in_flight", meanwhile)
    sync.run_sync(demo_ledger, actor="A1", now=NOW)
    conn = sqlite3.connect(demo_ledger)
    try:
        (after,) = conn.execute(
            "SELECT count(*) FROM events WHERE kind = 'sync.enqueued' AND actor = 'A1' AND worker_id = 'W09' "
            "AND seq > ?",
            (demoted[0],),
        ).fetchone()
    finally:
        conn.close()
    assert after > 0  # written by A1, a manager then, for a worker who is not theirs
    report = verify(demo_ledger, full=True)
    assert report.ok, report.problems
    if on_postgresql(request.config):
        _pull_anew(demo_ledger, folder / "other.db")


def _seq_of(ledger: Path, kind: str, worker: str) -> int:
    conn = sqlite3.connect(ledger)
    try:
        return int(
            conn.execute("SELECT max(seq) FROM events WHERE kind = ? AND worker_id = ?", (kind, worker)).fetchone()[0]
        )
    finally:
        conn.close()


def _kinds(ledger: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(ledger)
    try:
        return {(str(a), str(k)) for a, k in conn.execute("SELECT DISTINCT actor, kind FROM events")}
    finally:
        conn.close()


def _pull_anew(ledger: Path, other: Path) -> None:
    """A fresh replica of ``ledger``'s database pulls every event, and verifies."""
    from ledger import remote

    conn = sqlite3.connect(ledger)
    url = conn.execute("SELECT value FROM meta WHERE name = ?", (remote.REMOTE_META,)).fetchone()[0]
    conn.close()
    remote.bind(url, other)
    report = verify(other, full=True)
    assert report.ok, report.problems


def test_the_demo_and_its_kiosk_verify(request: pytest.FixtureRequest, demo_ledger: Path) -> None:
    """`ot demo` (the fixture), the tour's kiosk punch, a manager's step 1 and A1's step 2 and pay run."""
    _worker, pin = demo.sample_pin()
    punch.record_punch(demo_ledger, pin=pin, kind="in", actor=demo.KIOSK_ID, now=NOW)
    for m in ("M1", "M2", "M3", "M4", "M5", "M6", "M7"):
        approvals.approve_shifts(demo_ledger, all_visible=True, period_day=P1, actor=m, now=NOW)
    approvals.approve_timecards(demo_ledger, period_day=P1, actor="A1", now=NOW)
    payrun.run_payroll(demo_ledger, period_day=P1, partial=True, actor="A1", now=NOW)
    report = verify(demo_ledger, full=True)
    assert report.ok, report.problems
    if on_postgresql(request.config):
        _pull_anew(demo_ledger, demo_ledger.parent / "other.db")


# --- random forged events: flagged exactly when out of scope ------------------------------------------

ACTORS = ("A1", "M1", "M2", demo.KIOSK_ID)
TARGETS = ("W01", "W02", "W09", "W10", "M1", "M2")
MANAGER = {"W01": "M1", "W02": "M1", "W09": "M2", "W10": "M2", "M1": "A1", "M2": "A1"}


def _allowed(actor: str, variant: str, worker: str) -> bool:
    """Whether ``actor`` may write ``variant`` on ``worker`` (``ot.services.permissions``, the demo's roster;
    a disguised approval is on both the worker it names, W01, and the one whose shift it is)."""
    if actor == "A1":
        return True
    if variant == "punch":
        return actor in (demo.KIOSK_ID, worker) or MANAGER[worker] == actor
    if variant == "disguised punch":
        return _allowed(actor, "punch", worker) and _allowed(actor, "punch", "W01")
    if variant == "disguised approval":
        return _allowed(actor, "approval", worker) and _allowed(actor, "approval", "W01")
    return MANAGER[worker] == actor and worker != actor


@pytest.fixture
def shifts_of(demo_ledger: Path) -> dict[str, list[Shift]]:
    return {w: _clean(demo_ledger, w) for w in TARGETS}


@settings(
    max_examples={"thorough": 200, "postgresql": 8}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 25),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
@given(
    forged=st.lists(
        st.tuples(st.sampled_from(ACTORS), st.sampled_from(VARIANTS), st.sampled_from(TARGETS)), min_size=1, max_size=6
    )
)
def test_random_sealed_events_are_flagged_exactly_when_their_writer_may_not(
    request: pytest.FixtureRequest,
    demo_ledger: Path,
    shifts_of: dict[str, list[Shift]],
    tmp_path: Path,
    forged: list[tuple[str, str, str]],
) -> None:
    """Each forged event in a transaction of its own, sealed by its writer's key, on a fresh copy of the
    demo: verify --full flags those whose writer may not write them, and no other (on PostgreSQL the
    replica refuses at the first of them, and pulls those before)."""
    ledger = tmp_path / "copy.db"
    if on_postgresql(request.config):
        copy_ledger(request.getfixturevalue("pg_server"), demo_ledger, ledger)
    else:
        _backup(demo_ledger, ledger)
    expected: list[int] = []
    for i, (actor, variant, worker) in enumerate(forged):
        s = shifts_of[worker][i % len(shifts_of[worker])]
        seq = _insert(
            request,
            ledger,
            lambda n, a=actor, v=variant, w=worker, s=s, i=i: [_variant(v, a, w, s, n, hour=10 + i)],
            sealer=actor,
        )
        if not _allowed(actor, variant, worker):
            expected.append(seq)
    problems, _started = _problems(ledger)
    flagged = sorted({int(p.split()[p.split().index("event") + 1].rstrip(":")) for p in _flags(problems)})
    if on_postgresql(request.config):
        assert flagged == expected[:1], (forged, problems)
    else:
        assert flagged == expected, (forged, problems)


def _backup(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


# --- random histories of what ot writes: verify passes ------------------------------------------------

LOCATIONS = "location_id,name,state,timezone\nL1,Los Angeles,CA,America/Los_Angeles\nL2,Dallas,TX,America/Chicago\n"
ROSTER = {
    "A1": ("Ada Admin", "L1", "", "admin"),
    "M1": ("Mia Manager", "L1", "A1", "manager"),
    "M2": ("Max Manager", "L2", "M1", "manager"),
    "W1": ("Wes Worker", "L1", "M1", "worker"),
    "W2": ("Tex Worker", "L2", "M1", "worker"),
    "W3": ("Tia Worker", "L2", "M2", "worker"),
    "W4": ("Ana Worker", "L1", "M2", "worker"),
}
STAFF = ("A1", "M1", "M2")
MANAGER_NOW = "their manager"
#: Who takes a command on a worker: anyone of the staff (refused unless they may), or the worker's manager now.
WHO = st.sampled_from((MANAGER_NOW, MANAGER_NOW, *STAFF))
PEOPLE = tuple(ROSTER)
KIOSK = "kiosk:door"
FIRST = date(2026, 10, 11)  # a Sunday: the default biweekly periods start here
DAYS = st.integers(0, 20).map(lambda n: FIRST + timedelta(days=n))
#: What the histories did, summed over the examples (each kind of write must be reached).
REACHED: dict[str, int] = {}
BACKEND: dict[str, object] = {}


def _no_sleep(_seconds: float) -> None:
    """(A wrong PIN's wait: none in a test.)"""


def _roster_csv(managers: dict[str, str]) -> str:
    rows = [f"{w},{n},W2,{30 if r != 'worker' else 20}.00,{lid},{managers.get(w, m)},{r},,,{100001 + i},2026-01-01"
            for i, (w, (n, lid, m, r)) in enumerate(ROSTER.items())]  # fmt: skip
    return WORKERS_HEADER + "\n" + "\n".join(rows) + "\n"


class Histories(RuleBasedStateMachine):
    """What ot writes on workers' shifts, by random actors who may, and random roster moves: verify passes."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.folder = Path(tempfile.mkdtemp(prefix="ot-scope-"))
        self.path = self.folder / "ledger.db"
        self.now = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
        self.managers = {w: m for w, (_n, _l, m, _r) in ROSTER.items()}

    def _tick(self) -> datetime:
        self.now += timedelta(minutes=3)
        return self.now

    def _try(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A command; a refusal must write nothing (and is never the ledger found damaged)."""
        with Ledger.open(self.path) as led:
            before = led.head()
        try:
            out = fn(*args, **kwargs)
        except OtError as exc:
            damaged = "damaged" in exc.message or "is refused" in exc.message
            with Ledger.open(self.path) as led:
                assert led.head() == before, f"{name} was refused but wrote something"
            if damaged:  # a replica refusing to pull what ot wrote: a false refusal
                raise
            REACHED[f"refused {name}"] = REACHED.get(f"refused {name}", 0) + 1
            return None
        REACHED[name] = REACHED.get(name, 0) + 1
        return out

    @initialize()
    def company(self) -> None:
        (self.folder / "l.csv").write_text(LOCATIONS)
        (self.folder / "w.csv").write_text(_roster_csv({}))
        imports.import_file(self.path, "locations", self.folder / "l.csv", actor="A1", now=self.now)
        imports.import_file(self.path, "workers", self.folder / "w.csv", actor="A1", now=self.now)
        rows = ["worker_id,time,kind,location_id,break_type"]
        for n in range(21):
            day = FIRST + timedelta(days=n)
            if day.weekday() < 5:
                rows += [f"{w},{day}T{8 + i:02d}:00,in,," for i, w in enumerate(PEOPLE)]
                rows += [f"{w},{day}T{14 + i:02d}:00,out,," for i, w in enumerate(PEOPLE)]
        (self.folder / "p.csv").write_text("\n".join(rows) + "\n")
        imports.import_file(self.path, "punches", self.folder / "p.csv", actor="A1", now=self.now)
        (self.folder / "ledger.sync.toml").write_text(
            f'[targets.files]\nkind = "csv"\nfolder = "{self.folder / "feeds"}"\n'
        )
        for user in ("A1", "M1", "M2", "W1", KIOSK):
            (load_signer(user) or init_key(user)).public  # noqa: B018 - made once, in the test's key folder
        users.enrol(self.path, "A1", bootstrap=True, actor="A1", now=self._tick())
        for user in ("M1", "M2", "W1", KIOSK):
            key = load_signer(user)
            assert key is not None
            users.enrol(self.path, user, public_key=key.public, kiosk=user == KIOSK, actor="A1", now=self._tick())

    def _some_shift(self, worker: str, pick: int) -> Shift | None:
        found = [s for s in _shifts(self.path, worker, FIRST, FIRST + timedelta(days=20)) if s.pay_type == "REGULAR"]
        return found[pick % len(found)] if found else None

    def _as(self, who: str, worker: str) -> str:
        """The actor: ``who``, or the worker's manager now."""
        return (self.managers[worker] or "A1") if who == MANAGER_NOW else who

    @rule(who=WHO, worker=st.sampled_from(PEOPLE), day=DAYS)
    def approve_week(self, who: str, worker: str, day: date) -> None:
        actor = self._as(who, worker)
        self._try(
            "approve", approvals.approve_shifts, self.path, worker_id=worker, week=day, actor=actor, now=self._tick()
        )

    @rule(actor=st.sampled_from(STAFF), day=DAYS)
    def approve_visible(self, actor: str, day: date) -> None:
        self._try(
            "approve all", approvals.approve_shifts, self.path, all_visible=True, period_day=day, actor=actor,
            now=self._tick(),
        )  # fmt: skip

    @rule(who=WHO, worker=st.sampled_from(PEOPLE), pick=st.integers(0, 30))
    def unapprove(self, who: str, worker: str, pick: int) -> None:
        actor = self._as(who, worker)
        s = self._some_shift(worker, pick)
        if s is not None:
            self._try(
                "unapprove", approvals.unapprove_shifts, self.path, shift_ids=[s.shift_id], reason="check",
                actor=actor, now=self._tick(),
            )  # fmt: skip

    @rule(who=WHO, worker=st.sampled_from(PEOPLE), day=DAYS, hours=st.integers(1, 4))
    def add_shift(self, who: str, worker: str, day: date, hours: int) -> None:
        actor = self._as(who, worker)
        given = entries.ShiftInput(start=f"{day}T18:00", end=f"{day}T{18 + hours}:00")
        self._try(
            "add shift", entries.add_shift, self.path, worker_id=worker, given=given, reason=None, actor=actor,
            now=self._tick(),
        )  # fmt: skip

    @rule(who=WHO, worker=st.sampled_from(PEOPLE), pick=st.integers(0, 30), cut=st.integers(1, 50))
    def edit_shift(self, who: str, worker: str, pick: int, cut: int) -> None:
        actor = self._as(who, worker)
        s = self._some_shift(worker, pick)
        if s is not None and s.start is not None and s.end is not None and s.end - s.start > timedelta(hours=1):
            given = entries.ShiftInput(end=_end(s, -cut))
            self._try(
                "edit shift", entries.edit_shift, self.path, s.shift_id, given=given, reason=None, actor=actor,
                now=self._tick(),
            )  # fmt: skip

    @rule(who=WHO, worker=st.sampled_from(PEOPLE), pick=st.integers(0, 30))
    def delete_shift(self, who: str, worker: str, pick: int) -> None:
        actor = self._as(who, worker)
        s = self._some_shift(worker, pick)
        if s is not None:
            self._try(
                "delete shift", entries.delete_shift, self.path, s.shift_id, reason="not worked", actor=actor,
                now=self._tick(),
            )  # fmt: skip

    @rule(who=WHO, worker=st.sampled_from(PEOPLE), day=DAYS, kind=st.sampled_from(["in", "out"]))
    def add_punch(self, who: str, worker: str, day: date, kind: str) -> None:
        actor = self._as(who, worker)
        self._try(
            "add punch", punch.add_punch, self.path, worker_id=worker, kind=kind, at=f"{day}T21:30", reason="forgot",
            actor=actor, now=self._tick(),
        )  # fmt: skip

    @rule(
        who=st.sampled_from((MANAGER_NOW, *STAFF, "W1", KIOSK, KIOSK)),
        worker=st.sampled_from(PEOPLE),
        kind=st.sampled_from(["in", "out"]),
    )
    def punch_at_the_clock(self, who: str, worker: str, kind: str) -> None:
        """A PIN punch: at the kiosk, by the worker with a key (W1), by a manager or an admin."""
        actor = self._as(who, worker)
        pin = f"{100001 + PEOPLE.index(worker)}"
        self._try(
            "punch", punch.record_punch, self.path, pin=pin, kind=kind, actor=actor, now=self._tick(), sleep=_no_sleep
        )

    @rule(day=DAYS)
    def approve_timecards(self, day: date) -> None:
        self._try(
            "approve timecards", approvals.approve_timecards, self.path, period_day=day, actor="A1", now=self._tick()
        )

    @rule(worker=st.sampled_from(PEOPLE[3:]), manager=st.sampled_from(("M1", "M2", "A1")))
    def move(self, worker: str, manager: str) -> None:
        """A roster import (A1) gives a worker another manager."""
        self.managers[worker] = manager
        (self.folder / "w.csv").write_text(_roster_csv(self.managers))
        self._try(
            "move", imports.import_file, self.path, "workers", self.folder / "w.csv", actor="A1", now=self._tick()
        )

    @invariant()
    def verifies(self) -> None:
        if not self.path.exists():
            return
        report = verify(self.path, full=True)
        assert report.ok, report.problems

    def teardown(self) -> None:
        if BACKEND.get("postgresql") and self.path.exists():
            _pull_anew(self.path, self.folder / "other.db")


def test_random_histories_of_what_ot_writes_verify(request: pytest.FixtureRequest) -> None:
    BACKEND["postgresql"] = on_postgresql(request.config)
    profile = os.environ.get("HYPOTHESIS_PROFILE", "")
    Histories.TestCase.settings = settings(
        max_examples={"thorough": 200, "postgresql": 3}.get(profile, 8),
        stateful_step_count={"thorough": 40}.get(profile, 12),
        derandomize=profile != "thorough",
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    REACHED.clear()
    Histories.TestCase().runTest()
    print(REACHED)
    if BACKEND["postgresql"]:
        return  # (fewer histories there: the SQLite pass asks that every command was reached)
    for name in ("approve", "approve all", "unapprove", "add shift", "edit shift", "delete shift", "add punch"):
        assert REACHED.get(name), (name, REACHED)
    assert REACHED.get("punch"), REACHED
    assert REACHED.get("move"), REACHED
