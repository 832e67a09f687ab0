"""Benchmark: generate an enterprise-size data set, then time the reads planners make all day.

    make benchmark BENCH_ARGS="--events 500000"
    GOLDTHREAD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/goldthread_bench make benchmark

It uses its own data directory (a fresh temporary one unless GOLDTHREAD_DATA_DIR is set) and prints a Markdown table
for docs/performance.md. Each read is timed warm, as the median of several runs, through the whole Django stack.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("GOLDTHREAD_DATA_DIR", tempfile.mkdtemp(prefix="goldthread-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldthread.settings")
os.environ.setdefault("GOLDTHREAD_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

import dataset  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from goldthread.core.catalogues import Level  # noqa: E402
from goldthread.core.models import User  # noqa: E402
from goldthread.core.tokens import create_token  # noqa: E402
from goldthread.events.models import Event  # noqa: E402
from goldthread.strategy.models import Objective  # noqa: E402


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, call: Callable[[], object], runs: int) -> tuple[str, float, float]:
    call()  # warm caches and connections
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return label, statistics.median(samples) * 1000, max(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="events to generate (default 100000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per read (default 7)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.events < 1 or args.runs < 1:
        print("error: --events and --runs must be positive", file=sys.stderr)
        return 2

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    existing, generate_seconds = dataset.top_up(args.events, args.seed)
    total = Event.objects.count()

    user = User.objects.get(username="planner")
    _, secret = create_token(actor=None, user=user)
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    web = Client()
    web.force_login(user)

    def ok(response) -> None:
        assert response.status_code == 200, (response.status_code, response.content[:300])

    event = Event.objects.filter(claims__isnull=False).order_by("-start_date").first()
    national = Objective.objects.filter(level=Level.NATIONAL).first()
    year = event.fiscal_year
    reads = [
        (
            "API: events in one country and year, page 1",
            lambda: ok(api.get("/api/v1/events", {"country": "THA", "fiscal_year": year})),
        ),
        ("API: all events, page 100", lambda: ok(api.get("/api/v1/events", {"page": 100}))),
        ("API: event thread up to national goals", lambda: ok(api.get(f"/api/v1/events/{event.uid}/thread"))),
        (
            "API: national goal thread with serving events",
            lambda: ok(api.get(f"/api/v1/objectives/{national.uid}/thread")),
        ),
        ("API: coverage of one fiscal year", lambda: ok(api.get("/api/v1/evaluation/coverage", {"fiscal_year": year}))),
        ("Page: event list filtered by country", lambda: ok(web.get("/events/", {"country": "PHL"}))),
        ("Page: event with its thread diagram", lambda: ok(web.get(f"/events/{event.uid}/"))),
        ("Page: national goal with serving events", lambda: ok(web.get(f"/objectives/{national.uid}/"))),
        ("Page: objective tree", lambda: ok(web.get("/objectives/"))),
        ("API: purpose block of an event", lambda: ok(api.get(f"/api/v1/events/{event.uid}/purpose"))),
        ("Page: executor packet", lambda: ok(web.get(f"/events/{event.uid}/packet/"))),
        ("Download: executor packet as DOCX", lambda: ok(web.get(f"/events/{event.uid}/packet.docx"))),
        ("Download: executor packet as PDF", lambda: ok(web.get(f"/events/{event.uid}/packet.pdf"))),
        ("Page: event readiness board", lambda: ok(web.get(f"/events/{event.uid}/readiness/"))),
        ("Page: Thailand country folder", lambda: ok(web.get("/countries/THA/folder/"))),
        ("Page: folder list with stale counts", lambda: ok(web.get("/folders/"))),
        ("API: full-text search", lambda: ok(api.get("/api/v1/search", {"q": "passport visa"}))),
    ]
    rows = [timed(label, call, args.runs) for label, call in reads]

    print(
        f"\nGoldthread benchmark — {engine}, {total:,} events "
        f"(generated {total - existing:,} in {generate_seconds:.0f} s), peak RSS {peak_rss_mib():.0f} MiB\n"
    )
    print("| read | median ms | max ms |\n|---|---:|---:|")
    for label, median, worst in rows:
        print(f"| {label} | {median:.0f} | {worst:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
