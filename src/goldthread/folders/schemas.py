"""API shapes for country folders."""

from datetime import date, datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from goldthread.core.schemas import Text
from goldthread.folders.models import Section


class SectionOut(Schema):
    key: Section.Key
    title: str
    text: str
    html: str
    number: int
    owner: str | None
    last_verified: date | None
    stale: bool
    version: int


class SectionIn(Schema):
    version: int | None = Field(None, ge=1, le=2_000_000_000, description="The version you read; omit to overwrite.")
    text: Text(100_000)
    reason: Text(300, 1)


class RestoreIn(Schema):
    number: int = Field(ge=1, le=2_000_000_000)
    version: int | None = Field(None, ge=1, le=2_000_000_000)


class OwnerIn(Schema):
    owner: Text(150) | None = Field(None, description="A username; null to clear.")


class RevisionOut(Schema):
    number: int
    text: str
    reason: str
    author: str = Field(alias="author.username")
    created: datetime


class DiffLineOut(Schema):
    kind: str
    text: str


class ContactIn(Schema):
    role: Text(120, 1)
    name: Text(120, 1)
    organization: Text(200) = ""
    email: Text(254) = ""
    phone: Text(40) = ""
    held_from: date
    held_until: date | None = None
    notes: Text(5_000) = ""
    markings: Text(120) = ""


class ContactPatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    role: Text(120, 1) | None = None
    name: Text(120, 1) | None = None
    organization: Text(200) | None = None
    email: Text(254) | None = None
    phone: Text(40) | None = None
    held_from: date | None = None
    held_until: date | None = None
    notes: Text(5_000) | None = None


class ContactOut(Schema):
    uid: UUID
    country: str = Field(alias="country.iso3")
    role: str
    name: str
    organization: str
    email: str
    phone: str
    held_from: date
    held_until: date | None
    notes: str
    version: int


class ObservanceIn(Schema):
    name: Text(200, 1)
    starts: date
    ends: date
    note: Text(300) = ""


class DayOut(Schema):
    starts: date
    ends: date
    name: str
    country: str
    source: str


class AttachmentOut(Schema):
    uid: UUID
    name: str
    section: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str = Field(alias="uploaded_by.username")
    created: datetime


class DiffQuery(Schema):
    older: int = Field(0, alias="from", ge=0, le=2_000_000_000)
    newer: int = Field(alias="to", ge=1, le=2_000_000_000)


class HandoverIn(Schema):
    successor: Text(150, 1) = Field(description="The username of the person taking over.")
