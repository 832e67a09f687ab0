"""The checks a demo record passes when it is written straight to its table rather than through its service
(docs/decisions/0007-demo-loader-writes-directly.md). Demo data that breaks a rule is a bug in the demo, reported like
any refused write."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models

from goldthread.core.errors import DomainError


def require(condition: object, message: str) -> None:
    if not condition:
        raise DomainError(f"Demo data breaks a rule: {message}")


def valid(records: Iterable[models.Model]) -> None:
    """The field rules a service's validation applies (lengths, choices, required values), without the queries it
    makes per record for keys and unique values: the bulk writers look those up once for all."""
    for record in records:
        try:
            record.clean_fields(exclude=[f.name for f in record._meta.concrete_fields if f.is_relation])
        except ValidationError as exc:
            raise DomainError(f"Demo data breaks a rule: {record._meta.verbose_name}: {exc.message_dict}") from exc
