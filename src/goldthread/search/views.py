"""The search page: one box over everything the index holds."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goldthread.search.index import KINDS, search


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "")[:200]
    country = request.GET.get("country", "").upper()[:3]
    # A kind that is not one of the index's would match nothing: it is dropped, as the lists drop such filters.
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in KINDS else ""
    hits = search(query, country=country, kind=kind) if query.strip() else []
    return render(
        request,
        "search/search.html",
        {"query": query, "country": country, "kind": kind, "kinds": KINDS, "hits": hits},
    )
