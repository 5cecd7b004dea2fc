"""A throwaway PostgreSQL server for the tests (a pytest plugin, registered in ``tests/conftest.py``).

The server binaries (``initdb``, ``pg_ctl``) are found on ``PATH``, then in
``/usr/lib/postgresql/*/bin`` (Debian's ``postgresql`` package; ``dev.py test``
installs it). ``initdb`` makes a cluster in a temporary folder; the server listens
on 127.0.0.1 on a free port with its socket in that folder, trusts local
connections, and is stopped at the end of the session (and at exit). PostgreSQL
refuses to run as root: as root, the folder is given to the ``postgres`` user and
the binaries run through ``runuser -u postgres --``.

Without the binaries, :func:`pg_server` skips the test with a message.

``--ledger-backend=postgresql`` (or ``OT_TEST_BACKEND=postgresql``) runs the ledger
tests on PostgreSQL: every ``*.db`` ledger file a test opens is the replica of a
database of its own (named from a hash of the path); tests marked ``sqlite_only``
are skipped, with their reason.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BACKEND_ENV = "OT_TEST_BACKEND"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--ledger-backend",
        choices=("sqlite", "postgresql"),
        default=os.environ.get(BACKEND_ENV, "sqlite"),
        help="where ledger tests keep the record: a SQLite file, or a PostgreSQL database with a replica",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): a test of the SQLite file itself, skipped with --ledger-backend=postgresql"
    )
    config.addinivalue_line(
        "markers", "postgresql: a test of the PostgreSQL ledger itself, on databases of its own (either backend)"
    )


def on_postgresql(config: pytest.Config) -> bool:
    return str(config.getoption("--ledger-backend")) == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not on_postgresql(config):
        return
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(pytest.mark.skip(reason="makes its own databases: run once, in the SQLite pass"))
            continue
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "SQLite only")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


def find_bin(name: str) -> str | None:
    """The path of a PostgreSQL server binary, or None."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True):
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    return None


