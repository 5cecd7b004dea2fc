"""``ot rules what-if`` names a rules file by the path given, as ``rules check`` and ``rules adopt`` do (a
review: it printed ``bad.ot:4:11`` for ``sub/bad.ot``; a user with two bad.ot in two folders could not
tell which)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ot.cli import main

BAD = "version 1\nfederal {\n  rules from 2020-01-01 {\n    daily ovr 8h is OT x1.5\n  }\n}\n"


@pytest.fixture
def nested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``sub/bad.ot`` under the working folder: given as a relative path, as a user types it."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.ot").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return Path("sub") / "bad.ot"


@pytest.mark.parametrize(
    "command",
    [["rules", "what-if"], ["rules", "check"], ["--as", "A1", "rules", "adopt", "--from", "2026-11-01"]],
    ids=["what-if", "check", "adopt"],
)
def test_a_rules_file_is_named_by_the_path_given(
    demo_ledger: Path, cli: CliRunner, nested: Path, command: list[str]
) -> None:
    result = cli.invoke(main, [*command, str(nested)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f'{nested}:4:11: unknown word "ovr"'), result.stderr
    assert f"{nested}: 1 error; nothing was changed" in result.stderr


def test_what_if_json_names_the_path_given(demo_ledger: Path, cli: CliRunner, nested: Path) -> None:
    result = cli.invoke(main, ["rules", "what-if", "--json", str(nested)])
    assert result.exit_code == 2
    assert f'"where": "{nested}:4:11"' in result.stderr


def test_what_if_a_missing_file_or_ledger(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    missing = cli.invoke(main, ["rules", "what-if", str(tmp_path / "nope.ot")])
    assert missing.exit_code == 2
    assert f"{tmp_path / 'nope.ot'}: check the path: give the .ot rules file to price" in missing.stderr
    (tmp_path / "ok.ot").write_text("version 1\n")
    no_ledger = cli.invoke(main, ["rules", "what-if", str(tmp_path / "ok.ot")])
    assert no_ledger.exit_code == 2
    assert "--ledger: give the ledger to price (or $OT_LEDGER)" in no_ledger.stderr
    assert f"no ledger at {ledger_path}" in no_ledger.stderr
    assert not ledger_path.exists()


def test_what_if_a_file_not_utf8_says_where(demo_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    """The byte's line and column (what_if_file said 1:N for a byte on any line)."""
    (tmp_path / "latin.ot").write_bytes(b"version 1\n# caf\xe9\n")
    result = cli.invoke(main, ["rules", "what-if", str(tmp_path / "latin.ot")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'latin.ot'}:2:6: this byte is not UTF-8: save the rules file as UTF-8 text" in result.stderr


@pytest.mark.parametrize(
    ("command", "verb"),
    [(["--as", "A1", "rules", "adopt", "--from", "2026-11-01"], "adopt"), (["rules", "fmt"], "format")],
    ids=["adopt", "fmt"],
)
def test_adopt_and_fmt_locate_a_byte_that_is_not_utf8(
    demo_ledger: Path, cli: CliRunner, tmp_path: Path, command: list[str], verb: str
) -> None:
    """adopt said 1:16 for a byte on line 2; fmt said "leave it out to use the default rules file" of a
    missing FILE, which it needs."""
    (tmp_path / "latin.ot").write_bytes(b"version 1\n# caf\xe9\n")
    result = cli.invoke(main, [*command, str(tmp_path / "latin.ot")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'latin.ot'}:2:6: this byte is not UTF-8: save the rules file as UTF-8 text" in result.stderr
    missing = cli.invoke(main, [*command, str(tmp_path / "nope.ot")])
    assert missing.exit_code == 2
    assert f"{tmp_path / 'nope.ot'}: check the path: give the .ot rules file to {verb}" in missing.stderr
