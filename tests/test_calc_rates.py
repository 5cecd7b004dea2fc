"""``ot calc`` lines show the rate their hours are paid at, as contracts/calc.md's example
does (an OT line of a $20 worker: rate ``30.0000``, amount = hours x rate)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from ot.cli import main
from ot.core.money import cents


def test_line_rate_is_the_paid_rate(tmp_path: Path, cli: CliRunner) -> None:
    """Cal. Lab. Code 510(a): a 13-hour day of a $20 worker is 8 REG at $20, 4 OT at $30, 1 DT at $40."""
    given = {
        "workers": {"w1": {"rate": "20.00", "state": "CA"}},
        "shifts": [
            {
                "worker": "w1",
                "start": "2026-11-02T06:00",
                "end": "2026-11-02T19:30",
                "breaks": [{"start": "2026-11-02T10:00", "end": "2026-11-02T10:30"}],
            }
        ],
    }
    f = tmp_path / "in.json"
    f.write_text(json.dumps(given))
    result = cli.invoke(main, ["calc", str(f)])
    assert result.exit_code == 0, result.stderr
    lines = json.loads(result.stdout)["workers"][0]["weeks"][0]["lines"]
    worked = {line["class"]: (line["hours"], line["rate"], line["base_rate"], line["amount"]) for line in lines}
    assert worked["REG"] == ("8.00", "20.0000", "20.0000", "160.00")
    assert worked["OT"] == ("4.00", "30.0000", "20.0000", "120.00")
    assert worked["DT"] == ("1.00", "40.0000", "20.0000", "40.00")
    for line in lines:
        if line["class"] in ("REG", "OT", "DT", "RR_ADJ"):
            assert cents(Decimal(line["hours"]) * Decimal(line["rate"])) == Decimal(line["amount"])


def test_scheduled_days_give_reporting_time_pay(tmp_path: Path, cli: CliRunner) -> None:
    """IWC Wage Order 4-2001 section 5(A): scheduled for 8 hours, sent home after 2, a California worker
    is paid for half the scheduled day, 4 hours: 2 worked and 2 of reporting time at the regular rate
    (DLSE Enforcement Manual 45.1). Derived from the text. ``scheduled`` is calc's extension of the
    contract (docs/calc-extensions.md): without it nothing is owed, since no day is known scheduled."""
    shift = {"worker": "w1", "start": "2026-11-04T08:00", "end": "2026-11-04T10:00"}
    given = {
        "workers": {"w1": {"rate": "20.00", "state": "CA"}},
        "scheduled": [{"worker": "w1", "date": "2026-11-04", "hours": "8"}],
        "shifts": [shift],
    }
    f = tmp_path / "in.json"
    f.write_text(json.dumps(given))
    result = cli.invoke(main, ["calc", str(f)])
    assert result.exit_code == 0, result.stderr
    week = json.loads(result.stdout)["workers"][0]["weeks"][0]
    premium = [ln for ln in week["lines"] if ln["class"] == "PREMIUM"]
    assert [(ln["hours"], ln["rate"], ln["amount"]) for ln in premium] == [("2.00", "20.0000", "40.00")]
    assert "reporting time" in premium[0]["rule"]
    assert (week["regular_hours"], week["gross_pay"]) == ("2.00", "80.00")
    del given["scheduled"]
    f.write_text(json.dumps(given))
    unscheduled = json.loads(cli.invoke(main, ["calc", str(f)]).stdout)["workers"][0]["weeks"][0]
    assert unscheduled["gross_pay"] == "40.00"
