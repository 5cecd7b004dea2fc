"""The csv target end to end: the outbox at approval, the feed, re-sends, the report."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sync_helpers import CSV_CONFIG, add, company, day8, events, ot, write_config
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

PERIOD = "2026-10-11_2026-10-24"


class CsvSnapshot(SingleFileSnapshotExtension):
    """A snapshot stored as one ``.csv`` file (the feed exactly as written)."""

    file_extension = "csv"
    _write_mode = WriteMode.TEXT


def _setup(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> list[str]:
    company(cli, tmp_path)
    write_config(ledger_path, CSV_CONFIG)
    sids = [
        day8(cli, "W1", "2026-10-12"),
        day8(cli, "W1", "2026-10-13", "07:00", "17:30"),
        day8(cli, "W2", "2026-10-19"),
    ]
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    return sids


def test_approval_enqueues_in_the_same_transaction(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    sids = _setup(cli, ledger_path, tmp_path)
    queued = events(ledger_path, "sync.enqueued")
    assert sorted(e.payload["shift_id"] for e in queued) == sorted(sids)
    approvals = events(ledger_path, "approval.shift_approved")
    # one transaction: the approvals and the outbox entries share their recorded instant and follow each other
    seqs = sorted(e.seq for e in [*queued, *approvals])
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert {e.payload["target"] for e in queued} == {"files"}
    assert all(e.key == f"sync:enqueued:{e.payload['key']}" for e in queued)


def test_feed_manifest_and_identical_resend(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, snapshot: SnapshotAssertion
) -> None:
    """The feed of a period, its manifest, and a re-send with nothing changed (byte-identical).

    W1 works 8 h on Mon 2026-10-12 and 10.5 h on Tue 2026-10-13 (week ending Sat 2026-10-17: one row,
    18.50 h at the $20 profile rate); W2 8 h on Mon 2026-10-19 in Dallas (week ending 2026-10-24)."""
    sids = _setup(cli, ledger_path, tmp_path)
    plan = ot(cli, "sync", "--dry-run").stdout
    assert plan.count("create") == 3
    assert not (tmp_path / "feeds").exists()
    assert events(ledger_path, "sync.sent") == []
    out = ot(cli, "sync").stdout
    assert out.count("Sent") == 3
    feed = tmp_path / "feeds" / PERIOD / "timecards.csv"
    data = feed.read_bytes()
    assert data.decode() == snapshot(extension_class=CsvSnapshot)
    manifest = json.loads((feed.parent / "manifest.json").read_text())
    import hashlib

    head = manifest.pop("ledger_seq"), manifest.pop("ledger_hash")  # the chain head the feed was made from
    assert head[0] > 0
    assert len(head[1]) == 64
    assert manifest == {
        "file": "timecards.csv",
        "period_end": "2026-10-24",
        "period_start": "2026-10-11",
        "rows": 2,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    # Nothing waits: a second sync sends nothing and the files do not change.
    again = ot(cli, "sync")
    assert "0 sent" in again.stderr
    # A hand re-send of one shift rewrites the period: byte-identical, never a second copy.
    manifest_bytes = (feed.parent / "manifest.json").read_bytes()
    sent_before = len(events(ledger_path, "sync.sent"))
    assert "Sent" in ot(cli, "sync", "send", sids[0]).stdout
    assert len(events(ledger_path, "sync.sent")) == sent_before + 1  # it really was written again
    assert feed.read_bytes() == data
    assert (feed.parent / "manifest.json").read_bytes() == manifest_bytes
    assert sorted(p.name for p in feed.parent.iterdir()) == ["manifest.json", "timecards.csv"]


def test_edit_after_sending_is_an_update_not_a_second_row(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    sids = _setup(cli, ledger_path, tmp_path)
    ot(cli, "sync")
    ot(cli, "shift", "edit", sids[0], "--end", "18:00", "--reason", "stayed late")
    report = json.loads(ot(cli, "sync", "report", "--json", "--all").stdout)
    statuses = {r["shift_id"]: r["status"] for w in report for r in w["shifts"]}
    assert statuses[sids[0]] == "Send"
    ot(cli, "approve", "shifts", "--shift", sids[0])
    plan = ot(cli, "sync", "--dry-run").stdout.splitlines()
    assert len(plan) == 1
    assert plan[0].split()[:3] == ["files", "update", sids[0]]
    ot(cli, "sync")
    text = (tmp_path / "feeds" / PERIOD / "timecards.csv").read_text()
    # W1: 8 h on Monday + 10.5 h Tuesday before; Monday now 10 h: one row for the week, 20.50 h.
    assert "W1,Wes Worker,2026-10-17,REGULAR,L1,20.00,20.50,1230" in text
    assert text.count("W1,") == 1


def test_deleted_shift_leaves_the_feed(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    sids = _setup(cli, ledger_path, tmp_path)
    ot(cli, "sync")
    ot(cli, "shift", "delete", sids[2], "--reason", "entered twice")
    plan = ot(cli, "sync", "--dry-run").stdout
    assert f"delete  {sids[2]}" in plan
    ot(cli, "sync")
    text = (tmp_path / "feeds" / PERIOD / "timecards.csv").read_text()
    assert "W2," not in text
    assert len(events(ledger_path, "sync.deleted")) == 1


def test_leave_hours_of_approved_timecards_are_fed(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Justworks: the second approval adds the PTO and holiday hours put into the timecard."""
    _setup(cli, ledger_path, tmp_path)
    add(cli, "W1", "--date", "2026-10-15", "--hours", "8", "--pay-type", "pto")
    ot(cli, "sync")
    text = (tmp_path / "feeds" / PERIOD / "timecards.csv").read_text()
    assert "PTO" not in text  # not approved yet: PTO is approved with the timecard (step 2)
    ot(cli, "approve", "timecards", "--period", "2026-10-12", "--holiday-hours", "W2:2026-10-23:8")
    out = ot(cli, "sync").stdout
    assert out.count("Sent") == 2
    rows = (tmp_path / "feeds" / PERIOD / "timecards.csv").read_text().splitlines()
    assert "W1,Wes Worker,2026-10-17,PTO,L1,20.00,8.00,480" in rows
    assert "W2,Tex Worker,2026-10-24,HOLIDAY,L2,20.00,8.00,480" in rows


