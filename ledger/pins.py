"""Punch PINs: derived from a birth date and an SSN, kept only as a salted slow hash.

The seed's rule (Justworks): the day of the month of birth, without a leading
zero, followed by the last four digits of the SSN: April 7 and ``...-2345``
give ``72345``; December 12 and ``...-6789`` give ``126789``. An admin may set a
six-digit override instead (when two workers would share a PIN).

Neither the SSN nor the birth date is ever stored, logged or echoed: error
messages here name the field, never its value. The ledger keeps only
:func:`hash_pin` of a PIN (scrypt, n=2**14, r=8, p=1) with a random salt per
ledger (in its ``meta`` table), so a PIN typed at the clock is found by hashing
it once and looking the hash up.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from ot.errors import OtError, Problem

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16

_SSN = re.compile(r"^(\d{3}-?\d{2}-?)?(\d{4})$")
_PIN = re.compile(r"^\d{5,6}$")
_OVERRIDE = re.compile(r"^\d{6}$")


def derive_pin(birth_date: date, ssn: str) -> str:
    """The PIN of a worker: day of the month of birth, then the SSN's last four digits.

    ``ssn`` is ``123-45-6789``, ``123456789`` or just the last four digits.
    Raises :class:`OtError` on bad input without echoing the SSN.
    """
    if not isinstance(birth_date, date):
        raise OtError("the birth date is not a date", [Problem("birth_date", "write it as YYYY-MM-DD")])
    match = _SSN.match(ssn.strip()) if isinstance(ssn, str) else None
    if match is None:
        raise OtError(
            "the SSN is not valid",
            [Problem("ssn", "give nine digits (###-##-####) or the last four digits; the value is not shown")],
        )
    return f"{birth_date.day}{match.group(2)}"


def check_override(pin: str) -> str:
    """A PIN override must be six digits; returns it, else :class:`OtError` (without echoing it)."""
    if not isinstance(pin, str) or not _OVERRIDE.match(pin.strip()):
        raise OtError("the PIN override is not valid", [Problem("pin_override", "give exactly six digits")])
    return pin.strip()


def check_pin_shape(pin: str) -> str:
    """A PIN typed at the clock: five or six digits; else :class:`OtError` (without echoing it)."""
    text = pin.strip() if isinstance(pin, str) else ""
    if not _PIN.match(text):
        raise OtError(
            "a PIN is five or six digits: check it and try again", [Problem("--pin", "not five or six digits")]
        )
    return text


def hash_pin(pin: str, salt: bytes) -> str:
    """The hex scrypt hash of a PIN with the ledger's salt (n=2**14, r=8, p=1)."""
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32).hex()
