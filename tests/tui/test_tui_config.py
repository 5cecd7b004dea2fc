"""The user's config file (ot/services/user_config.py): each key, each bad input with its
file:line and key, and what the app does with it (keymap, theme saved, period view, a bad
file opening on the defaults with a notification). Also the roster refresh on a schedule
while the app is open."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tui_helpers import NOW, palette, settle

from ledger.store import Ledger
from ot.core.errors import OtError
from ot.services import user_config
from ot.services.browse import latest_day
from ot.services.stub_export import period_day
from ot.services.user_config import UserConfig, display_rate_policy, load_user_config, opening_day, save_theme
from tui.app import OtApp
from tui.screens.timecards import TimecardsScreen

MakeApp = Callable[..., OtApp]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(OtError) as caught:
        load_user_config(path)
    return [f"{p.where}: {p.message}" for p in caught.value.problems]


# --- the service ------------------------------------------------------------------------


def test_the_file_lives_in_the_user_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_config.default_path() == tmp_path / "ot" / "config.toml"


def test_no_file_is_the_defaults(tmp_path: Path) -> None:
    config = load_user_config(tmp_path / "absent.toml")
    assert config == UserConfig()
    assert (config.theme, config.period, config.display_rate, dict(config.keymap)) == (None, "latest", "profile", {})


def test_every_key_is_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'theme = "nord"\nperiod = "previous"\ndisplay_rate = "regular_rate"\n\n'
        '[keymap]\n"timecards.explain" = "x"\n"stubs.export_html" = "ctrl+h,H"\n',
    )
    config = load_user_config(path)
    assert config.theme == "nord"
    assert config.period == "previous"
    assert config.display_rate == "regular_rate"
    assert dict(config.keymap) == {"timecards.explain": "x", "stubs.export_html": "ctrl+h,H"}
    assert config.where("keymap.stubs.export_html") == f"{path}:7 keymap.stubs.export_html"
    assert display_rate_policy(path) == "regular_rate"


@pytest.mark.parametrize("policy", ["none", "profile", "regular_rate"])
def test_each_display_rate_policy(tmp_path: Path, policy: str) -> None:
    assert display_rate_policy(_write(tmp_path, f'display_rate = "{policy}"\n')) == policy


def test_a_file_that_is_not_toml_names_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, 'theme = "nord"\nperiod = \n')
    assert _problems(path) == [f"{path}:2:10: Invalid value; fix that line (or move the file away to use the defaults)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('colour = "red"\n', "{path}:1 colour: unknown key; the keys are theme, period, display_rate, keymap"),
        ("theme = 3\n", '{path}:1 theme: must be a theme name in quotes, e.g. theme = "nord"'),
        ('\nperiod = "weekly"\n', "{path}:2 period: is 'weekly': must be one of latest, current, previous"),
        ('display_rate = "always"\n', "{path}:1 display_rate: is 'always': must be one of none, profile, regular_rate"),
        ('keymap = "x"\n', '{path}:1 keymap: must be a table: [keymap] then "screen.action" = "key" lines'),
        (
            '[keymap]\n"timecards.explain" = 5\n',
            '{path}:2 keymap.timecards.explain: must be a key in quotes, e.g. "ctrl+a" (several: "a,ctrl+a")',
        ),
        (
            '[keymap]\n"timecards.explain" = "ctrl+"\n',
            "{path}:2 keymap.timecards.explain: 'ctrl+' is not a key (e.g. a, ctrl+a, f5, space)",
        ),
    ],
)
def test_each_bad_value_names_the_line_and_the_key(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    assert _problems(path) == [expected.format(path=path)]


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = _write(tmp_path, 'period = "x"\ndisplay_rate = "y"\n')
    assert [p.split(":")[1] for p in _problems(path)] == ["1 period", "2 display_rate"]


def test_an_unreadable_file_says_why(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    with pytest.raises(OtError, match="cannot read the config file"):
        load_user_config(path)


def test_saving_the_theme_keeps_every_other_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '# mine\nperiod = "current"\n\n[keymap]\n"timecards.explain" = "x"\n')
    save_theme(path, "nord")
    assert path.read_text() == 'theme = "nord"\n# mine\nperiod = "current"\n\n[keymap]\n"timecards.explain" = "x"\n'
    save_theme(path, "gruvbox")
    assert load_user_config(path).theme == "gruvbox"
    assert path.read_text().count("theme =") == 1
    fresh = tmp_path / "new" / "config.toml"
    save_theme(fresh, "nord")
    assert load_user_config(fresh).theme == "nord"
    with pytest.raises(OtError, match="cannot save the theme"):
        save_theme(path, 'x"\n[keymap]')


def test_the_period_view_chooses_the_opening_day(demo_ledger: Path) -> None:
    today = NOW.date()
    latest = latest_day(demo_ledger, today)
    assert opening_day(demo_ledger, today, "latest") == latest
    assert opening_day(demo_ledger, today, "current") == today
    assert opening_day(demo_ledger, today, "previous") == period_day(demo_ledger, latest, -1)
    assert opening_day(demo_ledger, today, "previous") < latest


# --- the app ------------------------------------------------------------------------------


def _app(path: Path, config: Path, user: str = "tester") -> OtApp:
    return OtApp(path, user, NOW, poll_seconds=3600, roster_seconds=0, config_file=config, blink=False)


@pytest.mark.anyio
async def test_the_keymap_remaps_a_key_and_the_palette_shows_it(demo_ledger: Path, tmp_path: Path) -> None:
    """``"timecards.explain" = "x"``: x opens the explain panel, e no longer does, and the
    palette names the key x."""
    config = _write(tmp_path, '[keymap]\n"timecards.explain" = "x"\n')
    app = _app(demo_ledger, config)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TimecardsScreen)
        await pilot.press("e")
        assert not screen.explaining
        await pilot.press("x")
        assert screen.explaining
        assert palette(screen)["Explain the shift"].key == "x"
        assert not app._notifications


@pytest.mark.anyio
async def test_the_theme_is_applied_and_a_change_is_saved(demo_ledger: Path, tmp_path: Path) -> None:
    config = _write(tmp_path, 'theme = "nord"\n')
    app = _app(demo_ledger, config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.theme == "nord"
        app.theme = "gruvbox"
        await settle(app, pilot)
    assert load_user_config(config).theme == "gruvbox"


@pytest.mark.anyio
async def test_the_period_view_opens_the_previous_period(demo_ledger: Path, tmp_path: Path) -> None:
    config = _write(tmp_path, 'period = "previous"\n')
    app = _app(demo_ledger, config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TimecardsScreen)
        assert screen.day == period_day(demo_ledger, latest_day(demo_ledger, NOW.date()), -1)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('theme = "nord"\nperiod = \n', "config.toml:2:10"),
        ('theme = "no-such-theme"\n', "config.toml:1 theme: no theme 'no-such-theme'"),
        ('[keymap]\n"timecards.nothing" = "x"\n', "config.toml:2 keymap.timecards.nothing: no binding has this id"),
        # A review: a key another binding answers (the app's on every screen) silently took it over.
        ('[keymap]\n"go.sync" = "t"\n', "config.toml:2 keymap.go.sync: 't' is already the key of go.timecards"),
        (
            '[keymap]\n"timecards.explain" = "q"\n',
            "config.toml:2 keymap.timecards.explain: 'q' is already the key of quit",
        ),
    ],
)
async def test_a_bad_config_opens_on_the_defaults_with_a_notification(
    demo_ledger: Path, tmp_path: Path, text: str, where: str
) -> None:
    config = _write(tmp_path, text)
    app = _app(demo_ledger, config)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TimecardsScreen)
        assert app.theme == "textual-dark"
        assert app.keymap == {}
        messages = [n.message for n in app._notifications]
        assert any(where in m and "ot opened with the defaults" in m for m in messages), messages
    assert config.read_text() == text  # the user's file is left for them to fix


# --- the roster refresh while the app is open ----------------------------------------------


def _roster(ledger: Path, rows: str) -> None:
    (ledger.parent / "roster.csv").write_text(
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n" + rows
    )
    ledger.with_name(ledger.stem + ".sync.toml").write_text('[roster]\nworkers_file = "roster.csv"\n')


@pytest.mark.anyio
async def test_the_roster_refreshes_on_a_schedule(demo_ledger: Path, make_app: MakeApp) -> None:
    """Each tick of the roster timer runs auto_refresh in a worker: a due refresh pulls the new
    hire, says so in a notification, and the worker list shows them; the next tick (not due
    for 24 hours) does nothing."""
    _roster(demo_ledger, "W99,Nia Newhire,W2,21.00,LGB,M1,worker,,,\n")
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TimecardsScreen)
        assert "40 workers" in str(screen.query_one("#filter-line").render())
        app.check_roster()  # what the roster timer does every roster_seconds
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Roster refreshed from") and "roster.csv" in m for m in messages), messages
        assert "41 workers" in str(screen.query_one("#filter-line").render())
        app.check_roster()
        await settle(app, pilot)
        assert len(app._notifications) == len(messages)
    with Ledger.open(demo_ledger, create=False) as led:
        assert len(list(led.events(kind="sync.roster_refreshed"))) == 1


@pytest.mark.anyio
async def test_a_failing_scheduled_refresh_is_said_once(demo_ledger: Path, make_app: MakeApp) -> None:
    _roster(demo_ledger, "W99,Nia Newhire,W2,not-a-rate,LGB,M1,worker,,,\n")
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        for _ in range(2):
            app.check_roster()
            await settle(app, pilot)
        failures = [n.message for n in app._notifications if "scheduled roster refresh failed" in n.message]
        assert len(failures) == 1
        assert "roster.csv:2" in failures[0]


def test_the_roster_timer_runs_by_default() -> None:
    app = OtApp(Path("x.db"), "tester", NOW, config_file=None)
    assert app.roster_seconds > 0
