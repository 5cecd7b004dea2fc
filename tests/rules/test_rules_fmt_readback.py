"""``ot rules fmt`` never writes a text it cannot read back (issue 11): numbers without exponents, and a
layout that would not parse (or would say something else) refused with the file untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ot.cli import main
from rules import fmt
from rules.errors import RulesError
from rules.parser import parse

TINY = """version 1
federal {
  rules from 2022-01-01 {
    weekly over 40h is OT x1.5
    minimum wage {wage} from 2022-01-01
  }
}
"""


@pytest.mark.parametrize("wage", ["0.0000001", "7.25", "0.00000000000000000001", "100000000000000000000", "0.10"])
def test_numbers_are_written_out_in_full(wage: str) -> None:
    text = TINY.replace("{wage}", wage)
    out = fmt.format_text(text)
    assert f"minimum wage {wage} from" in out
    assert "E" not in out.split("minimum wage", 1)[1].split("\n", 1)[0]
    assert parse(out) == parse(text)


def test_a_layout_that_does_not_parse_is_refused_and_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.ot"
    text = TINY.replace("{wage}", "7.25").replace("    weekly", "  weekly")
    path.write_text(text)
    monkeypatch.setattr(fmt, "_num", lambda value: "1E-7")
    result = CliRunner().invoke(main, ["rules", "fmt", str(path)])
    assert result.exit_code == 2
    assert "would not parse" in result.stderr
    assert f"{path}:1:1" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_text() == text


def test_a_layout_that_says_something_else_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = TINY.replace("{wage}", "7.25")
    monkeypatch.setattr(fmt, "_num", lambda value: "2" if str(value) == "1.5" else str(value))
    with pytest.raises(RulesError) as info:
        fmt.format_text(text, "r.ot")
    assert "would not say the same" in info.value.render()
