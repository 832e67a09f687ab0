"""Web pages of indicators and assessments: the indicator list, one indicator with its trend, targets, values
waiting for approval and period locks; recording and approving values; the bulk import with its preview; and
assessments of an objective with the evidence they cite. Every change goes through `measures.services`."""

import base64
import binascii
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from goldthread.core import selectors as core_selectors
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import allows
from goldthread.events.models import Event
from goldthread.measures import chart, importing, rollup, selectors, services
from goldthread.measures.forms import (
    IMPORT_MAX_BYTES,
    AssessmentForm,
    ConfirmImportForm,
    DecisionForm,
    EvidenceForm,
    ImportForm,
    IndicatorForm,
    LockForm,
    TargetForm,
    ValueForm,
    VersionForm,
)
from goldthread.measures.models import Assessment, Evidence, Indicator, Measurement
from goldthread.reports import measures_document
from goldthread.strategy.models import Country, Objective
from goldthread.web import tables
from goldthread.web.downloads import download
from goldthread.web.errors import form_status, show_in_form

PAGE_SIZE = 50
RECENT_VALUES = 25
WAITING_SHOWN = 50
PREVIEW_ROWS = 200  # rows of an import shown in order; later rows only when something is wrong with them
GRAINS = {"quarter": "Fiscal quarters", "year": "Fiscal years"}
SMART_PARTS = {"measure": "a measure", "target": "a target", "target_date": "a target date", "owner": "an owner"}


def _require(user: User, permission: str, record=None) -> None:
    """Write controls are hidden from those who may not use them; a request made anyway is refused outright."""
    if not allows(user, permission, record):
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")


def _text(request: HttpRequest, name: str, limit: int = 100) -> str:
    return (request.GET.get(name) or "").replace("\x00", "")[:limit].strip()


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _indicator(uid) -> Indicator:
    query = Indicator.objects.select_related("objective__owner", "event", "responsible", "rolls_up_to")
    return get_object_or_404(query.prefetch_related("targets", "locks__locked_by"), uid=uid)


def _measurement(uid) -> Measurement:
    return get_object_or_404(Measurement.objects.select_related("indicator", "event", "recorded_by"), uid=uid)


def _assessment(uid) -> Assessment:
    return get_object_or_404(Assessment.objects.select_related("objective", "assessor"), uid=uid)


def smart_gaps(objective: Objective | None) -> list[str]:
    """What the objective an indicator serves still lacks to be SMART (Objective.is_smart), in words."""
    if objective is None or objective.is_smart:
        return []
    present = {
        "measure": objective.measure,
        "target": objective.target,
        "target_date": objective.target_date,
        "owner": objective.owner_id,
    }
    return [words for name, words in SMART_PARTS.items() if not present[name]]


def _grain(request: HttpRequest, indicator: Indicator) -> str:
    chosen = _text(request, "grain", 10)
    if chosen in GRAINS:
        return chosen
    return "year" if indicator.frequency == Indicator.Frequency.YEARLY else "quarter"


# --- the list -----------------------------------------------------------------------------------------------------

INDICATOR_TABLE = tables.Table(
    name="indicators",
    url_name="indicator-list",
    # The order in which indicator_list.html renders the cells. The latest value and its target are computed from
    # the values of the indicators on the page, so they cannot sort the whole list.
    columns=(
        tables.Column("code", "Code", sort=("code",), required=True),
        tables.Column("kind", "Kind", sort=("kind",)),
        tables.Column("statement", "What is measured", sort=("statement",)),
        tables.Column("measures", "Measures", sort=(Coalesce("objective__code", "event__code"),), empty_last=True),
        tables.Column("latest", "Latest value"),
        tables.Column("target", "Target"),
        tables.Column("status", "Status", sort=(tables.choice_order("status", Indicator.Status.values),)),
    ),
    default_sort="code",
    tie_break=("code",),
    page_size=PAGE_SIZE,
)


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    kind = _text(request, "kind", 3)
    kind = kind if kind in Indicator.Kind.values else ""
    status = _text(request, "status", 8)
    status = status if status in Indicator.Status.values else ""
    country = _text(request, "country", 3).upper()
    objective = _text(request, "objective", 40)
    words = _text(request, "q")
    found = selectors.indicators(kind=kind, country=country, objective=objective, status=status, query=words)
    table = INDICATOR_TABLE.bind(request, found.prefetch_related("targets"))
    shown = list(table.page.object_list)
    computed = rollup.series(shown)
    context = {
        "table": table,
        "page": table.page,
        "rows": [(i, computed[i.pk].last) for i in shown],
        "filtered": bool(kind or status or country or objective or words),
        "kind": kind,
        "status": status,
        "country": country,
        "objective": objective,
        "q": words,
        "kinds": Indicator.Kind.choices,
        "statuses": Indicator.Status.choices,
        "countries": Country.objects.filter(in_aor=True).order_by("name"),
        "may_add": request.user.has_perm("measures.add_indicator"),
        "may_import": request.user.has_perm("measures.add_measurement"),
    }
    return render(request, "measures/indicator_list.html", context)


