"""Who sealed what: every event after the first enrolment is sealed by its actor's enrolled key, the
events only an admin may write are recorded by someone who could act as an admin then, and the events
written on one worker's shifts and punches by someone who could write them on that worker then.

An event is sealed by the last event of its transaction's chunk, which carries the writer's key id and
its signature of that event's hash (``ledger.store``): the seal covers every event since the one before
it, all of which must be recorded as the key's user. That proves who wrote an event, not that they were
allowed to: a person with an enrolled key and a way to insert rows (a PostgreSQL login that may INSERT,
the ledger file) could seal an event making themselves an admin, enrolling another key, or recording a
bonus. So the events of :data:`ADMIN_KINDS` (the roster and its PINs, locations, keys, rules, the pay
calendar and the employer, schedules, earnings, timecard approvals, pay runs and corrections:
``ot.services.permissions`` gives them to admins alone) must also be recorded by someone who could act
as an admin at that point of the chain: an admin of the roster, or, while they are not in the roster,
the ledger's founder or an admin enrolled by the bootstrap, as ``ot.services.uow.UnitOfWork.acting``
decides; the set-up kinds (:data:`SETUP_KINDS`) by anyone while nobody could act as an admin (a new
ledger's set-up, as ``roster_has_admin`` opens it). Who could act is judged as of the seal before the
event: a transaction's own roster changes count from its seal on (an admin's import that hands the role
over and demotes them is theirs whole; a chunk of :data:`ledger.store.APPEND_CHUNK` events is sealed on
its own, and so is each append of a transaction).

The same login could seal, with a manager's key, a shift, a punch or a step-1 approval for a worker who is
not that manager's report. So the events of :data:`REPORT_KINDS` (what approving, unapproving, entering,
editing and deleting shifts and adding punches write: ``reports`` in ``ot.services.permissions``, with
the voids those write besides) are recorded by someone who could act as an admin, or
by the worker's manager (a manager of the roster whom the worker's ``manager_id`` names) and never about
their own shifts; a punch (:data:`PUNCH_KIND`) by an admin, a kiosk (``UnitOfWork.acting``), the worker
themselves or their manager, or by anyone while nobody could act as an admin (as ``record_punch`` and
the set-up's ``import punches`` take it). The workers judged are the one the payload names, the one
the event's ``worker_id`` column names (ot reads a punch's worker from it to pair shifts), and, for an
event naming a shift, the one whose shift it is (``S<n>`` is paired from the punch of event ``n``,
``M<n>`` entered by event ``n``: an approval naming a report with another worker's shift id approves
that other worker's shift); ot writes them all the same. Managers are judged as roles are: as of the seal before the event, so a
worker who moves to another manager leaves the old manager's events before the move valid, and flags
theirs after it. An admin is not checked on anyone, themselves included (the roster, the pay and the
keys are theirs already).

:class:`Seals` is fed the events in order by ``ledger.verify`` (every event, or those after a
checkpoint) and by a PostgreSQL replica's pull (``ledger.remote``), which refuses what it flags.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from ledger.identity import ENROLLED, REVOKED, verify_seal

__all__ = ["ADMIN_KINDS", "PUNCH_KIND", "REPORT_KINDS", "SETUP_KINDS", "Seals"]

#: Events an admin alone writes (``ot.services.permissions``: import locations and workers, with their PINs,
#: the roster refresh, enrol and revoke keys, adopt rules, configure pay periods, set the employer, import
#: schedules and excuse a day from reporting-time pay, record and void earnings, approve timecards, run
#: payroll, correct paid dates). Not a timecard's void: a manager's shift edit voids it too.
ADMIN_KINDS = frozenset(
    {
        "worker.added",
        "worker.changed",
        "worker.rate_changed",
        "worker.pin_set",
        "schedule.set",
        "schedule.excused",
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
        "worker.pin_set",
        "schedule.set",
        "schedule.excused",
        "location.added",
        "location.changed",
        "rules.adopted",
        "payperiod.configured",
        "employer.configured",
    }
)
_ROLE_KINDS = ("worker.added", "worker.changed", ENROLLED)
#: Events written on a worker's shifts by whoever may approve, enter or fix them (``ot.services.permissions``:
#: approve, unapprove, enter, edit and delete shifts, add punches, all of scope ``reports``): an admin on anyone,
#: a manager on the workers they manage, nobody on themselves. With the voids those write besides: of a shift's
#: approval and of the worker's unpaid timecards (an edit, a deletion, an unapproval, an entry, a punch added).
#: Not ``sync.enqueued``: a step-1 approval writes it for its shifts, but ``ot sync`` also writes it (its
#: backfill) in a later write that does not ask again who may sync (asked before its lock, and the wait for
#: calls in flight: an admin demoted meanwhile still writes it, and a flag there would stop every replica);
#: and a target is sent only what an approval, checked here, approved.
REPORT_KINDS = frozenset(
    {
        "shift.entered",
        "shift.edited",
        "shift.deleted",
        "approval.shift_approved",
        "approval.shift_voided",
        "approval.timecard_voided",
    }
)
#: A punch (``punch``, scope ``self``; a punch added by hand, ``add punches``; ``import punches``): the worker's
#: own, a kiosk's, their manager's or an admin's; anyone's while nobody could act as an admin (an import of the
#: set-up, a punch on a ledger with no admin).
PUNCH_KIND = "punch.recorded"
#: How many shifts' owners :class:`Seals` keeps at most (a shift's approval, edits and voids name it again).
_OWNERS_KEPT = 65536
#: What :class:`Seals` reads of an earlier event: its kind, payload and ``worker_id`` column by sequence
#: number, or None.
EventOf = Callable[[int], tuple[str, Any, str | None] | None]


class Seals:
    """Every event after the first enrolment is covered by a seal of its actor's enrolled key, an event of
    :data:`ADMIN_KINDS` is recorded by someone who could act as an admin then, and an event of
    :data:`REPORT_KINDS` or a punch by someone who could write it on its worker then.

    ``event_of``: reads an earlier event (its kind, payload and worker column), to find whose shift a shift
    id names (the worker of the punch ``S<seq>`` starts from, or of the entry ``M<seq>``); without it, only
    the workers an event names are judged."""

    def __init__(self, flag: Callable[[int, str], None], event_of: EventOf | None = None) -> None:
        self.flag = flag
        self.event_of = event_of
        self.keys: dict[str, tuple[str, str, bool]] = {}  # key_id -> (user_id, public key, revoked)
        self.pending: list[tuple[int, str]] = []
        self.roles: dict[str, str] = {}  # worker id -> role, from the roster's events (as of the last seal)
        self.managers: dict[str, str | None] = {}  # worker id -> their manager's id, likewise
        self.admin_keys: dict[str, str] = {}  # key_id -> user, of keys enrolled with the admin role
        self.kiosk_keys: dict[str, str] = {}  # key_id -> user, of keys enrolled for a kiosk
        self.founder = ""
        self._unsealed: list[tuple[str, Any]] = []  # role changes of the events since the last seal
        self._owners: dict[str, tuple[str, ...]] = {}  # shift id -> whose (:data:`_OWNERS_KEPT`)

    def state(self) -> dict[str, Any]:
        """What the next incremental verify starts from: the keys known, and the events not sealed yet
        (the roles are read again from the events before it: :meth:`load_roles`)."""
        return {"keys": {k: list(v) for k, v in self.keys.items()}, "pending": [list(p) for p in self.pending]}

    def restore(self, state: dict[str, Any]) -> None:
        """Start from a :meth:`state` (of a checkpoint)."""
        self.keys = {str(k): (str(v[0]), str(v[1]), bool(v[2])) for k, v in dict(state.get("keys") or {}).items()}
        self.pending = [(int(s), str(a)) for s, a in state.get("pending") or []]

    def load_roles(self, conn: sqlite3.Connection, through: int) -> None:
        """The roles, managers, founder, admin and kiosk keys as the events through ``through`` make them
        (verified already: a checkpoint's, or a replica's head), from the few events that set them."""
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
        if kind in ("worker.added", "worker.changed"):
            wid = str(p.get("worker_id"))
            if isinstance(p.get("role"), str):
                self.roles[wid] = p["role"]
            if "manager_id" in p:  # (a change names the fields it changes)
                manager = p["manager_id"]
                self.managers[wid] = manager if isinstance(manager, str) else None
        elif kind == ENROLLED and "key_id" in p:
            if p.get("role") == "admin":
                self.admin_keys[str(p["key_id"])] = str(p.get("user_id"))
            if p.get("kind") == "kiosk":
                self.kiosk_keys[str(p["key_id"])] = str(p.get("user_id"))

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

    def is_kiosk(self, user: str) -> bool:
        """Whether ``user`` acts as a kiosk (``UnitOfWork.acting``): not in the roster, with a kiosk key in force."""
        return user not in self.roles and any(
            u == user and not self.keys.get(k, ("", "", False))[2] for k, u in self.kiosk_keys.items()
        )

    def setup_open(self) -> bool:
        """Whether nobody could act as an admin (``UnitOfWork.roster_has_admin``): the set-up is open."""
        return not any(r == "admin" for r in self.roles.values()) and not self._admin_key()

    def _may(self, actor: str, kind: str) -> bool:
        return self.could_act_as_admin(actor) or (kind in SETUP_KINDS and self.setup_open())

    def _manages(self, actor: str, worker: str) -> bool:
        """Whether ``actor`` is a manager and ``worker``'s (``ot.services.permissions.allowed``)."""
        return self.roles.get(actor) == "manager" and self.managers.get(worker) == actor and worker != actor

    def _owners_of(self, shift_id: str, seq: int) -> tuple[str, ...]:
        """Whose shift ``shift_id`` is, as an earlier event says: ``S<n>`` is paired from the punch of event
        ``n`` (read by its worker column, and by its payload's worker), ``M<n>`` entered by event ``n``
        (``ledger.pairing``, ``ot.services.entries``); none when no earlier event says."""
        if shift_id in self._owners:
            return self._owners[shift_id]
        digits = shift_id[1:]
        if self.event_of is None or shift_id[:1] not in ("S", "M") or not (digits.isascii() and digits.isdigit()):
            return ()
        n = int(digits)
        if not 0 < n < seq:
            return ()
        found = self.event_of(n)
        owners: tuple[str, ...] = ()
        if found is not None and isinstance(found[1], dict):
            kind, p, column = found
            if (shift_id[0] == "S" and kind == PUNCH_KIND) or (
                kind == "shift.entered" and p.get("shift_id") == shift_id
            ):
                owners = tuple(dict.fromkeys(w for w in (p.get("worker_id"), column) if isinstance(w, str)))
        if len(self._owners) >= _OWNERS_KEPT:
            self._owners.clear()
        self._owners[shift_id] = owners  # (an earlier event's: it does not change)
        return owners

    def _out_of_scope(self, seq: int, actor: str, kind: str, p: Any, column: str | None) -> str | None:
        """Why ``actor`` could not write this event of :data:`REPORT_KINDS` or punch on its worker (the one
        its payload names, the one its ``worker_id`` column names, which pairs a punch, and the one whose
        shift it names), or None."""
        if not isinstance(p, dict) or self.could_act_as_admin(actor):
            return None
        punch = kind == PUNCH_KIND
        if punch and self.is_kiosk(actor):
            return None
        judged: dict[str, str] = {}
        for named in (p.get("worker_id"), column):
            if isinstance(named, str):
                judged.setdefault(named, "")
        shift_id = p.get("shift_id")
        if not punch and isinstance(shift_id, str):
            for owner in self._owners_of(shift_id, seq):
                judged.setdefault(owner, f" (shift {shift_id} is {owner}'s)")
        for worker, whose in judged.items():
            if punch:
                if worker == actor or self._manages(actor, worker) or self.setup_open():
                    continue
                return (
                    f"({kind}) it is recorded as {actor}, who could not punch for {worker} then: a punch is the "
                    "worker's own, a kiosk's, their manager's or an admin's (written behind ot's back?)"
                )
            if self._manages(actor, worker):
                continue
            if worker == actor:
                return (
                    f"({kind}) it is recorded as {actor}, on their own shifts{whose}: nobody approves, enters or "
                    "fixes their own, only their manager or an admin (written behind ot's back?)"
                )
            return (
                f"({kind}) it is recorded as {actor}, who does not manage {worker} then{whose}: only {worker}'s "
                "manager or an admin writes it (written behind ot's back?)"
            )
        return None

    def see(
        self,
        seq: int,
        actor: str,
        kind: str,
        p: Any,
        digest: str,
        key_id: str | None,
        sig: str | None,
        worker_id: str | None = None,
    ) -> None:
        """Judge one event (``worker_id``: its column, which pairs a punch), in sequence order."""
        if seq == 1:
            self.founder = actor
        bootstrap = kind == ENROLLED and not self.keys and isinstance(p, dict) and "key_id" in p
        if kind in ADMIN_KINDS and self.keys and not self._may(actor, kind):
            self.flag(
                seq,
                f"({kind}) it is recorded as {actor}, who could not act as an admin then: only an admin "
                "writes it (written behind ot's back?)",
            )
        elif (kind == PUNCH_KIND or kind in REPORT_KINDS) and self.keys:
            why = self._out_of_scope(seq, actor, kind, p, worker_id)
            if why is not None:
                self.flag(seq, why)
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
