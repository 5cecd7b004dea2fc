"""One unit of work: every service opens the ledger, reads, checks and writes through it.

    with unit_of_work(path, actor="A1", now=now, write=True) as uow:
        me = uow.acting("run payroll")
        shifts = uow.shifts(["W1"], first, last)
        uow.append([...])

- A write (``write=True``) is one ``BEGIN IMMEDIATE`` transaction: everything
  read inside it is what the append will be checked against, and everything
  appended is committed together at the end, or nothing on any error.
- A dry run (``dry_run=True``) is the same write, rolled back at the end: a
  command previews exactly what it would do by doing it.
- A read (``write=False``) is one read transaction (a consistent snapshot).

What every service reads first is here, read once and cached for the unit:
the roster, the locations, the rules history, the pay schedule, the employer,
the pay state (:class:`ledger.approvals.PayBook`, read live from its indexed
tables), and the one shift loader (:meth:`UnitOfWork.shifts`) that ``ot
shifts``, approvals, pay runs, stubs, corrections, sync and the TUI all use.
An append that changes one of the cached facts (a rate, a location, a rules
file, the pay calendar) drops that cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ledger.approvals import PayBook
from ledger.events import Event, NewEvent
from ledger.identity import Signer
from ledger.paystate import FoldError
from ledger.store import Ledger, PreparedEvent, Writer
from ot.core.domain import Location, Shift, Worker
from ot.core.errors import OtError, PermissionDenied, Problem
from ot.core.periods import PayPeriod, PaySchedule
from ot.core.timez import utcnow
from ot.stubs.model import Employer

if TYPE_CHECKING:
    from ot.services.pay import PricedWeek, PriceRun, Window
    from ot.services.periods import PeriodSettings
    from ot.services.ruleset import RulesHistory
    from ot.services.trust import Checked

__all__ = ["UnitOfWork", "unit_of_work"]

T = TypeVar("T")


class _DryRun(Exception):
    """Rolls a dry run's transaction back at the end of the unit."""


