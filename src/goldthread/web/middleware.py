"""What every request passes through: response headers (everything is served from this origin, so the policy can be
strict), the session's idle timeout, and single sign-on through a reverse proxy."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.backends import RemoteUserBackend
from django.contrib.auth.middleware import RemoteUserMiddleware
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeaders:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class IdleTimeout:
    """Renew a session's idle timeout from the requests made with it. Writing the session on every request
    (SESSION_SAVE_EVERY_REQUEST) costs a write transaction on each page read; renewed once SESSION_RENEW_SECONDS
    have passed, a session ends between SESSION_COOKIE_AGE less that and SESSION_COOKIE_AGE after its last request."""

    RENEWED = "goldthread_renewed"  # the session's key for when it was last renewed

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Runs before SessionMiddleware's response step, which saves a session that was changed here.
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.RENEWED, 0) >= settings.SESSION_RENEW_SECONDS:
                session[self.RENEWED] = now
        return response


class ProxyRemoteUser(RemoteUserMiddleware):
    """Single sign-on: trust the user name a reverse proxy puts in a header after its own log-in (smart card, SAML,
    OIDC). Does nothing unless GOLDTHREAD_REMOTE_USER_HEADER names the header; set it only where the proxy strips
    that header from what clients send."""

    def process_request(self, request: HttpRequest) -> None:
        if settings.REMOTE_USER_HEADER:
            self.header = "HTTP_" + settings.REMOTE_USER_HEADER.upper().replace("-", "_")
            super().process_request(request)


class ExistingRemoteUserBackend(RemoteUserBackend):
    """Accounts, and with them roles, are still created by an administrator; an unknown name gets no session."""

    create_unknown_user = False
