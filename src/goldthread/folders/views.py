"""Pages of the country folders: the list, one folder, one section with its revisions and diffs, and the forms
that edit, verify and restore sections, add observances and upload attachments."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from goldthread.core import selectors as core_selectors
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import Scope, allows
from goldthread.folders import selectors, services
from goldthread.folders.forms import AttachmentForm, ObservanceForm, SectionForm
from goldthread.folders.markdown import to_html
from goldthread.folders.models import Attachment, Contact, Revision, Section
from goldthread.reports import continuity_book
from goldthread.strategy.models import Country, CountryConstraint
from goldthread.web import tables
from goldthread.web.downloads import download
from goldthread.web.errors import form_status, show_in_form


def _country(iso3: str) -> Country:
    return get_object_or_404(Country, iso3=iso3.upper())


def _section(country: Country, key: str) -> Section:
    try:
        return selectors.section(country, key)
    except Section.DoesNotExist as exc:
        raise Http404 from exc


FOLDER_TABLE = tables.Table(
    name="folders",
    url_name="folder-list",
    # The order in which folder_list.html renders the cells.
    columns=(
        tables.Column("country", "Country", sort=("name",), required=True),
        tables.Column("written", "Sections written", sort=("written",)),
        tables.Column("stale", "Stale", sort=("stale",)),
        tables.Column("verified", "Last verified", sort=("verified",), empty_last=True),
    ),
    default_sort="country",
    tie_break=("iso3",),
    page_size=100,
    choosable=False,
)


@login_required
def folder_list(request: HttpRequest) -> HttpResponse:
    stale_before = timezone.localdate() - timedelta(days=settings.FOLDER_STALE_DAYS)
    unverified = Q(folder_sections__last_verified__lt=stale_before) | Q(folder_sections__last_verified__isnull=True)
    countries = Country.objects.filter(in_aor=True).annotate(
        written=Count("folder_sections", filter=Q(folder_sections__number__gt=0)),
        stale=Count("folder_sections", filter=unverified),
        verified=Max("folder_sections__last_verified"),
    )
    table = FOLDER_TABLE.bind(request, countries)
    context = {"table": table, "page": table.page, "total": len(Section.Key.values)}
    return render(request, "folders/folder_list.html", context)


@login_required
def folder(request: HttpRequest, iso3: str) -> HttpResponse:
    country = _country(iso3)
    today = timezone.localdate()
    scope = Scope(countries=frozenset({country.pk}))
    clashes, clash_total = selectors.events_on_holidays(country, today, today + timedelta(days=365))
    context = {
        "country": country,
        "sections": [(s, to_html(s.text), selectors.is_stale(s, today)) for s in selectors.sections(country)],
        "constraints": CountryConstraint.objects.filter(country=country),
        "contacts": Contact.objects.filter(country=country),
        "calendar": selectors.calendar(country, today, today + timedelta(days=365)),
        "clashes": clashes,
        "clash_total": clash_total,
        "history": selectors.history(country, today=today),
        "attachments": selectors.attachments(country),
        "observance_form": ObservanceForm(),
        "attachment_form": AttachmentForm(),
        "may": {
            "edit": allows(request.user, "folders.change_section", scope),
            "observe": allows(request.user, "folders.add_observance", scope),
            "attach": allows(request.user, "folders.add_attachment", scope),
        },
    }
    return render(request, "folders/folder.html", context)


@login_required
def section_detail(request: HttpRequest, iso3: str, key: str) -> HttpResponse:
    country = _country(iso3)
    section = _section(country, key)
    revisions = list(selectors.revisions(section))
    newer = _number(request.GET.get("to"), section.number)
    older = _number(request.GET.get("from"), max(newer - 1, 0))
    try:
        lines = selectors.diff(section, older, newer) if section.pk and newer else []
    except Revision.DoesNotExist as exc:
        raise Http404 from exc
    context = {
        "country": country,
        "section": section,
        "html": to_html(section.text),
        "stale": selectors.is_stale(section),
        "revisions": revisions,
        "older": older,
        "newer": newer,
        "lines": lines,
        "may_edit": allows(request.user, "folders.change_section", Scope(countries=frozenset({country.pk}))),
        "may_verify": section.pk and allows(request.user, "folders.verify_section", section),
        "history": core_selectors.audit_entries(objects=[section.uid])[:20] if section.pk else [],
    }
    return render(request, "folders/section_detail.html", context)


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and len(value) < 9 else default


@login_required
def section_edit(request: HttpRequest, iso3: str, key: str) -> HttpResponse:
    country = _country(iso3)
    section = _section(country, key)
    form = SectionForm(request.POST or None, initial={"text": section.text, "version": section.version})
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            saved = services.edit_section(
                actor=request.user,
                country=country,
                key=key,
                version=data["version"],
                text=data["text"],
                reason=data["reason"],
            )
            messages.success(request, f"Saved as revision {saved.number}; it counts as verified today.")
            return redirect("folder-section", country.iso3, key)
        except DomainError as exc:
            show_in_form(form, exc)
    status = form_status(form)
    context = {"country": country, "section": section, "form": form}
    return render(request, "folders/section_form.html", context, status=status)


@login_required
@require_POST
def section_verify(request: HttpRequest, iso3: str, key: str) -> HttpResponse:
    section = _section(_country(iso3), key)
    try:
        if section.pk is None:
            raise DomainError("Write the section before verifying it.")
        services.verify(actor=request.user, section=section)
        messages.success(request, "Marked verified today.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("folder-section", section.country.iso3, key)


@login_required
@require_POST
def section_restore(request: HttpRequest, iso3: str, key: str) -> HttpResponse:
    section = _section(_country(iso3), key)
    try:
        if section.pk is None:
            raise DomainError("The section has no revisions.")
        number = _number(request.POST.get("number"), 0)
        version = _number(request.POST.get("version"), 0) or None
        restored = services.restore(actor=request.user, section=section, number=number, version=version)
        messages.success(request, f"Revision {number} restored as revision {restored.number}.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("folder-section", section.country.iso3, key)


@login_required
@require_POST
def observance_add(request: HttpRequest, iso3: str) -> HttpResponse:
    country = _country(iso3)
    form = ObservanceForm(request.POST)
    if form.is_valid():
        try:
            services.add_observance(actor=request.user, country=country, **form.cleaned_data)
            messages.success(request, "Observance added to the calendar.")
            return redirect("folder", country.iso3)
        except DomainError as exc:
            show_in_form(form, exc)
    return render(request, "folders/observance_form.html", {"country": country, "form": form}, status=400)


@login_required
@require_POST
def attachment_add(request: HttpRequest, iso3: str) -> HttpResponse:
    country = _country(iso3)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attach(
                actor=request.user,
                country=country,
                section=form.cleaned_data["section"],
                name=upload.name,
                content=upload,
            )
            messages.success(request, f"{upload.name} attached.")
            return redirect("folder", country.iso3)
        except DomainError as exc:
            show_in_form(form, exc)
    return render(request, "folders/attachment_form.html", {"country": country, "form": form}, status=400)


@login_required
def attachment_download(request: HttpRequest, uid: str) -> FileResponse:
    attachment = get_object_or_404(Attachment, uid=uid)
    path = selectors.attachment_path(attachment)
    if not path.exists():
        raise Http404
    # Always a download, never rendered in the browser: the stored type is declared and sniffing is off.
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )


@login_required
def folder_export(request: HttpRequest, iso3: str) -> HttpResponse:
    country = _country(iso3)
    document = continuity_book.document(country)
    return download(request, document, request.GET.get("format", "pdf"), "folder.exported", country)


@login_required
def person_book(request: HttpRequest, username: str) -> HttpResponse:
    """A person's continuity book, for themselves or, from an administrator, for anyone."""
    person = get_object_or_404(User, username=username)
    if person.pk != request.user.pk and not request.user.has_perm("core.change_user"):
        raise Http404
    document = continuity_book.for_person(person)
    return download(request, document, request.GET.get("format", "pdf"), "person.exported", person)
