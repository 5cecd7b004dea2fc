"""``ot ledger verify`` from the last verified checkpoint: its cost follows the events since, not the history.

After a verify that found nothing wrong, what it established is kept beside the
ledger in ``<ledger>.verified`` (a SQLite file): the last event's sequence
number and hash, the derived tables folded from the events up to it, the
seals' state (keys enrolled, events not sealed yet) and what each paid week
had been paid. The next verify starts from there (``ledger.verify.Start``,
``ot.services.money_check.MoneyStart``): it checks that the checkpointed event
still hashes to what was recorded, then the chain, seals, derived tables and
money of the events after it. The events before it are not read again;
``--full`` re-reads everything from the first event.

The checkpoint is trusted only when its HMAC-SHA256 (``<ledger>.verified.mac``)
matches, under a random key kept in the user's keys folder
(``ot.services.keys.keys_dir``, ``verify.key``, owner-only), over the ledger's
id, the sequence number, the hash and the SHA-256 of the file. Why an HMAC and
not an event in the chain: verify is a read (it runs on a read-only copy, by
an auditor who may not write, and never moves the head it checks), and the
key lives outside the ledger file, so whoever can edit the ledger and the
files beside it cannot make a checkpoint this user's verify accepts. The cost:
a checkpoint serves only the user (and machine) that made it; anyone else
verifies in full. A refused checkpoint (forged, edited, another ledger's, an
event before it rewritten so that its hash moved) is said, and verify runs in
full. The files are a cache: deleting them costs time, never trust. They are
written to a temporary file and renamed, so a verify killed at any moment
leaves the old checkpoint or the new one, never half of one, and never
touches the ledger.

The MAC file also says how many events, and of them punches, the chain held
through the checkpoint, under a MAC of their own (:func:`verified_counts`):
the summary ``ot`` prints counts only the events after it (and reads neither the
checkpoint file nor every punch), yet a count edited in the file is refused
like the checkpoint, and counted afresh.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.events import event_hash
from ledger.schema import PROJECTIONS
from ledger.store import PUNCH_CEILING, PUNCH_FLOOR, Ledger
from ledger.verify import Start, VerifyReport, verify
from ot.core.scratch import scratch_folder
from ot.core.timez import iso_utc, utcnow
from ot.services.keys import keys_dir
from ot.services.money_check import MoneyStart, check_money_from

__all__ = [
    "Checkpoint",
    "Counts",
    "Edges",
    "checkpoint_paths",
    "punch_edges",
    "punch_edges_between",
    "verified_counts",
    "verify_ledger",
]

#: The checkpoint file's format: the tables' shapes and the fold's version (a change starts afresh).
FORMAT = hashlib.sha256(("verify/1\n" + PROJECTIONS).encode()).hexdigest()
KEY_FILE = "verify.key"


@dataclass(frozen=True)
class Counts:
    """How many events, and of them punches, the chain held through a verified checkpoint.

    Attributes:
        seq: The checkpoint's last event.
        hash: That event's hash.
        events: Events up to and including ``seq``.
        punches: Of them, ``punch.recorded`` events.
        edges: Of those punches, the first and last instant read as work and how many are dated outside
            1900-2100 (:class:`Edges`), or None (a checkpoint kept before they were).
    """

    seq: int
    hash: str
    events: int
    punches: int
    edges: Edges | None = None


@dataclass(frozen=True)
class Edges:
    """The first and last instant of the punches read as work (ISO text, None when there is none), and how
    many punches are dated outside 1900-2100 (never read as work): of the workers of the roster."""

    first: str | None
    last: str | None
    ignored: int

    def joined(self, later: Edges) -> Edges:
        """These edges and those of the punches recorded after them."""
        firsts = [a for a in (self.first, later.first) if a is not None]
        lasts = [a for a in (self.last, later.last) if a is not None]
        return Edges(min(firsts, default=None), max(lasts, default=None), self.ignored + later.ignored)


_AT = "json_extract(payload, '$.at')"


def punch_edges(conn: sqlite3.Connection) -> Edges:
    """The :class:`Edges` of every punch: per-worker seeks on the punch index (worker, instant)."""
    edge = (
        f"SELECT {_AT} FROM events WHERE kind = 'punch.recorded' AND worker_id = w AND {_AT} >= '{PUNCH_FLOOR}' "
        f"AND {_AT} < '{PUNCH_CEILING}' ORDER BY {_AT} {{order}} LIMIT 1"
    )
    outside = (
        f"(SELECT COUNT(*) FROM events WHERE kind = 'punch.recorded' AND worker_id = w AND {_AT} < '{PUNCH_FLOOR}')"
        f" + (SELECT COUNT(*) FROM events WHERE kind = 'punch.recorded' AND worker_id = w AND {_AT} >= '{PUNCH_CEILING}')"
    )
    first, last, ignored = conn.execute(
        f"SELECT MIN(({edge.format(order='ASC')})), MAX(({edge.format(order='DESC')})), "
        f"coalesce(SUM({outside}), 0) FROM (SELECT worker_id AS w FROM workers)"
    ).fetchone()
    return Edges(first, last, int(ignored))


def punch_edges_between(conn: sqlite3.Connection, after: int, through: int) -> Edges:
    """The :class:`Edges` of the punches recorded after event ``after`` up to ``through`` (a range of the chain,
    read by sequence number: the events since a checkpoint)."""
    first, last, ignored = conn.execute(
        f"SELECT MIN(CASE WHEN a >= '{PUNCH_FLOOR}' AND a < '{PUNCH_CEILING}' THEN a END), "
        f"MAX(CASE WHEN a >= '{PUNCH_FLOOR}' AND a < '{PUNCH_CEILING}' THEN a END), "
        f"coalesce(SUM(a < '{PUNCH_FLOOR}' OR a >= '{PUNCH_CEILING}'), 0) FROM ("
        # NOT INDEXED: the range of sequence numbers (the rowid), never the punch index's scan of every punch
        f"SELECT {_AT} AS a FROM events NOT INDEXED WHERE seq > ? AND seq <= ? AND kind = 'punch.recorded' "
        "AND worker_id IN (SELECT worker_id FROM workers))",
        (after, through),
    ).fetchone()
    return Edges(first, last, int(ignored))


@dataclass(frozen=True)
class Checkpoint:
    """A verified checkpoint read back (and trusted).

    Attributes:
        seq: The last event it covers.
        hash: That event's hash.
        at: When it was made (UTC, ISO text).
        seals: The seals' state after ``seq``.
        paid: What each paid week had been paid by then.
        fold: The checkpoint file (its tables are the fold up to ``seq``).
        counts: Its events and punches, or None (a checkpoint kept before they were, or counts refused).
        counts_refused: True when the MAC file holds counts their MAC does not vouch for (edited?).
    """

    seq: int
    hash: str
    at: str
    seals: dict[str, Any]
    paid: dict[tuple[str, str], Decimal]
    fold: Path
    counts: Counts | None = None
    counts_refused: bool = False


def checkpoint_paths(ledger_path: Path) -> tuple[Path, Path]:
    """(the checkpoint file, its MAC file) beside the ledger."""
    return ledger_path.with_name(ledger_path.name + ".verified"), ledger_path.with_name(
        ledger_path.name + ".verified.mac"
    )


def _key(create: bool) -> bytes | None:
    path = keys_dir() / KEY_FILE
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    if not create:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        return key
    except FileExistsError:
        return _key(False)
    except OSError:
        return None


def _mac(key: bytes, ledger_id: str, seq: int, digest: str, file_sha256: str) -> str:
    message = f"ot-verify-checkpoint/1\n{ledger_id}\n{seq}\n{digest}\n{file_sha256}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _counts_mac(
    key: bytes, ledger_id: str, seq: int, digest: str, events: int, punches: int, edges: Edges | None = None
) -> str:
    message = f"ot-verify-counts/1\n{ledger_id}\n{seq}\n{digest}\n{events}\n{punches}"
    if edges is not None:  # (a MAC file kept before the edges were has none: its MAC is the first form's)
        message = (
            f"ot-verify-counts/2\n{ledger_id}\n{seq}\n{digest}\n{events}\n{punches}\n{json.dumps(edges_list(edges))}"
        )
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def edges_list(edges: Edges) -> list[Any]:
    """The edges as the MAC file keeps them: [first, last, ignored]."""
    return [edges.first, edges.last, edges.ignored]


def _claimed_counts(key: bytes, ledger_id: str, claim: Any) -> Counts | None:
    """The counts a MAC file's claim holds, when their own MAC matches; else None."""
    try:
        edges: Edges | None = None
        if "edges" in claim:
            first, last, ignored = claim["edges"]
            if not all(a is None or type(a) is str for a in (first, last)) or type(ignored) is not int:
                return None
            edges = Edges(first, last, ignored)
        counts = Counts(int(claim["seq"]), str(claim["hash"]), int(claim["events"]), int(claim["punches"]), edges)
        expected = _counts_mac(key, ledger_id, counts.seq, counts.hash, counts.events, counts.punches, edges)
        return counts if hmac.compare_digest(expected, str(claim["counts_mac"])) else None
    except (KeyError, TypeError, ValueError):
        return None


