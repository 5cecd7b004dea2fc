"""Pay runs, paid-date locks and corrections, end to end through the CLI.

The worker W2 works in Dallas (TX): only the federal rules apply (FLSA,
29 U.S.C. 207(a)(1): over 40 hours in the workweek at 1.5x), at $20/h.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from approvals_helpers import add, approve_and_pay, company, events, ot, snapshot_of, week_of_8h
from click.testing import CliRunner

from ot.core.errors import OtError
from ot.services.payrun import run_payroll

MON_FRI = ["2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15", "2026-10-16"]


def _paid_week(cli: CliRunner, tmp_path: Path, days: list[str] = MON_FRI) -> list[str]:
    company(cli, tmp_path)
    sids = week_of_8h(cli, "W2", days)
    approve_and_pay(cli, "2026-10-12")
    return sids


def _next_period(cli: CliRunner) -> str:
    """W2 works Monday 2026-10-26 08:00-16:00 (8 h, $160); the second period is approved and paid."""
    week_of_8h(cli, "W2", ["2026-10-26"])
    return approve_and_pay(cli, "2026-10-26").stdout


def test_approve_and_pay_a_period(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Five 8-hour days in Texas: 40 hours, all regular (29 U.S.C. 207(a)(1): overtime only over 40)."""
    company(cli, tmp_path)
    week_of_8h(cli, "W2", MON_FRI)
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12", user="M2")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    before = snapshot_of(ledger_path)
    preview = ot(cli, "payrun", "--period", "2026-10-12", "--dry-run").stdout
    assert preview.startswith("DRY RUN (nothing written): pay run R2026-10-11, period 2026-10-11 to 2026-10-24")
    assert snapshot_of(ledger_path) == before
    assert "only an admin" in ot(cli, "payrun", "--period", "2026-10-12", user="M2", code=2).stderr
    out = ot(cli, "payrun", "--period", "2026-10-12").stdout
    assert out.splitlines() == [
        "pay run R2026-10-11, period 2026-10-11 to 2026-10-24, pay date 2026-10-29",
        "  W2     Tex Worker                 40.00 h  gross     800.00",
        "1 workers, total paid out 800.00",
    ]
    [run] = events(ledger_path, "payrun.recorded")
    assert run.payload["workers"] == ["W2"]
    assert run.actor == "A1"
    [paid] = events(ledger_path, "payrun.worker_paid")
    p = paid.payload
    assert (p["gross"], p["net"], p["additions"], p["deductions"]) == ("800.00", "800.00", "0.00", "0.00")
    assert p["ranges"] == [["2026-10-11", "2026-10-24"]]
    [week] = p["weeks"]
    assert week["rules_file"] == "rules.example.ot"
    assert len(week["rules_sha256"]) == 64
    assert [(ln["date"], ln["class"], ln["minutes"], ln["rate"], ln["amount"]) for ln in week["lines"]] == [
        (d, "REG", "480", "20.00", "160.00") for d in MON_FRI
    ]
    # Never twice for the same period.
    again = ot(cli, "payrun", "--period", "2026-10-20", code=2)
    assert "2026-10-11 to 2026-10-24 is already paid" in again.stderr
    assert len(events(ledger_path, "payrun.")) == 2


