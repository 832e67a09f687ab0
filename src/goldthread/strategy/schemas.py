"""API and import/export shapes for countries, organizations, plans and objectives."""

from datetime import date
from uuid import UUID

from ninja import Schema
from pydantic import BaseModel, Field

from goldthread.core.catalogues import Echelon, EventType, Level, ObjectiveType
from goldthread.core.schemas import Code, LongText, ShortText, Text
from goldthread.strategy.models import Objective, Plan


class ConstraintIn(Schema):
    code: Text(40, 1)
    title: Text(200, 1)
    basis: Text(300, 1) = Field(description="The law or policy it rests on.")
    allowed_objective_types: list[ObjectiveType] = Field(
        default_factory=lambda: list(ObjectiveType), max_length=4, description="What engagement may aim at."
    )
    forbidden_event_types: list[EventType] = Field(default_factory=list, max_length=20)
    starts: date | None = None
    ends: date | None = None
    markings: Text(120) = ""


class ConstraintPatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    code: Text(40, 1) | None = None
    title: Text(200, 1) | None = None
    basis: Text(300, 1) | None = None
    allowed_objective_types: list[ObjectiveType] | None = Field(None, max_length=4)
    forbidden_event_types: list[EventType] | None = Field(None, max_length=20)
    starts: date | None = None
    ends: date | None = None
    markings: Text(120) | None = None


class ConstraintOut(Schema):
    uid: UUID
    country: str = Field(alias="country.iso3")
    version: int
    code: str
    title: str
    basis: str
    allowed_objective_types: list[str]
    forbidden_event_types: list[str]
    starts: date | None
    ends: date | None


class CountryIn(Schema):
    iso3: Text(3, 3)
    name: Text(100, 1) | None = Field(None, description="Defaults to the ISO 3166 name.")
    in_aor: bool = True
    treaty_ally: bool = False
    markings: Text(120) = ""


class CountryPatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    name: Text(100, 1) | None = None
    in_aor: bool | None = None
    treaty_ally: bool | None = None
    markings: Text(120) | None = None


class CountryOut(Schema):
    iso3: str
    name: str
    in_aor: bool
    treaty_ally: bool
    markings: str
    version: int
    constraints: list[ConstraintOut]

    @staticmethod
    def resolve_constraints(obj) -> list:
        return list(obj.constraints.all())


class OrganizationIn(Schema):
    name: Text(200, 1)
    short_name: Text(60, 1)
    echelon: Echelon
    parent: Text(60) | None = Field(None, description="Short name of the parent organization.")
    country: Text(3) | None = Field(None, description="ISO alpha-3 code of a partner unit's country.")


class OrganizationPatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    name: Text(200, 1) | None = None
    short_name: Text(60, 1) | None = None
    echelon: Echelon | None = None
    parent: Text(60) | None = None
    country: Text(3) | None = None


class OrganizationOut(Schema):
    uid: UUID
    version: int
    name: str
    short_name: str
    echelon: str
    parent: str | None = Field(None, alias="parent.short_name")
    country: str | None = Field(None, alias="country.iso3")


class PlanIn(Schema):
    name: Text(200, 1)
    kind: Plan.Kind
    owner: Text(60) | None = None
    country: Text(3) | None = None
    period_start: date
    period_end: date
    markings: Text(120) = ""


class PlanPatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    name: Text(200, 1) | None = None
    kind: Plan.Kind | None = None
    owner: Text(60) | None = None
    country: Text(3) | None = None
    period_start: date | None = None
    period_end: date | None = None
    markings: Text(120) | None = None


class PlanOut(Schema):
    uid: UUID
    name: str
    kind: str
    owner: str | None = Field(None, alias="owner.short_name")
    country: str | None = Field(None, alias="country.iso3")
    period_start: date
    period_end: date
    markings: str
    version: int


class ObjectiveRef(Schema):
    uid: UUID
    code: str
    level: int
    statement: str


class ObjectiveFields(Schema):
    statement: LongText
    level: Level
    primary_type: ObjectiveType
    secondary_types: list[ObjectiveType] = Field(default_factory=list, max_length=4)
    country: Text(3) | None = None
    plan: UUID | None = None
    owner: Text(60) | None = None
    measure: ShortText = ""
    target: Text(200) = ""
    target_date: date | None = None
    status: Objective.Status = Objective.Status.ACTIVE
    markings: Text(120) = ""


class ObjectiveIn(ObjectiveFields):
    code: Code
    parents: list[Text(60, 1)] = Field(default_factory=list, max_length=50, description="Uids or codes.")


class ObjectivePatch(Schema):
    """Only the fields given change. `version` is the one you read; a stale version gets 409."""

    version: int = Field(ge=1, le=2_000_000_000)
    code: Code | None = None
    statement: LongText | None = None
    level: Level | None = None
    primary_type: ObjectiveType | None = None
    secondary_types: list[ObjectiveType] | None = Field(None, max_length=4)
    country: Text(3) | None = None
    plan: UUID | None = None
    owner: Text(60) | None = None
    measure: ShortText | None = None
    target: Text(200) | None = None
    target_date: date | None = None
    status: Objective.Status | None = None
    markings: Text(120) | None = None


class ObjectiveOut(Schema):
    uid: UUID
    code: str
    statement: str
    level: int
    level_label: str
    primary_type: str
    secondary_types: list[str]
    country: str | None = Field(None, alias="country.iso3")
    plan: UUID | None = Field(None, alias="plan.uid")
    owner: str | None = Field(None, alias="owner.short_name")
    measure: str
    target: str
    target_date: date | None
    status: str
    is_smart: bool
    markings: str
    version: int

    @staticmethod
    def resolve_level_label(obj: Objective) -> str:
        return obj.get_level_display()


class LinkIn(Schema):
    parent: Text(60, 1) = Field(description="Uid or code of the objective this one contributes to.")


class ThreadNode(BaseModel):
    # Made by the API from objectives read already, never from a model: without ninja's Schema, a thread's hundreds
    # of nodes are taken as they are rather than validated again, field by field, on their way out.

    uid: UUID
    code: str
    statement: str
    level: int
    level_label: str
    primary_type: str
    parents: list[UUID]


class ObjectiveThreadOut(Schema):
    objective: ObjectiveOut
    ancestors: list[ThreadNode]
    descendants: list[ThreadNode] = Field(
        description="The first 500 objectives below, by level and code; `/descendants` pages through them all."
    )
    descendants_count: int
    events: list["ClaimingEventOut"]


class ClaimingEventOut(BaseModel):  # made from plain dicts, like ThreadNode: hundreds at a time
    uid: UUID
    code: str
    name: str
    fiscal_year: int
    status: str
    via_objective: str
    role: str


ObjectiveThreadOut.model_rebuild()
