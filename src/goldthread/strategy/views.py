"""Pages for the objective graph: the tree browser and one objective with its thread."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from goldthread.core import selectors as core_selectors
from goldthread.core.catalogues import Level, ObjectiveType
from goldthread.events import selectors as event_selectors
from goldthread.measures import rollup
from goldthread.measures import selectors as measure_selectors
from goldthread.reports import thread_diagram
from goldthread.strategy import selectors
from goldthread.strategy.models import Country
from goldthread.web import tables


def diagram(thread: selectors.Thread, *, emphasis: set[int], events: list | None = None, title: str) -> str:
    """The SVG of a thread; `events` are (event, [objective ids it claims]) drawn in a last row."""
    return thread_diagram.render(thread_diagram.thread_nodes(thread, emphasis=emphasis, events=events), title=title)


def _with_change(assessments: list) -> list[tuple]:
    """Each assessment with how its rating moved since the one before: the objective's trend, read down the list."""
    found, before = [], None
    for a in assessments:
        change = "" if before is None else ("up" if a.rating > before else "down" if a.rating < before else "same")
        found.append((a, change))
        before = a.rating
    return found


def _line_above(thread: selectors.Thread, objective_id: int) -> list:
    """The objectives above one, top first, through its first parent at each step: the graph may give an objective
    several parents, a breadcrumb shows one line of them."""
    line, seen = [], {objective_id}
    parents = thread.parents_of(objective_id)
    while parents and parents[0].pk not in seen:
        line.append(parents[0])
        seen.add(parents[0].pk)
        parents = thread.parents_of(parents[0].pk)
    return line[::-1]


@login_required
def objective_tree(request: HttpRequest) -> HttpResponse:
    roots, children = selectors.objective_tree()
    return render(
        request,
        "strategy/objective_tree.html",
        {"roots": roots, "children": children, "claim_counts": event_selectors.claim_counts()},
    )


OBJECTIVE_TABLE = tables.Table(
    name="objectives",
    url_name="objective-list",
    # The order in which objective_list.html renders the cells.
    columns=(
        tables.Column("code", "Code", sort=("code",), required=True),
        tables.Column("level", "Level", sort=("level",)),
        tables.Column("type", "Type", sort=("primary_type",)),
        tables.Column("statement", "Statement", sort=("statement",)),
        tables.Column("country", "Country", sort=("country__name",), empty_last=True),
    ),
    default_sort="level",
    tie_break=("code",),
    page_size=100,
    choosable=False,
)


@login_required
def objective_list(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level")
    filters = {
        "level": int(level) if level in {str(v) for v in Level.values} else None,
        "country": (request.GET.get("country") or "").replace("\x00", "")[:3] or None,
        "objective_type": request.GET.get("type") if request.GET.get("type") in ObjectiveType.values else None,
        "q": (request.GET.get("q") or "").replace("\x00", "")[:100] or None,
    }
    table = OBJECTIVE_TABLE.bind(request, selectors.objectives(**filters))
    return render(
        request,
        "strategy/objective_list.html",
        {
            "table": table,
            "page": table.page,
            "filtered": any(filters.values()),
            "levels": Level.choices,
            "types": ObjectiveType.choices,
            "countries": Country.objects.filter(in_aor=True),
            "params": request.GET,
            "may_add": request.user.has_perm("strategy.add_objective"),
        },
    )


# An objective high in the graph has thousands of indicators below it: the page lists the first, and counts them.
INDICATORS_SHOWN = 50


@login_required
def objective_detail(request: HttpRequest, uid: str) -> HttpResponse:
    objective = get_object_or_404(selectors.objectives(), uid=uid)
    # Drawn: everything above and one level below; deeper descendants are counted, not drawn.
    thread = selectors.thread({objective.pk}, up=True)
    children = sorted(objective.children.select_related("country"), key=lambda o: o.code)
    for child in children:
        thread.objectives[child.pk] = child
        thread.edges.add((objective.pk, child.pk))
    ancestors = selectors.ancestor_ids(objective.pk)
    below = selectors.descendant_ids(objective.pk)
    serving = event_selectors.serving(objective, limit=25, below=below)
    indicators = rollup.for_objective(objective.pk, limit=INDICATORS_SHOWN, below=below)
    return render(
        request,
        "strategy/objective_detail.html",
        {
            "objective": objective,
            "parents": thread.parents_of(objective.pk),
            "chain": _line_above(thread, objective.pk),
            "children": children,
            "ancestors": sorted((thread.objectives[i] for i in ancestors), key=lambda o: (o.level, o.code)),
            "descendant_count": len(below),
            "serving": serving,
            "history": core_selectors.audit_entries(objects=[objective.uid])[:20],
            "indicators": indicators,
            "indicator_count": len(indicators)
            if len(indicators) < INDICATORS_SHOWN
            else rollup.bound_below(objective.pk, below).count(),
            "assessments": _with_change(list(measure_selectors.history(objective))),
            "svg": diagram(thread, emphasis={objective.pk}, title=f"The thread of {objective.code}"),
        },
    )
