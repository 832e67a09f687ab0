"""REST endpoints for country folders. Parse, call one service, render."""

from datetime import date, timedelta
from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.schemas import ERRORS
from goldthread.folders import selectors, services
from goldthread.folders.markdown import to_html
from goldthread.folders.models import Attachment, Contact, Revision, Section
from goldthread.folders.schemas import (
    AttachmentOut,
    ContactIn,
    ContactOut,
    ContactPatch,
    DayOut,
    DiffLineOut,
    DiffQuery,
    HandoverIn,
    ObservanceIn,
    OwnerIn,
    RestoreIn,
    RevisionOut,
    SectionIn,
    SectionOut,
)
from goldthread.strategy.api import country as resolve_country

router = Router(tags=["country folders"])


def _country(iso3: str):
    found = resolve_country(iso3[:3], "iso3")
    if found is None:
        raise Http404
    return found


def _out(section: Section) -> dict:
    return {
        "key": section.key,
        "title": section.get_key_display(),
        "text": section.text,
        "html": to_html(section.text),
        "number": section.number,
        "owner": section.owner.username if section.owner else None,
        "last_verified": section.last_verified,
        "stale": bool(section.pk) and selectors.is_stale(section),
        "version": section.version,
    }


def _section(iso3: str, key: Section.Key) -> Section:
    return selectors.section(_country(iso3), key)


@router.get("/countries/{iso3}/folder", response={200: list[SectionOut], **ERRORS})
def get_folder(request: HttpRequest, iso3: str):
    """The folder's sections in their fixed order; a section never written is empty, at revision 0."""
    return [_out(s) for s in selectors.sections(_country(iso3))]


@router.get("/countries/{iso3}/folder/{key}", response={200: SectionOut, **ERRORS})
def get_section(request: HttpRequest, iso3: str, key: Section.Key):
    return _out(_section(iso3, key))


@router.put("/countries/{iso3}/folder/{key}", response={200: SectionOut, **ERRORS})
def edit_section(request: HttpRequest, iso3: str, key: Section.Key, payload: SectionIn):
    """Save new text as the next revision, with the reason; the section counts as verified today."""
    section = services.edit_section(
        actor=request.auth,
        country=_country(iso3),
        key=key,
        version=payload.version,
        text=payload.text,
        reason=payload.reason,
    )
    return _out(section)


@router.get("/countries/{iso3}/folder/{key}/revisions", response={200: list[RevisionOut], **ERRORS})
def list_revisions(request: HttpRequest, iso3: str, key: Section.Key):
    return selectors.revisions(_section(iso3, key))


@router.get("/countries/{iso3}/folder/{key}/diff", response={200: list[DiffLineOut], **ERRORS})
def diff(request: HttpRequest, iso3: str, key: Section.Key, query: Query[DiffQuery]):
    """Line by line, what changed between two revisions (`from=0` is the empty section)."""
    try:
        return selectors.diff(_section(iso3, key), query.older, query.newer)
    except Revision.DoesNotExist as exc:
        raise Http404 from exc


@router.post("/countries/{iso3}/folder/{key}/restore", response={200: SectionOut, **ERRORS})
def restore(request: HttpRequest, iso3: str, key: Section.Key, payload: RestoreIn):
    """Make an earlier revision's text current again, as a new revision."""
    section = _section(iso3, key)
    if section.pk is None:
        raise DomainError.on("number", "The section has no revisions.")
    return _out(services.restore(actor=request.auth, section=section, number=payload.number, version=payload.version))


@router.post("/countries/{iso3}/folder/{key}/verify", response={200: SectionOut, **ERRORS})
def verify(request: HttpRequest, iso3: str, key: Section.Key):
    section = _section(iso3, key)
    if section.pk is None:
        raise DomainError.on("key", "Write the section before verifying it.")
    return _out(services.verify(actor=request.auth, section=section))


