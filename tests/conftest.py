"""Shared test settings: a pinned zone, hypothesis profiles, and a CLI runner."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from tests_support import SMALL_LOCATIONS, SMALL_PUNCHES, SMALL_WORKERS

os.environ["TZ"] = "UTC"
time.tzset()
# Every key a test makes (the demo's, ot user init's) goes to a folder of this test process, never ~/.config.
os.environ["OT_KEYS"] = tempfile.mkdtemp(prefix="ot-test-keys-")
# The user's config.toml (platformdirs: $XDG_CONFIG_HOME/ot) is this process's empty folder: a developer's
# own settings (theme, keymap, display rate) never change what a test sees.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="ot-test-config-")

# CI runs the same examples every time (derandomized); HYPOTHESIS_PROFILE=thorough explores new ones.
settings.register_profile(
    "default", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("thorough", deadline=None, max_examples=1000)
# The PostgreSQL pass (dev.py test) runs the ledger, approval and sync tests again on the other backend:
# the same derandomized histories, fewer of them (the SQLite pass explores; this one checks the backend).
settings.register_profile("postgresql", parent=settings.get_profile("default"), max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent

# The throwaway PostgreSQL server, and --ledger-backend=postgresql (tests/pg_server.py).
pytest_plugins = ["tests.pg_server"]


@pytest.fixture
def ledger_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ledger path, also set as $OT_LEDGER; the acting user is ``A1`` (the admin of most test rosters)."""
    path = tmp_path / "ledger.db"
    monkeypatch.setenv("OT_LEDGER", str(path))
    monkeypatch.setenv("OT_USER", "A1")
    return path


@pytest.fixture
def cli() -> CliRunner:
    """A click runner that keeps stdout and stderr apart."""
    return CliRunner()


@pytest.fixture(scope="session")
def _demo_ledger_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company, built once per test process (``ot demo`` through its service)."""
    from datetime import UTC, datetime

    from ot.services.imports import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    load_demo(path, actor="tester", now=datetime(2026, 11, 16, 12, 0, tzinfo=UTC))
    return path


def _copy(source: Path, target: Path) -> Path:
    import sqlite3

    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def _copy_ledger(request: pytest.FixtureRequest, source: Path, target: Path) -> Path:
    """A copy of a ledger: on PostgreSQL (--ledger-backend), of its database and its replica."""
    from tests.pg_server import copy_ledger, on_postgresql

    if on_postgresql(request.config):
        return copy_ledger(request.getfixturevalue("pg_server"), source, target)
    return _copy(source, target)


@pytest.fixture
def demo_ledger(_demo_ledger_master: Path, ledger_path: Path, request: pytest.FixtureRequest) -> Path:
    """A private copy of the demo ledger at ``ledger_path`` (also $OT_LEDGER)."""
    return _copy_ledger(request, _demo_ledger_master, ledger_path)


@pytest.fixture(scope="session")
def _demo_paid_master(
    _demo_ledger_master: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Path:
    """The demo company with its first pay period (2026-10-11 to 2026-10-24) approved and paid by A1."""
    from datetime import UTC, date, datetime

    from ot.services.approvals import approve_shifts, approve_timecards
    from ot.services.payrun import run_payroll

    path = _copy_ledger(request, _demo_ledger_master, tmp_path_factory.mktemp("demo-paid") / "demo.db")
    now = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
    day = date(2026, 10, 20)
    approve_shifts(path, all_visible=True, period_day=day, actor="A1", now=now)
    approve_timecards(path, period_day=day, actor="A1", now=now)
    run_payroll(path, period_day=day, partial=True, actor="A1", now=now)
    return path


@pytest.fixture
def demo_paid_ledger(_demo_paid_master: Path, ledger_path: Path, request: pytest.FixtureRequest) -> Path:
    """A private copy of the demo ledger with its first pay period paid, at ``ledger_path``."""
    return _copy_ledger(request, _demo_paid_master, ledger_path)


@pytest.fixture
def small_ledger(ledger_path: Path, tmp_path: Path) -> Path:
    """A tiny ledger built through ``ot import``: locations LA (CA) and HOU (TX); admin A1,
    manager M1, workers W1 (CA, $20) and T1 (TX, $18); W1 worked 10 hours on Mon 2026-11-02."""
    from ot.cli import main

    runner = CliRunner()
    for kind, text in (("locations", SMALL_LOCATIONS), ("workers", SMALL_WORKERS), ("punches", SMALL_PUNCHES)):
        f = tmp_path / f"small-{kind}.csv"
        f.write_text(text)
        result = runner.invoke(main, ["import", kind, str(f)])
        assert result.exit_code == 0, result.stderr
    return ledger_path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest tests (marked slow, such as the pay-cycle state machine) first: pytest-xdist hands
    tests out in order, so a minute-long test collected last would run alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: the rest keep their order
