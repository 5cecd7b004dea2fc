"""Issue 13: payroll exports carry ot's classification, and pay exactly what the pay runs paid.

Each format's golden file is the demo company's second pay period (an underpayment, an
overpayment deduction, a week worked in California and Texas), read back here with the
csv module the way the payroll system pays it, and compared with the pay runs' payments.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from ot.cli import main
from ot.services.uow import unit_of_work

PERIOD_2 = "2026-11-02"


def _copy(source: Path, target: Path) -> Path:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def run(path: Path, user: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["--ledger", str(path), "--as", user, *args])
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


@pytest.fixture(scope="session")
def _exports_master(_demo_paid_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _copy(_demo_paid_master, tmp_path_factory.mktemp("exports") / "ledger.db")
    run(path, "A1", "shift", "edit", "S699", "--end", "17:31", "--correction-authorized", "--reason", "stayed late")
    run(path, "A1", "shift", "edit", "S819", "--end", "12:00", "--correction-authorized", "--reason", "left at noon")
    run(
        path,
        "M1",
        "shift",
        "add",
        "--worker",
        "W02",
        "--start",
        "2026-10-31T09:00",
        "--end",
        "13:00",
        "--location",
        "HOU",
    )
    run(path, "A1", "approve", "shifts", "--all-visible", "--period", PERIOD_2)
    run(path, "A1", "approve", "timecards", "--period", PERIOD_2)
    run(path, "A1", "payrun", "--period", PERIOD_2, "--partial")
    return path


@pytest.fixture
def paid_twice(_exports_master: Path, tmp_path: Path) -> Path:
    """A private copy of that ledger."""
    return _copy(_exports_master, tmp_path / "ledger.db")


@pytest.fixture
def mappings(tmp_path: Path) -> dict[str, Path]:
    """The shipped mappings with the employer's ids filled in (ADP company ABC, Paychex client 70012345)."""
    from ot.exports.mapping import DEFAULTS

    out = {}
    for name in ("adp-wfn", "paychex-flex", "gusto", "generic"):
        text = (DEFAULTS / f"{name}.toml").read_text()
        text = text.replace('company_code = ""', 'company_code = "ABC"').replace(
            'client_id = ""', 'client_id = "70012345"'
        )
        out[name] = tmp_path / f"{name}.toml"
        out[name].write_text(text)
    return out


FORMATS = ("adp-wfn", "paychex-flex", "gusto", "generic")
ZERO = Decimal("0.00")


class CsvSnapshot(SingleFileSnapshotExtension):
    """A golden file stored as one ``.csv`` file, byte for byte (its CRLF line ends too)."""

    file_extension = "csv"
    _write_mode = WriteMode.BINARY


def export(path: Path, fmt: str, out: Path, *extra: str, user: str = "A1", code: int = 0) -> str:
    result = CliRunner().invoke(
        main, ["--ledger", str(path), "--as", user, "export", "payroll", "--format", fmt, "-o", str(out), *extra]
    )
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result.stdout + result.stderr


