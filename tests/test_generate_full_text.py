"""Generated search entries are found by full-text search. On SQLite they are indexed in one statement per batch
rather than row by row; what the index holds, and the triggers that keep it in step afterwards, are as if every row
had gone through them. PostgreSQL indexes the entries' own columns, so there the deferral does nothing."""

import pytest
from django.db import connection, transaction

from goldthread.demo import bulk
from goldthread.demo.generator import generate
from goldthread.search import index
from goldthread.search.models import Entry


def triggers() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        else:
            cursor.execute("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1")
        return cursor.fetchall()


def test_every_generated_entry_is_found_and_later_entries_are_indexed_as_before(db):
    before = triggers()
    generate(events=120, seed=12, batch_size=50)
    assert triggers() == before
    entries = list(Entry.objects.order_by("pk"))
    assert len(entries) > 120
    for entry in entries[:: len(entries) // 12]:
        assert str(entry.record_uid) in {hit.uid for hit in index.search(entry.title, limit=500)}, entry.title
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid, title, body FROM search_fts ORDER BY rowid")
            assert cursor.fetchall() == [(e.pk, e.title, e.body) for e in entries]
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
    # An entry written after the run goes through the trigger again.
    index.put(kind="event", uid=entries[0].record_uid, title="Zanzibarish drill", body="", path="/x")
    assert [hit.title for hit in index.search("Zanzibarish")] == ["Zanzibarish drill"]


def test_a_failure_inside_leaves_the_triggers_in_place(db):
    before = triggers()
    deferred = bulk.full_text_deferred(Entry._meta.db_table, "search_fts")
    with pytest.raises(RuntimeError, match="half way"), transaction.atomic(), deferred:
        if connection.vendor == "sqlite":
            assert triggers() != before
        raise RuntimeError("half way")
    assert triggers() == before
