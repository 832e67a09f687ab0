"""API shapes of the evaluation: the filters every analysis takes, findings, data discipline, contribution, the
portfolio and a country's standing."""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, Field

from goldthread.core.schemas import Text
from goldthread.evaluation import contribution, discipline, findings, portfolio
from goldthread.evaluation.models import CountryStanding

KindKey = Literal[tuple(kind.key for kind in findings.KINDS)]  # type: ignore[valid-type]
Verdict = Literal[tuple(contribution.VERDICTS)]  # type: ignore[valid-type]
Rating = Annotated[int, Field(ge=1, le=5)]


class EvaluationFilters(Schema):
    country: Text(3) = Field("", description="ISO alpha-3 code of one country.")
    objective: Text(60) = Field("", description="Uid or code of an objective: it and the objectives below it.")
    organization: Text(60) = Field("", description="Short name of an organization: it and the units below it.")
    fiscal_year: Annotated[int, Field(ge=1900, le=2200)] | None = None

    def parse(self, today: date) -> findings.Filters:
        return findings.Filters.parse(
            today,
            country=self.country,
            objective=self.objective,
            organization=self.organization,
            fiscal_year=self.fiscal_year,
        )


class FindingOut(Schema):
    kind: KindKey
    record_type: Literal["event", "objective", "indicator"]
    uid: UUID
    code: str
    title: str
    detail: str
    url: str = Field(description="The page of the record to fix.")

    @staticmethod
    def of(finding: findings.Finding) -> "FindingOut":
        return FindingOut(
            kind=finding.kind.key,
            record_type=finding.kind.subject._meta.model_name,
            uid=finding.record.uid,
            code=finding.code,
            title=finding.title,
            detail=finding.detail,
            url=finding.url,
        )


class KindOut(Schema):
    key: KindKey
    title: str
    why: str
    fix: str
    count: int
    first: list[FindingOut] = Field(description="The first findings of the kind; page through the rest.")


class CoverageOut(Schema):
    as_of: date
    kinds: list[KindOut]


class FindingPage(Schema):
    count: int
    offset: int
    items: list[FindingOut]


class BreakdownRow(Schema):
    label: str
    counts: dict[str, int]


class TallyOut(Schema):
    due: int
    done: int


class DisciplineLine(Schema):
    unit: str
    tallies: dict[str, TallyOut] = Field(description="Per measure: " + ", ".join(k for k, _ in discipline.MEASURES))
    aar_content: float | None
    score: float | None
    by_year: dict[int, float | None]

    @staticmethod
    def of(line: discipline.Line) -> "DisciplineLine":
        return DisciplineLine(
            unit=line.unit.short_name,
            tallies={key: TallyOut(due=t.due, done=t.done) for key, t in line.tallies.items()},
            aar_content=line.content,
            score=line.score,
            by_year=line.by_year,
        )


class PointOut(Schema):
    period: str
    value: float


class ComparisonOut(Schema):
    indicator: str
    before: PointOut | None
    after: PointOut | None
    shows_in: str
    verdict: Verdict


class ClaimOut(Schema):
    event: str
    event_uid: UUID
    objective: str
    direction: str
    time_lag_months: int
    expected_change: str
    comparisons: list[ComparisonOut] = Field(
        description="Every MOE on the claim's line of the graph, nearest first (pages list the nearest few)."
    )
    aar_happened: str | None
    observations: list[str]


class AssessmentOut(Schema):
    objective: str
    period: str
    rating: int
    confidence: str
    independence: str


class ContributionOut(Schema):
    objective: str
    moes: list[str]
    claims: int = Field(description="All claims on the objective and those below it; `lines` shows the newest.")
    verdicts: dict[str, int]
    lines: list[ClaimOut]
    assessments: list[AssessmentOut]

    @staticmethod
    def of(c: contribution.Contribution) -> "ContributionOut":
        def point(p) -> PointOut | None:
            return PointOut(period=p.period, value=p.value) if p else None

        return ContributionOut(
            objective=c.objective.code,
            moes=[s.indicator.code for s in c.moes],
            claims=c.claims,
            verdicts=c.verdicts,
            lines=[
                ClaimOut(
                    event=line.claim.event.code,
                    event_uid=line.claim.event.uid,
                    objective=line.claim.objective.code,
                    direction=line.claim.direction,
                    time_lag_months=line.claim.time_lag_months,
                    expected_change=line.claim.expected_change,
                    comparisons=[
                        ComparisonOut(
                            indicator=x.indicator.code,
                            before=point(x.before),
                            after=point(x.after),
                            shows_in=x.shows_in,
                            verdict=x.verdict,
                        )
                        for x in line.comparisons
                    ],
                    aar_happened=line.review.happened if line.review else None,
                    observations=[o.title for o in line.observations],
                )
                for line in c.lines
            ],
            assessments=[
                AssessmentOut(
                    objective=a.objective.code,
                    period=a.period,
                    rating=a.rating,
                    confidence=a.confidence,
                    independence=a.independence,
                )
                for a in c.assessments
            ],
        )


class StandingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    priority: Literal[tuple(CountryStanding.Priority.values)]  # type: ignore[valid-type]
    absorptive_capacity: Annotated[int, Field(ge=1, le=1000)] | None = None
    relationship: Rating
    capability: Rating
    rationale: Text(20_000, 1)
    reviewed_on: date
    version: Annotated[int, Field(ge=1)] | None = Field(None, description="The version you read; stale gets 409.")


class StandingOut(Schema):
    priority: int
    absorptive_capacity: int | None
    relationship: int
    capability: int
    rationale: str
    reviewed_on: date
    version: int


class PortfolioRow(Schema):
    country: str
    name: str
    events: int
    objective_types: dict[str, int]
    by_quarter: dict[str, int]
    saturated: list[str] = Field(description="Fiscal quarters with more events starting than the capacity.")
    standing: StandingOut | None

    @staticmethod
    def of(row: portfolio.Row) -> "PortfolioRow":
        s = row.standing
        return PortfolioRow(
            country=row.country.iso3,
            name=row.country.name,
            events=row.events,
            objective_types={t: n for t, n, _ in row.mix},
            by_quarter=row.by_quarter,
            saturated=[q for q, _ in row.saturated],
            standing=StandingOut(
                priority=s.priority,
                absorptive_capacity=s.absorptive_capacity,
                relationship=s.relationship,
                capability=s.capability,
                rationale=s.rationale,
                reviewed_on=s.reviewed_on,
                version=s.version,
            )
            if s
            else None,
        )
