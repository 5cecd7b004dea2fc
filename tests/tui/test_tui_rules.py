"""The rules screen and its services (ot.services.whatif): highlighting from the grammar,
inline errors, format, what-if against the saved rules, and saving from an effective date.

Legal results pinned here: California's daily overtime, Cal. Lab. Code 510(a) ("any
work in excess of eight hours in one workday ... at the rate of no less than one and
one-half times the regular rate"), and the FLSA's weekly overtime, 29 U.S.C. 207(a)(1),
which still catches the hours a raised daily threshold lets through."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot
from tui_helpers import NOW, palette, screenshot, settle

from ot.core.errors import OtError
from ot.services.adopt import rules_history
from ot.services.whatif import (
    RulesError,
    adopt_edited,
    check_text,
    format_rules_text,
    line_spans,
    parse_effective,
    period_near,
    rules_to_edit,
    what_if,
)
from rules.files import default_rules_path
from tui.app import OtApp
from tui.screens.rules import EffectiveDateScreen, RulesScreen
from tui.widgets.rules_editor import RulesEditor

MakeApp = Callable[..., OtApp]
CA_DAILY = "    daily over 8h is OT x1.5  # Lab. Code 510(a)"


def _example() -> str:
    return default_rules_path().read_text(encoding="utf-8")


def _ca_daily_row(text: str) -> int:
    rows = [i for i, line in enumerate(text.split("\n")) if line == CA_DAILY]
    assert len(rows) == 1
    return rows[0]


# --- services, without the UI -----------------------------------------------------------------


def test_line_spans_follow_the_grammars_terminals() -> None:
    """Keywords, the hour class, amounts, codes, dates, strings and comments are told apart
    by the grammar's own terminals; a keyword inside a longer word is a name."""
    spans = line_spans(CA_DAILY)
    got = [(CA_DAILY[s.start : s.end], s.kind) for s in spans]
    assert got == [
        ("daily", "keyword"),
        ("over", "keyword"),
        ("8h", "number"),
        ("is", "keyword"),
        ("OT", "class"),
        ("x1.5", "number"),
        ("# Lab. Code 510(a)", "comment"),
    ]
    line = 'state CA extends federal { rules from 2026-01-01 { employer industry is "#retail" dailyx ~'
    kinds = {line[s.start : s.end]: s.kind for s in line_spans(line)}
    assert kinds["CA"] == "code"
    assert kinds["2026-01-01"] == "date"
    assert kinds['"#retail"'] == "string"  # a # inside quotes is no comment
    assert kinds["dailyx"] == "name"
    assert kinds["{"] == "punct"
    assert kinds["~"] == "unknown"


def test_check_text_locates_each_problem() -> None:
    """A bare number where hours are due is reported at its line and column."""
    text = _example()
    row = _ca_daily_row(text)
    bad = text.replace(CA_DAILY, CA_DAILY.replace("8h", "8"))
    problems = check_text(bad, "edited.ot")
    assert [(p.line, p.column, p.message) for p in problems] == [(row + 1, 16, "write the hours with a unit: 8h")]
    assert check_text(text, "edited.ot") == ()


def test_format_refuses_a_text_that_does_not_parse() -> None:
    """Formatting a broken text raises the located error; a good one is laid out."""
    text = _example()
    messy = text.replace(CA_DAILY, "    daily   over 8h is   OT x1.5  # Lab. Code 510(a)")
    assert format_rules_text(messy, "e.ot") == format_rules_text(text, "e.ot")
    with pytest.raises(RulesError) as caught:
        format_rules_text(text.replace(CA_DAILY, "    daily over is OT x1.5"), "e.ot")
    assert caught.value.rules_problems[0].where.startswith(f"e.ot:{_ca_daily_row(text) + 1}:")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "'' is not a date: write it as YYYY-MM-DD"),
        ("11/05/2026", "'11/05/2026' is not a date: write it as YYYY-MM-DD"),
        ("2026-02-30", "2026-02-30: day is out of range for month"),
    ],
)
def test_parse_effective_says_what_is_wrong(value: str, message: str) -> None:
    """An effective date that is not a real YYYY-MM-DD date is refused with its field named."""
    with pytest.raises(OtError) as caught:
        parse_effective(value)
    assert [(p.where, p.message) for p in caught.value.problems] == [("effective date", message)]
    assert parse_effective(" 2026-11-08 ") == date(2026, 11, 8)


