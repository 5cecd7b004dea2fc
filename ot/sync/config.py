"""The sync config: a TOML file beside the ledger (``<ledger stem>.sync.toml``) or ``--config``.

    [targets.payroll-files]
    kind = "csv"
    folder = "feeds"                 # relative to this file

    [targets.everee]
    kind = "everee"
    base_url = "https://api.everee.com"
    tenant_id = "1234"
    token_env = "EVEREE_API_TOKEN"   # the token itself comes from the environment, never from here
    correction_authorized = false
    correction_timeframe = "NEXT_PAYROLL_PAYMENT"
    timeout_seconds = 10
    retries = 3
    work_locations = { L1 = 101, L2 = 102 }   # ot location -> Everee work location id

    [roster]
    workers_file = "workers.csv"     # the canonical workers layout (contracts/import.md)

Each ``[targets.NAME]`` table names its ``kind``. The module of that target
(``ot/sync/csv_target.py``, ``ot/sync/everee.py``...) registered itself for the
kind and parses the kind's own keys (:mod:`ot.sync.registry`); the package
``ot.sync`` imports the built-in target modules, so they are registered before
this module runs. This module reads the keys every kind has (``kind``,
``correction_authorized``, ``correction_timeframe``) and the ``[roster]``
table, and refuses secrets.

Secrets are never read from the file: a key named like a secret (``token``,
``password``, ``secret``, ``api_key``) is refused with a pointer to the
environment variable to use instead.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ot.core.errors import OtError, Problem
from ot.sync.registry import KINDS, resolve_path, target_class
from ot.sync.target import TargetConfig, secret

__all__ = ["RosterSource", "SyncConfig", "TargetConfig", "config_path", "load_config", "secret"]

TIMEFRAMES: tuple[str, ...] = ("NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID")
_SECRET_WORDS = ("token", "password", "secret", "api_key", "apikey")


@dataclass(frozen=True)
class RosterSource:
    """The ``[roster]`` table: where ``ot sync refresh`` pulls roster changes from.

    Attributes:
        workers_file: A workers file in the canonical layout (absolute), or None.
        max_age_hours: How old the last refresh may be before ``ot`` refreshes on start.
    """

    workers_file: Path | None = None
    max_age_hours: int = 24


@dataclass(frozen=True)
class SyncConfig:
    """The whole config.

    Attributes:
        path: The file read (None when there is none: no targets).
        targets: Targets by name, in file order.
        roster: The roster source.
    """

    path: Path | None
    targets: Mapping[str, TargetConfig]
    roster: RosterSource = RosterSource()

    def target(self, name: str | None) -> list[TargetConfig]:
        """The named target (every target when None), or :class:`OtError` listing the names."""
        if name is None:
            return list(self.targets.values())
        if name not in self.targets:
            known = ", ".join(self.targets) or "none"
            raise OtError(
                f"no sync target {name!r}",
                [Problem("--target", f"targets in {self.path or 'the config'}: {known}")],
            )
        return [self.targets[name]]


def config_path(ledger_path: Path) -> Path:
    """The config beside a ledger: ``ledger.db`` -> ``ledger.sync.toml``."""
    return ledger_path.with_name(ledger_path.stem + ".sync.toml")


def load_config(ledger_path: Path, explicit: Path | None = None) -> SyncConfig:
    """Read the config (``explicit``, else the one beside the ledger; none there means no targets)."""
    path = explicit if explicit is not None else config_path(ledger_path)
    if not path.exists():
        if explicit is not None:
            raise OtError(f"no sync config at {path}", [Problem("--config", "give the path of a .toml file")])
        return SyncConfig(None, {})
    try:
        text = path.read_bytes().decode("utf-8-sig")  # a byte-order mark, as some editors write, is not TOML
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise OtError(
            f"the sync config {path} is not UTF-8 text",
            [Problem(f"{path}:{line}", "save it as UTF-8 (a byte there is not UTF-8)")],
        ) from None
    except OSError as exc:
        raise OtError(f"cannot read the sync config {path}", [Problem(str(path), exc.strerror or str(exc))]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OtError(f"the sync config {path} is not valid TOML", [Problem(str(path), str(exc))]) from None
    problems: list[Problem] = []
    _no_secrets(data, str(path), problems)
    _unknown(data, _TABLES, str(path), "", problems)
    targets: dict[str, TargetConfig] = {}
    raw_targets = data.get("targets", {})
    if not isinstance(raw_targets, dict):
        problems.append(Problem(f"{path} [targets]", "must be a table of [targets.NAME] tables"))
        raw_targets = {}
    for name, raw in raw_targets.items():
        where = f"{path} [targets.{name}]"
        if not isinstance(raw, dict):
            problems.append(Problem(where, "must be a table"))
            continue
        target = _target(name, raw, path.parent, where, problems)
        if target is not None:
            targets[name] = target
    roster = RosterSource()
    raw_roster = data.get("roster", {})
    if isinstance(raw_roster, dict):
        _unknown(raw_roster, _ROSTER_KEYS, str(path), "[roster] ", problems)
        wf = raw_roster.get("workers_file")
        age = raw_roster.get("max_age_hours", 24)
        if wf is not None and not isinstance(wf, str):
            problems.append(Problem(f"{path} [roster] workers_file", "must be a path in quotes"))
            wf = None
        if not isinstance(age, int) or age < 1:
            problems.append(Problem(f"{path} [roster] max_age_hours", "must be a whole number of hours, 1 or more"))
            age = 24
        roster = RosterSource(resolve_path(path.parent, wf) if wf else None, age)
    else:
        problems.append(Problem(f"{path} [roster]", "must be a table"))
    if problems:
        raise OtError(f"the sync config {path} has problems; fix them and run again", problems)
    return SyncConfig(path, targets, roster)


def _no_secrets(data: Mapping[str, Any], where: str, problems: list[Problem], table: str = "") -> None:
    for key, value in data.items():
        lowered = key.lower()
        if lowered != "token_env" and any(w in lowered for w in _SECRET_WORDS):
            place = f"{where} [{table}] {key}" if table else f"{where} {key}"
            problems.append(
                Problem(
                    place,
                    "secrets never go in the config file: put the token in an environment variable "
                    'and name it with token_env = "VARIABLE"',
                )
            )
        elif isinstance(value, dict):
            _no_secrets(value, where, problems, f"{table}.{key}" if table else key)


#: The tables of the file, the keys of ``[roster]``, and the keys every target has besides its kind's own.
_TABLES = ("targets", "roster")
_ROSTER_KEYS = ("workers_file", "max_age_hours")
_COMMON_KEYS = ("kind", "correction_authorized", "correction_timeframe")


def _unknown(
    data: Mapping[str, Any],
    known: Iterable[str],
    where: str,
    table: str,
    problems: list[Problem],
    of: str = "this table",
) -> None:
    """A key nobody reads is refused, with the nearest known one: a misspelt setting (``correction_authorised``)
    was ignored, and the sync ran with the default (a review)."""
    names = list(known)
    for key in data:
        if key not in names:
            near = difflib.get_close_matches(key, names, n=1)
            hint = f"did you mean {near[0]}?" if near else f"its keys: {', '.join(names)}"
            problems.append(Problem(f"{where} {table}{key}", f"not a setting of {of}: {hint}"))


class _Read(dict[str, Any]):
    """A target's table that remembers which keys its kind's parser read (the rest are unknown)."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        super().__init__(raw)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return super().__contains__(key)


