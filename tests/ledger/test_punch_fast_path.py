"""The fast paths of an append and of ``ot import punches`` (issue 15) write exactly what the long
way writes, and refuse exactly what it refuses.

- :func:`ledger.events.punch_text` (a plain punch payload's canonical JSON from a template) returns
  text only for a payload :func:`ledger.events.validate_payload` accepts, and that text is
  :func:`ledger.events.canonical_json`'s, over generated payloads good and bad;
- punch fields (:data:`ledger.events.PunchFields`, what the import hands ``Writer.extend`` instead of
  a NewEvent) give the same rows, hashes included, as the NewEvent they stand for, and the same refusal;
- :func:`ledger.events._check_jsonable` (one iterative walk, then the recursive one) raises exactly
  when, and what, the recursive walk alone raises;
- the import's reader (``ledger.imports._punch_events`` with ``as_fields``, what ``stream_punches`` feeds the
  writer) yields the events :func:`ledger.imports.iter_punch_events` yields, row for row, with the same problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import events as ev
from ledger.events import (
    NewEvent,
    PunchFields,
    canonical_json,
    punch_fields_event,
    punch_fields_text,
    punch_key,
    punch_text,
    validate_payload,
)
from ledger.imports import _Problems, _punch_events, iter_punch_events
from ledger.store import Ledger
from ot.core.errors import OtError
from ot.core.timez import from_iso_utc
from ot.services import imports as import_service

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)

# --- generated punch payloads ---------------------------------------------------------------------

awkward_text = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from('"\\\n\t\x00\x1f\u2028é€😀'),
    max_size=12,
)
valid_instants = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31, 23, 59, 59), timezones=st.just(UTC)
).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"))
odd_instants = st.sampled_from(
    [
        "2026-02-30T10:00:00Z",  # no such date
        "2026-02-28T24:00:00Z",
        "2026-02-28T23:60:00Z",
        "2026-02-28T23:00:60Z",
        "2026-02-28T23:00:00Z\n",  # what the pattern's $ lets through
        "2026-02-28T23:00:00",
        "2026-02-28 23:00:00Z",
        "２０２６-02-28T23:00:00Z",
        "2026-02-28T23:00:0٠Z",
        "",
    ]
)
kinds = st.sampled_from(["in", "out", "break_start", "break_end", "IN", "lunch", ""]) | st.integers()
texts = st.one_of(st.just("W1"), awkward_text, st.none(), st.integers(), st.booleans(), st.just(["W1"]))
rates = st.one_of(
    st.none(),
    st.sampled_from(["20.00", "0", "-1", "1e3", "NaN", "Infinity", " 12.5 ", "1_000", "abc", ""]),
    st.floats(),
)


@st.composite
def punch_payloads(draw: st.DrawFn) -> dict[str, Any]:
    p: dict[str, Any] = {
        "worker_id": draw(texts),
        "at": draw(st.one_of(valid_instants, odd_instants, st.none())),
        "kind": draw(kinds),
        "location_id": draw(texts),
        "break_type": draw(texts),
        "rate": draw(rates),
        "source": draw(texts),
    }
    change = draw(st.sampled_from(["none", "none", "drop", "extra", "rest"]))
    if change == "drop":
        p.pop(draw(st.sampled_from(sorted(p))))
    elif change == "extra":
        p["note"] = "x"
    elif change == "rest":
        p["rest"] = draw(st.sampled_from(["rest-taken", "rest-missed", "nope"]))
    return p


@st.composite
def plain_punches(draw: st.DrawFn) -> dict[str, Any]:
    """Valid plain punches, as an import writes them (and with awkward text in every text field)."""
    kind = draw(st.sampled_from(["in", "out", "break_start", "break_end"]))
    some_text = st.text(min_size=1, max_size=12) | st.sampled_from(["W1", 'a"b', "a\\b", "é", "\x01", "😀"])
    return {
        "worker_id": draw(some_text),
        "at": draw(valid_instants),
        "kind": kind,
        "location_id": draw(st.none() | some_text),
        "break_type": draw(st.none() | some_text) if kind == "break_start" else None,
        "rate": draw(st.sampled_from([None, "20.00", "0.5", "17"])),
        "source": draw(some_text),
    }


def _refusal(kind: str, p: Any) -> str | None:
    try:
        validate_payload(kind, p)
        canonical_json(p)
    except ValueError as exc:
        return str(exc)
    return None


@settings(max_examples=400)
@given(punch_payloads())
def test_punch_text_writes_canonical_json_only_for_valid_payloads(p: dict[str, Any]) -> None:
    text = punch_text(p)
    if text is not None:
        assert _refusal("punch.recorded", p) is None
        assert text == canonical_json(p)


@settings(max_examples=300)
@given(plain_punches())
def test_punch_text_takes_every_plain_punch(p: dict[str, Any]) -> None:
    text = punch_text(p)
    assert text is not None  # the fast path is taken
    assert text == canonical_json(p)
    assert text.encode("utf-8") == canonical_json(p).encode("utf-8")


def test_the_fast_instant_check_agrees_with_the_pattern() -> None:
    for at in ["2026-02-28T23:59:59Z", "2024-02-29T00:00:00Z", "1900-01-01T00:00:00Z"]:
        assert ev._fast_instant(at)
        assert ev._instant(at)
    for at in ["2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00Z\n"]:
        assert not ev._fast_instant(at)
    # a payload kind that cannot be hashed is refused with a ValueError, not a TypeError
    p = {"worker_id": "W1", "at": "2026-01-01T00:00:00Z", "kind": ["in"], "location_id": None}
    p |= {"break_type": None, "rate": None, "source": "s"}
    assert punch_text(p) is None
    with pytest.raises(ValueError, match=re.escape("payload['kind']")):
        validate_payload("punch.recorded", p)


# --- punch fields through the writer ----------------------------------------------------------------


def _fields_of(p: dict[str, Any]) -> PunchFields:
    return (p["worker_id"], p["at"], p["kind"], p["location_id"], p["break_type"], p["source"])


@settings(max_examples=300)
@given(punch_payloads())
def test_punch_fields_stand_for_their_event(p: dict[str, Any]) -> None:
    if not {"worker_id", "at", "kind", "location_id", "break_type", "source"} <= p.keys():
        return
    f = _fields_of(p)
    event = punch_fields_event(f)
    assert event.payload == {**{k: p[k] for k in ev.PUNCH_FIELDS if k != "rate"}, "rate": None}
    text = punch_fields_text(*f)
    assert text == punch_text(event.payload)
    if text is not None:
        assert text == canonical_json(event.payload)
        assert event.key == punch_key(p["worker_id"], from_iso_utc(p["at"]), p["kind"])


def _rows(ledger: Ledger) -> list[tuple[Any, ...]]:
    return ledger.connection.execute("SELECT * FROM events ORDER BY seq").fetchall()


def _append_both(stream: list[Any]) -> tuple[Any, Any]:
    """Extend two ledgers, one with ``stream`` as given and one with every punch fields as its
    NewEvent; the rows of each (or the refusal). The event ids' randomness is fixed, so the hashes
    can be compared too."""
    out: list[Any] = []
    for items in (stream, [punch_fields_event(x) if isinstance(x, tuple) else x for x in stream]):
        with patch("ledger.store.secrets.token_hex", lambda n: "ab" * n), Ledger.open(":memory:") as ledger:
            try:
                with ledger.write(actor="A1", now=NOW) as tx:
                    tx.extend(items, chunk=3)
                out.append(_rows(ledger))
            except ValueError as exc:
                out.append(str(exc))
    return out[0], out[1]


@settings(max_examples=60, deadline=None)
@given(st.lists(punch_payloads(), min_size=1, max_size=8), st.data())
def test_extend_with_punch_fields_writes_the_same_rows(payloads: list[dict[str, Any]], data: st.DataObject) -> None:
    stream: list[Any] = []
    for p in payloads:
        if {"worker_id", "at", "kind", "location_id", "break_type", "source"} <= p.keys():
            f = _fields_of(p)
            stream.append(f if data.draw(st.booleans()) else punch_fields_event(f))
    stream.append(stream[0] if stream else NewEvent("shift.deleted", {"shift_id": "S1", "reason": None}, key="k"))
    with_fields, with_events = _append_both(stream)
    assert with_fields == with_events


def test_extend_refuses_bad_punch_fields_as_it_refuses_their_event() -> None:
    bad: PunchFields = ("W1", "2026-02-30T08:00:00Z", "in", None, None, "import:x.csv")
    with_fields, with_events = _append_both([bad])
    assert with_fields == with_events == "punch.recorded: payload['at'] = '2026-02-30T08:00:00Z' is not valid"
    with (
        Ledger.open(":memory:") as ledger,
        pytest.raises(ValueError, match="append takes NewEvent records"),
        ledger.write(actor="A1", now=NOW) as tx,
    ):
        tx.extend([("W1", "2026-02-28T08:00:00Z", "in")])  # type: ignore[list-item]
    with Ledger.open(":memory:") as ledger, pytest.raises(ValueError, match="append takes NewEvent records"):
        ledger.append([bad], actor="A1", now=NOW)  # type: ignore[list-item]  # append takes events only


def test_a_punch_already_in_the_ledger_is_skipped_by_either_way() -> None:
    f: PunchFields = ("W1", "2026-02-28T08:00:00Z", "in", None, None, "import:x.csv")
    later: PunchFields = ("W1", "2026-03-28T08:00:00Z", "out", None, None, "import:x.csv")
    with Ledger.open(":memory:") as ledger:
        with ledger.write(actor="A1", now=NOW) as tx:
            assert tx.extend([f]) == 1
        with ledger.write(actor="A1", now=NOW) as tx:
            # the first is already there (found within its worker's span), the repeat in the stream once
            assert tx.extend([f, later, punch_fields_event(later), f]) == 1
        assert ledger.count() == 2
        assert ledger.present_keys([punch_fields_event(f), punch_fields_event(later)]) == {
            punch_fields_event(f).key,
            punch_fields_event(later).key,
        }


# --- _check_jsonable ------------------------------------------------------------------------------


class _Text(str):
    pass


json_like = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=5),
        st.floats(allow_nan=False),
        st.just(Decimal("1.5")),
        st.just(_Text("sub")),
        st.just(datetime(2026, 1, 1)),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=4), inner, max_size=4),
        st.dictionaries(st.one_of(st.integers(), st.text(max_size=2)), inner, max_size=3),
        st.dictionaries(st.text(max_size=4), inner, max_size=3).map(MappingProxyType),
    ),
    max_leaves=25,
)


def _outcome(check: Any, value: Any) -> str | None:
    try:
        check(value, "payload")
    except ValueError as exc:
        return str(exc)
    return None


@settings(max_examples=500)
@given(json_like)
def test_check_jsonable_refuses_what_the_recursive_walk_refuses(value: Any) -> None:
    assert _outcome(ev._check_jsonable, value) == _outcome(ev._check_jsonable_at, value)


def test_check_jsonable_names_the_place_and_refuses_a_cycle() -> None:
    paid = {"weeks": [{"lines": [{"amount": "1.00"}, {"amount": Decimal("2.00")}]}]}
    with pytest.raises(ValueError, match=re.escape("payload.weeks[0].lines[1].amount: Decimal is not allowed")):
        ev._check_jsonable(paid, "payload")
    cycle: dict[str, Any] = {}
    cycle["self"] = cycle
    with pytest.raises(RecursionError):
        ev._check_jsonable(cycle, "payload")


# --- the import's reader ----------------------------------------------------------------------------

LOCATIONS = [("LA", "America/Los_Angeles"), ("NY", "America/New_York"), ("KT", "Asia/Kathmandu")]


def _roster_ledger() -> Ledger:
    ledger = Ledger.open(":memory:")
    events = [
        NewEvent("location.added", {"location_id": lid, "name": lid, "state": "CA", "timezone": tz}, key=f"loc:{lid}")
        for lid, tz in LOCATIONS
    ]
    for wid, lid in [("W1", "LA"), ("W2", "NY"), ("W3", "KT"), ("W4", "LA")]:
        p = {"worker_id": wid, "name": wid, "type": "W2", "pay_rate": "20.00", "rate_effective": None}
        p |= {"location_id": lid, "manager_id": None, "role": "worker"}
        events.append(NewEvent("worker.added", p, key=f"w:{wid}", worker_id=wid))
    events.append(NewEvent("worker.changed", {"worker_id": "W4", "active": False}, key="w4-off", worker_id="W4"))
    ledger.append(events, actor="A1", now=NOW)
    return ledger


cells = {
    "worker_id": st.sampled_from(["W1", "W2", "W3", "W4", "W9", " W1 ", ""]),
    "time": st.sampled_from(
        [
            "2026-11-02T08:03",
            "2026-11-02 08:03:07",
            "2026-11-01T01:30",  # the fall-back hour in Los Angeles
            "2026-03-08T02:30",  # the spring-forward gap
            "2026-11-02T8:03",
            "2026-02-30T08:00",
            "",
        ]
    ),
    "kind": st.sampled_from(["in", "out", "break_start", "break_end", "OUT", "break-start", "nap"]),
    "location_id": st.sampled_from(["", "", "NY", "KT", "ZZ"]),
    "break_type": st.sampled_from(["", "", "MEAL_1", "bad type"]),
    "rate": st.sampled_from(["", "", "25.50", "abc"]),
    "rest_attestation": st.sampled_from(["", "", "rest-taken", "maybe"]),
}


def _events(stream: Iterator[Any]) -> list[NewEvent]:
    return [punch_fields_event(x) if isinstance(x, tuple) else x for x in stream]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries(cells), min_size=1, max_size=12))
def test_the_import_reader_yields_what_iter_punch_events_yields(rows: list[dict[str, str]]) -> None:
    header = list(cells)
    text = ",".join(header) + "\n" + "".join(",".join(r[c] for c in header) + "\n" for r in rows)
    with _roster_ledger() as ledger:
        roster, locations = ledger.roster(), ledger.locations()
    want_problems, got_problems = _Problems("p.csv"), _Problems("p.csv")
    want = list(iter_punch_events(text, "p.csv", roster, locations, None, want_problems))
    counter = [0]
    got = _events(_punch_events(text, "p.csv", roster, locations, None, got_problems, None, counter, as_fields=True))
    assert got == want
    assert got_problems.items == want_problems.items
    assert counter[0] == len(rows)


def test_an_import_with_a_bad_row_writes_nothing() -> None:
    text = "worker_id,time,kind,location_id,break_type\nW1,2026-11-02T08:00,in,,\nW1,2026-11-02T12:00,nap,,\n"
    with _roster_ledger() as ledger:
        before = ledger.count()
        with pytest.raises(OtError) as refused:
            import_service.import_text(ledger, "punches", text, "p.csv", actor="A1", now=NOW)
        assert "p.csv:3:3" in [p.where for p in refused.value.problems]
        assert ledger.count() == before
        report = import_service.import_text(
            ledger, "punches", text.splitlines(True)[0] + text.splitlines(True)[1], "p.csv", actor="A1", now=NOW
        )
        assert report.rows == 1
        assert report.added == {"punch.recorded": 1}
