"""Time is paid once: overlapping shifts of one worker (a review).

Two hand-entered shifts that overlap were accepted, approved and paid twice (16 hours for 11 hours of
time): ``ot shift add|edit`` now refuses a timed shift that overlaps another shift in force of the
worker, manual or punched, naming it, and writes nothing; shifts that overlap all the same (a punch
imported later, shifts from before this check) are each flagged ``overlap``, manual ones too, which
blocks the worker's timecard until one of them is fixed.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from approvals_helpers import add, company, events, ot, snapshot_of
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ledger.events import NewEvent
from ledger.store import Ledger
from ot.core.errors import OtError
from ot.core.timez import iso_utc
from ot.services import approvals, imports, payrun
from ot.services.exceptions_view import exceptions_queue
from ot.services.uow import unit_of_work

PERIOD = "2026-10-13"  # in the pay period 2026-10-11..24 of the helpers' company
NOW = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)


def _flags(path: Path, worker: str, first: str, last: str) -> dict[str, tuple[str, ...]]:
    with unit_of_work(path) as uow:
        return {
            s.shift_id: s.exceptions for s in uow.shifts([worker], date.fromisoformat(first), date.fromisoformat(last))
        }


def _dry_run(cli: CliRunner) -> str:
    return ot(cli, "payrun", "--period", PERIOD, "--dry-run").stdout


def _legacy_entry(path: Path, shift_id: str, worker: str, start: datetime, end: datetime) -> None:
    """A manual shift as a ledger from before the overlap check could hold it (written as its event)."""
    payload = {
        "shift_id": shift_id,
        "worker_id": worker,
        "start": iso_utc(start),
        "end": iso_utc(end),
        "day": None,
        "minutes": None,
        "breaks": [],
        "rate": None,
        "display_rate": None,
        "location_id": None,
        "pay_type": "REGULAR",
        "meal_waiver": False,
        "reason": None,
    }
    with Ledger.open(path) as led:
        led.append([NewEvent("shift.entered", payload, worker_id=worker)], actor="A1", now=NOW)


# --- (1) refused at entry -----------------------------------------------------------------------


def test_an_overlapping_manual_shift_is_refused_and_the_week_pays_once(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """The reviewer's first case: 09:00-17:00 then 12:00-20:00 the same day."""
    company(cli, tmp_path)
    first = add(cli, "W1", "--start", "2026-10-13T09:00", "--end", "2026-10-13T17:00")
    before = snapshot_of(ledger_path)
    refused = ot(
        cli, "shift", "add", "--worker", "W1", "--start", "2026-10-13T12:00", "--end", "2026-10-13T20:00", code=2
    )
    assert snapshot_of(ledger_path) == before
    err = refused.stderr
    assert f"overlaps shift {first} of W1 (2026-10-13 09:00 to 2026-10-13 17:00 PDT)" in err
    assert "2026-10-13 12:00 to 2026-10-13 20:00 PDT" in err
    assert f"ot shift edit {first}" in err
    assert f"ot shift delete {first}" in err
    assert "correct the times" in err
    assert "nothing was written" in err
    # What was meant: 17:00-20:00 after it, touching it, is accepted: 11 hours, paid once.
    add(cli, "W1", "--start", "2026-10-13T17:00", "--end", "2026-10-13T20:00")
    ot(cli, "approve", "shifts", "--all-visible", "--period", PERIOD, user="M1")
    ot(cli, "approve", "timecards", "--period", PERIOD)
    assert "W1     Wes Worker                 11.00 h" in _dry_run(cli)


