"""Evaluation pages: the coverage findings, one kind of finding in full, data discipline, the portfolio across
countries with each country's standing, and the contribution analysis of an objective."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from goldthread.core import audit
from goldthread.core.errors import DomainError
from goldthread.core.permissions import allows
from goldthread.evaluation import cache, contribution, discipline, findings, pictures, portfolio, services
from goldthread.evaluation.forms import FilterForm, StandingForm
from goldthread.evaluation.models import CountryStanding
from goldthread.events.models import fiscal_year
from goldthread.reports import evaluation_document
from goldthread.strategy.models import Country, Objective
from goldthread.web.errors import form_status, show_in_form

SHOWN = 10  # findings of each kind on the dashboard; the rest are a click away
PAGE_SIZE = 50
BREAKDOWNS = {"country": "Country", "organization": "Organization", "fiscal-year": "Fiscal year"}
TREND_YEARS = 5


def read(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of figures: it may show results kept from before others' latest changes, and says so
    (evaluation/cache.py); `?fresh` counts everything now."""

    @wraps(view)
    def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        query = request.GET.copy()
        query["fresh"] = "1"
        request.fresh_url = f"{request.path}?{query.urlencode()}"
        with cache.reading(request.user.pk, fresh="fresh" in request.GET) as reading:
            request.reading = reading
            return view(request, *args, **kwargs)

    return page


def _filtered(request: HttpRequest) -> tuple[FilterForm, findings.Filters, str]:
    form = FilterForm(request.GET, today=timezone.localdate())
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("fresh", None)
    return form, form.filters(), query.urlencode()


def _status(form: FilterForm) -> int:
    return 400 if form.errors else 200


@dataclass
class CountryView:
    country: Country
    counts: dict[str, int]
    standing: CountryStanding | None


def _mine(user, f: findings.Filters) -> dict:
    """What the user's role looks at first: a planner the theater's saturation and weakest units, a desk officer or
    SCO their countries, an assessor what waits to be assessed and the objectives with most to say."""
    roles = set(user.groups.values_list("name", flat=True))
    mine: dict = {}
    if roles & {"strategic_planner", "administrator"}:
        this_year = findings.Filters.of(f.today, fiscal_year=fiscal_year(f.today))
        mine["saturated"] = [row for row in portfolio.rows(this_year) if row.saturated]
        lines = discipline.lines(on=f.today, fiscal_years=[this_year.fiscal_year])
        weakest = [line for line in lines if line.score is not None]
        mine["weakest"] = weakest[:5]
        mine["year"] = this_year.fiscal_year
    if countries := list(user.countries.select_related("standing").order_by("name")):
        counts = findings.per_country(findings.Filters.of(f.today), tuple(c.pk for c in countries))
        mine["countries"] = [CountryView(c, counts[c.pk], getattr(c, "standing", None)) for c in countries]
    if "assessor" in roles:
        mine["to_analyse"] = contribution.most_claimed(f, 8)
    return mine


@login_required
@read
def dashboard(request: HttpRequest) -> HttpResponse:
    form, f, query = _filtered(request)
    by = request.GET.get("by", "country")
    by = by if by in BREAKDOWNS else "country"
    counts = findings.counts(f)
    first = findings.first(f, SHOWN)
    sections = [(kind, counts[kind.key], first[kind.key]) for kind in findings.KINDS]
    context = {
        "form": form,
        "filters": f,
        "query": query,
        "sections": sections,
        "total": sum(counts.values()),
        "by": by,
        "breakdowns": BREAKDOWNS,
        "breakdown": findings.breakdown(f, by),
        "kinds": findings.KINDS,
        "mine": _mine(request.user, f),
    }
    return render(request, "evaluation/dashboard.html", context, status=_status(form))


@login_required
@read
def finding_list(request: HttpRequest, kind: str) -> HttpResponse:
    chosen = findings.BY_KEY.get(kind)
    if chosen is None:
        raise Http404
    form, f, query = _filtered(request)
    paginator = Paginator(findings.ordered(chosen, f), PAGE_SIZE)
    paginator.count = findings.counts(f)[chosen.key]  # kept, where counting again would read every record
    page = paginator.get_page(request.GET.get("page"))
    shown = [findings.describe(chosen, record, f) for record in page.object_list]
    context = {"form": form, "kind": chosen, "page": page, "shown": shown, "query": query}
    return render(request, "evaluation/finding_list.html", context, status=_status(form))


@login_required
@read
def discipline_page(request: HttpRequest) -> HttpResponse:
    form, f, query = _filtered(request)
    current = fiscal_year(f.today)
    years = [f.fiscal_year] if f.fiscal_year else list(range(current - TREND_YEARS + 1, current + 1))
    lines = discipline.lines(
        on=f.today, fiscal_years=years, units=set(f.unit_ids) or None, country=f.country and f.country.pk
    )
    context = {
        "form": form,
        "query": query,
        "lines": lines,
        "years": years,
        "measures": discipline.MEASURES,
    }
    return render(request, "evaluation/discipline.html", context, status=_status(form))


@login_required
@read
def objective_contribution(request: HttpRequest, uid) -> HttpResponse:
    objective = get_object_or_404(Objective.objects.select_related("country"), uid=uid)
    result = contribution.analyse(objective, today=timezone.localdate())
    context = {"objective": objective, "result": result, "verdicts": contribution.VERDICTS}
    return render(request, "evaluation/contribution.html", context)


@login_required
@read
def portfolio_page(request: HttpRequest) -> HttpResponse:
    form, f, query = _filtered(request)
    rows = portfolio.rows(f)
    context = {
        "form": form,
        "query": query,
        "rows": rows,
        "pictures": pictures.for_page(f),
        "types": portfolio.TYPES,
        "saturated": [row for row in rows if row.saturated],
        "may_edit": request.user.has_perm("evaluation.change_countrystanding"),
    }
    return render(request, "evaluation/portfolio.html", context, status=_status(form))


@login_required
def standing_edit(request: HttpRequest, iso3: str) -> HttpResponse:
    country = get_object_or_404(Country, iso3=iso3.upper())
    standing = CountryStanding.objects.filter(country=country).first()
    if not allows(request.user, "evaluation.change_countrystanding", standing or CountryStanding(country=country)):
        raise PermissionDenied("You may not record the standing of this country.")
    posted = request.method == "POST"
    form = StandingForm(request.POST if posted else None, instance=standing)
    if posted and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.STANDING_FIELDS}
        try:
            services.set_standing(actor=request.user, country=country, version=form.cleaned_data["version"], **fields)
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            messages.success(request, f"The standing of {country.name} is recorded.")
            return redirect(reverse("evaluation-portfolio") + f"#c-{country.iso3}")
    context = {"form": form, "country": country, "standing": standing}
    return render(request, "evaluation/standing_form.html", context, status=form_status(form))


@login_required
def report_file(request: HttpRequest, format: str) -> HttpResponse:  # noqa: A002
    """The evaluation report on the filters as DOCX, PDF or XLSX (its data)."""
    if format not in evaluation_document.FILE_FORMATS:
        raise Http404
    form, f, _ = _filtered(request)
    if form.errors:
        return dashboard(request)  # the filters with their errors in place, answered with 400
    content, content_type, filename = evaluation_document.file(f, format)
    audit.record_about(request.user, "evaluation.exported", filename, {"format": format, **request.GET.dict()})
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