def paid(path: Path, period_start: str = "2026-10-25") -> dict[str, Decimal]:
    """Worker -> net of the pay runs of the period, from the ledger."""
    from datetime import date

    with unit_of_work(path) as uow:
        out: dict[str, Decimal] = {}
        for p in uow.pay.payments_of_period(date.fromisoformat(period_start)):
            out[p.worker_id] = out.get(p.worker_id, ZERO) + p.net
        return out


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _sum(pairs: list[tuple[str, str]]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for wid, amount in pairs:
        if amount:
            out[wid] = out.get(wid, ZERO) + Decimal(amount)
    return out


def _nonzero(d: dict[str, Decimal]) -> dict[str, Decimal]:
    return {k: v for k, v in d.items() if v}


def _got(fmt: str, table: list[dict[str, str]], ledger: Path) -> dict[str, Decimal]:
    """Worker -> what the payroll system pays for the exported file, read the way it reads it."""
    if fmt == "adp-wfn":
        # ADP pays the earnings given with the hours: Reg, O/T and coded earnings.
        got = _sum([(r["File #"], r[c]) for r in table for c in ("Reg Earnings", "O/T Earnings", "Earnings 3 Amount")])
        for r in table:  # hours x Temp Rate (x 1.5 for O/T) is what those earnings are, to the cent, per row
            if r["Reg Hours"]:
                assert abs(Decimal(r["Reg Hours"]) * Decimal(r["Temp Rate"]) - Decimal(r["Reg Earnings"])) <= Decimal(
                    "0.02"
                )
    elif fmt == "paychex-flex":
        got = _sum([(r["Worker ID"], r["Amount"]) for r in table])
        assert all(r["Client ID"] == "70012345" for r in table)
    elif fmt == "generic":
        got = _sum([(r["worker_id"], r["amount"]) for r in table])
        for r in table:  # every hours line multiplies out within its group's one-cent carry
            if r["hours"]:
                product = Decimal(r["hours"]) * Decimal(r["rate"]) * Decimal(r["multiplier"])
                assert abs(product - Decimal(r["amount"])) <= Decimal("0.01")
    else:
        with unit_of_work(ledger) as uow:
            from datetime import date

            names = {w.name: w for w in uow.roster.values()}
            rates = {wid: w.rate_on(date(2026, 11, 7)) for wid, w in uow.roster.items()}
        mult = {"regular_hours": Decimal(1), "overtime_hours": Decimal("1.5"), "double_overtime_hours": Decimal(2)}
        got = {}
        for r in table:
            w = names[f"{r['first_name']} {r['last_name']}"]
            total = ZERO
            for col, value in r.items():
                if not value or col in ("first_name", "last_name", "gusto_employee_id", "personal_note"):
                    continue
                if col.endswith("_hours"):
                    total += (Decimal(value) * rates[w.worker_id] * mult[col]).quantize(Decimal("0.01"), ROUND_HALF_UP)
                else:
                    total += Decimal(value)
            got[w.worker_id] = total
    return got


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_file_pays_what_the_pay_runs_paid(
    fmt: str, paid_twice: Path, mappings: dict[str, Path], tmp_path: Path, snapshot: SnapshotAssertion
) -> None:
    out = tmp_path / f"{fmt}.csv"
    said = export(paid_twice, fmt, out, "--period", PERIOD_2, "--mapping", str(mappings[fmt]))
    data = out.read_bytes()
    assert data == snapshot(extension_class=CsvSnapshot)
    table = rows(data)
    expected = paid(paid_twice)
    got = _got(fmt, table, paid_twice)
    if fmt == "paychex-flex":
        assert {r["Override State"] for r in table if r["Worker ID"] == "W02"} == {"CA", "TX"}
    assert _nonzero(got) == _nonzero(expected)
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text())
    assert manifest["totals"]["net"] == str(sum(expected.values(), ZERO))
    assert manifest["sha256"]
    assert manifest["runs"][0]["ledger_seq"] > 0
    assert f"net {manifest['totals']['net']}" in said


