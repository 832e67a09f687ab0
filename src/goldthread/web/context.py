from django.conf import settings
from django.http import HttpRequest

from goldthread.delivery.models import Delivery


def markings(request: HttpRequest) -> dict:
    """The classification banner every page shows, top and bottom, and the user's count of unread deliveries."""
    unread = 0
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        unread = Delivery.objects.filter(recipient=request.user, read__isnull=True).count()
    return {"classification": settings.CLASSIFICATION, "unread": unread}
