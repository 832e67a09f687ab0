"""Optimistic locking: an update names the version it was based on, and loses to nobody silently."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from goldthread.core import audit
from goldthread.core.errors import Conflict, DomainError
from goldthread.core.permissions import require


def save_changes(obj: models.Model, *, version: int | None, changes: dict[str, Any]) -> None:
    """Write `changes` (plain, non-M2M fields) to `obj` if its stored version is still `version`.

    `version=None` means the caller did not read the record first (CLI, bulk tools): last writer wins,
    but the version still moves so other readers see the change.
    """
    query = type(obj).objects.filter(pk=obj.pk)
    if version is not None:
        query = query.filter(version=version)
    written = query.update(**changes, version=F("version") + 1, updated=timezone.now())
    if not written:
        stored = type(obj).objects.filter(pk=obj.pk).first()
        current = stored.version if stored else None
        raise Conflict(
            f"{stored or obj} was changed by someone else since you opened it (you had version {version}, "
            f"it is now at version {current}). Reload it and apply your change again.",
            {"version": [f"stale: stored version is {current}"]},
        )
    # Only now: a refused write leaves the caller's object as it was read.
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.refresh_from_db(fields=["version", "updated"])


def validate(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's field validation and raise it as a DomainError with per-field messages."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        errors = {("__all__" if k == "__all__" else k): list(v) for k, v in exc.message_dict.items()}
        first = next(iter(errors.values()))[0]
        raise DomainError(f"Please correct the input: {first}", errors) from exc


def _editable_fields(obj: models.Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if f.editable and not f.primary_key]


def create(
    actor,
    model: type[models.Model],
    *,
    permission: str,
    action: str,
    fields: dict[str, Any],
    check: Callable[[models.Model], None] | None = None,
) -> models.Model:
    """The write path for a simple record: permission, validation, extra rules, transaction, audit."""
    require(actor, permission)
    obj = model(**fields)
    validate(obj)
    if check:
        check(obj)
    with transaction.atomic():
        obj.save()
        audit.record(actor, action, obj, audit.snapshot(obj, _editable_fields(obj)))
    return obj


def update(
    actor,
    obj: models.Model,
    *,
    permission: str,
    action: str,
    version: int | None,
    changes: dict[str, Any],
    check: Callable[[models.Model], None] | None = None,
) -> models.Model:
    """The same for an update, refusing a stale `version` (see `save_changes`)."""
    require(actor, permission, obj)
    before = audit.snapshot(obj, list(changes))
    for name, value in changes.items():
        setattr(obj, name, value)
    validate(obj)
    if check:
        check(obj)
    with transaction.atomic():
        save_changes(obj, version=version, changes=changes)
        audit.record(actor, action, obj, audit.diff(before, audit.snapshot(obj, list(changes))))
    return obj
