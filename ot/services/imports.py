"""``ot import``: read a CSV file (optionally through a column mapping) into the ledger.

The whole file is validated first, inside the write transaction, against the
roster and locations that transaction sees; then all of its events are
appended in that same transaction, or, on any bad row, nothing is (the
:class:`ot.core.errors.OtError` lists every bad row and rolls the transaction
back). ``dry_run`` reports what would be added and writes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from ledger.events import NewEvent
from ledger.imports import (
    FileText,
    check_punches,
    decode,
    demoted_admins,
    iter_punch_events,
    plan_locations,
    plan_workers,
    read_bounded,
    stream_punches,
)
from ledger.mapping import ColumnMapping, load_mapping
from ledger.store import Ledger, Writer
from ot.core.domain import Location, Worker
from ot.core.errors import OtError, Problem
from ot.services.periods import EMPLOYER_EVENT, PERIOD_EVENT
from ot.services.pool import fewer_collections
from ot.services.ruleset import pin_default_rules

__all__ = ["LAYOUT_NAMES", "ImportReport", "describe", "import_file", "import_text"]

LAYOUT_NAMES = ("locations", "workers", "punches", "earnings")


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, with ``dry_run``, would do).

    Attributes:
        layout: ``locations``, ``workers`` or ``punches``.
        file: The file as named by the user.
        rows: Data rows read.
        added: Events added (or that would be), by kind.
        already: Rows that added nothing (already in the ledger, or repeated in the file).
        notes: Things to act on that did not stop the import (a shared PIN...).
        dry_run: True when nothing was written.
    """

    layout: str
    file: str
    rows: int
    added: Mapping[str, int] = field(default_factory=dict)
    already: int = 0
    notes: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def total_added(self) -> int:
        """Number of events added (or that would be)."""
        return sum(self.added.values())


class _Reads(Protocol):
    def roster(self) -> dict[str, Worker]: ...
    def locations(self) -> dict[str, Location]: ...
    def has_key(self, key: str) -> bool: ...
    def present_keys(self, events: Sequence[NewEvent]) -> set[str]: ...
    def pin_salt(self) -> bytes: ...


def _new_only(reads: _Reads, events: Iterable[NewEvent], *, batch: int = 20_000) -> tuple[Counter[str], int]:
    """Counts by kind of the events whose keys are new (in the ledger and earlier in the file).

    The ledger is asked about a bounded batch of keys at a time (one statement each), so a
    million-row dry run neither asks a million questions nor holds the file; the keys seen
    earlier in the file are kept to tell a row repeated in it.
    """
    seen: set[str] = set()
    added: Counter[str] = Counter()
    skipped = 0

    def count(chunk: list[NewEvent]) -> None:
        nonlocal skipped
        present = reads.present_keys(chunk)
        for e in chunk:
            if e.key is not None and (e.key in seen or e.key in present):
                skipped += 1
                continue
            if e.key is not None:
                seen.add(e.key)
            added[e.kind] += 1

    chunk: list[NewEvent] = []
    for e in events:
        chunk.append(e)
        if len(chunk) >= batch:
            count(chunk)
            chunk = []
    count(chunk)
    return added, skipped


def _plan(
    reads: _Reads, layout: str, data: bytes, file: str, mapping: ColumnMapping | None, now: datetime
) -> tuple[list[NewEvent], int, int, tuple[str, ...]]:
    """(events, rows, unchanged rows, notes) of a locations or workers file."""
    if layout == "locations":
        plan = plan_locations(data, file, reads.locations(), mapping)
    else:
        from ot.services.pins import PinBook

        plan = plan_workers(
            data,
            file,
            reads.roster(),
            reads.locations(),
            today=now.date(),
            pins=PinBook(reads, create=True),  # type: ignore[arg-type]
            mapping=mapping,
        )
    return list(plan.events), plan.rows, plan.unchanged, plan.notes


def import_text(
    ledger: Ledger,
    layout: str,
    data: bytes | str | FileText,
    file: str,
    *,
    mapping: ColumnMapping | None = None,
    dry_run: bool = False,
    actor: str,
    now: datetime,
    source: str | None = None,
) -> ImportReport:
    """Import one file's content (or a punches file streamed, :class:`FileText`) into an open ledger
    (all of it, or nothing)."""
    if layout not in LAYOUT_NAMES:
        raise OtError(f"unknown layout {layout!r}: use {', '.join(LAYOUT_NAMES)}")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if dry_run:
        return _dry_run(ledger, layout, raw, file, mapping, now)
    with ledger.write(actor=actor, now=now) as tx:
        report = _import_in(tx, layout, raw, file, mapping, now, source)
        if report.total_added:
            pin_default_rules(tx)
        return report


