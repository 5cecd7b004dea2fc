"""``ot period`` and ``ot employer``: configuration kept in the ledger as events."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.events import NewEvent
from ledger.store import Ledger
from ot.cli import main
from ot.core.errors import OtError
from ot.core.periods import PayPeriodConfig
from ot.services import periods as service

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def kinds(path: Path) -> list[str]:
    with Ledger.open(path, create=False) as ledger:
        return [e.kind for e in ledger.events()]


def test_default_when_nothing_is_configured(ledger_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["period", "show", "--date", "2026-11-20"])
    assert result.exit_code == 0, result.stderr
    assert "pay periods are not configured" in result.stderr
    assert "ot period configure" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Pay periods: biweekly from 2026-10-11, paid 5 days after the end"
    assert lines[2] == "> 2026-11-08  2026-11-21  2026-11-26    14"
    assert len(lines) == 2 + 4 + 1
    assert lines[-1] == (
        "approve by FRI 2026-11-20 (Thanksgiving Day moved it earlier; before the period ends on 2026-11-21)"
    )
    assert not ledger_path.exists()  # reading never creates a ledger


def test_configure_then_show(ledger_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(
        main, ["period", "configure", "--frequency", "semimonthly", "--anchor", "2026-11-01", "--pay-date-offset", "3"]
    )
    assert result.exit_code == 0, result.stderr
    assert "first period: 2026-11-01 to 2026-11-15, paid 2026-11-18" in result.stdout
    shown = cli.invoke(main, ["period", "show", "--date", "2026-11-20", "--count", "2"])
    assert shown.exit_code == 0
    assert shown.stderr == ""
    assert shown.stdout.splitlines()[2:] == [
        "> 2026-11-16  2026-11-30  2026-12-03    15",
        "  2026-12-01  2026-12-15  2026-12-18    15",
        "approve by TUE 2026-12-01",
    ]
    again = cli.invoke(
        main, ["period", "configure", "--frequency", "semimonthly", "--anchor", "2026-11-01", "--pay-date-offset", "3"]
    )
    assert "nothing was added" in again.stdout
    assert kinds(ledger_path).count("payperiod.configured") == 1


def test_bad_anchor_is_refused_and_nothing_written(ledger_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["period", "configure", "--frequency", "semimonthly", "--anchor", "2026-11-02"])
    assert result.exit_code == 2
    assert "--anchor: 2026-11-02 is not the first day of a semi-monthly period: use a 1st or a 16th" in result.stderr
    assert "nothing was written" in result.stderr
    assert result.stdout == ""
    assert not ledger_path.exists() or "payperiod.configured" not in kinds(ledger_path)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--frequency", "monthly", "--anchor", "2026-11-01"], "'monthly' is not one of"),
        (["--frequency", "weekly", "--anchor", "2026-13-01"], "is not a date: there is no month 13"),
        (
            ["--frequency", "weekly", "--anchor", "2026-11-01", "--pay-date-offset", "40"],
            "40 is out of range: give a whole number of days, 0 to 31",
        ),
        (["--frequency", "weekly", "--anchor", "2026-11-01", "--effective", "2026-11-03"], "--effective: 2026-11-03"),
    ],
)
def test_bad_options_are_usage_errors(ledger_path: Path, cli: CliRunner, args: list[str], words: str) -> None:
    result = cli.invoke(main, ["period", "configure", *args])
    assert result.exit_code == 2
    assert words in result.stderr
    assert not ledger_path.exists() or "payperiod.configured" not in kinds(ledger_path)


def test_show_bad_date(ledger_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["period", "show", "--date", "next week"])
    assert result.exit_code == 2
    assert "Invalid value for '--date'" in result.stderr
    assert result.stdout == ""


def test_show_bad_count(ledger_path: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["period", "show", "--date", "2026-11-01", "--count", "0"])
    assert result.exit_code == 2
    assert "--count: 0 is out of range" in result.stderr


def test_effective_change_keeps_earlier_periods(ledger_path: Path) -> None:
    service.configure_periods(
        ledger_path, frequency="biweekly", anchor=date(2026, 10, 11), pay_date_offset=5, effective=None,
        actor="tester", now=NOW,
    )  # fmt: skip
    service.configure_periods(
        ledger_path, frequency="semimonthly", anchor=date(2027, 1, 1), pay_date_offset=3,
        effective=date(2027, 1, 1), actor="tester", now=NOW,
    )  # fmt: skip
    before = service.period_of(ledger_path, date(2026, 12, 25))
    assert (before.start, before.end, before.frequency) == (date(2026, 12, 20), date(2026, 12, 31), "biweekly")
    after = service.period_of(ledger_path, date(2027, 1, 2))
    assert (after.start, after.end, after.frequency) == (date(2027, 1, 1), date(2027, 1, 15), "semimonthly")
    # Without --effective, a new configuration replaces every earlier one.
    service.configure_periods(
        ledger_path, frequency="weekly", anchor=date(2026, 10, 4), pay_date_offset=2, effective=None,
        actor="tester", now=NOW,
    )  # fmt: skip
    settings = service.current_settings(ledger_path)
    assert settings.configured
    assert settings.schedule.configs == (PayPeriodConfig("weekly", date(2026, 10, 4), 2),)


def test_configuration_events_are_recorded_with_the_actor(ledger_path: Path, cli: CliRunner) -> None:
    cli.invoke(main, ["period", "configure", "--frequency", "weekly", "--anchor", "2026-11-01"])
    with Ledger.open(ledger_path, create=False) as ledger:
        (event,) = list(ledger.events(kind="payperiod.configured"))
    assert event.actor == "A1"
    assert dict(event.payload) == {
        "frequency": "weekly",
        "anchor": "2026-11-01",
        "pay_date_offset": 5,
        "effective": None,
    }


def test_employer_set_and_show(ledger_path: Path, cli: CliRunner) -> None:
    shown = cli.invoke(main, ["employer", "show"])
    assert shown.stdout == "Unnamed employer\n"
    assert "ot employer set" in shown.stderr
    result = cli.invoke(
        main, ["employer", "set", "--name", "  Acme   Staffing LLC ", "--address", "1 Main St", "--address", "Town, IL"]
    )
    assert result.exit_code == 0, result.stderr
    shown = cli.invoke(main, ["employer", "show"])
    assert shown.stdout == "Acme Staffing LLC\n1 Main St\nTown, IL\n"
    assert shown.stderr == ""
    again = cli.invoke(
        main, ["employer", "set", "--name", "Acme Staffing LLC", "--address", "1 Main St", "--address", "Town, IL"]
    )
    assert "nothing was added" in again.stdout
    assert kinds(ledger_path).count("employer.configured") == 1


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["--name", "   "], "--name"),
        (["--name", "Acme", "--address", ""], "--address #1"),
        (["--name", "x" * 201], "--name"),
        (["--name", "Acme", *(["--address", "a"] * 7)], "--address"),
    ],
)
def test_employer_bad_input(ledger_path: Path, cli: CliRunner, args: list[str], where: str) -> None:
    result = cli.invoke(main, ["employer", "set", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{where}: ")
    assert "nothing was written" in result.stderr
    assert not ledger_path.exists() or "employer.configured" not in kinds(ledger_path)


def test_service_refuses_bad_config_naming_the_option(ledger_path: Path) -> None:
    with pytest.raises(OtError) as info:
        service.configure_periods(
            ledger_path, frequency="weekly", anchor=date(2026, 1, 1), pay_date_offset=99, effective=None,
            actor="t", now=NOW,
        )  # fmt: skip
    assert [p.where for p in info.value.problems] == ["--pay-date-offset"]


def test_a_damaged_configuration_event_is_refused(ledger_path: Path, cli: CliRunner) -> None:
    """The event catalog checks a pay-period configuration on append: a damaged one never gets in."""
    with Ledger.open(ledger_path) as ledger:
        with pytest.raises(ValueError, match=r"payperiod.configured: payload\['frequency'\] = 'fortnightly'"):
            ledger.append(
                [
                    NewEvent(
                        "payperiod.configured",
                        {"frequency": "fortnightly", "anchor": "2026-10-11", "pay_date_offset": 5, "effective": None},
                    )
                ],
                actor="tester",
                now=NOW,
            )
        assert ledger.count() == 0
    result = cli.invoke(main, ["period", "show", "--date", "2026-11-01"])
    assert result.exit_code == 0
