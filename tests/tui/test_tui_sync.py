"""The Sync report screen: the Hours Sync Report (Sent / Send / Error per shift) sent from the keyboard.

Flows on a private copy of the demo company, with a csv target in the test's folder
(docs/sync-csv.md) or the fake Everee server of tests/sync for the Error case; each
flow checks what the ledger holds afterwards (``sync.*`` events).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from textual.widgets import Static
from tui_helpers import NOW, screenshot, settle

from ledger.approvals import SHIFT_APPROVED
from ledger.store import Ledger
from ot.services.approvals import approve_shifts
from ot.services.sync_view import send_shift, sync_view
from tui.app import OtApp
from tui.screens.sync import SyncScreen
from tui.widgets.approval_dialogs import ConfirmScreen
from tui.widgets.sync_table import SyncTable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sync"))
from fake_everee import FakeEveree  # tests/sync is not a package: on the path above

pytestmark = pytest.mark.anyio

MakeApp = Callable[..., OtApp]

#: The demo's first workweek (Sunday 2026-10-25); W01 works Mon-Fri.
WEEK1 = date(2026, 10, 25)

CSV_CONFIG = """
[targets.files]
kind = "csv"
folder = "feeds"
"""

EVEREE_CONFIG = """
[targets.everee]
kind = "everee"
base_url = "{url}"
tenant_id = "42"
token_env = "OT_TEST_EVEREE_TOKEN"
timeout_seconds = 0.4
retries = 0
work_locations = {{ LGB = 101, LAS = 102 }}
"""


def write_config(ledger_path: Path, text: str) -> None:
    ledger_path.with_name(ledger_path.stem + ".sync.toml").write_text(text)


def sync_events(path: Path, kind: str) -> list[tuple[str, str]]:
    """(target, shift_id) of every event of ``kind``."""
    with Ledger.open(path, create=False) as led:
        return [(e.payload["target"], e.payload["shift_id"]) for e in led.events(kind=kind)]


def approve_week(path: Path, worker: str = "W01", manager: str = "M1") -> list[str]:
    """Approve a worker's first week as their manager (step 1); the shift ids approved."""
    result = approve_shifts(path, worker_id=worker, week=WEEK1, actor=manager, now=NOW)
    assert len(result.done) == 5
    with Ledger.open(path, create=False) as led:
        return sorted(e.payload["shift_id"] for e in led.events(kind=SHIFT_APPROVED))


async def open_sync(app: OtApp, pilot) -> SyncScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await pilot.press("s")
    await settle(app, pilot)
    assert isinstance(app.screen, SyncScreen)
    return app.screen


def statuses(screen: SyncScreen) -> dict[str, str]:
    """shift id -> status cell as shown."""
    table = screen.query_one("#sync-table", SyncTable)
    return {str(table.get_row_at(i)[3]): str(table.get_row_at(i)[6]) for i in range(table.row_count)}


def detail(screen: SyncScreen) -> str:
    return str(screen.query_one("#sync-detail", Static).render())


@pytest.fixture
def everee(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEveree]:
    """The fake Everee server; it knows W09 but not W10."""
    monkeypatch.setenv("OT_TEST_EVEREE_TOKEN", "tok-123")
    fake = FakeEveree(workers={"W09"}).start()
    try:
        yield fake
    finally:
        fake.stop()


async def test_without_a_config_it_says_how_to_write_one(demo_ledger: Path, make_app: MakeApp) -> None:
    """No ``ledger.sync.toml``: no table, a message naming the file looked for and docs/sync-csv.md."""
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sync(app, pilot)
        text = detail(screen)
        assert "No sync target is configured" in text
        assert "ledger.sync.toml" in text
        assert "docs/sync-csv.md" in text
        assert not screen.query_one("#sync-table", SyncTable).display