def test_missing_timecards_refuse_the_run_unless_partial(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    week_of_8h(cli, "W1", MON_FRI[:1])
    week_of_8h(cli, "W2", MON_FRI[:1])
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12", "--worker", "W2")
    before = snapshot_of(ledger_path)
    refused = ot(cli, "payrun", "--period", "2026-10-12", code=2)
    assert "timecard W1 2026-10-11 to 2026-10-24: not approved (step 2)" in refused.stderr
    assert "give --partial" in refused.stderr
    assert snapshot_of(ledger_path) == before
    out = ot(cli, "payrun", "--period", "2026-10-12", "--partial").stdout
    assert "  W2     Tex Worker                  8.00 h  gross     160.00" in out
    assert "left out: timecard W1" in out
    ot(cli, "approve", "timecards", "--period", "2026-10-12", "--worker", "W1")
    out = ot(cli, "payrun", "--period", "2026-10-12").stdout
    assert out.startswith("pay run R2026-10-11-2,")
    assert "W1     Wes Worker" in out
    assert "paid earlier: W2" in out
    assert "already paid" in ot(cli, "payrun", "--period", "2026-10-12", code=2).stderr
    assert sorted(e.payload["worker_id"] for e in events(ledger_path, "payrun.worker_paid")) == ["W1", "W2"]


def test_a_timecard_changed_after_approval_is_not_paid(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    week_of_8h(cli, "W2", MON_FRI[:1])
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    add(cli, "W2", "--date", "2026-10-13", "--hours", "4", "--pay-type", "SICK", user="M2")  # voids the timecard
    assert "not approved (step 2)" in ot(cli, "payrun", "--period", "2026-10-12", code=2).stderr


def test_a_paid_shift_cannot_be_deleted_or_changed_without_the_flag(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    sids = _paid_week(cli, tmp_path)
    before = snapshot_of(ledger_path)
    deleted = ot(cli, "shift", "delete", sids[1], "--reason", "not worked", code=2)
    assert "2026-10-13 is paid: a shift on a paid date cannot be deleted" in deleted.stderr
    edited = ot(cli, "shift", "edit", sids[1], "--end", "2026-10-13T18:00", code=2)
    assert "W2 2026-10-13: this date is paid" in edited.stderr
    assert "--correction-authorized --reason TEXT" in edited.stderr
    added = ot(cli, "shift", "add", "--worker", "W2", "--date", "2026-10-17", "--hours", "4", code=2)
    assert "W2 2026-10-17: this date is paid" in added.stderr
    no_reason = ot(cli, "shift", "edit", sids[1], "--end", "2026-10-13T18:00", "--correction-authorized", code=2)
    assert "a correction needs a reason" in no_reason.stderr
    manager = ot(
        cli,
        "shift",
        "edit",
        sids[1],
        "--end",
        "2026-10-13T18:00",
        "--correction-authorized",
        "--reason",
        "late",
        user="M2",
        code=2,
    )
    assert "only an admin (payroll) corrects paid dates" in manager.stderr
    assert snapshot_of(ledger_path) == before


def test_a_correction_on_tuesday_moves_friday_into_overtime(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Tuesday 8 -> 10 hours makes the week 42 hours: the hours over 40, Friday's last two,
    become overtime (29 U.S.C. 207(a)(1); each workweek stands alone, 29 CFR 778.104).
    Paid 5 x 8 h x $20 = $800; owed 42 h: 40 x $20 + 2 x $30 = $860; underpayment $60."""
    sids = _paid_week(cli, tmp_path)
    out = ot(
        cli,
        "shift",
        "edit",
        sids[1],
        "--end",
        "2026-10-13T18:00",
        "--correction-authorized",
        "--reason",
        "missed out-punch",
    ).stdout
    assert out.splitlines()[0] == f"correction: edited shift {sids[1]}: W2 Tue 2026-10-13 08:00-18:00"
    assert out.splitlines()[-1].startswith("underpayment C")
    assert "for W2, week of 2026-10-11: +60.00 (added to the next pay run; recomputed with rules.example.ot)" in out
    [c] = events(ledger_path, "correction.recorded")
    p = c.payload
    assert (p["kind"], p["amount"], p["paid_gross"], p["corrected_gross"]) == (
        "underpayment",
        "60.00",
        "800.00",
        "860.00",
    )
    assert (p["reason"], c.actor, p["timeframe"]) == ("missed out-punch", "A1", "NEXT_PAYROLL_PAYMENT")
    assert [(d["date"], d["original"], d["corrected"]) for d in p["dates"]] == [
        (
            "2026-10-13",
            [{"class": "REG", "minutes": "480", "amount": "160.00"}],
            [{"class": "REG", "minutes": "600", "amount": "200.00"}],
        ),
        (
            "2026-10-16",
            [{"class": "REG", "minutes": "480", "amount": "160.00"}],
            [
                {"class": "REG", "minutes": "360", "amount": "120.00"},
                {"class": "OT", "minutes": "120", "amount": "60.00"},
            ],
        ),
    ]
    # Settled by the next pay run: 8 h x $20 + $60.
    out = _next_period(cli)
    assert f"underpayment {p['correction_id']} (week of 2026-10-11) +60.00  correction" in out
    assert "net       220.00" in out
    paid = events(ledger_path, "payrun.worker_paid")[-1].payload
    assert (paid["gross"], paid["additions"], paid["net"], paid["settled"]) == (
        "160.00",
        "60.00",
        "220.00",
        [{"correction_id": p["correction_id"], "amount": "60.00"}],
    )
    [row] = json.loads(ot(cli, "audit", "corrections", "--json").stdout)
    assert row["settled"] is True
    assert row["settled_by"]["run_id"] == "R2026-10-25"
    [settled] = events(ledger_path, "correction.settled")
    assert settled.payload == {
        "correction_id": p["correction_id"],
        "worker_id": "W2",
        "how": "next_payroll",
        "run_id": "R2026-10-25",
        "period_start": "2026-10-25",
        "amount": "60.00",
    }


def test_hours_removed_are_an_overpayment_deducted_next_run(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Wednesday 8 -> 4 hours: paid $800, owed $720: $80 overpaid, withheld from the next payment."""
    sids = _paid_week(cli, tmp_path)
    out = ot(
        cli,
        "shift",
        "edit",
        sids[2],
        "--end",
        "12:00",
        "--correction-authorized",
        "--reason",
        "left at noon",
        "--correction-timeframe",
        "IMMEDIATELY",  # no effect on an overpayment
    ).stdout
    assert "overpayment C" in out
    assert "-80.00 (deducted from the next pay run" in out
    assert events(ledger_path, "payrun.worker_paid")[-1].payload["kind"] == "regular"  # nothing paid off-cycle
    out = _next_period(cli)
    assert "overpayment" in out
    assert "-80.00  deduction" in out
    assert "net        80.00" in out
    paid = events(ledger_path, "payrun.worker_paid")[-1].payload
    assert (paid["gross"], paid["deductions"], paid["net"]) == ("160.00", "80.00", "80.00")


def test_a_deduction_larger_than_the_next_pay_waits(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    sids = _paid_week(cli, tmp_path)
    for sid in sids[:2]:
        ot(cli, "shift", "edit", sid, "--end", "09:00", "--correction-authorized", "--reason", "half day")
    out = _next_period(cli)  # $160 gross: the first $140 deduction fits; $20 of the second, $120 carried forward
    assert "-140.00  deduction" in out
    assert "-20.00  deduction" in out
    assert "120.00 carried forward to a later pay" in out
    assert "net         0.00" in out
    rows = json.loads(ot(cli, "audit", "corrections", "--json").stdout)
    assert [r["settled"] for r in rows] == [True, False]
    assert [r["balance"] for r in rows] == ["0.00", "120.00"]
    assert "OPEN: 120.00 still owed" in ot(cli, "audit", "corrections").stdout


def test_an_added_shift_on_a_paid_date_paid_immediately(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """IMMEDIATELY: an off-cycle payment of the underpaid amount, recorded at once (its own payment)."""
    _paid_week(cli, tmp_path, MON_FRI[:4])
    out = ot(
        cli,
        "shift",
        "add",
        "--worker",
        "W2",
        "--date",
        "2026-10-16",
        "--hours",
        "8",
        "--correction-authorized",
        "--reason",
        "Friday was worked",
        "--correction-timeframe",
        "IMMEDIATELY",
    ).stdout
    assert "+160.00 (paid off-cycle now (off-cycle-C" in out
    off = events(ledger_path, "payrun.worker_paid")[-1].payload
    assert (off["kind"], off["net"], off["additions"], off["gross"]) == ("off_cycle", "160.00", "160.00", "0.00")
    [row] = json.loads(ot(cli, "audit", "corrections", "--json").stdout)
    assert (row["how"], row["settled"], row["settled_by"]["how"]) == ("off-cycle payment", True, "off_cycle")
    out = _next_period(cli)
    assert "correction" not in out
    assert "gross     160.00" in out


def test_an_underpayment_paid_externally_is_not_paid_out(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    _paid_week(cli, tmp_path, MON_FRI[:4])
    ot(
        cli,
        "shift",
        "add",
        "--worker",
        "W2",
        "--date",
        "2026-10-16",
        "--hours",
        "8",
        "--correction-authorized",
        "--reason",
        "paid by check",
        "--correction-timeframe",
        "externally_paid",
    )
    [row] = json.loads(ot(cli, "audit", "corrections", "--json").stdout)
    assert (row["kind"], row["amount"], row["how"], row["settled"]) == (
        "underpayment",
        "160.00",
        "paid externally (in gross, not paid out)",
        True,
    )
    assert row["settled_by"]["how"] == "externally_paid"
    assert row["settled_by"]["run_id"] is None
    out = _next_period(cli)
    assert "correction" not in out


def test_a_correction_after_the_rules_changed_uses_the_old_rules(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """A past workweek is recomputed with the rules in force on its first day. Paid Mon-Thu,
    32 h = $640; a Friday of 8 h added: 40 h, all regular under the old file (29 U.S.C.
    207(a)(1)): +$160. Under the new file (weekly over 30 h) it would be +$260; the new
    file applies from the week of 2026-10-25 on: 40 h there = 30 x $20 + 10 x $30 = $900."""
    _paid_week(cli, tmp_path, MON_FRI[:4])
    text = (Path(__file__).resolve().parents[2] / "rules.example.ot").read_text()
    new = tmp_path / "rules-2026-10.ot"
    federal_weekly = (
        'weekly over 40h is OT x1.5 when employer industry is not "agriculture"  # 29 U.S.C. 207(a)(1); 213(b)(12)'
    )
    assert federal_weekly in text
    new.write_text(text.replace(federal_weekly, "weekly over 30h is OT x1.5"))
    ot(cli, "rules", "adopt", str(new), "--from", "2026-10-25")
    out = ot(
        cli,
        "shift",
        "add",
        "--worker",
        "W2",
        "--date",
        "2026-10-16",
        "--hours",
        "8",
        "--correction-authorized",
        "--reason",
        "Friday was worked",
    ).stdout
    assert "+160.00 (added to the next pay run; recomputed with rules.example.ot)" in out
    week_of_8h(cli, "W2", ["2026-10-26", "2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30"])
    out = approve_and_pay(cli, "2026-10-26").stdout
    assert "gross     900.00" in out
    assert "net      1060.00" in out
    paid = events(ledger_path, "payrun.worker_paid")[-1].payload
    assert paid["weeks"][0]["rules_file"] == "rules-2026-10.ot"


def test_audit_filters_and_text(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    sids = _paid_week(cli, tmp_path)
    assert ot(cli, "audit", "corrections").stdout == "no over- or underpayments recorded\n"
    ot(cli, "shift", "edit", sids[0], "--end", "12:00", "--correction-authorized", "--reason", "left at noon")
    out = ot(cli, "audit", "corrections", "--worker", "W2").stdout
    lines = out.splitlines()
    assert "W2  overpayment -80.00  week of 2026-10-11  by A1  deduction on the next pay run  [OPEN]" in lines[0]
    assert lines[1] == f"    why: left at noon  (shift {sids[0]} edited; was due 800.00, now 720.00)"
    assert lines[2] == "    2026-10-12: was [REG 8.00h 160.00] now [REG 4.00h 80.00]"
    assert ot(cli, "audit", "corrections", "--worker", "W1").stdout == "no over- or underpayments recorded\n"
    assert json.loads(ot(cli, "audit", "corrections", "--since", "2099-01-01", "--json").stdout) == []
    assert "no worker 'W9'" in ot(cli, "audit", "corrections", "--worker", "W9", code=2).stderr


def test_a_race_of_two_pay_runs_pays_once(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Two connections run payroll for the same period at once: one pays, the other is refused."""
    company(cli, tmp_path)
    week_of_8h(cli, "W2", MON_FRI[:2])
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay(actor: str) -> None:
        barrier.wait()
        try:
            run_payroll(ledger_path, period_day=date(2026, 10, 12), actor=actor, now=datetime(2026, 10, 26, tzinfo=UTC))
            outcomes.append("paid")
        except OtError as exc:
            outcomes.append(exc.message)

    threads = [threading.Thread(target=pay, args=(a,)) for a in ("A1", "A2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["2026-10-11 to 2026-10-24 is already paid", "paid"]
    assert len(events(ledger_path, "payrun.worker_paid")) == 1


def test_a_california_correction_pays_daily_overtime_without_pyramiding(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """W1 in California, $20/h, five 8-hour days paid (each with the one-hour meal premium
    of Lab. Code 226.7: no meal period in a shift over 5 hours). Tuesday becomes 9 hours:
    one hour of daily overtime at 1.5x (Cal. Lab. Code 510(a)) = +$30. The week is now 41
    hours, but daily overtime hours do not count again toward the weekly 40 (no pyramiding,
    29 CFR 778.202(c)), so Friday is unchanged: only Tuesday is corrected."""
    company(cli, tmp_path)
    sids = week_of_8h(cli, "W1", MON_FRI)
    approve_and_pay(cli, "2026-10-12")
    ot(cli, "shift", "edit", sids[1], "--end", "17:00", "--correction-authorized", "--reason", "late out")
    [c] = events(ledger_path, "correction.recorded")
    assert (c.payload["kind"], c.payload["amount"]) == ("underpayment", "30.00")
    assert [d["date"] for d in c.payload["dates"]] == ["2026-10-13"]
    [tuesday] = c.payload["dates"]
    assert {x["class"]: x["minutes"] for x in tuesday["corrected"]} == {"REG": "480", "OT": "60", "PREMIUM": "60"}


def test_a_run_refused_as_paid_names_a_few_workers_and_counts_the_rest(
    demo_paid_ledger: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's 39 paid workers again: one line that counts them and names the first and last (at
    2,000 workers the refusal listed every id, a page of text); --json keeps every id."""
    monkeypatch.setenv("OT_USER", "A1")
    again = ot(cli, "payrun", "--period", "2026-10-20", "--partial", code=2)
    [line] = [ln for ln in again.stderr.splitlines() if "a worker-date is never paid twice" in ln]
    assert "39 workers (M1, M2, M3, M4, M5, ... W32)" in line
    assert len(line) < 200


def test_named_lists_ten_and_counts_more() -> None:
    from ot.services.payrun import _named

    assert _named([f"W{i}" for i in range(1, 11)]) == "W1, W2, W3, W4, W5, W6, W7, W8, W9, W10"
    assert _named([f"W{i}" for i in range(1, 2001)]) == "2,000 workers (W1, W2, W3, W4, W5, ... W2000)"
    assert _named([]) == ""


def test_a_dry_run_s_code_pays_exactly_that_run(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """`--dry-run` prints a code naming who is paid what; `--confirm CODE` records that run, and refuses,
    writing nothing, a run the ledger changed in between (W3's week approved after the dry run)."""
    company(cli, tmp_path)
    week_of_8h(cli, "W2", MON_FRI)
    week_of_8h(cli, "W3", MON_FRI)
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12", "--worker", "W2")
    preview = ot(cli, "payrun", "--period", "2026-10-12", "--dry-run", "--partial").stdout
    last = preview.splitlines()[-1]
    assert last.startswith("confirm with: ot payrun --period 2026-10-11 --partial --confirm ")
    code = last.split("--confirm ")[1].split()[0]
    as_json = json.loads(ot(cli, "payrun", "--period", "2026-10-12", "--dry-run", "--partial", "--json").stdout)
    assert as_json["confirm_code"] == code
    ot(cli, "approve", "timecards", "--period", "2026-10-12", "--worker", "W3")  # another admin, meanwhile
    before = snapshot_of(ledger_path)
    refused = ot(cli, "payrun", "--period", "2026-10-12", "--partial", "--confirm", code, code=2).stderr
    assert f"the pay run is not the one confirmed (--confirm {code})" in refused
    assert "now 2 workers" in refused
    assert "or the code is another run's" in refused
    assert "--dry-run` again" in refused
    assert snapshot_of(ledger_path) == before
    assert events(ledger_path, "payrun.") == []
    again = ot(cli, "payrun", "--period", "2026-10-12", "--dry-run").stdout.splitlines()
    new_code = again[-1].split("--confirm ")[1].split()[0]
    assert new_code != code
    assert new_code not in refused  # the new code is read in a dry run, with what changed
    out = ot(cli, "payrun", "--period", "2026-10-12", "--confirm", new_code).stdout
    assert out.splitlines()[-1] == again[-2]  # the total the dry run showed
    assert again[-2].startswith("2 workers, total paid out ")
    [run] = events(ledger_path, "payrun.recorded")
    assert run.payload["workers"] == ["W2", "W3"]
