"""Rules files in the ledger's history: ``ot rules adopt`` and ``ot rules history``.

A past workweek is always computed with the rules in force on its first day."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from tests_support import ledger_dump

from ot.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _edit_ca_daily(replacement: str) -> str:
    """rules.example.ot with California's daily-overtime line (Lab. Code 510(a)) rewritten."""
    text = (ROOT / "rules.example.ot").read_text()
    changed, n = re.subn(r"(?m)^(\s*)daily over 8h is OT(?=.*Lab\. Code 510)", rf"\g<1>{replacement}", text)
    assert n == 1
    return changed


def _explain(cli: CliRunner, week: str) -> dict[str, object]:
    result = cli.invoke(main, ["explain", "W1", "--week", week, "--json"])
    assert result.exit_code == 0, result.stderr
    out: dict[str, object] = json.loads(result.stdout)
    return out


def test_a_past_week_keeps_the_rules_of_its_time(small_ledger: Path, tmp_path: Path, cli: CliRunner) -> None:
    """Cal. Lab. Code 510(a) (daily over 8h) applies to the week of 2026-11-01; a file adopted
    from 2026-11-08 that raises the threshold to 10h must not change that week."""
    before = _explain(cli, "2026-11-02")
    assert before["overtime_hours"] == "2.00"
    changed = _edit_ca_daily("daily over 10h is OT")
    new = tmp_path / "new.ot"
    new.write_text(changed)
    result = cli.invoke(main, ["rules", "adopt", str(new), "--from", "2026-11-08"])
    assert result.exit_code == 0, result.stderr
    assert "adopted new.ot" in result.stdout
    after = _explain(cli, "2026-11-02")
    assert after["overtime_hours"] == "2.00"
    assert after["rules"] == before["rules"]
    # From the effective date on, the new file is in force.
    result = cli.invoke(main, ["rules", "adopt", str(new), "--from", "2026-10-01"])
    assert result.exit_code == 0, result.stderr
    now = _explain(cli, "2026-11-02")
    assert now["overtime_hours"] == "0.00"
    assert now["rules"] == {"file": "new.ot", "sha256": now["rules"]["sha256"]}  # type: ignore[index]
    history = cli.invoke(main, ["rules", "history"])
    assert history.exit_code == 0
    assert history.stdout.splitlines()[1].startswith("2026-10-01     new.ot")


def test_adopting_twice_adds_nothing(small_ledger: Path, cli: CliRunner) -> None:
    args = ["rules", "adopt", str(ROOT / "rules.example.ot"), "--from", "2026-01-01"]
    assert cli.invoke(main, args).exit_code == 0
    before = ledger_dump(small_ledger)
    again = cli.invoke(main, args)
    assert again.exit_code == 0
    assert "already adopted" in again.stdout
    assert ledger_dump(small_ledger) == before


def test_a_rules_file_with_errors_is_refused_and_nothing_written(
    small_ledger: Path, tmp_path: Path, cli: CliRunner
) -> None:
    bad = tmp_path / "bad.ot"
    bad.write_text(_edit_ca_daily("daily over 8 is OT"))
    before = ledger_dump(small_ledger)
    result = cli.invoke(main, ["rules", "adopt", str(bad), "--from", "2026-11-08"])
    assert result.exit_code == 2
    assert f"{bad}:" in result.stderr
    assert ledger_dump(small_ledger) == before


def test_adopt_missing_file_and_bad_date(small_ledger: Path, tmp_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["rules", "adopt", str(tmp_path / "none.ot"), "--from", "2026-11-08"])
    assert result.exit_code == 2
    assert "no such rules file" in result.stderr
    result = cli.invoke(main, ["rules", "adopt", str(ROOT / "rules.example.ot"), "--from", "11/08/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_history_of_a_new_ledger_names_the_shipped_default(ledger_path: Path, tmp_path: Path, cli: CliRunner) -> None:
    from ledger.store import Ledger

    Ledger.open(ledger_path).close()
    result = cli.invoke(main, ["rules", "history"])
    assert result.exit_code == 0
    assert "rules.example.ot (shipped with ot) is in force" in result.stdout


def test_the_first_import_pins_the_shipped_rules_in_the_history(small_ledger: Path, cli: CliRunner) -> None:
    """The ledger's own history, not the installed ot, says which rules its weeks used:
    a later ot shipping a different default cannot silently recompute a past week."""
    result = cli.invoke(main, ["rules", "history"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("the beginning  rules.example.ot")


def test_a_file_that_moves_the_workweeks_start_is_refused(small_ledger: Path, tmp_path: Path, cli: CliRunner) -> None:
    """A review: a file starting the workweek on Wednesday, adopted from Sunday 2026-10-25 while the
    example's Sunday workweek was in force before, left Sunday to Tuesday in no workweek: 27 hours
    worked there were never priced, and their dates were marked paid. A workweek is seven days from
    one fixed start (29 CFR 778.105); ot does not price the move from one start to another, so it is
    refused, saying what to do; nothing is written. From the beginning (no old workweek) it is taken."""
    from tests_support import ledger_dump

    wednesday = tmp_path / "wed.ot"
    wednesday.write_text(
        (ROOT / "rules.example.ot")
        .read_text()
        .replace("workweek starts sunday 00:00", "workweek starts wednesday 00:00")
    )
    before = ledger_dump(small_ledger)
    refused = cli.invoke(main, ["rules", "adopt", str(wednesday), "--from", "2026-10-25"])
    assert refused.exit_code == 2, refused.stdout
    assert "would change when the workweek starts; nothing was written" in refused.stderr
    assert "it starts the workweek on Wednesday 00:00 from 2026-10-25, the rules in force before start it on " \
        "Sunday 00:00" in refused.stderr  # fmt: skip
    assert ledger_dump(small_ledger) == before


def test_a_new_ledger_takes_a_file_that_moves_the_workweek_from_the_beginning(
    ledger_path: Path, tmp_path: Path, cli: CliRunner
) -> None:
    """With no work recorded, a file starting the workweek on Wednesday starts every workweek (there is
    no old workweek to move from); unless a file adopted later starts it elsewhere: refused."""
    wednesday = tmp_path / "wed.ot"
    wednesday.write_text(
        (ROOT / "rules.example.ot")
        .read_text()
        .replace("workweek starts sunday 00:00", "workweek starts wednesday 00:00")
    )
    sunday = cli.invoke(main, ["rules", "adopt", str(ROOT / "rules.example.ot"), "--from", "2027-01-03"])
    assert sunday.exit_code == 0, sunday.stderr
    late = cli.invoke(main, ["rules", "adopt", str(wednesday), "--from", "2026-10-25"])
    assert late.exit_code == 2, late.stdout
    assert "and rules.example.ot, in force from 2027-01-03, on Sunday 00:00" in late.stderr
    fresh = tmp_path / "fresh.db"
    taken = cli.invoke(main, ["--ledger", str(fresh), "rules", "adopt", str(wednesday), "--from", "2026-10-25"])
    assert taken.exit_code == 0, taken.stderr
    assert "from the beginning, not from 2026-10-25: it moves the start of the workweek" in taken.stdout
