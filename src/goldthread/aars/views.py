"""Web pages of AARs and lessons: the list with what is overdue per unit and command, one report with its
workflow, the editor with its live critical-content score, observations and their lessons lifecycle, items routed to
channels, the lessons finder with its exports, and the import of a legacy AAR document."""

import json
from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from goldthread.aars import exchange, score, selectors, services
from goldthread.aars.forms import (
    PARAGRAPH_LENGTH,
    ActionForm,
    CloseForm,
    DecisionForm,
    ImportForm,
    ObservationForm,
    ReportForm,
    ReviewForm,
    StageForm,
    typed_reviews,
)
from goldthread.aars.importing import import_docx
from goldthread.aars.models import Action, ChannelItem, Observation, Report
from goldthread.core import audit
from goldthread.core import selectors as core_selectors
from goldthread.core.catalogues import Dotmlpfp, Echelon, EventType, ObjectiveType
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import allows, permitted
from goldthread.delivery import selectors as delivery_selectors
from goldthread.delivery import services as delivery
from goldthread.delivery.models import Delivery
from goldthread.events.models import Event
from goldthread.measures import selectors as measures_selectors
from goldthread.reports import aar_document
from goldthread.search import index
from goldthread.strategy.models import Country, Organization
from goldthread.web import tables
from goldthread.web.downloads import download
from goldthread.web.errors import form_status, show_in_form

PAGE_SIZE = 50
# The facets the lessons finder offers, in the order shown (search.index.FACETS less `kind`).
LESSON_FACETS = [
    ("country", "Country"),
    ("partner", "Partner unit"),
    ("event_type", "Event type"),
    ("objective_type", "Objective type"),
    ("dotmlpfp", "DOTMLPF-P"),
    ("year", "Fiscal year"),
]
FACET_LABELS = {"event_type": EventType, "objective_type": ObjectiveType, "dotmlpfp": Dotmlpfp}
# The most hits one export of a search carries; an export without words carries every disseminated observation.
EXPORT_LIMIT = 10_000
REPORT_TABLE = tables.Table(
    name="aars",
    url_name="aar-list",
    # The order in which report_list.html renders the cells.
    columns=(
        tables.Column("event", "Event", sort=("event__code",), required=True),
        tables.Column("executing_unit", "Executing unit", sort=("event__executing_unit__short_name",), empty_last=True),
        tables.Column("status", "Status", sort=(tables.choice_order("status", Report.Status.values),)),
        tables.Column("score", "Score", sort=("score",)),
        tables.Column("due", "Due", sort=("due",)),
    ),
    default_sort="-due",
    tie_break=("event__code",),
    page_size=PAGE_SIZE,
)
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _require(user: User, permission: str, record) -> None:
    """Write controls are hidden from those who may not use them; a request made anyway is refused outright."""
    if not allows(user, permission, record):
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _text(request: HttpRequest, name: str, limit: int = 100) -> str:
    return (request.GET.get(name) or "").replace("\x00", "")[:limit].strip()


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query.urlencode()


def _report(uid: str) -> Report:
    return get_object_or_404(Report.objects.select_related("event__executing_unit", "approved_by"), uid=uid)


def _overdue(report: Report, today: date) -> bool:
    return report.status in Report.EDITABLE and report.due < today


# --- the list -----------------------------------------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    status = _text(request, "status")
    status = status if status in Report.Status.values else ""
    unit_name = _text(request, "unit")
    unit = (
        Organization.objects.exclude(echelon=Echelon.PARTNER_UNIT).filter(short_name=unit_name).first()
        if unit_name
        else None
    )
    reports = Report.objects.select_related("event__executing_unit")
    if status:
        reports = reports.filter(status=status)
    if unit:
        # A command sees the reports of every unit under it.
        reports = reports.filter(event__executing_unit_id__in=unit.subtree_ids())
    table = REPORT_TABLE.bind(request, reports)
    waiting = []
    if request.user.has_perm("aars.review_report"):
        submitted = Report.objects.filter(status=Report.Status.SUBMITTED).select_related("event__executing_unit")
        submitted = submitted.prefetch_related("event__countries", "event__supporting_units")
        waiting = permitted(request.user, "aars.review_report", submitted.order_by("submitted_at")[:PAGE_SIZE])
    lines = selectors.by_unit(today)
    context = {
        "table": table,
        "page": table.page,
        "filtered": bool(status or unit_name),
        "status": status,
        "unit": unit,
        "unit_name": unit_name,
        "statuses": Report.Status.choices,
        "units": sorted({line.unit.short_name for line in lines}),
        "today": today,
        "editable": Report.EDITABLE,
        "overdue": selectors.overdue(today),
        "lines": lines,
        "waiting": waiting,
    }
    return render(request, "aars/report_list.html", context)


