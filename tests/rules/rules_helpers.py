"""Shared helpers of the rules-language tests (a plain module: tests/rules has no package)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.compiler import compile_text
from rules.errors import RulesError
from rules.model import RuleBook, RuleSet

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "rules.example.ot"
GOLDEN = Path(__file__).resolve().parent / "golden"

HEADER = "version 1\n"


def federal(*statements: str, since: str = "2009-07-24", head: str = "", tail: str = "") -> str:
    """A minimal rules file: ``head``, a federal block holding ``statements``, then ``tail``."""
    body = "".join(f"    {s}\n" for s in statements)
    return f"{HEADER}{head}federal {{\n  rules from {since} {{\n{body}  }}\n}}\n{tail}"


def state(code: str, *statements: str, since: str = "2025-01-01", extends: str = "federal") -> str:
    """A state block with one rules block."""
    body = "".join(f"    {s}\n" for s in statements)
    parent = f" extends {extends}" if extends else ""
    return f"state {code}{parent} {{\n  rules from {since} {{\n{body}  }}\n}}\n"


def book_of(text: str) -> RuleBook:
    """Compile ``text`` named ``t.ot``."""
    return compile_text(text, "t.ot")


def only_set(book: RuleBook, jurisdiction: str = "FEDERAL") -> RuleSet:
    """The single rule set of a jurisdiction."""
    sets = dict(book.versions)[jurisdiction]
    assert len(sets) == 1, sets
    return sets[0]


def errors_of(text: str, file: str = "t.ot") -> RulesError:
    """The RulesError compiling ``text`` raises (the test fails if it compiles)."""
    with pytest.raises(RulesError) as caught:
        compile_text(text, file)
    return caught.value