@router.put("/countries/{iso3}/folder/{key}/owner", response={200: SectionOut, **ERRORS})
def set_owner(request: HttpRequest, iso3: str, key: Section.Key, payload: OwnerIn):
    country = _country(iso3)
    owner = None
    if payload.owner:
        owner = User.objects.filter(username=payload.owner, is_active=True).first()
        if owner is None:
            raise DomainError.on("owner", f"No active user {payload.owner!r}.")
    return _out(services.set_owner(actor=request.auth, country=country, key=key, owner=owner))


@router.get("/countries/{iso3}/contacts", response={200: list[ContactOut], **ERRORS})
def list_contacts(request: HttpRequest, iso3: str):
    """Who held which role for the country, current holders and their predecessors."""
    return Contact.objects.filter(country=_country(iso3)).select_related("country")


@router.post("/countries/{iso3}/contacts", response={201: ContactOut, **ERRORS})
def add_contact(request: HttpRequest, iso3: str, payload: ContactIn):
    return Status(201, services.add_contact(actor=request.auth, country=_country(iso3), **payload.dict()))


@router.patch("/contacts/{uid}", response={200: ContactOut, **ERRORS})
def update_contact(request: HttpRequest, uid: UUID, payload: ContactPatch):
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    contact = get_object_or_404(Contact.objects.select_related("country"), uid=uid)
    return services.update_contact(actor=request.auth, contact=contact, version=version, changes=changes)


class CalendarQuery(Schema):
    start: date | None = None
    end: date | None = None


@router.get("/countries/{iso3}/calendar", response={200: list[DayOut], **ERRORS})
def calendar(request: HttpRequest, iso3: str, query: Query[CalendarQuery]):
    """Public holidays and observances; by default the next twelve months, at most five years at once."""
    start = query.start or timezone.localdate()
    end = query.end or start + timedelta(days=365)
    if end < start or (end - start).days > 5 * 366:
        raise DomainError.on("end", "Give an end after the start, at most five years later.")
    return selectors.calendar(_country(iso3), start, end)


@router.post("/countries/{iso3}/observances", response={201: DayOut, **ERRORS})
def add_observance(request: HttpRequest, iso3: str, payload: ObservanceIn):
    country = _country(iso3)
    observance = services.add_observance(actor=request.auth, country=country, **payload.dict())
    return Status(
        201,
        selectors.Day(observance.starts, observance.ends, observance.name, country.name, "observance"),
    )


@router.get("/countries/{iso3}/attachments", response={200: list[AttachmentOut], **ERRORS})
def list_attachments(request: HttpRequest, iso3: str):
    return selectors.attachments(_country(iso3))


@router.post("/countries/{iso3}/attachments", response={201: AttachmentOut, **ERRORS})
def upload(request: HttpRequest, iso3: str, file: File[UploadedFile], section: Form[str] = ""):
    """A multipart upload (`file`, optional `section`); refused types and sizes are named and nothing is stored."""
    attachment = services.attach(
        actor=request.auth, country=_country(iso3), section=section, name=file.name or "", content=file
    )
    return Status(201, attachment)


@router.get("/attachments/{uid}", response={200: None, **ERRORS})
def download(request: HttpRequest, uid: UUID):
    """The file itself, always as a download."""
    attachment = get_object_or_404(Attachment, uid=uid)
    path = selectors.attachment_path(attachment)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )


@router.post("/users/{username}/handover", response={200: dict[str, int], **ERRORS}, tags=["continuity"])
def handover(request: HttpRequest, username: str, payload: HandoverIn):
    """Move the folder sections, countries, subscriptions, open requests and unacknowledged deliveries of a person
    who leaves to their successor. An administrator does it, or the person themselves. Returns what moved."""
    leaving = get_object_or_404(User, username=username)
    successor = User.objects.filter(username=payload.successor).first()
    if successor is None:
        raise DomainError.on("successor", f"No user {payload.successor!r}.")
    return services.handover(actor=request.auth, leaving=leaving, successor=successor)
