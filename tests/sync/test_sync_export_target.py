"""Issue 13: a payroll export as a sync target (``kind = "export"``), through the outbox and the
Hours Sync Report.

An export carries what a pay run paid, so the target holds a shift (``Send``, with why)
until a run paid its date, and a corrected shift until the run that settles the
correction. Each run's file is written once, equals ``ot export payroll --run`` byte for
byte, and never changes after.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from ot.cli import main
from ot.sync.export_target import PAID_OUTSIDE

PERIOD_1 = "2026-10-20"  # 2026-10-11 .. 2026-10-24, paid in the fixture (run R2026-10-11)
PERIOD_2 = "2026-11-02"  # 2026-10-25 .. 2026-11-07
RUN_1_DIR = "2026-10-11_2026-10-24_R2026-10-11"
RUN_2_DIR = "2026-10-25_2026-11-07_R2026-10-25"


def ot(path: Path, *args: str, user: str = "A1", code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--ledger", str(path), "--as", user, *args])
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result.stdout + result.stderr


def configure(path: Path, body: str) -> Path:
    config = path.with_name(path.stem + ".sync.toml")
    config.write_text(body)
    return config


EXPORT = """
[targets.payroll]
kind = "export"
format = "gusto"
folder = "exports"
correction_authorized = true
"""


def report(path: Path) -> dict[str, dict[str, str]]:
    """Shift id -> its report row (every week)."""
    weeks = json.loads(ot(path, "sync", "report", "--all", "--json"))
    return {r["shift_id"]: r for w in weeks for r in w["shifts"]}


def events(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    finally:
        conn.close()


def test_each_paid_run_is_written_once_and_unpaid_shifts_wait(demo_paid_ledger: Path, tmp_path: Path) -> None:
    path = demo_paid_ledger
    configure(path, EXPORT)
    said = ot(path, "sync")
    assert "0 errors" in said
    first = tmp_path / "exports" / RUN_1_DIR / "gusto.csv"
    assert sorted(p.name for p in first.parent.iterdir()) == ["gusto.csv", "gusto.csv.manifest.json"]
    # The file is the one `ot export payroll --run` writes, byte for byte, with the same manifest.
    ot(path, "export", "payroll", "--format", "gusto", "--run", "R2026-10-11", "-o", str(tmp_path / "by-hand.csv"))
    assert first.read_bytes() == (tmp_path / "by-hand.csv").read_bytes()
    manifest = json.loads((first.parent / "gusto.csv.manifest.json").read_text())
    assert manifest["equals_pay_runs"] is True
    assert manifest["runs"][0]["run_id"] == "R2026-10-11"
    rows = report(path)
    assert rows["S99"]["status"] == "Sent"
    assert rows["S99"]["target_id"] == f"{RUN_1_DIR}/gusto.csv"

    # Period 2 approved but not paid: held, with why; nothing recorded for them.
    ot(path, "approve", "shifts", "--all-visible", "--period", PERIOD_2)
    said = ot(path, "sync")
    assert "0 sent" in said
    assert "held until a pay run pays them" in said
    assert "held: waits for the pay run of 2026-10-25..2026-11-07" in said
    rows = report(path)
    assert rows["S153"]["status"] == "Send"
    assert rows["S153"]["detail"].startswith("waits for the pay run of 2026-10-25..2026-11-07")
    again = events(path)
    ot(path, "sync")
    assert events(path) == again, "a second sync with nothing paid records nothing"
    bytes_before = first.read_bytes()

    # Paid: the held shifts go into the new run's own folder; the first file is untouched.
    ot(path, "approve", "timecards", "--period", PERIOD_2)
    ot(path, "payrun", "--period", PERIOD_2, "--partial")
    ot(path, "sync")
    second = tmp_path / "exports" / RUN_2_DIR / "gusto.csv"
    assert second.exists()
    assert first.read_bytes() == bytes_before
    rows = report(path)
    assert rows["S153"]["status"] == "Sent"
    assert rows["S153"]["target_id"] == f"{RUN_2_DIR}/gusto.csv"
    # The workers the run left out (a missing out-punch) still wait for a pay run.
    waiting = [r for r in rows.values() if r["status"] == "Send"]
    assert waiting
    assert all(r["detail"].startswith("waits for the pay run") for r in waiting)


def test_a_correction_waits_for_the_run_that_settles_it(demo_paid_ledger: Path, tmp_path: Path) -> None:
    path = demo_paid_ledger
    configure(path, EXPORT)
    ot(path, "sync")
    said = ot(path, "shift", "edit", "S99", "--end", "17:31", "--correction-authorized", "--reason", "stayed late")
    cid = said.split("underpayment ")[1].split()[0]
    ot(path, "approve", "shifts", "--all-visible", "--period", PERIOD_1)
    ot(path, "sync")
    row = report(path)["S99"]
    assert row["status"] == "Send"
    assert row["detail"].startswith(f"correction {cid} waits for the pay run")
    ot(path, "approve", "shifts", "--all-visible", "--period", PERIOD_2)
    ot(path, "approve", "timecards", "--period", PERIOD_2)
    ot(path, "payrun", "--period", PERIOD_2, "--partial")
    ot(path, "sync")
    row = report(path)["S99"]
    assert row["status"] == "Sent"
    assert row["target_id"] == f"{RUN_2_DIR}/gusto.csv"
    text = (tmp_path / "exports" / RUN_2_DIR / "gusto.csv").read_text()
    assert cid in text, "the correcting line is in the file of the run that paid it"


def test_an_immediate_correction_goes_in_its_off_cycle_file(demo_paid_ledger: Path, tmp_path: Path) -> None:
    path = demo_paid_ledger
    configure(path, EXPORT)
    ot(
        path,
        "shift",
        "edit",
        "S99",
        "--end",
        "17:31",
        "--correction-authorized",
        "--reason",
        "stayed late",
        "--correction-timeframe",
        "immediately",
    )
    ot(path, "approve", "shifts", "--all-visible", "--period", PERIOD_1)
    ot(path, "sync")
    row = report(path)["S99"]
    assert row["status"] == "Sent", row
    assert row["target_id"].startswith("off-cycle_"), row
    folder = tmp_path / "exports" / row["target_id"].split("/")[0]
    manifest = json.loads((folder / "gusto.csv.manifest.json").read_text())
    assert manifest["runs"][0]["kind"] == "off_cycle"
    assert manifest["period_start"] is None


def test_a_correction_paid_outside_ot_is_in_no_file(demo_paid_ledger: Path, tmp_path: Path) -> None:
    path = demo_paid_ledger
    configure(path, EXPORT)
    ot(path, "sync")
    ot(
        path,
        "shift",
        "edit",
        "S99",
        "--end",
        "17:31",
        "--correction-authorized",
        "--reason",
        "paid by check",
        "--correction-timeframe",
        "externally_paid",
    )
    ot(path, "approve", "shifts", "--all-visible", "--period", PERIOD_1)
    ot(path, "sync")
    row = report(path)["S99"]
    assert row["status"] == "Sent"
    assert row["target_id"] == PAID_OUTSIDE
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == [RUN_1_DIR]


def test_a_correction_is_refused_when_the_target_may_not_send_corrections(
    demo_paid_ledger: Path, tmp_path: Path
) -> None:
    path = demo_paid_ledger
    configure(path, EXPORT.replace("correction_authorized = true", "correction_authorized = false"))
    ot(path, "sync")
    ot(path, "shift", "edit", "S99", "--end", "17:31", "--correction-authorized", "--reason", "stayed late")
    ot(path, "approve", "shifts", "--all-visible", "--period", PERIOD_1)
    ot(path, "sync", code=1)
    row = report(path)["S99"]
    assert row["status"] == "Error"
    assert "correction_authorized = true" in row["what_to_do"]


@pytest.mark.parametrize(
    ("body", "where", "says"),
    [
        ('kind = "export"\nfolder = "x"\n', "[targets.payroll] format", "required"),
        ('kind = "export"\nformat = "gusto"\n', "[targets.payroll] folder", "required"),
        ('kind = "export"\nformat = "quickbooks"\nfolder = "x"\n', "[targets.payroll] format", "no export format"),
        (
            'kind = "export"\nformat = "gusto"\nfolder = "x"\nmapping = "missing.toml"\n',
            "[targets.payroll] mapping",
            "cannot read the mapping",
        ),
        (
            'kind = "export"\nformat = "gusto"\nfolder = "x"\nmapping = "bad.toml"\n',
            "[targets.payroll] mapping",
            "has problems",
        ),
    ],
)
def test_a_bad_export_table_is_refused_before_anything_is_sent(
    demo_paid_ledger: Path, tmp_path: Path, body: str, where: str, says: str
) -> None:
    (tmp_path / "bad.toml").write_text('[codes]\nREG = "regular_hours"\nTIPS = "tips"\n')
    configure(demo_paid_ledger, "[targets.payroll]\n" + body)
    before = events(demo_paid_ledger)
    said = ot(demo_paid_ledger, "sync", code=2)
    assert where in said, said
    assert says in said, said
    assert events(demo_paid_ledger) == before
    assert not (tmp_path / "x").exists()


def test_an_unmapped_class_is_an_error_naming_the_line_to_add(demo_paid_ledger: Path, tmp_path: Path) -> None:
    (tmp_path / "codes.toml").write_text(
        '[settings]\nresidual_column = "correction_payment"\n\n[codes]\nREG = "regular_hours"\n'
    )
    configure(demo_paid_ledger, EXPORT + 'mapping = "codes.toml"\n')
    said = ot(demo_paid_ledger, "sync", code=1)
    assert "0 errors" not in said
    assert not (tmp_path / "exports").exists()
    row = report(demo_paid_ledger)["S99"]
    assert row["status"] == "Error"
    assert "no earnings code for" in row["detail"]
    assert "codes.toml:6 [codes]" in row["what_to_do"]


def test_only_an_admin_syncs_an_export(demo_paid_ledger: Path, tmp_path: Path) -> None:
    configure(demo_paid_ledger, EXPORT)
    said = ot(demo_paid_ledger, "sync", user="M1", code=2)
    assert "sync to payroll" in said or "admin" in said
    assert not (tmp_path / "exports").exists()


def test_errors_from_the_mapping_say_how_to_fix_it_here_and_are_sent_again_with_retry_errors(
    demo_paid_ledger: Path, tmp_path: Path
) -> None:
    """A review: the shipped ADP mapping has no company code, so every shift was in Error, the advice said
    to edit the file inside the package or give --mapping (an `ot export` option, not the sync config's),
    and once a copy was named in the config nothing sent the shifts again but one `ot sync send` at a
    time. The advice now names the copy and the config's key, and `ot sync --retry-errors` sends them."""
    from ot.exports.mapping import DEFAULTS

    path = demo_paid_ledger
    config = configure(path, EXPORT.replace('"gusto"', '"adp-wfn"'))
    said = ot(path, "sync", code=1)
    assert "0 sent" in said
    shipped = DEFAULTS / "adp-wfn.toml"
    row = report(path)["S99"]
    assert row["status"] == "Error"
    assert row["what_to_do"].startswith(
        f"copy {shipped} beside the sync config and in the copy [settings] company_code"
    )
    assert 'add mapping = "adp-wfn.toml" under [targets.payroll]; then `ot sync --retry-errors`' in row["what_to_do"]
    assert "--mapping" not in row["what_to_do"]
    mine = tmp_path / "adp-wfn.toml"
    mine.write_text(shipped.read_text().replace('company_code = ""', 'company_code = "ABC"', 1))
    config.write_text(config.read_text() + 'mapping = "adp-wfn.toml"\n')
    ot(path, "sync", code=1)  # an Error waits for a person: a plain sync does not send it again
    assert report(path)["S99"]["status"] == "Error"
    said = ot(path, "sync", "--retry-errors")
    assert " 0 errors" in said
    assert report(path)["S99"]["status"] == "Sent"
    assert (tmp_path / "exports" / RUN_1_DIR / "adp-wfn.csv").exists()
