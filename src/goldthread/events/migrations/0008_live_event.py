"""On PostgreSQL, the live events' facts the evaluation reads, in an index of their own: a count or grouping over a
country's (or the theater's) live events reads 37 MB of index instead of every event's whole row, some 175 MB at
500,000 events. SQLite has no index columns that are not keys, and gained nothing from the bare partial index."""

from django.db import migrations

COLUMNS = "fiscal_year, executing_unit_id, owner_id, start_date, end_date, event_type, aar_started, created"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX live_event ON events_event (id) INCLUDE ({COLUMNS}) WHERE NOT (status = 'CANCELLED')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX live_event")


class Migration(migrations.Migration):
    dependencies = [("events", "0007_claim_objective_event")]

    operations = [migrations.RunPython(create, drop)]
