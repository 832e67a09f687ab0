"""The home page, the old coverage address and the audit trail; domain pages live in their apps' views."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from goldthread.core import selectors as core_selectors
from goldthread.core.identifiers import is_uuid
from goldthread.evaluation import findings
from goldthread.evaluation.views import read
from goldthread.events.models import fiscal_year
from goldthread.web import mywork

# The user guides ship with Goldthread in docs/user-guide/; the page names the file, as no page serves them.
GUIDES = "docs/user-guide/"


@login_required
@read
def home(request: HttpRequest) -> HttpResponse:
    """The user's work: inbox, deadlines, their countries' or organization's events and what changed in what they
    follow (web/mywork.py); below, the theater at a glance for those who answer for the whole theater."""
    today = timezone.localdate()
    work = mywork.gather(request.user, today)
    context: dict = {"work": work, "guides": GUIDES}
    if mywork.theater_roles(work.who.roles):
        context["theater"] = _theater(today)
    return render(request, "web/home.html", context)


def _theater(today: date) -> dict:
    """This fiscal year's counts and coverage gaps across the theater."""
    current = fiscal_year(today)
    counts = findings.counts(findings.Filters.of(today, fiscal_year=current))
    return {
        "fiscal_year": current,
        "counts": findings.totals(current),
        "gaps": [(kind, counts[kind.key]) for kind in findings.KINDS if counts[kind.key]],
    }


def coverage(request: HttpRequest) -> HttpResponse:
    """The coverage page became the evaluation dashboard; old links and bookmarks still arrive there."""
    query = request.GET.copy()
    if query.get("fiscal_year") == "all":
        query.pop("fiscal_year")
    return redirect(f"{reverse('evaluation')}?{query.urlencode()}" if query else reverse("evaluation"))


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
