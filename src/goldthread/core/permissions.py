"""The one permission check used by the web UI, the API and the CLI.

A user may change a record when one of their roles (see `roles.py`) grants the model permission, such as
`events.change_event`, *and* the record lies within that role's reach: the whole theater, the user's countries, or
the user's organization and the units below it. A record says whose responsibility it is through its `scope`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models

from goldthread.core.errors import NotPermitted
from goldthread.core.models import User
from goldthread.core.roles import ROLES

Record = TypeVar("Record", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """Whose responsibility a record is: the countries it concerns and the organizations it belongs to (ids).
    An empty scope is theater business: only a theater-wide role reaches it."""

    countries: frozenset[int] = field(default_factory=frozenset)
    organizations: frozenset[int] = field(default_factory=frozenset)


def reaches(actor: User) -> set[str]:
    if actor.is_superuser:
        return {"theater"}
    return {ROLES[name]["reach"] for name in actor.groups.values_list("name", flat=True) if name in ROLES}


@dataclass(frozen=True)
class Reach:
    """What a user's roles reach, read once: the theater, or the countries and organizations (ids) it covers."""

    theater: bool
    countries: frozenset[int]
    organizations: frozenset[int]

    def covers(self, scope: Scope) -> bool:
        return self.theater or bool(scope.countries & self.countries or scope.organizations & self.organizations)


def reach_of(actor: User) -> Reach:
    reach = reaches(actor)
    if "theater" in reach:
        return Reach(True, frozenset(), frozenset())
    countries = actor.countries.values_list("id", flat=True) if "countries" in reach else ()
    units = actor.organization.subtree_ids() if "organization" in reach and actor.organization_id else ()
    return Reach(False, frozenset(countries), frozenset(units))


def within_reach(actor: User, scope: Scope) -> bool:
    return reach_of(actor).covers(scope)


def allows(actor: User | None, permission: str, target: models.Model | Scope | None = None) -> bool:
    """True if `actor` may use `permission` on `target` (a record, or the scope of one about to be created)."""
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        return False
    if target is None:
        return True
    scope = target if isinstance(target, Scope) else getattr(target, "scope", Scope())
    return within_reach(actor, scope)


def permitted(actor: User | None, permission: str, records: Iterable[Record]) -> list[Record]:
    """The records `actor` may use `permission` on, as `allows` judges each, with the actor's reach read once: a list
    costs no queries per record when the records' scopes are prefetched."""
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        return []
    reach = reach_of(actor)
    return [record for record in records if reach.covers(record.scope)]


def require(actor: User | None, permission: str, target: models.Model | Scope | None = None) -> None:
    if allows(actor, permission, target):
        return
    if actor is not None and actor.is_active and actor.has_perm(permission):
        raise NotPermitted(
            f"{target if not isinstance(target, Scope) else 'This record'} is outside your "
            "organization's and countries' responsibility."
        )
    raise NotPermitted(f"You do not have permission to do this ({permission}).")
