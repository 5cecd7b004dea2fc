"""Pay stub previews and exports for the terminal UI's Pay stubs screen.

Built on :mod:`ot.services.stubs` (which prices and writes): the preview of a
worker's stub as the text it prints, moving by pay period, the export folder
(an ``ot-stubs`` folder beside the ledger by default; :func:`folder_problems`
checks one typed by the user without creating anything), the export of one
stub and of every worker of a period with progress reported after each file.
Every export is atomic: a file appears whole or not at all, and a batch leaves
nothing behind unless every file of it was written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ot.core.errors import OtError, Problem
from ot.core.periods import PayPeriod
from ot.services import periods as period_service
from ot.services import stubs as stub_service
from ot.services.pool import default_jobs, read_jobs
from ot.stubs import render
from ot.stubs.build import DEFAULT_DISPLAY_POLICY
from ot.stubs.layout import money
from ot.stubs.model import PayStub

#: The folder exports go to unless the user picks another, beside the ledger.
DEFAULT_FOLDER_NAME = "ot-stubs"

#: Formats the screen exports, with the names it shows.
EXPORT_FORMATS: dict[str, str] = {"html": "HTML", "pdf": "PDF"}


@dataclass(frozen=True)
class StubPreview:
    """One worker's stub for one pay period, as the screen shows it.

    Attributes:
        stub: The stub record (what the exports render).
        text: The stub rendered as text, exactly as ``ot stub`` prints it (80 columns).
        corrections: How many corrections the stub settles (their lines are marked ``*``).
        gross_text: The gross as the stub prints it (``$1,100.00``).
        paid_text: What the stub pays out (gross and corrections) as printed.
    """

    stub: PayStub
    text: str
    corrections: int
    gross_text: str
    paid_text: str

    @property
    def period(self) -> PayPeriod:
        """The stub's pay period."""
        return self.stub.period

    @property
    def gross(self) -> Decimal:
        """The stub's gross pay."""
        return self.stub.gross


@dataclass(frozen=True)
class BatchExport:
    """What exporting every worker of a period wrote.

    Attributes:
        period: The pay period.
        folder: The folder written into.
        fmt: ``html`` or ``pdf``.
        paths: The files written, one per worker paid in the period, by worker id.
        unpaid: Ids of workers with nothing paid in the period (no file).
        notes: Remarks from pricing (defaults in use, shifts left unpriced).
    """

    period: PayPeriod
    folder: Path
    fmt: str
    paths: tuple[Path, ...]
    unpaid: tuple[str, ...]
    notes: tuple[str, ...]


#: Progress of a batch: (files done, files in all); in all is None while the period is priced.
Progress = Callable[[int, int | None], None]


def _no_progress(done: int, total: int | None) -> None:
    return None


def _not_cancelled() -> bool:
    return False


def default_folder(ledger_path: Path) -> Path:
    """The default export folder: ``ot-stubs`` beside the ledger (relative when the ledger's path is)."""
    return Path(ledger_path).parent / DEFAULT_FOLDER_NAME


def preview(
    ledger_path: Path, worker_id: str, day: date, *, display_policy: str = DEFAULT_DISPLAY_POLICY
) -> StubPreview:
    """The stub of ``worker_id`` for the pay period containing ``day``, with its text
    (``display_policy``: see :func:`ot.services.stubs.build_stub`)."""
    stub = stub_service.build_stub(ledger_path, worker_id, day, display_policy=display_policy)
    return StubPreview(
        stub,
        render(stub, "text").decode("utf-8"),
        len(stub.corrections),
        money(stub.gross),
        money(stub.paid_with_stub),
    )


def period_day(ledger_path: Path, day: date, step: int) -> date:
    """The first day of the pay period ``step`` periods after (before, if negative)
    the one containing ``day``, in the ledger's pay schedule."""
    schedule = period_service.current_settings(ledger_path).schedule
    period = schedule.period_containing(day)
    for _ in range(abs(step)):
        day = period.end + timedelta(days=1) if step > 0 else period.start - timedelta(days=1)
        period = schedule.period_containing(day)
    return period.start


