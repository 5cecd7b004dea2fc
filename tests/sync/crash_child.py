"""Run ``ot sync`` and kill this process (SIGKILL) at one step (a helper run by test_sync_crash.py).

Usage: python crash_child.py LEDGER STEP N

STEP: ``before_call`` (the N-th create is about to be sent), ``after_commit`` (the
server answered the N-th create, nothing recorded yet), ``after_record`` (the
N-th outcome is recorded in the ledger).
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ot.services import sync as service
from ot.sync import everee


def main() -> None:
    ledger, step, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    seen = {"posts": 0, "records": 0}
    once = everee.EvereeClient._once
    record = service._record

    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    def hooked_once(self: everee.EvereeClient, method: str, url: str, **kw: Any) -> Any:
        if method != "POST":
            return once(self, method, url, **kw)
        seen["posts"] += 1
        if step == "before_call" and seen["posts"] == n:
            die()
        answer = once(self, method, url, **kw)
        if step == "after_commit" and seen["posts"] == n:
            die()
        return answer

    def hooked_record(*args: Any, **kw: Any) -> Any:
        line = record(*args, **kw)
        seen["records"] += 1
        if step == "after_record" and seen["records"] == n:
            die()
        return line

    everee.EvereeClient._once = hooked_once  # type: ignore[method-assign]
    service._record = hooked_record
    run = service.run_sync(ledger, actor="A1", now=datetime(2026, 11, 2, 12, 0, tzinfo=UTC), sleep=lambda s: None)
    print(run, file=sys.stderr)
    sys.exit(3)  # not killed: the test asked for a step that never came


if __name__ == "__main__":
    main()
