"""Who sealed what: every event after the first enrolment is sealed by its actor's enrolled key, and
the events only an admin may write are recorded by someone who could act as an admin then.

An event is sealed by the last event of its transaction's chunk, which carries the writer's key id and
its signature of that event's hash (``ledger.store``): the seal covers every event since the one before
it, all of which must be recorded as the key's user. That proves who wrote an event, not that they were
allowed to: a person with an enrolled key and a way to insert rows (a PostgreSQL login that may INSERT,
the ledger file) could seal an event making themselves an admin, enrolling another key, or recording a
bonus. So the events of :data:`ADMIN_KINDS` (the roster, locations, keys, rules, the pay calendar and the
employer, earnings, timecard approvals, pay runs and corrections: ``ot.services.permissions`` gives them
to admins alone) must also be recorded by someone who could act as an admin at that point of the chain:
an admin of the roster, or, while they are not in the roster, the ledger's founder or an admin enrolled
by the bootstrap, as ``ot.services.uow.UnitOfWork.acting`` decides; the set-up kinds
(:data:`SETUP_KINDS`) by anyone while nobody could act as an admin (a new ledger's set-up, as
``roster_has_admin`` opens it). Who could act is judged as of the seal before the event: a transaction's
own roster changes count from its seal on (an admin's import that hands the role over and demotes them
is theirs whole; a chunk of :data:`ledger.store.APPEND_CHUNK` events is sealed on its own).

:class:`Seals` is fed the events in order by ``ledger.verify`` (every event, or those after a
checkpoint) and by a PostgreSQL replica's pull (``ledger.remote``), which refuses what it flags.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from ledger.identity import ENROLLED, REVOKED, verify_seal

__all__ = ["ADMIN_KINDS", "SETUP_KINDS", "Seals"]

#: Events an admin alone writes (``ot.services.permissions``: import locations and workers, the roster
#: refresh, enrol and revoke keys, adopt rules, configure pay periods, set the employer, record and void
#: earnings, approve timecards, run payroll, correct paid dates). Not a timecard's void: a manager's
#: shift edit voids it too.
ADMIN_KINDS = frozenset(
    {
        "worker.added",
        "worker.changed",
        "worker.rate_changed",
        "location.added",
        "location.changed",
        ENROLLED,
        REVOKED,
        "rules.adopted",
        "payperiod.configured",
        "employer.configured",
        "earning.recorded",
        "earning.voided",
        "approval.timecard_approved",
        "payrun.recorded",
        "payrun.worker_paid",
        "correction.recorded",
        "correction.settled",
    }
)
#: Of those, the set-up a new ledger opens to anyone while nobody could act as an admin.
SETUP_KINDS = frozenset(
    {
        "worker.added",
        "worker.changed",
        "worker.rate_changed",
        "location.added",
        "location.changed",
        "rules.adopted",
        "payperiod.configured",
        "employer.configured",
    }
)
_ROLE_KINDS = ("worker.added", "worker.changed", ENROLLED)


class Seals:
    """Every event after the first enrolment is covered by a seal of its actor's enrolled key, and an
    event of :data:`ADMIN_KINDS` is recorded by someone who could act as an admin then."""

    def __init__(self, flag: Callable[[int, str], None]) -> None:
        self.flag = flag
        self.keys: dict[str, tuple[str, str, bool]] = {}  # key_id -> (user_id, public key, revoked)
        self.pending: list[tuple[int, str]] = []
        self.roles: dict[str, str] = {}  # worker id -> role, from the roster's events (as of the last seal)
        self.admin_keys: dict[str, str] = {}  # key_id -> user, of keys enrolled with the admin role
        self.founder = ""
        self._unsealed: list[tuple[str, Any]] = []  # role changes of the events since the last seal

    def state(self) -> dict[str, Any]:
        """What the next incremental verify starts from: the keys known, and the events not sealed yet
        (the roles are read again from the events before it: :meth:`load_roles`)."""
        return {"keys": {k: list(v) for k, v in self.keys.items()}, "pending": [list(p) for p in self.pending]}

    def restore(self, state: dict[str, Any]) -> None:
        """Start from a :meth:`state` (of a checkpoint)."""
        self.keys = {str(k): (str(v[0]), str(v[1]), bool(v[2])) for k, v in dict(state.get("keys") or {}).items()}
        self.pending = [(int(s), str(a)) for s, a in state.get("pending") or []]

    def load_roles(self, conn: sqlite3.Connection, through: int) -> None:
        """The roles, founder and admin keys as the events through ``through`` make them (verified
        already: a checkpoint's, or a replica's head), from the few events that set them."""
        first = conn.execute("SELECT actor FROM events WHERE seq = 1").fetchone()
        self.founder = str(first[0]) if first else ""
        for kind, payload in conn.execute(
            "SELECT kind, payload FROM events WHERE kind IN (?, ?, ?) AND kind != 'punch.recorded' AND seq <= ? "
            "ORDER BY seq",
            (*_ROLE_KINDS, through),
        ):
            self._fold_roles(kind, json.loads(payload))

    def _fold_roles(self, kind: str, p: Any) -> None:
        if not isinstance(p, dict):
            return
        if kind in ("worker.added", "worker.changed") and isinstance(p.get("role"), str):
            self.roles[str(p.get("worker_id"))] = p["role"]
        elif kind == ENROLLED and p.get("role") == "admin" and "key_id" in p:
            self.admin_keys[str(p["key_id"])] = str(p.get("user_id"))

    def _admin_key(self, user: str | None = None) -> bool:
        """Whether an admin key (of ``user``, or of anyone the roster does not hold) is in force."""
        return any(
            not self.keys.get(k, ("", "", False))[2] and (u == user if user is not None else u not in self.roles)
            for k, u in self.admin_keys.items()
        )

    def could_act_as_admin(self, user: str) -> bool:
        """Whether ``user`` could act as an admin at this point of the chain (``UnitOfWork.acting``)."""
        if user in self.roles:
            return self.roles[user] == "admin"
        return user == self.founder or self._admin_key(user)

    def setup_open(self) -> bool:
        """Whether nobody could act as an admin (``UnitOfWork.roster_has_admin``): the set-up is open."""
        return not any(r == "admin" for r in self.roles.values()) and not self._admin_key()

    def _may(self, actor: str, kind: str) -> bool:
        return self.could_act_as_admin(actor) or (kind in SETUP_KINDS and self.setup_open())

    def see(self, seq: int, actor: str, kind: str, p: Any, digest: str, key_id: str | None, sig: str | None) -> None:
        if seq == 1:
            self.founder = actor
        bootstrap = kind == ENROLLED and not self.keys and isinstance(p, dict) and "key_id" in p
        if kind in ADMIN_KINDS and self.keys and not self._may(actor, kind):
            self.flag(
                seq,
                f"({kind}) it is recorded as {actor}, who could not act as an admin then: only an admin "
                "writes it (written behind ot's back?)",
            )
        if bootstrap:
            self.keys[str(p["key_id"])] = (str(p["user_id"]), str(p["public_key"]), False)
        if kind in _ROLE_KINDS:
            if self.keys and not bootstrap:
                self._unsealed.append((kind, p))  # counts from its seal on
            else:
                self._fold_roles(kind, p)
        if self.keys:
            self.pending.append((seq, actor))
        if key_id is not None or sig is not None:
            self._seal(seq, actor, digest, key_id, sig)
        if not bootstrap and isinstance(p, dict) and kind == ENROLLED and "key_id" in p:
            self.keys[str(p["key_id"])] = (str(p["user_id"]), str(p["public_key"]), False)
        elif isinstance(p, dict) and kind == REVOKED and p.get("key_id") in self.keys:
            user, public, _revoked = self.keys[str(p["key_id"])]
            self.keys[str(p["key_id"])] = (user, public, True)

    def _seal(self, seq: int, actor: str, digest: str, key_id: str | None, sig: str | None) -> None:
        found = self.keys.get(key_id or "")
        if found is None:
            self.flag(seq, f"its seal names key {key_id}, which was not enrolled (forged?)")
        elif found[2]:
            self.flag(seq, f"its seal is by key {key_id}, revoked before it")
        elif not sig or not verify_seal(found[1], digest, sig):
            self.flag(seq, "its seal does not match its contents (edited, or the chain rewritten?)")
        else:
            others = sorted({a for _s, a in self.pending if a != found[0]})
            if others:
                self.flag(seq, f"it seals events recorded as {', '.join(others)} with the key of {found[0]} (forged?)")
        self.pending = []
        for kind, p in self._unsealed:
            self._fold_roles(kind, p)
        self._unsealed = []

    def end(self) -> None:
        if self.pending:
            first = self.pending[0][0]
            self.flag(first, "events from here on are not sealed by an enrolled key (added behind ot's back?)")
