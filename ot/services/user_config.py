"""The user's own settings: ``config.toml`` in the user config folder of ``ot``
(``platformdirs.user_config_dir("ot")``, e.g. ``~/.config/ot/config.toml`` on Linux).

    theme = "nord"              # a Textual theme; the app saves it when you change theme
    period = "latest"           # the period screens open on: latest | current | previous
    display_rate = "profile"    # the stub's Display rate: none | profile | regular_rate

    [keymap]                    # binding id = key(s), e.g. remap Timecards' add shift
    "timecards.add_shift" = "ctrl+a"

Every key is optional; a missing file is the defaults. A file that does not parse, an
unknown key or a bad value is an :class:`~ot.core.errors.OtError` naming ``file:line`` and the
key; the terminal UI then opens with the defaults and shows that error. Which binding ids
and themes exist is the UI's to say (:meth:`UserConfig.where` names the line of a key).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

import platformdirs

from ot.core.errors import OtError, Problem
from ot.stubs.build import DEFAULT_DISPLAY_POLICY, DISPLAY_POLICIES

__all__ = [
    "DISPLAY_RATES",
    "PERIOD_VIEWS",
    "UserConfig",
    "default_path",
    "display_rate_policy",
    "load_user_config",
    "opening_day",
    "save_theme",
]

#: The display rate policies: no display rate, the worker's profile rate, or the week's regular rate.
DISPLAY_RATES = DISPLAY_POLICIES
#: Which pay period screens open on: the latest with punches, the one holding today, the one before the latest.
PERIOD_VIEWS = ("latest", "current", "previous")
#: The top-level keys (``keymap`` is a table).
KEYS = ("theme", "period", "display_rate", "keymap")

_TABLE = re.compile(r"^\s*\[\s*([^\]\s]+)\s*\]")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.+-]+))\s*=""")
#: A key Textual understands: a name (``a``, ``ctrl+a``, ``f5``, ``left_square_bracket``) or one printable character.
_KEY_NAME = re.compile(r"^(?:(?:ctrl|shift|alt|super|meta|hyper)\+)*(?:[a-z0-9_]+|[!-~])$", re.IGNORECASE)
_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


def default_path() -> Path:
    """Where the config file lives for this user."""
    return Path(platformdirs.user_config_dir("ot")) / "config.toml"


@dataclass(frozen=True)
class UserConfig:
    """The user's settings (defaults when there is no file).

    Attributes:
        path: The file read (None: defaults).
        theme: A Textual theme name, or None for the app's default.
        period: Which pay period screens open on (one of :data:`PERIOD_VIEWS`).
        display_rate: The stub's display rate policy (one of :data:`DISPLAY_RATES`).
        keymap: Binding id -> key(s) (comma-separated), as Textual's ``App.set_keymap`` takes them.
        lines: The line of each key (``theme``, ``keymap.ID``), for messages.
    """

    path: Path | None = None
    theme: str | None = None
    period: str = "latest"
    display_rate: str = DEFAULT_DISPLAY_POLICY
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def where(self, key: str) -> str:
        """``file:line key`` of a key of the file, for a message."""
        line = self.lines.get(key)
        place = f"{self.path}:{line}" if line is not None else str(self.path or "config.toml")
        return f"{place} {key}"


