"""The HTML pay stub: one self-contained document.

Inline CSS only: no script, no external stylesheet, font, image or link, so the
file opens the same offline, in a mail client or archived for years. Every
value is escaped (``html.escape`` with quotes), including the employer's and
the worker's names. The output is deterministic: the same stub gives the same
bytes.
"""

from __future__ import annotations

from html import escape

from ot.stubs.layout import Layout, Table, layout
from ot.stubs.model import PayStub

CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1a1a1a;
       margin: 2em auto; max-width: 52em; padding: 0 1em; }
header { border-bottom: 2px solid #1a1a1a; margin-bottom: 1em; }
h1 { font-size: 1.1em; letter-spacing: 0.1em; margin: 0 0 0.4em 0; }
.employer { margin: 0 0 0.8em 0; }
.employer .name { font-weight: bold; font-size: 1.2em; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; margin: 0 0 1em 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
section { margin: 1.2em 0; }
h2 { font-size: 1em; border-bottom: 1px solid #999; padding-bottom: 0.2em; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { border-bottom: 1px solid #999; }
td.num, th.num { text-align: right; white-space: nowrap; }
tfoot td { border-top: 1px solid #999; font-weight: bold; }
p.empty, p.legend, .notes { color: #555; font-size: 0.9em; }
.paid { display: flex; justify-content: space-between; font-weight: bold; margin-top: 0.3em; }
.gross { display: flex; justify-content: space-between; font-weight: bold; font-size: 1.2em;
         border-top: 2px solid #1a1a1a; border-bottom: 2px solid #1a1a1a; padding: 0.4em 0; }
""".strip()


def _e(text: str) -> str:
    return escape(text, quote=True)


def _cell(tag: str, text: str, align: str) -> str:
    klass = ' class="num"' if align == "right" else ""
    return f"<{tag}{klass}>{_e(text)}</{tag}>"


def _table(table: Table) -> list[str]:
    out = [f'<section class="{_e(table.key)}">', f"<h2>{_e(table.title)}</h2>"]
    if not table.rows:
        out.append(f'<p class="empty">{_e(table.empty)}</p>')
        out.append("</section>")
        return out
    out.append("<table>")
    out.append("<thead><tr>" + "".join(_cell("th", c.title, c.align) for c in table.columns) + "</tr></thead>")
    out.append("<tbody>")
    for row in table.rows:
        out.append("<tr>" + "".join(_cell("td", v, c.align) for v, c in zip(row, table.columns, strict=True)) + "</tr>")
    out.append("</tbody>")
    if table.totals:
        out.append("<tfoot>")
        for row in table.totals:
            cells = "".join(_cell("td", v, c.align) for v, c in zip(row, table.columns, strict=True))
            out.append(f"<tr>{cells}</tr>")
        out.append("</tfoot>")
    out.append("</table>")
    out.extend(f'<p class="legend">{_e(remark)}</p>' for remark in table.legend)
    out.append("</section>")
    return out


def render_layout(doc: Layout) -> str:
    """The HTML of a laid-out stub."""
    name, *address = doc.employer
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(doc.file_title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(doc.title)}</h1>",
        '<div class="employer">',
        f'<div class="name">{_e(name)}</div>',
        *(f'<div class="address">{_e(line)}</div>' for line in address),
        "</div>",
        '<dl class="facts">',
        *(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in doc.facts),
        "</dl>",
        "</header>",
        "<main>",
    ]
    for table in doc.tables:
        out.extend(_table(table))
    label, value = doc.gross
    out.append(f'<div class="gross"><span>{_e(label)}</span><span>{_e(value)}</span></div>')
    if doc.paid is not None:
        label, value = doc.paid
        out.append(f'<div class="paid"><span>{_e(label)}</span><span>{_e(value)}</span></div>')
    out.append("</main>")
    out.append('<footer class="notes">')
    out.extend(f"<p>{_e(note)}</p>" for note in doc.notes)
    out.append("</footer>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def render_html(stub: PayStub) -> str:
    """The pay stub as a self-contained HTML document."""
    return render_layout(layout(stub))
