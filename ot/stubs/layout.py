"""What a stub shows, as text cells: one layout shared by every renderer.

:func:`layout` turns a :class:`~ot.stubs.model.PayStub` into headings, facts
and tables of already formatted strings, so that the text, HTML and PDF stubs
show the same things in the same order and differ only in how they draw them.
Formatting decisions live here: money as ``$1,234.56``, hours to 2 places,
rates to 2 places when whole cents and to 4 otherwise (:func:`ot.core.money.rate_text`,
the same everywhere). Every earnings line reads hours x rate = amount, rounded
half-up to the cent; a line that carries a cent of its workweek's rounding is
marked :data:`CARRY_MARK` and the legend says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ot.core.money import ZERO, cents, hours2, rate_text
from ot.stubs.model import (
    ADJUSTMENT_CLASS,
    BASIS_CLASSES,
    CLASS_NAMES,
    EARNING_CLASSES,
    MAKEUP_CLASS,
    PAID_OUT,
    PREMIUM_CLASS,
    ClassTotal,
    PayStub,
    RateInEffect,
    StubLine,
    counts_hours,
)

Align = Literal["left", "right"]
CORRECTION_MARK = "*"
CARRY_MARK = "~"
EMPTY_CORRECTIONS = "No corrections this period."
TITLE = "PAY STUB PREVIEW"
DISCLAIMER = "Preview of gross wages only: taxes and deductions are not computed."


def money(amount: Decimal) -> str:
    """``$1,234.56``; ``-$12.00`` for a negative amount."""
    value = cents(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def signed_money(amount: Decimal) -> str:
    """``+$12.00`` / ``-$12.00`` / ``$0.00``: a difference."""
    value = cents(amount)
    if value > 0:
        return "+" + money(value)
    return money(value)


def hours(value: Decimal) -> str:
    """Hours to two places (``8.00``)."""
    return f"{hours2(value):,.2f}"


def rate(value: Decimal) -> str:
    """``$20.00``, or ``$21.2345`` when the rate is not whole cents (:func:`ot.core.money.rate_text`)."""
    return rate_text(value, "$")


def multiplier(value: Decimal) -> str:
    """``1.5x``."""
    text = format(value.normalize(), "f")
    return f"{text}x"


@dataclass(frozen=True)
class Column:
    """A table column.

    Attributes:
        title: Heading.
        align: ``left`` or ``right`` (numbers).
        flex: The column that wraps when a text stub runs out of width.
    """

    title: str
    align: Align = "left"
    flex: bool = False


@dataclass(frozen=True)
class Table:
    """A titled table of text cells.

    Attributes:
        key: Stable name (``earnings``), used as an HTML class.
        title: Heading.
        columns: Its columns.
        rows: Cells, one tuple per row, as many as columns.
        totals: Rows printed under a rule (sums), same shape as ``rows``.
        empty: What to print when there are no rows.
        legend: Remarks under the table (what a mark means).
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[tuple[str, ...], ...] = ()
    empty: str = ""
    legend: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    """Everything a stub prints, as strings, in order.

    Attributes:
        title: The document's title line.
        employer: The employer's name, then its address lines.
        facts: (label, value) pairs: worker, id, type, period, pay date.
        tables: The tables, in order.
        gross: (label, value) of the gross pay line.
        paid: (label, value) of what the stub pays out when corrections change it, else None.
        notes: Closing remarks.
        file_title: A short title for a window or PDF metadata.
    """

    title: str
    employer: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...]
    gross: tuple[str, str]
    notes: tuple[str, ...]
    file_title: str
    paid: tuple[str, str] | None = None


#: How the Display rate column marks where each display rate comes from.
DISPLAY_LABELS: dict[str, str] = {
    "shift": "shift",
    "worker": "worker",
    "profile": "profile",
    "regular_rate": "regular rate",
}
_DISPLAY_LEGEND: dict[str, str] = {
    "shift": "shift: the display rate set on the shift.",
    "worker": "worker: the display rate set for the worker, shown where the shift sets none.",
    "profile": "profile: the worker's profile rate, shown where no display rate is set.",
    "regular_rate": (
        "regular rate: the workweek's regular rate of pay (29 CFR 778.109), shown where no display rate is set."
    ),
}


