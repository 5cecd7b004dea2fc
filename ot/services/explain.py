"""``ot explain``: why a worker's workweek pays what it pays, hour by hour.

Prices the workweek through :func:`ot.services.pay.price_weeks` (so the
explanation is exactly what stubs and pay runs use) and adds what only the
ledger knows: the rules file in force that week (name and sha256) and the
text of every rule cited, from that file's own text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

from ot.calcio import group_json, line_json
from ot.core.errors import OtError, Problem
from ot.core.money import cents, hours2, hours_text
from ot.core.timez import local, week_start
from ot.services.pay import PricedWeek, workweek_of
from ot.services.uow import unit_of_work
from rules.engine.explain import explain_json, explain_text, shift_name, source_text

__all__ = ["WeekExplanation", "explain_week", "explanation_json", "explanation_text"]


@dataclass(frozen=True)
class WeekExplanation:
    """A priced week with the rules text it cites.

    Attributes:
        priced: The priced week (engine result, shifts, rules file and sha256).
        cited: (``file:line``, the text of that line) of every rule the week cites, in order.
    """

    priced: PricedWeek
    cited: tuple[tuple[str, str], ...]


def explain_week(ledger_path: Path, worker_id: str, day: date) -> WeekExplanation:
    """The explanation of ``worker_id``'s workweek that holds ``day``."""
    with unit_of_work(ledger_path) as uow:
        history = uow.history
        roster = uow.roster
        if worker_id in roster:
            start_day, _ = workweek_of(history.book_on(day), day)
            first = week_start(day, start_day)
            run = uow.price([worker_id], first, first + timedelta(days=6))
    if worker_id not in roster:
        known = ", ".join(sorted(roster)[:8]) or "none yet: run `ot demo` or `ot import workers`"
        raise OtError(
            f"unknown worker {worker_id!r}", [Problem("WORKER", f"no worker {worker_id!r} (workers: {known})")]
        )
    priced = run.week(worker_id, first)
    if priced is None:
        raise OtError(
            f"{worker_id} has no priced work in the workweek beginning {first.isoformat()}",
            [Problem("--week", "pick a week with shifts (see `ot shifts --worker W --week DATE`)")],
        )
    text_lines = history.text_on(first).text.splitlines()
    cited: dict[str, str] = {}
    refs = [p.winner for p in priced.result.pieces] + [x for p in priced.result.pieces for x in p.losers]
    sources = [r.source for r in refs] + [ln.source for ln in priced.result.lines]
    for src in sources:
        key = source_text(src)
        if key in cited or src.line < 1 or PurePath(src.file).name != PurePath(priced.rules_file).name:
            continue
        if src.line <= len(text_lines):
            cited[key] = text_lines[src.line - 1].strip()
    return WeekExplanation(priced, tuple(sorted(cited.items(), key=lambda kv: int(kv[0].rsplit(":", 1)[1]))))


def explanation_text(ex: WeekExplanation) -> str:
    """The explanation for the terminal: the shifts, then the engine's explanation, then the rules cited."""
    p = ex.priced
    out = [
        f"{p.worker.worker_id}  {p.worker.name}  ({p.worker.type})",
        f"Rules in force: {p.rules_file} (sha256 {p.rules_sha256[:12]})",
        "",
        "Shifts:",
    ]
    for s in p.shifts:
        if s.start is None:
            entry = s.hours if s.hours is not None else Decimal(s.minutes or 0) / 60
            out.append(f"  {shift_name(s.shift_id):<10} {s.day} {s.pay_type} {hours_text(entry)} h (hours only)")
            continue
        start = local(s.start, s.timezone)
        end = local(s.end, s.timezone).strftime("%H:%M %Z") if s.end else "(no out-punch)"
        breaks = ", ".join(
            f"{local(b.start, s.timezone):%H:%M}-{local(b.end, s.timezone):%H:%M} {b.type_code}"
            if b.end
            else f"{b.type_code} not ended"
            for b in s.breaks
        )
        flags = f"  [{', '.join(s.exceptions)}]" if s.exceptions else ""
        out.append(
            f"  {shift_name(s.shift_id):<10} {start:%a %Y-%m-%d %H:%M}-{end}  {s.state} {s.location_id or ''}"
            f"{'  breaks: ' + breaks if breaks else ''}{flags}"
        )
    out += ["", explain_text(p.result).rstrip("\n")]
    if ex.cited:
        out += ["", "Rules cited:"] + [f"  {where}: {text}" for where, text in ex.cited]
    return "\n".join(out) + "\n"


def explanation_json(ex: WeekExplanation) -> dict[str, Any]:
    """The explanation for tools."""
    p = ex.priced
    w = p.result
    return {
        "worker": p.worker.worker_id,
        "week_start": w.week_start.isoformat(),
        "rules": {"file": p.rules_file, "sha256": p.rules_sha256},
        "shifts": [s.shift_id for s in p.shifts],
        "regular_hours": str(hours2(w.regular_hours)),
        "overtime_hours": str(hours2(w.overtime_hours)),
        "doubletime_hours": str(hours2(w.doubletime_hours)),
        "premium_hours": str(hours2(w.premium_hours)),
        "gross_pay": str(cents(w.gross)),
        "lines": [
            {
                key: value
                for key, value in line_json(ln).items()
                if key not in ("state", "location", "shifts")  # explain's lines as they always were, plus carry
            }
            for ln in w.lines
        ],
        "groups": [group_json(g) for g in w.groups],
        **explain_json(w),
        "cited": [{"source": where, "text": text} for where, text in ex.cited],
    }
