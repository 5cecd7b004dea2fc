"""Reads that must cost what they find, not the ledger's size: counted in SQLite's virtual-machine steps
(``set_progress_handler``), which do not depend on the machine's speed or load. A query by a kind of
event that is not a punch must say ``kind != 'punch.recorded'`` for the partial kind index to serve it;
without it SQLite reads every event (found by a helper session profiling verify: the excused-days read
ran once per worker-week priced, over the whole ledger)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ledger.approvals import PayBook
from ledger.events import NewEvent, punch_key
from ledger.schema import PROJECTIONS, _script
from ledger.store import Ledger
from ot.services import money_check

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _ledger(path: Path, punches: int) -> Ledger:
    ledger = Ledger.open(path)
    events = [
        NewEvent(
            "location.added",
            {"location_id": "L1", "name": "LA", "state": "CA", "timezone": "America/Los_Angeles"},
            key="loc:L1",
        ),
        NewEvent(
            "worker.added",
            {
                "worker_id": "W1",
                "name": "One",
                "type": "W2",
                "pay_rate": "20.00",
                "rate_effective": None,
                "location_id": "L1",
                "manager_id": None,
                "role": "worker",
            },
            key="worker.added:W1",
            worker_id="W1",
        ),
    ]
    t0 = datetime(2024, 1, 1, 8, tzinfo=UTC)
    for i in range(punches):
        at = t0 + timedelta(hours=4 * i)
        kind = "in" if i % 2 == 0 else "out"
        events.append(
            NewEvent(
                "punch.recorded",
                {
                    "worker_id": "W1",
                    "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "kind": kind,
                    "location_id": None,
                    "break_type": None,
                    "rate": None,
                    "source": "test",
                },
                key=punch_key("W1", at, kind),
                worker_id="W1",
            )
        )
    ledger.append(events, actor="A1", now=NOW)
    return ledger


def _steps(conn: sqlite3.Connection, read: Callable[[], object]) -> int:
    count = [0]

    def tick() -> int:
        count[0] += 1
        return 0

    conn.set_progress_handler(tick, 100)
    try:
        read()
    finally:
        conn.set_progress_handler(None, 0)
    return count[0]


def test_excused_days_and_the_money_checks_reads_do_not_read_every_punch(tmp_path: Path) -> None:
    small, large = _ledger(tmp_path / "small.db", 10), _ledger(tmp_path / "large.db", 4000)
    days = {"W1": [date(2024, 1, 2)]}
    costs = []
    for ledger in (small, large):
        conn = ledger.connection
        costs.append(
            (
                _steps(conn, lambda ledger=ledger: ledger.excused_days(days)),
                _steps(conn, lambda conn=conn: money_check._payments_of_run(conn, "R2024-01-01")),
                _steps(conn, lambda conn=conn: list(money_check._payments(conn, 0, 10**9))),
            )
        )
        ledger.close()
    # 4,000 punches more: a read that scanned them would take tens of thousands of steps more.
    for few, many in zip(costs[0], costs[1], strict=True):
        assert many <= few + 5, costs


def _pay_book(payments: int) -> tuple[sqlite3.Connection, PayBook]:
    """The pay-state tables with ``payments`` regular payments of W1 (and a correction before each, settled
    by it), and one externally paid underpayment after the last."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    _script(conn, PROJECTIONS.format(s="main"))
    seq = 0
    for i in range(payments):
        seq += 2
        conn.execute(
            "INSERT INTO payments VALUES (?, ?, 'regular', 'W1', NULL, NULL, NULL, NULL, '1.00', '0.00', '0.00', "
            "'1.00', '[]', '2026-01-01T00:00:00Z')",
            (seq, f"R{i}"),
        )
        conn.execute(
            "INSERT INTO corrections VALUES (?, 'W1', '2026-01-04', 'overpayment', 'NEXT_PAYROLL_PAYMENT', '1.00', "
            "'0.00', '{}', 'A1', '2026-01-01T00:00:00Z', ?)",
            (f"C{seq - 1}", seq - 1),
        )
    payload = (
        '{"correction_id":"CX","worker_id":"W1","week_start":"2026-01-04","kind":"underpayment",'
        '"timeframe":"EXTERNALLY_PAID","reason":"r","shift_id":"","action":"edit","amount":"1.00","dates":[],'
        '"paid_gross":"0.00","corrected_gross":"1.00","rules_file":"rules.ot"}'
    )
    conn.execute(
        "INSERT INTO corrections VALUES ('CX', 'W1', '2026-01-04', 'underpayment', 'EXTERNALLY_PAID', '1.00', "
        "'0.00', ?, 'A1', '2026-01-01T00:00:00Z', ?)",
        (payload, seq + 5),
    )
    return conn, PayBook(conn)


def test_a_stubs_external_corrections_are_found_without_reading_past_payments() -> None:
    """What a pay run reads for each stub's externally paid corrections (``paycycle._external_entries``):
    the last regular payment and the corrections since, found by seeking, whatever the worker's past
    (issue 15: the pay run's cost must not grow with paid periods)."""
    costs = []
    for payments in (5, 2000):
        conn, book = _pay_book(payments)
        since = book.last_regular_payment_seq("W1")
        assert since == 2 * payments
        assert [c.correction_id for c in book.corrections_since("W1", since)] == ["CX"]
        costs.append(_steps(conn, lambda book=book: book.corrections_since("W1", book.last_regular_payment_seq("W1"))))
    assert costs[1] <= costs[0] + 5, costs


def test_the_edges_of_the_punches_after_a_checkpoint_read_only_those(tmp_path: Path) -> None:
    """The summary's first and last punch after a verify checkpoint (``punch_edges_between``) read the events
    after it by sequence number: on a ledger of 4,000 punches more, the same steps. Without ``NOT INDEXED``
    SQLite chose the punch index and read every punch (0.21 s on 2.4 million, found measuring the summary
    at 10,000 workers with 5 paid periods)."""
    from ot.services.verify_checkpoint import punch_edges_between

    small, large = _ledger(tmp_path / "small.db", 10), _ledger(tmp_path / "large.db", 4000)
    costs = []
    for ledger in (small, large):
        head = ledger.head()[0]
        conn = ledger.connection
        edges = punch_edges_between(conn, head - 2, head)  # the last two punches
        assert edges.first is not None
        assert edges.last is not None
        assert edges.first < edges.last
        costs.append(_steps(conn, lambda conn=conn, head=head: punch_edges_between(conn, head - 2, head)))
        ledger.close()
    assert costs[1] <= costs[0] + 5, costs
