"""Reads over the audit trail."""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from django.db.models import QuerySet

from goldthread.core.models import AuditEntry


def audit_entries(
    *,
    objects: Iterable[UUID | str] | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEntry]:
    """Newest first. `objects` are record uids; `action` matches a prefix, so "event." finds every event change."""
    query = AuditEntry.objects.select_related("actor")
    if objects is not None:
        query = query.filter(object_uid__in=list(objects))
    if actor:
        query = query.filter(actor__username=actor)
    if action:
        query = query.filter(action__startswith=action)
    if since:
        query = query.filter(at__gte=since)
    if until:
        query = query.filter(at__lt=until)
    return query