def test_resend_replaces_only_what_is_not_paid(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """TempWorks/Timerack: re-sending replaces timecards not yet sent to payroll; paid ones stay as they were.

    W2 is paid for the period; W1 is not. W1's edit rewrites W1's row; W2's correction (a paid date)
    is refused for the csv target, and W2's row stays byte for byte what was paid."""
    sids = _setup(cli, ledger_path, tmp_path)
    ot(cli, "sync")
    feed = tmp_path / "feeds" / PERIOD / "timecards.csv"
    w2_row = next(ln for ln in feed.read_text().splitlines() if ln.startswith("W2,"))
    ot(cli, "approve", "timecards", "--period", "2026-10-12", "--worker", "W2")
    ot(cli, "payrun", "--period", "2026-10-12", "--partial")
    ot(cli, "shift", "edit", sids[2], "--end", "18:00", "--reason", "missed hours", "--correction-authorized")
    ot(cli, "shift", "edit", sids[0], "--end", "17:00", "--reason", "stayed late")
    ot(cli, "approve", "shifts", "--shift", sids[0], "--shift", sids[2])
    out = ot(cli, "sync", code=1).stdout
    assert f"update  {sids[0]}" in out
    assert f"refuse  {sids[2]}" in out
    rows = feed.read_text().splitlines()
    assert "W1,Wes Worker,2026-10-17,REGULAR,L1,20.00,19.50,1170" in rows
    assert [ln for ln in rows if ln.startswith("W2,")] == [w2_row]
    manifest = json.loads((feed.parent / "manifest.json").read_text())
    assert manifest["rows"] == 2
