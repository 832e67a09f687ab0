"""API shapes for indicators, their targets, measured values, period locks, collection tasks and assessments."""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from django.db.models import TextChoices
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StrictBool

from goldthread.core.schemas import Code, LongText, Text
from goldthread.measures import periods, rollup
from goldthread.measures.models import CRITERIA, Assessment, Evidence, Indicator, Measurement

Version = Annotated[int, Field(ge=1, le=2_000_000_000)]
StaleCheck = Annotated[Version | None, Field(description="The version you read; a stale version gets 409.")]
# Sums of many values must stay finite on both databases, so one value stays far from a float's limits.
Number = Annotated[float, Field(ge=-1e15, le=1e15, allow_inf_nan=False)]
Reference = Text(60, 1)
Criterion = Literal[tuple(CRITERIA)]  # type: ignore[valid-type]


def Choice(choices: type[TextChoices]) -> Any:  # noqa: N802 - reads as a type
    """A Django choice's codes as an inline enum. Choice classes share names (Kind, Status) that would overwrite one
    another among the OpenAPI document's components, whichever app they come from."""
    return Literal[tuple(choices.values)]


def _plausible(value: date) -> date:
    if not 1900 <= value.year <= 2200:
        raise ValueError("must be between the years 1900 and 2200")
    return value


def _period(value: str) -> str:
    # ASCII digits only: `\d` would also take other scripts' digits, which sort apart from the rest.
    if not (value.isascii() and periods.is_valid(value)) or not 1900 <= int(value[2:6]) <= 2200:
        raise ValueError("must be a fiscal year or quarter like FY2027 or FY2027-Q2, between 1900 and 2200")
    return value


Day = Annotated[date, AfterValidator(_plausible)]
Period = Annotated[str, Field(min_length=6, max_length=9), AfterValidator(_period)]


# Indicators.
class ScaleStep(Schema):
    model_config = ConfigDict(extra="forbid")

    value: Number
    label: Text(120, 1) = Field(description="The anchor: what a rating of this value looks like.")


class IndicatorFields(Schema):
    objective: Reference | None = Field(
        None, description="Uid or code of the objective it measures: an outcome objective for a MOE."
    )
    event: Reference | None = Field(None, description="Uid or code of the event a MOP is bound to.")
    rolls_up_to: Reference | None = Field(None, description="Uid or code of a wider indicator its values add into.")
    good: Choice(Indicator.Good) = Indicator.Good.HIGHER.value
    method: LongText = ""
    frequency: Choice(Indicator.Frequency) = Indicator.Frequency.PER_EVENT.value
    responsible: Text(60) | None = Field(None, description="Short name of the organization that collects it.")
    disaggregations: list[Text(60, 1)] = Field(
        default_factory=list, max_length=20, description="Breakdowns a value may carry, e.g. sex."
    )
    accumulation: Choice(Indicator.Accumulation) = Indicator.Accumulation.PERIODIC.value
    aggregation: Choice(Indicator.Aggregation) = Indicator.Aggregation.SUM.value
    scale: list[ScaleStep] = Field(
        default_factory=list, max_length=20, description="For ratings: the allowed values with their anchors."
    )
    minimum: Number | None = Field(None, description="Values below are refused.")
    maximum: Number | None = Field(None, description="Values above are refused.")
    baseline_value: Number | None = None
    baseline_date: Day | None = None
    baseline_source: Text(300) = ""
    criteria: list[Criterion] = Field(
        default_factory=list, max_length=len(CRITERIA), description="The quality prompts the author confirmed."
    )
    status: Choice(Indicator.Status) = Indicator.Status.ACTIVE.value
    markings: Text(120) = ""


class IndicatorIn(IndicatorFields):
    code: Code
    kind: Choice(Indicator.Kind)
    statement: Text(2_000, 1) = Field(description="What is measured, in one sentence.")
    unit: Text(60, 1) = Field(description="What one value counts, e.g. officers, days, %, rating.")
    data_source: Text(300, 1) = Field(description="Where the values come from.")


class IndicatorPatch(Schema):
    """Only the fields given change; null clears an optional one. `version` is the one you read; a stale one gets
    409."""

    version: Version
    code: Code | None = None
    kind: Choice(Indicator.Kind) | None = None
    statement: Text(2_000, 1) | None = None
    objective: Reference | None = None
    event: Reference | None = None
    rolls_up_to: Reference | None = None
    unit: Text(60, 1) | None = None
    good: Choice(Indicator.Good) | None = None
    data_source: Text(300, 1) | None = None
    method: LongText | None = None
    frequency: Choice(Indicator.Frequency) | None = None
    responsible: Text(60) | None = None
    disaggregations: list[Text(60, 1)] | None = Field(None, max_length=20)
    accumulation: Choice(Indicator.Accumulation) | None = None
    aggregation: Choice(Indicator.Aggregation) | None = None
    scale: list[ScaleStep] | None = Field(None, max_length=20)
    minimum: Number | None = None
    maximum: Number | None = None
    baseline_value: Number | None = None
    baseline_date: Day | None = None
    baseline_source: Text(300) | None = None
    criteria: list[Criterion] | None = Field(None, max_length=len(CRITERIA))
    status: Choice(Indicator.Status) | None = None
    markings: Text(120) | None = None