async def test_approved_shifts_show_as_send_and_a_key_sends_one(demo_ledger: Path, make_app: MakeApp) -> None:
    """Approved shifts wait as Send; enter sends the selected one (off the UI thread), which then
    shows Sent with the time, and the ledger holds its ``sync.sent``; the others still wait."""
    write_config(demo_ledger, CSV_CONFIG)
    sids = approve_week(demo_ledger)
    assert len(sids) == 5
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sync(app, pilot)
        assert statuses(screen) == dict.fromkeys(sids, "Send")
        assert "waiting: never sent" in detail(screen)
        assert "Target files · Error 0 · Send 5 · Sent 0 · roster refreshed never (no source)" in str(
            screen.query_one("#sync-head", Static).render()
        )
        first = screen.query_one("#sync-table", SyncTable).get_row_at(0)[3]
        await pilot.press("enter")
        await settle(app, pilot)
        shown = statuses(screen)
        assert shown[str(first)] == "Sent 11-05 17:00Z"
        assert sorted(v for k, v in shown.items() if k != str(first)) == ["Send"] * 4
        assert "Sent 2026-11-05 17:00Z" in detail(screen)
        sends = [n.message for n in app._notifications if n.message.startswith("Sending")]
        assert sends == [f"Sending {first} to files..."]  # enter sent it once
    assert sync_events(demo_ledger, "sync.sent") == [("files", str(first))]
    assert list((demo_ledger.parent / "feeds").glob("*/timecards.csv"))


async def test_send_everything_waiting_after_a_confirmation(demo_ledger: Path, make_app: MakeApp) -> None:
    """S asks first (n sends nothing); confirmed with y, every waiting shift is Sent."""
    write_config(demo_ledger, CSV_CONFIG)
    sids = approve_week(demo_ledger)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sync(app, pilot)
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert sync_events(demo_ledger, "sync.sent") == []
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert statuses(screen) == dict.fromkeys(sids, "Sent 11-05 17:00Z")
    assert sorted(s for _t, s in sync_events(demo_ledger, "sync.sent")) == sids


async def test_send_an_error_shift_after_fixing_its_cause(
    demo_ledger: Path, make_app: MakeApp, everee: FakeEveree
) -> None:
    """Everee refuses W10 of Las Vegas (a worker it does not know): every shift is Error, and the
    selected one shows the target's message in full with what to do. Once the worker exists at
    Everee, x sends the selected shift again and it becomes Sent (issue 7's required flow).
    (Las Vegas shifts have no REST breaks, which Everee has no segment code for.)"""
    write_config(demo_ledger, EVEREE_CONFIG.format(url=everee.url))
    sids = approve_week(demo_ledger, "W10", "M2")
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sync(app, pilot)
        await pilot.press("S", "y")
        await settle(app, pilot)
        assert statuses(screen) == dict.fromkeys(sids, "Error")
        failed = sync_events(demo_ledger, "sync.failed")
        assert sorted(s for _t, s in failed) == sids
        text = detail(screen)
        row = screen.rows[screen.query_one("#sync-table", SyncTable).selected_key() or ""]
        assert row.status == "Error"
        assert row.detail
        assert f"Error: {row.detail}" in text  # the whole message, not cut
        assert "What to do:" in text
        assert "worker W10 is not known" in row.detail
        everee.workers.add("W10")  # the cause fixed at the target
        await pilot.press("down")
        await pilot.pause()
        table = screen.query_one("#sync-table", SyncTable)
        chosen = screen.rows[table.selected_key() or ""].shift_id
        assert chosen != row.shift_id
        await pilot.press("x")
        await settle(app, pilot)
        shown = statuses(screen)
        assert shown[chosen] == "Sent 11-05 17:00Z"
        assert sorted(v for s, v in shown.items() if s != chosen) == ["Error"] * 4
        assert screen.rows[table.selected_key() or ""].shift_id == chosen  # the cursor stayed on it
        assert "Sent 2026-11-05 17:00Z" in detail(screen)
    assert sync_events(demo_ledger, "sync.sent") == [("everee", chosen)]
    assert len(everee.shifts) == 1


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_sync_report_snapshot(
    demo_ledger: Path, make_app: MakeApp, snapshot_svg: SnapshotAssertion, size: tuple[int, int]
) -> None:
    """The Sync report with the csv target ``files``: the header line "Target files · Error 0 ·
    Send 4 · Sent 1 · roster refreshed never (no source)"; the five approved shifts of W01 Ines
    Patel in the week of 10-25, each flagged "10-25 !" (the week needs attention): S723 Mon 10-26
    "Sent 11-05 17:00Z" (the theme's success colour, bold on the cursor row), S729-S747
    Tue-Fri "Send" in the warning colour; the panel below on the selected S723: "S723 · W01 Mon
    2026-10-26 07:56-16:31 · target files" and "Sent 2026-11-05 17:00Z (at the target as
    2026-10-25_2026-11-07/timecards.csv)"; the footer x Send shift, S Send all, R Refresh,
    u Roster, ? Keys, q Quit. The same at 80x24, the table shorter."""
    write_config(demo_ledger, CSV_CONFIG)
    sids = approve_week(demo_ledger)
    first = sync_view(demo_ledger, now=NOW).weeks[0].rows[0].shift_id
    assert first in sids
    send_shift(demo_ledger, first, "files", actor="A1", now=NOW)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=size) as pilot:
        await open_sync(app, pilot)
        assert await screenshot(app, pilot) == snapshot_svg


