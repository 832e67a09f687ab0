"""The one permission check used by the web UI, the API and the CLI.

Roles are Django groups (see `roles.py`); a role grants model permissions such as `events.change_event`.
"""

from django.db import models

from goldthread.core.errors import NotPermitted
from goldthread.core.models import User


def require(actor: User | None, permission: str, obj: models.Model | None = None) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        raise NotPermitted(f"You do not have permission to do this ({permission}).")
