"""The demo company: a realistic, deterministic set of CSV files in the canonical layouts.

:func:`demo_files` returns the files ``ot demo`` imports, through the same
import path as ``ot import`` (``ot.services.imports``), in this order:

1. ``demo-locations.csv``: seven locations in CA, NV, CO, AK, KY, TX and NY,
   each with its IANA zone.
2. ``demo-workers.csv``: 40 people: an admin, a manager per location and 32
   workers (four of them 1099 contractors), every one with a manager, a
   six-digit PIN override (no SSNs or birth dates needed) and a profile rate
   in force from 2026-01-01.
3. ``demo-raises.csv``: the same rows for five workers with a new pay rate
   effective 2026-11-01: a pay-rate change in the middle of the period.
4. ``demo-punches.csv``: four workweeks of punches (Sunday 2026-10-18 to
   Saturday 2026-11-14) in each worker's local wall time.

What the punches hold, so that the pay engine has real cases:

- day shifts with a 30-minute unpaid meal break (``DEFAULT_UNPAID``) and, for
  some California workers, a paid 10-minute rest break (``REST``, a paid
  break type of ``rules.example.ot``);
- night shifts that cross midnight, including a Los Angeles shift from
  Saturday 2026-10-31 22:00 to Sunday 06:30, across the 2026-11-01 fall-back
  night (9.5 hours elapsed, 9 hours worked);
- long California days (over 8 and over 12 hours) and a seventh consecutive
  workday (California and Kentucky);
- a Colorado shift over 12 hours, Alaska days over 8, a Nevada worker paid
  under 1.5x the state minimum wage, 1099 contractors working 50-hour weeks;
- workers with two pay rates in one week (a shift ``rate`` on the ``in``
  punch, the punches layout's extension column);
- a few missing punches (missing out, missing in, a break never ended).

Everything comes from fixed dates and a seeded :class:`random.Random`: no
clock, so the files are the same on every run, and importing them twice adds
nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

__all__ = [
    "ADMIN_ID",
    "DEMO_FIRST_DAY",
    "DEMO_LAST_DAY",
    "EMPLOYER_ADDRESS",
    "EMPLOYER_NAME",
    "KIOSK_ID",
    "DemoFile",
    "demo_files",
    "sample_pin",
]

EMPLOYER_NAME = "Cedar & Pine Logistics, Inc."
EMPLOYER_ADDRESS = "1200 Harbor Plaza Dr, Suite 400, Long Beach, CA 90802"
ADMIN_ID = "A1"
KIOSK_ID = "kiosk:demo"  # the demo's punching station
DEMO_FIRST_DAY = date(2026, 10, 18)  # a Sunday: the first of four workweeks
DEMO_LAST_DAY = date(2026, 11, 14)  # a Saturday
RAISE_DAY = date(2026, 11, 1)
FALL_BACK_EVE = date(2026, 10, 31)  # clocks go back at 02:00 the next morning
SEED = 20261114

LOCATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("LGB", "Long Beach Distribution Center", "CA", "America/Los_Angeles"),
    ("LAS", "Las Vegas Fulfillment", "NV", "America/Los_Angeles"),
    ("DEN", "Denver Cross-Dock", "CO", "America/Denver"),
    ("ANC", "Anchorage Air Cargo", "AK", "America/Anchorage"),
    ("SDF", "Louisville Parcel Hub", "KY", "America/Kentucky/Louisville"),
    ("HOU", "Houston Port Yard", "TX", "America/Chicago"),
    ("NYC", "Brooklyn Last-Mile", "NY", "America/New_York"),
)

_FIRST = (
    "Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kai", "Lena", "Mateo",
    "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf",
    "Zoe", "Amir", "Bianca", "Cole", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jade", "Kofi", "Lucia",
    "Marco", "Nia",
)  # fmt: skip
_LAST = (
    "Alvarez", "Brooks", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ibrahim", "Jensen", "Kim",
    "Lopez", "Murphy", "Nguyen", "Okafor", "Patel", "Quintero", "Reyes", "Singh", "Tanaka", "Usman", "Vargas",
    "Walsh", "Xu", "Yilmaz", "Zhang",
)  # fmt: skip


@dataclass(frozen=True)
class DemoFile:
    """One demo CSV file.

    Attributes:
        layout: ``locations``, ``workers`` or ``punches``.
        name: File name shown in messages.
        text: The CSV text (canonical layout).
    """

    layout: str
    name: str
    text: str


@dataclass(frozen=True)
class _Person:
    worker_id: str
    name: str
    type: str
    rate: Decimal
    location_id: str
    manager_id: str | None
    role: str
    pin: str
    pattern: str  # how they work: day, night, long, seven, co12, ak, contractor, tworate, office


def _people(rng: random.Random) -> list[_Person]:
    names = [f"{f} {rng.choice(_LAST)}" for f in _FIRST]
    pins: set[str] = set()

    def pin() -> str:
        while True:
            p = f"{rng.randrange(100000, 1000000)}"
            if p not in pins:
                pins.add(p)
                return p

    people = [_Person(ADMIN_ID, names[0], "W2", Decimal("48.00"), "LGB", None, "admin", pin(), "office")]
    for i, (lid, *_rest) in enumerate(LOCATIONS, start=1):
        rate = Decimal(rng.randrange(2800, 3600, 25)) / 100
        people.append(_Person(f"M{i}", names[i], "W2", rate, lid, ADMIN_ID, "manager", pin(), "day"))
    # (location, pattern, type) of the 32 workers: CA gets the most cases.
    plan = (
        ("LGB", "day", "W2"), ("LGB", "long", "W2"), ("LGB", "seven", "W2"), ("LGB", "night", "W2"),
        ("LGB", "tworate", "W2"), ("LGB", "day", "W2"), ("LGB", "long", "W2"), ("LGB", "contractor", "1099"),
        ("LAS", "nvlow", "W2"), ("LAS", "day", "W2"), ("LAS", "night", "W2"), ("LAS", "contractor", "1099"),
        ("DEN", "co12", "W2"), ("DEN", "day", "W2"), ("DEN", "tworate", "W2"), ("DEN", "night", "W2"),
        ("ANC", "ak", "W2"), ("ANC", "ak", "W2"), ("ANC", "day", "W2"), ("ANC", "contractor", "1099"),
        ("SDF", "seven", "W2"), ("SDF", "day", "W2"), ("SDF", "night", "W2"), ("SDF", "day", "W2"),
        ("HOU", "day", "W2"), ("HOU", "long", "W2"), ("HOU", "tworate", "W2"), ("HOU", "contractor", "1099"),
        ("NYC", "day", "W2"), ("NYC", "night", "W2"), ("NYC", "long", "W2"), ("NYC", "day", "W2"),
    )  # fmt: skip
    managers = {lid: f"M{i}" for i, (lid, *_r) in enumerate(LOCATIONS, start=1)}
    for n, (lid, pattern, wtype) in enumerate(plan, start=1):
        if pattern == "nvlow":
            rate = Decimal("15.50")  # under 1.5x Nevada's minimum wage: daily overtime applies
        elif wtype == "1099":
            rate = Decimal(rng.randrange(3500, 5500, 50)) / 100
        else:
            rate = Decimal(rng.randrange(1800, 3000, 25)) / 100
        people.append(_Person(f"W{n:02d}", names[7 + n], wtype, rate, lid, managers[lid], "worker", pin(), pattern))
    return people


def _raises(people: list[_Person]) -> dict[str, Decimal]:
    """Five workers get a raise effective 2026-11-01."""
    chosen = ("W01", "W06", "W10", "W14", "W25")
    return {p.worker_id: p.rate + Decimal("1.50") for p in people if p.worker_id in chosen}


def _t(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _days() -> Iterator[date]:
    day = DEMO_FIRST_DAY
    while day <= DEMO_LAST_DAY:
        yield day
        day += timedelta(days=1)


def _shift_rows(
    p: _Person, rng: random.Random, start: datetime, hours: float, *, rate: Decimal | None = None, rest: bool = False
) -> list[tuple[str, str, str, str, str]]:
    """Punch rows of one shift: in, a 30-minute meal after about 4-5 hours, out; optional paid rest."""
    end = start + timedelta(minutes=round(hours * 60) + rng.randrange(-4, 6))
    rows = [(p.worker_id, _t(start), "in", "", f"{rate:.2f}" if rate is not None else "")]
    total = (end - start).total_seconds() / 3600
    if rest and total > 3.5:
        r0 = start + timedelta(minutes=120 + rng.randrange(0, 20))
        rows += [
            (p.worker_id, _t(r0), "break_start", "REST", ""),
            (p.worker_id, _t(r0 + timedelta(minutes=10)), "break_end", "", ""),
        ]
    if total > 6:
        m0 = start + timedelta(minutes=240 + rng.randrange(0, 50))
        rows += [
            (p.worker_id, _t(m0), "break_start", "", ""),
            (p.worker_id, _t(m0 + timedelta(minutes=30)), "break_end", "", ""),
        ]
    if total > 12.5:  # a second meal before the end of the 10th hour
        m1 = start + timedelta(minutes=540 + rng.randrange(0, 30))
        rows += [
            (p.worker_id, _t(m1), "break_start", "", ""),
            (p.worker_id, _t(m1 + timedelta(minutes=30)), "break_end", "", ""),
        ]
    rows.append((p.worker_id, _t(end), "out", "", ""))
    return rows


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def _punches(people: list[_Person], rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    night = next(p for p in people if p.location_id == "LGB" and p.pattern == "night")
    for p in people:
        if p.role == "admin":
            continue
        jitter = lambda: rng.randrange(-6, 7)  # noqa: E731
        for day in _days():
            wd = day.weekday()  # Monday 0 ... Sunday 6
            week = (day - DEMO_FIRST_DAY).days // 7
            start: datetime | None = None
            hours = 8.5
            rate: Decimal | None = None
            rest = p.location_id == "LGB"
            if p.pattern in ("day", "nvlow", "ak", "tworate") and wd < 5:
                start = _at(day, 7 + int(p.worker_id[-1]) % 3) + timedelta(minutes=jitter())
                hours = {"ak": 9.75, "nvlow": 9.5}.get(p.pattern, 8.5)
                if p.pattern == "tworate" and week == 2 and wd in (1, 3):
                    rate = p.rate + Decimal("4.00")  # forklift shifts at a higher rate
            elif p.pattern == "long" and wd < 5:
                start = _at(day, 6) + timedelta(minutes=jitter())
                hours = 13.5 if wd == 2 else (10.5 if wd in (0, 3) else 8.5)
            elif p.pattern == "seven" and (week == 3 or wd < 5):
                start = _at(day, 8) + timedelta(minutes=jitter())
                hours = 9.0 if wd == 5 and week == 3 else 8.5  # Saturday: the 7th consecutive day
            elif p.pattern == "co12" and wd < 4:
                start = _at(day, 6) + timedelta(minutes=jitter())
                hours = 13.5 if wd == 1 else 10.5
            elif p.pattern == "night" and wd in (0, 1, 2, 3, 5) and day < DEMO_LAST_DAY:
                start = _at(day, 22) + timedelta(minutes=jitter())
                hours = 8.5
            elif p.pattern == "contractor" and wd < 5:
                start = _at(day, 7) + timedelta(minutes=jitter())
                hours = 10.0
            elif p.pattern == "office" and wd < 5:
                start = _at(day, 9)
            if start is None or (p is night and day == FALL_BACK_EVE):
                continue
            rows.extend(_shift_rows(p, rng, start, hours, rate=rate, rest=rest))
    # The fall-back night: a Los Angeles shift from Saturday 22:00 to Sunday 06:30
    # (2026-11-01 01:00-02:00 happens twice; 9.5 hours elapse).
    rows += [
        (night.worker_id, "2026-10-31T22:00", "in", "", ""),
        (night.worker_id, "2026-11-01T03:00", "break_start", "", ""),
        (night.worker_id, "2026-11-01T03:30", "break_end", "", ""),
        (night.worker_id, "2026-11-01T06:30", "out", "", ""),
    ]
    return _with_missing(rows, people)


def _with_missing(
    rows: list[tuple[str, str, str, str, str]], people: list[_Person]
) -> list[tuple[str, str, str, str, str]]:
    """Drop a few punches, as real timeclocks lose them: review exceptions for the demo."""
    drop = {
        ("W06", "2026-11-04", "out"),  # missing out-punch
        ("W13", "2026-10-27", "out"),  # missing out-punch
        ("W22", "2026-11-10", "in"),  # missing in-punch
        ("W29", "2026-11-12", "break_end"),  # a break never ended
    }
    out = []
    for r in rows:
        if (r[0], r[1][:10], r[2]) in drop:
            drop.discard((r[0], r[1][:10], r[2]))
            continue
        out.append(r)
    return out


def _csv(header: str, rows: list[tuple[str, ...]]) -> str:
    return header + "\n" + "".join(",".join(r) + "\n" for r in rows)


def demo_files() -> list[DemoFile]:
    """The demo company's files, in import order (deterministic)."""
    rng = random.Random(SEED)
    people = _people(rng)
    raises = _raises(people)
    header = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override,rate_effective"

    def worker_row(p: _Person, rate: Decimal, effective: date) -> tuple[str, ...]:
        return (
            p.worker_id,
            p.name,
            p.type,
            f"{rate:.2f}",
            p.location_id,
            p.manager_id or "",
            p.role,
            "",
            "",
            p.pin,
            effective.isoformat(),
        )

    punches = sorted(_punches(people, rng), key=lambda r: (r[0], r[1]))
    return [
        DemoFile("locations", "demo-locations.csv", _csv("location_id,name,state,timezone", list(LOCATIONS))),
        DemoFile(
            "workers", "demo-workers.csv", _csv(header, [worker_row(p, p.rate, date(2026, 1, 1)) for p in people])
        ),
        DemoFile(
            "workers",
            "demo-raises.csv",
            _csv(header, [worker_row(p, raises[p.worker_id], RAISE_DAY) for p in people if p.worker_id in raises]),
        ),
        DemoFile(
            "punches",
            "demo-punches.csv",
            _csv("worker_id,time,kind,location_id,break_type,rate", _punch_lines(punches)),
        ),
    ]


def _punch_lines(rows: list[tuple[str, str, str, str, str]]) -> list[tuple[str, ...]]:
    """(worker, time, kind, break_type, rate) -> the layout's column order."""
    out: list[tuple[str, ...]] = []
    for worker, time, kind, fourth, fifth in rows:
        if kind == "in":
            out.append((worker, time, kind, "", "", fifth))
        else:
            out.append((worker, time, kind, "", fourth, ""))
    return out


def sample_pin() -> tuple[str, str]:
    """(worker id, PIN) of a demo worker, printed by ``ot demo`` so a user can punch."""
    people = _people(random.Random(SEED))
    p = next(p for p in people if p.worker_id == "W01")
    return p.worker_id, p.pin
