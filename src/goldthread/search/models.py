"""One search index for the whole product: each searchable record writes one entry when it changes.

The entry is plain text. The full-text machinery is the database's own — FTS5 on SQLite, tsvector with a GIN index on
PostgreSQL — created by this app's migrations and used by `index.search`. A record's code is kept apart as well, so
that typing it finds that record first.
"""

from django.db import models


class Entry(models.Model):
    kind = models.CharField(max_length=40, help_text="What the record is, e.g. folder section.")
    record_uid = models.UUIDField(unique=True)
    code = models.CharField(
        max_length=40, blank=True, help_text="The record's own code in capitals, e.g. EVT-2027-HG; found exactly."
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    path = models.CharField(max_length=300, help_text="Where the record is read in the web UI.")
    country = models.CharField(max_length=3, blank=True)
    # Facets: filled where they apply to the kind of record, empty otherwise.
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Fiscal year of the event.")
    event_type = models.CharField(max_length=20, blank=True)
    objective_type = models.CharField(max_length=3, blank=True)
    dotmlpfp = models.CharField(max_length=12, blank=True)
    partner = models.CharField(max_length=120, blank=True, help_text="Partner unit, by name.")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "entries"
        # A facet narrows a search before its matches are ranked; PostgreSQL combines these with the full-text index.
        indexes = [
            models.Index(fields=[name], name=f"search_entry_{name}")
            for name in ("country", "year", "event_type", "objective_type", "dotmlpfp", "partner")
        ] + [
            # Most entries have no code: only those with one are indexed for the exact lookup.
            models.Index(fields=["code"], name="search_entry_code", condition=~models.Q(code="")),
        ]

    def __str__(self) -> str:
        return self.title
