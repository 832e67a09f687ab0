"""One search index for the whole product: each searchable record writes one entry when it changes.

The entry is plain text. The full-text machinery is the database's own — FTS5 on SQLite, tsvector with a GIN index on
PostgreSQL — created by this app's migration and used by `index.search`.
"""

from django.db import models


class Entry(models.Model):
    kind = models.CharField(max_length=40, help_text="What the record is, e.g. folder section.")
    record_uid = models.UUIDField(unique=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    path = models.CharField(max_length=300, help_text="Where the record is read in the web UI.")
    country = models.CharField(max_length=3, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return self.title
