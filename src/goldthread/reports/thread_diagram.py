"""The thread from strategy to events as an SVG diagram, drawn on the server so pages, PDFs and DOCX share it.

Layout: one row per objective level (national goals on top), events in a last row; within a row nodes keep the
order of their parents' positions so that edges cross as little as a simple barycentre pass allows.
"""

import textwrap
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from goldthread.core.catalogues import Level

NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN, LABEL_W = 210, 62, 18, 46, 16, 120
ROW_LABELS = {
    Level.NATIONAL: "National",
    Level.THEATER: "Theater",
    Level.IMO: "IMO",
    Level.COUNTRY: "Country / Army",
    Level.EVENT: "Event objective",
}
TYPE_COLOURS = {"REL": "#1b6f8a", "CAP": "#6b4c9a", "INT": "#2f7d32", "ACC": "#a8591a", "EVENT": "#444"}


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


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


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


def render(nodes: list[Node], *, title: str) -> str:
    if not nodes:
        return ""
    rows: dict[int, list[Node]] = {}
    for node in nodes:
        rows.setdefault(node.row, []).append(node)
    _order(rows)
    widest = max(len(r) for r in rows.values())
    width = LABEL_W + MARGIN * 2 + widest * (NODE_W + GAP_X) - GAP_X
    height = MARGIN * 2 + len(rows) * (NODE_H + GAP_Y) - GAP_Y
    centre_x: dict[str, float] = {}
    top_y: dict[str, float] = {}
    parts: list[str] = []
    for index, row in enumerate(sorted(rows)):
        y = MARGIN + index * (NODE_H + GAP_Y)
        label = ROW_LABELS.get(row, "Events")
        parts.append(
            f'<text x="{MARGIN}" y="{y + NODE_H / 2 + 4}" font-weight="600" fill="#555">{escape(label)}</text>'
        )
        row_width = len(rows[row]) * (NODE_W + GAP_X) - GAP_X
        x0 = LABEL_W + MARGIN + (width - LABEL_W - MARGIN * 2 - row_width) / 2
        for i, node in enumerate(rows[row]):
            x = x0 + i * (NODE_W + GAP_X)
            centre_x[node.key], top_y[node.key] = x + NODE_W / 2, y
            parts.append(_node(node, x, y))
    edges = []
    for node in nodes:
        for parent in node.parents:
            if parent in centre_x:
                x1, y1 = centre_x[parent], top_y[parent] + NODE_H
                x2, y2 = centre_x[node.key], top_y[node.key]
                mid = (y1 + y2) / 2
                edges.append(f'<path d="M{x1:.0f},{y1:.0f} C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2:.0f}"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="thread" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="thread-title">'
        f'<title id="thread-title">{escape(title)}</title>'
        # Presentation attributes, not a <style> element: the page's Content-Security-Policy allows no inline CSS.
        '<g font-family="sans-serif" font-size="12" fill="#111">'
        f'<g fill="none" stroke="#8a8f98" stroke-width="1.5">{"".join(edges)}</g>{"".join(parts)}</g></svg>'
    )


def _node(node: Node, x: float, y: float) -> str:
    colour = TYPE_COLOURS.get(node.colour_key, "#444")
    wrapped = textwrap.wrap(node.text, 30)
    lines = wrapped[:2]
    if len(wrapped) > 2:
        lines[-1] = lines[-1][:27] + "…"
    stroke = 3 if node.emphasis else 1.5
    body = (
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{NODE_W}" height="{NODE_H}" rx="6" fill="#fff" '
        f'stroke="{colour}" stroke-width="{stroke}"/>'
        f'<rect x="{x:.0f}" y="{y:.0f}" width="6" height="{NODE_H}" rx="2" fill="{colour}"/>'
        f'<text x="{x + 14:.0f}" y="{y + 18:.0f}" font-weight="700">{escape(node.title)}</text>'
        + "".join(
            f'<text x="{x + 14:.0f}" y="{y + 35 + i * 15:.0f}">{escape(line)}</text>' for i, line in enumerate(lines)
        )
    )
    group = f'<g class="node"><title>{escape(node.title)}: {escape(node.text)}</title>{body}</g>'
    return f'<a href="{_attr(node.href)}">{group}</a>' if node.href else group
