"""The ``everee`` target: Everee's Timesheets API (worked shifts), as publicly documented.

Endpoints (``base_url`` + path):

- ``POST /integration/v1/labor/timesheet/worked-shifts``: create a shift;
- ``PUT /integration/v1/labor/timesheet/worked-shifts/{workedShiftId}``: update it;
- ``DELETE /integration/v1/labor/timesheet/worked-shifts/{workedShiftId}``: delete it;
- ``GET /integration/v1/labor/timesheet/worked-shifts``: list shifts, filtered by worker and dates.

Each create/update body has ``externalWorkerId``, ``shiftStartEpochSeconds``
and ``shiftEndEpochSeconds`` (UNIX epoch seconds), ``createBreaks`` (each with
``breakStartEpochSeconds``, ``breakEndEpochSeconds`` and ``segmentConfigCode``),
``effectiveHourlyPayRate`` and ``displayHourlyPayRate`` as money objects
(``{"amount": "20.00", "currency": "USD"}``; the display rate is the one set on
the shift, else the worker's (the workers import's ``display_rate``), as ot's stub
shows them; a display rate the stub's policy fills in, the profile or the regular
rate, is not sent: Everee shows its own), ``overrideWorkLocationId`` when
the shift is worked away from the worker's default location, and, on a paid
date, the query parameter ``correction-authorized=true`` with
``correctionPaymentTimeframe``. Authentication is HTTP Basic with the API
token as the user name, plus the tenant header ``x-everee-tenant-id``.

Where the public documentation is silent, this client does what a careful
client would do, and says so here:

- The public API has no idempotency key and no external id of a shift, so the
  shift's stable external id (``ot:<target>:<shift_id>``) and version go in the
  shift's free-text ``note``. A create is sent once per sync, never again in the
  same sync: any create (or update, or deletion) that gets no clear answer (a
  5xx, no answer in time, a connection dropped after the request was sent, a
  2xx whose body is not JSON) is an unknown outcome, recorded with the instant
  from which it can no longer be landing at Everee (the attempt's start plus
  :attr:`EvereeTarget.in_flight_seconds`). The next sync does nothing about that
  shift before then (it says when); from then, it lists the worker's shifts on
  the shift's date and on the dates of the attempts left unsettled, a day either
  side (``external-worker-id``, ``start-date``, ``end-date`` query parameters),
  and adopts the one whose note carries the external id (an update), creates it
  when there is none, and reports an Error, sending nothing, when there are two
  or more (delete the extra ones at Everee). An attempt left open by a sync that
  stopped mid-call (``sync.started`` with no result) is looked up the same way.
- A call that could not connect sent nothing: it is tried again (``retries``
  times, with exponential backoff; the sleep is injectable), as are look-ups
  (reads) whatever failed, and a ``408`` or ``429`` (the server did nothing).
  After three calls in a row got no answer at all (no connection, no answer in
  time, a dropped connection), the sync calls Everee no more: the shifts it had
  not tried are "not sent" (nothing recorded as sent or attempted), sent by the
  next ``ot sync``.
- Error bodies are read as ``{"errorCode": ..., "errorMessage": ...}`` (falling
  back to ``message``, or ``error`` as text or an object); a 4xx is a permanent
  refusal, shown with what to do, and so is a 2xx whose body holds an error (a
  2xx is not a success unless it says so; as its status says otherwise, the
  next create looks the shift up first); a 401 or 403 is left as ``Send``
  with a pointer to the credentials.
- The created shift's id is read from ``workedShiftId`` (else ``id``); a create
  answered without one is an Error (it may have been saved: `ot sync send`
  looks it up first).
- The list of shifts is read from a JSON list or ``{"items": [...]}``; any other
  answer fails the look-up (it is never read as "no copy there").

Its config table (``kind = "everee"``) has the keys ``base_url`` (https, or http
on this machine only), ``tenant_id``, ``token_env`` (the token itself comes from
that environment variable), ``timeout_seconds``, ``retries`` and
``work_locations``, parsed by :meth:`EvereeTarget.parse_config`. ``httpx`` is
imported on the first call, so that reading the sync config does not load it.
"""

from __future__ import annotations

import ipaddress
import math
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ot.core.errors import Problem
from ot.sync.registry import register, text_option
from ot.sync.scrub import scrub
from ot.sync.target import Op, Outcome, SendContext, TargetConfig, secret

