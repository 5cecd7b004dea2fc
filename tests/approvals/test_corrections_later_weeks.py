"""A shift added or edited on a paid date reprices every paid workweek after it, not only its own.

Found by a review: an edit corrected the shift's own workweek and left later paid weeks that rest on it
as they were paid, so the difference was never paid (nor listed anywhere). The company of
approvals_helpers (W2 in Dallas, TX, $20: federal rules alone), with W4 in Las Vegas, NV, at $15.
Biweekly periods from Sunday 2026-10-11; workweeks start on Sunday.
"""

from __future__ import annotations

import json
from pathlib import Path

from approvals_helpers import add, approve_and_pay, company, events, ot, snapshot_of
from click.testing import CliRunner

NEVADA = "location_id,name,state,timezone\nL3,Las Vegas,NV,America/Los_Angeles\n"
W4 = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\nW4,Nev Worker,W2,15.00,L3,M1,worker,,,\n"


def _corrections(ledger_path: Path) -> list[tuple[str, str, str]]:
    return [
        (c.payload["week_start"], c.payload["kind"], c.payload["amount"])
        for c in events(ledger_path, "correction.recorded")
    ]


def _nevada(cli: CliRunner, tmp_path: Path) -> None:
    company(cli, tmp_path)
    (tmp_path / "l3.csv").write_text(NEVADA)
    (tmp_path / "w4.csv").write_text(W4)
    ot(cli, "import", "locations", str(tmp_path / "l3.csv"))
    ot(cli, "import", "workers", str(tmp_path / "w4.csv"))


