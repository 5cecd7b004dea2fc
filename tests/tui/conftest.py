"""Fixtures of the terminal UI tests: a demo ledger (built once, copied per test),
an app factory with the frozen clock, and the SVG snapshot fixture (tui_helpers.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from tui_helpers import NOW, SVGSnapshot

from ot.services.imports import load_demo
from tui.app import OtApp


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company's ledger, loaded once per test session (through ``ot demo``'s service)."""
    path = tmp_path_factory.mktemp("demo") / "ledger.db"
    load_demo(path, actor="tester", now=NOW)
    return path


@pytest.fixture
def demo_ledger(demo_template: Path, ledger_path: Path) -> Path:
    """A private copy of the demo ledger at the test's ``ledger_path``."""
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(demo_template) + suffix)
        if src.exists():
            shutil.copy(src, Path(str(ledger_path) + suffix))
    return ledger_path


@pytest.fixture
def make_app() -> Callable[[Path], OtApp]:
    """An app on a ledger with the frozen clock, no cursor blink and no timed polling."""

    def make(path: Path, user: str = "tester") -> OtApp:
        return OtApp(path, user, NOW, poll_seconds=3600, blink=False)

    return make


@pytest.fixture
def snapshot_svg(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """A snapshot stored as one ``.svg`` file: ``assert await screenshot(app, pilot) == snapshot_svg``."""
    return snapshot.use_extension(SVGSnapshot)


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio (Textual's loop)."""
    return "asyncio"


@pytest.fixture(autouse=True)
def _private_config_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user config folder of every UI test is a fresh one (never the tester's own ~/.config/ot)."""
    home = tmp_path_factory.mktemp("config-home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home
