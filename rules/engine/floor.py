"""The minimum-wage floor: which minimum applies to an hour, and the make-up owed.

The floor of an hour is the highest minimum wage that applies where and when it
is worked: federal (29 U.S.C. 206), the state's (its rule set), and the
city's or county's (``local`` blocks of the rules file). Two measures:

- **per workweek** (the FLSA, 29 CFR 776.5; most states): the week's pay for
  hours worked (straight time at each hour's rate, plus bonuses, commissions,
  piece pay: 29 CFR 778.109-778.111) must be at least hours worked x the
  minimum. A shortfall is made up by one ``MW_MAKEUP`` pay group over every
  hour worked that week, at the smallest rate per hour (to four places,
  rounded up) that covers it.
- **per hour** (California: Armenta v. Osmose, Inc. (2005) 135 Cal.App.4th 314;
  no averaging over the week): every hour paid below the minimum is brought up
  to it, hour by hour (``MW_MAKEUP`` at minimum - rate). Hours paid only by the
  piece (rate 0) are measured per workweek, with the week's piece pay.

Make-up pay is pay for hours worked: it counts toward the regular rate, so the
regular rate is never below the minimum wage (29 CFR 778.5, 778.107) and the
week's overtime adjustment follows. Workers of a type the federal rules give no
overtime (1099 contractors: not employees) are owed no make-up. Paid leave
hours are not hours worked and have no floor here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rules.model import FEDERAL, RuleBook, RuleSet, Source, minimum_wage_in


@dataclass(frozen=True, slots=True)
class Floor:
    """One applicable minimum wage.

    Attributes:
        amount: Dollars per hour.
        per_hour: Measured per hour (True) or per workweek (False).
        jurisdiction: ``FEDERAL``, a state code, or a local place (``Denver, CO``).
        label: Plain words (``CA minimum wage 16.50``).
        source: Where the figure is written.
    """

    amount: Decimal
    per_hour: bool
    jurisdiction: str
    label: str
    source: Source


class Floors:
    """The floors of hours by (day, state, city, county), memoised for one week's rule sets.

    ``shared``: a cache kept across the weeks of one pricing, keyed by the rule sets' identity
    (the engine hands the same tuple to every week that has the same sets).
    """

    def __init__(
        self, book: RuleBook, sets: Sequence[RuleSet], shared: dict[tuple[object, ...], object] | None = None
    ) -> None:
        self.book = book
        self.sets = sets
        self.cache: dict[tuple[object, ...], object] = shared if shared is not None else {}
        self.ident = id(sets)

    def of(self, day: date, state: str, city: str | None, county: str | None) -> tuple[Floor | None, Floor | None]:
        """(highest per-hour floor, highest per-workweek floor) of an hour, each None when none applies."""
        key = (self.ident, day, state, city, county)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._compute(day, state, city, county)
        return found  # type: ignore[return-value]

    def ceiling(self, state: str, city: str | None, county: str | None) -> Decimal:
        """The highest minimum wage any hour at this place could have under these rule sets, on any
        date: a rate at or above it is never made up (a quick test before any floor is looked up)."""
        key: tuple[object, ...] = (
            (self.ident, state) if city is None and county is None else (self.ident, state, city, county)
        )
        found = self.cache.get(key)
        if found is None:
            amounts = [mw.amount for rs in self.sets if rs.jurisdiction in (FEDERAL, state) for mw in rs.minimum_wages]
            for local in self.book.locals:
                if local.matches(state, city, county):
                    amounts.extend(mw.amount for v in local.versions for mw in v.minimum_wages)
            found = self.cache[key] = max(amounts, default=Decimal(0))
        return found  # type: ignore[return-value]

    def _compute(
        self, day: date, state: str, city: str | None, county: str | None
    ) -> tuple[Floor | None, Floor | None]:
        candidates: list[Floor] = []
        own = [rs for rs in self.sets if rs.jurisdiction in (FEDERAL, state)]
        # A local minimum wage is measured as its state's is (federal's where the state has no rules).
        measure = own[-1].minimum_wage_per_hour if own else False
        for rs in own:
            mw = minimum_wage_in(rs.minimum_wages, day)
            if mw is not None:
                name = "federal" if rs.jurisdiction == FEDERAL else rs.jurisdiction
                candidates.append(
                    Floor(mw.amount, rs.minimum_wage_per_hour, rs.jurisdiction, f"{name} minimum wage", mw.source)
                )
        for local, version, mw in self.book.local_wages(state, city, county, day):
            per_hour = version.per_hour if version.per_hour is not None else measure
            candidates.append(Floor(mw.amount, per_hour, local.name, f"{local.name} minimum wage", mw.source))
        hourly = [f for f in candidates if f.per_hour]
        weekly = [f for f in candidates if not f.per_hour]
        return (
            max(hourly, key=lambda f: f.amount) if hourly else None,
            max(weekly, key=lambda f: f.amount) if weekly else None,
        )
