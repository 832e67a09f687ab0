"""The home page and the coverage page; domain pages live in their apps' views."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from goldthread.events import selectors as event_selectors
from goldthread.events.models import ContributionClaim, Event, fiscal_year
from goldthread.strategy.models import Country, Objective


def _fiscal_year_param(request: HttpRequest, default: int | None) -> int | None:
    value = request.GET.get("fiscal_year", "")
    if value == "all":
        return None
    return int(value) if value.isdigit() and len(value) == 4 else default


@login_required
def home(request: HttpRequest) -> HttpResponse:
    current = fiscal_year(timezone.localdate())
    coverage = event_selectors.coverage(current)
    upcoming = event_selectors.events().filter(start_date__gte=timezone.localdate()).order_by("start_date")[:8]
    return render(
        request,
        "web/home.html",
        {
            "fiscal_year": current,
            "counts": {
                "objectives": Objective.objects.count(),
                "events": Event.objects.filter(fiscal_year=current).count(),
                "claims": ContributionClaim.objects.filter(event__fiscal_year=current).count(),
                "countries": Country.objects.filter(in_aor=True).count(),
            },
            "coverage": coverage,
            "upcoming": upcoming,
        },
    )


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    year = _fiscal_year_param(request, fiscal_year(timezone.localdate()))
    years = Event.objects.values_list("fiscal_year", flat=True).distinct().order_by("-fiscal_year")
    return render(
        request,
        "web/coverage.html",
        {
            "coverage": event_selectors.coverage(year),
            "fiscal_year": year,
            "fiscal_years": years,
        },
    )
