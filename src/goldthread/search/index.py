"""Writing to and searching the one index. Callers are services: they index a record in the transaction that
changes it, so the index never tells of a change that did not happen. `reindex` rebuilds it from the records.

What each kind of record writes is defined once, in `search.documents`."""

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db import connection, models, transaction
from django.utils import timezone

from goldthread.search import documents
from goldthread.search.documents import Document
from goldthread.search.models import Entry

# The columns a search can be narrowed by, and counted over (`facets`). The single list of them.
FACETS = ("kind", "country", "year", "event_type", "objective_type", "dotmlpfp", "partner")
KINDS = documents.KINDS

_COLUMNS = [f.name for f in dataclasses.fields(Document)]
# A query's words, each the tuple of its parts (see `_words`).
Words = list[tuple[str, ...]]


def put(*, kind: str, uid, title: str, body: str, path: str, country: str = "", code: str = "", **facets) -> None:
    """Write the entry of one record; `facets` are the other columns of `FACETS` that apply to it."""
    unknown = set(facets) - set(FACETS)
    if unknown:
        raise ValueError(f"not a facet: {sorted(unknown)}")
    _write(
        Document(
            kind=kind,
            record_uid=uid,
            code=documents.code_key(code),
            title=title[:300],
            body=body,
            path=path,
            country=country,
            **facets,
        )
    )


def _write(document: Document) -> None:
    values = dataclasses.asdict(document)
    Entry.objects.update_or_create(record_uid=values.pop("record_uid"), defaults=values)


