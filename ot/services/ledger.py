"""Ledger services: list events, verify the chain, rebuild the derived tables.

Each function opens the ledger at ``ledger_path`` (never creating one: a
missing file is an :class:`~ot.core.errors.OtError`), does one thing, closes it and
returns plain records. Nothing here prints.

Event summaries never show PIN data: a ``worker.pin_set`` event is summarised
as "PIN set" and its hash is hidden in JSON output too (a five- or six-digit
PIN is guessable from its hash by brute force, salt or not).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ledger.events import Event
from ledger.store import Ledger
from ledger.verify import VerifyReport
from ot.core.errors import OtError, Problem
from ot.services.pool import fewer_collections

HIDDEN = "(hidden)"
# Payload keys never shown, in any output (a PIN's salt and lookup bucket too: with the pepper they
# narrow the search for it, and `ot ledger export` leaves them out as well).
SECRET_KEYS = frozenset({"pin_hash", "pin", "ssn", "birth_date", "pin_override", "salt", "bucket"})


@dataclass(frozen=True)
class LogLine:
    """One event as ``ot ledger log`` shows it.

    Attributes:
        seq: Sequence number.
        recorded_at: ``YYYY-MM-DDTHH:MM:SSZ``.
        actor: Who recorded it.
        kind: Event kind.
        worker_id: The worker it concerns, or None.
        summary: A short description (no PIN data).
        payload: The payload with secret keys hidden.
        hash: The event's hash.
    """

    seq: int
    recorded_at: str
    actor: str
    kind: str
    worker_id: str | None
    summary: str
    payload: Mapping[str, Any]
    hash: str

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict of every field."""
        return {
            "seq": self.seq,
            "recorded_at": self.recorded_at,
            "actor": self.actor,
            "kind": self.kind,
            "worker_id": self.worker_id,
            "summary": self.summary,
            "payload": dict(self.payload),
            "hash": self.hash,
        }


def replica_of(url: str) -> Path:
    """The file the services open for the PostgreSQL ledger at ``url``: this machine's replica of it
    (:mod:`ledger.remote`), made and caught up now when the database holds a ledger, so that a service
    that first looks whether the file exists (the TUI's first screen) finds it."""
    from ledger.remote import bind

    path = bind(url)
    if not path.exists():
        # An empty database, or a server down, is left to the command's own open to say.
        with contextlib.suppress(OtError):
            Ledger.open(path, create=False).close()
    return path


def open_existing(ledger_path: Path) -> Ledger:
    """Open a ledger that must already exist."""
    return Ledger.open(ledger_path, create=False)


