"""The bad-input catalogue's data: each case is a command, the files it reads, and what the refusal says.

``Case.args`` may name files by ``{name}``: each is written from ``Case.files`` into the test's folder.
``Case.says`` are fragments the standard error must hold: where (``FILE:LINE:COLUMN``, a JSON path, a
flag) and what. Every case must exit 2, print no traceback, and leave the ledger as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    says: tuple[str, ...]
    files: dict[str, str | bytes] = field(default_factory=dict)


WORKERS_HEAD = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override,rate_effective\n"
GOOD_WORKER = {
    "worker_id": "W9",
    "name": "Nia New",
    "type": "W2",
    "pay_rate": "20.00",
    "location_id": "LA",
    "manager_id": "M1",
    "role": "worker",
    "birth_date": "",
    "ssn": "",
    "pin_override": "",
    "rate_effective": "",
}
WORKER_COLUMNS = list(GOOD_WORKER)
PUNCH_HEAD = "worker_id,time,kind,location_id,break_type,rate\n"
GOOD_PUNCH = {
    "worker_id": "W1",
    "time": "2026-11-03T08:00",
    "kind": "in",
    "location_id": "",
    "break_type": "",
    "rate": "",
}
PUNCH_COLUMNS = list(GOOD_PUNCH)
LOCATION_HEAD = "location_id,name,state,timezone\n"
GOOD_LOCATION = {"location_id": "SF", "name": "San Francisco", "state": "CA", "timezone": "America/Los_Angeles"}
LOCATION_COLUMNS = list(GOOD_LOCATION)


def _cell(value: str) -> str:
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _row(good: dict[str, str], column: str, value: str) -> str:
    row = dict(good, **{column: value})
    return ",".join(_cell(row[c]) for c in good) + "\n"


def _csv(
    layout: str, column: str, value: str, what: tuple[str, ...], cid: str, extra: dict[str, str] | None = None
) -> Case:
    head, good, columns = {
        "workers": (WORKERS_HEAD, GOOD_WORKER, WORKER_COLUMNS),
        "punches": (PUNCH_HEAD, GOOD_PUNCH, PUNCH_COLUMNS),
        "locations": (LOCATION_HEAD, GOOD_LOCATION, LOCATION_COLUMNS),
    }[layout]
    name = f"{layout}.csv"
    col = columns.index(column) + 1
    return Case(
        f"{layout}-{cid}",
        ("import", layout, "{" + name + "}"),
        (f"{name}:2:{col}", *what),
        {name: head + _row(dict(good, **(extra or {})), column, value)},
    )


BAD_RATES: list[tuple[str, str, tuple[str, ...]]] = [
    ("comma", "20,50", ("comma",)),
    ("thousands", "1,000.00", ("comma",)),
    ("nan", "NaN", ("not a number",)),
    ("nan-lower", "nan", ("not a number",)),
    ("snan", "sNaN", ("not a number",)),
    ("inf", "inf", ("not a number",)),
    ("minus-inf", "-Infinity", ("not a number",)),
    ("exp-309", "1e309", ("exponent",)),
    ("exp-99", "9e99", ("exponent",)),
    ("exp-2", "1E2", ("exponent",)),
    ("exp-neg", "2e-1", ("exponent",)),
    ("zero", "0", ("more than 0",)),
    ("negative", "-5", ("more than 0",)),
    ("too-high", "10000", ("less than 10000",)),
    ("far-too-high", "99999999", ("less than 10000",)),
    ("five-places", "20.12345", ("4 decimal places",)),
    ("words", "twenty", ("not a decimal number",)),
    ("dollar-only", "$", ("empty",)),
    ("hex", "0x10", ("not a decimal number",)),
    ("fullwidth", "１２", ("not a decimal number",)),
    ("two-points", "20.5.1", ("not a decimal number",)),
    ("double-sign", "+-5", ("not a decimal number",)),
    ("space-inside", "20 50", ("not a decimal number",)),
    ("underscore", "1_000", ("not a decimal number",)),
    ("long", "9" * 60, ("too many digits",)),
]

BAD_DATES: list[tuple[str, str, tuple[str, ...]]] = [
    ("year-1", "0001-01-01", ("out of range",)),
    ("year-9999", "9999-12-31", ("out of range",)),
    ("year-1899", "1899-12-31", ("out of range",)),
    ("year-2101", "2101-01-01", ("out of range",)),
    ("feb-30", "2026-02-30", ("not a real date",)),
    ("month-13", "2026-13-01", ("not a real date",)),
    ("basic-format", "20261102", ("not a real date",)),
    ("short-year", "26-11-02", ("not a real date",)),
    ("no-padding", "2026-1-2", ("not a real date",)),
    ("words", "yesterday", ("not a real date",)),
]

BAD_TIMES: list[tuple[str, str, tuple[str, ...]]] = [
    ("year-1", "0001-01-01T08:00", ("out of range", "1900")),
    ("year-9999", "9999-12-31T08:00", ("out of range",)),
    ("year-1899", "1899-12-31T23:59", ("out of range",)),
    ("year-2101", "2101-01-01T00:00", ("out of range",)),
    ("year-1-offset", "0001-01-01T08:00+00:00", ("out of range",)),
    ("year-9999-offset", "9999-12-31T23:00-05:00", ("out of range",)),
    ("hour-25", "2026-11-02T25:00", ("not a valid time",)),
    ("minute-60", "2026-11-02T08:60", ("not a valid time",)),
    ("feb-30", "2026-02-30T08:00", ("not a valid time",)),
    ("date-only", "2026-11-02", ("not a time",)),
    ("time-only", "08:00", ("not a time",)),
    ("am-pm", "2026-11-02 8am", ("not a time",)),
    ("fullwidth", "２０２６-11-02T08:00", ("not a time",)),
    ("dst-gap", "2026-03-08T02:30", ("does not exist",)),
    ("empty", "", ("time is empty",)),
    ("nan", "NaN", ("not a time",)),
    ("exponent", "1e309", ("not a time",)),
]


def _workers() -> list[Case]:
    cases = [_csv("workers", "pay_rate", v, w, f"rate-{cid}") for cid, v, w in BAD_RATES]
    cases += [_csv("workers", "rate_effective", v, w, f"effective-{cid}") for cid, v, w in BAD_DATES]
    cases += [
        _csv("workers", "birth_date", v, w, f"birth-{cid}", {"ssn": "123-45-6789"}) for cid, v, w in BAD_DATES[:6]
    ]
    cases += [
        _csv("workers", "worker_id", "bad id!", ("is not an id",), "id"),
        _csv("workers", "worker_id", "", ("worker_id is empty",), "id-empty"),
        _csv("workers", "type", "W3", ("type",), "type"),
        _csv("workers", "role", "boss", ("role",), "role"),
        _csv("workers", "location_id", "ZZ", ("ZZ",), "location"),
        _csv("workers", "pin_override", "12345a", ("pin_override",), "pin-letters"),
        _csv("workers", "pin_override", "１２３４５６", ("pin_override",), "pin-fullwidth"),
        _csv("workers", "name", "", ("name",), "name-empty"),
    ]
    return cases


def _punches() -> list[Case]:
    cases = [_csv("punches", "time", v, w, f"time-{cid}") for cid, v, w in BAD_TIMES]
    cases += [_csv("punches", "rate", v, w, f"rate-{cid}") for cid, v, w in BAD_RATES[:12]]
    cases += [
        _csv("punches", "kind", "lunch", ("kind",), "kind"),
        _csv("punches", "worker_id", "ZZ9", ("ZZ9",), "worker"),
        _csv("punches", "location_id", "ZZ", ("ZZ",), "location"),
    ]
    return cases


def _locations() -> list[Case]:
    return [
        _csv("locations", "state", "ZZ", ("ZZ",), "state"),
        _csv("locations", "timezone", "Mars/Olympus", ("unknown time zone",), "zone"),
        _csv("locations", "timezone", "../../etc/passwd", ("unknown time zone",), "zone-path"),
        _csv("locations", "timezone", "", ("unknown time zone",), "zone-empty"),
        _csv("locations", "location_id", "bad id!", ("is not an id",), "id"),
        _csv("locations", "name", "", ("name",), "name-empty"),
    ]


def _calc_doc(**shift: Any) -> str:
    base: dict[str, Any] = {"worker": "w1", "state": "CA", "date": "2026-11-02", "hours": "8", "rate": "20.00"}
    base.update(shift)
    for key in [k for k, v in base.items() if v is _DROP]:
        del base[key]
    return json.dumps({"shifts": [base]})


_DROP = object()


def _calc(cid: str, text: str | bytes, says: tuple[str, ...]) -> Case:
    return Case(f"calc-{cid}", ("calc", "{in.json}"), says, {"in.json": text})


def _calc_cases() -> list[Case]:
    cases: list[Case] = []
    for cid, value, what in BAD_RATES:
        if cid in ("zero",):
            continue  # 0 is a piece rate in calc
        what = ("0 or more",) if cid == "negative" else what
        cases.append(_calc(f"rate-{cid}", _calc_doc(rate=value), ("shifts[0].rate", *what)))
    hours = [
        ("exp-309", "1e309", ("exponent",)),
        ("nan", "NaN", ("not a number",)),
        ("comma", "7,5", ("comma",)),
        ("negative", "-1", ("0 or more",)),
        ("over-24", "25", ("at most 24 hours",)),
        ("six-places", "7.123456", ("5 decimal places",)),
    ]
    cases += [_calc(f"hours-{cid}", _calc_doc(hours=v), ("shifts[0].hours", *w)) for cid, v, w in hours]
    cases += [
        _calc(f"date-{cid}", _calc_doc(date=v), ("shifts[0].date", *w))
        for cid, v, w in [
            ("year-1", "0001-01-01", ("out of range",)),
            ("year-9999", "9999-12-31", ("out of range",)),
            ("feb-30", "2026-02-30", ("not a date",)),
        ]
    ]
    start = {"date": _DROP, "hours": _DROP}
    cases += [
        _calc(f"start-{cid}", _calc_doc(start=v, end="2026-11-02T16:00", **start), ("shifts[0].start", *w))
        for cid, v, w in [
            ("year-1", "0001-01-01T08:00", ("out of range",)),
            ("year-9999", "9999-12-31T08:00", ("out of range",)),
            ("words", "8am", ("not a time",)),
        ]
    ]
    cases += [
        _calc(
            "json-nan-number",
            '{"shifts": [{"worker": "w1", "state": "CA", "date": "2026-11-02", "hours": NaN}]}',
            (":1:", "NaN is not a JSON number"),
        ),
        _calc("json-infinity", '{"shifts": [{"worker": "w1", "rate": Infinity}]}', (":1:", "Infinity")),
        _calc(
            "json-exp-number",
            '{"shifts": [{"worker": "w1", "state": "CA", "date": "2026-11-02", "hours": 8, "rate": 1e309}]}',
            ("shifts[0].rate", "exponent"),
        ),
        _calc(
            "json-huge-int",
            '{"shifts": [{"worker": "w1", "state": "CA", "date": "2026-11-02", "hours": 8, "rate": '
            + "9" * 5000
            + "}]}",
            ("shifts[0].rate", "too many digits"),
        ),
        _calc("deep-list", '{"shifts": ' + "[" * 100_000 + "]" * 100_000 + "}", ("nested too deeply",)),
        _calc("deep-object", '{"a":' * 50 + "1" + "}" * 50, ("nested too deeply",)),
        _calc("deep-top-list", "[" * 5000 + "]" * 5000, ("nested too deeply",)),
        _calc("not-json", "shifts: []", (":1:1",)),
        _calc("empty", "", (":1:1",)),
        _calc("binary", b"\xff\xfe\x00garbage", ("in.json",)),
        _calc("not-object", "[1, 2]", ("must be a JSON object",)),
        _calc("shifts-not-list", '{"shifts": 3}', ("shifts",)),
        _calc("worker-object", _calc_doc(worker={"a": 1.5}), ("shifts[0].worker", "expected a non-empty text")),
        _calc("unknown-state", _calc_doc(state="ZZ"), ("shifts[0].state", "unknown state")),
        _calc("unknown-zone", _calc_doc(timezone="Mars/Olympus"), ("shifts[0].timezone", "unknown time zone")),
        *(
            _calc(
                f"scheduled-{cid}",
                json.dumps({"shifts": [json.loads(_calc_doc())["shifts"][0]], "scheduled": value}),
                says,
            )
            for cid, value, says in [
                ("not-list", {"w1": 8}, ("scheduled", "expected a list of {worker, date, hours}")),
                ("unknown-worker", [{"worker": "w9", "date": "2026-11-02", "hours": "8"}], ("scheduled[0].worker",)),
                ("bad-date", [{"worker": "w1", "date": "2026-02-30", "hours": "8"}], ("scheduled[0].date",)),
                ("no-hours", [{"worker": "w1", "date": "2026-11-02"}], ("scheduled[0].hours", "missing")),
                ("zero-hours", [{"worker": "w1", "date": "2026-11-02", "hours": "0"}], ("scheduled[0].hours",)),
                ("25-hours", [{"worker": "w1", "date": "2026-11-02", "hours": "25"}], ("scheduled[0].hours",)),
                (
                    "twice",
                    [{"worker": "w1", "date": "2026-11-02", "hours": "8"}] * 2,
                    ("scheduled[1].date", "already scheduled"),
                ),
                (
                    "extra-key",
                    [{"worker": "w1", "date": "2026-11-02", "hours": "8", "shift": "am"}],
                    ("scheduled[0]", "shift"),
                ),
            ]
        ),
        _calc(
            "bonus-nan",
            json.dumps(
                {
                    "shifts": [json.loads(_calc_doc())["shifts"][0]],
                    "earnings": [{"worker": "w1", "date": "2026-11-02", "amount": "NaN", "kind": "bonus"}],
                }
            ),
            ("earnings[0].amount", "not a number"),
        ),
        _calc(
            "bonus-negative",
            json.dumps(
                {
                    "shifts": [json.loads(_calc_doc())["shifts"][0]],
                    "earnings": [{"worker": "w1", "date": "2026-11-02", "amount": "-5", "kind": "bonus"}],
                }
            ),
            ("earnings[0].amount", "must be from 0"),
        ),
        _calc(
            "bonus-three-places",
            json.dumps(
                {
                    "shifts": [json.loads(_calc_doc())["shifts"][0]],
                    "earnings": [{"worker": "w1", "date": "2026-11-02", "amount": "1.005", "kind": "bonus"}],
                }
            ),
            ("earnings[0].amount", "2 decimal places"),
        ),
    ]
    return cases


RULES_GOOD = """version 1
federal {
  rules from 2022-01-01 {
    weekly over 40h is OT x1.5
  }
}
"""


def _rules(cid: str, text: str | bytes, says: tuple[str, ...], *, adopt: bool = False) -> Case:
    args = ("rules", "adopt", "{r.ot}", "--from", "2026-11-01") if adopt else ("rules", "check", "{r.ot}")
    return Case(f"rules-{cid}", args, says, {"r.ot": text})


def _rules_cases() -> list[Case]:
    line4 = "    weekly over 40h is OT x1.5\n"

    def swap(new: str) -> str:
        return RULES_GOOD.replace(line4, new)

    return [
        _rules("exponent-multiplier", swap("    weekly over 40h is OT x1E2\n"), ("r.ot:4:",)),
        _rules("exponent-hours", swap("    weekly over 4e1h is OT x1.5\n"), ("r.ot:4:",)),
        _rules("unknown-word", swap("    weekly overr 40h is OT x1.5\n"), ("r.ot:4:",)),
        _rules("missing-brace", RULES_GOOD.rstrip().rstrip("}"), ("r.ot:",)),
        _rules("extra-brace", RULES_GOOD + "}\n", ("r.ot:7:",)),
        _rules("empty", "", ("r.ot:1:",)),
        _rules("binary", b"\xff\xfe\x00\x01", ("r.ot",)),
        _rules("no-version", RULES_GOOD.replace("version 1\n", ""), ("r.ot:1:",)),
        _rules("version-99", RULES_GOOD.replace("version 1", "version 99"), ("r.ot:1:",)),
        _rules("date-month-0", RULES_GOOD.replace("2022-01-01", "2022-00-10"), ("r.ot:3:",)),
        _rules("date-feb-30", RULES_GOOD.replace("2022-01-01", "2022-02-30"), ("r.ot:3:",)),
        _rules("negative-hours", swap("    weekly over -40h is OT x1.5\n"), ("r.ot:4:",)),
        _rules("huge-hours", swap("    weekly over 99999999999999999999999h is OT x1.5\n"), ("r.ot:4:",)),
        _rules("nan", swap("    weekly over NaNh is OT x1.5\n"), ("r.ot:4:",)),
        _rules("deep-braces", "version 1\n" + "federal {\n" * 3000 + "}\n" * 3000, ("r.ot:",)),
        _rules("markup-name", "version 1\nstate [/b] {\n}\n", ("r.ot:2:",)),
        # the yearly adjustment of a minimum wage: a date every year has, in a block with figures
        _rules(
            "adjusted-feb-29",
            swap("    minimum wage 7.25 from 2009-07-24\n    minimum wage adjusted yearly from 2024-02-29\n"),
            ("r.ot:5:", "February 29"),
        ),
        _rules(
            "adjusted-alone",
            swap("    minimum wage adjusted yearly from 2024-01-01\n"),
            ("r.ot:4:", "a yearly adjustment of no minimum wage"),
        ),
        _rules("adopt-unknown-word", swap("    weekly overr 40h is OT x1.5\n"), ("r.ot:4:",), adopt=True),
        # Characters pasted from elsewhere: each named where it stands, by its code point.
        _rules("nbsp", swap("    weekly\u00a0over 40h is OT x1.5\n"), ("r.ot:4:11: a non-breaking space (U+00A0",)),
        _rules("zero-width", swap("    week\u200bly over 40h is OT x1.5\n"), ("r.ot:4:9:", "U+200B")),
        _rules("en-dash-date", RULES_GOOD.replace("2022-01-01", "2022\u201301-01"), ("r.ot:3:18:", "U+2013")),
        _rules("bom-inside", "version 1\n\ufeff" + RULES_GOOD[len("version 1\n") :], ("r.ot:2:1:", "U+FEFF")),
        _rules("adopt-nbsp", swap("    weekly over\u00a040h is OT x1.5\n"), ("r.ot:4:16:", "U+00A0"), adopt=True),
        _rules("adopt-exponent", swap("    weekly over 40h is OT x1e2\n"), ("r.ot:4:",), adopt=True),
        _rules("adopt-empty", "", ("r.ot:1:",), adopt=True),
        # Groups of workers (12 NYCRR 142-2.2's residential employees; 29 U.S.C. 213(b)(21)).
        _rules(
            "group-undeclared",
            swap('    weekly over 44h is OT x1.5 when worker in "residental"\n'),
            ("r.ot:4:", 'no group "residental"', "employer block"),
        ),
        _rules(
            "group-undeclared-no-overtime",
            swap('    no overtime for 1099, "live-in"\n'),
            ("r.ot:4:", 'no group "live-in"'),
        ),
        _rules(
            "group-twice",
            GROUPS.replace("}\nfederal", '  group "residential" is "W-3"\n}\nfederal', 1),
            ("r.ot:4:", 'group "residential" is given twice', "keep one"),
        ),
        _rules(
            "group-worker-twice",
            GROUPS.replace('"W-1", "W-2"', '"W-1", "W-1"'),
            ("r.ot:3:", 'names worker "W-1" twice'),
        ),
        _rules("group-empty-name", GROUPS.replace('group "residential"', 'group ""'), ("r.ot:3:", "needs a name")),
        _rules("group-empty-id", GROUPS.replace('"W-2"', '""'), ("r.ot:3:", "empty worker id")),
        _rules("group-no-members", GROUPS.replace(' is "W-1", "W-2"', " is"), ("r.ot:3:",)),
        _rules("group-outside-employer", swap('    group "residential" is "W-1"\n'), ("r.ot:4:",)),
        # Figures past what any law writes: refused by the check, not a crash of every pricing after adoption.
        _rules(
            "multiplier-huge",
            swap("    weekly over 40h is OT x99999999999999999999999999999\n"),
            ("r.ot:4:27:", "more than x10"),
        ),
        _rules("multiplier-over-10", swap("    weekly over 40h is OT x10.5\n"), ("r.ot:4:27:", "more than x10")),
        _rules("multiplier-fine", swap("    weekly over 40h is OT x1.555\n"), ("r.ot:4:27:", "2 decimal places")),
        _rules(
            "adopt-multiplier-huge",
            swap("    weekly over 40h is OT x99999999999999999999999999999\n"),
            ("r.ot:4:27:", "more than x10"),
            adopt=True,
        ),
        _rules(
            "minimum-wage-huge",
            swap("    minimum wage 99999999999999999999999999.99 from 2022-01-01\n"),
            ("r.ot:4:18:", "more than $1,000.00 an hour"),
        ),
        _rules(
            "minimum-wage-over-1000",
            swap("    minimum wage 1000.01 from 2022-01-01\n"),
            ("r.ot:4:18:", "more than $1,000.00 an hour"),
        ),
        _rules(
            "minimum-wage-tenth-of-cent",
            swap("    minimum wage 7.255 from 2022-01-01\n"),
            ("r.ot:4:18:", "2 decimal places"),
        ),
        _rules(
            "differential-huge",
            swap("    differential 99999999999999999999999999 per hour between 22:00 and 06:00\n"),
            ("r.ot:4:18:", "more than $1,000.00 an hour"),
        ),
        _rules(
            "consecutive-hours-huge",
            swap("    consecutive hours over 99999999999999h is OT x1.5\n"),
            ("r.ot:4:5:", "fewer hours than 168h"),
        ),
        _rules("hours-fine", swap("    daily over 8.125h is OT x1.5\n"), ("r.ot:4:16:", "2 decimal places")),
        _rules(
            "premium-hours-huge",
            swap("    split shift over 60 min is 99999999999999999999999999h at minimum wage\n"),
            ("r.ot:4:32:", "more than 24h"),
        ),
        _rules(
            "meal-hour-huge",
            swap("    meal period 30 min before end of hour 99999999999999999999 when over 5h, premium 1h\n"),
            ("r.ot:4:43:", "more than 24"),
        ),
        _rules(
            "rate-below-huge",
            swap("    weekly over 40h is OT x1.5 when rate below 999999999999999999999999999x minimum wage\n"),
            ("r.ot:4:48:", "more than 10x"),
        ),
        _rules(
            "short-breaks-5000-digits",
            swap("    short breaks up to " + "9" * 5000 + " min are worked\n"),
            ("r.ot:4:24:", "more than 60 min"),
        ),
        _rules(
            "rounding-5000-digits",
            swap("    rounding to nearest " + "9" * 5000 + " min\n"),
            ("r.ot:4:5:", "not a neutral rounding policy"),
        ),
        _rules(
            "employer-size-huge",
            RULES_GOOD.replace("federal {", "employer {\n  size 99999999999999999999\n}\nfederal {"),
            ("r.ot:3:", "more than 1000000000"),
        ),
        # Digits of other scripts: Python reads them as numbers; the language takes 0-9 only.
        _rules(
            "arabic-indic-digits",
            swap("    weekly over \u0664\u0660h is OT x1.5\n"),
            ("r.ot:4:17:", "digits other than 0-9", "write 40h"),
        ),
        _rules(
            "fullwidth-multiplier",
            swap("    weekly over 40h is OT x\uff11.\uff15\n"),
            ("r.ot:4:28:", "digits other than 0-9", "write x1.5"),
        ),
        _rules(
            "arabic-indic-version",
            RULES_GOOD.replace("version 1", "version \u0661"),
            ("r.ot:1:9:", "digits other than 0-9", "write 1"),
        ),
        _rules(
            "adopt-arabic-indic-digits",
            swap("    weekly over \u0664\u0660h is OT x1.5\n"),
            ("r.ot:4:17:", "digits other than 0-9"),
            adopt=True,
        ),
    ]


GROUPS = """version 1
employer {
  group "residential" is "W-1", "W-2"
}
federal {
  rules from 2022-01-01 {
    weekly over 44h is OT x1.5 when worker in "residential"
  }
}
"""


def _flags() -> list[Case]:
    def c(cid: str, *args: str, says: tuple[str, ...]) -> Case:
        return Case(f"flag-{cid}", args, says)

    shift = ("shift", "add", "--worker", "W1", "--date", "2026-11-04")
    cases = [
        c(f"shift-rate-{cid}", *shift, "--hours", "8", "--rate", v, says=("--rate", *w))
        for cid, v, w in BAD_RATES
        if cid not in ("dollar-only",)
    ]
    cases += [
        c(f"shift-hours-{cid}", *shift, "--hours", v, says=("--hours", *w))
        for cid, v, w in [
            ("exp-309", "1e309", ("exponent",)),
            ("nan", "NaN", ("not a number",)),
            ("inf", "inf", ("not a number",)),
            ("comma", "7,5", ("comma",)),
            ("negative", "-1", ("0 or more",)),
            ("over-24", "25", ("at most 24 hours",)),
            ("seconds", "7.501", ("to the hundredth",)),
        ]
    ]
    cases += [
        c(
            "shift-date-year-1",
            "shift",
            "add",
            "--worker",
            "W1",
            "--date",
            "0001-01-01",
            "--hours",
            "8",
            says=("--date", "out of range"),
        ),
        c(
            "shift-date-year-9999",
            "shift",
            "add",
            "--worker",
            "W1",
            "--date",
            "9999-12-31",
            "--hours",
            "8",
            says=("--date", "out of range"),
        ),
        c(
            "shift-start-year-1",
            "shift",
            "add",
            "--worker",
            "W1",
            "--start",
            "0001-01-01T08:00",
            "--end",
            "16:00",
            says=("--start", "out of range"),
        ),
        c(
            "shift-end-year-2126",
            "shift",
            "add",
            "--worker",
            "W1",
            "--start",
            "2026-11-04T08:00",
            "--end",
            "2126-11-04T09:00",
            says=("--end", "out of range"),
        ),
        # Digits of other scripts: \d and int() read them as numbers; a typed time takes 0-9 only.
        c(
            "shift-end-arabic-indic",
            *("shift", "add", "--worker", "W1", "--start", "2026-11-04T08:00", "--end", "\u0661\u0666:\u0660\u0660"),
            says=("--end",),
        ),
        # The next-day rule made an end at the start's own time a 24-hour shift without a word (a review).
        c(
            "shift-end-at-its-start",
            *("shift", "add", "--worker", "W1", "--start", "2026-11-04T08:00", "--end", "08:00"),
            says=("--end", "08:00 is the start's own time: a shift of 0 or 24 hours", "--end 2026-11-05T08:00"),
        ),
        c(
            "shift-break-arabic-indic",
            *("shift", "add", "--worker", "W1", "--start", "2026-11-04T08:00", "--end", "16:00"),
            *("--break", "\u0661\u0662:\u0660\u0660-\u0661\u0662:\u0663\u0660"),
            says=("--break",),
        ),
        c("payrun-9999", "payrun", "--period", "9999-12-31", says=("--period", "out of range")),
        c("payrun-0001", "payrun", "--period", "0001-01-01", says=("--period", "out of range")),
        c("payrun-confirm-word", "payrun", "--period", "2026-10-20", "--confirm", "yes", says=("--confirm", "12 hex")),
        c(
            "payrun-confirm-short",  # (upper case is a code: ABCDEF012345 is abcdef012345)
            "payrun",
            "--period",
            "2026-10-20",
            "--confirm",
            "ABCDEF01234",
            says=("--confirm", "not a pay run's code"),
        ),
        c("explain-0001", "explain", "W1", "--week", "0001-01-01", says=("--week", "out of range")),
        c("explain-9999", "explain", "W1", "--week", "9999-12-31", says=("--week", "out of range")),
        c("shifts-0001", "shifts", "--worker", "W1", "--week", "0001-01-01", says=("--week", "out of range")),
        c("stub-9999", "stub", "W1", "--period", "9999-12-31", says=("--period", "out of range")),
        c(
            "approve-shifts-9999",
            "approve",
            "shifts",
            "--all-visible",
            "--period",
            "9999-12-31",
            says=("--period", "out of range"),
        ),
        c(
            "approve-timecards-0001",
            "approve",
            "timecards",
            "--period",
            "0001-01-01",
            says=("--period", "out of range"),
        ),
        c(
            "holiday-exp",
            "approve",
            "timecards",
            "--period",
            "2026-11-02",
            "--holiday-hours",
            "W1:2026-11-02:1e309",
            says=("--holiday-hours", "exponent"),
        ),
        c(
            "holiday-year-1",
            "approve",
            "timecards",
            "--period",
            "2026-11-02",
            "--holiday-hours",
            "W1:0001-01-01:8",
            says=("--holiday-hours", "out of range"),
        ),
        c(
            "holiday-zero",
            "approve",
            "timecards",
            "--period",
            "2026-11-02",
            "--holiday-hours",
            "W1:2026-11-02:0",
            says=("--holiday-hours", "more than 0"),
        ),
        c(
            "holiday-shape",
            "approve",
            "timecards",
            "--period",
            "2026-11-02",
            "--holiday-hours",
            "W1-8",
            says=("--holiday-hours", "WORKER:YYYY-MM-DD:HOURS"),
        ),
        c(
            "punch-add-year-1",
            "punch",
            "add",
            "--worker",
            "W1",
            "--kind",
            "in",
            "--at",
            "0001-01-01T08:00",
            "--reason",
            "x",
            says=("--at", "out of range"),
        ),
        c(
            "punch-add-year-9999",
            "punch",
            "add",
            "--worker",
            "W1",
            "--kind",
            "in",
            "--at",
            "9999-12-31T08:00",
            "--reason",
            "x",
            says=("--at", "out of range"),
        ),
        c(
            "punch-add-nan",
            "punch",
            "add",
            "--worker",
            "W1",
            "--kind",
            "in",
            "--at",
            "NaN",
            "--reason",
            "x",
            says=("--at", "not a time"),
        ),
        c("ledger-log-since", "ledger", "log", "--since", "0001-01-01", says=("--since",)),
        c("ledger-log-limit-huge", "ledger", "log", "--limit", "9" * 30, says=("--limit", "at most")),
        c("ledger-log-limit-zero", "ledger", "log", "--limit", "0", says=("--limit", "at least 1")),
        # Digits of other scripts in an integer option (click's int took them)
        c("ledger-log-limit-fullwidth", "ledger", "log", "--limit", "\uff13", says=("'--limit'", "digits 0-9")),
        c("workers-limit-arabic-indic", "workers", "--limit", "\u0663", says=("'--limit'", "digits 0-9")),
        c("period-show-count-superscript", "period", "show", "--count", "\u00b2", says=("'--count'", "digits 0-9")),
        c("payrun-jobs-arabic-indic", "payrun", "--period", "2026-10-20", "--jobs", "\u0662", says=("'--jobs'", "0-9")),
        c("audit-since-9999", "audit", "corrections", "--since", "9999-12-31", says=("--since", "out of range")),
        c("sync-week-0001", "sync", "report", "--week", "0001-01-01", says=("--week", "out of range")),
        c(
            "period-anchor-0001",
            "period",
            "configure",
            "--frequency",
            "weekly",
            "--anchor",
            "0001-01-01",
            says=("--anchor", "out of range"),
        ),
        c(
            "period-effective-9999",
            "period",
            "configure",
            "--frequency",
            "weekly",
            "--anchor",
            "2026-11-01",
            "--effective",
            "9999-12-31",
            says=("--effective", "out of range"),
        ),
        c("rules-adopt-from-0001", "rules", "adopt", "{r.ot}", "--from", "0001-01-01", says=("--from", "out of range")),
        c("rules-check-date-month-13", "rules", "check", "--date", "2026-13-01", says=("--date", "no month 13")),
        c("rules-check-date-1800", "rules", "check", "--date", "1800-01-01", says=("--date", "out of range")),
    ]
    return cases


EARNINGS_HEAD = "worker_id,date,kind,amount,quantity,unit_rate,earned_from,earned_to,note\n"
GOOD_EARNING = {
    "worker_id": "W1",
    "date": "2026-11-02",
    "kind": "bonus",
    "amount": "50.00",
    "quantity": "",
    "unit_rate": "",
    "earned_from": "",
    "earned_to": "",
    "note": "",
}
#: Bad amounts an earning shares with rates (read_decimal's words); 0 is a valid earning.
_SHARED = {"zero", "negative", "too-high", "far-too-high", "five-places"}


def _earnings() -> list[Case]:
    """``ot import earnings`` (FILE:LINE:COLUMN) and ``ot earning add`` (the option) refuse each."""
    columns = list(GOOD_EARNING)
    bad: list[tuple[str, str, str, tuple[str, ...]]] = [
        *(("amount", f"amount-{cid}", v, what) for cid, v, what in BAD_RATES if cid not in _SHARED),
        ("amount", "amount-negative", "-5", ("must be from 0",)),
        ("amount", "amount-three-places", "5.001", ("2 decimal places",)),
        ("amount", "amount-too-high", "99999999", ("must be from 0",)),
        # the one date reader's words (ot.core.timez.parse_date): "is not a date", "out of range"
        *(
            ("date", f"date-{cid}", v, tuple(w.replace("not a real date", "is not a date") for w in what))
            for cid, v, what in BAD_DATES
        ),
        ("kind", "kind-unknown", "tips", ("is not one of",)),
        ("kind", "kind-empty", "", ("is not one of",)),
        ("worker_id", "worker-unknown", "W99", ("no worker 'W99'",)),
        ("worker_id", "worker-empty", "", ("worker_id is empty",)),
    ]
    cases = []
    for column, cid, value, what in bad:
        col = columns.index(column) + 1
        cases.append(
            Case(
                f"earnings-{cid}",
                ("import", "earnings", "{earnings.csv}"),
                (f"earnings.csv:2:{col}", *what),
                {"earnings.csv": EARNINGS_HEAD + _row(GOOD_EARNING, column, value)},
            )
        )
        if column in ("amount", "date") and value:
            flag = "--amount" if column == "amount" else "--date"
            given = dict(GOOD_EARNING, **{column: value})
            cases.append(
                Case(
                    f"earning-add-{cid}",
                    ("earning", "add", "W1", "--date", given["date"], "--kind", "bonus", "--amount", given["amount"]),
                    (flag, *what),
                )
            )
    for cid, pair in (
        ("period-half", ("2026-10-01", "")),
        ("period-backwards", ("2026-10-31", "2026-10-01")),
        ("period-bad-date", ("2026-10-32", "2026-10-31")),
    ):
        row = dict(GOOD_EARNING, earned_from=pair[0], earned_to=pair[1])
        cases.append(
            Case(
                f"earnings-{cid}",
                ("import", "earnings", "{earnings.csv}"),
                ("earnings.csv:2:",),
                {"earnings.csv": EARNINGS_HEAD + ",".join(_cell(row[c]) for c in columns) + "\n"},
            )
        )
    return cases


def _long_lines() -> list[Case]:
    """A line past ledger.imports.MAX_LINE_BYTES (64 KiB) in each CSV layout: refused at FILE:LINE once that
    much is read, never read whole (a file with no line ends, /dev/zero, grew the import to 24 GB)."""
    heads = {
        "punches": PUNCH_HEAD,
        "workers": WORKERS_HEAD,
        "locations": LOCATION_HEAD,
        "earnings": "worker_id,date,kind,amount\n",
        "schedules": "worker_id,weekday,start,end\n",
    }
    return [
        Case(
            f"{layout}-line-over-64k",
            ("import", layout, "{" + layout + ".csv}"),
            (f"{layout}.csv:2", "longer than 64 KiB", "split the line"),
            {f"{layout}.csv": head + "x" * (64 * 1024 + 1) + "\n"},
        )
        for layout, head in heads.items()
    ] + [
        Case(
            "punches-nul-bytes-no-line-end",
            ("import", "punches", "{zeros.csv}"),
            ("zeros.csv:1", "longer than 64 KiB"),
            {"zeros.csv": b"\x00" * (200 * 1024)},
        )
    ]


def all_cases() -> list[Case]:
    cases = [
        *_workers(),
        *_punches(),
        *_locations(),
        *_calc_cases(),
        *_rules_cases(),
        *_flags(),
        *_earnings(),
        *_long_lines(),
    ]
    for case in cases:
        if "{r.ot}" in case.args and "r.ot" not in case.files:
            case.files["r.ot"] = RULES_GOOD
    return cases
