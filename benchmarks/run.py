"""Benchmark harness: the hot paths at several data sizes, each beside the database's own time for the same queries.

    make benchmark BENCH_ARGS="--sizes 10000,100000,500000"
    GOLDTHREAD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/goldthread_bench make benchmark BENCH_ARGS="…"

For each size, smallest first, it tops the database up with `goldthread generate` (the data directory is kept between
runs when GOLDTHREAD_DATA_DIR is set) and times every read through the whole Django stack: URL routing,
authentication, queries, templates or JSON. The floor of a read is the database running the very statements the
read ran (recorded once, replayed through a plain cursor that fetches every row), so the ratio says how much the
application adds. Statements other than SELECT (a session touched, a token's last use) are counted and timed in the
application's time but not replayed. It prints Markdown tables for docs/performance.md and writes a JSON file that
`benchmarks/compare.py` compares between runs.
"""

import argparse
import gc
import json
import math
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("GOLDTHREAD_DATA_DIR", tempfile.mkdtemp(prefix="goldthread-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldthread.settings")
os.environ.setdefault("GOLDTHREAD_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

import dataset  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402
from django.test import Client  # noqa: E402

import goldthread  # noqa: E402
from goldthread.core.catalogues import Level  # noqa: E402
from goldthread.core.models import User  # noqa: E402
from goldthread.core.tokens import create_token  # noqa: E402
from goldthread.events.models import Event  # noqa: E402
from goldthread.strategy.models import Objective  # noqa: E402

IMPORT_ROWS = 200  # events in the reconciliation file the bulk-import read previews


@dataclass
class Read:
    key: str  # stable name in the JSON file
    label: str
    call: Callable[[], object]
    before: Callable[[], object] = lambda: None  # before each call, untimed


def kept_and_afresh(key: str, label: str, call: Callable[[], object]) -> list[Read]:
    """A read of results kept per state of the data (evaluation/cache.py), timed as every reader gets it until the
    next change, and with nothing kept: what the first reader after a change waits for."""
    return [
        Read(key, f"{label} kept since the last change", call),
        Read(f"{key}-computed", f"{label} computed afresh", call, caches["evaluation"].clear),
    ]


@dataclass
class Timing:
    key: str
    label: str
    queries: int
    app_p50_ms: float
    app_p95_ms: float
    floor_p50_ms: float
    floor_p95_ms: float

    @property
    def ratio(self) -> float:
        return self.app_p50_ms / self.floor_p50_ms if self.floor_p50_ms else math.inf


@dataclass
class SizeResult:
    events: int
    generated: int
    generate_seconds: float
    database_mb: float
    reads: list[Timing] = field(default_factory=list)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


class Recorder:
    """An execute wrapper that keeps each statement and its parameters, to be replayed as the floor."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, object, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)

    @property
    def replayable(self) -> list[tuple[str, object]]:
        return [
            (sql, params)
            for sql, params, many in self.statements
            if not many and sql.lstrip().upper().startswith(("SELECT", "WITH"))
        ]


@contextmanager
def recording(recorder: Recorder) -> Iterator[None]:
    """`recorder` on this thread's connection and on those a read's side-by-side parts open (core/threads.py), so
    that their statements are part of the floor too: replayed one after another, they can take longer than the
    read did."""

    def attach(sender, connection, **kwargs) -> None:
        connection.execute_wrappers.append(recorder)

    connection_created.connect(attach)
    try:
        with connection.execute_wrapper(recorder):
            yield
    finally:
        connection_created.disconnect(attach)


def replay(statements: list[tuple[str, object]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def sample(call: Callable[[], object], runs: int, before: Callable[[], object] = lambda: None) -> list[float]:
    samples = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def measure(read: Read, runs: int) -> Timing:
    read.call()  # warm caches and connections
    recorder = Recorder()
    read.before()
    with recording(recorder):
        read.call()
    statements = recorder.replayable
    replay(statements)
    app, floor = sample(read.call, runs, read.before), sample(lambda: replay(statements), runs)
    return Timing(
        read.key,
        read.label,
        len(recorder.statements),
        statistics.median(app),
        p95(app),
        statistics.median(floor),
        p95(floor),
    )


def ok(response) -> None:
    assert response.status_code == 200, (response.status_code, response.content[:300])


def reads() -> list[Read]:
    """The hot paths, on records chosen the same way at every size so that the rows compare across sizes."""
    user = User.objects.get(username="planner")
    _, secret = create_token(actor=None, user=user)
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    web = Client()
    web.force_login(user)
    # The demo's records: present at every size, so that reads by key compare across sizes.
    event = Event.objects.filter(claims__isnull=False, code__startswith="EVT").order_by("-start_date", "code").first()
    national = Objective.objects.filter(level=Level.NATIONAL).order_by("code").first()
    imo = Objective.objects.filter(level=Level.IMO, country__iso3="THA").order_by("code").first()
    year = event.fiscal_year
    export = api.get("/api/v1/evaluation/reconciliation/export.csv", {"fiscal_year": year, "country": "THA"})
    ok(export)
    lines = b"".join(export.streaming_content if export.streaming else [export.content]).splitlines()
    upload = b"\n".join(lines[: IMPORT_ROWS + 1]) + b"\n"

    def preview():
        ok(api.post("/api/v1/evaluation/reconciliation/preview", {"file": SimpleUploadedFile("events.csv", upload)}))

    def get(client: Client, url: str, params: dict | None = None) -> Callable[[], None]:
        return lambda: ok(client.get(url, params or {}))

    return [
        Read("page-home", "Page: home (planner's dashboard)", get(web, "/")),
        Read(
            "page-events-filtered",
            "Page: event list, one country and year",
            get(web, "/events/", {"country": "PHL", "fiscal_year": year}),
        ),
        Read("page-event", "Page: event with its thread diagram", get(web, f"/events/{event.uid}/")),
        Read("page-objective-imo", "Page: an IMO objective with serving events", get(web, f"/objectives/{imo.uid}/")),
        *kept_and_afresh(
            "page-objective-national",
            "Page: a national goal with serving events, counts",
            get(web, f"/objectives/{national.uid}/"),
        ),
        Read("page-packet", "Page: executor packet", get(web, f"/events/{event.uid}/packet/")),
        Read("page-search", "Page: search", get(web, "/search/", {"q": "maritime"})),
        Read(
            "page-evaluation",
            "Page: evaluation of one fiscal year, figures kept since the last change",
            get(web, "/evaluation/", {"fiscal_year": year, "fresh": 1}),
        ),
        Read("api-event", "API: one event by key", get(api, f"/api/v1/events/{event.uid}")),
        Read(
            "api-events-filtered",
            "API: events, one country and year",
            get(api, "/api/v1/events", {"country": "THA", "fiscal_year": year}),
        ),
        Read("api-events-page-100", "API: all events, page 100", get(api, "/api/v1/events", {"page": 100})),
        Read("api-objectives", "API: objectives of one country", get(api, "/api/v1/objectives", {"country": "THA"})),
        Read("api-aars", "API: after-action reports, page 1", get(api, "/api/v1/aars")),
        Read(
            "api-event-thread", "API: event thread up to national goals", get(api, f"/api/v1/events/{event.uid}/thread")
        ),
        Read("api-objective-thread-imo", "API: IMO objective thread", get(api, f"/api/v1/objectives/{imo.uid}/thread")),
        Read(
            "api-objective-thread-national",
            "API: national goal thread",
            get(api, f"/api/v1/objectives/{national.uid}/thread"),
        ),
        *kept_and_afresh(
            "api-coverage",
            "API: coverage of one fiscal year,",
            get(api, "/api/v1/evaluation/coverage", {"fiscal_year": year}),
        ),
        Read("api-search", "API: full-text search", get(api, "/api/v1/search", {"q": "maritime"})),
        Read("api-import-preview", f"API: bulk import, preview of {IMPORT_ROWS} events", preview),
    ]


def database_mb() -> float:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0] / 1e6
    name = Path(settings.DATABASES["default"]["NAME"])
    return sum(p.stat().st_size for p in name.parent.glob(name.name + "*")) / 1e6


def machine() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = cursor.fetchone()[0]
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database": database.split(" on ")[0],
        "load_average": os.getloadavg(),
    }


def size_table(engine: str, size: SizeResult) -> str:
    rate = size.generated / size.generate_seconds if size.generate_seconds else 0
    lines = [
        f"\n**{engine}, {size.events:,} events** (database {size.database_mb:,.0f} MB; "
        f"{size.generated:,} generated in {size.generate_seconds:.0f} s, {rate:,.0f}/s)\n",
        "| read | queries | app p50 ms | app p95 ms | floor p50 ms | floor p95 ms | app ÷ floor |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {t.label} | {t.queries} | {t.app_p50_ms:.1f} | {t.app_p95_ms:.1f} | {t.floor_p50_ms:.1f} "
        f"| {t.floor_p95_ms:.1f} | {t.ratio:.1f} |"
        for t in size.reads
    ]
    return "\n".join(lines)


def growth_table(engine: str, results: list[SizeResult]) -> str:
    first, last = results[0], results[-1]
    heads = " | ".join(f"p95 ms at {s.events:,}" for s in results)
    lines = [f"\n**{engine}, growth of the 95th percentile**\n", f"| read | {heads} | growth |"]
    lines.append("|---|" + "---:|" * (len(results) + 1))
    for i, timing in enumerate(first.reads):
        cells = " | ".join(f"{s.reads[i].app_p95_ms:.1f}" for s in results)
        lines.append(f"| {timing.label} | {cells} | {last.reads[i].app_p95_ms / timing.app_p95_ms:.1f}× |")
    return "\n".join(lines)


def write(target: Path, engine: str, runs: int, results: list[SizeResult]) -> None:
    report = {
        "engine": engine,
        "version": goldthread.__version__,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": runs,
        "machine": machine(),
        "peak_rss_mib": peak_rss_mib(),
        "sizes": [{**asdict(r), "reads": [{**asdict(t), "ratio": t.ratio} for t in r.reads]} for r in results],
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report, indent=1) + "\n")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000,500000", help="comma-separated event counts (default 10000,100000,500000)"
    )
    parser.add_argument("--runs", type=int, default=20, help="timed runs per read (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="where to write the results (default benchmarks/results/ENGINE.json)")
    args = parser.parse_args()
    try:
        sizes = sorted(int(s) for s in args.sizes.split(","))
    except ValueError:
        sizes = []
    if not sizes or sizes[0] < 1 or args.runs < 1:
        print("error: --sizes must be positive whole numbers and --runs positive", file=sys.stderr)
        return 2

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    target = args.json or Path(__file__).parent / "results" / f"{engine}.json"
    results: list[SizeResult] = []
    for size in sizes:
        existing, seconds = dataset.top_up(size, args.seed)
        events = Event.objects.count()
        result = SizeResult(events, max(0, events - existing), seconds, database_mb())
        # What lives on is set aside from the collector, as a server process does once loaded (goldthread/wsgi.py).
        gc.collect()
        gc.freeze()
        for read in reads():
            result.reads.append(measure(read, args.runs))
            print(f"{events:,} events: {read.label}", file=sys.stderr, flush=True)
        results.append(result)
        write(target, engine, args.runs, results)  # after each size, so that a long run keeps what it measured
        print(size_table(engine, result), flush=True)
    if len(results) > 1:
        print(growth_table(engine, results))
    print(f"\nPeak RSS of the benchmark process {peak_rss_mib():.0f} MiB; results in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
