"""Reconciliation with the system of record (EVAL-4): events leave for G-TSCMIS or Socium and come back from them in
one documented CSV layout, and a report says what each event still lacks on either side.

- `COLUMNS` is the layout. The exporter writes it, the importer reads it and docs/reconciliation.md prints it
  (`layout_table`), so none of the three can drift from the others.
- `export` writes one row per contribution claim, the event's columns repeated on each; an event without claims
  gets one row with the claim columns empty.
- `preview` reads a file and runs the whole import through the event and claim services inside a transaction that
  is always rolled back. The rules applied are the services' own — permissions, validation, country constraints, the
  lifecycle — so a clean preview is an import that will go through, and nothing of it stays written.
- `commit` runs the same import again for real, in one transaction: every row, or none.
- `report` lists the events that miss a system-of-record ID, a contribution claim, an AAR or an assessment.
"""

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from goldthread.aars.models import Report
from goldthread.aars.selectors import final_due
from goldthread.core import audit
from goldthread.core.catalogues import EventType, ObjectiveType
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.events import services
from goldthread.events.models import ContributionClaim, Event, EventSeries
from goldthread.measures.models import Assessment
from goldthread.strategy.models import Country, Objective, Organization

# What an empty cell means on import, per column.
KEY = "key"  # EVENT_CODE: empty means "match by EVENT_ID"; OBJECTIVE_CODE: empty means "no claim on this row"
REQUIRED = "required"  # refused: the record cannot be without it
KEEPS = "keeps"  # the stored value stays; a new record gets the default
CLEARS = "clears"  # the value is removed
DERIVED = "derived"  # written by the export, ignored by the import


@dataclass(frozen=True)
class Column:
    name: str
    field: str  # the Event or ContributionClaim field it carries
    meaning: str
    example: str
    part: str = "event"  # "event": repeated on each claim row of the event; "claim": one claim per row
    empty: str = CLEARS
    # Text is kept exactly as written. A cell that names something — a code, an ID, a type, a date, a number, a
    # country, unit, series or objective — is trimmed, so that a stray space in a spreadsheet still matches.
    verbatim: bool = False
    default: str = ""  # what a new record gets from an empty cell that keeps the stored value

    @property
    def when_empty(self) -> str:
        """What an empty cell means on import, in words."""
        if self.empty == KEY:
            return "match by `EVENT_ID`" if self.part == "event" else "no claim on this row"
        if self.empty == KEEPS:
            return f"keeps the stored value; a new {self.part} gets {self.default}"
        return {REQUIRED: "refused", CLEARS: "clears the value", DERIVED: "ignored: export only"}[self.empty]


def _one_of(choices) -> str:
    values = [f"`{value}`" for value in choices.values]
    return ", ".join(values[:-1]) + f" or {values[-1]}"


