"""Who may act is read from tables a person can edit: an edit grants nothing (ot.services.authority).

A review's reproducers on the demo company (admin A1; managers M1, M2...; keys enrolled): a row
inserted into ``identities`` let another key write as A1, a pay run included; ``UPDATE workers SET
role = 'admin'`` made M1 an admin; a report's ``manager_id`` edited gave M1 another manager's worker.
Each is refused now, says the table and the row, and writes nothing; ``ot ledger rebuild`` mends it.
"""

from __future__ import annotations

import base64
import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests_support import ledger_dump

from ot.cli import main

pytestmark = pytest.mark.sqlite_only(reason="edits the ledger file's tables by hand")

REFUSED = "refused: a table that says who may act does not match the events; nothing was written"


def _edit(path: Path, sql: str, *args: object) -> None:
    con = sqlite3.connect(path)
    con.execute(sql, args)
    con.commit()
    con.close()


def _refused(cli: CliRunner, path: Path, *argv: str, env: dict[str, str] | None = None) -> str:
    before = ledger_dump(path)
    result = cli.invoke(main, list(argv), env=env)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert ledger_dump(path) == before
    return result.stderr


def test_a_role_edited_in_the_table_grants_nothing(demo_ledger: Path, cli: CliRunner) -> None:
    _edit(demo_ledger, "UPDATE workers SET role = 'admin' WHERE worker_id = 'M1'")
    for argv in (["employer", "set", "--name", "Evil"], ["approve", "timecards", "--period", "2026-10-20"]):
        err = _refused(cli, demo_ledger, "--as", "M1", *argv)
        assert REFUSED in err
        assert "table workers: worker M1:" in err
        assert "'admin'" in err
        assert "the events make" in err
    # Anyone else's writes are refused too while the table lies (the keys are checked at every write).
    assert cli.invoke(main, ["--as", "A1", "ledger", "rebuild"]).exit_code == 0
    ok = cli.invoke(main, ["--as", "A1", "employer", "set", "--name", "Fine"])
    assert ok.exit_code == 0, ok.stderr
    again = _refused(cli, demo_ledger, "--as", "M1", "employer", "set", "--name", "Evil")
    assert "M1 is a manager: only an admin may set the employer" in again


def test_a_key_inserted_into_identities_cannot_write(demo_ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    evil = {"OT_KEYS": str(tmp_path / "evil-keys")}
    made = cli.invoke(main, ["user", "init", "A1"], env=evil)
    assert made.exit_code == 0, made.stderr
    public = next(w for w in made.stdout.split() if len(w) == 44 and w.endswith("="))
    key_id = hashlib.sha256(base64.b64decode(public)).hexdigest()[:16]
    _edit(demo_ledger, "INSERT INTO identities VALUES (?, 'A1', ?, 'person', 'admin', 5, NULL)", key_id, public)
    for argv in (["employer", "set", "--name", "Evil"], ["payrun", "--period", "2026-10-20", "--partial"]):
        err = _refused(cli, demo_ledger, "--as", "A1", *argv, env=evil)
        assert REFUSED in err
        assert f"table identities: key {key_id}: a row no event made" in err


def test_identities_deleted_do_not_turn_the_seals_off(demo_ledger: Path, cli: CliRunner) -> None:
    _edit(demo_ledger, "DELETE FROM identities")
    err = _refused(cli, demo_ledger, "--as", "W01", "employer", "set", "--name", "Evil")
    assert "the row the events make is missing" in err


def test_a_report_moved_to_a_manager_in_the_table_is_not_theirs(demo_ledger: Path, cli: CliRunner) -> None:
    con = sqlite3.connect(demo_ledger)
    (other,) = con.execute("SELECT worker_id FROM workers WHERE role = 'worker' AND manager_id != 'M1'").fetchone()
    con.close()
    _edit(demo_ledger, "UPDATE workers SET manager_id = 'M1' WHERE worker_id = ?", other)
    err = _refused(cli, demo_ledger, "--as", "M1", "approve", "shifts", "--all-visible", "--period", "2026-10-20")
    assert f"table workers: worker {other}:" in err


HEADER = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override\n"


def _company(cli: CliRunner, tmp_path: Path) -> None:
    """A ledger with no keys enrolled: admin A1 and worker W1 in Los Angeles."""
    (tmp_path / "l.csv").write_text("location_id,name,state,timezone\nL1,Los Angeles,CA,America/Los_Angeles\n")
    (tmp_path / "w.csv").write_text(HEADER + "A1,Ada Admin,W2,40.00,L1,,admin,,,\nW1,Wes,W2,20.00,L1,A1,worker,,,\n")
    for kind, file in (("locations", "l.csv"), ("workers", "w.csv")):
        assert cli.invoke(main, ["--as", "A1", "import", kind, str(tmp_path / file)]).exit_code == 0


def test_admins_removed_from_the_table_do_not_open_the_set_up(
    cli: CliRunner, ledger_path: Path, tmp_path: Path
) -> None:
    """With no admin in the roster anyone may set up a new ledger; a table edited to say so is not one."""
    _company(cli, tmp_path)
    _edit(ledger_path, "UPDATE workers SET role = 'worker' WHERE role = 'admin'")
    (tmp_path / "x.csv").write_text("location_id,name,state,timezone\nLX,Elsewhere,TX,America/Chicago\n")
    err = _refused(cli, ledger_path, "--as", "W1", "import", "locations", str(tmp_path / "x.csv"))
    assert REFUSED in err


def test_an_import_may_not_demote_the_last_admin(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    """The review: `ot import workers` with the only admin's row as a worker left the roster with no admin,
    and then anyone could import themselves as admin. One admin must stay."""
    _company(cli, tmp_path)
    (tmp_path / "demote.csv").write_text(HEADER + "A1,Ada Admin,W2,40.00,L1,,worker,,,\n")
    err = _refused(cli, ledger_path, "--as", "A1", "import", "workers", str(tmp_path / "demote.csv"))
    assert "the roster would be left with no admin" in err
    assert (
        "demote.csv:2:7: A1's role would change from admin to worker, and no admin would be left: keep it admin, or "
        "make another worker an admin (in this file, or first)"
    ) in err
    # With another admin named in the same file, the change is fine.
    (tmp_path / "swap.csv").write_text(HEADER + "A1,Ada Admin,W2,40.00,L1,,worker,,,\nW1,Wes,W2,20.00,L1,,admin,,,\n")
    swapped = cli.invoke(main, ["--as", "A1", "import", "workers", str(tmp_path / "swap.csv")])
    assert swapped.exit_code == 0, swapped.stderr


def test_an_import_may_not_demote_an_admin_who_holds_an_admin_key(
    demo_ledger: Path, cli: CliRunner, tmp_path: Path
) -> None:
    """A review: on the demo (A1 the roster's admin, with an enrolled admin key), an import making A1 a
    worker was accepted because the key still counted as an admin; but A1 then acts as the roster says,
    a worker, and nobody could act as an admin again."""
    (tmp_path / "demote.csv").write_text(HEADER + "A1,Ana Chen,W2,45.00,LGB,,worker,,,\n")
    err = _refused(cli, demo_ledger, "--as", "A1", "import", "workers", str(tmp_path / "demote.csv"))
    assert "the roster would be left with no admin" in err
