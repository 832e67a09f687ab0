"""Writing to and searching the one index. Callers are services: they index a record in the transaction that
changes it, so the index never tells of a change that did not happen."""

from dataclasses import dataclass

from django.db import connection

from goldthread.search.models import Entry


def put(*, kind: str, uid, title: str, body: str, path: str, country: str = "") -> None:
    Entry.objects.update_or_create(
        record_uid=uid, defaults={"kind": kind, "title": title[:300], "body": body, "path": path, "country": country}
    )


@dataclass
class Hit:
    kind: str
    title: str
    path: str
    country: str
    snippet: str


def search(query: str, *, country: str = "", kind: str = "", limit: int = 50) -> list[Hit]:
    """Entries matching every word of `query`, best first. Words are matched as prefixes on SQLite and by stem on
    PostgreSQL; punctuation is ignored, so user input can never break the query syntax."""
    words = ["".join(ch for ch in word if ch.isalnum()) for word in query.split()]
    words = [w for w in words if w][:12]
    if not words:
        return []
    if connection.vendor == "postgresql":
        sql = """
            SELECT e.kind, e.title, e.path, e.country,
                   ts_headline('english', e.body, q, 'MaxWords=20, MinWords=8, StartSel=«, StopSel=»')
            FROM search_entry e, plainto_tsquery('english', %s) q
            WHERE to_tsvector('english', e.title || ' ' || e.body) @@ q
              AND (%s = '' OR e.country = %s) AND (%s = '' OR e.kind = %s)
            ORDER BY ts_rank(to_tsvector('english', e.title || ' ' || e.body), q) DESC, e.title
            LIMIT %s
        """
        params = [" ".join(words), country, country, kind, kind, limit]
    else:
        sql = """
            SELECT e.kind, e.title, e.path, e.country, snippet(search_fts, 1, '«', '»', '…', 16)
            FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid
            WHERE search_fts MATCH %s AND (%s = '' OR e.country = %s) AND (%s = '' OR e.kind = %s)
            ORDER BY bm25(search_fts), e.title
            LIMIT %s
        """
        params = [" ".join(f'"{w}"*' for w in words), country, country, kind, kind, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Hit(*row) for row in cursor.fetchall()]
