"""The explanation as text (terminal) and JSON: syrupy snapshots, read and checked by hand."""

from __future__ import annotations

import json

from syrupy.assertion import SnapshotAssertion

from ot.calcio import read_calc_input, result_json
from rules.engine import price
from rules.engine.explain import explain_json, explain_text

from .books import ALL

CA_WEEK = {
    "workers": {"w1": {"rate": "20.00", "state": "CA"}},
    "shifts": [
        {
            "worker": "w1",
            "start": "2026-11-02T06:00",
            "end": "2026-11-02T20:30",
            "breaks": [{"start": "2026-11-02T11:00", "end": "2026-11-02T11:30"}],
        },
        {"worker": "w1", "start": "2026-11-03T08:00", "end": "2026-11-03T16:00", "rate": "26.00"},
        {"worker": "w1", "date": "2026-11-04", "hours": "8", "pay_type": "HOLIDAY"},
    ],
}


def _week() -> object:
    data = read_calc_input(json.dumps(CA_WEEK))
    return price(data.shifts, data.workers, ALL).weeks()[0]


def test_explain_text_of_a_multi_rate_california_week(snapshot: SnapshotAssertion) -> None:
    """Cal. Lab. Code 510 and 512, 29 CFR 778.115: Monday 06:00-20:30 with a meal at
    11:00 is 14 h: 8 REG, 4 OT (daily over 8h), 2 DT (daily over 12h), each with
    FEDERAL's REG as the loser; Tuesday 8 h at $26 without a meal owes a premium at
    the regular rate ($408 straight time for 14 h at $20 and 8 h at $26 = $488 / 22 h
    = $22.1818...); the OT/DT lines get a regular-rate adjustment; the holiday is paid
    and never counted."""
    text = explain_text(_week())  # type: ignore[arg-type]
    assert "2.00 h  DT  CA daily over 12h" in text
    assert "$488.00 / 22.00 h = $22.1818" in text
    assert "4.00 h x   $2.1818 x 0.5  =      $4.36" in text  # RR_ADJ multiplies out: 4 x 2.1818 x 0.5 = 4.3636
    assert text == snapshot


def test_explain_json_matches_the_text(snapshot: SnapshotAssertion) -> None:
    """The same week's explanation as JSON (what ot calc --explain prints)."""
    week = _week()
    data = explain_json(week)  # type: ignore[arg-type]
    assert [p["class"] for p in data["pieces"]] == ["REG", "REG", "OT", "DT", "REG"]
    assert data["regular_rate"]["regular_rate"] == "22.1818"
    assert data == snapshot


def test_calc_output_document(snapshot: SnapshotAssertion) -> None:
    """contracts/calc.md output of the week above, whole."""
    data = read_calc_input(json.dumps(CA_WEEK))
    out = result_json(price(data.shifts, data.workers, ALL))
    assert json.dumps(out, indent=2) == snapshot
