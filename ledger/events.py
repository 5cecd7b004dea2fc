"""Ledger events: what callers append, what the ledger holds, and how each is hashed.

Every fact is an event. A caller builds :class:`NewEvent` records; the ledger
(``ledger.store.Ledger.append``) gives each a sequence number, a unique id, the
time it was recorded, who recorded it and the hash of its predecessor, and
returns :class:`Event` records.

Payloads are JSON-able only (str, int, bool, None, list, dict): money is
decimal text (``"20.50"``), instants are ``YYYY-MM-DDTHH:MM:SSZ``
(:func:`ot.core.timez.iso_utc`), dates ``YYYY-MM-DD``. Never a Decimal or a float.
A payload is stored as canonical JSON (sorted keys, no spaces, UTF-8).

Known kinds and their payloads (keys not listed are kept and ignored by the
projections; a known kind with a missing or badly typed key is a programming
error and raises :class:`ValueError` on append):

``location.added``
    ``{location_id, name, state, timezone}``, optionally ``city`` and ``county`` (text or None)
``location.changed``
    ``{location_id, <name|state|timezone|city|county>: new value ...}`` only changed fields
``worker.added``
    ``{worker_id, name, type, pay_rate, rate_effective, location_id, manager_id, role}``;
    ``pay_rate`` decimal text or None, ``rate_effective`` a date or None (in
    force from the beginning), ``manager_id`` None or a worker id; optionally
    ``display_rate`` (decimal text or None: shown on stubs, never paid).
``worker.changed``
    ``{worker_id, <name|type|location_id|manager_id|role|active|display_rate>: new value ...}``
``worker.rate_changed``
    ``{worker_id, rate, effective}``: the profile rate in force from ``effective``
``worker.pin_set``
    ``{worker_id, pin_hash}``: only the salted scrypt hash (``ledger.pins``), never a PIN,
    SSN or birth date; ``pin_hash`` None clears the PIN. Optionally ``salt``, ``bucket`` and
    ``override`` (true when the PIN is an admin's six-digit override, not derived).
``punch.recorded``
    ``{worker_id, at, kind, location_id, break_type, rate, source}``; ``kind`` one
    of ``in``/``out``/``break_start``/``break_end``; ``break_type`` only on
    ``break_start``; ``rate`` an optional shift rate (decimal text) on ``in``;
    ``source`` where it came from (``pin``, ``import:FILE``, ``demo``...); optionally
    ``rest`` on ``out``: the worker's answer at clock-out, ``rest-missed`` or ``rest-taken``.
``shift.entered``
    ``{shift_id, worker_id, start, end, day, minutes, breaks, rate, display_rate,
    location_id, pay_type, meal_waiver, reason}``: a manual entry, either with
    ``start``/``end`` instants or with ``day`` + ``minutes`` (hours-only; optionally
    ``hours``, the exact decimal text, which wins over ``minutes``); optionally ``rest``
    (``rest-missed``/``rest-taken``), the rest-period attestation;
    ``breaks`` a list of ``{start, end, type_code, paid}``.
``shift.edited``
    the same keys as ``shift.entered``: the new full values of ``shift_id``.
``shift.deleted``
    ``{shift_id, reason}``
``rules.adopted``
    ``{sha256, file, text, effective}``: the rules file in force from ``effective``.
``schedule.set``
    ``{worker_id, weekday, hours, effective_from, source}``: the hours ``worker_id`` is
    scheduled on ``weekday`` (0 Monday ... 6 Sunday; ``hours`` decimal text, ``"0"``: not
    scheduled that day) from ``effective_from`` until a later ``effective_from`` of the same
    weekday; a later event with the same date replaces it (``ot import schedules``,
    ``ot.services.schedules``).

Every other kind has its schema in the same catalog (:data:`REQUIRED`): pay
calendar and employer, approvals, pay runs and corrections
(:mod:`ledger.approvals`), the sync outbox (:mod:`ledger.outbox`), identities
(:mod:`ledger.identity`). An event of a kind the catalog does not know is
refused on append and reported by ``verify``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from ot.core.domain import EARNING_KINDS, PAY_PLANS, PAY_TYPES, PUNCH_KINDS, REST_ATTESTATIONS, ROLES, WORKER_TYPES
from ot.core.timez import iso_utc

GENESIS_HASH = "0" * 64

__all__ = [
    "GENESIS_HASH",
    "Event",
    "NewEvent",
    "PunchFields",
    "PunchRecord",
    "RulesVersion",
    "ShiftEntry",
    "canonical_json",
    "event_hash",
    "punch_fields_event",
    "punch_fields_text",
    "punch_key",
    "punch_text",
    "validate_payload",
]


@dataclass(frozen=True)
class NewEvent:
    """An event a caller wants appended.

    Attributes:
        kind: Dotted kind (``punch.recorded``...); see the module docstring.
        payload: JSON-able mapping (decimal text for money, ISO text for times).
        key: Idempotency key: an event whose key is already in the ledger (or
            earlier in the same batch) is skipped. None for no check.
        worker_id: The worker it concerns, for filters and indexes.
    """

    kind: str
    payload: Mapping[str, Any]
    key: str | None = None
    worker_id: str | None = None


@dataclass(frozen=True)
class Event:
    """An event as the ledger holds it.

    Attributes:
        seq: Position in the ledger, 1, 2, 3... without gaps.
        event_id: Unique id.
        recorded_at: UTC instant it was recorded (the ``now`` of its append).
        actor: Who recorded it.
        kind: Dotted kind.
        payload: Its payload (decoded canonical JSON).
        key: Idempotency key, or None.
        worker_id: The worker it concerns, or None.
        prev_hash: Hash of the event before it (64 zeros for the first).
        hash: sha256 of ``prev_hash`` + the canonical text of this event.
    """

    seq: int
    event_id: str
    recorded_at: datetime
    actor: str
    kind: str
    payload: Mapping[str, Any]
    key: str | None
    worker_id: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class PunchRecord:
    """A recorded punch (the ``punches`` projection).

    Attributes:
        seq: Sequence number of its ``punch.recorded`` event.
        worker_id: Whose punch.
        at: UTC instant of the punch.
        kind: ``in``, ``out``, ``break_start`` or ``break_end``.
        location_id: Work location override, or None (the worker's default).
        break_type: Break type code on ``break_start``, else None.
        rate: Shift rate (decimal text) on ``in``, else None.
        source: Where it came from (``pin``, ``import:punches.csv``...).
        rest: On ``out``: the worker's answer at clock-out about rest periods
            (``rest-missed``/``rest-taken``), else None.
    """

    seq: int
    worker_id: str
    at: datetime
    kind: str
    location_id: str | None
    break_type: str | None
    rate: str | None
    source: str
    rest: str | None = None


@dataclass(frozen=True)
class ShiftEntry:
    """A manual shift entry with its edits folded in (the ``shift_entries`` projection).

    Attributes:
        shift_id: Stable id given when entered.
        worker_id: Whose shift.
        start: UTC start instant, or None for an hours-only entry.
        end: UTC end instant, or None.
        day: Local date of an hours-only entry, else None.
        minutes: Minutes of an hours-only entry, else None.
        breaks: Break segments as given (``{start, end, type_code, paid}`` mappings).
        rate: Shift rate (decimal text) or None.
        display_rate: Display rate (decimal text) or None.
        location_id: Work location override or None.
        pay_type: ``REGULAR``, ``PTO``, ``SICK`` or ``HOLIDAY``.
        meal_waiver: Whether a meal waiver was recorded.
        reason: Why it was entered, edited or deleted.
        deleted: True once a ``shift.deleted`` event removed it.
        entered_seq: Sequence number of its ``shift.entered`` event.
        last_seq: Sequence number of the last event that changed it.
        hours: Exact hours of an hours-only entry (decimal text), or None (then ``minutes``).
        rest: The rest-period attestation (``rest-missed``/``rest-taken``), or None.
    """

    shift_id: str
    worker_id: str
    start: datetime | None
    end: datetime | None
    day: date | None
    minutes: int | None
    breaks: tuple[Mapping[str, Any], ...]
    rate: str | None
    display_rate: str | None
    location_id: str | None
    pay_type: str
    meal_waiver: bool
    reason: str | None
    deleted: bool
    entered_seq: int
    last_seq: int
    hours: str | None = None
    rest: str | None = None


@dataclass(frozen=True)
class RulesVersion:
    """A rules file adopted from a date (the ``rules_versions`` projection).

    Attributes:
        seq: Sequence number of its ``rules.adopted`` event.
        effective: First date it is in force.
        sha256: sha256 of ``text``.
        file: File name as adopted.
        text: The full text of the rules file.
    """

    seq: int
    effective: date
    sha256: str
    file: str
    text: str


# --- canonical text and hashes ---------------------------------------------

_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
_dump_str = json.JSONEncoder(ensure_ascii=False).encode
_quote: Callable[[str], str] = encode_basestring  # the encoder's own quoting of a str (C)


def _qn(value: str | None) -> str:
    return "null" if value is None else _quote(value)


#: How every punch's idempotency key begins (no other event's key does).
PUNCH_KEY_PREFIX = "punch:"
PUNCH_KIND = "punch.recorded"
PUNCH_FIELDS = ("at", "break_type", "kind", "location_id", "rate", "source", "worker_id")


def punch_json(p: Mapping[str, Any]) -> str:
    """Canonical JSON of a plain punch payload (exactly its seven keys, text or None), written directly.

    The same text as :func:`canonical_json` (sorted keys, no spaces, the encoder's
    quoting), several times faster; tests/ledger check they agree.
    """
    return (
        f'{{"at":{_quote(p["at"])},"break_type":{_qn(p["break_type"])},"kind":{_quote(p["kind"])},'
        f'"location_id":{_qn(p["location_id"])},"rate":{_qn(p["rate"])},"source":{_quote(p["source"])},'
        f'"worker_id":{_quote(p["worker_id"])}}}'
    )


#: ``:MM:SSZ``, the end of every instant :func:`_instant` accepts, in ASCII digits.
_INSTANT_ENDS = frozenset(f":{m:02d}:{s:02d}Z" for m in range(60) for s in range(60))
#: ``YYYY-MM-DDTHH`` -> whether an instant beginning so is valid (:func:`_fast_instant`); bounded.
_INSTANT_HOURS: dict[str, bool] = {}


def _fast_instant(at: str) -> bool:
    """:func:`_instant` of the common case, in a few look-ups: True only when ``_instant(at)`` is.

    ``at`` is text of 20 ASCII characters ending ``:MM:SSZ`` (a set of the 3,600 good endings); the
    first 13 (the date and hour) are checked once, by :func:`_instant` itself, and remembered. A
    False says only "not the common case": the caller then asks :func:`_instant`.
    """
    if len(at) != 20 or at[13:] not in _INSTANT_ENDS or not at.isascii():
        return False
    hour = at[:13]
    ok = _INSTANT_HOURS.get(hour)
    if ok is None:
        if len(_INSTANT_HOURS) >= 100_000:  # a day is 24 entries: a century of hours before this
            _INSTANT_HOURS.clear()
        ok = _INSTANT_HOURS[hour] = _instant(hour + ":00:00Z")
    return ok


def punch_text(p: Any) -> str | None:
    """The canonical JSON of a valid plain ``punch.recorded`` payload, or None when ``p`` is not one.

    The fast path of an append (a million-punch import spends most of its Python here): ``p`` is a
    dict of exactly the seven keys of :data:`PUNCH_FIELDS`, each of the exact type and value
    :func:`validate_payload` accepts (checked with ``type(...) is`` and set look-ups, not the
    catalog's walk), with ``at`` an instant in its common form. Only then is the text written with a
    fixed template (:func:`punch_fields_text`). None means only "take the long way"
    (:func:`validate_payload`, :func:`canonical_json`), which accepts the payload or refuses it with
    its own message.
    """
    if type(p) is not dict or len(p) != 7:
        return None
    try:
        at, kind, wid, source = p["at"], p["kind"], p["worker_id"], p["source"]
        loc, btype, rate = p["location_id"], p["break_type"], p["rate"]
    except KeyError:
        return None
    if rate is None:
        return punch_fields_text(wid, at, kind, loc, btype, source)
    if type(rate) is str and _decimal(rate):
        return punch_fields_text(wid, at, kind, loc, btype, source, _quote(rate))
    return None


#: A plain punch as an import hands it to :meth:`ledger.store.Writer.extend` instead of a
#: :class:`NewEvent`: ``(worker_id, at, kind, location_id, break_type, source)``. It stands for
#: :func:`punch_fields_event` of it: no shift rate, no rest attestation, its key the punch's own.
PunchFields = tuple[str, str, str, str | None, str | None, str]


def punch_fields_event(f: PunchFields) -> NewEvent:
    """The :class:`NewEvent` a :data:`PunchFields` stands for (keyed by :func:`punch_key`'s rule)."""
    wid, at, kind, loc, btype, source = f
    payload = {
        "worker_id": wid,
        "at": at,
        "kind": kind,
        "location_id": loc,
        "break_type": btype,
        "rate": None,
        "source": source,
    }
    key = PUNCH_KEY_PREFIX + hashlib.sha256(f"{wid}|{at}|{kind}".encode()).hexdigest()
    return NewEvent(PUNCH_KIND, payload, key=key, worker_id=wid)


def punch_fields_text(
    wid: Any, at: Any, kind: Any, loc: Any, btype: Any, source: Any, rate_text: str = "null"
) -> str | None:
    """The canonical JSON of a punch payload from its fields (``punch_fields_text(*fields)`` for a
    :data:`PunchFields`), or None unless each is plainly valid.

    Valid as :func:`validate_payload` says (text of the exact type ``str``, not empty; a known kind; a
    break type only on ``break_start``), with ``at`` in its common form (:func:`_fast_instant`).
    The text has the keys in sorted order, no spaces, and the encoder's own quoting of every text
    value (``_quote``, the C function :func:`canonical_json`'s encoder calls); ``at`` and ``kind``
    are ASCII without quotes, backslashes or control characters, so they are written as they are.
    The same text as :func:`canonical_json` (tests/ledger/test_punch_fast_path.py proves it over
    generated payloads). ``rate_text`` is the JSON of the rate, already checked.
    """
    if (
        type(kind) is not str
        or kind not in _PUNCH_KINDS
        or type(wid) is not str
        or not wid
        or type(source) is not str
        or not source
        or type(at) is not str
        or len(at) != 20
        or at[13:] not in _INSTANT_ENDS
        or not at.isascii()
    ):
        return None
    if not (_INSTANT_HOURS.get(at[:13]) or _fast_instant(at)):  # (:func:`_fast_instant`, inline)
        return None
    quoted = _QUOTED
    if loc is None:
        loc_text = "null"
    elif type(loc) is str and loc:
        loc_text = quoted.get(loc) or _quote_kept(loc)
    else:
        return None
    if btype is None:
        btype_text = "null"
    elif type(btype) is str and btype and kind == "break_start":
        btype_text = quoted.get(btype) or _quote_kept(btype)
    else:
        return None
    return (
        f'{{"at":"{at}","break_type":{btype_text},"kind":"{kind}","location_id":{loc_text},'
        f'"rate":{rate_text},"source":{quoted.get(source) or _quote_kept(source)},'
        f'"worker_id":{quoted.get(wid) or _quote_kept(wid)}}}'
    )


#: The JSON of the texts a punch repeats (its worker, location, break type and source: a few hundred
#: values in a million punches), by text (:func:`_quote_kept`); bounded.
_QUOTED: dict[str, str] = {}


def _quote_kept(text: str) -> str:
    """``_quote(text)``, kept in :data:`_QUOTED` for the next punch with the same text."""
    if len(_QUOTED) >= 10_000:
        _QUOTED.clear()
    quoted = _QUOTED[text] = _quote(text)
    return quoted


def canonical_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8, no NaN.

    Raises :class:`ValueError` on anything not JSON-able (a Decimal, a float, a datetime).
    """
    _check_jsonable(value, "payload")
    return _dumps(value)


#: The types a payload's leaves may have, exactly (a subclass takes the long way of :func:`_check_jsonable`).
_LEAF_TYPES = frozenset({str, int, bool, type(None)})
_STR_ONLY = frozenset({str})
#: Containers :func:`_plain_jsonable` walks before it leaves a payload to the long way.
_WALK_LIMIT = 1_000_000


def _plain_jsonable(value: Any) -> bool:
    """True when ``value`` is made only of dicts with text keys, lists, tuples, text, int, bool and None
    (exact types). One iterative walk, no path text built: a pay run's payloads are a few KB each and
    thousands of them. False means only "not plainly so": :func:`_check_jsonable` then walks the long
    way, which accepts what it always accepted (a Mapping, a str subclass...) or says where it fails.
    A structure that holds itself never ends a walk: after :data:`_WALK_LIMIT` containers this one
    gives up, and the recursive walk refuses it as it always did (RecursionError)."""
    todo = [value]
    pop, push = todo.pop, todo.append
    leaves = _LEAF_TYPES
    budget = _WALK_LIMIT
    while todo:
        budget -= 1
        if not budget:
            return False
        v = pop()
        t = type(v)
        if t is dict:
            if v and frozenset(map(type, v)) != _STR_ONLY:
                return False
            items = v.values()
        elif t is list or t is tuple:
            items = v
        elif t in leaves:
            continue
        else:
            return False
        for x in items:
            tx = type(x)
            if tx in leaves:
                continue
            if tx is dict or tx is list or tx is tuple:
                push(x)
            else:
                return False
    return True


def _check_jsonable(value: Any, where: str) -> None:
    """Raise :class:`ValueError` naming where ``value`` holds something that is not JSON-able.

    The common case is one quick walk (:func:`_plain_jsonable`); only when it finds something else
    does the recursive walk below run, which names the place (``payload.weeks[0].lines[2]``)."""
    if _plain_jsonable(value):
        return
    _check_jsonable_at(value, where)


def _check_jsonable_at(value: Any, where: str) -> None:
    if type(value) is dict:  # fast path: a flat payload of text and None
        for v in value.values():
            if v is not None and type(v) is not str:
                break
        else:
            return
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValueError(f"{where}: keys must be text, not {k!r}")
            _check_jsonable_at(v, f"{where}.{k}")
        return
    if isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _check_jsonable_at(v, f"{where}[{i}]")
        return
    raise ValueError(
        f"{where}: {type(value).__name__} is not allowed in a ledger payload "
        "(money as decimal text, instants via ot.core.timez.iso_utc, dates as YYYY-MM-DD)"
    )


def hash_text(
    seq: int,
    event_id: str,
    recorded_at: str,
    actor: str,
    kind: str,
    payload: str,
    key: str | None,
    worker_id: str | None,
) -> str:
    """The canonical text an event's hash covers (``payload`` is its canonical JSON).

    A JSON array ``[seq, event_id, recorded_at, actor, kind, payload, key, worker_id]``
    with the payload object embedded as is.
    """
    return (
        f"[{seq},{_quote(event_id)},{_quote(recorded_at)},{_quote(actor)},{_quote(kind)},"
        f"{payload},{_qn(key)},{_qn(worker_id)}]"
    )


def event_hash(
    prev_hash: str,
    seq: int,
    event_id: str,
    recorded_at: str,
    actor: str,
    kind: str,
    payload: str,
    key: str | None,
    worker_id: str | None,
) -> str:
    """sha256 (hex) of ``prev_hash`` followed by :func:`hash_text` of the event."""
    text = prev_hash + hash_text(seq, event_id, recorded_at, actor, kind, payload, key, worker_id)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def punch_key(worker_id: str, at: datetime, kind: str) -> str:
    """The idempotency key of a punch: the same worker, instant and kind is the same punch."""
    return PUNCH_KEY_PREFIX + hashlib.sha256(f"{worker_id}|{iso_utc(at)}|{kind}".encode()).hexdigest()


# --- payload validation ------------------------------------------------------

_INSTANT = re.compile(r"^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$", re.ASCII)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_SHA = re.compile(r"^[0-9a-f]{64}$")
_STATE = re.compile(r"^[A-Z]{2}$")

Check = Callable[[Any], bool]


def _text(v: Any) -> bool:
    return isinstance(v, str) and v != ""


def _opt_text(v: Any) -> bool:
    return v is None or _text(v)


@lru_cache(maxsize=4096)
def _real_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _instant(v: Any) -> bool:
    if type(v) is not str:
        return False
    m = _INSTANT.match(v)
    return m is not None and _real_date(m.group(1))


def _opt_instant(v: Any) -> bool:
    return v is None or _instant(v)


def _date(v: Any) -> bool:
    return isinstance(v, str) and _DATE.match(v) is not None and _real_date(v)


def _opt_date(v: Any) -> bool:
    return v is None or _date(v)


def _decimal(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    try:
        d = Decimal(v)
    except InvalidOperation:
        return False
    return d.is_finite() and d >= 0


def _opt_decimal(v: Any) -> bool:
    return v is None or _decimal(v)


def _bool(v: Any) -> bool:
    return isinstance(v, bool)


def _opt_int(v: Any) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0)


def _one_of(options: tuple[str, ...]) -> Check:
    return lambda v: v in options


def _state(v: Any) -> bool:
    return isinstance(v, str) and bool(_STATE.match(v))


def _sha(v: Any) -> bool:
    return isinstance(v, str) and bool(_SHA.match(v))


def _list_of(v: Any, check: Check) -> bool:
    return isinstance(v, list | tuple) and all(check(x) for x in v)


def _has(v: Any, **checks: Check) -> bool:
    return isinstance(v, Mapping) and all(name in v and check(v[name]) for name, check in checks.items())


def _shape(**checks: Check) -> Check:
    """:func:`_has` with these checks, made once: a pay run checks thousands of nested records, and a
    check built per record (its keyword dict, its lambda) cost more than the checking."""
    pairs = tuple(checks.items())

    def has(v: Any) -> bool:
        return isinstance(v, Mapping) and all(name in v and check(v[name]) for name, check in pairs)

    return has


def _each(check: Check) -> Check:
    """:func:`_list_of` with this check, made once."""

    def each(v: Any) -> bool:
        return isinstance(v, list | tuple) and all(map(check, v))

    return each


def _money(v: Any) -> bool:
    """Decimal text of money, signed (a difference may be negative)."""
    if not isinstance(v, str):
        return False
    try:
        d = Decimal(v)
    except InvalidOperation:
        return False
    return d.is_finite()


_LINE_FIELDS = _shape(date=_date, minutes=_money, rate=_money, multiplier=_money, amount=_money)


_SETTLEMENT = _shape(correction_id=_text, amount=_money)


def _settled(v: Any) -> bool:
    """A settled correction: its id, or (older runs) its id and amount."""
    return _text(v) or _SETTLEMENT(v)


def _line(v: Any) -> bool:
    return _LINE_FIELDS(v) and _text(v.get("class"))


def _breaks(v: Any) -> bool:
    if not isinstance(v, list | tuple):
        return False
    for b in v:
        if not isinstance(b, Mapping):
            return False
        if not (_instant(b.get("start")) and _opt_instant(b.get("end"))):
            return False
        if not _opt_text(b.get("type_code")) or not isinstance(b.get("paid", False), bool):
            return False
    return True


_LOCATION: dict[str, Check] = {"location_id": _text, "name": _text, "state": _state, "timezone": _text}
_WORKER: dict[str, Check] = {
    "worker_id": _text,
    "name": _text,
    "type": _one_of(WORKER_TYPES),
    "pay_rate": _opt_decimal,
    "rate_effective": _opt_date,
    "location_id": _text,
    "manager_id": _opt_text,
    "role": _one_of(ROLES),
}
_SHIFT: dict[str, Check] = {
    "shift_id": _text,
    "worker_id": _text,
    "start": _opt_instant,
    "end": _opt_instant,
    "day": _opt_date,
    "minutes": _opt_int,
    "breaks": _breaks,
    "rate": _opt_decimal,
    "display_rate": _opt_decimal,
    "location_id": _opt_text,
    "pay_type": _one_of(PAY_TYPES),
    "meal_waiver": _bool,
    "reason": _opt_text,
}

#: Why a scheduled day owes no reporting-time pay (IWC Wage Order 4-2001 section 5(C)(1)-(3), 5(D)),
#: and "withdrawn" for an excuse taken back.
EXCUSE_REASONS = ("threats", "civil-authorities", "utilities", "act-of-god", "paid-standby", "withdrawn")

# kind -> (required keys with their checks, optional changeable keys for *.changed)
REQUIRED: dict[str, dict[str, Check]] = {
    "location.added": _LOCATION,
    "location.changed": {"location_id": _text},
    "worker.added": _WORKER,
    "worker.changed": {"worker_id": _text},
    "worker.rate_changed": {"worker_id": _text, "rate": _decimal, "effective": _date},
    "worker.pin_set": {"worker_id": _text, "pin_hash": lambda v: v is None or _text(v)},
    "punch.recorded": {
        "worker_id": _text,
        "at": _instant,
        "kind": _one_of(PUNCH_KINDS),
        "location_id": _opt_text,
        "break_type": _opt_text,
        "rate": _opt_decimal,
        "source": _text,
    },
    "shift.entered": _SHIFT,
    "shift.edited": _SHIFT,
    "shift.deleted": {"shift_id": _text, "reason": _opt_text},
    "rules.adopted": {"sha256": _sha, "file": _text, "text": lambda v: isinstance(v, str), "effective": _date},
    "schedule.set": {
        "worker_id": _text,
        "weekday": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 6,
        "hours": _decimal,
        "effective_from": _date,
        "source": _text,
    },
    # Reporting-time pay not owed on a scheduled day (IWC Wage Order 4-2001 section 5(C), (D)); the
    # last one of a worker and date wins, and "withdrawn" takes it back (ot.services.schedules).
    "schedule.excused": {
        "worker_id": _text,
        "date": _date,
        "reason": _one_of(EXCUSE_REASONS),
        "note": _opt_text,
    },
    "user.enrolled": {
        "user_id": _text,
        "key_id": lambda v: isinstance(v, str) and re.fullmatch(r"[0-9a-f]{16}", v) is not None,
        "public_key": _text,
        "kind": _one_of(("person", "kiosk")),
        "role": lambda v: v is None or v == "admin",
    },
    "user.revoked": {"user_id": _text, "key_id": _text, "reason": _opt_text},
    # pay calendar and employer (ot.services.periods)
    "payperiod.configured": {
        "frequency": _one_of(("weekly", "biweekly", "semimonthly")),
        "anchor": _date,
        "pay_date_offset": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 31,
        "effective": _opt_date,
    },
    "employer.configured": {"name": _text, "address": lambda v: _list_of(v, _text)},
    # approvals, pay runs and corrections (ledger.approvals)
    "approval.shift_approved": {"shift_id": _text, "worker_id": _text, "version": _text, "day": _date},
    "approval.shift_voided": {
        "shift_id": _text,
        "worker_id": _text,
        "version": _text,
        "cause": _one_of(("edited", "deleted", "unapproved")),
        "reason": _opt_text,
    },
    "approval.timecard_approved": {
        "worker_id": _text,
        "period_start": _date,
        "period_end": _date,
        "shifts": lambda v: _list_of(v, lambda x: _has(x, shift_id=_text, version=_text)),
        "leave": lambda v: _list_of(v, lambda x: _has(x, shift_id=_text, version=_text, day=_date)),
    },
    "approval.timecard_voided": {
        "worker_id": _text,
        "period_start": _date,
        "cause": _one_of(("edited", "deleted", "unapproved")),
        "reason": _opt_text,
    },
    "payrun.recorded": {
        "run_id": _text,
        "kind": _one_of(("regular", "off_cycle")),
        "period_start": _opt_date,
        "period_end": _opt_date,
        "pay_date": _date,
        "workers": lambda v: _list_of(v, _text),
        "partial": _bool,
    },
    "payrun.worker_paid": {
        "run_id": _text,
        "kind": _one_of(("regular", "off_cycle")),
        "worker_id": _text,
        "period_start": _opt_date,
        "period_end": _opt_date,
        "weeks": _each(_shape(week_start=_date, rules_file=_text, rules_sha256=_sha, lines=_each(_line))),
        "gross": _money,
        "settled": _each(_settled),
        "additions": _money,
        "deductions": _money,
        "net": _money,
    },
    "correction.recorded": {
        "correction_id": _text,
        "worker_id": _text,
        "week_start": _date,
        "kind": _one_of(("overpayment", "underpayment")),
        "timeframe": _one_of(("NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID")),
        "reason": _text,
        "shift_id": lambda v: isinstance(v, str),
        "action": _text,
        "paid_gross": _money,
        "corrected_gross": _money,
        "amount": _money,
        "rules_file": _text,
        "rules_sha256": _sha,
        "dates": _each(_shape(date=_date, original_amount=_money, corrected_amount=_money)),
        "corrected_lines": _each(_line),
    },
    "correction.settled": {
        "correction_id": _text,
        "worker_id": _text,
        "how": _one_of(("next_payroll", "off_cycle", "externally_paid")),
        "run_id": _opt_text,
        "period_start": _opt_date,
    },
    # the sync outbox (ledger.outbox)
    "sync.enqueued": {
        "target": _text,
        "shift_id": _text,
        "worker_id": _text,
        "version": _text,
        "day": _date,
        "key": _text,
    },
    "sync.started": {"target": _text, "shift_id": _text, "version": _text, "key": _text, "action": _text},
    "sync.sent": {
        "target": _text,
        "shift_id": _text,
        "version": _text,
        "key": _text,
        "action": _text,
        "target_id": _opt_text,
        "at": _instant,
    },
    "sync.failed": {
        "target": _text,
        "shift_id": _text,
        "version": _text,
        "key": _text,
        "action": _text,
        "transient": _bool,
        "message": lambda v: isinstance(v, str),
        "what_to_do": lambda v: isinstance(v, str),
    },
    "sync.deleted": {
        "target": _text,
        "shift_id": _text,
        "version": _text,
        "key": _text,
        "target_id": _opt_text,
        "at": _instant,
    },
    "trust.checked": {
        "through_seq": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
        "file_sha256": _sha,
    },
    # Pay that is not hours (29 CFR 778.208-778.224; ``rules.engine.earnings`` says what counts):
    # ``day`` is the date it belongs to (a bonus earned over ``period_start``..``period_end``: the
    # date it is paid); ``quantity`` x ``unit_rate`` is its rate basis when given.
    "earning.recorded": {
        "earning_id": _text,
        "worker_id": _text,
        "day": _date,
        "kind": _one_of(EARNING_KINDS),
        "amount": _decimal,
        "period_start": _opt_date,
        "period_end": _opt_date,
        "quantity": _opt_decimal,
        "unit_rate": _opt_decimal,
        "note": _opt_text,
    },
    "earning.voided": {"earning_id": _text, "worker_id": _text, "reason": _text},
    "sync.roster_refreshed": {
        "source": _text,
        "sha256": _sha,
        "added": lambda v: isinstance(v, Mapping),
        "at": _instant,
    },
}

CHANGEABLE: dict[str, dict[str, Check]] = {
    "worker.pin_set": {
        "salt": lambda v: v is None or (isinstance(v, str) and re.fullmatch(r"[0-9a-f]{32}", v) is not None),
        "bucket": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1024),
        # Whether the PIN is an admin's six-digit override rather than derived (absent before schema 8).
        "override": _bool,
    },
    "location.added": {"city": _opt_text, "county": _opt_text},
    # A pay plan (absent: hourly): ``salary-fww`` or ``salary-fixed`` with the weekly salary as the
    # rate, and for ``salary-fixed`` the hours of its fixed week (schema 12).
    "worker.added": {"display_rate": _opt_decimal, "plan": _one_of(PAY_PLANS), "plan_hours": _opt_decimal},
    "worker.rate_changed": {"plan": _one_of(PAY_PLANS), "plan_hours": _opt_decimal},
    "punch.recorded": {"rest": _one_of(REST_ATTESTATIONS)},
    "shift.entered": {"hours": _opt_decimal, "rest": lambda v: v is None or v in REST_ATTESTATIONS},
    "shift.edited": {"hours": _opt_decimal, "rest": lambda v: v is None or v in REST_ATTESTATIONS},
    "location.changed": {"name": _text, "state": _state, "timezone": _text, "city": _opt_text, "county": _opt_text},
    "worker.changed": {
        "name": _text,
        "type": _one_of(WORKER_TYPES),
        "location_id": _text,
        "manager_id": _opt_text,
        "role": _one_of(ROLES),
        "active": _bool,
        "display_rate": _opt_decimal,
    },
}

_KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_PUNCH_KINDS = frozenset(PUNCH_KINDS)


def plain_punch(kind: str, p: Any) -> bool:
    """True for a well-formed punch payload of exactly the seven known keys (the fast path)."""
    return kind == "punch.recorded" and type(p) is dict and len(p) == len(PUNCH_FIELDS) and _punch_ok(p)


def _punch_ok(p: Mapping[str, Any]) -> bool:
    """The common case of a well-formed punch, checked quickly (anything else takes the long way)."""
    try:
        kind, wid, source = p["kind"], p["worker_id"], p["source"]
        loc, btype, rate = p["location_id"], p["break_type"], p["rate"]
    except KeyError:
        return False
    return (
        type(kind) is str
        and kind in _PUNCH_KINDS
        and type(wid) is str
        and wid != ""
        and type(source) is str
        and source != ""
        and (loc is None or (type(loc) is str and loc != ""))
        and (btype is None or (type(btype) is str and btype != "" and kind == "break_start"))
        and (rate is None or _decimal(rate))
        and _instant(p["at"])
    )


def validate_payload(kind: str, payload: Mapping[str, Any]) -> None:
    """Check a payload against the catalog (:data:`REQUIRED`); raise :class:`ValueError` naming the bad
    key. A kind the catalog does not know is refused: every event has one typed payload schema."""
    if not isinstance(kind, str) or not _KIND.match(kind):
        raise ValueError(f"event kind {kind!r} must be dotted lowercase words, e.g. 'punch.recorded'")
    if not isinstance(payload, Mapping):
        raise ValueError(f"{kind}: payload must be a mapping, not {type(payload).__name__}")
    if kind == "punch.recorded" and _punch_ok(payload):
        return
    required = REQUIRED.get(kind)
    if required is None:
        raise ValueError(f"event kind {kind!r} is not in the catalog (ledger.events.REQUIRED): add its schema first")
    for name, check in required.items():
        if name not in payload:
            raise ValueError(f"{kind}: payload lacks {name!r}")
        if not check(payload[name]):
            raise ValueError(f"{kind}: payload[{name!r}] = {payload[name]!r} is not valid")
    changeable = CHANGEABLE.get(kind)
    if changeable is not None:
        for name, check in changeable.items():
            if name in payload and not check(payload[name]):
                raise ValueError(f"{kind}: payload[{name!r}] = {payload[name]!r} is not valid")
    if kind == "punch.recorded" and payload["break_type"] is not None and payload["kind"] != "break_start":
        raise ValueError("punch.recorded: break_type is only allowed on a break_start punch")
    if kind == "punch.recorded" and "rest" in payload and payload["kind"] != "out":
        raise ValueError("punch.recorded: rest is only allowed on an out punch")
    if kind in ("shift.entered", "shift.edited"):
        timed = payload["start"] is not None
        if timed and (payload["day"] is not None or payload["minutes"] is not None):
            raise ValueError(f"{kind}: give start/end or day/minutes, not both")
        if not timed and (payload["day"] is None or payload["minutes"] is None):
            raise ValueError(f"{kind}: an hours-only entry needs day and minutes")
