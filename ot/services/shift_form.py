"""The add/edit shift form of the terminal UI, without the UI: its fields, what they start
with, and what is wrong with them, field by field.

The form refuses exactly what ``ot shift add|edit`` refuses, because it asks the
same code: :func:`field_messages` reads each field with the parsers of
:mod:`ot.services.entries` (fast, no ledger: it runs as the user types), and
:func:`check_form` runs :func:`ot.services.entries.add_shift` or
:func:`~ot.services.entries.edit_shift` as a dry run (every check, then a
rollback) and files each :class:`~ot.core.errors.Problem` under the field it names.
The dry run also says what saving would void (approvals of steps 1 and 2) and
whether the change is a correction of a paid date, so the form can ask first.

Times are 24-hour local wall time at the work location, as on the CLI: a
worked shift is a date, a start ``HH:MM`` and an end ``HH:MM`` (the next day
when not after the start), with breaks ``HH:MM-HH:MM[:TYPE]``; an hours-only
entry is a date and a number of hours.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

from ledger.pairing import worked_minutes
from ot.core.domain import PAY_TYPES, Shift
from ot.core.errors import OtError, Problem
from ot.core.money import hours2, minutes_to_hours
from ot.core.timez import TimeError, local, parse_date, parse_hhmm
from ot.services.approvals import describe_shift, shift_day
from ot.services.corrections import TIMEFRAMES
from ot.services.entries import (
    BREAK_PATTERN,
    EntryResult,
    ShiftInput,
    add_shift,
    edit_shift,
    parse_hours,
    parse_rate,
)
from ot.services.uow import unit_of_work

__all__ = [
    "FIELDS",
    "PAY_TYPES",
    "TIMEFRAMES",
    "FormCheck",
    "FormStart",
    "ShiftForm",
    "check_form",
    "field_messages",
    "save_form",
    "start_add",
    "start_edit",
    "to_input",
]

#: The form's fields, in the order they are shown; ``general`` holds what names no field.
FIELDS: tuple[str, ...] = (
    "day",
    "start",
    "end",
    "hours",
    "breaks",
    "pay_type",
    "rate",
    "location_id",
    "rest",
    "reason",
    "correction",
    "timeframe",
    "general",
)

_WHERE = {
    "--date": "day",
    "--start": "start",
    "--start/--date": "start",
    "--start/--end": "start",
    "--end": "end",
    "--hours": "hours",
    "--attest": "rest",
    "--break": "breaks",
    "--pay-type": "pay_type",
    "--rate": "rate",
    "--location": "location_id",
    "--reason": "reason",
    "--correction-timeframe": "timeframe",
}


@dataclass(frozen=True)
class ShiftForm:
    """The form's fields as typed (text; empty: not given).

    Attributes:
        hours_only: True for an hours-only entry (date and hours), False for a worked shift.
        day: ``YYYY-MM-DD``: the local date the shift starts on, or of the hours.
        start: Local start ``HH:MM`` (24-hour) of a worked shift.
        end: Local end ``HH:MM`` (the next day when not after the start).
        hours: Hours of an hours-only entry (``7.5``); on an edit of a worked shift, the hours it
            records (used only if the user switches it to an hours-only entry).
        breaks: Breaks ``HH:MM-HH:MM[:TYPE]``, separated by commas or spaces.
        pay_type: ``REGULAR``, ``PTO``, ``SICK`` or ``HOLIDAY``.
        rate: Shift rate in dollars per hour ('' for the worker's profile rate).
        location_id: Work location id.
        reason: Why (required for a correction).
        correction_authorized: The "correction authorized" flag of a change on a paid date.
        timeframe: How an underpayment is paid (``NEXT_PAYROLL_PAYMENT``...).
        rest: The worker's rest-period answer (``rest-missed``, ``rest-taken``; '' not asked).
    """

    hours_only: bool = False
    day: str = ""
    start: str = ""
    end: str = ""
    hours: str = ""
    breaks: str = ""
    pay_type: str = "REGULAR"
    rate: str = ""
    location_id: str = ""
    reason: str = ""
    correction_authorized: bool = False
    timeframe: str = "NEXT_PAYROLL_PAYMENT"
    rest: str = ""

    def break_list(self) -> tuple[str, ...]:
        """Each break as typed."""
        return tuple(b for b in re.split(r"[,\s]+", self.breaks.strip()) if b)


@dataclass(frozen=True)
class FormStart:
    """What the form opens with.

    Attributes:
        worker_id: The worker whose shift it is.
        worker_name: Their name.
        shift_id: The shift edited (None when adding one).
        form: The fields' first values (the shift as it stands, or defaults).
        approved: True when the shift is approved (step 1): saving an edit voids that.
        paid: True when the shift's date is paid: any change is a correction.
        locations: Location ids to choose from.
        description: The shift in words (``W1 Tue 2026-10-13 08:00-16:30``), '' when adding.
        missing: ``in`` or ``out`` when the shift lacks that punch: saving then adds the punch at the
            start (or end) typed, so that its breaks and pairing stay as punched; None otherwise.
    """

    worker_id: str
    worker_name: str
    shift_id: str | None
    form: ShiftForm
    approved: bool
    paid: bool
    locations: tuple[str, ...]
    description: str
    missing: str | None = None


@dataclass(frozen=True)
class FormCheck:
    """What the ledger says of the form (a dry run of the save).

    Attributes:
        messages: Field name (one of :data:`FIELDS`) -> what is wrong there and what to do.
        paid: True when the change touches a paid date (a correction: flag, reason, timeframe).
        voids: What saving would void, in words (``approval of shift S12``...).
        description: The shift as it would stand ('' when refused).
        corrections: The over- or underpayments a correction would record, in words.
    """

    messages: Mapping[str, str]
    paid: bool
    voids: tuple[str, ...] = ()
    description: str = ""
    corrections: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.messages


def _field(where: str) -> str:
    """The form field a problem's ``where`` names (``general`` for a shift, a worker, who acts)."""
    return _WHERE.get(where.split(" ", 1)[0], "general")


def _add(messages: dict[str, str], field: str, text: str) -> None:
    messages[field] = f"{messages[field]}; {text}" if field in messages else text


def _problems(error: OtError, form: ShiftForm) -> dict[str, str]:
    """Each problem of a refusal under the field it names."""
    out: dict[str, str] = {}
    for p in error.problems:
        field = _field(p.where)
        message = p.message
        if "at most 24 hours of one pay type" in message:
            field = "hours" if form.hours_only else "end"
        elif message.startswith("nothing changes"):
            message = "nothing changes yet: change a field, then save"
        elif "this date is paid" in message:
            field = "correction"
            message = f"{p.where} is paid: this change is a correction; tick the box and give a reason"
        _add(out, field, message)
    if not out:
        out["general"] = error.render()
    return out


def field_messages(form: ShiftForm, before: ShiftForm | None = None) -> dict[str, str]:
    """What is wrong with each field on its own (no ledger: fast enough for every keystroke).

    The same parsers and messages as ``ot shift add|edit``; what needs the ledger
    (the location, the day's 24-hour cap, the paid-date lock, who may) is
    :func:`check_form`'s. On an edit (``before``: the values it opened with),
    breaks left as they were are not read: they are not given, as on the CLI
    (a break never ended, ``12:00-?``, stays as it is).
    """
    out: dict[str, str] = {}
    try:
        parse_date(form.day)
    except TimeError as exc:
        out["day"] = str(exc) if form.day.strip() else "give the date, YYYY-MM-DD"
    if form.hours_only:
        if not form.hours.strip():
            out["hours"] = "give the hours, e.g. 7.5"
        else:
            try:
                parse_hours(form.hours)
            except OtError as exc:
                out["hours"] = exc.problems[0].message
    else:
        for name in ("start", "end"):
            text = getattr(form, name).strip()
            if not text:
                out[name] = f"give the {name}, HH:MM in 24-hour time"
                continue
            try:
                parse_hhmm(text)
            except TimeError as exc:
                out[name] = str(exc)
        kept = before is not None and not before.hours_only and form.break_list() == before.break_list()
        bad = [] if kept else [b for b in form.break_list() if not BREAK_PATTERN.match(b)]
        if bad:
            out["breaks"] = (
                f"{', '.join(bad)}: write a break as HH:MM-HH:MM[:TYPE] in 24-hour local time, e.g. 12:00-12:30"
            )
        else:
            for b in () if kept else form.break_list():
                m = BREAK_PATTERN.match(b)
                assert m is not None
                try:
                    parse_hhmm(m.group(1))
                    parse_hhmm(m.group(2))
                except TimeError as exc:
                    out["breaks"] = f"{b}: {exc}"
                    break
    if form.pay_type.strip().upper() not in PAY_TYPES:
        out["pay_type"] = f"{form.pay_type!r}: use one of {', '.join(PAY_TYPES)}"
    if form.rate.strip():
        try:
            parse_rate(form.rate.strip())
        except OtError as exc:
            out["rate"] = exc.problems[0].message
    if form.timeframe.strip().upper() not in TIMEFRAMES:
        out["timeframe"] = f"{form.timeframe!r}: use one of {', '.join(TIMEFRAMES)}"
    if form.correction_authorized and not form.reason.strip():
        out["reason"] = "a correction needs a reason"
    return out


def _start_text(form: ShiftForm) -> str:
    return f"{form.day.strip()}T{form.start.strip()}"


def to_input(form: ShiftForm, before: ShiftForm | None = None) -> ShiftInput:
    """The form as ``ot shift add`` options, or (given the values it opened with) as
    ``ot shift edit`` options: only what changed, as the CLI's edit takes them.

    A worked shift whose date, start or end changed is given whole (start and end);
    unchanged breaks then move with the start, as on the CLI.
    """
    pay_type = form.pay_type.strip().upper()
    rate = form.rate.strip() or None
    location = form.location_id.strip() or None
    if before is not None:
        pay_type = pay_type if pay_type != before.pay_type.strip().upper() else ""
        rate = rate if rate != (before.rate.strip() or None) else None
        location = location if location != (before.location_id.strip() or None) else None
    rest: str | None = form.rest.strip() or "none"
    if (before is not None and form.rest.strip() == before.rest.strip()) or (before is None and not form.rest.strip()):
        rest = None
    base = ShiftInput(rate=rate, location_id=location, pay_type=pay_type or None, rest=rest)
    if form.hours_only:
        changed = (
            before is None
            or not before.hours_only
            or (form.day.strip(), form.hours.strip()) != (before.day.strip(), before.hours.strip())
        )
        return replace(base, day=form.day.strip(), hours=form.hours.strip()) if changed else base
    breaks = form.break_list()
    if before is not None and not before.hours_only:
        times = (form.day.strip(), form.start.strip(), form.end.strip())
        times_changed = times != (before.day.strip(), before.start.strip(), before.end.strip())
        return replace(
            base,
            start=_start_text(form) if times_changed else None,
            end=form.end.strip() if times_changed else None,
            breaks=breaks if breaks != before.break_list() else None,
        )
    return replace(base, start=_start_text(form), end=form.end.strip(), breaks=breaks or None)


def _shift_form(shift: Shift) -> ShiftForm:
    day = shift_day(shift)
    common = ShiftForm(
        day=day.isoformat(),
        pay_type=shift.pay_type,
        rate=str(shift.rate) if shift.rate is not None else "",
        location_id=shift.location_id or "",
        rest=shift.rest_attestation or "",
    )
    if shift.start is None:
        return replace(common, hours_only=True, hours=str(hours2(shift.entry_hours)))
    tz = shift.timezone
    worked = worked_minutes(shift)  # what an hours-only entry starts with, if the user switches to one
    breaks = []
    for b in shift.breaks:
        end = local(b.end, tz).strftime("%H:%M") if b.end else "?"
        breaks.append(f"{local(b.start, tz):%H:%M}-{end}:{b.type_code}")
    return replace(
        common,
        start=local(shift.start, tz).strftime("%H:%M"),
        end=local(shift.end, tz).strftime("%H:%M") if shift.end else "",
        breaks=", ".join(breaks),
        hours=str(hours2(minutes_to_hours(worked))) if worked is not None else "",
    )


def start_add(ledger_path: Path, worker_id: str, day: date) -> FormStart:
    """The form for a new shift of ``worker_id`` on ``day`` (their default location, REGULAR)."""
    with unit_of_work(ledger_path) as uow:
        worker = uow.roster.get(worker_id)
        if worker is None:
            raise OtError("cannot add a shift", [Problem("worker", f"no worker {worker_id!r} in the ledger")])
        form = ShiftForm(day=day.isoformat(), location_id=worker.location_id or "")
        return FormStart(
            worker_id,
            worker.name,
            None,
            form,
            approved=False,
            paid=uow.pay.is_paid(worker_id, day),
            locations=tuple(sorted(uow.locations)),
            description="",
        )


def start_edit(ledger_path: Path, shift_id: str) -> FormStart:
    """The form for editing ``shift_id``, filled with the shift as it stands."""
    with unit_of_work(ledger_path) as uow:
        shift = uow.find_shift(shift_id)
        if shift is None:
            raise OtError("cannot edit the shift", [Problem(f"shift {shift_id}", "no such shift (deleted?)")])
        worker = uow.roster[shift.worker_id]
        return FormStart(
            shift.worker_id,
            worker.name,
            shift_id,
            _shift_form(shift),
            approved=uow.pay.shift_approval(shift_id) is not None,
            paid=uow.pay.is_paid(shift.worker_id, shift_day(shift)),
            locations=tuple(sorted(uow.locations)),
            description=describe_shift(shift),
            missing=_missing(shift),
        )


def _missing(shift: Shift) -> str | None:
    """The punch a punched shift lacks (``in`` or ``out``), or None."""
    if not shift.shift_id.startswith("S"):
        return None
    if "missing_in" in shift.exceptions:
        return "in"
    if "missing_out" in shift.exceptions or (shift.start is not None and shift.end is None):
        return "out"
    return None


def _before(start: FormStart) -> ShiftForm | None:
    """The values an edit opened with (None when adding)."""
    return start.form if start.shift_id is not None else None


def _paid(ledger_path: Path, start: FormStart, form: ShiftForm) -> bool:
    try:
        day = parse_date(form.day)
    except TimeError:
        return start.paid
    with unit_of_work(ledger_path) as uow:
        return start.paid or uow.pay.is_paid(start.worker_id, day)


def _run(
    ledger_path: Path, start: FormStart, form: ShiftForm, *, actor: str, now: datetime, dry_run: bool
) -> EntryResult:
    reason = form.reason.strip() or None
    timeframe = form.timeframe.strip().upper() or None
    if start.missing is not None and start.shift_id is not None:
        return _add_missing_punch(ledger_path, start, form, reason, timeframe, actor=actor, now=now, dry_run=dry_run)
    if start.shift_id is None:
        return add_shift(
            ledger_path,
            worker_id=start.worker_id,
            given=to_input(form),
            reason=reason,
            correction_authorized=form.correction_authorized,
            timeframe=timeframe,
            actor=actor,
            now=now,
            dry_run=dry_run,
        )
    return edit_shift(
        ledger_path,
        start.shift_id,
        given=to_input(form, start.form),
        reason=reason,
        correction_authorized=form.correction_authorized,
        timeframe=timeframe,
        actor=actor,
        now=now,
        dry_run=dry_run,
    )


def _add_missing_punch(
    ledger_path: Path,
    start: FormStart,
    form: ShiftForm,
    reason: str | None,
    timeframe: str | None,
    *,
    actor: str,
    now: datetime,
    dry_run: bool,
) -> EntryResult:
    """Fix a missing punch the way it happened: add the punch at the time typed (``ot punch add``)."""
    from ot.services.punch import add_punch

    assert start.shift_id is not None
    assert start.missing is not None
    typed = (form.start if start.missing == "in" else form.end).strip()
    field = "--start" if start.missing == "in" else "--end"
    if not typed:
        raise OtError(
            "the punch was not recorded; nothing was written",
            [Problem(field, f"type the time of the missing {start.missing}-punch (HH:MM, 24-hour)")],
        )
    try:
        parse_hhmm(typed)
        day = parse_date(form.day.strip())
    except TimeError as exc:
        raise OtError("the punch was not recorded; nothing was written", [Problem(field, str(exc))]) from None
    if start.missing == "out" and form.start.strip() and typed <= form.start.strip():
        day += timedelta(days=1)  # an out-punch not after the start is the next day's
    added = add_punch(
        ledger_path,
        worker_id=start.worker_id,
        kind=start.missing,
        at=f"{day.isoformat()}T{typed}",
        location_id=form.location_id.strip() or None,
        reason=reason or f"missing {start.missing}-punch added",
        correction_authorized=form.correction_authorized,
        timeframe=timeframe,
        actor=actor,
        now=now,
        dry_run=dry_run,
    )
    p = added.punch
    return EntryResult(
        start.shift_id,
        "punch added",
        f"{p.worker_id} {p.kind}-punch at {p.local_time:%Y-%m-%d %H:%M}",
        (),
        (),
        added.correction,
    )


def _correction_words(result: EntryResult) -> tuple[str, ...]:
    out = []
    for c in result.corrections:
        sign = "+" if c.kind == "underpayment" else "-"
        out.append(f"{c.kind} for the week of {c.week_start}: {sign}{c.amount} ({c.settlement})")
    return tuple(out)


def check_form(ledger_path: Path, start: FormStart, form: ShiftForm, *, actor: str, now: datetime) -> FormCheck:
    """Everything ``ot shift add|edit`` would say of the form, field by field; nothing is written."""
    messages = field_messages(form, _before(start))
    paid = _paid(ledger_path, start, form)
    if messages:
        return FormCheck(MappingProxyType(messages), paid)
    try:
        result = _run(ledger_path, start, form, actor=actor, now=now, dry_run=True)
    except OtError as error:
        return FormCheck(MappingProxyType(_problems(error, form)), paid)
    return FormCheck(
        MappingProxyType({}),
        paid or result.correction,
        result.voided,
        result.description,
        _correction_words(result),
    )


def save_form(ledger_path: Path, start: FormStart, form: ShiftForm, *, actor: str, now: datetime) -> EntryResult:
    """Record the form's shift (``ot shift add``) or its changes (``ot shift edit``)."""
    messages = field_messages(form, _before(start))
    if messages:
        raise OtError(
            "the shift was not recorded; nothing was written",
            [Problem(field, text) for field, text in messages.items()],
        )
    return _run(ledger_path, start, form, actor=actor, now=now, dry_run=False)
