"""Web pages of travel readiness: the board of an event, its calendar, travelers, and the entry rules of a country."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from goldthread.core import audit
from goldthread.core import selectors as core_selectors
from goldthread.core.errors import DomainError
from goldthread.core.permissions import Scope, allows
from goldthread.events.models import Event
from goldthread.readiness import calendar, selectors, services
from goldthread.readiness.forms import EntryRuleForm, TravelerForm
from goldthread.readiness.models import Traveler
from goldthread.strategy.models import Country
from goldthread.web.errors import form_status, show_in_form

# Where a service's field names land in the traveler form: list entries on their text box.
FORM_FIELDS = {"visas": "visas", "training": "training_done", "user": "username"}


def _day(request: HttpRequest) -> date:
    """`?on=YYYY-MM-DD` looks at the board as of another day; anything unreadable means today."""
    try:
        chosen = date.fromisoformat(request.GET.get("on", "")[:10])
    except ValueError:
        return timezone.localdate()
    return chosen if 1900 <= chosen.year <= 2200 else timezone.localdate()


@login_required
def board(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("executing_unit"), uid=uid)
    day = _day(request)
    found = selectors.board(event, day)
    context = {
        "event": event,
        "on": f"?on={day}" if day != timezone.localdate() else "",
        "board": found,
        "at_risk_days": selectors.AT_RISK_DAYS,
        "counts": [(status, found.counts[status]) for status in reversed(selectors.SEVERITY)],
        "may_add": allows(request.user, "readiness.add_traveler", event),
        "may_change": allows(request.user, "readiness.change_traveler", event),
        "rules": [(r, allows(request.user, "readiness.change_entryrule", r.rule)) for r in found.rules],
    }
    return render(request, "readiness/board.html", context)


@login_required
def board_calendar(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    found = selectors.board(event, _day(request))
    response = HttpResponse(calendar.ics(found), content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{calendar.filename(found)}"'
    audit.record(request.user, "readiness.exported", event, {"format": "ics"})
    return response


def _show(form: TravelerForm, exc: DomainError) -> None:
    """Messages about a list entry (`visas.0.expires`) go next to the box the list was typed in."""
    errors: dict[str, list[str]] = {}
    for name, texts in exc.errors.items():
        head = name.split(".")[0]
        errors.setdefault(FORM_FIELDS.get(head, name if "." not in name else head), []).extend(texts)
    show_in_form(form, type(exc)(exc.detail, errors))


@login_required
def traveler_create(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    form = TravelerForm(request.POST or None, initial={"unit": event.executing_unit_id})
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_traveler(actor=request.user, event=event, **form.for_service())
        except DomainError as exc:
            _show(form, exc)
        else:
            messages.success(request, f"{added.name} is on the board.")
            return redirect("readiness", event.uid)
    status = form_status(form)
    return render(request, "readiness/traveler_form.html", {"form": form, "event": event}, status=status)


def _traveler(uid: str) -> Traveler:
    query = Traveler.objects.select_related("event", "unit", "user").prefetch_related("visas__country", "training")
    return get_object_or_404(query, uid=uid)


@login_required
def traveler_edit(request: HttpRequest, uid: str) -> HttpResponse:
    traveler = _traveler(uid)
    form = TravelerForm(request.POST or None, initial=TravelerForm.initial_from(traveler))
    if request.method == "POST" and form.is_valid():
        data = form.for_service()
        try:
            services.update_traveler(
                actor=request.user,
                traveler=traveler,
                version=form.cleaned_data["version"],
                passport_number=data.pop("passport_number"),
                visas=data.pop("visas"),
                training=data.pop("training"),
                changes=data,
            )
        except DomainError as exc:
            _show(form, exc)
            traveler = _traveler(uid)  # the refused change must not show as stored
        else:
            messages.success(request, f"Saved {traveler.name}.")
            return redirect("readiness", traveler.event.uid)
    context = {
        "form": form,
        "event": traveler.event,
        "traveler": traveler,
        "may_remove": allows(request.user, "readiness.delete_traveler", traveler),
        "shows_passport": selectors.may_see_passport(request.user, traveler),
        "history": core_selectors.audit_entries(objects=[traveler.uid])[:20],
    }
    status = form_status(form)
    return render(request, "readiness/traveler_form.html", context, status=status)


@login_required
@require_POST
def traveler_remove(request: HttpRequest, uid: str) -> HttpResponse:
    traveler = _traveler(uid)
    try:
        services.remove_traveler(actor=request.user, traveler=traveler)
        messages.success(request, f"{traveler.name} is off the board.")
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("traveler-edit", traveler.uid)
    return redirect("readiness", traveler.event.uid)


@login_required
def entry_rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "readiness/entry_rules.html", {"rules": selectors.all_entry_rules()})


@login_required
def entry_rule(request: HttpRequest, iso3: str) -> HttpResponse:
    country = get_object_or_404(Country, iso3=iso3.upper()[:3])
    found = selectors.entry_rule(country)
    may_edit = allows(
        request.user,
        "readiness.change_entryrule" if found.stored else "readiness.add_entryrule",
        found.rule if found.stored else Scope(countries=frozenset({country.pk})),
    )
    initial = {name: getattr(found.rule, name) for name in EntryRuleForm.Meta.fields}
    form = EntryRuleForm(
        request.POST or None, initial={**initial, "version": found.rule.version if found.stored else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_entry_rule(
                actor=request.user,
                country=country,
                version=form.cleaned_data["version"],
                fields=form.fields_for_service(),
            )
        except DomainError as exc:
            show_in_form(form, exc)
            may_edit = True  # keep the refusal and what was typed in view
        else:
            messages.success(request, f"Saved the entry rules for {country}.")
            return redirect("entry-rule", country.iso3)
    context = {
        "country": country,
        "found": found,
        "form": form if may_edit else None,
        "history": core_selectors.audit_entries(objects=[found.rule.uid])[:20] if found.stored else [],
    }
    status = form_status(form)
    return render(request, "readiness/entry_rule.html", context, status=status)
