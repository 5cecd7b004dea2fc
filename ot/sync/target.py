"""The small interface a payroll target implements, and the records it exchanges.

A target receives :class:`Op` records (create, update or delete one shift at
the target) and yields one :class:`Outcome` per op, in any order, as soon as
each is known, so that the service records each result in the ledger at once.
Adding a target is one module with a class that has these members, registered
for its config ``kind`` in :mod:`ot.sync.registry`. :class:`TargetConfig` is one
``[targets.NAME]`` table as the sync config read it (the keys every kind has,
and the kind's own keys, which the target's module parses).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from ot.core.domain import Location, Shift, Worker
from ot.core.errors import OtError, Problem

ACTIONS: tuple[str, ...] = ("create", "update", "delete")


@dataclass(frozen=True)
class TargetConfig:
    """One ``[targets.NAME]`` table.

    The keys every target has are fields; the keys of its kind are in ``options``,
    as the kind's ``parse_config`` returned them (:mod:`ot.sync.registry`). The
    built-in kinds' keys can also be read as attributes (``folder``, ``base_url``...).

    Attributes:
        name: The table's name.
        kind: ``csv``, ``everee``... (a kind in :mod:`ot.sync.registry`).
        correction_authorized: Whether changes on paid dates may be sent as corrections.
        correction_timeframe: How an underpayment found by a correction is paid.
        where: ``FILE [targets.NAME]`` for messages.
        options: The kind's own keys, parsed by the target's module.
    """

    name: str
    kind: str
    correction_authorized: bool = False
    correction_timeframe: str = "NEXT_PAYROLL_PAYMENT"
    where: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> Path | None:
        """csv: the folder feeds are written into (absolute)."""
        folder: Path | None = self.options.get("folder")
        return folder

    @property
    def base_url(self) -> str:
        """everee: the API's base URL."""
        return str(self.options.get("base_url", ""))

    @property
    def tenant_id(self) -> str:
        """everee: the tenant (company) id sent in the ``x-everee-tenant-id`` header."""
        return str(self.options.get("tenant_id", ""))

    @property
    def token_env(self) -> str:
        """everee: the environment variable holding the API token."""
        return str(self.options.get("token_env", ""))

    @property
    def timeout_seconds(self) -> float:
        """everee: per-request timeout."""
        return float(self.options.get("timeout_seconds", 10.0))

    @property
    def retries(self) -> int:
        """everee: attempts after the first on a 5xx, a timeout or a dropped connection."""
        return int(self.options.get("retries", 3))

    @property
    def work_locations(self) -> Mapping[str, int]:
        """everee: ot location id -> the target's work location id."""
        locations: Mapping[str, int] = self.options.get("work_locations", {})
        return locations


def secret(target: TargetConfig, environ: Mapping[str, str] | None = None) -> str:
    """The API token of a target, from the environment variable its config names."""
    env = os.environ if environ is None else environ
    value = env.get(target.token_env, "")
    if not value:
        raise OtError(
            f"no API token for sync target {target.name!r}",
            [Problem(f"${target.token_env}", f"set the environment variable {target.token_env} to the API token")],
        )
    return value


