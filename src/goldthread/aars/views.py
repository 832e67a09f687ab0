"""Web pages of AARs and lessons."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from goldthread.aars.models import ChannelItem, Observation, Report


@login_required
def report(request: HttpRequest, uid: str) -> HttpResponse:
    found = get_object_or_404(Report, uid=uid)
    return render(request, "aars/report.html", {"report": found})


@login_required
def observation(request: HttpRequest, uid: str) -> HttpResponse:
    found = get_object_or_404(Observation, uid=uid)
    return render(request, "aars/observation.html", {"observation": found})


@login_required
def channel_item(request: HttpRequest, uid: str) -> HttpResponse:
    found = get_object_or_404(ChannelItem, uid=uid)
    return render(request, "aars/channel_item.html", {"item": found})