def _import_in(
    tx: Writer,
    layout: str,
    raw: bytes | FileText,
    file: str,
    mapping: ColumnMapping | None,
    now: datetime,
    source: str | None,
) -> ImportReport:
    """Validate the whole file against what ``tx`` sees and append all of it in ``tx``, or raise.

    Locations and workers are planned whole, then appended. Punches stream in
    one pass (a file may hold a million): any bad row raises after the walk,
    which rolls the transaction back, so nothing of the file is written.
    """
    if layout == "punches":
        text = raw if isinstance(raw, FileText) else decode(raw, file)
        roster, locations = tx.roster(), tx.locations()
        rows, count = stream_punches(text, file, roster, locations, mapping, tx.extend, source=source)
        return ImportReport(layout, file, rows, {"punch.recorded": count} if count else {}, rows - count)
    assert isinstance(raw, bytes)
    events, rows, unchanged, notes = _plan(tx, layout, raw, file, mapping, now)
    # The importing admin's own row changes go last, and of those the change of their row (their role) the
    # very last: a hand-over (another made an admin, then oneself demoted) keeps every other event of the
    # file recorded while they are an admin, even when the append is sealed chunk by chunk (``ledger.seals``
    # judges each chunk as of its start: their own new rate or PIN after their demotion, in the next chunk,
    # was flagged).
    events.sort(
        key=lambda e: (
            e.worker_id == tx.actor and e.kind != "worker.added",
            e.worker_id == tx.actor and e.kind == "worker.changed",
        )
    )
    added = tx.append(events)
    kinds = Counter(e.kind for e in added)
    return ImportReport(layout, file, rows, dict(kinds), unchanged + (len(events) - len(added)), notes)


def _dry_run(
    ledger: Ledger, layout: str, raw: bytes | FileText, file: str, mapping: ColumnMapping | None, now: datetime
) -> ImportReport:
    if layout == "punches":
        text = raw if isinstance(raw, FileText) else decode(raw, file)
        roster, locations = ledger.roster(), ledger.locations()
        rows = check_punches(text, file, roster, locations, mapping)
        added, skipped = _new_only(ledger, iter_punch_events(text, file, roster, locations, mapping))
        return ImportReport(layout, file, rows, dict(added), skipped, dry_run=True)
    assert isinstance(raw, bytes)
    events, rows, unchanged, notes = _plan(ledger, layout, raw, file, mapping, now)
    added, skipped = _new_only(ledger, events)
    return ImportReport(layout, file, rows, dict(added), unchanged + skipped, notes, dry_run=True)


@fewer_collections()
def import_file(
    ledger_path: Path,
    layout: str,
    file: Path,
    *,
    mapping_path: Path | None = None,
    dry_run: bool = False,
    correction_authorized: bool = False,
    reason: str | None = None,
    timeframe: str | None = None,
    actor: str,
    now: datetime,
) -> ImportReport:
    """``ot import LAYOUT FILE [--mapping PROFILE] [--dry-run]``: the whole file, or nothing.

    When what the file adds would change what paid dates were paid (a punch on
    a paid date, a pay rate dated into a paid week, a worker's type or default
    location, a location's state or zone), the import is refused with the
    corrections it would make, unless ``correction_authorized`` with a reason
    (:func:`ot.services.repricing.gate`).
    """
    if layout == "earnings":  # their own layout and checks (ot.services.earnings)
        from ot.services.earnings import import_earnings_report

        return import_earnings_report(
            ledger_path,
            file,
            dry_run=dry_run,
            correction_authorized=correction_authorized,
            reason=reason,
            actor=actor,
            now=now,
        )
    data: bytes | FileText
    try:
        if layout == "punches":  # streamed: read line by line, never whole (FileText)
            with file.open("rb"):
                pass
            data = FileText(file, str(file))
        else:  # read whole, but never a line past MAX_LINE_BYTES (a file with no line ends)
            data = read_bounded(file, str(file))
    except OSError as exc:
        raise OtError(
            f"cannot read {file}: {exc.strerror}", [Problem(str(file), "check the path and try again")]
        ) from None
    mapping = load_mapping(mapping_path) if mapping_path is not None else None
    if layout not in LAYOUT_NAMES:
        raise OtError(f"unknown layout {layout!r}: use {', '.join(LAYOUT_NAMES)}")
    if dry_run and not Path(ledger_path).exists():
        # A dry run against a ledger that does not exist yet checks against an empty one and creates no file.
        with Ledger.open(":memory:") as ledger:
            return import_text(ledger, layout, data, str(file), mapping=mapping, dry_run=True, actor=actor, now=now)
    from ot.services.repricing import affected_since, gate
    from ot.services.uow import unit_of_work

    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run, create=True) as uow:
        uow.require(f"import {layout}")
        assert isinstance(uow.reads, Writer)
        before = uow.head()[0]
        admins = uow.admins() if layout == "workers" else []
        report = _import_in(uow.reads, layout, data, str(file), mapping, now, None)
        try:
            uow.keep_an_admin(admins)
        except OtError as exc:
            located = demoted_admins(data, str(file), admins, mapping) if isinstance(data, bytes) else []
            if not located:
                raise
            raise OtError(exc.message, located) from None
        if report.total_added:
            pin_default_rules(uow.reads)
            uow.refresh()
            corrections = gate(
                uow,
                affected_since(uow, before),
                authorized=correction_authorized,
                reason=reason,
                timeframe=timeframe,
                action=layout,
                what=f"importing {file.name}",
            )
            if corrections:
                report = replace(report, notes=(*report.notes, *(f"correction {c.text()}" for c in corrections)))
        if dry_run:
            report = replace(report, dry_run=True)
    return report


