"""The search page: one box over everything the index holds."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goldthread.search.index import search


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "")[:200]
    country = request.GET.get("country", "").upper()[:3]
    hits = search(query, country=country) if query.strip() else []
    return render(request, "search/search.html", {"query": query, "country": country, "hits": hits})