def _target(name: str, raw: Mapping[str, Any], base: Path, where: str, problems: list[Problem]) -> TargetConfig | None:
    kind = raw.get("kind")
    cls = target_class(kind)
    if cls is None:
        if kind is None:
            problems.append(Problem(f"{where} kind", "missing: add kind = " + " or ".join(f'"{k}"' for k in KINDS)))
        else:
            problems.append(Problem(f"{where} kind", f"must be one of {', '.join(KINDS)}, not {kind!r}"))
        return None
    before = len(problems)
    corr = raw.get("correction_authorized", False)
    if not isinstance(corr, bool):
        problems.append(Problem(f"{where} correction_authorized", "must be true or false"))
        corr = False
    timeframe = raw.get("correction_timeframe", "NEXT_PAYROLL_PAYMENT")
    if timeframe not in TIMEFRAMES:
        problems.append(Problem(f"{where} correction_timeframe", f"must be one of {', '.join(TIMEFRAMES)}"))
    seen = _Read(raw)
    options = cls.parse_config(name, seen, base, where, problems)  # the kind's own keys, by its module
    if len(problems) == before:  # (a parser that refused a key may not have read the others)
        _unknown(raw, [*_COMMON_KEYS, *sorted(seen.read)], where, "", problems, f'a kind = "{kind}" target')
    if len(problems) > before:
        return None
    return TargetConfig(
        name,
        str(kind),
        correction_authorized=corr,
        correction_timeframe=timeframe,
        where=where,
        options=dict(options),
    )
