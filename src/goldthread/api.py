"""The REST API: one NinjaAPI, token or session authentication, and the one mapping of errors to HTTP."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from goldthread import __version__
from goldthread.aars.api import router as aars_router
from goldthread.core import tokens
from goldthread.core.api import router as audit_router
from goldthread.core.errors import DomainError
from goldthread.delivery.api import router as delivery_router
from goldthread.evaluation.api import router as evaluation_router
from goldthread.events.api import router as events_router
from goldthread.folders.api import router as folders_router
from goldthread.measures.api import router as measures_router
from goldthread.planning.api import router as planning_router
from goldthread.readiness.api import router as readiness_router
from goldthread.search.api import router as search_router
from goldthread.strategy.api import router as strategy_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = tokens.user_for_secret(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Goldthread API",
    version=__version__,
    description="Security cooperation planning: objectives, events and the contribution claims between them. "
    "Authenticate with `Authorization: Bearer <token>` (create one with `goldthread token create USERNAME`).",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)
api.add_router("/", strategy_router)
api.add_router("/", events_router)
api.add_router("/", planning_router)
api.add_router("/", delivery_router)
api.add_router("/", folders_router)
api.add_router("/", readiness_router)
api.add_router("/", aars_router)
api.add_router("/", measures_router)
api.add_router("/", search_router)
api.add_router("/", audit_router)
api.add_router("/evaluation", evaluation_router, tags=["evaluation"])


def _error(request: HttpRequest, status: int, detail: str, errors: dict | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.detail, exc.errors)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # loc is like ("body", "payload", "countries", 0): keep what names the field.
        path = [str(p) for p in error.get("loc", ()) if p not in ("body", "payload", "query", "path", "filters")]
        errors.setdefault(".".join(path) or "__all__", []).append(error.get("msg", "invalid"))
    return _error(request, 422, "The request is not valid; see errors.", errors)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Authentication required: send Authorization: Bearer <token>.")


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, "You do not have permission to do this.")


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return _error(request, 413, f"The request body is larger than the limit of {limit} KiB.")


@api.exception_handler(SuspiciousOperation)
@api.exception_handler(MultiPartParserError)
def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A malformed multipart body, or one with too many fields or files: Django would answer with an HTML page.
    return _error(request, 400, "The request body could not be read; send the file as multipart/form-data.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))
