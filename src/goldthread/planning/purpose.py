"""The purpose block: why an event happens, in the words an order carries down to the executing unit (ORD-1).

Built from the event's contribution claims and the objectives above them, the country constraints in force at the
event's dates, and what the unit must observe and report: the claims' indicators and the event's collection tasks
(measures.selectors.tasks). An issued order keeps the block as it was (`as_dict`).
"""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from goldthread.core.catalogues import Level, ObjectiveType
from goldthread.events.models import ContributionClaim, Event
from goldthread.measures import selectors as measures
from goldthread.planning.selectors import themes_for
from goldthread.strategy import selectors as strategy_selectors
from goldthread.strategy.models import CountryConstraint

AAR_DUE_DAYS = 30  # after the event ends


@dataclass
class Served:
    role: str
    objective_type: str
    code: str
    statement: str
    chain: list[str]  # "CODE statement" from this objective's parent up to the national goal
    expected_change: str
    indicator: str
    direction: str
    time_lag_months: int
    assumptions: str


@dataclass
class PurposeBlock:
    event: str
    served: list[Served] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    observe: list[str] = field(default_factory=list)
    themes: list[dict] = field(default_factory=list)  # title, audience, talking_points, sensitivities
    aar_due: date | None = None

    @property
    def objective_types(self) -> list[str]:
        return sorted({s.objective_type for s in self.served}, key=ObjectiveType.values.index)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["aar_due"] = self.aar_due.isoformat() if self.aar_due else None
        return data

    def as_text(self) -> str:
        """The purpose paragraph for an order, in plain text."""
        if not self.served:
            return "PURPOSE. This event claims no objective yet; it cannot be tasked (ORD-1)."
        lines = [
            f"PURPOSE. {self.event} serves {len(self.served)} objective(s), "
            f"of type {', '.join(ObjectiveType(t).label for t in self.objective_types)}."
        ]
        for n, s in enumerate(self.served, 1):
            lines.append(f"{n}. {s.role.title()}: {s.code} {s.statement} ({s.objective_type}).")
            if s.chain:
                lines.append("   Contributes to: " + " > ".join(s.chain) + ".")
            lines.append(f"   Expected outcome: {s.expected_change}")
            if s.indicator:
                lag = f", after about {s.time_lag_months} months" if s.time_lag_months else ""
                lines.append(f"   Indicator: {s.indicator} ({s.direction.lower()}{lag}).")
            if s.assumptions:
                lines.append(f"   Assumptions: {s.assumptions}")
        if self.constraints:
            lines.append("CONSTRAINTS. " + " ".join(self.constraints))
        for theme in self.themes:
            lines.append(f"THEME. {theme['title']} ({theme['audience']}): " + " ".join(theme["talking_points"]))
            if theme["sensitivities"]:
                lines.append("   Do not discuss: " + "; ".join(theme["sensitivities"]) + ".")
        if self.observe:
            lines.append("OBSERVE AND REPORT. " + "; ".join(self.observe) + ".")
        if self.aar_due:
            lines.append(f"AAR due {self.aar_due:%d %b %Y}.")
        return "\n".join(lines)


def purpose_block(event: Event) -> PurposeBlock:
    claims = list(
        ContributionClaim.objects.filter(event=event).select_related("objective").order_by("role", "objective__code")
    )
    thread = strategy_selectors.thread({c.objective_id for c in claims}, up=True)
    block = PurposeBlock(event=f"{event.code} {event.name}", aar_due=event.end_date + timedelta(days=AAR_DUE_DAYS))
    for claim in claims:
        block.served.append(
            Served(
                role=claim.role,
                objective_type=claim.objective_type,
                code=claim.objective.code,
                statement=claim.objective.statement,
                chain=_chain(thread, claim.objective_id),
                expected_change=claim.expected_change,
                indicator=claim.indicator,
                direction=claim.direction,
                time_lag_months=claim.time_lag_months,
                assumptions=claim.assumptions,
            )
        )
        if claim.indicator:
            block.observe.append(f"{claim.indicator} (for {claim.objective.code})")
    for task in measures.tasks(event):
        bound = f"for {task.indicator.objective.code}" if task.indicator.objective_id else "for this event"
        block.observe.append(f"{task.indicator.code} ({task.indicator.kind}, {bound}): {task.what}")
    for theme in themes_for(event):
        block.themes.append(
            {
                "title": theme.title,
                "audience": theme.audience,
                "talking_points": [t.strip() for t in theme.talking_points.splitlines() if t.strip()],
                "sensitivities": [t.strip() for t in theme.sensitivities.splitlines() if t.strip()],
            }
        )
    for rule in CountryConstraint.objects.filter(country__in=event.countries.all()).select_related("country"):
        if rule.applies_between(event.start_date, event.end_date):
            allowed = ", ".join(rule.allowed_objective_types) or "none"
            block.constraints.append(
                f"{rule.country.name}: {rule.title} ({rule.basis}); objective types allowed: {allowed}."
            )
    return block


def _chain(thread: strategy_selectors.Thread, objective_id: int) -> list[str]:
    """One line of ancestry, following the first parent at each step, up to the top level."""
    chain, current = [], objective_id
    while parents := thread.parents_of(current):
        parent = min(parents, key=lambda o: (o.level, o.code))
        chain.append(f"{parent.code} {parent.statement}")
        current = parent.pk
        if parent.level == Level.NATIONAL:
            break
    return chain
