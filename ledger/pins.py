"""Punch PINs: derived from a birth date and an SSN, kept only as a salted slow hash.

The seed's rule (Justworks): the day of the month of birth, without a leading
zero, followed by the last four digits of the SSN: April 7 and ``...-2345``
give ``72345``; December 12 and ``...-6789`` give ``126789``. An admin may set a
six-digit override instead (when two workers would share a PIN).

Neither the SSN nor the birth date is ever stored, logged or echoed: error
messages here name the field, never its value.

What the ledger keeps of a PIN (``worker.pin_set``) survives a stolen file:

- ``pin_hash``: scrypt (n=2**14, r=8, p=1) of a secret *pepper* and the PIN,
  with a random salt of the worker's own (``salt``). The pepper (32 random
  bytes) is kept outside the ledger, with the keys of the machines that
  import workers and run the clock (``ot.services.pins``): with the file
  alone, not one PIN can be tested;
- ``bucket``: :data:`BUCKET_BITS` bits of an HMAC of the PIN under the pepper,
  so that the clock tests a typed PIN against the few workers of its bucket
  (one slow hash each) instead of every worker.

A hash written before peppers (``salt`` None) is checked the old way, with the
ledger's salt in ``meta``, until the worker's PIN is set again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date

from ot.core.errors import OtError, Problem

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16

# Digits are the ASCII 0-9 ([0-9], never \\d, which matches every script's digits: a PIN typed in
# full-width or Arabic-Indic digits got through, then failed to encode as ASCII with a traceback).
_SSN = re.compile(r"(?:[0-9]{3}-?[0-9]{2}-?)?([0-9]{4})")
_PIN = re.compile(r"[0-9]{5,6}")
BUCKET_BITS = 10
_OVERRIDE = re.compile(r"[0-9]{6}")


def derive_pin(birth_date: date, ssn: str) -> str:
    """The PIN of a worker: day of the month of birth, then the SSN's last four digits.

    ``ssn`` is ``123-45-6789``, ``123456789`` or just the last four digits.
    Raises :class:`OtError` on bad input without echoing the SSN.
    """
    if not isinstance(birth_date, date):
        raise OtError("the birth date is not a date", [Problem("birth_date", "write it as YYYY-MM-DD")])
    match = _SSN.fullmatch(ssn.strip()) if isinstance(ssn, str) else None
    if match is None:
        raise OtError(
            "the SSN is not valid",
            [Problem("ssn", "give nine digits (###-##-####) or the last four digits; the value is not shown")],
        )
    return f"{birth_date.day}{match.group(1)}"


def check_override(pin: str) -> str:
    """A PIN override must be six digits; returns it, else :class:`OtError` (without echoing it)."""
    if not isinstance(pin, str) or not _OVERRIDE.fullmatch(pin.strip()):
        raise OtError("the PIN override is not valid", [Problem("pin_override", "give exactly six digits")])
    return pin.strip()


def check_pin_shape(pin: str) -> str:
    """A PIN typed at the clock: five or six digits; else :class:`OtError` (without echoing it)."""
    text = pin.strip() if isinstance(pin, str) else ""
    if not _PIN.fullmatch(text):
        raise OtError("a PIN is five or six digits: check it and try again", [Problem("PIN", "not five or six digits")])
    return text


def hash_pin(pin: str, salt: bytes) -> str:
    """The hex scrypt hash of a PIN with the ledger's salt (n=2**14, r=8, p=1)."""
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32).hex()


def bucket_of(pin: str, pepper: bytes) -> int:
    """The lookup bucket of a PIN: :data:`BUCKET_BITS` bits of HMAC-SHA256(pepper, pin)."""
    digest = hmac.new(pepper, pin.encode("ascii"), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") >> (32 - BUCKET_BITS)


def hash_peppered(pin: str, salt: bytes, pepper: bytes) -> str:
    """The hex scrypt hash of the pepper and a PIN with the worker's salt."""
    return hashlib.scrypt(pepper + pin.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32).hex()


@dataclass(frozen=True)
class StoredPin:
    """What the ledger keeps of one worker's PIN.

    Attributes:
        worker_id: Whose.
        pin_hash: The hash.
        salt: The worker's salt (hex), or None for a hash made before peppers (the ledger's salt).
        bucket: The lookup bucket, or None for an old hash.
    """

    worker_id: str
    pin_hash: str
    salt: str | None
    bucket: int | None


def new_pin_payload(worker_id: str, pin: str, pepper: bytes) -> dict[str, object]:
    """The ``worker.pin_set`` payload of a new PIN: a fresh salt of the worker's own."""
    salt = secrets.token_bytes(SALT_BYTES)
    return {
        "worker_id": worker_id,
        "pin_hash": hash_peppered(pin, salt, pepper),
        "salt": salt.hex(),
        "bucket": bucket_of(pin, pepper),
    }


def pin_matches(stored: StoredPin, pin: str, pepper: bytes, ledger_salt: bytes) -> bool:
    """Whether ``pin`` is the PIN ``stored`` keeps (one slow hash)."""
    if stored.salt is None:
        computed = hash_pin(pin, ledger_salt)
    else:
        computed = hash_peppered(pin, bytes.fromhex(stored.salt), pepper)
    return hmac.compare_digest(computed, stored.pin_hash)
