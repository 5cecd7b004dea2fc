"""`ot rules check|fmt|show`: exit codes, and what goes to stdout and to stderr."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rules_helpers import EXAMPLE, GOLDEN, federal

from ot.cli import main


def write(tmp_path: Path, text: str, name: str = "rules.ot") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_ok(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, (GOLDEN / "every_construct.ot").read_text(encoding="utf-8"))
    result = cli.invoke(main, ["rules", "check", str(path), "--date", "2022-06-01"])  # before any yearly adjustment
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{path}: ok (7 jurisdictions, 8 rule sets, 1 employer policy)\n"
    assert result.stderr == ""


def test_check_defaults_to_the_example(cli: CliRunner) -> None:
    result = cli.invoke(main, ["rules", "check", "--date", "2025-08-01"])  # no yearly figure missing then
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{EXAMPLE}: ok (14 jurisdictions, 19 rule sets)\n"


def test_check_reports_every_error_on_stderr_and_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path, federal("dialy over 8h is OT x1.5", "weekly over 40h is OT 1.5", "minimum wage 7.25 from 2026-02-30")
    )
    result = cli.invoke(main, ["rules", "check", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr
    assert f'{path}:4:5: unknown word "dialy"' in err
    assert 'did you mean "daily"?' in err
    assert f"{path}:5:27: write the multiplier with an x in front: x1.5" in err
    assert "        dialy over 8h is OT x1.5\n        ^\n" in err
    assert f"{path}:6:28: 2026-02-30 is not a real date" in err  # a meaning error beside the syntax errors
    assert err.rstrip().endswith(f"{path}: 3 errors; nothing was changed")


def test_check_meaning_errors(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, federal("weekly over 40h is OT x0.5", "minimum wage 7.25 from 2026-02-30"))
    result = cli.invoke(main, ["rules", "check", str(path)])
    assert result.exit_code == 2
    assert f"{path}:4:27: a multiplier of x0.5 is under 1" in result.stderr
    assert f"{path}:5:28: 2026-02-30 is not a real date" in result.stderr


def test_check_missing_file(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(main, ["rules", "check", str(tmp_path / "nope.ot")])
    assert result.exit_code == 2
    assert "no such rules file" in result.stderr
    assert result.stdout == ""


def test_fmt_rewrites_then_is_quiet(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, (GOLDEN / "messy.ot").read_text(encoding="utf-8"))
    result = cli.invoke(main, ["rules", "fmt", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"reformatted {path}\n"
    assert path.read_text(encoding="utf-8") == (GOLDEN / "messy.expected.ot").read_text(encoding="utf-8")
    again = cli.invoke(main, ["rules", "fmt", str(path)])
    assert (again.exit_code, again.stdout) == (0, f"{path}: already formatted\n")


def test_fmt_check_exits_1_and_changes_nothing(cli: CliRunner, tmp_path: Path) -> None:
    messy = (GOLDEN / "messy.ot").read_text(encoding="utf-8")
    path = write(tmp_path, messy)
    result = cli.invoke(main, ["rules", "fmt", "--check", str(path)])
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {path}\n"
    assert path.read_text(encoding="utf-8") == messy
    clean = write(tmp_path, (GOLDEN / "minimal.ot").read_text(encoding="utf-8"), "clean.ot")
    ok = cli.invoke(main, ["rules", "fmt", "--check", str(clean)])
    assert (ok.exit_code, ok.stdout) == (0, f"{clean}: already formatted\n")


def test_fmt_refuses_a_bad_file(cli: CliRunner, tmp_path: Path) -> None:
    bad = federal("daily over 8 is OT x1.5")
    path = write(tmp_path, bad)
    result = cli.invoke(main, ["rules", "fmt", str(path)])
    assert result.exit_code == 2
    assert "write the hours with a unit: 8h" in result.stderr
    assert path.read_text(encoding="utf-8") == bad


def test_show(cli: CliRunner) -> None:
    result = cli.invoke(main, ["rules", "show", "--state", "CA", "--date", "2026-11-01"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("CA rules in force on 2026-11-01: the set from 2022-01-01")
    lines = EXAMPLE.read_text(encoding="utf-8").split("\n")
    daily = next(
        n for n, line in enumerate(lines, 1) if line.startswith("    daily over 8h is OT x1.5  # Lab. Code 510(a)")
    )
    shown = next(line for line in out.split("\n") if f"{EXAMPLE}:{daily} " in line)
    assert shown.endswith("hours over 8 in a workday are overtime (OT), paid at 1.5x the regular rate")
    assert "minimum wage $16.90 an hour, since 2026-01-01" in out
    assert result.stderr == ""


def test_show_with_a_file_and_federal_default(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, (GOLDEN / "minimal.ot").read_text(encoding="utf-8"))
    result = cli.invoke(main, ["rules", "show", str(path), "--date", "2026-01-05"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("federal rules in force on 2026-01-05")
    assert f"{path}:5  hours over 40 in a workweek" in result.stdout


def test_show_errors(cli: CliRunner) -> None:
    unknown = cli.invoke(main, ["rules", "show", "--state", "ZZ", "--date", "2026-11-01"])
    assert unknown.exit_code == 2
    assert "unknown jurisdiction 'ZZ'" in unknown.stderr
    early = cli.invoke(main, ["rules", "show", "--state", "CA", "--date", "2021-12-31"])
    assert early.exit_code == 2
    assert "no CA rules are in force on 2021-12-31" in early.stderr
    bad_date = cli.invoke(main, ["rules", "show", "--date", "2026-02-30"])
    assert bad_date.exit_code == 2
    assert "2026-02-30" in bad_date.stderr


def test_fmt_refuses_digits_of_other_scripts_and_leaves_the_file(cli: CliRunner, tmp_path: Path) -> None:
    """Decimal("٤٠") is 40: fmt used to rewrite look-alike digits to 0-9 silently; the language takes 0-9 only."""
    text = federal("weekly over \u0664\u0660h is OT x\u0661.\u0665", "minimum wage \uff17.\uff12\uff15 from 2009-07-24")
    path = write(tmp_path, text)
    result = cli.invoke(main, ["rules", "fmt", str(path)])
    assert result.exit_code == 2
    assert f"{path}:4:17: " in result.stderr
    assert "digits other than 0-9" in result.stderr
    assert "write 40h" in result.stderr
    assert "write 7.25" in result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_a_syntax_error_on_a_huge_line_is_echoed_clipped_with_the_summary(cli: CliRunner, tmp_path: Path) -> None:
    """A 50 KB line is echoed as the 120 characters around the error, the caret under it, and the
    report still ends with its summary line."""
    path = write(tmp_path, federal("weekly over 40h is OT x1.5 " + "y" * 50_000 + " zzz"))
    result = cli.invoke(main, ["rules", "check", str(path)])
    assert result.exit_code == 2
    err = result.stderr
    assert len(err) < 2_000, len(err)
    assert f'{path}:4:32: unknown word "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy..."' in err
    echoed, caret = err.split("\n")[1:3]
    assert echoed.startswith("        weekly over 40h is OT x1.5 yyy")
    assert echoed.endswith("y...")
    assert caret.index("^") == echoed.index("yyy")
    assert err.rstrip().endswith(f"{path}: 1 error; nothing was changed")


def test_an_error_far_along_a_huge_line_is_echoed_around_its_column(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, federal("weekly over 40h is OT x1.5" + " " * 50_000 + "zzz"))
    result = cli.invoke(main, ["rules", "check", str(path)])
    assert result.exit_code == 2
    err = result.stderr
    assert len(err) < 2_000, len(err)
    echoed, caret = err.split("\n")[1:3]
    assert echoed.startswith("    ...")
    assert "zzz" in echoed
    assert caret.index("^") == echoed.index("zzz")
    assert err.rstrip().endswith(f"{path}: 1 error; nothing was changed")
