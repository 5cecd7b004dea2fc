"""Cells of the CSV files people open in spreadsheets (sync feeds, payroll exports)."""

from __future__ import annotations

import re

__all__ = ["formula_safe"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)


def formula_safe(value: str) -> str:
    """A cell a spreadsheet opens as text, never as a formula (OWASP, CSV injection).

    A value beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (a name such as ``=HYPERLINK(...)`` or ``+cmd|...``) is prefixed with ``'``;
    a plain number (``-3.50``) is left as it is. Idempotent: a prefixed value
    read back from the feed starts with ``'`` and is kept as it is.
    """
    if value.startswith(_FORMULA_START) and _NUMBER.fullmatch(value) is None:
        return "'" + value
    return value
