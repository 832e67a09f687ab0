"""The query planner's statistics. Both databases choose between an index and a plain scan by how selective the
index is; without statistics SQLite guesses, and at hundreds of thousands of events it guesses wrong — fetching most
of a table row by row through an index on fiscal year or status, several times slower than reading it in order.
So statistics are refreshed whenever the data changed wholesale: after migrating and after bulk generation."""

from django.db import connection


def refresh() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def settle() -> None:
    """After a bulk load, outside a transaction: on PostgreSQL, VACUUM as well, which marks the written pages all
    visible. Until then no index-only scan is possible — counting a fiscal year's events reads the table — and
    autovacuum, which would do it in the next minutes, may be off (15 s for the 7 GB of 500,000 generated events)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    else:
        refresh()
