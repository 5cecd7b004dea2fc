"""Punch pairing (ledger/pairing.py): punches -> shifts, exceptions flagged, never guessed."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.events import PunchRecord
from ledger.pairing import EXCEPTIONS, flag_overlaps, overlapping, pair_punches, worked_minutes
from ot.core.domain import DEFAULT_UNPAID, BreakSegment, Location, RateChange, Shift, Worker

LOCS = {
    "LA": Location("LA", "Plant", "CA", "America/Los_Angeles"),
    "NY": Location("NY", "Depot", "NY", "America/New_York"),
}
WORKER = Worker("W1", "Wes", "W2", (RateChange(datetime(2026, 1, 1).date(), Decimal(20)),), "LA", None, "worker")
T0 = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


def punch(
    seq: int,
    minutes: int,
    kind: str,
    *,
    location: str | None = None,
    break_type: str | None = None,
    rate: str | None = None,
) -> PunchRecord:
    return PunchRecord(seq, "W1", T0 + timedelta(minutes=minutes), kind, location, break_type, rate, "test")


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_a_day_with_a_meal_break() -> None:
    shifts = pair_punches(
        [
            punch(4, 540, "out"),
            punch(1, 0, "in"),
            punch(2, 240, "break_start", break_type=DEFAULT_UNPAID),
            punch(3, 270, "break_end"),
        ],
        WORKER,
        LOCS,
    )
    assert shifts == [
        Shift(
            shift_id="S1",
            worker_id="W1",
            start=at(0),
            end=at(540),
            timezone="America/Los_Angeles",
            state="CA",
            location_id="LA",
            breaks=(BreakSegment(at(240), at(270), DEFAULT_UNPAID, False),),
        )
    ]
    assert worked_minutes(shifts[0]) == 510


def test_shift_rate_location_override_and_paid_break_type() -> None:
    shifts = pair_punches(
        [
            punch(1, 0, "in", location="NY", rate="24.50"),
            punch(2, 60, "break_start", break_type="PAID_REST"),
            punch(3, 70, "break_end"),
            punch(4, 120, "out"),
        ],
        WORKER,
        LOCS,
        {"PAID_REST": True},
    )
    (s,) = shifts
    assert (s.location_id, s.state, s.timezone, s.rate) == ("NY", "NY", "America/New_York", Decimal("24.50"))
    assert s.breaks == (BreakSegment(at(60), at(70), "PAID_REST", True),)
    assert worked_minutes(s) == 120
    assert s.exceptions == ()


def test_unknown_break_type_is_flagged_and_unpaid() -> None:
    (s,) = pair_punches(
        [
            punch(1, 0, "in"),
            punch(2, 60, "break_start", break_type="NAP"),
            punch(3, 70, "break_end"),
            punch(4, 120, "out"),
        ],
        WORKER,
        LOCS,
    )
    assert s.breaks[0].paid is False
    assert s.exceptions == ("unknown_break_type",)


def test_missing_out_before_the_next_in() -> None:
    shifts = pair_punches([punch(1, 0, "in"), punch(2, 1440, "in"), punch(3, 1920, "out")], WORKER, LOCS)
    assert [(s.shift_id, s.start, s.end, s.exceptions) for s in shifts] == [
        ("S1", at(0), None, ("missing_out",)),
        ("S2", at(1440), at(1920), ()),
    ]
    assert worked_minutes(shifts[0]) is None


def test_missing_out_at_the_end() -> None:
    (s,) = pair_punches([punch(7, 0, "in")], WORKER, LOCS)
    assert (s.shift_id, s.end, s.exceptions) == ("S7", None, ("missing_out",))


def test_missing_in_is_a_zero_length_record() -> None:
    shifts = pair_punches([punch(1, 0, "in"), punch(2, 480, "out"), punch(3, 900, "out")], WORKER, LOCS)
    assert [(s.shift_id, s.start, s.end, s.exceptions) for s in shifts] == [
        ("S1", at(0), at(480), ()),
        ("S3", at(900), at(900), ("missing_in",)),
    ]
    assert worked_minutes(shifts[1]) == 0


def test_break_not_ended() -> None:
    (s,) = pair_punches([punch(1, 0, "in"), punch(2, 240, "break_start"), punch(3, 480, "out")], WORKER, LOCS)
    assert s.breaks == (BreakSegment(at(240), None, DEFAULT_UNPAID, False),)
    assert s.exceptions == ("break_not_ended",)


def test_second_break_start_leaves_the_first_unended() -> None:
    (s,) = pair_punches(
        [
            punch(1, 0, "in"),
            punch(2, 100, "break_start"),
            punch(3, 200, "break_start"),
            punch(4, 230, "break_end"),
            punch(5, 480, "out"),
        ],
        WORKER,
        LOCS,
    )
    assert [(b.start, b.end) for b in s.breaks] == [(at(100), None), (at(200), at(230))]
    assert s.exceptions == ("break_not_ended",)


def test_break_end_without_start() -> None:
    (s,) = pair_punches([punch(1, 0, "in"), punch(2, 100, "break_end"), punch(3, 480, "out")], WORKER, LOCS)
    assert s.breaks == ()
    assert s.exceptions == ("break_not_started",)


def test_break_outside_shift() -> None:
    shifts = pair_punches(
        [punch(1, 0, "break_start"), punch(2, 30, "break_end"), punch(3, 60, "in"), punch(4, 120, "out")], WORKER, LOCS
    )
    assert [(s.shift_id, s.exceptions) for s in shifts] == [
        ("S1", ("break_outside_shift",)),
        ("S2", ("break_outside_shift",)),
        ("S3", ()),
    ]


def test_over_24_hours() -> None:
    (s,) = pair_punches([punch(1, 0, "in"), punch(2, 24 * 60 + 1, "out")], WORKER, LOCS)
    assert s.exceptions == ("over_24h",)
    (s,) = pair_punches([punch(1, 0, "in"), punch(2, 24 * 60, "out")], WORKER, LOCS)
    assert s.exceptions == ()


def test_overlap_with_a_manual_entry() -> None:
    manual = Shift("M-1", "W1", at(300), at(600), "America/Los_Angeles", "CA")
    touching = Shift("M-2", "W1", at(480), at(500), "America/Los_Angeles", "CA")
    shifts = pair_punches(
        [punch(1, 0, "in"), punch(2, 300, "out"), punch(3, 400, "in"), punch(4, 480, "out")],
        WORKER,
        LOCS,
        others=[manual],
    )
    assert [s.exceptions for s in shifts] == [(), ("overlap",)]
    # An entry that begins when the shift ends touches it without overlapping.
    shifts = pair_punches([punch(1, 0, "in"), punch(2, 480, "out")], WORKER, LOCS, others=[touching])
    assert shifts[0].exceptions == ()
    hours_only = Shift("M-3", "W1", None, None, "America/Los_Angeles", "CA", day=at(0).date(), minutes=480)
    assert (
        pair_punches([punch(1, 0, "in"), punch(2, 480, "out")], WORKER, LOCS, others=[hours_only])[0].exceptions == ()
    )


def test_missing_out_inside_a_manual_entry_overlaps() -> None:
    manual = Shift("M-1", "W1", at(-60), at(600), "America/Los_Angeles", "CA")
    (s,) = pair_punches([punch(1, 0, "in")], WORKER, LOCS, others=[manual])
    assert s.exceptions == ("missing_out", "overlap")


def test_manual_entries_are_flagged_as_the_shifts_they_overlap() -> None:
    """The shifts in force, punched and manual alike: each that shares an instant with another is flagged;
    touching shifts and hours-only entries are not (time is paid once, whoever entered it)."""
    zone = "America/Los_Angeles"
    m1 = Shift("M1", "W1", at(0), at(480), zone, "CA")
    m2 = Shift("M2", "W1", at(180), at(660), zone, "CA")
    m3 = Shift("M3", "W1", at(660), at(720), zone, "CA")  # begins as M2 ends
    hours_only = Shift("M4", "W1", None, None, zone, "CA", day=at(0).date(), minutes=480)
    (punched,) = pair_punches([punch(1, 700, "in"), punch(2, 800, "out")], WORKER, LOCS)
    flagged = flag_overlaps([punched, m1, m2, m3, hours_only])
    assert {s.shift_id: s.exceptions for s in flagged} == {
        "S1": ("overlap",),
        "M1": ("overlap",),
        "M2": ("overlap",),
        "M3": ("overlap",),  # by the punched shift, 700 to 720
        "M4": (),
    }
    assert overlapping(m1, m2)
    assert not overlapping(m2, m3)
    assert not overlapping(m1, hours_only)
    assert flag_overlaps([m1, m3]) == [m1, m3]  # nothing overlaps: the same shifts back


def test_unknown_default_location_is_flagged() -> None:
    lost = dataclasses.replace(WORKER, location_id="GONE")
    (s,) = pair_punches([punch(1, 0, "in"), punch(2, 60, "out")], lost, LOCS)
    assert (s.timezone, s.state, s.exceptions) == ("UTC", "", ("unknown_location",))


def test_dst_fall_back_night_counts_the_hours_really_worked() -> None:
    """22:00 PDT Oct 31 to 06:30 PST Nov 1 2026 is 9.5 hours elapsed (the 01:00 hour happens twice)."""
    start = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 2026-10-31 22:00 PDT
    end = datetime(2026, 11, 1, 14, 30, tzinfo=UTC)  # 2026-11-01 06:30 PST
    punches = [
        PunchRecord(1, "W1", start, "in", None, None, None, "t"),
        PunchRecord(2, "W1", end, "out", None, None, None, "t"),
    ]
    (s,) = pair_punches(punches, WORKER, LOCS)
    assert worked_minutes(s) == 570


def test_ties_keep_ledger_order_and_other_workers_are_ignored() -> None:
    other = PunchRecord(9, "W2", T0, "in", None, None, None, "t")
    shifts = pair_punches([punch(2, 0, "out"), punch(1, 0, "in"), other], WORKER, LOCS)
    assert [(s.shift_id, s.start, s.end, s.exceptions) for s in shifts] == [("S1", at(0), at(0), ())]


def test_records_are_frozen() -> None:
    (s,) = pair_punches([punch(1, 0, "in"), punch(2, 60, "out")], WORKER, LOCS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.end = None  # type: ignore[misc]


# --- properties ----------------------------------------------------------------


@st.composite
def well_formed_week(draw: st.DrawFn) -> tuple[list[PunchRecord], list[Shift]]:
    """Disjoint shifts with disjoint breaks inside, and the punches that record them (shuffled)."""
    n = draw(st.integers(0, 8))
    cursor = draw(st.integers(0, 600))
    punches: list[tuple[int, str, str | None, str | None, str | None]] = []  # (minute, kind, loc, break type, rate)
    expected: list[tuple[int, int, str | None, str | None, list[tuple[int, int, str]]]] = []
    for _ in range(n):
        start = cursor + draw(st.integers(1, 900))
        length = draw(st.integers(1, 24 * 60))
        loc = draw(st.sampled_from([None, "LA", "NY"]))
        rate = draw(st.sampled_from([None, "18.00", "31.25"]))
        breaks: list[tuple[int, int, str]] = []
        b_cursor = start
        for _b in range(draw(st.integers(0, 3))):
            b0 = b_cursor + draw(st.integers(1, 120))
            b1 = b0 + draw(st.integers(1, 60))
            if b1 >= start + length:
                break
            breaks.append((b0, b1, draw(st.sampled_from([DEFAULT_UNPAID, "PAID_REST"]))))
            b_cursor = b1
        end = start + length
        punches.append((start, "in", loc, None, rate))
        for b0, b1, code in breaks:
            punches += [(b0, "break_start", None, code, None), (b1, "break_end", None, None, None)]
        punches.append((end, "out", None, None, None))
        expected.append((start, end, loc, rate, breaks))
        cursor = end
    order = draw(st.permutations(range(len(punches))))
    records = []
    seqs = {}
    for seq, (minute, kind, loc, bt, rate) in enumerate(punches, start=1):
        seqs[(minute, kind)] = seq
        records.append(PunchRecord(seq, "W1", at(minute), kind, loc, bt, rate, "h"))
    shuffled = [records[i] for i in order]
    shifts = [
        Shift(
            shift_id=f"S{seqs[(start, 'in')]}",
            worker_id="W1",
            start=at(start),
            end=at(end),
            timezone=LOCS[loc or "LA"].timezone,
            state=LOCS[loc or "LA"].state,
            location_id=loc or "LA",
            rate=Decimal(rate) if rate else None,
            breaks=tuple(BreakSegment(at(b0), at(b1), code, code == "PAID_REST") for b0, b1, code in breaks),
        )
        for start, end, loc, rate, breaks in expected
    ]
    return shuffled, shifts


@given(well_formed_week())
def test_well_formed_punches_pair_back_into_exactly_those_shifts(case: tuple[list[PunchRecord], list[Shift]]) -> None:
    punches, shifts = case
    assert pair_punches(punches, WORKER, LOCS, {"PAID_REST": True}) == shifts


punch_seqs = st.lists(
    st.tuples(
        st.integers(0, 3 * 24 * 60),
        st.sampled_from(["in", "out", "break_start", "break_end"]),
        st.sampled_from([None, "LA", "NY", "GONE"]),
        st.sampled_from([None, DEFAULT_UNPAID, "PAID_REST", "ODD"]),
        st.sampled_from([None, "20.00", "x"]),
    ),
    max_size=30,
)


@given(punch_seqs, st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 900)), max_size=3))
def test_pairing_never_raises_and_accounts_for_every_punch(
    raw: list[tuple[int, str, str | None, str | None, str | None]], manual: list[tuple[int, int]]
) -> None:
    """Any punch sequence pairs without an exception; every in punch opens exactly one shift."""
    punches = [PunchRecord(i + 1, "W1", at(m), k, loc, bt, rate, "h") for i, (m, k, loc, bt, rate) in enumerate(raw)]
    others = [Shift(f"M{i}", "W1", at(a), at(a + d), "UTC", "") for i, (a, d) in enumerate(manual)]
    shifts = pair_punches(punches, WORKER, LOCS, {"PAID_REST": True}, others=others)
    ins = sorted(f"S{p.seq}" for p in punches if p.kind == "in")
    assert (
        sorted(
            s.shift_id for s in shifts if "missing_in" not in s.exceptions and "break_outside_shift" not in s.exceptions
        )
        == ins
    )
    assert len({s.shift_id for s in shifts}) == len(shifts)
    for s in shifts:
        assert set(s.exceptions) <= set(EXCEPTIONS)
        assert s.start is not None
        assert s.end is None or s.end >= s.start
        if s.end is None:
            assert "missing_out" in s.exceptions
        for b in s.breaks:
            assert b.start >= s.start
            if b.end is None:
                assert "break_not_ended" in s.exceptions
