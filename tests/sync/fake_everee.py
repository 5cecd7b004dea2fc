"""A fake Everee Timesheets API on 127.0.0.1 (an ephemeral port), for the tests (not a test module).

It behaves as the public documentation says of the worked-shifts endpoints
(``/integration/v1/labor/timesheet/worked-shifts``): HTTP Basic token plus the
tenant header, epoch seconds, ``externalWorkerId``, breaks with a known
``segmentConfigCode``, paid dates that refuse changes without
``correction-authorized=true``, and validation errors. ``faults`` injects, for
the next matching request:

- ``ok``: nothing (the request is answered as usual);
- ``500``: a 500, nothing done; ``commit_then_500``: the change is made, then a 500;
- ``drop``: the connection closes with no answer, nothing done; ``drop_after_commit``:
  the change is made, then the connection closes;
- ``timeout_after_commit`` (or ``commit_then_hang``): the change is made, then the
  answer comes after ``slow`` seconds (too late for a client with a shorter timeout);
- ``slow_commit``: the answer comes after ``slow`` seconds, and the change is made
  ``delay`` seconds after the request arrived, on the server's ``clock`` (a test may
  give it a clock of its own: the change lands at the first request, or
  :meth:`FakeEveree.settle`, once the clock has passed that instant);
- ``garbage``: the change is made, then a 200 whose body is not JSON;
- ``err200``: a 200 whose body is an error (``{"error": "externalWorkerId unknown"}``), nothing done;
- ``noid``: the change is made, then a 200 with an empty object (no ``workedShiftId``).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PATH = "/integration/v1/labor/timesheet/worked-shifts"
BREAK_CODES = {"DEFAULT_UNPAID", "PAID_REST"}


def _date_of(shift: dict[str, Any]) -> str:
    """The date a list filters a shift by (Everee's is the work location's; the fake's, the UTC date of
    its start: within a day of it, which a client's look-up must allow for)."""
    return datetime.fromtimestamp(int(shift["shiftStartEpochSeconds"]), UTC).date().isoformat()


class FakeEveree:
    """The server's state and faults.

    Attributes:
        shifts: workedShiftId -> the stored shift.
        workers: External worker ids Everee knows.
        paid_before: Shifts starting before this epoch second are on paid dates.
        faults: (method, fault) pairs; each is used once by the next request of that method.
        log: (method, path, status) of every request answered (or dropped: status 0).
        calls: (method, path, query, body) of every request with good credentials, as it arrived.
        slow: Seconds a ``timeout_after_commit``, ``commit_then_hang`` or ``slow_commit`` answer is delayed.
        delay: Seconds after its request a ``slow_commit`` change is made, on ``clock``.
        clock: The server's clock (seconds), which ``delay`` counts on.
        pending: (when, method, path, query, body) of the ``slow_commit`` changes not made yet.
    """

    def __init__(self, token: str = "tok-123", tenant: str = "42", workers: set[str] | None = None) -> None:
        self.token = token
        self.tenant = tenant
        self.shifts: dict[int, dict[str, Any]] = {}
        self.workers = set(workers if workers is not None else {"W1", "W2", "A1", "M1"})
        self.paid_before = 0
        self.faults: list[tuple[str, str]] = []
        self.log: list[tuple[str, str, int]] = []
        self.calls: list[tuple[str, str, dict[str, str], Any]] = []
        self.slow = 1.0
        self.delay = 3.0
        self.clock: Callable[[], float] = time.monotonic
        self.pending: list[tuple[float, str, str, dict[str, str], Any]] = []
        self._next = 1000
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL of the running server."""
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeEveree:
        """Serve on 127.0.0.1, an ephemeral port, in a thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _go(self) -> None:
                fake.handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = _go

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- request handling --------------------------------------------------------------

    def _fault(self, method: str) -> str | None:
        with self._lock:
            for i, (m, fault) in enumerate(self.faults):
                if m == method:
                    del self.faults[i]
                    return fault
        return None

    def settle(self) -> None:
        """Make the ``slow_commit`` changes whose time has come on ``clock``."""
        with self._lock:
            now = self.clock()
            due = [p for p in self.pending if p[0] <= now]
            self.pending = [p for p in self.pending if p[0] > now]
            for _when, method, path, query, body in sorted(due, key=lambda p: p[0]):
                self._act(method, path, query, body)

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        method = h.command
        parts = urlsplit(h.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(h.headers.get("content-length") or 0)
        body = json.loads(h.rfile.read(length)) if length else None
        expected = "Basic " + base64.b64encode(f"{self.token}:".encode()).decode()
        if h.headers.get("authorization") != expected or h.headers.get("x-everee-tenant-id") != self.tenant:
            self._answer(h, method, parts.path, 401, {"errorCode": "UNAUTHORIZED", "errorMessage": "bad credentials"})
            return
        self.settle()
        with self._lock:
            self.calls.append((method, parts.path, query, body))
        fault = self._fault(method)
        if fault == "500":
            self._answer(h, method, parts.path, 500, {"errorCode": "INTERNAL", "errorMessage": "internal error"})
            return
        if fault == "drop":
            self.log.append((method, parts.path, 0))
            h.close_connection = True
            return
        if fault == "err200":
            self._answer(h, method, parts.path, 200, {"error": "externalWorkerId unknown"})
            return
        if fault == "slow_commit":
            with self._lock:
                self.pending.append((self.clock() + self.delay, method, parts.path, query, body))
            time.sleep(self.slow)
            self._answer(h, method, parts.path, 200, {})
            return
        with self._lock:
            status, answer = self._act(method, parts.path, query, body)
        if fault == "drop_after_commit":
            self.log.append((method, parts.path, 0))
            h.close_connection = True
            return
        if fault in ("timeout_after_commit", "commit_then_hang"):
            time.sleep(self.slow)
        if fault == "commit_then_500":
            status, answer = 500, {"errorCode": "INTERNAL", "errorMessage": "internal error"}
        if fault == "garbage":
            self._answer_raw(h, method, parts.path, 200, b"<html><body>502 Bad Gateway</body></html>")
            return
        if fault == "noid" and status < 300:
            answer = {}
        self._answer(h, method, parts.path, status, answer)

    def _answer_raw(self, h: BaseHTTPRequestHandler, method: str, path: str, status: int, data: bytes) -> None:
        self.log.append((method, path, status))
        try:
            h.send_response(status)
            h.send_header("content-type", "text/html")
            h.send_header("content-length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except OSError:
            pass

    def _answer(self, h: BaseHTTPRequestHandler, method: str, path: str, status: int, answer: Any) -> None:
        self.log.append((method, path, status))
        data = b"" if answer is None else json.dumps(answer).encode()
        try:
            h.send_response(status)
            h.send_header("content-type", "application/json")
            h.send_header("content-length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except OSError:
            pass  # the client gave up waiting

    def _act(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        correction = query.get("correction-authorized") == "true"
        if path == PATH and method == "GET":
            wid = query.get("external-worker-id")
            first, last = query.get("start-date", "0000-01-01"), query.get("end-date", "9999-12-31")
            items = [
                s
                for s in self.shifts.values()
                if (wid is None or s["externalWorkerId"] == wid) and first <= _date_of(s) <= last
            ]
            return 200, {"items": items}
        if path == PATH and method == "POST":
            problem = self._invalid(body, correction)
            if problem:
                return problem
            self._next += 1
            stored = {**body, "workedShiftId": self._next}
            self.shifts[self._next] = stored
            return 200, stored
        if path.startswith(PATH + "/"):
            try:
                sid = int(path.rsplit("/", 1)[1])
            except ValueError:
                return 404, {"errorCode": "NOT_FOUND", "errorMessage": "no such shift"}
            if sid not in self.shifts:
                return 404, {"errorCode": "NOT_FOUND", "errorMessage": f"no worked shift {sid}"}
            old = self.shifts[sid]
            if method == "DELETE":
                if old["shiftStartEpochSeconds"] < self.paid_before:
                    return 400, {
                        "errorCode": "PAID_DATE",
                        "errorMessage": "shifts on a paid-out date cannot be deleted",
                    }
                del self.shifts[sid]
                return 204, None
            if method == "PUT":
                problem = self._invalid(body, correction, was_paid=old["shiftStartEpochSeconds"] < self.paid_before)
                if problem:
                    return problem
                self.shifts[sid] = {**body, "workedShiftId": sid}
                return 200, self.shifts[sid]
        return 405, {"errorCode": "METHOD", "errorMessage": "not allowed"}

    def _invalid(self, body: Any, correction: bool, was_paid: bool = False) -> tuple[int, Any] | None:
        if not isinstance(body, dict) or "shiftStartEpochSeconds" not in body:
            return 400, {"errorCode": "VALIDATION", "errorMessage": "shiftStartEpochSeconds is required"}
        wid = body.get("externalWorkerId")
        if wid not in self.workers:
            return 404, {"errorCode": "WORKER_NOT_FOUND", "errorMessage": f"No worker with external id {wid}"}
        start, end = body["shiftStartEpochSeconds"], body.get("shiftEndEpochSeconds")
        if end is not None and end <= start:
            return 400, {
                "errorCode": "VALIDATION",
                "errorMessage": "shiftEndEpochSeconds must be after shiftStartEpochSeconds",
            }
        for b in body.get("createBreaks", []):
            if b.get("segmentConfigCode") not in BREAK_CODES:
                return 400, {
                    "errorCode": "VALIDATION",
                    "errorMessage": f"unknown segmentConfigCode {b.get('segmentConfigCode')}",
                }
        for k in ("effectiveHourlyPayRate", "displayHourlyPayRate"):
            if k in body and set(body[k]) != {"amount", "currency"}:
                return 400, {"errorCode": "VALIDATION", "errorMessage": f"{k} must be a money object"}
        if (start < self.paid_before or was_paid) and not correction:
            return 400, {
                "errorCode": "PAID_DATE",
                "errorMessage": "this date is already paid out: pass correction-authorized=true to correct it",
            }
        return None
