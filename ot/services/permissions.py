"""Who may write what: one table, every write command and service call, checked in one place.

Roles come from the roster (``worker``, ``manager``, ``admin``); a punching
station enrolled as a ``kiosk`` has the role ``kiosk``; the first admin, who
bootstraps a ledger before the roster holds them, acts as an ``admin``
(``ot.services.uow.UnitOfWork.acting``). Before anyone is in the roster (a new
ledger), the set-up is open to whoever creates it.

- Admins set up: locations, workers, rules, pay periods, the employer, the sync
  settings and runs, the roster refresh, keys; they approve timecards, run
  payroll and correct paid dates.
- Managers approve, enter and fix the shifts of their own reports; admins those
  of anyone. Nobody approves, enters or fixes their own.
- Workers punch (with their PIN) and read their own records; a kiosk only
  records PIN punches.

:data:`PERMISSIONS` maps each action to the roles allowed and to the scope
(``any``: the action as a whole; ``reports``: on a worker, who must be the
actor's report unless the actor is an admin, and never the actor; ``self``: the
worker whose PIN it is). :func:`require` is the only check; ``tests`` go over
every action and every role.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ot.core.domain import Worker
from ot.core.errors import PermissionDenied, Problem

__all__ = ["PERMISSIONS", "Permission", "allowed", "require"]

ADMIN = frozenset({"admin"})
STAFF = frozenset({"admin", "manager"})


@dataclass(frozen=True)
class Permission:
    """Who may take one action.

    Attributes:
        roles: The roles allowed.
        scope: ``any``, ``reports`` (on a worker: their manager, or an admin; never oneself) or
            ``self`` (a kiosk for anyone; a person only for themselves; managers and admins for their reports).
        setup: A set-up action: open to anyone while the roster holds no admin (a new ledger).
    """

    roles: frozenset[str]
    scope: str = "any"
    setup: bool = False


PERMISSIONS: Mapping[str, Permission] = {
    # set-up
    "import locations": Permission(ADMIN, setup=True),
    "import workers": Permission(ADMIN, setup=True),
    "import punches": Permission(ADMIN, setup=True),
    "adopt a rules file": Permission(ADMIN, setup=True),
    "configure pay periods": Permission(ADMIN, setup=True),
    "set the employer": Permission(ADMIN, setup=True),
    "refresh the roster": Permission(ADMIN),
    "sync to payroll": Permission(ADMIN),
    "enrol users": Permission(ADMIN),
    "revoke keys": Permission(ADMIN),
    # the pay cycle
    "approve timecards": Permission(ADMIN),
    "unapprove timecards": Permission(ADMIN),
    "run payroll": Permission(ADMIN),
    "correct paid dates": Permission(ADMIN),
    "export payroll": Permission(ADMIN),
    "import schedules": Permission(ADMIN, setup=True),
    "fill holiday hours": Permission(ADMIN),
    # earnings besides hours (bonuses, commissions, piece pay...): money, so payroll's
    "record earnings": Permission(ADMIN),
    "void earnings": Permission(ADMIN),
    "import earnings": Permission(ADMIN),
    # shifts of someone's reports
    "approve shifts": Permission(STAFF, "reports"),
    "unapprove shifts": Permission(STAFF, "reports"),
    "enter shifts": Permission(STAFF, "reports"),
    "edit shifts": Permission(STAFF, "reports"),
    "delete shifts": Permission(STAFF, "reports"),
    "add punches": Permission(STAFF, "reports"),
    # reads of the roster and the tables (a manager sees their own reports: ``ot.services.search``)
    "list workers": Permission(STAFF),
    "read the sync report": Permission(STAFF),  # a manager sees their reports' shifts (``sync_report``)
    "export tables": Permission(ADMIN),
    # the clock
    "punch": Permission(frozenset({"kiosk", "worker", "manager", "admin"}), "self"),
}


def allowed(action: str, me: Worker, worker: Worker | None = None, *, roster_has_admin: bool = True) -> str | None:
    """Why ``me`` may not take ``action`` (on ``worker``), or None when they may."""
    rule = PERMISSIONS[action]
    if rule.setup and not roster_has_admin:
        return None
    if rule.scope == "reports" and worker is not None and me.worker_id == worker.worker_id:
        if action.endswith(" shifts"):
            return f"nobody may {action.removesuffix(' shifts')} their own shifts: ask their manager or an admin"
        return f"nobody may {action} for themselves: ask their manager or an admin"
    if me.role not in rule.roles:
        who = " or ".join(sorted(rule.roles))
        return f"{me.worker_id} is a {me.role}: only {'an ' if who.startswith('a') else 'a '}{who} may {action}"
    if worker is None or rule.scope == "any":
        return None
    if rule.scope == "self":
        if me.role == "kiosk" or me.worker_id == worker.worker_id or me.role == "admin":
            return None
        if me.role == "manager" and worker.manager_id == me.worker_id:
            return None
        return f"{me.worker_id} may not punch for {worker.worker_id}: a worker punches for themselves, at a kiosk"
    if me.role == "admin" or worker.manager_id == me.worker_id:
        return None
    return f"{me.worker_id} does not manage {worker.worker_id}: ask their manager or an admin"


def require(action: str, me: Worker, worker: Worker | None = None, *, roster_has_admin: bool = True) -> None:
    """:class:`PermissionDenied` saying who may, unless ``me`` may take ``action`` (on ``worker``)."""
    why = allowed(action, me, worker, roster_has_admin=roster_has_admin)
    if why is not None:
        raise PermissionDenied(f"{me.worker_id} may not {action}; nothing was written", [Problem("--as", why)])
