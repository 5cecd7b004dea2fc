"""The rules screen: the rules file in force in an editor, checked as you type,
formatted on a key, priced against the saved rules (what-if), saved from a date.

Every check, format, what-if and save runs in a worker thread (``call_service``) and its
result comes back to a callback; a result for a text or a period no longer shown is dropped (each
edit bumps ``generation``). Checks wait for a pause in the typing
(``debounce`` seconds). Failures are shown as one notification with the
error's text. The screen opens in normal mode (nothing focused, so the
single-letter keys work); ``i`` or enter edits and escape leaves the editor.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Button, DataTable, Header, Input, Static, TextArea

from ot.core.errors import OtError
from ot.core.money import cents
from ot.services.adopt import Adopted
from ot.services.ruleset import RulesInForce
from ot.services.user_config import opening_day
from ot.services.whatif import (
    PayPeriod,
    RulesError,
    RulesProblem,
    WhatIf,
    adopt_edited,
    check_text,
    effective_split,
    format_rules_text,
    parse_effective,
    period_near,
    rules_to_edit,
    what_if,
)
from tui.screens.base import OtModalScreen, OtScreen, period_bindings
from tui.text import esc
from tui.widgets.fit import fit_columns
from tui.widgets.footer import OtFooter
from tui.widgets.rules_editor import RulesEditor

__all__ = ["EffectiveDateScreen", "RulesScreen"]

#: [ and ] share one footer entry.


def problems_text(problems: tuple[RulesProblem, ...]) -> str:
    """The problems panel (markup): a count, then ``line:col  message`` per problem."""
    if not problems:
        return "[$text-success]No errors:[/] the text compiles."
    noun = "error" if len(problems) == 1 else "errors"
    lines = [f"[b $text-error]{len(problems)} {noun}[/]  (ctrl+g goes to the next)"]
    for p in problems:
        expected = f" (expected {esc(', '.join(p.expected))})" if p.expected else ""
        lines.append(f"[b]{p.line}:{p.column}[/b]  {esc(p.message)}{esc(expected)}")
    return "\n".join(lines)


def signed(amount: Decimal) -> str:
    """``+1.25`` / ``-3.50`` / ``0.00``."""
    text = str(cents(amount))
    return f"+{text}" if amount > 0 else text


class WhatIfTable(DataTable[Text]):
    """The what-if rows: amounts right-aligned, a drop and a rise in the theme's colours."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *DataTable.COMPONENT_CLASSES,
        "what-if-table--drop",
        "what-if-table--rise",
    }
    DEFAULT_CSS = """
    WhatIfTable > .what-if-table--drop { color: $text-error; text-style: bold; }
    WhatIfTable > .what-if-table--rise { color: $text-success; text-style: bold; }
    """

    def show(self, result: WhatIf) -> None:
        """One row per worker, in the result's order."""
        self.clear()
        drop = self.get_component_rich_style("what-if-table--drop", partial=True)
        rise = self.get_component_rich_style("what-if-table--rise", partial=True)
        for r in result.rows:
            style = drop if r.difference < 0 else rise if r.difference > 0 else None
            self.add_row(
                Text(r.worker_id),
                Text(r.name),
                Text(r.state),
                Text(str(cents(r.saved)), justify="right"),
                Text(str(cents(r.edited)), justify="right"),
                Text(signed(r.difference), style=style or "", justify="right"),
                key=r.worker_id,
            )
        fit_columns(self)


