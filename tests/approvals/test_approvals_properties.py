"""Properties of corrections: whatever edits follow a pay run, the corrections add up."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from approvals_helpers import approve_and_pay, company, week_of_8h
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ot.core.errors import OtError
from ot.services.entries import ShiftInput, edit_shift
from ot.services.uow import unit_of_work

NOW = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)
WEEK = date(2026, 10, 11)
DAYS = ["2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15", "2026-10-16"]


@pytest.fixture(scope="module")
def paid_ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """W2 (Texas) and W1 (California) paid for five 8-hour days in the week of 2026-10-11."""
    tmp = tmp_path_factory.mktemp("paid")
    mp = pytest.MonkeyPatch()
    mp.setenv("OT_LEDGER", str(tmp / "ledger.db"))
    try:
        cli = CliRunner()
        company(cli, tmp)
        sids = week_of_8h(cli, "W2", DAYS) + week_of_8h(cli, "W1", DAYS)
        approve_and_pay(cli, "2026-10-12")
    finally:
        mp.undo()
    return tmp / "ledger.db", sids


edits = st.lists(
    st.tuples(st.integers(0, 9), st.integers(9, 23), st.sampled_from(["00", "15", "30", "45"])), min_size=1, max_size=4
)


@settings(max_examples=25)
@given(changes=edits)
def test_corrections_add_up_to_the_recomputed_week(
    paid_ledger: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[int, int, str]]
) -> None:
    """After any edits of paid shifts (new out-times), the signed corrections of each worker
    sum to what the week now pays on its paid dates minus what the pay run paid, and the
    last correction's corrected gross is that recomputed amount."""
    source, sids = paid_ledger
    path = tmp_path_factory.mktemp("ex") / "ledger.db"
    shutil.copy(source, path)
    for i, (which, hour, minute) in enumerate(changes):
        try:
            edit_shift(
                path,
                sids[which],
                given=ShiftInput(end=f"{hour:02d}:{minute}"),
                reason=f"edit {i}",
                correction_authorized=True,
                actor="A1",
                now=NOW + timedelta(minutes=i),
            )
        except OtError as exc:  # the same end again: refused, nothing written
            if "nothing changes" not in exc.render():
                raise
    with unit_of_work(path) as uow:
        for worker in ("W1", "W2"):
            [paid] = uow.pay.payments_of(worker)
            assert paid.paid_from is not None
            assert paid.paid_through is not None
            week = uow.price([worker], WEEK, WEEK + timedelta(days=6)).week(worker, WEEK)
            assert week is not None
            now_owed = sum(
                (ln.amount for ln in week.result.lines if paid.paid_from <= ln.date <= paid.paid_through),
                Decimal("0.00"),
            )
            mine = uow.pay.corrections(worker)
            assert sum((c.signed for c in mine), Decimal(0)) == now_owed - paid.gross
            if mine:
                assert mine[-1].corrected_gross == now_owed
