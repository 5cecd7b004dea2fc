"""Pay stub previews from the ledger, and writing them to files.

``build_stub`` prices, through the engine (:func:`ot.services.pay.price_weeks`),
every workweek that overlaps the pay period, whole (overtime is a workweek
matter, 29 CFR 778.104), keeps the lines dated in the period, adds the
corrections the period settles (:func:`ot.services.corrections.stub_corrections`:
corrected dates marked "correction" with what was paid, what was due and the
deduction or payment that settles it), and assembles a
:class:`~ot.stubs.model.PayStub`. Files are written atomically: each to a
temporary file in the target folder, renamed into place only when every file
of the batch is complete, so an error leaves nothing half-written.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from ledger.approvals import ApprovalState
from ledger.store import Ledger
from ot.domain import Worker
from ot.errors import OtError, Problem
from ot.periods import PayPeriod
from ot.services import periods as period_service
from ot.services.approvals import read_state
from ot.services.corrections import corrections_on_stub, stub_corrections
from ot.services.pay import PricedWeek, PriceRun, price_weeks
from ot.stubs import EXTENSIONS, FORMATS, render
from ot.stubs.build import stub_from_weeks
from ot.stubs.layout import money
from ot.stubs.model import CorrectionEntry, Employer, PayStub


@dataclass(frozen=True)
class _Context:
    """What the ledger says about a stub besides its pay lines."""

    period: PayPeriod
    employer: Employer
    roster: dict[str, Worker]
    notes: tuple[str, ...]
    state: ApprovalState


@dataclass(frozen=True)
class StubBatch:
    """Stubs of one pay period, ready to be written.

    Attributes:
        period: The pay period.
        stubs: One per worker paid in it, by worker id.
        unpaid: Ids of workers in the roster with nothing paid in the period.
        notes: Remarks for the user (defaults in use, shifts left unpriced).
    """

    period: PayPeriod
    stubs: tuple[PayStub, ...]
    unpaid: tuple[str, ...]
    notes: tuple[str, ...]


def _context(ledger_path: Path, period_date: date, worker_id: str | None) -> _Context:
    with Ledger.open(ledger_path, create=False) as ledger:
        settings = period_service.period_settings(ledger)
        employer = period_service.employer(ledger)
        roster = ledger.roster()
        state = read_state(ledger)
    if worker_id is not None and worker_id not in roster:
        raise OtError("no pay stub was made", [unknown_worker(worker_id, roster)])
    notes: list[str] = []
    if settings.hint:
        notes.append("Pay periods are not configured: biweekly periods from 2026-10-11 are assumed.")
    return _Context(settings.schedule.period_containing(period_date), employer, roster, tuple(notes), state)


def _weeks(run: PriceRun) -> dict[str, list[PricedWeek]]:
    out: dict[str, list[PricedWeek]] = {}
    for week in run.weeks:
        out.setdefault(week.worker.worker_id, []).append(week)
    return out


def _display_rates(weeks: Iterable[PricedWeek]) -> dict[str, Decimal]:
    return {s.shift_id: s.display_rate for w in weeks for s in w.shifts if s.display_rate is not None}


def _stub(
    ctx: _Context,
    worker_id: str,
    weeks: Sequence[PricedWeek],
    run: PriceRun,
    notes: Iterable[str],
    corrections: Iterable[CorrectionEntry],
) -> PayStub:
    return stub_from_weeks(
        employer=ctx.employer,
        worker=ctx.roster[worker_id],
        period=ctx.period,
        weeks=[w.result for w in weeks],
        locations=run.locations,
        display_rates=_display_rates(weeks),
        corrections=corrections,
        notes=notes,
    )


def _corrected_workers(ctx: _Context) -> set[str]:
    """Workers whose stub of the period shows corrections."""
    state = ctx.state
    return {c.worker_id for c in state.corrections if corrections_on_stub(state, c.worker_id, ctx.period.start)}


def _with_payment(ctx: _Context, stub: PayStub) -> PayStub:
    """The stub with a note when its period was paid a gross other than the
    ledger now gives (a correction, settled on a later stub)."""
    payment = ctx.state.paid_in(stub.worker_id, ctx.period.start)
    if payment is None or payment.gross == stub.gross:
        return stub
    note = (
        f"This period was paid a gross of {money(payment.gross)} by pay run {payment.run_id}. The lines above are "
        "recomputed from the ledger as it is now; the difference is a correction, settled on a later stub."
    )
    return replace(stub, notes=(note, *stub.notes))


def unknown_worker(worker_id: str, roster: Mapping[str, Worker]) -> Problem:
    """The problem of a worker id the roster does not know, with the closest ids."""
    close = difflib.get_close_matches(worker_id, list(roster), n=3, cutoff=0.5)
    hint = (
        f"did you mean {', '.join(sorted(close))}?"
        if close
        else "check the worker id (`ot import workers` adds workers)"
    )
    return Problem(f"worker {worker_id}", f"no such worker in the roster: {hint}")


def build_stub(ledger_path: Path, worker_id: str, period_date: date) -> PayStub:
    """The pay stub preview of ``worker_id`` for the pay period containing ``period_date``.

    Every workweek overlapping the period is priced whole (``price_weeks``);
    the stub keeps the lines dated in the period.
    """
    ctx = _context(ledger_path, period_date, worker_id)
    run = price_weeks(ledger_path, [worker_id], ctx.period.start, ctx.period.end)
    notes = [*ctx.notes, *(f"Not paid yet: {where}: {why}." for where, why in run.skipped)]
    corrections = stub_corrections(ledger_path, worker_id, period_date)
    return _with_payment(ctx, _stub(ctx, worker_id, _weeks(run).get(worker_id, []), run, notes, corrections))


def build_all(ledger_path: Path, period_date: date) -> StubBatch:
    """A stub for every worker with pay in the period containing ``period_date``."""
    ctx = _context(ledger_path, period_date, None)
    run = price_weeks(ledger_path, None, ctx.period.start, ctx.period.end)
    weeks = _weeks(run)
    corrected = _corrected_workers(ctx)
    stubs: list[PayStub] = []
    unpaid: list[str] = []
    for worker_id in sorted(ctx.roster):
        corrections = stub_corrections(ledger_path, worker_id, period_date) if worker_id in corrected else ()
        stub = _with_payment(ctx, _stub(ctx, worker_id, weeks.get(worker_id, []), run, ctx.notes, corrections))
        if stub.lines or stub.leave or stub.corrections:
            stubs.append(stub)
        else:
            unpaid.append(worker_id)
    notes = [*ctx.notes, *(f"not paid yet: {where}: {why}" for where, why in run.skipped)]
    return StubBatch(ctx.period, tuple(stubs), tuple(unpaid), tuple(notes))


# --- files ---------------------------------------------------------------------


def check_format(fmt: str) -> None:
    """Refuse an unknown format, naming the option."""
    if fmt not in FORMATS:
        raise OtError(
            "no pay stub was made", [Problem("--format", f"{fmt!r} is not a format: use {', '.join(FORMATS)}")]
        )


def _write_problem(path: Path, exc: OSError) -> OtError:
    reason = exc.strerror or str(exc)
    return OtError(
        "nothing was written",
        [Problem(str(path), f"cannot write here ({reason}): give -o a path in a folder you can write to")],
    )


def _temp_beside(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file in ``path``'s folder; return its path."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (a temporary file, then a rename)."""
    if path.is_dir():
        raise OtError("nothing was written", [Problem(str(path), "is a folder: give -o a file name")])
    if not path.parent.is_dir():
        raise OtError(
            "nothing was written", [Problem(str(path), f"the folder {path.parent} does not exist: create it first")]
        )
    try:
        temp = _temp_beside(path, data)
    except OSError as exc:
        raise _write_problem(path, exc) from None
    try:
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _write_problem(path, exc) from None


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_names(stubs: Iterable[PayStub], fmt: str) -> list[str]:
    """One distinct, portable file name per stub: ``stub-W1-2026-10-11.txt``."""
    names: list[str] = []
    taken: set[str] = set()
    for stub in stubs:
        safe = _UNSAFE.sub("_", stub.worker_id).strip("._-") or "worker"
        base = f"stub-{safe}-{stub.period.start.isoformat()}"
        name = f"{base}.{EXTENSIONS[fmt]}"
        n = 2
        while name.lower() in taken:
            name = f"{base}-{n}.{EXTENSIONS[fmt]}"
            n += 1
        taken.add(name.lower())
        names.append(name)
    return names