def _key_lines(text: str) -> dict[str, int]:
    """The 1-based line of each ``key`` and ``table.key`` in a flat TOML file."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _TABLE.match(line):
            table = header.group(1).strip("\"'")
            lines.setdefault(table, number)
            continue
        if key := _KEY.match(line):
            name = next(g for g in key.groups() if g is not None)
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _parse_error(path: Path, error: tomllib.TOMLDecodeError) -> OtError:
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    message = str(error)
    if (found := _WHERE.search(message)) is not None:
        line = line or int(found.group(1))
        column = column or int(found.group(2))
        message = message[: found.start()].strip()
    place = f"{path}:{line}:{column}" if line is not None else str(path)
    return OtError(
        f"cannot read the config file {path}: it is not valid TOML",
        [Problem(place, f"{message}; fix that line (or move the file away to use the defaults)")],
    )


def load_user_config(path: Path | None = None) -> UserConfig:
    """Read and check the config file (``path``, else :func:`default_path`); defaults when it does not exist.

    Raises:
        OtError: The file cannot be read, does not parse, or holds an unknown key or a bad value;
            each problem names ``file:line`` and the key.
    """
    path = default_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return UserConfig()
    except (OSError, UnicodeDecodeError) as exc:
        what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OtError(f"cannot read the config file {path}", [Problem(str(path), what)]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _parse_error(path, exc) from None
    lines = _key_lines(text)
    problems: list[Problem] = []

    def where(key: str) -> str:
        line = lines.get(key)
        return f"{path}:{line} {key}" if line is not None else f"{path} {key}"

    for key in data:
        if key not in KEYS:
            problems.append(Problem(where(key), f"unknown key; the keys are {', '.join(KEYS)}"))

    theme = data.get("theme")
    if theme is not None and (not isinstance(theme, str) or not theme.strip()):
        problems.append(Problem(where("theme"), 'must be a theme name in quotes, e.g. theme = "nord"'))
        theme = None

    def choice(key: str, allowed: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        if value not in allowed:
            problems.append(Problem(where(key), f"is {value!r}: must be one of {', '.join(allowed)}"))
            return default
        return str(value)

    period = choice("period", PERIOD_VIEWS, "latest")
    display_rate = choice("display_rate", DISPLAY_RATES, DEFAULT_DISPLAY_POLICY)

    keymap: dict[str, str] = {}
    raw_keymap = data.get("keymap", {})
    if not isinstance(raw_keymap, dict):
        problems.append(Problem(where("keymap"), 'must be a table: [keymap] then "screen.action" = "key" lines'))
    else:
        for binding_id, keys in raw_keymap.items():
            key = f"keymap.{binding_id}"
            if not isinstance(keys, str) or not keys.strip():
                problems.append(Problem(where(key), 'must be a key in quotes, e.g. "ctrl+a" (several: "a,ctrl+a")'))
                continue
            bad = [k for k in (part.strip() for part in keys.split(",")) if not _KEY_NAME.match(k)]
            if bad:
                problems.append(
                    Problem(where(key), f"{', '.join(repr(b) for b in bad)} is not a key (e.g. a, ctrl+a, f5, space)")
                )
                continue
            keymap[binding_id] = keys
    if problems:
        raise OtError(f"the config file {path} has {len(problems)} problem(s)", problems)
    return UserConfig(
        path=path,
        theme=theme.strip() if isinstance(theme, str) else None,
        period=period,
        display_rate=display_rate,
        keymap=MappingProxyType(keymap),
        lines=MappingProxyType(lines),
    )


def display_rate_policy(path: Path | None = None) -> str:
    """The display rate policy of the user's config (``profile``, the stubs' default, when there is no file).

    Raises:
        OtError: As :func:`load_user_config`.
    """
    return load_user_config(path).display_rate


def save_theme(path: Path, theme: str) -> None:
    """Write ``theme = "NAME"`` into the config file, keeping every other line as it is.

    Raises:
        OtError: The file cannot be written.
    """
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", theme):
        raise OtError(
            f"cannot save the theme {theme!r}", [Problem(str(path), "a theme name is letters, digits, - or _")]
        )
    line = f'theme = "{theme}"'
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        rows = text.splitlines()
        first_table = next((i for i, row in enumerate(rows) if _TABLE.match(row)), len(rows))
        at = next(
            (i for i, row in enumerate(rows[:first_table]) if (k := _KEY.match(row)) and "theme" in k.groups()), None
        )
        if at is not None:
            rows[at] = line
        else:
            rows.insert(0, line)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    except OSError as exc:
        raise OtError(f"cannot save the theme in {path}", [Problem(str(path), exc.strerror or str(exc))]) from None


def opening_day(ledger_path: Path, today: date, view: str) -> date:
    """The day screens open on for a period view: ``latest`` the last day with punches (up to today),
    ``current`` today, ``previous`` the first day of the pay period before the latest."""
    from ot.services.browse import latest_day
    from ot.services.stub_export import period_day

    if view == "current":
        return today
    latest = latest_day(ledger_path, today)
    if view == "previous" and ledger_path.exists():
        return period_day(ledger_path, latest, -1)
    return latest