def describe(report: ImportReport) -> str:
    """The lines ``ot import`` prints."""
    verb = "would add" if report.dry_run else "added"
    what = ", ".join(f"{n} {kind}" for kind, n in sorted(report.added.items())) or "nothing new"
    lines = [f"{report.file}: {report.rows} {report.layout} rows read; {verb} {report.total_added} events ({what})"]
    if report.already:
        lines.append(f"{report.already} rows added nothing new (already in the ledger, or repeated in the file)")
    lines.extend(f"note: {n}" for n in report.notes)
    if report.dry_run:
        lines.append("dry run: nothing was written")
    return "\n".join(lines)


@dataclass(frozen=True)
class DemoResult:
    """What ``ot demo`` did.

    Attributes:
        reports: One report per demo file, in import order.
        message: The closing lines: the employer, the admin's id and a sample PIN.
    """

    reports: tuple[ImportReport, ...]
    message: str


def load_demo(ledger_path: Path, *, actor: str, now: datetime) -> DemoResult:
    """Import the demo company (``ledger.demo``) through the import path, in one transaction, as its
    admin; then make keys for its admin, managers and kiosk (in this user's key folder, reused when held)
    and enrol them, so that every later write is sealed and the tour works.

    Deterministic: running it twice adds nothing the second time. ``actor`` is kept for callers; the
    demo acts as its admin.
    """
    from ledger import demo
    from ot.services.uow import unit_of_work

    reports: list[ImportReport] = []
    with unit_of_work(ledger_path, actor=demo.ADMIN_ID, now=now, write=True, create=True) as uow:
        # The demo acts as its admin: on a ledger where A1 may not act as one (set up by someone else,
        # or A1 demoted), it is refused like any import (a review: it wrote as A1 anyway, and made A1 an
        # admin again; verify then flagged it, and PostgreSQL replicas refused to pull).
        uow.require("import workers")
        assert isinstance(uow.reads, Writer)
        tx = uow.reads
        for f in demo.demo_files():
            reports.append(_import_in(tx, f.layout, f.text.encode("utf-8"), f.name, None, now, "demo"))
        # The employer on the stubs, and biweekly pay periods (paid five days after they end).
        tx.append(
            [
                NewEvent(
                    EMPLOYER_EVENT,
                    {"name": demo.EMPLOYER_NAME, "address": [demo.EMPLOYER_ADDRESS]},
                    key="demo:employer",
                ),
                NewEvent(
                    PERIOD_EVENT,
                    {"frequency": "biweekly", "anchor": "2026-10-11", "pay_date_offset": 5, "effective": None},
                    key="demo:pay-periods",
                ),
            ]
        )
        pin_default_rules(tx)
        managers = sorted(w for w, worker in uow.reads.roster().items() if worker.role == "manager")
    _demo_keys(ledger_path, demo.ADMIN_ID, [*managers, demo.KIOSK_ID], now)
    worker, pin = demo.sample_pin()
    message = "\n".join(
        [
            f"demo company: {demo.EMPLOYER_NAME}, {demo.EMPLOYER_ADDRESS}",
            f"weeks {demo.DEMO_FIRST_DAY.isoformat()} to {demo.DEMO_LAST_DAY.isoformat()} in {ledger_path}",
            f"admin: {demo.ADMIN_ID} (use --as {demo.ADMIN_ID}); sample PIN: {pin} (worker {worker}); "
            f"punch at the demo kiosk: ot --as {demo.KIOSK_ID} punch in (then type the PIN)",
            f"try: ot shifts --worker {worker} --week 2026-11-02",
        ]
    )
    return DemoResult(tuple(reports), message)


def _demo_keys(ledger_path: Path, admin: str, others: list[str], now: datetime) -> None:
    """Keys for the demo's admin (who bootstraps the ledger), managers and kiosk, enrolled once."""
    from ot.services.keys import init_key, load_signer
    from ot.services.users import enrol

    def held(user: str) -> str:
        signer = load_signer(user) or init_key(user)
        return signer.public

    with Ledger.open(ledger_path) as ledger:
        enrolled = {(u, k) for k, u, *_rest in ledger.identities()}
    held(admin)
    if not enrolled:
        enrol(ledger_path, admin, bootstrap=True, actor=admin, now=now)
    for user in others:
        public = held(user)
        enrol(ledger_path, user, public_key=public, kiosk=user.startswith("kiosk:"), actor=admin, now=now)
