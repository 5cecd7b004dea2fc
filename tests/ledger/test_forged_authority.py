"""Events inserted behind ot's back cannot give anyone authority (a review, issue 15's shared ledger).

docs/multi-admin.md gives each person a PostgreSQL login that may SELECT and INSERT. Such a login (or
anyone holding the ledger file) can insert events that chain and hash correctly. The review found two
ways from there to an admin who could run payroll, with ``ot ledger verify --full`` passing after:

- events inserted unsealed, recorded as the admin A1 (W05 made an admin, a key enrolled for W05): A1's
  next ordinary write sealed them, which vouched for them;
- (found while fixing it) a manager with an enrolled key sealing, with that key, an event of their own
  making themselves an admin: the seal is valid, and nothing asked whether they could do that.

Now a writer refuses to seal on top of events nobody sealed (``ledger.store``), verify flags an event
that changes the roster or the keys recorded by someone who could not act as an admin then
(``ledger.seals``), and a PostgreSQL replica refuses to pull either (``ledger.remote``).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from ledger.events import canonical_json, event_hash
from ot.core.errors import OtError
from ot.services.approvals import approve_shifts
from ot.services.keys import load_signer
from ot.services.ledger import verify
from tests.pg_server import on_postgresql

NOW = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)
MADE_ADMIN = {
    "worker_id": "W05",
    "name": "Mateo Haddad",
    "type": "W2",
    "location_id": "LGB",
    "manager_id": None,
    "role": "admin",
    "active": True,
    "display_rate": None,
}

Forged = tuple[str, str, dict[str, Any], str | None]  # actor, kind, payload, worker_id


def _forge(execute: Callable[..., Any], mark: str, events: Sequence[Forged], sealer: str | None = None) -> int:
    """Append ``events`` with a correct chain and hash, as an INSERT would; the last sealed with
    ``sealer``'s key (held in this test's key folder) when given. Returns the last seq."""
    seq, prev, at = execute("SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1")
    signer = load_signer(sealer) if sealer else None
    for i, (actor, kind, payload, wid) in enumerate(events):
        seq += 1
        eid = uuid.uuid4().hex[:30]
        text = canonical_json(payload)
        digest = event_hash(prev, seq, eid, at, actor, kind, text, None, wid)
        key_id = sig = None
        if signer is not None and i == len(events) - 1:
            key_id, sig = signer.key_id, signer.seal(digest)
        execute(
            "INSERT INTO events (seq, event_id, recorded_at, actor, kind, payload, key, worker_id, prev_hash, hash, "
            f"key_id, sig) VALUES ({', '.join([mark] * 12)})",
            (seq, eid, at, actor, kind, text, None, wid, prev, digest, key_id, sig),
        )
        prev = digest
    return int(seq)


def _forger(request: pytest.FixtureRequest, ledger: Path) -> tuple[Callable[..., Any], str, Callable[[], None]]:
    """(execute, parameter mark, commit) on where the events live: the file, or its PostgreSQL database."""
    if on_postgresql(request.config):
        import psycopg

        from ledger import remote

        conn = sqlite3.connect(ledger)
        url = conn.execute("SELECT value FROM meta WHERE name = ?", (remote.REMOTE_META,)).fetchone()[0]
        conn.close()
        pg = psycopg.connect(request.getfixturevalue("pg_server").url(url.rsplit("/", 1)[-1]))

        def pg_execute(sql: str, args: Sequence[object] = ()) -> Any:
            return pg.execute(sql, args).fetchone() if sql.startswith("SELECT") else pg.execute(sql, args)

        def pg_commit() -> None:
            pg.commit()
            pg.close()

        return pg_execute, "%s", pg_commit
    db = sqlite3.connect(ledger)

    def execute(sql: str, args: Sequence[object] = ()) -> Any:
        return db.execute(sql, args).fetchone() if sql.startswith("SELECT") else db.execute(sql, args)

    def commit() -> None:
        seq, digest = db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", (("head_seq", str(seq)), ("head_hash", digest)))
        db.commit()
        db.close()

    return execute, "?", commit


def _events(ledger: Path) -> int:
    conn = sqlite3.connect(ledger)
    try:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        conn.close()


def _approve(ledger: Path) -> Any:
    return approve_shifts(ledger, all_visible=True, period_day=date(2026, 11, 3), actor="A1", now=NOW)


def test_a_write_never_seals_events_nobody_sealed(request: pytest.FixtureRequest, demo_ledger: Path) -> None:
    execute, mark, commit = _forger(request, demo_ledger)
    last = _forge(execute, mark, [("A1", "worker.changed", MADE_ADMIN, "W05")])
    commit()
    before = _events(demo_ledger)
    with pytest.raises(OtError) as refused:
        _approve(demo_ledger)
    text = refused.value.message + " ".join(str(p) for p in refused.value.problems)
    assert f"event {last}" in text or f"to {last}" in text, text
    assert "nothing was written" in text or "damaged" in text, text
    assert "ot ledger verify" in text, text
    assert _events(demo_ledger) == before  # nothing appended (on PostgreSQL: nothing pulled into the replica)
    assert any("not sealed by an enrolled key" in p for p in _verify_problems(demo_ledger))


def _verify_problems(ledger: Path) -> list[str]:
    """What ``ot ledger verify --full`` finds (a PostgreSQL replica refuses to pull the events: that)."""
    try:
        report = verify(ledger, full=True)
    except OtError as exc:
        return [exc.message]
    assert not report.ok
    return list(report.problems)


def test_a_manager_cannot_seal_their_own_promotion(request: pytest.FixtureRequest, demo_ledger: Path) -> None:
    """M1 holds an enrolled key and inserts, sealed with it, an event recorded as M1 making M1 an admin."""
    promotion = {**MADE_ADMIN, "worker_id": "M1", "name": "M1 promoted"}
    execute, mark, commit = _forger(request, demo_ledger)
    last = _forge(execute, mark, [("M1", "worker.changed", promotion, "M1")], sealer="M1")
    commit()
    problems = _verify_problems(demo_ledger)
    assert any(f"event {last}" in p and "could not act as an admin" in p for p in problems), problems
    if on_postgresql(request.config):
        # The replica refuses to pull it: no command acts on it.
        with pytest.raises(OtError) as refused:
            _approve(demo_ledger)
        assert f"event {last}" in refused.value.message
        assert "could not act as an admin" in refused.value.message


def test_an_admin_s_roster_change_and_enrolment_still_verify(demo_ledger: Path) -> None:
    """The rule refuses nothing ot writes: the demo (an admin's imports and enrolments after the bootstrap)
    and a manager's approvals verify."""
    _approve(demo_ledger)
    report = verify(demo_ledger, full=True)
    assert report.ok, report.problems


def test_an_admin_handing_the_role_over_in_one_import_still_verifies(
    request: pytest.FixtureRequest, demo_ledger: Path, tmp_path: Path
) -> None:
    """A diff review: A1's one import making M1 an admin, A1 a manager and raising W01's rate was taken
    (M1 is an admin after it), then failed verify (A1 judged a manager from their own demotion on), and
    on PostgreSQL every other machine refused to pull it. A transaction is judged as of its start."""
    from ot.services.imports import import_file

    rows = (
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override,rate_effective\n"
        "M1,Ben Haddad,W2,40.00,LGB,,admin,,,,2026-01-01\n"
        "A1,Ana Chen,W2,48.00,LGB,M1,manager,,,,2026-01-01\n"
        "W01,Ines Patel,W2,24.00,LGB,M1,worker,,,,2026-12-01\n"
    )
    (tmp_path / "w.csv").write_text(rows)
    import_file(demo_ledger, "workers", tmp_path / "w.csv", actor="A1", now=NOW)
    report = verify(demo_ledger, full=True)
    assert report.ok, report.problems
    if on_postgresql(request.config):  # another machine (a fresh replica) pulls it
        from ledger import remote

        conn = sqlite3.connect(demo_ledger)
        url = conn.execute("SELECT value FROM meta WHERE name = ?", (remote.REMOTE_META,)).fetchone()[0]
        conn.close()
        other = tmp_path / "other.db"
        remote.bind(url, other)
        assert verify(other, full=True).ok


def test_a_manager_cannot_seal_a_bonus_for_their_report(request: pytest.FixtureRequest, demo_ledger: Path) -> None:
    """A diff review: M1, with an enrolled key and a way to INSERT, sealed a $5,000 bonus for W01 with
    that key; verify passed and the next pay run paid it. Recording earnings is an admin's alone."""
    bonus = {
        "earning_id": "E9",
        "worker_id": "W01",
        "day": "2026-10-30",
        "kind": "bonus",
        "amount": "5000.00",
        **dict.fromkeys(("period_start", "period_end", "quantity", "unit_rate", "note")),
    }
    execute, mark, commit = _forger(request, demo_ledger)
    last = _forge(execute, mark, [("M1", "earning.recorded", bonus, "W01")], sealer="M1")
    commit()
    problems = _verify_problems(demo_ledger)
    assert any(
        f"event {last}" in p and "(earning.recorded)" in p and "could not act as an admin" in p for p in problems
    )


def test_the_last_key_an_admin_acts_with_cannot_be_revoked(demo_ledger: Path) -> None:
    """A diff review: the bootstrap admin revoked their own key, which left nobody able to act as an
    admin and opened the set-up to anyone: a manager imported themselves as an admin. Refused, nothing
    written; with a second admin's key enrolled, the first may go."""
    from ot.services.users import list_users, revoke

    a1 = next(r.key_id for r in list_users(demo_ledger) if r.user_id == "A1" and r.enrolled)
    before = _events(demo_ledger)
    with pytest.raises(OtError) as refused:
        revoke(demo_ledger, a1, reason="leaving", actor="A1", now=NOW)
    assert "is the last one an admin acts with" in refused.value.message
    assert _events(demo_ledger) == before
    # An admin of the roster with a key: M1, made an admin by A1, then enrolled (M1's key is the demo's).
    from ot.services.imports import import_file

    path = demo_ledger.with_name("m1.csv")
    path.write_text(
        "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override,rate_effective\n"
        "M1,Ben Haddad,W2,40.00,LGB,,admin,,,,2026-01-01\n"
    )
    import_file(demo_ledger, "workers", path, actor="A1", now=NOW)
    assert revoke(demo_ledger, a1, reason="leaving", actor="A1", now=NOW) == "A1"
    assert verify(demo_ledger, full=True).ok


def test_a_hand_over_split_over_sealed_chunks_still_verifies(
    demo_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: an import of more than APPEND_CHUNK events is sealed chunk by chunk; A1's own demotion
    in its first chunk made the rows after it 'recorded by someone who could not act as an admin'. The
    importer's own row changes go last. (APPEND_CHUNK made 2 here: a file of four rows, A1's first.)"""
    from ledger import store
    from ot.services.imports import import_file

    monkeypatch.setattr(store, "APPEND_CHUNK", 2)
    header = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override,rate_effective\n"
    (tmp_path / "w.csv").write_text(
        header
        + "A1,Ana Chen,W2,48.00,LGB,M1,manager,,,,2026-01-01\n"
        + "M1,Ben Haddad,W2,40.00,LGB,,admin,,,,2026-01-01\n"
        + "N1,New One,W2,20.00,LGB,M1,worker,,,,2026-01-01\n"
        + "N2,New Two,W2,20.00,LGB,M1,worker,,,,2026-01-01\n"
    )
    import_file(demo_ledger, "workers", tmp_path / "w.csv", actor="A1", now=NOW)
    report = verify(demo_ledger, full=True)
    assert report.ok, report.problems


def test_the_demo_is_refused_where_its_admin_may_not_act(demo_ledger: Path, tmp_path: Path) -> None:
    """A review: `ot demo` acts as A1 and never asked whether A1 may; on a ledger where A1 was made a
    worker it wrote locations and the employer as A1 (and made A1 an admin again). Refused now."""
    from ot.services.imports import import_file, load_demo

    header = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override,rate_effective\n"
    (tmp_path / "w.csv").write_text(
        header + "M1,Ben Haddad,W2,40.00,LGB,,admin,,,,2026-01-01\nA1,Ana Chen,W2,48.00,LGB,M1,worker,,,,2026-01-01\n"
    )
    import_file(demo_ledger, "workers", tmp_path / "w.csv", actor="A1", now=NOW)
    before = _events(demo_ledger)
    with pytest.raises(OtError) as refused:
        load_demo(demo_ledger, actor="A1", now=NOW)
    assert "A1 is a worker: only an admin may import workers" in str(refused.value.problems[0])
    assert _events(demo_ledger) == before


def test_a_founder_without_a_key_does_not_count_as_an_admin_who_can_act(
    ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review's suspicion, confirmed: a ledger set up by S0 (its first event; S0 never in the roster,
    never enrolled), then run by A1 with a key. A1's import demoting themselves was taken: the founder
    counted as an admin who could act, though with keys enrolled S0 cannot write at all. Refused now."""
    from ot.services.imports import import_file
    from ot.services.users import enrol

    monkeypatch.setenv("OT_KEYS", str(tmp_path / "keys"))
    header = "worker_id,name,type,pay_rate,location_id,manager_id,role,birth_date,ssn,pin_override,rate_effective\n"
    (tmp_path / "l.csv").write_text("location_id,name,state,timezone\nLGB,Long Beach,CA,America/Los_Angeles\n")
    (tmp_path / "w.csv").write_text(header + "A1,Ana Chen,W2,48.00,LGB,,admin,,,,2026-01-01\n")
    import_file(ledger_path, "locations", tmp_path / "l.csv", actor="S0", now=NOW)
    import_file(ledger_path, "workers", tmp_path / "w.csv", actor="S0", now=NOW)
    from ot.services.keys import init_key

    init_key("A1")
    enrol(ledger_path, "A1", bootstrap=True, actor="A1", now=NOW)
    (tmp_path / "demote.csv").write_text(header + "A1,Ana Chen,W2,48.00,LGB,,manager,,,,2026-01-01\n")
    before = _events(ledger_path)
    with pytest.raises(OtError) as refused:
        import_file(ledger_path, "workers", tmp_path / "demote.csv", actor="A1", now=NOW)
    assert "the roster would be left with no admin" in refused.value.message
    assert _events(ledger_path) == before
