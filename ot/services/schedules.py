"""Workers' weekly schedules, and the leave and holiday hours filled in from them.

The seed (Justworks): the timecard holds "the PTO (auto-filled) and holiday hours" next
to the shifts. Here a schedule says how many hours a worker works on each weekday, from
a date on (``ot import schedules FILE``, the layout in docs/schedules.md); each row is a
``schedule.set`` event, and a change is a new event (a later one for the same worker,
weekday and date replaces it; a later date starts a new version). From it:

- :func:`fill_leave` (``ot pto fill``) adds a PTO or SICK entry for each day of a range
  the worker is scheduled, with the scheduled hours: nobody types them.
- :func:`fill_holidays` (``ot holidays fill``) adds HOLIDAY hours for each holiday of the
  rules file's calendar (docs/holidays.md) in a pay period, for each worker scheduled on
  that weekday, with the hours scheduled that day.

Each entry goes through the one path manual entries take (:func:`ot.services.entries.add_in`):
who may enter the worker's shifts, the 24-hour cap, approvals voided, and the paid-date lock,
which refuses a paid date unless it is an authorized correction (then recorded as one).
A command is one unit of work: every entry is written, or none. A day that already has
leave hours (PTO, SICK or HOLIDAY) is skipped and said, so running a fill twice adds nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from ledger.events import EXCUSE_REASONS, NewEvent
from ledger.imports import decode, read_bounded
from ot.core.domain import Worker
from ot.core.errors import OtError, Problem
from ot.core.money import MoneyError, read_hours
from ot.core.timez import TimeError, parse_date
from ot.services.approvals import shift_day
from ot.services.corrections import CorrectionSummary
from ot.services.entries import ShiftInput, add_in
from ot.services.uow import UnitOfWork, unit_of_work
from rules.engine.reporting_time import EXCUSES
from rules.model import FEDERAL, Holiday

__all__ = [
    "COLUMNS",
    "EXCUSED",
    "EXCUSE_CAUSES",
    "LEAVE_KINDS",
    "MAX_FILL_DAYS",
    "Excused",
    "FillResult",
    "ScheduleImport",
    "excuse_reporting_time",
    "excuse_words",
    "fill_holidays",
    "fill_leave",
    "import_schedules",
    "schedule_rows",
    "scheduled_hours",
]

#: The header of a schedules file.
COLUMNS = ("worker_id", "weekday", "hours", "effective_from")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: What ``ot pto fill --kind`` may add.
LEAVE_KINDS = ("PTO", "SICK")
#: Pay types that are leave: a day that has any of them is not filled again.
_LEAVE = ("PTO", "SICK", "HOLIDAY")
#: The longest range ``ot pto fill`` fills at once.
MAX_FILL_DAYS = 366
EVENT = "schedule.set"


# --- reading schedules ------------------------------------------------------------


def scheduled_hours(uow: UnitOfWork, worker_id: str, day: date) -> Decimal | None:
    """The hours ``worker_id`` is scheduled on ``day`` (``0`` when the schedule says not that weekday),
    or None when no schedule row of that weekday is in force on it."""
    row = uow.ledger.connection.execute(
        "SELECT hours FROM schedules WHERE worker_id = ? AND weekday = ? AND effective_from <= ? "
        "ORDER BY effective_from DESC LIMIT 1",
        (worker_id, day.weekday(), day.isoformat()),
    ).fetchone()
    return Decimal(row[0]) if row is not None else None


def _has_schedule(uow: UnitOfWork, worker_id: str) -> bool:
    row = uow.ledger.connection.execute("SELECT 1 FROM schedules WHERE worker_id = ? LIMIT 1", (worker_id,))
    return row.fetchone() is not None


@dataclass(frozen=True)
class ScheduleRow:
    """One recorded schedule row.

    Attributes:
        weekday: 0 (Monday) - 6 (Sunday).
        hours: Hours scheduled (0: not scheduled that weekday).
        effective_from: First date in force.
    """

    weekday: int
    hours: Decimal
    effective_from: date

    @property
    def weekday_name(self) -> str:
        """``monday`` ... ``sunday``."""
        return WEEKDAYS[self.weekday]


def schedule_rows(ledger_path: Path, worker_id: str) -> tuple[ScheduleRow, ...]:
    """Every schedule row recorded for ``worker_id``, by date then weekday (``ot schedule show``)."""
    with unit_of_work(ledger_path) as uow:
        if worker_id not in uow.roster:
            raise OtError("no such worker", [Problem("--worker", f"no worker {worker_id!r} in the ledger")])
        rows = uow.ledger.connection.execute(
            "SELECT weekday, hours, effective_from FROM schedules WHERE worker_id = ? ORDER BY effective_from, weekday",
            (worker_id,),
        ).fetchall()
    return tuple(ScheduleRow(int(w), Decimal(h), date.fromisoformat(e)) for w, h, e in rows)


# --- importing ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleImport:
    """What ``ot import schedules`` did (or, in a dry run, would do).

    Attributes:
        file: The file as named.
        rows: Data rows read.
        added: ``schedule.set`` events appended.
        unchanged: Rows equal to the schedule already recorded.
        dry_run: Whether nothing was written.
        corrections: The corrections recorded because the new schedule reprices paid weeks
            (reporting-time pay, Wage Order section 5(A)), with ``--correction-authorized``.
    """

    file: str
    rows: int
    added: int
    unchanged: int
    dry_run: bool
    corrections: tuple[CorrectionSummary, ...] = ()

    def describe(self) -> str:
        """The lines for the CLI."""
        verb = "would add" if self.dry_run else "added"
        text = f"{self.file}: {self.rows} schedule rows read; {verb} {self.added}, {self.unchanged} unchanged" + (
            " (dry run: nothing was written)" if self.dry_run else ""
        )
        return "\n".join([text, *(f"correction {c.text()}" for c in self.corrections)])


def _weekday(text: str) -> int | None:
    word = text.strip().lower()
    for index, name in enumerate(WEEKDAYS):
        if word in (name, name[:3]):
            return index
    return None


def _parse(text: str, file: str, roster: dict[str, Worker]) -> list[tuple[int, str, int, Decimal, date]]:
    """(line, worker, weekday, hours, effective_from) of each row; every bad cell named FILE:LINE:COLUMN."""
    problems: list[Problem] = []
    rows: list[tuple[int, str, int, Decimal, date]] = []
    seen: dict[tuple[str, int, date], int] = {}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise OtError(
                f"{file}: refused; nothing was imported",
                [Problem(f"{file}:1:1", "the file is empty: give the header " + ",".join(COLUMNS))],
            )
        names = [h.strip().lower() for h in header]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise OtError(
                f"{file}: refused; nothing was imported",
                [
                    Problem(
                        f"{file}:1:1",
                        f"the header lacks {', '.join(missing)}: the first line must be " + ",".join(COLUMNS),
                    )
                ],
            )
        col = {c: names.index(c) for c in COLUMNS}
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue

            def cell(name: str, cells: list[str] = cells) -> str:
                i = col[name]
                return cells[i].strip() if i < len(cells) else ""

            def bad(name: str, message: str, line: int = line) -> None:
                problems.append(Problem(f"{file}:{line}:{col[name] + 1}", f"{name}: {message}"))

            worker_id = cell("worker_id")
            if not worker_id:
                bad("worker_id", "empty: give the worker's id")
            elif worker_id not in roster:
                bad("worker_id", f"no worker {worker_id!r} in the ledger: import the workers first")
            weekday = _weekday(cell("weekday"))
            if weekday is None:
                bad("weekday", f"{cell('weekday')!r} is not a weekday: write monday ... sunday (or mon ... sun)")
            hours: Decimal | None = None
            try:
                hours = read_hours(cell("hours"))
            except MoneyError as exc:
                bad("hours", f"{exc} (0: not scheduled that weekday)")
            start: date | None = None
            try:
                start = parse_date(cell("effective_from"))
            except TimeError as exc:
                bad("effective_from", str(exc))
            if worker_id in roster and weekday is not None and hours is not None and start is not None:
                key = (worker_id, weekday, start)
                if key in seen:
                    bad(
                        "weekday",
                        f"{worker_id} {WEEKDAYS[weekday]} from {start} is given twice (first on line {seen[key]}): "
                        "keep one row",
                    )
                    continue
                seen[key] = line
                rows.append((line, worker_id, weekday, hours, start))
    except csv.Error as exc:
        problems.append(Problem(f"{file}:{reader.line_num}", f"not a readable CSV file ({exc}): check the quotes"))
    if problems:
        raise OtError(
            f"{file}: refused ({len(problems)} problem{'s' if len(problems) != 1 else ''}); nothing was imported: "
            "fix the schedules file and import it again",
            problems,
        )
    return rows


def import_schedules(
    ledger_path: Path,
    file: Path,
    *,
    dry_run: bool = False,
    actor: str,
    now: datetime,
    correction_authorized: bool = False,
    reason: str | None = None,
    timeframe: str | None = None,
) -> ScheduleImport:
    """Record the schedules of a CSV file (docs/schedules.md): one ``schedule.set`` event for each row that
    changes what is recorded; a file with any bad row is refused whole. A schedule prices reporting-time
    pay (Wage Order section 5(A)), so a row that reprices a paid week is a correction: recorded with
    ``correction_authorized`` and a reason, refused otherwise (``ot.services.repricing.gate``)."""
    from ot.services.repricing import gate

    try:
        data = read_bounded(Path(file), Path(file).name)  # never a line past 64 KiB (a file with no line ends)
    except OSError as exc:
        raise OtError(
            f"{file}: cannot be read ({exc.strerror or exc})", [Problem(str(file), "check the path")]
        ) from None
    name = Path(file).name
    text = decode(data, name)
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        uow.require("import schedules")
        rows = _parse(text, name, uow.roster)
        conn = uow.ledger.connection
        events: list[NewEvent] = []
        unchanged = 0
        for _line, worker_id, weekday, hours, start in rows:
            found = conn.execute(
                "SELECT hours, seq FROM schedules WHERE worker_id = ? AND weekday = ? AND effective_from = ?",
                (worker_id, weekday, start.isoformat()),
            ).fetchone()
            if found is not None and Decimal(found[0]) == hours:
                unchanged += 1
                continue
            after = found[1] if found is not None else 0
            payload = {
                "worker_id": worker_id,
                "weekday": weekday,
                "hours": format(hours.normalize(), "f"),
                "effective_from": start.isoformat(),
                "source": f"import:{name}",
            }
            key = f"{EVENT}:{worker_id}:{weekday}:{start.isoformat()}:{payload['hours']}:after:{after}"
            events.append(NewEvent(EVENT, payload, key=key, worker_id=worker_id))
        corrections: list[CorrectionSummary] = []
        if events:
            uow.append(events)
            since: dict[str, date] = {}
            for e in events:
                wid, start = str(e.payload["worker_id"]), date.fromisoformat(str(e.payload["effective_from"]))
                since[wid] = min(start, since.get(wid, start))
            corrections = gate(
                uow,
                since,
                authorized=correction_authorized,
                reason=reason,
                timeframe=timeframe,
                action="schedules",
                what=f"importing {name}",
            )
    return ScheduleImport(name, len(rows), len(events), unchanged, dry_run, tuple(corrections))


# --- filling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filled:
    """One entry a fill added.

    Attributes:
        worker_id: Whose.
        day: Its date.
        hours: The scheduled hours entered.
        pay_type: ``PTO``, ``SICK`` or ``HOLIDAY``.
        shift_id: The entry's id.
        holiday: The holiday's name (holiday fills).
        correction: Whether it corrected a paid date.
    """

    worker_id: str
    day: date
    hours: Decimal
    pay_type: str
    shift_id: str
    holiday: str = ""
    correction: bool = False


@dataclass(frozen=True)
class FillResult:
    """What a fill added (or, in a dry run, would add), what it skipped and why.

    Attributes:
        added: The entries.
        skipped: (worker, day, why) of each day not filled.
        corrections: Over- and underpayments recorded (fills on authorized paid dates).
        voided: Approvals voided by the new entries, in words.
        notes: What else to know (no holiday in the period, workers without a schedule).
        dry_run: Whether nothing was written.
    """

    added: tuple[Filled, ...]
    skipped: tuple[tuple[str, date, str], ...]
    corrections: tuple[CorrectionSummary, ...] = ()
    voided: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def hours(self) -> Decimal:
        """The hours added in all."""
        return sum((f.hours for f in self.added), Decimal(0))


def _bad(where: str, message: str) -> OtError:
    return OtError("nothing was filled; nothing was written", [Problem(where, message)])


def _read_day(text: str | date, option: str) -> date:
    if isinstance(text, date):
        return text
    try:
        return parse_date(text)
    except TimeError as exc:
        raise _bad(option, str(exc)) from None


def _leave_on(uow: UnitOfWork, worker_id: str, day: date) -> str | None:
    """The leave already entered on ``day`` (``8 HOLIDAY hours``), or None."""
    for shift in uow.shifts([worker_id], day, day):
        if shift.pay_type in _LEAVE and shift_day(shift) == day:
            return f"already has {shift.pay_type} hours ({shift.shift_id})"
    return None


def _hours_text(hours: Decimal) -> str:
    return format(hours.normalize(), "f")


def fill_leave(
    ledger_path: Path,
    *,
    worker_id: str,
    first: str | date,
    last: str | date,
    kind: str = "PTO",
    reason: str | None = None,
    correction_authorized: bool = False,
    timeframe: str | None = None,
    dry_run: bool = False,
    actor: str,
    now: datetime,
) -> FillResult:
    """Add ``kind`` (PTO or SICK) hours for each day from ``first`` to ``last`` the worker is scheduled,
    with the scheduled hours. Refused (nothing written) for an unknown worker, bad dates, a worker
    without a schedule, a range with no scheduled day, or a paid date without an authorized correction."""
    kind = kind.upper()
    if kind not in LEAVE_KINDS:
        raise _bad("--kind", f"{kind} is not leave: give PTO or SICK")
    start, end = _read_day(first, "--from"), _read_day(last, "--to")
    if end < start:
        raise _bad("--to", f"{end} is before --from {start}: give the last day of the leave")
    if (end - start).days + 1 > MAX_FILL_DAYS:
        raise _bad("--to", f"{(end - start).days + 1} days from {start}: fill at most {MAX_FILL_DAYS} days at once")
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        if worker_id not in uow.roster:
            raise _bad("--worker", f"no worker {worker_id!r} in the ledger")
        uow.require("enter shifts", uow.roster[worker_id])
        if not _has_schedule(uow, worker_id):
            raise _bad(
                "--worker",
                f"{worker_id} has no schedule: import one (ot import schedules FILE, docs/schedules.md) "
                "or enter the leave by hand (ot shift add --pay-type PTO)",
            )
        plan: list[tuple[date, Decimal]] = []
        skipped: list[tuple[str, date, str]] = []
        day = start
        while day <= end:
            hours = scheduled_hours(uow, worker_id, day)
            if hours is None:
                skipped.append((worker_id, day, "no schedule in force for this weekday"))
            elif hours == 0:
                skipped.append((worker_id, day, "not scheduled on this weekday"))
            else:
                already = _leave_on(uow, worker_id, day)
                if already:
                    skipped.append((worker_id, day, already))
                else:
                    plan.append((day, hours))
            day += timedelta(days=1)
        if not plan and not any("already has" in why for _, _, why in skipped):
            raise _bad(
                "--from",
                f"{worker_id} is scheduled on no day from {start} to {end}: nothing to fill "
                f"(see it with ot schedule show --worker {worker_id})",
            )
        return _add_all(
            uow,
            [(worker_id, d, h, kind, "") for d, h in plan],
            skipped,
            (),
            reason=reason,
            correction_authorized=correction_authorized,
            timeframe=timeframe,
            dry_run=dry_run,
        )


def _add_all(
    uow: UnitOfWork,
    plan: Sequence[tuple[str, date, Decimal, str, str]],
    skipped: Sequence[tuple[str, date, str]],
    notes: Sequence[str],
    *,
    reason: str | None,
    correction_authorized: bool,
    timeframe: str | None,
    dry_run: bool,
) -> FillResult:
    added: list[Filled] = []
    corrections: list[CorrectionSummary] = []
    voided: list[str] = []
    for worker_id, day, hours, pay_type, holiday in plan:
        given = ShiftInput(day=day.isoformat(), hours=_hours_text(hours), pay_type=pay_type)
        why = reason or (f"{holiday} (holiday hours from the schedule)" if holiday else None)
        result = add_in(
            uow,
            worker_id=worker_id,
            given=given,
            reason=why,
            correction_authorized=correction_authorized,
            timeframe=timeframe,
        )
        added.append(Filled(worker_id, day, hours, pay_type, result.shift_id, holiday, result.correction))
        corrections.extend(result.corrections)
        voided.extend(v for v in result.voided if v not in voided)
    return FillResult(tuple(added), tuple(skipped), tuple(corrections), tuple(voided), tuple(notes), dry_run)


def fill_holidays(
    ledger_path: Path,
    *,
    period_day: str | date,
    workers: Sequence[str] = (),
    calendar: str = "state",
    reason: str | None = None,
    correction_authorized: bool = False,
    timeframe: str | None = None,
    dry_run: bool = False,
    actor: str,
    now: datetime,
) -> FillResult:
    """Add HOLIDAY hours for each holiday of the calendar in the pay period containing ``period_day``, for
    each active W2 worker (or each of ``workers``) scheduled on that weekday, with the scheduled hours.

    ``calendar``: ``state`` (default) uses each worker's work-location state (its own holidays and the
    federal ones it extends), ``federal`` the federal holidays only. The holidays are those of the rules
    file in force on each day. Workers without a schedule get nothing (a note says who).
    """
    if calendar not in ("state", "federal"):
        raise _bad("--calendar", f"{calendar!r}: give state or federal")
    day = _read_day(period_day, "--period")
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        uow.require("fill holiday hours")
        period = uow.period_containing(day)
        roster = uow.roster
        unknown = [w for w in workers if w not in roster]
        if unknown:
            raise _bad("--worker", f"no worker {', '.join(repr(w) for w in unknown)} in the ledger")
        chosen = [roster[w] for w in workers] if workers else [w for w in roster.values() if w.active]
        by_state: dict[str, list[Holiday]] = {}

        def holidays_of(state: str) -> list[Holiday]:
            if state not in by_state:
                found: list[Holiday] = []
                d = period.start
                while d <= period.end:
                    found.extend(uow.history.book_on(d).holidays_between(state, d, d))
                    d += timedelta(days=1)
                by_state[state] = found
            return by_state[state]

        plan: list[tuple[str, date, Decimal, str, str]] = []
        skipped: list[tuple[str, date, str]] = []
        no_schedule: list[str] = []
        contractors: list[str] = []
        any_holiday = False
        for worker in sorted(chosen, key=lambda w: w.worker_id):
            state = FEDERAL
            if calendar == "state":
                location = uow.locations.get(worker.location_id)
                state = location.state if location is not None else FEDERAL
            holidays = holidays_of(state)
            any_holiday = any_holiday or bool(holidays)
            if not holidays:
                continue
            if worker.type == "1099":
                contractors.append(worker.worker_id)
                continue
            if not worker.active:
                skipped.append((worker.worker_id, period.start, "no longer active"))
                continue
            if not _has_schedule(uow, worker.worker_id):
                no_schedule.append(worker.worker_id)
                continue
            for holiday in holidays:
                hours = scheduled_hours(uow, worker.worker_id, holiday.day)
                if not hours:
                    skipped.append((worker.worker_id, holiday.day, f"not scheduled on {holiday.day:%A}s"))
                    continue
                already = _leave_on(uow, worker.worker_id, holiday.day)
                if already:
                    skipped.append((worker.worker_id, holiday.day, already))
                    continue
                plan.append((worker.worker_id, holiday.day, hours, "HOLIDAY", holiday.name))
        notes: list[str] = []
        if not any_holiday:
            notes.append(f"no holiday on the calendar from {period.start} to {period.end}: nothing to fill")
        if no_schedule:
            notes.append(
                f"{len(no_schedule)} worker(s) without a schedule got no holiday hours: {', '.join(no_schedule)} "
                "(ot import schedules FILE)"
            )
        if contractors:
            notes.append(f"1099 contractors get no holiday hours: {', '.join(contractors)}")
        return _add_all(
            uow,
            plan,
            skipped,
            notes,
            reason=reason,
            correction_authorized=correction_authorized,
            timeframe=timeframe,
            dry_run=dry_run,
        )


# --- reporting time excused (Wage Order section 5(C), (D)) ---------------------------------------

EXCUSED = "schedule.excused"


#: The causes ``ot schedule excuse`` takes.
EXCUSE_CAUSES = EXCUSE_REASONS


def excuse_words(cause: str) -> str:
    """What a cause means, in words, with its section of the Wage Order."""
    return EXCUSES.get(cause, "takes the excuse back: the day owes reporting-time pay as its schedule says")


@dataclass(frozen=True)
class Excused:
    """What ``ot schedule excuse`` recorded (or, with ``dry_run``, would record).

    Attributes:
        worker_id: Whose day.
        day: The date.
        reason: One of ``ledger.events.EXCUSE_REASONS``.
        recorded: False when the day already stood so (nothing written).
        dry_run: True when nothing was written.
        corrections: Words of the corrections made to paid weeks.
    """

    worker_id: str
    day: date
    reason: str
    recorded: bool
    dry_run: bool = False
    corrections: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for the terminal."""
        if not self.recorded:
            return f"{self.worker_id} {self.day}: already {self._words()}; nothing was written"
        verb = "would be" if self.dry_run else "is"
        text = f"{self.worker_id} {self.day} {verb} {self._words()}"
        return text + "".join(f"\n  correction: {c}" for c in self.corrections)

    def _words(self) -> str:
        if self.reason == "withdrawn":
            return "not excused: reporting-time pay is owed as the schedule says"
        return f"excused from reporting-time pay ({self.reason})"


