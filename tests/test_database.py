"""The database as Goldthread sets it up, on each engine."""

from django.db import connection


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
