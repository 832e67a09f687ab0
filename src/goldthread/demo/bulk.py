"""Rows straight into a table, for benchmark data at tens of thousands of records a second.

The ORM prepares every value of every record in Python, which at that scale costs several times the database's own
write. A `Table` works out once the values that are the same for every row (defaults, timestamps), takes the rest
as plain tuples, assigns the keys itself so that dependent rows can point at a row before it is written, and writes
with one `executemany` on SQLite or one `COPY` on PostgreSQL. The keys continue from the table's highest, so use it
only on a database nothing else writes to meanwhile (docs/decisions/0007-demo-loader-writes-directly.md).
"""

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from functools import partial
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone


class Table:
    def __init__(self, model: type[models.Model], columns: tuple[str, ...]):
        """`columns` are the attribute names (`event_id`, not `event`) each row gives, in order; every other column
        gets its default, or the time of writing when it is set automatically."""
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model._meta.label} has no column {sorted(unknown)[0]}")
        now, fixed = timezone.now(), {}
        for name, f in fields.items():
            if name in columns or f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif (f.has_default() and (not callable(f.default) or f.default in (list, dict))) or (
                f.null or f.empty_strings_allowed
            ):
                value = f.get_default()  # an empty list or dict is the same for every row
            else:  # a value each row needs its own of (a uid, a required key): the caller must give it
                raise ValueError(f"{model._meta.label}.{name} has no single default value; give it in each row")
            fixed[name] = f.get_db_prep_save(value, connection)
        self.model = model
        self.columns = (model._meta.pk.attname, *columns, *fixed)
        self.tail = tuple(fixed.values())
        self.adapters = [
            (position, adapter)
            for position, name in enumerate(columns)
            if (adapter := _adapter(fields[name])) is not None
        ]
        self.rows: list[tuple] = []
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({_q(self.columns[0])}) FROM {_q(model._meta.db_table)}")  # noqa: S608
            self.next_key = (cursor.fetchone()[0] or 0) + 1

    def add(self, *values: Any) -> int:
        """Queue one row; return the key it will have."""
        key = self.next_key
        self.next_key = key + 1
        if self.adapters:
            row = list(values)
            for position, adapter in self.adapters:
                row[position] = adapter(row[position])
            values = tuple(row)
        self.rows.append((key, *values, *self.tail))
        return key

    def write(self) -> int:
        """Write the queued rows; return how many."""
        count, rows, self.rows = len(self.rows), self.rows, []
        if not rows:
            return 0
        table, names = _q(self.model._meta.db_table), ", ".join(_q(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                # COPY leaves the key sequence behind: the next row the application adds must not reuse a key.
                for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                    cursor.execute(sql)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
        return count


@contextmanager
def full_text_deferred(table: str, index: str) -> Iterator[None]:
    """On SQLite, index the rows added to `table` inside the block in the FTS5 table `index` (columns title and
    body) with one statement at the end, instead of row by row through the table's insert trigger: a third of the
    time. The trigger is dropped and made again from its own stored definition within the caller's transaction, so
    a failure rolls both back; what the index holds is the same. Other databases keep their full-text columns
    themselves."""
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("full_text_deferred needs a transaction, so that the trigger cannot be left dropped")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND sql LIKE %s",
            [table, "%AFTER INSERT%"],
        )
        triggers = cursor.fetchall()
        cursor.execute(f"SELECT MAX(rowid) FROM {_q(table)}")  # noqa: S608
        last = cursor.fetchone()[0] or 0
        for name, _ in triggers:
            cursor.execute(f"DROP TRIGGER {_q(name)}")
    yield
    with connection.cursor() as cursor:
        if triggers:
            cursor.execute(
                f"INSERT INTO {_q(index)} (rowid, title, body) "  # noqa: S608
                f"SELECT rowid, title, body FROM {_q(table)} WHERE rowid > %s ORDER BY rowid",
                [last],
            )
        for _, sql in triggers:
            cursor.execute(sql)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _sqlite_datetime(slow: Callable[[datetime], str], zone: tzinfo, value: datetime) -> str:
    # What Django's SQLite backend stores for an aware time, without the checks that made it a tenth of the time
    # spent writing AARs; anything else goes the full way.
    if value.tzinfo is None:
        return slow(value)
    return str(value.astimezone(zone).replace(tzinfo=None))


def _adapter(f: models.Field) -> Callable[[Any], Any] | None:
    """How a plain Python value of the field is stored, where the driver would not store it as Django does."""
    adapter = _value_adapter(f)
    if adapter is None or not f.null:
        return adapter
    return lambda value: None if value is None else adapter(value)


def _value_adapter(f: models.Field) -> Callable[[Any], Any] | None:
    if isinstance(f, models.JSONField):
        return json.dumps
    if connection.vendor == "postgresql":
        return None  # psycopg stores dates, times and UUIDs natively, as Django does
    if isinstance(f, models.DateTimeField):
        return partial(_sqlite_datetime, partial(f.get_db_prep_save, connection=connection), connection.timezone)
    if isinstance(f, models.UUIDField):
        return uuid.UUID.hex.fget
    if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
        return date.isoformat
    return None
