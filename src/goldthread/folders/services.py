"""Every write to country folders: section edits as revisions, restores, verification, owners, contacts,
observances and attachments, and the handover of what one person answers for to a successor. Each is
permission-checked and audited."""

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from goldthread.core import audit, records
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import Scope, require
from goldthread.delivery import services as delivery
from goldthread.delivery.models import Delivery, Subscription
from goldthread.folders import selectors
from goldthread.folders.models import Attachment, Contact, Observance, Revision, Section
from goldthread.planning.models import InformationRequest
from goldthread.search import index
from goldthread.strategy.models import Country


def _section(country: Country, key: str) -> Section:
    if key not in Section.Key.values:
        raise DomainError.on("key", f"No folder section {key!r}; the sections are: {', '.join(Section.Key.values)}.")
    section, _ = Section.objects.get_or_create(country=country, key=key)
    return section


def edit_section(*, actor: User, country: Country, key: str, version: int | None, text: str, reason: str) -> Section:
    """Save new text as the next revision. Whoever edits a section has checked it: it counts as verified today."""
    require(actor, "folders.change_section", Scope(countries=frozenset({country.pk})))
    if not reason.strip():
        raise DomainError.on("reason", "Say why you change the section: the reason is kept with the revision.")
    with transaction.atomic():
        section = _section(country, key)
        if text == section.text and section.number:
            raise DomainError.on("text", "The text is unchanged; to confirm it is still right, mark it verified.")
        number = section.number + 1
        records.save_changes(
            section,
            version=version,
            changes={"text": text, "number": number, "last_verified": timezone.localdate(), "verified_by": actor},
        )
        Revision.objects.create(section=section, number=number, text=text, reason=reason.strip(), author=actor)
        index.put(
            kind="folder section",
            uid=section.uid,
            title=str(section),
            body=text,
            path=reverse("folder-section", args=[country.iso3, key]),
            country=country.iso3,
        )
        audit.record(actor, "section.edited", section, {"revision": number, "reason": reason.strip()})
    return section


def restore(*, actor: User, section: Section, number: int, version: int | None) -> Section:
    """Make an earlier revision's text current again, as a new revision: history is never rewritten."""
    old = Revision.objects.filter(section=section, number=number).first()
    if old is None:
        raise DomainError.on("number", f"{section} has no revision {number}.")
    return edit_section(
        actor=actor,
        country=section.country,
        key=section.key,
        version=version,
        text=old.text,
        reason=f"Restored revision {number}",
    )


def verify(*, actor: User, section: Section) -> Section:
    """Confirm the section is still right without changing it."""
    require(actor, "folders.verify_section", section)
    with transaction.atomic():
        records.save_changes(
            section, version=None, changes={"last_verified": timezone.localdate(), "verified_by": actor}
        )
        audit.record(actor, "section.verified", section, {"last_verified": section.last_verified.isoformat()})
    return section


def set_owner(*, actor: User, country: Country, key: str, owner: User | None) -> Section:
    """Name who answers for keeping a section true; they are reminded when it goes stale."""
    require(actor, "folders.change_section", Scope(countries=frozenset({country.pk})))
    with transaction.atomic():
        section = _section(country, key)
        before = section.owner.username if section.owner else None
        records.save_changes(section, version=None, changes={"owner": owner})
        audit.record(actor, "section.owner_set", section, {"owner": [before, owner.username if owner else None]})
    return section


def remind_stale(*, today: date | None = None) -> int:
    """Put each stale section with an owner back in the owner's inbox, to be verified. Returns how many."""
    today = today or timezone.localdate()
    reminded = 0
    for section in selectors.stale_sections(today=today).filter(owner__isnull=False).select_related("owner"):
        since = f"last verified {section.last_verified:%d %b %Y}" if section.last_verified else "never verified"
        with transaction.atomic():
            delivery.notify(
                actor=None,
                event=None,
                record=section,
                title=f"Verify: {section} ({since})",
                path=reverse("folder-section", args=[section.country.iso3, section.key]),
                users=[section.owner],
            )
        reminded += 1
    return reminded


CONTACT_FIELDS = ["role", "name", "organization", "email", "phone", "held_from", "held_until", "notes", "markings"]


def add_contact(*, actor: User, country: Country, **fields: Any) -> Contact:
    require(actor, "folders.add_contact", Scope(countries=frozenset({country.pk})))
    fields = {"country": country, **fields}
    return records.create(actor, Contact, permission="folders.add_contact", action="contact.created", fields=fields)