if TYPE_CHECKING:
    import httpx

__all__ = ["PATH", "EvereeClient", "EvereeError", "EvereeTarget", "shift_body"]

PATH = "/integration/v1/labor/timesheet/worked-shifts"
TENANT_HEADER = "x-everee-tenant-id"
#: The code of a request not sent because this sync lost the ledger's sync lock (:func:`ot.sync.target.fence`).
FENCED = "FENCED"
#: The code of a request not sent because Everee did not answer :data:`SILENT_LIMIT` calls in a row.
GAVE_UP = "GAVE_UP"
#: The code of a request that could not connect (nothing was sent).
UNREACHABLE = "UNREACHABLE"
#: The code of a 2xx answer that is not what a success holds (not JSON, or not the shape it must have).
BAD_ANSWER = "BAD_ANSWER"
#: After this many calls in a row with no answer at all, a sync calls Everee no more.
SILENT_LIMIT = 3


class EvereeError(Exception):
    """A failed call: ``transient`` when sending again later may work.

    Attributes:
        status: The HTTP status (0 for no response).
        code: The error code in the body, if any.
        text: The error message in the body (or the transport's).
        transient: Whether a later retry may work.
        unknown_outcome: True when the server may have acted (a 5xx, no answer in time, a connection
            dropped after the request was sent, a 2xx whose body is not JSON).
        retry_safe: True when sending the same request again cannot make a change twice: it was not
            sent (no connection, the lock lost), or the server said it did nothing (408, 429).
        in_2xx: True when the error came in the body of a 2xx: a refusal, but the status says
            otherwise, so the next create looks the shift up first.
    """

    def __init__(
        self,
        status: int,
        code: str,
        text: str,
        *,
        transient: bool,
        unknown_outcome: bool = False,
        retry_safe: bool = False,
        in_2xx: bool = False,
    ) -> None:
        super().__init__(text)
        self.status = status
        self.code = code
        self.text = text
        self.transient = transient
        self.unknown_outcome = unknown_outcome
        self.retry_safe = retry_safe
        self.in_2xx = in_2xx


def _money(amount: Decimal) -> dict[str, str]:
    return {"amount": str(amount.quantize(Decimal("0.01"))), "currency": "USD"}


def note_of(op: Op) -> str:
    """The note that carries the shift's external id and version (see the module docstring)."""
    return f"{op.external_id} v{op.version}"


def shift_body(op: Op, ctx: SendContext, work_locations: Mapping[str, int], timeframe: str) -> dict[str, Any]:
    """The JSON body of a create or update."""
    from ot.core.timez import to_epoch

    shift = op.shift
    assert shift is not None
    assert shift.start is not None
    assert shift.end is not None
    body: dict[str, Any] = {
        "externalWorkerId": shift.worker_id,
        "shiftStartEpochSeconds": to_epoch(shift.start),
        "shiftEndEpochSeconds": to_epoch(shift.end),
        "createBreaks": [
            {
                "breakStartEpochSeconds": to_epoch(b.start),
                "breakEndEpochSeconds": to_epoch(b.end),
                "segmentConfigCode": b.type_code,
            }
            for b in shift.breaks
            if b.end is not None
        ],
        "note": note_of(op),
    }
    if shift.rate is not None:
        body["effectiveHourlyPayRate"] = _money(shift.rate)
    worker = ctx.roster.get(shift.worker_id)
    display = shift.display_rate if shift.display_rate is not None else (worker.display_rate if worker else None)
    if display is not None:
        body["displayHourlyPayRate"] = _money(display)
    if shift.location_id and worker is not None and shift.location_id != worker.location_id:
        body["overrideWorkLocationId"] = work_locations[shift.location_id]
    if op.correction:
        body["correctionPaymentTimeframe"] = timeframe
    return body


