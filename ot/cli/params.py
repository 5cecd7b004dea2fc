"""Option types shared by the commands: each refuses a bad value with a usage error that names the option
and says what to give (exit 2), in ot's words rather than click's."""

from __future__ import annotations

import re
from typing import Any

import click

#: A whole number as ot reads one everywhere: the ASCII digits 0-9, with a minus in front for a negative.
#: (click's int and Python's int() take any script's digits, "٢" or "１", and click's message for "²" is
#: "not a valid integer range"; a figure typed into ot means what it shows.)
_WHOLE = re.compile(r"-?[0-9]+")


class WholeNumber(click.ParamType):
    """An integer option: the digits 0-9 only, with a leading minus for a negative (out of range when
    ``low`` is 0 or more), between ``low`` and ``high`` when given; surrounding blanks are ignored.
    ``what`` is what the number counts, for its message ("processes", "days")."""

    name = "integer"

    def __init__(self, low: int | None = None, high: int | None = None, what: str = "") -> None:
        self.low = low
        self.high = high
        self.what = what

    def wanted(self) -> str:
        """What to give, in words: ``a whole number of days, 0 to 31``."""
        noun = f"a whole number of {self.what}" if self.what else "a whole number"
        if self.low is not None and self.high is not None:
            return f"{noun}, {self.low} to {self.high}"
        if self.low is not None:
            return f"{noun}, {self.low} or more"
        if self.high is not None:
            return f"{noun}, {self.high} or less"
        return noun

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            if not _WHOLE.fullmatch(text):
                self.fail(f"{value!r} is not a number written in the digits 0-9: give {self.wanted()}", param, ctx)
            try:
                number = int(text)
            except ValueError:  # past Python's 4,300 digits
                self.fail(f"{text[:12]}... has {len(text):,} digits: give {self.wanted()}", param, ctx)
        if (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
            self.fail(f"{number} is out of range: give {self.wanted()}", param, ctx)
        return number

    def __repr__(self) -> str:
        return f"WholeNumber({self.low!r}, {self.high!r})"
