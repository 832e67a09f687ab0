"""The search endpoints: matching records, and how the matches spread over each facet."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from goldthread.core.catalogues import Dotmlpfp, EventType, ObjectiveType
from goldthread.core.schemas import ERRORS, Text
from goldthread.search.index import FACETS, KINDS, facets, search

router = Router(tags=["search"])


class FacetFilters(Schema):
    """The facets a search can be narrowed by; only those given apply."""

    country: Text(3) = Field("", description="ISO alpha-3 code.")
    year: int | None = Field(None, ge=1900, le=2200, description="Fiscal year of the event.")
    event_type: EventType | None = None
    objective_type: ObjectiveType | None = None
    dotmlpfp: Dotmlpfp | None = None
    partner: Text(60) = Field("", description="The partner unit's short name.")

    def narrowing(self) -> dict:
        """The filters given, as `search.index` takes them."""
        return {**self.dict(include=set(FACETS) - {"country"}), "country": self.country.upper()}


class SearchQuery(FacetFilters):
    q: Text(200, 1)
    kind: Text(40) = Field("", description=f"One of: {', '.join(f'`{k}`' for k in KINDS)}.")


class HitOut(Schema):
    kind: str
    title: str
    path: str
    country: str
    snippet: str


class FacetValueOut(Schema):
    value: str
    count: int


@router.get("/search", response={200: list[HitOut], **ERRORS})
def search_index(request: HttpRequest, query: Query[SearchQuery]):
    """Records matching every word of `q`, best first (at most 50), narrowed by the facets given: events, objectives,
    indicators, after-action reports, themes, country-folder sections and the observations of approved AARs. A
    record whose code is `q` itself comes first."""
    return search(query.q, **query.narrowing())


@router.get("/search/facets", response={200: dict[str, list[FacetValueOut]], **ERRORS})
def search_facets(request: HttpRequest, query: Query[SearchQuery]):
    """For each facet, the values found among the matches and how many matches have each, most first."""
    counted = facets(query.q, **query.narrowing())
    return {name: [{"value": v, "count": n} for v, n in counted.get(name, [])] for name in FACETS}