def _source(r: RateInEffect) -> str:
    """Where a display rate comes from (a stub issued before this was recorded: set on the shift)."""
    return r.display_from or "shift"


def _display_legend(rates: tuple[RateInEffect, ...]) -> tuple[str, ...]:
    sources = [s for s in DISPLAY_LABELS if any(r.display_rate is not None and _source(r) == s for r in rates)]
    if not sources:
        return ()
    return (
        "A display rate is shown, never paid: pay is computed at the rate beside it.",
        *(_DISPLAY_LEGEND[s] for s in sources),
    )


def _class_cell(line: StubLine) -> str:
    mark = CORRECTION_MARK if line.correction else ""
    return f"{line.hour_class}{mark}"


def _hours_cell(line: StubLine) -> str:
    if line.hour_class in EARNING_CLASSES:
        return ""
    if not line.counts_hours:
        return f"({hours(line.hours)})"
    return hours(line.hours)


def _location_cell(line: StubLine) -> str:
    """The location's id (its name is in the table's legend), else the state."""
    return line.location_id or line.location_name or line.state


def _location_legend(lines: tuple[StubLine, ...]) -> tuple[str, ...]:
    """``Location L1: Los Angeles`` for every location named in ``lines``, by id: the rows
    show only the id, so that a row fits one line of an 80-column stub. (An id that
    carries two names, say across a rename, lists both.)"""
    names: dict[str, list[str]] = {}
    for line in lines:
        if line.location_id and line.location_name and line.location_name != line.location_id:
            seen = names.setdefault(line.location_id, [])
            if line.location_name not in seen:
                seen.append(line.location_name)
    return tuple(f"Location {loc}: {'; '.join(names[loc])}" for loc in sorted(names))


def _allocated_legend(stub: PayStub) -> tuple[str, ...]:
    """A bonus earned over several workweeks is not in these rates: each hour of those weeks earned its
    share more (29 CFR 778.209(a)), which the BONUS_OT lines (the overtime's part) and the premium lines
    at that share pay. Said, with the share, so the lines check against the rate (a review: the table
    showed $20.00 beside BONUS_OT lines priced from $23.00)."""
    shares = sorted(
        {
            (ln.rate / ln.multiplier).quantize(Decimal("0.0001"))
            for ln in stub.lines
            if ln.multiplier
            and (ln.hour_class == "BONUS_OT" or (ln.hour_class == PREMIUM_CLASS and "778.209" in ln.rule))
        }
    )
    if not shares:
        return ()
    each = ", ".join(rate(x) for x in shares)
    return (
        f"A bonus earned over several workweeks is not in these rates: each hour worked in them earned {each} "
        "more (29 CFR 778.209(a)); the BONUS_OT lines pay the overtime's part of it, and premium lines at that "
        "rate the premiums'.",
    )


def _correction_totals(stub: PayStub) -> tuple[tuple[str, ...], ...]:
    """The corrections' net; when some were paid outside ot, what this stub pays of them apart from those
    (a reader adds the first to the gross: a review read +65.00 paid externally as paid with the stub)."""
    if not stub.corrections:
        return ()
    outside = [c for c in stub.corrections if c.settlement not in PAID_OUT]
    if not outside:
        return (("Net", "", "", "", "", signed_money(stub.corrections_total), ""),)
    here = sum((c.difference for c in stub.corrections if c.settlement in PAID_OUT), ZERO)
    there = sum((c.difference for c in outside), ZERO)
    return (
        ("Net", "", "", "", "", signed_money(here), ""),
        ("Paid apart", "", "", "", "", signed_money(there), ""),
    )


def _line_rows(lines: tuple[StubLine, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            line.day.isoformat(),
            _class_cell(line),
            _hours_cell(line),
            "" if line.hour_class in EARNING_CLASSES else rate(line.rate),
            money(line.amount) + (CARRY_MARK if line.carry != ZERO else ""),
            _location_cell(line),
            line.state,
        )
        for line in lines
    )


_LINE_COLUMNS = (
    Column("Date"),
    Column("Class"),
    Column("Hours", "right"),
    Column("Rate", "right"),
    Column("Amount", "right"),
    Column("Location", flex=True),
    Column("State"),
)


