"""Event records, canonical JSON, payload validation, and the punch fast path."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ledger_helpers import NOW

from ledger.events import NewEvent, canonical_json, punch_key, validate_payload
from ledger.store import Ledger

TEXT = st.text(min_size=1, max_size=12)  # any unicode, quotes, backslashes, control characters


def test_new_event_is_frozen() -> None:
    e = NewEvent("note.added", {"a": 1})
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.kind = "x"  # type: ignore[misc]


def test_canonical_json() -> None:
    assert canonical_json({"b": [1, None, True], "a": "é"}) == '{"a":"é","b":[1,null,true]}'


def test_punch_key_is_per_worker_instant_and_kind() -> None:
    t = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    assert punch_key("W1", t, "in") == punch_key("W1", t, "in")
    assert len({punch_key("W1", t, "in"), punch_key("W2", t, "in"), punch_key("W1", t, "out")}) == 3


@pytest.mark.parametrize(
    "payload",
    [
        {"shift_id": "S1", "worker_id": "W1", "start": "2026-11-02T16:00:00Z", "end": None, "day": "2026-11-02",
         "minutes": 60, "breaks": [], "rate": None, "display_rate": None, "location_id": None, "pay_type": "REGULAR",
         "meal_waiver": False, "reason": None},
        {"shift_id": "S1", "worker_id": "W1", "start": None, "end": None, "day": None, "minutes": None, "breaks": [],
         "rate": None, "display_rate": None, "location_id": None, "pay_type": "REGULAR", "meal_waiver": False,
         "reason": None},
        {"shift_id": "S1", "worker_id": "W1", "start": "2026-11-02T16:00:00Z", "end": None, "day": None,
         "minutes": None, "breaks": [{"start": "2026-11-02T25:00:00Z"}], "rate": None, "display_rate": None,
         "location_id": None, "pay_type": "REGULAR", "meal_waiver": False, "reason": None},
    ],
)  # fmt: skip
def test_bad_shift_payloads(payload: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"shift\.entered"):
        validate_payload("shift.entered", payload)


@given(
    at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)),
    kind=st.sampled_from(["in", "out", "break_start", "break_end"]),
    worker_id=TEXT,
    source=TEXT,
    location_id=st.none() | TEXT,
    break_type=st.none() | TEXT,
    rate=st.none() | st.decimals(min_value=0, max_value=1000, places=2).map(str),
)
def test_punch_fast_path_writes_canonical_json(
    at: datetime,
    kind: str,
    worker_id: str,
    source: str,
    location_id: str | None,
    break_type: str | None,
    rate: str | None,
) -> None:
    """The store writes punch payloads without the JSON encoder; the text must be exactly canonical_json's."""
    payload = {
        "worker_id": worker_id,
        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kind": kind,
        "location_id": location_id,
        "break_type": break_type if kind == "break_start" else None,
        "rate": rate,
        "source": source,
    }
    with Ledger.open(":memory:") as led:
        (e,) = led.append(
            [NewEvent("punch.recorded", payload, key=punch_key(worker_id, at, kind), worker_id=worker_id)],
            actor="a",
            now=NOW,
        )
        stored = led.connection.execute("SELECT payload FROM events").fetchone()[0]
        assert stored == canonical_json(payload)
        assert json.loads(stored) == payload == e.payload
        assert led.verify().ok
