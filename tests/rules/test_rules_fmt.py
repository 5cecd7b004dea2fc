"""The formatter: canonical layout, comments kept, idempotent, and the file rewritten atomically."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rules_helpers import EXAMPLE, GOLDEN, federal

from ot.core.errors import OtError
from ot.services import rules as service
from rules.errors import RulesError
from rules.fmt import format_text
from rules.parser import parse


def test_messy_file_gets_the_canonical_layout() -> None:
    """golden/messy.ot formats to exactly golden/messy.expected.ot (read both: comments stay where they were)."""
    messy = (GOLDEN / "messy.ot").read_text(encoding="utf-8")
    expected = (GOLDEN / "messy.expected.ot").read_text(encoding="utf-8")
    assert format_text(messy) == expected


def test_the_example_and_the_goldens_are_already_canonical() -> None:
    for path in [EXAMPLE, GOLDEN / "every_construct.ot", GOLDEN / "minimal.ot"]:
        text = path.read_text(encoding="utf-8")
        assert format_text(text) == text, path


def test_comments_keep_their_place() -> None:
    text = "version 1\n# before federal\nfederal {  # opener\n  rules from 2009-07-24 {\n    # first\n    weekly over 40h is OT x1.5  # why\n    # last\n  }  # closer\n}\n# after all\n"
    assert format_text(text) == text
    assert [c.text for c in parse(format_text(text)).comments] == [
        "# before federal",
        "# opener",
        "# first",
        "# why",
        "# last",
        "# closer",
        "# after all",
    ]


def test_blank_lines_collapse_to_one_and_never_sit_inside_braces() -> None:
    text = "version 1\n\n\n\nfederal {\n\n  rules from 2009-07-24 {\n\n    weekly over 40h is OT x1.5\n\n\n    no pyramiding\n\n  }\n\n}\n"
    assert format_text(text) == (
        "version 1\n\nfederal {\n  rules from 2009-07-24 {\n    weekly over 40h is OT x1.5\n\n    no pyramiding\n  }\n}\n"
    )


def test_units_and_spelling_are_made_canonical() -> None:
    text = federal("short breaks up to 20min are worked", "combine most favorable", "daily over 08h is OT x1.5")
    assert format_text(text) == federal(
        "short breaks up to 20 min are worked", "combine most favourable", "daily over 8h is OT x1.5"
    )


def test_format_refuses_a_file_that_does_not_parse() -> None:
    with pytest.raises(RulesError):
        format_text(federal("daily over 8 is OT x1.5"))


def test_format_file_rewrites_atomically_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "rules.ot"
    path.write_text((GOLDEN / "messy.ot").read_text(encoding="utf-8"), encoding="utf-8")
    os.chmod(path, 0o640)
    result = service.format_file(path)
    assert (result.changed, result.written) == (True, True)
    assert path.read_text(encoding="utf-8") == (GOLDEN / "messy.expected.ot").read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["rules.ot"]
    again = service.format_file(path)
    assert (again.changed, again.written) == (False, False)


def test_format_file_check_only_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "rules.ot"
    messy = (GOLDEN / "messy.ot").read_text(encoding="utf-8")
    path.write_text(messy, encoding="utf-8")
    result = service.format_file(path, check_only=True)
    assert (result.changed, result.written) == (True, False)
    assert path.read_text(encoding="utf-8") == messy


def test_a_bad_file_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "rules.ot"
    bad = federal("daily over 8 is OT x1.5")
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(RulesError):
        service.format_file(path)
    assert path.read_text(encoding="utf-8") == bad
    assert [p.name for p in tmp_path.iterdir()] == ["rules.ot"]


def test_a_failed_write_leaves_the_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rules.ot"
    messy = (GOLDEN / "messy.ot").read_text(encoding="utf-8")
    path.write_text(messy, encoding="utf-8")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        service.format_file(path)
    assert path.read_text(encoding="utf-8") == messy
    assert [p.name for p in tmp_path.iterdir()] == ["rules.ot"]


def test_missing_and_non_utf8_files_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(OtError, match="no such rules file"):
        service.format_file(tmp_path / "nope.ot")
    latin = tmp_path / "latin.ot"
    latin.write_bytes(b"version 1\n# caf\xe9\n")
    with pytest.raises(OtError, match="UTF-8") as caught:
        service.check_file(latin)
    assert caught.value.problems[0].where == f"{latin}:2:6"


def test_a_folder_is_not_a_rules_file(tmp_path: Path) -> None:
    with pytest.raises(OtError, match="is a folder"):
        service.check_file(tmp_path)


def test_a_missing_default_rules_file_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    import rules.files

    monkeypatch.setattr(rules.files, "DEFAULT_RULES_NAME", "missing.example.ot")
    with pytest.raises(OtError, match=r"default rules file missing\.example\.ot is missing") as caught:
        service.check_file(None)
    assert "give a rules file explicitly" in caught.value.problems[0].message


def test_new_constructs_round_trip() -> None:
    """Local blocks, the minimum-wage measure, rest evidence, the workweek condition and the
    24-hour period without overlap format canonically and read back the same."""

    text = (
        "version 1\n"
        "federal {\n"
        "  rules from 2022-01-01 {\n"
        "    minimum wage   measured per  workweek\n"
        "    seventh day over 0h is OT x1.5 when workweek over 40.0h\n"
        "    24-hour  period without overlap over 8h is OT x1.5\n"
        "    rest period 10 min per 4h when over 3.5h, premium 1h,evidence attestation or breaks\n"
        "  }\n"
        "}\n"
        'local   "Denver, CO" {\n'
        "  rules from 2022-01-01 {\n"
        "      minimum wage 15.87 from 2022-01-01  # D.R.M.C. 58-16\n"
        "  }\n"
        "}\n"
    )
    formatted = format_text(text)
    assert "    minimum wage measured per workweek\n" in formatted
    assert "    24-hour period without overlap over 8h is OT x1.5\n" in formatted
    assert "evidence attestation or breaks" in formatted
    assert "when workweek over 40.0h" in formatted
    assert 'local "Denver, CO" {\n' in formatted
    assert "    minimum wage 15.87 from 2022-01-01  # D.R.M.C. 58-16\n" in formatted
    assert parse(formatted) == parse(text)
    assert format_text(formatted) == formatted
