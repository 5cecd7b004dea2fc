"""The core runs without the UI: ledger/, rules/ and ot/ never import Textual or tui/."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "ledger",
    "rules",
    "ot.core.money",
    "ot.core.timez",
    "ot.core.domain",
    "ot.core.errors",
    "ot.services",
    "ot.cli",
]


@pytest.mark.parametrize("module", CORE)
def test_core_does_not_import_textual(module: str) -> None:
    code = (
        "import sys, importlib, pkgutil\n"
        f"m = importlib.import_module({module!r})\n"
        "if hasattr(m, '__path__'):\n"
        "    for info in pkgutil.walk_packages(m.__path__, m.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = [n for n in sys.modules if n == 'textual' or n.startswith(('textual.', 'tui'))]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"{module} pulls in {out}"