class TargetOut(Schema):
    period: str
    value: float


class LockOut(Schema):
    period: str
    locked_by: str = Field(alias="locked_by.username")
    locked_at: datetime


class ScaleStepOut(Schema):
    value: float
    label: str


class IndicatorOut(Schema):
    uid: UUID
    code: str
    kind: Choice(Indicator.Kind)
    statement: str
    objective: str | None = Field(None, alias="objective.code", description="The objective's code.")
    event: str | None = Field(None, alias="event.code", description="The event's code.")
    rolls_up_to: str | None = Field(None, alias="rolls_up_to.code", description="The wider indicator's code.")
    unit: str
    good: Choice(Indicator.Good)
    data_source: str
    method: str
    frequency: Choice(Indicator.Frequency)
    responsible: str | None = Field(None, alias="responsible.short_name")
    disaggregations: list[str]
    accumulation: Choice(Indicator.Accumulation)
    aggregation: Choice(Indicator.Aggregation)
    scale: list[ScaleStepOut]
    minimum: float | None
    maximum: float | None
    baseline_value: float | None
    baseline_date: date | None
    baseline_source: str
    criteria: list[str]
    unconfirmed: list[str] = Field(description="The quality prompts not confirmed yet, as sentences.")
    targets: list[TargetOut]
    locks: list[LockOut]
    status: Choice(Indicator.Status)
    markings: str
    version: int

    @staticmethod
    def resolve_targets(obj: Indicator) -> list:
        return list(obj.targets.all())

    @staticmethod
    def resolve_locks(obj: Indicator) -> list:
        return list(obj.locks.all())


class IndicatorFilters(Schema):
    kind: Choice(Indicator.Kind) | None = None
    country: Text(3) | None = Field(None, description="ISO alpha-3 code: indicators of its objectives and events.")
    objective: Text(40) | None = Field(None, description="Code of the objective measured.")
    status: Choice(Indicator.Status) | None = None
    q: Text(100) | None = Field(None, description="Text in the code or the statement.")


class TargetIn(Schema):
    value: Number


# The roll-up.
class SeriesQuery(Schema):
    grain: Literal["quarter", "year"] = "quarter"
    first: Period | None = Field(None, description="First period shown; default the first with data or a target.")
    last: Period | None = Field(None, description="Last period shown; default the last with data or a target.")


class SeriesPointOut(Schema):
    period: str
    value: float | None = Field(description="The rolled-up value; null without approved values.")
    count: int = Field(description="How many approved values it rests on.")
    target: float | None
    progress: float | None = Field(description="From baseline (0) to target (1); null without both.")


class IndicatorSeriesOut(Schema):
    indicator: str = Field(description="The indicator's code.")
    grain: str
    unit: str
    accumulation: Choice(Indicator.Accumulation)
    aggregation: Choice(Indicator.Aggregation)
    baseline: float | None
    baseline_date: date | None
    points: list[SeriesPointOut]


def series_out(series: rollup.Series) -> dict[str, Any]:
    """A computed series in the shape of `IndicatorSeriesOut`: the API returns it, and `goldthread indicators show
    --json` prints it."""
    indicator = series.indicator
    return {
        "indicator": indicator.code,
        "grain": series.grain,
        "unit": indicator.unit,
        "accumulation": indicator.accumulation,
        "aggregation": indicator.aggregation,
        "baseline": indicator.baseline_value,
        "baseline_date": indicator.baseline_date,
        "points": [
            {"period": p.period, "value": p.value, "count": p.count, "target": p.target, "progress": series.progress(p)}
            for p in series.points
        ],
    }


# Measured values.
class ValueFields(Schema):
    numerator: Number | None = Field(None, description="For a ratio: the value is numerator / denominator.")
    denominator: Number | None = None
    event: Reference | None = Field(None, description="Uid or code of the event it was collected at.")
    disaggregation: dict[Text(60, 1), Text(200)] = Field(
        default_factory=dict, max_length=20, description='The breakdown it counts, e.g. {"sex": "F"}.'
    )
    note: LongText = ""
    markings: Text(120) = ""


class ValueIn(ValueFields):
    date: Day = Field(description="The day the value describes; it falls in one fiscal quarter.")
    value: Number | None = Field(None, description="Required, except for a ratio, where it is computed.")
    submit: StrictBool = Field(True, description="Submit for approval at once; false keeps it a draft.")