def test_a_24_hour_shift_and_one_given_with_an_offset_are_refused(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """The reviewer's second case: a 24-hour shift (``--end`` the next day at the same time), then a shift whose start
    carries its own offset (09:00+05:00 is 20:00 PST the day before) and ends inside it."""
    company(cli, tmp_path)
    day = add(cli, "W1", "--start", "2026-11-10T09:00", "--end", "2026-11-11T09:00")  # --end 09:00 is refused now
    before = snapshot_of(ledger_path)
    refused = ot(
        cli, "shift", "add", "--worker", "W1", "--start", "2026-11-10T09:00+05:00", "--end", "2026-11-10T17:00", code=2
    )
    assert snapshot_of(ledger_path) == before
    assert f"overlaps shift {day} of W1 (2026-11-10 09:00 to 2026-11-11 09:00 PST)" in refused.stderr
    assert "2026-11-09 20:00 to 2026-11-10 17:00 PST" in refused.stderr
    # A shift of the same times as an hours-only entry has no instants: the day cap alone bounds it.
    ot(cli, "shift", "add", "--worker", "W1", "--date", "2026-11-10", "--hours", "8", "--pay-type", "PTO")


def test_an_edit_into_another_shift_is_refused_and_one_out_of_it_is_accepted(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    company(cli, tmp_path)
    morning = add(cli, "W1", "--start", "2026-10-13T06:00", "--end", "2026-10-13T10:00")
    evening = add(cli, "W1", "--start", "2026-10-13T14:00", "--end", "2026-10-13T18:00")
    before = snapshot_of(ledger_path)
    refused = ot(cli, "shift", "edit", evening, "--start", "2026-10-13T09:30", code=2)
    assert f"overlaps shift {morning} of W1 (2026-10-13 06:00 to 2026-10-13 10:00 PDT)" in refused.stderr
    assert snapshot_of(ledger_path) == before
    ot(cli, "shift", "edit", evening, "--start", "2026-10-13T10:00")  # touching: accepted
    ot(cli, "shift", "edit", morning, "--end", "2026-10-13T09:00")  # its own old times do not count


def test_a_manual_shift_over_a_punched_one_is_refused(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    company(cli, tmp_path)
    (tmp_path / "punches.csv").write_text(
        "worker_id,time,kind,location_id,break_type\nW1,2026-10-13T08:00,in,,\nW1,2026-10-13T16:00,out,,\n"
    )
    ot(cli, "import", "punches", str(tmp_path / "punches.csv"))
    [punched] = _flags(ledger_path, "W1", "2026-10-13", "2026-10-13")
    before = snapshot_of(ledger_path)
    refused = ot(
        cli, "shift", "add", "--worker", "W1", "--start", "2026-10-13T15:00", "--end", "2026-10-13T19:00", code=2
    )
    assert f"overlaps shift {punched} of W1 (2026-10-13 08:00 to 2026-10-13 16:00 PDT)" in refused.stderr
    assert snapshot_of(ledger_path) == before
    assert events(ledger_path, "shift.") == []


def test_the_shift_form_shows_the_overlap_under_the_start_and_saves_nothing(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """The TUI's shift form (a dry run of the same service on every check, then the save)."""
    from dataclasses import replace

    from ot.services.shift_form import check_form, save_form, start_add

    company(cli, tmp_path)
    first = add(cli, "W1", "--start", "2026-10-13T09:00", "--end", "2026-10-13T17:00")
    start = start_add(ledger_path, "W1", date(2026, 10, 13))
    form = replace(start.form, day="2026-10-13", start="12:00", end="20:00")
    check = check_form(ledger_path, start, form, actor="A1", now=NOW)
    assert f"overlaps shift {first} of W1" in check.messages["start"]
    before = snapshot_of(ledger_path)
    with pytest.raises(OtError) as refused:
        save_form(ledger_path, start, form, actor="A1", now=NOW)
    assert f"overlaps shift {first}" in refused.value.render()
    assert snapshot_of(ledger_path) == before
    assert check_form(ledger_path, start, replace(form, start="17:00"), actor="A1", now=NOW).ok


# --- (2) flagged when they overlap all the same ----------------------------------------------------


def test_a_punch_import_over_a_manual_shift_flags_both_and_blocks_the_timecard(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """A manual shift approved and on its timecard; then the time clock's punches arrive for the same
    hours. Both shifts are flagged, the approvals no longer stand for pay, and the pay run leaves W1 out
    until one of them goes."""
    company(cli, tmp_path)
    manual = add(cli, "W1", "--start", "2026-10-13T09:00", "--end", "2026-10-13T17:00")
    ot(cli, "approve", "shifts", "--all-visible", "--period", PERIOD, user="M1")
    ot(cli, "approve", "timecards", "--period", PERIOD)
    (tmp_path / "punches.csv").write_text(
        "worker_id,time,kind,location_id,break_type\nW1,2026-10-13T12:00,in,,\nW1,2026-10-13T20:00,out,,\n"
    )
    ot(cli, "import", "punches", str(tmp_path / "punches.csv"))
    flags = _flags(ledger_path, "W1", "2026-10-13", "2026-10-13")
    [punched] = set(flags) - {manual}
    assert flags == {manual: ("overlap",), punched: ("overlap",)}
    assert "review: overlap" in ot(cli, "shifts", "--worker", "W1", "--week", PERIOD).stdout
    # Step 1 leaves both out; step 2 and the pay run name what blocks W1.
    out = ot(cli, "approve", "shifts", "--all-visible", "--period", PERIOD, user="M1")
    assert f"shift {manual}" in out.stdout + out.stderr
    assert f"shift {punched}" in out.stdout + out.stderr
    blocked = ot(cli, "approve", "timecards", "--period", PERIOD, code=2)
    assert f"shift {manual}: W1 Tue 2026-10-13 09:00-17:00 has overlap" in blocked.stderr
    dry = ot(cli, "payrun", "--period", PERIOD, "--dry-run", code=2)
    assert "W1" in dry.stderr
    assert "overlap" in dry.stderr
    # The Exceptions screen lists both, each blocking, each opening its shift's form.
    view = exceptions_queue(ledger_path, "A1", date(2026, 10, 13))
    items = [i for i in view.items if i.worker_id == "W1" and i.blocks]
    assert sorted((i.shift_id, i.kind) for i in items) == sorted([(manual, "overlap"), (punched, "overlap")])
    assert all("ot shift edit" in i.fix for i in items)
    # Fixed: the manual shift was the punches' hours typed in; deleting it unblocks W1, paid 8 hours once.
    ot(cli, "shift", "delete", manual, "--reason", "the punches have it")
    assert _flags(ledger_path, "W1", "2026-10-13", "2026-10-13") == {punched: ()}
    ot(cli, "approve", "shifts", "--all-visible", "--period", PERIOD, user="M1")
    ot(cli, "approve", "timecards", "--period", PERIOD)
    assert "W1     Wes Worker                  8.00 h" in _dry_run(cli)


def test_manual_shifts_from_the_past_that_overlap_are_flagged_even_when_approved(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """Two manual shifts that overlap, as a ledger from before the check holds them: the first approved at
    step 1 before the second was entered. Both are flagged; the timecard is blocked; editing one out of the
    other (the fix the refusal names) unblocks it."""
    company(cli, tmp_path)
    pdt = ZoneInfo("America/Los_Angeles")
    first = add(cli, "W1", "--start", "2026-10-13T09:00", "--end", "2026-10-13T17:00")
    ot(cli, "approve", "shifts", "--all-visible", "--period", PERIOD, user="M1")
    _legacy_entry(
        ledger_path, "M-old", "W1", datetime(2026, 10, 13, 12, tzinfo=pdt), datetime(2026, 10, 13, 20, tzinfo=pdt)
    )
    assert _flags(ledger_path, "W1", "2026-10-13", "2026-10-13") == {first: ("overlap",), "M-old": ("overlap",)}
    blocked = ot(cli, "approve", "timecards", "--period", PERIOD, code=2)
    assert f"shift {first}" in blocked.stderr
    assert "shift M-old" in blocked.stderr
    # Editing either while it still overlaps is refused (the rate alone, say); moving it out is accepted.
    ot(cli, "shift", "edit", "M-old", "--rate", "21.00", code=2)
    ot(cli, "shift", "edit", "M-old", "--start", "2026-10-13T17:00")
    assert _flags(ledger_path, "W1", "2026-10-13", "2026-10-13") == {first: (), "M-old": ()}
    ot(cli, "approve", "shifts", "--all-visible", "--period", PERIOD, user="M1")
    ot(cli, "approve", "timecards", "--period", PERIOD)
    assert "W1     Wes Worker                 11.00 h" in _dry_run(cli)


# --- (3) the property: no instant paid twice --------------------------------------------------------

CHICAGO = ZoneInfo("America/Chicago")  # W2 works at L2, Dallas: federal rules alone, no daily overtime
ORIGIN = datetime(2026, 10, 12, 0, 0, tzinfo=CHICAGO)  # Monday of the first week of the period
QUARTER = timedelta(minutes=15)
#: A shift: (start, length) in quarter hours from ORIGIN, within five days; 15 minutes to 12 hours.
SPANS = st.tuples(st.integers(0, 5 * 96), st.integers(1, 48))


@st.composite
def _punched_spans(draw: st.DrawFn) -> list[tuple[int, int]]:
    """Disjoint spans, as punches pair them (a worker is punched in once at a time)."""
    out: list[tuple[int, int]] = []
    at = draw(st.integers(0, 96))
    for _ in range(draw(st.integers(0, 4))):
        length = draw(st.integers(1, 48))
        out.append((at, length))
        at += length + draw(st.integers(0, 96))
    return out


@pytest.fixture(scope="module")
def company_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("company")
    mp = pytest.MonkeyPatch()
    mp.setenv("OT_LEDGER", str(tmp / "ledger.db"))
    try:
        company(CliRunner(), tmp)
    finally:
        mp.undo()
    return tmp / "ledger.db"


def _instant(quarters: int) -> datetime:
    return (ORIGIN.astimezone(UTC) + quarters * QUARTER).astimezone(UTC)


def _wall(quarters: int) -> str:
    return _instant(quarters).astimezone(CHICAGO).strftime("%Y-%m-%dT%H:%M")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(manual=st.lists(SPANS, max_size=4), punched=_punched_spans())
def test_no_instant_is_paid_twice(
    company_ledger: Path,
    tmp_path_factory: pytest.TempPathFactory,
    manual: list[tuple[int, int]],
    punched: list[tuple[int, int]],
) -> None:
    """Random manual shifts (written as a ledger from before the check holds them) and punched shifts
    (imported after them) of W2: a shift is flagged ``overlap`` exactly when it shares an instant with
    another; and the hours the pay run pays W2 (approved at both steps by an admin) never exceed the union of
    the shifts' time: all of it when nothing overlaps, none while an overlap stands."""
    folder = tmp_path_factory.mktemp("ex")
    path = folder / "ledger.db"
    shutil.copy(company_ledger, path)
    spans: dict[str, tuple[int, int]] = {}
    for i, (start, length) in enumerate(manual):
        spans[f"M-{i}"] = (start, start + length)
        _legacy_entry(path, f"M-{i}", "W2", _instant(start), _instant(start + length))
    if punched:
        rows = "".join(f"W2,{_wall(s)},in,,\nW2,{_wall(s + n)},out,,\n" for s, n in punched)
        (folder / "punches.csv").write_text("worker_id,time,kind,location_id,break_type\n" + rows)
        imports.import_file(path, "punches", folder / "punches.csv", actor="A1", now=NOW)
    with unit_of_work(path) as uow:
        shifts = uow.shifts(["W2"], date(2026, 10, 11), date(2026, 10, 24))
    punched_ids = sorted((s.shift_id for s in shifts if not s.shift_id.startswith("M-")), key=lambda x: int(x[1:]))
    for sid, (start, length) in zip(punched_ids, punched, strict=True):
        spans[sid] = (start, start + length)
    assert {s.shift_id for s in shifts} == set(spans)

    def clash(a: str) -> bool:
        a0, a1 = spans[a]
        return any(b != a and spans[b][0] < a1 and a0 < spans[b][1] for b in spans)

    overlapped = {s.shift_id for s in shifts if "overlap" in s.exceptions}
    assert overlapped == {sid for sid in spans if clash(sid)}

    covered: set[int] = set()
    for a0, a1 in spans.values():
        covered.update(range(a0, a1))
    union = Decimal(len(covered)) / 4
    try:
        approvals.approve_shifts(path, all_visible=True, period_day=date(2026, 10, 13), actor="A1", now=NOW)
        approvals.approve_timecards(path, period_day=date(2026, 10, 13), actor="A1", now=NOW)
    except OtError:
        pass  # nothing to approve, or a timecard blocked: the pay run says who is left out
    try:
        run = payrun.run_payroll(path, period_day=date(2026, 10, 13), dry_run=True, actor="A1", now=NOW, jobs=1)
    except OtError:
        paid = Decimal(0)  # nobody to pay
    else:
        paid = sum(
            (
                line.minutes / 60
                for w in run.workers
                if w.worker_id == "W2"
                for _week, _file, _sha, lines in w.weeks
                for line in lines
                if line.hour_class in ("REG", "OT", "DT")
            ),
            Decimal(0),
        )
    event("overlap" if overlapped else "no overlap")
    event("paid" if paid else "nothing paid")
    assert paid <= union
    assert paid == (0 if overlapped else union)
