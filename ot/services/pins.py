"""The PIN pepper, kept outside the ledger, and PINs checked against what the ledger keeps.

The pepper of a ledger is 32 random bytes in ``<keys folder>/pepper-<ledger id>``
(mode 0600; ``ot.services.keys.keys_dir``): the machines that import workers and
the punching stations hold it, the ledger file never does. It is made the first
time a PIN is set on a machine that has none; a station that lacks it is told
where to copy it from.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ledger.pins import StoredPin, bucket_of, new_pin_payload, pin_matches
from ledger.store import Ledger, Writer
from ot.errors import OtError, Problem
from ot.services.keys import keys_dir

__all__ = ["PinBook", "pepper_path"]

PEPPER_BYTES = 32


def pepper_path(ledger_id: str) -> Path:
    """Where this machine keeps the pepper of the ledger ``ledger_id``."""
    return keys_dir() / f"pepper-{ledger_id}"


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
        self.pepper = _pepper(reads.ledger_id(), create=create)
        self.ledger_salt = reads.pin_salt()

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
        todo = [(wid, pin, stored[wid]) for wid, pin in pins if wid in stored]
        if len(todo) < 4:
            return {wid for wid, pin, s in todo if self._is(s, pin)}
        with ThreadPoolExecutor(max_workers=4) as pool:
            same = list(pool.map(lambda t: self._is(t[2], t[1]), todo))
        return {t[0] for t, ok in zip(todo, same, strict=True) if ok}

    def overrides(self) -> set[str]:
        """The workers whose current PIN is recorded as an override."""
        return self.reads.pin_overrides()

    def payload(self, worker_id: str, pin: str) -> dict[str, object]:
        """A ``worker.pin_set`` payload for a new PIN (a fresh salt of the worker's own)."""
        return new_pin_payload(worker_id, pin, self.pepper)

    def _is(self, stored: StoredPin, pin: str) -> bool:
        return pin_matches(stored, pin, self.pepper, self.ledger_salt)
