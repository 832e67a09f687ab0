"""Writing to and searching the one index. Callers are services: they index a record in the transaction that
changes it, so the index never tells of a change that did not happen."""

from dataclasses import dataclass
from uuid import UUID

from django.db import connection

from goldthread.search.models import Entry

# The columns a search can be narrowed by, and counted over (`facets`). The single list of them.
FACETS = ("kind", "country", "year", "event_type", "objective_type", "dotmlpfp", "partner")


def put(*, kind: str, uid, title: str, body: str, path: str, country: str = "", **facets) -> None:
    """Write the entry of one record; `facets` are the other columns of `FACETS` that apply to it."""
    unknown = set(facets) - set(FACETS)
    if unknown:
        raise ValueError(f"not a facet: {sorted(unknown)}")
    Entry.objects.update_or_create(
        record_uid=uid,
        defaults={"kind": kind, "title": title[:300], "body": body, "path": path, "country": country, **facets},
    )


def remove(uid) -> None:
    Entry.objects.filter(record_uid=uid).delete()


@dataclass
class Hit:
    kind: str
    title: str
    path: str
    country: str
    snippet: str
    uid: str  # the record's uid, as text


def _words(query: str) -> list[str]:
    words = ["".join(ch for ch in word if ch.isalnum()) for word in query.split()]
    return [w for w in words if w][:12]


def _match(words: list[str], *, any_word: bool) -> tuple[str, str, list]:
    """FROM and WHERE clauses matching the words, in this database's full-text terms, with their parameters."""
    if connection.vendor == "postgresql":
        joiner = " | " if any_word else " & "
        # Each word is reduced to its stem by to_tsquery; quoting keeps it a single lexeme whatever it holds.
        tsquery = joiner.join(f"'{w}'" for w in words)
        return "search_entry e, to_tsquery('english', %s) q", "e.document @@ q", [tsquery]
    joiner = " OR " if any_word else " "
    return (
        # CROSS JOIN keeps the full-text index as the outer loop: the other way round, SQLite would run one MATCH
        # per entry.
        "search_fts CROSS JOIN search_entry e ON e.id = search_fts.rowid",
        "search_fts MATCH %s",
        [joiner.join(f'"{w}"*' for w in words)],
    )


def _narrow(filters: dict) -> tuple[str, list]:
    clauses, params = [], []
    for name, value in filters.items():
        if name not in FACETS:
            raise ValueError(f"not a facet: {name}")
        if value not in ("", None):
            clauses.append(f"e.{name} = %s")
            params.append(int(value) if name == "year" else value)
    return "".join(f" AND {c}" for c in clauses), params


# Relevance is judged among the newest RANK_WINDOW matches, facets counted over the newest FACET_WINDOW: finding every
# match is cheap in both databases, scoring each one is not, and a word as common as "partner" matches most of a
# million observations (docs/performance.md). Rarer queries have fewer matches than the windows and are exact.
RANK_WINDOW = 2000
FACET_WINDOW = 5000


# PostgreSQL's planner takes the words of a query as independent and, for two common words, expects a few hundred
# matches where there are tens of thousands, then reads them all from the table to find the newest. Looking first
# among the newest RECENT_ENTRIES entries, where the full-text and primary-key indexes combine, avoids that whenever
# they hold a full window of matches.
RECENT_ENTRIES = 100_000


def _newest(words: list[str], filters: dict, *, any_word: bool, window: int, floor: int = 0) -> tuple[str, list]:
    """SQL for the ids of the newest `window` entries matching the words and the facet values, with parameters;
    on PostgreSQL only among entries above `floor`, when it is set."""
    source, where, params = _match(words, any_word=any_word)
    narrow, narrow_params = _narrow(filters)
    if connection.vendor == "postgresql":
        key = "e.id"
        if floor:
            narrow, narrow_params = f"{narrow} AND e.id > %s", [*narrow_params, floor]
    else:
        key = "search_fts.rowid"  # newest first straight from the full-text index
        if not narrow:
            source = "search_fts"  # and without a facet, from it alone
    sql = f"SELECT {key} AS id FROM {source} WHERE {where}{narrow} ORDER BY {key} DESC LIMIT {int(window)}"  # noqa: S608
    return sql, [*params, *narrow_params]


