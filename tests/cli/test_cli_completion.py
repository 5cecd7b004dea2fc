"""``ot completion bash|zsh|fish`` (issue 14): click's completion script for the program ``ot``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ot.cli import main


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _ot_completion ot"),
        ("zsh", "compdef _ot_completion ot"),
        ("fish", "complete --no-files --command ot"),
    ],
)
def test_each_shell_gets_its_script(cli: CliRunner, shell: str, marker: str) -> None:
    result = cli.invoke(main, ["completion", shell])
    assert result.exit_code == 0, result.stderr
    assert "_OT_COMPLETE" in result.stdout
    assert f"{shell}_complete" in result.stdout  # the script asks ot for completions in its own shell's form
    assert marker in result.stdout
    assert result.stderr == ""


def test_a_bad_shell_is_refused_naming_the_choices(cli: CliRunner) -> None:
    result = cli.invoke(main, ["completion", "tcsh"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish'" in result.stderr
    assert cli.invoke(main, ["completion"]).exit_code == 2


def test_the_script_answers_with_commands(cli: CliRunner) -> None:
    """What the bash script does on TAB: ``_OT_COMPLETE=bash_complete`` with the words typed so far."""
    env = {"_OT_COMPLETE": "bash_complete", "COMP_WORDS": "ot appr", "COMP_CWORD": "1"}
    result = cli.invoke(main, [], env=env, prog_name="ot")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["plain,approve"]
    env = {"_OT_COMPLETE": "bash_complete", "COMP_WORDS": "ot completion ", "COMP_CWORD": "2"}
    result = cli.invoke(main, [], env=env, prog_name="ot")
    assert result.stdout.splitlines() == ["plain,bash", "plain,zsh", "plain,fish"]
