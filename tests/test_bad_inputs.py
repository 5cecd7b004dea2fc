"""The bad-input catalogue (issue 11): every case exits 2, names where and what, prints no traceback, and
writes nothing (the ledger's events are the same before and after). Cases: ``tests/bad_input_cases.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input_cases import Case, all_cases
from click.testing import CliRunner
from input_review_support import build_small, copy_ledger
from tests_support import ledger_dump

from ot.cli import main

CASES = all_cases()


def test_the_catalogue_holds_at_least_150_inputs() -> None:
    assert len(CASES) >= 150
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small company of ``conftest.small_ledger``, built once for the catalogue."""
    return build_small(tmp_path_factory.mktemp("bad-inputs"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_cleanly(case: Case, master: Path, tmp_path: Path) -> None:
    ledger = copy_ledger(master, tmp_path / "ledger.db")
    names = {}
    for name, content in case.files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        names[name] = str(path)
    args = list(case.args)
    for name, path in names.items():
        args = [a.replace("{" + name + "}", path) for a in args]
    before = ledger_dump(ledger)
    result = CliRunner().invoke(main, ["--ledger", str(ledger), "--as", "A1", *args])
    shown = result.stderr
    assert "Traceback" not in shown + result.stdout, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, (result.exit_code, result.stdout, shown)
    for fragment in case.says:
        assert fragment in shown, (fragment, shown)
    assert ledger_dump(ledger) == before