def test_the_corrections_are_their_own_lines_dated_with_the_date_they_correct(
    paid_twice: Path, mappings: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "g.csv"
    export(paid_twice, "generic", out, "--period", PERIOD_2)
    table = rows(out.read_bytes())
    fixes = [(r["worker_id"], r["date"], r["code"], r["amount"]) for r in table if "PAYMENT" in r["code"]]
    assert fixes == [("W01", "2026-10-20", "UNDERPAYMENT", "32.25"), ("W02", "2026-10-20", "OVERPAYMENT", "-47.70")]
    houston = [r for r in table if r["worker_id"] == "W02" and r["date"] == "2026-10-31"]
    assert {(r["state"], r["location_id"]) for r in houston} == {("TX", "HOU")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_exporting_again_is_byte_identical(
    fmt: str, paid_twice: Path, mappings: dict[str, Path], tmp_path: Path
) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    export(paid_twice, fmt, a, "--period", PERIOD_2, "--mapping", str(mappings[fmt]))
    # Something unrelated happens in the ledger between the two exports.
    CliRunner().invoke(
        main,
        [
            "--ledger",
            str(paid_twice),
            "--as",
            "M1",
            "shift",
            "add",
            "--worker",
            "W03",
            "--start",
            "2026-11-20T09:00",
            "--end",
            "10:00",
        ],
    )
    export(paid_twice, fmt, b, "--period", PERIOD_2, "--mapping", str(mappings[fmt]))
    assert a.read_bytes() == b.read_bytes()
    ma = json.loads(a.with_name("a.csv.manifest.json").read_text())
    mb = json.loads(b.with_name("b.csv.manifest.json").read_text())
    assert {k: v for k, v in ma.items() if k != "file"} == {k: v for k, v in mb.items() if k != "file"}


def test_an_unmapped_class_refuses_and_names_the_line_to_add(
    paid_twice: Path, mappings: dict[str, Path], tmp_path: Path
) -> None:
    mapping = mappings["paychex-flex"]
    mapping.write_text(mapping.read_text().replace('DT = "Double Time"\n', ""))
    out = tmp_path / "spi.csv"
    said = export(paid_twice, "paychex-flex", out, "--period", PERIOD_2, "--mapping", str(mapping), code=2)
    assert "no earnings code for DT" in said
    assert f"{mapping}:" in said
    assert 'add the line  DT = "CODE"' in said
    assert not out.exists()
    assert not out.with_name("spi.csv.manifest.json").exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('client_id = "70012345"', 'client_id = ""'), "does not say the Paychex Client ID"),
        (lambda t: t + 'OVERTIME = "X"\n', "[codes] OVERTIME: is not a class ot pays"),
        (lambda t: t.replace('REG = "Hourly"', "REG = 3"), "[codes] REG: must be a code in quotes"),
        (lambda t: t + "[codes\n", "is not valid TOML"),
    ],
    ids=["no client id", "unknown class", "code not text", "bad toml"],
)
def test_a_bad_mapping_is_refused_and_nothing_is_written(
    edit,
    message: str,
    paid_twice: Path,
    mappings: dict[str, Path],
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    mapping = mappings["paychex-flex"]
    mapping.write_text(edit(mapping.read_text()))
    out = tmp_path / "spi.csv"
    said = export(paid_twice, "paychex-flex", out, "--period", PERIOD_2, "--mapping", str(mapping), code=2)
    assert message in said
    assert str(mapping) in said
    assert not out.exists()


def test_a_generic_layout_must_hold_the_worker_and_the_amount(
    paid_twice: Path, mappings: dict[str, Path], tmp_path: Path
) -> None:
    mapping = mappings["generic"]
    mapping.write_text(
        mapping.read_text().replace('title = "amount"\nvalue = "amount"', 'title = "amount"\nvalue = "paid_rate"')
    )
    out = tmp_path / "g.csv"
    said = export(paid_twice, "generic", out, "--period", PERIOD_2, "--mapping", str(mapping), code=2)
    assert "a layout must hold amount" in said
    assert not out.exists()


def test_a_mapped_generic_layout(paid_twice: Path, tmp_path: Path) -> None:
    """Columns, titles, a date format and a delimiter of the user's choosing."""
    mapping = tmp_path / "mine.toml"
    mapping.write_text(
        '[settings]\ndate_format = "%m/%d/%Y"\ndelimiter = ";"\n'
        '[[columns]]\ntitle = "Emp"\nvalue = "worker_id"\n'
        '[[columns]]\ntitle = "Day"\nvalue = "date"\n'
        '[[columns]]\ntitle = "Earning"\nvalue = "code"\n'
        '[[columns]]\ntitle = "Dollars"\nvalue = "amount"\n'
        '[codes]\nREG = "E1"\nOT = "E2"\nDT = "E3"\nPREMIUM = "E4"\nRR_ADJ = "E5"\nUNDERPAYMENT = "A1"\nOVERPAYMENT = "D1"\n'
    )
    out = tmp_path / "mine.csv"
    export(paid_twice, "generic", out, "--period", PERIOD_2, "--mapping", str(mapping))
    lines = out.read_text().splitlines()
    assert lines[0] == "Emp;Day;Earning;Dollars"
    assert "W01;10/20/2026;A1;32.25" in lines


def test_refusals_without_a_mapping(paid_twice: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert "no export format 'quickbooks'" in export(paid_twice, "quickbooks", out, "--period", PERIOD_2, code=2)
    said = export(paid_twice, "generic", out, "--period", "2026-11-20", code=2)
    assert "has not been paid: nothing was exported" in said
    assert "run `ot payrun --period" in said
    assert "only an admin may export payroll" in export(
        paid_twice, "generic", out, "--period", PERIOD_2, user="M1", code=2
    )
    assert not out.exists()


def test_an_off_cycle_run_exports_as_its_own_batch(paid_twice: Path, tmp_path: Path) -> None:
    """An underpayment paid IMMEDIATELY is an off-cycle run: `--run` exports it alone."""
    run = CliRunner().invoke(
        main,
        [
            "--ledger",
            str(paid_twice),
            "--as",
            "A1",
            "shift",
            "edit",
            "S705",
            "--end",
            "18:00",
            "--correction-authorized",
            "--reason",
            "late order",
            "--correction-timeframe",
            "immediately",
        ],
    )
    assert run.exit_code == 0, run.stderr
    with unit_of_work(paid_twice) as uow:
        (run_id,) = {p.run_id for p in uow.pay.payments_of("W01") if p.kind == "off_cycle"}
    out = tmp_path / "off.csv"
    export(paid_twice, "generic", out, "--run", run_id)
    table = rows(out.read_bytes())
    assert [(r["worker_id"], r["code"]) for r in table] == [("W01", "UNDERPAYMENT")]
    manifest = json.loads(out.with_name("off.csv.manifest.json").read_text())
    assert manifest["batch"] == run_id
    assert manifest["totals"]["net"] == table[0]["amount"]


def test_meal_and_rest_premiums_are_coded_apart_or_both_as_premium(
    paid_twice: Path, mappings: dict[str, Path], tmp_path: Path
) -> None:
    """The demo's missed meals (Cal. Lab. Code 226.7) are MEAL_PREMIUM lines; a mapping that codes
    only PREMIUM codes every premium with it; one that codes none names both lines to add."""
    out = tmp_path / "adp.csv"
    export(paid_twice, "adp-wfn", out, "--period", PERIOD_2, "--mapping", str(mappings["adp-wfn"]))
    codes = {r["Earnings 3 Code"] for r in rows(out.read_bytes()) if r["Earnings 3 Code"]}
    assert "MLP" in codes
    assert "MP" not in codes
    only_premium = tmp_path / "only-premium.toml"
    text = mappings["adp-wfn"].read_text()
    only_premium.write_text(text.replace('MEAL_PREMIUM = "MLP"\n', "").replace('REST_PREMIUM = "RSP"\n', ""))
    export(paid_twice, "adp-wfn", out, "--period", PERIOD_2, "--mapping", str(only_premium))
    codes = {r["Earnings 3 Code"] for r in rows(out.read_bytes()) if r["Earnings 3 Code"]}
    assert "MP" in codes
    assert "MLP" not in codes
    neither = tmp_path / "neither.toml"
    neither.write_text(only_premium.read_text().replace('PREMIUM = "MP"\n', ""))
    said = export(paid_twice, "adp-wfn", tmp_path / "no.csv", "--period", PERIOD_2, "--mapping", str(neither), code=2)
    assert 'MEAL_PREMIUM has no code: add the line  MEAL_PREMIUM = "CODE"' in said
    assert '(or PREMIUM = "CODE" for every premium)' in said
    assert not (tmp_path / "no.csv").exists()


def test_a_line_paid_before_premiums_were_marked_reads_as_premium() -> None:
    """Pay runs recorded before a line kept ``premium`` have no such key: the line reads back as a
    plain PREMIUM (coded with PREMIUM's code), and an unmarked line writes no key, so those
    events' bytes (and hashes) are what they were."""
    from datetime import date

    from ledger.approvals import PaidLine, line_from_payload, line_payload

    old = {
        "date": "2026-10-26",
        "class": "PREMIUM",
        "minutes": "60",
        "rate": "20",
        "multiplier": "1",
        "amount": "20.00",
    }
    line = line_from_payload(old)
    assert line.premium == ""
    assert line_payload(line) == old
    marked = PaidLine(date(2026, 10, 26), "PREMIUM", Decimal(60), Decimal(20), Decimal(1), Decimal("20.00"), "rest")
    assert line_payload(marked) == old | {"premium": "rest"}
    assert marked == line, "which premium it is is not money: comparing lines compares money"


#: One earning of every kind besides a salary (issue 16), recorded for W02 in the second period.
EARNINGS = (
    ("bonus", "50.00"),
    ("commission", "40.00"),
    ("piece", "30.00"),
    ("on-call", "20.00"),
    ("callback", "10.00"),
    ("discretionary-bonus", "25.00"),
    ("gift", "15.00"),
    ("expense", "12.34"),
)


@pytest.fixture(scope="module")
def earnings_master(_demo_paid_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _copy(_demo_paid_master, tmp_path_factory.mktemp("earnings-export") / "ledger.db")
    for kind, amount in EARNINGS:
        run(path, "A1", "earning", "add", "W02", "--date", "2026-11-05", "--kind", kind, "--amount", amount)
    run(path, "A1", "approve", "shifts", "--all-visible", "--period", PERIOD_2)
    run(path, "A1", "approve", "timecards", "--period", PERIOD_2)
    run(path, "A1", "payrun", "--period", PERIOD_2, "--partial")
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_earning_kind_has_a_shipped_code_and_pays_what_was_paid(
    fmt: str, earnings_master: Path, mappings: dict[str, Path], tmp_path: Path
) -> None:
    """Each shipped mapping codes every earning kind (issue 16), and the file pays exactly what the
    pay run paid, read the way the payroll system reads it."""
    path = _copy(earnings_master, tmp_path / "ledger.db")
    out = tmp_path / f"{fmt}.csv"
    export(path, fmt, out, "--period", PERIOD_2, "--mapping", str(mappings[fmt]))
    table = rows(out.read_bytes())
    expected = paid(path)
    assert _nonzero(_got(fmt, table, path)) == _nonzero(expected)
    text = out.read_text()
    if fmt == "generic":  # the generic codes are ot's classes
        classes = {r["code"] for r in table if r["worker_id"] == "W02"}
        assert {"BONUS", "COMMISSION", "PIECE", "ONCALL", "CALLBACK", "DISC_BONUS", "GIFT", "EXPENSE"} <= classes
    elif fmt == "gusto":
        assert "reimbursement" in text.splitlines()[0]
    else:
        code = {"adp-wfn": ",OC,", "paychex-flex": ",On Call,"}[fmt]
        assert code in text
