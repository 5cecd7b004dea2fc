"""The PIN pepper, kept outside the ledger, and PINs checked against what the ledger keeps.

The pepper of a ledger is 32 random bytes in ``<keys folder>/pepper-<ledger id>``
(mode 0600; ``ot.services.keys.keys_dir``): the machines that import workers and
the punching stations hold it, the ledger file never does. It is made the first
time a PIN is set on a machine that has none; a station that lacks it is told
where to copy it from.

A PIN is hashed (scrypt, about 35 ms) only when it changed. Beside the pepper,
``<keys folder>/pins-seen-<ledger id>`` (mode 0600) remembers, per worker, a keyed tag
of the PIN last checked (HMAC-SHA256 with the pepper) and the stored hash it matched:
a workers file giving the same PIN again against the same stored hash is known to be
unchanged without a slow hash. The file is a cache: deleting it costs time, never
trust, and a tag bound to a stored hash the ledger no longer holds is ignored. It
gives nothing to whoever has the ledger alone; whoever also has this machine's keys
folder has the pepper, and with it (and the 4-6 digit space) the PINs in any case —
as they have the workers file the PINs come from.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ledger.pins import StoredPin, bucket_of, new_pin_payload, pin_matches
from ledger.store import Ledger, Writer
from ot.core.errors import OtError, Problem
from ot.services.keys import keys_dir

__all__ = ["PinBook", "pepper_path", "seen_path"]

PEPPER_BYTES = 32


def pepper_path(ledger_id: str) -> Path:
    """Where this machine keeps the pepper of the ledger ``ledger_id``."""
    return keys_dir() / f"pepper-{ledger_id}"


def seen_path(ledger_id: str) -> Path:
    """Where this machine remembers the PINs it checked for ledger ``ledger_id`` (a cache)."""
    return keys_dir() / f"pins-seen-{ledger_id}"


def _pepper(ledger_id: str, *, create: bool) -> bytes:
    path = pepper_path(ledger_id)
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        if not create:
            raise OtError(
                "this machine cannot check PINs of this ledger",
                [
                    Problem(
                        str(path),
                        "the ledger's PIN pepper is not here: copy it from the machine that imported the workers "
                        "(keep it owner-only)",
                    )
                ],
            ) from None
    except (OSError, ValueError) as exc:
        raise OtError("the PIN pepper cannot be read", [Problem(str(path), str(exc))]) from None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_bytes(PEPPER_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it just now
        return _pepper(ledger_id, create=False)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value.hex() + "\n")
    return value


class PinBook:
    """PINs of one ledger as this machine can check them (its pepper, the ledger's salt for old hashes)."""

    def __init__(self, reads: Ledger | Writer, *, create: bool = False) -> None:
        self.reads = reads
        self.ledger_id = reads.ledger_id()
        self.pepper = _pepper(self.ledger_id, create=create)
        self.ledger_salt = reads.pin_salt()
        #: How many slow hashes :meth:`unchanged` ran (the rest were known from the cache).
        self.slow_checks = 0
        self._learnt: dict[str, list[str]] = {}

    def bucket(self, pin: str) -> int:
        """The lookup bucket of a PIN."""
        return bucket_of(pin, self.pepper)

    def holders(self, pin: str) -> list[str]:
        """The workers whose PIN this is (a slow hash per worker of its bucket)."""
        return [s.worker_id for s in self.reads.stored_pins(bucket=self.bucket(pin)) if self._is(s, pin)]

    def matches(self, worker_id: str, pin: str) -> bool:
        """Whether ``pin`` is ``worker_id``'s current PIN."""
        return any(self._is(s, pin) for s in self.reads.stored_pins(worker_id=worker_id))

    def unchanged(self, pins: Sequence[tuple[str, str]]) -> set[str]:
        """The workers among ``(worker_id, pin)`` whose current PIN is that one. The slow hashes
        run on a few threads (scrypt releases the GIL); the ledger is read before, on this one."""
        stored = {s.worker_id: s for s in self.reads.stored_pins()}
        seen = self._read_seen()
        known: set[str] = set()
        todo: list[tuple[str, str, StoredPin]] = []
        for wid, pin in pins:
            if wid not in stored:
                continue
            if seen.get(wid) == [self._tag(wid, pin), stored[wid].pin_hash]:
                known.add(wid)  # the same PIN against the same stored hash: no slow hash
            else:
                todo.append((wid, pin, stored[wid]))
        self.slow_checks += len(todo)
        if len(todo) < 4:
            same = [self._is(s, pin) for _wid, pin, s in todo]
        else:
            with ThreadPoolExecutor(max_workers=4) as pool:
                same = list(pool.map(lambda t: self._is(t[2], t[1]), todo))
        matched = [t for t, ok in zip(todo, same, strict=True) if ok]
        for wid, pin, s in matched:
            self._learnt[wid] = [self._tag(wid, pin), s.pin_hash]
        return known | {t[0] for t in matched}

    def remember(self) -> None:
        """Write what this book learnt (PINs checked, new PINs hashed) to the cache, dropping
        entries bound to hashes the ledger no longer holds (a PIN set for a file that was
        refused or rolled back is simply never matched)."""
        if not self._learnt:
            return
        stored = {s.worker_id: s.pin_hash for s in self.reads.stored_pins()}
        seen = {wid: v for wid, v in self._read_seen().items() if stored.get(wid) == v[1]}
        seen.update(self._learnt)
        self._learnt = {}
        self._write_seen(seen)

    def _tag(self, worker_id: str, pin: str) -> str:
        return hmac.new(self.pepper, f"{worker_id}\0{pin}".encode(), hashlib.sha256).hexdigest()

    def _read_seen(self) -> dict[str, list[str]]:
        try:
            data = json.loads(seen_path(self.ledger_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(k): v
            for k, v in data.items()
            if isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)
        }

    def _write_seen(self, seen: dict[str, list[str]]) -> None:
        """Replace the cache (owner-only; a failure to write only costs time next run)."""
        path = seen_path(self.ledger_id)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        except OSError:
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(seen, handle, sort_keys=True)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)

    def overrides(self) -> set[str]:
        """The workers whose current PIN is recorded as an override."""
        return self.reads.pin_overrides()

    def payload(self, worker_id: str, pin: str) -> dict[str, object]:
        """A ``worker.pin_set`` payload for a new PIN (a fresh salt of the worker's own)."""
        payload = new_pin_payload(worker_id, pin, self.pepper)
        self._learnt[worker_id] = [self._tag(worker_id, pin), str(payload["pin_hash"])]
        return payload

    def _is(self, stored: StoredPin, pin: str) -> bool:
        return pin_matches(stored, pin, self.pepper, self.ledger_salt)
