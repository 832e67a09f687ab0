"""API tokens: created with their secret shown once, looked up by digest."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from goldthread.core import audit
from goldthread.core.models import ApiToken, User

PREFIX = "gt_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(*, actor: User | None, user: User, name: str = "", days: int | None = 90) -> tuple[ApiToken, str]:
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[:10],
            digest=_digest(secret),
            expires=timezone.now() + timedelta(days=days) if days else None,
        )
        audit.record(actor, "token.created", token, {"user": user.username, "expires": str(token.expires)})
    return token, secret


def user_for_secret(secret: str) -> User | None:
    """The active user a valid, unexpired, unrevoked token belongs to, or None."""
    if not secret.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(secret), revoked__isnull=True).first()
    if token is None or (token.expires and token.expires <= timezone.now()) or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user