async def test_roster_refresh_from_the_keyboard(demo_ledger: Path, make_app: MakeApp) -> None:
    """u pulls the configured workers file now: the new worker is in the ledger, a
    ``sync.roster_refreshed`` is recorded, and the header line says when."""
    (demo_ledger.parent / "roster.csv").write_text(
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"
        "W99,Nia Newhire,W2,21.00,LGB,M1,worker,,,\n"
    )
    write_config(demo_ledger, CSV_CONFIG + '\n[roster]\nworkers_file = "roster.csv"\n')
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sync(app, pilot)
        head = screen.query_one("#sync-head", Static)
        assert "roster refreshed never" in str(head.render())
        await pilot.press("u")
        await settle(app, pilot)
        assert "roster refreshed 2026-11-05 17:00Z" in str(head.render())
        assert "Nothing to sync yet" in detail(screen)
    with Ledger.open(demo_ledger, create=False) as led:
        assert len(list(led.events(kind="sync.roster_refreshed"))) == 1
        assert any(e.payload.get("worker_id") == "W99" for e in led.events(kind="worker."))


async def test_roster_refresh_without_a_source_says_what_to_do(demo_ledger: Path, make_app: MakeApp) -> None:
    """u with no [roster] workers_file: an error notification saying what to add; nothing written."""
    write_config(demo_ledger, CSV_CONFIG)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_sync(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("no roster source is configured" in m and "workers_file" in m for m in messages)
    with Ledger.open(demo_ledger, create=False) as led:
        assert list(led.events(kind="sync.roster_refreshed")) == []


async def test_a_broken_config_shows_its_error(demo_ledger: Path, make_app: MakeApp) -> None:
    """A sync config that is not TOML: the error (naming the file) as a notification, no table."""
    write_config(demo_ledger, "[targets.files\n")
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sync(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("ledger.sync.toml is not valid TOML" in m for m in messages)
        assert "cannot be read" in str(screen.query_one("#sync-head", Static).render())
        assert screen.rows == {}


def test_sync_view_reads_config_report_and_refresh(demo_ledger: Path) -> None:
    """The service behind the screen, without the UI: no config -> not configured, no rows;
    with the csv target and an approved week -> five Send rows; after one send, Sent 1."""
    view = sync_view(demo_ledger, now=NOW)
    assert not view.configured
    assert view.weeks == ()
    assert view.config_file == demo_ledger.with_name("ledger.sync.toml")
    write_config(demo_ledger, CSV_CONFIG)
    sids = approve_week(demo_ledger)
    view = sync_view(demo_ledger, now=NOW)
    assert view.configured
    assert view.targets == ("files",)
    assert (view.count("Send"), view.count("Sent"), view.count("Error")) == (5, 0, 0)
    assert view.last_refresh is None
    run = send_shift(demo_ledger, sids[0], "files", actor="A1", now=NOW)
    assert run.count("sent") == 1
    view = sync_view(demo_ledger, now=NOW)
    assert (view.count("Send"), view.count("Sent")) == (4, 1)


async def test_a_send_by_another_process_shows_up(demo_ledger: Path, make_app: MakeApp) -> None:
    """A shift sent outside the app (as by `ot sync send` in another terminal) shows as Sent at
    the next poll, without a key press: the poll sees the ledger's head move."""
    write_config(demo_ledger, CSV_CONFIG)
    sids = approve_week(demo_ledger)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sync(app, pilot)
        assert statuses(screen)[sids[2]] == "Send"
        send_shift(demo_ledger, sids[2], "files", actor="A1", now=NOW)
        app.check_ledger()  # what the app's poll timer calls
        await settle(app, pilot)
        assert statuses(screen)[sids[2]] == "Sent 11-05 17:00Z"
