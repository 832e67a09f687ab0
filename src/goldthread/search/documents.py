"""What the index holds of each kind of record: the one definition of a record's entry.

Each kind's builder takes a queryset of its records and returns their entries in a fixed number of queries, reading
plain values rather than model instances: `index.reindex` runs it over batches of thousands, and the services over
the one record they changed (`entries`), so both write the same entry.

Only what every logged-in user may read is indexed, so that no hit can show a record to someone who may not see it
(docs/security.md): drafts of conference records and orders are not indexed at all, and an after-action report is
indexed by its event and status alone until it is approved (and so disseminated), as its observations are.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db import models
from django.urls import reverse

from goldthread.aars.models import Observation, Report
from goldthread.core.catalogues import EventType, Level
from goldthread.core.paths import record_path
from goldthread.events.models import Event
from goldthread.folders.models import Section
from goldthread.measures.models import Indicator
from goldthread.planning.models import Theme
from goldthread.strategy.models import Objective

# The kinds of record the index holds, as `Entry.kind` spells them.
EVENT = "event"
OBJECTIVE = "objective"
INDICATOR = "indicator"
REPORT = "after-action report"
THEME = "theme"
SECTION = "folder section"
OBSERVATION = "observation"

# An after-action report's text and observations are searchable from its approval on, which disseminates it.
PUBLISHED = (Report.Status.APPROVED, Report.Status.DISSEMINATED)

# Labels by value: get_FOO_display is too slow for hundreds of thousands of records.
EVENT_TYPES = dict(EventType.choices)
EVENT_STATUSES = dict(Event.Status.choices)
LEVELS = dict(Level.choices)
OBJECTIVE_STATUSES = dict(Objective.Status.choices)
INDICATOR_KINDS = dict(Indicator.Kind.choices)
INDICATOR_STATUSES = dict(Indicator.Status.choices)
REPORT_STATUSES = dict(Report.Status.choices)
THEME_STATUSES = dict(Theme.Status.choices)
SECTION_KEYS = dict(Section.Key.choices)
REPORT_TEXT = [
    "summary",
    *(name for name, *_ in Report.TYPE_SECTIONS),
    "administration",
    "costs",
]


@dataclass(slots=True)
class Document:
    """What an entry holds (the columns of `search.models.Entry` the index writes)."""

    kind: str
    record_uid: UUID
    title: str
    body: str
    path: str
    country: str = ""
    code: str = ""
    year: int | None = None
    event_type: str = ""
    objective_type: str = ""
    dotmlpfp: str = ""
    partner: str = ""


def code_key(code: str) -> str:
    """A code as the index keeps it and an exact search looks it up: in capitals, letter for letter, so that it is
    never longer than the code itself (`"ß".upper()` is two letters, and a code may fill its column)."""
    return "".join(upper if len(upper := letter.upper()) == 1 else letter for letter in code)


def _text(*parts: object) -> str:
    return "\n".join(str(p) for p in parts if p not in (None, ""))


def _event_countries(events: models.QuerySet | Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """ISO code and name of each event's countries, by event id, in ISO order."""
    found: dict[int, list[tuple[str, str]]] = {}
    rows = Event.countries.through.objects.filter(event_id__in=events).values_list(
        "event_id", "country__iso3", "country__name"
    )
    for event_id, iso3, name in rows.order_by("event_id", "country__iso3"):
        found.setdefault(event_id, []).append((iso3, name))
    return found


def _first_country(countries: list[tuple[str, str]]) -> str:
    return countries[0][0] if countries else ""


