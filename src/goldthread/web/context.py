from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from goldthread.delivery.models import Delivery
from goldthread.web.help import guide_url


def markings(request: HttpRequest) -> dict:
    """The classification banner every page shows, top and bottom, the user's count of unread deliveries, and the
    address of their role's guide for the Help link (looked up only on pages that do not point at a section)."""
    context = {"classification": settings.CLASSIFICATION, "unread": 0}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread"] = Delivery.objects.filter(recipient=user, read__isnull=True).count()
        context["help_url"] = SimpleLazyObject(lambda: guide_url(user))
    return context
