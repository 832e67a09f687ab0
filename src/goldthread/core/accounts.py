"""User accounts: creating one with a role, and revoking API tokens. Both audited."""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from goldthread.core import audit
from goldthread.core.errors import DomainError
from goldthread.core.models import ApiToken, User
from goldthread.core.roles import ROLES


def create_user(*, actor: User | None, username: str, password: str, role: str, organization=None) -> User:
    """`actor` None means the operator at the command line, who holds the machine and so every right."""
    if role not in ROLES:
        raise DomainError.on("role", f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    if User.objects.filter(username=username).exists():
        raise DomainError.on("username", f"A user named {username!r} exists already.")
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        raise DomainError.on("password", " ".join(exc.messages)) from exc
    admin = role == "administrator"
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, organization=organization, is_superuser=admin, is_staff=admin
        )
        user.groups.add(Group.objects.get(name=role))
        audit.record(actor, "user.created", user, {"role": role, "organization": str(organization or "")})
    return user


def revoke_token(*, actor: User | None, prefix: str) -> ApiToken:
    token = ApiToken.objects.filter(prefix=prefix, revoked__isnull=True).select_related("user").first()
    if token is None:
        raise DomainError.on("prefix", f"No active token starts with {prefix!r}.")
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked=timezone.now())
        audit.record(actor, "token.revoked", token, {"user": token.user.username})
    return token
