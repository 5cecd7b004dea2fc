"""The outbox fold and the status words, pure (no ledger, no clock)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from ledger.events import Event, NewEvent
from ot.sync import outbox

AT = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def _events(news: list[NewEvent]) -> list[Event]:
    return [
        Event(i + 1, f"e{i}", AT, "A1", n.kind, dict(n.payload), n.key, n.worker_id, "0" * 64, "0" * 64)
        for i, n in enumerate(news)
    ]


KEY1 = outbox.sync_key("t", "S1", "v1")
KEY2 = outbox.sync_key("t", "S1", "v2")
ENQ1 = outbox.enqueued_event("t", "S1", "W1", "v1", date(2026, 10, 12), KEY1)
ENQ2 = outbox.enqueued_event("t", "S1", "W1", "v2", date(2026, 10, 12), KEY2)
START1 = outbox.started_event("t", "S1", "W1", "v1", KEY1, "create")
SENT1 = outbox.sent_event("t", "S1", "W1", "v1", KEY1, "create", "1001", AT)


def _status(news: list[NewEvent], version: str | None = "v1", key: str | None = KEY1) -> outbox.Status:
    return outbox.status_of(outbox.fold(_events(news)).of("t", "S1"), version, key)


def test_statuses() -> None:
    assert _status([ENQ1]).status == "Send"
    assert _status([ENQ1, START1]).detail.startswith("the last attempt ended without an answer")
    assert _status([ENQ1, START1, SENT1]).status == "Sent"
    edited = _status([ENQ1, START1, SENT1, ENQ2], "v2", KEY2)
    assert (edited.status, edited.detail) == ("Send", "edited after sending: waiting to send the update")
    fail = outbox.failed_event(
        "t", "S1", "W1", "v2", KEY2, "update", transient=False, message="worker W1 is not known", what_to_do="add"
    )
    err = _status([ENQ1, START1, SENT1, ENQ2, fail], "v2", KEY2)
    assert (err.status, err.detail, err.what_to_do) == ("Error", "worker W1 is not known", "add")
    # The error belongs to v2: a newer approved version is waiting, not in error.
    assert _status([ENQ1, START1, SENT1, ENQ2, fail], "v3", "t:S1:v3:0").status == "Send"


def test_keys_are_stable_and_failures_recorded_once() -> None:
    assert outbox.sync_key("t", "S1", "v1") == "t:S1:v1:0"
    assert outbox.external_id("t", "S1") == outbox.external_id("t", "S1") == "ot:t:S1"
    a = outbox.failed_event("t", "S1", "W1", "v1", KEY1, "create", transient=False, message="m", what_to_do="d")
    b = outbox.failed_event("t", "S1", "W1", "v1", KEY1, "create", transient=False, message="m", what_to_do="d")
    assert a.key == b.key is not None
    transient = outbox.failed_event("t", "S1", "W1", "v1", KEY1, "create", transient=True, message="m", what_to_do="")
    assert transient.key is None


def test_records_are_immutable() -> None:
    sync = outbox.fold(_events([ENQ1])).of("t", "S1")
    assert sync is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        sync.sent_version = "v9"  # type: ignore[misc]
