"""Single-file syrupy snapshots with real extensions (.txt, .html)."""

from __future__ import annotations

from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode


class TextSnapshot(SingleFileSnapshotExtension):
    """A snapshot stored as one ``.txt`` file."""

    file_extension = "txt"
    _write_mode = WriteMode.TEXT


class HTMLSnapshot(SingleFileSnapshotExtension):
    """A snapshot stored as one ``.html`` file."""

    file_extension = "html"
    _write_mode = WriteMode.TEXT
