"""Reads over the objective graph. Walks go level by level: at most one query per step, whatever the graph's
size."""

from array import array
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from goldthread.core.errors import DomainError
from goldthread.core.identifiers import is_uuid
from goldthread.evaluation.cache import per_exact_state
from goldthread.strategy.models import Country, Objective, ObjectiveLink, Organization, Plan

# A step from more objectives than this goes by every link: listing tens of thousands of ids in a query costs more
# than reading the whole table of links. The links are kept per state of the data, as reading them takes longer than
# the rest of such a walk.
MANY_IDS = 2_000


@per_exact_state
def _every_link() -> tuple[array, array]:
    """Every link's parent and child, in two arrays: kept as two objects, which the store sizes at once, where a
    list of pairs would take it longer to size than to read."""
    pairs = ObjectiveLink.objects.values_list("parent_id", "child_id")
    parents, children = array("q"), array("q")
    for parent_id, child_id in pairs:
        parents.append(parent_id)
        children.append(child_id)
    return parents, children


def _walk(start: set[int], *, up: bool) -> tuple[set[int], set[tuple[int, int]]]:
    """Objective ids reachable from `start` (excluded) going up to parents or down to children, and the edges."""
    seen: set[int] = set()
    edges: set[tuple[int, int]] = set()
    frontier = set(start)
    while frontier:
        if len(frontier) > MANY_IDS:
            step = [(p, c) for p, c in zip(*_every_link(), strict=True) if (c if up else p) in frontier]
        else:
            column = "child__id__among" if up else "parent__id__among"
            step = ObjectiveLink.objects.filter(**{column: frontier}).values_list("parent_id", "child_id")
        nxt = set()
        for parent_id, child_id in step:
            edges.add((parent_id, child_id))
            reached = parent_id if up else child_id
            if reached not in seen and reached not in start:
                nxt.add(reached)
        seen |= nxt
        frontier = nxt
    return seen, edges


def ancestor_ids(*objective_ids: int) -> set[int]:
    return _walk(set(objective_ids), up=True)[0]


def descendant_ids(*objective_ids: int) -> set[int]:
    return _walk(set(objective_ids), up=False)[0]


def ancestor_edges(*objective_ids: int) -> tuple[set[int], set[tuple[int, int]]]:
    """The ids above these objectives, and the parent→child links from them up."""
    return _walk(set(objective_ids), up=True)


def descendant_edges(objective_id: int) -> tuple[set[int], set[tuple[int, int]]]:
    """The ids below an objective, and the parent→child links from it down."""
    return _walk({objective_id}, up=False)


def in_order(ids: set[int]) -> list[int]:
    """`ids` by level and code, the order objectives are listed in; past MANY_IDS picked from every objective in that
    order, kept per state of the data as a walk's links are."""
    if len(ids) > MANY_IDS:
        return [pk for pk in _every_objective_in_order() if pk in ids]
    return _by_level_and_code(Objective.objects.filter(pk__among=ids))


@per_exact_state
def _every_objective_in_order() -> array:
    return array("q", _by_level_and_code(Objective.objects.all()))


def _by_level_and_code(objectives: QuerySet[Objective]) -> list[int]:
    # Sorted here: the same order on both databases, whatever their collation.
    rows = objectives.order_by().values_list("pk", "level", "code")
    return [pk for pk, _, _ in sorted(rows, key=lambda row: row[1:])]


def piece(ids: list[int], edges: set[tuple[int, int]]) -> "Thread":
    """The objectives `ids` and their parents, with the links among `edges` to them: enough to draw `ids`."""
    wanted = set(ids)
    kept = {(parent, child) for parent, child in edges if child in wanted}
    objectives = Objective.objects.in_bulk({*ids, *(parent for parent, _ in kept)})
    return Thread(objectives=objectives, edges=kept)


@dataclass
class Thread:
    """A piece of the objective graph: its objectives by id and its parent→child edges."""

    objectives: dict[int, Objective] = field(default_factory=dict)
    edges: set[tuple[int, int]] = field(default_factory=set)

    def by_level(self) -> list[tuple[int, list[Objective]]]:
        levels: dict[int, list[Objective]] = {}
        for objective in sorted(self.objectives.values(), key=lambda o: (o.level, o.code)):
            levels.setdefault(objective.level, []).append(objective)
        return sorted(levels.items())

    def parents_of(self, objective_id: int) -> list[Objective]:
        return sorted((self.objectives[p] for p, c in self.edges if c == objective_id), key=lambda o: o.code)

    def parents(self) -> dict[int, list[Objective]]:
        """Every objective's parents, by code, from one pass over the edges (`parents_of` passes over them all for
        one objective)."""
        found: dict[int, list[Objective]] = {}
        for parent_id, child_id in self.edges:
            found.setdefault(child_id, []).append(self.objectives[parent_id])
        return {child_id: sorted(parents, key=lambda o: o.code) for child_id, parents in found.items()}


