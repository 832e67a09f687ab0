"""Pages for events: the filtered list, one event with its thread, and the forms that change them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from goldthread.aars import selectors as aar_selectors
from goldthread.aars.models import Report
from goldthread.aars.services import STARTABLE as AAR_STARTABLE
from goldthread.core import selectors as core_selectors
from goldthread.core.catalogues import EventType
from goldthread.core.errors import Conflict, DomainError
from goldthread.core.identifiers import is_uuid
from goldthread.core.models import AuditEntry
from goldthread.core.permissions import allows
from goldthread.evaluation import reconciliation
from goldthread.events import selectors, services
from goldthread.events.forms import ClaimForm, EventForm
from goldthread.events.models import ContributionClaim, Event, EventSeries
from goldthread.folders import selectors as folder_selectors
from goldthread.planning import selectors as planning_selectors
from goldthread.readiness import selectors as readiness_selectors
from goldthread.strategy.models import Country, Organization
from goldthread.strategy.views import diagram
from goldthread.web import tables
from goldthread.web.errors import form_status, show_in_form

FILTERS = ("country", "fiscal_year", "type", "status", "executing_unit", "series", "objective", "q")
# The most events one bulk action takes: a page shows 50, so more is not a selection made on the page.
BULK_LIMIT = 500
# An event in several countries sorts by the first of them as the list shows them (by name).
FIRST_COUNTRY = Subquery(
    Event.countries.through.objects.filter(event=OuterRef("pk")).order_by("country__name").values("country__name")[:1]
)
EVENT_TABLE = tables.Table(
    name="events",
    url_name="event-list",
    # The order in which _event_rows.html renders the cells.
    columns=(
        tables.Column("code", "Code", sort=("code",), required=True),
        tables.Column("title", "Event", sort=("name",)),
        tables.Column("type", "Type", sort=("event_type",)),
        tables.Column("country", "Countries", sort=(FIRST_COUNTRY,), empty_last=True),
        tables.Column("start_date", "Start", sort=("start_date",)),
        tables.Column("end_date", "End", sort=("end_date",)),
        tables.Column("fiscal_year", "FY", sort=("fiscal_year",)),
        tables.Column("status", "Status", sort=(tables.choice_order("status", Event.Status.values),)),
        tables.Column("executing_unit", "Executing unit", sort=("executing_unit__short_name",), empty_last=True),
        tables.Column("series", "Series", sort=("series__name",), default=False, empty_last=True),
    ),
    default_sort="-start_date",
    tie_break=("code",),
    htmx_target="#event-table",
)


def _filters(params: QueryDict) -> dict:
    """The list filters from the query string, dropping values that cannot match rather than failing."""
    raw = {k: (params.get(k) or "").replace("\x00", "")[:100] for k in FILTERS}
    fiscal_year = raw["fiscal_year"]
    return {
        "country": raw["country"] or None,
        "fiscal_year": int(fiscal_year) if fiscal_year.isdigit() and len(fiscal_year) == 4 else None,
        "event_type": raw["type"] if raw["type"] in EventType.values else None,
        "status": raw["status"] if raw["status"] in Event.Status.values else None,
        "executing_unit": raw["executing_unit"] or None,
        "series": raw["series"] or None,
        "q": raw["q"] or None,
        "objective": raw["objective"] or None,
    }


def _event_list(request: HttpRequest, params: QueryDict, *, bulk: dict | None = None, status: int = 200):
    """The list as `params` ask for it; after a refused bulk action, with what was refused and the boxes ticked."""
    filters = _filters(params)
    table = EVENT_TABLE.bind(request, selectors.events(**filters), params)
    context = {
        "table": table,
        "params": params,
        "filtered": any(filters.values()),
        "statuses": Event.Status.choices,
        "may_add": request.user.has_perm("events.add_event"),
        "may_move": request.user.has_perm("events.change_event"),
        "bulk": bulk or {},
    }
    if request.htmx and request.method == "GET":
        return render(request, "events/_event_table.html", context)
    context.update(
        {
            "countries": Country.objects.filter(in_aor=True),
            "types": EventType.choices,
            # Each unit probed for one event it executed: joined to all of them and made distinct, 300 ms at 500,000.
            "units": Organization.objects.exclude(echelon="PARTNER_UNIT").filter(
                Exists(Event.objects.filter(executing_unit=OuterRef("pk")))
            ),
            "series_list": EventSeries.objects.all(),
            "fiscal_years": Event.objects.values_list("fiscal_year", flat=True).distinct().order_by("-fiscal_year"),
        }
    )
    return render(request, "events/event_list.html", context, status=status)


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    return _event_list(request, request.GET)


@login_required
@require_POST
def event_bulk(request: HttpRequest) -> HttpResponse:
    """Export the selected events as CSV, or move them all to one status: every one of them or none."""
    # The list as it was shown, to go back to after the action or to show again with what was refused.
    params = QueryDict(request.POST.get("query", "")[:2000])
    action = request.POST.get("action", "")
    uids = list(dict.fromkeys(request.POST.getlist("event")))
    status = request.POST.get("status", "")

    def refuse(message: str, code: int = 400, problems: list | None = None) -> HttpResponse:
        bulk = {"error": message, "problems": problems or [], "selected": set(uids), "status": status}
        return _event_list(request, params, bulk=bulk, status=code)

    if action not in ("export", "transition"):
        return refuse("Choose what to do with the selected events: export them as CSV, or move them to a status.")
    if action == "transition" and not request.user.has_perm("events.change_event"):
        return refuse("You may not move events: your role does not include changing them.", 403)
    if not uids:
        return refuse("Select at least one event first: tick the box at the start of its row.")
    if len(uids) > BULK_LIMIT:
        return refuse(f"Select at most {BULK_LIMIT} events at a time.")
    found = list(Event.objects.filter(uid__in=[u for u in uids if is_uuid(u)]).order_by("code"))
    if len(found) != len(uids):
        missing = len(uids) - len(found)
        do = "does" if missing == 1 else "do"
        return refuse(
            f"{missing} of the selected events {do} not exist (any more); nothing was done. "
            "Reload the list and select again."
        )
    if action == "export":
        return _export(request, found)
    if status not in Event.Status.values:
        return refuse("Choose the status to move the selected events to.")
    label = Event.Status(status).label.lower()
    refused = []
    with transaction.atomic():
        # One at a time through the same service as the event page, so that each move is checked and audited alike.
        for event in found:
            try:
                services.transition_event(actor=request.user, event=event, status=status)
            except DomainError as exc:
                refused.append((event, exc.detail))
        if refused:
            transaction.set_rollback(True)
    if refused:
        return refuse(
            f"No event was moved: {len(refused)} of the {len(found)} selected cannot become {label}.", problems=refused
        )
    messages.success(request, f"{len(found)} event{pluralize(len(found))} moved to {label}.")
    return redirect(f"{reverse('event-list')}?{params.urlencode()}")


def _export(request: HttpRequest, found: list[Event]) -> HttpResponse:
    """The selected events in the reconciliation layout (docs/reconciliation.md), as the API's export writes it."""
    events = Event.objects.filter(pk__in=[e.pk for e in found])
    response = HttpResponse(reconciliation.export(events).encode("utf-8"), content_type=reconciliation.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="GOLDTHREAD-EVENTS-SELECTED.csv"'
    reconciliation.record_export(request.user, events)
    return response


@login_required
def event_detail(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    event = selectors.event_detail(event.uid)
    thread = selectors.event_thread(event)
    claims = list(event.claims.all())
    previous, following = selectors.iterations(event)
    aar = Report.objects.filter(event=event).first()
    aar_due = aar.due if aar else aar_selectors.final_due(event)
    # Owed and not in: a draft or a returned report, or none at all for an event that has been executed.
    aar_owed = aar.status in Report.EDITABLE if aar else event.status in AAR_STARTABLE
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "claims": claims,
            "previous": previous,
            "following": following,
            "levels": thread.by_level(),
            "thread": thread,
            "next_statuses": [Event.Status(s) for s in Event.TRANSITIONS[event.status]],
            "claim_form": claim_form if (claim_form := ClaimForm(event=event)).fits_inline() else None,
            "conferences": planning_selectors.conferences(event, request.user),
            "orders": planning_selectors.orders(event, request.user),
            "readiness": readiness_selectors.attention(event, timezone.localdate()),
            "holidays": folder_selectors.event_conflicts(event),
            "aar": aar,
            "aar_due": aar_due,
            "aar_overdue": aar_owed and aar_due < timezone.localdate(),
            "aar_startable": aar is None and event.status in AAR_STARTABLE,
            "lessons": aar_selectors.relevant_lessons(event),
            "may": {
                "edit": allows(request.user, "events.change_event", event),
                "claim": allows(request.user, "events.add_contributionclaim", event),
                "remove_claim": allows(request.user, "events.delete_contributionclaim", event),
                "record_conference": allows(request.user, "planning.add_conference", event),
                "draft_order": allows(request.user, "planning.add_order", event),
                "start_aar": aar is None and allows(request.user, "aars.add_report", event),
            },
            "history": core_selectors.audit_entries(objects=[event.uid, *(c.uid for c in claims)])[:20],
            "svg": diagram(
                thread,
                emphasis={c.objective_id for c in claims},
                events=[(event, [c.objective_id for c in claims])],
                title=f"Why {event.code} happens",
            ),
        },
    )


