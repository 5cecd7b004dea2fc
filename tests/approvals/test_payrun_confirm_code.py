"""``ot payrun --confirm CODE`` takes the code as it is copied: either case, blanks around (a review: an
upper-case code, or one with a trailing space, was refused with "give the 12 hex digits `ot payrun
--dry-run` printed", which it was). The code is a checksum of what is paid: its case means nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from approvals_helpers import company, events, ot, snapshot_of, week_of_8h
from click.testing import CliRunner

MON_FRI = ["2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15", "2026-10-16"]


def _code(cli: CliRunner, tmp_path: Path) -> str:
    """W2's approved week of 2026-10-12, and the code of its dry run."""
    company(cli, tmp_path)
    week_of_8h(cli, "W2", MON_FRI)
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    ot(cli, "approve", "timecards", "--period", "2026-10-12")
    last = ot(cli, "payrun", "--period", "2026-10-12", "--dry-run").stdout.splitlines()[-1]
    return last.split("--confirm ")[1].split()[0]


@pytest.mark.parametrize("typed", [str.upper, lambda c: f" {c} ", lambda c: f"{c.upper()}\n", lambda c: f"\t{c}"])
def test_a_code_in_upper_case_or_with_blanks_around_pays(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, typed: Callable[[str], str]
) -> None:
    code = _code(cli, tmp_path)
    given = typed(code)
    out = ot(cli, "payrun", "--period", "2026-10-12", "--confirm", given).stdout
    assert "W2" in out
    assert events(ledger_path, "payrun.")


@pytest.mark.parametrize(
    "given",
    ["yes", "abcdef01234", "abcdef0123456", "abcdef01234g", "abc def012345", "\uff21bcdef012345", "\u0661bcdef012345"],
)
def test_what_is_not_12_hex_digits_is_refused(cli: CliRunner, ledger_path: Path, tmp_path: Path, given: str) -> None:
    _code(cli, tmp_path)
    before = snapshot_of(ledger_path)
    refused = ot(cli, "payrun", "--period", "2026-10-12", "--confirm", given, code=2).stderr
    assert f"--confirm {given!r} is not a pay run's code" in refused
    assert "--confirm: give the 12 hex digits `ot payrun --dry-run` printed after 'confirm with'" in refused
    assert snapshot_of(ledger_path) == before


def test_another_run_s_code_in_upper_case_is_refused_as_another_run(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    code = _code(cli, tmp_path)
    other = "ABCDEF012345" if code != "abcdef012345" else "ABCDEF012346"
    refused = ot(cli, "payrun", "--period", "2026-10-12", "--confirm", other, code=2).stderr
    assert f"the pay run is not the one confirmed (--confirm {other.lower()})" in refused
    assert events(ledger_path, "payrun.") == []