def test_what_if_raising_californias_daily_threshold(demo_ledger: Path) -> None:
    """Cal. Lab. Code 510(a) pays daily overtime over 8h; moved to 10h, the CA workers with
    9-10 hour days lose the daily premium on those hours, partly won back by the FLSA's
    weekly 40 (29 U.S.C. 207(a)(1)): their gross drops, listed first, and no one else moves."""
    period = period_near(demo_ledger, NOW.date())
    assert (period.start, period.end) == (date(2026, 10, 25), date(2026, 11, 7))
    text = _example().replace(CA_DAILY, CA_DAILY.replace("8h", "10h"))
    result = what_if(demo_ledger, text, "rules.example.ot", period)
    changed = [r for r in result.rows if r.difference]
    assert changed
    assert all(r.state == "CA" and r.difference < 0 for r in changed)
    assert result.rows[: len(changed)] == tuple(changed)  # differences first
    assert changed[0].worker_id == "W04"
    assert changed[0].difference == Decimal("-3.50")
    assert result.edited_total - result.saved_total == sum(r.difference for r in changed)
    assert result.saved_files == ("rules.example.ot",)
    same = what_if(demo_ledger, _example(), "rules.example.ot", period)
    assert same.changed == 0
    assert same.saved_total == result.saved_total
    assert period_near(demo_ledger, NOW.date(), 1).start == date(2026, 11, 8)
    assert period_near(demo_ledger, NOW.date(), -1).end == date(2026, 10, 24)


def test_adopting_a_bad_text_writes_nothing(demo_ledger: Path) -> None:
    """A text that does not compile is refused whole; a good one is recorded with its date."""
    before = rules_history(demo_ledger)
    with pytest.raises(RulesError):
        adopt_edited(demo_ledger, "version 1\nstate CA {", "r.ot", date(2026, 11, 8), actor="A1", now=NOW)
    assert rules_history(demo_ledger) == before
    text = _example().replace(CA_DAILY, CA_DAILY.replace("8h", "10h"))
    adopted = adopt_edited(demo_ledger, text, "r.ot", date(2026, 11, 8), actor="A1", now=NOW)
    assert adopted.added
    assert rules_to_edit(demo_ledger, date(2026, 11, 8)).text == text
    assert rules_to_edit(demo_ledger, date(2026, 11, 7)).text == _example()


@given(st.text(alphabet=st.sampled_from(list('abcOTxh8.: #"{}-,>=<~\t')), max_size=40))
def test_line_spans_are_ordered_and_inside_the_line(line: str) -> None:
    """Spans never overlap, never leave the line, and cover every non-blank character
    (a comment runs to the end of the line)."""
    spans = line_spans(line)
    end = 0
    for s in spans:
        assert end <= s.start < s.end <= len(line)
        end = s.end
    covered = {i for s in spans for i in range(s.start, s.end)}
    assert all(i in covered for i, ch in enumerate(line) if ch not in " \t")


def test_what_if_on_a_ledger_not_made_yet(tmp_path: Path) -> None:
    """With no ledger file, the editor gets the shipped rules, the period is the default
    biweekly one, and the what-if has nobody to price; no file is created."""
    path = tmp_path / "none.db"
    assert rules_to_edit(path, NOW.date()).file == "rules.example.ot"
    period = period_near(path, NOW.date())
    assert (period.start, period.end) == (date(2026, 10, 25), date(2026, 11, 7))
    assert what_if(path, _example(), "rules.example.ot", period).rows == ()
    assert not path.exists()


# --- the screen -------------------------------------------------------------------------------


async def until(app: OtApp, pilot: Pilot[None], ready: Callable[[], bool]) -> None:
    """Wait (through the app's own timers and workers) until ``ready()``."""
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if ready():
            await settle(app, pilot)
            return
        await pilot.pause(0.02)
    raise AssertionError("the rules screen did not get there")


