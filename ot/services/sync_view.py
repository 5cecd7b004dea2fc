"""What the Sync report screen shows: the Hours Sync Report plus the config and roster state.

:func:`sync_view` reads, in one call (for a worker thread), whether a sync config
exists, the report of :func:`ot.services.sync.sync_report`, and when the roster was
last refreshed; :func:`send_shift` and :func:`send_waiting` are the screen's sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ot.services.browse import ledger_head
from ot.services.sync import ReportWeek, SyncRun, run_sync, sync_report
from ot.services.uow import unit_of_work
from ot.sync import outbox
from ot.sync.config import config_path, load_config

__all__ = ["SyncView", "send_shift", "send_waiting", "sync_stamp", "sync_view"]

#: Where configuring a sync target is explained.
CONFIG_DOC = "docs/sync-csv.md"


@dataclass(frozen=True)
class SyncView:
    """The Sync report screen's data.

    Attributes:
        config_file: The sync config read, or where one is looked for when there is none.
        configured: True when the config names at least one target.
        targets: The target names, in file order.
        roster_source: The configured workers file (None: no automatic roster source).
        last_refresh: When the roster was last refreshed (None: never).
        weeks: The Hours Sync Report, workweeks that need attention first.
        stamp: :func:`sync_stamp` when it was read (the screen re-reads when it moves).
    """

    config_file: Path
    configured: bool
    targets: tuple[str, ...]
    roster_source: Path | None
    last_refresh: datetime | None
    weeks: tuple[ReportWeek, ...]
    stamp: tuple[int, int] = (0, 0)

    def count(self, status: str) -> int:
        """How many report rows have ``status`` (Sent, Send or Error)."""
        return sum(1 for w in self.weeks for r in w.rows if r.status == status)


def sync_stamp(ledger_path: Path) -> tuple[int, int]:
    """(ledger head, sync config mtime in ns; 0 when none): cheap, and it moves when the report may have."""
    path = config_path(ledger_path)
    return ledger_head(ledger_path), path.stat().st_mtime_ns if path.exists() else 0


def sync_view(ledger_path: Path, *, now: datetime, actor: str | None = None) -> SyncView:
    """Read the config, the report and the last roster refresh (raises OtError on a broken config);
    ``actor``: who reads it (``sync_report``'s)."""
    stamp = sync_stamp(ledger_path)
    config = load_config(ledger_path)
    with unit_of_work(ledger_path) as uow:
        last = outbox.read_state(uow.ledger.connection, ()).last_refresh
    weeks = sync_report(ledger_path, now=now, actor=actor) if config.targets else ()
    return SyncView(
        config_file=config.path or config_path(ledger_path),
        configured=bool(config.targets),
        targets=tuple(config.targets),
        roster_source=config.roster.workers_file,
        last_refresh=last,
        weeks=weeks,
        stamp=stamp,
    )


def send_shift(ledger_path: Path, shift_id: str, target: str, *, actor: str, now: datetime) -> SyncRun:
    """Send one shift to one target by hand (also retries one in Error), as ``ot sync send``."""
    return run_sync(ledger_path, target_name=target, only=shift_id, actor=actor, now=now)


def send_waiting(ledger_path: Path, *, actor: str, now: datetime) -> SyncRun:
    """Send everything waiting to every target, as ``ot sync``."""
    return run_sync(ledger_path, actor=actor, now=now)
