"""The database as Goldthread sets it up, on each engine."""

from datetime import date

from django.db import connection

from goldthread.evaluation import findings


def test_each_database_runs_as_set_up_for_it(db):
    """SQLite in WAL mode, so readers go on while one writer commits; PostgreSQL without just-in-time compilation,
    which cost the evaluation's counts more than it saved."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        else:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"


def test_on_postgresql_the_facts_the_evaluation_counts_of_live_events_are_an_index_of_their_own(db):
    """Events migration 0008: a count or grouping of live events reads this index, not the events' whole rows. Its
    condition is the one `findings.events_in` writes, and it holds every column the evaluation's counts group by
    or test. SQLite keeps no such index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'live_event'")
            assert cursor.fetchone()[0] == 0
            return
        cursor.execute("SELECT pg_get_indexdef('live_event'::regclass)")
        definition = cursor.fetchone()[0]
    live = str(findings.events_in(findings.Filters.of(date(2026, 1, 1))).query)
    assert "WHERE NOT" in live and '"status" = CANCELLED' in live
    assert definition.endswith("WHERE (NOT ((status)::text = 'CANCELLED'::text))")
    for column in ("fiscal_year", "executing_unit_id", "owner_id", "start_date", "end_date", "event_type", "created"):
        assert column in definition.split("INCLUDE")[1]
