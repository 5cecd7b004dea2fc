"""``ot import workers``: roster rows, PINs derived from birth date + SSN, and what is never kept.

The PIN rule is the seed's (Timerack / Justworks): the day of the month of
birth then the SSN's last four digits (April 7 + 2345 gives 72345), or a
six-digit override. SSNs and birth dates are never stored, logged or echoed.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.imports import plan_workers
from ledger.store import Ledger
from ot.cli import main
from ot.core.domain import Location, RateChange, Worker
from ot.core.errors import OtError
from ot.services.imports import import_file
from ot.services.pins import PinBook

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
HEADER = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override"
BASE = (
    HEADER + "\n"
    "A1,Ann Admin,W2,40.00,LA,,admin,1980-12-12,321-54-9876,\n"
    "W1,Wes Worker,W2,20.00,LA,A1,worker,1990-04-07,987-65-4321,\n"
)
SECRETS = ("321-54-9876", "321549876", "987-65-4321", "987654321", "1980-12-12", "1990-04-07")


@pytest.fixture(scope="session")
def base_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wbase")
    path = folder / "base.db"
    (folder / "loc.csv").write_text(
        "location_id,name,state,timezone\nLA,Plant,CA,America/Los_Angeles\nNY,Depot,NY,America/New_York\n"
    )
    (folder / "w.csv").write_text(BASE)
    import_file(path, "locations", folder / "loc.csv", actor="setup", now=NOW)
    import_file(path, "workers", folder / "w.csv", actor="setup", now=NOW)
    return path


@pytest.fixture
def company(base_ledger: Path, ledger_path: Path) -> Path:
    shutil.copy(base_ledger, ledger_path)
    return ledger_path


def count(path: Path) -> int:
    with Ledger.open(path, create=False) as led:
        return led.count()


def run(cli: CliRunner, tmp_path: Path, text: str, name: str = "w.csv", *extra: str) -> Result:
    (tmp_path / name).write_text(text)
    return cli.invoke(main, ["import", "workers", str(tmp_path / name), *extra])


def refused(result: Result, *fragments: str) -> str:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
    for secret in SECRETS:
        assert secret not in result.stderr + result.stdout
    return result.stderr


def test_import_derives_pins_and_keeps_only_hashes(company: Path) -> None:
    """April 7 + ...-4321 gives 74321; December 12 + ...-9876 gives 129876 (the seed's rule)."""
    with Ledger.open(company) as led:
        pins = PinBook(led)
        assert pins.holders("74321") == ["W1"]
        assert pins.holders("129876") == ["A1"]
        assert pins.holders("74322") == []
        roster = led.roster()
    assert roster["W1"].manager_id == "A1"
    # No rate_effective column: a new worker's rate is in force from the beginning.
    assert roster["W1"].rate_on(date(1990, 1, 1)) == Decimal("20.00")


def test_secrets_never_reach_the_ledger_or_its_log(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    """Grep the whole ledger file (and its WAL) and `ot ledger log` for the SSNs and birth dates."""
    text = HEADER + "\nW7,Val Seven,W2,21.00,NY,A1,worker,1991-03-15,555-44-3333,\n"
    result = run(cli, tmp_path, text)
    assert result.exit_code == 0, result.stderr
    log = cli.invoke(main, ["ledger", "log"])
    assert log.exit_code == 0
    as_json = cli.invoke(main, ["ledger", "log", "--json"])
    blobs = [p.read_bytes() for p in company.parent.glob(company.name + "*")]
    # (Four-digit tails are not grepped: they occur by chance inside hex hashes.)
    for secret in (*SECRETS, "555-44-3333", "555443333", "1991-03-15"):
        assert secret not in log.stdout + as_json.stdout + result.stdout + result.stderr
        for blob in blobs:
            assert secret.encode() not in blob, secret


def test_same_file_twice_adds_nothing(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    before = count(company)
    result = run(cli, tmp_path, BASE)
    assert result.exit_code == 0
    assert "added 0 events (nothing new)" in result.stdout
    assert "2 rows added nothing new" in result.stdout
    assert count(company) == before


def test_changed_rate_role_and_pin(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = (
        HEADER + ",rate_effective\n"
        "A1,Ann Admin,W2,40.00,LA,,admin,1980-12-12,321-54-9876,,\n"
        "W1,Wes Worker,W2,22.50,NY,A1,manager,,,424242,2026-11-08\n"
    )
    result = run(cli, tmp_path, text)
    assert result.exit_code == 0, result.stderr
    assert "added 3 events (1 worker.changed, 1 worker.pin_set, 1 worker.rate_changed)" in result.stdout
    with Ledger.open(company) as led:
        w1 = led.roster()["W1"]
        assert PinBook(led).holders("424242") == ["W1"]
        changes = [e.payload for e in led.events(kind="worker.changed")]
    assert changes == [{"worker_id": "W1", "location_id": "NY", "role": "manager"}]
    assert w1.rate_on(date(2026, 11, 7)) == Decimal("20.00")
    assert w1.rate_on(date(2026, 11, 8)) == Decimal("22.50")
    again = run(cli, tmp_path, text)
    assert "added 0 events" in again.stdout


def test_changed_rate_without_a_date_applies_from_the_import_day(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    result = run(cli, tmp_path, HEADER + "\nW1,Wes Worker,W2,21.00,LA,A1,worker,1990-04-07,987-65-4321,\n")
    assert result.exit_code == 0
    with Ledger.open(company) as led:
        (event,) = list(led.events(kind="worker.rate_changed"))
    assert event.payload["effective"] == event.recorded_at.date().isoformat()


def test_shared_pin_is_reported_not_refused(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    """W8, born on the 7th with an SSN ending 4321, gets W1's PIN 74321: imported, and reported, without
    naming W1 (whoever imports would learn W1's PIN: tests/ledger/test_import_pin_overrides.py)."""
    text = HEADER + "\nW8,Eve Eight,W2,19.00,LA,A1,worker,1985-06-07,000-00-4321,\n"
    result = run(cli, tmp_path, text)
    assert result.exit_code == 0, result.stderr
    assert "note: the PIN derived for W8 (line 2) is already another worker's" in result.stdout
    assert "W1" not in result.stdout
    with Ledger.open(company) as led:
        assert PinBook(led).holders("74321") == ["W1", "W8"]


def test_managers_may_come_later_in_the_file(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = HEADER + "\nW5,Fay Five,W2,18.00,LA,M5,worker,,,111111\nM5,Mo Five,W2,30.00,LA,A1,manager,,,222222\n"
    result = run(cli, tmp_path, text)
    assert result.exit_code == 0, result.stderr
    with Ledger.open(company) as led:
        added = [e.payload["worker_id"] for e in led.events(kind="worker.added")]
    assert added[-2:] == ["M5", "W5"]


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        ("W3,Tia,W2,twenty,LA,A1,worker,,,", "2:4", "pay_rate 'twenty' is not a decimal number"),
        ("W3,Tia,W2,0,LA,A1,worker,,,", "2:4", "pay_rate '0' must be more than 0"),
        ("W3,Tia,W2,20.123456,LA,A1,worker,,,", "2:4", "pay_rate '20.123456' has more than 4 decimal places"),
        ("W3,Tia,W4,20,LA,A1,worker,,,", "2:3", "type 'W4' is not W2 or 1099"),
        ("W3,Tia,W2,20,LA,A1,boss,,,", "2:7", "role 'boss' is not one of worker, manager, admin"),
        ("W3,Tia,W2,20,XX,A1,worker,,,", "2:5", "unknown location 'XX': import it with `ot import locations` first"),
        ("W3,Tia,W2,20,LA,Z9,worker,,,", "2:6", "manager 'Z9' does not exist"),
        ("W3,Tia,W2,20,LA,W1,worker,,,", "2:6", "W1 is a worker, not a manager or admin"),
        ("W3,Tia,W2,20,LA,W3,worker,,,", "2:6", "worker W3 cannot be their own manager"),
        ("W3,,W2,20,LA,A1,worker,,,", "2:2", "name is empty"),
        ("W3,Tia,W2,20,LA,A1,worker,,,12345", "2:10", "pin_override must be exactly six digits"),
        ("W3,Tia,W2,20,LA,A1,worker,,,12a456", "2:10", "pin_override must be exactly six digits"),
        (
            "W3,Tia,W2,20,LA,A1,worker,1990-04-07,98-76,",
            "2:9",
            "ssn is not an SSN: write it as 123-45-6789 or just its last four digits",
        ),
        ("W3,Tia,W2,20,LA,A1,worker,1990-04-07,987-65-432X,", "2:9", "ssn is not an SSN"),
        (
            "W3,Tia,W2,20,LA,A1,worker,1990-02-30,987-65-4321,",
            "2:8",
            "birth_date is not a real date: write it as YYYY-MM-DD",
        ),
        ("W3,Tia,W2,20,LA,A1,worker,04/07/1990,987-65-4321,", "2:8", "birth_date is not a real date"),
        ("W3,Tia,W2,20,LA,A1,worker,2031-04-07,987-65-4321,", "2:8", "birth_date is in the future"),
        ("W3,Tia,W2,20,LA,A1,worker,,987-65-4321,", "2:8", "birth_date is empty: give both birth_date and ssn"),
        ("W3,Tia,W2,20,LA,A1,worker,1990-04-07,,", "2:9", "ssn is empty: give both birth_date and ssn"),
    ],
    ids=[
        "bad-rate",
        "zero-rate",
        "rate-precision",
        "bad-type",
        "bad-role",
        "unknown-location",
        "unknown-manager",
        "manager-is-a-worker",
        "own-manager",
        "empty-name",
        "short-override",
        "letter-override",
        "short-ssn",
        "letter-ssn",
        "impossible-birth-date",
        "us-birth-date",
        "future-birth-date",
        "ssn-without-birth-date",
        "birth-date-without-ssn",
    ],
)
def test_bad_worker_row(company: Path, cli: CliRunner, tmp_path: Path, row: str, where: str, message: str) -> None:
    """Each refused with its place; never an SSN or a birth date in the message."""
    before = count(company)
    refused(run(cli, tmp_path, HEADER + "\n" + row + "\n", "bad.csv"), f"bad.csv:{where}: {message}")
    assert count(company) == before


def test_duplicate_worker_ids(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = (
        HEADER
        + "\nW3,Tia,W2,20,LA,A1,worker,,,111111\nW4,Uri,W2,20,LA,A1,worker,,,222222\nW3,Tia B,W2,21,LA,A1,worker,,,333333\n"
    )
    before = count(company)
    refused(run(cli, tmp_path, text, "dup.csv"), "dup.csv:4:1: worker W3 appears twice in this file (first on line 2)")
    assert count(company) == before


def test_manager_loop(company: Path, cli: CliRunner, tmp_path: Path) -> None:
    text = HEADER + "\nM7,Mo,W2,30,LA,M8,manager,,,111111\nM8,Mei,W2,30,LA,M7,manager,,,222222\n"
    refused(run(cli, tmp_path, text, "loop.csv"), "loop.csv:2:6: managers form a loop (M7 -> M8)")


def test_plan_is_pure_and_names_every_problem() -> None:
    """The pure planner: reference data in, every located problem out, no secrets."""
    locations = {"LA": Location("LA", "Plant", "CA", "America/Los_Angeles")}
    roster = {"A1": Worker("A1", "Ann", "W2", (RateChange(date(2026, 1, 1), Decimal(40)),), "LA", None, "admin")}
    text = HEADER + "\nW1,Wes,W2,20,LA,A1,worker,1990-04-31,987-65-4321,\nW2,Wu,W9,x,LA,A1,worker,,,\n"
    with pytest.raises(OtError) as info:
        plan_workers(text, "f.csv", roster, locations, today=date(2026, 11, 20))
    wheres = [p.where for p in info.value.problems]
    assert wheres == ["f.csv:2:8", "f.csv:3:3", "f.csv:3:4"]
    assert "1990-04-31" not in info.value.render()


def test_each_pin_is_peppered_and_salted_of_its_own(company: Path) -> None:
    """Two workers' stored PINs share no salt; the ledger holds no pepper, so the file alone tests no PIN."""
    import hashlib

    from ledger.pins import hash_pin
    from ot.services.pins import pepper_path

    with Ledger.open(company) as led:
        stored = led.stored_pins()
        assert {s.worker_id for s in stored} == {"A1", "W1"}
        assert len({s.salt for s in stored}) == 2
        assert all(s.bucket is not None for s in stored)
        w1 = next(s for s in stored if s.worker_id == "W1")
        # Without the pepper: neither the old ledger-salted hash nor a plain scrypt finds 74321.
        assert hash_pin("74321", led.pin_salt()) != w1.pin_hash
        assert (
            hashlib.scrypt(b"74321", salt=bytes.fromhex(w1.salt or ""), n=2**14, r=8, p=1, dklen=32).hex()
            != w1.pin_hash
        )
        pepper = pepper_path(led.ledger_id()).read_text().strip()
    raw = (
        company.read_bytes() + (company.parent / (company.name + "-wal")).read_bytes()
        if (company.parent / (company.name + "-wal")).exists()
        else company.read_bytes()
    )
    assert pepper.encode() not in raw
    assert bytes.fromhex(pepper) not in raw


def test_the_log_hides_a_pins_salt_and_bucket(company: Path, cli: CliRunner) -> None:
    """`ot ledger log --json` shows a worker.pin_set event without its hash, salt or lookup bucket
    (the export leaves them out too: docs/datasette.md)."""
    import json

    out = cli.invoke(main, ["ledger", "log", "--json", "--kind", "worker.pin_set"])
    assert out.exit_code == 0, out.stderr
    lines = json.loads(out.stdout)
    events = lines if isinstance(lines, list) else lines["events"]
    assert events
    with Ledger.open(company) as led:
        stored = {s.worker_id: s for s in led.stored_pins()}
    for e in events:
        payload = e["payload"]
        assert payload["pin_hash"] == payload["salt"] == payload["bucket"] == "(hidden)"
        s = stored[payload["worker_id"]]
        assert s.pin_hash not in out.stdout
        assert str(s.salt) not in out.stdout
