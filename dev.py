#!/usr/bin/env python3
"""Set everything up, then open the app on a demo ledger or run the tests.

    python3 dev.py app     # venv + pinned deps, a demo ledger, then `ot` on it
    python3 dev.py test    # venv + pinned deps, then ruff, mypy, the import layers and pytest; then the
                           # ledger, approval, pay-run and sync tests again on PostgreSQL

Needs only Python 3.11. The virtual environment lives in .venv; the exact
versions of every package are in requirements.lock, so snapshots and results
do not drift. Re-running skips the install when the lock has not changed.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".ot-installed"


def sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    code = subprocess.call([str(a) for a in args], cwd=ROOT, env=env)
    if code:
        sys.exit(code)


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs on whatever python3 is first)
        sys.exit(f"ot needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    want = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == want:
        return
    py = BIN / "python"
    sh(py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", LOCK)
    sh(
        py,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--no-build-isolation",
        "-e",
        ".",
    )
    STAMP.write_text(want)


def app(extra: list[str]) -> None:
    demo = ROOT / ".demo" / "ledger.db"
    demo.parent.mkdir(exist_ok=True)
    env = dict(os.environ, OT_LEDGER=str(demo))
    sh(BIN / "ot", "demo", env=env)
    os.execve(str(BIN / "ot"), [str(BIN / "ot"), *extra], env)


#: The tests run a second time with the ledger kept in PostgreSQL (tests/pg_server.py).
POSTGRESQL_TESTS = ("tests/ledger", "tests/approvals", "tests/sync", "tests/test_pay_service.py")


def ensure_postgresql() -> None:
    """Install the PostgreSQL server binaries the tests start a throwaway server with, when they are
    missing and this is a root shell with apt-get (a fresh Debian CI machine); else the tests skip."""
    if shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print("note: PostgreSQL server binaries not found: the PostgreSQL tests will skip", flush=True)
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print("+ apt-get install -y postgresql", flush=True)
    if subprocess.call(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"], stdout=subprocess.DEVNULL, env=env
    ):
        sh("apt-get", "update", "-qq", env=env)
        sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql", env=env)


def test(extra: list[str]) -> None:
    env = dict(os.environ, TZ="UTC", PYTHONHASHSEED="0")
    sh(BIN / "ruff", "check", ".", env=env)
    sh(BIN / "ruff", "format", "--check", ".", env=env)
    sh(BIN / "mypy", env=env)
    sh(BIN / "lint-imports", "--no-cache", env=env)
    ensure_postgresql()
    # Three workers on a 2-core machine: the TUI tests spend about 40% of their time waiting on the
    # event loop, which a third worker fills (SQLite pass: 302 s with 2 workers, 276 s with 3, 286 s with 4).
    # A test that hangs (a deadlock) fails after 5 minutes with its stack, instead of stopping CI (the
    # slowest test takes about 90 s): pytest-timeout.
    sh(BIN / "python", "-m", "pytest", "-n", "3", "-q", "--timeout", "300", *extra, env=env)
    if not extra:
        pg = [*POSTGRESQL_TESTS, "--ledger-backend=postgresql"]
        # The same derandomized histories as the SQLite pass, fewer of them (tests/conftest.py).
        pg_env = {**env, "HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "postgresql")}
        sh(BIN / "python", "-m", "pytest", "-n", "3", "-q", "--timeout", "300", *pg, env=pg_env)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"app", "test", "setup"}:
        sys.exit(__doc__)
    setup()
    cmd, extra = sys.argv[1], sys.argv[2:]
    if cmd == "app":
        app(extra)
    elif cmd == "test":
        test(extra)


if __name__ == "__main__":
    main()
