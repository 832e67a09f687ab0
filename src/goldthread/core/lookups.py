"""What the ORM lacks for queries over an enterprise's data.

`field__among=ids` is `IN` for the tens of thousands of keys a walk of the objective graph or an evaluation finds.
Django prepares each value of an `__in` list in Python, one by one, and the database driver binds each as a
parameter: for 40,000 ids that costs several times what the query does. The ids are the database's own integer
keys, so `among` writes them into the SQL as numbers, each passed through `int` on the way. A foreign key is
filtered through its target's key, `objective__id__among=ids` (the same column, no join): on the foreign key itself
Django first checks every value for a model instance, 16,000 checks below a national goal.

`field__among_unplanned=ids` is the same on SQLite. On PostgreSQL the ids become an array read when the query runs,
which the planner does not look into: it estimates each id of an `IN` list, 25 ms for 16,000, more than a query takes
that stops early (a page, a count of one table's rows, a probe per event). Where the plan depends on how many rows
match (joins and aggregates over all of them), the planner needs the ids, and `among` is right: evaluations planned
blind took five times as long.

`timestamp__date` is the date of a timestamp in the database's own date function where the time zone is UTC, as
Goldthread's is. On SQLite Django computes it by calling back into Python for every row, which over the AARs of a
country's five years took a tenth of a second; the stored timestamps are UTC text, so SQLite's `date()` says the same.

`Unindexed(column)` is the column written as an expression, `column + 0`, which no index serves: for where a
planner would take an index that looks right and is not (each use says why)."""

from django.core.exceptions import EmptyResultSet
from django.db.models import DateTimeField, Func, IntegerField, Lookup
from django.db.models.functions import TruncDate


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        return f"{column} IN ({self.listed()})", params

    def listed(self) -> str:
        if not self.rhs:
            raise EmptyResultSet  # as `__in` does: no row matches, and excluding none leaves them all
        return ",".join(map(str, sorted(map(int, self.rhs))))


class AmongUnplanned(Among):
    lookup_name = "among_unplanned"

    def as_postgresql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        return f"{column} = ANY(ARRAY(SELECT unnest('{{{self.listed()}}}'::bigint[])))", params


IntegerField.register_lookup(Among)
IntegerField.register_lookup(AmongUnplanned)


class UTCDate(TruncDate):
    def as_sqlite(self, compiler, connection, **extra):
        if self.get_tzname() != "UTC":
            return super().as_sql(compiler, connection, **extra)
        column, params = compiler.compile(self.lhs)
        return f"date({column})", params


DateTimeField.register_lookup(UTCDate)  # in place of Django's own `date`


class Unindexed(Func):
    template = "(%(expressions)s + 0)"
    output_field = IntegerField()
