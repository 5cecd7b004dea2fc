"""Rules text -> :class:`rules.model.RuleBook`, the flat rule sets the engine evaluates.

Three steps, every problem of each collected before anything is refused:
parse (``rules.parser``, syntax errors with recovery), check
(``rules.checks``, meaning errors), build (this module: inheritance and
effective dates resolved into flat :class:`~rules.model.RuleSet` versions).

Inheritance: a child's set on a date is its parent's set in force on that
date plus the child's own rules, where a child threshold replaces the
parent's thresholds of the same kind and hour class (Minnesota's weekly 48
replaces the federal weekly 40 inside Minnesota's set; the engine still
evaluates federal on its own), and any policy, minimum wage list, meal or
rest rule the child writes replaces the parent's. Each child block is split
at its parent's version boundaries, so every flat set has exact dates.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ot.core.domain import DEFAULT_UNPAID
from ot.core.errors import OtError, Problem
from ot.core.timez import parse_hhmm
from rules import ast
from rules.checks import check, jurisdiction_key
from rules.errors import RulesError, RulesProblem, problem
from rules.model import (
    FEDERAL,
    POLICY,
    AlternativeWorkweek,
    BreakType,
    Condition,
    DayPremium,
    Differential,
    EmployerFlag,
    HolidayCalendar,
    HolidayRule,
    HolidayVersion,
    LocalRules,
    LocalVersion,
    MealRule,
    MinimumWage,
    RateBelowMinimumWage,
    ReportingTime,
    RestRule,
    Rounding,
    RuleBook,
    RuleSet,
    ScheduledDay,
    Source,
    Threshold,
    WorkerInGroup,
    WorkerTypeIn,
    WorkweekOver,
    YearlyAdjustment,
)
from rules.parser import parse_recovering, without_bom

WEEKDAYS = ast.WEEKDAYS


def observed_shift(weekend_day: str, weekday: str) -> tuple[int, int]:
    """``observed saturday on friday`` as (5, -1): the weekend day's number and the days to move
    (to the nearest such weekday before or after; the checker allows only the friday before and the monday after)."""
    start = WEEKDAYS.index(weekend_day)
    target = WEEKDAYS.index(weekday)
    after = (target - start) % 7
    before = after - 7
    return start, after if after <= -before else before


def compile_text(text: str, file: str = "<text>") -> RuleBook:
    """Compile a rules file's text; :class:`RulesError` lists every problem otherwise (a byte-order mark that
    starts it is left out; ``RuleBook.sha256`` is still of the text as given)."""
    lines = without_bom(text).split("\n")
    outcome = parse_recovering(text, file)
    problems: list[RulesProblem] = list(outcome.problems)
    if outcome.tree is not None:
        found = check(outcome.tree, lines, references=not outcome.recovered)
        problems.extend(p for p in found if p.line not in outcome.stand_ins)
    if problems or outcome.tree is None:
        raise RulesError(file, problems)
    builder = _Builder(outcome.tree, lines)
    book = builder.build()
    if builder.problems:
        raise RulesError(file, builder.problems)
    return dataclasses.replace(book, sha256=text_sha256(text))


def compile_file(path: Path) -> RuleBook:
    """Compile the rules file at ``path``: ``RuleBook.file`` is ``str(path)``, ``sha256`` its text's hash."""
    return compile_text(read_rules_text(path), str(path))


