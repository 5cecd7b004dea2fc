"""PINs: derived from the day of birth and the SSN's last four digits, kept only as a salted scrypt hash."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.pins import check_override, check_pin_shape, derive_pin, hash_pin
from ot.core.errors import OtError

SSN = "123-45-6789"


@pytest.mark.parametrize(
    ("birth", "ssn", "pin"),
    [
        (date(1990, 4, 7), "987-65-2345", "72345"),
        (date(1985, 12, 12), "111-22-6789", "126789"),
        (date(2001, 1, 1), "123456789", "16789"),
        (date(2001, 1, 31), "6789", "316789"),
    ],
)
def test_derive_pin(birth: date, ssn: str, pin: str) -> None:
    """The seed's examples (Justworks Time Tracking, "Employee PIN"): April 7 + 2345 -> 72345, Dec 12 + 6789 -> 126789."""
    assert derive_pin(birth, ssn) == pin


@pytest.mark.parametrize("ssn", ["12-345-6789", "123-45-678", "abc", "", "1234567890", "123 45 6789"])
def test_bad_ssn_is_refused_without_echo(ssn: str) -> None:
    with pytest.raises(OtError) as info:
        derive_pin(date(1990, 4, 7), ssn)
    text = info.value.render()
    assert "ssn" in text
    for digits in ("345", "678", "6789"):
        if digits in ssn:
            assert digits not in text


def test_bad_birth_date() -> None:
    with pytest.raises(OtError, match="birth date"):
        derive_pin("1990-04-07", SSN)  # type: ignore[arg-type]


def test_override_and_shape() -> None:
    assert check_override(" 123456 ") == "123456"
    assert check_pin_shape("72345") == "72345"
    for bad in ("12345", "1234567", "12a456"):
        with pytest.raises(OtError) as info:
            check_override(bad)
        assert bad not in info.value.render()
    for bad in ("1234", "1234567", "abcde", ""):
        with pytest.raises(OtError) as info:
            check_pin_shape(bad)
        assert not bad or bad not in info.value.render()


def test_hash_pin_is_salted_scrypt() -> None:
    import hashlib

    salt = bytes(range(16))
    digest = hash_pin("72345", salt)
    assert digest == hashlib.scrypt(b"72345", salt=salt, n=2**14, r=8, p=1, dklen=32).hex()
    assert hash_pin("72345", salt) == digest
    assert hash_pin("72345", bytes(16)) != digest
    assert hash_pin("72346", salt) != digest
    assert "72345" not in digest