def excuse_reporting_time(
    ledger_path: Path,
    worker_id: str,
    day: str | date,
    reason: str,
    *,
    note: str | None = None,
    actor: str,
    now: datetime,
    dry_run: bool = False,
    correction_authorized: bool = False,
    correction_reason: str | None = None,
    timeframe: str | None = None,
) -> Excused:
    """Record that ``worker_id``'s ``day`` owes no reporting-time pay (IWC Wage Order 4-2001 section
    5(C): threats, civil authorities, public utilities, an Act of God; 5(D): paid standby), or take it
    back (``withdrawn``): one ``schedule.excused`` event. Who may import schedules may do it. A paid
    date is a correction, as a schedule change is (``ot.services.repricing.gate``)."""
    from ot.services.repricing import gate

    if reason not in EXCUSE_REASONS:
        raise OtError(
            "nothing was excused; nothing was written",
            [Problem("--cause", f"{reason!r} is not a cause: write one of {', '.join(EXCUSE_REASONS)}")],
        )
    try:
        when = day if isinstance(day, date) else parse_date(day)
    except TimeError as exc:
        raise OtError("nothing was excused; nothing was written", [Problem("DATE", str(exc))]) from None
    text = (note or "").strip() or None
    with unit_of_work(ledger_path, actor=actor, now=now, write=True, dry_run=dry_run) as uow:
        uow.require("import schedules")
        if worker_id not in uow.roster:
            raise OtError(
                "nothing was excused; nothing was written",
                [Problem("WORKER", f"no worker {worker_id!r} in the ledger: check the id (ot workers)")],
            )
        current = uow.reads.excused_days({worker_id: [when]}).get(worker_id, {}).get(when, "withdrawn")
        if current == reason:
            return Excused(worker_id, when, reason, False, dry_run)
        payload = {"worker_id": worker_id, "date": when.isoformat(), "reason": reason, "note": text}
        key = f"{EXCUSED}:{worker_id}:{when.isoformat()}:{reason}:after:{uow.head()[0]}"
        uow.append([NewEvent(EXCUSED, payload, key=key, worker_id=worker_id)])
        corrections = gate(
            uow,
            {worker_id: when},
            authorized=correction_authorized,
            reason=correction_reason,
            timeframe=timeframe,
            action="reporting time excused" if reason != "withdrawn" else "reporting time excuse withdrawn",
            what=f"excusing {worker_id}'s {when.isoformat()}" if reason != "withdrawn" else
            f"withdrawing the excuse of {worker_id}'s {when.isoformat()}",
        )  # fmt: skip
    return Excused(worker_id, when, reason, True, dry_run, tuple(c.text() for c in corrections))
