"""The floor of generating a data set: the database writing the rows it already holds into empty copies of its tables.

    make benchmark-write-floor                                   # the data set of `make benchmark`, on SQLite
    GOLDTHREAD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/goldthread_bench make benchmark-write-floor

Every table with rows is copied by one `INSERT … SELECT` into an empty table with the same columns, checks, indexes
and full-text indexing (SQLite: a new database file made from the schema's own statements, its FTS5 triggers
included; PostgreSQL: `CREATE TABLE … (LIKE … INCLUDING ALL)` in a schema of its own, rolled back at the end). No
Python touches a row and the copies start empty, so this is the least time any generator could take to write the
same records on this machine: the events in the database divided by it is the fastest rate of generation the
database allows, whatever code drafts the rows. Foreign keys are not checked in the copies.
"""

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldthread.settings")
os.environ.setdefault("GOLDTHREAD_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from goldthread.demo.generator import SQLITE_CACHE_KIB  # noqa: E402
from goldthread.events.models import Event  # noqa: E402

SHOWN = 8  # the tables that took longest, listed one by one


def sqlite_copies(database: Path) -> dict[str, tuple[int, float]]:
    """Copy every table of the SQLite database into a new file made from its schema; (rows, seconds) per table,
    and the commit under ''."""
    source = sqlite3.connect(database)
    schema = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END"
    ).fetchall()
    source.close()
    virtual = [name for kind, name, sql in schema if kind == "table" and sql.startswith("CREATE VIRTUAL")]
    # A virtual table makes its own shadow tables; its rows are the triggers' to write.
    tables = [
        name
        for kind, name, sql in schema
        if kind == "table" and name not in virtual and not any(name.startswith(f"{v}_") for v in virtual)
    ]
    with tempfile.TemporaryDirectory(prefix="goldthread-floor-") as directory:
        copy = sqlite3.connect(Path(directory) / "copy.sqlite3", isolation_level=None)
        # As the application's connections and the generator's: write-ahead log, normal sync, a large page cache.
        copy.execute("PRAGMA journal_mode = WAL")
        copy.execute("PRAGMA synchronous = NORMAL")
        copy.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        for kind, name, sql in schema:
            if kind != "table" or name in tables or name in virtual:
                copy.execute(sql)
        copy.execute("ATTACH DATABASE ? AS source", [str(database)])
        timings: dict[str, tuple[int, float]] = {}
        copy.execute("BEGIN")
        for name in tables:
            start = time.perf_counter()
            rows = copy.execute(f'INSERT INTO main."{name}" SELECT * FROM source."{name}"').rowcount  # noqa: S608
            timings[name] = (rows, time.perf_counter() - start)
        start = time.perf_counter()
        copy.execute("COMMIT")
        timings[""] = (0, time.perf_counter() - start)
        copy.close()
    return timings


def postgresql_copies() -> dict[str, tuple[int, float]]:
    """Copy every table of the PostgreSQL database into a schema of its own, then roll it all back; (rows,
    seconds) per table."""
    timings: dict[str, tuple[int, float]] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA floor_copy")
        for name in connection.introspection.table_names(cursor):
            cursor.execute(f'CREATE TABLE floor_copy."{name}" (LIKE public."{name}" INCLUDING ALL)')
            # A generated column (a search entry's document) is computed by the copy as it was by the original.
            cursor.execute(
                "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''",
                [f'public."{name}"'],
            )
            columns = cursor.fetchone()[0]
            start = time.perf_counter()
            cursor.execute(
                f'INSERT INTO floor_copy."{name}" ({columns}) SELECT {columns} FROM public."{name}"'  # noqa: S608
            )
            timings[name] = (cursor.rowcount, time.perf_counter() - start)
        transaction.set_rollback(True)
    return timings


def main() -> int:
    events = Event.objects.count()
    if not events:
        print(
            "error: the database holds no events; fill it first (make benchmark, or goldthread generate)",
            file=sys.stderr,
        )
        return 2
    if connection.vendor == "sqlite":
        timings = sqlite_copies(Path(connection.settings_dict["NAME"]))
    else:
        timings = postgresql_copies()
    rows = sum(count for count, _ in timings.values())
    seconds = sum(elapsed for _, elapsed in timings.values())
    print(f"**{connection.vendor}**: {events:,} events; {rows:,} rows in {seconds:.1f} s\n")
    print("| table | rows | seconds |\n|---|---:|---:|")
    longest = sorted(timings.items(), key=lambda item: -item[1][1])
    for name, (count, elapsed) in longest[:SHOWN]:
        print(f"| {name or '(commit)'} | {count:,} | {elapsed:.2f} |")
    rest = longest[SHOWN:]
    print(f"| {len(rest)} others | {sum(c for _, (c, _) in rest):,} | {sum(e for _, (_, e) in rest):.2f} |")
    print(f"\nWrite floor: {rows / seconds:,.0f} rows a second, {events / seconds:,.0f} events a second with all else.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
