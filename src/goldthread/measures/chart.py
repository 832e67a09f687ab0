"""An indicator's trend as a chart: approved values per period, the baseline, the targets. One matplotlib figure,
drawn as SVG for the page and as PNG for documents by `reports.figures`, so both show the same thing.
"""

import math

from matplotlib.figure import Figure

from goldthread.measures.models import Indicator
from goldthread.measures.rollup import Series
from goldthread.reports import figures

SIZE = (7.5, 3.4)  # inches: a page column wide
VALUE_COLOUR, TARGET_COLOUR, BASELINE_COLOUR = "#1b6f8a", "#a8591a", "#6b6f76"
MAX_TICKS = 12  # more period labels than this would overlap; every n-th is shown
ANCHOR_LENGTH = 28


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
    figure = figures.new(SIZE)
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


def svg(series: Series) -> str:
    """The chart as an `<svg>` element to put inline in a page (role="img", named by `describe`). The same data
    gives the same bytes."""
    prefix = f"chart-{series.indicator.uid.hex[:8]}-"  # unique on a page that shows several charts
    return figures.svg(_figure(series), label=describe(series), prefix=prefix)


def png(series: Series) -> bytes:
    """The same chart as a PNG, for DOCX and PDF documents."""
    return figures.png(_figure(series))
