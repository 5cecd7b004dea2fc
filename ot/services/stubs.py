"""Pay stubs: the stub a pay run issued, or the preview of the one it would issue.

A paid period's stub is the one its pay run recorded (``payrun.worker_paid``
carries the stub as issued: lines, gross, corrections settled, notes), never
recomputed; corrections of its dates made since are shown after it, in a
section of their own. An unpaid period's stub is a preview computed exactly as
the pay run would compute it (:func:`ot.services.paycycle.settle`): the
worker's unpaid dates up to the period's end, priced by the engine (each
workweek whole, 29 CFR 778.104), the corrections the run would settle, and what
still blocks the timecard. Files are written atomically: each to a temporary
file in the target folder, renamed into place only when every file of the
batch is complete, so an error leaves nothing half-written.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from ledger.approvals import Payment
from ot.core.domain import Worker
from ot.core.errors import OtError, Problem
from ot.core.periods import PayPeriod
from ot.services.paycycle import Draft, correction_entries, drafts, settle
from ot.services.pool import default_jobs, fewer_collections, read_jobs
from ot.services.trust import check_projections
from ot.services.uow import UnitOfWork, unit_of_work
from ot.stubs import EXTENSIONS, FORMATS, render
from ot.stubs.build import DEFAULT_DISPLAY_POLICY, DISPLAY_POLICIES
from ot.stubs.codec import correction_to_json, stub_from_json, stub_to_json
from ot.stubs.model import PayStub, make_stub

PREVIEW_NOTE = "Not paid yet: a preview of what the next pay run would pay for these dates."


@dataclass(frozen=True)
class StubBatch:
    """Stubs of one pay period, ready to be written.

    Attributes:
        period: The pay period.
        stubs: One per worker paid (or with pay waiting) in it, by worker id.
        unpaid: Ids of workers in the roster with nothing paid or waiting in the period.
        notes: Remarks for the user (defaults in use).
    """

    period: PayPeriod
    stubs: tuple[PayStub, ...]
    unpaid: tuple[str, ...]
    notes: tuple[str, ...]


def unknown_worker(worker_id: str, roster: Mapping[str, Worker]) -> Problem:
    """The problem of a worker id the roster does not know, with the closest ids."""
    close = difflib.get_close_matches(worker_id, list(roster), n=3, cutoff=0.5)
    hint = (
        f"did you mean {', '.join(sorted(close))}?"
        if close
        else "check the worker id (`ot import workers` adds workers)"
    )
    return Problem(f"worker {worker_id}", f"no such worker in the roster: {hint}")


def _settings_notes(uow: UnitOfWork) -> list[str]:
    if uow.settings.hint:
        return ["Pay periods are not configured: biweekly periods from 2026-10-11 are assumed."]
    return []


def issued_stub(uow: UnitOfWork, payment: Payment) -> PayStub:
    """The stub a payment issued, with the corrections of its dates made since."""
    row = uow.ledger.connection.execute(
        "SELECT payload, kind, worker_id FROM events WHERE seq = ?", (payment.seq,)
    ).fetchone()
    if row is None or row[1] != "payrun.worker_paid" or row[2] != payment.worker_id:
        raise OtError(
            "refused: the payments table does not match the events",
            [Problem("table payments", f"row {payment.seq} is not that worker's payment: run `ot ledger verify`")],
        )
    payload = json.loads(row[0])
    if "stub" not in payload:  # a payment recorded by an older ot, before stubs were kept
        raise OtError(
            "this payment has no issued stub",
            [Problem(f"pay run {payment.run_id}", "it was recorded before ot kept issued stubs")],
        )
    stub = stub_from_json(payload["stub"])
    if payload.get("ledger_hash"):
        # The chain head the pay run read: `ot ledger verify --checkpoint` proves the ledger still holds it.
        head = f"Issued by pay run {payment.run_id} at ledger event {payload.get('ledger_seq')}, head {payload['ledger_hash']}."
        stub = replace(stub, notes=(*stub.notes, head))
    later = []
    for c in uow.pay.corrections(payment.worker_id):
        if c.seq <= payment.seq or c.action == "workweek":
            continue
        days = [date.fromisoformat(d["date"]) for d in c.dates]
        if (
            payment.paid_from
            and payment.paid_through
            and any(payment.paid_from <= d <= payment.paid_through for d in days)
        ):
            later.extend(
                correction_entries(c.correction_id, c.kind, c.timeframe, c.shift_id, c.action, c.reason, c.dates)
            )
    return replace(stub, later=tuple(later)) if later else stub


def _payment_of(uow: UnitOfWork, worker_id: str, period: PayPeriod) -> Payment | None:
    """The regular payment of the worker for this period, else one that paid the period's last date."""
    found = uow.pay.paid_in(worker_id, period.start)
    if found is not None:
        return found
    for p in reversed(uow.pay.payments_of(worker_id)):
        if p.kind == "regular" and p.paid_from and p.paid_through and p.paid_from <= period.end <= p.paid_through:
            return p
    return None


