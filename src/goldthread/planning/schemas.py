"""API shapes for conference records."""

from datetime import date, datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from goldthread.core.schemas import LongText, Text
from goldthread.planning.models import Conference, InformationRequest, Item, Order, PublicAffairsProduct, Theme


class ConferenceIn(Schema):
    kind: Conference.Kind
    starts: date
    ends: date
    place: Text(200, 1)
    summary: LongText = ""
    markings: Text(120) = ""


class ConferencePatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    kind: Conference.Kind | None = None
    starts: date | None = None
    ends: date | None = None
    place: Text(200, 1) | None = None
    summary: LongText | None = None
    markings: Text(120) | None = None


class AttendeeIn(Schema):
    name: Text(120, 1)
    organization: Text(60) | None = Field(None, description="Short name; empty for partner attendees.")
    role: Text(120) = ""


class AttendeeOut(Schema):
    name: str
    organization: str | None = Field(None, alias="organization.short_name")
    role: str


class ItemIn(Schema):
    kind: Item.Kind
    text: Text(5000, 1)
    owner: Text(60) | None = Field(None, description="Short name of the owning organization (action items).")
    due: date | None = None
    state: Item.State = Item.State.OPEN


class ItemOut(Schema):
    kind: str
    text: str
    owner: str | None = Field(None, alias="owner.short_name")
    due: date | None
    state: str


class ReachOut(Schema):
    sent: int
    read: int
    acknowledged: int


class ConferenceOut(Schema):
    uid: UUID
    lineage: UUID
    number: int
    event: UUID = Field(alias="event.uid")
    kind: str
    starts: date
    ends: date
    place: str
    summary: str
    status: str
    correction_reason: str
    approved_at: datetime | None
    approved_by: str | None = Field(None, alias="approved_by.username")
    executing_unit_represented: bool | None
    attendees: list[AttendeeOut]
    items: list[ItemOut]
    markings: str
    version: int

    @staticmethod
    def resolve_executing_unit_represented(obj: Conference) -> bool | None:
        # Marked on a list by selectors.mark_represented; the model's property costs two queries a record.
        return obj.unit_represented if hasattr(obj, "unit_represented") else obj.executing_unit_represented

    @staticmethod
    def resolve_attendees(obj: Conference) -> list:
        return list(obj.attendees.all())

    @staticmethod
    def resolve_items(obj: Conference) -> list:
        return list(obj.items.all())


class CorrectionIn(Schema):
    reason: Text(300, 1)


class ChangeOut(Schema):
    what: str
    before: str
    after: str


class OrderIn(Schema):
    kind: Order.Kind
    issuer: Text(60, 1) = Field(description="Short name of the issuing headquarters.")
    title: Text(200, 1)
    change_reason: Text(300) = ""
    situation: LongText = ""
    mission: LongText = ""
    execution: LongText = ""
    sustainment: LongText = ""
    command_and_signal: LongText = ""
    markings: Text(120) = ""


class OrderPatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    kind: Order.Kind | None = None
    issuer: Text(60, 1) | None = None
    title: Text(200, 1) | None = None
    change_reason: Text(300) | None = None
    situation: LongText | None = None
    mission: LongText | None = None
    execution: LongText | None = None
    sustainment: LongText | None = None
    command_and_signal: LongText | None = None
    markings: Text(120) | None = None


class ServedOut(Schema):
    role: str
    objective_type: str
    code: str
    statement: str
    chain: list[str]
    expected_change: str
    indicator: str
    direction: str
    time_lag_months: int
    assumptions: str


class ThemeLine(Schema):
    title: str
    audience: str
    talking_points: list[str]
    sensitivities: list[str]


class PurposeOut(Schema):
    event: str
    served: list[ServedOut]
    constraints: list[str]
    observe: list[str]
    themes: list[ThemeLine]
    aar_due: date | None
    text: str


