"""The key footer of every screen.

At 80 columns the footer of the busiest screens did not hold their keys, the command palette's
hint and ``q Quit`` at once: the last keys were cut off (only a mouse wheel scrolled to them). Below
:data:`PALETTE_HINT_WIDTH` columns the palette's hint (``^p palette``) gives way first: the palette
still opens with ctrl+p, and ``?`` lists every key. A group of keys (``[] Week``) is followed by a
space in the compact footer too (``ot.tcss``), not run into the next key.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

__all__ = ["PALETTE_HINT_WIDTH", "OtFooter"]

#: The narrowest screen whose footer also shows the palette's hint (every screen's keys fit then).
PALETTE_HINT_WIDTH = 100


class OtFooter(Footer):
    """The compact key footer, dropping the palette's hint on a narrow screen."""

    def __init__(self) -> None:
        super().__init__(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= PALETTE_HINT_WIDTH
        if wide != self.show_command_palette:
            self.show_command_palette = wide
            self.call_after_refresh(self.recompose)