class EffectiveDateScreen(OtModalScreen[date | None]):
    """Ask from which date the edited rules are in force; returns it, or None when cancelled.
    A date inside a workweek is accepted with a warning naming the week it splits."""

    CSS_PATH = "rules.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="rules.save_cancel")]

    def __init__(self, default: date, file: str, text: str = "") -> None:
        super().__init__()
        self.default = default
        self.file = file
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog"):
            yield Static(f"[b]Save {esc(self.file)}[/b]", id="save-title")
            yield Static("Adopt the edited rules in the ledger, in force from:", id="save-question")
            yield Input(self.default.isoformat(), placeholder="YYYY-MM-DD", id="effective", compact=True)
            yield Static("", id="effective-problem")
            yield Static("", id="effective-warning")
            with Horizontal(id="save-buttons"):
                yield Button("Save", variant="primary", id="save-ok")
                yield Button("Cancel", id="save-cancel")

    def on_mount(self) -> None:
        field = self.query_one("#effective", Input)
        field.cursor_blink = self.ot_app.blink
        field.focus()
        self._valid()

    def _valid(self) -> date | None:
        warning = self.query_one("#effective-warning", Static)
        try:
            day = parse_effective(self.query_one("#effective", Input).value)
        except OtError as error:
            self.query_one("#effective-problem", Static).update(esc("; ".join(str(p) for p in error.problems)))
            warning.update("")
            return None
        self.query_one("#effective-problem", Static).update("")
        text, file = self.text, self.file
        self.call_service(lambda: effective_split(text, file, day), self._split, group="effective-split")
        return day

    def _split(self, note: str | None) -> None:
        self.query_one("#effective-warning", Static).update(esc(note or ""))

    @on(Input.Changed, "#effective")
    def _typed(self) -> None:
        self._valid()

    @on(Input.Submitted, "#effective")
    @on(Button.Pressed, "#save-ok")
    def _submit(self) -> None:
        day = self._valid()
        if day is not None:
            self.dismiss(day)

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class RulesScreen(OtScreen):
    """Rules: edit the rules file in force, see its errors, what it would pay, and adopt it."""

    CSS_PATH = "rules.tcss"
    TITLE_TEXT = "Rules"
    DESCRIPTION = "The rules file in force: edit with inline errors, format, what-if, save from a date"
    #: The screen opens in normal mode (single-letter keys work); i or enter starts editing.
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save rules", id="rules.save"),
        Binding("ctrl+f", "format", "Format", tooltip="Format rules", id="rules.format"),
        Binding("f", "format", "Format", show=False, id="rules.format_f"),
        Binding("ctrl+g", "next_error", "Next error", tooltip="Next rules error", id="rules.next_error"),
        Binding("w", "whatif", "What-if", tooltip="What-if", id="rules.whatif"),
        *period_bindings("rules"),
        Binding("i", "edit", "Edit", tooltip="Edit rules", id="rules.edit"),
        Binding("enter", "edit", "Edit", show=False, id="rules.edit_enter"),
        Binding("escape", "leave", "Leave editor", show=False, tooltip="Leave the editor", id="rules.leave"),
    ]

    #: Seconds of quiet typing before the text is checked.
    debounce: float = 0.3
    showing_whatif: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__()
        self.rules: RulesInForce | None = None
        self.saved_text: str | None = None
        self.generation = 0
        self.checked = -1
        self.problems: tuple[RulesProblem, ...] = ()
        self.period: PayPeriod | None = None
        self.priced: tuple[int, date] | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the rules...", id="rules-title")
        with Vertical(id="edit-view"):
            yield RulesEditor(id="editor")
            yield Static("", id="problems")
        with Vertical(id="whatif-view"):
            yield Static("", id="whatif-title")
            yield WhatIfTable(id="whatif-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="whatif-totals")
        yield OtFooter()

    def on_mount(self) -> None:
        editor = self.query_one(RulesEditor)
        editor.cursor_blink = self.ot_app.blink
        editor.read_only = True  # until the text is loaded
        table = self.query_one(WhatIfTable)
        for label, key in (
            ("Worker", "id"),
            ("Name", "name"),
            ("St", "state"),
            ("Saved", "saved"),
            ("Edited", "edited"),
            ("Diff", "diff"),
        ):
            table.add_column(label, key=key)
        self._load()

    @property
    def editor(self) -> RulesEditor:
        """The rules editor."""
        return self.query_one(RulesEditor)

    @property
    def modified(self) -> bool:
        """Whether the text differs from the one saved."""
        return self.saved_text is not None and self.editor.text != self.saved_text

    def _file(self) -> str:
        return self.rules.file if self.rules is not None else "rules.ot"

    # --- workers -----------------------------------------------------------------------

    def _load(self) -> None:
        app = self.ot_app
        path, today, view = app.ledger_path, app.today(), app.config.period

        def load() -> tuple[RulesInForce, PayPeriod]:
            # What-if opens on the latest pay period with punches, not an empty one of today.
            return rules_to_edit(path, today), period_near(path, opening_day(path, today, view))

        self.call_service(load, self._loaded, group="rules-load")

    def _check(self, text: str, generation: int) -> None:
        file = self._file()
        self.call_service(
            lambda: check_text(text, file), lambda problems: self._checked(generation, problems), group="rules-check"
        )

    def _format(self, text: str, generation: int) -> None:
        file = self._file()

        def format_text() -> str | RulesError:
            try:
                return format_rules_text(text, file)
            except RulesError as error:
                return error

        self.call_service(format_text, lambda done: self._formatted(generation, done), group="rules-format")

    def _price(self, text: str, generation: int, period: PayPeriod) -> None:
        path, file = self.ot_app.ledger_path, self._file()

        def price() -> WhatIf | RulesError:
            try:
                return what_if(path, text, file, period)
            except RulesError as error:
                return error

        self.call_service(price, lambda result: self._priced(generation, result), group="rules-whatif")

    def _move_period(self, day: date, step: int) -> None:
        path = self.ot_app.ledger_path
        self.call_service(lambda: period_near(path, day, step), self._period, group="rules-period")

    def _save(self, text: str, generation: int, effective: date) -> None:
        app = self.ot_app
        path, file, user, now = app.ledger_path, self._file(), app.user, app.now()

        def save() -> Adopted | RulesError:
            try:
                return adopt_edited(path, text, file, effective, actor=user, now=now)
            except RulesError as error:
                return error

        self.call_service(
            save,
            lambda adopted: self._saved(generation, text, adopted),
            group="rules-save",
            title="Not saved: nothing was written",
        )

    # --- results -----------------------------------------------------------------------

    def _loaded(self, loaded: tuple[RulesInForce, PayPeriod]) -> None:
        rules, period = loaded
        self._period(period)
        self.rules = rules
        self.saved_text = rules.text
        editor = self.editor
        editor.read_only = False
        editor.load_text(rules.text)
        self._title()

    @on(TextArea.Changed, "#editor")
    def _changed(self) -> None:
        self.generation += 1
        self._title()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.debounce, self._check_now)

    def _check_now(self) -> None:
        self._timer = None
        self._check(self.editor.text, self.generation)
        if self.showing_whatif:
            self._reprice()

    def _checked(self, generation: int, problems: tuple[RulesProblem, ...]) -> None:
        if generation != self.generation:
            return  # the text changed since
        self.checked = generation
        self.problems = problems
        self.query_one("#problems", Static).update(problems_text(problems))
        self.editor.mark_problems((p.line, p.column) for p in problems)
        self.set_class(bool(problems), "-errors")

    def _formatted(self, generation: int, done: str | RulesError) -> None:
        if isinstance(done, RulesError):
            self._checked(generation, done.rules_problems)
            self.notify(f"Not formatted: the text does not parse.\n{done.render()}", title="ot", severity="error")
            return
        if generation != self.generation:
            return
        editor = self.editor
        if done == editor.text:
            self.notify("Already formatted.", title="Rules", timeout=3)
            return
        row, _ = editor.cursor_location
        editor.replace(done, editor.document.start, editor.document.end)  # undoable
        editor.cursor_location = (min(row, editor.document.line_count - 1), 0)
        self.notify("Formatted.", title="Rules", timeout=3)

    def _priced(self, generation: int, result: WhatIf | RulesError) -> None:
        if isinstance(result, RulesError):
            self._checked(generation, result.rules_problems)
            if generation == self.generation:
                errors = len(result.rules_problems)
                self.query_one("#whatif-title", Static).update(
                    f"[b]What-if[/b]  pay period {esc(self.period.label() if self.period else '')}: not run, "
                    f"{errors} error{'s' if errors != 1 else ''} in the text"
                )
            self._whatif_refused(f"The edited text has {len(result.rules_problems)} error(s): fix them first.")
            return
        if generation != self.generation or result.period != self.period:
            return
        self.priced = (generation, result.period.start)
        self.query_one(WhatIfTable).show(result)
        saved = ", ".join(result.saved_files) or "none"
        self.query_one("#whatif-title", Static).update(
            f"[b]What-if[/b]  pay period {result.period.label()}  ·  saved rules: {esc(saved)} vs the edited text"
        )
        skipped = f"; {result.skipped} open shift(s) not priced" if result.skipped else ""
        self.query_one("#whatif-totals", Static).update(
            f"{len(result.rows)} workers, {result.changed} changed  ·  totals: saved {cents(result.saved_total)}"
            f"  edited {cents(result.edited_total)}  [b]diff {signed(result.edited_total - result.saved_total)}[/b]"
            + skipped
        )

    def _whatif_refused(self, text: str) -> None:
        self.query_one(WhatIfTable).clear()
        self.query_one("#whatif-totals", Static).update(f"[$text-error]{esc(text)}[/]")

    def _period(self, period: PayPeriod) -> None:
        self.period = period
        if self.showing_whatif:
            self._reprice()

    def _saved(self, generation: int, text: str, adopted: Adopted | RulesError) -> None:
        if isinstance(adopted, RulesError):
            self._checked(generation, adopted.rules_problems)
            self.notify(f"Not saved: nothing was written.\n{adopted.render()}", title="ot", severity="error")
            return
        self.saved_text = text
        self._title()
        state = "adopted" if adopted.added else "already adopted"
        self.notify(f"{self._file()} {state} from {adopted.effective.isoformat()}.", title="Rules saved", timeout=5)
        if adopted.notices:  # minimum wages adjusted yearly whose figure the file lacks (ot rules check's)
            more = len(adopted.notices) - 2
            self.notify(
                "\n".join(adopted.notices[:2]) + (f"\n... and {more} more: `ot rules check`" if more > 0 else ""),
                title="Minimum wage figures missing",
                severity="warning",
                timeout=20,
                markup=False,
            )
        if self.showing_whatif:
            self.priced = None
            self._reprice()

    def _title(self) -> None:
        if self.rules is None:
            return
        since = self.rules.effective
        start = "the start" if since is None or since.year == 1 else since.isoformat()
        state = "[$text-warning]modified[/]" if self.modified else "saved"
        self.query_one("#rules-title", Static).update(
            f"[b]{esc(self.rules.file)}[/b]  in force since {start}  ·  {state}"
        )

    def watch_showing_whatif(self, showing: bool) -> None:
        self.set_class(showing, "-whatif")
        self.refresh_bindings()
        if showing:
            self.query_one(WhatIfTable).focus()
            self._reprice()
        elif self.rules is not None:
            self.editor.focus()

    def _reprice(self) -> None:
        if self.period is None or self.rules is None:
            return
        if self.priced == (self.generation, self.period.start):
            return
        self.query_one("#whatif-title", Static).update(f"[b]What-if[/b]  pay period {self.period.label()}: pricing...")
        self._price(self.editor.text, self.generation, self.period)

    # --- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "period":
            return self.showing_whatif
        if action == "edit":
            return self.showing_whatif or not any(e.has_focus for e in self.query(RulesEditor))
        return True

    def action_save(self) -> None:
        """Ask for an effective date, then adopt the edited text from it."""
        if self.rules is None:
            return
        if not self.modified:
            self.notify("No changes to save: the text is the one in force.", title="Rules", timeout=4)
            return
        text, generation = self.editor.text, self.generation

        def chosen(day: date | None) -> None:
            if day is not None:
                self._save(text, generation, day)

        self.app.push_screen(EffectiveDateScreen(self.ot_app.today(), self._file(), text), chosen)

    def action_format(self) -> None:
        """Lay the text out in the canonical layout (refused with the errors when it does not parse)."""
        if self.rules is not None:
            self._format(self.editor.text, self.generation)

    def action_next_error(self) -> None:
        """Move the cursor to the next problem after it (wrapping round)."""
        if not self.problems:
            self.notify("No errors.", title="Rules", timeout=3)
            return
        if self.showing_whatif:
            self.showing_whatif = False
        editor = self.editor
        here = editor.cursor_location
        places = [(p.line - 1, p.column - 1) for p in self.problems]
        after = [p for p in places if p > here]
        row, column = after[0] if after else places[0]
        editor.focus()
        editor.cursor_location = (row, column)

    def action_whatif(self) -> None:
        """Show or hide the what-if view."""
        self.showing_whatif = not self.showing_whatif

    def action_period(self, step: int) -> None:
        """What-if of the pay period before (-1) or after (1)."""
        if self.period is not None:
            self._move_period(self.period.start, step)

    def action_edit(self) -> None:
        """Back to the editor."""
        self.showing_whatif = False
        if self.rules is not None:
            self.editor.focus()

    def action_leave(self) -> None:
        """Leave the editor (its single-letter keys work again), or the what-if view."""
        if self.showing_whatif:
            self.showing_whatif = False
        else:
            self.set_focus(None)
            self.refresh_bindings()
