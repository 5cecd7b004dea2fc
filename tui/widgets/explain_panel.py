"""The explain panel: for the selected shift, the rule that classified each piece of its time."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ot.core.money import hours2
from ot.services.browse import RuleView, ShiftRow
from tui.text import esc


def _rule(rule: RuleView) -> str:
    return f"{esc(rule.jurisdiction)} {esc(rule.label)} x{rule.multiplier.normalize()} ({esc(rule.source)})"


def explain_text(row: ShiftRow | None) -> str:
    """The panel's text for ``row`` (markup)."""
    if row is None:
        return "No shift selected."
    head = f"[b]Explain {esc(row.shift_id)}[/b] ({row.day.isoformat()}, {esc(row.state or '?')})"
    if not row.pieces:
        why = esc(", ".join(row.exceptions)) if row.exceptions else "no time classified"
        breaks = f"\nBreaks: {esc(', '.join(row.breaks))}" if row.breaks else ""
        return f"{head}{breaks}\nNot priced: {why}."
    lines = [head]
    if row.breaks:
        lines.append("Breaks: " + esc(", ".join(row.breaks)))
    for p in row.pieces:
        lines.append(f"{p.start}-{p.end} {hours2(p.hours)}h [b]{esc(p.hour_class)}[/b]: {_rule(p.winner)}")
        for loser in p.losers:
            lines.append(f"   not: {esc(loser.hour_class)} {_rule(loser)}")
    return "\n".join(lines)


class ExplainPanel(VerticalScroll):
    """Shows :func:`explain_text` of the selected shift."""

    def compose(self) -> ComposeResult:
        yield Static("", id="explain-text")

    def show(self, row: ShiftRow | None) -> None:
        """Explain ``row``."""
        self.query_one("#explain-text", Static).update(explain_text(row))