def verified_counts(ledger: Ledger, ledger_path: Path) -> Counts | None:
    """The events and punches of the chain through this user's last verified checkpoint, when its MAC
    file vouches for them (under this user's verify key) and the ledger still holds that event, hashing
    to what was recorded; else None (no checkpoint, another user's, edited, past a truncated ledger).

    Reads the small MAC file and one event, never the checkpoint file: what the counts rest on is the
    chain verify read then; an event before the checkpoint edited since is ``--full``'s to find, as
    for an incremental verify."""
    _file, mac_file = checkpoint_paths(ledger_path)
    key = _key(False)
    if key is None or not mac_file.exists():
        return None
    try:
        claim = json.loads(mac_file.read_text())
    except (OSError, ValueError):
        return None
    counts = _claimed_counts(key, ledger.ledger_id(), claim)
    if counts is None:
        return None
    row = ledger.connection.execute(
        "SELECT seq, event_id, recorded_at, actor, kind, payload, key, worker_id, prev_hash, hash FROM events "
        "WHERE seq = ?",
        (counts.seq,),
    ).fetchone()
    if row is None or row[9] != counts.hash or event_hash(row[8], *row[:8]) != counts.hash:
        return None
    return counts


def _copy_hashed(source: Path, target: Path) -> str:
    """Copy ``source`` to ``target`` and return the SHA-256 of what was written (one read of the file)."""
    h = hashlib.sha256()
    with source.open("rb") as f, target.open("wb") as out:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            out.write(block)
    return h.hexdigest()


