"""The approve-by date of a pay period: the day its timecards must be approved for payroll to pay on time.

What the seed says (Justworks, "approving timecards"): a gray box beside the pay
period says when to approve; "usually, it will be on a Monday, but sometimes, for
the holidays, it will be earlier". Our reading, stated so it can be argued with:

- Payroll needs a fixed number of business days between the approval and the pay
  date. With the usual calendar (a period that ends on a Saturday or Sunday, paid a
  few days later) the approval is due on the first business day after the period
  ends: the Monday. That lead (the weekdays from that first weekday to the pay
  date) is what the processor normally has.
- A holiday on a weekday in that window closes the processor (and the banks) for
  a day, so the lead must start one business day earlier for each such holiday:
  the approve-by date moves back one business day per holiday, skipping weekends
  and holidays on the way. A holiday on the first weekday itself (Labor Day on the
  Monday) moves it back too.
- The holidays are those of the rules file in force on the period's last day, the
  federal calendar by default (5 U.S.C. 6103: the days banks and payroll processors
  close; a state's own days, such as Cesar Chavez Day, do not stop them). Observed
  days count as the calendar says: a Saturday holiday kept on the Friday before
  moves the date, as OPM keeps it (the Federal Reserve stays open that Friday; an
  employer who follows the Fed can leave ``observed saturday on friday`` out of its
  own file).
- A pay date on or before that first weekday (a small ``--pay-date-offset``) leaves
  no lead: the approval is due the last business day on or before the pay date.
- The date may fall before the period's last day (``before_end``): payroll then has
  to approve the last days' hours as scheduled, as Justworks asks around holidays.

Pure arithmetic in :func:`approve_by`; :func:`approve_by_on` reads the ledger's pay
schedule and rules (for ``ot period show`` and the TUI).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ot.core.periods import PayPeriod
from rules.model import FEDERAL, Holiday, RuleBook

__all__ = ["ApproveBy", "approve_by", "approve_by_on", "approve_by_period"]

#: How far before a period's end the approve-by date is looked for: holidays that far back are read.
_LOOK_BACK = timedelta(days=31)


@dataclass(frozen=True)
class ApproveBy:
    """When a period's timecards must be approved, and why.

    Attributes:
        period: The pay period.
        day: The approve-by date.
        usual: The first weekday after the period ends (the date without holidays).
        holidays: The holidays that moved it earlier (weekdays between it and the pay date), by day.
    """

    period: PayPeriod
    day: date
    usual: date
    holidays: tuple[Holiday, ...] = ()

    @property
    def moved(self) -> bool:
        """Whether holidays moved the date earlier than usual."""
        return self.day != self.usual

    @property
    def before_end(self) -> bool:
        """Whether the date falls on or before the period's last day."""
        return self.day <= self.period.end

    def line(self) -> str:
        """One line for a screen: ``approve by FRI 2026-11-06 (Veterans Day moved it earlier)``."""
        text = f"approve by {self.day.strftime('%a').upper()} {self.day.isoformat()}"
        why: list[str] = []
        if self.holidays:
            why.append(f"{_join([h.name for h in self.holidays])} moved it earlier")
        if self.day < self.period.end:
            why.append(f"before the period ends on {self.period.end.isoformat()}")
        elif self.day == self.period.end:
            why.append("on the period's last day")
        return f"{text} ({'; '.join(why)})" if why else text


def _join(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _first_weekday_after(day: date) -> date:
    found = day + timedelta(days=1)
    while found.weekday() >= 5:
        found += timedelta(days=1)
    return found


def approve_by(period: PayPeriod, holidays: Iterable[Holiday]) -> ApproveBy:
    """The approve-by date of ``period`` given the holidays kept around it (see the module's reading)."""
    closed = {h.day: h for h in holidays}
    usual = _first_weekday_after(period.end)
    pay = period.pay_date

    def business(day: date) -> bool:
        return day.weekday() < 5 and day not in closed

    lead = sum(1 for n in range(1, (pay - usual).days + 1) if (usual + timedelta(days=n)).weekday() < 5)
    day = min(usual, pay)
    left = sum(1 for n in range(1, (pay - day).days + 1) if business(day + timedelta(days=n)))
    while not business(day) or left < lead:
        if business(day):
            left += 1  # stepping back past a business day adds it to the days left to process
        day -= timedelta(days=1)
    last = max(usual, pay)
    moved_by = tuple(closed[d] for d in sorted(closed) if day < d <= last and d.weekday() < 5)
    return ApproveBy(period, day, usual, moved_by if day != usual else ())


def approve_by_period(period: PayPeriod, book: RuleBook, jurisdiction: str = FEDERAL) -> ApproveBy:
    """The approve-by date of ``period`` with the holidays of ``book``'s calendar for ``jurisdiction``."""
    first = period.end - _LOOK_BACK
    last = max(period.pay_date, _first_weekday_after(period.end))
    return approve_by(period, book.holidays_between(jurisdiction, first, last))


def approve_by_on(ledger_path: Path, day: date, jurisdiction: str = FEDERAL) -> ApproveBy:
    """The approve-by date of the pay period containing ``day``, from the ledger's pay schedule and the
    rules file in force on the period's last day (the shipped rules when there is no ledger yet)."""
    from ot.services.ruleset import RulesHistory

    if not Path(ledger_path).exists():
        from ot.services.periods import current_settings

        period = current_settings(ledger_path).schedule.period_containing(day)
        return approve_by_period(period, RulesHistory(()).book_on(period.end), jurisdiction)
    from ot.services.uow import unit_of_work

    with unit_of_work(ledger_path) as uow:
        period = uow.period_containing(day)
        return approve_by_period(period, uow.history.book_on(period.end), jurisdiction)
