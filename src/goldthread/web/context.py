from django.conf import settings
from django.http import HttpRequest


def markings(request: HttpRequest) -> dict:
    """The classification banner every page shows, top and bottom."""
    return {"classification": settings.CLASSIFICATION}
