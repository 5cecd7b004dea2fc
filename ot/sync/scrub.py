"""Secrets scrubbed from text a server sent back before it is stored in the ledger or printed.

A payroll API may echo the request in an error: the token, the ``Authorization``
header, an ``api_key=...`` query. :func:`scrub` replaces every known secret (and
its Basic-auth encoding) and every credential-shaped value with ``[redacted]``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable

__all__ = ["REDACTED", "scrub"]

REDACTED = "[redacted]"

_VALUE = r"[^\s'\",;&}]+"
_PATTERNS = (
    # Authorization: Basic xxx / "authorization": "Bearer xxx"
    re.compile(
        r"(?i)(\b(?:proxy-)?authorization\b['\"]?\s*[:=]\s*['\"]?(?:(?:basic|bearer|token)\s+)?)(" + _VALUE + ")"
    ),
    # api_key=xxx, "token": "xxx", password: xxx
    re.compile(
        r"(?i)(\b(?:x-api-key|api[-_]?key|apikey|access[-_]?token|auth[-_]?token|token|secret|password|passwd)\b"
        r"['\"]?\s*[:=]\s*['\"]?)(" + _VALUE + ")"
    ),
    # Bearer xxx, Basic xxx (a credential-shaped word after the scheme)
    re.compile(r"(?i)(\b(?:bearer|basic)\s+)([A-Za-z0-9._~+/=-]{8,})"),
)


def _forms(secret: str) -> list[str]:
    """A secret as a server may echo it: as is, and in HTTP Basic auth (``secret:``, base64)."""
    forms = [secret]
    for pair in (f"{secret}:", secret):
        forms.append(base64.b64encode(pair.encode()).decode())
    return forms


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every known secret and every credential-shaped value replaced by ``[redacted]``."""
    for secret in secrets:
        if len(secret) >= 4:
            for form in _forms(secret):
                text = text.replace(form, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED if m.group(2) != REDACTED else m.group(0), text)
    return text
