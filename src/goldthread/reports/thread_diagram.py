"""The thread from strategy to events as a diagram: one layout, drawn as SVG for pages and as PNG for documents.

Layout: one row per objective level (national goals on top), events in a last row; within a row nodes keep the
order of their parents' positions so that edges cross as little as a simple barycentre pass allows.
"""

import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

from goldthread.core.catalogues import Level
from goldthread.strategy.selectors import Thread

NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN, LABEL_W = 210, 62, 18, 46, 16, 120
ROW_LABELS = {
    Level.NATIONAL: "National",
    Level.THEATER: "Theater",
    Level.IMO: "IMO",
    Level.COUNTRY: "Country / Army",
    Level.EVENT: "Event objective",
}
TYPE_COLOURS = {"REL": "#1b6f8a", "CAP": "#6b4c9a", "INT": "#2f7d32", "ACC": "#a8591a", "EVENT": "#444"}
EDGE_COLOUR, LABEL_COLOUR, TEXT_COLOUR = "#8a8f98", "#555", "#111"
# The Bitstream Vera faces ship with reportlab, so documents look the same on every machine without system fonts.
FONTS = Path(reportlab.__file__).parent / "fonts"


@dataclass
class Node:
    key: str
    title: str
    text: str
    row: int
    colour_key: str
    href: str = ""
    emphasis: bool = False
    parents: list[str] = field(default_factory=list)

    @property
    def colour(self) -> str:
        return TYPE_COLOURS.get(self.colour_key, "#444")

    @property
    def lines(self) -> list[str]:
        wrapped = textwrap.wrap(self.text, 30)
        lines = wrapped[:2]
        if len(wrapped) > 2:
            lines[-1] = lines[-1][:27] + "…"
        return lines


def thread_nodes(thread: Thread, *, emphasis: set[int], events: list | None = None, links: bool = True) -> list[Node]:
    """The nodes of a thread; `events` are (event, [objective ids it claims]) drawn in a last row."""
    nodes = [
        Node(
            key=f"o{o.pk}",
            title=o.code,
            text=o.statement,
            row=o.level,
            colour_key=o.primary_type,
            href=reverse("objective", args=[o.uid]) if links else "",
            emphasis=o.pk in emphasis,
            parents=[f"o{p.pk}" for p in thread.parents_of(o.pk)],
        )
        for o in thread.objectives.values()
    ]
    for event, objective_ids in events or []:
        nodes.append(
            Node(
                key=f"e{event.pk}",
                title=event.code,
                text=event.name,
                row=len(Level.values),
                colour_key="EVENT",
                href=reverse("event", args=[event.uid]) if links else "",
                emphasis=True,
                parents=[f"o{i}" for i in objective_ids if i in thread.objectives],
            )
        )
    return nodes


@dataclass
class Layout:
    width: float
    height: float
    labels: list[tuple[str, float]]  # (row label, top of the row)
    placed: list[tuple[Node, float, float]]  # (node, left, top)
    edges: list[tuple[float, float, float, float]]  # bottom centre of the parent to top centre of the child


def _order(rows: dict[int, list[Node]]) -> None:
    """Sort each row by the mean position of its nodes' parents in the row above (barycentre heuristic)."""
    position: dict[str, float] = {}
    for row in sorted(rows):
        nodes = rows[row]

        def centre(node: Node) -> tuple[float, str]:
            known = [position[p] for p in node.parents if p in position]
            return (sum(known) / len(known) if known else 0.0, node.title)

        nodes.sort(key=centre)
        for i, node in enumerate(nodes):
            position[node.key] = i - (len(nodes) - 1) / 2


