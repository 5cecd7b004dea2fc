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
  shift's free-text ``note``. After a timeout or a dropped connection on a
  create (the server may have committed it), and whenever the ledger shows an
  attempt with no recorded outcome (a crash), the client lists the worker's
  shifts on that date (``external-worker-id``, ``start-date``, ``end-date``
  query parameters) and adopts the one whose note carries the external id,
  instead of creating a second copy.
- Error bodies are read as ``{"errorCode": ..., "errorMessage": ...}`` (falling
  back to ``message``); a 4xx is a permanent refusal, shown with what to do; a
  5xx, a timeout or a dropped connection is retried with exponential backoff
  (``retries`` times; the sleep is injectable), then left as ``Send``; a 401 or
  403 is left as ``Send`` with a pointer to the credentials.
- The created shift's id is read from ``workedShiftId`` (else ``id``).

Its config table (``kind = "everee"``) has the keys ``base_url`` (https, or http
on this machine only), ``tenant_id``, ``token_env`` (the token itself comes from
that environment variable), ``timeout_seconds``, ``retries`` and
``work_locations``, parsed by :meth:`EvereeTarget.parse_config`. ``httpx`` is
imported on the first call, so that reading the sync config does not load it.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
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


class EvereeError(Exception):
    """A failed call: ``transient`` when sending again later may work.

    Attributes:
        status: The HTTP status (0 for no response).
        code: The error code in the body, if any.
        text: The error message in the body (or the transport's).
        transient: Whether a later retry may work.
        unknown_outcome: True when the server may have acted (a timeout or a dropped connection).
    """

    def __init__(self, status: int, code: str, text: str, *, transient: bool, unknown_outcome: bool = False) -> None:
        super().__init__(text)
        self.status = status
        self.code = code
        self.text = text
        self.transient = transient
        self.unknown_outcome = unknown_outcome


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
        retries: Attempts after the first on a 5xx, a timeout or a dropped connection.
        sleep: How to wait between attempts (injected by tests).
        backoff: First wait in seconds; doubled at each retry.
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

    def _once(self, method: str, url: str, **kw: Any) -> Any:
        import httpx  # on first use (see the module docstring)

        if self.fence is not None and not self.fence():
            # Nothing is sent: a sync that took the lock over may be sending this shift now.
            raise EvereeError(0, FENCED, "this sync lost the ledger's sync lock before sending", transient=True)
        try:
            r = self._client().request(method, url, **kw)
        except httpx.TimeoutException:
            raise EvereeError(0, "TIMEOUT", "no answer in time", transient=True, unknown_outcome=True) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise EvereeError(
                0,
                "DROPPED",
                scrub(f"the connection dropped ({exc})", [self.token]),
                transient=True,
                unknown_outcome=True,
            ) from None
        except httpx.TransportError as exc:
            raise EvereeError(
                0, "UNREACHABLE", scrub(f"cannot reach {self.base_url} ({exc})", [self.token]), transient=True
            ) from None
        if r.status_code >= 400:
            try:
                data = r.json()
            except ValueError:
                data = {}
            if not isinstance(data, dict):
                data = {}
            # A server may echo the request (the token, the Authorization header): never stored or printed.
            code = scrub(str(data.get("errorCode") or data.get("code") or r.status_code), [self.token])[:100]
            text = scrub(str(data.get("errorMessage") or data.get("message") or r.reason_phrase), [self.token])[:2000]
            transient = r.status_code >= 500 or r.status_code in (401, 403, 408, 429)
            raise EvereeError(r.status_code, code, text, transient=transient)
        if not r.content:
            return None
        return r.json()

    def call(self, method: str, url: str, *, idempotent: bool, **kw: Any) -> Any:
        """One call with retries. A non-idempotent call whose outcome is unknown is not
        retried here: it raises, and the caller looks the shift up first."""
        attempt = 0
        while True:
            try:
                return self._once(method, url, **kw)
            except EvereeError as exc:
                if not exc.transient or exc.status in (401, 403) or exc.code == FENCED or attempt >= self.retries:
                    raise
                if exc.unknown_outcome and not idempotent:
                    raise
                self.sleep(self.backoff * (2**attempt))
                attempt += 1

    def create(self, body: Mapping[str, Any], *, correction: bool) -> Any:
        """POST a new worked shift."""
        params = {"correction-authorized": "true"} if correction else {}
        return self.call("POST", PATH, idempotent=False, json=dict(body), params=params)

    def update(self, shift_id: str, body: Mapping[str, Any], *, correction: bool) -> Any:
        """PUT the new values of a worked shift."""
        params = {"correction-authorized": "true"} if correction else {}
        return self.call("PUT", f"{PATH}/{shift_id}", idempotent=True, json=dict(body), params=params)

    def delete(self, shift_id: str) -> None:
        """DELETE a worked shift."""
        self.call("DELETE", f"{PATH}/{shift_id}", idempotent=True)

    def list(self, external_worker_id: str, first: date, last: date) -> list[Mapping[str, Any]]:
        """The worker's shifts from ``first`` to ``last`` (work-location dates)."""
        params = {
            "external-worker-id": external_worker_id,
            "start-date": first.isoformat(),
            "end-date": last.isoformat(),
        }
        data = self.call("GET", PATH, idempotent=True, params=params)
        items = data.get("items", data) if isinstance(data, dict) else data
        return [x for x in items if isinstance(x, Mapping)] if isinstance(items, list) else []


