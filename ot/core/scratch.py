"""Scratch folders that a killed command does not leave behind for good.

``ot ledger verify`` folds the whole ledger into a scratch database (hundreds of megabytes for a large
employer) in a temporary folder, and builds its checkpoint in another beside the ledger. A command
killed outright (``kill -9``, a machine shutting down) runs no clean-up, so each folder is named with
its process id (``ot-verify-<pid>-<random>``), and the next command that makes one removes those
of processes that are no longer running. A folder of a process still running is never touched,
nor one whose name carries no process id (another program's, or an older ot's).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["scratch_folder", "sweep"]


def _running(pid: int) -> bool:
    """Whether a process ``pid`` exists (another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:  # pragma: no cover - an odd pid: leave it
        return True
    return True


def sweep(prefix: str, parent: Path | None = None) -> list[Path]:
    """Remove the folders ``<prefix><pid>-*`` in ``parent`` (default: the temporary folder) that belong to
    this user and to processes no longer running; returns those removed."""
    where = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(where.iterdir())
    except OSError:
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix):
            continue
        pid_text, dash, _rest = name[len(prefix) :].partition("-")
        if not dash or not (pid_text.isascii() and pid_text.isdigit()):
            continue
        pid = int(pid_text)
        if pid == os.getpid() or _running(pid):
            continue
        with contextlib.suppress(OSError):
            info = entry.lstat()
            if not entry.is_dir() or entry.is_symlink() or (uid is not None and info.st_uid != uid):
                continue
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


@contextlib.contextmanager
def scratch_folder(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A new folder ``<prefix><pid>-<random>`` in ``parent`` (default: the temporary folder), removed on
    leaving; first the folders of this prefix left there by killed processes are removed (:func:`sweep`)."""
    sweep(prefix, parent)
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
