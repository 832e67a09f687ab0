"""Benchmark: search over a million lesson observations, on SQLite or PostgreSQL.

    make benchmark-lessons BENCH_ARGS="--observations 1000000"
    GOLDTHREAD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gt_bench make benchmark-lessons

It tops the database up with synthetic completed events (`goldthread generate`), each with a disseminated AAR of
about twenty observations written in the words SC units use, and their search entries with every facet filled. Then
it times `search.index.search` and `search.index.facets` warm, as they are called by the lessons pages and the API,
over a fixed set of queries of each shape, and prints a Markdown table for docs/performance.md.
It uses its own data directory (a fresh temporary one unless GOLDTHREAD_DATA_DIR is set).
"""

import argparse
import math
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("GOLDTHREAD_DATA_DIR", tempfile.mkdtemp(prefix="goldthread-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldthread.settings")
os.environ.setdefault("GOLDTHREAD_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from goldthread.aars import selectors, services  # noqa: E402
from goldthread.aars.models import Observation, Report  # noqa: E402
from goldthread.core import audit  # noqa: E402
from goldthread.core.catalogues import Echelon  # noqa: E402
from goldthread.demo.enterprise import index_written  # noqa: E402
from goldthread.demo.generator import TODAY, generate  # noqa: E402
from goldthread.demo.observation_text import EventFacts, Writer  # noqa: E402
from goldthread.events.models import ContributionClaim, Event  # noqa: E402
from goldthread.search import index  # noqa: E402
from goldthread.search.models import Entry  # noqa: E402
from goldthread.strategy.models import Country, Organization  # noqa: E402

# --- Generating ---------------------------------------------------------------------------------------------

OBSERVATIONS_PER_REPORT = (10, 30)  # inclusive range; about 20 on average
REPORTABLE = (Event.Status.COMPLETED, Event.Status.CLOSED)


def _unreported(batch: int) -> Iterator[list[EventFacts]]:
    """Completed events without an AAR, a batch at a time, with what their observations need."""
    countries = dict(Country.objects.values_list("iso3", "name"))
    partner_names = dict(Organization.objects.filter(echelon=Echelon.PARTNER_UNIT).values_list("id", "short_name"))
    last = 0
    while True:
        rows = list(
            Event.objects.filter(status__in=REPORTABLE, aar__isnull=True, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "end_date", "fiscal_year", "event_type")[:batch]
        )
        if not rows:
            return
        ids = [r[0] for r in rows]
        last = ids[-1]
        first_country: dict[int, str] = {}
        for event_id, iso in (
            Event.countries.through.objects.filter(event_id__in=ids)
            .order_by("country__iso3")
            .values_list("event_id", "country__iso3")
        ):
            first_country.setdefault(event_id, iso)
        partners: dict[int, list[tuple[int, str]]] = {}
        for event_id, org_id in Event.partner_units.through.objects.filter(event_id__in=ids).values_list(
            "event_id", "organization_id"
        ):
            partners.setdefault(event_id, []).append((org_id, partner_names.get(org_id, "")))
        claims: dict[int, list[tuple[int, str, str]]] = {}
        for claim_id, event_id, objective_type, indicator in ContributionClaim.objects.filter(
            event_id__in=ids
        ).values_list("pk", "event_id", "objective_type", "indicator"):
            claims.setdefault(event_id, []).append((claim_id, objective_type, indicator))
        yield [
            EventFacts(
                pk,
                end,
                fy,
                kind,
                first_country.get(pk, ""),
                countries.get(first_country.get(pk, ""), ""),
                partners.get(pk, []),
                claims.get(pk, []),
            )
            for pk, end, fy, kind in rows
        ]


def generate_observations(wanted: int, seed: int, progress: Callable[[int], None] | None = None) -> int:
    """Add about `wanted` observations (whole reports), generating completed events first when too few are left.
    Each batch of reports, observations and entries is one transaction. Returns the number added."""
    rng = random.Random(f"goldthread.lessons:{seed}:{Observation.objects.count()}")
    writer = Writer(rng)
    added = 0
    while added < wanted:
        available = Event.objects.filter(status__in=REPORTABLE, aar__isnull=True).count()
        needed_events = math.ceil((wanted - added) / statistics.mean(OBSERVATIONS_PER_REPORT))
        if available < needed_events:
            # About three generated events in four have ended by the generator's TODAY.
            # Events alone: the reports here are the benchmark's own, of ten to thirty observations each.
            generate(events=math.ceil((needed_events - available) / 0.75) + 100, seed=seed, content=False)
        for batch in _unreported(batch=500):
            # Whole reports, and no more of them than it takes to reach `wanted`.
            sizes, planned = [], added
            for _ in batch:
                if planned >= wanted:
                    break
                sizes.append(rng.randint(*OBSERVATIONS_PER_REPORT))
                planned += sizes[-1]
            events = batch[: len(sizes)]
            with transaction.atomic():
                reports = [
                    Report(
                        event_id=e.id,
                        status=Report.Status.DISSEMINATED,
                        hotwash_due=e.end_date,
                        hotwash_held=e.end_date,
                        due=e.end_date + timedelta(days=settings.AAR_DUE_DAYS),
                        summary="The event was executed as planned, with the friction points below.",
                        score=rng.randint(35, 95),
                        submitted_at=_at(e.end_date + timedelta(days=20)),
                        approved_at=_at(e.end_date + timedelta(days=28)),
                        disseminated_at=_at(e.end_date + timedelta(days=28)),
                    )
                    for e in events
                ]
                Report.objects.bulk_create(reports)
                observations = [
                    Observation(report=report, uid=uuid.UUID(int=rng.getrandbits(128), version=4), **fields)
                    for event, report, size in zip(events, reports, sizes, strict=True)
                    for fields in (writer.observation(event) for _ in range(size))
                ]
                Observation.objects.bulk_create(observations, batch_size=2000)
                # Built by the same code as the services' entries, from the rows just written.
                index_written(Observation, observations[0].pk, observations[-1].pk)
            added += len(observations)
            if progress:
                progress(added)
            if added >= wanted:
                break
    return added


def _at(day: date) -> datetime:
    day = min(day, TODAY)
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def check_entry_matches_service() -> None:
    """The bulk path must write what the service writes, or the benchmark measures another index: re-index one
    generated observation through `services.index_observation` and compare, then roll back."""
    observation = Observation.objects.select_related("report__event", "partner_unit").order_by("-pk").first()
    fields = ("kind", "title", "body", "path", "country", "year", "event_type", "objective_type", "dotmlpfp", "partner")
    before = Entry.objects.filter(record_uid=observation.uid).values(*fields).get()
    with transaction.atomic():
        services.index_observation(observation)
        after = Entry.objects.filter(record_uid=observation.uid).values(*fields).get()
        transaction.set_rollback(True)
    if before != after:
        raise SystemExit(f"error: generated entry differs from the service's: {before} != {after}")


# --- Measuring ---------------------------------------------------------------------------------------------


@dataclass
class Query:
    shape: str
    label: str
    call: Callable[[], object]
    matches: Callable[[], int]


def _count(text: str, *, any_word: bool = False, **filters) -> int:
    """How many entries the query matches, all of them, counted with the index's own matching (kind included)."""
    source, where, params = index._match(index._words(text), any_word=any_word)
    narrow, narrow_params = index._narrow(filters)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {source} WHERE {where}{narrow}", [*params, *narrow_params])  # noqa: S608
        return cursor.fetchone()[0]


def _search(shape: str, label: str, text: str, *, any_word: bool = False, limit: int = 50, **filters) -> Query:
    return Query(
        shape,
        label,
        lambda: index.search(text, kind="observation", any_word=any_word, limit=limit, **filters),
        lambda: _count(text, kind="observation", any_word=any_word, **filters),
    )


def _facets(label: str, text: str, **filters) -> Query:
    return Query(
        "facets()",
        label,
        lambda: index.facets(text, kind="observation", **filters),
        lambda: _count(text, kind="observation", **filters),
    )


def queries() -> list[Query]:
    """The fixed query set: each shape a search on the lessons pages takes, several of each, from common to rare."""
    found = [_search("one common word", f"`{w}`", w) for w in ("partner", "customs", "interpreters", "medevac")]
    found += [_search("one rare word", f"`{w}`", w) for w in ("leptospirosis", "Chowdhury", "gabion", "Kowalski")]
    found += [
        _search("two words", f"`{t}`", t)
        for t in ("customs clearance", "interpreters glossary", "medevac helicopter", "radios frequencies")
    ]
    for text, facet in (
        ("customs", {"country": "THA"}),
        ("interpreters", {"year": 2025}),
        ("medevac", {"dotmlpfp": "FACILITIES"}),
        ("radios", {"partner": "TNI-AD Kostrad"}),
    ):
        label = f"`{text}`, " + ", ".join(f"{k}={v}" for k, v in facet.items())
        found.append(_search("word + facet", label, text, **facet))
    # What `selectors.recurring` asks for on an observation's page: any telling word of its title.
    for title in ("Too few interpreters for the expert exchange", "Equipment held in customs for 14 days"):
        words = selectors.telling_words(title)
        found.append(_search("telling words of a title", f"`{title}` → `{words}`", words, any_word=True, limit=20))
    found += [
        _facets("`customs`", "customs"),
        _facets("`interpreters`, country=PHL", "interpreters", country="PHL"),
        _facets("`leptospirosis`", "leptospirosis"),
    ]
    return found


def timed(call: Callable[[], object], runs: int) -> list[float]:
    call()  # warm caches and the connection
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def database_size() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    else:
        name = Path(settings.DATABASES["default"]["NAME"])
        size = sum(p.stat().st_size for p in name.parent.glob(name.name + "*"))
    return f"{size / 1e9:.1f} GB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=1_000_000, help="observations to reach (default 1000000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query (default 7)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--generate-only", action="store_true", help="top the data set up, measure nothing")
    args = parser.parse_args()
    if args.observations < 1 or args.runs < 1:
        print("error: --observations and --runs must be positive", file=sys.stderr)
        return 2

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    call_command("migrate", verbosity=0)
    existing = Observation.objects.count()
    start = time.perf_counter()
    added = 0
    if existing < args.observations:

        def progress(done: int) -> None:
            rate = done / (time.perf_counter() - start)
            print(f"\r{existing + done:,} observations ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)

        added = generate_observations(args.observations - existing, args.seed, progress)
        print(file=sys.stderr)
        audit.record_about(None, "demo.generated_lessons", "benchmark data set", {"observations": added})
        # Fresh statistics, as a database that has been running a while has them; PostgreSQL also sets its
        # visibility map, which lets the GIN index's matches skip the table where it can.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_entry" if connection.vendor == "postgresql" else "ANALYZE")
    generate_seconds = time.perf_counter() - start
    check_entry_matches_service()
    total = Observation.objects.count()
    reports = Report.objects.count()
    if args.generate_only:
        print(f"{total:,} observations in {reports:,} reports (added {added:,} in {generate_seconds:.0f} s)")
        return 0

    rows, all_search, by_shape = [], [], {}
    for query in queries():
        samples = timed(query.call, args.runs)
        rows.append((query, query.matches(), statistics.median(samples), p95(samples)))
        by_shape.setdefault(query.shape, []).extend(samples)
        if query.shape != "facets()":
            all_search.extend(samples)

    print(
        f"\nGoldthread lessons search benchmark — {engine}, {total:,} observations in {reports:,} reports, "
        f"{Entry.objects.count():,} search entries, database {database_size()} "
        f"(added {added:,} in {generate_seconds:.0f} s), peak RSS {peak_rss_mib():.0f} MiB\n"
    )
    print("| shape | query | matches | median ms | p95 ms |\n|---|---|---:|---:|---:|")
    for query, matches, median, worst in rows:
        print(f"| {query.shape} | {query.label} | {matches:,} | {median:.0f} | {worst:.0f} |")
    print("\n| shape | median ms | p95 ms |\n|---|---:|---:|")
    for shape, samples in by_shape.items():
        print(f"| {shape} | {statistics.median(samples):.0f} | {p95(samples):.0f} |")
    print(f"| **all search() calls** | **{statistics.median(all_search):.0f}** | **{p95(all_search):.0f}** |")
    return 0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