def text_sha256(text: str) -> str:
    """The content hash the ledger records for a rules file (SHA-256 of its UTF-8 text)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_rules_text(path: Path, missing: str = "check the path, or leave it out to use the default rules file") -> str:
    """The text of a rules file, or an :class:`OtError` that says what to do (``missing``: when there is no
    such file), each at the path as given."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise OtError(f"{path}: no such rules file", [Problem(str(path), missing)]) from None
    except IsADirectoryError:
        raise OtError(
            f"{path}: is a folder, not a rules file", [Problem(str(path), "give the path of a .ot file")]
        ) from None
    except OSError as exc:
        raise OtError(
            f"{path}: cannot be read ({exc.strerror})", [Problem(str(path), "check its permissions")]
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise OtError(
            f"{path}: not a UTF-8 text file",
            [Problem(f"{path}:{line}:{column}", "this byte is not UTF-8: save the rules file as UTF-8 text")],
        ) from None


def _hours(value: Decimal) -> str:
    """``8``, ``3.5``: a Decimal in plain words, without trailing zeros."""
    text = format(value.normalize(), "f")
    return text


def condition_words(condition: Condition) -> str:
    """A condition in the plain words of a label."""
    if isinstance(condition, RateBelowMinimumWage):
        return f"rate < {_hours(condition.multiple)}x minimum wage"
    if isinstance(condition, WorkerTypeIn):
        return "worker type is " + " or ".join(sorted(condition.types))
    if isinstance(condition, WorkweekOver):
        return f"workweek over {_hours(condition.hours)}h"
    if isinstance(condition, WorkerInGroup):
        return f'worker {"not in" if condition.negated else "in"} "{condition.group}"'
    value = f'"{condition.value}"' if isinstance(condition.value, str) else _hours(condition.value)
    op = {"==": "is", "!=": "is not"}.get(condition.op, condition.op)
    return f"employer {condition.name} {op} {value}"


def threshold_label(kind: str, over: Decimal, conditions: Sequence[Condition] = ()) -> str:
    """The short plain label of a threshold ("daily over 8h", "over 12 consecutive hours")."""
    hours = _hours(over)
    base = {
        "daily": f"daily over {hours}h",
        "weekly": f"weekly over {hours}h",
        "seventh_day": f"seventh day over {hours}h",
        "consecutive": f"over {hours} consecutive hours",
        "rolling24": f"over {hours}h in 24 hours",
        "rolling24_chained": f"over {hours}h in 24 hours (periods never overlap)",
        "sunday": f"sunday over {hours}h",
        "holiday": f"holiday over {hours}h",
    }[kind]
    if conditions:
        base += " when " + " and ".join(condition_words(c) for c in conditions)
    return base


def day_premium_label(kind: str, over: Decimal, hours: Decimal, offset: bool) -> str:
    """The short plain label of a day premium ("split shift over 60 min: 1h at minimum wage")."""
    what = f"split shift over {_hours(over)} min" if kind == "split_shift" else f"spread of hours over {_hours(over)}h"
    return f"{what}: {_hours(hours)}h at minimum wage" + (", less wages above minimum" if offset else "")


def reporting_label(at_least: Decimal, at_most: Decimal, second: Decimal | None) -> str:
    """The short plain label of reporting-time pay."""
    text = f"reporting time: half the scheduled day, {_hours(at_least)}h to {_hours(at_most)}h"
    return text + (f"; second report {_hours(second)}h" if second is not None else "")


def _condition(node: ast.ConditionNode, groups: Mapping[str, frozenset[str]]) -> Condition:
    if isinstance(node, ast.WorkerInGroup):
        return WorkerInGroup(node.group, groups.get(node.group, frozenset()), node.negated)
    if isinstance(node, ast.RateBelow):
        return RateBelowMinimumWage(node.multiple)
    if isinstance(node, ast.WorkerTypeIs):
        return WorkerTypeIn(frozenset(node.types))
    if isinstance(node, ast.WorkweekOverCond):
        return WorkweekOver(node.hours)
    return EmployerFlag(node.name, node.op, node.value)


class _Builder:
    """Builds the flat rule sets of a checked file; problems found on the way are kept."""

    def __init__(self, tree: ast.RulesFile, lines: Sequence[str]) -> None:
        self.tree = tree
        self.lines = lines
        self.file = tree.file
        self.problems: list[RulesProblem] = []
        self.by_name = {j.name: j for j in tree.jurisdictions}
        self.flat: dict[str, tuple[RuleSet, ...]] = {}
        self.common_sources: dict[str, Source] = {}
        self.groups: dict[str, frozenset[str]] = {}
        self.common = self._common()

    def source(self, pos: ast.Pos) -> Source:
        return Source(self.file, pos.line, pos.column)

    def report(self, pos: ast.Pos, message: str) -> None:
        self.problems.append(problem(self.file, self.lines, pos.line, pos.column, message))

    def _common(self) -> dict[str, Any]:
        """What every rule set shares: workweek, workday, break types, employer facts."""
        common: dict[str, Any] = {}
        facts: list[tuple[str, Decimal | str]] = []
        for employer in self.tree.employers[:1]:
            self.common_sources["employer"] = self.source(employer.pos)
            for line in employer.lines:
                if isinstance(line, ast.WorkweekStart):
                    common["workweek_start_day"] = WEEKDAYS.index(line.day)
                    common["workweek_start_time"] = parse_hhmm(line.time)
                    self.common_sources["workweek"] = self.source(line.pos)
                elif isinstance(line, ast.WorkdayStart):
                    common["workday_start"] = parse_hhmm(line.time)
                    self.common_sources["workday"] = self.source(line.pos)
                elif isinstance(line, ast.Group):
                    self.groups.setdefault(line.name, frozenset(line.workers))
                else:
                    facts.append((line.name, line.value))
        common["employer"] = tuple(facts)
        declared = [
            BreakType(d.code.text, d.paid, self.source(d.pos))
            for d in self.tree.break_types
            if d.code.text != DEFAULT_UNPAID
        ]
        default = next(
            (
                BreakType(DEFAULT_UNPAID, False, self.source(d.pos))
                for d in self.tree.break_types
                if d.code.text == DEFAULT_UNPAID
            ),
            BreakType(DEFAULT_UNPAID, False),
        )
        common["break_types"] = (default, *declared)
        return common

    def build(self) -> RuleBook:
        order = ["federal", *(j.name for j in self.tree.jurisdictions if j.name != "federal")]
        versions: list[tuple[str, tuple[RuleSet, ...]]] = []
        for name in order:
            if name in self.by_name and self.by_name[name].blocks:
                versions.append((jurisdiction_key(name), self.flatten(name)))
        return RuleBook(
            tuple(versions),
            file=self.file,
            format_version=int(self.tree.version),
            locals=self.locals(),
            calendars=self.calendars(order),
            policies=self.policies(),
        )

    def policies(self) -> tuple[tuple[str, tuple[RuleSet, ...]], ...]:
        """Each employer policy's rule sets, oldest first (file order of the policies)."""
        out: list[tuple[str, tuple[RuleSet, ...]]] = []
        for policy in self.tree.policies:
            sets: list[RuleSet] = []
            for block in sorted(policy.blocks, key=lambda b: b.start.value or date.min):
                start = block.start.value
                assert start is not None  # the checker refused unreadable dates
                thresholds: list[Threshold] = []
                premiums: list[DayPremium] = []
                for stmt in block.statements:
                    if isinstance(stmt, ast.ThresholdStmt):
                        threshold = self.threshold(stmt)
                        thresholds.append(dataclasses.replace(threshold, label=f"{policy.name}: {threshold.label}"))
                    elif isinstance(stmt, ast.DayPremiumStmt):
                        premium = self.day_premium(stmt)
                        premiums.append(dataclasses.replace(premium, label=f"{policy.name}: {premium.label}"))
                sets.append(
                    RuleSet(
                        jurisdiction=POLICY,
                        effective=start,
                        until=block.until.value if block.until else None,
                        thresholds=tuple(thresholds),
                        day_premiums=tuple(premiums),
                        policy=True,
                        source=self.source(policy.pos),
                        policy_sources=tuple(sorted(self.common_sources.items())),
                        **self.common,
                    )
                )
            out.append((policy.name, tuple(sets)))
        return tuple(out)

    def threshold(self, stmt: ast.ThresholdStmt) -> Threshold:
        """A threshold statement compiled."""
        conditions = tuple(_condition(c, self.groups) for c in stmt.conditions)
        return Threshold(
            kind=stmt.kind,  # type: ignore[arg-type]  # the grammar allows only the model's kinds
            over=stmt.over,
            hour_class="OT" if stmt.hour_class == "OT" else "DT",
            multiplier=stmt.multiplier,
            conditions=conditions,
            label=threshold_label(stmt.kind, stmt.over, conditions),
            source=self.source(stmt.pos),
        )

    def alternative_workweek(self, stmt: ast.AlternativeWorkweekStmt) -> AlternativeWorkweek:
        """An alternative workweek statement compiled."""
        src = self.source(stmt.pos)
        label = f'alternative workweek "{stmt.name}"'
        other = tuple(
            Threshold(
                kind="daily",
                over=o.over,
                hour_class="OT" if o.hour_class == "OT" else "DT",
                multiplier=o.multiplier,
                label=f"{label}: other days over {_hours(o.over)}h",
                source=src,
            )
            for o in stmt.other
        )
        days = tuple(
            ScheduledDay(WEEKDAYS.index(d.weekday), d.hours, d.every_other_from.value if d.every_other_from else None)
            for d in stmt.days
        )
        return AlternativeWorkweek(stmt.name, frozenset(stmt.workers), days, other, label, src)

    def adjusted(self, stmt: ast.MinimumWageAdjusted) -> YearlyAdjustment:
        """``minimum wage adjusted yearly from DATE`` compiled."""
        first = stmt.first.value
        assert first is not None  # the checker refused unreadable dates
        return YearlyAdjustment(first, self.source(stmt.pos))

    def day_premium(self, stmt: ast.DayPremiumStmt) -> DayPremium:
        """A split-shift or spread-of-hours statement compiled."""
        split = stmt.kind == "split_shift"
        return DayPremium(
            kind="split_shift" if split else "spread_of_hours",
            hours=stmt.hours,
            gap_minutes=int(stmt.over) if split else None,
            spread_over=None if split else stmt.over,
            offset=stmt.offset,
            label=day_premium_label(stmt.kind, stmt.over, stmt.hours, stmt.offset),
            source=self.source(stmt.pos),
        )

    def calendars(self, order: Sequence[str]) -> tuple[HolidayCalendar, ...]:
        """Each jurisdiction's holiday calendar (one for every jurisdiction, so that a state without
        holidays of its own has those of the jurisdiction it extends)."""
        out: list[HolidayCalendar] = []
        for name in order:
            jurisdiction = self.by_name.get(name)
            if jurisdiction is None:
                continue
            versions: list[HolidayVersion] = []
            for block in sorted(jurisdiction.holidays, key=lambda b: b.start.value or date.min):
                start = block.start.value
                assert start is not None  # the checker refused unreadable dates
                rules: list[HolidayRule] = []
                observed: list[tuple[int, int]] = []
                dropped: list[str] = []
                for line in block.lines:
                    if isinstance(line, ast.ObservedStmt):
                        observed.append(observed_shift(line.weekend_day, line.weekday))
                    elif isinstance(line, ast.NotHolidayStmt):
                        dropped.append(line.name)
                    elif isinstance(line.day, ast.FixedDate):
                        rules.append(
                            HolidayRule(line.name, line.day.month, day=int(line.day.day), source=self.source(line.pos))
                        )
                    else:
                        rules.append(
                            HolidayRule(
                                line.name,
                                line.day.month,
                                nth=line.day.nth,
                                weekday=WEEKDAYS.index(line.day.weekday),
                                source=self.source(line.pos),
                            )
                        )
                until = block.until.value if block.until else None
                versions.append(
                    HolidayVersion(start, until, tuple(rules), tuple(observed), self.source(block.pos), tuple(dropped))
                )
            parent = jurisdiction_key(jurisdiction.parent) if jurisdiction.parent else None
            if parent is None and name != "federal":
                parent = "FEDERAL"
            out.append(HolidayCalendar(jurisdiction_key(name), parent, tuple(versions)))
        return tuple(out)

    def locals(self) -> tuple[LocalRules, ...]:
        """The local minimum wages, in file order."""
        out: list[LocalRules] = []
        for local in self.tree.locals:
            versions: list[LocalVersion] = []
            for block in sorted(local.blocks, key=lambda b: b.start.value or date.min):
                start = block.start.value
                assert start is not None  # the checker refused unreadable dates
                wages: list[MinimumWage] = []
                per_hour: bool | None = None
                adjusted: YearlyAdjustment | None = None
                for stmt in block.statements:
                    if isinstance(stmt, ast.MinimumWageStmt):
                        day = stmt.effective.value
                        assert day is not None
                        wages.append(MinimumWage(day, stmt.amount, self.source(stmt.pos)))
                    elif isinstance(stmt, ast.MinimumWageMeasure):
                        per_hour = stmt.per_hour
                    elif isinstance(stmt, ast.MinimumWageAdjusted):
                        adjusted = self.adjusted(stmt)
                versions.append(
                    LocalVersion(
                        start,
                        block.until.value if block.until else None,
                        tuple(sorted(wages, key=lambda w: w.effective)),
                        per_hour,
                        self.source(block.pos),
                        adjusted,
                    )
                )
            out.append(LocalRules(local.name, local.place, local.state, tuple(versions), self.source(local.pos)))
        return tuple(out)

    def flatten(self, name: str) -> tuple[RuleSet, ...]:
        if name in self.flat:
            return self.flat[name]
        jurisdiction = self.by_name[name]
        sets: list[RuleSet] = []
        blocks = sorted(jurisdiction.blocks, key=lambda b: b.start.value or date.min)
        parent = jurisdiction.parent
        for block in blocks:
            start = block.start.value
            assert start is not None  # the checker refused unreadable dates
            until = block.until.value if block.until else None
            if parent is None:
                sets.append(self.make_set(jurisdiction, block, None, start, until))
                continue
            for piece_start, piece_until, parent_set in self.pieces(
                jurisdiction, block, self.flatten(parent), start, until
            ):
                sets.append(self.make_set(jurisdiction, block, parent_set, piece_start, piece_until))
        result = tuple(sets)
        self.flat[name] = result
        return result

    def pieces(
        self,
        jurisdiction: ast.Jurisdiction,
        block: ast.RulesBlock,
        parents: Sequence[RuleSet],
        start: date,
        until: date | None,
    ) -> list[tuple[date, date | None, RuleSet]]:
        """The parts of ``[start, until]`` each covered by one parent set; gaps are reported."""
        out: list[tuple[date, date | None, RuleSet]] = []
        cursor: date | None = start
        gaps: list[tuple[date, date | None]] = []
        for parent_set in parents:
            if cursor is None or (until is not None and cursor > until):
                break
            if parent_set.until is not None and parent_set.until < cursor:
                continue
            if until is not None and parent_set.effective > until:
                break
            if parent_set.effective > cursor:
                gaps.append((cursor, parent_set.effective - timedelta(days=1)))
                cursor = parent_set.effective
            ends = [d for d in (until, parent_set.until) if d is not None]
            piece_until = min(ends) if ends else None
            out.append((cursor, piece_until, parent_set))
            cursor = None if piece_until is None or piece_until == date.max else piece_until + timedelta(days=1)
        if cursor is not None and (until is None or cursor <= until):
            gaps.append((cursor, until))
        for gap_start, gap_until in gaps:
            span = f"from {gap_start} on" if gap_until is None else f"from {gap_start} to {gap_until}"
            parent_name = "federal" if jurisdiction.parent == "federal" else f"state {jurisdiction.parent}"
            self.report(
                block.pos,
                f"{jurisdiction.name} extends {jurisdiction.parent}, but {parent_name} has no rules in force {span}: "
                f"give {parent_name} rules for those dates, or change this block's dates",
            )
        return out

    def make_set(
        self,
        jurisdiction: ast.Jurisdiction,
        block: ast.RulesBlock,
        parent: RuleSet | None,
        start: date,
        until: date | None,
    ) -> RuleSet:
        base = parent if parent is not None else RuleSet(jurisdiction=FEDERAL, effective=start, **self.common)
        values: dict[str, Any] = {}
        policy_sources = dict(parent.policy_sources) if parent is not None else dict(self.common_sources)
        own_thresholds: list[Threshold] = []
        own_wages: list[MinimumWage] = []
        own_premiums: list[DayPremium] = []
        own_schedules: list[AlternativeWorkweek] = []
        own_differentials: list[Differential] = []
        for stmt in block.statements:
            src = self.source(stmt.pos)
            if isinstance(stmt, ast.MinimumWageStmt):
                day = stmt.effective.value
                assert day is not None
                own_wages.append(MinimumWage(day, stmt.amount, src))
            elif isinstance(stmt, ast.MinimumWageMeasure):
                values["minimum_wage_per_hour"] = stmt.per_hour
                policy_sources["minimum_wage_measure"] = src
            elif isinstance(stmt, ast.MinimumWageAdjusted):
                values["minimum_wage_adjusted"] = self.adjusted(stmt)
            elif isinstance(stmt, ast.ThresholdStmt):
                own_thresholds.append(self.threshold(stmt))
            elif isinstance(stmt, ast.DayPremiumStmt):
                own_premiums.append(self.day_premium(stmt))
            elif isinstance(stmt, ast.AlternativeWorkweekStmt):
                own_schedules.append(self.alternative_workweek(stmt))
            elif isinstance(stmt, ast.ReportingTimeStmt):
                values["reporting_time"] = ReportingTime(
                    stmt.at_least,
                    stmt.at_most,
                    stmt.second_report,
                    reporting_label(stmt.at_least, stmt.at_most, stmt.second_report),
                    src,
                )
            elif isinstance(stmt, ast.NoOvertimeFor):
                values["no_overtime_worker_types"] = frozenset(stmt.types)
                values["no_overtime_groups"] = tuple((g, self.groups.get(g, frozenset())) for g in stmt.groups)
                policy_sources["no_overtime"] = src
            elif isinstance(stmt, ast.NotWorked):
                values["not_worked_pay_types"] = frozenset(n.text for n in stmt.pay_types)
                policy_sources["not_worked"] = src
            elif isinstance(stmt, ast.ShortBreaks):
                values["short_break_paid_minutes"] = stmt.minutes
                policy_sources["short_breaks"] = src
            elif isinstance(stmt, ast.RegularRateStmt):
                values["regular_rate"] = stmt.method
                policy_sources["regular_rate"] = src
            elif isinstance(stmt, ast.RoundingStmt):
                values["rounding"] = Rounding(stmt.minutes, "nearest", src)
                policy_sources["rounding"] = src
            elif isinstance(stmt, ast.CombineStmt):
                values["combine"] = stmt.method
                policy_sources["combine"] = src
            elif isinstance(stmt, ast.PyramidingStmt):
                values["no_pyramiding"] = not stmt.allowed
                policy_sources["pyramiding"] = src
            elif isinstance(stmt, ast.DifferentialStmt):
                own_differentials.append(Differential(stmt.amount, parse_hhmm(stmt.start), parse_hhmm(stmt.end), src))
            elif isinstance(stmt, ast.MealStmt):
                values["meal"] = self.meal(stmt)
            else:
                values["rest"] = self.rest(stmt)
        if own_premiums:
            # a day premium the child writes replaces the parent's of the same kind
            kinds = {p.kind for p in own_premiums}
            values["day_premiums"] = (
                *(p for p in base.day_premiums if p.kind not in kinds and parent is not None),
                *own_premiums,
            )
        if own_schedules:
            values["alternative_workweeks"] = tuple(own_schedules)  # a block's schedules replace the parent's
        if own_differentials:  # a block's own differentials replace the ones it builds on
            values["differentials"] = tuple(own_differentials)
        if own_wages:
            values["minimum_wages"] = tuple(sorted(own_wages, key=lambda w: w.effective))
            # a block's own figures are adjusted yearly only when it says so (not by what it builds on)
            values.setdefault("minimum_wage_adjusted", None)
        keys = {(t.kind, t.hour_class) for t in own_thresholds}
        inherited = (
            tuple(t for t in base.thresholds if (t.kind, t.hour_class) not in keys) if parent is not None else ()
        )
        values["thresholds"] = inherited + tuple(own_thresholds)
        if parent is not None:
            self.check_inherited_order(inherited, own_thresholds)
        return dataclasses.replace(
            base,
            jurisdiction=jurisdiction_key(jurisdiction.name),
            effective=start,
            until=until,
            source=self.source(jurisdiction.pos),
            policy_sources=tuple(sorted(policy_sources.items())),
            parent=jurisdiction_key(jurisdiction.parent) if jurisdiction.parent else None,
            **values,
        )

    def check_inherited_order(self, inherited: Sequence[Threshold], own: Sequence[Threshold]) -> None:
        """DT must start above OT of the same kind even when one of them is inherited."""
        for mine in own:
            for theirs in inherited:
                if (
                    mine.kind != theirs.kind
                    or mine.conditions != theirs.conditions
                    or mine.hour_class == theirs.hour_class
                ):
                    continue
                dt, ot = (mine, theirs) if mine.hour_class == "DT" else (theirs, mine)
                if dt.over <= ot.over:
                    message = (
                        f"double time starts at or below overtime: {dt.label} is DT, but {ot.label} is OT "
                        f"({ot.source}); DT must start above OT"
                    )
                    pos = ast.Pos(mine.source.line, mine.source.column)
                    if not any(p.line == pos.line and p.message == message for p in self.problems):
                        self.report(pos, message)

    def meal(self, stmt: ast.MealStmt) -> MealRule:
        values: dict[str, Any] = {}
        for clause in stmt.clauses:
            if isinstance(clause, ast.SecondMeal):
                values["second_by_hour"] = clause.by_hour
                values["second_after_hours"] = clause.after_hours
            elif isinstance(clause, ast.Premium):
                values["premium_hours"] = clause.hours
            elif isinstance(clause, ast.Waiver):
                values["second_waivable_up_to_hours" if clause.second else "first_waivable_up_to_hours"] = (
                    clause.up_to_hours
                )
            elif isinstance(clause, ast.MaxPremiums):
                values["max_premiums_per_day"] = int(clause.count)
            else:
                values["break_types"] = tuple(n.text for n in clause.codes)
        return MealRule(
            first_after_hours=stmt.after_hours,
            first_by_hour=stmt.by_hour,
            second_after_hours=values.pop("second_after_hours", None),
            second_by_hour=values.pop("second_by_hour", None),
            minimum_minutes=stmt.minutes,
            premium_hours=values.pop("premium_hours"),
            label=f"meal period {stmt.minutes} min before end of hour {_hours(stmt.by_hour)}",
            source=self.source(stmt.pos),
            **values,
        )

    def rest(self, stmt: ast.RestStmt) -> RestRule:
        premium = next(c.hours for c in stmt.clauses if isinstance(c, ast.Premium))
        codes = next((tuple(n.text for n in c.codes) for c in stmt.clauses if isinstance(c, ast.TakenAs)), ())
        evidence = next((c.kinds for c in stmt.clauses if isinstance(c, ast.Evidence)), ("attestation",))
        return RestRule(
            evidence=evidence,
            minutes=stmt.minutes,
            per_hours=stmt.per_hours,
            min_shift_hours=stmt.after_hours,
            premium_hours=premium,
            label=f"rest period {stmt.minutes} min per {_hours(stmt.per_hours)}h",
            source=self.source(stmt.pos),
            break_types=codes,
        )


__all__ = ["compile_file", "compile_text", "condition_words", "read_rules_text", "text_sha256", "threshold_label"]
