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

Secrets are never read from the file: a key named like a secret (``token``,
``password``, ``secret``, ``api_key``) is refused with a pointer to the
environment variable to use instead.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ot.errors import OtError, Problem

__all__ = ["RosterSource", "SyncConfig", "TargetConfig", "config_path", "load_config", "secret"]

KINDS: tuple[str, ...] = ("csv", "everee")
TIMEFRAMES: tuple[str, ...] = ("NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID")
_SECRET_WORDS = ("token", "password", "secret", "api_key", "apikey")


@dataclass(frozen=True)
class TargetConfig:
    """One ``[targets.NAME]`` table.

    Attributes:
        name: The table's name.
        kind: ``csv`` or ``everee``.
        folder: csv: the folder feeds are written into (absolute).
        base_url: everee: the API's base URL.
        tenant_id: everee: the tenant (company) id sent in the ``x-everee-tenant-id`` header.
        token_env: everee: the environment variable holding the API token.
        correction_authorized: Whether changes on paid dates may be sent as corrections.
        correction_timeframe: How an underpayment found by a correction is paid.
        timeout_seconds: everee: per-request timeout.
        retries: everee: attempts after the first on a 5xx, a timeout or a dropped connection.
        work_locations: everee: ot location id -> the target's work location id.
        where: ``FILE [targets.NAME]`` for messages.
    """

    name: str
    kind: str
    folder: Path | None = None
    base_url: str = ""
    tenant_id: str = ""
    token_env: str = ""
    correction_authorized: bool = False
    correction_timeframe: str = "NEXT_PAYROLL_PAYMENT"
    timeout_seconds: float = 10.0
    retries: int = 3
    work_locations: Mapping[str, int] = field(default_factory=dict)
    where: str = ""


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
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise OtError(f"the sync config {path} is not valid TOML", [Problem(str(path), str(exc))]) from None
    problems: list[Problem] = []
    _no_secrets(data, str(path), problems)
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
        wf = raw_roster.get("workers_file")
        age = raw_roster.get("max_age_hours", 24)
        if wf is not None and not isinstance(wf, str):
            problems.append(Problem(f"{path} [roster] workers_file", "must be a path in quotes"))
            wf = None
        if not isinstance(age, int) or age < 1:
            problems.append(Problem(f"{path} [roster] max_age_hours", "must be a whole number of hours, 1 or more"))
            age = 24
        roster = RosterSource(_resolve(path.parent, wf) if wf else None, age)
    else:
        problems.append(Problem(f"{path} [roster]", "must be a table"))
    if problems:
        raise OtError(f"the sync config {path} has problems; fix them and run again", problems)
    return SyncConfig(path, targets, roster)


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _insecure(url: str) -> str | None:
    """Why ``url`` may not carry an API token (None when it may): https, or http on this machine only."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return f"{url!r} is not a URL: write it like https://api.everee.com"
    if parts.scheme == "https" and host:
        return None
    if parts.scheme == "http" and (host in _LOOPBACK or _loopback_ip(host)):
        return None
    if parts.scheme == "http":
        return f"{url!r} would send the API token in clear: use https:// (http only for 127.0.0.1, ::1 or localhost)"
    return f"{url!r} is not an https URL: write it like https://api.everee.com"


def _resolve(base: Path, text: str) -> Path:
    p = Path(text).expanduser()
    return p if p.is_absolute() else base / p


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


def _target(name: str, raw: Mapping[str, Any], base: Path, where: str, problems: list[Problem]) -> TargetConfig | None:
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.append(Problem(f"{where} kind", f"must be one of {', '.join(KINDS)}, not {kind!r}"))
        return None
    before = len(problems)

    def text(key: str, required: bool) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str) or (required and not value):
            problems.append(Problem(f"{where} {key}", "required: a text in quotes" if required else "must be text"))
            return ""
        return value

    corr = raw.get("correction_authorized", False)
    if not isinstance(corr, bool):
        problems.append(Problem(f"{where} correction_authorized", "must be true or false"))
        corr = False
    timeframe = raw.get("correction_timeframe", "NEXT_PAYROLL_PAYMENT")
    if timeframe not in TIMEFRAMES:
        problems.append(Problem(f"{where} correction_timeframe", f"must be one of {', '.join(TIMEFRAMES)}"))
    if kind == "csv":
        folder = text("folder", True)
        if len(problems) > before:
            return None
        return TargetConfig(
            name,
            kind,
            folder=_resolve(base, folder),
            correction_authorized=corr,
            correction_timeframe=timeframe,
            where=where,
        )
    base_url = text("base_url", True).rstrip("/")
    if base_url:
        refused = _insecure(base_url)
        if refused:
            problems.append(Problem(f"{where} base_url", refused))
    tenant = raw.get("tenant_id", "")
    if isinstance(tenant, int) and not isinstance(tenant, bool):
        tenant = str(tenant)
    if not isinstance(tenant, str) or not tenant:
        problems.append(Problem(f"{where} tenant_id", "required: the Everee tenant (company) id"))
        tenant = ""
    token_env = text("token_env", True)
    timeout = raw.get("timeout_seconds", 10)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        problems.append(Problem(f"{where} timeout_seconds", "must be a number of seconds above 0"))
        timeout = 10
    retries = raw.get("retries", 3)
    if not isinstance(retries, int) or isinstance(retries, bool) or not 0 <= retries <= 10:
        problems.append(Problem(f"{where} retries", "must be a whole number from 0 to 10"))
        retries = 3
    locs = raw.get("work_locations", {})
    mapping: dict[str, int] = {}
    if not isinstance(locs, dict):
        problems.append(Problem(f"{where} work_locations", "must be a table: { L1 = 101 }"))
    else:
        for loc, num in locs.items():
            if not isinstance(num, int) or isinstance(num, bool):
                problems.append(Problem(f"{where} work_locations.{loc}", "must be the target's numeric location id"))
            else:
                mapping[str(loc)] = num
    if len(problems) > before:
        return None
    return TargetConfig(
        name,
        kind,
        base_url=base_url,
        tenant_id=tenant,
        token_env=token_env,
        correction_authorized=corr,
        correction_timeframe=timeframe,
        timeout_seconds=float(timeout),
        retries=retries,
        work_locations=mapping,
        where=where,
    )


def secret(target: TargetConfig, environ: Mapping[str, str] | None = None) -> str:
    """The API token of a target, from the environment variable its config names."""
    env = os.environ if environ is None else environ
    value = env.get(target.token_env, "")
    if not value:
        raise OtError(
            f"no API token for sync target {target.name!r}",
            [Problem(f"${target.token_env}", f"set the environment variable {target.token_env} to the API token")],
        )
    return value
