"""Writing the audit trail. Every service that changes data calls `record` inside its transaction."""

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from django.db import connection, models, transaction
from django.utils import timezone

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
    return _append(
        AuditEntry(actor=actor, action=action, object_type="system", object_repr=subject[:300], changes=changes or {})
    )


def record(actor: User | None, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    return _append(
        AuditEntry(
            actor=actor,
            action=action,
            object_type=obj._meta.label_lower,
            object_uid=getattr(obj, "uid", None),
            object_repr=str(obj)[:300],
            changes=changes or {},
        )
    )


# The trail is a hash chain: each entry's digest covers its content and the digest before it, so changing or
# deleting a past entry breaks every digest after it (`goldthread check audit`).
CHAIN_LOCK = 0x67746175  # PostgreSQL advisory lock key; any constant shared by every process


def _append(entry: AuditEntry) -> AuditEntry:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        # On SQLite every write transaction already holds the database's single write lock (BEGIN IMMEDIATE).
        previous = AuditEntry.objects.order_by("-id").values_list("digest", flat=True).first() or ""
        entry.at = timezone.now()
        entry.digest = digest(entry, previous)
        entry.save()
    return entry


def digest(entry: AuditEntry, previous: str) -> str:
    content = {
        "previous": previous,
        "at": entry.at.astimezone(UTC).isoformat(),
        "actor": entry.actor_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_uid": str(entry.object_uid) if entry.object_uid else None,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def verify_chain() -> AuditEntry | None:
    """The first entry whose digest does not match the trail before it, or None if the whole trail holds."""
    previous = ""
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.digest != digest(entry, previous):
            return entry
        previous = entry.digest
    return None
