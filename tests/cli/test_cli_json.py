"""``--json`` on the reporting commands (issue 14): stable JSON (sorted keys, amounts as decimal text, ISO
dates) whose values are those of the ledger."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests_support import ledger_dump

from ot.cli import main
from ot.cli.output import dumps, jsonable
from ot.services.approvals import period_status

ROOT = Path(__file__).resolve().parents[2]

W1_MONDAY = "2026-11-02"  # small_ledger: W1 (CA, $20) worked 07:00-17:30 with a 30-minute meal = 10 hours


def run_json(cli: CliRunner, *args: str, code: int = 0) -> Any:
    """Run ``ot ARGS --json``; the output must be the stable form of what it parses to."""
    result = cli.invoke(main, [*args, "--json"])
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    data = json.loads(result.stdout)
    assert result.stdout == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return data


def events(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [str(k) for (k,) in con.execute("SELECT kind FROM events ORDER BY seq")]
    finally:
        con.close()


def test_period_show(small_ledger: Path, cli: CliRunner) -> None:
    data = run_json(cli, "period", "show", "--date", W1_MONDAY, "--count", "2")
    assert data["day"] == W1_MONDAY
    assert data["configured"] is False
    assert "ot period configure" in data["hint"]
    assert data["config"] == {"anchor": "2026-10-11", "effective": None, "frequency": "biweekly", "pay_date_offset": 5}
    assert [(p["start"], p["end"], p["pay_date"], p["days"], p["contains_day"]) for p in data["periods"]] == [
        ("2026-10-25", "2026-11-07", "2026-11-12", 14, True),
        ("2026-11-08", "2026-11-21", "2026-11-26", 14, False),
    ]
    configured = cli.invoke(main, ["period", "configure", "--frequency", "weekly", "--anchor", "2026-11-01", "--json"])
    assert configured.exit_code == 0, configured.stderr
    assert json.loads(configured.stdout)["first_period"]["start"] == "2026-11-01"
    again = run_json(cli, "period", "show", "--date", W1_MONDAY, "--count", "1")
    assert again["configured"] is True
    assert again["hint"] is None
    assert again["periods"][0]["start"] == "2026-11-01"
    assert again["periods"][0]["end"] == "2026-11-07"


@pytest.mark.parametrize("dry_run", [True, False])
def test_import_reports_what_the_ledger_gets(small_ledger: Path, cli: CliRunner, tmp_path: Path, dry_run: bool) -> None:
    f = tmp_path / "more.csv"
    f.write_text(
        "worker_id,time,kind,location_id,break_type\n"
        "T1,2026-11-03T08:00,in,,\nT1,2026-11-03T16:00,out,,\n"
        "W1,2026-11-02T07:00,in,,\n"  # already in the ledger
    )
    before = events(small_ledger)
    data = run_json(cli, "import", "punches", str(f), *(["--dry-run"] if dry_run else []))
    after = events(small_ledger)
    assert data["dry_run"] is dry_run
    assert (data["layout"], data["file"], data["rows"], data["already"]) == ("punches", str(f), 3, 1)
    assert data["added"] == {"punch.recorded": 2}
    assert data["total_added"] == 2
    assert len(after) - len(before) == (0 if dry_run else 2)
    assert after[len(before) :].count("punch.recorded") == (0 if dry_run else 2)


def test_import_of_a_bad_file_prints_no_json(small_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("location_id,name,state,timezone\nNY,New York,NY,Mars/Olympus\n")
    result = cli.invoke(main, ["import", "locations", str(f), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]  # the error is JSON too, on standard error
    assert error["problems"][0]["where"] == f"{f}:2:4"
    assert error["text"].startswith(f"{f}:2:4: ")


def test_ledger_verify(small_ledger: Path, cli: CliRunner) -> None:
    data = run_json(cli, "ledger", "verify")
    con = sqlite3.connect(small_ledger)
    (count,) = con.execute("SELECT count(*) FROM events").fetchone()
    (head,) = con.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
    con.close()
    assert data == {
        "events": count,
        "first_bad_seq": None,
        "head": head,
        "ok": True,
        "problems": [],
        "from_seq": 0,
        "notes": ["verified everything, from the first event"],
    }
    again = run_json(cli, "ledger", "verify")  # from the checkpoint the first one kept: nothing new to read
    assert (again["ok"], again["from_seq"], again["events"], again["head"]) == (True, count, 0, head)
    assert again["notes"][0].startswith(f"verified from checkpoint at seq {count} (")


def test_ledger_verify_of_a_bad_ledger_exits_1_with_json(small_ledger: Path, cli: CliRunner) -> None:
    con = sqlite3.connect(small_ledger)
    con.execute("UPDATE workers SET name = 'Someone Else' WHERE worker_id = 'W1'")  # a derived table, not an event
    con.commit()
    con.close()
    data = run_json(cli, "ledger", "verify", code=1)
    assert data["ok"] is False
    assert any("workers" in p for p in data["problems"]), data["problems"]
    text = cli.invoke(main, ["ledger", "verify"])
    assert text.exit_code == 1
    assert [line for line in text.stdout.splitlines() if line in data["problems"]] == data["problems"]


def test_approve_status_and_payrun_agree_with_the_ledger(small_ledger: Path, cli: CliRunner) -> None:
    status = run_json(cli, "approve", "status", "--period", W1_MONDAY)
    _period, rows = period_status(small_ledger, date(2026, 11, 2))
    (w1,) = [r for r in rows if r.worker_id == "W1"]
    (row,) = [t for t in status["timecards"] if t["worker_id"] == "W1"]
    # 8 h x $20 + 2 h daily overtime x $30 (California) = $220.00, as text, never a float
    assert row["gross"] == str(w1.gross) == "220.00"
    assert (row["shifts"], row["approved"], row["timecard"], row["pay_from"]) == (1, 0, "open", "2026-10-25")
    assert status["period"] == {"start": "2026-10-25", "end": "2026-11-07", "pay_date": "2026-11-12"}

    approved = run_json(cli, "approve", "shifts", "--worker", "W1", "--week", W1_MONDAY)
    assert len(approved["done"]) == 1
    assert approved["done"][0].startswith("S")
    assert approved["blocked"] == []
    assert events(small_ledger)[-1] == "approval.shift_approved"
    cards = run_json(cli, "approve", "timecards", "--period", W1_MONDAY, "--worker", "W1")
    assert len(cards["done"]) == 1
    assert cards["blocked"] == []

    before = ledger_dump(small_ledger)
    preview = run_json(cli, "payrun", "--period", W1_MONDAY, "--dry-run")
    assert ledger_dump(small_ledger) == before
    assert preview["dry_run"] is True
    (paid,) = preview["workers"]
    assert (paid["worker_id"], paid["gross"], Decimal(paid["hours"])) == ("W1", "220.00", Decimal(10))
    assert Decimal(preview["net"]) == Decimal("220.00")

    run = run_json(cli, "payrun", "--period", W1_MONDAY)
    assert run["dry_run"] is False
    assert run["run_id"]
    after = run_json(cli, "approve", "status", "--period", W1_MONDAY)
    (row,) = [t for t in after["timecards"] if t["worker_id"] == "W1"]
    assert row["run_id"] == run["run_id"]
    assert row["gross"] == "220.00"


def test_shift_and_punch_reports(small_ledger: Path, cli: CliRunner) -> None:
    added = run_json(cli, "shift", "add", "--worker", "T1", "--date", "2026-11-04", "--hours", "7.5")
    assert added["action"] == "added"
    assert added["correction"] is False
    assert added["shift_id"]
    assert events(small_ledger)[-1].startswith("shift")
    before = ledger_dump(small_ledger)
    punch = run_json(
        cli,
        "punch",
        "add",
        "--worker",
        "T1",
        "--kind",
        "in",
        "--at",
        "2026-11-05T09:00",
        "--reason",
        "forgot",
        "--dry-run",
    )
    assert ledger_dump(small_ledger) == before
    assert punch["dry_run"] is True
    assert punch["punch"]["worker_id"] == "T1"
    assert punch["punch"]["timezone"] == "America/Chicago"
    assert punch["punch"]["at"] == "2026-11-05T15:00:00Z"  # 09:00 in Houston (CST) as a UTC instant
    deleted = run_json(cli, "shift", "delete", added["shift_id"], "--reason", "entered twice")
    assert deleted["action"] == "deleted"
    assert deleted["shift_id"] == added["shift_id"]


def test_employer_rules_users_and_rebuild(
    small_ledger: Path, cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OT_KEYS", str(tmp_path / "keys"))  # this test's own key folder
    assert run_json(cli, "employer", "show")["configured"] is False
    assert run_json(cli, "employer", "set", "--name", "Acme", "--address", "1 Main St")["added"] is True
    assert run_json(cli, "employer", "show") == {
        "name": "Acme",
        "address": ["1 Main St"],
        "configured": True,
        "hint": None,
    }
    (adopted,) = run_json(cli, "rules", "history")
    shipped = hashlib.sha256((ROOT / "rules.example.ot").read_bytes()).hexdigest()
    assert adopted == {"effective": None, "file": "rules.example.ot", "seq": adopted["seq"], "sha256": shipped}
    assert events(small_ledger)[adopted["seq"] - 1] == "rules.adopted"
    assert run_json(cli, "user", "list") == []
    made = run_json(cli, "user", "init", "A1")
    assert made["key_file"].startswith(str(tmp_path / "keys"))
    enrolled = run_json(cli, "--as", "A1", "user", "enrol", "A1", "--public-key", made["public_key"], "--bootstrap")
    assert enrolled == {"added": True, "key_id": made["key_id"], "kind": "person", "user_id": "A1"}
    (row,) = run_json(cli, "user", "list")
    assert (row["user_id"], row["key_id"], row["enrolled"], row["held"], row["role"]) == (
        "A1",
        made["key_id"],
        True,
        True,
        "admin",
    )
    rebuilt = run_json(cli, "ledger", "rebuild")
    assert rebuilt == {"events": len(events(small_ledger))}


def test_demo_json(demo_ledger: Path, cli: CliRunner) -> None:
    """The demo on a ledger that holds it already: every file read, nothing added."""
    before = ledger_dump(demo_ledger)
    data = run_json(cli, "demo")
    assert ledger_dump(demo_ledger) == before
    assert [r["layout"] for r in data["imports"]][:2] == ["locations", "workers"]
    assert all(r["total_added"] == 0 and r["rows"] > 0 for r in data["imports"])


def test_jsonable_is_exact_and_refuses_floats() -> None:
    from datetime import UTC, datetime

    assert jsonable({"b": Decimal("1.10"), "a": date(2026, 11, 2), "t": datetime(2026, 11, 2, 8, tzinfo=UTC)}) == {
        "b": "1.10",
        "a": "2026-11-02",
        "t": "2026-11-02T08:00:00Z",
    }
    assert (
        dumps({"b": 1, "a": [frozenset({"y", "x"})]})
        == '{\n  "a": [\n    [\n      "x",\n      "y"\n    ]\n  ],\n  "b": 1\n}'
    )
    with pytest.raises(TypeError):
        jsonable({"gross": 1.1})


def test_rules_check_and_fmt(cli: CliRunner, tmp_path: Path) -> None:
    shipped = ROOT / "rules.example.ot"
    data = run_json(cli, "rules", "check", str(shipped))
    assert data["ok"] is True
    assert data["file"] == str(shipped)
    assert data["jurisdictions"] > 1
    assert data["rule_sets"] >= data["jurisdictions"]
    messy = tmp_path / "messy.ot"
    messy.write_text(shipped.read_text().replace("version 1\n", "version 1\n\n\n", 1))
    assert run_json(cli, "rules", "fmt", "--check", str(messy), code=1) == {
        "changed": True,
        "file": str(messy),
        "written": False,
    }
    assert run_json(cli, "rules", "fmt", str(messy))["written"] is True
    assert messy.read_text() == shipped.read_text()
    assert run_json(cli, "rules", "fmt", "--check", str(messy))["changed"] is False


def test_period_show_says_the_approve_by_date(small_ledger: Path, cli: CliRunner) -> None:
    """The approve-by date of the period holding 2026-11-02 (2026-10-25..11-07): the Monday after,
    11-09, moved one business day earlier by Veterans Day (Wed 11-11, 5 U.S.C. 6103) to Fri 11-06."""
    data = run_json(cli, "period", "show", "--date", W1_MONDAY, "--count", "1")
    assert data["approve_by"]["usual"] == "2026-11-09"
    assert data["approve_by"]["day"] == "2026-11-06"
    assert data["approve_by"]["holidays"] == [{"day": "2026-11-11", "name": "Veterans Day"}]
    text = cli.invoke(main, ["period", "show", "--date", W1_MONDAY, "--count", "1"]).stdout
    assert data["approve_by"]["text"] in text


def test_schedule_pto_and_holiday_fills(small_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("worker_id,weekday,hours,effective_from\nW1,wednesday,8,2026-10-01\n")
    before = events(small_ledger)
    dry = run_json(cli, "import", "schedules", str(tmp_path / "s.csv"), "--dry-run")
    assert dry["dry_run"] is True
    assert events(small_ledger) == before
    done = run_json(cli, "import", "schedules", str(tmp_path / "s.csv"))
    assert done["dry_run"] is False
    assert events(small_ledger)[len(before) :] == ["schedule.set"]
    shown = run_json(cli, "schedule", "show", "--worker", "W1")
    assert [(r["weekday"], r["hours"]) for r in shown["rows"]] == [(2, "8")]
    holidays = run_json(cli, "holidays", "fill", "--period", "2026-11-11", "--dry-run")
    assert [(a["worker_id"], a["day"], a["pay_type"], a["hours"]) for a in holidays["added"]] == [
        ("W1", "2026-11-11", "HOLIDAY", "8")
    ]
    assert holidays["hours"] == "8"
    pto = run_json(cli, "pto", "fill", "--worker", "W1", "--from", "2026-11-16", "--to", "2026-11-20", "--dry-run")
    assert [(a["day"], a["pay_type"], a["hours"]) for a in pto["added"]] == [("2026-11-18", "PTO", "8")]
    assert events(small_ledger)[len(before) :] == ["schedule.set"]


def test_export_formats_and_a_sync_plan(small_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    names = [f["name"] for f in run_json(cli, "export", "formats")]
    assert sorted(names) == ["adp-wfn", "generic", "gusto", "paychex-flex"]
    small_ledger.with_name(small_ledger.stem + ".sync.toml").write_text(
        '[targets.files]\nkind = "csv"\nfolder = "feeds"\n'
    )
    cli.invoke(main, ["approve", "shifts", "--all-visible", "--period", W1_MONDAY])
    plan = run_json(cli, "sync", "--dry-run")
    assert plan["dry_run"] is True
    assert [(ln["target"], ln["worker_id"], ln["action"], ln["result"]) for ln in plan["lines"]] == [
        ("files", "W1", "create", "planned")
    ]
    assert plan["counts"]["planned"] == 1
    sent = run_json(cli, "sync")
    assert sent["counts"]["sent"] == 1