def _id_of(data: Any) -> str:
    if isinstance(data, Mapping):
        for k in ("workedShiftId", "id"):
            if data.get(k) is not None:
                return str(data[k])
    raise EvereeError(0, "BAD_ANSWER", "the answer has no workedShiftId", transient=True)


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
        """How long a request already sent may still reach Everee: its connect, write and read
        timeouts (httpx applies ``timeout_seconds`` to each), and 5 seconds more."""
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
        """One call (or a lookup and a call) per op; yields each outcome as it is known."""
        try:
            for op in ops:
                yield self._one(op, ctx)
        finally:
            self.client.close()

    def _lookup(self, op: Op) -> str | None:
        marker = op.external_id + " "
        for item in self.client.list(op.worker_id, op.day - timedelta(days=1), op.day + timedelta(days=1)):
            note = str(item.get("note") or "")
            if note.startswith(marker) or note == op.external_id:
                return _id_of(item)
        return None

    def _one(self, op: Op, ctx: SendContext) -> Outcome:
        try:
            if op.action == "delete":
                target_id = op.target_id
                if target_id is None and op.uncertain:
                    target_id = self._lookup(op)
                if target_id is not None:
                    try:
                        self.client.delete(target_id)
                    except EvereeError as exc:
                        if exc.status != 404:  # already gone: the goal is reached
                            raise
                return Outcome(op.key, True)
            body = shift_body(op, ctx, self.work_locations, self.timeframe)
            target_id = op.target_id
            if target_id is None and op.uncertain:
                target_id = self._lookup(op)
            if target_id is not None:
                self.client.update(target_id, body, correction=op.correction)
                return Outcome(op.key, True, target_id=target_id)
            attempt = 0
            while True:
                try:
                    created = self.client.create(body, correction=op.correction)
                    return Outcome(op.key, True, target_id=_id_of(created))
                except EvereeError as exc:
                    if not exc.unknown_outcome or attempt >= self.client.retries:
                        raise
                found = self._lookup(op)  # did the server commit it before the line went quiet?
                if found is not None:
                    return Outcome(op.key, True, target_id=found)
                self.client.sleep(self.client.backoff * (2**attempt))
                attempt += 1
        except EvereeError as exc:
            message, todo = explain(exc, op, self.name)
            return Outcome(op.key, False, transient=exc.transient, message=message, what_to_do=todo)


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
    if exc.status == 0 or exc.status >= 500:
        return (
            f"{target} did not answer properly ({text}) after retries",
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
