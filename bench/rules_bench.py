"""How long parsing and compiling rules.example.ot takes (it is done at every start).

    .venv/bin/python bench/rules_bench.py [N]

Prints the one-off cost of building the parser (from Lark's disk cache, and
from the grammar without it) and the mean and minimum of N parse+compile runs.
A figure, not a timed test.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rules.compiler import compile_text  # noqa: E402
from rules.files import default_rules_path  # noqa: E402
from rules.parser import build_lark, lark_parser  # noqa: E402


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main(runs: int = 200) -> None:
    """Print the figures."""
    text = default_rules_path().read_text(encoding="utf-8")
    started = time.perf_counter()
    lark_parser()
    cached = time.perf_counter() - started
    started = time.perf_counter()
    build_lark(cache=False)
    uncached = time.perf_counter() - started
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        compile_text(text, "rules.example.ot")
        times.append(time.perf_counter() - started)
    print(f"rules.example.ot: {len(text.splitlines())} lines, {len(text)} characters")
    print(f"parser build, from Lark's cache: {_ms(cached)}; from the grammar (strict checks): {_ms(uncached)}")
    print(f"parse + check + compile over {runs} runs: mean {_ms(statistics.mean(times))}, min {_ms(min(times))}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
