"""Paid weeks change only as corrections: the gate every change that could reprice them goes through.

A shift edit on a paid date is gated where it is made (:mod:`ot.services.entries`).
The other changes reach paid weeks less visibly: a punch recorded on a paid
date (imported, or added by hand), a pay rate dated into the past, a worker's
type or default location changed (profile fields that have no effective
date, so they apply to every week), a location's state or zone changed, a
rules file adopted from a date inside a paid period. :func:`gate` takes the
events a command has just appended (in its unit of work), works out, per
worker, the first date they can change, recomputes every paid workweek from
there (:func:`ot.services.corrections.correct_weeks`) and:

- with ``authorized`` and a reason, keeps the corrections it recorded;
- otherwise, when any paid amount would change, refuses the whole command
  (the unit of work rolls back: nothing is written) and lists the corrections
  it would make, so the admin can decide.

A change that moves no paid amount passes without a flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from ledger.events import Event
from ledger.store import PUNCH_CEILING, PUNCH_FLOOR, PUNCH_IN_RANGE
from ot.core.errors import OtError, Problem
from ot.core.timez import from_iso_utc, local_date, week_start
from ot.services.corrections import CorrectionSummary, check_timeframe, correct_weeks
from ot.services.pay import workweek_of
from ot.services.uow import UnitOfWork

__all__ = ["affected", "affected_since", "gate"]

#: Profile fields with no effective date: a change applies to every week.
_TIMELESS = ("type", "location_id")
_BEGINNING = date(1, 1, 1)


def affected(uow: UnitOfWork, events: Iterable[Event]) -> dict[str, date]:
    """worker_id -> the first local date these appended events can change the pay of."""
    out: dict[str, date] = {}

    def mark(wid: str, day: date) -> None:
        if wid not in out or day < out[wid]:
            out[wid] = day

    for e in events:
        p = e.payload
        if e.kind == "punch.recorded":
            if not PUNCH_FLOOR <= str(p["at"]) < PUNCH_CEILING:
                continue  # never read as work (ledger.store.PUNCH_IN_RANGE)
            worker = uow.roster.get(str(p["worker_id"]))
            loc = uow.locations.get(str(p.get("location_id") or (worker.location_id if worker else "")))
            # The day before too: a shift that starts then may end with this punch.
            mark(
                str(p["worker_id"]),
                local_date(from_iso_utc(str(p["at"])), loc.timezone if loc else "UTC") - timedelta(days=1),
            )
        elif e.kind == "worker.rate_changed":
            mark(str(p["worker_id"]), date.fromisoformat(str(p["effective"])))
        elif e.kind == "worker.changed" and any(f in p for f in _TIMELESS):
            mark(str(p["worker_id"]), _BEGINNING)
        elif e.kind == "location.changed" and ("state" in p or "timezone" in p):
            for wid in uow.roster:
                mark(wid, _BEGINNING)
    return out


def affected_since(uow: UnitOfWork, seq: int) -> dict[str, date]:
    """:func:`affected` of every event appended after ``seq`` (punches summed up in SQL: an import may
    add a million)."""
    conn = uow.ledger.connection
    out: dict[str, date] = {}
    for wid, first in conn.execute(
        "SELECT worker_id, MIN(json_extract(payload, '$.at')) FROM events WHERE seq > ? AND kind = 'punch.recorded' "
        f"AND {PUNCH_IN_RANGE} GROUP BY worker_id",
        (seq,),
    ):
        worker = uow.roster.get(wid)
        loc = uow.locations.get(worker.location_id) if worker else None
        out[wid] = local_date(from_iso_utc(first), loc.timezone if loc else "UTC") - timedelta(days=1)
    others = [*uow.reads.events(kind="worker.", after=seq), *uow.reads.events(kind="location.", after=seq)]
    for wid, day in affected(uow, others).items():
        if wid not in out or day < out[wid]:
            out[wid] = day
    return out


def gate(
    uow: UnitOfWork,
    changes: Mapping[str, date],
    *,
    authorized: bool,
    reason: str | None,
    timeframe: str | None,
    action: str,
    what: str,
    shift_id: str = "",
    whole_weeks: bool = False,
) -> list[CorrectionSummary]:
    """Record (``authorized``) or refuse the corrections of the paid weeks these changes reprice.

    ``shift_id``: the shift the change is (a manual entry's corrections name it). ``whole_weeks``: only
    the workweeks paid on every day; a week paid in part is left to the next pay run, which adjusts its
    paid days with the unpaid ones (:func:`ot.services.paycycle.drafts`, a workweek adjustment)."""
    frame = check_timeframe(timeframe)
    why = (reason or "").strip()
    found: list[CorrectionSummary] = []
    checked = False
    for wid, since in sorted(changes.items()):
        paid = uow.pay.paid_range(wid)
        if paid is None or since > paid[1]:
            continue
        first = max(since, paid[0])
        start_day, _ = workweek_of(uow.history.book_on(first), first)
        weeks: list[date] = []
        week = week_start(first, start_day)
        while week <= paid[1]:
            if not whole_weeks or (paid[0] <= week and week + timedelta(days=6) <= paid[1]):
                weeks.append(week)
            week += timedelta(days=7)
        found += correct_weeks(
            uow,
            wid,
            weeks,
            shift_id=shift_id,
            action=action,
            reason=why or f"{what} (not authorized)",
            timeframe=frame,
            checked=checked,
        )
        checked = True
    if not found:
        return []
    if not authorized or not why:
        problems = [Problem(f"{c.worker_id} week of {c.week_start}", f"{c.kind} {c.amount}") for c in found]
        if not authorized:
            todo = "give --correction-authorized --reason TEXT to record them (admins only)"
        else:
            todo = "a correction needs a reason: --reason TEXT"
        raise OtError(
            f"{what} would change what paid dates were paid; nothing was written: these corrections would be "
            f"recorded: {todo}",
            problems,
        )
    uow.require("correct paid dates")
    return found
