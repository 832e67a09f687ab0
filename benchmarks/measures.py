"""Benchmark: roll up every indicator over millions of measured values, against the database's own floor.

    make benchmark-measures BENCH_ARGS="--events 500000 --values 5000000"
    GOLDTHREAD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gt_bench make benchmark-measures

It shares `make benchmark`'s data directory, so the events generated there are reused. It tops the database up to
the number of events asked for (`goldthread generate`), spreads MOEs over the country objectives (5,000 by default;
aggregations and accumulations in turn; the summed ones roll up into theater totals) and loads measured values dated
across ten fiscal years, each collected at one of the generated events, nineteen in twenty approved. Then it times,
warm, the roll-up engine (`measures.rollup.series`) over every indicator by year and by quarter, and beside it the
same aggregate written by hand as one raw SQL query on the same database — the floor — and prints a Markdown table
for docs/performance.md.
"""

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta

os.environ.setdefault("GOLDTHREAD_DATA_DIR", tempfile.mkdtemp(prefix="goldthread-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldthread.settings")
os.environ.setdefault("GOLDTHREAD_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

import dataset  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from goldthread.core.catalogues import Level  # noqa: E402
from goldthread.core.models import User  # noqa: E402
from goldthread.demo import bulk  # noqa: E402
from goldthread.demo.generator import TODAY  # noqa: E402
from goldthread.events.models import Event  # noqa: E402
from goldthread.measures import periods, rollup  # noqa: E402
from goldthread.measures.models import Indicator, Measurement  # noqa: E402
from goldthread.strategy.models import Objective  # noqa: E402

PREFIX = "BM-"
AGGREGATIONS = list(Indicator.Aggregation.values)
# The same aggregate as the engine computes, written by hand as one query: the grouped sums of every (indicator,
# quarter) with the rows of its newest day beside them.
FLOOR = """
    SELECT g.indicator_id, g.period, g.n, g.total, g.num, g.den, m.id, m.value
    FROM (
        SELECT indicator_id, period, COUNT(*) AS n, SUM(value) AS total, SUM(numerator) AS num,
               SUM(denominator) AS den, MAX(date) AS newest
        FROM measures_measurement WHERE status = 'APPROVED' AND indicator_id IN ({ids})
        GROUP BY indicator_id, period
    ) g JOIN measures_measurement m ON m.indicator_id = g.indicator_id AND m.status = 'APPROVED'
        AND m.period = g.period AND m.date = g.newest
"""


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    call()  # warm caches and connections
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, max(samples) * 1000


def indicators(count: int) -> list[Indicator]:
    """`count` MOEs over the country objectives, aggregations in turn; the summed ones are parts of theater totals.
    A data set made for another count is replaced."""
    existing = list(Indicator.objects.filter(code__startswith=PREFIX))
    if len(existing) == count + Objective.objects.filter(level=Level.THEATER).count():
        return existing
    with connection.cursor() as cursor:  # millions of rows: in the database, not through the ORM's collector
        chosen = "SELECT id FROM measures_indicator WHERE code LIKE %s"
        cursor.execute(f"DELETE FROM measures_measurement WHERE indicator_id IN ({chosen})", [f"{PREFIX}%"])  # noqa: S608
        cursor.execute(f"UPDATE measures_indicator SET rolls_up_to_id = NULL WHERE id IN ({chosen})", [f"{PREFIX}%"])  # noqa: S608
        cursor.execute("DELETE FROM measures_indicator WHERE code LIKE %s", [f"{PREFIX}%"])
    theaters = list(Objective.objects.filter(level=Level.THEATER).order_by("pk"))
    totals = Indicator.objects.bulk_create(
        Indicator(
            code=f"{PREFIX}T-{o.pk}",
            kind="MOE",
            statement=f"Theater total for {o.code}",
            objective=o,
            unit="count",
            data_source="Roll-up",
            aggregation="SUM",
        )
        for o in theaters
    )
    countries = list(Objective.objects.filter(level=Level.COUNTRY).order_by("pk"))
    parts = []
    for n in range(count):
        aggregation = AGGREGATIONS[n % len(AGGREGATIONS)]
        parts.append(
            Indicator(
                code=f"{PREFIX}{n}",
                kind="MOE",
                statement=f"Measure {n}",
                objective=countries[n % len(countries)],
                unit="count",
                data_source="Benchmark",
                aggregation=aggregation,
                accumulation="CUMULATIVE" if n % 3 == 0 else "PERIODIC",
                rolls_up_to=totals[n % len(totals)] if aggregation == "SUM" and totals else None,
            )
        )
    return [*totals, *Indicator.objects.bulk_create(parts, batch_size=2000)]


COLUMNS = (
    "uid", "indicator_id", "event_id", "date", "period", "value", "numerator", "denominator", "source", "status",
    "recorded_by_id",
)  # fmt: skip


def rows(count: int, measured: list[Indicator], seed: int, recorder: int, events: list[int]) -> Iterator[tuple]:
    """Measured values as table rows (`COLUMNS`): written by the database's own bulk path, as an import of this size
    would be."""
    rng = random.Random(seed)
    first = date(TODAY.year - 10, 10, 1)
    span = (TODAY - first).days
    for _ in range(count):
        indicator = measured[rng.randrange(len(measured))]
        day = first + timedelta(days=rng.randrange(span))
        ratio = indicator.aggregation == "RATIO"
        numerator, denominator = (rng.randint(0, 40), rng.randint(1, 40)) if ratio else (None, None)
        yield (
            uuid.UUID(int=rng.getrandbits(128)),
            indicator.pk,
            events[rng.randrange(len(events))],
            day,
            periods.quarter_of(day),
            numerator / denominator if ratio else float(rng.randint(0, 200)),
            numerator,
            denominator,
            "IMPORT",
            "APPROVED" if rng.random() < 0.95 else "SUBMITTED",
            recorder,
        )


def load_values(count: int, measured: list[Indicator], seed: int) -> float:
    recorder = User.objects.get(username="assessor").pk
    events = list(Event.objects.values_list("pk", flat=True))
    start = time.perf_counter()
    with transaction.atomic():
        table = bulk.Table(Measurement, COLUMNS)
        for n, row in enumerate(rows(count, measured, seed, recorder, events), 1):
            table.add(*row)
            if n % 50_000 == 0:
                table.write()
                print(f"\r  {n:,} values", end="", flush=True)
        table.write()
    print()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The visibility map lets index-only scans skip the heap.
            cursor.execute(f"VACUUM ANALYZE {Measurement._meta.db_table}")  # noqa: S608
    return time.perf_counter() - start


def floor(ids: list[int]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(FLOOR.format(ids=", ".join(str(int(pk)) for pk in ids)))
        return len(cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500_000, help="events in the data set (default 500000)")
    parser.add_argument("--values", type=int, default=5_000_000, help="measured values (default 5000000)")
    parser.add_argument("--indicators", type=int, default=5_000, help="indicators measured (default 5000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per read (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if min(args.events, args.values, args.indicators, args.runs) < 1:
        print("error: --events, --values, --indicators and --runs must be positive", file=sys.stderr)
        return 2

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    dataset.top_up(args.events, args.seed)
    found = indicators(args.indicators)
    measured = [i for i in found if not i.code.startswith(f"{PREFIX}T-")]
    have = Measurement.objects.filter(indicator__code__startswith=PREFIX).count()
    load_seconds = load_values(args.values - have, measured, args.seed + have) if have < args.values else 0.0
    total = Measurement.objects.count()

    everything = list(Indicator.objects.all())
    objective = Objective.objects.filter(level=Level.THEATER, indicators__isnull=False).first()
    one = next(i for i in found if i.aggregation == "LATEST")
    reads = [
        ("Roll-up of every indicator by fiscal year", lambda: rollup.series(everything, grain="year")),
        ("Roll-up of every indicator by fiscal quarter", lambda: rollup.series(everything, grain="quarter")),
        ("Floor: the same aggregate as one raw SQL query", lambda: floor([i.pk for i in everything])),
        ("One indicator's series (latest value, by quarter)", lambda: rollup.series([one])),
        ("A theater objective with everything below it, by year", lambda: rollup.for_objective(objective.pk)),
    ]
    rows = [(label, *timed(call, args.runs)) for label, call in reads]
    app, base = rows[0][1], rows[2][1]

    print(
        f"\nGoldthread roll-up benchmark — {engine}, {Event.objects.count():,} events, {len(everything):,} "
        f"indicators, {total:,} measured values (loaded {args.values - have:,} in {load_seconds:.0f} s), "
        f"peak RSS {peak_rss_mib():.0f} MiB\n"
    )
    print("| read | median ms | max ms |\n|---|---:|---:|")
    for label, median, worst in rows:
        print(f"| {label} | {median:.0f} | {worst:.0f} |")
    print(f"\nRoll-up by year against the floor: {app / base:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
