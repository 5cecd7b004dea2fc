"""Secrets never reach the ledger or the screen, and a token never travels in clear (issue 11)."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fake_everee import FakeEveree
from sync_helpers import company, day8, ot, write_config
from test_sync_everee import NOW, everee_config

from ot.core.errors import OtError
from ot.services.sync import run_sync
from ot.sync.scrub import REDACTED, scrub

TOKEN = "tok-123-very-secret"


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        (f"bad token {TOKEN} in request", TOKEN),
        ("Authorization: Basic " + base64.b64encode(f"{TOKEN}:".encode()).decode(), "dG9r"),
        ('{"authorization": "Bearer abcdefghijkl"}', "abcdefghijkl"),
        ("GET /x?api_key=k3y-v4lue&y=1", "k3y-v4lue"),
        ('{"token": "zzz-yyy"}', "zzz-yyy"),
        ("password=hunter22", "hunter22"),
    ],
)
def test_scrub_removes_credentials(text: str, gone: str) -> None:
    out = scrub(text, [TOKEN])
    assert gone not in out
    assert REDACTED in out


@pytest.mark.parametrize("text", ["token expired", "No worker with external id W1", "invalid token"])
def test_scrub_keeps_plain_words(text: str) -> None:
    assert scrub(text, [TOKEN]) == text


@pytest.fixture
def echoing() -> Iterator[FakeEveree]:
    """A server whose every answer is a 400 echoing the token and the Authorization header."""
    fake = FakeEveree(token=TOKEN).start()
    basic = base64.b64encode(f"{TOKEN}:".encode()).decode()

    def echo(method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        return 400, {
            "errorCode": "VALIDATION",
            "errorMessage": f"bad request with token {TOKEN}; Authorization: Basic {basic}",
        }

    fake._act = echo  # type: ignore[method-assign]
    try:
        yield fake
    finally:
        fake.stop()


def test_echoed_token_is_never_stored_or_printed(
    cli: CliRunner, ledger_path: Path, tmp_path: Path, echoing: FakeEveree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", TOKEN)
    company(cli, tmp_path)
    write_config(ledger_path, everee_config(echoing.url, retries=0))
    day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    run_sync(ledger_path, actor="A1", now=NOW, sleep=lambda _s: None)
    report = ot(cli, "sync", "report", "--all")
    con = sqlite3.connect(ledger_path)
    stored = "\n".join(str(row) for row in con.execute("SELECT * FROM events"))
    con.close()
    basic = base64.b64encode(f"{TOKEN}:".encode()).decode()
    assert "bad request with token" in stored  # the error is recorded...
    for secret in (TOKEN, basic):
        assert secret not in stored  # ...without the secret
        assert secret not in report.stdout + report.stderr


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://api.everee.com", True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:8080", True),
        ("http://[::1]:8080", True),
        ("http://api.everee.com", False),
        ("http://127.0.0.1.evil.example", False),
        ("ftp://api.everee.com", False),
        ("api.everee.com", False),
    ],
)
def test_base_url_needs_https_except_on_loopback(
    ledger_path: Path, cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, ok: bool
) -> None:
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", TOKEN)
    company(cli, tmp_path)
    write_config(ledger_path, everee_config(url))
    if ok:
        run_sync(ledger_path, actor="A1", now=NOW, dry_run=True)
        return
    with pytest.raises(OtError) as info:
        run_sync(ledger_path, actor="A1", now=NOW, dry_run=True)
    text = info.value.render()
    assert "[targets.everee] base_url" in text
    assert "https" in text
