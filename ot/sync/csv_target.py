"""The ``csv`` target: a timecard feed per pay period, for payroll systems that import files.

Each pay period gets a folder ``<folder>/<first day>_<last day>/`` holding
``timecards.csv`` (the column layout is in ``docs/sync-csv.md``) and
``manifest.json`` (period, row count, SHA-256 of the feed). Both are written
atomically (a temporary file, fsync, rename), the feed first.

Sending a period again writes every worker's rows from the shifts approved now:
for a worker whose period is paid, those are exactly the shift versions paid, so
a shift paid before it was sent is in the file (as paid) once it is reported
sent. A re-send replaces and never adds a second copy. Nothing in either file
depends on the clock, so a period re-sent with nothing changed is
byte-identical. A file cannot carry a correction: a change on a paid date is
refused before sending, with what to do; and a worker's paid period changed
since it was paid (a correction, or a paid shift edited, deleted or unapproved)
cannot be written again as paid: their rows are kept as they were, and their
shifts of that period are refused rather than reported sent and absent.

Its config table (``kind = "csv"``) has one key of its own, ``folder`` (relative
to the config file), parsed by :meth:`CsvTarget.parse_config`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.pairing import worked_hours
from ot.core.cells import formula_safe
from ot.core.domain import Shift
from ot.core.errors import Problem
from ot.core.money import hours2
from ot.core.timez import minutes_between
from ot.sync.registry import register, resolve_path, text_option
from ot.sync.target import Op, Outcome, SendContext, TargetConfig, hourly_rate

__all__ = ["COLUMNS", "CsvTarget", "atomic_write", "feed_rows", "formula_safe", "same_bytes", "worked_minutes"]

COLUMNS: tuple[str, ...] = (
    "worker_id",
    "worker_name",
    "week_ending",
    "pay_type",
    "location_id",
    "rate",
    "hours",
    "minutes",
)
FEED = "timecards.csv"
MANIFEST = "manifest.json"


def worked_minutes(shift: Shift) -> int:
    """Paid minutes of a shift: its length less its unpaid breaks (an hours-only entry: its minutes)."""
    if shift.start is None:
        return shift.minutes or 0
    if shift.end is None:
        return 0
    total = minutes_between(shift.start, shift.end)
    for b in shift.breaks:
        if not b.paid and b.end is not None:
            total -= minutes_between(b.start, b.end)
    return total


def feed_rows(shifts: Sequence[tuple[Shift, date]], ctx: SendContext) -> list[dict[str, str]]:
    """The feed rows of these (shift, local day) pairs: one per worker, week-ending date,
    pay type, work location and rate, with the hours summed (sorted, deterministic)."""
    sums: dict[tuple[str, str, str, str, str], int] = {}
    exact: dict[tuple[str, str, str, str, str], Decimal] = {}
    for shift, day in shifts:
        worker = ctx.roster.get(shift.worker_id)
        rate = hourly_rate(shift, worker, day)
        location = shift.location_id or (worker.location_id if worker else "")
        k = (
            shift.worker_id,
            ctx.week_end_of(day).isoformat(),
            shift.pay_type,
            location or "",
            _rate_text(rate),
        )
        sums[k] = sums.get(k, 0) + worked_minutes(shift)
        exact[k] = exact.get(k, Decimal(0)) + (worked_hours(shift) or Decimal(0))
    rows = []
    for (wid, week_end, pay_type, loc, rate_text), minutes in sorted(sums.items()):
        worker = ctx.roster.get(wid)
        rows.append(
            {
                "worker_id": wid,
                "worker_name": worker.name if worker else "",
                "week_ending": week_end,
                "pay_type": pay_type,
                "location_id": loc,
                "rate": rate_text,
                "hours": str(hours2(exact[(wid, week_end, pay_type, loc, rate_text)])),
                "minutes": str(minutes),
            }
        )
    return rows


def _rate_text(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return str(rate.quantize(Decimal("0.01")) if rate == rate.quantize(Decimal("0.01")) else rate)


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@register("csv")
@dataclass(frozen=True)
class CsvTarget:
    """A folder of per-period timecard feeds.

    Attributes:
        name: Target name.
        folder: Where the period folders go.
        kind: ``csv``.
        correction_authorized: Always False: a file cannot carry a correction.
        w2_only: False: contractors' hours are fed too.
        leave_hours: True: PTO, sick and holiday hours of approved timecards are fed too.
    """

    name: str
    folder: Path
    kind: str = "csv"
    correction_authorized: bool = False
    w2_only: bool = False
    leave_hours: bool = True

    @classmethod
    def parse_config(
        cls, name: str, raw: Mapping[str, Any], base: Path, where: str, problems: list[Problem]
    ) -> dict[str, Any]:
        """The keys of a ``kind = "csv"`` table: ``folder`` (required; relative to the config file's folder)."""
        folder = text_option(raw, "folder", where, problems, required=True)
        return {"folder": resolve_path(base, folder) if folder else None}

    @classmethod
    def from_config(cls, config: TargetConfig, sleep: Callable[[float], None] = time.sleep) -> CsvTarget:
        """The target a ``kind = "csv"`` table describes (``sleep`` is unused: a file write is not retried)."""
        folder = config.options["folder"]
        assert isinstance(folder, Path)
        return cls(config.name, folder)

    def period_folder(self, first: date, last: date) -> Path:
        """The folder of one pay period's feed."""
        return self.folder / f"{first.isoformat()}_{last.isoformat()}"

    def check(self, op: Op, ctx: SendContext) -> tuple[str, str] | None:
        """A csv feed cannot correct a paid period, nor write again one changed since it was paid."""
        if op.correction:
            return (
                f"{op.day} is a paid date of {op.worker_id}: a change to it is a correction, "
                f"and the csv feed of a paid period is never rewritten",
                "enter the correction in the payroll system by hand (or sync it through a target "
                "with correction_authorized = true)",
            )
        first, last = ctx.period_of(op.day)
        why = ctx.changed_since_paid.get((op.worker_id, first))
        if why is not None:
            return _kept_refusal(op.worker_id, first, last, why)
        return None

    def send(self, ops: Sequence[Op], ctx: SendContext) -> Iterator[Outcome]:
        """Rewrite the feed of every period an op touches; every op of a period succeeds with it."""
        by_period: dict[tuple[date, date], list[Op]] = {}
        for op in ops:
            by_period.setdefault(ctx.period_of(op.day), []).append(op)
        for (first, last), period_ops in sorted(by_period.items()):
            where = self.period_folder(first, last)
            try:
                self.write_period(first, last, ctx)
                kept = _kept_workers(first, ctx)
            except OSError as exc:
                for op in period_ops:
                    yield Outcome(
                        op.key,
                        False,
                        transient=True,
                        message=f"cannot write {where / FEED}: {exc.strerror or exc}",
                        what_to_do=f"make {where} writable (or free disk space), then send again",
                    )
                continue
            for op in period_ops:
                if op.worker_id in kept:  # never reported sent: its rows were kept as they were
                    message, todo = _kept_refusal(op.worker_id, first, last, kept[op.worker_id])
                    yield Outcome(op.key, False, message=message, what_to_do=todo)
                    continue
                target_id = None if op.action == "delete" else f"{where.name}/{FEED}"
                yield Outcome(op.key, True, target_id=target_id)

    def write_period(self, first: date, last: date, ctx: SendContext) -> Path:
        """Write one period's feed and manifest; returns the feed's path.

        Every worker's rows are made from the shifts of ``ctx.wanted`` (for a paid worker, those are
        the very versions paid), except the workers whose paid period changed since it was paid
        (``ctx.changed_since_paid``): their rows are kept as the file had them."""
        where = self.period_folder(first, last)
        feed_path = where / FEED
        kept: list[dict[str, str]] = []
        kept_workers = _kept_workers(first, ctx)
        if feed_path.exists() and kept_workers:
            with feed_path.open(newline="", encoding="utf-8") as f:
                kept = [row for row in csv.DictReader(f) if row.get("worker_id") in kept_workers]
        pairs: list[tuple[Shift, date]] = []
        for shift in {**ctx.kept, **ctx.wanted}.values():
            day = _day(shift)
            if day is not None and first <= day <= last and shift.worker_id not in kept_workers:
                pairs.append((shift, day))
        rows = sorted(
            [*kept, *feed_rows(pairs, ctx)],
            key=lambda r: (r["worker_id"], r["week_ending"], r["pay_type"], r["location_id"], r["rate"]),
        )
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: formula_safe(row.get(c, "")) for c in COLUMNS})
        data = buf.getvalue().encode("utf-8")
        manifest = {
            "period_start": first.isoformat(),
            "period_end": last.isoformat(),
            "file": FEED,
            "rows": len(rows),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        if ctx.ledger_head is not None:  # the chain head the feed was made from
            manifest["ledger_seq"], manifest["ledger_hash"] = ctx.ledger_head
        try:  # the same feed again: keep its manifest (and the chain head it was first made from)
            before = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = None
        if isinstance(before, dict) and before.get("sha256") == manifest["sha256"] and same_bytes(feed_path, data):
            return feed_path
        atomic_write(feed_path, data)
        atomic_write(where / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"))
        return feed_path


def _kept_workers(first: date, ctx: SendContext) -> dict[str, str]:
    """Worker -> why, for the workers whose rows of the period starting ``first`` are kept as they were."""
    return {wid: why for (wid, start), why in ctx.changed_since_paid.items() if start == first}


def _kept_refusal(worker_id: str, first: date, last: date, why: str) -> tuple[str, str]:
    return (
        f"the pay period {first} to {last} of {worker_id} is paid and was changed since ({why}): "
        f"the csv feed keeps {worker_id}'s rows of it as they were, and cannot add this shift to them",
        "enter the shift (or the correction) in the payroll system by hand, or sync it through a target "
        "with correction_authorized = true",
    )


def _day(shift: Shift) -> date | None:
    from ot.core.timez import local

    if shift.start is not None:
        return local(shift.start, shift.timezone).date()
    return shift.day


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether the file holds exactly these bytes."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False
