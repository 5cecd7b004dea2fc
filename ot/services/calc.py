"""The stateless calculator behind ``ot calc``: JSON text in, JSON-ready dict out.

No ledger is read or written. The rules come from ``--rules``, else the
project's default rules file (``rules.files.default_rules_path()``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ot.calcio import read_calc_input, result_json
from ot.core.errors import OtError, Problem
from rules.engine import price
from rules.model import RuleBook


def decode(data: bytes, name: str) -> str:
    """A calc file's bytes as text (UTF-8, with or without a byte-order mark)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OtError(
            f"{name} is not UTF-8 text",
            [Problem(f"{name}", f"byte {exc.start}: not UTF-8: save the file as UTF-8 JSON")],
        ) from None


def load_rules(path: Path | None) -> RuleBook:
    """Compile the rules file ``path``, else the default one.

    Raises :class:`OtError` when no rules file can be had, naming what to do.
    """
    try:
        from rules.compiler import compile_file  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise OtError(
            "the rules compiler is not available in this build: ot calc cannot read a rules file yet",
            [Problem("--rules", "needs rules.compiler (not installed yet)")],
        ) from None
    if path is None:
        try:
            from rules.files import default_rules_path  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            raise OtError(
                "no rules file: give one with --rules RULES.ot", [Problem("--rules", "required: no default rules file")]
            ) from None
        path = Path(default_rules_path())
    if not path.is_file():
        raise OtError(
            f"no rules file at {path}", [Problem("--rules", f"{path} does not exist: give an existing .ot file")]
        )
    book = compile_file(path)
    assert isinstance(book, RuleBook)
    return book


def calculate(text: str, *, name: str, book: RuleBook, explain: bool = False) -> dict[str, Any]:
    """Price a calc file's text with ``book``: the contract's output as a dict.

    Raises :class:`OtError` with every problem of the input (nothing is priced then).
    """
    data = read_calc_input(text, name)
    result = price(
        data.shifts,
        data.workers,
        book,
        earnings=data.earnings,
        workweek=data.workweek,
        workday_start=data.workday_start,
        scheduled=data.scheduled,
    )
    return result_json(result, explain=explain)
