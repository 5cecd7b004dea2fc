"""Identities held, not claimed: Ed25519 keys, enrolment events, and the seal on every write.

Each user holds an Ed25519 key pair (``ot.services.keys`` keeps it in their own
config folder). An admin enrols the public key in the ledger as a roster event:

``user.enrolled``
    ``{user_id, key_id, public_key, kind, role}``: ``kind`` ``person`` or
    ``kiosk`` (a punching station: it may only record PIN punches); ``role``
    ``admin`` only for the first admin, who bootstraps a ledger that has no
    enrolled key yet (otherwise a person's role comes from the roster).
    ``key_id`` is the first 16 hex digits of the sha256 of the raw public key.
``user.revoked``
    ``{user_id, key_id, reason}``: the key signs nothing from then on.

Every write transaction is *sealed*: its last event carries the writer's
``key_id`` and an Ed25519 signature of that event's hash. Because each hash
covers the one before it, the seal signs every event of the transaction; a
million-punch import costs one signature, not a million. ``verify`` checks
that every event after the first enrolment is covered by a seal made with a
key enrolled (and not revoked) at that point, held by the event's actor. Someone
who has the file and knows the code, but not an enrolled private key, cannot
edit, insert, delete or reorder events without breaking a seal; truncating the
tail is caught against a checkpoint kept elsewhere (``ot ledger checkpoint``).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "ENROLLED",
    "KINDS",
    "REVOKED",
    "Signer",
    "key_id_of",
    "public_text",
    "verify_seal",
]

ENROLLED = "user.enrolled"
REVOKED = "user.revoked"
KINDS: tuple[str, ...] = ("person", "kiosk")


def public_text(key: Ed25519PublicKey) -> str:
    """The raw public key as base64 (what ``user.enrolled`` records)."""
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def key_id_of(public: str) -> str:
    """The key id of a base64 raw public key: 16 hex digits of its sha256."""
    return hashlib.sha256(base64.b64decode(public)).hexdigest()[:16]


@dataclass(frozen=True)
class Signer:
    """A private key the writer holds, and whose it is.

    Attributes:
        user_id: The user the key belongs to.
        key: The private key.
    """

    user_id: str
    key: Ed25519PrivateKey

    @property
    def public(self) -> str:
        """Its public key as base64."""
        return public_text(self.key.public_key())

    @property
    def key_id(self) -> str:
        """Its key id."""
        return key_id_of(self.public)

    def seal(self, event_hash: str) -> str:
        """The signature (base64) of an event hash."""
        return base64.b64encode(self.key.sign(event_hash.encode("ascii"))).decode("ascii")


def verify_seal(public: str, event_hash: str, signature: str) -> bool:
    """Whether ``signature`` is the holder of ``public``'s signature of ``event_hash``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public))
        key.verify(base64.b64decode(signature), event_hash.encode("ascii"))
    except (InvalidSignature, ValueError):
        return False
    return True
