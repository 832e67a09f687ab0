"""What an evaluation report says for a country, an objective or a fiscal year: the findings, the contribution of
the events to the objectives in scope, data discipline, the portfolio, the pictures, and the recommendations that
follow from them. Gathered once, its independent sections side by side (core/threads.py); the document and the
workbook in reports/evaluation_document.py only lay it out."""

from dataclasses import dataclass, field

from goldthread.core.threads import concurrently
from goldthread.evaluation import contribution, discipline, findings, pictures, portfolio
from goldthread.evaluation.cache import per_state
from goldthread.evaluation.findings import Filters
from goldthread.events.models import fiscal_year as fiscal_year_of
from goldthread.strategy import selectors as strategy_selectors
from goldthread.strategy.models import Objective

# A report is read, not scrolled: the document lists this many findings of each kind (the workbook has them all,
# up to ROWS_IN_WORKBOOK) and analyses the contribution to this many objectives, the most claimed first.
FINDINGS_IN_DOCUMENT = 15
ROWS_IN_WORKBOOK = 50_000
OBJECTIVES_ANALYSED = 8
CANDIDATES = 100  # the most claimed objectives looked at to find those
WEAK_DISCIPLINE = 60  # a unit scoring below this gets a recommendation


@dataclass
class KindFindings:
    kind: findings.Kind
    count: int
    shown: list[findings.Finding]


@dataclass
class Evaluation:
    title: str
    scope: str  # in words, for the first page
    filename: str
    filters: Filters
    findings: list[KindFindings]
    contributions: list[contribution.Contribution]
    discipline: list[discipline.Line]
    years: list[int]
    portfolio: list[portfolio.Row]
    figures: list[tuple[bytes, str]]  # (PNG, description) of each picture; none for the workbook
    recommendations: list[str] = field(default_factory=list)


def _scope(f: Filters) -> tuple[str, str, str]:
    """(title, scope in words, file name) of a report on these filters."""
    if f.objective:
        return f"Evaluation of {f.objective.code}", f.objective.statement, f"evaluation-{f.objective.code}"
    parts = [f.country.name if f.country else "the theater", f"FY{f.fiscal_year}" if f.fiscal_year else "all years"]
    name = "-".join([f.country.iso3 if f.country else "theater"] + ([f"FY{f.fiscal_year}"] if f.fiscal_year else []))
    return f"Evaluation of {', '.join(parts)}", f"Events and objectives of {' in '.join(parts)}.", f"evaluation-{name}"


@per_state
def _analysed(f: Filters) -> list[Objective]:
    """The objectives whose contribution the report analyses: the one asked for, or the most claimed in scope,
    leaving out any above or below one taken already: an analysis covers the claims on the objectives below it, so
    both would show the same claims twice."""
    if f.objective:
        return [f.objective]
    in_scope = set(findings.objectives_in(f).values_list("pk", flat=True))
    ranked = contribution.most_claimed(f, CANDIDATES, among=in_scope)
    parents: dict[int, list[int]] = {}
    for parent, child in strategy_selectors.ancestor_edges(*(o.pk for o in ranked))[1]:
        parents.setdefault(child, []).append(parent)
    taken: list[tuple[Objective, set[int]]] = []  # each with itself and the objectives above it
    for objective in ranked:
        line = set(contribution.reach(objective.pk, parents))
        if not any(other.pk in line or objective.pk in above for other, above in taken):
            taken.append((objective, line))
            if len(taken) == OBJECTIVES_ANALYSED:
                break
    return [objective for objective, _ in taken]


def _recommendations(ev: Evaluation) -> list[str]:
    said = [f"{k.kind.title}: {k.count}. {k.kind.fix}" for k in ev.findings if k.count]
    for row in ev.portfolio:
        for quarter, n in row.saturated:
            said.append(
                f"{row.country.name} had {n} events starting in {quarter} against a capacity of "
                f"{row.standing.absorptive_capacity} a quarter: spread them out, or review the capacity."
            )
        if row.standing and row.standing.priority == 1 and not row.events:
            said.append(f"{row.country.name} is a critical priority and no event is planned or held there in scope.")
    for c in ev.contributions:
        against, held = c.verdicts.get("against", 0), c.verdicts.get("as-claimed", 0)
        if against > held:
            said.append(
                f"{c.objective.code}: its indicators moved against the claims more often ({against}) than with "
                f"them ({held}); review the logic from its events to the objective."
            )
        if c.verdicts.get("untestable"):
            said.append(f"{c.objective.code}: claims on it can never be tested; define a measure of effectiveness.")
    for line in ev.discipline:
        if line.score is not None and line.score < WEAK_DISCIPLINE:
            weakest = min(
                ((key, t) for key, t in line.tallies.items() if t.due), key=lambda item: item[1].rate, default=None
            )
            detail = ""
            if weakest:
                label = dict(discipline.MEASURES)[weakest[0]].lower()
                detail = f"; weakest: {label}, {weakest[1].done} of {weakest[1].due}"
            said.append(f"{line.unit.short_name}: data discipline {line.score:.0f} of 100{detail}.")
    return said


def _findings(f: Filters, shown: int) -> list[KindFindings]:
    counts, first = findings.counts(f), findings.first(f, shown)
    return [KindFindings(k, counts[k.key], first[k.key]) for k in findings.KINDS]


def gather(f: Filters, *, findings_shown: int = FINDINGS_IN_DOCUMENT, drawn: bool = True) -> Evaluation:
    """The report on `f`; `drawn` says whether it carries its pictures (a document does, the workbook not)."""
    title, scope, filename = _scope(f)
    current = fiscal_year_of(f.today)
    years = [f.fiscal_year] if f.fiscal_year else list(range(current - 4, current + 1))
    analysed = _analysed(f)
    # The longest parts first, so that no thread is left with a long one at the end. The heat map counts the
    # portfolio's mix, which the portfolio section then reads as kept.
    drawings = [lambda kind=kind: pictures.for_document(kind, f) for kind in pictures.of_scope(f)] if drawn else []
    lines, found, *rest = concurrently(
        lambda: discipline.lines(
            on=f.today, fiscal_years=years, units=set(f.unit_ids) or None, country=f.country and f.country.pk
        ),
        lambda: _findings(f, findings_shown),
        *drawings,
        *[lambda o=o: contribution.analyse(o, today=f.today) for o in analysed],
    )
    figures, contributions = rest[: len(drawings)], rest[len(drawings) :]
    ev = Evaluation(
        title=title,
        scope=scope,
        filename=filename,
        filters=f,
        findings=found,
        contributions=contributions,
        discipline=lines,
        years=years,
        portfolio=[row for row in portfolio.rows(f) if row.events or row.standing],
        figures=figures,
    )
    ev.recommendations = _recommendations(ev)
    return ev
