"""API shapes for after-action reports, their observations and follow-up actions, channel items and lessons."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StrictBool

from goldthread.aars.models import Observation, Report
from goldthread.aars.services import MAX_ASSUMPTIONS, MAX_WHYS
from goldthread.core.catalogues import Dotmlpfp, ObjectiveType
from goldthread.core.schemas import LongText, Text
from goldthread.search.api import FacetFilters

Version = Annotated[int, Field(ge=1, le=2_000_000_000)]
Reference = Annotated[
    Text(60, 1), Field(description="The contribution claim's uid, or the code of the objective it claims.")
]
ShortName = Annotated[Text(60), Field(description="An organization's short name; null or empty for none.")]


def _plausible(value: date) -> date:
    if not 1900 <= value.year <= 2200:
        raise ValueError("must be between the years 1900 and 2200")
    return value


Day = Annotated[date, AfterValidator(_plausible)]


# Root-cause analysis. Unknown keys are refused rather than dropped: a misspelt "five_whys" must not vanish.
class AssumptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    assumption: Text(1_000, 1)
    held: StrictBool = Field(description="Whether the assumption held: true or false.")
    evidence: Text(5_000) = ""


class AnalysisIn(Schema):
    """Five whys, the root cause they lead to, and a key-assumptions check."""

    model_config = ConfigDict(extra="forbid")

    five_whys: list[Text(2_000)] = Field(default_factory=list, max_length=MAX_WHYS)
    root_cause: Text(5_000) = ""
    assumptions: list[AssumptionIn] = Field(default_factory=list, max_length=MAX_ASSUMPTIONS)


class AssumptionOut(Schema):
    assumption: str
    held: bool
    evidence: str = ""


class AnalysisOut(Schema):
    five_whys: list[str] = []
    root_cause: str = ""
    assumptions: list[AssumptionOut] = []


# Reports.
class ReviewIn(Schema):
    """The AAR questions for one claimed objective; only the answers given change."""

    claim: Reference
    planned: LongText | None = None
    happened: LongText | None = None
    why: LongText | None = None
    indicator_evidence: LongText | None = None


class ReportPatch(Schema):
    """Only the fields given change; null clears one. `version` is the one you read; a stale version gets 409."""

    version: Version
    summary: LongText | None = None
    hotwash_held: Day | None = None
    relationships: LongText | None = None
    capability: LongText | None = None
    interoperability: LongText | None = None
    access: LongText | None = None
    administration: LongText | None = None
    costs: LongText | None = None
    markings: Text(120) | None = None
    reviews: list[ReviewIn] | None = Field(None, max_length=100)


class MoveIn(Schema):
    version: Version | None = Field(None, description="The version you read; a stale version gets 409.")
    comment: LongText = ""


class ReturnIn(Schema):
    version: Version | None = Field(None, description="The version you read; a stale version gets 409.")
    comment: Text(20_000, 1) = Field(description="What the author should change.")


class ReviewOut(Schema):
    claim: UUID
    objective: str
    objective_statement: str
    objective_type: str
    role: str
    expected_change: str
    indicator: str
    planned: str
    happened: str
    why: str
    indicator_evidence: str
    addressed: bool


class ActionOut(Schema):
    id: int
    text: str
    owner: str = Field(alias="owner.short_name")
    due: date
    done: bool


class CommentOut(Schema):
    author: str
    status: str
    text: str
    created: datetime


class ObservationFields(Schema):
    discussion: LongText = ""
    recommendation: LongText = ""
    claim: Reference | None = None
    objective_type: ObjectiveType | None = Field(None, description="Taken from the claim when not given.")
    indicator: Text(300) = Field("", description="Taken from the claim when not given.")
    partner_unit: ShortName | None = None
    dotmlpfp: Dotmlpfp | None = None
    criticality: Observation.Criticality = Observation.Criticality.ROUTINE
    channel: Observation.Channel = Observation.Channel.NONE
    analysis: AnalysisIn | None = None
    markings: Text(120) = ""


class ObservationIn(ObservationFields):
    title: Text(200, 1)
    finding: Observation.Finding = Observation.Finding.IMPROVE
    observation: Text(20_000, 1) = Field(description="What happened, as a fact.")


class ObservationPatch(Schema):
    """Only the fields given change; null clears an optional one. `analysis`, when given, replaces the whole of it."""

    version: Version
    title: Text(200, 1) | None = None
    finding: Observation.Finding | None = None
    observation: Text(20_000, 1) | None = None
    discussion: LongText | None = None
    recommendation: LongText | None = None
    claim: Reference | None = None
    objective_type: ObjectiveType | None = None
    indicator: Text(300) | None = None
    partner_unit: ShortName | None = None
    dotmlpfp: Dotmlpfp | None = None
    criticality: Observation.Criticality | None = None
    channel: Observation.Channel | None = None
    analysis: AnalysisIn | None = None
    markings: Text(120) | None = None


class ObservationOut(Schema):
    uid: UUID
    report: UUID
    event: str = Field(description="The event's code.")
    title: str
    finding: str
    observation: str
    discussion: str
    recommendation: str
    claim: UUID | None
    objective: str | None = Field(description="The code of the claimed objective it is about.")
    objective_type: str
    indicator: str
    partner_unit: str | None
    dotmlpfp: str
    criticality: str
    channel: str
    analysis: AnalysisOut
    stage: str
    corrective_action: str
    action_owner: str | None
    action_due: date | None
    resolution: str
    verification: str
    channel_item: UUID | None = Field(description="The item tracking it on its channel, once routed.")
    markings: str
    version: int


class ReportOut(Schema):
    uid: UUID
    event: UUID
    event_code: str
    event_name: str
    executing_unit: str | None
    status: Report.Status
    hotwash_due: date
    hotwash_held: date | None
    due: date
    summary: str
    relationships: str
    capability: str
    interoperability: str
    access: str
    administration: str
    costs: str
    score: int = Field(description="Critical-content score, 0–100.")
    missing: list[str] = Field(description="What the score still misses, one line per item.")
    submitted_at: datetime | None
    approved_at: datetime | None
    approved_by: str | None
    disseminated_at: datetime | None
    markings: str
    version: int
    reviews: list[ReviewOut]
    observations: list[ObservationOut]
    actions: list[ActionOut]
    comments: list[CommentOut]


class ReportSummaryOut(Schema):
    uid: UUID
    event: UUID = Field(alias="event.uid")
    event_code: str = Field(alias="event.code")
    event_name: str = Field(alias="event.name")
    executing_unit: str | None = Field(None, alias="event.executing_unit.short_name")
    status: Report.Status
    due: date
    score: int
    overdue: bool = Field(description="Past due and not submitted.")
    version: int

    @staticmethod
    def resolve_overdue(obj: Report) -> bool:
        return obj.status in Report.EDITABLE and obj.due < timezone.localdate()


class ReportFilters(Schema):
    status: Report.Status | None = None
    unit: Text(60) | None = Field(None, description="Short name: reports of events it or a unit below it executes.")
    overdue: bool | None = Field(None, description="true: past due and not submitted; false: the others.")


class OverdueQuery(Schema):
    on: Day | None = Field(None, description="The day to judge lateness on; default today.")
    unit: Text(60) | None = Field(None, description="Short name: only events it or a unit below it executes.")


class LateOut(Schema):
    event: UUID
    event_code: str
    event_name: str
    executing_unit: str | None
    report: UUID | None = Field(description="Null when nobody has started the AAR.")
    status: Report.Status | None
    due: date
    days_late: int


class ActionIn(Schema):
    text: Text(300, 1)
    owner: Text(60, 1) = Field(description="The short name of the organization that owns the action.")
    due: Day


class DoneIn(Schema):
    done: StrictBool


# Lessons.
class StageIn(Schema):
    """Move one step through the lessons lifecycle, with what the new stage asks for."""

    version: Version | None = Field(None, description="The version you read; a stale version gets 409.")
    stage: Observation.Stage
    corrective_action: LongText | None = None
    action_owner: ShortName | None = None
    action_due: Day | None = None
    resolution: LongText | None = None
    verification: LongText | None = None


class LessonOut(Schema):
    uid: UUID
    title: str
    event: str = Field(description="The event's code.")
    fiscal_year: int
    finding: str
    criticality: str
    stage: str
    objective_type: str
    dotmlpfp: str
    partner_unit: str | None
    recommendation: str
    corrective_action: str


class LessonHitOut(LessonOut):
    snippet: str = Field(description="The matching words in their context; empty when no words were searched for.")


class RelevantOut(Schema):
    lesson: LessonOut
    why: str


class PatternOut(Schema):
    partner_unit: str | None
    dotmlpfp: str
    objective_type: str
    events: int = Field(description="How many events it came back in.")
    observations: list[LessonOut]


class LessonQuery(FacetFilters):
    q: Text(200) = Field("", description="Words; without them, the newest lessons first.")
    stage: Observation.Stage | None = None
    page: int = Field(1, ge=1, le=1_000)


class RelevantQuery(Schema):
    event: UUID


class RecurringQuery(Schema):
    min_events: int = Field(2, ge=2, le=100)


# Channel items.
class ChannelFilters(Schema):
    channel: Observation.Channel | None = None
    open: bool | None = Field(None, description="true: not closed yet; false: closed.")


class ChannelItemOut(Schema):
    uid: UUID
    observation: UUID = Field(alias="observation.uid")
    title: str = Field(alias="observation.title")
    event: str = Field(alias="observation.report.event.code")
    channel: Observation.Channel
    criticality: Observation.Criticality = Field(alias="observation.criticality")
    due: date
    open: bool
    closed_at: datetime | None
    closed_by: str | None = Field(None, alias="closed_by.username")
    closure: str
    version: int

    @staticmethod
    def resolve_open(obj) -> bool:
        return obj.closed_at is None


class CloseIn(Schema):
    version: Version | None = Field(None, description="The version you read; a stale version gets 409.")
    closure: Text(20_000, 1) = Field(description="How the item was dealt with.")
