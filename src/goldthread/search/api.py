"""The search endpoint."""

from django.http import HttpRequest
from ninja import Query, Router, Schema

from goldthread.core.schemas import ERRORS, Text
from goldthread.search.index import search

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: Text(200, 1)
    country: Text(3) = ""
    kind: Text(40) = ""


class HitOut(Schema):
    kind: str
    title: str
    path: str
    country: str
    snippet: str


@router.get("/search", response={200: list[HitOut], **ERRORS})
def search_index(request: HttpRequest, query: Query[SearchQuery]):
    """Records matching every word of `q`, best first (at most 50): today, country-folder sections."""
    return search(query.q, country=query.country.upper(), kind=query.kind)