def test_an_edit_reprices_the_later_week_a_bonus_is_allocated_over(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """A $400.00 bonus earned over both workweeks of the period (10-11..10-23, the day it is paid: a period
    ends by then, 778.209(a)) is allocated over the hours
    of the whole period (29 CFR 778.209(a)): 90 hours, 10 of them overtime, so 400 / 90 x 0.5 x 10 =
    $22.22 more overtime premium, paid on the bonus's date (10-23, the second week). Wednesday 10-14 is
    then found 2 hours longer: the first week owes 2 h x 1.5 x $20 = $60.00 more, and the second week's
    premium is now 400 / 92 x 0.5 x 12 = $26.09, $3.87 more. Both are corrections."""
    company(cli, tmp_path)
    days = [f"2026-10-{d}" for d in (12, 13, 14, 15, 16, 19, 20, 21, 22, 23)]
    sids = [add(cli, "W2", "--start", f"{d}T08:00", "--end", "17:00") for d in days]
    ot(cli, "earning", "add", "W2", "--date", "2026-10-23", "--kind", "bonus", "--amount", "400.00",
       "--earned-from", "2026-10-11", "--earned-to", "2026-10-23")  # fmt: skip
    approve_and_pay(cli, "2026-10-12")
    out = ot(cli, "shift", "edit", sids[2], "--end", "19:00", "--correction-authorized", "--reason", "forgot 2h")
    assert "week of 2026-10-18: +3.87" in out.stdout
    assert _corrections(ledger_path) == [
        ("2026-10-11", "underpayment", "60.00"),
        ("2026-10-18", "underpayment", "3.87"),
    ]
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-26")
    ot(cli, "approve", "timecards", "--period", "2026-10-26")
    [w2] = json.loads(ot(cli, "payrun", "--period", "2026-10-26", "--dry-run", "--json").stdout)["workers"]
    assert (w2["gross"], w2["additions"], w2["net"]) == ("0.00", "63.87", "63.87")


def test_an_edit_reprices_nevadas_24_hour_period_into_the_next_week(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """Nevada counts daily overtime over 8 hours in the 24 hours from a shift's start, for a worker paid
    under 1.5 times the minimum wage (NRS 608.018(1)(b)). W4 works Saturday 10-17 16:00-18:00 and Sunday
    10-18 08:00-14:00 (8 hours, paid $120.00). Saturday is then found to start at 12:00: its week owes
    4 h x $15 = $60.00 more, and the 24 hours from Saturday 12:00 now hold 6 + 4 = 10 hours, so 2 of
    Sunday's, in the next workweek, are overtime: 2 h x 0.5 x $15 = $15.00 more."""
    _nevada(cli, tmp_path)
    saturday = add(cli, "W4", "--start", "2026-10-17T16:00", "--end", "18:00")
    add(cli, "W4", "--start", "2026-10-18T08:00", "--end", "14:00")
    approve_and_pay(cli, "2026-10-12")
    ot(cli, "shift", "edit", saturday, "--start", "2026-10-17T12:00", "--end", "18:00",
       "--correction-authorized", "--reason", "came in at noon")  # fmt: skip
    assert _corrections(ledger_path) == [
        ("2026-10-11", "underpayment", "60.00"),
        ("2026-10-18", "underpayment", "15.00"),
    ]


def test_a_shift_on_an_unpaid_date_that_reprices_a_paid_week_is_a_correction(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """W4 is paid from 10-11 (Sunday 08:00-14:00). A shift found later on Saturday 10-10 20:00-23:00, a
    date never paid, puts 3 + 6 = 9 hours in the 24 hours from its start (NRS 608.018(1)(b)): one of
    Sunday's paid hours is now overtime, $7.50 more in a week paid on every day. As for a punch, that is
    a correction: refused (nothing written) until an admin authorizes it, then recorded; the next run
    pays Saturday's 3 hours and the correction."""
    _nevada(cli, tmp_path)
    add(cli, "W4", "--start", "2026-10-11T08:00", "--end", "14:00")
    approve_and_pay(cli, "2026-10-12")
    before = snapshot_of(ledger_path)
    refused = ot(cli, "shift", "add", "--worker", "W4", "--start", "2026-10-10T20:00", "--end", "23:00", code=2)
    assert "would change what paid dates were paid; nothing was written" in refused.stderr
    assert "W4 week of 2026-10-11: underpayment 7.50" in refused.stderr
    assert snapshot_of(ledger_path) == before
    manager = ot(cli, "shift", "add", "--worker", "W4", "--start", "2026-10-10T20:00", "--end", "23:00",
                 "--correction-authorized", "--reason", "night shift found", user="M1", code=2)  # fmt: skip
    assert snapshot_of(ledger_path) == before, manager.stderr
    night = add(cli, "W4", "--start", "2026-10-10T20:00", "--end", "23:00",
                "--correction-authorized", "--reason", "night shift found")  # fmt: skip
    assert _corrections(ledger_path) == [("2026-10-11", "underpayment", "7.50")]
    ot(cli, "approve", "shifts", "--shift", night)
    ot(cli, "approve", "timecards", "--period", "2026-10-26")
    [w4] = json.loads(ot(cli, "payrun", "--period", "2026-10-26", "--dry-run", "--json").stdout)["workers"]
    assert (w4["gross"], w4["additions"]) == ("45.00", "7.50")


def test_the_audit_says_what_a_week_was_due_before_each_correction(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """Two corrections of one paid week (8 h x 5 days x $20 = $800.00): Monday cut to 4 hours, then
    Tuesday. The second is due $640.00 against $720.00, not against the $800.00 paid (a review: the audit
    called $720.00 "paid"). Each reads was due -> now, and each amount is their difference."""
    company(cli, tmp_path)
    sids = [add(cli, "W2", "--start", f"2026-10-{d}T08:00", "--end", "16:00") for d in (12, 13, 14, 15, 16)]
    approve_and_pay(cli, "2026-10-12")
    for sid in sids[:2]:
        ot(cli, "shift", "edit", sid, "--end", "12:00", "--correction-authorized", "--reason", "left at noon")
    audit = ot(cli, "audit", "corrections").stdout
    assert f"(shift {sids[0]} edited; was due 800.00, now 720.00)" in audit
    assert f"(shift {sids[1]} edited; was due 720.00, now 640.00)" in audit
    assert _corrections(ledger_path) == [("2026-10-11", "overpayment", "80.00"), ("2026-10-11", "overpayment", "80.00")]


def test_deleting_a_shift_that_repriced_a_paid_week_is_a_correction_too(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """A review: the Saturday 10-10 night shift above, recorded with its $7.50 correction of the paid week
    of 10-11 (NRS 608.018(1)(b)), then deleted as entered by mistake: the deletion was taken without a
    correction, so the next run still paid the $7.50 for overtime no longer worked. It is gated now:
    refused as is, and with the admin's authorization it records the $7.50 overpayment back."""
    _nevada(cli, tmp_path)
    add(cli, "W4", "--start", "2026-10-11T08:00", "--end", "14:00")
    approve_and_pay(cli, "2026-10-12")
    night = add(cli, "W4", "--start", "2026-10-10T20:00", "--end", "23:00",
                "--correction-authorized", "--reason", "night shift found")  # fmt: skip
    before = snapshot_of(ledger_path)
    refused = ot(cli, "shift", "delete", night, "--reason", "entered by mistake", code=2)
    assert "deleting shift" in refused.stderr
    assert "W4 week of 2026-10-11: overpayment 7.50" in refused.stderr
    assert snapshot_of(ledger_path) == before
    manager = ot(cli, "shift", "delete", night, "--reason", "mistake", "--correction-authorized", user="M1", code=2)
    assert "only an admin" in manager.stderr or "may not" in manager.stderr
    assert snapshot_of(ledger_path) == before
    ot(cli, "shift", "delete", night, "--reason", "entered by mistake", "--correction-authorized")
    assert _corrections(ledger_path) == [
        ("2026-10-11", "underpayment", "7.50"),
        ("2026-10-11", "overpayment", "7.50"),
    ]
    ot(cli, "approve", "timecards", "--period", "2026-10-26")
    [w4] = json.loads(ot(cli, "payrun", "--period", "2026-10-26", "--dry-run", "--json").stdout)["workers"]
    assert (w4["gross"], w4["net"]) == ("0.00", "0.00")
