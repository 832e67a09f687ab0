"""API shapes for entry rules, travelers and the readiness board."""

from datetime import date
from typing import Annotated
from uuid import UUID

from django.http import HttpRequest
from ninja import Schema
from pydantic import AfterValidator, Field

from goldthread.core.schemas import LongText, Text
from goldthread.readiness.models import Traveler, standard_training
from goldthread.readiness.selectors import Status, may_see_passport

# Lead times are bounded here only by what the column holds; the sensible limits are the model's, reported per field.
Days = Annotated[int, Field(ge=0, le=32_767)]
Version = Annotated[int, Field(ge=1, le=2_000_000_000)]


def _plausible(value: date) -> date:
    if not 1900 <= value.year <= 2200:
        raise ValueError("must be between the years 1900 and 2200")
    return value


Day = Annotated[date, AfterValidator(_plausible)]


class TrainingRequirement(Schema):
    name: Text(80, 1)
    months: int = Field(ge=0, le=32_767, description="How long a completion stays current.")


def _default_training() -> list[TrainingRequirement]:
    return [TrainingRequirement(**t) for t in standard_training()]


class EntryRuleIn(Schema):
    """The whole rule set of a country: what you leave out takes Goldthread's default. `version` is the one you read;
    leave it out only when the country has no stored rules yet."""

    version: Version | None = None
    country_clearance_days: Days = 30
    theater_clearance_days: Days = 30
    official_passport_required: bool = True
    official_passport_business_days: Days = 30
    visa_required: bool = False
    visa_business_days: Days = 15
    entry_on_orders: bool = Field(False, description="SOFA/VFA entry on orders and military ID allowed.")
    training: list[TrainingRequirement] = Field(default_factory=_default_training, max_length=50)
    notes: LongText = ""
    markings: Text(120) = ""


class EntryRuleOut(Schema):
    uid: UUID | None = Field(description="Null while the country has no stored rules and the defaults apply.")
    country: str
    stored: bool
    country_clearance_days: int
    theater_clearance_days: int
    official_passport_required: bool
    official_passport_business_days: int
    visa_required: bool
    visa_business_days: int
    entry_on_orders: bool
    training: list[TrainingRequirement]
    notes: str
    markings: str
    version: int | None


class VisaIn(Schema):
    country: Text(3, 3) = Field(description="ISO alpha-3 code.")
    expires: date


class VisaOut(Schema):
    country: str = Field(alias="country.iso3")
    expires: date


class TrainingIn(Schema):
    name: Text(80, 1)
    completed: date


class TrainingOut(Schema):
    name: str
    completed: date


class TravelerFields(Schema):
    unit: Text(60, 1) = Field(description="Short name of the traveler's unit.")
    user: Text(150) | None = Field(None, description="The traveler's user name, if they have an account.")
    passport_type: Traveler.PassportType = Traveler.PassportType.NONE
    passport_number: Text(20) = Field(
        "", description="Only its last four characters are kept; the full number is never stored."
    )
    passport_expires: date | None = None
    passport_waiver: bool = False
    entry_on_orders: bool = False
    country_clearance: Traveler.Clearance = Traveler.Clearance.NOT_REQUESTED
    theater_clearance: Traveler.Clearance = Traveler.Clearance.NOT_REQUESTED
    visas: list[VisaIn] = Field(default_factory=list, max_length=40)
    training: list[TrainingIn] = Field(default_factory=list, max_length=40)
    notes: LongText = ""
    markings: Text(120) = ""


class TravelerIn(TravelerFields):
    name: Text(120, 1)


class TravelerPatch(Schema):
    """Only the fields given change; `visas` and `training`, when given, replace the lists."""

    version: Version
    name: Text(120, 1) | None = None
    unit: Text(60, 1) | None = None
    user: Text(150) | None = None
    passport_type: Traveler.PassportType | None = None
    passport_number: Text(20) | None = Field(None, description="Only its last four characters are kept.")
    passport_expires: date | None = None
    passport_waiver: bool | None = None
    entry_on_orders: bool | None = None
    country_clearance: Traveler.Clearance | None = None
    theater_clearance: Traveler.Clearance | None = None
    visas: list[VisaIn] | None = Field(None, max_length=40)
    training: list[TrainingIn] | None = Field(None, max_length=40)
    notes: LongText | None = None
    markings: Text(120) | None = None


def _may_see_passport(request: HttpRequest, traveler: Traveler) -> bool:
    """`may_see_passport`, asking the permission once per event in a request: the travelers of an event share its
    scope, and each check costs queries."""
    viewer = request.auth
    if viewer is None or traveler.user_id == viewer.pk:
        return viewer is not None
    asked = request.__dict__.setdefault("_may_see_passports_of", {})
    if traveler.event_id not in asked:
        asked[traveler.event_id] = may_see_passport(viewer, traveler)
    return asked[traveler.event_id]


class TravelerOut(Schema):
    uid: UUID
    event: UUID = Field(alias="event.uid")
    name: str
    unit: str = Field(alias="unit.short_name")
    user: str | None = Field(None, alias="user.username")
    passport_type: str
    passport_last4: str | None = Field(
        None, description="Shown to the traveler and to those who may change them; null to everyone else."
    )
    passport_expires: date | None
    passport_waiver: bool
    entry_on_orders: bool
    country_clearance: str
    theater_clearance: str
    visas: list[VisaOut]
    training: list[TrainingOut]
    notes: str
    markings: str
    version: int

    @staticmethod
    def resolve_passport_last4(obj: Traveler, context) -> str | None:
        request = context["request"] if context else None
        return obj.passport_last4 if request and _may_see_passport(request, obj) else None

    @staticmethod
    def resolve_visas(obj: Traveler) -> list:
        return list(obj.visas.all())

    @staticmethod
    def resolve_training(obj: Traveler) -> list:
        return list(obj.training.all())


class ItemOut(Schema):
    key: str
    label: str
    deadline: date | None
    lead: str
    status: Status
    reason: str


class RowOut(Schema):
    traveler: UUID
    name: str
    unit: str
    status: Status | None
    items: list[ItemOut]


class MilestoneOut(Schema):
    key: str
    label: str
    date: date
    lead: str
    note: str
    status: Status | None = Field(description="The worst of the travelers' items for this step; null without any.")


class RuleUsedOut(Schema):
    country: str
    stored: bool


class BoardOut(Schema):
    event: UUID
    code: str
    start_date: date
    end_date: date
    today: date
    at_risk_days: int
    rules: list[RuleUsedOut]
    milestones: list[MilestoneOut]
    travelers: list[RowOut]
    counts: dict[Status, int]