def read_checkpoint(ledger: Ledger, ledger_path: Path, scratch: Path) -> tuple[Checkpoint | None, str | None]:
    """The checkpoint when there is one this user can trust: (checkpoint, None); none: (None, None);
    one refused: (None, why). Its file is copied to ``scratch`` first, so that what is checked is what is read."""
    file, mac_file = checkpoint_paths(ledger_path)
    if not file.exists() and not mac_file.exists():
        return None, None
    try:
        copy = scratch / "checkpoint.db"
        copied = _copy_hashed(file, copy)
        claim = json.loads(mac_file.read_text())
        key = _key(False)
        if key is None:
            return None, "there is no verify key in your keys folder to check it with"
        expected = _mac(key, ledger.ledger_id(), int(claim["seq"]), str(claim["hash"]), copied)
        if not hmac.compare_digest(expected, str(claim["mac"])):
            return None, "its MAC does not match (made by another user, or edited)"
        with sqlite3.connect(copy) as conn:
            row = conn.execute("SELECT seq, hash, at, format, seals FROM checkpoint").fetchone()
            paid = {(w, k): Decimal(a) for w, k, a in conn.execute("SELECT worker_id, week_start, amount FROM paid")}
        conn.close()
        if row is None or (int(row[0]), str(row[1])) != (int(claim["seq"]), str(claim["hash"])):
            return None, "its file does not say what its MAC covers"
        if row[3] != FORMAT:
            return None, "it was made by another version of ot"
        if int(row[0]) > ledger.head()[0]:
            return None, f"it covers event {row[0]}, past the ledger's last event (truncated?)"
        counts = _claimed_counts(key, ledger.ledger_id(), claim)
        refused = counts is None and "counts_mac" in claim
        return Checkpoint(int(row[0]), str(row[1]), str(row[2]), json.loads(row[4]), paid, copy, counts, refused), None
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error) as exc:
        return None, f"it cannot be read ({exc})"


def _seal_checkpoint(
    pending: Path,
    ledger: Ledger,
    ledger_path: Path,
    report: VerifyReport,
    paid: dict[tuple[str, str], Decimal],
    counts: tuple[int, int, Edges],
) -> None:
    """Make ``pending`` (the fresh fold verify compared, as of ``report.last_seq``) the checkpoint, with its MAC
    and the MAC of ``counts`` (events, punches through it)."""
    key = _key(True)
    if key is None:
        return
    file, mac_file = checkpoint_paths(ledger_path)
    # The checkpoint is built in a folder beside the ledger (a rename into place is atomic); a verify killed
    # here leaves it, and the next one removes it (ot.core.scratch).
    with scratch_folder(".ot-verified-", file.parent) as tmp_dir:
        try:
            tmp = tmp_dir / "checkpoint.db"
            out = sqlite3.connect(pending)  # a scratch file of this verify's: completed there, then copied once
            try:
                with out:
                    out.execute("DROP TABLE IF EXISTS checkpoint")  # a fold started from the last checkpoint has them
                    out.execute("DROP TABLE IF EXISTS paid")
                    out.execute("CREATE TABLE checkpoint (seq INTEGER, hash TEXT, at TEXT, format TEXT, seals TEXT)")
                    out.execute(
                        "INSERT INTO checkpoint VALUES (?, ?, ?, ?, ?)",
                        (
                            report.last_seq,
                            report.head,
                            iso_utc(utcnow()),
                            FORMAT,
                            json.dumps(report.seals, sort_keys=True),
                        ),
                    )
                    out.execute("CREATE TABLE paid (worker_id TEXT, week_start TEXT, amount TEXT)")
                    out.executemany(
                        "INSERT INTO paid VALUES (?, ?, ?)", ((w, k, str(a)) for (w, k), a in sorted(paid.items()))
                    )
            finally:
                out.close()
            written = _copy_hashed(pending, tmp)
            with tmp.open("rb+") as f:
                os.fsync(f.fileno())
            mac = _mac(key, ledger.ledger_id(), report.last_seq, report.head, written)
            claim = tmp_dir / "checkpoint.mac"
            events, punches, edges = counts
            claim.write_text(
                json.dumps(
                    {
                        "seq": report.last_seq,
                        "hash": report.head,
                        "mac": mac,
                        "events": events,
                        "punches": punches,
                        "edges": edges_list(edges),
                        "counts_mac": _counts_mac(
                            key, ledger.ledger_id(), report.last_seq, report.head, events, punches, edges
                        ),
                    }
                )
            )
            # The MAC names the file's hash: a crash between the two renames leaves a pair that is refused
            # (and verify runs in full), never a checkpoint trusted for what it does not hold.
            os.replace(tmp, file)
            os.replace(claim, mac_file)
        except (OSError, sqlite3.Error):
            return


