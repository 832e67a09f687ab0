"""Log-ins and log-outs go into the audit trail like any other change."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from goldthread.core import audit
from goldthread.core.models import User


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(user_logged_in)
def logged_in(sender, request, user: User, **kwargs) -> None:
    audit.record(user, "user.login", user, {"address": _address(request)})


@receiver(user_logged_out)
def logged_out(sender, request, user: User | None, **kwargs) -> None:
    if user is not None:
        audit.record(user, "user.logout", user, {"address": _address(request)})


@receiver(user_login_failed)
def login_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    # The password never reaches the trail; the user name tried does, even when no such user exists.
    attempted = str(credentials.get("username", ""))
    audit.record_about(None, "user.login_failed", attempted, {"address": _address(request)})
