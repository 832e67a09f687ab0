"""Pages for requests for information: ask one from the executor's checklist, read it, answer or withdraw it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from goldthread.core import selectors as core_selectors
from goldthread.core.errors import DomainError
from goldthread.core.permissions import allows
from goldthread.delivery import services as delivery
from goldthread.events.models import Event
from goldthread.planning import services
from goldthread.planning.checklist import requirements
from goldthread.planning.forms import AnswerForm, RequestForm
from goldthread.planning.models import InformationRequest
from goldthread.planning.purpose import purpose_block
from goldthread.web.errors import form_status, show_in_form


@login_required
def rfi_create(request: HttpRequest, uid: str) -> HttpResponse:
    event = get_object_or_404(Event, uid=uid)
    initial = {}
    topic = request.GET.get("topic", "")
    for item in requirements(event, purpose_block(event)):
        if item.topic == topic:
            initial = {"topic": item.topic, "question": item.question}
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            asked = services.ask(actor=request.user, event=event, **form.cleaned_data)
        except DomainError as exc:
            show_in_form(form, exc)
        else:
            messages.success(request, f"Asked {asked.owner.short_name}; everyone who depends on the event sees it.")
            return redirect("rfi", asked.uid)
    status = form_status(form)
    return render(request, "planning/rfi_form.html", {"form": form, "event": event}, status=status)


def _page(request: HttpRequest, asked: InformationRequest, form: AnswerForm | None, status: int = 200) -> HttpResponse:
    is_open = asked.status == InformationRequest.Status.OPEN
    may_answer = is_open and allows(request.user, "planning.answer_informationrequest", asked)
    context = {
        "rfi": asked,
        "mine": delivery.open_delivered(actor=request.user, record=asked),
        "form": (form or AnswerForm(initial={"version": asked.version})) if may_answer else None,
        "may_withdraw": is_open and (may_answer or request.user.pk == asked.asked_by_id),
        "history": core_selectors.audit_entries(objects=[asked.uid])[:20],
    }
    return render(request, "planning/rfi_detail.html", context, status=status)


def _request(uid: str) -> InformationRequest:
    related = ("event", "owner", "asked_by", "answered_by")
    return get_object_or_404(InformationRequest.objects.select_related(*related), uid=uid)


@login_required
def rfi_detail(request: HttpRequest, uid: str) -> HttpResponse:
    return _page(request, _request(uid), None)


@login_required
@require_POST
def rfi_answer(request: HttpRequest, uid: str) -> HttpResponse:
    asked = _request(uid)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            services.answer(actor=request.user, request=asked, version=data["version"], text=data["answer"])
            messages.success(request, f"Answered; {asked.asked_by.username} finds the answer in their inbox.")
            return redirect("rfi", asked.uid)
        except DomainError as exc:
            show_in_form(form, exc)
    return _page(request, asked, form, status=400)


@login_required
@require_POST
def rfi_withdraw(request: HttpRequest, uid: str) -> HttpResponse:
    asked = _request(uid)
    version = request.POST.get("version", "")
    try:
        services.withdraw(actor=request.user, request=asked, version=int(version) if version.isdigit() else None)
        messages.success(request, "Withdrawn: the question leaves the checklist.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("rfi", asked.uid)
