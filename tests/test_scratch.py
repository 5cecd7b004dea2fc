"""Scratch folders a killed command leaves are removed by the next one that makes one (ot.core.scratch)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ot.core.scratch import scratch_folder, sweep


def _ended_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_only_the_folders_of_ended_processes_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / f"ot-verify-{_ended_pid()}-abc"
    dead.mkdir()
    (dead / "fresh.db").write_bytes(b"x" * 1000)
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as running:
        try:
            alive = tmp_path / f"ot-verify-{running.pid}-abc"
            mine = tmp_path / f"ot-verify-{os.getpid()}-abc"
            unnamed = tmp_path / "ot-verify-abcdefgh"  # an older ot's: no process id, left alone
            other = tmp_path / f"other-{_ended_pid()}-abc"
            for folder in (alive, mine, unnamed, other):
                folder.mkdir()
            plain = tmp_path / f"ot-verify-{_ended_pid()}-file"
            plain.write_text("not a folder")
            assert sweep("ot-verify-", tmp_path) == [dead]
            assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
                p.name for p in (alive, mine, unnamed, other, plain)
            )
        finally:
            running.kill()


def test_a_scratch_folder_is_named_for_its_process_and_removed_after(tmp_path: Path) -> None:
    left = tmp_path / f"ot-verify-{_ended_pid()}-xyz"
    left.mkdir()
    with scratch_folder("ot-verify-", tmp_path) as folder:
        assert folder.name.startswith(f"ot-verify-{os.getpid()}-")
        assert not left.exists()
        (folder / "fresh.db").write_text("fold")
    assert list(tmp_path.iterdir()) == []
