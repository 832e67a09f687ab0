"""The inbox: records delivered to the user, read and acknowledged from here (one or a selection) or from the
record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from goldthread.core.errors import DomainError
from goldthread.core.identifiers import is_uuid
from goldthread.delivery import selectors, services
from goldthread.delivery.models import Delivery

PAGE_SIZE = 50
BULK_LIMIT = 500  # far more than a page shows: more is not a selection made on the page


def _inbox(request: HttpRequest, params: QueryDict, *, error: str = "", selected=(), status: int = 200):
    unread = params.get("unread") == "1"
    page = Paginator(selectors.inbox(request.user, unread=unread), PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "unread": unread,
        "query": query.urlencode(),
        "params": params.urlencode(),
        "error": error,
        "selected": set(selected),
    }
    return render(request, "delivery/inbox.html", context, status=status)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return _inbox(request, request.GET)


@login_required
@require_POST
def acknowledge(request: HttpRequest, uid: str) -> HttpResponse:
    item = get_object_or_404(Delivery, uid=uid, recipient=request.user)
    services.acknowledge(actor=request.user, delivery=item)
    messages.success(request, f"Acknowledged: {item.title}.")
    back = request.POST.get("next", "")
    return redirect(back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else "inbox")


@login_required
@require_POST
def acknowledge_selected(request: HttpRequest) -> HttpResponse:
    """Acknowledge every selected record of the user's inbox, or none when one of them is not theirs."""
    params = QueryDict(request.POST.get("query", "")[:200])  # the inbox page as it was shown
    uids = list(dict.fromkeys(request.POST.getlist("delivery")))
    if not uids:
        return _inbox(request, params, error="Select at least one record first: tick the box at its row.", status=400)
    if len(uids) > BULK_LIMIT:
        return _inbox(request, params, error=f"Select at most {BULK_LIMIT} records at a time.", status=400)
    mine = list(Delivery.objects.filter(recipient=request.user, uid__in=[u for u in uids if is_uuid(u)]))
    if len(mine) != len(uids):
        missing = len(uids) - len(mine)
        are = "is" if missing == 1 else "are"
        error = f"{missing} of the selected records {are} not in your inbox; nothing was acknowledged."
        return _inbox(request, params, error=error, selected=uids, status=400)
    try:
        with transaction.atomic():
            for item in mine:
                services.acknowledge(actor=request.user, delivery=item)
    except DomainError as exc:
        return _inbox(request, params, error=exc.detail, selected=uids, status=exc.status)
    messages.success(request, f"Acknowledged {len(mine)} record{pluralize(len(mine))}.")
    return redirect(f"{reverse('inbox')}?{params.urlencode()}")