def layout(nodes: list[Node]) -> Layout:
    rows: dict[int, list[Node]] = {}
    for node in nodes:
        rows.setdefault(node.row, []).append(node)
    _order(rows)
    widest = max(len(r) for r in rows.values())
    width = LABEL_W + MARGIN * 2 + widest * (NODE_W + GAP_X) - GAP_X
    height = MARGIN * 2 + len(rows) * (NODE_H + GAP_Y) - GAP_Y
    result = Layout(width=width, height=height, labels=[], placed=[], edges=[])
    where: dict[str, tuple[float, float]] = {}
    for index, row in enumerate(sorted(rows)):
        y = MARGIN + index * (NODE_H + GAP_Y)
        result.labels.append((ROW_LABELS.get(row, "Events"), y))
        row_width = len(rows[row]) * (NODE_W + GAP_X) - GAP_X
        x0 = LABEL_W + MARGIN + (width - LABEL_W - MARGIN * 2 - row_width) / 2
        for i, node in enumerate(rows[row]):
            x = x0 + i * (NODE_W + GAP_X)
            where[node.key] = (x, y)
            result.placed.append((node, x, y))
    for node in nodes:
        for parent in node.parents:
            if parent in where:
                (px, py), (cx, cy) = where[parent], where[node.key]
                result.edges.append((px + NODE_W / 2, py + NODE_H, cx + NODE_W / 2, cy))
    return result


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def render(nodes: list[Node], *, title: str) -> str:
    """The diagram as inline SVG, each node a link to its page."""
    if not nodes:
        return ""
    drawn = layout(nodes)
    parts = [
        f'<text x="{MARGIN}" y="{y + NODE_H / 2 + 4}" font-weight="600" fill="{LABEL_COLOUR}">{escape(label)}</text>'
        for label, y in drawn.labels
    ]
    parts += [_svg_node(node, x, y) for node, x, y in drawn.placed]
    edges = "".join(
        f'<path d="M{x1:.0f},{y1:.0f} C{x1:.0f},{(y1 + y2) / 2:.0f} {x2:.0f},{(y1 + y2) / 2:.0f} {x2:.0f},{y2:.0f}"/>'
        for x1, y1, x2, y2 in drawn.edges
    )
    return (
        # A group, not an image: its nodes are links, and what an image holds is hidden from assistive technology.
        f'<svg xmlns="http://www.w3.org/2000/svg" class="thread" viewBox="0 0 {drawn.width:.0f} {drawn.height:.0f}" '
        f'width="{drawn.width:.0f}" height="{drawn.height:.0f}" role="group" aria-labelledby="thread-title">'
        f'<title id="thread-title">{escape(title)}</title>'
        # Presentation attributes, not a <style> element: the page's Content-Security-Policy allows no inline CSS.
        f'<g font-family="sans-serif" font-size="12" fill="{TEXT_COLOUR}">'
        f'<g fill="none" stroke="{EDGE_COLOUR}" stroke-width="1.5">{edges}</g>{"".join(parts)}</g></svg>'
    )


def _svg_node(node: Node, x: float, y: float) -> str:
    stroke = 3 if node.emphasis else 1.5
    body = (
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{NODE_W}" height="{NODE_H}" rx="6" fill="#fff" '
        f'stroke="{node.colour}" stroke-width="{stroke}"/>'
        f'<rect x="{x:.0f}" y="{y:.0f}" width="6" height="{NODE_H}" rx="2" fill="{node.colour}"/>'
        f'<text x="{x + 14:.0f}" y="{y + 18:.0f}" font-weight="700">{escape(node.title)}</text>'
        + "".join(
            f'<text x="{x + 14:.0f}" y="{y + 35 + i * 15:.0f}">{escape(line)}</text>'
            for i, line in enumerate(node.lines)
        )
    )
    group = f'<g class="node"><title>{escape(node.title)}: {escape(node.text)}</title>{body}</g>'
    return f'<a href="{_attr(node.href)}">{group}</a>' if node.href else group


def png(nodes: list[Node], *, scale: int = 2) -> bytes:
    """The diagram as a PNG, for Word and PDF documents; `scale` pixels per SVG unit keep it sharp in print."""
    drawn = layout(nodes)
    image = Image.new("RGB", (int(drawn.width * scale), int(drawn.height * scale)), "white")
    pen = ImageDraw.Draw(image)
    regular = ImageFont.truetype(str(FONTS / "Vera.ttf"), 11 * scale)
    bold = ImageFont.truetype(str(FONTS / "VeraBd.ttf"), 11 * scale)

    def at(*values: float) -> list[float]:
        return [v * scale for v in values]

    for x1, y1, x2, y2 in drawn.edges:
        mid = (y1 + y2) / 2
        steps = [t / 16 for t in range(17)]
        curve = [
            # A cubic Bézier with both control points at mid-height, as the SVG path draws it.
            (
                (1 - t) ** 3 * x1 + 3 * (1 - t) ** 2 * t * x1 + 3 * (1 - t) * t**2 * x2 + t**3 * x2,
                (1 - t) ** 3 * y1 + 3 * (1 - t) ** 2 * t * mid + 3 * (1 - t) * t**2 * mid + t**3 * y2,
            )
            for t in steps
        ]
        pen.line([(x * scale, y * scale) for x, y in curve], fill=EDGE_COLOUR, width=max(1, int(1.5 * scale)))
    for label, y in drawn.labels:
        pen.text(at(MARGIN, y + NODE_H / 2 - 7), label, fill=LABEL_COLOUR, font=bold)
    for node, x, y in drawn.placed:
        width = int((3 if node.emphasis else 1.5) * scale)
        pen.rounded_rectangle(
            at(x, y, x + NODE_W, y + NODE_H), 6 * scale, fill="white", outline=node.colour, width=width
        )
        pen.rectangle(at(x, y, x + 6, y + NODE_H), fill=node.colour)
        pen.text(at(x + 14, y + 7), node.title, fill=TEXT_COLOUR, font=bold)
        for i, line in enumerate(node.lines):
            pen.text(at(x + 14, y + 24 + i * 15), line, fill=TEXT_COLOUR, font=regular)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
