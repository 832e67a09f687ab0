"""Pages for conference records, orders and themes, and the forms that write them through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from goldthread.core import selectors as core_selectors
from goldthread.core.errors import DomainError
from goldthread.core.permissions import allows
from goldthread.delivery import selectors as delivery_selectors
from goldthread.delivery import services as delivery
from goldthread.events.models import Event
from goldthread.planning import selectors, services
from goldthread.planning.forms import ConferenceForm, NewThemeForm, OrderForm, ThemeForm
from goldthread.planning.models import Conference, Item, Order, Theme
from goldthread.planning.packet import executor_packet
from goldthread.planning.purpose import purpose_block
from goldthread.reports import executor_packet as executor_packet_document
from goldthread.reports import order_document
from goldthread.strategy import selectors as strategy_selectors
from goldthread.strategy.models import Country
from goldthread.web import tables
from goldthread.web.downloads import download
from goldthread.web.errors import form_status, show_in_form


@login_required
def conference_detail(request: HttpRequest, uid: str) -> HttpResponse:
    conference = get_object_or_404(Conference.objects.select_related("event__executing_unit", "approved_by"), uid=uid)
    if not selectors.can_see(request.user, conference):
        raise Http404
    mine = delivery.open_delivered(actor=request.user, record=conference)
    versions = selectors.versions(conference, request.user)
    previous = next((v for v in reversed(versions) if v.number < conference.number), None)
    items = conference.items.select_related("owner")
    return render(
        request,
        "planning/conference_detail.html",
        {
            "conference": conference,
            "attendees": conference.attendees.select_related("organization"),
            "sections": {heading: [i for i in items if i.kind == kind] for kind, heading in Item.HEADINGS.items()},
            "versions": versions,
            "changes": selectors.changes(previous, conference) if previous else [],
            "previous": previous,
            "reach": delivery_selectors.reach(conference.uid),
            "mine": mine,
            "may": {
                "edit": conference.status == Conference.Status.DRAFT
                and allows(request.user, "planning.change_conference", conference),
                "approve": conference.status == Conference.Status.DRAFT
                and allows(request.user, "planning.approve_conference", conference),
                "correct": conference.status == Conference.Status.APPROVED
                and allows(request.user, "planning.change_conference", conference),
            },
            "history": core_selectors.audit_entries(objects=[v.uid for v in versions])[:20],
        },
    )


@login_required
@require_POST
def conference_approve(request: HttpRequest, uid: str) -> HttpResponse:
    conference = get_object_or_404(Conference, uid=uid)
    try:
        services.approve_conference(actor=request.user, conference=conference)
        reach = delivery_selectors.reach(conference.uid)
        messages.success(request, f"Approved and delivered: {reach}.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("conference", conference.uid)


@login_required
@require_POST
def conference_correct(request: HttpRequest, uid: str) -> HttpResponse:
    conference = get_object_or_404(Conference, uid=uid)
    try:
        draft = services.correct_conference(
            actor=request.user, conference=conference, reason=request.POST.get("reason", "")[:300]
        )
        messages.success(
            request,
            f"Version {draft.number} started as a draft; version {conference.number} stays "
            "authoritative until it is approved.",
        )
        return redirect("conference", draft.uid)
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("conference", conference.uid)


@login_required
def order_detail(request: HttpRequest, uid: str) -> HttpResponse:
    order = get_object_or_404(Order.objects.select_related("event", "issuer", "issued_by"), uid=uid)
    if not selectors.can_see(request.user, order):
        raise Http404
    mine = delivery.open_delivered(actor=request.user, record=order)
    previous = selectors.previous_issued(order)
    issued = order.status == Order.Status.ISSUED
    return render(
        request,
        "planning/order_detail.html",
        {
            "order": order,
            "paragraphs": [(label, getattr(order, name)) for name, label in Order.PARAGRAPHS],
            "purpose": order.purpose if issued else purpose_block(order.event).as_dict(),
            "changes": selectors.order_changes(previous, order) if previous and issued else [],
            "previous": previous,
            "reach": delivery_selectors.reach(order.uid),
            "mine": mine,
            "may_issue": not issued and allows(request.user, "planning.issue_order", order),
            "may_edit": not issued and allows(request.user, "planning.change_order", order),
            "history": core_selectors.audit_entries(objects=[order.uid])[:20],
        },
    )


@login_required
@require_POST
def order_issue(request: HttpRequest, uid: str) -> HttpResponse:
    order = get_object_or_404(Order, uid=uid)
    try:
        services.issue_order(actor=request.user, order=order)
        messages.success(request, f"Issued and delivered: {delivery_selectors.reach(order.uid)}.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("order", order.uid)


@login_required
def packet(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    may_ask = allows(request.user, "planning.add_informationrequest", event)
    context = {"packet": executor_packet(event), "event": event, "may_ask": may_ask}
    return render(request, "planning/packet.html", context)


@login_required
def packet_file(request: HttpRequest, uid: str, format: str) -> HttpResponse:  # noqa: A002
    event = get_object_or_404(Event, uid=uid)
    document = executor_packet_document.document(executor_packet(event))
    return download(request, document, format, "packet.exported", event)


@login_required
def order_file(request: HttpRequest, uid: str, format: str) -> HttpResponse:  # noqa: A002
    order = get_object_or_404(Order.objects.select_related("event", "issuer", "issued_by"), uid=uid)
    if not selectors.can_see(request.user, order):
        raise Http404
    return download(request, order_document.document(order), format, "order.exported", order)


def _save_conference(request: HttpRequest, form: ConferenceForm, event: Event, conference: Conference | None):
    fields = {k: form.cleaned_data[k] for k in ("kind", "starts", "ends", "place", "summary")}
    if conference is not None:
        fields["version"] = form.cleaned_data["version"]
    try:
        return services.save_conference_draft(
            actor=request.user,
            event=event,
            conference=conference,
            fields=fields,
            attendees=form.cleaned_data["attendees"],
            items=form.items(),
        )
    except DomainError as exc:
        show_in_form(form, exc)
    return None


@login_required
def conference_create(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    form = ConferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (saved := _save_conference(request, form, event, None)):
        messages.success(request, "Draft saved. Approve it to make it authoritative and deliver it.")
        return redirect("conference", saved.uid)
    status = form_status(form)
    return render(request, "planning/conference_form.html", {"form": form, "event": event}, status=status)


@login_required
def conference_edit(request: HttpRequest, uid: str) -> HttpResponse:
    conference = get_object_or_404(Conference.objects.select_related("event"), uid=uid)
    if not selectors.can_see(request.user, conference):
        raise Http404
    form = ConferenceForm(request.POST or None, initial=ConferenceForm.initial_from(conference))
    if request.method == "POST" and form.is_valid() and _save_conference(request, form, conference.event, conference):
        messages.success(request, "Draft saved.")
        return redirect("conference", conference.uid)
    status = form_status(form)
    return render(
        request,
        "planning/conference_form.html",
        {"form": form, "event": conference.event, "conference": conference},
        status=status,
    )


@login_required
def order_create(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    if not allows(request.user, "planning.add_order", event):
        raise PermissionDenied
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.draft_order(actor=request.user, event=event, **form.fields_for_service())
            messages.success(request, f"{order.get_kind_display()} {order.number} drafted. Issue it to deliver it.")
            return redirect("order", order.uid)
        except DomainError as exc:
            show_in_form(form, exc)
    return render(request, "planning/order_form.html", {"form": form, "event": event}, status=form_status(form))


@login_required
def order_edit(request: HttpRequest, uid: str) -> HttpResponse:
    order = get_object_or_404(Order.objects.select_related("event", "issuer"), uid=uid)
    if not selectors.can_see(request.user, order):
        raise Http404
    if not allows(request.user, "planning.change_order", order):
        raise PermissionDenied
    if order.status != Order.Status.DRAFT and request.method == "GET":
        messages.error(request, f"{order} is issued and cannot change; write a FRAGO instead.")
        return redirect("order", order.uid)
    # Named before saving: a refused save leaves the in-memory order holding the refused values.
    heading = f"{order.get_kind_display()} {order.number}"
    form = OrderForm(request.POST or None, instance=order, initial={"version": order.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_order(
                actor=request.user, order=order, version=form.cleaned_data["version"], changes=form.fields_for_service()
            )
            messages.success(request, "Draft saved.")
            return redirect("order", order.uid)
        except DomainError as exc:
            show_in_form(form, exc)
    return render(
        request,
        "planning/order_form.html",
        {"form": form, "event": order.event, "order": order, "heading": heading},
        status=form_status(form),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


THEME_TABLE = tables.Table(
    name="themes",
    url_name="theme-list",
    # The order in which theme_list.html renders the cells.
    columns=(
        tables.Column("title", "Theme", sort=("title",), required=True),
        tables.Column("audience", "Audience", sort=("audience",)),
        tables.Column("applies", "Applies to"),
        tables.Column("valid", "Valid", sort=("valid_from", "valid_until"), empty_last=True),
        tables.Column("status", "Status", sort=(tables.choice_order("status", Theme.Status.values),)),
    ),
    default_sort="title",
    page_size=100,
    choosable=False,
)


@login_required
def theme_list(request: HttpRequest) -> HttpResponse:
    # Filters that cannot match are dropped rather than refused, as on the event list.
    country = (request.GET.get("country") or "").replace("\x00", "")[:3].upper()
    status = request.GET.get("status") or ""
    status = status if status in Theme.Status.values else ""
    themes = Theme.objects.select_related("country", "series")
    if country:
        themes = themes.filter(country__iso3=country)
    if status:
        themes = themes.filter(status=status)
    table = THEME_TABLE.bind(request, themes)
    return render(
        request,
        "planning/theme_list.html",
        {
            "table": table,
            "page": table.page,
            "params": {"country": country, "status": status},
            "filtered": bool(country or status),
            "countries": Country.objects.filter(themes__isnull=False).distinct().order_by("name"),
            "statuses": Theme.Status.choices,
            "may_add": allows(request.user, "planning.add_theme"),
        },
    )


@login_required
def theme_detail(request: HttpRequest, uid: str) -> HttpResponse:
    theme = get_object_or_404(Theme.objects.select_related("country", "series"), uid=uid)
    return render(
        request,
        "planning/theme_detail.html",
        {
            "theme": theme,
            "talking_points": _lines(theme.talking_points),
            "sensitivities": _lines(theme.sensitivities),
            "objectives": theme.objectives.order_by("code"),
            "may_edit": allows(request.user, "planning.change_theme", theme),
            "history": core_selectors.audit_entries(objects=[theme.uid])[:20],
        },
    )


@login_required
def theme_create(request: HttpRequest) -> HttpResponse:
    if not allows(request.user, "planning.add_theme"):
        raise PermissionDenied
    form = NewThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objectives = [
                strategy_selectors.resolve_objective(code, "objectives") for code in form.cleaned_data["objectives"]
            ]
            theme = services.create_theme(actor=request.user, objectives=objectives, **form.fields_for_service())
            messages.success(request, f"Theme “{theme}” saved.")
            return redirect("theme", theme.uid)
        except DomainError as exc:
            show_in_form(form, exc)
    return render(request, "planning/theme_form.html", {"form": form}, status=form_status(form))


@login_required
def theme_edit(request: HttpRequest, uid: str) -> HttpResponse:
    theme = get_object_or_404(Theme.objects.select_related("country", "series"), uid=uid)
    if not allows(request.user, "planning.change_theme", theme):
        raise PermissionDenied
    heading = theme.title  # before a refused save can change it in memory
    form = ThemeForm(request.POST or None, instance=theme, initial={"version": theme.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_theme(
                actor=request.user, theme=theme, version=form.cleaned_data["version"], changes=form.fields_for_service()
            )
            messages.success(request, "Theme saved.")
            return redirect("theme", theme.uid)
        except DomainError as exc:
            show_in_form(form, exc)
    return render(
        request,
        "planning/theme_form.html",
        {"form": form, "theme": theme, "heading": heading, "objectives": theme.objectives.order_by("code")},
        status=form_status(form),
    )
