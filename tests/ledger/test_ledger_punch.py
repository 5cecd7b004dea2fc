"""``ot punch``: a PIN finds its worker; shared PINs are refused; wrong PINs are slowed down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ledger_helpers import NOW, location, worker

from ledger.events import NewEvent
from ledger.store import Ledger
from ot.cli import main
from ot.core.errors import LedgerBusy, OtError
from ot.services import punch as punch_service
from ot.services.pins import PinBook
from ot.services.punch import SHARED_PIN, WRONG_PIN, delay_for, record_punch

PIN = "72345"
SHARED = "126789"


@pytest.fixture
def clock(ledger_path: Path) -> Path:
    """A ledger with W1 (PIN 72345) at L1 in Los Angeles, and W2 and W3 sharing PIN 126789."""
    with Ledger.open(ledger_path) as led:
        book = PinBook(led, create=True)
        pins = {"W1": PIN, "W2": SHARED, "W3": SHARED}
        led.append(
            [location("L1"), location("L2", "NY", "America/New_York")]
            + [worker(w, name=f"Name {w}") for w in pins]
            + [NewEvent("worker.pin_set", book.payload(w, p), worker_id=w) for w, p in pins.items()],
            actor="admin",
            now=NOW,
        )
    return ledger_path


def _punch(path: Path, pin: str = PIN, kind: str = "in", **kw: Any) -> punch_service.PunchResult:
    args: dict[str, Any] = {"actor": "kiosk", "now": NOW, "sleep": _no_sleep}
    args.update(kw)
    return record_punch(path, pin=pin, kind=kind, **args)


def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"slept {seconds}s")


def test_punch_now(clock: Path) -> None:
    result = _punch(clock)
    assert (result.worker_id, result.kind, result.at, result.recorded) == ("W1", "in", NOW, True)
    assert result.local_time.isoformat() == "2026-11-02T10:00:00-08:00"
    with Ledger.open(clock) as led:
        (p,) = led.punches("W1")
        assert (p.at, p.kind, p.source, p.location_id) == (NOW, "in", "pin", None)
        (e,) = led.events(kind="punch.recorded")
        assert e.actor == "kiosk"


def test_punch_at_local_time_across_dst(clock: Path) -> None:
    """--at is wall time in the work location's zone: 01:30 on the fall-back night happens twice, so it
    needs its offset (-07:00, PDT: the first)."""
    with pytest.raises(OtError) as info:
        _punch(clock, kind="out", at="2026-11-01T01:30")
    assert "2026-11-01T01:30-07:00 for the first (PDT)" in info.value.problems[0].message
    result = _punch(clock, kind="out", at="2026-11-01T01:30-07:00")
    assert result.at == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    result = _punch(clock, kind="in", at="2026-11-02T08:03", location_id="L2")
    assert result.at == datetime(2026, 11, 2, 13, 3, tzinfo=UTC)  # New York, EST
    with Ledger.open(clock) as led:
        assert [p.location_id for p in led.punches("W1")] == [None, "L2"]


def test_same_punch_twice_is_recorded_once(clock: Path) -> None:
    assert _punch(clock, at="2026-11-02T08:00").recorded
    again = _punch(clock, at="2026-11-02T08:00")
    assert not again.recorded
    assert again.seq is None
    with Ledger.open(clock) as led:
        assert len(led.punches("W1")) == 1


def test_break_types(clock: Path) -> None:
    assert _punch(clock, kind="break-start", at="2026-11-02T09:00").break_type == "DEFAULT_UNPAID"
    assert _punch(clock, kind="break_start", at="2026-11-02T09:30", break_type="PAID_REST").break_type == "PAID_REST"
    with pytest.raises(OtError, match="only on a break-start"):
        _punch(clock, kind="out", break_type="PAID_REST")
    with pytest.raises(OtError, match="not a break type code"):
        _punch(clock, kind="break-start", break_type="rest; drop table")


def test_wrong_pin(clock: Path) -> None:
    with pytest.raises(OtError) as info:
        _punch(clock, pin="99999")
    assert info.value.message == WRONG_PIN
    assert "99999" not in info.value.render()
    with Ledger.open(clock) as led:
        assert led.count() == 8
        assert led.pin_failures_since(NOW - timedelta(minutes=1)) == 1


def test_shared_pin_is_refused(clock: Path) -> None:
    with pytest.raises(OtError) as info:
        _punch(clock, pin=SHARED)
    assert info.value.message == SHARED_PIN
    assert SHARED not in info.value.render()
    with Ledger.open(clock) as led:
        assert led.punches() == []


def test_wrong_pins_are_slowed_down(clock: Path) -> None:
    slept: list[float] = []
    for i in range(6):
        with pytest.raises(OtError):
            _punch(clock, pin="00000", now=NOW + timedelta(seconds=i), sleep=slept.append)
    assert slept == [1.0, 2.0, 4.0]
    # Even the right PIN waits while the failures are recent ...
    _punch(clock, now=NOW + timedelta(minutes=1), sleep=slept.append)
    assert slept[-1] == 8.0
    # ... and not once they are older than ten minutes.
    _punch(clock, kind="out", now=NOW + timedelta(minutes=11), sleep=_no_sleep)


def test_delay_is_capped() -> None:
    assert [delay_for(n) for n in (0, 2, 3, 4, 8, 50)] == [0.0, 0.0, 1.0, 2.0, 30.0, 30.0]


def test_malformed_pin_counts_as_failure(clock: Path) -> None:
    with pytest.raises(OtError, match="five or six digits"):
        _punch(clock, pin="12")
    with Ledger.open(clock) as led:
        assert led.pin_failures_since(NOW) == 1


@pytest.mark.parametrize(
    ("kw", "message", "where"),
    [
        ({"at": "2026-11-02 8am"}, "cannot be read", "--at"),
        ({"at": "2026-03-08T02:30"}, "cannot be read", "--at"),  # skipped by spring-forward in Los Angeles
        ({"at": "2026-11-03T08:00"}, "cannot be in the future", "--at"),
        ({"location_id": "L9"}, "unknown location 'L9'", "--location"),
        ({"kind": "lunch"}, "not a punch kind", "KIND"),
    ],
)
def test_bad_punch_input(clock: Path, kw: dict[str, Any], message: str, where: str) -> None:
    with pytest.raises(OtError, match=message) as info:
        _punch(clock, **kw)
    assert info.value.problems[0].where == where
    with Ledger.open(clock) as led:
        assert led.punches() == []


def test_inactive_worker_cannot_punch(clock: Path) -> None:
    with Ledger.open(clock) as led:
        led.append(
            [NewEvent("worker.changed", {"worker_id": "W1", "active": False}, worker_id="W1")], actor="a", now=NOW
        )
    with pytest.raises(OtError, match="no longer active"):
        _punch(clock)


def test_no_ledger(tmp_path: Path) -> None:
    with pytest.raises(OtError, match="no ledger at"):
        _punch(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


def test_cli_punch(clock: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["punch", "in", "--at", "2026-11-02T08:03", "--pin-stdin"], input=f"{PIN}\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("recorded W1 Name W1: in at 2026-11-02 08:03 PST (America/Los_Angeles), location L1\n")
    assert PIN not in result.output
    result = cli.invoke(main, ["punch", "in", "--at", "2026-11-02T08:03", "--pin-stdin"], input=f"{PIN}\n")
    assert result.stdout.startswith("already recorded: W1")


def test_cli_punch_prompts_for_hidden_pin(clock: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["punch", "break-start", "--at", "2026-11-02T12:00"], input=f"{PIN}\n")
    assert result.exit_code == 0, result.output
    assert "break-start (DEFAULT_UNPAID) at 2026-11-02 12:00 PST" in result.stdout
    assert PIN not in result.output


def test_cli_punch_errors(clock: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(punch_service.time, "sleep", lambda s: None)
    result = cli.invoke(main, ["punch", "out", "--pin-stdin"], input=f"{SHARED}\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert SHARED_PIN in result.stderr
    assert SHARED not in result.stderr
    result = cli.invoke(main, ["punch", "out", "--pin-stdin"], input="55555\n")
    assert result.exit_code == 2
    assert WRONG_PIN in result.stderr
    assert "55555" not in result.stderr


def test_a_leading_zero_is_the_same_pin(ledger_path: Path) -> None:
    """Born on the 9th, SSN ending 3333: the PIN is 93333 (no leading zero, the seed's rule); typed as
    093333 it is the same PIN; a malformed PIN is told apart from a wrong one."""
    with Ledger.open(ledger_path) as led:
        book = PinBook(led, create=True)
        led.append(
            [location("L1"), worker("W9"), NewEvent("worker.pin_set", book.payload("W9", "93333"), worker_id="W9")],
            actor="admin",
            now=NOW,
        )
    assert _punch(ledger_path, pin="093333").worker_id == "W9"
    assert _punch(ledger_path, pin="93333", at="2026-11-02T09:00").worker_id == "W9"
    with pytest.raises(OtError, match="a PIN is five or six digits"):
        _punch(ledger_path, pin="93a33")
    with pytest.raises(OtError, match="no worker has this PIN"):
        _punch(ledger_path, pin="093334")


def test_one_stations_stranger_does_not_slow_another_station(clock: Path) -> None:
    """Wrong PINs at the front door slow the front door (and the bucket they hit), not the back door."""
    waits: list[float] = []
    for _ in range(5):
        with pytest.raises(OtError, match="no worker has this PIN"):
            _punch(clock, pin="11111", actor="front", sleep=waits.append)
    assert waits == [1.0, 2.0]
    # Another station, a right PIN: no wait (unless it happens to share the guesses' bucket, 1 in 1024).
    with Ledger.open(clock) as led:
        same_bucket = PinBook(led).bucket(PIN) == PinBook(led).bucket("11111")
    later: list[float] = []
    assert _punch(clock, actor="back", sleep=later.append).worker_id == "W1"
    assert later == ([4.0] if same_bucket else [])


def test_guesses_sent_at_once_each_wait_for_those_before_them(clock: Path) -> None:
    """Wrong PINs typed at once from several processes (each process reads the recent failures, then
    checks its PIN): every attempt counts as a failure from the moment it is made until its PIN proves
    right, so the second guess, made while the first waits, waits longer (a review found that each
    parallel guess read the same count and skipped the slow-down). A right PIN leaves no failure."""
    for i in range(3):  # three free failures
        with pytest.raises(OtError):
            _punch(clock, pin="00000", now=NOW + timedelta(seconds=i))
    waits: list[float] = []
    inner: list[str] = []

    def second_guess_meanwhile(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 1:  # while the first guess waits, another process sends the second
            with pytest.raises(OtError) as refused:
                _punch(clock, pin="00001", now=NOW + timedelta(seconds=10), sleep=waits.append)
            inner.append(refused.value.message)

    with pytest.raises(OtError):
        _punch(clock, pin="00000", now=NOW + timedelta(seconds=9), sleep=second_guess_meanwhile)
    assert inner == [WRONG_PIN]
    assert waits == [1.0, 2.0]  # the second counted the first, still in progress
    with Ledger.open(clock) as led:
        failures = led.pin_failures_since(NOW, station="kiosk")
    assert failures == 5
    _punch(clock, now=NOW + timedelta(minutes=1), sleep=waits.append)  # the right PIN, after them
    with Ledger.open(clock) as led:
        assert led.pin_failures_since(NOW, station="kiosk") == 5  # its attempt was forgotten


def test_an_attempt_the_ledger_was_too_busy_to_settle_counts_only_while_in_progress(
    clock: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A right PIN whose attempt cannot be forgotten because another process holds the ledger (a long
    pay run: the busy timeout passes), or an attempt killed while it waits, counts as a wrong PIN only
    while an attempt can be in progress (punch.PENDING), not for the whole window (a review found a
    right PIN left counted as wrong)."""
    for i in range(3):
        with pytest.raises(OtError):
            _punch(clock, pin="00000", now=NOW + timedelta(seconds=i))

    def busy(self: Ledger, row: int) -> None:
        raise LedgerBusy("the ledger is busy")

    monkeypatch.setattr(Ledger, "forget_pin_attempt", busy)
    waits: list[float] = []
    assert _punch(clock, now=NOW + timedelta(seconds=5), sleep=waits.append).worker_id == "W1"
    assert waits == [1.0]
    monkeypatch.undo()

    def failures(at: datetime) -> int:
        with Ledger.open(clock) as led:
            return led.pin_failures_since(at - punch_service.WINDOW, station="kiosk")

    at = NOW + timedelta(seconds=5)
    assert failures(at + punch_service.PENDING - timedelta(seconds=1)) == 4  # still possibly in progress
    assert failures(at + punch_service.PENDING + timedelta(seconds=1)) == 3  # then only the wrong PINs
    with Ledger.open(clock) as led:  # an attempt noted, and its process killed while it waits
        led.claim_pin_attempt(
            at,
            at - punch_service.WINDOW,
            station="kiosk",
            bucket=0,
            held=at - punch_service.WINDOW + punch_service.PENDING,
        )
    assert failures(at + timedelta(seconds=30)) == 5
    assert failures(at + punch_service.PENDING + timedelta(seconds=1)) == 3


@pytest.mark.parametrize(
    "typed",
    [
        "\uff12\uff15\uff13\uff13\uff13\uff13",  # full-width 253333
        "\u0667\u0662\u0663\u0664\u0665",  # Arabic-Indic 72345 (W1's PIN in other digits)
        "\u06f7\u06f2\u06f3\u06f4\u06f5",  # Extended Arabic-Indic (Persian) 72345
        "7234\u0665",  # one look-alike digit
    ],
)
def test_a_pin_in_digits_other_than_0_to_9_is_refused_cleanly(
    clock: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    """\\d matched every script's digits: such a PIN passed the shape check, then hashing it as ASCII
    raised UnicodeEncodeError (a traceback at the clock). Now it is a malformed PIN like any other."""
    monkeypatch.setattr(punch_service.time, "sleep", lambda s: None)
    result = cli.invoke(main, ["punch", "in", "--at", "2026-11-02T08:03", "--pin-stdin"], input=f"{typed}\n")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "a PIN is five or six digits" in result.stderr
    assert typed not in result.output
    with Ledger.open(clock) as led:
        assert led.punches() == []


def test_derive_pin_and_override_take_ascii_digits_only() -> None:
    from datetime import date

    from ledger.pins import check_override, derive_pin

    assert derive_pin(date(1990, 5, 9), "123-45-6789") == "96789"
    assert check_override(" 123456 ") == "123456"
    with pytest.raises(OtError, match="SSN is not valid"):
        derive_pin(date(1990, 5, 9), "123-45-\u0666\u0667\u0668\u0669")
    with pytest.raises(OtError, match="PIN override is not valid"):
        check_override("\uff11\uff12\uff13\uff14\uff15\uff16")


# --- a clock punch is stamped when it happens -----------------------------------------------------

DEMO_PIN_W01 = "292437"  # the demo's W01 (README: a punch at the demo's kiosk)
LATER = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)  # after the demo's punches; 10:00 in Los Angeles


def _local(instant: datetime) -> str:
    """``instant`` as the local wall time in Los Angeles that ``--at`` takes (W01's location)."""
    from ot.core.timez import local

    return local(instant, "America/Los_Angeles").strftime("%Y-%m-%dT%H:%M")


def _punches(path: Path) -> int:
    with Ledger.open(path) as led:
        return len(led.punches("W01"))


@pytest.mark.parametrize(
    ("actor", "back", "recorded"),
    [
        ("kiosk:demo", timedelta(days=6, hours=23), True),  # a kiosk's queue of a week
        ("kiosk:demo", timedelta(days=7, minutes=1), False),
        ("A1", timedelta(minutes=4), True),  # the clock's skew
        ("A1", timedelta(minutes=6), False),  # an admin adds an earlier punch by hand, with a reason
        ("W01", timedelta(hours=3), False),  # the worker themself
    ],
)
def test_a_clock_punch_cannot_be_back_dated(
    demo_ledger: Path, actor: str, back: timedelta, recorded: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A punch at the clock is stamped when it happens: ``--at`` may be a few minutes behind the clock
    (a person) or a week (a kiosk sending what it queued offline), no more; an earlier time is a manual
    punch (``ot punch add``: a manager or an admin, with a reason). Refused, nothing is written, and the
    message says where and what to do instead."""
    monkeypatch.setattr(punch_service.time, "sleep", lambda s: None)
    before = _punches(demo_ledger)
    at = _local(LATER - back)
    if recorded:
        result = _punch(demo_ledger, DEMO_PIN_W01, "in", at=at, actor=actor, now=LATER)
        assert (result.recorded, result.worker_id) == (True, "W01")
        assert _punches(demo_ledger) == before + 1
        return
    with pytest.raises(OtError) as caught:
        _punch(demo_ledger, DEMO_PIN_W01, "in", at=at, actor=actor, now=LATER)
    assert caught.value.message == "the punch was not recorded; nothing was written"
    where = {p.where: p.message for p in caught.value.problems}
    assert at in where["--at"]
    assert where["what to do"] == f"`ot punch add --worker W01 --kind in --at {at} --reason ...`"
    assert _punches(demo_ledger) == before


def test_the_clock_stamps_a_punch_with_no_time(demo_ledger: Path) -> None:
    """Without ``--at`` the punch is the clock's own instant, whoever punches."""
    result = _punch(demo_ledger, DEMO_PIN_W01, "in", actor="kiosk:demo", now=LATER)
    assert result.at == LATER


def test_a_new_ledger_s_set_up_punches_at_any_time(clock: Path) -> None:
    """Before anyone can act as an admin (a new ledger's set-up, open as every other check), a punch may be
    entered for any past time: the set-up's import of a timeclock's history."""
    result = _punch(clock, at="2026-10-01T08:00", now=NOW)
    assert result.recorded
