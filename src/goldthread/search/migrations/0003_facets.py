"""Facet columns, and on PostgreSQL a stored tsvector: ranking reads it instead of parsing every matched text
again, which is what keeps a search over a million entries fast.

SQLite adds a column by rebuilding the table, which drops its triggers: they are made again, and the FTS5 index
rebuilt from the table."""

from importlib import import_module

from django.db import migrations, models

full_text = import_module("goldthread.search.migrations.0002_full_text")


def _on(vendor: str, statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == vendor:
            for statement in statements:
                schema_editor.execute(statement)

    return run


SQLITE = [
    *[s for s in full_text.SQLITE if s.startswith("CREATE TRIGGER")],
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]

FORWARD = [
    "DROP INDEX search_entry_fts",
    "ALTER TABLE search_entry ADD COLUMN document tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED",
    "CREATE INDEX search_entry_document ON search_entry USING GIN (document)",
]
BACKWARD = [
    "DROP INDEX search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN document",
    "CREATE INDEX search_entry_fts ON search_entry USING GIN (to_tsvector('english', title || ' ' || body))",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [
        migrations.AddField("entry", "year", models.PositiveSmallIntegerField(blank=True, null=True, help_text="Fiscal year of the event.")),
        migrations.AddField("entry", "event_type", models.CharField(blank=True, max_length=20)),
        migrations.AddField("entry", "objective_type", models.CharField(blank=True, max_length=3)),
        migrations.AddField("entry", "dotmlpfp", models.CharField(blank=True, max_length=12)),
        migrations.AddField("entry", "partner", models.CharField(blank=True, max_length=120, help_text="Partner unit, by name.")),
        migrations.RunPython(_on("postgresql", FORWARD), _on("postgresql", BACKWARD)),
        migrations.RunPython(_on("sqlite", SQLITE), migrations.RunPython.noop),
    ]