def _line_totals(lines: tuple[StubLine, ...]) -> tuple[tuple[str, ...], ...]:
    if not lines:
        return ()
    total_hours = hours(sum((ln.hours for ln in lines if ln.counts_hours), ZERO))
    total = money(sum((ln.amount for ln in lines), ZERO))
    return (("Total", "", total_hours, "", total, "", ""),)


def _basis_legend(lines: tuple[StubLine, ...]) -> tuple[str, ...]:
    """Each earning's rate basis and whether it counts toward the regular rate (its rule's words):
    ``2026-11-06 PIECE: piece 982 x $0.50 (in the regular rate, 29 CFR 778.111)``."""
    return tuple(f"{ln.day.isoformat()} {ln.hour_class}: {ln.rule}" for ln in lines if ln.hour_class in BASIS_CLASSES)


def _legend(lines: tuple[StubLine, ...]) -> tuple[str, ...]:
    out: list[str] = [*_location_legend(lines), *_basis_legend(lines)]
    if any(line.hour_class == ADJUSTMENT_CLASS for line in lines):
        out.append(
            f"{ADJUSTMENT_CLASS}: overtime brought up to the workweek's regular rate (29 CFR 778.115); "
            "its hours are the overtime hours it adjusts."
        )
    if any(line.hour_class == MAKEUP_CLASS for line in lines):
        out.append(
            f"{MAKEUP_CLASS}: pay brought up to the minimum wage (per workweek, 29 CFR 776.5, or per hour where "
            "state law says so); its hours are hours worked already counted."
        )
    if any(line.hour_class == PREMIUM_CLASS for line in lines):
        out.append(
            f"{PREMIUM_CLASS}: hours of pay owed as a premium, not hours worked (a missed meal or rest period, a split "
            "shift, a long spread of hours, reporting time) at the rate shown; `ot explain` names the rule of each."
        )
    if any(not line.counts_hours and line.hour_class not in EARNING_CLASSES for line in lines):
        out.append("Hours in parentheses are not hours worked and are not added to the total.")
    if any(line.carry != ZERO for line in lines):
        out.append(
            f"{CARRY_MARK} carries a cent of its workweek's rounding: each kind of hours is priced once for the "
            "week, hours x rate rounded half-up, and its days share that amount."
        )
    if any(line.correction for line in lines):
        out.append(f"{CORRECTION_MARK} correction: hours added or changed after their date was paid.")
    return tuple(out)


def _total_hours_cell(total: ClassTotal) -> str:
    if total.hour_class in EARNING_CLASSES:
        return ""
    if not counts_hours(total.hour_class):
        return f"({hours(total.hours)})"
    return hours(total.hours)