COLUMNS = [
    Column(
        "EVENT_ID",
        "record_id",
        "The event's ID in the system of record (G-TSCMIS or Socium); empty until it has one.",
        "SOC-2025-004711",
    ),
    Column(
        "EVENT_CODE",
        "code",
        "Goldthread's code for the event: short, stable, unique. Rows are matched to events by it.",
        "EVT-2025-HG",
        empty=KEY,
    ),
    Column("EVENT_NAME", "name", "The event's name.", "Hanuman Guardian 2025", empty=REQUIRED, verbatim=True),
    Column("EVENT_TYPE", "event_type", f"One of {_one_of(EventType)}.", "FTX", empty=REQUIRED),
    Column(
        "EVENT_STATUS",
        "status",
        f"One of {_one_of(Event.Status)}. The import moves the event along its lifecycle to it.",
        "PLANNING",
        empty=KEEPS,
        default="`PROPOSED`",
    ),
    Column("START_DATE", "start_date", "First day, ISO 8601 (YYYY-MM-DD).", "2025-06-20", empty=REQUIRED),
    Column(
        "END_DATE", "end_date", "Last day, ISO 8601 (YYYY-MM-DD); not before the start.", "2025-07-05", empty=REQUIRED
    ),
    Column(
        "FISCAL_YEAR",
        "fiscal_year",
        "U.S. fiscal year of the start date (October to September), derived by Goldthread.",
        "2025",
        empty=DERIVED,
    ),
    Column(
        "COUNTRIES",
        "countries",
        "ISO 3166 alpha-3 codes of the countries the event takes place in, separated by `;`.",
        "THA;PHL",
        empty=REQUIRED,
    ),
    Column("EXECUTING_UNIT", "executing_unit", "Short name of the unit that carries the event out.", "2-2 SBCT"),
    Column(
        "OWNER_ORG",
        "owner",
        "Short name of the organization that proposed the event and answers for its record.",
        "USARPAC",
    ),
    Column(
        "SUPPORTING_UNITS", "supporting_units", "Short names of supporting units, separated by `;`.", "USARPAC;8 TSC"
    ),
    Column("PARTNER_UNITS", "partner_units", "Short names of partner-nation units, separated by `;`.", "RTA Cav Ctr"),
    Column(
        "SERIES_NAME",
        "series",
        "Name of the recurring exercise or engagement it is an iteration of.",
        "Hanuman Guardian",
    ),
    Column(
        "PARENT_EVENT_CODE",
        "parent",
        "`EVENT_CODE` of the package the event is a leg of, in Goldthread or in the same file.",
        "EVT-2025-PP1",
    ),
    Column("AUTHORITY", "authority", "Authority or program.", "Title 10 §321", verbatim=True),
    Column("EVENT_MARKINGS", "markings", "Dissemination markings of the event.", "CUI", verbatim=True),
    Column(
        "EVENT_DESCRIPTION",
        "description",
        "What the event is, in words.",
        "Combined HADR staff exercise",
        verbatim=True,
    ),
    Column(
        "OBJECTIVE_CODE",
        "objective",
        "Code of the objective the contribution claim on this row serves; empty on the one row of an event "
        "without claims, and then so are the other claim columns.",
        "CSP-THA-2.1",
        part="claim",
        empty=KEY,
    ),
    Column(
        "CLAIM_ROLE",
        "role",
        f"{_one_of(ContributionClaim.Role)}; an event has at most one primary claim.",
        "PRIMARY",
        part="claim",
        empty=KEEPS,
        default="`PRIMARY`",
    ),
    Column(
        "OBJECTIVE_TYPE",
        "objective_type",
        f"Which of the objective's types the event serves: {_one_of(ObjectiveType)}.",
        "CAP",
        part="claim",
        empty=KEEPS,
        default="the objective's primary type",
    ),
    Column(
        "EXPECTED_CHANGE",
        "expected_change",
        "What should be different after the event, in words.",
        "Combined HADR staff plan produced",
        part="claim",
        empty=REQUIRED,
        verbatim=True,
    ),
    Column(
        "INDICATOR",
        "indicator",
        "The indicator the claim should move.",
        "Plan quality rubric",
        part="claim",
        verbatim=True,
    ),
    Column(
        "DIRECTION",
        "direction",
        f"Which way the indicator should move: {_one_of(ContributionClaim.Direction)}.",
        "INCREASE",
        part="claim",
        empty=KEEPS,
        default="`INCREASE`",
    ),
    Column(
        "TIME_LAG_MONTHS",
        "time_lag_months",
        "Months after the event until the change should show, a whole number.",
        "6",
        part="claim",
        empty=KEEPS,
        default="0",
    ),
    Column(
        "ASSUMPTIONS",
        "assumptions",
        "What must hold for the claim to come true.",
        "RTA keeps the same staff",
        part="claim",
        verbatim=True,
    ),
    Column("CLAIM_MARKINGS", "markings", "Dissemination markings of the claim.", "CUI", part="claim", verbatim=True),
]
NAMES = [c.name for c in COLUMNS]
BY_NAME = {c.name: c for c in COLUMNS}
EVENT_COLUMN = {c.field: c.name for c in COLUMNS if c.part == "event"}
CLAIM_COLUMN = {c.field: c.name for c in COLUMNS if c.part == "claim"}
SEPARATOR = ";"
ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark: Excel opens it as UTF-8 rather than in the local code page
CONTENT_TYPE = "text/csv; charset=utf-8"
# A spreadsheet reads a cell that starts with one of these as a formula: such text gets a leading apostrophe, which
# the import takes off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 20_000  # each event goes through the services, twice: a larger file is split, by fiscal year or country
RELATED_LISTS = ("countries", "partner_units", "supporting_units")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"\d{1,5}")


def layout_table() -> str:
    """The layout as the Markdown table docs/reconciliation.md prints (a test compares them)."""
    lines = ["| Column | Meaning | Example | Empty cell on import |", "|---|---|---|---|"]
    for c in COLUMNS:
        lines.append(f"| `{c.name}` | {c.meaning} | `{c.example}` | {c.when_empty} |")
    return "\n".join(lines)


# --- Export ---------------------------------------------------------------------------------------------------


def _names(records, attribute: str) -> str:
    return SEPARATOR.join(sorted(getattr(r, attribute) for r in records))


def event_cells(event: Event) -> dict[str, str]:
    """The event's columns as the file writes them; the import compares a file's cells with these."""
    return {
        "EVENT_ID": event.record_id,
        "EVENT_CODE": event.code,
        "EVENT_NAME": event.name,
        "EVENT_TYPE": event.event_type,
        "EVENT_STATUS": event.status,
        "START_DATE": event.start_date.isoformat(),
        "END_DATE": event.end_date.isoformat(),
        "FISCAL_YEAR": str(event.fiscal_year),
        "COUNTRIES": _names(event.countries.all(), "iso3"),
        "EXECUTING_UNIT": event.executing_unit.short_name if event.executing_unit else "",
        "OWNER_ORG": event.owner.short_name if event.owner else "",
        "SUPPORTING_UNITS": _names(event.supporting_units.all(), "short_name"),
        "PARTNER_UNITS": _names(event.partner_units.all(), "short_name"),
        "SERIES_NAME": event.series.name if event.series else "",
        "PARENT_EVENT_CODE": event.parent.code if event.parent else "",
        "AUTHORITY": event.authority,
        "EVENT_MARKINGS": event.markings,
        "EVENT_DESCRIPTION": event.description,
    }


