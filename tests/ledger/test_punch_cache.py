"""Issue 15: a worker's punches are read and parsed once per command; what a later window reads from
the kept ones equals what the events give, and any append (the head moving) forgets them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from ledger_helpers import NOW, company, punch

from ledger.store import Ledger

BASE = datetime(2026, 10, 1, tzinfo=UTC)
HOURS = st.integers(min_value=-48, max_value=24 * 40)


def _ledger() -> Ledger:
    led = Ledger.open(":memory:")
    led.append(company(), actor="a", now=NOW)
    led.append([punch("W1", BASE + timedelta(hours=7 * i + i % 3, minutes=i)) for i in range(120)], actor="a", now=NOW)
    led.append([punch("W2", BASE + timedelta(hours=11 * i)) for i in range(40)], actor="a", now=NOW)
    return led


@given(st.lists(st.tuples(st.sampled_from(["W1", "W2"]), HOURS, st.integers(0, 24 * 20)), min_size=1, max_size=8))
def test_windows_read_from_the_kept_punches_equal_the_events(windows: list[tuple[str, int, int]]) -> None:
    with _ledger() as led:
        for wid, start_h, length_h in windows:
            start = BASE + timedelta(hours=start_h, seconds=start_h % 7, microseconds=(start_h % 5) * 1000)
            end = start + timedelta(hours=length_h)
            assert led.punches(wid, start, end) == led._read_punches(wid, start, end), (wid, start, end)


def test_an_append_forgets_the_kept_punches() -> None:
    with _ledger() as led:
        start, end = BASE, BASE + timedelta(days=3)
        before = led.punches("W1", start, end)
        led.append([punch("W1", BASE + timedelta(hours=1, minutes=59), "out")], actor="a", now=NOW)
        after = led.punches("W1", start, end)
        assert len(after) == len(before) + 1
        assert after == led._read_punches("W1", start, end)
        with led.write(actor="a", now=NOW) as tx:  # inside a write: its own appends are seen
            assert tx.punches("W1", start, end) == after
            tx.append([punch("W1", BASE + timedelta(hours=2), "out")])
            assert len(tx.punches("W1", start, end)) == len(after) + 1
