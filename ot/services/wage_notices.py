"""Minimum wages adjusted yearly whose new figure the rules lack, for the hours a command pays or shows.

A state or city that indexes its minimum wage (``minimum wage adjusted yearly from DATE`` in the rules)
publishes the new figure months ahead; until it is written into the rules, ot measures the hours against
the last figure it has. These notices say so, for the work locations and dates of the shifts given, so
that the admin writes the figure in before paying (or reprices after: the dates paid change only
through a correction, as any repricing does).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ot.core.domain import Shift
from ot.core.timez import local
from ot.services.ruleset import RulesHistory
from rules.model import MissingWage

__all__ = ["missing_wages", "shift_notices"]


def _days(shift: Shift) -> tuple[date, ...]:
    """The local dates a shift's hours fall on (its first and last)."""
    if shift.start is None:
        return (shift.day,) if shift.day is not None else ()
    first = local(shift.start, shift.timezone).date()
    last = local(shift.end, shift.timezone).date() if shift.end is not None else first
    return (first,) if last == first else (first, last)


def missing_wages(
    history: RulesHistory, shifts: Iterable[Shift]
) -> dict[tuple[str, date], tuple[MissingWage, set[str]]]:
    """Each yearly adjustment the rules lack on a shift's dates at its location, with the workers whose
    shifts it concerns; by (jurisdiction or local block, the adjustment's date)."""
    found: dict[tuple[str, date], tuple[MissingWage, set[str]]] = {}
    seen: dict[tuple[str, str | None, str | None, date], tuple[MissingWage, ...]] = {}
    for shift in shifts:
        for day in _days(shift):
            key = (shift.state, shift.city, shift.county, day)
            missing = seen.get(key)
            if missing is None:
                missing = seen[key] = history.book_on(day).missing_wages(shift.state, shift.city, shift.county, day)
            for m in missing:
                found.setdefault((m.where, m.due), (m, set()))[1].add(shift.worker_id)
    return found


def shift_notices(history: RulesHistory, shifts: Iterable[Shift]) -> tuple[str, ...]:
    """One line per adjustment the rules lack for these shifts: what is missing, whom it concerns, what to do."""
    out: list[str] = []
    for (_, _), (m, workers) in sorted(missing_wages(history, shifts).items()):
        n = len(workers)
        out.append(f"{m.message()} ({n} worker{'' if n == 1 else 's'} worked under it: {_named(sorted(workers))})")
    return tuple(out)


def _named(workers: list[str], limit: int = 5) -> str:
    shown = ", ".join(workers[:limit])
    return shown if len(workers) <= limit else f"{shown} and {len(workers) - limit} more"
