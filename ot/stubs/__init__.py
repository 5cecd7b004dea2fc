"""Pay stub previews: the :class:`~ot.stubs.model.PayStub` record and its renderers.

``render(stub, fmt)`` gives the bytes of one format: ``text`` (80 columns,
UTF-8), ``html`` (self-contained, UTF-8) or ``pdf`` (fpdf2).
"""

from __future__ import annotations

from ot.stubs.model import PayStub

FORMATS: tuple[str, ...] = ("text", "html", "pdf")
EXTENSIONS: dict[str, str] = {"text": "txt", "html": "html", "pdf": "pdf"}


def render(stub: PayStub, fmt: str) -> bytes:
    """The stub in format ``fmt`` as bytes (text and HTML in UTF-8)."""
    if fmt == "text":
        from ot.stubs.text import render_text

        return render_text(stub).encode("utf-8")
    if fmt == "html":
        from ot.stubs.html import render_html

        return render_html(stub).encode("utf-8")
    if fmt == "pdf":
        from ot.stubs.pdf import render_pdf

        return render_pdf(stub)
    raise ValueError(f"unknown stub format {fmt!r}: use one of {', '.join(FORMATS)}")