def events(records: models.QuerySet[Event]) -> list[Document]:
    rows = records.values_list(
        "pk", "uid", "code", "name", "description", "event_type", "fiscal_year", "status", "record_id",
        "executing_unit__short_name", "authority",
    )  # fmt: skip
    countries = _event_countries(records.values("pk"))
    entries = []
    for pk, uid, code, name, description, event_type, year, status, record_id, unit, authority in rows:
        where = countries.get(pk, [])
        entries.append(
            Document(
                kind=EVENT,
                record_uid=uid,
                code=code_key(code),
                title=f"{code} {name}"[:300],
                body=_text(
                    description,
                    ", ".join(f"{country} ({iso3})" for iso3, country in where),
                    EVENT_TYPES.get(event_type, event_type),
                    f"FY{year}",
                    EVENT_STATUSES.get(status, status),
                    record_id,
                    unit,
                    authority,
                ),
                path=record_path("event", uid),
                country=_first_country(where),
                year=year,
                event_type=event_type,
            )
        )
    return entries


def objectives(records: models.QuerySet[Objective]) -> list[Document]:
    rows = records.values_list(
        "uid", "code", "statement", "level", "country__iso3", "country__name", "primary_type", "secondary_types",
        "measure", "target", "owner__short_name", "status",
    )  # fmt: skip
    entries = []
    for uid, code, statement, level, iso3, country, primary, secondary, measure, target, owner, status in rows:
        types = [primary, *(t for t in secondary if t != primary)]
        entries.append(
            Document(
                kind=OBJECTIVE,
                record_uid=uid,
                code=code_key(code),
                title=f"{code} {statement}"[:300],
                body=_text(
                    statement,
                    f"{LEVELS.get(level, level)} objective",
                    country,
                    ", ".join(types),
                    measure,
                    target,
                    owner,
                    OBJECTIVE_STATUSES.get(status, status),
                ),
                path=record_path("objective", uid),
                country=iso3 or "",
                objective_type=primary,
            )
        )
    return entries


def indicators(records: models.QuerySet[Indicator]) -> list[Document]:
    """An indicator's country and objective type are its objective's; a MOP bound to an event takes the event's
    country and fiscal year."""
    rows = records.values_list(
        "uid", "code", "statement", "kind", "unit", "data_source", "method", "status", "objective__code",
        "objective__country__iso3", "objective__primary_type", "event_id", "event__code", "event__fiscal_year",
    )  # fmt: skip
    countries = _event_countries(records.filter(event__isnull=False).values("event_id"))
    entries = []
    for uid, code, statement, kind, unit, source, method, status, objective, iso3, objective_type, *event in rows:
        event_id, event_code, year = event
        entries.append(
            Document(
                kind=INDICATOR,
                record_uid=uid,
                code=code_key(code),
                title=f"{code} {statement}"[:300],
                body=_text(
                    statement,
                    INDICATOR_KINDS.get(kind, kind),
                    unit,
                    source,
                    method,
                    objective,
                    event_code,
                    INDICATOR_STATUSES.get(status, status),
                ),
                path=record_path("indicator", uid),
                country=iso3 or _first_country(countries.get(event_id, [])),
                year=year,
                objective_type=objective_type or "",
            )
        )
    return entries


def reports(records: models.QuerySet[Report]) -> list[Document]:
    """Until approval only the event and the status are searchable, as observations enter search only then."""
    rows = records.values_list(
        "uid", "status", *REPORT_TEXT, "event_id", "event__code", "event__name", "event__fiscal_year",
        "event__event_type",
    )  # fmt: skip
    countries = _event_countries(records.values("event_id"))
    entries = []
    for uid, status, *values in rows:
        text, (event_id, code, name, year, event_type) = values[: len(REPORT_TEXT)], values[len(REPORT_TEXT) :]
        entries.append(
            Document(
                kind=REPORT,
                record_uid=uid,
                title=f"AAR {code} {name}"[:300],
                body=_text(
                    f"After-action report, {REPORT_STATUSES.get(status, status).lower()}",
                    *(text if status in PUBLISHED else []),
                ),
                path=record_path("aar", uid),
                country=_first_country(countries.get(event_id, [])),
                year=year,
                event_type=event_type,
            )
        )
    return entries


