"""Users' identities: make a key, enrol it in a ledger, list and revoke them.

- ``ot user init USER`` makes a key pair in this user's config folder (``ot.services.keys``).
- ``ot user enrol USER --public-key KEY`` (an admin) records the public key as a
  ``user.enrolled`` event; ``--kiosk`` for a punching station (``kiosk:NAME``),
  which may only record PIN punches.
- The first admin bootstraps a ledger that has no enrolled key yet:
  ``ot --as A1 user enrol A1 --bootstrap`` enrols the key A1 holds, as an
  admin, sealed by that very key. From then on every write is sealed by an
  enrolled key of the user who makes it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ledger.events import NewEvent
from ledger.identity import ENROLLED, REVOKED, key_id_of
from ot.core.errors import OtError, PermissionDenied, Problem
from ot.services.keys import held_users, init_key, load_signer
from ot.services.uow import UnitOfWork, unit_of_work

__all__ = ["Enrolled", "UserRow", "enrol", "list_users", "make_key", "revoke"]


@dataclass(frozen=True)
class Enrolled:
    """A key just enrolled (or found enrolled already).

    Attributes:
        user_id: Whose.
        key_id: Its id.
        kind: ``person`` or ``kiosk``.
        added: False when it was enrolled already.
    """

    user_id: str
    key_id: str
    kind: str
    added: bool


@dataclass(frozen=True)
class UserRow:
    """One identity as ``ot user list`` shows it.

    Attributes:
        user_id: Whose key.
        key_id: Its id ('' when held here but not enrolled).
        kind: ``person`` or ``kiosk`` ('' when not enrolled).
        role: The role it acts with (the roster's, ``admin`` for the bootstrap admin, ``kiosk``).
        enrolled: Whether the ledger enrols it.
        revoked: Whether it was revoked.
        held: Whether this user's config folder holds the private key.
    """

    user_id: str
    key_id: str
    kind: str
    role: str
    enrolled: bool
    revoked: bool
    held: bool


def make_key(user_id: str, passphrase: str | None = None) -> tuple[str, str]:
    """Make and keep a key for ``user_id``; returns (key id, public key) to give an admin."""
    signer = init_key(user_id, passphrase)
    return signer.key_id, signer.public


def _public(text: str) -> str:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise OtError(
            "the key was not enrolled; nothing was written",
            [
                Problem(
                    "--public-key",
                    "not an Ed25519 public key: paste what `ot user init` printed (base64, 44 characters)",
                )
            ],
        )
    return text.strip()


def enrol(
    ledger_path: Path,
    user_id: str,
    *,
    public_key: str | None = None,
    kiosk: bool = False,
    bootstrap: bool = False,
    actor: str,
    now: datetime,
) -> Enrolled:
    """Record a user's public key in the ledger (an admin), or bootstrap the first admin."""
    kind = "kiosk" if kiosk else "person"
    if kiosk and not user_id.startswith("kiosk:"):
        raise OtError("the key was not enrolled; nothing was written", [Problem("USER", "name a station kiosk:NAME")])
    signer = None
    if bootstrap:
        if actor != user_id:
            raise PermissionDenied(
                "only the first admin bootstraps, with their own key", [Problem("--as", f"act as {user_id}")]
            )
        signer = load_signer(user_id)
        if signer is None:
            raise OtError(
                "the ledger was not bootstrapped; nothing was written",
                [Problem("USER", f"you hold no key of {user_id}: run `ot user init {user_id}` first")],
            )
        public = signer.public
    else:
        if public_key is None:
            raise OtError("the key was not enrolled; nothing was written", [Problem("--public-key", "give the key")])
        public = _public(public_key)
    key_id = key_id_of(public)
    with unit_of_work(
        ledger_path, actor=actor, now=now, write=True, create=bootstrap, signer=signer, bootstrap=bootstrap
    ) as uow:
        existing = uow.reads.identities()
        if bootstrap:
            if existing:
                raise OtError(
                    "this ledger is bootstrapped already; nothing was written",
                    [Problem("--bootstrap", "an admin enrols further keys: `ot user enrol USER --public-key KEY`")],
                )
            worker = uow.roster.get(user_id)
            if worker is not None and worker.role != "admin":
                raise PermissionDenied(
                    f"{user_id} is a {worker.role} in the roster: only an admin bootstraps",
                    [Problem("--as", "act as an admin")],
                )
        else:
            uow.require("enrol users")
            if not kiosk and user_id not in uow.roster:
                raise OtError(
                    "the key was not enrolled; nothing was written",
                    [Problem("USER", f"{user_id} is not in the roster: import them first (`ot import workers`)")],
                )
        if any(k == key_id for k, *_rest in existing):
            return Enrolled(user_id, key_id, kind, added=False)
        uow.append(
            [
                NewEvent(
                    ENROLLED,
                    {
                        "user_id": user_id,
                        "key_id": key_id,
                        "public_key": public,
                        "kind": kind,
                        "role": "admin" if bootstrap else None,
                    },
                    key=f"user:{key_id}",
                )
            ]
        )
    return Enrolled(user_id, key_id, kind, added=True)


def revoke(ledger_path: Path, key_id: str, *, reason: str, actor: str, now: datetime) -> str:
    """Revoke an enrolled key (an admin): it seals nothing from then on. Returns whose it was."""
    if not reason.strip():
        raise OtError("the key was not revoked; nothing was written", [Problem("--reason", "say why")])
    with unit_of_work(ledger_path, actor=actor, now=now, write=True) as uow:
        uow.require("revoke keys")
        found = [row for row in uow.reads.identities() if row[0] == key_id]
        if not found or found[0][5]:
            raise OtError(
                "the key was not revoked; nothing was written",
                [Problem("KEY_ID", f"no enrolled key {key_id} in force: see `ot user list`")],
            )
        user = found[0][1]
        _keep_an_admin_key(uow, key_id)
        uow.append(
            [NewEvent(REVOKED, {"user_id": user, "key_id": key_id, "reason": reason.strip()}, key=f"revoked:{key_id}")]
        )
    return user


def _keep_an_admin_key(uow: UnitOfWork, key_id: str) -> None:
    """Refuse to revoke the last key through which anyone can act as an admin (a review: the bootstrap
    admin revoked their own key, which opened the set-up to anyone, and a manager imported themselves
    as an admin). Acting as an admin takes an admin's enrolled key in force: a roster admin's, or that
    of the founder or an admin enrolled by the bootstrap while the roster does not hold them."""
    roster = uow.roster
    founder = uow.reads.founder()
    for k, user, _public, _kind, role, revoked in uow.reads.identities():
        if k == key_id or revoked:
            continue
        worker = roster.get(user)
        if (worker is not None and worker.role == "admin") or (worker is None and (role == "admin" or user == founder)):
            return
    raise OtError(
        f"key {key_id} is the last one an admin acts with: revoked, nobody could act as an admin, which opens "
        "the set-up to anyone; nothing was written",
        [
            Problem(
                "KEY_ID", "enrol another admin's key first (`ot user enrol USER --public-key KEY`), then revoke this"
            )
        ],
    )


def list_users(ledger_path: Path) -> list[UserRow]:
    """Every enrolled key, and every key held here that the ledger does not enrol."""
    rows: list[UserRow] = []
    held = set(held_users())
    seen: set[str] = set()
    if ledger_path.exists():
        with unit_of_work(ledger_path) as uow:
            for key_id, user, _public, kind, role, revoked in uow.reads.identities():
                worker = uow.roster.get(user)
                signer = load_signer(user) if user in held else None
                rows.append(
                    UserRow(
                        user,
                        key_id,
                        kind,
                        "kiosk" if kind == "kiosk" else (worker.role if worker else (role or "")),
                        True,
                        revoked,
                        signer is not None and signer.key_id == key_id,
                    )
                )
                seen.add(user)
    for user in sorted(held - seen):
        rows.append(UserRow(user, "", "", "", False, False, True))
    return rows
