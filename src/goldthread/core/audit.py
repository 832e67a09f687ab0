"""Writing the audit trail. Every service that changes data calls `record` inside its transaction."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import models

from goldthread.core.models import AuditEntry, User


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime | UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def record_about(actor: User | None, action: str, subject: str, changes: dict | None = None) -> AuditEntry:
    """An entry about something that is not a stored record: a failed log-in, a restore."""
    return AuditEntry.objects.create(
        actor=actor, action=action, object_type="system", object_repr=subject[:300], changes=changes or {}
    )


def record(actor: User | None, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_uid=getattr(obj, "uid", None),
        object_repr=str(obj)[:300],
        changes=changes or {},
    )