class ValuePatch(Schema):
    """Only the fields given change; null clears an optional one. Only a draft or returned value changes."""

    version: Version
    date: Day | None = None
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    event: Reference | None = None
    disaggregation: dict[Text(60, 1), Text(200)] | None = Field(None, max_length=20)
    note: LongText | None = None
    markings: Text(120) | None = None


class ValueOut(Schema):
    uid: UUID
    indicator: str = Field(alias="indicator.code")
    event: str | None = Field(None, alias="event.code")
    date: date
    period: str = Field(description="The fiscal quarter of `date`.")
    value: float
    numerator: float | None
    denominator: float | None
    disaggregation: dict[str, Any]
    note: str
    source: Choice(Measurement.Source)
    status: Choice(Measurement.Status)
    recorded_by: str = Field(alias="recorded_by.username")
    approved_by: str | None = Field(None, alias="approved_by.username")
    approved_at: datetime | None
    return_reason: str
    markings: str
    version: int


class RecordedOut(ValueOut):
    warning: str = Field(description="Said when the value lies far outside those approved so far; else empty.")


class ValueFilters(Schema):
    status: Choice(Measurement.Status) | None = None
    period: Period | None = Field(None, description="A fiscal year or quarter.")


class StepIn(Schema):
    version: StaleCheck = None


class ValueReturnIn(Schema):
    version: StaleCheck = None
    reason: Text(5_000, 1) = Field(description="What is wrong with the value, for whoever recorded it.")


# Bulk import.
class ImportRowOut(Schema):
    line: int = Field(description="As a spreadsheet shows it: the header is line 1.")
    cells: dict[str, str]
    errors: list[str]
    warning: str


class ImportOut(Schema):
    name: str
    rows: list[ImportRowOut]
    good: int
    bad: int
    written: int = Field(description="How many values were written: 0 on a dry run.")


# Collection tasks and compliance.
class TaskOut(Schema):
    indicator: str = Field(description="The indicator's code.")
    kind: Choice(Indicator.Kind)
    what: str = Field(description="What to collect, how, and with which breakdowns.")
    due: date
    answered: bool = Field(description="A submitted or approved value was recorded for the event.")
    answers: int = Field(description="Values recorded for the event, whatever their status.")


class ComplianceQuery(Schema):
    on: Day | None = Field(None, description="The day to judge on; default today.")


class ComplianceOut(Schema):
    unit: str = Field(description="The executing unit's short name.")
    due: int = Field(description="Collection tasks due: events done and their AAR due date passed.")
    answered: int
    rate: float | None


# Assessments.
Rating = Annotated[int, Field(ge=min(Assessment.SCALE), le=max(Assessment.SCALE))]


class AssessmentIn(Schema):
    period: Period
    rating: Rating = Field(description="1 regressing … 5 achieved (docs/user-guide/assessors.md).")
    rationale: Text(20_000, 1) = Field(description="Why this rating: what the evidence shows.")
    confidence: Choice(Assessment.Confidence) = Assessment.Confidence.MEDIUM.value
    markings: Text(120) = ""


class AssessmentPatch(Schema):
    """Only the fields given change, while the assessment is a draft."""

    version: Version
    period: Period | None = None
    rating: Rating | None = None
    rationale: Text(20_000, 1) | None = None
    confidence: Choice(Assessment.Confidence) | None = None
    markings: Text(120) | None = None


class EvidenceIn(Schema):
    kind: Choice(Evidence.Kind)
    indicator: Reference | None = Field(None, description="For INDICATOR: the indicator's uid or code.")
    observation: UUID | None = Field(None, description="For OBSERVATION: the AAR observation's uid.")
    document: Text(300) = Field("", description="For DOCUMENT: its title and place.")
    note: Text(500) = Field("", description="What it shows.")


class EvidenceOut(Schema):
    id: int
    kind: Choice(Evidence.Kind)
    indicator: str | None = Field(None, alias="indicator.code")
    observation: UUID | None = Field(None, alias="observation.uid")
    document: str
    note: str
    cited: str = Field(description="What is cited, in words.")


class AssessmentOut(Schema):
    uid: UUID
    objective: str = Field(alias="objective.code")
    period: str
    rating: int
    rationale: str
    confidence: Choice(Assessment.Confidence)
    independence: Choice(Assessment.Independence) = Field(
        description="INDEPENDENT when an assessor outside the objective's owning organization rated it."
    )
    assessor: str = Field(alias="assessor.username")
    status: Choice(Assessment.Status)
    submitted_at: datetime | None
    evidence: list[EvidenceOut]
    markings: str
    version: int

    @staticmethod
    def resolve_evidence(obj: Assessment) -> list:
        return list(obj.evidence.all())