def update_contact(*, actor: User, contact: Contact, version: int | None, changes: dict[str, Any]) -> Contact:
    return records.update(
        actor, contact, permission="folders.change_contact", action="contact.updated", version=version, changes=changes
    )


def add_observance(*, actor: User, country: Country, **fields: Any) -> Observance:
    require(actor, "folders.add_observance", Scope(countries=frozenset({country.pk})))
    return records.create(
        actor,
        Observance,
        permission="folders.add_observance",
        action="observance.created",
        fields={"country": country, **fields},
    )


# What a folder accepts, by extension, and the first bytes each must start with: a file is judged by its content,
# not by the name it was given. Office files are ZIP containers.
ACCEPTED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain", ()),
    ".csv": ("text/csv", ()),
}


def attach(*, actor: User, country: Country, section: str, name: str, content: bytes | UploadedFile) -> Attachment:
    """Store a file for a country's folder after checking its type and size; a refused file leaves nothing behind.
    An upload is measured before it is read, so an oversized one never reaches memory."""
    require(actor, "folders.add_attachment", Scope(countries=frozenset({country.pk})))
    size = content.size if isinstance(content, UploadedFile) else len(content)
    if size > settings.ATTACHMENT_MAX_MB * 1024 * 1024:
        limit = settings.ATTACHMENT_MAX_MB
        raise DomainError.on("file", f"The file is {size / 1048576:.1f} MB; the limit is {limit} MB.")
    if isinstance(content, UploadedFile):
        content = content.read()
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ACCEPTED:
        raise DomainError.on(
            "file", f"Files of type {extension or '(none)'} are not accepted; use one of {', '.join(ACCEPTED)}."
        )
    if not content:
        raise DomainError.on("file", "The file is empty.")
    content_type, signatures = ACCEPTED[extension]
    if signatures and not content.startswith(signatures):
        raise DomainError.on("file", f"The file's content is not {extension[1:].upper()}, whatever its name says.")
    if not signatures:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DomainError.on("file", "A text file must be UTF-8 text.") from exc
    if section and section not in Section.Key.values:
        raise DomainError.on("section", f"No folder section {section!r}.")
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        country=country,
        section=section,
        name=name,
        content_type=content_type,
        size=len(content),
        sha256=digest,
        uploaded_by=actor,
    )
    records.validate(attachment)
    with transaction.atomic():
        attachment.save()
        audit.record(actor, "attachment.created", attachment, audit.snapshot(attachment, ["name", "size", "sha256"]))
        path = selectors.attachment_path(attachment)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial")
            partial.write_bytes(content)
            partial.replace(path)  # a crash mid-write never leaves a half file under the real name
    return attachment


def handover(*, actor: User | None, leaving: User, successor: User) -> dict[str, int]:
    """Move what one person answers for to their successor (TURN-1): the folder sections they own, their countries,
    their event subscriptions, the open requests for information they asked (so the answers reach the successor) and
    the deliveries they have not acknowledged. The leaving person keeps their history; nothing is deleted.
    `actor=None` is the command line, run by whoever administers the installation."""
    if actor is not None and actor.pk != leaving.pk:
        require(actor, "core.change_user")
    if not successor.is_active or successor.pk == leaving.pk:
        raise DomainError.on("successor", "The successor must be another, active user.")
    moved: dict[str, int] = {}
    with transaction.atomic():
        moved["sections"] = Section.objects.filter(owner=leaving).update(owner=successor)
        countries = list(leaving.countries.all())
        successor.countries.add(*countries)
        moved["countries"] = len(countries)
        kept = leaving.subscriptions.filter(active=True).select_related("event")
        for subscription in kept:
            Subscription.objects.update_or_create(
                event=subscription.event, user=successor, defaults={"active": True, "reason": subscription.reason}
            )
        moved["subscriptions"] = kept.update(active=False)
        moved["requests"] = InformationRequest.objects.filter(
            asked_by=leaving, status=InformationRequest.Status.OPEN
        ).update(asked_by=successor)
        pending = list(Delivery.objects.filter(recipient=leaving, acknowledged__isnull=True))
        for item in pending:
            Delivery.objects.get_or_create(
                recipient=successor,
                record_uid=item.record_uid,
                defaults={
                    "event": item.event,
                    "record_type": item.record_type,
                    "title": item.title,
                    "path": item.path,
                    "sent": timezone.now(),
                },
            )
        moved["deliveries"] = len(pending)
        audit.record(actor, "user.handed_over", leaving, {"successor": successor.username, **moved})
    return moved
