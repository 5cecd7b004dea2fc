"""Issue 10's reproducers, each as a plain test: money paid exactly once, nothing stranded.

The company of approvals_helpers: W1 (Los Angeles, $20), W2 (Dallas, $20, federal rules
alone: 29 U.S.C. 207(a)(1), overtime only over 40 hours in the workweek), managers M1/M2,
admins A1/A2. Biweekly periods from Sunday 2026-10-11; workweeks start on Sunday.
"""

from __future__ import annotations

import json
import sqlite3
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from approvals_helpers import add, approve_and_pay, company, events, ot, snapshot_of, week_of_8h
from click.testing import CliRunner

import ot.services.payrun as payrun

MON_FRI = ["2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15", "2026-10-16"]


def _paid_first_period(cli: CliRunner, tmp_path: Path) -> list[str]:
    company(cli, tmp_path)
    sids = week_of_8h(cli, "W2", MON_FRI)
    approve_and_pay(cli, "2026-10-12")
    return sids


def test_a_calendar_change_never_pays_a_date_twice(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """After 2026-10-11..24 is paid, a worker may not change the calendar, an admin's new calendar
    takes effect only after the last paid date, and no run pays those dates again."""
    _paid_first_period(cli, tmp_path)
    before = snapshot_of(ledger_path)
    refused = ot(cli, "period", "configure", "--frequency", "weekly", "--anchor", "2026-10-12", user="W2", code=2)
    assert "only an admin may configure pay periods" in refused.stderr
    refused = ot(cli, "period", "configure", "--frequency", "weekly", "--anchor", "2026-10-12", code=2)
    assert "dates are paid through 2026-10-24: a new calendar takes effect only after them" in refused.stderr
    assert "give --effective 2026-10-26" in refused.stderr
    too_early = ot(
        cli,
        "period",
        "configure",
        "--frequency",
        "weekly",
        "--anchor",
        "2026-10-12",
        "--effective",
        "2026-10-19",
        code=2,
    )
    assert "only after them (from 2026-10-19)" in too_early.stderr
    assert snapshot_of(ledger_path) == before
    ot(cli, "period", "configure", "--frequency", "weekly", "--anchor", "2026-10-12", "--effective", "2026-10-26")
    again = ot(cli, "payrun", "--period", "2026-10-19", code=2).stderr
    assert "2026-10-11 to 2026-10-24 is already paid" in again
    # The transition period 2026-10-25 (a day) and the weekly ones after it pay only new dates.
    week_of_8h(cli, "W2", ["2026-10-26"])
    out = approve_and_pay(cli, "2026-10-27").stdout
    assert "gross     160.00" in out
    ranges = [e.payload["ranges"] for e in events(ledger_path, "payrun.worker_paid")]
    assert ranges == [[["2026-10-11", "2026-10-24"]], [["2026-10-25", "2026-11-01"]]]


def test_a_pay_run_refuses_an_edited_rate_table(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """worker_rates is derived from the events: edited by hand, the pay run refuses and names it."""
    company(cli, tmp_path)
    week_of_8h(cli, "W2", MON_FRI[:1])
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    con = sqlite3.connect(ledger_path)
    con.execute("UPDATE worker_rates SET rate = '99.00' WHERE worker_id = 'W2'")
    con.commit()
    con.close()
    before = snapshot_of(ledger_path)
    refused = ot(cli, "payrun", "--period", "2026-10-12", "--partial", code=2)
    assert "table worker_rates: differs from the events" in refused.stderr
    assert "'99.00'" in refused.stderr
    assert "refused: a derived table does not match the events; nothing was written" in refused.stderr
    assert snapshot_of(ledger_path) == before
    assert "ledger NOT verified" in ot(cli, "ledger", "verify", code=1).stdout
    ot(cli, "ledger", "rebuild")
    assert "gross     160.00" in ot(cli, "payrun", "--period", "2026-10-12").stdout


def _approved_week(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> tuple[str, int]:
    """W2's Monday approved (steps 1 and 2): its shift id and the seq of its approval."""
    company(cli, tmp_path)
    week_of_8h(cli, "W2", MON_FRI[:1])
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    con = sqlite3.connect(ledger_path)
    sid, seq = con.execute("SELECT shift_id, seq FROM shift_approvals WHERE worker_id = 'W2'").fetchone()
    con.close()
    return sid, seq


def _edit(ledger_path: Path, sql: str) -> None:
    con = sqlite3.connect(ledger_path)
    con.execute(sql)
    con.commit()
    con.close()


@pytest.mark.parametrize("batch", [1, payrun.APPROVALS_BATCH])
def test_a_pay_run_refuses_an_approval_row_that_names_another_event(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """A step-1 approval row is checked against the event it names: pointed at another event by hand,
    the pay run refuses and writes nothing. The run checks the rows in batches while it prices (a
    batch of 1: each worker's as it is settled), or at the end what is left: the same refusal."""
    sid, seq = _approved_week(cli, ledger_path, tmp_path)
    _edit(ledger_path, f"UPDATE shift_approvals SET seq = {seq - 1} WHERE shift_id = '{sid}'")
    before = snapshot_of(ledger_path)
    monkeypatch.setattr(payrun, "APPROVALS_BATCH", batch)
    asked: list[list[str]] = []
    check = payrun.shift_approval_problems
    monkeypatch.setattr(payrun, "shift_approval_problems", lambda uow, ids: asked.append(list(ids)) or check(uow, ids))
    refused = ot(cli, "payrun", "--period", "2026-10-12", "--partial", code=2)
    assert f"table shift_approvals: shift {sid}: row {seq - 1} is not that approval" in refused.stderr
    # Batch 1: checked as the worker was settled, nothing left for the end; else all at the end.
    assert asked == ([[sid], []] if batch == 1 else [[sid]])
    assert snapshot_of(ledger_path) == before
    # Approving the timecard again (a holiday added, say) rests on the same row: refused too.
    again = ot(cli, "approve", "timecards", "--period", "2026-10-12", "--holiday-hours", "W2:2026-10-13:8", code=2)
    assert f"row {seq - 1} is not that approval" in again.stderr
    assert snapshot_of(ledger_path) == before


def test_a_pay_run_refuses_an_approval_row_restored_after_its_void(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """An approval voided by an event, put back in the table by hand (the whole row restored), is
    refused by the pay run with the void that ended it; nothing is written."""
    sid, seq = _approved_week(cli, ledger_path, tmp_path)
    con = sqlite3.connect(ledger_path)
    row = con.execute("SELECT version, actor, at FROM shift_approvals WHERE shift_id = ?", (sid,)).fetchone()
    con.close()
    ot(cli, "unapprove", "shifts", "--shift", sid, "--reason", "wrong day")
    con = sqlite3.connect(ledger_path)
    void = con.execute("SELECT max(seq) FROM events WHERE kind = 'approval.shift_voided'").fetchone()[0]
    con.close()
    _edit(
        ledger_path,
        f"UPDATE shift_approvals SET version = '{row[0]}', actor = '{row[1]}', at = '{row[2]}', seq = {seq} "
        f"WHERE shift_id = '{sid}'",
    )
    before = snapshot_of(ledger_path)
    # The void voided the timecard too; approving it again on the restored row is refused, as is the pay run.
    again = ot(cli, "approve", "timecards", "--period", "2026-10-12", code=2)
    assert f"shift {sid}: its approval was voided by event {void}" in again.stderr
    # The pay run checks the rows of the workers it leaves out too: the restored row is named, not
    # only the timecard's step 2 (it left W2 out as 'not approved (step 2)' before).
    refused = ot(cli, "payrun", "--period", "2026-10-12", "--partial", code=2)
    assert f"shift {sid}: its approval was voided by event {void}" in refused.stderr
    assert snapshot_of(ledger_path) == before


def test_an_approval_row_without_its_instant_is_refused_not_a_crash(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """A step-1 approval row whose instant was emptied by hand: the pay run refuses, naming the row, and
    writes nothing (it was a TypeError before)."""
    sid, seq = _approved_week(cli, ledger_path, tmp_path)
    _edit(ledger_path, f"UPDATE shift_approvals SET at = NULL WHERE shift_id = '{sid}'")
    before = snapshot_of(ledger_path)
    refused = ot(cli, "payrun", "--period", "2026-10-12", "--partial", code=2)
    assert f"table shift_approvals: shift {sid}: row {seq} has no approval instant (None)" in refused.stderr
    assert "ot ledger rebuild" in refused.stderr
    assert snapshot_of(ledger_path) == before
    ot(cli, "ledger", "rebuild")
    assert "gross     160.00" in ot(cli, "payrun", "--period", "2026-10-12").stdout


def test_a_deleted_paid_range_row_cannot_pay_again(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Deleting the row that says W2 is paid through 2026-10-24 does not make those dates payable again."""
    _paid_first_period(cli, tmp_path)
    con = sqlite3.connect(ledger_path)
    con.execute("DELETE FROM paid_ranges WHERE worker_id = 'W2'")
    con.commit()
    con.close()
    week_of_8h(cli, "W2", ["2026-10-26"])
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-26")
    refused = ot(cli, "payrun", "--period", "2026-10-26", "--dry-run", code=2)
    assert "table paid_ranges: differs from the events" in refused.stderr


def test_a_night_shift_across_the_period_boundary_is_paid_in_both(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """Saturday 2026-10-24 22:00 to Sunday 06:00: Saturday's 2 hours are paid with the first period,
    Sunday's 6 with the next, whose timecard holds the shift (it is not stranded)."""
    company(cli, tmp_path)
    night = add(cli, "W2", "--start", "2026-10-24T22:00", "--end", "06:00")
    approve_and_pay(cli, "2026-10-20")
    [first] = events(ledger_path, "payrun.worker_paid")
    assert [(ln["date"], ln["minutes"]) for w in first.payload["weeks"] for ln in w["lines"]] == [("2026-10-24", "120")]
    status = ot(cli, "approve", "status", "--period", "2026-10-26").stdout
    assert "W2      Tex Worker                    1         1     0.00     120.00  ready" in status
    ot(cli, "approve", "timecards", "--period", "2026-10-26")
    out = ot(cli, "payrun", "--period", "2026-10-26").stdout
    assert "W2     Tex Worker                  6.00 h  gross     120.00" in out
    [_, second] = events(ledger_path, "payrun.worker_paid")
    assert [(ln["date"], ln["minutes"]) for w in second.payload["weeks"] for ln in w["lines"]] == [
        ("2026-10-25", "360")
    ]
    assert {s["shift_id"] for s in events(ledger_path, "approval.timecard_approved")[-1].payload["shifts"]} == {night}


def test_an_underpayment_alone_gets_a_timecard_and_is_paid(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """A Friday added after it was paid (8 h x $20 = $160, NEXT_PAYROLL_PAYMENT): with no work in the
    next period, W2 still gets a timecard; the dry run lists it; the run pays it."""
    _paid_first_period(cli, tmp_path)
    ot(cli, "shift", "add", "--worker", "W2", "--date", "2026-10-17", "--hours", "8", "--correction-authorized",
       "--reason", "Saturday was worked")  # fmt: skip
    preview = ot(cli, "payrun", "--period", "2026-10-26", "--dry-run", code=2)
    assert "timecard W2 2026-10-25 to 2026-11-07: not approved (step 2)" in preview.stderr
    ot(cli, "approve", "timecards", "--period", "2026-10-26")
    dry = json.loads(ot(cli, "payrun", "--period", "2026-10-26", "--dry-run", "--json").stdout)
    [w2] = dry["workers"]
    # 48 hours in the workweek: Saturday's 8 are overtime, 8 x 1.5 x $20 = $240 (29 U.S.C. 207(a)(1)).
    assert (w2["gross"], w2["additions"], w2["net"]) == ("0.00", "240.00", "240.00")
    out = ot(cli, "payrun", "--period", "2026-10-26").stdout
    assert "underpayment" in out
    assert "total paid out 240.00" in out
    [row] = json.loads(ot(cli, "audit", "corrections", "--json").stdout)
    assert row["settled"] is True


def test_an_overpayment_with_nothing_to_deduct_from_carries_forward(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """Wednesday cut to 4 hours after it was paid ($80 overpaid): with no pay in the next period the
    dry run says it carries forward; once there is pay, it is deducted."""
    sids = _paid_first_period(cli, tmp_path)
    ot(cli, "shift", "edit", sids[2], "--end", "12:00", "--correction-authorized", "--reason", "left at noon")
    approve = ot(cli, "approve", "timecards", "--period", "2026-10-26")
    assert "overpayment" in approve.stderr
    assert "carries forward to their next pay" in approve.stderr
    week_of_8h(cli, "W2", ["2026-10-26"])
    out = approve_and_pay(cli, "2026-10-26").stdout
    assert "-80.00  deduction" in out
    assert "net        80.00" in out


def test_an_exception_blocks_only_its_own_worker(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """W1 has an out-punch with no in-punch: the shift cannot be approved, W1's timecard is blocked
    with what to do, W2's is approved and paid; adding the missing punch fixes it, with the lunch kept."""
    company(cli, tmp_path)
    week_of_8h(cli, "W2", MON_FRI[:2])
    punches = tmp_path / "p.csv"
    punches.write_text(
        "worker_id,time,kind,location_id,break_type\n"
        "W1,2026-10-13T12:00,break_start,,\nW1,2026-10-13T12:30,break_end,,\nW1,2026-10-13T16:30,out,,\n"
    )
    ot(cli, "import", "punches", str(punches))
    approved = ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    assert "missing_in" in approved.stderr
    assert "blocked" in approved.stdout
    cards = ot(cli, "approve", "timecards", "--period", "2026-10-12")
    assert "approved W2 2026-10-11 to 2026-10-24: 2 shifts" in cards.stdout
    assert "blocked: timecard W1" in cards.stderr
    assert "ot punch add --worker W1 --kind in" in cards.stderr
    assert "--all-or-nothing" not in cards.stderr
    refused = ot(cli, "approve", "timecards", "--period", "2026-10-12", "--all-or-nothing", code=2)
    assert "fix these first (--all-or-nothing)" in refused.stderr
    out = ot(cli, "payrun", "--period", "2026-10-12", "--partial").stdout
    assert "W2     Tex Worker" in out
    assert "left out: timecard W1" in out
    ot(
        cli,
        "punch",
        "add",
        "--worker",
        "W1",
        "--kind",
        "in",
        "--at",
        "2026-10-13T08:00",
        "--reason",
        "forgot",
        user="M1",
    )
    shifts = json.loads(ot(cli, "shifts", "--worker", "W1", "--week", "2026-10-13", "--json").stdout)
    [shift] = shifts["shifts"]
    assert shift["exceptions"] == []
    assert len(shift["breaks"]) == 1  # the lunch stays as punched
    assert shift["hours"] == "8.00"


def test_a_paid_stub_is_the_issued_one(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """The stub of a paid period shows what was paid ($800.00), not today's recomputed gross; the
    correction made since is listed after it."""
    sids = _paid_first_period(cli, tmp_path)
    ot(cli, "shift", "edit", sids[0], "--end", "18:00", "--correction-authorized", "--reason", "stayed late")
    text = " ".join(ot(cli, "stub", "W2", "--period", "2026-10-12").stdout.split())
    assert "GROSS PAY $800.00" in text
    assert "Corrections made since this stub was issued" in text
    [paid] = events(ledger_path, "payrun.worker_paid")
    assert paid.payload["stub"]["gross"] == "800.00"
    assert paid.payload["ledger_seq"] < paid.seq


def test_paid_shifts_sync_as_first_sends(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Shifts paid before they were ever sent go to the csv target as first sends, not as corrections."""
    _paid_first_period(cli, tmp_path)
    (ledger_path.parent / "ledger.sync.toml").write_text(
        f'[targets.files]\nkind = "csv"\nfolder = "{tmp_path / "feeds"}"\n'
    )
    out = ot(cli, "sync").stdout
    assert out.count("Sent") == 5
    assert "correction" not in out


def test_rules_adopted_into_a_paid_period_list_their_corrections(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """A weekly threshold of 32 hours adopted from 2026-10-11 would reprice the paid week: refused with
    the correction it would make; with the flag and a reason, recorded."""
    _paid_first_period(cli, tmp_path)
    text = (Path(__file__).resolve().parents[2] / "rules.example.ot").read_text()
    rules = tmp_path / "r.ot"
    rules.write_text(text.replace("weekly over 40h is OT x1.5", "weekly over 32h is OT x1.5"))
    before = snapshot_of(ledger_path)
    refused = ot(cli, "rules", "adopt", str(rules), "--from", "2026-10-11", code=2)
    assert "W2 week of 2026-10-11: underpayment 80.00" in refused.stderr
    assert "--correction-authorized" in refused.stderr
    assert snapshot_of(ledger_path) == before
    out = ot(
        cli, "rules", "adopt", str(rules), "--from", "2026-10-11", "--correction-authorized", "--reason", "new policy"
    )
    assert "underpayment 80.00, added to the next pay run" in out.stdout
    ot(cli, "rules", "adopt", str(rules), "--from", "2026-10-25")  # after the paid dates: nothing to correct


def test_a_punch_on_a_paid_date_is_a_correction(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """A PIN punch at a paid date is refused; an admin adds it as a correction."""
    _paid_first_period(cli, tmp_path)
    refused = ot(
        cli, "punch", "add", "--worker", "W2", "--kind", "in", "--at", "2026-10-17T08:00", "--reason", "x", code=2
    )
    assert "this date is paid" in refused.stderr
    by_manager = ot(
        cli, "punch", "add", "--worker", "W2", "--kind", "in", "--at", "2026-10-17T08:00", "--reason", "x",
        "--correction-authorized", user="M2", code=2,
    )  # fmt: skip
    assert "only an admin" in by_manager.stderr
    ot(cli, "punch", "add", "--worker", "W2", "--kind", "in", "--at", "2026-10-17T08:00", "--reason", "worked",
       "--correction-authorized")  # fmt: skip
    out = ot(cli, "punch", "add", "--worker", "W2", "--kind", "out", "--at", "2026-10-17T12:00", "--reason", "worked",
             "--correction-authorized").stdout  # fmt: skip
    assert "underpayment" in out
    punches = tmp_path / "late.csv"
    punches.write_text(
        "worker_id,time,kind,location_id,break_type\nW2,2026-10-18T08:00,in,,\nW2,2026-10-18T12:00,out,,\n"
    )
    before = snapshot_of(ledger_path)
    refused = ot(cli, "import", "punches", str(punches), code=2)
    assert "importing late.csv would change what paid dates were paid" in refused.stderr
    assert "W2 week of 2026-10-18: underpayment 80.00" in refused.stderr
    assert snapshot_of(ledger_path) == before
    out = ot(cli, "import", "punches", str(punches), "--correction-authorized", "--reason", "found the paper timecard")
    assert "correction C" in out.stdout


def test_the_shift_form_fixes_a_missing_punch_by_adding_it(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """E on a shift that lacks its in-punch opens the form; saving adds the in-punch at the start typed,
    so the shift pairs with its lunch as punched (no manual entry, no stray break rows)."""
    from datetime import UTC, datetime

    from ot.services.shift_form import save_form, start_edit

    company(cli, tmp_path)
    punches = tmp_path / "p.csv"
    punches.write_text(
        "worker_id,time,kind,location_id,break_type\n"
        "W1,2026-10-13T12:00,break_start,,\nW1,2026-10-13T12:30,break_end,,\nW1,2026-10-13T16:30,out,,\n"
    )
    ot(cli, "import", "punches", str(punches))
    shifts = json.loads(ot(cli, "shifts", "--worker", "W1", "--week", "2026-10-13", "--json").stdout)["shifts"]
    orphan = next(s for s in shifts if "missing_in" in s["exceptions"])
    start = start_edit(ledger_path, orphan["shift_id"])
    assert start.missing == "in"
    from dataclasses import replace

    result = save_form(
        ledger_path, start, replace(start.form, start="08:00"), actor="M1", now=datetime(2026, 10, 20, tzinfo=UTC)
    )
    assert result.action == "punch added"
    [shift] = json.loads(ot(cli, "shifts", "--worker", "W1", "--week", "2026-10-13", "--json").stdout)["shifts"]
    assert shift["exceptions"] == []
    assert len(shift["breaks"]) == 1
    assert shift["hours"] == "8.00"
    assert events(ledger_path, "shift.") == []  # no manual entry


def test_a_workweek_across_two_paid_periods_is_adjusted_when_its_regular_rate_changes(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """Semi-monthly periods cut the workweek of Sunday 2026-11-15. W1 (California) works Sunday 11-15,
    12 hours at $20 (4 of them daily overtime, Labor Code 510(a)), paid with 11-01..11-15. Then Monday
    11-16, 12 hours at $31: the week is priced whole (29 CFR 778.104), so its regular rate is the
    weighted average (29 CFR 778.115) (12 x $20 + 12 x $31) / 24 = $25.50, and the paid Sunday owed more
    overtime premium: 4 h x 0.5 x ($25.50 - $20) = $11.00, and its meal premium is one hour at the
    regular rate (Labor Code 226.7; Ferra v. Loews Hollywood Hotel, 11 Cal.5th 858 (2021)), $25.50
    instead of $20.00: $5.50. The next pay run records the difference, $16.50, as an underpayment of
    the workweek and pays it; nothing is paid twice and the week's payments add up to its price."""
    company(cli, tmp_path)
    ot(cli, "period", "configure", "--frequency", "semimonthly", "--anchor", "2026-11-01")
    add(cli, "W1", "--start", "2026-11-15T08:00", "--end", "20:00")
    first = approve_and_pay(cli, "2026-11-15").stdout
    assert "W1     Wes Worker                 12.00 h  gross     300.00" in first  # 160 + 4 x 30 + 20 (meal)
    add(cli, "W1", "--start", "2026-11-16T08:00", "--end", "20:00", "--rate", "31.00")
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-11-16")
    ot(cli, "approve", "timecards", "--period", "2026-11-16")
    preview = json.loads(ot(cli, "payrun", "--period", "2026-11-16", "--dry-run", "--json").stdout)
    [w1] = preview["workers"]
    assert (w1["additions"], w1["deductions"]) == ("16.50", "0.00")
    out = ot(cli, "payrun", "--period", "2026-11-16").stdout
    assert "underpayment" in out
    [adj] = events(ledger_path, "correction.recorded")
    p = adj.payload
    assert (p["action"], p["kind"], p["week_start"], p["amount"]) == ("workweek", "underpayment", "2026-11-15", "16.50")
    assert (p["paid_gross"], p["corrected_gross"]) == ("300.00", "316.50")
    [day] = p["dates"]
    assert [(c["class"], c["minutes"], c["amount"]) for c in day["corrected"]] == [
        ("REG", "480", "160.00"),
        ("OT", "240", "120.00"),
        ("RR_ADJ", "240", "11.00"),
        ("PREMIUM", "60", "25.50"),
    ]
    # Every corrected line multiplies out: minutes / 60 x rate x multiplier = amount.
    for ln in p["corrected_lines"]:
        product = Decimal(ln["minutes"]) / 60 * Decimal(ln["rate"]) * Decimal(ln["multiplier"])
        assert product.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(ln["amount"]), ln
    # What the two runs paid for the week, with the adjustment, is the week's price now.
    paid = [e.payload for e in events(ledger_path, "payrun.worker_paid")]
    week_paid = sum(
        Decimal(ln["amount"])
        for w in paid
        for wk in w["weeks"]
        if wk["week_start"] == "2026-11-15"
        for ln in wk["lines"]
    )
    explained = json.loads(ot(cli, "explain", "W1", "--week", "2026-11-15", "--json").stdout)
    assert week_paid + Decimal(p["amount"]) == Decimal(explained["gross_pay"]) == Decimal("765.00")
    assert ot(cli, "ledger", "verify", "--full").stdout.startswith("ledger verified:")


def test_an_earning_dated_before_the_first_paid_date_is_paid_by_the_next_run(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """A $300.00 bonus dated 2026-10-05, before W2's first paid date (10-11), recorded after that period
    was paid: no paid week changes, so it needs no correction, and the next run pays it with the
    unpaid dates before the paid ones (it was stranded: no timecard ever held it)."""
    _paid_first_period(cli, tmp_path)
    ot(cli, "earning", "add", "W2", "--date", "2026-10-05", "--kind", "bonus", "--amount", "300.00")
    week_of_8h(cli, "W2", ["2026-10-26"])
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-26")
    ot(cli, "approve", "timecards", "--period", "2026-10-26")
    dry = json.loads(ot(cli, "payrun", "--period", "2026-10-26", "--dry-run", "--json").stdout)
    [w2] = dry["workers"]
    assert w2["gross"] == "460.00"  # the bonus, and 8 h x $20 on 10-26 (29 U.S.C. 207(e): no overtime)
    ot(cli, "payrun", "--period", "2026-10-26")
    ranges = [e.payload["ranges"] for e in events(ledger_path, "payrun.worker_paid")]
    assert ranges == [[["2026-10-11", "2026-10-24"]], [["2026-10-05", "2026-10-10"], ["2026-10-25", "2026-11-07"]]]
    assert "nothing to pay" in ot(cli, "payrun", "--period", "2026-09-27", "--dry-run", code=2).stderr