def thread(start_ids: set[int], *, up: bool = True, down: bool = False) -> Thread:
    """The objectives in `start_ids` with everything above (and, if asked, below) them."""
    ids, edges = set(start_ids), set()
    if up:
        found, walked = _walk(start_ids, up=True)
        ids |= found
        edges |= walked
    if down:
        found, walked = _walk(start_ids, up=False)
        ids |= found
        edges |= walked
    objectives = Objective.objects.select_related("country", "owner", "plan").in_bulk(ids)
    return Thread(objectives=objectives, edges=edges)


def objectives(
    *,
    level: int | None = None,
    country: str | None = None,
    objective_type: str | None = None,
    q: str | None = None,
    plan: str | None = None,
) -> QuerySet[Objective]:
    query = Objective.objects.select_related("country", "owner", "plan")
    if level is not None:
        query = query.filter(level=level)
    if country:
        query = query.filter(country__iso3=country.upper())
    if objective_type:
        # Cast: JSON containment is not portable to SQLite, but the JSON text is, on both engines.
        query = query.annotate(secondary_text=Cast("secondary_types", TextField())).filter(
            Q(primary_type=objective_type) | Q(secondary_text__contains=f'"{objective_type}"')
        )
    if plan:
        query = query.filter(plan__uid=plan)
    if q:
        query = query.filter(Q(code__icontains=q) | Q(statement__icontains=q))
    return query


def objective_tree() -> tuple[list[Objective], dict[int, list[Objective]]]:
    """Roots (objectives with no parent) and each objective's children, for the tree browser."""
    everything = Objective.objects.select_related("country").in_bulk()
    children: dict[int, list[Objective]] = {}
    has_parent = set()
    for parent_id, child_id in ObjectiveLink.objects.values_list("parent_id", "child_id"):
        children.setdefault(parent_id, []).append(everything[child_id])
        has_parent.add(child_id)
    for kids in children.values():
        kids.sort(key=lambda o: o.code)
    roots = sorted((o for o in everything.values() if o.pk not in has_parent), key=lambda o: (o.level, o.code))
    return roots, children


def countries(*, in_aor: bool | None = None) -> QuerySet[Country]:
    query = Country.objects.prefetch_related("constraints")
    return query.filter(in_aor=in_aor) if in_aor is not None else query


def organizations(*, echelon: str | None = None, country: str | None = None) -> QuerySet[Organization]:
    query = Organization.objects.select_related("parent", "country")
    if echelon:
        query = query.filter(echelon=echelon)
    if country:
        query = query.filter(country__iso3=country.upper())
    return query


def plans() -> QuerySet[Plan]:
    return Plan.objects.select_related("owner", "country")


def resolve_countries(codes: list[str], field: str = "countries") -> list[Country]:
    """Countries by ISO alpha-3 code, in the order given; an unknown code is an input error naming it."""
    found = {c.iso3: c for c in Country.objects.filter(iso3__in=[c.upper() for c in codes])}
    missing = [c for c in codes if c.upper() not in found]
    if missing:
        raise DomainError.on(field, f"Unknown country code(s): {', '.join(missing)}.")
    return [found[c.upper()] for c in codes]


def resolve_organizations(names: list[str], field: str) -> list[Organization]:
    found = {o.short_name: o for o in Organization.objects.filter(short_name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise DomainError.on(field, f"Unknown organization(s): {', '.join(missing)}.")
    return [found[n] for n in names]


def resolve_objective(reference: str, field: str = "objective") -> Objective:
    """An objective by uid or by code."""
    query = Objective.objects.filter(code=reference)
    if is_uuid(reference):
        query = Objective.objects.filter(Q(uid=reference) | Q(code=reference))
    objective = query.first()
    if objective is None:
        raise DomainError.on(field, f"No objective {reference}.")
    return objective


def resolve_plan(uid: str, field: str = "plan") -> Plan:
    plan = Plan.objects.filter(uid=uid).first() if is_uuid(uid) else None
    if plan is None:
        raise DomainError.on(field, f"No plan {uid}.")
    return plan
