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
from ot.core.errors import OtError
from ot.core.money import D
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
    assert "$20.00   8.00  $21.00 (shift)" in text
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
    assert "$21.00 (shift)" in result.stdout
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
    assert "$21.00 (shift)" in render_text(back)


# --- the workers import's optional display_rate column --------------------------------

LOCATIONS = "location_id,name,state,timezone\nL1,Chicago Warehouse,IL,America/Chicago\n"
HEADER = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override"


def workers_csv(tmp_path: Path, rows: str, *, display: bool = True, name: str = "workers.csv") -> str:
    header = HEADER + (",display_rate" if display else "")
    path = tmp_path / name
    path.write_text(f"{header}\n{rows}")
    return str(path)


def invoke(cli: CliRunner, *args: str) -> object:
    return cli.invoke(main, ["--as", "A1", *args])


@pytest.fixture
def imported(ledger_path: Path, tmp_path: Path, cli: CliRunner) -> Path:
    (tmp_path / "locations.csv").write_text(LOCATIONS)
    r = cli.invoke(main, ["import", "locations", str(tmp_path / "locations.csv")])
    assert r.exit_code == 0, r.stderr
    rows = "A1,Ann Admin,W2,40.00,L1,,admin,,,,\nW1,Wes Worker,W2,20.00,L1,A1,worker,,,,22.5\nW2,Vi Vo,W2,18.00,L1,A1,worker,,,,\n"
    r = invoke(cli, "import", "workers", workers_csv(tmp_path, rows))
    assert r.exit_code == 0, r.stderr
    return ledger_path


def roster(path: Path) -> dict[str, object]:
    with Ledger.open(path) as led:
        return {w.worker_id: w.display_rate for w in led.roster().values()}


def test_the_column_sets_a_workers_display_rate(imported: Path, tmp_path: Path, cli: CliRunner) -> None:
    assert roster(imported) == {"A1": None, "W1": D("22.50"), "W2": None}
    # The same file again adds nothing.
    rows = "A1,Ann Admin,W2,40.00,L1,,admin,,,,\nW1,Wes Worker,W2,20.00,L1,A1,worker,,,,22.5\nW2,Vi Vo,W2,18.00,L1,A1,worker,,,,\n"
    again = invoke(cli, "import", "workers", workers_csv(tmp_path, rows, name="again.csv"))
    assert again.exit_code == 0, again.stderr
    with Ledger.open(imported) as led:
        kinds = [e.kind for e in led.events()]
    assert kinds.count("worker.changed") == 0


def test_a_file_without_the_column_leaves_it_and_an_empty_cell_clears_it(
    imported: Path, tmp_path: Path, cli: CliRunner
) -> None:
    rows = "W1,Wes Worker,W2,20.00,L1,A1,worker,,,\n"
    r = invoke(cli, "import", "workers", workers_csv(tmp_path, rows, display=False, name="plain.csv"))
    assert r.exit_code == 0, r.stderr
    assert roster(imported)["W1"] == D("22.50")
    r = invoke(
        cli, "import", "workers", workers_csv(tmp_path, "W1,Wes Worker,W2,20.00,L1,A1,worker,,,,19\n", name="b.csv")
    )
    assert r.exit_code == 0, r.stderr
    assert roster(imported)["W1"] == D("19.00")
    r = invoke(
        cli, "import", "workers", workers_csv(tmp_path, "W1,Wes Worker,W2,20.00,L1,A1,worker,,,,\n", name="c.csv")
    )
    assert r.exit_code == 0, r.stderr
    assert roster(imported)["W1"] is None
    verify = invoke(cli, "ledger", "verify")
    assert verify.exit_code == 0, (verify.stdout, verify.stderr)


def test_a_bad_display_rate_is_refused_where_it_is(imported: Path, tmp_path: Path, cli: CliRunner) -> None:
    path = workers_csv(tmp_path, "W1,Wes Worker,W2,20.00,L1,A1,worker,,,,twenty\n", name="bad.csv")
    r = invoke(cli, "import", "workers", path)
    assert r.exit_code == 2
    assert "bad.csv:2:11" in r.stderr
    assert "display_rate" in r.stderr
    assert roster(imported)["W1"] == D("22.50")


def test_the_workers_display_rate_comes_before_the_policy(imported: Path, tmp_path: Path, cli: CliRunner) -> None:
    from .ledger_setup import shift as shift_event

    with Ledger.open(imported) as led:
        led.append(
            [
                shift_event("X1", "W1", "2026-10-12T09:00", "2026-10-12T17:00"),
                shift_event("X2", "W1", "2026-10-13T09:00", "2026-10-13T17:00", display_rate="25.00"),
            ],
            actor="tester",
            now=NOW,
        )
    for policy in ("none", "profile", "regular_rate"):
        stub = service.build_stub(imported, "W1", DAY, display_policy=policy)
        assert rows(stub) == [(D("20.00"), D("8"), D("22.50"), "worker"), (D("20.00"), D("8"), D("25.00"), "shift")]
    text = render_text(service.build_stub(imported, "W1", DAY))
    assert "$22.50 (worker)" in text
    assert "worker: the display rate set for the worker, shown where the shift sets none." in text


def test_the_cli_default_comes_from_the_users_config(demo_paid_ledger: Path) -> None:
    """`ot stub` without --display-rate uses display_rate of config.toml (platformdirs' folder);
    --display-rate still wins; a bad value is refused naming file:line."""
    import os

    from click.testing import CliRunner

    from ot.cli import main
    from ot.services.user_config import default_path

    config = default_path()
    assert str(config).startswith(os.environ["XDG_CONFIG_HOME"])
    config.parent.mkdir(parents=True, exist_ok=True)
    args = ["--ledger", str(demo_paid_ledger), "--as", "A1", "stub", "W02", "--period", "2026-11-02"]  # a preview
    try:
        config.write_text('display_rate = "none"\n')
        blank = CliRunner().invoke(main, args)
        assert blank.exit_code == 0, blank.stderr
        assert "(profile)" not in blank.stdout
        config.write_text('display_rate = "profile"\n')
        shown = CliRunner().invoke(main, args)
        assert "(profile)" in shown.stdout
        assert "(profile)" not in CliRunner().invoke(main, [*args, "--display-rate", "none"]).stdout
        config.write_text('display_rate = "always"\n')
        bad = CliRunner().invoke(main, args)
        assert bad.exit_code == 2
        assert f"{config}:1 display_rate" in bad.stderr
    finally:
        config.unlink(missing_ok=True)