def _save_event(request: HttpRequest, form: EventForm, event: Event | None) -> Event | None:
    data = dict(form.cleaned_data)
    related = {k: list(data.pop(k)) for k in ("countries", "partner_units", "supporting_units")}
    version = data.pop("version", None)
    try:
        if event is None:
            return services.create_event(actor=request.user, **data, **related)
        return services.update_event(actor=request.user, event=event, version=version, changes=data, **related)
    except Conflict:
        latest = AuditEntry.objects.filter(object_uid=event.uid).select_related("actor").first()
        who = latest.actor.username if latest and latest.actor else "someone else"
        changed = ", ".join(f"{k}: {v[0]} → {v[1]}" for k, v in (latest.changes if latest else {}).items())
        form.add_error(
            None,
            f"This event was changed by {who} since you opened it ({changed or 'details unknown'}). "
            "Reload the page to see the current values, then apply your change again.",
        )
    except DomainError as exc:
        show_in_form(form, exc)
    return None


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (event := _save_event(request, form, None)):
        messages.success(request, f"{event.code} created. Now say which objective it serves.")
        return redirect("event", event.uid)
    return render(request, "events/event_form.html", {"form": form, "event": None}, status=form_status(form))


@login_required
def event_edit(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    form = EventForm(request.POST or None, instance=event, initial={"version": event.version})
    if request.method == "POST" and form.is_valid() and _save_event(request, form, event):
        messages.success(request, f"{event.code} saved.")
        return redirect("event", event.uid)
    return render(request, "events/event_form.html", {"form": form, "event": event}, status=form_status(form))


@login_required
@require_POST
def event_transition(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    try:
        services.transition_event(
            actor=request.user,
            event=event,
            status=request.POST.get("status", ""),
            version=int(request.POST["version"]) if request.POST.get("version", "").isdigit() else None,
        )
        messages.success(request, f"{event.code} is now {event.get_status_display().lower()}.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("event", event.uid)


@login_required
def claim_add(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    form = ClaimForm(request.POST or None, event=event)
    if request.method != "POST":
        return render(request, "events/claim_form.html", {"form": form, "event": event})
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.add_claim(actor=request.user, event=event, **data)
            messages.success(request, f"{event.code} now claims {data['objective'].code}.")
            return redirect("event", event.uid)
        except DomainError as exc:
            show_in_form(form, exc)
    return render(request, "events/claim_form.html", {"form": form, "event": event}, status=400)


@login_required
@require_POST
def claim_remove(request: HttpRequest, uid: str) -> HttpResponse:
    claim = get_object_or_404(ContributionClaim.objects.select_related("event", "objective"), uid=uid)
    try:
        services.remove_claim(actor=request.user, claim=claim)
        messages.success(request, f"Claim on {claim.objective.code} removed.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("event", claim.event.uid)
