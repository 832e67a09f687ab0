"""The query planner's statistics. Both databases choose between an index and a plain scan by how selective the
index is; without statistics SQLite guesses, and at hundreds of thousands of events it guesses wrong — fetching most
of a table row by row through an index on fiscal year or status, several times slower than reading it in order.
So statistics are refreshed whenever the data changed wholesale: after migrating and after bulk generation."""

from django.db import connection


def refresh() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
