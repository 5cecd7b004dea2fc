"""Pay-period and employer configuration, kept in the ledger as events.

Events (unknown to the ledger's own validation; checked here before they are
appended):

``payperiod.configured``
    ``{frequency, anchor, pay_date_offset, effective}``: ``anchor`` a
    ``YYYY-MM-DD`` first day of some period; ``effective`` None or the first
    day of one of its periods. Without ``effective`` the configuration replaces
    every earlier one (a fix of the set-up); with it, it is in force from that
    date and the earlier ones stay in force before it.
``employer.configured``
    ``{name, address}``: ``address`` a list of lines. The latest one counts.

With nothing recorded, pay periods are biweekly anchored on Sunday 2026-10-11
and paid 5 days after they end, and the employer is "Unnamed employer"; the
views say so and name the command that configures them. Reading never creates
a ledger file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ledger.events import Event, NewEvent
from ledger.store import Ledger
from ot.core.cells import control_problem
from ot.core.errors import OtError, Problem
from ot.core.periods import PayPeriod, PayPeriodConfig, PaySchedule, config_problems, period_containing
from ot.stubs.model import Employer

PERIOD_EVENT = "payperiod.configured"
EMPLOYER_EVENT = "employer.configured"
DEFAULT_CONFIG = PayPeriodConfig("biweekly", date(2026, 10, 11), 5)
DEFAULT_EMPLOYER = Employer("Unnamed employer", (), configured=False)
PERIOD_HINT = (
    "pay periods are not configured: using biweekly periods from Sunday 2026-10-11, paid 5 days after they end; "
    "run `ot period configure --frequency ... --anchor ... --pay-date-offset ...`"
)
EMPLOYER_HINT = "the employer is not configured: run `ot employer set --name ... --address ...`"
MAX_NAME = 200
MAX_ADDRESS_LINES = 6


@dataclass(frozen=True)
class PeriodSettings:
    """The pay-period configuration the ledger records.

    Attributes:
        schedule: The configurations in force one after the other.
        configured: False when the ledger records none (the default applies).
    """

    schedule: PaySchedule
    configured: bool

    @property
    def hint(self) -> str | None:
        """What to do when nothing is configured, else None."""
        return None if self.configured else PERIOD_HINT


@dataclass(frozen=True)
class PeriodListing:
    """What ``ot period show`` prints.

    Attributes:
        day: The date asked about.
        periods: The period containing ``day``, then the next ones.
        config: The configuration in force on ``day``.
        configured: False when the default applies.
        hint: What to do when nothing is configured, else None.
    """

    day: date
    periods: tuple[PayPeriod, ...]
    config: PayPeriodConfig
    configured: bool
    hint: str | None


@dataclass(frozen=True)
class Configured:
    """The result of a configure command.

    Attributes:
        added: False when the ledger already recorded exactly this (nothing appended).
        seq: Sequence number of the new event, or None when nothing was added.
    """

    added: bool
    seq: int | None


# --- reading -----------------------------------------------------------------


def _config_of(event: Event) -> PayPeriodConfig:
    p = event.payload
    try:
        effective = p.get("effective")
        return PayPeriodConfig(
            frequency=str(p["frequency"]),
            anchor=date.fromisoformat(str(p["anchor"])),
            pay_date_offset=int(p["pay_date_offset"]),
            effective=date.fromisoformat(str(effective)) if effective else None,
        )
    except (KeyError, TypeError, ValueError, OtError) as exc:
        raise OtError(
            "the ledger's pay-period configuration cannot be read",
            [
                Problem(
                    f"ledger event {event.seq} ({PERIOD_EVENT})",
                    f"{exc}: record a valid one with `ot period configure`",
                )
            ],
        ) from None


def schedule_of(events: Iterable[Event]) -> PeriodSettings:
    """The pay schedule of ``payperiod.configured`` events, in ledger order."""
    configs: list[PayPeriodConfig] = []
    for event in events:
        config = _config_of(event)
        if config.effective is None:
            configs = [config]
        else:
            configs = [c for c in configs if c.starts < config.effective]
            configs.append(config)
    if not configs:
        return PeriodSettings(PaySchedule((DEFAULT_CONFIG,)), configured=False)
    if configs[0].effective is not None and configs[0].effective > DEFAULT_CONFIG.anchor:
        # The first calendar recorded takes effect from a date: before it, the default
        # calendar (the one pay runs may already have paid) stays in force.
        configs.insert(0, DEFAULT_CONFIG)
    return PeriodSettings(PaySchedule.of(configs), configured=True)


def employer_of(events: Iterable[Event]) -> Employer:
    """The employer of the last ``employer.configured`` event, else the default."""
    found = DEFAULT_EMPLOYER
    for event in events:
        p = event.payload
        found = Employer(str(p["name"]), tuple(str(line) for line in p.get("address") or ()), configured=True)
    return found


def period_settings(ledger: Ledger) -> PeriodSettings:
    """The pay schedule recorded in an open ledger."""
    return schedule_of(ledger.events(kind=PERIOD_EVENT))


def employer(ledger: Ledger) -> Employer:
    """The employer recorded in an open ledger."""
    return employer_of(ledger.events(kind=EMPLOYER_EVENT))


def _read(ledger_path: Path) -> tuple[PeriodSettings, Employer]:
    if not Path(ledger_path).exists():
        return PeriodSettings(PaySchedule((DEFAULT_CONFIG,)), configured=False), DEFAULT_EMPLOYER
    from ot.services.uow import unit_of_work

    with unit_of_work(ledger_path) as uow:
        return uow.settings, uow.employer


def current_settings(ledger_path: Path) -> PeriodSettings:
    """The pay schedule of the ledger at ``ledger_path`` (the default if none)."""
    return _read(ledger_path)[0]


def current_employer(ledger_path: Path) -> Employer:
    """The employer of the ledger at ``ledger_path`` (the default if none)."""
    return _read(ledger_path)[1]


def list_periods(ledger_path: Path, day: date, count: int = 4) -> PeriodListing:
    """The period containing ``day`` and the ``count - 1`` after it."""
    if not 1 <= count <= 100:
        raise OtError("cannot list the periods", [Problem("--count", f"{count} is out of range: give 1 to 100")])
    settings = current_settings(ledger_path)
    periods: list[PayPeriod] = []
    for period in settings.schedule.iter_from(day):
        periods.append(period)
        if len(periods) == count:
            break
    return PeriodListing(
        day=day,
        periods=tuple(periods),
        config=settings.schedule.config_on(day),
        configured=settings.configured,
        hint=settings.hint,
    )


def period_of(ledger_path: Path, day: date) -> PayPeriod:
    """The pay period containing ``day``."""
    return current_settings(ledger_path).schedule.period_containing(day)


# --- writing -----------------------------------------------------------------


def configure_periods(
    ledger_path: Path,
    *,
    frequency: str,
    anchor: date,
    pay_date_offset: int,
    effective: date | None,
    actor: str,
    now: datetime,
) -> Configured:
    """Record a pay-period configuration; nothing is written if it is not valid
    or if it is exactly what the ledger already says."""
    problems = config_problems(frequency, anchor, pay_date_offset, effective)
    if problems:
        raise OtError(
            "the pay periods were not configured; nothing was written",
            [Problem(f"--{p.where.replace('_', '-')}", p.message) for p in problems],
        )
    config = PayPeriodConfig(frequency, anchor, pay_date_offset, effective)
    payload: dict[str, Any] = {
        "frequency": frequency,
        "anchor": anchor.isoformat(),
        "pay_date_offset": pay_date_offset,
        "effective": effective.isoformat() if effective else None,
    }
    from ot.services.uow import unit_of_work

    with unit_of_work(ledger_path, actor=actor, now=now, write=True, create=True) as uow:
        uow.require("configure pay periods")
        existing = list(uow.reads.events(kind=PERIOD_EVENT))
        if existing and _config_of(existing[-1]) == config:
            return Configured(added=False, seq=None)
        _after_paid(uow.pay.last_paid_date(), config)
        added = uow.append([NewEvent(PERIOD_EVENT, payload)])
    return Configured(added=True, seq=added[0].seq)


def _after_paid(last_paid: date | None, config: PayPeriodConfig) -> None:
    """Refuse a calendar that would reach back over paid dates: it takes effect after the last one."""
    if last_paid is None:
        return
    first_free = last_paid + timedelta(days=1)
    if config.effective is not None and config.effective > last_paid:
        return
    start = period_containing(config, first_free)
    suggestion = start.start if start.start >= first_free else start.end + timedelta(days=1)
    given = f"from {config.effective}" if config.effective else "without --effective (it would replace every period)"
    raise OtError(
        "the pay periods were not configured; nothing was written",
        [
            Problem(
                "--effective",
                f"dates are paid through {last_paid}: a new calendar takes effect only after them ({given}); "
                f"give --effective {suggestion.isoformat()} (the first day of one of its periods after "
                f"{last_paid})",
            )
        ],
    )


def _clean_line(text: str) -> str:
    return " ".join(text.split())


def set_employer(ledger_path: Path, *, name: str, address: Sequence[str], actor: str, now: datetime) -> Configured:
    """Record the employer's name and address lines (what every stub prints)."""
    problems: list[Problem] = []
    clean_name = _clean_line(name)
    # Checked as given: a newline or a tab is refused, not folded into a space, like an escape (a review:
    # `--name $'Evil\e]0;pwned\a'` was recorded, and printed raw by `ot employer show`).
    control = control_problem(name, "the name")
    if control is not None:
        problems.append(Problem("--name", control))
    elif not clean_name:
        problems.append(Problem("--name", "the employer's name is empty: give the name to print on pay stubs"))
    elif len(clean_name) > MAX_NAME:
        problems.append(Problem("--name", f"the name is {len(clean_name)} characters long: give at most {MAX_NAME}"))
    lines = [_clean_line(line) for line in address]
    for i, line in enumerate(lines, 1):
        control = control_problem(address[i - 1], "the line")
        if control is not None:
            problems.append(Problem(f"--address #{i}", control))
        elif not line:
            problems.append(Problem(f"--address #{i}", "an address line is empty: leave it out or give its text"))
        elif len(line) > MAX_NAME:
            problems.append(
                Problem(f"--address #{i}", f"the line is {len(line)} characters long: give at most {MAX_NAME}")
            )
    if len(lines) > MAX_ADDRESS_LINES:
        problems.append(Problem("--address", f"{len(lines)} address lines: give at most {MAX_ADDRESS_LINES}"))
    if problems:
        raise OtError("the employer was not set; nothing was written", problems)
    from ot.services.uow import unit_of_work

    with unit_of_work(ledger_path, actor=actor, now=now, write=True, create=True) as uow:
        uow.require("set the employer")
        current = uow.employer
        if current.configured and current.name == clean_name and list(current.address) == lines:
            return Configured(added=False, seq=None)
        added = uow.append([NewEvent(EMPLOYER_EVENT, {"name": clean_name, "address": lines})])
    return Configured(added=True, seq=added[0].seq)
