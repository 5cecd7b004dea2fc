"""The Period setup screen's reads and its one write, with the fields as typed.

:func:`period_setup` is what ``ot period show`` prints (the configuration in
force on a date and the periods from it) plus every configuration the schedule
holds and the last paid date, which a new calendar must start after.
:func:`configure_from_form` reads the form's fields the way ``ot period
configure`` reads its options (a date through the one date reader, the offset
0 to 31) and calls :func:`ot.services.periods.configure_periods`, which
validates, checks who acts (an admin) and records; a bad field is an
``OtError`` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ot.core.errors import OtError, Problem
from ot.core.periods import PayPeriodConfig
from ot.core.timez import TimeError, parse_date
from ot.services.periods import Configured, PeriodListing, configure_periods, list_periods

__all__ = ["PeriodSetup", "config_text", "configure_from_form", "period_setup"]

MAX_OFFSET = 31
#: The CLI's option names as the form's fields.
FIELDS = {
    "--frequency": "frequency",
    "--anchor": "anchor",
    "--pay-date-offset": "pay date offset",
    "--effective": "effective",
}


@dataclass(frozen=True)
class PeriodSetup:
    """The pay calendar as the screen shows it.

    Attributes:
        listing: What ``ot period show --date DAY --count N`` prints.
        configs: Every configuration of the schedule, oldest first.
        last_paid: The last date anyone was paid (a new calendar starts after it), or None.
    """

    listing: PeriodListing
    configs: tuple[PayPeriodConfig, ...]
    last_paid: date | None


def config_text(config: PayPeriodConfig) -> str:
    """``biweekly from 2026-10-11, paid 5 days after the end (in force from 2026-11-08)``."""
    text = f"{config.frequency} from {config.anchor}, paid {config.pay_date_offset} days after the end"
    return text + (f" (in force from {config.effective})" if config.effective else "")


def period_setup(ledger_path: Path, day: date, count: int) -> PeriodSetup:
    """The configuration and the ``count`` periods from the one containing ``day``."""
    listing = list_periods(ledger_path, day, count)
    if not Path(ledger_path).exists():
        return PeriodSetup(listing, (listing.config,), None)
    from ot.services.uow import unit_of_work

    with unit_of_work(ledger_path) as uow:
        return PeriodSetup(listing, uow.schedule.configs, uow.pay.last_paid_date())


def _date(field: str, text: str, problems: list[Problem]) -> date | None:
    try:
        return parse_date(text)
    except TimeError as exc:
        problems.append(Problem(field, str(exc)))
        return None


def configure_from_form(
    ledger_path: Path,
    *,
    frequency: str,
    anchor: str,
    pay_date_offset: str,
    effective: str,
    actor: str,
    now: datetime,
) -> Configured:
    """Record a pay-period configuration from the form's text (``effective`` blank: replace every one)."""
    problems: list[Problem] = []
    anchor_day = _date("anchor", anchor, problems) if anchor.strip() else None
    if not anchor.strip():
        problems.append(Problem("anchor", "give the first day of some period (YYYY-MM-DD)"))
    effective_day = _date("effective", effective, problems) if effective.strip() else None
    offset: int | None = None
    try:
        offset = int(pay_date_offset.strip())
    except ValueError:
        problems.append(Problem("pay date offset", f"{pay_date_offset!r} is not a whole number of days: give 0 to 31"))
    if offset is not None and not 0 <= offset <= MAX_OFFSET:
        problems.append(Problem("pay date offset", f"{offset} is out of range: give 0 to {MAX_OFFSET} days"))
    if problems or anchor_day is None or offset is None:
        raise OtError("the pay periods were not configured; nothing was written", problems)
    try:
        return configure_periods(
            ledger_path,
            frequency=frequency,
            anchor=anchor_day,
            pay_date_offset=offset,
            effective=effective_day,
            actor=actor,
            now=now,
        )
    except OtError as exc:  # the service names the CLI's options: here they are the form's fields
        named = [Problem(FIELDS.get(p.where, p.where), p.message) for p in exc.problems]
        raise type(exc)(exc.message, named) from None