async def open_rules(app: OtApp, pilot: Pilot[None]) -> RulesScreen:
    """Switch to the rules screen and wait for its text and first check."""
    await settle(app, pilot)
    await pilot.press("r")
    screen = app.screen
    assert isinstance(screen, RulesScreen)
    screen.debounce = 0.05  # the timer path as in use, with a shorter quiet time
    await until(app, pilot, lambda: screen.rules is not None and screen.checked == screen.generation)
    return screen


async def type_at(pilot: Pilot[None], editor: RulesEditor, row: int, column: int, keys: list[str]) -> None:
    """Put the cursor at (row, column) and press ``keys``."""
    editor.focus()
    editor.cursor_location = (row, column)
    await pilot.press(*keys)


@pytest.mark.anyio
async def test_fix_a_rules_error_from_the_inline_message(demo_ledger: Path, make_app: MakeApp) -> None:
    """Typing "8h" -> "8" on California's daily line shows "LINE:16 write the hours with a unit"
    under the editor and marks the line; ctrl+g puts the cursor on it; typing the h back
    clears the message and the mark. Nothing is written to the ledger."""
    app = make_app(demo_ledger, "A1")
    before = rules_history(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_rules(app, pilot)
        editor = screen.editor
        row = _ca_daily_row(editor.text)
        problems = screen.query_one("#problems")
        assert "No errors" in str(problems.render())
        await type_at(pilot, editor, row, 17, ["backspace"])
        await until(app, pilot, lambda: bool(screen.problems))
        shown = str(problems.render())
        assert f"{row + 1}:16" in shown
        assert "write the hours with a unit: 8h" in shown
        assert editor.marked_lines == (row,)
        editor.cursor_location = (0, 0)
        await pilot.press("ctrl+g")
        assert editor.cursor_location == (row, 15)
        await pilot.press("right", "h")
        await until(app, pilot, lambda: not screen.problems)
        assert "No errors" in str(problems.render())
        assert editor.marked_lines == ()
        assert editor.text == _example()
        # a check of a text no longer shown is dropped
        screen._checked(screen.generation - 1, check_text(editor.text + "\n}", "x.ot"))
        await settle(app, pilot)
        assert screen.problems == ()
        assert editor.marked_lines == ()
    assert rules_history(demo_ledger) == before


@pytest.mark.anyio
async def test_what_if_after_changing_a_threshold(demo_ledger: Path, make_app: MakeApp) -> None:
    """CA daily over 8h -> 10h (Cal. Lab. Code 510(a)); escape then w shows the pay period
    2026-10-25 to 2026-11-07 with W04 Lena Zhang first, saved 2355.78, edited 2352.28; ] moves
    to the next period. The ledger is not changed."""
    app = make_app(demo_ledger, "A1")
    before = rules_history(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_rules(app, pilot)
        editor = screen.editor
        row = _ca_daily_row(editor.text)
        await type_at(pilot, editor, row, 16, ["backspace", "1", "0"])
        await until(app, pilot, lambda: screen.checked == screen.generation)
        assert screen.problems == ()
        await pilot.press("escape", "w")
        table = screen.query_one("#whatif-table")
        await until(app, pilot, lambda: screen.priced is not None)
        assert screen.has_class("-whatif")
        first = table.get_row_at(0)  # type: ignore[attr-defined]
        assert [str(c) for c in first] == ["W04", "Lena Zhang", "CA", "2355.78", "2352.28", "-3.50"]
        title = str(screen.query_one("#whatif-title").render())
        assert "2026-10-25 to 2026-11-07" in title
        assert "diff -10.75" in str(screen.query_one("#whatif-totals").render())
        await pilot.press("right_square_bracket")
        await until(app, pilot, lambda: screen.priced is not None and screen.priced[1] == date(2026, 11, 8))
        assert "2026-11-08 to 2026-11-21" in str(screen.query_one("#whatif-title").render())
        titles = list(palette(screen))
        assert {"Save rules", "Format rules", "What-if", "Next pay period"} <= set(titles)
        await pilot.press("i")
        assert not screen.has_class("-whatif")
        assert editor.has_focus
    assert rules_history(demo_ledger) == before


@pytest.mark.anyio
async def test_save_with_an_effective_date(demo_ledger: Path, make_app: MakeApp) -> None:
    """ctrl+s asks for the effective date (default today, 2026-11-05); a bad date is refused
    as typed; 2026-11-08 then enter records rules.adopted with the edited text from that date."""
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_rules(app, pilot)
        editor = screen.editor
        await type_at(pilot, editor, _ca_daily_row(editor.text), 16, ["backspace", "1", "0"])
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, EffectiveDateScreen)
        field = dialog.query_one("#effective")
        assert field.value == "2026-11-05"  # type: ignore[attr-defined]
        field.value = ""  # type: ignore[attr-defined]
        await pilot.press(*"2026-11-31", "enter")
        assert app.screen is dialog
        assert "day is out of range for month" in str(dialog.query_one("#effective-problem").render())
        await pilot.press("backspace", "backspace", *"08", "enter")
        await until(app, pilot, lambda: not screen.modified)
        assert app.screen is screen
        edited = editor.text
        # the shipped file lacks figures published for 2026 (LAMC 187.02's July 1 adjustment among them): said
        await until(app, pilot, lambda: any(n.title == "Minimum wage figures missing" for n in app._notifications))
        (missing,) = [n for n in app._notifications if n.title == "Minimum wage figures missing"]
        assert missing.severity == "warning"
        assert "the minimum wage is adjusted every year on" in missing.message
        assert missing.message.splitlines()[-1].endswith("more: `ot rules check`")
    history = rules_history(demo_ledger)
    last = history[-1]
    assert (last.effective, last.file, last.text) == (date(2026, 11, 8), "rules.example.ot", edited)
    assert "daily over 10h is OT x1.5  # Lab. Code 510(a)" in last.text


@pytest.mark.anyio
async def test_save_refuses_a_text_with_errors(demo_ledger: Path, make_app: MakeApp) -> None:
    """Saving a text that does not compile writes nothing and says where the error is."""
    app = make_app(demo_ledger, "A1")
    before = rules_history(demo_ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_rules(app, pilot)
        editor = screen.editor
        row = _ca_daily_row(editor.text)
        await type_at(pilot, editor, row, 17, ["backspace"])
        await pilot.press("ctrl+s", "enter")
        await until(app, pilot, lambda: bool(app._notifications))
        note = list(app._notifications)[-1]
        assert "Not saved: nothing was written" in note.message
        assert f"rules.example.ot:{row + 1}:16" in note.message
    assert rules_history(demo_ledger) == before


@pytest.mark.anyio
async def test_format_on_a_key(demo_ledger: Path, make_app: MakeApp) -> None:
    """ctrl+f lays out a messy line (extra spaces) the canonical way; on a text that does
    not parse it refuses and shows the error, leaving the text as it was."""
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_rules(app, pilot)
        editor = screen.editor
        row = _ca_daily_row(editor.text)
        await type_at(pilot, editor, row, 9, ["space", "space", "space"])
        assert editor.text.split("\n")[row] == "    daily    over 8h is OT x1.5  # Lab. Code 510(a)"
        await pilot.press("ctrl+f")
        await until(app, pilot, lambda: editor.text == _example())
        await pilot.press("escape", "f")  # f in normal mode: already formatted
        await until(app, pilot, lambda: any(n.message == "Already formatted." for n in app._notifications))
        await type_at(pilot, editor, row, 17, ["backspace"])
        broken = editor.text
        await pilot.press("ctrl+f")
        await until(app, pilot, lambda: bool(screen.problems))
        assert editor.text == broken
        assert any("Not formatted" in n.message for n in app._notifications)
    assert rules_history(demo_ledger)[-1].text == _example()


@pytest.mark.anyio
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_rules_snapshot(
    demo_ledger: Path, make_app: MakeApp, snapshot_svg: SnapshotAssertion, size: tuple[int, int]
) -> None:
    """The rules screen with California's daily line changed to "daily over 8 is OT x1.5":
    the title "rules.example.ot  in force since the start · modified"; the editor scrolled
    to the CA block with line numbers, keywords, amounts (8h, x1.5), codes (CA), dates and
    comments each in its theme colour, the broken line tinted in the error colour with the
    "8" underlined; under it the problems panel "1 error" and "LINE:16  write the hours with
    a unit: 8h (expected hours such as 8h)"; the footer with ^s Save, ^f Format, ^g Next
    error and ^p palette."""
    app = make_app(demo_ledger)
    async with app.run_test(size=size) as pilot:
        screen = await open_rules(app, pilot)
        editor = screen.editor
        await type_at(pilot, editor, _ca_daily_row(editor.text), 17, ["backspace"])
        await until(app, pilot, lambda: bool(screen.problems))
        assert await screenshot(app, pilot) == snapshot_svg


@pytest.mark.anyio
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_whatif_snapshot(
    demo_ledger: Path, make_app: MakeApp, snapshot_svg: SnapshotAssertion, size: tuple[int, int]
) -> None:
    """The what-if view after California's daily overtime threshold is raised from 8h to 10h
    (Cal. Lab. Code 510(a)): the title "What-if  pay period 2026-10-25 to 2026-11-07 · saved
    rules: rules.example.ot vs the edited text"; a table Worker, Name, St, Saved, Edited, Diff
    with the eight CA workers whose gross drops first (W04 Lena Zhang 2355.78 -> 2352.28,
    -3.50 in the theme's error colour, down to W02 -0.01), then everyone else at 0.00; the
    totals line "39 workers, 8 changed · totals: saved 92690.86 edited 92679.31 diff -11.55;
    2 open shift(s) not priced" (wrapped);
    the footer with [] Period."""
    app = make_app(demo_ledger)
    async with app.run_test(size=size) as pilot:
        screen = await open_rules(app, pilot)
        editor = screen.editor
        await type_at(pilot, editor, _ca_daily_row(editor.text), 16, ["backspace", "1", "0"])
        await pilot.press("escape", "w")
        await until(app, pilot, lambda: screen.priced is not None)
        assert await screenshot(app, pilot) == snapshot_svg


@pytest.mark.anyio
async def test_a_year_out_of_range_is_refused_as_typed_not_a_crash(demo_ledger: Path, make_app: MakeApp) -> None:
    """A review: typing 9999-12-31 (or 0001-01-01) in the save dialog stopped the app (the week
    arithmetic of the mid-week warning overflowed). It is refused in the field, as the other forms do."""
    before = len(rules_history(demo_ledger))
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_rules(app, pilot)
        await type_at(pilot, screen.editor, _ca_daily_row(screen.editor.text), 16, ["backspace", "1", "0"])
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, EffectiveDateScreen)
        for typed in ("9999-12-31", "0001-01-01"):
            dialog.query_one("#effective").value = ""  # type: ignore[attr-defined]
            await pilot.press(*typed)
            await settle(app, pilot)
            assert app.screen is dialog
            assert app.is_running
            assert "is out of range: give a date from 1900 to 2100" in str(
                dialog.query_one("#effective-problem").render()
            )
        await pilot.press("enter")
        assert app.screen is dialog  # nothing saved
    assert len(rules_history(demo_ledger)) == before


@pytest.mark.anyio
async def test_a_what_if_of_a_text_with_errors_says_it_was_not_run(demo_ledger: Path, make_app: MakeApp) -> None:
    """w on a text with an error: the what-if's header says it was not run and why, not "pricing..."
    for good while the line below says the text has errors (a review)."""
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_rules(app, pilot)
        await type_at(pilot, screen.editor, 0, 0, list("zzz"))
        await until(app, pilot, lambda: bool(screen.problems))
        await pilot.press("escape", "w")
        await until(app, pilot, lambda: "error" in str(screen.query_one("#whatif-totals").render()))
        title = str(screen.query_one("#whatif-title").render())
        assert title.endswith("pay period 2026-10-25 to 2026-11-07: not run, 1 error in the text"), title
        assert "pricing" not in title


@pytest.mark.anyio
async def test_saving_an_unmodified_text_says_there_is_nothing_to_save(demo_ledger: Path, make_app: MakeApp) -> None:
    """ctrl+s on the text in force (the header says saved) opens no dialog and adopts nothing: "no
    changes to save" (a review: the save dialog opened and adopted the same text again)."""
    before = rules_history(demo_ledger)
    app = make_app(demo_ledger, "A1")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_rules(app, pilot)
        assert not screen.modified
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert [n.message for n in app._notifications] == ["No changes to save: the text is the one in force."]
    assert rules_history(demo_ledger) == before
