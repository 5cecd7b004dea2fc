"""The Period setup screen's read and write (ot.services.periods_view): the calendar with every
configuration and the last paid date; the form's text read like `ot period configure`'s options,
each bad field named, the service's own refusals renamed to the form's fields."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ot.core.errors import OtError, PermissionDenied, Problem
from ot.core.periods import PayPeriodConfig
from ot.services.periods_view import config_text, configure_from_form, period_setup

NOW = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)


def test_a_ledger_not_yet_created_shows_the_default(tmp_path: Path) -> None:
    setup = period_setup(tmp_path / "none.db", date(2026, 11, 5), 3)
    assert len(setup.listing.periods) == 3
    assert setup.listing.hint is not None
    assert setup.last_paid is None
    assert not (tmp_path / "none.db").exists()


def test_configure_then_read(demo_ledger: Path) -> None:
    result = configure_from_form(
        demo_ledger,
        frequency="weekly",
        anchor="2026-11-08",
        pay_date_offset=" 3 ",
        effective="2026-11-08",
        actor="A1",
        now=NOW,
    )
    assert result.added
    setup = period_setup(demo_ledger, date(2026, 11, 9), 2)
    assert setup.configs[-1] == PayPeriodConfig("weekly", date(2026, 11, 8), 3, date(2026, 11, 8))
    assert [(p.start, p.end, p.pay_date) for p in setup.listing.periods] == [
        (date(2026, 11, 8), date(2026, 11, 14), date(2026, 11, 17)),
        (date(2026, 11, 15), date(2026, 11, 21), date(2026, 11, 24)),
    ]
    assert (
        config_text(setup.configs[-1]) == "weekly from 2026-11-08, paid 3 days after the end (in force from 2026-11-08)"
    )


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        (
            {"anchor": "", "pay_date_offset": "five", "effective": "next week"},
            [
                Problem("anchor", "give the first day of some period (YYYY-MM-DD)"),
                Problem("effective", "'next week' is not a date: write it as YYYY-MM-DD, e.g. 2026-11-02"),
                Problem("pay date offset", "'five' is not a whole number of days: give 0 to 31"),
            ],
        ),
        (
            {"anchor": "2026-11-08", "pay_date_offset": "-1", "effective": ""},
            [Problem("pay date offset", "-1 is out of range: give 0 to 31 days")],
        ),
    ],
)
def test_bad_fields_are_named(demo_ledger: Path, fields: dict[str, str], problems: list[Problem]) -> None:
    with pytest.raises(OtError) as refused:
        configure_from_form(demo_ledger, frequency="weekly", actor="A1", now=NOW, **fields)
    assert list(refused.value.problems) == problems


def test_the_service_refusals_name_the_form_fields(demo_ledger: Path) -> None:
    with pytest.raises(OtError) as refused:  # semimonthly periods start on a 1st or a 16th
        configure_from_form(
            demo_ledger,
            frequency="semimonthly",
            anchor="2026-11-08",
            pay_date_offset="5",
            effective="",
            actor="A1",
            now=NOW,
        )
    assert [p.where for p in refused.value.problems] == ["anchor"]
    with pytest.raises(PermissionDenied, match="may not configure pay periods"):
        configure_from_form(
            demo_ledger,
            frequency="weekly",
            anchor="2026-11-08",
            pay_date_offset="5",
            effective="2026-11-08",
            actor="M1",
            now=NOW,
        )