def check_display_policy(policy: str) -> None:
    """Refuse an unknown display rate policy, naming the option."""
    if policy not in DISPLAY_POLICIES:
        raise OtError(
            "no pay stub was made",
            [Problem("--display-rate", f"{policy!r} is not a display rate policy: use {', '.join(DISPLAY_POLICIES)}")],
        )


def _preview(uow: UnitOfWork, draft: Draft, display_policy: str) -> PayStub:
    notes = [PREVIEW_NOTE]
    notes.extend(f"Not paid yet: {p.where}: {p.message}" for p in draft.blockers)
    pay = settle(uow, draft, first_correction_id=uow.head()[0] + 1, notes=notes, display_policy=display_policy)
    return pay.stub


def _empty(uow: UnitOfWork, worker: Worker, period: PayPeriod, note: str) -> PayStub:
    return make_stub(
        employer=uow.employer,
        worker_id=worker.worker_id,
        worker_name=worker.name,
        worker_type=worker.type,
        period=period,
        lines=(),
        notes=(*_settings_notes(uow), note),
    )


def _stub_of(
    uow: UnitOfWork, worker_id: str, period: PayPeriod, draft: Draft | None, display_policy: str
) -> PayStub | None:
    payment = _payment_of(uow, worker_id, period)
    if payment is not None:
        stub = issued_stub(uow, payment)
        if payment.period_start != period.start:
            note = f"The dates of {period.label()} were paid by pay run {payment.run_id}: this is its stub."
            stub = replace(stub, notes=(note, *stub.notes))
        return stub
    if draft is not None and draft.has_pay:
        return _preview(uow, draft, display_policy)
    if draft is not None and draft.carried:
        owed = "; ".join(f"overpayment {c.correction_id}: {c.balance} still owed" for c in draft.carried)
        return _empty(
            uow,
            draft.worker,
            period,
            f"Nothing to pay in this period, so nothing can be deducted: {owed}; it carries forward to a later pay.",
        )
    return None


def build_stub(
    ledger_path: Path, worker_id: str, period_date: date, *, display_policy: str = DEFAULT_DISPLAY_POLICY
) -> PayStub:
    """The pay stub of ``worker_id`` for the pay period containing ``period_date``: as issued
    when paid, else the preview of what the next pay run would issue.

    ``display_policy`` fills a preview's Display rate column where no shift sets a
    display rate (``none``, ``profile``, ``regular_rate``: :mod:`ot.stubs.build`);
    an issued stub shows the display rates it was issued with."""
    check_display_policy(display_policy)
    with unit_of_work(ledger_path) as uow:
        if worker_id not in uow.roster:
            raise OtError("no pay stub was made", [unknown_worker(worker_id, uow.roster)])
        check_projections(uow)
        period = uow.period_containing(period_date)
        found = drafts(uow, period, [worker_id])
        stub = _stub_of(uow, worker_id, period, found[0] if found else None, display_policy)
        if stub is None:
            stub = _empty(uow, uow.roster[worker_id], period, "Nothing is paid or waiting to be paid in this period.")
        return stub


@fewer_collections()
def build_all(
    ledger_path: Path, period_date: date, *, display_policy: str = DEFAULT_DISPLAY_POLICY, jobs: int | None = None
) -> StubBatch:
    """A stub for every worker paid in the period containing ``period_date``, or with pay waiting
    (``display_policy`` as in :func:`build_stub`; ``jobs``: processes that price the workers,
    default the number of cores, :mod:`ot.services.pool`)."""
    check_display_policy(display_policy)
    workers = default_jobs() if jobs is None else read_jobs(jobs)
    with unit_of_work(ledger_path) as uow:
        uow.jobs = workers
        uow.lean = True
        check_projections(uow)
        period = uow.period_containing(period_date)
        by_worker = {d.worker_id: d for d in drafts(uow, period)}
        stubs: list[PayStub] = []
        unpaid: list[str] = []
        for worker_id in sorted(uow.roster):
            stub = _stub_of(uow, worker_id, period, by_worker.get(worker_id), display_policy)
            if stub is None:
                unpaid.append(worker_id)
            else:
                stubs.append(stub)
        return StubBatch(period, tuple(stubs), tuple(unpaid), tuple(_settings_notes(uow)))