# --- defining an indicator ----------------------------------------------------------------------------------------


def _form_page(request: HttpRequest, form: IndicatorForm, indicator: Indicator | None) -> HttpResponse:
    objective = indicator.objective if indicator else None
    if form.is_bound and form.is_valid():
        objective = form.cleaned_data["objective"] or objective
    context = {"form": form, "indicator": indicator, "objective": objective, "gaps": smart_gaps(objective)}
    return render(request, "measures/indicator_form.html", context, status=form_status(form))


@login_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    _require(request.user, "measures.add_indicator")
    posted = request.method == "POST"
    initial = {}
    if not posted:
        # Started from an objective's or an event's page: bound to it already.
        objective = Objective.objects.filter(code=_text(request, "objective", 40)).first()
        event = Event.objects.filter(code=_text(request, "event", 40)).first()
        initial = {"objective": objective, "event": event, "kind": "MOP" if event else "MOE"}
    form = IndicatorForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        fields = form.fields_for_service()
        try:
            created = services.create_indicator(actor=request.user, **fields)
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            messages.success(request, f"{created.code} defined. Set its targets below.")
            return redirect("indicator", created.uid)
    return _form_page(request, form, None)


@login_required
def indicator_edit(request: HttpRequest, uid: str) -> HttpResponse:
    found = _indicator(uid)
    _require(request.user, "measures.change_indicator", found)
    posted = request.method == "POST"
    form = IndicatorForm(request.POST if posted else None, instance=found)
    if posted and form.is_valid():
        try:
            services.update_indicator(
                actor=request.user,
                indicator=found,
                version=form.cleaned_data["version"],
                changes=form.fields_for_service(),
            )
        except DomainError as exc:
            show_in_form(form, exc)
            found = _indicator(uid)  # the refused change must not show as stored
        else:
            messages.success(request, f"{found.code} saved.")
            return redirect("indicator", found.uid)
    return _form_page(request, form, found)


# --- one indicator ------------------------------------------------------------------------------------------------