def log(
    ledger_path: Path,
    *,
    worker_id: str | None = None,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> list[LogLine]:
    """Events matching the filters, oldest first (``limit`` keeps the last N).

    ``kind`` is an exact kind or a prefix: ``worker`` or ``worker.`` matches every
    ``worker.*`` kind.
    """
    if limit is not None and limit < 1:
        raise OtError("--limit must be at least 1", [Problem("--limit", f"got {limit}")])
    if limit is not None and limit > 1_000_000_000:
        raise OtError("--limit is too large", [Problem("--limit", f"got {limit}: give at most 1000000000")])
    if since and until and since > until:
        raise OtError("--since is after --until", [Problem("--since", "give a date on or before --until")])
    if kind and "." not in kind:
        kind += "."
    with open_existing(ledger_path) as ledger:
        return [
            log_line(e) for e in ledger.events(kind=kind, worker_id=worker_id, since=since, until=until, limit=limit)
        ]


def log_line(event: Event) -> LogLine:
    """The :class:`LogLine` of an event."""
    return LogLine(
        seq=event.seq,
        recorded_at=event.recorded_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        actor=event.actor,
        kind=event.kind,
        worker_id=event.worker_id,
        summary=summarize(event.kind, event.payload),
        payload=redact(event.payload),
        hash=event.hash,
    )


def redact(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload with every secret key's value hidden."""
    return {k: (HIDDEN if k in SECRET_KEYS and v is not None else v) for k, v in payload.items()}


def _fields(p: Mapping[str, Any], skip: tuple[str, ...]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(p.items()) if k not in skip and k not in SECRET_KEYS)


def _punch(p: Mapping[str, Any]) -> str:
    text = f"{p.get('worker_id')} {p.get('kind')} at {p.get('at')}"
    if p.get("location_id"):
        text += f" @ {p['location_id']}"
    if p.get("kind") == "break_start" and p.get("break_type"):
        text += f" ({p['break_type']})"
    if p.get("rate"):
        text += f" rate {p['rate']}"
    return text + f" [{p.get('source')}]"


def _shift(p: Mapping[str, Any]) -> str:
    if p.get("start"):
        span = f"{p.get('start')} to {p.get('end') or '?'}"
    else:
        minutes = p.get("minutes") or 0
        span = f"{p.get('day')} {minutes // 60}h{minutes % 60:02d}"
    text = f"{p.get('shift_id')} {p.get('worker_id')} {span} {p.get('pay_type')}"
    if p.get("reason"):
        text += f": {p['reason']}"
    return text


_SUMMARIES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "location.added": lambda p: f"{p.get('location_id')} {p.get('name')} ({p.get('state')}, {p.get('timezone')})",
    "location.changed": lambda p: f"{p.get('location_id')}: {_fields(p, ('location_id',))}",
    "worker.added": lambda p: (
        f"{p.get('worker_id')} {p.get('name')} {p.get('type')} {p.get('role')} at {p.get('location_id')}"
        + (f", rate {p['pay_rate']}" if p.get("pay_rate") else "")
        + (f", manager {p['manager_id']}" if p.get("manager_id") else "")
    ),
    "worker.changed": lambda p: f"{p.get('worker_id')}: {_fields(p, ('worker_id',))}",
    "worker.rate_changed": lambda p: (
        f"{p.get('worker_id')} rate {p.get('rate')} from {p.get('effective')}"
        + (
            f" ({p['plan']}{', ' + str(p['plan_hours']) + ' h' if p.get('plan_hours') else ''})"
            if p.get("plan")
            else ""
        )
    ),
    "earning.recorded": lambda p: (
        f"{p.get('earning_id')} {p.get('worker_id')} {p.get('kind')} {p.get('amount')} on {p.get('day')}"
        + (f" ({p['quantity']} x {p['unit_rate']})" if p.get("quantity") else "")
        + (f", earned {p['period_start']}..{p['period_end']}" if p.get("period_start") else "")
    ),
    "earning.voided": lambda p: f"{p.get('earning_id')} of {p.get('worker_id')} voided: {p.get('reason')}",
    "worker.pin_set": lambda p: f"{p.get('worker_id')} PIN {'set' if p.get('pin_hash') else 'cleared'}",
    "punch.recorded": _punch,
    "shift.entered": _shift,
    "shift.edited": _shift,
    "shift.deleted": lambda p: f"{p.get('shift_id')} deleted" + (f": {p['reason']}" if p.get("reason") else ""),
    "rules.adopted": lambda p: f"{p.get('file')} from {p.get('effective')} (sha256 {str(p.get('sha256'))[:12]})",
    "payperiod.configured": lambda p: (
        f"pay periods {p.get('frequency')} from {p.get('anchor')}, paid {p.get('pay_date_offset')} days after the end"
        + (f", effective {p['effective']}" if p.get("effective") else "")
    ),
    "employer.configured": lambda p: f"employer {p.get('name')}, {'; '.join(p.get('address') or [])}",
    "approval.shift_approved": lambda p: (
        f"{p.get('shift_id')} of {p.get('worker_id')} on {p.get('day')} approved (step 1)"
    ),
    "approval.shift_voided": lambda p: (
        f"{p.get('shift_id')} of {p.get('worker_id')}: approval voided ({p.get('cause')})"
        + (f": {p['reason']}" if p.get("reason") else "")
    ),
    "approval.timecard_approved": lambda p: (
        f"timecard of {p.get('worker_id')} for {p.get('period_start')} to {p.get('period_end')} approved (step 2),"
        f" {len(p.get('shifts') or [])} shifts"
    ),
    "approval.timecard_voided": lambda p: (
        f"timecard of {p.get('worker_id')} for {p.get('period_start')}: approval voided ({p.get('cause')})"
        + (f": {p['reason']}" if p.get("reason") else "")
    ),
    "payrun.recorded": lambda p: (
        f"pay run {p.get('run_id')} ({p.get('kind')}) for {p.get('period_start')} to {p.get('period_end')},"
        f" pay date {p.get('pay_date')}"
    ),
    "payrun.worker_paid": lambda p: (
        f"{p.get('worker_id')} paid {p.get('net')} by {p.get('run_id')} (gross {p.get('gross')})"
    ),
    "correction.recorded": lambda p: (
        f"{p.get('correction_id')} {p.get('kind')} of {p.get('amount')} for {p.get('worker_id')},"
        f" week {p.get('week_start')}, {p.get('timeframe')}: {p.get('reason')}"
    ),
    "correction.settled": lambda p: f"{p.get('correction_id')} settled ({p.get('how')}) by {p.get('run_id')}",
    "trust.checked": lambda p: (
        f"money tables checked against the events through event {p.get('through_seq')}"
        f" (kept file sha256 {str(p.get('file_sha256'))[:12]})"
    ),
}


def summarize(kind: str, payload: Mapping[str, Any]) -> str:
    """A one-line description of an event, without PIN data."""
    fn = _SUMMARIES.get(kind)
    text = fn(payload) if fn else _fields(payload, ())
    return text if len(text) <= 120 else text[:117] + "..."


@fewer_collections()
def verify(ledger_path: Path, checkpoint: Path | None = None, *, full: bool = False) -> VerifyReport:
    """Re-check the hash chain, sequence, seals, keys, head and derived tables, then the money
    (:func:`ot.services.money_check.check_money`); with ``checkpoint``, that the ledger extends it
    (a truncated or rewritten tail is caught even when everything left is consistent).

    From the last verified checkpoint this user kept (:mod:`ot.services.verify_checkpoint`): the
    events after it only, the report's notes say so; ``full``: every event, from the first."""
    from dataclasses import replace

    from ot.services.verify_checkpoint import verify_ledger

    with open_existing(ledger_path) as ledger:
        report = verify_ledger(ledger, ledger_path, full=full)
        extra = _against(ledger, checkpoint) if checkpoint is not None else []
    if extra:
        return replace(report, ok=False, problems=(*report.problems, *extra))
    return report


CHECKPOINT_KIND = "ot.checkpoint"


def checkpoint(ledger_path: Path, out: Path, *, actor: str, now: datetime) -> dict[str, Any]:
    """Write a checkpoint of the ledger's head (its sequence number and hash), sealed by the acting
    user's enrolled key, to ``out``: keep it elsewhere, and ``verify --checkpoint`` proves later that
    the ledger extends it (no event up to it was removed or rewritten)."""
    from ledger.identity import verify_seal
    from ot.core.timez import iso_utc
    from ot.services.keys import load_signer
    from ot.services.stubs import write_atomic

    with open_existing(ledger_path) as ledger:
        seq, digest = ledger.head()
        identities = ledger.identities()
        body: dict[str, Any] = {"kind": CHECKPOINT_KIND, "seq": seq, "hash": digest, "at": iso_utc(now), "by": actor}
        signer = load_signer(actor)
        held = signer is not None and any(k == signer.key_id and u == actor and not r for k, u, *_x, r in identities)
        if identities and not held:
            raise OtError(
                "no checkpoint was written",
                [Problem("--as", f"a checkpoint is sealed by an enrolled key: you hold none of {actor!r}")],
            )
        if signer is not None:
            body["key_id"] = signer.key_id
            body["sig"] = signer.seal(_checkpoint_text(body))
            assert verify_seal(signer.public, _checkpoint_text(body), body["sig"])
    write_atomic(out, (json.dumps(body, indent=2, sort_keys=True) + "\n").encode())
    return body


def _checkpoint_text(body: Mapping[str, Any]) -> str:
    return f"{body['kind']}|{body['seq']}|{body['hash']}|{body['at']}|{body['by']}"


def _against(ledger: Ledger, path: Path) -> list[str]:
    """What is wrong with the ledger against a checkpoint file."""
    from ledger.identity import verify_seal

    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        seq, digest = int(body["seq"]), str(body["hash"])
        assert body["kind"] == CHECKPOINT_KIND
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        return [f"{path}: not a checkpoint written by `ot ledger checkpoint`"]
    out: list[str] = []
    if "sig" in body:
        keys = {k: (u, p) for k, u, p, *_x in ledger.identities()}
        found = keys.get(str(body.get("key_id")))
        if (
            found is None
            or found[0] != body.get("by")
            or not verify_seal(found[1], _checkpoint_text(body), body["sig"])
        ):
            out.append(f"{path}: its seal is not by a key this ledger enrols (forged checkpoint?)")
    row = ledger.connection.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
    if row is None:
        out.append(f"checkpoint {path.name}: event {seq} is missing: the ledger was truncated below its checkpoint")
    elif row[0] != digest:
        out.append(f"checkpoint {path.name}: event {seq} is not the one checkpointed: the ledger was rewritten")
    return out


def rebuild(ledger_path: Path) -> int:
    """Rebuild the derived tables from the events; returns how many events were folded."""
    with open_existing(ledger_path) as ledger:
        return ledger.rebuild()