class UnitOfWork:
    """An open ledger transaction and what the services read through it.

    Attributes:
        ledger: The open ledger.
        reads: The write transaction (:class:`Writer`), or the ledger for a read.
        actor: Who acts (None for an anonymous read).
        now: The instant of the unit (UTC).
        dry_run: True when everything appended will be rolled back.
        path: The ledger file.
    """

    def __init__(
        self, ledger: Ledger, reads: Ledger | Writer, actor: str | None, now: datetime, dry_run: bool, path: Path
    ) -> None:
        self.ledger = ledger
        self.reads = reads
        self.actor = actor
        self.now = now
        self.dry_run = dry_run
        self.path = path
        self.pay = PayBook(ledger.connection)
        self._cache: dict[str, object] = {}
        #: What this unit's check of the money tables folded (``ot.services.trust``), sealed at a write's end.
        self.checked: Checked | None = None
        #: Processes that pair and price workers (:mod:`ot.services.pool`); a command sets it from ``--jobs``.
        self.jobs = 1
        #: Whether prices may leave out the explanations and pay groups (a pay run, stubs, what-if).
        self.lean = False

    # --- cached facts ---

    def _cached(self, name: str, make: Callable[[], T]) -> T:
        if name not in self._cache:
            self._cache[name] = make()
        found: Any = self._cache[name]
        return found

    @property
    def roster(self) -> dict[str, Worker]:
        """Worker id -> Worker."""
        return self._cached("roster", self.reads.roster)

    @property
    def locations(self) -> dict[str, Location]:
        """Location id -> Location."""
        return self._cached("locations", self.reads.locations)

    @property
    def history(self) -> RulesHistory:
        """The adopted rules files."""
        from ot.services.ruleset import RulesHistory

        return self._cached("history", lambda: RulesHistory(self.reads.rules_adopted()))

    @property
    def settings(self) -> PeriodSettings:
        """The pay-period settings (the schedule, and whether it was configured)."""
        from ot.services.periods import PERIOD_EVENT, schedule_of

        return self._cached("settings", lambda: schedule_of(self.reads.events(kind=PERIOD_EVENT)))

    @property
    def schedule(self) -> PaySchedule:
        """The pay schedule."""
        return self.settings.schedule

    @property
    def employer(self) -> Employer:
        """The employer on the stubs."""
        from ot.services.periods import EMPLOYER_EVENT, employer_of

        return self._cached("employer", lambda: employer_of(self.reads.events(kind=EMPLOYER_EVENT)))

    def period_containing(self, day: date) -> PayPeriod:
        """The pay period that holds ``day``."""
        return self.schedule.period_containing(day)

    # --- who acts ---

    def acting(self, action: str) -> Worker:
        """The roster entry of the acting user, or :class:`PermissionDenied` saying what to do.

        An enrolled identity that is not a worker acts too: the bootstrap admin (before the roster
        holds them) as an admin, a punching station as a ``kiosk``. So does the ledger's founder
        (the actor of its first event, a set-up taken before any admin existed), as an admin: on
        a ledger with enrolled keys they act only with their own enrolled key (the seal check)."""
        user = self.actor or ""
        self._trust_authority(user)
        worker = self.roster.get(user)
        if worker is None and user and user == self._cached("founder", self.reads.founder):
            return Worker(user, user, "W2", (), "", None, "admin")
        if worker is None:
            for _key, _who, _public, kind, role, revoked in self.reads.identities(user):
                if not revoked and (kind == "kiosk" or role == "admin"):
                    return Worker(user, user, "W2", (), "", None, "kiosk" if kind == "kiosk" else "admin")
        if worker is None:
            raise PermissionDenied(
                f"{user!r} may not {action}",
                [Problem("--as", f"{user!r} is not in the roster: act as a manager or admin with --as WORKER_ID")],
            )
        return worker

    def roster_has_admin(self) -> bool:
        """Whether anyone can act as an admin yet (a roster admin, or the bootstrap admin). A roster with no
        admin opens the set-up to anyone: that is believed only when the events say so too."""
        self._trust_authority(self.actor or "")
        found = any(w.role == "admin" for w in self.roster.values()) or any(
            role == "admin" and not revoked for _k, _u, _p, _kind, role, revoked in self.reads.identities()
        )
        if not found:
            from ot.services.authority import admin_in_events, refuse

            if admin_in_events(self.ledger.connection):
                refuse([Problem("table workers", "no row says admin, but the events name an admin")])
        return found

    def admins(self) -> list[str]:
        """The roster's admins (before a roster change: :meth:`keep_an_admin`)."""
        return sorted(wid for wid, w in self.roster.items() if w.role == "admin")

    def keep_an_admin(self, before: Sequence[str]) -> None:
        """After a roster change appended in this unit: refuse it when the roster had admins (``before``)
        and has none now. A roster with no admin opens the set-up to anyone (a new ledger's), so an
        import that demoted the last admin let any worker import themselves as one."""
        self.refresh()
        if before and not self._an_admin_can_act():
            raise OtError(
                "the roster would be left with no admin, which opens the set-up to anyone; nothing was written",
                [Problem(f"worker {w}", "keep at least one admin: make another worker an admin first") for w in before],
            )

    def _an_admin_can_act(self) -> bool:
        """Whether someone can still act as an admin (:meth:`acting`): a roster admin, or the founder or an
        enrolled admin key of a user the roster does not hold (a demoted admin's own key does not count:
        they act as the roster says, a review found an import locking every admin out that way)."""
        roster = self.roster
        if any(w.role == "admin" for w in roster.values()):
            return True
        identities = self.reads.identities()
        founder = self._cached("founder", self.reads.founder)
        # The founder acts as an admin while the roster does not hold them; once keys are enrolled, only
        # with a key of their own (a review: a founder with none was counted, so the last admin could
        # demote themselves and leave nobody able to act).
        if (
            founder
            and founder not in roster
            and (not identities or any(u == founder and not revoked for _k, u, _p, _kd, _r, revoked in identities))
        ):
            return True
        return any(
            role == "admin" and not revoked and user not in roster for _k, user, _p, _kind, role, revoked in identities
        )

    def _trust_authority(self, user: str) -> None:
        """Refuse when the tables the permissions read for ``user`` differ from the events: the keys
        (``identities``), the user's roster row and, for a manager, the rows of their reports
        (:mod:`ot.services.authority`). Once per unit."""
        if self._cache.get("authority") == user:
            return
        from ot.services.authority import check_identities, check_workers, refuse

        conn = self.ledger.connection
        me = self.roster.get(user)
        manager = user if me is not None and me.role == "manager" else None
        refuse([*check_identities(conn), *(check_workers(conn, [user], manager) if user else [])])
        self._cache["authority"] = user

    def require(self, action: str, worker: Worker | None = None) -> Worker | None:
        """The acting user, when they may take ``action`` (on ``worker``): the one permission check
        (:mod:`ot.services.permissions`). None for a set-up action on a ledger with no admin yet."""
        from ot.services.permissions import PERMISSIONS
        from ot.services.permissions import require as check

        has_admin = self.roster_has_admin()
        if PERMISSIONS[action].setup and not has_admin:
            return None
        me = self.acting(action)
        check(action, me, worker, roster_has_admin=has_admin)
        return me

    # --- shifts and prices ---

    def shifts(self, worker_ids: Sequence[str], first: date, last: date, *, jobs: int | None = None) -> list[Shift]:
        """Every shift in force of these workers starting on a local date in ``[first, last]``
        (the one shift loader: :func:`ot.services.pay.shifts_in_force`), paired by ``jobs``
        processes (default: the unit's)."""
        from ot.services.pay import shifts_in_force

        ids = [w for w in worker_ids if w in self.roster]
        jobs = self.jobs if jobs is None else jobs
        return shifts_in_force(self.reads, self.roster, self.locations, self.history, ids, first, last, jobs=jobs)

    def price(
        self,
        worker_ids: Sequence[str],
        start: date,
        end: date,
        meanwhile: Callable[[], object] | None = None,
        window: Window | None = None,
        on_part: Callable[[Sequence[PricedWeek], Mapping[str, tuple[tuple[Shift, str], ...]]], object] | None = None,
    ) -> PriceRun:
        """Price every workweek overlapping ``[start, end]`` (:func:`ot.services.pay.price_open`);
        ``meanwhile``: the caller's own work while a pool prices; ``window``: the shifts of these
        dates too, paired with the weeks; ``on_part``: the caller's work on each chunk as it is done."""
        from ot.services.pay import price_open

        ids = [w for w in worker_ids if w in self.roster]
        return price_open(
            self.reads,
            self.roster,
            self.locations,
            self.history,
            ids,
            start,
            end,
            jobs=self.jobs,
            lean=self.lean,
            meanwhile=meanwhile,
            window=window,
            on_part=on_part,
        )

    def find_shift(self, shift_id: str) -> Shift | None:
        """The shift in force with this id (manual, or paired from punches), or None."""
        from ot.services.pay import shift_day

        for e in self.reads.shift_entries(include_deleted=True):
            if e.shift_id != shift_id:
                continue
            if e.deleted or e.worker_id not in self.roster:
                return None
            from ot.services.shifts import entry_shift

            day = shift_day(entry_shift(e, self.roster[e.worker_id], self.locations))
            assert day is not None
            return next((s for s in self.shifts([e.worker_id], day, day) if s.shift_id == shift_id), None)
        if shift_id.startswith("S") and shift_id[1:].isascii() and shift_id[1:].isdigit():
            punch = self.reads.punch(int(shift_id[1:]))
            if punch is None or punch.worker_id not in self.roster:
                return None
            day = punch.at.date()
            found = self.shifts([punch.worker_id], day - timedelta(days=1), day + timedelta(days=1))
            return next((s for s in found if s.shift_id == shift_id), None)
        return None

    # --- writing ---

    _FAMILIES: Mapping[str, str] = {
        "worker.": "roster",
        "location.": "locations",
        "rules.": "history",
        "payperiod.": "settings",
        "employer.": "employer",
    }

    def append(self, events: Sequence[NewEvent | PreparedEvent]) -> list[Event]:
        """Append events in this unit's transaction (keys already present are skipped); an event may
        come prepared (:func:`ledger.store.prepare`: checked and written while other work went on)."""
        if not isinstance(self.reads, Writer):
            raise RuntimeError("a read-only unit of work cannot append")
        try:
            added = self.reads.append(events)
        except FoldError as exc:
            raise OtError("nothing was written", [Problem("ledger", str(exc))]) from None
        for e in added:
            for prefix, name in self._FAMILIES.items():
                if e.kind.startswith(prefix):
                    self._cache.pop(name, None)
        return added

    def refresh(self) -> None:
        """Forget the cached facts (after events were appended through ``reads`` directly)."""
        self._cache.clear()

    def head(self) -> tuple[int, str]:
        """(seq, hash) of the last event, this unit's appends included."""
        return self.reads.head()


