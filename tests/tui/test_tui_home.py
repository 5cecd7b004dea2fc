"""``ot`` with no command: the UI on a terminal, the ledger summary anywhere else."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from ot.cli import home
from ot.cli.app import Settings


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_not_a_terminal_prints_the_summary_and_exits(ledger_path: Path) -> None:
    """Under a script or CI (no terminal), `ot` prints the summary and never waits for keys."""
    done = subprocess.run(
        [sys.executable, "-c", "from ot.cli import run; run()"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"ledger: {ledger_path}")
    assert "The ledger is empty." in done.stdout
    assert done.stderr == ""


def test_interactive_needs_both_streams_to_be_terminals() -> None:
    assert home.interactive(_Tty(), _Tty())
    assert not home.interactive(io.StringIO(), _Tty())
    assert not home.interactive(_Tty(), io.StringIO())


def test_a_terminal_opens_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On a terminal, `ot` runs the Textual app on the ledger, as the acting user."""
    from ot import launch
    from tui.app import OtApp

    opened: list[tuple[Path, str]] = []
    monkeypatch.setattr(home, "interactive", lambda: True)
    monkeypatch.setattr(home, "UI", launch.open_tui)
    monkeypatch.setattr(OtApp, "run", lambda self: opened.append((self.ledger_path, self.user)))
    home.open_home(Settings(ledger_path=tmp_path / "l.db", user="ana"))
    assert opened == [(tmp_path / "l.db", "ana")]


def test_the_console_script_gives_the_cli_the_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    """The `ot` script is ot.launch:run, which hands the CLI the UI to open (the CLI never imports tui)."""
    import tomllib

    from ot import launch

    scripts = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"ot": "ot.launch:run"}
    ran: list[object] = []
    monkeypatch.setattr(home, "UI", None)
    monkeypatch.setattr(launch, "run_cli", lambda: ran.append(home.UI))
    launch.run()
    assert ran == [launch.open_tui]
