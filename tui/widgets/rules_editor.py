"""A TextArea for rules files: syntax highlighting from the grammar, error lines marked.

Textual's TextArea highlights a registered language only through tree-sitter;
its documented hook for other styling is :meth:`TextArea.get_line` ("you can
stylize the Text object returned here"). This editor styles each line there
with the stretches :func:`ot.services.whatif.line_spans` finds with the
grammar's own terminals, each kind in the style of a component class (theme
colours, set in ``DEFAULT_CSS``), and marks the lines and columns of the
problems it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.widgets import TextArea

from ot.services.whatif import line_spans

__all__ = ["KINDS", "RulesEditor"]

#: Highlight kinds, each the component class ``rules-editor--<kind>``.
KINDS = ("keyword", "class", "number", "date", "string", "code", "name", "comment", "punct", "unknown")


class RulesEditor(TextArea):
    """An editor of rules text: highlighted, problems marked where they are."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *TextArea.COMPONENT_CLASSES,
        *(f"rules-editor--{kind}" for kind in KINDS),
        "rules-editor--error-line",
        "rules-editor--error",
    }

    DEFAULT_CSS = """
    RulesEditor {
        & > .rules-editor--keyword { color: $text-primary; text-style: bold; }
        & > .rules-editor--class { color: $text-warning; text-style: bold; }
        & > .rules-editor--number { color: $text-accent; }
        & > .rules-editor--date { color: $text-success; }
        & > .rules-editor--string { color: $text-success; }
        & > .rules-editor--code { color: $text-secondary; }
        & > .rules-editor--name { color: $foreground; }
        & > .rules-editor--comment { color: $text-muted; text-style: italic; }
        & > .rules-editor--punct { color: $foreground; }
        & > .rules-editor--unknown { color: $text-error; }
        & > .rules-editor--error-line { background: $error 15%; }
        & > .rules-editor--error { color: $text-error; text-style: bold underline; }
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(
            text,
            id=id,
            show_line_numbers=True,
            tab_behavior="focus",
            soft_wrap=False,
            # The theme's cursor-line style carries a foreground colour that would hide the
            # highlighting; get_line puts its background alone under the cursor instead.
            highlight_cursor_line=False,
        )
        self.indent_width = 2
        self._marks: dict[int, list[int]] = {}

    def on_resize(self) -> None:
        """Keep the cursor in view when the editor shrinks (the problems panel grows under it)."""
        if self.has_focus:
            self.scroll_cursor_visible()

    @property
    def marked_lines(self) -> tuple[int, ...]:
        """0-based lines marked as holding a problem."""
        return tuple(sorted(self._marks))

    def mark_problems(self, where: Iterable[tuple[int, int]]) -> None:
        """Mark these (1-based line, 1-based column) places; an empty list clears the marks."""
        marks: dict[int, list[int]] = {}
        for line, column in where:
            marks.setdefault(line - 1, []).append(column - 1)
        if marks != self._marks:
            self._marks = marks
            self._line_cache.clear()
            self.refresh()

    def get_line(self, line_index: int) -> Text:
        """The line, highlighted, with its problems marked."""
        line = super().get_line(line_index)
        plain = line.plain
        columns = self._marks.get(line_index)
        # A whole-line style first (its blended background, and a foreground the tokens then
        # override): the error tint on a problem line, else the cursor line's.
        if columns is not None:
            line.stylize(self.get_component_rich_style("rules-editor--error-line"))
        elif self.has_focus and line_index == self.cursor_location[0]:
            line.stylize(self.get_component_rich_style("text-area--cursor-line"))
        spans = line_spans(plain)
        for span in spans:
            line.stylize(
                self.get_component_rich_style(f"rules-editor--{span.kind}", partial=True), span.start, span.end
            )
        if columns is not None:
            error = self.get_component_rich_style("rules-editor--error", partial=True)
            for column in columns:
                at = next((s for s in spans if s.start <= column < s.end), None)
                if at is not None:
                    line.stylize(error, at.start, at.end)
                elif plain.strip():
                    start = max(min(column, len(plain.rstrip()) - 1), 0)
                    line.stylize(error, start, start + 1)
        return line
