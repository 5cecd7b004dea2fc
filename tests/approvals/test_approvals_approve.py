"""Two-step approval: shifts (a manager of the worker or an admin), then timecards (an admin)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from approvals_helpers import add, company, events, ot, snapshot_of, week_of_8h
from click.testing import CliRunner

from ledger.approvals import Payment
from ot.core.errors import OtError
from ot.services.approvals import approve_timecards

WEEK = ["2026-10-12", "2026-10-13", "2026-10-14"]
DAYS = ["Mon 2026-10-12 08:00-16:00", "Tue 2026-10-13 08:00-16:00", "Wed 2026-10-14 08:00-16:00"]


@pytest.mark.parametrize(
    ("user", "says"),
    [
        # the summary "workers may not approve shifts" said this again in other words: the CLI prints it once
        ("W3", "W3 is a worker: only a manager of the worker or an admin approves shifts"),
        ("W1", "W1 is a worker: only a manager of the worker or an admin approves shifts"),
        ("M2", "M2 does not manage W1"),
        ("nobody", "'nobody' is not in the roster"),
    ],
)
def test_who_may_not_approve_shifts(cli: CliRunner, ledger_path: Path, tmp_path: Path, user: str, says: str) -> None:
    company(cli, tmp_path)
    [sid] = week_of_8h(cli, "W1", WEEK[:1])
    before = snapshot_of(ledger_path)
    result = ot(cli, "approve", "shifts", "--shift", sid, user=user, code=2)
    assert says in result.stderr
    assert snapshot_of(ledger_path) == before


def test_nobody_approves_their_own_shifts(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    [m1] = week_of_8h(cli, "M1", WEEK[:1])
    [a2] = week_of_8h(cli, "A2", WEEK[:1])
    assert (
        "nobody may approve their own shifts" in ot(cli, "approve", "shifts", "--shift", m1, user="M1", code=2).stderr
    )
    assert (
        "nobody may approve their own shifts" in ot(cli, "approve", "shifts", "--shift", a2, user="A2", code=2).stderr
    )
    ot(cli, "approve", "shifts", "--shift", m1, "--shift", a2, user="A1")  # another admin may
    assert [e.actor for e in events(ledger_path, "approval.shift_approved")] == ["A1", "A1"]


def test_approve_by_shift_by_worker_week_and_all_visible(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    w1 = week_of_8h(cli, "W1", WEEK)
    w3 = week_of_8h(cli, "W3", WEEK[:1])
    w2 = week_of_8h(cli, "W2", WEEK[:1])
    out = ot(cli, "approve", "shifts", "--shift", w1[0], user="M1").stdout
    assert out.splitlines() == [f"approved {w1[0]} W1 Mon 2026-10-12 08:00-16:00", "1 approved, 0 unchanged"]
    out = ot(cli, "approve", "shifts", "--worker", "W1", "--week", "2026-10-15", user="M1").stdout
    assert out.splitlines()[-1] == "2 approved, 1 unchanged"
    # M1 sees W1 and W3 (whom M1 manages), not W2 (M2's).
    out = ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-20", user="M1").stdout
    lines = out.splitlines()
    assert lines[0] == f"approved {w3[0]} W3 Mon 2026-10-12 08:00-16:00"
    assert lines[1:] == [f"already approved {s} W1 {d}" for s, d in zip(w1, DAYS, strict=True)] + [
        "1 approved, 3 unchanged"
    ]
    approved = {e.payload["shift_id"] for e in events(ledger_path, "approval.shift_approved")}
    assert approved == {*w1, *w3}
    assert w2[0] not in approved
    ot(cli, "approve", "shifts", code=2)  # says which shifts to approve
    assert "no such shift" in ot(cli, "approve", "shifts", "--shift", "M999", code=2).stderr


def test_timecards_need_every_shift_approved_and_an_admin(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    w1 = week_of_8h(cli, "W1", WEEK)
    ot(cli, "approve", "shifts", "--shift", w1[0], user="M1")
    before = snapshot_of(ledger_path)
    result = ot(cli, "approve", "timecards", "--period", "2026-10-12", code=2)
    assert f"shift {w1[1]}: W1 Tue 2026-10-13 08:00-16:00 is not approved (step 1)" in result.stderr
    assert f"shift {w1[2]}: W1 Wed 2026-10-14 08:00-16:00 is not approved (step 1)" in result.stderr
    assert f"shift {w1[0]}" not in result.stderr
    assert snapshot_of(ledger_path) == before
    ot(cli, "approve", "shifts", "--worker", "W1", "--week", "2026-10-12", user="M1")
    assert "only an admin" in ot(cli, "approve", "timecards", "--period", "2026-10-12", user="M1", code=2).stderr
    out = ot(cli, "approve", "timecards", "--period", "2026-10-12").stdout
    assert "approved W1 2026-10-11 to 2026-10-24: 3 shifts" in out
    [card] = events(ledger_path, "approval.timecard_approved")
    assert card.actor == "A1"
    assert card.payload["period_start"] == "2026-10-11"
    assert {s["shift_id"] for s in card.payload["shifts"]} == set(w1)
    out = ot(cli, "approve", "timecards", "--period", "2026-10-12").stdout
    assert out.splitlines()[-1] == "0 approved, 1 unchanged"


def test_pto_is_filled_in_and_holiday_hours_are_entered_by_hand(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    company(cli, tmp_path)
    [sid] = week_of_8h(cli, "W1", WEEK[:1])
    pto = add(cli, "W1", "--date", "2026-10-13", "--hours", "8", "--pay-type", "PTO", user="M1")
    ot(cli, "approve", "shifts", "--shift", sid, user="M1")
    bad = ot(cli, "approve", "timecards", "--period", "2026-10-12", "--holiday-hours", "W1:2026-11-26:8", code=2)
    assert "2026-11-26 is not in the pay period 2026-10-11 to 2026-10-24" in bad.stderr
    assert (
        "WORKER:YYYY-MM-DD:HOURS"
        in ot(cli, "approve", "timecards", "--period", "2026-10-12", "--holiday-hours", "W1-8", code=2).stderr
    )
    out = ot(cli, "approve", "timecards", "--period", "2026-10-12", "--holiday-hours", "W1:2026-10-14:8").stdout
    assert "W1 2026-10-11 to 2026-10-24: 1 shifts, 16.00 h PTO/sick/holiday" in out
    [card] = events(ledger_path, "approval.timecard_approved")
    leave = {(x["pay_type"], x["day"], x["minutes"]) for x in card.payload["leave"]}
    assert leave == {("PTO", "2026-10-13", 480), ("HOLIDAY", "2026-10-14", 480)}
    assert pto in {x["shift_id"] for x in card.payload["leave"]}


def test_an_edit_voids_both_approvals_and_an_old_version_does_not_count(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    company(cli, tmp_path)
    [sid] = week_of_8h(cli, "W1", WEEK[:1])
    ot(cli, "approve", "shifts", "--shift", sid, user="M1")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    out = ot(cli, "shift", "edit", sid, "--end", "2026-10-12T17:00", "--reason", "late out", user="M1").stdout
    assert f"voided the approval of shift {sid}" in out
    assert "voided the timecard of W1 for the period from 2026-10-11" in out
    [sv] = events(ledger_path, "approval.shift_voided")
    [tv] = events(ledger_path, "approval.timecard_voided")
    assert (sv.payload["cause"], tv.payload["cause"]) == ("edited", "edited")
    # The approval of the old version no longer counts: step 2 is refused until step 1 is given again.
    assert "is not approved (step 1)" in ot(cli, "approve", "timecards", "--period", "2026-10-12", code=2).stderr
    ot(cli, "approve", "shifts", "--shift", sid, user="M1")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    versions = [e.payload["version"] for e in events(ledger_path, "approval.shift_approved")]
    assert len(versions) == 2
    assert versions[0] != versions[1]


def test_unapprove_with_a_reason(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    [sid] = week_of_8h(cli, "W1", WEEK[:1])
    ot(cli, "approve", "shifts", "--shift", sid, user="M1")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    ot(
        cli,
        "unapprove",
        "timecards",
        "--period",
        "2026-10-12",
        "--worker",
        "W1",
        "--reason",
        "wrong PTO",
        user="M1",
        code=2,
    )
    out = ot(cli, "unapprove", "timecards", "--period", "2026-10-12", "--worker", "W1", "--reason", "wrong PTO").stdout
    assert "unapproved W1 2026-10-11 to 2026-10-24" in out
    assert (
        "M2 does not manage W1"
        in ot(cli, "unapprove", "shifts", "--shift", sid, "--reason", "x", user="M2", code=2).stderr
    )
    ot(cli, "unapprove", "shifts", "--shift", sid, "--reason", "  ", user="M1", code=2)
    ot(cli, "unapprove", "shifts", "--shift", sid, "--reason", "check the break", user="M1")
    [v] = events(ledger_path, "approval.shift_voided")
    assert (v.payload["cause"], v.payload["reason"], v.actor) == ("unapproved", "check the break", "M1")
    out = ot(cli, "unapprove", "shifts", "--shift", sid, "--reason", "again", user="M1").stdout
    assert "0 unapproved, 1 unchanged" in out


def test_a_race_of_two_timecard_approvals_gives_one_event(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Two connections approve the same timecard at once: BEGIN IMMEDIATE serialises them,
    the second sees the first's approval, and the ledger holds one event."""
    company(cli, tmp_path)
    sids = week_of_8h(cli, "W1", WEEK)
    ot(cli, "approve", "shifts", "--worker", "W1", "--week", "2026-10-12", user="M1")
    assert sids
    barrier = threading.Barrier(2)
    results: list[object] = []
    now = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)

    def approve(actor: str) -> None:
        barrier.wait()
        try:
            results.append(
                approve_timecards(ledger_path, period_day=date(2026, 10, 12), worker_ids=["W1"], actor=actor, now=now)
            )
        except OtError as exc:  # pragma: no cover - a busy ledger would show here
            results.append(exc)

    threads = [threading.Thread(target=approve, args=(a,)) for a in ("A1", "A2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(events(ledger_path, "approval.timecard_approved")) == 1
    done = sorted(len(r.done) for r in results)  # type: ignore[attr-defined]
    assert done == [0, 1]


def test_state_records_are_frozen() -> None:
    from dataclasses import FrozenInstanceError
    from decimal import Decimal

    payment = Payment(
        "R1",
        "regular",
        "W1",
        None,
        None,
        None,
        None,
        Decimal(0),
        Decimal(0),
        Decimal(0),
        Decimal(0),
        (),
        datetime.now(UTC),
        1,
    )
    with pytest.raises(FrozenInstanceError):
        payment.net = Decimal(1)  # type: ignore[misc]


def test_status_follows_a_timecard_from_open_to_paid(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    assert "no shifts, leave, corrections or timecards" in ot(cli, "approve", "status", "--period", "2026-10-12").stdout

    def state() -> str:
        lines = ot(cli, "approve", "status", "--period", "2026-10-12").stdout.splitlines()
        return next(line for line in lines if line.startswith("W2 "))

    [sid] = week_of_8h(cli, "W2", WEEK[:1])
    add(cli, "W2", "--date", "2026-10-13", "--hours", "4", "--pay-type", "SICK")
    assert state() == "W2      Tex Worker                    1         0     4.00     240.00  open"
    ot(cli, "approve", "shifts", "--shift", sid, user="M2")
    assert state().endswith("1         1     4.00     240.00  ready")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    assert state().endswith("approved")
    ot(cli, "payrun", "--period", "2026-10-12")
    assert state().endswith("paid (R2026-10-11)")
