"""Roster refresh: changes in a workers file flow in as ledger events, at once by hand or
automatically when the last refresh is more than 24 hours old (Justworks' 24-hour sync and manual refresh)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sync_helpers import WORKERS, company, events, ot, write_config

from ledger.store import Ledger
from ot.cli import main
from ot.core.errors import OtError
from ot.services.sync import auto_refresh, refresh_roster

T0 = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
NEW_HIRE = "N1,Nia New,W2,19.00,L1,M1,worker,,,\n"


def _configure(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> Path:
    company(cli, tmp_path)
    source = tmp_path / "roster.csv"
    source.write_text(WORKERS)
    write_config(ledger_path, '[roster]\nworkers_file = "roster.csv"\n')
    return source


def test_manual_refresh_adds_workers_managers_and_rates(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    source = _configure(cli, ledger_path, tmp_path)
    # A new hire, W1 made a manager, W2 paid more.
    text = WORKERS.replace("W1,Wes Worker,W2,20.00,L1,M1,worker", "W1,Wes Worker,W2,20.00,L1,M1,manager")
    text = text.replace("W2,Tex Worker,W2,20.00", "W2,Tex Worker,W2,22.00") + NEW_HIRE
    source.write_text(text)
    out = ot(cli, "sync", "refresh").stdout
    assert out.startswith(f"roster refreshed from {source}: ")
    with Ledger.open(ledger_path) as led:
        roster = led.roster()
    assert roster["N1"].name == "Nia New"
    assert roster["W1"].role == "manager"
    assert roster["W2"].rates[-1].rate == 22
    [refreshed] = events(ledger_path, "sync.roster_refreshed")
    assert refreshed.payload["source"] == str(source)
    # Nothing changed: a second refresh adds no roster event (only its own record).
    count = len(events(ledger_path, "worker."))
    ot(cli, "sync", "refresh")
    assert len(events(ledger_path, "worker.")) == count


def test_automatic_refresh_after_24_hours(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    source = _configure(cli, ledger_path, tmp_path)
    first = auto_refresh(ledger_path, actor="A1", now=T0)
    assert first is not None  # never refreshed: due
    source.write_text(WORKERS + NEW_HIRE)
    assert auto_refresh(ledger_path, actor="A1", now=T0 + timedelta(hours=23)) is None
    with Ledger.open(ledger_path) as led:
        assert "N1" not in led.roster()
    assert auto_refresh(ledger_path, actor="A1", now=T0 + timedelta(hours=25)) is not None
    with Ledger.open(ledger_path) as led:
        assert "N1" in led.roster()


def test_bad_roster_file_writes_nothing(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    source = _configure(cli, ledger_path, tmp_path)
    source.write_text(WORKERS + "N1,Nia New,W9,19.00,L1,M1,worker,,,\n")
    before = len(events(ledger_path, ""))
    bad = ot(cli, "sync", "refresh", code=2)
    assert f"{source}:7:" in bad.stderr
    assert len(events(ledger_path, "")) == before
    write_config(ledger_path, "")
    assert "no roster source is configured" in ot(cli, "sync", "refresh", code=2).stderr
    assert refresh_roster(ledger_path, source=tmp_path / "workers.csv", actor="A1", now=T0).ran


def test_the_automatic_refresh_never_changes_who_is_an_admin(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """A review: with a roster source configured, any command of an admin's (a read: ``ot sync report``)
    applied the file unattended, so whoever could write it made themselves an admin, sealed with the
    admin's key. The automatic refresh now refuses a file that makes or unmakes an admin, nothing
    written, and says so on every command until an admin applies it with ``ot sync refresh``."""
    source = _configure(cli, ledger_path, tmp_path)
    assert auto_refresh(ledger_path, actor="A1", now=T0) is not None
    promoted = WORKERS.replace("M1,Mia Manager,W2,30.00,L1,A1,manager", "M1,Mia Manager,W2,99.00,L1,A1,admin")
    source.write_text(promoted + NEW_HIRE)
    before = len(events(ledger_path, ""))
    later = T0 + timedelta(hours=25)
    with pytest.raises(OtError) as refused:
        auto_refresh(ledger_path, actor="A1", now=later)
    assert "changes who is an admin" in refused.value.message
    assert [str(p) for p in refused.value.problems][:1] == ["worker M1: manager -> admin"]
    assert len(events(ledger_path, "")) == before  # nothing, not even the new hire
    shown = cli.invoke(main, ["--as", "A1", "workers"])
    assert "warning: the roster was not refreshed" in shown.stderr
    assert "ot sync refresh" in shown.stderr
    with Ledger.open(ledger_path) as led:
        assert led.roster()["M1"].role == "manager"
    # An admin who read the file applies it by hand.
    ot(cli, "sync", "refresh")
    with Ledger.open(ledger_path) as led:
        assert led.roster()["M1"].role == "admin"
        assert "N1" in led.roster()


def test_the_automatic_refresh_never_unmakes_an_admin(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    source = _configure(cli, ledger_path, tmp_path)
    assert auto_refresh(ledger_path, actor="A1", now=T0) is not None
    source.write_text(WORKERS.replace("M1,Mia Manager,W2,30.00,L1,A1,manager", "M1,Mia Manager,W2,30.00,L1,A1,admin"))
    ot(cli, "sync", "refresh")  # M1 an admin, by hand
    source.write_text(WORKERS)  # the file now demotes M1
    with pytest.raises(OtError, match="changes who is an admin"):  # the CLI's refresh ran on the real clock
        auto_refresh(ledger_path, actor="A1", now=datetime.now(UTC) + timedelta(hours=25))
    with Ledger.open(ledger_path) as led:
        assert led.roster()["M1"].role == "admin"


def test_a_worker_s_command_does_not_refresh_or_warn(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """Refreshing the roster is an admin's: a worker's or manager's command leaves it for an admin's next
    command, with no warning on each of theirs (a review: every command of theirs warned)."""
    source = _configure(cli, ledger_path, tmp_path)
    source.write_text(WORKERS + NEW_HIRE)
    assert auto_refresh(ledger_path, actor="M1", now=T0) is None
    shown = cli.invoke(main, ["--as", "M1", "workers"])
    assert "roster" not in shown.stderr
    with Ledger.open(ledger_path) as led:
        assert "N1" not in led.roster()
