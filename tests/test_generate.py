"""`goldthread generate` writes its rows straight to the tables (demo/bulk.py): what it writes must read back through
the application exactly as records the application wrote would, and the same seed must give the same data."""

from datetime import date

from django.db import connection, transaction

from goldthread.aars.models import Observation, Report
from goldthread.demo.generator import generate
from goldthread.events import selectors
from goldthread.events.models import ContributionClaim, Event, fiscal_year
from goldthread.measures.models import Indicator, Measurement
from goldthread.planning.models import Conference
from goldthread.strategy.models import Country, Objective


def snapshot(prefix: str) -> list[tuple]:
    events = Event.objects.filter(code__startswith=prefix).select_related("executing_unit").order_by("code")
    return [
        (
            e.uid,
            e.code,
            e.name,
            e.event_type,
            e.start_date,
            e.status,
            e.executing_unit.short_name if e.executing_unit else None,
            sorted(e.countries.values_list("iso3", flat=True)),
            sorted(e.claims.values_list("objective__code", "objective_type", "role", "expected_change")),
        )
        for e in events
    ]


def test_generated_rows_read_back_as_the_application_writes_them(db):
    generate(events=300, seed=4, batch_size=120)
    events = Event.objects.filter(code__startswith="GEN-4-")
    assert events.count() == 300
    event = events.filter(claims__isnull=False).order_by("code").first()
    # The key, dates and timestamps are stored as the ORM stores them: looked up by value, they find the row.
    assert Event.objects.get(uid=event.uid) == event
    assert Event.objects.filter(start_date=event.start_date, code=event.code).exists()
    assert isinstance(event.start_date, date) and event.end_date >= event.start_date
    assert event.fiscal_year == fiscal_year(event.start_date) and event.created and event.version == 1
    assert ContributionClaim.objects.get(uid=event.claims.first().uid).event == event
    thread = selectors.event_thread(event)
    assert {c.objective_id for c in event.claims.all()} <= set(thread.objectives), "its thread reaches its objectives"
    # The rules the services keep.
    assert not events.filter(status__in=Event.NEEDS_CLAIM, claims__isnull=True).exists()
    primary = ContributionClaim.objects.filter(event__in=events, role=ContributionClaim.Role.PRIMARY)
    assert primary.count() == len(set(primary.values_list("event_id", flat=True)))
    assert set(primary.values_list("event_id", flat=True)) == set(
        events.filter(claims__isnull=False).values_list("pk", flat=True)
    )
    claims = ContributionClaim.objects.filter(event__in=events).select_related("objective")
    assert all(c.objective_type in c.objective.types for c in claims)
    # The keys continue after the generated rows: a record the application adds next gets a key of its own.
    later = Event.objects.create(
        code="EVT-AFTER",
        name="Added after generating",
        event_type="SMEE",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 1, 8),
    )
    later.countries.add(Country.objects.get(iso3="THA"))
    assert later.pk > max(events.values_list("pk", flat=True))


def content_snapshot(prefix: str) -> list[list[tuple]]:
    """Everything generated around the events, as plain values without the keys."""
    return [
        list(Objective.objects.filter(code__startswith=prefix).values_list(
            "uid", "code", "statement", "level", "country__iso3", "primary_type", "secondary_types", "parents__code"
        ).order_by("code", "parents__code")),
        list(Indicator.objects.filter(code__startswith=prefix).values_list(
            "uid", "code", "statement", "objective__code", "aggregation"
        ).order_by("code")),
        list(Measurement.objects.filter(event__code__startswith=prefix).values_list(
            "uid", "indicator__code", "event__code", "date", "value", "status"
        ).order_by("uid")),
        list(Conference.objects.filter(event__code__startswith=prefix).values_list(
            "uid", "event__code", "kind", "starts", "status"
        ).order_by("uid")),
        list(Report.objects.filter(event__code__startswith=prefix).values_list(
            "uid", "event__code", "status", "score", "relationships"
        ).order_by("uid")),
        list(Observation.objects.filter(report__event__code__startswith=prefix).values_list(
            "uid", "title", "observation", "discussion", "stage", "claim__uid"
        ).order_by("uid")),
    ]  # fmt: skip


def test_the_same_seed_gives_the_same_data(db):
    with transaction.atomic():
        generate(events=150, seed=6, batch_size=60)
        first, content = snapshot("GEN-6-"), content_snapshot("GEN-6-")
        transaction.set_rollback(True)
    assert not Event.objects.filter(code__startswith="GEN-6-").exists()
    generate(events=150, seed=6, batch_size=60)
    assert snapshot("GEN-6-") == first
    assert content_snapshot("GEN-6-") == content
    assert len({row[0] for row in first}) == 150
    assert all(content), "every kind of content is generated, even at this size"


def test_a_generated_data_set_is_left_with_statistics_and_on_postgresql_vacuumed(transactional_db):
    """Without a VACUUM, PostgreSQL can answer no count from an index alone until autovacuum passes, if it is on."""
    generate(events=50, seed=3, content=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relallvisible FROM pg_class WHERE relname = 'events_event'")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'events_event'")
        assert cursor.fetchone()[0] > 0
