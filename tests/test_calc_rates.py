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
