"""What ``ot`` with no command prints until the terminal UI exists: the ledger at a glance."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ledger.pairing import EXCEPTIONS
from ledger.store import Ledger
from ot.core.timez import from_iso_utc, local_date
from ot.services.pay import shift_day
from ot.services.shifts import week_bounds
from ot.services.uow import unit_of_work
from ot.services.verify_checkpoint import Edges, punch_edges, punch_edges_between, verified_counts

__all__ = ["LedgerSummary", "ledger_summary", "summarize"]


@dataclass(frozen=True)
class LedgerSummary:
    """The figures of a ledger.

    Attributes:
        path: The ledger file.
        exists: False when there is no ledger file yet.
        events: Number of events.
        workers_by_type: ``W2``/``1099`` -> count.
        workers_by_state: USPS code of each worker's default location -> count.
        locations: (id, name, state, zone) of each location.
        first_day: Local date of the first punch, or None.
        last_day: Local date of the last punch, or None.
        punches: Number of punches.
        ignored_punches: Punches dated outside 1900-2100 (``ledger.store.PUNCH_IN_RANGE``), never read as work.
        exceptions: Exception kind -> number of shifts flagged with it.
    """

    path: Path
    exists: bool
    events: int = 0
    workers_by_type: dict[str, int] = field(default_factory=dict)
    workers_by_state: dict[str, int] = field(default_factory=dict)
    locations: tuple[tuple[str, str, str, str], ...] = ()
    first_day: date | None = None
    last_day: date | None = None
    punches: int = 0
    ignored_punches: int = 0
    exceptions: dict[str, int] = field(default_factory=dict)

    @property
    def workers(self) -> int:
        """Number of workers."""
        return sum(self.workers_by_type.values())

    @property
    def weeks(self) -> int:
        """Number of Sunday-based workweeks from the first punch to the last."""
        if self.first_day is None or self.last_day is None:
            return 0
        a, _ = week_bounds(self.first_day)
        b, _ = week_bounds(self.last_day)
        return (b - a).days // 7 + 1


def _counts(ledger: Ledger, path: Path) -> tuple[int, int, Edges]:
    """(events, punches, their edges) of the ledger: those the last verified checkpoint holds, when this
    user's verify key vouches for them and the ledger still holds its event (``verified_counts``), joined
    with those recorded after it (a range of the chain, read by sequence number); without one (or one kept
    before the edges were), counted over the whole ledger and the edges sought per worker."""
    counts = verified_counts(ledger, path)
    conn = ledger.connection
    if counts is None:
        events, punches = count_everything(conn)
        return events, punches, punch_edges(conn)
    head = ledger.head()[0]
    events, punches = conn.execute(
        "SELECT COUNT(*), coalesce(SUM(kind = 'punch.recorded'), 0) FROM events WHERE seq > ?", (counts.seq,)
    ).fetchone()
    if counts.edges is not None:
        edges = counts.edges.joined(punch_edges_between(conn, counts.seq, head))
    else:
        edges = punch_edges(conn)
    return counts.events + int(events), counts.punches + int(punches), edges


def count_everything(conn: sqlite3.Connection) -> tuple[int, int]:
    """(events, punches) counted over the whole ledger: the punches through the partial punch index alone
    (no payload read), but every one of them."""
    events, punches = conn.execute(
        "SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM events WHERE kind = 'punch.recorded')"
    ).fetchone()
    return int(events), int(punches)


def summarize(path: Path) -> LedgerSummary:
    """Read the figures of the ledger at ``path`` (never creates one).

    The events and punches are those of the last verified checkpoint plus those after it (:func:`_counts`;
    every one counted without a checkpoint this user can trust); the edges come from seeks on the punch
    index; exceptions are those of the shifts on each worker's unpaid dates (before and after their paid
    interval; paid ones are history), through the one shift loader, so the cost follows the open work,
    not the ledger's age (``tests/ledger/test_summary_costs.py`` keeps the old computation, pairing and
    counting every punch, as the oracle).
    """
    if not path.exists():
        return LedgerSummary(path, exists=False)
    with unit_of_work(path) as uow:
        events, total, edges = _counts(uow.ledger, path)
        roster, locations = uow.roster, uow.locations
        first_at, last_at, ignored = edges.first, edges.last, edges.ignored
        count = total - ignored
        days: list[date] = []
        exceptions: Counter[str] = Counter()
        if first_at is not None and last_at is not None:
            zones = {loc.timezone for loc in locations.values()} or {"UTC"}
            first = min(local_date(from_iso_utc(first_at), z) for z in zones)
            last = max(local_date(from_iso_utc(last_at), z) for z in zones)
            days = [first, last]
            ranges = uow.pay.paid_ranges()
            # Each worker's open dates: before and after their paid interval (all of them when never paid),
            # loaded in groups of workers sharing the same window, so paid periods are never paired again.
            windows: dict[tuple[date, date], list[str]] = {}
            for wid in sorted(roster):
                paid = ranges.get(wid)
                if paid is None:
                    windows.setdefault((first, last), []).append(wid)
                    continue
                if first < paid[0]:
                    windows.setdefault((first, paid[0] - timedelta(days=1)), []).append(wid)
                if paid[1] < last:
                    windows.setdefault((paid[1] + timedelta(days=1), last), []).append(wid)
            for (a, b), ids in sorted(windows.items()):
                for shift in uow.shifts(ids, a, b):
                    day = shift_day(shift)
                    paid = ranges.get(shift.worker_id)
                    if paid is None or day is None or not paid[0] <= day <= paid[1]:
                        exceptions.update(shift.exceptions)
    by_type = Counter(w.type for w in roster.values())
    by_state = Counter(locations[w.location_id].state if w.location_id in locations else "?" for w in roster.values())
    return LedgerSummary(
        path=path,
        exists=True,
        events=events,
        workers_by_type=dict(by_type),
        workers_by_state=dict(sorted(by_state.items())),
        locations=tuple((loc.location_id, loc.name, loc.state, loc.timezone) for loc in locations.values()),
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
        punches=int(count),
        ignored_punches=int(ignored),
        exceptions={
            k: exceptions[k] for k in (*EXCEPTIONS, *sorted(set(exceptions) - set(EXCEPTIONS))) if exceptions[k]
        },
    )


def ledger_summary(path: Path) -> str:
    """The text ``ot`` prints with no command (until the terminal UI exists)."""
    s = summarize(path)
    lines = [f"ledger: {s.path}"]
    if not s.exists or s.events == 0:
        lines.append("The ledger is empty.")
        lines.append("Run `ot demo` to load the demo company, or `ot import locations|workers|punches FILE`.")
        return "\n".join(lines)
    lines[0] += f" ({s.events} events)"
    types = ", ".join(
        f"{n} {'W-2' if t == 'W2' else t}" for t, n in sorted(s.workers_by_type.items(), key=lambda kv: kv[0] != "W2")
    )
    states = ", ".join(f"{st} {n}" for st, n in s.workers_by_state.items())
    lines.append(f"workers: {s.workers} ({types})" + (f"; by state: {states}" if states else ""))
    lines.append(f"locations: {len(s.locations)}")
    lines.extend(f"  {lid:<6} {name} ({state}, {tz})" for lid, name, state, tz in s.locations)
    if s.first_day is not None and s.last_day is not None:
        lines.append(f"weeks covered: {s.weeks} ({s.first_day.isoformat()} to {s.last_day.isoformat()})")
    else:
        lines.append("weeks covered: none (no punches yet)")
    lines.append(f"punches: {s.punches}")
    if s.ignored_punches:
        lines.append(
            f"ignored: {s.ignored_punches} punches dated outside 1900-2100 (never read as work): "
            "find them with `ot ledger log`, then add the right punches with `ot punch add`"
        )
    total = sum(s.exceptions.values())
    if total:
        detail = ", ".join(f"{k} {n}" for k, n in s.exceptions.items())
        lines.append(f"open exceptions: {total} ({detail}): see `ot shifts --worker W --week DATE`")
    else:
        lines.append("open exceptions: none")
    if not s.workers:
        lines.append("Run `ot demo` to load the demo company.")
    return "\n".join(lines)
