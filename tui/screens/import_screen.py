"""The Import screen: a locations, workers, punches or earnings CSV file, previewed, then imported.

Pick the kind (focused first; tab goes to the fields), type the file's path (and, for another system's export, a TOML
column mapping), then ctrl+r (or enter in a field) previews it: the rows read
and the events it would add, or every bad row as FILE:LINE:COLUMN with what to
do, and nothing is written either way. ctrl+s imports the previewed file after
a confirmation naming what it adds (a file changed since its preview is
checked again by the service: all of it, or nothing; so the screen need not
follow the ledger's changes). Both run in a worker thread
(:meth:`OtScreen.call_service`) through :func:`ot.services.imports.import_file`,
the service behind ``ot import``, which also decides who may import (an admin);
a refusal is shown in the results pane.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Input, Label, Select, Static

from ot.services.imports import LAYOUT_NAMES, ImportReport, describe, import_file
from tui.screens.base import OtScreen
from tui.widgets.approval_dialogs import ConfirmScreen
from tui.widgets.footer import OtFooter

#: (kind, path, mapping) as typed: what a preview was of.
Request = tuple[str, str, str]


@dataclass(frozen=True)
class Outcome:
    """A preview or an import: its report, or the refusal's text."""

    request: Request
    report: ImportReport | None
    error: str | None


def outcome_text(outcome: Outcome) -> str:
    """What the results pane shows."""
    if outcome.report is not None:
        text = describe(outcome.report)
        if outcome.report.dry_run and outcome.report.total_added:
            return text + "\nctrl+s imports it (after a confirmation)."
        return text
    return f"Nothing was written.\n{outcome.error}"


class ImportScreen(OtScreen):
    """Preview and import a CSV file of locations, workers, punches or earnings."""

    CSS_PATH = "import_screen.tcss"
    TITLE_TEXT = "Import"
    DESCRIPTION = "A locations, workers or punches CSV file: preview what it adds (or its bad rows), then import it"
    #: The kind first: a focused text field would take the single-letter keys that switch screens.
    AUTO_FOCUS = "#import-kind"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "preview", "Preview (dry run)", tooltip="Preview the file (dry run)", id="import.preview"),
        Binding("ctrl+s", "import_file", "Import", tooltip="Import the previewed file", id="import.import_file"),
    ]
    ERROR_TITLE = "Import"

    def __init__(self) -> None:
        super().__init__()
        self.previewed: Outcome | None = None
        self.number = 0
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-form"):
            with Horizontal(classes="import-row"):
                yield Label("Kind", classes="import-label")
                yield Select(
                    [(k, k) for k in LAYOUT_NAMES], value="punches", allow_blank=False, id="import-kind", compact=True
                )
            with Horizontal(classes="import-row"):
                yield Label("File", classes="import-label")
                yield Input(placeholder="path/to/file.csv", id="import-file", compact=True)
            with Horizontal(classes="import-row"):
                yield Label("Mapping", classes="import-label")
                yield Input(placeholder="optional: a TOML column mapping profile", id="import-mapping", compact=True)
        yield Static(
            "Type the file's path, then ctrl+r to preview it (nothing is written).", id="import-status", markup=False
        )
        with VerticalScroll(id="import-results"):
            yield Static("", id="import-text", markup=False)
        yield OtFooter()

    def on_mount(self) -> None:
        blink = self.ot_app.blink
        for field in self.query(Input):
            field.cursor_blink = blink

    def _request(self) -> Request:
        kind = self.query_one("#import-kind", Select).value
        return (
            str(kind),
            self.query_one("#import-file", Input).value.strip(),
            self.query_one("#import-mapping", Input).value.strip(),
        )

    @on(Input.Submitted)
    def _submitted(self, _event: Input.Submitted) -> None:
        self.action_preview()

    @on(Select.Changed)
    @on(Input.Changed)
    def _changed(self) -> None:
        if self.previewed is not None and self.previewed.request != self._request():
            self.query_one("#import-status", Static).update("Changed since the preview: ctrl+r previews it again.")

    def _start(self, request: Request, dry_run: bool) -> None:
        self.busy = True
        self.number += 1
        what = "Checking" if dry_run else "Importing"
        self.query_one("#import-status", Static).update(f"{what} {request[1]}...")
        app, number = self.ot_app, self.number
        path, user, now = app.ledger_path, app.user, app.now()
        kind, file, mapping = request
        self.call_service(
            lambda: import_file(
                path,
                kind,
                Path(file).expanduser(),
                mapping_path=Path(mapping).expanduser() if mapping else None,
                dry_run=dry_run,
                actor=user,
                now=now,
            ),
            lambda report: self._done(Outcome(request, report, None), number),
            group="import",
            failed=lambda text: self._done(Outcome(request, None, text), number),
            notify=False,
        )

    def action_preview(self) -> None:
        """Check the file and say what it would add; write nothing."""
        request = self._request()
        if not request[1]:
            self.query_one("#import-status", Static).update("Type the path of the CSV file first.")
            self.query_one("#import-file", Input).focus()
            return
        if self.busy:
            self.notify("An import is already running.", severity="warning")
            return
        self._start(request, True)

    def action_import_file(self) -> None:
        """Import the previewed file after a confirmation."""
        previewed = self.previewed
        if previewed is None or previewed.report is None or previewed.request != self._request():
            self.notify("Preview the file first (ctrl+r): an import follows its preview.", severity="warning")
            return
        if self.busy:
            self.notify("An import is already running.", severity="warning")
            return
        report = previewed.report
        if not report.total_added:
            self.notify("The file adds nothing new.", severity="warning")
            return
        kind, file, _ = previewed.request

        def answered(yes: bool | None) -> None:
            if yes and not self.busy:
                self._start(previewed.request, False)

        title = f"Import {report.total_added} events of {kind} from {file}?"
        self.app.push_screen(ConfirmScreen(title, describe(report), "Import"), answered)

    def _done(self, outcome: Outcome, number: int) -> None:
        """Show a preview's or an import's outcome (a refusal: its problems, each saying where)."""
        if number != self.number:
            return
        self.busy = False
        status = self.query_one("#import-status", Static)
        text = self.query_one("#import-text", Static)
        text.update(outcome_text(outcome))
        text.set_class(outcome.error is not None, "-error")
        report = outcome.report
        if report is None:
            self.previewed = None
            status.update(f"Refused: {outcome.request[1]} (the problems below say where and what to do)")
        elif report.dry_run:
            self.previewed = outcome
            status.update(f"Preview of {outcome.request[1]}: would add {report.total_added} events")
        else:
            self.previewed = None
            status.update(f"Imported {outcome.request[1]}: added {report.total_added} events")
            self.notify(f"Imported {outcome.request[1]}: added {report.total_added} events.")
