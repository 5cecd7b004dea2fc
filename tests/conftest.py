"""Shared test settings: a pinned zone, hypothesis profiles, and a CLI runner."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

os.environ["TZ"] = "UTC"
time.tzset()

settings.register_profile(
    "default", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ledger_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh ledger path, also set as $OT_LEDGER; the acting user is ``tester``."""
    path = tmp_path / "ledger.db"
    monkeypatch.setenv("OT_LEDGER", str(path))
    monkeypatch.setenv("OT_USER", "tester")
    yield path


@pytest.fixture
def cli() -> CliRunner:
    """A click runner that keeps stdout and stderr apart."""
    return CliRunner()
