"""User text inside Textual markup: shown as typed, never run as markup (issue 11).

Rich's and Textual's ``escape`` leave a text such as ``Ana [/b] Chen [/`` or
``[$warning]`` to be read as tags; :func:`esc` escapes every opening bracket, so
a worker's name, a note, a reason or an error message can never open, close or
run a tag (``[@click=app.quit]``) in a screen's markup.
"""

from __future__ import annotations

from rich.text import Text

__all__ = ["esc", "plain"]


def esc(text: object) -> str:
    """``text`` made literal inside Textual markup (every ``[`` escaped)."""
    return str(text).replace("[", "\\[")


def plain(text: object) -> Text:
    """``text`` as a Rich Text (never parsed as markup), for a table cell or a label."""
    return Text(str(text))
