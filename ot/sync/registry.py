"""The sync targets by config ``kind``: each target module registers its class here.

A target is one module. Its class implements :class:`ot.sync.target.Target`,
is decorated ``@register("KIND")``, and has two class methods:

- ``parse_config(name, raw, base, where, problems)``: the keys of its kind in
  one ``[targets.NAME]`` table (``raw``, the whole table; ``base``, the config
  file's folder, for relative paths; ``where``, ``FILE [targets.NAME]`` for
  messages). It appends a :class:`~ot.core.errors.Problem` for each bad key and
  returns the parsed keys, which become :attr:`TargetConfig.options`; a table
  with a problem is not used. The keys every kind has (``kind``,
  ``correction_authorized``, ``correction_timeframe``) are read by
  :mod:`ot.sync.config`, before this is called.
- ``from_config(config, sleep=time.sleep)``: the target a parsed table
  describes (``sleep`` waits between retries; tests inject it).

The package ``ot.sync`` imports the built-in target modules (csv, then everee),
so that importing any of its modules registers every built-in kind in that
order; :mod:`ot.sync.config` looks kinds up here, and :func:`make_target` builds
a target from its config. This module imports no target module.
"""

from __future__ import annotations

import time
from collections.abc import Callable, KeysView, Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ot.core.errors import OtError, Problem
from ot.sync.target import Target, TargetConfig

__all__ = ["KINDS", "TARGETS", "TargetClass", "make_target", "register", "resolve_path", "target_class", "text_option"]

Sleep = Callable[[float], None]


class TargetClass(Protocol):
    """What a registered target class provides (as class methods)."""

    def parse_config(
        self, name: str, raw: Mapping[str, Any], base: Path, where: str, problems: list[Problem]
    ) -> Mapping[str, Any]:
        """The kind's own keys of one ``[targets.NAME]`` table; a problem for each bad one."""
        ...

    def from_config(self, config: TargetConfig, sleep: Sleep = ...) -> Target:
        """The target a parsed table describes."""
        ...


#: Kind -> target class, in registration order (the built-ins: csv, everee).
TARGETS: dict[str, TargetClass] = {}
#: The registered kinds, in registration order (a live view of :data:`TARGETS`).
KINDS: KeysView[str] = TARGETS.keys()

_C = TypeVar("_C", bound=TargetClass)


def register(kind: str) -> Callable[[_C], _C]:
    """Class decorator: the class is the target of config tables with ``kind = KIND``."""

    def add(cls: _C) -> _C:
        for method in ("parse_config", "from_config"):
            if not callable(getattr(cls, method, None)):
                raise TypeError(f"sync target kind {kind!r}: {_qualname(cls)} has no {method}")
        known = TARGETS.get(kind)
        if known is not None and _qualname(known) != _qualname(cls):  # the same class again is a module reload
            raise ValueError(f"sync target kind {kind!r} is already registered by {_qualname(known)}")
        TARGETS[kind] = cls
        return cls

    return add


def target_class(kind: object) -> TargetClass | None:
    """The class registered for ``kind`` (None for an unknown kind, or a value that is not text)."""
    return TARGETS.get(kind) if isinstance(kind, str) else None


def make_target(config: TargetConfig, sleep: Sleep = time.sleep) -> Target:
    """The target a config table describes, made by the class registered for its kind."""
    cls = target_class(config.kind)
    if cls is None:
        raise OtError(
            f"no sync target kind {config.kind!r}",
            [Problem(f"{config.where or config.name} kind", f"must be one of {', '.join(KINDS)}")],
        )
    return cls.from_config(config, sleep=sleep)


def text_option(raw: Mapping[str, Any], key: str, where: str, problems: list[Problem], *, required: bool) -> str:
    """A text key of a table ("" and a problem when it is not text, or required and empty or missing)."""
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value):
        problems.append(Problem(f"{where} {key}", "required: a text in quotes" if required else "must be text"))
        return ""
    return value


def resolve_path(base: Path, text: str) -> Path:
    """A path from the config: ``~`` expanded; relative to ``base`` (the config file's folder)."""
    p = Path(text).expanduser()
    return p if p.is_absolute() else base / p


def _qualname(cls: object) -> str:
    return f"{getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', repr(cls))}"