@dataclass
class EvereeClient:
    """A small HTTP client of the worked-shifts endpoints, with retries and backoff.

    Attributes:
        base_url: The API's base URL.
        token: The API token (HTTP Basic user name).
        tenant_id: The tenant header's value.
        timeout: Seconds per request.
        retries: Attempts after the first of a call that may be made again (see :meth:`call`).
        sleep: How to wait between attempts (injected by tests).
        backoff: First wait in seconds; doubled at each retry.
        silent: Calls in a row that got no answer at all; at :data:`SILENT_LIMIT`, no more are made.
    """

    base_url: str
    token: str
    tenant_id: str
    timeout: float = 10.0
    retries: int = 3
    sleep: Callable[[float], None] = time.sleep
    backoff: float = 0.5
    #: Checked before each request (each attempt): whether this sync still holds the ledger's sync lock
    #: (:func:`ot.sync.target.fence`). None: nothing to check.
    fence: Callable[[], bool] | None = None
    silent: int = 0
    _http: httpx.Client | None = field(default=None, repr=False)

    def _client(self) -> httpx.Client:
        import httpx  # on first use (see the module docstring)

        if self._http is None:
            self._http = httpx.Client(
                base_url=self.base_url,
                auth=(self.token, ""),
                headers={TENANT_HEADER: self.tenant_id, "accept": "application/json"},
                timeout=self.timeout,
            )
        return self._http

    def close(self) -> None:
        """Close the connection pool."""
        if self._http is not None:
            self._http.close()
            self._http = None

    def _scrub(self, text: str, limit: int) -> str:
        # A server may echo the request (the token, the Authorization header): never stored or printed.
        return scrub(text, [self.token])[:limit]

    def _once(self, method: str, url: str, **kw: Any) -> Any:
        import httpx  # on first use (see the module docstring)

        if self.fence is not None and not self.fence():
            # Nothing is sent: a sync that took the lock over may be sending this shift now.
            raise EvereeError(
                0, FENCED, "this sync lost the ledger's sync lock before sending", transient=True, retry_safe=True
            )
        if self.silent >= SILENT_LIMIT:
            raise EvereeError(0, GAVE_UP, f"no answer to {self.silent} calls in a row", transient=True, retry_safe=True)
        try:
            r = self._client().request(method, url, **kw)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            self.silent += 1
            text = self._scrub(f"cannot reach {self.base_url} ({exc or type(exc).__name__})", 2000)
            raise EvereeError(0, UNREACHABLE, text, transient=True, retry_safe=True) from None
        except httpx.TimeoutException:
            self.silent += 1
            raise EvereeError(0, "TIMEOUT", "no answer in time", transient=True, unknown_outcome=True) from None
        except httpx.TransportError as exc:  # dropped after sending, or anything else: it may have arrived
            self.silent += 1
            text = self._scrub(f"the connection dropped ({exc or type(exc).__name__})", 2000)
            raise EvereeError(0, "DROPPED", text, transient=True, unknown_outcome=True) from None
        self.silent = 0
        if r.status_code >= 400:
            try:
                data = r.json()
            except ValueError:
                data = {}
            error = _error_in(data)
            code, text = error if error is not None else (str(r.status_code), r.reason_phrase)
            code = self._scrub(code or str(r.status_code), 100)
            text = self._scrub(text or r.reason_phrase, 2000)
            transient = r.status_code >= 500 or r.status_code in (401, 403, 408, 429)
            raise EvereeError(
                r.status_code,
                code,
                text,
                transient=transient,
                unknown_outcome=r.status_code >= 500,  # it may have acted before it failed
                retry_safe=r.status_code in (408, 429),
            )
        if not r.content:
            return None
        try:
            data = r.json()
        except ValueError:
            shown = self._scrub(" ".join(r.text.split())[:80], 80)
            raise EvereeError(
                r.status_code,
                BAD_ANSWER,
                f"answered {r.status_code} with a body that is not JSON: {shown!r}",
                transient=True,
                unknown_outcome=True,
            ) from None
        error = _error_in(data)
        if error is not None:  # a 2xx that says it failed: the server's word, a refusal
            code, text = self._scrub(error[0], 100), self._scrub(error[1], 2000)
            raise EvereeError(r.status_code, code, text, transient=False, in_2xx=True)
        return data

    def call(self, method: str, url: str, **kw: Any) -> Any:
        """One call, made again (``retries`` times, with backoff) only when that cannot make a change
        twice or out of order: a read (``GET``), or a request that was not sent or that the server
        said it did nothing with. Any other failure of a create, an update or a deletion is raised at
        once: its outcome may be unknown (:attr:`EvereeError.unknown_outcome`), and only a look-up,
        once it can no longer be landing, tells."""
        attempt = 0
        while True:
            try:
                return self._once(method, url, **kw)
            except EvereeError as exc:
                again = (
                    exc.transient
                    and exc.status not in (401, 403)
                    and exc.code not in (FENCED, GAVE_UP)
                    and (method == "GET" or exc.retry_safe)
                    and attempt < self.retries
                    and self.silent < SILENT_LIMIT
                )
                if not again:
                    raise
                self.sleep(self.backoff * (2**attempt))
                attempt += 1

    def create(self, body: Mapping[str, Any], *, correction: bool) -> Any:
        """POST a new worked shift."""
        params = {"correction-authorized": "true"} if correction else {}
        return self.call("POST", PATH, json=dict(body), params=params)

    def update(self, shift_id: str, body: Mapping[str, Any], *, correction: bool) -> Any:
        """PUT the new values of a worked shift."""
        params = {"correction-authorized": "true"} if correction else {}
        return self.call("PUT", f"{PATH}/{shift_id}", json=dict(body), params=params)

    def delete(self, shift_id: str) -> None:
        """DELETE a worked shift."""
        self.call("DELETE", f"{PATH}/{shift_id}")

    def list(self, external_worker_id: str, first: date, last: date) -> list[Mapping[str, Any]]:
        """The worker's shifts from ``first`` to ``last`` (work-location dates). An answer that is not
        a list of shifts raises: a look-up never reads it as "no shift there"."""
        params = {
            "external-worker-id": external_worker_id,
            "start-date": first.isoformat(),
            "end-date": last.isoformat(),
        }
        data = self.call("GET", PATH, params=params)
        items = data.get("items") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise EvereeError(200, BAD_ANSWER, "the list of shifts is not a list", transient=True)
        return [x for x in items if isinstance(x, Mapping)]