def _signer(ledger: Ledger, actor: str, given: Signer | None, bootstrap: bool) -> Signer | None:
    """The key that seals this unit's writes: the acting user's, held and enrolled. A ledger with
    no enrolled identity yet takes unsealed writes (and the bootstrap admin's own enrolment)."""
    from ot.services.authority import check_identities, refuse
    from ot.services.keys import load_signer

    refuse(check_identities(ledger.connection))
    identities = ledger.identities()
    if not identities:
        return given if bootstrap else None
    signer = given or load_signer(actor)
    if signer is None:
        raise PermissionDenied(
            f"you hold no key of {actor!r}: nothing was written",
            [
                Problem(
                    "--as",
                    f"this ledger takes writes only from enrolled keys: act as a user whose key you hold "
                    f"(`ot user list`), or make one (`ot user init {actor}`) and have an admin enrol it",
                )
            ],
        )
    if not any(k == signer.key_id and u == actor and not revoked for k, u, _p, _kind, _role, revoked in identities):
        raise PermissionDenied(
            f"the key of {actor!r} you hold ({signer.key_id}) is not enrolled in this ledger: nothing was written",
            [Problem("--as", f"have an admin enrol it: `ot user enrol {actor} --public-key {signer.public}`")],
        )
    return signer


@contextmanager
def unit_of_work(
    ledger_path: Path | str,
    *,
    actor: str | None = None,
    now: datetime | None = None,
    write: bool = False,
    dry_run: bool = False,
    create: bool = False,
    signer: Signer | None = None,
    bootstrap: bool = False,
) -> Iterator[UnitOfWork]:
    """Open the ledger and one transaction: a write (``BEGIN IMMEDIATE``, committed at the
    end), a dry run (the same, rolled back) or a read (a snapshot). On any error nothing is
    written. A write is sealed with the acting user's held, enrolled key (``ot.services.keys``)."""
    when = now or utcnow()
    with Ledger.open(ledger_path, create=create, now=when) as ledger:
        path = Path(ledger.path)  # a PostgreSQL ledger's replica: where files beside the ledger go
        if write or dry_run:
            if not actor:
                raise OtError("say who acts", [Problem("--as", "give --as USER (or set $OT_USER)")])
            try:
                # The key is looked for at the first append: a command refused before it writes
                # says why (a permission, a bad input) rather than asking for a key.
                with ledger.write(
                    actor=actor, now=when, signer=lambda: _signer(ledger, actor, signer, bootstrap)
                ) as tx:
                    uow = UnitOfWork(ledger, tx, actor, when, dry_run, path)
                    try:
                        yield uow
                        if dry_run:
                            raise _DryRun
                        if uow.checked is not None:
                            from ot.services.trust import seal_check

                            seal_check(uow)
                    finally:
                        _close_check(uow)
            except _DryRun:
                pass
            return
        conn = ledger.connection
        conn.execute("BEGIN")
        uow = UnitOfWork(ledger, ledger, actor, when, False, path)
        try:
            yield uow
        finally:
            _close_check(uow)
            if conn.in_transaction:
                conn.execute("ROLLBACK")


def _close_check(uow: UnitOfWork) -> None:
    if uow.checked is not None:
        uow.checked.scratch.close()
        uow.checked = None