def _counts(ledger: Ledger, found: Checkpoint | None, report: VerifyReport) -> tuple[int, int, Edges]:
    """The events and punches through ``report.last_seq``: the checkpoint's and those verify read after it
    (every event, without one); from a checkpoint kept without counts, counted once in SQL. With the
    :class:`Edges` of those punches: the checkpoint's joined with those of the punches after it, or (none
    kept) sought once over the whole punch index."""
    conn = ledger.connection
    if found is not None and found.counts is not None and found.counts.edges is not None:
        edges = found.counts.edges.joined(punch_edges_between(conn, found.seq, report.last_seq))
    else:
        edges = punch_edges(conn)
    if found is None:
        return report.events, report.punches, edges
    if found.counts is not None:
        return found.counts.events + report.events, found.counts.punches + report.punches, edges
    events, punches = conn.execute(
        "SELECT (SELECT COUNT(*) FROM events WHERE seq <= ?), "
        "(SELECT COUNT(*) FROM events WHERE kind = 'punch.recorded' AND seq <= ?)",
        (report.last_seq, report.last_seq),
    ).fetchone()
    return int(events), int(punches), edges


def verify_ledger(ledger: Ledger, ledger_path: Path, *, full: bool = False) -> VerifyReport:
    """Verify from the last trusted checkpoint (or everything: ``full``, no checkpoint, or one refused),
    then keep a new checkpoint at the head when nothing is wrong. The report's notes say which it did."""
    in_memory = ledger.path == ":memory:"
    notes: list[str] = []
    with scratch_folder("ot-verify-") as scratch:
        found: Checkpoint | None = None
        if not full and not in_memory:
            found, refused = read_checkpoint(ledger, ledger_path, Path(scratch))
            if refused is not None:
                notes.append(f"warning: the verify checkpoint was refused: {refused}; verified everything instead")
            elif found is not None and found.counts_refused:
                notes.append(
                    f"warning: the event counts kept in {checkpoint_paths(ledger_path)[1]} were refused (their MAC "
                    "does not match: edited?); verify counted them again; if nobody should have edited that file, "
                    "run `ot ledger verify --full`"
                )
        start = Start(found.seq, found.hash, found.fold, found.seals) if found is not None else None
        pending = Path(scratch) / "pending.db"
        folded: list[int] = []

        def keep(conn: sqlite3.Connection, through: int) -> None:
            conn.execute("VACUUM fresh INTO ?", (str(pending),))
            folded.append(through)

        report = verify(ledger, start, keep=None if in_memory else keep)
        money_start = MoneyStart(found.seq, found.fold, found.paid) if found is not None else None
        if report.problems:
            report = replace(report, ok=False)
        else:
            problems, _checked, paid = check_money_from(ledger, money_start, report.last_seq)
            if problems:
                report = replace(report, ok=False, problems=(*report.problems, *problems))
            elif folded == [report.last_seq]:  # else another ot appended meanwhile: keep nothing this time
                _seal_checkpoint(pending, ledger, ledger_path, report, paid, _counts(ledger, found, report))
        if found is not None:
            notes.append(
                f"verified from checkpoint at seq {found.seq} ({found.at[:10]}): the events before it were "
                "verified then and are not read again; --full checks everything"
            )
        else:
            notes.append("verified everything, from the first event")
    return replace(report, notes=tuple(notes))