@dataclass(frozen=True)
class Op:
    """One change to make at a target.

    Attributes:
        action: ``create``, ``update`` or ``delete``.
        target: The target's name (from the config).
        shift_id: The ledger's shift id.
        worker_id: Whose shift.
        day: Local date of the shift (decides its pay period and workweek).
        version: The shift version sent (:func:`ledger.approvals.shift_version`); for a
            delete, the version last sent.
        key: The stable key of (target, shift, version): a retry carries the same key.
        external_id: The stable id of the shift at the target side (``ot:<target>:<shift_id>``),
            the same for every version, so that an edit is an update, never a second create.
        shift: The shift as it is now (None for a delete of a shift that no longer exists).
        target_id: The target's own id of the shift once created, else None.
        correction: True when the shift's date is paid: the change is a correction.
        uncertain: True when an earlier attempt of this shift ended without a known
            outcome (a crash, or a call that got no clear answer): the target may hold a
            copy the ledger does not know of, so the target looks the shift up before it
            creates (or deletes) anything.
        lookup_days: The dates to search besides ``day`` in that look-up: the shift's dates
            in the attempts left unsettled (the shift may have been moved to another date since).
        lookup_after: When an earlier call whose answer never came may still be landing at
            the target, until when: the target sends nothing about this shift, and looks
            nothing up, before then (None: no such call).
        left_open: True when an attempt recorded by a sync that stopped before its result
            (``sync.started`` with no outcome, recorded with its time) is taken over: a
            call it made may still be landing, so the sync waits for calls in flight first.
    """

    action: str
    target: str
    shift_id: str
    worker_id: str
    day: date
    version: str
    key: str
    external_id: str
    shift: Shift | None = None
    target_id: str | None = None
    correction: bool = False
    uncertain: bool = False
    lookup_days: tuple[date, ...] = ()
    lookup_after: datetime | None = None
    left_open: bool = False


@dataclass(frozen=True)
class Outcome:
    """What became of one op.

    Attributes:
        key: The op's key.
        ok: True when the target holds the change.
        target_id: The target's id of the shift (None after a delete or a failure).
        transient: On a failure: True when sending again later may work (a 5xx, a
            timeout); False when someone must act first.
        message: On a failure: what is wrong, in words an admin understands.
        what_to_do: On a failure: what to do about it.
        unknown: On a failure: True when the target may hold a change the ledger does not
            know of (a call that got no clear answer, now or in an attempt this one did not
            settle): the next attempt looks the shift up before it creates anything.
        lookup_after: With ``unknown``: the instant from which such a call can no longer be
            landing (a look-up then sees what it did); None: at once.
    """

    key: str
    ok: bool
    target_id: str | None = None
    transient: bool = False
    message: str = ""
    what_to_do: str = ""
    unknown: bool = False
    lookup_after: datetime | None = None


@dataclass(frozen=True)
class Settled:
    """How the latest correction of a worker's date stands (for targets that write what was paid).

    Attributes:
        correction_id: The correction.
        how: ``open`` (not yet settled in whole), ``next_payroll``, ``off_cycle`` or ``externally_paid``.
        run_id: The pay run that settled its last part (None while open, or paid externally).
    """

    correction_id: str
    how: str
    run_id: str | None = None


class PayView(Protocol):
    """What a target that writes paid pay runs (``export``) reads of the ledger's pay state.

    The sync service provides it (:class:`ot.services.exports.LedgerPayView`); it reads
    the ledger when asked, with the syncing user's rights.
    """

    def paid_by(self, worker_id: str, day: date) -> str | None:
        """The regular pay run that paid ``worker_id`` for ``day`` (None: not paid)."""
        ...

    def settled(self, worker_id: str, day: date) -> Settled | None:
        """The latest correction covering ``worker_id``'s ``day`` (None: none was recorded)."""
        ...

    def batch(self, run_id: str) -> Any:
        """The pay run ``run_id`` as an export batch (:class:`ot.exports.model.Batch`), read now."""
        ...


