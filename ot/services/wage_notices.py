"""Minimum wages adjusted yearly whose new figure the rules lack, for the hours a command pays or shows.

A state or city that indexes its minimum wage (``minimum wage adjusted yearly from DATE`` in the rules)
publishes the new figure months ahead; until it is written into the rules, ot measures the hours against
the last figure it has. These notices say so, for the work locations and dates of the shifts given, so
that the admin writes the figure in before paying (or reprices after: the dates paid change only
through a correction, as any repricing does).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from ot.core.domain import Shift
from ot.core.timez import local, week_start
from ot.services.pay import workweek_of
from ot.services.ruleset import RulesHistory
from rules.model import MissingWage

__all__ = ["missing_wages", "shift_notices"]

_INSTANT = timedelta(microseconds=1)


def _days(shift: Shift) -> list[date]:
    """The local dates a shift's hours fall on (a shift ending at midnight has none on the next day)."""
    if shift.start is None:
        return [shift.day] if shift.day is not None else []
    first = local(shift.start, shift.timezone).date()
    last = local(shift.end - _INSTANT, shift.timezone).date() if shift.end is not None else first
    return [first + timedelta(days=i) for i in range(max(0, (last - first).days) + 1)]


def missing_wages(
    history: RulesHistory, shifts: Iterable[Shift]
) -> dict[tuple[str, date], tuple[MissingWage, set[str]]]:
    """Each yearly adjustment the rules lack on a shift's dates at its location, with the workers whose
    shifts it concerns; by (jurisdiction or local block, the adjustment's date). The rules are looked up
    as the engine prices: the file and the federal and state rule sets in force on the workweek's first
    day, the local blocks in force on the date itself."""
    found: dict[tuple[str, date], tuple[MissingWage, set[str]]] = {}
    seen: dict[tuple[str, str | None, str | None, date], tuple[MissingWage, ...]] = {}
    for shift in shifts:
        for day in _days(shift):
            key = (shift.state, shift.city, shift.county, day)
            missing = seen.get(key)
            if missing is None:
                start_day, _ = workweek_of(history.book_on(day), day)
                first = week_start(day, start_day)
                book = history.book_on(first)
                missing = seen[key] = book.missing_wages(shift.state, shift.city, shift.county, day, rules_day=first)
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
