"""The home page and the coverage page; domain pages live in their apps' views."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from goldthread.core import selectors as core_selectors
from goldthread.core.identifiers import is_uuid
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


def _day(value: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(value), time.min, tzinfo=timezone.get_current_timezone())
    except ValueError:
        return None


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    params = {
        k: (request.GET.get(k) or "").replace("\x00", "")[:150] for k in ("actor", "action", "object", "since", "until")
    }
    until = _day(params["until"])
    entries = core_selectors.audit_entries(
        objects=[params["object"]] if is_uuid(params["object"]) else None,
        actor=params["actor"] or None,
        action=params["action"] or None,
        since=_day(params["since"]),
        until=until + timedelta(days=1) if until else None,
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/audit.html", {"page": page, "params": params, "query": query.urlencode()})