def _insert(batch: list[Document]) -> None:
    """Insert new entries as plain rows, with COPY on PostgreSQL: building and saving model instances would cost
    more than the rest of a reindex together."""
    if not batch:
        return
    updated = timezone.now()
    columns = ", ".join([*_COLUMNS, "updated"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY search_entry ({columns}) FROM STDIN") as copy:
            for document in batch:
                copy.write_row([*dataclasses.astuple(document), updated])
        return
    uid_field = Entry._meta.get_field("record_uid")
    updated = Entry._meta.get_field("updated").get_db_prep_value(updated, connection)
    at = _COLUMNS.index("record_uid")
    rows = []
    for document in batch:
        row = [*dataclasses.astuple(document), updated]
        row[at] = uid_field.get_db_prep_value(row[at], connection)
        rows.append(row)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO search_entry ({columns}) VALUES ({', '.join(['%s'] * len(rows[0]))})",  # noqa: S608
            rows,
        )


def put_record(record: models.Model) -> None:
    """Write the entry of an event, objective, indicator, after-action report, theme, folder section or observation
    as the record stands now, or remove it when the record is not (or no longer) to be found."""
    for uid, entry in documents.entries(record):
        if entry is None:
            remove(uid)
        else:
            _write(entry)


def remove(uid) -> None:
    Entry.objects.filter(record_uid=uid).delete()


def reindex(
    *,
    kinds: Iterable[str] = (),
    missing_only: bool = False,
    batch_size: int = 2000,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Rebuild the entries of `kinds` (every kind by default) from the records, in one transaction: the old entries
    are deleted, then the records are read `batch_size` at a time and their entries bulk-inserted. With
    `missing_only`, keep the entries there are and add those of records that have none (records written without
    the services: the demo data, a database from before a kind was indexed). Returns the entries written, by kind;
    `progress` is told each kind's running count."""
    chosen = list(kinds) or list(KINDS)
    unknown = sorted(set(chosen) - set(KINDS))
    if unknown:
        raise ValueError(f"not a kind of search entry: {unknown[0]!r}; the kinds are {', '.join(KINDS)}")
    if batch_size < 1:
        raise ValueError("the batch size must be at least 1")
    written: dict[str, int] = {}
    with transaction.atomic():
        triggers = _drop_triggers()
        deleted = 0 if missing_only else Entry.objects.filter(kind__in=chosen).delete()[0]
        for source in documents.SOURCES:
            if source.kind not in chosen:
                continue
            records = source.records()
            if missing_only:
                records = records.exclude(uid__in=Entry.objects.values("record_uid"))
            count, last = 0, 0
            # Keyset batches: each one an indexed range read, however far into the table.
            while ids := list(records.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size]):
                entries = source.build(records.filter(pk__gt=last, pk__lte=ids[-1]))
                _insert(entries)
                last = ids[-1]
                count += len(entries)
                if progress:
                    progress(source.kind, count)
            written[source.kind] = count
        _restore_triggers(triggers, rebuild=bool(deleted or any(written.values())))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh statistics, or the planner judges the first searches by the index as it was.
                cursor.execute("ANALYZE search_entry")
    return written


def _drop_triggers() -> list[str]:
    """On SQLite, FTS5 indexes the whole table in one 'rebuild' many times faster than row by row through the
    triggers that keep it in step: a reindex drops them while it writes (`_restore_triggers` makes them again as
    they were), inside its transaction, so that a failed reindex leaves them in place. Returns their SQL."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_entry'")
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    return [sql for _, sql in triggers]


def _restore_triggers(triggers: list[str], *, rebuild: bool) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if rebuild:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        for sql in triggers:
            cursor.execute(sql)


@dataclass
class Hit:
    kind: str
    title: str
    path: str
    country: str
    snippet: str
    uid: str  # the record's uid, as text


def _words(query: str) -> Words:
    """The query's words, each as its runs of letters and digits. Both databases' indexes split text at punctuation,
    so a code such as EVT-2027-HG is matched as the phrase of its parts."""
    words = [tuple(re.findall(r"[^\W_]+", word)) for word in query.split()]
    return [w for w in words if w][:12]


def _match(words: Words, *, any_word: bool) -> tuple[str, str, list]:
    """FROM and WHERE clauses matching the words, in this database's full-text terms, with their parameters."""
    if connection.vendor == "postgresql":
        joiner = " | " if any_word else " & "
        # Each part is reduced to its stem by to_tsquery; quoting keeps it a single lexeme whatever it holds.
        tsquery = joiner.join(
            f"({' <-> '.join(parts)})" if len(parts) > 1 else parts[0]
            for parts in ([f"'{p}'" for p in word] for word in words)
        )
        return "search_entry e, to_tsquery('english', %s) q", "e.document @@ q", [tsquery]
    joiner = " OR " if any_word else " "
    return (
        # CROSS JOIN keeps the full-text index as the outer loop: the other way round, SQLite would run one MATCH
        # per entry.
        "search_fts CROSS JOIN search_entry e ON e.id = search_fts.rowid",
        "search_fts MATCH %s",
        # A phrase, its last part matched as a prefix unless it is a single character, whose thousands of
        # completions ("1" of GEN-1) would cost more than they find.
        [joiner.join(f'"{" ".join(word)}"' + ("*" if len(word[-1]) > 1 else "") for word in words)],
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


def _newest(words: Words, filters: dict, *, any_word: bool, window: int, floor: int = 0) -> tuple[str, list]:
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


def _floor(words: Words, filters: dict, *, any_word: bool, window: int) -> int:
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


# A code is at most as long as the longest code field of the records (Event.code and the like).
CODE_LENGTH = 40
SNIPPET_WORDS = 20


def _exact(query: str, filters: dict) -> list[tuple[int, Hit]]:
    """The entries whose code is the query itself, whatever its case, with their entry ids."""
    code = documents.code_key(query.strip())
    if not code or len(code) > CODE_LENGTH or any(ch.isspace() for ch in code):
        return []
    narrow, params = _narrow(filters)
    # Spelt as the partial index's condition is, or SQLite will not use that index.
    sql = (
        "SELECT e.id, e.kind, e.title, e.path, e.country, e.body, e.record_uid FROM search_entry e "  # noqa: S608
        f"WHERE e.code = %s AND NOT (e.code = ''){narrow} ORDER BY e.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [code, *params])
        rows = cursor.fetchall()
    hits = []
    for pk, kind, title, path, country, body, uid in rows:
        words = body.split()
        snippet = " ".join(words[:SNIPPET_WORDS]) + ("…" if len(words) > SNIPPET_WORDS else "")
        hits.append((pk, Hit(kind, title, path, country, snippet, uid=str(UUID(str(uid))))))
    return hits


def search(query: str, *, limit: int = 50, offset: int = 0, any_word: bool = False, **filters) -> list[Hit]:
    """Entries matching every word of `query` (or any, with `any_word`), best first, narrowed by facet values.
    A record whose code is the whole query (EVT-2027-HG, IMO-THA-2) comes first, whatever the case typed; then the
    full-text matches by relevance, a match in the title counting more than one in the body. Words are matched as
    prefixes on SQLite and by stem on PostgreSQL; punctuation splits a word into parts matched as a phrase, so user
    input can never break the query syntax. Relevance orders the newest `RANK_WINDOW` matches."""
    words = _words(query)
    exact = _exact(query, filters)
    hits = [hit for _, hit in exact[offset : offset + limit]]
    wanted = limit - len(hits)
    if not words or wanted <= 0:
        return hits
    return hits + _ranked(
        words,
        filters,
        any_word=any_word,
        limit=wanted,
        offset=max(0, offset - len(exact)),
        exclude=[pk for pk, _ in exact],
    )


def _ranked(words: Words, filters: dict, *, any_word: bool, limit: int, offset: int, exclude: list[int]) -> list[Hit]:
    floor = _floor(words, filters, any_word=any_word, window=RANK_WINDOW)
    newest, newest_params = _newest(words, filters, any_word=any_word, window=RANK_WINDOW, floor=floor)
    source, where, params = _match(words, any_word=any_word)
    # The exact code matches, shown above the ranked ones already.
    other = f" AND e.id NOT IN ({', '.join(['%s'] * len(exclude))})" if exclude else ""
    if connection.vendor == "postgresql":
        # The headline is made for the page of hits only, after ranking. The document weighs the title above the
        # body (migration 0005), and ts_rank counts the weights.
        sql = f"""
            SELECT top.kind, top.title, top.path, top.country,
                   ts_headline('english', top.body, top.q, 'MaxWords=20, MinWords=8, StartSel=«, StopSel=»'),
                   top.record_uid
            FROM (SELECT e.*, q, ts_rank(e.document, q) AS score FROM {source}
                  WHERE e.id IN ({newest}) AND {where}{other}
                  ORDER BY score DESC, e.title LIMIT %s OFFSET %s) top
            ORDER BY top.score DESC, top.title
        """  # noqa: S608
        arguments = [*params, *newest_params, *exclude, limit, offset]
    else:
        # FTS5 answers a rowid range inside its MATCH cheaply, and a list of rowids by one MATCH per rowid: so the
        # window is given as the range from its oldest entry up. Facets narrow the range's matches again. bm25 weighs
        # a match in the title four times one in the body.
        narrow, narrow_params = _narrow(filters)
        sql = f"""
            SELECT e.kind, e.title, e.path, e.country, snippet(search_fts, 1, '«', '»', '…', 16), e.record_uid
            FROM {source}
            WHERE {where} AND search_fts.rowid >= (SELECT MIN(id) FROM ({newest}) AS newest){narrow}{other}
            ORDER BY bm25(search_fts, 4.0, 1.0), e.title LIMIT %s OFFSET %s
        """  # noqa: S608
        arguments = [*params, *newest_params, *narrow_params, *exclude, limit, offset]
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
