"""The ledger's text of an instant (``2026-11-02T16:03:00Z``): written by ``iso_utc``, read back by
``from_iso_utc`` (a hot path: every punch and approval read), and nothing else accepted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ot.core.timez import from_iso_utc, iso_utc

instants = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)).map(
    lambda d: d.replace(microsecond=0)
)


@given(instants)
def test_an_instant_reads_back_as_written(moment: datetime) -> None:
    text = iso_utc(moment)
    back = from_iso_utc(text)
    assert back == moment
    assert back.tzinfo is UTC
    assert iso_utc(back) == text


@given(
    st.datetimes(timezones=st.sampled_from([timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30))]))
)
def test_any_zone_is_written_as_utc(moment: datetime) -> None:
    assert from_iso_utc(iso_utc(moment)) == moment.replace(microsecond=0)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-02T16:03:00",  # no Z
        "2026-11-02 16:03:00Z",  # a space
        "2026-11-02T16:03:00+00:00",  # an offset, not the Z
        "2026-11-02T16:03+01Z",  # an offset hidden before the Z
        "2026-11-02T16:03:00.5Z",  # fractions
        "2026-13-02T16:03:00Z",  # no 13th month
    ],
)
def test_other_forms_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        from_iso_utc(text)