def layout(stub: PayStub) -> Layout:
    """The stub as headings, facts and tables of text cells."""
    facts = (
        ("Worker", stub.worker_name),
        ("Worker id", stub.worker_id),
        ("Worker type", stub.worker_type),
        ("Pay period", f"{stub.period.start.isoformat()} to {stub.period.end.isoformat()}"),
        ("Pay date", stub.period.pay_date.isoformat()),
    )
    rates = Table(
        key="rates",
        title="Rates in effect",
        columns=(Column("Rate", "right"), Column("Hours", "right"), Column("Display rate", flex=True)),
        rows=tuple(
            (
                rate(r.rate),
                hours(r.hours),
                f"{rate(r.display_rate)} ({DISPLAY_LABELS.get(_source(r), _source(r))})"
                if r.display_rate is not None
                else "",
            )
            for r in stub.rates
        ),
        empty="No hours worked this period.",
        legend=_display_legend(stub.rates),
    )
    week_rates = Table(
        key="week-rates",
        title="Regular rate of pay by workweek",
        columns=(Column("Workweek from"), Column("Regular rate", "right", flex=True)),
        rows=tuple((w.week_start.isoformat(), rate(w.regular_rate)) for w in stub.week_rates),
        empty="No workweek has hours in this period.",
        legend=_allocated_legend(stub),
    )
    earnings = Table(
        key="earnings",
        title="Hours and earnings",
        columns=_LINE_COLUMNS,
        rows=_line_rows(stub.lines),
        totals=_line_totals(stub.lines),
        empty="No hours worked this period.",
        legend=_legend(stub.lines),
    )
    leave = Table(
        key="leave",
        title="Paid leave and holidays",
        columns=_LINE_COLUMNS,
        rows=_line_rows(stub.leave),
        totals=_line_totals(stub.leave),
        empty="No paid leave or holiday hours this period.",
        legend=_legend(stub.leave),
    )
    totals = Table(
        key="totals",
        title="Totals by class",
        columns=(Column("Class", flex=True), Column("Hours", "right"), Column("Amount", "right")),
        rows=tuple(
            (f"{t.hour_class} {CLASS_NAMES.get(t.hour_class, '')}".strip(), _total_hours_cell(t), money(t.amount))
            for t in stub.totals
        ),
        totals=(("Gross pay", hours(stub.total_hours), money(stub.gross)),),
        empty="Nothing is paid this period.",
    )
    corrections = Table(
        key="corrections",
        title="Corrections",
        columns=(
            Column("Date"),
            Column("Hours paid", "right"),
            Column("Hours due", "right"),
            Column("Paid", "right"),
            Column("Due", "right"),
            Column("Difference", "right"),
            Column("Settlement", flex=True),
        ),
        rows=tuple(
            (
                c.day.isoformat(),
                hours(c.original_hours),
                hours(c.corrected_hours),
                money(c.original_amount),
                money(c.corrected_amount),
                signed_money(c.difference),
                f"{c.label}, {c.settlement_text}",
            )
            for c in stub.corrections
        ),
        legend=tuple(f"{c.day.isoformat()}: {c.note}" for c in stub.corrections if c.note)
        + (
            ("Net: what this stub pays of them. Paid apart: paid outside ot (externally), not in this pay.",)
            if any(c.settlement not in PAID_OUT for c in stub.corrections)
            else ()
        ),
        totals=_correction_totals(stub),
        empty=EMPTY_CORRECTIONS,
    )
    extra: list[Table] = []
    # What this pay settles, whenever it is not the corrections' own net: a deduction taken in part (some
    # still open), or the rest of one carried from an earlier pay (the correction shows whole above).
    shown = sum((c.difference for c in stub.corrections if c.settlement in PAID_OUT), ZERO)
    if stub.settled and (any(x.still_open for x in stub.settled) or sum(x.amount for x in stub.settled) != shown):
        extra.append(
            Table(
                key="settled",
                title="Settled with this pay",
                columns=(
                    Column("Correction"),
                    Column("Kind", flex=True),
                    Column("This pay", "right"),
                    Column("Still open", "right"),
                ),
                rows=tuple(
                    (x.correction_id, x.kind, signed_money(x.amount), money(x.still_open)) for x in stub.settled
                ),
                legend=(
                    "What is still open of an overpayment is deducted from a later pay; a correction carried from "
                    "an earlier pay shows whole above, and this pay settles what was still open of it.",
                ),
            )
        )
    if stub.later:
        extra.append(
            Table(
                key="later",
                title="Corrections made since this stub was issued",
                columns=corrections.columns,
                rows=tuple(
                    (
                        c.day.isoformat(),
                        hours(c.original_hours),
                        hours(c.corrected_hours),
                        money(c.original_amount),
                        money(c.corrected_amount),
                        signed_money(c.difference),
                        f"{c.label}, {c.settlement_text.replace('this pay', 'a later pay')}",
                    )
                    for c in stub.later
                ),
                legend=tuple(f"{c.day.isoformat()}: {c.note}" for c in stub.later if c.note),
            )
        )
    notes = list(stub.notes)
    if not stub.employer.configured:
        notes.append(
            "The employer's name and address are not configured: run `ot employer set --name ... --address ...`."
        )
    notes.append(DISCLAIMER)
    return Layout(
        title=TITLE,
        employer=(stub.employer.name, *stub.employer.address),
        facts=facts,
        tables=(rates, week_rates, earnings, leave, totals, corrections, *extra),
        gross=("Gross pay", money(stub.gross)),
        paid=(
            ("Paid with this stub (gross and corrections)", money(stub.paid_with_stub))
            if stub.paid_with_stub != stub.gross
            else None
        ),
        notes=tuple(notes),
        file_title=f"Pay stub {stub.worker_name} ({stub.worker_id}) {stub.period.label()}",
    )