def _error_in(data: Any) -> tuple[str, str] | None:
    """(code, message) of an error body (``errorCode``/``errorMessage``, ``code``/``message``,
    ``error`` as text or an object, ``errors`` as a list), else None."""
    if not isinstance(data, Mapping):
        return None
    error = data.get("error")
    errors = data.get("errors")
    if isinstance(error, Mapping):
        inner = _error_in(error)
        return inner if inner is not None else ("ERROR", str(dict(error)))
    if not (data.get("errorCode") or data.get("errorMessage") or error or errors):
        return None
    code = str(data.get("errorCode") or data.get("code") or "ERROR")
    text = data.get("errorMessage") or data.get("message") or (error if isinstance(error, str) else None)
    if not text and isinstance(errors, list) and errors:
        first = errors[0]
        text = (
            str(first.get("message") or first.get("errorMessage") or first)
            if isinstance(first, Mapping)
            else str(first)
        )
    return code, str(text or code)


def _id_in(data: Any) -> str | None:
    if isinstance(data, Mapping):
        for k in ("workedShiftId", "id"):
            if data.get(k) is not None:
                return str(data[k])
    return None


def _running_clock(now: datetime | None) -> Callable[[], datetime]:
    """``now`` and the time since (a target given no clock of the sync's)."""
    start, base = time.monotonic(), now or datetime.now(UTC)
    return lambda: base + timedelta(seconds=time.monotonic() - start)


