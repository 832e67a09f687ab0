"""API and import/export shapes for events, series and contribution claims."""

from datetime import date
from uuid import UUID

from ninja import Schema
from pydantic import Field, field_validator

from goldthread.core.catalogues import EventType, ObjectiveType
from goldthread.core.schemas import Code, LongText, ShortText, Text
from goldthread.events.models import ContributionClaim, Event
from goldthread.strategy.schemas import ThreadNode

Names = list[Text(60, 1)]


RecordId = Text(40)


class EventFields(Schema):
    name: Text(200, 1)
    record_id: RecordId = Field("", description="The event's ID in G-TSCMIS or Socium; empty if it has none yet.")
    event_type: EventType
    description: LongText = ""
    series: Text(120) | None = Field(None, description="Name of the recurring series, e.g. Hanuman Guardian.")
    parent: UUID | None = Field(None, description="Uid of the package this event is a leg of.")
    countries: list[Text(3, 3)] = Field(min_length=1, max_length=40, description="ISO alpha-3 codes.")
    partner_units: Names = Field(default_factory=list, max_length=50)
    executing_unit: Text(60) | None = None
    supporting_units: Names = Field(default_factory=list, max_length=50)
    start_date: date
    end_date: date
    authority: Text(120) = ""
    markings: Text(120) = ""


class EventIn(EventFields):
    code: Code


class EventPatch(Schema):
    """Only the fields given change. `version` is the one you read; a stale version gets 409."""

    version: int = Field(ge=1, le=2_000_000_000)
    code: Code | None = None
    record_id: RecordId | None = None
    name: Text(200, 1) | None = None
    event_type: EventType | None = None
    description: LongText | None = None
    series: Text(120) | None = None
    parent: UUID | None = None
    countries: list[Text(3, 3)] | None = Field(None, min_length=1, max_length=40)
    partner_units: Names | None = Field(None, max_length=50)
    executing_unit: Text(60) | None = None
    supporting_units: Names | None = Field(None, max_length=50)
    start_date: date | None = None
    end_date: date | None = None
    authority: Text(120) | None = None
    markings: Text(120) | None = None

    @field_validator("record_id")
    @classmethod
    def _null_clears_record_id(cls, value: str | None) -> str:
        # An event may lose its system-of-record ID (entered on the wrong event): null clears it like "".
        return value or ""


class EventOut(Schema):
    uid: UUID
    code: str
    record_id: str
    name: str
    event_type: str
    description: str
    series: str | None = Field(None, alias="series.name")
    parent: UUID | None = Field(None, alias="parent.uid")
    countries: list[str]
    partner_units: list[str]
    executing_unit: str | None = Field(None, alias="executing_unit.short_name")
    supporting_units: list[str]
    start_date: date
    end_date: date
    fiscal_year: int
    authority: str
    status: str
    markings: str
    version: int

    @staticmethod
    def resolve_countries(obj: Event) -> list[str]:
        return [c.iso3 for c in obj.countries.all()]

    @staticmethod
    def resolve_partner_units(obj: Event) -> list[str]:
        return [o.short_name for o in obj.partner_units.all()]

    @staticmethod
    def resolve_supporting_units(obj: Event) -> list[str]:
        return [o.short_name for o in obj.supporting_units.all()]


class TransitionIn(Schema):
    status: Event.Status
    version: int | None = Field(None, ge=1, le=2_000_000_000)


class ClaimFields(Schema):
    role: ContributionClaim.Role = ContributionClaim.Role.PRIMARY
    objective_type: ObjectiveType | None = Field(
        None, description="Which of the objective's types the event serves; defaults to its primary type."
    )
    expected_change: Text(5000, 1)
    indicator: ShortText = ""
    direction: ContributionClaim.Direction = ContributionClaim.Direction.INCREASE
    time_lag_months: int = Field(0, ge=0, le=240)
    assumptions: Text(5000) = ""
    markings: Text(120) = ""


class ClaimIn(ClaimFields):
    objective: Text(60, 1) = Field(description="Uid or code of the objective served.")


class ClaimPatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    role: ContributionClaim.Role | None = None
    objective_type: ObjectiveType | None = None
    expected_change: Text(5000, 1) | None = None
    indicator: ShortText | None = None
    direction: ContributionClaim.Direction | None = None
    time_lag_months: int | None = Field(None, ge=0, le=240)
    assumptions: Text(5000) | None = None
    markings: Text(120) | None = None


class ClaimOut(Schema):
    uid: UUID
    event: UUID = Field(alias="event.uid")
    objective: UUID = Field(alias="objective.uid")
    objective_code: str = Field(alias="objective.code")
    role: str
    objective_type: str
    expected_change: str
    indicator: str
    direction: str
    time_lag_months: int
    assumptions: str
    markings: str
    version: int


class EventThreadOut(Schema):
    """Why the event happens: its claims and every objective above them, up to national goals."""

    event: EventOut
    claims: list[ClaimOut]
    objectives: list[ThreadNode]


class SeriesIn(Schema):
    name: Text(120, 1)
    description: LongText = ""


class SeriesPatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    name: Text(120, 1) | None = None
    description: LongText | None = None


class SeriesOut(Schema):
    uid: UUID
    name: str
    description: str
    version: int
