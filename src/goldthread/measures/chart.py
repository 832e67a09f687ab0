"""An indicator's trend as a chart: approved values per period, the baseline, the targets. One matplotlib figure,
drawn as SVG for the page and as PNG for documents, so both show the same thing.

Built on `matplotlib.figure.Figure` with an Agg canvas, never pyplot: pyplot keeps figures in global state, which a
web server shared by many requests must not. Text is drawn as DejaVu Sans glyph outlines (it ships with matplotlib),
so no font is needed where the chart is shown, and no text a user typed ever reaches the SVG as markup.
"""

import io
import math
import re
from itertools import count

from django.utils.html import escape
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from goldthread.measures.models import Indicator
from goldthread.measures.rollup import Series

SIZE = (7.5, 3.4)  # inches: a page column wide
PNG_DPI = 150
VALUE_COLOUR, TARGET_COLOUR, BASELINE_COLOUR = "#1b6f8a", "#a8591a", "#6b6f76"
MAX_TICKS = 12  # more period labels than this would overlap; every n-th is shown
ANCHOR_LENGTH = 28
# The page's Content-Security-Policy forbids inline styles, which matplotlib writes as `style="…"`; the same
# properties are valid SVG presentation attributes, so they are rewritten as such.
STYLE = re.compile(r' style="([^"]*)"')
STYLESHEET = re.compile(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", re.S)
REFERENCE = re.compile(r'(id="|url\(#|href="#)([^")]+)')


def _number(value: float) -> str:
    return f"{value:g}"


def describe(series: Series) -> str:
    """The chart in one sentence: its accessible name, and what a screen reader says instead of drawing it."""
    indicator = series.indicator
    grain = "fiscal year" if series.grain == "year" else "fiscal quarter"
    parts = [
        f"{p.period} {_number(p.value) if p.value is not None else 'no value'}"
        + (f" (target {_number(p.target)})" if p.target is not None else "")
        for p in series.points
    ]
    text = f"Trend of {indicator.code} in {indicator.unit}, {indicator.get_good_display().lower()}, by {grain}: "
    text += "; ".join(parts) if parts else "no approved values or targets yet"
    if indicator.baseline_value is not None:
        text += f". Baseline {_number(indicator.baseline_value)}"
    return text + "."


def _figure(series: Series) -> Figure:
    indicator = series.indicator
    figure = Figure(figsize=SIZE, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    points = series.points
    positions = list(range(len(points)))
    # A period without approved values is a gap in the line, not a zero.
    values = [p.value if p.value is not None else math.nan for p in points]
    if any(not math.isnan(v) for v in values):
        axes.plot(positions, values, marker="o", color=VALUE_COLOUR, linewidth=1.8, label="Approved value")
    targets = [(x, p.target) for x, p in zip(positions, points, strict=True) if p.target is not None]
    if targets:
        axes.scatter(
            [x for x, _ in targets],
            [t for _, t in targets],
            marker="D",
            s=46,
            facecolors="none",
            edgecolors=TARGET_COLOUR,
            linewidths=1.6,
            zorder=3,
            label="Target",
        )
    if indicator.baseline_value is not None:
        axes.axhline(
            indicator.baseline_value,
            linestyle="--",
            color=BASELINE_COLOUR,
            linewidth=1.2,
            label=f"Baseline {_number(indicator.baseline_value)}",
        )
    if not points:
        axes.text(
            0.5, 0.5, "No approved values or targets yet", transform=axes.transAxes, ha="center", parse_math=False
        )
        axes.set_xticks([])
    else:
        step = max(1, math.ceil(len(points) / MAX_TICKS))
        shown = positions[::step]
        axes.set_xticks(shown, [points[x].period for x in shown])
        axes.set_xlim(-0.5, len(points) - 0.5)
        if len(shown) > 6:
            for label in axes.get_xticklabels():
                label.set_rotation(30)
                label.set_horizontalalignment("right")
    if indicator.is_rating:
        anchors = sorted(indicator.anchors.items())
        axes.set_yticks([v for v, _ in anchors], [f"{_number(v)} {label}"[:ANCHOR_LENGTH] for v, label in anchors])
        axes.set_ylim(anchors[0][0] - 0.5, anchors[-1][0] + 0.5)
    better = "↑ higher is better" if indicator.good == Indicator.Good.HIGHER else "↓ lower is better"
    axes.set_ylabel(f"{indicator.unit} ({better})", parse_math=False)
    grain = "fiscal year" if series.grain == "year" else "fiscal quarter"
    axes.set_title(f"{indicator.code}: by {grain}, {better[2:]}", loc="left", parse_math=False)
    # What users typed is drawn as glyphs: a "$" in it must not switch matplotlib into mathematical notation.
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        label.set_parse_math(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.spines[["top", "right"]].set_visible(False)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="best", fontsize="small", frameon=False)
    return figure


def _attributes(match: re.Match) -> str:
    pairs = (item.split(":", 1) for item in match[1].split(";") if ":" in item)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def svg(series: Series) -> str:
    """The chart as an `<svg>` element to put inline in a page (role="img", named by `describe`). The same data
    gives the same bytes: no date, and ids numbered in document order instead of matplotlib's random ones."""
    buffer = io.StringIO()
    _figure(series).savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = STYLESHEET.sub("", text, count=1)
    text = STYLE.sub(_attributes, text)
    prefix = f"chart-{series.indicator.uid.hex[:8]}-"  # unique on a page that shows several charts
    numbers: dict[str, str] = {}
    numbering = count(1)
    text = REFERENCE.sub(
        lambda m: m[1] + numbers.setdefault(m[2], f"{prefix}{next(numbering)}"),
        text,
    )
    label = escape(describe(series))
    return text.replace(
        "<svg ",
        f'<svg role="img" aria-label="{label}" stroke-linejoin="round" stroke-linecap="butt" ',
        1,
    )


def png(series: Series) -> bytes:
    """The same chart as a PNG, for DOCX and PDF documents."""
    buffer = io.BytesIO()
    _figure(series).savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()
