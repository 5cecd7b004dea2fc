"""``ot calc`` with pay plans and the earnings extensions (docs/calc-extensions.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ot.cli import main

from .books import ALL


@pytest.fixture(autouse=True)
def _book(monkeypatch: pytest.MonkeyPatch) -> None:
    import ot.services.calc as svc

    monkeypatch.setattr(svc, "load_rules", lambda path: ALL)


def _run(cli: CliRunner, tmp_path: Path, data: Any) -> Any:
    p = tmp_path / "in.json"
    p.write_text(json.dumps(data))
    return cli.invoke(main, ["calc", str(p), "--explain"])


def _days(hours: list[str]) -> list[dict[str, str]]:
    return [{"worker": "w1", "date": f"2026-11-0{2 + i}", "hours": h} for i, h in enumerate(hours)]


def test_fluctuating_workweek_from_calc(cli: CliRunner, tmp_path: Path) -> None:
    """29 CFR 778.114(b): $600 salary, 48 hours: $12.50 an hour; $600 + 8 h x $6.25 = $650."""
    data = {"workers": {"w1": {"rate": "600", "state": "TX", "pay_plan": "salary-fww"}}, "shifts": _days(["8"] * 6)}
    result = _run(cli, tmp_path, data)
    assert result.exit_code == 0, result.stderr
    week = json.loads(result.stdout)["workers"][0]["weeks"][0]
    assert (week["regular_rate"], week["gross_pay"]) == ("12.5000", "650.00")


def test_allocated_bonus_and_piece_basis_from_calc(cli: CliRunner, tmp_path: Path) -> None:
    """29 CFR 778.209 (derived): $400 earned over a 50-hour and a 30-hour week: $5 an hour; the
    first week's 10 overtime hours are owed $25 more, paid with the bonus."""
    shifts = _days(["10"] * 5) + [{"worker": "w1", "date": f"2026-11-{9 + i:02d}", "hours": "6"} for i in range(5)]
    data = {
        "workers": {"w1": {"rate": "10", "state": "TX"}},
        "shifts": shifts,
        "earnings": [
            {
                "worker": "w1",
                "date": "2026-11-13",
                "amount": "400",
                "kind": "bonus",
                "earned_from": "2026-11-01",
                "earned_to": "2026-11-14",
            },
            {
                "worker": "w1",
                "date": "2026-11-13",
                "amount": "30",
                "kind": "piece",
                "quantity": "60",
                "unit_rate": "0.5",
            },
        ],
    }
    result = _run(cli, tmp_path, data)
    assert result.exit_code == 0, result.stderr
    weeks = json.loads(result.stdout)["workers"][0]["weeks"]
    second = weeks[1]
    by_class = {ln["class"]: ln for ln in second["lines"] if ln["class"] in ("BONUS", "BONUS_OT", "PIECE")}
    assert by_class["BONUS_OT"]["amount"] == "25.00"
    assert "60 x $0.50" in by_class["PIECE"]["rule"]
    assert second["gross_pay"] == "755.00"  # 30 h x $10 + $400 + $25 + $30


@pytest.mark.parametrize(
    ("change", "where", "says"),
    [
        ({"pay_plan": "salaried"}, "workers.w1.pay_plan", "unknown pay plan"),
        ({"pay_plan": "salary-fixed"}, "workers.w1.plan_hours", "plan_hours"),
        ({"pay_plan": "salary-fixed", "plan_hours": "50"}, "workers.w1.plan_hours", "at most 40"),
        ({"plan_hours": "35"}, "workers.w1.plan_hours", "is for a salary-fixed plan"),
    ],
)
def test_bad_pay_plans_name_the_key(
    cli: CliRunner, tmp_path: Path, change: dict[str, str], where: str, says: str
) -> None:
    data = {"workers": {"w1": {"rate": "600", "state": "TX", **change}}, "shifts": _days(["8"])}
    result = _run(cli, tmp_path, data)
    assert result.exit_code == 2
    assert where in result.stderr
    assert says in result.stderr


@pytest.mark.parametrize(
    ("extra", "where", "says"),
    [
        ({"kind": "tip"}, "earnings[0].kind", "unknown kind"),
        ({"earned_from": "2026-11-01"}, "earnings[0]", "give both earned_from and earned_to"),
        ({"earned_from": "2026-11-09", "earned_to": "2026-11-01"}, "earnings[0].earned_to", "before earned_from"),
        (
            {"kind": "gift", "earned_from": "2026-11-01", "earned_to": "2026-11-07"},
            "earnings[0].earned_from",
            "only a bonus",
        ),
        ({"quantity": "3"}, "earnings[0]", "give both quantity and unit_rate"),
        ({"quantity": "-3", "unit_rate": "1"}, "earnings[0].quantity", "more than 0"),
        ({"shares": "3"}, "earnings[0].shares", "unknown key"),
    ],
)
def test_bad_earnings_name_the_key(
    cli: CliRunner, tmp_path: Path, extra: dict[str, str], where: str, says: str
) -> None:
    earning = {"worker": "w1", "date": "2026-11-02", "amount": "5", "kind": "bonus", **extra}
    data = {"workers": {"w1": {"rate": "20", "state": "TX"}}, "shifts": _days(["8"]), "earnings": [earning]}
    result = _run(cli, tmp_path, data)
    assert result.exit_code == 2
    assert where in result.stderr
    assert says in result.stderr
