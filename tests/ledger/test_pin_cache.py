"""A PIN is hashed only when its source changed (issue 15): re-importing the same workers file
runs no scrypt; the cache beside the pepper is never trusted over the ledger."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ledger.store import Ledger
from ot.services import pins as pins_module
from ot.services.imports import import_file
from ot.services.pins import PinBook, seen_path

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
HEADER = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override"
ROWS = [
    "A1,Ann Admin,W2,40.00,LA,,admin,1980-12-12,321-54-9876,",
    *(f"W{i},Worker {i},W2,20.00,LA,A1,worker,1990-04-{i:02d},987-65-{4300 + i}," for i in range(1, 7)),
]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each slow PIN check (scrypt) PinBook runs, by worker."""
    calls: list[str] = []
    real = pins_module.pin_matches

    def counting(stored, pin, pepper, ledger_salt):  # type: ignore[no-untyped-def]
        calls.append(stored.worker_id)
        return real(stored, pin, pepper, ledger_salt)

    monkeypatch.setattr(pins_module, "pin_matches", counting)
    return calls


def _import(path: Path, tmp_path: Path, rows: list[str]) -> str:
    (tmp_path / "w.csv").write_text("\n".join([HEADER, *rows]) + "\n")
    report = import_file(path, "workers", tmp_path / "w.csv", actor="setup", now=NOW)
    return str(report.total_added)


@pytest.fixture
def company(ledger_path: Path, tmp_path: Path) -> Path:
    (tmp_path / "loc.csv").write_text("location_id,name,state,timezone\nLA,Plant,CA,America/Los_Angeles\n")
    import_file(ledger_path, "locations", tmp_path / "loc.csv", actor="setup", now=NOW)
    _import(ledger_path, tmp_path, ROWS)
    return ledger_path


def _ledger_id(path: Path) -> str:
    with Ledger.open(path) as led:
        return led.ledger_id()


def test_the_same_file_again_hashes_no_pin(company: Path, tmp_path: Path, counted: list[str]) -> None:
    assert _import(company, tmp_path, ROWS) == "0"
    assert counted == [], "every PIN was known unchanged from the cache"


def test_a_changed_pin_is_the_only_one_hashed(company: Path, tmp_path: Path, counted: list[str]) -> None:
    rows = [*ROWS[:3], ROWS[3].replace("987-65-4303", "987-65-1111"), *ROWS[4:]]
    assert _import(company, tmp_path, rows) == "1"
    assert counted == ["W3"]
    counted.clear()
    assert _import(company, tmp_path, rows) == "0"
    assert counted == []
    with Ledger.open(company) as led:
        assert PinBook(led).matches("W3", "31111")


def test_without_the_cache_every_pin_is_checked_and_nothing_changes(
    company: Path, tmp_path: Path, counted: list[str]
) -> None:
    seen_path(_ledger_id(company)).unlink()
    assert _import(company, tmp_path, ROWS) == "0"
    assert sorted(counted) == sorted(r.split(",")[0] for r in ROWS)
    counted.clear()
    assert _import(company, tmp_path, ROWS) == "0"
    assert counted == []


def test_a_tampered_cache_is_not_trusted(company: Path, tmp_path: Path, counted: list[str]) -> None:
    """A cache entry saying W1's PIN is unchanged when the file gives a new one: the tag does not
    match the new PIN, so it is hashed and set; an entry bound to a hash the ledger does not hold
    is ignored."""
    path = seen_path(_ledger_id(company))
    seen = json.loads(path.read_text())
    seen["W2"] = [seen["W2"][0], "not-the-stored-hash"]
    path.write_text(json.dumps(seen))
    rows = [ROWS[0], ROWS[1].replace("987-65-4301", "987-65-2222"), *ROWS[2:]]
    assert _import(company, tmp_path, rows) == "1"
    assert sorted(counted) == ["W1", "W2"]
    with Ledger.open(company) as led:
        assert PinBook(led).matches("W1", "12222")


def test_the_cache_is_owner_only_and_holds_no_pin(company: Path) -> None:
    """Owner-only; per worker only a keyed tag (HMAC-SHA256 with the pepper) and the stored hash."""
    import re

    path = seen_path(_ledger_id(company))
    assert path.stat().st_mode & 0o077 == 0
    seen = json.loads(path.read_text())
    with Ledger.open(company) as led:
        stored = {s.worker_id: s.pin_hash for s in led.stored_pins()}
    assert sorted(seen) == sorted(stored)
    for wid, (tag, pin_hash) in seen.items():
        assert re.fullmatch(r"[0-9a-f]{64}", tag)
        assert pin_hash == stored[wid]
