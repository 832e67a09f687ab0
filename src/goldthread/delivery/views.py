"""The inbox: records delivered to the user, read and acknowledged from here or from the record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from goldthread.delivery import selectors, services
from goldthread.delivery.models import Delivery


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(request.user, unread=unread), 50).get_page(request.GET.get("page"))
    return render(request, "delivery/inbox.html", {"page": page, "unread": unread})


@login_required
@require_POST
def acknowledge(request: HttpRequest, uid: str) -> HttpResponse:
    item = get_object_or_404(Delivery, uid=uid, recipient=request.user)
    services.acknowledge(actor=request.user, delivery=item)
    messages.success(request, f"Acknowledged: {item.title}.")
    back = request.POST.get("next", "")
    return redirect(back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else "inbox")
