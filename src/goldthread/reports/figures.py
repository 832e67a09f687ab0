"""A matplotlib figure as inline SVG for pages and as PNG for documents, so both show the same thing.

Figures are built on `matplotlib.figure.Figure` with an Agg canvas (`new`), never pyplot: pyplot keeps figures in
global state, which a web server shared by many requests must not. Text is drawn as DejaVu Sans glyph outlines (it
ships with matplotlib), so no font is needed where the figure is shown, and no text a user typed ever reaches the
SVG as markup.
"""

import io
import re
from itertools import count

from django.utils.html import escape
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

PNG_DPI = 150
# The page's Content-Security-Policy forbids inline styles, which matplotlib writes as `style="…"`; the same
# properties are valid SVG presentation attributes, so they are rewritten as such.
STYLE = re.compile(r' style="([^"]*)"')
STYLESHEET = re.compile(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", re.S)
REFERENCE = re.compile(r'(id="|url\(#|href="#)([^")]+)')


def new(size: tuple[float, float], *, layout: str | None = "constrained") -> Figure:
    """An empty figure of `size` inches that can be saved without pyplot; `layout=None` leaves the margins to the
    caller."""
    figure = Figure(figsize=size, layout=layout)
    FigureCanvasAgg(figure)
    return figure


def _attributes(match: re.Match) -> str:
    pairs = (item.split(":", 1) for item in match[1].split(";") if ":" in item)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def svg(figure: Figure, *, label: str, prefix: str) -> str:
    """The figure as an `<svg>` element to put inline in a page, with role="img" and `label` as its accessible name.

    The same figure gives the same bytes: no date, and ids numbered in document order instead of matplotlib's random
    ones. `prefix` starts every id, so several figures on one page never share one.
    """
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = STYLESHEET.sub("", text, count=1)
    text = STYLE.sub(_attributes, text)
    numbers: dict[str, str] = {}
    numbering = count(1)
    text = REFERENCE.sub(lambda m: m[1] + numbers.setdefault(m[2], f"{prefix}{next(numbering)}"), text)
    # The stylesheet removed above set these two for every element.
    return text.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(label)}" stroke-linejoin="round" stroke-linecap="butt" ',
        1,
    )


def png(figure: Figure) -> bytes:
    """The same figure as a PNG, for DOCX and PDF documents: its size in inches at PNG_DPI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()