def themes(records: models.QuerySet[Theme]) -> list[Document]:
    rows = records.values_list(
        "uid", "title", "audience", "talking_points", "country__iso3", "country__name", "series__name", "status"
    )
    return [
        Document(
            kind=THEME,
            record_uid=uid,
            title=title[:300],
            body=_text(audience, talking_points, country, series, THEME_STATUSES.get(status, status)),
            path=record_path("theme", uid),
            country=iso3 or "",
        )
        for uid, title, audience, talking_points, iso3, country, series, status in rows
    ]


def sections(records: models.QuerySet[Section]) -> list[Document]:
    """The same entries `folders.services.edit_section` writes."""
    rows = records.values_list("uid", "key", "text", "country__iso3", "country__name")
    return [
        Document(
            kind=SECTION,
            record_uid=uid,
            title=f"{country}: {SECTION_KEYS.get(key, key)}"[:300],
            body=text,
            path=reverse("folder-section", args=[iso3, key]),
            country=iso3,
        )
        for uid, key, text, iso3, country in rows
    ]


def observations(records: models.QuerySet[Observation]) -> list[Document]:
    rows = records.values_list(
        "uid", "title", "observation", "discussion", "recommendation", "corrective_action", "analysis",
        "objective_type", "dotmlpfp", "partner_unit__short_name", "report__event_id", "report__event__fiscal_year",
        "report__event__event_type",
    )  # fmt: skip
    countries = _event_countries(records.values("report__event_id"))
    entries = []
    for uid, title, observation, discussion, recommendation, corrective, analysis, *facets in rows:
        objective_type, dotmlpfp, partner, event_id, year, event_type = facets
        entries.append(
            Document(
                kind=OBSERVATION,
                record_uid=uid,
                title=title[:300],
                body=_text(
                    observation,
                    discussion,
                    recommendation,
                    corrective,
                    str((analysis or {}).get("root_cause", "")),
                ),
                path=record_path("observation", uid),
                country=_first_country(countries.get(event_id, [])),
                year=year,
                event_type=event_type,
                objective_type=objective_type,
                dotmlpfp=dotmlpfp,
                partner=partner or "",
            )
        )
    return entries


@dataclass(frozen=True)
class Source:
    """One kind of entry: the records that are indexed (a record not among them has no entry), and the builder."""

    kind: str
    model: type[models.Model]
    records: Callable[[], models.QuerySet]
    build: Callable[[models.QuerySet], list[Document]]


# In the order a rebuild writes them. Relevance is judged among the newest matches (index.RANK_WINDOW), and a
# rebuild makes the last written the newest: the few records people look up by name (objectives, indicators, themes,
# folder sections) come last, so that a common word's flood of events and observations never pushes them out.
SOURCES = (
    Source(OBSERVATION, Observation, lambda: Observation.objects.filter(report__status__in=PUBLISHED), observations),
    Source(EVENT, Event, lambda: Event.objects.all(), events),
    Source(REPORT, Report, lambda: Report.objects.all(), reports),
    Source(INDICATOR, Indicator, lambda: Indicator.objects.all(), indicators),
    Source(OBJECTIVE, Objective, lambda: Objective.objects.all(), objectives),
    Source(THEME, Theme, lambda: Theme.objects.all(), themes),
    Source(SECTION, Section, lambda: Section.objects.filter(number__gt=0), sections),
)
KINDS = tuple(source.kind for source in SOURCES)
_BY_MODEL = {source.model: source for source in SOURCES}


def entries(record: models.Model) -> list[tuple[UUID, Document | None]]:
    """The entries that change with `record`, by record uid: its own, and for an event its AAR's too, whose title
    names the event. None stands for a record that is not to be found (yet, or any more)."""
    source = _BY_MODEL.get(type(record))
    if source is None:
        raise TypeError(f"{type(record).__name__} is not indexed for search")
    built = source.build(source.records().filter(pk=record.pk))
    found: list[tuple[UUID, Document | None]] = [(record.uid, built[0] if built else None)]
    if isinstance(record, Event):
        found += [(entry.record_uid, entry) for entry in reports(Report.objects.filter(event=record))]
    return found