@dataclass(frozen=True)
class SendContext:
    """What a target may need besides the ops.

    Attributes:
        roster: Worker id -> Worker.
        locations: Location id -> Location.
        wanted: Every shift that should be at the target now (approved, current
            version, valid), by shift id: a target that sends whole files (csv)
            rebuilds them from this.
        paid_periods: (worker_id, period_start) pairs already paid.
        changed_since_paid: (worker_id, period_start) -> why, for the paid periods (among those of
            ``wanted``) whose shifts are no longer exactly the versions paid (a correction, an edit, a
            deletion or an unapproval since): a target that writes whole files (csv) cannot write
            again what was paid for them, so it keeps their rows as they were and refuses their shifts.
        kept: Shifts the target holds at their current version that are no longer approved (unapproved
            after they were sent), by shift id: nothing deletes them, so a target that writes whole
            files keeps them in, as sent, until they are approved again, edited or deleted.
        now: The instant of the sync (UTC).
        period_of: Local date -> (first, last) day of its pay period.
        week_end_of: Local date -> the last day of its workweek.
        ledger_head: (sequence number, hash) of the ledger's last event when the sync read it.
        pay: The pay state, for targets that write what the pay runs paid (None: not given).
        clock: The sync's clock (UTC), read as the sends go on (None: ``now`` and the time since).
    """

    roster: Mapping[str, Worker]
    locations: Mapping[str, Location]
    wanted: Mapping[str, Shift] = field(default_factory=dict)
    paid_periods: frozenset[tuple[str, date]] = frozenset()
    changed_since_paid: Mapping[tuple[str, date], str] = field(default_factory=dict)
    kept: Mapping[str, Shift] = field(default_factory=dict)
    now: datetime | None = None
    period_of: Callable[[date], tuple[date, date]] = lambda d: (d, d)
    week_end_of: Callable[[date], date] = lambda d: d
    ledger_head: tuple[int, str] | None = None
    pay: PayView | None = None
    clock: Callable[[], datetime] | None = None


class Target(Protocol):
    """A payroll target.

    Attributes:
        name: Its name in the config (``[targets.NAME]``).
        kind: ``csv``, ``everee``...
        correction_authorized: Whether changes on paid dates may be sent (as corrections).
        w2_only: Whether the target takes timecards of W-2 employees only.
        leave_hours: Whether the target takes PTO/SICK/HOLIDAY hours approved with
            the timecards (step 2) besides the worked shifts approved in step 1.
    """

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def correction_authorized(self) -> bool: ...
    @property
    def w2_only(self) -> bool: ...
    @property
    def leave_hours(self) -> bool: ...

    def check(self, op: Op, ctx: SendContext) -> tuple[str, str] | None:
        """A reason (message, what to do) this target would refuse ``op``, known before sending; else None."""
        ...

    def send(self, ops: Sequence[Op], ctx: SendContext) -> Iterator[Outcome]:
        """Make the changes; yield one outcome per op as soon as it is known."""
        ...


def fence(target: Target, still_held: Callable[[], bool]) -> None:
    """Give ``target`` the check it makes before each call it sends (each attempt, each retry): whether
    this sync still holds the ledger's sync lock. A target may define ``fence_with(check)``; the
    ``everee`` target does, and sends nothing more once the check fails (the lock of a PostgreSQL
    ledger is lost with its connection, and another machine's sync may then take the shifts over)."""
    method = getattr(target, "fence_with", None)
    if callable(method):
        method(still_held)


def in_flight_seconds(target: Target) -> float:
    """How long one call ``target`` already sent may still land after its sync lost the lock: what a
    sync that takes over another's open attempts waits, after taking the lock, before it looks them up
    (``in_flight_seconds`` of the target; 0 for a target that calls no other system)."""
    value = getattr(target, "in_flight_seconds", 0.0)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def holds(target: Target, op: Op, ctx: SendContext) -> str | None:
    """Why ``target`` holds ``op`` back for now (it stays ``Send``, with nothing recorded), else None.

    A target may define ``holds(op, ctx)``: the ``export`` target holds a shift until a
    pay run has paid its date. The others send at once.
    """
    method = getattr(target, "holds", None)
    return method(op, ctx) if callable(method) else None


def hourly_rate(shift: Shift, worker: Worker | None, day: date) -> Decimal | None:
    """The rate a shift is paid at: its own effective rate, else the worker's profile rate on ``day``."""
    if shift.rate is not None:
        return shift.rate
    return worker.rate_on(day) if worker is not None else None