def _version(folder: str) -> int:
    part = Path(folder).parent.name
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """A running throwaway server: ``url(db)`` is a URL of one of its databases."""

    folder: Path
    port: int
    pg_ctl: str
    prefix: tuple[str, ...]
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> object:
        import psycopg

        return psycopg.connect(self.url(), autocommit=True)

    def create_database(self, name: str, template: str | None = None) -> str:
        """Make database ``name`` (empty, or a copy of ``template``); returns its URL."""
        with self.admin() as conn:  # type: ignore[attr-defined]
            # FILE_COPY (PostgreSQL 15 on) copies a small database faster than the default WAL_LOG.
            strategy = " STRATEGY FILE_COPY" if conn.info.server_version >= 150000 else ""
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template or "template1"}"{strategy}')
        return self.url(name)

    def stop(self) -> None:
        if not (self.folder / "data" / "postmaster.pid").exists():
            return
        subprocess.run(
            [*self.prefix, self.pg_ctl, "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server(*, durable: bool = False) -> PgServer | str:
    """Start a server in a temporary folder, or say why not. Not ``durable`` (the tests): no fsync."""
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql (dev.py test does)"
    folder = Path(tempfile.mkdtemp(prefix="ot-pg-"))
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        # /usr/sbin may be off PATH (a bare `env -i PATH=/usr/bin:/bin` shell): look there too.
        runuser = shutil.which("runuser") or next(
            (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if Path(p).exists()), None
        )
        if runuser is None:
            return "running as root without runuser: PostgreSQL refuses to run as root"
        try:
            shutil.chown(folder, "postgres", "postgres")
        except (LookupError, PermissionError) as exc:
            return f"running as root and there is no postgres user to run the server as ({exc})"
        folder.chmod(0o700)
        prefix = (runuser, "-u", "postgres", "--")
    user = "ot"
    data = folder / "data"
    done = subprocess.run(
        [*prefix, initdb, "-D", str(data), "-U", user, "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        return f"initdb failed: {done.stderr.strip()[-500:]}"
    # One role signs in with a password (the wrong-password test); everyone else is trusted.
    hba = data / "pg_hba.conf"
    hba.write_text("host all pwuser 127.0.0.1/32 scram-sha-256\nlocal all all trust\nhost all all 127.0.0.1/32 trust\n")
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} -c max_connections=200"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    done = subprocess.run(
        [*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "-t", "60", "start"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        return f"pg_ctl start failed: {done.stderr.strip()[-300:]} {log[-500:]}"
    server = PgServer(folder, port, pg_ctl, prefix, user)
    atexit.register(server.stop)
    with server.admin() as conn:  # type: ignore[attr-defined]
        conn.execute("CREATE ROLE pwuser LOGIN PASSWORD 'right-password' CREATEDB")
    return server


_SERVER: PgServer | str | None = None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's throwaway server (skips the test when the binaries are missing)."""
    global _SERVER
    if _SERVER is None:
        _SERVER = start_server()
    if isinstance(_SERVER, str):
        pytest.skip(_SERVER)
    return _SERVER


def database_name(path: Path | str) -> str:
    """The database a ledger file maps to under ``--ledger-backend=postgresql``."""
    return "ot_" + hashlib.sha256(str(path).encode()).hexdigest()[:24]


@pytest.fixture
def pg_url(pg_server: PgServer, request: pytest.FixtureRequest) -> str:
    """The URL of a fresh, empty database of this test."""
    name = "t_" + hashlib.sha256(request.node.nodeid.encode() + os.urandom(8)).hexdigest()[:24]
    return pg_server.create_database(name)


@pytest.fixture(scope="session", autouse=True)
def _ledger_backend(request: pytest.FixtureRequest) -> Iterator[None]:
    """Under ``--ledger-backend=postgresql``: each ``*.db`` ledger file is the replica of its own database
    (for the whole session, so that session fixtures such as the demo ledger are made there too)."""
    if not on_postgresql(request.config):
        yield
        return
    server: PgServer = request.getfixturevalue("pg_server")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("ledger.remote.url_for", lambda file: map_to_database(server, file))
        yield


_MADE: set[str] = set()


def map_to_database(server: PgServer, file: str) -> str | None:
    """The database of ledger ``file`` (made on first use), or None for a file that is not a ``.db``."""
    from ledger import remote

    if file in remote._BOUND:
        return remote._BOUND[file]
    if not file.endswith(".db"):
        return None
    name = database_name(file)
    if name not in _MADE:
        import psycopg

        with contextlib.suppress(psycopg.errors.DuplicateDatabase):
            server.create_database(name)
        _MADE.add(name)
        _forget_copied_remote(file, server.url(name))
    return server.url(name)


def _forget_copied_remote(file: str, url: str) -> None:
    """A test that copies a ledger file (``shutil.copy``) copies a replica of another database: the
    copy forgets it, so that its first open moves its events into its own database (a take-over)."""
    import sqlite3

    from ledger import remote

    if not Path(file).exists() or Path(file).stat().st_size == 0:
        return
    conn = sqlite3.connect(file)
    try:
        row = conn.execute("SELECT value FROM meta WHERE name = ?", (remote.REMOTE_META,)).fetchone()
        if row is not None and row[0] != url:
            conn.execute("DELETE FROM meta WHERE name = ?", (remote.REMOTE_META,))
            conn.commit()
    except sqlite3.DatabaseError:
        pass  # not a ledger (yet): opening it says so
    finally:
        conn.close()


def copy_ledger(server: PgServer, source: Path, target: Path) -> Path:
    """Copy the PostgreSQL ledger of ``source`` (its database and its replica) to ``target``."""
    import sqlite3

    from ledger import remote

    name = database_name(target)
    remote.drop_idle()  # a template database must have no connections
    with server.admin() as conn:  # type: ignore[attr-defined]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    server.create_database(name, template=database_name(source))
    _MADE.add(name)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    dst.execute("UPDATE meta SET value = ? WHERE name = ?", (server.url(name), remote.REMOTE_META))
    dst.commit()
    src.close()
    dst.close()
    return target
