"""The Display rate column: set on a shift, else filled by the display rate policy.

Dee Ng's profile rate is $20.00; in the week of Sun 2026-10-11 she works
Monday-Wednesday 8 h at her profile rate and Thursday 8 h on a shift paid
$32.00 (a shift rate), and Friday's 8 h shift sets a display rate of $21.00.
40 hours, no overtime; her regular rate is the weighted average
(3 x 8 x $20.00 + 8 x $32.00 + 8 x $20.00) / 40 = $22.40 (29 CFR 778.109).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.store import Ledger
from ot.cli import main
from ot.errors import OtError
from ot.money import D
from ot.services import stubs as service
from ot.services.stub_export import preview
from ot.stubs.build import DEFAULT_DISPLAY_POLICY, display_fallback
from ot.stubs.codec import stub_from_json, stub_to_json
from ot.stubs.model import PayStub
from ot.stubs.text import render_text

from .ledger_setup import CHICAGO, NOW, location, shift, worker

DAY = date(2026, 10, 14)


@pytest.fixture
def books(ledger_path: Path) -> Path:
    events = [location("L1", "Chicago Warehouse", "IL", CHICAGO), worker("d1", "Dee Ng", "20.00", "L1")]
    for day in range(12, 17):
        events.append(
            shift(
                f"D{day}",
                "d1",
                f"2026-10-{day}T09:00",
                f"2026-10-{day}T17:00",
                rate="32.00" if day == 15 else None,
                display_rate="21.00" if day == 16 else None,
            )
        )
    with Ledger.open(ledger_path) as led:
        led.append(events, actor="tester", now=NOW)
    return ledger_path


def rows(stub: PayStub) -> list[tuple[Decimal, Decimal, Decimal | None, str]]:
    return [(r.rate, r.hours, r.display_rate, r.display_from) for r in stub.rates]


def test_none_leaves_the_column_blank_but_for_the_shift_that_sets_one(books: Path) -> None:
    stub = service.build_stub(books, "d1", DAY, display_policy="none")
    assert stub.gross == D("896.00")  # 32 x $20.00 + 8 x $32.00
    assert stub.week_rates[0].regular_rate == D("22.40")
    assert rows(stub) == [
        (D("20.00"), D("24"), None, ""),
        (D("20.00"), D("8"), D("21.00"), "shift"),
        (D("32.00"), D("8"), None, ""),
    ]


def test_profile_shows_the_workers_profile_rate(books: Path) -> None:
    stub = service.build_stub(books, "d1", DAY, display_policy="profile")
    assert rows(stub) == [
        (D("20.00"), D("24"), D("20.00"), "profile"),
        (D("20.00"), D("8"), D("21.00"), "shift"),
        (D("32.00"), D("8"), D("20.00"), "profile"),
    ]
    text = render_text(stub)
    assert "$32.00   8.00  $20.00 (profile)" in text
    assert "$20.00   8.00  $21.00 (set)" in text
    assert "profile: the worker's profile rate, shown where no display rate is set." in text


def test_regular_rate_shows_the_workweeks_regular_rate(books: Path) -> None:
    stub = service.build_stub(books, "d1", DAY, display_policy="regular_rate")
    assert rows(stub) == [  # by rate, then display rate
        (D("20.00"), D("8"), D("21.00"), "shift"),
        (D("20.00"), D("24"), D("22.40"), "regular_rate"),
        (D("32.00"), D("8"), D("22.40"), "regular_rate"),
    ]
    assert "$22.40 (regular rate)" in render_text(stub)


def test_the_default_is_profile(books: Path, cli: CliRunner) -> None:
    assert DEFAULT_DISPLAY_POLICY == "profile"
    assert rows(service.build_stub(books, "d1", DAY)) == rows(
        service.build_stub(books, "d1", DAY, display_policy="profile")
    )
    # The TUI's service takes the policy too.
    assert "$20.00 (profile)" in preview(books, "d1", DAY).text
    assert "(profile)" not in preview(books, "d1", DAY, display_policy="none").text


def test_a_display_rate_is_never_paid(books: Path) -> None:
    stubs = [service.build_stub(books, "d1", DAY, display_policy=p) for p in ("none", "profile", "regular_rate")]
    assert {s.gross for s in stubs} == {D("896.00")}
    assert {s.lines for s in stubs} == {stubs[0].lines}


def test_the_cli_option(books: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["stub", "d1", "--period", "2026-10-14", "--display-rate", "regular_rate"])
    assert result.exit_code == 0, result.stderr
    assert "$22.40 (regular rate)" in result.stdout
    result = cli.invoke(main, ["stub", "d1", "--period", "2026-10-14", "--display-rate", "none"])
    assert result.exit_code == 0, result.stderr
    assert "(profile)" not in result.stdout
    assert "$21.00 (set)" in result.stdout
    bad = cli.invoke(main, ["stub", "d1", "--period", "2026-10-14", "--display-rate", "hourly"])
    assert bad.exit_code == 2
    assert "--display-rate" in bad.stderr
    assert "none" in bad.stderr


def test_an_unknown_policy_is_refused_by_the_service(books: Path) -> None:
    with pytest.raises(OtError) as err:
        service.build_stub(books, "d1", DAY, display_policy="hourly")
    assert err.value.problems[0].where == "--display-rate"
    assert "none, profile, regular_rate" in err.value.problems[0].message
    with pytest.raises(OtError):
        service.build_all(books, DAY, display_policy="")
    with pytest.raises(ValueError, match="unknown display rate policy"):
        display_fallback("hourly", object(), ())  # type: ignore[arg-type]


def test_the_source_survives_the_codec(books: Path) -> None:
    stub = service.build_stub(books, "d1", DAY, display_policy="regular_rate")
    assert stub_from_json(json.loads(json.dumps(stub_to_json(stub)))) == stub


def test_a_stub_issued_before_the_source_was_kept_reads_as_set_on_the_shift(books: Path) -> None:
    stub = service.build_stub(books, "d1", DAY, display_policy="none")
    old = stub_to_json(stub)
    for r in old["rates"]:
        del r["display_from"]
    for line in old["lines"]:
        del line["carry"]
    back = stub_from_json(old)
    assert rows(back) == rows(stub)
    assert "$21.00 (set)" in render_text(back)
