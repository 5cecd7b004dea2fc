"""The one error of the rules language, printed like a compiler's.

Every problem in a rules file, of syntax or of meaning, becomes a
:class:`RulesProblem`: where (``FILE:LINE:COL``), what is wrong and what to
do, the source line with a caret under the column, what was expected in
words, and a "did you mean" when a close spelling exists. A
:class:`RulesError` carries all of a file's problems at once.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ot.core.errors import OtError, Problem


@dataclass(frozen=True)
class RulesProblem(Problem):
    """One problem in a rules file.

    Attributes:
        where: ``FILE:LINE:COL`` (inherited from :class:`ot.core.errors.Problem`).
        message: What is wrong and what to do (inherited).
        file: The file as given.
        line: 1-based line.
        column: 1-based column.
        source_line: The text of that line (without its newline).
        expected: What would have been accepted there, in words.
        suggestion: A close spelling of what was written, or None.
    """

    file: str = ""
    line: int = 0
    column: int = 0
    source_line: str = ""
    expected: tuple[str, ...] = ()
    suggestion: str | None = None

    def render(self) -> str:
        """The problem as a compiler prints it, over two to five lines."""
        out = [f"{self.where}: {self.message}"]
        if self.source_line.strip():
            shown, caret = clip_line(shown_line(self.source_line).rstrip(), self.column)
            out.append(f"    {shown}")
            out.append("    " + " " * caret + "^")
        if self.expected:
            out.append(f"    expected: {say_expected(self.expected)}")
        if self.suggestion:
            out.append(f'    did you mean "{self.suggestion}"?')
        return "\n".join(out)


def shown_line(line: str) -> str:
    """``line`` as a problem echoes it, one character a column: a tab as a space, and a character that
    shows as nothing or moves the text (a zero-width space, a direction mark, a control character, a line
    separator) as U+FFFD, so that the caret stands under the column it names."""
    return "".join(" " if ch == "\t" else "\ufffd" if unicodedata.category(ch) in _INVISIBLE else ch for ch in line)


_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})

#: The most characters of a source line a problem echoes: a longer line is cut around the column.
SHOWN_LINE_CHARS = 120


def clip_line(line: str, column: int, width: int = SHOWN_LINE_CHARS) -> tuple[str, int]:
    """``line`` as echoed under a problem, and the caret's offset in it: whole when it fits in ``width``,
    else the ``width`` characters around ``column`` with ``...`` where text was cut (a 50 KB line
    is not printed whole)."""
    offset = max(column - 1, 0)
    if len(line) <= width:
        return line, offset
    start = max(0, min(offset - width // 2, len(line) - width))
    end = start + width
    head = "..." if start > 0 else ""
    tail = "..." if end < len(line) else ""
    return head + line[start:end] + tail, offset - start + len(head)


def say_expected(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``one of a, b, c or d``."""
    if len(words) == 1:
        return words[0]
    if len(words) == 2:
        return f"{words[0]} or {words[1]}"
    return "one of " + ", ".join(words[:-1]) + f" or {words[-1]}"


def problem(
    file: str,
    lines: Sequence[str],
    line: int,
    column: int,
    message: str,
    expected: Iterable[str] = (),
    suggestion: str | None = None,
) -> RulesProblem:
    """A :class:`RulesProblem` at ``line``:``column`` of a file whose text is ``lines``."""
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    return RulesProblem(
        where=f"{file}:{line}:{column}",
        message=message,
        file=file,
        line=line,
        column=column,
        source_line=source.rstrip("\r"),
        expected=tuple(expected),
        suggestion=suggestion,
    )


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest of ``choices`` to ``word`` (case-insensitive), or None when none is close.

    ``cutoff`` is difflib's similarity ratio; two-letter codes need 0.5 (one letter of two right).
    """
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    if word.lower() in by_lower and by_lower[word.lower()] != word:
        return by_lower[word.lower()]
    target = word.lower()
    scored: list[tuple[float, bool, str]] = []
    for candidate in sorted(by_lower):
        ratio = difflib.SequenceMatcher(None, target, candidate).ratio()
        if ratio >= cutoff:
            scored.append((ratio, candidate[:1] == target[:1], candidate))
    if not scored:
        return None
    # Best ratio first; on a tie, a choice with the same first letter; then alphabetical.
    scored.sort(key=lambda item: (-item[0], not item[1], item[2]))
    return by_lower[scored[0][2]]


class RulesError(OtError):
    """Everything wrong with a rules file, every problem located.

    ``problems`` are :class:`RulesProblem` entries in file order;
    :meth:`render` prints each like a compiler, then a one-line summary.
    """

    def __init__(self, file: str, problems: Iterable[RulesProblem]) -> None:
        ordered = sorted(problems, key=lambda p: (p.line, p.column, p.message))
        count = len(ordered)
        noun = "error" if count == 1 else "errors"
        super().__init__(f"{file}: {count} {noun}; nothing was changed", ordered)
        self.file = file
        self.rules_problems: tuple[RulesProblem, ...] = tuple(ordered)

    def render(self) -> str:
        """Each problem with its source line and caret, a blank line between, then the summary."""
        parts = [p.render() for p in self.rules_problems]
        parts.append(self.message)
        return "\n\n".join(parts)
