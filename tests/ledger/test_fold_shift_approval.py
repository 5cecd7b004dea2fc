"""``paystate.fold_shift_approval`` (the Python fold a check of many approval rows uses) gives the row the
ledger's SQL fold writes, over any sequence of one shift's approvals and voids."""

from __future__ import annotations

import sqlite3
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ledger.paystate import HANDLERS, fold_shift_approval
from ledger.schema import PAY_STATE_V3

KINDS = ("approval.shift_approved", "approval.shift_voided")

event = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(["W1", "W2"]),
    st.sampled_from(["v1", "v2", "v3"]),
    st.sampled_from(["2026-10-12", "2026-10-13"]),
    st.sampled_from(["A1", "M1"]),
    st.sampled_from(["edited", "unapproved", ""]),
    st.text(max_size=8),
)


def _payload(kind: str, worker: str, version: str, day: str, cause: str, reason: str) -> dict[str, Any]:
    if kind == "approval.shift_approved":
        return {"shift_id": "S1", "worker_id": worker, "version": version, "day": day}
    return {"shift_id": "S1", "worker_id": worker, "cause": cause, "reason": reason}


@given(st.lists(event, max_size=8), st.lists(st.integers(1, 5), min_size=8, max_size=8))
def test_the_python_fold_is_the_sql_fold(events: list[tuple[str, ...]], gaps: list[int]) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(PAY_STATE_V3.split(";")[0].format(s="main"))
    folded: list[tuple[int, str, dict[str, Any], str, str]] = []
    seq = 0
    for (kind, worker, version, day, actor, cause, reason), gap in zip(events, gaps, strict=False):
        seq += gap
        p = _payload(kind, worker, version, day, cause, reason)
        at = f"2026-10-14T00:00:{seq:02d}Z"
        HANDLERS[kind](conn, "main", seq, p, actor, at)
        folded.append((seq, kind, p, actor, at))
    row = conn.execute("SELECT * FROM shift_approvals").fetchone()
    assert fold_shift_approval(folded) == row