@register("everee")
@dataclass
class EvereeTarget:
    """Everee as a sync target.

    Attributes:
        name: Target name.
        client: The HTTP client.
        work_locations: ot location id -> Everee work location id.
        correction_authorized: Whether corrections may be sent.
        timeframe: ``correctionPaymentTimeframe`` of corrections.
        kind: ``everee``.
        w2_only: True: the Timesheets API is for hourly W-2 employees.
        leave_hours: False: worked shifts only (PTO and holidays live in Everee's own timecard).
    """

    name: str
    client: EvereeClient
    work_locations: Mapping[str, int]
    correction_authorized: bool = False
    timeframe: str = "NEXT_PAYROLL_PAYMENT"
    kind: str = "everee"
    w2_only: bool = True
    leave_hours: bool = False
    #: The sync's clock during :meth:`send` (the instant of each attempt, and whether a call may still be landing).
    _clock: Callable[[], datetime] | None = field(default=None, init=False, repr=False)

    @classmethod
    def parse_config(
        cls, name: str, raw: Mapping[str, Any], base: Path, where: str, problems: list[Problem]
    ) -> dict[str, Any]:
        """The keys of a ``kind = "everee"`` table (see the module docstring)."""
        base_url = text_option(raw, "base_url", where, problems, required=True).rstrip("/")
        if base_url:
            refused = _insecure(base_url)
            if refused:
                problems.append(Problem(f"{where} base_url", refused))
        tenant = raw.get("tenant_id", "")
        if isinstance(tenant, int) and not isinstance(tenant, bool):
            tenant = str(tenant)
        if not isinstance(tenant, str) or not tenant:
            problems.append(Problem(f"{where} tenant_id", "required: the Everee tenant (company) id"))
            tenant = ""
        token_env = text_option(raw, "token_env", where, problems, required=True)
        timeout = raw.get("timeout_seconds", 10)
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
            problems.append(Problem(f"{where} timeout_seconds", "must be a number of seconds above 0"))
            timeout = 10
        retries = raw.get("retries", 3)
        if not isinstance(retries, int) or isinstance(retries, bool) or not 0 <= retries <= 10:
            problems.append(Problem(f"{where} retries", "must be a whole number from 0 to 10"))
            retries = 3
        locs = raw.get("work_locations", {})
        mapping: dict[str, int] = {}
        if not isinstance(locs, dict):
            problems.append(Problem(f"{where} work_locations", "must be a table: { L1 = 101 }"))
        else:
            for loc, num in locs.items():
                if not isinstance(num, int) or isinstance(num, bool):
                    problems.append(
                        Problem(f"{where} work_locations.{loc}", "must be the target's numeric location id")
                    )
                else:
                    mapping[str(loc)] = num
        return {
            "base_url": base_url,
            "tenant_id": tenant,
            "token_env": token_env,
            "timeout_seconds": float(timeout),
            "retries": retries,
            "work_locations": mapping,
        }

    @classmethod
    def from_config(cls, config: TargetConfig, sleep: Callable[[float], None] = time.sleep) -> EvereeTarget:
        """The target a ``kind = "everee"`` table describes (the token from its environment variable)."""
        client = EvereeClient(
            config.base_url, secret(config), config.tenant_id, config.timeout_seconds, config.retries, sleep
        )
        return cls(
            config.name, client, config.work_locations, config.correction_authorized, config.correction_timeframe
        )

    def fence_with(self, still_held: Callable[[], bool]) -> None:
        """Check ``still_held`` before each request (:func:`ot.sync.target.fence`)."""
        self.client.fence = still_held

    @property
    def in_flight_seconds(self) -> float:
        """How long a request already sent may still reach Everee and be acted on: its connect, write
        and read timeouts (httpx applies ``timeout_seconds`` to each), and 5 seconds more. A sync waits
        this long after a call that got no clear answer before it trusts a look-up (an assumption the
        API does not document: a server that saved a request later still could get a second copy)."""
        return 3 * self.client.timeout + 5

    def check(self, op: Op, ctx: SendContext) -> tuple[str, str] | None:
        """What Everee would refuse, known before sending."""
        shift = op.shift
        if shift is None:
            return None
        if shift.pay_type != "REGULAR" or shift.start is None or shift.end is None:
            return (
                f"shift {op.shift_id} is an hours-only {shift.pay_type} entry: Everee's worked shifts need "
                "a start and an end",
                "enter these hours in Everee by hand (PTO and holiday hours go on the timecard there)",
            )
        worker = ctx.roster.get(shift.worker_id)
        loc = shift.location_id
        if loc and worker is not None and loc != worker.location_id and loc not in self.work_locations:
            return (
                f"work location {loc} has no Everee work location id",
                f"add {loc} = <Everee work location id> under [targets.{self.name}.work_locations] "
                "in the sync config (create the location in Everee first)",
            )
        return None

    def send(self, ops: Sequence[Op], ctx: SendContext) -> Iterator[Outcome]:
        """One call (or a look-up and a call) per op; yields each outcome as it is known."""
        self._clock = ctx.clock or _running_clock(ctx.now)
        try:
            for op in ops:
                yield self._one(op, ctx)
        finally:
            self.client.close()

    def _lookup(self, op: Op) -> list[str]:
        """The ids of the shifts at Everee whose note carries the op's external id, on the shift's date
        and on the dates of the attempts left unsettled (a day either side: Everee's dates are the work
        location's)."""
        marker = op.external_id + " "
        spans: list[tuple[date, date]] = []
        for day in sorted({op.day, *op.lookup_days}):
            first, last = day - timedelta(days=1), day + timedelta(days=1)
            if spans and first <= spans[-1][1] + timedelta(days=1):
                spans[-1] = (spans[-1][0], last)
            else:
                spans.append((first, last))
        found: list[str] = []
        for first, last in spans:
            for item in self.client.list(op.worker_id, first, last):
                note = str(item.get("note") or "")
                if note.startswith(marker) or note == op.external_id:
                    target_id = _id_in(item)
                    if target_id is None:
                        raise EvereeError(200, BAD_ANSWER, "a shift in the list has no workedShiftId", transient=True)
                    if target_id not in found:
                        found.append(target_id)
        return found

    def _one(self, op: Op, ctx: SendContext) -> Outcome:
        clock = self._clock or _running_clock(ctx.now)
        # What stays unsettled if this attempt fails before settling it: the earlier attempts' doubt.
        unknown = op.uncertain
        try:
            if op.lookup_after is not None and clock() < op.lookup_after:
                return self._too_soon(op, op.lookup_after)
            if op.action == "delete":
                ids = [op.target_id] if op.target_id is not None else (self._lookup(op) if op.uncertain else [])
                for copy in ids:
                    at = clock()
                    try:
                        self.client.delete(copy)
                    except EvereeError as exc:
                        if exc.unknown_outcome:
                            return self._unknown(op, exc, at)
                        if exc.status != 404:  # already gone: the goal is reached
                            raise
                return Outcome(op.key, True)
            body = shift_body(op, ctx, self.work_locations, self.timeframe)
            target_id = op.target_id
            if target_id is None and op.uncertain:
                found = self._lookup(op)
                if len(found) > 1:
                    return self._copies(op, found)
                if found:
                    target_id = found[0]
                else:
                    unknown = False  # settled: nothing of it is at Everee
            at = clock()
            if target_id is not None:
                try:
                    self.client.update(target_id, body, correction=op.correction)
                except EvereeError as exc:
                    if exc.unknown_outcome:
                        return self._unknown(op, exc, at)
                    raise
                return Outcome(op.key, True, target_id=target_id)
            try:
                created = self.client.create(body, correction=op.correction)
            except EvereeError as exc:
                if exc.unknown_outcome:
                    return self._unknown(op, exc, at)
                raise
            new_id = _id_in(created)
            if new_id is None:
                return self._no_id(op, created, at)
            return Outcome(op.key, True, target_id=new_id)
        except EvereeError as exc:
            message, todo = explain(exc, op, self.name)
            return Outcome(
                op.key,
                False,
                transient=exc.transient,
                message=message,
                what_to_do=todo,
                # Another sync may be sending it now, or a 2xx said it failed: the next attempt looks it up first.
                unknown=unknown or exc.code == FENCED or exc.in_2xx,
                lookup_after=op.lookup_after,
            )

    def _wait_words(self) -> str:
        seconds = math.ceil(self.in_flight_seconds)
        return f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"

    def _unknown(self, op: Op, exc: EvereeError, at: datetime) -> Outcome:
        """A call that got no clear answer: Everee may have made the change. Nothing more is sent about
        the shift in this sync; the next sync looks it up once the call can no longer be landing."""
        after = at + timedelta(seconds=self.in_flight_seconds)
        what = {"create": "the create", "update": "the update", "delete": "the deletion"}.get(op.action, op.action)
        if exc.code == "TIMEOUT":
            how = "no answer in time"
        elif exc.code in ("DROPPED", BAD_ANSWER):
            how = exc.text
        else:
            how = f"{exc.status} {exc.text}"
        maybe = {"update": "it may have made the change", "delete": "it may have deleted it"}.get(
            op.action, "it may have saved it"
        )
        then = {
            "update": "it sends the update again",
            "delete": "it deletes it if it is still there",
        }.get(op.action, f"it looks the shift up at {self.name} first, and creates it only if it is not there")
        return Outcome(
            op.key,
            False,
            transient=True,
            message=f"{self.name} gave no clear answer to {what} of shift {op.shift_id} ({how}): {maybe}",
            what_to_do=f"run `ot sync` again in {self._wait_words()} or later: {then}",
            unknown=True,
            lookup_after=after,
        )

    def _too_soon(self, op: Op, after: datetime) -> Outcome:
        """An earlier call about the shift may still be landing: nothing is sent or looked up before ``after``."""
        when = after.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        return Outcome(
            op.key,
            False,
            transient=True,
            message=f"not sent yet: the last call about it got no clear answer, and {self.name} may still be "
            f"making it until {when} UTC",
            what_to_do=f"run `ot sync` again after {when} UTC: it looks the shift up at {self.name} first",
            unknown=op.uncertain,
            lookup_after=after,
        )

    def _copies(self, op: Op, found: list[str]) -> Outcome:
        """Two or more shifts at Everee carry this shift's external id: nothing is sent to any of them."""
        ids = ", ".join(found)
        return Outcome(
            op.key,
            False,
            transient=False,
            message=f"{len(found)} copies of shift {op.shift_id} are at {self.name} (worked shifts {ids}): "
            "its hours would be paid more than once",
            what_to_do=f"delete all but one of them in Everee (their note starts with {op.external_id}), "
            f"then `ot sync send {op.shift_id}`",
            unknown=True,
        )

    def _no_id(self, op: Op, answer: Any, at: datetime) -> Outcome:
        """A create answered as a success without the new shift's id: it may have been saved; a person looks."""
        shown = scrub(str(answer), [self.client.token])[:200]
        return Outcome(
            op.key,
            False,
            transient=False,
            message=f"{self.name} answered the create of shift {op.shift_id} without a workedShiftId "
            f"({shown}): it may have saved it",
            what_to_do=f"see {op.worker_id}'s shifts of {op.day} in Everee, then `ot sync send {op.shift_id}`: "
            "it looks the shift up there first, and adopts the one it finds",
            unknown=True,
            lookup_after=at + timedelta(seconds=self.in_flight_seconds),
        )


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _insecure(url: str) -> str | None:
    """Why ``url`` may not carry an API token (None when it may): https, or http on this machine only."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return f"{url!r} is not a URL: write it like https://api.everee.com"
    if parts.scheme == "https" and host:
        return None
    if parts.scheme == "http" and (host in _LOOPBACK or _loopback_ip(host)):
        return None
    if parts.scheme == "http":
        return f"{url!r} would send the API token in clear: use https:// (http only for 127.0.0.1, ::1 or localhost)"
    return f"{url!r} is not an https URL: write it like https://api.everee.com"


def explain(exc: EvereeError, op: Op, target: str) -> tuple[str, str]:
    """An admin's words for a failed call: (message, what to do)."""
    text = exc.text
    lowered = f"{exc.code} {text}".lower()
    if exc.code == FENCED:
        return (
            f"not sent to {target}: this sync lost the ledger's sync lock (its connection to the database "
            "dropped), and another sync may be sending it",
            "run `ot sync` again once the database answers; it looks the shift up before sending it",
        )
    if exc.status in (401, 403):
        return (
            f"{target} refused the credentials ({exc.status} {text})",
            f"check the API token in the environment variable and the tenant_id of [targets.{target}]",
        )
    if exc.code == GAVE_UP:
        return (
            f"not sent: {target} did not answer ({SILENT_LIMIT} times in a row)",
            f"run `ot sync` again when {target} is up",
        )
    if exc.code == UNREACHABLE:
        return (
            f"not sent: {text}",
            "it is sent by the next `ot sync` (or `ot sync send` now)",
        )
    if exc.status == 0 or exc.status >= 500 or (exc.code == BAD_ANSWER and exc.transient):
        return (
            f"{target} did not answer properly ({text})",
            "it is sent again by the next `ot sync` (or `ot sync send` now)",
        )
    if "worker" in lowered and ("not found" in lowered or "unknown" in lowered or "not_found" in lowered):
        return (
            f"worker {op.worker_id} is not known to the payroll target",
            f"add them there (external worker id {op.worker_id}) or refresh the roster, then `ot sync send {op.shift_id}`",
        )
    if re.search(r"\bpaid\b|paid[_-]out|paid_date|correction-authorized", lowered):
        return (
            f"{op.day} is already paid at {target}: the change needs correction-authorized ({text})",
            f"set correction_authorized = true under [targets.{target}] to send it as a correction, "
            "or correct it in Everee by hand",
        )
    return (
        f"{target} refused shift {op.shift_id}: {text}",
        f"fix the shift (`ot shift edit {op.shift_id} ...`), approve it again, and it is sent again",
    )
