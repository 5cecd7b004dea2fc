"""The keys a user holds: Ed25519 private keys in their own config folder, never in the ledger.

    <config>/keys/<user>.pem      PKCS#8 PEM, mode 0600, optionally passphrase-protected

``<config>`` is ``$OT_KEYS`` when set, else the per-user config folder
(platformdirs: ``~/.config/ot`` on Linux). ``--as USER`` chooses among the
keys held here: a write to a ledger with enrolled identities is sealed with the
acting user's key, and refused when that key is not held (or not enrolled).
A passphrase comes from ``$OT_KEY_PASSPHRASE`` or, in a terminal, a prompt.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from ledger.identity import Signer
from ot.core.errors import OtError, Problem

__all__ = ["held_users", "init_key", "key_path", "keys_dir", "load_signer"]

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def keys_dir() -> Path:
    """Where this user's keys live (created owner-only when first needed)."""
    configured = os.environ.get("OT_KEYS")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("ot", appauthor=False)) / "keys"


def key_path(user_id: str) -> Path:
    """The file of a user's private key."""
    name = _SAFE.sub(lambda m: f"%{ord(m.group(0)):02x}", user_id)
    return keys_dir() / f"{name}.pem"


def init_key(user_id: str, passphrase: str | None = None) -> Signer:
    """Make a new key pair for ``user_id`` and keep the private key (refused when one is held already)."""
    if not user_id.strip():
        raise OtError("no key was made", [Problem("USER", "give the user id (a worker id, or kiosk:NAME)")])
    path = key_path(user_id)
    if path.exists():
        raise OtError(
            f"a key of {user_id} is held already",
            [Problem(str(path), "keep using it (`ot user list` shows its key id), or move it away first")],
        )
    key = Ed25519PrivateKey.generate()
    encryption = BestAvailableEncryption(passphrase.encode()) if passphrase else NoEncryption()
    data = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return Signer(user_id, key)


def load_signer(user_id: str, passphrase: Callable[[], str | None] | None = None) -> Signer | None:
    """The key held for ``user_id`` (None when none is held)."""
    path = key_path(user_id)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OtError(f"the key of {user_id} cannot be read", [Problem(str(path), exc.strerror or str(exc))]) from None
    secret: str | None = None
    if b"ENCRYPTED" in data:
        secret = os.environ.get("OT_KEY_PASSPHRASE") or (passphrase() if passphrase else None)
        if not secret:
            raise OtError(
                f"the key of {user_id} is protected by a passphrase",
                [Problem(str(path), "set $OT_KEY_PASSPHRASE, or run ot in a terminal to be asked for it")],
            )
    try:
        key = load_pem_private_key(data, password=secret.encode() if secret else None)
    except (ValueError, TypeError):
        raise OtError(
            f"the key of {user_id} cannot be opened", [Problem(str(path), "wrong passphrase, or not an ot key")]
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise OtError(
            f"the key of {user_id} is not an Ed25519 key", [Problem(str(path), "make one with `ot user init`")]
        )
    return Signer(user_id, key)


def held_users() -> list[str]:
    """The user ids whose keys are held here."""
    folder = keys_dir()
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.pem")):
        out.append(re.sub(r"%([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), path.stem))
    return out
