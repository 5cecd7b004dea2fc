"""``ot import punches`` streamed in bounded batches (issue 15): the same events, hashes and seals as
before, all of the file or nothing, and idempotent.

The expected hashes below were computed by the import as it was before the batched fast path
(commit 5de7151), at a fixed ``now``, actor, event-id randomness and signing key: a ledger imported
before and after a change to the import path must be byte-for-byte the same.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from ledger.events import NewEvent
from ledger.identity import Signer, verify_seal
from ledger.imports import FileText, _HourClock, fast_local
from ledger.store import APPEND_CHUNK, Ledger
from ot.core.errors import OtError
from ot.core.timez import TimeError
from ot.services import imports as import_service

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
ACTOR = "A1"
HEADER = "worker_id,time,kind,location_id,break_type,rate,rest_attestation"
LOCATIONS = [
    ("LA", "Los Angeles Plant", "CA", "America/Los_Angeles"),
    ("NY", "Brooklyn Depot", "NY", "America/New_York"),
    ("KT", "Kathmandu Office", "CA", "Asia/Kathmandu"),  # a zone 45 minutes off the hour
]
WORKERS = [("W1", "LA"), ("W2", "NY"), ("W3", "KT"), ("W4", "LA")]


def roster_events() -> list[NewEvent]:
    events = [
        NewEvent("location.added", {"location_id": lid, "name": n, "state": st, "timezone": tz}, key=f"loc:{lid}")
        for lid, n, st, tz in LOCATIONS
    ]
    events += [
        NewEvent(
            "worker.added",
            {
                "worker_id": wid,
                "name": f"Worker {wid}",
                "type": "W2",
                "pay_rate": "20.00",
                "rate_effective": None,
                "location_id": lid,
                "manager_id": None,
                "role": "worker",
            },
            key=f"worker.added:{wid}",
            worker_id=wid,
        )
        for wid, lid in WORKERS
    ]
    return events


def special_rows() -> list[str]:
    """Rows that take the long way: another spelling of a kind, a break type, a rate, a rest
    attestation, an explicit location, seconds, a space for the T, the fall-back hour (ambiguous: its
    offset says which, here the first), a zone off the hour, a row repeated in the file."""
    return [
        "W1,2026-11-01T01:30-07:00,in,,,,",  # Los Angeles falls back that night: 01:30 happens twice
        "W1,2026-11-01T09:00,OUT,,,,rest-taken",
        "W2,2026-03-08T03:30:15,in,NY,,25.5,",
        "W2,2026-03-08 12:00,break-start,,MEAL_1,,",
        "W2,2026-03-08T12:30,break_end,,,,",
        "W2,2026-03-08T17:00,out,,,,Rest-Missed",
        "W3,2026-06-01T08:05,in,,,,",
        "W3,2026-06-01T23:59:59,out,LA,,,",
        "W4,2026-07-04T00:00,in,,,20,",
        "W4,2026-07-04T00:00,in,,,20,",  # the same punch twice: one event
        "W4,2026-07-04T08:00, Break Start ,,,,",
        "W4,2026-07-04T08:30,break_end,,,,",
        "W4,2026-07-04T16:00,out,,,,rest-taken",
    ]


def bulk_rows(count: int, offset: int = 0) -> list[str]:
    """``count`` plain rows, a worker's four punches a day, from 2025-01-01 (deterministic)."""
    out: list[str] = []
    kinds = ("in", "break_start", "break_end", "out")
    minutes = (7 * 60 + 3, 11 * 60 + 30, 12 * 60, 16 * 60 + 1)
    for i in range(offset, offset + count):
        wid = WORKERS[i % 4][0]
        day = i // 16
        year, rest = 2025 + day // 336, day % 336
        month, dom = rest // 28 + 1, rest % 28 + 1
        minute = minutes[i // 4 % 4]
        out.append(f"{wid},{year}-{month:02d}-{dom:02d}T{minute // 60:02d}:{minute % 60:02d},{kinds[i // 4 % 4]},,,,")
    return out


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


SIGNER = Signer(ACTOR, Ed25519PrivateKey.from_private_bytes(bytes(range(32))))


def import_punches(ledger: Ledger, file: Path, *, signer: Signer | None = SIGNER) -> import_service.ImportReport:
    """``ot import punches`` inside one write transaction, as the service runs it (sealed by ``signer``)."""
    with ledger.write(actor=ACTOR, now=NOW, signer=signer) as tx:
        return import_service._import_in(tx, "punches", FileText(file, file.name), file.name, None, NOW, None)


def chain(ledger: Ledger) -> list[tuple[int, str, str | None, str | None]]:
    """(seq, hash, key id, signature) of every event."""
    return [
        (r[0], r[1], r[2], r[3])
        for r in ledger.connection.execute("SELECT seq, hash, key_id, sig FROM events ORDER BY seq")
    ]


def digest(ledger: Ledger) -> str:
    """sha256 over every column of every event, in order: one value pinning the whole file."""
    h = hashlib.sha256()
    for row in ledger.connection.execute("SELECT * FROM events ORDER BY seq"):
        h.update(repr(tuple(row)).encode())
    return h.hexdigest()


# Computed at commit 5de7151 (before the batched fast path), see the module docstring.
EXPECTED_FIRST = {
    12: "d17caf0558a8b4cd63f35f40ae3c17643229eeb6e004c64a1058926a93bd94c2",
    13: "f13d51233918e847818e5f56cfbd87fb4b60a20755e05413d051eefdba2bb41c",
    14: "f52b0c2c1592784ac7db50977632c6ae59c0216eb0e063f720811ba2b08c5924",
    24: "1590441c68b4888cca958ad1f71abaaed77aea320d01b5b75db912637de360bd",
}
# seq -> sha256 of the seal's signature: the last event of each chunk of APPEND_CHUNK punches read.
EXPECTED_SEALED = {
    20006: "56957ba2fb44299aba7fff9b2aa13dd441e79242ee0b6e4f06161b942acdfc38",
    40006: "ad12d19e8bbf36cb28d118bb3a84a79cba374af9080271a90718854b93af9465",
    41253: "3458f59788e86df96741c414f3b4de49a121e55691e28fe361391e682b8dc30c",
    43019: "c76c54c6cb29aafdef657bc9c3271d30f91fafbb20090abe668126226548011c",
}
EXPECTED_LAST = "9650fabfb5dd54985addc241089677668e7403699227ea1a41fecd5ae2314079"
EXPECTED_DIGEST = "2063dd23e5abace4e534649fb0c402d12b78b4132fe8d431ebc11ebbcff07d76"
EXPECTED_COUNTS = (41246, 1766)


def test_imported_events_are_byte_for_byte_those_of_the_reference_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports (the second overlapping the first) give exactly the reference hashes, seals and
    event bytes: chunks of the stream are sealed where they were, duplicates skipped as before."""
    monkeypatch.setattr("ledger.store.secrets.token_hex", lambda n: "ab" * n)
    first = write_csv(tmp_path / "first.csv", special_rows() + bulk_rows(2 * APPEND_CHUNK + 1234))
    second = write_csv(tmp_path / "second.csv", bulk_rows(3000, 2 * APPEND_CHUNK) + special_rows()[:3])
    with Ledger.open(tmp_path / "ledger.db", now=NOW) as ledger:
        ledger.append(roster_events(), actor=ACTOR, now=NOW)
        a = import_punches(ledger, first)
        b = import_punches(ledger, second)
        got = chain(ledger)
        assert {seq: h for seq, h, _k, _s in got if seq in EXPECTED_FIRST} == EXPECTED_FIRST
        sealed = {seq: hashlib.sha256((s or "").encode()).hexdigest() for seq, _h, k, s in got if k is not None}
        assert sealed == EXPECTED_SEALED
        assert got[-1][1] == EXPECTED_LAST
        assert (a.total_added, b.total_added) == EXPECTED_COUNTS
        assert digest(ledger) == EXPECTED_DIGEST
        assert all(verify_seal(SIGNER.public, h, sig) for _seq, h, k, sig in got if k is not None and sig)


# --- the hour clock of the fast path agrees with fast_local -------------------------------------

HOUR_ZONES = [
    "America/Los_Angeles",
    "America/New_York",
    "Australia/Lord_Howe",  # shifts by 30 minutes
    "Asia/Kathmandu",  # 45 minutes off the hour
    "Europe/London",
    "UTC",
]


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    st.sampled_from(HOUR_ZONES),
    st.booleans(),
    st.booleans(),
)
def test_the_hour_clock_gives_fast_locals_instant_or_nothing(
    moment: datetime, tz: str, with_seconds: bool, space: bool
) -> None:
    """Every wall time the hour clock reads is the instant fast_local gives (formatted as the import
    formats it); what it does not read (a transition hour, a zone off the hour) goes the long way."""
    text = moment.strftime(("%Y-%m-%d %H:%M" if space else "%Y-%m-%dT%H:%M") + (":%S" if with_seconds else ""))
    got = _HourClock().utc_text(text, tz)
    try:
        expected = fast_local(text, tz)
    except TimeError:
        assert got is None  # a wall time in a spring-forward gap
        return
    if got is not None:
        assert expected is not None
        assert got == expected.isoformat(timespec="seconds")[:19] + "Z"
    elif tz in ("UTC", "America/New_York") and moment.month in (1, 7) and moment.year >= 1970:
        pytest.fail(f"{text} in {tz} is an ordinary hour: the hour clock should read it")


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-02T8:00",
        "2026-11-02T08:60",
        "2026-11-02T08:00:60",
        "2026-02-30T08:00",
        "2026-11-02T24:00",
        "2026-11-02X08:00",
        "0999-11-02T08:00",
        "2026-11-02T08:00Z",
        "2026-11-02T08:00:00.5",
        "２026-11-02T08:00",
    ],
)
def test_the_hour_clock_leaves_anything_unusual_to_the_long_way(text: str) -> None:
    assert _HourClock().utc_text(text, "America/New_York") is None


# --- all of the file or nothing, across batches; idempotent ---------------------------------------


def fresh(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    with Ledger.open(path, now=NOW) as ledger:
        ledger.append(roster_events(), actor=ACTOR, now=NOW)
    return path


def events(path: Path) -> list[tuple[object, ...]]:
    with Ledger.open(path, create=False) as ledger:
        return [tuple(r) for r in ledger.connection.execute("SELECT * FROM events ORDER BY seq")]


def test_a_bad_row_after_the_first_batch_rolls_back_everything(tmp_path: Path) -> None:
    """A bad row after whole batches were appended in the transaction: nothing is written, and the
    error names the row (FILE:LINE:COLUMN)."""
    path = fresh(tmp_path)
    before = events(path)
    rows = bulk_rows(APPEND_CHUNK + 500)
    rows.insert(APPEND_CHUNK + 100, "W9,2026-01-01T08:00,in,,,,")
    rows.append("W1,2026-01-01T08:00,lunch,,,,")
    file = write_csv(tmp_path / "late.csv", rows)
    with Ledger.open(path) as ledger, pytest.raises(OtError) as caught:
        import_punches(ledger, file)
    assert [(p.where, p.message.split(":")[0]) for p in caught.value.problems] == [
        (f"late.csv:{APPEND_CHUNK + 102}:1", "unknown worker 'W9'"),
        (f"late.csv:{APPEND_CHUNK + 503}:3", "kind 'lunch' is not one of in, out, break_start, break_end"),
    ]
    assert events(path) == before


def test_a_punch_repeated_across_batches_is_one_event(tmp_path: Path) -> None:
    """The same punch in the first batch and again in a later one (and an earlier import) is one event."""
    path = fresh(tmp_path)
    rows = bulk_rows(APPEND_CHUNK + 10)
    rows += [rows[5], rows[APPEND_CHUNK - 1], rows[APPEND_CHUNK + 3]]
    file = write_csv(tmp_path / "repeat.csv", rows)
    with Ledger.open(path) as ledger:
        dry = import_service.import_text(
            ledger, "punches", FileText(file, file.name), file.name, dry_run=True, actor=ACTOR, now=NOW
        )
        assert (dry.total_added, dry.already) == (APPEND_CHUNK + 10, 3)
        report = import_punches(ledger, file)
        assert (report.rows, report.total_added, report.already) == (APPEND_CHUNK + 13, APPEND_CHUNK + 10, 3)
        keys = [r[0] for r in ledger.connection.execute("SELECT key FROM events WHERE kind = 'punch.recorded'")]
        assert len(keys) == len(set(keys)) == APPEND_CHUNK + 10


def test_importing_the_same_file_again_adds_nothing(tmp_path: Path) -> None:
    path = fresh(tmp_path)
    file = write_csv(tmp_path / "again.csv", special_rows() + bulk_rows(APPEND_CHUNK + 10))
    with Ledger.open(path) as ledger:
        first = import_punches(ledger, file)
    after_first = events(path)
    with Ledger.open(path) as ledger:
        second = import_punches(ledger, file)
        dry = import_service.import_text(
            ledger, "punches", FileText(file, file.name), file.name, dry_run=True, actor=ACTOR, now=NOW
        )
    assert first.total_added == APPEND_CHUNK + 22
    assert (second.total_added, second.already) == (0, first.rows)
    assert (dry.total_added, dry.already) == (0, first.rows)
    assert events(path) == after_first


KILLED_IMPORT = """
import sys
from pathlib import Path
from ledger.imports import FileText, _HourClock, fast_local
from ledger.store import Ledger
from ot.services import imports
from tests.ledger.test_imports_streaming import ACTOR, NOW

path, file = Path(sys.argv[1]), Path(sys.argv[2])
real = Ledger.write


def write(self, **kw):
    cm = real(self, **kw)
    return _Announce(cm)


class _Announce:
    def __init__(self, cm):
        self.cm = cm

    def __enter__(self):
        tx = self.cm.__enter__()
        extend = tx.extend

        def announce(stream, **kw):
            def rows():
                for i, e in enumerate(stream):
                    if i == 30_000:
                        print("appending", flush=True)
                    yield e
            return extend(rows(), **kw)

        tx.extend = announce
        return tx

    def __exit__(self, *exc):
        return self.cm.__exit__(*exc)


Ledger.write = write
with Ledger.open(path) as ledger:
    imports.import_text(ledger, "punches", FileText(file, file.name), file.name, actor=ACTOR, now=NOW)
print("finished", flush=True)
"""


def test_an_import_killed_midway_leaves_the_ledger_as_it_was(tmp_path: Path) -> None:
    """kill -9 in the middle of appending (batches already written to the WAL, not committed): the
    ledger opens as it was before, verifies, and the same import then adds the whole file."""
    path = fresh(tmp_path)
    before = events(path)
    file = write_csv(tmp_path / "killed.csv", bulk_rows(3 * APPEND_CHUNK))
    script = tmp_path / "killed_import.py"
    script.write_text(textwrap.dedent(KILLED_IMPORT))
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(path), str(file)], stdout=subprocess.PIPE, text=True, env=env, cwd=root
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "appending"  # one batch appended, more on the way
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert events(path) == before
    with Ledger.open(path) as ledger:
        assert ledger.verify().ok
        report = import_punches(ledger, file, signer=None)
    assert report.total_added == 3 * APPEND_CHUNK


def test_a_line_with_no_end_is_refused_at_its_line_in_bounded_memory(tmp_path: Path) -> None:
    """A file of NUL bytes with no line end (``ot import punches /dev/zero`` grew to 24 GB) is refused
    once MAX_LINE_BYTES of the line are read: FILE:LINE, what to do, nothing written. Here whole
    batches come first (appended in the transaction, then rolled back), then 4 MB of one line."""
    path = fresh(tmp_path)
    before = events(path)
    file = write_csv(tmp_path / "endless.csv", bulk_rows(APPEND_CHUNK + 10))
    with file.open("ab") as out:
        out.write(b"\x00" * (4 * 1024 * 1024))
    with Ledger.open(path) as ledger, pytest.raises(OtError) as caught:
        import_punches(ledger, file)
    (found,) = caught.value.problems
    assert found.where == f"endless.csv:{APPEND_CHUNK + 12}"
    assert "longer than 64 KiB" in found.message
    assert "split the line" in found.message
    assert "nothing was imported" in caught.value.message
    assert events(path) == before


def test_file_text_takes_a_line_of_the_longest_length_and_refuses_one_byte_more(tmp_path: Path) -> None:
    from ledger.imports import MAX_LINE_BYTES

    longest = tmp_path / "longest.csv"
    longest.write_bytes(b"a" * MAX_LINE_BYTES + b"\n" + b"b" * MAX_LINE_BYTES)  # the last without its end
    assert [len(line) for line in FileText(longest, "longest.csv")] == [MAX_LINE_BYTES + 1, MAX_LINE_BYTES]
    over = tmp_path / "over.csv"
    over.write_bytes(b"a\n" + b"b" * (MAX_LINE_BYTES + 1) + b"\n")
    with pytest.raises(OtError) as caught:
        list(FileText(over, "over.csv"))
    assert caught.value.problems[0].where == "over.csv:2"


def test_the_cli_refuses_an_endless_file(tmp_path: Path) -> None:
    """Through ``ot import punches``: exit 2, the refusal on standard error, no traceback."""
    from click.testing import CliRunner

    from ot.cli import main

    path = fresh(tmp_path)
    before = events(path)
    file = tmp_path / "zeros.csv"
    file.write_bytes(b"\x00" * (3 * 1024 * 1024))
    result = CliRunner().invoke(main, ["--ledger", str(path), "--as", ACTOR, "import", "punches", str(file)])
    assert result.exit_code == 2, result.output
    assert f"{file}:1: this line is longer than 64 KiB" in result.stderr
    assert "Traceback" not in result.output
    assert events(path) == before
