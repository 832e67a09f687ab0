"""What the ORM lacks for queries over an enterprise's data.

`field__among=ids` is `IN` for the tens of thousands of keys a walk of the objective graph or an evaluation finds.
Django prepares each value of an `__in` list in Python, one by one, and the database driver binds each as a
parameter: for 40,000 ids that costs several times what the query does. The ids are the database's own integer
keys, so `among` writes them into the SQL as numbers, each passed through `int` on the way.

`timestamp__date` is the date of a timestamp in the database's own date function where the time zone is UTC, as
Goldthread's is. On SQLite Django computes it by calling back into Python for every row, which over the AARs of a
country's five years took a tenth of a second; the stored timestamps are UTC text, so SQLite's `date()` says the same.

`Unindexed(column)` is the column written as an expression, `column + 0`, which no index serves: for where a
planner would take an index that looks right and is not (each use says why)."""

from django.core.exceptions import EmptyResultSet
from django.db.models import DateTimeField, ForeignKey, Func, IntegerField, Lookup
from django.db.models.functions import TruncDate


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet  # as `__in` does: no row matches, and excluding none leaves them all
        column, params = self.process_lhs(compiler, connection)
        return f"{column} IN ({','.join(str(int(pk)) for pk in sorted(self.rhs))})", params


IntegerField.register_lookup(Among)
ForeignKey.register_lookup(Among)


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