def off_cycle_stub(ledger_path: Path, run_id: str) -> PayStub:
    """The stub an off-cycle payment issued (an ``IMMEDIATELY`` underpayment)."""
    with unit_of_work(ledger_path) as uow:
        found = uow.pay.payments_of_run(run_id)
        payment = next((p for p in found if p.kind == "off_cycle"), None)
        if payment is None:
            raise OtError(
                f"no off-cycle payment {run_id!r}", [Problem("run", "see `ot audit corrections` for the ids")]
            )
        return issued_stub(uow, payment)


# --- JSON ----------------------------------------------------------------------


def stub_json(stub: PayStub) -> dict[str, Any]:
    """A stub as JSON (``ot stub --json``): everything it prints, money as decimal text
    (:func:`ot.stubs.codec.stub_to_json`), with the corrections made since it was issued."""
    out = stub_to_json(stub)
    out["later"] = [correction_to_json(c) for c in stub.later]
    out["paid_with_stub"] = str(stub.paid_with_stub)
    return out


def batch_json(batch: StubBatch) -> dict[str, Any]:
    """A period's stubs as JSON (``ot stub --all --json``)."""
    p = batch.period
    return {
        "period": {"start": p.start.isoformat(), "end": p.end.isoformat(), "pay_date": p.pay_date.isoformat()},
        "stubs": [stub_json(s) for s in batch.stubs],
        "no_pay": list(batch.unpaid),
        "notes": list(batch.notes),
    }


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


#: Stubs rendered, written and synced together: one sync of the folder per batch.
WRITE_BATCH = 32


def _render_chunk(stubs: Sequence[PayStub], fmt: str) -> list[bytes]:
    """Each stub rendered as ``fmt`` (pure: what a pool's child runs)."""
    return [render(stub, fmt) for stub in stubs]


def _sync_folder(folder: Path, temps: Sequence[Path]) -> None:
    """Make the files just written in ``folder`` (and its entries) durable with one call: Linux
    ``syncfs``, else an ``fsync`` of each file and of the folder."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        if _syncfs(fd):
            return
        for temp in temps:  # pragma: no cover - no syncfs (not Linux)
            with temp.open("rb") as handle:
                os.fsync(handle.fileno())
        os.fsync(fd)  # pragma: no cover
    finally:
        os.close(fd)


def _syncfs(fd: int) -> bool:
    """``syncfs(fd)``: flush the file system holding ``fd``, True when done."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None or not hasattr(ctypes.CDLL(name), "syncfs"):  # pragma: no cover - not Linux
        return False
    return bool(ctypes.CDLL(name, use_errno=True).syncfs(fd) == 0)


def _temp_unsynced(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file in ``path``'s folder, not yet synced; return its path."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_batch(stubs: Sequence[PayStub], out_dir: Path, fmt: str, *, jobs: int = 1) -> Generator[Path, None, None]:
    """Render and write every stub into ``out_dir``; yields after each one.

    Stubs are rendered in batches of :data:`WRITE_BATCH` (by ``jobs`` processes,
    :mod:`ot.services.pool`; the bytes are the same with any), and each batch is
    written to temporary files as it comes and made durable with one sync of the
    folder, so memory stays that of a few batches. Only when all are written are
    they renamed into place (a crash or an error leaves no file half-written, and
    the temporary files are removed: nothing is left in ``out_dir``).
    """
    from ot.services.pool import batches, imap_parts, worth

    check_format(fmt)
    prepare_dir(out_dir)
    names = file_names(stubs, fmt)
    finals = [out_dir / name for name in names]
    temps: list[tuple[Path, Path]] = []
    done = False
    rendered = imap_parts(
        partial(_render_chunk, fmt=fmt), batches(stubs, WRITE_BATCH), worth(jobs, len(stubs)), "rendering"
    )
    try:
        for data in rendered:
            batch: list[Path] = []
            for blob in data:
                final = finals[len(temps)]
                try:
                    temp = _temp_unsynced(final, blob)
                except OSError as exc:
                    raise _write_problem(final, exc) from None
                temps.append((temp, final))
                batch.append(temp)
            try:
                _sync_folder(out_dir, batch)
            except OSError as exc:
                raise _write_problem(out_dir, exc) from None
            for k in range(len(temps) - len(batch), len(temps)):
                yield finals[k]
        for temp, final in temps:
            try:
                os.replace(temp, final)
            except OSError as exc:
                raise _write_problem(final, exc) from None
        _sync_folder(out_dir, [])  # the renames
        done = True
    finally:
        rendered.close()
        if not done:
            for temp, _ in temps:
                temp.unlink(missing_ok=True)
