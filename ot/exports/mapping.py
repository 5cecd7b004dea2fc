"""An export's earnings codes and settings: a TOML file per format, shipped defaults in
``ot/exports/mappings/FORMAT.toml``, a user's own with ``--mapping FILE``.

    [settings]
    company_code = "ABC"        # what the format needs to know about the employer

    [codes]                     # ot's class -> the payroll system's code
    REG = "REG"
    OT = "OT"

A class the batch uses and the mapping does not name refuses the export, naming the
class and the line to add; nothing is written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ot.core.errors import OtError, Problem
from ot.exports.model import BROADER, CLASSES

__all__ = ["DEFAULTS", "ExportMapping", "load_mapping"]

#: Where the shipped mappings are.
DEFAULTS = Path(__file__).resolve().parent / "mappings"


@dataclass(frozen=True)
class ExportMapping:
    """A parsed mapping.

    Attributes:
        path: The file read.
        codes: Class -> code.
        settings: The ``[settings]`` table.
        codes_end: The line after the ``[codes]`` table's last line (where to add a code).
        raw: The whole file as parsed (a format may read its own tables).
    """

    path: Path
    codes: Mapping[str, str]
    settings: Mapping[str, Any]
    codes_end: int
    raw: Mapping[str, Any] = field(default_factory=dict)

    def code(self, hour_class: str) -> str:
        """The code of a class, else of its broader class (:meth:`require` first: every class used has one)."""
        return self.codes.get(hour_class) or self.codes[BROADER[hour_class]]

    def require(self, classes: list[str]) -> None:
        """Refuse (nothing written) when a class the batch uses has no code."""
        missing = [c for c in classes if not self.codes.get(c) and not self.codes.get(BROADER.get(c, ""))]
        if missing:
            raise OtError(
                f"no earnings code for {', '.join(missing)} in {self.path}: nothing was written",
                [
                    Problem(
                        f"{self.path}:{self.codes_end} [codes]",
                        f'{c} has no code: add the line  {c} = "CODE"  (the payroll system\'s earnings code for it)'
                        + (f' (or {BROADER[c]} = "CODE" for every {BROADER[c].lower()})' if c in BROADER else ""),
                    )
                    for c in missing
                ],
            )

    def setting(self, key: str, what: str) -> str:
        """A required text setting, or a refusal naming the file, the table and the key."""
        value = self.settings.get(key, "")
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
            raise OtError(
                f"the mapping {self.path} does not say {what}: nothing was written",
                [Problem(f"{self.path} [settings] {key}", f'set {key} = "..." ({what}), or give --mapping FILE')],
            )
        return str(value).strip()


def load_mapping(format_name: str, path: Path | None) -> ExportMapping:
    """The mapping of a format: ``path``, else the shipped default."""
    file = path if path is not None else DEFAULTS / f"{format_name}.toml"
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise OtError(
            f"cannot read the mapping {file}", [Problem("--mapping", f"{exc.strerror or exc}: give a TOML file")]
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OtError(f"the mapping {file} is not valid TOML", [Problem(str(file), str(exc))]) from None
    problems: list[Problem] = []
    codes_raw = data.get("codes", {})
    settings = data.get("settings", {})
    if not isinstance(codes_raw, dict):
        problems.append(Problem(f"{file} [codes]", 'must be a table of CLASS = "CODE" lines'))
        codes_raw = {}
    if not isinstance(settings, dict):
        problems.append(Problem(f"{file} [settings]", "must be a table"))
        settings = {}
    codes: dict[str, str] = {}
    for key, value in codes_raw.items():
        if key not in CLASSES:
            problems.append(Problem(f"{file} [codes] {key}", f"is not a class ot pays: one of {', '.join(CLASSES)}"))
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(f"{file} [codes] {key}", "must be a code in quotes"))
        else:
            codes[key] = value.strip()
    if problems:
        raise OtError(f"the mapping {file} has problems; fix them and export again", problems)
    return ExportMapping(file, codes, settings, _codes_end(text), data)


def _codes_end(text: str) -> int:
    """The line number just after the last line of the ``[codes]`` table (1-based)."""
    lines = text.splitlines()
    end = len(lines) + 1
    inside = False
    last = None
    for i, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            if inside:
                break
            inside = stripped == "[codes]"
            if inside:
                last = i
            continue
        if inside and stripped and not stripped.startswith("#"):
            last = i
    return last + 1 if last is not None else end
