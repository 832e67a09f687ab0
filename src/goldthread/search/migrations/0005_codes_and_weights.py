"""Every kind of record in one index: a `code` column for the exact lookup of a record by its code, and on
PostgreSQL a document that weighs the title above the body and, like SQLite's FTS5 tokenizer, splits words at
hyphens, dots, slashes and underscores, so that the parts of a code (EVT-2027-HG) are words of their own.

The column is added with ALTER TABLE on SQLite too: Django would rebuild the table for a column without NULL,
which drops the FTS5 triggers and, on a large index, takes long."""

from django.db import migrations, models

# The characters both databases' full-text indexes are made to split words at.
SPLIT = "translate({}, '-./_', '    ')"
DOCUMENT = (
    f"setweight(to_tsvector('english', {SPLIT.format('title')}), 'A') || "
    f"setweight(to_tsvector('english', {SPLIT.format('body')}), 'B')"
)
ADD_CODE = "ALTER TABLE search_entry ADD COLUMN code varchar(40) NOT NULL DEFAULT ''"

POSTGRES = [
    "DROP INDEX search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN document",
    f"ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    "CREATE INDEX search_entry_document ON search_entry USING GIN (document)",
]
POSTGRES_UNDO = [
    "DROP INDEX search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN document",
    "ALTER TABLE search_entry ADD COLUMN document tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED",
    "CREATE INDEX search_entry_document ON search_entry USING GIN (document)",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_facet_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    "entry",
                    "code",
                    models.CharField(
                        blank=True,
                        max_length=40,
                        help_text="The record's own code in capitals, e.g. EVT-2027-HG; found exactly.",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(ADD_CODE, "ALTER TABLE search_entry DROP COLUMN code"),
            ],
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(condition=~models.Q(code=""), fields=["code"], name="search_entry_code"),
        ),
        migrations.RunPython(_run({"postgresql": POSTGRES}), _run({"postgresql": POSTGRES_UNDO})),
    ]