def prepare_dir(out_dir: Path) -> Path:
    """Make sure ``out_dir`` is a folder we can write to (creating it if missing)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OtError("nothing was written", [Problem(str(out_dir), "is a file: give --all -o a folder")])
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = _temp_beside(out_dir / "probe", b"")
        probe.unlink()
    except OSError as exc:
        raise OtError(
            "nothing was written",
            [Problem(str(out_dir), f"cannot write here ({exc.strerror or exc}): give -o a folder you can write to")],
        ) from None
    return out_dir


def write_batch(stubs: Sequence[PayStub], out_dir: Path, fmt: str) -> Generator[Path, None, None]:
    """Render and write every stub into ``out_dir``; yields after each one.

    Each is written to a temporary file first; only when all are written are
    they renamed into place. On any error (or if the caller stops early) the
    temporary files are removed and nothing is left in ``out_dir``.
    """
    check_format(fmt)
    prepare_dir(out_dir)
    names = file_names(stubs, fmt)
    temps: list[tuple[Path, Path]] = []
    done = False
    try:
        for stub, name in zip(stubs, names, strict=True):
            final = out_dir / name
            try:
                temps.append((_temp_beside(final, render(stub, fmt)), final))
            except OSError as exc:
                raise _write_problem(final, exc) from None
            yield final
        for temp, final in temps:
            try:
                os.replace(temp, final)
            except OSError as exc:
                raise _write_problem(final, exc) from None
        done = True
    finally:
        if not done:
            for temp, _ in temps:
                temp.unlink(missing_ok=True)
