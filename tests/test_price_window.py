"""A price run's :class:`ot.services.pay.Window`: the shifts a pay run's timecards read, paired by the
price run's children from the punches they already hold, must be exactly those the one shift loader
(``UnitOfWork.shifts``) gives over the same dates, each with its version: the timecards compare these
versions with the approvals made from the loader's shifts (``ot approve shifts``).

Random punches (missing outs, orphan outs, breaks, nights across midnight, days just outside the
window) in two time zones, and windows anywhere within what a run reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.approvals import shift_version
from ot.services.imports import import_file
from ot.services.pay import Window
from ot.services.uow import unit_of_work

START = date(2026, 7, 19)  # a Sunday
NOW = datetime(2026, 9, 1, tzinfo=UTC)
KINDS = ("in", "out", "break_start", "break_end")


def _ledger(folder: Path, punches: list[tuple[str, int, int, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "locations.csv").write_text(
        "location_id,name,state,timezone\nL1,Los Angeles,CA,America/Los_Angeles\nL2,New York,NY,America/New_York\n"
    )
    (folder / "workers.csv").write_text(
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
        "A1,Admin One,W2,50.00,L1,,admin,,,\nW1,One,W2,20.00,L1,A1,worker,,,\nW2,Two,W2,21.00,L2,A1,worker,,,\n"
    )
    lines = ["worker_id,time,kind,location_id,break_type"]
    for wid, day, minute, kind in punches:
        at = datetime.combine(START + timedelta(days=day), datetime.min.time()) + timedelta(minutes=minute)
        lines.append(f"{wid},{at:%Y-%m-%dT%H:%M},{kind},,")
    (folder / "punches.csv").write_text("\n".join(lines) + "\n")
    path = folder / "ledger.db"
    now0 = datetime(2026, 7, 1, tzinfo=UTC)
    import_file(path, "locations", folder / "locations.csv", actor="A1", now=now0)
    import_file(path, "workers", folder / "workers.csv", actor="A1", now=now0)
    if punches:
        import_file(path, "punches", folder / "punches.csv", actor="A1", now=NOW)
    return path


punch = st.tuples(
    st.sampled_from(["W1", "W2"]),
    st.integers(-6, 22),  # days from START: before and after any window drawn
    st.integers(0, 24 * 60 - 1),
    st.sampled_from(KINDS),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    punches=st.lists(punch, max_size=40, unique_by=lambda p: (p[0], p[1], p[2])),
    first=st.integers(-1, 8),
    length=st.integers(0, 14),
    lean=st.booleans(),
)
def test_the_window_gives_the_loaders_shifts(
    tmp_path_factory: object, punches: list[tuple[str, int, int, str]], first: int, length: int, lean: bool
) -> None:
    folder = Path(str(tmp_path_factory.mktemp("w")))  # type: ignore[attr-defined]
    path = _ledger(folder, punches)
    start, end = START + timedelta(days=max(first, 0)), START + timedelta(days=max(first, 0) + length)
    window = Window(start - timedelta(days=1), end)
    with unit_of_work(path) as uow:
        uow.lean = lean
        run = uow.price(["W1", "W2"], start, end, window=window)
        loader = uow.shifts(["W1", "W2"], window.first, window.last)
    assert run.window is not None
    expected: dict[str, list[tuple[object, str]]] = {}
    for s in loader:
        expected.setdefault(s.worker_id, []).append((s, shift_version(s)))
    assert {w: list(found) for w, found in run.window.items()} == expected


def test_no_window_asked_or_outside_what_the_run_reads(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "l", [("W1", 1, 8 * 60, "in"), ("W1", 1, 16 * 60, "out")])
    with unit_of_work(path) as uow:
        assert uow.price(["W1"], START, START + timedelta(days=6)).window is None
        far = Window(START + timedelta(days=60), START + timedelta(days=61))
        assert uow.price(["W1"], START, START + timedelta(days=6), window=far).window is None
        near = Window(START, START + timedelta(days=6))
        got = uow.price(["W1"], START, START + timedelta(days=6), window=near).window
    assert got is not None
    assert [s.shift_id for s, _ in got["W1"]] == [s.shift_id for s in _shifts(path, near)]


def _shifts(path: Path, window: Window) -> list[object]:
    with unit_of_work(path) as uow:
        return list(uow.shifts(["W1"], window.first, window.last))
