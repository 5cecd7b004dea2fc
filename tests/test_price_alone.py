"""A worker prices the same whoever is priced with them (``ot.services.pay.price_open``): another worker's
bonus earned over earlier weeks (29 CFR 778.209) loads that worker's earlier hours as context, and used to
widen every worker's break table to the rules files in force back then, and to price every worker's
manual entries of those weeks (one without a rate refused the whole run). Here W1's 45-minute COFFEE break
of 2026-10-13 was paid under r1 (in force from 2026-01-01) when W2's February bonus was priced with W1, and
unknown (unpaid, an exception to fix) under r2, the file in force that week, when W1 was priced alone.
Found by two reviews of the Approvals screen's kept rows (``queue.queue_since``), which price one worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ledger.earnings_csv import EarningValues
from ot.services import approvals, earnings, entries, imports, punch
from ot.services.adopt import adopt_text
from ot.services.pay import price_weeks
from ot.services.queue import approval_queue, queue_since
from rules.files import default_rules_path

LOC = "location_id,name,state,timezone\nL2,Dallas,TX,America/Chicago\n"
ROSTER = """worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override
A1,Ada Admin,W2,40.00,L2,,admin,,,
W1,Wes Worker,W2,20.00,L2,A1,worker,,,
W2,Tex Worker,W2,18.00,L2,A1,worker,,,
"""
ROSTER_DATED = """worker_id,name,type,pay_rate,rate_effective,location_id,manager_id,role,birth_date,ssn,pin_override
A1,Ada Admin,W2,40.00,,L2,,admin,,,
W1,Wes Worker,W2,20.00,2026-10-01,L2,A1,worker,,,
W2,Tex Worker,W2,18.00,,L2,A1,worker,,,
"""
DAY = date(2026, 10, 13)  # in the default biweekly period 2026-10-11 to 2026-10-24


def _company(folder: Path, roster: str) -> tuple[Path, Callable[[], datetime]]:
    """A ledger of the location and ``roster``, and a clock that moves five minutes a call."""
    p = folder / "ledger.db"
    clock = [datetime(2026, 10, 26, 9, tzinfo=UTC)]

    def tick() -> datetime:
        clock[0] += timedelta(minutes=5)
        return clock[0]

    (folder / "l.csv").write_text(LOC)
    (folder / "w.csv").write_text(roster)
    imports.import_file(p, "locations", folder / "l.csv", actor="A1", now=tick())
    imports.import_file(p, "workers", folder / "w.csv", actor="A1", now=tick())
    return p, tick


def _worked(p: Path, tick: Callable[[], datetime], worker_id: str, day: date, start: str, end: str) -> None:
    """A shift entered by hand, from ``start`` to ``end`` (HH:MM) on ``day``."""
    entries.add_shift(
        p,
        worker_id=worker_id,
        given=entries.ShiftInput(start=f"{day}T{start}", end=f"{day}T{end}"),
        reason="worked",
        actor="A1",
        now=tick(),
    )


def test_a_worker_prices_the_same_alone_or_with_a_back_dated_bonus_of_another(tmp_path: Path) -> None:
    p, tick = _company(tmp_path, ROSTER)
    base = default_rules_path().read_text()
    r1 = base.replace("break type REST paid", "break type REST paid\nbreak type COFFEE paid")
    assert r1 != base
    adopt_text(p, r1, "r1.ot", date(2026, 1, 1), actor="A1", now=tick())
    for kind, hhmm, code in [
        ("in", "08:00", None),
        ("break_start", "12:00", "COFFEE"),
        ("break_end", "12:45", None),
        ("out", "17:00", None),
    ]:
        punch.add_punch(
            p, worker_id="W1", kind=kind, at=f"{DAY}T{hhmm}", break_type=code, reason="fix", actor="A1", now=tick()
        )
    _worked(p, tick, "W1", date(2026, 10, 14), "08:00", "12:00")
    _worked(p, tick, "W2", DAY, "08:00", "12:00")
    earnings.record_earning(
        p,
        EarningValues("W2", str(DAY), "bonus", amount="100.00", earned_from="2026-02-01", earned_to="2026-02-28"),
        actor="A1",
        now=tick(),
    )
    adopt_text(p, base, "r2.ot", date(2026, 6, 1), actor="A1", now=tick())

    def w1(ids: list[str]) -> list[str]:
        return [str(pw.result.gross) for pw in price_weeks(p, ids, DAY, DAY).weeks if pw.worker.worker_id == "W1"]

    # 8 h 15 min (the COFFEE break unknown under r2: unpaid) + 4 h = 12.25 h x $20.00 = $245.00
    assert w1(["W1"]) == w1(["W1", "W2"]) == ["245.00"]
    shown = approval_queue(p, "A1", DAY)
    sid = next(s.shift_id for w in shown.weeks if w.worker_id == "W1" for s in w.shifts if s.approvable)
    approvals.approve_shifts(p, shift_ids=[sid], actor="A1", now=tick())
    assert queue_since(p, "A1", DAY, shown) == approval_queue(p, "A1", DAY)


def test_another_workers_bonus_does_not_price_a_workers_old_entries(tmp_path: Path) -> None:
    """W1's hours entered for 2026-09-10, before their rate starts (2026-10-01): not priced with W1's
    period, nor when W2's bonus earned over September is priced with it."""
    p, tick = _company(tmp_path, ROSTER_DATED)
    for wid in ("W1", "W2"):
        _worked(p, tick, wid, DAY, "08:00", "12:00")
    earnings.record_earning(
        p,
        EarningValues("W2", str(DAY), "bonus", amount="100.00", earned_from="2026-09-01", earned_to="2026-09-30"),
        actor="A1",
        now=tick(),
    )
    shown = approval_queue(p, "A1", DAY)
    entries.add_shift(
        p, worker_id="W1", given=entries.ShiftInput(day="2026-09-10", hours="4"), reason="old", actor="A1", now=tick()
    )
    # 4 h x $20.00 = $80.00 (the entry of 2026-09-10 is before W1's rate and W1's weeks)
    w1 = [str(pw.result.gross) for pw in price_weeks(p, ["W1", "W2"], DAY, DAY).weeks if pw.worker.worker_id == "W1"]
    assert w1 == [str(pw.result.gross) for pw in price_weeks(p, ["W1"], DAY, DAY).weeks] == ["80.00"]
    whole = approval_queue(p, "A1", DAY)
    assert [w.problem for w in whole.weeks] == [None, None]
    assert queue_since(p, "A1", DAY, shown) == whole