def resolve_folder(text: str, ledger_path: Path) -> Path:
    """The folder the user typed: ``~`` expanded, a relative path taken from the ledger's folder."""
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else Path(ledger_path).absolute().parent / path


def folder_problems(text: str, ledger_path: Path) -> list[Problem]:
    """What is wrong with ``text`` as an export folder (nothing is created or written).

    A folder that does not exist yet is fine when the nearest existing folder
    above it can be written to (the export creates it).
    """
    if not text.strip():
        return [Problem("folder", "is empty: type the folder to write the stubs into")]
    return _path_problems(resolve_folder(text, ledger_path))


def _path_problems(path: Path) -> list[Problem]:
    if path.exists() and not path.is_dir():
        return [Problem(str(path), "is a file: give a folder")]
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return [Problem(str(path), f"{existing} is a file, not a folder: give a folder you can write to")]
    if not os.access(existing, os.W_OK | os.X_OK):
        what = "this folder" if existing == path else f"the folder {existing}"
        return [Problem(str(path), f"cannot write in {what}: give a folder you can write to")]
    return []


def check_folder(text: str, ledger_path: Path) -> Path:
    """The folder of ``text``, or an :class:`OtError` saying what is wrong with it."""
    problems = folder_problems(text, ledger_path)
    if problems:
        raise OtError("the export folder was not changed", problems)
    return resolve_folder(text, ledger_path)


def _check_export_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise OtError("nothing was written", [Problem("format", f"{fmt!r} is not an export format: use html or pdf")])


def _prepare(folder: Path) -> None:
    """Refuse a folder that cannot be written (saying why, in the screen's words), else create it."""
    problems = _path_problems(folder)
    if problems:
        raise OtError("nothing was written", problems)
    stub_service.prepare_dir(folder)


def export_one(stub: PayStub, folder: Path, fmt: str) -> Path:
    """Write ``stub`` as ``fmt`` into ``folder`` (created if missing), atomically; the file's path.

    The file is named like ``ot stub --all`` names it: ``stub-W02-2026-10-25.html``.
    """
    _check_export_format(fmt)
    _prepare(folder)
    path = folder / stub_service.file_names([stub], fmt)[0]
    stub_service.write_atomic(path, render(stub, fmt))
    return path


def export_all(
    ledger_path: Path,
    day: date,
    folder: Path,
    fmt: str,
    progress: Progress = _no_progress,
    cancelled: Callable[[], bool] = _not_cancelled,
    *,
    display_policy: str = DEFAULT_DISPLAY_POLICY,
    jobs: int | None = None,
) -> BatchExport:
    """Write the stub of every worker paid in the period containing ``day`` into ``folder``.

    ``progress(done, total)`` is called once before the period is priced
    (``total`` None), then after each file. Files appear only when every one is
    written; an error, or ``cancelled()`` turning true, leaves nothing behind. ``jobs``: processes
    that price and render the stubs (default: the number of cores, :mod:`ot.services.pool`).
    """
    _check_export_format(fmt)
    _prepare(folder)
    progress(0, None)
    workers = default_jobs() if jobs is None else read_jobs(jobs)
    batch = stub_service.build_all(ledger_path, day, display_policy=display_policy, jobs=workers)
    total = len(batch.stubs)
    progress(0, total)
    paths: list[Path] = []
    writing = stub_service.write_batch(batch.stubs, folder, fmt, jobs=workers)
    try:
        for path in writing:
            if cancelled():
                raise OtError("the export was stopped", [Problem(str(folder), "nothing was written")])
            paths.append(path)
            progress(len(paths), total)
    finally:
        writing.close()  # on an early stop, removes the temporary files
    return BatchExport(batch.period, folder, fmt, tuple(paths), batch.unpaid, batch.notes)
