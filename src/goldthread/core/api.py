"""REST endpoint for the audit trail: who changed what, when."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from goldthread.core import selectors
from goldthread.core.schemas import ERRORS, Moment, Pages, Text

router = Router()


class AuditOut(Schema):
    at: datetime
    actor: str | None = Field(None, alias="actor.username")
    action: str
    object_type: str
    object_uid: UUID | None
    object_repr: str
    changes: dict[str, Any]


class AuditFilters(Schema):
    object: UUID | None = Field(None, description="Uid of the record.")
    actor: Text(150) | None = Field(None, description="User name.")
    action: Text(60) | None = Field(None, description='Action or its prefix, e.g. "event." or "claim.created".')
    since: Moment | None = None
    until: Moment | None = None


@router.get("/audit", response={200: list[AuditOut], **ERRORS}, tags=["audit"])
@paginate(Pages, page_size=100)
def list_audit(request: HttpRequest, filters: Query[AuditFilters]):
    """The audit trail, newest first: every change with its actor, time and before/after values."""
    return selectors.audit_entries(
        objects=[filters.object] if filters.object else None,
        actor=filters.actor,
        action=filters.action,
        since=filters.since,
        until=filters.until,
    )
