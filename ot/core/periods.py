"""Pay periods: which calendar dates one payroll pays, and when it pays them.

Pure calendar arithmetic on local dates (no clock, no database).

- ``weekly`` and ``biweekly`` periods are 7 and 14 days long and repeat from
  the ``anchor``, the first day of some period (forwards and backwards).
- ``semimonthly`` periods are the 1st-15th and the 16th-last day of each month;
  the anchor must be a 1st or a 16th.
- The pay date is the period's last day plus ``pay_date_offset`` days.

Pay periods and workweeks are different things. Overtime is always computed on
the whole workweek (29 CFR 778.104: each workweek stands alone), never on a pay
period. A semi-monthly period (and a weekly or biweekly one whose anchor is not
the workweek's first day) splits a workweek in two: the engine prices the whole
workweek, and each of its pay lines is then assigned to the period that
contains the line's date (the local workday it was worked). So overtime earned
on the 17th because of hours worked on the 14th is paid in the period of the
17th, and the 14th's hours are paid, at their own class, in the earlier one.

A :class:`PaySchedule` strings together the configurations recorded over time:
each is in force from its ``effective`` date, which must be the first day of
one of its periods; the last period of the configuration before it is cut
short the day before (a transition period), so the periods still tile the
calendar with no gap and no overlap.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from ot.core.errors import OtError, Problem

Frequency = Literal["weekly", "biweekly", "semimonthly"]
FREQUENCIES: tuple[str, ...] = ("weekly", "biweekly", "semimonthly")
_DAYS = {"weekly": 7, "biweekly": 14}
MAX_PAY_DATE_OFFSET = 31


@dataclass(frozen=True)
class PayPeriodConfig:
    """How an employer's pay periods run, from a date on.

    Attributes:
        frequency: ``weekly``, ``biweekly`` or ``semimonthly``.
        anchor: The first day of some period (for ``semimonthly``, a 1st or a 16th).
        pay_date_offset: Days from a period's last day to its pay date (0-31).
        effective: First date this configuration is in force (a first day of one
            of its periods); earlier dates belong to the configuration before it.
    """

    frequency: str
    anchor: date
    pay_date_offset: int = 5
    effective: date | None = None

    def __post_init__(self) -> None:
        problems = config_problems(self.frequency, self.anchor, self.pay_date_offset, self.effective)
        if problems:
            raise OtError("the pay-period configuration is not valid", problems)

    @property
    def starts(self) -> date:
        """The date from which this configuration is in force."""
        return self.effective if self.effective is not None else self.anchor


@dataclass(frozen=True)
class PayPeriod:
    """One pay period.

    Attributes:
        start: Its first local date.
        end: Its last local date (inclusive).
        pay_date: The date it is paid.
        index: Its number counted from the configuration's anchor period (0),
            negative before it.
        frequency: The frequency of the configuration that made it.
    """

    start: date
    end: date
    pay_date: date
    index: int
    frequency: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and not isinstance(day, datetime) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        """How many calendar days it covers."""
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """``2026-10-11 to 2026-10-24`` for headings and file names."""
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def config_problems(frequency: str, anchor: date, pay_date_offset: int, effective: date | None) -> list[Problem]:
    """Every problem with a pay-period configuration, each naming its field."""
    problems: list[Problem] = []
    if frequency not in FREQUENCIES:
        problems.append(Problem("frequency", f"{frequency!r} is not a frequency: use one of {', '.join(FREQUENCIES)}"))
    elif frequency == "semimonthly" and anchor.day not in (1, 16):
        problems.append(
            Problem(
                "anchor",
                f"{anchor.isoformat()} is not the first day of a semi-monthly period: use a 1st or a 16th",
            )
        )
    if isinstance(pay_date_offset, bool) or not isinstance(pay_date_offset, int):
        problems.append(Problem("pay_date_offset", f"{pay_date_offset!r} is not a whole number of days"))
    elif not 0 <= pay_date_offset <= MAX_PAY_DATE_OFFSET:
        problems.append(
            Problem("pay_date_offset", f"{pay_date_offset} days is out of range: use 0 to {MAX_PAY_DATE_OFFSET}")
        )
    if effective is not None and frequency in FREQUENCIES and not problems:
        first = _raw_period(frequency, anchor, effective)[0]
        if first != effective:
            problems.append(
                Problem(
                    "effective",
                    f"{effective.isoformat()} is not the first day of a {frequency} period anchored on "
                    f"{anchor.isoformat()} (that period starts {first.isoformat()}): give a period's first day",
                )
            )
    return problems


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _raw_period(frequency: str, anchor: date, day: date) -> tuple[date, date, int]:
    """(start, end, index) of the period of ``day`` under a configuration taken
    as running forever, before and after its anchor."""
    if frequency == "semimonthly":
        half = 0 if day.day <= 15 else 1
        anchor_half = 0 if anchor.day < 16 else 1
        index = (_month_index(day) - _month_index(anchor)) * 2 + half - anchor_half
        if half == 0:
            return day.replace(day=1), day.replace(day=15), index
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=16), day.replace(day=last), index
    length = _DAYS[frequency]
    index = (day - anchor).days // length
    start = anchor + timedelta(days=index * length)
    return start, start + timedelta(days=length - 1), index


def period_containing(config: PayPeriodConfig, day: date) -> PayPeriod:
    """The period of ``config`` that contains ``day`` (the configuration taken as
    running forever, before and after its anchor)."""
    start, end, index = _raw_period(config.frequency, config.anchor, day)
    return PayPeriod(start, end, end + timedelta(days=config.pay_date_offset), index, config.frequency)


def periods_between(config: PayPeriodConfig, start: date, end: date) -> tuple[PayPeriod, ...]:
    """Every period of ``config`` that overlaps ``start``..``end`` (inclusive), in order."""
    if end < start:
        return ()
    out: list[PayPeriod] = []
    day = start
    while day <= end:
        period = period_containing(config, day)
        out.append(period)
        day = period.end + timedelta(days=1)
    return tuple(out)


@dataclass(frozen=True)
class PaySchedule:
    """Pay-period configurations in force one after the other.

    Attributes:
        configs: By ``effective`` date (then recording order), oldest first; at
            least one. A date before the first configuration's effective date
            belongs to the first configuration.
    """

    configs: tuple[PayPeriodConfig, ...]

    def __post_init__(self) -> None:
        if not self.configs:
            raise ValueError("a pay schedule needs at least one configuration")

    @classmethod
    def of(cls, configs: tuple[PayPeriodConfig, ...] | list[PayPeriodConfig]) -> PaySchedule:
        """A schedule of configurations in any order; a later-recorded one with
        the same effective date replaces an earlier one."""
        by_start: dict[date, PayPeriodConfig] = {}
        for config in configs:
            by_start[config.starts] = config
        return cls(tuple(by_start[k] for k in sorted(by_start)))

    def config_on(self, day: date) -> PayPeriodConfig:
        """The configuration in force on ``day``."""
        found = self.configs[0]
        for config in self.configs:
            if config.starts <= day:
                found = config
        return found

    def _next_start(self, config: PayPeriodConfig) -> date | None:
        for other in self.configs:
            if other.starts > config.starts:
                return other.starts
        return None

    def period_containing(self, day: date) -> PayPeriod:
        """The period that contains ``day``, cut short where the next configuration begins."""
        config = self.config_on(day)
        period = period_containing(config, day)
        following = self._next_start(config)
        if following is not None and period.end >= following:
            end = following - timedelta(days=1)
            period = replace(period, end=end, pay_date=end + timedelta(days=config.pay_date_offset))
        return period

    def periods_between(self, start: date, end: date) -> tuple[PayPeriod, ...]:
        """Every period overlapping ``start``..``end`` (inclusive), in order."""
        return tuple(self.iter_from(start, until=end))

    def iter_from(self, day: date, until: date | None = None) -> Iterator[PayPeriod]:
        """Periods from the one containing ``day`` on (up to the one containing ``until``)."""
        while until is None or day <= until:
            period = self.period_containing(day)
            yield period
            day = period.end + timedelta(days=1)