# --- starting or importing a report -------------------------------------------------------------------------------


@login_required
def event_report(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("executing_unit"), uid=uid)
    found = Report.objects.filter(event=event).first()
    if found:
        return redirect("aar", found.uid)
    due = selectors.final_due(event)
    context = {
        "event": event,
        "due": due,
        "late": (timezone.localdate() - due).days,
        "startable": event.status in services.STARTABLE,
        "may_start": allows(request.user, "aars.add_report", event),
    }
    return render(request, "aars/event_report.html", context)


@login_required
@require_POST
def report_start(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    _require(request.user, "aars.add_report", event)
    try:
        report = services.start(actor=request.user, event=event)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("event-aar", event.uid)
    messages.success(
        request, "AAR started as a draft, pre-filled from the claims and the approved planning conferences."
    )
    return redirect("aar-edit", report.uid)


@login_required
def report_import(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    _require(request.user, "aars.add_report", event)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            report = import_docx(actor=request.user, event=event, file=form.cleaned_data["file"])
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            messages.success(request, "Imported as a draft. Check each section, then submit it for review.")
            return redirect("aar-edit", report.uid)
    context = {"form": form, "event": event, "existing": Report.objects.filter(event=event).first()}
    return render(request, "aars/import_form.html", context, status=form_status(form))


# --- one report ---------------------------------------------------------------------------------------------------


def _report_page(
    request: HttpRequest,
    report: Report,
    *,
    decision: DecisionForm | None = None,
    action_form: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    mine = delivery.open_delivered(actor=user, record=report)
    reviews = list(report.reviews.select_related("claim__objective"))
    claimed = {r.claim.objective_type for r in reviews}
    observations = list(report.observations.select_related("claim__objective", "partner_unit", "channel_item"))
    may_write = allows(user, "aars.change_report", report)
    may_review = allows(user, "aars.review_report", report)
    editable = report.status in Report.EDITABLE
    today = timezone.localdate()
    context = {
        "report": report,
        "event": report.event,
        "mine": mine,
        "reviews": reviews,
        "sections": [
            (heading, help_text, getattr(report, name), objective_type in claimed)
            for name, objective_type, heading, help_text in Report.TYPE_SECTIONS
        ],
        "sustain": [o for o in observations if o.finding == Observation.Finding.SUSTAIN],
        "improve": [o for o in observations if o.finding == Observation.Finding.IMPROVE],
        "actions": report.actions.select_related("owner"),
        "comments": report.comments.select_related("author"),
        "score": score.compute(selectors.content(report)),
        "tasks": measures_selectors.tasks(report.event),
        "may_measure": allows(user, "measures.add_measurement", report.event),
        "overdue": _overdue(report, today),
        "today": today,
        "may": {
            "edit": editable and may_write,
            "submit": report.can_move_to(Report.Status.SUBMITTED) and may_write,
            "review": report.status == Report.Status.SUBMITTED and may_review,
            "disseminate": report.status == Report.Status.DISSEMINATED and may_review,
            "tick": may_write,
        },
        "decision": decision or DecisionForm(initial={"version": report.version}),
        "action_form": action_form or ActionForm(initial={"owner": report.event.executing_unit_id}),
        "history": core_selectors.audit_entries(objects=[report.uid, *(o.uid for o in observations)])[:20],
    }
    if may_write or may_review:
        # What became of the report once sent: for its reviewers and the unit that wrote it.
        context["deliveries"] = Delivery.objects.filter(record_uid=report.uid).select_related("recipient")
        context["reach"] = delivery_selectors.reach(report.uid)
        context["items"] = ChannelItem.objects.filter(observation__report=report).select_related("observation")
    return render(request, "aars/report.html", context, status=status)


@login_required
def report(request: HttpRequest, uid: str) -> HttpResponse:
    return _report_page(request, _report(uid))


@login_required
def report_file(request: HttpRequest, uid: str, format: str) -> HttpResponse:  # noqa: A002
    found = _report(uid)
    return download(request, aar_document.document(found), format, "aar.exported", found)


def _typed_score(report: Report, data: QueryDict) -> score.Score:
    fields = {name: str(data[name])[:PARAGRAPH_LENGTH] for name in selectors.SECTION_FIELDS.values() if name in data}
    reviews = typed_reviews(data, report.reviews.values_list("claim_id", flat=True))
    return score.compute(selectors.content(report, fields=fields, reviews=reviews))


@login_required
def report_edit(request: HttpRequest, uid: str) -> HttpResponse:
    found = _report(uid)
    _require(request.user, "aars.change_report", found)
    posted = request.method == "POST"
    if not posted and found.status not in Report.EDITABLE:
        messages.error(
            request,
            f"The AAR is {found.get_status_display().lower()}; it can be changed only as a draft or when it is "
            "returned with comments.",
        )
        return redirect("aar", found.uid)
    data = request.POST if posted else None
    form = ReportForm(data, instance=found, initial={"version": found.version})
    review_forms = [ReviewForm(data, review=r) for r in found.reviews.select_related("claim__objective")]
    if posted and all([form.is_valid(), *(f.is_valid() for f in review_forms)]):
        try:
            services.update(
                actor=request.user,
                report=found,
                version=form.cleaned_data["version"],
                fields=form.fields_for_service(),
                reviews={f.review.claim_id: f.cleaned_data for f in review_forms},
            )
        except DomainError as exc:
            show_in_form(form, exc)
            found = _report(uid)  # the refused change must not show as stored
        else:
            messages.success(request, f"Saved. Critical content: {found.score}/100.")
            return redirect("aar", found.uid)
    claimed = {f.review.claim.objective_type for f in review_forms}
    context = {
        "report": found,
        "event": found.event,
        "form": form,
        "review_forms": review_forms,
        "sections": [(form[name], objective_type in claimed) for name, objective_type, _, _ in Report.TYPE_SECTIONS],
        "score": _typed_score(found, request.POST) if posted else score.compute(selectors.content(found)),
        "typed": posted,
        "comments": found.comments.select_related("author"),
    }
    invalid = any(f.is_bound and f.errors for f in [form, *review_forms])
    return render(request, "aars/report_form.html", context, status=400 if invalid else 200)


@login_required
@require_POST
def report_score(request: HttpRequest, uid: str) -> HttpResponse:
    """The score of what is typed in the editor, as a fragment for its score panel; nothing is saved."""
    found = _report(uid)
    _require(request.user, "aars.change_report", found)
    return render(request, "aars/_score.html", {"score": _typed_score(found, request.POST), "typed": True})


@login_required
@require_POST
def report_submit(request: HttpRequest, uid: str) -> HttpResponse:
    found = _report(uid)
    _require(request.user, "aars.change_report", found)
    try:
        services.submit(actor=request.user, report=found, version=_version(request))
        messages.success(request, f"Submitted for review with a critical-content score of {found.score}/100.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("aar", found.uid)


def _decide(request: HttpRequest, uid: str, decide: Callable[..., Report]) -> tuple[Report, DecisionForm, bool]:
    """Run a reviewer's decision from the comment form; refused, the form carries why."""
    found = _report(uid)
    _require(request.user, "aars.review_report", found)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decide(
                actor=request.user,
                report=found,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
            return found, form, True
        except DomainError as exc:
            show_in_form(form, exc)
            found = _report(uid)
    return found, form, False


@login_required
@require_POST
def report_return(request: HttpRequest, uid: str) -> HttpResponse:
    found, form, done = _decide(request, uid, services.return_for_changes)
    if not done:
        return _report_page(request, found, decision=form, status=400)
    messages.success(request, "Returned to the author with your comment.")
    return redirect("aar", found.uid)


@login_required
@require_POST
def report_approve(request: HttpRequest, uid: str) -> HttpResponse:
    found, form, done = _decide(request, uid, services.approve)
    if not done:
        return _report_page(request, found, decision=form, status=400)
    messages.success(request, f"Approved and disseminated: {delivery_selectors.reach(found.uid)}.")
    return redirect("aar", found.uid)


@login_required
@require_POST
def report_disseminate(request: HttpRequest, uid: str) -> HttpResponse:
    found = _report(uid)
    _require(request.user, "aars.review_report", found)
    before = delivery_selectors.reach(found.uid).sent
    try:
        services.disseminate(actor=request.user, report=found)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        added = delivery_selectors.reach(found.uid).sent - before
        messages.success(request, f"Disseminated again: {added} new recipient{'s' if added != 1 else ''}.")
    return redirect("aar", found.uid)


@login_required
@require_POST
def action_add(request: HttpRequest, uid: str) -> HttpResponse:
    found = _report(uid)
    _require(request.user, "aars.change_report", found)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.add_action(actor=request.user, report=found, **form.cleaned_data)
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            messages.success(request, f"Follow-up action added: {form.cleaned_data['text']}.")
            return redirect(reverse("aar", args=[found.uid]) + "#actions")
    return _report_page(request, found, action_form=form, status=400)


@login_required
@require_POST
def action_done(request: HttpRequest, uid: str) -> HttpResponse:
    found = _report(uid)
    _require(request.user, "aars.change_report", found)
    number = request.POST.get("action", "")
    action = get_object_or_404(Action, report=found, pk=int(number) if number.isdigit() and len(number) < 10 else 0)
    done = request.POST.get("done") == "1"
    services.set_action_done(actor=request.user, action=action, done=done)
    messages.success(request, f"{'Done' if done else 'Open again'}: {action.text}.")
    return redirect(reverse("aar", args=[found.uid]) + "#actions")


# --- observations -------------------------------------------------------------------------------------------------


def _observation(uid: str) -> Observation:
    query = Observation.objects.select_related(
        "report__event__executing_unit", "claim__objective", "partner_unit", "action_owner"
    )
    return get_object_or_404(query, uid=uid)


def _not_editable(request: HttpRequest, report: Report) -> HttpResponse:
    messages.error(
        request,
        f"The AAR is {report.get_status_display().lower()}; its observations can be changed only as a draft or when "
        "it is returned with comments.",
    )
    return redirect("aar", report.uid)


@login_required
def observation_create(request: HttpRequest, uid: str) -> HttpResponse:
    found = _report(uid)
    _require(request.user, "aars.change_report", found)
    posted = request.method == "POST"
    if not posted and found.status not in Report.EDITABLE:
        return _not_editable(request, found)
    form = ObservationForm(request.POST if posted else None, event=found.event)
    if posted and form.is_valid():
        try:
            added = services.add_observation(actor=request.user, report=found, fields=form.fields_for_service())
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            messages.success(request, f"Added “{added.title}”. Critical content: {found.score}/100.")
            return redirect(reverse("aar", args=[found.uid]) + "#observations")
    context = {"form": form, "report": found, "event": found.event}
    return render(request, "aars/observation_form.html", context, status=form_status(form))


@login_required
def observation_edit(request: HttpRequest, uid: str) -> HttpResponse:
    found = _observation(uid)
    report = found.report
    _require(request.user, "aars.change_report", report)
    posted = request.method == "POST"
    if not posted and report.status not in Report.EDITABLE:
        return _not_editable(request, report)
    form = ObservationForm(
        request.POST if posted else None,
        event=report.event,
        initial=ObservationForm.initial_from(found),
        assumptions=len(found.analysis.get("assumptions", [])),
    )
    if posted and form.is_valid():
        try:
            services.update_observation(
                actor=request.user,
                observation=found,
                version=form.cleaned_data["version"],
                fields=form.fields_for_service(),
            )
        except DomainError as exc:
            show_in_form(form, exc)
            found = _observation(uid)
        else:
            messages.success(request, f"Saved “{found.title}”. Critical content: {report.score}/100.")
            return redirect(reverse("aar", args=[report.uid]) + "#observations")
    context = {"form": form, "report": report, "event": report.event, "observation": found}
    return render(request, "aars/observation_form.html", context, status=form_status(form))


@login_required
@require_POST
def observation_remove(request: HttpRequest, uid: str) -> HttpResponse:
    found = _observation(uid)
    report = found.report
    _require(request.user, "aars.change_report", report)
    try:
        services.remove_observation(actor=request.user, observation=found)
        messages.success(request, f"Removed “{found.title}”.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect(reverse("aar", args=[report.uid]) + "#observations")


def _observation_page(
    request: HttpRequest, found: Observation, *, stage_form: StageForm | None = None, status: int = 200
) -> HttpResponse:
    report = found.report
    may_advance = (
        report.status == Report.Status.DISSEMINATED
        and bool(Observation.STAGES[found.stage])
        and allows(request.user, "aars.manage_lesson", found)
    )
    if may_advance and stage_form is None:
        stage_form = StageForm(observation=found)
    context = {
        "observation": found,
        "report": report,
        "event": report.event,
        "analysis": found.analysis or {},
        "path": [Observation.Stage(s) for s in Observation.Stage.values if s != Observation.Stage.DISMISSED],
        "stage_form": stage_form,
        "seen_before": selectors.recurring(found),
        "item": ChannelItem.objects.filter(observation=found).first(),
        "may_edit": report.status in Report.EDITABLE and allows(request.user, "aars.change_report", report),
        "history": core_selectors.audit_entries(objects=[found.uid])[:20],
    }
    return render(request, "aars/observation.html", context, status=status)


@login_required
def observation(request: HttpRequest, uid: str) -> HttpResponse:
    return _observation_page(request, _observation(uid))


@login_required
@require_POST
def observation_advance(request: HttpRequest, uid: str) -> HttpResponse:
    found = _observation(uid)
    _require(request.user, "aars.manage_lesson", found)
    form = StageForm(request.POST, observation=found)
    if form.is_valid():
        try:
            services.advance(
                actor=request.user,
                observation=found,
                stage=form.cleaned_data["stage"],
                version=form.cleaned_data["version"],
                fields=form.fields_for_service(),
            )
        except DomainError as exc:
            show_in_form(form, exc)
            found = _observation(uid)
        else:
            messages.success(request, f"“{found.title}” is now: {found.get_stage_display().lower()}.")
            return redirect("observation", found.uid)
    return _observation_page(request, found, stage_form=form, status=400)


# --- channel items ------------------------------------------------------------------------------------------------

ITEM_STATES = {"open": "Open", "overdue": "Open and overdue", "closed": "Closed"}


@login_required
def channel_item_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    channel = _text(request, "channel")
    channels = [(v, label) for v, label in Observation.Channel.choices if v != Observation.Channel.NONE]
    channel = channel if channel in dict(channels) else ""
    state = _text(request, "state")
    state = state if state in ITEM_STATES else ""
    items = ChannelItem.objects.select_related("observation__report__event").order_by(
        F("closed_at").asc(nulls_first=True), "due", "id"
    )
    if channel:
        items = items.filter(channel=channel)
    if state == "open":
        items = items.filter(closed_at__isnull=True)
    elif state == "overdue":
        items = items.filter(closed_at__isnull=True, due__lt=today)
    elif state == "closed":
        items = items.filter(closed_at__isnull=False)
    context = {
        "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": _query_without(request),
        "channels": channels,
        "channel": channel,
        "states": ITEM_STATES.items(),
        "state": state,
        "today": today,
    }
    return render(request, "aars/channel_items.html", context)


def _item(uid: str) -> ChannelItem:
    return get_object_or_404(
        ChannelItem.objects.select_related("observation__report__event", "observation__partner_unit", "closed_by"),
        uid=uid,
    )


def _item_page(
    request: HttpRequest, item: ChannelItem, *, form: CloseForm | None = None, status: int = 200
) -> HttpResponse:
    may_close = item.closed_at is None and allows(request.user, "aars.close_channelitem", item)
    context = {
        "item": item,
        "observation": item.observation,
        "report": item.observation.report,
        # The item carries what its observation was marked with.
        "markings": list(dict.fromkeys(m for m in (item.markings, item.observation.markings) if m)),
        "mine": delivery.open_delivered(actor=request.user, record=item),
        "reach": delivery_selectors.reach(item.uid),
        "overdue": item.closed_at is None and item.due < timezone.localdate(),
        "form": (form or CloseForm(initial={"version": item.version})) if may_close else None,
        "history": core_selectors.audit_entries(objects=[item.uid])[:20],
    }
    return render(request, "aars/channel_item.html", context, status=status)


@login_required
def channel_item(request: HttpRequest, uid: str) -> HttpResponse:
    return _item_page(request, _item(uid))


@login_required
@require_POST
def channel_item_close(request: HttpRequest, uid: str) -> HttpResponse:
    item = _item(uid)
    _require(request.user, "aars.close_channelitem", item)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_item(
                actor=request.user,
                item=item,
                version=form.cleaned_data["version"],
                closure=form.cleaned_data["closure"],
            )
        except DomainError as exc:
            show_in_form(form, exc)
            item = _item(uid)
        else:
            messages.success(request, "Closed.")
            return redirect("channel-item", item.uid)
    return _item_page(request, item, form=form, status=400)


# --- lessons ------------------------------------------------------------------------------------------------------


def _lesson_filters(request: HttpRequest) -> dict[str, str]:
    """The facet values chosen, dropping any that cannot match rather than failing."""
    found = {name: _text(request, name) for name, _ in LESSON_FACETS}
    if not (found["year"].isdigit() and len(found["year"]) == 4):
        found["year"] = ""
    return {name: value for name, value in found.items() if value}


def _facet_label(name: str, value: str, countries: dict[str, str]) -> str:
    if name == "year":
        return f"FY{value}"
    if name == "country":
        return countries.get(value, value)
    choices = FACET_LABELS.get(name)
    return choices(value).label if choices and value in choices.values else value


def _selection(request: HttpRequest) -> tuple[str, list[Observation]]:
    """What an export of the lessons page carries: the hits of its words and facets, or without words every
    observation of a disseminated AAR."""
    words = _text(request, "q", 200)
    observations = Observation.objects.select_related(
        "report__event__executing_unit", "claim__objective", "partner_unit", "action_owner"
    ).prefetch_related("report__event__countries")
    if words:
        hits = index.search(words, kind="observation", limit=EXPORT_LIMIT, **_lesson_filters(request))
        observations = observations.filter(uid__in=[h.uid for h in hits])
    else:
        observations = observations.filter(report__status=Report.Status.DISSEMINATED)
    return words, list(observations.order_by("report__event__start_date", "id"))


@login_required
def lessons(request: HttpRequest) -> HttpResponse:
    words = _text(request, "q", 200)
    filters = _lesson_filters(request)
    context: dict = {"q": words, "filters": filters, "export_query": request.GET.urlencode()}
    if words:
        hits = index.search(words, kind="observation", limit=PAGE_SIZE, **filters)
        counts = index.facets(words, kind="observation", **filters)
        countries = dict(Country.objects.values_list("iso3", "name"))
        found = {
            str(o.uid): o
            for o in Observation.objects.filter(uid__in=[h.uid for h in hits]).select_related("report__event")
        }
        context["hits"] = [(hit, found.get(hit.uid)) for hit in hits]
        context["facets"] = [
            (
                label,
                [
                    (
                        _facet_label(name, value, countries),
                        count,
                        "?" + _with(request, name, value),
                        filters.get(name) == value,
                    )
                    for value, count in counts.get(name, [])
                ],
            )
            for name, label in LESSON_FACETS
        ]
        # Counted over the newest matches only when there are more (search.index.FACET_WINDOW): say so.
        context["sampled"] = sum(count for _, count in counts.get("kind", [])) >= index.FACET_WINDOW
        context["facet_window"] = index.FACET_WINDOW
        context["chosen"] = [
            (dict(LESSON_FACETS)[name], _facet_label(name, value, countries), "?" + _query_without(request, name))
            for name, value in filters.items()
        ]
    else:
        context["patterns"] = selectors.recurring_issues()
        context["dotmlpfp"] = dict(Dotmlpfp.choices)
        context["newest"] = (
            Observation.objects.filter(stage__in=Observation.CARRIED)
            .select_related("report__event", "partner_unit")
            .order_by("-updated", "-id")[:20]
        )
        context["published"] = Observation.objects.filter(report__status=Report.Status.DISSEMINATED).count()
    return render(request, "aars/lessons.html", context)


def _with(request: HttpRequest, name: str, value: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query[name] = value
    return query.urlencode()


@login_required
def lessons_export(request: HttpRequest, format: str) -> HttpResponse:  # noqa: A002
    if format not in EXPORT_TYPES:
        raise Http404
    words, observations = _selection(request)
    if format == "csv":
        body = exchange.csv_bytes(observations)
    elif format == "xlsx":
        body = exchange.xlsx_bytes(observations)
    else:
        body = json.dumps(exchange.interchange(observations), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=EXPORT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="lessons.{format}"'
    audit.record_about(
        request.user,
        "lessons.exported",
        "Lessons",
        {"format": format, "count": len(observations), **({"q": words} if words else {})},
    )
    return response