def _indicator_page(
    request: HttpRequest,
    indicator: Indicator,
    *,
    target_form: TargetForm | None = None,
    lock_form: LockForm | None = None,
    decision: tuple[int, DecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    grain = _grain(request, indicator)
    series = rollup.series([indicator], grain=grain)[indicator.pk]
    waiting, outliers, may_decide = [], selectors.Outliers(indicator), {}
    for m in selectors.awaiting_approval(indicator)[:WAITING_SHOWN]:
        failed = decision[1] if decision and decision[0] == m.pk else None
        form = failed or DecisionForm(initial={"version": m.version}, auto_id=f"value-{m.pk}-%s")
        if m.event_id not in may_decide:  # the reach is the indicator's and its event's: judged once per event
            may_decide[m.event_id] = allows(user, "measures.approve_measurement", m)
        waiting.append(
            {"value": m, "form": form, "warning": outliers.warning(m.value), "may_decide": may_decide[m.event_id]}
        )
    events = list(selectors.collectors(indicator)[:PAGE_SIZE])
    tasks = {e.pk: selectors.Task(indicator, e) for e in events}
    for m in indicator.measurements.filter(event__in=events).order_by("date", "id"):
        tasks[m.event_id].answers.append(m)
    may_change = allows(user, "measures.change_indicator", indicator)
    may_lock = allows(user, "measures.lock_period", indicator)
    context = {
        "indicator": indicator,
        "objective": indicator.objective,
        "gaps": smart_gaps(indicator.objective),
        "unconfirmed": indicator.unconfirmed,
        "grain": grain,
        "grains": GRAINS.items(),
        "series": series,
        "points": [(p, series.progress(p)) for p in series.points],
        "svg": chart.svg(series),
        "targets": indicator.targets.all(),
        "parts": indicator.parts.order_by("code"),
        "waiting": waiting,
        "recent": indicator.measurements.select_related("event", "recorded_by", "approved_by")[:RECENT_VALUES],
        "editable": Measurement.EDITABLE,
        "locks": indicator.locks.all(),
        "tasks": list(tasks.values()),
        "may": {
            "edit": may_change,
            "target": may_change,
            "lock": may_lock,
            "record": user.has_perm("measures.add_measurement") and indicator.status == Indicator.Status.ACTIVE,
            "change_values": user.has_perm("measures.change_measurement"),
        },
        "target_form": target_form or TargetForm(),
        "lock_form": lock_form or LockForm(),
        "history": core_selectors.audit_entries(objects=[indicator.uid])[:20],
    }
    return render(request, "measures/indicator.html", context, status=status)


@login_required
def indicator(request: HttpRequest, uid: str) -> HttpResponse:
    return _indicator_page(request, _indicator(uid))


CHART_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


@login_required
def indicator_chart(request: HttpRequest, uid: str, format: str) -> HttpResponse:  # noqa: A002
    if format not in CHART_TYPES:
        raise Http404
    found = _indicator(uid)
    series = rollup.series([found], grain=_grain(request, found))[found.pk]
    body = chart.svg(series) if format == "svg" else chart.png(series)
    response = HttpResponse(body, content_type=CHART_TYPES[format])
    response["Content-Disposition"] = f'inline; filename="{found.uid}.{format}"'
    return response


@login_required
@require_POST
def indicator_target(request: HttpRequest, uid: str) -> HttpResponse:
    found = _indicator(uid)
    _require(request.user, "measures.change_indicator", found)
    form = TargetForm(request.POST)
    if form.is_valid():
        period, value = form.cleaned_data["period"], form.cleaned_data["value"]
        try:
            services.set_target(actor=request.user, indicator=found, period=period, value=value)
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            done = f"Target for {period}: {value:g}." if value is not None else f"Target for {period} removed."
            messages.success(request, done)
            return redirect(reverse("indicator", args=[found.uid]) + "#targets")
    return _indicator_page(request, _indicator(uid), target_form=form, status=400)


def _lock(request: HttpRequest, uid: str, locking: bool) -> HttpResponse:
    """Lock or unlock a period; refused, the indicator's page shows why beside the lock form."""
    found = _indicator(uid)
    _require(request.user, "measures.lock_period", found)
    form = LockForm(request.POST)
    if form.is_valid():
        period = form.cleaned_data["period"]
        try:
            (services.lock if locking else services.unlock)(actor=request.user, indicator=found, period=period)
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            done = "locked: its approved values are final" if locking else "unlocked"
            messages.success(request, f"{period} {done}.")
            return redirect(reverse("indicator", args=[found.uid]) + "#locks")
    return _indicator_page(request, _indicator(uid), lock_form=form, status=400)


@login_required
@require_POST
def indicator_lock(request: HttpRequest, uid: str) -> HttpResponse:
    return _lock(request, uid, locking=True)


@login_required
@require_POST
def indicator_unlock(request: HttpRequest, uid: str) -> HttpResponse:
    return _lock(request, uid, locking=False)


# --- measured values ----------------------------------------------------------------------------------------------


def _value_page(request: HttpRequest, form: ValueForm, indicator: Indicator, m: Measurement | None) -> HttpResponse:
    context = {"form": form, "indicator": indicator, "measurement": m}
    return render(request, "measures/value_form.html", context, status=form_status(form))


@login_required
def value_create(request: HttpRequest, uid: str) -> HttpResponse:
    found = _indicator(uid)
    # Whether the value lies within the user's reach depends on the event it is collected at: the service judges.
    _require(request.user, "measures.add_measurement")
    posted = request.method == "POST"
    initial = {}
    if not posted:
        # Linked from an event's or an AAR's page: the event that collected it, if it does collect this indicator.
        event = _event(_text(request, "event"))
        initial = {
            "event": event.pk if event and selectors.is_task(found, event) else None,
            "source": Measurement.Source.AAR if _text(request, "source", 6) == "AAR" else Measurement.Source.FORM,
        }
    form = ValueForm(request.POST if posted else None, indicator=found, initial=initial)
    if posted and form.is_valid():
        try:
            m = services.record(
                actor=request.user,
                indicator=found,
                submit="draft" not in request.POST,
                source=form.cleaned_data["source"],
                **form.fields_for_service(),
            )
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            _recorded(request, found, m)
            return redirect(reverse("indicator", args=[found.uid]) + "#values")
    return _value_page(request, form, found, None)


def _event(uid: str) -> Event | None:
    try:
        return Event.objects.filter(uid=uuid.UUID(uid)).first()
    except ValueError:
        return None


def _recorded(request: HttpRequest, indicator: Indicator, m: Measurement) -> None:
    state = {
        Measurement.Status.SUBMITTED: "submitted for approval",
        Measurement.Status.DRAFT: "saved as a draft",
    }.get(m.status, "saved; submit it again once it is right")
    messages.success(request, f"{indicator.code} {m.date:%d %b %Y}: {m.value:g} {indicator.unit}, {state}.")
    warning = selectors.warning(indicator, m.value)
    if warning:
        messages.warning(request, warning)


@login_required
def value_edit(request: HttpRequest, uid: str) -> HttpResponse:
    found = _measurement(uid)
    _require(request.user, "measures.change_measurement", found)
    indicator = found.indicator
    posted = request.method == "POST"
    if not posted and found.status not in Measurement.EDITABLE:
        messages.error(
            request,
            f"This value is {found.get_status_display().lower()}; only a draft or a returned value can be changed.",
        )
        return redirect(reverse("indicator", args=[indicator.uid]) + "#values")
    form = ValueForm(request.POST if posted else None, indicator=indicator, initial=ValueForm.initial_from(found))
    if posted and form.is_valid():
        try:
            services.update_measurement(
                actor=request.user,
                measurement=found,
                version=form.cleaned_data["version"],
                changes=form.fields_for_service(),
            )
            if "submit" in request.POST:
                services.submit(actor=request.user, measurement=found, version=found.version)
        except DomainError as exc:
            show_in_form(form, exc)
            found = _measurement(uid)
        else:
            _recorded(request, indicator, found)
            return redirect(reverse("indicator", args=[indicator.uid]) + "#values")
    return _value_page(request, form, indicator, found)


@login_required
@require_POST
def value_submit(request: HttpRequest, uid: str) -> HttpResponse:
    found = _measurement(uid)
    _require(request.user, "measures.change_measurement", found)
    try:
        services.submit(actor=request.user, measurement=found, version=_version(request))
        messages.success(request, f"Submitted for approval: {found}.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect(reverse("indicator", args=[found.indicator.uid]) + "#values")


def _decide(request: HttpRequest, uid: str, approving: bool) -> HttpResponse:
    """Approve or return a submitted value; refused, the indicator's page shows why next to that value."""
    found = _measurement(uid)
    _require(request.user, "measures.approve_measurement", found)
    form = DecisionForm(request.POST, auto_id=f"value-{found.pk}-%s")
    if form.is_valid():
        version = form.cleaned_data["version"]
        try:
            if approving:
                services.approve(actor=request.user, measurement=found, version=version)
            else:
                services.return_(
                    actor=request.user, measurement=found, reason=form.cleaned_data["reason"], version=version
                )
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            done = "Approved: it counts from now on" if approving else "Returned to whoever recorded it"
            messages.success(request, f"{done} ({found}).")
            return redirect(reverse("indicator", args=[found.indicator.uid]) + "#approval")
    return _indicator_page(request, _indicator(found.indicator.uid), decision=(found.pk, form), status=400)


@login_required
@require_POST
def value_approve(request: HttpRequest, uid: str) -> HttpResponse:
    return _decide(request, uid, approving=True)


@login_required
@require_POST
def value_return(request: HttpRequest, uid: str) -> HttpResponse:
    return _decide(request, uid, approving=False)


# --- bulk import --------------------------------------------------------------------------------------------------


def _preview_page(request: HttpRequest, preview: importing.Preview, content: bytes, status: int) -> HttpResponse:
    shown = [row for n, row in enumerate(preview.rows) if n < PREVIEW_ROWS or row.errors or row.warning][:500]
    columns = list(dict.fromkeys(name for row in preview.rows[:PREVIEW_ROWS] for name in row.cells))
    confirm = None
    if not preview.bad:
        encoded = base64.b64encode(content).decode("ascii")
        confirm = ConfirmImportForm(initial={"name": preview.name, "content": encoded})
    context = {
        "preview": preview,
        "rows": [(row, [row.cells.get(c, "") for c in columns]) for row in shown],
        "columns": columns,
        "hidden": len(preview.rows) - len(shown),
        "warned": sum(1 for row in preview.rows if row.warning),
        "confirm": confirm,
    }
    return render(request, "measures/import_preview.html", context, status=status)


@login_required
def indicator_import(request: HttpRequest) -> HttpResponse:
    """Upload a file and see what would be written; nothing is, until the preview is confirmed."""
    _require(request.user, "measures.add_measurement")
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            preview = importing.preview(actor=request.user, name=upload.name, data=content)
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            return _preview_page(request, preview, content, status=200)
    return render(
        request, "measures/import_form.html", {"form": form, "columns": importing.COLUMNS}, status=form_status(form)
    )


def _import_refused(request: HttpRequest, refusal: str) -> HttpResponse:
    """The upload form again, saying why the confirmed file was not imported."""
    context = {"form": ImportForm(), "columns": importing.COLUMNS, "refusal": refusal}
    return render(request, "measures/import_form.html", context, status=400)


@login_required
@require_POST
def indicator_import_confirm(request: HttpRequest) -> HttpResponse:
    _require(request.user, "measures.add_measurement")
    form = ConfirmImportForm(request.POST)
    if not form.is_valid():
        return _import_refused(request, "The confirmation carried no file: upload it again.")
    try:
        content = base64.b64decode(form.cleaned_data["content"], validate=True)
    except (binascii.Error, ValueError):
        return _import_refused(request, "The file carried by the preview is damaged: upload it again.")
    if len(content) > IMPORT_MAX_BYTES:
        return _import_refused(request, "The file is larger than this page takes: upload a smaller one.")
    name = form.cleaned_data["name"]
    try:
        # Checked again, row by row: an indicator may have been locked or retired since the preview.
        preview = importing.preview(actor=request.user, name=name, data=content)
        if preview.bad:
            return _preview_page(request, preview, content, status=400)
        created = importing.commit(actor=request.user, preview=preview)
    except DomainError as exc:
        return _import_refused(request, exc.detail)
    plural = "s" if len(created) != 1 else ""
    messages.success(request, f"Imported {len(created)} value{plural} from {name}: each waits for approval.")
    return redirect("indicator-list")


# --- assessments --------------------------------------------------------------------------------------------------


@login_required
def assessment_create(request: HttpRequest, uid: str) -> HttpResponse:
    objective = get_object_or_404(Objective, uid=uid)
    _require(request.user, "measures.add_assessment", objective)
    posted = request.method == "POST"
    form = AssessmentForm(request.POST if posted else None, initial={"confidence": Assessment.Confidence.MEDIUM})
    if posted and form.is_valid():
        try:
            created = services.create_assessment(actor=request.user, objective=objective, **form.fields_for_service())
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            messages.success(request, "Saved as a draft. Cite the evidence it rests on, then submit it.")
            return redirect("assessment", created.uid)
    context = {"form": form, "objective": objective, "scale": Assessment.SCALE.items(), "assessment": None}
    return render(request, "measures/assessment_form.html", context, status=form_status(form))


def _assessment_page(
    request: HttpRequest,
    found: Assessment,
    *,
    edit_form: AssessmentForm | None = None,
    evidence_form: EvidenceForm | None = None,
    submit_form: VersionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    draft = found.status == Assessment.Status.DRAFT
    may_change = draft and allows(request.user, "measures.change_assessment", found)
    context = {
        "assessment": found,
        "objective": found.objective,
        "evidence": found.evidence.select_related("indicator", "observation"),
        "scale": Assessment.SCALE.items(),
        "may_change": may_change,
        "history": core_selectors.audit_entries(objects=[found.uid])[:20],
    }
    if may_change:
        context["edit_form"] = edit_form or AssessmentForm(
            instance=found, initial={"version": found.version}, auto_id="edit-%s"
        )
        context["evidence_form"] = evidence_form or EvidenceForm(objective=found.objective, auto_id="cite-%s")
        context["submit_form"] = submit_form or VersionForm(initial={"version": found.version})
    return render(request, "measures/assessment.html", context, status=status)


@login_required
def assessment(request: HttpRequest, uid: str) -> HttpResponse:
    return _assessment_page(request, _assessment(uid))


@login_required
@require_POST
def assessment_edit(request: HttpRequest, uid: str) -> HttpResponse:
    found = _assessment(uid)
    _require(request.user, "measures.change_assessment", found)
    form = AssessmentForm(request.POST, auto_id="edit-%s")
    if form.is_valid():
        try:
            services.update_assessment(
                actor=request.user,
                assessment=found,
                version=form.cleaned_data["version"],
                changes=form.fields_for_service(),
            )
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("assessment", found.uid)
    return _assessment_page(request, _assessment(uid), edit_form=form, status=400)


@login_required
@require_POST
def assessment_cite(request: HttpRequest, uid: str) -> HttpResponse:
    found = _assessment(uid)
    _require(request.user, "measures.change_assessment", found)
    form = EvidenceForm(request.POST, objective=found.objective, auto_id="cite-%s")
    if form.is_valid():
        try:
            cited = services.cite(actor=request.user, assessment=found, **form.cleaned_data)
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            messages.success(request, f"Cited: {cited.cited}.")
            return redirect(reverse("assessment", args=[found.uid]) + "#evidence")
    return _assessment_page(request, found, evidence_form=form, status=400)


@login_required
@require_POST
def assessment_uncite(request: HttpRequest, uid: str) -> HttpResponse:
    found = _assessment(uid)
    _require(request.user, "measures.change_assessment", found)
    number = request.POST.get("evidence", "")
    evidence = get_object_or_404(
        Evidence, assessment=found, pk=int(number) if number.isdigit() and len(number) < 10 else 0
    )
    try:
        services.uncite(actor=request.user, evidence=evidence)
        messages.success(request, f"No longer cited: {evidence.cited}.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect(reverse("assessment", args=[found.uid]) + "#evidence")


@login_required
@require_POST
def assessment_submit(request: HttpRequest, uid: str) -> HttpResponse:
    found = _assessment(uid)
    _require(request.user, "measures.change_assessment", found)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.submit_assessment(actor=request.user, assessment=found, version=form.cleaned_data["version"])
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            messages.success(request, f"Submitted: part of {found.objective.code}'s assessment history.")
            return redirect("assessment", found.uid)
    return _assessment_page(request, _assessment(uid), submit_form=form, status=400)


@login_required
def objective_measures_document(request: HttpRequest, uid, format: str) -> HttpResponse:  # noqa: A002
    """The objective's indicators (charts and series) and submitted assessments, as DOCX or PDF."""
    objective = get_object_or_404(Objective, uid=uid)
    return download(request, measures_document.document(objective), format, "objective.measures_exported", objective)