def claim_cells(claim: ContributionClaim | None) -> dict[str, str]:
    if claim is None:
        return {name: "" for name in CLAIM_COLUMN.values()}
    return {
        "OBJECTIVE_CODE": claim.objective.code,
        "CLAIM_ROLE": claim.role,
        "OBJECTIVE_TYPE": claim.objective_type,
        "EXPECTED_CHANGE": claim.expected_change,
        "INDICATOR": claim.indicator,
        "DIRECTION": claim.direction,
        "TIME_LAG_MONTHS": str(claim.time_lag_months),
        "ASSUMPTIONS": claim.assumptions,
        "CLAIM_MARKINGS": claim.markings,
    }


def _guard(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe — as does text that already starts with
    one before a formula character, so that `_unguard` restores every value exactly."""
    if text.startswith(FORMULA_STARTS) or (text[:1] == "'" and text[1:2] in (*FORMULA_STARTS, "'")):
        return "'" + text
    return text


def _unguard(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in (*FORMULA_STARTS, "'") else text


def events(*, fiscal_year: int | None = None, country: str | None = None) -> QuerySet[Event]:
    """Every event, or those of a fiscal year and a country; an unknown country is an input error."""
    found = Event.objects.all()
    if fiscal_year:
        found = found.filter(fiscal_year=fiscal_year)
    if country:
        code = country.strip().upper()
        if not Country.objects.filter(iso3=code).exists():
            raise DomainError.on("country", f"No country {country!r}: give its ISO 3166 alpha-3 code, e.g. THA.")
        # Exists rather than a join, so that an event in two countries is still one row.
        found = found.filter(Exists(Event.countries.through.objects.filter(event=OuterRef("pk"), country__iso3=code)))
    return found


def export(events: QuerySet[Event]) -> str:
    """The events in the layout, oldest first, as text with a byte-order mark: encode it as UTF-8."""
    claims = ContributionClaim.objects.select_related("objective").order_by("role", "objective__code")
    found = (
        events.select_related("executing_unit", "owner", "series", "parent")
        .prefetch_related(*RELATED_LISTS, Prefetch("claims", claims))
        .order_by("start_date", "code")
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(NAMES)
    for event in found.iterator(chunk_size=1000):
        cells = event_cells(event)
        for claim in list(event.claims.all()) or [None]:
            row = {**cells, **claim_cells(claim)}
            writer.writerow([_guard(row[name]) for name in NAMES])
    return "\ufeff" + out.getvalue()


def record_export(actor: User | None, events: QuerySet[Event], **filters: Any) -> None:
    """Every export leaves its mark in the audit trail, as other exports do."""
    given = {k: v for k, v in filters.items() if v}
    audit.record_about(
        actor, "reconciliation.exported", "Events for the system of record", {"events": events.count(), **given}
    )


# --- Reading a file -------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class RowError:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str  # empty when the error concerns the whole row
    message: str

    @property
    def key(self) -> str:
        """How the API names it among field errors."""
        return f"row {self.row}, {self.column}" if self.column else f"row {self.row}"


@dataclass
class _Table:
    name: str
    columns: list[str]
    ignored: list[str]
    rows: list[tuple[int, dict[str, str]]]
    errors: list[RowError]


def decode(data: bytes, name: str = "The file") -> str:
    try:
        return data.decode(ENCODING)
    except UnicodeDecodeError as exc:
        raise DomainError.on("file", f"{name} is not UTF-8 text: save it as CSV UTF-8.") from exc


def _read(text: str, name: str) -> _Table:
    """The file's rows as {column: cell}, or a DomainError on `file` if it is not a file in this layout."""
    if "\x00" in text:  # no database stores it in text, and no spreadsheet writes it
        raise DomainError.on("file", f"{name} contains NUL characters: it is not a CSV text file.")
    try:
        records = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        header = next(records, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(records, None)
        if header is None:
            raise DomainError.on("file", f"{name} is empty.")
        header = [cell.strip().upper() for cell in header]
        table = _Table(name, [h for h in header if h in BY_NAME], [h for h in header if h and h not in BY_NAME], [], [])
        twice = sorted({h for h in table.columns if header.count(h) > 1})
        if twice:
            raise DomainError.on("file", f"{name} has the column {', '.join(twice)} more than once.")
        if "EVENT_CODE" not in table.columns and "EVENT_ID" not in table.columns:
            raise DomainError.on(
                "file", f"{name} has neither EVENT_CODE nor EVENT_ID in its first row: it is not in the layout."
            )
        for number, record in enumerate(records, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(table.rows) == MAX_ROWS:
                raise DomainError.on("file", f"{name} has more than {MAX_ROWS:,} rows; import it in parts.")
            if any(cell.strip() for cell in record[len(header) :]):
                table.errors.append(RowError(number, "", "The row has more cells than the first row has columns."))
            cells = {}
            for position, column in enumerate(header):
                if column in BY_NAME:
                    cell = record[position] if position < len(record) else ""
                    cells[column] = _unguard(cell if BY_NAME[column].verbatim else cell.strip())
            table.rows.append((number, cells))
    except csv.Error as exc:
        raise DomainError.on("file", f"{name} is not readable CSV: {exc}.") from exc
    if not table.rows:
        raise DomainError.on("file", f"{name} has a header but no rows.")
    return table


@dataclass
class _ClaimRow:
    row: int
    cells: dict[str, str]


@dataclass
class _Group:
    """The rows of one event."""

    code: str
    record_id: str
    row: int
    rows: list[int]
    cells: dict[str, str]  # the event's columns as its first row has them
    claims: list[_ClaimRow] = field(default_factory=list)
    failed: bool = False


def _group(table: _Table) -> tuple[list[_Group], list[RowError]]:
    errors = list(table.errors)
    groups: dict[tuple[str, str], _Group] = {}
    for number, cells in table.rows:
        code, record_id = cells.get("EVENT_CODE", ""), cells.get("EVENT_ID", "")
        if not code and not record_id:
            errors.append(
                RowError(
                    number, "EVENT_CODE", "Give the event's EVENT_CODE, or the EVENT_ID of an event Goldthread has."
                )
            )
            continue
        event_part = {k: v for k, v in cells.items() if BY_NAME[k].part == "event"}
        claim_part = {k: v for k, v in cells.items() if BY_NAME[k].part == "claim"}
        key = ("code", code) if code else ("record", record_id)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(code, record_id, number, [number], event_part)
        else:
            group.rows.append(number)
            for name, value in event_part.items():
                if value != group.cells[name]:
                    errors.append(
                        RowError(
                            number,
                            name,
                            f"Differs from row {group.row}: an event's columns are the same on each of its rows.",
                        )
                    )
                    group.failed = True
        objective = claim_part.get("OBJECTIVE_CODE", "")
        if objective:
            earlier = next((c.row for c in group.claims if c.cells["OBJECTIVE_CODE"] == objective), None)
            if earlier:
                errors.append(
                    RowError(
                        number,
                        "OBJECTIVE_CODE",
                        f"{objective} is claimed on row {earlier} already: an event claims an objective once.",
                    )
                )
                group.failed = True
            else:
                group.claims.append(_ClaimRow(number, claim_part))
        elif any(claim_part.values()):
            errors.append(
                RowError(
                    number,
                    "OBJECTIVE_CODE",
                    "The row has claim cells but no OBJECTIVE_CODE: name the objective claimed.",
                )
            )
            group.failed = True
    return list(groups.values()), errors


@dataclass
class _Lookups:
    """Every record a file names, read in a few queries."""

    countries: dict[str, Country]
    organizations: dict[str, Organization]
    series: dict[str, EventSeries]
    objectives: dict[str, Objective]
    by_code: dict[str, Event]  # with what event_cells reads
    by_record: dict[str, Event]
    claims: dict[int, list[ContributionClaim]]  # of the events above, by event id, with their objectives


def _chunks(values: set[str], size: int = 500) -> Iterator[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _split(text: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in text.split(SEPARATOR) if part.strip()))


def _lookups(groups: list[_Group]) -> _Lookups:
    def cells(*names: str) -> set[str]:
        found = set()
        for g in groups:
            for name in names:
                found.update(_split(g.cells.get(name, "")))
        return found

    def bulk(records: QuerySet, attribute: str, values: set[str]) -> dict:
        found = {}
        for chunk in _chunks(values):
            query = records.filter(**{f"{attribute}__in": chunk})
            found.update({getattr(r, attribute): r for r in query})
        return found

    # The stored events come with all that event_cells compares, so that an unchanged event costs no query.
    events = Event.objects.select_related("executing_unit", "owner", "series", "parent").prefetch_related(
        "countries", "supporting_units", "partner_units"
    )
    by_code = bulk(events, "code", {g.code for g in groups if g.code})
    stored = {e.pk: e for e in by_code.values()}
    # One instance per event, so that a claim's event is the one the file's changes were made to.
    by_record = {
        key: stored.setdefault(e.pk, e)
        for key, e in bulk(events, "record_id", {g.record_id for g in groups if g.record_id}).items()
    }
    claims: dict[int, list[ContributionClaim]] = {}
    for chunk in _chunks(set(stored)):
        for claim in ContributionClaim.objects.filter(event_id__in=chunk).select_related("objective"):
            claim.event = stored[claim.event_id]
            claims.setdefault(claim.event_id, []).append(claim)
    objectives = {c.cells["OBJECTIVE_CODE"] for g in groups for c in g.claims}
    return _Lookups(
        countries=bulk(Country.objects.all(), "iso3", {c.upper() for c in cells("COUNTRIES")}),
        organizations=bulk(
            Organization.objects.all(),
            "short_name",
            cells("EXECUTING_UNIT", "OWNER_ORG", "SUPPORTING_UNITS", "PARTNER_UNITS"),
        ),
        series=bulk(
            EventSeries.objects.all(), "name", {g.cells["SERIES_NAME"] for g in groups if g.cells.get("SERIES_NAME")}
        ),
        objectives=bulk(Objective.objects.all(), "code", objectives),
        by_code=by_code,
        by_record=by_record,
        claims=claims,
    )


class _CellError(Exception):
    pass


def _choice(text: str, choices, column: str) -> str:
    value = text.upper()
    if value not in choices.values:
        raise _CellError(f"{column} {text!r} is not one of: {', '.join(choices.values)}.")
    return value


def _parse(column: Column, text: str, lookups: _Lookups) -> tuple[str, Any]:
    """A cell as the text the export would write for the same value, and the value the services take."""
    name, what = column.name, column.field
    if what in ("event_type", "status", "role", "objective_type", "direction"):
        choices = {
            "event_type": EventType,
            "status": Event.Status,
            "role": ContributionClaim.Role,
            "objective_type": ObjectiveType,
            "direction": ContributionClaim.Direction,
        }[what]
        value = _choice(text, choices, name)
        return value, value
    if what in ("start_date", "end_date"):
        try:
            if not _DATE.fullmatch(text):
                raise ValueError
            day = date.fromisoformat(text)
        except ValueError:
            raise _CellError(f"{name} {text!r} is not a date like 2025-06-20 (ISO 8601).") from None
        return day.isoformat(), day
    if what == "countries":
        codes = [c.upper() for c in _split(text)]
        unknown = [c for c in codes if c not in lookups.countries]
        if unknown:
            raise _CellError(f"Unknown country code(s): {', '.join(unknown)}.")
        return SEPARATOR.join(sorted(codes)), [lookups.countries[c] for c in codes]
    if what in ("executing_unit", "owner"):
        if not text:
            return "", None
        if text not in lookups.organizations:
            raise _CellError(f"No organization with the short name {text!r}.")
        return text, lookups.organizations[text]
    if what in ("partner_units", "supporting_units"):
        names = _split(text)
        unknown = [n for n in names if n not in lookups.organizations]
        if unknown:
            raise _CellError(f"Unknown organization(s): {', '.join(unknown)}.")
        return SEPARATOR.join(sorted(names)), [lookups.organizations[n] for n in names]
    if what == "series":
        if not text:
            return "", None
        if text not in lookups.series:
            raise _CellError(f"No series {text!r}: create it in Goldthread first, or correct the name.")
        return text, lookups.series[text]
    if what == "objective":
        if text not in lookups.objectives:
            raise _CellError(f"No objective {text!r}.")
        return text, lookups.objectives[text]
    if what == "time_lag_months":
        if not _WHOLE.fullmatch(text):
            raise _CellError(f"{name} {text!r} is not a whole number of months.")
        return str(int(text)), int(text)
    return text, text  # plain text; a parent is a code, resolved when its event has been written


def _parse_cells(
    cells: dict[str, str], row: int, lookups: _Lookups, errors: list[RowError]
) -> dict[str, tuple[str, Any]]:
    """The cells that say something, parsed: an empty cell that keeps the stored value, and derived ones, say
    nothing."""
    parsed = {}
    for name, text in cells.items():
        column = BY_NAME[name]
        if column.empty == DERIVED or (not text and column.empty in (KEEPS, KEY)):
            continue
        if not text and column.empty == REQUIRED:
            record = "an event" if column.part == "event" else "a claim"
            errors.append(RowError(row, name, f"{name} is empty, and {record} cannot be without it."))
            continue
        try:
            parsed[name] = _parse(column, text, lookups)
        except _CellError as exc:
            errors.append(RowError(row, name, str(exc)))
    return parsed


# --- The plan, and writing it through the services ---------------------------------------------------------------


@dataclass
class ClaimPlan:
    objective: str
    row: int
    action: str  # create, update or unchanged
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # column: (stored, in the file)


@dataclass
class EventPlan:
    code: str
    record_id: str
    rows: list[int]
    action: str  # create, update or unchanged
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    claims: list[ClaimPlan] = field(default_factory=list)
    # Claims Goldthread has that the file does not list: the import leaves them as they are.
    kept_claims: list[str] = field(default_factory=list)


@dataclass
class Preview:
    name: str
    columns: list[str]
    ignored: list[str]  # columns not in the layout: not read
    rows: int
    events: list[EventPlan]
    errors: list[RowError]
    _table: _Table = field(repr=False)

    @property
    def counts(self) -> dict[str, int]:
        found = {"create": 0, "update": 0, "unchanged": 0}
        for plan in self.events:
            found[plan.action] += 1
        return found


class _Refused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


@contextmanager
def _at(row: int, columns: dict[str, str], default: str = ""):
    """A service's refusal as row errors: each field it names becomes the column that carries it."""
    try:
        yield
    except DomainError as exc:
        found = [RowError(row, columns.get(f, default), m) for f, messages in exc.errors.items() for m in messages]
        raise _Refused(found or [RowError(row, default, exc.detail)]) from exc


def _lifecycle(current: str, target: str) -> list[str] | None:
    """The shortest way along the lifecycle from one status to another, never through cancelled on the way."""
    paths = [[current]]
    seen = {current}
    while paths:
        path = paths.pop(0)
        for following in Event.TRANSITIONS[path[-1]]:
            if following == target:
                return [*path[1:], following]
            if following not in seen and following != Event.Status.CANCELLED:
                seen.add(following)
                paths.append([*path, following])
    return None


def _changes(stored: dict[str, str], parsed: dict[str, tuple[str, Any]], skip: tuple[str, ...]) -> dict:
    return {
        name: (stored[name], text) for name, (text, _) in parsed.items() if name not in skip and stored[name] != text
    }


EVENT_ONLY_ON_CREATE = ("EVENT_CODE", "EVENT_STATUS")


def _write_event(actor: User, group: _Group, parsed: dict, lookups: _Lookups) -> tuple[Event, EventPlan]:
    values = {BY_NAME[name].field: value for name, (_, value) in parsed.items()}
    if "parent" in values:
        code = values["parent"]
        values["parent"] = Event.objects.filter(code=code).first() if code else None
        if code and values["parent"] is None:
            raise _Refused(
                [RowError(group.row, "PARENT_EVENT_CODE", f"No event {code!r} in Goldthread or in this file.")]
            )
    related = {name: values.pop(name) for name in RELATED_LISTS if name in values}
    values.pop("status", None)
    event = _match(group, lookups)
    if event is None:
        if not group.code:
            raise _Refused(
                [
                    RowError(
                        group.row,
                        "EVENT_CODE",
                        f"No event has EVENT_ID {group.record_id!r}: give its EVENT_CODE to create it.",
                    )
                ]
            )
        holder = lookups.by_record.get(group.record_id)
        if group.record_id and holder is not None:
            raise _Refused(
                [
                    RowError(
                        group.row,
                        "EVENT_ID",
                        f"{holder.code} has this EVENT_ID already. Rows are matched by EVENT_CODE: give {holder.code}, "
                        "or leave EVENT_CODE empty to match by EVENT_ID.",
                    )
                ]
            )
        missing = [c.name for c in COLUMNS if c.part == "event" and c.empty == REQUIRED and c.name not in parsed]
        missing = [name for name in missing if name not in group.cells]  # an empty cell was reported already
        if missing:
            raise _Refused([RowError(group.row, name, f"A new event needs its {name}.") for name in missing])
        with _at(group.row, EVENT_COLUMN):
            event = services.create_event(actor=actor, **related, **values)
        return event, EventPlan(event.code, event.record_id, group.rows, "create")
    changed = _changes(event_cells(event), parsed, EVENT_ONLY_ON_CREATE)
    fields = {BY_NAME[name].field for name in changed}
    if fields:
        with _at(group.row, EVENT_COLUMN):
            services.update_event(
                actor=actor,
                event=event,
                version=None,
                changes={k: v for k, v in values.items() if k in fields},
                **{k: v for k, v in related.items() if k in fields},
            )
    return event, EventPlan(event.code, event.record_id, group.rows, "update" if changed else "unchanged", changed)


def _write_claims(actor: User, event: Event, group: _Group, lookups: _Lookups, plan: EventPlan) -> list[RowError]:
    stored = {c.objective_id: c for c in lookups.claims.get(event.pk, ())}
    errors: list[RowError] = []
    rows = []
    for claim in group.claims:
        row_errors: list[RowError] = []
        parsed = _parse_cells(claim.cells, claim.row, lookups, row_errors)
        errors += row_errors
        if not row_errors:
            rows.append((claim, parsed))
    # Demotions first, so that a file moving the primary role from one objective to another goes through.
    rows.sort(key=lambda item: item[1].get("CLAIM_ROLE", ("", ""))[1] != ContributionClaim.Role.SECONDARY)
    listed = set()
    for claim, parsed in rows:
        objective = parsed["OBJECTIVE_CODE"][1]
        listed.add(objective.pk)
        values = {BY_NAME[name].field: value for name, (_, value) in parsed.items() if name != "OBJECTIVE_CODE"}
        existing = stored.get(objective.pk)
        changed = _changes(claim_cells(existing), parsed, ()) if existing else {}
        if existing is not None and not changed:
            plan.claims.append(ClaimPlan(objective.code, claim.row, "unchanged"))
            continue
        try:
            with transaction.atomic():
                if existing is None:
                    if "EXPECTED_CHANGE" not in claim.cells:  # an empty cell was reported already
                        raise _Refused(
                            [RowError(claim.row, "EXPECTED_CHANGE", "A new claim needs its EXPECTED_CHANGE.")]
                        )
                    with _at(claim.row, CLAIM_COLUMN, "OBJECTIVE_CODE"):
                        services.add_claim(actor=actor, event=event, objective=objective, **values)
                    plan.claims.append(ClaimPlan(objective.code, claim.row, "create"))
                    continue
                fields = {BY_NAME[name].field for name in changed}
                with _at(claim.row, CLAIM_COLUMN, "OBJECTIVE_CODE"):
                    services.update_claim(
                        actor=actor,
                        claim=existing,
                        version=None,
                        changes={k: v for k, v in values.items() if k in fields},
                    )
                plan.claims.append(ClaimPlan(objective.code, claim.row, "update", changed))
        except _Refused as exc:
            errors += exc.errors
    plan.claims.sort(key=lambda c: c.row)
    plan.kept_claims = sorted(c.objective.code for pk, c in stored.items() if pk not in listed)
    return errors


def _write(actor: User, group: _Group, lookups: _Lookups) -> EventPlan:
    """One event and its claims, written through the services; a refusal raises _Refused with every row error."""
    errors: list[RowError] = []
    parsed = _parse_cells(group.cells, group.row, lookups, errors)
    if "START_DATE" in parsed and "END_DATE" in parsed and parsed["END_DATE"][1] < parsed["START_DATE"][1]:
        errors.append(RowError(group.row, "END_DATE", "END_DATE is before START_DATE."))
    if errors:
        raise _Refused(errors)
    event, plan = _write_event(actor, group, parsed, lookups)
    errors = _write_claims(actor, event, group, lookups, plan)
    if errors:
        raise _Refused(errors)
    target = parsed.get("EVENT_STATUS", ("", None))[1]
    if target and target != event.status:
        steps = _lifecycle(event.status, target)
        if steps is None:
            current, wanted = Event.Status(event.status).label.lower(), Event.Status(target).label.lower()
            raise _Refused([RowError(group.row, "EVENT_STATUS", f"A {current} event cannot become {wanted}.")])
        if plan.action != "create":
            plan.changes["EVENT_STATUS"] = (event.status, target)
        for status in steps:
            with _at(group.row, EVENT_COLUMN, "EVENT_STATUS"):
                services.transition_event(actor=actor, event=event, status=status)
    if plan.action == "unchanged" and (plan.changes or any(c.action != "unchanged" for c in plan.claims)):
        plan.action = "update"
    return plan


def _match(group: _Group, lookups: _Lookups) -> Event | None:
    """The stored event a group's rows are about: by EVENT_CODE, or by EVENT_ID when the code is empty."""
    return lookups.by_code.get(group.code) if group.code else lookups.by_record.get(group.record_id)


def _ordered(groups: list[_Group], errors: list[RowError]) -> list[_Group]:
    """Parents before their legs, so a file can hold a package and its legs; a cycle is an error on each of it."""
    by_code = {g.code: g for g in groups if g.code}
    state: dict[int, int] = {}  # id(group): 1 on the current walk, 2 placed
    order = []
    for start in groups:
        chain, group = [], start
        while group is not None and id(group) not in state:
            state[id(group)] = 1
            chain.append(group)
            group = by_code.get(group.cells.get("PARENT_EVENT_CODE", ""))
        if group is not None and state[id(group)] == 1:
            cycle = chain[chain.index(group) :]
            codes = ", ".join(g.code for g in cycle)
            for member in cycle:
                errors.append(
                    RowError(member.row, "PARENT_EVENT_CODE", f"The parents of {codes} go round in a circle.")
                )
                member.failed = True
        for member in reversed(chain):
            state[id(member)] = 2
            order.append(member)
    return order


def _run(actor: User, table: _Table) -> tuple[list[EventPlan], list[RowError]]:
    """The whole file through the services, in the caller's transaction; each event in a savepoint of its own, so
    one refused event is undone alone and the others are still checked."""
    groups, errors = _group(table)
    lookups = _lookups(groups)
    try:
        plans = _plans(actor, groups, errors, lookups)
    finally:
        _release(lookups)
    plans.sort(key=lambda p: p.rows[0])
    return plans, sorted(set(errors))


def _release(lookups: _Lookups) -> None:
    """Let the stored events go as soon as the plans are made. Each relation prefetched with an event keeps a query
    set that points back at the event: a reference cycle per relation, which only a full collection of the garbage
    collector frees (5,600 objects a 200-event file, tens of milliseconds in some later request)."""
    for event in (*lookups.by_code.values(), *lookups.by_record.values()):
        event.__dict__.pop("_prefetched_objects_cache", None)


def _plans(actor: User, groups: list[_Group], errors: list[RowError], lookups: _Lookups) -> list[EventPlan]:
    by_code = {g.code: g for g in groups if g.code}
    matched: dict[int, _Group] = {}
    plans = []
    for group in _ordered(groups, errors):
        parent = by_code.get(group.cells.get("PARENT_EVENT_CODE", ""))
        if parent is not None and parent.failed and not group.failed:
            errors.append(
                RowError(group.row, "PARENT_EVENT_CODE", f"{parent.code} has errors in this file (row {parent.row}).")
            )
            group.failed = True
        existing = _match(group, lookups)
        if existing is not None and existing.pk in matched:
            first = matched[existing.pk]
            errors.append(
                RowError(
                    group.row,
                    "EVENT_ID",
                    f"Row {first.row} is about {existing.code} already: give all its rows the same EVENT_CODE.",
                )
            )
            group.failed = True
        elif existing is not None:
            matched[existing.pk] = group
        if group.failed:
            continue
        try:
            with transaction.atomic():
                plans.append(_write(actor, group, lookups))
        except _Refused as exc:
            errors += exc.errors
            group.failed = True
    return plans


def preview(text: str, *, actor: User, name: str = "The file") -> Preview:
    """What importing the file would do, event by event, and every row error; nothing is written. The import runs
    through the services as `actor` and is rolled back, so the preview applies exactly the rules a commit will."""
    table = _read(text, name)
    with transaction.atomic():
        plans, errors = _run(actor, table)
        transaction.set_rollback(True)
    return Preview(name, table.columns, table.ignored, len(table.rows), plans, errors, table)


class RowsRefused(DomainError):
    """The file has row errors: nothing was written. `rows` lists them; `errors` keys them by row and column."""

    def __init__(self, name: str, rows: list[RowError]):
        first = rows[0]
        super().__init__(
            f"{len(rows)} error(s) in {name}, nothing was written. First: row {first.row}"
            + (f", {first.column}" if first.column else "")
            + f": {first.message}",
            _keyed(rows),
        )
        self.rows = rows


def _keyed(rows: list[RowError]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in rows:
        found.setdefault(error.key, []).append(error.message)
    return found


def commit(actor: User, preview: Preview) -> list[EventPlan]:
    """Write a clean preview through the event and claim services, all of it or nothing, comparing again with what
    is stored now; one audit entry names the file, besides the services' own."""
    if preview.errors:
        raise RowsRefused(preview.name, preview.errors)
    with transaction.atomic():
        plans, errors = _run(actor, preview._table)
        if errors:
            raise RowsRefused(preview.name, errors)
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for plan in plans:
            counts[plan.action] += 1
        audit.record_about(
            actor, "reconciliation.imported", f"Events from {preview.name}", {"rows": preview.rows, **counts}
        )
    return plans


# --- The report -----------------------------------------------------------------------------------------------

MISSING = {
    "record_id": "system-of-record ID",
    "claim": "contribution claim",
    "aar": "after-action report",
    "assessment": "assessment",
}


@dataclass
class Gap:
    event: Event
    missing: list[str]  # keys of MISSING
    aar_due: date | None  # for an event that has ended

    def as_row(self) -> dict[str, Any]:
        """The row the API and the command print."""
        e = self.event
        return {
            "uid": e.uid,
            "code": e.code,
            "name": e.name,
            "record_id": e.record_id,
            "status": e.status,
            "fiscal_year": e.fiscal_year,
            "start_date": e.start_date,
            "end_date": e.end_date,
            "executing_unit": e.executing_unit.short_name if e.executing_unit else None,
            "countries": sorted(c.iso3 for c in e.countries.all()),
            "missing": self.missing,
            "aar_due": self.aar_due,
        }


def report(fiscal_year: int | None = None, country: str | None = None, *, today: date | None = None) -> list[Gap]:
    """Events, other than cancelled ones, that miss a system-of-record ID, a contribution claim, or — once ended —
    an AAR (none, or one not submitted, after its due date) or an assessment (none submitted on an objective the
    event claims since the event ended). Two queries, however many events there are."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.AAR_DUE_DAYS)  # an event that ended before it and has no AAR is late
    ended = Q(end_date__lt=today)
    aar_missing = ended & (
        Q(aar__isnull=True, end_date__lt=cutoff) | Q(aar__due__lt=today, aar__status__in=Report.EDITABLE)
    )
    assessed = Assessment.objects.filter(
        status=Assessment.Status.SUBMITTED,
        objective__claims__event=OuterRef("pk"),
        submitted_at__date__gt=OuterRef("end_date"),
    )
    found = (
        events(fiscal_year=fiscal_year, country=country)
        .exclude(status=Event.Status.CANCELLED)
        .annotate(
            has_claim=Exists(ContributionClaim.objects.filter(event=OuterRef("pk"))),
            assessed=Exists(assessed),
            aar_missing=ExpressionWrapper(aar_missing, output_field=BooleanField()),
        )
        .filter(Q(record_id="") | Q(has_claim=False) | Q(aar_missing=True) | (ended & Q(assessed=False)))
        .select_related("aar", "executing_unit")
        .prefetch_related("countries")
        .order_by("start_date", "code")
    )
    gaps = []
    for event in found:
        missing = [
            key
            for key, lacking in (
                ("record_id", not event.record_id),
                ("claim", not event.has_claim),
                ("aar", event.aar_missing),
                ("assessment", event.end_date < today and not event.assessed),
            )
            if lacking
        ]
        aar = getattr(event, "aar", None)
        due = (aar.due if aar else final_due(event)) if event.end_date < today else None
        gaps.append(Gap(event, missing, due))
    return gaps
