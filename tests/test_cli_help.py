"""Every command and group has -h/--help that exits 0 and describes itself."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from ot.cli import main


def _walk(cmd: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [path]
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            out.extend(_walk(sub, (*path, name)))
    return out


@pytest.mark.parametrize("path", _walk(main), ids=lambda p: " ".join(p) or "ot")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    for flag in ("-h", "--help"):
        result = CliRunner().invoke(main, [*path, flag])
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output
    cmd: click.Command = main
    for name in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[name]
    assert (cmd.help or "").strip(), f"ot {' '.join(path)} has no help text"