class ThemeIn(Schema):
    title: Text(200, 1)
    audience: Text(200, 1)
    talking_points: Text(10_000, 1) = Field(description="One point per line.")
    sensitivities: Text(10_000) = ""
    country: Text(3) | None = None
    series: Text(120) | None = Field(None, description="Name of an event series.")
    objectives: list[Text(60, 1)] = Field(default_factory=list, max_length=50, description="Uids or codes.")
    valid_from: date
    valid_until: date | None = None
    status: Theme.Status = Theme.Status.DRAFT
    markings: Text(120) = ""


class ThemePatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    title: Text(200, 1) | None = None
    audience: Text(200, 1) | None = None
    talking_points: Text(10_000, 1) | None = None
    sensitivities: Text(10_000) | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    status: Theme.Status | None = None
    markings: Text(120) | None = None


class ThemeOut(Schema):
    uid: UUID
    title: str
    audience: str
    talking_points: str
    sensitivities: str
    country: str | None = Field(None, alias="country.iso3")
    series: str | None = Field(None, alias="series.name")
    objectives: list[str]
    valid_from: date
    valid_until: date | None
    status: str
    markings: str
    version: int

    @staticmethod
    def resolve_objectives(obj: Theme) -> list[str]:
        return [o.code for o in obj.objectives.all()]


class OrderOut(Schema):
    uid: UUID
    event: UUID = Field(alias="event.uid")
    number: int
    kind: str
    issuer: str = Field(alias="issuer.short_name")
    title: str
    change_reason: str
    situation: str
    mission: str
    execution: str
    sustainment: str
    command_and_signal: str
    purpose: dict
    status: str
    issued_at: datetime | None
    issued_by: str | None = Field(None, alias="issued_by.username")
    markings: str
    version: int


class RequestIn(Schema):
    topic: Text(60, 1) = Field(description="The checklist topic it answers, e.g. Administration.")
    question: Text(20_000, 1)
    owner: Text(40, 1) = Field(description="Short name of the organization that must answer.")
    due: date
    markings: Text(120) = ""


class AnswerIn(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    answer: Text(20_000, 1)


class VersionIn(Schema):
    version: int = Field(ge=1, le=2_000_000_000)


class RequestOut(Schema):
    uid: UUID
    event: UUID = Field(alias="event.uid")
    topic: str
    question: str
    owner: str = Field(alias="owner.short_name")
    due: date
    status: InformationRequest.Status
    answer: str
    asked_by: str = Field(alias="asked_by.username")
    answered_by: str | None = Field(None, alias="answered_by.username")
    answered_at: datetime | None
    markings: str
    version: int


class RequirementOut(Schema):
    topic: str
    question: str
    answered: bool
    answered_in: str
    ask: str
    status: str
    request: RequestOut | None


class ProductIn(Schema):
    kind: PublicAffairsProduct.Kind
    title: Text(200, 1)
    summary: LongText = ""
    link: Text(200) = ""
    status: PublicAffairsProduct.Status = PublicAffairsProduct.Status.PLANNED
    release_date: date | None = None
    country: Text(3, 3)
    events: list[Text(60, 1)] = Field(default_factory=list, max_length=50, description="Event uids or codes.")
    themes: list[UUID] = Field(default_factory=list, max_length=50, description="Theme uids.")
    markings: Text(120) = ""


class ProductPatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    kind: PublicAffairsProduct.Kind | None = None
    title: Text(200, 1) | None = None
    summary: LongText | None = None
    link: Text(200) | None = None
    status: PublicAffairsProduct.Status | None = None
    release_date: date | None = None
    events: list[Text(60, 1)] | None = Field(None, max_length=50)
    themes: list[UUID] | None = Field(None, max_length=50)
    markings: Text(120) | None = None


class ProductOut(Schema):
    uid: UUID
    kind: PublicAffairsProduct.Kind
    title: str
    summary: str
    link: str
    status: PublicAffairsProduct.Status
    release_date: date | None
    country: str = Field(alias="country.iso3")
    events: list[str]
    themes: list[UUID]
    markings: str
    version: int

    @staticmethod
    def resolve_events(obj: PublicAffairsProduct) -> list[str]:
        return [e.code for e in obj.events.all()]

    @staticmethod
    def resolve_themes(obj: PublicAffairsProduct) -> list[UUID]:
        return [t.uid for t in obj.themes.all()]