def _floor(words: list[str], filters: dict, *, any_word: bool, window: int) -> int:
    """On PostgreSQL, the id above which the newest `window` matches all lie, if the newest RECENT_ENTRIES entries
    hold that many; 0 (no floor) otherwise, and on SQLite, whose plan starts from the full-text index anyway."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM search_entry")
        top = cursor.fetchone()[0] or 0
        if top <= RECENT_ENTRIES:
            return 0
        sql, params = _newest(words, filters, any_word=any_word, window=window, floor=top - RECENT_ENTRIES)
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS recent", params)  # noqa: S608
        return top - RECENT_ENTRIES if cursor.fetchone()[0] >= window else 0


def search(query: str, *, limit: int = 50, offset: int = 0, any_word: bool = False, **filters) -> list[Hit]:
    """Entries matching every word of `query` (or any, with `any_word`), best first, narrowed by facet values.
    Words are matched as prefixes on SQLite and by stem on PostgreSQL; punctuation is ignored, so user input can
    never break the query syntax. Relevance orders the newest `RANK_WINDOW` matches."""
    words = _words(query)
    if not words:
        return []
    floor = _floor(words, filters, any_word=any_word, window=RANK_WINDOW)
    newest, newest_params = _newest(words, filters, any_word=any_word, window=RANK_WINDOW, floor=floor)
    source, where, params = _match(words, any_word=any_word)
    if connection.vendor == "postgresql":
        # The headline is made for the page of hits only, after ranking.
        sql = f"""
            SELECT top.kind, top.title, top.path, top.country,
                   ts_headline('english', top.body, top.q, 'MaxWords=20, MinWords=8, StartSel=«, StopSel=»'),
                   top.record_uid
            FROM (SELECT e.*, q, ts_rank(e.document, q) AS score FROM {source}
                  WHERE e.id IN ({newest}) AND {where}
                  ORDER BY score DESC, e.title LIMIT %s OFFSET %s) top
            ORDER BY top.score DESC, top.title
        """  # noqa: S608
        arguments = [*params, *newest_params, limit, offset]
    else:
        # FTS5 answers a rowid range inside its MATCH cheaply, and a list of rowids by one MATCH per rowid: so the
        # window is given as the range from its oldest entry up. Facets narrow the range's matches again.
        narrow, narrow_params = _narrow(filters)
        sql = f"""
            SELECT e.kind, e.title, e.path, e.country, snippet(search_fts, 1, '«', '»', '…', 16), e.record_uid
            FROM {source}
            WHERE {where} AND search_fts.rowid >= (SELECT MIN(id) FROM ({newest}) AS newest){narrow}
            ORDER BY bm25(search_fts), e.title LIMIT %s OFFSET %s
        """  # noqa: S608
        arguments = [*params, *newest_params, *narrow_params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        # SQLite hands back the uid as 32 hex digits, PostgreSQL as a UUID: one spelling for callers.
        return [Hit(*row[:5], uid=str(UUID(str(row[5])))) for row in cursor.fetchall()]


def facets(query: str, **filters) -> dict[str, list[tuple[str, int]]]:
    """For each facet, its values among the newest `FACET_WINDOW` matches and how many have each, most first."""
    words = _words(query)
    if not words:
        return {}
    floor = _floor(words, filters, any_word=False, window=FACET_WINDOW)
    newest, params = _newest(words, filters, any_word=False, window=FACET_WINDOW, floor=floor)
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    branches = " UNION ALL ".join(
        f"SELECT '{name}', CAST({name} AS TEXT), COUNT(*) FROM matched "  # noqa: S608
        f"WHERE {name} IS NOT NULL AND CAST({name} AS TEXT) <> '' GROUP BY {name}"
        for name in FACETS
    )
    sql = f"WITH matched AS MATERIALIZED (SELECT * FROM search_entry WHERE id IN ({newest})) {branches}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, value, count in cursor.fetchall():
            counts[name].append((value, count))
    return {name: sorted(values, key=lambda v: (-v[1], v[0])) for name, values in counts.items()}
