"""Sync targets register themselves by config ``kind``: a new target is one module (``ot/sync/registry.py``).

The messages pinned here are the ones the config loader gave before the per-kind
parsing moved into each target's module, word for word and in the same order.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sync_helpers import company, day8, ot, write_config
from test_sync_everee import NOW

from ot.core.errors import OtError, Problem
from ot.services.sync import make_target, run_sync
from ot.sync import registry
from ot.sync.config import KINDS, TargetConfig, load_config
from ot.sync.csv_target import CsvTarget
from ot.sync.everee import EvereeTarget
from ot.sync.registry import register, resolve_path, text_option
from ot.sync.target import Op, Outcome, SendContext


@pytest.fixture
def restore_registry() -> Iterator[None]:
    """Whatever a test registers is gone after it (the registry is one dict per process)."""
    saved = dict(registry.TARGETS)
    try:
        yield
    finally:
        registry.TARGETS.clear()
        registry.TARGETS.update(saved)


def _load(tmp_path: Path, text: str) -> dict[str, TargetConfig]:
    path = tmp_path / "ledger.sync.toml"
    path.write_text(text)
    return dict(load_config(tmp_path / "ledger.db").targets)


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(OtError) as info:
        _load(tmp_path, text)
    config = tmp_path / "ledger.sync.toml"
    assert info.value.message == f"the sync config {config} has problems; fix them and run again"
    return [str(p).replace(f"{config} ", "") for p in info.value.problems]


# --- a new kind is one module ------------------------------------------------------------------


def _jsonl_target() -> type[Any]:
    """A whole target module in a few lines: ``kind = "jsonl"`` appends each op to a file as a JSON line."""

    @register("jsonl")
    @dataclass(frozen=True)
    class JsonlTarget:
        name: str
        file: Path
        max_ops: int
        kind: str = "jsonl"
        correction_authorized: bool = False
        w2_only: bool = False
        leave_hours: bool = False

        @classmethod
        def parse_config(
            cls, name: str, raw: Mapping[str, Any], base: Path, where: str, problems: list[Problem]
        ) -> dict[str, Any]:
            file = text_option(raw, "file", where, problems, required=True)
            max_ops = raw.get("max_ops", 100)
            if not isinstance(max_ops, int) or isinstance(max_ops, bool) or max_ops < 1:
                problems.append(Problem(f"{where} max_ops", "must be a whole number, 1 or more"))
            return {"file": resolve_path(base, file), "max_ops": max_ops}

        @classmethod
        def from_config(cls, config: TargetConfig, sleep: Callable[[float], None] = time.sleep) -> JsonlTarget:
            return cls(config.name, config.options["file"], config.options["max_ops"])

        def check(self, op: Op, ctx: SendContext) -> tuple[str, str] | None:
            return None

        def send(self, ops: Sequence[Op], ctx: SendContext) -> Iterator[Outcome]:
            with self.file.open("a", encoding="utf-8") as f:
                for op in ops:
                    f.write(json.dumps({"action": op.action, "shift": op.shift_id, "worker": op.worker_id}) + "\n")
                    yield Outcome(op.key, True, target_id=op.external_id)

    return JsonlTarget


@pytest.mark.usefixtures("restore_registry")
def test_a_new_kind_is_one_module(tmp_path: Path) -> None:
    jsonl = _jsonl_target()
    assert list(KINDS) == ["csv", "everee", "export", "jsonl"]
    configs = _load(tmp_path, '[targets.log]\nkind = "jsonl"\nfile = "out/ops.jsonl"\ncorrection_authorized = true\n')
    config = configs["log"]
    assert (config.name, config.kind, config.correction_authorized) == ("log", "jsonl", True)
    assert config.options == {"file": tmp_path / "out" / "ops.jsonl", "max_ops": 100}
    target = make_target(config)
    assert isinstance(target, jsonl)
    assert (target.name, target.file, target.max_ops) == ("log", tmp_path / "out" / "ops.jsonl", 100)


@pytest.mark.usefixtures("restore_registry")
def test_a_new_kind_parses_its_own_keys_and_the_loader_the_common_ones(tmp_path: Path) -> None:
    _jsonl_target()
    text = '[targets.log]\nkind = "jsonl"\nmax_ops = 0\ncorrection_timeframe = "SOON"\n[targets.other]\nkind = "ftp"\n'
    assert _problems(tmp_path, text) == [
        "[targets.log] correction_timeframe: must be one of NEXT_PAYROLL_PAYMENT, IMMEDIATELY, EXTERNALLY_PAID",
        "[targets.log] file: required: a text in quotes",
        "[targets.log] max_ops: must be a whole number, 1 or more",
        "[targets.other] kind: must be one of csv, everee, export, jsonl, not 'ftp'",
    ]


@pytest.mark.usefixtures("restore_registry")
def test_a_new_kind_syncs_end_to_end(cli: CliRunner, ledger_path: Path, tmp_path: Path) -> None:
    _jsonl_target()
    company(cli, tmp_path)
    write_config(ledger_path, '[targets.log]\nkind = "jsonl"\nfile = "ops.jsonl"\n')
    sid = day8(cli, "W1", "2026-10-12")
    ot(cli, "approve", "shifts", "--all-visible", "--period", "2026-10-12")
    run = run_sync(ledger_path, actor="A1", now=NOW)
    assert [(line.target, line.shift_id, line.result) for line in run.lines] == [("log", sid, "sent")]
    sent = [json.loads(line) for line in (tmp_path / "ops.jsonl").read_text().splitlines()]
    assert sent == [{"action": "create", "shift": sid, "worker": "W1"}]


def test_an_unknown_kind_lists_the_built_in_kinds(tmp_path: Path) -> None:
    assert list(KINDS) == ["csv", "everee", "export"]
    assert _problems(tmp_path, '[targets.f]\nkind = "sftp"\n') == [
        "[targets.f] kind: must be one of csv, everee, export, not 'sftp'"
    ]


def test_a_table_with_no_kind_is_told_to_add_one(tmp_path: Path) -> None:
    assert _problems(tmp_path, '[targets.f]\nfolder = "x"\n') == [
        '[targets.f] kind: missing: add kind = "csv" or "everee" or "export"'
    ]


@pytest.mark.parametrize(
    ("table", "shown"),
    [
        ("kind = 1", "1"),
        ('kind = ["csv"]', "['csv']"),
        ("kind = { a = 1 }", "{'a': 1}"),
    ],
)
def test_a_kind_that_is_not_a_registered_text(tmp_path: Path, table: str, shown: str) -> None:
    assert _problems(tmp_path, f"[targets.f]\n{table}\n") == [
        f"[targets.f] kind: must be one of csv, everee, export, not {shown}"
    ]


@pytest.mark.usefixtures("restore_registry")
def test_register_refuses_a_second_class_for_a_kind_and_a_class_without_the_methods() -> None:
    with pytest.raises(ValueError, match=re.escape("'csv' is already registered by ot.sync.csv_target.CsvTarget")):

        @register("csv")
        class Other(CsvTarget):
            pass

    with pytest.raises(TypeError, match="has no parse_config"):
        register("bare")(object)  # type: ignore[type-var]
    assert list(KINDS) == ["csv", "everee", "export"]


def test_make_target_of_an_unregistered_kind_is_refused() -> None:
    with pytest.raises(OtError) as info:
        make_target(TargetConfig("x", "sftp", where="f.toml [targets.x]"))
    assert (
        info.value.render() == "f.toml [targets.x] kind: must be one of csv, everee, export\nno sync target kind 'sftp'"
    )


# --- each built-in kind parses its own section ---------------------------------------------------


def test_csv_parses_its_own_section(tmp_path: Path) -> None:
    problems: list[Problem] = []
    options = CsvTarget.parse_config("f", {"kind": "csv", "folder": "feeds"}, tmp_path, "W", problems)
    assert (options, problems) == ({"folder": tmp_path / "feeds"}, [])
    assert CsvTarget.parse_config("f", {"folder": "/abs"}, tmp_path, "W", problems) == {"folder": Path("/abs")}
    CsvTarget.parse_config("f", {"folder": 3}, tmp_path, "W", problems)
    assert problems == [Problem("W folder", "required: a text in quotes")]


def test_everee_parses_its_own_section(tmp_path: Path) -> None:
    problems: list[Problem] = []
    raw = {
        "kind": "everee",
        "base_url": "https://api.everee.com/",
        "tenant_id": 1234,
        "token_env": "TOK",
        "timeout_seconds": 2,
        "work_locations": {"L1": 101},
    }
    options = EvereeTarget.parse_config("e", raw, tmp_path, "W", problems)
    assert problems == []
    assert options == {
        "base_url": "https://api.everee.com",
        "tenant_id": "1234",
        "token_env": "TOK",
        "timeout_seconds": 2.0,
        "retries": 3,
        "work_locations": {"L1": 101},
    }


def test_the_built_in_keys_read_as_attributes_as_before(tmp_path: Path) -> None:
    configs = _load(
        tmp_path,
        '[targets.files]\nkind = "csv"\nfolder = "feeds"\n'
        '[targets.everee]\nkind = "everee"\nbase_url = "http://127.0.0.1:9/"\ntenant_id = "42"\n'
        'token_env = "TOK"\ncorrection_authorized = true\ncorrection_timeframe = "EXTERNALLY_PAID"\n'
        "timeout_seconds = 2.5\nretries = 0\nwork_locations = { L1 = 101, L2 = 102 }\n",
    )
    assert list(configs) == ["files", "everee"]
    files, everee = configs["files"], configs["everee"]
    where = f"{tmp_path / 'ledger.sync.toml'} [targets.files]"
    assert (files.kind, files.folder, files.where, files.correction_authorized) == (
        "csv",
        tmp_path / "feeds",
        where,
        False,
    )
    assert (files.base_url, files.tenant_id, files.token_env, files.timeout_seconds, files.retries) == (
        "",
        "",
        "",
        10.0,
        3,
    )
    assert dict(files.work_locations) == {}
    assert everee.folder is None
    assert (everee.base_url, everee.tenant_id, everee.token_env, everee.timeout_seconds, everee.retries) == (
        "http://127.0.0.1:9",
        "42",
        "TOK",
        2.5,
        0,
    )
    assert (everee.correction_authorized, everee.correction_timeframe) == (True, "EXTERNALLY_PAID")
    assert dict(everee.work_locations) == {"L1": 101, "L2": 102}


def test_make_target_builds_each_built_in_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOK", "tok-1")
    configs = _load(
        tmp_path,
        '[targets.files]\nkind = "csv"\nfolder = "feeds"\n'
        '[targets.everee]\nkind = "everee"\nbase_url = "https://h"\ntenant_id = "42"\ntoken_env = "TOK"\n'
        'retries = 1\ncorrection_authorized = true\ncorrection_timeframe = "IMMEDIATELY"\nwork_locations = { L1 = 7 }\n',
    )
    files = make_target(configs["files"])
    assert files == CsvTarget("files", tmp_path / "feeds")
    naps: list[float] = []
    everee = make_target(configs["everee"], sleep=naps.append)
    assert isinstance(everee, EvereeTarget)
    assert (everee.name, dict(everee.work_locations), everee.correction_authorized, everee.timeframe) == (
        "everee",
        {"L1": 7},
        True,
        "IMMEDIATELY",
    )
    client = everee.client
    assert (client.base_url, client.token, client.tenant_id, client.timeout, client.retries) == (
        "https://h",
        "tok-1",
        "42",
        10.0,
        1,
    )
    assert client.sleep == naps.append


def test_everee_without_its_token_is_refused_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOK", raising=False)
    configs = _load(
        tmp_path, '[targets.e]\nkind = "everee"\nbase_url = "https://h"\ntenant_id = "1"\ntoken_env = "TOK"\n'
    )
    with pytest.raises(OtError) as info:
        make_target(configs["e"])
    assert info.value.render() == (
        "$TOK: set the environment variable TOK to the API token\nno API token for sync target 'e'"
    )


@pytest.mark.parametrize(
    ("table", "problems"),
    [
        pytest.param(
            'kind = "csv"\ncorrection_authorized = 1\ncorrection_timeframe = 3',
            [
                "[targets.t] correction_authorized: must be true or false",
                "[targets.t] correction_timeframe: must be one of NEXT_PAYROLL_PAYMENT, IMMEDIATELY, EXTERNALLY_PAID",
                "[targets.t] folder: required: a text in quotes",
            ],
            id="csv-common-keys-first",
        ),
        pytest.param('kind = "csv"\nfolder = ""', ["[targets.t] folder: required: a text in quotes"], id="csv-empty"),
        pytest.param(
            'kind = "everee"',
            [
                "[targets.t] base_url: required: a text in quotes",
                "[targets.t] tenant_id: required: the Everee tenant (company) id",
                "[targets.t] token_env: required: a text in quotes",
            ],
            id="everee-empty",
        ),
        pytest.param(
            'kind = "everee"\nbase_url = 5\ntenant_id = true\ntoken_env = ""\ntimeout_seconds = 0\nretries = 11\n'
            'work_locations = 3\ncorrection_authorized = "no"\ncorrection_timeframe = "X"',
            [
                "[targets.t] correction_authorized: must be true or false",
                "[targets.t] correction_timeframe: must be one of NEXT_PAYROLL_PAYMENT, IMMEDIATELY, EXTERNALLY_PAID",
                "[targets.t] base_url: required: a text in quotes",
                "[targets.t] tenant_id: required: the Everee tenant (company) id",
                "[targets.t] token_env: required: a text in quotes",
                "[targets.t] timeout_seconds: must be a number of seconds above 0",
                "[targets.t] retries: must be a whole number from 0 to 10",
                "[targets.t] work_locations: must be a table: { L1 = 101 }",
            ],
            id="everee-all-bad",
        ),
        pytest.param(
            'kind = "everee"\nbase_url = "http://api.everee.com"\ntenant_id = "1"\ntoken_env = "T"\n'
            'timeout_seconds = true\nretries = true\nwork_locations = { L1 = "a", L2 = true, L3 = 7 }',
            [
                "[targets.t] base_url: 'http://api.everee.com' would send the API token in clear: use https:// "
                "(http only for 127.0.0.1, ::1 or localhost)",
                "[targets.t] timeout_seconds: must be a number of seconds above 0",
                "[targets.t] retries: must be a whole number from 0 to 10",
                "[targets.t] work_locations.L1: must be the target's numeric location id",
                "[targets.t] work_locations.L2: must be the target's numeric location id",
            ],
            id="everee-clear-http-and-types",
        ),
        pytest.param(
            'kind = "everee"\nbase_url = "ftp://x"\ntenant_id = 1.5\ntoken_env = "T"',
            [
                "[targets.t] base_url: 'ftp://x' is not an https URL: write it like https://api.everee.com",
                "[targets.t] tenant_id: required: the Everee tenant (company) id",
            ],
            id="everee-not-https",
        ),
        pytest.param(
            'kind = "everee"\nbase_url = "http://[::1"\ntenant_id = "1"\ntoken_env = "T"',
            ["[targets.t] base_url: 'http://[::1' is not a URL: write it like https://api.everee.com"],
            id="everee-not-a-url",
        ),
    ],
)
def test_each_kinds_messages_are_unchanged(tmp_path: Path, table: str, problems: list[str]) -> None:
    assert _problems(tmp_path, f"[targets.t]\n{table}\n") == problems


# --- imports ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [
        "ot.sync.config",
        "ot.sync.registry",
        "ot.sync.target",
        "ot.sync.csv_target",
        "ot.sync.everee",
        "ot.sync.export_target",
        "ot.exports.registry",
    ],
)
def test_any_sync_module_imports_first_and_the_config_knows_every_built_in_kind(module: str) -> None:
    """No import cycle whichever module comes first; the config registers csv, everee, export; no HTTP client yet."""
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "from ot.sync.config import KINDS\n"
        "print(','.join(KINDS), 'httpx' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["csv,everee,export", "False"]


# --- keys nobody reads, and the file's own bytes ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '[targets.files]\nkind = "csv"\nfolder = "feeds"\ncorrection_authorised = true\n',
            '[targets.files] correction_authorised: not a setting of a kind = "csv" target: '
            "did you mean correction_authorized?",
        ),
        (
            '[targets.files]\nkind = "csv"\nfolder = "feeds"\n\n[rooster]\nworkers_file = "w.csv"\n',
            "rooster: not a setting of this table: did you mean roster?",
        ),
        (
            '[roster]\nworkers_file = "w.csv"\nmax_age = 12\n',
            "[roster] max_age: not a setting of this table: did you mean max_age_hours?",
        ),
        (
            '[targets.e]\nkind = "everee"\nbase_url = "https://api.everee.com"\ntenant_id = "1"\n'
            'token_env = "T"\ntimeout = 5\n',
            '[targets.e] timeout: not a setting of a kind = "everee" target: did you mean timeout_seconds?',
        ),
    ],
)
def test_a_key_nobody_reads_is_refused_with_the_nearest_one(tmp_path: Path, text: str, problem: str) -> None:
    """A review: a misspelt setting (``correction_authorised``, a ``[rooster]`` table) was ignored without a
    word and the sync ran with the default. Every key is read by the config or its target's kind."""
    assert _problems(tmp_path, text) == [problem]


def test_a_byte_order_mark_is_not_toml(tmp_path: Path) -> None:
    """Some editors write a UTF-8 byte-order mark first: it is read past ("Invalid statement" before)."""
    (tmp_path / "ledger.sync.toml").write_bytes(b"\xef\xbb\xbf" + b'[targets.files]\nkind = "csv"\nfolder = "f"\n')
    assert list(load_config(tmp_path / "ledger.db").targets) == ["files"]


def test_a_file_that_is_not_utf8_says_where(tmp_path: Path) -> None:
    config = tmp_path / "ledger.sync.toml"
    config.write_bytes(b'[targets.files]\nkind = "csv"\nfolder = "f\xaa"\n')
    with pytest.raises(OtError) as info:
        load_config(tmp_path / "ledger.db")
    assert info.value.message == f"the sync config {config} is not UTF-8 text"
    assert [str(p) for p in info.value.problems] == [f"{config}:3: save it as UTF-8 (a byte there is not UTF-8)"]
